/* HTTP tests of the square-dance plaza against the real server: a week's
 * staggered timetable is planned, checked and published; a team that is
 * too loud for every zone is reported with the reason; then the plaza's
 * meter sends a loud evening (yesterday, 19:00 Shanghai time, while the
 * timetable has a team dancing in the meter's zone). One noisy evening with
 * a short lull is one alert and one noise case against that team; after a
 * quiet half hour a new loud spell is a second alert, which adds an
 * occurrence to the team's open case instead of opening another. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#define CST 28800

static char yesterday[11]; /* YYYY-MM-DD in Shanghai */
static long long evening;  /* yesterday 19:00 Shanghai, epoch seconds */
static long long east;	   /* the zone 东区 the meter watches */
static char meter_hdr[200];
static long long meter_id;
static long long team_case; /* the kept team's noise case the evening opened */
static long long kept_team; /* the dance team placed every day */

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* call: a JSON request as the secretary; returns the status, body in r. */
static long call(const char *method, const char *path, const char *json, struct response *r)
{
	struct client sec;

	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, method, path, json, r), 0);
	client_release(&sec);
	return r->status;
}

static void test_publish_timetable(void **state)
{
	time_t now = time(NULL), y = now + CST - 86400;
	struct tm tm;
	struct response r;
	char *out = NULL, path[128], body[256], zone[16];
	long long keep = 0, loud = 0;

	(void)state;
	gmtime_r(&y, &tm);
	strftime(yesterday, sizeof(yesterday), "%Y-%m-%d", &tm);
	tm.tm_hour = 19;
	tm.tm_min = tm.tm_sec = 0;
	evening = (long long)timegm(&tm) - CST;

	/* Two-hour slots: 18:00-20:00 and 20:00-22:00. */
	assert_int_equal(run_cli(&srv, NULL, &out, "plaza", "hours", "--slot", "120", NULL), 0);
	assert_non_null(strstr(out, "120"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "plaza", "hours", "--night", "22:00-0600", NULL),
			 2);
	assert_non_null(strstr(out, "HH:MM-HH:MM"));
	free(out);

	/* The demo's first dance team dances every day, wanting 18:00-20:00
	 * in 东区; the second turns its speakers up to 95 dB(A) at 10 m; the
	 * rest stay home this week. */
	if (call("GET", "/api/v1/plaza_zones?q=%E4%B8%9C%E5%8C%BA", NULL, &r) != 200)
		fail_msg("zones: %ld %s", r.status, r.body);
	east = json_int(r.body, "id");
	response_release(&r);
	assert_int_equal(call("GET", "/api/v1/dance_teams?per_page=50", NULL, &r), 200);
	{
		const char *p = r.body;
		int k = 0;
		long long ids[16];
		while ((p = strstr(p, "{\"id\":")) && k < 16) {
			ids[k++] = atoll(p + 6);
			p += 6;
		}
		response_release(&r);
		assert_true(k >= 3);
		keep = ids[0];
		loud = ids[1];
		kept_team = keep;
		for (int i = 2; i < k; i++) {
			snprintf(path, sizeof(path), "/api/v1/dance_teams/%lld", ids[i]);
			assert_int_equal(call("DELETE", path, NULL, &r), 200);
			response_release(&r);
		}
	}
	snprintf(path, sizeof(path), "/api/v1/dance_teams/%lld", keep);
	snprintf(
	    body, sizeof(body),
	    "{\"sessions_per_week\":7,\"days\":\"1234567\",\"preferred_times\":\"18:00-20:00\","
	    "\"preferred_zone_id\":%lld}",
	    east);
	if (call("PATCH", path, body, &r) != 200)
		fail_msg("patch team: %s", r.body);
	response_release(&r);
	/* A bad period is refused with the field named, nothing changed. */
	assert_int_equal(call("PATCH", path, "{\"preferred_times\":\"20:00-19:00\"}", &r), 422);
	assert_non_null(strstr(r.body, "希望的时段"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/dance_teams/%lld", loud);
	assert_int_equal(call("PATCH", path, "{\"agreed_10m_centi\":\"95.00\"}", &r), 200);
	response_release(&r);

	assert_int_equal(run_cli(&srv, NULL, &out, "schedule", "publish", "--week", yesterday,
				 "--time-limit", "20", NULL),
			 0);
	/* 7 sessions placed of 7 + the loud team's wish. */
	if (!strstr(out, "7/"))
		fail_msg("publish: %s", out);
	free(out);

	snprintf(path, sizeof(path), "/api/v1/schedule?week=%s", yesterday);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	/* Seven sessions of the kept team, all in 东区 from 18:00. */
	assert_int_equal(count(r.body, "\"start\":\"18:00\""), 7);
	assert_int_equal(count(r.body, "\"zone\":\"东区\""), 7);
	assert_int_equal(count(r.body, "\"team\":\"五月花晨光舞蹈队\""), 7);
	/* The loud team is reported, with the façade it would break. */
	assert_non_null(strstr(r.body, "\"unplaced\":[{"));
	assert_non_null(strstr(r.body, "普善夕阳红舞蹈队"));
	assert_non_null(strstr(r.body, "立面"));
	json_str(r.body, "zone", zone, sizeof(zone));
	response_release(&r);

	/* The notice-board page shows the week; a resident may not see it. */
	{
		struct client c;
		snprintf(path, sizeof(path), "/schedule?week=%s", yesterday);
		login_as(&c, "secretary");
		assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "五月花晨光舞蹈队"));
		assert_non_null(strstr(r.body, "已通过独立校核"));
		assert_non_null(strstr(r.body, "<svg"));
		response_release(&r);
		client_release(&c);
		login_as(&c, "resident");
		assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 403);
		response_release(&r);
		client_release(&c);
	}
}

