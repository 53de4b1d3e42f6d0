/* HTTP tests of the foundation against the real server with the demo area:
 * sign-in and sign-out, CSRF, the role x route permission table,
 * validation messages in both languages, create-read-update-archive round
 * trips, phone masking, body caps, throttling, the audit chain and CSV
 * import that refuses a file with one bad row. Then the rules at their
 * edges: what each role sees of people on every page and list (rows,
 * whole or masked phones, vulnerable-group tags) and on the home page,
 * every required field and validator limit, sessions that expire or whose
 * account is disabled, the throttling window and limits, and a second
 * area that nobody sees across. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
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
	static const struct {
		const char *method, *path;
		const char *allowed; /* one letter per demo user: y allowed, n refused */
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
	for (size_t ri = 0; ri < NDEMO_USERS; ri++) {
		struct client c;
		login_as(&c, demo_users[ri]);
		for (size_t t = 0; t < sizeof(table) / sizeof(table[0]); t++) {
			struct response r;
			int post = !strcmp(table[t].method, "POST");
			long want = table[t].allowed[ri] == 'y' ? (post ? 422 : 200) : 403;
			assert_int_equal(
			    api(&c, &srv, table[t].method, table[t].path, post ? "{}" : NULL, &r),
			    0);
			if (r.status != want)
				fail_msg("%s %s as %s: got %ld, want %ld", table[t].method,
					 table[t].path, demo_users[ri], r.status, want);
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
	assert_int_equal(request(&c, &srv, "GET", "/registry", NULL, NULL, NULL, &r), 0);
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

/* cli_ok: run linli on s's database; assert the exit status and that the
 * output holds want. */
static void cli_says(struct server *s, int status, const char *want, const char *a1, const char *a2,
		     const char *a3, const char *a4)
{
	char *out = NULL;
	int rc = run_cli(s, NULL, &out, a1, a2, a3, a4, NULL);

	if (rc != status || !out || !strstr(out, want))
		fprintf(stderr, "# linli %s %s %s: %d, expected %d and \"%s\": %s\n", a1, a2,
			a3 ? a3 : "", rc, status, want, out ? out : "");
	assert_int_equal(rc, status);
	assert_non_null(strstr(out, want));
	free(out);
}

/* Anchors through the command line: the head signed into a file apart from
 * the database, and each kind of tampering on a copy of it found: the
 * newest rows cut off, the table emptied, a row edited or appended by hand,
 * a column's type changed. A server given another key, or none where the
 * log is keyed, refuses to write. */
static void test_audit_anchors(void **state)
{
	static const struct {
		const char *sql, *says;
		int broken; /* the chain itself breaks (else only anchors see it) */
	} tamper[] = {
	    {"DROP TRIGGER audit_log_no_delete;"
	     " DELETE FROM audit_log WHERE id > (SELECT MAX(id) - 3 FROM audit_log)",
	     "the anchored entry is gone", 0},
	    {"DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log",
	     "the anchored entry is gone", 0},
	    {"DROP TRIGGER audit_log_no_update;"
	     " UPDATE audit_log SET actor = 'mallory' WHERE id = 2",
	     "broken at entry 2", 1},
	    {"INSERT INTO audit_log SELECT id + 1, at, user_id, actor, area_id, action, entity,"
	     " entity_id, before_json, after_json, hash, hash FROM audit_log"
	     " WHERE id = (SELECT MAX(id) FROM audit_log)",
	     "broken at entry", 1},
	    {"CREATE TABLE c AS SELECT id, CAST(at AS TEXT) AS at, user_id, actor, area_id,"
	     " action, entity, entity_id, before_json, after_json, prev_hash, hash FROM audit_log;"
	     " DROP TABLE audit_log; ALTER TABLE c RENAME TO audit_log",
	     "broken at entry 1", 1},
	};
	char anchors[400], cmd[2048], keyfile[400], *saved = NULL;
	struct server copy = srv;
	const char *env = getenv("LINLI_AUDIT_KEY");
	FILE *fp;

	(void)state;
	snprintf(anchors, sizeof(anchors), "%s/anchors.log", srv.dir);
	cli_says(&srv, 0, "linli-audit-anchor v1 ", "audit", "anchor", "--out", anchors);
	cli_says(&srv, 0, "the log holds all 1 anchors", "audit", "verify", "--anchors", anchors);
	/* A forged line in the file is named. */
	fp = fopen(anchors, "a");
	assert_non_null(fp);
	fputs("linli-audit-anchor v1 at=1 entries=1 id=1 hash=x key=00 sig=00\n", fp);
	fclose(fp);
	cli_says(&srv, 1, "not an anchor line", "audit", "verify", "--anchors", anchors);
	fp = fopen(anchors, "w");
	assert_non_null(fp);
	fclose(fp);
	cli_says(&srv, 0, "linli-audit-anchor v1 ", "audit", "anchor", "--out", anchors);
	if (!strncmp(srv.db, "sqlite:", 7)) {
		snprintf(copy.db, sizeof(copy.db), "sqlite:%s/copy.db", srv.dir);
		for (size_t i = 0; i < sizeof(tamper) / sizeof(tamper[0]); i++) {
			snprintf(cmd, sizeof(cmd), "rm -f '%s'", copy.db + 7);
			assert_int_equal(system(cmd), 0);
			cli_says(&srv, 0, "Backed up", "backup", copy.db + 7, NULL, NULL);
			cli_says(&copy, 0, "all 1 anchors", "audit", "verify", "--anchors",
				 anchors);
			snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\"", copy.db + 7,
				 tamper[i].sql);
			assert_int_equal(system(cmd), 0);
			cli_says(&copy, 1, tamper[i].says, "audit", "verify", "--anchors", anchors);
			/* A broken chain is never anchored. */
			if (tamper[i].broken)
				cli_says(&copy, 1, "not anchored", "audit", "anchor", NULL, NULL);
			else
				cli_says(&copy, 0, "linli-audit-anchor v1", "audit", "anchor", NULL,
					 NULL);
		}
	}
	/* Another key where the log is keyed: nothing is written. */
	if (env)
		saved = strdup(env);
	snprintf(keyfile, sizeof(keyfile), "%s/other.key", srv.dir);
	setenv("LINLI_AUDIT_KEY", keyfile, 1);
	cli_says(&srv, 1, "restore it or correct audit_key", "token", "list", NULL, NULL);
	assert_int_not_equal(access(keyfile, F_OK), 0);
	fp = fopen(keyfile, "w");
	assert_non_null(fp);
	fprintf(fp, "key=%064d\nfrom=1\n", 7);
	fclose(fp);
	cli_says(&srv, 1, "the newest audit entry was not written with the key", "token", "list",
		 NULL, NULL);
	if (saved)
		setenv("LINLI_AUDIT_KEY", saved, 1);
	else
		unsetenv("LINLI_AUDIT_KEY");
	free(saved);
	cli_says(&srv, 0, "audit chain intact", "audit", "verify", NULL, NULL);
}

/* linli demo lands whole or not at all: a failure planted late in the
 * history (the 201st case) leaves no area, account, case or audit entry,
 * and the rerun loads everything instead of taking the area for loaded. */
static void test_demo_all_or_nothing(void **state)
{
	struct server own = srv;
	char cmd[1400];
	FILE *p;
	char counts[64] = "";

	(void)state;
	if (strncmp(srv.db, "sqlite:", 7))
		return; /* the failure is planted with the sqlite3 shell */
	snprintf(own.db, sizeof(own.db), "sqlite:%s/planted.db", srv.dir);
	cli_says(&own, 0, "Applied", "migrate", NULL, NULL, NULL);
	snprintf(cmd, sizeof(cmd),
		 "sqlite3 '%s' \"CREATE TRIGGER planted BEFORE INSERT ON cases WHEN (SELECT "
		 "count(*) FROM cases) >= 200 BEGIN SELECT RAISE(ABORT, 'planted'); END;\"",
		 own.db + 7);
	assert_int_equal(system(cmd), 0);
	cli_says(&own, 1, "nothing was written", "demo", "--no-serve", NULL, NULL);
	snprintf(cmd, sizeof(cmd),
		 "sqlite3 '%s' \"SELECT (SELECT count(*) FROM areas) || ' ' || (SELECT count(*) "
		 "FROM users) || ' ' || (SELECT count(*) FROM cases) || ' ' || (SELECT count(*) "
		 "FROM audit_log)\"",
		 own.db + 7);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(counts, sizeof(counts), p));
	pclose(p);
	assert_string_equal(counts, "0 0 0 0\n");
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'DROP TRIGGER planted'", own.db + 7);
	assert_int_equal(system(cmd), 0);
	cli_says(&own, 0, "Loaded the Pushan demo area", "demo", "--no-serve", NULL, NULL);
	cli_says(&own, 0, "audit chain intact", "audit", "verify", NULL, NULL);
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

/* ------------------------------------------------------------------
 * Helpers for the tests below. */

/* enc percent-encodes s for a query string (Chinese names in ?q=). */
static const char *enc(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t w = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && w + 4 < n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')) {
			out[w++] = (char)*p;
		} else {
			out[w++] = '%';
			out[w++] = hex[*p >> 4];
			out[w++] = hex[*p & 15];
		}
	}
	out[w] = '\0';
	return out;
}

