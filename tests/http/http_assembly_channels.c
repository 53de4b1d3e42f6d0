/* HTTP tests of how ballots come in besides the door visits, against the
 * real server: an assembly of one building of the demo, opened through the
 * product's API. Printed sheets (the owner's name masked per the area's
 * setting, a QR code that reads back as the vote's address, a reprint
 * voiding the old code); the public online vote (the right name and last
 * four ID digits count once; one digit off, a used code, a void code, a
 * part without a real-name record, too many failures, after closing: each
 * refused in words and logged); paper sheets entered twice (the same
 * person twice refused, a mismatch blocks and counts nothing until a
 * third person resolves it with a note); proxies (a sheet through no live
 * entrustment refused and logged; through one, counted as the proxy's);
 * closing time at the second (a sheet back at closes_at refused and
 * logged, one second before counted). */
#include "checks.h"
#include "upload.h"
#include "../qr_read.h"

#include <curl/curl.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

static long long assembly;   /* the assembly under test */
static long long part[10];   /* parts of its roll, by unit */
static char owner[10][96];   /* their owners' names as registered */
static long long m1, m2;     /* its matters: M1 (item 4), M2 (item 6) */
static struct client staff;  /* three committee members, signed in */
static struct client second; /* ... the secretary */
static struct client third;  /* ... the admin */

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int teardown(void **state)
{
	client_release(&staff);
	client_release(&second);
	client_release(&third);
	return srv_teardown(state);
}

/* expect_api: a JSON call as c, the status asserted; the body returned
 * (caller frees). */
static char *expect_api(struct client *c, const char *method, const char *path, const char *json,
			long want)
{
	struct response r;
	char *out;

	assert_int_equal(api(c, &srv, method, path, json, &r), 0);
	if (r.status != want)
		fail_msg("%s %s: got %ld (%.400s), want %ld", method, path, r.status, r.body, want);
	out = strdup(r.body ? r.body : "");
	response_release(&r);
	return out;
}

/* post_form: an urlencoded POST as c (its CSRF token added when signed
 * in); body is "k=v&..." already encoded. */
static void post_form(struct client *c, const char *path, const char *body, struct response *r)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s%s", c->csrf[0] ? "_csrf=" : "", c->csrf,
		 c->csrf[0] ? "&" : "");
	snprintf(full + strlen(full), sizeof(full) - strlen(full), "%s", body);
	assert_int_equal(
	    request(c, &srv, "POST", path, full, "application/x-www-form-urlencoded", NULL, r), 0);
}

static const char *enc(const char *s)
{
	static char out[4][512];
	static int k;
	char *e = curl_easy_escape(NULL, s, 0);

	k = (k + 1) % 4;
	snprintf(out[k], sizeof(out[k]), "%s", e);
	curl_free(e);
	return out[k];
}

/* id_check: the keyed hash the server keeps of name and last4, made here
 * from the audit key file as internal.h specifies it (BLAKE2b of "name\n
 * last4" under the audit key's subkey for "assembly-id-check"). */
static void id_check(const char *name, const char *last4, char out[65])
{
	const char *path = getenv("LINLI_AUDIT_KEY");
	unsigned char key[32], sub[32], mac[32];
	char line[256], msg[256];
	size_t n = strlen(name);
	FILE *f = fopen(path && *path ? path : "audit.key", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "key=", 4))
			assert_int_equal(sodium_hex2bin(key, 32, line + 4, 64, NULL, NULL, NULL),
					 0);
	fclose(f);
	crypto_generichash(sub, 32, (const unsigned char *)"assembly-id-check", 17, key, 32);
	memcpy(msg, name, n);
	msg[n] = '\n';
	memcpy(msg + n + 1, last4, 4);
	crypto_generichash(mac, 32, (const unsigned char *)msg, n + 5, sub, 32);
	sodium_bin2hex(out, 65, mac, 32);
}

static void set_id_check(int k, const char *last4)
{
	char check[65], sql[256];

	id_check(owner[k], last4, check);
	snprintf(sql, sizeof(sql), "UPDATE assembly_parts SET id_check = '%s' WHERE id = %lld;",
		 check, part[k]);
	sql_exec(sql);
}

