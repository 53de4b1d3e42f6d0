/* The duty feature's SQL for the places of duty (stations, routes, the
 * windows shifts come from), the volunteers, and the monthly facts other
 * features read (duty.h). Every write is one transaction with its audit
 * entry; a refused write changes nothing. */
#include "internal.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int duty_audit(struct db *db, int64_t area_id, const struct duty_actor *who, const char *action,
	       const char *entity, int64_t id, json_t *after)
{
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry a = {who ? who->user_id : 0,
				who && who->name ? who->name : "cli",
				area_id,
				action,
				entity,
				id,
				NULL,
				text};
	int rc = audit_append(db, &a);

	free(text);
	return rc;
}

int duty_commit(struct db *db, int rc)
{
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* finish commits after a successful write with its audit entry, or rolls
 * back; a clash with a unique column becomes conflict_key. */
static int finish(struct db *db, int rc, struct duty_err *e, const char *conflict_key,
		  const char *field)
{
	if (!rc)
		rc = db_commit(db);
	if (rc) {
		int clash = rc != LIN_EINVAL && rc != LIN_EPERM && rc != LIN_ENOTFOUND &&
			    db_error_is_constraint(db);
		db_rollback(db);
		if (clash && conflict_key)
			return duty_refuse(e, LIN_ECONFLICT, conflict_key, field);
	}
	return rc;
}

/* in_area: row id of table belongs to the area (0 counts as absent). */
static int in_area(struct db *db, const char *table, int64_t area_id, int64_t id)
{
	char sql[128];
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE id = ? AND area_id = ?", table);
	return id > 0 && !db_query_int64(db, sql, &n, 2, id, area_id) && n == 1;
}

static int text_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max;
}

/* ---- stations ---- */

int duty_station_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
		      const struct duty_station_in *in, struct duty_err *e, int64_t *out_id)
{
	int64_t changed = 0, given = id;
	int rc;

	if (!text_ok(in->name, 120))
		return duty_refuse(e, 0, "duty.err.name", "name");
	if (!in_area(db, "compounds", area_id, in->compound_id))
		return duty_refuse(e, 0, "duty.err.compound", "compound_id");
	if (!duty_categories_ok(in->categories))
		return duty_refuse(e, 0, "duty.err.categories", "categories");
	if (!duty_code_ok(in->code))
		return duty_refuse(e, 0, "duty.err.code_format", "code");
	if (in->leader_resident_id && !in_area(db, "residents", area_id, in->leader_resident_id))
		return duty_refuse(e, 0, "duty.err.leader", "leader_resident_id");
	if (in->late_drop && strlen(in->late_drop) > 300)
		return duty_refuse(e, 0, "duty.err.late_drop", "late_drop");
	rc = db_begin(db);
	if (rc)
		return rc;
	if (id)
		rc = db_exec_args(
		    db,
		    "UPDATE sorting_stations SET compound_id = ?, name = ?, categories = ?,"
		    " late_drop = ?, code = ?, leader_resident_id = ?, archived = ?"
		    " WHERE id = ? AND area_id = ?",
		    &changed, "ittttriii", in->compound_id, in->name, in->categories,
		    in->late_drop ? in->late_drop : "", in->code, in->leader_resident_id,
		    (int64_t) !!in->archived, id, area_id);
	else
		rc = db_query_row(
		    db,
		    "INSERT INTO sorting_stations (area_id, compound_id, name, categories,"
		    " late_drop, code, leader_resident_id) VALUES (?, ?, ?, ?, ?, ?, ?)"
		    " RETURNING id",
		    &id, "iittttr", area_id, in->compound_id, in->name, in->categories,
		    in->late_drop ? in->late_drop : "", in->code, in->leader_resident_id);
	if (!rc && given && !changed)
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.not_found", "id");
	if (!rc) {
		json_t *after =
		    json_pack("{s:I,s:s,s:s,s:s,s:b}", "compound_id", (json_int_t)in->compound_id,
			      "name", in->name, "categories", in->categories, "code", in->code,
			      "archived", in->archived);
		rc = duty_audit(db, area_id, who, changed ? "update" : "create", "sorting_stations",
				id, after);
		json_decref(after);
	}
	rc = finish(db, rc, e, "duty.err.station_taken", "code");
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int duty_stations_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",   "compound_id",	  "compound", "name",	  "categories", "late_drop",
	    "code", "leader_resident_id", "leader",   "archived", NULL};
	return db_query_json(
	    db,
	    "SELECT s.id, s.compound_id, c.name, s.name, s.categories, s.late_drop, s.code,"
	    " s.leader_resident_id, COALESCE(r.name, ''), s.archived FROM sorting_stations s"
	    " JOIN compounds c ON c.id = s.compound_id"
	    " LEFT JOIN residents r ON r.id = s.leader_resident_id"
	    " WHERE s.area_id = ? ORDER BY s.archived, c.name, s.name",
	    keys, "iitttttitb", out, "i", area_id);
}

