/* The staff's live progress of an assembly (/assemblies/:id/progress and
 * its JSON): doors delivered and returned, participation by headcount and
 * by area against the 2/3 quorum as two bars, each building of the roll
 * coloured on the registry's site plan by how many sheets came back, and
 * which volunteer still has which doors. The page is whole without
 * script; assembly-progress.js only fetches it again now and then. */
#include "doors.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/svg.h"

#include <stdio.h>
#include <string.h>

#define PROGRESS_REFRESH_S   30 /* how often the script fetches the page again */
#define PROGRESS_REFRESH_MIN 5	/* ?every= may ask for more often, not more than this */

static int64_t num(json_t *o, const char *k)
{
	return (int64_t)json_integer_value(json_object_get(o, k));
}

/* per_mille: part of whole in thousandths, rounded down (0 for no whole). */
static int64_t per_mille(int64_t part, int64_t whole)
{
	return whole > 0 ? part * 1000 / whole : 0;
}

/* pct: part of whole as "66.6%", one decimal, rounded down: a bar never
 * shows the quorum reached before the exact count says so. */
static const char *pct(struct http_req *req, int64_t part, int64_t whole)
{
	int64_t m = per_mille(part, whole);
	return arena_printf(req->arena, "%lld.%lld%%", (long long)(m / 10), (long long)(m % 10));
}

/* bar: a horizontal bar of part / whole with the 2/3 mark, as SVG (no
 * inline style: the CSP forbids it). */
static void bar(struct http_req *req, struct html *h, const char *cls, const char *label,
		const char *value, int64_t part, int64_t whole, bool met)
{
	int64_t m = per_mille(part, whole);

	html_printf(h,
		    "<div class=\"doors-quorum %s\" data-per-mille=\"%l\" data-met=\"%s\">"
		    "<p><span>%s</span> <b>%s</b> <span class=\"badge %s\">%T</span></p>",
		    cls, m, met ? "yes" : "no", label, value, met ? "ok" : "short",
		    met ? "assembly.doors.quorum_met" : "assembly.doors.quorum_not_met");
	html_printf(
	    h,
	    "<svg viewBox=\"0 0 1000 60\" class=\"doors-bar\" role=\"img\" "
	    "aria-label=\"%s %s\" preserveAspectRatio=\"none\">"
	    "<rect x=\"0\" y=\"10\" width=\"1000\" height=\"40\" rx=\"6\" fill=\"#e6e9ee\"/>"
	    "<rect x=\"0\" y=\"10\" width=\"%l\" height=\"40\" rx=\"6\" fill=\"%s\"/>"
	    "<line x1=\"667\" x2=\"667\" y1=\"0\" y2=\"60\" stroke=\"#1d2430\" "
	    "stroke-width=\"6\"/></svg>",
	    label, value, m > 1000 ? 1000 : m, met ? "#2e7d32" : "#c77700");
	html_printf(h, "</div>");
}

static void quorum(struct http_req *req, struct html *h, json_t *p)
{
	int64_t owners = num(p, "owners"), area = num(p, "area_centi");
	int64_t po = num(p, "participating_owners"), pa = num(p, "participating_area_centi");
	struct buf a1, a2;
	json_t *m;
	size_t k;

	buf_init(&a1, 64);
	buf_init(&a2, 64);
	/* each bar its own half of the count's quorum rule (the other half
	 * given as met): the badge says what the count would */
	tally_area_format(&a1, pa);
	tally_area_format(&a2, area);
	html_printf(h, "<section class=\"card doors-participation\"><h2>%T</h2>",
		    "assembly.doors.participation");
	bar(req, h, "doors-by-owners", req_t(req, "assembly.doors.by_owners"),
	    arena_printf(req->arena, "%lld / %lld (%s)", (long long)po, (long long)owners,
			 pct(req, po, owners)),
	    po, owners, owners > 0 && tally_quorum(1, 1, po, owners));
	bar(req, h, "doors-by-area", req_t(req, "assembly.doors.by_area"),
	    arena_printf(req->arena, "%s / %s m² (%s)", a1.buf, a2.buf, pct(req, pa, area)), pa,
	    area, area > 0 && tally_quorum(pa, area, 1, 1));
	buf_release(&a1);
	buf_release(&a2);
	html_printf(h, "<p class=\"muted\">%T %T</p>", "assembly.doors.mark",
		    "assembly.doors.weakest");
	if (json_array_size(json_object_get(p, "matters")) > 1) {
		html_printf(h,
			    "<table class=\"doors-table\"><thead><tr><th>%T</th><th>%T</th>"
			    "<th>%T</th><th>%T</th></tr></thead><tbody>",
			    "assembly.doors.matter", "assembly.doors.by_owners",
			    "assembly.doors.by_area", "assembly.doors.quorum");
		json_array_foreach (json_object_get(p, "matters"), k, m) {
			struct buf b;
			buf_init(&b, 4096);
			tally_area_format(&b, num(m, "participating_area_centi"));
			html_printf(h, "<tr><td>%s</td><td>%l</td><td>%s m²</td><td>%T</td></tr>",
				    json_string_value(json_object_get(m, "code")),
				    num(m, "participating_owners"), b.buf,
				    json_is_true(json_object_get(m, "quorum_met"))
					? "assembly.doors.quorum_met"
					: "assembly.doors.quorum_not_met");
			buf_release(&b);
		}
		html_printf(h, "</tbody></table>");
	}
	html_printf(h, "</section>");
}

