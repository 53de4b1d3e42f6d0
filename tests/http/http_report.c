/* HTTP tests of the monthly report against the real server and the demo
 * area: two consecutive months of 2024 (before the demo's history) are
 * seeded through the API (reports filed, worked, rated, mediated; a
 * meter's loud spells), then moved into those months in the database as
 * nothing else can; every figure of the page, the JSON and the Excel file
 * must be what was done, with the month before beside it. Bad months are
 * refused in both languages; residents and volunteers may not see it. */
#include "checks.h"
#include "upload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#define CST 28800 /* Shanghai: seconds east of UTC */

static void get(struct client *c, const char *path, long want, struct response *r)
{
	assert_int_equal(api(c, &srv, "GET", path, NULL, r), 0);
	if (r->status != want)
		fail_msg("GET %s: got %ld (%.300s), want %ld", path, r->status, r->body, want);
}

static void post(struct client *c, const char *path, const char *body, long want,
		 struct response *r)
{
	assert_int_equal(api(c, &srv, "POST", path, body, r), 0);
	if (r->status != want)
		fail_msg("POST %s %s: got %ld (%.300s), want %ld", path, body, r->status, r->body,
			 want);
}

/* at: epoch second of y-m-d h:00 Shanghai time. */
static long long at(int y, int m, int d, int h)
{
	struct tm tm = {0};

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	return (long long)timegm(&tm) - CST;
}

/* at_day: 00:00 Shanghai time of YYYY-MM-DD. */
static long long at_day(const char *day)
{
	return at((int)strtol(day, NULL, 10), (int)strtol(day + 5, NULL, 10),
		  (int)strtol(day + 8, NULL, 10), 0);
}

/* One seeded report: when it was filed, resolved (0: not), rated (0:
 * not) and its deadline to resolve. */
struct seeded {
	long long created, resolved, rated, due;
	int stars;
	long long id;
	char code[32];
};

/* March 2024 (P) and April 2024 (C):
 * P: 3 received; 2 resolved in P (rated 5 and 4); 1 overdue at P's end,
 *    resolved in C.
 * C: 5 received; 2 resolved in C (one rated 3) + P's late one = 3;
 *    2 overdue at C's end; 1 due in May (not overdue). */
static struct seeded cases[] = {
    {0, 0, 0, 0, 5, 0, ""}, {0, 0, 0, 0, 4, 0, ""}, {0, 0, 0, 0, 0, 0, ""}, {0, 0, 0, 0, 3, 0, ""},
    {0, 0, 0, 0, 0, 0, ""}, {0, 0, 0, 0, 0, 0, ""}, {0, 0, 0, 0, 0, 0, ""}, {0, 0, 0, 0, 0, 0, ""},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void plan_cases(void)
{
	cases[0] = (struct seeded){at(2024, 3, 5, 10),
				   at(2024, 3, 10, 9),
				   at(2024, 3, 12, 9),
				   at(2024, 3, 20, 18),
				   5,
				   0,
				   ""};
	cases[1] = (struct seeded){at(2024, 3, 6, 10),
				   at(2024, 3, 15, 9),
				   at(2024, 3, 16, 9),
				   at(2024, 3, 20, 18),
				   4,
				   0,
				   ""};
	cases[2] = (struct seeded){
	    at(2024, 3, 7, 10), at(2024, 4, 2, 9), 0, at(2024, 3, 20, 18), 0, 0, ""};
	cases[3] = (struct seeded){at(2024, 4, 3, 10),
				   at(2024, 4, 8, 9),
				   at(2024, 4, 9, 9),
				   at(2024, 4, 20, 18),
				   3,
				   0,
				   ""};
	cases[4] = (struct seeded){
	    at(2024, 4, 3, 11), at(2024, 4, 9, 9), 0, at(2024, 4, 20, 18), 0, 0, ""};
	cases[5] = (struct seeded){at(2024, 4, 4, 10), 0, 0, at(2024, 4, 20, 18), 0, 0, ""};
	cases[6] = (struct seeded){at(2024, 4, 5, 10), 0, 0, at(2024, 4, 20, 18), 0, 0, ""};
	/* the last second of April, Shanghai time: still April */
	cases[7] = (struct seeded){at(2024, 5, 1, 0) - 1, 0, 0, at(2024, 5, 5, 18), 0, 0, ""};
}

/* figure: the value and previous of the row keyed key in the JSON, as
 * text ("5", "4.5", "null"). */
static void figure(const char *body, const char *key, char *value, char *previous)
{
	char pat[96];
	const char *p, *v;

	snprintf(pat, sizeof(pat), "\"key\":\"%s\",\"label\":", key);
	p = strstr(body, pat);
	if (!p)
		fail_msg("no row %s in %.2000s", key, body);
	v = strstr(p, "\"value\":");
	assert_non_null(v);
	v += 8;
	snprintf(value, 24, "%.*s", (int)strcspn(v, ",}"), v);
	v = strstr(p, "\"previous\":");
	assert_non_null(v);
	v += 11;
	snprintf(previous, 24, "%.*s", (int)strcspn(v, ",}"), v);
}

static void want_figure(const char *body, const char *key, const char *value, const char *previous)
{
	char v[24], p[24];

	figure(body, key, v, p);
	if (strcmp(v, value) || strcmp(p, previous))
		fail_msg("%s: got %s (before %s), want %s (before %s)", key, v, p, value, previous);
}

/* meter_spells: a class 1 meter of its own with a one-second rule; three
 * loud spells three days ago, each its own alert; the alerts moved into
 * March (one) and April (two) 2024. */
static void meter_spells(struct client *staff)
{
	struct response r;
	char *out = NULL, hdr[200], body[400];
	long long tok, meter, t0 = (long long)time(NULL) - 3 * 86400;
	char sql[600];

	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "月报分贝仪", "--role", "meter", NULL), 0);
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %.*s", (int)strcspn(out, "\n"), out);
	tok = atoll(strstr(out, "Token ") + 6);
	free(out);
	snprintf(body, sizeof(body),
		 "{\"name\":\"月报分贝仪\",\"zone_class\":\"1\",\"token_id\":%lld}", tok);
	post(staff, "/api/v1/meters", body, 201, &r);
	meter = json_int(r.body, "id");
	response_release(&r);
	snprintf(
	    body, sizeof(body),
	    "{\"name\":\"月报：超标\",\"meter_id\":%lld,\"kind\":\"laeq_limit\",\"window_s\":1,"
	    "\"margin_centi\":0,\"clear_centi\":300,\"quiet_s\":60,\"open_case\":false}",
	    meter);
	post(staff, "/api/v1/noise_alert_rules", body, 201, &r);
	response_release(&r);
	/* loud 3 s, quiet 70 s, three times; the quiet closes each alert */
	for (int spell = 0; spell < 3; spell++) {
		char readings[8000];
		size_t len = (size_t)snprintf(readings, sizeof(readings), "{\"readings\":[");
		long long t = t0 + spell * 80;
		struct client m;
		for (int s = 0; s < 73; s++)
			len += (size_t)snprintf(readings + len, sizeof(readings) - len,
						"%s{\"t\":%lld,\"laeq\":%s}", s ? "," : "", t + s,
						s < 3 ? "80" : "30");
		snprintf(readings + len, sizeof(readings) - len, "]}");
		client_init(&m);
		assert_int_equal(request(&m, &srv, "POST", "/api/v1/noise/readings", readings,
					 "application/json", hdr, &r),
				 0);
		if (r.status != 200)
			fail_msg("readings: %ld %s", r.status, r.body);
		response_release(&r);
		client_release(&m);
	}
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM noise_alerts WHERE meter_id = %lld",
		 meter);
	{
		char n[16];
		sql_query(n, sizeof(n), sql);
		if (strtol(n, NULL, 10) != 3)
			fail_msg("%s alerts, want 3", n);
	}
	snprintf(sql, sizeof(sql),
		 "UPDATE noise_alerts SET opened_t = CASE WHEN id = (SELECT MIN(id) FROM"
		 " noise_alerts WHERE meter_id = %lld) THEN %lld ELSE %lld + id END,"
		 " closed_t = NULL WHERE meter_id = %lld;"
		 " UPDATE data_version SET v = v + 1 WHERE id = 1;",
		 meter, at(2024, 3, 20, 20), at(2024, 4, 12, 20), meter);
	sql_exec(sql);
}

