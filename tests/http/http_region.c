/* HTTP tests of streets and districts (src/region) against the real
 * server, on SQLite and PostgreSQL: `linli area add|list|import` (every
 * row checked before any is written), street and district accounts
 * (`linli user add --role street_staff --street CODE`), the overview of a
 * street's areas and its JSON (the figures, the sorting, bad input in
 * both languages), the scope (another street's area is neither listed nor
 * entered), the drill-down into an area read-only unless the account
 * holds a role there, and every route of the house as a street account
 * sees it: a read it holds goes through, every write but signing out and
 * moving between areas is refused at the door. */
#include "checks.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define STREET	 "zhijiangxilu" /* the demo area's street */
#define DISTRICT "jingan"	/* and its district */

static long long sql_int(const char *fmt, ...)
{
	char sql[1024], out[64] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	sql_query(out, sizeof(out), sql);
	return atoll(out);
}

static long long areas_count(void)
{
	return sql_int("SELECT COUNT(*) FROM areas;");
}

/* ARGS: up to eight arguments of linli; the rest are NULL. */
#define ARGS(...) ((const char *const[9]){__VA_ARGS__})

/* cli: linli with the arguments a; the exit status, the output in *out
 * (caller frees). */
static int cli(const char *input, char **out, const char *const a[9])
{
	return run_cli(&srv, input, out, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], NULL);
}

static void cli_ok(const char *input, const char *const a[9])
{
	char *out = NULL;
	int rc = cli(input, &out, a);

	if (rc)
		print_message("# linli %s %s: %s\n", a[0], a[1], out ? out : "");
	assert_int_equal(rc, 0);
	free(out);
}

/* cli_refused: the command fails with status and says why (why), and
 * the number of areas stays as it was. */
static void cli_refused(int status, const char *why, const char *input, const char *const a[9])
{
	long long before = areas_count();
	char *out = NULL;
	int rc = cli(input, &out, a);

	if (rc != status || !strstr(out, why))
		print_message("# linli %s %s gave %d: %s\n", a[0], a[1], rc, out ? out : "");
	assert_int_equal(rc, status);
	assert_non_null(strstr(out, why));
	assert_int_equal(areas_count(), before);
	free(out);
}

static int group_setup(void **state)
{
	int rc = srv_setup(state);

	if (rc)
		return rc;
	/* a second area in the demo street, a third in a new street of the
	 * same district, and the accounts */
	cli_ok(NULL, ARGS("area", "add", "east", "普善东居民区", "--street", STREET));
	cli_ok("code,name,street,street_name,district\nfar,远方居民区,other,另一街道," DISTRICT
	       "\n",
	       ARGS("area", "import", "-"));
	cli_ok("pushan-jiedao\n", ARGS("user", "add", "jiedao", "--role", "street_staff",
				       "--street", STREET, "--password-stdin"));
	return 0;
}

/* add_user: linli user add name --role role FLAG CODE (the area, street
 * or district), password pushan-secret. */
static void add_user(const char *name, const char *role, const char *flag, const char *code)
{
	char *out = NULL;
	int rc = run_cli(&srv, "pushan-secret\n", &out, "user", "add", name, "--role", role, flag,
			 code, "--password-stdin", NULL);

	if (rc)
		print_message("# user add %s: %s\n", name, out ? out : "");
	assert_int_equal(rc, 0);
	free(out);
}

static void signin(struct client *c, const char *user, const char *password)
{
	client_init(c);
	assert_int_equal(client_login(c, &srv, user, password), 200);
}

/* get: a JSON GET; the status, the answer in r. */
static long get(struct client *c, const char *path, struct response *r)
{
	assert_int_equal(api(c, &srv, "GET", path, NULL, r), 0);
	return r->status;
}

/* enter: POST /region/enter for area code, as the page's form does. */
static long enter(struct client *c, const char *code, struct response *r)
{
	char body[128], hdr[200];

	snprintf(body, sizeof(body), "area=%s", code);
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", c->csrf);
	assert_int_equal(request(c, &srv, "POST", "/region/enter", body,
				 "application/x-www-form-urlencoded", hdr, r),
			 0);
	return r->status;
}

