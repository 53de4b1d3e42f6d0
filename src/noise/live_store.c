/* The live noise views' SQL: the area's meters with the zone and place
 * they watch, a meter's latest second, recent alerts, the zones of a place
 * and the next session of its published timetable. */
#include "live_view.h"
#include "noise.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>

/* The columns meter_row reads, after "SELECT". */
#define METER_COLUMNS                                                                              \
	" m.id, m.area_id, m.name, m.zone_class, COALESCE(m.zone_id, 0), COALESCE(z.name, ''),"    \
	" COALESCE(z.volume_cap_centi, -1), COALESCE(p.id, 0), COALESCE(p.name, '')"               \
	" FROM meters m LEFT JOIN plaza_zones z ON z.id = m.zone_id"                               \
	" LEFT JOIN places p ON p.id = COALESCE(z.place_id, m.place_id)"

static void meter_row(struct db_stmt *st, struct live_meter *m)
{
	memset(m, 0, sizeof(*m));
	m->id = db_column_int64(st, 0);
	m->area_id = db_column_int64(st, 1);
	snprintf(m->name, sizeof(m->name), "%s", db_column_text(st, 2));
	snprintf(m->zone_class, sizeof(m->zone_class), "%s", db_column_text(st, 3));
	m->zone_id = db_column_int64(st, 4);
	snprintf(m->zone, sizeof(m->zone), "%s", db_column_text(st, 5));
	m->cap_centi = db_column_int64(st, 6);
	m->place_id = db_column_int64(st, 7);
	snprintf(m->place, sizeof(m->place), "%s", db_column_text(st, 8));
}

int live_meters(struct db *db, int64_t area_id, struct live_meter *out, int max, int *n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT" METER_COLUMNS " WHERE m.area_id = ? AND m.archived = 0"
			    " ORDER BY m.name, m.id",
			    &st);

	*n = 0;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	while (*n < max && (rc = db_step(st)) == DB_ROW)
		meter_row(st, &out[(*n)++]);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int live_meter_get(struct db *db, int64_t id, struct live_meter *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT" METER_COLUMNS " WHERE m.id = ? AND m.archived = 0", &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step_one(st);
	if (!rc)
		meter_row(st, out);
	db_finalize(st);
	return rc;
}

int live_latest(struct db *db, int64_t meter_id, int64_t t, int64_t *at, int64_t *laeq_centi,
		int *simulated)
{
	struct db_stmt *st = NULL;
	/* The primary key (meter_id, t) answers this from its last entry. */
	int rc = db_prepare(db,
			    "SELECT t, laeq_centi, source FROM noise_readings WHERE meter_id = ?"
			    " AND t <= ?"
			    " ORDER BY t DESC LIMIT 1",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, meter_id);
	db_bind_int64(st, 2, t);
	rc = db_step_one(st);
	if (!rc) {
		*at = db_column_int64(st, 0);
		*laeq_centi = db_column_int64(st, 1);
		*simulated = !strcmp(db_column_text(st, 2), NOISE_SIM_SOURCE);
	}
	db_finalize(st);
	return rc;
}

int live_alerts(struct db *db, int64_t area_id, int64_t meter_id, int64_t since, int64_t after_id,
		struct live_alert *out, int max, int *n)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT id, meter_id, opened_t, COALESCE(closed_t, 0), peak_centi,"
		       " threshold_centi, COALESCE(case_id, 0), teams FROM noise_alerts"
		       " WHERE area_id = ? AND (? = 0 OR meter_id = ?) AND id > ?"
		       " AND (closed_t IS NULL OR closed_t >= ?) ORDER BY opened_t DESC, id DESC",
		       &st);

	*n = 0;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, meter_id);
	db_bind_int64(st, 3, meter_id);
	db_bind_int64(st, 4, after_id);
	db_bind_int64(st, 5, since);
	while (*n < max && (rc = db_step(st)) == DB_ROW) {
		struct live_alert *a = &out[(*n)++];
		a->id = db_column_int64(st, 0);
		a->meter_id = db_column_int64(st, 1);
		a->opened_t = db_column_int64(st, 2);
		a->closed_t = db_column_int64(st, 3);
		a->peak_centi = db_column_int64(st, 4);
		a->threshold_centi = db_column_int64(st, 5);
		a->case_id = db_column_int64(st, 6);
		snprintf(a->teams, sizeof(a->teams), "%s", db_column_text(st, 7));
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int live_alert_last(struct db *db, int64_t area_id, int64_t *out)
{
	return db_query_int64(db, "SELECT COALESCE(MAX(id), 0) FROM noise_alerts WHERE area_id = ?",
			      out, 1, area_id);
}

int live_place_zones(struct db *db, int64_t area_id, int64_t place_id, struct live_zone *out,
		     int max, int *n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, name, COALESCE(volume_cap_centi, -1) FROM plaza_zones"
			    " WHERE area_id = ? AND place_id = ? AND archived = 0 ORDER BY id",
			    &st);

	*n = 0;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, place_id);
	while (*n < max && (rc = db_step(st)) == DB_ROW) {
		struct live_zone *z = &out[(*n)++];
		z->id = db_column_int64(st, 0);
		snprintf(z->name, sizeof(z->name), "%s", db_column_text(st, 1));
		z->cap_centi = db_column_int64(st, 2);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
