/* The duty pages and the API's reads: staff keep the stations, routes,
 * windows and volunteers (/duty, /duty/volunteers), plan and publish a
 * week (/duty/week), print it for the notice board one station a page
 * (/duty/week/print), export it (/duty/week.csv) and print each station's
 * sign with its check-in QR; a volunteer sees their own duties on a phone
 * (/duty/my), checks in and out, asks for swaps and sees the roster of a
 * station they hold that week, nothing else. */
#include "internal.h"
#include "web.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const weekday_keys[] = {"duty.wd.1", "duty.wd.2", "duty.wd.3", "duty.wd.4",
					   "duty.wd.5", "duty.wd.6", "duty.wd.7"};

int duty_is_staff(struct http_req *req)
{
	return req_can(req, PERM_TEAMS_WRITE);
}

int duty_internal(struct http_req *req, struct http_resp *resp)
{
	return resp_error(req, resp, 500, "internal", "err.internal");
}

int duty_page_done(struct http_req *req, struct http_resp *resp, struct html *h)
{
	page_end(req, h);
	resp->status = 200;
	return 0;
}

const char *duty_text(struct http_req *req, json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
	return "";
}

int64_t duty_num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* ---- API reads (staff) ---- */

static int api_list(struct http_req *req, struct http_resp *resp,
		    int (*read)(struct db *, int64_t, json_t **), const char *key)
{
	json_t *rows = NULL;

	if (read(req->db, req->sess.area_id, &rows)) {
		json_decref(rows);
		return duty_internal(req, resp);
	}
	return resp_json(resp, 200, json_pack("{s:o}", key, rows));
}

static int api_stations(struct http_req *req, struct http_resp *resp)
{
	return api_list(req, resp, duty_stations_json, "stations");
}

static int api_routes(struct http_req *req, struct http_resp *resp)
{
	return api_list(req, resp, duty_routes_json, "routes");
}

static int api_windows(struct http_req *req, struct http_resp *resp)
{
	return api_list(req, resp, duty_windows_json, "windows");
}

static int api_volunteers(struct http_req *req, struct http_resp *resp)
{
	return api_list(req, resp, duty_volunteers_json, "volunteers");
}

static int api_month(struct http_req *req, struct http_resp *resp)
{
	const char *month = req_query(req, "month");
	struct duty_month m;
	json_t *stations = NULL, *teams = NULL, *open = NULL;
	char first[16], now_month[11];
	int64_t from = 0, to = 0;
	int rc;

	if (!month || !*month) {
		duty_day_of((int64_t)time(NULL), now_month);
		now_month[7] = '\0';
		month = now_month;
	}
	rc = duty_month_facts(req->db, req->sess.area_id, month, &m);
	if (rc == LIN_EINVAL)
		return duty_bad_input(req, resp, "duty.err.month", "month");
	snprintf(first, sizeof(first), "%s-01", month);
	duty_day_epoch(first, &from);
	{
		char next[11];
		duty_day_add(first, 32, next);
		next[8] = '0', next[9] = '1';
		duty_day_epoch(next, &to);
	}
	if (!rc)
		rc = duty_month_stations(req->db, req->sess.area_id, month, &stations);
	if (!rc)
		rc = duty_month_teams(req->db, req->sess.area_id, month, &teams);
	if (!rc)
		rc = duty_open_places(req->db, req->sess.area_id, from, to, &open);
	if (rc) {
		json_decref(stations);
		json_decref(teams);
		json_decref(open);
		return duty_internal(req, resp);
	}
	return resp_json(resp, 200,
			 json_pack("{s:s,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I},s:o,s:o,s:o}", "month",
				   month, "totals", "shifts", (json_int_t)m.shifts, "filled",
				   (json_int_t)m.filled, "unfilled", (json_int_t)m.unfilled,
				   "missed", (json_int_t)m.missed, "places", (json_int_t)m.places,
				   "covered", (json_int_t)m.covered, "checkins",
				   (json_int_t)m.checkins, "minutes", (json_int_t)m.minutes,
				   "stations", stations, "teams", teams, "open", open));
}

/* ---- who may see which week ---- */

/* duty_week_scope reads ?week= and ?station= / ?route=; a volunteer must name
 * a station or route they hold a shift at that week. 0, or an error
 * already answered (*answered set). */
