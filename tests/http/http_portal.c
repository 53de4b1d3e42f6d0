/* HTTP tests of the residents' portal (src/portal) against the real
 * server, on SQLite and PostgreSQL: the phone's sign-in with a one-time
 * code (a bad phone and a bad code refused in words, a wrong code, the
 * code spent by its one use, its life ending at the edge second, the
 * limits on codes sent and wrong codes typed; a phone on no record answered
 * as any other and given no code); what the page and /api/v1/me/portal
 * show a resident with reports, a registration, pets and duties; and that
 * nobody sees another resident's things through it. */
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

static void sql_text(char *out, size_t n, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	out[0] = '\0';
	sql_query(out, n, sql);
	out[strcspn(out, "\n")] = '\0';
}

/* a_phone: the k-th live resident with a mobile number no one else has
 * (and no account), so each test signs in as someone of its own. */
static void a_phone(int k, char phone[16], char name[64])
{
	sql_text(phone, 16,
		 "SELECT phone FROM residents r WHERE archived = 0 AND phone LIKE '1%%' AND"
		 " LENGTH(phone) = 11 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.resident_id ="
		 " r.id) AND (SELECT COUNT(*) FROM residents x WHERE x.phone = r.phone) = 1"
		 " ORDER BY id LIMIT 1 OFFSET %d;",
		 k);
	assert_int_equal(strlen(phone), 11);
	sql_text(name, 64, "SELECT name FROM residents WHERE phone = '%s';", phone);
}

/* csrf: the sign-in form's token from the last page c was given. */
static void csrf_from(const char *body, char out[128])
{
	const char *p = strstr(body, "name=\"_csrf\" value=\"");

	assert_non_null(p);
	p += strlen("name=\"_csrf\" value=\"");
	snprintf(out, 128, "%.*s", (int)strcspn(p, "\""), p);
}

/* post: a form post from c with the token of the page before; the body
 * into r. */
static long post(struct client *c, const char *path, const char *token, const char *fields,
		 struct response *r)
{
	char body[512];

	snprintf(body, sizeof(body), "_csrf=%s&%s", token, fields);
	assert_int_equal(
	    request(c, &srv, "POST", path, body, "application/x-www-form-urlencoded", NULL, r), 0);
	return r->status;
}

/* start: c opens /portal signed out; the form's token into token. */
static void start(struct client *c, char token[128])
{
	struct response r;

	client_init(c);
	assert_int_equal(request(c, &srv, "GET", "/portal", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "居民登录"));
	csrf_from(r.body, token);
	response_release(&r);
}

/* last_code: the newest code the server logged for phone ("" if none). */
static void last_code(const char *phone, char code[8])
{
	char path[300], line[512], tail[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/server.log", srv.dir);
	snprintf(tail, sizeof(tail), "portal.code to phone ...%s ", phone + 7);
	code[0] = '\0';
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "验证码是 ");
		if (p && strstr(line, tail))
			snprintf(code, 8, "%.6s", p + strlen("验证码是 "));
	}
	fclose(f);
}

/* send: asks a code for phone; the status, the code into code. */
static long send(struct client *c, char token[128], const char *phone, char code[8])
{
	struct response r;
	char fields[64];
	long status;

	snprintf(fields, sizeof(fields), "phone=%s", phone);
	status = post(c, "/portal/code", token, fields, &r);
	if (status == 200)
		csrf_from(r.body, token);
	response_release(&r);
	if (code)
		last_code(phone, code);
	return status;
}

/* try_code: signs in with code; the form's next token into token. */
static long try_code(struct client *c, char token[128], const char *phone, const char *code,
		     struct response *r)
{
	char fields[96];
	long status;

	snprintf(fields, sizeof(fields), "phone=%s&code=%s", phone, code);
	status = post(c, "/portal/signin", token, fields, r);
	if (strstr(r->body, "name=\"_csrf\""))
		csrf_from(r->body, token);
	return status;
}