static void figures(struct http_req *req, struct html *h, json_t *p)
{
	static const char *const keys[][2] = {
	    {"doors", "assembly.doors.doors"},
	    {"assigned", "assembly.doors.assigned"},
	    {"delivered", "assembly.doors.outcome.delivered"},
	    {"returned", "assembly.doors.outcome.returned"},
	    {"nobody_home", "assembly.doors.outcome.nobody_home"},
	    {"refused", "assembly.doors.outcome.refused"},
	};
	(void)req;
	html_printf(h, "<dl class=\"doors-figures\">");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		html_printf(h, "<div data-figure=\"%s\"><dt>%T</dt><dd>%l</dd></div>", keys[i][0],
			    keys[i][1], num(p, keys[i][0]));
	html_printf(h, "</dl>");
}

/* fill: a building's colour by the share of sheets returned. */
static const char *fill(int64_t returned, int64_t doors)
{
	static const char *const steps[] = {"#f3e3c3", "#d9e8b8", "#a9d18e", "#6fb35f", "#2e7d32"};
	int64_t m = per_mille(returned, doors);
	return steps[m >= 1000 ? 4 : m >= 667 ? 3 : m >= 333 ? 2 : m > 0 ? 1 : 0];
}

/* building_shape: building_id's own footprint in the plan, or NULL. */
static const struct plan_feature *building_shape(const struct registry_plan *p, int64_t id)
{
	const struct plan_feature *f = id ? registry_plan_find(p, 0, id) : NULL;
	return f && f->kind == PLAN_BUILDING && f->building_id == id ? f : NULL;
}

/* site_plan: the registry's plan of the compound with each building of
 * the roll painted by sheets returned and labelled returned/doors. */
static void site_plan(struct http_req *req, struct html *h, const struct assembly *a, json_t *pr)
{
	struct registry_plan plan;
	json_t *b;
	size_t k;
	int drawn = 0;

	if (registry_plan_load(req->db, req->sess.area_id, &plan))
		return;
	json_array_foreach (json_object_get(pr, "buildings"), k, b)
		drawn += building_shape(&plan, num(b, "building_id")) != NULL;
	if (!drawn) {
		registry_plan_release(&plan);
		return;
	}
	registry_plan_fit(&plan, a->compound_id);
	html_printf(h, "<section class=\"card doors-plan\"><h2>%T</h2>", "assembly.doors.plan");
	svg_begin(h->out, "doors-plan-svg", "doors-plan", plan.width, plan.height,
		  req_t(req, "assembly.doors.plan"), req_t(req, "assembly.doors.plan_desc"));
	buf_addf(h->out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f4f1ea\"/>",
		 plan.width, plan.height);
	registry_plan_draw(h->out, &plan, NULL);
	json_array_foreach (json_object_get(pr, "buildings"), k, b) {
		const struct plan_feature *f = building_shape(&plan, num(b, "building_id"));
		double x, y, cx = 0, top = plan.height, bottom = 0;
		char label[48];
		if (!f || f->npoints < 3)
			continue;
		buf_addf(h->out, "<g class=\"doors-plan-b\" data-building=\"%lld\"><title>",
			 (long long)num(b, "building_id"));
		html_escape(h->out, json_string_value(json_object_get(b, "building")));
		buf_addf(h->out, " %lld/%lld</title><path d=\"", (long long)num(b, "returned"),
			 (long long)num(b, "doors"));
		for (int i = 0; i < f->npoints; i++) {
			registry_plan_xy(&plan, f->pt[i][0], f->pt[i][1], &x, &y);
			buf_adds(h->out, i ? "L" : "M");
			svg_num(h->out, x);
			buf_adds(h->out, " ");
			svg_num(h->out, y);
			cx += x / f->npoints;
			top = y < top ? y : top;
			bottom = y > bottom ? y : bottom;
		}
		/* the name above the footprint, returned/doors under it, haloed */
		buf_addf(
		    h->out,
		    "Z\" fill=\"%s\" stroke=\"#1d2430\" stroke-width=\"4\"/><g font-size=\"34\" "
		    "font-weight=\"700\" stroke=\"#ffffff\" stroke-width=\"7\" "
		    "paint-order=\"stroke\">",
		    fill(num(b, "returned"), num(b, "doors")));
		svg_text(h->out, cx, top - 10, "middle", "doors-plan-name", "#1d2430",
			 json_string_value(json_object_get(b, "building")));
		snprintf(label, sizeof(label), "%lld/%lld", (long long)num(b, "returned"),
			 (long long)num(b, "doors"));
		svg_text(h->out, cx, bottom + 38, "middle", "doors-plan-count", "#1d2430", label);
		buf_adds(h->out, "</g></g>");
	}
	svg_end(h->out);
	html_printf(h, "<p class=\"muted\">%T</p></section>", "assembly.doors.plan_legend");
	registry_plan_release(&plan);
}

