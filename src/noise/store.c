/* The noise feature's SQL, depending on nothing above the storage: meters
 * by token, readings stored idempotently
 * (one row per meter and second) and read back, and likewise stations'
 * minute and hour statistics (one row per meter, span and start). */
#include "noise.h"
#include "ingest.h"
#include "limits.h"
#include "parts.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* meter_one: the first live meter of the area whose column (token_id or
 * name) equals the value bound (int64 when text is NULL). */
static int meter_one(struct db *db, const char *sql, int64_t area_id, int64_t num, const char *text,
		     struct noise_meter *out)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	if (text)
		db_bind_text(st, 2, text);
	else
		db_bind_int64(st, 2, num);
	rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		out->calibration_centi = db_column_int64(st, 1);
		out->area_id = db_column_int64(st, 2);
	}
	db_finalize(st);
	return rc;
}

int noise_meter_for_token(struct db *db, int64_t area_id, int64_t token_id, struct noise_meter *out)
{
	return meter_one(
	    db,
	    "SELECT id, calibration_centi, area_id FROM meters WHERE area_id = ? AND token_id = ?"
	    " AND archived = 0 ORDER BY id LIMIT 1",
	    area_id, token_id, NULL, out);
}

int noise_meter_by_name(struct db *db, int64_t area_id, const char *name, struct noise_meter *out)
{
	return meter_one(
	    db,
	    "SELECT id, calibration_centi, area_id FROM meters WHERE area_id = ? AND name = ?"
	    " AND archived = 0",
	    area_id, 0, name, out);
}

int noise_meter_by_mn(struct db *db, const char *mn, const char *password, struct noise_meter *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, calibration_centi, hj212_password, area_id FROM meters"
			    " WHERE mn = ? AND archived = 0",
			    &st);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	db_bind_text(st, 1, mn);
	rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		out->calibration_centi = db_column_int64(st, 1);
		out->area_id = db_column_int64(st, 3);
		if (password && strcmp(db_column_text(st, 2), password))
			rc = LIN_EAUTH;
	}
	db_finalize(st);
	return rc;
}

int noise_meter_add(struct db *db, int64_t area_id, const struct noise_meter_new *m,
		    const char *actor, int64_t *id)
{
	char *after = NULL;
	int rc;

	rc = db_query_row(
	    db,
	    "INSERT INTO meters (area_id, name, zone_class, mn, hj212_password, place_id,"
	    " watches, zone_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    id, "ittttrtr", area_id, m->name, m->zone_class, m->mn, m->password ? m->password : "",
	    m->place_id, m->watches ? m->watches : "", m->zone_id);
	if (rc)
		rc = db_error_is_constraint(db) ? LIN_ECONFLICT : LIN_EDB;
	if (!rc) {
		json_t *o = json_pack("{s:s, s:s, s:s?}", "name", m->name, "zone_class",
				      m->zone_class, "mn", m->mn);
		after = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		struct audit_entry e = {0, actor, area_id, "create", "meters", *id, NULL, after};
		rc = after ? audit_append(db, &e) : LIN_ENOMEM;
	}
	free(after);
	return rc;
}

int noise_meters_list(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", NULL};
	return db_query_json(db,
			     "SELECT id, name FROM meters WHERE area_id = ? AND archived = 0"
			     " ORDER BY id",
			     keys, "it", out, "i", area_id);
}

int noise_meter_by_id(struct db *db, int64_t id, struct noise_meter *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db, "SELECT id, calibration_centi, area_id FROM meters WHERE id = ? AND archived = 0",
	    &st);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		out->calibration_centi = db_column_int64(st, 1);
		out->area_id = db_column_int64(st, 2);
	}
	db_finalize(st);
	return rc;
}

/* Rows per INSERT: one statement for many rows spares the per-statement
 * work (prepare lookup, step, reset) that dominated a batch. */
#define INSERT_ROWS 32

