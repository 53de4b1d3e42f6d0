/* HTTP tests of an owners' assembly's door-to-door delivery against the
 * real server: staff form groups led by Party members and give a floor of
 * a building to a volunteer at once (a leader who is no Party member, a
 * floor without doors refused, nothing changed); a volunteer's phone shows
 * only their own doors, a group's leader the group's; every outcome is
 * recorded with the server's time, a door nobody opened gets tomorrow as
 * its revisit day; a visit to another volunteer's door, to a door of
 * another assembly or with an unknown outcome is refused with the reason
 * in Chinese and writes nothing; the progress moves with each visit and
 * with a ballot counted, and a closed assembly takes no more visits. */
#include "checks.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#define FORM "application/x-www-form-urlencoded"

static long long assembly, other; /* the assembly under test; another one */
static long long building, compound;
static long long vol1, vol2;	     /* volunteers: the demo's, and doorvol2's */
static long long leader_a, leader_b; /* Party members: the demo member's, another */
static long long group_a, group_b;
static long long floor1[6], floor2[6]; /* the parts on floors 1 and 2 */
static long long foreign_part;	       /* a part of the other assembly */

static long long q(const char *sql)
{
	char v[64] = "";
	sql_query(v, sizeof(v), sql);
	return atoll(v);
}

static long call(const char *user, const char *method, const char *path, const char *json,
		 struct response *r)
{
	struct client c;
	login_as(&c, user);
	assert_int_equal(api(&c, &srv, method, path, json, r), 0);
	client_release(&c);
	return r->status;
}

static long page(const char *user, const char *path, struct response *r)
{
	struct client c;
	login_as(&c, user);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, r), 0);
	client_release(&c);
	return r->status;
}

/* post: a form as the page sends it (with the session's CSRF token). */
static long post(const char *user, const char *path, const char *fields, struct response *r)
{
	struct client c;
	char body[1024];
	login_as(&c, user);
	snprintf(body, sizeof(body), "_csrf=%s&%s", c.csrf, fields);
	assert_int_equal(request(&c, &srv, "POST", path, body, FORM, NULL, r), 0);
	client_release(&c);
	return r->status;
}

/* visit: user records outcome at part; the status. */
static long visit(const char *user, long long part, const char *outcome, const char *extra,
		  struct response *r)
{
	char path[96], fields[256];
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/visits", assembly);
	snprintf(fields, sizeof(fields), "part_id=%lld&outcome=%s%s", part, outcome,
		 extra ? extra : "");
	return post(user, path, fields, r);
}

static long long visits(void)
{
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM assembly_visits WHERE assembly_id = %lld",
		 assembly);
	return q(sql);
}

static void add_user(const char *name, const char *role, long long resident)
{
	char pw[64], res[24], *out = NULL;
	snprintf(pw, sizeof(pw), "pushan-%s\n", name);
	snprintf(res, sizeof(res), "%lld", resident);
	int rc = run_cli(&srv, pw, &out, "user", "add", name, "--role", role, "--resident", res,
			 "--password-stdin", NULL);
	if (rc)
		fprintf(stderr, "%s\n", out);
	assert_int_equal(rc, 0);
	free(out);
}

/* new_assembly: a published, opened assembly of one building with one
 * matter (published 20 days ago, so voting may open now). */
static long long new_assembly(long long b, int open)
{
	struct response r;
	char body[256], path[96];
	long long id;
	long long now = (long long)time(NULL);

	snprintf(body, sizeof(body),
		 "{\"compound_id\":%lld,\"title\":\"续聘物业 %lld\","
		 "\"buildings\":[%lld]}",
		 compound, b, b);
	assert_int_equal(call("admin", "POST", "/api/v1/assemblies", body, &r), 201);
	id = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/roll", id);
	assert_int_equal(call("admin", "POST", path, "{}", &r) / 100, 2);
	response_release(&r);
	if (!open)
		return id;
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/matters", id);
	assert_int_equal(call("admin", "POST", path,
			      "{\"code\":\"M1\",\"item\":4,\"title\":\"续聘物业服务企业\"}", &r) /
			     100,
			 2);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/publish", id);
	snprintf(body, sizeof(body), "{\"published_at\":%lld,\"closes_at\":%lld}", now - 20 * 86400,
		 now + 10 * 86400);
	assert_int_equal(call("admin", "POST", path, body, &r), 200);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/open", id);
	assert_int_equal(call("admin", "POST", path, "{}", &r), 200);
	assert_non_null(strstr(r.body, "\"open\""));
	response_release(&r);
	return id;
}