static void test_setup(void **state)
{
	char json[512], sql[256], out[128], *body;
	long long building, now = (long long)time(NULL);

	(void)state;
	login_as(&staff, "staff");
	login_as(&second, "secretary");
	login_as(&third, "admin");
	sql_query(out, sizeof(out),
		  "SELECT id FROM buildings WHERE name = '1号楼' ORDER BY id LIMIT 1;");
	building = atoll(out);
	assert_true(building > 0);
	sql_query(out, sizeof(out),
		  "SELECT compound_id FROM buildings WHERE name = '1号楼' ORDER BY id LIMIT 1;");
	snprintf(json, sizeof(json),
		 "{\"compound_id\":%s,\"title\":\"续聘物业与筹集维修资金\",\"buildings\":[%lld]}",
		 out, building);
	body = expect_api(&third, "POST", "/api/v1/assemblies", json, 201);
	assembly = json_int(body, "id");
	free(body);
	snprintf(sql, sizeof(sql), "/api/v1/assemblies/%lld/roll", assembly);
	free(expect_api(&third, "POST", sql, "{}", 200));
	snprintf(sql, sizeof(sql), "/api/v1/assemblies/%lld/matters", assembly);
	body = expect_api(&third, "POST", sql,
			  "{\"code\":\"M1\",\"item\":4,\"title\":\"续聘物业服务企业\"}", 201);
	m1 = json_int(body, "id");
	free(body);
	body = expect_api(&third, "POST", sql,
			  "{\"code\":\"M2\",\"item\":6,\"title\":\"筹集维修资金\"}", 201);
	m2 = json_int(body, "id");
	free(body);
	for (int k = 0; k < 10; k++) {
		snprintf(
		    sql, sizeof(sql),
		    "SELECT id FROM assembly_parts WHERE assembly_id = %lld ORDER BY id LIMIT 1 "
		    "OFFSET %d;",
		    assembly, k);
		sql_query(out, sizeof(out), sql);
		part[k] = atoll(out);
		assert_true(part[k] > 0);
		snprintf(sql, sizeof(sql), "SELECT owner_name FROM assembly_parts WHERE id = %lld;",
			 part[k]);
		sql_query(owner[k], sizeof(owner[k]), sql);
		assert_true(strlen(owner[k]) > 3);
	}
	/* the real-name records the property register would bring */
	set_id_check(0, "1234");
	set_id_check(1, "567X");
	set_id_check(2, "0000");
	snprintf(sql, sizeof(sql), "/api/v1/assemblies/%lld/publish", assembly);
	snprintf(json, sizeof(json), "{\"published_at\":%lld,\"closes_at\":%lld}", now - 20 * 86400,
		 now + 3600);
	free(expect_api(&third, "POST", sql, json, 200));
	snprintf(sql, sizeof(sql), "/api/v1/assemblies/%lld/open", assembly);
	free(expect_api(&third, "POST", sql, "{}", 200));
}

/* print: the sheets of one part ("all" for every part) as staff print
 * them; the answer's body (caller frees). */
static char *print(const char *which, long want)
{
	char path[96], body[64];
	struct response r;
	char *out;

	snprintf(path, sizeof(path), "/assemblies/%lld/sheets", assembly);
	snprintf(body, sizeof(body), "part=%s", which);
	post_form(&staff, path, body, &r);
	if (r.status != want)
		fail_msg("print %s: %ld %.300s", which, r.status, r.body);
	out = strdup(r.body);
	response_release(&r);
	return out;
}

static char *print_part(int k)
{
	char which[32];
	snprintf(which, sizeof(which), "%lld", part[k]);
	return print(which, 200);
}

/* code_of: the code the sheet's QR code carries, read back as a phone
 * would. */
static void code_of(const char *sheet, char code[64])
{
	char url[512];
	const char *p;

	assert_int_equal(qr_read(sheet, url, sizeof(url)), 0);
	p = strstr(url, "/assembly/vote?code=");
	assert_non_null(p);
	snprintf(code, 64, "%s", p + strlen("/assembly/vote?code="));
	assert_int_equal(strlen(code), 20);
	/* and printed beneath it in groups of five */
	{
		char grouped[32];
		snprintf(grouped, sizeof(grouped), "%.5s %.5s %.5s %.5s", code, code + 5, code + 10,
			 code + 15);
		assert_non_null(strstr(sheet, grouped));
	}
}

/* set_mask: the area's name mask, set as an operator would (the ballot
 * roles left at their default). */