static void setup_months(void **state)
{
	struct client staff;
	struct response r;
	char path[128], body[400], sql[1200];

	(void)state;
	plan_cases();
	login_as(&staff, "staff");
	for (size_t i = 0; i < NCASES; i++) {
		struct seeded *c = &cases[i];
		post(&staff, "/api/v1/cases",
		     "{\"category\":\"repair\",\"description\":\"月报测试\",\"compound_id\":1}",
		     201, &r);
		c->id = json_int(r.body, "id");
		json_str(r.body, "tracking_code", c->code, sizeof(c->code));
		response_release(&r);
		snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", c->id);
		post(&staff, path, "{\"action\":\"accept\"}", 200, &r);
		response_release(&r);
		if (c->resolved) {
			post(&staff, path, "{\"action\":\"assign\",\"handler_team_id\":1}", 200,
			     &r);
			response_release(&r);
			post(&staff, path, "{\"action\":\"resolve\",\"note\":\"修好了\"}", 200, &r);
			response_release(&r);
		}
		if (c->stars) {
			struct client anon;
			client_init(&anon);
			snprintf(path, sizeof(path), "/api/v1/track/%s/rating", c->code);
			snprintf(body, sizeof(body), "{\"rating\":%d}", c->stars);
			assert_int_equal(
			    request(&anon, &srv, "POST", path, body, "application/json", NULL, &r),
			    0);
			if (r.status != 200)
				fail_msg("rating: %ld %s", r.status, r.body);
			response_release(&r);
			client_release(&anon);
		}
		snprintf(
		    sql, sizeof(sql),
		    "UPDATE cases SET created_at = %lld, accepted_at = %lld, accept_due = %lld,"
		    " resolve_due = %lld, resolved_at = %s, rated_at = %s, closed_at = NULL"
		    " WHERE id = %lld; UPDATE data_version SET v = v + 1 WHERE id = 1;",
		    c->created, c->created + 60, c->created + 86400, c->due,
		    c->resolved ? "RESOLVED" : "NULL", c->rated ? "RATED" : "NULL", c->id);
		{
			/* the times as numbers where the template says so */
			char num[32], *p;
			snprintf(num, sizeof(num), "%lld", c->resolved);
			if ((p = strstr(sql, "RESOLVED"))) {
				memmove(p + strlen(num), p + 8, strlen(p + 8) + 1);
				memcpy(p, num, strlen(num));
			}
			snprintf(num, sizeof(num), "%lld", c->rated);
			if ((p = strstr(sql, "RATED"))) {
				memmove(p + strlen(num), p + 5, strlen(p + 5) + 1);
				memcpy(p, num, strlen(num));
			}
		}
		sql_exec(sql);
	}
	/* Mediation: one in March without agreement, one in April with. */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", cases[2].id);
	post(&staff, path,
	     "{\"held_on\":\"2024-03-11\",\"parties\":\"3号楼、4号楼\",\"mediators\":\"调解员\"}",
	     201, &r);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", cases[5].id);
	post(&staff, path,
	     "{\"held_on\":\"2024-04-30\",\"parties\":\"楼上、楼下\",\"mediators\":\"调解员\","
	     "\"agreement\":\"晚十点后不装修\"}",
	     201, &r);
	response_release(&r);
	meter_spells(&staff);
	/* Service hours: a team member's 90 minutes in March, 150 - 30 in April. */
	{
		char who[32];
		sql_query(who, sizeof(who),
			  "SELECT MIN(resident_id) FROM team_members WHERE resident_id IS NOT NULL"
			  " AND joined_on <= '2024-03-01' AND left_on IS NULL");
		snprintf(body, sizeof(body),
			 "{\"resident_id\":%s,\"minutes\":90,\"source\":\"activity\","
			 "\"day\":\"2024-03-15\"}",
			 who);
		post(&staff, "/api/v1/hours/entries", body, 201, &r);
		response_release(&r);
		snprintf(body, sizeof(body),
			 "{\"resident_id\":%s,\"minutes\":150,\"source\":\"activity\","
			 "\"day\":\"2024-04-10\"}",
			 who);
		post(&staff, "/api/v1/hours/entries", body, 201, &r);
		/* half an hour of it was not served: a reversal, dated as its entry */
		snprintf(path, sizeof(path), "/api/v1/hours/entries/%lld/reversal",
			 json_int(r.body, "id"));
		response_release(&r);
		post(&staff, path, "{\"minutes\":30,\"reason\":\"提前离开\"}", 201, &r);
		response_release(&r);
	}
	client_release(&staff);
}

