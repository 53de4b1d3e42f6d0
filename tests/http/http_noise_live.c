/* HTTP tests of the live noise views against the real server: the demo
 * plaza's meter (东区, cap 70 dB) gets a meter token and sends loud
 * seconds; the staff's live page, its JSON and its event stream show the
 * level in red against the cap, with the alert that opened; a meter
 * without readings shows "no data" against GB 3096; the public display
 * needs no login, shows the level and the teams the published timetable
 * puts on the plaza now, and no phone number; residents are kept out of
 * the staff views; an unknown meter's display is 404 in both languages. */
#include "checks.h"

#include <curl/curl.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define LOUD "75.3" /* what the meter sends: above the zone's 70 dB cap */

static char meter_hdr[200];   /* Authorization header of the demo meter's token */
static long long meter_id;    /* 五月花广场分贝仪 */
static long long quiet_id;    /* a meter that never sends */
static char today_teams[512]; /* "|team|team|": every session today (all of them now) */
static char east_teams[512];  /* "|team|": those in 东区, the meter's zone */
static int nteams_today, nteams_east;

static json_t *parse(const struct response *r)
{
	json_t *v = json_loads(r->body, 0, NULL);

	if (!v)
		fail_msg("not JSON: %.500s", r->body);
	return v;
}

/* local_now: Shanghai's date (YYYY-MM-DD), ISO weekday and minute of day. */
static void local_now(char date[11], int *weekday, int *minute)
{
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(date, 11, "%Y-%m-%d", &tm);
	*weekday = tm.tm_wday ? tm.tm_wday : 7;
	*minute = tm.tm_hour * 60 + tm.tm_min;
}

/* send_seconds: the meter sends level for the n seconds ending at last. */
static void send_seconds(long long last, int n, const char *level)
{
	struct client c;
	struct response r;
	size_t cap = (size_t)n * 40 + 32, len;
	char *body = malloc(cap);

	assert_non_null(body);
	len = (size_t)snprintf(body, cap, "{\"readings\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(body + len, cap - len, "%s{\"t\":%lld,\"laeq\":%s}",
					i ? "," : "", last - n + 1 + i, level);
	snprintf(body + len, cap - len, "]}");
	client_init(&c);
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/noise/readings", body,
				 "application/json", meter_hdr, &r),
			 0);
	if (r.status != 200)
		fail_msg("readings: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&c);
	free(body);
}

/* fresh: the meter's level for the current second, so "now" holds. */
static void fresh(void)
{
	send_seconds((long long)time(NULL), 1, LOUD);
}