int duty_week_scope(struct http_req *req, struct http_resp *resp, char monday[11], char *kind,
		    int64_t *place, int *answered)
{
	const char *w = req_param(req, 0);
	const char *s = req_query(req, "station"), *r = req_query(req, "route");
	int64_t vol = 0;
	int yes = 0;

	*answered = 0;
	*kind = 0;
	*place = 0;
	if (!w)
		w = req_query(req, "week");
	if (duty_week_param(w, monday)) {
		*answered = 1;
		return duty_bad_input(req, resp, "duty.err.week", "week");
	}
	if ((s && *s && parse_int64(s, 1, INT64_MAX, place)) ||
	    (r && *r && parse_int64(r, 1, INT64_MAX, place))) {
		*answered = 1;
		return duty_bad_input(req, resp, "duty.err.window_place", s ? "station" : "route");
	}
	if (*place)
		*kind = s && *s ? 's' : 'r';
	if (duty_is_staff(req))
		return 0;
	if (!*place ||
	    duty_volunteer_of_user(req->db, req->sess.area_id, req->sess.user_id, &vol) ||
	    duty_volunteer_places(req->db, req->sess.area_id, vol, monday, *kind, *place, &yes) ||
	    !yes) {
		*answered = 1;
		return resp_error(req, resp, 403, "forbidden", "duty.err.not_your_station");
	}
	return 0;
}

static int api_week(struct http_req *req, struct http_resp *resp)
{
	char monday[11], kind;
	int64_t place;
	int answered;
	json_t *week = NULL;
	int rc = duty_week_scope(req, resp, monday, &kind, &place, &answered);

	if (answered)
		return rc;
	if (duty_week_json(req->db, req->sess.area_id, monday, kind, place, &week))
		return duty_internal(req, resp);
	if (!duty_is_staff(req)) {
		/* A volunteer sees who and when, not others' check-in times. */
		size_t a, b;
		json_t *s, *p;
		json_array_foreach (json_object_get(week, "shifts"), a, s)
			json_array_foreach (json_object_get(s, "people"), b, p) {
				json_object_del(p, "checkin_at");
				json_object_del(p, "checkout_at");
				json_object_del(p, "minutes");
			}
	}
	return resp_json(resp, 200, week);
}

static int api_my(struct http_req *req, struct http_resp *resp)
{
	json_t *my = NULL;
	int rc =
	    duty_my_json(req->db, req->sess.area_id, req->sess.user_id, (int64_t)time(NULL), &my);

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "duty.err.not_volunteer");
	if (rc)
		return duty_internal(req, resp);
	return resp_json(resp, 200, my);
}

static int api_swaps(struct http_req *req, struct http_resp *resp)
{
	int64_t vol = 0;
	json_t *rows = NULL;

	if (!duty_is_staff(req) &&
	    duty_volunteer_of_user(req->db, req->sess.area_id, req->sess.user_id, &vol))
		return resp_error(req, resp, 404, "not_found", "duty.err.not_volunteer");
	if (duty_swaps_json(req->db, req->sess.area_id, vol, &rows)) {
		json_decref(rows);
		return duty_internal(req, resp);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "swaps", rows));
}

/* ---- staff: stations, routes, windows ---- */

/* duty_categories_text writes a station's categories in the reader's words. */
void duty_categories_text(struct http_req *req, struct html *h, const char *cats)
{
	static const char *const known[] = {"recyclable", "hazardous", "wet", "dry"};
	for (int k = 0; k < 4; k++)
		if (strstr(cats, known[k])) {
			char key[32];
			snprintf(key, sizeof(key), "duty.cat.%s", known[k]);
			html_printf(h, "<span class=\"cat %s\">%T</span> ", known[k], key);
		}
}

static void weekdays_text(struct http_req *req, struct html *h, int64_t mask)
{
	if (mask == 127) {
		html_printf(h, "%T", "duty.every_day");
		return;
	}
	for (int d = 0; d < 7; d++)
		if (mask >> d & 1)
			html_printf(h, "%T ", weekday_keys[d]);
}

