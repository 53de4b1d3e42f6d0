/* The demo as a visitor meets it (`linli demo` with its whole history, not
 * the bare area the other programs use): starting the server changes
 * nothing (the quiet-period sweep and the other jobs find no work in the
 * loaded past), every figure README.md's "Try it" gives is the one the
 * pages show, the past agrees with itself, and while `linli demo` serves
 * the plaza meter follows a simulated evening, marked as such, unless
 * --no-simulate. */
#include "checks.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#ifndef LINLI_README
#error "LINLI_README: the path of README.md (tests/http/meson.build)"
#endif

/* demo_setup: a fresh database with the whole demo loaded (history and
 * all), the server not yet started. */
static int demo_setup(void **state)
{
	const char *pg = getenv("LINLI_TEST_DB_URL");
	char *out = NULL;
	int rc;

	(void)state;
	memset(&srv, 0, sizeof(srv));
	snprintf(srv.dir, sizeof(srv.dir), "/tmp/linli-http.XXXXXX");
	if (!mkdtemp(srv.dir))
		return -1;
	if (pg && *pg)
		snprintf(srv.db, sizeof(srv.db), "%s", pg);
	else
		snprintf(srv.db, sizeof(srv.db), "sqlite:%s/test.db", srv.dir);
	rc = run_cli(&srv, NULL, &out, "demo", "--no-serve", NULL);
	if (rc || !out || !strstr(out, "Loaded the Pushan demo area")) {
		fprintf(stderr, "# linli demo failed (%d): %s\n", rc, out ? out : "");
		rc = -1;
	}
	free(out);
	return rc;
}

/* snapshot: what a job could change, as one line: the audit log's
 * length, the cases by state and their latest change, the unread
 * messages and the outbox. */
static void snapshot(char *out, size_t n)
{
	char audit[64], cases[128], inbox[64], outbox[64];

	sql_query(audit, sizeof(audit), "SELECT COUNT(*) FROM audit_log;");
	sql_query(
	    cases, sizeof(cases),
	    "SELECT CAST(COUNT(*) AS TEXT) || '/' || CAST(SUM(CASE WHEN state = 'closed'"
	    " THEN 1 ELSE 0 END) AS TEXT) || '/' || CAST(MAX(updated_at) AS TEXT) FROM cases;");
	sql_query(inbox, sizeof(inbox), "SELECT COUNT(*) FROM inbox WHERE read_at IS NULL;");
	sql_query(outbox, sizeof(outbox), "SELECT COUNT(*) FROM outbox;");
	snprintf(out, n, "audit %s cases %s unread %s outbox %s", audit, cases, inbox, outbox);
}

/* job_runs: how often `linli jobs` says the job has run (0 when never). */
static long long job_runs(const char *job)
{
	char *out = NULL;
	long long runs = 0;

	assert_int_equal(run_cli(&srv, NULL, &out, "jobs", NULL), 0);
	for (const char *line = out; line && *line; line = strchr(line, '\n')) {
		line += *line == '\n';
		size_t len = strlen(job);
		if (strncmp(line, job, len) || line[len] != ' ')
			continue;
		/* runs is the last word of the line */
		const char *end = line + strcspn(line, "\n"), *p = end;
		while (p > line && p[-1] != ' ')
			p--;
		runs = strtoll(p, NULL, 10);
		(void)end;
		break;
	}
	free(out);
	return runs;
}

/* Starting the demo's server and letting every job run once changes
 * nothing: no wave of automatic closures, no messages, no mail. */
static void start_changes_nothing(void **state)
{
	char before[256], after[256];
	int i;

	(void)state;
	snapshot(before, sizeof(before));
	assert_int_equal(server_spawn(&srv), 0);
	for (i = 0; i < 200 && (job_runs("cases.sweep") < 1 || job_runs("outbox.send") < 1); i++)
		usleep(100 * 1000);
	assert_true(i < 200);
	snapshot(after, sizeof(after));
	assert_string_equal(after, before);
}

/* ---- README.md's figures ---- */

static char *readme_try_it(void)
{
	FILE *f = fopen(LINLI_README, "r");
	static char text[65536];
	size_t n;
	char *from, *to;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	from = strstr(text, "## Try it");
	assert_non_null(from);
	to = strstr(from, "\n## ");
	if (to)
		*to = '\0';
	/* One line: a figure and its words may be broken across lines. */
	for (char *p = from; *p; p++)
		if (*p == '\n')
			*p = ' ';
	return from;
}

/* readme_figure: the number written just before words in the section
 * ("4,846 residents" -> 4846; "4.3 / 5" -> 43 with tenths set). */