/* sql_must runs SQL on the server's database for what no route may do
 * (expire a session, disable an account, age sign-in failures); it must
 * succeed. Returns the first number printed. */
static long long sql_must(const char *sql)
{
	char out[512];

	sql_query(out, sizeof(out), sql);
	return strtoll(out, NULL, 10);
}

/* add_account makes a password account in the demo area from the CLI. */
static void add_account(const char *name, const char *role)
{
	char *out = NULL;
	int rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", name, "--role", role,
			 "--password-stdin", NULL);
	if (rc)
		fail_msg("user add %s failed (%d): %s", name, rc, out);
	free(out);
}

/* me: the status of GET /api/v1/me for the client's session. */
static long me(struct client *c)
{
	struct response r;
	long status;

	assert_int_equal(request(c, &srv, "GET", "/api/v1/me", NULL, NULL, NULL, &r), 0);
	status = r.status;
	response_release(&r);
	return status;
}

/* post_id: POST json to path as c, which must answer 201; the new id. */
static long long post_id(struct client *c, const char *path, const char *json)
{
	struct response r;
	long long id;

	assert_int_equal(api(c, &srv, "POST", path, json, &r), 0);
	if (r.status != 201)
		fail_msg("POST %s %s: got %ld: %s", path, json, r.status, r.body);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

/* first_id: the id of the first row of a list. */
static long long first_id(struct client *c, const char *entity)
{
	struct response r;
	char path[96];
	long long id;

	snprintf(path, sizeof(path), "/api/v1/%s?per_page=1", entity);
	assert_int_equal(api(c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

/* ------------------------------------------------------------------
 * Who sees what of people. */

/* Every page and API list that shows people, for every role: which rows
 * appear, whether a phone number is whole or masked, whether the
 * vulnerable-group tag shows, whether Party membership shows. One letter
 * per role as in test_roles_by_route: y it reads the page, n it is
 * refused (403) and nothing of the person is in the answer. */
static void test_people_by_role(void **state)
{
	static const char sees_phone[] = "yyynnnnn"; /* people.phone, restated */
	struct surface {
		char path[256];	   /* what is asked */
		const char *reads; /* who may read it */
		const char *row;   /* the person's name: there when it is read */
		const char *full;  /* the phone number, whole (NULL: none shown) */
		const char *mask;  /* the same number masked */
		const char *also;  /* more that must show to readers (NULL: none) */
	} s[16];
	struct client sec;
	struct response r;
	char body[512], q[128];
	long long building, household, resident, branch, team;
	size_t ns = 0;

	(void)state;
	login_as(&sec, "secretary");
	building = first_id(&sec, "buildings");
	branch = first_id(&sec, "branches");
	team = first_id(&sec, "teams");
	snprintf(body, sizeof(body),
		 "{\"building_id\":%lld,\"door\":\"角色1\",\"area_centi\":\"60\"}", building);
	household = post_id(&sec, "/api/v1/households", body);
	snprintf(body, sizeof(body),
		 "{\"name\":\"角色视图居民\",\"gender\":\"F\",\"household_id\":%lld,"
		 "\"phone\":\"13700112233\",\"tags\":[\"退役军人\"]}",
		 household);
	resident = post_id(&sec, "/api/v1/residents", body);
	snprintf(body, sizeof(body),
		 "{\"name\":\"角色视图党员\",\"branch_id\":%lld,\"gender\":\"F\","
		 "\"joined_on\":\"2001-07-01\",\"phone\":\"021-62581234\",\"resident_id\":%lld}",
		 branch, resident);
	post_id(&sec, "/api/v1/members", body);
	snprintf(body, sizeof(body),
		 "{\"team_id\":%lld,\"name\":\"角色视图队员\",\"joined_on\":\"2020-01-01\","
		 "\"resident_id\":%lld}",
		 team, resident);
	post_id(&sec, "/api/v1/team_members", body);
	snprintf(body, sizeof(body),
		 "{\"team_id\":%lld,\"contact_phone\":\"13844556677\",\"equipment\":"
		 "\"角色音箱\",\"sessions_per_week\":2}",
		 post_id(&sec, "/api/v1/teams", "{\"name\":\"角色舞队\",\"kind\":\"dance\"}"));
	post_id(&sec, "/api/v1/dance_teams", body);
	post_id(&sec, "/api/v1/units",
		"{\"name\":\"角色视图单位\",\"kind\":\"shop\",\"contact\":\"赵六\","
		"\"phone\":\"13500778899\"}");
	client_release(&sec);

#define SURFACE(reads_, row_, full_, mask_, also_)                                                 \
	s[ns].reads = reads_, s[ns].row = row_, s[ns].full = full_, s[ns].mask = mask_,            \
	s[ns].also = also_, ns++
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/residents?q=%s",
		 enc("角色视图居民", q, sizeof(q)));
	SURFACE("yyyyynnn", "角色视图居民", "13700112233", "137****2233", "退役军人");
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/residents?tags=%s&q=%s",
		 enc("退役军人", body, sizeof(body)), q);
	SURFACE("yyyyynnn", "角色视图居民", "13700112233", "137****2233", "退役军人");
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/residents/%lld", resident);
	SURFACE("yyyyynnn", "角色视图居民", "13700112233", "137****2233", "退役军人");
	snprintf(s[ns].path, sizeof(s[ns].path), "/residents?q=%s", q);
	SURFACE("yyyyynnn", "角色视图居民", "13700112233", "137****2233", "退役军人");
	snprintf(s[ns].path, sizeof(s[ns].path), "/residents/%lld", resident);
	SURFACE("yyyyynnn", "角色视图居民", "13700112233", "137****2233", "退役军人");
	/* A household's page lists its residents. */
	snprintf(s[ns].path, sizeof(s[ns].path), "/households/%lld", household);
	SURFACE("yyyyynnn", "角色视图居民", "13700112233", "137****2233", "退役军人");
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/members?q=%s",
		 enc("角色视图党员", q, sizeof(q)));
	SURFACE("yyyynnnn", "角色视图党员", "021-62581234", "021****34", NULL);
	snprintf(s[ns].path, sizeof(s[ns].path), "/members?q=%s", q);
	SURFACE("yyyynnnn", "角色视图党员", "021-62581234", "021****34", NULL);
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/units?q=%s",
		 enc("角色视图单位", q, sizeof(q)));
	SURFACE("yyyynnyn", "角色视图单位", "13500778899", "135****8899", "赵六");
	snprintf(s[ns].path, sizeof(s[ns].path), "/units?q=%s", q);
	SURFACE("yyyynnyn", "角色视图单位", "13500778899", "135****8899", "赵六");
	/* A dance team's contact, on the noise pages. */
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/dance_teams?q=%s",
		 enc("角色音箱", q, sizeof(q)));
	SURFACE("yyyyynnn", "角色舞队", "13844556677", "138****6677", NULL);
	snprintf(s[ns].path, sizeof(s[ns].path), "/dance_teams?q=%s", q);
	SURFACE("yyyyynnn", "角色舞队", "13844556677", "138****6677", NULL);
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/team_members?q=%s",
		 enc("角色视图队员", q, sizeof(q)));
	SURFACE("yyyyynnn", "角色视图队员", NULL, NULL, NULL);
	/* Searching by the digits a mask hides finds nothing for those who
	 * see the mask (the staff's answer has the row). */
	snprintf(s[ns].path, sizeof(s[ns].path), "/api/v1/residents?q=00112233");
	SURFACE("yyyyynnn", NULL, "13700112233", NULL, NULL);
