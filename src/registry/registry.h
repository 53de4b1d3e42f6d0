/* The registry of places and people: compounds, buildings, households,
 * residents, tags, places, Party branches and members, teams and their
 * members, co-building units. Each is described once by an entity
 * descriptor (entities.c); list, search, create, edit, archive, the JSON
 * API, the pages, CSV import and export all work from that description. */
#ifndef LINLI_REGISTRY_REGISTRY_H
#define LINLI_REGISTRY_REGISTRY_H

#include "../web/page.h"
#include "../web/perm.h"
#include "../base/command.h"

#include <stdint.h>
#include <stdio.h>

struct db;
struct router;
struct buf;

enum field_type {
	FT_TEXT,      /* one line of text, max = characters */
	FT_LONGTEXT,  /* several lines */
	FT_INT,	      /* integer in [min, max] */
	FT_CENTI,     /* decimal with two places, stored as hundredths (m²) */
	FT_DATE,      /* YYYY-MM-DD */
	FT_BOOL,      /* 0/1 */
	FT_CHOICE,    /* one of choices[] */
	FT_REF,	      /* id of a row of entity ref in the same area */
	FT_PHONE,     /* phone number, masked for roles without PERM_SEE_PHONE */
	FT_TAGS,      /* residents only: names from the area's tag dictionary */
	FT_URL,	      /* an http:// or https:// address */
	FT_EMAIL,     /* an e-mail address */
	FT_QUESTIONS, /* a JSON array of form questions (case categories) */
	FT_PERIODS,   /* clock periods "18:00-21:30;..." (parse_periods), max = how many */
	FT_SHAPE,     /* polygon "x,y x,y ..." in metres (parse_shape), max = points */
	FT_DAYS,      /* ISO weekdays as digits, "135" = Mon, Wed, Fri */
};

enum field_flags {
	FF_REQUIRED = 1 << 0, /* must be present and non-empty */
	FF_LIST = 1 << 1,     /* a column in list views */
	FF_SEARCH = 1 << 2,   /* matched by the ?q= search */
	FF_FILTER = 1 << 3,   /* may be filtered on exactly (?name=value) */
	FF_TAG_NAME = 1 << 4, /* a tag name: no list separators, no surrounding space */
	FF_DB = 1 << 5,	      /* a level or an offset in dB, kept in hundredths: pages show
				 and take it with one decimal (70.0, -1.5) */
};

struct field {
	const char *name;	    /* column, JSON key, form field and CSV header */
	enum field_type type;	    /* how it is validated, stored and shown */
	unsigned flags;		    /* enum field_flags */
	int64_t min, max;	    /* FT_INT range; FT_TEXT max characters; FT_CENTI max */
	const char *const *choices; /* FT_CHOICE: allowed values, NULL-terminated */
	const char *ref;	    /* FT_REF: name of the referenced entity */
};

struct child_list {
	const char *entity; /* child entity name */
	const char *field;  /* its FT_REF field pointing here */
};

struct entity {
	const char *name;	       /* table name and URL segment, e.g. "households" */
	const char *title_sql;	       /* SQL for a row's display title; "@" is the row alias */
	const struct field *fields;    /* terminated by a NULL name */
	enum perm read;		       /* who may see rows */
	enum perm write;	       /* who may create, change and archive them */
	int archive;		       /* rows are archived (kept for history), not deleted */
	const char *order_sql;	       /* ORDER BY for lists; "@" is the row alias */
	struct child_list children[3]; /* lists shown on a row's page */
	int importable;		       /* offered by `linli import` / `linli export` */
};

/* ---- the catalogue of entities (entities.c) ---- */
const struct entity *entity_by_name(const char *name);
const struct entity *entity_at(int i); /* NULL past the end */
const struct field *entity_field(const struct entity *e, const char *name);

/* ---- routes and navigation (api.c, pages.c, dashboard.c) ---- */
int registry_add_routes(struct router *r);
/* registry_nav: a link to each list of places and people. */
extern const struct nav_item registry_nav[];

/* registry_choices: for another feature's choice lists, up to max of the
 * area's live rows of entity (by name: "compounds", "teams", "units", ...)
 * as a JSON array of {id, title} in the registry's order (by id); for
 * "units" only of the given kinds when kinds (NULL-terminated) is not
 * NULL, by kind first. *more is set when there are more rows. The caller
 * decrefs *out, also on error. LIN_EINVAL for an unknown entity. */