/* page: a GET as the secretary; the status, the body in r. */
static long page(const char *path, struct response *r)
{
	struct client c;

	login_as(&c, "secretary");
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, r), 0);
	client_release(&c);
	return r->status;
}

/* The notice for the board (/schedule/notice) gives the week, the teams
 * and times, each zone's volume cap, the night's start, the committee
 * (its address and phone from its profile) and a QR code of the plaza's
 * public display, and none of the planner's figures: no margins, solver, distances, formulas or
 * compliance. The timetable's print button is served by the script (the CSP blocks inline
 * handlers). A team-week no meter heard reads "未测量", not "0 分钟超限":
 * as many such cells as the API has weeks with nothing measured. */
static void test_notice_and_unmeasured(void **state)
{
	static const char *const planner[] = {
	    "已通过独立校核", "敏感点最小余量", "求解", "分钟超限", "守规", "lg(",
	    "距离",	      "黄金时段",
	};
	struct response r;
	char path[128];
	int unmeasured = 0, zero_over = 0;

	(void)state;
	snprintf(path, sizeof(path), "/schedule/notice?week=%s", yesterday);
	assert_int_equal(page(path, &r), 200);
	assert_int_equal(count(r.body, "五月花晨光舞蹈队"), 7 + 7); /* the table and the day tabs */
	assert_non_null(strstr(r.body, "普善居民区居民委员会"));
	/* how to reach it, as the committee's profile says */
	assert_non_null(strstr(r.body, "<p>电话：<strong>021-56330000</strong></p>"));
	assert_non_null(strstr(r.body, "<p>地址：静安区芷江西路街道普善路 88 弄"));
	assert_non_null(strstr(r.body, "<b>东区</b> 音量不超过 <strong>70 dB(A)</strong>"));
	assert_non_null(strstr(r.body, "22:00 以后请停止音乐"));
	assert_non_null(strstr(r.body, "aria-label=\"扫码查看广场此刻的音量\""));
	assert_non_null(strstr(r.body, "/noise/display/"));
	assert_non_null(strstr(r.body, "data-print hidden"));
	for (size_t i = 0; i < sizeof(planner) / sizeof(*planner); i++)
		if (strstr(r.body, planner[i]))
			fail_msg("the notice shows \"%s\"", planner[i]);
	response_release(&r);
	/* A bad week is refused, as on /schedule. */
	assert_int_equal(page("/schedule/notice?week=2026-13-01", &r), 400);
	assert_non_null(strstr(r.body, "YYYY-MM-DD"));
	response_release(&r);

	snprintf(path, sizeof(path), "/schedule?week=%s", yesterday);
	assert_int_equal(page(path, &r), 200);
	assert_null(strstr(r.body, "onclick"));
	assert_non_null(strstr(r.body, "data-print hidden>打印</button>"));
	assert_non_null(strstr(r.body, "href=\"/schedule/notice?week="));
	/* Seven day tabs, one open. */
	assert_int_equal(count(r.body, "class=\"day-radio\""), 7);
	assert_int_equal(count(r.body, "class=\"day-radio\" aria-label=\"周"), 7);
	assert_int_equal(count(r.body, " checked>"), 1);
	{
		struct response j;
		snprintf(path, sizeof(path), "/api/v1/schedule/compliance?week=%s", yesterday);
		assert_int_equal(call("GET", path, NULL, &j), 200);
		for (const char *q = j.body; (q = strstr(q, "\"measured\":")); q++) {
			if (atoll(q + 11) == 0)
				unmeasured++;
			else if (atoll(strstr(q, "\"minutes_over\":") + 15) == 0)
				zero_over++;
		}
		response_release(&j);
	}
	assert_true(unmeasured > 0);
	assert_int_equal(count(r.body, "<td class=\"unmeasured\">未测量<br><small>0/"), unmeasured);
	assert_int_equal(count(r.body, "<b>0</b> 分钟超限"), zero_over);
	response_release(&r);
}

