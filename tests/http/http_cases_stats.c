/* HTTP tests of the case statistics and the site plan against the real
 * server and the demo area: staff file and work a few cases, then the
 * JSON, the page, the CSV and Excel exports and the map must agree with
 * what was done; private categories are counted; no reporter's name,
 * phone or words reach the map; roles without case access are refused;
 * bad periods are refused in the reader's language; and every figure of
 * the JSON, the page, the CSV, the Excel file and the map against the same
 * figure computed here from the case list (a formula-like category name
 * escaped in each format, archived kinds shown only with reports). */
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

static long long ids[6]; /* the cases filed by setup_cases */

static void get(struct client *c, const char *path, long want, struct response *r)
{
	assert_int_equal(api(c, &srv, "GET", path, NULL, r), 0);
	if (r->status != want)
		fail_msg("GET %s: got %ld (%.300s), want %ld", path, r->status, r->body, want);
}

static void act(struct client *c, long long id, const char *body)
{
	struct response r;
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("%s: got %ld (%s)", body, r.status, r.body);
	response_release(&r);
}

/* Six cases: three noise (one resolved, one accepted), a repair, a private
 * neighbour dispute with the reporter's name and phone, and one "other"
 * placed on the plan. */
static void setup_cases(void **state)
{
	static const char *const bodies[] = {
	    "{\"category\":\"noise\",\"description\":\"dance music\",\"compound_id\":1,"
	    "\"answers\":{\"source\":\"square_dance\"}}",
	    "{\"category\":\"noise\",\"description\":\"again\",\"compound_id\":1,"
	    "\"answers\":{\"source\":\"square_dance\"}}",
	    "{\"category\":\"noise\",\"description\":\"drilling\",\"compound_id\":2,"
	    "\"answers\":{\"source\":\"construction\"}}",
	    "{\"category\":\"repair\",\"description\":\"lamp\",\"compound_id\":3}",
	    "{\"category\":\"dispute\",\"description\":\"秘密纠纷XYZ\",\"compound_id\":3,"
	    "\"reporter_name\":\"王秘密\",\"reporter_phone\":\"13911112222\"}",
	    "{\"category\":\"other\",\"description\":\"bench\",\"plan_x\":500,\"plan_y\":980}",
	};
	struct client staff;
	struct response r;

	(void)state;
	/* This file draws the plan as the grid of an area without footprints
	 * (the demo's are cleared by importing an empty plan); the plan at
	 * true scale is tests/http/http_cases_plan.c's. */
	{
		char *out = NULL;
		int rc = run_cli(&srv, "{\"type\":\"FeatureCollection\",\"features\":[]}", &out,
				 "plan", "import", "-", NULL);
		if (rc)
			fail_msg("plan import: %s", out ? out : "");
		free(out);
	}
	login_as(&staff, "staff");
	for (int i = 0; i < 6; i++) {
		assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases", bodies[i], &r), 0);
		if (r.status != 201)
			fail_msg("create %d: %ld %s", i, r.status, r.body);
		ids[i] = json_int(r.body, "id");
		response_release(&r);
	}
	act(&staff, ids[0], "{\"action\":\"accept\"}");
	act(&staff, ids[0], "{\"action\":\"assign\",\"handler_team_id\":1}");
	act(&staff, ids[0], "{\"action\":\"resolve\",\"note\":\"quieter now\"}");
	act(&staff, ids[1], "{\"action\":\"accept\"}");
	act(&staff, ids[4], "{\"action\":\"accept\"}");
	client_release(&staff);
}

