/* Readings from meters: a meter's token sends per-second levels; they are
 * checked as a batch (all or nothing) and stored once per second.
 *
 * Ownership: every json_t ** OUT is a new reference the caller decrefs,
 * every other pointer OUT (arrays of rows) is malloc'd for the caller to
 * free, in both cases also on error. */
#ifndef LINLI_NOISE_INGEST_H
#define LINLI_NOISE_INGEST_H

#include "hj212.h"
#include "noise.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct router;

#define NOISE_BATCH_MAX	 3600	     /* readings in one request: an hour */
#define NOISE_PAST_MAX	 (7 * 86400) /* how old a reading may arrive */
#define NOISE_FUTURE_MAX 60	     /* clock skew allowed, seconds */
#define NOISE_MINUTE	 60	     /* span of minute data, seconds */
#define NOISE_HOUR	 3600	     /* span of hour data, seconds */

struct noise_meter {
	int64_t id;		   /* meters.id */
	int64_t calibration_centi; /* added to every level it sends, 0.01 dB */
	int64_t area_id;	   /* the area it stands in */
};

/* One per-second reading, levels in hundredths of a dB. */
struct noise_reading {
	int64_t t;	    /* UTC epoch second */
	int64_t laeq_centi; /* LAeq,1s */
	int64_t lmax_centi; /* LAFmax,1s when has_lmax */
	int has_lmax;
};

/* One reading of a meter, for batches that mix meters (HJ 212). */
struct noise_meter_reading {
	int64_t meter_id; /* meters.id */
	int64_t area_id;  /* the meter's area: which alert rules apply */
	struct noise_reading r;
};

/* noise_readings_parse checks a batch {"readings":[{"t":EPOCH,"laeq":57.9,
 * "lmax":70.1},...]}: levels 0..150 dB with at most two decimals, lmax not
 * below laeq, times whole seconds strictly increasing within
 * [now - NOISE_PAST_MAX, now + NOISE_FUTURE_MAX]. OUT: *list (caller
 * frees) and *n; on LIN_EINVAL, *bad_index (-1 for the batch itself) and
 * *why (an i18n key). */
/* noise_reading_check makes one reading of second t (UTC epoch) with the
 * rules of noise_readings_parse except ordering; LIN_EINVAL with *why. */
int noise_reading_check(int64_t t, double laeq, int has_lmax, double lmax, int64_t now,
			struct noise_reading *r, const char **why);
int noise_readings_parse(json_t *body, int64_t now, struct noise_reading **list, int *n,
			 int *bad_index, const char **why);

/* One row of noise_minutes: a station's statistics of a minute or an hour
 * (HJ 212 CN=2051 or 2061), levels in hundredths of a dB. */
struct noise_minute {
	int64_t t;			  /* UTC epoch second the span starts */
	int64_t span_s;			  /* NOISE_MINUTE or NOISE_HOUR */
	int64_t centi[HJ212_NOISE_STATS]; /* levels by enum hj212_noise_stat, where has[] */
	int has[HJ212_NOISE_STATS];	  /* Leq and LMx always; the others when sent */
};

/* noise_minute_check makes the row of the span of span_s seconds
 * (NOISE_MINUTE or NOISE_HOUR) that starts at t (UTC epoch) from the
 * statistics a station sent: Leq and LMx present; every level 0..150 dB
 * with at most two decimals (the rule of readings); LMx not below Leq nor
 * LMn; L5 >= L10 >= L50 >= L90 >= L95 among those sent; t a whole minute
 * (hour), at most NOISE_PAST_MAX old, and the span over by now +
 * NOISE_FUTURE_MAX. Returns 0 with OUT: *m, or LIN_EINVAL with OUT: *why,
 * a static English reason for the log (stations read no messages). */
int noise_minute_check(int64_t t, int64_t span_s, const struct hj212_noise_stats *s, int64_t now,
		       struct noise_minute *m, const char **why);

int noise_meter_for_token(struct db *db, int64_t area_id, int64_t token_id,
			  struct noise_meter *out);
/* noise_meter_by_mn: the live meter with that HJ 212 station code, of any
 * area (codes are unique); with password, LIN_EAUTH unless it matches. */
int noise_meter_by_mn(struct db *db, const char *mn, const char *password, struct noise_meter *out);
/* noise_meter_by_id: the live meter of that number, of any area. */
int noise_meter_by_id(struct db *db, int64_t id, struct noise_meter *out);
/* noise_meter_by_name: the area's live meter of that name, or
 * LIN_ENOTFOUND. */
int noise_meter_by_name(struct db *db, int64_t area_id, const char *name, struct noise_meter *out);
/* noise_store_readings is the one way readings come in, for every path
 * (HTTP, HJ 212, MQTT, audio import, the demo): the batch is stored in one
 * transaction (noise_readings_insert), then the alert rules read what was
 * new (noise_alerts_check; a failure there is logged and does not undo
 * the readings). A second already stored is counted in *duplicates and
 * left as it was. */
int noise_store_readings(struct db *db, int64_t meter_id, const struct noise_reading *r, int n,
			 const char *source, int *stored, int *duplicates);
