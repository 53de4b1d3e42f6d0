/* HTTP tests of case work against the real server and the demo area: a
 * resident reports on the public form with a photo and follows the case by
 * its code; staff accept, assign, mediate, refer and resolve; the reporter
 * rates and the case closes; reopening; roles refused where they must be;
 * private categories and personal data never reach the public page or
 * other residents; validation in both languages. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

/* ---- a small PNG with a location in a text chunk ---- */

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static size_t chunk(unsigned char *out, const char *type, const void *data, uint32_t n)
{
	uint32_t crc;
	out[0] = (unsigned char)(n >> 24);
	out[1] = (unsigned char)(n >> 16);
	out[2] = (unsigned char)(n >> 8);
	out[3] = (unsigned char)n;
	memcpy(out + 4, type, 4);
	if (n)
		memcpy(out + 8, data, n);
	crc = crc32_png(out + 4, n + 4);
	out[8 + n] = (unsigned char)(crc >> 24);
	out[9 + n] = (unsigned char)(crc >> 16);
	out[10 + n] = (unsigned char)(crc >> 8);
	out[11 + n] = (unsigned char)crc;
	return 12 + n;
}

#define SECRET_PLACE "GPS 31.2304N 121.4737E"

static size_t make_png(unsigned char *out)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};
	static const unsigned char idat[] = {0x78, 0x9c, 0x63, 0x60, 0x00,
					     0x00, 0x00, 0x02, 0x00, 0x01};
	static const char text[] = "Comment\0" SECRET_PLACE;
	size_t n = 0;

	memcpy(out, sig, 8);
	n = 8;
	n += chunk(out + n, "IHDR", ihdr, sizeof(ihdr));
	n += chunk(out + n, "tEXt", text, sizeof(text) - 1);
	n += chunk(out + n, "IDAT", idat, sizeof(idat));
	n += chunk(out + n, "IEND", NULL, 0);
	return n;
}

/* multipart: builds a form body of name=value pairs plus one file. */
struct form {
	char body[16384];
	size_t len;
};

#define BOUNDARY "linliTestBoundary7MA4YWxk"

static void form_field(struct form *f, const char *name, const char *value)
{
	f->len += (size_t)snprintf(f->body + f->len, sizeof(f->body) - f->len,
				   "--" BOUNDARY
				   "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
				   name, value);
}

static void form_file(struct form *f, const char *name, const char *filename, const char *type,
		      const void *data, size_t n)
{
	f->len += (size_t)snprintf(f->body + f->len, sizeof(f->body) - f->len,
				   "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; "
				   "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
				   name, filename, type);
	memcpy(f->body + f->len, data, n);
	f->len += n;
	memcpy(f->body + f->len, "\r\n", 2);
	f->len += 2;
}

static void form_end(struct form *f)
{
	f->len +=
	    (size_t)snprintf(f->body + f->len, sizeof(f->body) - f->len, "--" BOUNDARY "--\r\n");
}

static int post_form_with(struct client *c, const char *path, struct form *f, const char *extra,
			  struct response *r)
{
	return request_bytes(c, &srv, "POST", path, f->body, f->len,
			     "multipart/form-data; boundary=" BOUNDARY, extra, r);
}

static int post_form(struct client *c, const char *path, struct form *f, struct response *r)
{
	return post_form_with(c, path, f, NULL, r);
}

static char code_public[16]; /* the case the resident filed */
static long long id_public;

/* ---- tests ---- */

