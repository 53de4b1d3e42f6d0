/* The site plan's SQL: reading an area's footprints with their names,
 * matching imported features to compounds and buildings by name, and
 * replacing the area's whole plan in one audited write. */
#include "registry.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* parse_points reads "lon,lat lon,lat ..." into f (micro-degrees). */
static int parse_points(const char *s, struct plan_feature *f)
{
	int n = 1;

	for (const char *c = s; *c; c++)
		n += *c == ' ';
	f->pt = calloc((size_t)n, sizeof(*f->pt));
	if (!f->pt)
		return LIN_ENOMEM;
	while (*s && f->npoints < n) {
		char *end;
		f->pt[f->npoints][0] = strtoll(s, &end, 10);
		if (*end != ',')
			return LIN_EINVAL;
		f->pt[f->npoints][1] = strtoll(end + 1, &end, 10);
		if (*end && *end != ' ')
			return LIN_EINVAL;
		f->npoints++;
		s = *end ? end + 1 : end;
	}
	return 0;
}

int registry_plan_load(struct db *db, int64_t area_id, struct registry_plan *p)
{
	static const char *const kinds[] = {"compound", "building", "road", "path", "place"};
	struct db_stmt *st = NULL;
	int64_t count = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	rc = db_query_int64(db, "SELECT COUNT(*) FROM plan_features WHERE area_id = ?", &count, 1,
			    area_id);
	if (rc || !count)
		return rc;
	p->f = calloc((size_t)count, sizeof(*p->f));
	if (!p->f)
		return LIN_ENOMEM;
	/* archived compounds and buildings leave the plan with their rows */
	rc = db_prepare(db,
			"SELECT f.kind, COALESCE(f.compound_id, b.compound_id),"
			" f.building_id, COALESCE(c.name, b.name, pl.name, f.name), bc.name,"
			" f.points, f.place_id"
			" FROM plan_features f LEFT JOIN compounds c ON c.id = f.compound_id"
			" LEFT JOIN buildings b ON b.id = f.building_id"
			" LEFT JOIN compounds bc ON bc.id = b.compound_id"
			" LEFT JOIN places pl ON pl.id = f.place_id"
			" WHERE f.area_id = ? AND COALESCE(c.archived, 0) = 0"
			" AND COALESCE(b.archived, 0) = 0 AND COALESCE(bc.archived, 0) = 0"
			" AND COALESCE(pl.archived, 0) = 0"
			" ORDER BY CASE f.kind WHEN 'compound' THEN 0 WHEN 'building' THEN 1"
			" WHEN 'place' THEN 2 ELSE 3 END, f.id",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && p->n < count && (rc = db_step(st)) == DB_ROW) {
		struct plan_feature *f = &p->f[p->n++];
		const char *kind = db_column_text(st, 0);
		rc = 0;
		for (int k = 0; k < PLAN_KIND_COUNT; k++)
			if (!strcmp(kind, kinds[k]))
				f->kind = (enum plan_kind)k;
		f->compound_id = db_column_int64(st, 1);
		f->building_id = db_column_int64(st, 2);
		f->place_id = db_column_int64(st, 6);
		f->name = strdup(db_column_text(st, 3));
		f->compound_name = db_column_is_null(st, 4) ? NULL : strdup(db_column_text(st, 4));
		if (!f->name)
			rc = LIN_ENOMEM;
		if (!rc)
			rc = parse_points(db_column_text(st, 5), f);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	if (rc)
		registry_plan_release(p);
	else
		registry_plan_fit(p, 0);
	return rc;
}

/* id_by_title: the id of the row of registry_choices' rows titled name, 0
 * if none. */
static int64_t id_by_title(json_t *rows, const char *name)
{
	json_t *row;
	size_t k;

	json_array_foreach (rows, k, row)
		if (!strcmp(json_string_value(json_object_get(row, "title")) ?: "", name))
			return json_integer_value(json_object_get(row, "id"));
	return 0;
}

int registry_plan_match(struct db *db, int64_t area_id, const char *lang, struct buf *errors,
			struct registry_plan *p)
{
	json_t *compounds = NULL, *buildings = NULL, *places = NULL, *row;
	int more = 0, bad = 0, rc;
	char msg[256];
	size_t k;

	rc = registry_choices(db, "compounds", area_id, NULL, 100000, &compounds, &more);
	if (!rc)
		rc = registry_buildings(db, area_id, &buildings);
	if (!rc)
		rc = registry_choices(db, "places", area_id, NULL, 100000, &places, &more);
	for (int i = 0; !rc && i < p->n; i++) {
		struct plan_feature *f = &p->f[i];
		const char *unknown = NULL;
		if (f->kind == PLAN_COMPOUND) {
			f->compound_id = id_by_title(compounds, f->name);
			if (!f->compound_id)
				unknown = "plan.err.no_compound";
		} else if (f->kind == PLAN_BUILDING) {
			json_array_foreach (buildings, k, row)
				if (!strcmp(json_string_value(json_object_get(row, "name")),
					    f->name) &&
				    !strcmp(json_string_value(json_object_get(row, "compound")),
					    f->compound_name)) {
					f->building_id =
					    json_integer_value(json_object_get(row, "id"));
					f->compound_id =
					    json_integer_value(json_object_get(row, "compound_id"));
				}
			if (!f->building_id)
				unknown = "plan.err.no_building";
		} else if (f->kind == PLAN_PLACE) {
			f->place_id = id_by_title(places, f->name);
			if (!f->place_id)
				unknown = "plan.err.no_place";
		}
		/* one footprint per compound and per building */
		for (int j = 0; !unknown && j < i; j++)
			if (p->f[j].kind == f->kind &&
			    ((f->kind == PLAN_COMPOUND && p->f[j].compound_id == f->compound_id) ||
			     (f->kind == PLAN_BUILDING && p->f[j].building_id == f->building_id) ||
			     (f->kind == PLAN_PLACE && p->f[j].place_id == f->place_id)))
				unknown = "plan.err.twice";
		if (unknown) {
			char who[200];
			snprintf(who, sizeof(who), "%s%s%s",
				 f->compound_name ? f->compound_name : "",
				 f->compound_name ? " " : "", f->name);
			snprintf(msg, sizeof(msg), i18n_t(lang, unknown), who);
			buf_addf(errors, i18n_t(lang, "plan.err.feature_fmt"), i + 1, msg);
			buf_addc(errors, '\n');
			bad++;
		}
	}
	json_decref(compounds);
	json_decref(buildings);
	json_decref(places);
	if (!rc && bad)
		rc = LIN_EINVAL;
	return rc;
}

/* points_text writes f's points as stored. */
static void points_text(struct buf *b, const struct plan_feature *f)
{
	for (int k = 0; k < f->npoints; k++)
		buf_addf(b, "%s%lld,%lld", k ? " " : "", (long long)f->pt[k][0],
			 (long long)f->pt[k][1]);
}

/* summary: the audit entry's view of a plan, {"compounds":N,...}. */
static char *summary(const int counts[PLAN_KIND_COUNT])
{
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i}", "compounds", counts[PLAN_COMPOUND],
			      "buildings", counts[PLAN_BUILDING], "roads", counts[PLAN_ROAD],
			      "paths", counts[PLAN_PATH], "places", counts[PLAN_PLACE]);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

	json_decref(o);
	return s;
}