static void test_json_figures_beside_the_month_before(void **state)
{
	struct client sec;
	struct response r;

	(void)state;
	login_as(&sec, "secretary");
	get(&sec, "/api/v1/reports/monthly?month=2024-04", 200, &r);
	assert_non_null(strstr(r.body, "\"month\":\"2024-04\",\"previous_month\":\"2024-03\""));
	want_figure(r.body, "received", "5", "3");
	want_figure(r.body, "resolved", "3", "2");
	want_figure(r.body, "overdue", "2", "1");
	want_figure(r.body, "rated", "1", "2");
	want_figure(r.body, "rating_mean", "3.0", "4.5");
	want_figure(r.body, "satisfied", "0.0", "100.0");
	want_figure(r.body, "sessions", "1", "1");
	want_figure(r.body, "agreements", "1", "0");
	want_figure(r.body, "no_agreement", "0", "1");
	want_figure(r.body, "alerts", "2", "1");
	want_figure(r.body, "alerts_team:", "2", "1");
	want_figure(r.body, "minutes", "2.0", "1.5");
	want_figure(r.body, "people", "1", "1");
	/* no shifts, meetings or inspections in 2024: zeros, and no share */
	want_figure(r.body, "shifts", "0", "0");
	want_figure(r.body, "coverage", "null", "null");
	want_figure(r.body, "held", "0", "0");
	want_figure(r.body, "attendance", "null", "null");
	want_figure(r.body, "inspections", "0", "0");
	/* today's register has no month before */
	{
		char v[24], p[24];
		figure(r.body, "residents", v, p);
		assert_true(strtol(v, NULL, 10) > 4000);
		assert_string_equal(p, "null");
	}
	/* the names of residents are in no figure */
	assert_null(strstr(r.body, "reporter"));
	response_release(&r);
	/* March, with February (nothing) beside it */
	get(&sec, "/api/v1/reports/monthly?month=2024-03", 200, &r);
	want_figure(r.body, "received", "3", "0");
	want_figure(r.body, "overdue", "1", "0");
	want_figure(r.body, "rating_mean", "4.5", "null");
	want_figure(r.body, "satisfied", "100.0", "null");
	response_release(&r);
	client_release(&sec);
}

static void test_page_shows_both_months(void **state)
{
	struct client sec;
	struct response r;

	(void)state;
	login_as(&sec, "secretary");
	get(&sec, "/reports/monthly?month=2024-04", 200, &r);
	assert_non_null(strstr(r.body, "<span>2024-04</span> 工作月报"));
	assert_non_null(strstr(r.body, "<tr data-key=\"received\"><th scope=\"row\">受理反映</th>"
				       "<td class=\"num\">5</td><td class=\"num prev\">3</td>"
				       "<td class=\"num\">+2</td></tr>"));
	assert_non_null(strstr(r.body, "<tr data-key=\"overdue\"><th scope=\"row\">超期未办结</th>"
				       "<td class=\"num\">2</td><td class=\"num prev\">1</td>"
				       "<td class=\"num\">+1</td></tr>"));
	assert_non_null(strstr(r.body, "<td class=\"num\">0.0%</td><td class=\"num prev\">100.0%"
				       "</td><td class=\"num\">−100.0%</td>"));
	assert_non_null(strstr(r.body, "<td class=\"num\">3.00</td><td class=\"num prev\">4.50"));
	/* charts are SVG drawn on the server, the print button needs no inline script */
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(strstr(r.body, "data-print hidden"));
	assert_null(strstr(r.body, "onclick"));
	assert_non_null(strstr(r.body, "href=\"/reports/monthly.xlsx?month=2024-04\""));
	assert_non_null(strstr(r.body, "href=\"/reports/monthly?month=2024-05\""));
	response_release(&r);
	client_release(&sec);
}

