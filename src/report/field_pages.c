/* The pages of station inspections (/inspections: the form, the grades'
 * trend per compound and station, the latest records with their one-tap
 * case) and patrol logs (/patrols: the form with the meters' levels
 * beside it, the latest logs). Work on phones without script. */
#include "field.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../noise/noise.h"
#include "../web/html.h"
#include "../web/multipart.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define PAGE_LIST    30 /* records a page lists */
#define TREND_MONTHS 6	/* months a trend covers */

/* ------------------------------------------------------------ shared */

static void error_box(struct html *h, const struct field_error *err)
{
	if (err && err->key)
		html_printf(h,
			    "<div class=\"alert error-summary\" role=\"alert\" tabindex=\"-1\">"
			    "<p><a href=\"#f-%s\">%T</a></p></div>",
			    err->field, err->key);
}

/* page_head opens a records page: its title, the CSV and the other
 * kind's page, a saved notice, the refused form's problem. */
static void page_head(struct http_req *req, struct html *h, const char *title_key, const char *base,
		      const char *other, const char *other_key, const struct field_error *err)
{
	const char *saved = req_query(req, "saved");

	page_begin(req, h, req_t(req, title_key));
	html_printf(
	    h,
	    "<div class=\"page-head\"><h1>%T</h1><div class=\"actions\"><a class=\"button\" "
	    "href=\"/%s.csv\" download>%T</a> <a href=\"/%s\">%T</a></div></div>",
	    title_key, base, "report.csv", other, other_key);
	if (saved && *saved)
		html_printf(h, "<p class=\"notice\" role=\"status\">%T</p>", "form.saved");
	error_box(h, err);
}

/* case_cell: the record's case, or the one-tap button when the reader
 * may write it. */
static void case_cell(struct http_req *req, struct html *h, json_t *row, const char *base, int may)
{
	json_t *c = json_object_get(row, "case_id");

	html_printf(h, "<td>");
	if (json_is_integer(c))
		html_printf(h, "<a href=\"/cases/%l\">#%l</a>", (int64_t)json_integer_value(c),
			    (int64_t)json_integer_value(c));
	else if (may && (!json_is_string(json_object_get(row, "kind")) ||
			 strcmp(json_string_value(json_object_get(row, "kind")), "none"))) {
		html_printf(h, "<form method=\"post\" action=\"/%s/%l/case\" class=\"inline\">",
			    base, (int64_t)json_integer_value(json_object_get(row, "id")));
		page_csrf_field(req, h);
		html_printf(h, "<button type=\"submit\">%T</button></form>", "report.to_case");
	}
	html_printf(h, "</td>");
}

/* month_key: "YYYY-MM" of a day "YYYY-MM-DD". */
static void month_key(const char *day, char out[8])
{
	snprintf(out, 8, "%.7s", day ? day : "");
}

/* ------------------------------------------------------------ inspections */

/* score: A 3, B 2, C 1 (0: not graded). */
static int score(const char *g)
{
	return !g ? 0 : !strcmp(g, "A") ? 3 : !strcmp(g, "B") ? 2 : !strcmp(g, "C") ? 1 : 0;
}

/* mean_grade: the mean score of the grades given in month (YYYY-MM) at
 * the rows whose field (compound or station) is name; 0 when none. */
static double mean_grade(json_t *rows, const char *field, const char *name, const char *month)
{
	int sum = 0, n = 0;
	size_t i;
	json_t *row;

	json_array_foreach (rows, i, row) {
		char mk[8];
		if (strcmp(json_string_value(json_object_get(row, field)), name))
			continue;
		month_key(json_string_value(json_object_get(row, "inspected_on")), mk);
		if (strcmp(mk, month))
			continue;
		for (int g = 0; g < FIELD_NCATEGORIES; g++) {
			int sc =
			    score(json_string_value(json_object_get(row, field_categories[g])));
			sum += sc;
			n += sc > 0;
		}
	}
	return n ? (double)sum / n : 0;
}

/* names_of: the distinct values of field in rows, in order of first
 * record, at most max (a new array). */
static json_t *names_of(json_t *rows, const char *field, size_t max)
{
	json_t *names = json_array(), *row, *v;
	size_t i, k;

	json_array_foreach (rows, i, row) {
		json_t *c = json_object_get(row, field);
		int seen = 0;
		json_array_foreach (names, k, v)
			seen |= json_equal(v, c);
		if (!seen && json_array_size(names) < max)
			json_array_append(names, c);
	}
	return names;
}

