/* HTTP tests of the foundation against the real server with the demo area:
 * sign-in and sign-out, CSRF, the role x route permission table,
 * validation messages in both languages, create-read-update-archive round
 * trips, phone masking, body caps, throttling, the audit chain and CSV
 * import that refuses a file with one bad row. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* json_int: the integer after "key": in body (first occurrence). */
static void test_health_and_metrics(void **state)
{
	struct client c;
	struct response r;

	(void)state;
	client_init(&c);
	assert_int_equal(request(&c, &srv, "GET", "/healthz", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "ok\n");
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/metrics", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(
	    r.body,
	    "linli_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"));
	assert_non_null(strstr(r.body, "linli_http_request_duration_seconds_bucket"));
	response_release(&r);
	client_release(&c);
}

/* The demo area reproduces the seed's figures exactly. */
static void test_demo_counts(void **state)
{
	struct client c;
	struct response r;
	long long units;

	(void)state;
	login_as(&c, "secretary");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_int(r.body, "residents"), 4846);
	assert_int_equal(json_int(r.body, "members"), 178);
	assert_int_equal(json_int(r.body, "compounds"), 4);
	units = json_int(r.body, "units");
	assert_true(units >= 165 && units <= 175);
	assert_non_null(strstr(r.body, "\"kind\":\"branch\""));
	response_release(&r);
	assert_int_equal(
	    api(&c, &srv, "GET", "/api/v1/units?q=%E5%9F%8E%E6%8A%95%E6%B0%B4%E5%8A%A1", NULL, &r),
	    0);
	assert_non_null(strstr(r.body, "城投水务普善供水站"));
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/places?kind=plaza", NULL, &r), 0);
	assert_non_null(strstr(r.body, "五月花商业广场"));
	response_release(&r);
	client_release(&c);
}

static void test_login_logout(void **state)
{
	struct client c;
	struct response r;
	char cookie[512];

	(void)state;
	client_init(&c);
	/* Not signed in: the API says 401, pages send the reader to sign in. */
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/me", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/residents", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", cookie, sizeof(cookie)));
	assert_string_equal(cookie, "/login?next=%2Fresidents");
	response_release(&r);

	assert_int_equal(client_login(&c, &srv, "secretary", "wrong-password"), 401);
	assert_int_equal(client_login(&c, &srv, "nobody", "pushan-secretary"), 401);
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/login",
				 "{\"username\":\"secretary\",\"password\":\"pushan-secretary\"}",
				 "application/json", NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(header_value(&r, "Set-Cookie", cookie, sizeof(cookie)));
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_non_null(strstr(cookie, "SameSite=Lax"));
	assert_non_null(strstr(r.body, "\"csrf_token\":\""));
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/me", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"role\":\"secretary\""));
	response_release(&r);

	/* Sign-out without the CSRF token is refused, with it the session ends. */
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/logout", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	client_login(&c, &srv, "secretary", "pushan-secretary");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/logout", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/me", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	client_release(&c);
}

static void test_csrf(void **state)
{
	struct client c;
	struct response r;
	const char *body = "{\"name\":\"CSRF测试单位\",\"kind\":\"shop\"}";

	(void)state;
	login_as(&c, "staff");
	assert_int_equal(
	    request(&c, &srv, "POST", "/api/v1/units", body, "application/json", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "\"code\":\"csrf\""));
	response_release(&r);
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/units", body, "application/json",
				 "X-CSRF-Token: not-the-token", &r),
			 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	/* A form post without the hidden field is refused the same way. */
	assert_int_equal(request(&c, &srv, "POST", "/units", "name=x&kind=shop",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/units?q=CSRF", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "total"), 0);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/units", body, &r), 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	client_release(&c);
}

/* The permission table, restated from the roles' point of view. A write
 * is probed with an empty object: allowed roles get 422 (validation), the
 * others 403, so the probe never changes anything. */
