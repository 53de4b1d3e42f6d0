/* Noise alerts: rules read newly stored readings; one noisy evening is one
 * alert, naming the scheduled teams and filing (or adding to) their cases. */
#ifndef LINLI_NOISE_ALERTS_H
#define LINLI_NOISE_ALERTS_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* noise_alerts_check runs the area's alert rules over the meter's seconds
 * from..to (inclusive, just stored). Seconds a rule has read before are
 * not read again. Returns 0 or a LIN_E* code (logged by the caller). */
int noise_alerts_check(struct db *db, int64_t meter_id, int64_t from, int64_t to);

/* noise_alerts_list: the area's alerts (of one meter unless meter_id is
 * 0) opened at or after since, newest first, at most limit: [{id,
 * meter_id, meter, rule, kind, opened_t, last_loud_t, closed_t (null while
 * open), threshold, peak, teams, case_id}]. */
int noise_alerts_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t since, int limit,
		      json_t **out);

#endif
