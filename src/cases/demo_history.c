/* A believable past for the demo area: half a year of reports of every
 * kind, in every state, handled on time mostly and late sometimes, rated
 * now and then. Each case's story is planned first (when it was accepted,
 * referred, answered, resolved, rated, closed), then only the steps that
 * lie before now are taken, through the feature's own functions, and
 * backdated to their planned moments. Handled by whoever would: the
 * category's team (repairs by the committee's staff, referred to the
 * compound's own property company), rated only after resolution, and
 * closed as the quiet-period sweep would have closed it, so the sweep
 * finds nothing to do when the server starts. Deterministic (a fixed
 * seed). */
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

/* What each noise text is about (the form's "source"); the square-dance
 * ones come from the compound beside the plaza. */
static const char *const noise_sources[4] = {"square_dance", "square_dance", "construction",
					     "shop"};

/* The planned moments of one case; 0 for a step it never reaches. */
struct story {
	int64_t created, accepted, assigned, referred, answered, resolved, rated, closed;
	int rating;	   /* 3..5, 0 unrated */
	int auto_closed;   /* closed by the quiet-period sweep, not by a rating */
	int64_t team;	   /* handler team, or 0 for ... */
	int64_t user;	   /* ... the committee's staff account */
	int64_t agency;	   /* referred to this unit, 0 for none */
	const char *reply; /* the unit's answer */
};

/* Who handles a category, and to whom it is referred. */
struct handlers {
	int64_t team[NSAMPLES];	  /* the category's handler team, 0 for staff */
	int64_t agency[NSAMPLES]; /* the category's agency, 0 for none */
	int64_t property[5];	  /* the area's compounds 1..4: each one's property company */
	int64_t first_compound;	  /* the area's first compound's id (1 in Pushan) */
	int64_t ncompounds;	  /* its compounds, at most 4 used (ids from first on) */
	int64_t staff_user;	  /* the "staff" account */
	int64_t plaza_compound;	  /* the compound beside the dance plaza, 0 if none */
};

static int load_handlers(struct db *db, int64_t area_id, struct handlers *h)
{
	int rc = 0;

	memset(h, 0, sizeof(*h));
	for (size_t k = 0; k < NSAMPLES && !rc; k++) {
		rc = db_query_row(db,
				  "SELECT COALESCE(MAX(handler_team_id), 0) FROM case_categories"
				  " WHERE area_id = ? AND code = ?",
				  &h->team[k], "it", area_id, samples[k].category);
		if (!rc)
			rc = db_query_row(
			    db,
			    "SELECT COALESCE(MAX(agency_unit_id), 0) FROM case_categories"
			    " WHERE area_id = ? AND code = ?",
			    &h->agency[k], "it", area_id, samples[k].category);
	}
	/* Each compound's property company has its office in the compound.
	 * Reports name the area's first four compounds (Pushan's 1..4; the
	 * demo street's other areas have one each). */
	if (!rc)
		rc =
		    db_query_row(db, "SELECT COALESCE(MIN(id), 0) FROM compounds WHERE area_id = ?",
				 &h->first_compound, "i", area_id);
	if (!rc)
		rc = db_query_row(db, "SELECT COUNT(*) FROM compounds WHERE area_id = ?",
				  &h->ncompounds, "i", area_id);
	if (h->ncompounds > 4)
		h->ncompounds = 4;
	for (int64_t c = 1; c <= h->ncompounds && !rc; c++)
		rc = db_query_row(db,
				  "SELECT COALESCE(MIN(u.id), 0) FROM units u JOIN compounds c"
				  " ON u.address LIKE c.address || '%' WHERE c.id = ?"
				  " AND u.area_id = ? AND u.name LIKE '%物业%'",
				  &h->property[c], "ii", h->first_compound + c - 1, area_id);
	/* the account named "staff" (Pushan's), else the area's first staff */
	if (!rc)
		rc = db_query_row(
		    db,
		    "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
		    " WHERE r.area_id = ? AND (u.username = 'staff' OR r.role = 'staff')"
		    " ORDER BY CASE WHEN u.username = 'staff' THEN 0 ELSE 1 END, u.id"
		    " LIMIT 1",
		    &h->staff_user, "i", area_id);
	if (rc == LIN_ENOTFOUND)
		rc = 0;
	if (!rc)
		rc = db_query_row(
		    db,
		    "SELECT COALESCE(MIN(compound_id), 0) FROM places WHERE area_id = ?"
		    " AND kind = 'plaza'",
		    &h->plaza_compound, "i", area_id);
	return rc;
}

static int64_t between(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next_random() % (uint32_t)(hi - lo + 1));
}

/* plan: the whole story of a case of sample k, in compound, reported at
 * created; steps at or after now are left out. */
