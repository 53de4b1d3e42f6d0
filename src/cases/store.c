/* The cases feature's SQL; see store.h. Every change runs in one
 * transaction with its timeline event and its audit entry. */
#include "store.h"
#include "../base/buf.h"
#include "../base/timeutil.h"
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
#include <time.h>

#define SHANGHAI_OFFSET LIN_SHANGHAI_OFFSET

/* ---- small helpers ---- */

static json_t *col_int_or_null(struct db_stmt *st, int col)
{
	return db_column_is_null(st, col) ? json_null() : json_integer(db_column_int64(st, col));
}

int case_calendar(struct db *db, struct workday_calendar *cal)
{
	struct db_stmt *st = NULL;
	int32_t *off = NULL, *work = NULL;
	int noff = 0, nwork = 0, cap = 0, rc;

	memset(cal, 0, sizeof(*cal));
	cal->utc_offset = SHANGHAI_OFFSET;
	rc = db_prepare(db, "SELECT day, kind FROM holidays ORDER BY day", &st);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int y, m, d;
		if (parse_date(db_column_text(st, 0), &y, &m, &d))
			continue;
		if (noff + nwork >= cap) {
			int ncap = cap ? cap * 2 : 64;
			int32_t *a = realloc(off, (size_t)ncap * sizeof(*a));
			if (!a)
				goto nomem;
			off = a;
			int32_t *b = realloc(work, (size_t)ncap * sizeof(*b));
			if (!b)
				goto nomem;
			work = b;
			cap = ncap;
		}
		if (!strcmp(db_column_text(st, 1), "work"))
			work[nwork++] = case_day_number(y, m, d);
		else
			off[noff++] = case_day_number(y, m, d);
	}
	db_finalize(st);
	cal->off = off;
	cal->noff = noff;
	cal->work = work;
	cal->nwork = nwork;
	return rc < 0 ? rc : 0;
nomem:
	db_finalize(st);
	free(off);
	free(work);
	return LIN_ENOMEM;
}

void case_calendar_release(struct workday_calendar *cal)
{
	free((void *)cal->off);
	free((void *)cal->work);
	memset(cal, 0, sizeof(*cal));
}

/* ---- categories ---- */

int case_category_get(struct db *db, int64_t area_id, const char *code, struct case_category *out)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db,
			"SELECT id, code, private, COALESCE(handler_team_id, 0),"
			" COALESCE(agency_unit_id, 0), resolve_days, questions FROM case_categories"
			" WHERE area_id = ? AND code = ? AND archived = 0",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_text(st, 2, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		snprintf(out->code, sizeof(out->code), "%s", db_column_text(st, 1));
		out->private_ = (int)db_column_int64(st, 2);
		out->handler_team_id = db_column_int64(st, 3);
		out->agency_unit_id = db_column_int64(st, 4);
		out->resolve_days = (int)db_column_int64(st, 5);
		out->questions = json_loads(db_column_text(st, 6), 0, NULL);
		if (!json_is_array(out->questions)) {
			json_decref(out->questions);
			out->questions = json_array();
		}
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = LIN_ENOTFOUND;
	}
	db_finalize(st);
	return rc;
}

void case_category_release(struct case_category *c)
{
	json_decref(c->questions);
	c->questions = NULL;
}

