/* The staggered timetable for the notice board (/schedule), its
 * publication by staff, per-team compliance and the plaza's plan. */
#include "plaza.h"
#include "instance.h"
#include "publish.h"
#include "store.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../home/home.h"
#include "../noise/noise.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/svg.h"
#include "../web/router.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define COMPLIANCE_WEEKS   4
#define PUBLISH_TIME_LIMIT 10.0 /* seconds CBC may take while staff wait */

static const char *const day_keys[] = {"plaza.day.1", "plaza.day.2", "plaza.day.3", "plaza.day.4",
				       "plaza.day.5", "plaza.day.6", "plaza.day.7"};

/* week_param: the Monday of ?week= (any day of that week), or of this
 * week; 0, or LIN_EINVAL for a bad date. */
static int week_param(struct http_req *req, char monday[11])
{
	const char *q = req_query(req, "week");
	int64_t t = (int64_t)time(NULL);

	if (q && *q) {
		int y, m, d;
		if (parse_date(q, &y, &m, &d) || plaza_monday_epoch(q, &t))
			return LIN_EINVAL;
		t += 43200;
	}
	plaza_local(t, NULL, NULL, monday);
	return 0;
}

static int api_schedule(struct http_req *req, struct http_resp *resp)
{
	char monday[11];
	json_t *week = NULL;
	int rc;

	if (week_param(req, monday))
		return resp_error(req, resp, 400, "bad_request", "plaza.err.week");
	rc = plaza_week_get(req->db, req->sess.area_id, monday, &week);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "plaza.unpublished");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200, week);
}

static int api_compliance(struct http_req *req, struct http_resp *resp)
{
	char monday[11];
	json_t *c = NULL;

	if (week_param(req, monday))
		return resp_error(req, resp, 400, "bad_request", "plaza.err.week");
	if (plaza_compliance(req->db, req->sess.area_id, monday, COMPLIANCE_WEEKS, &c))
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200, json_pack("{s:s, s:o}", "week_start", monday, "teams", c));
}

/* where_on_site_plan shows the plaza (the place of its first zone) on the
 * area's site plan, the same drawing as the case map's. */
static void where_on_site_plan(struct http_req *req, struct html *h)
{
	json_t *zones = NULL, *place;
	struct registry_plan plan;
	struct buf svg;

	if (plaza_zones_read(req->db, req->sess.area_id, &zones) ||
	    !json_is_integer(place = json_object_get(json_array_get(zones, 0), "place_id")) ||
	    registry_plan_load(req->db, req->sess.area_id, &plan)) {
		json_decref(zones);
		return;
	}
	buf_init(&svg, BUF_DEFAULT_MAX);
	if (!registry_plan_locator(&svg, &plan, json_integer_value(place), "plaza-site",
				   req_t(req, "plaza.where")))
		html_printf(h,
			    "<figure class=\"plaza-where\">%R<figcaption>%T</figcaption></figure>",
			    svg.buf, "plaza.where_caption");
	buf_release(&svg);
	registry_plan_release(&plan);
	json_decref(zones);
}

/* zone_key: the letter of the ith zone on the plan and in its key. */
static const char *zone_key(size_t i)
{
	static const char *const letters[] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
					      "J", "K", "L", "M", "N", "O", "P", "Q", "R",
					      "S", "T", "U", "V", "W", "X", "Y", "Z"};
	return letters[i % 26];
}

#define PLAN_TEXT_PX 14.0 /* the plan's text, in pixels once drawn at its width */

/* plan_svg draws the zones and the receptors on the plaza's plan, north
 * up, at true scale, laid out to be drawn px pixels wide so that its text
 * is PLAN_TEXT_PX there. A zone too small for its name at that size and
 * every receptor carry a key (A, B, … and 1, 2, …) explained in the list
 * under the plan, which wraps with the width. cls adds a class to the
 * figure. */
