/* HTTP tests of door-to-door surveys against the real server: a
 * questionnaire with a conditional question (an answer to it while it is
 * not shown is refused; after the answer that shows it, accepted), the
 * visit outcomes, a door outside the campaign and a door of another
 * volunteer's building refused with nothing recorded, the phone's form
 * whose follow-up question appears after "save" and whose draft survives a
 * reload, a finding filed as a case that links back on the case's
 * timeline and follows the cases' own door, the coverage numbers, the
 * answer counts and the exports. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static long long b1, b2, b3;	     /* two buildings covered, one not */
static long long d1, d2, d3, d4, d5; /* doors of b1 */
static long long other_door;	     /* a door of b2 */
static long long outside;	     /* a door of b3 */
static long long survey;	     /* the campaign */
static long long met_visit;	     /* d1's visit */
static long long other_visit;	     /* other_door's visit */

static struct client clients[NDEMO_USERS];
static int signed_in[NDEMO_USERS];

static int teardown(void **state)
{
	for (size_t k = 0; k < NDEMO_USERS; k++)
		if (signed_in[k])
			client_release(&clients[k]);
	return srv_teardown(state);
}

static struct client *as(const char *user)
{
	size_t k = 0;

	while (k < NDEMO_USERS && strcmp(demo_users[k], user))
		k++;
	assert_true(k < NDEMO_USERS);
	if (!signed_in[k]) {
		login_as(&clients[k], user);
		signed_in[k] = 1;
	}
	return &clients[k];
}

/* expect: a JSON call as user, the status asserted, the answer returned
 * (caller frees). */
static char *expect(const char *user, const char *method, const char *path, const char *json,
		    long want)
{
	struct response r;
	char *out;

	assert_int_equal(api(as(user), &srv, method, path, json, &r), 0);
	if (r.status != want)
		fail_msg("%s %s %s: got %ld (%.400s), want %ld", user, method, path, r.status,
			 r.body, want);
	out = strdup(r.body ? r.body : "");
	assert_non_null(out);
	response_release(&r);
	return out;
}

/* page: a GET (form NULL) or a form POST as user; returns the status, the
 * body in *body (caller frees), the Location in loc when given. */
static long page(const char *user, const char *path, const char *form, char **body, char *loc,
		 size_t nloc)
{
	struct client *c = as(user);
	struct response r;
	char *full = NULL;
	long status;

	if (form) {
		size_t n = strlen(form) + strlen(c->csrf) + 16;
		full = malloc(n);
		assert_non_null(full);
		snprintf(full, n, "_csrf=%s&%s", c->csrf, form);
	}
	assert_int_equal(request(c, &srv, form ? "POST" : "GET", path, full,
				 form ? "application/x-www-form-urlencoded" : NULL, NULL, &r),
			 0);
	free(full);
	status = r.status;
	if (loc && !header_value(&r, "Location", loc, nloc))
		loc[0] = '\0';
	if (body) {
		*body = strdup(r.body ? r.body : "");
		assert_non_null(*body);
	}
	response_release(&r);
	return status;
}

static long long sql_int(const char *sql)
{
	char out[64] = "";
	sql_query(out, sizeof(out), sql);
	return atoll(out);
}