#undef SURFACE

	for (size_t ri = 0; ri < NDEMO_USERS; ri++) {
		struct client c;
		int whole = sees_phone[ri] == 'y';
		login_as(&c, demo_users[ri]);
		for (size_t k = 0; k < ns; k++) {
			int reads = s[k].reads[ri] == 'y';
			const char *who = demo_users[ri], *path = s[k].path;
			assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
			if (r.status != (reads ? 200 : 403))
				fail_msg("%s as %s: got %ld, want %d", path, who, r.status,
					 reads ? 200 : 403);
			if (s[k].row && (strstr(r.body, s[k].row) != NULL) != reads)
				fail_msg("%s as %s: %s %s", path, who, s[k].row,
					 reads ? "missing" : "leaks");
			if (s[k].full && (strstr(r.body, s[k].full) != NULL) != (reads && whole))
				fail_msg("%s as %s: whole number %s %s", path, who, s[k].full,
					 reads && whole ? "missing" : "shown");
			if (s[k].mask && (strstr(r.body, s[k].mask) != NULL) != (reads && !whole))
				fail_msg("%s as %s: masked number %s %s", path, who, s[k].mask,
					 reads && !whole ? "missing" : "wrongly shown");
			if (s[k].also && (strstr(r.body, s[k].also) != NULL) != reads)
				fail_msg("%s as %s: %s %s", path, who, s[k].also,
					 reads ? "missing" : "leaks");
			if (!s[k].row && reads && whole)
				assert_true(json_int(r.body, "total") >= 1);
			else if (!s[k].row && reads)
				assert_int_equal(json_int(r.body, "total"), 0);
			response_release(&r);
		}
		client_release(&c);
	}
}

/* Residents of a vulnerable group (a tag marked so: 孤老, 独居老人 ...)
 * are listed, with their door, only to roles holding people.vulnerable
 * (the committee and Party members), at every door: the lists and the
 * search, the page and the API row, the household's page, the filter by
 * the tag. Their neighbour in the same household, and the same person
 * once the tag is gone, show to the volunteer as before; a tag the
 * committee marks vulnerable hides its residents too. */
