/* Station inspections and patrol logs: the checks of what is sent (one
 * parser for the JSON API and the forms), who may write for a station or
 * a route, and turning a record into a case with one tap. The pages are
 * field_pages.c, the SQL store.c.
 *
 * Who writes: the committee for any station or route; a volunteer for the
 * station or route they lead (their account linked to the leader's
 * resident record) or are on the roster of (duty_serves: a shift there in
 * the last 30 days or the next 7). Who reads: the committee and Party members every
 * record, a volunteer only their own. Residents see none of it. */
#include "field.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../duty/duty.h"
#include "../noise/noise.h"
#include "../plaza/plaza.h"
#include "../web/multipart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INSPECTOR_MAX 64   /* characters */
#define REMARKS_MAX   2000 /* characters */
#define SEEN_MAX      2000
#define SPOKEN_MAX    200
#define ROSTER_BACK   (30 * 86400) /* a volunteer on a station's roster this long ago */
#define ROSTER_AHEAD  (7 * 86400)  /* or this far ahead may record for it */

const char *const field_kinds[FIELD_NKINDS] = {"noise",	   "safety", "garbage",
					       "facility", "other",  "none"};

/* ------------------------------------------------------------ who */

int field_may_write(struct http_req *req, const struct field_place *p)
{
	int64_t resident = 0, now = (int64_t)time(NULL);
	int rc, serves = 0;

	if (req->sess.role == ROLE_ADMIN || req->sess.role == ROLE_SECRETARY ||
	    req->sess.role == ROLE_STAFF)
		return 0;
	if (req->sess.role != ROLE_VOLUNTEER)
		return LIN_EPERM;
	rc = field_user_resident(req->db, req->sess.user_id, &resident);
	if (rc || !resident)
		return rc ? rc : LIN_EPERM;
	if (resident == p->leader_resident_id)
		return 0;
	/* or on its roster: a shift there in the last 30 days or the next 7 */
	rc = duty_serves(req->db, req->sess.area_id, resident, p->is_route ? 0 : p->id,
			 p->is_route ? p->id : 0, now - ROSTER_BACK, now + ROSTER_AHEAD, &serves);
	if (rc)
		return rc;
	return serves ? 0 : LIN_EPERM;
}

int64_t field_reader_filter(const struct http_req *req)
{
	/* a volunteer reads only what they wrote */
	return req->sess.role == ROLE_VOLUNTEER ? (req->sess.user_id ? req->sess.user_id : -1) : 0;
}

/* ------------------------------------------------------------ input */

const char *field_in(struct http_req *req, const struct field_src *src, const char *name)
{
	json_t *v;

	if (src->parts)
		return multipart_text(req->arena, src->parts, src->nparts, name);
	if (!src->body)
		return req_form(req, name);
	v = json_object_get(src->body, name);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
	if (v && !json_is_null(v))
		return "\x01"; /* neither text nor a whole number: refused by every check */
	return NULL;
}

/* text_ok: s (NULL: "") has at most max characters; required: not empty. */
static int text_ok(const char *s, size_t max, int required)
{
	const char *t = s ? s : "";

	if (strchr(t, '\x01') || !utf8_valid(t, strlen(t)))
		return 0;
	if (required && !t[strspn(t, " \t\r\n")])
		return 0; /* only blanks */
	return utf8_chars(t) <= max;
}

