/* The demo's year of meetings: the general branch's monthly meeting
 * (支部党员大会 and 主题党日 in turn) and a joint meeting (联席会议) every
 * quarter, each with its drafted agenda, attendance at realistic rates,
 * minutes and action items (some done, some late, some carried over),
 * written through the feature's own store. Deterministic. */
#include "internal.h"
#include "../base/err.h"
#include "../base/rand.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>

#define DEMO_MONTHS 12

static const char *const minutes_text[] = {
    "传达街道党工委本月工作要求。讨论本月居民反映的突出问题，重点是噪声扰民和垃圾分类"
    "投放点的值守。决定由党员先锋队牵头走访相关楼栋，下次会议通报进展。",
    "学习党章有关章节。通报上月待办事项完成情况，逾期事项说明原因并重新明确时限。"
    "讨论广场舞错峰时间表的执行情况，对超限较多的队伍由分管委员上门沟通。",
    "开展主题党日活动：党员分组到各小区开展环境整治和政策宣传。会后小结，"
    "收集居民意见十余条，整理后转入报事流程。",
};

static const char *const action_titles[] = {
    "走访噪声投诉集中的楼栋，当面听取意见", "协调物业修复 3 号楼楼道照明",
    "整理垃圾分类投放点值守排班的缺口",	    "与广场舞队负责人沟通音量上限",
    "回访差评报事的居民，说明处理结果",	    "组织党员认领湿垃圾破袋岗",
    "梳理独居老人名单，安排结对走访",	    "联系城管中队处理占道经营",
};

static const char *const staff_items[4][2] = {
    {"学习传达街道党工委近期工作要求", "书记领学，党员交流体会"},
    {"学习党章第一章《党员》", "党小组长领学"},
    {"讨论垃圾分类投放点志愿值守安排", "各楼组长报名认领早晚时段"},
    {"听取居民代表对广场舞错峰时间表的意见", "邀请两位居民代表列席"},
};

