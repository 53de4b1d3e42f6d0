/* HTTP tests of co-building against the real server over the demo area:
 * a liaison claims a need and the committee confirms, forming a project;
 * the committee offers a resource and only that unit's liaison may
 * confirm; a second claim of a matched need and a second pending claim
 * of one unit are refused in zh-CN and English with nothing changed; a
 * liaison sees only their own unit's resources, claims, projects and
 * unit page; bad input names the field; the pages show the same. */
#include "checks.h"

#include <jansson.h>
#include <pthread.h>
#include <time.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static struct client clients[NDEMO_USERS];
static int signed_in[NDEMO_USERS];

static int teardown(void **state)
{
	for (size_t k = 0; k < NDEMO_USERS; k++)
		if (signed_in[k])
			client_release(&clients[k]);
	return srv_teardown(state);
}

static struct client *as(const char *user)
{
	size_t k = 0;

	while (k < NDEMO_USERS && strcmp(demo_users[k], user))
		k++;
	assert_true(k < NDEMO_USERS);
	if (!signed_in[k]) {
		login_as(&clients[k], user);
		signed_in[k] = 1;
	}
	return &clients[k];
}

/* expect: a JSON call as user, the status asserted; the body (caller frees). */
static char *expect(const char *user, const char *method, const char *path, const char *json,
		    long want)
{
	struct response r;
	char *out;

	assert_int_equal(api(as(user), &srv, method, path, json, &r), 0);
	if (r.status != want)
		fail_msg("%s %s %s: got %ld (%.400s), want %ld", user, method, path, r.status,
			 r.body, want);
	out = strdup(r.body ? r.body : "");
	response_release(&r);
	return out;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* id_of: the "id" of the list's object in which needle occurs. */
static long long id_of(const char *json, const char *needle)
{
	const char *p = strstr(json, needle);

	if (!p)
		fail_msg("%s not in %.300s", needle, json);
	while (p > json && strncmp(p, "{\"id\":", 6))
		p--;
	return json_int(p, "id");
}

/* field_of: the integer key of the list's object in which needle occurs. */
static long long field_of(const char *json, const char *needle, const char *key)
{
	const char *p = strstr(json, needle);

	if (!p)
		fail_msg("%s not in %.300s", needle, json);
	while (p > json && strncmp(p, "{\"id\":", 6))
		p--;
	return json_int(p, key);
}

/* text_of: the string key of the list's object in which needle occurs. */
static const char *text_of(const char *json, const char *needle, const char *key)
{
	static char out[256];
	const char *p = strstr(json, needle);

	if (!p)
		fail_msg("%s not in %.300s", needle, json);
	while (p > json && strncmp(p, "{\"id\":", 6))
		p--;
	json_str(p, key, out, sizeof(out));
	return out;
}

static long long need_id(const char *title)
{
	char *out = expect("secretary", "GET", "/api/v1/needs", NULL, 200);
	long long id = id_of(out, title);
	free(out);
	return id;
}

static void liaison_claims_and_committee_confirms(void **state)
{
	char path[96], *out;
	long long need = need_id("学前班场地"), claim;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/needs/%lld/claims", need);
	out = expect("liaison", "POST", path, "{}", 201);
	assert_non_null(strstr(out, "\"state\":\"pending\""));
	claim = json_int(out, "id");
	free(out);
	/* the liaison's own side is confirmed; confirming again changes nothing */
	snprintf(path, sizeof(path), "/api/v1/claims/%lld/confirm", claim);
	out = expect("liaison", "POST", path, NULL, 200);
	assert_non_null(strstr(out, "\"state\":\"pending\""));
	free(out);
	out = expect("secretary", "GET", "/api/v1/projects", NULL, 200);
	assert_int_equal(count(out, "学前班场地"), 0);
	free(out);
	/* the committee's side: matched, the project formed with the unit */
	out = expect("secretary", "POST", path, NULL, 200);
	assert_non_null(strstr(out, "\"state\":\"matched\""));
	assert_true(json_int(out, "project_id") > 0);
	free(out);
	out = expect("secretary", "GET", "/api/v1/projects", NULL, 200);
	assert_int_equal(count(out, "\"title\":\"学前班场地\""), 1);
	assert_non_null(strstr(out, "城投水务普善供水站"));
	free(out);
	out = expect("secretary", "GET", "/api/v1/needs", NULL, 200);
	assert_string_equal(text_of(out, "学前班场地", "state"), "matched");
	free(out);
	/* the liaison sees the project their unit joined */
	out = expect("liaison", "GET", "/api/v1/projects", NULL, 200);
	assert_non_null(strstr(out, "学前班场地"));
	free(out);
}

static void matched_need_refused(void **state)
{
	char path[96], *before, *after, *out;
	long long need = need_id("学前班场地");
	struct client en;
	struct response r;

	(void)state;
	before = expect("secretary", "GET", "/api/v1/claims", NULL, 200);
	snprintf(path, sizeof(path), "/api/v1/needs/%lld/claims", need);
	out = expect("liaison", "POST", path, "{}", 409);
	assert_non_null(strstr(out, "该需求已对接，不能再认领。"));
	free(out);
	/* the committee's offer to the matched need: the same refusal */
	out = expect("secretary", "POST", path, "{\"unit_id\":1}", 409);
	assert_non_null(strstr(out, "已对接"));
	free(out);
	/* in English */
	login_as(&en, "liaison");
	en.lang = "en";
	assert_int_equal(api(&en, &srv, "POST", path, "{}", &r), 0);
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "already matched"));
	response_release(&r);
	client_release(&en);
	after = expect("secretary", "GET", "/api/v1/claims", NULL, 200);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void second_pending_claim_refused(void **state)
{
	char path[96], *out, *before;
	long long need = need_id("社区运动会志愿者");

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/needs/%lld/claims", need);
	free(expect("liaison", "POST", path, "{}", 201));
	before = expect("liaison", "GET", "/api/v1/claims", NULL, 200);
	out = expect("liaison", "POST", path, "{}", 409);
	assert_non_null(strstr(out, "本单位已认领此需求"));
	free(out);
	out = expect("liaison", "GET", "/api/v1/claims", NULL, 200);
	assert_string_equal(before, out);
	free(out);
	free(before);
}