static void plan_svg(struct http_req *req, struct html *h, double px, const char *cls)
{
	double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18, fs = 0, m = 1500;
	uint64_t lettered = 0; /* zones drawn with their letter, by index */
	json_t *zones = NULL, *receptors = NULL, *row;
	int64_t pts[32][2];
	char font[16], r[16];
	size_t i;

	if (plaza_zones_read(req->db, req->sess.area_id, &zones) ||
	    plaza_receptors_read(req->db, req->sess.area_id, &receptors))
		goto out;
	/* Bounds first: every zone point and receptor. */
	json_array_foreach (zones, i, row) {
		int n =
		    parse_shape(json_string_value(json_object_get(row, "shape")), pts, 32, 1000000);
		for (int k = 0; k < n; k++) {
			minx = fmin(minx, (double)pts[k][0]);
			maxx = fmax(maxx, (double)pts[k][0]);
			miny = fmin(miny, (double)pts[k][1]);
			maxy = fmax(maxy, (double)pts[k][1]);
		}
	}
	json_array_foreach (receptors, i, row) {
		double x = (double)json_integer_value(json_object_get(row, "x_centi"));
		double y = (double)json_integer_value(json_object_get(row, "y_centi"));
		minx = fmin(minx, x);
		maxx = fmax(maxx, x);
		miny = fmin(miny, y);
		maxy = fmax(maxy, y);
	}
	if (minx > maxx)
		goto out;
	/* The font (viewBox units) follows the width, the margin (room for a
	 * receptor's number) the font: a few rounds settle both. */
	for (int round = 0; round < 4; round++) {
		fs = (maxx - minx + 2 * m) / 10 * PLAN_TEXT_PX / px;
		m = fmin(fmax(1500, fs * 25), 100000);
	}
	minx -= m, maxx += m, miny -= m, maxy += m;
	snprintf(font, sizeof(font), "%.0f", fs);
	snprintf(r, sizeof(r), "%.0f", fs * 0.5);
	html_printf(h,
		    "<figure class=\"plaza-plan %s\"><svg viewBox=\"0 0 %d %d\" font-size=\"%s\" "
		    "role=\"img\" aria-label=\"%T\">",
		    cls, (int)((maxx - minx) / 10), (int)((maxy - miny) / 10), font, "plaza.plan");
	json_array_foreach (zones, i, row) {
		int n =
		    parse_shape(json_string_value(json_object_get(row, "shape")), pts, 32, 1000000);
		const char *name = json_string_value(json_object_get(row, "name"));
		double cx = 0, cy = 0, lo = 1e18, hi = -1e18;
		char buf[32];
		html_printf(h, "<polygon class=\"zone z%l\" points=\"",
			    (int64_t)json_integer_value(json_object_get(row, "id")) % 6);
		for (int k = 0; k < n; k++) {
			double x = ((double)pts[k][0] - minx) / 10;
			double y = (maxy - (double)pts[k][1]) / 10;
			snprintf(buf, sizeof(buf), "%.0f,%.0f ", x, y);
			html_printf(h, "%s", buf);
			cx += x / n;
			cy += y / n;
			lo = fmin(lo, x);
			hi = fmax(hi, x);
		}
		snprintf(buf, sizeof(buf), "%.0f", cx);
		html_printf(h, "\"/><text class=\"zone-name\" x=\"%s\"", buf);
		snprintf(buf, sizeof(buf), "%.0f", cy + fs * 0.35);
		if (svg_text_width(name, fs) + fs * 0.4 > hi - lo && i < 64)
			lettered |= (uint64_t)1 << i;
		html_printf(h, " y=\"%s\" text-anchor=\"middle\">%s</text>", buf,
			    i < 64 && lettered >> i & 1 ? zone_key(i) : name);
	}
	json_array_foreach (receptors, i, row) {
		double x =
		    ((double)json_integer_value(json_object_get(row, "x_centi")) - minx) / 10;
		double y =
		    (maxy - (double)json_integer_value(json_object_get(row, "y_centi"))) / 10;
		char cx[16], cy[16], ty[16];
		snprintf(cx, sizeof(cx), "%.0f", x);
		snprintf(cy, sizeof(cy), "%.0f", y);
		snprintf(ty, sizeof(ty), "%.0f", y + fs * 0.35);
		html_printf(
		    h,
		    "<circle class=\"receptor\" cx=\"%s\" cy=\"%s\" r=\"%s\"/><text "
		    "class=\"receptor-name\" x=\"%s\" y=\"%s\" text-anchor=\"middle\">%l</text>",
		    cx, cy, font, cx, ty, (int64_t)i + 1);
	}
	/* The key: every zone (its colour, its letter when the plan has no
	 * room for its name) and every receptor by number. */
	html_printf(h, "</svg><ul class=\"plan-key\">");
	json_array_foreach (zones, i, row)
		html_printf(h, "<li><span class=\"key zone-key z%l\">%s</span> %s</li>",
			    (int64_t)json_integer_value(json_object_get(row, "id")) % 6,
			    i < 64 && lettered >> i & 1 ? zone_key(i) : "",
			    json_string_value(json_object_get(row, "name")));
	json_array_foreach (receptors, i, row)
		html_printf(h, "<li><span class=\"key receptor-key\">%l</span> %s</li>",
			    (int64_t)i + 1, json_string_value(json_object_get(row, "name")));
	html_printf(h, "</ul><figcaption>%T</figcaption></figure>", "plaza.plan_caption");
out:
	json_decref(zones);
	json_decref(receptors);
}

