/* HTTP tests of the long-lived live streams against the real server: a
 * thousand plaza displays hold their event streams open and cost no
 * requests while they do (the route's count in /metrics stays at the
 * thousand that opened them), and a reading sent by the meter reaches
 * every one of them within a second (the server polls only every 5 s
 * here, so it came by notification); the staff's live page's stream
 * carries the new level and the alert it opened; a second server on the
 * same database shows a reading sent to the first (PostgreSQL: heard
 * through LISTEN/NOTIFY, and by polling while its listener is cut off;
 * SQLite: by polling); past stream_max a stream is refused with 503, a
 * reason in the reader's language and Retry-After; and a server told to
 * stop ends every stream cleanly and exits. */
#include "checks.h"

#include <curl/curl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define NSTREAMS 1000

static char meter_hdr[200]; /* Authorization header of the plaza meter's token */
static long long meter_id;  /* 五月花广场分贝仪 */
static long long last_sent; /* the second of the latest reading sent */

/* One open event stream: what came so far. */
struct stream {
	CURL *e;
	struct curl_slist *hdrs;
	char buf[16384]; /* the bytes received, the oldest dropped past the end */
	size_t n;
	int done;	 /* the answer ended */
	CURLcode result; /* how */
	long status;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t keep(char *p, size_t size, size_t nmemb, void *arg)
{
	struct stream *s = arg;
	size_t n = size * nmemb;

	/* Keep the newest bytes: a mark is looked for in what came last. */
	if (n >= sizeof(s->buf) - 1) {
		memcpy(s->buf, p + n - (sizeof(s->buf) - 1), sizeof(s->buf) - 1);
		s->n = sizeof(s->buf) - 1;
	} else {
		if (s->n + n >= sizeof(s->buf)) {
			size_t drop = s->n + n - (sizeof(s->buf) - 1);
			memmove(s->buf, s->buf + drop, s->n - drop);
			s->n -= drop;
		}
		memcpy(s->buf + s->n, p, n);
		s->n += n;
	}
	s->buf[s->n] = '\0';
	return n;
}

/* stream_open adds a stream of url (as an EventSource asks) to m. */
static void stream_open(CURLM *m, struct stream *s, const char *url, const char *cookie)
{
	memset(s, 0, sizeof(*s));
	s->e = curl_easy_init();
	assert_non_null(s->e);
	s->hdrs = curl_slist_append(NULL, "Accept: text/event-stream");
	if (cookie)
		s->hdrs = curl_slist_append(s->hdrs, cookie);
	curl_easy_setopt(s->e, CURLOPT_URL, url);
	curl_easy_setopt(s->e, CURLOPT_HTTPHEADER, s->hdrs);
	curl_easy_setopt(s->e, CURLOPT_WRITEFUNCTION, keep);
	curl_easy_setopt(s->e, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->e, CURLOPT_PRIVATE, s);
	curl_easy_setopt(s->e, CURLOPT_FORBID_REUSE, 1L);
	curl_multi_add_handle(m, s->e);
}

static void stream_close(CURLM *m, struct stream *s)
{
	if (!s->e)
		return;
	curl_multi_remove_handle(m, s->e);
	curl_easy_cleanup(s->e);
	curl_slist_free_all(s->hdrs);
	s->e = NULL;
}

/* pump runs m for up to seconds or until every stream of all (n) holds
 * mark (NULL: until every answer ended). Returns how many do. */
static int pump(CURLM *m, struct stream *all, int n, const char *mark, double seconds)
{
	double end = now_s() + seconds;
	int have = 0;

	for (;;) {
		int running = 0, left = 0;
		CURLMsg *msg;
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			struct stream *s = NULL;
			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			s->done = 1;
			s->result = msg->data.result;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &s->status);
		}
		have = 0;
		for (int i = 0; i < n; i++)
			have += mark ? strstr(all[i].buf, mark) != NULL : all[i].done;
		if (have == n || now_s() >= end)
			return have;
		curl_multi_poll(m, NULL, 0, 20, NULL);
	}
}

