/* The SQLite driver: WAL journal, foreign keys on, a busy timeout so
 * concurrent server threads wait rather than fail. */
#include "driver.h"
#include "stmtcache.h"
#include "../base/err.h"
#include "../base/log.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct db {
	struct db_base base;
	sqlite3 *handle;	 /* the open connection */
	struct stmt_cache cache; /* statements kept compiled between uses */
};

struct db_stmt {
	struct db_base base;
	struct db *db;	    /* connection that prepared it */
	sqlite3_stmt *stmt; /* compiled statement */
	int slot;	    /* its cache slot, -1 if not cached */
	int64_t changes;    /* rows changed by the last completed step */
	int done;	    /* stepped to the end; cleared by a new binding */
};

static int sqlite_fail(struct db *db, const char *what)
{
	log_debug("sqlite: %s: %s", what, sqlite3_errmsg(db->handle));
	return LIN_EDB;
}

static int sq_exec(struct db *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db->handle, sql, NULL, NULL, &err) != SQLITE_OK) {
		log_debug("sqlite: exec: %s", err ? err : "?");
		sqlite3_free(err);
		return LIN_EDB;
	}
	return 0;
}

static void sq_destroy_stmt(void *ctx, void *handle)
{
	(void)ctx;
	sqlite3_finalize(handle);
}

static int sq_open(const char *path, struct db **out)
{
	struct db *db = calloc(1, sizeof(*db));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

	if (!db)
		return LIN_ENOMEM;
	db->base.driver = &db_sqlite_driver;
	db->base.engine = DB_SQLITE;
	if (!*path)
		path = "linli.db";
	if (sqlite3_open_v2(path, &db->handle, flags, NULL) != SQLITE_OK) {
		log_error("sqlite: cannot open %s: %s", path,
			  db->handle ? sqlite3_errmsg(db->handle) : "out of memory");
		sqlite3_close(db->handle);
		free(db);
		return LIN_EDB;
	}
	stmt_cache_init(&db->cache, sq_destroy_stmt, NULL);
	sqlite3_busy_timeout(db->handle, 10000);
	sqlite3_extended_result_codes(db->handle, 1);
	if (sq_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			"PRAGMA synchronous=FULL;")) {
		log_error("sqlite: cannot configure %s: %s", path, sqlite3_errmsg(db->handle));
		sqlite3_close(db->handle);
		free(db);
		return LIN_EDB;
	}
	*out = db;
	return 0;
}

static void sq_close(struct db *db)
{
	stmt_cache_clear(&db->cache);
	sqlite3_close(db->handle);
	free(db);
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->handle);
}

static int sq_is_constraint(struct db *db)
{
	return (sqlite3_extended_errcode(db->handle) & 0xff) == SQLITE_CONSTRAINT;
}

static int sq_exec_rollback(struct db *db)
{
	/* Safe with no transaction open, as on PostgreSQL. */
	if (sqlite3_get_autocommit(db->handle))
		return 0;
	return sq_exec(db, "ROLLBACK");
}

static int sq_begin(struct db *db)
{
	return sq_exec(db, "BEGIN IMMEDIATE");
}

static int sq_lock(struct db *db, const char *name)
{
	/* BEGIN IMMEDIATE already holds SQLite's one write lock. */
	(void)db;
	(void)name;
	return 0;
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct db_stmt *st = calloc(1, sizeof(*st));

	*out = NULL;
	if (!st)
		return LIN_ENOMEM;
	st->base = db->base;
	st->db = db;
	st->stmt = stmt_cache_get(&db->cache, sql, &st->slot);
	if (st->stmt) {
		*out = st;
		return 0;
	}
	if (sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt, NULL) !=
	    SQLITE_OK) {
		sqlite_fail(db, "prepare");
		log_error("sqlite: cannot prepare: %s: %s", sqlite3_errmsg(db->handle), sql);
		free(st);
		return LIN_EDB;
	}
	st->slot = stmt_cache_put(&db->cache, sql, st->stmt);
	*out = st;
	return 0;
}

