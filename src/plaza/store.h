/* The plaza's reads for pages and the API. Ownership: every json_t **
 * OUT is a new reference the caller decrefs, also on error. */
#ifndef LINLI_PLAZA_STORE_H
#define LINLI_PLAZA_STORE_H

#include "plaza.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* plaza_week_get: the published week {week_start, published_at,
 * published_by, solver, objective, worst_margin, unplaced, sessions:[{day,
 * start, end, prime, zone_id, zone, dance_team_id, team_id, team}]}, or
 * LIN_ENOTFOUND. */
int plaza_week_get(struct db *db, int64_t area_id, const char *monday, json_t **out);

/* plaza_compliance: for the weeks weeks ending with monday, per team name
 * and week: {sessions, measured (sessions a meter watched), minutes_over
 * (clock minutes whose LAeq was above the zone's cap, or the GB 3096 day
 * limit of the meter's class when the zone has none), seconds}. */
int plaza_compliance(struct db *db, int64_t area_id, const char *monday, int weeks, json_t **out);

struct plaza_week;
struct sched_timetable;
struct sched_check;
/* plaza_week_store replaces the week's published sessions with tt's, in
 * one transaction with the week's row (unplaced: the JSON of the teams
 * left short) and its audit entry. OUT: *week_id. */
int plaza_week_store(struct db *db, int64_t area_id, int64_t user_id, const char *actor,
		     const struct plaza_week *w, const struct sched_timetable *tt,
		     const struct sched_check *chk, const char *unplaced, int64_t *week_id);

#endif