static void test_roles_by_route(void **state)
{
	static const char *const roles[] = {"admin",	 "secretary", "staff",	 "member",
					    "volunteer", "resident",  "liaison", "agency"};
	static const struct {
		const char *method, *path;
		const char *allowed; /* one letter per role above: y allowed, n refused */
	} table[] = {
	    {"GET", "/api/v1/dashboard", "yyyyyyyy"},
	    {"GET", "/api/v1/compounds", "yyyyynnn"},
	    {"POST", "/api/v1/households", "yyynnnnn"},
	    {"GET", "/api/v1/residents", "yyyyynnn"},
	    {"POST", "/api/v1/residents", "yyynnnnn"},
	    {"GET", "/api/v1/members", "yyyynnnn"},
	    {"POST", "/api/v1/members", "yynnnnnn"},
	    {"POST", "/api/v1/branches", "yynnnnnn"},
	    {"GET", "/api/v1/teams", "yyyyynnn"},
	    {"POST", "/api/v1/team_members", "yyynnnnn"},
	    {"GET", "/api/v1/units", "yyyynnyn"},
	    {"POST", "/api/v1/units", "yyynnnnn"},
	    {"GET", "/residents", "yyyyynnn"},
	    {"GET", "/units/new", "yyynnnnn"},
	};

	(void)state;
	for (size_t ri = 0; ri < sizeof(roles) / sizeof(roles[0]); ri++) {
		struct client c;
		login_as(&c, roles[ri]);
		for (size_t t = 0; t < sizeof(table) / sizeof(table[0]); t++) {
			struct response r;
			int post = !strcmp(table[t].method, "POST");
			long want = table[t].allowed[ri] == 'y' ? (post ? 422 : 200) : 403;
			assert_int_equal(
			    api(&c, &srv, table[t].method, table[t].path, post ? "{}" : NULL, &r),
			    0);
			if (r.status != want)
				fail_msg("%s %s as %s: got %ld, want %ld", table[t].method,
					 table[t].path, roles[ri], r.status, want);
			response_release(&r);
		}
		client_release(&c);
	}
}

static void test_validation_languages(void **state)
{
	struct client c;
	struct response r;
	const char *bad =
	    "{\"name\":\"\",\"gender\":\"X\",\"phone\":\"12345\",\"birth_year\":\"1800\"}";

	(void)state;
	login_as(&c, "staff");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/residents", bad, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "姓名不能为空"));
	assert_non_null(strstr(r.body, "电话不是有效的电话号码"));
	assert_non_null(strstr(r.body, "\"gender\":"));
	assert_non_null(strstr(r.body, "\"birth_year\":"));
	response_release(&r);
	c.lang = "en";
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/residents", bad, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Name is required"));
	assert_non_null(strstr(r.body, "Phone is not a valid phone number"));
	response_release(&r);
	/* Bad JSON and unknown fields are refused too. */
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/residents", "{not json", &r), 0);
	assert_int_equal(r.status, 400);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/units",
			     "{\"name\":\"a\",\"kind\":\"shop\",\"evil\":1}", &r),
			 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Unknown field evil"));
	response_release(&r);
	client_release(&c);
}

static void test_household_round_trip(void **state)
{
	struct client c;
	struct response r;
	char path[128], body[512];
	long long building, id;

	(void)state;
	login_as(&c, "secretary");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/buildings?per_page=1", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	building = json_int(r.body, "id");
	response_release(&r);

	snprintf(body, sizeof(body),
		 "{\"building_id\":%lld,\"door\":\"9901\",\"area_centi\":\"88.5\",\"owners\":"
		 "\"测试户主\"}",
		 building);
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/households", body, &r), 0);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"area_centi\":\"88.50\""));
	id = json_int(r.body, "id");
	response_release(&r);

	/* The same door in the same building is a conflict. */
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/households", body, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);

	snprintf(path, sizeof(path), "/api/v1/households/%lld", id);
	/* A read, then a write: the next read must show the write. */
	assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"area_centi\":\"88.50\""));
	response_release(&r);
	assert_int_equal(
	    api(&c, &srv, "PATCH", path, "{\"area_centi\":\"90.07\",\"note\":\"换新门\"}", &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"area_centi\":\"90.07\""));
	assert_non_null(strstr(r.body, "\"note\":\"换新门\""));
	assert_non_null(strstr(r.body, "\"door\":\"9901\""));
	response_release(&r);

	/* A household with a resident cannot be archived; without, it can. */
	snprintf(body, sizeof(body),
		 "{\"name\":\"测试居民\",\"gender\":\"F\",\"household_id\":%lld,\"phone\":"
		 "\"13912345678\"}",
		 id);
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/residents", body, &r), 0);
	assert_int_equal(r.status, 201);
	long long resident = json_int(r.body, "id");
	response_release(&r);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);
	snprintf(body, sizeof(body), "/api/v1/residents/%lld", resident);
	assert_int_equal(api(&c, &srv, "DELETE", body, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"result\":\"archived\""));
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/households?q=9901", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "total"), 0);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/households?q=9901&archived=1", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "total"), 1);
	response_release(&r);
	/* An archived row keeps its history: no more edits or archiving. */
	assert_int_equal(api(&c, &srv, "PATCH", path, "{\"note\":\"late\"}", &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "\"code\":\"archived\""));
	response_release(&r);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);
	client_release(&c);
}

