/* Plans the area's places and people: the four compounds with their
 * buildings and doors, who lives behind each door (exactly DEMO_RESIDENTS
 * people in plausible households), their tags, and the Party members. */
#include "plan.h"
#include "../base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_SEED     0x50555348414e19ULL /* "PUSHAN" and the report's year */
#define MAX_BUILDINGS 12

const char *const demo_tag_names[DEMO_TAG_COUNT] = {
    [DEMO_TAG_ALONE] = "独居老人",	    [DEMO_TAG_DISABLED] = "残疾人",
    [DEMO_TAG_YOUNG_WORKER] = "新就业青年", [DEMO_TAG_LOW_INCOME] = "低保家庭",
    [DEMO_TAG_VETERAN] = "退役军人",	    [DEMO_TAG_CHILDLESS] = "孤老",
    [DEMO_TAG_OLDEST] = "高龄老人",
};

/* How one compound is built and who tends to live there. */
struct compound_spec {
	struct demo_compound c;	   /* name, address, kind, year */
	int nbuildings;		   /* buildings, named 1号楼 .. */
	int floors[MAX_BUILDINGS]; /* storeys of each building */
	int doors[MAX_BUILDINGS];  /* doors per floor of each building */
	int area_min, area_max;	   /* exclusive area per flat, m² */
	int vacant_pct;		   /* flats with nobody registered */
	int rented_pct;		   /* flats let to tenants */
	int elderly_pct;	   /* owner households that are older people */
	int low_income_pct;	   /* owner households on 低保 */
	int sizes[6];		   /* weights of 1..6 people in an owner household */
};

static const struct compound_spec specs[DEMO_COMPOUNDS] = {
    /* A 1980s estate of six-storey walk-ups, sold to the tenants (售后公房). */
    {.c = {"普善新村", "普善路120弄", "public_housing", 1984, 0},
     .nbuildings = 12,
     .floors = {6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6},
     .doors = {6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6},
     .area_min = 35,
     .area_max = 62,
     .vacant_pct = 2,
     .rented_pct = 10,
     .elderly_pct = 70,
     .low_income_pct = 4,
     .sizes = {20, 34, 28, 12, 5, 1}},
    /* A late-1990s estate (老商品房): walk-ups and two eleven-storey blocks. */
    {.c = {"普善苑", "普善路268弄", "old_commercial", 1997, 0},
     .nbuildings = 8,
     .floors = {6, 6, 6, 6, 6, 6, 11, 11},
     .doors = {4, 4, 4, 4, 4, 4, 4, 4},
     .area_min = 55,
     .area_max = 98,
     .vacant_pct = 4,
     .rented_pct = 15,
     .elderly_pct = 55,
     .low_income_pct = 1,
     .sizes = {15, 30, 32, 15, 6, 2}},
    /* The report's 五月花小区, next to the 五月花商业广场: towers. */
    {.c = {"五月花小区", "普善路399弄", "commercial", 2004, 0},
     .nbuildings = 10,
     .floors = {18, 24, 24, 26, 28, 30, 30, 22, 20, 18},
     .doors = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4},
     .area_min = 78,
     .area_max = 158,
     .vacant_pct = 5,
     .rented_pct = 15,
     .elderly_pct = 38,
     .low_income_pct = 0,
     .sizes = {8, 24, 36, 18, 11, 3}},
    /* A small newer estate of larger flats. */
    {.c = {"普善华庭", "普善路518弄", "commercial", 2011, 0},
     .nbuildings = 4,
     .floors = {11, 11, 14, 16},
     .doors = {2, 2, 4, 4},
     .area_min = 92,
     .area_max = 160,
     .vacant_pct = 6,
     .rented_pct = 12,
     .elderly_pct = 32,
     .low_income_pct = 0,
     .sizes = {8, 24, 36, 18, 11, 3}},
};

/* Sizes of tenant households: mostly young singles and couples. */
static const int rented_sizes[6] = {30, 35, 28, 7, 0, 0};

/* Employers of in-post members (在职党员) who live here; invented. */
static const char *const work_units[] = {
    "申北轨道交通运营公司", "沪北第二中学",	    "静北中心医院",	  "市北数据科技有限公司",
    "沪安建设工程有限公司", "申江物流有限公司",	    "云澜软件有限公司",	  "沪北实验小学",
    "普善社区卫生服务站",   "华桑文化传播有限公司", "城投水务普善供水站",
};
/* Units in the area whose members report here without living here. */
static const char *const area_work_units[] = {
    "华桑文化传播有限公司",
    "城投水务普善供水站",
    "五月花物业服务有限公司",
    "小星星早教中心",
};
#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

