/* From the registry to the optimiser: one week's sched_instance built from
 * the area's evening hours, its plaza zones and their rules, the receptors
 * and the dance teams' profiles, with each team's prime-time history from
 * the weeks published before (all read through store.c). */
#include "instance.h"
#include "store.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
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

/* text_of, int_of: a row's field (JSON), "" or 0 when absent or null. */
static const char *text_of(json_t *row, const char *key)
{
	const char *s = json_string_value(json_object_get(row, key));
	return s ? s : "";
}

static int64_t int_of(json_t *row, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(row, key));
}

static void take_zones(json_t *zones, struct plaza_week *w, double (*c)[2])
{
	size_t i;
	json_t *row;

	json_array_foreach (zones, i, row) {
		struct sched_instance *in = &w->in;
		int z = in->nzones, per[16][2], np;
		int64_t pts[32][2];
		int n;

		if (z == SCHED_MAX_ZONES)
			break;
		w->zone_id[z] = int_of(row, "id");
		snprintf(in->zone[z].name, sizeof(in->zone[z].name), "%s", text_of(row, "name"));
		in->zone[z].capacity = (int)int_of(row, "capacity");
		n = parse_shape(text_of(row, "shape"), pts, 32, 1000000);
		if (n < 3) {
			log_error("plaza: zone %s has no usable shape", in->zone[z].name);
			continue;
		}
		centroid(pts, n, &c[z][0], &c[z][1]);
		/* The place manager's allowed periods (Noise Law Art. 64): a slot
		 * outside them is closed in this zone. None given: all open. */
		np = parse_periods(text_of(row, "allowed_periods"), per, 16);
		in->zone_open[z] = 0;
		for (int s = 0; s < in->nslots; s++)
			if (np <= 0 || slot_in_periods(per, np, w->slot_start[s], w->hours.slot))
				in->zone_open[z] |= (uint64_t)1 << s;
		in->nzones++;
	}
}

static void take_receptors(json_t *receptors, struct plaza_week *w, double (*c)[2])
{
	size_t i;
	json_t *row;

	json_array_foreach (receptors, i, row) {
		struct sched_instance *in = &w->in;
		int r = in->nreceptors;
		int64_t day, night;
		double x = (double)int_of(row, "x_centi"), y = (double)int_of(row, "y_centi");

		if (r == SCHED_MAX_RECEPTORS)
			break;
		if (noise_zone_limits(text_of(row, "zone_class"), &day, &night))
			continue;
		w->receptor_id[r] = int_of(row, "id");
		snprintf(in->receptor[r].name, sizeof(in->receptor[r].name), "%s",
			 text_of(row, "name"));
		/* Evening slots end before the night begins: the day limit. */
		in->receptor[r].limit_centi = day;
		in->receptor[r].background_centi = int_of(row, "background_centi");
		for (int z = 0; z < in->nzones; z++) {
			/* hundredths of a metre to decimetres, at least 1 m */
			double d = hypot(c[z][0] - x, c[z][1] - y) / 10.0;
			in->dist_dm[z][r] = d < 10 ? 10 : (int32_t)floor(d + 0.5);
		}
		in->nreceptors++;
	}
}

/* team_level: the level at 10 m the plan uses: the agreed volume, else the
 * measured level, else from the sound power over a hard floor (hemispherical
 * spreading: Lp(10 m) = LwA − 20·lg 10 − 8 = LwA − 28). -1 when none. */
static int64_t team_level(json_t *row)
{
	json_t *agreed = json_object_get(row, "agreed_10m_centi");
	json_t *measured = json_object_get(row, "level_10m_centi");
	json_t *power = json_object_get(row, "sound_power_centi");

	if (json_is_integer(agreed))
		return json_integer_value(agreed);
	if (json_is_integer(measured))
		return json_integer_value(measured);
	if (json_is_integer(power))
		return json_integer_value(power) - 2800;
	return -1;
}

