/* HTTP tests of the case statistics and the site plan against the real
 * server and the demo area: staff file and work a few cases, then the
 * JSON, the page, the CSV and Excel exports and the map must agree with
 * what was done; private categories are counted; no reporter's name,
 * phone or words reach the map; roles without case access are refused;
 * bad periods are refused in the reader's language. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	get(&staff, "/cases/map", 200, &r);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_cases),
	    cmocka_unit_test(test_json_counts_what_was_done),
	    cmocka_unit_test(test_page_has_charts_and_tables),
	    cmocka_unit_test(test_exports),
	    cmocka_unit_test(test_map),
	    cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests_name("http_stats", tests, srv_setup, srv_teardown);
}
