/* The events' SQL: events, registrations with the wait list, check-in,
 * walk-ins and feedback (the race is in store_race.c, the counts others
 * read in store_stats.c). Every write runs in its own transaction with its
 * audit entry.
 *
 * Places are never over-sold, also with many servers on one PostgreSQL:
 * each write that moves places takes the event's named lock (db_lock, an
 * advisory transaction lock on PostgreSQL; SQLite's write transaction
 * already serialises), and the seat is taken by one conditional UPDATE
 * (registered + n <= capacity) under a CHECK that says the same. */
#include "internal.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../notify/sms.h"
#include "../registry/registry.h"
#include "../web/http.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ helpers */

int events_audit(struct db *db, const struct session *s, int64_t area_id, const char *action,
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
	json_decref(after);
	return rc;
}

int events_finish(struct db *db, int rc)
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

static int text_ok(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n >= min && n <= max;
}

static int one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

int event_kind_valid(const char *s)
{
	static const char *const kinds[] = {"lecture", "class", "game", "race", NULL};
	return one_of(s, kinds);
}

int event_audience_valid(const char *s)
{
	static const char *const a[] = {"all", "children", "members", NULL};
	return one_of(s, a);
}

int event_places(const char *audience, int nchildren)
{
	if (!strcmp(audience, "children"))
		return nchildren;
	return 1 + nchildren;
}

/* lock_event: serialise with every other writer of this event's places. */
static int lock_event(struct db *db, int64_t event_id)
{
	char name[40];

	snprintf(name, sizeof(name), "events.%lld", (long long)event_id);
	return db_lock(db, name);
}