static void test_vulnerable_residents_by_role(void **state)
{
	static const char sees[] = "yyyynnnn";	/* people.vulnerable, restated */
	static const char reads[] = "yyyyynnn"; /* people.read */
	struct client sec;
	struct response r;
	char body[512], q[128], t[128], path[8][256];
	long long building, household, alone, neighbour, tag;

	(void)state;
	login_as(&sec, "secretary");
	building = first_id(&sec, "buildings");
	snprintf(body, sizeof(body),
		 "{\"building_id\":%lld,\"door\":\"弱势1\",\"area_centi\":\"40\"}", building);
	household = post_id(&sec, "/api/v1/households", body);
	snprintf(body, sizeof(body),
		 "{\"name\":\"弱势视图孤老\",\"gender\":\"M\",\"household_id\":%lld,"
		 "\"tags\":[\"孤老\"]}",
		 household);
	alone = post_id(&sec, "/api/v1/residents", body);
	snprintf(body, sizeof(body),
		 "{\"name\":\"弱势视图邻居\",\"gender\":\"F\",\"household_id\":%lld}", household);
	neighbour = post_id(&sec, "/api/v1/residents", body);
	enc("弱势视图", q, sizeof(q));
	snprintf(path[0], sizeof(path[0]), "/residents?q=%s", q);
	snprintf(path[1], sizeof(path[1]), "/api/v1/residents?q=%s", q);
	snprintf(path[2], sizeof(path[2]), "/api/v1/residents?tags=%s", enc("孤老", t, sizeof(t)));
	snprintf(path[3], sizeof(path[3]), "/households/%lld", household);
	snprintf(path[4], sizeof(path[4]), "/api/v1/residents?household_id=%lld", household);
	snprintf(path[5], sizeof(path[5]), "/residents/%lld", alone);
	snprintf(path[6], sizeof(path[6]), "/api/v1/residents/%lld", alone);
	snprintf(path[7], sizeof(path[7]), "/residents/%lld", neighbour);
	for (size_t ri = 0; ri < NDEMO_USERS; ri++) {
		struct client c;
		int may = sees[ri] == 'y', read = reads[ri] == 'y';
		login_as(&c, demo_users[ri]);
		for (int k = 0; k < 8; k++) {
			long want = !read ? 403 : (k == 5 || k == 6) && !may ? 404 : 200;
			int shown;
			assert_int_equal(request(&c, &srv, "GET", path[k], NULL, NULL, NULL, &r),
					 0);
			if (r.status != want)
				fail_msg("%s as %s: got %ld, want %ld", path[k], demo_users[ri],
					 r.status, want);
			shown = strstr(r.body, "弱势视图孤老") != NULL;
			if (k != 7 && k != 2 && shown != (read && may))
				fail_msg("%s as %s: the resident alone %s", path[k], demo_users[ri],
					 shown ? "leaks" : "missing");
			if (k == 2 && read && !may && json_int(r.body, "total") != 0)
				fail_msg("%s as %s: tag filter counts them", path[k],
					 demo_users[ri]);
			if ((k == 0 || k == 3 || k == 7) && read && !strstr(r.body, "弱势视图邻居"))
				fail_msg("%s as %s: the neighbour is missing", path[k],
					 demo_users[ri]);
			response_release(&r);
		}
		client_release(&c);
	}
	/* The tag gone, the volunteer finds the person again; a new tag the
	 * committee marks vulnerable hides them once more. */
	snprintf(path[0], sizeof(path[0]), "/api/v1/residents/%lld", alone);
	assert_int_equal(api(&sec, &srv, "PATCH", path[0], "{\"tags\":[]}", &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	{
		struct client vol;
		login_as(&vol, "volunteer");
		assert_int_equal(request(&vol, &srv, "GET", path[0], NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		response_release(&r);
		tag =
		    post_id(&sec, "/api/v1/tags", "{\"name\":\"弱势测试组\",\"vulnerable\":true}");
		assert_true(tag > 0);
		assert_int_equal(
		    api(&sec, &srv, "PATCH", path[0], "{\"tags\":[\"弱势测试组\"]}", &r), 0);
		assert_int_equal(r.status, 200);
		response_release(&r);
		assert_int_equal(request(&vol, &srv, "GET", path[0], NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 404);
		assert_null(strstr(r.body, "弱势视图孤老"));
		response_release(&r);
		client_release(&vol);
	}
	client_release(&sec);
}

/* form_post posts a page form (fields url-encoded, the CSRF token added)
 * as c; the response in r. */
static void page_post(struct client *c, const char *path, const char *fields, struct response *r)
{
	char body[600];
	snprintf(body, sizeof(body), "%s%s_csrf=%s", fields, *fields ? "&" : "", c->csrf);
	assert_int_equal(
	    request(c, &srv, "POST", path, body, "application/x-www-form-urlencoded", NULL, r), 0);
}

/* A row's page shows the row first; editing and archiving are behind a
 * button each (a refused save opens the form again). Archiving says what
 * happened and offers the undo; the undo is audited and puts the row back
 * in the list; a row whose household is archived cannot come back alone;
 * a live row has nothing to undo. */
static void test_row_page_archive_and_undo(void **state)
{
	struct client sec;
	struct response r;
	char body[300], path[96], q[160], sql[200], got[32];
	long long building, household, resident;

	(void)state;
	login_as(&sec, "secretary");
	building = first_id(&sec, "buildings");
	snprintf(body, sizeof(body),
		 "{\"building_id\":%lld,\"door\":\"撤销1\",\"area_centi\":\"50\"}", building);
	household = post_id(&sec, "/api/v1/households", body);
	snprintf(body, sizeof(body),
		 "{\"name\":\"撤销测试居民\",\"gender\":\"F\",\"household_id\":%lld,"
		 "\"phone\":\"13611223344\"}",
		 household);
	resident = post_id(&sec, "/api/v1/residents", body);
	snprintf(path, sizeof(path), "/residents/%lld", resident);
	assert_int_equal(request(&sec, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "<details class=\"card fold\" id=\"edit\"><summary "
				       "class=\"button\">编辑</summary>"));
	assert_true(strstr(r.body, "<dl class=\"facts\">") < strstr(r.body, "id=\"edit\""));
	assert_non_null(strstr(r.body, "确定归档吗？"));
	/* The whole number is a link to call it. */
	assert_non_null(strstr(r.body, "<a href=\"tel:13611223344\">13611223344</a>"));
	response_release(&r);
	/* A refused save: the form is open, with the error. */
	page_post(&sec, path, "name=&gender=F", &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "<details class=\"card fold\" id=\"edit\" open>"));
	response_release(&r);

	snprintf(path, sizeof(path), "/residents/%lld/delete", resident);
	page_post(&sec, path, "", &r);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", body, sizeof(body)));
	snprintf(q, sizeof(q), "/residents/%lld?archived=1", resident);
	assert_string_equal(body, q);
	response_release(&r);
	assert_int_equal(request(&sec, &srv, "GET", q, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "已归档：它不再出现在列表中"));
	snprintf(body, sizeof(body), "action=\"/residents/%lld/restore\"", resident);
	assert_non_null(strstr(r.body, body));
	assert_non_null(strstr(r.body, "撤销归档</button>"));
	response_release(&r);
	snprintf(q, sizeof(q), "/residents?q=%s", enc("撤销测试居民", body, sizeof(body)));
	assert_int_equal(request(&sec, &srv, "GET", q, NULL, NULL, NULL, &r), 0);
	assert_null(strstr(r.body, "撤销测试居民</a>"));
	response_release(&r);

	/* Its household archived too, the resident cannot come back alone. */
	snprintf(path, sizeof(path), "/households/%lld/delete", household);
	page_post(&sec, path, "", &r);
	assert_int_equal(r.status, 303);
	response_release(&r);
	snprintf(path, sizeof(path), "/residents/%lld/restore", resident);
	page_post(&sec, path, "", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "请先恢复那一条"));
	response_release(&r);
	snprintf(path, sizeof(path), "/households/%lld/restore", household);
	page_post(&sec, path, "", &r);
	assert_int_equal(r.status, 303);
	response_release(&r);
	snprintf(path, sizeof(path), "/residents/%lld/restore", resident);
	page_post(&sec, path, "", &r);
	assert_int_equal(r.status, 303);
	response_release(&r);
	assert_int_equal(request(&sec, &srv, "GET", q, NULL, NULL, NULL, &r), 0);
	if (!strstr(r.body, "撤销测试居民</a>"))
		fail_msg("%s: %s", q, strstr(r.body, "<main") ? strstr(r.body, "<main") : r.body);
	response_release(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM audit_log WHERE action = 'unarchive' AND entity = "
		 "'residents' AND entity_id = %lld;",
		 resident);
	sql_query(got, sizeof(got), sql);
	assert_string_equal(got, "1");
	/* Live now: nothing to undo, and nothing written. */
	page_post(&sec, path, "", &r);
	assert_int_equal(r.status, 404);
	response_release(&r);
	sql_query(got, sizeof(got), sql);
	assert_string_equal(got, "1");
	client_release(&sec);
}

/* Levels in dB are shown and typed with one decimal: a rule's threshold
 * adjustment of 150 hundredths reads 1.5 dB and its form takes "-2.5"
 * (stored -250); a plaza zone's cap of 70 reads "70.0 dB". A volunteer
 * sees a masked phone as text, not as a link to call. A household is
 * typed with its names offered (a datalist of the households). */
static void test_db_forms_and_phone_links(void **state)
{
	struct client sec, vol;
	struct response r;
	char path[96], want[160];
	long long rule, resident;

	(void)state;
	login_as(&sec, "secretary");
	rule = post_id(&sec, "/api/v1/noise_alert_rules",
		       "{\"name\":\"分贝格式\",\"kind\":\"laeq_cap\",\"window_s\":60,"
		       "\"margin_centi\":150,\"clear_centi\":300,\"quiet_s\":600}");
	snprintf(path, sizeof(path), "/noise_alert_rules/%lld", rule);
	assert_int_equal(request(&sec, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "<dd>1.5 dB</dd>"));
	assert_non_null(strstr(r.body, "name=\"margin_centi\" type=\"number\" "
				       "inputmode=\"decimal\" step=\"0.1\" min=\"-30.0\" "
				       "max=\"30.0\" value=\"1.5\""));
	assert_non_null(strstr(r.body, "value=\"3.0\""));
	response_release(&r);
	page_post(&sec, path,
		  "name=%E5%88%86%E8%B4%9D%E6%A0%BC%E5%BC%8F&kind=laeq_cap&window_s=60"
		  "&margin_centi=-2.5&clear_centi=3&quiet_s=600",
		  &r);
	assert_int_equal(r.status, 303);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/noise_alert_rules/%lld", rule);
	assert_int_equal(api(&sec, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(json_int(r.body, "margin_centi"), -250);
	assert_int_equal(json_int(r.body, "clear_centi"), 300);
	response_release(&r);
	assert_int_equal(request(&sec, &srv, "GET", "/plaza_zones", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "70.0 dB"));
	assert_null(strstr(r.body, "70.00"));
	response_release(&r);
	/* The household box offers the households by name. */
	assert_int_equal(request(&sec, &srv, "GET", "/residents/new", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\" list=\"f-household_id-l\""));
	assert_non_null(strstr(r.body, "<datalist id=\"f-household_id-l\"><option value=\""));
	response_release(&r);
	resident =
	    post_id(&sec, "/api/v1/residents",
		    "{\"name\":\"电话链接居民\",\"gender\":\"M\",\"phone\":\"13822334455\"}");
	login_as(&vol, "volunteer");
	snprintf(path, sizeof(path), "/residents/%lld", resident);
	assert_int_equal(request(&vol, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "138****4455"));
	assert_null(strstr(r.body, "tel:"));
	response_release(&r);
	snprintf(want, sizeof(want), "<a href=\"tel:13822334455\">");
	assert_int_equal(request(&sec, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, want));
	response_release(&r);
	client_release(&vol);
	client_release(&sec);
}

/* The registry overview and its JSON count only what the reader may read, and the
 * residents per vulnerable-group tag only for those who read residents. */
static void test_dashboard_by_role(void **state)
{
	static const struct {
		const char *key;   /* in /api/v1/dashboard */
		const char *shown; /* who gets it, one letter per demo user */
	} keys[] = {
	    {"\"compounds\":", "yyyyynnn"},
	    {"\"households\":", "yyyyynnn"},
	    {"\"residents\":", "yyyyynnn"},
	    {"\"residents_by_tag\":", "yyyyynnn"},
	    {"\"members\":", "yyyynnnn"},
	    {"\"members_by_branch\":", "yyyynnnn"},
	    {"\"teams\":", "yyyyynnn"},
	    {"\"units\":", "yyyynnyn"},
	    /* A vulnerable group's count only for those who may see its
	     * members (people.vulnerable: not volunteers). */
	    {"\"units_by_kind\":", "yyyynnyn"},
	    {"独居老人", "yyyynnnn"},
	};
	struct response r;

	(void)state;
	for (size_t ri = 0; ri < NDEMO_USERS; ri++) {
		struct client c;
		login_as(&c, demo_users[ri]);
		assert_int_equal(api(&c, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
		assert_int_equal(r.status, 200);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if ((strstr(r.body, keys[k].key) != NULL) != (keys[k].shown[ri] == 'y'))
				fail_msg("dashboard as %s: %s %s", demo_users[ri], keys[k].key,
					 keys[k].shown[ri] == 'y' ? "missing" : "leaks");
		response_release(&r);
		/* The overview shows the tag list under the same rule. */
		assert_int_equal(request(&c, &srv, "GET", "/registry", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		if ((strstr(r.body, "独居老人") != NULL) != (keys[9].shown[ri] == 'y'))
			fail_msg("home page as %s: the tag list %s", demo_users[ri],
				 keys[9].shown[ri] == 'y' ? "is missing" : "leaks");
		response_release(&r);
		client_release(&c);
	}
}

/* dash_value: the integer at key after the first anchor in body. */
static long long dash_value(const char *body, const char *anchor, const char *key)
{
	const char *p = strstr(body, anchor);

	if (!p)
		fail_msg("no %s in %s", anchor, body);
	return json_int(p, key);
}

/* The home page's figures count live rows only: a row made adds one to
 * each figure it belongs to, archiving it takes the one away again. */
static void test_dashboard_counts_live_rows(void **state)
{
	struct client c;
	struct response r;
	char body[256], path[96];
	long long residents, members, units, institutions, resident, member, unit, branch;

	(void)state;
	login_as(&c, "secretary");
	post_id(&c, "/api/v1/tags", "{\"name\":\"计数标签\"}");
	branch = post_id(&c, "/api/v1/branches", "{\"name\":\"计数支部\",\"kind\":\"branch\"}");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
	residents = json_int(r.body, "residents");
	members = json_int(r.body, "members");
	units = json_int(r.body, "units");
	institutions = dash_value(r.body, "\"units_by_kind\":", "institution");
	assert_int_equal(dash_value(r.body, "\"tag\":\"计数标签\"", "residents"), 0);
	assert_int_equal(dash_value(r.body, "\"name\":\"计数支部\"", "members"), 0);
	response_release(&r);

	resident = post_id(&c, "/api/v1/residents",
			   "{\"name\":\"计数居民\",\"gender\":\"F\",\"tags\":[\"计数标签\"]}");
	snprintf(body, sizeof(body),
		 "{\"name\":\"计数党员\",\"branch_id\":%lld,\"gender\":\"M\","
		 "\"joined_on\":\"1999-10-01\"}",
		 branch);
	member = post_id(&c, "/api/v1/members", body);
	unit = post_id(&c, "/api/v1/units", "{\"name\":\"计数单位\",\"kind\":\"institution\"}");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "residents"), residents + 1);
	assert_int_equal(json_int(r.body, "members"), members + 1);
	assert_int_equal(json_int(r.body, "units"), units + 1);
	assert_int_equal(dash_value(r.body, "\"units_by_kind\":", "institution"), institutions + 1);
	assert_int_equal(dash_value(r.body, "\"tag\":\"计数标签\"", "residents"), 1);
	assert_int_equal(dash_value(r.body, "\"name\":\"计数支部\"", "members"), 1);
	response_release(&r);

	snprintf(path, sizeof(path), "/api/v1/members/%lld", member);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", resident);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/units/%lld", unit);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "residents"), residents);
	assert_int_equal(json_int(r.body, "members"), members);
	assert_int_equal(json_int(r.body, "units"), units);
	assert_int_equal(dash_value(r.body, "\"units_by_kind\":", "institution"), institutions);
	assert_int_equal(dash_value(r.body, "\"tag\":\"计数标签\"", "residents"), 0);
	assert_int_equal(dash_value(r.body, "\"name\":\"计数支部\"", "members"), 0);
	response_release(&r);
	client_release(&c);
}

/* ------------------------------------------------------------------
 * Validators at their edges. */

/* expect_write: method path json as c answers want; for a 422, the
 * refusal names field. */
static void expect_write(struct client *c, const char *method, const char *path, const char *json,
			 long want, const char *field)
{
	struct response r;
	char key[64];

	assert_int_equal(api(c, &srv, method, path, json, &r), 0);
	if (r.status != want)
		fail_msg("%s %s %s: got %ld, want %ld: %s", method, path, json, r.status, want,
			 r.body);
	if (want == 422 && field) {
		const char *fields = strstr(r.body, "\"fields\":");
		snprintf(key, sizeof(key), "\"%s\":", field);
		if (!fields || !strstr(fields, key))
			fail_msg("%s %s %s: the refusal does not name %s: %s", method, path, json,
				 field, r.body);
	}
	response_release(&r);
}

/* Every required field of every registry form, left out and sent empty in
 * turn, is refused naming that field; with all of them the row is made. */
static void test_required_fields(void **state)
{
	struct client c;
	char f[12][6][128];
	const char *names[12][6];
	const char *paths[12];
	int nf[12], ne = 0;
	long long building, compound, branch, team;

	(void)state;
	login_as(&c, "secretary");
	building = first_id(&c, "buildings");
	compound = first_id(&c, "compounds");
	branch = first_id(&c, "branches");
	team = first_id(&c, "teams");
#define FIELD(name, fmt, ...)                                                                      \
	names[ne][nf[ne]] = name, snprintf(f[ne][nf[ne]], 128, "\"%s\":" fmt, name, __VA_ARGS__),  \
	nf[ne]++
#define ENTITY(path) paths[++ne] = path, nf[ne] = 0
	ne = -1;
	ENTITY("/api/v1/compounds");
	FIELD("name", "\"%s\"", "必填小区");
	FIELD("kind", "\"%s\"", "commercial");
	ENTITY("/api/v1/buildings");
	FIELD("compound_id", "%lld", compound);
	FIELD("name", "\"%s\"", "必填楼");
	ENTITY("/api/v1/households");
	FIELD("building_id", "%lld", building);
	FIELD("door", "\"%s\"", "必填101");
	FIELD("area_centi", "\"%s\"", "50.5");
	ENTITY("/api/v1/residents");
	FIELD("name", "\"%s\"", "必填居民");
	FIELD("gender", "\"%s\"", "M");
	ENTITY("/api/v1/tags");
	FIELD("name", "\"%s\"", "必填标签");
	ENTITY("/api/v1/places");
	FIELD("name", "\"%s\"", "必填场所");
	FIELD("kind", "\"%s\"", "garden");
	ENTITY("/api/v1/branches");
	FIELD("name", "\"%s\"", "必填支部");
	FIELD("kind", "\"%s\"", "branch");
	ENTITY("/api/v1/members");
	FIELD("name", "\"%s\"", "必填党员");
	FIELD("branch_id", "%lld", branch);
	FIELD("gender", "\"%s\"", "F");
	FIELD("joined_on", "\"%s\"", "2010-01-01");
	ENTITY("/api/v1/teams");
	FIELD("name", "\"%s\"", "必填队伍");
	FIELD("kind", "\"%s\"", "patrol");
	ENTITY("/api/v1/team_members");
	FIELD("team_id", "%lld", team);
	FIELD("name", "\"%s\"", "必填队员");
	FIELD("joined_on", "\"%s\"", "2020-02-02");
	ENTITY("/api/v1/units");
	FIELD("name", "\"%s\"", "必填单位");
	FIELD("kind", "\"%s\"", "school");
	ne++;
#undef FIELD
#undef ENTITY
	for (int e = 0; e < ne; e++) {
		/* drop == nf[e]: nothing left out, the row is made. */
		for (int drop = 0; drop <= nf[e]; drop++) {
			for (int empty = 0; empty < (drop < nf[e] ? 2 : 1); empty++) {
				char body[1024];
				size_t len = 0;
				body[len++] = '{';
				for (int i = 0; i < nf[e]; i++) {
					if (i == drop && !empty)
						continue;
					len += (size_t)snprintf(body + len, sizeof(body) - len,
								"%s%s%s%s", len > 1 ? "," : "",
								i == drop ? "\"" : f[e][i],
								i == drop ? names[e][i] : "",
								i == drop ? "\":\"\"" : "");
				}
				snprintf(body + len, sizeof(body) - len, "}");
				if (drop < nf[e])
					expect_write(&c, "POST", paths[e], body, 422,
						     names[e][drop]);
				else
					expect_write(&c, "POST", paths[e], body, 201, NULL);
			}
		}
	}
	client_release(&c);
}

/* Validators at their edges, through PATCH on fresh rows: each value is
 * accepted (200) or refused naming its field (422). */
static void test_validator_edges(void **state)
{
	static const struct {
		const char *json; /* the PATCH body */
		long want;	  /* 200 or 422 */
	} resident[] =
	    {
		{"{\"phone\":\"123456\"}", 422}, /* six digits */
		{"{\"phone\":\"1234567\"}", 200},
		{"{\"phone\":\"123456789012345\"}", 200}, /* fifteen */
		{"{\"phone\":\"1234567890123456\"}", 422},
		{"{\"phone\":\"+86 21 6258 1234\"}", 200},
		{"{\"phone\":\"021+62581234\"}", 422},
		{"{\"phone\":\"021-62581234\"}", 200},
		{"{\"phone\":\"13812345678\"}", 200},
		/* 40 characters (120 bytes) is the most a name may have. */
		{"{\"name\":"
		 "\"名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名"
		 "名\"}",
		 200},
		{"{\"name\":"
		 "\"名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名名"
		 "名名\"}",
		 422},
		{"{\"name\":\"两行\\n名字\"}", 422},
		{"{\"name\":\"回车\\r名字\"}", 422},
	    },
	  household[] =
	      {
		  {"{\"area_centi\":\"0\"}", 422},
		  {"{\"area_centi\":\"0.01\"}", 200},
		  {"{\"area_centi\":\"100000\"}", 200},
		  {"{\"area_centi\":\"100000.01\"}", 422},
	      },
	  unit[] = {
	      {"{\"webhook_url\":\"https://hooks.example.cn/a?b=1\"}", 200},
	      {"{\"webhook_url\":\"http://x.example.cn/a\\\"b\"}", 422},
	      {"{\"webhook_url\":\"http://x.example.cn/<b>\"}", 422},
	      {"{\"webhook_url\":\"http:x.example.cn/a\"}", 422},
	      {"{\"webhook_url\":\"httpx://x.example.cn/a\"}", 422},
	      {"{\"webhook_url\":\"javascript:alert(1)\"}", 422},
	      {"{\"email\":\"ops@wuye.example.cn\"}", 200},
	      {"{\"email\":\"ops@wuye.example.cn.\"}", 422},
	      {"{\"email\":\"@wuye.example.cn\"}", 422},
	      {"{\"email\":\"ops@wuye\"}", 422},
	  };
	struct client c;
	char path[96], body[256];
	long long id;

	(void)state;
	login_as(&c, "secretary");
	id = post_id(&c, "/api/v1/residents", "{\"name\":\"边界居民\",\"gender\":\"M\"}");
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", id);
	for (size_t i = 0; i < sizeof(resident) / sizeof(resident[0]); i++)
		expect_write(&c, "PATCH", path, resident[i].json, resident[i].want,
			     strstr(resident[i].json, "phone") ? "phone" : "name");
	snprintf(body, sizeof(body),
		 "{\"building_id\":%lld,\"door\":\"边界1\",\"area_centi\":\"70\"}",
		 first_id(&c, "buildings"));
	id = post_id(&c, "/api/v1/households", body);
	snprintf(path, sizeof(path), "/api/v1/households/%lld", id);
	for (size_t i = 0; i < sizeof(household) / sizeof(household[0]); i++)
		expect_write(&c, "PATCH", path, household[i].json, household[i].want, "area_centi");
	id = post_id(&c, "/api/v1/units", "{\"name\":\"边界单位\",\"kind\":\"agency\"}");
	snprintf(path, sizeof(path), "/api/v1/units/%lld", id);
	for (size_t i = 0; i < sizeof(unit) / sizeof(unit[0]); i++)
		expect_write(&c, "PATCH", path, unit[i].json, unit[i].want,
			     strstr(unit[i].json, "email") ? "email" : "webhook_url");
	client_release(&c);
}

/* Search words are taken literally: % and _ match only themselves. */
static void test_search_is_literal(void **state)
{
	static const char *const paths[] = {"/api/v1/residents?q=%25", "/api/v1/residents?q=_",
					    "/api/v1/units?q=%25", "/api/v1/members?q=_", NULL};
	struct client c;
	struct response r;

	(void)state;
	login_as(&c, "staff");
	post_id(&c, "/api/v1/units", "{\"name\":\"百分之百_单位\",\"kind\":\"shop\"}");
	for (int i = 0; paths[i]; i++) {
		assert_int_equal(api(&c, &srv, "GET", paths[i], NULL, &r), 0);
		assert_int_equal(r.status, 200);
		if (json_int(r.body, "total") != 0)
			fail_msg("%s matched %lld rows", paths[i], json_int(r.body, "total"));
		response_release(&r);
	}
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/units?q=%E7%99%BE_%E5%8D%95", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "total"), 1);
	response_release(&r);
	client_release(&c);
}

/* A row still named by a live row of any kind below it stays; a reference
 * to an archived row is refused. */
static void test_dependants_and_archived_refs(void **state)
{
	struct client c;
	struct response r;
	char path[96], body[256];
	long long resident, member, parent, household;

	(void)state;
	login_as(&c, "secretary");
	/* A resident on a team's list (the second kind below residents). */
	resident = post_id(&c, "/api/v1/residents", "{\"name\":\"队员居民\",\"gender\":\"F\"}");
	snprintf(body, sizeof(body),
		 "{\"team_id\":%lld,\"name\":\"队员居民\",\"joined_on\":\"2021-03-01\","
		 "\"resident_id\":%lld}",
		 first_id(&c, "teams"), resident);
	member = post_id(&c, "/api/v1/team_members", body);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", resident);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "\"code\":\"in_use\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/team_members/%lld", member);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", resident);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);

	/* A branch with a branch under it (its second kind of child). */
	parent = post_id(&c, "/api/v1/branches", "{\"name\":\"上级支部\",\"kind\":\"general\"}");
	snprintf(body, sizeof(body),
		 "{\"name\":\"下级支部\",\"kind\":\"branch\",\"parent_id\":%lld}", parent);
	post_id(&c, "/api/v1/branches", body);
	snprintf(path, sizeof(path), "/api/v1/branches/%lld", parent);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);

	/* Nobody moves into an archived household. */
	snprintf(body, sizeof(body),
		 "{\"building_id\":%lld,\"door\":\"拆除1\",\"area_centi\":\"40\"}",
		 first_id(&c, "buildings"));
	household = post_id(&c, "/api/v1/households", body);
	snprintf(path, sizeof(path), "/api/v1/households/%lld", household);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"name\":\"迁入居民\",\"gender\":\"M\",\"household_id\":%lld}", household);
	expect_write(&c, "POST", "/api/v1/residents", body, 422, "household_id");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/residents?q=%E8%BF%81%E5%85%A5", NULL, &r),
			 0);
	assert_int_equal(json_int(r.body, "total"), 0);
	response_release(&r);
	client_release(&c);
}

