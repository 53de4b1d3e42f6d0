/* After a case is open: notes, "it happened again", the reporter's
 * rating, the secretary's approval of the longer limit, mediation
 * sessions, photos, duplicate suggestions, the quiet-period sweep, and
 * the standard categories a new area starts with. */
#include "store.h"
#include "photos.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../db/jobs.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int note_ok(const char *note, int required)
{
	if (!note)
		return !required;
	if (required && !*note)
		return 0;
	return utf8_valid(note, strlen(note)) && utf8_chars(note) <= CASE_DESCRIPTION_MAX;
}

static int touch(struct db *db, int64_t id, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "UPDATE cases SET updated_at = ? WHERE id = ?", &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* in_txn runs the body between begin and commit, rolling back on error. */
#define TXN_BEGIN(db)                                                                              \
	rc = db_begin(db);                                                                         \
	if (rc)                                                                                    \
		return rc;
#define TXN_END(db)                                                                                \
	if (!rc)                                                                                   \
		rc = db_commit(db);                                                                \
	if (rc)                                                                                    \
		db_rollback(db);                                                                   \
	return rc;

int case_note(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
	      const char *note, int public_note)
{
	struct case_state_row row;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (!note_ok(note, 1))
		return LIN_EINVAL;
	TXN_BEGIN(db);
	rc = case_load_state(db, area_id, id, &row);
	if (!rc)
		rc = case_event_add(db, id, who, "note", NULL, NULL, note, public_note, now);
	if (!rc && public_note) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db, "UPDATE cases SET public_note = ? WHERE id = ?", &st);
		if (!rc) {
			db_bind_text(st, 1, note);
			db_bind_int64(st, 2, id);
			rc = db_step(st) < 0 ? LIN_EDB : 0;
			db_finalize(st);
		}
	}
	if (!rc)
		rc = touch(db, id, now);
	if (!rc)
		rc = case_audit(db, who, area_id, "note", id, NULL, NULL);
	TXN_END(db);
}

/* inbox_handlers: a message for the case's handler team, if it has one
 * (inside the caller's transaction). */
static int inbox_handlers(struct db *db, int64_t id, const char *key, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "INSERT INTO inbox (area_id, team_id, case_id, at, message)"
			    " SELECT c.area_id, c.handler_team_id, c.id, ?, ? FROM cases c"
			    " WHERE c.id = ? AND c.handler_team_id IS NOT NULL",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, now);
	db_bind_text(st, 2, key);
	db_bind_int64(st, 3, id);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_recur(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
	       const char *note)
{
	return case_recur_notify(db, area_id, id, who, note, NULL);
}

int case_recur_notify(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
		      const char *note, const char *inbox_key)
{
	struct case_state_row row;
	struct db_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	if (!note_ok(note, 0))
		return LIN_EINVAL;
	TXN_BEGIN(db);
	rc = case_load_state(db, area_id, id, &row);
	/* Only a case still being worked on can happen again; a closed one
	 * is reopened by its reporter instead. */
	if (!rc && !case_state_open(row.state))
		rc = LIN_ECONFLICT;
	if (!rc)
		rc = db_prepare(db,
				"UPDATE cases SET recurrences = recurrences + 1, updated_at = ?"
				" WHERE id = ?",
				&st);
	if (!rc) {
		db_bind_int64(st, 1, now);
		db_bind_int64(st, 2, id);
		rc = db_step(st) < 0 ? LIN_EDB : 0;
		db_finalize(st);
	}
	if (!rc)
		rc = case_event_add(db, id, who, "recurrence", NULL, NULL, "", 1, now);
	/* That it happened again is public; the words of whoever said so stay
	 * with staff (they may name people). */
	if (!rc && note && *note)
		rc = case_event_add(db, id, who, "note", NULL, NULL, note, 0, now);
	if (!rc)
		rc = case_audit(db, who, area_id, "recur", id, NULL, NULL);
	if (!rc && inbox_key)
		rc = inbox_handlers(db, id, inbox_key, now);
	TXN_END(db);
}

