/* HTTP tests of events against the real server (SQLite, and PostgreSQL
 * when scripts/test.sh gives one): the wait list promoting the next person
 * when someone cancels and telling them (an account through the inbox, a
 * phone by a text through the area's SMS sender), a second
 * registration refused with nothing changed, 40 registrations racing for
 * 10 places and then 10 cancellations racing for the wait list (never over
 * capacity, no one promoted twice, no one lost), check-in with another
 * event's code or twice refused, phones masked, the public list without
 * names, and the race's punches: unknown codes, a team not started, twice
 * at a checkpoint, the results. Events are placed relative to the real
 * now. */
#include "checks.h"

#include <curl/curl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

static long long small_id; /* capacity 2: the wait list */
static long long big_id;   /* capacity 10: the parallel race for places */
static long long race_id;  /* an orienteering race */

static struct client clients[NDEMO_USERS];
static int signed_in[NDEMO_USERS];
static struct client anon; /* a passer-by on a phone */

static int teardown(void **state)
{
	for (size_t k = 0; k < NDEMO_USERS; k++)
		if (signed_in[k])
			client_release(&clients[k]);
	client_release(&anon);
	return srv_teardown(state);
}

/* call: a JSON request as user ("" for nobody); the status, the answer in r. */
static long call(const char *user, const char *method, const char *path, const char *json,
		 struct response *r)
{
	size_t k = 0;

	if (!*user) {
		assert_int_equal(api(&anon, &srv, method, path, json, r), 0);
		return r->status;
	}
	while (k < NDEMO_USERS && strcmp(demo_users[k], user))
		k++;
	assert_true(k < NDEMO_USERS);
	if (!signed_in[k]) {
		login_as(&clients[k], user);
		signed_in[k] = 1;
	}
	assert_int_equal(api(&clients[k], &srv, method, path, json, r), 0);
	return r->status;
}

static char *expect(const char *user, const char *method, const char *path, const char *json,
		    long want)
{
	struct response r;
	char *out;

	if (call(user, method, path, json, &r) != want)
		fail_msg("%s %s %s: got %ld (%.400s), want %ld", user, method, path, r.status,
			 r.body, want);
	out = strdup(r.body ? r.body : "");
	assert_non_null(out);
	response_release(&r);
	return out;
}

/* create: an event of kind with capacity, open for registration now. */
static long long create(const char *kind, int capacity, const char *extra)
{
	long long now = (long long)time(NULL);
	char json[800], *out;
	long long id;

	snprintf(json, sizeof(json),
		 "{\"kind\":\"%s\",\"title\":\"测试活动 %s %d\",\"place\":\"党群服务站\","
		 "\"starts_at\":%lld,\"ends_at\":%lld,\"capacity\":%d,\"opens_at\":%lld,"
		 "\"closes_at\":%lld%s}",
		 kind, kind, capacity, now + 86400, now + 90000, capacity, now - 3600, now + 80000,
		 extra ? extra : "");
	out = expect("secretary", "POST", "/api/v1/events", json, 201);
	id = json_int(out, "id");
	free(out);
	return id;
}

/* registered: the event's "registered" as the public API says. */
static long long registered(long long id)
{
	char path[64], *out;
	long long n;

	snprintf(path, sizeof(path), "/api/v1/events/%lld", id);
	out = expect("", "GET", path, NULL, 200);
	n = json_int(out, "registered");
	free(out);
	return n;
}