/* The CSRF token must match exactly, and DELETE needs it like POST. */
static void test_csrf_edges(void **state)
{
	struct client c;
	struct response r;
	char hdr[200], path[64];
	long long id;

	(void)state;
	login_as(&c, "staff");
	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %sx", c.csrf);
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/tags", "{\"name\":\"令牌加长\"}",
				 "application/json", hdr, &r),
			 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	hdr[strlen(hdr) - 2] = '\0'; /* one character short */
	assert_int_equal(request(&c, &srv, "POST", "/api/v1/tags", "{\"name\":\"令牌变短\"}",
				 "application/json", hdr, &r),
			 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	id = post_id(&c, "/api/v1/tags", "{\"name\":\"删除测试\"}");
	snprintf(path, sizeof(path), "/api/v1/tags/%lld", id);
	assert_int_equal(request(&c, &srv, "DELETE", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "\"code\":\"csrf\""));
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	client_release(&c);
}

/* A body of exactly the cap (1 MiB) is read; one byte more is not. */
static void test_body_cap_edge(void **state)
{
	struct client c;
	struct response r;
	size_t n = (size_t)1 << 20;
	char *big = malloc(n + 2);

	(void)state;
	assert_non_null(big);
	memset(big, ' ', n + 1);
	big[0] = '{';
	big[n - 1] = '}';
	big[n] = '\0';
	login_as(&c, "staff");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/tags", big, &r), 0);
	assert_int_equal(r.status, 422); /* read, and refused for having no name */
	response_release(&r);
	big[n - 1] = ' ';
	big[n] = '}';
	big[n + 1] = '\0';
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/tags", big, &r), 0);
	assert_int_equal(r.status, 413);
	response_release(&r);
	free(big);
	client_release(&c);
}

/* A row with a column missing is refused, not read with a gap. */
static void test_import_short_row(void **state)
{
	char *out = NULL, *before = NULL, *after = NULL, path[400];
	FILE *f;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/short.csv", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("name,kind,address,contact,phone,has_party_org\n"
	      "短行单位,shop,普善路9号,钱七,13800009999\n",
	      f);
	fclose(f);
	rc = run_cli(&srv, NULL, &before, "export", "units", NULL);
	assert_int_equal(rc, 0);
	rc = run_cli(&srv, NULL, &out, "import", "units", path, NULL);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out, "第 2 行"));
	assert_non_null(strstr(out, "有 5 列，表头有 6 列"));
	free(out);
	rc = run_cli(&srv, NULL, &after, "export", "units", NULL);
	assert_int_equal(rc, 0);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* A name that a spreadsheet would run as a formula is exported with the
 * guard's apostrophe, and the apostrophe goes again on import. */