int demo_person_age(const struct demo_person *x)
{
	return DEMO_YEAR - x->birth_year;
}

/* ---- places ---- */

static int plan_places(struct demo_plan *p)
{
	int nb = 0, nh = 0;

	for (int c = 0; c < DEMO_COMPOUNDS; c++) {
		p->compounds[c] = specs[c].c;
		nb += specs[c].nbuildings;
		for (int b = 0; b < specs[c].nbuildings; b++)
			nh += specs[c].floors[b] * specs[c].doors[b];
	}
	p->buildings = calloc((size_t)nb, sizeof(*p->buildings));
	p->households = calloc((size_t)nh, sizeof(*p->households));
	if (!p->buildings || !p->households)
		return LIN_ENOMEM;
	for (int c = 0; c < DEMO_COMPOUNDS; c++) {
		const struct compound_spec *s = &specs[c];
		for (int b = 0; b < s->nbuildings; b++) {
			struct demo_building *bu = &p->buildings[p->nbuildings];
			int area[8];

			bu->compound = c;
			bu->floors = s->floors[b];
			snprintf(bu->name, sizeof(bu->name), "%d号楼", b + 1);
			/* The same door on every floor has the same plan and area. */
			for (int d = 0; d < s->doors[b]; d++)
				area[d] =
				    demo_rng_range(&p->rng, s->area_min * 100, s->area_max * 100);
			for (int f = 1; f <= s->floors[b]; f++) {
				for (int d = 1; d <= s->doors[b]; d++) {
					struct demo_household *h = &p->households[p->nhouseholds++];
					h->building = p->nbuildings;
					snprintf(h->door, sizeof(h->door), "%d%02d", f, d);
					h->area_centi = area[d - 1];
				}
			}
			p->nbuildings++;
		}
	}
	return 0;
}

/* ---- households ---- */

/* plan_sizes decides who is vacant, rented and how many live in each flat,
 * then nudges family sizes until the total is exactly DEMO_RESIDENTS. */
static void plan_sizes(struct demo_plan *p)
{
	int total = 0;

	for (int i = 0; i < p->nhouseholds; i++) {
		struct demo_household *h = &p->households[i];
		const struct compound_spec *s = &specs[p->buildings[h->building].compound];

		if (demo_rng_chance(&p->rng, s->vacant_pct))
			continue;
		h->rented = demo_rng_chance(&p->rng, s->rented_pct);
		h->count = 1 + demo_rng_weighted(&p->rng, h->rented ? rented_sizes : s->sizes, 6);
		total += h->count;
	}
	while (total != DEMO_RESIDENTS) {
		struct demo_household *h = &p->households[demo_rng_below(&p->rng, p->nhouseholds)];

		if (total < DEMO_RESIDENTS && h->count >= 2 && h->count <= 5) {
			h->count++;
			total++;
		} else if (total > DEMO_RESIDENTS && h->count >= 3) {
			h->count--;
			total--;
		}
	}
}

/* older: an age in [lo, hi] that clusters in the middle, as the ages of
 * older residents do (few reach the top of the range). */
static int older(struct demo_rng *r, int lo, int hi)
{
	int half = (hi - lo) / 2;

	return lo + demo_rng_range(r, 0, half) + demo_rng_range(r, 0, hi - lo - half);
}

/* add_person appends one resident of household hh; returns its index. */
static int add_person(struct demo_plan *p, int hh, int surname, int male, int age)
{
	struct demo_person *x = &p->persons[p->npersons];

	if (age < 0)
		age = 0;
	if (age > 101)
		age = 101;
	x->surname = surname >= 0 ? surname : demo_surname_pick(&p->rng);
	x->gender = male ? 'M' : 'F';
	x->birth_year = DEMO_YEAR - age;
	x->household = hh;
	x->member = -1;
	demo_name(&p->names, x->surname, male, x->birth_year, x->name, sizeof(x->name));
	/* Young children have no phone of their own; some of the very old
	 * are reached through their family. */
	if (age >= 12 && !(age >= 85 && demo_rng_chance(&p->rng, 25)) &&
	    !demo_rng_chance(&p->rng, 2))
		demo_mobile(&p->names, x->phone, sizeof(x->phone));
	return p->npersons++;
}

