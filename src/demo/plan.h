/* Internal to src/demo: the deterministic generator behind demo_load. The
 * whole area is first planned in memory (people.c, units.c) from one seeded
 * random stream, then written (demo.c, org.c). Not for use outside src/demo. */
#ifndef LINLI_DEMO_PLAN_H
#define LINLI_DEMO_PLAN_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

struct db;
struct db_stmt;

#define DEMO_YEAR      2025 /* ages, tags and dates are reckoned against this year */
#define DEMO_RESIDENTS 4846 /* 常住人口 in the report */
#define DEMO_MEMBERS_1 96   /* 第一党支部 */
#define DEMO_MEMBERS_2 82   /* 第二党支部: together the report's 178 */
#define DEMO_COMPOUNDS 4

/* ---- random numbers (names.c): splitmix64 ---- */

struct demo_rng {
	uint64_t state; /* advanced by every draw */
};

void demo_rng_init(struct demo_rng *r, uint64_t seed);
uint64_t demo_rng_next(struct demo_rng *r);
int demo_rng_below(struct demo_rng *r, int n);		/* uniform in [0, n), n > 0 */
int demo_rng_range(struct demo_rng *r, int lo, int hi); /* uniform in [lo, hi] */
int demo_rng_chance(struct demo_rng *r, int percent);	/* 1 with that probability */
/* demo_rng_weighted: an index in [0, n) drawn with the given weights. */
int demo_rng_weighted(struct demo_rng *r, const int *weights, int n);
void demo_rng_shuffle(struct demo_rng *r, int *v, int n);

/* ---- synthetic names and phone numbers (names.c) ---- */

/* Keeps generated names and phone numbers unique across the whole area. */
struct demo_names {
	struct demo_rng *rng; /* the plan's stream, not owned */
	uint64_t *seen;	      /* open-addressing set of hashes; owned */
	size_t cap;	      /* slots in seen (a power of two) */
	size_t count;	      /* slots used */
};

/* demo_names_init allocates the set; release it with demo_names_release. */
int demo_names_init(struct demo_names *n, struct demo_rng *rng);
void demo_names_release(struct demo_names *n);
/* demo_surname_pick: an index into the surname table, weighted like Shanghai. */
int demo_surname_pick(struct demo_rng *rng);
/* demo_surname_other: a surname index different from avoid. */
int demo_surname_other(struct demo_rng *rng, int avoid);
/* demo_name writes a fresh full name with surname index surname (-1: pick
 * one) and a given name in the style of the birth year. */
void demo_name(struct demo_names *n, int surname, int male, int birth_year, char *out, size_t len);
void demo_mobile(struct demo_names *n, char *out, size_t len);	 /* 11 digits */
void demo_landline(struct demo_names *n, char *out, size_t len); /* 021-5xxxxxxx */
/* demo_names_claim: 1 when text was not yet used (and now is), else 0. */
int demo_names_claim(struct demo_names *n, const char *text);
/* demo_date writes 'YYYY-MM-DD' for a random day of year. */
void demo_date(struct demo_rng *rng, int year, char *out, size_t len);

/* ---- the planned area (people.c) ---- */

enum demo_tag {
	DEMO_TAG_ALONE,	       /* 独居老人: 60+ living alone */
	DEMO_TAG_DISABLED,     /* 残疾人 */
	DEMO_TAG_YOUNG_WORKER, /* 新就业青年: 22-30 */
	DEMO_TAG_LOW_INCOME,   /* 低保家庭: every member of the household */
	DEMO_TAG_VETERAN,      /* 退役军人 */
	DEMO_TAG_CHILDLESS,    /* 孤老: alone, 70+, no children */
	DEMO_TAG_OLDEST,       /* 高龄老人: 80+ */
	DEMO_TAG_COUNT
};
extern const char *const demo_tag_names[DEMO_TAG_COUNT];

struct demo_compound {
	const char *name;    /* e.g. "五月花小区" */
	const char *address; /* e.g. "普善路399弄" */
	const char *kind;    /* 'commercial', 'old_commercial' or 'public_housing' */
	int built_year;	     /* year of completion */
	int64_t id;	     /* compounds.id once written */
};

struct demo_building {
	int compound;  /* index into plan compounds */
	char name[24]; /* "3号楼" */
	int floors;    /* storeys */
	int64_t id;    /* buildings.id once written */
};