static void station_form(struct http_req *req, struct html *h, json_t *s)
{
	html_printf(h, "<form method=\"post\" action=\"/duty/stations%s%s\" class=\"stack\">",
		    s ? "/" : "", s ? duty_text(req, s, "id") : "");
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T <input name=\"name\" required maxlength=\"120\" value=\"%s\"></label>"
	    "<label>%T <input name=\"compound_id\" inputmode=\"numeric\" required value=\"%s\">"
	    "</label><label>%T <input name=\"categories\" value=\"%s\"></label>"
	    "<label>%T <input name=\"late_drop\" value=\"%s\"></label>"
	    "<label>%T <input name=\"code\" required pattern=\"[A-Za-z0-9]{4,16}\" value=\"%s\">"
	    "</label><label>%T <input name=\"leader_resident_id\" inputmode=\"numeric\" "
	    "value=\"%s\"></label>",
	    "duty.field.name", s ? duty_text(req, s, "name") : "", "duty.field.compound_id",
	    s ? duty_text(req, s, "compound_id") : "", "duty.field.categories",
	    s ? duty_text(req, s, "categories") : "recyclable,hazardous,wet,dry",
	    "duty.field.late_drop", s ? duty_text(req, s, "late_drop") : "", "duty.field.code",
	    s ? duty_text(req, s, "code") : "", "duty.field.leader",
	    s && duty_num(s, "leader_resident_id") ? duty_text(req, s, "leader_resident_id") : "");
	if (s)
		html_printf(
		    h,
		    "<label class=\"check\"><input type=\"checkbox\" name=\"archived\"%s> %T"
		    "</label>",
		    json_is_true(json_object_get(s, "archived")) ? " checked" : "",
		    "duty.archived");
	html_printf(h, "<button class=\"primary\">%T</button></form>",
		    s ? "duty.save" : "duty.add_station");
}