static void test_export_guards_formulas(void **state)
{
	struct client c;
	struct response r;
	char *out = NULL, path[400];
	FILE *f;
	int rc;

	(void)state;
	login_as(&c, "staff");
	post_id(&c, "/api/v1/units", "{\"name\":\"=1+1单位\",\"kind\":\"shop\"}");
	rc = run_cli(&srv, NULL, &out, "export", "units", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, ",'=1+1单位,"));
	assert_null(strstr(out, ",=1+1单位"));
	free(out);
	snprintf(path, sizeof(path), "%s/guarded.csv", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("name,kind\n'=2+2单位,shop\n", f);
	fclose(f);
	rc = run_cli(&srv, NULL, &out, "import", "units", path, NULL);
	if (rc)
		fail_msg("import failed (%d): %s", rc, out);
	free(out);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/units?q=2%2B2", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "total"), 1);
	assert_non_null(strstr(r.body, "\"name\":\"=2+2单位\""));
	response_release(&r);
	client_release(&c);
}

/* ------------------------------------------------------------------
 * Sessions and sign-in throttling at their edges. */

/* A session lasts seven days, ends when it expires, when its account is
 * disabled and when the password changes. */
static void test_session_rules(void **state)
{
	struct client c;
	char sql[512];
	long long now;

	(void)state;
	add_account("session-edge", "staff");
	client_init(&c);
	assert_int_equal(client_login(&c, &srv, "session-edge", "long-enough-1"), 200);
	assert_int_equal(me(&c), 200);
	assert_int_equal(sql_must("SELECT expires_at - created_at FROM sessions WHERE user_id ="
				  " (SELECT id FROM users WHERE username = 'session-edge');"),
			 7 * 24 * 3600);
	/* A minute left: still signed in; a second past: signed out. */
	now = (long long)time(NULL);
	snprintf(sql, sizeof(sql),
		 "UPDATE sessions SET expires_at = %lld WHERE user_id ="
		 " (SELECT id FROM users WHERE username = 'session-edge');",
		 now + 60);
	sql_must(sql);
	assert_int_equal(me(&c), 200);
	snprintf(sql, sizeof(sql),
		 "UPDATE sessions SET expires_at = %lld WHERE user_id ="
		 " (SELECT id FROM users WHERE username = 'session-edge');",
		 now - 1);
	sql_must(sql);
	assert_int_equal(me(&c), 401);
	client_release(&c);

	/* A disabled account: its open session ends and it cannot sign in. */
	client_init(&c);
	assert_int_equal(client_login(&c, &srv, "session-edge", "long-enough-1"), 200);
	sql_must("UPDATE users SET disabled = 1 WHERE username = 'session-edge';");
	assert_int_equal(me(&c), 401);
	assert_int_equal(client_login(&c, &srv, "session-edge", "long-enough-1"), 401);
	sql_must("UPDATE users SET disabled = 0 WHERE username = 'session-edge';");
	assert_int_equal(client_login(&c, &srv, "session-edge", "long-enough-1"), 200);
	assert_int_equal(me(&c), 200);

	/* A new password ends the sessions opened with the old one. */
	{
		char *out = NULL;
		int rc = run_cli(&srv, "changed-pass-2\n", &out, "user", "passwd", "session-edge",
				 "--password-stdin", NULL);
		assert_int_equal(rc, 0);
		free(out);
	}
	assert_int_equal(me(&c), 401);
	client_release(&c);
}

