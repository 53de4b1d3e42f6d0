/* The demo's co-building year: visits to units named in the seed (the
 * water-supply station, the culture company, the bank ...), what they
 * offered, what residents and teams asked, claims confirmed into projects
 * and one claim still waiting; the demo liaison speaks for the
 * water-supply station. And `linli cobuild link`. */
#include "internal.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <stdio.h>
#include <string.h>

/* day_text: today + offset days as YYYY-MM-DD. */
static const char *day_text(int64_t today, int offset, char out[11])
{
	int y, m, d;

	lin_civil_from_days(today + offset, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return out;
}

static int64_t unit_named(struct db *db, int64_t area_id, const char *name)
{
	int64_t id = 0;

	db_query_row(db, "SELECT id FROM units WHERE area_id = ? AND name = ?", &id, "it", area_id,
		     name);
	return id;
}

struct demo_visit {
	const char *unit;
	int ago; /* days before today */
	const char *visitor, *learned;
	/* what the visit found the unit could give */
	const char *resource, *kind;
	int from, to; /* days from today */
	int amount;
};

static const struct demo_visit visits[] = {
    {"城投水务普善供水站", 300, "王书记、李社工",
     "供水站愿意为老旧小区上门检查漏水，每月可安排两名技术员半天。",
     "上门检查漏水（每月两名技术员）", "expertise", -300, 60, 2},
    {"华桑文化传播有限公司", 240, "王书记",
     "文化公司可策划垃圾分类游戏和亲子活动，提供道具和主持人。", "垃圾分类游戏策划与主持",
     "expertise", -240, 120, 1},
    {"沪江银行普善支行", 200, "李社工",
     "银行愿意每季度来做一次防范金融诈骗讲座，并可赞助少量活动经费。", "防范金融诈骗讲座",
     "expertise", -200, 160, 1},
    {"沪江银行普善支行", 120, "李社工", "支行党支部同意出资支持青少年基金队伍。",
     "青少年基金队伍活动经费", "money", -120, 200, 5000},
    {"普善社区图书室", 90, "张主任", "图书室周末下午活动室空闲，可容纳三十人。",
     "周末活动室（三十人）", "room", -90, 270, 30},
    {"五月花物业服务有限公司", 60, "王书记", "物业可派保安和保洁志愿者协助大型活动。",
     "活动志愿者（保安、保洁）", "volunteers", -60, 200, 6},
    {"小星星早教中心", 45, "张主任", "早教中心愿意开设公益学前班，每期十五个名额。",
     "公益学前班老师", "expertise", -45, 200, 15},
    {"城投水务普善供水站", 20, "李社工", "回访：漏水检查反响好，供水站愿意继续。", NULL, NULL, 0, 0,
     0},
};

struct demo_need {
	const char *title, *kind, *source, *for_whom;
	int from, to, amount;
	int match; /* index in visits[] of the resource matched, -1 open, -2 pending claim */
	int minutes;
};

static const struct demo_need needs[] = {
    {"普善新村独居老人家中漏水检查", "expertise", "resident", "普善新村独居老人", -200, -150, 2, 0,
     480},
    {"垃圾分类亲子游戏", "expertise", "committee", "全体居民", -100, -100, 1, 1, 360},
    {"防范金融诈骗讲座", "expertise", "team", "老年人", -60, -60, 1, 2, 120},
    {"学前班场地", "room", "resident", "三至六岁儿童家长", 10, 40, 20, -1, 0},
    {"青少年定向赛活动经费", "money", "team", "青少年基金队伍", 15, 30, 3000, -2, 0},
    {"社区运动会志愿者", "volunteers", "committee", "全体居民", 20, 21, 8, -1, 0},
};

int cobuild_demo(struct db *db, int64_t area_id, int64_t now)
{
	int64_t today = lin_local_day(now, 8 * 3600), resource_ids[8] = {0}, id, project = 0;
	char a[11], b[11];
	const char *key = NULL;
	int rc = 0;

	for (size_t i = 0; !rc && i < sizeof(visits) / sizeof(visits[0]); i++) {
		const struct demo_visit *v = &visits[i];
		struct visit_in in = {unit_named(db, area_id, v->unit), day_text(today, -v->ago, a),
				      v->visitor, v->learned};
		int64_t visit_id = 0;

		if (!in.unit_id)
			continue; /* an area without the seed's units */
		rc = cobuild_visit_add(db, NULL, area_id, &in, today, &visit_id, &key);
		if (!rc && v->resource) {
			struct resource_in r = {in.unit_id,
						v->resource,
						v->kind,
						day_text(today, v->from, a),
						day_text(today, v->to, b),
						v->amount,
						0,
						visit_id};
			rc = cobuild_resource_add(db, NULL, area_id, &r, &resource_ids[i], &key);
		}
	}
	for (size_t i = 0; !rc && i < sizeof(needs) / sizeof(needs[0]); i++) {
		const struct demo_need *n = &needs[i];
		struct need_in in = {n->title,
				     n->kind,
				     n->source,
				     n->for_whom,
				     day_text(today, n->from, a),
				     day_text(today, n->to, b),
				     n->amount,
				     0,
				     0};
		int64_t need_id = 0, unit = 0, when;

		rc = cobuild_need_add(db, NULL, area_id, &in, &need_id, &key);
		if (rc || n->match == -1)
			continue;
		if (n->match == -2) {
			/* The bank's liaison claimed it; the committee has yet to confirm. */
			unit = unit_named(db, area_id, visits[3].unit);
			if (unit)
				rc =
				    cobuild_claim(db, NULL, area_id, need_id, unit, resource_ids[3],
						  "claim", now - 2 * 86400, &id, &key);
			continue;
		}
		unit = unit_named(db, area_id, visits[n->match].unit);
		if (!unit)
			continue;
		when = now + (int64_t)(n->from - 20) * 86400;
		/* Claimed by the unit in the past, confirmed by the committee. */
		rc = cobuild_claim(db, NULL, area_id, need_id, unit, resource_ids[n->match],
				   "claim", when, &id, &key);
		if (!rc)
			rc = cobuild_confirm(db, NULL, area_id, id, "committee", 0, when, &project,
					     &key);
		if (!rc && n->minutes)
			rc = cobuild_project_minutes(db, NULL, area_id, project, unit, n->minutes,
						     1, &key);
	}
	if (!rc)
		rc = cobuild_liaison_link(db, NULL, area_id, "liaison",
					  unit_named(db, area_id, visits[0].unit), &key);
	if (rc == LIN_ENOTFOUND && key && !strcmp(key, "cobuild.err.user"))
		rc = 0; /* no demo accounts: nothing to link */
	if (rc)
		log_error("cobuild demo: %s (%s)", lin_strerror(rc), key ? key : "");
	return rc;
}

/* ------------------------------------------------------------ the command */

static int cmd_link(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *key = NULL;
	int64_t unit = 0;
	int rc;

	if (argc != 2)
		return LIN_EXIT_USAGE;
	if (strcmp(argv[1], "none")) {
		if (cmd_open(ctx))
			return 1;
		unit = unit_named(ctx->db, ctx->area, argv[1]);
		if (!unit) {
			fprintf(stderr, "linli: 没有这个单位 no such unit: %s\n", argv[1]);
			return 1;
		}
	} else if (cmd_open(ctx)) {
		return 1;
	}
	rc = cobuild_liaison_link(ctx->db, NULL, ctx->area, argv[0], unit, &key);
	if (rc) {
		fprintf(stderr, "linli: %s\n", key ? i18n_t(ctx->lang, key) : lin_strerror(rc));
		return 1;
	}
	printf("%s -> %s\n", argv[0], unit ? argv[1] : "none");
	return 0;
}

const struct command cobuild_commands[] = {
    {"cobuild link", cmd_link, CMD_AREA, "USER UNIT-NAME|none",
     "联络员账号与共建单位绑定 link a liaison's account to a unit (none: unlink)"},
    {NULL, NULL, 0, NULL, NULL},
};