/* xlsx_cell: the value of cell ref in the workbook's first sheet. */
static double xlsx_cell(const char *xlsx, const char *ref)
{
	char cmd[1200], pat[32], *xml = malloc(1 << 20);
	const char *c, *v;
	double d;
	size_t n;
	FILE *p;

	assert_non_null(xml);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys, zipfile; "
		 "sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(\"xl/worksheets/sheet1.xml\")"
		 ".decode())' '%s'",
		 xlsx);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(xml, 1, (1 << 20) - 1, p);
	xml[n] = '\0';
	assert_int_equal(pclose(p), 0);
	snprintf(pat, sizeof(pat), "<c r=\"%s\"", ref);
	c = strstr(xml, pat);
	if (!c)
		fail_msg("no cell %s", ref);
	v = strstr(c, "<v>");
	assert_non_null(v);
	assert_true(v < strstr(c, "</c>"));
	d = strtod(v + 3, NULL);
	free(xml);
	return d;
}

static void test_xlsx_opens_with_the_figures(void **state)
{
	struct client sec;
	struct response r;
	char path[512], cmd[600];
	const char *cd;

	(void)state;
	login_as(&sec, "secretary");
	get(&sec, "/reports/monthly.xlsx?month=2024-04", 200, &r);
	cd = strstr(r.headers, "monthly-2024-04.xlsx");
	assert_non_null(cd);
	snprintf(path, sizeof(path), "%s/monthly.xlsx", srv.dir);
	{
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(r.body, 1, r.len, f), r.len);
		fclose(f);
	}
	response_release(&r);
	snprintf(cmd, sizeof(cmd), "unzip -l '%s' | grep -q 'xl/worksheets/sheet1.xml'", path);
	assert_int_equal(system(cmd), 0);
	/* rows: title, heads, the people (a heading and five), the cases */
	assert_true(xlsx_cell(path, "B10") == 5.0); /* received */
	assert_true(xlsx_cell(path, "C10") == 3.0);
	assert_true(xlsx_cell(path, "B12") == 2.0); /* overdue */
	assert_true(xlsx_cell(path, "C12") == 1.0);
	assert_true(xlsx_cell(path, "B14") == 3.0); /* mean stars */
	assert_true(xlsx_cell(path, "C14") == 4.5);
	client_release(&sec);
}

static void test_bad_month_refused(void **state)
{
	static const char *const bad[] = {"2024-13", "2024-00",	 "2024-3",  "24-03",
					  "1999-12", "2024-03x", "2024/03", "abcd-ef"};
	struct client sec;
	struct response r;
	char path[128], next[24];
	time_t t = time(NULL) + CST;
	struct tm tm;

	(void)state;
	login_as(&sec, "secretary");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/reports/monthly?month=%s", bad[i]);
		get(&sec, path, 400, &r);
		assert_non_null(strstr(r.body, "月份格式应为 YYYY-MM"));
		response_release(&r);
		snprintf(path, sizeof(path), "/reports/monthly?month=%s", bad[i]);
		get(&sec, path, 400, &r);
		assert_non_null(strstr(r.body, "月份格式应为 YYYY-MM"));
		response_release(&r);
	}
	/* next month has not begun */
	gmtime_r(&t, &tm);
	snprintf(next, sizeof(next), "%04d-%02d", tm.tm_year + 1900 + (tm.tm_mon == 11),
		 tm.tm_mon == 11 ? 1 : tm.tm_mon + 2);
	snprintf(path, sizeof(path), "/api/v1/reports/monthly?month=%s", next);
	get(&sec, path, 400, &r);
	response_release(&r);
	/* this month has */
	snprintf(path, sizeof(path), "/api/v1/reports/monthly?month=%04d-%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1);
	get(&sec, path, 200, &r);
	response_release(&r);
	/* in English */
	{
		struct client c;
		login_as(&c, "secretary");
		assert_int_equal(request(&c, &srv, "GET", "/api/v1/reports/monthly?month=2024-13",
					 NULL, NULL, "Accept-Language: en", &r),
				 0);
		assert_int_equal(r.status, 400);
		assert_non_null(strstr(r.body, "The month must be YYYY-MM"));
		response_release(&r);
		client_release(&c);
	}
	client_release(&sec);
}

static void test_who_may_see_it(void **state)
{
	static const struct {
		const char *user;
		long status;
	} who[] = {{"admin", 200},     {"secretary", 200}, {"staff", 200},   {"member", 200},
		   {"volunteer", 403}, {"resident", 403},  {"liaison", 403}, {"agency", 403}};
	struct response r;

	(void)state;
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		struct client c;
		login_as(&c, who[i].user);
		get(&c, "/api/v1/reports/monthly?month=2024-04", who[i].status, &r);
		response_release(&r);
		get(&c, "/reports/monthly?month=2024-04", who[i].status, &r);
		if (who[i].status == 200)
			assert_non_null(strstr(r.body, "href=\"/reports/monthly\""));
		response_release(&r);
		client_release(&c);
	}
}

/* ---- station inspections and patrol logs ---- */

static long long station_all, station_two, station_old, route_live, route_old;

static long long sql_id(const char *statements)
{
	char out[32];

	sql_query(out, sizeof(out), statements);
	return strtoll(out, NULL, 10);
}

