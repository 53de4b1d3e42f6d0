/* The staff's live noise page (/noise/live): every meter of the area with
 * its level now in big numbers against the limit that applies, its last
 * three hours, the teams the timetable puts in its zone now and its
 * alerts; the event stream that keeps it current, and the same in JSON.
 *
 * The stream: an EventSource's answer stays open (web/stream.h): its
 * first events come from the handler, later ones from the hub, which
 * renders an area's events once (live_area_events) for all its open
 * pages when a reading of the area is stored or its poll is due. Any
 * other client gets the first events and the end, with "retry: 1000".
 * Which alerts are new is carried in the event id (the highest alert id
 * seen), which the browser sends back as Last-Event-ID when it comes
 * back after a dropped connection. */
#include "ingest.h"
#include "live.h"
#include "live_view.h"
#include "noise.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const state_keys[] = {"noise.live.state.none", "noise.live.state.ok",
					 "noise.live.state.near", "noise.live.state.over"};
static const char *const limit_keys[] = {"noise.live.limit.cap", "noise.live.limit.day",
					 "noise.live.limit.night"};

/* ------------------------------------------------------------ JSON */

/* sessions_json: the teams the timetable puts in m's zone at now. */
static int sessions_json(struct db *db, const struct live_meter *m, int64_t now, json_t **out)
{
	struct plaza_session on[LIVE_MAX_SESSIONS];
	int n = 0, rc = 0;

	*out = json_array();
	if (!*out)
		return LIN_ENOMEM;
	if (m->zone_id)
		rc = plaza_sessions_at(db, m->area_id, m->zone_id, now, on, LIVE_MAX_SESSIONS, &n);
	for (int i = 0; i < n && !rc; i++) {
		char from[6], to[6];
		plaza_hhmm(on[i].start_min, from);
		plaza_hhmm(on[i].end_min, to);
		json_array_append_new(*out,
				      json_pack("{s:I,s:s,s:s,s:s,s:s}", "team_id",
						(json_int_t)on[i].team_id, "team", on[i].team,
						"zone", on[i].zone, "start", from, "end", to));
	}
	return rc;
}

/* meter_json: one meter now with its scheduled teams; full adds what the
 * API gives beyond the stream: names, zone, place, cap and open alerts. */
static int meter_json(struct db *db, const struct live_meter *m, const struct plaza_hours *hours,
		      int64_t now, int full, json_t **out)
{
	struct live_now s;
	struct live_alert alerts[LIVE_MAX_ALERTS];
	json_t *teams = NULL, *open;
	int n = 0, rc;

	*out = NULL;
	rc = live_now_read(db, m, hours, now, &s);
	if (!rc)
		rc = sessions_json(db, m, now, &teams);
	if (!rc)
		*out = live_now_json(m, &s);
	if (rc || !*out) {
		json_decref(teams);
		return rc ? rc : LIN_ENOMEM;
	}
	json_object_set_new(*out, "teams", teams);
	if (!full)
		return 0;
	json_object_set_new(*out, "name", json_string(m->name));
	json_object_set_new(*out, "zone_class", json_string(m->zone_class));
	json_object_set_new(
	    *out, "zone",
	    m->zone_id ? json_pack("{s:I,s:s}", "id", (json_int_t)m->zone_id, "name", m->zone)
		       : json_null());
	json_object_set_new(
	    *out, "place",
	    m->place_id ? json_pack("{s:I,s:s}", "id", (json_int_t)m->place_id, "name", m->place)
			: json_null());
	json_object_set_new(
	    *out, "cap", m->cap_centi >= 0 ? json_real((double)m->cap_centi / 100.0) : json_null());
	/* Open alerts only: a closed one is never closed "after" INT64_MAX. */
	rc = live_alerts(db, m->area_id, m->id, INT64_MAX, 0, alerts, LIVE_MAX_ALERTS, &n);
	open = json_array();
	for (int i = 0; i < n && !rc; i++)
		json_array_append_new(open, live_alert_json(&alerts[i]));
	json_object_set_new(*out, "open_alerts", open);
	return rc;
}

