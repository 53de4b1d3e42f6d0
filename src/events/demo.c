/* A year of the demo area's events, written through the store as the
 * product writes them (deterministic: names, phones and times follow from
 * the event's number): the monthly rubbish-sorting game of the sorting
 * volunteers, the financial-risk lectures of the youth fund team with the
 * bank, the preschool classes of the early-learning centre, and the youth
 * "red" orienteering race with its checkpoints on the plan, teams and
 * punches; the next game is full with a wait list. */
#include "internal.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"
#include "../registry/registry.h"

#include <stdio.h>
#include <string.h>

#define DAY  86400
#define HOUR 3600

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄",
				       "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
static const char *const given[] = {"秀英", "建国", "丽华", "志强", "桂兰", "国平", "美玲", "海峰",
				    "文静", "家豪", "小红", "德明", "晓燕", "伟",   "淑珍", "子涵"};

/* person: a name and an 11-digit mobile that follow from n. */
static void person(int n, char *name, size_t nn, char *phone, size_t np)
{
	snprintf(name, nn, "%s%s", surnames[n % 16], given[(n / 16 + n * 7) % 16]);
	snprintf(phone, np, "139%08d", 10000000 + (n * 7919) % 89999999);
}

/* day0: 00:00 Shanghai of the day holding now. */
static int64_t day0(int64_t now)
{
	int64_t local = now + 8 * HOUR;
	return local - local % DAY - 8 * HOUR;
}

/* one_event creates an event and fills it: registrations (children for a
 * children's event), then for a past one check-ins (one in seven a no-show),
 * two walk-ins and feedback. OUT: *id. */
static int one_event(struct db *db, int64_t area, const struct event_in *in, int want, int seed,
		     int64_t now, int64_t *id)
{
	const char *key = NULL;
	int rc = event_create(db, NULL, area, in, id, &key);
	int past = in->ends_at <= now;

	if (rc) {
		log_error("events demo: %s: %s", in->title, key ? key : "error");
		return rc;
	}
	for (int i = 0; !rc && i < want; i++) {
		struct reg_in r = {0};
		struct reg_out out;
		char name[32], phone[16], child[32];
		person(seed * 31 + i, name, sizeof(name), phone, sizeof(phone));
		r.name = name;
		r.phone = phone;
		if (!strcmp(in->audience, "children")) {
			snprintf(child, sizeof(child), "%s小%s", surnames[(seed * 31 + i) % 16],
				 given[(i * 5 + seed) % 16]);
			r.children[0] = child;
			r.nchildren = 1;
		}
		int64_t at = in->opens_at + HOUR + i * 60;
		if (at > now) { /* the window is open now: they came in the last hours */
			if (in->opens_at >= now)
				break;
			at = now - (want - i) * 30 > in->opens_at ? now - (want - i) * 30
								  : in->opens_at;
		}
		rc = event_register(db, NULL, area, *id, &r, at, &out, &key);
		if (rc == LIN_ECONFLICT || rc == LIN_EINVAL) {
			rc = 0; /* the same phone twice or a full family: skip it */
			continue;
		}
		if (!rc && past && out.status[0] == 'c' && i % 7 != 3) {
			char who[EVENT_NAME_MAX + 1];
			rc = event_checkin(db, NULL, area, *id, out.code, in->starts_at - 600 + i,
					   who, sizeof(who), &key);
			if (!rc && i % 3 == 0)
				rc = event_feedback(db, area, *id, out.code, 3 + (i + seed) % 3,
						    i % 6 == 0 ? "内容实用，希望多办" : "",
						    in->ends_at + HOUR, &key);
		}
	}
	for (int w = 0; !rc && past && w < 2; w++) {
		char name[32], phone[16];
		person(seed * 31 + 900 + w, name, sizeof(name), phone, sizeof(phone));
		rc = event_walk_in(db, NULL, area, *id, name, phone, in->starts_at + 300, &key);
	}
	if (rc)
		log_error("events demo: %s: %s", in->title, key ? key : "error");
	return rc;
}

/* The race: checkpoints on buildings of the plan spread across it,
 * eight teams with staggered starts, one missing a checkpoint, one out of
 * order, two tied. */
