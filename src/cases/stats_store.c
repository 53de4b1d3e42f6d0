/* The statistics' reads (stats_view.h): the area's categories and the
 * period's cases, as the arithmetic in stats.c counts them. */
#include "stats_view.h"
#include "cases.h"
#include "model.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdlib.h>
#include <string.h>

#define CATEGORIES_SQL                                                                             \
	"SELECT id, code, name_zh, name_en, private, archived FROM case_categories"                \
	" WHERE area_id = ? ORDER BY sort_order, id"
#define CASES_SQL                                                                                  \
	"SELECT id, category_id, state, created_at, accepted_at, resolved_at, accept_due,"         \
	" resolve_due, rating FROM cases WHERE area_id = ? AND created_at >= ? AND created_at < ?"
#define CASES_ONE_SQL CASES_SQL " AND category_id = ?"

/* load_categories: the area's categories (archived ones too, whose old
 * reports still count), or only the one asked for; LIN_EINVAL if that
 * one is not the area's. */
int stats_load_categories(struct http_req *req, struct stats_view *v)
{
	struct db_stmt *st = NULL;
	int rc, cap = 16, en = !strcmp(req->lang, "en");

	v->cats = arena_alloc(req->arena, sizeof(*v->cats) * (size_t)cap);
	if (!v->cats)
		return LIN_ENOMEM;
	rc = db_prepare(req->db, CATEGORIES_SQL, &st);
	if (rc)
		goto out;
	db_bind_int64(st, 1, req->sess.area_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct stats_category *c;
		int64_t id = db_column_int64(st, 0);
		if (v->category_id && id != v->category_id)
			continue;
		if (v->ncats == cap) {
			struct stats_category *more =
			    arena_alloc(req->arena, sizeof(*more) * (size_t)cap * 2);
			if (!more) {
				rc = LIN_ENOMEM;
				goto out;
			}
			memcpy(more, v->cats, sizeof(*more) * (size_t)cap);
			v->cats = more;
			cap *= 2;
		}
		c = &v->cats[v->ncats++];
		c->id = id;
		c->code = arena_strdup(req->arena, db_column_text(st, 1));
		c->name_zh = arena_strdup(req->arena, db_column_text(st, 2));
		c->name_en = arena_strdup(req->arena, db_column_text(st, 3));
		c->name = en ? c->name_en : c->name_zh;
		c->private_ = db_column_int64(st, 4) != 0;
		c->archived = db_column_int64(st, 5) != 0;
		if (!c->code || !c->name_zh || !c->name_en) {
			rc = LIN_ENOMEM;
			goto out;
		}
	}
	if (rc == DB_DONE)
		rc = 0;
	if (!rc && v->category_id && !v->ncats)
		rc = LIN_EINVAL; /* no such category in this area */
out:
	db_finalize(st);
	return rc;
}

/* column_time: a nullable time column, STATS_NONE for NULL. */
static int64_t column_time(struct db_stmt *st, int col)
{
	return db_column_is_null(st, col) ? STATS_NONE : db_column_int64(st, col);
}

/* load_cases: the period's cases. OUT: *cases (the caller frees), *n. */
int stats_load_cases(struct http_req *req, const struct stats_view *v, struct stats_case **cases,
		     size_t *n)
{
	struct db_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*cases = NULL;
	*n = 0;
	rc = db_prepare(req->db, v->category_id ? CASES_ONE_SQL : CASES_SQL, &st);
	if (rc)
		goto out;
	db_bind_int64(st, 1, req->sess.area_id);
	db_bind_int64(st, 2, v->r.from);
	db_bind_int64(st, 3, v->r.to);
	if (v->category_id)
		db_bind_int64(st, 4, v->category_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct stats_case *c;
		enum case_state s;
		if (*n == STATS_MAX_CASES) {
			rc = LIN_ETOOBIG;
			goto out;
		}
		if (*n == cap) {
			struct stats_case *more;
			cap = cap ? cap * 2 : 256;
			if (cap > STATS_MAX_CASES)
				cap = STATS_MAX_CASES;
			more = realloc(*cases, sizeof(**cases) * cap);
			if (!more) {
				rc = LIN_ENOMEM;
				goto out;
			}
			*cases = more;
		}
		c = &(*cases)[(*n)++];
		c->id = db_column_int64(st, 0);
		c->category_id = db_column_int64(st, 1);
		c->state = case_state_from_name(db_column_text(st, 2), &s) ? -1 : (int)s;
		c->created_at = db_column_int64(st, 3);
		c->accepted_at = column_time(st, 4);
		c->resolved_at = column_time(st, 5);
		c->accept_due = db_column_int64(st, 6);
		c->resolve_due = db_column_int64(st, 7);
		c->rating = db_column_is_null(st, 8) ? 0 : (int)db_column_int64(st, 8);
	}
	if (rc == DB_DONE)
		rc = 0;
out:
	db_finalize(st);
	if (rc) {
		free(*cases);
		*cases = NULL;
		*n = 0;
	}
	return rc;
}

