/* The events' counts other features read (SQL, read only): attendance
 * and feedback over a period for the area (the monthly report) or for one
 * unit's events (its yearly summary), and one account's registrations
 * (the residents' portal). A cancelled event is never counted. */
#include "events.h"
#include "../base/err.h"
#include "../db/db.h"

#include <string.h>
#include <time.h>

/* stats: unit_id 0 means every event of the area. */
static int stats(struct db *db, int64_t area_id, int64_t unit_id, int64_t from, int64_t to,
		 struct events_stats *out)
{
	struct db_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db,
			"SELECT COUNT(*), COALESCE(SUM(capacity), 0) FROM events WHERE area_id = ?"
			" AND cancelled = 0 AND starts_at >= ? AND starts_at < ?"
			" AND (? = 0 OR unit_id = ?)",
			&st);
	if (!rc) {
		db_bindf(st, "iiiii", area_id, from, to, unit_id, unit_id);
		rc = db_step_one(st);
		if (!rc) {
			out->events = (int)db_column_int64(st, 0);
			out->capacity = (int)db_column_int64(st, 1);
		}
		db_finalize(st);
		st = NULL;
	}
	if (!rc)
		rc = db_prepare(
		    db,
		    "SELECT COALESCE(SUM(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END), 0),"
		    " COALESCE(SUM(CASE WHEN r.status = 'waiting' THEN 1 ELSE 0 END), 0),"
		    " COALESCE(SUM(CASE WHEN r.checked_in_at IS NOT NULL THEN 1 ELSE 0 END), 0),"
		    " COALESCE(SUM(CASE WHEN r.status = 'walk_in' THEN 1 ELSE 0 END), 0),"
		    " COALESCE(SUM(CASE WHEN r.status = 'confirmed' AND r.checked_in_at IS NULL"
		    "  AND e.ends_at <= ? THEN 1 ELSE 0 END), 0),"
		    " COUNT(r.rating), COALESCE(SUM(r.rating), 0)"
		    " FROM event_registrations r JOIN events e ON e.id = r.event_id"
		    " WHERE e.area_id = ? AND e.cancelled = 0 AND e.starts_at >= ? AND e.starts_at "
		    "< ?"
		    " AND (? = 0 OR e.unit_id = ?)",
		    &st);
	if (!rc) {
		int64_t v[7];
		db_bindf(st, "iiiiii", now, area_id, from, to, unit_id, unit_id);
		rc = db_step_one(st);
		for (int c = 0; !rc && c < 7; c++)
			v[c] = db_column_int64(st, c);
		if (!rc) {
			out->registered = (int)v[0];
			out->waiting = (int)v[1];
			out->attended = (int)v[2];
			out->walk_ins = (int)v[3];
			out->no_shows = (int)v[4];
			out->ratings = (int)v[5];
			out->rating_sum = (int)v[6];
		}
		db_finalize(st);
	}
	return rc;
}

int events_unit_stats(struct db *db, int64_t area_id, int64_t unit_id, int64_t from, int64_t to,
		      struct events_stats *out)
{
	if (unit_id <= 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return stats(db, area_id, unit_id, from, to, out);
}

int events_period_stats(struct db *db, int64_t area_id, int64_t from, int64_t to,
			struct events_stats *out)
{
	return stats(db, area_id, 0, from, to, out);
}

int events_user_json(struct db *db, int64_t area_id, int64_t user_id, json_t **out)
{
	static const char *const keys[] = {
	    "registration_id",	"event_id", "title",	  "kind",   "starts_at", "place", "status",
	    "waiting_position", "code",	    "checked_in", "rating", "children",	 NULL};
	return db_query_json(
	    db,
	    "SELECT r.id, e.id, e.title, e.kind, e.starts_at, e.place, r.status,"
	    " CASE WHEN r.status = 'waiting' THEN (SELECT COUNT(*) FROM event_registrations w"
	    "  WHERE w.event_id = r.event_id AND w.status = 'waiting' AND w.guardian_id IS NULL"
	    "  AND w.id <= r.id) END,"
	    " CASE WHEN r.status IN ('confirmed', 'walk_in') THEN r.code ELSE '' END,"
	    " CASE WHEN r.checked_in_at IS NULL THEN 0 ELSE 1 END, r.rating,"
	    " (SELECT COUNT(*) FROM event_registrations c WHERE c.guardian_id = r.id"
	    "  AND c.status <> 'cancelled')"
	    " FROM event_registrations r JOIN events e ON e.id = r.event_id"
	    " WHERE r.area_id = ? AND r.user_id = ? AND r.guardian_id IS NULL"
	    " ORDER BY e.starts_at DESC, r.id DESC",
	    keys, "iittittitbii", out, "ii", area_id, user_id);
}
