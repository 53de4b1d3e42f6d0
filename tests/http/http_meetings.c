/* HTTP tests of meetings against the real server: the agenda drafted from
 * affairs seeded through the product's own API and command line (open
 * cases by category with the oldest three named, a reopened and a poorly
 * rated case, a noise alert, the plaza's published timetable, the body's
 * open action items carried over and another body's not), a refresh that
 * keeps staff's edits; check-in at the edges of its window (30 minutes
 * before the start to the end), by someone not invited, twice; attendance
 * for a meeting not yet held; action items' states and bad input; the
 * secretary's view per member; a branch meeting's minutes behind every
 * door. Meetings are placed relative to the real now. */
#include "checks.h"
#include "upload.h"
#include "../qr_read.h"

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

static long long general;    /* the general branch's id */
static long long past_id;    /* a general-branch meeting held yesterday */
static long long next_id;    /* the general branch's next meeting, tomorrow */
static long long joint_id;   /* a joint meeting held yesterday */
static long long open_item;  /* an action item of past_id left open */
static long long joint_item; /* an action item of joint_id left open */
static long long member_uid; /* the demo "member" account's user id */
static long long linked_mid; /* a member linked to the account "linked" */
static char linked_name[64]; /* that member's name */

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* One signed-in client per demo account, kept for the program's run
 * (signing in, argon2id, is the slow part of a request); released by
 * teardown. */
static struct client clients[NDEMO_USERS];
static int signed_in[NDEMO_USERS];

static int teardown(void **state)
{
	for (size_t k = 0; k < NDEMO_USERS; k++)
		if (signed_in[k])
			client_release(&clients[k]);
	return srv_teardown(state);
}

/* call: a JSON request as user; returns the status, the answer in r. */
static long call(const char *user, const char *method, const char *path, const char *json,
		 struct response *r)
{
	size_t k = 0;

	while (k < NDEMO_USERS && strcmp(demo_users[k], user))
		k++;
	assert_true(k < NDEMO_USERS);
	if (!signed_in[k]) {
		login_as(&clients[k], user);
		signed_in[k] = 1;
	}
	assert_int_equal(api(&clients[k], &srv, method, path, json, r), 0);
	return r->status;
}

/* expect: call, the status asserted, the answer returned (caller frees). */
static char *expect(const char *user, const char *method, const char *path, const char *json,
		    long want)
{
	struct response r;
	char *out;

	if (call(user, method, path, json, &r) != want)
		fail_msg("%s %s %s: got %ld (%.400s), want %ld", user, method, path, r.status,
			 r.body, want);
	out = strdup(r.body ? r.body : "");
	assert_non_null(out);
	response_release(&r);
	return out;
}

/* id_before: the "id" of the JSON object of a list in which needle
 * occurs (the list's objects start with their id). */
static long long id_before(const char *json, const char *needle)
{
	const char *p = strstr(json, needle);

	assert_non_null(p);
	while (p > json && strncmp(p, "{\"id\":", 6))
		p--;
	return json_int(p, "id");
}

/* record: staff record the linked member's attendance at meeting id. */
static void record(long long id, const char *status, const char *reason)
{
	char path[96], json[192], *out;

	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", id);
	out = expect("secretary", "GET", path, NULL, 200);
	snprintf(json, sizeof(json), "{\"invitee_id\":%lld,\"status\":\"%s\",\"reason\":\"%s\"}",
		 id_before(out, linked_name), status, reason);
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/attendance", id);
	free(expect("secretary", "PUT", path, json, 200));
}

/* local_day: epoch second t as a Shanghai "YYYY-MM-DD" and "HH:MM". */
static void local(long long t, char day[11], char hhmm[6])
{
	time_t x = (time_t)(t + CST);
	struct tm tm;

	gmtime_r(&x, &tm);
	strftime(day, 11, "%Y-%m-%d", &tm);
	strftime(hhmm, 6, "%H:%M", &tm);
}

/* meeting: creates a meeting starting at start for minutes; body "branch"
 * (the general branch), "joint" or "team" (team_id). Its id. */
static long long meeting(const char *kind, const char *body, long long team_id, long long start,
			 int minutes, const char *title)
{
	char json[512], day[11], from[6], day2[11], to[6];
	char *out;
	long long id;

	local(start, day, from);
	local(start + minutes * 60, day2, to);
	snprintf(json, sizeof(json),
		 "{\"kind\":\"%s\",\"body\":\"%s\",\"branch_id\":%lld,\"team_id\":%lld,"
		 "\"title\":\"%s\",\"place\":\"党群服务站\",\"date\":\"%s\",\"start\":\"%s\","
		 "\"end\":\"%s\",\"end_date\":\"%s\"}",
		 kind, body, general, team_id, title, day, from, to, day2);
	out = expect("secretary", "POST", "/api/v1/meetings", json, 201);
	id = json_int(out, "id");
	free(out);
	return id;
}

static void invite(long long id, const char *kind, long long ref, long want_added)
{
	char path[96], json[96];
	char *out;

	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", id);
	snprintf(json, sizeof(json), "{\"kind\":\"%s\",\"id\":%lld}", kind, ref);
	out = expect("secretary", "POST", path, json, 200);
	if (want_added >= 0)
		assert_int_equal(json_int(out, "added"), want_added);
	free(out);
}

static long long action(long long meeting_id, const char *title, long long member, char *due)
{
	char path[96], json[256];
	char *out;
	long long id;

	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/action-items", meeting_id);
	snprintf(json, sizeof(json),
		 "{\"title\":\"%s\",\"owner_member_id\":%lld,\"due_on\":\"%s\"}", title, member,
		 due);
	out = expect("secretary", "POST", path, json, 201);
	id = json_int(out, "id");
	free(out);
	return id;
}

static char *agenda(long long id)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/agenda", id);
	return expect("secretary", "GET", path, NULL, 200);
}

static long long draft(long long id)
{
	char path[96];
	char *out;
	long long added;

	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/agenda/draft", id);
	out = expect("secretary", "POST", path, NULL, 200);
	added = json_int(out, "added");
	free(out);
	return added;
}

/* report: a case filed by staff in category, its id; its tracking code
 * into code (may be NULL). */