static int demo_meeting(struct db *db, int64_t area_id, const struct meetings_demo_refs *refs,
			int64_t starts, int joint, int month, int64_t now, uint64_t *rng)
{
	struct meeting_in in = {
	    .kind = joint ? "joint" : (month % 3 == 2 ? "theme_day" : "party_congress"),
	    .body = joint ? "joint" : "branch",
	    .branch_id = joint ? 0 : refs->general_branch,
	    .title = joint ? "噪声和广场秩序联席会议"
			   : (month % 3 == 2 ? "主题党日：走进小区" : "党总支党员大会"),
	    .place = joint ? "居委会二楼会议室" : "普善居民区党群服务站",
	    .starts_at = starts,
	    .ends_at = starts + 2 * 3600,
	};
	const char *field = NULL, *key = NULL;
	json_t *invitees = NULL, *inv;
	int64_t id = 0;
	int added = 0, rc;
	size_t i;

	rc = meeting_create(db, NULL, area_id, &in, &id, &field, &key);
	if (!rc && !joint)
		rc = meeting_invite(db, NULL, area_id, id, "branch", refs->general_branch, 0,
				    &added);
	for (int u = 0; joint && !rc && u < refs->nunits; u++)
		rc = meeting_invite(db, NULL, area_id, id, "unit", refs->units[u],
				    u == 0 ? refs->users[1] : 0, &added);
	if (!rc && joint) {
		/* A joint meeting also seats the vanguard members. */
		for (i = 0; !rc && i < 8; i++)
			rc = meeting_invite(db, NULL, area_id, id, "member",
					    json_integer_value(json_object_get(
						json_array_get(refs->members, i), "id")),
					    0, &added);
		if (!rc && refs->users[2])
			rc = meeting_invite(db, NULL, area_id, id, "user", refs->users[2], 0,
					    &added);
	}
	if (!rc && refs->users[0])
		rc = meeting_invite(db, NULL, area_id, id, "user", refs->users[0], 0, &added);
	/* Drafted three days before (or now, for one still ahead), then the
	 * secretary's own items: study first, the report on last month. */
	if (!rc)
		rc = meeting_draft(db, NULL, area_id, id,
				   starts - 3 * MEETING_DAY < now ? starts - 3 * MEETING_DAY : now,
				   "zh-CN", &added);
	if (!rc)
		rc = agenda_add(db, NULL, area_id, id, staff_items[month % 4][0],
				staff_items[month % 4][1], "staff", NULL, NULL, NULL);
	if (!rc)
		rc = agenda_add(db, NULL, area_id, id, "通报上月报事办理和待办事项完成情况",
				"由居委会社工汇报，党员逐项认领", "staff", NULL, NULL, NULL);
	if (rc || starts > now)
		return rc;
	/* Attendance: about 85 % present, 8 % excused, the rest absent. */
	rc = meeting_invitees(db, id, &invitees);
	json_array_foreach (invitees, i, inv) {
		unsigned r = (unsigned)(lin_splitmix64(rng) % 100);
		const char *status = r < 85 ? "present" : r < 93 ? "excused" : "absent";
		if (rc)
			break;
		rc = attendance_set(db, NULL, area_id, id,
				    json_integer_value(json_object_get(inv, "id")), status,
				    r % 2 ? "外出探亲" : "单位加班", now);
	}
	json_decref(invitees);
	if (!rc)
		rc = meeting_minutes_set(db, NULL, area_id, id, minutes_text[month % 3]);
	/* Two or three decisions: done (most on time, one late), dropped, or
	 * still open (the recent ones, and one old one carried over). */
	for (int k = 0; !rc && k < 2 + month % 2; k++) {
		char due[11], done[11];
		int64_t aid = 0, age = (now - starts) / MEETING_DAY;
		struct action_in a = {
		    .title = action_titles[(month * 3 + k) % 8],
		    .owner_member_id = json_integer_value(json_object_get(
			json_array_get(refs->members, (size_t)(month * 3 + k) % 40), "id")),
		    .due_on = due,
		};
		struct action_change c = {0};
		meeting_day_text(starts + 21 * MEETING_DAY, due);
		rc = action_create(db, NULL, area_id, id, &a, &aid, &field, &key);
		if (rc)
			break;
		if (age < 40 || (month == 4 && k == 0))
			continue; /* still open: carried over to the next meeting */
		if (k == 2) {
			c.state = "dropped";
			c.reason = "与街道统一安排重复，并入街道工作";
			meeting_day_text(starts + 10 * MEETING_DAY, done);
		} else {
			c.state = "done";
			/* One in four is done after its due day: late. */
			meeting_day_text(starts + (month % 4 == 1 ? 30 : 14) * MEETING_DAY, done);
		}
		rc = action_update(db, NULL, area_id, aid, &c, done, &field, &key);
	}
	if (!rc)
		rc = meetings_demo_backdate(db, id, starts - 5 * MEETING_DAY, starts - 10 * 60);
	return rc;
}

int meetings_demo(struct db *db, int64_t area_id, int64_t now)
{
	struct meetings_demo_refs refs;
	uint64_t rng = 0x6d656574696e67ULL; /* "meeting" */
	int64_t today = lin_local_day(now, LIN_SHANGHAI_OFFSET);
	int rc = meetings_demo_refs(db, area_id, &refs);
	int y, m, d;

	if (rc || !refs.general_branch) {
		json_decref(refs.members);
		return rc == LIN_ENOTFOUND ? 0 : rc;
	}
	lin_civil_from_days(today, &y, &m, &d);
	/* From eleven months ago to next month: the 10th at 19:00, and the
	 * joint meeting on the 20th of every third month. */
	for (int k = -DEMO_MONTHS + 1; k <= 1 && !rc; k++) {
		int mm = m + k, yy = y;
		while (mm < 1)
			mm += 12, yy--;
		while (mm > 12)
			mm -= 12, yy++;
		int64_t day = lin_days_from_civil(yy, mm, 10);
		int64_t starts = day * MEETING_DAY + 19 * 3600 - LIN_SHANGHAI_OFFSET;
		rc = demo_meeting(db, area_id, &refs, starts, 0, k + DEMO_MONTHS, now, &rng);
		if (!rc && (mm % 3) == 0)
			rc =
			    demo_meeting(db, area_id, &refs,
					 (day + 10) * MEETING_DAY + 14 * 3600 - LIN_SHANGHAI_OFFSET,
					 1, k + DEMO_MONTHS, now, &rng);
	}
	json_decref(refs.members);
	return rc;
}