static void offer_confirmed_only_by_its_unit(void **state)
{
	char path[96], *out;
	long long claim;

	(void)state;
	/* the bank's claim of the race's money waits for the committee (the
	 * demo) */
	out = expect("secretary", "GET", "/api/v1/claims", NULL, 200);
	claim = id_of(out, "\"need\":\"青少年定向赛活动经费\"");
	free(out);
	/* the water station's liaison may not confirm the bank's claim */
	snprintf(path, sizeof(path), "/api/v1/claims/%lld/confirm", claim);
	out = expect("liaison", "POST", path, NULL, 403);
	assert_non_null(strstr(out, "这条认领不属于您的单位"));
	free(out);
	/* nor see it */
	out = expect("liaison", "GET", "/api/v1/claims", NULL, 200);
	assert_null(strstr(out, "沪江银行"));
	free(out);
	/* the committee confirms it: matched */
	out = expect("secretary", "POST", path, NULL, 200);
	assert_non_null(strstr(out, "\"state\":\"matched\""));
	free(out);
	/* the committee offers the 五月花 volunteers to the sports day: the
	 * unit's side is still to confirm */
	out = expect("secretary", "GET", "/api/v1/resources", NULL, 200);
	{
		char json[96];
		long long resource = id_of(out, "活动志愿者（保安、保洁）");
		long long unit = field_of(out, "活动志愿者（保安、保洁）", "unit_id");
		free(out);
		snprintf(json, sizeof(json), "{\"unit_id\":%lld,\"resource_id\":%lld}", unit,
			 resource);
		snprintf(path, sizeof(path), "/api/v1/needs/%lld/claims",
			 need_id("社区运动会志愿者"));
		out = expect("secretary", "POST", path, json, 201);
		claim = json_int(out, "id");
		free(out);
	}
	snprintf(path, sizeof(path), "/api/v1/claims/%lld/confirm", claim);
	out = expect("secretary", "POST", path, NULL, 200);
	assert_non_null(strstr(out, "\"state\":\"pending\""));
	free(out);
	out = expect("liaison", "POST", path, NULL, 403);
	free(out);
}