static void test_json_counts_what_was_done(void **state)
{
	struct client staff;
	struct response r;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/api/v1/cases/stats", 200, &r);
	assert_int_equal(json_int(r.body, "total"), 6);
	assert_non_null(strstr(r.body, "\"percentile_method\":\"nearest-rank\""));
	/* every case is new, so the times are seconds: 0.0 hours, all on time */
	assert_non_null(strstr(r.body, "\"time_to_accept_hours\":{\"count\":3,"));
	assert_non_null(strstr(r.body, "\"time_to_resolve_hours\":{\"count\":1,"));
	assert_non_null(strstr(r.body, "\"accepted_within_deadline\":{\"within\":3,\"of\":3,"));
	assert_non_null(strstr(r.body, "\"resolved_within_deadline\":{\"within\":1,\"of\":1,"));
	/* states */
	assert_non_null(strstr(r.body, "\"submitted\":3"));
	assert_non_null(strstr(r.body, "\"accepted\":2"));
	assert_non_null(strstr(r.body, "\"resolved\":1"));
	/* the private kind is counted, and marked */
	assert_non_null(strstr(r.body, "\"code\":\"dispute\""));
	assert_non_null(strstr(r.body, "\"private\":true"));
	assert_non_null(strstr(r.body, "\"total\":3")); /* noise */
	/* no rating yet */
	assert_non_null(strstr(r.body, "\"satisfaction\":{\"count\":0,\"mean\":null"));
	/* nobody's name or phone */
	assert_null(strstr(r.body, "王秘密"));
	assert_null(strstr(r.body, "13911112222"));
	response_release(&r);
	/* one kind only */
	get(&staff, "/api/v1/cases/stats?category_id=1", 200, &r);
	assert_int_equal(json_int(r.body, "total"), 3);
	assert_null(strstr(r.body, "\"code\":\"repair\""));
	response_release(&r);
	/* a period without these cases */
	get(&staff, "/api/v1/cases/stats?from=2020-01-01&to=2020-03-31", 200, &r);
	assert_int_equal(json_int(r.body, "total"), 0);
	assert_non_null(strstr(r.body, "\"months\":[\"2020-01\",\"2020-02\",\"2020-03\"]"));
	assert_non_null(strstr(r.body, "\"median\":null"));
	response_release(&r);
	client_release(&staff);
}

static void test_page_has_charts_and_tables(void **state)
{
	struct client staff;
	struct response r;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/stats", 200, &r);
	assert_non_null(strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(r.body, "role=\"img\""));
	assert_non_null(strstr(r.body, "<title id=\"st-months-t\">"));
	assert_non_null(strstr(r.body, "<title id=\"st-rating-t\">"));
	assert_non_null(strstr(r.body, "<table class=\"st-table st-months\">"));
	assert_non_null(strstr(r.body, "噪声扰民"));
	assert_non_null(strstr(r.body, "href=\"/cases/stats.csv?from="));
	assert_non_null(strstr(r.body, "href=\"/cases/stats.xlsx?from="));
	assert_null(strstr(r.body, "王秘密"));
	response_release(&r);
	client_release(&staff);
}

