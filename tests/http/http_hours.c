/* HTTP tests of the service-hours ledger against the real server, on
 * SQLite and PostgreSQL: entries are only ever appended (the database
 * refuses UPDATE and DELETE, the API refuses an edit with the reason in
 * both languages and changes nothing); a correction reverses an entry
 * once and by no more than it, and every balance stays the sum of its
 * entries, which `linli audit verify` checks and catches when a balance is
 * tampered with; the time bank gives whole credits of one hour served to
 * one's own household only, never more than the balance; the points table
 * and the yearly targets (双报到); who sees whose hours; the A4
 * certificate; the teams' growth; the CSV and the command line. */
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

#define CST 28800

static char today[11];	  /* Shanghai */
static int year;	  /* this Shanghai year */
static long long vol_res; /* the demo volunteer's resident */

/* call: a JSON request as user; returns the status, the answer in r. */
static long call(const char *user, const char *method, const char *path, const char *json,
		 struct response *r)
{
	struct client c;

	login_as(&c, user);
	assert_int_equal(api(&c, &srv, method, path, json, r), 0);
	client_release(&c);
	return r->status;
}

/* page: GET path as user (NULL: nobody) in lang ("en", or NULL for the
 * default), the answer in r. */
static long page(const char *user, const char *path, const char *lang, struct response *r)
{
	struct client c;

	if (user)
		login_as(&c, user); /* a signed-in client */
	else
		client_init(&c);
	if (lang) { /* the language a reader chose: a cookie, as /lang sets it */
		char set[32];
		snprintf(set, sizeof(set), "/lang?set=%s", lang);
		assert_int_equal(request(&c, &srv, "GET", set, NULL, NULL, NULL, r), 0);
		response_release(r);
	}
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

/* The sums a balance must equal. */
static long long served_sum(long long resident)
{
	return sql_int("SELECT COALESCE(SUM(minutes), 0) FROM hours_entries WHERE person = 'r%lld'"
		       " AND kind IN ('service', 'reversal');",
		       resident);
}

static long long bank_sum(long long resident)
{
	return sql_int(
	    "SELECT COALESCE(SUM(minutes), 0) FROM hours_entries WHERE person = 'r%lld';",
	    resident);
}

static long long entries(void)
{
	return sql_int("SELECT COUNT(*) FROM hours_entries;");
}

/* credit: staff credits resident minutes on day; returns the status. */
static long credit(long long resident, long minutes, const char *day, const char *source,
		   long long source_id, struct response *r)
{
	char body[300];

	snprintf(body, sizeof(body),
		 "{\"resident_id\":%lld,\"minutes\":%ld,\"day\":\"%s\",\"source\":\"%s\","
		 "\"source_id\":%lld,\"note\":\"测试\"}",
		 resident, minutes, day, source, source_id);
	return call("staff", "POST", "/api/v1/hours/entries", body, r);
}

static void test_setup_and_me(void **state)
{
	time_t t = time(NULL) + CST;
	struct tm tm;
	struct response r;

	(void)state;
	gmtime_r(&t, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	year = tm.tm_year + 1900;
	/* The demo links the volunteer's account to a resident with a year of
	 * hours; "my hours" shows them and their balances are the sums. */
	assert_int_equal(call("volunteer", "GET", "/api/v1/hours/me", NULL, &r), 200);
	vol_res = json_int(r.body, "resident_id");
	assert_true(vol_res > 0);
	assert_int_equal(json_int(r.body, "served_minutes"), served_sum(vol_res));
	assert_int_equal(json_int(r.body, "bank_minutes"), bank_sum(vol_res));
	assert_true(json_int(r.body, "served_minutes") > 60 * 20);
	response_release(&r);
	/* The resident's account is linked to no one: the page says so. */
	assert_int_equal(page("resident", "/hours", NULL, &r), 200);
	assert_non_null(strstr(r.body, "还没有关联居民"));
	response_release(&r);
	assert_int_equal(call("resident", "GET", "/api/v1/hours/me", NULL, &r), 404);
	response_release(&r);
}

static void test_ledger_is_append_only(void **state)
{
	struct response r;
	struct client en;
	char path[96];
	long long id, before, n;
	const char *edits[] = {"PUT", "PATCH", "DELETE"};

	(void)state;
	before = served_sum(vol_res);
	assert_int_equal(credit(vol_res, 90, today, "activity", 0, &r), 201);
	id = json_int(r.body, "id");
	response_release(&r);
	assert_int_equal(served_sum(vol_res), before + 90);
	n = entries();

	/* Through SQL: the database itself refuses to change or remove a row. */
	{
		char sql[128];
		snprintf(sql, sizeof(sql),
			 "UPDATE hours_entries SET minutes = 900 WHERE id = %lld;", id);
		assert_int_not_equal(sql_try(sql), 0);
		snprintf(sql, sizeof(sql), "DELETE FROM hours_entries WHERE id = %lld;", id);
		assert_int_not_equal(sql_try(sql), 0);
	}
	assert_int_equal(sql_int("SELECT minutes FROM hours_entries WHERE id = %lld;", id), 90);

	/* Through the API: an edit is refused with the reason, in Chinese and
	 * in English, and nothing changes. */
	snprintf(path, sizeof(path), "/api/v1/hours/entries/%lld", id);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(call("staff", edits[i], path, "{\"minutes\":900}", &r), 409);
		assert_non_null(strstr(r.body, "只能追加，不能修改或删除"));
		assert_non_null(strstr(r.body, "\"append_only\""));
		response_release(&r);
	}
	login_as(&en, "secretary");
	en.lang = "en";
	assert_int_equal(api(&en, &srv, "PATCH", path, "{\"minutes\":900}", &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "can only be added, never edited or deleted"));
	response_release(&r);
	client_release(&en);
	assert_int_equal(entries(), n);
	assert_int_equal(sql_int("SELECT minutes FROM hours_entries WHERE id = %lld;", id), 90);
	assert_int_equal(served_sum(vol_res), before + 90);
	/* A volunteer may not even try. */
	assert_int_equal(call("volunteer", "DELETE", path, NULL, &r), 403);
	response_release(&r);
}

static void test_corrections(void **state)
{
	struct response r;
	char path[96];
	long long id, other, rev, before, n;

	(void)state;
	assert_int_equal(credit(vol_res, 120, today, "activity", 0, &r), 201);
	id = json_int(r.body, "id");
	response_release(&r);
	assert_int_equal(credit(vol_res, 60, today, "event", 0, &r), 201);
	other = json_int(r.body, "id");
	response_release(&r);
	before = served_sum(vol_res);
	n = entries();
	snprintf(path, sizeof(path), "/api/v1/hours/entries/%lld/reversal", id);

	/* Refused, each naming what is wrong, nothing written: no reason,
	 * more than the entry, nothing at all. */
	assert_int_equal(call("staff", "POST", path, "{\"minutes\":30}", &r), 422);
	assert_non_null(strstr(r.body, "更正须写明理由"));
	response_release(&r);
	assert_int_equal(call("staff", "POST", path, "{\"minutes\":121,\"reason\":\"多记\"}", &r),
			 422);
	assert_non_null(strstr(r.body, "不超过原记录"));
	response_release(&r);
	assert_int_equal(call("staff", "POST", path, "{\"minutes\":0,\"reason\":\"多记\"}", &r),
			 422);
	response_release(&r);
	assert_int_equal(entries(), n);

	/* All of it is the edge: 120 of 120 reversed, a new entry naming it. */
	assert_int_equal(
	    call("staff", "POST", path, "{\"minutes\":120,\"reason\":\"活动取消\"}", &r), 201);
	rev = json_int(r.body, "id");
	response_release(&r);
	assert_int_equal(sql_int("SELECT reverses_id FROM hours_entries WHERE id = %lld;", rev),
			 id);
	assert_int_equal(sql_int("SELECT minutes FROM hours_entries WHERE id = %lld;", rev), -120);
	assert_int_equal(sql_int("SELECT minutes FROM hours_entries WHERE id = %lld;", id), 120);
	assert_int_equal(served_sum(vol_res), before - 120);
	assert_int_equal(call("volunteer", "GET", "/api/v1/hours/me", NULL, &r), 200);
	assert_int_equal(json_int(r.body, "served_minutes"), before - 120);
	response_release(&r);

	/* A second reversal of the same entry, and a reversal of a reversal. */
	assert_int_equal(call("staff", "POST", path, "{\"minutes\":1,\"reason\":\"再次\"}", &r),
			 409);
	assert_non_null(strstr(r.body, "已被冲正过"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/hours/entries/%lld/reversal", rev);
	assert_int_equal(call("staff", "POST", path, "{\"minutes\":1,\"reason\":\"再次\"}", &r),
			 422);
	assert_non_null(strstr(r.body, "只能冲正服务时长记录"));
	response_release(&r);
	/* A part of another is fine: 59 of 60 reversed, 1 minute stays. */
	snprintf(path, sizeof(path), "/api/v1/hours/entries/%lld/reversal", other);
	assert_int_equal(call("staff", "POST", path, "{\"minutes\":59,\"reason\":\"早退\"}", &r),
			 201);
	response_release(&r);
	assert_int_equal(served_sum(vol_res), before - 120 - 59);

	/* The page shows the reversal and the entry it names. */
	assert_int_equal(page("volunteer", "/hours", NULL, &r), 200);
	assert_non_null(strstr(r.body, "活动取消"));
	assert_non_null(strstr(r.body, "已被冲正"));
	response_release(&r);
}

static void test_audit_verify_catches_a_tampered_balance(void **state)
{
	char *out = NULL, sql[200];
	int rc;

	(void)state;
	rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);
	if (rc != 0)
		fail_msg("audit verify: %s", out);
	assert_non_null(strstr(out, "service-hour balances match the ledger"));
	free(out);
	snprintf(sql, sizeof(sql),
		 "UPDATE hours_balances SET served_minutes = served_minutes + 60 WHERE person = "
		 "'r%lld';",
		 vol_res);
	sql_exec(sql);
	rc = run_cli(&srv, NULL, &out, "audit", "verify", NULL);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, "balance differs from the sum of entries"));
	{
		char who[32];
		snprintf(who, sizeof(who), "r%lld", vol_res);
		assert_non_null(strstr(out, who));
	}
	free(out);
	snprintf(sql, sizeof(sql),
		 "UPDATE hours_balances SET served_minutes = served_minutes - 60 WHERE person = "
		 "'r%lld';",
		 vol_res);
	sql_exec(sql);
	assert_int_equal(run_cli(&srv, NULL, &out, "audit", "verify", NULL), 0);
	free(out);
}