/* save: POST body to path (the duty part's admin), the new row's id. */
static long long save(struct client *c, const char *path, const char *body)
{
	struct response r;
	long long id;

	post(c, path, body, 201, &r);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

/* The stations and routes through the duty part's admin API; the
 * volunteer's account will lead the first station and the live route.
 * A station's point has no field there yet: it is set in the database. */
static void setup_field(void **state)
{
	struct client staff;
	struct response r;
	char body[300], path[96], sql[200];
	long long leader;

	(void)state;
	leader = sql_id("SELECT MIN(id) FROM residents");
	login_as(&staff, "staff");
	snprintf(body, sizeof(body),
		 "{\"compound_id\":1,\"name\":\"一号投放点\",\"code\":\"ST01\","
		 "\"categories\":\"recyclable,hazardous,wet,dry\",\"leader_resident_id\":%lld}",
		 leader);
	station_all = save(&staff, "/api/v1/duty/stations", body);
	station_two = save(&staff, "/api/v1/duty/stations",
			   "{\"compound_id\":2,\"name\":\"二号投放点\",\"code\":\"ST02\","
			   "\"categories\":\"wet,dry\"}");
	station_old = save(&staff, "/api/v1/duty/stations",
			   "{\"compound_id\":2,\"name\":\"旧投放点\",\"code\":\"ST03\"}");
	snprintf(path, sizeof(path), "/api/v1/duty/stations/%lld", station_old);
	assert_int_equal(api(&staff, &srv, "PUT", path,
			     "{\"compound_id\":2,\"name\":\"旧投放点\",\"code\":\"ST03\","
			     "\"archived\":true}",
			     &r),
			 0);
	if (r.status != 200)
		fail_msg("archive station: %ld %s", r.status, r.body);
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"name\":\"广场晚巡\",\"code\":\"PR01\",\"leader_resident_id\":%lld}", leader);
	route_live = save(&staff, "/api/v1/duty/routes", body);
	route_old = save(&staff, "/api/v1/duty/routes", "{\"name\":\"旧路线\",\"code\":\"PR02\"}");
	snprintf(path, sizeof(path), "/api/v1/duty/routes/%lld", route_old);
	assert_int_equal(api(&staff, &srv, "PUT", path,
			     "{\"name\":\"旧路线\",\"code\":\"PR02\",\"archived\":true}", &r),
			 0);
	if (r.status != 200)
		fail_msg("archive route: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&staff);
	snprintf(
	    sql, sizeof(sql),
	    "UPDATE sorting_stations SET lat_e6 = 31230000, lon_e6 = 121440000 WHERE id = %lld;"
	    " UPDATE data_version SET v = v + 1 WHERE id = 1;",
	    station_all);
	sql_exec(sql);
}

static long long count_rows(const char *table)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	return sql_id(sql);
}

/* refused: POST body to path is 422 naming field with message; nothing
 * is written to table. */
static void refused(struct client *c, const char *path, const char *body, const char *field,
		    const char *message, const char *table)
{
	struct response r;
	long long before = count_rows(table);
	char want[96];

	post(c, path, body, 422, &r);
	snprintf(want, sizeof(want), "\"field\":\"%s\"", field);
	if (!strstr(r.body, want) || !strstr(r.body, message))
		fail_msg("%s: %s", body, r.body);
	response_release(&r);
	assert_int_equal(count_rows(table), before);
}