int case_rate(struct db *db, int64_t area_id, int64_t id, int rating, const char *comment,
	      const char **err_key)
{
	struct case_who system = {{ACTOR_SYSTEM, ROLE_NONE}, NULL, "system"};
	struct case_who reporter = {{ACTOR_REPORTER, ROLE_NONE}, NULL, "reporter"};
	struct case_state_row row;
	struct db_stmt *st = NULL;
	enum case_state to;
	int64_t now = (int64_t)time(NULL);
	char after[64];
	int rc;

	*err_key = NULL;
	if (rating < 1 || rating > 5) {
		*err_key = "case.err.rating";
		return LIN_EINVAL;
	}
	if (!note_ok(comment, 0)) {
		*err_key = "err.too_long";
		return LIN_EINVAL;
	}
	TXN_BEGIN(db);
	rc = case_load_state(db, area_id, id, &row);
	if (!rc && row.state != CASE_RESOLVED && row.state != CASE_CLOSED) {
		*err_key = "case.err.not_resolved";
		rc = LIN_ECONFLICT;
	}
	if (!rc) {
		/* One rating per resolution: again only after it was resolved anew. */
		int64_t again = 0;
		rc = db_query_int64(
		    db,
		    "SELECT COUNT(*) FROM cases WHERE id = ? AND (rated_at IS NULL OR"
		    " resolved_at > rated_at)",
		    &again, 1, id);
		if (!rc && !again) {
			*err_key = "case.err.rated";
			rc = LIN_ECONFLICT;
		}
	}
	if (!rc)
		rc = db_prepare(db,
				"UPDATE cases SET rating = ?, rating_comment = ?, rated_at = ?,"
				" updated_at = ? WHERE id = ?",
				&st);
	if (!rc) {
		db_bind_int64(st, 1, rating);
		db_bind_text(st, 2, comment ? comment : "");
		db_bind_int64(st, 3, now);
		db_bind_int64(st, 4, now);
		db_bind_int64(st, 5, id);
		rc = db_step(st) < 0 ? LIN_EDB : 0;
		db_finalize(st);
	}
	if (!rc)
		rc = case_event_add(db, id, &reporter, "rating", NULL, NULL, comment ? comment : "",
				    0, now);
	/* Unhappy reporters send the case back; happy ones confirm it. */
	if (!rc && rating <= 2 && !case_transition(ACT_REVIEW, row.state, &system.actor, &to)) {
		struct workday_calendar cal;
		int64_t days = 5;
		memset(&cal, 0, sizeof(cal));
		rc = case_calendar(db, &cal);
		if (!rc)
			rc = db_query_int64(db,
					    "SELECT resolve_days FROM case_categories WHERE id = ?",
					    &days, 1, row.category_id);
		/* Back for review: the clock starts again from now. */
		if (!rc)
			rc = db_prepare(
			    db,
			    "UPDATE cases SET state = ?, closed_at = NULL, accept_due = ?,"
			    " resolve_due = ? WHERE id = ?",
			    &st);
		if (!rc) {
			db_bind_text(st, 1, case_state_name(to));
			db_bind_int64(st, 2, workday_deadline(&cal, now, 1));
			db_bind_int64(
			    st, 3,
			    workday_deadline(&cal, now, row.complex ? COMPLEX_DAYS : (int)days));
			db_bind_int64(st, 4, id);
			rc = db_step(st) < 0 ? LIN_EDB : 0;
			db_finalize(st);
		}
		case_calendar_release(&cal);
		if (!rc)
			rc = case_event_add(db, id, &system, "state", case_state_name(row.state),
					    case_state_name(to), "", 1, now);
	} else if (!rc && rating > 2 &&
		   !case_transition(ACT_CONFIRM, row.state, &reporter.actor, &to)) {
		rc = db_prepare(db, "UPDATE cases SET state = ?, closed_at = ? WHERE id = ?", &st);
		if (!rc) {
			db_bind_text(st, 1, case_state_name(to));
			db_bind_int64(st, 2, now);
			db_bind_int64(st, 3, id);
			rc = db_step(st) < 0 ? LIN_EDB : 0;
			db_finalize(st);
		}
		if (!rc)
			rc = case_event_add(db, id, &reporter, "state", case_state_name(row.state),
					    case_state_name(to), "", 1, now);
	}
	snprintf(after, sizeof(after), "{\"rating\":%d}", rating);
	if (!rc)
		rc = case_audit(db, &reporter, area_id, "rate", id, NULL, after);
	TXN_END(db);
}