/* ---- routes ---- */

int duty_route_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
		    const struct duty_route_in *in, struct duty_err *e, int64_t *out_id)
{
	int64_t changed = 0, given = id;
	int rc;

	if (!text_ok(in->name, 120))
		return duty_refuse(e, 0, "duty.err.name", "name");
	if (!duty_code_ok(in->code))
		return duty_refuse(e, 0, "duty.err.code_format", "code");
	if (in->leader_resident_id && !in_area(db, "residents", area_id, in->leader_resident_id))
		return duty_refuse(e, 0, "duty.err.leader", "leader_resident_id");
	if (in->description && strlen(in->description) > 1000)
		return duty_refuse(e, 0, "duty.err.description", "description");
	rc = db_begin(db);
	if (rc)
		return rc;
	if (id)
		rc = db_exec_args(
		    db,
		    "UPDATE patrol_routes SET name = ?, description = ?, code = ?,"
		    " leader_resident_id = ?, archived = ? WHERE id = ? AND area_id = ?",
		    &changed, "tttriii", in->name, in->description ? in->description : "", in->code,
		    in->leader_resident_id, (int64_t) !!in->archived, id, area_id);
	else
		rc = db_query_row(db,
				  "INSERT INTO patrol_routes (area_id, name, description, code,"
				  " leader_resident_id) VALUES (?, ?, ?, ?, ?) RETURNING id",
				  &id, "itttr", area_id, in->name,
				  in->description ? in->description : "", in->code,
				  in->leader_resident_id);
	if (!rc && given && !changed)
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.not_found", "id");
	if (!rc) {
		json_t *after = json_pack("{s:s,s:s,s:b}", "name", in->name, "code", in->code,
					  "archived", in->archived);
		rc = duty_audit(db, area_id, who, changed ? "update" : "create", "patrol_routes",
				id, after);
		json_decref(after);
	}
	rc = finish(db, rc, e, "duty.err.route_taken", "code");
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int duty_routes_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {
	    "id", "name", "description", "code", "leader_resident_id", "leader", "archived", NULL};
	return db_query_json(db,
			     "SELECT p.id, p.name, p.description, p.code, p.leader_resident_id,"
			     " COALESCE(r.name, ''), p.archived FROM patrol_routes p"
			     " LEFT JOIN residents r ON r.id = p.leader_resident_id"
			     " WHERE p.area_id = ? ORDER BY p.archived, p.name",
			     keys, "itttitb", out, "i", area_id);
}

int duty_place_get(struct db *db, int64_t area_id, char kind, int64_t id, json_t **out)
{
	json_t *all = NULL, *row;
	size_t i;
	int rc = kind == 's' ? duty_stations_json(db, area_id, &all)
			     : duty_routes_json(db, area_id, &all);

	*out = NULL;
	if (rc) {
		json_decref(all);
		return rc;
	}
	json_array_foreach (all, i, row)
		if (json_integer_value(json_object_get(row, "id")) == id)
			*out = json_incref(row);
	json_decref(all);
	return *out ? 0 : LIN_ENOTFOUND;
}

/* ---- windows ---- */

