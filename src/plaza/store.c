/* The plaza's SQL for pages and the API: a published week with its
 * sessions, and each team's compliance (minutes over the zone's cap during
 * its own sessions, measured by the meters watching that zone). */
#include "store.h"
#include "instance.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../noise/noise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int plaza_monday_epoch(const char *monday, int64_t *out)
{
	int y, m, d;
	struct tm tm = {0};

	if (parse_date(monday, &y, &m, &d))
		return LIN_EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	*out = (int64_t)timegm(&tm) - PLAZA_TZ_OFFSET;
	return 0;
}

void plaza_monday_add(const char *monday, int weeks, char out[11])
{
	int64_t t = 0;

	plaza_monday_epoch(monday, &t);
	plaza_local(t + (int64_t)weeks * 7 * 86400 + 43200, NULL, NULL, out);
}

int plaza_week_get(struct db *db, int64_t area_id, const char *monday, json_t **out)
{
	struct db_stmt *st = NULL;
	json_t *week = NULL, *sessions;
	int64_t week_id = 0;
	int rc;

	*out = NULL;
	rc = db_prepare(
	    db,
	    "SELECT w.id, w.published_at, COALESCE(u.username, ''), w.solver, w.objective,"
	    " w.worst_margin_centi, w.unplaced FROM schedule_weeks w"
	    " LEFT JOIN users u ON u.id = w.published_by"
	    " WHERE w.area_id = ? AND w.week_start = ?",
	    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_text(st, 2, monday);
	rc = db_step_one(st);
	if (!rc) {
		json_t *unplaced = json_loads(db_column_text(st, 6), 0, NULL);
		week_id = db_column_int64(st, 0);
		week = json_pack("{s:s, s:I, s:s, s:s, s:I, s:f, s:o}", "week_start", monday,
				 "published_at", (json_int_t)db_column_int64(st, 1), "published_by",
				 db_column_text(st, 2), "solver", db_column_text(st, 3),
				 "objective", (json_int_t)db_column_int64(st, 4), "worst_margin",
				 (double)db_column_int64(st, 5) / 100.0, "unplaced",
				 unplaced ? unplaced : json_array());
	}
	db_finalize(st);
	if (rc)
		return rc;
	sessions = json_array();
	json_object_set_new(week, "sessions", sessions);
	rc = db_prepare(
	    db,
	    "SELECT s.day, s.start_min, s.end_min, s.prime, s.zone_id, z.name,"
	    " s.dance_team_id, d.team_id, t.name FROM schedule_sessions s"
	    " JOIN plaza_zones z ON z.id = s.zone_id"
	    " JOIN dance_teams d ON d.id = s.dance_team_id JOIN teams t ON t.id = d.team_id"
	    " WHERE s.week_id = ? ORDER BY s.day, s.start_min, z.id, t.name",
	    &st);
	if (!rc) {
		db_bind_int64(st, 1, week_id);
		while ((rc = db_step(st)) == DB_ROW) {
			char start[6], end[6];
			plaza_hhmm((int)db_column_int64(st, 1), start);
			plaza_hhmm((int)db_column_int64(st, 2), end);
			json_array_append_new(
			    sessions,
			    json_pack(
				"{s:I, s:s, s:s, s:b, s:I, s:s, s:I, s:I, s:s}", "day",
				(json_int_t)db_column_int64(st, 0), "start", start, "end", end,
				"prime", (int)db_column_int64(st, 3), "zone_id",
				(json_int_t)db_column_int64(st, 4), "zone", db_column_text(st, 5),
				"dance_team_id", (json_int_t)db_column_int64(st, 6), "team_id",
				(json_int_t)db_column_int64(st, 7), "team", db_column_text(st, 8)));
		}
		db_finalize(st);
		rc = rc == DB_DONE ? 0 : rc;
	}
	if (rc) {
		json_decref(week);
		return rc;
	}
	*out = week;
	return 0;
}

int plaza_week_at(struct db *db, int64_t area_id, int64_t t, json_t **out)
{
	char monday[11];

	plaza_local(t, NULL, NULL, monday);
	return plaza_week_get(db, area_id, monday, out);
}

/* One session's measurements, over every meter watching its zone: a
 * second counts when any meter measured it, a clock minute is over when
 * any meter's LAeq of that minute was above its limit. */
struct session_tally {
	int64_t from, to;     /* the session, [from, to) */
	unsigned char *seen;  /* per second of the session: measured */
	unsigned char *over;  /* per clock minute touching it: over */
	int64_t first_minute; /* the clock minute over[0] stands for */
	int64_t nminutes;     /* entries in over */
};

static int tally_begin(struct session_tally *t, int64_t from, int64_t to)
{
	t->from = from;
	t->to = to > from ? to : from;
	t->first_minute = from - (from % 60);
	t->nminutes = (t->to - t->first_minute + 59) / 60;
	t->seen = calloc((size_t)(t->to - t->from) + 1, 1);
	t->over = calloc((size_t)t->nminutes + 1, 1);
	return t->seen && t->over ? 0 : LIN_ENOMEM;
}

static void tally_end(struct session_tally *t, int64_t *seconds, int64_t *minutes)
{
	*seconds = *minutes = 0;
	for (int64_t i = 0; t->seen && i < t->to - t->from; i++)
		*seconds += t->seen[i];
	for (int64_t i = 0; t->over && i < t->nminutes; i++)
		*minutes += t->over[i];
	free(t->seen);
	free(t->over);
	t->seen = t->over = NULL;
}

/* tally_meter adds one meter's seconds of the session; a minute's LAeq
 * is the energetic mean of the seconds this meter has in it. */
static int tally_meter(struct db *db, struct session_tally *t, int64_t meter_id, int64_t cap)
{
	struct noise_second *s = NULL;
	size_t n = 0, i = 0;
	int rc = noise_seconds(db, meter_id, t->from, t->to, &s, &n);

	if (rc)
		return rc;
	while (i < n) {
		int64_t minute = s[i].t - (s[i].t % 60);
		double e = 0;
		size_t k = 0;
		for (; i < n && s[i].t - (s[i].t % 60) == minute; i++, k++) {
			e += pow(10.0, (double)s[i].laeq_centi / 1000.0);
			t->seen[s[i].t - t->from] = 1;
		}
		if ((int64_t)floor(1000.0 * log10(e / (double)k) + 0.5) > cap)
			t->over[(minute - t->first_minute) / 60] = 1;
	}
	free(s);
	return 0;
}

/* tally_add adds count to the integer member key of object o. */
static void tally_add(json_t *o, const char *key, int64_t count)
{
	json_object_set_new(o, key,
			    json_integer(json_integer_value(json_object_get(o, key)) + count));
}

/* compliance_read: plaza_compliance over the sessions that start in
 * [t_from, t_to) of those weeks. */
static int compliance_read(struct db *db, int64_t area_id, const char *monday, int weeks,
			   int64_t t_from, int64_t t_to, json_t **out)
{
	struct db_stmt *st = NULL;
	char first[11];
	json_t *teams = json_object();
	int rc;

	*out = NULL;
	plaza_monday_add(monday, -(weeks - 1), first);
	rc = db_prepare(
	    db,
	    "SELECT w.week_start, s.day, s.start_min, s.end_min, t.name, m.id, m.zone_class,"
	    " z.volume_cap_centi, s.id FROM schedule_sessions s"
	    " JOIN schedule_weeks w ON w.id = s.week_id"
	    " JOIN dance_teams d ON d.id = s.dance_team_id JOIN teams t ON t.id = d.team_id"
	    " JOIN plaza_zones z ON z.id = s.zone_id"
	    " LEFT JOIN meters m ON m.zone_id = s.zone_id AND m.archived = 0"
	    " WHERE w.area_id = ? AND w.week_start >= ? AND w.week_start <= ?"
	    " ORDER BY t.name, w.week_start, s.day, s.start_min, s.id, m.id",
	    &st);
	if (rc) {
		json_decref(teams);
		return rc;
	}
	db_bind_int64(st, 1, area_id);
	db_bind_text(st, 2, first);
	db_bind_text(st, 3, monday);
	/* Rows are read first: the minute counts query the database too. */
	struct row {
		char week[11], team[64], zone_class[4];
		int64_t from, to, meter, cap, session;
	} *rows = NULL;
	size_t nrows = 0, cap = 0;
	while ((rc = db_step(st)) == DB_ROW) {
		struct row *r;
		int64_t base = 0;
		if (nrows == cap) {
			struct row *grown =
			    realloc(rows, (cap = cap ? cap * 2 : 64) * sizeof(*rows));
			if (!grown) {
				rc = LIN_ENOMEM;
				break;
			}
			rows = grown;
		}
		r = &rows[nrows];
		snprintf(r->week, sizeof(r->week), "%s", db_column_text(st, 0));
		plaza_monday_epoch(r->week, &base);
		r->from = base + (db_column_int64(st, 1) - 1) * 86400 + db_column_int64(st, 2) * 60;
		r->to = base + (db_column_int64(st, 1) - 1) * 86400 + db_column_int64(st, 3) * 60;
		if (r->from < t_from || r->from >= t_to)
			continue;
		nrows++;
		snprintf(r->team, sizeof(r->team), "%s", db_column_text(st, 4));
		r->meter = db_column_is_null(st, 5) ? 0 : db_column_int64(st, 5);
		snprintf(r->zone_class, sizeof(r->zone_class), "%s", db_column_text(st, 6));
		r->cap = db_column_is_null(st, 7) ? -1 : db_column_int64(st, 7);
		r->session = db_column_int64(st, 8);
	}
	db_finalize(st);
	rc = rc == DB_DONE ? 0 : rc;
	/* A session has one row per meter watching its zone (or one with
	 * no meter): each session counts once, whatever the meters. */
	for (size_t i = 0, j; i < nrows && !rc; i = j) {
		struct row *r = &rows[i];
		struct session_tally t;
		json_t *team = json_object_get(teams, r->team), *wk;
		int64_t over = 0, secs = 0;
		if (!team) {
			team = json_object();
			json_object_set_new(teams, r->team, team);
		}
		wk = json_object_get(team, r->week);
		if (!wk) {
			wk = json_pack("{s:i, s:i, s:i, s:i}", "sessions", 0, "measured", 0,
				       "minutes_over", 0, "seconds", 0);
			json_object_set_new(team, r->week, wk);
		}
		tally_add(wk, "sessions", 1);
		rc = tally_begin(&t, r->from, r->to);
		for (j = i; j < nrows && rows[j].session == r->session; j++) {
			int64_t limit = rows[j].cap, night;
			if (rc || !rows[j].meter)
				continue;
			if (limit < 0 && noise_zone_limits(rows[j].zone_class, &limit, &night))
				continue;
			rc = tally_meter(db, &t, rows[j].meter, limit);
		}
		tally_end(&t, &secs, &over);
		if (rc || !secs)
			continue;
		tally_add(wk, "measured", 1);
		tally_add(wk, "minutes_over", over);
		tally_add(wk, "seconds", secs);
	}
	free(rows);
	if (rc) {
		json_decref(teams);
		return rc;
	}
	*out = teams;
	return 0;
}

int plaza_compliance(struct db *db, int64_t area_id, const char *monday, int weeks, json_t **out)
{
	return compliance_read(db, area_id, monday, weeks, INT64_MIN, INT64_MAX, out);
}

int plaza_compliance_between(struct db *db, int64_t area_id, int64_t from, int64_t to, json_t **out)
{
	char first[11], last[11];
	int64_t a = 0, b = 0;
	int day, minute, rc;
	json_t *weeks = NULL, *team, *wk;
	const char *name, *key;

	*out = NULL;
	if (to <= from)
		return LIN_EINVAL;
	plaza_local(from, &day, &minute, first);
	plaza_local(to - 1, &day, &minute, last);
	if (plaza_monday_epoch(first, &a) || plaza_monday_epoch(last, &b))
		return LIN_EINVAL;
	rc = compliance_read(db, area_id, last, (int)((b - a) / (7 * 86400)) + 1, from, to, &weeks);
	if (rc)
		return rc;
	*out = json_object();
	json_object_foreach (weeks, name, team) {
		json_t *sum = json_pack("{s:i, s:i, s:i, s:i}", "sessions", 0, "measured", 0,
					"minutes_over", 0, "seconds", 0);
		json_object_foreach (team, key, wk) {
			tally_add(sum, "sessions",
				  json_integer_value(json_object_get(wk, "sessions")));
			tally_add(sum, "measured",
				  json_integer_value(json_object_get(wk, "measured")));
			tally_add(sum, "minutes_over",
				  json_integer_value(json_object_get(wk, "minutes_over")));
			tally_add(sum, "seconds",
				  json_integer_value(json_object_get(wk, "seconds")));
		}
		json_object_set_new(*out, name, sum);
	}
	json_decref(weeks);
	return 0;
}

int plaza_hours_get(struct db *db, int64_t area_id, struct plaza_hours *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT night_start_min, night_end_min, evening_start_min,"
			    " evening_end_min, slot_min, prime_start_min, prime_end_min"
			    " FROM areas WHERE id = ?",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	rc = db_step_one(st);
	if (!rc) {
		out->night_start = (int)db_column_int64(st, 0);
		out->night_end = (int)db_column_int64(st, 1);
		out->evening_start = (int)db_column_int64(st, 2);
		out->evening_end = (int)db_column_int64(st, 3);
		out->slot = (int)db_column_int64(st, 4);
		out->prime_start = (int)db_column_int64(st, 5);
		out->prime_end = (int)db_column_int64(st, 6);
	}
	db_finalize(st);
	return rc;
}

int plaza_hours_set(struct db *db, int64_t area_id, const struct plaza_hours *h, const char *actor)
{
	char after[256];
	struct audit_entry e = {0, actor, area_id, "update", "areas", area_id, NULL, after};
	int rc;

	snprintf(after, sizeof(after),
		 "{\"evening_end_min\":%d,\"evening_start_min\":%d,\"night_end_min\":%d,"
		 "\"night_start_min\":%d,\"prime_end_min\":%d,\"prime_start_min\":%d,"
		 "\"slot_min\":%d}",
		 h->evening_end, h->evening_start, h->night_end, h->night_start, h->prime_end,
		 h->prime_start, h->slot);
	rc = db_begin(db);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE areas SET night_start_min = ?, night_end_min = ?,"
				  " evening_start_min = ?, evening_end_min = ?, slot_min = ?,"
				  " prime_start_min = ?, prime_end_min = ? WHERE id = ?",
				  NULL, "iiiiiiii", (int64_t)h->night_start, (int64_t)h->night_end,
				  (int64_t)h->evening_start, (int64_t)h->evening_end,
				  (int64_t)h->slot, (int64_t)h->prime_start, (int64_t)h->prime_end,
				  area_id);
	if (!rc)
		rc = audit_append(db, &e);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int plaza_week_store(struct db *db, int64_t area_id, int64_t user_id, const char *actor,
		     const struct plaza_week *w, const struct sched_timetable *tt,
		     const struct sched_check *chk, const char *unplaced, int64_t *week_id)
{
	char after[256];
	int rc = db_begin(db);

	if (!rc)
		rc = db_exec_args(db,
				  "DELETE FROM schedule_sessions WHERE week_id IN (SELECT id FROM"
				  " schedule_weeks WHERE area_id = ? AND week_start = ?)",
				  NULL, "it", area_id, w->monday);
	if (!rc)
		rc = db_exec_args(db,
				  "DELETE FROM schedule_weeks WHERE area_id = ? AND week_start = ?",
				  NULL, "it", area_id, w->monday);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO schedule_weeks (area_id, week_start, published_at,"
				  " published_by, solver, objective, worst_margin_centi, unplaced)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				  week_id, "itirtiit", area_id, w->monday, (int64_t)time(NULL),
				  user_id, sched_solver_name(tt->solver), chk->objective,
				  chk->worst_margin_centi == INT64_MAX ? (int64_t)0
								       : chk->worst_margin_centi,
				  unplaced);
	for (int t = 0; t < w->in.nteams && !rc; t++) {
		for (int k = 0; k < tt->plan[t].count && !rc; k++) {
			const struct sched_session *s = &tt->plan[t].session[k];
			int start = w->slot_start[s->slot];
			/* Prepared statements are cached: preparing per row is a lookup. */
			rc = db_exec_args(
			    db,
			    "INSERT INTO schedule_sessions (week_id, dance_team_id, zone_id,"
			    " day, start_min, end_min, prime) VALUES (?, ?, ?, ?, ?, ?, ?)",
			    NULL, "iiiiiii", *week_id, w->dance_team_id[t], w->zone_id[s->zone],
			    (int64_t)(s->day + 1), (int64_t)start, (int64_t)(start + w->hours.slot),
			    (int64_t)((w->in.prime >> s->slot) & 1));
		}
	}
	snprintf(after, sizeof(after),
		 "{\"week_start\":\"%s\",\"solver\":\"%s\",\"objective\":%lld,\"placed\":%d,"
		 "\"wanted\":%d}",
		 w->monday, sched_solver_name(tt->solver), (long long)chk->objective, chk->placed,
		 chk->wanted);
	if (!rc) {
		struct audit_entry e = {.user_id = user_id,
					.actor = actor,
					.area_id = area_id,
					.action = "publish",
					.entity = "schedule_weeks",
					.entity_id = *week_id,
					.after_json = after};
		rc = audit_append(db, &e);
	}
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

/* ---- who dances where, from the published timetable ---- */

#define SESSION_SELECT                                                                             \
	"SELECT d.team_id, s.dance_team_id, s.zone_id, t.name, z.name, s.day, s.start_min,"        \
	" s.end_min FROM schedule_sessions s JOIN schedule_weeks w ON w.id = s.week_id"            \
	" JOIN dance_teams d ON d.id = s.dance_team_id"                                            \
	" JOIN teams t ON t.id = d.team_id JOIN plaza_zones z ON z.id = s.zone_id"                 \
	" WHERE w.area_id = ? AND w.week_start = ? AND s.day = ?"

/* session_rows runs st (bound: area, Monday, weekday, minute, then the
 * caller's own) and reads at most max sessions into out. */
static int session_rows(struct db_stmt *st, int64_t area_id, int64_t t, int64_t extra,
			struct plaza_session *out, int max, int *n)
{
	char monday[11];
	int weekday, minute, rc = DB_DONE;

	*n = 0;
	plaza_local(t, &weekday, &minute, monday);
	db_bind_int64(st, 1, area_id);
	db_bind_text(st, 2, monday);
	db_bind_int64(st, 3, weekday);
	db_bind_int64(st, 4, minute);
	db_bind_int64(st, 5, minute);
	db_bind_int64(st, 6, extra);
	db_bind_int64(st, 7, extra);
	while (*n < max && (rc = db_step(st)) == DB_ROW) {
		struct plaza_session *s = &out[(*n)++];
		memset(s, 0, sizeof(*s));
		s->team_id = db_column_int64(st, 0);
		s->dance_team_id = db_column_int64(st, 1);
		s->zone_id = db_column_int64(st, 2);
		snprintf(s->team, sizeof(s->team), "%s", db_column_text(st, 3));
		snprintf(s->zone, sizeof(s->zone), "%s", db_column_text(st, 4));
		s->day = (int)db_column_int64(st, 5);
		s->start_min = (int)db_column_int64(st, 6);
		s->end_min = (int)db_column_int64(st, 7);
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

int plaza_sessions_at(struct db *db, int64_t area_id, int64_t zone_id, int64_t t,
		      struct plaza_session *out, int max, int *n)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       SESSION_SELECT " AND s.start_min <= ? AND s.end_min > ?"
				      " AND (? = 0 OR s.zone_id = ?) ORDER BY s.zone_id, t.name",
		       &st);

	*n = 0;
	return rc ? rc : session_rows(st, area_id, t, zone_id, out, max, n);
}

int plaza_next_session(struct db *db, int64_t area_id, int64_t place_id, int64_t t,
		       struct plaza_session *out)
{
	struct db_stmt *st = NULL;
	int n = 0,
	    rc = db_prepare(db,
			    SESSION_SELECT " AND s.start_min > ? AND ? >= 0 AND z.place_id = ?"
					   " AND ? > 0 ORDER BY s.start_min, z.id, t.name",
			    &st);

	if (!rc)
		rc = session_rows(st, area_id, t, place_id, out, 1, &n);
	return rc ? rc : (n ? 0 : LIN_ENOTFOUND);
}

/* ---- the plaza as the planner and the plan see it ---- */

int plaza_zones_read(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {
	    "id", "name", "capacity", "shape", "allowed_periods", "place_id", NULL};
	return db_query_json(db,
			     "SELECT id, name, capacity, shape, allowed_periods, place_id"
			     " FROM plaza_zones WHERE area_id = ? AND archived = 0 ORDER BY id",
			     keys, "ititti", out, "i", area_id);
}

int plaza_notice_read(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id",       "name",	      "area", "cap_centi",
					   "meter_id", "meter_class", NULL};
	return db_query_json(
	    db,
	    "SELECT z.id, z.name, a.name, z.volume_cap_centi,"
	    " (SELECT MIN(m.id) FROM meters m WHERE m.zone_id = z.id AND m.archived = 0),"
	    " COALESCE((SELECT m.zone_class FROM meters m WHERE m.zone_id = z.id"
	    "  AND m.archived = 0 ORDER BY m.id LIMIT 1), '')"
	    " FROM plaza_zones z JOIN areas a ON a.id = z.area_id"
	    " WHERE z.area_id = ? AND z.archived = 0 ORDER BY z.id",
	    keys, "ittiit", out, "i", area_id);
}

int plaza_receptors_read(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {
	    "id", "name", "x_centi", "y_centi", "zone_class", "background_centi", NULL};
	return db_query_json(db,
			     "SELECT id, name, x_centi, y_centi, zone_class, background_centi"
			     " FROM receptors WHERE area_id = ? AND archived = 0 ORDER BY id",
			     keys, "itiiti", out, "i", area_id);
}

int plaza_dance_teams_read(struct db *db, int64_t area_id, const char *monday,
			   const char *history_from, json_t **out)
{
	static const char *const keys[] = {"id",
					   "name",
					   "level_10m_centi",
					   "agreed_10m_centi",
					   "sound_power_centi",
					   "sessions",
					   "preferred_zone_id",
					   "preferred_times",
					   "days",
					   "prime_history",
					   NULL};
	return db_query_json(
	    db,
	    "SELECT d.id, t.name, d.level_10m_centi, d.agreed_10m_centi, d.sound_power_centi,"
	    " d.sessions_per_week, COALESCE(d.preferred_zone_id, 0), d.preferred_times, d.days,"
	    " (SELECT COUNT(*) FROM schedule_sessions s JOIN schedule_weeks k ON k.id = s.week_id"
	    "  WHERE s.dance_team_id = d.id AND s.prime = 1 AND k.area_id = d.area_id"
	    "  AND k.week_start < ? AND k.week_start >= ?)"
	    " FROM dance_teams d JOIN teams t ON t.id = d.team_id"
	    " WHERE d.area_id = ? AND d.archived = 0 AND t.archived = 0 ORDER BY d.id",
	    keys, "itiiiiitti", out, "tti", monday, history_from, area_id);
}