int case_categories(struct db *db, int64_t area_id, int public_only, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = db_prepare(db,
			"SELECT c.id, c.code, c.name_zh, c.name_en, c.description, c.private,"
			" c.resolve_days, c.questions, c.handler_team_id, t.name, c.agency_unit_id,"
			" u.name, c.emergency FROM case_categories c"
			" LEFT JOIN teams t ON t.id = c.handler_team_id"
			" LEFT JOIN units u ON u.id = c.agency_unit_id"
			" WHERE c.area_id = ? AND c.archived = 0 AND (c.private = 0 OR ? = 0)"
			" ORDER BY c.sort_order, c.id",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, public_only);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *q = json_loads(db_column_text(st, 7), 0, NULL);
		json_array_append_new(
		    *out, json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:I,s:o,s:o,s:s?,s:o,s:s?}", "id",
				    (json_int_t)db_column_int64(st, 0), "code",
				    db_column_text(st, 1), "name_zh", db_column_text(st, 2),
				    "name_en", db_column_text(st, 3), "description",
				    db_column_text(st, 4), "private", (int)db_column_int64(st, 5),
				    "resolve_days", (json_int_t)db_column_int64(st, 6), "questions",
				    json_is_array(q) ? q : json_array(), "handler_team_id",
				    col_int_or_null(st, 8), "handler_team",
				    db_column_is_null(st, 9) ? NULL : db_column_text(st, 9),
				    "agency_unit_id", col_int_or_null(st, 10), "agency",
				    db_column_is_null(st, 11) ? NULL : db_column_text(st, 11)));
		json_object_set_new(json_array_get(*out, json_array_size(*out) - 1), "emergency",
				    json_boolean(db_column_int64(st, 12)));
		if (!json_is_array(q))
			json_decref(q);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* ---- reading cases ---- */

#define CASE_COLUMNS                                                                               \
	"c.id, c.tracking_code, c.state, c.complex, c.description, c.compound_id,"                 \
	" c.building_id, c.household_id, c.plan_x, c.plan_y, c.lat_e6, c.lon_e6, c.address,"       \
	" c.reporter_name, c.reporter_phone, c.reporter_email, c.channel, c.answers,"              \
	" c.handler_team_id, c.handler_user_id, c.agency_unit_id, c.duplicate_of, c.public_note,"  \
	" c.created_at, c.updated_at, c.accepted_at, c.resolved_at, c.closed_at, c.accept_due,"    \
	" c.resolve_due, c.recurrences, c.rating, c.rating_comment, k.code, k.name_zh, k.name_en," \
	" k.private, cp.name, b.name, h.door, t.name, u.username, a.name, c.category_id, "         \
	"c.rated_at, c.subject_team_id"
#define CASE_FROM                                                                                  \
	" FROM cases c JOIN case_categories k ON k.id = c.category_id"                             \
	" LEFT JOIN compounds cp ON cp.id = c.compound_id"                                         \
	" LEFT JOIN buildings b ON b.id = c.building_id"                                           \
	" LEFT JOIN households h ON h.id = c.household_id"                                         \
	" LEFT JOIN teams t ON t.id = c.handler_team_id"                                           \
	" LEFT JOIN users u ON u.id = c.handler_user_id"                                           \
	" LEFT JOIN units a ON a.id = c.agency_unit_id"

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_column_is_null(st, col) ? json_null() : json_string(db_column_text(st, col));
}

/* overdue: past the acceptance deadline while not accepted, or past the
 * resolution deadline while open. */
static int case_overdue(const char *state, int64_t accept_due, int64_t resolve_due, int64_t now)
{
	enum case_state s;
	if (case_state_from_name(state, &s))
		return 0;
	if (case_state_awaits_acceptance(s) && now > accept_due)
		return 1;
	return case_state_open(s) && now > resolve_due;
}

/* overdue_sql appends case_overdue as SQL over the columns of prefix
 * ("c." or ""), with two parameters, now and now; the state sets come
 * from the model. */
static void overdue_sql(struct buf *sql, const char *prefix)
{
	char awaiting[256], open[256];

	if (case_states_sql(case_state_awaits_acceptance, awaiting, sizeof(awaiting)) ||
	    case_states_sql(case_state_open, open, sizeof(open))) {
		sql->failed = 1;
		return;
	}
	buf_addf(
	    sql,
	    "((%sstate IN (%s) AND %saccept_due < ?) OR (%sstate IN (%s) AND %sresolve_due < ?))",
	    prefix, awaiting, prefix, prefix, open, prefix);
}