/* meters_json: {"now","time","meters":[...]} for the area. */
static int meters_json(struct db *db, int64_t area_id, int full, json_t **out)
{
	struct live_meter *meters = malloc(LIVE_MAX_METERS * sizeof(*meters));
	struct plaza_hours hours;
	int64_t now = (int64_t)time(NULL);
	char clock[24];
	json_t *list;
	int n = 0, rc;

	*out = NULL;
	if (!meters)
		return LIN_ENOMEM;
	rc = plaza_hours_get(db, area_id, &hours);
	if (!rc)
		rc = live_meters(db, area_id, meters, LIVE_MAX_METERS, &n);
	list = rc ? NULL : json_array();
	for (int i = 0; i < n && !rc; i++) {
		json_t *one = NULL;
		rc = meter_json(db, &meters[i], &hours, now, full, &one);
		if (!rc)
			json_array_append_new(list, one);
	}
	free(meters);
	if (rc) {
		json_decref(list);
		return rc;
	}
	live_clock(now, 1, clock, sizeof(clock));
	*out = json_pack("{s:I,s:s,s:o}", "now", (json_int_t)now, "time", clock, "meters", list);
	return *out ? 0 : LIN_ENOMEM;
}

int noise_live_now(struct http_req *req, json_t **out)
{
	return meters_json(req->db, req->sess.area_id, 1, out);
}

/* GET /api/v1/noise/live */
static int api_live(struct http_req *req, struct http_resp *resp)
{
	json_t *o = NULL;
	int rc = meters_json(req->db, req->sess.area_id, 1, &o);

	if (rc)
		return rc;
	resp_header(req, resp, "Cache-Control", "no-store");
	return resp_json(resp, 200, o);
}

/* ------------------------------------------------------------ the stream */

/* last_seen: the alert id the browser has seen: Last-Event-ID when it
 * reconnects, else ?after= from the page it was opened on. */
static int last_seen(struct http_req *req, int64_t *out)
{
	const char *v = req_header(req, "Last-Event-ID");

	if (!v || !*v)
		v = req_query(req, "after");
	return v && !parse_int64(v, 0, INT64_MAX, out);
}

int live_area_events(struct db *db, int64_t area_id, int64_t *cursor, struct buf *out)
{
	struct live_alert alerts[LIVE_MAX_ALERTS];
	json_t *levels = NULL;
	int n = 0, rc;

	rc = live_alerts(db, area_id, 0, 0, *cursor, alerts, LIVE_MAX_ALERTS, &n);
	if (!rc)
		rc = meters_json(db, area_id, 0, &levels);
	if (rc)
		return rc;
	/* Newest first: the first is the highest id. */
	if (n && alerts[0].id > *cursor)
		*cursor = alerts[0].id;
	for (int i = n - 1; i >= 0 && !rc; i--)
		rc = live_sse_event(out, "alert", -1, live_alert_json(&alerts[i]));
	if (!rc)
		rc = live_sse_event(out, "levels", *cursor, levels);
	else
		json_decref(levels);
	return rc;
}

/* nth_id: the n-th (from 0) space-separated number of args, 0 if none. */
static int64_t nth_id(const char *args, int n)
{
	char word[24];
	int64_t v = 0;

	for (; n > 0 && args; n--) {
		args = strchr(args, ' ');
		args = args ? args + 1 : NULL;
	}
	if (!args)
		return 0;
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(args, " "), args);
	return parse_int64(word, 1, INT64_MAX, &v) ? 0 : v;
}

static int64_t notified_area(const char *args)
{
	return nth_id(args, 0);
}

int64_t live_notified_meter(const char *args)
{
	return nth_id(args, 1);
}

const struct stream_source live_area_source = {NOISE_TOPIC, notified_area, live_area_events};

/* GET /noise/live/events: "alert" events for the alerts opened since the
 * browser last heard (oldest first), then one "levels" event; then, for
 * an EventSource, the same as they happen (stream.h), else the end. */
static int live_events(struct http_req *req, struct http_resp *resp)
{
	int64_t seen = 0, last = 0;
	int rc;

	rc = live_alert_last(req->db, req->sess.area_id, &last);
	if (rc)
		return rc;
	/* A first connection is told of no old alert, only where it stands. */
	if (!last_seen(req, &seen))
		seen = last;
	live_sse_start(req, resp);
	rc = live_area_events(req->db, req->sess.area_id, &seen, &resp->body);
	if (rc)
		return rc;
	return live_sse_keep(req, resp, &live_area_source, req->sess.area_id, seen);
}

