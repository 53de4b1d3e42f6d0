/* HTTP tests of the front door (src/home) against the real server: the
 * residents' page for anyone not working cases, with the committee's
 * address, phone, office hours and today's duty social worker; a signed-in
 * resident's own reports; the poster's QR code that reads back as the
 * page's address; the work page whose every figure is exactly what its
 * link lists, pinned at the deadline edges; the inbox's to-do; and the
 * committee's profile, refused whole when any field is wrong. */
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

#define CST 28800 /* Shanghai's offset from UTC */

static char *get(struct client *c, const char *path, long want)
{
	struct response r;
	char *body;

	assert_int_equal(request(c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	if (r.status != want)
		fail_msg("GET %s: %ld, want %ld", path, r.status, want);
	body = r.body;
	r.body = NULL;
	response_release(&r);
	return body;
}

static void must_have(const char *body, const char *what, const char *where)
{
	if (!strstr(body, what))
		fail_msg("%s: no %s", where, what);
}

static void must_not_have(const char *body, const char *what, const char *where)
{
	if (strstr(body, what))
		fail_msg("%s: shows %s", where, what);
}

/* Today's ISO weekday in Shanghai, 1 = Monday. */
static int weekday_now(void)
{
	time_t t = time(NULL) + CST;
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_wday ? tm.tm_wday : 7;
}

/* ---- the residents' page ---- */

static void test_residents_page_for_anyone(void **state)
{
	struct client anon;
	char *body;
	/* The demo's rota: the social worker on weekdays, the secretary on
	 * Saturday, nobody on Sunday. */
	static const char *const duty[] = {"",
					   "王敏（社工）",
					   "王敏（社工）",
					   "王敏（社工）",
					   "王敏（社工）",
					   "王敏（社工）",
					   "陈建华（书记）",
					   "未安排"};

	(void)state;
	client_init(&anon);
	body = get(&anon, "/", 200);
	must_have(body, "<a class=\"button primary big\" href=\"/report\">我要反映</a>", "front");
	must_have(body, "<form class=\"track-box\" method=\"get\" action=\"/track\">", "front");
	must_have(body, "name=\"code\"", "front");
	must_have(body, "静安区芷江西路街道普善路 88 弄居委会（底楼）", "front");
	must_have(body, "<a href=\"tel:021-56330000\">021-56330000</a>", "front");
	must_have(body, "周一至周五 8:30–17:00", "front");
	must_have(body, duty[weekday_now()], "front: today's duty");
	/* No week published yet (the demo without its history): it says so. */
	must_have(body, "本周暂无通知。", "front before publishing");
	must_have(body, "href=\"/qr\"", "front");
	must_have(body, "<a href=\"/login\">工作人员登录</a>", "front");
	/* Nothing of the staff's: no work figures, no reports of others. */
	must_not_have(body, "今日工作", "front");
	must_not_have(body, "我的反映", "front");
	must_not_have(body, "/cases?", "front");
	free(body);
	/* This week's timetable published: the notice shows it by day,
	 * today's day open with its sessions. */
	{
		char *out = NULL, monday[16], mark[64];
		time_t t = time(NULL) + CST - (time_t)(weekday_now() - 1) * 86400;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(monday, sizeof(monday), "%Y-%m-%d", &tm);
		assert_int_equal(
		    run_cli(&srv, NULL, &out, "schedule", "publish", "--week", monday, NULL), 0);
		free(out);
		body = get(&anon, "/", 200);
		must_have(body, "广场舞错峰时间表", "front");
		snprintf(mark, sizeof(mark), "<details class=\"day\" open><summary>%s",
			 (const char *[]){"", "周一", "周二", "周三", "周四", "周五", "周六",
					  "周日"}[weekday_now()]);
		must_have(body, mark, "front: today's day open");
		/* Today's first line is a session (a time), not "nothing". */
		{
			const char *p = strstr(strstr(body, mark), "</summary>");
			assert_non_null(p);
			if (strncmp(p, "</summary><ul class=\"sessions\"><li><b>", 37))
				fail_msg("today's sessions: %.120s", p);
		}
		free(body);
	}
	client_release(&anon);
}

static void test_poster_reads_back(void **state)
{
	struct client anon;
	char *body, url[160], got[512];

	(void)state;
	client_init(&anon);
	body = get(&anon, "/qr", 200);
	snprintf(url, sizeof(url), "%s/", srv.url);
	must_have(body, url, "poster");
	must_have(body, "data-print", "poster");
	assert_int_equal(qr_read(body, got, sizeof(got)), 0);
	assert_string_equal(got, url);
	free(body);
	/* With ?area= the code takes a phone to this area. */
	body = get(&anon, "/qr?area=pushan", 200);
	snprintf(url, sizeof(url), "%s/?area=pushan", srv.url);
	assert_int_equal(qr_read(body, got, sizeof(got)), 0);
	assert_string_equal(got, url);
	free(body);
	body = get(&anon, "/qr?area=nosuch", 404);
	free(body);
	client_release(&anon);
}

static void test_resident_sees_own_reports(void **state)
{
	struct client res, anon;
	struct response r;
	char code[64] = "", *body, mark[96];

	(void)state;
	login_as(&res, "resident");
	body = get(&res, "/", 200);
	must_have(body, "我的反映", "resident");
	must_have(body, "我要反映", "resident");
	must_not_have(body, "今日工作", "resident");
	free(body);
	assert_int_equal(
	    api(&res, &srv, "POST", "/api/v1/cases",
		"{\"category\":\"repair\",\"description\":\"H-own 3号楼电梯按钮失灵\"}", &r),
	    0);
	assert_int_equal(r.status, 201);
	json_str(r.body, "tracking_code", code, sizeof(code));
	response_release(&r);
	body = get(&res, "/", 200);
	snprintf(mark, sizeof(mark), "href=\"/track/%s\"", code);
	must_have(body, mark, "resident's reports");
	must_have(body, "H-own 3号楼电梯按钮失灵", "resident's reports");
	must_have(body, "<span class=\"state state-submitted\">已提交</span>",
		  "resident's reports");
	free(body);
	/* Nobody else sees it on their front page: not anyone signed out,
	 * and not another signed-in reader of the residents' page. */
	client_init(&anon);
	body = get(&anon, "/", 200);
	must_not_have(body, "H-own", "anonymous front");
	free(body);
	client_release(&anon);
	login_as(&anon, "liaison");
	body = get(&anon, "/", 200);
	must_have(body, "我的反映", "the liaison's front");
	must_not_have(body, "H-own", "the liaison's front");
	free(body);
	client_release(&anon);
	client_release(&res);
}

/* ---- the work page ---- */

/* figure: the number on the page in the stat linking to href. */
static long long figure(const char *body, const char *href)
{
	char anchor[160];
	const char *p;

	snprintf(anchor, sizeof(anchor), "href=\"%s\"><span class=\"num\">", href);
	p = strstr(body, anchor);
	if (!p)
		fail_msg("no figure linking to %s", href);
	return strtoll(p + strlen(anchor), NULL, 10);
}

/* listed: how many cases the queue's API lists for the figure's link. */
static long long listed(struct client *c, const char *href)
{
	struct response r;
	char path[200];
	long long n;
	const char *q = strchr(href, '?');

	snprintf(path, sizeof(path), "/api/v1/cases%s", q ? q : "");
	assert_int_equal(api(c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	n = json_int(r.body, "total");
	response_release(&r);
	return n;
}

static const char *const area_links[] = {
    "/cases?awaiting=1",     "/cases?overdue=1",      "/cases?due=today",
    "/cases?state=resolved", "/cases?state=referred", NULL,
};

static void figures_match(struct client *c, const char *who)
{
	char *body = get(c, "/", 200);

	must_have(body, "今日工作", who);
	for (int i = 0; area_links[i]; i++) {
		long long shown = figure(body, area_links[i]), n = listed(c, area_links[i]);
		if (shown != n)
			fail_msg("%s: %s shows %lld, the queue lists %lld", who, area_links[i],
				 shown, n);
	}
	free(body);
}

static long long staff_case(struct client *c, const char *text)
{
	struct response r;
	char json[256];
	long long id;

	snprintf(json, sizeof(json), "{\"category\":\"repair\",\"description\":\"%s\"}", text);
	assert_int_equal(api(c, &srv, "POST", "/api/v1/cases", json, &r), 0);
	assert_int_equal(r.status, 201);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

static void test_work_page_figures_are_their_lists(void **state)
{
	struct client staff;
	char *body, sql[512];
	long long a, b, c, d, before_due, before_over, before_accept;
	long long now = (long long)time(NULL);
	/* The end of today in Shanghai, as a UTC second. */
	long long end = ((now + CST) / 86400 + 1) * 86400 - CST;

	(void)state;
	login_as(&staff, "staff");
	figures_match(&staff, "staff");
	body = get(&staff, "/", 200);
	before_due = figure(body, "/cases?due=today");
	before_over = figure(body, "/cases?overdue=1");
	before_accept = figure(body, "/cases?awaiting=1");
	free(body);
	/* Four new cases, their acceptance deadlines put at the edges: one
	 * second before today ends (due today), today's last second plus one
	 * (tomorrow), a minute from now (due today), a second ago (overdue,
	 * not due today). */
	a = staff_case(&staff, "H-edge a");
	b = staff_case(&staff, "H-edge b");
	c = staff_case(&staff, "H-edge c");
	d = staff_case(&staff, "H-edge d");
	snprintf(
	    sql, sizeof(sql),
	    "UPDATE cases SET accept_due = %lld WHERE id = %lld;"
	    "UPDATE cases SET accept_due = %lld WHERE id = %lld;"
	    "UPDATE cases SET accept_due = %lld WHERE id = %lld;"
	    "UPDATE cases SET accept_due = %lld WHERE id = %lld;"
	    "UPDATE cases SET resolve_due = %lld + 864000 WHERE id IN (%lld, %lld, %lld, %lld);",
	    end - 1, a, end, b, now + 60, c, now - 1, d, end, a, b, c, d);
	sql_exec(sql);
	body = get(&staff, "/", 200);
	assert_int_equal(figure(body, "/cases?awaiting=1"), before_accept + 4);
	assert_int_equal(figure(body, "/cases?due=today"), before_due + 2);
	assert_int_equal(figure(body, "/cases?overdue=1"), before_over + 1);
	free(body);
	figures_match(&staff, "staff, after the edges");
	/* The volunteer and the agency see no area-wide figures: their work
	 * page counts only what is theirs. */
	client_release(&staff);
}

static void test_work_page_by_role(void **state)
{
	/* admin, secretary, staff, member, volunteer, resident, liaison, agency */
	static const char work[] = "yyyyynny", area[] = "yyynnnnn";
	(void)state;
	for (int i = 0; i < NDEMO_USERS; i++) {
		struct client c;
		char *body;
		login_as(&c, demo_users[i]);
		body = get(&c, "/", 200);
		if ((strstr(body, "今日工作") != NULL) != (work[i] == 'y'))
			fail_msg("%s: the work page %s", demo_users[i],
				 work[i] == 'y' ? "is missing" : "is shown");
		if ((strstr(body, "全居民区") != NULL) != (area[i] == 'y'))
			fail_msg("%s: the area-wide figures %s", demo_users[i],
				 area[i] == 'y' ? "are missing" : "are shown");
		/* The cases waiting longest, one tap from their page: the four
		 * made above wait, so the committee sees the list. */
		if ((strstr(body, "<ul class=\"rows waiting\"><li><a href=\"/cases/") != NULL) !=
		    (area[i] == 'y'))
			fail_msg("%s: the waiting list %s", demo_users[i],
				 area[i] == 'y' ? "is missing" : "is shown");
		if (work[i] != 'y')
			must_have(body, "我要反映", demo_users[i]);
		free(body);
		client_release(&c);
	}
}

/* The navigation's menus: the secretary on the households page finds it
 * in 小区与居民, marked as the current menu, with the households link
 * current inside it; a volunteer, who holds one item of 党建 (the
 * meetings), gets that item on its own and no 党建 menu. */
static void test_nav_menus(void **state)
{
	struct client c;
	char *body, *menu, *end;

	(void)state;
	login_as(&c, "secretary");
	body = get(&c, "/households", 200);
	menu = strstr(body, "<summary class=\"current\">小区与居民</summary><ul>");
	if (!menu)
		fail_msg("secretary /households: no current 小区与居民 menu");
	end = strstr(menu, "</details>");
	assert_non_null(end);
	*end = '\0';
	must_have(menu, "<a href=\"/households\" aria-current=\"page\">住户</a>", "the menu");
	must_have(menu, "<a href=\"/residents\">居民</a>", "the menu");
	must_not_have(menu, "/meetings", "the places menu");
	free(body);
	body = get(&c, "/meetings", 200);
	must_have(body, "<summary class=\"current\">党建</summary>", "secretary /meetings");
	must_have(body, "<summary>小区与居民</summary>", "secretary /meetings");
	free(body);
	client_release(&c);

	login_as(&c, "volunteer");
	body = get(&c, "/", 200);
	must_not_have(body, "<summary>党建</summary>", "volunteer /");
	must_have(body, "<li><a href=\"/meetings\">会议</a></li>", "volunteer /");
	must_have(body, "<summary>志愿与值班</summary>", "volunteer /");
	must_have(body, "<a href=\"/hours\">服务时长</a>", "volunteer /");
	must_not_have(body, "href=\"/branches\"", "volunteer /");
	/* planning the rosters is the committee's: not in the volunteer's menu */
	must_not_have(body, "href=\"/duty\"", "volunteer /");
	must_have(body, "href=\"/duty/my\"", "volunteer /");
	free(body);
	client_release(&c);
}

static const char *const mine_links[] = {
    "/cases?awaiting=1&amp;mine=1",	"/cases?overdue=1&amp;mine=1",
    "/cases?due=today&amp;mine=1",	"/cases?state=resolved&amp;mine=1",
    "/cases?state=referred&amp;mine=1", NULL,
};

/* A private dispute assigned to the volunteer and due today: the
 * volunteer may not open it, so no figure of theirs counts it; each of
 * their figures is still what its link lists for them. */
static void test_work_figures_keep_private_cases_out(void **state)
{
	struct client sec, vol;
	struct response r;
	char json[160], path[64], id_text[32], sql[256], *body;
	long long id, volunteer;

	(void)state;
	login_as(&sec, "secretary");
	login_as(&vol, "volunteer");
	sql_query(id_text, sizeof(id_text), "SELECT id FROM users WHERE username = 'volunteer';");
	volunteer = atoll(id_text);
	assert_int_equal(
	    api(&sec, &srv, "POST", "/api/v1/cases",
		"{\"category\":\"dispute\",\"description\":\"H-private 楼上漏水纠纷\"}", &r),
	    0);
	assert_int_equal(r.status, 201);
	id = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(&sec, &srv, "POST", path, "{\"action\":\"accept\"}", &r), 0);
	response_release(&r);
	snprintf(json, sizeof(json), "{\"action\":\"assign\",\"handler_user_id\":%lld}", volunteer);
	assert_int_equal(api(&sec, &srv, "POST", path, json, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(sql, sizeof(sql), "UPDATE cases SET resolve_due = %lld WHERE id = %lld;",
		 (long long)time(NULL) + 120, id);
	sql_exec(sql);
	body = get(&vol, "/", 200);
	must_not_have(body, "H-private", "volunteer's work page");
	for (int i = 0; mine_links[i]; i++) {
		char href[96];
		const char *amp = strstr(mine_links[i], "&amp;");
		snprintf(href, sizeof(href), "%.*s&%s", (int)(amp - mine_links[i]), mine_links[i],
			 amp + 5);
		if (strstr(body, "href=\"/cases?") &&
		    figure(body, mine_links[i]) != listed(&vol, href))
			fail_msg("volunteer: %s shows %lld, the queue lists %lld", href,
				 figure(body, mine_links[i]), listed(&vol, href));
	}
	free(body);
	client_release(&vol);
	client_release(&sec);
}

/* Assigned to the staff account: on its to-do and "mine", not on the
 * secretary's. */
static void test_inbox_todo(void **state)
{
	struct client staff, sec;
	struct response r;
	char json[128], *body, row[64];
	long long id, me, mine_before;

	(void)state;
	login_as(&staff, "staff");
	login_as(&sec, "secretary");
	assert_int_equal(api(&staff, &srv, "GET", "/api/v1/me", NULL, &r), 0);
	me = json_int(r.body, "user_id");
	response_release(&r);
	mine_before = listed(&staff, "/cases?mine=1");
	id = staff_case(&sec, "H-todo 单元门禁坏了");
	snprintf(json, sizeof(json), "{\"action\":\"accept\"}");
	snprintf(row, sizeof(row), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(&sec, &srv, "POST", row, json, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	snprintf(json, sizeof(json), "{\"action\":\"assign\",\"handler_user_id\":%lld}", me);
	assert_int_equal(api(&sec, &srv, "POST", row, json, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(listed(&staff, "/cases?mine=1"), mine_before + 1);
	body = get(&staff, "/inbox", 200);
	snprintf(row, sizeof(row), "href=\"/cases/%lld\"><span class=\"line\"><b>#%lld", id, id);
	must_have(body, "我的待办", "inbox");
	must_have(body, row, "inbox to-do");
	must_have(body, "H-todo 单元门禁坏了", "inbox to-do");
	free(body);
	body = get(&sec, "/inbox", 200);
	must_not_have(body, row, "the secretary's to-do");
	free(body);
	/* Done is off the list. */
	snprintf(row, sizeof(row), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(&staff, &srv, "POST", row, "{\"action\":\"start\"}", &r), 0);
	response_release(&r);
	assert_int_equal(
	    api(&staff, &srv, "POST", row, "{\"action\":\"resolve\",\"note\":\"已修好\"}", &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(listed(&staff, "/cases?mine=1"), mine_before);
	client_release(&staff);
	client_release(&sec);
}

/* ---- the committee's profile ---- */

static long post_profile(struct client *c, const char *fields, char **body)
{
	struct response r;
	char form[2048];

	snprintf(form, sizeof(form), "_csrf=%s&%s", c->csrf, fields);
	assert_int_equal(request(c, &srv, "POST", "/area/profile", form,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	if (body) {
		*body = r.body;
		r.body = NULL;
	}
	response_release(&r);
	return r.status;
}

static void test_profile_refused_whole(void **state)
{
	struct client staff, anon;
	char *body, fields[1024], long_text[256], vol[32], audit_before[32], audit_after[32];
	long long volunteer;

	(void)state;
	login_as(&staff, "staff");
	client_init(&anon);
	body = get(&staff, "/area/profile", 200);
	must_have(body, "name=\"address\"", "profile form");
	must_have(body, "王敏（社工）", "profile form: the duty choices");
	free(body);
	sql_query(audit_before, sizeof(audit_before), "SELECT COUNT(*) FROM audit_log;");
	/* A bad phone among good fields: 422, the error beside the phone, and
	 * nothing stored (the address did not change either). */
	assert_int_equal(
	    post_profile(&staff, "address=NEW-ADDRESS&phone=12ab&office_hours=x", &body), 422);
	must_have(body, "aria-invalid=\"true\" aria-describedby=\"p-phone-e\"", "bad phone");
	must_have(body, "不是有效的电话号码", "bad phone");
	must_have(body, "value=\"NEW-ADDRESS\"", "bad phone: the input is kept");
	free(body);
	body = get(&anon, "/", 200);
	must_not_have(body, "NEW-ADDRESS", "front after a refused profile");
	free(body);
	/* 200 characters pass, 201 do not. */
	memset(long_text, 'x', 201);
	long_text[201] = 0;
	snprintf(fields, sizeof(fields), "address=%s&phone=021-56330000", long_text);
	assert_int_equal(post_profile(&staff, fields, NULL), 422);
	long_text[200] = 0;
	snprintf(fields, sizeof(fields), "address=%s&phone=021-56330000", long_text);
	assert_int_equal(post_profile(&staff, fields, NULL), 303);
	/* A volunteer cannot be put on duty; a staff account can. */
	sql_query(vol, sizeof(vol), "SELECT id FROM users WHERE username = 'volunteer';");
	volunteer = atoll(vol);
	snprintf(fields, sizeof(fields), "address=A&phone=&duty3=%lld", volunteer);
	assert_int_equal(post_profile(&staff, fields, &body), 422);
	must_have(body, "值班人须是本居民区的工作人员账号", "bad duty");
	free(body);
	sql_query(audit_after, sizeof(audit_after), "SELECT COUNT(*) FROM audit_log;");
	/* One audited write so far: the 200-character address. */
	assert_int_equal(atoll(audit_after), atoll(audit_before) + 1);
	/* Put things back as the demo had them, which the front page shows. */
	sql_query(vol, sizeof(vol), "SELECT id FROM users WHERE username = 'staff';");
	snprintf(fields, sizeof(fields), "duty1=%s&duty2=%s&duty3=%s&duty4=%s&duty5=%s", vol, vol,
		 vol, vol, vol);
	sql_query(vol, sizeof(vol), "SELECT id FROM users WHERE username = 'secretary';");
	snprintf(fields + strlen(fields), sizeof(fields) - strlen(fields), "&duty6=%s", vol);
	{
		char all[2048];
		snprintf(
		    all, sizeof(all),
		    "address=%%E9%%9D%%99%%E5%%AE%%89%%E5%%8C%%BA%%E8%%8A%%B7%%E6%%B1%%9F%%E8%%A5%%"
		    "BF"
		    "%%E8%%B7%%AF%%E8%%A1%%97%%E9%%81%%93%%E6%%99%%AE%%E5%%96%%84%%E8%%B7%%AF+88+"
		    "%%E5%%BC%%84%%E5%%B1%%85%%E5%%A7%%94%%E4%%BC%%9A%%EF%%BC%%88%%E5%%BA%%95%%E6%%"
		    "A5"
		    "%%BC%%EF%%BC%%89&phone=021-56330000&office_hours=%%E5%%91%%A8%%E4%%B8%%80%%E8"
		    "%%87%%B3%%E5%%91%%A8%%E4%%BA%%94+8%%3A30%%E2%%80%%9317%%3A00%%EF%%BC%%9B%%E5%%"
		    "91"
		    "%%A8%%E5%%85%%AD+9%%3A00%%E2%%80%%9312%%3A00+%%E5%%80%%BC%%E7%%8F%%AD&%s",
		    fields);
		assert_int_equal(post_profile(&staff, all, NULL), 303);
	}
	body = get(&anon, "/", 200);
	must_have(body, "静安区芷江西路街道普善路 88 弄居委会（底楼）", "front, restored");
	free(body);
	client_release(&anon);
	client_release(&staff);
}

static void test_profile_cli(void **state)
{
	char *out = NULL, before[64], after[64];

	(void)state;
	sql_query(before, sizeof(before), "SELECT phone FROM areas WHERE code = 'pushan';");
	assert_int_equal(run_cli(&srv, NULL, &out, "area", "profile", "--phone", "12ab", NULL), 2);
	assert_non_null(strstr(out, "phone"));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "area", "profile", "--duty", "8=staff", NULL),
			 2);
	free(out);
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "area", "profile", "--duty", "1=volunteer", NULL), 2);
	free(out);
	sql_query(after, sizeof(after), "SELECT phone FROM areas WHERE code = 'pushan';");
	assert_string_equal(before, after);
	assert_int_equal(run_cli(&srv, NULL, &out, "area", "profile", "--phone", "021-56330001",
				 "--duty", "7=staff", NULL),
			 0);
	assert_non_null(strstr(out, "021-56330001"));
	free(out);
	sql_query(after, sizeof(after), "SELECT phone FROM areas WHERE code = 'pushan';");
	assert_string_equal(after, "021-56330001");
	assert_int_equal(run_cli(&srv, NULL, &out, "area", "profile", "--phone", "021-56330000",
				 "--duty", "1=staff,2=staff,3=staff,4=staff,5=staff,6=secretary",
				 NULL),
			 0);
	free(out);
}

/* ---- the report form and what follows it ---- */

static void test_report_form_emergency_first(void **state)
{
	struct client anon;
	char *body;

	(void)state;
	client_init(&anon);
	body = get(&anon, "/report?category=safety", 200);
	must_have(body,
		  "<p class=\"emergency\" role=\"note\">紧急情况请直接拨打 "
		  "<a href=\"tel:110\">110</a> / <a href=\"tel:119\">119</a> / "
		  "<a href=\"tel:120\">120</a></p>",
		  "safety form");
	/* Above the form, before anything to fill in. */
	assert_true(strstr(body, "class=\"emergency\"") < strstr(body, "<form method=\"post\""));
	free(body);
	body = get(&anon, "/report?category=repair", 200);
	must_not_have(body, "class=\"emergency\"", "repair form");
	/* The building list names each group's compound for the script. */
	must_have(body, "data-filters=\"f-building\"", "repair form");
	must_have(body, "<optgroup label=\"", "repair form");
	must_have(body, "data-compound=\"", "repair form");
	free(body);
	client_release(&anon);
}

/* Three things wrong at once: each is said at the top, in the form's
 * order, and beside its own field; nothing is filed. */
static void test_report_errors_all_at_once(void **state)
{
	struct client anon;
	struct response r;
	struct form f = {{0}, 0};
	char other[32], building[32], count_before[32], count_after[32], sql[256];
	const char *p1, *p2, *p3;

	(void)state;
	client_init(&anon);
	/* A building of another compound than the one chosen. */
	sql_query(building, sizeof(building),
		  "SELECT MIN(id) FROM buildings WHERE compound_id = 1;");
	sql_query(other, sizeof(other), "SELECT MIN(id) FROM compounds WHERE id <> 1;");
	sql_query(count_before, sizeof(count_before), "SELECT COUNT(*) FROM cases;");
	form_field(&f, "category", "repair");
	form_field(&f, "description", "");
	form_field(&f, "compound_id", other);
	form_field(&f, "building_id", building);
	form_field(&f, "reporter_phone", "12ab");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 422);
	must_have(r.body, "请修改以下 3 处后再提交", "summary");
	p1 = strstr(r.body, "<li><a href=\"#f-description\">");
	p2 = strstr(r.body, "<li><a href=\"#f-building\">这栋楼不在所选小区");
	p3 = strstr(r.body, "<li><a href=\"#f-phone\">");
	if (!p1 || !p2 || !p3 || !(p1 < p2 && p2 < p3))
		fail_msg("summary not in the form's order: %p %p %p", (void *)p1, (void *)p2,
			 (void *)p3);
	must_have(r.body, "<p class=\"error\" id=\"e-description\">", "beside description");
	must_have(r.body, "<p class=\"error\" id=\"e-building_id\">这栋楼不在所选小区",
		  "beside building");
	must_have(r.body, "<p class=\"error\" id=\"e-reporter_phone\">", "beside phone");
	must_have(r.body, "aria-describedby=\"e-reporter_phone\"", "phone input");
	response_release(&r);
	sql_query(count_after, sizeof(count_after), "SELECT COUNT(*) FROM cases;");
	assert_string_equal(count_before, count_after);
	/* The same building with its own compound files. */
	memset(&f, 0, sizeof(f));
	form_field(&f, "category", "repair");
	form_field(&f, "description", "H-form 楼道灯不亮");
	form_field(&f, "compound_id", "1");
	form_field(&f, "building_id", building);
	form_field(&f, "confirm_new", "1");
	form_end(&f);
	assert_int_equal(form_post(&anon, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	/* The JSON API refuses the mismatch too: one rule, one place. */
	{
		struct client staff;
		char json[200];
		login_as(&staff, "staff");
		snprintf(json, sizeof(json),
			 "{\"category\":\"repair\",\"description\":\"x\",\"compound_id\":%s,"
			 "\"building_id\":%s}",
			 other, building);
		assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases", json, &r), 0);
		assert_int_equal(r.status, 422);
		must_have(r.body, "building_id", "API mismatch");
		response_release(&r);
		client_release(&staff);
	}
	(void)sql;
	client_release(&anon);
}

/* file_new files a new report on the public form; loc gets where it
 * leads (/track/CODE?new=1). */
static void file_new(struct client *c, const char *category, const char *text, const char *address,
		     char *loc, size_t n)
{
	struct form f = {{0}, 0};
	struct response r;

	form_field(&f, "category", category);
	form_field(&f, "description", text);
	form_field(&f, "address", address);
	form_field(&f, "confirm_new", "1");
	form_end(&f);
	assert_int_equal(form_post(c, &srv, "/report", &f, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	assert_non_null(header_value(&r, "Location", loc, n));
	response_release(&r);
}

/* The receipt: the code large, a copy button, and a QR code that reads
 * back as the tracking page's address; the tracking page shows what was
 * reported. A private category's words stay with staff. */
static void test_receipt_and_tracking(void **state)
{
	struct client anon;
	char loc[128], path[160], url[200], got[512], *body;

	(void)state;
	client_init(&anon);
	file_new(&anon, "repair", "H-receipt 二号楼门口地砖翘起", "二号楼门口", loc, sizeof(loc));
	body = get(&anon, loc, 200);
	snprintf(path, sizeof(path), "<p class=\"code\" id=\"track-code\">%.10s</p>", loc + 7);
	must_have(body, path, "receipt");
	must_have(body, "data-copy=\"track-code\"", "receipt");
	snprintf(url, sizeof(url), "%s/track/%.10s", srv.url, loc + 7);
	assert_int_equal(qr_read(body, got, sizeof(got)), 0);
	assert_string_equal(got, url);
	/* What was reported, above the timeline. */
	must_have(body, "<p class=\"said\">H-receipt 二号楼门口地砖翘起</p>", "tracking");
	must_have(body, "二号楼门口", "tracking: the place");
	assert_true(strstr(body, "class=\"said\"") < strstr(body, "class=\"timeline\""));
	free(body);
	/* A dispute: the code holder sees the state, not the words. */
	file_new(&anon, "dispute", "H-secret 楼上邻居半夜拖椅子", "", loc, sizeof(loc));
	body = get(&anon, loc, 200);
	must_not_have(body, "H-secret", "dispute tracking");
	must_have(body, "纠纷类反映的内容只有工作人员能看到", "dispute tracking");
	free(body);
	snprintf(path, sizeof(path), "/api/v1/track/%.10s", loc + 7);
	body = get(&anon, path, 200);
	must_not_have(body, "H-secret", "dispute tracking JSON");
	free(body);
	client_release(&anon);
}

/* The rating: every choice its own radio with its own label. */
static void test_rating_labels(void **state)
{
	struct client staff, anon;
	struct response r;
	char code[16] = "", path[96], *body;
	long long id;

	(void)state;
	login_as(&staff, "staff");
	client_init(&anon);
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"repair\",\"description\":\"H-rate 信箱坏了\"}", &r),
			 0);
	id = json_int(r.body, "id");
	json_str(r.body, "tracking_code", code, sizeof(code));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	char assign[96], me[32];
	sql_query(me, sizeof(me), "SELECT id FROM users WHERE username = 'staff';");
	snprintf(assign, sizeof(assign), "{\"action\":\"assign\",\"handler_user_id\":%s}", me);
	const char *const steps[] = {"{\"action\":\"accept\"}", assign,
				     "{\"action\":\"resolve\",\"note\":\"换好了\"}", NULL};
	for (int i = 0; steps[i]; i++) {
		assert_int_equal(api(&staff, &srv, "POST", path, steps[i], &r), 0);
		if (r.status != 200)
			fail_msg("%s: %ld %s", steps[i], r.status, r.body);
		response_release(&r);
	}
	snprintf(path, sizeof(path), "/track/%s", code);
	body = get(&anon, path, 200);
	for (int i = 1; i <= 5; i++) {
		char want[96];
		snprintf(want, sizeof(want),
			 "<input type=\"radio\" name=\"rating\" id=\"rate-%d\" value=\"%d\" "
			 "required><label for=\"rate-%d\">",
			 i, i, i);
		must_have(body, want, "rating");
	}
	free(body);
	client_release(&anon);
	client_release(&staff);
}

/* The registry overview: the general branch counts the members of the
 * branches under it (it holds none itself), so its figure is their sum. */
static void test_general_branch_counts_its_branches(void **state)
{
	struct client sec;
	char *body, general[32], under[32];

	(void)state;
	login_as(&sec, "secretary");
	sql_query(general, sizeof(general),
		  "SELECT id FROM branches WHERE kind = 'general' AND archived = 0;");
	sql_query(
	    under, sizeof(under),
	    "SELECT COUNT(*) FROM members m JOIN branches b ON b.id = m.branch_id"
	    " WHERE m.archived = 0 AND (b.id IN (SELECT id FROM branches WHERE kind = 'general')"
	    " OR b.parent_id IN (SELECT id FROM branches WHERE kind = 'general'));");
	assert_true(atoll(under) > 0);
	body = get(&sec, "/registry", 200);
	{
		char want[128];
		snprintf(want, sizeof(want), "<a href=\"/branches/%s\">", general);
		const char *row = strstr(body, want), *b;
		assert_non_null(row);
		b = strstr(row, "<b>");
		assert_non_null(b);
		assert_int_equal(atoll(b + 3), atoll(under));
	}
	free(body);
	client_release(&sec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_residents_page_for_anyone),
	    cmocka_unit_test(test_poster_reads_back),
	    cmocka_unit_test(test_resident_sees_own_reports),
	    cmocka_unit_test(test_work_page_figures_are_their_lists),
	    cmocka_unit_test(test_work_page_by_role),
	    cmocka_unit_test(test_nav_menus),
	    cmocka_unit_test(test_work_figures_keep_private_cases_out),
	    cmocka_unit_test(test_inbox_todo),
	    cmocka_unit_test(test_profile_refused_whole),
	    cmocka_unit_test(test_profile_cli),
	    cmocka_unit_test(test_report_form_emergency_first),
	    cmocka_unit_test(test_report_errors_all_at_once),
	    cmocka_unit_test(test_receipt_and_tracking),
	    cmocka_unit_test(test_rating_labels),
	    cmocka_unit_test(test_general_branch_counts_its_branches),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