/* wrong: a code that is not code. */
static void wrong(const char *code, char out[8])
{
	snprintf(out, 8, "%06ld", (strtol(code, NULL, 10) + 1) % 1000000);
}

static void test_signin(void **state)
{
	struct client c, other;
	struct response r;
	char phone[16], name[64], token[128], code[8], bad[8], masked[32], hello[128];

	(void)state;
	a_phone(0, phone, name);
	start(&c, token);
	/* a bad phone: refused in words, in both languages, no code */
	assert_int_equal(post(&c, "/portal/code", token, "phone=12345", &r), 422);
	assert_non_null(strstr(r.body, "手机号不对"));
	csrf_from(r.body, token);
	response_release(&r);
	{
		struct client en;
		char en_token[128];
		client_init(&en);
		/* pages speak English after the language link, as a reader's would */
		assert_int_equal(request(&en, &srv, "GET", "/lang?set=en", NULL, NULL, NULL, &r),
				 0);
		response_release(&r);
		assert_int_equal(request(&en, &srv, "GET", "/portal", NULL, NULL, NULL, &r), 0);
		csrf_from(r.body, en_token);
		response_release(&r);
		assert_int_equal(post(&en, "/portal/code", en_token, "phone=2345678901a", &r), 422);
		assert_non_null(strstr(r.body, "That is not a mobile number"));
		response_release(&r);
		client_release(&en);
	}
	assert_int_equal(sql_int("SELECT COUNT(*) FROM portal_codes;"), 0);
	/* without the form's token: refused */
	assert_int_equal(post(&c, "/portal/code", "x", "phone=13900000000", &r), 403);
	csrf_from(r.body, token);
	response_release(&r);

	/* the code is asked with spaces and +86; the page shows the phone masked */
	{
		char fields[64];
		snprintf(fields, sizeof(fields), "phone=%%2B86+%.3s+%s", phone, phone + 3);
		assert_int_equal(post(&c, "/portal/code", token, fields, &r), 200);
	}
	snprintf(masked, sizeof(masked), "<b>%.3s****%s</b>", phone, phone + 7);
	assert_non_null(strstr(r.body, masked));
	assert_non_null(strstr(r.body, "输入验证码"));
	csrf_from(r.body, token);
	response_release(&r);
	last_code(phone, code);
	assert_int_equal(strlen(code), 6);
	/* stored hashed: the code is nowhere in the table */
	assert_int_equal(sql_int("SELECT COUNT(*) FROM portal_codes WHERE code_hash LIKE '%%%s%%'"
				 " OR phone = '%s' AND LENGTH(code_hash) <> 64;",
				 code, phone),
			 0);

	/* a malformed code, then a wrong one: refused in words, no session */
	assert_int_equal(try_code(&c, token, phone, "12345", &r), 422);
	assert_non_null(strstr(r.body, "验证码是 6 位数字"));
	csrf_from(r.body, token);
	response_release(&r);
	wrong(code, bad);
	assert_int_equal(try_code(&c, token, phone, bad, &r), 401);
	assert_non_null(strstr(r.body, "验证码不对、已经用过或已过期"));
	assert_null(strstr(r.headers, "linli_session="));
	csrf_from(r.body, token);
	response_release(&r);

	/* the right one: a session with the role resident, to /portal */
	assert_int_equal(try_code(&c, token, phone, code, &r), 303);
	assert_non_null(strstr(r.headers, "linli_session="));
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", "/portal", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(hello, sizeof(hello), "您好，%s。", name);
	assert_non_null(strstr(r.body, hello));
	response_release(&r);
	/* the session holds the role resident, and no more */
	assert_int_equal(sql_int("SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id"
				 " JOIN residents r ON r.id = u.resident_id WHERE r.phone = '%s'"
				 " AND s.role <> 'resident';",
				 phone),
			 0);
	assert_int_equal(request(&c, &srv, "GET", "/cases", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 403);
	response_release(&r);
	/* the account made for them has no password and the role resident */
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM users u JOIN residents r ON r.id ="
		    " u.resident_id JOIN user_roles x ON x.user_id = u.id WHERE"
		    " r.phone = '%s' AND x.role = 'resident' AND u.password_hash = '!';",
		    phone),
	    1);

	/* the committee stops the account: a new code no longer signs in */
	sql_exec("UPDATE users SET disabled = 1 WHERE username LIKE 'tel-%';");
	{
		struct client d;
		char dtoken[128], dcode[8];
		start(&d, dtoken);
		assert_int_equal(send(&d, dtoken, phone, dcode), 200);
		assert_int_equal(try_code(&d, dtoken, phone, dcode, &r), 403);
		assert_non_null(strstr(r.body, "您的账号已停用"));
		assert_null(strstr(r.headers, "linli_session="));
		response_release(&r);
		client_release(&d);
	}
	sql_exec("UPDATE users SET disabled = 0 WHERE username LIKE 'tel-%';");

	/* spent: the same code again, from another browser, is refused */
	start(&other, token);
	assert_int_equal(try_code(&other, token, phone, code, &r), 401);
	assert_non_null(strstr(r.body, "验证码不对"));
	response_release(&r);
	client_release(&other);
	client_release(&c);
}

