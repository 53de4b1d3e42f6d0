/* HTTP tests of an owners' assembly from roll to published result, on
 * SQLite and PostgreSQL: the roll built from the registry counts a buyer
 * of two parts once and the developer's unsold parts as one owner
 * (SPC interpretation Art. 9); the property register's CSV is checked
 * row by row before anything is written and keeps no ID digits in clear;
 * the roll is on notice for 15 days (voting refused one second before)
 * and objections are recorded and resolved (upheld: the roll corrected,
 * audited); once voting opens the roll is frozen and every change is
 * refused in Chinese, changing nothing; a second ballot supersedes the
 * first, shown as such and counted once; a ballot at the closing time is
 * refused and logged; the result pages, the public notice without names
 * or choices, the ballot record only for the area's ballot roles; the
 * auditors' ROLL.csv and BALLOTS.csv recounted by the built `linli
 * assembly tally --json` give the server's figures; and `linli audit
 * verify` catches a ballot changed in the database. */
#include "checks.h"

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

#include <jansson.h>

#define DAY 86400

static long long compound;	/* 普善华庭 */
static long long building;	/* its building the assemblies cover */
static long long households[4]; /* four of its households */
static long long nhouseholds;	/* live households in the building */
static long long asm_id;	/* the assembly the flow builds */
static long long closes_at;	/* its closing time */

/* NOTICE_LEFT: seconds of the roll's notice left when the flow test
 * publishes it; what the test does before the edge second must fit in
 * them, also on a busy machine running two test programs at once. */
#define NOTICE_LEFT 8

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

	if (user)
		login_as(&c, user);
	else
		client_init(&c);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, r), 0);
	client_release(&c);
	return r->status;
}

static long long sql_int(const char *fmt, ...)
{
	char sql[1024], out[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sql_query(out, sizeof(out), sql);
	return atoll(out);
}

/* wait_until: sleep until the clock reads at least t; returns the time. */
static long long wait_until(long long t)
{
	while ((long long)time(NULL) < t)
		usleep(20000);
	return (long long)time(NULL);
}

/* fresh_second: wait for a second to begin, so what follows within a few
 * milliseconds happens in that second. */
static long long fresh_second(void)
{
	return wait_until((long long)time(NULL) + 1);
}

/* cli: `linli ARGS...`; returns the exit status, the output in *out. */
#define cli(out, ...) run_cli(&srv, NULL, out, __VA_ARGS__, NULL)

/* new_assembly: a draft of the building with two matters (M4 item 4,
 * M6 item 6) and its roll from the registry. */
static long long new_assembly(const char *title)
{
	struct response r;
	char body[512], path[96];
	long long id;

	snprintf(body, sizeof(body), "{\"compound_id\":%lld,\"title\":\"%s\",\"buildings\":[%lld]}",
		 compound, title, building);
	assert_int_equal(call("staff", "POST", "/api/v1/assemblies", body, &r), 201);
	id = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/roll", id);
	assert_int_equal(call("staff", "POST", path, "{}", &r), 200);
	assert_int_equal(json_int(r.body, "parts"), nhouseholds);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/matters", id);
	assert_int_equal(call("staff", "POST", path,
			      "{\"code\":\"M4\",\"item\":4,\"title\":\"续聘物业服务企业\"}", &r),
			 201);
	response_release(&r);
	assert_int_equal(call("staff", "POST", path,
			      "{\"code\":\"M6\",\"item\":6,\"title\":\"筹集维修资金\"}", &r),
			 201);
	response_release(&r);
	return id;
}

static long post_action(long long id, const char *what, const char *json, struct response *r)
{
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/%s", id, what);
	return call("staff", "POST", path, json ? json : "{}", r);
}

/* part_of: the roll's part for household h. */
static long long part_of(long long id, long long h)
{
	return sql_int("SELECT id FROM assembly_parts WHERE assembly_id = %lld AND household_id = "
		       "%lld;",
		       id, h);
}

/* ------------------------------------------------------------ the roll */

static void test_roll_from_registry(void **state)
{
	struct response r;
	char path[96], body[256];
	long long id, area;

	(void)state;
	compound = sql_int("SELECT id FROM compounds WHERE name = '普善华庭';");
	building = sql_int("SELECT MIN(b.id) FROM buildings b WHERE b.compound_id = %lld AND"
			   " (SELECT COUNT(*) FROM households h WHERE h.building_id = b.id AND"
			   " h.archived = 0) >= 6;",
			   compound);
	assert_true(building > 0);
	nhouseholds =
	    sql_int("SELECT COUNT(*) FROM households WHERE building_id = %lld AND archived "
		    "= 0;",
		    building);
	for (int i = 0; i < 4; i++)
		households[i] = sql_int("SELECT id FROM households WHERE building_id = %lld AND"
					" archived = 0 ORDER BY id LIMIT 1 OFFSET %d;",
					building, i);
	/* One buyer of two flats (their names written the other way round
	 * and with a full-width comma in the register), and two unsold flats
	 * of the developer: through the registry's own API. */
	snprintf(path, sizeof(path), "/api/v1/households/%lld", households[0]);
	assert_int_equal(call("staff", "PATCH", path, "{\"owners\":\"王建国、李秀英\"}", &r), 200);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/households/%lld", households[1]);
	assert_int_equal(call("staff", "PATCH", path, "{\"owners\":\"李秀英，王建国\"}", &r), 200);
	response_release(&r);
	for (int i = 2; i < 4; i++) {
		snprintf(path, sizeof(path), "/api/v1/households/%lld", households[i]);
		assert_int_equal(call("staff", "PATCH", path, "{\"owners\":\"开发商\"}", &r), 200);
		response_release(&r);
	}
	id = new_assembly("华庭业主大会（测试）");
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld", id);
	assert_int_equal(call("member", "GET", path, NULL, &r), 200);
	/* n parts; the couple's two flats are one owner, the developer's two
	 * another: n - 2 owners. */
	snprintf(body, sizeof(body), "\"parts\":%lld,", nhouseholds);
	assert_non_null(strstr(r.body, body));
	snprintf(body, sizeof(body), "\"owners\":%lld,", nhouseholds - 2);
	assert_non_null(strstr(r.body, body));
	assert_non_null(strstr(r.body, "\"developer_parts\":2,"));
	assert_non_null(strstr(r.body, "\"multi_part_owners\":1,"));
	/* The total area is the registry's, to the hundredth of a m². */
	area = sql_int("SELECT SUM(area_centi) FROM households WHERE building_id = %lld AND "
		       "archived = 0;",
		       building);
	snprintf(body, sizeof(body), "\"area_m2\":\"%lld.%02lld\"", area / 100, area % 100);
	assert_non_null(strstr(r.body, body));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(DISTINCT owner_key) FROM assembly_parts WHERE "
				 "assembly_id = %lld AND household_id IN (%lld, %lld);",
				 id, households[0], households[1]),
			 1);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld AND "
				 "owner_key = 'developer' AND developer = 1;",
				 id),
			 2);
	/* The roll's page names the developer's parts as such. */
	snprintf(path, sizeof(path), "/assemblies/%lld/roll", id);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "建设单位未售"));
	assert_non_null(strstr(r.body, "王建国、李秀英"));
	response_release(&r);
	/* A volunteer does not see the roll at all. */
	assert_int_equal(page("volunteer", path, &r), 403);
	response_release(&r);
}