/* insert_sql: the INSERT of rows rows into out. */
static void insert_sql(int rows, char *out, size_t n)
{
	size_t len = (size_t)snprintf(out, n,
				      "INSERT INTO noise_readings (meter_id, t, laeq_centi,"
				      " lmax_centi, source) VALUES ");
	for (int k = 0; k < rows && len < n; k++)
		len += (size_t)snprintf(out + len, n - len, "%s(?, ?, ?, ?, ?)", k ? ", " : "");
	if (len < n)
		snprintf(out + len, n - len, " ON CONFLICT (meter_id, t) DO NOTHING");
}

static int window_rows(struct db *db, const char *sql, int64_t meter_id, int64_t from, int64_t to,
		       size_t size, void (*put)(struct db_stmt *st, void *elem), void **out,
		       size_t *n);

/* rollup_put writes one rollup row into table (its minute or hour
 * recomputed whole), unless the row there counts more seconds: once the
 * raw seconds of a month are dropped, a late second of it must not shrink
 * the minute it was summed into. */
static int rollup_put(struct db *db, const char *sql, int64_t meter_id,
		      const struct noise_rollup *r)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, meter_id);
	db_bind_int64(st, 2, r->t);
	db_bind_int64(st, 3, r->seconds);
	db_bind_double(st, 4, r->energy);
	db_bind_int64(st, 5, llround(noise_rollup_leq(r) * 100.0));
	db_bind_int64(st, 6, r->lmax_centi);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

#define ROLLUP_PUT(table)                                                                          \
	"INSERT INTO " table " (meter_id, t, seconds, energy, leq_centi, lmax_centi)"              \
	" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (meter_id, t) DO UPDATE SET"                       \
	" seconds = excluded.seconds, energy = excluded.energy, leq_centi = excluded.leq_centi,"   \
	" lmax_centi = excluded.lmax_centi WHERE excluded.seconds >= " table ".seconds"

/* rollup_hours recomputes the meter's hours in [from, to) (whole hours)
 * from their minute rollups. */
static int rollup_hours(struct db *db, int64_t meter_id, int64_t from, int64_t to)
{
	struct noise_rollup *m = NULL;
	size_t n = 0, i = 0;
	int rc = noise_rollups_read(db, meter_id, NOISE_MINUTE, from, to, &m, &n);

	while (!rc && i < n) {
		int64_t hour = m[i].t - ((m[i].t % 3600) + 3600) % 3600;
		size_t k = i;
		struct noise_rollup sum;

		while (k < n && m[k].t < hour + 3600)
			k++;
		sum = noise_rollup_sum(hour, m + i, k - i);
		rc = rollup_put(db, ROLLUP_PUT("noise_rollup_hours"), meter_id, &sum);
		i = k;
	}
	free(m);
	return rc;
}