static void test_exports(void **state)
{
	struct client staff;
	struct response r;
	char value[200];

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/stats.csv", 200, &r);
	assert_non_null(header_value(&r, "Content-Type", value, sizeof(value)));
	assert_string_equal(value, "text/csv; charset=utf-8");
	assert_non_null(header_value(&r, "Content-Disposition", value, sizeof(value)));
	assert_string_equal(value, "attachment; filename=\"cases-stats.csv\"");
	assert_memory_equal(r.body, "\xEF\xBB\xBF", 3);
	assert_non_null(strstr(r.body, "\r\n噪声扰民,noise,"));
	assert_non_null(strstr(r.body, ",3\r\n")); /* noise total at the row's end */
	response_release(&r);
	get(&staff, "/cases/stats.xlsx?category_id=6", 200, &r);
	assert_non_null(header_value(&r, "Content-Type", value, sizeof(value)));
	assert_string_equal(value,
			    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_non_null(header_value(&r, "Content-Disposition", value, sizeof(value)));
	assert_string_equal(value, "attachment; filename=\"cases-stats.xlsx\"");
	assert_true(r.len > 1000);
	assert_memory_equal(r.body, "PK\x03\x04", 4); /* a zip container */
	response_release(&r);
	client_release(&staff);
}

static void test_map(void **state)
{
	struct client staff;
	struct response r;
	char href[64];

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/map?closed=1", 200, &r);
	assert_non_null(
	    strstr(r.body, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 1000\""));
	for (int i = 0; i < 6; i++) {
		snprintf(href, sizeof(href), "<a href=\"/cases/%lld\" class=\"map-marker\">",
			 ids[i]);
		assert_non_null(strstr(r.body, href));
	}
	/* the case on the plan sits where it was put */
	assert_non_null(strstr(r.body, "cx=\"500\" cy=\"980\""));
	/* tooltips say number, kind and state, nothing personal */
	snprintf(href, sizeof(href), "<title>#%lld 邻里纠纷 · 已受理</title>", ids[4]);
	assert_non_null(strstr(r.body, href));
	assert_null(strstr(r.body, "王秘密"));
	assert_null(strstr(r.body, "13911112222"));
	assert_null(strstr(r.body, "秘密纠纷XYZ"));
	/* the compounds with their counts */
	assert_non_null(strstr(r.body, ">普善新村</text>"));
	assert_non_null(strstr(r.body, ">2 件</text>"));
	response_release(&r);
	/* the state filter */
	get(&staff, "/cases/map?state=resolved", 200, &r);
	snprintf(href, sizeof(href), "<a href=\"/cases/%lld\"", ids[0]);
	assert_non_null(strstr(r.body, href));
	snprintf(href, sizeof(href), "<a href=\"/cases/%lld\"", ids[1]);
	assert_null(strstr(r.body, href));
	response_release(&r);
	get(&staff, "/cases/map?state=lost", 400, &r);
	response_release(&r);
	client_release(&staff);

	/* The staff's total of reports on the plan. */
	long long total = 0;
	login_as(&staff, "staff");
	get(&staff, "/cases/map?closed=1", 200, &r);
	const char *b = strstr(r.body, "</tfoot>");
	assert_non_null(b);
	while (b > r.body && strncmp(b, "<b>", 3))
		b--;
	total = strtoll(b + 3, NULL, 10);
	assert_true(total >= 6);
	response_release(&r);
	client_release(&staff);

	/* The private dispute's marker (where, what, a link) is only for
	 * those who may open it: the committee and Party members. Volunteers
	 * and agencies see the others, and the dispute only in the counts. */
	static const struct {
		const char *user;
		int sees_private;
	} readers[] = {{"secretary", 1}, {"member", 1}, {"volunteer", 0}, {"agency", 0}};
	for (size_t k = 0; k < sizeof(readers) / sizeof(readers[0]); k++) {
		struct client c;
		char counts[64];
		login_as(&c, readers[k].user);
		get(&c, "/cases/map?closed=1", 200, &r);
		for (int i = 0; i < 6; i++) {
			int want = i != 4 || readers[k].sees_private;
			snprintf(href, sizeof(href), "<a href=\"/cases/%lld\"", ids[i]);
			if ((strstr(r.body, href) != NULL) != want)
				fail_msg("%s: the marker of case %d %s", readers[k].user, i,
					 want ? "is missing" : "is shown");
		}
		if (!readers[k].sees_private)
			assert_null(strstr(r.body, "邻里纠纷 · "));
		/* the total under the table counts the dispute for everyone */
		snprintf(counts, sizeof(counts), "<td class=\"num\"><b>%lld</b></td></tr></tfoot>",
			 total);
		if (!strstr(r.body, counts))
			fail_msg("%s: the total is not %lld", readers[k].user, total);
		response_release(&r);
		client_release(&c);
	}
}

static void test_refusals(void **state)
{
	static const char *const paths[] = {"/cases/stats", "/cases/stats.csv", "/cases/stats.xlsx",
					    "/api/v1/cases/stats", "/cases/map"};
	struct client resident, anon, staff;
	struct response r;

	(void)state;
	login_as(&resident, "resident");
	client_init(&anon);
	for (int i = 0; i < 5; i++) {
		get(&resident, paths[i], 403, &r);
		response_release(&r);
		get(&anon, paths[i], strncmp(paths[i], "/api/", 5) ? 303 : 401, &r);
		response_release(&r);
	}
	login_as(&staff, "staff");
	staff.lang = "en";
	get(&staff, "/api/v1/cases/stats?from=2026-05-01&to=2026-04-01", 400, &r);
	assert_non_null(strstr(r.body, "Check the dates"));
	response_release(&r);
	get(&staff, "/api/v1/cases/stats?from=2000-01-01&to=2020-01-01", 400, &r);
	response_release(&r);
	get(&staff, "/api/v1/cases/stats?category_id=99999", 400, &r);
	response_release(&r);
	get(&staff, "/cases/stats?to=2026-02-30", 400, &r);
	response_release(&r);
	client_release(&resident);
	client_release(&anon);
	client_release(&staff);
}

/* ---- every figure two ways ---- */

/* object_end: just past the JSON object opening at p. */
static const char *object_end(const char *p)
{
	int depth = 0, in_string = 0;

	for (; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = 0;
		} else if (*p == '"') {
			in_string = 1;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && !--depth) {
			return p + 1;
		}
	}
	fail_msg("unterminated object");
	return p;
}