/* new_code: an unguessable check-in code (8 characters, no 0/O/1/I). */
static void new_code(char out[EVENT_CODE_LEN + 1])
{
	static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

	for (int i = 0; i < EVENT_CODE_LEN; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[EVENT_CODE_LEN] = '\0';
}

/* ------------------------------------------------------------ events */

int event_create(struct db *db, const struct session *s, int64_t area_id, const struct event_in *in,
		 int64_t *id, const char **key)
{
	const char *org = in->organiser ? in->organiser : "committee";
	const char *rule = in->race_rule ? in->race_rule : "ordered";
	int64_t n = 0;
	int rc;

	*key = NULL;
	if (!event_kind_valid(in->kind))
		*key = "events.err.kind";
	else if (!text_ok(in->title, 1, EVENT_TITLE_MAX))
		*key = "events.err.title";
	else if (!text_ok(in->place ? in->place : "", 0, EVENT_TEXT_MAX) ||
		 !text_ok(in->detail ? in->detail : "", 0, EVENT_TEXT_MAX))
		*key = "events.err.text";
	else if (strcmp(org, "committee") && strcmp(org, "team") && strcmp(org, "unit"))
		*key = "events.err.organiser";
	else if (!event_audience_valid(in->audience))
		*key = "events.err.audience";
	else if (in->starts_at <= 0 || in->ends_at <= in->starts_at)
		*key = "events.err.time";
	else if (in->capacity < 0 || in->capacity > EVENT_CAPACITY_MAX)
		*key = "events.err.capacity";
	else if (in->opens_at <= 0 || in->closes_at <= in->opens_at || in->closes_at > in->ends_at)
		*key = "events.err.window";
	else if (strcmp(rule, "ordered") && strcmp(rule, "score"))
		*key = "events.err.rule";
	else if (in->time_limit < 0 || in->penalty_per_minute < 0 || in->project_id < 0)
		*key = "events.err.rule";
	if (*key)
		return LIN_EINVAL;
	if (!strcmp(org, "team"))
		rc = db_query_int64(db, "SELECT COUNT(*) FROM teams WHERE area_id = ? AND id = ?",
				    &n, 2, area_id, in->team_id);
	else if (!strcmp(org, "unit"))
		rc = db_query_int64(db, "SELECT COUNT(*) FROM units WHERE area_id = ? AND id = ?",
				    &n, 2, area_id, in->unit_id);
	else
		rc = 0, n = 1;
	if (rc)
		return rc;
	if (!n) {
		*key = "events.err.organiser";
		return LIN_EINVAL;
	}
	/* the co-building project the event carries out (0024's projects) */
	if (in->project_id > 0) {
		rc = db_query_int64(
		    db, "SELECT COUNT(*) FROM cobuild_projects WHERE area_id = ? AND id = ?", &n, 2,
		    area_id, in->project_id);
		if (rc)
			return rc;
		if (!n) {
			*key = "events.err.project";
			return LIN_EINVAL;
		}
	}
	rc = db_begin(db);
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO events (area_id, kind, title, detail, organiser, team_id, unit_id,"
		    " place, starts_at, ends_at, audience, capacity, opens_at, closes_at, "
		    "project_id,"
		    " race_rule, time_limit, penalty_per_minute, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "
		    "id",
		    id, "ittttrrtiitiiirtiii", area_id, in->kind, in->title,
		    in->detail ? in->detail : "", org, !strcmp(org, "team") ? in->team_id : 0,
		    !strcmp(org, "unit") ? in->unit_id : 0, in->place ? in->place : "",
		    in->starts_at, in->ends_at, in->audience, in->capacity, in->opens_at,
		    in->closes_at, in->project_id, rule, in->time_limit, in->penalty_per_minute,
		    in->opens_at);
	if (!rc)
		rc = events_audit(db, s, area_id, "create", "events", *id,
				  json_pack("{s:s, s:s, s:I, s:I, s:I}", "kind", in->kind, "title",
					    in->title, "starts_at", (json_int_t)in->starts_at,
					    "capacity", (json_int_t)in->capacity, "project_id",
					    (json_int_t)in->project_id));
	return events_finish(db, rc);
}

int event_get(struct db *db, int64_t area_id, int64_t id, struct event_row *out)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT id, kind, audience, race_rule, title, starts_at, ends_at,"
		       " opens_at, closes_at, capacity, registered, time_limit,"
		       " penalty_per_minute, cancelled FROM events WHERE area_id = ? AND id = ?",
		       &st);

	memset(out, 0, sizeof(*out));
	if (rc)
		return rc;
	db_bindf(st, "ii", area_id, id);
	rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		snprintf(out->kind, sizeof(out->kind), "%s", db_column_text(st, 1));
		snprintf(out->audience, sizeof(out->audience), "%s", db_column_text(st, 2));
		snprintf(out->race_rule, sizeof(out->race_rule), "%s", db_column_text(st, 3));
		snprintf(out->title, sizeof(out->title), "%s", db_column_text(st, 4));
		out->starts_at = db_column_int64(st, 5);
		out->ends_at = db_column_int64(st, 6);
		out->opens_at = db_column_int64(st, 7);
		out->closes_at = db_column_int64(st, 8);
		out->capacity = db_column_int64(st, 9);
		out->registered = db_column_int64(st, 10);
		out->time_limit = db_column_int64(st, 11);
		out->penalty_per_minute = db_column_int64(st, 12);
		out->cancelled = (int)db_column_int64(st, 13);
	}
	db_finalize(st);
	return rc;
}

int events_list_json(struct db *db, int64_t area_id, int64_t from, json_t **out)
{
	static const char *const keys[] = {"id",	"kind",		  "title",     "detail",
					   "organiser", "organiser_name", "place",     "starts_at",
					   "ends_at",	"audience",	  "capacity",  "registered",
					   "waiting",	"opens_at",	  "closes_at", "project_id",
					   "race_rule", "cancelled",	  NULL};
	return db_query_json(
	    db,
	    "SELECT e.id, e.kind, e.title, e.detail, e.organiser, COALESCE(t.name, u.name, ''),"
	    " e.place, e.starts_at, e.ends_at, e.audience, e.capacity, e.registered,"
	    " (SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id"
	    "  AND r.status = 'waiting'), e.opens_at, e.closes_at, e.project_id, e.race_rule,"
	    " e.cancelled FROM events e LEFT JOIN teams t ON t.id = e.team_id"
	    " LEFT JOIN units u ON u.id = e.unit_id WHERE e.area_id = ? AND e.ends_at > ?"
	    " ORDER BY e.starts_at, e.id",
	    keys, "ittttttiitiiiiiitb", out, "ii", area_id, from);
}

/* ------------------------------------------------------------ registration */

