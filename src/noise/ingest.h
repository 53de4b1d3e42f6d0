/* Readings from meters: a meter's token sends per-second levels; they are
 * checked as a batch (all or nothing) and stored once per second. */
#ifndef LINLI_NOISE_INGEST_H
#define LINLI_NOISE_INGEST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct router;

#define NOISE_BATCH_MAX	 3600	     /* readings in one request: an hour */
#define NOISE_PAST_MAX	 (7 * 86400) /* how old a reading may arrive */
#define NOISE_FUTURE_MAX 60	     /* clock skew allowed, seconds */

struct noise_meter {
	int64_t id;		   /* meters.id */
	int64_t calibration_centi; /* added to every level it sends, 0.01 dB */
};

/* One per-second reading, levels in hundredths of a dB. */
struct noise_reading {
	int64_t t;	    /* UTC epoch second */
	int64_t laeq_centi; /* LAeq,1s */
	int64_t lmax_centi; /* LAFmax,1s when has_lmax */
	int has_lmax;
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

int noise_meter_for_token(struct db *db, int64_t area_id, int64_t token_id,
			  struct noise_meter *out);
/* noise_meter_by_name: the area's live meter of that name, or
 * LIN_ENOTFOUND. */
int noise_meter_by_name(struct db *db, int64_t area_id, const char *name, struct noise_meter *out);
/* noise_store_readings writes the batch in one transaction; a second that
 * is already stored is counted in *duplicates and left as it was. */
int noise_store_readings(struct db *db, int64_t meter_id, const struct noise_reading *r, int n,
			 const char *source, int *stored, int *duplicates);
int noise_readings_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t from, int64_t to,
			json_t **out);

struct noise_second;
/* noise_seconds: the meter's readings with from <= t < to, by time, into
 * *out (caller frees) and *n; a second without a maximum has its LAeq. */
int noise_seconds(struct db *db, int64_t meter_id, int64_t from, int64_t to,
		  struct noise_second **out, size_t *n);
/* noise_meter_zone: the GB 3096 zone class of the area's meter. */
int noise_meter_zone(struct db *db, int64_t area_id, int64_t meter_id, char *zone, size_t len);

/* noise_add_routes: POST /api/v1/noise/readings (meters) and
 * GET /api/v1/noise/meters/:id/readings (staff). */
int noise_add_routes(struct router *r);

#endif