/* distances_table: each zone's distance to each receptor (from the zone's
 * centroid, as the optimiser uses it) and the receptors' limits. */
static void distances_table(struct http_req *req, struct html *h, const char *monday)
{
	struct plaza_week w;

	if (plaza_week_build(req->db, req->sess.area_id, monday, &w))
		return;
	if (w.in.nreceptors) {
		html_printf(h,
			    "<h2>%T</h2><p class=\"hint\">%T</p><div class=\"table-wrap\"><table "
			    "class=\"compliance\"><thead><tr><th>%T</th>",
			    "plaza.distances", "plaza.distances_hint", "entity.receptors.one");
		for (int z = 0; z < w.in.nzones; z++)
			html_printf(h, "<th>%s</th>", w.in.zone[z].name);
		html_printf(h, "<th>%T</th></tr></thead><tbody>", "plaza.limit_bg");
		for (int r = 0; r < w.in.nreceptors; r++) {
			char lim[16], bg[16];
			html_printf(h, "<tr><th scope=\"row\">%s</th>", w.in.receptor[r].name);
			for (int z = 0; z < w.in.nzones; z++) {
				char d[16];
				snprintf(d, sizeof(d), "%.1f", w.in.dist_dm[z][r] / 10.0);
				html_printf(h, "<td>%s m</td>", d);
			}
			snprintf(lim, sizeof(lim), "%.1f", w.in.receptor[r].limit_centi / 100.0);
			snprintf(bg, sizeof(bg), "%.1f", w.in.receptor[r].background_centi / 100.0);
			html_printf(h, "<td>%s / %s dB(A)</td></tr>", lim, bg);
		}
		html_printf(h, "</tbody></table></div>");
	}
	plaza_week_release(&w);
}

/* timetable_grid: the week as a table, a row per start time and a column
 * per day (on phones day_tabs stands in for it). On the notice (notice
 * set) prime time is not marked: it is the planner's business. */