static void set_mask(const char *mask)
{
	char *out = NULL;
	int rc = run_cli(&srv, NULL, &out, "assembly", "settings", "--ballot-roles",
			 "admin,secretary", "--name-mask", mask, NULL);

	if (rc)
		fail_msg("assembly settings: %s", out);
	free(out);
}

static void test_sheets_mask_names_and_carry_a_code(void **state)
{
	char surname[16], code[64], *sheet;
	int nparts;

	(void)state;
	/* every part, one A4 sheet each */
	sheet = print("all", 200);
	nparts = count(sheet, "<article class=\"ballot-sheet\"");
	assert_true(nparts >= 10);
	assert_int_equal(count(sheet, "<svg class=\"qr\""), nparts);
	assert_non_null(strstr(sheet, "续聘物业服务企业"));
	assert_non_null(strstr(sheet, "筹集维修资金"));
	free(sheet);

	/* the default: the surname and two stars */
	snprintf(surname, sizeof(surname), "%.3s**", owner[0]);
	sheet = print_part(0);
	assert_int_equal(count(sheet, "<article class=\"ballot-sheet\""), 1);
	assert_non_null(strstr(sheet, surname));
	assert_null(strstr(sheet, owner[0]));
	code_of(sheet, code);
	free(sheet);
	/* full */
	set_mask("full");
	sheet = print_part(0);
	assert_non_null(strstr(sheet, owner[0]));
	free(sheet);
	/* none: no name at all */
	set_mask("none");
	sheet = print_part(0);
	assert_null(strstr(sheet, owner[0]));
	assert_null(strstr(sheet, surname));
	free(sheet);
	set_mask("surname");
	/* a part not on the roll */
	free(print("999999999", 422));
}

/* vote: the public vote as an anonymous phone: code, name, last4 and
 * choices; the answer in r. */
static void vote(const char *code, const char *name, const char *last4, const char *m1c,
		 const char *m2c, struct response *r)
{
	struct client anon;
	char body[1024];

	client_init(&anon);
	snprintf(body, sizeof(body), "code=%s&name=%s&last4=%s&m%lld=%s&m%lld=%s", enc(code),
		 enc(name), enc(last4), m1, m1c, m2, m2c);
	post_form(&anon, "/assembly/vote", body, r);
	client_release(&anon);
}

/* ballots: the ballot record (as the admin, whom ballot_roles allow). */
static char *ballots(void)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/ballots", assembly);
	return expect_api(&third, "GET", path, NULL, 200);
}

static char *refusals(void)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/assemblies/%lld/refusals", assembly);
	return expect_api(&third, "GET", path, NULL, 200);
}

/* ballots_of: how many ballot rows part k has, and of them by channel. */
static int ballots_of(const char *record, int k, const char *channel)
{
	char needle[96];
	int n = 0;
	const char *p = record;

	snprintf(needle, sizeof(needle), "\"part_id\":%lld,", part[k]);
	while ((p = strstr(p, needle))) {
		const char *end = strchr(p, '}');
		const char *ch = strstr(p, "\"channel\":\"");
		if (!channel || (ch && ch < end && !strncmp(ch + 11, channel, strlen(channel))))
			n++;
		p += strlen(needle);
	}
	return n;
}

static int refusals_of(const char *log, int k, const char *reason)
{
	char needle[96];
	int n = 0;
	const char *p = log;

	snprintf(needle, sizeof(needle), "\"part_id\":%lld,", part[k]);
	while ((p = strstr(p, needle))) {
		const char *end = strchr(p, '}');
		const char *r = strstr(p, "\"reason\":\"");
		if (r && r < end && !strncmp(r + 10, reason, strlen(reason)))
			n++;
		p += strlen(needle);
	}
	return n;
}

