/* The SQL of the readings' months: partitions (PostgreSQL catalogue and
 * DDL), the retention delete (SQLite) and the rollup backlog. DDL cannot
 * bind values: the names and bounds written into it are months computed
 * here (parts.c), never input. */
#include "ingest.h"
#include "noise.h"
#include "parts.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int part_exists(struct db *db, const char *name, int *yes)
{
	int64_t n = 0;
	int rc = db_query_row(db, "SELECT COUNT(*) FROM pg_class WHERE relname = ?", &n, "t", name);
	*yes = n > 0;
	return rc;
}

int noise_parts_ensure(struct db *db, int64_t t, int *made)
{
	int64_t from = noise_month_start(t), to = noise_month_next(from);
	char name[32], sql[200];
	int yes, rc;

	*made = 0;
	if (db_engine(db) != DB_POSTGRES)
		return 0;
	noise_parts_name(t, name);
	rc = part_exists(db, name, &yes);
	if (rc || yes)
		return rc;
	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS %s PARTITION OF noise_readings"
		 " FOR VALUES FROM (%lld) TO (%lld)",
		 name, (long long)from, (long long)to);
	rc = db_exec(db, sql);
	if (rc) {
		/* Another server made it at the same moment: that will do. */
		log_warn("noise: partition %s: %s", name, db_errmsg(db));
		if (!part_exists(db, name, &yes) && yes)
			return 0;
		return rc;
	}
	*made = 1;
	return 0;
}

int noise_parts_months(struct db *db, int64_t *out, int max, int *n)
{
	struct db_stmt *st = NULL;
	int rc;

	*n = 0;
	if (db_engine(db) == DB_POSTGRES) {
		rc = db_prepare(
		    db,
		    "SELECT c.relname FROM pg_inherits i JOIN pg_class c"
		    " ON c.oid = i.inhrelid WHERE i.inhparent = 'noise_readings'::regclass"
		    " ORDER BY c.relname",
		    &st);
	} else {
		/* The first reading of each month, found through the months. */
		rc = db_prepare(db, "SELECT MIN(t), MAX(t) FROM noise_readings", &st);
	}
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_engine(db) == DB_POSTGRES) {
			const char *name = db_column_text(st, 0);
			const char *ym = name + strlen("noise_readings_p");
			char *end;
			long v;

			if (strncmp(name, "noise_readings_p", 16) || strlen(ym) != 6)
				continue;
			v = strtol(ym, &end, 10);
			if (*end || *n == max)
				continue;
			if (v % 100 < 1 || v % 100 > 12)
				continue;
			out[(*n)++] = lin_days_from_civil(v / 100, (int)(v % 100), 1) * 86400 -
				      LIN_SHANGHAI_OFFSET;
		} else if (!db_column_is_null(st, 0)) {
			int64_t last = db_column_int64(st, 1);
			for (int64_t m = noise_month_start(db_column_int64(st, 0));
			     m <= last && *n < max; m = noise_month_next(m)) {
				int64_t any = 0;
				int r = db_query_int64(
				    db,
				    "SELECT COUNT(*) FROM (SELECT 1 FROM noise_readings"
				    " WHERE t >= ? AND t < ? LIMIT 1) AS x",
				    &any, 2, m, noise_month_next(m));
				if (r) {
					rc = r;
					break;
				}
				if (any)
					out[(*n)++] = m;
			}
		}
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* retire_pg drops each partition that ends at or before keep_from. */
static int retire_pg(struct db *db, int64_t keep_from)
{
	int64_t months[600];
	int n, rc = noise_parts_months(db, months, 600, &n);

	for (int i = 0; !rc && i < n; i++) {
		char name[32], sql[80];
		if (noise_month_next(months[i]) > keep_from)
			continue;
		noise_parts_name(months[i], name);
		snprintf(sql, sizeof(sql), "DROP TABLE %s", name);
		rc = db_exec(db, sql);
		if (rc)
			log_error("noise: cannot drop %s: %s", name, db_errmsg(db));
		else
			log_info("noise: dropped %s (readings_keep_days)", name);
	}
	return rc;
}

/* retire_sqlite deletes a batch of rows older than keep_from, meter by
 * meter through the primary key (no index on t alone to keep up). */
static int retire_sqlite(struct db *db, int64_t keep_from, int *more)
{
	struct db_stmt *st = NULL;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = db_prepare(db, "SELECT id FROM meters ORDER BY id", &st);

	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			int64_t *grown = realloc(ids, (cap = cap ? 2 * cap : 64) * sizeof(*ids));
			if (!grown) {
				rc = LIN_ENOMEM;
				break;
			}
			ids = grown;
		}
		ids[n++] = db_column_int64(st, 0);
	}
	db_finalize(st);
	rc = rc < 0 ? rc : 0;
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t changed = 0;
		rc = db_exec_args(db,
				  "DELETE FROM noise_readings WHERE rowid IN (SELECT rowid FROM"
				  " noise_readings WHERE meter_id = ? AND t < ? LIMIT ?)",
				  &changed, "iii", ids[i], keep_from, (int64_t)NOISE_RETIRE_BATCH);
		if (!rc && changed == NOISE_RETIRE_BATCH) {
			*more = 1;
			break;
		}
	}
	free(ids);
	return rc;
}

int noise_parts_retire(struct db *db, int64_t now, int keep_days, int *more)
{
	int64_t keep_from = noise_month_start(now - (int64_t)keep_days * 86400);

	*more = 0;
	if (db_engine(db) == DB_POSTGRES)
		return retire_pg(db, keep_from);
	return retire_sqlite(db, keep_from, more);
}

int noise_rollup_backlog_step(struct db *db, int *more)
{
	struct db_stmt *st = NULL;
	int64_t meter = 0, from = 0, to = 0, start;
	char lock[48];
	int rc;

	*more = 0;
	rc = db_prepare(db,
			"SELECT meter_id, from_t, to_t FROM noise_rollup_backlog"
			" ORDER BY meter_id LIMIT 1",
			&st);
	if (rc)
		return rc;
	rc = db_step_one(st);
	if (!rc) {
		meter = db_column_int64(st, 0);
		from = db_column_int64(st, 1);
		to = db_column_int64(st, 2);
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	*more = 1;
	/* Newest first: the live chart and this week's reports come back
	 * before last year's. */
	start = to - 86400 > from ? to - 86400 : from;
	rc = db_begin(db);
	if (rc)
		return rc;
	snprintf(lock, sizeof(lock), "noise.meter.%lld", (long long)meter);
	rc = db_lock(db, lock);
	if (!rc)
		rc = noise_rollups_rebuild(db, meter, start, to);
	if (!rc && start <= from)
		rc = db_exec_args(db, "DELETE FROM noise_rollup_backlog WHERE meter_id = ?", NULL,
				  "i", meter);
	else if (!rc)
		rc = db_exec_args(db, "UPDATE noise_rollup_backlog SET to_t = ? WHERE meter_id = ?",
				  NULL, "ii", start, meter);
	return db_finish(db, rc);
}
