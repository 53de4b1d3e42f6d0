/* From the registry to the optimiser: one week's sched_instance built from
 * the area's evening hours, its plaza zones and their rules, the receptors
 * and the dance teams' profiles, with each team's prime-time history from
 * the weeks published before. */
#include "instance.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../noise/noise.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HISTORY_WEEKS 4 /* prime time is rotated over this many past weeks */

/* centroid of a polygon (hundredths of a metre), by the shoelace formula;
 * the mean of the points when the area is zero. */
static void centroid(int64_t (*p)[2], int n, double *cx, double *cy)
{
	double a = 0, x = 0, y = 0;

	for (int i = 0; i < n; i++) {
		int j = (i + 1) % n;
		double cross =
		    (double)p[i][0] * (double)p[j][1] - (double)p[j][0] * (double)p[i][1];
		a += cross;
		x += ((double)p[i][0] + (double)p[j][0]) * cross;
		y += ((double)p[i][1] + (double)p[j][1]) * cross;
	}
	if (fabs(a) < 1e-9) {
		x = y = 0;
		for (int i = 0; i < n; i++) {
			x += (double)p[i][0];
			y += (double)p[i][1];
		}
		*cx = x / n;
		*cy = y / n;
		return;
	}
	*cx = x / (3 * a);
	*cy = y / (3 * a);
}

/* slot_in_periods: the slot [start, start+len) lies within one period. */
static int slot_in_periods(int (*per)[2], int n, int start, int len)
{
	for (int i = 0; i < n; i++)
		if (start >= per[i][0] && start + len <= per[i][1])
			return 1;
	return 0;
}

static int load_zones(struct db *db, int64_t area_id, struct plaza_week *w, double (*c)[2])
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, name, capacity, shape, allowed_periods FROM plaza_zones"
			    " WHERE area_id = ? AND archived = 0 ORDER BY id",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sched_instance *in = &w->in;
		int z = in->nzones, per[16][2], np;
		int64_t pts[32][2];
		int n;

		if (z == SCHED_MAX_ZONES)
			break;
		w->zone_id[z] = db_column_int64(st, 0);
		snprintf(in->zone[z].name, sizeof(in->zone[z].name), "%s", db_column_text(st, 1));
		in->zone[z].capacity = (int)db_column_int64(st, 2);
		n = parse_shape(db_column_text(st, 3), pts, 32, 1000000);
		if (n < 3) {
			log_error("plaza: zone %s has no usable shape", in->zone[z].name);
			continue;
		}
		centroid(pts, n, &c[z][0], &c[z][1]);
		/* The place manager's allowed periods (Noise Law Art. 64): a slot
		 * outside them is closed in this zone. None given: all open. */
		np = parse_periods(db_column_text(st, 4), per, 16);
		in->zone_open[z] = 0;
		for (int s = 0; s < in->nslots; s++)
			if (np <= 0 || slot_in_periods(per, np, w->slot_start[s], w->hours.slot))
				in->zone_open[z] |= (uint64_t)1 << s;
		in->nzones++;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

static int load_receptors(struct db *db, int64_t area_id, struct plaza_week *w, double (*c)[2])
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, name, x_centi, y_centi, zone_class, background_centi"
			    " FROM receptors WHERE area_id = ? AND archived = 0 ORDER BY id",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sched_instance *in = &w->in;
		int r = in->nreceptors;
		int64_t day, night;
		double x = (double)db_column_int64(st, 2), y = (double)db_column_int64(st, 3);

		if (r == SCHED_MAX_RECEPTORS)
			break;
		if (noise_zone_limits(db_column_text(st, 4), &day, &night))
			continue;
		w->receptor_id[r] = db_column_int64(st, 0);
		snprintf(in->receptor[r].name, sizeof(in->receptor[r].name), "%s",
			 db_column_text(st, 1));
		/* Evening slots end before the night begins: the day limit. */
		in->receptor[r].limit_centi = day;
		in->receptor[r].background_centi = db_column_int64(st, 5);
		for (int z = 0; z < in->nzones; z++) {
			/* hundredths of a metre to decimetres, at least 1 m */
			double d = hypot(c[z][0] - x, c[z][1] - y) / 10.0;
			in->dist_dm[z][r] = d < 10 ? 10 : (int32_t)floor(d + 0.5);
		}
		in->nreceptors++;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

/* team_level: the level at 10 m the plan uses: the agreed volume, else the
 * measured level, else from the sound power over a hard floor (hemispherical
 * spreading: Lp(10 m) = LwA − 20·lg 10 − 8 = LwA − 28). -1 when none. */
static int64_t team_level(struct db_stmt *st)
{
	if (!db_column_is_null(st, 3))
		return db_column_int64(st, 3);
	if (!db_column_is_null(st, 2))
		return db_column_int64(st, 2);
	if (!db_column_is_null(st, 4))
		return db_column_int64(st, 4) - 2800;
	return -1;
}