static void test_bad_credits_change_nothing(void **state)
{
	struct response r;
	char future[11];
	long long n, member_other;
	time_t t = time(NULL) + CST + 86400;
	struct tm tm;
	static const struct {
		long minutes;
		const char *day, *source, *says;
	} bad[] = {
	    {0, NULL, "activity", "1 到 1440 分钟"},   {1441, NULL, "activity", "1 到 1440 分钟"},
	    {-5, NULL, "activity", "1 到 1440 分钟"},  {60, "2026-02-30", "activity", "有效日期"},
	    {60, "yesterday", "activity", "有效日期"}, {60, "FUTURE", "activity", "不能晚于今天"},
	    {60, NULL, "party", "来源须为"},
	};

	(void)state;
	gmtime_r(&t, &tm);
	strftime(future, sizeof(future), "%Y-%m-%d", &tm);
	n = entries();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *day = !bad[i].day			  ? today
				  : !strcmp(bad[i].day, "FUTURE") ? future
								  : bad[i].day;
		assert_int_equal(credit(vol_res, bad[i].minutes, day, bad[i].source, 0, &r), 422);
		if (!strstr(r.body, bad[i].says))
			fail_msg("credit %zu: %s", i, r.body);
		response_release(&r);
	}
	/* Unknown people; a member who is someone else than the resident. */
	assert_int_equal(credit(999999999, 60, today, "activity", 0, &r), 404);
	assert_non_null(strstr(r.body, "没有这名居民"));
	response_release(&r);
	member_other = sql_int("SELECT MIN(id) FROM members WHERE resident_id IS NOT NULL AND"
			       " resident_id <> %lld;",
			       vol_res);
	{
		char body[200];
		snprintf(body, sizeof(body),
			 "{\"resident_id\":%lld,\"member_id\":%lld,\"minutes\":60,\"day\":\"%s\"}",
			 vol_res, member_other, today);
		assert_int_equal(call("staff", "POST", "/api/v1/hours/entries", body, &r), 422);
		assert_non_null(strstr(r.body, "不是同一人"));
		response_release(&r);
	}
	assert_int_equal(entries(), n);
	/* The edges that pass: a whole day, and one minute; one shift credits
	 * a person once. */
	assert_int_equal(credit(vol_res, 1440, today, "shift", 424242, &r), 201);
	response_release(&r);
	assert_int_equal(credit(vol_res, 1, today, "shift", 424243, &r), 201);
	response_release(&r);
	assert_int_equal(credit(vol_res, 60, today, "shift", 424242, &r), 409);
	assert_non_null(strstr(r.body, "已为此人记过时长"));
	response_release(&r);
	assert_int_equal(entries(), n + 2);
}