static void setup_people(void **state)
{
	char sql[512];

	(void)state;
	/* two volunteers of duty's demo roster: the "volunteer" account is the
	 * first, the Party "member" account the second */
	snprintf(sql, sizeof(sql),
		 "UPDATE users SET resident_id = (SELECT resident_id FROM volunteers"
		 " ORDER BY id LIMIT 1) WHERE username = 'volunteer';"
		 "UPDATE users SET resident_id = (SELECT resident_id FROM volunteers"
		 " ORDER BY id LIMIT 1 OFFSET 1) WHERE username = 'member';");
	sql_exec(sql);
	b1 = sql_int("SELECT building_id FROM households GROUP BY building_id"
		     " HAVING COUNT(*) >= 5 ORDER BY building_id LIMIT 1;");
	b2 = sql_int("SELECT building_id FROM households GROUP BY building_id"
		     " HAVING COUNT(*) >= 5 ORDER BY building_id LIMIT 1 OFFSET 1;");
	b3 = sql_int("SELECT building_id FROM households GROUP BY building_id"
		     " HAVING COUNT(*) >= 5 ORDER BY building_id LIMIT 1 OFFSET 2;");
	for (int k = 0; k < 5; k++) {
		long long *d[] = {&d1, &d2, &d3, &d4, &d5};
		snprintf(sql, sizeof(sql),
			 "SELECT id FROM households WHERE building_id = %lld ORDER BY id LIMIT 1"
			 " OFFSET %d;",
			 b1, k);
		*d[k] = sql_int(sql);
	}
	snprintf(sql, sizeof(sql), "SELECT MIN(id) FROM households WHERE building_id = %lld;", b2);
	other_door = sql_int(sql);
	snprintf(sql, sizeof(sql), "SELECT MIN(id) FROM households WHERE building_id = %lld;", b3);
	outside = sql_int(sql);
	assert_true(b1 && b2 && b3 && d5 && other_door && outside);
}

static const char *questions =
    "[{\"code\":\"has_pet\",\"kind\":\"single\",\"required\":true,\"prompt\":\"家里养宠物吗？\","
    "\"options\":[{\"key\":\"yes\",\"label\":\"养\"},{\"key\":\"no\",\"label\":\"不养\"}]},"
    "{\"code\":\"pet_kind\",\"kind\":\"multiple\",\"required\":true,\"prompt\":\"养的是什么？\","
    "\"options\":[{\"key\":\"dog\",\"label\":\"狗\"},{\"key\":\"cat\",\"label\":\"猫\"}],"
    "\"show_if\":{\"question\":\"has_pet\",\"answer\":\"yes\"}},"
    "{\"code\":\"people\",\"kind\":\"number\",\"prompt\":\"几口人？\",\"min\":1,\"max\":12},"
    "{\"code\":\"say\",\"kind\":\"text\",\"prompt\":\"还有什么意见？\"}]";

static void test_campaign(void **state)
{
	char json[2048], path[128], *out;

	(void)state;
	/* a condition on a question that is not there: refused, named */
	snprintf(json, sizeof(json),
		 "{\"title\":\"坏问卷\",\"questions\":[{\"code\":\"a\",\"kind\":\"text\","
		 "\"prompt\":\"A\",\"show_if\":{\"question\":\"zz\",\"answer\":\"yes\"}}]}");
	out = expect("staff", "POST", "/api/v1/surveys", json, 422);
	assert_non_null(strstr(out, "\"field\":\"show_if\""));
	assert_non_null(strstr(out, "追问只能跟在前面的单选或多选题后面"));
	free(out);
	out = expect("staff", "GET", "/api/v1/surveys", NULL, 200);
	assert_null(strstr(out, "坏问卷")); /* nothing half-written */
	free(out);
	/* a volunteer may not make one */
	free(expect("volunteer", "POST", "/api/v1/surveys", "{\"title\":\"x\"}", 403));

	snprintf(json, sizeof(json),
		 "{\"title\":\"养宠调查\",\"questions\":%s,\"buildings\":["
		 "{\"building_id\":%lld,\"volunteer_ids\":[(VOL1)]},"
		 "{\"building_id\":%lld,\"volunteer_ids\":[(VOL2)]}]}",
		 questions, b1, b2);
	{
		/* the volunteers' ids, put in place */
		char v1[24], v2[24], *p, buf[2048];
		snprintf(v1, sizeof(v1), "%lld",
			 sql_int("SELECT id FROM volunteers ORDER BY id LIMIT 1;"));
		snprintf(v2, sizeof(v2), "%lld",
			 sql_int("SELECT id FROM volunteers ORDER BY id LIMIT 1 OFFSET 1;"));
		p = strstr(json, "(VOL1)");
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - json), json, v1, p + 6);
		p = strstr(buf, "(VOL2)");
		snprintf(json, sizeof(json), "%.*s%s%s", (int)(p - buf), buf, v2, p + 6);
	}
	out = expect("staff", "POST", "/api/v1/surveys", json, 201);
	survey = json_int(out, "id");
	assert_non_null(strstr(out, "\"state\":\"draft\""));
	free(out);
	/* no visits before it opens */
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/visits", survey);
	snprintf(json, sizeof(json), "{\"household_id\":%lld,\"outcome\":\"refused\"}", d1);
	out = expect("staff", "POST", path, json, 403);
	assert_non_null(strstr(out, "调研没有在进行中"));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/state", survey);
	free(expect("staff", "POST", path, "{\"state\":\"open\"}", 200));
	free(expect("staff", "POST", path, "{\"state\":\"open\"}", 409));
	/* the questionnaire is fixed once open */
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/questions", survey);
	out = expect("staff", "POST", path,
		     "{\"code\":\"late\",\"kind\":\"text\",\"prompt\":\"晚了\"}", 403);
	assert_non_null(strstr(out, "问卷不能再修改"));
	free(out);
}