/* reg: a passer-by registers; their code into code (may be NULL). */
static char *reg(long long id, const char *name, const char *phone, long want, char *code)
{
	char path[64], json[200], *out;

	snprintf(path, sizeof(path), "/api/v1/events/%lld/registrations", id);
	snprintf(json, sizeof(json), "{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone);
	out = expect("", "POST", path, json, want);
	if (code)
		json_str(out, "code", code, 16);
	return out;
}

static void test_setup(void **state)
{
	char extra[64], *out;
	long long project;

	(void)state;
	client_init(&anon);
	small_id = create("lecture", 2, NULL);
	big_id = create("game", 10, NULL);
	race_id = create("race", 40, NULL);
	/* An event may carry out a co-building project of the area: one that
	 * exists (the demo's first), not one that does not. */
	out = expect("secretary", "GET", "/api/v1/projects", NULL, 200);
	project = json_int(out, "id");
	free(out);
	snprintf(extra, sizeof(extra), ",\"project_id\":%lld", project);
	assert_true(create("lecture", 5, extra) > 0);
	out = expect("secretary", "POST", "/api/v1/events",
		     "{\"kind\":\"lecture\",\"title\":\"无此项目\",\"starts_at\":4000000000,"
		     "\"ends_at\":4000003600,\"capacity\":5,\"opens_at\":3999000000,"
		     "\"closes_at\":4000000000,\"project_id\":999999999}",
		     422);
	if (!strstr(out, "所选共建项目不存在"))
		fail_msg("an unknown project: %s", out);
	free(out);
	free(expect("member", "POST", "/api/v1/events",
		    "{\"kind\":\"game\",\"title\":\"x\",\"starts_at\":1,\"ends_at\":2,"
		    "\"capacity\":1,\"opens_at\":1,\"closes_at\":2}",
		    403));
}

/* form_at: staff post an urlencoded form to path (with the CSRF token). */
static long form_at(const char *path, const char *body, struct response *r)
{
	char hdr[200];
	size_t k = 1; /* secretary */

	if (!signed_in[k]) {
		login_as(&clients[k], demo_users[k]);
		signed_in[k] = 1;
	}
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", clients[k].csrf);
	assert_int_equal(request(&clients[k], &srv, "POST", path, body,
				 "application/x-www-form-urlencoded", hdr, r),
			 0);
	return r->status;
}

static long form(const char *body, struct response *r)
{
	return form_at("/events/new", body, r);
}

static void test_new_event_form(void **state)
{
	struct response r;
	char body[512];

	(void)state;
	assert_int_equal(form("kind=game&title=&starts=2030-01-05T09:30&ends=2030-01-05T11:00"
			      "&audience=all&capacity=30&opens=2029-12-20T08:00"
			      "&closes=2030-01-05T08:00&organiser=committee",
			      &r),
			 422);
	assert_non_null(strstr(r.body, "请填写活动名称"));
	response_release(&r);
	snprintf(body, sizeof(body),
		 "kind=game&title=%%E5%%9E%%83%%E5%%9C%%BE%%E5%%88%%86%%E7%%B1%%BB&"
		 "starts=2030-01-05T09:30&ends=2030-01-05T11:00&audience=all&capacity=30"
		 "&opens=2029-12-20T08:00&closes=2030-01-05T08:00&organiser=committee");
	assert_int_equal(form(body, &r), 303);
	response_release(&r);
	/* 09:30 in Shanghai is 01:30 UTC */
	sql_query(body, sizeof(body), "SELECT starts_at FROM events WHERE title = '垃圾分类';");
	assert_string_equal(body, "1893807000");
}

static void test_wait_list_promotes_and_tells(void **state)
{
	char a[16], c[16], path[96], json[96], n[32], text[1024], *out;

	(void)state;
	free(reg(small_id, "甲", "13900000001", 201, a));
	out = reg(small_id, "乙", "13900000002", 201, NULL);
	assert_non_null(strstr(out, "\"status\":\"confirmed\""));
	assert_non_null(strstr(out, "\"phone\":\"139****0002\"")); /* masked */
	free(out);
	out = reg(small_id, "丙", "13900000003", 201, c);
	assert_non_null(strstr(out, "\"status\":\"waiting\""));
	assert_int_equal(json_int(out, "waiting_position"), 1);
	free(out);
	/* the resident's account waits second */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/registrations", small_id);
	out = expect("resident", "POST", path, "{\"name\":\"居民\"}", 201);
	assert_int_equal(json_int(out, "waiting_position"), 2);
	free(out);
	assert_int_equal(registered(small_id), 2);
	/* 甲 cancels: 丙 is promoted, the resident still waits; 丙 registered
	 * with a phone only, so the area's SMS sender texts them the news
	 * with their check-in code */
	assert_int_equal(run_cli(&srv, NULL, &out, "sms", "http://127.0.0.1:9/sms", NULL), 0);
	free(out);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/cancel", small_id);
	snprintf(json, sizeof(json), "{\"code\":\"%s\"}", a);
	out = expect("", "POST", path, json, 200);
	assert_int_equal(json_int(out, "promoted"), 1);
	free(out);
	sql_query(text, sizeof(text),
		  "SELECT payload FROM outbox WHERE target = 'http://127.0.0.1:9/sms'"
		  " AND payload LIKE '%events.promoted%';");
	if (!strstr(text, "\"phone\":\"13900000003\"") || !strstr(text, "候补成功") ||
	    !strstr(text, "测试活动 lecture 2") || !strstr(text, c))
		fail_msg("丙's text: %s", text);
	free(expect("", "POST", path, json, 409)); /* cancelled already */
	assert_int_equal(registered(small_id), 2);
	out = expect("resident", "GET", "/api/v1/events/mine", NULL, 200);
	assert_non_null(strstr(out, "\"status\":\"waiting\""));
	assert_int_equal(json_int(out, "waiting_position"), 1);
	free(out);
	/* 丙 cancels: the resident's account is promoted and told */
	snprintf(json, sizeof(json), "{\"code\":\"%s\"}", c);
	free(expect("", "POST", path, json, 200));
	out = expect("resident", "GET", "/api/v1/events/mine", NULL, 200);
	assert_non_null(strstr(out, "\"status\":\"confirmed\""));
	free(out);
	sql_query(n, sizeof(n),
		  "SELECT COUNT(*) FROM inbox i JOIN users u ON u.id = i.user_id"
		  " WHERE u.username = 'resident' AND i.message LIKE 'events.inbox.promoted|%';");
	assert_string_equal(n, "1");
	/* an account hears it in the inbox, not by a second text */
	sql_query(n, sizeof(n),
		  "SELECT COUNT(*) FROM outbox WHERE payload LIKE '%events.promoted%';");
	assert_string_equal(n, "1");
	assert_int_equal(run_cli(&srv, NULL, &out, "sms", "none", NULL), 0);
	free(out);
	assert_int_equal(registered(small_id), 2);
	/* 甲 may register again after cancelling: to the wait list */
	out = reg(small_id, "甲", "13900000001", 201, NULL);
	assert_non_null(strstr(out, "\"status\":\"waiting\""));
	free(out);
}

static void test_double_registration_refused(void **state)
{
	char path[64], *out;

	(void)state;
	out = reg(small_id, "乙", "13900000002", 409, NULL);
	assert_non_null(strstr(out, "已经报过名"));
	free(out);
	assert_int_equal(registered(small_id), 2);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/registrations", small_id);
	free(expect("resident", "POST", path, "{\"name\":\"居民\"}", 409));
	free(reg(small_id, "丁", "12345", 422, NULL));	   /* not a phone */
	free(reg(small_id, "", "13900000009", 422, NULL)); /* no name */
	free(reg(999999, "丁", "13900000009", 404, NULL)); /* no event */
}

/* ---- parallel requests (curl multi) ---- */

struct sink {
	char buf[512];
	size_t n;
};

static size_t sink_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb, room = sizeof(s->buf) - 1 - s->n;

	memcpy(s->buf + s->n, p, n < room ? n : room);
	s->n += n < room ? n : room;
	s->buf[s->n] = '\0';
	return n;
}