static void test_online_vote(void **state)
{
	char code[64], old[64], path[128], *sheet, *record, *log;
	struct client anon;
	struct response r;

	(void)state;
	sheet = print_part(0);
	code_of(sheet, old);
	free(sheet);
	/* a reprint voids the old code */
	sheet = print_part(0);
	code_of(sheet, code);
	free(sheet);
	assert_string_not_equal(old, code);
	client_init(&anon);
	snprintf(path, sizeof(path), "/assembly/vote?code=%s", old);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "已作废"));
	response_release(&r);
	/* and in English, for a reader who chose it */
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, "Cookie: lang=en", &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "This code is void"));
	response_release(&r);
	/* the live code opens the form, no sign-in */
	snprintf(path, sizeof(path), "/assembly/vote?code=%s", code);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "name=\"last4\""));
	assert_non_null(strstr(r.body, "续聘物业服务企业"));
	assert_null(strstr(r.body, owner[0])); /* the form asks; it does not tell */
	response_release(&r);
	/* an unknown code */
	assert_int_equal(request(&anon, &srv, "GET", "/assembly/vote?code=ABCDEFGHJKMNPQRSTVWX",
				 NULL, NULL, NULL, &r),
			 0);
	assert_int_equal(r.status, 404);
	assert_non_null(strstr(r.body, "表决码无效"));
	response_release(&r);
	client_release(&anon);

	/* one digit off: refused in words, logged, nothing cast */
	vote(code, owner[0], "1235", "agree", "oppose", &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "不符"));
	response_release(&r);
	/* another name */
	vote(code, "某某某", "1234", "agree", "oppose", &r);
	assert_int_equal(r.status, 403);
	response_release(&r);
	/* not four digits: asked again, not counted as a failure */
	vote(code, owner[0], "12", "agree", "oppose", &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "后四位"));
	response_release(&r);
	record = ballots();
	assert_int_equal(ballots_of(record, 0, NULL), 0);
	free(record);
	log = refusals();
	assert_int_equal(refusals_of(log, 0, "name_mismatch"), 2);
	free(log);

	/* right: counted, the code spent */
	vote(code, owner[0], "1234", "agree", "oppose", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "已计入"));
	response_release(&r);
	record = ballots();
	assert_int_equal(ballots_of(record, 0, "online"), 2);
	free(record);
	/* the same code again: refused and logged */
	vote(code, owner[0], "1234", "oppose", "oppose", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "已使用过"));
	response_release(&r);
	record = ballots();
	assert_int_equal(ballots_of(record, 0, NULL), 2);
	free(record);
	log = refusals();
	assert_int_equal(refusals_of(log, 0, "code_used"), 1);
	free(log);

	/* X as the last character, in lower case */
	sheet = print_part(1);
	code_of(sheet, code);
	free(sheet);
	vote(code, owner[1], "567x", "abstain", "", &r);
	assert_int_equal(r.status, 200);
	response_release(&r);
	record = ballots();
	assert_int_equal(ballots_of(record, 1, "online"), 1);
	free(record);

	/* a part without a real-name record cannot vote online */
	sheet = print_part(3);
	code_of(sheet, code);
	free(sheet);
	vote(code, owner[3], "1234", "agree", "agree", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "实名核验"));
	response_release(&r);

	/* five failures rest the code, even for the right answer */
	sheet = print_part(2);
	code_of(sheet, code);
	free(sheet);
	for (int i = 0; i < 5; i++) {
		vote(code, owner[2], "0001", "agree", "agree", &r);
		assert_int_equal(r.status, 403);
		response_release(&r);
	}
	vote(code, owner[2], "0000", "agree", "agree", &r);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body, "15 分钟"));
	response_release(&r);
	record = ballots();
	assert_int_equal(ballots_of(record, 2, NULL), 0);
	free(record);
}

/* receive: a returned sheet recorded by c; the sheet's id (0 when
 * refused, r's status then in *status). */
static long long receive(struct client *c, int k, long long proxy, long long at, long *status,
			 char *body, size_t n)
{
	char path[96], form[256], loc[256];
	struct response r;
	long long id = 0;

	snprintf(path, sizeof(path), "/assemblies/%lld/paper", assembly);
	if (proxy)
		snprintf(form, sizeof(form), "part=%lld&proxy=%lld&received_at=%lld", part[k],
			 proxy, at);
	else
		snprintf(form, sizeof(form), "part=%lld&proxy=&received_at=%lld", part[k], at);
	post_form(c, path, form, &r);
	*status = r.status;
	if (body)
		snprintf(body, n, "%s", r.body);
	if (r.status == 303 && header_value(&r, "Location", loc, sizeof(loc)))
		id = atoll(strrchr(loc, '/') + 1);
	response_release(&r);
	return id;
}

/* enter: c's entry of sheet id; the status, the body into out. */
static long enter(struct client *c, long long id, const char *c1, const char *c2, const char *note,
		  char *out, size_t n)
{
	char path[96], form[512];
	struct response r;
	long status;

	snprintf(path, sizeof(path), "/assemblies/%lld/paper/%lld", assembly, id);
	snprintf(form, sizeof(form), "m%lld=%s&m%lld=%s&note=%s", m1, c1, m2, c2,
		 enc(note ? note : ""));
	post_form(c, path, form, &r);
	status = r.status;
	if (out)
		snprintf(out, n, "%s", r.body);
	response_release(&r);
	return status;
}

