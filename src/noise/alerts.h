/* Noise alerts: rules read newly stored readings; one noisy evening is one
 * alert, naming the scheduled teams and filing (or adding to) their cases. */
#ifndef LINLI_NOISE_ALERTS_H
#define LINLI_NOISE_ALERTS_H

#include "noise.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* noise_alerts_check runs the area's alert rules over the meter's seconds
 * from..to (inclusive, just stored). Seconds a rule has read before are
 * not read again. Returns 0 or a LIN_E* code (logged by the caller). */
int noise_alerts_check(struct db *db, int64_t meter_id, int64_t from, int64_t to);

#endif