/* parts_on: the parts of the assembly on floor f (units ending f01..f06). */
static void parts_on(int f, long long out[6])
{
	char sql[256];
	for (int d = 1; d <= 6; d++) {
		snprintf(sql, sizeof(sql),
			 "SELECT id FROM assembly_parts WHERE assembly_id = %lld AND unit LIKE "
			 "'%%%d%02d'",
			 assembly, f, d);
		out[d - 1] = q(sql);
		assert_true(out[d - 1] > 0);
	}
}

static int setup(void **state)
{
	int rc = srv_setup(state);
	if (rc)
		return rc;
	building =
	    q("SELECT id FROM buildings WHERE floors >= 3 AND (SELECT COUNT(*) FROM households"
	      " h WHERE h.building_id = buildings.id AND h.door LIKE '2%') >= 6 ORDER BY id "
	      "LIMIT 1");
	char sql[200];
	snprintf(sql, sizeof(sql), "SELECT compound_id FROM buildings WHERE id = %lld", building);
	compound = q(sql);
	vol1 = q("SELECT v.id FROM volunteers v JOIN users u ON u.resident_id = v.resident_id"
		 " WHERE u.username = 'volunteer'");
	vol2 =
	    q("SELECT v.id FROM volunteers v WHERE v.archived = 0 AND v.resident_id <> "
	      "(SELECT resident_id FROM users WHERE username = 'volunteer') ORDER BY v.id LIMIT 1");
	snprintf(sql, sizeof(sql), "SELECT resident_id FROM volunteers WHERE id = %lld", vol2);
	add_user("doorvol2", "volunteer", q(sql));
	leader_a = q("SELECT m.id FROM members m JOIN users u ON u.resident_id = m.resident_id"
		     " WHERE u.username = 'member'");
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM members WHERE archived = 0 AND id <> %lld ORDER BY id LIMIT 1",
		 leader_a);
	leader_b = q(sql);
	assert_true(building && vol1 && vol2 && leader_a && leader_b);
	assembly = new_assembly(building, 1);
	parts_on(1, floor1);
	parts_on(2, floor2);
	/* a draft of another building: its doors are not this assembly's */
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM buildings WHERE compound_id = %lld AND id <> %lld ORDER BY id "
		 "LIMIT 1",
		 compound, building);
	other = new_assembly(q(sql), 0);
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM assembly_parts WHERE assembly_id = %lld ORDER BY id LIMIT 1",
		 other);
	foreign_part = q(sql);
	assert_true(foreign_part > 0);
	return 0;
}

/* ------------------------------------------------------------ assignment */

