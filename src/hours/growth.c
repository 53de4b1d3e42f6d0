/* Team growth: each team's members at the end of every period, and those
 * who joined and left in it, from team_members' joined_on and left_on
 * (the registry's rows, read through the store). The page and the API
 * both draw from hours_team_growth. */
#include "internal.h"
#include "../base/err.h"

#include <stdio.h>
#include <string.h>

int hours_team_growth(struct db *db, int64_t area_id, json_t **out)
{
	json_t *rows = NULL;
	char today[11], last[8];
	size_t i = 0, n;
	int rc = hours_team_members_read(db, area_id, &rows);

	*out = json_array();
	if (rc || !*out) {
		json_decref(rows);
		return rc ? rc : LIN_ENOMEM;
	}
	hours_day_string(hours_today(), today);
	snprintf(last, sizeof(last), "%.7s", today);
	n = json_array_size(rows);
	while (i < n) {
		json_t *r = json_array_get(rows, i), *periods = json_array();
		int64_t team = json_integer_value(json_object_get(r, "team_id"));
		struct hours_period p[HOURS_PERIODS_MAX];
		char first[8];
		size_t end = i;
		int np;

		/* Rows come by team, then joined_on: the first is the earliest. */
		snprintf(first, sizeof(first), "%.7s",
			 json_string_value(json_object_get(r, "joined_on")));
		if (strlen(first) != 7 || strcmp(first, last) > 0)
			snprintf(first, sizeof(first), "%s", last);
		while (end < n && json_integer_value(json_object_get(json_array_get(rows, end),
								     "team_id")) == team)
			end++;
		np = hours_periods(first, last, p);
		for (int k = 0; k < np; k++) {
			int in_team = 0, joined = 0, left = 0;
			for (size_t j = i; j < end; j++) {
				json_t *m = json_array_get(rows, j);
				hours_growth_count(
				    json_string_value(json_object_get(m, "joined_on")),
				    json_string_value(json_object_get(m, "left_on")), p[k].from,
				    p[k].to, &in_team, &joined, &left);
			}
			json_array_append_new(
			    periods, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i}", "label",
					       p[k].label, "from", p[k].from, "to", p[k].to,
					       "in_team", in_team, "joined", joined, "left", left));
		}
		json_array_append_new(
		    *out, json_pack("{s:I, s:O, s:o}", "team_id", (json_int_t)team, "team",
				    json_object_get(r, "team"), "periods", periods));
		i = end;
	}
	json_decref(rows);
	return 0;
}