/* ------------------------------------------------------------ the page */

static void teams_html(struct http_req *req, struct html *h, const struct live_meter *m,
		       int64_t now)
{
	struct plaza_session on[LIVE_MAX_SESSIONS];
	int n = 0;

	html_printf(h, "<div class=\"nl-teams\"><h3>%T</h3>", "noise.live.teams_now");
	if (!m->zone_id) {
		html_printf(h, "<p class=\"muted\">%T</p></div>", "noise.live.no_zone");
		return;
	}
	if (plaza_sessions_at(req->db, m->area_id, m->zone_id, now, on, LIVE_MAX_SESSIONS, &n))
		n = 0;
	html_printf(h, "<ul class=\"nl-team-list\" data-field=\"teams\">");
	for (int i = 0; i < n; i++) {
		char from[6], to[6];
		plaza_hhmm(on[i].start_min, from);
		plaza_hhmm(on[i].end_min, to);
		html_printf(h, "<li><b>%s</b> <span class=\"muted\">%s–%s</span></li>", on[i].team,
			    from, to);
	}
	html_printf(h, "</ul><p class=\"muted\" data-field=\"no-teams\"%R>%T</p></div>",
		    n ? " hidden" : "", "noise.live.no_teams");
}

static void alerts_html(struct http_req *req, struct html *h, const struct live_meter *m,
			int64_t now)
{
	struct live_alert a[LIVE_MAX_ALERTS];
	int n = 0;

	if (live_alerts(req->db, m->area_id, m->id, now - LIVE_RECENT_S, 0, a, LIVE_MAX_ALERTS, &n))
		n = 0;
	html_printf(h, "<div class=\"nl-alerts\"><h3>%T</h3>", "noise.live.alerts");
	html_printf(h, "<p class=\"muted\" data-field=\"no-alerts\"%R>%T</p>", n ? " hidden" : "",
		    "noise.live.no_alerts");
	html_printf(
	    h,
	    "<div class=\"st-scroll\"%R><table class=\"st-table nl-alert-table\"><thead><tr>"
	    "<th scope=\"col\">%T</th><th scope=\"col\">%T</th><th scope=\"col\" "
	    "class=\"num\">%T</th><th scope=\"col\" class=\"num\">%T</th><th "
	    "scope=\"col\">%T</th><th scope=\"col\">%T</th></tr></thead><tbody "
	    "data-field=\"alerts\">",
	    n ? "" : " hidden", "noise.live.opened", "noise.live.closed", "noise.live.peak",
	    "noise.live.threshold", "noise.live.teams", "noise.live.case");
	for (int i = 0; i < n; i++) {
		char opened[24], closed[24], peak[16], threshold[16];
		live_clock(a[i].opened_t, 1, opened, sizeof(opened));
		live_db(a[i].peak_centi, peak, sizeof(peak));
		live_db(a[i].threshold_centi, threshold, sizeof(threshold));
		html_printf(h, "<tr data-alert=\"%l\"%R><td>%s</td><td>", a[i].id,
			    a[i].closed_t ? "" : " class=\"nl-open\"", opened);
		if (a[i].closed_t) {
			live_clock(a[i].closed_t, 1, closed, sizeof(closed));
			html_printf(h, "%s", closed);
		} else {
			html_printf(h, "<span class=\"nl-pill\">%T</span>", "noise.live.ongoing");
		}
		html_printf(
		    h, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td><td>",
		    peak, threshold, *a[i].teams ? a[i].teams : "—");
		if (a[i].case_id)
			html_printf(h, "<a href=\"/cases/%l\">#%l</a>", a[i].case_id, a[i].case_id);
		else
			html_printf(h, "—");
		html_printf(h, "</td></tr>");
	}
	html_printf(h, "</tbody></table></div></div>");
}