int duty_window_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
		     const struct duty_window_in *in, struct duty_err *e, int64_t *out_id)
{
	int64_t changed = 0, given = id;
	int rc;

	if (!!in->station_id == !!in->route_id)
		return duty_refuse(e, 0, "duty.err.window_place", "station_id");
	if (in->station_id && !in_area(db, "sorting_stations", area_id, in->station_id))
		return duty_refuse(e, 0, "duty.err.window_place", "station_id");
	if (in->route_id && !in_area(db, "patrol_routes", area_id, in->route_id))
		return duty_refuse(e, 0, "duty.err.window_place", "route_id");
	if (in->weekdays < 1 || in->weekdays > 127)
		return duty_refuse(e, 0, "duty.err.weekdays", "weekdays");
	if (in->start_min < 0 || in->end_min <= in->start_min || in->end_min > 1440)
		return duty_refuse(e, 0, "duty.err.window_time", "end");
	if (in->need < 1 || in->need > ROSTER_MAX_NEED)
		return duty_refuse(e, 0, "duty.err.need", "need");
	if (in->need_trained < 0 || in->need_trained > in->need)
		return duty_refuse(e, 0, "duty.err.need_trained", "need_trained");
	rc = db_begin(db);
	if (rc)
		return rc;
	if (id)
		rc = db_exec_args(
		    db,
		    "UPDATE duty_windows SET station_id = ?, route_id = ?, weekdays = ?,"
		    " start_min = ?, end_min = ?, need = ?, need_trained = ?,"
		    " archived = ? WHERE id = ? AND area_id = ?",
		    &changed, "rriiiiiiii", in->station_id, in->route_id, in->weekdays,
		    in->start_min, in->end_min, in->need, in->need_trained,
		    (int64_t) !!in->archived, id, area_id);
	else
		rc = db_query_row(
		    db,
		    "INSERT INTO duty_windows (area_id, station_id, route_id, weekdays,"
		    " start_min, end_min, need, need_trained)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    &id, "irriiiii", area_id, in->station_id, in->route_id, in->weekdays,
		    in->start_min, in->end_min, in->need, in->need_trained);
	if (!rc && given && !changed)
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.not_found", "id");
	if (!rc) {
		json_t *after = json_pack(
		    "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:b}", "station_id", (json_int_t)in->station_id,
		    "route_id", (json_int_t)in->route_id, "weekdays", (json_int_t)in->weekdays,
		    "start_min", (json_int_t)in->start_min, "end_min", (json_int_t)in->end_min,
		    "need", (json_int_t)in->need, "need_trained", (json_int_t)in->need_trained,
		    "archived", in->archived);
		rc = duty_audit(db, area_id, who, changed ? "update" : "create", "duty_windows", id,
				after);
		json_decref(after);
	}
	rc = finish(db, rc, e, NULL, NULL);
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int duty_windows_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id",	   "station_id", "route_id", "where",
					   "weekdays",	   "start_min",	 "end_min",  "need",
					   "need_trained", "archived",	 NULL};
	int rc = db_query_json(
	    db,
	    "SELECT w.id, w.station_id, w.route_id, COALESCE(s.name, p.name), w.weekdays,"
	    " w.start_min, w.end_min, w.need, w.need_trained, w.archived FROM duty_windows w"
	    " LEFT JOIN sorting_stations s ON s.id = w.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = w.route_id"
	    " WHERE w.area_id = ? ORDER BY w.archived, COALESCE(s.name, p.name), w.start_min",
	    keys, "iiitiiiiib", out, "i", area_id);
	size_t i;
	json_t *row;

	json_array_foreach (*out, i, row) {
		char a[6], b[6];
		duty_hhmm((int)json_integer_value(json_object_get(row, "start_min")), a);
		duty_hhmm((int)json_integer_value(json_object_get(row, "end_min")), b);
		json_object_set_new(row, "start", json_string(a));
		json_object_set_new(row, "end", json_string(b));
	}
	return rc;
}

/* ---- volunteers ---- */