static void test_public_report_with_photo(void **state)
{
	struct client anon;
	struct response r;
	struct form f = {{0}, 0};
	unsigned char png[512];
	char loc[256], path[64];
	size_t n = make_png(png);

	(void)state;
	client_init(&anon);
	/* Step 1: the kinds of problem, in Chinese, without signing in. */
	assert_int_equal(request(&anon, &srv, "GET", "/report", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "噪声扰民"));
	assert_non_null(strstr(r.body, "邻里纠纷"));
	response_release(&r);
	/* Step 2: the form for noise asks the category's questions. */
	assert_int_equal(
	    request(&anon, &srv, "GET", "/report?category=noise", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "name=\"q_source\""));
	assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\""));
	response_release(&r);

	form_field(&f, "category", "noise");
	form_field(&f, "description", "五月花广场晚上九点半还在放广场舞音乐，老人孩子睡不着");
	form_field(&f, "q_source", "square_dance");
	form_field(&f, "q_now", "yes");
	form_field(&f, "compound_id", "3");
	form_field(&f, "reporter_name", "赵阿婆");
	form_field(&f, "reporter_phone", "13987654321");
	form_file(&f, "photo", "plaza.png", "image/png", png, n);
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	assert_true(!strncmp(loc, "/track/", 7));
	snprintf(code_public, sizeof(code_public), "%.10s", loc + 7);
	response_release(&r);

	/* The tracking page shows the code and the state, and no personal data. */
	snprintf(path, sizeof(path), "/track/%s?new=1", code_public);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, code_public));
	assert_non_null(strstr(r.body, "已提交"));
	assert_null(strstr(r.body, "赵阿婆"));
	assert_null(strstr(r.body, "13987654321"));
	assert_null(strstr(r.body, "老人孩子睡不着"));
	response_release(&r);
	client_release(&anon);

	/* Staff see it with the photo; the stored photo lost its location. */
	struct client staff;
	login_as(&staff, "staff");
	assert_int_equal(
	    api(&staff, &srv, "GET", "/api/v1/cases?category_id=&state=submitted", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, code_public));
	response_release(&r);
	char cpath[200], sha[80];
	snprintf(cpath, sizeof(cpath), "/api/v1/track/%s", code_public);
	assert_int_equal(request(&staff, &srv, "GET", cpath, NULL, NULL, NULL, &r), 0);
	id_public = json_int(r.body, "id");
	response_release(&r);
	snprintf(cpath, sizeof(cpath), "/api/v1/cases/%lld", id_public);
	assert_int_equal(api(&staff, &srv, "GET", cpath, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"channel\":\"web\""));
	assert_non_null(strstr(r.body, "\"reporter_phone\":\"13987654321\""));
	assert_non_null(strstr(r.body, "\"mime\":\"image/png\""));
	json_str(r.body, "sha256", sha, sizeof(sha));
	response_release(&r);
	snprintf(cpath, sizeof(cpath), "/cases/%lld/photos/%s.png", id_public, sha);
	assert_int_equal(request(&staff, &srv, "GET", cpath, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 40 && r.len < n);
	assert_int_equal(memcmp(r.body, "\x89PNG", 4), 0);
	assert_null(memmem(r.body, r.len, SECRET_PLACE, strlen(SECRET_PLACE)));
	response_release(&r);
	/* Photos are not public. */
	struct client anon2;
	client_init(&anon2);
	assert_int_equal(request(&anon2, &srv, "GET", cpath, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 303); /* to the sign-in page */
	response_release(&r);
	client_release(&anon2);
	client_release(&staff);
}

static void test_report_refuses_bad_input(void **state)
{
	struct client anon;
	struct response r;
	struct form f = {{0}, 0};

	(void)state;
	client_init(&anon);
	/* No description, a GIF: a clear message, and nothing filed. */
	form_field(&f, "category", "repair");
	form_field(&f, "description", "");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "情况说明不能为空"));
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "repair");
	form_field(&f, "description", "楼道灯坏了");
	form_file(&f, "photo", "x.gif", "image/gif", "GIF89a\1\0\1\0\0\0\0;", 14);
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "JPEG、PNG 或 WebP"));
	response_release(&r);
	/* A required question left out, in Chinese and, for a reader who
	 * chose English, in English; named as the form names it. */
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "noise");
	form_field(&f, "description", "loud music");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "请回答：声源"));
	response_release(&r);
	assert_int_equal(post_form_with(&anon, "/report", &f, "Cookie: lang=en", &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "Please answer: Source"));
	response_release(&r);
	client_release(&anon);

	struct client staff;
	login_as(&staff, "staff");
	char big[4200 * 3 + 64];
	size_t k = (size_t)snprintf(big, sizeof(big), "{\"category\":\"other\",\"description\":\"");
	for (int i = 0; i < 4001; i++)
		big[k++] = 'x';
	snprintf(big + k, sizeof(big) - k, "\"}");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases", big, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"nope\",\"description\":\"x\"}", &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/cases?state=submitted", NULL, &r), 0);
	assert_null(strstr(r.body, "楼道灯坏了"));
	response_release(&r);
	client_release(&staff);
}