/* send_level: the meter sends level for the current second. */
static void send_level(struct server *s, const char *level)
{
	struct client c;
	struct response r;
	char body[96];

	/* A second already stored is kept as it was: send a new one. */
	while ((long long)time(NULL) <= last_sent)
		usleep(50000);
	last_sent = (long long)time(NULL);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":%s}]}", last_sent, level);
	client_init(&c);
	assert_int_equal(request(&c, s, "POST", "/api/v1/noise/readings", body, "application/json",
				 meter_hdr, &r),
			 0);
	if (r.status != 200)
		fail_msg("readings: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&c);
}

/* metric: the value of the /metrics line starting with name (0 if none). */
static long long metric(struct server *s, const char *name)
{
	struct client c;
	struct response r;
	const char *line;
	long long v = 0;

	client_init(&c);
	assert_int_equal(request(&c, s, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	for (line = r.body; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, name, strlen(name)) && line[strlen(name)] == ' ') {
			v = atoll(line + strlen(name) + 1);
			break;
		}
	response_release(&r);
	client_release(&c);
	return v;
}

static const char *display_route_200 =
    "linli_http_requests_total{method=\"GET\",route=\"/noise/display/:id/events\",status="
    "\"200\"}";

static void test_setup(void **state)
{
	struct client sec;
	struct response r;
	char *out = NULL, body[160], path[96];
	const char *at;
	long long tok;

	(void)state;
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "plaza-sse", "--role", "meter", NULL), 0);
	snprintf(meter_hdr, sizeof(meter_hdr), "Authorization: Bearer %.*s",
		 (int)strcspn(out, "\n"), out);
	assert_non_null(strstr(out, "Token "));
	tok = atoll(strstr(out, "Token ") + 6);
	free(out);
	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, "GET", "/api/v1/meters", NULL, &r), 0);
	at = strstr(r.body, "\"五月花广场分贝仪\"");
	assert_non_null(at);
	/* {"id":N,"name":"..."}: the id just before the name. */
	while (at > r.body && strncmp(at, "\"id\":", 5))
		at--;
	meter_id = atoll(at + 5);
	response_release(&r);
	assert_true(meter_id > 0);
	snprintf(path, sizeof(path), "/api/v1/meters/%lld", meter_id);
	snprintf(body, sizeof(body), "{\"token_id\":%lld}", tok);
	assert_int_equal(api(&sec, &srv, "PUT", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("bind token: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&sec);
}

/* test_thousand_displays: NSTREAMS displays open; holding them for
 * three seconds costs no request; one reading reaches all in a second. */
static void test_thousand_displays(void **state)
{
	struct stream *all = calloc(NSTREAMS, sizeof(*all));
	CURLM *m = curl_multi_init();
	char url[256];
	long long before, during, after;
	double t0;
	int have;

	(void)state;
	assert_non_null(all);
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)NSTREAMS + 10);
	snprintf(url, sizeof(url), "%s/noise/display/%lld/events", srv.url, meter_id);
	before = metric(&srv, display_route_200);
	for (int i = 0; i < NSTREAMS; i++)
		stream_open(m, &all[i], url, NULL);
	have = pump(m, all, NSTREAMS, "event: level", 30);
	assert_int_equal(have, NSTREAMS);
	during = metric(&srv, display_route_200);
	assert_int_equal(during - before, NSTREAMS);
	assert_true(metric(&srv, "linli_streams_open") >= NSTREAMS);

	/* Three seconds open: still a thousand requests in all. */
	pump(m, all, NSTREAMS, "never comes", 3);
	for (int i = 0; i < NSTREAMS; i++)
		assert_false(all[i].done);
	after = metric(&srv, display_route_200);
	assert_int_equal(after - before, NSTREAMS);

	/* A reading: on every display within a second. */
	t0 = now_s();
	send_level(&srv, "66.6");
	have = pump(m, all, NSTREAMS, "\"level\":66.6", 1.0);
	if (have != NSTREAMS)
		fail_msg("%d of %d displays had the reading after %.2f s", have, NSTREAMS,
			 now_s() - t0);
	print_message("# %d displays had the reading %.3f s after it was sent\n", NSTREAMS,
		      now_s() - t0);
	for (int i = 0; i < NSTREAMS; i++)
		stream_close(m, &all[i]);
	curl_multi_cleanup(m);
	free(all);
}