static long file_case(struct client *c, const char *text)
{
	struct response r;
	char json[256];
	long status;

	snprintf(json, sizeof(json), "{\"category\":\"other\",\"description\":\"%s\"}", text);
	assert_int_equal(api(c, &srv, "POST", "/api/v1/cases", json, &r), 0);
	status = r.status;
	response_release(&r);
	return status;
}

/* ---------------------------------------------------------- the command line */

static void area_commands_check_every_row_first(void **state)
{
	char *out = NULL;

	(void)state;
	/* one bad field, one unknown street: nothing written, the reason said */
	cli_refused(1, "the area code must be", NULL,
		    ARGS("area", "add", "bad/code", "名字", "--street", STREET));
	cli_refused(1, "居民区名称", NULL, ARGS("area", "add", "okcode", "", "--street", STREET));
	cli_refused(1, "no such street", NULL,
		    ARGS("area", "add", "okcode", "名字", "--street", "nosuch"));
	cli_refused(2, "usage", NULL, ARGS("area", "add", "okcode", "名字"));
	/* a file whose third data row clashes: the two good rows are not
	 * written either, and the line is named (line 1 is the header) */
	cli_refused(1, "line 4",
		    "code,name,street\nn1,甲,zhijiangxilu\nn2,乙,zhijiangxilu\npushan,丙,"
		    "zhijiangxilu\n",
		    ARGS("area", "import", "-"));
	assert_int_equal(sql_int("SELECT COUNT(*) FROM areas WHERE code IN ('n1', 'n2');"), 0);
	cli_refused(1, "repeated in the file",
		    "code,name,street\nn1,甲,zhijiangxilu\nn1,乙,zhijiangxilu\n",
		    ARGS("area", "import", "-"));
	cli_refused(1, "the header lacks column street", "code,name\nn1,甲\n",
		    ARGS("area", "import", "-"));
	cli_refused(1, "a new one needs its name", "code,name,street\nn1,甲,newstreet\n",
		    ARGS("area", "import", "-"));
	/* every row good: all written, with the standard case categories */
	cli_ok("code,name,street\nn1,甲,zhijiangxilu\nn2,乙,zhijiangxilu\n",
	       ARGS("area", "import", "-"));
	assert_int_equal(sql_int("SELECT COUNT(*) FROM areas WHERE code IN ('n1', 'n2');"), 2);
	assert_true(sql_int("SELECT COUNT(*) FROM case_categories c JOIN areas a ON a.id ="
			    " c.area_id WHERE a.code = 'n2';") > 0);
	assert_int_equal(cli(NULL, &out, ARGS("area", "list")), 0);
	assert_non_null(strstr(out, "east"));
	assert_non_null(strstr(out, "far"));
	assert_non_null(strstr(out, "other"));
	free(out);
	sql_exec("DELETE FROM case_categories WHERE area_id IN (SELECT id FROM areas WHERE code"
		 " IN ('n1', 'n2'));"
		 "DELETE FROM areas WHERE code IN ('n1', 'n2');");
}

static void user_add_scope_rules(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(run_cli(&srv, "pushan-secret\n", &out, "user", "add", "x1", "--role",
				 "street_staff", "--street", "nosuch", "--password-stdin", NULL),
			 1);
	assert_non_null(strstr(out, "no street nosuch"));
	free(out);
	/* a district's code is not a street's */
	assert_int_equal(run_cli(&srv, "pushan-secret\n", &out, "user", "add", "x1", "--role",
				 "street_staff", "--street", DISTRICT, "--password-stdin", NULL),
			 1);
	free(out);
	assert_int_equal(run_cli(&srv, "pushan-secret\n", &out, "user", "add", "x1", "--role",
				 "street_staff", "--password-stdin", NULL),
			 2);
	free(out);
	assert_int_equal(run_cli(&srv, "pushan-secret\n", &out, "user", "add", "x1", "--role",
				 "district_staff", "--street", STREET, "--password-stdin", NULL),
			 2);
	free(out);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM users WHERE username = 'x1';"), 0);
}

/* ---------------------------------------------------------- the overview */

/* area_of: the element of the JSON answer's "areas" with this code. */
static json_t *area_of(json_t *root, const char *code)
{
	json_t *a;
	size_t i;

	json_array_foreach (json_object_get(root, "areas"), i, a)
		if (!strcmp(json_string_value(json_object_get(a, "code")), code))
			return a;
	return NULL;
}