static void act(struct client *c, long long id, const char *body, long want)
{
	struct response r;
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != want)
		fail_msg("%s: got %ld (%s), want %ld", body, r.status, r.body, want);
	response_release(&r);
}

static long long team_id(struct client *c, const char *name_q)
{
	struct response r;
	char path[200];
	long long id;

	snprintf(path, sizeof(path), "/api/v1/teams?q=%s", name_q);
	assert_int_equal(api(c, &srv, "GET", path, NULL, &r), 0);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

static void test_whole_flow(void **state)
{
	struct client staff, member, agency, anon;
	struct response r;
	char path[96], body[256];
	long long team, unit;

	(void)state;
	login_as(&staff, "staff");
	login_as(&member, "member");
	team = team_id(&staff, "%E5%85%88%E9%94%8B"); /* 先锋 */
	/* A Party member may not accept; staff may. */
	act(&member, id_public, "{\"action\":\"accept\"}", 403);
	act(&staff, id_public, "{\"action\":\"start\"}", 409);
	act(&staff, id_public, "{\"action\":\"accept\"}", 200);
	act(&staff, id_public, "{\"action\":\"assign\"}", 422); /* needs a handler */
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id_public, body, 200);
	act(&member, id_public, "{\"action\":\"start\"}", 200);
	/* The mediators meet the dance team and the neighbours. */
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", id_public);
	assert_int_equal(api(&member, &srv, "POST", path,
			     "{\"held_on\":\"2026-11-30\",\"parties\":\"晨光舞蹈队、3号楼居民\","
			     "\"mediators\":\"先锋队\",\"agreement\":\"音量调低，20:30前结束\","
			     "\"follow_up_on\":\"2026-12-07\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	assert_int_equal(api(&member, &srv, "POST", path,
			     "{\"held_on\":\"2026-02-30\",\"parties\":\"a\",\"mediators\":\"b\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	/* Referral to 城管 with a webhook: the notice waits in the outbox. */
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/units?q=%E5%9F%8E%E7%AE%A1", NULL, &r),
			 0);
	unit = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/units/%lld", unit);
	assert_int_equal(api(&staff, &srv, "PATCH", path, "{\"webhook_url\":\"ftp://x\"}", &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(
	    api(&staff, &srv, "PATCH", path,
		"{\"webhook_url\":\"http://127.0.0.1:9/referrals\",\"email\":\"cg@example.org\"}",
		&r),
	    0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(body, sizeof(body),
		 "{\"action\":\"refer\",\"agency_unit_id\":%lld,\"reference\":\"CG-118\",\"note\":"
		 "\"请协助\"}",
		 unit);
	act(&member, id_public, body, 200);
	if (!strncmp(srv.db, "sqlite:", 7)) {
		char cmd[2048];
		snprintf(cmd, sizeof(cmd),
			 "test \"$(sqlite3 '%s' \"SELECT COUNT(*) FROM outbox WHERE target IN "
			 "('http://127.0.0.1:9/referrals', 'cg@example.org') AND payload NOT LIKE "
			 "'%%13987654321%%'\")\" = 2",
			 srv.db + 7);
		assert_int_equal(system(cmd), 0);
	}
	/* The agency answers; the case goes back to work, then is resolved. */
	login_as(&agency, "agency");
	act(&agency, id_public, "{\"action\":\"agency_answer\",\"note\":\"已到现场劝导\"}", 200);
	act(&agency, id_public, "{\"action\":\"resolve\",\"note\":\"x\"}", 403);
	act(&member, id_public, "{\"action\":\"resolve\"}", 422);
	act(&member, id_public,
	    "{\"action\":\"resolve\",\"note\":\"舞队改到20:30前结束并调低音量\",\"public\":true}",
	    200);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id_public);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"state\":\"resolved\""));
	assert_non_null(strstr(r.body, "\"kind\":\"mediation\""));
	assert_non_null(strstr(r.body, "\"reference\":\"CG-118\""));
	assert_non_null(strstr(r.body, "\"answer\":\"已到现场劝导\""));
	response_release(&r);

	/* The reporter sees the public note and rates the result: closed. */
	client_init(&anon);
	snprintf(path, sizeof(path), "/track/%s", code_public);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "舞队改到20:30前结束并调低音量"));
	assert_null(strstr(r.body, "请协助")); /* internal notes stay inside */
	assert_non_null(strstr(r.body, "name=\"rating\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/track/%s/rating", code_public);
	assert_int_equal(request(&anon, &srv, "POST", path, "rating=7",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(request(&anon, &srv, "POST", path, "rating=5&comment=%E8%B0%A2%E8%B0%A2",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s", code_public);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"state\":\"closed\""));
	assert_int_equal(json_int(r.body, "rating"), 5);
	assert_null(strstr(r.body, "actor")); /* nobody is named */
	response_release(&r);
	/* Still not right after all: the reporter reopens it. */
	snprintf(path, sizeof(path), "/track/%s/reopen", code_public);
	assert_int_equal(request(&anon, &srv, "POST", path,
				 "note=", "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	assert_int_equal(request(&anon, &srv, "POST", path, "note=%E5%8F%88%E5%90%B5%E4%BA%86",
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	act(&staff, id_public, "{\"action\":\"accept\"}", 200);
	client_release(&anon);
	client_release(&agency);
	client_release(&member);
	client_release(&staff);
}

static void test_low_rating_reopens(void **state)
{
	struct client staff, anon;
	struct response r;
	char code[16], path[96], body[200];
	long long id, team;

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"repair\",\"description\":\"3号楼电梯按钮坏了\","
			     "\"channel\":\"phone\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"channel\":\"phone\""));
	id = json_int(r.body, "id");
	json_str(r.body, "tracking_code", code, sizeof(code));
	assert_true(json_int(r.body, "accept_due") > json_int(r.body, "created_at"));
	assert_true(json_int(r.body, "resolve_due") > json_int(r.body, "accept_due"));
	response_release(&r);
	team = team_id(&staff, "%E5%B7%A1%E9%80%BB"); /* 巡逻 */
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_team_id\":%lld}", team);
	act(&staff, id, body, 200);
	act(&staff, id,
	    "{\"action\":\"resolve\",\"note\":\"内部：业主王某 13900001111 "
	    "家漏水\",\"public\":false}",
	    200);
	client_init(&anon);
	/* The change of state is public; a note not marked public is not. */
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"to_state\":\"resolved\""));
	assert_null(strstr(r.body, "13900001111"));
	assert_null(strstr(r.body, "内部"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s/rating", code);
	assert_int_equal(request(&anon, &srv, "POST", path, "{\"rating\":1,\"comment\":\"没修好\"}",
				 "application/json", NULL, &r),
			 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"state\":\"reopened\""));
	assert_true(json_int(r.body, "resolve_due") > json_int(r.body, "updated_at"));
	response_release(&r);
	/* One rating per resolution. */
	assert_int_equal(
	    request(&anon, &srv, "POST", path, "{\"rating\":5}", "application/json", NULL, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);
	client_release(&anon);
	client_release(&staff);
}

static void test_privacy(void **state)
{
	struct client staff, resident, anon, member;
	struct response r;
	char code[16], path[96];
	long long id;

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"dispute\",\"description\":\"楼上邻居漏水不肯修\","
			     "\"reporter_name\":\"钱先生\",\"reporter_phone\":\"13611112222\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	id = json_int(r.body, "id");
	json_str(r.body, "tracking_code", code, sizeof(code));
	response_release(&r);
	/* Residents have no queue; anonymous readers see no private category. */
	login_as(&resident, "resident");
	assert_int_equal(api(&resident, &srv, "GET", "/api/v1/cases", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&resident, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	client_init(&anon);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/api/v1/case-categories", NULL, NULL, NULL, &r), 0);
	assert_null(strstr(r.body, "dispute"));
	assert_non_null(strstr(r.body, "noise"));
	response_release(&r);
	/* The code holder sees the state and nothing personal. */
	snprintf(path, sizeof(path), "/api/v1/track/%s", code);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "钱先生"));
	assert_null(strstr(r.body, "13611112222"));
	assert_null(strstr(r.body, "漏水"));
	response_release(&r);
	/* A wrong code finds nothing. */
	assert_int_equal(
	    request(&anon, &srv, "GET", "/api/v1/track/ABCDEFGHJK", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	/* Volunteers see neither private disputes nor who reported. */
	struct client volunteer;
	login_as(&volunteer, "volunteer");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&volunteer, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	assert_int_equal(api(&volunteer, &srv, "GET", "/api/v1/cases?per_page=500", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_null(strstr(r.body, "漏水"));
	assert_null(strstr(r.body, "赵阿婆"));
	response_release(&r);
	client_release(&volunteer);
	/* Party members mediate disputes but see the phone masked. */
	login_as(&member, "member");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&member, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "136****2222"));
	assert_null(strstr(r.body, "13611112222"));
	response_release(&r);
	client_release(&member);
	client_release(&anon);
	client_release(&resident);
	client_release(&staff);
}

static void test_again_instead_of_new(void **state)
{
	struct client anon, staff;
	struct response r;
	struct form f = {{0}, 0};
	char path[96], ids[32];

	(void)state;
	/* Another neighbour reports the same noise in the same compound: the
	 * form offers the existing case first. */
	client_init(&anon);
	form_field(&f, "category", "noise");
	form_field(&f, "description", "又在跳广场舞，音乐很响");
	form_field(&f, "q_source", "square_dance");
	form_field(&f, "compound_id", "3");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "是同一件事"));
	assert_non_null(strstr(r.body, "name=\"recur_of\""));
	assert_null(strstr(r.body, "老人孩子睡不着")); /* not the other report's words */
	response_release(&r);
	memset(&f, 0, sizeof(f));
	snprintf(ids, sizeof(ids), "%lld", id_public);
	/* A case number that was not offered for this place is refused. */
	form_field(&f, "category", "noise");
	form_field(&f, "recur_of", ids);
	form_field(&f, "description", "今晚又响到十点");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 409);
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "noise");
	form_field(&f, "recur_of", ids);
	form_field(&f, "description", "今晚又响到十点");
	form_field(&f, "q_source", "square_dance");
	form_field(&f, "compound_id", "3");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "已记录"));
	response_release(&r);
	client_release(&anon);
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id_public);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(json_int(r.body, "recurrences"), 1);
	assert_non_null(strstr(r.body, "今晚又响到十点"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/track/%s", code_public);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "\"kind\":\"recurrence\""));
	assert_null(strstr(r.body, "今晚又响到十点"));
	response_release(&r);
	client_release(&staff);
}