int registry_plan_write(struct db *db, int64_t area_id, const char *actor,
			const struct registry_plan *p)
{
	static const char *const kinds[] = {"compound", "building", "road", "path", "place"};
	int before[PLAN_KIND_COUNT] = {0}, after[PLAN_KIND_COUNT] = {0};
	struct db_stmt *st = NULL;
	char *before_json = NULL, *after_json = NULL;
	struct buf text;
	int rc;

	/* counts by kind, before */
	rc = db_prepare(
	    db, "SELECT kind, COUNT(*) FROM plan_features WHERE area_id = ? GROUP BY kind", &st);
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		for (int k = 0; k < PLAN_KIND_COUNT; k++)
			if (!strcmp(db_column_text(st, 0), kinds[k]))
				before[k] = (int)db_column_int64(st, 1);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	st = NULL;
	if (!rc)
		rc = db_exec_args(db, "DELETE FROM plan_features WHERE area_id = ?", NULL, "i",
				  area_id);
	if (!rc)
		rc =
		    db_prepare(db,
			       "INSERT INTO plan_features (area_id, kind, compound_id, building_id,"
			       " place_id, name, points) VALUES (?, ?, ?, ?, ?, ?, ?)",
			       &st);
	buf_init(&text, (size_t)PLAN_MAX_POINTS * 24 + 64);
	for (int i = 0; !rc && i < p->n; i++) {
		const struct plan_feature *f = &p->f[i];
		int line = f->kind == PLAN_ROAD || f->kind == PLAN_PATH;
		buf_reset(&text);
		points_text(&text, f);
		if (text.failed) {
			rc = LIN_ENOMEM;
			break;
		}
		rc = db_bindf(st, "itrrrtt", area_id, kinds[f->kind],
			      f->kind == PLAN_COMPOUND ? f->compound_id : 0, f->building_id,
			      f->place_id, line ? f->name : "", text.buf);
		if (!rc && (rc = db_step(st)) == DB_DONE)
			rc = 0;
		after[f->kind]++;
	}
	buf_release(&text);
	db_finalize(st);
	if (rc) {
		log_error("registry: plan write failed: %s", db_errmsg(db));
		return rc < 0 ? rc : LIN_EDB;
	}
	before_json = summary(before);
	after_json = summary(after);
	if (!before_json || !after_json) {
		rc = LIN_ENOMEM;
	} else {
		struct audit_entry e = {0, actor,	area_id,   "import", "plan_features",
					0, before_json, after_json};
		rc = audit_append(db, &e);
	}
	free(before_json);
	free(after_json);
	return rc;
}

int registry_plan_replace(struct db *db, int64_t area_id, const char *actor,
			  const struct registry_plan *p)
{
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = registry_plan_write(db, area_id, actor, p);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}
