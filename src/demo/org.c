/* Writes the demo area's organisation: named places, the Party general
 * branch with its two branches and members, the teams (from the vanguard
 * to the square-dance teams) with their members over time, and the
 * co-building units. Team membership is drawn here from the planned people. */
#include "plan.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- places ---- */

struct place_spec {
	const char *name; /* unique in the area */
	const char *kind; /* 'plaza', 'garbage_station', 'activity_room', 'garden' */
	int compound;	  /* index into plan compounds, -1 for none */
	const char *note; /* shown with the place */
};

static const struct place_spec places[] = {
    {"五月花商业广场", "plaza", 2, "傍晚广场舞集中地；设分贝仪，各舞队错峰活动"},
    {"普善居民区党群服务站", "activity_room", -1, "党员活动、议事协商、联席会议"},
    {"普善新村老年活动室", "activity_room", 0, ""},
    {"普善新村1号垃圾厢房", "garbage_station", 0, "定时定点投放 7:00-9:00、18:00-20:00"},
    {"普善新村2号垃圾厢房", "garbage_station", 0, "定时定点投放 7:00-9:00、18:00-20:00"},
    {"普善苑垃圾厢房", "garbage_station", 1, "定时定点投放 7:00-9:00、18:00-20:00"},
    {"五月花小区东区垃圾厢房", "garbage_station", 2, "定时定点投放 7:00-9:00、18:00-20:00"},
    {"五月花小区西区垃圾厢房", "garbage_station", 2, "定时定点投放 7:00-9:00、18:00-20:00"},
    {"普善华庭垃圾厢房", "garbage_station", 3, "定时定点投放 7:00-9:00、18:00-20:00"},
    {"普善新村街心花园", "garden", 0, ""},
    {"五月花小区中心花园", "garden", 2, ""},
    {"五月花小区宠物友好区", "garden", 2, "“携宠善行”团队设的宠物便袋取用点"},
};
#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int write_named_places(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(db,
			"INSERT INTO places (area_id, compound_id, name, kind, note)"
			" VALUES (?, ?, ?, ?, ?)",
			&st);
	for (int i = 0; i < NELEMS(places) && !rc; i++) {
		const struct place_spec *s = &places[i];
		int64_t compound = s->compound >= 0 ? p->compounds[s->compound].id : 0;

		rc = db_bindf(st, "irttt", area_id, compound, s->name, s->kind, s->note);
		if (!rc)
			rc = demo_insert(db, st, NULL);
	}
	db_finalize(st);
	return rc;
}

/* ---- Party branches and members ---- */

/* secretary: the name of the first member of branch who is in post (or
 * retired and 60-72), the usual choice for the post. */
static const char *secretary(const struct demo_plan *p, int branch, int in_post)
{
	for (int i = 0; i < p->nmembers; i++) {
		const struct demo_member *m = &p->members[i];
		int age = DEMO_YEAR - m->birth_year;

		if (m->branch != branch || m->person < 0 || m->in_post != in_post)
			continue;
		if (in_post || (age >= 60 && age <= 72))
			return m->name;
	}
	return "";
}