/* parallel: POST bodies[i] to path all at once; statuses into status[]. */
static void parallel(const char *path, char **bodies, int n, long *status, struct sink *sinks)
{
	CURLM *m = curl_multi_init();
	CURL **e = calloc((size_t)n, sizeof(*e));
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	char url[256];
	int running = 0;

	assert_non_null(e);
	snprintf(url, sizeof(url), "%s%s", srv.url, path);
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, 64L);
	for (int i = 0; i < n; i++) {
		e[i] = curl_easy_init();
		memset(&sinks[i], 0, sizeof(sinks[i]));
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_POSTFIELDS, bodies[i]);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, sink_write);
		curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &sinks[i]);
		curl_easy_setopt(e[i], CURLOPT_FORBID_REUSE, 1L);
		curl_multi_add_handle(m, e[i]);
	}
	do {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running);
	for (int i = 0; i < n; i++) {
		curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &status[i]);
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	curl_slist_free_all(h);
	curl_multi_cleanup(m);
	free(e);
}

#define RACERS 40

static void test_parallel_registrations_and_cancels(void **state)
{
	char *bodies[RACERS], path[256], codes[RACERS][16], n[32];
	struct sink *sinks = calloc(RACERS, sizeof(*sinks));
	long status[RACERS];
	int confirmed = 0, waiting = 0, cancels = 0;
	char *cancel_bodies[RACERS];

	(void)state;
	assert_non_null(sinks);
	for (int i = 0; i < RACERS; i++) {
		bodies[i] = malloc(96);
		snprintf(bodies[i], 96, "{\"name\":\"并发%d\",\"phone\":\"1370000%04d\"}", i, i);
	}
	snprintf(path, sizeof(path), "/api/v1/events/%lld/registrations", big_id);
	parallel(path, bodies, RACERS, status, sinks);
	for (int i = 0; i < RACERS; i++) {
		if (status[i] != 201)
			fail_msg("registration %d: %ld %s", i, status[i], sinks[i].buf);
		confirmed += strstr(sinks[i].buf, "\"confirmed\"") != NULL;
		waiting += strstr(sinks[i].buf, "\"waiting\"") != NULL;
		json_str(sinks[i].buf, "code", codes[i], sizeof(codes[i]));
	}
	assert_int_equal(confirmed, 10);
	assert_int_equal(waiting, RACERS - 10);
	assert_int_equal(registered(big_id), 10);
	/* every confirmed one cancels at once, and each twice */
	for (int i = 0; i < RACERS; i++)
		if (strstr(sinks[i].buf, "\"confirmed\"") && cancels < RACERS) {
			cancel_bodies[cancels] = malloc(64);
			snprintf(cancel_bodies[cancels], 64, "{\"code\":\"%s\"}", codes[i]);
			cancel_bodies[cancels + 1] = strdup(cancel_bodies[cancels]);
			cancels += 2;
		}
	snprintf(path, sizeof(path), "/api/v1/events/%lld/cancel", big_id);
	parallel(path, cancel_bodies, cancels, status, sinks);
	{
		int ok = 0, refused = 0;
		long long promoted = 0;
		for (int i = 0; i < cancels; i++) {
			ok += status[i] == 200;
			refused += status[i] == 409;
			if (status[i] == 200)
				promoted += json_int(sinks[i].buf, "promoted");
		}
		assert_int_equal(ok, 10);
		assert_int_equal(refused, 10);
		assert_int_equal(promoted, 10);
	}
	assert_int_equal(registered(big_id), 10);
	snprintf(path, sizeof(path),
		 "SELECT COUNT(*) FROM event_registrations WHERE event_id = %lld"
		 " AND status = 'confirmed';",
		 big_id);
	sql_query(n, sizeof(n), path);
	assert_string_equal(n, "10");
	snprintf(path, sizeof(path),
		 "SELECT COUNT(*) FROM event_registrations WHERE event_id = %lld;", big_id);
	sql_query(n, sizeof(n), path);
	assert_string_equal(n, "40"); /* no one lost */
	/* the ones promoted are the first ten who waited: no one twice */
	snprintf(path, sizeof(path),
		 "SELECT COUNT(*) FROM event_registrations WHERE event_id = %lld"
		 " AND promoted_at IS NOT NULL AND status = 'confirmed';",
		 big_id);
	sql_query(n, sizeof(n), path);
	assert_string_equal(n, "10");
	for (int i = 0; i < RACERS; i++)
		free(bodies[i]);
	for (int i = 0; i < cancels; i++)
		free(cancel_bodies[i]);
	free(sinks);
}