/* The largest page of residents, tags and all, and a CSV export of them. */
static void test_big_pages(void **state)
{
	struct client c;
	struct response r;
	char *out = NULL;
	int rc, lines = 0;

	(void)state;
	login_as(&c, "staff");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/residents?per_page=500&page=2", NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"per_page\":500"));
	assert_non_null(strstr(r.body, "\"tags\":[\""));
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/residents?per_page=501", NULL, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	client_release(&c);
	rc = run_cli(&srv, NULL, &out, "export", "residents", NULL);
	assert_int_equal(rc, 0);
	for (const char *p = out; (p = strchr(p, '\n')); p++)
		lines++;
	/* A header and every live resident (the demo's, give or take the
	 * ones earlier tests added or archived). */
	assert_true(lines > 4800);
	assert_non_null(strstr(out, "独居老人"));
	free(out);
}

/* Protocol details a client relies on. */
static void test_protocol_edges(void **state)
{
	struct client c;
	struct response r;
	char allow[128];
	long long a, b;

	(void)state;
	login_as(&c, "secretary");
	assert_int_equal(api(&c, &srv, "DELETE", "/api/v1/residents", NULL, &r), 0);
	assert_int_equal(r.status, 405);
	assert_non_null(header_value(&r, "Allow", allow, sizeof(allow)));
	assert_string_equal(allow, "GET, POST");
	response_release(&r);
	/* Sign-in over the API takes JSON only (a cross-site form cannot). */
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/login",
				 "{\"username\":\"secretary\",\"password\":\"pushan-secretary\"}",
				 "text/plain", NULL, &r),
			 0);
	assert_int_equal(r.status, 415);
	response_release(&r);
	/* A filter value outside the choices is an error, not an empty list. */
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/residents?gender=X", NULL, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	/* Branches cannot become their own ancestors. */
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/branches",
			     "{\"name\":\"循环甲\",\"kind\":\"branch\"}", &r),
			 0);
	a = json_int(r.body, "id");
	response_release(&r);
	char body[128], path[64];
	snprintf(body, sizeof(body), "{\"name\":\"循环乙\",\"kind\":\"branch\",\"parent_id\":%lld}",
		 a);
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/branches", body, &r), 0);
	assert_int_equal(r.status, 201);
	b = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/branches/%lld", a);
	snprintf(body, sizeof(body), "{\"parent_id\":%lld}", b);
	assert_int_equal(api(&c, &srv, "PATCH", path, body, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "循环"));
	response_release(&r);
	/* English wins only when it is weighted above Chinese. */
	c.lang = "zh-CN,zh;q=0.9,en;q=0.8";
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/nothing-here", NULL, &r), 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "找不到"));
	response_release(&r);
	c.lang = "en-GB,en;q=0.9,zh;q=0.5";
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/nothing-here", NULL, &r), 0);
	assert_non_null(strstr(r.body, "No such page"));
	response_release(&r);
	client_release(&c);
}