static int admin_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *stations = NULL, *routes = NULL, *windows = NULL, *row;
	size_t k;

	if (duty_stations_json(req->db, req->sess.area_id, &stations) ||
	    duty_routes_json(req->db, req->sess.area_id, &routes) ||
	    duty_windows_json(req->db, req->sess.area_id, &windows)) {
		json_decref(stations);
		json_decref(routes);
		json_decref(windows);
		return duty_internal(req, resp);
	}
	page_begin(req, &h, req_t(req, "duty.title"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%T</h1><nav class=\"actions\">"
		    "<a class=\"button primary\" href=\"/duty/week\">%T</a> "
		    "<a class=\"button\" href=\"/duty/volunteers\">%T</a> "
		    "<a class=\"button\" href=\"/duty/swaps\">%T</a> "
		    "<a class=\"button\" href=\"/duty/calendar\">%T</a></nav></div>",
		    "duty.title", "duty.week", "duty.volunteers", "duty.swaps", "duty.calendar");
	html_printf(&h,
		    "<h2>%T</h2><div class=\"table-wrap\"><table><thead><tr><th>%T</th><th>%T</th>"
		    "<th>%T</th><th>%T</th><th>%T</th><th></th></tr></thead><tbody>",
		    "duty.stations", "duty.field.name", "duty.compound", "duty.field.categories",
		    "duty.field.code", "duty.field.leader");
	json_array_foreach (stations, k, row) {
		html_printf(&h, "<tr%s><td>%s</td><td>%s</td><td>",
			    duty_num(row, "archived") ? " class=\"archived\"" : "",
			    duty_text(req, row, "name"), duty_text(req, row, "compound"));
		duty_categories_text(req, &h, duty_text(req, row, "categories"));
		html_printf(&h,
			    "</td><td><code>%s</code></td><td>%s</td><td><a "
			    "href=\"/duty/stations/%s/sign\">%T</a> <a "
			    "href=\"/duty/week?station=%s\">%T</a></td></tr>",
			    duty_text(req, row, "code"), duty_text(req, row, "leader"),
			    duty_text(req, row, "id"), "duty.sign", duty_text(req, row, "id"),
			    "duty.roster");
		html_printf(
		    &h, "<tr class=\"edit\"><td colspan=\"6\"><details><summary>%T %s</summary>",
		    "duty.edit", duty_text(req, row, "name"));
		station_form(req, &h, row);
		html_printf(&h, "</details></td></tr>");
	}
	html_printf(&h,
		    "</tbody></table></div><details class=\"card fold\"><summary class=\"button\">"
		    "%T</summary>",
		    "duty.add_station");
	station_form(req, &h, NULL);
	html_printf(&h, "</details>");

	html_printf(&h, "<h2>%T</h2><ul>", "duty.routes");
	json_array_foreach (routes, k, row)
		html_printf(
		    &h,
		    "<li><b>%s</b> <code>%s</code> %s · <a href=\"/duty/routes/%s/sign\">%T</a>"
		    "</li>",
		    duty_text(req, row, "name"), duty_text(req, row, "code"),
		    duty_text(req, row, "description"), duty_text(req, row, "id"), "duty.sign");
	html_printf(&h,
		    "</ul><details class=\"card fold\"><summary class=\"button\">%T</summary>"
		    "<form method=\"post\" action=\"/duty/routes\" class=\"stack\">",
		    "duty.add_route");
	page_csrf_field(req, &h);
	html_printf(&h,
		    "<label>%T <input name=\"name\" required></label><label>%T <input "
		    "name=\"description\"></label><label>%T <input name=\"code\" required></label>"
		    "<label>%T <input name=\"leader_resident_id\" inputmode=\"numeric\"></label>"
		    "<button class=\"primary\">%T</button></form></details>",
		    "duty.field.name", "duty.field.description", "duty.field.code",
		    "duty.field.leader", "duty.add_route");

	html_printf(&h,
		    "<h2>%T</h2><div class=\"table-wrap\"><table><thead><tr><th>%T</th><th>%T</th>"
		    "<th>%T</th><th>%T</th></tr></thead><tbody>",
		    "duty.windows", "duty.where", "duty.field.weekdays", "duty.field.time",
		    "duty.field.need");
	json_array_foreach (windows, k, row) {
		if (json_is_true(json_object_get(row, "archived")))
			continue;
		html_printf(&h, "<tr><td>%s</td><td>", duty_text(req, row, "where"));
		weekdays_text(req, &h, duty_num(row, "weekdays"));
		html_printf(&h, "</td><td>%s–%s</td><td>%s (%T %s)</td></tr>",
			    duty_text(req, row, "start"), duty_text(req, row, "end"),
			    duty_text(req, row, "need"), "duty.trained_min",
			    duty_text(req, row, "need_trained"));
	}
	html_printf(&h,
		    "</tbody></table></div><details class=\"card fold\"><summary class=\"button\">"
		    "%T</summary><form method=\"post\" action=\"/duty/windows\" class=\"stack\">",
		    "duty.add_window");
	page_csrf_field(req, &h);
	html_printf(&h, "<label>%T <select name=\"station_id\"><option value=\"\">—</option>",
		    "duty.station");
	json_array_foreach (stations, k, row)
		html_printf(&h, "<option value=\"%s\">%s</option>", duty_text(req, row, "id"),
			    duty_text(req, row, "name"));
	html_printf(&h,
		    "</select></label><label>%T <select name=\"route_id\"><option "
		    "value=\"\">—</option>",
		    "duty.route");
	json_array_foreach (routes, k, row)
		html_printf(&h, "<option value=\"%s\">%s</option>", duty_text(req, row, "id"),
			    duty_text(req, row, "name"));
	html_printf(&h, "</select></label><fieldset><legend>%T</legend>", "duty.field.weekdays");
	for (int d = 1; d <= 7; d++)
		html_printf(&h,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"day%d\" "
			    "checked> %T</label> ",
			    d, weekday_keys[d - 1]);
	html_printf(
	    &h,
	    "</fieldset><label>%T <input name=\"start\" type=\"time\" required "
	    "value=\"07:00\"></label><label>%T <input name=\"end\" type=\"time\" required "
	    "value=\"09:00\"></label><label>%T <input name=\"need\" type=\"number\" min=\"1\" "
	    "value=\"2\"></label><label>%T <input name=\"need_trained\" type=\"number\" "
	    "min=\"0\" value=\"1\"></label><button class=\"primary\">%T</button></form>"
	    "</details>",
	    "duty.field.start", "duty.field.end", "duty.field.need", "duty.field.need_trained",
	    "duty.add_window");
	json_decref(stations);
	json_decref(routes);
	json_decref(windows);
	return duty_page_done(req, resp, &h);
}

/* The sign at a station or a route's start: its name, code and the QR
 * that opens the check-in there. */