static long long report(const char *category, const char *text, char *code)
{
	char json[256];
	char *out;
	long long id;

	snprintf(json, sizeof(json),
		 "{\"category\":\"%s\",\"description\":\"%s\",\"channel\":\"phone\"%s}", category,
		 text, strcmp(category, "noise") ? "" : ",\"answers\":{\"source\":\"shop\"}");
	out = expect("staff", "POST", "/api/v1/cases", json, 201);
	id = json_int(out, "id");
	if (code)
		json_str(out, "tracking_code", code, 16);
	free(out);
	return id;
}

static void act(long long id, const char *json)
{
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	free(expect("staff", "POST", path, json, 200));
}

static void track(const char *code, const char *what, const char *json)
{
	struct client anon;
	struct response r;
	char path[96];

	client_init(&anon);
	snprintf(path, sizeof(path), "/api/v1/track/%s/%s", code, what);
	assert_int_equal(request(&anon, &srv, "POST", path, json, "application/json", NULL, &r), 0);
	if (r.status != 200)
		fail_msg("%s: %ld %s", path, r.status, r.body);
	response_release(&r);
	client_release(&anon);
}

/* A resolved case: accepted, handled by the first team, resolved. */
static void resolve(long long id)
{
	char *teams = expect("staff", "GET", "/api/v1/teams", NULL, 200), json[96];
	act(id, "{\"action\":\"accept\"}");
	snprintf(json, sizeof(json), "{\"action\":\"assign\",\"handler_team_id\":%lld}",
		 json_int(teams, "id"));
	act(id, json);
	act(id, "{\"action\":\"resolve\",\"note\":\"已处理\",\"public\":true}");
	free(teams);
}

static void test_setup_people(void **state)
{
	char *out = NULL, resident[32];
	struct client c;
	struct response r;

	(void)state;
	out = expect("secretary", "GET", "/api/v1/branches?q=%E6%80%BB%E6%94%AF", NULL, 200);
	general = json_int(out, "id");
	free(out);
	/* A Party member of the general branch's tree with a resident: an
	 * account linked to them (user add --resident) acts as that member. */
	out = expect("secretary", "GET", "/api/v1/members?per_page=200", NULL, 200);
	{
		const char *p = strstr(out, "\"resident_id\":");
		while (p && !strncmp(p, "\"resident_id\":null", 18))
			p = strstr(p + 1, "\"resident_id\":");
		assert_non_null(p);
		snprintf(resident, sizeof(resident), "%lld", atoll(p + 14));
		/* The member's own object: back to its opening brace. */
		while (p > out && *p != '{')
			p--;
		linked_mid = json_int(p, "id");
		json_str(p, "name", linked_name, sizeof(linked_name));
	}
	free(out);
	assert_int_equal(run_cli(&srv, "linked-pass-1\n", &out, "user", "add", "linked", "--role",
				 "party_member", "--resident", resident, "--password-stdin", NULL),
			 0);
	free(out);
	login_as(&c, "member");
	assert_int_equal(api(&c, &srv, "GET", "/api/v1/me", NULL, &r), 0);
	member_uid = json_int(r.body, "user_id");
	response_release(&r);
	client_release(&c);
}

/* sign_in_linked: the account linked to a member's resident. */
static void sign_in_linked(struct client *c)
{
	client_init(c);
	assert_int_equal(client_login(c, &srv, "linked", "linked-pass-1"), 200);
}

static void test_action_items_and_bad_input(void **state)
{
	long long now = (long long)time(NULL);
	char path[96], due[11], hhmm[6], *out;
	long long done_item, dropped_item;

	(void)state;
	past_id = meeting("party_congress", "branch", 0, now - 26 * 3600, 120, "上月党员大会");
	joint_id = meeting("joint", "joint", 0, now - 25 * 3600, 90, "噪声联席会议");
	invite(past_id, "branch", general, -1);
	local(now + 14 * 86400, due, hhmm);
	open_item = action(past_id, "走访五号楼噪声投诉户", linked_mid, due);
	done_item = action(past_id, "修复东门道闸", linked_mid, due);
	dropped_item = action(past_id, "重排广场舞时段", linked_mid, due);
	joint_item = action(joint_id, "派出所夜间巡逻加密", linked_mid, due);

	/* Dropping needs a reason; a bad due day or state is refused with the
	 * field named; nothing changes. */
	snprintf(path, sizeof(path), "/api/v1/action-items/%lld", dropped_item);
	out = expect("secretary", "PATCH", path, "{\"state\":\"dropped\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"reason\""));
	assert_non_null(strstr(out, "放弃待办事项时必须填写原因"));
	free(out);
	out = expect("secretary", "PATCH", path, "{\"state\":\"dropped\",\"reason\":\"  \"}", 422);
	assert_non_null(strstr(out, "\"field\":\"reason\""));
	free(out);
	out = expect("secretary", "PATCH", path, "{\"due_on\":\"2026-02-30\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"due_on\""));
	assert_non_null(strstr(out, "截止日期格式"));
	free(out);
	out = expect("secretary", "PATCH", path, "{\"state\":\"closed\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"state\""));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/action-items", past_id);
	out = expect("secretary", "POST", path,
		     "{\"title\":\"x\",\"owner_member_id\":1,\"due_on\":\"26-1-1\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"due_on\""));
	free(out);
	out = expect("secretary", "POST", path, "{\"title\":\"x\",\"due_on\":\"2026-01-01\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"owner\""));
	free(out);
	out = expect("secretary", "GET", "/api/v1/action-items?state=open", NULL, 200);
	assert_int_equal(count(out, "\"state\":\"open\""), 4);
	free(out);

	snprintf(path, sizeof(path), "/api/v1/action-items/%lld", dropped_item);
	free(expect("secretary", "PATCH", path,
		    "{\"state\":\"dropped\",\"reason\":\"街道统一安排\"}", 200));
	snprintf(path, sizeof(path), "/api/v1/action-items/%lld", done_item);
	free(expect("secretary", "PATCH", path, "{\"state\":\"done\"}", 200));
	out = expect("secretary", "GET", "/api/v1/action-items?state=dropped", NULL, 200);
	assert_non_null(strstr(out, "街道统一安排"));
	free(out);

	/* The CSV export: a header and one line per item, for staff only. */
	{
		struct client c;
		struct response r;
		login_as(&c, "secretary");
		assert_int_equal(
		    request(&c, &srv, "GET", "/meetings/actions.csv", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "id,meeting,title,owner,due_on,state,reason"));
		assert_non_null(strstr(r.body, "重排广场舞时段"));
		assert_int_equal(count(r.body, "\r\n"), 5);
		response_release(&r);
		client_release(&c);
	}
}

