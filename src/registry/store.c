/* Registry SQL; see store.h. Statements are assembled from the entity
 * descriptors (table and column names come only from descriptors in code,
 * never from input) and every value is bound. */
#include "registry.h"
#include "store.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../db/sqlb.h"
#include "../web/audit.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* add_title writes an entity's title expression with "@" as alias. */
static void add_title(struct buf *out, const struct entity *e, const char *alias)
{
	for (const char *p = e->title_sql; *p; p++) {
		if (*p == '@')
			buf_adds(out, alias);
		else
			buf_addc(out, *p);
	}
}

/* ---- reading rows ---- */

static void select_columns(struct buf *sql, const struct entity *e)
{
	int r = 0;

	buf_adds(sql, "SELECT t.id");
	for (const struct field *f = e->fields; f->name; f++)
		if (f->type != FT_TAGS)
			buf_addf(sql, ", t.%s", f->name);
	buf_adds(sql, ", (");
	add_title(sql, e, "t");
	buf_adds(sql, ")");
	for (const struct field *f = e->fields; f->name; f++) {
		const struct entity *ref;
		char alias[24];
		if (f->type != FT_REF || !(ref = entity_by_name(f->ref)))
			continue;
		snprintf(alias, sizeof(alias), "r%d", r++);
		buf_adds(sql, ", (SELECT ");
		add_title(sql, ref, alias);
		buf_addf(sql, " FROM %s %s WHERE %s.id = t.%s)", ref->name, alias, alias, f->name);
	}
	buf_addf(sql, ", %s FROM %s t", e->archive ? "t.archived" : "0", e->name);
}

static json_t *read_row(struct db_stmt *st, const struct entity *e)
{
	json_t *row = json_object();
	int col = 0, refcol;
	char tmp[32];

	json_object_set_new(row, "id", json_integer(db_column_int64(st, col++)));
	for (const struct field *f = e->fields; f->name; f++) {
		json_t *v;
		if (f->type == FT_TAGS)
			continue;
		if (db_column_is_null(st, col)) {
			v = json_null();
		} else {
			switch (f->type) {
			case FT_INT:
			case FT_REF:
				v = json_integer(db_column_int64(st, col));
				break;
			case FT_BOOL:
				v = json_boolean(db_column_int64(st, col));
				break;
			case FT_CENTI:
				format_centi(db_column_int64(st, col), tmp, sizeof(tmp));
				v = json_string(tmp);
				break;
			default:
				v = json_string(db_column_text(st, col));
			}
		}
		json_object_set_new(row, f->name, v);
		col++;
	}
	json_object_set_new(row, "title", json_string(db_column_text(st, col++)));
	refcol = col;
	for (const struct field *f = e->fields; f->name; f++) {
		char key[64];
		if (f->type != FT_REF || !entity_by_name(f->ref))
			continue;
		snprintf(key, sizeof(key), "%s_title", f->name);
		json_object_set_new(row, key,
				    db_column_is_null(st, refcol)
					? json_null()
					: json_string(db_column_text(st, refcol)));
		refcol++;
	}
	json_object_set_new(row, "archived", json_boolean(db_column_int64(st, refcol)));
	return row;
}

static const struct field *tags_field(const struct entity *e)
{
	for (const struct field *f = e->fields; f->name; f++)
		if (f->type == FT_TAGS)
			return f;
	return NULL;
}

#define TAGS_CHUNK 50 /* residents per tag query: well under the bind limit */

/* attach_tags_chunk fills the tags of rows[first, first + n). */
static int attach_tags_chunk(struct db *db, const struct field *tf, json_t *rows, size_t first,
			     size_t n)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	int rc;

	sqlb_init(&b);
	buf_adds(&b.sql, "SELECT rt.resident_id, tg.name FROM resident_tags rt"
			 " JOIN tags tg ON tg.id = rt.tag_id WHERE rt.resident_id IN (");
	for (size_t i = first; i < first + n; i++) {
		buf_adds(&b.sql, i > first ? ", ?" : "?");
		sqlb_int(&b, json_integer_value(json_object_get(json_array_get(rows, i), "id")));
	}
	buf_adds(&b.sql, ") ORDER BY tg.name");
	rc = sqlb_prepare(db, &b, &st);
	if (rc)
		goto out;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		for (size_t i = first; i < first + n; i++) {
			json_t *row = json_array_get(rows, i);
			if (json_integer_value(json_object_get(row, "id")) == id) {
				json_array_append_new(json_object_get(row, tf->name),
						      json_string(db_column_text(st, 1)));
				break;
			}
		}
	}