static void test_checkin(void **state)
{
	char code[16], other[16], path[96], json[96], *out;

	(void)state;
	free(reg(big_id, "签到人", "13611112222", 201, other)); /* waiting at big */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/attendees", small_id);
	out = expect("volunteer", "GET", path, NULL, 200);
	assert_non_null(strstr(out, "139****0002"));
	assert_null(strstr(out, "13900000002"));
	free(out);
	out = expect("secretary", "GET", path, NULL, 200);
	assert_non_null(strstr(out, "13900000002")); /* people.phone sees it */
	free(out);
	free(expect("resident", "GET", path, NULL, 403));
	out = reg(race_id, "打卡人", "13611113333", 201, code);
	free(out);
	/* another event's code at small: refused */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/checkin", small_id);
	snprintf(json, sizeof(json), "{\"code\":\"%s\"}", code);
	out = expect("volunteer", "POST", path, json, 422);
	assert_non_null(strstr(out, "另一场活动"));
	free(out);
	free(expect("volunteer", "POST", path, "{\"code\":\"ZZZZZZZZ\"}", 404));
	free(expect("resident", "POST", path, json, 403));
	/* at its own event: in, then twice refused */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/checkin", race_id);
	out = expect("volunteer", "POST", path, json, 200);
	assert_non_null(strstr(out, "打卡人"));
	free(out);
	free(expect("volunteer", "POST", path, json, 409));
	/* a waiting registration may not check in */
	snprintf(path, sizeof(path), "/api/v1/events/%lld/checkin", big_id);
	snprintf(json, sizeof(json), "{\"code\":\"%s\"}", other);
	free(expect("volunteer", "POST", path, json, 422));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/walkins", race_id);
	free(expect("volunteer", "POST", path, "{\"name\":\"现场\",\"phone\":\"13611114444\"}",
		    201));
	free(expect("volunteer", "POST", path, "{\"name\":\"\"}", 422));
}