/* The staff's forms: a refusal shows the page again with the reason; a
 * good form leads to the new assembly's page. */
static void test_forms(void **state)
{
	struct response r;
	struct client c;
	char form[256], loc[128];
	long long n;

	(void)state;
	login_as(&c, "staff");
	n = sql_int("SELECT COUNT(*) FROM assemblies;");
	snprintf(form, sizeof(form), "_csrf=%s&compound_id=%lld&title=", c.csrf, compound);
	assert_int_equal(request(&c, &srv, "POST", "/assemblies", form,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "名称须为 1 到 200 个字"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM assemblies;"), n);
	snprintf(form, sizeof(form),
		 "_csrf=%s&compound_id=%lld&title=%%E8%%A1%%A8%%E5%%8D%%95&building=%lld", c.csrf,
		 compound, building);
	assert_int_equal(request(&c, &srv, "POST", "/assemblies", form,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	assert_int_equal(strncmp(loc, "/assemblies/", 12), 0);
	response_release(&r);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM assembly_buildings WHERE assembly_id = %s;", loc + 12),
	    1);
	/* Publishing with no roll: the page again, with the reason. */
	snprintf(form, sizeof(form), "_csrf=%s&closes_at=2099-01-01T18:00", c.csrf);
	snprintf(loc + strlen(loc), sizeof(loc) - strlen(loc), "/publish");
	assert_int_equal(
	    request(&c, &srv, "POST", loc, form, "application/x-www-form-urlencoded", NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "名册为空"));
	response_release(&r);
	client_release(&c);
}

static void test_csv_import(void **state)
{
	struct response r;
	char path[96], body[1024], bname[64];
	long long id, before;

	(void)state;
	sql_query(bname, sizeof(bname),
		  "SELECT name FROM buildings WHERE id = (SELECT MIN(id) FROM "
		  "buildings WHERE compound_id = (SELECT id FROM compounds "
		  "WHERE name = '普善华庭'));");
	{
		char b[256];
		snprintf(b, sizeof(b), "{\"compound_id\":%lld,\"title\":\"导入测试\"}", compound);
		assert_int_equal(call("staff", "POST", "/api/v1/assemblies", b, &r), 201);
		id = json_int(r.body, "id");
		response_release(&r);
	}
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/roll/import", id);
	/* Line 3: an area with three decimals; line 4: a building the
	 * compound does not have; line 5: ID digits that are not four. */
	snprintf(body, sizeof(body),
		 "{\"csv\":\"building,door,owner,area_m2,developer,id_last4\\n"
		 "%s,101,张三,88.50,0,1234\\n"
		 "%s,102,李四,90.125,0,\\n"
		 "不存在的楼,103,王五,70.00,0,\\n"
		 "%s,104,赵六,70.00,0,12a\\n\"}",
		 bname, bname, bname);
	before = sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld;", id);
	assert_int_equal(call("staff", "POST", path, body, &r), 422);
	assert_non_null(strstr(r.body, "未导入任何一行"));
	assert_non_null(strstr(r.body, "\"line\":3"));
	assert_non_null(strstr(r.body, "\"line\":4"));
	assert_non_null(strstr(r.body, "\"line\":5"));
	assert_null(strstr(r.body, "\"line\":2"));
	assert_non_null(strstr(r.body, "最多两位小数"));
	response_release(&r);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld;", id), before);
	/* A good file: written whole; the ID digits only as a keyed hash. */
	snprintf(body, sizeof(body),
		 "{\"csv\":\"building,door,owner,area_m2,developer,id_last4\\n"
		 "%s,101,张三,88.50,0,4321\\n"
		 "%s,102,张三,61.25,,\\n"
		 "%s,103,,70.00,1,\\n\"}",
		 bname, bname, bname);
	assert_int_equal(call("staff", "POST", path, body, &r), 200);
	assert_non_null(strstr(r.body, "\"parts\":3"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld AND "
				 "id_check <> '' AND id_check NOT LIKE '%%4321%%' AND "
				 "LENGTH(id_check) = 64;",
				 id),
			 1);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld", id);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, "\"owners\":2,")); /* 张三 twice, the developer */
	assert_non_null(strstr(r.body, "\"area_m2\":\"219.75\""));
	response_release(&r);
}

/* ------------------------------------------------------------ notice, objections, freeze */

static void test_publication_objections_and_freeze(void **state)
{
	struct response r;
	char path[96], body[512];
	long long t0, p1, p2, o1, o2, area_before, parts;

	(void)state;
	asm_id = new_assembly("华庭业主大会（流程）");
	p1 = part_of(asm_id, households[0]);
	p2 = part_of(asm_id, households[4 - 1]);
	/* Publishing a notice dated in the future is refused. */
	snprintf(body, sizeof(body), "{\"published_at\":%lld,\"closes_at\":%lld}",
		 (long long)time(NULL) + 3600, (long long)time(NULL) + 30 * DAY);
	assert_int_equal(post_action(asm_id, "publish", body, &r), 422);
	assert_non_null(strstr(r.body, "晚于现在"));
	response_release(&r);
	/* The notice went up 15 days less NOTICE_LEFT seconds ago:
	 * objections until t0 + NOTICE_LEFT. */
	t0 = fresh_second();
	closes_at = t0 + NOTICE_LEFT + 17;
	snprintf(body, sizeof(body), "{\"published_at\":%lld,\"opens_at\":%lld,\"closes_at\":%lld}",
		 t0 - 15 * DAY + NOTICE_LEFT, t0 + NOTICE_LEFT, closes_at);
	assert_int_equal(post_action(asm_id, "publish", body, &r), 200);
	response_release(&r);
	/* On notice: anyone sees the roll's totals, never a name. */
	snprintf(path, sizeof(path), "/assemblies/%lld/notice", asm_id);
	assert_int_equal(page(NULL, path, &r), 200);
	assert_non_null(strstr(r.body, "业主名册公示"));
	snprintf(body, sizeof(body), "业主人数</b> %lld", nhouseholds - 2);
	assert_non_null(strstr(r.body, body)); /* the owners per Art. 9 */
	assert_null(strstr(r.body, "王建国"));
	assert_null(strstr(r.body, "开发商"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/objections", asm_id);
	snprintf(body, sizeof(body),
		 "{\"part_id\":%lld,\"raised_by\":\"王建国\",\"body\":\"面积少登"
		 "记了\"}",
		 p1);
	if (call("staff", "POST", path, body, &r) != 201)
		fail_msg("%s", r.body);
	o1 = json_int(r.body, "id");
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"part_id\":%lld,\"raised_by\":\"邻居\",\"body\":\"这户不是开发"
		 "商的\"}",
		 p2);
	assert_int_equal(call("staff", "POST", path, body, &r), 201);
	o2 = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/objections/%lld", asm_id, o2);
	assert_int_equal(
	    call("staff", "POST", path,
		 "{\"decision\":\"reject\",\"resolution\":\"核对产权登记，确为开发商未售\"}", &r),
	    200);
	response_release(&r);
	/* One second before the notice's 15 days end: refused, still on
	 * notice. */
	assert_int_equal(wait_until(t0 + NOTICE_LEFT - 1), t0 + NOTICE_LEFT - 1);
	assert_int_equal(post_action(asm_id, "open", NULL, &r), 409);
	assert_non_null(strstr(r.body, "名册公示未满 15 天"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM assemblies WHERE id = %lld AND state = "
				 "'published';",
				 asm_id),
			 1);
	/* At the end: no more objections, and an open one still blocks. */
	wait_until(t0 + NOTICE_LEFT);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/objections", asm_id);
	assert_int_equal(
	    call("staff", "POST", path, "{\"raised_by\":\"迟到\",\"body\":\"晚了\"}", &r), 409);
	assert_non_null(strstr(r.body, "公示期内"));
	response_release(&r);
	assert_int_equal(post_action(asm_id, "open", NULL, &r), 409);
	assert_non_null(strstr(r.body, "未处理的名册异议"));
	response_release(&r);
	/* Upheld: the area corrected on the roll, in the audit log. */
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/objections/%lld", asm_id, o1);
	assert_int_equal(call("staff", "POST", path,
			      "{\"decision\":\"uphold\",\"resolution\":\"按房产证更正\","
			      "\"correction\":{\"kind\":\"area\",\"area_m2\":\"99.99\"}}",
			      &r),
			 200);
	assert_non_null(strstr(r.body, "\"upheld\""));
	response_release(&r);
	assert_int_equal(sql_int("SELECT area_centi FROM assembly_parts WHERE id = %lld;", p1),
			 9999);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM audit_log WHERE entity = 'assembly_parts' AND "
		    "entity_id = %lld AND action = 'correct';",
		    p1),
	    1);
	/* Closing before it opened: refused. Opening now: the roll freezes. */
	assert_int_equal(post_action(asm_id, "close", NULL, &r), 409);
	response_release(&r);
	assert_int_equal(post_action(asm_id, "open", NULL, &r), 200);
	assert_non_null(strstr(r.body, "\"state\":\"open\""));
	response_release(&r);

	/* Frozen: every change of the roll refused in Chinese, nothing
	 * changed. */
	area_before =
	    sql_int("SELECT SUM(area_centi) FROM assembly_parts WHERE assembly_id = %lld;", asm_id);
	parts = sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld;", asm_id);
	assert_int_equal(post_action(asm_id, "roll", NULL, &r), 409);
	assert_non_null(strstr(r.body, "业主名册已冻结"));
	response_release(&r);
	assert_int_equal(post_action(asm_id, "roll/import",
				     "{\"csv\":\"building,door,owner,area_m2\\nX,1,A,1.00\\n\"}",
				     &r),
			 409);
	assert_non_null(strstr(r.body, "业主名册已冻结"));
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"part_id\":%lld,\"raised_by\":\"王建国\",\"body\":\"再改一次"
		 "\"}",
		 p1);
	assert_int_equal(post_action(asm_id, "objections", body, &r), 409);
	assert_non_null(strstr(r.body, "业主名册已冻结"));
	response_release(&r);
	{
		struct client en;
		login_as(&en, "staff");
		en.lang = "en";
		snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/roll", asm_id);
		assert_int_equal(api(&en, &srv, "POST", path, "{}", &r), 0);
		assert_int_equal(r.status, 409);
		assert_non_null(strstr(r.body, "the roll is frozen"));
		response_release(&r);
		client_release(&en);
	}
	/* The page says it too. */
	snprintf(path, sizeof(path), "/assemblies/%lld", asm_id);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "投票中"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT SUM(area_centi) FROM assembly_parts WHERE assembly_id = "
				 "%lld;",
				 asm_id),
			 area_before);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld;", asm_id),
	    parts);
}