out:
	db_finalize(st);
	sqlb_release(&b);
	return rc < 0 ? rc : 0;
}

/* attach_tags adds "tags": [names] to each row of an entity with tags. */
static int attach_tags(struct db *db, const struct entity *e, json_t *rows)
{
	const struct field *tf = tags_field(e);
	size_t i, total = json_array_size(rows);
	json_t *row;
	int rc = 0;

	if (!tf || !total)
		return 0;
	json_array_foreach (rows, i, row)
		json_object_set_new(row, tf->name, json_array());
	for (i = 0; i < total && !rc; i += TAGS_CHUNK)
		rc = attach_tags_chunk(db, tf, rows, i,
				       total - i < TAGS_CHUNK ? total - i : TAGS_CHUNK);
	return rc;
}

/* ---- listing ---- */

static int add_where(struct sqlb *b, const struct entity *e, int64_t area_id,
		     const struct list_query *lq, struct validation *v)
{
	buf_adds(&b->sql, " WHERE t.area_id = ?");
	sqlb_int(b, area_id);
	if (e->archive) {
		buf_adds(&b->sql, " AND t.archived = ?");
		sqlb_int(b, lq->archived ? 1 : 0);
	}
	if (lq->q && *lq->q) {
		int first = 1;
		if (strlen(lq->q) > 200 || !utf8_valid(lq->q, strlen(lq->q))) {
			validation_add_error(v, "q", "err.search");
			return LIN_EINVAL;
		}
		buf_adds(&b->sql, " AND (");
		for (const struct field *f = e->fields; f->name; f++) {
			if (!(f->flags & FF_SEARCH))
				continue;
			/* A masked number must not be found by its hidden digits. */
			if (f->type == FT_PHONE && lq->no_phone_search)
				continue;
			buf_addf(&b->sql, "%sLOWER(t.%s) LIKE LOWER(?) ESCAPE '\\'",
				 first ? "" : " OR ", f->name);
			sqlb_like(b, lq->q);
			first = 0;
		}
		buf_adds(&b->sql, first ? "1 = 1)" : ")");
	}
	if (lq->no_vulnerable && !strcmp(e->name, "residents"))
		buf_adds(
		    &b->sql,
		    " AND NOT EXISTS (SELECT 1 FROM resident_tags rv JOIN tags tv"
		    " ON tv.id = rv.tag_id WHERE rv.resident_id = t.id AND tv.vulnerable = 1)");
	for (int i = 0; i < lq->nfilters; i++) {
		const struct field *f = entity_field(e, lq->filters[i].field);
		const char *val = lq->filters[i].value;
		int64_t n;
		int yes;

		if (!f || !(f->flags & FF_FILTER)) {
			validation_add_error(v, lq->filters[i].field, "err.unknown_field");
			return LIN_EINVAL;
		}
		switch (f->type) {
		case FT_TAGS:
			buf_adds(&b->sql,
				 " AND t.id IN (SELECT rt.resident_id FROM resident_tags rt"
				 " JOIN tags tg ON tg.id = rt.tag_id WHERE tg.name = ?)");
			sqlb_text(b, val);
			break;
		case FT_BOOL:
			if (parse_bool(val, &yes)) {
				validation_add_error(v, f->name, "err.bool");
				return LIN_EINVAL;
			}
			buf_addf(&b->sql, " AND t.%s = ?", f->name);
			sqlb_int(b, yes);
			break;
		case FT_REF:
		case FT_INT:
			if (parse_int64(val, INT64_MIN, INT64_MAX, &n)) {
				validation_add_error(v, f->name, "err.range");
				return LIN_EINVAL;
			}
			buf_addf(&b->sql, " AND t.%s = ?", f->name);
			sqlb_int(b, n);
			break;
		case FT_CHOICE: {
			const char *const *c = f->choices;
			while (*c && strcmp(*c, val))
				c++;
			if (!*c) {
				validation_add_error(v, f->name, "err.choice");
				return LIN_EINVAL;
			}
		}
			/* fall through */
		default:
			buf_addf(&b->sql, " AND t.%s = ?", f->name);
			sqlb_text(b, val);
		}
	}
	return 0;
}