static void test_inspection_and_its_case(void **state)
{
	struct client staff;
	struct response r;
	char body[300], path[96], tomorrow[16];
	long long id, case_id;
	time_t t = time(NULL) + CST + 86400;
	struct tm tm;

	(void)state;
	gmtime_r(&t, &tm);
	strftime(tomorrow, sizeof(tomorrow), "%Y-%m-%d", &tm);
	login_as(&staff, "staff");
	snprintf(body, sizeof(body),
		 "{\"station_id\":%lld,\"recyclable\":\"A\",\"wet\":\"C\",\"dry\":\"B\","
		 "\"remarks\":\"湿垃圾里有塑料袋\"}",
		 station_all);
	post(&staff, "/api/v1/inspections", body, 201, &r);
	id = json_int(r.body, "id");
	assert_non_null(strstr(r.body, "\"wet\":\"C\""));
	assert_non_null(strstr(r.body, "\"hazardous\":null"));
	assert_non_null(strstr(r.body, "\"inspector\":\"staff\""));
	response_release(&r);

	/* Bad input: each refused with its field named, nothing written. */
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"D\"}", station_all);
	refused(&staff, "/api/v1/inspections", body, "wet", "等级只能是 A、B 或 C",
		"station_inspections");
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"a\"}", station_all);
	refused(&staff, "/api/v1/inspections", body, "wet", "等级只能是", "station_inspections");
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"hazardous\":\"A\"}", station_two);
	refused(&staff, "/api/v1/inspections", body, "hazardous", "不收这一类垃圾",
		"station_inspections");
	snprintf(body, sizeof(body), "{\"station_id\":%lld}", station_all);
	refused(&staff, "/api/v1/inspections", body, "recyclable", "至少为一类垃圾评定等级",
		"station_inspections");
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"A\",\"inspected_on\":\"%s\"}",
		 station_all, tomorrow);
	refused(&staff, "/api/v1/inspections", body, "inspected_on", "不晚于今天",
		"station_inspections");
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"A\"}", station_old);
	refused(&staff, "/api/v1/inspections", body, "station_id", "已停用", "station_inspections");
	refused(&staff, "/api/v1/inspections", "{\"station_id\":999999,\"wet\":\"A\"}",
		"station_id", "请选择一个投放点", "station_inspections");

	/* in English */
	{
		struct client en;
		login_as(&en, "staff");
		snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"D\"}", station_all);
		en.lang = "en";
		post(&en, "/api/v1/inspections", body, 422, &r);
		assert_non_null(strstr(r.body, "A grade is A, B or C"));
		response_release(&r);
		client_release(&en);
	}
	/* One tap: the problem becomes a garbage-sorting case at the station. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/case", id);
	post(&staff, path, "{}", 201, &r);
	case_id = json_int(r.body, "case_id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case_id);
	get(&staff, path, 200, &r);
	assert_non_null(strstr(r.body, "一号投放点"));
	assert_non_null(strstr(r.body, "湿垃圾 C、干垃圾 B"));
	assert_non_null(strstr(r.body, "湿垃圾里有塑料袋"));
	assert_int_equal(json_int(r.body, "compound_id"), 1);
	assert_int_equal(json_int(r.body, "lat_e6"), 31230000);
	response_release(&r);
	get(&staff, "/api/v1/case-categories", 200, &r);
	response_release(&r);
	{
		char sql[160], code[32];
		snprintf(sql, sizeof(sql),
			 "SELECT k.code FROM cases c JOIN case_categories k ON k.id = c.category_id"
			 " WHERE c.id = %lld",
			 case_id);
		sql_query(code, sizeof(code), sql);
		assert_string_equal(code, "garbage");
	}
	/* A second tap opens nothing new: it answers with the case. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/case", id);
	post(&staff, path, "{}", 409, &r);
	assert_int_equal(json_int(r.body, "case_id"), case_id);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	get(&staff, path, 200, &r);
	assert_int_equal(json_int(r.body, "case_id"), case_id);
	response_release(&r);
	/* The page shows the grade and links the case; the CSV has the row. */
	get(&staff, "/inspections", 200, &r);
	snprintf(path, sizeof(path), "<a href=\"/cases/%lld\">#%lld</a>", case_id, case_id);
	assert_non_null(strstr(r.body, path));
	assert_non_null(strstr(r.body, "<span class=\"grade grade-C\">湿垃圾 C</span>"));
	assert_non_null(strstr(r.body, "<svg"));
	response_release(&r);
	get(&staff, "/inspections.csv", 200, &r);
	assert_non_null(strstr(r.body, "一号投放点,staff,A,,C,B,湿垃圾里有塑料袋"));
	response_release(&r);
	client_release(&staff);
}

/* the week's first session: its start as epoch seconds + 60 and every
 * team on at that moment (as "|id|" in teams). */
static long long session_moment(char *teams, size_t n)
{
	time_t now = time(NULL) + CST;
	struct tm tm;
	char monday[16], path[64], *out = NULL;
	long long base, at = 0;
	struct response r;
	struct client staff;
	const char *p;

	gmtime_r(&now, &tm);
	now -= (time_t)((tm.tm_wday + 6) % 7) * 86400;
	gmtime_r(&now, &tm);
	strftime(monday, sizeof(monday), "%Y-%m-%d", &tm);
	base = at_day(monday);
	assert_int_equal(run_cli(&srv, NULL, &out, "schedule", "publish", "--week", monday,
				 "--time-limit", "10", NULL),
			 0);
	free(out);
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/schedule?week=%s", monday);
	get(&staff, path, 200, &r);
	p = strstr(r.body, "\"sessions\":[{");
	assert_non_null(p);
	{
		int day = (int)json_int(p, "day");
		char start[8];
		json_str(p, "start", start, sizeof(start));
		at = base + (long long)(day - 1) * 86400 +
		     (strtol(start, NULL, 10) * 60 + strtol(start + 3, NULL, 10)) * 60 + 60;
	}
	/* every session of that day starting at the same minute is on */
	teams[0] = '\0';
	for (const char *q = p; (q = strstr(q, "{\"day\":")); q++) {
		long long from = base + (strtoll(q + 7, NULL, 10) - 1) * 86400, to;
		char start[8], end[8];
		json_str(q, "start", start, sizeof(start));
		json_str(q, "end", end, sizeof(end));
		to = from + (strtol(end, NULL, 10) * 60 + strtol(end + 3, NULL, 10)) * 60;
		from += (strtol(start, NULL, 10) * 60 + strtol(start + 3, NULL, 10)) * 60;
		if (from <= at && at < to)
			snprintf(teams + strlen(teams), n - strlen(teams), "|%lld|",
				 json_int(q, "team_id"));
	}
	response_release(&r);
	client_release(&staff);
	return at;
}