/* pref_slots_of: the exported instance's preferred slots of the kept
 * team ("[0]"), for yesterday's week. */
static void pref_slots_of(char *out, size_t n)
{
	char *json = NULL;
	const char *p;

	assert_int_equal(
	    run_cli(&srv, NULL, &json, "schedule", "export", "--json", "--week", yesterday, NULL),
	    0);
	p = strstr(json, "\"name\": \"五月花晨光舞蹈队\"");
	if (!p || !(p = strstr(p, "\"pref_slots\": ")))
		fail_msg("export: %s", json);
	p += strlen("\"pref_slots\": ");
	snprintf(out, n, "%.*s", (int)strcspn(p, "]") + 1, p);
	free(json);
}

/* A team's preferred period holds a slot that ends exactly where the
 * period does (18:00-20:00 holds the slot 18:00-20:00), not one that ends
 * a minute later; and a zone allowing 18:00-21:30 does not allow
 * 20:00-22:00. */
static void test_preferred_period_edges(void **state)
{
	struct response r;
	char path[96], got[32];
	static const struct {
		const char *period, *slots;
	} cases[] = {
	    {"18:00-20:00", "[0]"}, {"18:00-19:59", "[]"},     {"18:01-20:00", "[]"},
	    {"17:59-20:01", "[0]"}, {"18:00-22:00", "[0, 1]"}, {"18:00-20:00", "[0]"},
	};

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/dance_teams/%lld", kept_team);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[96];
		snprintf(body, sizeof(body), "{\"preferred_times\":\"%s\"}", cases[i].period);
		if (call("PATCH", path, body, &r) != 200)
			fail_msg("patch %s: %s", cases[i].period, r.body);
		response_release(&r);
		pref_slots_of(got, sizeof(got));
		if (strcmp(got, cases[i].slots))
			fail_msg("preferring %s: slots %s, want %s", cases[i].period, got,
				 cases[i].slots);
	}
	{
		char *json = NULL;
		assert_int_equal(run_cli(&srv, NULL, &json, "schedule", "export", "--json",
					 "--week", yesterday, NULL),
				 0);
		if (!strstr(json, "{\"name\": \"东区\"") ||
		    !strstr(strstr(json, "{\"name\": \"东区\""), "\"open_slots\": [0]}"))
			fail_msg("export: %s", json);
		free(json);
	}
}

/* batch: seconds [t, t+n) at level db from the plaza's meter. */
static void batch(long long t, int n, const char *db, int stored)
{
	struct client c;
	struct response r;
	size_t cap = (size_t)n * 48 + 64, len;
	char *body = malloc(cap);

	assert_non_null(body);
	len = (size_t)snprintf(body, cap, "{\"readings\":[");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(body + len, cap - len, "%s{\"t\":%lld,\"laeq\":%s}",
					i ? "," : "", t + i, db);
	snprintf(body + len, cap - len, "]}");
	client_init(&c);
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/noise/readings", body,
				 "application/json", meter_hdr, &r),
			 0);
	if (r.status != 200)
		fail_msg("readings: %ld %s", r.status, r.body);
	assert_int_equal(json_int(r.body, "stored"), stored);
	response_release(&r);
	client_release(&c);
	free(body);
}

static void alerts(struct response *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/noise/alerts?meter=%lld", meter_id);
	assert_int_equal(call("GET", path, NULL, r), 200);
}