static void test_agenda_drafts_from_affairs(void **state)
{
	long long now = (long long)time(NULL), team_meeting, a, b, c4, rated, reopened;
	char code_rated[16], code_reopened[16], *out, *teams, path[160], monday[11], hhmm[6];
	char json[256], noise_hdr[200], last_month[8];
	struct response r;

	(void)state;
	/* Four open noise cases (the oldest three named), a repair case rated
	 * 1 (which reopens it) and one the reporter reopened. */
	a = report("noise", "一号楼深夜装修电钻声", NULL);
	b = report("noise", "二号楼楼下烧烤摊吵闹", NULL);
	c4 = report("noise", "三号楼空调外机噪声大", NULL);
	report("noise", "四号楼广场音响太响了", NULL);
	/* Created in this order in the same second, perhaps: the oldest are
	 * told apart by creation time, then id. */
	(void)a, (void)b, (void)c4;
	rated = report("repair", "东门道闸坏了车辆进不去", code_rated);
	resolve(rated);
	track(code_rated, "rating", "{\"rating\":1,\"comment\":\"没修好\"}");
	/* A neighbour dispute: a private category, counted but not told. */
	report("dispute", "楼上漏水与邻居争执多次", NULL);
	/* Resolved and left so: neither reopened nor rated. */
	resolve(report("repair", "楼道灯不亮", NULL));
	reopened = report("garbage", "投放点外堆满垃圾袋", code_reopened);
	resolve(reopened);
	track(code_reopened, "reopen", "{\"note\":\"又堆满了\"}");

	/* A loud second at night on the plaza's meter: an alert. */
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "mt-meter", "--role", "meter", NULL), 0);
	snprintf(noise_hdr, sizeof(noise_hdr), "Authorization: Bearer %.*s",
		 (int)strcspn(out, "\n"), out);
	snprintf(json, sizeof(json), "{\"token_id\":%lld}", atoll(strstr(out, "Token ") + 6));
	free(out);
	out = expect("secretary", "GET", "/api/v1/meters", NULL, 200);
	snprintf(path, sizeof(path), "/api/v1/meters/%lld", json_int(out, "id"));
	free(out);
	free(expect("secretary", "PATCH", path, json, 200));
	{
		/* 23:30 Shanghai last night. */
		long long t = (now + CST) / 86400 * 86400 - CST - 30 * 60;
		struct client m;
		char body[256];
		snprintf(body, sizeof(body),
			 "{\"readings\":[{\"t\":%lld,\"laeq\":92,\"lmax\":95},"
			 "{\"t\":%lld,\"laeq\":92,\"lmax\":95}]}",
			 t, t + 1);
		client_init(&m);
		assert_int_equal(request(&m, &srv, "POST", "/api/v1/noise/readings", body,
					 "application/json", noise_hdr, &r),
				 0);
		if (r.status != 200)
			fail_msg("readings: %ld %s", r.status, r.body);
		response_release(&r);
		client_release(&m);
	}
	out = expect("secretary", "GET", "/api/v1/noise/alerts", NULL, 200);
	assert_true(count(out, "\"opened_t\"") >= 1);
	free(out);

	/* The plaza's timetable for last week (the compliance weeks end with
	 * the week before the meeting's). */
	local(now - 7 * 86400, monday, hhmm);
	assert_int_equal(run_cli(&srv, NULL, &out, "schedule", "publish", "--week", monday, NULL),
			 0);
	free(out);

	/* Duty: a sorting station with one place each morning, nobody on the
	 * roster: last month's week and the next two published unfilled. */
	{
		long long today = (now + CST) / 86400, this_monday = today - (today + 3) % 7, prev;
		char day[11], path2[96];
		time_t x = (time_t)(today * 86400);
		struct tm tm;
		gmtime_r(&x, &tm);
		/* The Monday of the week holding the 8th of last month. */
		tm.tm_mday = 8;
		tm.tm_mon -= 1;
		tm.tm_hour = 12;
		x = timegm(&tm);
		gmtime_r(&x, &tm);
		strftime(last_month, sizeof(last_month), "%Y-%m", &tm);
		prev = (long long)x / 86400;
		prev -= (prev + 3) % 7;
		out = expect("secretary", "GET", "/api/v1/compounds", NULL, 200);
		snprintf(json, sizeof(json),
			 "{\"compound_id\":%lld,\"name\":\"会议测试投放点\",\"code\":\"MEET01\"}",
			 json_int(out, "id"));
		free(out);
		out = expect("secretary", "POST", "/api/v1/duty/stations", json, 201);
		snprintf(json, sizeof(json),
			 "{\"station_id\":%lld,\"start\":\"07:00\",\"end\":\"09:00\",\"need\":1,"
			 "\"need_trained\":0}",
			 json_int(out, "id"));
		free(out);
		free(expect("secretary", "POST", "/api/v1/duty/windows", json, 201));
		for (long long w = 0; w < 3; w++) {
			x = (time_t)((w ? this_monday + 7 * (w - 1) : prev) * 86400);
			gmtime_r(&x, &tm);
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
			snprintf(path2, sizeof(path2), "/api/v1/duty/weeks/%s/generate", day);
			free(expect("secretary", "POST", path2, NULL, 200));
			snprintf(path2, sizeof(path2), "/api/v1/duty/weeks/%s/plan", day);
			free(expect("secretary", "POST", path2, NULL, 200));
			snprintf(path2, sizeof(path2), "/api/v1/duty/weeks/%s/publish", day);
			free(expect("secretary", "POST", path2, NULL, 200));
		}
	}

	/* The general branch meets tomorrow; a team meets too. */
	next_id = meeting("party_congress", "branch", 0, now + 86400, 120, "本月党员大会");
	teams = expect("secretary", "GET", "/api/v1/teams", NULL, 200);
	team_meeting = meeting("party_group", "team", json_int(teams, "id"), now + 86400 + 3 * 3600,
			       60, "队伍例会");
	free(teams);
	assert_true(draft(next_id) >= 6);
	out = agenda(next_id);
	/* Cases by category, linked to the queue filtered by it; the oldest
	 * three named, the fourth not. */
	assert_non_null(strstr(out, "\"source_key\":\"cases:noise\""));
	assert_non_null(strstr(out, "未办结 5")); /* and the alert's own case */
	assert_non_null(strstr(out, "\"link\":\"/cases?status=open&category_id="));
	assert_non_null(strstr(out, "一号楼深夜装修电钻声"));
	assert_non_null(strstr(out, "三号楼空调外机噪声大"));
	assert_null(strstr(out, "四号楼广场音响太响了"));
	/* The reopened and the poorly rated case, each linked to its page. */
	snprintf(path, sizeof(path), "\"source_key\":\"reopened:%lld\",\"link\":\"/cases/%lld\"",
		 reopened, reopened);
	assert_non_null(strstr(out, path));
	snprintf(path, sizeof(path), "\"source_key\":\"rating:%lld\",\"link\":\"/cases/%lld\"",
		 rated, rated);
	assert_non_null(strstr(out, path));
	assert_non_null(strstr(out, "\"source_key\":\"cases:dispute\""));
	assert_null(strstr(out, "楼上漏水与邻居争执多次"));
	/* Cases are named by number, never by the reporter's tracking code. */
	snprintf(path, sizeof(path), "#%lld", rated);
	assert_non_null(strstr(out, path));
	assert_null(strstr(out, code_rated));
	assert_null(strstr(out, code_reopened));
	assert_int_equal(count(out, "\"source\":\"reopened\""), 2);
	assert_int_equal(count(out, "\"source\":\"rating\""), 1);
	/* The noise alerts, linked to the live page; the plaza's compliance. */
	assert_non_null(strstr(out, "\"source_key\":\"noise\",\"link\":\"/noise/live\""));
	assert_non_null(strstr(out, "本月噪声告警"));
	assert_non_null(strstr(out, "\"source_key\":\"plaza\",\"link\":\"/schedule\""));
	/* The body's open item carried over with a link to it; neither the
	 * done nor the dropped one, nor the joint meeting's. */
	snprintf(path, sizeof(path),
		 "\"source_key\":\"action:%lld\",\"link\":\"/meetings/%lld#action-%lld\"",
		 open_item, past_id, open_item);
	assert_non_null(strstr(out, path));
	assert_non_null(strstr(out, "走访五号楼噪声投诉户"));
	assert_null(strstr(out, "修复东门道闸"));
	assert_null(strstr(out, "重排广场舞时段"));
	assert_null(strstr(out, "派出所夜间巡逻加密"));
	/* Duty: last month's shifts with each station's check-ins, and the
	 * coming shifts still short of people, linked to the duty page. */
	snprintf(path, sizeof(path), "\"source_key\":\"duty:month:%s\",\"link\":\"/duty\"",
		 last_month);
	assert_non_null(strstr(out, path));
	assert_non_null(strstr(out, "未排满 ")); /* with the demo's own stations */
	assert_non_null(strstr(out, "会议测试投放点 签到 0"));
	assert_non_null(strstr(out, "\"source_key\":\"duty:open\",\"link\":\"/duty\""));
	free(out);
	/* Another body's meeting does not take the branch's item. */
	draft(team_meeting);
	out = agenda(team_meeting);
	assert_null(strstr(out, "走访五号楼噪声投诉户"));
	free(out);
	/* Nor does a branch's meeting: the general branch is another body. */
	{
		char *branches =
		    expect("secretary", "GET", "/api/v1/branches?q=%E7%AC%AC%E4%B8%80", NULL, 200);
		long long saved = general, b1;
		general = json_int(branches, "id");
		free(branches);
		b1 = meeting("branch_committee", "branch", 0, now + 86400 + 6 * 3600, 60,
			     "一支部支委会");
		general = saved;
		draft(b1);
		out = agenda(b1);
		assert_null(strstr(out, "走访五号楼噪声投诉户"));
		free(out);
	}
	/* The joint meeting's next one takes the joint item. */
	{
		long long j2 = meeting("joint", "joint", 0, now + 2 * 86400, 90, "下次联席会议");
		draft(j2);
		out = agenda(j2);
		assert_non_null(strstr(out, "派出所夜间巡逻加密"));
		assert_null(strstr(out, "走访五号楼噪声投诉户"));
		free(out);
	}
}

