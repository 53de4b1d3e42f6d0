/* The alerts' SQL (alerts.h): the meter and rules an evaluation needs,
 * the open alert and its updates, how far each rule has read, and the
 * alerts list. alerts.c holds the engine. */
#include "alerts.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int alerts_meter_load(struct db *db, int64_t meter_id, struct alert_meter *m)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT m.area_id, m.zone_class, COALESCE(m.zone_id, 0),"
			    " COALESCE(z.volume_cap_centi, -1), m.name FROM meters m"
			    " LEFT JOIN plaza_zones z ON z.id = m.zone_id WHERE m.id = ?",
			    &st);

	if (rc)
		return rc;
	memset(m, 0, sizeof(*m));
	m->id = meter_id;
	db_bind_int64(st, 1, meter_id);
	rc = db_step_one(st);
	if (!rc) {
		m->area_id = db_column_int64(st, 0);
		snprintf(m->zone_class, sizeof(m->zone_class), "%s", db_column_text(st, 1));
		m->zone_id = db_column_int64(st, 2);
		m->cap_centi = db_column_int64(st, 3);
		snprintf(m->name, sizeof(m->name), "%s", db_column_text(st, 4));
	}
	db_finalize(st);
	if (!rc)
		rc = noise_zone_limits(m->zone_class, &m->day_limit, &m->night_limit);
	if (!rc)
		rc = plaza_hours_get(db, m->area_id, &m->hours);
	return rc;
}

/* rules_load: the live rules of the meter's area that apply to it (one
 * query, so a meter without rules costs one lookup per batch). */
int noise_alert_watches(struct db *db, struct noise_alert_watch **w, size_t *n)
{
	struct db_stmt *st = NULL;
	size_t cap = 0;
	int rc = db_prepare(db,
			    "SELECT DISTINCT area_id, COALESCE(meter_id, 0) FROM noise_alert_rules"
			    " WHERE archived = 0 ORDER BY 1, 2",
			    &st);

	*w = NULL;
	*n = 0;
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			struct noise_alert_watch *more =
			    realloc(*w, (cap = cap ? 2 * cap : 16) * sizeof(**w));
			if (!more) {
				rc = LIN_ENOMEM;
				break;
			}
			*w = more;
		}
		(*w)[*n].area_id = db_column_int64(st, 0);
		(*w)[(*n)++].meter_id = db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc;
}

int alerts_rules_load(struct db *db, int64_t meter_id, struct alert_rule *r, int *n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db,
	    "SELECT r.id, r.kind, r.window_s, r.margin_centi, r.clear_centi, r.quiet_s,"
	    " r.open_case FROM noise_alert_rules r JOIN meters m ON m.area_id = r.area_id"
	    " WHERE m.id = ? AND r.archived = 0 AND (r.meter_id IS NULL OR r.meter_id = m.id)"
	    " ORDER BY r.id",
	    &st);

	*n = 0;
	if (rc)
		return rc;
	db_bind_int64(st, 1, meter_id);
	while ((rc = db_step(st)) == DB_ROW && *n < ALERTS_MAX_RULES) {
		struct alert_rule *x = &r[(*n)++];
		x->id = db_column_int64(st, 0);
		snprintf(x->kind, sizeof(x->kind), "%s", db_column_text(st, 1));
		x->window_s = db_column_int64(st, 2);
		x->margin = db_column_int64(st, 3);
		x->clear = db_column_int64(st, 4);
		x->quiet = db_column_int64(st, 5);
		x->open_case = (int)db_column_int64(st, 6);
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

int alerts_open_load(struct db *db, int64_t rule_id, int64_t meter_id, struct noise_alert *a)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT id, opened_t, last_over_t, threshold_centi, peak_centi"
		       " FROM noise_alerts WHERE rule_id = ? AND meter_id = ? AND closed_t IS NULL"
		       " ORDER BY id DESC LIMIT 1",
		       &st);

	memset(a, 0, sizeof(*a));
	if (rc)
		return rc;
	db_bind_int64(st, 1, rule_id);
	db_bind_int64(st, 2, meter_id);
	rc = db_step_one(st);
	if (!rc) {
		a->id = db_column_int64(st, 0);
		a->opened_t = db_column_int64(st, 1);
		a->last_loud_t = db_column_int64(st, 2);
		a->threshold = db_column_int64(st, 3);
		a->peak = db_column_int64(st, 4);
		a->open = 1;
	}
	db_finalize(st);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

/* alert_write inserts a (new) alert, or updates it; closed_t < 0: open. */
int alerts_write(struct db *db, const struct alert_meter *m, const struct alert_rule *r,
		 struct noise_alert *a, int64_t closed_t)
{
	struct db_stmt *st = NULL;
	int rc;