static int sign_page(struct http_req *req, struct http_resp *resp, char kind)
{
	struct html h = {&resp->body, req->lang};
	json_t *p = NULL;
	const char *url;
	int rc = duty_place_get(req->db, req->sess.area_id, kind, duty_path_id(req, 0), &p);

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return duty_internal(req, resp);
	url = arena_printf(req->arena, "%s/duty/checkin?code=%s", req_origin(req),
			   duty_text(req, p, "code"));
	page_begin(req, &h, duty_text(req, p, "name"));
	html_printf(&h,
		    "<nav class=\"week-nav no-print\"><a href=\"/duty\">← %T</a> <button "
		    "type=\"button\" class=\"primary\" data-print hidden>%T</button></nav>"
		    "<article class=\"notice-sheet duty-sign\"><header><h1>%s</h1>",
		    "duty.title", "duty.print", duty_text(req, p, "name"));
	if (kind == 's')
		html_printf(&h, "<p class=\"notice-week\">%s</p>", duty_text(req, p, "compound"));
	html_printf(&h, "</header><figure class=\"duty-sign-qr\">");
	qr_svg(h.out, url, req_t(req, "duty.sign_qr"));
	html_printf(&h,
		    "<figcaption>%T<br><small>%s</small></figcaption></figure>"
		    "<p class=\"duty-code\">%T <b class=\"code\">%s</b></p>",
		    "duty.sign_qr", url, "duty.sign_code", duty_text(req, p, "code"));
	if (kind == 's') {
		html_printf(&h, "<p class=\"duty-cats\">");
		duty_categories_text(req, &h, duty_text(req, p, "categories"));
		html_printf(&h, "</p>");
	}
	if (kind == 's' && *duty_text(req, p, "late_drop"))
		html_printf(&h, "<p>%T %s</p>", "duty.field.late_drop",
			    duty_text(req, p, "late_drop"));
	html_printf(&h, "</article>");
	json_decref(p);
	return duty_page_done(req, resp, &h);
}

static int station_sign(struct http_req *req, struct http_resp *resp)
{
	return sign_page(req, resp, 's');
}

static int route_sign(struct http_req *req, struct http_resp *resp)
{
	return sign_page(req, resp, 'r');
}

/* ---- staff: volunteers ---- */

/* volunteer_form: the add form (v NULL) or one volunteer's edit form. */
static void volunteer_form(struct http_req *req, struct html *h, json_t *v)
{
	const char *id = v ? duty_text(req, v, "id") : "";
	int guide = v && json_is_true(json_object_get(v, "trained_guide"));
	int patrol = v && json_is_true(json_object_get(v, "trained_patrol"));

	html_printf(h, "<form method=\"post\" action=\"/duty/volunteers%s%s\" class=\"stack\">",
		    *id ? "/" : "", id);
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T <input name=\"resident_id\" inputmode=\"numeric\" required value=\"%s\">"
	    "</label><label>%T <input name=\"member_id\" inputmode=\"numeric\" value=\"%s\">"
	    "</label><label class=\"check\"><input type=\"checkbox\" name=\"trained_guide\"%s> %T"
	    "</label><label class=\"check\"><input type=\"checkbox\" name=\"trained_patrol\"%s> %T"
	    "</label><label>%T <input name=\"max_per_day\" type=\"number\" value=\"%s\"></label>"
	    "<label>%T <input name=\"max_per_week\" type=\"number\" value=\"%s\"></label>",
	    "duty.field.resident_id", v ? duty_text(req, v, "resident_id") : "",
	    "duty.field.member_id",
	    v && duty_num(v, "member_id") ? duty_text(req, v, "member_id") : "",
	    guide ? " checked" : "", "duty.guide", patrol ? " checked" : "", "duty.patrol",
	    "duty.field.max_per_day", v ? duty_text(req, v, "max_per_day") : "1",
	    "duty.field.max_per_week", v ? duty_text(req, v, "max_per_week") : "3");
	html_printf(
	    h,
	    "<label>%T <textarea name=\"availability\" rows=\"4\" placeholder=\"1-5 "
	    "07:00-09:00\">%s</textarea></label><label>%T <textarea name=\"away\" rows=\"2\" "
	    "placeholder=\"2026-12-24 2026-12-26\">%s</textarea></label>"
	    "<button class=\"primary\">%T</button></form>",
	    "duty.field.availability", v ? duty_text(req, v, "availability") : "",
	    "duty.field.away", v ? duty_text(req, v, "away") : "",
	    v ? "duty.save" : "duty.add_volunteer");
}