/* A phone on nobody's record is answered as any other, and given no code. */
static void test_unknown_phone(void **state)
{
	struct client c;
	char token[128], code[8];

	(void)state;
	assert_int_equal(sql_int("SELECT COUNT(*) FROM residents WHERE phone = '19999999999';"), 0);
	start(&c, token);
	assert_int_equal(send(&c, token, "19999999999", code), 200);
	assert_string_equal(code, "");
	assert_int_equal(sql_int("SELECT COUNT(*) FROM portal_codes WHERE phone = '19999999999';"),
			 0);
	client_release(&c);
}

static int cli_check(const char *phone, const char *code, long long at)
{
	char when[32], *out = NULL;
	int rc;

	snprintf(when, sizeof(when), "%lld", at);
	rc = run_cli(&srv, NULL, &out, "portal", "check", phone, code, "--at", when, NULL);
	free(out);
	return rc;
}

/* A code lives PORTAL_CODE_SECONDS (300): refused from its 300th second,
 * good in its 299th. The clock is the command line's --at, spending the
 * code as the sign-in does. */
static void test_expiry_edge(void **state)
{
	struct client c;
	char phone[16], name[64], token[128], code[8];
	long long t0, t1;

	(void)state;
	a_phone(1, phone, name);
	start(&c, token);
	t0 = (long long)time(NULL);
	assert_int_equal(send(&c, token, phone, code), 200);
	t1 = (long long)time(NULL);
	assert_int_equal(strlen(code), 6);
	/* expires_at lies in [t0 + 300, t1 + 300] */
	assert_int_not_equal(cli_check(phone, code, t1 + 300), 0);
	assert_int_equal(cli_check(phone, code, t0 + 299), 0);
	/* and once used, never again, even inside its life */
	assert_int_not_equal(cli_check(phone, code, t0 + 1), 0);
	client_release(&c);
}

/* Three codes an hour to one phone; five wrong codes spend a code; ten
 * wrong codes in an hour stop the phone. */
