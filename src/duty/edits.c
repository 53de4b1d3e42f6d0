/* Changes to a published or planned week after the plan: an assignment
 * added or removed by hand, a weather note on a shift, and swaps asked by
 * volunteers and decided by staff. Each runs the exact check of the whole
 * week (duty_week_check, plan.c) inside its transaction, so no edit
 * leaves a roster that breaks a rule. */
#include "internal.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* shift_week: the week a shift of the area belongs to. */
static int shift_week(struct db *db, int64_t area_id, int64_t shift_id, char monday[11],
		      int64_t *start)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db, "SELECT week_start, start_at FROM duty_shifts WHERE id = ? AND area_id = ?", &st);

	if (!rc)
		rc = db_bindf(st, "ii", shift_id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		snprintf(monday, 11, "%s", db_column_text(st, 0));
		if (start)
			*start = db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc;
}

/* recount sets the shift's missing places from its assignments (the
 * planner's reason stays while places are missing). */
static int recount(struct db *db, int64_t shift_id)
{
	return db_exec_args(
	    db,
	    "UPDATE duty_shifts SET missing = CASE WHEN need > (SELECT COUNT(*)"
	    " FROM duty_assignments a WHERE a.shift_id = duty_shifts.id) THEN need -"
	    " (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id ="
	    " duty_shifts.id) ELSE 0 END WHERE id = ?",
	    NULL, "i", shift_id);
}

