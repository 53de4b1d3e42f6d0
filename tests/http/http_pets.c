/* HTTP tests of the pets (src/pets) against the real server, on SQLite and
 * PostgreSQL: the registry's date rules at their edges (a vaccination or
 * a licence dated tomorrow is refused in both languages and nothing is
 * written, today is fine); who sees which pets (a resident their own
 * household's only and never a phone, the committee every pet with the
 * owner's phone); the reminders at the edge of their window, sent once
 * per due day; the pledge; the heat map's counts by month and its door
 * (whoever may not read cases gets no map); the team's public page. */
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

#define OWNER "petowner" /* the demo's pet owner (src/pets/demo.c) */

static long long owner_hh; /* the pet owner's household */

/* day: the Shanghai date offset days from today, "YYYY-MM-DD". */
static void day(int offset, char out[11])
{
	time_t t = time(NULL) + 28800 + (time_t)offset * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* call: a JSON request as user (NULL: nobody) in lang (NULL: zh-CN). */
static long call(const char *user, const char *lang, const char *method, const char *path,
		 const char *json, struct response *r)
{
	struct client c;

	if (user)
		login_as(&c, user);
	else
		client_init(&c);
	c.lang = lang;
	assert_int_equal(api(&c, &srv, method, path, json, r), 0);
	client_release(&c);
	return r->status;
}

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

static long long pets_of(long long hh)
{
	return sql_int("SELECT COUNT(*) FROM pets WHERE household_id = %lld AND archived = 0;", hh);
}

/* add: POST a pet as user; the status, the answer in r. */
static long add(const char *user, const char *lang, const char *json, struct response *r)
{
	return call(user, lang, "POST", "/api/v1/pets", json, r);
}

static void refused(const char *json, const char *zh, const char *en)
{
	struct response r;
	long long before = pets_of(owner_hh);

	assert_int_equal(add(OWNER, NULL, json, &r), 422);
	if (!strstr(r.body, zh))
		fail_msg("%s: no \"%s\" in %s", json, zh, r.body);
	response_release(&r);
	assert_int_equal(add(OWNER, "en", json, &r), 422);
	if (!strstr(r.body, en))
		fail_msg("%s: no \"%s\" in %s", json, en, r.body);
	response_release(&r);
	assert_int_equal(pets_of(owner_hh), before);
}

static void test_owner_has_a_household(void **state)
{
	struct response r;

	(void)state;
	assert_int_equal(call(OWNER, NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	owner_hh = json_int(r.body, "household_id");
	assert_true(owner_hh > 0);
	response_release(&r);
}

/* The rules, each at its edge: today passes, tomorrow is refused. */
static void test_registry_rules(void **state)
{
	char today[11], tomorrow[11], json[512], past[11];
	struct response r;
	long long before;

	(void)state;
	day(0, today);
	day(1, tomorrow);
	day(-100, past);
	snprintf(json, sizeof(json), "{\"kind\":\"cat\",\"name\":\"明天\",\"rabies_on\":\"%s\"}",
		 tomorrow);
	refused(json, "狂犬疫苗接种日期不能晚于今天", "cannot be dated after today");
	before = pets_of(owner_hh);
	snprintf(json, sizeof(json), "{\"kind\":\"cat\",\"name\":\"今天\",\"rabies_on\":\"%s\"}",
		 today);
	assert_int_equal(add(OWNER, NULL, json, &r), 201);
	response_release(&r);
	assert_int_equal(pets_of(owner_hh), before + 1);

	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"旺旺\",\"licence_no\":\"HP-1\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"2099-01-01\"}",
		 tomorrow);
	refused(json, "犬证发证日期不能晚于今天", "cannot be issued after today");
	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"旺旺\",\"licence_no\":\"HP-1\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\"}",
		 today, today);
	refused(json, "须晚于发证日期", "expire after it was issued");
	snprintf(json, sizeof(json),
		 "{\"kind\":\"cat\",\"name\":\"咪\",\"licence_no\":\"HP-1\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\"}",
		 past, tomorrow);
	refused(json, "只有狗需要登记犬证", "Only dogs");
	refused("{\"kind\":\"fish\",\"name\":\"鱼\"}", "请选择宠物种类", "Choose the kind");
	refused("{\"kind\":\"dog\",\"name\":\"\"}", "请填写宠物的名字", "Give the pet's name");
	refused("{\"kind\":\"dog\",\"name\":\"狗\",\"rabies_on\":\"2024-02-30\"}", "日期不对",
		"That date is not right");
	refused("{\"kind\":\"dog\",\"name\":\"狗\",\"licence_no\":\"犬证1\","
		"\"licence_issued_on\":\"2024-01-01\",\"licence_expires_on\":\"2025-01-01\"}",
		"犬证号只能是字母", "letters, digits");
	refused("{\"kind\":\"dog\",\"name\":7}", "字段类型不对", "wrong type");
	/* 40 characters are a name, 41 are not */
	refused("{\"kind\":\"dog\",\"name\":\"一二三四五六七八九十一二三四五六七八九十"
		"一二三四五六七八九十一二三四五六七八九十一\"}",
		"最多 40 个字", "at most 40");
	assert_int_equal(add(OWNER, NULL,
			     "{\"kind\":\"dog\",\"name\":\"一二三四五六七八九十一二三四五六七八九十"
			     "一二三四五六七八九十一二三四五六七八九十\"}",
			     &r),
			 201);
	response_release(&r);

	/* a name is text, on every page that shows it */
	assert_int_equal(add(OWNER, NULL, "{\"kind\":\"cat\",\"name\":\"<b>x</b>\"}", &r), 201);
	response_release(&r);
	{
		static const char *const who[] = {OWNER, "staff"};
		static const char *const where[] = {"/pets", "/pets/all"};
		for (int i = 0; i < 2; i++) {
			struct client c;
			login_as(&c, who[i]);
			assert_int_equal(request(&c, &srv, "GET", where[i], NULL, NULL, NULL, &r),
					 0);
			assert_non_null(strstr(r.body, "&lt;b&gt;x&lt;/b&gt;"));
			assert_null(strstr(r.body, "<b>x</b>"));
			response_release(&r);
			client_release(&c);
		}
	}

	/* the form on a phone says the same and keeps what was typed */
	{
		struct client c;
		char form[512];
		login_as(&c, OWNER);
		snprintf(form, sizeof(form),
			 "_csrf=%s&kind=dog&name=%%E5%%B0%%8F%%E7%%99%%BD&rabies_on=%s", c.csrf,
			 tomorrow);
		before = pets_of(owner_hh);
		assert_int_equal(request(&c, &srv, "POST", "/pets", form,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "狂犬疫苗接种日期不能晚于今天"));
		assert_non_null(strstr(r.body, "value=\"小白\""));
		response_release(&r);
		assert_int_equal(pets_of(owner_hh), before);
		client_release(&c);
	}
}

/* A resident sees their own household's pets and no phone; another
 * household is not theirs to write to; the committee sees every pet
 * with the owner's phone. */
static void test_privacy_by_role(void **state)
{
	char json[256], phone[64] = "", sql[256];
	long long other, all;
	struct response r;

	(void)state;
	assert_int_equal(call(OWNER, NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	assert_null(strstr(r.body, "owner_phone"));
	/* every pet listed is the household's: as many as it has */
	{
		long long n = 0;
		for (const char *p = r.body; (p = strstr(p, "\"licence_no\"")); p++)
			n++;
		assert_int_equal(n, pets_of(owner_hh));
	}
	response_release(&r);
	other = sql_int("SELECT MIN(household_id) FROM pets WHERE household_id <> %lld;", owner_hh);
	snprintf(json, sizeof(json), "{\"kind\":\"cat\",\"name\":\"别家\",\"household_id\":%lld}",
		 other);
	assert_int_equal(add(OWNER, NULL, json, &r), 403);
	response_release(&r);
	assert_int_equal(add("staff", NULL, json, &r), 201);
	response_release(&r);
	/* the unlinked demo resident has no household and so no pets */
	assert_int_equal(call("resident", NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	assert_int_equal(json_int(r.body, "household_id"), 0);
	assert_null(strstr(r.body, "\"name\""));
	response_release(&r);
	assert_int_equal(add("resident", NULL, "{\"kind\":\"cat\",\"name\":\"无家\"}", &r), 422);
	assert_non_null(strstr(r.body, "还没有关联到住户"));
	response_release(&r);

	all = sql_int("SELECT COUNT(*) FROM pets WHERE archived = 0;");
	assert_int_equal(call("staff", NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	{
		long long n = 0;
		for (const char *p = r.body; (p = strstr(p, "\"owner_phone\"")); p++)
			n++;
		assert_int_equal(n, all);
	}
	response_release(&r);
	snprintf(sql, sizeof(sql),
		 "SELECT phone FROM residents WHERE household_id = %lld AND phone <> ''"
		 " ORDER BY is_owner DESC, id LIMIT 1;",
		 other);
	sql_query(phone, sizeof(phone), sql);
	assert_true(phone[0]);
	{
		struct client c;
		login_as(&c, "staff");
		assert_int_equal(request(&c, &srv, "GET", "/pets/all", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, phone));
		response_release(&r);
		client_release(&c);
		login_as(&c, OWNER);
		assert_int_equal(request(&c, &srv, "GET", "/pets/all", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 403);
		assert_null(strstr(r.body, phone));
		response_release(&r);
		/* nor does the owner's own page show any phone */
		assert_int_equal(request(&c, &srv, "GET", "/pets", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_null(strstr(r.body, phone));
		response_release(&r);
		client_release(&c);
	}
	/* volunteers and Party members are not the committee */
	assert_int_equal(call("volunteer", NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	assert_null(strstr(r.body, "owner_phone"));
	response_release(&r);
}

static long long reminders(long long pet, const char *kind)
{
	return sql_int("SELECT COUNT(*) FROM pet_reminders WHERE pet_id = %lld AND kind = '%s';",
		       pet, kind);
}

static void remind_on(const char *d)
{
	char *out = NULL;

	assert_int_equal(run_cli(&srv, NULL, &out, "pets", "remind", "--day", d, NULL), 0);
	free(out);
}

/* The reminder goes PETS_REMIND_DAYS (30) days before the due day, not
 * 31; once per due day however often the job runs; to the household's
 * accounts' inboxes; and the owner's page shows it. */
static void test_reminders_at_the_edge(void **state)
{
	char issued[11], expires[11], rabies[11], d31[11], d30[11], json[512];
	long long pet, owner;
	struct response r;

	(void)state;
	day(-300, issued);
	day(100, expires);
	day(-200, rabies); /* due 165 days from now (a year after) */
	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"边界\",\"licence_no\":\"HP-EDGE\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\",\"rabies_on\":\"%s\"}",
		 issued, expires, rabies);
	assert_int_equal(add(OWNER, NULL, json, &r), 201);
	pet = json_int(r.body, "id");
	response_release(&r);
	owner = sql_int("SELECT id FROM users WHERE username = '%s';", OWNER);

	/* the committee sends reminders on to an SMS gateway too */
	{
		char *out = NULL;
		assert_int_equal(run_cli(&srv, NULL, &out, "pets", "webhook", "ftp://gw", NULL), 1);
		assert_non_null(strstr(out, "http://"));
		free(out);
		assert_int_equal(
		    run_cli(&srv, NULL, &out, "pets", "webhook", "http://127.0.0.1:9/sms", NULL),
		    0);
		free(out);
	}
	day(100 - 31, d31);
	day(100 - 30, d30);
	remind_on(d31);
	assert_int_equal(reminders(pet, "licence"), 0);
	remind_on(d30);
	assert_int_equal(reminders(pet, "licence"), 1);
	remind_on(d30);
	day(100, d31); /* the due day itself */
	remind_on(d31);
	assert_int_equal(reminders(pet, "licence"), 1);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM inbox WHERE user_id = %lld AND message ="
				 " 'pets.inbox.licence|边界 %s';",
				 owner, expires),
			 1);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM outbox WHERE target = 'http://127.0.0.1:9/sms'"
		    " AND payload LIKE '%%\"pet\":\"边界\"%%' AND payload LIKE"
		    " '%%\"due_on\":\"%s\"%%';",
		    expires),
	    1);
	assert_int_equal(sql_int("SELECT recipients FROM pet_reminders WHERE pet_id = %lld;", pet),
			 sql_int("SELECT COUNT(*) FROM users u JOIN residents r ON r.id ="
				 " u.resident_id WHERE r.household_id = %lld;",
				 owner_hh));

	/* the vaccination: due a year after it was given */
	day(165 - 31, d31);
	day(165 - 30, d30);
	remind_on(d31);
	assert_int_equal(reminders(pet, "rabies"), 0);
	remind_on(d30);
	assert_int_equal(reminders(pet, "rabies"), 1);
	remind_on(d30);
	assert_int_equal(reminders(pet, "rabies"), 1);
	{
		struct client c;
		login_as(&c, OWNER);
		assert_int_equal(request(&c, &srv, "GET", "/pets", NULL, NULL, NULL, &r), 0);
		assert_non_null(strstr(r.body, "犬证到期提醒，到期日"));
		assert_non_null(strstr(r.body, expires));
		response_release(&r);
		client_release(&c);
	}
	assert_int_equal(call(OWNER, NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	assert_non_null(strstr(r.body, "\"reminders\""));
	assert_non_null(strstr(r.body, "\"rabies_due_on\""));
	response_release(&r);
}

/* A household without an account still hears of a pet's licence: the
 * reminder is texted through the area's SMS sender to its first phone
 * (the owner's), and a household whose account got it in the inbox is
 * not texted too. */
static void test_reminder_texts_a_household_without_account(void **state)
{
	char issued[11], expires[11], d30[11], json[512], phone[32], *out = NULL;
	long long hh, pet;
	struct response r;

	(void)state;
	hh = sql_int("SELECT MIN(h.id) FROM households h WHERE EXISTS (SELECT 1 FROM residents r"
		     " WHERE r.household_id = h.id AND r.phone <> '' AND r.archived = 0) AND NOT"
		     " EXISTS (SELECT 1 FROM users u JOIN residents r ON r.id = u.resident_id"
		     " WHERE r.household_id = h.id) AND NOT EXISTS (SELECT 1 FROM pets p WHERE"
		     " p.household_id = h.id);");
	assert_true(hh > 0);
	snprintf(json, sizeof(json),
		 "SELECT phone FROM residents WHERE household_id = %lld AND archived = 0 AND"
		 " phone <> '' ORDER BY is_owner DESC, id LIMIT 1;",
		 hh);
	sql_query(phone, sizeof(phone), json);
	day(-300, issued);
	day(40, expires);
	snprintf(json, sizeof(json),
		 "{\"household_id\":%lld,\"kind\":\"dog\",\"name\":\"无号\","
		 "\"licence_no\":\"HP-TEXT\",\"licence_issued_on\":\"%s\","
		 "\"licence_expires_on\":\"%s\"}",
		 hh, issued, expires);
	assert_int_equal(add("secretary", NULL, json, &r), 201);
	pet = json_int(r.body, "id");
	response_release(&r);
	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"有号\",\"licence_no\":\"HP-INBOX\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\"}",
		 issued, expires);
	assert_int_equal(add(OWNER, NULL, json, &r), 201);
	response_release(&r);
	assert_int_equal(run_cli(&srv, NULL, &out, "sms", "http://127.0.0.1:9/text", NULL), 0);
	free(out);
	day(40 - 30, d30);
	remind_on(d30);
	assert_int_equal(reminders(pet, "licence"), 1);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM outbox WHERE target = 'http://127.0.0.1:9/text' AND"
		    " payload LIKE '%%\"event\":\"pets.reminder\"%%' AND payload LIKE"
		    " '%%\"phone\":\"%s\"%%' AND payload LIKE '%%无号的犬证%s到期%%';",
		    phone, expires),
	    1);
	/* the pet owner's household has an account: inbox only, no text */
	assert_int_equal(sql_int("SELECT COUNT(*) FROM inbox WHERE message LIKE"
				 " 'pets.inbox.licence|有号 %%';"),
			 1);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM outbox WHERE target ="
				 " 'http://127.0.0.1:9/text' AND payload LIKE '%%有号%%';"),
			 0);
	assert_int_equal(run_cli(&srv, NULL, &out, "sms", "none", NULL), 0);
	free(out);
}

/* A renewed licence is a new due day, reminded again; a date that breaks
 * a rule changes nothing; another household's pet is not there to change
 * or take off; a pet taken off is gone from the lists. */
static void test_renew_and_archive(void **state)
{
	char issued[11], expires[11], renewed[11], d30[11], tomorrow[11], json[512], path[64];
	long long pet, other;
	struct response r;

	(void)state;
	day(-330, issued);
	day(35, expires);
	day(400, renewed);
	day(1, tomorrow);
	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"续证\",\"licence_no\":\"HP-RENEW\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\"}",
		 issued, expires);
	assert_int_equal(add(OWNER, NULL, json, &r), 201);
	pet = json_int(r.body, "id");
	response_release(&r);
	day(5, d30);
	remind_on(d30);
	assert_int_equal(reminders(pet, "licence"), 1);

	/* a vaccination dated tomorrow: refused, nothing changed */
	snprintf(path, sizeof(path), "/api/v1/pets/%lld", pet);
	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"续证\",\"licence_no\":\"HP-RENEW\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\","
		 "\"rabies_on\":\"%s\"}",
		 issued, renewed, tomorrow);
	assert_int_equal(call(OWNER, NULL, "PATCH", path, json, &r), 422);
	assert_non_null(strstr(r.body, "狂犬疫苗接种日期不能晚于今天"));
	response_release(&r);
	assert_int_equal(sql_int("SELECT COUNT(*) FROM pets WHERE id = %lld AND"
				 " licence_expires_on = '%s' AND rabies_on IS NULL;",
				 pet, expires),
			 1);
	/* renewed: a new due day a year on, reminded in its turn */
	snprintf(json, sizeof(json),
		 "{\"kind\":\"dog\",\"name\":\"续证\",\"licence_no\":\"HP-RENEW\","
		 "\"licence_issued_on\":\"%s\",\"licence_expires_on\":\"%s\"}",
		 issued, renewed);
	assert_int_equal(call(OWNER, NULL, "PATCH", path, json, &r), 200);
	response_release(&r);
	day(400 - 30, d30);
	remind_on(d30);
	assert_int_equal(reminders(pet, "licence"), 2);

	/* another household's pet: not the owner's to change or take off */
	other = sql_int("SELECT MIN(id) FROM pets WHERE household_id <> %lld AND archived = 0;",
			owner_hh);
	snprintf(path, sizeof(path), "/api/v1/pets/%lld", other);
	assert_int_equal(call(OWNER, NULL, "PATCH", path, "{\"kind\":\"cat\",\"name\":\"抢\"}", &r),
			 404);
	response_release(&r);
	assert_int_equal(call(OWNER, NULL, "DELETE", path, NULL, &r), 404);
	response_release(&r);
	assert_int_equal(sql_int("SELECT archived FROM pets WHERE id = %lld;", other), 0);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM pets WHERE id = %lld AND name = '抢';", other), 0);

	/* the owner takes their own off, on the phone's form */
	{
		struct client c;
		char form[256];
		long long before = pets_of(owner_hh);
		login_as(&c, OWNER);
		snprintf(form, sizeof(form), "_csrf=%s", c.csrf);
		snprintf(path, sizeof(path), "/pets/%lld/archive", pet);
		assert_int_equal(request(&c, &srv, "POST", path, form,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 303);
		response_release(&r);
		client_release(&c);
		assert_int_equal(pets_of(owner_hh), before - 1);
	}
	assert_int_equal(call(OWNER, NULL, "GET", "/api/v1/pets", NULL, &r), 200);
	assert_null(strstr(r.body, "HP-RENEW"));
	response_release(&r);
}

static void test_pledge(void **state)
{
	struct response r;
	struct client c;

	(void)state;
	assert_int_equal(call(OWNER, NULL, "POST", "/api/v1/pets/pledge", "{\"signer\":\"\"}", &r),
			 422);
	assert_non_null(strstr(r.body, "请填写签名人姓名"));
	response_release(&r);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM pet_pledges WHERE household_id = %lld;", owner_hh), 0);
	login_as(&c, OWNER);
	assert_int_equal(request(&c, &srv, "GET", "/pets", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "action=\"/pets/pledge\""));
	response_release(&r);
	{
		char form[256];
		snprintf(form, sizeof(form), "_csrf=%s&signer=%%E5%%BC%%A0%%E4%%B8%%89", c.csrf);
		assert_int_equal(request(&c, &srv, "POST", "/pets/pledge", form,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 303);
		response_release(&r);
	}
	assert_int_equal(request(&c, &srv, "GET", "/pets", NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "本户已签署承诺"));
	assert_null(strstr(r.body, "action=\"/pets/pledge\""));
	response_release(&r);
	client_release(&c);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM pet_pledges WHERE household_id = %lld AND signer ="
		    " '张三';",
		    owner_hh),
	    1);
}

/* summary: the heat map's count of the month's reports for user, or -1
 * when the page is refused (its status then in *status). */
static long long summary(const char *user, const char *month, long *status)
{
	char path[64];
	struct response r;
	struct client c;
	long long n = -1;
	const char *p;

	login_as(&c, user);
	snprintf(path, sizeof(path), "/pets/map%s%s", month ? "?month=" : "", month ? month : "");
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	*status = r.status;
	if (r.status == 200) {
		p = strstr(r.body, "id=\"pets-heat-summary\"><b>");
		assert_non_null(p);
		n = atoll(p + strlen("id=\"pets-heat-summary\"><b>"));
		assert_null(strstr(r.body, "reporter"));
	} else {
		assert_null(strstr(r.body, "pets-cell"));
	}
	response_release(&r);
	client_release(&c);
	return n;
}

/* in_month: pet reports filed in the Shanghai month of year y, month m
 * (1..12), by the database. */
static long long in_month(int y, int m)
{
	struct tm a = {0}, b = {0};

	a.tm_year = y - 1900;
	a.tm_mon = m - 1;
	a.tm_mday = 1;
	b.tm_year = m == 12 ? y - 1899 : y - 1900;
	b.tm_mon = m == 12 ? 0 : m;
	b.tm_mday = 1;
	return sql_int("SELECT COUNT(*) FROM cases c JOIN case_categories k ON k.id = c.category_id"
		       " WHERE k.code IN ('pet_waste', 'pet_nuisance') AND c.created_at >= %lld"
		       " AND c.created_at < %lld;",
		       (long long)timegm(&a) - 28800, (long long)timegm(&b) - 28800);
}

/* A pet report counts in its month's map, once it is moved to last
 * month in last month's instead; only those who may read cases get the
 * map at all. */
static void test_heat_map(void **state)
{
	char json[256], this[32], last[32];
	long long before, last_before, building, id;
	struct response r;
	long status;
	time_t t = time(NULL) + 28800;
	struct tm tm;

	(void)state;
	gmtime_r(&t, &tm);
	snprintf(this, sizeof(this), "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
	snprintf(last, sizeof(last), "%04d-%02d", tm.tm_mon ? tm.tm_year + 1900 : tm.tm_year + 1899,
		 tm.tm_mon ? tm.tm_mon : 12);
	before = summary("staff", this, &status);
	assert_int_equal(status, 200);
	last_before = summary("staff", last, &status);
	building = sql_int("SELECT MIN(id) FROM buildings;");
	snprintf(
	    json, sizeof(json),
	    "{\"category\":\"pet_nuisance\",\"description\":\"狗一直叫\",\"building_id\":%lld}",
	    building);
	assert_int_equal(call("staff", NULL, "POST", "/api/v1/cases", json, &r), 201);
	id = json_int(r.body, "id");
	response_release(&r);
	assert_int_equal(summary("staff", this, &status), before + 1);
	assert_int_equal(summary("staff", NULL, &status), before + 1);
	/* volunteers and agencies read cases, so they see the map too */
	assert_int_equal(summary("volunteer", this, &status), before + 1);
	assert_int_equal(summary("agency", this, &status), before + 1);
	{
		/* noon on the 15th of last month, Shanghai */
		struct tm mid = {0};
		char sql[256];
		mid.tm_year = tm.tm_mon ? tm.tm_year : tm.tm_year - 1;
		mid.tm_mon = tm.tm_mon ? tm.tm_mon - 1 : 11;
		mid.tm_mday = 15;
		mid.tm_hour = 12;
		snprintf(sql, sizeof(sql), "UPDATE cases SET created_at = %lld WHERE id = %lld;",
			 (long long)timegm(&mid) - 28800, id);
		sql_exec(sql);
	}
	assert_int_equal(summary("staff", this, &status), before);
	assert_int_equal(summary("staff", last, &status), last_before + 1);
	/* and each month's count is exactly the month's reports, with one
	 * in this month again (so last month's map must stop at its end) */
	assert_int_equal(call("staff", NULL, "POST", "/api/v1/cases", json, &r), 201);
	response_release(&r);
	assert_int_equal(summary("staff", this, &status), before + 1);
	assert_int_equal(summary("staff", last, &status), last_before + 1);
	assert_int_equal(summary("staff", this, &status),
			 in_month(tm.tm_year + 1900, tm.tm_mon + 1));
	assert_int_equal(summary("staff", last, &status),
			 in_month(tm.tm_mon ? tm.tm_year + 1900 : tm.tm_year + 1899,
				  tm.tm_mon ? tm.tm_mon : 12));
	/* the residents, unit liaisons: no map, no cells */
	assert_int_equal(summary("resident", this, &status), -1);
	assert_int_equal(status, 403);
	assert_int_equal(summary("liaison", this, &status), -1);
	assert_int_equal(status, 403);
	assert_int_equal(summary(OWNER, this, &status), -1);
	assert_int_equal(status, 403);
	/* a month that is not one */
	assert_int_equal(summary("staff", "2024-13", &status), -1);
	assert_int_equal(status, 400);
}

static void test_team_page(void **state)
{
	struct response r;
	struct client c;
	char want[64];

	(void)state;
	client_init(&c);
	assert_int_equal(request(&c, &srv, "GET", "/pets/team", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof(want), "id=\"pets-members\">%lld<",
		 sql_int("SELECT COUNT(*) FROM team_members m JOIN teams t ON t.id = m.team_id"
			 " WHERE t.name = '\"携宠善行\"文明养宠自治团队' AND m.left_on IS NULL;"));
	assert_non_null(strstr(r.body, want));
	assert_non_null(strstr(r.body, "<svg"));
	assert_non_null(strstr(r.body, "宠物反映月度趋势"));
	/* the public page names no pet and no phone */
	assert_null(strstr(r.body, "HP-"));
	response_release(&r);
	client_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_owner_has_a_household),
	    cmocka_unit_test(test_registry_rules),
	    cmocka_unit_test(test_privacy_by_role),
	    cmocka_unit_test(test_reminders_at_the_edge),
	    cmocka_unit_test(test_reminder_texts_a_household_without_account),
	    cmocka_unit_test(test_renew_and_archive),
	    cmocka_unit_test(test_pledge),
	    cmocka_unit_test(test_heat_map),
	    cmocka_unit_test(test_team_page),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