/* ------------------------------------------------------------ ballots */

static void test_casting_supersession_and_closing(void **state)
{
	struct response r;
	char id[24], pa[24], pb[24], pc[24], path[96], *out = NULL;
	long long n_refusals;

	(void)state;
	snprintf(id, sizeof(id), "%lld", asm_id);
	snprintf(pa, sizeof(pa), "%lld", part_of(asm_id, households[0]));
	snprintf(pb, sizeof(pb), "%lld", part_of(asm_id, households[1]));
	snprintf(pc, sizeof(pc), "%lld", part_of(asm_id, households[2]));
	/* The couple votes from their first flat, then changes their mind
	 * from the second: one owner, the later ballot counts. */
	assert_int_equal(cli(&out, "assembly", "cast", id, "--part", pa, "M4=oppose", "M6=agree"),
			 0);
	free(out);
	assert_int_equal(cli(&out, "assembly", "cast", id, "--part", pb, "M4=agree"), 0);
	free(out);
	assert_int_equal(cli(&out, "assembly", "cast", id, "--part", pc, "M4=abstain"), 0);
	free(out);
	/* A matter twice on one ballot, a part not on the roll: refused. */
	assert_int_equal(cli(&out, "assembly", "cast", id, "--part", pc, "M4=agree", "M4=oppose"),
			 1);
	assert_non_null(strstr(out, "只能表决一次"));
	free(out);
	assert_int_equal(cli(&out, "assembly", "cast", id, "--part", "999999", "M4=agree"), 1);
	assert_non_null(strstr(out, "不在本次大会的名册上"));
	free(out);

	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld", asm_id);
	assert_int_equal(call("member", "GET", path, NULL, &r), 200);
	/* M4: two owners took part (the couple once, the developer), one
	 * agrees; M6: the couple's agree stands (not superseded on M6). */
	assert_non_null(strstr(r.body, "\"participating_owners\":2,"));
	assert_non_null(strstr(r.body, "\"agree_owners\":1,"));
	assert_non_null(strstr(r.body, "\"superseded\":1,"));
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/ballots", asm_id);
	assert_int_equal(page("admin", path, &r), 200);
	assert_non_null(strstr(r.body, "asm-superseded"));
	assert_non_null(strstr(r.body, "已被取代"));
	response_release(&r);

	/* Closing early is refused; at the closing time a ballot is refused
	 * and logged. */
	assert_int_equal(post_action(asm_id, "close", NULL, &r), 409);
	assert_non_null(strstr(r.body, "不能提前结束"));
	response_release(&r);
	n_refusals =
	    sql_int("SELECT COUNT(*) FROM assembly_refusals WHERE assembly_id = %lld;", asm_id);
	assert_int_equal(wait_until(closes_at), closes_at);
	assert_int_equal(cli(&out, "assembly", "cast", id, "--part", pc, "M6=agree"), 1);
	assert_non_null(strstr(out, "投票已截止"));
	free(out);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM assembly_refusals WHERE assembly_id = %lld AND "
		    "reason = 'closed' AND part_id = %s;",
		    asm_id, pc),
	    1);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM assembly_refusals WHERE assembly_id = %lld;", asm_id),
	    n_refusals + 1);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM assembly_ballots WHERE assembly_id = %lld AND "
		    "part_id = %s AND cast_at >= %lld;",
		    asm_id, pc, closes_at),
	    0);
	assert_int_equal(post_action(asm_id, "close", NULL, &r), 200);
	assert_non_null(strstr(r.body, "\"state\":\"closed\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/refusals", asm_id);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, "\"reason\":\"closed\""));
	response_release(&r);
}