/* noise_store_readings_many stores readings of many meters at once, for
 * the HJ 212 listener's group commit: one savepoint and one INSERT per 32
 * rows (noise_readings_insert_many) instead of three statements a
 * reading, then the alert rules over what was new, only for the meters
 * some rule watches (noise_alert_watches). Within the caller's
 * transaction (db_begin_outer). Returns 0 (every row stored, or stored
 * already) or a LIN_E* code with nothing stored; alert failures are
 * logged, as in noise_store_readings. */
int noise_store_readings_many(struct db *db, const struct noise_meter_reading *rows, int n,
			      const char *source);
/* noise_readings_insert_many: the storing alone (store.c); OUT: fresh[i]
 * is 1 when row i was new, 0 when its second was stored already. */
int noise_readings_insert_many(struct db *db, const struct noise_meter_reading *rows, int n,
			       const char *source, unsigned char *fresh);
/* noise_meters_list: the area's live meters, [{id, name}] by id. */
int noise_meters_list(struct db *db, int64_t area_id, json_t **out);
/* noise_readings_insert: the storing alone (store.c), for
 * noise_store_readings. */
int noise_readings_insert(struct db *db, int64_t meter_id, const struct noise_reading *r, int n,
			  const char *source, int *stored, int *duplicates);
/* noise_readings_notify tells live pages (DB_CHANNEL, NOISE_TOPIC "AREA
 * METER") that the meter has new readings. */
#define NOISE_TOPIC "noise"
int noise_readings_notify(struct db *db, int64_t meter_id);
/* noise_readings_notify_many: the same for each meter with a fresh
 * reading in rows[0..n) (noise_readings_insert_many's batch), in one
 * transaction of its own. */
int noise_readings_notify_many(struct db *db, const struct noise_meter_reading *rows, int n,
			       const unsigned char *fresh);
int noise_readings_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t from, int64_t to,
			json_t **out);

/* noise_store_minute writes one row of noise_minutes: OUT: *stored is 1,
 * or 0 when the meter's span at that time is stored already (the row is
 * left as it was, so a station may resend). */
int noise_store_minute(struct db *db, int64_t meter_id, const struct noise_minute *m,
		       const char *source, int *stored);
/* noise_minutes_list: the area's meter's minute and hour rows with
 * from <= t < to, by time (a minute before the hour that starts with it),
 * as a JSON array in OUT: *out (caller decrefs, also on error). */
int noise_minutes_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t from, int64_t to,
		       json_t **out);

struct noise_second;
struct noise_minute_level;
struct noise_rollup;
/* noise_rollups_read: the meter's rollups of span NOISE_MINUTE or
 * NOISE_HOUR starting in [from, to), by time, into *out (caller frees)
 * and *n. */
int noise_rollups_read(struct db *db, int64_t meter_id, int span, int64_t from, int64_t to,
		       struct noise_rollup **out, size_t *n);
/* noise_rollups_rebuild sums the meter's stored seconds of the minutes
 * that meet [from, to) again into their minute rollups, and their hours'
 * minutes into the hour rollups; inside the caller's transaction. A
 * rollup that counts more seconds than are stored now is left alone. */
int noise_rollups_rebuild(struct db *db, int64_t meter_id, int64_t from, int64_t to);
/* noise_minutes_uncovered: the meter's minute rows (span 60) wholly
 * within [from, to) whose minute holds no per-second reading, by time,
 * into *out (caller frees) and *n. With noise_seconds over the same
 * window, everything the window holds, each second counted once (the
 * merge rule of docs/noise.md). */
int noise_minutes_uncovered(struct db *db, int64_t meter_id, int64_t from, int64_t to,
			    struct noise_minute_level **out, size_t *n);
/* noise_meter_zone: the GB 3096 zone class of the area's meter. */
int noise_meter_zone(struct db *db, int64_t area_id, int64_t meter_id, char *zone, size_t len);

struct noise_day;
/* noise_assess_date assesses the meter's date (YYYY-MM-DD, Shanghai) by
 * the area's hours: the day from the end of its night, then the night.
 * OUT: the meter's zone class and the day's bounds "HH:MM". LIN_EINVAL for
 * a bad date, LIN_ENOTFOUND for a meter not of the area. */
int noise_assess_date(struct db *db, int64_t area_id, int64_t meter_id, const char *date,
		      struct noise_day *out, char zone[8], char day_from[6], char day_to[6]);
/* noise_assess_dates: the same for ndays dates from date on, into
 * out[0..ndays), reading each table once for them all (a month's report:
 * a handful of statements instead of some eight a day). */
int noise_assess_dates(struct db *db, int64_t area_id, int64_t meter_id, const char *date,
		       int ndays, struct noise_day *out, char zone[8], char day_from[6],
		       char day_to[6]);

/* noise_ingest_routes: POST /api/v1/noise/readings (meters) and
 * GET /api/v1/noise/meters/:id/readings, /minutes and /assessment
 * (staff). */
int noise_ingest_routes(struct router *r);
/* noise_reports_routes: /noise/reports and its CSV and XLSX (reports.c). */
int noise_reports_routes(struct router *r);

#endif
