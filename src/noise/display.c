/* The public display beside a meter (/noise/display/<meter id>), for the
 * screen on the plaza and for residents' phones, without signing in: the
 * level now in very big type, coloured against the limit, which team the
 * published timetable puts on which zone of the place now and the next
 * session today, and the time. Its event stream carries the level only;
 * team names are public, phone numbers never appear. */
#include "ingest.h"
#include "live.h"
#include "live_view.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/html.h"
#include "../web/router.h"
#include "../web/stream.h"

#include <string.h>
#include <time.h>

static const char *const state_keys[] = {"noise.display.state.none", "noise.display.state.ok",
					 "noise.display.state.near", "noise.display.state.over"};
static const char *const limit_keys[] = {"noise.live.limit.cap", "noise.live.limit.day",
					 "noise.live.limit.night"};

/* display_meter: the meter of the path, or LIN_ENOTFOUND. */
static int display_meter(struct http_req *req, struct live_meter *m)
{
	int64_t id;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return LIN_ENOTFOUND;
	return live_meter_get(req->db, id, m);
}

/* zones_html: each zone of the place with the teams on it now (the
 * meter's own zone marked), and the next session today. */
static void zones_html(struct http_req *req, struct html *h, const struct live_meter *m,
		       int64_t now)
{
	struct live_zone zones[LIVE_MAX_ZONES];
	struct plaza_session on[LIVE_MAX_SESSIONS], next;
	int nz = 0, n = 0;

	if (m->place_id &&
	    live_place_zones(req->db, m->area_id, m->place_id, zones, LIVE_MAX_ZONES, &nz))
		nz = 0;
	if (!nz && m->zone_id) { /* a zone on no place: that zone alone */
		zones[0].id = m->zone_id;
		memcpy(zones[0].name, m->zone, sizeof(zones[0].name));
		zones[0].cap_centi = m->cap_centi;
		nz = 1;
	}
	html_printf(
	    h,
	    "<section class=\"dp-zones\" data-field=\"zones\" aria-labelledby=\"dp-zones-h\">"
	    "<h2 id=\"dp-zones-h\">%T</h2>",
	    "noise.display.zones");
	if (!nz) {
		html_printf(h, "<p class=\"dp-free\">%T</p></section>", "noise.display.no_zones");
		return;
	}
	if (plaza_sessions_at(req->db, m->area_id, 0, now, on, LIVE_MAX_SESSIONS, &n))
		n = 0;
	html_printf(h, "<ul class=\"dp-zone-list\">");
	for (int z = 0; z < nz; z++) {
		int any = 0;

		html_printf(h, "<li class=\"dp-zone%R\"><span class=\"dp-zone-name\">%s",
			    zones[z].id == m->zone_id ? " dp-here" : "", zones[z].name);
		if (zones[z].id == m->zone_id)
			html_printf(h, " <small>%T</small>", "noise.display.here");
		html_printf(h, "</span><span class=\"dp-teams\">");
		for (int i = 0; i < n; i++) {
			char from[6], to[6];
			if (on[i].zone_id != zones[z].id)
				continue;
			plaza_hhmm(on[i].start_min, from);
			plaza_hhmm(on[i].end_min, to);
			html_printf(h, "<span class=\"dp-team\">%s <small>%s–%s</small></span>",
				    on[i].team, from, to);
			any = 1;
		}
		if (!any)
			html_printf(h, "<span class=\"dp-free\">%T</span>", "noise.display.free");
		html_printf(h, "</span></li>");
	}
	html_printf(h, "</ul>");
	if (m->place_id && !plaza_next_session(req->db, m->area_id, m->place_id, now, &next)) {
		char from[6], to[6];
		plaza_hhmm(next.start_min, from);
		plaza_hhmm(next.end_min, to);
		html_printf(
		    h,
		    "<p class=\"dp-next\"><span class=\"dp-next-label\">%T</span> <b>%s–%s</b> "
		    "%s · %s</p>",
		    "noise.display.next", from, to, next.zone, next.team);
	} else {
		html_printf(h, "<p class=\"dp-next\">%T</p>", "noise.display.no_next");
	}
	html_printf(h, "</section>");
}