static json_t *read_case(struct db_stmt *st, int64_t now)
{
	json_t *o = json_object(), *answers = json_loads(db_column_text(st, 17), 0, NULL);
	const char *state = db_column_text(st, 2);
	int64_t accept_due = db_column_int64(st, 28), resolve_due = db_column_int64(st, 29);

	json_object_set_new(o, "id", json_integer(db_column_int64(st, 0)));
	json_object_set_new(o, "tracking_code", json_string(db_column_text(st, 1)));
	json_object_set_new(o, "state", json_string(state));
	json_object_set_new(o, "complex", json_boolean(db_column_int64(st, 3)));
	json_object_set_new(o, "description", json_string(db_column_text(st, 4)));
	json_object_set_new(o, "compound_id", col_int_or_null(st, 5));
	json_object_set_new(o, "building_id", col_int_or_null(st, 6));
	json_object_set_new(o, "household_id", col_int_or_null(st, 7));
	json_object_set_new(o, "plan_x", col_int_or_null(st, 8));
	json_object_set_new(o, "plan_y", col_int_or_null(st, 9));
	json_object_set_new(o, "lat_e6", col_int_or_null(st, 10));
	json_object_set_new(o, "lon_e6", col_int_or_null(st, 11));
	json_object_set_new(o, "address", json_string(db_column_text(st, 12)));
	json_object_set_new(o, "reporter_name", json_string(db_column_text(st, 13)));
	json_object_set_new(o, "reporter_phone", json_string(db_column_text(st, 14)));
	json_object_set_new(o, "reporter_email", json_string(db_column_text(st, 15)));
	json_object_set_new(o, "channel", json_string(db_column_text(st, 16)));
	json_object_set_new(o, "answers", json_is_object(answers) ? answers : json_object());
	if (!json_is_object(answers))
		json_decref(answers);
	json_object_set_new(o, "handler_team_id", col_int_or_null(st, 18));
	json_object_set_new(o, "handler_user_id", col_int_or_null(st, 19));
	json_object_set_new(o, "agency_unit_id", col_int_or_null(st, 20));
	json_object_set_new(o, "duplicate_of", col_int_or_null(st, 21));
	json_object_set_new(o, "public_note", json_string(db_column_text(st, 22)));
	json_object_set_new(o, "created_at", json_integer(db_column_int64(st, 23)));
	json_object_set_new(o, "updated_at", json_integer(db_column_int64(st, 24)));
	json_object_set_new(o, "accepted_at", col_int_or_null(st, 25));
	json_object_set_new(o, "resolved_at", col_int_or_null(st, 26));
	json_object_set_new(o, "closed_at", col_int_or_null(st, 27));
	json_object_set_new(o, "accept_due", json_integer(accept_due));
	json_object_set_new(o, "resolve_due", json_integer(resolve_due));
	json_object_set_new(o, "overdue",
			    json_boolean(case_overdue(state, accept_due, resolve_due, now)));
	json_object_set_new(o, "recurrences", json_integer(db_column_int64(st, 30)));
	json_object_set_new(o, "rating", col_int_or_null(st, 31));
	json_object_set_new(o, "rating_comment", json_string(db_column_text(st, 32)));
	json_object_set_new(o, "category", json_string(db_column_text(st, 33)));
	json_object_set_new(o, "category_zh", json_string(db_column_text(st, 34)));
	json_object_set_new(o, "category_en", json_string(db_column_text(st, 35)));
	json_object_set_new(o, "private", json_boolean(db_column_int64(st, 36)));
	json_object_set_new(o, "compound", text_or_null(st, 37));
	json_object_set_new(o, "building", text_or_null(st, 38));
	json_object_set_new(o, "door", text_or_null(st, 39));
	json_object_set_new(o, "handler_team", text_or_null(st, 40));
	json_object_set_new(o, "handler_user", text_or_null(st, 41));
	json_object_set_new(o, "agency", text_or_null(st, 42));
	json_object_set_new(o, "category_id", json_integer(db_column_int64(st, 43)));
	json_object_set_new(o, "rated_at", col_int_or_null(st, 44));
	json_object_set_new(o, "subject_team_id", col_int_or_null(st, 45));
	return o;
}

int case_get(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = NULL;
	rc = db_prepare(db, "SELECT " CASE_COLUMNS CASE_FROM " WHERE c.area_id = ? AND c.id = ?",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, id);
	rc = db_step_one(st);
	if (!rc)
		*out = read_case(st, (int64_t)time(NULL));
	db_finalize(st);
	return rc;
}