static void test_groups_and_assignment(void **state)
{
	struct response r;
	char path[96], fields[200], sql[200];
	(void)state;

	snprintf(path, sizeof(path), "/assemblies/%lld/doors", assembly);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "入户分配"));
	response_release(&r);

	/* a leader who is no Party member: refused, no group */
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/groups", assembly);
	assert_int_equal(
	    post("staff", path, "name=%E7%AC%AC%E4%B8%80%E7%BB%84&leader_member_id=999999", &r),
	    422);
	assert_non_null(strstr(r.body, "组长须为本社区在册的党员"));
	response_release(&r);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM assembly_groups WHERE assembly_id = %lld",
		 assembly);
	assert_int_equal(q(sql), 0);

	snprintf(fields, sizeof(fields), "name=A&leader_member_id=%lld", leader_a);
	assert_int_equal(post("staff", path, fields, &r), 303);
	response_release(&r);
	assert_int_equal(post("staff", path, fields, &r), 409); /* the same name twice */
	assert_non_null(strstr(r.body, "已有同名小组"));
	response_release(&r);
	snprintf(fields, sizeof(fields), "name=B&leader_member_id=%lld", leader_b);
	assert_int_equal(post("staff", path, fields, &r), 303);
	response_release(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM assembly_groups WHERE assembly_id = %lld AND name = 'A'",
		 assembly);
	group_a = q(sql);
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM assembly_groups WHERE assembly_id = %lld AND name = 'B'",
		 assembly);
	group_b = q(sql);
	assert_true(group_a && group_b);

	/* the first floor to the demo volunteer, the second to doorvol2 */
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/assign", assembly);
	snprintf(fields, sizeof(fields), "building_id=%lld&floor=1&group_id=%lld&volunteer_id=%lld",
		 building, group_a, vol1);
	assert_int_equal(post("staff", path, fields, &r), 303);
	char loc[200];
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	assert_non_null(strstr(loc, "assigned=6"));
	response_release(&r);
	snprintf(fields, sizeof(fields), "building_id=%lld&floor=2&group_id=%lld&volunteer_id=%lld",
		 building, group_b, vol2);
	assert_int_equal(post("staff", path, fields, &r), 303);
	response_release(&r);
	/* a floor the building does not have, and a floor that is no number */
	snprintf(fields, sizeof(fields),
		 "building_id=%lld&floor=99&group_id=%lld&volunteer_id=%lld", building, group_a,
		 vol1);
	assert_int_equal(post("staff", path, fields, &r), 422);
	assert_non_null(strstr(r.body, "在表决名册上没有门户"));
	response_release(&r);
	snprintf(fields, sizeof(fields), "building_id=%lld&floor=x&group_id=%lld&volunteer_id=%lld",
		 building, group_a, vol1);
	assert_int_equal(post("staff", path, fields, &r), 422);
	response_release(&r);
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM assembly_doors WHERE assembly_id = %lld",
		 assembly);
	assert_int_equal(q(sql), 12);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM assembly_doors WHERE assembly_id = %lld AND volunteer_id = "
		 "%lld",
		 assembly, vol2);
	assert_int_equal(q(sql), 6);
	/* the assignment is in the audit log */
	assert_true(q("SELECT COUNT(*) FROM audit_log WHERE entity = 'assembly_doors'") >= 2);
}

/* ------------------------------------------------------------ who sees what */

static int has_part(const char *body, long long part)
{
	char pat[48];
	snprintf(pat, sizeof(pat), "data-part=\"%lld\"", part);
	return strstr(body, pat) != NULL;
}

static void test_volunteer_sees_own_doors(void **state)
{
	struct response r;
	char path[128];
	(void)state;

	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine", assembly);
	assert_int_equal(page("volunteer", path, &r), 200);
	for (int i = 0; i < 6; i++) {
		assert_true(has_part(r.body, floor1[i]));
		assert_false(has_part(r.body, floor2[i]));
	}
	assert_non_null(strstr(r.body, "1层"));
	response_release(&r);

	/* asking for another volunteer's doors by name in the URL */
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine?volunteer=%lld", assembly, vol2);
	assert_int_equal(page("volunteer", path, &r), 403);
	assert_non_null(strstr(r.body, "这户没有分配给您"));
	response_release(&r);

	/* group A's leader: the first floor, not group B's second */
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine", assembly);
	assert_int_equal(page("member", path, &r), 200);
	assert_true(has_part(r.body, floor1[0]));
	assert_false(has_part(r.body, floor2[0]));
	response_release(&r);

	/* staff: anyone's; a resident: not at all */
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine?volunteer=%lld", assembly, vol2);
	assert_int_equal(page("staff", path, &r), 200);
	assert_true(has_part(r.body, floor2[0]));
	assert_false(has_part(r.body, floor1[0]));
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine", assembly);
	assert_int_equal(page("resident", path, &r), 403);
	response_release(&r);

	/* the index lists the assembly for a volunteer */
	assert_int_equal(page("volunteer", "/assemblies/doors", &r), 200);
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine", assembly);
	assert_non_null(strstr(r.body, path));
	response_release(&r);
}

/* ------------------------------------------------------------ outcomes */