int noise_rollups_rebuild(struct db *db, int64_t meter_id, int64_t from, int64_t to)
{
	struct noise_second *s = NULL;
	struct noise_rollup *r = NULL;
	size_t n = 0, nr;
	int rc;

	from -= ((from % 60) + 60) % 60;
	to += (60 - ((to % 60) + 60) % 60) % 60;
	rc = noise_seconds(db, meter_id, from, to, &s, &n);
	if (rc || !n)
		goto out;
	r = malloc(n * sizeof(*r));
	if (!r) {
		rc = LIN_ENOMEM;
		goto out;
	}
	nr = noise_rollup_minutes(s, n, r);
	for (size_t i = 0; !rc && i < nr; i++)
		rc = rollup_put(db, ROLLUP_PUT("noise_rollup_minutes"), meter_id, &r[i]);
	if (!rc)
		rc = rollup_hours(db, meter_id, from - ((from % 3600) + 3600) % 3600,
				  to + (3600 - ((to % 3600) + 3600) % 3600) % 3600);
out:
	free(s);
	free(r);
	return rc;
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* rollups_after_insert recomputes the minutes and hours the batch r[0..n)
 * touched, each run of neighbouring minutes with one read of its seconds
 * (a batch of one second reads back its minute, not its hour). */
static int rollups_after_insert(struct db *db, int64_t meter_id, const struct noise_reading *r,
				int n)
{
	int64_t *minutes = malloc((size_t)n * sizeof(*minutes));
	int rc = 0;

	if (!minutes)
		return LIN_ENOMEM;
	for (int i = 0; i < n; i++)
		minutes[i] = r[i].t - ((r[i].t % 60) + 60) % 60;
	qsort(minutes, (size_t)n, sizeof(*minutes), cmp_int64);
	for (int i = 0; !rc && i < n;) {
		int k = i + 1;
		while (k < n && minutes[k] - minutes[k - 1] <= 60)
			k++;
		rc = noise_rollups_rebuild(db, meter_id, minutes[i], minutes[k - 1] + 60);
		i = k;
	}
	free(minutes);
	return rc;
}

/* meter_lock_name: the lock a batch of meter_id's readings takes before
 * it stores them and sums their minutes. Meters share METER_LOCKS locks
 * (meter_id modulo), so that the HJ 212 listener's batch of thousands of
 * stations takes at most METER_LOCKS of them, in ascending order, and
 * does not fill PostgreSQL's lock table. */
#define METER_LOCKS 64
static void meter_lock_name(int64_t meter_id, char *out, size_t n)
{
	snprintf(out, n, "noise.meters.%lld", (long long)(meter_id % METER_LOCKS));
}

/* readings_insert_once stores the batch and its rollups in one
 * transaction. */
static int readings_insert_once(struct db *db, int64_t meter_id, const struct noise_reading *r,
				int n, const char *source, int *stored, int *duplicates)
{
	struct db_stmt *st = NULL;
	char sql[INSERT_ROWS * 20 + 160], lock[48];
	int rc;

	*stored = *duplicates = 0;
	rc = db_begin(db);
	if (rc)
		return rc;
	/* One batch of a meter at a time: the next one then reads this one's
	 * seconds when it sums their shared minute. */
	meter_lock_name(meter_id, lock, sizeof(lock));
	rc = db_lock(db, lock);
	for (int i = 0; !rc && i < n; i += INSERT_ROWS) {
		int rows = n - i < INSERT_ROWS ? n - i : INSERT_ROWS;
		insert_sql(rows, sql, sizeof(sql));
		rc = db_prepare(db, sql, &st);
		if (rc)
			goto fail;
		for (int k = 0; k < rows; k++) {
			const struct noise_reading *x = &r[i + k];
			int p = 5 * k;
			db_bind_int64(st, p + 1, meter_id);
			db_bind_int64(st, p + 2, x->t);
			db_bind_int64(st, p + 3, x->laeq_centi);
			if (x->has_lmax)
				db_bind_int64(st, p + 4, x->lmax_centi);
			else
				db_bind_null(st, p + 4);
			db_bind_text(st, p + 5, source);
		}
		rc = db_step(st);
		if (rc >= 0) {
			/* A second already stored is skipped, not counted. */
			int64_t changed = db_changes(st);
			*stored += (int)changed;
			*duplicates += rows - (int)changed;
			rc = 0;
		}
		db_finalize(st);
		st = NULL;
		if (rc)
			goto fail;
	}
	/* The minutes and hours, in the same transaction: a report never
	 * sees a second without its minute (docs/scale.md). */
	if (!rc && *stored)
		rc = rollups_after_insert(db, meter_id, r, n);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	*stored = *duplicates = 0;
	return rc ? rc : LIN_EDB;
}

int noise_readings_notify(struct db *db, int64_t meter_id)
{
	int64_t area_id = 0;
	char payload[64];
	int rc =
	    db_query_row(db, "SELECT area_id FROM meters WHERE id = ?", &area_id, "i", meter_id);

	if (rc)
		return rc;
	snprintf(payload, sizeof(payload), NOISE_TOPIC " %lld %lld", (long long)area_id,
		 (long long)meter_id);
	return db_notify(db, DB_CHANNEL, payload);
}

int noise_readings_notify_many(struct db *db, const struct noise_meter_reading *rows, int n,
			       const unsigned char *fresh)
{
	char payload[64];
	int rc = db_begin(db);

	/* PostgreSQL drops a repeated payload within one transaction. */
	for (int i = 0; !rc && i < n; i++) {
		if (!fresh[i])
			continue;
		snprintf(payload, sizeof(payload), NOISE_TOPIC " %lld %lld",
			 (long long)rows[i].area_id, (long long)rows[i].meter_id);
		rc = db_notify(db, DB_CHANNEL, payload);
	}
	return db_finish(db, rc);
}

int noise_readings_insert(struct db *db, int64_t meter_id, const struct noise_reading *r, int n,
			  const char *source, int *stored, int *duplicates)
{
	int rc = readings_insert_once(db, meter_id, r, n, source, stored, duplicates);

	/* On PostgreSQL a month without its partition yet (a batch of an old
	 * month, or before the job made it) gets it, and the batch goes again. */
	if (rc && db_engine(db) == DB_POSTGRES) {
		int64_t month = INT64_MIN;
		int made, any = 0;
		for (int i = 0; i < n; i++) {
			if (noise_month_start(r[i].t) == month)
				continue;
			month = noise_month_start(r[i].t);
			if (!noise_parts_ensure(db, month, &made) && made)
				any = 1;
		}
		if (any)
			rc = readings_insert_once(db, meter_id, r, n, source, stored, duplicates);
	}
	if (rc)
		log_error("noise: readings of meter %lld not stored: %s", (long long)meter_id,
			  db_errmsg(db));
	return rc;
}

static void rollup_get(struct db_stmt *st, void *elem)
{
	*(struct noise_rollup *)elem =
	    (struct noise_rollup){db_column_int64(st, 0), db_column_int64(st, 1),
				  db_column_double(st, 2), db_column_int64(st, 3)};
}

int noise_rollups_read(struct db *db, int64_t meter_id, int span, int64_t from, int64_t to,
		       struct noise_rollup **out, size_t *n)
{
	return window_rows(db,
			   span == NOISE_HOUR
			       ? "SELECT t, seconds, energy, lmax_centi FROM noise_rollup_hours"
				 " WHERE meter_id = ? AND t >= ? AND t < ? ORDER BY t"
			       : "SELECT t, seconds, energy, lmax_centi FROM noise_rollup_minutes"
				 " WHERE meter_id = ? AND t >= ? AND t < ? ORDER BY t",
			   meter_id, from, to, sizeof(**out), rollup_get, (void **)out, n);
}

/* many_prepare readies a batch of several meters' readings inside the
 * caller's transaction: their meters' locks in ascending order, and on
 * PostgreSQL the partition of each month the batch falls in (a station's
 * frame of a month whose partition is not there, or was dropped, would
 * otherwise fail every station's frames of the batch, again and again). */
static int many_prepare(struct db *db, const struct noise_meter_reading *rows, int n)
{
	unsigned char held[METER_LOCKS] = {0};
	int64_t month = INT64_MIN;
	char lock[48];
	int rc = 0, made;

	for (int i = 0; i < n; i++)
		held[rows[i].meter_id % METER_LOCKS] = 1;
	for (int b = 0; !rc && b < METER_LOCKS; b++)
		if (held[b]) {
			meter_lock_name(b, lock, sizeof(lock));
			rc = db_lock(db, lock);
		}
	for (int i = 0; !rc && i < n; i++) {
		if (noise_month_start(rows[i].r.t) == month)
			continue;
		month = noise_month_start(rows[i].r.t);
		rc = noise_parts_ensure(db, month, &made);
	}
	return rc;
}

static int cmp_meter_reading(const void *a, const void *b)
{
	const struct noise_meter_reading *x = a, *y = b;
	if (x->meter_id != y->meter_id)
		return (x->meter_id > y->meter_id) - (x->meter_id < y->meter_id);
	return (x->r.t > y->r.t) - (x->r.t < y->r.t);
}

/* many_rollups sums the minutes and hours of the batch's fresh readings,
 * meter by meter (docs/scale.md: with the readings, in their
 * transaction). */
static int many_rollups(struct db *db, const struct noise_meter_reading *rows, int n,
			const unsigned char *fresh)
{
	struct noise_meter_reading *f = malloc((size_t)n * sizeof(*f));
	struct noise_reading *r = malloc((size_t)n * sizeof(*r));
	int m = 0, rc = 0;

	if (!f || !r) {
		free(f);
		free(r);
		return LIN_ENOMEM;
	}
	for (int i = 0; i < n; i++)
		if (fresh[i])
			f[m++] = rows[i];
	qsort(f, (size_t)m, sizeof(*f), cmp_meter_reading);
	for (int i = 0; !rc && i < m;) {
		int k = i;
		while (k < m && f[k].meter_id == f[i].meter_id) {
			r[k - i] = f[k].r;
			k++;
		}
		rc = rollups_after_insert(db, f[i].meter_id, r, k - i);
		i = k;
	}
	free(f);
	free(r);
	return rc;
}

int noise_readings_insert_many(struct db *db, const struct noise_meter_reading *rows, int n,
			       const char *source, unsigned char *fresh)
{
	struct db_stmt *st = NULL;
	char sql[INSERT_ROWS * 20 + 200];
	int rc;

	memset(fresh, 0, (size_t)n);
	rc = many_prepare(db, rows, n);
	for (int i = 0; i < n && !rc; i += INSERT_ROWS) {
		int k, count = n - i < INSERT_ROWS ? n - i : INSERT_ROWS;
		size_t len;

		insert_sql(count, sql, sizeof(sql));
		len = strlen(sql);
		snprintf(sql + len, sizeof(sql) - len, " RETURNING meter_id, t");
		rc = db_prepare(db, sql, &st);
		if (rc)
			break;
		for (k = 0; k < count; k++) {
			const struct noise_meter_reading *x = &rows[i + k];
			int p = 5 * k;
			db_bind_int64(st, p + 1, x->meter_id);
			db_bind_int64(st, p + 2, x->r.t);
			db_bind_int64(st, p + 3, x->r.laeq_centi);
			if (x->r.has_lmax)
				db_bind_int64(st, p + 4, x->r.lmax_centi);
			else
				db_bind_null(st, p + 4);
			db_bind_text(st, p + 5, source);
		}
		/* The rows inserted come back; the others were there. */
		while ((rc = db_step(st)) == DB_ROW) {
			int64_t meter = db_column_int64(st, 0), t = db_column_int64(st, 1);
			for (k = 0; k < count; k++)
				if (rows[i + k].meter_id == meter && rows[i + k].r.t == t) {
					fresh[i + k] = 1;
					break;
				}
		}
		db_finalize(st);
		st = NULL;
	}
	if (!rc)
		rc = many_rollups(db, rows, n, fresh);
	if (rc)
		log_error("noise: %d readings of several meters not stored: %s", n, db_errmsg(db));
	return rc;
}

/* window_prepare prepares sql and binds the area, the meter and the window
 * [from, to), in that order: the shape of every list of a meter's data. */
static int window_prepare(struct db *db, const char *sql, int64_t area_id, int64_t meter_id,
			  int64_t from, int64_t to, struct db_stmt **st)
{
	int rc = db_prepare(db, sql, st);

	if (rc)
		return rc;
	db_bind_int64(*st, 1, area_id);
	db_bind_int64(*st, 2, meter_id);
	db_bind_int64(*st, 3, from);
	db_bind_int64(*st, 4, to);
	return 0;
}

int noise_readings_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t from, int64_t to,
			json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = window_prepare(
	    db,
	    "SELECT r.t, r.laeq_centi, r.lmax_centi, r.source FROM noise_readings r"
	    " JOIN meters m ON m.id = r.meter_id WHERE m.area_id = ? AND r.meter_id = ?"
	    " AND r.t >= ? AND r.t < ? ORDER BY r.t LIMIT 86400",
	    area_id, meter_id, from, to, &st);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:f,s:s}", "t", (json_int_t)db_column_int64(st, 0),
				      "laeq", (double)db_column_int64(st, 1) / 100.0, "source",
				      db_column_text(st, 3));
		if (!db_column_is_null(st, 2))
			json_object_set_new(o, "lmax",
					    json_real((double)db_column_int64(st, 2) / 100.0));
		json_array_append_new(*out, o);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* The statistics of noise_minutes, leq_centi to lmin_centi, are written
 * and read in the order of enum hj212_noise_stat; these are their JSON
 * names. */
