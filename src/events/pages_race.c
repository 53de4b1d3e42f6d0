/* The orienteering race's pages: live results (the printable sheet too;
 * events.js refreshes the table every few seconds, without script a link
 * does), the checkpoints on the site plan, the punch page a team's phone
 * opens from a checkpoint's QR poster, and the posters to print. */
#include "internal.h"
#include "model.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* duration: "1:05:09" or "12:30". */
static const char *duration(struct http_req *req, int64_t s)
{
	if (s >= 3600)
		return arena_printf(req->arena, "%lld:%02lld:%02lld", (long long)(s / 3600),
				    (long long)(s / 60 % 60), (long long)(s % 60));
	return arena_printf(req->arena, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

/* plan: the site plan with the checkpoints numbered in their order. */
static void plan(struct http_req *req, struct html *h, int64_t area, json_t *cps)
{
	struct registry_plan p;
	json_t *c;
	size_t i;
	int placed = 0;

	json_array_foreach (cps, i, c)
		placed += !json_is_null(json_object_get(c, "lon"));
	if (!placed)
		return; /* no checkpoint is on the plan yet */
	if (registry_plan_load(req->db, area, &p) || !p.n) {
		registry_plan_release(&p);
		return;
	}
	html_printf(h,
		    "<figure class=\"ev-plan\"><svg viewBox=\"0 0 %d %d\" width=\"100%%\" "
		    "role=\"img\" aria-label=\"%T\"><rect width=\"%d\" height=\"%d\" "
		    "fill=\"#f4f1ea\"/>",
		    p.width, p.height, "events.race.plan", p.width, p.height);
	registry_plan_draw(h->out, &p, NULL);
	registry_plan_labels(h->out, &p, 1);
	json_array_foreach (cps, i, c) {
		double x, y;
		if (json_is_null(json_object_get(c, "lon")))
			continue;
		registry_plan_xy(&p, jint(c, "lon"), jint(c, "lat"), &x, &y);
		html_printf(
		    h,
		    "<g class=\"ev-cp\"><circle cx=\"%R\" cy=\"%R\" r=\"24\" fill=\"#c2410c\" "
		    "stroke=\"#fff\" stroke-width=\"5\"/><text x=\"%R\" y=\"%R\" "
		    "text-anchor=\"middle\" font-size=\"26\" font-weight=\"700\" "
		    "fill=\"#fff\">%l</text></g>",
		    arena_printf(req->arena, "%.1f", x), arena_printf(req->arena, "%.1f", y),
		    arena_printf(req->arena, "%.1f", x), arena_printf(req->arena, "%.1f", y + 9),
		    jint(c, "seq"));
	}
	html_printf(h, "</svg><figcaption class=\"muted\">%T</figcaption></figure>",
		    "events.race.plan");
	registry_plan_release(&p);
}

static void results_table(struct http_req *req, struct html *h, json_t *res)
{
	int score = !strcmp(jstr(res, "rule"), "score");
	json_t *cps = json_object_get(res, "checkpoints"), *r, *c;
	size_t i, k;

	html_printf(h,
		    "<div class=\"table-wrap\" id=\"race-results\"><table class=\"ev-results\">"
		    "<thead><tr><th>%T</th><th>%T</th><th>%T</th>",
		    "events.race.rank", "events.race.team", "events.race.found");
	if (score)
		html_printf(h, "<th>%T</th><th>%T</th>", "events.race.penalty",
			    "events.race.score");
	html_printf(h, "<th>%T</th>", "events.race.time");
	json_array_foreach (cps, k, c)
		html_printf(h, "<th class=\"ev-cp-col\" title=\"%s\">%l</th>", jstr(c, "name"),
			    jint(c, "seq"));
	html_printf(h, "</tr></thead><tbody>");
	json_array_foreach (json_object_get(res, "results"), i, r) {
		json_t *marks = json_object_get(r, "marks"), *m;
		html_printf(h, "<tr data-team=\"%s\"><td>%l</td><td>%s", jstr(r, "code"),
			    jint(r, "rank"), jstr(r, "team"));
		if (!json_is_true(json_object_get(r, "finished")))
			html_printf(h, " <span class=\"ev-running\">%T</span>",
				    "events.race.running");
		html_printf(h, "</td><td>%l</td>", jint(r, "found"));
		if (score)
			html_printf(h, "<td>%l</td><td><strong>%l</strong></td>",
				    jint(r, "penalty"), jint(r, "score"));
		html_printf(h, "<td>%s</td>", duration(req, jint(r, "elapsed")));
		json_array_foreach (marks, k, m) {
			const char *v = json_string_value(m);
			html_printf(h, "<td class=\"ev-mark %s\" title=\"%T\">%s</td>", v,
				    arena_printf(req->arena, "events.mark.%s", v),
				    !strcmp(v, "ok")		? "✓"
				    : !strcmp(v, "wrong_order") ? "⇄"
								: "–");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h, "</tbody></table></div><p class=\"muted ev-legend\">✓ %T · ⇄ %T · – %T</p>",
		    "events.mark.ok", "events.mark.wrong_order", "events.mark.missed");
}

int events_race_page(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0);
	json_t *res = NULL, *cps = NULL;
	struct html h;
	int rc = events_area(req, &area);

	if (!rc)
		rc = race_results_json(req->db, area, id, &res);
	if (rc)
		return resp_error(req, resp, 404, "not_found", "events.err.not_race");
	events_page_begin(req, resp, &h, jstr(res, "title"));
	html_printf(&h,
		    "<p class=\"crumbs no-print\"><a href=\"/events/%l\">%s</a></p><h1>%s · %T</h1>"
		    "<p class=\"muted\">%T",
		    id, jstr(res, "title"), jstr(res, "title"), "events.race.results",
		    !strcmp(jstr(res, "rule"), "score") ? "events.race.rule_score"
							: "events.race.rule_ordered");
	if (!strcmp(jstr(res, "rule"), "score"))
		html_printf(&h, " · %T %l · %T %l", "events.race.limit_min",
			    jint(res, "time_limit") / 60, "events.race.penalty_min",
			    jint(res, "penalty_per_minute"));
	html_printf(
	    &h,
	    "</p><p class=\"actions no-print\"><a class=\"button\" href=\"/events/%l/race\" "
	    "id=\"race-refresh\" data-live=\"/events/%l/race\">%T</a> <a class=\"button\" "
	    "href=\"/events/%l/punch\">%T</a>",
	    id, id, "events.race.refresh", id, "events.race.punch");
	if (req_can(req, PERM_EVENTS_WRITE))
		html_printf(&h, " <a class=\"button\" href=\"/events/%l/posters\">%T</a>", id,
			    "events.race.posters");
	html_printf(&h, "</p>");
	results_table(req, &h, res);
	if (!race_checkpoints_json(req->db, area, id, &cps))
		plan(req, &h, area, cps);
	html_printf(&h, "<script src=\"/static/events.js\" defer></script>");
	json_decref(cps);
	json_decref(res);
	return events_page_end(req, resp, &h, 200);
}

static void punch_form(struct http_req *req, struct html *h, int64_t id, const char *cp,
		       const char *team)
{
	html_printf(
	    h, "<form method=\"post\" action=\"/events/%l/punch\" class=\"card narrow stack\">",
	    id);
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T <input name=\"checkpoint\" autocomplete=\"off\" maxlength=\"16\" "
	    "autocapitalize=\"characters\" required value=\"%s\"></label><label>%T <input "
	    "name=\"team\" autocomplete=\"off\" maxlength=\"16\" autocapitalize=\"characters\" "
	    "required value=\"%s\"></label><button class=\"primary big\">%T</button></form>",
	    "events.race.cp_code", cp ? cp : "", "events.race.team_code", team ? team : "",
	    "events.race.punch_now");
}

int events_punch_page(struct http_req *req, struct http_resp *resp)
{
	int64_t id = events_param_id(req, 0);
	struct html h;

	events_page_begin(req, resp, &h, req_t(req, "events.race.punch"));
	html_printf(&h, "<h1>%T</h1><p class=\"hint\">%T</p>", "events.race.punch",
		    "events.race.punch_hint");
	punch_form(req, &h, id, req_query(req, "cp"), req_query(req, "team"));
	return events_page_end(req, resp, &h, 200);
}

int events_punch_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0);
	const char *key = NULL, *cp = req_form(req, "checkpoint"), *team = req_form(req, "team");
	struct html h;
	int rc = events_area(req, &area);

	if (!rc)
		rc = race_punch(req->db, area, id, cp, team, (int64_t)time(NULL), &key);
	events_page_begin(req, resp, &h, req_t(req, "events.race.punch"));
	html_printf(&h, "<h1>%T</h1>", "events.race.punch");
	if (rc)
		html_printf(&h, "<p class=\"error\" role=\"alert\">%T</p>",
			    key ? key : "err.internal");
	else
		html_printf(&h, "<p class=\"notice ev-ok\" role=\"status\">%T %s</p>",
			    "events.race.punched", cp);
	punch_form(req, &h, id, rc ? cp : "", team);
	html_printf(&h, "<p><a class=\"button\" href=\"/events/%l/race\">%T</a></p>", id,
		    "events.race.results");
	return events_page_end(req, resp, &h,
			       !rc		     ? 201
			       : !key		     ? 500
			       : rc == LIN_ECONFLICT ? 409
			       : rc == LIN_ENOTFOUND ? 404
						     : 422);
}