static void test_phone_masking(void **state)
{
	struct client staff, member;
	struct response r;
	long long id;
	char path[64];

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/residents",
			     "{\"name\":\"掩码测试\",\"gender\":\"M\",\"phone\":\"13812345678\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"phone\":\"13812345678\""));
	id = json_int(r.body, "id");
	response_release(&r);

	snprintf(path, sizeof(path), "/api/v1/residents/%lld", id);
	/* Staff read it first, so an answer for staff sits in the cache. */
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"phone\":\"13812345678\""));
	response_release(&r);
	login_as(&member, "member");
	assert_int_equal(api(&member, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"phone\":\"138****5678\""));
	assert_null(strstr(r.body, "13812345678"));
	response_release(&r);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/residents?q=13812345678", NULL, &r), 0);
	assert_null(strstr(r.body, "13812345678"));
	response_release(&r);
	/* The HTML page masks as well. */
	snprintf(path, sizeof(path), "/residents/%lld", id);
	assert_int_equal(request(&member, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "138****5678"));
	assert_null(strstr(r.body, "13812345678"));
	response_release(&r);
	client_release(&member);
	client_release(&staff);
}

static void test_body_cap(void **state)
{
	struct client c;
	struct response r;
	size_t n = (size_t)2 << 20;
	char *big = malloc(n + 1);

	(void)state;
	memset(big, 'a', n);
	big[n] = '\0';
	login_as(&c, "staff");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/units", big, &r), 0);
	assert_int_equal(r.status, 413);
	response_release(&r);
	free(big);
	client_release(&c);
}

static void test_pages(void **state)
{
	struct client c;
	struct response r;
	char body[512], token[128];
	const char *p;

	(void)state;
	client_init(&c);
	/* The sign-in form, then the dashboard with the seed's figures. */
	assert_int_equal(request(&c, &srv, "GET", "/login", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"zh-CN\">"));
	assert_non_null(strstr(r.body, "登录"));
	/* The form carries a CSRF token matching a cookie set with it. */
	p = strstr(r.body, "name=\"_csrf\" value=\"");
	assert_non_null(p);
	p += strlen("name=\"_csrf\" value=\"");
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(p, "\""), p);
	response_release(&r);
	/* Without the token (a forged cross-site post) sign-in is refused. */
	assert_int_equal(request(&c, &srv, "POST", "/login",
				 "username=secretary&password=pushan-secretary",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	/* The refusal re-rendered the form with a fresh token. */
	assert_int_equal(request(&c, &srv, "GET", "/login", NULL, NULL, NULL, &r), 0);
	p = strstr(r.body, "name=\"_csrf\" value=\"") + strlen("name=\"_csrf\" value=\"");
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(p, "\""), p);
	response_release(&r);
	snprintf(body, sizeof(body),
		 "_csrf=%s&username=secretary&password=pushan-secretary&next=%%2F", token);
	assert_int_equal(request(&c, &srv, "POST", "/login", body,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	/* Every figure on the dashboard is the database's own count. */
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/dashboard", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(body, sizeof(body), "<span class=\"num\">%lld</span><span class=\"label\">居民",
		 json_int(r.body, "residents"));
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "普善居民区"));
	assert_non_null(strstr(r.body, body));
	assert_non_null(strstr(r.body, "name=\"_csrf\""));
	response_release(&r);
	/* English is one click away and sticks. */
	assert_int_equal(request(&c, &srv, "GET", "/lang?set=en", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	assert_int_equal(
	    request(&c, &srv, "GET", "/residents?q=%3Cscript%3E", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "<html lang=\"en\">"));
	assert_non_null(strstr(r.body, "Residents"));
	assert_null(strstr(r.body, "<script>"));
	assert_non_null(strstr(r.body, "&lt;script&gt;"));
	response_release(&r);
	client_release(&c);
}

static void test_audit_chain(void **state)
{
	char *out = NULL, sql[128], cmd[2048];
	int rc;

	(void)state;
	if (strncmp(srv.db, "sqlite:", 7)) {
		/* Tampering goes through the sqlite3 shell; on PostgreSQL the
		 * storage suite covers the append-only trigger. */
		rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);
		assert_int_equal(rc, 0);
		free(out);
		return;
	}
	rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "intact"));
	free(out);
	/* The trigger refuses edits... */
	snprintf(sql, sizeof(sql), "UPDATE audit_log SET actor = 'mallory' WHERE id = 3;");
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\" 2>&1 | grep -q append-only", srv.db + 7,
		 sql);
	assert_int_equal(system(cmd), 0);
	/* ...so a tamperer drops it first; the chain still names the row. */
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"DROP TRIGGER audit_log_no_update; %s\"",
		 srv.db + 7, sql);
	assert_int_equal(system(cmd), 0);
	rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "broken at entry 3"));
	free(out);
}