/* now_html: the big number, its state, the limit and when it was read. */
static void now_html(struct http_req *req, struct html *h, const struct live_now *s)
{
	char level[16], limit[16], when[24];

	live_db(s->level_centi, level, sizeof(level));
	live_db(s->limit_centi, limit, sizeof(limit));
	html_printf(h, "<div class=\"nl-now nl-%s\" data-field=\"now\"><p class=\"nl-reading\">",
		    live_class_name(s->cls));
	if (s->cls != LIVE_NONE)
		html_printf(h, "<span class=\"nl-level\" data-field=\"level\">%s</span>", level);
	else
		html_printf(h, "<span class=\"nl-level nl-nodata\" data-field=\"level\">%T</span>",
			    "noise.live.no_data");
	html_printf(h,
		    " <span class=\"nl-unit\">dB(A)</span></p><p class=\"nl-state\" "
		    "data-field=\"state\">%T</p>",
		    state_keys[s->cls]);
	html_printf(h, "<p class=\"nl-sim\" data-field=\"simulated\"%R>%T</p>",
		    s->cls != LIVE_NONE && s->simulated ? "" : " hidden", "noise.live.simulated");
	html_printf(
	    h,
	    "<p class=\"nl-limit\">%T <b data-field=\"limit\">%s</b> dB(A) · <span class=\"muted\" "
	    "data-field=\"limit-kind\">%T</span></p>",
	    "noise.live.limit", limit, limit_keys[s->kind]);
	html_printf(h, "<p class=\"nl-when muted\" data-field=\"when\">");
	if (s->cls != LIVE_NONE) {
		live_clock(s->last_t, 0, when, sizeof(when));
		html_printf(h, "%T %s", "noise.live.measured", when);
	} else if (s->last_t) {
		live_clock(s->last_t, 1, when, sizeof(when));
		html_printf(h, "%T %s", "noise.live.last", when);
	} else {
		html_printf(h, "%T", "noise.live.never");
	}
	html_printf(h, "</p></div>");
}

/* where_html shows, folded, the meter's place on the area's site plan
 * (the same drawing as the case map's), when the place has a footprint. */
static void where_html(struct http_req *req, struct html *h, const struct live_meter *m)
{
	struct registry_plan plan;
	struct buf svg;

	if (!m->place_id || registry_plan_load(req->db, req->sess.area_id, &plan))
		return;
	buf_init(&svg, BUF_DEFAULT_MAX);
	if (!registry_plan_locator(&svg, &plan, m->place_id, "live-site",
				   req_t(req, "noise.live.where")))
		html_printf(h,
			    "<details class=\"live-where\"><summary>%T</summary><figure>%R"
			    "<figcaption>%T</figcaption></figure></details>",
			    "noise.live.where", svg.buf, "noise.live.where_caption");
	buf_release(&svg);
	registry_plan_release(&plan);
}

static int meter_html(struct http_req *req, struct html *h, const struct live_meter *m,
		      const struct plaza_hours *hours, int64_t now)
{
	struct live_now s;
	const char *where = m->zone_id ? m->zone : "";
	int rc = live_now_read(req->db, m, hours, now, &s);

	if (rc)
		return rc;
	html_printf(
	    h,
	    "<section class=\"card nl-meter\" id=\"nl-meter-%l\" data-meter=\"%l\" "
	    "aria-labelledby=\"nl-name-%l\"><div class=\"nl-head\"><h2 id=\"nl-name-%l\">%s</h2>"
	    "<p class=\"muted\">",
	    m->id, m->id, m->id, m->id, m->name);
	if (*m->place)
		html_printf(h, "%s · ", m->place);
	if (*where)
		html_printf(h, "%s · ", where);
	html_printf(h, "%s</p><a class=\"nl-display-link\" href=\"/noise/display/%l\">%T</a></div>",
		    live_fill(req, req_t(req, "noise.live.zone_class"), m->zone_class), m->id,
		    "noise.live.display_link");
	html_printf(h, "<div class=\"nl-top\">");
	now_html(req, h, &s);
	teams_html(req, h, m, now);
	/* Two layouts, the stylesheet shows the one for the width: one unit a
	 * pixel or so keeps the text readable on a phone. */
	html_printf(h, "</div><figure class=\"nl-chart st-chart\"><div class=\"st-narrow\">");
	rc = live_chart(req, h->out, m, hours, now,
			arena_printf(req->arena, "nl-chart-%lld-n", (long long)m->id), 300);
	if (rc)
		return rc;
	html_printf(h, "</div><div class=\"st-wide\">");
	rc = live_chart(req, h->out, m, hours, now,
			arena_printf(req->arena, "nl-chart-%lld", (long long)m->id), 720);
	if (rc)
		return rc;
	html_printf(h, "</div>");
	html_printf(h, "<figcaption class=\"muted\">%T</figcaption></figure>",
		    "noise.live.chart_caption");
	alerts_html(req, h, m, now);
	where_html(req, h, m);
	html_printf(h, "</section>");
	return 0;
}