static int volunteers_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *rows = NULL, *row;
	size_t k;

	if (duty_volunteers_json(req->db, req->sess.area_id, &rows)) {
		json_decref(rows);
		return duty_internal(req, resp);
	}
	page_begin(req, &h, req_t(req, "duty.volunteers"));
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><nav class=\"actions\"><a class=\"button\" "
	    "href=\"/duty\">%T</a></nav></div><details class=\"card fold\"><summary "
	    "class=\"button primary\">%T</summary>",
	    "duty.volunteers", "duty.title", "duty.add_volunteer");
	volunteer_form(req, &h, NULL);
	html_printf(&h,
		    "</details><div class=\"table-wrap\"><table><thead><tr><th>%T</th><th>%T</th>"
		    "<th>%T</th><th>%T</th><th>%T</th><th></th></tr></thead><tbody>",
		    "duty.field.name", "duty.trained", "duty.field.limits",
		    "duty.field.availability", "duty.field.away");
	json_array_foreach (rows, k, row) {
		html_printf(
		    &h,
		    "<tr><td>%s <small>#%s</small></td><td>%s %s</td><td>%s/%s</td>"
		    "<td><pre>%s</pre></td><td><pre>%s</pre></td><td><details><summary>%T</"
		    "summary>",
		    duty_text(req, row, "name"), duty_text(req, row, "id"),
		    json_is_true(json_object_get(row, "trained_guide")) ? req_t(req, "duty.guide")
									: "",
		    json_is_true(json_object_get(row, "trained_patrol")) ? req_t(req, "duty.patrol")
									 : "",
		    duty_text(req, row, "max_per_day"), duty_text(req, row, "max_per_week"),
		    duty_text(req, row, "availability"), duty_text(req, row, "away"), "duty.edit");
		volunteer_form(req, &h, row);
		html_printf(&h, "</details></td></tr>");
	}
	html_printf(&h, "</tbody></table></div>");
	json_decref(rows);
	return duty_page_done(req, resp, &h);
}

/* duty_in_lang: of a planner's message "中文 English", the reader's half (the
 * English starts at the first ASCII letter after any Chinese). */
const char *duty_in_lang(struct http_req *req, const char *text)
{
	int wide = 0;

	for (const char *p = text; *p; p++) {
		if ((unsigned char)*p >= 0x80)
			wide = 1;
		else if (wide && *p >= 'a' && *p <= 'z' && p > text && p[-1] == ' ') {
			/* "… 0 人 5 unavailable": the English may open with a number. */
			const char *q = p - 1;
			while (q > text && q[-1] >= '0' && q[-1] <= '9')
				q--;
			if (q == p - 1 || q == text || q[-1] != ' ')
				q = p;
			if (!strcmp(req->lang, "en"))
				return q;
			return arena_strndup(req->arena, text, (size_t)(q - 1 - text));
		}
	}
	return text;
}

/* ---- swaps (staff) ---- */

static int swaps_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *rows = NULL, *row;
	size_t k;

	if (duty_swaps_json(req->db, req->sess.area_id, 0, &rows)) {
		json_decref(rows);
		return duty_internal(req, resp);
	}
	page_begin(req, &h, req_t(req, "duty.swaps"));
	html_printf(&h, "<h1>%T</h1>", "duty.swaps");
	if (!json_array_size(rows))
		html_printf(&h, "<p class=\"empty\">%T</p>", "duty.no_swaps");
	html_printf(&h, "<ul class=\"duty-swaps\">");
	json_array_foreach (rows, k, row) {
		html_printf(&h, "<li class=\"card\">%s %s: %s → %s <span class=\"badge\">%s</span>",
			    duty_text(req, row, "where"), duty_text(req, row, "day"),
			    duty_text(req, row, "from"), duty_text(req, row, "to"),
			    duty_text(req, row, "state"));
		if (!strcmp(duty_text(req, row, "state"), "requested")) {
			for (int a = 0; a < 2; a++) {
				html_printf(&h,
					    " <form method=\"post\" action=\"/duty/swaps/%s/%s\" "
					    "class=\"inline\">",
					    duty_text(req, row, "id"), a ? "refuse" : "approve");
				page_csrf_field(req, &h);
				html_printf(&h, "<button%s>%T</button></form>",
					    a ? "" : " class=\"primary\"",
					    a ? "duty.refuse" : "duty.approve");
			}
		}
		html_printf(&h, "</li>");
	}
	html_printf(&h, "</ul>");
	json_decref(rows);
	return duty_page_done(req, resp, &h);
}

/* ---- the calendar of shifts ---- */

