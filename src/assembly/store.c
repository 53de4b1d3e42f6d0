/* The assembly's own rows: creating it with its buildings, its matters,
 * and the steps of its life (draft -> published -> open -> closed), each
 * in one transaction with its audit entry. The roll is in roll.c, the
 * ballots in ballots.c. Docs: docs/assembly.md. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY 86400

static const char *const state_names[] = {"draft", "published", "open", "closed", "cancelled"};

const char *assembly_state_name(enum assembly_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s]
									  : "draft";
}

int assembly_state_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (!strcmp(s, state_names[i]))
			return (int)i;
	return -1;
}

int assembly_refuse(const char **why, const char *key, int rc)
{
	if (why)
		*why = key;
	return rc;
}

void assembly_actor(struct db *db, int64_t user_id, char *out, size_t n)
{
	struct db_stmt *st = NULL;

	snprintf(out, n, "cli");
	if (user_id <= 0 || db_prepare(db, "SELECT username FROM users WHERE id = ?", &st))
		return;
	if (!db_bindf(st, "i", user_id) && !db_step_one(st))
		snprintf(out, n, "%s", db_column_text(st, 0));
	db_finalize(st);
}

int assembly_audit(struct db *db, int64_t area_id, int64_t actor_user_id, const char *action,
		   const char *entity, int64_t entity_id, json_t *after)
{
	char actor[128];
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    .user_id = actor_user_id,
	    .actor = actor,
	    .area_id = area_id,
	    .action = action,
	    .entity = entity,
	    .entity_id = entity_id,
	    .after_json = text,
	};
	int rc;

	assembly_actor(db, actor_user_id, actor, sizeof(actor));
	rc = after && !text ? LIN_ENOMEM : audit_append(db, &e);
	free(text);
	return rc;
}

int assembly_finish(struct db *db, int rc)
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

bool assembly_text_ok(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	if (!s || !utf8_valid(s, strlen(s)))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n >= min && n <= max;
}

/* ------------------------------------------------------------ reading */

#define ASSEMBLY_COLS                                                                              \
	"a.id, a.area_id, a.compound_id, a.title, c.name, a.state,"                                \
	" COALESCE(a.published_at, 0), COALESCE(a.objections_until, 0),"                           \
	" COALESCE(a.opens_at, 0), COALESCE(a.closes_at, 0), COALESCE(a.opened_at, 0),"            \
	" COALESCE(a.closed_at, 0), COALESCE(a.result_published_at, 0)"
#define ASSEMBLY_FROM " FROM assemblies a JOIN compounds c ON c.id = a.compound_id"

int assembly_get(struct db *db, int64_t area_id, int64_t id, struct assembly *out)
{
	struct db_stmt *st = NULL;
	int rc, state;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(
	    db, "SELECT " ASSEMBLY_COLS ASSEMBLY_FROM " WHERE a.id = ? AND a.area_id = ?", &st);
	if (!rc)
		rc = db_bindf(st, "ii", id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		out->area_id = db_column_int64(st, 1);
		out->compound_id = db_column_int64(st, 2);
		snprintf(out->title, sizeof(out->title), "%s", db_column_text(st, 3));
		snprintf(out->compound, sizeof(out->compound), "%s", db_column_text(st, 4));
		state = assembly_state_parse(db_column_text(st, 5));
		out->state = state < 0 ? ASSEMBLY_DRAFT : (enum assembly_state)state;
		out->published_at = db_column_int64(st, 6);
		out->objections_until = db_column_int64(st, 7);
		out->opens_at = db_column_int64(st, 8);
		out->closes_at = db_column_int64(st, 9);
		out->opened_at = db_column_int64(st, 10);
		out->closed_at = db_column_int64(st, 11);
		out->result_published_at = db_column_int64(st, 12);
	}
	db_finalize(st);
	return rc;
}

#define LIST_SQL                                                                                   \
	"SELECT a.id, a.title, a.compound_id, c.name, a.state, a.published_at,"                    \
	" a.objections_until, a.opens_at, a.closes_at, a.opened_at, a.closed_at,"                  \
	" a.result_published_at,"                                                                  \
	" (SELECT COUNT(*) FROM assembly_parts p WHERE p.assembly_id = a.id AND p.removed = 0),"   \
	" (SELECT COUNT(DISTINCT p.owner_key) FROM assembly_parts p"                               \
	"  WHERE p.assembly_id = a.id AND p.removed = 0),"                                         \
	" (SELECT COALESCE(SUM(p.area_centi), 0) FROM assembly_parts p"                            \
	"  WHERE p.assembly_id = a.id AND p.removed = 0)" ASSEMBLY_FROM