static void liaison_sees_own_unit(void **state)
{
	char *all, *own, path[96];
	long long bank;
	struct response r;

	(void)state;
	all = expect("secretary", "GET", "/api/v1/resources", NULL, 200);
	own = expect("liaison", "GET", "/api/v1/resources", NULL, 200);
	assert_true(count(all, "\"unit_id\":") > count(own, "\"unit_id\":"));
	assert_int_equal(count(own, "\"unit\":\"城投水务普善供水站\""), count(own, "\"unit_id\":"));
	assert_null(strstr(own, "沪江银行"));
	bank = field_of(all, "沪江银行", "unit_id");
	free(all);
	free(own);
	/* another unit's page and year do not exist for the liaison */
	snprintf(path, sizeof(path), "/cobuild/units/%lld", bank);
	assert_int_equal(request(as("liaison"), &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	assert_int_equal(request(as("secretary"), &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "沪江银行普善支行"));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cobuild/units/%lld/year", bank);
	free(expect("liaison", "GET", path, NULL, 404));
	/* a resource the liaison gives is their unit's, whatever unit_id says */
	free(expect(
	    "liaison", "POST", "/api/v1/resources",
	    "{\"unit_id\":1,\"title\":\"节水宣传\",\"kind\":\"expertise\","
	    "\"available_from\":\"2026-01-01\",\"available_to\":\"2027-12-31\",\"amount\":1}",
	    201));
	own = expect("liaison", "GET", "/api/v1/resources", NULL, 200);
	assert_string_equal(text_of(own, "节水宣传", "unit"), "城投水务普善供水站");
	free(own);
}

/* A unit's year counts the events it organised that year, as the public
 * list of events shows them: the demo bank's financial-risk lectures. */
static void unit_year_counts_its_events(void **state)
{
	char path[96], *all, *year;
	json_t *root, *events, *y, *e;
	long long bank;
	time_t now = time(NULL) + 8 * 3600; /* Shanghai */
	struct tm tm;
	int held = 0, attended_shown;
	size_t i;
	long long ystart, yend;

	(void)state;
	all = expect("secretary", "GET", "/api/v1/resources", NULL, 200);
	bank = field_of(all, "沪江银行", "unit_id");
	free(all);
	gmtime_r(&now, &tm);
	tm.tm_mon = 0, tm.tm_mday = 1, tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	ystart = (long long)timegm(&tm) - 8 * 3600;
	tm.tm_year++;
	yend = (long long)timegm(&tm) - 8 * 3600;
	all = expect("secretary", "GET", "/api/v1/events", NULL, 200);
	root = json_loads(all, 0, NULL);
	assert_non_null(root);
	events = json_is_object(root) ? json_object_get(root, "events") : root;
	json_array_foreach (events, i, e) {
		long long at = json_integer_value(json_object_get(e, "starts_at"));
		const char *who = json_string_value(json_object_get(e, "organiser_name"));
		if (who && !strcmp(who, "沪江银行普善支行") && at >= ystart && at < yend &&
		    !json_is_true(json_object_get(e, "cancelled")))
			held++;
	}
	json_decref(root);
	free(all);
	assert_true(held > 0);
	snprintf(path, sizeof(path), "/api/v1/cobuild/units/%lld/year", bank);
	year = expect("secretary", "GET", path, NULL, 200);
	y = json_loads(year, 0, NULL);
	assert_non_null(y);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(y, "events"), "held")),
			 held);
	attended_shown =
	    (int)json_integer_value(json_object_get(json_object_get(y, "events"), "attended"));
	assert_true(attended_shown > 0);
	json_decref(y);
	free(year);
	/* the printed summary carries them too */
	snprintf(path, sizeof(path), "/cobuild/units/%lld/summary", bank);
	year = expect("secretary", "GET", path, NULL, 200);
	snprintf(path, sizeof(path), "<b>%d</b><span>主办活动</span>", held);
	if (!strstr(year, path))
		fail_msg("the summary has no %s", path);
	free(year);
}

static void bad_input(void **state)
{
	char *out, *before;

	(void)state;
	before = expect("secretary", "GET", "/api/v1/needs", NULL, 200);
	out = expect("secretary", "POST", "/api/v1/needs",
		     "{\"title\":\"x\",\"kind\":\"room\",\"source\":\"team\","
		     "\"starts_on\":\"2026-06-02\",\"ends_on\":\"2026-06-01\",\"amount\":3}",
		     422);
	assert_non_null(strstr(out, "结束日期须为有效日期，且不早于开始日期"));
	free(out);
	out = expect("secretary", "POST", "/api/v1/needs",
		     "{\"title\":\"x\",\"kind\":\"rooms\",\"source\":\"team\","
		     "\"starts_on\":\"2026-06-01\",\"ends_on\":\"2026-06-01\",\"amount\":3}",
		     422);
	assert_non_null(strstr(out, "请选择类别"));
	free(out);
	out = expect("secretary", "POST", "/api/v1/needs",
		     "{\"title\":\"x\",\"kind\":\"room\",\"source\":\"team\","
		     "\"starts_on\":\"2026-06-01\",\"ends_on\":\"2026-06-01\",\"amount\":0}",
		     422);
	assert_non_null(strstr(out, "数量须为"));
	free(out);
	out = expect("secretary", "GET", "/api/v1/needs", NULL, 200);
	assert_string_equal(before, out);
	free(out);
	free(before);
	/* a visit records what was learned, word for word */
	out = expect("secretary", "POST", "/api/v1/visits",
		     "{\"unit_id\":1,\"visited_on\":\"2026-01-05\",\"visitor\":\"王书记\","
		     "\"learned\":\"城管中队愿意每月来讲一次文明养宠。\"}",
		     201);
	free(out);
	out = expect("staff", "GET", "/api/v1/visits", NULL, 200);
	assert_non_null(strstr(out, "\"learned\":\"城管中队愿意每月来讲一次文明养宠。\""));
	assert_non_null(strstr(out, "供水站愿意为老旧小区上门检查漏水"));
	free(out);
	/* a visit in the future */
	out = expect("secretary", "POST", "/api/v1/visits",
		     "{\"unit_id\":1,\"visited_on\":\"2099-01-01\",\"visitor\":\"王\"}", 422);
	assert_non_null(strstr(out, "不晚于今天"));
	free(out);
}

