/* The duty feature's writes over HTTP: each handler serves both the JSON
 * API (/api/v1/duty/...) and the page's form (/duty/...), reading its
 * fields from the JSON body or the form and answering with JSON or a
 * redirect. Refusals name the field and say why in the reader's language;
 * nothing is changed then. */
#include "internal.h"
#include "web.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ---- input from a JSON body or a form ---- */

int duty_input_open(struct http_req *req, struct duty_input *in)
{
	in->req = req;
	in->json = NULL;
	in->err = NULL;
	if (!req_wants_json(req))
		return 0;
	/* An empty body is an empty object: generating, planning and
	 * publishing a week take nothing but the path. */
	if (!req->body_len) {
		in->json = json_object();
		return 0;
	}
	in->json = req_json(req, &in->err);
	return in->json ? 0 : LIN_EINVAL;
}

void duty_input_close(struct duty_input *in)
{
	json_decref(in->json);
	in->json = NULL;
}

const char *duty_in_str(struct duty_input *in, const char *name)
{
	json_t *v;

	if (!in->json)
		return req_form(in->req, name);
	v = json_object_get(in->json, name);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(in->req->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "1" : "0";
	return NULL;
}

int duty_in_int(struct duty_input *in, const char *name, int64_t min, int64_t max, int64_t dflt,
		int64_t *out)
{
	const char *s = duty_in_str(in, name);

	if (!s || !*s) {
		*out = dflt;
		return dflt < min ? LIN_EINVAL : 0;
	}
	return parse_int64(s, min, max, out);
}

int duty_in_bool(struct duty_input *in, const char *name)
{
	const char *s = duty_in_str(in, name);
	return s && (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true"));
}

/* ---- answers ---- */

int duty_fail(struct http_req *req, struct http_resp *resp, int rc, const struct duty_err *e)
{
	int status = rc == LIN_EINVAL	   ? 422
		     : rc == LIN_EPERM	   ? 403
		     : rc == LIN_ENOTFOUND ? 404
		     : rc == LIN_ECONFLICT ? 409
					   : 500;
	const char *code = status == 422   ? "invalid"
			   : status == 403 ? "forbidden"
			   : status == 404 ? "not_found"
			   : status == 409 ? "conflict"
					   : "internal";
	const char *key = e && e->key ? e->key : status == 404 ? "err.not_found" : "err.internal";
	const char *msg = i18n_t(req->lang, key);

	if (e && e->detail[0])
		msg = arena_printf(req->arena, "%s %s", msg, e->detail);
	if (req_wants_json(req)) {
		json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
		if (e && e->field)
			json_object_set_new(json_object_get(o, "error"), "field",
					    json_string(e->field));
		return resp_json(resp, status, o);
	}
	struct html h = {&resp->body, req->lang};
	buf_reset(&resp->body);
	page_begin(req, &h, msg);
	html_printf(&h,
		    "<section class=\"card error-page duty-refused\"><h1>%T</h1>"
		    "<p class=\"error\" role=\"alert\">%s</p>",
		    "duty.refused", msg);
	const char *back = req_header(req, "Referer");
	html_printf(&h, "<p><a href=\"%s\">%T</a></p></section>",
		    back && !strncmp(back, req_origin(req), strlen(req_origin(req))) ? back
										     : "/duty/my",
		    "duty.back");
	page_end(req, &h);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	return 0;
}

int duty_bad_input(struct http_req *req, struct http_resp *resp, const char *key, const char *field)
{
	struct duty_err e = {key, field, ""};
	return duty_fail(req, resp, LIN_EINVAL, &e);
}

/* done answers a write: JSON obj (stolen) with status, or a redirect. */
static int done(struct http_req *req, struct http_resp *resp, int status, json_t *obj,
		const char *location)
{
	if (req_wants_json(req))
		return resp_json(resp, status, obj);
	json_decref(obj);
	return resp_redirect(req, resp, location);
}

static struct duty_actor actor_of(struct http_req *req)
{
	return (struct duty_actor){req->sess.user_id, req->sess.name};
}

/* path_id: capture i as a positive id, or 0. */
int64_t duty_path_id(struct http_req *req, int i)
{
	int64_t id = 0;
	const char *s = req_param(req, i);
	return s && !parse_int64(s, 1, INT64_MAX, &id) ? id : 0;
}

#define OPEN_INPUT(in)                                                                             \
	do {                                                                                       \
		if (duty_input_open(req, &in))                                                     \
			return resp_error(req, resp, 400, "bad_json", in.err);                     \
	} while (0)

/* ---- stations, routes, windows ---- */

int duty_h_station_save(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_station_in s = {0};
	struct duty_err e = {0};
	struct duty_actor who = actor_of(req);
	int64_t id = duty_path_id(req, 0), out = 0;
	int rc;

	OPEN_INPUT(in);
	if (duty_in_int(&in, "compound_id", 1, INT64_MAX, 0, &s.compound_id))
		rc = duty_refuse(&e, 0, "duty.err.compound", "compound_id");
	else if (duty_in_int(&in, "leader_resident_id", 0, INT64_MAX, 0, &s.leader_resident_id))
		rc = duty_refuse(&e, 0, "duty.err.leader", "leader_resident_id");
	else {
		const char *cats = duty_in_str(&in, "categories");
		s.name = duty_in_str(&in, "name");
		s.categories = cats && *cats ? cats : "recyclable,hazardous,wet,dry";
		s.late_drop = duty_in_str(&in, "late_drop");
		s.code = duty_in_str(&in, "code");
		s.archived = duty_in_bool(&in, "archived");
		rc = duty_station_save(req->db, req->sess.area_id, &who, id, &s, &e, &out);
	}
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, id ? 200 : 201, json_pack("{s:I}", "id", (json_int_t)out), "/duty");
}

int duty_h_route_save(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_route_in s = {0};
	struct duty_err e = {0};
	struct duty_actor who = actor_of(req);
	int64_t id = duty_path_id(req, 0), out = 0;
	int rc;

	OPEN_INPUT(in);
	if (duty_in_int(&in, "leader_resident_id", 0, INT64_MAX, 0, &s.leader_resident_id))
		rc = duty_refuse(&e, 0, "duty.err.leader", "leader_resident_id");
	else {
		s.name = duty_in_str(&in, "name");
		s.description = duty_in_str(&in, "description");
		s.code = duty_in_str(&in, "code");
		s.archived = duty_in_bool(&in, "archived");
		rc = duty_route_save(req->db, req->sess.area_id, &who, id, &s, &e, &out);
	}
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, id ? 200 : 201, json_pack("{s:I}", "id", (json_int_t)out), "/duty");
}