static void test_refresh_keeps_staff_edits(void **state)
{
	char path[160], *out;
	long long first, carried;

	(void)state;
	out = agenda(next_id);
	first = id_before(out, "\"source_key\":\"cases:noise\"");
	snprintf(path, sizeof(path), "\"source_key\":\"action:%lld\"", open_item);
	carried = id_before(out, path);
	free(out);
	/* Staff rewrite the first item, delete the carried-over one, add
	 * their own and move it up. */
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/agenda/%lld", next_id, first);
	free(expect("secretary", "PATCH", path,
		    "{\"op\":\"save\",\"title\":\"请大家先读材料\",\"detail\":\"工作人员改过\"}",
		    200));
	out = expect("secretary", "PATCH", path, "{\"op\":\"save\",\"title\":\"\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"title\""));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/agenda/%lld", next_id, carried);
	free(expect("secretary", "PATCH", path, "{\"op\":\"delete\"}", 200));
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/agenda", next_id);
	free(expect("secretary", "POST", path, "{\"title\":\"表彰优秀志愿者\"}", 201));
	/* Staff's own item links only to a page of this site. */
	out = expect("secretary", "POST", path,
		     "{\"title\":\"外链\",\"link\":\"javascript:alert(1)\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"link\""));
	free(out);
	free(expect("secretary", "POST", path, "{\"title\":\"外链\",\"link\":\"//evil.example/\"}",
		    422));
	/* A new affair appears: a shop case. */
	report("shop", "烧烤店深夜营业", NULL);
	assert_int_equal(draft(next_id), 1);
	out = agenda(next_id);
	assert_non_null(strstr(out, "\"source_key\":\"cases:shop\""));
	assert_non_null(strstr(out, "请大家先读材料"));
	assert_non_null(strstr(out, "\"edited\":true"));
	assert_non_null(strstr(out, "表彰优秀志愿者"));
	assert_null(strstr(out, "走访五号楼噪声投诉户")); /* deleted stays deleted */
	free(out);
	/* Nothing new: a refresh adds nothing. */
	assert_int_equal(draft(next_id), 0);
}