/* ------------------------------------------------------------ result and privacy */

static void test_result_pages_and_notice(void **state)
{
	struct response r;
	char path[96], name[64], unit[64];

	(void)state;
	snprintf(path, sizeof(path), "/assemblies/%lld/result", asm_id);
	assert_int_equal(page("member", path, &r), 200);
	assert_non_null(strstr(r.body, "参与表决人数占总人数"));
	assert_non_null(strstr(r.body, "同意面积占参与表决面积"));
	assert_non_null(strstr(r.body, "双四分之三以上同意"));
	assert_non_null(strstr(r.body, "未通过")); /* two owners of many: no quorum */
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/sheet", asm_id);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "计票规则"));
	assert_non_null(strstr(r.body, "“以上”包括本数"));
	assert_non_null(strstr(r.body, "恰好一半不算过半数"));
	response_release(&r);

	/* The public notice: anyone, totals only. */
	sql_query(name, sizeof(name),
		  "SELECT owner_name FROM assembly_parts WHERE id = (SELECT "
		  "MIN(part_id) FROM assembly_ballots);");
	sql_query(unit, sizeof(unit),
		  "SELECT unit FROM assembly_parts WHERE id = (SELECT "
		  "MIN(part_id) FROM assembly_ballots);");
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "/assemblies/%lld/notice", k ? asm_id : 1);
		assert_int_equal(page(NULL, path, &r), 200);
		assert_non_null(strstr(r.body, "表决结果公示"));
		assert_non_null(strstr(r.body, "参与表决人数占总人数"));
		assert_null(strstr(r.body, name));
		assert_null(strstr(r.body, unit));
		assert_null(strstr(r.body, "王建国"));
		assert_null(strstr(r.body, "asm-superseded"));
		assert_null(strstr(r.body, "asm-ballots"));
		response_release(&r);
	}
	/* The demo's finished assembly: item 4 passes, item 6 fails. */
	assert_int_equal(page(NULL, "/assemblies/1/notice", &r), 200);
	assert_non_null(strstr(r.body, "通过"));
	assert_non_null(strstr(r.body, "同意未达规定比例，未通过"));
	response_release(&r);
	/* Its roll shows Art. 9: the developer's six unsold parts are one
	 * owner, a buyer of two flats counts once. */
	assert_int_equal(call("member", "GET", "/api/v1/assemblies/1", NULL, &r), 200);
	assert_int_equal(json_int(r.body, "developer_parts"), 6);
	assert_int_equal(json_int(r.body, "multi_part_owners"), 1);
	assert_int_equal(json_int(r.body, "owners"), json_int(r.body, "parts") - 6);
	response_release(&r);
	/* A draft has no public notice. */
	{
		long long draft = sql_int("SELECT MIN(id) FROM assemblies WHERE state = 'draft';");
		snprintf(path, sizeof(path), "/assemblies/%lld/notice", draft);
		assert_int_equal(page(NULL, path, &r), 404);
		response_release(&r);
	}
}

