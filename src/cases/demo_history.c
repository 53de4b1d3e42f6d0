/* A believable past for the demo area: half a year of reports of every
 * kind, in every state, handled on time mostly and late sometimes, rated
 * now and then. Deterministic (a fixed seed), and written with the same
 * SQL shapes the feature writes, backdated. */
#include "cases.h"
#include "store.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>

static uint64_t demo_rng = 0x9e3779b97f4a7c15ULL;

static uint32_t next_random(void)
{
	uint64_t z = (demo_rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static const struct {
	const char *category;
	const char *texts[4];
} samples[] = {
    {"noise",
     {"晚上九点以后广场上还在放广场舞音乐，声音很大", "五月花广场两支舞队同时放音乐，老人睡不着",
      "楼上装修周末一早就开电钻", "商业广场门口音响太响"}},
    {"shop",
     {"楼下饭店油烟直冲楼上窗户", "烧烤店深夜还在营业，喧哗扰民", "便利店门口堆放杂物占用通道",
      "面馆排风扇噪音很大"}},
    {"repair",
     {"3号楼电梯按钮失灵", "小区东门道闸坏了，车辆进出困难", "楼道灯不亮已经一个星期",
      "健身器材螺丝松动有安全隐患"}},
    {"pet_waste",
     {"草坪上经常有狗粪没人清理", "遛狗不牵绳，孩子害怕", "楼道里有宠物粪便",
      "花坛边宠物便溺严重"}},
    {"garbage",
     {"湿垃圾桶满了没人清运", "有人不分类就扔在投放点外面", "投放点开放时间外堆了很多垃圾袋",
      "大件垃圾长期堆放在楼下"}},
    {"dispute",
     {"楼上漏水，邻居不肯维修", "邻居在公共走道堆放物品", "因停车位和邻居发生争执",
      "邻居养的鸽子影响卫生"}},
    {"safety",
     {"小区围墙有一段破损", "消防通道被车辆堵住", "夜里小区后门没有照明", "电瓶车在楼道里充电"}},
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static int backdate(struct db *db, int64_t id, int64_t created, int64_t accepted, int64_t resolved,
		    int64_t closed, const struct workday_calendar *cal, int days)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db,
	    /* Typed: PostgreSQL reads an untyped CASE of parameters as text. */
	    "UPDATE cases SET created_at = ?, updated_at = ?, public_updated_at = ?,"
	    " accept_due = ?,"
	    " resolve_due = ?, accepted_at = CASE WHEN accepted_at IS NULL THEN NULL"
	    " ELSE CAST(? AS BIGINT) END, resolved_at = CASE WHEN resolved_at IS NULL THEN NULL"
	    " ELSE CAST(? AS BIGINT) END, closed_at = CASE WHEN closed_at IS NULL THEN NULL"
	    " ELSE CAST(? AS BIGINT) END WHERE id = ?",
	    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, created);
	db_bind_int64(st, 2, closed ? closed : resolved ? resolved : accepted ? accepted : created);
	db_bind_int64(st, 3, closed ? closed : resolved ? resolved : accepted ? accepted : created);
	db_bind_int64(st, 4, workday_deadline(cal, created, 1));
	db_bind_int64(st, 5, workday_deadline(cal, created, days));
	db_bind_int64(st, 6, accepted);
	db_bind_int64(st, 7, resolved);
	db_bind_int64(st, 8, closed);
	db_bind_int64(st, 9, id);
	rc = db_step(st) < 0 ? LIN_EDB : 0;
	db_finalize(st);
	if (rc)
		return rc;
	/* The timeline follows the same clock. */
	rc = db_prepare(
	    db,
	    "UPDATE case_events SET at = CASE to_state WHEN 'submitted' THEN CAST(? AS BIGINT)"
	    " WHEN 'accepted' THEN CAST(? AS BIGINT) WHEN 'resolved' THEN CAST(? AS BIGINT)"
	    " WHEN 'closed' THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END"
	    " WHERE case_id = ?",
	    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, created);
	db_bind_int64(st, 2, accepted ? accepted : created);
	db_bind_int64(st, 3, resolved ? resolved : created);
	db_bind_int64(st, 4, closed ? closed : created);
	db_bind_int64(st, 5, accepted ? accepted + 3600 : created);
	db_bind_int64(st, 6, id);
	rc = db_step(st) < 0 ? LIN_EDB : 0;
	db_finalize(st);
	return rc;
}

int cases_demo_history(struct db *db, int64_t area_id, int64_t now, int count)
{
	struct case_who staff = {{ACTOR_ROLE, ROLE_STAFF}, NULL, "staff"};
	struct workday_calendar cal;
	int64_t teams[4] = {0}, agency = 0;
	int rc;

	rc = case_calendar(db, &cal);
	if (rc)
		return rc;
	db_query_int64(db, "SELECT MIN(id) FROM teams WHERE area_id = ? AND kind = 'vanguard'",
		       &teams[0], 1, area_id);
	db_query_int64(db, "SELECT MIN(id) FROM teams WHERE area_id = ? AND kind = 'patrol'",
		       &teams[1], 1, area_id);
	db_query_int64(db, "SELECT MIN(id) FROM teams WHERE area_id = ? AND kind = 'volunteer'",
		       &teams[2], 1, area_id);
	db_query_int64(db,
		       "SELECT MIN(id) FROM teams WHERE area_id = ? AND kind = 'self_governance'",
		       &teams[3], 1, area_id);
	db_query_int64(db, "SELECT MIN(id) FROM units WHERE area_id = ? AND kind = 'agency'",
		       &agency, 1, area_id);
	for (int i = 0; i < count && !rc; i++) {
		size_t k = next_random() % NSAMPLES;
		const char *text = samples[k].texts[next_random() % 4];
		json_t *answers = json_object();
		struct case_new in = {
		    .area_id = area_id,
		    .category = samples[k].category,
		    .description = text,
		    .compound_id = 1 + next_random() % 4,
		    .plan_x = -1,
		    .plan_y = -1,
		    .lat_e6 = INT64_MIN,
		    .lon_e6 = INT64_MIN,
		    .address = "",
		    .reporter_name = "",
		    .reporter_phone = "",
		    .reporter_email = "",
		    .channel = (next_random() % 3) ? "web" : "phone",
		    .answers = answers,
		};
		char code[TRACKING_CODE_LEN + 1];
		const char *field, *key;
		int64_t id, created, accepted = 0, resolved = 0, closed = 0;
		/* Spread over 180 days; more in the summer evenings' dance season. */
		int64_t age = (int64_t)(next_random() % 180) * 86400 + (next_random() % 86400);
		uint32_t fate = next_random() % 100;
		struct case_act_args args = {.note = "", .public_note = 1};

		if (!strcmp(in.category, "noise"))
			json_object_set_new(
			    answers, "source",
			    json_string(next_random() % 3 ? "square_dance" : "construction"));
		rc = cases_open(db, NULL, &in, &id, code, &field, &key);
		json_decref(answers);
		if (rc)
			break;
		created = now - age;
		/* Recent ones are still open; older ones mostly done. */
		if (age < 2 * 86400 && fate < 60)
			fate = 100;
		if (fate < 100) {
			accepted = created + 3600 +
				   (int64_t)(next_random() % (fate < 10 ? 200000 : 30000));
			rc = case_act(db, area_id, id, ACT_ACCEPT, &staff, &args, &key);
			args.handler_team_id = teams[k % 4] ? teams[k % 4] : teams[0];
			if (!rc)
				rc = case_act(db, area_id, id, ACT_ASSIGN, &staff, &args, &key);
			if (!rc && fate < 85) {
				args.note = "已协调处理，现场已恢复正常";
				if (k == 0 && agency && fate % 4 == 0) {
					struct case_act_args refer = {.note = "请协助",
								      .agency_unit_id = agency};
					rc = case_act(db, area_id, id, ACT_REFER, &staff, &refer,
						      &key);
				}
				if (!rc)
					rc = case_act(db, area_id, id, ACT_RESOLVE, &staff, &args,
						      &key);
				resolved =
				    accepted +
				    86400 * (int64_t)(1 + next_random() % (fate < 15 ? 12 : 5));
				if (!rc && fate < 70 && resolved + 8 * 86400 < now) {
					int rating = fate < 8 ? 2 + (int)(next_random() % 2)
							      : 4 + (int)(next_random() % 2);
					if (rating > 2)
						rc = case_rate(db, area_id, id, rating, "", &key);
					closed = resolved + 86400;
				}
			}
		}
		if (!rc && resolved > now)
			resolved = now - 3600;
		if (!rc)
			rc = backdate(db, id, created, accepted, resolved, closed, &cal,
				      !strcmp(in.category, "dispute") ? 15 : 5);
	}
	case_calendar_release(&cal);
	return rc;
}