/* trend_chart draws the mean grade per month, one series per compound or
 * station (field; the first eight). */
static int trend_chart(struct http_req *req, struct html *h, json_t *rows, const char *field,
		       const char *id, const char *title_key, char months[][16],
		       const char **labels)
{
	struct svg_series series[8];
	double vals[8][TREND_MONTHS];
	json_t *names = names_of(rows, field, 8);
	struct svg_chart chart = {
	    .title = req_t(req, title_key),
	    .desc = req_t(req, "report.trend_desc"),
	    .id = id,
	    .unit = req_t(req, "report.trend_unit"),
	    .width = 640,
	    .height = 260,
	    .legend = 1,
	};
	int n = 0, rc;

	for (size_t c = 0; c < json_array_size(names); c++) {
		const char *name = json_string_value(json_array_get(names, c));
		for (int k = 0; k < TREND_MONTHS; k++)
			vals[c][k] = mean_grade(rows, field, name, months[k]);
		series[n++] = (struct svg_series){name, vals[c], TREND_MONTHS, NULL};
	}
	html_printf(h, "<h3>%T</h3><div class=\"rp-chart\">", title_key);
	rc = svg_bar_chart(h->out, &chart, labels, TREND_MONTHS, series, n);
	html_printf(h, "</div>");
	json_decref(names);
	return rc;
}

/* trend draws the mean grade (A 3 .. C 1) per month of the last
 * TREND_MONTHS per compound and per station, and each station's as a
 * table. */
static int trend(struct http_req *req, struct html *h)
{
	char months[TREND_MONTHS][16], since[24];
	const char *labels[TREND_MONTHS];
	json_t *rows = NULL, *stations = NULL;
	int y, m, d, rc;

	lin_civil_from_days(lin_local_day((int64_t)time(NULL), LIN_SHANGHAI_OFFSET), &y, &m, &d);
	for (int k = TREND_MONTHS - 1; k >= 0; k--) {
		int idx = y * 12 + m - 1 - (TREND_MONTHS - 1 - k);
		snprintf(months[k], sizeof(months[k]), "%04d-%02d", idx / 12, idx % 12 + 1);
		labels[k] = months[k];
	}
	snprintf(since, sizeof(since), "%s-01", months[0]);
	rc = inspection_grades(req->db, req->sess.area_id, since, &rows);
	if (rc)
		goto out;
	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"insp-trend-h\"><h2 "
		    "id=\"insp-trend-h\">%T</h2>",
		    "report.trend");
	if (!json_array_size(rows)) {
		html_printf(h, "<p class=\"muted\">%T</p></section>", "report.empty");
		goto out;
	}
	rc = trend_chart(req, h, rows, "compound", "insp-trend", "report.trend_compound", months,
			 labels);
	if (!rc)
		rc = trend_chart(req, h, rows, "station", "insp-trend-s", "report.trend_station",
				 months, labels);
	if (rc)
		goto out;
	stations = names_of(rows, "station", SIZE_MAX);
	html_printf(h,
		    "<div class=\"st-scroll\"><table class=\"rp-table\"><caption>%T</caption>"
		    "<thead><tr><th scope=\"col\">%T</th>",
		    "report.trend_station", "report.col.station");
	for (int k = 0; k < TREND_MONTHS; k++)
		html_printf(h, "<th scope=\"col\" class=\"num\">%s</th>", months[k]);
	html_printf(h, "</tr></thead><tbody>");
	for (size_t s = 0; s < json_array_size(stations); s++) {
		const char *name = json_string_value(json_array_get(stations, s));
		html_printf(h, "<tr><th scope=\"row\">%s</th>", name);
		for (int k = 0; k < TREND_MONTHS; k++) {
			double v = mean_grade(rows, "station", name, months[k]);
			html_printf(h, "<td class=\"num\">%s</td>",
				    v > 0 ? arena_printf(req->arena, "%.1f", v) : "—");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h, "</tbody></table></div><p class=\"muted rp-note\">%T</p></section>",
		    "report.grade_scale");
out:
	json_decref(rows);
	json_decref(stations);
	return rc;
}

/* writable_stations: the live stations the reader may write for. */
static int writable(struct http_req *req, json_t *all, int station)
{
	size_t i;
	json_t *s;
	int n = 0;

	json_array_foreach (all, i, s) {
		struct field_place p;
		int64_t id = json_integer_value(json_object_get(s, "id"));
		int ok = station ? !field_station(req->db, req->sess.area_id, id, &p)
				 : !field_route(req->db, req->sess.area_id, id, &p);
		ok = ok && !field_may_write(req, &p);
		json_object_set_new(s, "may", json_boolean(ok));
		n += ok;
	}
	return n;
}