/* seats_take: one conditional UPDATE; *got 1 when n places were free. */
static int seats_take(struct db *db, int64_t event_id, int n, int *got)
{
	int64_t changed = 0;
	int rc = db_exec_args(db,
			      "UPDATE events SET registered = registered + ? WHERE id = ?"
			      " AND registered + ? <= capacity",
			      &changed, "iii", (int64_t)n, event_id, (int64_t)n);

	*got = !rc && changed == 1;
	return rc;
}

int event_register(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		   const struct reg_in *in, int64_t now, struct reg_out *out, const char **key)
{
	struct event_row e;
	char live[64];
	int64_t dup = 0;
	int places, got = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	*key = NULL;
	rc = event_get(db, area_id, event_id, &e);
	if (rc == LIN_ENOTFOUND)
		*key = "events.err.event";
	if (rc)
		return rc;
	places = event_places(e.audience, in->nchildren);
	if (e.cancelled)
		*key = "events.err.cancelled";
	else if (now < e.opens_at || now >= e.closes_at)
		*key = "events.err.closed";
	else if (!text_ok(in->name, 1, EVENT_NAME_MAX))
		*key = "events.err.name";
	else if (!in->user_id && !(in->phone && registry_phone_valid(in->phone)))
		*key = "events.err.phone";
	else if (in->nchildren < 0 || in->nchildren > EVENT_CHILDREN_MAX)
		*key = "events.err.children";
	else if (!strcmp(e.audience, "children") && in->nchildren < 1)
		*key = "events.err.need_child";
	else if (places > e.capacity)
		*key = "events.err.too_many";
	for (int i = 0; !*key && i < in->nchildren; i++)
		if (!text_ok(in->children[i], 1, EVENT_NAME_MAX))
			*key = "events.err.child_name";
	if (*key)
		return LIN_EINVAL;
	if (in->user_id)
		snprintf(live, sizeof(live), "u%lld", (long long)in->user_id);
	else
		snprintf(live, sizeof(live), "p%s", in->phone);
	rc = db_begin(db);
	if (!rc)
		rc = lock_event(db, event_id);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM event_registrations WHERE event_id = ?"
				    " AND live_key = ?",
				    &dup, 2, event_id, live);
	if (!rc && dup) {
		*key = "events.err.twice";
		rc = LIN_ECONFLICT;
	}
	if (!rc)
		rc = seats_take(db, event_id, places, &got);
	new_code(out->code);
	snprintf(out->status, sizeof(out->status), "%s", got ? "confirmed" : "waiting");
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO event_registrations (area_id, event_id, user_id, name,"
		    " phone, status, code, created_at, live_key)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    &out->id, "iirttttit", area_id, event_id, in->user_id, in->name,
		    in->phone ? in->phone : "", out->status, out->code, now, live);
	for (int i = 0; !rc && i < in->nchildren; i++) {
		char code[EVENT_CODE_LEN + 1];
		new_code(code);
		rc = db_exec_args(
		    db,
		    "INSERT INTO event_registrations (area_id, event_id, user_id, name,"
		    " phone, guardian_id, status, code, created_at)"
		    " VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)",
		    NULL, "iirtitti", area_id, event_id, in->user_id, in->children[i], out->id,
		    out->status, code, now);
	}
	if (!rc && !got) {
		int64_t ahead = 0;
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM event_registrations WHERE event_id = ?"
				    " AND status = 'waiting' AND guardian_id IS NULL AND id <= ?",
				    &ahead, 2, event_id, out->id);
		out->waiting = (int)ahead;
	}
	if (!rc)
		rc = events_audit(db, s, area_id, "register", "event_registrations", out->id,
				  json_pack("{s:I, s:s, s:i}", "event_id", (json_int_t)event_id,
					    "status", out->status, "children", in->nchildren));
	if (rc && !*key && db_error_is_constraint(db)) {
		*key = "events.err.twice";
		rc = LIN_ECONFLICT;
	}
	return events_finish(db, rc);
}

/* places_of: the places registration id holds (itself and its children). */
static int places_of(struct db *db, const char *audience, int64_t id, int *out)
{
	int64_t kids = 0;
	int rc = db_query_int64(db,
				"SELECT COUNT(*) FROM event_registrations WHERE guardian_id = ?"
				" AND status <> 'cancelled'",
				&kids, 1, id);

	*out = event_places(audience, (int)kids);
	return rc;
}