static void buildings(struct http_req *req, struct html *h, json_t *pr)
{
	json_t *b;
	size_t k;

	html_printf(
	    h,
	    "<section class=\"card\"><h2>%T</h2><table class=\"doors-table\">"
	    "<thead><tr><th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></thead>"
	    "<tbody>",
	    "assembly.doors.by_building", "assembly.doors.building", "assembly.doors.doors",
	    "assembly.doors.outcome.delivered", "assembly.doors.outcome.returned",
	    "assembly.doors.voted");
	json_array_foreach (json_object_get(pr, "buildings"), k, b)
		html_printf(
		    h,
		    "<tr data-building=\"%l\"><td>%s</td><td data-label=\"%T\">%l</td>"
		    "<td data-label=\"%T\">%l</td><td data-label=\"%T\">%l</td>"
		    "<td data-label=\"%T\" class=\"doors-voted\">%l</td></tr>",
		    num(b, "building_id"), json_string_value(json_object_get(b, "building")),
		    "assembly.doors.doors", num(b, "doors"), "assembly.doors.outcome.delivered",
		    num(b, "delivered"), "assembly.doors.outcome.returned", num(b, "returned"),
		    "assembly.doors.voted", num(b, "voted"));
	html_printf(h, "</tbody></table></section>");
}

/* outstanding: per volunteer, the doors still to visit. */
static void outstanding(struct http_req *req, struct html *h, const struct assembly *a, json_t *pr)
{
	json_t *v, *d;
	size_t k, j;

	html_printf(h, "<section class=\"card\"><h2>%T</h2><ul class=\"doors-outstanding\">",
		    "assembly.doors.outstanding");
	json_array_foreach (json_object_get(pr, "volunteers"), k, v) {
		json_t *left = json_object_get(v, "outstanding");
		html_printf(
		    h,
		    "<li data-volunteer=\"%l\"><details><summary><b>%s</b> · %s · "
		    "<span class=\"doors-left\">%l</span> / %l %T</summary><p>",
		    num(v, "volunteer_id"), json_string_value(json_object_get(v, "volunteer")),
		    json_string_value(json_object_get(v, "group")), (int64_t)json_array_size(left),
		    num(v, "doors"), "assembly.doors.to_go");
		json_array_foreach (left, j, d)
			html_printf(h, "%s<span class=\"doors-unit-chip\">%s</span>", j ? " " : "",
				    json_string_value(json_object_get(d, "unit")));
		html_printf(h,
			    "</p><p><a href=\"/assemblies/%l/doors/mine?volunteer=%l\">%T</a></p>"
			    "</details></li>",
			    a->id, num(v, "volunteer_id"), "assembly.doors.their_doors");
	}
	if (!json_array_size(json_object_get(pr, "volunteers")))
		html_printf(h, "<li class=\"empty\">%T</li>", "assembly.doors.none_assigned");
	html_printf(h, "</ul></section>");
}

int doors_progress_page(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	struct html h = {&resp->body, req->lang};
	json_t *pr = NULL;
	const char *q = req_query(req, "every");
	int64_t every = PROGRESS_REFRESH_S;
	int rc;

	if (doors_assembly(req, resp, &a))
		return 0;
	/* a wall screen may refresh more often (?every=seconds) */
	if (q && parse_int64(q, PROGRESS_REFRESH_MIN, 3600, &every))
		every = PROGRESS_REFRESH_S;
	rc = doors_progress_json(req->db, req->sess.area_id, a.id, &pr);
	if (rc)
		return doors_refuse(req, resp, rc, NULL);
	page_begin(req, &h, req_t(req, "assembly.doors.progress"));
	html_printf(&h,
		    "<h1>%T</h1><p class=\"muted\">%s</p>"
		    "<div id=\"doors-progress\" data-refresh=\"%d\">",
		    "assembly.doors.progress", a.title, (int)every);
	figures(req, &h, pr);
	quorum(req, &h, json_object_get(pr, "participation"));
	site_plan(req, &h, &a, pr);
	buildings(req, &h, pr);
	outstanding(req, &h, &a, pr);
	html_printf(&h, "</div>");
	if (req_can(req, PERM_ASSEMBLY_WRITE))
		html_printf(&h, "<p><a class=\"button\" href=\"/assemblies/%l/doors\">%T</a></p>",
			    a.id, "assembly.doors.title");
	html_printf(&h, "<script src=\"/static/assembly-progress.js\" defer></script>");
	json_decref(pr);
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

int doors_progress_api(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *pr = NULL;
	int rc;

	if (doors_assembly(req, resp, &a))
		return 0;
	rc = doors_progress_json(req->db, req->sess.area_id, a.id, &pr);
	if (rc) {
		json_decref(pr);
		return doors_refuse(req, resp, rc, NULL);
	}
	json_object_set_new(pr, "assembly_id", json_integer(a.id));
	return resp_json(resp, 200, pr);
}
