/* Points and targets: what a Party member's year adds up to on the
 * area's points table, and the hours asked of them. */
#include "internal.h"
#include "hours.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../db/db.h"
#include "../meetings/meetings.h"

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

/* meetings_of_year: every member's meetings of year from the meetings
 * feature (meetings_member_counts over the Shanghai year), the list the
 * points count meetings attended and action items done from. The caller
 * decrefs *out, also on error. */
static int meetings_of_year(struct db *db, int64_t area_id, int year, json_t **out)
{
	int64_t from = lin_days_from_civil(year, 1, 1) * 86400 - LIN_SHANGHAI_OFFSET;
	int64_t to = lin_days_from_civil(year + 1, 1, 1) * 86400 - LIN_SHANGHAI_OFFSET;

	return meetings_member_counts(db, area_id, from, to, out);
}

/* meeting_counts: member_id's meetings attended and action items done in
 * meetings (meetings_of_year's list); a member with no row has none. */
static void meeting_counts(json_t *meetings, int64_t member_id, int64_t *attended, int64_t *done)
{
	size_t i;
	json_t *m;

	*attended = *done = 0;
	json_array_foreach (meetings, i, m)
		if (json_integer_value(json_object_get(m, "member_id")) == member_id) {
			*attended = json_integer_value(json_object_get(m, "attended"));
			*done = json_integer_value(json_object_get(m, "actions_done"));
			return;
		}
}

int hours_member_year_get(struct db *db, int64_t area_id, int64_t member_id,
			  const struct hours_person *person, int year, json_t *meetings,
			  struct hours_member_year *y)
{
	json_t *own = NULL;
	char from[16], to[16];
	int rc = 0;

	memset(y, 0, sizeof(*y));
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	if (!meetings)
		rc = meetings_of_year(db, area_id, year, &own);
	if (!rc)
		rc = hours_points_get(db, area_id, y->points);
	if (!rc) {
		meeting_counts(meetings ? meetings : own, member_id, &y->counts[ITEM_MEETING],
			       &y->counts[ITEM_ACTION]);
		rc = hours_served_between(db, person, from, to, &y->counts[ITEM_HOUR]);
	}
	json_decref(own);
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

int hours_person_year_read(struct db *db, int64_t area_id, const struct hours_person *p, int year,
			   struct hours_person_year *out)
{
	char from[16], to[16];
	int rc;

	memset(out, 0, sizeof(*out));
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	rc = hours_sums_get(db, p, year, &out->sums);
	if (!rc)
		rc = hours_person_name(db, p, out->name, sizeof(out->name));
	if (!rc && p->member_id)
		rc = hours_member_year_get(db, area_id, p->member_id, p, year, NULL, &out->member);
	if (!rc)
		rc = hours_entries_read(db, area_id, p->key, from, to, &out->entries);
	return rc;
}

int hours_points_year(struct db *db, int64_t area_id, int year, json_t **out)
{
	int64_t points[ITEM_COUNT], dflt = 0;
	json_t *members = NULL, *meetings = NULL, *rules = json_object(), *list = json_array(), *m;
	size_t i;
	int rc = hours_points_get(db, area_id, points);

	if (!rc)
		rc = hours_target_default(db, area_id, year, &dflt);
	if (!rc)
		rc = hours_members_read(db, area_id, year, &members);
	if (!rc)
		rc = meetings_of_year(db, area_id, year, &meetings);
	for (int k = 0; !rc && k < ITEM_COUNT; k++)
		json_object_set_new(rules, hours_item_names[k], json_integer(points[k]));
	json_array_foreach (members, i, m) {
		struct hours_person p;
		struct hours_member_year y;
		int64_t id = json_integer_value(json_object_get(m, "id"));
		if (rc)
			break;
		rc = hours_person_resolve(db, area_id, 0, id, &p, NULL);
		if (!rc)
			rc = hours_member_year_get(db, area_id, id, &p, year, meetings, &y);
		if (!rc)
			json_array_append_new(list,
					      json_pack("{s:I, s:s, s:O, s:b, s:o}", "member_id",
							(json_int_t)id, "person", p.key, "name",
							json_object_get(m, "name"), "in_post",
							json_is_true(json_object_get(m, "in_post")),
							"year", hours_member_year_json(year, &y)));
	}
	json_decref(members);
	json_decref(meetings);
	*out = json_pack("{s:i, s:o, s:I, s:o}", "year", year, "rules", rules,
			 "in_post_target_minutes", (json_int_t)dflt, "members", list);
	return rc ? rc : *out ? 0 : LIN_ENOMEM;
}

json_t *hours_member_year_json(int year, const struct hours_member_year *y)
{
	json_t *counts = json_object(), *points = json_object();

	for (int i = 0; i < ITEM_COUNT; i++) {
		json_object_set_new(counts, hours_item_names[i], json_integer(y->counts[i]));
		json_object_set_new(points, hours_item_names[i], json_integer(y->points[i]));
	}
	return json_pack("{s:i, s:o, s:o, s:I, s:I, s:b, s:i}", "year", year, "counts", counts,
			 "points", points, "total", (json_int_t)y->total, "target_minutes",
			 (json_int_t)y->target_minutes, "target_own", y->target_own,
			 "progress_percent", y->percent);
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