static char *sheet_page(struct client *c, long long id)
{
	char path[96];
	struct response r;
	char *out;

	snprintf(path, sizeof(path), "/assemblies/%lld/paper/%lld", assembly, id);
	assert_int_equal(request(c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	out = strdup(r.body);
	response_release(&r);
	return out;
}

static void test_paper_entered_twice(void **state)
{
	long long now = (long long)time(NULL), id;
	char body[8192], *page, *record;
	long status;

	(void)state;
	/* equal entries by two people count */
	id = receive(&staff, 4, 0, now, &status, NULL, 0);
	assert_int_equal(status, 303);
	assert_true(id > 0);
	assert_int_equal(enter(&staff, id, "agree", "oppose", NULL, NULL, 0), 303);
	/* the same person again: refused in words */
	assert_int_equal(enter(&staff, id, "agree", "oppose", NULL, body, sizeof(body)), 403);
	assert_non_null(strstr(body, "另一位工作人员"));
	record = ballots();
	assert_int_equal(ballots_of(record, 4, NULL), 0); /* one entry counts nothing */
	free(record);
	page = sheet_page(&staff, id);
	assert_non_null(strstr(page, "须由另一位工作人员完成第二次录入"));
	free(page);
	assert_int_equal(enter(&second, id, "agree", "oppose", NULL, NULL, 0), 303);
	record = ballots();
	assert_int_equal(ballots_of(record, 4, "paper"), 2);
	{
		char at[64];
		snprintf(at, sizeof(at), "\"cast_at\":%lld", now);
		assert_non_null(strstr(record, at)); /* when it came back */
	}
	free(record);
	/* a counted sheet takes no more entries */
	assert_int_equal(enter(&third, id, "oppose", "oppose", "x", body, sizeof(body)), 409);

	/* different entries block the sheet, which then counts nothing */
	id = receive(&staff, 5, 0, now, &status, NULL, 0);
	assert_true(id > 0);
	assert_int_equal(enter(&staff, id, "agree", "oppose", NULL, NULL, 0), 303);
	assert_int_equal(enter(&second, id, "agree", "abstain", NULL, NULL, 0), 303);
	record = ballots();
	assert_int_equal(ballots_of(record, 5, NULL), 0);
	free(record);
	page = sheet_page(&third, id);
	assert_non_null(strstr(page, "两次录入不一致"));
	assert_int_equal(count(page, "class=\"differs\""), 1); /* M2 only, side by side */
	assert_non_null(strstr(page, "staff"));
	assert_non_null(strstr(page, "secretary"));
	assert_non_null(strstr(page, "name=\"note\""));
	free(page);
	/* neither who entered may decide */
	assert_int_equal(enter(&second, id, "agree", "abstain", "看原件", body, sizeof(body)), 403);
	assert_non_null(strstr(body, "第三人"));
	/* the third needs a note */
	assert_int_equal(enter(&third, id, "agree", "abstain", "", body, sizeof(body)), 422);
	assert_non_null(strstr(body, "裁定理由"));
	record = ballots();
	assert_int_equal(ballots_of(record, 5, NULL), 0);
	free(record);
	assert_int_equal(enter(&third, id, "agree", "abstain", "原件第二项勾选弃权", NULL, 0), 303);
	record = ballots();
	assert_int_equal(ballots_of(record, 5, "paper"), 2);
	assert_non_null(strstr(record, "\"choice\":\"abstain\""));
	free(record);
	page = sheet_page(&third, id);
	assert_non_null(strstr(page, "原件第二项勾选弃权"));
	assert_non_null(strstr(page, "已计入"));
	free(page);
	/* a time in the future is refused */
	receive(&staff, 6, 0, now + 3000, &status, body, sizeof(body));
	assert_int_equal(status, 422);
	assert_non_null(strstr(body, "收回时间"));
}

static void test_proxies(void **state)
{
	long long now = (long long)time(NULL), id, proxy;
	char path[128], body[8192], *record, *log, *page;
	unsigned char png[512];
	struct response r;
	struct form f = {0};
	long status;

	(void)state;
	/* a proxy without entrustment: refused and logged */
	id = receive(&staff, 7, 999999999, now, &status, body, sizeof(body));
	assert_int_equal(status, 422);
	assert_int_equal(id, 0);
	assert_non_null(strstr(body, "书面委托"));
	log = refusals();
	assert_int_equal(refusals_of(log, 7, "no_proxy"), 1);
	free(log);
	/* the written entrustment, with the photo of the signed paper */
	form_field(&f, "_csrf", staff.csrf);
	snprintf(path, sizeof(path), "%lld", part[7]);
	form_field(&f, "part", path);
	form_field(&f, "proxy_name", "王小明");
	form_field(&f, "relation", "儿子");
	form_field(&f, "instructions", "第一项同意，第二项反对");
	form_file(&f, "photo", "entrustment.png", "image/png", png, make_png(png));
	form_end(&f);
	snprintf(path, sizeof(path), "/assemblies/%lld/proxies", assembly);
	assert_int_equal(form_post(&staff, &srv, path, &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	/* without a photo: refused */
	memset(&f, 0, sizeof(f));
	form_field(&f, "_csrf", staff.csrf);
	snprintf(body, sizeof(body), "%lld", part[8]);
	form_field(&f, "part", body);
	form_field(&f, "proxy_name", "李四");
	form_end(&f);
	assert_int_equal(form_post(&staff, &srv, path, &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "委托书照片"));
	response_release(&r);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "王小明"));
	assert_null(strstr(r.body, "李四"));
	page = strstr(r.body, "id=\"proxy-");
	assert_non_null(page);
	proxy = atoll(page + strlen("id=\"proxy-"));
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/proxies/%lld/photo", assembly, proxy);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.headers, "image/jpeg"));
	response_release(&r);
	/* the entrustment is for part 7, not part 8 */
	receive(&staff, 8, proxy, now, &status, NULL, 0);
	assert_int_equal(status, 422);
	/* through it: counted as the proxy's ballot */
	id = receive(&staff, 7, proxy, now, &status, NULL, 0);
	assert_int_equal(status, 303);
	assert_int_equal(enter(&staff, id, "agree", "oppose", NULL, NULL, 0), 303);
	assert_int_equal(enter(&second, id, "agree", "oppose", NULL, NULL, 0), 303);
	record = ballots();
	assert_int_equal(ballots_of(record, 7, "proxy"), 2);
	free(record);
	/* revoked, it carries no more sheets */
	snprintf(path, sizeof(path), "/assemblies/%lld/proxies/%lld/revoke", assembly, proxy);
	post_form(&staff, path, "", &r);
	assert_int_equal(r.status, 303);
	response_release(&r);
	receive(&staff, 7, proxy, now, &status, NULL, 0);
	assert_int_equal(status, 422);
	log = refusals();
	assert_int_equal(refusals_of(log, 7, "no_proxy"), 2);
	free(log);
}

static void test_closing_time(void **state)
{
	long long now = (long long)time(NULL), closes = now - 100, id;
	char sql[256], body[8192], code[64], *sheet, *record, *log;
	struct response r;
	long status;

	(void)state;
	sheet = print_part(9);
	snprintf(sql, sizeof(sql),
		 "UPDATE assemblies SET opened_at = %lld, closes_at = %lld WHERE id = %lld;",
		 now - 1000, closes, assembly);
	set_id_check(9, "4321");
	code_of(sheet, code);
	free(sheet);
	sql_exec(sql);
	/* back at closes_at exactly: refused and logged */
	id = receive(&staff, 8, 0, closes, &status, body, sizeof(body));
	assert_int_equal(status, 409);
	assert_int_equal(id, 0);
	assert_non_null(strstr(body, "截止"));
	log = refusals();
	assert_int_equal(refusals_of(log, 8, "closed"), 1);
	free(log);
	/* one second before: counted */
	id = receive(&staff, 8, 0, closes - 1, &status, NULL, 0);
	assert_int_equal(status, 303);
	assert_int_equal(enter(&staff, id, "oppose", "oppose", NULL, NULL, 0), 303);
	assert_int_equal(enter(&second, id, "oppose", "oppose", NULL, NULL, 0), 303);
	record = ballots();
	assert_int_equal(ballots_of(record, 8, "paper"), 2);
	free(record);
	/* online after closing: refused and logged, even with the right name */
	vote(code, owner[9], "4321", "agree", "agree", &r);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "截止"));
	response_release(&r);
	record = ballots();
	assert_int_equal(ballots_of(record, 9, NULL), 0);
	free(record);
	log = refusals();
	assert_int_equal(refusals_of(log, 9, "closed"), 1);
	free(log);
	/* no more sheets can be printed once it is closed */
	snprintf(sql, sizeof(sql), "/api/v1/assemblies/%lld/close", assembly);
	free(expect_api(&third, "POST", sql, "{}", 200));
	free(print("all", 409));
	/* the chain holds every ballot, entry and refusal */
	{
		char *out = NULL;
		int rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);
		if (rc)
			fail_msg("audit verify: %s", out);
		free(out);
	}
}