int case_set_complex(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
		     int complex)
{
	struct case_state_row row;
	struct workday_calendar cal;
	struct db_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL), days = 5;
	int rc;

	memset(&cal, 0, sizeof(cal));
	/* Only the secretary (or an admin) approves the longer limit. */
	if (who->actor.kind != ACTOR_ROLE ||
	    (who->actor.role != ROLE_SECRETARY && who->actor.role != ROLE_ADMIN))
		return LIN_EPERM;
	TXN_BEGIN(db);
	rc = case_load_state(db, area_id, id, &row);
	if (!rc && !case_state_open(row.state))
		rc = LIN_ECONFLICT;
	if (!rc)
		rc = case_calendar(db, &cal);
	if (!rc && !complex)
		rc = db_query_int64(db, "SELECT resolve_days FROM case_categories WHERE id = ?",
				    &days, 1, row.category_id);
	if (!rc)
		rc = db_prepare(db,
				"UPDATE cases SET complex = ?, resolve_due = ?, updated_at = ?,"
				" public_updated_at = ? WHERE id = ?",
				&st);
	if (!rc) {
		db_bind_int64(st, 1, complex ? 1 : 0);
		db_bind_int64(
		    st, 2,
		    workday_deadline(&cal, row.created_at, complex ? COMPLEX_DAYS : (int)days));
		db_bind_int64(st, 3, now);
		db_bind_int64(st, 4, now); /* the deadline the public sees moved */
		db_bind_int64(st, 5, id);
		rc = db_step(st) < 0 ? LIN_EDB : 0;
		db_finalize(st);
	}
	if (!rc)
		rc = case_event_add(db, id, who, complex ? "complex" : "ordinary", NULL, NULL, "",
				    0, now);
	if (!rc)
		rc = case_audit(db, who, area_id, complex ? "complex" : "ordinary", id, NULL, NULL);
	case_calendar_release(&cal);
	TXN_END(db);
}