/* visit: the volunteer's (or user's) API record at door; want asserted. */
static char *visit(const char *user, long long door, const char *rest, long want)
{
	char path[96], json[1024];
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/visits", survey);
	snprintf(json, sizeof(json), "{\"household_id\":%lld,%s}", door, rest);
	return expect(user, "POST", path, json, want);
}

static long long visits_of(long long door)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM survey_visits WHERE household_id = %lld;",
		 door);
	return sql_int(sql);
}

static void test_conditional_question(void **state)
{
	char *out;

	(void)state;
	/* pet_kind is shown only after has_pet = yes: answered after "no" */
	out = visit("volunteer", d1,
		    "\"outcome\":\"met\",\"answers\":{\"has_pet\":\"no\",\"pet_kind\":[\"dog\"]}",
		    422);
	assert_non_null(strstr(out, "\"field\":\"pet_kind\""));
	assert_non_null(strstr(out, "回答了一个未显示的问题"));
	free(out);
	assert_int_equal(visits_of(d1), 0);
	/* shown (has_pet = yes) and required: missing is refused */
	out = visit("volunteer", d1, "\"outcome\":\"met\",\"answers\":{\"has_pet\":\"yes\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"pet_kind\""));
	assert_non_null(strstr(out, "有必答题没有回答"));
	free(out);
	/* a number beyond its bounds, a choice not offered */
	out = visit("volunteer", d1,
		    "\"outcome\":\"met\",\"answers\":{\"has_pet\":\"yes\",\"pet_kind\":[\"dog\"],"
		    "\"people\":13}",
		    422);
	assert_non_null(strstr(out, "\"field\":\"people\""));
	free(out);
	out = visit("volunteer", d1,
		    "\"outcome\":\"met\",\"answers\":{\"has_pet\":\"yes\",\"pet_kind\":[\"fish\"]}",
		    422);
	assert_non_null(strstr(out, "请从问题给出的选项中选择"));
	free(out);
	assert_int_equal(visits_of(d1), 0);
	/* after the answer that shows it: accepted */
	out = visit("volunteer", d1,
		    "\"outcome\":\"met\",\"answers\":{\"has_pet\":\"yes\",\"pet_kind\":[\"dog\","
		    "\"cat\"],\"people\":12},\"notes\":\"楼下常见狗粪\",\"follow_up\":true",
		    201);
	met_visit = json_int(out, "id");
	assert_non_null(strstr(out, "\"pet_kind\":[\"dog\",\"cat\"]"));
	free(out);
	/* a door met once is not met again */
	out = visit("volunteer", d1, "\"outcome\":\"met\",\"answers\":{\"has_pet\":\"no\"}", 409);
	assert_non_null(strstr(out, "不能重复记录"));
	free(out);
	assert_int_equal(visits_of(d1), 1);
}