static void resident_asks(void **state)
{
	char *out;

	(void)state;
	/* a resident asks; it is a resident's need whatever source says */
	out = expect("resident", "POST", "/api/v1/needs",
		     "{\"title\":\"楼道灯维修志愿者\",\"kind\":\"volunteers\",\"source\":"
		     "\"committee\",\"starts_on\":\"2027-01-05\",\"ends_on\":\"2027-01-05\","
		     "\"amount\":2}",
		     201);
	free(out);
	out = expect("resident", "GET", "/api/v1/cobuild/mine", NULL, 200);
	assert_non_null(strstr(out, "楼道灯维修志愿者"));
	assert_non_null(strstr(out, "\"state\":\"open\""));
	free(out);
	out = expect("secretary", "GET", "/api/v1/needs", NULL, 200);
	assert_non_null(strstr(
	    out, "\"title\":\"楼道灯维修志愿者\",\"kind\":\"volunteers\",\"source\":\"resident\""));
	free(out);
	/* the lists are not the resident's */
	free(expect("resident", "GET", "/api/v1/needs", NULL, 403));
}

static void pages(void **state)
{
	struct response r;
	char body[256];
	long long need = need_id("学前班场地");

	(void)state;
	/* the liaison's page: the unit's chip, claim buttons on open needs */
	assert_int_equal(request(as("liaison"), &srv, "GET", "/cobuild", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "需求清单"));
	assert_non_null(strstr(r.body, ">认领</button>"));
	assert_null(strstr(r.body, "/cobuild/match"));
	response_release(&r);
	/* a claim of a matched need through the form: the reason, 409 */
	snprintf(body, sizeof(body), "_csrf=%s&resource_id=0", as("liaison")->csrf);
	{
		char path[96];
		snprintf(path, sizeof(path), "/cobuild/needs/%lld/claim", need);
		assert_int_equal(request(as("liaison"), &srv, "POST", path, body,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
	}
	assert_int_equal(r.status, 409);
	assert_non_null(strstr(r.body, "该需求已对接，不能再认领。"));
	response_release(&r);
	/* the committee records the water station's hours on the preschool
	 * project: the unit's summary shows them */
	{
		char path[96], *out = expect("secretary", "GET", "/api/v1/projects", NULL, 200);
		long long project = id_of(out, "\"title\":\"学前班场地\"");
		long long unit =
		    field_of(strstr(out, "\"title\":\"学前班场地\""), "城投水务", "unit_id");
		free(out);
		snprintf(path, sizeof(path), "/cobuild/projects/%lld/minutes", project);
		snprintf(body, sizeof(body), "_csrf=%s&unit_id=%lld&minutes=abc",
			 as("secretary")->csrf, unit);
		assert_int_equal(request(as("secretary"), &srv, "POST", path, body,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "服务时长须为 0 至 100000 分钟"));
		response_release(&r);
		snprintf(body, sizeof(body), "_csrf=%s&unit_id=%lld&minutes=90&done=1",
			 as("secretary")->csrf, unit);
		assert_int_equal(request(as("secretary"), &srv, "POST", path, body,
					 "application/x-www-form-urlencoded", NULL, &r),
				 0);
		assert_int_equal(r.status, 303);
		response_release(&r);
		snprintf(path, sizeof(path), "/cobuild/units/%lld/summary", unit);
		assert_int_equal(request(as("liaison"), &srv, "GET", path, NULL, NULL, NULL, &r),
				 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "1.5 小时"));
		assert_non_null(strstr(r.body, "学前班场地"));
		response_release(&r);
	}
	/* the matching page explains each part of a score */
	assert_int_equal(
	    request(as("secretary"), &srv, "GET", "/cobuild/match", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "均衡分担"));
	assert_non_null(strstr(r.body, "/100"));
	response_release(&r);
}

/* ---- two confirmations at once ---- */

struct confirmer {
	struct client *c; /* its own signed-in client */
	char path[96];	  /* the claim's confirm route */
	long status;	  /* the answer's status */
};

static void *confirm_run(void *arg)
{
	struct confirmer *w = arg;
	struct response r;

	if (api(w->c, &srv, "POST", w->path, NULL, &r) == 0) {
		w->status = r.status;
		response_release(&r);
	}
	return NULL;
}

/* Two claims of one need, each waiting for its last side: the committee
 * confirms the water station's while the library's liaison confirms the
 * committee's offer to the library, at the same moment. One is matched,
 * the other refused, and the project joins one unit; ten times. */
static void two_confirmations_at_once(void **state)
{
	struct client second;
	char *out, json[512], path[96];
	long long library, library_resource;
	int rc;

	(void)state;
	rc = run_cli(&srv, "pushan-second\n", &out, "user", "add", "second", "--role",
		     "unit_liaison", "--area", "pushan", "--password-stdin", NULL);
	free(out);
	assert_int_equal(rc, 0);
	rc = run_cli(&srv, NULL, &out, "cobuild", "link", "second", "普善社区图书室", NULL);
	free(out);
	assert_int_equal(rc, 0);
	client_init(&second);
	assert_int_equal(client_login(&second, &srv, "second", "pushan-second"), 200);
	out = expect("secretary", "GET", "/api/v1/resources", NULL, 200);
	library_resource = id_of(out, "周末活动室（三十人）");
	library = field_of(out, "周末活动室（三十人）", "unit_id");
	free(out);
	for (int round = 0; round < 10; round++) {
		struct confirmer w[2] = {{as("secretary"), "", 0}, {&second, "", 0}};
		pthread_t th[2];
		long long need, a, b;

		snprintf(json, sizeof(json),
			 "{\"title\":\"并发测试%d\",\"kind\":\"room\",\"source\":\"team\","
			 "\"starts_on\":\"2027-03-01\",\"ends_on\":\"2027-03-01\",\"amount\":5}",
			 round);
		out = expect("secretary", "POST", "/api/v1/needs", json, 201);
		need = json_int(out, "id");
		free(out);
		snprintf(path, sizeof(path), "/api/v1/needs/%lld/claims", need);
		out = expect("liaison", "POST", path, "{}", 201);
		a = json_int(out, "id");
		free(out);
		snprintf(json, sizeof(json), "{\"unit_id\":%lld,\"resource_id\":%lld}", library,
			 library_resource);
		out = expect("secretary", "POST", path, json, 201);
		b = json_int(out, "id");
		free(out);
		snprintf(w[0].path, sizeof(w[0].path), "/api/v1/claims/%lld/confirm", a);
		snprintf(w[1].path, sizeof(w[1].path), "/api/v1/claims/%lld/confirm", b);
		for (int k = 0; k < 2; k++)
			assert_int_equal(pthread_create(&th[k], NULL, confirm_run, &w[k]), 0);
		for (int k = 0; k < 2; k++)
			pthread_join(th[k], NULL);
		/* one matched (200), the other refused (409) */
		assert_true((w[0].status == 200 && w[1].status == 409) ||
			    (w[0].status == 409 && w[1].status == 200));
		out = expect("secretary", "GET", "/api/v1/projects", NULL, 200);
		snprintf(json, sizeof(json), "\"title\":\"并发测试%d\"", round);
		assert_int_equal(count(out, json), 1);
		/* the project's units: exactly one */
		{
			const char *p = strstr(out, json), *end = strstr(p, "]}");
			int units = 0;
			for (const char *q = strstr(p, "\"unit_id\":"); q && q < end;
			     q = strstr(q + 1, "\"unit_id\":"))
				units++;
			assert_int_equal(units, 1);
		}
		free(out);
	}
	client_release(&second);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(liaison_claims_and_committee_confirms),
	    cmocka_unit_test(matched_need_refused),
	    cmocka_unit_test(second_pending_claim_refused),
	    cmocka_unit_test(offer_confirmed_only_by_its_unit),
	    cmocka_unit_test(liaison_sees_own_unit),
	    cmocka_unit_test(unit_year_counts_its_events),
	    cmocka_unit_test(bad_input),
	    cmocka_unit_test(resident_asks),
	    cmocka_unit_test(pages),
	    cmocka_unit_test(two_confirmations_at_once),
	};
	return cmocka_run_group_tests(tests, srv_setup, teardown);
}