	if (a->id && closed_t < 0)
		return db_exec_args(
		    db, "UPDATE noise_alerts SET last_over_t = ?, peak_centi = ? WHERE id = ?",
		    NULL, "iii", a->last_loud_t, a->peak, a->id);
	if (a->id)
		return db_exec_args(
		    db,
		    "UPDATE noise_alerts SET last_over_t = ?, peak_centi = ?, closed_t = ?"
		    " WHERE id = ?",
		    NULL, "iiii", a->last_loud_t, a->peak, closed_t, a->id);
	rc = db_prepare(db,
			"INSERT INTO noise_alerts (area_id, rule_id, meter_id, zone_id, opened_t,"
			" last_over_t, closed_t, threshold_centi, peak_centi, teams)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, m->area_id);
	db_bind_int64(st, 2, r->id);
	db_bind_int64(st, 3, m->id);
	if (m->zone_id)
		db_bind_int64(st, 4, m->zone_id);
	else
		db_bind_null(st, 4);
	db_bind_int64(st, 5, a->opened_t);
	db_bind_int64(st, 6, a->last_loud_t);
	if (closed_t < 0)
		db_bind_null(st, 7);
	else
		db_bind_int64(st, 7, closed_t);
	db_bind_int64(st, 8, a->threshold);
	db_bind_int64(st, 9, a->peak);
	db_bind_text(st, 10, "");
	rc = db_step_one(st);
	if (!rc)
		a->id = db_column_int64(st, 0);
	db_finalize(st);
	return rc;
}

int alerts_set_teams(struct db *db, int64_t alert_id, const char *teams)
{
	return db_exec_args(db, "UPDATE noise_alerts SET teams = ? WHERE id = ?", NULL, "ti", teams,
			    alert_id);
}

int alerts_set_case(struct db *db, int64_t alert_id, int64_t case_id)
{
	return db_exec_args(db, "UPDATE noise_alerts SET case_id = ? WHERE id = ?", NULL, "ii",
			    case_id, alert_id);
}

int alerts_evaluated(struct db *db, int64_t rule_id, int64_t meter_id, int64_t none, int64_t *out)
{
	return db_query_int64(db,
			      "SELECT COALESCE(MAX(evaluated_t), ?) FROM noise_alert_state"
			      " WHERE rule_id = ? AND meter_id = ?",
			      out, 3, none, rule_id, meter_id);
}

int alerts_evaluated_set(struct db *db, int64_t rule_id, int64_t meter_id, int64_t t)
{
	int rc =
	    db_exec_args(db, "DELETE FROM noise_alert_state WHERE rule_id = ? AND meter_id = ?",
			 NULL, "ii", rule_id, meter_id);

	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO noise_alert_state (rule_id, meter_id, evaluated_t)"
				  " VALUES (?, ?, ?)",
				  NULL, "iii", rule_id, meter_id, t);
	return rc;
}

/* ALERT_SELECT: the columns alerts_read turns into an alert's JSON. */
#define ALERT_SELECT                                                                               \
	"SELECT a.id, a.meter_id, m.name, r.name, r.kind, a.opened_t, a.closed_t,"                 \
	" a.threshold_centi, a.peak_centi, a.teams, a.case_id, a.last_over_t"                      \
	" FROM noise_alerts a JOIN meters m ON m.id = a.meter_id"                                  \
	" JOIN noise_alert_rules r ON r.id = a.rule_id"

/* alerts_read steps st (of ALERT_SELECT) to the end into *out; finalizes st. */
static int alerts_read(struct db_stmt *st, json_t **out)
{
	int rc;

	*out = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *a = json_pack(
		    "{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:s}", "id",
		    (json_int_t)db_column_int64(st, 0), "meter_id",
		    (json_int_t)db_column_int64(st, 1), "meter", db_column_text(st, 2), "rule",
		    db_column_text(st, 3), "kind", db_column_text(st, 4), "opened_t",
		    (json_int_t)db_column_int64(st, 5), "last_loud_t",
		    (json_int_t)db_column_int64(st, 11), "threshold",
		    (double)db_column_int64(st, 7) / 100.0, "peak",
		    (double)db_column_int64(st, 8) / 100.0, "teams", db_column_text(st, 9));
		json_object_set_new(
		    a, "closed_t",
		    db_column_is_null(st, 6) ? json_null() : json_integer(db_column_int64(st, 6)));
		json_object_set_new(a, "case_id",
				    db_column_is_null(st, 10)
					? json_null()
					: json_integer(db_column_int64(st, 10)));
		json_array_append_new(*out, a);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(*out);
		*out = NULL;
		return rc < 0 ? rc : LIN_EDB;
	}
	return 0;
}

int noise_alerts_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t since, int limit,
		      json_t **out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    ALERT_SELECT
			    " WHERE a.area_id = ? AND (? = 0 OR a.meter_id = ?) AND a.opened_t >= ?"
			    " ORDER BY a.opened_t DESC, a.id DESC LIMIT ?",
			    &st);

	*out = NULL;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, meter_id);
	db_bind_int64(st, 3, meter_id);
	db_bind_int64(st, 4, since);
	db_bind_int64(st, 5, limit);
	return alerts_read(st, out);
}

int noise_alerts_of_case(struct db *db, int64_t area_id, int64_t case_id, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    ALERT_SELECT " WHERE a.area_id = ? AND a.case_id = ?"
					 " ORDER BY a.opened_t, a.id LIMIT 50",
			    &st);

	*out = NULL;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, case_id);
	return alerts_read(st, out);
}