/* credited: staff credits resident minutes today, which must pass. */
static void credited(long long resident, long minutes)
{
	struct response r;

	assert_int_equal(credit(resident, minutes, today, "activity", 0, &r), 201);
	response_release(&r);
}

/* gift: the account "bank" gives credits (JSON text) to resident to. */
static long gift(long long to, const char *credits, struct response *r)
{
	char body[128];

	snprintf(body, sizeof(body), "{\"to_resident_id\":%lld,\"credits\":%s}", to, credits);
	return call("bank", "POST", "/api/v1/hours/gifts", body, r);
}

/* A resident with no hours yet, in a household of two or more: made a
 * volunteer account "bank" so the time bank can be tested from zero. */
static long long banker, family, stranger;

static void test_time_bank(void **state)
{
	struct response r;
	char *out = NULL, rid[32];
	long long n;

	(void)state;
	banker = sql_int("SELECT MIN(r.id) FROM residents r WHERE r.archived = 0 AND"
			 " (SELECT COUNT(*) FROM residents o WHERE o.household_id = r.household_id"
			 " AND o.archived = 0) >= 2 AND NOT EXISTS (SELECT 1 FROM hours_entries e"
			 " WHERE e.resident_id = r.id) AND NOT EXISTS (SELECT 1 FROM members m"
			 " WHERE m.resident_id = r.id);");
	family = sql_int("SELECT MIN(o.id) FROM residents r JOIN residents o ON o.household_id ="
			 " r.household_id AND o.id <> r.id AND o.archived = 0 WHERE r.id = %lld;",
			 banker);
	stranger = sql_int("SELECT MIN(id) FROM residents WHERE household_id <> (SELECT"
			   " household_id FROM residents WHERE id = %lld);",
			   banker);
	assert_true(banker > 0 && family > 0 && stranger > 0);
	snprintf(rid, sizeof(rid), "%lld", banker);
	assert_int_equal(run_cli(&srv, "pushan-bank\n", &out, "user", "add", "bank", "--role",
				 "volunteer", "--resident", rid, "--password-stdin", NULL),
			 0);
	free(out);

	/* 59 minutes served: less than one credit, nothing to give. */
	credited(banker, 59);
	n = entries();
	assert_int_equal(gift(family, "1", &r), 422);
	assert_non_null(strstr(r.body, "超过了时间银行余额"));
	response_release(&r);
	assert_int_equal(entries(), n);
	/* One more minute: one hour served is exactly one credit to give. */
	credited(banker, 1);
	assert_int_equal(gift(family, "1", &r), 201);
	response_release(&r);
	assert_int_equal(bank_sum(banker), 0);
	credited(banker, 120);
	n = entries();
	/* Never to someone outside the household, never a part of a credit,
	 * never more than the balance. */
	assert_int_equal(gift(stranger, "1", &r), 422);
	assert_non_null(strstr(r.body, "同户的家人"));
	response_release(&r);
	assert_int_equal(gift(family, "1.5", &r), 422);
	response_release(&r);
	assert_int_equal(gift(family, "3", &r), 422);
	assert_non_null(strstr(r.body, "超过了时间银行余额"));
	response_release(&r);
	assert_int_equal(entries(), n);
	/* The whole balance, 2 credits: an entry each side. */
	assert_int_equal(gift(family, "2", &r), 201);
	response_release(&r);
	assert_int_equal(entries(), n + 2);
	assert_int_equal(bank_sum(banker), 0);
	assert_int_equal(bank_sum(family), 180);
	assert_int_equal(served_sum(banker), 180); /* hours served stay served */
	assert_int_equal(served_sum(family), 0);
	assert_int_equal(
	    sql_int("SELECT COUNT(*) FROM hours_entries i JOIN hours_entries o ON o.id = i.pair_id"
		    " WHERE i.kind = 'gift_in' AND o.kind = 'gift_out' AND o.person = 'r%lld' AND"
		    " i.person = 'r%lld' AND i.minutes = -o.minutes;",
		    banker, family),
	    2);
	assert_int_equal(call("bank", "GET", "/api/v1/hours/me", NULL, &r), 200);
	assert_int_equal(json_int(r.body, "bank_credits"), 0);
	assert_int_equal(json_int(r.body, "served_minutes"), 180);
	response_release(&r);
	/* Nothing left to give. */
	assert_int_equal(gift(family, "1", &r), 422);
	response_release(&r);
	/* The page form: a refused gift says why beside the form. */
	{
		struct client c;
		char form[160];
		login_as(&c, "volunteer");
		snprintf(form, sizeof(form), "_csrf=%s&to=%lld&credits=1", c.csrf, stranger);
		assert_int_equal(request(&c, &srv, "POST", "/hours/give", form,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "同户的家人"));
		response_release(&r);
		client_release(&c);
	}
	assert_int_equal(run_cli(&srv, NULL, &out, "audit", "verify", NULL), 0);
	free(out);
}