/* now_html: the level, its state and the limit. */
static void now_html(struct html *h, const struct live_now *s)
{
	char level[16], limit[16];

	live_db(s->level_centi, level, sizeof(level));
	live_db(s->limit_centi, limit, sizeof(limit));
	html_printf(
	    h,
	    "<section class=\"dp-now nl-%s\" data-field=\"now\" aria-labelledby=\"dp-now-h\">"
	    "<h2 id=\"dp-now-h\" class=\"dp-label\">%T</h2><p class=\"dp-reading\">",
	    live_class_name(s->cls), "noise.display.label");
	if (s->cls != LIVE_NONE)
		html_printf(h, "<span class=\"dp-level\" data-field=\"level\">%s</span>", level);
	else
		html_printf(h, "<span class=\"dp-level nl-nodata\" data-field=\"level\">%T</span>",
			    "noise.live.no_data");
	html_printf(
	    h,
	    "<span class=\"dp-unit\">dB(A)</span></p><p class=\"dp-state\" "
	    "data-field=\"state\">%T</p><p class=\"dp-limit\">%T <b data-field=\"limit\">%s</b> "
	    "dB(A) · <span data-field=\"limit-kind\">%T</span></p>"
	    "<p class=\"nl-sim dp-sim\" data-field=\"simulated\"%R>%T</p></section>",
	    state_keys[s->cls], "noise.live.limit", limit, limit_keys[s->kind],
	    s->cls != LIVE_NONE && s->simulated ? "" : " hidden", "noise.live.simulated");
}

/* GET /noise/display/:id */
static int display_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	const char *other = strcmp(req->lang, "en") ? "en" : "zh-CN";
	struct live_meter m;
	struct plaza_hours hours;
	struct live_now s;
	int64_t now = (int64_t)time(NULL);
	char clock[16];
	int rc = display_meter(req, &m);

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "noise.display.unknown");
	if (!rc)
		rc = plaza_hours_get(req->db, m.area_id, &hours);
	if (!rc)
		rc = live_now_read(req->db, &m, &hours, now, &s);
	if (rc)
		return rc;
	live_clock(now, 0, clock, sizeof(clock));
	clock[5] = '\0'; /* HH:MM */
	html_printf(
	    &h,
	    "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	    "<title>%s · %T</title><link rel=\"stylesheet\" href=\"/static/noise-live.css\">"
	    "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
	    "<script src=\"/static/noise-live.js\" defer></script>"
	    "<noscript><meta http-equiv=\"refresh\" content=\"30\"></noscript>"
	    "</head><body class=\"dp-body\">\n",
	    req->lang, *m.place ? m.place : m.name, "noise.display.title");
	html_printf(&h,
		    "<div id=\"dp\" class=\"dp\" data-events=\"/noise/display/%l/events\" "
		    "data-refresh=\"/noise/display/%l\" data-t-none=\"%T\" data-t-ok=\"%T\" "
		    "data-t-near=\"%T\" data-t-over=\"%T\" data-t-cap=\"%T\" data-t-day=\"%T\" "
		    "data-t-night=\"%T\" data-t-no-data=\"%T\">",
		    m.id, m.id, state_keys[0], state_keys[1], state_keys[2], state_keys[3],
		    limit_keys[0], limit_keys[1], limit_keys[2], "noise.live.no_data");
	html_printf(&h, "<header class=\"dp-head\"><div><h1>%s</h1><p>",
		    *m.place ? m.place : m.name);
	if (*m.zone)
		html_printf(&h, "%s · ", m.zone);
	html_printf(&h,
		    "%T %s</p></div><p class=\"dp-clock\"><time data-field=\"clock\">%s</time></p>"
		    "</header><main class=\"dp-main\">",
		    "noise.display.meter", m.name, clock);
	now_html(&h, &s);
	zones_html(req, &h, &m, now);
	html_printf(&h,
		    "</main><footer class=\"dp-foot\"><span>%T</span> <a href=\"/lang?set=%s\" "
		    "hreflang=\"%s\">%T</a></footer></div></body></html>\n",
		    "noise.display.foot", other, other, "lang.switch");
	resp->status = 200;
	resp_header(req, resp, "Cache-Control", "no-store");
	return resp->body.failed ? LIN_ENOMEM : 0;
}

/* display_level appends the "level" event of meter id now. */
static int display_level(struct db *db, int64_t id, int64_t *cursor, struct buf *out)
{
	struct live_meter m;
	struct plaza_hours hours;
	struct live_now s;
	int rc = live_meter_get(db, id, &m);

	(void)cursor;
	if (!rc)
		rc = plaza_hours_get(db, m.area_id, &hours);
	if (!rc)
		rc = live_now_read(db, &m, &hours, (int64_t)time(NULL), &s);
	return rc ? rc : live_sse_event(out, "level", -1, live_now_json(&m, &s));
}

const struct stream_source live_display_source = {NOISE_TOPIC, live_notified_meter, display_level};

/* GET /noise/display/:id/events: one "level" event; then, for an
 * EventSource, one each time it changes (stream.h), else the end. */
static int display_events(struct http_req *req, struct http_resp *resp)
{
	struct live_meter m;
	int rc = display_meter(req, &m);

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "noise.display.unknown");
	if (rc)
		return rc;
	live_sse_start(req, resp);
	rc = display_level(req->db, m.id, NULL, &resp->body);
	return rc ? rc : live_sse_keep(req, resp, &live_display_source, m.id, 0);
}

int noise_display_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/noise/display/:id", display_page, PERM_PUBLIC, 0, NULL, 0},
	    {"GET", "/noise/display/:id/events", display_events, PERM_PUBLIC, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