static void test_setup(void **state)
{
	struct client sec;
	struct response r;
	json_t *list, *item;
	char *out = NULL, body[160], path[96];
	long long tok;
	size_t i;

	(void)state;
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "plaza-live", "--role", "meter", NULL), 0);
	snprintf(meter_hdr, sizeof(meter_hdr), "Authorization: Bearer %.*s",
		 (int)strcspn(out, "\n"), out);
	assert_non_null(strstr(out, "Token "));
	tok = atoll(strstr(out, "Token ") + 6);
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "noise", "meter", "add", "北门（未接入）",
				 "--zone-class", "1", NULL),
			 0);
	free(out);

	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, "GET", "/api/v1/meters", NULL, &r), 0);
	list = parse(&r);
	json_array_foreach (json_object_get(list, "items"), i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));
		long long id = json_integer_value(json_object_get(item, "id"));
		if (!strcmp(name, "五月花广场分贝仪"))
			meter_id = id;
		else if (!strcmp(name, "北门（未接入）"))
			quiet_id = id;
	}
	json_decref(list);
	response_release(&r);
	assert_true(meter_id > 0 && quiet_id > 0);
	snprintf(path, sizeof(path), "/api/v1/meters/%lld", meter_id);
	snprintf(body, sizeof(body), "{\"token_id\":%lld}", tok);
	assert_int_equal(api(&sec, &srv, "PUT", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("bind token: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&sec);
}

/* add_name appends "name|" to a list "|a|b|". */
static void add_name(char *list, size_t n, const char *name)
{
	size_t len = strlen(list);

	snprintf(list + len, n - len, "%s|", name);
}

/* test_timetable_now: an evening of one hour-long slot around now, the
 * zones open all evening and night after the slot, then this week's
 * timetable published: every session today is running now. */
static void test_timetable_now(void **state)
{
	struct client sec;
	struct response r;
	json_t *week, *s, *zones;
	char date[11], evening[32], night[32], *out = NULL, path[96];
	int weekday, minute, start, end;
	size_t i;

	(void)state;
	local_now(date, &weekday, &minute);
	if (minute >= 1437) { /* the slot would end with the day: wait for the next */
		sleep((unsigned)(1440 - minute) * 60 + 5);
		local_now(date, &weekday, &minute);
	}
	start = minute < 30 ? 0 : minute > 1410 ? 1380 : minute - 30;
	end = start + 60;
	snprintf(evening, sizeof(evening), "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60,
		 end % 60);
	snprintf(night, sizeof(night), "%02d:%02d-%02d:%02d", end % 1440 / 60, end % 60,
		 (end + 480) % 1440 / 60, (end + 480) % 60);
	assert_int_equal(run_cli(&srv, NULL, &out, "plaza", "hours", "--evening", evening, "--slot",
				 "60", "--night", night, NULL),
			 0);
	free(out);

	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, "GET", "/api/v1/plaza_zones", NULL, &r), 0);
	zones = parse(&r);
	response_release(&r);
	json_array_foreach (json_object_get(zones, "items"), i, s) {
		snprintf(path, sizeof(path), "/api/v1/plaza_zones/%lld",
			 (long long)json_integer_value(json_object_get(s, "id")));
		assert_int_equal(api(&sec, &srv, "PUT", path, "{\"allowed_periods\":\"\"}", &r), 0);
		if (r.status != 200)
			fail_msg("open zone: %ld %s", r.status, r.body);
		response_release(&r);
	}
	json_decref(zones);

	assert_int_equal(run_cli(&srv, NULL, &out, "schedule", "publish", "--week", date, NULL), 0);
	free(out);
	snprintf(path, sizeof(path), "/api/v1/schedule?week=%s", date);
	assert_int_equal(api(&sec, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	week = parse(&r);
	snprintf(today_teams, sizeof(today_teams), "|");
	snprintf(east_teams, sizeof(east_teams), "|");
	json_array_foreach (json_object_get(week, "sessions"), i, s) {
		const char *team = json_string_value(json_object_get(s, "team"));
		if (json_integer_value(json_object_get(s, "day")) != weekday)
			continue;
		add_name(today_teams, sizeof(today_teams), team);
		nteams_today++;
		if (!strcmp(json_string_value(json_object_get(s, "zone")), "东区")) {
			add_name(east_teams, sizeof(east_teams), team);
			nteams_east++;
		}
	}
	if (!nteams_today)
		fail_msg("no session today (%s, day %d, %s): %.2000s", date, weekday, evening,
			 r.body);
	json_decref(week);
	response_release(&r);
	client_release(&sec);
}

/* has_each: every name in "|a|b|" occurs in body. */
static void has_each(const char *body, const char *names)
{
	char copy[512];

	snprintf(copy, sizeof(copy), "%s", names);
	for (char *p = copy + 1, *bar; (bar = strchr(p, '|')); p = bar + 1) {
		*bar = '\0';
		if (!strstr(body, p))
			fail_msg("%s missing from %.3000s", p, body);
	}
}

static void test_no_data_then_last_reading(void **state)
{
	long long now = (long long)time(NULL);
	struct client staff;
	struct response r;

	(void)state;
	/* Two seconds five minutes ago: too old to be "now". */
	send_seconds(now - 300, 2, "58.2");
	login_as(&staff, "staff");
	assert_int_equal(request(&staff, &srv, "GET", "/noise/live", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "nl-now nl-none"));
	assert_non_null(strstr(r.body, "无数据"));
	assert_non_null(strstr(r.body, "最后读数"));
	/* The meter that never sent anything says so. */
	assert_non_null(strstr(r.body, "从未收到读数"));
	response_release(&r);

	/* Without a zone, GB 3096 applies: class 1 by day is 55 dB (the test
	 * moved the night away from now). */
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/noise/live", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	{
		json_t *o = parse(&r), *m;
		size_t i;
		int seen = 0;
		json_array_foreach (json_object_get(o, "meters"), i, m) {
			if (json_integer_value(json_object_get(m, "id")) != quiet_id)
				continue;
			seen = 1;
			assert_true(json_is_null(json_object_get(m, "level")));
			assert_true(json_is_null(json_object_get(m, "last_t")));
			assert_string_equal(json_string_value(json_object_get(m, "class")), "none");
			assert_string_equal(json_string_value(json_object_get(m, "limit_kind")),
					    "day");
			assert_true(json_real_value(json_object_get(m, "limit")) == 55.0);
			assert_true(json_is_null(json_object_get(m, "zone")));
		}
		assert_true(seen);
		json_decref(o);
	}
	response_release(&r);
	client_release(&staff);
}

static void test_live_page_and_json_show_red(void **state)
{
	struct client staff;
	struct response r;
	json_t *o, *m = NULL, *one;
	size_t i;

	(void)state;
	/* 200 loud seconds: enough of the alert rule's 5-minute window to open one. */
	send_seconds((long long)time(NULL), 200, LOUD);
	login_as(&staff, "staff");
	fresh();
	assert_int_equal(request(&staff, &srv, "GET", "/noise/live", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	if (!strstr(r.body, "nl-now nl-over"))
		fail_msg("not red: %.3000s", r.body);
	assert_non_null(strstr(r.body, "data-field=\"level\">" LOUD "</span>"));
	assert_non_null(strstr(r.body, "超标"));
	assert_non_null(strstr(r.body, "<b data-field=\"limit\">70.0</b>"));
	assert_non_null(strstr(r.body, "分区音量上限"));
	/* The chart of the last three hours, with the cap as its line. */
	assert_non_null(strstr(r.body, "class=\"svg-chart nl-chart-svg\""));
	assert_non_null(strstr(r.body, "上限 70 dB(A)"));
	/* Twice: laid out 300 units wide for phones (the legend on two rows,
	 * a tick an hour) and 720 for wider screens (one row, half hours). */
	assert_non_null(strstr(r.body,
			       "<div class=\"st-narrow\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
			       "viewBox=\"0 0 300 274\""));
	assert_non_null(strstr(r.body,
			       "<div class=\"st-wide\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
			       "viewBox=\"0 0 720 270\""));
	/* The alert the loud minutes opened, with its case. */
	assert_non_null(strstr(r.body, "进行中"));
	assert_non_null(strstr(r.body, "href=\"/cases/"));
	/* The teams scheduled in 东区 now. */
	has_each(r.body, east_teams);
	assert_non_null(strstr(r.body, "/static/noise-live.js"));
	response_release(&r);

	/* The same in JSON. */
	fresh();
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/noise/live", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	o = parse(&r);
	json_array_foreach (json_object_get(o, "meters"), i, one) {
		if (json_integer_value(json_object_get(one, "id")) == meter_id)
			m = one;
	}
	assert_non_null(m);
	assert_true(json_real_value(json_object_get(m, "level")) == 75.3);
	assert_string_equal(json_string_value(json_object_get(m, "class")), "over");
	assert_true(json_real_value(json_object_get(m, "limit")) == 70.0);
	assert_string_equal(json_string_value(json_object_get(m, "limit_kind")), "cap");
	assert_string_equal(json_string_value(json_object_get(json_object_get(m, "zone"), "name")),
			    "东区");
	assert_int_equal(json_array_size(json_object_get(m, "teams")), nteams_east);
	json_array_foreach (json_object_get(m, "teams"), i, one) {
		char bar[80];
		snprintf(bar, sizeof(bar), "|%s|", json_string_value(json_object_get(one, "team")));
		assert_non_null(strstr(east_teams, bar));
	}
	one = json_array_get(json_object_get(m, "open_alerts"), 0);
	if (!one)
		fail_msg("no open alert: %s", r.body);
	assert_true(json_real_value(json_object_get(one, "threshold")) == 70.0);
	assert_true(json_real_value(json_object_get(one, "peak")) == 75.3);
	assert_true(json_integer_value(json_object_get(one, "case_id")) > 0);
	json_decref(o);
	response_release(&r);
	client_release(&staff);
}

/* The first complete event of a stream, read until it ends or 10 s pass. */
struct stream {
	char buf[16384];  /* what came, NUL-terminated */
	size_t len;	  /* bytes in buf */
	const char *stop; /* stop once a complete event of this type has come */
};

static size_t stream_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct stream *s = userdata;
	size_t n = size * nmemb, room = sizeof(s->buf) - 1 - s->len;
	const char *ev;

	memcpy(s->buf + s->len, ptr, n < room ? n : room);
	s->len += n < room ? n : room;
	s->buf[s->len] = '\0';
	ev = strstr(s->buf, s->stop);
	/* Returning short stops the transfer: the event is complete. */
	return ev && strstr(ev, "\ndata: ") && strstr(strstr(ev, "\ndata: "), "\n\n") ? 0 : n;
}

/* read_stream: GET path as an EventSource would, until the first event
 * called stop is complete. OUT: the status and content type. */
static void read_stream(struct client *c, const char *path, const char *last_id, const char *stop,
			struct stream *s, long *status, char *type, size_t ntype)
{
	struct curl_slist *hdrs = NULL;
	char url[512], line[64];
	const char *ct = NULL;

	memset(s, 0, sizeof(*s));
	s->stop = stop;
	snprintf(url, sizeof(url), "%s%s", srv.url, path);
	hdrs = curl_slist_append(hdrs, "Accept: text/event-stream");
	if (last_id) {
		snprintf(line, sizeof(line), "Last-Event-ID: %s", last_id);
		hdrs = curl_slist_append(hdrs, line);
	}
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, NULL);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, stream_write);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, NULL);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, NULL);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 10L);
	curl_easy_perform(c->curl); /* ends, is stopped, or times out */
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, status);
	curl_easy_getinfo(c->curl, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(type, ntype, "%s", ct ? ct : "");
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
	curl_slist_free_all(hdrs);
}

