/* Reading the published timetable: local time in Shanghai, the area's
 * evening and night hours, and which teams dance where at a moment. */
#include "plaza.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void plaza_local(int64_t t, int *weekday, int *minute, char monday[11])
{
	int64_t local = t + PLAZA_TZ_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t rem = local - days * 86400;
	int iso = (int)(((days % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday */
	time_t mon = (time_t)((days - (iso - 1)) * 86400);
	struct tm tm;

	if (weekday)
		*weekday = iso;
	if (minute)
		*minute = (int)(rem / 60);
	if (monday) {
		gmtime_r(&mon, &tm);
		snprintf(monday, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000,
			 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100);
	}
}

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

int plaza_is_night(const struct plaza_hours *h, int m)
{
	if (h->night_start > h->night_end)
		return m >= h->night_start || m < h->night_end;
	return m >= h->night_start && m < h->night_end;
}

void plaza_hhmm(int minute, char out[6])
{
	unsigned m = minute < 0 ? 0 : (unsigned)minute;
	snprintf(out, 6, "%02u:%02u", (m / 60) % 100, m % 60);
}