static void plan(struct story *s, const struct handlers *h, size_t k, int64_t compound,
		 int64_t created, int64_t now)
{
	uint32_t fate = next_random() % 100;
	int64_t age = now - created;
	const char *cat = samples[k].category;
	int64_t t;

	memset(s, 0, sizeof(*s));
	s->created = created;
	s->team = h->team[k];
	s->user = s->team ? 0 : h->staff_user;
	/* Who it goes to beyond the committee: repairs to the compound's
	 * property company; the police, 城管 or market office for some of
	 * theirs. */
	if (!strcmp(cat, "repair")) {
		int64_t c = compound - h->first_compound + 1;
		s->agency = c >= 1 && c <= 4 ? h->property[c] : 0;
		s->reply = "已派维修人员到场处理";
	} else if (h->agency[k] && fate % 3 == 0) {
		s->agency = h->agency[k];
		s->reply = "已到现场核查并处理";
	}
	/* Recent ones are still waiting to be accepted, older ones mostly done. */
	if (age < 2 * 86400 && fate < 60)
		return;
	t = created + between(1800, fate < 10 ? 200000 : 30000);
	if (t >= now)
		return;
	s->accepted = t;
	s->assigned = t += between(600, 7200);
	if (t >= now) {
		s->assigned = 0;
		return;
	}
	if (s->agency) {
		t += between(1800, 14400);
		if (t >= now) {
			s->agency = 0;
			return;
		}
		s->referred = t;
		t += between(4 * 3600, 3 * 86400);
		/* The units are slow this week: the answers due in the last five
		 * days have not come yet. */
		if (t >= now - 5 * 86400)
			return;
		s->answered = t;
	}
	if (fate >= 80 && age < 20 * 86400)
		return; /* still being worked on */
	t += 86400 * between(1, fate < 15 ? 12 : 5) - between(0, 40000);
	if (t >= now)
		return;
	s->resolved = t;
	/* Most reporters rate within three days; the others see the case
	 * closed by the sweep after the quiet period. */
	if (fate < 70) {
		t = s->resolved + between(3600, 3 * 86400);
		if (t < now) {
			s->rated = s->closed = t;
			s->rating = fate < 8 ? 3 : 4 + (int)(next_random() % 2);
			return;
		}
	}
	t = s->resolved + (int64_t)CASE_QUIET_DAYS * 86400;
	if (t < now) {
		s->closed = t;
		s->auto_closed = 1;
	}
}

/* act: the planned steps before now, as the feature takes them. */
static int act(struct db *db, int64_t area_id, int64_t id, const struct story *s)
{
	struct case_who staff = {{ACTOR_ROLE, ROLE_STAFF}, NULL, "staff"};
	struct case_who system = {{ACTOR_SYSTEM, ROLE_NONE}, NULL, "system"};
	struct case_act_args args = {.note = "", .public_note = 1};
	const char *key;
	int rc = 0;

	if (s->accepted)
		rc = case_act(db, area_id, id, ACT_ACCEPT, &staff, &args, &key);
	if (!rc && s->assigned) {
		args.handler_team_id = s->team;
		args.handler_user_id = s->user;
		rc = case_act(db, area_id, id, ACT_ASSIGN, &staff, &args, &key);
	}
	if (!rc && s->referred) {
		struct case_act_args refer = {.note = "请协助处理", .agency_unit_id = s->agency};
		rc = case_act(db, area_id, id, ACT_REFER, &staff, &refer, &key);
	}
	if (!rc && s->answered) {
		struct case_act_args answer = {.note = s->reply, .public_note = 1};
		rc = case_act(db, area_id, id, ACT_AGENCY_ANSWER, &staff, &answer, &key);
	}
	if (!rc && s->resolved) {
		args.note = "已协调处理，现场已恢复正常";
		rc = case_act(db, area_id, id, ACT_RESOLVE, &staff, &args, &key);
	}
	if (!rc && s->rating)
		rc = case_rate(db, area_id, id, s->rating, "", &key);
	if (!rc && s->auto_closed) {
		struct case_act_args none = {.note = ""};
		rc = case_act(db, area_id, id, ACT_AUTO_CLOSE, &system, &none, &key);
	}
	return rc;
}

/* backdate moves the case, its timeline, referral and inbox messages to
 * the planned moments; messages about steps since done are read. */