static void test_import_bad_row(void **state)
{
	char *out = NULL, path[400], *before = NULL, *after = NULL;
	FILE *f;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/units.csv", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("name,kind,address,contact,phone,has_party_org\n"
	      "导入测试甲,shop,普善路1号,张三,13800001111,0\n"
	      "导入测试乙,factory,普善路2号,李四,13800002222,0\n"
	      "\"导入测试丙\",school,\"普善路3号, 二楼\",王五,not-a-phone,是\n",
	      f);
	fclose(f);
	rc = run_cli(&srv, NULL, &before, "export", "units", NULL);
	assert_int_equal(rc, 0);
	rc = run_cli(&srv, NULL, &out, "import", "units", path, NULL);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "第 3 行"));
	assert_non_null(strstr(out, "第 4 行"));
	assert_null(strstr(out, "第 2 行"));
	free(out);
	rc = run_cli(&srv, NULL, &after, "export", "units", NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(before, after);
	assert_null(strstr(after, "导入测试甲"));
	free(after);
	/* Fixed, a dry run writes nothing and the real run imports all rows. */
	f = fopen(path, "w");
	fputs("name,kind,address,contact,phone,has_party_org\n"
	      "导入测试甲,shop,普善路1号,张三,13800001111,0\n"
	      "\"导入测试丙\",school,\"普善路3号, 二楼\",王五,021-62580000,是\n",
	      f);
	fclose(f);
	rc = run_cli(&srv, NULL, &out, "import", "units", path, "--dry-run", NULL);
	if (rc)
		fail_msg("dry run failed (%d): %s", rc, out);
	free(out);
	rc = run_cli(&srv, NULL, &after, "export", "units", NULL);
	assert_string_equal(before, after);
	free(after);
	rc = run_cli(&srv, NULL, &out, "import", "units", path, NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "Imported 2 rows"));
	free(out);
	rc = run_cli(&srv, NULL, &after, "export", "units", NULL);
	assert_non_null(strstr(after, "导入测试甲"));
	assert_non_null(strstr(after, "\"普善路3号, 二楼\""));
	free(after);
	free(before);
}

/* Accounts and API tokens from the command line, as an operator uses them. */
static void test_cli_accounts_and_tokens(void **state)
{
	struct client c;
	struct response r;
	char *out = NULL, hdr[200], token[128];
	int rc;

	(void)state;
	rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", "wang", "--role", "boss",
		     "--password-stdin", NULL);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(out, "unknown role boss"));
	free(out);
	/* A meter is a device: it gets a token, never a password account. */
	rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", "m1", "--role", "meter",
		     "--password-stdin", NULL);
	assert_int_equal(rc, 2);
	assert_non_null(strstr(out, "token add NAME --role meter"));
	free(out);
	rc = run_cli(&srv, "short\n", &out, "user", "add", "wang", "--role", "staff",
		     "--password-stdin", NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "at least 8 characters"));
	free(out);
	rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", "wang", "--role", "staff",
		     "--resident", "99999999", "--password-stdin", NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "no resident 99999999"));
	free(out);
	/* The refused command created nothing: the name is still free. */
	client_init(&c);
	assert_int_equal(client_login(&c, &srv, "wang", "long-enough-1"), 401);
	client_release(&c);
	rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", "wang", "--role", "staff",
		     "--resident", "1", "--password-stdin", NULL);
	assert_int_equal(rc, 0);
	free(out);
	rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", "wang", "--role", "staff",
		     "--password-stdin", NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "user wang exists"));
	free(out);
	client_init(&c);
	assert_int_equal(client_login(&c, &srv, "wang", "long-enough-1"), 200);
	client_release(&c);
	rc = run_cli(&srv, "another-pass-2\n", &out, "user", "passwd", "wang", "--password-stdin",
		     NULL);
	assert_int_equal(rc, 0);
	free(out);
	client_init(&c);
	assert_int_equal(client_login(&c, &srv, "wang", "another-pass-2"), 200);
	client_release(&c);

	/* A bearer token works without a session or CSRF token, until revoked. */
	rc = run_cli(&srv, NULL, &out, "token", "add", "meter-1", "--role", "staff", NULL);
	assert_int_equal(rc, 0);
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(out, "\n"), out);
	assert_non_null(strstr(out, "Token 1 created"));
	free(out);
	rc = run_cli(&srv, NULL, &out, "token", "list", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "meter-1"));
	assert_non_null(strstr(out, "active"));
	assert_null(strstr(out, token)); /* the token itself is never stored */
	free(out);
	assert_true(strlen(token) >= 40);
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", token);
	client_init(&c);
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/tags", "{\"name\":\"令牌测试\"}",
				 "application/json", hdr, &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/me", NULL, NULL, hdr, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"auth\":\"token\""));
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/me", NULL, NULL,
				 "Authorization: Bearer not-a-token", &r),
			 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	rc = run_cli(&srv, NULL, &out, "token", "revoke", "1", NULL);
	assert_int_equal(rc, 0);
	free(out);
	assert_int_equal(request(&c, &srv, "GET", "/api/v1/me", NULL, NULL, hdr, &r), 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	client_release(&c);
}