int case_add_mediation(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
		       const char *held_on, const char *parties, const char *mediators,
		       const char *agreement, const char *follow_up_on, const char **err_key)
{
	struct case_state_row row;
	struct db_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int y, m, d, rc;

	*err_key = NULL;
	if (!held_on || parse_date(held_on, &y, &m, &d)) {
		*err_key = "case.err.held_on";
		return LIN_EINVAL;
	}
	if (follow_up_on && *follow_up_on && parse_date(follow_up_on, &y, &m, &d)) {
		*err_key = "case.err.follow_up";
		return LIN_EINVAL;
	}
	if (!note_ok(parties, 1) || !note_ok(mediators, 1)) {
		*err_key = "case.err.parties";
		return LIN_EINVAL;
	}
	if (!note_ok(agreement, 0)) {
		*err_key = "err.too_long";
		return LIN_EINVAL;
	}
	TXN_BEGIN(db);
	rc = case_load_state(db, area_id, id, &row);
	if (!rc)
		rc = db_prepare(
		    db,
		    "INSERT INTO mediation_sessions (case_id, held_on, parties, mediators,"
		    " agreement, follow_up_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    &st);
	if (!rc) {
		db_bind_int64(st, 1, id);
		db_bind_text(st, 2, held_on);
		db_bind_text(st, 3, parties);
		db_bind_text(st, 4, mediators);
		db_bind_text(st, 5, agreement ? agreement : "");
		db_bind_text(st, 6, follow_up_on && *follow_up_on ? follow_up_on : NULL);
		db_bind_int64(st, 7, now);
		rc = db_step(st) < 0 ? LIN_EDB : 0;
		db_finalize(st);
	}
	if (!rc)
		rc = case_event_add(db, id, who, "mediation", NULL, NULL,
				    agreement ? agreement : "", 0, now);
	if (!rc)
		rc = touch(db, id, now);
	if (!rc)
		rc = case_audit(db, who, area_id, "mediation", id, NULL, NULL);
	TXN_END(db);
}

int case_add_photo(struct db *db, int64_t id, const char *sha256, const char *mime, int64_t bytes)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "INSERT INTO case_photos (case_id, sha256, mime, bytes, created_at)"
			    " VALUES (?, ?, ?, ?, ?)",
			    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_text(st, 2, sha256);
	db_bind_text(st, 3, mime);
	db_bind_int64(st, 4, bytes);
	db_bind_int64(st, 5, (int64_t)time(NULL));
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_duplicates(struct db *db, int64_t area_id, const struct case_place *place,
		    int64_t exclude_id, int max, json_t **out)
{
	struct db_stmt *st = NULL;
	json_t *found = json_array();
	char open[256], sql[1024];
	int rc;

	*out = found;
	rc = case_states_sql(case_state_open, open, sizeof(open));
	if (rc)
		return rc;
	rc = snprintf(
	    sql, sizeof(sql),
	    "SELECT c.id, c.tracking_code, c.state, c.created_at, COALESCE(c.compound_id, 0),"
	    " COALESCE(c.building_id, 0), COALESCE(c.household_id, 0), c.plan_x, c.plan_y,"
	    " c.lat_e6, c.lon_e6, c.description, c.recurrences, COALESCE(cp.name, ''),"
	    " COALESCE(b.name, ''), CASE WHEN c.photos_public = 1 AND k.private = 0 THEN"
	    " (SELECT p.sha256 FROM case_photos p WHERE p.case_id = c.id ORDER BY p.id LIMIT 1)"
	    " END FROM cases c JOIN case_categories k ON k.id = c.category_id"
	    " LEFT JOIN compounds cp ON cp.id = c.compound_id"
	    " LEFT JOIN buildings b ON b.id = c.building_id"
	    " WHERE c.area_id = ? AND c.category_id = ? AND c.id <> ? AND c.created_at >= ?"
	    " AND c.state IN (%s) ORDER BY c.created_at DESC, c.id DESC LIMIT 200",
	    open);
	if (rc < 0 || (size_t)rc >= sizeof(sql))
		return LIN_ENOMEM;
	rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, place->category_id);
	db_bind_int64(st, 3, exclude_id);
	db_bind_int64(st, 4, place->created_at - DUPLICATE_WINDOW);
	while ((rc = db_step(st)) == DB_ROW) {
		struct case_place other = {
		    .category_id = place->category_id,
		    .compound_id = db_column_int64(st, 4),
		    .building_id = db_column_int64(st, 5),
		    .household_id = db_column_int64(st, 6),
		    .plan_x = db_column_is_null(st, 7) ? -1 : (int32_t)db_column_int64(st, 7),
		    .plan_y = db_column_is_null(st, 8) ? -1 : (int32_t)db_column_int64(st, 8),
		    .lat_e6 = db_column_is_null(st, 9) ? INT64_MIN : db_column_int64(st, 9),
		    .lon_e6 = db_column_is_null(st, 10) ? INT64_MIN : db_column_int64(st, 10),
		    .created_at = db_column_int64(st, 3),
		};
		int score = duplicate_score(place, &other);
		if (score < DUPLICATE_MIN_SCORE)
			continue;
		json_array_append_new(
		    found, json_pack("{s:I,s:s,s:s,s:I,s:s,s:I,s:i}", "id",
				     (json_int_t)db_column_int64(st, 0), "tracking_code",
				     db_column_text(st, 1), "state", db_column_text(st, 2),
				     "created_at", (json_int_t)db_column_int64(st, 3),
				     "description", db_column_text(st, 11), "recurrences",
				     (json_int_t)db_column_int64(st, 12), "score", score));
		json_object_set_new(json_array_get(found, json_array_size(found) - 1), "place",
				    json_pack("{s:s,s:s}", "compound", db_column_text(st, 13),
					      "building", db_column_text(st, 14)));
		json_object_set_new(
		    json_array_get(found, json_array_size(found) - 1), "public_photo",
		    db_column_is_null(st, 15) ? json_null() : json_string(db_column_text(st, 15)));
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	/* Best first; keep max. */
	size_t n = json_array_size(found);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			json_t *a = json_array_get(found, j - 1), *b = json_array_get(found, j);
			if (json_integer_value(json_object_get(a, "score")) >=
			    json_integer_value(json_object_get(b, "score")))
				break;
			json_incref(a);
			json_array_set(found, j - 1, b);
			json_array_set_new(found, j, a);
		}
	while (json_array_size(found) > (size_t)max)
		json_array_remove(found, json_array_size(found) - 1);
	return 0;
}