/* set_status: registration id and its children from one status to another. */
static int set_status(struct db *db, int64_t id, const char *from, const char *to, int64_t now,
		      int64_t *changed)
{
	int rc =
	    db_exec_args(db,
			 "UPDATE event_registrations SET status = ?,"
			 " promoted_at = CASE WHEN ? = 'confirmed' THEN ? ELSE promoted_at END,"
			 " live_key = CASE WHEN ? = 'cancelled' THEN NULL ELSE live_key END"
			 " WHERE id = ? AND status = ?",
			 changed, "ttitit", to, to, now, to, id, from);

	if (!rc && *changed)
		rc = db_exec_args(db,
				  "UPDATE event_registrations SET status = ? WHERE guardian_id = ?"
				  " AND status = ?",
				  NULL, "tit", to, id, from);
	return rc;
}

/* tell_promoted: the registrant learns they have a place: in their inbox
 * when they registered with an account, else by a text to the phone they
 * gave (the area's SMS sender; the log in development). */
static int tell_promoted(struct db *db, int64_t area_id, const struct event_row *e, int64_t user_id,
			 const char *phone, const char *code, int64_t now)
{
	char text[EVENT_TITLE_MAX + 200], when[24];
	time_t local = (time_t)(e->starts_at + 8 * 3600); /* Shanghai: UTC+8, no DST */
	struct tm tm;

	if (user_id) {
		snprintf(text, sizeof(text), "events.inbox.promoted|%s", e->title);
		return db_exec_args(db,
				    "INSERT INTO inbox (area_id, user_id, at, message)"
				    " VALUES (?, ?, ?, ?)",
				    NULL, "iiit", area_id, user_id, now, text);
	}
	if (!phone[0])
		return 0; /* a walk-in's companion: nobody to tell */
	gmtime_r(&local, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	snprintf(text, sizeof(text),
		 "【邻里】候补成功：您已获得活动「%s」的名额，%s 开始。签到码 %s。不能参加请取消，"
		 "把名额让给别人。",
		 e->title, when, code);
	return sms_send(db, area_id, phone, "events.promoted", text);
}

/* One registration waiting for a place, oldest first. */
struct waiting {
	int64_t id, user_id;
	char phone[16], code[EVENT_CODE_LEN + 1];
};

/* promote: fill free places from the wait list in order of arrival,
 * passing over a registration that needs more places than are free.
 * Inside the caller's transaction, under the event's lock. */
static int promote(struct db *db, const struct session *s, int64_t area_id,
		   const struct event_row *e, int64_t now, int *promoted)
{
	struct waiting *w = NULL;
	int n = 0, rc;
	struct db_stmt *st = NULL;

	rc = db_prepare(db,
			"SELECT id, COALESCE(user_id, 0), phone, code FROM event_registrations"
			" WHERE event_id = ? AND status = 'waiting' AND guardian_id IS NULL"
			" ORDER BY id LIMIT 256",
			&st);
	if (!rc)
		db_bindf(st, "i", e->id);
	if (!rc && !(w = calloc(256, sizeof(*w))))
		rc = LIN_ENOMEM;
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		w[n].id = db_column_int64(st, 0);
		w[n].user_id = db_column_int64(st, 1);
		snprintf(w[n].phone, sizeof(w[n].phone), "%s", db_column_text(st, 2));
		snprintf(w[n].code, sizeof(w[n].code), "%s", db_column_text(st, 3));
		n++;
		rc = 0;
	}
	db_finalize(st);
	for (int i = 0; rc >= 0 && i < n; i++) {
		int places, got = 0;
		int64_t changed = 0;
		rc = places_of(db, e->audience, w[i].id, &places);
		if (!rc)
			rc = seats_take(db, e->id, places, &got);
		if (rc || !got)
			continue;
		rc = set_status(db, w[i].id, "waiting", "confirmed", now, &changed);
		if (!rc && changed != 1)
			rc = LIN_ECONFLICT; /* never: the lock holds; roll it all back */
		if (!rc)
			rc =
			    tell_promoted(db, area_id, e, w[i].user_id, w[i].phone, w[i].code, now);
		if (!rc)
			rc = events_audit(db, s, area_id, "promote", "event_registrations", w[i].id,
					  json_pack("{s:s}", "status", "confirmed"));
		if (!rc && promoted)
			(*promoted)++;
	}
	free(w);
	return rc < 0 ? rc : 0;
}