static void test_queue_pages(void **state)
{
	struct client staff;
	struct response r;
	char path[64];

	(void)state;
	login_as(&staff, "staff");
	assert_int_equal(request(&staff, &srv, "GET", "/cases", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "居民反映"));
	assert_non_null(strstr(r.body, "name=\"handler_team_id\""));
	response_release(&r);
	assert_int_equal(request(&staff, &srv, "GET", "/cases?state=bogus", NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 400);
	response_release(&r);
	snprintf(path, sizeof(path), "/cases/%lld", id_public);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "办理经过"));
	assert_non_null(strstr(r.body, "广场舞")); /* the answer, named as the form named it */
	response_release(&r);
	client_release(&staff);
}

/* A point: the phone's position, or a tap on the site plan. */
static void test_report_with_a_point(void **state)
{
	struct client anon, staff;
	struct response r;
	struct form f = {{0}, 0};
	char loc[128], path[128];

	(void)state;
	client_init(&anon);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/report?category=safety", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "name=\"plan_x\""));
	assert_non_null(strstr(r.body, "name=\"lat\""));
	response_release(&r);
	form_field(&f, "category", "safety");
	form_field(&f, "description", "消防通道被车堵住");
	form_field(&f, "lat", "31.243512");
	form_field(&f, "long", "121.431207");
	form_field(&f, "plan_x", "640");
	form_field(&f, "plan_y", "215");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	response_release(&r);
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/track/%.10s", loc + 7);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", json_int(r.body, "id"));
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(json_int(r.body, "lat_e6"), 31243512);
	assert_int_equal(json_int(r.body, "lon_e6"), 121431207);
	assert_int_equal(json_int(r.body, "plan_x"), 640);
	assert_int_equal(json_int(r.body, "plan_y"), 215);
	response_release(&r);
	client_release(&staff);
	/* Nonsense coordinates are refused, and nothing is filed. */
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "safety");
	form_field(&f, "description", "x");
	form_field(&f, "lat", "1e3");
	form_field(&f, "long", "121");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "safety");
	form_field(&f, "description", "x");
	form_field(&f, "plan_x", "1001");
	form_field(&f, "plan_y", "5");
	form_end(&f);
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 422);
	response_release(&r);
	client_release(&anon);
}

