/* What the portal shows one signed-in reader, gathered from each
 * feature's public header: their reports, registrations, pets, needs,
 * duties and hours, and the area's notices. Every piece is read for the
 * session's own account and resident, never for an id from the request. */
#include "internal.h"
#include "../assembly/assembly.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../cobuild/cobuild.h"
#include "../duty/duty.h"
#include "../events/events.h"
#include "../hours/hours.h"
#include "../pets/pets.h"
#include "../plaza/plaza.h"
#include "../web/http.h"

#include <time.h>

#define PORTAL_REPORTS_MAX 20 /* a resident's own reports listed */
#define PORTAL_EVENTS_MAX  5  /* events open for registration listed */

/* put: key = value (taken), or null when the reader has none; a missing
 * piece leaves the rest of the page standing. */
static int put(json_t *obj, const char *key, int rc, json_t *value)
{
	if (rc == LIN_ENOTFOUND || (rc && rc != LIN_ENOMEM && rc != LIN_EDB)) {
		json_decref(value);
		value = NULL;
		rc = 0;
	}
	if (rc) {
		json_decref(value);
		return rc;
	}
	return json_object_set_new(obj, key, value ? value : json_null()) ? LIN_ENOMEM : 0;
}

/* today_plaza: the sessions of the published week falling on today. */
static json_t *today_plaza(struct db *db, int64_t area_id, int64_t now)
{
	json_t *week = NULL, *out = json_array(), *s;
	int today;
	size_t i;

	plaza_local(now, &today, NULL, (char[11]){0});
	if (!out || plaza_week_at(db, area_id, now, &week) || !week) {
		json_decref(week);
		return out;
	}
	json_array_foreach (json_object_get(week, "sessions"), i, s)
		if (json_integer_value(json_object_get(s, "day")) == today)
			json_array_append(out, s);
	json_decref(week);
	return out;
}

int portal_json(struct http_req *req, json_t **out)
{
	int64_t area = req->sess.area_id, user = req->sess.user_id, resident = 0;
	int64_t now = (int64_t)time(NULL);
	json_t *o = json_object(), *notices = json_object(), *v = NULL;
	char name[128];
	int year, rc;

	*out = NULL;
	if (!o || !notices) {
		json_decref(o);
		json_decref(notices);
		return LIN_ENOMEM;
	}
	{
		time_t t = (time_t)(now + 8 * 3600);
		struct tm tm;
		gmtime_r(&t, &tm);
		year = tm.tm_year + 1900;
	}
	rc = portal_resident_of(req->db, area, user, &resident, name, sizeof(name));
	if (!rc)
		rc =
		    put(o, "resident", 0,
			resident ? json_pack("{s:I, s:s}", "id", (json_int_t)resident, "name", name)
				 : NULL);
	if (!rc) {
		v = NULL;
		int r = cases_mine(req, PORTAL_REPORTS_MAX, &v);
		rc = put(o, "reports", r, v);
	}
	if (!rc) {
		v = NULL;
		int r = events_user_json(req->db, area, user, &v);
		rc = put(o, "events", r, v);
	}
	if (!rc) {
		v = NULL;
		int r = pets_resident_json(req->db, area, user, &v);
		rc = put(o, "pets", r, v);
	}
	if (!rc) {
		v = NULL;
		int r = cobuild_resident_json(req->db, area, user, &v);
		rc = put(o, "needs", r, v);
	}
	if (!rc) {
		v = NULL;
		int r = resident ? duty_user_json(req->db, area, user, now, &v) : LIN_ENOTFOUND;
		rc = put(o, "duty", r, resident ? v : NULL);
	}
	if (!rc) {
		v = NULL;
		int r = resident ? hours_user_json(req->db, area, user, year, &v) : LIN_ENOTFOUND;
		rc = put(o, "hours", r, resident ? v : NULL);
	}
	if (!rc) {
		v = NULL;
		int r = events_open_json(req->db, area, now, PORTAL_EVENTS_MAX, &v);
		rc = put(notices, "events", r, v);
	}
	if (!rc)
		rc = put(notices, "plaza", 0, today_plaza(req->db, area, now));
	if (!rc) {
		v = NULL;
		int r = assembly_public_results(req->db, area, &v);
		rc = put(notices, "assemblies", r, v);
	}
	if (!rc)
		rc = json_object_set(o, "notices", notices) ? LIN_ENOMEM : 0;
	json_decref(notices);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}