static void test_loud_evening_is_one_alert_and_one_case(void **state)
{
	struct response r;
	char *out = NULL, path[96], body[96];
	long long tok, case_id;

	(void)state;
	/* The plaza's meter gets a token of its own. */
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "plaza-meter", "--role", "meter", NULL), 0);
	snprintf(meter_hdr, sizeof(meter_hdr), "Authorization: Bearer %.*s",
		 (int)strcspn(out, "\n"), out);
	tok = atoll(strstr(out, "Token ") + 6);
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meters?zone_id=%lld", east);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	meter_id = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/meters/%lld", meter_id);
	snprintf(body, sizeof(body), "{\"token_id\":%lld}", tok);
	assert_int_equal(call("PATCH", path, body, &r), 200);
	response_release(&r);

	/* 19:00-19:06 loud (80 dB against a 70 dB cap), two quieter minutes,
	 * one more loud minute: one evening, one alert. */
	batch(evening, 360, "80", 360);
	batch(evening + 360, 120, "60", 120);
	batch(evening + 480, 60, "80", 60);
	alerts(&r);
	assert_int_equal(count(r.body, "\"id\":"), 1);
	/* Opened when five minutes' LAeq first had half its seconds and was
	 * over: the 150th second. */
	assert_int_equal(json_int(r.body, "opened_t"), evening + 149);
	assert_non_null(strstr(r.body, "\"closed_t\":null"));
	assert_non_null(strstr(r.body, "\"teams\":\"五月花晨光舞蹈队\""));
	assert_non_null(strstr(r.body, "\"peak\":80"));
	case_id = json_int(r.body, "case_id");
	response_release(&r);

	/* Resending the evening stores nothing and raises nothing. */
	batch(evening, 360, "80", 0);
	alerts(&r);
	assert_int_equal(count(r.body, "\"id\":"), 1);
	response_release(&r);

	/* The case is a noise case about that team, from the meter. */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case_id);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, "五月花晨光舞蹈队"));
	assert_non_null(strstr(r.body, "\"channel\":\"meter\""));
	assert_int_equal(json_int(r.body, "recurrences"), 0);
	/* Its text says from when the level was over which limit, not a
	 * "measured" level that is only the first second over the limit. */
	assert_null(strstr(r.body, "测得"));
	/* ... named in words, not by the rule's code. */
	assert_non_null(strstr(r.body, "起超过场地音量上限 70.0 dB(A)"));
	assert_null(strstr(r.body, "laeq_cap"));
	response_release(&r);
	/* The case page shows the alert's peak (80, not the limit) and how
	 * long it was loud: 19:02:29 to 19:08:59, 7 minutes, still open. */
	{
		struct client staff;
		login_as(&staff, "staff");
		snprintf(path, sizeof(path), "/cases/%lld", case_id);
		assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		if (!strstr(r.body, "峰值 <b class=\"peak\">80.0 dB(A)</b>") ||
		    !strstr(r.body, "(7 分钟)") || !strstr(r.body, "仍在超限"))
			fail_msg("alert on the case page: %s", strstr(r.body, "噪声告警记录"));
		response_release(&r);
		client_release(&staff);
	}

	/* Quiet from 19:09 to 19:45 (more than the rule's half hour), then
	 * loud again: the first alert ended half an hour after its last loud
	 * second, a second alert opens and the team's open case gets an
	 * occurrence rather than a twin. */
	batch(evening + 2700, 300, "80", 300);
	alerts(&r);
	assert_int_equal(count(r.body, "\"id\":"), 2);
	assert_int_equal(count(r.body, "\"closed_t\":null"), 1);
	{
		char closed[32];
		snprintf(closed, sizeof(closed), "\"closed_t\":%lld", evening + 539 + 1800);
		if (!strstr(r.body, closed))
			fail_msg("first alert's end: %s", r.body);
	}
	assert_int_equal(count(r.body, "\"case_id\":null"), 0);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case_id);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "recurrences"), 1);
	response_release(&r);
	team_case = case_id;
	/* The handlers (the noise category's team) hear that it happened
	 * again, once, in the same transaction as the occurrence. */
	{
		char sql[160], got[32];
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM inbox WHERE case_id = %lld"
			 " AND message = 'noise.inbox.again';",
			 case_id);
		sql_query(got, sizeof(got), sql);
		assert_string_equal(got, "1");
	}

	/* Compliance: the team's sessions of yesterday's week count minutes over. */
	snprintf(path, sizeof(path), "/api/v1/schedule/compliance?week=%s", yesterday);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	/* 19:00-19:05 (6), 19:08 (1), 19:45-19:49 (5) minutes above 70. */
	assert_int_equal(json_int(r.body, "minutes_over"), 12);
	response_release(&r);
}

/* ---- alerts, schedule and compliance at their edges ---- */

/* A reading to send: laeq and lmax in hundredths (lmax < 0: none). */
struct sec {
	long long t;
	int laeq, lmax;
};

/* add_run: n seconds from t at laeq (and lmax) into v. */
static size_t add_run(struct sec *v, size_t k, long long t, int n, int laeq, int lmax)
{
	for (int i = 0; i < n; i++)
		v[k++] = (struct sec){t + i, laeq, lmax};
	return k;
}