/* clock_field reads "HH:MM" (24:00 allowed) into minutes. */
static int clock_field(const char *s, int64_t *out)
{
	int per[1][2];
	char buf[24];

	if (!s || strlen(s) != 5)
		return LIN_EINVAL;
	/* parse_periods reads a period; a clock is the start of one. */
	snprintf(buf, sizeof(buf), "%s-24:00", s);
	if (!strcmp(s, "24:00")) {
		*out = 1440;
		return 0;
	}
	if (parse_periods(buf, per, 1) != 1)
		return LIN_EINVAL;
	*out = per[0][0];
	return 0;
}

/* weekdays_field: a bit mask (number), "1-5", "1,3,5", or the form's
 * checkboxes day1..day7. */
static int weekdays_field(struct duty_input *in, int64_t *out)
{
	const char *s = duty_in_str(in, "weekdays");
	int64_t mask = 0, a, b;

	*out = 0;
	if (!s && in->json) {
		*out = 127; /* every day */
		return 0;
	}
	if (!s) {
		for (int d = 1; d <= 7; d++) {
			char name[8];
			snprintf(name, sizeof(name), "day%d", d);
			if (duty_in_bool(in, name))
				mask |= 1 << (d - 1);
		}
		*out = mask;
		return mask ? 0 : LIN_EINVAL;
	}
	if (in->json && json_is_integer(json_object_get(in->json, "weekdays")))
		return parse_int64(s, 1, 127, out);
	while (*s) {
		char part[8];
		size_t len = strcspn(s, ",");
		const char *dash;
		if (len == 0 || len >= sizeof(part))
			return LIN_EINVAL;
		snprintf(part, sizeof(part), "%.*s", (int)len, s);
		dash = strchr(part, '-');
		if (dash) {
			part[dash - part] = '\0';
			if (parse_int64(part, 1, 7, &a) || parse_int64(dash + 1, 1, 7, &b) || b < a)
				return LIN_EINVAL;
		} else if (parse_int64(part, 1, 7, &a))
			return LIN_EINVAL;
		else
			b = a;
		for (int64_t d = a; d <= b; d++)
			mask |= 1 << (d - 1);
		s += len;
		if (*s == ',')
			s++;
	}
	*out = mask;
	return mask ? 0 : LIN_EINVAL;
}