static void test_patrol_log_and_its_case(void **state)
{
	struct client staff;
	struct response r;
	char body[300], path[96], teams[256], want[40], sql[200];
	long long id, quiet, case_id, at;

	(void)state;
	login_as(&staff, "staff");
	snprintf(body, sizeof(body),
		 "{\"route_id\":%lld,\"kind\":\"noise\",\"seen\":\"音响开得很大\","
		 "\"spoken_to\":\"领队\"}",
		 route_live);
	post(&staff, "/api/v1/patrols", body, 201, &r);
	id = json_int(r.body, "id");
	/* the server's clock, not the phone's */
	assert_true(llabs(json_int(r.body, "at") - (long long)time(NULL)) < 60);
	response_release(&r);
	snprintf(body, sizeof(body), "{\"route_id\":%lld,\"kind\":\"none\",\"seen\":\"一切正常\"}",
		 route_live);
	post(&staff, "/api/v1/patrols", body, 201, &r);
	quiet = json_int(r.body, "id");
	response_release(&r);

	/* Bad input. */
	snprintf(body, sizeof(body), "{\"route_id\":%lld,\"kind\":\"noise\",\"seen\":\"x\"}",
		 route_old);
	refused(&staff, "/api/v1/patrols", body, "route_id", "该巡查路线已停用", "patrol_logs");
	snprintf(body, sizeof(body), "{\"route_id\":%lld,\"kind\":\"loud\",\"seen\":\"x\"}",
		 route_live);
	refused(&staff, "/api/v1/patrols", body, "kind", "类别应为", "patrol_logs");
	snprintf(body, sizeof(body), "{\"route_id\":%lld,\"kind\":\"noise\",\"seen\":\"  \"}",
		 route_live);
	refused(&staff, "/api/v1/patrols", body, "seen", "请写下所见情况", "patrol_logs");
	refused(&staff, "/api/v1/patrols", "{\"kind\":\"noise\",\"seen\":\"x\"}", "route_id",
		"请选择一条巡查路线", "patrol_logs");

	/* Heard while a team was on the timetable: the case is about it. */
	at = session_moment(teams, sizeof(teams));
	snprintf(sql, sizeof(sql),
		 "UPDATE patrol_logs SET at = %lld WHERE id = %lld;"
		 " UPDATE data_version SET v = v + 1 WHERE id = 1;",
		 at, id);
	sql_exec(sql);
	snprintf(path, sizeof(path), "/api/v1/patrols/%lld/case", id);
	post(&staff, path, "{}", 201, &r);
	case_id = json_int(r.body, "case_id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case_id);
	get(&staff, path, 200, &r);
	snprintf(want, sizeof(want), "|%lld|", json_int(r.body, "subject_team_id"));
	if (!strstr(teams, want))
		fail_msg("case about team %s, on: %s", want, teams);
	assert_non_null(strstr(r.body, "音响开得很大"));
	assert_non_null(strstr(r.body, "已沟通：领队"));
	response_release(&r);
	/* A quiet round is no case. */
	snprintf(path, sizeof(path), "/api/v1/patrols/%lld/case", quiet);
	post(&staff, path, "{}", 422, &r);
	assert_non_null(strstr(r.body, "无异常"));
	response_release(&r);
	get(&staff, "/patrols", 200, &r);
	assert_non_null(strstr(r.body, "噪声监测点当前声级"));
	assert_non_null(strstr(r.body, "音响开得很大"));
	response_release(&r);
	get(&staff, "/patrols.csv", 200, &r);
	assert_non_null(strstr(r.body, "音响开得很大,领队"));
	response_release(&r);
	client_release(&staff);
}

static void test_volunteers_write_their_own(void **state)
{
	struct client vol, member, resident;
	struct response r;
	char body[200];
	long long mine, rostered;

	(void)state;
	login_as(&vol, "volunteer");
	/* Not linked to the leader yet: refused, nothing written. */
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"A\"}", station_all);
	post(&vol, "/api/v1/inspections", body, 403, &r);
	response_release(&r);
	sql_exec("UPDATE users SET resident_id = (SELECT MIN(id) FROM residents)"
		 " WHERE username = 'volunteer'; UPDATE data_version SET v = v + 1 WHERE id = 1;");
	post(&vol, "/api/v1/inspections", body, 201, &r);
	mine = json_int(r.body, "id");
	response_release(&r);
	/* a station they do not lead stays closed */
	snprintf(body, sizeof(body), "{\"station_id\":%lld,\"wet\":\"A\"}", station_two);
	post(&vol, "/api/v1/inspections", body, 403, &r);
	response_release(&r);
	/* until they are on its roster: a shift there yesterday, of a
	 * published week (the duty part's tables, written here as its
	 * planner would) */
	{
		char sql[1500];
		long long now = (long long)time(NULL);
		snprintf(
		    sql, sizeof(sql),
		    "INSERT INTO volunteers (area_id, resident_id) VALUES (1, (SELECT MIN(id)"
		    " FROM residents));"
		    " INSERT INTO duty_windows (area_id, station_id, start_min, end_min)"
		    " VALUES (1, %lld, 420, 540);"
		    " INSERT INTO duty_weeks (area_id, week_start, published_at) VALUES"
		    " (1, '2000-01-03', %lld);"
		    " INSERT INTO duty_shifts (area_id, window_id, station_id, week_start, day,"
		    " start_at, end_at, need, need_trained) VALUES (1, (SELECT MAX(id) FROM"
		    " duty_windows), %lld, '2000-01-03', '2000-01-03', %lld, %lld, 1, 0);"
		    " INSERT INTO duty_assignments (area_id, shift_id, volunteer_id) VALUES (1,"
		    " (SELECT MAX(id) FROM duty_shifts), (SELECT MAX(id) FROM volunteers));"
		    " UPDATE data_version SET v = v + 1 WHERE id = 1;",
		    station_two, now, station_two, now - 86400, now - 86400 + 7200);
		sql_exec(sql);
	}
	post(&vol, "/api/v1/inspections", body, 201, &r);
	rostered = json_int(r.body, "id");
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"route_id\":%lld,\"kind\":\"safety\",\"seen\":\"路灯不亮\"}", route_live);
	post(&vol, "/api/v1/patrols", body, 201, &r);
	response_release(&r);
	/* They read only their own records. */
	get(&vol, "/api/v1/inspections", 200, &r);
	assert_int_equal(json_int(r.body, "id"), rostered); /* newest first */
	{
		char want[40];
		snprintf(want, sizeof(want), "{\"id\":%lld,", mine);
		assert_non_null(strstr(r.body, want));
	}
	assert_null(strstr(r.body, "湿垃圾里有塑料袋"));
	response_release(&r);
	get(&vol, "/api/v1/patrols", 200, &r);
	assert_null(strstr(r.body, "音响开得很大"));
	assert_non_null(strstr(r.body, "路灯不亮"));
	response_release(&r);
	client_release(&vol);
	/* Party members read everything and write nothing; residents nothing. */
	login_as(&member, "member");
	get(&member, "/api/v1/patrols", 200, &r);
	assert_non_null(strstr(r.body, "音响开得很大"));
	response_release(&r);
	snprintf(body, sizeof(body), "{\"route_id\":%lld,\"kind\":\"none\",\"seen\":\"x\"}",
		 route_live);
	post(&member, "/api/v1/patrols", body, 403, &r);
	response_release(&r);
	client_release(&member);
	login_as(&resident, "resident");
	get(&resident, "/api/v1/inspections", 403, &r);
	response_release(&r);
	get(&resident, "/patrols", 403, &r);
	response_release(&r);
	client_release(&resident);
}