static void test_outcomes_and_doors(void **state)
{
	char path[96], *out;

	(void)state;
	out = visit("volunteer", d3, "\"outcome\":\"nobody_home\",\"revisit_on\":\"2026-12-20\"",
		    201);
	assert_non_null(strstr(out, "\"revisit_on\":\"2026-12-20\""));
	free(out);
	free(visit("volunteer", d4, "\"outcome\":\"refused\"", 201));
	/* d3 on the second try: refused (counted refused, not twice visited) */
	free(visit("volunteer", d3, "\"outcome\":\"refused\"", 201));
	/* answers without meeting anyone, an unknown outcome, a bad day */
	free(visit("volunteer", d5, "\"outcome\":\"nobody_home\",\"answers\":{\"has_pet\":\"no\"}",
		   422));
	free(visit("volunteer", d5, "\"outcome\":\"asleep\"", 422));
	free(visit("volunteer", d5, "\"outcome\":\"nobody_home\",\"revisit_on\":\"20/12\"", 422));
	assert_int_equal(visits_of(d5), 0);
	/* a door outside the campaign: refused, said plainly, nothing written */
	out = visit("staff", outside, "\"outcome\":\"refused\"", 404);
	assert_non_null(strstr(out, "这户不在本次调研覆盖的楼栋内"));
	free(out);
	out = visit("volunteer", outside, "\"outcome\":\"refused\"", 404);
	free(out);
	assert_int_equal(visits_of(outside), 0);
	/* a door of the other volunteer's building */
	out = visit("member", d5, "\"outcome\":\"refused\"", 403);
	assert_non_null(strstr(out, "这户不在分配给您的楼栋里"));
	free(out);
	out = visit("volunteer", other_door, "\"outcome\":\"refused\"", 403);
	free(out);
	assert_int_equal(visits_of(d5) + visits_of(other_door), 0);
	/* ... which is the member's own */
	out = visit("member", other_door,
		    "\"outcome\":\"nobody_home\",\"revisit_on\":\"2026-12-21\"", 201);
	other_visit = json_int(out, "id");
	free(out);
	/* on the member's phone: first among the doors to try again */
	{
		char *body, want[96];
		snprintf(path, sizeof(path), "/surveys/%lld/doors", survey);
		assert_int_equal(page("member", path, NULL, &body, NULL, 0), 200);
		snprintf(want, sizeof(want), "href=\"/surveys/%lld/doors/%lld\">", survey,
			 other_door);
		assert_non_null(strstr(body, "待回访"));
		assert_non_null(strstr(body, want));
		assert_true(strstr(body, want) < strstr(body, "survey-bldg"));
		assert_non_null(strstr(body, "2026-12-21"));
		free(body);
	}
	/* a resident has no door here at all */
	free(visit("resident", d5, "\"outcome\":\"refused\"", 403));
	/* the volunteer's list holds their building's doors only */
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/doors", survey);
	out = expect("volunteer", "GET", path, NULL, 200);
	{
		char needle[48];
		snprintf(needle, sizeof(needle), "\"household_id\":%lld,", d5);
		assert_non_null(strstr(out, needle));
		snprintf(needle, sizeof(needle), "\"household_id\":%lld,", other_door);
		assert_null(strstr(out, needle));
	}
	free(out);
	/* and so does the page */
	snprintf(path, sizeof(path), "/surveys/%lld/doors/%lld", survey, other_door);
	assert_int_equal(page("volunteer", path, NULL, NULL, NULL, 0), 403);
}

