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

int noise_assess_date(struct db *db, int64_t area_id, int64_t meter_id, const char *date,
		      struct noise_day *out, char zone[8], char day_from[6], char day_to[6])
{
	struct plaza_hours hours;
	struct noise_rollup *mins_r = NULL;
	struct noise_minute_level *mins = NULL;
	char when[40];
	int64_t start, day_seconds;
	size_t n = 0, nm = 0;
	int rc = plaza_hours_get(db, area_id, &hours);

	if (rc)
		return rc;
	plaza_hhmm(hours.night_end, day_from);
	plaza_hhmm(hours.night_start, day_to);
	day_seconds = (int64_t)(((hours.night_start - hours.night_end) % 1440 + 1440) % 1440) * 60;
	snprintf(when, sizeof(when), "%.10sT%s+08:00", date, day_from);
	if (strlen(date) != 10 || noise_parse_when(when, &start))
		return LIN_EINVAL;
	rc = noise_meter_zone(db, area_id, meter_id, zone, 8);
	/* The minute rollups, not the 86,400 seconds: the same answer to the
	 * bit, and still there once the seconds are dropped. */
	if (!rc)
		rc = noise_rollups_read(db, meter_id, NOISE_MINUTE, start, start + 86400, &mins_r,
					&n);
	if (!rc)
		rc = noise_minutes_uncovered(db, meter_id, start, start + 86400, &mins, &nm);
	if (!rc)
		rc = noise_assess_day_rollups(zone, start, day_seconds, mins_r, n, mins, nm, out);
	free(mins_r);
	free(mins);
	return rc;
}