int duty_volunteer_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
			const struct duty_volunteer_in *in, struct duty_err *e, int64_t *out_id)
{
	int64_t changed = 0, given = id;
	int rc = duty_volunteer_check(in, e);

	if (rc)
		return rc;
	if (!in_area(db, "residents", area_id, in->resident_id))
		return duty_refuse(e, 0, "duty.err.resident", "resident_id");
	if (in->member_id && !in_area(db, "members", area_id, in->member_id))
		return duty_refuse(e, 0, "duty.err.member", "member_id");
	if (in->note && strlen(in->note) > 500)
		return duty_refuse(e, 0, "duty.err.note", "note");
	if (id && !in_area(db, "volunteers", area_id, id))
		return duty_refuse(e, LIN_ENOTFOUND, "duty.err.no_volunteer", "id");
	rc = db_begin(db);
	if (rc)
		return rc;
	if (id)
		rc = db_exec_args(db,
				  "UPDATE volunteers SET resident_id = ?, member_id = ?,"
				  " trained_guide = ?, trained_patrol = ?, max_per_day = ?,"
				  " max_per_week = ?, note = ? WHERE id = ? AND area_id = ?",
				  &changed, "iriiiitii", in->resident_id, in->member_id,
				  (int64_t) !!in->trained_guide, (int64_t) !!in->trained_patrol,
				  in->max_per_day, in->max_per_week, in->note ? in->note : "", id,
				  area_id);
	else
		rc = db_query_row(db,
				  "INSERT INTO volunteers (area_id, resident_id, member_id,"
				  " trained_guide, trained_patrol, max_per_day, max_per_week, note)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				  &id, "iiriiiit", area_id, in->resident_id, in->member_id,
				  (int64_t) !!in->trained_guide, (int64_t) !!in->trained_patrol,
				  in->max_per_day, in->max_per_week, in->note ? in->note : "");
	if (!rc)
		rc = db_exec_args(db, "DELETE FROM volunteer_availability WHERE volunteer_id = ?",
				  NULL, "i", id);
	if (!rc)
		rc = db_exec_args(db, "DELETE FROM volunteer_away WHERE volunteer_id = ?", NULL,
				  "i", id);
	for (int i = 0; !rc && i < in->navail; i++)
		rc = db_exec_args(db,
				  "INSERT INTO volunteer_availability (volunteer_id, weekday,"
				  " start_min, end_min) VALUES (?, ?, ?, ?)",
				  NULL, "iiii", id, (int64_t)in->avail[i].weekday,
				  (int64_t)in->avail[i].start_min, (int64_t)in->avail[i].end_min);
	for (int i = 0; !rc && i < in->naway; i++)
		rc = db_exec_args(db,
				  "INSERT INTO volunteer_away (volunteer_id, first_day, last_day)"
				  " VALUES (?, ?, ?)",
				  NULL, "itt", id, in->away[i].first, in->away[i].last);
	if (!rc && given && !changed)
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.not_found", "id");
	if (!rc) {
		struct buf av, aw;
		buf_init(&av, 8192);
		buf_init(&aw, 4096);
		duty_avail_text(in, &av);
		duty_away_text(in, &aw);
		json_t *after = json_pack(
		    "{s:I,s:I,s:b,s:b,s:I,s:I,s:s,s:s}", "resident_id", (json_int_t)in->resident_id,
		    "member_id", (json_int_t)in->member_id, "trained_guide", in->trained_guide,
		    "trained_patrol", in->trained_patrol, "max_per_day",
		    (json_int_t)in->max_per_day, "max_per_week", (json_int_t)in->max_per_week,
		    "availability", av.buf, "away", aw.buf);
		rc = duty_audit(db, area_id, who, changed ? "update" : "create", "volunteers", id,
				after);
		json_decref(after);
		buf_release(&av);
		buf_release(&aw);
	}
	rc = finish(db, rc, e, "duty.err.volunteer_taken", "resident_id");
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int duty_volunteer_read(struct db *db, int64_t area_id, int64_t id, struct duty_volunteer_in *in)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(in, 0, sizeof(*in));
	rc = db_prepare(db,
			"SELECT resident_id, COALESCE(member_id, 0), trained_guide, trained_patrol,"
			" max_per_day, max_per_week FROM volunteers WHERE id = ? AND area_id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		in->resident_id = db_column_int64(st, 0);
		in->member_id = db_column_int64(st, 1);
		in->trained_guide = (int)db_column_int64(st, 2);
		in->trained_patrol = (int)db_column_int64(st, 3);
		in->max_per_day = db_column_int64(st, 4);
		in->max_per_week = db_column_int64(st, 5);
	}
	db_finalize(st);
	if (rc)
		return rc;
	rc = db_prepare(db,
			"SELECT weekday, start_min, end_min FROM volunteer_availability"
			" WHERE volunteer_id = ? ORDER BY weekday, start_min",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		if (in->navail < DUTY_MAX_AVAIL)
			in->avail[in->navail++] = (struct duty_avail){(int)db_column_int64(st, 0),
								      (int)db_column_int64(st, 1),
								      (int)db_column_int64(st, 2)};
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	rc = db_prepare(db,
			"SELECT first_day, last_day FROM volunteer_away WHERE volunteer_id = ?"
			" ORDER BY first_day",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		if (in->naway < DUTY_MAX_AWAY) {
			snprintf(in->away[in->naway].first, 11, "%s", db_column_text(st, 0));
			snprintf(in->away[in->naway].last, 11, "%s", db_column_text(st, 1));
			in->naway++;
		}
		rc = 0;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int duty_volunteers_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",	   "resident_id",  "name", "member_id", "trained_guide", "trained_patrol",
	    "max_per_day", "max_per_week", "note", NULL};
	json_t *row;
	size_t i;
	int rc = db_query_json(
	    db,
	    "SELECT v.id, v.resident_id, r.name, v.member_id, v.trained_guide, v.trained_patrol,"
	    " v.max_per_day, v.max_per_week, v.note FROM volunteers v"
	    " JOIN residents r ON r.id = v.resident_id"
	    " WHERE v.area_id = ? AND v.archived = 0 ORDER BY r.name, v.id",
	    keys, "iitibbiit", out, "i", area_id);

	json_array_foreach (*out, i, row) {
		struct duty_volunteer_in in;
		struct buf av, aw;
		if (rc || duty_volunteer_read(db, area_id,
					      json_integer_value(json_object_get(row, "id")), &in))
			continue;
		buf_init(&av, 8192);
		buf_init(&aw, 4096);
		duty_avail_text(&in, &av);
		duty_away_text(&in, &aw);
		json_object_set_new(row, "availability", json_string(av.buf));
		json_object_set_new(row, "away", json_string(aw.buf));
		buf_release(&av);
		buf_release(&aw);
	}
	return rc;
}

int duty_volunteer_of_user(struct db *db, int64_t area_id, int64_t user_id, int64_t *out)
{
	return db_query_row(
	    db,
	    "SELECT v.id FROM volunteers v JOIN users u ON u.resident_id = v.resident_id"
	    " WHERE u.id = ? AND v.area_id = ? AND v.archived = 0",
	    out, "ii", user_id, area_id);
}

/* ---- facts for others (duty.h) ---- */

static int month_ok(const char *month)
{
	char day[16];
	int64_t t;

	if (!month || strlen(month) != 7)
		return 0;
	snprintf(day, sizeof(day), "%s-01", month);
	return !duty_day_epoch(day, &t);
}

#define PUBLISHED_SHIFTS                                                                           \
	" FROM duty_shifts s JOIN duty_weeks w ON w.area_id = s.area_id"                           \
	" AND w.week_start = s.week_start AND w.published_at IS NOT NULL"

int duty_serves(struct db *db, int64_t area_id, int64_t resident_id, int64_t station_id,
		int64_t route_id, int64_t from, int64_t to, int *yes)
{
	int64_t n = 0;
	int rc = db_query_row(db,
			      "SELECT COUNT(*)" PUBLISHED_SHIFTS
			      " JOIN duty_assignments a ON a.shift_id = s.id"
			      " JOIN volunteers v ON v.id = a.volunteer_id AND v.archived = 0"
			      " WHERE s.area_id = ? AND v.resident_id = ?"
			      " AND ((? <> 0 AND s.station_id = ?) OR (? <> 0 AND s.route_id = ?))"
			      " AND s.start_at >= ? AND s.start_at < ?",
			      &n, "iiiiiiii", area_id, resident_id, station_id, station_id,
			      route_id, route_id, from, to);

	*yes = !rc && n > 0;
	return rc;
}

int duty_month_facts(struct db *db, int64_t area_id, const char *month, struct duty_month *out)
{
	struct db_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!month_ok(month))
		return LIN_EINVAL;
	rc =
	    db_prepare(db,
		       "SELECT COUNT(*), COALESCE(SUM(CASE WHEN n >= s.need THEN 1 ELSE 0 END), 0),"
		       " COALESCE(SUM(s.need), 0), COALESCE(SUM(n), 0), COALESCE(SUM(m), 0),"
		       " COALESCE(SUM(c), 0), COALESCE(SUM(mins), 0) FROM (SELECT s.id, s.need,"
		       " (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id) AS n,"
		       " (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id"
		       "  AND a.checkin_at IS NULL AND s.end_at <= ?) AS m,"
		       " (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id"
		       "  AND a.checkin_at IS NOT NULL) AS c,"
		       " (SELECT COALESCE(SUM(a.minutes), 0) FROM duty_assignments a"
		       "  WHERE a.shift_id = s.id) AS mins" PUBLISHED_SHIFTS
		       " WHERE s.area_id = ? AND substr(s.day, 1, 7) = ?) s",
		       &st);
	if (!rc)
		rc = db_bindf(st, "iit", now, area_id, month);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		out->shifts = db_column_int64(st, 0);
		out->filled = db_column_int64(st, 1);
		out->unfilled = out->shifts - out->filled;
		out->places = db_column_int64(st, 2);
		out->covered = db_column_int64(st, 3);
		out->missed = db_column_int64(st, 4);
		out->checkins = db_column_int64(st, 5);
		out->minutes = db_column_int64(st, 6);
	}
	db_finalize(st);
	return rc;
}