int registry_choices(struct db *db, const char *entity, int64_t area_id, const char *const *kinds,
		     int max, json_t **out, int *more);

/* registry_buildings: the area's live buildings with their compounds,
 * [{id, name, compound_id, compound}] by compound then id, for a place
 * picker. The caller decrefs *out, also on error. */
int registry_buildings(struct db *db, int64_t area_id, json_t **out);
/* registry_place_of: the compound of the area's building, and the live
 * household at door in it (door NULL or "": none); 0 in either when there
 * is none. */
int registry_place_of(struct db *db, int64_t area_id, int64_t building_id, const char *door,
		      int64_t *compound_id, int64_t *household_id);

/* What the monthly report (src/report) says of the registry at the end
 * of a month (last_day, YYYY-MM-DD, included). The registry keeps no
 * history of residents and households, so those are today's counts;
 * members and team members carry their dates, so those are the month's. */
struct registry_month {
	int64_t residents;    /* live residents now */
	int64_t households;   /* live households now */
	int64_t members;      /* live Party members who had joined by last_day */
	int64_t members_new;  /* of those, joined on first_day..last_day */
	int64_t team_members; /* team memberships current on last_day */
};
int registry_month(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		   struct registry_month *out);

/* ---- CSV (csvio.c) ---- */
struct import_report {
	int rows;     /* data rows read */
	int bad;      /* rows refused */
	int imported; /* rows written (0 on a dry run or when any row was bad) */
};
/* registry_import reads CSV (header row of field names) into entity e of
 * the area. Every bad row is reported on errors as "line N: reason" in
 * lang; if any row is bad nothing is written. */
int registry_import(struct db *db, const struct entity *e, int64_t area_id, const char *csv,
		    size_t len, int dry_run, const char *lang, FILE *errors,
		    struct import_report *report);
/* registry_export writes every live row of e in the area as CSV. */
int registry_export(struct db *db, const struct entity *e, int64_t area_id, FILE *out);

/* registry_phone_mask shows 138****5678 for an 11-digit mobile, and keeps only the
 * first three and last two characters of other numbers. */
void registry_phone_mask(const char *phone, char *out, size_t n);
/* registry_phone_valid: whether s (not empty) is a phone number as the
 * registry accepts one: a mobile of 11 digits starting 1[3-9], or 7-15
 * digits with spaces, hyphens and a leading +. */
int registry_phone_valid(const char *s);

/* ---- the site plan (plan.c, plan_store.c) ----
 * Footprints of compounds and buildings and the lines of roads and paths,
 * in WGS-84 micro-degrees, projected to local metres around the plan's
 * centre and drawn at true scale as SVG. One drawing for every page that
 * shows the area: the case map, the report form's picker, the noise and
 * plaza pages. */
enum plan_kind { PLAN_COMPOUND, PLAN_BUILDING, PLAN_ROAD, PLAN_PATH, PLAN_PLACE, PLAN_KIND_COUNT };

#define PLAN_MAX_FEATURES 5000 /* features in one area's plan */
#define PLAN_MAX_POINTS	  2000 /* points in one feature */
#define PLAN_WIDTH	  1000 /* viewBox units across */

struct plan_feature {
	enum plan_kind kind; /* what it is */
	int64_t compound_id; /* its compound (compounds and buildings), 0 before matching */
	int64_t building_id; /* its building (buildings), 0 before matching */
	int64_t place_id;    /* its place (places), 0 before matching */
	char *name;	     /* compound's, building's or road's name; owned */
	char *compound_name; /* a building's compound's name, else NULL; owned */
	int npoints;	     /* entries in pt */
	int64_t (*pt)[2];    /* lon, lat in micro-degrees; rings open; owned */
};

/* An area's plan and how it is projected onto a PLAN_WIDTH-wide viewBox. */
struct registry_plan {
	struct plan_feature *f; /* owned; compounds first, then buildings, then lines */
	int n;			/* entries in f */
	double lat0, lon0;	/* the projection's centre, degrees */
	double x0, y0;		/* metres east and south of the centre at the viewBox origin */
	double scale;		/* viewBox units per metre */
	int width, height;	/* the viewBox */
};

void registry_plan_release(struct registry_plan *p);
/* registry_plan_parse reads a GeoJSON FeatureCollection into p (names, no
 * ids yet). Every feature is checked; each problem is written to errors
 * as one line "要素 N：…" in lang (N counts from 1). LIN_EINVAL when any
 * feature was bad (p then holds nothing), LIN_ENOMEM. */