static const char *const minute_keys[HJ212_NOISE_STATS] = {
    "leq", "l5", "l10", "l50", "l90", "l95", "lmax", "lmin",
};
_Static_assert(HJ212_LEQ == 0 && HJ212_L5 == 1 && HJ212_L10 == 2 && HJ212_L50 == 3 &&
		   HJ212_L90 == 4 && HJ212_L95 == 5 && HJ212_LMX == 6 && HJ212_LMN == 7 &&
		   HJ212_NOISE_STATS == 8,
	       "the columns of noise_minutes follow enum hj212_noise_stat");

int noise_store_minute(struct db *db, int64_t meter_id, const struct noise_minute *m,
		       const char *source, int *stored)
{
	struct db_stmt *st = NULL;
	int rc;

	*stored = 0;
	rc = db_prepare(db,
			"INSERT INTO noise_minutes (meter_id, t, span_s, leq_centi, l5_centi,"
			" l10_centi, l50_centi, l90_centi, l95_centi, lmax_centi, lmin_centi,"
			" source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			" ON CONFLICT (meter_id, span_s, t) DO NOTHING",
			&st);
	if (rc)
		goto fail;
	db_bind_int64(st, 1, meter_id);
	db_bind_int64(st, 2, m->t);
	db_bind_int64(st, 3, m->span_s);
	for (int i = 0; i < HJ212_NOISE_STATS; i++) {
		if (m->has[i])
			db_bind_int64(st, 4 + i, m->centi[i]);
		else
			db_bind_null(st, 4 + i);
	}
	db_bind_text(st, 4 + HJ212_NOISE_STATS, source);
	rc = db_step(st);
	if (rc < 0)
		goto fail;
	*stored = db_changes(st) > 0;
	db_finalize(st);
	return 0;
fail:
	log_error("noise: %s of meter %lld at %lld not stored: %s",
		  m->span_s == NOISE_HOUR ? "hour" : "minute", (long long)meter_id, (long long)m->t,
		  db_errmsg(db));
	db_finalize(st);
	return rc ? rc : LIN_EDB;
}