/* A backup of the live database while readers and writers keep going. */
static void test_backup(void **state)
{
	char *out = NULL, dest[400], cmd[1200];
	struct client c;
	struct response r;
	int rc;

	(void)state;
	snprintf(dest, sizeof(dest), "%s/backup.db", srv.dir);
	rc = run_cli(&srv, NULL, &out, "backup", dest, NULL);
	if (strncmp(srv.db, "sqlite:", 7)) {
		/* PostgreSQL is backed up with pg_dump; the command says so. */
		assert_int_equal(rc, 1);
		assert_non_null(strstr(out, "pg_dump"));
		free(out);
		return;
	}
	assert_int_equal(rc, 0);
	free(out);
	/* The copy is whole, consistent and holds the area. */
	snprintf(cmd, sizeof(cmd),
		 "test \"$(sqlite3 '%s' 'PRAGMA integrity_check; SELECT COUNT(*) > 4800 FROM "
		 "residents;')\" = \"$(printf 'ok\\n1')\"",
		 dest);
	assert_int_equal(system(cmd), 0);
	/* The server still writes after the backup. */
	login_as(&c, "staff");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/tags", "{\"name\":\"备份后\"}", &r), 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	client_release(&c);
	/* A second backup replaces the first one whole. */
	rc = run_cli(&srv, NULL, &out, "backup", dest, NULL);
	assert_int_equal(rc, 0);
	free(out);
	snprintf(cmd, sizeof(cmd),
		 "test \"$(sqlite3 '%s' \"SELECT COUNT(*) FROM tags WHERE name = '备份后'\")\" = 1",
		 dest);
	assert_int_equal(system(cmd), 0);
}

/* Throttling runs last: it locks the account it hammers. */
static void test_throttling(void **state)
{
	struct client c;

	(void)state;
	client_init(&c);
	for (int i = 0; i < 5; i++)
		assert_int_equal(client_login(&c, &srv, "agency", "not-the-password"), 401);
	assert_int_equal(client_login(&c, &srv, "agency", "pushan-agency"), 429);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_demo_counts),
	    cmocka_unit_test(test_health_and_metrics),
	    cmocka_unit_test(test_login_logout),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_roles_by_route),
	    cmocka_unit_test(test_validation_languages),
	    cmocka_unit_test(test_household_round_trip),
	    cmocka_unit_test(test_big_pages),
	    cmocka_unit_test(test_protocol_edges),
	    cmocka_unit_test(test_phone_masking),
	    cmocka_unit_test(test_body_cap),
	    cmocka_unit_test(test_pages),
	    cmocka_unit_test(test_audit_chain),
	    cmocka_unit_test(test_import_bad_row),
	    cmocka_unit_test(test_cli_accounts_and_tokens),
	    cmocka_unit_test(test_backup),
	    cmocka_unit_test(test_throttling),
	};
	return cmocka_run_group_tests_name("http", tests, srv_setup, srv_teardown);
}