/* send_secs: the meter of hdr sends v[0..n) as one batch; all stored. */
static void send_secs(const char *hdr, const struct sec *v, size_t n)
{
	struct client c;
	struct response r;
	size_t cap = n * 64 + 64, len;
	char *body = malloc(cap);

	assert_non_null(body);
	len = (size_t)snprintf(body, cap, "{\"readings\":[");
	for (size_t i = 0; i < n; i++) {
		len += (size_t)snprintf(body + len, cap - len, "%s{\"t\":%lld,\"laeq\":%d.%02d",
					i ? "," : "", v[i].t, v[i].laeq / 100, v[i].laeq % 100);
		if (v[i].lmax >= 0)
			len += (size_t)snprintf(body + len, cap - len, ",\"lmax\":%d.%02d",
						v[i].lmax / 100, v[i].lmax % 100);
		len += (size_t)snprintf(body + len, cap - len, "}");
	}
	snprintf(body + len, cap - len, "]}");
	client_init(&c);
	assert_int_equal(
	    request(&c, &srv, "POST", "/api/v1/noise/readings", body, "application/json", hdr, &r),
	    0);
	if (r.status != 200)
		fail_msg("readings: %ld %s", r.status, r.body);
	assert_int_equal(json_int(r.body, "stored"), (long long)n);
	response_release(&r);
	client_release(&c);
	free(body);
}

/* new_meter: a meter NAME of zone class CLASS (in zone, unless 0) bound to
 * a new meter token, whose header goes into hdr; its id returned. */