/* Failures count for 15 minutes (900 s), per account, whatever address
 * they came from; a success forgets only that account's failures. The
 * rows are written with a test address so this one stays unthrottled. */
static void test_throttle_window(void **state)
{
	struct client c;
	char sql[1024];
	long long now = (long long)time(NULL);

	(void)state;
	add_account("throttle-edge", "volunteer");
	client_init(&c);
	/* Five failures just outside the window lock nothing. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_failures (username, address, at) VALUES"
		 " ('throttle-edge', '192.0.2.1', %lld), ('throttle-edge', '192.0.2.1', %lld),"
		 " ('throttle-edge', '192.0.2.1', %lld), ('throttle-edge', '192.0.2.1', %lld),"
		 " ('throttle-edge', '192.0.2.1', %lld);",
		 now - 910, now - 910, now - 910, now - 920, now - 1000);
	sql_must(sql);
	assert_int_equal(client_login(&c, &srv, "throttle-edge", "long-enough-1"), 200);
	/* Five well inside it (ten minutes ago) do. */
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_failures (username, address, at) VALUES"
		 " ('throttle-edge', '192.0.2.1', %lld), ('throttle-edge', '192.0.2.1', %lld),"
		 " ('throttle-edge', '192.0.2.1', %lld), ('throttle-edge', '192.0.2.1', %lld),"
		 " ('throttle-edge', '192.0.2.1', %lld);",
		 now - 600, now - 700, now - 800, now - 880, now - 880);
	sql_must(sql);
	assert_int_equal(client_login(&c, &srv, "throttle-edge", "long-enough-1"), 429);
	/* Four are not enough... */
	sql_must("DELETE FROM login_failures WHERE username = 'throttle-edge';");
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_failures (username, address, at) VALUES"
		 " ('throttle-edge', '192.0.2.2', %lld), ('throttle-edge', '192.0.2.2', %lld),"
		 " ('throttle-edge', '192.0.2.2', %lld), ('throttle-edge', '192.0.2.2', %lld);",
		 now - 10, now - 10, now - 10, now - 10);
	sql_must(sql);
	/* ...and someone else signing in meanwhile forgets none of them. */
	assert_int_equal(client_login(&c, &srv, "resident", "pushan-resident"), 200);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO login_failures (username, address, at) VALUES"
		 " ('throttle-edge', '192.0.2.2', %lld);",
		 now - 5);
	sql_must(sql);
	assert_int_equal(client_login(&c, &srv, "throttle-edge", "long-enough-1"), 429);
	client_release(&c);
}

/* ------------------------------------------------------------------
 * A second area: nobody sees across. Runs late: with two areas the
 * command line needs --area, which the earlier tests do not pass. */