static void inspection_form(struct http_req *req, struct html *h, json_t *stations)
{
	size_t i;
	json_t *s;
	char now[11];
	int y, m, d;

	lin_civil_from_days(lin_local_day((int64_t)time(NULL), LIN_SHANGHAI_OFFSET), &y, &m, &d);
	snprintf(now, sizeof(now), "%04d-%02d-%02d", y, m, d);
	html_printf(h,
		    "<form method=\"post\" action=\"/inspections\" class=\"card\" "
		    "enctype=\"multipart/form-data\" aria-labelledby=\"insp-new\"><h2 "
		    "id=\"insp-new\">%T</h2>",
		    "report.insp.new");
	page_csrf_field(req, h);
	html_printf(h,
		    "<label for=\"f-station_id\">%T</label><select id=\"f-station_id\" "
		    "name=\"station_id\" required>",
		    "report.col.station");
	json_array_foreach (stations, i, s) {
		if (!json_is_true(json_object_get(s, "may")))
			continue;
		html_printf(h, "<option value=\"%l\">%s · %s</option>",
			    (int64_t)json_integer_value(json_object_get(s, "id")),
			    json_string_value(json_object_get(s, "compound")),
			    json_string_value(json_object_get(s, "name")));
	}
	html_printf(
	    h,
	    "</select><label for=\"f-inspected_on\">%T</label><input type=\"date\" "
	    "id=\"f-inspected_on\" name=\"inspected_on\" value=\"%s\" max=\"%s\" required>"
	    "<label for=\"f-inspector\">%T</label><input id=\"f-inspector\" name=\"inspector\" "
	    "maxlength=\"64\" value=\"%s\">",
	    "report.col.date", now, now, "report.col.inspector",
	    req->sess.name ? req->sess.name : "");
	html_printf(h, "<fieldset class=\"grades\"><legend>%T</legend>", "report.grade_scale");
	for (int c = 0; c < FIELD_NCATEGORIES; c++) {
		const char *cat = field_categories[c];
		html_printf(h, "<fieldset id=\"f-%s\" class=\"grade\"><legend>%T</legend>", cat,
			    arena_printf(req->arena, "report.cat.%s", cat));
		for (int g = 0; g < 4; g++) {
			static const char *const v[] = {"A", "B", "C", ""};
			html_printf(h,
				    "<label class=\"radio\"><input type=\"radio\" name=\"%s\" "
				    "value=\"%s\"%R> %s</label>",
				    cat, v[g], g == 3 ? " checked" : "",
				    g == 3 ? req_t(req, "report.not_graded") : v[g]);
		}
		html_printf(h, "</fieldset>");
	}
	html_printf(
	    h,
	    "</fieldset><label for=\"f-remarks\">%T</label><textarea id=\"f-remarks\" "
	    "name=\"remarks\" rows=\"3\" maxlength=\"2000\"></textarea>"
	    "<label for=\"f-photo\">%T</label><input type=\"file\" id=\"f-photo\" "
	    "name=\"photo\" accept=\"image/jpeg,image/png,image/webp\" capture=\"environment\">"
	    "<button type=\"submit\" class=\"primary\">%T</button></form>",
	    "report.col.remarks", "report.col.photo", "report.save");
}