static long long new_meter(const char *name, const char *cls, long long zone, char *hdr, size_t n)
{
	struct response r;
	char *out = NULL, body[256];
	long long tok, id;

	assert_int_equal(run_cli(&srv, NULL, &out, "token", "add", name, "--role", "meter", NULL),
			 0);
	snprintf(hdr, n, "Authorization: Bearer %.*s", (int)strcspn(out, "\n"), out);
	tok = atoll(strstr(out, "Token ") + 6);
	free(out);
	if (zone)
		snprintf(
		    body, sizeof(body),
		    "{\"name\":\"%s\",\"zone_class\":\"%s\",\"token_id\":%lld,\"zone_id\":%lld}",
		    name, cls, tok, zone);
	else
		snprintf(body, sizeof(body),
			 "{\"name\":\"%s\",\"zone_class\":\"%s\",\"token_id\":%lld}", name, cls,
			 tok);
	if (call("POST", "/api/v1/meters", body, &r) != 201)
		fail_msg("meter: %ld %s", r.status, r.body);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

/* new_rule: an alert rule of kind for one meter, a window of one second,
 * no case filed. */
static void new_rule(const char *name, long long meter, const char *kind, int clear, int quiet)
{
	struct response r;
	char body[300];

	snprintf(body, sizeof(body),
		 "{\"name\":\"%s\",\"meter_id\":%lld,\"kind\":\"%s\",\"window_s\":1,"
		 "\"margin_centi\":0,\"clear_centi\":%d,\"quiet_s\":%d,\"open_case\":false}",
		 name, meter, kind, clear, quiet);
	if (call("POST", "/api/v1/noise_alert_rules", body, &r) != 201)
		fail_msg("rule: %ld %s", r.status, r.body);
	response_release(&r);
}

/* field: the value after "key": inside [p, end) into out (quotes of a
 * string dropped), or "" when absent. */
static void field(const char *p, const char *end, const char *key, char *out, size_t n)
{
	char k[40];
	const char *v;
	size_t len;

	snprintf(k, sizeof(k), "\"%s\":", key);
	out[0] = '\0';
	for (v = p; (v = strstr(v, k)) && v < end; v++) {
		v += strlen(k);
		if (*v == '"') {
			const char *q = strchr(v + 1, '"');
			len = (size_t)(q - v - 1);
			v++;
		} else {
			len = strcspn(v, ",}");
		}
		snprintf(out, n, "%.*s", (int)len, v);
		return;
	}
}

/* alerts_of: the meter's alerts as "opened_t-closed_t kind|teams" lines,
 * oldest first (the API lists the newest first). */
static void alerts_of(long long meter, char *out, size_t n)
{
	struct response r;
	char path[96], lines[32][200];
	const char *p;
	int k = 0;
	size_t len = 0;

	snprintf(path, sizeof(path), "/api/v1/noise/alerts?meter=%lld", meter);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	p = strstr(r.body, "\"alerts\":[");
	assert_non_null(p);
	while ((p = strchr(p, '{')) && k < 32) {
		const char *end = strchr(p, '}');
		char opened[24], closed[24], kind[24], teams[100];
		assert_non_null(end);
		field(p, end, "opened_t", opened, sizeof(opened));
		field(p, end, "closed_t", closed, sizeof(closed));
		field(p, end, "kind", kind, sizeof(kind));
		field(p, end, "teams", teams, sizeof(teams));
		snprintf(lines[k++], sizeof(lines[0]), "%s-%s %s|%s\n", opened,
			 strcmp(closed, "null") ? closed : "-1", kind, teams);
		p = end;
	}
	response_release(&r);
	out[0] = '\0';
	while (k-- > 0)
		len += (size_t)snprintf(out + len, n - len, "%s", lines[k]);
}

/* days_ago: 00:00 Shanghai time of the date n days before today, and
 * that date. */
static long long days_ago(int n, char date[11])
{
	time_t t = time(NULL) + CST - (time_t)n * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(date, 11, "%Y-%m-%d", &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return (long long)timegm(&tm) - CST;
}

/* A class 1 meter with two rules of its own: laeq_limit (a clear margin
 * of 3 dB, quiet 60 s) and lmax_night (no margin, quiet 60 s). Each edge
 * one second before, at and after: the threshold, the clear margin, the
 * quiet time, and the night from 22:00 to 06:00 in Shanghai time. */
static void test_alert_edges(void **state)
{
	static struct sec v[1000];
	char hdr[200], date[11], got[2048], want[2048];
	long long m, d = days_ago(3, date), b = d + 10 * 3600, n22 = d + 22 * 3600,
		     n06 = d + 30 * 3600;
	size_t k = 0;

	(void)state;
	m = new_meter("告警边界分贝仪", "1", 0, hdr, sizeof(hdr));
	new_rule("边界：超标（1 秒）", m, "laeq_limit", 300, 60);
	new_rule("边界：夜间突发", m, "lmax_night", 0, 60);

	/* By day (limit 55): 55.00 is not over, 55.01 is. 52.01 is within the
	 * clear margin (loud), 52.00 is quiet. */
	k = add_run(v, k, b, 5, 5500, -1);
	k = add_run(v, k, b + 5, 1, 5501, -1);	  /* opens the first alert */
	k = add_run(v, k, b + 6, 100, 5201, -1);  /* still loud: last loud b+105 */
	k = add_run(v, k, b + 106, 59, 5200, -1); /* quiet ... */
	k = add_run(v, k, b + 165, 1, 5501, -1);  /* 60 s quiet: closed, a new one */
	k = add_run(v, k, b + 166, 58, 5200, -1); /* quiet ... */
	k = add_run(v, k, b + 224, 1, 5501, -1);  /* after 59 s: the same alert */
	k = add_run(v, k, b + 225, 60, 5200, -1); /* 60 s quiet: closed at b+284 */
	k = add_run(v, k, b + 285, 1, 5501, -1);  /* a third */
	k = add_run(v, k, b + 286, 15, 5200, -1); /* closes when next heard */
	/* 21:58-21:59:59 is day: a maximum of 90 raises nothing, 50 is within
	 * 55. 22:00:00 is night: LAeq 45.01 over 45, maximum 60.01 over 60. */
	k = add_run(v, k, n22 - 120, 120, 5000, 9000);
	k = add_run(v, k, n22, 1, 4501, 6001);
	k = add_run(v, k, n22 + 1, 119, 4000, 6000);
	/* 05:58: a maximum of exactly 60.00 is allowed; 05:59:59 at 60.01 is
	 * over; from 06:00:00 it is day again and 90 raises nothing. */
	k = add_run(v, k, n06 - 120, 60, 4000, 6000);
	k = add_run(v, k, n06 - 1, 1, 4000, 6001);
	k = add_run(v, k, n06, 120, 4000, 9000);
	send_secs(hdr, v, k);

	alerts_of(m, got, sizeof(got));
	snprintf(want, sizeof(want),
		 "%lld-%lld laeq_limit|\n%lld-%lld laeq_limit|\n%lld-%lld laeq_limit|\n"
		 "%lld-%lld laeq_limit|\n%lld-%lld lmax_night|\n%lld-%lld lmax_night|\n",
		 b + 5, b + 165, b + 165, b + 284, b + 285, b + 345, n22, n22 + 60, n22, n22 + 60,
		 n06 - 1, n06 + 59);
	/* Same opening second: the laeq rule's alert comes first (its id). */
	if (strcmp(got, want))
		fail_msg("alerts on %s:\n%s\nwant\n%s", date, got, want);
}

/* Three meters in 东区 (cap 70), each with a laeq_cap rule of its own,
 * yesterday around the kept team's session 18:00-20:00: an alert opened
 * from 18:00:00 to 19:59:59 names the team, one at 17:59:59 or from
 * 20:00:00 on does not (one meter per second either side, since a meter's
 * alert stays open a minute). The week's compliance counts the clock
 * minutes of the session whose energetic mean is above 70.00, 70.00
 * itself not, and each session once however many meters watch its zone:
 * a second any meter measured counts once, a minute over at any meter
 * counts once. */
static void test_session_edges_and_compliance(void **state)
{
	static struct sec v[400];
	static const char *const names[] = {"东区边界甲", "东区边界乙", "东区边界丙"};
	static const char *const team = "五月花晨光舞蹈队";
	struct response r;
	char hdr[3][200], got[2048], want[2048], path[128];
	long long m[3], day = evening - 19 * 3600, six = day + 18 * 3600, eight = day + 20 * 3600;
	long long over[2] = {0, 0}, secs[2] = {0, 0}, sessions[2] = {0, 0}, measured[2] = {0, 0};

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/schedule/compliance?week=%s", yesterday);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			for (int i = 0; i < 3; i++) {
				size_t k = 0;
				char rule[64];
				m[i] = new_meter(names[i], "2", east, hdr[i], sizeof(hdr[i]));
				snprintf(rule, sizeof(rule), "%s上限", names[i]);
				new_rule(rule, m[i], "laeq_cap", 0, 60);
				/* Meter i: one loud second at 17:59:59 + i and at
				 * 19:59:59 + i, each followed by a quiet minute. */
				k = add_run(v, k, six - 1 + i, 1, 8000, -1);
				k = add_run(v, k, six + i, 60, 6000, -1);
				if (i == 0) {
					/* 18:30 at 70.00; 18:31 at 70.01; 18:32 half
					 * at 80, half at 50: 77.0, not 65. */
					k = add_run(v, k, six + 1800, 60, 7000, -1);
					k = add_run(v, k, six + 1860, 60, 7001, -1);
					k = add_run(v, k, six + 1920, 30, 8000, -1);
					k = add_run(v, k, six + 1950, 30, 5000, -1);
				}
				/* 19:08 at 80 at the third meter, as at the plaza's
				 * own: one minute over, counted once. */
				if (i == 2)
					k = add_run(v, k, six + 4080, 60, 8000, -1);
				k = add_run(v, k, eight - 1 + i, 1, 8000, -1);
				k = add_run(v, k, eight + i, 60, 6000, -1);
				send_secs(hdr[i], v, k);
			}
		}
		assert_int_equal(call("GET", path, NULL, &r), 200);
		/* Only the kept team has sessions that week. */
		if (!strstr(r.body, team))
			fail_msg("compliance: %s", r.body);
		for (const char *q = r.body; (q = strstr(q, "\"minutes_over\":")); q++)
			over[pass] += atoll(q + 15);
		for (const char *q = r.body; (q = strstr(q, "\"seconds\":")); q++)
			secs[pass] += atoll(q + 10);
		for (const char *q = r.body; (q = strstr(q, "\"sessions\":")); q++)
			sessions[pass] += atoll(q + 11);
		for (const char *q = r.body; (q = strstr(q, "\"measured\":")); q++)
			measured[pass] += atoll(q + 11);
		response_release(&r);
	}
	/* Over: 18:31, 18:32 and 19:59 (19:59:59 alone at 80) of the first
	 * meter; 18:00 is not (one second at 80 and the rest at 60: 64.2).
	 * Seconds of [18:00, 20:00): 60 + 180 + 1 of the first meter; the
	 * others add only 18:01:00 and 18:01:01, the rest they share. The
	 * session was measured already (the plaza's meter at 19:00): three
	 * more meters make no more sessions and no more measured ones. */
	assert_int_equal(over[1] - over[0], 3);
	assert_int_equal(secs[1] - secs[0], 241 + 1 + 1);
	assert_true(sessions[0] > 0);
	assert_int_equal(sessions[1], sessions[0]);
	assert_int_equal(measured[1], measured[0]);

	for (int i = 0; i < 3; i++) {
		alerts_of(m[i], got, sizeof(got));
		if (i == 0)
			snprintf(want, sizeof(want),
				 "%lld-%lld laeq_cap|\n%lld-%lld laeq_cap|%s\n"
				 "%lld-%lld laeq_cap|%s\n",
				 six - 1, six + 59, six + 1860, six + 1949 + 60, team, eight - 1,
				 eight + 59, team);
		else if (i == 1)
			snprintf(want, sizeof(want), "%lld-%lld laeq_cap|%s\n%lld-%lld laeq_cap|\n",
				 six - 1 + i, six + 59 + i, team, eight - 1 + i, eight + 59 + i);
		else
			snprintf(want, sizeof(want),
				 "%lld-%lld laeq_cap|%s\n%lld-%lld laeq_cap|%s\n"
				 "%lld-%lld laeq_cap|\n",
				 six - 1 + i, six + 59 + i, team, six + 4080, six + 4139 + 60, team,
				 eight - 1 + i, eight + 59 + i);
		if (strcmp(got, want))
			fail_msg("alerts of %s:\n%s\nwant\n%s", names[i], got, want);
	}

	/* The meters leave the zone, so its compliance is its own again. */
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "/api/v1/meters/%lld", m[i]);
		assert_int_equal(call("DELETE", path, NULL, &r), 200);
		response_release(&r);
	}
}