/* checkin: POST /api/v1/meetings/checkin as c with code; the answer. */
static char *checkin(struct client *c, const char *code, long want)
{
	struct response r;
	char json[64], *out;

	snprintf(json, sizeof(json), "{\"code\":\"%s\"}", code);
	assert_int_equal(api(c, &srv, "POST", "/api/v1/meetings/checkin", json, &r), 0);
	if (r.status != want)
		fail_msg("checkin %s: got %ld (%.300s), want %ld", code, r.status, r.body, want);
	out = strdup(r.body);
	response_release(&r);
	return out;
}

static void meeting_code(long long id, char code[8])
{
	char path[96], *out;
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld", id);
	out = expect("secretary", "GET", path, NULL, 200);
	json_str(out, "code", code, 8);
	free(out);
}

static void test_checkin_window(void **state)
{
	long long now = (long long)time(NULL), soon, early, over, going;
	char code[8], *out, path[96], json[128];
	struct client linked, member, vol;
	struct response r;

	(void)state;
	/* Starts in 28 minutes (check-in open), in 33 (not yet), ended a
	 * minute ago (closed), ends in four (still open): the test's own
	 * requests take a few seconds, the margins are minutes. */
	soon = meeting("party_group", "branch", 0, now + 28 * 60, 60, "签到窗口内");
	early = meeting("party_group", "branch", 0, now + 33 * 60, 60, "签到太早");
	over = meeting("party_group", "branch", 0, now - 61 * 60, 60, "已经结束");
	going = meeting("party_group", "branch", 0, now - 56 * 60, 60, "即将结束");
	for (long long *m = (long long[]){soon, early, over, going, 0}; *m; m++) {
		invite(*m, "branch", general, -1);
		invite(*m, "user", member_uid, 1);
	}
	sign_in_linked(&linked);
	login_as(&member, "member");
	login_as(&vol, "volunteer");

	meeting_code(early, code);
	out = checkin(&linked, code, 409);
	if (!strstr(out, "会议开始前 30 分钟起才能签到"))
		fail_msg("too early: %s", out);
	free(out);
	meeting_code(over, code);
	out = checkin(&member, code, 409);
	assert_non_null(strstr(out, "会议已经结束"));
	free(out);
	meeting_code(going, code);
	free(checkin(&member, code, 200));

	meeting_code(soon, code);
	/* The screen in the room: the code, and a QR code a phone reads as
	 * the check-in address with it. */
	{
		char want[256], got[256];
		snprintf(path, sizeof(path), "/meetings/%lld/screen", soon);
		assert_int_equal(call("secretary", "GET", path, NULL, &r), 200);
		assert_non_null(strstr(r.body, code));
		assert_int_equal(qr_read(r.body, got, sizeof(got)), 0);
		snprintf(want, sizeof(want), "%s/checkin?code=%s", srv.url, code);
		assert_string_equal(got, want);
		response_release(&r);
	}
	/* Someone not invited is refused, and nothing is recorded. */
	out = checkin(&vol, code, 403);
	assert_non_null(strstr(out, "不在本次会议的邀请名单上"));
	free(out);
	out = checkin(&linked, "000000", 404);
	assert_non_null(strstr(out, "签到码不正确"));
	free(out);
	/* The member linked by resident checks in; twice is idempotent. */
	out = checkin(&linked, code, 200);
	assert_non_null(strstr(out, "\"already\":false"));
	free(out);
	out = checkin(&linked, code, 200);
	assert_non_null(strstr(out, "\"already\":true"));
	assert_non_null(strstr(out, "已经签到过了"));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", soon);
	out = expect("secretary", "GET", path, NULL, 200);
	assert_int_equal(count(out, "\"status\":\"present\""), 1);
	assert_non_null(strstr(out, linked_name));
	free(out);

	/* The phone page says the same in words. */
	{
		char form[200];
		snprintf(form, sizeof(form), "_csrf=%s&code=%s", vol.csrf, code);
		assert_int_equal(request(&vol, &srv, "POST", "/checkin", form,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 403);
		assert_non_null(strstr(r.body, "你不在本次会议的邀请名单上，不能签到。"));
		response_release(&r);
		snprintf(path, sizeof(path), "/checkin?code=%s", code);
		assert_int_equal(request(&member, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 200);
		snprintf(form, sizeof(form), "value=\"%s\"", code);
		assert_non_null(strstr(r.body, form));
		response_release(&r);
	}

	/* Staff may not record attendance for a meeting not yet held. */
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", early);
	out = expect("secretary", "GET", path, NULL, 200);
	snprintf(json, sizeof(json), "{\"invitee_id\":%lld,\"status\":\"present\"}",
		 json_int(out, "id"));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/attendance", early);
	out = expect("secretary", "PUT", path, json, 409);
	assert_non_null(strstr(out, "会议还没有开始"));
	free(out);
	/* ... but may for one held: excused needs a reason. */
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", over);
	out = expect("secretary", "GET", path, NULL, 200);
	snprintf(json, sizeof(json), "{\"invitee_id\":%lld,\"status\":\"excused\"}",
		 json_int(out, "id"));
	free(out);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/attendance", over);
	out = expect("secretary", "PUT", path, json, 422);
	assert_non_null(strstr(out, "\"field\":\"reason\""));
	free(out);
	out = expect("secretary", "PUT", path, "{\"invitee_id\":1,\"status\":\"late\"}", 422);
	assert_non_null(strstr(out, "\"field\":\"status\""));
	free(out);
	client_release(&linked);
	client_release(&member);
	client_release(&vol);
}

static void test_secretary_view(void **state)
{
	char *out;
	struct client linked;
	struct response r;

	(void)state;
	/* The linked member attended yesterday's meeting, and was excused
	 * from yesterday's joint meeting. */
	record(past_id, "present", "");
	invite(joint_id, "member", linked_mid, 1);
	record(joint_id, "excused", "出差");

	/* Staff see every member; the linked member only their own line. */
	out = expect("secretary", "GET", "/api/v1/meetings/secretary", NULL, 200);
	assert_true(count(out, "\"member_id\"") > 20);
	free(out);
	sign_in_linked(&linked);
	assert_int_equal(api(&linked, &srv, "GET", "/api/v1/meetings/secretary", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(count(r.body, "\"member_id\""), 1);
	assert_int_equal(json_int(r.body, "member_id"), linked_mid);
	/* Attended yesterday's meeting (the one checked in to starts later:
	 * counted once held); owns four items: one done, none late. */
	assert_int_equal(json_int(r.body, "attended"), 1);
	assert_int_equal(json_int(r.body, "excused"), 1);
	/* Yesterday's two, and the two check-in meetings already started
	 * (the ones starting in 29 and 31 minutes are not held yet). */
	assert_int_equal(json_int(r.body, "invited"), 4);
	assert_int_equal(json_int(r.body, "actions_owned"), 4);
	assert_int_equal(json_int(r.body, "actions_done"), 1);
	assert_int_equal(json_int(r.body, "actions_late"), 0);
	assert_int_equal(json_int(r.body, "service_minutes"), 0);
	response_release(&r);

	/* Service hours over the same twelve months, from the ledger: today's
	 * 90 minutes and 30 on the window's first day count, 60 the day
	 * before it do not. */
	{
		static const struct {
			int days_ago, minutes;
		} served[] = {{0, 90}, {365, 30}, {366, 60}};
		for (size_t k = 0; k < sizeof(served) / sizeof(served[0]); k++) {
			char day[16], json[200];
			time_t t = time(NULL) + 8 * 3600 - (time_t)served[k].days_ago * 86400;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
			snprintf(json, sizeof(json),
				 "{\"member_id\":%lld,\"minutes\":%d,\"day\":\"%s\","
				 "\"source\":\"activity\",\"source_id\":%zu}",
				 linked_mid, served[k].minutes, day, k + 1);
			free(expect("staff", "POST", "/api/v1/hours/entries", json, 201));
		}
	}
	assert_int_equal(api(&linked, &srv, "GET", "/api/v1/meetings/secretary", NULL, &r), 0);
	assert_int_equal(json_int(r.body, "service_minutes"), 120);
	response_release(&r);
	assert_int_equal(request(&linked, &srv, "GET", "/meetings/secretary", NULL, NULL, NULL, &r),
			 0);
	assert_non_null(strstr(r.body, linked_name));
	assert_int_equal(count(r.body, "<tr><td>"), 1);
	assert_non_null(strstr(r.body, "\">2.0</td></tr>"));
	response_release(&r);
	client_release(&linked);
	out = expect("resident", "GET", "/api/v1/meetings/secretary", NULL, 200);
	assert_non_null(strstr(out, "\"members\":[]"));
	free(out);
}

/* reschedule: POSTs a move of meeting id to start (local) for minutes,
 * in place; returns the answer's body (free it). */
static char *reschedule(long long id, long long start, int minutes, const char *place, long want)
{
	char path[96], json[256], day[11], from[6], day2[11], to[6];

	local(start, day, from);
	local(start + minutes * 60, day2, to);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/reschedule", id);
	snprintf(json, sizeof(json),
		 "{\"date\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"end_date\":\"%s\","
		 "\"place\":\"%s\"}",
		 day, from, to, day2, place);
	return expect("secretary", "POST", path, json, want);
}

static char *cancel(long long id, const char *reason, long want)
{
	char path[96], json[160];

	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/cancel", id);
	snprintf(json, sizeof(json), "{\"reason\":\"%s\"}", reason);
	return expect("secretary", "POST", path, json, want);
}

static void test_reschedule_and_cancel(void **state)
{
	long long now = (long long)time(NULL), moved, off, begun;
	char code[8], path[96], *out;
	struct client linked;
	struct response r;

	(void)state;
	moved = meeting("party_congress", "branch", 0, now + 20 * 60, 60, "改期的会");
	off = meeting("party_group", "branch", 0, now + 20 * 60, 60, "取消的会");
	begun = meeting("party_group", "branch", 0, now - 60, 60, "已开始的会");
	invite(off, "member", linked_mid, 1);

	/* Moved to tomorrow, another room; a start already past is refused
	 * and changes nothing. */
	out = reschedule(moved, now - 60, 60, "别处", 422);
	assert_non_null(strstr(out, "\"field\":\"start\""));
	assert_non_null(strstr(out, "新的开始时间已经过去"));
	free(out);
	out = reschedule(moved, now + 86400, 90, "居委会二楼", 200);
	assert_non_null(strstr(out, "\"place\":\"居委会二楼\""));
	assert_int_equal(json_int(out, "starts_at"), (now + 86400) / 60 * 60);
	assert_int_equal(json_int(out, "ends_at"), (now + 86400) / 60 * 60 + 90 * 60);
	free(out);

	/* Called off: a reason is needed; then it says so everywhere. */
	out = cancel(off, "  ", 422);
	assert_non_null(strstr(out, "请写明取消原因"));
	free(out);
	out = cancel(off, "与区里会议冲突", 200);
	assert_non_null(strstr(out, "\"cancelled\":true"));
	assert_non_null(strstr(out, "\"cancel_reason\":\"与区里会议冲突\""));
	free(out);
	out = cancel(off, "再取消一次", 409);
	assert_non_null(strstr(out, "这次会议已取消"));
	free(out);
	out = reschedule(off, now + 86400, 60, "x", 409);
	assert_non_null(strstr(out, "这次会议已取消"));
	free(out);
	/* A meeting that has begun is neither moved nor called off. */
	out = cancel(begun, "太晚了", 409);
	assert_non_null(strstr(out, "会议已经开始"));
	free(out);
	out = reschedule(begun, now + 86400, 60, "x", 409);
	assert_non_null(strstr(out, "会议已经开始"));
	free(out);

	/* The invited member cannot check in to it... */
	meeting_code(off, code);
	sign_in_linked(&linked);
	out = checkin(&linked, code, 409);
	assert_non_null(strstr(out, "这次会议已取消"));
	free(out);
	client_release(&linked);
	/* ...nor is attendance recorded once its time has passed. */
	{
		char sql[128], json[128];
		snprintf(sql, sizeof(sql),
			 "UPDATE meetings SET starts_at = %lld, ends_at = %lld WHERE id = %lld;",
			 now - 7200, now - 3600, off);
		sql_exec(sql);
		snprintf(path, sizeof(path), "/api/v1/meetings/%lld/invitees", off);
		out = expect("secretary", "GET", path, NULL, 200);
		snprintf(json, sizeof(json), "{\"invitee_id\":%lld,\"status\":\"absent\"}",
			 id_before(out, linked_name));
		free(out);
		snprintf(path, sizeof(path), "/api/v1/meetings/%lld/attendance", off);
		out = expect("secretary", "PUT", path, json, 409);
		assert_non_null(strstr(out, "这次会议已取消"));
		free(out);
	}
	/* The page says why; the calendar strikes it through. */
	snprintf(path, sizeof(path), "/meetings/%lld", off);
	assert_int_equal(call("secretary", "GET", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, "本次会议已取消： 与区里会议冲突"));
	assert_null(strstr(r.body, "/cancel\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/meetings/%lld", moved);
	assert_int_equal(call("secretary", "GET", path, NULL, &r), 200);
	assert_non_null(strstr(r.body, "action=\"/meetings/"));
	assert_non_null(strstr(r.body, "/cancel\""));
	response_release(&r);
	{
		char month[8], day[11], hhmm[6];
		local(now - 7200, day, hhmm);
		snprintf(month, sizeof(month), "%.7s", day);
		snprintf(path, sizeof(path), "/meetings?month=%s", month);
		assert_int_equal(call("secretary", "GET", path, NULL, &r), 200);
		char want[160];
		snprintf(want, sizeof(want), "cancelled\" href=\"/meetings/%lld\"", off);
		assert_non_null(strstr(r.body, want));
		response_release(&r);
	}
}

static void test_minutes_behind_every_door(void **state)
{
	static const char *const secret = "讨论发展预备党员张某";
	char path[96], json[160], month[8], day[11], hhmm[6], *out, photo_view[200],
	    photo_file[200];
	const char *outsiders[] = {"resident", "volunteer", "liaison", "agency"};
	struct client c;
	struct response r;

	(void)state;
	snprintf(json, sizeof(json), "{\"minutes\":\"%s\"}", secret);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld/minutes", past_id);
	free(expect("secretary", "PUT", path, json, 200));
	/* A volunteer invited by account still does not see the branch's
	 * minutes; an invited Party member does. */
	out = expect("volunteer", "GET", "/api/v1/me", NULL, 200);
	invite(past_id, "user", json_int(out, "user_id"), 1);
	free(out);
	local((long long)time(NULL) - 26 * 3600, day, hhmm);
	snprintf(month, sizeof(month), "%.7s", day);
	/* A photo of the meeting, behind the same door as its minutes. */
	{
		unsigned char png[512];
		size_t n = make_png(png);
		struct form f = {0};
		login_as(&c, "secretary");
		form_field(&f, "_csrf", c.csrf);
		form_file(&f, "photo", "meeting.png", "image/png", png, n);
		form_end(&f);
		snprintf(path, sizeof(path), "/meetings/%lld/photos", past_id);
		assert_int_equal(form_post(&c, &srv, path, &f, NULL, &r), 0);
		assert_int_equal(r.status, 303);
		response_release(&r);
		/* Not a photo: refused in words. */
		memset(&f, 0, sizeof(f));
		form_field(&f, "_csrf", c.csrf);
		form_file(&f, "photo", "minutes.txt", "image/png", "not a photo", 11);
		form_end(&f);
		assert_int_equal(form_post(&c, &srv, path, &f, NULL, &r), 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "不是完好的照片"));
		response_release(&r);
		client_release(&c);
		snprintf(path, sizeof(path), "/api/v1/meetings/%lld", past_id);
		out = expect("secretary", "GET", path, NULL, 200);
		assert_int_equal(count(out, "\"sha256\""), 1);
		json_str(out, "view", photo_view, sizeof(photo_view));
		free(out);
		assert_non_null(strstr(photo_view, "/views/"));
		snprintf(photo_file, sizeof(photo_file), "/meetings/%lld/photos/%s", past_id,
			 strstr(photo_view, "/views/") + 7);
	}
	for (size_t i = 0; i < sizeof(outsiders) / sizeof(outsiders[0]); i++) {
		const char *u = outsiders[i];
		login_as(&c, u);
		snprintf(path, sizeof(path), "/api/v1/meetings/%lld", past_id);
		assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
		assert_null(strstr(r.body, secret));
		assert_null(strstr(r.body, "\"photos\""));
		assert_int_equal(r.status, strcmp(u, "volunteer") ? 404 : 200);
		response_release(&r);
		snprintf(path, sizeof(path), "/meetings/%lld", past_id);
		assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_null(strstr(r.body, secret));
		response_release(&r);
		snprintf(path, sizeof(path), "/api/v1/meetings?month=%s", month);
		assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
		assert_null(strstr(r.body, secret));
		response_release(&r);
		snprintf(path, sizeof(path), "/meetings?month=%s", month);
		assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
		assert_null(strstr(r.body, secret));
		response_release(&r);
		snprintf(path, sizeof(path), "/api/v1/meetings/%lld/agenda", past_id);
		assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
		assert_null(strstr(r.body, secret));
		response_release(&r);
		assert_int_equal(
		    request(&c, &srv, "GET", "/meetings/actions.csv", NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 403);
		response_release(&r);
		assert_int_equal(request(&c, &srv, "GET", photo_view, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 404);
		response_release(&r);
		assert_int_equal(request(&c, &srv, "GET", photo_file, NULL, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 404);
		response_release(&r);
		client_release(&c);
	}
	/* A resident invited to the branch's next meeting reads its agenda but
	 * gets no link to the cases, the alerts, the duty or the earlier
	 * meeting they may not open; the linked Party member gets them. */
	out = expect("resident", "GET", "/api/v1/me", NULL, 200);
	invite(next_id, "user", json_int(out, "user_id"), 1);
	invite(next_id, "branch", general, -1);
	free(out);
	login_as(&c, "resident");
	snprintf(path, sizeof(path), "/meetings/%lld", next_id);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "表彰优秀志愿者"));
	assert_null(strstr(r.body, "href=\"/cases?status=open"));
	assert_null(strstr(r.body, "href=\"/noise/live\""));
	assert_null(strstr(r.body, "href=\"/duty\""));
	assert_null(strstr(r.body, "查看来源"));
	response_release(&r);
	client_release(&c);
	sign_in_linked(&c);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, "href=\"/cases?status=open"));
	assert_non_null(strstr(r.body, "href=\"/noise/live\""));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/meetings/%lld", past_id);
	assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, secret));
	assert_null(strstr(r.body, "\"code\""));
	response_release(&r);
	/* The invited member sees the photo: the view copy, and the original
	 * without the place the camera wrote into it. */
	assert_int_equal(request(&c, &srv, "GET", photo_view, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.headers, "image/jpeg"));
	response_release(&r);
	assert_int_equal(request(&c, &srv, "GET", photo_file, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 8 && !memcmp(r.body, "\x89PNG", 4));
	assert_null(memmem(r.body, r.len, PNG_SECRET_PLACE, strlen(PNG_SECRET_PLACE)));
	response_release(&r);
	snprintf(path, sizeof(path), "/meetings/%lld", past_id);
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_non_null(strstr(r.body, secret));
	assert_non_null(strstr(r.body, "我的出席情况"));
	assert_null(strstr(r.body, "邀请名单与出席")); /* not the others' attendance */
	response_release(&r);
	client_release(&c);
}

static void test_bad_meetings(void **state)
{
	/* Each refused with 422 naming the field (and saying why), nothing
	 * created. */
	static const struct {
		const char *json, *field, *words;
	} bad[] = {
	    {"\"kind\":\"party_congress\",\"body\":\"branch\",\"branch_id\":999999,"
	     "\"date\":\"2026-05-01\",\"start\":\"19:00\",\"end\":\"21:00\"",
	     "branch_id", "党组织"},
	    {"\"kind\":\"party_congress\",\"body\":\"joint\",\"date\":\"2026-05-01\","
	     "\"start\":\"19:00\",\"end\":\"18:00\"",
	     "ends_at", "结束时间必须晚于开始时间"},
	    {"\"kind\":\"party_congress\",\"body\":\"joint\",\"date\":\"2026-5-1\","
	     "\"start\":\"19:00\",\"end\":\"21:00\"",
	     "date", "日期格式"},
	    {"\"kind\":\"party_congress\",\"body\":\"joint\",\"date\":\"2026-05-01\","
	     "\"start\":\"25:00\",\"end\":\"21:00\"",
	     "start", "开始时间格式"},
	    {"\"kind\":\"tea_party\",\"body\":\"joint\",\"date\":\"2026-05-01\","
	     "\"start\":\"19:00\",\"end\":\"21:00\"",
	     "kind", "会议类型"},
	};
	char json[512], want[64], *out, *before, *after;

	(void)state;
	before = expect("staff", "GET", "/api/v1/meetings?month=2026-05", NULL, 200);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"title\":\"x\",%s}", bad[i].json);
		out = expect("secretary", "POST", "/api/v1/meetings", json, 422);
		snprintf(want, sizeof(want), "\"field\":\"%s\"", bad[i].field);
		if (!strstr(out, want) || !strstr(out, bad[i].words))
			fail_msg("%s: %s", json, out);
		free(out);
	}
	after = expect("staff", "GET", "/api/v1/meetings?month=2026-05", NULL, 200);
	assert_string_equal(before, after);
	free(before);
	free(after);
	out = expect("staff", "GET", "/api/v1/meetings?month=2026-13", NULL, 422);
	assert_non_null(strstr(out, "\"field\":\"month\""));
	free(out);
}