/* add_order writes " ORDER BY " with first (NULL: nothing) before the
 * entity's own order. */
static void add_order(struct buf *sql, const struct entity *e, const char *first)
{
	buf_adds(sql, " ORDER BY ");
	if (first)
		buf_addf(sql, "%s, ", first);
	for (const char *p = e->order_sql; *p; p++) {
		if (*p == '@')
			buf_addc(sql, 't');
		else
			buf_addc(sql, *p);
	}
}

int registry_list(struct db *db, const struct entity *e, int64_t area_id,
		  const struct list_query *lq, json_t **items, int64_t *total, struct validation *v)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	int rc;

	*items = NULL;
	*total = 0;
	sqlb_init(&b);
	buf_addf(&b.sql, "SELECT COUNT(*) FROM %s t", e->name);
	rc = add_where(&b, e, area_id, lq, v);
	if (rc)
		goto out;
	rc = sqlb_prepare(db, &b, &st);
	if (rc)
		goto out;
	if ((rc = db_step(st)) == DB_ROW)
		*total = db_column_int64(st, 0);
	db_finalize(st);
	st = NULL;
	if (rc < 0)
		goto out;

	sqlb_release(&b);
	sqlb_init(&b);
	select_columns(&b.sql, e);
	rc = add_where(&b, e, area_id, lq, v);
	if (rc)
		goto out;
	add_order(&b.sql, e, NULL);
	buf_adds(&b.sql, " LIMIT ? OFFSET ?");
	sqlb_int(&b, lq->per_page);
	sqlb_int(&b, (lq->page - 1) * lq->per_page);
	rc = sqlb_prepare(db, &b, &st);
	if (rc)
		goto out;
	*items = json_array();
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*items, read_row(st, e));
	if (rc < 0)
		goto out;
	rc = attach_tags(db, e, *items);
out:
	if (rc < 0 && *items) {
		json_decref(*items);
		*items = NULL;
	}
	db_finalize(st);
	sqlb_release(&b);
	return rc < 0 ? rc : 0;
}

int registry_vulnerable(struct db *db, const struct entity *e, int64_t id, int *yes)
{
	int64_t n = 0;
	int rc = 0;

	*yes = 0;
	if (strcmp(e->name, "residents"))
		return 0;
	rc =
	    db_query_int64(db,
			   "SELECT COUNT(*) FROM resident_tags rv JOIN tags tv ON tv.id = rv.tag_id"
			   " WHERE rv.resident_id = ? AND tv.vulnerable = 1",
			   &n, 1, id);
	*yes = n > 0;
	return rc;
}

int registry_get(struct db *db, const struct entity *e, int64_t area_id, int64_t id, json_t **row)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	json_t *rows = NULL;
	int rc;

	*row = NULL;
	sqlb_init(&b);
	select_columns(&b.sql, e);
	buf_adds(&b.sql, " WHERE t.area_id = ? AND t.id = ?");
	sqlb_int(&b, area_id);
	sqlb_int(&b, id);
	rc = sqlb_prepare(db, &b, &st);
	if (rc)
		goto out;
	rc = db_step(st);
	if (rc == DB_DONE) {
		rc = LIN_ENOTFOUND;
		goto out;
	}
	if (rc < 0)
		goto out;
	rows = json_array();
	json_array_append_new(rows, read_row(st, e));
	rc = attach_tags(db, e, rows);
	if (!rc)
		*row = json_incref(json_array_get(rows, 0));
out:
	json_decref(rows);
	db_finalize(st);
	sqlb_release(&b);
	return rc < 0 ? rc : 0;
}