int noise_minutes_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t from, int64_t to,
		       json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = window_prepare(
	    db,
	    "SELECT n.t, n.span_s, n.leq_centi, n.l5_centi, n.l10_centi, n.l50_centi,"
	    " n.l90_centi, n.l95_centi, n.lmax_centi, n.lmin_centi, n.source"
	    " FROM noise_minutes n JOIN meters m ON m.id = n.meter_id"
	    " WHERE m.area_id = ? AND n.meter_id = ? AND n.t >= ? AND n.t < ?"
	    " ORDER BY n.t, n.span_s LIMIT 2000",
	    area_id, meter_id, from, to, &st);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_pack("{s:I,s:I}", "t", (json_int_t)db_column_int64(st, 0),
				      "span_s", (json_int_t)db_column_int64(st, 1));
		for (int i = 0; i < HJ212_NOISE_STATS; i++)
			if (!db_column_is_null(st, 2 + i))
				json_object_set_new(
				    o, minute_keys[i],
				    json_real((double)db_column_int64(st, 2 + i) / 100.0));
		json_object_set_new(o, "source", json_string(db_column_text(st, 10)));
		json_array_append_new(*out, o);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* window_rows runs sql (bound to meter_id, from, to) and gives each row
 * to put, which fills one element of size bytes: into *out (caller
 * frees) and *n. */