/* add_area_m2 turns each row's trailing "area_centi" into "area_m2". */
static void add_area_m2(json_t *rows)
{
	size_t i;
	json_t *r;

	json_array_foreach (rows, i, r) {
		struct buf b;
		buf_init(&b, 64);
		tally_area_format(&b, json_integer_value(json_object_get(r, "area_centi")));
		json_object_set_new(r, "area_m2", json_string(b.failed ? "" : b.buf));
		buf_release(&b);
	}
}

static int list_query(struct db *db, const char *where, json_t **out, const char *types, int64_t a,
		      int64_t b)
{
	static const char *const keys[] = {
	    "id",	 "title",	 "compound_id",	     "compound",
	    "state",	 "published_at", "objections_until", "opens_at",
	    "closes_at", "opened_at",	 "closed_at",	     "result_published_at",
	    "parts",	 "owners",	 "area_centi",	     NULL};
	char sql[2048];
	int rc;

	snprintf(sql, sizeof(sql), "%s %s", LIST_SQL, where);
	rc = db_query_json(db, sql, keys, "itittiiiiiiiiii", out, types, a, b);
	if (!rc)
		add_area_m2(*out);
	return rc;
}

int assembly_list_json(struct db *db, int64_t area_id, json_t **out)
{
	return list_query(db, "WHERE a.area_id = ? ORDER BY a.created_at DESC, a.id DESC", out, "i",
			  area_id, 0);
}

int assembly_area_of(struct db *db, int64_t id, int64_t *area_id)
{
	return db_query_row(db, "SELECT area_id FROM assemblies WHERE id = ?", area_id, "i", id);
}

int assembly_json(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	static const char *const bkeys[] = {"id", "name", NULL};
	json_t *rows = NULL, *b = NULL;
	int rc;

	*out = NULL;
	rc = list_query(db, "WHERE a.area_id = ? AND a.id = ?", &rows, "ii", area_id, id);
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = db_query_json(
		    db,
		    "SELECT b.id, b.name FROM buildings b WHERE b.id IN"
		    " (SELECT building_id FROM assembly_buildings WHERE assembly_id = ?)"
		    " ORDER BY b.id",
		    bkeys, "it", &b, "i", id);
	if (!rc) {
		*out = json_incref(json_array_get(rows, 0));
		json_object_set_new(*out, "buildings", b);
		b = NULL;
	}
	json_decref(b);
	json_decref(rows);
	return rc;
}

int assembly_matters_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {"id", "code", "item", "title", "body", NULL};
	size_t i;
	json_t *m;
	int rc = db_query_json(db,
			       "SELECT id, code, item, title, body FROM assembly_matters"
			       " WHERE area_id = ? AND assembly_id = ? ORDER BY position, id",
			       keys, "ititt", out, "ii", area_id, assembly_id);

	if (!rc)
		json_array_foreach (*out, i, m) {
			const char *rule =
			    tally_rule((int)json_integer_value(json_object_get(m, "item")));
			json_object_set_new(m, "rule", json_string(rule ? rule : ""));
		}
	return rc;
}

/* ------------------------------------------------------------ writing */

/* lock_assembly reads assembly id of area_id inside the write transaction. */
static int lock_assembly(struct db *db, int64_t area_id, int64_t id, struct assembly *a,
			 const char **why)
{
	int rc = assembly_get(db, area_id, id, a);

	if (rc == LIN_ENOTFOUND)
		assembly_refuse(why, "assembly.err.not_found", rc);
	return rc;
}

int assembly_roll_changeable(struct db *db, int64_t area_id, int64_t id, bool draft_only,
			     const char **why)
{
	struct assembly a;
	int rc = lock_assembly(db, area_id, id, &a, why);

	if (rc)
		return rc;
	if (a.state == ASSEMBLY_OPEN || a.state == ASSEMBLY_CLOSED)
		return assembly_refuse(why, "assembly.err.frozen", LIN_ECONFLICT);
	if (a.state == ASSEMBLY_CANCELLED)
		return assembly_refuse(why, "assembly.err.cancelled", LIN_ECONFLICT);
	if (draft_only && a.state != ASSEMBLY_DRAFT)
		return assembly_refuse(why, "assembly.err.not_draft", LIN_ECONFLICT);
	return 0;
}