int cases_sweep(struct db *db, int64_t now, int *closed)
{
	struct case_who system = {{ACTOR_SYSTEM, ROLE_NONE}, NULL, "system"};
	struct db_stmt *st = NULL;
	int64_t ids[256], areas[256];
	int n = 0, rc;

	*closed = 0;
	rc = db_prepare(db,
			"SELECT id, area_id FROM cases WHERE state = 'resolved' AND resolved_at < ?"
			" ORDER BY id LIMIT 256",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, now - (int64_t)CASE_QUIET_DAYS * 86400);
	while (n < 256 && (rc = db_step(st)) == DB_ROW) {
		ids[n] = db_column_int64(st, 0);
		areas[n++] = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		struct case_act_args args = {.note = ""};
		const char *err;
		if (!case_act(db, areas[i], ids[i], ACT_AUTO_CLOSE, &system, &args, &err))
			(*closed)++;
	}
	return 0;
}

/* The sweep as a job: every ten minutes, on one server. */
static int sweep_job(struct db *db, int64_t now, void *arg, const atomic_int *stop)
{
	int closed = 0, rc = cases_sweep(db, now, &closed);

	(void)arg;
	(void)stop;
	if (!rc && closed)
		log_info("cases: closed %d resolved cases after the quiet period", closed);
	return rc;
}

const struct job cases_jobs[] = {
    {"cases.sweep", 600, sweep_job, NULL},
    {NULL, 0, NULL, NULL},
};

/* ---- the standard categories ---- */

static const struct {
	const char *code, *zh, *en, *team, *agency_like; /* agency: a unit whose name matches */
	int private_, days;
	const char *questions;
} standard[] = {
    {"noise", "噪声扰民", "Noise", "平安巡逻队", "%城管%", 0, 5,
     "[{\"code\":\"source\",\"datatype\":\"singlevaluelist\",\"required\":true,"
     "\"description_zh\":\"声源\",\"description_en\":\"Source\",\"values\":["
     "{\"key\":\"square_dance\",\"name_zh\":\"广场舞\",\"name_en\":\"Square dancing\"},"
     "{\"key\":\"shop\",\"name_zh\":\"商铺\",\"name_en\":\"A shop\"},"
     "{\"key\":\"construction\",\"name_zh\":\"装修施工\",\"name_en\":\"Building work\"},"
     "{\"key\":\"neighbour\",\"name_zh\":\"邻居\",\"name_en\":\"A neighbour\"},"
     "{\"key\":\"other\",\"name_zh\":\"其他\",\"name_en\":\"Other\"}]},"
     "{\"code\":\"now\",\"datatype\":\"singlevaluelist\",\"required\":false,"
     "\"description_zh\":\"现在正在发生吗\",\"description_en\":\"Is it happening now?\","
     "\"values\":[{\"key\":\"yes\",\"name_zh\":\"是\",\"name_en\":\"Yes\"},"
     "{\"key\":\"no\",\"name_zh\":\"否\",\"name_en\":\"No\"}]},"
     "{\"code\":\"when\",\"datatype\":\"string\",\"required\":false,"
     "\"description_zh\":\"通常在哪几天、几点\",\"description_en\":\"Which days and times\"}]"},
    {"shop", "商铺扰民", "Shop or restaurant disturbance", "党员先锋队", "%市场监管%", 0, 5, "[]"},
    /* No default agency for repairs: each compound has its own property
     * company, which staff pick when they refer. */
    {"repair", "设施报修", "Facility repair", NULL, NULL, 0, 5,
     "[{\"code\":\"facility\",\"datatype\":\"string\",\"required\":false,"
     "\"description_zh\":\"哪个设施\",\"description_en\":\"Which facility\"}]"},
    {"pet_waste", "宠物粪便", "Pet waste", "\"携宠善行\"文明养宠自治团队", NULL, 0, 5, "[]"},
    {"pet_nuisance", "宠物扰民", "Pet nuisance", "\"携宠善行\"文明养宠自治团队", NULL, 0, 5, "[]"},
    {"garbage", "垃圾分类", "Garbage sorting", "垃圾分类志愿者队", NULL, 0, 5, "[]"},
    {"dispute", "邻里纠纷", "Neighbour dispute", "邻里调解志愿者队", NULL, 1, 5, "[]"},
    {"safety", "公共安全", "Public safety", "平安巡逻队", "%派出所%", 0, 5, "[]"},
    {"other", "其他", "Other", NULL, NULL, 0, 5, "[]"},
};