int registry_count(struct db *db, const struct entity *e, int64_t area_id, int64_t *n)
{
	struct list_query lq = {0};
	struct validation v;
	struct sqlb b;
	struct db_stmt *st = NULL;
	int rc;

	*n = 0;
	sqlb_init(&b);
	buf_addf(&b.sql, "SELECT COUNT(*) FROM %s t", e->name);
	memset(&v, 0, sizeof(v));
	rc = add_where(&b, e, area_id, &lq, &v);
	if (!rc)
		rc = sqlb_prepare(db, &b, &st);
	if (!rc && db_step(st) == DB_ROW)
		*n = db_column_int64(st, 0);
	db_finalize(st);
	sqlb_release(&b);
	return rc;
}

/* options_of: registry_options, of the given kinds only (units) when
 * kinds is not NULL, in the order of the kinds' names first. */
static int options_of(struct db *db, const struct entity *e, int64_t area_id,
		      const char *const *kinds, int max, json_t **out, int *more)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	int rc, n = 0;

	*out = json_array();
	*more = 0;
	sqlb_init(&b);
	buf_adds(&b.sql, "SELECT t.id, (");
	add_title(&b.sql, e, "t");
	buf_addf(&b.sql, ") FROM %s t WHERE t.area_id = ?%s", e->name,
		 e->archive ? " AND t.archived = 0" : "");
	sqlb_int(&b, area_id);
	if (kinds) {
		buf_adds(&b.sql, " AND t.kind IN (");
		for (int i = 0; kinds[i]; i++) {
			buf_adds(&b.sql, i ? ", ?" : "?");
			sqlb_text(&b, kinds[i]);
		}
		buf_adds(&b.sql, ")");
	}
	add_order(&b.sql, e, kinds ? "t.kind" : NULL);
	buf_adds(&b.sql, " LIMIT ?");
	sqlb_int(&b, max + 1);
	rc = sqlb_prepare(db, &b, &st);
	if (rc)
		goto out;
	while ((rc = db_step(st)) == DB_ROW) {
		if (++n > max) {
			*more = 1;
			break;
		}
		json_array_append_new(*out, json_pack("{s:I,s:s}", "id",
						      (json_int_t)db_column_int64(st, 0), "title",
						      db_column_text(st, 1)));
	}
out:
	db_finalize(st);
	sqlb_release(&b);
	return rc < 0 ? rc : 0;
}

int registry_options(struct db *db, const struct entity *e, int64_t area_id, int max, json_t **out,
		     int *more)
{
	return options_of(db, e, area_id, NULL, max, out, more);
}

int registry_choices(struct db *db, const char *entity, int64_t area_id, const char *const *kinds,
		     int max, json_t **out, int *more)
{
	const struct entity *e = entity_by_name(entity);

	*out = NULL;
	*more = 0;
	if (!e || (kinds && strcmp(entity, "units")))
		return LIN_EINVAL;
	return options_of(db, e, area_id, kinds, max, out, more);
}

int registry_buildings(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", "compound_id", "compound", NULL};
	return db_query_json(
	    db,
	    "SELECT b.id, b.name, c.id, c.name FROM buildings b JOIN compounds c ON"
	    " c.id = b.compound_id WHERE b.area_id = ? AND b.archived = 0"
	    " ORDER BY b.compound_id, b.id",
	    keys, "itit", out, "i", area_id);
}

int registry_place_of(struct db *db, int64_t area_id, int64_t building_id, const char *door,
		      int64_t *compound_id, int64_t *household_id)
{
	int rc = 0;

	*compound_id = *household_id = 0;
	if (!building_id)
		return 0;
	rc = db_query_row(db, "SELECT compound_id FROM buildings WHERE id = ? AND area_id = ?",
			  compound_id, "ii", building_id, area_id);
	if (!rc && door && *door)
		rc = db_query_row(db,
				  "SELECT id FROM households WHERE building_id = ? AND door = ?"
				  " AND area_id = ? AND archived = 0",
				  household_id, "iti", building_id, door, area_id);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

int registry_title(struct db *db, const struct entity *e, int64_t area_id, int64_t id, char *out,
		   size_t n)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	int rc;

	out[0] = '\0';
	sqlb_init(&b);
	buf_adds(&b.sql, "SELECT (");
	add_title(&b.sql, e, "t");
	buf_addf(&b.sql, ") FROM %s t WHERE t.area_id = ? AND t.id = ?", e->name);
	sqlb_int(&b, area_id);
	sqlb_int(&b, id);
	rc = sqlb_prepare(db, &b, &st);
	if (!rc) {
		rc = db_step(st);
		if (rc == DB_ROW)
			snprintf(out, n, "%s", db_column_text(st, 0));
		rc = rc == DB_ROW ? 0 : rc == DB_DONE ? LIN_ENOTFOUND : rc;
	}
	db_finalize(st);
	sqlb_release(&b);
	return rc;
}