static int window_rows(struct db *db, const char *sql, int64_t meter_id, int64_t from, int64_t to,
		       size_t size, void (*put)(struct db_stmt *st, void *elem), void **out,
		       size_t *n)
{
	struct db_stmt *st = NULL;
	char *list = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, meter_id);
	db_bind_int64(st, 2, from);
	db_bind_int64(st, 3, to);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			char *grown;
			cap = cap ? cap * 2 : 1024;
			grown = realloc(list, cap * size);
			if (!grown) {
				rc = LIN_ENOMEM;
				break;
			}
			list = grown;
		}
		put(st, list + (*n)++ * size);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		*n = 0;
		return rc == DB_ROW ? LIN_EIO : rc;
	}
	*out = list;
	return 0;
}

static void second_put(struct db_stmt *st, void *elem)
{
	*(struct noise_second *)elem = (struct noise_second){
	    db_column_int64(st, 0), db_column_int64(st, 1), db_column_int64(st, 2)};
}

/* level_rows runs sql (bound to meter_id, from, to) for rows of three
 * integers: a time and two levels, into *out (caller frees) and *n. */
static int level_rows(struct db *db, const char *sql, int64_t meter_id, int64_t from, int64_t to,
		      struct noise_second **out, size_t *n)
{
	return window_rows(db, sql, meter_id, from, to, sizeof(**out), second_put, (void **)out, n);
}