/* held_meeting: a joint meeting from two hours to one hour ago, member
 * invited and recorded as status, through the meetings API. OUT: day, its
 * Shanghai day. */
static void held_meeting(long long member, const char *status, char day[11])
{
	long long t = (long long)time(NULL) - 7200, meeting, invitee;
	time_t x = (time_t)(t + CST);
	struct response r;
	struct tm tm;
	char json[400], hhmm[6], end[6], end_day[11], path[96];

	gmtime_r(&x, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
	strftime(hhmm, sizeof(hhmm), "%H:%M", &tm);
	x += 3600;
	gmtime_r(&x, &tm);
	strftime(end, sizeof(end), "%H:%M", &tm);
	/* Run just after midnight, the hour crosses it: the end names its day. */
	strftime(end_day, sizeof(end_day), "%Y-%m-%d", &tm);
	snprintf(json, sizeof(json),
		 "{\"kind\":\"joint\",\"body\":\"joint\",\"title\":\"联席会议\","
		 "\"date\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"end_date\":\"%s\"}",
		 day, hhmm, end, end_day);
	assert_int_equal(call("secretary", "POST", "/api/v1/meetings", json, &r), 201);
	meeting = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", meeting);
	snprintf(json, sizeof(json), "{\"kind\":\"member\",\"id\":%lld}", member);
	assert_int_equal(call("secretary", "POST", path, json, &r), 200);
	response_release(&r);
	invitee = sql_int("SELECT id FROM meeting_invitees WHERE meeting_id = %lld AND"
			  " member_id = %lld;",
			  meeting, member);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/attendance", meeting);
	snprintf(json, sizeof(json), "{\"invitee_id\":%lld,\"status\":\"%s\"}", invitee, status);
	assert_int_equal(call("secretary", "PUT", path, json, &r), 200);
	response_release(&r);
}

static void test_points_and_targets(void **state)
{
	struct response r;
	char path[96], body[200], key[32];
	long long member, resident, total, served;

	(void)state;
	/* An in-post member with a resident record (双报到). */
	member = sql_int("SELECT MIN(id) FROM members WHERE in_post = 1 AND archived = 0 AND"
			 " resident_id IS NOT NULL;");
	resident = sql_int("SELECT resident_id FROM members WHERE id = %lld;", member);
	snprintf(key, sizeof(key), "r%lld", resident);
	snprintf(path, sizeof(path), "/api/v1/hours/people/%s?year=%d", key, year);

	/* The secretary sets the table: 2 points an hour; bad tables refused. */
	assert_int_equal(
	    call("secretary", "PUT", "/api/v1/hours/points", "{\"hour_served\":101}", &r), 422);
	assert_non_null(strstr(r.body, "0 到 100"));
	response_release(&r);
	assert_int_equal(call("secretary", "PUT", "/api/v1/hours/points", "{\"speeches\":3}", &r),
			 422);
	response_release(&r);
	assert_int_equal(call("secretary", "PUT", "/api/v1/hours/points",
			      "{\"hour_served\":2,\"event_joined\":5}", &r),
			 200);
	assert_non_null(strstr(r.body, "\"hour_served\":2"));
	response_release(&r);
	assert_int_equal(call("staff", "PUT", "/api/v1/hours/points", "{\"hour_served\":9}", &r),
			 403);
	response_release(&r);
	/* Every in-post member is asked 10 hours this year. */
	snprintf(body, sizeof(body), "{\"member_id\":0,\"year\":%d,\"minutes\":600}", year);
	assert_int_equal(call("secretary", "PUT", "/api/v1/hours/targets", body, &r), 200);
	response_release(&r);
	assert_int_equal(call("secretary", "PUT", "/api/v1/hours/targets",
			      "{\"member_id\":0,\"year\":1999,\"minutes\":600}", &r),
			 422);
	assert_non_null(strstr(r.body, "2000 到 2100"));
	response_release(&r);

	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	total = json_int(r.body, "total");
	served = json_int(r.body, "hour_served");
	assert_int_equal(json_int(r.body, "target_minutes"), 600);
	response_release(&r);
	/* 2 hours of activity: 4 points; an event of 1 hour: 2 + 5. */
	assert_int_equal(credit(resident, 120, today, "activity", 0, &r), 201);
	response_release(&r);
	assert_int_equal(credit(resident, 60, today, "event", 0, &r), 201);
	response_release(&r);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "hour_served"), served + 180);
	assert_int_equal(json_int(r.body, "total"),
			 total - (served / 60) * 2 + ((served + 180) / 60) * 2 + 5);
	assert_int_equal(json_int(r.body, "progress_percent"),
			 (served + 180) * 100 / 600 > 999 ? 999 : (served + 180) * 100 / 600);
	response_release(&r);
	/* Their own target beats the in-post one; removing it brings it back. */
	snprintf(body, sizeof(body), "{\"member_id\":%lld,\"year\":%d,\"minutes\":60000}", member,
		 year);
	assert_int_equal(call("secretary", "PUT", "/api/v1/hours/targets", body, &r), 200);
	response_release(&r);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "target_minutes"), 60000);
	assert_non_null(strstr(r.body, "\"target_own\":true"));
	assert_int_equal(json_int(r.body, "progress_percent"), (served + 180) * 100 / 60000);
	response_release(&r);
	snprintf(body, sizeof(body), "{\"member_id\":%lld,\"year\":%d,\"minutes\":null}", member,
		 year);
	assert_int_equal(call("secretary", "PUT", "/api/v1/hours/targets", body, &r), 200);
	response_release(&r);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "target_minutes"), 600);
	response_release(&r);
	/* A member not in post is asked nothing unless given a target. */
	snprintf(path, sizeof(path), "/api/v1/hours/people/m%lld?year=%d",
		 sql_int("SELECT MIN(id) FROM members WHERE in_post = 0 AND archived = 0;"), year);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_int_equal(json_int(r.body, "target_minutes"), 0);
	response_release(&r);
	/* The secretary's page lists the member with the target and points. */
	snprintf(path, sizeof(path), "/hours/points?year=%d", year);
	assert_int_equal(page("secretary", path, NULL, &r), 200);
	{
		char row[64];
		snprintf(row, sizeof(row), "id=\"member-%lld\"", member);
		assert_non_null(strstr(r.body, row));
	}
	assert_non_null(strstr(r.body, "全体在职党员"));
	response_release(&r);
	/* Meetings attended come from the meetings feature: of two joint
	 * meetings held two hours ago, the member attended one and missed the
	 * other: one counts. */
	{
		long long m = sql_int("SELECT m.id FROM members m JOIN users u ON u.resident_id ="
				      " m.resident_id WHERE u.username = 'member';");
		char day[11], ypath[96];

		held_meeting(m, "present", day);
		held_meeting(m, "absent", day);
		snprintf(ypath, sizeof(ypath), "/api/v1/hours/people/m%lld?year=%.4s", m, day);
		assert_int_equal(call("staff", "GET", ypath, NULL, &r), 200);
		assert_int_equal(json_int(r.body, "meeting_attended"), 1);
		response_release(&r);
	}
	/* The member account sees its own target and points on its page. */
	assert_int_equal(page("member", "/hours", NULL, &r), 200);
	assert_non_null(strstr(r.body, "年度目标"));
	assert_non_null(strstr(r.body, "<progress"));
	assert_non_null(strstr(r.body, "id=\"hours-points\""));
	response_release(&r);
}