int registry_plan_parse(const char *text, size_t len, const char *lang, struct buf *errors,
			struct registry_plan *p);
/* registry_plan_fit projects p onto its viewBox around the footprint of
 * compound_id (0: every feature), north up, with a margin. */
void registry_plan_fit(struct registry_plan *p, int64_t compound_id);
/* registry_plan_xy: where lon, lat (micro-degrees) falls on the viewBox. */
void registry_plan_xy(const struct registry_plan *p, int64_t lon, int64_t lat, double *x,
		      double *y);
/* registry_plan_lonlat: the inverse of registry_plan_xy. */
void registry_plan_lonlat(const struct registry_plan *p, double x, double y, int64_t *lon,
			  int64_t *lat);
/* registry_plan_contains: 1 when lon, lat lies inside polygon f or on
 * its edge, else 0 (lines contain nothing). Exact, on the integers. */
int registry_plan_contains(const struct plan_feature *f, int64_t lon, int64_t lat);
/* registry_plan_find: the footprint of building_id (when not 0), else of
 * compound_id; NULL when neither has one. */
const struct plan_feature *registry_plan_find(const struct registry_plan *p, int64_t compound_id,
					      int64_t building_id);
/* registry_plan_spot: a point inside f chosen from seed alone (so a case
 * without a point of its own stays put), in micro-degrees. */
void registry_plan_spot(const struct plan_feature *f, uint64_t seed, int64_t *lon, int64_t *lat);

/* How registry_plan_draw paints compounds: fill(ctx, compound_id) gives a
 * "#rrggbb", or NULL for the default; buildings likewise (a survey's
 * coverage). */
struct plan_paint {
	const char *(*fill)(void *ctx, int64_t compound_id);
	void *ctx; /* passed to fill and building_fill */
	/* a building's "#rrggbb", or NULL for the default (may be NULL) */
	const char *(*building_fill)(void *ctx, int64_t building_id);
};
/* registry_plan_draw writes the ground (roads, compounds, buildings) as
 * SVG elements in viewBox units, for the caller's <svg>. */
void registry_plan_draw(struct buf *out, const struct registry_plan *p,
			const struct plan_paint *paint);
/* registry_plan_labels writes the names (compounds always, places, and
 * buildings and roads where they fit), haloed, letting taps through, size
 * times the plan's usual size (1: 12.6 px for the smallest on a 390 px
 * phone, where a plan is about 350 px wide; more for smaller figures). */
void registry_plan_labels(struct buf *out, const struct registry_plan *p, double size);

/* registry_plan_locator writes a whole <svg> (class cls) of the area's
 * plan with place_id's footprint marked, to show where a plaza or a
 * meter is; LIN_ENOTFOUND (nothing written) when the place has none. */
int registry_plan_locator(struct buf *out, const struct registry_plan *p, int64_t place_id,
			  const char *cls, const char *title);

/* registry_wgs84_to_gcj02: a WGS-84 point (GPS, the plan) as GCJ-02, the
 * datum of Chinese tile services; points outside China are left as they
 * are. Degrees. */
void registry_wgs84_to_gcj02(double lat, double lon, double *glat, double *glon);

/* registry_plan_load: the area's plan with ids and names, fitted to every
 * feature; p->n is 0 when the area has none. */
int registry_plan_load(struct db *db, int64_t area_id, struct registry_plan *p);
/* registry_plan_match gives each parsed feature its compound and building
 * ids by name; unknown names are written to errors like parse errors.
 * LIN_EINVAL when any was unknown. */
int registry_plan_match(struct db *db, int64_t area_id, const char *lang, struct buf *errors,
			struct registry_plan *p);
/* registry_plan_write replaces the area's whole plan with p (matched) and
 * audits it, inside the caller's transaction; registry_plan_replace opens
 * and commits one. actor: "cli", "demo" or a user name. */
int registry_plan_write(struct db *db, int64_t area_id, const char *actor,
			const struct registry_plan *p);
int registry_plan_replace(struct db *db, int64_t area_id, const char *actor,
			  const struct registry_plan *p);
/* registry_plan_geojson: p as a GeoJSON FeatureCollection that
 * registry_plan_parse reads back to the same plan. */
json_t *registry_plan_geojson(const struct registry_plan *p);
/* registry_plan_routes: GET /api/v1/plan.geojson (plan_api.c). */
int registry_plan_routes(struct router *r);
/* registry_plan_commands: `linli plan import FILE` and `linli plan export`. */
extern const struct command registry_plan_commands[];

#endif
