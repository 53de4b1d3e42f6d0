/* Noise alerts: rules read newly stored readings; one noisy evening is one
 * alert, naming the scheduled teams and filing (or adding to) their cases. */
#ifndef LINLI_NOISE_ALERTS_H
#define LINLI_NOISE_ALERTS_H

#include "noise.h"
#include "../plaza/plaza.h"

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

/* Where a live rule watches: every meter of an area, or one meter. */
struct noise_alert_watch {
	int64_t area_id;  /* the rule's area */
	int64_t meter_id; /* its one meter, 0: all of the area's */
};

/* noise_alert_watches: where the live rules watch, by area, in OUT: *w
 * (caller frees, also on error) and *n; one small query, so a batch of
 * many meters runs the rules only where there are any. */
int noise_alert_watches(struct db *db, struct noise_alert_watch **w, size_t *n);

/* ---- the alerts' store (alerts_store.c), for the engine in alerts.c ---- */

#define ALERTS_MAX_RULES 16 /* rules read for one meter */

struct alert_rule {
	int64_t id;
	char kind[16]; /* laeq_cap, laeq_limit, lmax_night */
	int64_t window_s, margin, clear, quiet;
	int open_case;
};

/* The meter an evaluation reads, with its zone's cap and limits. */
struct alert_meter {
	int64_t id, area_id, zone_id;
	char zone_class[4];
	char name[64];
	int64_t cap_centi; /* the zone's volume cap, -1 when none */
	int64_t day_limit, night_limit;
	struct plaza_hours hours;
};

/* alerts_meter_load: the meter with its class's limits and the area's
 * hours. alerts_rules_load: the live rules of its area that apply to it
 * (at most ALERTS_MAX_RULES, one query). alerts_open_load: the rule's open
 * alert on the meter (a->open 0 when none). alerts_write inserts a new
 * alert (a->id set) or updates one; closed_t < 0 keeps it open.
 * alerts_set_teams / alerts_set_case record who was scheduled and the
 * case filed. alerts_evaluated: the last second the rule has read on the
 * meter (none when it has read nothing); alerts_evaluated_set moves it. */
int alerts_meter_load(struct db *db, int64_t meter_id, struct alert_meter *m);
int alerts_rules_load(struct db *db, int64_t meter_id, struct alert_rule *r, int *n);
int alerts_open_load(struct db *db, int64_t rule_id, int64_t meter_id, struct noise_alert *a);
int alerts_write(struct db *db, const struct alert_meter *m, const struct alert_rule *r,
		 struct noise_alert *a, int64_t closed_t);
int alerts_set_teams(struct db *db, int64_t alert_id, const char *teams);
int alerts_set_case(struct db *db, int64_t alert_id, int64_t case_id);
int alerts_evaluated(struct db *db, int64_t rule_id, int64_t meter_id, int64_t none, int64_t *out);
int alerts_evaluated_set(struct db *db, int64_t rule_id, int64_t meter_id, int64_t t);

#endif