/* add_couple adds a husband aged hage (surname -1: any) and his wife, who
 * keeps her own surname; returns the husband's index, the wife's is next. */
static int add_couple(struct demo_plan *p, int hh, int surname, int hage)
{
	int s = surname >= 0 ? surname : demo_surname_pick(&p->rng);
	int i = add_person(p, hh, s, 1, hage);

	add_person(p, hh, demo_surname_other(&p->rng, s), 0, hage - demo_rng_range(&p->rng, -2, 5));
	return i;
}

/* add_children adds k children of the couple starting at father. */
static void add_children(struct demo_plan *p, int hh, int father, int k)
{
	int mage = demo_person_age(&p->persons[father + 1]);
	int age = mage - demo_rng_range(&p->rng, 24, 34);

	for (int j = 0; j < k; j++) {
		int s = p->persons[demo_rng_chance(&p->rng, 90) ? father : father + 1].surname;

		if (age < 0)
			age = demo_rng_range(&p->rng, 0, 2);
		add_person(p, hh, s, demo_rng_chance(&p->rng, 51), age);
		age -= demo_rng_range(&p->rng, 2, 6);
	}
}

/* join_owners writes the names of persons a (and b, if >= 0) as owners. */
static void join_owners(struct demo_plan *p, struct demo_household *h, int a, int b)
{
	p->persons[a].is_owner = 1;
	if (b < 0) {
		snprintf(h->owners, sizeof(h->owners), "%s", p->persons[a].name);
		return;
	}
	p->persons[b].is_owner = 1;
	snprintf(h->owners, sizeof(h->owners), "%s、%s", p->persons[a].name, p->persons[b].name);
}

/* own_couple: both spouses own the flat, or one of them. */
static void own_couple(struct demo_plan *p, struct demo_household *h, int husband)
{
	if (demo_rng_chance(&p->rng, 65))
		join_owners(p, h, husband, husband + 1);
	else
		join_owners(p, h, husband + (demo_rng_chance(&p->rng, 55) ? 0 : 1), -1);
}

/* absent_owners: the owners of a let or empty flat live elsewhere. */
static void absent_owners(struct demo_plan *p, struct demo_household *h)
{
	char a[16], b[16];
	int year = demo_rng_range(&p->rng, 1948, 1988), s = demo_surname_pick(&p->rng);

	demo_name(&p->names, s, 1, year, a, sizeof(a));
	if (demo_rng_chance(&p->rng, 50)) {
		snprintf(h->owners, sizeof(h->owners), "%s", a);
		return;
	}
	demo_name(&p->names, demo_surname_other(&p->rng, s), 0, year + 2, b, sizeof(b));
	snprintf(h->owners, sizeof(h->owners), "%s、%s", a, b);
}