static void test_limits(void **state)
{
	struct client c;
	struct response r;
	char phone[16], name[64], token[128], code[8], bad[8];

	(void)state;
	a_phone(2, phone, name);
	start(&c, token);
	for (int i = 0; i < 3; i++)
		assert_int_equal(send(&c, token, phone, NULL), 200);
	{
		char fields[64];
		snprintf(fields, sizeof(fields), "phone=%s", phone);
		assert_int_equal(post(&c, "/portal/code", token, fields, &r), 429);
	}
	assert_non_null(strstr(r.body, "验证码发得太多了"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM portal_codes WHERE phone = '%s';", phone),
			 3);
	client_release(&c);

	/* another phone: five wrong codes spend its code */
	a_phone(3, phone, name);
	start(&c, token);
	assert_int_equal(send(&c, token, phone, code), 200);
	wrong(code, bad);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(try_code(&c, token, phone, bad, &r), 401);
		response_release(&r);
	}
	assert_int_equal(try_code(&c, token, phone, code, &r), 401);
	response_release(&r);
	/* a new code, five more wrong: ten this hour, and the phone is stopped */
	assert_int_equal(send(&c, token, phone, code), 200);
	wrong(code, bad);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(try_code(&c, token, phone, bad, &r), 401);
		response_release(&r);
	}
	/* the ninth wrong one leaves the phone one short of the limit */
	assert_int_equal(try_code(&c, token, phone, bad, &r), 401);
	response_release(&r);
	assert_int_equal(try_code(&c, token, phone, code, &r), 429);
	assert_non_null(strstr(r.body, "输错的次数太多了"));
	assert_null(strstr(r.headers, "linli_session="));
	response_release(&r);
	client_release(&c);
}

/* With an SMS sender set (linli sms URL), the code goes through
 * the outbox to it, with the phone, and no longer into the log; a sender
 * that is not http(s), or has no host, is refused. */
static void test_sms_outbox(void **state)
{
	struct client c;
	char phone[16], name[64], token[128], code[8], *out = NULL, payload[512];

	(void)state;
	assert_int_not_equal(run_cli(&srv, NULL, &out, "sms", "ftp://x", NULL), 0);
	free(out);
	/* no host: every text would be refused later, so it is refused now */
	assert_int_not_equal(run_cli(&srv, NULL, &out, "sms", "http://", NULL), 0);
	assert_non_null(strstr(out, "http://"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "sms", "http://127.0.0.1:9/sms", NULL), 0);
	free(out);
	a_phone(4, phone, name);
	start(&c, token);
	assert_int_equal(send(&c, token, phone, code), 200);
	assert_string_equal(code, ""); /* not in the log */
	sql_text(payload, sizeof(payload),
		 "SELECT payload FROM outbox WHERE target = 'http://127.0.0.1:9/sms' ORDER BY id"
		 " DESC LIMIT 1;");
	assert_non_null(strstr(payload, "\"event\":\"portal.code\""));
	assert_non_null(strstr(payload, phone));
	assert_non_null(strstr(payload, "验证码"));
	assert_int_equal(run_cli(&srv, NULL, &out, "sms", "none", NULL), 0);
	free(out);
	client_release(&c);
}

