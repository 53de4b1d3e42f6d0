/* A unit's page (visits, resources given, projects joined, its
 * volunteers' hours on them) and the yearly summary the committee prints
 * on A4 to thank the unit; the feature's route hook and menu. A liaison
 * sees only their own unit's. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/page.h"
#include "../web/router.h"

#include <string.h>

static const char *s_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t i_of(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* unit_year: the year asked (?year=, this year by default) of the unit
 * in the path, or an error answered (404 for another unit's liaison). */
static int unit_year(struct http_req *req, struct http_resp *resp, json_t **out, int *answered)
{
	int64_t id = 0, year = cobuild_this_year(), unit = cobuild_reader_unit(req);
	const char *p = req_param(req, 0), *y = req_query(req, "year");
	int rc;

	*out = NULL;
	*answered = 1;
	if (!p || parse_int64(p, 1, INT64_MAX, &id) || (unit && unit != id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (y && *y && parse_int64(y, 2000, 2100, &year))
		return resp_error(req, resp, 422, "invalid", "cobuild.err.year");
	rc = cobuild_unit_year(req->db, req->sess.area_id, id, (int)year, out);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	*answered = 0;
	return 0;
}

/* events_figures: the events the unit organised that year, their
 * attendance and their average rating (to a tenth, rounded down). */
static void events_figures(struct html *h, json_t *ev)
{
	int64_t ratings = i_of(ev, "ratings"), sum = i_of(ev, "rating_sum");

	html_printf(
	    h,
	    "<div class=\"stats cb-stats\"><div class=\"stat\"><b>%l</b><span>%T</span></div>"
	    "<div class=\"stat\"><b>%l</b><span>%T</span></div>",
	    i_of(ev, "held"), "cobuild.events_held", i_of(ev, "attended"),
	    "cobuild.events_attended");
	if (ratings)
		html_printf(h, "<div class=\"stat\"><b>%l.%l</b><span>%T</span></div>",
			    sum / ratings, sum * 10 / ratings % 10, "cobuild.events_rating");
	html_printf(h, "</div>");
}

/* figures: the year's numbers as stat tiles. */
static void figures(struct html *h, json_t *y)
{
	int64_t minutes = i_of(y, "minutes");

	html_printf(
	    h,
	    "<div class=\"stats cb-stats\"><div class=\"stat\"><b>%d</b><span>%T</span></div>"
	    "<div class=\"stat\"><b>%d</b><span>%T</span></div><div "
	    "class=\"stat\"><b>%d</b><span>%T</span></div><div class=\"stat\"><b>%l.%l</b>"
	    "<span>%T</span></div></div>",
	    (int)json_array_size(json_object_get(y, "visits")), "cobuild.visits",
	    (int)json_array_size(json_object_get(y, "resources")), "cobuild.resources_given",
	    (int)json_array_size(json_object_get(y, "projects")), "cobuild.projects_joined",
	    minutes / 60, (minutes % 60) * 10 / 60, "cobuild.volunteer_hours");
	events_figures(h, json_object_get(y, "events"));
}

static void projects_list(struct http_req *req, struct html *h, json_t *y, int64_t unit_id)
{
	size_t i, j;
	json_t *p, *u;

	html_printf(h, "<ul class=\"cb-list\">");
	json_array_foreach (json_object_get(y, "projects"), i, p) {
		int64_t minutes = 0;
		json_array_foreach (json_object_get(p, "units"), j, u) {
			if (i_of(u, "unit_id") == unit_id)
				minutes += i_of(u, "volunteer_minutes");
		}
		html_printf(h,
			    "<li class=\"cb-item\"><b>%s</b> <span class=\"state\">%T</span> "
			    "<span class=\"muted\">%l.%l %T</span></li>",
			    s_of(p, "title"),
			    arena_printf(req->arena, "cobuild.project_state.%s", s_of(p, "state")),
			    minutes / 60, (minutes % 60) * 10 / 60, "cobuild.hours");
	}
	if (!json_array_size(json_object_get(y, "projects")))
		html_printf(h, "<li class=\"empty\">%T</li>", "cobuild.no_projects");
	html_printf(h, "</ul>");
}

static int page_unit(struct http_req *req, struct http_resp *resp)
{
	json_t *y = NULL, *unit, *o;
	struct html h = {&resp->body, req->lang};
	int answered = 0;
	int rc = unit_year(req, resp, &y, &answered);
	int64_t id, year;
	size_t i;

	if (answered)
		return rc;
	unit = json_object_get(y, "unit");
	id = i_of(unit, "id");
	year = i_of(y, "year");
	page_begin(req, &h, s_of(unit, "name"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%s</h1><nav class=\"chips no-print\"><a "
		    "class=\"chip\" href=\"/cobuild/units/%l?year=%l\">‹ %l</a><a class=\"chip\" "
		    "href=\"/cobuild/units/%l?year=%l\">%l ›</a><a class=\"chip\" "
		    "href=\"/cobuild/units/%l/summary?year=%l\">%T</a><a class=\"chip\" "
		    "href=\"/cobuild\">%T</a></nav></div><p class=\"muted\">%T · %s</p><h2>%l</h2>",
		    s_of(unit, "name"), id, year - 1, year - 1, id, year + 1, year + 1, id, year,
		    "cobuild.summary", "cobuild.title_lists",
		    arena_printf(req->arena, "choice.%s", s_of(unit, "kind")),
		    s_of(unit, "address"), year);
	figures(&h, y);
	html_printf(&h, "<section class=\"card\"><h2>%T</h2><ul class=\"cb-list\">",
		    "cobuild.visits");
	json_array_foreach (json_object_get(y, "visits"), i, o) {
		html_printf(&h,
			    "<li class=\"cb-item\"><div class=\"cb-head\"><b>%s</b> <span "
			    "class=\"muted\">%s</span></div><p class=\"cb-learned\">%s</p></li>",
			    s_of(o, "visited_on"), s_of(o, "visitor"), s_of(o, "learned"));
	}
	if (!json_array_size(json_object_get(y, "visits")))
		html_printf(&h, "<li class=\"empty\">%T</li>", "cobuild.no_visits");
	html_printf(&h, "</ul></section><section class=\"card\"><h2>%T</h2><ul class=\"cb-list\">",
		    "cobuild.resources_given");
	json_array_foreach (json_object_get(y, "resources"), i, o) {
		html_printf(&h,
			    "<li class=\"cb-item\"><b>%s</b> <span class=\"muted\">%T · %s – %s · "
			    "%l %T</span></li>",
			    s_of(o, "title"),
			    arena_printf(req->arena, "cobuild.kind.%s", s_of(o, "kind")),
			    s_of(o, "available_from"), s_of(o, "available_to"), i_of(o, "amount"),
			    arena_printf(req->arena, "cobuild.unit_of.%s", s_of(o, "kind")));
	}
	if (!json_array_size(json_object_get(y, "resources")))
		html_printf(&h, "<li class=\"empty\">%T</li>", "cobuild.no_resources");
	html_printf(&h, "</ul></section><section class=\"card\"><h2>%T</h2>",
		    "cobuild.projects_joined");
	projects_list(req, &h, y, id);
	html_printf(&h, "</section>");
	json_decref(y);
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

/* The yearly summary: one A4 sheet, the committee's thanks. */
static int page_summary(struct http_req *req, struct http_resp *resp)
{
	json_t *y = NULL, *unit, *o;
	struct html h = {&resp->body, req->lang};
	int answered = 0;
	int rc = unit_year(req, resp, &y, &answered);
	size_t i;

	if (answered)
		return rc;
	unit = json_object_get(y, "unit");
	page_begin(req, &h, s_of(unit, "name"));
	html_printf(&h,
		    "<p class=\"no-print actions\"><a href=\"/cobuild/units/%l?year=%l\">%T</a> "
		    "<span class=\"muted\">%T</span></p><article class=\"cb-sheet\"><h1>%l %T</h1>"
		    "<p class=\"cb-to\">%s：</p><p>%T</p>",
		    i_of(unit, "id"), i_of(y, "year"), "cobuild.back_unit", "cobuild.print_hint",
		    i_of(y, "year"), "cobuild.summary_title", s_of(unit, "name"),
		    "cobuild.thanks_body");
	figures(&h, y);
	html_printf(&h, "<h2>%T</h2>", "cobuild.projects_joined");
	projects_list(req, &h, y, i_of(unit, "id"));
	html_printf(&h, "<h2>%T</h2><ul class=\"cb-list\">", "cobuild.resources_given");
	json_array_foreach (json_object_get(y, "resources"), i, o) {
		html_printf(&h, "<li>%s</li>", s_of(o, "title"));
	}
	if (!json_array_size(json_object_get(y, "resources")))
		html_printf(&h, "<li class=\"empty\">%T</li>", "cobuild.no_resources");
	html_printf(&h, "</ul><p class=\"cb-sign\">%T</p></article>", "cobuild.signature");
	json_decref(y);
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

const struct route cobuild_unit_routes[] = {
    {"GET", "/cobuild/units/:id", page_unit, PERM_COBUILD_READ, 0, NULL, 0},
    {"GET", "/cobuild/units/:id/summary", page_summary, PERM_COBUILD_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

int cobuild_add_routes(struct router *r)
{
	int rc = router_add(r, cobuild_page_routes);

	if (!rc)
		rc = router_add(r, cobuild_unit_routes);
	if (!rc)
		rc = router_add(r, cobuild_api_routes);
	return rc;
}

const struct nav_item cobuild_nav[] = {
    {"/cobuild", "nav.cobuild", PERM_COBUILD_READ},
    {NULL, NULL, 0},
};