static void test_ballot_record_only_for_ballot_roles(void **state)
{
	static const struct {
		const char *user;
		long status;
	} who[] = {{"admin", 200}, {"secretary", 200}, {"staff", 403}, {"member", 403}};
	struct response r;
	char path[128];
	char ct[128];

	(void)state;
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		snprintf(path, sizeof(path), "/assemblies/%lld/ballots.csv", asm_id);
		assert_int_equal(page(who[i].user, path, &r), who[i].status);
		if (who[i].status == 200) {
			assert_non_null(strstr(r.body, "superseded"));
			assert_non_null(strstr(r.body, "王建国"));
		} else {
			assert_null(strstr(r.body, "王建国"));
		}
		response_release(&r);
		snprintf(path, sizeof(path), "/assemblies/%lld/ballots.xlsx", asm_id);
		assert_int_equal(page(who[i].user, path, &r), who[i].status);
		if (who[i].status == 200)
			assert_non_null(strstr(header_value(&r, "Content-Type", ct, sizeof(ct)),
					       "spreadsheetml"));
		response_release(&r);
		snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/ballots", asm_id);
		assert_int_equal(call(who[i].user, "GET", path, NULL, &r), who[i].status);
		response_release(&r);
		/* Everyone who may read the assembly sees its totals. */
		snprintf(path, sizeof(path), "/assemblies/%lld/result", asm_id);
		assert_int_equal(page(who[i].user, path, &r), 200);
		assert_null(strstr(r.body, "王建国"));
		response_release(&r);
	}
	/* The area lets staff see them too (a meter is no one to show them). */
	{
		char *out = NULL;
		assert_int_equal(cli(&out, "assembly", "settings", "--ballot-roles", "admin,meter",
				     "--name-mask", "surname"),
				 1);
		assert_non_null(strstr(out, "逗号分隔的角色名"));
		free(out);
		assert_int_equal(cli(&out, "assembly", "settings", "--ballot-roles",
				     "admin,secretary,staff", "--name-mask", "surname"),
				 0);
		free(out);
		snprintf(path, sizeof(path), "/assemblies/%lld/ballots.csv", asm_id);
		assert_int_equal(page("staff", path, &r), 200);
		response_release(&r);
		assert_int_equal(page("member", path, &r), 403);
		response_release(&r);
		assert_int_equal(cli(&out, "assembly", "settings", "--ballot-roles",
				     "admin,secretary", "--name-mask", "surname"),
				 0);
		free(out);
		assert_int_equal(page("staff", path, &r), 403);
		response_release(&r);
	}
}