/* portal_of: the page and the JSON user sees. */
static void portal_of(const char *user, char **page, char **json)
{
	struct client c;
	struct response r;

	login_as(&c, user);
	assert_int_equal(request(&c, &srv, "GET", "/portal", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	*page = strdup(r.body);
	response_release(&r);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/me/portal", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	*json = strdup(r.body);
	response_release(&r);
	client_release(&c);
}

/* The pet owner files a report and registers for an event; their page
 * shows the report with its state, the registration, their pets with the
 * licence's day; the volunteer's shows their duties and hours; neither
 * sees the other's, and a signed-out reader gets no JSON. */
static void test_page_and_privacy(void **state)
{
	struct client c;
	struct response r;
	char *page, *json, pet[64], licence[16], title[128], path[96], want[256];
	long long event;

	(void)state;
	login_as(&c, "petowner");
	assert_int_equal(api(&c, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"repair\",\"description\":\"PORTAL-own 楼道灯坏了\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	event = sql_int("SELECT id FROM events WHERE cancelled = 0 AND audience = 'all' AND"
			" opens_at <= %lld AND closes_at > %lld AND registered < capacity AND"
			" starts_at > %lld ORDER BY starts_at, id LIMIT 1;",
			(long long)time(NULL), (long long)time(NULL), (long long)time(NULL));
	assert_true(event > 0);
	sql_text(title, sizeof(title), "SELECT title FROM events WHERE id = %lld;", event);
	snprintf(path, sizeof(path), "/api/v1/events/%lld/registrations", event);
	assert_int_equal(
	    api(&c, &srv, "POST", path, "{\"name\":\"郭宝建\",\"phone\":\"13027101985\"}", &r), 0);
	assert_true(r.status == 201 || r.status == 200);
	response_release(&r);
	client_release(&c);
	sql_text(pet, sizeof(pet),
		 "SELECT p.name FROM pets p JOIN residents r ON r.household_id = p.household_id"
		 " JOIN users u ON u.resident_id = r.id WHERE u.username = 'petowner' AND"
		 " p.archived = 0 ORDER BY p.id LIMIT 1;");
	sql_text(licence, sizeof(licence),
		 "SELECT COALESCE(licence_expires_on, '') FROM pets WHERE name = '%s' ORDER BY id"
		 " LIMIT 1;",
		 pet);
	assert_true(strlen(pet) > 0);

	portal_of("petowner", &page, &json);
	assert_non_null(strstr(page, "PORTAL-own 楼道灯坏了"));
	assert_non_null(strstr(page, "<span class=\"state state-submitted\">已提交</span>"));
	snprintf(want, sizeof(want), "<a href=\"/events/%lld\"><b>%s</b> <span class=\"badge\">",
		 event, title);
	assert_non_null(strstr(page, want));
	snprintf(want, sizeof(want), "<li><b>%s</b>", pet);
	assert_non_null(strstr(page, want));
	if (licence[0]) {
		snprintf(want, sizeof(want), "犬证有效到 %s", licence);
		assert_non_null(strstr(page, want));
	}
	assert_non_null(strstr(page, "id=\"portal-notices\""));
	assert_non_null(strstr(json, "\"reports\":["));
	assert_non_null(strstr(json, "PORTAL-own"));
	free(page);
	free(json);

	/* the volunteer: duties and hours; nothing of the pet owner's */
	portal_of("volunteer", &page, &json);
	assert_non_null(strstr(page, "id=\"portal-duty\""));
	assert_non_null(strstr(page, "今年服务"));
	assert_non_null(strstr(json, "\"volunteer_id\":"));
	assert_null(strstr(page, "PORTAL-own"));
	assert_null(strstr(json, "PORTAL-own"));
	assert_null(strstr(page, want)); /* the pet's line */
	snprintf(want, sizeof(want), "\"event_id\":%lld,", event);
	assert_null(strstr(json, want));
	free(page);
	free(json);

	/* staff have no resident: a plain note, and the notices */
	portal_of("staff", &page, &json);
	assert_non_null(strstr(page, "id=\"portal-no-resident\""));
	assert_non_null(strstr(json, "\"resident\":null"));
	assert_null(strstr(page, "PORTAL-own"));
	free(page);
	free(json);

	/* signed out: no JSON */
	client_init(&c);
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/me/portal", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	client_release(&c);
}

/* The front page lists a resident's newest reports and links the portal
 * for the rest. */
static void test_front_links_portal(void **state)
{
	struct client c;
	struct response r;

	(void)state;
	login_as(&c, "petowner");
	assert_int_equal(request(&c, &srv, "GET", "/", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "href=\"/portal\""));
	response_release(&r);
	client_release(&c);
	/* and a passer-by is shown the door to the phone's sign-in */
	client_init(&c);
	assert_int_equal(request(&c, &srv, "GET", "/", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "href=\"/portal\">用手机号登录"));
	response_release(&r);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signin),	     cmocka_unit_test(test_unknown_phone),
	    cmocka_unit_test(test_expiry_edge),	     cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_page_and_privacy), cmocka_unit_test(test_front_links_portal),
	    cmocka_unit_test(test_sms_outbox),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