int duty_h_window_save(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_window_in w = {0};
	struct duty_err e = {0};
	struct duty_actor who = actor_of(req);
	int64_t id = duty_path_id(req, 0), out = 0;
	int rc = 0;

	OPEN_INPUT(in);
	if (duty_in_int(&in, "station_id", 0, INT64_MAX, 0, &w.station_id))
		rc = duty_refuse(&e, 0, "duty.err.window_place", "station_id");
	else if (duty_in_int(&in, "route_id", 0, INT64_MAX, 0, &w.route_id))
		rc = duty_refuse(&e, 0, "duty.err.window_place", "route_id");
	else if (weekdays_field(&in, &w.weekdays))
		rc = duty_refuse(&e, 0, "duty.err.weekdays", "weekdays");
	else if (clock_field(duty_in_str(&in, "start"), &w.start_min))
		rc = duty_refuse(&e, 0, "duty.err.window_time", "start");
	else if (clock_field(duty_in_str(&in, "end"), &w.end_min))
		rc = duty_refuse(&e, 0, "duty.err.window_time", "end");
	else if (duty_in_int(&in, "need", -1000, 1000, 2, &w.need))
		rc = duty_refuse(&e, 0, "duty.err.need", "need");
	else if (duty_in_int(&in, "need_trained", -1000, 1000, 1, &w.need_trained))
		rc = duty_refuse(&e, 0, "duty.err.need_trained", "need_trained");
	else {
		w.archived = duty_in_bool(&in, "archived");
		rc = duty_window_save(req->db, req->sess.area_id, &who, id, &w, &e, &out);
	}
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, id ? 200 : 201, json_pack("{s:I}", "id", (json_int_t)out), "/duty");
}

/* ---- volunteers ---- */

int duty_h_volunteer_save(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_volunteer_in *v = arena_alloc(req->arena, sizeof(*v));
	struct duty_err e = {0};
	struct duty_actor who = actor_of(req);
	int64_t id = duty_path_id(req, 0), out = 0;
	int rc = 0;

	if (!v)
		return resp_error(req, resp, 500, "internal", "err.internal");
	memset(v, 0, sizeof(*v));
	OPEN_INPUT(in);
	if (duty_in_int(&in, "resident_id", 1, INT64_MAX, 0, &v->resident_id))
		rc = duty_refuse(&e, 0, "duty.err.resident", "resident_id");
	else if (duty_in_int(&in, "member_id", 0, INT64_MAX, 0, &v->member_id))
		rc = duty_refuse(&e, 0, "duty.err.member", "member_id");
	else if (duty_in_int(&in, "max_per_day", -1000, 1000, 1, &v->max_per_day))
		rc = duty_refuse(&e, 0, "duty.err.max_per_day", "max_per_day");
	else if (duty_in_int(&in, "max_per_week", -1000, 1000, 3, &v->max_per_week))
		rc = duty_refuse(&e, 0, "duty.err.max_per_week", "max_per_week");
	if (!rc) {
		v->trained_guide = duty_in_bool(&in, "trained_guide");
		v->trained_patrol = duty_in_bool(&in, "trained_patrol");
		v->note = duty_in_str(&in, "note");
		json_t *av = in.json ? json_object_get(in.json, "availability") : NULL;
		json_t *aw = in.json ? json_object_get(in.json, "away") : NULL;
		if (json_is_array(av)) {
			/* [{"weekday":1,"start":"07:00","end":"09:00"}] */
			size_t i;
			json_t *x;
			json_array_foreach (av, i, x) {
				int64_t d, a, b;
				if (v->navail == DUTY_MAX_AVAIL ||
				    !json_is_integer(json_object_get(x, "weekday")) ||
				    (d = json_integer_value(json_object_get(x, "weekday"))) < 1 ||
				    d > 7 ||
				    clock_field(json_string_value(json_object_get(x, "start")),
						&a) ||
				    clock_field(json_string_value(json_object_get(x, "end")), &b)) {
					rc = duty_refuse(&e, 0, "duty.err.availability",
							 "availability");
					break;
				}
				v->avail[v->navail++] = (struct duty_avail){(int)d, (int)a, (int)b};
			}
		} else
			rc = duty_avail_parse(duty_in_str(&in, "availability"), v, &e);
		if (!rc && json_is_array(aw)) {
			/* [{"first":"2026-12-01","last":"2026-12-03"}] */
			size_t i;
			json_t *x;
			json_array_foreach (aw, i, x) {
				const char *f = json_string_value(json_object_get(x, "first"));
				const char *l = json_string_value(json_object_get(x, "last"));
				int64_t t;
				if (v->naway == DUTY_MAX_AWAY || duty_day_epoch(f, &t) ||
				    (l && duty_day_epoch(l, &t))) {
					rc = duty_refuse(&e, 0, "duty.err.away", "away");
					break;
				}
				snprintf(v->away[v->naway].first, 11, "%s", f);
				snprintf(v->away[v->naway].last, 11, "%s", l ? l : f);
				v->naway++;
			}
		} else if (!rc)
			rc = duty_away_parse(duty_in_str(&in, "away"), v, &e);
	}
	if (!rc)
		rc = duty_volunteer_save(req->db, req->sess.area_id, &who, id, v, &e, &out);
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, id ? 200 : 201, json_pack("{s:I}", "id", (json_int_t)out),
		    "/duty/volunteers");
}