static void test_each_outcome_with_time(void **state)
{
	static const char *const outcomes[] = {"delivered", "returned", "refused", "nobody_home",
					       "proxy_returned"};
	static const char *const words[] = {"已送达", "已收回", "拒绝", "无人在家", "代理人交回"};
	struct response r;
	char sql[256], v[64], path[96];
	(void)state;

	for (int i = 0; i < 5; i++) {
		long long t0 = (long long)time(NULL);
		assert_int_equal(
		    visit("volunteer", floor1[i], outcomes[i], "&note=%E8%80%81%E4%BA%BA", &r),
		    303);
		response_release(&r);
		long long t1 = (long long)time(NULL);
		snprintf(
		    sql, sizeof(sql),
		    "SELECT outcome FROM assembly_visits WHERE part_id = %lld ORDER BY id DESC "
		    "LIMIT 1",
		    floor1[i]);
		sql_query(v, sizeof(v), sql);
		assert_string_equal(v, outcomes[i]);
		snprintf(
		    sql, sizeof(sql),
		    "SELECT at FROM assembly_visits WHERE part_id = %lld ORDER BY id DESC LIMIT 1",
		    floor1[i]);
		long long at = q(sql);
		assert_true(at >= t0 && at <= t1);
		snprintf(sql, sizeof(sql),
			 "SELECT volunteer_id FROM assembly_visits WHERE part_id = %lld",
			 floor1[i]);
		assert_int_equal(q(sql), vol1);
	}
	/* nobody home: tomorrow in Shanghai is planned */
	{
		time_t t = time(NULL) + 28800 + 86400;
		struct tm tm;
		char day[16];
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		snprintf(sql, sizeof(sql),
			 "SELECT revisit_on FROM assembly_visits WHERE part_id = %lld", floor1[3]);
		sql_query(v, sizeof(v), sql);
		assert_string_equal(v, day);
		snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine", assembly);
		assert_int_equal(page("volunteer", path, &r), 200);
		assert_non_null(strstr(r.body, day));
		for (int i = 0; i < 5; i++)
			assert_non_null(strstr(r.body, words[i]));
		/* two of six still to go: delivered and nobody home, plus the one not visited */
		assert_non_null(strstr(r.body, "<b class=\"doors-left\">3</b>"));
		assert_null(strstr(r.body, "今天该再访了"));
		response_release(&r);
		/* the day comes: the revisit is due */
		snprintf(
		    sql, sizeof(sql),
		    "UPDATE assembly_visits SET revisit_on = '2020-01-01' WHERE part_id = %lld",
		    floor1[3]);
		sql_exec(sql);
		assert_int_equal(page("volunteer", path, &r), 200);
		assert_non_null(strstr(r.body, "2020-01-01 · 今天该再访了"));
		response_release(&r);
	}
	/* a revisit day in the past, an outcome that is none: refused, nothing written */
	long long before = visits();
	assert_int_equal(visit("volunteer", floor1[5], "nobody_home", "&revisit_on=2020-01-01", &r),
			 422);
	assert_non_null(strstr(r.body, "再访日期须为今天起 60 天内的日期"));
	response_release(&r);
	assert_int_equal(visit("volunteer", floor1[5], "lost", NULL, &r), 422);
	assert_non_null(strstr(r.body, "请选择入户结果"));
	response_release(&r);
	assert_int_equal(visits(), before);
	/* every visit is in the audit log */
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM audit_log WHERE entity = 'assembly_visits' AND entity_id IN"
		 " (SELECT id FROM assembly_visits WHERE assembly_id = %lld)",
		 assembly);
	assert_int_equal(q(sql), visits());
}

/* ------------------------------------------------------------ refusals */

