/* All the SQL of co-building: each write in its own transaction with its
 * audit entry, and the reads behind the lists, the matching and a unit's
 * year. */
#include "internal.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../events/events.h"
#include "../base/timeutil.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ helpers */

/* audit_write appends the entry for a change of entity id, after being
 * what it became (borrowed), with the session's user as actor (NULL: the
 * command line or the demo). */
static int audit_write(struct db *db, const struct session *s, int64_t area_id, const char *action,
		       const char *entity, int64_t id, json_t *after)
{
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    .user_id = s ? s->user_id : 0,
	    .actor = (s && s->name) ? s->name : "cli",
	    .area_id = area_id,
	    .action = action,
	    .entity = entity,
	    .entity_id = id,
	    .after_json = text,
	};
	int rc = after && !text ? LIN_ENOMEM : audit_append(db, &e);

	free(text);
	return rc;
}

static int finish(struct db *db, int rc)
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

/* in_area: id names a live row of table in the area (table is ours). */
static int in_area(struct db *db, const char *table, int64_t area_id, int64_t id)
{
	char sql[128];
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE area_id = ? AND id = ?", table);
	return id > 0 && !db_query_int64(db, sql, &n, 2, area_id, id) && n > 0;
}

static int64_t actor(const struct session *s)
{
	return s ? s->user_id : 0;
}

/* window_check: from..to two dates, from not after to. */
static const char *window_check(const char *from, const char *to)
{
	int64_t a = cobuild_day(from), b = cobuild_day(to);

	if (a < 0)
		return "cobuild.err.from";
	if (b < 0 || b < a)
		return "cobuild.err.to";
	return NULL;
}

/* ------------------------------------------------------------ writes */