static void test_event_stream(void **state)
{
	struct client staff;
	struct stream s;
	char type[128];
	long status = 0;

	(void)state;
	login_as(&staff, "staff");
	fresh();
	read_stream(&staff, "/noise/live/events", NULL, "event: levels", &s, &status, type,
		    sizeof(type));
	assert_int_equal(status, 200);
	assert_non_null(strstr(type, "text/event-stream"));
	/* Come back after a second; the latest level, red. */
	assert_non_null(strstr(s.buf, "retry: 1000\n"));
	if (!strstr(s.buf, "\"level\":" LOUD) || !strstr(s.buf, "\"class\":\"over\""))
		fail_msg("levels: %s", s.buf);
	/* A first connection is told of no old alert, only where it stands. */
	assert_null(strstr(s.buf, "event: alert"));
	assert_non_null(strstr(s.buf, "\nid: "));

	/* One that last saw no alert hears of the open one, before the levels. */
	fresh();
	read_stream(&staff, "/noise/live/events", "0", "event: levels", &s, &status, type,
		    sizeof(type));
	assert_int_equal(status, 200);
	if (!strstr(s.buf, "event: alert\ndata: {") || !strstr(s.buf, "\"threshold\":70.0") ||
	    strstr(s.buf, "event: alert") > strstr(s.buf, "event: levels"))
		fail_msg("alert: %s", s.buf);
	client_release(&staff);
}

