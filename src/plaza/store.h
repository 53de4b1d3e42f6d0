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

/* The plaza as the planner (instance.c) and the plan (pages.c) read it,
 * each a JSON array by id of the area's live rows:
 * plaza_zones_read: [{id, name, capacity, shape, allowed_periods, place_id}];
 * plaza_receptors_read: [{id, name, x_centi, y_centi, zone_class,
 * background_centi}]; plaza_dance_teams_read: [{id, name,
 * level_10m_centi, agreed_10m_centi, sound_power_centi (each null when
 * not on record), sessions, preferred_zone_id (0: none), preferred_times,
 * days, prime_history (its prime-time sessions in the weeks from
 * history_from up to monday)}]. */
int plaza_zones_read(struct db *db, int64_t area_id, json_t **out);
/* plaza_notice_read: what the printed notice says of each live zone, by
 * id: [{id, name, area (the area's name), cap_centi (null: none of its
 * own), meter_id (its first live meter, null: none), meter_class (that
 * meter's GB 3096 class, "" without one)}]. */
int plaza_notice_read(struct db *db, int64_t area_id, json_t **out);
int plaza_receptors_read(struct db *db, int64_t area_id, json_t **out);
int plaza_dance_teams_read(struct db *db, int64_t area_id, const char *monday,
			   const char *history_from, json_t **out);

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
