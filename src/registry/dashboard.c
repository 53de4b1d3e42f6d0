/* The registry overview (/registry): real counts of what the area holds, each shown only to
 * roles that may read it, and registry_add_routes, which wires the
 * registry into the route table. */
#include "api.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../web/auth.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct nav_item registry_nav[] = {
    {"/compounds", "entity.compounds", PERM_PLACES_READ},
    {"/buildings", "entity.buildings", PERM_PLACES_READ},
    {"/households", "entity.households", PERM_PLACES_READ},
    {"/residents", "entity.residents", PERM_PEOPLE_READ},
    {"/branches", "entity.branches", PERM_ORG_READ},
    {"/members", "entity.members", PERM_ORG_READ},
    {"/teams", "entity.teams", PERM_TEAMS_READ},
    {"/units", "entity.units", PERM_UNITS_READ},
    {"/places", "entity.places", PERM_PLACES_READ},
    {"/tags", "entity.tags", PERM_PEOPLE_READ},
    {NULL, NULL, 0},
};

/* dashboard_counts gathers the figures the reader may see into a JSON
 * object shared by the page and /api/v1/dashboard. */
static int dashboard_counts(struct http_req *req, json_t **out)
{
	static const char *const counted[] = {"compounds", "buildings", "households", "residents",
					      "members",   "teams",	"units",      NULL};
	json_t *o = json_object(), *v = NULL;
	int rc = 0;

	*out = o;
	for (int i = 0; counted[i]; i++) {
		const struct entity *e = entity_by_name(counted[i]);
		int64_t n;
		if (!req_can(req, e->read))
			continue;
		rc = registry_count(req->db, e, req->sess.area_id, &n);
		if (rc)
			return rc;
		json_object_set_new(o, counted[i], json_integer(n));
	}
	if (req_can(req, PERM_ORG_READ)) {
		rc = registry_members_by_branch(req->db, req->sess.area_id, &v);
		json_object_set_new(o, "members_by_branch", v);
		if (rc)
			return rc;
	}
	if (req_can(req, PERM_UNITS_READ)) {
		rc = registry_units_by_kind(req->db, req->sess.area_id, &v);
		json_object_set_new(o, "units_by_kind", v);
		if (rc)
			return rc;
	}
	if (req_can(req, PERM_PEOPLE_READ)) {
		/* A vulnerable group's count is a door to it too: only for
		 * those who may see its members. */
		rc = registry_residents_by_tag(req->db, req->sess.area_id,
					       req_can(req, PERM_SEE_VULNERABLE), &v);
		json_object_set_new(o, "residents_by_tag", v);
		if (rc)
			return rc;
	}
	return 0;
}

static int home_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *counts = NULL, *v;
	char area[256];
	int rc = dashboard_counts(req, &counts);

	if (rc) {
		json_decref(counts);
		return rc;
	}
	area_title(req->db, req->sess.area_id, area, sizeof(area));
	page_begin(req, &h, req_t(req, "nav.registry"));
	html_printf(&h, "<div class=\"page-head\"><h1>%s</h1></div>", area);
	html_printf(&h, "<section class=\"stats\" aria-label=\"%T\">", "dash.counts");
	static const char *const keys[] = {"residents", "households", "compounds", "buildings",
					   "members",	"units",      "teams",	   NULL};
	for (int i = 0; keys[i]; i++) {
		json_t *n = json_object_get(counts, keys[i]);
		if (!n)
			continue;
		html_printf(&h,
			    "<a class=\"stat\" href=\"/%s\"><span class=\"num\">%l</span>"
			    "<span class=\"label\">%T</span></a>",
			    keys[i], (int64_t)json_integer_value(n),
			    arena_printf(req->arena, "entity.%s", keys[i]));
	}
	html_printf(&h, "</section>");
	if ((v = json_object_get(counts, "members_by_branch"))) {
		size_t i;
		json_t *b;
		html_printf(&h, "<section class=\"card\"><h2>%T</h2><ul class=\"bars\">",
			    "dash.by_branch");
		json_array_foreach (v, i, b) {
			html_printf(&h,
				    "<li><a href=\"/branches/%l\">%s</a> <span "
				    "class=\"muted\">%T</span><b>%l</b></li>",
				    (int64_t)json_integer_value(json_object_get(b, "id")),
				    json_string_value(json_object_get(b, "name")),
				    arena_printf(req->arena, "choice.%s",
						 json_string_value(json_object_get(b, "kind"))),
				    (int64_t)json_integer_value(json_object_get(b, "members")));
		}
		html_printf(&h, "</ul></section>");
	}
	if ((v = json_object_get(counts, "units_by_kind"))) {
		const char *kind;
		json_t *n;
		html_printf(&h, "<section class=\"card\"><h2>%T</h2><ul class=\"bars\">",
			    "dash.units_by_kind");
		json_object_foreach (v, kind, n) {
			html_printf(&h, "<li><a href=\"/units?kind=%U\">%T</a><b>%l</b></li>", kind,
				    arena_printf(req->arena, "choice.%s", kind),
				    (int64_t)json_integer_value(n));
		}
		html_printf(&h, "</ul></section>");
	}
	if ((v = json_object_get(counts, "residents_by_tag"))) {
		size_t i;
		json_t *t;
		html_printf(&h, "<section class=\"card\"><h2>%T</h2><ul class=\"bars\">",
			    "dash.by_tag");
		json_array_foreach (v, i, t) {
			const char *tag = json_string_value(json_object_get(t, "tag"));
			html_printf(&h, "<li><a href=\"/residents?tags=%U\">%s</a><b>%l</b></li>",
				    tag, tag,
				    (int64_t)json_integer_value(json_object_get(t, "residents")));
		}
		html_printf(&h, "</ul></section>");
	}
	if (json_object_size(counts) == 0)
		html_printf(&h, "<section class=\"card\"><p>%T</p></section>", "dash.nothing");
	page_end(req, &h);
	json_decref(counts);
	resp->status = 200;
	return 0;
}

static int api_dashboard(struct http_req *req, struct http_resp *resp)
{
	json_t *counts = NULL;
	int rc = dashboard_counts(req, &counts);

	if (rc) {
		json_decref(counts);
		return rc;
	}
	return resp_json(resp, 200, counts);
}

/* Route patterns built at start live as long as the process. */
static char *intern_string(const char *s)
{
	static char pool[8192];
	static size_t used;
	size_t n = strlen(s) + 1;
	char *p;

	if (used + n > sizeof(pool))
		return NULL;
	p = pool + used;
	memcpy(p, s, n);
	used += n;
	return p;
}

int registry_add_routes(struct router *r)
{
	static const struct route home[] = {
	    {"GET", "/registry", home_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/api/v1/dashboard", api_dashboard, PERM_SIGNED_IN, ROUTE_CACHEABLE, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	int rc = router_add(r, home);

	if (!rc)
		rc = registry_plan_routes(r);
	for (int i = 0; !rc && entity_at(i); i++) {
		rc = registry_api_routes(r, entity_at(i), intern_string);
		if (!rc)
			rc = registry_page_routes(r, entity_at(i), intern_string);
	}
	return rc;
}