/* The month's figures the monthly report reads: the meetings held (started,
 * by now) as the calendar lists them, their invitations and attendance. */
static void test_month_figures(void **state)
{
	long long now = (long long)time(NULL), held = 0;
	char day[11], hhmm[6], path[96], *out, *list;
	const char *p;

	(void)state;
	local(now - 26 * 3600, day, hhmm);
	day[7] = '\0';
	snprintf(path, sizeof(path), "/api/v1/meetings?month=%s", day);
	list = expect("secretary", "GET", path, NULL, 200);
	/* Held: begun by now and not called off (the calendar lists the
	 * called-off ones too, struck through). */
	for (p = list; (p = strstr(p, "\"starts_at\":")); p++) {
		const char *off = strstr(p, "\"cancelled\":");
		assert_non_null(off);
		held += atoll(p + 12) <= now && strncmp(off + 12, "true", 4);
	}
	free(list);
	snprintf(path, sizeof(path), "/api/v1/meetings/month?month=%s", day);
	out = expect("secretary", "GET", path, NULL, 200);
	assert_int_equal(json_int(out, "held"), held);
	assert_true(held >= 1);
	assert_true(json_int(out, "present") >= 1);
	assert_true(json_int(out, "excused") >= 1);
	assert_true(json_int(out, "present") + json_int(out, "excused") <=
		    json_int(out, "invited"));
	free(out);
	out = expect("secretary", "GET", "/api/v1/meetings/month?month=2026-00", NULL, 422);
	assert_non_null(strstr(out, "\"field\":\"month\""));
	free(out);
	free(expect("member", "GET", path, NULL, 403));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_setup_people),
	    cmocka_unit_test(test_action_items_and_bad_input),
	    cmocka_unit_test(test_agenda_drafts_from_affairs),
	    cmocka_unit_test(test_refresh_keeps_staff_edits),
	    cmocka_unit_test(test_checkin_window),
	    cmocka_unit_test(test_secretary_view),
	    cmocka_unit_test(test_reschedule_and_cancel),
	    cmocka_unit_test(test_minutes_behind_every_door),
	    cmocka_unit_test(test_bad_meetings),
	    cmocka_unit_test(test_month_figures),
	};
	return cmocka_run_group_tests(tests, srv_setup, teardown);
}