int event_cancel(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		 const char *code, int64_t user_id, int64_t now, int *promoted, const char **key)
{
	struct event_row e;
	struct db_stmt *st = NULL;
	int64_t id = 0, owner = 0, changed = 0;
	char status[16] = "";
	int places = 0;
	int rc;

	*key = NULL;
	if (promoted)
		*promoted = 0;
	rc = event_get(db, area_id, event_id, &e);
	if (rc == LIN_ENOTFOUND)
		*key = "events.err.event";
	if (rc)
		return rc;
	rc = db_begin(db);
	if (!rc)
		rc = lock_event(db, event_id);
	if (!rc)
		rc = db_prepare(db,
				"SELECT id, status, COALESCE(user_id, 0) FROM event_registrations"
				" WHERE event_id = ? AND code = ? AND guardian_id IS NULL",
				&st);
	if (!rc) {
		db_bindf(st, "it", event_id, code ? code : "");
		rc = db_step_one(st);
		if (!rc) {
			id = db_column_int64(st, 0);
			snprintf(status, sizeof(status), "%s", db_column_text(st, 1));
			owner = db_column_int64(st, 2);
		}
		db_finalize(st);
	}
	if (rc == LIN_ENOTFOUND || (!rc && user_id && owner != user_id)) {
		*key = "events.err.code";
		rc = LIN_ENOTFOUND;
	} else if (!rc && strcmp(status, "confirmed") && strcmp(status, "waiting")) {
		*key = "events.err.not_live";
		rc = LIN_ECONFLICT;
	}
	if (!rc && !strcmp(status, "confirmed"))
		rc = places_of(db, e.audience, id, &places);
	if (!rc)
		rc = set_status(db, id, status, "cancelled", now, &changed);
	if (!rc && changed && places)
		rc = db_exec_args(db, "UPDATE events SET registered = registered - ? WHERE id = ?",
				  NULL, "ii", (int64_t)places, event_id);
	if (!rc)
		rc = events_audit(db, s, area_id, "cancel", "event_registrations", id,
				  json_pack("{s:s}", "was", status));
	if (!rc && places)
		rc = promote(db, s, area_id, &e, now, promoted);
	return events_finish(db, rc);
}

/* ------------------------------------------------------------ check-in */

int event_checkin(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		  const char *code, int64_t now, char *name, size_t n, const char **key)
{
	struct db_stmt *st = NULL;
	int64_t id = 0, at_event = 0, in = 0, changed = 0;
	char status[16] = "";
	int rc;

	*key = NULL;
	name[0] = '\0';
	rc = db_prepare(
	    db,
	    "SELECT r.id, r.event_id, r.status, CASE WHEN r.checked_in_at IS NULL THEN 0"
	    " ELSE 1 END, r.name FROM event_registrations r WHERE r.area_id = ?"
	    " AND r.code = ? ORDER BY CASE WHEN r.event_id = ? THEN 0 ELSE 1 END LIMIT 1",
	    &st);
	if (!rc) {
		db_bindf(st, "iti", area_id, code ? code : "", event_id);
		rc = db_step_one(st);
		if (!rc) {
			id = db_column_int64(st, 0);
			at_event = db_column_int64(st, 1);
			snprintf(status, sizeof(status), "%s", db_column_text(st, 2));
			in = db_column_int64(st, 3);
			snprintf(name, n, "%s", db_column_text(st, 4));
		}
		db_finalize(st);
	}
	if (rc == LIN_ENOTFOUND)
		*key = "events.err.code";
	else if (!rc && at_event != event_id)
		*key = "events.err.other_event", rc = LIN_EINVAL;
	else if (!rc && strcmp(status, "confirmed"))
		*key = "events.err.not_confirmed", rc = LIN_EINVAL;
	else if (!rc && in)
		*key = "events.err.already", rc = LIN_ECONFLICT;
	if (rc)
		return rc;
	rc = db_begin(db);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE event_registrations SET checked_in_at = ?"
				  " WHERE (id = ? OR guardian_id = ?) AND status = 'confirmed'"
				  " AND checked_in_at IS NULL",
				  &changed, "iii", now, id, id);
	if (!rc && !changed)
		*key = "events.err.already", rc = LIN_ECONFLICT;
	if (!rc)
		rc = events_audit(db, s, area_id, "checkin", "event_registrations", id,
				  json_pack("{s:I}", "checked_in_at", (json_int_t)now));
	return events_finish(db, rc);
}

