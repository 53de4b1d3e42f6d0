/* The meetings' SQL: meetings, invitees and their attendance, the agenda
 * and action items (the counts others read are in store_counts.c). Every
 * write runs in its own transaction with its audit entry. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../web/audit.h"
#include "../db/db.h"
#include "../web/http.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ helpers */

static int in_area(struct db *db, const char *table, int64_t area_id, int64_t id)
{
	char sql[128];
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE area_id = ? AND id = ?", table);
	return db_query_int64(db, sql, &n, 2, area_id, id) ? 0 : n > 0;
}

/* ------------------------------------------------------------ meetings */

#define MEETING_COLS                                                                               \
	"m.id, m.kind, m.body, m.branch_id, m.team_id,"                                            \
	" COALESCE(b.name, t.name, ''), m.title, m.place, m.starts_at, m.ends_at, m.code,"         \
	" m.minutes, m.drafted_at, m.cancelled, m.cancel_reason"
#define MEETING_FROM                                                                               \
	" FROM meetings m LEFT JOIN branches b ON b.id = m.branch_id"                              \
	" LEFT JOIN teams t ON t.id = m.team_id"

static const char *const meeting_keys[] = {"id",	 "kind",      "body",	       "branch_id",
					   "team_id",	 "body_name", "title",	       "place",
					   "starts_at",	 "ends_at",   "code",	       "minutes",
					   "drafted_at", "cancelled", "cancel_reason", NULL};
#define MEETING_TYPES "ittiitttiittibt"