static void test_other_area(void **state)
{
	struct client ps, other;
	struct response r;
	char *out = NULL, path[96], body[256];
	long long here, there, household;
	int rc;

	(void)state;
	rc = run_cli(&srv, NULL, &out, "init", "--area", "other2", "--area-name", "别的居民区",
		     "--street-name", "别的街道", "--district-name", "别的区", NULL);
	if (rc)
		fail_msg("init failed (%d): %s", rc, out);
	free(out);
	rc = run_cli(&srv, "long-enough-1\n", &out, "user", "add", "other-secretary", "--role",
		     "secretary", "--area", "other2", "--password-stdin", NULL);
	if (rc)
		fail_msg("user add failed (%d): %s", rc, out);
	free(out);
	/* With two areas, a command that acts in one must be told which, and
	 * an unknown code is named; neither writes anything. */
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "where", "--role", "staff", NULL), 1);
	assert_non_null(strstr(out, "请用 --area CODE 指明居民区 name the area with --area CODE"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "token", "add", "where", "--role", "staff",
				 "--area", "nope", NULL),
			 1);
	assert_non_null(strstr(out, "没有代码为 nope 的居民区 no area with code nope"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "token", "list", NULL), 0);
	assert_null(strstr(out, "where"));
	free(out);
	client_init(&other);
	assert_int_equal(client_login(&other, &srv, "other-secretary", "long-enough-1"), 200);
	login_as(&ps, "secretary");
	there = post_id(&other, "/api/v1/residents",
			"{\"name\":\"跨区同名\",\"gender\":\"M\",\"phone\":\"13711112222\"}");
	here = post_id(&ps, "/api/v1/residents",
		       "{\"name\":\"跨区同名\",\"gender\":\"F\",\"phone\":\"13733334444\"}");
	household = first_id(&ps, "households");

	/* The same question in two areas gets two answers (also from the
	 * response cache, asked with no write in between). */
	for (int round = 0; round < 2; round++) {
		assert_int_equal(
		    api(&ps, &srv, "GET", "/api/v1/residents?q=%E8%B7%A8%E5%8C%BA", NULL, &r), 0);
		assert_int_equal(json_int(r.body, "total"), 1);
		assert_non_null(strstr(r.body, "13733334444"));
		assert_null(strstr(r.body, "13711112222"));
		response_release(&r);
		assert_int_equal(
		    api(&other, &srv, "GET", "/api/v1/residents?q=%E8%B7%A8%E5%8C%BA", NULL, &r),
		    0);
		assert_int_equal(json_int(r.body, "total"), 1);
		assert_non_null(strstr(r.body, "13711112222"));
		assert_null(strstr(r.body, "13733334444"));
		response_release(&r);
		assert_int_equal(api(&ps, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
		assert_true(json_int(r.body, "residents") > 4000);
		response_release(&r);
		assert_int_equal(api(&other, &srv, "GET", "/api/v1/dashboard", NULL, &r), 0);
		assert_int_equal(json_int(r.body, "residents"), 1);
		assert_int_equal(json_int(r.body, "compounds"), 0);
		response_release(&r);
	}
	/* A row of the other area is not there, whatever the way in. */
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", there);
	assert_int_equal(api(&ps, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "13711112222"));
	response_release(&r);
	assert_int_equal(api(&ps, &srv, "PATCH", path, "{\"note\":\"越界\"}", &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	assert_int_equal(api(&ps, &srv, "DELETE", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	snprintf(path, sizeof(path), "/residents/%lld", there);
	assert_int_equal(request(&ps, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body, "13711112222"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/residents/%lld", here);
	assert_int_equal(api(&other, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	/* Nor can a row point across. */
	snprintf(body, sizeof(body),
		 "{\"name\":\"越界入户\",\"gender\":\"M\",\"household_id\":%lld}", household);
	expect_write(&other, "POST", "/api/v1/residents", body, 422, "household_id");
	/* The export is of one area. */
	rc = run_cli(&srv, NULL, &out, "export", "residents", "--area", "other2", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "13711112222"));
	assert_null(strstr(out, "13733334444"));
	free(out);
	client_release(&ps);
	client_release(&other);
}

/* The address limit, exactly: the twentieth failure from one address
 * within the window locks every account from it. Runs last of all. */
static void test_address_throttling(void **state)
{
	struct client c;
	char name[64];
	long long n;

	(void)state;
	client_init(&c);
	n = sql_must("SELECT COUNT(*) FROM login_failures WHERE address = '127.0.0.1';");
	assert_true(n < 19);
	for (long long i = n; i < 19; i++) {
		snprintf(name, sizeof(name), "nobody-%lld", i);
		assert_int_equal(client_login(&c, &srv, name, "not-the-password"), 401);
	}
	assert_int_equal(client_login(&c, &srv, "volunteer", "pushan-volunteer"), 200);
	assert_int_equal(client_login(&c, &srv, "nobody-last", "not-the-password"), 401);
	assert_int_equal(client_login(&c, &srv, "staff", "pushan-staff"), 429);
	client_release(&c);
}

/* The response cache keeps roles apart: with everyone signed in first (a
 * sign-in is a write, which empties the cache), staff's answers are cached
 * and then the same questions come from a Party member. */
static void test_cache_keeps_roles_apart(void **state)
{
	struct client staff, member;
	struct response r;
	char paths[2][128], q[96];
	long long id;

	(void)state;
	login_as(&staff, "staff");
	id = post_id(&staff, "/api/v1/residents",
		     "{\"name\":\"掩码缓存\",\"gender\":\"M\",\"phone\":\"13698765432\"}");
	login_as(&member, "member");
	snprintf(paths[0], sizeof(paths[0]), "/api/v1/residents/%lld", id);
	snprintf(paths[1], sizeof(paths[1]), "/api/v1/residents?q=%s",
		 enc("掩码缓存", q, sizeof(q)));
	for (int k = 0; k < 2; k++) {
		assert_int_equal(api(&staff, &srv, "GET", paths[k], NULL, &r), 0);
		assert_non_null(strstr(r.body, "13698765432"));
		response_release(&r);
		assert_int_equal(api(&member, &srv, "GET", paths[k], NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "136****5432"));
		assert_null(strstr(r.body, "13698765432"));
		response_release(&r);
	}
	client_release(&member);
	client_release(&staff);
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

/* The page after signing in is a path of this site only: a tab, a line
 * break, a backslash or a second slash that a browser would turn into
 * another site's address sends the user home instead. */
static void test_login_next_stays_local(void **state)
{
	static const char *const evil[] = {"/%09/evil.example",
					   "/%0A/evil.example",
					   "/%0D/evil.example",
					   "//evil.example",
					   "/%5Cevil.example",
					   "/a%5Cb",
					   "/x%7F",
					   "https://evil.example",
					   "evil.example",
					   "/%00/evil",
					   NULL};
	struct client c;
	struct response r;
	char path[128], body[512], token[128], loc[256];
	const char *p;

	(void)state;
	client_init(&c);
	for (int i = 0; evil[i]; i++) {
		snprintf(path, sizeof(path), "/login?next=%s", evil[i]);
		assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		if (!strstr(r.body, "name=\"next\" value=\"/\""))
			fail_msg("next=%s was kept", evil[i]);
		response_release(&r);
	}
	/* A real path of the site is kept, query and all. */
	assert_int_equal(
	    request(&c, &srv, "GET", "/login?next=%2Fresidents%3Fq%3D1", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "name=\"next\" value=\"/residents?q=1\""));
	p = strstr(r.body, "name=\"_csrf\" value=\"") + strlen("name=\"_csrf\" value=\"");
	snprintf(token, sizeof(token), "%.*s", (int)strcspn(p, "\""), p);
	response_release(&r);
	/* Signing in with a poisoned next goes home. */
	snprintf(
	    body, sizeof(body),
	    "_csrf=%s&username=secretary&password=pushan-secretary&next=%%2F%%09%%2Fevil.example",
	    token);
	assert_int_equal(request(&c, &srv, "POST", "/login", body,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	assert_string_equal(loc, "/");
	response_release(&r);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_demo_counts),
	    cmocka_unit_test(test_health_and_metrics),
	    cmocka_unit_test(test_login_logout),
	    cmocka_unit_test(test_login_next_stays_local),
	    cmocka_unit_test(test_csrf),
	    cmocka_unit_test(test_roles_by_route),
	    cmocka_unit_test(test_validation_languages),
	    cmocka_unit_test(test_household_round_trip),
	    cmocka_unit_test(test_big_pages),
	    cmocka_unit_test(test_protocol_edges),
	    cmocka_unit_test(test_phone_masking),
	    cmocka_unit_test(test_body_cap),
	    cmocka_unit_test(test_pages),
	    cmocka_unit_test(test_audit_anchors),
	    cmocka_unit_test(test_demo_all_or_nothing),
	    cmocka_unit_test(test_audit_chain),
	    cmocka_unit_test(test_import_bad_row),
	    cmocka_unit_test(test_cli_accounts_and_tokens),
	    cmocka_unit_test(test_backup),
	    cmocka_unit_test(test_people_by_role),
	    cmocka_unit_test(test_vulnerable_residents_by_role),
	    cmocka_unit_test(test_row_page_archive_and_undo),
	    cmocka_unit_test(test_db_forms_and_phone_links),
	    cmocka_unit_test(test_dashboard_by_role),
	    cmocka_unit_test(test_dashboard_counts_live_rows),
	    cmocka_unit_test(test_cache_keeps_roles_apart),
	    cmocka_unit_test(test_required_fields),
	    cmocka_unit_test(test_validator_edges),
	    cmocka_unit_test(test_search_is_literal),
	    cmocka_unit_test(test_dependants_and_archived_refs),
	    cmocka_unit_test(test_csrf_edges),
	    cmocka_unit_test(test_body_cap_edge),
	    cmocka_unit_test(test_import_short_row),
	    cmocka_unit_test(test_export_guards_formulas),
	    cmocka_unit_test(test_session_rules),
	    cmocka_unit_test(test_throttle_window),
	    cmocka_unit_test(test_throttling),
	    /* These two change the ground for everything after them: a second
	     * area makes the command line ask for --area (the tests above call
	     * it without), and the address limit locks this client out. */
	    cmocka_unit_test(test_other_area),
	    cmocka_unit_test(test_address_throttling),
	};
	return cmocka_run_group_tests_name("http", tests, srv_setup, srv_teardown);
}