static int race(struct db *db, int64_t area, int64_t start, int64_t now)
{
	static const char *const cp_names[] = {"党群服务站", "普善路小学门口", "五月花中心花园",
					       "社区图书室", "红色文化长廊",   "普善华庭北门"};
	static const char *const teams[] = {"红星小队", "火炬小队", "向阳小队",	  "雏鹰小队",
					    "星火小队", "先锋小队", "少年侦察队", "晨曦小队"};
	/* seconds after the start at each checkpoint (0: not punched) */
	static const int legs[8][6] = {
	    {300, 620, 980, 1300, 1650, 1900}, {280, 600, 1010, 1380, 1700, 2050},
	    {320, 640, 990, 1350, 1720, 1980}, {310, 700, 0, 1500, 1800, 2200},
	    {300, 620, 980, 1300, 1650, 1900}, {350, 1200, 800, 1600, 1900, 2300},
	    {400, 800, 1200, 1600, 2000, 0},   {330, 690, 1060, 1420, 1780, 2140}};
	struct event_in in = {0};
	struct registry_plan plan;
	const char *key = NULL;
	int64_t id = 0, unit = 0;
	int rc, nb = 0;
	const struct plan_feature *b[64];

	rc = event_org_find(db, area, "teams", "理财风险防范公益基金青年志愿者队", &unit);
	in.kind = "race";
	in.title = "青少年“红色”定向赛";
	in.detail = "沿着社区里的红色足迹，按顺序找到六个点位，用手机扫码打卡。";
	in.organiser = unit ? "team" : "committee";
	in.team_id = unit;
	in.place = "党群服务站出发";
	in.starts_at = start;
	in.ends_at = start + 3 * HOUR;
	in.audience = "children";
	in.capacity = 40;
	in.opens_at = start - 14 * DAY;
	in.closes_at = start - DAY;
	in.race_rule = "ordered";
	if (!rc)
		rc = one_event(db, area, &in, 24, 77, now, &id);
	if (rc)
		return rc;
	rc = registry_plan_load(db, area, &plan);
	for (int i = 0; !rc && i < plan.n && nb < 64; i++)
		if (plan.f[i].kind == PLAN_BUILDING)
			b[nb++] = &plan.f[i];
	for (int k = 0; !rc && k < 6; k++) {
		int64_t lon = 0, lat = 0;
		char code[8];
		if (nb)
			registry_plan_spot(b[(k * nb) / 6 + (nb > 12 ? 2 : 0)], (uint64_t)k + 7,
					   &lon, &lat);
		snprintf(code, sizeof(code), "HS%d", k + 1);
		rc = race_checkpoint_add(db, NULL, area, id, code, cp_names[k], 10, lon, lat, &key);
	}
	registry_plan_release(&plan);
	for (int t = 0; !rc && t < 8; t++) {
		char code[8];
		int64_t go = start + 1800 + (t / 2) * 120;
		snprintf(code, sizeof(code), "T%02d", t + 1);
		rc = race_team_add(db, NULL, area, id, code, teams[t], go, &key);
		for (int k = 0; !rc && k < 6; k++) {
			char cp[8];
			if (!legs[t][k])
				continue;
			snprintf(cp, sizeof(cp), "HS%d", k + 1);
			rc = race_punch(db, area, id, cp, code, go + legs[t][k], &key);
			if (rc == LIN_EINVAL)
				rc = 0; /* after the finish: refused, as the rules say */
		}
	}
	if (rc)
		log_error("events demo: race: %s", key ? key : "error");
	return rc;
}

int events_demo(struct db *db, int64_t area_id, int64_t now)
{
	int64_t today = day0(now), sorting = 0, fund = 0, bank = 0, school = 0, id = 0;
	int rc;

	rc = event_org_find(db, area_id, "teams", "垃圾分类志愿者队", &sorting);
	if (!rc)
		rc =
		    event_org_find(db, area_id, "teams", "理财风险防范公益基金青年志愿者队", &fund);
	if (!rc)
		rc = event_org_find(db, area_id, "units", "沪江银行普善支行", &bank);
	if (!rc)
		rc = event_org_find(db, area_id, "units", "小星星早教中心", &school);
	/* The rubbish-sorting game: monthly, eleven past and the next one. */
	for (int m = -11; !rc && m <= 1; m++) {
		struct event_in in = {0};
		int64_t start = today + (m == 1 ? 10 * DAY : m * 30 * DAY) + 9 * HOUR + 30 * 60;
		in.kind = "game";
		in.title = "垃圾分类趣味游戏";
		in.detail = "四色垃圾桶投放接力、分类知识抢答，答对有小礼品。";
		in.organiser = sorting ? "team" : "committee";
		in.team_id = sorting;
		in.place = "普善新村中心广场";
		in.starts_at = start;
		in.ends_at = start + 2 * HOUR;
		in.audience = "all";
		in.capacity = 30;
		in.opens_at = start - 14 * DAY;
		in.closes_at = start - HOUR;
		rc =
		    one_event(db, area_id, &in, m == 1 ? 33 : 18 + (m + 11) % 9, 100 + m, now, &id);
	}
	/* The financial-risk lectures: every quarter, by the bank. */
	for (int q = -3; !rc && q <= 1; q++) {
		struct event_in in = {0};
		int64_t start = today + q * 91 * DAY + 3 * DAY + 14 * HOUR;
		in.kind = "lecture";
		in.title = q % 2 ? "防范养老诈骗讲座" : "理财风险防范讲座";
		in.detail = "识别高息理财、保健品和“以房养老”骗局；银行工作人员现场答疑。";
		in.organiser = bank ? "unit" : "committee";
		in.unit_id = bank;
		in.place = "党群服务站多功能厅";
		in.starts_at = start;
		in.ends_at = start + 90 * 60;
		in.audience = "all";
		in.capacity = 50;
		in.opens_at = start - 21 * DAY;
		in.closes_at = start - HOUR;
		rc = one_event(db, area_id, &in, 35 + (q + 3) * 3, 200 + q, now, &id);
	}
	/* Preschool classes: monthly, a child with a guardian. */
	for (int m = -8; !rc && m <= 1; m++) {
		struct event_in in = {0};
		int64_t start = today + m * 30 * DAY + 10 * DAY + 15 * HOUR;
		in.kind = "class";
		in.title = "学前儿童绘本课堂";
		in.detail = "3-6岁儿童，家长陪同；每个孩子一个名额。";
		in.organiser = school ? "unit" : "committee";
		in.unit_id = school;
		in.place = "普善社区图书室";
		in.starts_at = start;
		in.ends_at = start + HOUR;
		in.audience = "children";
		in.capacity = 12;
		in.opens_at = start - 10 * DAY;
		in.closes_at = start - HOUR;
		rc = one_event(db, area_id, &in, 11, 300 + m, now, &id);
	}
	(void)fund;
	if (!rc)
		rc = race(db, area_id, today - 45 * DAY + 9 * HOUR, now);
	return rc;
}