/* today: Shanghai's date now as YYYY-MM-DD. */
static void today(char out[11])
{
	int y, m, d;

	lin_civil_from_days(lin_local_day((int64_t)time(NULL), LIN_SHANGHAI_OFFSET), &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int field_inspection_parse(struct http_req *req, const struct field_src *body,
			   struct field_place *station, struct inspection_new *in,
			   struct field_error *err)
{
	const char *s;
	char now[11];
	int64_t id = 0;
	int y, m, d, graded = 0, rc;

	memset(in, 0, sizeof(*in));
	in->area_id = req->sess.area_id;
	s = field_in(req, body, "station_id");
	if (!s || parse_int64(s, 1, INT64_MAX, &id))
		return field_err(err, "station_id", "report.err.station");
	rc = field_station(req->db, req->sess.area_id, id, station);
	if (rc == LIN_ENOTFOUND)
		return field_err(err, "station_id", "report.err.station");
	if (rc)
		return rc;
	if (station->archived)
		return field_err(err, "station_id", "report.err.station_archived");
	in->station_id = id;
	today(now);
	s = field_in(req, body, "inspected_on");
	if (!s || !*s)
		s = arena_strdup(req->arena, now);
	if (!s || parse_date(s, &y, &m, &d) || strcmp(s, now) > 0 || strcmp(s, "2000-01-01") < 0)
		return field_err(err, "inspected_on", "report.err.inspected_on");
	in->inspected_on = s;
	s = field_in(req, body, "inspector");
	if (!s || !*s)
		s = req->sess.name ? req->sess.name : "";
	if (!text_ok(s, INSPECTOR_MAX, 1))
		return field_err(err, "inspector", "report.err.inspector");
	in->inspector = s;
	for (int i = 0; i < FIELD_NCATEGORIES; i++) {
		s = field_in(req, body, field_categories[i]);
		if (!s || !*s)
			continue;
		if (strlen(s) != 1 || (s[0] != 'A' && s[0] != 'B' && s[0] != 'C'))
			return field_err(err, field_categories[i], "report.err.grade");
		if (!station->takes[i])
			return field_err(err, field_categories[i], "report.err.grade_not_taken");
		in->grades[i] = s[0];
		graded++;
	}
	if (!graded)
		return field_err(err, "recyclable", "report.err.no_grade");
	s = field_in(req, body, "remarks");
	if (!text_ok(s, REMARKS_MAX, 0))
		return field_err(err, "remarks", "report.err.remarks");
	in->remarks = s ? s : "";
	return 0;
}

/* meter_now: the first of the area's meters with a fresh reading, as
 * noise_live_now reads it. OUT: *meter_id (0: none), *centi. */
static void meter_now(struct http_req *req, int64_t *meter_id, int64_t *centi)
{
	json_t *live = NULL, *m;
	size_t i;

	*meter_id = 0;
	*centi = INT64_MIN;
	if (noise_live_now(req, &live))
		goto out;
	json_array_foreach (json_object_get(live, "meters"), i, m) {
		json_t *level = json_object_get(m, "level");
		if (!json_is_number(level))
			continue;
		*meter_id = json_integer_value(json_object_get(m, "id"));
		*centi = (int64_t)llround(json_number_value(level) * 100.0);
		break;
	}
out:
	json_decref(live);
}

int field_patrol_parse(struct http_req *req, const struct field_src *body,
		       struct field_place *route, struct patrol_new *in, struct field_error *err)
{
	const char *s;
	int64_t id = 0;
	int rc, known = 0;

	memset(in, 0, sizeof(*in));
	in->area_id = req->sess.area_id;
	s = field_in(req, body, "route_id");
	if (!s || parse_int64(s, 1, INT64_MAX, &id))
		return field_err(err, "route_id", "report.err.route");
	rc = field_route(req->db, req->sess.area_id, id, route);
	if (rc == LIN_ENOTFOUND)
		return field_err(err, "route_id", "report.err.route");
	if (rc)
		return rc;
	if (route->archived)
		return field_err(err, "route_id", "report.err.route_archived");
	in->route_id = id;
	s = field_in(req, body, "kind");
	for (int i = 0; s && i < FIELD_NKINDS; i++)
		known |= !strcmp(s, field_kinds[i]);
	if (!known)
		return field_err(err, "kind", "report.err.kind");
	in->kind = s;
	s = field_in(req, body, "seen");
	if (!text_ok(s, SEEN_MAX, 1))
		return field_err(err, "seen", "report.err.seen");
	in->seen = s;
	s = field_in(req, body, "spoken_to");
	if (!text_ok(s, SPOKEN_MAX, 0))
		return field_err(err, "spoken_to", "report.err.spoken_to");
	in->spoken_to = s ? s : "";
	in->author = req->sess.name ? req->sess.name : "";
	in->at = (int64_t)time(NULL); /* the server's clock, never the phone's */
	meter_now(req, &in->meter_id, &in->level_centi);
	return 0;
}

int field_err(struct field_error *err, const char *field, const char *key)
{
	err->field = field;
	err->key = key;
	return LIN_EINVAL;
}

/* ------------------------------------------------------------ one tap */

/* grade_line writes the categories graded B or C, e.g. "湿垃圾 C、干垃圾 B". */
static const char *grade_line(struct http_req *req, json_t *insp)
{
	struct buf b;
	const char *out;

	buf_init(&b, 1024);
	for (int i = 0; i < FIELD_NCATEGORIES; i++) {
		const char *g = json_string_value(json_object_get(insp, field_categories[i]));
		if (!g || !strcmp(g, "A"))
			continue;
		buf_addf(&b, "%s%s %s", b.len ? "、" : "",
			 req_t(req, arena_printf(req->arena, "report.cat.%s", field_categories[i])),
			 g);
	}
	out = arena_strdup(req->arena, b.len ? b.buf : "");
	buf_release(&b);
	return out ? out : "";
}

/* open_and_link: cases_open and the record's link to the case, landing
 * together or not at all. */
static int open_and_link(struct http_req *req, const struct case_new *c, const char *table,
			 int64_t id, struct field_case *out)
{
	const char *ef = NULL, *ek = NULL;
	int rc = db_begin_outer(req->db);

	if (rc)
		return rc;
	rc = cases_open(req->db, &req->sess, c, &out->case_id, out->code, &ef, &ek);
	if (!rc)
		rc = field_link_case(req->db, &req->sess, table, req->sess.area_id, id,
				     out->case_id);
	if (rc) {
		db_rollback(req->db);
		out->err_key = ek;
		return rc;
	}
	return db_commit(req->db);
}

int field_inspection_case(struct http_req *req, int64_t id, struct field_case *out)
{
	struct case_photo photo;
	struct field_place st;
	json_t *insp = NULL;
	struct case_new c;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = inspection_get(req->db, req->sess.area_id, id, &insp);
	if (!rc)
		rc = field_station(req->db, req->sess.area_id,
				   json_integer_value(json_object_get(insp, "station_id")), &st);
	if (!rc)
		rc = field_may_write(req, &st);
	if (!rc && !json_is_null(json_object_get(insp, "case_id"))) {
		out->case_id = json_integer_value(json_object_get(insp, "case_id"));
		rc = LIN_ECONFLICT;
	}
	if (rc)
		goto out;
	memset(&c, 0, sizeof(c));
	c.area_id = req->sess.area_id;
	c.category = "garbage";
	c.description = arena_printf(
	    req->arena, "%s %s %s%s%s%s%s (%s #%lld)", req_t(req, "report.case.inspection"),
	    st.name, json_string_value(json_object_get(insp, "inspected_on")),
	    *grade_line(req, insp) ? "：" : "", grade_line(req, insp),
	    *json_string_value(json_object_get(insp, "remarks")) ? "。" : "",
	    json_string_value(json_object_get(insp, "remarks")), req_t(req, "report.case.record"),
	    (long long)id);
	c.compound_id = st.compound_id;
	c.plan_x = c.plan_y = -1;
	c.lat_e6 = st.lat_e6;
	c.lon_e6 = st.lon_e6;
	c.address = st.name;
	c.reporter_name = req->sess.name ? req->sess.name : "";
	c.reporter_phone = c.reporter_email = "";
	c.channel = "web";
	c.arena = req->arena;
	if (json_is_string(json_object_get(insp, "photo"))) {
		/* the photo taken at the inspection goes with the case */
		snprintf(photo.sha256, sizeof(photo.sha256), "%s",
			 json_string_value(json_object_get(insp, "photo")));
		photo.mime = json_string_value(json_object_get(insp, "photo_mime"));
		photo.bytes = json_integer_value(json_object_get(insp, "photo_bytes"));
		c.photos = &photo;
		c.nphotos = 1;
	}
	rc = open_and_link(req, &c, "station_inspections", id, out);
out:
	json_decref(insp);
	return rc;
}

/* The case category a patrol observation becomes. */
static const char *kind_category(const char *kind)
{
	static const char *const map[][2] = {{"noise", "noise"},
					     {"safety", "safety"},
					     {"garbage", "garbage"},
					     {"facility", "repair"},
					     {"other", "other"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(kind, map[i][0]))
			return map[i][1];
	return NULL;
}

int field_patrol_case(struct http_req *req, int64_t id, struct field_case *out)
{
	struct plaza_session on[8];
	struct field_place route;
	json_t *log = NULL, *answers = NULL;
	struct case_new c;
	const char *kind, *category;
	int rc, n = 0;

	memset(out, 0, sizeof(*out));
	rc = patrol_get(req->db, req->sess.area_id, id, &log);
	if (!rc)
		rc = field_route(req->db, req->sess.area_id,
				 json_integer_value(json_object_get(log, "route_id")), &route);
	if (!rc)
		rc = field_may_write(req, &route);
	if (!rc && !json_is_null(json_object_get(log, "case_id"))) {
		out->case_id = json_integer_value(json_object_get(log, "case_id"));
		rc = LIN_ECONFLICT;
	}
	if (rc)
		goto out;
	kind = json_string_value(json_object_get(log, "kind"));
	category = kind_category(kind ? kind : "");
	if (!category) {
		out->err_key = "report.err.nothing_seen";
		rc = LIN_EINVAL;
		goto out;
	}
	memset(&c, 0, sizeof(c));
	c.area_id = req->sess.area_id;
	c.category = category;
	if (!strcmp(category, "noise")) {
		/* the team the timetable had on when it was heard, as alerts
		 * name theirs (plaza_sessions_at) */
		rc = plaza_sessions_at(req->db, req->sess.area_id, 0,
				       json_integer_value(json_object_get(log, "at")), on, 8, &n);
		if (rc)
			goto out;
		c.subject_team_id = n ? on[0].team_id : 0;
		answers =
		    json_pack("{s:s, s:s}", "source", n ? "square_dance" : "other", "now", "yes");
		c.answers = answers;
	}
	c.description = arena_printf(
	    req->arena, "%s %s：%s %s%s (%s #%lld)", req_t(req, "report.case.patrol"), route.name,
	    json_string_value(json_object_get(log, "seen")),
	    *json_string_value(json_object_get(log, "spoken_to")) ? req_t(req, "report.case.spoken")
								  : "",
	    json_string_value(json_object_get(log, "spoken_to")), req_t(req, "report.case.record"),
	    (long long)id);
	c.plan_x = c.plan_y = -1;
	c.lat_e6 = c.lon_e6 = INT64_MIN;
	c.address = n ? on[0].zone : route.name;
	c.reporter_name = req->sess.name ? req->sess.name : "";
	c.reporter_phone = c.reporter_email = "";
	c.channel = "web";
	c.arena = req->arena;
	rc = open_and_link(req, &c, "patrol_logs", id, out);
out:
	json_decref(answers);
	json_decref(log);
	return rc;
}