int event_walk_in(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		  const char *name, const char *phone, int64_t now, const char **key)
{
	struct event_row e;
	char code[EVENT_CODE_LEN + 1];
	int64_t id = 0;
	int rc;

	*key = NULL;
	rc = event_get(db, area_id, event_id, &e);
	if (rc == LIN_ENOTFOUND)
		*key = "events.err.event";
	if (rc)
		return rc;
	if (!text_ok(name, 1, EVENT_NAME_MAX))
		*key = "events.err.name";
	else if (phone && *phone && !registry_phone_valid(phone))
		*key = "events.err.phone";
	if (*key)
		return LIN_EINVAL;
	new_code(code);
	rc = db_begin(db);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO event_registrations (area_id, event_id, name, phone,"
				  " status, code, checked_in_at, created_at)"
				  " VALUES (?, ?, ?, ?, 'walk_in', ?, ?, ?) RETURNING id",
				  &id, "iitttii", area_id, event_id, name, phone ? phone : "", code,
				  now, now);
	if (!rc)
		rc = events_audit(db, s, area_id, "walk_in", "event_registrations", id,
				  json_pack("{s:I}", "event_id", (json_int_t)event_id));
	return events_finish(db, rc);
}

int event_feedback(struct db *db, int64_t area_id, int64_t event_id, const char *code, int rating,
		   const char *comment, int64_t now, const char **key)
{
	struct event_row e;
	int64_t changed = 0;
	int rc;

	*key = NULL;
	rc = event_get(db, area_id, event_id, &e);
	if (rc == LIN_ENOTFOUND)
		*key = "events.err.event";
	if (rc)
		return rc;
	if (rating < 1 || rating > 5)
		*key = "events.err.rating";
	else if (!text_ok(comment ? comment : "", 0, EVENT_TEXT_MAX))
		*key = "events.err.text";
	else if (now < e.ends_at)
		*key = "events.err.not_ended";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE event_registrations SET rating = ?, comment = ?"
				  " WHERE event_id = ? AND code = ? AND guardian_id IS NULL"
				  " AND checked_in_at IS NOT NULL",
				  &changed, "itit", (int64_t)rating, comment ? comment : "",
				  event_id, code ? code : "");
	if (!rc && !changed)
		*key = "events.err.not_attended", rc = LIN_ENOTFOUND;
	if (!rc)
		rc = events_audit(db, NULL, area_id, "feedback", "events", event_id,
				  json_pack("{s:i}", "rating", rating));
	return events_finish(db, rc);
}

int event_attendees_json(struct db *db, int64_t area_id, int64_t event_id, int show_phone,
			 json_t **out)
{
	static const char *const keys[] = {"id",	  "name",	"phone",  "status",
					   "guardian_id", "checked_in", "rating", "comment",
					   "code",	  NULL};
	size_t i;
	json_t *row;
	int rc = db_query_json(
	    db,
	    "SELECT id, name, phone, status, guardian_id, CASE WHEN checked_in_at IS NULL"
	    " THEN 0 ELSE 1 END, rating, comment, code FROM event_registrations"
	    " WHERE area_id = ? AND event_id = ? ORDER BY id",
	    keys, "itttibitt", out, "ii", area_id, event_id);

	json_array_foreach (*out, i, row) {
		char masked[32];
		if (show_phone)
			continue;
		registry_phone_mask(json_string_value(json_object_get(row, "phone")), masked,
				    sizeof(masked));
		json_object_set_new(row, "phone", json_string(masked));
	}
	return rc;
}

int event_org_find(struct db *db, int64_t area_id, const char *table, const char *name, int64_t *id)
{
	int rc = db_query_row(db,
			      !strcmp(table, "teams")
				  ? "SELECT id FROM teams WHERE area_id = ? AND name = ?"
				  : "SELECT id FROM units WHERE area_id = ? AND name = ?",
			      id, "it", area_id, name);

	if (rc == LIN_ENOTFOUND) {
		*id = 0;
		rc = 0;
	}
	return rc;
}