static long long readme_figure(const char *section, const char *words, int tenths)
{
	const char *w = strstr(section, words), *p;
	long long v = 0, frac = 0;
	int seen_dot = 0;

	if (!w)
		fail_msg("README.md's Try it no longer says \"%s\"", words);
	p = w;
	while (p > section && p[-1] == ' ')
		p--;
	while (p > section && (strchr("0123456789,.", p[-1])))
		p--;
	for (; p < w && *p != ' '; p++) {
		if (*p == ',')
			continue;
		if (*p == '.') {
			seen_dot = 1;
			continue;
		}
		if (seen_dot)
			frac = frac * 10 + (*p - '0');
		else
			v = v * 10 + (*p - '0');
	}
	return tenths ? v * 10 + frac : v;
}

static int open_state(const char *s)
{
	return !strcmp(s, "submitted") || !strcmp(s, "accepted") || !strcmp(s, "assigned") ||
	       !strcmp(s, "in_progress") || !strcmp(s, "referred") || !strcmp(s, "reopened");
}

/* all_cases: every case of the queue as the API lists it (caller decrefs). */
static json_t *all_cases(struct client *c)
{
	struct response r;
	json_t *body, *items;

	assert_int_equal(api(c, &srv, "GET", "/api/v1/cases?per_page=500", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	body = json_loads(r.body, 0, NULL);
	response_release(&r);
	assert_non_null(body);
	assert_true(json_integer_value(json_object_get(body, "total")) < 500);
	items = json_incref(json_object_get(body, "items"));
	json_decref(body);
	return items;
}

static const char *text_of(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

static json_int_t int_of(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Every figure of "Try it" is what the pages and their API show. */
static void readme_figures_are_the_pages(void **state)
{
	const char *section = readme_try_it();
	struct client c;
	struct response r;
	char path[128], day[16], mean[64];
	long long reports = 0, open = 0, rated = 0, findings = 0;
	time_t from = time(NULL) - 200 * 86400;
	struct tm tm;
	json_t *items, *k;
	size_t i;

	(void)state;
	login_as(&c, "secretary");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_int(r.body, "compounds"), readme_figure(section, " compounds", 0));
	assert_int_equal(json_int(r.body, "buildings"), readme_figure(section, " buildings", 0));
	assert_int_equal(json_int(r.body, "households"), readme_figure(section, " households", 0));
	assert_int_equal(json_int(r.body, "residents"), readme_figure(section, " residents,", 0));
	assert_int_equal(json_int(r.body, "members"), readme_figure(section, " Party members", 0));
	assert_int_equal(json_int(r.body, "teams"), readme_figure(section, " teams.", 0));
	response_release(&r);

	/* The residents' reports (the meter's cases depend on the day the
	 * demo was loaded) and what became of them. */
	items = all_cases(&c);
	json_array_foreach (items, i, k) {
		if (!strcmp(text_of(k, "channel"), "meter"))
			continue;
		/* the survey's findings are told apart in the README */
		if (!strcmp(text_of(k, "channel"), "survey")) {
			findings++;
			continue;
		}
		reports++;
		open += open_state(text_of(k, "state"));
		rated += json_is_integer(json_object_get(k, "rating"));
	}
	json_decref(items);
	assert_int_equal(reports, readme_figure(section, " reports", 0));
	assert_int_equal(open, readme_figure(section, " of them still open", 0));
	assert_int_equal(rated, readme_figure(section, " were rated", 0));
	assert_int_equal(findings, readme_figure(section, " findings as cases", 0));

	/* The average rating as the statistics page shows it. */
	gmtime_r(&from, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	snprintf(path, sizeof(path), "/cases/stats?from=%s", day);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	long long tenths = readme_figure(section, " / 5 on average", 1);
	snprintf(mean, sizeof(mean), "%lld.%lld / 5", tenths / 10, tenths % 10);
	/* As read: the markup between the figure and "/ 5" goes. */
	char *w = r.body;
	for (const char *q = r.body; *q; q++) {
		if (*q == '<')
			q += strcspn(q, ">");
		else
			*w++ = *q;
		if (!*q)
			break;
	}
	*w = '\0';
	if (!strstr(r.body, mean))
		fail_msg("the statistics page does not show %s", mean);
	response_release(&r);
	client_release(&c);
}

/* Who handles what in the demo, as a resident would expect. */
static const struct {
	const char *category, *team; /* team NULL: the committee's staff */
} handler_of[] = {
    {"noise", "平安巡逻队"},
    {"safety", "平安巡逻队"},
    {"shop", "党员先锋队"},
    {"pet_waste", "\"携宠善行\"文明养宠自治团队"},
    {"pet_nuisance", "\"携宠善行\"文明养宠自治团队"},
    {"garbage", "垃圾分类志愿者队"},
    {"dispute", "邻里调解志愿者队"},
    {"repair", NULL},
};

/* Each compound's own property company. */
static const struct {
	const char *compound, *company;
} property_of[] = {
    {"普善新村", "永盛物业管理有限公司普善新村管理处"},
    {"普善苑", "安居物业普善苑项目部"},
    {"五月花小区", "五月花物业服务有限公司"},
    {"普善华庭", "华庭物业管理有限公司"},
};

/* The past agrees with itself: each case handled by whoever would handle
 * it, repairs referred to the compound's own property company, every step
 * after the one before it (a rating after the resolution), and a case a
 * meter's alert filed dated when the alert began. */
static void the_story_holds(void **state)
{
	struct client c;
	struct response r;
	json_t *items, *k, *root, *alerts, *a;
	size_t i, j;
	long long now = (long long)time(NULL), repairs = 0, meter = 0;
	char out[64];

	(void)state;
	login_as(&c, "secretary");
	items = all_cases(&c);
	json_array_foreach (items, i, k) {
		const char *cat = text_of(k, "category"), *team = text_of(k, "handler_team");
		const char *st = text_of(k, "state");
		json_int_t created = int_of(k, "created_at"), accepted = int_of(k, "accepted_at");
		json_int_t resolved = int_of(k, "resolved_at"), rated = int_of(k, "rated_at");
		json_int_t closed = int_of(k, "closed_at");
		size_t h;

		for (h = 0; h < sizeof(handler_of) / sizeof(handler_of[0]); h++)
			if (!strcmp(cat, handler_of[h].category))
				break;
		assert_true(h < sizeof(handler_of) / sizeof(handler_of[0]));
		if (strcmp(st, "submitted")) {
			if (handler_of[h].team && strcmp(team, handler_of[h].team))
				fail_msg("case %lld (%s) handled by %s", (long long)int_of(k, "id"),
					 cat, team);
			if (!handler_of[h].team &&
			    (team[0] || strcmp(text_of(k, "handler_user"), "staff")))
				fail_msg("repair %lld handled by %s", (long long)int_of(k, "id"),
					 team);
		}
		/* A repair names no property company but its compound's, not even
		 * as the suggestion of one not yet referred. */
		if (!strcmp(cat, "repair") && text_of(k, "agency")[0]) {
			for (j = 0; j < sizeof(property_of) / sizeof(property_of[0]); j++)
				if (!strcmp(text_of(k, "compound"), property_of[j].compound))
					assert_string_equal(text_of(k, "agency"),
							    property_of[j].company);
			repairs++;
		}
		assert_true(created <= now);
		assert_true(!accepted || accepted >= created);
		assert_true(!resolved || resolved >= accepted);
		assert_true(!rated || (resolved && rated >= resolved));
		assert_true(!closed || (resolved && closed >= resolved && closed <= now));
		meter += !strcmp(text_of(k, "channel"), "meter");
		/* A report's answers agree with its words: dancing by the plaza
		 * from the compound beside it, building work as building work. */
		if (!strcmp(cat, "noise") && strcmp(text_of(k, "channel"), "meter")) {
			const char *d = text_of(k, "description");
			const char *src = text_of(json_object_get(k, "answers"), "source");
			if (strstr(d, "舞")) {
				assert_string_equal(src, "square_dance");
				assert_string_equal(text_of(k, "compound"), "五月花小区");
			}
			if (strstr(d, "装修"))
				assert_string_equal(src, "construction");
		}
	}
	assert_true(repairs > 0);
	/* No timeline puts a rating before the resolution it rates. */
	sql_query(out, sizeof(out),
		  "SELECT COUNT(*) FROM case_events r JOIN case_events s ON s.case_id = r.case_id"
		  " WHERE r.kind = 'rating' AND s.to_state = 'resolved' AND r.at < s.at;");
	assert_string_equal(out, "0");
	/* Every timeline reads in order: no entry earlier than one before it. */
	sql_query(out, sizeof(out),
		  "SELECT COUNT(*) FROM case_events e JOIN case_events p ON p.case_id = e.case_id"
		  " AND p.id < e.id WHERE p.at > e.at;");
	assert_string_equal(out, "0");

	/* A meter's case is dated when its first alert began. */
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/noise/alerts", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	root = json_loads(r.body, 0, NULL);
	response_release(&r);
	alerts = json_object_get(root, "alerts");
	assert_true(json_array_size(alerts) > 0);
	assert_true(meter > 0);
	json_array_foreach (items, i, k) {
		json_int_t first = 0;
		if (strcmp(text_of(k, "channel"), "meter"))
			continue;
		json_array_foreach (alerts, j, a)
			if (int_of(a, "case_id") == int_of(k, "id") &&
			    (!first || int_of(a, "opened_t") < first))
				first = int_of(a, "opened_t");
		assert_true(first > 0);
		assert_int_equal(int_of(k, "created_at"), first);
	}
	json_decref(root);
	json_decref(items);

	/* A new repair in 五月花小区 suggests no other compound's company (the
	 * last check: it adds a case). */
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"repair\",\"description\":\"单元门禁坏了\","
			     "\"compound_id\":3,\"channel\":\"phone\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	root = json_loads(r.body, 0, NULL);
	response_release(&r);
	assert_string_equal(text_of(root, "compound"), "五月花小区");
	if (text_of(root, "agency")[0])
		assert_string_equal(text_of(root, "agency"), "五月花物业服务有限公司");
	json_decref(root);
	client_release(&c);
}

/* ---- the simulated evening ---- */

/* restart: the server stopped cleanly (the database kept), then started
 * again as `linli demo [extra]` serves. */
static void restart_as_demo(const char *extra)
{
	int status = 0;

	if (srv.pid > 0) {
		kill(srv.pid, SIGTERM);
		waitpid(srv.pid, &status, 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		srv.pid = 0;
	}
	server_subcommand = "demo";
	server_extra_args[0] = extra;
	assert_int_equal(server_spawn(&srv), 0);
}

/* live_meter: the plaza meter's entry of GET /api/v1/noise/live. */
static json_t *live_meter(struct client *c)
{
	struct response r;
	json_t *body, *m;

	assert_int_equal(api(c, &srv, "GET", "/api/v1/noise/live", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	body = json_loads(r.body, 0, NULL);
	response_release(&r);
	assert_non_null(body);
	m = json_incref(json_array_get(json_object_get(body, "meters"), 0));
	json_decref(body);
	assert_non_null(m);
	return m;
}

/* page_says: whether the page shows the simulated notice (not hidden). */
static int page_says_simulated(struct client *c, const char *path)
{
	struct response r;
	int shown;

	assert_int_equal(request(c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	/* The notice is always there for the script; hidden unless simulated. */
	assert_non_null(strstr(r.body, "data-field=\"simulated\""));
	shown = strstr(r.body, "data-field=\"simulated\">") != NULL;
	if (shown)
		assert_non_null(strstr(r.body, "模拟读数"));
	response_release(&r);
	return shown;
}

/* While `linli demo` serves, the plaza meter reads a new level every
 * second, marked as simulated in the API, on the live page and on the
 * public display. */
static void simulated_evening_moves(void **state)
{
	struct client c;
	json_int_t first_t = 0, last_t = 0;
	double levels[8];
	int n = 0, differ = 0;

	(void)state;
	restart_as_demo(NULL);
	login_as(&c, "secretary");
	for (int i = 0; i < 80 && n < 4; i++) {
		json_t *m = live_meter(&c);
		json_int_t t = int_of(m, "t");
		if (json_is_true(json_object_get(m, "simulated")) && t > last_t) {
			assert_true(json_is_number(json_object_get(m, "level")));
			levels[n++] = json_number_value(json_object_get(m, "level"));
			if (!first_t)
				first_t = t;
			last_t = t;
		}
		json_decref(m);
		usleep(250 * 1000);
	}
	assert_int_equal(n, 4);
	assert_true(last_t - first_t >= 3);
	for (int i = 1; i < n; i++)
		differ += levels[i] != levels[0];
	assert_true(differ > 0);
	assert_true(page_says_simulated(&c, "/noise/live"));
	client_release(&c);
	/* The display by the plaza, for anyone passing. */
	client_init(&c);
	assert_true(page_says_simulated(&c, "/noise/display/1"));
	client_release(&c);
}

/* With --no-simulate the meter stays still: its last reading ages into
 * "no data" and nothing new arrives or is marked simulated. */
static void no_simulate_keeps_still(void **state)
{
	struct client c;
	char count[32], q[160];
	json_t *m = NULL;
	long long since;
	int i;

	(void)state;
	restart_as_demo("--no-simulate");
	since = (long long)time(NULL) + 1;
	login_as(&c, "secretary");
	for (i = 0; i < 60; i++) {
		m = live_meter(&c);
		if (!strcmp(text_of(m, "class"), "none"))
			break;
		json_decref(m);
		m = NULL;
		usleep(500 * 1000);
	}
	assert_non_null(m);
	assert_true(json_is_null(json_object_get(m, "level")));
	assert_true(json_is_false(json_object_get(m, "simulated")));
	json_decref(m);
	assert_false(page_says_simulated(&c, "/noise/live"));
	snprintf(q, sizeof(q), "SELECT COUNT(*) FROM noise_readings WHERE t >= %lld;", since);
	sql_query(count, sizeof(count), q);
	assert_string_equal(count, "0");
	client_release(&c);
}

static int demo_teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(start_changes_nothing),
	    cmocka_unit_test(readme_figures_are_the_pages),
	    cmocka_unit_test(the_story_holds),
	    cmocka_unit_test(simulated_evening_moves),
	    cmocka_unit_test(no_simulate_keeps_still),
	};
	return cmocka_run_group_tests(tests, demo_setup, demo_teardown);
}