/* setup_forms: staff add a checkpoint (placed on a building or place of
 * the plan) and a team; not printed. */
static void setup_forms(struct http_req *req, struct html *h, int64_t id)
{
	struct registry_plan p;

	html_printf(h,
		    "<div class=\"no-print two-col\"><form method=\"post\" "
		    "action=\"/events/%l/checkpoints\" class=\"card stack\"><h2>%T</h2>",
		    id, "events.race.add_cp");
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T <input name=\"code\" maxlength=\"16\" required "
	    "autocapitalize=\"characters\"></label><label>%T <input name=\"name\" "
	    "maxlength=\"60\"></label><label>%T <input name=\"points\" inputmode=\"numeric\" "
	    "value=\"10\"></label><label>%T <select name=\"spot\"><option value=\"\">%T"
	    "</option>",
	    "events.race.cp_code", "events.name", "events.race.points", "events.race.where",
	    "events.race.nowhere");
	if (!registry_plan_load(req->db, req->sess.area_id, &p))
		for (int i = 0; i < p.n; i++)
			if ((p.f[i].kind == PLAN_BUILDING || p.f[i].kind == PLAN_PLACE) &&
			    p.f[i].name)
				html_printf(h, "<option value=\"%d\">%s %s</option>", i,
					    p.f[i].compound_name ? p.f[i].compound_name : "",
					    p.f[i].name);
	registry_plan_release(&p);
	html_printf(h,
		    "</select></label><button class=\"primary\">%T</button></form><form "
		    "method=\"post\" action=\"/events/%l/teams\" class=\"card stack\"><h2>%T</h2>",
		    "events.race.add", id, "events.race.add_team");
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input name=\"code\" maxlength=\"16\" required "
		    "autocapitalize=\"characters\"></label><label>%T <input name=\"name\" "
		    "maxlength=\"60\" required></label><label>%T <input type=\"datetime-local\" "
		    "name=\"start\" required></label><button class=\"primary\">%T</button></form>"
		    "</div>",
		    "events.race.team_code", "events.race.team", "events.race.start",
		    "events.race.add");
}