/* ---- weeks ---- */

/* week_of: the Monday from the path (API) or the form's "week". */
static int week_of(struct http_req *req, struct duty_input *in, char monday[11])
{
	const char *q = req_param(req, 0);

	if (!q)
		q = duty_in_str(in, "week");
	/* Named, never "this week" by default: a stray post changes nothing. */
	if (!q || !*q)
		return LIN_EINVAL;
	return duty_week_param(q, monday);
}

static const char *week_page(struct http_req *req, const char *monday)
{
	return arena_printf(req->arena, "/duty/week?week=%s", monday);
}

int duty_h_week_generate(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	char monday[11];
	int added = 0, rc;

	OPEN_INPUT(in);
	rc = week_of(req, &in, monday);
	duty_input_close(&in);
	if (rc)
		return duty_bad_input(req, resp, "duty.err.week", "week");
	rc = duty_week_generate(req->db, req->sess.area_id, &who, monday, &added);
	if (rc)
		return duty_fail(req, resp, rc, NULL);
	return done(req, resp, 200, json_pack("{s:s,s:i}", "week_start", monday, "added", added),
		    week_page(req, monday));
}

int duty_h_week_plan(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_plan_out p;
	struct duty_err e = {0};
	char monday[11];
	int rc;

	OPEN_INPUT(in);
	rc = week_of(req, &in, monday);
	duty_input_close(&in);
	if (rc)
		return duty_bad_input(req, resp, "duty.err.week", "week");
	rc = duty_week_plan(req->db, req->sess.area_id, &who, monday, (int64_t)time(NULL), &p, &e);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 200,
		    json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:s}", "week_start", monday, "shifts",
			      p.shifts, "filled", p.filled, "places", p.places, "covered",
			      p.covered, "kept", p.kept, "solver", p.solver ? p.solver : ""),
		    week_page(req, monday));
}

int duty_h_week_publish(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	char monday[11];
	int rc;

	OPEN_INPUT(in);
	rc = week_of(req, &in, monday);
	duty_input_close(&in);
	if (rc)
		return duty_bad_input(req, resp, "duty.err.week", "week");
	rc = duty_week_publish(req->db, req->sess.area_id, &who, monday, (int64_t)time(NULL), &e);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 200, json_pack("{s:s,s:b}", "week_start", monday, "published", 1),
		    week_page(req, monday));
}

int duty_h_assign_add(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int64_t shift = 0, vol = 0, id = 0;
	int rc = 0;

	OPEN_INPUT(in);
	if (duty_in_int(&in, "shift_id", 1, INT64_MAX, 0, &shift))
		rc = duty_refuse(&e, 0, "duty.err.no_shift", "shift_id");
	else if (duty_in_int(&in, "volunteer_id", 1, INT64_MAX, 0, &vol))
		rc = duty_refuse(&e, 0, "duty.err.no_volunteer", "volunteer_id");
	const char *back = duty_in_str(&in, "week");
	back = week_page(req, back ? back : "");
	if (!rc)
		rc = duty_assign_add(req->db, req->sess.area_id, &who, shift, vol, &e, &id);
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 201, json_pack("{s:I}", "id", (json_int_t)id), back);
}