static void test_public_list_has_no_names(void **state)
{
	char *out;

	(void)state;
	out = expect("", "GET", "/api/v1/events", NULL, 200);
	assert_non_null(strstr(out, "\"capacity\":2,"));
	assert_non_null(strstr(out, "\"registered\":10,"));
	assert_null(strstr(out, "并发"));
	assert_null(strstr(out, "1390000"));
	free(out);
}

static void test_race_punches(void **state)
{
	long long now = (long long)time(NULL);
	char path[96], json[160], *out;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/events/%lld/checkpoints", race_id);
	for (int k = 1; k <= 3; k++) {
		snprintf(json, sizeof(json), "{\"code\":\"CP%d\",\"name\":\"点%d\",\"points\":10}",
			 k, k);
		free(expect("secretary", "POST", path, json, 201));
	}
	free(expect("secretary", "POST", path, "{\"code\":\"CP1\",\"name\":\"重复\"}", 409));
	free(expect("secretary", "POST", path, "{\"code\":\"有空格 x\"}", 422));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/teams", race_id);
	snprintf(json, sizeof(json), "{\"code\":\"A\",\"name\":\"甲队\",\"start_at\":%lld}",
		 now - 60);
	free(expect("secretary", "POST", path, json, 201));
	snprintf(json, sizeof(json), "{\"code\":\"B\",\"name\":\"乙队\",\"start_at\":%lld}",
		 now + 3600);
	free(expect("secretary", "POST", path, json, 201));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/punches", race_id);
	out = expect("", "POST", path, "{\"checkpoint\":\"CP9\",\"team\":\"A\"}", 404);
	assert_non_null(strstr(out, "点位编号不对"));
	free(out);
	free(expect("", "POST", path, "{\"checkpoint\":\"CP1\",\"team\":\"Z\"}", 404));
	out = expect("", "POST", path, "{\"checkpoint\":\"CP1\",\"team\":\"B\"}", 422);
	assert_non_null(strstr(out, "还没有出发"));
	free(out);
	free(expect("", "POST", path, "{\"checkpoint\":\"CP1\",\"team\":\"A\"}", 201));
	free(expect("", "POST", path, "{\"checkpoint\":\"CP1\",\"team\":\"A\"}", 409));
	free(expect("", "POST", path, "{\"checkpoint\":\"CP3\",\"team\":\"A\"}", 201));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/results", race_id);
	out = expect("", "GET", path, NULL, 200);
	/* A: 1 and 3 in order, 2 missed; 3 is the last: A has finished */
	assert_non_null(strstr(out, "\"team\":\"甲队\""));
	assert_int_equal(json_int(out, "found"), 2);
	assert_int_equal(json_int(out, "rank"), 1);
	assert_non_null(strstr(out, "[\"ok\",\"missed\",\"ok\"]"));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/punches", race_id);
	out = expect("", "POST", path, "{\"checkpoint\":\"CP2\",\"team\":\"A\"}", 422);
	assert_non_null(strstr(out, "终点"));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/results", small_id);
	free(expect("", "GET", path, NULL, 404)); /* not a race */
}