static void test_who_sees_whose_hours(void **state)
{
	struct response r;
	char path[96], other_name[64] = "";
	long long other;

	(void)state;
	other = sql_int("SELECT MIN(resident_id) FROM hours_entries WHERE resident_id <> %lld;",
			vol_res);
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT name FROM residents WHERE id = %lld;", other);
		sql_query(other_name, sizeof(other_name), sql);
	}
	snprintf(path, sizeof(path), "/api/v1/hours/people/r%lld", other);
	assert_int_equal(call("volunteer", "GET", path, NULL, &r), 403);
	response_release(&r);
	assert_int_equal(call("member", "GET", path, NULL, &r), 403);
	response_release(&r);
	assert_int_equal(call("staff", "GET", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, other_name));
	response_release(&r);
	assert_int_equal(call("volunteer", "GET", "/api/v1/hours/entries", NULL, &r), 403);
	response_release(&r);
	assert_int_equal(call("volunteer", "GET", "/api/v1/hours/balances", NULL, &r), 403);
	response_release(&r);
	/* No side door: the certificate of someone else. */
	snprintf(path, sizeof(path), "/hours/certificate?person=r%lld", other);
	assert_int_equal(page("volunteer", path, NULL, &r), 403);
	assert_null(strstr(r.body, other_name));
	response_release(&r);
	assert_int_equal(page("staff", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, other_name));
	response_release(&r);
	/* My hours shows my own entries only. */
	assert_int_equal(page("volunteer", "/hours", NULL, &r), 200);
	assert_null(strstr(r.body, other_name));
	response_release(&r);
	assert_int_equal(page(NULL, "/api/v1/hours/me", NULL, &r), 401);
	response_release(&r);
}

