/* One meter's day against GB 3096 with the area's own day and night hours:
 * the readings' minute rollups and the station minutes of that date,
 * merged and assessed.
 * Shared by the assessment API and the reports. */
#include "ingest.h"
#include "limits.h"
#include "noise.h"
#include "../base/err.h"
#include "../plaza/plaza.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int noise_assess_dates(struct db *db, int64_t area_id, int64_t meter_id, const char *date,
		       int ndays, struct noise_day *out, char zone[8], char day_from[6],
		       char day_to[6])
{
	struct plaza_hours hours;
	struct noise_rollup *mins_r = NULL;
	struct noise_minute_level *mins = NULL;
	char when[40];
	int64_t start, day_seconds;
	size_t n = 0, nm = 0, i = 0, k = 0;
	int rc;

	if (ndays < 1)
		return LIN_EINVAL;
	rc = plaza_hours_get(db, area_id, &hours);
	if (rc)
		return rc;
	plaza_hhmm(hours.night_end, day_from);
	plaza_hhmm(hours.night_start, day_to);
	day_seconds = (int64_t)(((hours.night_start - hours.night_end) % 1440 + 1440) % 1440) * 60;
	snprintf(when, sizeof(when), "%.10sT%s+08:00", date, day_from);
	if (strlen(date) != 10 || noise_parse_when(when, &start))
		return LIN_EINVAL;
	rc = noise_meter_zone(db, area_id, meter_id, zone, 8);
	/* The minute rollups, not the 86,400 seconds a day: the same answer
	 * to the bit, and still there once the seconds are dropped. One read
	 * for all the days (Shanghai has no daylight saving: each day is
	 * 86,400 seconds after the one before), cut day by day below. */
	if (!rc)
		rc = noise_rollups_read(db, meter_id, NOISE_MINUTE, start,
					start + (int64_t)ndays * 86400, &mins_r, &n);
	if (!rc)
		rc = noise_minutes_uncovered(db, meter_id, start, start + (int64_t)ndays * 86400,
					     &mins, &nm);
	for (int d = 0; !rc && d < ndays; d++) {
		int64_t from = start + (int64_t)d * 86400, to = from + 86400;
		size_t i0 = i, k0 = k;
		while (i < n && mins_r[i].t < to)
			i++;
		while (k < nm && mins[k].t < to)
			k++;
		rc = noise_assess_day_rollups(zone, from, day_seconds, mins_r ? mins_r + i0 : NULL,
					      i - i0, mins ? mins + k0 : NULL, k - k0, &out[d]);
	}
	free(mins_r);
	free(mins);
	return rc;
}

int noise_assess_date(struct db *db, int64_t area_id, int64_t meter_id, const char *date,
		      struct noise_day *out, char zone[8], char day_from[6], char day_to[6])
{
	return noise_assess_dates(db, area_id, meter_id, date, 1, out, zone, day_from, day_to);
}
