/* A problem seen at a door, filed as a case with one tap: the case is
 * opened through the cases feature's own door (cases_open), about the
 * visit's household, with the visit's page on its timeline, and the link
 * is kept as the visit's finding. */
#include "internal.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../web/http.h"

#include <stdio.h>

int survey_finding_open(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			int64_t visit, const char *category, const char *description, int64_t now,
			int64_t *case_id, const char **field, const char **key)
{
	char code[TRACKING_CODE_LEN + 1], link[64];
	json_t *v = NULL;
	int rc = survey_visit_get(db, area_id, id, visit, &v);

	*field = NULL;
	*key = NULL;
	*case_id = 0;
	if (rc) {
		json_decref(v);
		return rc;
	}
	snprintf(link, sizeof(link), "/surveys/%lld/visits/%lld", (long long)id, (long long)visit);
	struct case_new in = {
	    .area_id = area_id,
	    .category = category,
	    .description = description,
	    .compound_id = survey_num(v, "compound_id"),
	    .building_id = survey_num(v, "building_id"),
	    .household_id = survey_num(v, "household_id"),
	    .plan_x = -1,
	    .plan_y = -1,
	    .lat_e6 = INT64_MIN,
	    .lon_e6 = INT64_MIN,
	    .address = "",
	    .reporter_name = "",
	    .reporter_phone = "",
	    .reporter_email = "",
	    .reporter_user_id = s ? s->user_id : 0,
	    .channel = "survey",
	    .source_link = link,
	};
	json_decref(v);
	rc = cases_open(db, s, &in, case_id, code, field, key);
	if (!rc)
		rc = survey_finding_link(db, s, area_id, id, visit, *case_id, now);
	return rc;
}
