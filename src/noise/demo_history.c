/* A believable recent past for the demo plaza: last week's, this week's and
 * next week's staggered timetables published, and the plaza's meter
 * sending the last two days second by second — traffic by day, quiet at
 * night, and in the evening the teams the timetable puts on the plaza at
 * their agreed volume (a little under it, so no alert), except that
 * yesterday the teams in the meter's own zone played at their (louder)
 * measured level. The readings go through the same store
 * as a meter's, so the alert rules run on them and file what they file.
 * Deterministic (a fixed seed). */
#include "ingest.h"
#include "noise.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../plaza/plaza.h"
#include "../schedule/schedule.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HISTORY_SECONDS (2 * 86400)
#define OTHER_ZONE_DB	8.0 /* a team in another zone, ~25 m off instead of 10 m */
#define UNDER_AGREED_DB 1.5 /* a team keeping its agreed volume stays a little under it */

static uint64_t rng_state = 0x5eed5eed12345678ULL;

static double uniform(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

/* dancing_energy: the teams scheduled at t, each at its agreed volume at
 * 10 m (its measured level when loud is set and it dances in the meter's
 * zone), as energy at the meter: in that zone at 10 m, elsewhere
 * OTHER_ZONE_DB less. */
static int dancing_energy(struct db *db, int64_t area, int64_t zone_id, int64_t t, int loud,
			  double *energy)
{
	struct plaza_session on[16];
	int n = 0, rc = plaza_sessions_at(db, area, 0, t, on, 16, &n);

	*energy = 0;
	for (int i = 0; i < n && !rc; i++) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db,
				"SELECT COALESCE(agreed_10m_centi, level_10m_centi, 7000),"
				" COALESCE(level_10m_centi, agreed_10m_centi, 7000)"
				" FROM dance_teams WHERE id = ?",
				&st);
		if (rc)
			break;
		db_bind_int64(st, 1, on[i].dance_team_id);
		rc = db_step_one(st);
		if (!rc) {
			int up = loud && on[i].zone_id == zone_id;
			double l = (double)db_column_int64(st, up ? 1 : 0) / 100.0 -
				   (up ? 0.0 : UNDER_AGREED_DB);
			if (on[i].zone_id != zone_id)
				l -= OTHER_ZONE_DB;
			*energy += pow(10.0, l / 10.0);
		}
		db_finalize(st);
	}
	return rc;
}

static int feed(struct db *db, int64_t area, int64_t now)
{
	struct noise_reading *batch = calloc(NOISE_BATCH_MAX, sizeof(*batch));
	struct plaza_hours hours;
	int64_t meter = 0, zone = 0, start = now - HISTORY_SECONDS, yesterday;
	double music = 0, cached = 0;
	int n = 0, rc;

	if (!batch)
		return LIN_ENOMEM;
	rc = db_query_int64(db,
			    "SELECT COALESCE(MIN(id), 0) FROM meters WHERE area_id = ?"
			    " AND zone_id IS NOT NULL AND archived = 0",
			    &meter, 1, area);
	if (!rc && meter)
		rc = db_query_int64(db, "SELECT zone_id FROM meters WHERE id = ?", &zone, 1, meter);
	if (!rc)
		rc = plaza_hours_get(db, area, &hours);
	if (rc || !meter) {
		free(batch);
		return rc;
	}
	yesterday = (now + PLAZA_TZ_OFFSET) / 86400 - 1; /* the local day number */
	for (int64_t t = start - start % 60; t < now && !rc; t++) {
		int minute, night;
		double base, e, laeq;
		plaza_local(t, NULL, &minute, NULL);
		night = plaza_is_night(&hours, minute);
		/* The timetable changes at most every slot: look it up once a minute. */
		if (t % 60 == 0 || t == start - start % 60) {
			int loud = (t + PLAZA_TZ_OFFSET) / 86400 == yesterday;
			rc = dancing_energy(db, area, zone, t, loud, &cached);
		}
		base = night ? 40.5 : 50.5 + 3.0 * sin((double)minute * 3.14159 / 720.0);
		music = 0.98 * music + 0.02 * (uniform() - 0.5) * 6.0; /* the music's swell */
		e = pow(10.0, (base + (uniform() - 0.5) * 4.0) / 10.0);
		if (cached > 0)
			e += cached * pow(10.0, (music + (uniform() - 0.5) * 2.0) / 10.0);
		laeq = 10.0 * log10(e);
		batch[n].t = t;
		batch[n].laeq_centi = (int64_t)floor(laeq * 100.0 + 0.5);
		batch[n].lmax_centi = batch[n].laeq_centi + 200 + (int64_t)(uniform() * 500.0);
		batch[n].has_lmax = 1;
		if (++n == NOISE_BATCH_MAX || t + 1 == now) {
			int stored, dups;
			rc = noise_store_readings(db, meter, batch, n, "demo", &stored, &dups);
			n = 0;
		}
	}
	free(batch);
	return rc;
}

/* stamp_cases: the cases the replayed alerts filed carry each alert's
 * moment, as if they had been filed while it happened. */
static int stamp_cases(struct db *db, int64_t area)
{
	struct db_stmt *st = NULL;
	int64_t alert_case[64], alert_t[64], seen[64];
	int n = 0, nseen = 0, rc;

	rc = db_prepare(db,
			"SELECT case_id, opened_t FROM noise_alerts WHERE area_id = ?"
			" AND case_id IS NOT NULL ORDER BY opened_t, id",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", area);
	while (!rc && n < 64 && (rc = db_step(st)) == DB_ROW) {
		alert_case[n] = db_column_int64(st, 0);
		alert_t[n++] = db_column_int64(st, 1);
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	rc = 0;
	for (int i = 0; i < n && !rc; i++) {
		int first = 1;
		for (int j = 0; j < nseen; j++)
			if (seen[j] == alert_case[i])
				first = 0;
		if (first)
			seen[nseen++] = alert_case[i];
		rc = cases_demo_meter_case(db, alert_case[i], alert_t[i], first);
	}
	return rc;
}

int noise_demo_history(struct db *db, int64_t area, int64_t now)
{
	struct sched_options o;
	int rc = 0;

	sched_options_default(&o);
	o.time_limit = 10;
	for (int w = -1; w <= 1 && !rc; w++) {
		struct plaza_published out;
		char monday[11];
		plaza_local(now + w * 7 * 86400, NULL, NULL, monday);
		rc = plaza_publish(db, area, monday, &o, 0, "demo", &out);
		if (rc)
			log_error("demo: week %s not published: %s", monday, out.error);
	}
	if (!rc)
		rc = feed(db, area, now);
	if (!rc)
		rc = stamp_cases(db, area);
	return rc;
}