/* ---- writing ---- */

/* resolve_refs turns reference titles into ids and checks that every
 * referenced row is live and in the same area. */
static int resolve_refs(struct db *db, const struct entity *e, int64_t area_id, int64_t self_id,
			struct validation *v)
{
	int i = 0, rc = 0;

	for (const struct field *f = e->fields; f->name; f++, i++) {
		struct field_value *fv = &v->v[i];
		const struct entity *ref;
		struct sqlb b;
		struct db_stmt *st = NULL;
		int found = 0;

		if (f->type != FT_REF || !fv->present || fv->is_null)
			continue;
		ref = entity_by_name(f->ref);
		sqlb_init(&b);
		buf_addf(&b.sql, "SELECT t.id FROM %s t WHERE t.area_id = ?", ref->name);
		sqlb_int(&b, area_id);
		if (ref->archive)
			buf_adds(&b.sql, " AND t.archived = 0");
		if (fv->ref_title) {
			buf_adds(&b.sql, " AND (");
			add_title(&b.sql, ref, "t");
			buf_adds(&b.sql, ") = ?");
			sqlb_text(&b, fv->ref_title);
		} else {
			buf_adds(&b.sql, " AND t.id = ?");
			sqlb_int(&b, fv->i);
		}
		buf_adds(&b.sql, " LIMIT 2");
		rc = sqlb_prepare(db, &b, &st);
		while (!rc && db_step(st) == DB_ROW) {
			fv->i = db_column_int64(st, 0);
			found++;
		}
		db_finalize(st);
		sqlb_release(&b);
		if (rc)
			return rc;
		if (found == 0)
			validation_add_error(v, f->name, "err.ref");
		else if (found > 1)
			validation_add_error(v, f->name, "err.ref_ambiguous");
		else if (ref == e && self_id && fv->i == self_id)
			validation_add_error(v, f->name, "err.ref_self");
		else if (ref == e && self_id) {
			/* Walk up from the new parent: meeting this row is a loop. */
			char sql[160];
			int64_t cur = fv->i;
			snprintf(sql, sizeof(sql), "SELECT COALESCE(%s, 0) FROM %s WHERE id = ?",
				 f->name, e->name);
			for (int depth = 0; cur && depth < 100; depth++) {
				if (cur == self_id) {
					validation_add_error(v, f->name, "err.ref_cycle");
					break;
				}
				if (db_query_int64(db, sql, &cur, 1, cur))
					break;
			}
			fv->ref_title = NULL;
		} else
			fv->ref_title = NULL;
	}
	return v->nerr ? LIN_EINVAL : 0;
}

static int write_tags(struct db *db, const struct entity *e, int64_t area_id, int64_t id,
		      struct validation *v)
{
	const struct field *tf = tags_field(e);
	struct field_value *fv;
	struct db_stmt *st = NULL;
	int64_t tag_ids[REG_MAX_TAGS];
	int rc;

