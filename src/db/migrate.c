/* Numbered migrations: src/db/schema/NNNN_name.sql runs on both engines,
 * NNNN_name.sqlite.sql / NNNN_name.pg.sql on one. "@ID@" in a file becomes
 * the engine's 64-bit auto-increment primary key. Each migration runs in
 * its own transaction together with the row that records it. */
#include "driver.h"
#include "../base/buf.h"
#include "../base/embed.h"
#include "../base/err.h"
#include "../base/log.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int migration_applies(const char *name, enum db_engine engine)
{
	size_t n = strlen(name);
	if (n > 11 && !strcmp(name + n - 11, ".sqlite.sql"))
		return engine == DB_SQLITE;
	if (n > 7 && !strcmp(name + n - 7, ".pg.sql"))
		return engine == DB_POSTGRES;
	return n > 4 && !strcmp(name + n - 4, ".sql");
}

static int migration_sql(struct db *db, const char *text, struct buf *out)
{
	const char *id = ((const struct db_base *)db)->driver->schema_id;
	const char *p = text, *hit;

	while ((hit = strstr(p, "@ID@"))) {
		buf_add(out, p, (size_t)(hit - p));
		buf_adds(out, id);
		p = hit + 4;
	}
	buf_adds(out, p);
	return out->failed ? LIN_ENOMEM : 0;
}

static int migration_applied(struct db *db, int64_t version, int *yes)
{
	int64_t n;
	int rc = db_query_int64(db, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", &n,
				1, version);
	*yes = n > 0;
	return rc;
}

static int migrate_one(struct db *db, const struct embedded_file *f, int64_t version, int *done)
{
	struct db_stmt *st = NULL;
	struct buf sql;
	int rc, applied;

	*done = 0;
	buf_init(&sql, 0);
	rc = db_begin(db);
	if (rc)
		goto out;
	rc = db_lock(db, "linli-migrate");
	if (rc)
		goto fail;
	rc = migration_applied(db, version, &applied);
	if (rc || applied)
		goto fail; /* another server got there first: nothing to do */
	rc = migration_sql(db, f->data, &sql);
	if (rc)
		goto fail;
	rc = db_exec(db, sql.buf);
	if (rc) {
		log_error("migrate: %s failed: %s", f->name, db_errmsg(db));
		goto fail;
	}
	rc = db_prepare(
	    db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", &st);
	if (rc)
		goto fail;
	db_bind_int64(st, 1, version);
	db_bind_text(st, 2, f->name);
	db_bind_int64(st, 3, (int64_t)time(NULL));
	rc = db_step(st);
	if (rc < 0)
		goto fail;
	rc = db_commit(db);
	if (!rc) {
		*done = 1;
		log_info("migrate: applied %s", f->name);
	}
	goto out;
fail:
	db_rollback(db);
out:
	db_finalize(st);
	buf_release(&sql);
	return rc;
}

int db_migrate(struct db *db, int *applied)
{
	int rc;

	*applied = 0;
	rc = db_exec(
	    db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
		" version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
	if (rc) {
		log_error("migrate: cannot create schema_migrations: %s", db_errmsg(db));
		return rc;
	}
	for (const struct embedded_file *f = schema_files; f->name; f++) {
		int64_t version;
		int done, yes;
		char *end;

		if (!migration_applies(f->name, db_engine(db)))
			continue;
		version = strtoll(f->name, &end, 10);
		if (end == f->name || *end != '_')
			continue;
		rc = migration_applied(db, version, &yes);
		if (rc)
			return rc;
		if (yes)
			continue;
		rc = migrate_one(db, f, version, &done);
		if (rc)
			return rc;
		*applied += done;
	}
	return 0;
}

int db_schema_version(struct db *db, int *out)
{
	int64_t v;
	int rc =
	    db_query_int64(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &v, 0);
	*out = (int)v;
	return rc;
}