/* The form's photo is kept as a case's photo is (its location stripped)
 * and goes with the case the inspection becomes; a file that is not a
 * photo is refused with nothing written; the form carries its token. */
static void test_inspection_photo(void **state)
{
	struct client staff;
	struct response r;
	struct form f = {0};
	unsigned char png[512];
	size_t n = make_png(png);
	char station[24], sha[80], path[96];
	long long before, id, case_id;

	(void)state;
	login_as(&staff, "staff");
	snprintf(station, sizeof(station), "%lld", station_all);
	form_field(&f, "_csrf", staff.csrf);
	form_field(&f, "station_id", station);
	form_field(&f, "dry", "C");
	form_field(&f, "remarks", "桶满溢出");
	form_file(&f, "photo", "station.png", "image/png", png, n);
	form_end(&f);
	assert_int_equal(form_post(&staff, &srv, "/inspections", &f, NULL, &r), 0);
	if (r.status != 303)
		fail_msg("inspection form: %ld %.400s", r.status, r.body);
	response_release(&r);
	id = sql_id("SELECT MAX(id) FROM station_inspections");
	sql_query(sha, sizeof(sha),
		  "SELECT photo_sha256 FROM station_inspections"
		  " WHERE id = (SELECT MAX(id) FROM station_inspections)");
	assert_int_equal(strlen(sha), 64);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/case", id);
	post(&staff, path, "{}", 201, &r);
	case_id = json_int(r.body, "case_id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case_id);
	get(&staff, path, 200, &r);
	if (!strstr(r.body, sha))
		fail_msg("the case has not the photo %s: %.600s", sha, r.body);
	response_release(&r);

	/* Not a photo: refused beside its field, nothing written. */
	before = count_rows("station_inspections");
	memset(&f, 0, sizeof(f));
	form_field(&f, "_csrf", staff.csrf);
	form_field(&f, "station_id", station);
	form_field(&f, "dry", "B");
	form_file(&f, "photo", "notes.txt", "image/png", "just text", 9);
	form_end(&f);
	assert_int_equal(form_post(&staff, &srv, "/inspections", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "只能上传 JPEG、PNG 或 WebP 照片"));
	assert_non_null(strstr(r.body, "href=\"#f-photo\""));
	response_release(&r);
	assert_int_equal(count_rows("station_inspections"), before);
	/* Without the session's token: refused. */
	memset(&f, 0, sizeof(f));
	form_field(&f, "station_id", station);
	form_field(&f, "dry", "B");
	form_end(&f);
	assert_int_equal(form_post(&staff, &srv, "/inspections", &f, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	assert_int_equal(count_rows("station_inspections"), before);
	client_release(&staff);
}

/* The month's records in the monthly report. */
static void test_report_counts_the_records(void **state)
{
	struct client sec;
	struct response r;
	char path[96], v[24], p[24];
	time_t t = time(NULL) + CST;
	struct tm tm;

	(void)state;
	gmtime_r(&t, &tm);
	snprintf(path, sizeof(path), "/api/v1/reports/monthly?month=%04d-%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1);
	login_as(&sec, "secretary");
	get(&sec, path, 200, &r);
	want_figure(r.body, "inspections", "3", "0");
	want_figure(r.body, "problems", "1", "0");
	figure(r.body, "field_cases", v, p);
	assert_true(strtol(v, NULL, 10) >= 1);
	response_release(&r);
	client_release(&sec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_months),
	    cmocka_unit_test(test_json_figures_beside_the_month_before),
	    cmocka_unit_test(test_page_shows_both_months),
	    cmocka_unit_test(test_xlsx_opens_with_the_figures),
	    cmocka_unit_test(test_bad_month_refused),
	    cmocka_unit_test(test_who_may_see_it),
	    cmocka_unit_test(setup_field),
	    cmocka_unit_test(test_inspection_and_its_case),
	    cmocka_unit_test(test_patrol_log_and_its_case),
	    cmocka_unit_test(test_volunteers_write_their_own),
	    cmocka_unit_test(test_report_counts_the_records),
	    cmocka_unit_test(test_inspection_photo),
	};
	return cmocka_run_group_tests_name("http_report", tests, srv_setup, srv_teardown);
}