int cobuild_visit_add(struct db *db, const struct session *s, int64_t area_id,
		      const struct visit_in *in, int64_t today, int64_t *id, const char **key)
{
	int64_t day = cobuild_day(in->visited_on);
	json_t *row;
	int rc;

	*key = NULL;
	if (!in_area(db, "units", area_id, in->unit_id))
		*key = "cobuild.err.unit";
	else if (day < 0 || day > today)
		*key = "cobuild.err.visited_on";
	else if (!cobuild_text_ok(in->visitor, 1, COBUILD_TEXT_MAX))
		*key = "cobuild.err.visitor";
	else if (!cobuild_text_ok(in->learned ? in->learned : "", 0, COBUILD_NOTE_MAX))
		*key = "cobuild.err.learned";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO cobuild_visits (area_id, unit_id, visited_on, visitor,"
			  " learned, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
			  " RETURNING id",
			  id, "iitttri", area_id, in->unit_id, in->visited_on, in->visitor,
			  in->learned ? in->learned : "", actor(s), (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s, s:s}", "unit_id", (json_int_t)in->unit_id,
				"visited_on", in->visited_on, "visitor", in->visitor, "learned",
				in->learned ? in->learned : "");
		rc = audit_write(db, s, area_id, "create", "cobuild_visits", *id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

int cobuild_need_add(struct db *db, const struct session *s, int64_t area_id,
		     const struct need_in *in, int64_t *id, const char **key)
{
	json_t *row;
	int rc;

	*key = NULL;
	if (!cobuild_text_ok(in->title, 1, COBUILD_TEXT_MAX))
		*key = "cobuild.err.title";
	else if (!cobuild_kind_valid(in->kind))
		*key = "cobuild.err.kind";
	else if (!cobuild_source_valid(in->source))
		*key = "cobuild.err.source";
	else if (!cobuild_text_ok(in->for_whom ? in->for_whom : "", 0, COBUILD_TEXT_MAX))
		*key = "cobuild.err.for_whom";
	else if ((*key = window_check(in->starts_on, in->ends_on)))
		;
	else if (in->amount < 1 || in->amount > COBUILD_AMOUNT_MAX)
		*key = "cobuild.err.amount";
	else if (in->compound_id && !in_area(db, "compounds", area_id, in->compound_id))
		*key = "cobuild.err.compound";
	else if (in->visit_id && !in_area(db, "cobuild_visits", area_id, in->visit_id))
		*key = "cobuild.err.visit";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO cobuild_needs (area_id, title, kind, source, for_whom,"
			  " starts_on, ends_on, amount, compound_id, visit_id, created_by,"
			  " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			  id, "ittttttirrri", area_id, in->title, in->kind, in->source,
			  in->for_whom ? in->for_whom : "", in->starts_on, in->ends_on, in->amount,
			  in->compound_id, in->visit_id, actor(s), (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "title", in->title, "kind",
				in->kind, "source", in->source, "starts_on", in->starts_on,
				"ends_on", in->ends_on, "amount", (json_int_t)in->amount);
		rc = audit_write(db, s, area_id, "create", "cobuild_needs", *id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

int cobuild_resource_add(struct db *db, const struct session *s, int64_t area_id,
			 const struct resource_in *in, int64_t *id, const char **key)
{
	json_t *row;
	int rc;

	*key = NULL;
	if (!in_area(db, "units", area_id, in->unit_id))
		*key = "cobuild.err.unit";
	else if (!cobuild_text_ok(in->title, 1, COBUILD_TEXT_MAX))
		*key = "cobuild.err.title";
	else if (!cobuild_kind_valid(in->kind))
		*key = "cobuild.err.kind";
	else if ((*key = window_check(in->available_from, in->available_to)))
		;
	else if (in->amount < 1 || in->amount > COBUILD_AMOUNT_MAX)
		*key = "cobuild.err.amount";
	else if (in->compound_id && !in_area(db, "compounds", area_id, in->compound_id))
		*key = "cobuild.err.compound";
	else if (in->visit_id && !in_area(db, "cobuild_visits", area_id, in->visit_id))
		*key = "cobuild.err.visit";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO cobuild_resources (area_id, unit_id, title, kind,"
			  " available_from, available_to, amount, compound_id, visit_id,"
			  " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			  " RETURNING id",
			  id, "iittttirrri", area_id, in->unit_id, in->title, in->kind,
			  in->available_from, in->available_to, in->amount, in->compound_id,
			  in->visit_id, actor(s), (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "unit_id",
				(json_int_t)in->unit_id, "title", in->title, "kind", in->kind,
				"available_from", in->available_from, "available_to",
				in->available_to, "amount", (json_int_t)in->amount);
		rc = audit_write(db, s, area_id, "create", "cobuild_resources", *id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

/* need_state: the need's state into out (LIN_ENOTFOUND outside the area). */
static int need_state(struct db *db, int64_t area_id, int64_t need_id, char out[16])
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db, "SELECT state FROM cobuild_needs WHERE area_id = ? AND id = ?", &st);

	if (!rc)
		rc = db_bindf(st, "ii", area_id, need_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		snprintf(out, 16, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc;
}

int cobuild_claim(struct db *db, const struct session *s, int64_t area_id, int64_t need_id,
		  int64_t unit_id, int64_t resource_id, const char *direction, int64_t now,
		  int64_t *id, const char **key)
{
	int offer = direction && !strcmp(direction, "offer");
	int64_t pending = 0, owner = 0;
	char state[16];
	json_t *row;
	int rc;

	*key = NULL;
	if (!offer && !(direction && !strcmp(direction, "claim")))
		return *key = "cobuild.err.direction", LIN_EINVAL;
	if (!in_area(db, "units", area_id, unit_id))
		return *key = "cobuild.err.unit", LIN_EINVAL;
	if (resource_id &&
	    (db_query_int64(db,
			    "SELECT unit_id FROM cobuild_resources WHERE area_id = ? AND id = ?"
			    " AND withdrawn = 0",
			    &owner, 2, area_id, resource_id) ||
	     owner != unit_id))
		return *key = "cobuild.err.resource", LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	/* Read inside the write transaction: two claims at once see each
	 * other's outcome, never the same open need. */
	rc = db_exec_args(db, "UPDATE cobuild_needs SET state = state WHERE area_id = ? AND id = ?",
			  NULL, "ii", area_id, need_id);
	if (!rc)
		rc = need_state(db, area_id, need_id, state);
	if (rc == LIN_ENOTFOUND)
		*key = "cobuild.err.need";
	else if (!rc && strcmp(state, "open"))
		*key = "cobuild.err.matched", rc = LIN_ECONFLICT;
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM cobuild_claims WHERE area_id = ? AND"
				    " need_id = ? AND unit_id = ? AND state = 'pending'",
				    &pending, 3, area_id, need_id, unit_id);
	if (!rc && pending)
		*key = "cobuild.err.pending", rc = LIN_ECONFLICT;
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO cobuild_claims (area_id, need_id, unit_id,"
				  " resource_id, direction, unit_confirmed, committee_confirmed,"
				  " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
				  " RETURNING id",
				  id, "iiirtiiri", area_id, need_id, unit_id, resource_id,
				  offer ? "offer" : "claim", (int64_t)!offer, (int64_t)offer,
				  actor(s), now);
	if (!rc) {
		row = json_pack("{s:I, s:I, s:I, s:s}", "need_id", (json_int_t)need_id, "unit_id",
				(json_int_t)unit_id, "resource_id", (json_int_t)resource_id,
				"direction", offer ? "offer" : "claim");
		rc = audit_write(db, s, area_id, "create", "cobuild_claims", *id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

/* form_project: the project of need_id (formed when missing) joined by
 * unit_id with resource_id, inside the caller's transaction. */
static int form_project(struct db *db, const struct session *s, int64_t area_id, int64_t need_id,
			int64_t unit_id, int64_t resource_id, int64_t now, int64_t *project_id)
{
	int rc =
	    db_query_int64(db, "SELECT id FROM cobuild_projects WHERE area_id = ? AND need_id = ?",
			   project_id, 2, area_id, need_id);
	json_t *row;

	if (rc == LIN_ENOTFOUND) {
		rc = db_query_row(
		    db,
		    "INSERT INTO cobuild_projects (area_id, need_id, title, created_at)"
		    " SELECT area_id, id, title, CAST(? AS BIGINT) FROM cobuild_needs WHERE id = ?"
		    " RETURNING id",
		    project_id, "ii", now, need_id);
		if (!rc) {
			row = json_pack("{s:I}", "need_id", (json_int_t)need_id);
			rc = audit_write(db, s, area_id, "create", "cobuild_projects", *project_id,
					 row);
			json_decref(row);
		}
	}
	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO cobuild_project_resources (area_id, project_id,"
				  " unit_id, resource_id) VALUES (?, ?, ?, ?)",
				  NULL, "iiir", area_id, *project_id, unit_id, resource_id);
	return rc;
}

int cobuild_confirm(struct db *db, const struct session *s, int64_t area_id, int64_t claim_id,
		    const char *side, int64_t as_unit, int64_t now, int64_t *project_id,
		    const char **key)
{
	struct db_stmt *st = NULL;
	int64_t need_id = 0, unit_id = 0, resource_id = 0, by_unit = 0, by_committee = 0;
	int unit_side = side && !strcmp(side, "unit");
	char claim_state[16] = "", state[16] = "";
	json_t *row;
	int rc;

	*key = NULL;
	*project_id = 0;
	if (!unit_side && !(side && !strcmp(side, "committee")))
		return *key = "cobuild.err.direction", LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_prepare(db,
			"SELECT need_id, unit_id, resource_id, unit_confirmed, committee_confirmed,"
			" state FROM cobuild_claims WHERE area_id = ? AND id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", area_id, claim_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		need_id = db_column_int64(st, 0);
		unit_id = db_column_int64(st, 1);
		resource_id = db_column_int64(st, 2);
		by_unit = db_column_int64(st, 3);
		by_committee = db_column_int64(st, 4);
		snprintf(claim_state, sizeof(claim_state), "%s", db_column_text(st, 5));
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		*key = "cobuild.err.claim";
	else if (!rc && unit_side && as_unit != unit_id)
		*key = "cobuild.err.not_yours", rc = LIN_EPERM;
	else if (!rc && strcmp(claim_state, "pending"))
		*key = "cobuild.err.matched", rc = LIN_ECONFLICT;
	/* Hold the need's row (PostgreSQL: a second confirmation of another
	 * claim waits here, then reads the need matched). */
	if (!rc)
		rc = db_exec_args(db, "UPDATE cobuild_needs SET state = state WHERE id = ?", NULL,
				  "i", need_id);
	if (!rc)
		rc = need_state(db, area_id, need_id, state);
	if (!rc && strcmp(state, "open"))
		*key = "cobuild.err.matched", rc = LIN_ECONFLICT;
	if (rc)
		return finish(db, rc);
	if (unit_side)
		by_unit = 1;
	else
		by_committee = 1;
	rc = db_exec_args(db,
			  "UPDATE cobuild_claims SET unit_confirmed = ?, committee_confirmed = ?,"
			  " state = ?, matched_at = ? WHERE id = ?",
			  NULL, "iitri", by_unit, by_committee,
			  by_unit && by_committee ? "matched" : "pending",
			  by_unit && by_committee ? now : 0, claim_id);
	if (!rc && by_unit && by_committee) {
		rc = db_exec_args(db, "UPDATE cobuild_needs SET state = 'matched' WHERE id = ?",
				  NULL, "i", need_id);
		if (!rc)
			rc = db_exec_args(db,
					  "UPDATE cobuild_claims SET state = 'withdrawn' WHERE"
					  " need_id = ? AND state = 'pending' AND id <> ?",
					  NULL, "ii", need_id, claim_id);
		if (!rc)
			rc = form_project(db, s, area_id, need_id, unit_id, resource_id, now,
					  project_id);
	}
	if (!rc) {
		row = json_pack("{s:s, s:b, s:b, s:I}", "side", unit_side ? "unit" : "committee",
				"unit_confirmed", (int)by_unit, "committee_confirmed",
				(int)by_committee, "project_id", (json_int_t)*project_id);
		rc = audit_write(db, s, area_id, "confirm", "cobuild_claims", claim_id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

int cobuild_project_minutes(struct db *db, const struct session *s, int64_t area_id,
			    int64_t project_id, int64_t unit_id, int64_t minutes, int done,
			    const char **key)
{
	int64_t changed = 0;
	char today[11];
	json_t *row;
	int rc;

	*key = NULL;
	if (minutes < 0 || minutes > 100000)
		return *key = "cobuild.err.minutes", LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE cobuild_project_resources SET volunteer_minutes = ? WHERE"
			  " area_id = ? AND project_id = ? AND unit_id = ?",
			  &changed, "iiii", minutes, area_id, project_id, unit_id);
	if (!rc && !changed)
		*key = "cobuild.err.project", rc = LIN_ENOTFOUND;
	if (!rc && done) {
		int64_t day = cobuild_today(), n = 0;
		int y, m, d;
		lin_civil_from_days(day, &y, &m, &d);
		snprintf(today, sizeof(today), "%04d-%02d-%02d", y, m, d);
		rc = db_exec_args(db,
				  "UPDATE cobuild_projects SET state = 'done', done_on = ? WHERE"
				  " area_id = ? AND id = ? AND state = 'running'",
				  &n, "tii", today, area_id, project_id);
		if (!rc && n)
			rc = db_exec_args(db,
					  "UPDATE cobuild_needs SET state = 'done' WHERE id ="
					  " (SELECT need_id FROM cobuild_projects WHERE id = ?)",
					  NULL, "i", project_id);
	}
	if (!rc) {
		row = json_pack("{s:I, s:I, s:b}", "unit_id", (json_int_t)unit_id, "minutes",
				(json_int_t)minutes, "done", done);
		rc = audit_write(db, s, area_id, "update", "cobuild_projects", project_id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

int cobuild_liaison_link(struct db *db, const struct session *s, int64_t area_id,
			 const char *username, int64_t unit_id, const char **key)
{
	int64_t user_id = 0;
	json_t *row;
	int rc;

	*key = NULL;
	if (!username ||
	    db_query_row(db, "SELECT id FROM users WHERE username = ?", &user_id, "t", username))
		return *key = "cobuild.err.user", LIN_ENOTFOUND;
	if (unit_id && !in_area(db, "units", area_id, unit_id))
		return *key = "cobuild.err.unit", LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db, "DELETE FROM unit_liaisons WHERE area_id = ? AND user_id = ?", NULL,
			  "ii", area_id, user_id);
	if (!rc && unit_id)
		rc =
		    db_exec_args(db,
				 "INSERT INTO unit_liaisons (area_id, user_id, unit_id, created_at)"
				 " VALUES (?, ?, ?, ?)",
				 NULL, "iiii", area_id, user_id, unit_id, (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:s, s:I}", "username", username, "unit_id", (json_int_t)unit_id);
		rc = audit_write(db, s, area_id, unit_id ? "link" : "unlink", "unit_liaisons",
				 user_id, row);
		json_decref(row);
	}
	return finish(db, rc);
}

/* ------------------------------------------------------------ reads */

int cobuild_liaison_unit(struct db *db, int64_t area_id, int64_t user_id, int64_t *unit_id)
{
	return db_query_int64(db,
			      "SELECT unit_id FROM unit_liaisons WHERE area_id = ? AND user_id = ?",
			      unit_id, 2, area_id, user_id);
}

int cobuild_liaisons_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"user_id", "username", "unit_id", "unit", NULL};
	return db_query_json(db,
			     "SELECT l.user_id, u.username, l.unit_id, n.name FROM unit_liaisons l"
			     " JOIN users u ON u.id = l.user_id JOIN units n ON n.id = l.unit_id"
			     " WHERE l.area_id = ? ORDER BY n.name, u.username",
			     keys, "itit", out, "i", area_id);
}

int cobuild_units_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", "kind", NULL};
	return db_query_json(db,
			     "SELECT id, name, kind FROM units WHERE area_id = ? AND archived = 0"
			     " ORDER BY id",
			     keys, "itt", out, "i", area_id);
}

int cobuild_compounds_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", NULL};
	return db_query_json(db, "SELECT id, name FROM compounds WHERE area_id = ? ORDER BY id",
			     keys, "it", out, "i", area_id);
}

int cobuild_unit_get(struct db *db, int64_t area_id, int64_t unit_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", "kind", "address", "contact", NULL};
	json_t *rows = NULL;
	int rc =
	    db_query_json(db,
			  "SELECT id, name, kind, address, contact FROM units WHERE area_id = ?"
			  " AND id = ?",
			  keys, "itttt", &rows, "ii", area_id, unit_id);

	*out = NULL;
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

#define NEED_COLS                                                                                  \
	"n.id, n.title, n.kind, n.source, n.for_whom, n.starts_on, n.ends_on, n.amount,"           \
	" n.compound_id, COALESCE(c.name, ''), n.state, n.visit_id,"                               \
	" (SELECT p.id FROM cobuild_projects p WHERE p.need_id = n.id)"
static const char *const need_keys[] = {
    "id",     "title",	     "kind",	 "source", "for_whom", "starts_on",  "ends_on",
    "amount", "compound_id", "compound", "state",  "visit_id", "project_id", NULL};

int cobuild_needs_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out)
{
	if (unit_id)
		return db_query_json(
		    db,
		    "SELECT " NEED_COLS " FROM cobuild_needs n LEFT JOIN compounds c ON"
		    " c.id = n.compound_id WHERE n.area_id = ? AND (n.state = 'open' OR EXISTS"
		    " (SELECT 1 FROM cobuild_claims k WHERE k.need_id = n.id AND k.unit_id = ?))"
		    " ORDER BY n.state <> 'open', n.starts_on, n.id",
		    need_keys, "ittttttiittii", out, "ii", area_id, unit_id);
	return db_query_json(db,
			     "SELECT " NEED_COLS " FROM cobuild_needs n LEFT JOIN compounds c ON"
			     " c.id = n.compound_id WHERE n.area_id = ? ORDER BY n.state <> "
			     "'open', n.starts_on, n.id",
			     need_keys, "ittttttiittii", out, "i", area_id);
}

#define RESOURCE_COLS                                                                              \
	"r.id, r.unit_id, u.name, r.title, r.kind, r.available_from, r.available_to, r.amount,"    \
	" r.compound_id, COALESCE(c.name, ''), r.visit_id"
static const char *const resource_keys[] = {
    "id",	    "unit_id", "unit",	      "title",	  "kind",     "available_from",
    "available_to", "amount",  "compound_id", "compound", "visit_id", NULL};
#define RESOURCE_TYPES "iitttttiiti"

int cobuild_resources_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out)
{
	return db_query_json(db,
			     "SELECT " RESOURCE_COLS " FROM cobuild_resources r JOIN units u ON"
			     " u.id = r.unit_id LEFT JOIN compounds c ON c.id = r.compound_id"
			     " WHERE r.area_id = ? AND r.withdrawn = 0 AND (? = 0 OR r.unit_id = ?)"
			     " ORDER BY r.available_from, r.id",
			     resource_keys, RESOURCE_TYPES, out, "iii", area_id, unit_id, unit_id);
}

/* units_of_projects adds to each project {units: [{unit_id, unit,
 * resource_id, resource, volunteer_minutes}]}. */
static int units_of_projects(struct db *db, int64_t area_id, json_t *projects)
{
	static const char *const keys[] = {"unit_id",		"unit", "resource_id", "resource",
					   "volunteer_minutes", NULL};
	size_t i;
	json_t *p;
	int rc = 0;

	json_array_foreach (projects, i, p) {
		json_t *units = NULL;
		rc = db_query_json(
		    db,
		    "SELECT pr.unit_id, u.name, pr.resource_id, COALESCE(r.title, ''),"
		    " pr.volunteer_minutes FROM cobuild_project_resources pr JOIN"
		    " units u ON u.id = pr.unit_id LEFT JOIN cobuild_resources r ON"
		    " r.id = pr.resource_id WHERE pr.area_id = ? AND pr.project_id = ?"
		    " ORDER BY pr.id",
		    keys, "ititi", &units, "ii", area_id,
		    (int64_t)json_integer_value(json_object_get(p, "id")));
		if (rc) {
			json_decref(units);
			return rc;
		}
		json_object_set_new(p, "units", units);
	}
	return rc;
}

int cobuild_projects_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out)
{
	static const char *const keys[] = {"id",      "need_id", "title",  "state", "created_at",
					   "done_on", "kind",	 "amount", NULL};
	int rc = db_query_json(db,
			       "SELECT p.id, p.need_id, p.title, p.state, p.created_at,"
			       " COALESCE(p.done_on, ''), n.kind, n.amount FROM cobuild_projects p"
			       " JOIN cobuild_needs n ON n.id = p.need_id WHERE p.area_id = ? AND"
			       " (? = 0 OR EXISTS (SELECT 1 FROM cobuild_project_resources pr WHERE"
			       " pr.project_id = p.id AND pr.unit_id = ?)) ORDER BY p.id DESC",
			       keys, "iittitti", out, "iii", area_id, unit_id, unit_id);

	return rc ? rc : units_of_projects(db, area_id, *out);
}

int cobuild_claims_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",	   "need_id",	 "need",      "unit_id",	"unit",
	    "resource_id", "resource",	 "direction", "unit_confirmed", "committee_confirmed",
	    "state",	   "created_at", NULL};
	return db_query_json(
	    db,
	    "SELECT k.id, k.need_id, n.title, k.unit_id, u.name, k.resource_id,"
	    " COALESCE(r.title, ''), k.direction, k.unit_confirmed, k.committee_confirmed,"
	    " k.state, k.created_at FROM cobuild_claims k JOIN cobuild_needs n ON n.id ="
	    " k.need_id JOIN units u ON u.id = k.unit_id LEFT JOIN cobuild_resources r ON r.id ="
	    " k.resource_id WHERE k.area_id = ? AND (? = 0 OR k.unit_id = ?) ORDER BY"
	    " k.state <> 'pending', k.id DESC",
	    keys, "iititittbbti", out, "iii", area_id, unit_id, unit_id);
}

int cobuild_visits_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out)
{
	static const char *const keys[] = {"id",      "unit_id", "unit", "visited_on",
					   "visitor", "learned", NULL};
	return db_query_json(
	    db,
	    "SELECT v.id, v.unit_id, u.name, v.visited_on, v.visitor, v.learned"
	    " FROM cobuild_visits v JOIN units u ON u.id = v.unit_id WHERE"
	    " v.area_id = ? AND (? = 0 OR v.unit_id = ?) ORDER BY v.visited_on DESC,"
	    " v.id DESC",
	    keys, "iitttt", out, "iii", area_id, unit_id, unit_id);
}

/* year_of: the year of a YYYY-MM-DD, 0 when malformed. */
static int year_of(const char *day)
{
	int64_t d = cobuild_day(day);
	int y = 0, m, dd;

	if (d >= 0)
		lin_civil_from_days(d, &y, &m, &dd);
	return y;
}

/* of_year: keeps the rows of arr whose field (a YYYY-MM-DD) is in year. */
static json_t *of_year(json_t *arr, const char *field, int year)
{
	json_t *kept = json_array(), *o;
	char prefix[8];
	size_t i;

	snprintf(prefix, sizeof(prefix), "%04d-", year);
	json_array_foreach (arr, i, o) {
		const char *v = json_string_value(json_object_get(o, field));
		if (v && !strncmp(v, prefix, 5))
			json_array_append(kept, o);
	}
	json_decref(arr);
	return kept;
}

int cobuild_unit_year(struct db *db, int64_t area_id, int64_t unit_id, int year, json_t **out)
{
	json_t *unit = NULL, *visits = NULL, *resources = NULL, *projects = NULL, *p;
	int64_t minutes = 0, ystart = lin_days_from_civil(year, 1, 1) * 86400 - 8 * 3600,
		yend = lin_days_from_civil(year + 1, 1, 1) * 86400 - 8 * 3600;
	json_t *kept;
	size_t i, j;
	int rc;

	*out = NULL;
	rc = cobuild_unit_get(db, area_id, unit_id, &unit);
	if (!rc)
		rc = cobuild_visits_json(db, area_id, unit_id, &visits);
	if (!rc)
		rc = cobuild_resources_json(db, area_id, unit_id, &resources);
	if (!rc)
		rc = cobuild_projects_json(db, area_id, unit_id, &projects);
	if (rc) {
		json_decref(unit);
		json_decref(visits);
		json_decref(resources);
		json_decref(projects);
		return rc;
	}
	visits = of_year(visits, "visited_on", year);
	/* A resource counts in the years its window touches. */
	kept = json_array();
	json_array_foreach (resources, i, p) {
		const char *from = json_string_value(json_object_get(p, "available_from"));
		const char *to = json_string_value(json_object_get(p, "available_to"));
		if (year_of(from) <= year && year_of(to) >= year)
			json_array_append(kept, p);
	}
	json_decref(resources);
	resources = kept;
	/* A project counts in the year it was formed; the minutes are the
	 * unit's own on it. */
	kept = json_array();
	json_array_foreach (projects, i, p) {
		int64_t at = json_integer_value(json_object_get(p, "created_at"));
		json_t *u;
		if (at < ystart || at >= yend)
			continue;
		json_array_foreach (json_object_get(p, "units"), j, u) {
			if (json_integer_value(json_object_get(u, "unit_id")) == unit_id)
				minutes +=
				    json_integer_value(json_object_get(u, "volunteer_minutes"));
		}
		json_array_append(kept, p);
	}
	json_decref(projects);
	/* the events the unit organised that year: attendance and feedback */
	struct events_stats ev = {0};
	rc = events_unit_stats(db, area_id, unit_id, ystart, yend, &ev);
	if (rc) {
		json_decref(unit), json_decref(visits), json_decref(resources), json_decref(kept);
		return rc;
	}
	*out = json_pack("{s:o, s:i, s:o, s:o, s:o, s:I, s:{s:i, s:i, s:i, s:i, s:i, s:i}}", "unit",
			 unit, "year", year, "visits", visits, "resources", resources, "projects",
			 kept, "minutes", (json_int_t)minutes, "events", "held", ev.events,
			 "registered", ev.registered, "attended", ev.attended, "no_shows",
			 ev.no_shows, "ratings", ev.ratings, "rating_sum", ev.rating_sum);
	return *out ? 0 : LIN_ENOMEM;
}

int cobuild_resident_json(struct db *db, int64_t area_id, int64_t user_id, json_t **out)
{
	static const char *const keys[] = {"id",     "title", "kind",	    "starts_on", "ends_on",
					   "amount", "state", "project_id", NULL};
	json_t *needs = NULL, *n;
	size_t i;
	int rc = db_query_json(db,
			       "SELECT n.id, n.title, n.kind, n.starts_on, n.ends_on, n.amount,"
			       " n.state, p.id FROM cobuild_needs n LEFT JOIN cobuild_projects p ON"
			       " p.need_id = n.id WHERE n.area_id = ? AND n.created_by = ? ORDER BY"
			       " n.id DESC",
			       keys, "itttttti", &needs, "ii", area_id, user_id);

	*out = NULL;
	/* The units that took it up, for "who helps". */
	json_array_foreach (needs, i, n) {
		static const char *const ukeys[] = {"unit", NULL};
		json_t *units = NULL;
		if (rc)
			break;
		rc = db_query_json(db,
				   "SELECT u.name FROM cobuild_project_resources pr JOIN units u ON"
				   " u.id = pr.unit_id WHERE pr.project_id = ? ORDER BY pr.id",
				   ukeys, "t", &units, "i",
				   (int64_t)json_integer_value(json_object_get(n, "project_id")));
		json_object_set_new(n, "units", units ? units : json_array());
	}
	if (rc) {
		json_decref(needs);
		return rc;
	}
	*out = json_pack("{s:o}", "needs", needs);
	return 0;
}

/* ------------------------------------------------------------ matching */

int cobuild_proposals(struct db *db, int64_t area_id, int64_t now, json_t **out)
{
	static const char *const ask_keys[] = {"unit_id", "asks", NULL};
	json_t *needs = NULL, *resources = NULL, *asks = NULL, *n, *r;
	struct match_resource *res = NULL;
	size_t i, j, count;
	int rc;

	*out = NULL;
	rc = cobuild_needs_json(db, area_id, 0, &needs);
	if (!rc)
		rc = cobuild_resources_json(db, area_id, 0, &resources);
	/* Spread the load: how often each unit was asked in the last days. */
	if (!rc)
		rc = db_query_json(
		    db,
		    "SELECT unit_id, COUNT(*) FROM cobuild_claims WHERE area_id = ? AND"
		    " created_at >= ? GROUP BY unit_id",
		    ask_keys, "ii", &asks, "ii", area_id, now - (int64_t)COBUILD_LOAD_DAYS * 86400);
	count = json_array_size(resources);
	if (!rc && count && !(res = calloc(count, sizeof(*res))))
		rc = LIN_ENOMEM;
	if (rc)
		goto out;
	json_array_foreach (resources, i, r) {
		json_t *a;
		res[i].id = json_integer_value(json_object_get(r, "id"));
		res[i].unit_id = json_integer_value(json_object_get(r, "unit_id"));
		res[i].kind = json_string_value(json_object_get(r, "kind"));
		res[i].from = cobuild_day(json_string_value(json_object_get(r, "available_from")));
		res[i].to = cobuild_day(json_string_value(json_object_get(r, "available_to")));
		res[i].amount = json_integer_value(json_object_get(r, "amount"));
		res[i].compound_id = json_integer_value(json_object_get(r, "compound_id"));
		json_array_foreach (asks, j, a) {
			if (json_integer_value(json_object_get(a, "unit_id")) == res[i].unit_id)
				res[i].asks = (int)json_integer_value(json_object_get(a, "asks"));
		}
	}
	*out = json_array();
	json_array_foreach (needs, i, n) {
		struct match_need m = {0};
		struct match_score sc;
		int best;

		if (strcmp(json_string_value(json_object_get(n, "state")), "open"))
			continue;
		m.id = json_integer_value(json_object_get(n, "id"));
		m.kind = json_string_value(json_object_get(n, "kind"));
		m.from = cobuild_day(json_string_value(json_object_get(n, "starts_on")));
		m.to = cobuild_day(json_string_value(json_object_get(n, "ends_on")));
		m.amount = json_integer_value(json_object_get(n, "amount"));
		m.compound_id = json_integer_value(json_object_get(n, "compound_id"));
		best = cobuild_best(&m, res, (int)count, &sc);
		json_array_append_new(
		    *out,
		    json_pack("{s:O, s:O, s:{s:i, s:i, s:i, s:i, s:i, s:i, s:I, s:I, s:i, s:i}}",
			      "need", n, "resource",
			      best >= 0 ? json_array_get(resources, (size_t)best) : json_null(),
			      "score", "total", sc.total, "kind", sc.kind, "time", sc.time,
			      "capacity", sc.capacity, "distance", sc.distance, "load", sc.load,
			      "overlap_days", (json_int_t)sc.overlap_days, "need_days",
			      (json_int_t)sc.need_days, "same_compound", sc.same_compound, "asks",
			      best >= 0 ? res[best].asks : 0));
	}
out:
	free(res);
	json_decref(needs);
	json_decref(resources);
	json_decref(asks);
	return rc;
}