int duty_h_assign_remove(struct http_req *req, struct http_resp *resp)
{
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int rc = duty_assign_remove(req->db, req->sess.area_id, &who, duty_path_id(req, 0), &e);
	const char *week = req_form(req, "week");

	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 200, json_pack("{s:b}", "removed", 1),
		    week_page(req, week ? week : ""));
}

int duty_h_shift_note(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int rc;

	OPEN_INPUT(in);
	const char *week = duty_in_str(&in, "week");
	week = week_page(req, week ? week : "");
	rc = duty_shift_note(req->db, req->sess.area_id, &who, duty_path_id(req, 0),
			     duty_in_str(&in, "weather"), &e);
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 200, json_pack("{s:b}", "saved", 1), week);
}

/* ---- my duties: check in and out, swaps ---- */

int duty_h_checkin(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int64_t id = 0, now = (int64_t)time(NULL);
	const char *code;
	int rc = 0;

	OPEN_INPUT(in);
	code = duty_in_str(&in, "code");
	if (duty_in_int(&in, "assignment_id", 0, INT64_MAX, 0, &id))
		rc = duty_refuse(&e, 0, "duty.err.no_assignment", "assignment_id");
	else if (!id) {
		/* Only the code (the QR): the account's shift there now. */
		rc = duty_assignment_at_code(req->db, req->sess.area_id, req->sess.user_id, code,
					     now, &id);
		if (rc == LIN_ENOTFOUND)
			rc = duty_refuse(&e, LIN_ENOTFOUND, "duty.err.no_shift_here", "code");
	}
	if (!rc)
		rc = duty_checkin(req->db, req->sess.area_id, &who, id, code, now, &e);
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(
	    req, resp, 200,
	    json_pack("{s:I,s:I}", "assignment_id", (json_int_t)id, "checkin_at", (json_int_t)now),
	    "/duty/my");
}

int duty_h_checkout(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int64_t id = 0, minutes = 0, now = (int64_t)time(NULL);
	int rc = 0;

	OPEN_INPUT(in);
	if (duty_in_int(&in, "assignment_id", 1, INT64_MAX, 0, &id))
		rc = duty_refuse(&e, 0, "duty.err.no_assignment", "assignment_id");
	if (!rc)
		rc = duty_checkout(req->db, req->sess.area_id, &who, id, now, &e, &minutes);
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 200,
		    json_pack("{s:I,s:I,s:I}", "assignment_id", (json_int_t)id, "checkout_at",
			      (json_int_t)now, "minutes", (json_int_t)minutes),
		    "/duty/my");
}

int duty_h_swap_request(struct http_req *req, struct http_resp *resp)
{
	struct duty_input in;
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int64_t a = 0, to = 0, id = 0;
	int rc = 0;

	OPEN_INPUT(in);
	if (duty_in_int(&in, "assignment_id", 1, INT64_MAX, 0, &a))
		rc = duty_refuse(&e, 0, "duty.err.no_assignment", "assignment_id");
	else if (duty_in_int(&in, "to_volunteer_id", 1, INT64_MAX, 0, &to))
		rc = duty_refuse(&e, 0, "duty.err.swap_to", "to_volunteer_id");
	if (!rc)
		rc = duty_swap_request(req->db, req->sess.area_id, &who, a, to, (int64_t)time(NULL),
				       &e, &id);
	duty_input_close(&in);
	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 201,
		    json_pack("{s:I,s:s}", "id", (json_int_t)id, "state", "requested"), "/duty/my");
}

static int swap_decide(struct http_req *req, struct http_resp *resp, int approve)
{
	struct duty_actor who = actor_of(req);
	struct duty_err e = {0};
	int rc = duty_swap_decide(req->db, req->sess.area_id, &who, duty_path_id(req, 0), approve,
				  (int64_t)time(NULL), &e);

	if (rc)
		return duty_fail(req, resp, rc, &e);
	return done(req, resp, 200, json_pack("{s:s}", "state", approve ? "approved" : "refused"),
		    "/duty/swaps");
}

int duty_h_swap_approve(struct http_req *req, struct http_resp *resp)
{
	return swap_decide(req, resp, 1);
}

int duty_h_swap_refuse(struct http_req *req, struct http_resp *resp)
{
	return swap_decide(req, resp, 0);
}