/* count_lines: the CSV records (CRLF ended) in text. */
static long long count_lines(const char *text)
{
	long long n = 0;

	for (const char *p = text; (p = strstr(p, "\r\n")); p += 2)
		n++;
	return n;
}

/* download: GET path as user into a new file under /tmp. OUT: file. */
static void download(const char *user, const char *path, char file[64])
{
	struct response r;
	FILE *f;
	int fd;

	snprintf(file, 64, "/tmp/linli-audit-XXXXXX");
	fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(page(user, path, &r), 200);
	f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r.body, 1, strlen(r.body), f), strlen(r.body));
	fclose(f);
	response_release(&r);
}

static void same_int(json_t *a, const char *ka, json_t *b, const char *kb)
{
	assert_true(json_is_integer(json_object_get(a, ka)));
	assert_int_equal(json_integer_value(json_object_get(a, ka)),
			 json_integer_value(json_object_get(b, kb)));
}

static void same_str(json_t *a, const char *ka, json_t *b, const char *kb)
{
	assert_non_null(json_string_value(json_object_get(a, ka)));
	assert_string_equal(json_string_value(json_object_get(a, ka)),
			    json_string_value(json_object_get(b, kb)));
}

/* recount: what an auditor does: download assembly id's ROLL.csv and
 * BALLOTS.csv, count them with the built `linli assembly tally --json`
 * (each matter as CODE:ITEM) and compare with the server's result. */