static void overview_figures_and_scope(void **state)
{
	struct client east, street;
	struct response r;
	json_error_t err;
	json_t *root;

	(void)state;
	add_user("eaststaff", "staff", "--area", "east");
	signin(&east, "eaststaff", "pushan-secret");
	assert_int_equal(file_case(&east, "东区路灯不亮一"), 201);
	assert_int_equal(file_case(&east, "东区路灯不亮二"), 201);
	client_release(&east);

	signin(&street, "jiedao", "pushan-jiedao");
	assert_int_equal(get(&street, "/api/v1/region/areas", &r), 200);
	root = json_loads(r.body, 0, &err);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "scope")), "芷江西路街道");
	/* the street's two areas, not the other street's */
	assert_int_equal(json_array_size(json_object_get(root, "areas")), 2);
	assert_null(area_of(root, "far"));
	assert_int_equal(json_integer_value(json_object_get(area_of(root, "east"), "open")), 2);
	assert_int_equal(json_integer_value(json_object_get(area_of(root, "east"), "received")), 2);
	assert_int_equal(json_integer_value(json_object_get(area_of(root, "east"), "residents")),
			 0);
	assert_int_equal(json_integer_value(json_object_get(area_of(root, "pushan"), "residents")),
			 sql_int("SELECT COUNT(*) FROM residents r JOIN areas a ON a.id = r.area_id"
				 " WHERE a.code = 'pushan' AND r.archived = 0;"));
	/* nothing rated in east: no share, not 0 % */
	assert_true(json_is_null(json_object_get(area_of(root, "east"), "satisfied_percent")));
	/* six months of cases received, this month last */
	assert_int_equal(
	    json_array_size(json_object_get(area_of(root, "east"), "received_by_month")), 6);
	assert_int_equal(json_integer_value(json_array_get(
			     json_object_get(area_of(root, "east"), "received_by_month"), 5)),
			 2);
	json_decref(root);
	response_release(&r);

	/* by name: pushan after east; by residents: pushan first */
	assert_int_equal(get(&street, "/api/v1/region/areas", &r), 200);
	assert_true(strstr(r.body, "\"east\"") < strstr(r.body, "\"pushan\""));
	response_release(&r);
	assert_int_equal(get(&street, "/api/v1/region/areas?sort=residents", &r), 200);
	assert_true(strstr(r.body, "\"pushan\"") < strstr(r.body, "\"east\""));
	response_release(&r);

	/* bad input in both languages */
	assert_int_equal(get(&street, "/api/v1/region/areas?sort=bogus", &r), 400);
	assert_non_null(strstr(r.body, "未知的排序列"));
	response_release(&r);
	street.lang = "en";
	assert_int_equal(get(&street, "/api/v1/region/areas?sort=bogus", &r), 400);
	assert_non_null(strstr(r.body, "Unknown sort column"));
	response_release(&r);
	assert_int_equal(get(&street, "/api/v1/region/areas?month=2026-13", &r), 400);
	assert_non_null(strstr(r.body, "The month must be YYYY-MM"));
	response_release(&r);
	street.lang = NULL;

	/* the page: both areas, the total, the sorted column marked */
	assert_int_equal(request(&street, &srv, "GET", "/region?sort=open", NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "普善东居民区"));
	assert_null(strstr(r.body, "远方居民区"));
	assert_non_null(strstr(r.body, "合计"));
	assert_non_null(strstr(r.body, "aria-sort=\"descending\"><a href=\"/region?sort=open"));
	assert_non_null(strstr(r.body, "<svg class=\"spark\""));
	response_release(&r);
	client_release(&street);
}

/* received_in: the figure of the row keyed "received" in a report page. */
static long long received_in(const char *page)
{
	const char *p = strstr(page, "<tr data-key=\"received\">");

	assert_non_null(p);
	p = strstr(p, "<td class=\"num\">");
	assert_non_null(p);
	return atoll(p + strlen("<td class=\"num\">"));
}