int case_id_by_code(struct db *db, const char *code, int64_t *area_id, int64_t *id)
{
	struct db_stmt *st = NULL;
	int rc;

	if (!tracking_code_valid(code))
		return LIN_ENOTFOUND;
	rc = db_prepare(db, "SELECT area_id, id FROM cases WHERE tracking_code = ?", &st);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*area_id = db_column_int64(st, 0);
		*id = db_column_int64(st, 1);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = LIN_ENOTFOUND;
	}
	db_finalize(st);
	return rc;
}

int case_is_private(struct db *db, int64_t area_id, int64_t id, int *private_)
{
	int64_t v = 0;
	int rc = db_query_int64(db,
				"SELECT k.private FROM cases c JOIN case_categories k ON k.id ="
				" c.category_id WHERE c.area_id = ? AND c.id = ?",
				&v, 2, area_id, id);

	*private_ = v != 0;
	return rc;
}

/* states_sql adds the work page's filters: waiting for acceptance, due
 * before today ends (Shanghai) without being overdue yet, and the reader's
 * own open cases (assigned to them, or to a team they belong to now). */
static void states_sql(struct sqlb *b, const struct case_filter *f, int64_t now)
{
	char awaiting[256], open[256];

	if (case_states_sql(case_state_awaits_acceptance, awaiting, sizeof(awaiting)) ||
	    case_states_sql(case_state_open, open, sizeof(open))) {
		b->sql.failed = 1;
		return;
	}
	if (f->awaiting)
		buf_addf(&b->sql, " AND c.state IN (%s)", awaiting);
	if (f->due_today) {
		int64_t end =
		    ((now + LIN_SHANGHAI_OFFSET) / 86400 + 1) * 86400 - LIN_SHANGHAI_OFFSET;
		buf_addf(&b->sql,
			 " AND ((c.state IN (%s) AND c.accept_due >= ? AND c.accept_due < ?)"
			 " OR (c.state IN (%s) AND c.resolve_due >= ? AND c.resolve_due < ?))"
			 " AND NOT ",
			 awaiting, open);
		sqlb_int(b, now);
		sqlb_int(b, end);
		sqlb_int(b, now);
		sqlb_int(b, end);
		overdue_sql(&b->sql, "c.");
		sqlb_int(b, now);
		sqlb_int(b, now);
	}
	if (f->mine) {
		buf_addf(&b->sql,
			 " AND c.state IN (%s) AND (c.handler_user_id = ? OR c.handler_team_id IN"
			 " (SELECT tm.team_id FROM team_members tm JOIN users u ON u.resident_id ="
			 " tm.resident_id WHERE u.id = ? AND tm.left_on IS NULL))",
			 open);
		sqlb_int(b, f->mine);
		sqlb_int(b, f->mine);
	}
}

/* add_filter appends the WHERE clause for f; binds go to ints/texts in order. */
static void filter_sql(struct sqlb *b, int64_t area_id, const struct case_filter *f, int64_t now)
{
	buf_adds(&b->sql, " WHERE c.area_id = ?");
	sqlb_int(b, area_id);
	if (f->state && *f->state) {
		buf_adds(&b->sql, " AND c.state = ?");
		sqlb_text(b, f->state);
	} else if (f->status) {
		char open[256];
		/* The open states come from the model; a buffer too small fails
		 * the statement rather than list every case. */
		if (case_states_sql(case_state_open, open, sizeof(open)))
			b->sql.failed = 1;
		else
			buf_addf(&b->sql, " AND c.state %sIN (%s)",
				 strcmp(f->status, "open") ? "NOT " : "", open);
	}
	if (f->category_id) {
		buf_adds(&b->sql, " AND c.category_id = ?");
		sqlb_int(b, f->category_id);
	}
	if (f->compound_id) {
		buf_adds(&b->sql, " AND c.compound_id = ?");
		sqlb_int(b, f->compound_id);
	}
	if (f->handler_team_id) {
		buf_adds(&b->sql, " AND c.handler_team_id = ?");
		sqlb_int(b, f->handler_team_id);
	}
	if (f->from) {
		buf_adds(&b->sql, " AND c.created_at >= ?");
		sqlb_int(b, f->from);
	}
	if (f->to) {
		buf_adds(&b->sql, " AND c.created_at < ?");
		sqlb_int(b, f->to);
	}
	if (f->public_only)
		buf_adds(&b->sql, " AND k.private = 0");
	if (f->overdue) {
		buf_adds(&b->sql, " AND ");
		overdue_sql(&b->sql, "c.");
		sqlb_int(b, now);
		sqlb_int(b, now);
	}
	if (f->awaiting || f->due_today || f->mine)
		states_sql(b, f, now);
	if (f->reporter) {
		buf_adds(&b->sql, " AND c.reporter_user_id = ?");
		sqlb_int(b, f->reporter);
	}
}