static void take_teams(json_t *teams, struct plaza_week *w)
{
	size_t i;
	json_t *row;

	json_array_foreach (teams, i, row) {
		struct sched_instance *in = &w->in;
		struct sched_team *t = &in->team[in->nteams];
		int64_t level = team_level(row), pref_zone = int_of(row, "preferred_zone_id");
		int per[8][2], np;

		if (in->nteams == w->cap_teams)
			break;
		if (level < 0) {
			/* Without a level the plan cannot keep the façades in limit. */
			struct plaza_skipped *k = &w->skipped[w->nskipped];
			if (w->nskipped < PLAZA_MAX_SKIPPED) {
				k->dance_team_id = int_of(row, "id");
				snprintf(k->name, sizeof(k->name), "%s", text_of(row, "name"));
				w->nskipped++;
			}
			continue;
		}
		w->dance_team_id[in->nteams] = int_of(row, "id");
		snprintf(t->name, sizeof(t->name), "%s", text_of(row, "name"));
		t->l10m_centi = level;
		t->sessions = (int)int_of(row, "sessions");
		for (int z = 0; z < in->nzones; z++)
			if (w->zone_id[z] == pref_zone)
				t->pref_zones |= (uint64_t)1 << z;
		np = parse_periods(text_of(row, "preferred_times"), per, 8);
		for (int s = 0; s < in->nslots && np > 0; s++)
			if (slot_in_periods(per, np, w->slot_start[s], w->hours.slot))
				t->pref_slots |= (uint64_t)1 << s;
		for (const char *d = text_of(row, "days"); *d; d++)
			if (*d >= '1' && *d <= '7')
				t->allowed_days |= 1u << (*d - '1');
		t->prime_history = (int)int_of(row, "prime_history");
		if (t->prime_history > 1000)
			t->prime_history = 1000;
		in->nteams++;
	}
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
	json_t *zones = NULL, *receptors = NULL, *teams = NULL;
	int64_t nteams = 0;
	int rc;

	memset(w, 0, sizeof(*w));
	snprintf(w->monday, sizeof(w->monday), "%s", monday);
	rc = week_before(monday, w->history_from);
	if (!rc)
		rc = plaza_hours_get(db, area_id, &w->hours);
	if (!rc)
		rc = plaza_zones_read(db, area_id, &zones);
	if (!rc)
		rc = plaza_receptors_read(db, area_id, &receptors);
	if (!rc)
		rc = plaza_dance_teams_read(db, area_id, w->monday, w->history_from, &teams);
	if (rc)
		goto out;
	nteams = (int64_t)json_array_size(teams);
	if (nteams > SCHED_MAX_TEAMS)
		nteams = SCHED_MAX_TEAMS;
	rc = sched_instance_init(&w->in, (int)nteams);
	if (rc)
		goto out;
	w->dance_team_id = calloc((size_t)nteams + 1, sizeof(*w->dance_team_id));
	if (!w->dance_team_id) {
		sched_instance_release(&w->in);
		rc = LIN_ENOMEM;
		goto out;
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
		rc = LIN_EINVAL;
		goto out;
	}
	for (int d = 0; d < SCHED_MAX_DAYS; d++)
		w->in.slot_open[d] =
		    w->in.nslots == 64 ? UINT64_MAX : ((uint64_t)1 << w->in.nslots) - 1;
	take_zones(zones, w, zc);
	take_receptors(receptors, w, zc);
	take_teams(teams, w);
	if (!w->in.nzones) {
		rc = LIN_ENOTFOUND;
		plaza_week_release(w);
	}
out:
	json_decref(zones);
	json_decref(receptors);
	json_decref(teams);
	return rc;
}

void plaza_week_release(struct plaza_week *w)
{
	sched_instance_release(&w->in);
	free(w->dance_team_id);
	w->dance_team_id = NULL;
}