/* The demo's open assembly lets a reader try the online vote: four parts
 * have a real-name record, the first owner named on the roll with the
 * invented last four digits 0000 (docs/assembly.md, The demo). */
static void test_demo_online_vote(void **state)
{
	char out[128], sql[256], name[96], path[96], body[1024], code[64], *sheet, *cut;
	long long demo, demo_part, dm[2];
	struct client anon;
	struct response r;

	(void)state;
	sql_query(out, sizeof(out),
		  "SELECT id FROM assemblies WHERE title = '五月花小区2026年第二次业主大会';");
	demo = atoll(out);
	assert_true(demo > 0);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = %lld AND id_check <> '';",
		 demo);
	sql_query(out, sizeof(out), sql);
	assert_int_equal(atoll(out), 4);
	snprintf(sql, sizeof(sql),
		 "SELECT id FROM assembly_parts WHERE assembly_id = %lld AND id_check <> '' "
		 "ORDER BY id LIMIT 1 OFFSET 1;",
		 demo);
	sql_query(out, sizeof(out), sql);
	demo_part = atoll(out);
	snprintf(sql, sizeof(sql), "SELECT owner_name FROM assembly_parts WHERE id = %lld;",
		 demo_part);
	sql_query(name, sizeof(name), sql);
	cut = strstr(name, "、");
	if (cut)
		*cut = '\0'; /* the first owner named */
	for (int k = 0; k < 2; k++) {
		snprintf(sql, sizeof(sql),
			 "SELECT id FROM assembly_matters WHERE assembly_id = %lld ORDER BY "
			 "position, id LIMIT 1 OFFSET %d;",
			 demo, k);
		sql_query(out, sizeof(out), sql);
		dm[k] = atoll(out);
	}
	/* the four are marked among the sheets to print and on the roll */
	snprintf(path, sizeof(path), "/assemblies/%lld/sheets", demo);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(count(r.body, "可网上表决"), 4);
	response_release(&r);
	snprintf(path, sizeof(path), "/assemblies/%lld/roll", demo);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(count(r.body, "可网上表决"), 4);
	response_release(&r);
	/* staff print the part's sheet; the phone reads its QR code */
	snprintf(path, sizeof(path), "/assemblies/%lld/sheets", demo);
	snprintf(body, sizeof(body), "part=%lld", demo_part);
	post_form(&staff, path, body, &r);
	assert_int_equal(r.status, 200);
	sheet = strdup(r.body);
	response_release(&r);
	code_of(sheet, code);
	free(sheet);
	client_init(&anon);
	snprintf(body, sizeof(body), "code=%s&name=%s&last4=1234&m%lld=agree&m%lld=agree", code,
		 enc(name), dm[0], dm[1]);
	post_form(&anon, "/assembly/vote", body, &r);
	assert_int_equal(r.status, 403); /* not the demo's digits */
	response_release(&r);
	snprintf(body, sizeof(body), "code=%s&name=%s&last4=0000&m%lld=agree&m%lld=agree", code,
		 enc(name), dm[0], dm[1]);
	post_form(&anon, "/assembly/vote", body, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "已计入"));
	response_release(&r);
	client_release(&anon);
	snprintf(
	    sql, sizeof(sql),
	    "SELECT COUNT(*) FROM assembly_ballots WHERE part_id = %lld AND channel = 'online';",
	    demo_part);
	sql_query(out, sizeof(out), sql);
	assert_int_equal(atoll(out), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup),
	    cmocka_unit_test(test_sheets_mask_names_and_carry_a_code),
	    cmocka_unit_test(test_online_vote),
	    cmocka_unit_test(test_paper_entered_twice),
	    cmocka_unit_test(test_proxies),
	    cmocka_unit_test(test_closing_time),
	    cmocka_unit_test(test_demo_online_vote),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, srv_setup, teardown);
}