static void test_public_display(void **state)
{
	struct client anon;
	struct response r;
	struct stream s;
	char path[96], type[128];
	long status = 0;

	(void)state;
	client_init(&anon);
	fresh();
	snprintf(path, sizeof(path), "/noise/display/%lld", meter_id);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "dp-now nl-over"));
	assert_non_null(strstr(r.body, "data-field=\"level\">" LOUD "</span>"));
	assert_non_null(strstr(r.body, "五月花商业广场"));
	assert_non_null(strstr(r.body, "超过上限"));
	/* Who is on which zone now: every session of today is now. */
	has_each(r.body, today_teams);
	assert_non_null(strstr(r.body, "东区"));
	assert_non_null(strstr(r.body, "今天没有更多场次"));
	/* Public: no phone number (the teams' contacts are 1391602xxxx). */
	assert_null(strstr(r.body, "1391602"));
	assert_null(strstr(r.body, "/logout"));
	response_release(&r);

	snprintf(path, sizeof(path), "/noise/display/%lld/events", meter_id);
	read_stream(&anon, path, NULL, "event: level", &s, &status, type, sizeof(type));
	assert_int_equal(status, 200);
	assert_non_null(strstr(type, "text/event-stream"));
	if (!strstr(s.buf, "\"level\":" LOUD))
		fail_msg("display stream: %s", s.buf);
	/* The level only: no teams, alerts or cases. */
	assert_null(strstr(s.buf, "team"));
	assert_null(strstr(s.buf, "case"));
	assert_null(strstr(s.buf, "1391602"));
	client_release(&anon);
}