static void recount(long long id)
{
	struct response r;
	char path[96], roll[64], ballots[64], m[2][64], *out = NULL;
	json_t *server, *tally, *sm, *tm;
	size_t i;

	snprintf(path, sizeof(path), "/assemblies/%lld/tally/roll.csv", id);
	download("admin", path, roll);
	snprintf(path, sizeof(path), "/assemblies/%lld/tally/ballots.csv", id);
	download("admin", path, ballots);
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld", id);
	assert_int_equal(call("admin", "GET", path, NULL, &r), 200);
	server = json_loads(r.body, 0, NULL);
	response_release(&r);
	assert_non_null(server);
	assert_int_equal(json_array_size(json_object_get(server, "matters")), 2);
	json_array_foreach (json_object_get(server, "matters"), i, sm)
		snprintf(m[i], sizeof(m[i]), "%s:%lld",
			 json_string_value(json_object_get(sm, "code")),
			 (long long)json_integer_value(json_object_get(sm, "item")));
	assert_int_equal(cli(&out, "assembly", "tally", "--roll", roll, "--ballots", ballots,
			     "--matter", m[0], "--matter", m[1], "--json"),
			 0);
	tally = json_loads(out, 0, NULL);
	assert_non_null(tally);
	free(out);
	same_int(tally, "owners", json_object_get(server, "roll"), "owners");
	same_str(tally, "area_m2", json_object_get(server, "roll"), "area_m2");
	assert_int_equal(json_array_size(json_object_get(tally, "matters")), 2);
	json_array_foreach (json_object_get(tally, "matters"), i, tm) {
		sm = json_array_get(json_object_get(server, "matters"), i);
		same_str(tm, "matter", sm, "code");
		same_int(tm, "item", sm, "item");
		same_str(tm, "rule", sm, "rule");
		same_int(tm, "participating_owners", sm, "participating_owners");
		same_str(tm, "participating_area_m2", sm, "participating_area_m2");
		same_int(tm, "agree_owners", sm, "agree_owners");
		same_str(tm, "agree_area_m2", sm, "agree_area_m2");
		assert_true(json_is_boolean(json_object_get(tm, "quorum_met")));
		assert_int_equal(json_is_true(json_object_get(tm, "quorum_met")),
				 json_is_true(json_object_get(sm, "quorum_met")));
		assert_int_equal(json_is_true(json_object_get(tm, "passed")),
				 json_is_true(json_object_get(sm, "passed")));
	}
	json_decref(tally);
	json_decref(server);
	unlink(roll);
	unlink(ballots);
}

/* The auditors' files: the roll for whoever reads the assembly, the
 * ballots (who voted how) for the ballot roles only; counted again by
 * `linli assembly tally` they give the server's figures, for the demo's
 * finished assembly and for this one (a ballot superseded). */