static void test_phone_form(void **state)
{
	char path[96], form[256], loc[256], *body;

	(void)state;
	snprintf(path, sizeof(path), "/surveys/%lld/doors/%lld", survey, d2);
	/* the follow-up question is hidden and disabled before its answer
	 * (survey.js shows it on a phone with script) */
	assert_int_equal(page("volunteer", path, NULL, &body, NULL, 0), 200);
	assert_non_null(strstr(body, "name=\"q_has_pet\""));
	assert_non_null(strstr(body, "data-if-q=\"has_pet\" data-if-a=\"yes\" hidden disabled>"));
	free(body);
	/* "save": kept on the server, the page shown again with it */
	assert_int_equal(page("volunteer", path,
			      "step=save&outcome=met&q_has_pet=yes&notes=%E5%A5%BD", NULL, loc,
			      sizeof(loc)),
			 303);
	assert_non_null(strstr(loc, path));
	assert_int_equal(page("volunteer", path, NULL, &body, NULL, 0), 200); /* a reload */
	assert_non_null(strstr(body, "data-if-q=\"has_pet\" data-if-a=\"yes\">"));
	assert_non_null(strstr(body, "value=\"yes\" checked"));
	assert_non_null(strstr(body, ">好</textarea>"));
	free(body);
	/* recorded with the follow-up answered while "no" is picked: refused */
	assert_int_equal(page("volunteer", path,
			      "step=finish&outcome=met&q_has_pet=no&q_pet_kind=dog", &body, NULL,
			      0),
			 422);
	assert_non_null(strstr(body, "回答了一个未显示的问题"));
	free(body);
	assert_int_equal(visits_of(d2), 0);
	/* answered properly: recorded, to the visit's page */
	snprintf(form, sizeof(form),
		 "step=finish&outcome=met&q_has_pet=yes&q_pet_kind=dog&q_pet_kind=cat&q_people=3");
	assert_int_equal(page("volunteer", path, form, NULL, loc, sizeof(loc)), 303);
	assert_non_null(strstr(loc, "/visits/"));
	assert_int_equal(visits_of(d2), 1);
	assert_int_equal(page("volunteer", loc, NULL, &body, NULL, 0), 200);
	assert_non_null(strstr(body, "狗、猫"));
	free(body);
	/* the draft went with the record */
	snprintf(form, sizeof(form),
		 "SELECT COUNT(*) FROM survey_drafts WHERE household_id = %lld;", d2);
	assert_int_equal(sql_int(form), 0);
}

static void test_finding_becomes_case(void **state)
{
	char path[128], needle[128], *out, *body;
	long long case_id, private_id;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/visits/%lld/findings", survey,
		 met_visit);
	out = expect("volunteer", "POST", path,
		     "{\"category\":\"pet_waste\",\"description\":\"楼前绿化带狗粪多处\"}", 201);
	case_id = json_int(out, "case_id");
	free(out);
	/* on the case's timeline, linked back to the visit */
	snprintf(path, sizeof(path), "/cases/%lld", case_id);
	assert_int_equal(page("staff", path, NULL, &body, NULL, 0), 200);
	snprintf(needle, sizeof(needle), "<a href=\"/surveys/%lld/visits/%lld\">", survey,
		 met_visit);
	assert_non_null(strstr(body, needle));
	assert_non_null(strstr(body, "来源"));
	assert_non_null(strstr(body, "楼前绿化带狗粪多处"));
	free(body);
	/* a bad category: refused by the cases' own rule, no case */
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/visits/%lld/findings", survey,
		 met_visit);
	free(expect("volunteer", "POST", path, "{\"category\":\"nosuch\",\"description\":\"x\"}",
		    422));
	/* a private category's case: the visit lists it only to who may open it */
	out = expect("volunteer", "POST", path,
		     "{\"category\":\"dispute\",\"description\":\"邻居为狗吵架\"}", 201);
	private_id = json_int(out, "case_id");
	free(out);
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/visits/%lld", survey, met_visit);
	snprintf(needle, sizeof(needle), "\"case_id\":%lld,", private_id);
	out = expect("staff", "GET", path, NULL, 200);
	assert_non_null(strstr(out, needle));
	free(out);
	out = expect("volunteer", "GET", path, NULL, 200);
	assert_null(strstr(out, needle));
	snprintf(needle, sizeof(needle), "\"case_id\":%lld,", case_id);
	assert_non_null(strstr(out, needle));
	free(out);
	/* a Party member reads any visit; a volunteer only their doors' */
	free(expect("member", "GET", path, NULL, 200));
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/visits/%lld", survey, other_visit);
	out = expect("volunteer", "GET", path, NULL, 403);
	assert_non_null(strstr(out, "这户不在分配给您的楼栋里"));
	free(out);
	snprintf(path, sizeof(path), "/surveys/%lld/visits/%lld", survey, other_visit);
	assert_int_equal(page("volunteer", path, NULL, NULL, NULL, 0), 403);
	snprintf(path, sizeof(path), "/surveys/%lld/visits/%lld", survey, met_visit);
	assert_int_equal(page("volunteer", path, NULL, &body, NULL, 0), 200);
	snprintf(needle, sizeof(needle), "href=\"/cases/%lld\"", private_id);
	assert_null(strstr(body, needle));
	free(body);
	snprintf(path, sizeof(path), "/cases/%lld", private_id);
	assert_int_equal(page("volunteer", path, NULL, NULL, NULL, 0), 404);
	/* the campaign page names the findings to staff */
	snprintf(path, sizeof(path), "/surveys/%lld", survey);
	assert_int_equal(page("staff", path, NULL, &body, NULL, 0), 200);
	snprintf(needle, sizeof(needle), "href=\"/cases/%lld\"", case_id);
	assert_non_null(strstr(body, needle));
	free(body);
}