/* test_live_page_stream: the staff's page hears the new level and the
 * alert a loud reading opens, on the same connection. */
static void test_live_page_stream(void **state)
{
	struct client staff;
	struct stream s;
	CURLM *m = curl_multi_init();
	struct curl_slist *cookies = NULL;
	char url[256], cookie[512] = "Cookie: ";
	long long t;

	(void)state;
	login_as(&staff, "staff");
	/* The session cookie, sent by hand on the multi handle. */
	curl_easy_getinfo(staff.curl, CURLINFO_COOKIELIST, &cookies);
	for (struct curl_slist *c = cookies; c; c = c->next) {
		const char *f[7];
		char *line = strdup(c->data), *p = line;
		for (int k = 0; k < 7; k++) {
			f[k] = p;
			p = p ? strchr(p, '\t') : NULL;
			if (p)
				*p++ = '\0';
		}
		if (f[6])
			snprintf(cookie + strlen(cookie), sizeof(cookie) - strlen(cookie),
				 "%s=%s; ", f[5], f[6]);
		free(line);
	}
	curl_slist_free_all(cookies);
	snprintf(url, sizeof(url), "%s/noise/live/events", srv.url);
	stream_open(m, &s, url, cookie);
	if (pump(m, &s, 1, "event: levels", 5) != 1)
		fail_msg("live page stream (%s): %ld %s", cookie, s.status, s.buf);
	assert_null(strstr(s.buf, "event: alert"));
	/* Five minutes too loud (the plaza's cap is 70 dB) open an alert. */
	{
		struct client c;
		struct response r;
		char *body = malloc(400 * 40);
		while ((long long)time(NULL) <= last_sent)
			usleep(50000);
		t = last_sent = (long long)time(NULL);
		size_t len = (size_t)snprintf(body, 64, "{\"readings\":[");
		for (int i = 0; i < 330; i++)
			len += (size_t)snprintf(body + len, 64, "%s{\"t\":%lld,\"laeq\":77.7}",
						i ? "," : "", t - 329 + i);
		snprintf(body + len, 8, "]}");
		client_init(&c);
		assert_int_equal(request(&c, &srv, "POST", "/api/v1/noise/readings", body,
					 "application/json", meter_hdr, &r),
				 0);
		assert_int_equal(r.status, 200);
		response_release(&r);
		client_release(&c);
		free(body);
	}
	if (pump(m, &s, 1, "\"level\":77.7", 2) != 1) {
		for (char *q = s.buf; *q; q++)
			if (*q == '\n')
				*q = '|';
		fail_msg("live page stream: %ld %d %s", s.status, s.done, s.buf);
	}
	if (!strstr(s.buf, "event: alert\ndata: {"))
		fail_msg("no alert on the stream: %s", s.buf);
	assert_false(s.done);
	stream_close(m, &s);
	curl_multi_cleanup(m);
	client_release(&staff);
}

/* test_second_server: a reading sent to A shows on B's display stream. */
static void test_second_server(void **state)
{
	struct server b = srv;
	struct stream s;
	CURLM *m = curl_multi_init();
	char url[256];
	int pg = strncmp(srv.db, "postgres", 8) == 0;
	double t0;

	(void)state;
	/* B polls each second: on SQLite it hears no other process. */
	setenv("LINLI_STREAM_POLL_MS", "1000", 1);
	assert_int_equal(server_spawn(&b), 0);
	setenv("LINLI_STREAM_POLL_MS", "5000", 1);
	snprintf(url, sizeof(url), "%s/noise/display/%lld/events", b.url, meter_id);
	stream_open(m, &s, url, NULL);
	assert_int_equal(pump(m, &s, 1, "event: level", 5), 1);
	if (pg) /* B hears A's writes through PostgreSQL */
		for (int i = 0; i < 50 && !metric(&b, "linli_stream_listener_up"); i++)
			usleep(100000);
	assert_int_equal(metric(&b, "linli_stream_listener_up"), pg);
	t0 = now_s();
	send_level(&srv, "61.2");
	/* Notified on PostgreSQL; by the poll (each second) on SQLite. */
	assert_int_equal(pump(m, &s, 1, "\"level\":61.2", pg ? 1.0 : 2.0), 1);
	print_message("# server B showed A's reading after %.3f s\n", now_s() - t0);
	if (pg) {
		assert_true(metric(&b, "linli_stream_notifications_total") > 0);
		/* Its listener cut off, B polls: still shown, in two seconds. */
		sql_exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
			 " WHERE query = 'LISTEN linli_changes';");
		send_level(&srv, "62.3");
		assert_int_equal(pump(m, &s, 1, "\"level\":62.3", 2.5), 1);
		assert_int_equal(metric(&b, "linli_stream_listener_up"), 0);
	}
	stream_close(m, &s);
	curl_multi_cleanup(m);
	server_kill(&b);
}