static int backdate(struct db *db, int64_t id, const struct story *s,
		    const struct workday_calendar *cal, int days)
{
	int64_t last = s->closed     ? s->closed
		       : s->resolved ? s->resolved
		       : s->answered ? s->answered
		       : s->referred ? s->referred
		       : s->assigned ? s->assigned
		       : s->accepted ? s->accepted
				     : s->created;
	int rc;

	/* Typed: PostgreSQL reads an untyped CASE of parameters as text. */
	rc = db_exec_args(
	    db,
	    "UPDATE cases SET created_at = ?, updated_at = ?, public_updated_at = ?,"
	    " accept_due = ?, resolve_due = ?,"
	    " accepted_at = CASE WHEN accepted_at IS NULL THEN NULL ELSE CAST(? AS BIGINT) END,"
	    " resolved_at = CASE WHEN resolved_at IS NULL THEN NULL ELSE CAST(? AS BIGINT) END,"
	    " closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE CAST(? AS BIGINT) END,"
	    " rated_at = CASE WHEN rated_at IS NULL THEN NULL ELSE CAST(? AS BIGINT) END"
	    " WHERE id = ?",
	    NULL, "iiiiiiiiii", s->created, last, last, workday_deadline(cal, s->created, 1),
	    workday_deadline(cal, s->created, days), s->accepted, s->resolved, s->closed, s->rated,
	    id);
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE case_events SET at = CASE WHEN kind = 'rating' THEN CAST(? AS BIGINT)"
		    " WHEN to_state = 'accepted' THEN CAST(? AS BIGINT)"
		    " WHEN to_state = 'assigned' THEN CAST(? AS BIGINT)"
		    " WHEN to_state = 'referred' THEN CAST(? AS BIGINT)"
		    " WHEN to_state = 'in_progress' THEN CAST(? AS BIGINT)"
		    " WHEN to_state = 'resolved' THEN CAST(? AS BIGINT)"
		    " WHEN to_state = 'closed' THEN CAST(? AS BIGINT)"
		    " ELSE CAST(? AS BIGINT) END WHERE case_id = ?",
		    NULL, "iiiiiiiii", s->rated, s->accepted, s->assigned, s->referred, s->answered,
		    s->resolved, s->closed, s->created, id);
	/* A note goes with the step it was written at (the one before it). */
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE case_events SET at = COALESCE((SELECT p.at FROM case_events p"
		    " WHERE p.case_id = case_events.case_id AND p.id < case_events.id"
		    " AND p.kind <> 'note' ORDER BY p.id DESC LIMIT 1), at)"
		    " WHERE case_id = ? AND kind = 'note'",
		    NULL, "i", id);
	if (!rc && s->referred)
		rc = db_exec_args(db,
				  "UPDATE referrals SET referred_at = ?, due_at = ?,"
				  " answered_at = CASE WHEN answered_at IS NULL THEN NULL"
				  " ELSE CAST(? AS BIGINT) END WHERE case_id = ?",
				  NULL, "iiii", s->referred,
				  workday_deadline(cal, s->referred, REFERRAL_DAYS), s->answered,
				  id);
	/* The new-case message came with the report, the assignment's with
	 * it; each read once the case moved past it. */
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE inbox SET at = CASE message WHEN 'case.inbox.new' THEN CAST(? AS "
		    "BIGINT)"
		    " ELSE CAST(? AS BIGINT) END, read_at = CASE message"
		    " WHEN 'case.inbox.new' THEN CAST(? AS BIGINT) ELSE CAST(? AS BIGINT) END"
		    " WHERE case_id = ?",
		    NULL, "iirri", s->created, s->assigned ? s->assigned : s->created, s->accepted,
		    s->resolved, id);
	return rc;
}

/* demo_case: a report of category with text, by someone who gave no
 * name, of no place yet, through the web form. */
static struct case_new demo_case(int64_t area_id, const char *category, const char *text)
{
	return (struct case_new){
	    .area_id = area_id,
	    .category = category,
	    .description = text,
	    .plan_x = -1,
	    .plan_y = -1,
	    .lat_e6 = INT64_MIN,
	    .lon_e6 = INT64_MIN,
	    .address = "",
	    .reporter_name = "",
	    .reporter_phone = "",
	    .reporter_email = "",
	    .channel = "web",
	};
}

int cases_demo_history(struct db *db, int64_t area_id, int64_t now, int count)
{
	struct workday_calendar cal;
	struct handlers h;
	int rc;

	rc = case_calendar(db, &cal);
	if (rc)
		return rc;
	rc = load_handlers(db, area_id, &h);
	for (int i = 0; i < count && !rc; i++) {
		size_t k = next_random() % NSAMPLES;
		uint32_t which = next_random() % 4;
		const char *text = samples[k].texts[which];
		json_t *answers = json_object();
		struct case_new in = demo_case(area_id, samples[k].category, text);
		in.compound_id =
		    h.ncompounds ? h.first_compound + (int64_t)(next_random() % 4) % h.ncompounds
				 : 0;
		in.channel = (next_random() % 3) ? "web" : "phone";
		in.answers = answers;
		char code[TRACKING_CODE_LEN + 1];
		const char *field, *key;
		int64_t id;
		/* Spread over 180 days. */
		int64_t age = (int64_t)(next_random() % 180) * 86400 + (next_random() % 86400);
		struct story s;

		if (!strcmp(in.category, "noise")) {
			const char *source = noise_sources[which];
			json_object_set_new(answers, "source", json_string(source));
			if (!strcmp(source, "square_dance") && h.plaza_compound)
				in.compound_id = h.plaza_compound;
		}
		rc = cases_open(db, NULL, &in, &id, code, &field, &key);
		json_decref(answers);
		if (rc)
			break;
		plan(&s, &h, k, in.compound_id, now - age, now);
		rc = act(db, area_id, id, &s);
		if (!rc)
			rc = backdate(db, id, &s, &cal, !strcmp(in.category, "dispute") ? 15 : 5);
	}
	case_calendar_release(&cal);
	return rc;
}