/* field_in: the text after "key": inside [p, end), or NULL. */
static const char *field_in(const char *p, const char *end, const char *key)
{
	char pat[64];
	const char *f;
	size_t n;

	n = (size_t)snprintf(pat, sizeof(pat), "\"%s\":", key);
	for (f = p; f + n <= end; f++)
		if (!memcmp(f, pat, n))
			return f + n;
	return NULL;
}

/* A case as the list gives it, for the figures computed here. */
struct seen_case {
	long long id, category_id, compound_id; /* compound 0: none */
	long long created, accepted, resolved;	/* -1: not yet */
	long long accept_due, resolve_due;
	int rating; /* 0: none */
	char state[16], compound[64];
};

/* read_cases: every case of the area from the staff list (one page of up
 * to 500). OUT: the count. */
static int read_cases(struct client *staff, struct seen_case *out, int max)
{
	struct response r;
	const char *p;
	int n = 0;

	get(staff, "/api/v1/cases?per_page=500", 200, &r);
	assert_true(json_int(r.body, "total") <= max);
	for (p = strstr(r.body, "{\"id\":"); p; p = strstr(p, "{\"id\":")) {
		const char *end = object_end(p), *f;
		struct seen_case *c = &out[n++];
		memset(c, 0, sizeof(*c));
		c->id = strtoll(field_in(p, end, "id"), NULL, 10);
		c->category_id = strtoll(field_in(p, end, "category_id"), NULL, 10);
		f = field_in(p, end, "compound_id");
		c->compound_id = *f == 'n' ? 0 : strtoll(f, NULL, 10);
		c->created = strtoll(field_in(p, end, "created_at"), NULL, 10);
		f = field_in(p, end, "accepted_at");
		c->accepted = *f == 'n' ? -1 : strtoll(f, NULL, 10);
		f = field_in(p, end, "resolved_at");
		c->resolved = *f == 'n' ? -1 : strtoll(f, NULL, 10);
		c->accept_due = strtoll(field_in(p, end, "accept_due"), NULL, 10);
		c->resolve_due = strtoll(field_in(p, end, "resolve_due"), NULL, 10);
		f = field_in(p, end, "rating");
		c->rating = *f == 'n' ? 0 : (int)strtol(f, NULL, 10);
		f = field_in(p, end, "state");
		snprintf(c->state, sizeof(c->state), "%.*s", (int)strcspn(f + 1, "\""), f + 1);
		f = field_in(p, end, "compound");
		if (*f == '"')
			snprintf(c->compound, sizeof(c->compound), "%.*s",
				 (int)strcspn(f + 1, "\""), f + 1);
		p = end;
	}
	assert_int_equal(n, json_int(r.body, "total"));
	response_release(&r);
	return n;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* nearest_rank: the smallest value with at least p% of the sorted values
 * at or below it. */
static long long nearest_rank(const long long *sorted, int n, int p)
{
	for (int i = 0; i < n; i++)
		if ((long long)(i + 1) * 100 >= (long long)p * n)
			return sorted[i];
	return 0;
}

/* Handling times and deadline shares of one kind (accept or resolve). */
struct figures {
	long long d[500]; /* durations, sorted */
	int n, within;
	double median_h, p90_h; /* hours */
};

static void figures_of(const struct seen_case *cs, int n, int resolve, struct figures *f)
{
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < n; i++) {
		long long at = resolve ? cs[i].resolved : cs[i].accepted;
		long long due = resolve ? cs[i].resolve_due : cs[i].accept_due;
		if (at < 0)
			continue;
		f->d[f->n++] = at - cs[i].created;
		f->within += at <= due;
	}
	qsort(f->d, (size_t)f->n, sizeof(f->d[0]), cmp_ll);
	if (f->n) {
		f->median_h = (double)nearest_rank(f->d, f->n, 50) / 3600.0;
		f->p90_h = (double)nearest_rank(f->d, f->n, 90) / 3600.0;
	}
}