static void test_coverage_stats_export(void **state)
{
	char path[128], needle[256], *out, *body;
	long long doors;

	(void)state;
	snprintf(needle, sizeof(needle),
		 "SELECT COUNT(*) FROM households WHERE building_id = %lld AND archived = 0;", b1);
	doors = sql_int(needle);
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/coverage", survey);
	out = expect("member", "GET", path, NULL, 200);
	/* b1: d1, d2 met, d3 nobody home then refused, d4 refused */
	snprintf(needle, sizeof(needle), "\"building_id\":%lld,", b1);
	{
		const char *row = strstr(out, needle);
		assert_non_null(row);
		assert_int_equal(json_int(row, "doors"), doors);
		assert_int_equal(json_int(row, "visited"), 4);
		assert_int_equal(json_int(row, "reached"), 2);
		assert_int_equal(json_int(row, "refused"), 2);
	}
	snprintf(needle, sizeof(needle), "\"building_id\":%lld,", b2);
	{
		const char *row = strstr(out, needle);
		assert_non_null(row);
		assert_int_equal(json_int(row, "visited"), 1);
		assert_int_equal(json_int(row, "reached"), 0);
	}
	free(out);
	free(expect("volunteer", "GET", path, NULL, 403));
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/stats", survey);
	out = expect("staff", "GET", path, NULL, 200);
	assert_non_null(strstr(out, "\"counts\":{\"yes\":2}"));
	assert_non_null(strstr(out, "\"counts\":{\"cat\":2,\"dog\":2}"));
	free(out);
	/* the page: coverage and a chart per choice question */
	snprintf(path, sizeof(path), "/surveys/%lld", survey);
	assert_int_equal(page("staff", path, NULL, &body, NULL, 0), 200);
	snprintf(needle, sizeof(needle), "<tr data-building=\"%lld\">", b1);
	assert_non_null(strstr(body, needle));
	assert_non_null(strstr(body, "<li>养: 2</li>"));
	assert_non_null(strstr(body, "<svg"));
	free(body);
	/* exports: the committee's */
	snprintf(path, sizeof(path), "/surveys/%lld/export.csv", survey);
	assert_int_equal(page("staff", path, NULL, &body, NULL, 0), 200);
	assert_non_null(strstr(body, "visit,compound,building,door,visitor,outcome"));
	assert_non_null(strstr(body, ",has_pet,pet_kind,people,say"));
	assert_non_null(strstr(body, "狗; 猫"));
	assert_non_null(strstr(body, "nobody_home"));
	free(body);
	assert_int_equal(page("member", path, NULL, NULL, NULL, 0), 403);
	snprintf(path, sizeof(path), "/surveys/%lld/export.xlsx", survey);
	assert_int_equal(page("staff", path, NULL, &body, NULL, 0), 200);
	assert_true(body[0] == 'P' && body[1] == 'K');
	free(body);
	/* closed: no more visits */
	snprintf(path, sizeof(path), "/api/v1/surveys/%lld/state", survey);
	free(expect("staff", "POST", path, "{\"state\":\"closed\"}", 200));
	out = visit("volunteer", d5, "\"outcome\":\"refused\"", 403);
	assert_non_null(strstr(out, "调研没有在进行中"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_people),
	    cmocka_unit_test(test_campaign),
	    cmocka_unit_test(test_conditional_question),
	    cmocka_unit_test(test_outcomes_and_doors),
	    cmocka_unit_test(test_phone_form),
	    cmocka_unit_test(test_finding_becomes_case),
	    cmocka_unit_test(test_coverage_stats_export),
	};
	return cmocka_run_group_tests(tests, srv_setup, teardown);
}
