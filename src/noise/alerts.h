/* Noise alerts: rules read newly stored readings; one noisy evening is one
 * alert, naming the scheduled teams and filing (or adding to) their cases. */
#ifndef LINLI_NOISE_ALERTS_H
#define LINLI_NOISE_ALERTS_H

#include "noise.h"

#include <jansson.h>
#include <stdint.h>

struct db;

/* An alert of one rule on one meter, as the loop sees it. */
struct noise_alert {
	int64_t id;					/* noise_alerts.id, 0 until written */
	int64_t opened_t, last_loud_t, threshold, peak; /* seconds; hundredths of a dB */
	int open;
};

enum { NOISE_ALERT_CLOSED = 1, NOISE_ALERT_OPENED = 2 };

/* noise_alert_step is the hysteresis, pure: second t, with v the rule's
 * metric then (-1: too few seconds) and th its threshold then (-1: the
 * rule does not apply then). First an open alert closes when t is quiet
 * seconds or more past its last loud second (*closed_t = that second +
 * quiet); then, while open, t is loud when v > the threshold it opened
 * with - clear, and raises the peak; while closed, v > th opens a new
 * alert at t (its id 0, to be written). Returns the NOISE_ALERT_* bits of
 * what happened (both when one alert ends and the next begins). */
int noise_alert_step(struct noise_alert *a, int64_t t, int64_t v, int64_t th, int64_t clear,
		     int64_t quiet, int64_t *closed_t);

/* noise_alerts_check runs the area's alert rules over the meter's seconds
 * from..to (inclusive, just stored). Seconds a rule has read before are
 * not read again. Returns 0 or a LIN_E* code (logged by the caller). */
int noise_alerts_check(struct db *db, int64_t meter_id, int64_t from, int64_t to);

#endif
