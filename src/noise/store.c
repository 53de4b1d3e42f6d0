/* The noise feature's SQL, depending on nothing above the storage: meters
 * by token, readings stored idempotently
 * (one row per meter and second) and read back, and likewise stations'
 * minute and hour statistics (one row per meter, span and start). */
#include "noise.h"
#include "ingest.h"
#include "limits.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"

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
	}
	db_finalize(st);
	return rc;
}

int noise_meter_for_token(struct db *db, int64_t area_id, int64_t token_id, struct noise_meter *out)
{
	return meter_one(
	    db,
	    "SELECT id, calibration_centi FROM meters WHERE area_id = ? AND token_id = ?"
	    " AND archived = 0 ORDER BY id LIMIT 1",
	    area_id, token_id, NULL, out);
}

int noise_meter_by_name(struct db *db, int64_t area_id, const char *name, struct noise_meter *out)
{
	return meter_one(db,
			 "SELECT id, calibration_centi FROM meters WHERE area_id = ? AND name = ?"
			 " AND archived = 0",
			 area_id, 0, name, out);
}

int noise_meter_by_mn(struct db *db, const char *mn, const char *password, struct noise_meter *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, calibration_centi, hj212_password FROM meters"
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
	    db, "SELECT id, calibration_centi FROM meters WHERE id = ? AND archived = 0", &st);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		out->calibration_centi = db_column_int64(st, 1);
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

int noise_readings_insert(struct db *db, int64_t meter_id, const struct noise_reading *r, int n,
			  const char *source, int *stored, int *duplicates)
{
	struct db_stmt *st = NULL;
	char sql[INSERT_ROWS * 20 + 160];
	int rc;

	*stored = *duplicates = 0;
	rc = db_begin(db);
	if (rc)
		return rc;
	for (int i = 0; i < n; i += INSERT_ROWS) {
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
	rc = db_commit(db);
	if (rc)
		goto fail;
	return 0;
fail:
	log_error("noise: readings of meter %lld not stored: %s", (long long)meter_id,
		  db_errmsg(db));
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

/* level_rows runs sql (bound to meter_id, from, to) for rows of three
 * integers: a time and two levels, into *out (caller frees) and *n. */
static int level_rows(struct db *db, const char *sql, int64_t meter_id, int64_t from, int64_t to,
		      struct noise_second **out, size_t *n)
{
	struct db_stmt *st = NULL;
	struct noise_second *list = NULL;
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
			struct noise_second *grown;
			cap = cap ? cap * 2 : 4096;
			grown = realloc(list, cap * sizeof(*list));
			if (!grown) {
				rc = LIN_ENOMEM;
				break;
			}
			list = grown;
		}
		list[(*n)++] = (struct noise_second){db_column_int64(st, 0), db_column_int64(st, 1),
						     db_column_int64(st, 2)};
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

int noise_minutes_uncovered(struct db *db, int64_t meter_id, int64_t from, int64_t to,
			    struct noise_minute_level **out, size_t *n)
{
	struct noise_second *rows = NULL;
	/* A minute with even one second stored is left to its seconds. */
	int rc = level_rows(db,
			    "SELECT n.t, n.leq_centi, n.lmax_centi FROM noise_minutes n"
			    " WHERE n.meter_id = ? AND n.span_s = 60 AND n.t >= ? AND n.t + 60 <= ?"
			    " AND NOT EXISTS (SELECT 1 FROM noise_readings r WHERE r.meter_id ="
			    " n.meter_id AND r.t >= n.t AND r.t < n.t + 60) ORDER BY n.t",
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
