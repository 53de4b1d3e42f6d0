/* The staggered timetable for the notice board (/schedule), its
 * publication by staff, per-team compliance and the plaza's plan. */
#include "plaza.h"
#include "instance.h"
#include "publish.h"
#include "store.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
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
static void where_on_site_plan(struct http_req *req, struct html *h, json_t *zone)
{
	json_t *place = json_object_get(zone, "place_id");
	struct registry_plan plan;
	struct buf svg;

	if (!json_is_integer(place) || registry_plan_load(req->db, req->sess.area_id, &plan))
		return;
	buf_init(&svg, BUF_DEFAULT_MAX);
	if (!registry_plan_locator(&svg, &plan, json_integer_value(place), "plaza-site",
				   req_t(req, "plaza.where")))
		html_printf(h,
			    "<figure class=\"plaza-where\">%R<figcaption>%T</figcaption></figure>",
			    svg.buf, "plaza.where_caption");
	buf_release(&svg);
	registry_plan_release(&plan);
}

/* plan_svg draws the zones (with the teams given per zone id) and the
 * receptors on the plaza's plan, north up. */
static void plan_svg(struct http_req *req, struct html *h)
{
	double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
	json_t *zones = NULL, *receptors = NULL, *row;
	int64_t pts[32][2];
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
	minx -= 1500, miny -= 1500, maxx += 1500, maxy += 1500;
	html_printf(h,
		    "<figure class=\"plaza-plan\"><svg viewBox=\"0 0 %d %d\" role=\"img\" "
		    "aria-label=\"%T\">",
		    (int)((maxx - minx) / 10), (int)((maxy - miny) / 10), "plaza.plan");
	json_array_foreach (zones, i, row) {
		int n =
		    parse_shape(json_string_value(json_object_get(row, "shape")), pts, 32, 1000000);
		double cx = 0, cy = 0;
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
		}
		snprintf(buf, sizeof(buf), "%.0f", cx);
		html_printf(h, "\"/><text class=\"zone-name\" x=\"%s\"", buf);
		snprintf(buf, sizeof(buf), "%.0f", cy);
		html_printf(h, " y=\"%s\" text-anchor=\"middle\">%s</text>", buf,
			    json_string_value(json_object_get(row, "name")));
	}
	json_array_foreach (receptors, i, row) {
		char x[16], y[16];
		snprintf(x, sizeof(x), "%.0f",
			 ((double)json_integer_value(json_object_get(row, "x_centi")) - minx) / 10);
		snprintf(y, sizeof(y), "%.0f",
			 (maxy - (double)json_integer_value(json_object_get(row, "y_centi"))) / 10);
		html_printf(h,
			    "<circle class=\"receptor\" cx=\"%s\" cy=\"%s\" r=\"12\"/>"
			    "<text class=\"receptor-name\" x=\"%s\" y=\"%s\" dy=\"34\" "
			    "text-anchor=\"middle\">%s</text>",
			    x, y, x, y, json_string_value(json_object_get(row, "name")));
	}
	html_printf(h, "</svg><figcaption>%T</figcaption></figure>", "plaza.plan_caption");
	where_on_site_plan(req, h, json_array_get(zones, 0));
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

static void timetable_grid(struct http_req *req, struct html *h, json_t *week)
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
				    json_is_true(json_object_get(s, "prime")) ? " prime" : "",
				    json_string_value(json_object_get(s, "zone")),
				    json_string_value(json_object_get(s, "team")));
			}
			html_printf(h, "</td>");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h,
		    "</tbody></table></div><p class=\"hint\"><span class=\"session prime "
		    "legend\">%T</span> "
		    "%T</p>",
		    "plaza.prime", "plaza.prime_hint");
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
			char per[16] = "—";
			if (measured)
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
		    "href=\"/schedule?week=%s\">%T →</a> <button type=\"button\" "
		    "onclick=\"window.print()\">%T</button></nav></div>",
		    "plaza.timetable", monday, prev, "plaza.prev_week", next, "plaza.next_week",
		    "plaza.print");
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
		timetable_grid(req, &h, week);
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
	plan_svg(req, &h);
	distances_table(req, &h, monday);
	plaza_compliance_html(req, &h, monday, COMPLIANCE_WEEKS);
	page_end(req, &h);
	json_decref(week);
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
	    {"POST", "/schedule/publish", schedule_publish, PERM_NOISE_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/schedule", api_schedule, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/api/v1/schedule/compliance", api_compliance, PERM_NOISE_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