int meeting_create(struct db *db, const struct session *s, int64_t area_id,
		   const struct meeting_in *in, int64_t *id, const char **field, const char **key)
{
	char code[MEETING_CODE_LEN + 1];
	int64_t taken = 1;
	json_t *row;
	int rc;

	*field = NULL;
	*key = NULL;
	if (!meeting_kind_valid(in->kind))
		*field = "kind", *key = "meet.err.kind";
	else if (!meeting_body_valid(in->body))
		*field = "body", *key = "meet.err.body";
	else if (!strcmp(in->body, "branch") && !in_area(db, "branches", area_id, in->branch_id))
		*field = "branch_id", *key = "meet.err.branch";
	else if (!strcmp(in->body, "team") && !in_area(db, "teams", area_id, in->team_id))
		*field = "team_id", *key = "meet.err.team";
	else if (!meeting_text_ok(in->title, 1, MEETING_TITLE_MAX))
		*field = "title", *key = "meet.err.title";
	else if (!meeting_text_ok(in->place ? in->place : "", 0, MEETING_TEXT_MAX))
		*field = "place", *key = "meet.err.place";
	else if (in->starts_at <= 0)
		*field = "starts_at", *key = "meet.err.starts_at";
	else if (in->ends_at <= in->starts_at || in->ends_at - in->starts_at > MEETING_DAY)
		*field = "ends_at", *key = "meet.err.ends_at";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	/* A six-digit code unused in the area (a clash is rare: retry). */
	for (int tries = 0; !rc && taken && tries < 20; tries++) {
		snprintf(code, sizeof(code), "%06u", (unsigned)randombytes_uniform(1000000));
		{
			struct db_stmt *st = NULL;
			rc = db_prepare(
			    db, "SELECT COUNT(*) FROM meetings WHERE area_id = ? AND code = ?",
			    &st);
			if (!rc) {
				db_bindf(st, "it", area_id, code);
				rc = db_step_one(st);
				taken = rc ? 1 : db_column_int64(st, 0);
				db_finalize(st);
			}
		}
	}
	if (!rc && taken)
		rc = LIN_ECONFLICT;
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO meetings (area_id, kind, body, branch_id, team_id, title, place,"
		    " starts_at, ends_at, code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
		    "?)"
		    " RETURNING id",
		    id, "ittrrttiiti", area_id, in->kind, in->body,
		    !strcmp(in->body, "branch") ? in->branch_id : 0,
		    !strcmp(in->body, "team") ? in->team_id : 0, in->title,
		    in->place ? in->place : "", in->starts_at, in->ends_at, code,
		    (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "kind", in->kind, "body",
				in->body, "title", in->title, "place", in->place ? in->place : "",
				"starts_at", (json_int_t)in->starts_at, "ends_at",
				(json_int_t)in->ends_at, "code", code);
		rc = audit_append_area(db, s, area_id, "create", "meetings", *id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

/* still_ahead: LIN_ENOTFOUND, LIN_EPERM (called off) or LIN_ECONFLICT
 * (begun by now) for a meeting that may no longer be moved or called off;
 * 0 for one still ahead. Inside the caller's transaction. */
static int still_ahead(struct db *db, int64_t area_id, int64_t id, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db, "SELECT starts_at, cancelled FROM meetings WHERE area_id = ? AND id = ?", &st);

	if (!rc)
		rc = db_bindf(st, "ii", area_id, id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc && db_column_int64(st, 1))
		rc = LIN_EPERM;
	else if (!rc && db_column_int64(st, 0) <= now)
		rc = LIN_ECONFLICT;
	db_finalize(st);
	return rc;
}

int meeting_reschedule(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		       const char *place, int64_t starts_at, int64_t ends_at, int64_t now,
		       const char **field, const char **key)
{
	json_t *row;
	int rc;

	*field = NULL;
	*key = NULL;
	if (place && !meeting_text_ok(place, 0, MEETING_TEXT_MAX))
		*field = "place", *key = "meet.err.place";
	else if (starts_at <= now)
		*field = "start", *key = "meet.err.past";
	else if (ends_at <= starts_at || ends_at - starts_at > MEETING_DAY)
		*field = "end", *key = "meet.err.ends_at";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = still_ahead(db, area_id, id, now);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE meetings SET starts_at = ?, ends_at = ?,"
				  " place = COALESCE(?, place) WHERE area_id = ? AND id = ?",
				  NULL, "iitii", starts_at, ends_at, place, area_id, id);
	if (!rc) {
		row = json_pack("{s:I, s:I, s:s?}", "starts_at", (json_int_t)starts_at, "ends_at",
				(json_int_t)ends_at, "place", place);
		rc = audit_append_area(db, s, area_id, "reschedule", "meetings", id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int meeting_cancel(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		   const char *reason, int64_t now)
{
	json_t *row;
	int rc;

	if (!meeting_text_ok(reason, 1, MEETING_TEXT_MAX))
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = still_ahead(db, area_id, id, now);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE meetings SET cancelled = 1, cancel_reason = ?"
				  " WHERE area_id = ? AND id = ?",
				  NULL, "tii", reason, area_id, id);
	if (!rc) {
		row = json_pack("{s:s}", "reason", reason);
		rc = audit_append_area(db, s, area_id, "cancel", "meetings", id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int meeting_get(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	json_t *rows = NULL;
	int rc = db_query_json(
	    db, "SELECT " MEETING_COLS MEETING_FROM " WHERE m.area_id = ? AND m.id = ?",
	    meeting_keys, MEETING_TYPES, &rows, "ii", area_id, id);

	*out = NULL;
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

/* The invitee rows that are the account user_id: by the account itself or
 * by the resident it belongs to. Two parameters: user_id, user_id. */
#define INVITEE_IS_USER                                                                            \
	"(i.user_id = ? OR (i.resident_id IS NOT NULL AND i.resident_id ="                         \
	" (SELECT u.resident_id FROM users u WHERE u.id = ?)))"

int meeting_list(struct db *db, int64_t area_id, int64_t from, int64_t to, int64_t user_id,
		 json_t **out)
{
	json_t *rows = NULL, *row;
	size_t i;
	int rc;

	if (user_id)
		rc = db_query_json(db,
				   "SELECT " MEETING_COLS MEETING_FROM
				   " WHERE m.area_id = ? AND m.starts_at >= ? AND m.starts_at < ?"
				   " AND EXISTS (SELECT 1 FROM meeting_invitees i WHERE"
				   " i.meeting_id = m.id AND " INVITEE_IS_USER ")"
				   " ORDER BY m.starts_at, m.id",
				   meeting_keys, MEETING_TYPES, &rows, "iiiii", area_id, from, to,
				   user_id, user_id);
	else
		rc = db_query_json(db,
				   "SELECT " MEETING_COLS MEETING_FROM
				   " WHERE m.area_id = ? AND m.starts_at >= ? AND m.starts_at < ?"
				   " ORDER BY m.starts_at, m.id",
				   meeting_keys, MEETING_TYPES, &rows, "iii", area_id, from, to);
	/* A list never carries the minutes or the check-in code: it is what
	 * the calendar and the API show, and the minutes have their own door. */
	json_array_foreach (rows, i, row) {
		json_object_del(row, "minutes");
		json_object_del(row, "code");
	}
	*out = rows;
	return rc;
}

int meeting_invitee_of(struct db *db, int64_t meeting_id, int64_t user_id, int64_t *invitee)
{
	int rc;

	*invitee = 0;
	if (!user_id)
		return 0;
	rc = db_query_row(
	    db,
	    "SELECT i.id FROM meeting_invitees i WHERE i.meeting_id = ? AND " INVITEE_IS_USER
	    " ORDER BY i.id LIMIT 1",
	    invitee, "iii", meeting_id, user_id, user_id);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

int meeting_by_code(struct db *db, int64_t area_id, const char *code, int64_t *id)
{
	return db_query_row(db, "SELECT id FROM meetings WHERE area_id = ? AND code = ?", id, "it",
			    area_id, code);
}

/* invite_rows inserts the rows sql selects (kind, member_id,
 * team_member_id, unit_id, user_id, resident_id, name; its parameters
 * bound by types and the values after) skipping those already invited. */
int meeting_invite(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		   const char *kind, int64_t ref_id, int64_t user_id, int *added)
{
	int64_t changed = 0;
	json_t *row;
	int rc;

	*added = 0;
	rc = db_begin(db);
	if (rc)
		return rc;
	if (!in_area(db, "meetings", area_id, meeting_id))
		return db_finish(db, LIN_ENOTFOUND);
	if (!strcmp(kind, "branch")) {
		if (!in_area(db, "branches", area_id, ref_id))
			return db_finish(db, LIN_ENOTFOUND);
		rc = db_exec_args(
		    db,
		    "INSERT INTO meeting_invitees (area_id, meeting_id, kind, member_id, "
		    "resident_id,"
		    " name) WITH RECURSIVE tree(id) AS (SELECT CAST(? AS BIGINT) UNION SELECT b.id "
		    "FROM branches b"
		    " JOIN tree ON b.parent_id = tree.id)"
		    " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 'member', m.id, m.resident_id,"
		    " m.name FROM members m WHERE m.area_id = ? AND m.archived = 0 AND m.branch_id "
		    "IN (SELECT id FROM tree)"
		    " AND NOT EXISTS (SELECT 1 FROM meeting_invitees i WHERE i.meeting_id = ?"
		    " AND i.member_id = m.id) ORDER BY m.id",
		    &changed, "iiiii", ref_id, area_id, meeting_id, area_id, meeting_id);
	} else if (!strcmp(kind, "member")) {
		if (!in_area(db, "members", area_id, ref_id))
			return db_finish(db, LIN_ENOTFOUND);
		rc = db_exec_args(
		    db,
		    "INSERT INTO meeting_invitees (area_id, meeting_id, kind, member_id, "
		    "resident_id,"
		    " name) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 'member', m.id,"
		    " m.resident_id, m.name FROM members m"
		    " WHERE m.id = ? AND NOT EXISTS (SELECT 1 FROM meeting_invitees i"
		    " WHERE i.meeting_id = ? AND i.member_id = m.id)",
		    &changed, "iiii", area_id, meeting_id, ref_id, meeting_id);
	} else if (!strcmp(kind, "team")) {
		if (!in_area(db, "teams", area_id, ref_id))
			return db_finish(db, LIN_ENOTFOUND);
		rc = db_exec_args(
		    db,
		    "INSERT INTO meeting_invitees (area_id, meeting_id, kind, team_member_id,"
		    " resident_id, name) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), "
		    "'team_member',"
		    " t.id, t.resident_id, t.name"
		    " FROM team_members t WHERE t.team_id = ? AND t.left_on IS NULL"
		    " AND NOT EXISTS (SELECT 1 FROM meeting_invitees i WHERE i.meeting_id = ?"
		    " AND (i.team_member_id = t.id OR (t.resident_id IS NOT NULL"
		    " AND i.resident_id = t.resident_id))) ORDER BY t.id",
		    &changed, "iiii", area_id, meeting_id, ref_id, meeting_id);
	} else if (!strcmp(kind, "unit")) {
		if (!in_area(db, "units", area_id, ref_id))
			return db_finish(db, LIN_ENOTFOUND);
		rc = db_exec_args(
		    db,
		    "INSERT INTO meeting_invitees (area_id, meeting_id, kind, unit_id, user_id, "
		    "name)"
		    " SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 'unit', u.id, CAST(? AS BIGINT),"
		    " u.name FROM units u WHERE u.id = ?"
		    " AND NOT EXISTS (SELECT 1 FROM meeting_invitees i WHERE i.meeting_id = ?"
		    " AND i.unit_id = u.id)",
		    &changed,
		    "iiri"
		    "i",
		    area_id, meeting_id, user_id, ref_id, meeting_id);
	} else if (!strcmp(kind, "user")) {
		rc = db_exec_args(
		    db,
		    "INSERT INTO meeting_invitees (area_id, meeting_id, kind, user_id, resident_id,"
		    " name) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), 'user', u.id, "
		    "u.resident_id,"
		    " CASE WHEN u.display_name = '' THEN u.username ELSE u.display_name END"
		    " FROM users u WHERE u.id = ? AND EXISTS (SELECT 1 FROM user_roles r"
		    " WHERE r.user_id = u.id AND r.area_id = ?) AND NOT EXISTS (SELECT 1"
		    " FROM meeting_invitees i WHERE i.meeting_id = ? AND i.user_id = u.id)",
		    &changed, "iiiii", area_id, meeting_id, ref_id, area_id, meeting_id);
		if (!rc && !changed) {
			int64_t n = 0;
			rc = db_query_int64(db,
					    "SELECT COUNT(*) FROM user_roles WHERE user_id = ?"
					    " AND area_id = ?",
					    &n, 2, ref_id, area_id);
			if (!rc && !n)
				rc = LIN_ENOTFOUND;
		}
	} else {
		rc = LIN_EINVAL;
	}
	if (!rc && changed) {
		row = json_pack("{s:s, s:I, s:I}", "kind", kind, "ref_id", (json_int_t)ref_id,
				"added", (json_int_t)changed);
		rc = audit_append_area(db, s, area_id, "invite", "meetings", meeting_id, row);
		json_decref(row);
	}
	*added = (int)changed;
	return db_finish(db, rc);
}

int meeting_invitees(struct db *db, int64_t meeting_id, json_t **out)
{
	static const char *const keys[] = {"id",      "kind",	 "member_id",	  "team_member_id",
					   "unit_id", "user_id", "resident_id",	  "name",
					   "status",  "reason",	 "checked_in_at", NULL};
	return db_query_json(db,
			     "SELECT id, kind, member_id, team_member_id, unit_id, user_id,"
			     " resident_id, name, status, reason, checked_in_at"
			     " FROM meeting_invitees WHERE meeting_id = ? ORDER BY name, id",
			     keys, "itiiiiittti", out, "i", meeting_id);
}

int attendance_set(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		   int64_t invitee_id, const char *status, const char *reason, int64_t now)
{
	int64_t starts = 0, changed = 0;
	json_t *row;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_query_row(db, "SELECT starts_at FROM meetings WHERE area_id = ? AND id = ?",
			  &starts, "ii", area_id, meeting_id);
	if (!rc && starts > now)
		rc = LIN_ECONFLICT; /* not yet held */
	if (!rc)
		rc = db_query_row(db, "SELECT id FROM meetings WHERE id = ? AND cancelled = 0",
				  NULL, "i", meeting_id) == LIN_ENOTFOUND
			 ? LIN_EPERM /* called off: never held */
			 : 0;
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE meeting_invitees SET status = ?, reason = ?, recorded_by = ?"
		    " WHERE id = ? AND meeting_id = ?",
		    &changed, "tttii", status, !strcmp(status, "excused") ? reason : "",
		    s && s->name ? s->name : "cli", invitee_id, meeting_id);
	if (!rc && !changed)
		rc = LIN_ENOTFOUND;
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s}", "invitee_id", (json_int_t)invitee_id, "status",
				status, "reason", !strcmp(status, "excused") ? reason : "");
		rc = audit_append_area(db, s, area_id, "attendance", "meetings", meeting_id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int meeting_checkin(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		    int64_t invitee_id, int64_t now, int *already)
{
	int64_t changed = 0;
	json_t *row;
	int rc = db_begin(db);

	*already = 0;
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE meeting_invitees SET status = 'present', reason = '',"
			  " checked_in_at = ?, recorded_by = ? WHERE id = ? AND meeting_id = ?"
			  " AND checked_in_at IS NULL",
			  &changed, "itii", now, s && s->name ? s->name : "cli", invitee_id,
			  meeting_id);
	if (!rc && !changed) {
		*already = 1;
		return db_finish(db, 0);
	}
	if (!rc) {
		row = json_pack("{s:I, s:s}", "invitee_id", (json_int_t)invitee_id, "status",
				"present");
		rc = audit_append_area(db, s, area_id, "checkin", "meetings", meeting_id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int meeting_minutes_set(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
			const char *minutes)
{
	int64_t changed = 0;
	json_t *row;
	int rc;

	if (!meeting_text_ok(minutes, 0, MEETING_MINUTES_MAX))
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db, "UPDATE meetings SET minutes = ? WHERE area_id = ? AND id = ?",
			  &changed, "tii", minutes, area_id, meeting_id);
	if (!rc && !changed)
		rc = LIN_ENOTFOUND;
	if (!rc) {
		row = json_pack("{s:s}", "minutes", minutes);
		rc = audit_append_area(db, s, area_id, "minutes", "meetings", meeting_id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

/* ------------------------------------------------------------ photos */

int meeting_photo_add(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		      const char *sha256, const char *mime, int64_t bytes)
{
	int64_t id = 0, n = 0;
	json_t *row;
	int rc = db_begin(db);

	if (rc)
		return rc;
	if (!in_area(db, "meetings", area_id, meeting_id))
		return db_finish(db, LIN_ENOTFOUND);
	rc = meeting_photo_has(db, meeting_id, sha256, mime, &n);
	if (rc || n)
		return db_finish(db, rc); /* the same photo twice is one */
	rc = db_query_row(db,
			  "INSERT INTO meeting_photos (area_id, meeting_id, sha256, mime, bytes,"
			  " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			  &id, "iittii", area_id, meeting_id, sha256, mime, bytes,
			  (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s, s:I}", "meeting_id", (json_int_t)meeting_id,
				"sha256", sha256, "mime", mime, "bytes", (json_int_t)bytes);
		rc = audit_append_area(db, s, area_id, "create", "meeting_photos", id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int meeting_photos(struct db *db, int64_t meeting_id, json_t **out)
{
	static const char *const keys[] = {"id", "sha256", "mime", "bytes", "created_at", NULL};
	return db_query_json(db,
			     "SELECT id, sha256, mime, bytes, created_at FROM meeting_photos"
			     " WHERE meeting_id = ? ORDER BY id",
			     keys, "ittii", out, "i", meeting_id);
}

int meeting_photo_has(struct db *db, int64_t meeting_id, const char *sha256, const char *mime,
		      int64_t *n)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT COUNT(*) FROM meeting_photos WHERE meeting_id = ? AND sha256 = ?"
		       " AND mime = ?",
		       &st);

	*n = 0;
	if (rc)
		return rc;
	db_bindf(st, "itt", meeting_id, sha256, mime);
	rc = db_step_one(st);
	if (!rc)
		*n = db_column_int64(st, 0);
	db_finalize(st);
	return rc;
}

/* ------------------------------------------------------------ agenda */

int agenda_items(struct db *db, int64_t meeting_id, json_t **out)
{
	static const char *const keys[] = {"id",	 "position", "title",  "detail", "source",
					   "source_key", "link",     "edited", NULL};
	return db_query_json(db,
			     "SELECT id, position, title, detail, source, source_key, link, edited"
			     " FROM agenda_items WHERE meeting_id = ? AND deleted = 0"
			     " ORDER BY position, id",
			     keys, "iitttttb", out, "i", meeting_id);
}

int agenda_add(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
	       const char *title, const char *detail, const char *source, const char *source_key,
	       const char *link, int *added)
{
	int64_t n = 0, id = 0;
	json_t *row;
	int rc;

	if (added)
		*added = 0;
	if (!meeting_text_ok(title, 1, MEETING_TITLE_MAX) ||
	    !meeting_text_ok(detail ? detail : "", 0, MEETING_TEXT_MAX))
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	if (!in_area(db, "meetings", area_id, meeting_id))
		return db_finish(db, LIN_ENOTFOUND);
	if (source_key) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db,
				"SELECT COUNT(*) FROM agenda_items WHERE meeting_id = ?"
				" AND source_key = ?",
				&st);
		if (!rc) {
			db_bindf(st, "it", meeting_id, source_key);
			rc = db_step_one(st);
			n = rc ? 0 : db_column_int64(st, 0);
			db_finalize(st);
		}
	}
	if (rc || n)
		return db_finish(db, rc);
	rc = db_query_row(db,
			  "INSERT INTO agenda_items (area_id, meeting_id, position, title, detail,"
			  " source, source_key, link) SELECT CAST(? AS BIGINT), CAST(? AS BIGINT),"
			  " COALESCE(MAX(position), 0) + 1, CAST(? AS TEXT), CAST(? AS TEXT),"
			  " CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) FROM agenda_items "
			  "WHERE meeting_id = ? RETURNING id",
			  &id, "iittttti", area_id, meeting_id, title, detail ? detail : "", source,
			  source_key, link ? link : "", meeting_id);
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s}", "meeting_id",
				(json_int_t)meeting_id, "title", title, "detail",
				detail ? detail : "", "source", source, "source_key", source_key,
				"link", link ? link : "");
		rc = audit_append_area(db, s, area_id, "create", "agenda_items", id, row);
		json_decref(row);
	}
	if (!rc && added)
		*added = 1;
	return db_finish(db, rc);
}

int agenda_edit(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		int64_t item_id, const char *op, const char *title, const char *detail)
{
	int64_t pos = 0, other = 0, other_pos = 0;
	int up = !strcmp(op, "up");
	json_t *row;
	int rc;

	if (!strcmp(op, "save") && (!meeting_text_ok(title, 1, MEETING_TITLE_MAX) ||
				    !meeting_text_ok(detail ? detail : "", 0, MEETING_TEXT_MAX)))
		return LIN_EINVAL;
	if (strcmp(op, "save") && strcmp(op, "delete") && !up && strcmp(op, "down"))
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT position FROM agenda_items WHERE id = ? AND meeting_id = ?"
			  " AND area_id = ? AND deleted = 0",
			  &pos, "iii", item_id, meeting_id, area_id);
	if (rc)
		return db_finish(db, rc);
	if (!strcmp(op, "save"))
		rc = db_exec_args(db,
				  "UPDATE agenda_items SET title = ?, detail = ?, edited = 1"
				  " WHERE id = ?",
				  NULL, "tti", title, detail ? detail : "", item_id);
	else if (!strcmp(op, "delete"))
		rc = db_exec_args(db, "UPDATE agenda_items SET deleted = 1 WHERE id = ?", NULL, "i",
				  item_id);
	else {
		/* Swap places with the neighbour above or below (none: stays). */
		struct db_stmt *st = NULL;
		rc = db_prepare(
		    db,
		    up ? "SELECT id, position FROM agenda_items WHERE meeting_id = ?"
			 " AND deleted = 0 AND position < ? ORDER BY position DESC LIMIT 1"
		       : "SELECT id, position FROM agenda_items WHERE meeting_id = ?"
			 " AND deleted = 0 AND position > ? ORDER BY position LIMIT 1",
		    &st);
		if (!rc) {
			db_bindf(st, "ii", meeting_id, pos);
			rc = db_step_one(st);
			if (!rc) {
				other = db_column_int64(st, 0);
				other_pos = db_column_int64(st, 1);
			}
			db_finalize(st);
		}
		if (rc == LIN_ENOTFOUND)
			return db_finish(db, 0);
		if (!rc)
			rc = db_exec_args(db, "UPDATE agenda_items SET position = ? WHERE id = ?",
					  NULL, "ii", other_pos, item_id);
		if (!rc)
			rc = db_exec_args(db, "UPDATE agenda_items SET position = ? WHERE id = ?",
					  NULL, "ii", pos, other);
	}
	if (!rc) {
		row = json_pack("{s:s, s:s?, s:s?}", "op", op, "title",
				!strcmp(op, "save") ? title : NULL, "detail",
				!strcmp(op, "save") ? detail : NULL);
		rc = audit_append_area(db, s, area_id, "update", "agenda_items", item_id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int meeting_drafted(struct db *db, int64_t meeting_id, int64_t now)
{
	int rc = db_begin(db);

	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE meetings SET drafted_at = ? WHERE id = ?"
				  " AND drafted_at IS NULL",
				  NULL, "ii", now, meeting_id);
	return db_finish(db, rc);
}

/* ------------------------------------------------------------ action items */

int action_create(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		  const struct action_in *in, int64_t *id, const char **field, const char **key)
{
	struct action_change c = {.title = in->title ? in->title : "",
				  .due_on = in->due_on ? in->due_on : ""};
	json_t *row;
	int rc;

	if (action_check(&c, field, key))
		return LIN_EINVAL;
	if (!!in->owner_member_id == !!in->owner_team_id) {
		*field = "owner";
		*key = "meet.err.owner";
		return LIN_EINVAL;
	}
	rc = db_begin(db);
	if (rc)
		return rc;
	if (!in_area(db, "meetings", area_id, meeting_id))
		return db_finish(db, LIN_ENOTFOUND);
	if (in->owner_member_id ? !in_area(db, "members", area_id, in->owner_member_id)
				: !in_area(db, "teams", area_id, in->owner_team_id)) {
		*field = "owner";
		*key = "meet.err.owner";
		return db_finish(db, LIN_EINVAL);
	}
	rc = db_query_row(db,
			  "INSERT INTO action_items (area_id, meeting_id, title, owner_member_id,"
			  " owner_team_id, due_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
			  " RETURNING id",
			  id, "iitrrti", area_id, meeting_id, in->title, in->owner_member_id,
			  in->owner_team_id, in->due_on, (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:I, s:s, s:I, s:I, s:s}", "meeting_id", (json_int_t)meeting_id,
				"title", in->title, "owner_member_id",
				(json_int_t)in->owner_member_id, "owner_team_id",
				(json_int_t)in->owner_team_id, "due_on", in->due_on);
		rc = audit_append_area(db, s, area_id, "create", "action_items", *id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int action_update(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		  const struct action_change *c, const char *today, const char **field,
		  const char **key)
{
	json_t *row;
	int rc;

	if (action_check(c, field, key))
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	if (!in_area(db, "action_items", area_id, id))
		return db_finish(db, LIN_ENOTFOUND);
	if (c->title)
		rc = db_exec_args(db, "UPDATE action_items SET title = ? WHERE id = ?", NULL, "ti",
				  c->title, id);
	if (!rc && c->due_on)
		rc = db_exec_args(db, "UPDATE action_items SET due_on = ? WHERE id = ?", NULL, "ti",
				  c->due_on, id);
	if (!rc && c->state)
		rc = db_exec_args(db,
				  "UPDATE action_items SET state = ?, reason = ?, done_on = ?"
				  " WHERE id = ?",
				  NULL, "ttti", c->state,
				  !strcmp(c->state, "dropped") ? c->reason : "",
				  !strcmp(c->state, "done") ? today : NULL, id);
	if (!rc) {
		row = json_pack("{s:s?, s:s?, s:s?, s:s?}", "state", c->state, "reason", c->reason,
				"due_on", c->due_on, "title", c->title);
		rc = audit_append_area(db, s, area_id, "update", "action_items", id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

#define ACTION_COLS                                                                                \
	"a.id, a.meeting_id, m.title, m.starts_at, a.title, a.owner_member_id,"                    \
	" a.owner_team_id, COALESCE(mb.name, t.name, ''), a.due_on, a.state, a.reason, a.done_on"  \
	" FROM action_items a JOIN meetings m ON m.id = a.meeting_id"                              \
	" LEFT JOIN members mb ON mb.id = a.owner_member_id"                                       \
	" LEFT JOIN teams t ON t.id = a.owner_team_id"
static const char *const action_keys[] = {
    "id",     "meeting_id",	 "meeting_title", "meeting_starts_at",
    "title",  "owner_member_id", "owner_team_id", "owner",
    "due_on", "state",		 "reason",	  "done_on",
    NULL};
#define ACTION_TYPES "iitititttttt"

int action_list(struct db *db, int64_t area_id, int64_t meeting_id, const char *state, json_t **out)
{
	return db_query_json(db,
			     "SELECT " ACTION_COLS " WHERE a.area_id = ?"
			     " AND (CAST(? AS BIGINT) = 0 OR a.meeting_id = ?)"
			     " AND (CAST(? AS TEXT) IS NULL OR a.state = ?)"
			     " ORDER BY m.starts_at, a.id",
			     action_keys, ACTION_TYPES, out, "iiitt", area_id, meeting_id,
			     meeting_id, state, state);
}

int action_open_before(struct db *db, int64_t area_id, int64_t meeting_id, json_t **out)
{
	return db_query_json(
	    db,
	    "SELECT " ACTION_COLS ", meetings me WHERE me.id = ? AND a.area_id = ?"
	    " AND a.state = 'open' AND m.starts_at < me.starts_at AND m.body = me.body"
	    " AND COALESCE(m.branch_id, 0) = COALESCE(me.branch_id, 0)"
	    " AND COALESCE(m.team_id, 0) = COALESCE(me.team_id, 0)"
	    " ORDER BY a.due_on, a.id",
	    action_keys, ACTION_TYPES, out, "ii", meeting_id, area_id);
}

/* ------------------------------------------------------------ the demo's references */

int meetings_demo_refs(struct db *db, int64_t area_id, struct meetings_demo_refs *out)
{
	struct db_stmt *st = NULL;
	static const char *const users[] = {"member", "liaison", "agency"};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_query_row(db,
			  "SELECT id FROM branches WHERE area_id = ? AND parent_id IS NULL"
			  " AND archived = 0 ORDER BY id LIMIT 1",
			  &out->general_branch, "i", area_id);
	if (!rc)
		rc = db_prepare(db,
				"SELECT id FROM units WHERE area_id = ? AND archived = 0"
				" AND kind IN ('agency', 'property') ORDER BY kind, id LIMIT 6",
				&st);
	if (!rc) {
		db_bindf(st, "i", area_id);
		while ((rc = db_step(st)) == DB_ROW && out->nunits < 6)
			out->units[out->nunits++] = db_column_int64(st, 0);
		db_finalize(st);
		rc = rc == DB_DONE ? 0 : rc;
	}
	for (int i = 0; i < 3 && !rc; i++) {
		rc = db_query_row(db,
				  "SELECT u.id FROM users u JOIN user_roles r ON r.user_id = u.id"
				  " WHERE u.username = ? AND r.area_id = ?",
				  &out->users[i], "ti", users[i], area_id);
		if (rc == LIN_ENOTFOUND)
			rc = 0;
	}
	if (!rc)
		rc = db_query_json(db,
				   "SELECT id FROM members WHERE area_id = ? AND archived = 0"
				   " ORDER BY id LIMIT 40",
				   (const char *const[]){"id", NULL}, "i", &out->members, "i",
				   area_id);
	return rc;
}

int meetings_demo_backdate(struct db *db, int64_t meeting_id, int64_t created_at,
			   int64_t checked_in_at)
{
	int rc = db_begin(db);

	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE meetings SET created_at = ?, drafted_at = ? WHERE id = ?",
				  NULL, "iii", created_at, created_at, meeting_id);
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE meeting_invitees SET checked_in_at = ? WHERE meeting_id = ?"
		    " AND status = 'present' AND id % 3 = 0",
		    NULL, "ii", checked_in_at, meeting_id);
	if (!rc)
		rc = db_exec_args(db, "UPDATE action_items SET created_at = ? WHERE meeting_id = ?",
				  NULL, "ii", created_at, meeting_id);
	return db_finish(db, rc);
}