static void rollup_report_adds_the_areas_up(void **state)
{
	struct client street, east;
	struct response r;
	char month[8], path[96], type[128];
	long long total = 0;
	json_error_t err;
	json_t *root, *a;
	size_t i;

	(void)state;
	signin(&street, "jiedao", "pushan-jiedao");
	assert_int_equal(get(&street, "/api/v1/region/areas", &r), 200);
	root = json_loads(r.body, 0, &err);
	assert_non_null(root);
	snprintf(month, sizeof(month), "%s", json_string_value(json_object_get(root, "month")));
	json_array_foreach (json_object_get(root, "areas"), i, a)
		total += json_integer_value(json_object_get(a, "received"));
	json_decref(root);
	response_release(&r);
	assert_true(total >= 2);
	/* the street's total of cases received is the areas' sum */
	snprintf(path, sizeof(path), "/region/report?month=%s", month);
	assert_int_equal(request(&street, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "芷江西路街道"));
	assert_int_equal(received_in(r.body), total);
	response_release(&r);
	/* and follows a new one in an area */
	signin(&east, "eaststaff", "pushan-secret");
	assert_int_equal(file_case(&east, "东区又一件"), 201);
	client_release(&east);
	assert_int_equal(request(&street, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(received_in(r.body), total + 1);
	response_release(&r);
	/* the workbook */
	snprintf(path, sizeof(path), "/region/report.xlsx?month=%s", month);
	assert_int_equal(request(&street, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(header_value(&r, "Content-Type", type, sizeof(type)));
	assert_non_null(strstr(type, "spreadsheetml"));
	assert_true(r.len > 4 && !memcmp(r.body, "PK", 2));
	response_release(&r);
	/* a month to come: refused */
	assert_int_equal(
	    request(&street, &srv, "GET", "/region/report?month=2999-01", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 400);
	response_release(&r);
	client_release(&street);
}

static void district_sees_every_street(void **state)
{
	struct client d;
	struct response r;

	(void)state;
	add_user("qu", "district_staff", "--district", DISTRICT);
	signin(&d, "qu", "pushan-secret");
	assert_int_equal(get(&d, "/api/v1/region/areas", &r), 200);
	assert_non_null(strstr(r.body, "\"far\""));
	assert_non_null(strstr(r.body, "\"east\""));
	assert_non_null(strstr(r.body, "\"pushan\""));
	assert_non_null(strstr(r.body, "静安区"));
	response_release(&r);
	assert_int_equal(enter(&d, "far", &r), 303);
	response_release(&r);
	client_release(&d);
}

/* ---------------------------------------------------------- Open311 */

static void open311_street_and_district(void **state)
{
	struct client anon, far;
	struct response r;
	char *out = NULL, key[128], body[512], hdr[300];

	(void)state;
	add_user("farstaff", "staff", "--area", "far");
	signin(&far, "farstaff", "pushan-secret");
	assert_int_equal(file_case(&far, "远方的井盖松动"), 201);
	client_release(&far);
	client_init(&anon);
	/* the street: its areas' requests, each saying whose it is */
	assert_int_equal(
	    get(&anon, "/open311/v2/requests.json?jurisdiction_id=" STREET "&page_size=200", &r),
	    200);
	assert_non_null(strstr(r.body, "东区路灯不亮一"));
	assert_non_null(strstr(r.body, "\"jurisdiction_id\":\"east\""));
	assert_null(strstr(r.body, "远方的井盖松动"));
	response_release(&r);
	/* the district: every street's */
	assert_int_equal(
	    get(&anon, "/open311/v2/requests.json?jurisdiction_id=" DISTRICT "&page_size=200", &r),
	    200);
	assert_non_null(strstr(r.body, "远方的井盖松动"));
	assert_non_null(strstr(r.body, "\"jurisdiction_id\":\"far\""));
	assert_non_null(strstr(r.body, "东区路灯不亮一"));
	response_release(&r);
	/* one area's answer is as it was: its own requests, no jurisdiction_id */
	assert_int_equal(get(&anon, "/open311/v2/requests.json?jurisdiction_id=east", &r), 200);
	assert_non_null(strstr(r.body, "东区路灯不亮一"));
	assert_null(strstr(r.body, "jurisdiction_id"));
	response_release(&r);
	/* one request, through the other street: not there */
	long long id = sql_int("SELECT id FROM cases WHERE description = '远方的井盖松动';");
	char path[160];
	snprintf(path, sizeof(path), "/open311/v2/requests/%lld.json?jurisdiction_id=" STREET, id);
	assert_int_equal(get(&anon, path, &r), 404);
	response_release(&r);
	snprintf(path, sizeof(path), "/open311/v2/requests/%lld.json?jurisdiction_id=other", id);
	assert_int_equal(get(&anon, path, &r), 200);
	assert_non_null(strstr(r.body, "远方的井盖松动"));
	response_release(&r);
	/* filing goes to an area: a street's jurisdiction_id is refused */
	assert_int_equal(run_cli(&srv, NULL, &out, "token", "add", "east-app", "--role", "staff",
				 "--area", "east", NULL),
			 0);
	snprintf(key, sizeof(key), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	long long before = sql_int("SELECT COUNT(*) FROM cases;");
	snprintf(body, sizeof(body),
		 "jurisdiction_id=" STREET "&api_key=%s&service_code=other&description=x"
		 "&address_string=somewhere",
		 key);
	snprintf(hdr, sizeof(hdr), "Accept-Language: en");
	assert_int_equal(request(&anon, &srv, "POST", "/open311/v2/requests.json", body,
				 "application/x-www-form-urlencoded", hdr, &r),
			 0);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "is for reading"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM cases;"), before);
	/* an unknown code is still unknown */
	assert_int_equal(get(&anon, "/open311/v2/requests.json?jurisdiction_id=nosuch", &r), 404);
	response_release(&r);
	client_release(&anon);
}

/* ---------------------------------------------------------- 12345 referrals */

static long post_json(struct client *c, const char *path, const char *json, struct response *r)
{
	assert_int_equal(api(c, &srv, "POST", path, json, r), 0);
	return r->status;
}

static long long referrals(void)
{
	return sql_int("SELECT COUNT(*) FROM case_referrals;") * 1000000 +
	       sql_int("SELECT COUNT(*) FROM cases;");
}

/* referral_field: the text field of referral id in a list's JSON (a
 * static copy; "" when absent). */
static const char *referral_field(const char *body, long long id, const char *field)
{
	static char out[256];
	json_error_t err;
	json_t *root = json_loads(body, 0, &err), *o;
	size_t i;

	out[0] = '\0';
	json_array_foreach (json_object_get(root, "referrals"), i, o)
		if (json_integer_value(json_object_get(o, "id")) == id)
			snprintf(out, sizeof(out), "%s",
				 json_string_value(json_object_get(o, field))
				     ? json_string_value(json_object_get(o, field))
				     : "");
	json_decref(root);
	return out;
}

/* refer_refused: a referral with fields (a JSON object's members, the
 * description added) is refused with status, saying says. */
static void refer_refused(struct client *c, const char *fields, long status, const char *says)
{
	struct response r;
	char json[512];

	snprintf(json, sizeof(json), "%.*s,\"description\":\"楼道灯坏了\"}",
		 (int)strlen(fields) - 1, fields);
	assert_int_equal(post_json(c, "/api/v1/region/referrals", json, &r), status);
	assert_non_null(strstr(r.body, says));
	response_release(&r);
}

static void hotline_referral_round_trip(void **state)
{
	struct client street, east, pushan;
	struct response r;
	long long before, first, second;
	char path[96];

	(void)state;
	signin(&street, "jiedao", "pushan-jiedao");
	signin(&east, "eaststaff", "pushan-secret");
	login_as(&pushan, "staff");
	/* bad input, another street's area, an area's own staff: nothing written */
	before = referrals();
	refer_refused(&street, "{\"area\":\"east\",\"category\":\"other\"}", 422, "12345 工单号");
	refer_refused(&street, "{\"area\":\"far\",\"hotline_ref\":\"A1\",\"category\":\"other\"}",
		      403, "不在您的街道");
	refer_refused(&pushan, "{\"area\":\"east\",\"hotline_ref\":\"A1\",\"category\":\"other\"}",
		      403, "只有街道工作人员");
	refer_refused(&street, "{\"area\":\"east\",\"hotline_ref\":\"A1\",\"category\":\"nope\"}",
		      422, "");
	assert_int_equal(referrals(), before);
	/* two work orders to east: two cases of east */
	assert_int_equal(post_json(&street, "/api/v1/region/referrals",
				   "{\"area\":\"east\",\"hotline_ref\":\"12345-0001\","
				   "\"category\":\"other\",\"description\":\"12345：楼道灯坏了\"}",
				   &r),
			 201);
	first = json_int(r.body, "id");
	assert_int_equal(sql_int("SELECT COUNT(*) FROM cases c JOIN areas a ON a.id = c.area_id"
				 " WHERE c.id = %lld AND a.code = 'east';",
				 json_int(r.body, "case_id")),
			 1);
	response_release(&r);
	assert_int_equal(post_json(&street, "/api/v1/region/referrals",
				   "{\"area\":\"east\",\"hotline_ref\":\"12345-0002\","
				   "\"category\":\"other\",\"description\":\"12345：井盖响\"}",
				   &r),
			 201);
	second = json_int(r.body, "id");
	response_release(&r);
	/* the area sees what it was handed; another area does not */
	assert_int_equal(get(&east, "/api/v1/region/referrals", &r), 200);
	assert_non_null(strstr(r.body, "12345-0001"));
	response_release(&r);
	assert_int_equal(get(&pushan, "/api/v1/region/referrals", &r), 200);
	assert_null(strstr(r.body, "12345-0001"));
	response_release(&r);
	/* answers: another area's is not found, a bad one refused */
	snprintf(path, sizeof(path), "/api/v1/region/referrals/%lld/answer", first);
	assert_int_equal(
	    post_json(&pushan, path, "{\"action\":\"return\",\"text\":\"不是我们的\"}", &r), 404);
	response_release(&r);
	assert_int_equal(post_json(&east, path, "{\"action\":\"bogus\",\"text\":\"x\"}", &r), 422);
	response_release(&r);
	assert_int_equal(post_json(&east, path, "{\"action\":\"return\",\"text\":\"\"}", &r), 422);
	response_release(&r);
	/* the street may not answer for the area */
	assert_int_equal(
	    post_json(&street, path, "{\"action\":\"reply\",\"text\":\"街道代答\"}", &r), 403);
	response_release(&r);
	/* east returns the first, replies to the second; once each */
	assert_int_equal(post_json(&east, path,
				   "{\"action\":\"return\",\"text\":\"属物业维修范围，已告知\"}",
				   &r),
			 200);
	response_release(&r);
	assert_int_equal(post_json(&east, path, "{\"action\":\"reply\",\"text\":\"再答一次\"}", &r),
			 409);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/region/referrals/%lld/answer", second);
	assert_int_equal(
	    post_json(&east, path, "{\"action\":\"reply\",\"text\":\"井盖已更换\"}", &r), 200);
	response_release(&r);
	/* the street sees both answers */
	assert_int_equal(get(&street, "/api/v1/region/referrals", &r), 200);
	assert_string_equal(referral_field(r.body, first, "state"), "returned");
	assert_string_equal(referral_field(r.body, first, "answer"), "属物业维修范围，已告知");
	assert_string_equal(referral_field(r.body, second, "state"), "replied");
	assert_string_equal(referral_field(r.body, second, "answer"), "井盖已更换");
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM audit_log WHERE entity = 'case_referrals';"),
			 4);
	/* the overview's form does the same without script, and lists them */
	char hdr[200];
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", street.csrf);
	assert_int_equal(
	    request(&street, &srv, "POST", "/region/referrals",
		    "area=east&hotline_ref=12345-0003&category=other&description=%E6%A5%BC"
		    "%E4%B8%8A%E6%BC%8F%E6%B0%B4&address=",
		    "application/x-www-form-urlencoded", hdr, &r),
	    0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	assert_int_equal(request(&street, &srv, "GET", "/region", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "12345-0003"));
	assert_non_null(strstr(r.body, "楼上漏水"));
	assert_non_null(strstr(r.body, "已退回"));
	assert_non_null(strstr(r.body, "井盖已更换"));
	response_release(&r);
	client_release(&street);
	client_release(&east);
	client_release(&pushan);
}

/* ---------------------------------------------------------- the drill-down */

static void drill_down_is_read_only(void **state)
{
	struct client street;
	struct response r;
	char loc[64];
	long long east_cases = sql_int("SELECT COUNT(*) FROM cases c JOIN areas a ON a.id ="
				       " c.area_id WHERE a.code = 'east';");

	(void)state;
	signin(&street, "jiedao", "pushan-jiedao");
	assert_int_equal(enter(&street, "east", &r), 303);
	assert_string_equal(header_value(&r, "Location", loc, sizeof(loc)), "/cases");
	response_release(&r);
	assert_int_equal(get(&street, "/api/v1/me", &r), 200);
	assert_int_equal(json_int(r.body, "area_id"),
			 sql_int("SELECT id FROM areas WHERE code = 'east';"));
	assert_non_null(strstr(r.body, "\"role\":\"street_staff\""));
	response_release(&r);
	/* east's cases, read */
	assert_int_equal(get(&street, "/api/v1/cases", &r), 200);
	assert_non_null(strstr(r.body, "东区路灯不亮一"));
	response_release(&r);
	/* but nothing written, not even a report of its own */
	assert_int_equal(file_case(&street, "街道不应能写"), 403);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM cases c JOIN areas a ON a.id = c.area_id"
				 " WHERE a.code = 'east';"),
			 east_cases);
	/* the way back to the overview stays open */
	assert_int_equal(get(&street, "/api/v1/region/areas", &r), 200);
	response_release(&r);
	/* another street's area, or none: refused, the session stays in east */
	assert_int_equal(enter(&street, "far", &r), 403);
	assert_non_null(strstr(r.body, "不在您的街道"));
	response_release(&r);
	assert_int_equal(enter(&street, "nosuch", &r), 404);
	response_release(&r);
	assert_int_equal(get(&street, "/api/v1/me", &r), 200);
	assert_int_equal(json_int(r.body, "area_id"),
			 sql_int("SELECT id FROM areas WHERE code = 'east';"));
	response_release(&r);
	/* signing out is the one write a read-only session makes */
	assert_int_equal(api(&street, &srv, "POST", "/api/v1/logout", "{}", &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	client_release(&street);
}

static void own_role_in_area_writes(void **state)
{
	struct client street;
	struct response r;

	(void)state;
	sql_exec("INSERT INTO user_roles (user_id, area_id, role) SELECT u.id, a.id, 'staff'"
		 " FROM users u, areas a WHERE u.username = 'jiedao' AND a.code = 'east';");
	/* signing in lands in the area of its own role, as its staff */
	signin(&street, "jiedao", "pushan-jiedao");
	assert_int_equal(get(&street, "/api/v1/me", &r), 200);
	assert_non_null(strstr(r.body, "\"role\":\"staff\""));
	response_release(&r);
	assert_int_equal(file_case(&street, "街道干部兼东区社工"), 201);
	/* and keeps the street's overview */
	assert_int_equal(get(&street, "/api/v1/region/areas", &r), 200);
	response_release(&r);
	/* in pushan it holds no role: read-only again */
	assert_int_equal(enter(&street, "pushan", &r), 303);
	response_release(&r);
	assert_int_equal(file_case(&street, "普善不应能写"), 403);
	/* back in east: staff again */
	assert_int_equal(enter(&street, "east", &r), 303);
	response_release(&r);
	assert_int_equal(file_case(&street, "又回东区"), 201);
	client_release(&street);
	sql_exec("DELETE FROM user_roles WHERE user_id = (SELECT id FROM users WHERE username ="
		 " 'jiedao');");
}

static void area_accounts_have_no_overview(void **state)
{
	struct client c;
	struct response r;

	(void)state;
	for (int i = 0; i < NDEMO_USERS; i++) {
		login_as(&c, demo_users[i]);
		assert_int_equal(get(&c, "/api/v1/region/areas", &r), 403);
		response_release(&r);
		assert_int_equal(enter(&c, "east", &r), 403);
		response_release(&r);
		client_release(&c);
	}
	client_init(&c);
	assert_int_equal(get(&c, "/api/v1/region/areas", &r), 401);
	response_release(&r);
	client_release(&c);
}

/* ---------------------------------------------------------- every route */

/* The permissions a street account holds (src/web/perm.c). */
static int street_holds(const char *perm)
{
	static const char *const held[] = {
	    "public",	    "signed_in",   "cases.read",   "noise.read",
	    "reports.read", "region.read", "region.refer", NULL};
	for (int i = 0; held[i]; i++)
		if (!strcmp(perm, held[i]))
			return 1;
	return 0;
}

/* The writes a read-only account may make: signing in and out, moving
 * between its areas. */
static int read_only_write_ok(const char *method, const char *pattern)
{
	static const char *const ok[] = {"/login",
					 "/api/v1/login",
					 "/portal/signin",
					 "/logout",
					 "/api/v1/logout",
					 "/region/enter",
					 "/api/v1/region/referrals",
					 "/region/referrals",
					 NULL};
	for (int i = 0; ok[i]; i++)
		if (!strcmp(pattern, ok[i]))
			return 1;
	return !strcmp(method, "GET");
}

/* word copies the next word of *at into out and moves past it; 0 when
 * there is none. */
static int word(const char **at, char *out, size_t n)
{
	size_t k = 0;

	while (**at == ' ')
		(*at)++;
	while (**at && **at != ' ' && k + 1 < n)
		out[k++] = *(*at)++;
	out[k] = '\0';
	return k > 0;
}

/* is_stream: a live page's event stream (may stay open). */
static int is_stream(const char *pattern)
{
	size_t n = strlen(pattern);

	return n > 7 && !strcmp(pattern + n - 7, "/events") &&
	       (strstr(pattern, "/live") || strstr(pattern, "/display"));
}

static void every_route_as_a_street_account(void **state)
{
	struct client street;
	char *out = NULL, *line, *save = NULL;
	int checked = 0, wrong = 0;

	(void)state;
	assert_int_equal(run_cli(&srv, NULL, &out, "routes", NULL), 0);
	signin(&street, "jiedao", "pushan-jiedao");
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char method[16], pattern[256], perm[64], path[512];
		struct response r;
		size_t k = 0;
		int want;

		const char *at = line;
		if (!word(&at, method, sizeof(method)) || !word(&at, pattern, sizeof(pattern)) ||
		    !word(&at, perm, sizeof(perm)) || !strcmp(pattern, "/api/v1/logout") ||
		    !strcmp(pattern, "/logout") || !strncmp(pattern, "/login", 6) ||
		    !strcmp(pattern, "/api/v1/login") || !strcmp(pattern, "/region/enter") ||
		    is_stream(pattern))
			continue; /* the door of each is checked above; event streams stay open */
		/* captures become ids that do not exist */
		for (const char *p = pattern; *p && k + 12 < sizeof(path);) {
			if (*p == ':') {
				k += (size_t)snprintf(path + k, sizeof(path) - k, "999999999");
				while (*p && *p != '/')
					p++;
			} else
				path[k++] = *p++;
		}
		path[k] = '\0';
		want = street_holds(perm) && read_only_write_ok(method, pattern);
		assert_int_equal(
		    api(&street, &srv, method, path, strcmp(method, "GET") ? "{}" : NULL, &r), 0);
		/* refused at the door: 403 in the door's own words */
		int refused = r.status == 403 && strstr(r.body, "您的角色无权进行此操作");
		if (refused == want) {
			print_message("# %s %s (%s): %ld, should %s\n", method, path, perm,
				      r.status, want ? "go through" : "be refused");
			wrong++;
		}
		checked++;
		response_release(&r);
	}
	free(out);
	client_release(&street);
	assert_true(checked > 300);
	assert_int_equal(wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(area_commands_check_every_row_first),
	    cmocka_unit_test(user_add_scope_rules),
	    cmocka_unit_test(overview_figures_and_scope),
	    cmocka_unit_test(rollup_report_adds_the_areas_up),
	    cmocka_unit_test(district_sees_every_street),
	    cmocka_unit_test(open311_street_and_district),
	    cmocka_unit_test(hotline_referral_round_trip),
	    cmocka_unit_test(drill_down_is_read_only),
	    cmocka_unit_test(own_role_in_area_writes),
	    cmocka_unit_test(area_accounts_have_no_overview),
	    cmocka_unit_test(every_route_as_a_street_account),
	};
	return cmocka_run_group_tests(tests, group_setup, srv_teardown);
}