/* test_bound_and_shutdown: with stream_max 2 a third stream is refused
 * (503, Retry-After, the reason in Chinese and English), a plain request
 * is not; told to stop, the server ends both streams and exits. */
static void test_bound_and_shutdown(void **state)
{
	struct stream s[2];
	CURLM *m = curl_multi_init();
	struct client c;
	struct response r;
	char url[256], value[32];
	int status = -1;
	double t0;

	(void)state;
	server_kill(&srv);
	setenv("LINLI_STREAM_MAX", "2", 1);
	assert_int_equal(server_spawn(&srv), 0);
	unsetenv("LINLI_STREAM_MAX");
	snprintf(url, sizeof(url), "%s/noise/display/%lld/events", srv.url, meter_id);
	for (int i = 0; i < 2; i++)
		stream_open(m, &s[i], url, NULL);
	assert_int_equal(pump(m, s, 2, "event: level", 5), 2);

	client_init(&c);
	snprintf(url, sizeof(url), "/noise/display/%lld/events", meter_id);
	assert_int_equal(request(&c, &srv, "GET", url, NULL, NULL, "Accept: text/event-stream", &r),
			 0);
	assert_int_equal(r.status, 503);
	assert_non_null(header_value(&r, "Retry-After", value, sizeof(value)));
	assert_string_equal(value, "15");
	assert_non_null(strstr(r.body, "实时连接已满"));
	response_release(&r);
	{ /* in English for a reader who chose it */
		struct stream en;
		char full[512];
		snprintf(full, sizeof(full), "%s%s", srv.url, url);
		stream_open(m, &en, full, "Cookie: lang=en");
		assert_int_equal(pump(m, &en, 1, NULL, 5), 1);
		assert_int_equal(en.status, 503);
		if (!strstr(en.buf, "as many live connections"))
			fail_msg("en: %s", en.buf);
		stream_close(m, &en);
	}
	/* One answer, as before streams, for a client that asks no stream. */
	assert_int_equal(request(&c, &srv, "GET", url, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "event: level"));
	response_release(&r);
	client_release(&c);
	assert_int_equal(metric(&srv, "linli_streams_refused_total"), 2);

	/* Stop: both answers end (not cut), the server exits with 0. */
	t0 = now_s();
	kill(srv.pid, SIGTERM);
	assert_int_equal(pump(m, s, 2, NULL, 5), 2);
	for (int i = 0; i < 2; i++)
		assert_int_equal(s[i].result, CURLE_OK);
	assert_int_equal(waitpid(srv.pid, &status, 0), srv.pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	print_message("# streams ended and server stopped in %.3f s\n", now_s() - t0);
	srv.pid = 0;
	for (int i = 0; i < 2; i++)
		stream_close(m, &s[i]);
	curl_multi_cleanup(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup),
	    cmocka_unit_test(test_thousand_displays),
	    cmocka_unit_test(test_live_page_stream),
	    cmocka_unit_test(test_second_server),
	    cmocka_unit_test(test_bound_and_shutdown),
	};
	struct rlimit rl;

	/* A thousand streams need a thousand descriptors here too. */
	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* Every stream comes from 127.0.0.1. */
	setenv("LINLI_PER_IP_LIMIT", "2000", 1);
	/* Polled every 5 s only: what comes sooner came by notification. */
	setenv("LINLI_STREAM_POLL_MS", "5000", 1);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