/* A month as a grid, Monday first: staff see every shift (the ones with
 * places open marked), a volunteer their own. */
static int calendar_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	const char *q = req_query(req, "month");
	char month[8], first[11], day[11], prev[11], next[11];
	int64_t vol = 0, t0 = 0;
	int staff = duty_is_staff(req);
	json_t *rows = NULL, *row;
	size_t k = 0;

	if (q && *q)
		snprintf(month, sizeof(month), "%.7s", q);
	else {
		duty_day_of((int64_t)time(NULL), day);
		snprintf(month, sizeof(month), "%.7s", day);
	}
	snprintf(first, sizeof(first), "%s-01", month);
	if ((q && strlen(q) != 7) || duty_day_epoch(first, &t0))
		return duty_bad_input(req, resp, "duty.err.month", "month");
	if (!staff && duty_volunteer_of_user(req->db, req->sess.area_id, req->sess.user_id, &vol))
		return resp_error(req, resp, 404, "not_found", "duty.err.not_volunteer");
	if (duty_calendar_json(req->db, req->sess.area_id, month, vol, &rows)) {
		json_decref(rows);
		return duty_internal(req, resp);
	}
	duty_day_add(first, -1, prev);
	duty_day_add(first, 31, next);
	prev[7] = next[7] = '\0'; /* YYYY-MM */
	page_begin(req, &h, req_t(req, "duty.calendar"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%T %s</h1><nav class=\"week-nav\">"
		    "<a href=\"/duty/calendar?month=%s\">← %T</a> "
		    "<a href=\"/duty/calendar?month=%s\">%T →</a></nav></div>"
		    "<div class=\"table-wrap\"><table class=\"duty-calendar\"><thead><tr>",
		    "duty.calendar", month, prev, "duty.prev_month", next, "duty.next_month");
	for (int d = 0; d < 7; d++)
		html_printf(&h, "<th>%T</th>", weekday_keys[d]);
	html_printf(&h, "</tr></thead><tbody><tr>");
	/* Blank cells before the 1st (Monday first). */
	char monday[11];
	duty_monday(t0 + 43200, monday);
	int lead = 0;
	for (char d[11] = ""; lead < 7; lead++) {
		duty_day_add(monday, lead, d);
		if (!strcmp(d, first))
			break;
		html_printf(&h, "<td></td>");
	}
	int col = lead;
	for (int dd = 0; dd < 31; dd++) {
		duty_day_add(first, dd, day);
		if (strncmp(day, month, 7))
			break;
		if (col == 7) {
			html_printf(&h, "</tr><tr>");
			col = 0;
		}
		html_printf(&h, "<td><b class=\"day\">%s</b>", day + 8);
		/* Staff: how many shifts and the ones with places open; a
		 * volunteer: their own shifts. */
		int shifts = 0;
		size_t from = k;
		for (; (row = json_array_get(rows, k)) && !strcmp(duty_text(req, row, "day"), day);
		     k++)
			shifts++;
		if (staff && shifts)
			html_printf(&h, " <small>%d %T</small>", shifts, "duty.shifts_n");
		html_printf(&h, "<ul>");
		for (size_t x = from; x < k; x++) {
			row = json_array_get(rows, x);
			int64_t open = duty_num(row, "need") - duty_num(row, "assigned");
			char a[6], b[6];
			if (staff && open <= 0)
				continue;
			duty_clock(duty_num(row, "start_at"), a);
			duty_clock(duty_num(row, "end_at"), b);
			html_printf(&h, "<li%s>%s–%s %s",
				    open > 0 && staff ? " class=\"short\"" : "", a, b,
				    duty_text(req, row, "where"));
			if (staff)
				html_printf(&h, " <span class=\"badge short\">%T %l</span>",
					    "duty.missing", open);
			if (*duty_text(req, row, "weather"))
				html_printf(&h, " ☂");
			html_printf(&h, "</li>");
		}
		html_printf(&h, "</ul></td>");
		col++;
	}
	while (col++ < 7)
		html_printf(&h, "<td></td>");
	html_printf(&h, "</tr></tbody></table></div>");
	json_decref(rows);
	return duty_page_done(req, resp, &h);
}

/* ---- the route table ---- */

const struct nav_item duty_nav[] = {
    {"/duty", "nav.duty", PERM_TEAMS_WRITE},
    {"/duty/my", "nav.duty_my", PERM_SIGNED_IN},
    {NULL, NULL, 0},
};