int duty_assign_add(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t shift_id,
		    int64_t volunteer_id, struct duty_err *e, int64_t *out_id)
{
	char monday[11];
	int64_t id = 0, n = 0;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = shift_week(db, area_id, shift_id, monday, NULL);
	if (rc == LIN_ENOTFOUND)
		rc = duty_refuse(e, rc, "duty.err.no_shift", "shift_id");
	if (!rc && (db_query_int64(db,
				   "SELECT COUNT(*) FROM volunteers WHERE id = ? AND area_id = ?"
				   " AND archived = 0",
				   &n, 2, volunteer_id, area_id) ||
		    !n))
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.no_volunteer", "volunteer_id");
	if (!rc &&
	    !db_query_int64(db,
			    "SELECT COUNT(*) FROM duty_assignments WHERE shift_id = ?"
			    " AND volunteer_id = ?",
			    &n, 2, shift_id, volunteer_id) &&
	    n)
		rc = duty_refuse(e, LIN_ECONFLICT, "duty.err.already_on", "volunteer_id");
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO duty_assignments (area_id, shift_id, volunteer_id)"
				  " VALUES (?, ?, ?) RETURNING id",
				  &id, "iii", area_id, shift_id, volunteer_id);
	if (!rc)
		rc = recount(db, shift_id);
	if (!rc)
		rc = duty_week_check(db, area_id, monday, e);
	if (!rc) {
		json_t *after = json_pack("{s:I,s:I}", "shift_id", (json_int_t)shift_id,
					  "volunteer_id", (json_int_t)volunteer_id);
		rc = duty_audit(db, area_id, who, "create", "duty_assignments", id, after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int duty_assign_remove(struct db *db, int64_t area_id, const struct duty_actor *who,
		       int64_t assignment_id, struct duty_err *e)
{
	int64_t shift_id = 0, changed = 0;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT shift_id FROM duty_assignments WHERE id = ? AND area_id = ?"
			  " AND checkin_at IS NULL",
			  &shift_id, "ii", assignment_id, area_id);
	if (rc == LIN_ENOTFOUND)
		rc = duty_refuse(e, rc, "duty.err.no_assignment", "assignment_id");
	if (!rc)
		rc = db_exec_args(db, "DELETE FROM duty_swaps WHERE assignment_id = ?", NULL, "i",
				  assignment_id);
	if (!rc)
		rc = db_exec_args(db, "DELETE FROM duty_assignments WHERE id = ?", &changed, "i",
				  assignment_id);
	if (!rc)
		rc = recount(db, shift_id);
	if (!rc)
		rc =
		    duty_audit(db, area_id, who, "delete", "duty_assignments", assignment_id, NULL);
	rc = duty_commit(db, rc);
	return rc;
}

int duty_shift_note(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t shift_id,
		    const char *note, struct duty_err *e)
{
	int64_t changed = 0;
	int rc;

	if (!note || strlen(note) > 300)
		return duty_refuse(e, 0, "duty.err.note", "weather");
	rc = db_begin(db);
	if (rc)
		return rc;
	rc =
	    db_exec_args(db, "UPDATE duty_shifts SET weather_note = ? WHERE id = ? AND area_id = ?",
			 &changed, "tii", note, shift_id, area_id);
	if (!rc && !changed)
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.no_shift", "shift_id");
	if (!rc) {
		json_t *after = json_pack("{s:s}", "weather_note", note);
		rc = duty_audit(db, area_id, who, "note", "duty_shifts", shift_id, after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	return rc;
}

int duty_swap_request(struct db *db, int64_t area_id, const struct duty_actor *who,
		      int64_t assignment_id, int64_t to_volunteer_id, int64_t now,
		      struct duty_err *e, int64_t *out_id)
{
	int64_t mine = 0, from = 0, start = 0, n = 0, id = 0;
	struct db_stmt *st = NULL;
	int rc = duty_volunteer_of_user(db, area_id, who->user_id, &mine);

	if (rc == LIN_ENOTFOUND)
		return duty_refuse(e, LIN_EPERM, "duty.err.not_volunteer", NULL);
	if (rc)
		return rc;
	rc = db_prepare(db,
			"SELECT a.volunteer_id, s.start_at FROM duty_assignments a"
			" JOIN duty_shifts s ON s.id = a.shift_id WHERE a.id = ? AND a.area_id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", assignment_id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		from = db_column_int64(st, 0);
		start = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		return duty_refuse(e, rc, "duty.err.no_assignment", "assignment_id");
	if (rc)
		return rc;
	if (from != mine)
		return duty_refuse(e, LIN_EPERM, "duty.err.not_yours", "assignment_id");
	if (start <= now)
		return duty_refuse(e, 0, "duty.err.swap_started", "assignment_id");
	if (to_volunteer_id == mine ||
	    db_query_int64(
		db, "SELECT COUNT(*) FROM volunteers WHERE id = ? AND area_id = ? AND archived = 0",
		&n, 2, to_volunteer_id, area_id) ||
	    !n)
		return duty_refuse(e, 0, "duty.err.swap_to", "to_volunteer_id");
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO duty_swaps (area_id, assignment_id, from_volunteer_id,"
			  " to_volunteer_id, requested_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			  &id, "iiiii", area_id, assignment_id, mine, to_volunteer_id, now);
	if (!rc) {
		json_t *after = json_pack("{s:I,s:I}", "assignment_id", (json_int_t)assignment_id,
					  "to_volunteer_id", (json_int_t)to_volunteer_id);
		rc = duty_audit(db, area_id, who, "create", "duty_swaps", id, after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int duty_swap_decide(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t swap_id,
		     int approve, int64_t now, struct duty_err *e)
{
	struct db_stmt *st = NULL;
	int64_t assignment = 0, from = 0, to = 0, shift = 0;
	char monday[11];
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_prepare(db,
			"SELECT w.assignment_id, w.from_volunteer_id, w.to_volunteer_id, a.shift_id"
			" FROM duty_swaps w JOIN duty_assignments a ON a.id = w.assignment_id"
			" WHERE w.id = ? AND w.area_id = ? AND w.state = 'requested'",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", swap_id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		assignment = db_column_int64(st, 0);
		from = db_column_int64(st, 1);
		to = db_column_int64(st, 2);
		shift = db_column_int64(st, 3);
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		rc = duty_refuse(e, rc, "duty.err.no_swap", "swap_id");
	if (!rc && approve) {
		int64_t n = 0;
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM duty_assignments WHERE shift_id = ?"
				    " AND volunteer_id = ?",
				    &n, 2, shift, to);
		if (!rc && n)
			rc =
			    duty_refuse(e, LIN_ECONFLICT, "duty.err.already_on", "to_volunteer_id");
		if (!rc)
			rc =
			    db_exec_args(db,
					 "UPDATE duty_assignments SET volunteer_id = ? WHERE id = ?"
					 " AND volunteer_id = ? AND checkin_at IS NULL",
					 NULL, "iii", to, assignment, from);
		if (!rc)
			rc = shift_week(db, area_id, shift, monday, NULL);
		if (!rc)
			rc = duty_week_check(db, area_id, monday, e);
	}
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE duty_swaps SET state = ?, decided_at = ?, decided_by = ?"
				  " WHERE id = ?",
				  NULL, "tiri", approve ? "approved" : "refused", now, who->user_id,
				  swap_id);
	if (!rc) {
		json_t *after = json_pack("{s:s}", "state", approve ? "approved" : "refused");
		rc = duty_audit(db, area_id, who, approve ? "approve" : "refuse", "duty_swaps",
				swap_id, after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	return rc;
}

int duty_swaps_json(struct db *db, int64_t area_id, int64_t volunteer_id, json_t **out)
{
	static const char *const keys[] = {"id",
					   "assignment_id",
					   "shift_id",
					   "day",
					   "start_at",
					   "where",
					   "from_volunteer_id",
					   "from",
					   "to_volunteer_id",
					   "to",
					   "state",
					   "requested_at",
					   NULL};
	return db_query_json(
	    db,
	    "SELECT w.id, w.assignment_id, s.id, s.day, s.start_at, COALESCE(st.name, p.name),"
	    " w.from_volunteer_id, rf.name, w.to_volunteer_id, rt.name, w.state, w.requested_at"
	    " FROM duty_swaps w JOIN duty_assignments a ON a.id = w.assignment_id"
	    " JOIN duty_shifts s ON s.id = a.shift_id"
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " JOIN volunteers vf ON vf.id = w.from_volunteer_id"
	    " JOIN residents rf ON rf.id = vf.resident_id"
	    " JOIN volunteers vt ON vt.id = w.to_volunteer_id"
	    " JOIN residents rt ON rt.id = vt.resident_id"
	    " WHERE w.area_id = ? AND (? = 0 OR w.from_volunteer_id = ? OR w.to_volunteer_id = ?)"
	    " ORDER BY w.state <> 'requested', w.id DESC LIMIT 200",
	    keys, "iiititititti", out, "iiii", area_id, volunteer_id, volunteer_id, volunteer_id);
}