/* compose fills household hh with exactly its count of people. */
static void compose(struct demo_plan *p, int hh)
{
	struct demo_household *h = &p->households[hh];
	const struct compound_spec *s = &specs[p->buildings[h->building].compound];
	struct demo_rng *r = &p->rng;
	int old = !h->rented && demo_rng_chance(r, s->elderly_pct);
	int g, male, solo = -1, couple = -1;

	h->first = p->npersons;
	switch (h->count) {
	case 0:
		break;
	case 1:
		if (old || (!h->rented && demo_rng_chance(r, 15)))
			solo = add_person(p, hh, -1, demo_rng_chance(r, 35), older(r, 65, 97));
		else
			solo = add_person(p, hh, -1, demo_rng_chance(r, 50),
					  h->rented ? demo_rng_range(r, 22, 38)
						    : demo_rng_range(r, 26, 64));
		break;
	case 2:
		if (old) {
			couple = add_couple(p, hh, -1, older(r, 63, 93));
		} else if (!h->rented && demo_rng_chance(r, 15)) {
			/* a widowed parent and a grown child */
			int age = older(r, 70, 97);

			male = demo_rng_chance(r, 30);
			solo = add_person(p, hh, -1, male, age);
			add_person(p, hh, male ? p->persons[solo].surname : -1,
				   demo_rng_chance(r, 50), age - demo_rng_range(r, 24, 34));
		} else if (h->rented && demo_rng_chance(r, 30)) {
			/* two flatmates */
			add_person(p, hh, -1, demo_rng_chance(r, 50), demo_rng_range(r, 22, 32));
			add_person(p, hh, -1, demo_rng_chance(r, 50), demo_rng_range(r, 22, 32));
		} else {
			couple = add_couple(p, hh, -1,
					    h->rented		     ? demo_rng_range(r, 24, 38)
					    : demo_rng_chance(r, 60) ? demo_rng_range(r, 45, 72)
								     : demo_rng_range(r, 26, 39));
		}
		break;
	case 3:
		couple = add_couple(p, hh, -1, old ? older(r, 62, 90) : demo_rng_range(r, 30, 62));
		add_children(p, hh, couple, 1);
		break;
	case 4:
		if (!old && demo_rng_chance(r, 50)) {
			couple = add_couple(p, hh, -1, demo_rng_range(r, 30, 50));
			add_children(p, hh, couple, 2);
		} else {
			/* a couple, their child and a widowed grandparent */
			couple = add_couple(p, hh, -1, demo_rng_range(r, 32, 52));
			add_children(p, hh, couple, 1);
			male = demo_rng_chance(r, 30);
			add_person(p, hh, male ? p->persons[couple].surname : -1, male,
				   demo_person_age(&p->persons[couple]) +
				       demo_rng_range(r, 24, 32));
		}
		break;
	default: /* 5 or 6: grandparents, their son's family */
		g = add_couple(p, hh, -1, older(r, 58, 92));
		couple = add_couple(p, hh, p->persons[g].surname,
				    demo_person_age(&p->persons[g]) - demo_rng_range(r, 24, 32));
		add_children(p, hh, couple, h->count - 4);
		if (!h->rented && demo_rng_chance(r, 45))
			couple = g; /* the grandparents own the flat */
		break;
	}
	if (h->rented || h->count == 0)
		absent_owners(p, h);
	else if (couple >= 0)
		own_couple(p, h, couple);
	else if (solo >= 0)
		join_owners(p, h, solo, -1);
	else
		join_owners(p, h, h->first, -1);
}

/* ---- tags ---- */

static void plan_tags(struct demo_plan *p)
{
	struct demo_rng *r = &p->rng;

	for (int i = 0; i < p->nhouseholds; i++) {
		struct demo_household *h = &p->households[i];
		const struct compound_spec *s = &specs[p->buildings[h->building].compound];

		if (h->count && !h->rented && demo_rng_chance(r, s->low_income_pct))
			for (int j = 0; j < h->count; j++)
				p->persons[h->first + j].tags |= 1u << DEMO_TAG_LOW_INCOME;
	}
	for (int i = 0; i < p->npersons; i++) {
		struct demo_person *x = &p->persons[i];
		int age = demo_person_age(x), alone = p->households[x->household].count == 1;

		if (alone && age >= 60) {
			x->tags |= 1u << DEMO_TAG_ALONE;
			if (age >= 70 && demo_rng_chance(r, 15))
				x->tags |= 1u << DEMO_TAG_CHILDLESS;
		}
		if (age >= 80)
			x->tags |= 1u << DEMO_TAG_OLDEST;
		if (age >= 6 && demo_rng_chance(r, age >= 60 ? 4 : 1))
			x->tags |= 1u << DEMO_TAG_DISABLED;
		if (age >= 22 && age <= 30 && demo_rng_chance(r, 35))
			x->tags |= 1u << DEMO_TAG_YOUNG_WORKER;
		if (x->gender == 'M' && age >= 40 && age <= 92 && demo_rng_chance(r, 5))
			x->tags |= 1u << DEMO_TAG_VETERAN;
	}
}

/* ---- Party members ---- */

/* join_year: when someone born in birth_year joined, at the earliest
 * from lo to hi years of age, never later than last year. */
static void joined(struct demo_rng *r, int birth_year, int lo, int hi, char *out, size_t len)
{
	int year = birth_year + demo_rng_range(r, lo, hi);

	if (year > DEMO_YEAR - 1)
		year = DEMO_YEAR - 1;
	demo_date(r, year, out, len);
}

static void member_from_person(struct demo_plan *p, int person, int branch, int in_post)
{
	struct demo_member *m = &p->members[p->nmembers];
	struct demo_person *x = &p->persons[person];

	m->person = person;
	m->branch = branch;
	snprintf(m->name, sizeof(m->name), "%s", x->name);
	m->gender = x->gender;
	m->birth_year = x->birth_year;
	snprintf(m->phone, sizeof(m->phone), "%s", x->phone);
	m->in_post = in_post;
	m->work_unit = in_post ? work_units[demo_rng_below(&p->rng, NELEMS(work_units))] : "";
	if (in_post)
		joined(&p->rng, x->birth_year, 21, 32, m->joined_on, sizeof(m->joined_on));
	else
		joined(&p->rng, x->birth_year, 20, 40, m->joined_on, sizeof(m->joined_on));
	x->member = p->nmembers++;
}