int duty_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    /* pages: staff */
	    {"GET", "/duty", admin_page, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/stations", duty_h_station_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/stations/:id", duty_h_station_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/duty/stations/:id/sign", station_sign, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/routes", duty_h_route_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/routes/:id", duty_h_route_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/duty/routes/:id/sign", route_sign, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/windows", duty_h_window_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/windows/:id", duty_h_window_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/duty/volunteers", volunteers_page, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/volunteers", duty_h_volunteer_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/volunteers/:id", duty_h_volunteer_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/week/generate", duty_h_week_generate, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/week/plan", duty_h_week_plan, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/week/publish", duty_h_week_publish, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/duty/week/print", duty_print_page, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/duty/week.csv", duty_csv_export, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/assignments", duty_h_assign_add, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/assignments/:id/delete", duty_h_assign_remove, PERM_TEAMS_WRITE, 0,
	     NULL, 0},
	    {"POST", "/duty/shifts/:id/note", duty_h_shift_note, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/duty/swaps", swaps_page, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/swaps/:id/approve", duty_h_swap_approve, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/duty/swaps/:id/refuse", duty_h_swap_refuse, PERM_TEAMS_WRITE, 0, NULL, 0},
	    /* pages: anyone signed in, scoped to their own duties */
	    {"GET", "/duty/week", duty_week_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/duty/my", duty_my_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/duty/calendar", calendar_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/duty/checkin", duty_checkin_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/duty/my/checkin", duty_h_checkin, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/duty/my/checkout", duty_h_checkout, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/duty/my/swap", duty_h_swap_request, PERM_SIGNED_IN, 0, NULL, 0},
	    /* API: staff */
	    {"GET", "/api/v1/duty/stations", api_stations, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/duty/stations", duty_h_station_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"PUT", "/api/v1/duty/stations/:id", duty_h_station_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/duty/routes", api_routes, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/duty/routes", duty_h_route_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"PUT", "/api/v1/duty/routes/:id", duty_h_route_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/duty/windows", api_windows, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/duty/windows", duty_h_window_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"PUT", "/api/v1/duty/windows/:id", duty_h_window_save, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/duty/volunteers", api_volunteers, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/duty/volunteers", duty_h_volunteer_save, PERM_TEAMS_WRITE, 0, NULL,
	     0},
	    {"PUT", "/api/v1/duty/volunteers/:id", duty_h_volunteer_save, PERM_TEAMS_WRITE, 0, NULL,
	     0},
	    {"POST", "/api/v1/duty/weeks/:week/generate", duty_h_week_generate, PERM_TEAMS_WRITE, 0,
	     NULL, 0},
	    {"POST", "/api/v1/duty/weeks/:week/plan", duty_h_week_plan, PERM_TEAMS_WRITE, 0, NULL,
	     0},
	    {"POST", "/api/v1/duty/weeks/:week/publish", duty_h_week_publish, PERM_TEAMS_WRITE, 0,
	     NULL, 0},
	    {"POST", "/api/v1/duty/assignments", duty_h_assign_add, PERM_TEAMS_WRITE, 0, NULL, 0},
	    {"DELETE", "/api/v1/duty/assignments/:id", duty_h_assign_remove, PERM_TEAMS_WRITE, 0,
	     NULL, 0},
	    {"PUT", "/api/v1/duty/shifts/:id/note", duty_h_shift_note, PERM_TEAMS_WRITE, 0, NULL,
	     0},
	    {"POST", "/api/v1/duty/swaps/:id/approve", duty_h_swap_approve, PERM_TEAMS_WRITE, 0,
	     NULL, 0},
	    {"POST", "/api/v1/duty/swaps/:id/refuse", duty_h_swap_refuse, PERM_TEAMS_WRITE, 0, NULL,
	     0},
	    {"GET", "/api/v1/duty/month", api_month, PERM_TEAMS_WRITE, 0, NULL, 0},
	    /* API: anyone signed in, scoped */
	    {"GET", "/api/v1/duty/weeks/:week", api_week, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/api/v1/duty/my", api_my, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/api/v1/duty/checkin", duty_h_checkin, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/api/v1/duty/checkout", duty_h_checkout, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/api/v1/duty/swaps", api_swaps, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/api/v1/duty/swaps", duty_h_swap_request, PERM_SIGNED_IN, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