int cases_demo_meter_case(struct db *db, int64_t id, int64_t t, int first)
{
	struct workday_calendar cal;
	int rc;

	if (!first) {
		/* The oldest occurrence not yet moved (those are at load time). */
		int64_t ev = 0;
		rc = db_query_row(db,
				  "SELECT COALESCE(MIN(id), 0) FROM case_events WHERE case_id = ?"
				  " AND kind = 'recurrence' AND at > ?",
				  &ev, "ii", id, t);
		/* The occurrence and the alert's note that came with it. */
		if (!rc && ev)
			rc = db_exec_args(
			    db,
			    "UPDATE case_events SET at = ? WHERE case_id = ? AND (id = ?"
			    " OR (id = ? AND kind = 'note'))",
			    NULL, "iiii", t, id, ev, ev + 1);
		if (!rc)
			rc = db_exec_args(db,
					  "UPDATE inbox SET at = ? WHERE id = (SELECT MIN(id) FROM"
					  " inbox WHERE case_id = ? AND message <> 'case.inbox.new'"
					  " AND at > ?)",
					  NULL, "iii", t, id, t);
		if (!rc)
			rc = db_exec_args(db,
					  "UPDATE cases SET updated_at = ?, public_updated_at = ?"
					  " WHERE id = ? AND updated_at > ?",
					  NULL, "iiii", t, t, id, t);
		return rc;
	}
	int64_t days = 5;
	rc = db_query_row(db,
			  "SELECT k.resolve_days FROM cases c JOIN case_categories k"
			  " ON k.id = c.category_id WHERE c.id = ?",
			  &days, "i", id);
	if (!rc)
		rc = case_calendar(db, &cal);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE cases SET created_at = ?, updated_at = ?, public_updated_at = ?,"
			  " accept_due = ?, resolve_due = ? WHERE id = ?",
			  NULL, "iiiiii", t, t, t, workday_deadline(&cal, t, 1),
			  workday_deadline(&cal, t, days > 0 ? (int)days : 5), id);
	/* Its report: what came before any occurrence. */
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE case_events SET at = ? WHERE case_id = ? AND id < COALESCE("
		    "(SELECT MIN(id) FROM case_events WHERE case_id = ?"
		    " AND kind = 'recurrence'), id + 1)",
		    NULL, "iii", t, id, id);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE inbox SET at = ? WHERE case_id = ?"
				  " AND message = 'case.inbox.new'",
				  NULL, "ii", t, id);
	case_calendar_release(&cal);
	return rc;
}

int cases_demo_report(struct db *db, int64_t area_id, const char *category, const char *text,
		      int64_t compound_id, int64_t created, int64_t now)
{
	struct workday_calendar cal;
	struct handlers h;
	struct story s;
	size_t k = 0;
	char code[TRACKING_CODE_LEN + 1];
	const char *field, *key;
	int64_t id = 0;
	int rc;

	/* handled as the sample of its name, else as pet waste is (by the
	 * category's own team and agency) */
	while (k < NSAMPLES && strcmp(samples[k].category, category))
		k++;
	if (k == NSAMPLES)
		for (k = 0; strcmp(samples[k].category, "pet_waste"); k++)
			;
	rc = case_calendar(db, &cal);
	if (rc)
		return rc;
	rc = load_handlers(db, area_id, &h);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COALESCE(MAX(handler_team_id), 0) FROM case_categories"
				  " WHERE area_id = ? AND code = ?",
				  &h.team[k], "it", area_id, category);
	if (!rc) {
		struct case_new in = demo_case(area_id, category, text);
		in.compound_id = compound_id;
		rc = cases_open(db, NULL, &in, &id, code, &field, &key);
	}
	if (!rc) {
		plan(&s, &h, k, compound_id, created, now);
		rc = act(db, area_id, id, &s);
	}
	if (!rc)
		rc = backdate(db, id, &s, &cal, 5);
	case_calendar_release(&cal);
	return rc;
}