int case_count(struct db *db, int64_t area_id, const struct case_filter *f, int64_t now, int64_t *n)
{
	struct db_stmt *st = NULL;
	struct sqlb b;
	int rc;

	*n = 0;
	sqlb_init(&b);
	buf_adds(&b.sql, "SELECT COUNT(*)" CASE_FROM);
	filter_sql(&b, area_id, f, now);
	rc = sqlb_prepare(db, &b, &st);
	if (!rc) {
		rc = db_step(st);
		if (rc == DB_ROW)
			*n = db_column_int64(st, 0);
		rc = rc < 0 ? rc : 0;
		db_finalize(st);
	}
	sqlb_release(&b);
	return rc;
}

int case_list(struct db *db, int64_t area_id, const struct case_filter *f, int64_t now,
	      json_t **items, int64_t *total)
{
	struct db_stmt *st = NULL;
	struct sqlb b;
	int rc;

	*items = json_array();
	sqlb_init(&b);
	rc = case_count(db, area_id, f, now, total);
	if (rc)
		goto out;

	sqlb_reset(&b);
	buf_adds(&b.sql, "SELECT " CASE_COLUMNS CASE_FROM);
	filter_sql(&b, area_id, f, now);
	if (f->sort && !strcmp(f->sort, "due"))
		buf_adds(&b.sql, " ORDER BY c.resolve_due, c.id");
	else if (f->sort && !strcmp(f->sort, "updated"))
		buf_adds(&b.sql, " ORDER BY c.updated_at DESC, c.id DESC");
	else if (f->sort && !strcmp(f->sort, "oldest"))
		buf_adds(&b.sql, " ORDER BY c.created_at, c.id");
	else
		buf_adds(&b.sql, " ORDER BY c.created_at DESC, c.id DESC");
	buf_adds(&b.sql, " LIMIT ? OFFSET ?");
	sqlb_int(&b, f->per_page);
	sqlb_int(&b, (f->page - 1) * f->per_page);
	rc = sqlb_prepare(db, &b, &st);
	if (rc)
		goto out;
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*items, read_case(st, now));
	rc = rc < 0 ? rc : 0;
out:
	db_finalize(st);
	sqlb_release(&b);
	return rc;
}