static void test_not_yours_refused(void **state)
{
	struct response r;
	long long before = visits();
	(void)state;

	/* another volunteer's door */
	assert_int_equal(visit("volunteer", floor2[0], "delivered", NULL, &r), 403);
	assert_non_null(strstr(r.body, "这户没有分配给您（或您带领的小组），未记录。"));
	response_release(&r);
	/* group A's leader at group B's door */
	assert_int_equal(visit("member", floor2[0], "delivered", NULL, &r), 403);
	response_release(&r);
	/* a door of another assembly, and one that does not exist */
	assert_int_equal(visit("volunteer", foreign_part, "delivered", NULL, &r), 422);
	assert_non_null(strstr(r.body, "这户不在本次大会的表决名册上，未记录。"));
	response_release(&r);
	assert_int_equal(visit("volunteer", 999999999, "delivered", NULL, &r), 422);
	response_release(&r);
	/* in English too */
	{
		struct client c;
		char path[96], body[256];
		login_as(&c, "volunteer");
		assert_int_equal(request(&c, &srv, "GET", "/lang?set=en", NULL, NULL, NULL, &r), 0);
		response_release(&r);
		snprintf(path, sizeof(path), "/assemblies/%lld/doors/visits", assembly);
		snprintf(body, sizeof(body), "_csrf=%s&part_id=%lld&outcome=delivered", c.csrf,
			 foreign_part);
		assert_int_equal(request(&c, &srv, "POST", path, body, FORM, NULL, &r), 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "not on this assembly"));
		response_release(&r);
		client_release(&c);
	}
	assert_int_equal(visits(), before);

	/* the roles either side may: group A's leader at group A's door, staff anywhere */
	assert_int_equal(visit("member", floor1[5], "delivered", NULL, &r), 303);
	response_release(&r);
	assert_int_equal(visit("staff", floor2[0], "delivered", NULL, &r), 303);
	response_release(&r);
	assert_int_equal(visit("doorvol2", floor2[1], "delivered", NULL, &r), 303);
	response_release(&r);
	assert_int_equal(visits(), before + 3);
}

/* ------------------------------------------------------------ progress */

static void test_progress_moves(void **state)
{
	struct response r;
	char path[96], sql[1024];
	long long delivered, returned;
	(void)state;

	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/progress", assembly);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "assigned"), 12);
	delivered = json_int(r.body, "delivered");
	returned = json_int(r.body, "returned");
	assert_int_equal(json_int(r.body, "participating_owners"), 0);
	response_release(&r);

	assert_int_equal(visit("doorvol2", floor2[2], "returned", NULL, &r), 303);
	response_release(&r);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "delivered"), delivered + 1);
	assert_int_equal(json_int(r.body, "returned"), returned + 1);
	response_release(&r);

	/* a ballot counted: participation moves */
	snprintf(
	    sql, sizeof(sql),
	    "INSERT INTO assembly_ballots (area_id, assembly_id, part_id, owner_key, matter_id,"
	    " choice, channel, cast_at) SELECT p.area_id, p.assembly_id, p.id, p.owner_key, m.id,"
	    " 'agree', 'paper', %lld FROM assembly_parts p JOIN assembly_matters m ON"
	    " m.assembly_id = p.assembly_id WHERE p.id = %lld",
	    (long long)time(NULL), floor2[2]);
	sql_exec(sql);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "participating_owners"), 1);
	response_release(&r);

	/* the page: the figures, both bars with the mark, the plan, who has what */
	snprintf(path, sizeof(path), "/assemblies/%lld/progress", assembly);
	assert_int_equal(page("member", path, &r), 200);
	snprintf(sql, sizeof(sql), "data-figure=\"returned\"><dt>已收回</dt><dd>%lld</dd>",
		 returned + 1);
	assert_non_null(strstr(r.body, sql));
	assert_non_null(strstr(r.body, "doors-by-owners"));
	assert_non_null(strstr(r.body, "doors-by-area"));
	assert_non_null(strstr(r.body, "x1=\"667\""));
	assert_non_null(strstr(r.body, "未达三分之二"));
	snprintf(sql, sizeof(sql), "data-volunteer=\"%lld\"", vol2);
	assert_non_null(strstr(r.body, sql));
	response_release(&r);
	/* the headcount bar at its edge: one owner short of two thirds, then
	 * exactly two thirds (the ballots written as the count reads them) */
	{
		long long owners, k;
		assert_int_equal(call("staff", "GET", "/api/v1/assemblies/0/progress", NULL, &r),
				 404);
		response_release(&r);
		snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/progress", assembly);
		assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
		owners = json_int(r.body, "owners");
		response_release(&r);
		for (int exact = 0; exact < 2; exact++) {
			k = exact ? (2 * owners + 2) / 3 : (2 * owners - 1) / 3;
			snprintf(
			    sql, sizeof(sql),
			    "DELETE FROM assembly_ballots WHERE assembly_id = %lld;"
			    "INSERT INTO assembly_ballots (area_id, assembly_id, part_id, "
			    "owner_key,"
			    " matter_id, choice, channel, cast_at) SELECT p.area_id, p.assembly_id,"
			    " p.id, p.owner_key, m.id, 'agree', 'paper', 1 FROM assembly_parts p "
			    "JOIN"
			    " assembly_matters m ON m.assembly_id = p.assembly_id WHERE p.id IN"
			    " (SELECT MIN(id) FROM assembly_parts WHERE assembly_id = %lld GROUP BY"
			    " owner_key ORDER BY MIN(id) LIMIT %lld);",
			    assembly, assembly, k);
			sql_exec(sql);
			snprintf(path, sizeof(path), "/assemblies/%lld/progress", assembly);
			assert_int_equal(page("staff", path, &r), 200);
			snprintf(sql, sizeof(sql),
				 "doors-by-owners\" data-per-mille=\"%lld\" data-met=\"%s\"",
				 k * 1000 / owners, exact ? "yes" : "no");
			assert_non_null(strstr(r.body, sql));
			response_release(&r);
		}
		snprintf(path, sizeof(path), "/assemblies/%lld/progress", assembly);
	}
	/* the script's refresh: every 30 s, or as asked down to 5 s */
	snprintf(path, sizeof(path), "/assemblies/%lld/progress?every=1", assembly);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "data-refresh=\"30\""));
	assert_non_null(strstr(r.body, "/static/assembly-progress.js"));
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/progress?every=5", assembly);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "data-refresh=\"5\""));
	response_release(&r);
	assert_int_equal(page("staff", "/static/assembly-progress.js", &r), 200);
	assert_non_null(strstr(r.body, "doors-progress"));
	response_release(&r);
	/* a volunteer does not see the progress */
	assert_int_equal(page("volunteer", path, &r), 403);
	response_release(&r);
}