static void test_certificate(void **state)
{
	struct response r;
	char path[128], want[64], name[64];
	long long served;

	(void)state;
	{
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT name FROM residents WHERE id = %lld;", vol_res);
		sql_query(name, sizeof(name), sql);
	}
	served = sql_int("SELECT COALESCE(SUM(minutes), 0) FROM hours_entries WHERE person ="
			 " 'r%lld' AND kind IN ('service', 'reversal') AND day >= '%d-01-01' AND"
			 " day <= '%s';",
			 vol_res, year, today);
	snprintf(path, sizeof(path), "/hours/certificate?from=%d-01-01&to=%s", year, today);
	assert_int_equal(page("volunteer", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, "class=\"certificate\""));
	assert_non_null(strstr(r.body, name));
	assert_non_null(strstr(r.body, "普善居民区居民委员会"));
	assert_non_null(strstr(r.body, "志愿服务证明"));
	snprintf(want, sizeof(want), "id=\"cert-hours\">%lld.%lld<", served * 10 / 60 / 10,
		 served * 10 / 60 % 10);
	if (!strstr(r.body, want))
		fail_msg("want %s in the certificate", want);
	assert_non_null(strstr(r.body, "data-print"));
	response_release(&r);
	/* In English too. */
	assert_int_equal(page("volunteer", path, "en", &r), 200);
	assert_non_null(strstr(r.body, "Certificate of volunteer service"));
	assert_non_null(strstr(r.body, "Residents&#39; Committee"));
	response_release(&r);
	/* Bad periods are refused. */
	assert_int_equal(
	    page("volunteer", "/hours/certificate?from=2026-05-02&to=2026-05-01", NULL, &r), 400);
	assert_non_null(strstr(r.body, "开始不晚于结束"));
	response_release(&r);
	assert_int_equal(page("volunteer", "/hours/certificate?from=2026-13-01", NULL, &r), 400);
	response_release(&r);
	/* The stylesheet prints it on one A4 sheet (tests/browser/hours.mjs
	 * counts the PDF's pages). */
	assert_int_equal(page(NULL, "/static/app.css", NULL, &r), 200);
	assert_non_null(strstr(r.body, "@page certificate { size: A4 landscape"));
	response_release(&r);
}

