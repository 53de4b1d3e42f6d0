/* Storage interface: picks a driver by URL and forwards every call to it. */
#include "driver.h"
#include "../base/err.h"
#include "../base/log.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DRV(x) (((const struct db_base *)(x))->driver)

void db_url_redacted(const char *url, char *out, size_t n)
{
	const char *scheme = strstr(url, "://"), *at, *colon;

	snprintf(out, n, "%s", url);
	if (!scheme)
		return;
	at = strchr(scheme + 3, '@');
	colon = strchr(scheme + 3, ':');
	if (at && colon && colon < at)
		snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
}

int db_open(const char *url, struct db **out)
{
	*out = NULL;
	if (!url || !*url)
		url = "sqlite:linli.db";
	if (!strncmp(url, "sqlite:", 7))
		return db_sqlite_driver.open(url + 7, out);
	if (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))
		return db_pg_driver.open(url, out);
	log_error("db: unknown database URL scheme (want sqlite:PATH or postgres://...)");
	return LIN_EINVAL;
}

void db_close(struct db *db)
{
	if (db)
		DRV(db)->close(db);
}

enum db_engine db_engine(const struct db *db)
{
	return ((const struct db_base *)db)->engine;
}

const char *db_errmsg(struct db *db)
{
	return DRV(db)->errmsg(db);
}

int db_error_is_constraint(struct db *db)
{
	return DRV(db)->is_constraint(db);
}

int db_exec(struct db *db, const char *sql)
{
	return DRV(db)->exec(db, sql);
}

#define BASE(x) ((struct db_base *)(x))

/* savepoint runs "VERB linli_N" for the savepoint at depth n. */
static int savepoint(struct db *db, const char *verb, int n)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "%s linli_%d", verb, n);
	return DRV(db)->exec(db, sql);
}

int db_begin_outer(struct db *db)
{
	int rc = DRV(db)->begin(db);

	if (!rc) {
		BASE(db)->outer = 1;
		BASE(db)->depth = 0;
	}
	return rc;
}

int db_begin(struct db *db)
{
	int rc;

	if (!BASE(db)->outer)
		return DRV(db)->begin(db);
	rc = savepoint(db, "SAVEPOINT", BASE(db)->depth);
	if (!rc)
		BASE(db)->depth++;
	return rc;
}

int db_commit(struct db *db)
{
	if (BASE(db)->outer && BASE(db)->depth > 0)
		return savepoint(db, "RELEASE SAVEPOINT", --BASE(db)->depth);
	BASE(db)->outer = 0;
	return DRV(db)->exec(db, "COMMIT");
}

int db_finish(struct db *db, int rc)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int db_rollback(struct db *db)
{
	if (BASE(db)->outer && BASE(db)->depth > 0) {
		int n = --BASE(db)->depth, rc = savepoint(db, "ROLLBACK TO SAVEPOINT", n);
		return rc ? rc : savepoint(db, "RELEASE SAVEPOINT", n);
	}
	BASE(db)->outer = 0;
	BASE(db)->depth = 0;
	return DRV(db)->rollback(db);
}

int db_lock(struct db *db, const char *name)
{
	return DRV(db)->lock(db, name);
}

int db_backup(struct db *db, const char *path)
{
	return DRV(db)->backup ? DRV(db)->backup(db, path) : LIN_EINVAL;
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	int rc = DRV(db)->prepare(db, sql, out);

	if (!rc)
		((struct db_base *)*out)->bind_error = 0;
	return rc;
}

/* A failed bind sticks to the statement until its next step, which
 * returns it instead of running with a missing or stale value: a caller
 * that checks only the step (as most do) still sees the failure. */
static int bind_result(struct db_stmt *st, int rc)
{
	struct db_base *b = (struct db_base *)st;

	if (rc && !b->bind_error)
		b->bind_error = rc;
	return rc;
}

int db_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	return bind_result(st, DRV(st)->bind_int64(st, idx, v));
}

int db_bind_double(struct db_stmt *st, int idx, double v)
{
	return bind_result(st, DRV(st)->bind_double(st, idx, v));
}

int db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	return bind_result(st, s ? DRV(st)->bind_text(st, idx, s) : DRV(st)->bind_null(st, idx));
}

int db_bind_null(struct db_stmt *st, int idx)
{
	return bind_result(st, DRV(st)->bind_null(st, idx));
}

int db_step(struct db_stmt *st)
{
	struct db_base *b = (struct db_base *)st;
	int rc = b->bind_error;

	if (rc) {
		b->bind_error = 0;
		return rc;
	}
	return DRV(st)->step(st);
}