struct demo_household {
	int building;	    /* index into plan buildings */
	char door[24];	    /* floor then unit: "1202" */
	int64_t area_centi; /* exclusive area in hundredths of m² */
	char owners[64];    /* owner names joined by "、" */
	int first;	    /* index of its first person */
	int count;	    /* people registered here (0: vacant) */
	int rented;	    /* owners live elsewhere; the residents are tenants */
	int64_t id;	    /* households.id once written */
};

struct demo_person {
	char name[16];	/* synthetic full name */
	int surname;	/* index into the surname table */
	char gender;	/* 'M' or 'F' */
	int birth_year; /* year of birth */
	char phone[16]; /* 11-digit mobile or "" */
	int is_owner;	/* named in the household's owners */
	int household;	/* index into plan households */
	unsigned tags;	/* bit (1u << enum demo_tag) */
	int member;	/* index into plan members, -1 if not a Party member */
	int in_dance;	/* already in one dance team */
	int64_t id;	/* residents.id once written */
};

struct demo_member {
	int person;	       /* index into plan persons, -1 when not registered here */
	int branch;	       /* 1 or 2 */
	char name[16];	       /* as the person's, or synthetic when person is -1 */
	char gender;	       /* 'M' or 'F' */
	int birth_year;	       /* year of birth */
	char phone[16];	       /* mobile */
	char joined_on[12];    /* 'YYYY-MM-DD' */
	int in_post;	       /* 在职党员 reporting to the community (双报到) */
	const char *work_unit; /* employer of an in-post member, "" otherwise */
	int64_t id;	       /* members.id once written */
};

struct demo_plan {
	struct demo_rng rng;				/* the one random stream */
	struct demo_names names;			/* uniqueness of names and phones */
	struct demo_compound compounds[DEMO_COMPOUNDS]; /* the four compounds */
	struct demo_building *buildings;		/* owned */
	int nbuildings;					/* entries in buildings */
	struct demo_household *households;		/* owned */
	int nhouseholds;				/* entries in households */
	struct demo_person *persons;			/* owned; DEMO_RESIDENTS entries */
	int npersons;					/* entries in persons */
	struct demo_member *members;			/* owned; DEMO_MEMBERS_1 + DEMO_MEMBERS_2 */
	int nmembers;					/* entries in members */
};

/* demo_plan_build fills p from a fixed seed: compounds, buildings,
 * households, residents and their tags, Party members. Release with
 * demo_plan_release (also after a failure). */
int demo_plan_build(struct demo_plan *p);
void demo_plan_release(struct demo_plan *p);
int demo_person_age(const struct demo_person *x);

/* ---- co-building units (units.c) ---- */

struct demo_unit {
	char name[64];	   /* unique in the area */
	const char *kind;  /* 'enterprise', 'shop', 'school', 'institution', 'agency' */
	char address[64];  /* "普善路57号", "五月花商业广场B1-05" */
	char contact[16];  /* contact person (synthetic) */
	char phone[24];	   /* mobile or landline */
	int has_party_org; /* the unit has its own Party organisation */
};

/* demo_units_plan writes the area's units into out (cap entries).
 * OUT: *count. */
int demo_units_plan(struct demo_plan *p, struct demo_unit *out, int cap, int *count);

/* ---- writing (demo.c, org.c) ---- */

/* demo_insert steps an INSERT to completion; with out non-NULL the
 * statement ends in RETURNING id and *out receives it. */
int demo_insert(struct db *db, struct db_stmt *st, int64_t *out);
/* demo_write_org writes places, branches, members, teams and units. */
int demo_write_org(struct db *db, struct demo_plan *p, int64_t area_id);
/* demo_write_plaza writes the plaza's zones, receptors, the dance teams'
 * profiles, its meter and alert rules (after demo_write_org). */
int demo_write_plaza(struct db *db, int64_t area_id);
/* demo_write_hours: a year of service hours, the points table and targets
 * (hours.c), in its own transaction after the accounts exist. */
int demo_write_hours(struct db *db, int64_t area_id);
/* demo_write_duty: sorting stations, the plaza patrol, volunteers and a
 * month of published rosters with check-ins (src/duty's demo). */
int demo_write_duty(struct db *db, int64_t area_id);
/* demo_write_footprints writes the site plan: compound and building
 * footprints and roads around the real place (footprints.c). */
int demo_write_footprints(struct db *db, struct demo_plan *p, int64_t area_id);

#endif
