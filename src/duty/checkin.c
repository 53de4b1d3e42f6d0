/* "My duties": a volunteer's own shifts, checking in at the station with
 * its code (typed, or read from the QR on its sign) and out again, the
 * hours credited at check-out; and the missed-shift alert. The server's
 * clock decides every window (duty.h), never the phone's. */
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../db/jobs.h"
#include "../hours/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

int duty_user_json(struct db *db, int64_t area_id, int64_t user_id, int64_t now, json_t **out)
{
	return duty_my_json(db, area_id, user_id, now, out);
}

int duty_my_json(struct db *db, int64_t area_id, int64_t user_id, int64_t now, json_t **out)
{
	static const char *const keys[] = {
	    "assignment_id", "shift_id", "day",	       "start_at",    "end_at",	     "kind",
	    "where",	     "weather",	 "checkin_at", "checkout_at", "minutes",     "published",
	    "late_drop",     "place_id", "swap_state", "swap_to",     "swap_reason", NULL};
	int64_t vol = 0, minutes = 0;
	json_t *shifts = NULL, *row;
	size_t i;
	int rc = duty_volunteer_of_user(db, area_id, user_id, &vol);

	*out = NULL;
	if (rc)
		return rc;
	rc = db_query_json(
	    db,
	    "SELECT a.id, s.id, s.day, s.start_at, s.end_at, CASE WHEN s.station_id IS NULL"
	    " THEN 'route' ELSE 'station' END, COALESCE(st.name, p.name), s.weather_note,"
	    " a.checkin_at, a.checkout_at, a.minutes, w.published_at IS NOT NULL,"
	    " COALESCE(st.late_drop, ''), COALESCE(s.station_id, s.route_id),"
	    /* the latest swap asked about this place, and its answer */
	    " (SELECT sw.state FROM duty_swaps sw WHERE sw.assignment_id = a.id"
	    "  ORDER BY sw.id DESC LIMIT 1),"
	    " (SELECT r.name FROM duty_swaps sw JOIN volunteers v ON v.id = sw.to_volunteer_id"
	    "  JOIN residents r ON r.id = v.resident_id WHERE sw.assignment_id = a.id"
	    "  ORDER BY sw.id DESC LIMIT 1),"
	    " (SELECT sw.reason FROM duty_swaps sw WHERE sw.assignment_id = a.id"
	    "  ORDER BY sw.id DESC LIMIT 1)"
	    " FROM duty_assignments a"
	    " JOIN duty_shifts s ON s.id = a.shift_id"
	    " JOIN duty_weeks w ON w.area_id = s.area_id AND w.week_start = s.week_start"
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE a.volunteer_id = ? AND a.area_id = ? AND w.published_at IS NOT NULL"
	    " AND s.end_at > ? ORDER BY s.start_at, a.id LIMIT 100",
	    keys, "iitiitttiiibtittt", &shifts, "iii", vol, area_id, now - 7 * 86400);
	if (rc) {
		json_decref(shifts);
		return rc;
	}
	json_array_foreach (shifts, i, row) {
		int64_t start = json_integer_value(json_object_get(row, "start_at"));
		int64_t end = json_integer_value(json_object_get(row, "end_at"));
		int in = json_is_integer(json_object_get(row, "checkin_at"));
		int outd = json_is_integer(json_object_get(row, "checkout_at"));
		char a[6], b[6];
		duty_clock(start, a);
		duty_clock(end, b);
		json_object_set_new(row, "start", json_string(a));
		json_object_set_new(row, "end", json_string(b));
		json_object_set_new(
		    row, "can_checkin",
		    json_boolean(!in && now >= start - DUTY_CHECKIN_EARLY && now <= end));
		json_object_set_new(row, "can_checkout",
				    json_boolean(in && !outd && now <= end + DUTY_CHECKOUT_LATE));
		json_object_set_new(row, "missed", json_boolean(!in && now > end));
	}
	rc = db_query_row(
	    db, "SELECT COALESCE(SUM(minutes), 0) FROM duty_assignments WHERE volunteer_id = ?",
	    &minutes, "i", vol);
	if (rc) {
		json_decref(shifts);
		return rc;
	}
	*out = json_pack("{s:I,s:I,s:o}", "volunteer_id", (json_int_t)vol, "minutes",
			 (json_int_t)minutes, "shifts", shifts);
	return 0;
}