static int inspections_page_with(struct http_req *req, struct http_resp *resp,
				 const struct field_error *err, int status)
{
	struct html h = {&resp->body, req->lang};
	json_t *stations = NULL, *rows = NULL, *row;
	size_t i;
	int rc, nwrite;

	buf_reset(&resp->body);
	rc = field_stations(req->db, req->sess.area_id, &stations);
	if (!rc)
		rc = inspections_list(req->db, req->sess.area_id, 0, field_reader_filter(req),
				      PAGE_LIST, &rows);
	if (rc)
		goto out;
	nwrite = writable(req, stations, 1);
	page_head(req, &h, "report.insp.title", "inspections", "patrols", "report.patrol.title",
		  err);
	if (nwrite)
		inspection_form(req, &h, stations);
	rc = trend(req, &h);
	if (rc)
		goto out;
	html_printf(
	    &h,
	    "<section class=\"card\"><h2>%T</h2><div class=\"st-scroll\"><table "
	    "class=\"rp-table\"><thead><tr><th scope=\"col\">%T</th><th scope=\"col\">%T</th>"
	    "<th scope=\"col\">%T</th><th scope=\"col\">%T</th><th scope=\"col\">%T</th>"
	    "</tr></thead><tbody>",
	    "report.latest", "report.col.date", "report.col.station", "report.col.grades",
	    "report.col.remarks", "report.col.case");
	json_array_foreach (rows, i, row) {
		struct field_place p;
		int may =
		    !field_station(req->db, req->sess.area_id,
				   json_integer_value(json_object_get(row, "station_id")), &p) &&
		    !field_may_write(req, &p);
		html_printf(&h, "<tr><td>%s</td><td>%s · %s</td><td>",
			    json_string_value(json_object_get(row, "inspected_on")),
			    json_string_value(json_object_get(row, "compound")),
			    json_string_value(json_object_get(row, "station")));
		for (int c = 0; c < FIELD_NCATEGORIES; c++) {
			const char *g =
			    json_string_value(json_object_get(row, field_categories[c]));
			if (g)
				html_printf(
				    &h, "<span class=\"grade grade-%s\">%T %s</span> ", g,
				    arena_printf(req->arena, "report.cat.%s", field_categories[c]),
				    g);
		}
		html_printf(&h, "</td><td>%s <small class=\"muted\">%s</small></td>",
			    json_string_value(json_object_get(row, "remarks")),
			    json_string_value(json_object_get(row, "inspector")));
		case_cell(req, &h, row, "inspections", may);
		html_printf(&h, "</tr>");
	}
	if (!json_array_size(rows))
		html_printf(&h, "<tr><td colspan=\"5\" class=\"muted\">%T</td></tr>",
			    "report.empty");
	html_printf(&h, "</tbody></table></div></section>");
	page_end(req, &h);
	resp->status = status;
out:
	json_decref(stations);
	json_decref(rows);
	return rc;
}

static int inspections_page(struct http_req *req, struct http_resp *resp)
{
	return inspections_page_with(req, resp, NULL, 200);
}

/* photo_part: the form's photo, if one was chosen. */
static const struct multipart_part *photo_part(const struct multipart_part *parts, int n)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(parts[k].name, "photo") && parts[k].filename && parts[k].len)
			return &parts[k];
	return NULL;
}

static int inspection_post(struct http_req *req, struct http_resp *resp)
{
	struct field_error err = {NULL, NULL};
	struct field_src src = {NULL, NULL, 0};
	struct multipart_part *parts = NULL;
	const struct multipart_part *photo;
	struct inspection_new in;
	struct field_place st;
	struct case_photo kept;
	const char *ct = req_header(req, "Content-Type");
	char boundary[128];
	int64_t id;
	int rc, nparts = 0;

	if (!ct || multipart_boundary(ct, boundary, sizeof(boundary)) ||
	    multipart_parse(req->arena, boundary, (const unsigned char *)req->body, req->body_len,
			    64, &parts, &nparts))
		return resp_error(req, resp, 400, "bad_form", "err.bad_form");
	/* the route skips the door's check: a form from a session carries its token */
	if (req->sess.kind == AUTH_COOKIE) {
		const char *sent = multipart_text(req->arena, parts, nparts, "_csrf");
		if (!sent || !req->sess.csrf || strcmp(sent, req->sess.csrf))
			return resp_error(req, resp, 403, "csrf", "err.csrf");
	}
	src.parts = parts;
	src.nparts = nparts;
	rc = field_inspection_parse(req, &src, &st, &in, &err);
	if (!rc)
		rc = field_may_write(req, &st);
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "report.err.not_yours");
	if (rc == LIN_EINVAL)
		return inspections_page_with(req, resp, &err, 422);
	if (rc)
		return rc;
	photo = photo_part(parts, nparts);
	if (photo) {
		rc = cases_photo_keep(req->route->data, photo->data, photo->len, &kept);
		err.key = rc == LIN_EINVAL    ? "case.err.photo_type"
			  : rc == LIN_ETOOBIG ? "case.err.photo_big"
			  : rc == LIN_ERANGE  ? "case.err.photo_pixels"
			  : rc == LIN_ENOSPC  ? "case.err.disk_low"
					      : NULL;
		if (err.key) {
			err.field = "photo";
			return inspections_page_with(req, resp, &err, 422);
		}
		if (rc)
			return rc;
		in.photo_sha256 = kept.sha256;
		in.photo_mime = kept.mime;
		in.photo_bytes = kept.bytes;
	}
	rc = inspection_add(req->db, &req->sess, &in, &id);
	if (rc)
		return rc;
	return resp_redirect(
	    req, resp, arena_printf(req->arena, "/inspections?saved=%lld#main", (long long)id));
}