int events_checkpoint_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = events_param_id(req, 0), lon = 0, lat = 0, points = 0, spot = -1;
	const char *key = NULL, *sp = req_form(req, "spot"), *pt = req_form(req, "points");
	struct registry_plan p;
	int rc;

	if (pt && *pt && parse_int64(pt, 0, 1000, &points))
		return events_refuse(req, resp, LIN_EINVAL, "events.err.points");
	if (sp && *sp && parse_int64(sp, 0, PLAN_MAX_FEATURES - 1, &spot))
		return events_refuse(req, resp, LIN_EINVAL, "events.err.spot");
	if (spot >= 0) {
		rc = registry_plan_load(req->db, req->sess.area_id, &p);
		if (!rc && spot < p.n)
			registry_plan_spot(&p.f[spot], (uint64_t)spot, &lon, &lat);
		registry_plan_release(&p);
		if (rc || !lon)
			return events_refuse(req, resp, LIN_EINVAL, "events.err.spot");
	}
	rc = race_checkpoint_add(req->db, &req->sess, req->sess.area_id, id, req_form(req, "code"),
				 req_form(req, "name") ? req_form(req, "name") : "", (int)points,
				 lon, lat, &key);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/events/%lld/posters", (long long)id));
}

int events_team_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = events_param_id(req, 0), start = 0;
	const char *key = NULL;
	int rc;

	if (events_local_parse(req_form(req, "start"), &start))
		return events_refuse(req, resp, LIN_EINVAL, "events.err.time");
	rc = race_team_add(req->db, &req->sess, req->sess.area_id, id, req_form(req, "code"),
			   req_form(req, "name"), start, &key);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/events/%lld/posters", (long long)id));
}

/* One poster per checkpoint: its number, name and code large, and a QR
 * of the punch page with the code filled in. */
int events_posters_page(struct http_req *req, struct http_resp *resp)
{
	int64_t id = events_param_id(req, 0);
	struct event_row e;
	json_t *cps = NULL, *c;
	struct html h;
	size_t i;

	if (event_get(req->db, req->sess.area_id, id, &e) || strcmp(e.kind, "race") ||
	    race_checkpoints_json(req->db, req->sess.area_id, id, &cps)) {
		json_decref(cps);
		return resp_error(req, resp, 404, "not_found", "events.err.not_race");
	}
	events_page_begin(req, resp, &h, req_t(req, "events.race.posters"));
	html_printf(&h, "<p class=\"no-print crumbs\"><a href=\"/events/%l/race\">%s</a></p>", id,
		    e.title);
	setup_forms(req, &h, id);
	json_array_foreach (cps, i, c) {
		struct buf svg;
		const char *url = arena_printf(req->arena, "%s/events/%lld/punch?cp=%s",
					       req_origin(req), (long long)id, jstr(c, "code"));
		buf_init(&svg, BUF_DEFAULT_MAX);
		qr_svg(&svg, url, req_t(req, "events.race.qr_label"));
		html_printf(&h,
			    "<section class=\"poster ev-poster\"><p class=\"lead\">%s</p><h1>%T %l"
			    "</h1><p class=\"lead\">%s</p><div class=\"poster-qr\">%R</div>"
			    "<p class=\"ev-code\">%s</p><p class=\"poster-url\">%s</p></section>",
			    e.title, "events.race.checkpoint", jint(c, "seq"), jstr(c, "name"),
			    svg.buf, jstr(c, "code"), url);
		buf_release(&svg);
	}
	json_decref(cps);
	return events_page_end(req, resp, &h, 200);
}