	if (!tf)
		return 0;
	fv = &v->v[tf - e->fields];
	if (!fv->present)
		return 0;
	for (int k = 0; k < fv->ntags; k++) {
		rc = db_prepare(db, "SELECT id FROM tags WHERE area_id = ? AND name = ?", &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, area_id);
		db_bind_text(st, 2, fv->tags[k]);
		rc = db_step(st);
		tag_ids[k] = rc == DB_ROW ? db_column_int64(st, 0) : 0;
		db_finalize(st);
		st = NULL;
		if (rc < 0)
			return rc;
		if (!tag_ids[k])
			validation_add_error(v, tf->name, "err.tag_unknown");
	}
	if (v->nerr)
		return LIN_EINVAL;
	rc = db_prepare(db, "DELETE FROM resident_tags WHERE resident_id = ?", &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		return rc;
	for (int k = 0; k < fv->ntags; k++) {
		int dup = 0;
		for (int j = 0; j < k; j++)
			dup |= tag_ids[j] == tag_ids[k];
		if (dup)
			continue;
		rc = db_prepare(db, "INSERT INTO resident_tags (resident_id, tag_id) VALUES (?, ?)",
				&st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, id);
		db_bind_int64(st, 2, tag_ids[k]);
		rc = db_step(st);
		db_finalize(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void bind_value(struct sqlb *b, const struct field *f, const struct field_value *fv)
{
	if (fv->is_null) {
		sqlb_null(b);
		return;
	}
	switch (f->type) {
	case FT_INT:
	case FT_CENTI:
	case FT_BOOL:
	case FT_REF:
		sqlb_int(b, fv->i);
		break;
	default:
		sqlb_text(b, fv->s ? fv->s : "");
	}
}

/* live_row_json: the row as JSON text before a change; LIN_ENOTFOUND when
 * it is not in the area, LIN_EPERM when it is archived (history is kept
 * as it was). */
static int live_row_json(struct db *db, const struct entity *e, int64_t area_id, int64_t id,
			 char **out)
{
	json_t *row = NULL;
	int rc = registry_get(db, e, area_id, id, &row);

	*out = NULL;
	if (rc)
		return rc;
	if (json_is_true(json_object_get(row, "archived"))) {
		json_decref(row);
		return LIN_EPERM;
	}
	*out = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(row);
	return *out ? 0 : LIN_ENOMEM;
}

static char *row_json(struct db *db, const struct entity *e, int64_t area_id, int64_t id)
{
	json_t *row = NULL;
	char *text = NULL;

	if (!registry_get(db, e, area_id, id, &row)) {
		text = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(row);
	}
	return text;
}

static int step_write(struct db *db, struct db_stmt *st, int64_t *id)
{
	int rc = db_step(st);

	if (rc == DB_ROW && id)
		*id = db_column_int64(st, 0);
	if (rc >= 0)
		return 0;
	if (db_error_is_constraint(db))
		return LIN_ECONFLICT;
	log_error("registry: write failed: %s", db_errmsg(db));
	return rc;
}

int registry_insert_row(struct db *db, const struct session *s, const struct entity *e,
			struct validation *v, int64_t *id)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	char *after = NULL;
	int i = 0, rc;

	*id = 0;
	rc = resolve_refs(db, e, s->area_id, 0, v);
	if (rc)
		return rc;
	sqlb_init(&b);
	buf_addf(&b.sql, "INSERT INTO %s (area_id", e->name);
	for (const struct field *f = e->fields; f->name; f++, i++)
		if (f->type != FT_TAGS && v->v[i].present)
			buf_addf(&b.sql, ", %s", f->name);
	buf_adds(&b.sql, ") VALUES (?");
	sqlb_int(&b, s->area_id);
	i = 0;
	for (const struct field *f = e->fields; f->name; f++, i++) {
		if (f->type == FT_TAGS || !v->v[i].present)
			continue;
		buf_adds(&b.sql, ", ?");
		bind_value(&b, f, &v->v[i]);
	}
	buf_adds(&b.sql, ") RETURNING id");
	rc = sqlb_prepare(db, &b, &st);
	if (!rc)
		rc = step_write(db, st, id);
	db_finalize(st);
	sqlb_release(&b);
	if (rc)
		return rc;
	rc = write_tags(db, e, s->area_id, *id, v);
	if (rc)
		return rc;
	after = row_json(db, e, s->area_id, *id);
	rc = audit_append_session(db, s, "create", e->name, *id, NULL, after);
	free(after);
	return rc;
}

int registry_create(struct db *db, const struct session *s, const struct entity *e,
		    struct validation *v, int64_t *id)
{
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = registry_insert_row(db, s, e, v, id);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

int registry_update(struct db *db, const struct session *s, const struct entity *e, int64_t id,
		    struct validation *v)
{
	struct sqlb b;
	struct db_stmt *st = NULL;
	char *before = NULL, *after = NULL;
	int i = 0, rc, nset = 0;

	rc = db_begin(db);
	if (rc)
		return rc;
	rc = live_row_json(db, e, s->area_id, id, &before);
	if (rc)
		goto fail;
	rc = resolve_refs(db, e, s->area_id, id, v);
	if (rc)
		goto fail;
	sqlb_init(&b);
	buf_addf(&b.sql, "UPDATE %s SET ", e->name);
	for (const struct field *f = e->fields; f->name; f++, i++) {
		if (f->type == FT_TAGS || !v->v[i].present)
			continue;
		buf_addf(&b.sql, "%s%s = ?", nset++ ? ", " : "", f->name);
		bind_value(&b, f, &v->v[i]);
	}
	if (nset) {
		buf_adds(&b.sql, " WHERE id = ? AND area_id = ?");
		sqlb_int(&b, id);
		sqlb_int(&b, s->area_id);
		rc = sqlb_prepare(db, &b, &st);
		if (!rc)
			rc = step_write(db, st, NULL);
		db_finalize(st);
	}
	sqlb_release(&b);
	if (rc)
		goto fail;
	rc = write_tags(db, e, s->area_id, id, v);
	if (rc)
		goto fail;
	after = row_json(db, e, s->area_id, id);
	rc = audit_append_session(db, s, "update", e->name, id, before, after);
	if (rc)
		goto fail;
	rc = db_commit(db);
	if (rc)
		goto fail;
	free(before);
	free(after);
	return 0;
fail:
	db_rollback(db);
	free(before);
	free(after);
	return rc;
}

/* live_children counts rows that still point at this one. */
static int live_children(struct db *db, const struct entity *e, int64_t id, int64_t *n)
{
	*n = 0;
	for (int k = 0; k < 3 && e->children[k].entity; k++) {
		const struct entity *c = entity_by_name(e->children[k].entity);
		char sql[256];
		int64_t m;
		int rc;
		snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE %s = ?%s", c->name,
			 e->children[k].field, c->archive ? " AND archived = 0" : "");
		rc = db_query_int64(db, sql, &m, 1, id);
		if (rc)
			return rc;
		*n += m;
	}
	return 0;
}

int registry_remove(struct db *db, const struct session *s, const struct entity *e, int64_t id)
{
	struct db_stmt *st = NULL;
	char *before = NULL, sql[160];
	int64_t children;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = live_row_json(db, e, s->area_id, id, &before);
	if (rc)
		goto fail;
	rc = live_children(db, e, id, &children);
	if (rc)
		goto fail;
	if (children) {
		rc = LIN_ECONFLICT;
		goto fail;
	}
	if (e->archive)
		snprintf(sql, sizeof(sql),
			 "UPDATE %s SET archived = 1 WHERE id = ? AND area_id = ?", e->name);
	else
		snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = ? AND area_id = ?", e->name);
	rc = db_prepare(db, sql, &st);
	if (rc)
		goto fail;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, s->area_id);
	rc = step_write(db, st, NULL);
	db_finalize(st);
	if (rc)
		goto fail;
	rc = audit_append_session(db, s, e->archive ? "archive" : "delete", e->name, id, before,
				  NULL);
	if (rc)
		goto fail;
	rc = db_commit(db);
	if (rc)
		goto fail;
	free(before);
	return 0;
fail:
	db_rollback(db);
	free(before);
	return rc;
}

int registry_restore(struct db *db, const struct session *s, const struct entity *e, int64_t id)
{
	char sql[320];
	int64_t n = 0;
	int rc;

	if (!e->archive)
		return LIN_ENOTFOUND;
	rc = db_begin(db);
	if (rc)
		return rc;
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM %s WHERE id = ? AND area_id = ? AND archived = 1", e->name);
	rc = db_query_int64(db, sql, &n, 2, id, s->area_id);
	if (!rc && !n)
		rc = LIN_ENOTFOUND;
	/* A row whose parent is archived would come back orphaned. */
	for (const struct field *f = e->fields; !rc && f->name; f++) {
		const struct entity *ref = f->type == FT_REF ? entity_by_name(f->ref) : NULL;
		if (!ref || !ref->archive)
			continue;
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM %s r JOIN %s t ON r.id = t.%s WHERE t.id = ?"
			 " AND r.archived = 1",
			 ref->name, e->name, f->name);
		rc = db_query_int64(db, sql, &n, 1, id);
		if (!rc && n)
			rc = LIN_ECONFLICT;
	}
	if (!rc) {
		snprintf(sql, sizeof(sql),
			 "UPDATE %s SET archived = 0 WHERE id = ? AND area_id = ?", e->name);
		rc = db_exec_args(db, sql, NULL, "ii", id, s->area_id);
	}
	if (!rc)
		rc = audit_append_session(db, s, "unarchive", e->name, id, NULL, NULL);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* ---- the home page's figures ---- */

int registry_members_by_branch(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", "kind", "members", NULL};
	return db_query_json(
	    db,
	    /* A branch counts its own members and those of the live branches
	     * under it, two levels down (a general branch over its branches,
	     * a committee over those). The OR of branches cannot use an
	     * index: m.area_id keeps the count to the area's members, not
	     * the district's (35 ms -> 0.6 ms with 50,000 members). */
	    "SELECT b.id, b.name, b.kind, (SELECT COUNT(*) FROM members m"
	    " WHERE m.area_id = b.area_id AND m.archived = 0 AND (m.branch_id = b.id OR"
	    " m.branch_id IN"
	    " (SELECT c.id FROM branches c WHERE c.parent_id = b.id AND c.archived = 0)"
	    " OR m.branch_id IN (SELECT g.id FROM branches g JOIN branches c ON c.id = g.parent_id"
	    " WHERE c.parent_id = b.id AND c.archived = 0 AND g.archived = 0)))"
	    " FROM branches b WHERE b.area_id = ? AND b.archived = 0 ORDER BY b.id",
	    keys, "itti", out, "i", area_id);
}

int registry_units_by_kind(struct db *db, int64_t area_id, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT kind, COUNT(*) FROM units WHERE area_id = ? AND archived = 0"
			    " GROUP BY kind ORDER BY kind",
			    &st);

	*out = json_object();
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		json_object_set_new(*out, db_column_text(st, 0),
				    json_integer(db_column_int64(st, 1)));
		rc = 0;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int registry_residents_by_tag(struct db *db, int64_t area_id, int vulnerable, json_t **out)
{
	static const char *const keys[] = {"tag", "residents", NULL};
	return db_query_json(db,
			     "SELECT t.name, COUNT(r.id) FROM tags t"
			     " LEFT JOIN resident_tags rt ON rt.tag_id = t.id"
			     " LEFT JOIN residents r ON r.id = rt.resident_id AND r.archived = 0"
			     " WHERE t.area_id = ? AND (t.vulnerable = 0 OR ? = 1)"
			     " GROUP BY t.id, t.name ORDER BY t.name",
			     keys, "ti", out, "ii", area_id, (int64_t)(vulnerable != 0));
}

int registry_month(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		   struct registry_month *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_query_row(db, "SELECT COUNT(*) FROM residents WHERE area_id = ? AND archived = 0",
			  &out->residents, "i", area_id);
	if (!rc)
		rc = db_query_row(
		    db, "SELECT COUNT(*) FROM households WHERE area_id = ? AND archived = 0",
		    &out->households, "i", area_id);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM members WHERE area_id = ? AND archived = 0"
				  " AND joined_on <= ?",
				  &out->members, "it", area_id, last_day);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM members WHERE area_id = ? AND archived = 0"
				  " AND joined_on >= ? AND joined_on <= ?",
				  &out->members_new, "itt", area_id, first_day, last_day);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM team_members WHERE area_id = ?"
				  " AND joined_on <= ? AND (left_on IS NULL OR left_on > ?)",
				  &out->team_members, "itt", area_id, last_day, last_day);
	return rc;
}