static void test_auditors_recount_the_files(void **state)
{
	struct response r;
	char path[96], roll[64], ballots[64], *out = NULL, idtext[24];

	(void)state;
	recount(1);
	recount(asm_id);

	/* The ballots' file holds every ballot, the superseded one too, in
	 * the order cast; the roll only live parts, owner as counted. */
	snprintf(path, sizeof(path), "/assemblies/%lld/tally/ballots.csv", asm_id);
	assert_int_equal(page("admin", path, &r), 200);
	assert_true(strncmp(r.body, "owner,matter,choice\r\n", 21) == 0);
	assert_int_equal(
	    count_lines(r.body),
	    sql_int("SELECT COUNT(*) FROM assembly_ballots WHERE assembly_id = %lld;", asm_id) + 1);
	assert_non_null(strstr(r.body, ",M4,oppose\r\n"));
	assert_true(strstr(r.body, ",M4,oppose\r\n") < strstr(r.body, ",M4,agree\r\n"));
	response_release(&r);
	/* Who voted how: not for staff, nor a Party member; the roll is. */
	assert_int_equal(page("staff", path, &r), 403);
	assert_null(strstr(r.body, "M4,"));
	response_release(&r);
	assert_int_equal(page("member", path, &r), 403);
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/tally/roll.csv", asm_id);
	assert_int_equal(page("member", path, &r), 200);
	assert_true(strncmp(r.body, "unit,owner,area_m2\r\n", 20) == 0);
	assert_int_equal(count_lines(r.body),
			 sql_int("SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld "
				 "AND removed = 0;",
				 asm_id) +
			     1);
	response_release(&r);
	assert_int_equal(page("resident", path, &r), 403);
	response_release(&r);
	/* Another area's assembly, or none: not found. */
	assert_int_equal(page("admin", "/assemblies/999999/tally/roll.csv", &r), 404);
	response_release(&r);
	/* The result page links the files the reader may take and names the
	 * command with each matter. */
	snprintf(path, sizeof(path), "/assemblies/%lld/result", asm_id);
	assert_int_equal(page("admin", path, &r), 200);
	assert_non_null(strstr(r.body, "tally/ballots.csv"));
	assert_non_null(strstr(
	    r.body, "<span>--matter M4:4</span> <span>--matter M6:6</span> <span>--json</span>"));
	response_release(&r);
	assert_int_equal(page("staff", path, &r), 200);
	assert_non_null(strstr(r.body, "tally/roll.csv"));
	assert_null(strstr(r.body, "tally/ballots.csv"));
	response_release(&r);

	/* The command line writes the same files. */
	snprintf(roll, sizeof(roll), "/tmp/linli-roll-%d.csv", (int)getpid());
	snprintf(ballots, sizeof(ballots), "/tmp/linli-ballots-%d.csv", (int)getpid());
	snprintf(idtext, sizeof(idtext), "%lld", asm_id);
	assert_int_equal(
	    cli(&out, "assembly", "export", "--roll", roll, "--ballots", ballots, idtext), 0);
	free(out);
	{
		char *data = NULL;
		size_t n = 0;
		FILE *f = fopen(ballots, "rb");
		assert_non_null(f);
		data = calloc(1, 1 << 20);
		n = fread(data, 1, (1 << 20) - 1, f);
		fclose(f);
		snprintf(path, sizeof(path), "/assemblies/%lld/tally/ballots.csv", asm_id);
		assert_int_equal(page("admin", path, &r), 200);
		assert_int_equal(n, strlen(r.body));
		assert_string_equal(data, r.body);
		response_release(&r);
		free(data);
	}
	assert_int_equal(cli(&out, "assembly", "export", "--roll", roll, "999999"), 2);
	free(out);
	assert_int_equal(
	    cli(&out, "assembly", "export", "--roll", roll, "--ballots", ballots, "999999"), 1);
	assert_non_null(strstr(out, "找不到这次业主大会"));
	free(out);
	unlink(roll);
	unlink(ballots);
}

static void test_audit_verify_catches_a_changed_ballot(void **state)
{
	char *out = NULL, sql[256];
	long long ballot;

	(void)state;
	assert_int_equal(cli(&out, "audit", "verify"), 0);
	assert_non_null(strstr(out, "业主大会选票与审计记录一致"));
	free(out);
	ballot = sql_int("SELECT MIN(id) FROM assembly_ballots WHERE assembly_id = %lld AND choice "
			 "= 'oppose';",
			 asm_id);
	snprintf(sql, sizeof(sql), "UPDATE assembly_ballots SET choice = 'agree' WHERE id = %lld;",
		 ballot);
	sql_exec(sql);
	assert_int_equal(cli(&out, "audit", "verify"), 1);
	assert_non_null(strstr(out, "与审计记录不符"));
	free(out);
	snprintf(sql, sizeof(sql), "UPDATE assembly_ballots SET choice = 'oppose' WHERE id = %lld;",
		 ballot);
	sql_exec(sql);
	assert_int_equal(cli(&out, "audit", "verify"), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roll_from_registry),
	    cmocka_unit_test(test_forms),
	    cmocka_unit_test(test_csv_import),
	    cmocka_unit_test(test_publication_objections_and_freeze),
	    cmocka_unit_test(test_casting_supersession_and_closing),
	    cmocka_unit_test(test_result_pages_and_notice),
	    cmocka_unit_test(test_ballot_record_only_for_ballot_roles),
	    cmocka_unit_test(test_auditors_recount_the_files),
	    cmocka_unit_test(test_audit_verify_catches_a_changed_ballot),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
