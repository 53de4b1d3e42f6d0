/* Internal to src/region: the overview's rows, their arithmetic and the
 * store. No other feature may include it. */
#ifndef LINLI_REGION_INTERNAL_H
#define LINLI_REGION_INTERNAL_H

#include "region.h"
#include "../base/buf.h"

#include <stddef.h>
#include <stdint.h>

#define REGION_SPARK_MONTHS 6	 /* months of cases received drawn in a row's sparkline */
#define REGION_CODE_MAX	    32	 /* bytes of an area's code */
#define REGION_NAME_MAX	    64	 /* characters of an area's name */
#define REGION_IMPORT_MAX   500	 /* rows one import may hold */
#define REGION_UNKNOWN	    (-1) /* a share with nothing to measure (written "—") */

/* One area's row of the overview. Shares are in hundredths of a percent
 * (9650: 96.5 %), REGION_UNKNOWN when there was nothing to measure. */
struct region_area {
	int64_t id; /* areas.id */
	char code[REGION_CODE_MAX + 1];
	char name[4 * REGION_NAME_MAX + 1];
	int64_t residents;  /* live residents now */
	int64_t households; /* live households now */
	int64_t members;    /* Party members who had joined by the month's last day */
	int64_t open;	    /* cases being worked on now */
	int64_t overdue;    /* past their deadline, neither resolved nor closed, now */
	int64_t received;   /* cases filed in the month */
	int64_t resolved;   /* cases resolved in the month */
	int64_t rated;	    /* ratings given in the month */
	int64_t satisfied;  /* share of those with 4 or 5 stars */
	int64_t noise;	    /* share of the plaza teams measured in the month that
			       stayed under the cap every minute */
	int64_t spark[REGION_SPARK_MONTHS]; /* cases received, oldest month first */
};

/* The columns the overview sorts by. */
enum region_sort {
	SORT_NAME,
	SORT_RESIDENTS,
	SORT_MEMBERS,
	SORT_OPEN,
	SORT_OVERDUE,
	SORT_RECEIVED,
	SORT_SATISFIED,
	SORT_NOISE,
	SORT_COUNT
};
/* region_sort_key: the query word of a column ("residents"). */
const char *region_sort_key(enum region_sort s);
/* region_sort_parse: NULL or "" is SORT_NAME; LIN_EINVAL for an unknown
 * word. */
int region_sort_parse(const char *s, enum region_sort *out);
/* region_sort sorts rows by the column: names ascending (by code), the
 * figures descending with unknown shares last; ties by code. */
void region_sort_rows(struct region_area *rows, int n, enum region_sort s);
/* region_share: part of whole in hundredths of a percent, rounded half
 * up; REGION_UNKNOWN when whole is 0. */
int64_t region_share(int64_t part, int64_t whole);
/* region_sparkline appends an inline SVG polyline of the n values (80 x
 * 20, the largest at the top, a flat line at the bottom for all zeros)
 * titled title (escaped). */
void region_sparkline(struct buf *out, const int64_t *v, int n, const char *title);

/* An area as the command line adds it. */
struct region_area_in {
	const char *code;	   /* letters, digits, '-' and '_', 1..REGION_CODE_MAX */
	const char *name;	   /* 1..REGION_NAME_MAX characters, no control characters */
	const char *street;	   /* the street's code */
	const char *street_name;   /* a new street's name ("" when the street exists) */
	const char *district;	   /* a new street's district code */
	const char *district_name; /* a new district's name */
};
/* region_area_check: 0 when in is well formed, else LIN_EINVAL with
 * *why an English and Chinese reason (static). No I/O. */
int region_area_check(const struct region_area_in *in, const char **why);

/* ---- store.c ---- */
/* region_rows_load fills rows[0..n) with each area's code and name. */
int region_rows_names(struct db *db, struct region_area *rows, int n);
/* region_open_cases: the area's cases being worked on now and, of those,
 * past their resolve deadline at now. */
int region_open_cases(struct db *db, int64_t area_id, int64_t now, int64_t *open, int64_t *overdue);
/* region_areas_add writes the n areas (and the streets and districts they
 * name that do not exist yet) in one transaction with an audit entry
 * each; every row is checked first against the file and the database,
 * and nothing is written when any is refused: the first problem goes to
 * *line (0-based row) and *why. LIN_EINVAL or LIN_ECONFLICT then. */
int region_areas_add(struct db *db, const struct region_area_in *in, int n, const char *actor,
		     int *line, const char **why);
/* region_received_by_month: the area's cases created in each of the
 * REGION_SPARK_MONTHS spans [bounds[k], bounds[k + 1]), oldest first,
 * into counts (one query; the same count as cases_month's received). */
int region_received_by_month(struct db *db, int64_t area_id, const int64_t *bounds,
			     int64_t *counts);
/* region_street_of: the street an area is in: its id and code. */
int region_street_of(struct db *db, int64_t area_id, int64_t *street_id, char *code, size_t n);
/* ---- the 12345 hotline's referrals (store_referral.c) ---- */
#define REGION_REF_MAX	  40  /* characters of a work order's number */
#define REGION_ANSWER_MAX 500 /* characters of an area's answer */
struct session;
struct case_new;
/* region_referral_add files in (a case of in->area_id, which must be in
 * the street street_id) for the 12345 work order ref, with its referral
 * row and audit entry, all in one transaction; actor is the street's
 * session. OUT: *id, *case_id, code. LIN_EINVAL with *field, *key (i18n)
 * on bad input; LIN_EPERM when the area is not the street's. */
int region_referral_add(struct db *db, const struct session *actor, int64_t street_id,
			const struct case_new *in, const char *ref, int64_t *id, int64_t *case_id,
			char *code, const char **field, const char **key);
/* region_referral_answer: the area's committee (actor, in its area)
 * returns (returned = 1, text the reason) or replies to referral id.
 * LIN_ENOTFOUND for another area's or none; LIN_ECONFLICT when already
 * answered; LIN_EINVAL for an empty or over-long text. */
int region_referral_answer(struct db *db, const struct session *actor, int64_t id, int returned,
			   const char *text);
/* region_referrals_json: the street's (street_id, area_id 0) or one
 * area's (area_id) referrals, newest first, with each case's state.
 * Caller decrefs *out. */
#include <jansson.h>
int region_referrals_json(struct db *db, int64_t street_id, int64_t area_id, json_t **out);

/* region_areas_list writes one line per area: code, name, street,
 * district. */
#include <stdio.h>
int region_areas_list(struct db *db, FILE *out);

#endif