/* One assignment as check-in and check-out need it. */
struct mine {
	int64_t volunteer_id, resident_id, member_id, shift_id, start, end;
	int64_t checkin, checkout; /* 0: not yet */
	int published;
	char code[32], day[11];
};

static int load_assignment(struct db *db, int64_t area_id, int64_t id, struct mine *m)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db,
	    "SELECT a.volunteer_id, v.resident_id, COALESCE(v.member_id, 0), s.id, s.start_at,"
	    " s.end_at, COALESCE(a.checkin_at, 0), COALESCE(a.checkout_at, 0),"
	    " w.published_at IS NOT NULL, COALESCE(st.code, p.code), s.day"
	    " FROM duty_assignments a JOIN volunteers v ON v.id = a.volunteer_id"
	    " JOIN duty_shifts s ON s.id = a.shift_id"
	    " JOIN duty_weeks w ON w.area_id = s.area_id AND w.week_start = s.week_start"
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE a.id = ? AND a.area_id = ?",
	    &st);

	memset(m, 0, sizeof(*m));
	if (!rc)
		rc = db_bindf(st, "ii", id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		m->volunteer_id = db_column_int64(st, 0);
		m->resident_id = db_column_int64(st, 1);
		m->member_id = db_column_int64(st, 2);
		m->shift_id = db_column_int64(st, 3);
		m->start = db_column_int64(st, 4);
		m->end = db_column_int64(st, 5);
		m->checkin = db_column_int64(st, 6);
		m->checkout = db_column_int64(st, 7);
		m->published = (int)db_column_int64(st, 8);
		snprintf(m->code, sizeof(m->code), "%s", db_column_text(st, 9));
		snprintf(m->day, sizeof(m->day), "%s", db_column_text(st, 10));
	}
	db_finalize(st);
	return rc;
}

/* own_assignment: the assignment exists, is published and is the account's. */
static int own_assignment(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
			  struct mine *m, struct duty_err *e)
{
	int64_t vol = 0;
	int rc = load_assignment(db, area_id, id, m);

	if (rc == LIN_ENOTFOUND || (!rc && !m->published))
		return duty_refuse(e, LIN_ENOTFOUND, "duty.err.no_assignment", "assignment_id");
	if (rc)
		return rc;
	rc = duty_volunteer_of_user(db, area_id, who->user_id, &vol);
	if (rc == LIN_ENOTFOUND || (!rc && vol != m->volunteer_id))
		return duty_refuse(e, LIN_EPERM, "duty.err.not_yours", "assignment_id");
	return rc;
}