/* A finished case gets no occurrence: once the team's case from the loud
 * evening is resolved, the next alert about the team (a meter of its own
 * in 东区, yesterday 18:10, a rule that files cases) opens a new case. */
static void test_resolved_case_gets_a_new_one(void **state)
{
	static const char *const steps[] = {"{\"action\":\"accept\"}",
					    "{\"action\":\"assign\",\"handler_team_id\":1}",
					    "{\"action\":\"resolve\",\"note\":\"队长已调低音量\"}"};
	static struct sec v[200];
	struct response r;
	char hdr[200], path[128], body[300], sql[200], n[32];
	long long m, ten = evening - 3000; /* yesterday 18:10 */
	size_t k = 0;

	(void)state;
	assert_true(team_case > 0);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", team_case);
	if (call("POST", path, steps[0], &r) != 200)
		fail_msg("accept: %s", r.body);
	response_release(&r);
	/* The dance team is never the handler of its own noise case: not in
	 * the assign form's list, and refused when sent anyway. */
	{
		struct client staff;
		char page[64], option[64], refused[96];
		long long subject;
		snprintf(page, sizeof(page), "/api/v1/cases/%lld", team_case);
		assert_int_equal(call("GET", page, NULL, &r), 200);
		subject = json_int(r.body, "subject_team_id");
		response_release(&r);
		login_as(&staff, "staff");
		snprintf(page, sizeof(page), "/cases/%lld", team_case);
		assert_int_equal(request(&staff, &srv, "GET", page, NULL, NULL, NULL, &r), 0);
		assert_non_null(strstr(r.body, "name=\"handler_team_id\""));
		snprintf(option, sizeof(option), "<option value=\"%lld\"", subject);
		assert_null(strstr(r.body, option));
		snprintf(option, sizeof(option), "<option value=\"%lld\"", subject + 1);
		assert_non_null(strstr(r.body, option)); /* the next team is offered */
		response_release(&r);
		client_release(&staff);
		snprintf(refused, sizeof(refused),
			 "{\"action\":\"assign\",\"handler_team_id\":%lld}", subject);
		assert_int_equal(call("POST", path, refused, &r), 422);
		assert_non_null(strstr(r.body, "被反映的队伍不能承办"));
		response_release(&r);
	}
	for (size_t i = 1; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if (call("POST", path, steps[i], &r) != 200)
			fail_msg("%s: %s", steps[i], r.body);
		response_release(&r);
	}
	m = new_meter("东区复查", "2", east, hdr, sizeof(hdr));
	snprintf(body, sizeof(body),
		 "{\"name\":\"东区复查上限\",\"meter_id\":%lld,\"kind\":\"laeq_cap\","
		 "\"window_s\":1,\"margin_centi\":0,\"clear_centi\":0,\"quiet_s\":60,"
		 "\"open_case\":true}",
		 m);
	if (call("POST", "/api/v1/noise_alert_rules", body, &r) != 201)
		fail_msg("rule: %ld %s", r.status, r.body);
	response_release(&r);
	k = add_run(v, k, ten, 60, 8000, -1);
	k = add_run(v, k, ten + 60, 90, 6000, -1);
	send_secs(hdr, v, k);

	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM noise_alerts WHERE meter_id = %lld AND case_id IS NOT NULL"
		 " AND case_id <> %lld AND teams = '五月花晨光舞蹈队';",
		 m, team_case);
	sql_query(n, sizeof(n), sql);
	assert_string_equal(n, "1");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", team_case);
	assert_int_equal(call("GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "recurrences"), 1);
	assert_non_null(strstr(r.body, "\"state\":\"resolved\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/meters/%lld", m);
	assert_int_equal(call("DELETE", path, NULL, &r), 200);
	response_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_publish_timetable),
	    cmocka_unit_test(test_notice_and_unmeasured),
	    cmocka_unit_test(test_preferred_period_edges),
	    cmocka_unit_test(test_loud_evening_is_one_alert_and_one_case),
	    cmocka_unit_test(test_alert_edges),
	    cmocka_unit_test(test_session_edges_and_compliance),
	    cmocka_unit_test(test_resolved_case_gets_a_new_one),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