int duty_month_stations(struct db *db, int64_t area_id, const char *month, json_t **out)
{
	static const char *const keys[] = {"kind",   "id",	 "name",    "shifts", "unfilled",
					   "missed", "checkins", "minutes", NULL};
	*out = NULL;
	if (!month_ok(month))
		return LIN_EINVAL;
	return db_query_json(
	    db,
	    "SELECT CASE WHEN s.station_id IS NULL THEN 'route' ELSE 'station' END,"
	    " COALESCE(s.station_id, s.route_id), COALESCE(st.name, p.name), COUNT(*),"
	    " SUM(CASE WHEN (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id)"
	    "  < s.need THEN 1 ELSE 0 END),"
	    " SUM((SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id"
	    "  AND a.checkin_at IS NULL AND s.end_at <= ?)),"
	    " SUM((SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id"
	    "  AND a.checkin_at IS NOT NULL)),"
	    " SUM((SELECT COALESCE(SUM(a.minutes), 0) FROM duty_assignments a"
	    "  WHERE a.shift_id = s.id))" PUBLISHED_SHIFTS
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE s.area_id = ? AND substr(s.day, 1, 7) = ?"
	    " GROUP BY s.station_id, s.route_id, st.name, p.name ORDER BY 3",
	    keys, "titiiiii", out, "iit", (int64_t)time(NULL), area_id, month);
}