/* number_after: the number after "key": following p in body. */
static double number_after(const char *p, const char *key)
{
	char pat[80];
	const char *f;

	snprintf(pat, sizeof(pat), "\"%.60s\":", key);
	f = strstr(p, pat);
	if (!f)
		fail_msg("no %s", key);
	return strtod(f + strlen(pat), NULL);
}

static void close_to(double got, double want, const char *what)
{
	if (got < want - 0.0005 || got > want + 0.0005)
		fail_msg("%s: got %.4f, want %.4f", what, got, want);
}

/* round_to: v (not negative) rounded half up to places of 1/scale. */
static double round_to(double v, double scale)
{
	return (double)(long long)(v * scale + 0.5) / scale;
}

static double round1(double v)
{
	return round_to(v, 10.0);
}

/* xlsx_cell: the value of cell ref in a worksheet of the workbook. */
static double xlsx_cell(const char *xlsx, const char *sheet, const char *ref)
{
	char cmd[1200], pat[32], xml[65536];
	const char *c, *v;
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, zipfile; "
		 "sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())' "
		 "'%s' 'xl/worksheets/%s.xml'",
		 xlsx, sheet);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(xml, 1, sizeof(xml) - 1, p);
	xml[n] = '\0';
	assert_int_equal(pclose(p), 0);
	snprintf(pat, sizeof(pat), "<c r=\"%s\"", ref);
	c = strstr(xml, pat);
	if (!c)
		fail_msg("no cell %s in %s", ref, sheet);
	v = strstr(c, "<v>");
	assert_non_null(v);
	assert_true(v < strstr(c, "</c>"));
	return strtod(v + 3, NULL);
}

/* Cases with real handling times (set an hour or a day back), ratings and
 * a category named like a formula with markup in it; then every figure of
 * the JSON, the page, the CSV, the Excel file and the map, against the
 * same figures computed here from the case list. */
