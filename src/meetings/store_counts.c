/* The meetings' counts other features read (SQL, read only): a month's
 * meetings held, invitations and attendance, action items (the monthly
 * report), and each member's meetings and action items over a period (the
 * secretary's view, the hours' points table). A called-off meeting is
 * never counted as held. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int meetings_month_stats(struct db *db, int64_t area_id, const char *month,
			 struct meetings_month *out)
{
	int64_t from, to, v[8] = {0};
	char first[11], last[11];
	int64_t now = (int64_t)time(NULL);
	int rc;

	memset(out, 0, sizeof(*out));
	if (meeting_month_range(month, &from, &to))
		return LIN_EINVAL;
	meeting_day_text(from, first);
	meeting_day_text((to < now ? to : now) - 1, last);
	rc = db_query_int64(db,
			    "SELECT COUNT(*) FROM meetings WHERE area_id = ? AND cancelled = 0"
			    " AND starts_at >= ? AND starts_at < ? AND starts_at <= ?",
			    &v[0], 4, area_id, from, to, now);
	if (!rc) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db,
				"SELECT COUNT(*), SUM(CASE WHEN i.status = 'present' THEN 1 ELSE 0"
				" END), SUM(CASE WHEN i.status = 'excused' THEN 1 ELSE 0 END)"
				" FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id"
				" WHERE m.area_id = ? AND m.cancelled = 0 AND m.starts_at >= ?"
				" AND m.starts_at < ? AND m.starts_at <= ?",
				&st);
		if (!rc) {
			db_bindf(st, "iiii", area_id, from, to, now);
			rc = db_step_one(st);
			if (!rc)
				for (int c = 0; c < 3; c++)
					v[1 + c] = db_column_int64(st, c);
			db_finalize(st);
		}
	}
	if (!rc) {
		struct db_stmt *st = NULL;
		rc = db_prepare(
		    db,
		    "SELECT SUM(CASE WHEN a.state = 'done' AND a.done_on >= ? AND a.done_on <= ?"
		    " THEN 1 ELSE 0 END), SUM(CASE WHEN m.starts_at < ? AND (a.state = 'open'"
		    " OR (a.state = 'done' AND a.done_on > ?)) THEN 1 ELSE 0 END),"
		    " SUM(CASE WHEN m.starts_at < ? AND (a.state = 'open' OR (a.state = 'done'"
		    " AND a.done_on > ?)) AND a.due_on < ? THEN 1 ELSE 0 END),"
		    " SUM(CASE WHEN m.starts_at >= ? AND m.starts_at < ? THEN 1 ELSE 0 END)"
		    " FROM action_items a JOIN meetings m ON m.id = a.meeting_id"
		    " WHERE a.area_id = ?",
		    &st);
		if (!rc) {
			db_bindf(st, "ttitittiii", first, last, to, last, to, last, last, from, to,
				 area_id);
			rc = db_step_one(st);
			if (!rc)
				for (int c = 0; c < 4; c++)
					v[4 + c] = db_column_int64(st, c);
			db_finalize(st);
		}
	}
	out->held = (int)v[0];
	out->invited = (int)v[1];
	out->present = (int)v[2];
	out->excused = (int)v[3];
	out->actions_done = (int)v[4];
	out->actions_open = (int)v[5];
	out->actions_late = (int)v[6];
	out->actions_decided = (int)v[7];
	return rc;
}

int meetings_member_counts(struct db *db, int64_t area_id, int64_t from, int64_t to, json_t **out)
{
	static const char *const keys[] = {
	    "member_id", "name",    "branch_id",     "branch",	     "resident_id",  "invited",
	    "attended",	 "excused", "actions_owned", "actions_done", "actions_late", NULL};
	char today[11];
	int64_t now = (int64_t)time(NULL);

	meeting_day_text((to < now ? to : now) - 1, today);
	return db_query_json(
	    db,
	    "SELECT mb.id, mb.name, b.id, b.name, mb.resident_id,"
	    " (SELECT COUNT(*) FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id"
	    "  WHERE i.member_id = mb.id AND m.cancelled = 0 AND m.starts_at >= ?"
	    "  AND m.starts_at < ? AND m.starts_at <= ?),"
	    " (SELECT COUNT(*) FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id"
	    "  WHERE i.member_id = mb.id AND m.cancelled = 0 AND m.starts_at >= ?"
	    "  AND m.starts_at < ? AND i.status = 'present'),"
	    " (SELECT COUNT(*) FROM meeting_invitees i JOIN meetings m ON m.id = i.meeting_id"
	    "  WHERE i.member_id = mb.id AND m.cancelled = 0 AND m.starts_at >= ?"
	    "  AND m.starts_at < ? AND i.status = 'excused'),"
	    " (SELECT COUNT(*) FROM action_items a JOIN meetings m ON m.id = a.meeting_id"
	    "  WHERE a.owner_member_id = mb.id AND m.starts_at >= ? AND m.starts_at < ?),"
	    " (SELECT COUNT(*) FROM action_items a JOIN meetings m ON m.id = a.meeting_id"
	    "  WHERE a.owner_member_id = mb.id AND m.starts_at >= ? AND m.starts_at < ?"
	    "  AND a.state = 'done'),"
	    " (SELECT COUNT(*) FROM action_items a JOIN meetings m ON m.id = a.meeting_id"
	    "  WHERE a.owner_member_id = mb.id AND m.starts_at >= ? AND m.starts_at < ?"
	    "  AND ((a.state = 'open' AND a.due_on < ?) OR (a.state = 'done'"
	    "  AND a.done_on > a.due_on)))"
	    " FROM members mb JOIN branches b ON b.id = mb.branch_id WHERE mb.area_id = ?"
	    " AND (mb.archived = 0 OR EXISTS (SELECT 1 FROM meeting_invitees i"
	    " WHERE i.member_id = mb.id)) ORDER BY b.name, mb.name, mb.id",
	    keys, "ititiiiiiii", out, "iiiiiiiiiiiiiti", from, to, now, from, to, from, to, from,
	    to, from, to, from, to, today, area_id);
}