/* Assigning to a person puts the case in that person's inbox. */
static void test_inbox(void **state)
{
	struct client staff, member;
	struct response r;
	char body[200], path[64];
	long long id, member_id;

	(void)state;
	login_as(&staff, "staff");
	login_as(&member, "member");
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/me", NULL, &r), 0);
	member_id = json_int(r.body, "user_id");
	response_release(&r);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(json_int(r.body, "unread"), 0);
	response_release(&r);
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"garbage\",\"description\":\"投放点满溢\"}", &r),
			 0);
	id = json_int(r.body, "id");
	response_release(&r);
	act(&staff, id, "{\"action\":\"accept\"}", 200);
	snprintf(body, sizeof(body), "{\"action\":\"assign\",\"handler_user_id\":%lld}", member_id);
	act(&staff, id, body, 200);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "unread"), 1);
	assert_int_equal(json_int(r.body, "case_id"), id);
	assert_non_null(strstr(r.body, "分派给您"));
	response_release(&r);
	/* Nobody else's inbox. */
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_null(strstr(r.body, "分派给您"));
	response_release(&r);
	assert_int_equal(request(&member, &srv, "GET", "/inbox", NULL, NULL, NULL, &r), 0);
	snprintf(path, sizeof(path), "href=\"/cases/%lld\"", id);
	assert_non_null(strstr(r.body, path));
	response_release(&r);
	assert_int_equal(api(&member, &srv, "POST", "/api/v1/inbox/all/read", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&member, &srv, "GET", "/api/v1/inbox", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "unread"), 0);
	response_release(&r);
	client_release(&member);
	client_release(&staff);
}