/* seed: the standard categories into an area that has none (inside the
 * caller's transaction). OUT: *added. */
static int seed(struct db *db, int64_t area_id, int *added)
{
	struct db_stmt *st = NULL;
	int64_t n = 0;
	int rc;

	*added = 0;
	rc = db_query_int64(db, "SELECT COUNT(*) FROM case_categories WHERE area_id = ?", &n, 1,
			    area_id);
	if (rc || n)
		return rc;
	for (size_t i = 0; i < sizeof(standard) / sizeof(standard[0]); i++) {
		int64_t team = 0, agency = 0;
		if (standard[i].team) {
			rc = db_prepare(db, "SELECT id FROM teams WHERE area_id = ? AND name = ?",
					&st);
			if (rc)
				return rc;
			db_bind_int64(st, 1, area_id);
			db_bind_text(st, 2, standard[i].team);
			if (db_step(st) == DB_ROW)
				team = db_column_int64(st, 0);
			db_finalize(st);
		}
		if (standard[i].agency_like) {
			/* 城管 for noise, the market office for shops, the police
			 * station for safety; staff change it on the category. */
			rc = db_prepare(db,
					"SELECT id FROM units WHERE area_id = ? AND name LIKE ? AND"
					" archived = 0 ORDER BY id LIMIT 1",
					&st);
			if (rc)
				return rc;
			db_bind_int64(st, 1, area_id);
			db_bind_text(st, 2, standard[i].agency_like);
			if (db_step(st) == DB_ROW)
				agency = db_column_int64(st, 0);
			db_finalize(st);
		}
		rc = db_prepare(
		    db,
		    "INSERT INTO case_categories (area_id, code, name_zh, name_en, private,"
		    " handler_team_id, agency_unit_id, resolve_days, questions, sort_order)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    &st);
		if (rc)
			return rc;
		db_bind_int64(st, 1, area_id);
		db_bind_text(st, 2, standard[i].code);
		db_bind_text(st, 3, standard[i].zh);
		db_bind_text(st, 4, standard[i].en);
		db_bind_int64(st, 5, standard[i].private_);
		if (team)
			db_bind_int64(st, 6, team);
		else
			db_bind_null(st, 6);
		if (agency)
			db_bind_int64(st, 7, agency);
		else
			db_bind_null(st, 7);
		db_bind_int64(st, 8, standard[i].days);
		db_bind_text(st, 9, standard[i].questions);
		db_bind_int64(st, 10, (int64_t)i);
		rc = db_step(st);
		db_finalize(st);
		if (rc < 0)
			return rc;
		(*added)++;
	}
	/* Someone may be in danger: the form says to call 110 / 119 / 120 first. */
	return db_exec_args(
	    db, "UPDATE case_categories SET emergency = 1 WHERE area_id = ? AND code = 'safety'",
	    NULL, "i", area_id);
}

int cases_seed_categories(struct db *db, int64_t area_id, const char *actor)
{
	struct audit_entry e = {0, actor, area_id, "seed", "case_categories", 0, NULL, NULL};
	int added = 0, rc = db_begin(db);

	if (!rc)
		rc = seed(db, area_id, &added);
	if (!rc && added)
		rc = audit_append(db, &e);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int cases_photos_sweep(const char *upload_dir)
{
	int removed = 0;
	int rc = photo_sweep_staged(upload_dir, (int64_t)time(NULL) - 3600, &removed);

	if (!rc && removed)
		log_info("cases: removed %d photos left half-written", removed);
	return rc;
}

int cases_category_names(struct db *db, int64_t area_id, json_t **out)
{
	json_t *all = NULL, *c;
	size_t i;
	int rc = case_categories(db, area_id, 0, &all);

	*out = json_array();
	if (!rc && !*out)
		rc = LIN_ENOMEM;
	json_array_foreach (all, i, c)
		if (!rc)
			json_array_append_new(
			    *out, json_pack("{s:O, s:O, s:O}", "code", json_object_get(c, "code"),
					    "name_zh", json_object_get(c, "name_zh"), "name_en",
					    json_object_get(c, "name_en")));
	json_decref(all);
	if (rc) {
		json_decref(*out);
		*out = NULL;
	}
	return rc;
}