static void test_race_setup_forms(void **state)
{
	struct response r;
	char path[96], sql[200], out[64];

	(void)state;
	snprintf(path, sizeof(path), "/events/%lld/checkpoints", race_id);
	assert_int_equal(form_at(path, "code=MAP1&name=%E5%9B%BE&points=5&spot=999999", &r), 422);
	assert_non_null(strstr(r.body, "楼栋或场所"));
	response_release(&r);
	/* the first feature that is a building or place of the demo plan */
	assert_int_equal(form_at(path, "code=MAP1&name=x&points=5&spot=", &r), 303);
	response_release(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM race_checkpoints WHERE event_id = %lld AND code = 'MAP1'"
		 " AND lon IS NULL AND seq = 4;",
		 race_id);
	sql_query(out, sizeof(out), sql);
	assert_string_equal(out, "1");
	/* placed on the first building the form offers: on the plan */
	{
		char *page, body[96];
		const char *o;
		snprintf(path, sizeof(path), "/events/%lld/posters", race_id);
		page = expect("secretary", "GET", path, NULL, 200);
		o = strstr(page, "<option value=\"");
		while (o && !(o[15] >= '0' && o[15] <= '9'))
			o = strstr(o + 1, "<option value=\"");
		assert_non_null(o);
		snprintf(body, sizeof(body), "code=MAP2&name=y&points=5&spot=%ld",
			 strtol(o + 15, NULL, 10));
		free(page);
		snprintf(path, sizeof(path), "/events/%lld/checkpoints", race_id);
		assert_int_equal(form_at(path, body, &r), 303);
		response_release(&r);
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM race_checkpoints WHERE event_id = %lld"
			 " AND code = 'MAP2' AND lon IS NOT NULL AND lat IS NOT NULL;",
			 race_id);
		sql_query(out, sizeof(out), sql);
		assert_string_equal(out, "1");
	}
	snprintf(path, sizeof(path), "/events/%lld/teams", race_id);
	assert_int_equal(form_at(path, "code=C&name=%E4%B8%99&start=2030-01-05T09:30", &r), 303);
	response_release(&r);
	assert_int_equal(form_at(path, "code=D&name=x&start=2030-13-05T09:30", &r), 422);
	response_release(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT start_at FROM race_teams WHERE event_id = %lld AND code = 'C';", race_id);
	sql_query(out, sizeof(out), sql);
	assert_string_equal(out, "1893807000");
}