static void test_closed_takes_no_visits(void **state)
{
	struct response r;
	char sql[128];
	long long before = visits();
	(void)state;

	snprintf(sql, sizeof(sql), "UPDATE assemblies SET state = 'closed' WHERE id = %lld",
		 assembly);
	sql_exec(sql);
	assert_int_equal(visit("volunteer", floor1[5], "returned", NULL, &r), 409);
	assert_non_null(strstr(r.body, "不在公示或投票期间"));
	response_release(&r);
	assert_int_equal(visits(), before);
	snprintf(sql, sizeof(sql), "UPDATE assemblies SET state = 'open' WHERE id = %lld",
		 assembly);
	sql_exec(sql);
}

/* the demo's open assembly: the demo volunteer has doors on their phone,
 * and every door whose ballot is in had its sheet returned */
static void test_demo_halfway(void **state)
{
	struct response r;
	char path[96], sql[256];
	long long demo = q("SELECT MIN(id) FROM assemblies WHERE state = 'open'");
	(void)state;

	assert_true(demo > 0 && demo != assembly);
	snprintf(path, sizeof(path), "/assemblies/%lld/doors/mine", demo);
	assert_int_equal(page("volunteer", path, &r), 200);
	assert_non_null(strstr(r.body, "data-outcome=\"returned\""));
	assert_non_null(strstr(r.body, "data-outcome=\"\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/progress", demo);
	assert_int_equal(call("secretary", "GET", path, NULL, &r), 200);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(DISTINCT part_id) FROM assembly_ballots WHERE assembly_id = %lld",
		 demo);
	assert_int_equal(json_int(r.body, "returned"), q(sql));
	assert_true(json_int(r.body, "assigned") == json_int(r.body, "doors"));
	assert_true(json_int(r.body, "nobody_home") > 0);
	assert_true(json_int(r.body, "participating_owners") > 0);
	response_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_groups_and_assignment),
	    cmocka_unit_test(test_volunteer_sees_own_doors),
	    cmocka_unit_test(test_each_outcome_with_time),
	    cmocka_unit_test(test_not_yours_refused),
	    cmocka_unit_test(test_progress_moves),
	    cmocka_unit_test(test_closed_takes_no_visits),
	    cmocka_unit_test(test_demo_halfway),
	};
	return cmocka_run_group_tests(tests, setup, srv_teardown);
}