int db_column_count(struct db_stmt *st)
{
	return DRV(st)->column_count(st);
}

const char *db_column_name(struct db_stmt *st, int col)
{
	return DRV(st)->column_name(st, col);
}

int db_column_is_null(struct db_stmt *st, int col)
{
	return DRV(st)->column_is_null(st, col);
}

int64_t db_column_int64(struct db_stmt *st, int col)
{
	return DRV(st)->column_int64(st, col);
}

double db_column_double(struct db_stmt *st, int col)
{
	return DRV(st)->column_double(st, col);
}

const char *db_column_text(struct db_stmt *st, int col)
{
	return DRV(st)->column_text(st, col);
}

int64_t db_changes(struct db_stmt *st)
{
	return DRV(st)->changes(st);
}

void db_finalize(struct db_stmt *st)
{
	if (st)
		DRV(st)->finalize(st);
}

int db_step_one(struct db_stmt *st)
{
	int rc = db_step(st);

	return rc == DB_ROW ? 0 : rc == DB_DONE ? LIN_ENOTFOUND : rc;
}

int db_query_int64(struct db *db, const char *sql, int64_t *out, int nparams, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc;

	*out = 0;
	rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	va_start(ap, nparams);
	for (int i = 1; i <= nparams && !rc; i++)
		rc = db_bind_int64(st, i, va_arg(ap, int64_t));
	va_end(ap);
	if (rc)
		goto out;
	rc = db_step_one(st);
	if (!rc)
		*out = db_column_int64(st, 0);
out:
	db_finalize(st);
	return rc;
}

int db_vbindf(struct db_stmt *st, const char *types, va_list ap)
{
	int rc = 0;

	for (int i = 0; types[i] && !rc; i++) {
		int64_t v;

		switch (types[i]) {
		case 'i':
			rc = db_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 't':
			rc = db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'r':
			v = va_arg(ap, int64_t);
			rc = v ? db_bind_int64(st, i + 1, v) : db_bind_null(st, i + 1);
			break;
		case 'n':
			rc = db_bind_null(st, i + 1);
			break;
		default:
			rc = LIN_EINVAL;
			break;
		}
	}
	return rc;
}

int db_bindf(struct db_stmt *st, const char *types, ...)
{
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = db_vbindf(st, types, ap);
	va_end(ap);
	return rc;
}

/* prepare_args prepares sql and binds its values; on failure *st is NULL. */
static int prepare_args(struct db *db, const char *sql, struct db_stmt **st, const char *types,
			va_list ap)
{
	int rc = db_prepare(db, sql, st);

	if (!rc && (rc = db_vbindf(*st, types, ap))) {
		db_finalize(*st);
		*st = NULL;
	}
	return rc;
}

int db_exec_args(struct db *db, const char *sql, int64_t *changed, const char *types, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc;

	if (changed)
		*changed = 0;
	va_start(ap, types);
	rc = prepare_args(db, sql, &st, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW)
		;
	if (rc == DB_DONE && changed)
		*changed = db_changes(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int db_query_row(struct db *db, const char *sql, int64_t *first, const char *types, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc;

	if (first)
		*first = 0;
	va_start(ap, types);
	rc = prepare_args(db, sql, &st, types, ap);
	va_end(ap);
	if (rc)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		if (first)
			*first = db_column_int64(st, 0);
		/* Read to the end, so that SQLite finishes the statement. */
		while ((rc = db_step(st)) == DB_ROW)
			;
	} else if (rc == DB_DONE) {
		rc = LIN_ENOTFOUND;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int db_rows_json(struct db_stmt *st, const char *const *keys, const char *types, json_t *out)
{
	int rc;

	while ((rc = db_step(st)) == DB_ROW) {
		json_t *o = json_object();
		for (int c = 0; keys[c]; c++) {
			json_t *v;
			if (types[c] == 'i')
				v = db_column_is_null(st, c) ? json_null()
							     : json_integer(db_column_int64(st, c));
			else if (types[c] == 'b')
				v = json_boolean(db_column_int64(st, c) != 0);
			else
				v = json_string(db_column_text(st, c));
			json_object_set_new(o, keys[c], v);
		}
		json_array_append_new(out, o);
	}
	return rc < 0 ? rc : 0;
}

int db_query_json(struct db *db, const char *sql, const char *const *keys, const char *coltypes,
		  json_t **out, const char *types, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc;

	*out = json_array();
	va_start(ap, types);
	rc = prepare_args(db, sql, &st, types, ap);
	va_end(ap);
	if (!rc)
		rc = *out ? db_rows_json(st, keys, coltypes, *out) : LIN_ENOMEM;
	db_finalize(st);
	return rc;
}