int duty_checkin(struct db *db, int64_t area_id, const struct duty_actor *who,
		 int64_t assignment_id, const char *code, int64_t now, struct duty_err *e)
{
	struct mine m;
	int64_t changed = 0;
	int rc = own_assignment(db, area_id, who, assignment_id, &m, e);

	if (rc)
		return rc;
	if (m.checkin)
		return duty_refuse(e, LIN_ECONFLICT, "duty.err.twice", "assignment_id");
	if (!code || strcasecmp(code, m.code))
		return duty_refuse(e, 0, "duty.err.code", "code");
	if (now < m.start - DUTY_CHECKIN_EARLY)
		return duty_refuse(e, 0, "duty.err.too_early", "assignment_id");
	if (now > m.end)
		return duty_refuse(e, 0, "duty.err.too_late", "assignment_id");
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE duty_assignments SET checkin_at = ? WHERE id = ?"
			  " AND checkin_at IS NULL",
			  &changed, "ii", now, assignment_id);
	if (!rc && !changed)
		rc = duty_refuse(e, LIN_ECONFLICT, "duty.err.twice", "assignment_id");
	if (!rc) {
		json_t *after = json_pack("{s:I}", "checkin_at", (json_int_t)now);
		rc = duty_audit(db, area_id, who, "checkin", "duty_assignments", assignment_id,
				after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	return rc;
}

int duty_checkout(struct db *db, int64_t area_id, const struct duty_actor *who,
		  int64_t assignment_id, int64_t now, struct duty_err *e, int64_t *minutes)
{
	struct mine m;
	int64_t changed = 0, from, to, mins;
	const char *why = NULL;
	int rc = own_assignment(db, area_id, who, assignment_id, &m, e);

	*minutes = 0;
	if (rc)
		return rc;
	if (!m.checkin)
		return duty_refuse(e, 0, "duty.err.not_checked_in", "assignment_id");
	if (m.checkout)
		return duty_refuse(e, LIN_ECONFLICT, "duty.err.twice_out", "assignment_id");
	if (now > m.end + DUTY_CHECKOUT_LATE)
		return duty_refuse(e, 0, "duty.err.checkout_late", "assignment_id");
	/* Credited: the part of the shift between check-in and check-out. */
	from = m.checkin > m.start ? m.checkin : m.start;
	to = now < m.end ? now : m.end;
	mins = to > from ? (to - from) / 60 : 0;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE duty_assignments SET checkout_at = ?, minutes = ? WHERE id = ?"
			  " AND checkout_at IS NULL",
			  &changed, "iii", now, mins, assignment_id);
	if (!rc && !changed)
		rc = duty_refuse(e, LIN_ECONFLICT, "duty.err.twice_out", "assignment_id");
	if (!rc && mins > 0) {
		/* The day served: when the credited part began (the shift's own
		 * day, unless it runs past midnight). */
		char day[11];
		duty_day_of(from, day);
		struct hours_credit_in c = {m.resident_id, m.member_id, mins, "shift",
					    assignment_id, day,		NULL};
		rc = hours_credit(db, area_id, who->user_id, &c, NULL, &why);
		if (rc && why)
			rc = duty_refuse(e, rc, why, NULL);
	}
	if (!rc) {
		json_t *after = json_pack("{s:I,s:I}", "checkout_at", (json_int_t)now, "minutes",
					  (json_int_t)mins);
		rc = duty_audit(db, area_id, who, "checkout", "duty_assignments", assignment_id,
				after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	if (!rc)
		*minutes = mins;
	return rc;
}

int duty_assignment_at_code(struct db *db, int64_t area_id, int64_t user_id, const char *code,
			    int64_t now, int64_t *out)
{
	int64_t vol = 0;
	int rc = duty_volunteer_of_user(db, area_id, user_id, &vol);

	if (rc)
		return rc;
	return db_query_row(
	    db,
	    "SELECT a.id FROM duty_assignments a JOIN duty_shifts s ON s.id = a.shift_id"
	    " JOIN duty_weeks w ON w.area_id = s.area_id AND w.week_start = s.week_start"
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE a.volunteer_id = ? AND a.area_id = ? AND w.published_at IS NOT NULL"
	    " AND LOWER(COALESCE(st.code, p.code)) = LOWER(?) AND s.start_at - ? <= ?"
	    " AND a.checkout_at IS NULL AND ((a.checkin_at IS NULL AND s.end_at >= ?)"
	    " OR (a.checkin_at IS NOT NULL AND s.end_at + ? >= ?))"
	    " ORDER BY a.checkin_at IS NULL, s.start_at LIMIT 1",
	    out, "iitiiiii", vol, area_id, code ? code : "", (int64_t)DUTY_CHECKIN_EARLY, now, now,
	    (int64_t)DUTY_CHECKOUT_LATE, now);
}

int duty_volunteer_places(struct db *db, int64_t area_id, int64_t volunteer_id, const char *monday,
			  char kind, int64_t place_id, int *yes)
{
	int64_t n = 0;
	int rc = db_query_row(db,
			      "SELECT COUNT(*) FROM duty_assignments a JOIN duty_shifts s"
			      " ON s.id = a.shift_id WHERE a.volunteer_id = ? AND s.area_id = ?"
			      " AND s.week_start = ? AND ((? = 's' AND s.station_id = ?)"
			      " OR (? = 'r' AND s.route_id = ?))",
			      &n, "iittiti", volunteer_id, area_id, monday, kind == 's' ? "s" : "r",
			      place_id, kind == 's' ? "s" : "r", place_id);
	*yes = n > 0;
	return rc;
}

/* ---- the missed-shift alert ---- */

/* missed_message: "duty.inbox.missed|WHERE DAY HH:MM · NAME、NAME": the
 * inbox's key and, after the bar, the shift and the volunteers on it not
 * checked in (names as the registry has them; at most 20). */
static int missed_message(struct db *db, const int64_t *shift, const char *where, const char *day,
			  int64_t start, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	char hhmm[6];
	size_t len;
	int rc, k = 0;

	duty_clock(start, hhmm);
	snprintf(out, n, "duty.inbox.missed|%s %s %s ·", where, day, hhmm);
	rc = db_prepare(db,
			"SELECT r.name FROM duty_assignments a JOIN volunteers v ON v.id ="
			" a.volunteer_id JOIN residents r ON r.id = v.resident_id"
			" WHERE a.shift_id = ? AND a.checkin_at IS NULL ORDER BY a.id LIMIT 20",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", *shift);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		len = strlen(out);
		snprintf(out + len, n - len, "%s%s", k++ ? "、" : " ", db_column_text(st, 0));
		rc = 0;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int duty_missed_sweep(struct db *db, int64_t now, int *alerts)
{
	struct db_stmt *st = NULL;
	struct {
		int64_t shift, area, leader, start;
		char where[160], day[11];
	} due[64];
	int n = 0, rc;

	*alerts = 0;
	rc = db_prepare(
	    db,
	    "SELECT s.id, s.area_id, COALESCE(st.leader_resident_id, p.leader_resident_id, 0),"
	    " s.start_at, COALESCE(st.name, p.name, ''), s.day"
	    " FROM duty_shifts s"
	    " JOIN duty_weeks w ON w.area_id = s.area_id AND w.week_start = s.week_start"
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE w.published_at IS NOT NULL AND s.alerted_at IS NULL"
	    " AND s.start_at <= ? AND s.start_at > ?"
	    " AND EXISTS (SELECT 1 FROM duty_assignments a WHERE a.shift_id = s.id"
	    " AND a.checkin_at IS NULL) ORDER BY s.start_at, s.id LIMIT 64",
	    &st);
	if (!rc)
		rc = db_bindf(st, "ii", now - DUTY_MISSED_AFTER, now - 86400);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		due[n].shift = db_column_int64(st, 0);
		due[n].area = db_column_int64(st, 1);
		due[n].leader = db_column_int64(st, 2);
		due[n].start = db_column_int64(st, 3);
		snprintf(due[n].where, sizeof(due[n].where), "%s", db_column_text(st, 4));
		snprintf(due[n].day, sizeof(due[n].day), "%s", db_column_text(st, 5));
		n++;
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		int64_t changed = 0;
		struct duty_actor sys = {0, "system"};
		char message[1024];
		rc = db_begin(db);
		if (rc)
			return rc;
		/* Which shift and who is not there: the key, then the details
		 * the inbox shows after its text ("key|details"). */
		rc = missed_message(db, &due[i].shift, due[i].where, due[i].day, due[i].start,
				    message, sizeof(message));
		rc = db_exec_args(db,
				  "UPDATE duty_shifts SET alerted_at = ? WHERE id = ?"
				  " AND alerted_at IS NULL",
				  &changed, "ii", now, due[i].shift);
		/* The leader's accounts, and each staff account of the area
		 * (a leader who is staff hears once). */
		if (!rc && changed)
			rc = db_exec_args(
			    db,
			    "INSERT INTO inbox (area_id, user_id, at, message)"
			    " SELECT ?, u.id, ?, ? FROM users u WHERE u.disabled = 0"
			    " AND ((u.resident_id = ? AND ? <> 0) OR u.id IN (SELECT r.user_id"
			    " FROM user_roles r WHERE r.area_id = ? AND r.role = 'staff'))",
			    NULL, "iitiii", due[i].area, now, message, due[i].leader, due[i].leader,
			    due[i].area);
		if (!rc && changed) {
			json_t *after = json_pack("{s:I}", "alerted_at", (json_int_t)now);
			rc = duty_audit(db, due[i].area, &sys, "alert", "duty_shifts", due[i].shift,
					after);
			json_decref(after);
		}
		if (!rc)
			rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			return rc;
		}
		*alerts += changed > 0;
	}
	return n == 64 ? JOB_MORE : 0;
}

static int missed_job(struct db *db, int64_t now, void *arg, const atomic_int *stop)
{
	int alerts = 0;
	int rc = duty_missed_sweep(db, now, &alerts);

	(void)arg;
	(void)stop;
	return rc == JOB_MORE ? JOB_MORE : rc;
}

const struct job duty_jobs[] = {
    {"duty.missed", 60, missed_job, NULL},
    {NULL, 0, NULL, NULL},
};

int duty_assignment_checked_in(struct db *db, int64_t area_id, int64_t id, int *yes)
{
	int64_t n = 0;
	int rc = db_query_row(db,
			      "SELECT COUNT(*) FROM duty_assignments WHERE id = ? AND area_id = ?"
			      " AND checkin_at IS NOT NULL",
			      &n, "ii", id, area_id);

	*yes = n > 0;
	return rc;
}