int duty_month_teams(struct db *db, int64_t area_id, const char *month, json_t **out)
{
	static const char *const keys[] = {"team_id",  "team",	 "volunteers", "assignments",
					   "checkins", "missed", "minutes",    NULL};
	char first[16];

	*out = NULL;
	if (!month_ok(month))
		return LIN_EINVAL;
	snprintf(first, sizeof(first), "%s-01", month);
	return db_query_json(
	    db,
	    "SELECT COALESCE(t.id, 0), COALESCE(t.name, ''), COUNT(DISTINCT a.volunteer_id),"
	    " COUNT(*), SUM(CASE WHEN a.checkin_at IS NOT NULL THEN 1 ELSE 0 END),"
	    " SUM(CASE WHEN a.checkin_at IS NULL AND s.end_at <= ? THEN 1 ELSE 0 END),"
	    " COALESCE(SUM(a.minutes), 0)" PUBLISHED_SHIFTS
	    " JOIN duty_assignments a ON a.shift_id = s.id"
	    " JOIN volunteers v ON v.id = a.volunteer_id"
	    " LEFT JOIN team_members tm ON tm.resident_id = v.resident_id"
	    "  AND (tm.left_on IS NULL OR tm.left_on >= ?)"
	    " LEFT JOIN teams t ON t.id = tm.team_id"
	    " WHERE s.area_id = ? AND substr(s.day, 1, 7) = ?"
	    " GROUP BY t.id, t.name ORDER BY 2",
	    keys, "itiiiii", out, "itit", (int64_t)time(NULL), first, area_id, month);
}