static void test_who_may_see(void **state)
{
	static const char *const staff_paths[] = {"/noise/live", "/noise/live/events",
						  "/api/v1/noise/live"};
	struct client res, anon;
	struct response r;

	(void)state;
	login_as(&res, "resident");
	for (size_t i = 0; i < sizeof(staff_paths) / sizeof(staff_paths[0]); i++) {
		assert_int_equal(request(&res, &srv, "GET", staff_paths[i], NULL, NULL, NULL, &r),
				 0);
		if (r.status != 403)
			fail_msg("%s: %ld", staff_paths[i], r.status);
		response_release(&r);
	}
	client_release(&res);

	client_init(&anon);
	assert_int_equal(request(&anon, &srv, "GET", "/api/v1/noise/live", NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	assert_int_equal(request(&anon, &srv, "GET", "/noise/live", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	response_release(&r);

	/* An unknown or archived meter has no display, in either language. */
	assert_int_equal(request(&anon, &srv, "GET", "/noise/display/999999", NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "没有这个监测点"));
	response_release(&r);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/noise/display/999999", NULL, NULL, "Cookie: lang=en", &r),
	    0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "There is no such meter"));
	response_release(&r);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/noise/display/abc/events", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	client_release(&anon);
}

/* class_of: the class the live JSON gives the plaza's meter. */
static void class_of(struct client *c, char *out, size_t n)
{
	struct response r;
	json_t *o, *one;
	size_t i;

	out[0] = '\0';
	assert_int_equal(api(c, &srv, "GET", "/api/v1/noise/live", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	o = parse(&r);
	json_array_foreach (json_object_get(o, "meters"), i, one) {
		if (json_integer_value(json_object_get(one, "id")) == meter_id)
			snprintf(out, n, "%s", json_string_value(json_object_get(one, "class")));
	}
	json_decref(o);
	response_release(&r);
}

/* Red only above the 70 dB cap at 0.1 dB (70.04 is 70.0, near; 70.05 is
 * 70.1, over); near from 3 dB under it (66.95 is 67.0, near; 66.94 is
 * 66.9, fine). Each level is the meter's newest second. */
static void test_red_only_above_the_cap(void **state)
{
	static const struct {
		const char *level, *cls;
	} steps[] = {{"66.94", "ok"}, {"66.95", "near"}, {"70.04", "near"}, {"70.05", "over"}};
	long long t = (long long)time(NULL) + 2;
	struct client staff;
	char cls[16];

	(void)state;
	login_as(&staff, "staff");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		send_seconds(t + (long long)i, 1, steps[i].level);
		class_of(&staff, cls, sizeof(cls));
		if (strcmp(cls, steps[i].cls))
			fail_msg("%s dB against the 70 dB cap: %s, want %s", steps[i].level, cls,
				 steps[i].cls);
	}
	client_release(&staff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup),
	    cmocka_unit_test(test_timetable_now),
	    cmocka_unit_test(test_no_data_then_last_reading),
	    cmocka_unit_test(test_live_page_and_json_show_red),
	    cmocka_unit_test(test_event_stream),
	    cmocka_unit_test(test_public_display),
	    cmocka_unit_test(test_who_may_see),
	    cmocka_unit_test(test_red_only_above_the_cap),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