int case_counts(struct db *db, int64_t area_id, int64_t now, json_t **out)
{
	struct db_stmt *st = NULL;
	json_t *by_state = json_object();
	int64_t overdue = 0;
	struct buf sql;
	int rc;

	*out = json_pack("{s:o}", "by_state", by_state);
	rc = db_prepare(db, "SELECT state, COUNT(*) FROM cases WHERE area_id = ? GROUP BY state",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	while ((rc = db_step(st)) == DB_ROW)
		json_object_set_new(by_state, db_column_text(st, 0),
				    json_integer(db_column_int64(st, 1)));
	db_finalize(st);
	if (rc < 0)
		return rc;
	buf_init(&sql, 0);
	buf_adds(&sql, "SELECT COUNT(*) FROM cases WHERE area_id = ? AND ");
	overdue_sql(&sql, "");
	rc = sql.failed ? LIN_ENOMEM : db_query_int64(db, sql.buf, &overdue, 3, area_id, now, now);
	buf_release(&sql);
	json_object_set_new(*out, "overdue", json_integer(overdue));
	return rc;
}

int case_events(struct db *db, int64_t id, int public_only, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = db_prepare(
	    db,
	    "SELECT e.id, e.at, e.actor, e.kind, e.from_state, e.to_state, e.note, e.public,"
	    " u.id, (SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.id LIMIT 1)"
	    " FROM case_events e LEFT JOIN users u ON u.id = e.user_id"
	    " OR (e.user_id IS NULL AND e.actor NOT IN ('reporter', 'system')"
	    " AND u.username = e.actor)"
	    " WHERE e.case_id = ? AND (e.public = 1 OR ? = 0) ORDER BY e.id",
	    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, public_only);
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *e = json_pack(
		    "{s:I,s:I,s:s,s:o,s:o,s:s,s:b}", "id", (json_int_t)db_column_int64(st, 0), "at",
		    (json_int_t)db_column_int64(st, 1), "kind", db_column_text(st, 3), "from_state",
		    text_or_null(st, 4), "to_state", text_or_null(st, 5), "note",
		    db_column_text(st, 6), "public", (int)db_column_int64(st, 7));
		/* The public page never names the people who acted. */
		if (!public_only) {
			const char *actor = db_column_text(st, 2);
			/* actor_kind: "user" (a signed-in user, with actor_role),
			 * "reporter", "system" or "other" (a named source such as a
			 * meter); pages say them in the reader's language. */
			json_object_set_new(e, "actor", json_string(actor));
			json_object_set_new(e, "actor_kind",
					    json_string(!db_column_is_null(st, 8)    ? "user"
							: !strcmp(actor, "reporter") ? "reporter"
							: !strcmp(actor, "system")   ? "system"
										     : "other"));
			json_object_set_new(e, "actor_role", text_or_null(st, 9));
		}
		json_array_append_new(*out, e);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_mediations(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = db_prepare(db,
			"SELECT id, held_on, parties, mediators, agreement, follow_up_on"
			" FROM mediation_sessions WHERE case_id = ? ORDER BY held_on, id",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(
		    *out,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)db_column_int64(st, 0),
			      "held_on", db_column_text(st, 1), "parties", db_column_text(st, 2),
			      "mediators", db_column_text(st, 3), "agreement",
			      db_column_text(st, 4), "follow_up_on", text_or_null(st, 5)));
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_referrals(struct db *db, int64_t id, int64_t now, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = db_prepare(
	    db,
	    "SELECT r.id, r.agency_unit_id, u.name, r.referred_at, r.due_at, r.reference,"
	    " r.answer, r.answered_at FROM referrals r JOIN units u ON u.id = r.agency_unit_id"
	    " WHERE r.case_id = ? ORDER BY r.id",
	    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		int answered = !db_column_is_null(st, 7);
		json_array_append_new(
		    *out,
		    json_pack("{s:I,s:I,s:s,s:I,s:I,s:s,s:o,s:o,s:b}", "id",
			      (json_int_t)db_column_int64(st, 0), "agency_unit_id",
			      (json_int_t)db_column_int64(st, 1), "agency", db_column_text(st, 2),
			      "referred_at", (json_int_t)db_column_int64(st, 3), "due_at",
			      (json_int_t)db_column_int64(st, 4), "reference",
			      db_column_text(st, 5), "answer", text_or_null(st, 6), "answered_at",
			      col_int_or_null(st, 7), "overdue",
			      !answered && now > db_column_int64(st, 4)));
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_photos(struct db *db, int64_t id, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	rc = db_prepare(
	    db, "SELECT sha256, mime, bytes FROM case_photos WHERE case_id = ? ORDER BY id", &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(*out,
				      json_pack("{s:s,s:s,s:I}", "sha256", db_column_text(st, 0),
						"mime", db_column_text(st, 1), "bytes",
						(json_int_t)db_column_int64(st, 2)));
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_public_photo(struct db *db, int64_t id, const char *sha256, char *mime, size_t n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT p.mime FROM case_photos p JOIN cases c ON c.id = p.case_id"
			    " JOIN case_categories k ON k.id = c.category_id"
			    " WHERE p.case_id = ? AND p.sha256 = ? AND c.photos_public = 1"
			    " AND k.private = 0",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, sha256);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(mime, n, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : LIN_ENOTFOUND;
}

int case_photo_count(struct db *db, int64_t area_id, int64_t id, const char *sha256,
		     const char *mime, int64_t *n)
{
	int rc =
	    db_query_row(db,
			 "SELECT COUNT(*) FROM case_photos p JOIN cases c ON c.id = p.case_id"
			 " WHERE p.case_id = ? AND c.area_id = ? AND p.sha256 = ? AND p.mime = ?",
			 n, "iitt", id, area_id, sha256, mime);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

int cases_team_open(struct db *db, int64_t area_id, int64_t team_id, const char *category,
		    int64_t *case_id)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT c.id, c.state FROM cases c"
			    " JOIN case_categories k ON k.id = c.category_id"
			    " WHERE c.area_id = ? AND c.subject_team_id = ? AND k.code = ?"
			    " ORDER BY c.id DESC",
			    &st);

	*case_id = 0;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, team_id);
	db_bind_text(st, 3, category);
	/* "Still being worked on" is the model's to say, not a list here. */
	while ((rc = db_step(st)) == DB_ROW) {
		enum case_state s;
		if (!case_state_from_name(db_column_text(st, 1), &s) && case_state_open(s)) {
			*case_id = db_column_int64(st, 0);
			break;
		}
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* ---- the handlers' inbox ---- */

#define INBOX_WHERE                                                                                \
	" FROM inbox i WHERE i.area_id = ? AND (i.user_id = ? OR i.team_id IN ("                   \
	"SELECT tm.team_id FROM team_members tm JOIN users u ON u.resident_id = tm.resident_id"    \
	" WHERE u.id = ? AND tm.left_on IS NULL))"

int case_inbox(struct db *db, int64_t area_id, int64_t user_id, json_t **out, int64_t *unread)
{
	struct db_stmt *st = NULL;
	int rc;

	*out = json_array();
	*unread = 0;
	rc = db_prepare(db,
			"SELECT i.id, i.case_id, i.at, i.message, i.read_at" INBOX_WHERE
			" ORDER BY i.id DESC LIMIT 100",
			&st);
	if (!rc)
		rc = db_bindf(st, "iii", area_id, user_id, user_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		int read = !db_column_is_null(st, 4);
		*unread += !read;
		json_array_append_new(*out,
				      json_pack("{s:I,s:I,s:I,s:s,s:b}", "id",
						(json_int_t)db_column_int64(st, 0), "case_id",
						(json_int_t)db_column_int64(st, 1), "at",
						(json_int_t)db_column_int64(st, 2), "message_key",
						db_column_text(st, 3), "read", read));
		rc = 0;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_inbox_read(struct db *db, int64_t area_id, int64_t user_id, int64_t id, int64_t now)
{
	int64_t mine = 1;
	int rc = id ? db_query_row(db,
				   "SELECT COUNT(*) FROM inbox WHERE id = ? AND id IN"
				   " (SELECT i.id" INBOX_WHERE ")",
				   &mine, "iiii", id, area_id, user_id, user_id)
		    : 0;

	if (rc || !mine)
		return rc ? rc : LIN_ENOTFOUND;
	return db_exec_args(
	    db,
	    "UPDATE inbox SET read_at = ? WHERE read_at IS NULL AND (? = 0 OR id = ?)"
	    " AND id IN (SELECT i.id" INBOX_WHERE ")",
	    NULL, "iiiiii", now, id, id, area_id, user_id, user_id);
}

/* An agenda is read by everyone invited: a private category's case is
 * named by its number alone (its page checks who may open it), never by
 * its text; no tracking code, which opens the reporter's page. */
#define PRIVATE_BLANK " CASE WHEN k.private = 0 THEN c.description ELSE '' END"

int cases_affairs(struct db *db, int64_t area_id, int64_t from, int64_t now, json_t **out)
{
	static const char *const oldest_keys[] = {"id", "created_at", "description", NULL};
	static const char *const reopened_keys[] = {"id", "category_id", "description", "at", NULL};
	static const char *const rated_keys[] = {"id", "category_id", "description", "rating",
						 NULL};
	json_t *cats = json_array(), *reopened = NULL, *rated = NULL, *c;
	struct db_stmt *st = NULL;
	char open[256];
	struct buf sql;
	size_t i;
	int rc;

	*out = json_pack("{s:o}", "categories", cats);
	if (case_states_sql(case_state_open, open, sizeof(open)))
		return LIN_ENOMEM;
	buf_init(&sql, 0);
	buf_addf(&sql, "SELECT k.id, k.code, k.name_zh, k.name_en, COUNT(*), SUM(CASE WHEN ");
	overdue_sql(&sql, "c.");
	buf_addf(&sql,
		 " THEN 1 ELSE 0 END) FROM cases c JOIN case_categories k ON k.id = c.category_id"
		 " WHERE c.area_id = ? AND c.created_at <= ? AND c.state IN (%s)"
		 " GROUP BY k.id, k.code, k.name_zh, k.name_en, k.sort_order"
		 " ORDER BY k.sort_order, k.id",
		 open);
	rc = sql.failed ? LIN_ENOMEM : db_prepare(db, sql.buf, &st);
	buf_release(&sql);
	if (rc)
		return rc;
	db_bindf(st, "iiii", now, now, area_id, now);
	while ((rc = db_step(st)) == DB_ROW)
		json_array_append_new(cats, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I}", "id",
						      (json_int_t)db_column_int64(st, 0), "code",
						      db_column_text(st, 1), "name_zh",
						      db_column_text(st, 2), "name_en",
						      db_column_text(st, 3), "open",
						      (json_int_t)db_column_int64(st, 4), "overdue",
						      (json_int_t)db_column_int64(st, 5)));
	db_finalize(st);
	if (rc < 0)
		return rc;
	json_array_foreach (cats, i, c) {
		json_t *oldest = NULL;
		char q[1024];
		snprintf(q, sizeof(q),
			 "SELECT c.id, c.created_at," PRIVATE_BLANK " FROM cases c"
			 " JOIN case_categories k ON k.id = c.category_id WHERE c.area_id = ?"
			 " AND c.category_id = ? AND c.created_at <= ?"
			 " AND c.state IN (%s) ORDER BY c.created_at, c.id LIMIT 3",
			 open);
		rc = db_query_json(db, q, oldest_keys, "iit", &oldest, "iii", area_id,
				   (int64_t)json_integer_value(json_object_get(c, "id")), now);
		json_object_set_new(c, "oldest", oldest ? oldest : json_array());
		if (rc)
			return rc;
	}
	rc = db_query_json(db,
			   "SELECT c.id, c.category_id," PRIVATE_BLANK ", MAX(e.at)"
			   " FROM case_events e JOIN cases c ON c.id = e.case_id"
			   " JOIN case_categories k ON k.id = c.category_id"
			   " WHERE c.area_id = ? AND e.to_state = 'reopened' AND e.at >= ?"
			   " AND e.at <= ? GROUP BY c.id, c.category_id, c.description, k.private"
			   " ORDER BY MAX(e.at), c.id",
			   reopened_keys, "iiti", &reopened, "iii", area_id, from, now);
	json_object_set_new(*out, "reopened", reopened ? reopened : json_array());
	if (rc)
		return rc;
	rc = db_query_json(db,
			   "SELECT c.id, c.category_id," PRIVATE_BLANK ", c.rating FROM cases c"
			   " JOIN case_categories k ON k.id = c.category_id"
			   " WHERE c.area_id = ? AND c.rating IS NOT NULL AND c.rating <= 2"
			   " AND c.rated_at >= ? AND c.rated_at <= ? ORDER BY c.rated_at, c.id",
			   rated_keys, "iiti", &rated, "iii", area_id, from, now);
	json_object_set_new(*out, "poorly_rated", rated ? rated : json_array());
	return rc;
}