int duty_open_places(struct db *db, int64_t area_id, int64_t from, int64_t to, json_t **out)
{
	static const char *const keys[] = {"shift_id", "day",	   "start_at", "end_at", "where",
					   "need",     "assigned", "reason",   NULL};
	json_t *row;
	size_t i;
	int rc = db_query_json(
	    db,
	    "SELECT s.id, s.day, s.start_at, s.end_at, COALESCE(st.name, p.name), s.need,"
	    " (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id),"
	    " s.unfilled_reason" PUBLISHED_SHIFTS
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE s.area_id = ? AND s.start_at >= ? AND s.start_at < ?"
	    " AND (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id) < s.need"
	    " ORDER BY s.start_at, s.id",
	    keys, "itiitiit", out, "iii", area_id, from, to);

	json_array_foreach (*out, i, row) {
		char a[6], b[6];
		duty_clock(json_integer_value(json_object_get(row, "start_at")), a);
		duty_clock(json_integer_value(json_object_get(row, "end_at")), b);
		json_object_set_new(row, "start", json_string(a));
		json_object_set_new(row, "end", json_string(b));
		json_object_set_new(
		    row, "missing",
		    json_integer(json_integer_value(json_object_get(row, "need")) -
				 json_integer_value(json_object_get(row, "assigned"))));
	}
	return rc;
}

int duty_calendar_json(struct db *db, int64_t area_id, const char *month, int64_t volunteer_id,
		       json_t **out)
{
	static const char *const keys[] = {"shift_id", "day",	   "start_at", "end_at", "where",
					   "need",     "assigned", "weather",  NULL};
	*out = NULL;
	if (!month_ok(month))
		return LIN_EINVAL;
	return db_query_json(
	    db,
	    "SELECT s.id, s.day, s.start_at, s.end_at, COALESCE(st.name, p.name), s.need,"
	    " (SELECT COUNT(*) FROM duty_assignments a WHERE a.shift_id = s.id),"
	    " s.weather_note" PUBLISHED_SHIFTS
	    " LEFT JOIN sorting_stations st ON st.id = s.station_id"
	    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
	    " WHERE s.area_id = ? AND substr(s.day, 1, 7) = ? AND (? = 0 OR EXISTS (SELECT 1"
	    " FROM duty_assignments a WHERE a.shift_id = s.id AND a.volunteer_id = ?))"
	    " ORDER BY s.day, s.start_at, 5",
	    keys, "itiitiit", out, "itii", area_id, month, volunteer_id, volunteer_id);
}

int duty_colleagues_json(struct db *db, int64_t area_id, int64_t volunteer_id, int64_t shift_id,
			 json_t **out)
{
	static const char *const keys[] = {"volunteer_id", "name", NULL};
	return db_query_json(
	    db,
	    "SELECT DISTINCT v.id, r.name FROM duty_shifts s"
	    " JOIN duty_shifts o ON o.area_id = s.area_id AND o.week_start = s.week_start"
	    " AND COALESCE(o.station_id, 0) = COALESCE(s.station_id, 0)"
	    " AND COALESCE(o.route_id, 0) = COALESCE(s.route_id, 0)"
	    " JOIN duty_assignments a ON a.shift_id = o.id"
	    " JOIN volunteers v ON v.id = a.volunteer_id AND v.archived = 0"
	    " JOIN residents r ON r.id = v.resident_id"
	    " WHERE s.id = ? AND s.area_id = ? AND v.id <> ? ORDER BY r.name, v.id",
	    keys, "it", out, "iii", shift_id, area_id, volunteer_id);
}