/* GET /noise/live */
static int live_page(struct http_req *req, struct http_resp *resp)
{
	struct live_meter *meters = arena_alloc(req->arena, LIVE_MAX_METERS * sizeof(*meters));
	struct html h = {&resp->body, req->lang};
	struct plaza_hours hours;
	int64_t now = (int64_t)time(NULL), last = 0;
	char clock[24];
	int n = 0, rc;

	if (!meters)
		return LIN_ENOMEM;
	rc = plaza_hours_get(req->db, req->sess.area_id, &hours);
	if (!rc)
		rc = live_meters(req->db, req->sess.area_id, meters, LIVE_MAX_METERS, &n);
	if (!rc)
		rc = live_alert_last(req->db, req->sess.area_id, &last);
	if (rc)
		return rc;
	live_clock(now, 1, clock, sizeof(clock));
	page_begin(req, &h, req_t(req, "noise.live.title"));
	/* The page's own styles and script (the layout's head has the shared
	 * ones); both are allowed in the body. */
	html_printf(&h, "<link rel=\"stylesheet\" href=\"/static/noise-live.css\">"
			"<script src=\"/static/noise-live.js\" defer></script>");
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><p class=\"nl-status\" data-field=\"status\" "
	    "role=\"status\">%T <time>%s</time></p></div><p class=\"muted nl-hint\">%T</p>",
	    "noise.live.title", "noise.live.as_of", clock, "noise.live.hint");
	/* Texts the script needs, in the reader's language. */
	html_printf(
	    &h,
	    "<div id=\"nl-live\" class=\"nl-list\" data-events=\"/noise/live/events?after=%l\" "
	    "data-t-none=\"%T\" data-t-ok=\"%T\" data-t-near=\"%T\" data-t-over=\"%T\" "
	    "data-t-cap=\"%T\" data-t-day=\"%T\" data-t-night=\"%T\" data-t-no-data=\"%T\" "
	    "data-t-measured=\"%T\" data-t-last=\"%T\" data-t-never=\"%T\" data-t-live=\"%T\" "
	    "data-t-lost=\"%T\" data-t-ongoing=\"%T\" data-t-new-alert=\"%T\">",
	    last, state_keys[0], state_keys[1], state_keys[2], state_keys[3], limit_keys[0],
	    limit_keys[1], limit_keys[2], "noise.live.no_data", "noise.live.measured",
	    "noise.live.last", "noise.live.never", "noise.live.connected", "noise.live.lost",
	    "noise.live.ongoing", "noise.live.new_alert");
	html_printf(
	    &h, "<p class=\"alert nl-banner\" role=\"alert\" data-field=\"banner\" hidden></p>");
	if (!n)
		html_printf(&h, "<p class=\"empty\">%T <a href=\"/meters\">%T</a></p>",
			    "noise.live.none", "noise.live.meters");
	for (int i = 0; i < n && !rc; i++)
		rc = meter_html(req, &h, &meters[i], &hours, now);
	if (rc)
		return rc;
	html_printf(&h, "</div>");
	page_end(req, &h);
	resp->status = 200;
	resp_header(req, resp, "Cache-Control", "no-store");
	return resp->body.failed ? LIN_ENOMEM : 0;
}

int noise_live_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/noise/live", live_page, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/noise/live/events", live_events, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/api/v1/noise/live", api_live, PERM_NOISE_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	int rc = router_add(r, routes);

	return rc ? rc : noise_display_add_routes(r);
}
