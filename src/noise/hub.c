/* The noise feature's front door: /noise, the hub that links its pages
 * (and the plaza's) by what the reader may open, and the alerts list
 * /api/v1/noise/alerts. noise_add_routes puts every noise route in the
 * table from here. */
#include "noise.h"
#include "ingest.h"
#include "live.h"
#include "../base/parse.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdint.h>

static int noise_hub(struct http_req *req, struct http_resp *resp)
{
	static const struct {
		const char *href, *title, *hint;
		enum perm perm;
	} links[] = {
	    {"/noise/live", "plaza.hub.live", "plaza.hub.live_hint", PERM_NOISE_READ},
	    {"/schedule", "plaza.timetable", "plaza.hub.timetable_hint", PERM_NOISE_READ},
	    {"/noise/reports", "plaza.hub.reports", "plaza.hub.reports_hint", PERM_NOISE_READ},
	    {"/meters", "entity.meters", "plaza.hub.meters_hint", PERM_NOISE_READ},
	    {"/dance_teams", "entity.dance_teams", "plaza.hub.teams_hint", PERM_NOISE_READ},
	    {"/plaza_zones", "entity.plaza_zones", "plaza.hub.zones_hint", PERM_NOISE_READ},
	    {"/receptors", "entity.receptors", "plaza.hub.receptors_hint", PERM_NOISE_READ},
	    {"/noise_alert_rules", "entity.noise_alert_rules", "plaza.hub.rules_hint",
	     PERM_NOISE_READ},
	};
	struct html h = {&resp->body, req->lang};

	page_begin(req, &h, req_t(req, "nav.meters"));
	html_printf(&h, "<h1>%T</h1><ul class=\"cards\">", "nav.meters");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (perm_allows(req->sess.role, links[i].perm))
			html_printf(&h, "<li><a href=\"%s\"><b>%T</b><span>%T</span></a></li>",
				    links[i].href, links[i].title, links[i].hint);
	html_printf(&h, "</ul>");
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

static int api_alerts(struct http_req *req, struct http_resp *resp)
{
	const char *m = req_query(req, "meter"), *since = req_query(req, "since");
	int64_t meter = 0, from = 0;
	json_t *list = NULL;

	if ((m && parse_int64(m, 1, INT64_MAX, &meter)) ||
	    (since && parse_int64(since, 0, INT64_MAX, &from)))
		return resp_error(req, resp, 400, "bad_request", "err.bad_query");
	if (noise_alerts_list(req->db, req->sess.area_id, meter, from, 200, &list))
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200, json_pack("{s:o}", "alerts", list));
}

const struct nav_item noise_nav[] = {
    {"/noise", "nav.meters", PERM_NOISE_READ},
    {NULL, NULL, 0},
};

int noise_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/noise", noise_hub, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/api/v1/noise/alerts", api_alerts, PERM_NOISE_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	int rc = router_add(r, routes);

	if (!rc)
		rc = noise_ingest_routes(r);
	if (!rc)
		rc = noise_live_add_routes(r);
	return rc;
}
