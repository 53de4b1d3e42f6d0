/* The registry of places and people: compounds, buildings, households,
 * residents, tags, places, Party branches and members, teams and their
 * members, co-building units. Each is described once by an entity
 * descriptor (entities.c); list, search, create, edit, archive, the JSON
 * API, the pages, CSV import and export all work from that description. */
#ifndef LINLI_REGISTRY_REGISTRY_H
#define LINLI_REGISTRY_REGISTRY_H

#include "../web/page.h"
#include "../web/perm.h"

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

#endif