/* tap_answer: the one tap from a page: to the case, or the reason. */
static int tap_answer(struct http_req *req, struct http_resp *resp, int rc,
		      const struct field_case *fc)
{
	if (!rc || rc == LIN_ECONFLICT)
		return resp_redirect(
		    req, resp, arena_printf(req->arena, "/cases/%lld", (long long)fc->case_id));
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "report.err.not_yours");
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid",
				  fc->err_key ? fc->err_key : "report.err.nothing_seen");
	return rc;
}

static int inspection_case_post(struct http_req *req, struct http_resp *resp)
{
	struct field_case fc = {0};
	int64_t id;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	return tap_answer(req, resp, field_inspection_case(req, id, &fc), &fc);
}

/* ------------------------------------------------------------ patrols */

/* meters_box: what the area's meters read now, beside the form. */
static void meters_box(struct http_req *req, struct html *h)
{
	json_t *live = NULL, *m;
	size_t i;

	html_printf(h,
		    "<aside class=\"card meters-now\" aria-labelledby=\"meters-h\"><h2 "
		    "id=\"meters-h\">%T</h2><ul class=\"rows\">",
		    "report.patrol.meters");
	if (!noise_live_now(req, &live)) {
		json_array_foreach (json_object_get(live, "meters"), i, m) {
			json_t *level = json_object_get(m, "level");
			html_printf(h, "<li><b>%s</b> ",
				    json_string_value(json_object_get(m, "name")));
			if (json_is_number(level))
				html_printf(
				    h, "<span class=\"level\">%s dB(A)</span>",
				    arena_printf(req->arena, "%.1f", json_number_value(level)));
			else
				html_printf(h, "<span class=\"muted\">%T</span>",
					    "report.patrol.no_reading");
			html_printf(h, "</li>");
		}
	}
	html_printf(h, "</ul><p class=\"muted rp-note\">%T</p></aside>",
		    "report.patrol.meters_note");
	json_decref(live);
}

static void patrol_form(struct http_req *req, struct html *h, json_t *routes)
{
	size_t i;
	json_t *r;

	html_printf(h,
		    "<form method=\"post\" action=\"/patrols\" class=\"card\" "
		    "aria-labelledby=\"patrol-new\"><h2 id=\"patrol-new\">%T</h2>",
		    "report.patrol.new");
	page_csrf_field(req, h);
	html_printf(h,
		    "<label for=\"f-route_id\">%T</label><select id=\"f-route_id\" "
		    "name=\"route_id\" required>",
		    "report.col.route");
	json_array_foreach (routes, i, r) {
		if (json_is_true(json_object_get(r, "may")))
			html_printf(h, "<option value=\"%l\">%s</option>",
				    (int64_t)json_integer_value(json_object_get(r, "id")),
				    json_string_value(json_object_get(r, "name")));
	}
	html_printf(h,
		    "</select><label for=\"f-kind\">%T</label><select id=\"f-kind\" "
		    "name=\"kind\">",
		    "report.col.kind");
	for (int k = 0; k < FIELD_NKINDS; k++)
		html_printf(h, "<option value=\"%s\">%T</option>", field_kinds[k],
			    arena_printf(req->arena, "report.kind.%s", field_kinds[k]));
	html_printf(
	    h,
	    "</select><label for=\"f-seen\">%T</label><textarea id=\"f-seen\" name=\"seen\" "
	    "rows=\"3\" maxlength=\"2000\" required></textarea><label "
	    "for=\"f-spoken_to\">%T</label><input id=\"f-spoken_to\" name=\"spoken_to\" "
	    "maxlength=\"200\"><p class=\"muted\">%T</p><button type=\"submit\" "
	    "class=\"primary\">%T</button></form>",
	    "report.col.seen", "report.col.spoken_to", "report.patrol.time_note", "report.save");
}