int assembly_create(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t compound_id,
		    const char *title, const int64_t *buildings, size_t nbuildings, int64_t now,
		    int64_t *id, const char **why)
{
	json_t *row, *bl;
	int64_t n = 0;
	int rc;

	*id = 0;
	if (!assembly_text_ok(title, 1, 200))
		return assembly_refuse(why, "assembly.err.title", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT id FROM compounds WHERE id = ? AND area_id = ? AND archived = 0",
			  NULL, "ii", compound_id, area_id);
	if (rc == LIN_ENOTFOUND)
		assembly_refuse(why, "assembly.err.compound", rc = LIN_EINVAL);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO assemblies (area_id, compound_id, title, state,"
				  " created_by, created_at) VALUES (?, ?, ?, 'draft', ?, ?)"
				  " RETURNING id",
				  id, "iitri", area_id, compound_id, title, actor_user_id, now);
	bl = json_array();
	for (size_t i = 0; !rc && i < nbuildings; i++) {
		rc =
		    db_query_int64(db,
				   "SELECT COUNT(*) FROM buildings WHERE id = ? AND compound_id = ?"
				   " AND archived = 0",
				   &n, 2, buildings[i], compound_id);
		if (!rc && n != 1)
			assembly_refuse(why, "assembly.err.building", rc = LIN_EINVAL);
		if (!rc)
			rc =
			    db_exec_args(db,
					 "INSERT INTO assembly_buildings (assembly_id, building_id,"
					 " area_id) VALUES (?, ?, ?)",
					 NULL, "iii", *id, buildings[i], area_id);
		if (rc == LIN_EDB && db_error_is_constraint(db))
			assembly_refuse(why, "assembly.err.building", rc = LIN_EINVAL);
		json_array_append_new(bl, json_integer(buildings[i]));
	}
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s, s:O}", "compound_id", (json_int_t)compound_id,
				"title", title, "state", "draft", "buildings", bl);
		rc = assembly_audit(db, area_id, actor_user_id, "create", "assemblies", *id, row);
		json_decref(row);
	}
	json_decref(bl);
	if (rc)
		*id = 0;
	return assembly_finish(db, rc);
}

/* code_ok: 1..16 of [A-Za-z0-9_-]. */
static bool code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > 16)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

int assembly_matter_add(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			const char *code, int item, const char *title, const char *body,
			int64_t *matter_id, const char **why)
{
	int64_t pos = 0;
	json_t *row;
	int rc;

	*matter_id = 0;
	if (!code_ok(code))
		return assembly_refuse(why, "assembly.err.code", LIN_EINVAL);
	if (item < 1 || item > 9)
		return assembly_refuse(why, "assembly.err.item", LIN_EINVAL);
	if (!assembly_text_ok(title, 1, 200))
		return assembly_refuse(why, "assembly.err.title", LIN_EINVAL);
	if (!assembly_text_ok(body ? body : "", 0, 2000))
		return assembly_refuse(why, "assembly.err.body", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = assembly_roll_changeable(db, area_id, id, false, why);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COALESCE(MAX(position), 0) + 1 FROM assembly_matters"
				    " WHERE assembly_id = ?",
				    &pos, 1, id);
	if (!rc) {
		rc = db_query_row(
		    db,
		    "INSERT INTO assembly_matters (area_id, assembly_id, code, item,"
		    " title, body, position) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    matter_id, "iititti", area_id, id, code, (int64_t)item, title, body ? body : "",
		    pos);
		if (rc == LIN_EDB && db_error_is_constraint(db))
			assembly_refuse(why, "assembly.err.code_taken", rc = LIN_ECONFLICT);
	}
	if (!rc) {
		row = json_pack("{s:I, s:s, s:i, s:s, s:s}", "assembly_id", (json_int_t)id, "code",
				code, "item", item, "title", title, "body", body ? body : "");
		rc = assembly_audit(db, area_id, actor_user_id, "create", "assembly_matters",
				    *matter_id, row);
		json_decref(row);
	}
	return assembly_finish(db, rc);
}

/* set_state writes the assembly's state and times and audits the step. */
static int set_state(struct db *db, const struct assembly *a, int64_t actor_user_id,
		     const char *action)
{
	json_t *row;
	int rc = db_exec_args(
	    db,
	    "UPDATE assemblies SET state = ?, published_at = ?, objections_until = ?,"
	    " opens_at = ?, closes_at = ?, opened_at = ?, closed_at = ?, result_published_at = ?"
	    " WHERE id = ?",
	    NULL, "trrrrrrri", assembly_state_name(a->state), a->published_at, a->objections_until,
	    a->opens_at, a->closes_at, a->opened_at, a->closed_at, a->result_published_at, a->id);

	if (rc)
		return rc;
	row = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "state",
			assembly_state_name(a->state), "published_at", (json_int_t)a->published_at,
			"objections_until", (json_int_t)a->objections_until, "opens_at",
			(json_int_t)a->opens_at, "closes_at", (json_int_t)a->closes_at, "opened_at",
			(json_int_t)a->opened_at, "closed_at", (json_int_t)a->closed_at);
	rc = assembly_audit(db, a->area_id, actor_user_id, action, "assemblies", a->id, row);
	json_decref(row);
	return rc;
}