static int write_party(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct db_stmt *st = NULL;
	int64_t general = 0, branch[3] = {0, 0, 0};
	int rc;

	rc = db_prepare(db,
			"INSERT INTO branches (area_id, parent_id, name, kind, secretary)"
			" VALUES (?, ?, ?, ?, ?) RETURNING id",
			&st);
	if (!rc)
		rc = db_bindf(st, "irttt", area_id, (int64_t)0, "普善居民区党总支", "general",
			      secretary(p, 1, 1));
	if (!rc)
		rc = demo_insert(db, st, &general);
	if (!rc)
		rc = db_bindf(st, "irttt", area_id, general, "第一党支部", "branch",
			      secretary(p, 1, 0));
	if (!rc)
		rc = demo_insert(db, st, &branch[1]);
	if (!rc)
		rc = db_bindf(st, "irttt", area_id, general, "第二党支部", "branch",
			      secretary(p, 2, 0));
	if (!rc)
		rc = demo_insert(db, st, &branch[2]);
	db_finalize(st);
	st = NULL;
	if (rc)
		return rc;

	rc = db_prepare(db,
			"INSERT INTO members (area_id, branch_id, resident_id, name, gender,"
			" birth_year, phone, joined_on, in_post, work_unit)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st);
	for (int i = 0; i < p->nmembers && !rc; i++) {
		struct demo_member *m = &p->members[i];
		int64_t resident = m->person >= 0 ? p->persons[m->person].id : 0;
		char gender[2] = {m->gender, '\0'};

		rc = db_bindf(st, "iirttittit", area_id, branch[m->branch], resident, m->name,
			      gender, (int64_t)m->birth_year, m->phone, m->joined_on,
			      (int64_t)m->in_post, m->work_unit);
		if (!rc)
			rc = demo_insert(db, st, &m->id);
	}
	db_finalize(st);
	return rc;
}

/* ---- teams ---- */

/* Who a team draws its members from. */
enum pool {
	POOL_MEMBERS,	 /* Party members living here, 50-78 */
	POOL_ADULTS,	 /* any resident 30-75 */
	POOL_PET_OWNERS, /* young residents of 五月花小区, 22-45 */
	POOL_DANCERS,	 /* mostly women 50-76, one dance team each */
	POOL_PATROL,	 /* 45-72, Party members first */
	POOL_YOUTH,	 /* residents 22-35 */
};

struct team_spec {
	const char *name; /* unique in the area */
	const char *kind; /* teams.kind */
	const char *note; /* what the team does */
	enum pool pool;	  /* where its members come from */
	int size;	  /* current members */
	int past;	  /* members who have left */
	int outsiders;	  /* current members not registered in the area */
	int first, last;  /* years in which members joined */
};

static const struct team_spec teams[] = {
    {"党员先锋队", "vanguard",
     "从最初的两三人发展到十来人的核心党员先锋队，带头调解、走访、推动小区事务", POOL_MEMBERS, 10,
     1, 0, 2016, 2019},
    {"垃圾分类志愿者队", "volunteer", "垃圾厢房定时定点值守，指导居民分类投放，风雨无阻",
     POOL_ADULTS, 24, 3, 0, 2019, 2023},
    {"\"携宠善行\"文明养宠自治团队", "self_governance",
     "五月花小区大走访后孵化的文明养宠自治团队，线下宣传与线上平台结合", POOL_PET_OWNERS, 12, 1, 0,
     2019, 2022},
    {"五月花晨光舞蹈队", "dance", NULL, POOL_DANCERS, 16, 2, 3, 2010, 2019},
    {"普善夕阳红舞蹈队", "dance", NULL, POOL_DANCERS, 14, 1, 2, 2008, 2018},
    {"金秋健身舞队", "dance", NULL, POOL_DANCERS, 12, 1, 3, 2012, 2019},
    {"彩云广场舞队", "dance", NULL, POOL_DANCERS, 11, 0, 2, 2013, 2019},
    {"芷江欢乐舞蹈队", "dance", NULL, POOL_DANCERS, 10, 2, 4, 2011, 2018},
    {"百合花舞蹈队", "dance", NULL, POOL_DANCERS, 9, 1, 2, 2014, 2019},
    {"青春不老舞蹈队", "dance", NULL, POOL_DANCERS, 12, 0, 1, 2015, 2020},
    {"和美排舞队", "dance", NULL, POOL_DANCERS, 8, 1, 2, 2016, 2020},
    {"同心健身操队", "dance", NULL, POOL_DANCERS, 10, 0, 3, 2012, 2019},
    {"春晓扇子舞队", "dance", NULL, POOL_DANCERS, 8, 1, 1, 2009, 2017},
    {"平安巡逻队", "patrol", "广场噪音专项整治后成立，每日傍晚巡逻五月花商业广场并劝导",
     POOL_PATROL, 16, 2, 0, 2019, 2021},
    {"理财风险防范公益基金青年志愿者队", "fund",
     "与华桑文化传播有限公司共建，开展理财风险防范宣传和公益示范点创建", POOL_YOUTH, 12, 0, 4, 2019,
     2020},
    {"邻里调解志愿者队", "volunteer",
     "退休党员和楼组长组成的人民调解志愿者，调解漏水、停车、堆物等邻里纠纷", POOL_MEMBERS, 8, 1, 0,
     2017, 2021},
};

static int in_pool(const struct demo_plan *p, const struct demo_person *x, enum pool pool)
{
	int age = demo_person_age(x);
	int compound = p->buildings[p->households[x->household].building].compound;

	switch (pool) {
	case POOL_MEMBERS:
		return x->member >= 0 && age >= 50 && age <= 78;
	case POOL_ADULTS:
		return age >= 30 && age <= 75;
	case POOL_PET_OWNERS:
		return compound == 2 && age >= 22 && age <= 45;
	case POOL_DANCERS:
		return !x->in_dance && age >= 50 && age <= 76 && x->gender == 'F';
	case POOL_PATROL:
		return age >= 45 && age <= 72;
	case POOL_YOUTH:
		return age >= 22 && age <= 35;
	}
	return 0;
}

/* A team member before writing. */
struct pick {
	int person;	    /* index into plan persons, -1 for an outsider */
	char name[16];	    /* the member's name */
	char joined_on[12]; /* 'YYYY-MM-DD' */
	char left_on[12];   /* 'YYYY-MM-DD', "" while still in the team */
};

/* pick_team chooses s->size current members (the outsiders last among
 * them) then s->past former ones, and their dates; the first one leads.
 * OUT: *n. */
static int pick_team(struct demo_plan *p, const struct team_spec *s, struct pick *out, int *n)
{
	int total = s->size + s->past, want = total - s->outsiders, got = 0, ncand = 0, slot;
	int *cand = malloc(sizeof(int) * (size_t)p->npersons);

	*n = 0;
	if (!cand)
		return LIN_ENOMEM;
	for (int i = 0; i < p->npersons; i++)
		if (in_pool(p, &p->persons[i], s->pool))
			cand[ncand++] = i;
	demo_rng_shuffle(&p->rng, cand, ncand);
	for (int k = 0; k < ncand && got < want; k++) {
		struct demo_person *x = &p->persons[cand[k]];

		/* The patrol takes every Party member it meets, others sometimes. */
		if (s->pool == POOL_PATROL && x->member < 0 && !demo_rng_chance(&p->rng, 40))
			continue;
		if (s->pool == POOL_DANCERS)
			x->in_dance = 1;
		slot = got < s->size - s->outsiders ? got : got + s->outsiders;
		out[slot].person = cand[k];
		snprintf(out[slot].name, sizeof(out[slot].name), "%s", x->name);
		got++;
	}
	free(cand);
	if (got < want)
		return LIN_EINVAL;
	for (slot = s->size - s->outsiders; slot < s->size; slot++) {
		int male = s->pool == POOL_DANCERS ? demo_rng_chance(&p->rng, 10)
						   : demo_rng_chance(&p->rng, 50);
		int year = s->pool == POOL_YOUTH ? demo_rng_range(&p->rng, 1990, 2001)
						 : demo_rng_range(&p->rng, 1950, 1972);

		out[slot].person = -1;
		demo_name(&p->names, -1, male, year, out[slot].name, sizeof(out[slot].name));
	}
	/* Current members joined as the team grew, the earliest (the leader)
	 * in the first year; the leavers, the last s->past, at any time. */
	for (int k = 0; k < total; k++) {
		int year = k < s->size ? s->first + (k * (s->last - s->first + 1)) / s->size
				       : demo_rng_range(&p->rng, s->first, s->last);

		demo_date(&p->rng, year, out[k].joined_on, sizeof(out[k].joined_on));
		out[k].left_on[0] = '\0';
		/* keep the current members' dates in order: the leader came first */
		for (int j = k;
		     j > 0 && j < s->size && strcmp(out[j - 1].joined_on, out[j].joined_on) > 0;
		     j--) {
			char t[sizeof(out[j].joined_on)];
			memcpy(t, out[j].joined_on, sizeof(t));
			memcpy(out[j].joined_on, out[j - 1].joined_on, sizeof(t));
			memcpy(out[j - 1].joined_on, t, sizeof(t));
		}
		if (k >= s->size) {
			int left = year + demo_rng_range(&p->rng, 1, 3);
			if (left > DEMO_YEAR - 1)
				left = DEMO_YEAR - 1;
			if (left <= year)
				left = DEMO_YEAR;
			demo_date(&p->rng, left, out[k].left_on, sizeof(out[k].left_on));
		}
	}
	*n = total;
	return 0;
}

static int write_teams(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct db_stmt *team_st = NULL, *member_st = NULL;
	struct pick picks[40];
	int rc, dance = 0;

	rc = db_prepare(db,
			"INSERT INTO teams (area_id, name, kind, leader, note)"
			" VALUES (?, ?, ?, ?, ?) RETURNING id",
			&team_st);
	if (!rc)
		rc = db_prepare(
		    db,
		    "INSERT INTO team_members (area_id, team_id, resident_id, name, role,"
		    " joined_on, left_on) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    &member_st);
	for (int t = 0; t < NELEMS(teams) && !rc; t++) {
		const struct team_spec *s = &teams[t];
		char note[160];
		int64_t team_id = 0;
		int n = 0;

		if (s->size + s->past > NELEMS(picks)) {
			rc = LIN_EINVAL;
			break;
		}
		rc = pick_team(p, s, picks, &n);
		if (rc)
			break;
		if (s->note) {
			snprintf(note, sizeof(note), "%s", s->note);
		} else {
			/* The staggered evening slots agreed after the noise campaign. */
			int start = 18 * 60 + 30 * (dance % 4);
			snprintf(note, sizeof(note),
				 "五月花商业广场，每晚 %02d:%02d-%02d:%02d，音量不超过限值",
				 start / 60, start % 60, (start + 60) / 60, (start + 60) % 60);
			dance++;
		}
		rc = db_bindf(team_st, "itttt", area_id, s->name, s->kind, picks[0].name, note);
		if (!rc)
			rc = demo_insert(db, team_st, &team_id);
		for (int k = 0; k < n && !rc; k++) {
			int64_t resident =
			    picks[k].person >= 0 ? p->persons[picks[k].person].id : 0;

			rc = db_bindf(member_st, "iirttt", area_id, team_id, resident,
				      picks[k].name, k == 0 ? "leader" : "", picks[k].joined_on);
			if (!rc)
				rc = db_bind_text(member_st, 7,
						  picks[k].left_on[0] ? picks[k].left_on : NULL);
			if (!rc)
				rc = demo_insert(db, member_st, NULL);
		}
	}
	db_finalize(team_st);
	db_finalize(member_st);
	return rc;
}

/* ---- units ---- */

static int write_units(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct db_stmt *st = NULL;
	struct demo_unit *units = calloc(200, sizeof(*units));
	int rc, n = 0;

	if (!units)
		return LIN_ENOMEM;
	rc = demo_units_plan(p, units, 200, &n);
	if (!rc)
		rc = db_prepare(db,
				"INSERT INTO units (area_id, name, kind, address, contact, phone,"
				" has_party_org) VALUES (?, ?, ?, ?, ?, ?, ?)",
				&st);
	for (int i = 0; i < n && !rc; i++) {
		struct demo_unit *u = &units[i];

		rc = db_bindf(st, "ittttti", area_id, u->name, u->kind, u->address, u->contact,
			      u->phone, (int64_t)u->has_party_org);
		if (!rc)
			rc = demo_insert(db, st, NULL);
	}
	db_finalize(st);
	free(units);
	return rc;
}

int demo_write_org(struct db *db, struct demo_plan *p, int64_t area_id)
{
	int rc = write_named_places(db, p, area_id);

	if (!rc)
		rc = write_party(db, p, area_id);
	if (!rc)
		rc = write_teams(db, p, area_id);
	if (!rc)
		rc = write_units(db, p, area_id);
	return rc;
}