static int patrols_page_with(struct http_req *req, struct http_resp *resp,
			     const struct field_error *err, int status)
{
	struct html h = {&resp->body, req->lang};
	json_t *routes = NULL, *rows = NULL, *row;
	size_t i;
	int rc, nwrite;

	buf_reset(&resp->body);
	rc = field_routes(req->db, req->sess.area_id, &routes);
	if (!rc)
		rc = patrols_list(req->db, req->sess.area_id, 0, field_reader_filter(req),
				  PAGE_LIST, &rows);
	if (rc)
		goto out;
	nwrite = writable(req, routes, 0);
	page_head(req, &h, "report.patrol.title", "patrols", "inspections", "report.insp.title",
		  err);
	html_printf(&h, "<div class=\"patrol-grid\">");
	if (nwrite)
		patrol_form(req, &h, routes);
	meters_box(req, &h);
	html_printf(
	    &h,
	    "</div><section class=\"card\"><h2>%T</h2><div class=\"st-scroll\"><table "
	    "class=\"rp-table\"><thead><tr><th scope=\"col\">%T</th><th scope=\"col\">%T</th>"
	    "<th scope=\"col\">%T</th><th scope=\"col\">%T</th><th scope=\"col\">%T</th>"
	    "</tr></thead><tbody>",
	    "report.latest", "report.col.at", "report.col.route", "report.col.seen",
	    "report.col.level", "report.col.case");
	json_array_foreach (rows, i, row) {
		struct field_place p;
		time_t t =
		    (time_t)json_integer_value(json_object_get(row, "at")) + LIN_SHANGHAI_OFFSET;
		struct tm tm;
		char when[24];
		json_t *level = json_object_get(row, "level_centi");
		int may = !field_route(req->db, req->sess.area_id,
				       json_integer_value(json_object_get(row, "route_id")), &p) &&
			  !field_may_write(req, &p);
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		html_printf(&h, "<tr><td>%s</td><td>%s</td><td><b>%T</b> %s", when,
			    json_string_value(json_object_get(row, "route")),
			    arena_printf(req->arena, "report.kind.%s",
					 json_string_value(json_object_get(row, "kind"))),
			    json_string_value(json_object_get(row, "seen")));
		if (*json_string_value(json_object_get(row, "spoken_to")))
			html_printf(&h, " <small class=\"muted\">%T%s</small>",
				    "report.case.spoken",
				    json_string_value(json_object_get(row, "spoken_to")));
		html_printf(&h, "</td><td class=\"num\">%s</td>",
			    json_is_integer(level)
				? arena_printf(req->arena, "%.1f",
					       (double)json_integer_value(level) / 100.0)
				: "—");
		case_cell(req, &h, row, "patrols", may);
		html_printf(&h, "</tr>");
	}
	if (!json_array_size(rows))
		html_printf(&h, "<tr><td colspan=\"5\" class=\"muted\">%T</td></tr>",
			    "report.empty");
	html_printf(&h, "</tbody></table></div></section>");
	page_end(req, &h);
	resp->status = status;
out:
	json_decref(routes);
	json_decref(rows);
	return rc;
}

static int patrols_page(struct http_req *req, struct http_resp *resp)
{
	return patrols_page_with(req, resp, NULL, 200);
}

static int patrol_post(struct http_req *req, struct http_resp *resp)
{
	struct field_error err = {NULL, NULL};
	struct patrol_new in;
	struct field_place route;
	int64_t id;
	int rc = field_patrol_parse(req, &(struct field_src){NULL, NULL, 0}, &route, &in, &err);

	if (!rc)
		rc = field_may_write(req, &route);
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "report.err.not_yours");
	if (rc == LIN_EINVAL)
		return patrols_page_with(req, resp, &err, 422);
	if (!rc)
		rc = patrol_add(req->db, &req->sess, &in, &id);
	if (rc)
		return rc;
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/patrols?saved=%lld#main", (long long)id));
}

static int patrol_case_post(struct http_req *req, struct http_resp *resp)
{
	struct field_case fc = {0};
	int64_t id;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	return tap_answer(req, resp, field_patrol_case(req, id, &fc), &fc);
}

int field_page_routes(struct router *r, const struct cases_uploads *up)
{
	const struct route routes[] = {
	    {"GET", "/inspections", inspections_page, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    /* a form with a photo: its own CSRF check, the upload cap */
	    {"POST", "/inspections", inspection_post, PERM_INSPECTIONS_WRITE,
	     ROUTE_NO_CSRF | ROUTE_UPLOAD, (void *)up, 0},
	    {"POST", "/inspections/:id/case", inspection_case_post, PERM_INSPECTIONS_WRITE, 0, NULL,
	     0},
	    {"GET", "/patrols", patrols_page, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {"POST", "/patrols", patrol_post, PERM_INSPECTIONS_WRITE, 0, NULL, 0},
	    {"POST", "/patrols/:id/case", patrol_case_post, PERM_INSPECTIONS_WRITE, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