/* The holiday list: a bad line loads nothing; a good file loads. */
static void test_holidays(void **state)
{
	char *out = NULL, path[400];
	FILE *f;
	int rc;

	(void)state;
	snprintf(path, sizeof(path), "%s/holidays.csv", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("day,kind,name\n2026-10-01,off,国庆节\n2026-10-10,work,调休\n2026-02-30,off,bad\n",
	      f);
	fclose(f);
	rc = run_cli(&srv, NULL, &out, "holidays", "load", path, NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "第 4 行"));
	free(out);
	rc = run_cli(&srv, NULL, &out, "holidays", "list", NULL);
	assert_int_equal(rc, 0);
	assert_null(strstr(out, "国庆节"));
	free(out);
	f = fopen(path, "w");
	fputs("day,kind,name\n2026-10-01,off,国庆节\n2026-10-10,work,调休\n", f);
	fclose(f);
	rc = run_cli(&srv, NULL, &out, "holidays", "load", path, NULL);
	assert_int_equal(rc, 0);
	free(out);
	rc = run_cli(&srv, NULL, &out, "holidays", "list", NULL);
	assert_non_null(strstr(out, "2026-10-01,off,国庆节"));
	assert_non_null(strstr(out, "2026-10-10,work,调休"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_report_with_photo),
	    cmocka_unit_test(test_report_refuses_bad_input),
	    cmocka_unit_test(test_whole_flow),
	    cmocka_unit_test(test_low_rating_reopens),
	    cmocka_unit_test(test_privacy),
	    cmocka_unit_test(test_again_instead_of_new),
	    cmocka_unit_test(test_queue_pages),
	    cmocka_unit_test(test_report_with_a_point),
	    cmocka_unit_test(test_inbox),
	    cmocka_unit_test(test_holidays),
	};
	return cmocka_run_group_tests_name("http_cases", tests, srv_setup, srv_teardown);
}
