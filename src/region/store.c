/* All of src/region's SQL: the areas' names, the open cases of an area
 * now, and adding areas (with their streets and districts). Every figure
 * from another feature comes through that feature's header instead. */
#include "internal.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>

int region_rows_names(struct db *db, struct region_area *rows, int n)
{
	int rc = 0;

	for (int i = 0; !rc && i < n; i++) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db, "SELECT code, name FROM areas WHERE id = ?", &st);
		if (!rc)
			rc = db_bindf(st, "i", rows[i].id);
		if (!rc)
			rc = db_step_one(st);
		if (!rc) {
			snprintf(rows[i].code, sizeof(rows[i].code), "%s", db_column_text(st, 0));
			snprintf(rows[i].name, sizeof(rows[i].name), "%s", db_column_text(st, 1));
		}
		db_finalize(st);
	}
	return rc;
}

int region_street_of(struct db *db, int64_t area_id, int64_t *street_id, char *code, size_t n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT s.id, s.code FROM areas a JOIN streets s ON s.id = a.street_id"
			    " WHERE a.id = ?",
			    &st);

	if (!rc)
		rc = db_bindf(st, "i", area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		*street_id = db_column_int64(st, 0);
		snprintf(code, n, "%s", db_column_text(st, 1));
	}
	db_finalize(st);
	return rc;
}

/* The states in which a case is no longer worked on (cases/model.c,
 * case_state_open). */
#define CASE_DONE_STATES "('resolved', 'closed', 'rejected', 'duplicate')"

int region_open_cases(struct db *db, int64_t area_id, int64_t now, int64_t *open, int64_t *overdue)
{
	int rc = db_query_int64(
	    db, "SELECT COUNT(*) FROM cases WHERE area_id = ? AND state NOT IN " CASE_DONE_STATES,
	    open, 1, area_id);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM cases WHERE area_id = ? AND state NOT "
				    "IN " CASE_DONE_STATES " AND resolve_due < ?",
				    overdue, 2, area_id, now);
	return rc;
}

_Static_assert(REGION_SPARK_MONTHS == 6, "region_received_by_month counts six months");

int region_received_by_month(struct db *db, int64_t area_id, const int64_t *bounds, int64_t *counts)
{
	struct db_stmt *st = NULL;
	int rc;

	/* one pass over the area's cases of the six months (cases_area_created) */
	rc = db_prepare(db,
			"SELECT COALESCE(SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0"
			" END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0"
			" END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0"
			" END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ? AND created_at < ? THEN 1 ELSE 0"
			" END), 0),"
			" COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0)"
			" FROM cases WHERE area_id = ? AND created_at >= ? AND created_at < ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "iiiiiiiiiiiii", bounds[1], bounds[1], bounds[2], bounds[2],
			      bounds[3], bounds[3], bounds[4], bounds[4], bounds[5], bounds[5],
			      area_id, bounds[0], bounds[6]);
	if (!rc)
		rc = db_step_one(st);
	for (int k = 0; !rc && k < REGION_SPARK_MONTHS; k++)
		counts[k] = db_column_int64(st, k);
	db_finalize(st);
	return rc;
}

int region_areas_list(struct db *db, FILE *out)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT a.code, a.name, s.code, s.name, d.code, d.name FROM areas a"
		       " JOIN streets s ON s.id = a.street_id"
		       " JOIN districts d ON d.id = s.district_id ORDER BY d.code, s.code, a.code",
		       &st);

	if (rc)
		return rc;
	fprintf(out, "%-16s %-20s %-16s %-16s\n", "area", "name", "street", "district");
	while ((rc = db_step(st)) == DB_ROW)
		fprintf(out, "%-16s %-20s %-16s %-16s\n", db_column_text(st, 0),
			db_column_text(st, 1), db_column_text(st, 2), db_column_text(st, 4));
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

static int id_by_code(struct db *db, const char *table_sql, const char *code, int64_t *id)
{
	int rc = db_query_row(db, table_sql, id, "t", code);
	if (rc == LIN_ENOTFOUND)
		*id = 0;
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

/* add_one writes one checked area, creating its district and street
 * when the row names them and they are not there yet. */
static int add_one(struct db *db, const struct region_area_in *in, const char *actor,
		   const char **why)
{
	int64_t street = 0, district = 0, area = 0;
	int rc = id_by_code(db, "SELECT id FROM areas WHERE code = ?", in->code, &area);

	if (!rc && area) {
		*why = "居民区代码已存在 the area code exists";
		return LIN_ECONFLICT;
	}
	if (!rc)
		rc = id_by_code(db, "SELECT id FROM streets WHERE code = ?", in->street, &street);
	if (!rc && !street) {
		if (!in->street_name || !*in->street_name) {
			*why = "没有这个街道：新街道须给出名称和区 no such street: a new one needs "
			       "its name and district";
			return LIN_EINVAL;
		}
		rc = id_by_code(db, "SELECT id FROM districts WHERE code = ?", in->district,
				&district);
		if (!rc && !district) {
			if (!in->district_name || !*in->district_name) {
				*why = "没有这个区：新区须给出名称 no such district: a new one "
				       "needs its name";
				return LIN_EINVAL;
			}
			rc = db_query_row(db,
					  "INSERT INTO districts (code, name) VALUES (?, ?)"
					  " RETURNING id",
					  &district, "tt", in->district, in->district_name);
		}
		if (!rc)
			rc = db_query_row(db,
					  "INSERT INTO streets (district_id, code, name)"
					  " VALUES (?, ?, ?) RETURNING id",
					  &street, "itt", district, in->street, in->street_name);
	}
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO areas (street_id, code, name) VALUES (?, ?, ?)"
				  " RETURNING id",
				  &area, "itt", street, in->code, in->name);
	if (!rc) {
		struct audit_entry e = {0, actor, area, "create", "areas", area, NULL, NULL};
		rc = audit_append(db, &e);
	}
	return rc;
}

int region_areas_add(struct db *db, const struct region_area_in *in, int n, const char *actor,
		     int *line, const char **why)
{
	int rc = 0;

	*line = 0;
	*why = NULL;
	/* every row is checked before anything is written */
	for (int i = 0; !rc && i < n; i++) {
		*line = i;
		rc = region_area_check(&in[i], why);
		for (int j = 0; !rc && j < i; j++)
			if (!strcmp(in[i].code, in[j].code)) {
				*why =
				    "居民区代码在文件中重复 the area code is repeated in the file";
				rc = LIN_ECONFLICT;
			}
	}
	if (rc)
		return rc;
	rc = db_begin(db);
	for (int i = 0; !rc && i < n; i++) {
		*line = i;
		rc = add_one(db, &in[i], actor, why);
	}
	if (rc) {
		db_rollback(db);
		if (!*why)
			*why = db_errmsg(db);
		return rc;
	}
	return db_commit(db);
}