int case_categories_all(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name_zh", "name_en", "private", NULL};
	return db_query_json(db,
			     "SELECT id, name_zh, name_en, private FROM case_categories"
			     " WHERE area_id = ? ORDER BY id",
			     keys, "ittb", out, "i", area_id);
}

int case_period_rows(struct db *db, int64_t area_id, int64_t from, int64_t to, const char *state,
		     json_t **out)
{
	static const char *const keys[] = {"id",	  "category_id", "state",  "compound_id",
					   "plan_x",	  "plan_y",	 "lat_e6", "lon_e6",
					   "building_id", NULL};

	if (state)
		return db_query_json(db,
				     "SELECT id, category_id, state, compound_id, plan_x, plan_y, "
				     "lat_e6, lon_e6, building_id"
				     " FROM cases WHERE area_id = ? AND created_at >= ?"
				     " AND created_at < ? AND state = ? ORDER BY id DESC",
				     keys, "iitiiiiii", out, "iiit", area_id, from, to, state);
	return db_query_json(db,
			     "SELECT id, category_id, state, compound_id, plan_x, plan_y, lat_e6, "
			     "lon_e6, building_id"
			     " FROM cases WHERE area_id = ? AND created_at >= ?"
			     " AND created_at < ? ORDER BY id DESC",
			     keys, "iitiiiiii", out, "iii", area_id, from, to);
}

int cases_month(struct db *db, int64_t area_id, int64_t from, int64_t to, struct cases_month *out)
{
	char first[16], last[16];
	int rc;

	memset(out, 0, sizeof(*out));
	stats_day_label(stats_local_day(from), first);
	stats_day_label(stats_local_day(to - 1), last);
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM cases WHERE area_id = ? AND created_at >= ?"
			  " AND created_at < ?",
			  &out->received, "iii", area_id, from, to);
	if (!rc)
		rc =
		    db_query_row(db,
				 "SELECT COUNT(*) FROM cases WHERE area_id = ? AND resolved_at >= ?"
				 " AND resolved_at < ?",
				 &out->resolved, "iii", area_id, from, to);
	if (!rc)
		rc = db_query_row(
		    db,
		    "SELECT COUNT(*) FROM cases WHERE area_id = ? AND created_at < ?"
		    " AND resolve_due < ? AND (resolved_at IS NULL OR resolved_at >= ?)"
		    " AND (closed_at IS NULL OR closed_at >= ?)",
		    &out->overdue, "iiiii", area_id, to, to, to, to);
	if (!rc)
		rc = db_query_row(
		    db,
		    "SELECT COUNT(*) FROM cases WHERE area_id = ? AND rating IS NOT NULL"
		    " AND rated_at >= ? AND rated_at < ?",
		    &out->rated, "iii", area_id, from, to);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COALESCE(SUM(rating), 0) FROM cases WHERE area_id = ?"
				  " AND rating IS NOT NULL AND rated_at >= ? AND rated_at < ?",
				  &out->stars, "iii", area_id, from, to);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM cases WHERE area_id = ? AND rating >= 4"
				  " AND rated_at >= ? AND rated_at < ?",
				  &out->satisfied, "iii", area_id, from, to);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM mediation_sessions s JOIN cases c"
				  " ON c.id = s.case_id WHERE c.area_id = ? AND s.held_on >= ?"
				  " AND s.held_on <= ?",
				  &out->mediations, "itt", area_id, first, last);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM mediation_sessions s JOIN cases c"
				  " ON c.id = s.case_id WHERE c.area_id = ? AND s.held_on >= ?"
				  " AND s.held_on <= ? AND s.agreement <> ''",
				  &out->agreements, "itt", area_id, first, last);
	return rc;
}

int case_coded_rows(struct db *db, int64_t area_id, const char *code1, const char *code2,
		    int64_t from, int64_t to, int private_ok, json_t **out)
{
	static const char *const keys[] = {"id",	  "category", "created_at", "compound_id",
					   "plan_x",	  "plan_y",   "lat_e6",	    "lon_e6",
					   "building_id", NULL};

	return db_query_json(db,
			     "SELECT c.id, k.code, c.created_at, c.compound_id, c.plan_x, c.plan_y,"
			     " c.lat_e6, c.lon_e6, c.building_id FROM cases c JOIN case_categories"
			     " k ON k.id = c.category_id WHERE c.area_id = ? AND k.code IN (?, ?)"
			     " AND (k.private = 0 OR ? = 1) AND c.created_at >= ? AND c.created_at"
			     " < ? ORDER BY c.created_at, c.id",
			     keys, "itiiiiiii", out, "ittiii", area_id, code1, code2,
			     (int64_t)(private_ok != 0), from, to);
}