static void test_figures_two_ways(void **state)
{
	static const char *const states[] = {"submitted", "accepted", "assigned", "in_progress",
					     "referred",  "resolved", "closed",	  "rejected",
					     "duplicate", "reopened"};
	static struct seen_case cs[500];
	struct figures acc, res;
	struct client staff;
	struct response r;
	char sqlbuf[2000], want[400], path[400], label[64];
	long long seeded[4], now = (long long)time(NULL), formula_cat = 0;
	int n, rated = 0, stars = 0, by_rating[6] = {0};
	const char *p;

	(void)state;
	login_as(&staff, "staff");
	sql_exec("INSERT INTO case_categories (area_id, code, name_zh, name_en, description,"
		 " private, resolve_days, questions, sort_order) VALUES ((SELECT id FROM areas"
		 " WHERE code = 'pushan'), 'formula', '=1+2<i>&乙', '=1+2<i>&B', '', 0, 5, '[]',"
		 " 30); UPDATE data_version SET v = v + 1 WHERE id = 1;");
	for (int k = 0; k < 4; k++) {
		assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
				     k == 0
					 ? "{\"category\":\"formula\",\"description\":\"S-two "
					   "a\",\"compound_id\":2,\"plan_x\":120,\"plan_y\":140}"
					 : "{\"category\":\"formula\",\"description\":\"S-two b\"}",
				     &r),
				 0);
		assert_int_equal(r.status, 201);
		seeded[k] = json_int(r.body, "id");
		formula_cat = json_int(r.body, "category_id");
		response_release(&r);
	}
	/* Two kinds since archived, one of them with a report. */
	sql_exec("INSERT INTO case_categories (area_id, code, name_zh, name_en, description,"
		 " private, resolve_days, questions, sort_order) SELECT id, 'oldkind', '旧类A',"
		 " 'Old A', '', 0, 5, '[]', 31 FROM areas WHERE code = 'pushan'; INSERT INTO"
		 " case_categories (area_id, code, name_zh, name_en, description, private,"
		 " resolve_days, questions, sort_order) SELECT id, 'oldused', '旧类B', 'Old B', '',"
		 " 0, 5, '[]', 32 FROM areas WHERE code = 'pushan';"
		 " UPDATE data_version SET v = v + 1 WHERE id = 1;");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"oldused\",\"description\":\"S-two old\"}", &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	sql_exec("UPDATE case_categories SET archived = 1 WHERE code IN ('oldkind', 'oldused');"
		 " UPDATE data_version SET v = v + 1 WHERE id = 1;");
	/* Three days back, hours apart; times in minutes that are no round
	 * tenth of an hour; deadlines met and missed; ratings 4 and 5. */
	snprintf(sqlbuf, sizeof(sqlbuf),
		 "UPDATE cases SET created_at = %lld, accepted_at = %lld, accept_due = %lld,"
		 " resolved_at = %lld, resolve_due = %lld, state = 'closed', rating = 4 WHERE id = "
		 "%lld;"
		 "UPDATE cases SET created_at = %lld, accepted_at = %lld, accept_due = %lld,"
		 " resolved_at = %lld, resolve_due = %lld, state = 'resolved', rating = 5 WHERE id "
		 "= %lld;"
		 "UPDATE cases SET created_at = %lld, accepted_at = %lld, accept_due = %lld,"
		 " state = 'assigned' WHERE id = %lld;"
		 "UPDATE cases SET created_at = %lld WHERE id = %lld;",
		 now - 259200, now - 259200 + 4800, now - 259200 + 7200, now - 259200 + 96000,
		 now - 259200 + 86400, seeded[0], now - 255600, now - 255600 + 18600,
		 now - 255600 + 3600, now - 255600 + 180000, now - 255600 + 86400 * 3, seeded[1],
		 now - 252000, now - 252000 + 2400, now - 252000 + 7200, seeded[2], now - 248400,
		 seeded[3]);
	sql_exec(sqlbuf);

	/* The figures, computed here. */
	n = read_cases(&staff, cs, 500);
	figures_of(cs, n, 0, &acc);
	figures_of(cs, n, 1, &res);
	for (int i = 0; i < n; i++)
		if (cs[i].rating) {
			rated++;
			stars += cs[i].rating;
			by_rating[cs[i].rating]++;
		}
	assert_true(acc.n >= 6 && acc.within < acc.n); /* one accepted late */
	assert_true(res.n >= 3 && res.within < res.n);
	assert_true(rated >= 2);

	/* The JSON. */
	get(&staff, "/api/v1/cases/stats", 200, &r);
	assert_int_equal(json_int(r.body, "total"), n);
	p = strstr(r.body, "\"time_to_accept_hours\":");
	assert_non_null(p);
	assert_int_equal((long long)number_after(p, "count"), acc.n);
	close_to(number_after(p, "median"), round1(acc.median_h), "accept median");
	close_to(number_after(p, "p90"), round1(acc.p90_h), "accept p90");
	p = strstr(r.body, "\"time_to_resolve_hours\":");
	assert_int_equal((long long)number_after(p, "count"), res.n);
	close_to(number_after(p, "median"), round1(res.median_h), "resolve median");
	close_to(number_after(p, "p90"), round1(res.p90_h), "resolve p90");
	p = strstr(r.body, "\"accepted_within_deadline\":");
	assert_int_equal((long long)number_after(p, "within"), acc.within);
	assert_int_equal((long long)number_after(p, "of"), acc.n);
	close_to(number_after(p, "share"), round_to((double)acc.within / acc.n, 1000.0),
		 "accept share");
	p = strstr(r.body, "\"resolved_within_deadline\":");
	assert_int_equal((long long)number_after(p, "within"), res.within);
	close_to(number_after(p, "share"), round_to((double)res.within / res.n, 1000.0),
		 "resolve share");
	p = strstr(r.body, "\"satisfaction\":");
	assert_int_equal((long long)number_after(p, "count"), rated);
	close_to(number_after(p, "mean"), round1((double)stars / rated), "mean rating");
	for (int s = 1; s <= 5; s++) {
		snprintf(label, sizeof(label), "%d", s);
		assert_int_equal((long long)number_after(strstr(p, "\"distribution\":"), label),
				 by_rating[s]);
	}
	p = strstr(r.body, "\"by_state\":");
	for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
		int count = 0;
		for (int i = 0; i < n; i++)
			count += !strcmp(cs[i].state, states[s]);
		assert_int_equal((long long)number_after(p, states[s]), count);
	}
	/* An archived kind shows only with reports in the period. */
	assert_non_null(strstr(r.body, "\"code\":\"oldused\""));
	assert_null(strstr(r.body, "\"code\":\"oldkind\""));
	snprintf(want, sizeof(want), "\"id\":%lld,\"code\":\"formula\"", formula_cat);
	p = strstr(r.body, want);
	assert_non_null(p);
	assert_int_equal((long long)number_after(p, "total"), 4);
	response_release(&r);

	/* The page: the handling-times table and the shares of the states. */
	get(&staff, "/cases/stats", 200, &r);
	snprintf(want, sizeof(want),
		 "<td class=\"num\">%d</td><td class=\"num\">%.1f</td><td class=\"num\">%.1f</td>"
		 "<td class=\"num\">%.1f%% <span class=\"muted\">(%d / %d)</span>",
		 acc.n, acc.median_h, acc.p90_h, 100.0 * acc.within / acc.n, acc.within, acc.n);
	if (!strstr(r.body, want))
		fail_msg("page lacks %s", want);
	snprintf(want, sizeof(want),
		 "<td class=\"num\">%d</td><td class=\"num\">%.1f</td><td class=\"num\">%.1f</td>"
		 "<td class=\"num\">%.1f%% <span class=\"muted\">(%d / %d)</span>",
		 res.n, res.median_h, res.p90_h, 100.0 * res.within / res.n, res.within, res.n);
	if (!strstr(r.body, want))
		fail_msg("page lacks %s", want);
	for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++) {
		int count = 0;
		for (int i = 0; i < n; i++)
			count += !strcmp(cs[i].state, states[s]);
		snprintf(want, sizeof(want), "<span class=\"state state-%s\">", states[s]);
		p = strstr(r.body, want);
		assert_non_null(p);
		snprintf(want, sizeof(want),
			 "<td class=\"num\">%d</td><td class=\"num\">%.1f%%</td>", count,
			 100.0 * count / n);
		if (!strstr(p, want) || strstr(p, want) > strstr(p, "</tr>"))
			fail_msg("state %s: want %s", states[s], want);
	}
	/* Every kind with reports is in the charts, also after kinds without
	 * any; the name is text, not markup. */
	{
		const char *chart = strstr(r.body, "st-chart st-wide"), *end, *name;
		assert_non_null(chart);
		end = strstr(chart, "</svg>");
		name = strstr(chart, "=1+2&lt;i&gt;&amp;乙");
		assert_non_null(end);
		if (!name || name > end)
			fail_msg("the formula kind is missing from the chart");
		name = strstr(chart, "旧类B");
		if (!name || name > end)
			fail_msg("the archived kind with a report is missing from the chart");
	}
	assert_non_null(strstr(r.body, "=1+2&lt;i&gt;&amp;乙"));
	assert_null(strstr(r.body, "=1+2<i>"));
	response_release(&r);

	/* The CSV (pages and files speak Chinese unless the reader chose
	 * otherwise): no cell starts a formula; the same figures. */
	get(&staff, "/cases/stats.csv", 200, &r);
	assert_non_null(strstr(r.body, "\r\n'=1+2<i>&乙,formula,"));
	assert_non_null(strstr(r.body, "\r\n旧类B,oldused,"));
	assert_null(strstr(r.body, "oldkind"));
	assert_null(strstr(r.body, "\n="));
	assert_null(strstr(r.body, ",="));
	snprintf(want, sizeof(want), "\r\n受理用时,%d,%.1f,%.1f,%d,%d,%.1f%%\r\n", acc.n,
		 acc.median_h, acc.p90_h, acc.within, acc.n, 100.0 * acc.within / acc.n);
	if (!strstr(r.body, want))
		fail_msg("CSV lacks %s", want);
	snprintf(want, sizeof(want), "\r\n办结用时,%d,%.1f,%.1f,%d,%d,%.1f%%\r\n", res.n,
		 res.median_h, res.p90_h, res.within, res.n, 100.0 * res.within / res.n);
	if (!strstr(r.body, want))
		fail_msg("CSV lacks %s", want);
	for (int s = 1; s <= 5; s++) {
		snprintf(want, sizeof(want), "\r\n%d,%d\r\n", s, by_rating[s]);
		assert_non_null(strstr(r.body, want));
	}
	snprintf(want, sizeof(want), "\r\n平均,%.1f\r\n", (double)stars / rated);
	if (!strstr(r.body, want))
		fail_msg("CSV lacks %s", want);
	snprintf(want, sizeof(want), "\r\n合计,,");
	assert_non_null(strstr(r.body, want));
	snprintf(want, sizeof(want), ",%d\r\n\r\n", n); /* the grand total ends its table */
	assert_non_null(strstr(r.body, want));
	response_release(&r);

	/* The Excel file: the summary sheet's counts, shares and mean. */
	get(&staff, "/cases/stats.xlsx", 200, &r);
	snprintf(path, sizeof(path), "%s/stats.xlsx", srv.dir);
	{
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(r.body, 1, r.len, f), r.len);
		fclose(f);
	}
	response_release(&r);
	close_to(xlsx_cell(path, "sheet2", "B2"), acc.n, "xlsx accept count");
	close_to(xlsx_cell(path, "sheet2", "C2"), acc.median_h, "xlsx accept median");
	close_to(xlsx_cell(path, "sheet2", "E2"), acc.within, "xlsx accept within");
	close_to(xlsx_cell(path, "sheet2", "G2"), (double)acc.within / acc.n, "xlsx accept share");
	close_to(xlsx_cell(path, "sheet2", "G3"), (double)res.within / res.n, "xlsx resolve share");
	close_to(xlsx_cell(path, "sheet2", "B12"), round1((double)stars / rated), "xlsx mean");

	/* The map: the tooltip escapes the name (of the one closed case, so
	 * drawn alone, not in a cluster); each compound's count. */
	get(&staff, "/cases/map?state=closed", 200, &r);
	snprintf(want, sizeof(want), "<title>#%lld =1+2&lt;i&gt;&amp;乙 · ", seeded[0]);
	assert_non_null(strstr(r.body, want));
	assert_null(strstr(r.body, "=1+2<i>"));
	response_release(&r);
	get(&staff, "/cases/map?closed=1", 200, &r);
	assert_null(strstr(r.body, "=1+2<i>"));
	for (int i = 0; i < n; i++) {
		int count = 0;
		if (!cs[i].compound_id)
			continue;
		for (int j = 0; j < n; j++)
			count += cs[j].compound_id == cs[i].compound_id;
		snprintf(want, sizeof(want),
			 "<tr><th scope=\"row\">%s</th><td class=\"num\">%d</td></tr>",
			 cs[i].compound, count);
		if (!strstr(r.body, want))
			fail_msg("map lacks %s", want);
	}
	snprintf(want, sizeof(want), "<td class=\"num\"><b>%d</b></td></tr></tfoot>", n);
	assert_non_null(strstr(r.body, want));
	response_release(&r);
	client_release(&staff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_cases),
	    cmocka_unit_test(test_json_counts_what_was_done),
	    cmocka_unit_test(test_page_has_charts_and_tables),
	    cmocka_unit_test(test_exports),
	    cmocka_unit_test(test_map),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_figures_two_ways),
	};
	return cmocka_run_group_tests_name("http_cases_stats", tests, srv_setup, srv_teardown);
}