int assembly_publish(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
		     int64_t published_at, int64_t opens_at, int64_t closes_at, int64_t now,
		     const char **why)
{
	struct assembly a;
	int64_t parts = 0, matters = 0;
	int rc;

	if (!published_at)
		published_at = now;
	if (published_at > now || published_at < 0)
		return assembly_refuse(why, "assembly.err.published_at", LIN_EINVAL);
	if (!opens_at)
		opens_at = published_at + (int64_t)ASSEMBLY_PUBLISH_DAYS * DAY;
	if (opens_at < published_at + (int64_t)ASSEMBLY_PUBLISH_DAYS * DAY)
		return assembly_refuse(why, "assembly.err.opens_at", LIN_EINVAL);
	if (closes_at <= opens_at)
		return assembly_refuse(why, "assembly.err.closes_at", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = lock_assembly(db, area_id, id, &a, why);
	if (!rc && a.state != ASSEMBLY_DRAFT)
		assembly_refuse(why, "assembly.err.not_draft", rc = LIN_ECONFLICT);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM assembly_parts WHERE assembly_id = ?"
				    " AND removed = 0",
				    &parts, 1, id);
	if (!rc && !parts)
		assembly_refuse(why, "assembly.err.roll_empty", rc = LIN_EINVAL);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM assembly_matters WHERE assembly_id = ?",
				    &matters, 1, id);
	if (!rc && !matters)
		assembly_refuse(why, "assembly.err.no_matters", rc = LIN_EINVAL);
	if (!rc) {
		a.state = ASSEMBLY_PUBLISHED;
		a.published_at = published_at;
		a.objections_until = published_at + (int64_t)ASSEMBLY_PUBLISH_DAYS * DAY;
		a.opens_at = opens_at;
		a.closes_at = closes_at;
		rc = set_state(db, &a, actor_user_id, "publish");
	}
	return assembly_finish(db, rc);
}

int assembly_open(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id, int64_t now,
		  const char **why)
{
	struct assembly a;
	int64_t open_objections = 0;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = lock_assembly(db, area_id, id, &a, why);
	if (!rc && a.state != ASSEMBLY_PUBLISHED)
		assembly_refuse(why,
				a.state == ASSEMBLY_DRAFT ? "assembly.err.not_published"
							  : "assembly.err.not_published_state",
				rc = LIN_ECONFLICT);
	if (!rc && now < a.objections_until)
		assembly_refuse(why, "assembly.err.publication", rc = LIN_ECONFLICT);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM assembly_objections WHERE assembly_id = ?"
				    " AND state = 'open'",
				    &open_objections, 1, id);
	if (!rc && open_objections)
		assembly_refuse(why, "assembly.err.objections_open", rc = LIN_ECONFLICT);
	if (!rc && now < a.opens_at)
		assembly_refuse(why, "assembly.err.not_yet", rc = LIN_ECONFLICT);
	if (!rc && now >= a.closes_at)
		assembly_refuse(why, "assembly.err.closed", rc = LIN_ECONFLICT);
	if (!rc) {
		a.state = ASSEMBLY_OPEN;
		a.opened_at = now;
		rc = set_state(db, &a, actor_user_id, "open");
	}
	return assembly_finish(db, rc);
}

int assembly_close(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id, int64_t now,
		   const char **why)
{
	struct assembly a;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = lock_assembly(db, area_id, id, &a, why);
	if (!rc && a.state != ASSEMBLY_OPEN)
		assembly_refuse(why, "assembly.err.not_open", rc = LIN_ECONFLICT);
	if (!rc && now < a.closes_at)
		assembly_refuse(why, "assembly.err.not_closing", rc = LIN_ECONFLICT);
	if (!rc) {
		a.state = ASSEMBLY_CLOSED;
		a.closed_at = now;
		a.result_published_at = now;
		rc = set_state(db, &a, actor_user_id, "close");
	}
	return assembly_finish(db, rc);
}