/* events_figure: row key of the events section of the monthly report of
 * month (YYYY-MM): its value. */
static long long events_figure(const char *month, const char *key)
{
	char path[96], needle[48], *out;
	const char *p;
	long long v;

	snprintf(path, sizeof(path), "/api/v1/reports/monthly?month=%s", month);
	out = expect("secretary", "GET", path, NULL, 200);
	p = strstr(out, "\"key\":\"events\"");
	assert_non_null(p);
	snprintf(needle, sizeof(needle), "\"key\":\"%s\"", key);
	p = strstr(p, needle);
	assert_non_null(p);
	v = json_int(p, "value");
	free(out);
	return v;
}

static void test_monthly_report_counts(void **state)
{
	static const char *const keys[] = {"held",     "registered", "attended",
					   "walk_ins", "no_shows",   "ratings"};
	static const long long added[] = {1, 3, 2, 1, 2, 1};
	long long id = create("lecture", 5, NULL), before[6];
	char code[16], path[96], sql[256], json[96], month[32];
	time_t t = time(NULL) + 8 * 3600;
	struct tm tm;
	long long x;

	(void)state;
	gmtime_r(&t, &tm);
	/* the 10th of the month before, 10:00 in Shanghai */
	tm.tm_mon -= 1;
	if (tm.tm_mon < 0)
		tm.tm_mon = 11, tm.tm_year -= 1;
	snprintf(month, sizeof(month), "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
	tm.tm_mday = 10;
	tm.tm_hour = 10;
	tm.tm_min = tm.tm_sec = 0;
	x = (long long)timegm(&tm) - 8 * 3600;
	free(reg(id, "报表一", "13555500001", 201, code));
	free(reg(id, "报表二", "13555500002", 201, NULL));
	free(reg(id, "报表三", "13555500003", 201, NULL));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/checkin", id);
	snprintf(json, sizeof(json), "{\"code\":\"%s\"}", code);
	free(expect("volunteer", "POST", path, json, 200));
	snprintf(path, sizeof(path), "/api/v1/events/%lld/walkins", id);
	free(expect("volunteer", "POST", path, "{\"name\":\"现场一\"}", 201));
	for (int i = 0; i < 6; i++)
		before[i] = events_figure(month, keys[i]);
	/* the lecture took place last month */
	snprintf(sql, sizeof(sql),
		 "UPDATE events SET starts_at = %lld, ends_at = %lld, opens_at = %lld,"
		 " closes_at = %lld WHERE id = %lld;",
		 x, x + 3600, x - 86400, x - 60, id);
	sql_exec(sql);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/feedback", id);
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"rating\":4}", code);
	free(expect("", "POST", path, json, 200));
	snprintf(json, sizeof(json), "{\"code\":\"%s\",\"rating\":6}", code);
	free(expect("", "POST", path, json, 422));
	for (int i = 0; i < 6; i++)
		if (events_figure(month, keys[i]) != before[i] + added[i])
			fail_msg("%s: %lld, want %lld + %lld", keys[i],
				 events_figure(month, keys[i]), before[i], added[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup),
	    cmocka_unit_test(test_new_event_form),
	    cmocka_unit_test(test_wait_list_promotes_and_tells),
	    cmocka_unit_test(test_double_registration_refused),
	    cmocka_unit_test(test_parallel_registrations_and_cancels),
	    cmocka_unit_test(test_checkin),
	    cmocka_unit_test(test_public_list_has_no_names),
	    cmocka_unit_test(test_race_punches),
	    cmocka_unit_test(test_race_setup_forms),
	    cmocka_unit_test(test_monthly_report_counts),
	};
	return cmocka_run_group_tests(tests, srv_setup, teardown);
}
