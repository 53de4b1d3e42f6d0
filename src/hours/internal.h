/* What the files of src/hours share and no other feature may include:
 * the person a request is about, a member's points and target, and each
 * file's routes. */
#ifndef LINLI_HOURS_INTERNAL_H
#define LINLI_HOURS_INTERNAL_H

#include "model.h"
#include "store.h"
#include "../web/router.h"

#include <jansson.h>
#include <stdint.h>

struct http_req;
struct http_resp;

/* A member's year on the points table. */
struct hours_member_year {
	int64_t counts[ITEM_COUNT]; /* meetings attended, minutes served, items done, events */
	int64_t points[ITEM_COUNT]; /* the table's points per unit */
	int64_t total;		    /* hours_points of the two */
	int64_t target_minutes;	    /* the year's target (0: none) */
	int target_own;		    /* the member's own target, not the in-post default */
	int percent;		    /* served of the target */
};
/* hours_member_year_get fills y for member_id (whose ledger key is
 * person) in year; meetings attended and action items done come from
 * meetings/meetings.h: meetings is that year's meetings_member_counts
 * list when the caller has it (a table of every member), NULL to read
 * it. */
int hours_member_year_get(struct db *db, int64_t area_id, int64_t member_id,
			  const struct hours_person *person, int year, json_t *meetings,
			  struct hours_member_year *y);
/* hours_member_year_json: y as {year, counts:{item: n}, points:{item: n},
 * total, target_minutes, target_own, progress_percent}. */
json_t *hours_member_year_json(int year, const struct hours_member_year *y);

/* One person's year, as "my hours", the committee's person page and the
 * API show it. */
struct hours_person_year {
	struct hours_sums sums;		 /* balances and the year's minutes */
	struct hours_member_year member; /* a member's points and target */
	char name[128];			 /* the resident's name, else the member's */
	json_t *entries;		 /* the year's entries (hours_entries_read); owned */
};
/* hours_person_year_read fills out for p in year; the caller releases
 * out->entries with json_decref, also on error. */
int hours_person_year_read(struct db *db, int64_t area_id, const struct hours_person *p, int year,
			   struct hours_person_year *out);

/* hours_points_year: the secretary's view of year, {year, rules: {item:
 * points}, in_post_target_minutes, members: [{member_id, person, name,
 * in_post, year: hours_member_year_json}]}; the caller decrefs *out, also
 * on error. */
int hours_points_year(struct db *db, int64_t area_id, int year, json_t **out);

/* hours_this_year: the current Shanghai year; hours_day_string: today as
 * YYYY-MM-DD. */
int hours_this_year(void);
void hours_day_string(int64_t day, char out[11]);

/* hours_is_committee: the reader may see and write everyone's hours. */
int hours_is_committee(struct http_req *req);

/* hours_team_growth: the area's live teams, [{team_id, team, periods:
 * [{label, from, to, in_team, joined, left}]}] from each team's first
 * member to this month (hours_periods). */
int hours_team_growth(struct db *db, int64_t area_id, json_t **out);

/* The route tables of pages.c and api.c (hours_add_routes joins them). */
extern const struct route hours_page_routes[];
extern const struct route hours_api_routes[];

#endif