static int sq_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_reset(st->stmt);
	st->done = 0;
	return sqlite3_bind_int64(st->stmt, idx, v) == SQLITE_OK ? 0 : LIN_EDB;
}

static int sq_bind_double(struct db_stmt *st, int idx, double v)
{
	sqlite3_reset(st->stmt);
	st->done = 0;
	return sqlite3_bind_double(st->stmt, idx, v) == SQLITE_OK ? 0 : LIN_EDB;
}

static int sq_bind_text(struct db_stmt *st, int idx, const char *s)
{
	sqlite3_reset(st->stmt);
	st->done = 0;
	return sqlite3_bind_text(st->stmt, idx, s, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : LIN_EDB;
}

static int sq_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_reset(st->stmt);
	st->done = 0;
	return sqlite3_bind_null(st->stmt, idx) == SQLITE_OK ? 0 : LIN_EDB;
}

static int sq_step(struct db_stmt *st)
{
	int rc;

	/* Like PostgreSQL: a finished statement stays finished until rebound. */
	if (st->done)
		return DB_DONE;
	rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW) {
		/* INSERT ... RETURNING has made its change by its first row. */
		if (!sqlite3_stmt_readonly(st->stmt))
			st->changes = sqlite3_changes64(st->db->handle);
		return DB_ROW;
	}
	if (rc == SQLITE_DONE) {
		if (!sqlite3_stmt_readonly(st->stmt))
			st->changes = sqlite3_changes64(st->db->handle);
		st->done = 1;
		return DB_DONE;
	}
	return sqlite_fail(st->db, "step");
}

static int sq_column_count(struct db_stmt *st)
{
	return sqlite3_column_count(st->stmt);
}

static const char *sq_column_name(struct db_stmt *st, int col)
{
	return sqlite3_column_name(st->stmt, col);
}

static int sq_column_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

static int64_t sq_column_int64(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->stmt, col);
}

static double sq_column_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->stmt, col);
}

static const char *sq_column_text(struct db_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->stmt, col);
	return t ? (const char *)t : "";
}

static int64_t sq_changes(struct db_stmt *st)
{
	return st->changes;
}

static void sq_finalize(struct db_stmt *st)
{
	if (st->slot >= 0) {
		/* Back to the cache, ready for its next use. */
		sqlite3_reset(st->stmt);
		sqlite3_clear_bindings(st->stmt);
		stmt_cache_release(&st->db->cache, st->slot);
	} else {
		sqlite3_finalize(st->stmt);
	}
	free(st);
}

static int sq_backup(struct db *db, const char *path)
{
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	int rc;

	if (sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		log_error("backup: cannot open %s: %s", path, dest ? sqlite3_errmsg(dest) : "?");
		sqlite3_close(dest);
		return LIN_EIO;
	}
	b = sqlite3_backup_init(dest, "main", db->handle, "main");
	if (!b) {
		log_error("backup: %s", sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return LIN_EDB;
	}
	/* Copy in steps so that writers are held up only briefly; a write in
	 * between restarts the copy, which still ends consistent. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	rc = rc == SQLITE_DONE ? sqlite3_errcode(dest) : rc;
	if (rc != SQLITE_OK)
		log_error("backup: %s", sqlite3_errmsg(dest));
	sqlite3_close(dest);
	return rc == SQLITE_OK ? 0 : LIN_EDB;
}

const struct db_driver db_sqlite_driver = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .errmsg = sq_errmsg,
    .is_constraint = sq_is_constraint,
    .exec = sq_exec,
    .begin = sq_begin,
    .rollback = sq_exec_rollback,
    .lock = sq_lock,
    .prepare = sq_prepare,
    .bind_int64 = sq_bind_int64,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .column_count = sq_column_count,
    .column_name = sq_column_name,
    .column_is_null = sq_column_is_null,
    .column_int64 = sq_column_int64,
    .column_double = sq_column_double,
    .column_text = sq_column_text,
    .changes = sq_changes,
    .finalize = sq_finalize,
    .backup = sq_backup,
    .schema_id = "INTEGER PRIMARY KEY",
};