int noise_minutes_uncovered(struct db *db, int64_t meter_id, int64_t from, int64_t to,
			    struct noise_minute_level **out, size_t *n)
{
	struct noise_second *rows = NULL;
	/* A minute with even one second stored is left to its seconds. */
	int rc =
	    level_rows(db,
		       "SELECT n.t, n.leq_centi, n.lmax_centi FROM noise_minutes n"
		       " WHERE n.meter_id = ? AND n.span_s = 60 AND n.t >= ? AND n.t + 60 <= ?"
		       " AND NOT EXISTS (SELECT 1 FROM noise_rollup_minutes r WHERE r.meter_id ="
		       " n.meter_id AND r.t = n.t) ORDER BY n.t",
		       meter_id, from, to, &rows, n);

	*out = NULL;
	if (rc || !*n) {
		free(rows);
		return rc;
	}
	*out = malloc(*n * sizeof(**out));
	if (!*out) {
		free(rows);
		*n = 0;
		return LIN_ENOMEM;
	}
	for (size_t i = 0; i < *n; i++)
		(*out)[i] =
		    (struct noise_minute_level){rows[i].t, rows[i].laeq_centi, rows[i].lmax_centi};
	free(rows);
	return 0;
}

int noise_seconds(struct db *db, int64_t meter_id, int64_t from, int64_t to,
		  struct noise_second **out, size_t *n)
{
	return level_rows(
	    db,
	    "SELECT t, laeq_centi, COALESCE(lmax_centi, laeq_centi) FROM noise_readings"
	    " WHERE meter_id = ? AND t >= ? AND t < ? ORDER BY t",
	    meter_id, from, to, out, n);
}

int noise_meter_zone(struct db *db, int64_t area_id, int64_t meter_id, char *zone, size_t len)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT zone_class FROM meters WHERE area_id = ? AND id = ?", &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, meter_id);
	rc = db_step_one(st);
	if (!rc)
		snprintf(zone, len, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc;
}
