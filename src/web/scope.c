/* Streets and districts (auth.h): the street or district a code names,
 * its name, the areas under it, and whether a session's scope holds an
 * area. Reads of the reference tables only; accounts are made in auth.c. */
#include "auth.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>

int scope_name(struct db *db, enum role kind, int64_t id, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    kind == ROLE_DISTRICT_STAFF ? "SELECT name FROM districts WHERE id = ?"
							: "SELECT name FROM streets WHERE id = ?",
			    &st);

	if (!rc)
		rc = db_bindf(st, "i", id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		snprintf(out, n, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc;
}

int scope_by_code(struct db *db, const char *code, enum role *kind, int64_t *id, char *name,
		  size_t n)
{
	static const struct {
		enum role kind;
		const char *sql;
	} tables[] = {
	    {ROLE_STREET_STAFF, "SELECT id, name FROM streets WHERE code = ?"},
	    {ROLE_DISTRICT_STAFF, "SELECT id, name FROM districts WHERE code = ?"},
	};
	int rc = LIN_ENOTFOUND;

	*kind = ROLE_NONE;
	*id = 0;
	for (size_t i = 0; rc == LIN_ENOTFOUND && i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db, tables[i].sql, &st);
		if (!rc)
			rc = db_bindf(st, "t", code ? code : "");
		if (!rc)
			rc = db_step_one(st);
		if (!rc) {
			*kind = tables[i].kind;
			*id = db_column_int64(st, 0);
			if (name && n)
				snprintf(name, n, "%s", db_column_text(st, 1));
		}
		db_finalize(st);
	}
	return rc;
}

int scope_areas(struct db *db, enum role kind, int64_t id, struct arena *a, int64_t **ids, int *n)
{
	struct db_stmt *st = NULL;
	int64_t count = 0;
	int rc, i = 0;
	const char *sql = kind == ROLE_DISTRICT_STAFF
			      ? "SELECT a.id FROM areas a JOIN streets s ON s.id = a.street_id"
				" WHERE s.district_id = ? ORDER BY a.code"
			      : "SELECT a.id FROM areas a WHERE a.street_id = ? ORDER BY a.code";

	*ids = NULL;
	*n = 0;
	if (!role_is_region(kind))
		return 0;
	rc =
	    db_query_int64(db,
			   kind == ROLE_DISTRICT_STAFF
			       ? "SELECT COUNT(*) FROM areas a JOIN streets s ON s.id = a.street_id"
				 " WHERE s.district_id = ?"
			       : "SELECT COUNT(*) FROM areas WHERE street_id = ?",
			   &count, 1, id);
	if (rc || !count)
		return rc;
	*ids = arena_alloc(a, (size_t)count * sizeof(**ids));
	if (!*ids)
		return LIN_ENOMEM;
	rc = db_prepare(db, sql, &st);
	if (!rc)
		rc = db_bindf(st, "i", id);
	while (!rc && i < count && (rc = db_step(st)) == DB_ROW) {
		(*ids)[i++] = db_column_int64(st, 0);
		rc = 0;
	}
	db_finalize(st);
	*n = i;
	return rc < 0 ? rc : 0;
}

int scope_holds(struct db *db, const struct session *sess, int64_t area_id)
{
	int64_t n = 0;

	if (!role_is_region(sess->scope_role) || !sess->scope_id)
		return 0;
	if (db_query_int64(db,
			   sess->scope_role == ROLE_DISTRICT_STAFF
			       ? "SELECT COUNT(*) FROM areas a JOIN streets s ON s.id = a.street_id"
				 " WHERE a.id = ? AND s.district_id = ?"
			       : "SELECT COUNT(*) FROM areas WHERE id = ? AND street_id = ?",
			   &n, 2, area_id, sess->scope_id))
		return 0;
	return n > 0;
}