static void test_team_growth(void **state)
{
	struct response r;
	const char *p;

	(void)state;
	/* The demo's vanguard team grew from 3 members in its first year to
	 * the 10 it has now. */
	assert_int_equal(call("volunteer", "GET", "/api/v1/hours/teams", NULL, &r), 200);
	p = strstr(r.body, "党员先锋队");
	assert_non_null(p);
	assert_int_equal(json_int(p, "in_team"), 3);
	{
		const char *next = strstr(p, "\"team_id\""), *last = p, *q = p;
		while ((q = strstr(q + 1, "\"in_team\":")) && (!next || q < next))
			last = q;
		assert_int_equal(atoll(last + 10), 10);
	}
	response_release(&r);
	assert_int_equal(page("volunteer", "/hours/teams", NULL, &r), 200);
	p = strstr(r.body, "党员先锋队</h2>");
	assert_non_null(p);
	assert_non_null(strstr(p, "class=\"growth-now\">10<"));
	assert_non_null(strstr(r.body, "<svg"));
	response_release(&r);
	assert_int_equal(page("resident", "/hours/teams", NULL, &r), 403);
	response_release(&r);
}

static void test_csv_and_cli(void **state)
{
	struct response r;
	char *out = NULL, rid[32], id[32];
	long long before;

	(void)state;
	assert_int_equal(page("staff", "/hours/export.csv", NULL, &r), 200);
	assert_int_equal(strncmp(r.body, "id,day,person,name,kind,minutes", 31), 0);
	assert_non_null(strstr(r.body, ",reversal,"));
	response_release(&r);

	snprintf(rid, sizeof(rid), "%lld", vol_res);
	before = served_sum(vol_res);
	assert_int_equal(run_cli(&srv, NULL, &out, "hours", "credit", "--resident", rid,
				 "--minutes", "45", "--day", today, "--source", "manual", NULL),
			 0);
	snprintf(id, sizeof(id), "%lld", atoll(out));
	free(out);
	assert_int_equal(served_sum(vol_res), before + 45);
	assert_int_equal(run_cli(&srv, NULL, &out, "hours", "credit", "--resident", rid,
				 "--minutes", "2000", "--day", today, NULL),
			 1);
	assert_non_null(strstr(out, "Minutes served must be from 1 to 1440"));
	free(out);
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "hours", "correct", id, "--reason", "录入错误", NULL), 0);
	free(out);
	assert_int_equal(served_sum(vol_res), before);
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "hours", "correct", id, "--reason", "录入错误", NULL), 1);
	assert_non_null(strstr(out, "cannot be reversed again"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "hours", "list", "--resident", rid, NULL), 0);
	assert_non_null(strstr(out, "录入错误"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup_and_me),
	    cmocka_unit_test(test_ledger_is_append_only),
	    cmocka_unit_test(test_corrections),
	    cmocka_unit_test(test_audit_verify_catches_a_tampered_balance),
	    cmocka_unit_test(test_bad_credits_change_nothing),
	    cmocka_unit_test(test_time_bank),
	    cmocka_unit_test(test_points_and_targets),
	    cmocka_unit_test(test_who_sees_whose_hours),
	    cmocka_unit_test(test_certificate),
	    cmocka_unit_test(test_team_growth),
	    cmocka_unit_test(test_csv_and_cli),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