static void timetable_grid(struct http_req *req, struct html *h, json_t *week, int notice)
{
	json_t *sessions = json_object_get(week, "sessions"), *s;
	const char *starts[64];
	int nstarts = 0;
	size_t i;

	/* The rows: every distinct start time, in order (sessions are sorted
	 * by day then start, so collect and sort). */
	json_array_foreach (sessions, i, s) {
		const char *st = json_string_value(json_object_get(s, "start"));
		int k = 0;
		while (k < nstarts && strcmp(starts[k], st))
			k++;
		if (k == nstarts && nstarts < 64)
			starts[nstarts++] = st;
	}
	for (int a = 1; a < nstarts; a++)
		for (int b = a; b > 0 && strcmp(starts[b - 1], starts[b]) > 0; b--) {
			const char *t = starts[b];
			starts[b] = starts[b - 1];
			starts[b - 1] = t;
		}
	html_printf(
	    h, "<div class=\"timetable-wrap\"><table class=\"timetable\"><thead><tr><th>%T</th>",
	    "plaza.time");
	for (int d = 0; d < 7; d++)
		html_printf(h, "<th>%T</th>", day_keys[d]);
	html_printf(h, "</tr></thead><tbody>");
	for (int r = 0; r < nstarts; r++) {
		const char *end = "";
		json_array_foreach (sessions, i, s)
			if (!strcmp(json_string_value(json_object_get(s, "start")), starts[r]))
				end = json_string_value(json_object_get(s, "end"));
		html_printf(h, "<tr><th scope=\"row\">%s–%s</th>", starts[r], end);
		for (int d = 1; d <= 7; d++) {
			html_printf(h, "<td>");
			json_array_foreach (sessions, i, s) {
				if (json_integer_value(json_object_get(s, "day")) != d ||
				    strcmp(json_string_value(json_object_get(s, "start")),
					   starts[r]))
					continue;
				html_printf(
				    h, "<div class=\"session z%l%R\"><b>%s</b> %s</div>",
				    (int64_t)(json_integer_value(json_object_get(s, "zone_id")) %
					      6),
				    !notice && json_is_true(json_object_get(s, "prime")) ? " prime"
											 : "",
				    json_string_value(json_object_get(s, "zone")),
				    json_string_value(json_object_get(s, "team")));
			}
			html_printf(h, "</td>");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h, "</tbody></table></div>");
	if (!notice)
		html_printf(
		    h, "<p class=\"hint\"><span class=\"session prime legend\">%T</span> %T</p>",
		    "plaza.prime", "plaza.prime_hint");
}

/* day_tabs: the week for a phone, a tab per day and that day's sessions
 * under it. Radio buttons and CSS switch the days, so it works without
 * script; today's tab is open when the week is this week, else Monday's.
 * Prime time is marked as in the grid, except on the notice.
 * The stylesheet shows it instead of timetable_grid below 760 px. */
static void day_tabs(struct http_req *req, struct html *h, json_t *week, const char *monday,
		     int notice)
{
	json_t *sessions = json_object_get(week, "sessions"), *s;
	char this_monday[11];
	int today = 1;
	size_t i;

	plaza_local((int64_t)time(NULL), &today, NULL, this_monday);
	if (strcmp(this_monday, monday))
		today = 1;
	html_printf(h, "<div class=\"day-tabs\" role=\"group\" aria-label=\"%T\">",
		    "plaza.day_tabs");
	for (int d = 1; d <= 7; d++)
		html_printf(h,
			    "<input type=\"radio\" name=\"day\" id=\"day-%d\" class=\"day-radio\" "
			    "aria-label=\"%T\"%R>",
			    d, day_keys[d - 1], d == today ? " checked" : "");
	html_printf(h, "<div class=\"day-labels\" aria-hidden=\"true\">");
	for (int d = 1; d <= 7; d++)
		html_printf(h, "<label for=\"day-%d\">%T</label>", d, day_keys[d - 1]);
	html_printf(h, "</div>");
	for (int d = 1; d <= 7; d++) {
		int n = 0;
		html_printf(h, "<section class=\"day-panel\"><h3>%T</h3><ul>", day_keys[d - 1]);
		json_array_foreach (sessions, i, s) {
			if (json_integer_value(json_object_get(s, "day")) != d)
				continue;
			n++;
			html_printf(
			    h,
			    "<li class=\"session z%l%R\"><span class=\"when\">%s–%s</span> "
			    "<b>%s</b> %s</li>",
			    (int64_t)(json_integer_value(json_object_get(s, "zone_id")) % 6),
			    !notice && json_is_true(json_object_get(s, "prime")) ? " prime" : "",
			    json_string_value(json_object_get(s, "start")),
			    json_string_value(json_object_get(s, "end")),
			    json_string_value(json_object_get(s, "zone")),
			    json_string_value(json_object_get(s, "team")));
		}
		if (!n)
			html_printf(h, "<li class=\"none\">%T</li>", "plaza.day_free");
		html_printf(h, "</ul></section>");
	}
	html_printf(h, "</div>");
}

void plaza_compliance_html(struct http_req *req, struct html *h, const char *monday, int nweeks)
{
	json_t *c = NULL, *team;
	const char *name;
	char weeks[PLAZA_COMPLIANCE_MAX][11];

	if (nweeks < 1 || nweeks > PLAZA_COMPLIANCE_MAX ||
	    plaza_compliance(req->db, req->sess.area_id, monday, nweeks, &c))
		return;
	for (int k = 0; k < nweeks; k++)
		plaza_monday_add(monday, k - (nweeks - 1), weeks[k]);
	html_printf(h, "<h2>%T</h2><p class=\"hint\">%T</p>",
		    nweeks == COMPLIANCE_WEEKS ? "plaza.compliance" : "plaza.compliance_weeks",
		    "plaza.compliance_hint");
	if (!json_object_size(c)) {
		html_printf(h, "<p class=\"empty\">%T</p>", "plaza.compliance_none");
		json_decref(c);
		return;
	}
	html_printf(h,
		    "<div class=\"table-wrap\"><table class=\"compliance\"><thead><tr><th>%T</th>",
		    "plaza.team");
	for (int k = 0; k < nweeks; k++)
		html_printf(h, "<th>%s</th>", weeks[k] + 5);
	html_printf(h, "</tr></thead><tbody>");
	json_object_foreach (c, name, team) {
		html_printf(h, "<tr><th scope=\"row\">%s</th>", name);
		for (int k = 0; k < nweeks; k++) {
			json_t *wk = json_object_get(team, weeks[k]);
			int64_t sessions = json_integer_value(json_object_get(wk, "sessions"));
			int64_t measured = json_integer_value(json_object_get(wk, "measured"));
			int64_t over = json_integer_value(json_object_get(wk, "minutes_over"));
			if (!wk) {
				html_printf(h, "<td class=\"none\">—</td>");
				continue;
			}
			if (!measured) {
				/* No meter heard any of its sessions: "0 minutes
				 * over" would claim a silence nobody measured. */
				html_printf(
				    h,
				    "<td class=\"unmeasured\">%T<br><small>%l/%l %T</small></td>",
				    "plaza.unmeasured", measured, sessions, "plaza.measured");
				continue;
			}
			char per[16];
			snprintf(per, sizeof(per), "%.1f", (double)over / (double)measured);
			html_printf(h, "<td%R><b>%l</b> %T<br><small>%s %T · %l/%l %T</small></td>",
				    over ? " class=\"over\"" : "", over, "plaza.minutes_over", per,
				    "plaza.per_session", measured, sessions, "plaza.measured");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h, "</tbody></table></div>");
	json_decref(c);
}

static int schedule_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	char monday[11], prev[11], next[11], when[32];
	json_t *week = NULL, *unplaced, *u;
	size_t i;
	int rc;

	if (week_param(req, monday))
		return resp_error(req, resp, 400, "bad_request", "plaza.err.week");
	plaza_monday_add(monday, -1, prev);
	plaza_monday_add(monday, 1, next);
	rc = plaza_week_get(req->db, req->sess.area_id, monday, &week);
	if (rc && rc != LIN_ENOTFOUND)
		return resp_error(req, resp, 500, "internal", "err.internal");
	page_begin(req, &h, req_t(req, "plaza.timetable"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%T <small>%s</small></h1><nav class=\"week-nav "
		    "no-print\"><a href=\"/schedule?week=%s\">← %T</a> <a "
		    "href=\"/schedule?week=%s\">%T →</a> <a class=\"button\" "
		    "href=\"/schedule/notice?week=%s\">%T</a> <button type=\"button\" "
		    "data-print hidden>%T</button></nav></div>",
		    "plaza.timetable", monday, prev, "plaza.prev_week", next, "plaza.next_week",
		    monday, "plaza.notice", "plaza.print");
	if (perm_allows(req->sess.role, PERM_NOISE_WRITE)) {
		html_printf(&h,
			    "<form method=\"post\" action=\"/schedule/publish\" class=\"no-print "
			    "publish\">");
		page_csrf_field(req, &h);
		html_printf(
		    &h,
		    "<input type=\"hidden\" name=\"week\" value=\"%s\"><button type=\"submit\" "
		    "class=\"primary\">%T</button> <span class=\"hint\">%T</span></form>",
		    monday, week ? "plaza.republish" : "plaza.publish", "plaza.publish_hint");
	}
	if (!week) {
		html_printf(&h, "<p class=\"empty\">%T</p>", "plaza.unpublished");
	} else {
		time_t at = (time_t)json_integer_value(json_object_get(week, "published_at"));
		struct tm tm;
		char margin[24];
		at += PLAZA_TZ_OFFSET;
		gmtime_r(&at, &tm);
		snprintf(when, sizeof(when), "%04u-%02u-%02u %02u:%02u",
			 (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)(tm.tm_mon + 1) % 100,
			 (unsigned)tm.tm_mday % 100, (unsigned)tm.tm_hour % 100,
			 (unsigned)tm.tm_min % 100);
		snprintf(margin, sizeof(margin), "%.1f",
			 json_real_value(json_object_get(week, "worst_margin")));
		day_tabs(req, &h, week, monday, 0);
		timetable_grid(req, &h, week, 0);
		html_printf(&h, "<p class=\"hint\">%T %s · %T %s · %T %s dB(A) · %T</p>",
			    "plaza.published_at", when, "plaza.solver",
			    json_string_value(json_object_get(week, "solver")), "plaza.margin",
			    margin, "plaza.checked");
		unplaced = json_object_get(week, "unplaced");
		if (json_array_size(unplaced)) {
			html_printf(&h, "<h2>%T</h2><ul class=\"unplaced\">", "plaza.unplaced");
			json_array_foreach (unplaced, i, u) {
				html_printf(
				    &h, "<li><b>%s</b> (%l/%l) %s</li>",
				    json_string_value(json_object_get(u, "team")),
				    (int64_t)json_integer_value(json_object_get(u, "placed")),
				    (int64_t)json_integer_value(json_object_get(u, "wanted")),
				    json_string_value(json_object_get(u, "reason")));
			}
			html_printf(&h, "</ul>");
		}
	}
	/* The plan laid out for a phone and for a wider screen. */
	plan_svg(req, &h, 320, "st-narrow");
	plan_svg(req, &h, 560, "st-wide");
	where_on_site_plan(req, &h);
	distances_table(req, &h, monday);
	plaza_compliance_html(req, &h, monday, COMPLIANCE_WEEKS);
	page_end(req, &h);
	json_decref(week);
	resp->status = 200;
	return 0;
}

/* notice_day: monday plus days as YYYY-MM-DD. */
static void notice_day(const char *monday, int days, char out[11])
{
	int64_t t = 0;
	time_t at;
	struct tm tm;

	plaza_monday_epoch(monday, &t);
	at = (time_t)(t + PLAZA_TZ_OFFSET + (int64_t)days * 86400);
	gmtime_r(&at, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000,
		 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100);
}

/* notice_zones: each zone's volume cap (its own, or the GB 3096 day limit
 * of its meter's class) and the night's start, then returns the first
 * meter watching a zone (0: none) for the QR code. */
static int64_t notice_zones(struct http_req *req, struct html *h, json_t *zones)
{
	struct plaza_hours hours;
	int64_t meter = 0;
	json_t *z;
	size_t i;

	html_printf(h, "<section class=\"notice-zones\"><h2>%T</h2><ul>", "plaza.notice_caps");
	json_array_foreach (zones, i, z) {
		json_t *cap = json_object_get(z, "cap_centi");
		int64_t centi = json_integer_value(cap), night;
		char db[16];
		if (!meter)
			meter = json_integer_value(json_object_get(z, "meter_id"));
		if (json_is_null(cap) &&
		    noise_zone_limits(json_string_value(json_object_get(z, "meter_class")), &centi,
				      &night)) {
			html_printf(h, "<li><b>%s</b> %T</li>",
				    json_string_value(json_object_get(z, "name")),
				    "plaza.notice_no_cap");
			continue;
		}
		snprintf(db, sizeof(db), "%.0f", (double)centi / 100.0);
		html_printf(h, "<li><b>%s</b> %T <strong>%s dB(A)</strong></li>",
			    json_string_value(json_object_get(z, "name")), "plaza.notice_cap", db);
	}
	html_printf(h, "</ul>");
	if (!plaza_hours_get(req->db, req->sess.area_id, &hours)) {
		char night[6];
		plaza_hhmm(hours.night_start, night);
		html_printf(h, "<p class=\"notice-rule\">%T %s %T</p>", "plaza.notice_rule", night,
			    "plaza.notice_rule_night");
	}
	html_printf(h, "</section>");
	return meter;
}

/* notice_contact: the committee, and where, when and how to reach it as
 * its profile (/area/profile, the residents' page) says; a line not set
 * is left out. */
static void notice_contact(struct http_req *req, struct html *h, const char *area, const char *gap)
{
	const char *colon = strcmp(req->lang, "en") ? "：" : ": ";
	struct home_profile p;

	html_printf(h, "<div class=\"notice-contact\"><h2>%T</h2><p><b>%s%s%T</b></p>",
		    "plaza.notice_contact", area, gap, "plaza.notice_committee");
	if (!home_profile_get(req->db, req->sess.area_id, &p)) {
		if (p.address[0])
			html_printf(h, "<p>%T%s%s</p>", "home.address", colon, p.address);
		if (p.office_hours[0])
			html_printf(h, "<p>%T%s%s</p>", "home.office_hours", colon, p.office_hours);
		if (p.phone[0])
			html_printf(h, "<p>%T%s<strong>%s</strong></p>", "home.phone", colon,
				    p.phone);
	}
	html_printf(h, "<p>%T</p></div>", "plaza.notice_contact_hint");
}

/* GET /schedule/notice: the week's timetable as an A4 notice for the
 * board: the week, each zone's teams and times, the volume caps, how to
 * reach the committee and a QR code of the plaza's public live display.
 * No compliance figures, margins or formulas: residents and teams read
 * it, not the planner. */
static int notice_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	char monday[11], sunday[11];
	json_t *week = NULL, *zones = NULL;
	const char *area = "", *gap = strcmp(req->lang, "en") ? "" : " "; /* 普善居民区居民委员会 */
	int64_t meter;
	int rc;

	if (week_param(req, monday))
		return resp_error(req, resp, 400, "bad_request", "plaza.err.week");
	rc = plaza_week_get(req->db, req->sess.area_id, monday, &week);
	if (rc && rc != LIN_ENOTFOUND)
		return resp_error(req, resp, 500, "internal", "err.internal");
	if (plaza_notice_read(req->db, req->sess.area_id, &zones)) {
		json_decref(week);
		json_decref(zones);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	if (json_array_size(zones))
		area = json_string_value(json_object_get(json_array_get(zones, 0), "area"));
	notice_day(monday, 6, sunday);
	page_begin(req, &h, req_t(req, "plaza.notice"));
	html_printf(&h,
		    "<nav class=\"week-nav no-print\"><a href=\"/schedule?week=%s\">← %T</a> "
		    "<button type=\"button\" class=\"primary\" data-print hidden>%T</button></nav>"
		    "<article class=\"notice-sheet\"><header><p class=\"notice-from\">%s%s%T</p>"
		    "<h1>%T</h1><p class=\"notice-week\">%s %T %s</p></header>",
		    monday, "plaza.back", "plaza.print", area, gap, "plaza.notice_committee",
		    "plaza.timetable", monday, "plaza.notice_to", sunday);
	if (!week) {
		html_printf(&h, "<p class=\"empty\">%T</p>", "plaza.unpublished");
	} else {
		day_tabs(req, &h, week, monday, 1);
		timetable_grid(req, &h, week, 1);
	}
	meter = notice_zones(req, &h, zones);
	html_printf(&h, "<div class=\"notice-foot\">");
	if (meter) {
		const char *url = arena_printf(req->arena, "%s/noise/display/%lld", req_origin(req),
					       (long long)meter);
		html_printf(&h, "<figure class=\"notice-qr\">");
		qr_svg(h.out, url, req_t(req, "plaza.notice_qr"));
		html_printf(&h, "<figcaption>%T<br><small>%s</small></figcaption></figure>",
			    "plaza.notice_qr", url);
	}
	notice_contact(req, &h, area, gap);
	html_printf(&h, "</div></article>");
	page_end(req, &h);
	json_decref(week);
	json_decref(zones);
	resp->status = 200;
	return 0;
}

static int schedule_publish(struct http_req *req, struct http_resp *resp)
{
	struct sched_options o;
	struct plaza_published out;
	const char *week = req_form(req, "week");
	char monday[11], where[64];
	int64_t t;
	int rc;

	if (!week || plaza_monday_epoch(week, &t))
		return resp_error(req, resp, 400, "bad_request", "plaza.err.week");
	plaza_local(t + 43200, NULL, NULL, monday);
	sched_options_default(&o);
	o.time_limit = PUBLISH_TIME_LIMIT;
	rc = plaza_publish(req->db, req->sess.area_id, monday, &o, req->sess.user_id,
			   req->sess.name, &out);
	if (rc) {
		struct html h = {&resp->body, req->lang};
		page_begin(req, &h, req_t(req, "plaza.timetable"));
		html_printf(&h,
			    "<h1>%T</h1><p class=\"error\">%s</p><p><a "
			    "href=\"/schedule?week=%s\">%T</a></p>",
			    "plaza.publish_failed",
			    out.error[0] ? out.error : req_t(req, "err.internal"), monday,
			    "plaza.back");
		page_end(req, &h);
		resp->status = rc == LIN_EINVAL || rc == LIN_ENOTFOUND ? 422 : 500;
		return 0;
	}
	snprintf(where, sizeof(where), "/schedule?week=%s", monday);
	return resp_redirect(req, resp, where);
}

int plaza_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/schedule", schedule_page, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/schedule/notice", notice_page, PERM_NOISE_READ, 0, NULL, 0},
	    {"POST", "/schedule/publish", schedule_publish, PERM_NOISE_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/schedule", api_schedule, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/api/v1/schedule/compliance", api_compliance, PERM_NOISE_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
