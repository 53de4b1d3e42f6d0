/* Points and targets: what a Party member's year adds up to on the
 * area's points table, and the hours asked of them. */
#include "internal.h"
#include "hours.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int hours_this_year(void)
{
	int y, m, d;

	lin_civil_from_days(hours_today(), &y, &m, &d);
	return y;
}

void hours_day_string(int64_t day, char out[11])
{
	int y, m, d;

	lin_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

/* meeting_counts: the member's meetings attended and action items done in
 * year. THE PLACE THE MEETINGS FEATURE PLUGS IN: once src/meetings is
 * merged, call its per-member attendance from meetings/meetings.h here
 * and set *known. Until then both are 0 and the pages say the counts are
 * not kept yet. */
static int meeting_counts(struct db *db, int64_t area_id, int64_t member_id, int year,
			  int64_t *attended, int64_t *done, int *known)
{
	*attended = 0;
	*done = 0;
	*known = 0;
	return 0;
}

int hours_member_year_get(struct db *db, int64_t area_id, int64_t member_id,
			  const struct hours_person *person, int year, struct hours_member_year *y)
{
	char from[16], to[16];
	int rc;

	memset(y, 0, sizeof(*y));
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	rc = hours_points_get(db, area_id, y->points);
	if (!rc)
		rc = meeting_counts(db, area_id, member_id, year, &y->counts[ITEM_MEETING],
				    &y->counts[ITEM_ACTION], &y->meetings_known);
	if (!rc)
		rc = hours_served_between(db, person, from, to, &y->counts[ITEM_HOUR]);
	if (!rc)
		rc = hours_events_between(db, person, from, to, &y->counts[ITEM_EVENT]);
	if (!rc)
		rc = hours_target_get(db, area_id, member_id, year, &y->target_minutes,
				      &y->target_own);
	if (rc)
		return rc;
	y->total = hours_points(y->counts, y->points);
	y->percent = hours_progress_percent(y->counts[ITEM_HOUR], y->target_minutes);
	return 0;
}

json_t *hours_member_year_json(int year, const struct hours_member_year *y)
{
	json_t *counts = json_object(), *points = json_object();

	for (int i = 0; i < ITEM_COUNT; i++) {
		json_object_set_new(counts, hours_item_names[i], json_integer(y->counts[i]));
		json_object_set_new(points, hours_item_names[i], json_integer(y->points[i]));
	}
	return json_pack("{s:i, s:o, s:o, s:I, s:I, s:b, s:i, s:b}", "year", year, "counts", counts,
			 "points", points, "total", (json_int_t)y->total, "target_minutes",
			 (json_int_t)y->target_minutes, "target_own", y->target_own,
			 "progress_percent", y->percent, "meetings_known", y->meetings_known);
}

/* ---- the public face of the points table (hours.h) ---- */

_Static_assert(HOURS_ITEMS == ITEM_COUNT, "hours.h counts the items of model.h");

int hours_give_credits(struct db *db, int64_t area_id, int64_t actor_user_id,
		       int64_t from_resident_id, int64_t to_resident_id, int64_t credits,
		       int64_t *out_id, const char **why)
{
	struct hours_person from;
	int rc = hours_person_resolve(db, area_id, from_resident_id, 0, &from, why);

	return rc ? rc
		  : hours_give(db, area_id, actor_user_id, &from, to_resident_id, credits, out_id,
			       why);
}