/* pick_members makes want residents of the branch's compounds members:
 * retired ones (in_post 0) are likelier the older they are. */
static int pick_members(struct demo_plan *p, int branch, int in_post, int want)
{
	int *order = malloc(sizeof(int) * (size_t)p->npersons), n = 0, got = 0;

	if (!order)
		return LIN_ENOMEM;
	for (int i = 0; i < p->npersons; i++) {
		struct demo_person *x = &p->persons[i];
		int c = p->buildings[p->households[x->household].building].compound;
		int age = demo_person_age(x);

		if (x->member >= 0 || (c < 2) != (branch == 1))
			continue;
		if (in_post ? (age >= 25 && age <= 55) : age >= 45)
			order[n++] = i;
	}
	demo_rng_shuffle(&p->rng, order, n);
	for (int pass = 0; got < want && pass < 20; pass++) {
		for (int k = 0; k < n && got < want; k++) {
			struct demo_person *x = &p->persons[order[k]];
			int age = demo_person_age(x);
			int pct = in_post     ? 100
				  : age >= 75 ? 30
				  : age >= 65 ? 26
				  : age >= 55 ? 16
					      : 8;

			if (x->member < 0 && demo_rng_chance(&p->rng, pct)) {
				member_from_person(p, order[k], branch, in_post);
				got++;
			}
		}
	}
	free(order);
	return got == want ? 0 : LIN_EINVAL;
}

static int plan_members(struct demo_plan *p)
{
	/* Branch 1 (普善新村, 普善苑): older members, a few in post. Branch 2
	 * (五月花小区, 普善华庭): more in post, and some who work at units
	 * here and report to the area without living in it. */
	static const int unlinked = 8;
	int rc;

	p->members = calloc(DEMO_MEMBERS_1 + DEMO_MEMBERS_2, sizeof(*p->members));
	if (!p->members)
		return LIN_ENOMEM;
	rc = pick_members(p, 1, 0, DEMO_MEMBERS_1 - 6);
	if (!rc)
		rc = pick_members(p, 1, 1, 6);
	if (!rc)
		rc = pick_members(p, 2, 0, DEMO_MEMBERS_2 - 14 - unlinked);
	if (!rc)
		rc = pick_members(p, 2, 1, 14);
	if (rc)
		return rc;
	for (int i = 0; i < unlinked; i++) {
		struct demo_member *m = &p->members[p->nmembers++];
		int male = demo_rng_chance(&p->rng, 50);

		m->person = -1;
		m->branch = 2;
		m->gender = male ? 'M' : 'F';
		m->birth_year = demo_rng_range(&p->rng, 1978, 1996);
		demo_name(&p->names, -1, male, m->birth_year, m->name, sizeof(m->name));
		demo_mobile(&p->names, m->phone, sizeof(m->phone));
		m->in_post = 1;
		m->work_unit = area_work_units[i % NELEMS(area_work_units)];
		joined(&p->rng, m->birth_year, 21, 30, m->joined_on, sizeof(m->joined_on));
	}
	return 0;
}

/* ---- the whole plan ---- */

int demo_plan_build(struct demo_plan *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	demo_rng_init(&p->rng, DEMO_SEED);
	rc = demo_names_init(&p->names, &p->rng);
	if (rc)
		return rc;
	rc = plan_places(p);
	if (rc)
		return rc;
	p->persons = calloc(DEMO_RESIDENTS, sizeof(*p->persons));
	if (!p->persons)
		return LIN_ENOMEM;
	plan_sizes(p);
	for (int i = 0; i < p->nhouseholds; i++)
		compose(p, i);
	if (p->npersons != DEMO_RESIDENTS)
		return LIN_EINVAL;
	plan_tags(p);
	return plan_members(p);
}

void demo_plan_release(struct demo_plan *p)
{
	demo_names_release(&p->names);
	free(p->buildings);
	free(p->households);
	free(p->persons);
	free(p->members);
	memset(p, 0, sizeof(*p));
}