static int load_teams(struct db *db, int64_t area_id, struct plaza_week *w)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db,
	    "SELECT d.id, t.name, d.level_10m_centi, d.agreed_10m_centi, d.sound_power_centi,"
	    " d.sessions_per_week, COALESCE(d.preferred_zone_id, 0), d.preferred_times, d.days,"
	    " (SELECT COUNT(*) FROM schedule_sessions s JOIN schedule_weeks k ON k.id = s.week_id"
	    "  WHERE s.dance_team_id = d.id AND s.prime = 1 AND k.area_id = d.area_id"
	    "  AND k.week_start < ? AND k.week_start >= ?)"
	    " FROM dance_teams d JOIN teams t ON t.id = d.team_id"
	    " WHERE d.area_id = ? AND d.archived = 0 AND t.archived = 0 ORDER BY d.id",
	    &st);

	if (rc)
		return rc;
	db_bind_text(st, 1, w->monday);
	db_bind_text(st, 2, w->history_from);
	db_bind_int64(st, 3, area_id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct sched_instance *in = &w->in;
		struct sched_team *t = &in->team[in->nteams];
		int64_t level = team_level(st), pref_zone = db_column_int64(st, 6);
		int per[8][2], np;

		if (in->nteams == w->cap_teams)
			break;
		if (level < 0) {
			/* Without a level the plan cannot keep the façades in limit. */
			struct plaza_skipped *k = &w->skipped[w->nskipped];
			if (w->nskipped < PLAZA_MAX_SKIPPED) {
				k->dance_team_id = db_column_int64(st, 0);
				snprintf(k->name, sizeof(k->name), "%s", db_column_text(st, 1));
				w->nskipped++;
			}
			continue;
		}
		w->dance_team_id[in->nteams] = db_column_int64(st, 0);
		snprintf(t->name, sizeof(t->name), "%s", db_column_text(st, 1));
		t->l10m_centi = level;
		t->sessions = (int)db_column_int64(st, 5);
		for (int z = 0; z < in->nzones; z++)
			if (w->zone_id[z] == pref_zone)
				t->pref_zones |= (uint64_t)1 << z;
		np = parse_periods(db_column_text(st, 7), per, 8);
		for (int s = 0; s < in->nslots && np > 0; s++)
			if (slot_in_periods(per, np, w->slot_start[s], w->hours.slot))
				t->pref_slots |= (uint64_t)1 << s;
		for (const char *d = db_column_text(st, 8); *d; d++)
			if (*d >= '1' && *d <= '7')
				t->allowed_days |= 1u << (*d - '1');
		t->prime_history = (int)db_column_int64(st, 9);
		if (t->prime_history > 1000)
			t->prime_history = 1000;
		in->nteams++;
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

/* week_before: the Monday HISTORY_WEEKS weeks before monday. */
static int week_before(const char *monday, char out[11])
{
	int y, m, d;
	struct tm tm = {0};
	time_t t;

	if (parse_date(monday, &y, &m, &d))
		return LIN_EINVAL;
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d - 7 * HISTORY_WEEKS;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000,
		 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100);
	return 0;
}

int plaza_week_build(struct db *db, int64_t area_id, const char *monday, struct plaza_week *w)
{
	double zc[SCHED_MAX_ZONES][2];
	int64_t nteams = 0;
	int rc;

	memset(w, 0, sizeof(*w));
	snprintf(w->monday, sizeof(w->monday), "%s", monday);
	rc = week_before(monday, w->history_from);
	if (!rc)
		rc = plaza_hours_get(db, area_id, &w->hours);
	if (!rc)
		rc = db_query_int64(db, "SELECT COUNT(*) FROM dance_teams WHERE area_id = ?",
				    &nteams, 1, area_id);
	if (rc)
		return rc;
	if (nteams > SCHED_MAX_TEAMS)
		nteams = SCHED_MAX_TEAMS;
	rc = sched_instance_init(&w->in, (int)nteams);
	if (rc)
		return rc;
	w->dance_team_id = calloc((size_t)nteams + 1, sizeof(*w->dance_team_id));
	if (!w->dance_team_id) {
		sched_instance_release(&w->in);
		return LIN_ENOMEM;
	}
	w->cap_teams = (int)nteams;
	/* Counts grow as rows are read. */
	w->in.nteams = w->in.nslots = w->in.nzones = w->in.nreceptors = 0;
	w->in.ndays = 7;
	/* Slots: the evening in steps, none reaching into the night. */
	for (int m = w->hours.evening_start;
	     w->hours.slot > 0 && m + w->hours.slot <= w->hours.evening_end &&
	     w->in.nslots < SCHED_MAX_SLOTS;
	     m += w->hours.slot) {
		int s = w->in.nslots, night = 0;
		for (int k = m; k < m + w->hours.slot; k++)
			night |= plaza_is_night(&w->hours, k % 1440);
		if (night)
			continue; /* dancing stops for the night; later slots may open */
		w->slot_start[s] = m;
		plaza_hhmm(m, w->in.slot_label[s]);
		if (m >= w->hours.prime_start && m < w->hours.prime_end)
			w->in.prime |= (uint64_t)1 << s;
		w->in.nslots++;
	}
	if (!w->in.nslots) {
		plaza_week_release(w);
		return LIN_EINVAL;
	}
	for (int d = 0; d < SCHED_MAX_DAYS; d++)
		w->in.slot_open[d] =
		    w->in.nslots == 64 ? UINT64_MAX : ((uint64_t)1 << w->in.nslots) - 1;
	rc = load_zones(db, area_id, w, zc);
	if (!rc)
		rc = load_receptors(db, area_id, w, zc);
	if (!rc)
		rc = load_teams(db, area_id, w);
	if (!rc && !w->in.nzones)
		rc = LIN_ENOTFOUND;
	if (rc)
		plaza_week_release(w);
	return rc;
}

void plaza_week_release(struct plaza_week *w)
{
	sched_instance_release(&w->in);
	free(w->dance_team_id);
	w->dance_team_id = NULL;
}
