/* The site plan (/cases/map): the area's compounds as labelled blocks
 * shaded by how many reports came from each in the period, and every
 * report as a marker coloured (and shaped) by its state, linking to the
 * case. Compounds have no geometry in the registry, so they are laid out
 * as a grid in id order; a report with a point on the plan is drawn there,
 * one with only a compound at a spot inside it fixed by its id. Markers
 * name the case number, category and state, never the reporter. */
#include "map.h"
#include "stats.h"
#include "stats_view.h"
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"
#include "../base/rand.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAP_MAX_COMPOUNDS 400  /* compounds drawn; more would not be legible */
#define MAP_MAX_MARKERS	  3000 /* newest reports drawn; the rest are counted */
#define MAP_NAME_PX	  42.0 /* compound names, plan units */
#define MAP_MARKER_R	  16   /* marker radius, plan units */
#define MAP_HIT_R	  30   /* the invisible target around a marker, for fingers */

/* ------------------------------------------------------------ geometry */

void map_cell(int n, int i, struct map_rect *out)
{
	int cols = 1, rows, span = MAP_SIZE - 2 * MAP_MARGIN;

	if (n < 1)
		n = 1;
	while (cols * cols < n)
		cols++;
	rows = (n + cols - 1) / cols;
	if (i < 0)
		i = 0;
	out->w = (span - (cols - 1) * MAP_GAP) / cols;
	out->h = (span - (rows - 1) * MAP_GAP) / rows;
	out->x = MAP_MARGIN + (i % cols) * (out->w + MAP_GAP);
	out->y = MAP_MARGIN + (i / cols) * (out->h + MAP_GAP);
}

void map_jitter(int64_t case_id, const struct map_rect *r, int *x, int *y)
{
	uint64_t h = lin_mix64((uint64_t)case_id);
	int inset = MAP_MARKER_R + 8, band = r->h > 2 * MAP_LABEL_BAND ? MAP_LABEL_BAND : r->h / 3;
	int wide = r->w - 2 * inset, tall = r->h - band - 2 * inset;

	*x = wide > 0 ? r->x + inset + (int)((h & 0xffffffffu) % (uint64_t)wide) : r->x + r->w / 2;
	*y = tall > 0 ? r->y + band + inset + (int)((h >> 32) % (uint64_t)tall) : r->y + r->h / 2;
}

/* ------------------------------------------------------------ colours */

/* How each state is drawn: Okabe-Ito colours, and a shape for the group
 * (circle: still open; square: done; diamond: set aside) so the states do
 * not rest on colour alone. */
static const struct {
	const char *fill; /* marker fill */
	char shape;	  /* 'c' circle, 's' square, 'd' diamond */
} state_look[CASE_STATE_COUNT] = {
    [CASE_SUBMITTED] = {"#E69F00", 'c'}, [CASE_ACCEPTED] = {"#56B4E9", 'c'},
    [CASE_ASSIGNED] = {"#0072B2", 'c'},	 [CASE_IN_PROGRESS] = {"#009E73", 'c'},
    [CASE_REFERRED] = {"#CC79A7", 'c'},	 [CASE_REOPENED] = {"#D55E00", 'c'},
    [CASE_RESOLVED] = {"#F0E442", 's'},	 [CASE_CLOSED] = {"#999999", 's'},
    [CASE_REJECTED] = {"#000000", 'd'},	 [CASE_DUPLICATE] = {"#FFFFFF", 'd'},
};

/* heat: the fill for a compound with share t (0..1) of the busiest one's
 * reports, from ColorBrewer's single-hue Purples (#f2f0f7 to #54278f). */
static void heat(double t, char out[8])
{
	static const int lo[3] = {0xf2, 0xf0, 0xf7}, hi[3] = {0x54, 0x27, 0x8f};
	int c[3];

	if (!(t > 0))
		t = 0;
	if (t > 1)
		t = 1;
	for (int k = 0; k < 3; k++)
		c[k] = (int)lround(lo[k] + (hi[k] - lo[k]) * t);
	snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* ------------------------------------------------------------ data */

/* A compound on the plan. */
struct map_compound {
	int64_t id;	     /* compounds.id */
	const char *name;    /* its name (arena) */
	struct map_rect box; /* where it is drawn */
	int64_t reports;     /* reports in the period (after the filters) */
};

/* A report's marker. */
struct map_marker {
	int64_t id;	     /* cases.id */
	int64_t category_id; /* for the tooltip */
	int state;	     /* enum case_state, -1 if unknown */
	int x, y;	     /* plan units */
};

/* One request's map. */
struct map_view {
	struct map_compound *compounds;	    /* in id order (arena) */
	int ncompounds;			    /* entries in compounds */
	struct map_marker *markers;	    /* newest first (arena) */
	int nmarkers;			    /* entries drawn */
	int64_t reports;		    /* reports in the period (after the filters) */
	int64_t unplaced;		    /* reports with neither a point nor a live compound */
	int64_t undrawn;		    /* placed reports beyond MAP_MAX_MARKERS */
	int64_t by_state[CASE_STATE_COUNT]; /* markers drawn, by state */
	const char **category_names;	    /* parallel to category_ids (arena) */
	int *category_private;		    /* parallel too: a private category */
	int64_t *category_ids;		    /* every category of the area (arena) */
	int ncategories;		    /* entries in both */
	char from[16], to[16];		    /* the period, local dates, both included */
	const char *state;		    /* the state asked for, or NULL for all */
	int see_private;		    /* the reader may open private cases */
};

/* load_compounds: the area's live compounds in id order (at most
 * MAP_MAX_COMPOUNDS), placed on the plan. */
static int load_compounds(struct http_req *req, struct map_view *v)
{
	json_t *rows = NULL, *row;
	size_t i, n;
	int more, rc;

	rc = registry_choices(req->db, "compounds", req->sess.area_id, NULL, MAP_MAX_COMPOUNDS,
			      &rows, &more);
	n = rc ? 0 : json_array_size(rows);
	v->compounds = arena_alloc(req->arena, sizeof(*v->compounds) * (n + 1));
	if (!v->compounds)
		rc = LIN_ENOMEM;
	json_array_foreach (rows, i, row) {
		struct map_compound *c;
		if (rc)
			break;
		c = &v->compounds[v->ncompounds++];
		c->id = (int64_t)json_integer_value(json_object_get(row, "id"));
		c->name =
		    arena_strdup(req->arena, json_string_value(json_object_get(row, "title")));
		if (!c->name)
			rc = LIN_ENOMEM;
	}
	json_decref(rows);
	for (int k = 0; k < v->ncompounds; k++)
		map_cell(v->ncompounds, k, &v->compounds[k].box);
	return 0;
}

/* load_categories: every category's name in the reader's language. */
static int load_categories(struct http_req *req, struct map_view *v)
{
	json_t *rows = NULL, *row;
	int en = !strcmp(req->lang, "en");
	size_t i, n;
	int rc = case_categories_all(req->db, req->sess.area_id, &rows);

	n = rc ? 0 : json_array_size(rows);
	v->category_ids = arena_alloc(req->arena, sizeof(int64_t) * (n + 1));
	v->category_names = arena_alloc(req->arena, sizeof(char *) * (n + 1));
	v->category_private = arena_alloc(req->arena, sizeof(int) * (n + 1));
	if (!rc && (!v->category_ids || !v->category_names || !v->category_private))
		rc = LIN_ENOMEM;
	json_array_foreach (rows, i, row) {
		if (rc)
			break;
		v->category_ids[v->ncategories] = json_integer_value(json_object_get(row, "id"));
		v->category_names[v->ncategories] = arena_strdup(
		    req->arena,
		    json_string_value(json_object_get(row, en ? "name_en" : "name_zh")));
		v->category_private[v->ncategories] = json_is_true(json_object_get(row, "private"));
		v->ncategories++;
	}
	json_decref(rows);
	return rc;
}

/* category_name: the name of category id, "" if unknown. */
static const char *category_name(const struct map_view *v, int64_t id)
{
	for (int k = 0; k < v->ncategories; k++)
		if (v->category_ids[k] == id)
			return v->category_names[k] ? v->category_names[k] : "";
	return "";
}

/* category_private: whether category id is private (unknown ones are). */
static int category_private(const struct map_view *v, int64_t id)
{
	for (int k = 0; k < v->ncategories; k++)
		if (v->category_ids[k] == id)
			return v->category_private[k];
	return 1;
}

/* compound_by_id: the drawn compound with this id, NULL if none. */
static struct map_compound *compound_by_id(struct map_view *v, int64_t id)
{
	for (int i = 0; i < v->ncompounds; i++)
		if (v->compounds[i].id == id)
			return &v->compounds[i];
	return NULL;
}

/* load_markers reads the period's reports (newest first, of one state if
 * asked), counts them per compound and places a marker for each. */
static int load_markers(struct http_req *req, struct map_view *v, int64_t from, int64_t to)
{
	json_t *rows = NULL, *row;
	size_t i;
	int rc;

	v->markers = arena_alloc(req->arena, sizeof(*v->markers) * MAP_MAX_MARKERS);
	if (!v->markers)
		return LIN_ENOMEM;
	rc = case_period_rows(req->db, req->sess.area_id, from, to, v->state, &rows);
	json_array_foreach (rows, i, row) {
		struct map_compound *c = NULL;
		struct map_marker m;
		enum case_state s;
		json_t *compound = json_object_get(row, "compound_id");
		json_t *x = json_object_get(row, "plan_x"), *y = json_object_get(row, "plan_y");
		int placed = 1;

		if (rc)
			break;
		v->reports++;
		m.id = json_integer_value(json_object_get(row, "id"));
		m.category_id = json_integer_value(json_object_get(row, "category_id"));
		m.state = case_state_from_name(json_string_value(json_object_get(row, "state")), &s)
			      ? -1
			      : (int)s;
		if (json_is_integer(compound)) {
			c = compound_by_id(v, json_integer_value(compound));
			if (c)
				c->reports++;
		}
		/* A private case counts in the totals, as in the statistics,
		 * but its marker (where, what, a link) is only for those who
		 * may open it. */
		if (!v->see_private && category_private(v, m.category_id))
			continue;
		if (json_is_integer(x) && json_is_integer(y)) {
			m.x = (int)json_integer_value(x);
			m.y = (int)json_integer_value(y);
		} else if (c) {
			map_jitter(m.id, &c->box, &m.x, &m.y);
		} else {
			placed = 0;
		}
		if (!placed) {
			v->unplaced++;
		} else if (v->nmarkers == MAP_MAX_MARKERS) {
			v->undrawn++;
		} else {
			v->markers[v->nmarkers++] = m;
			if (m.state >= 0)
				v->by_state[m.state]++;
		}
	}
	json_decref(rows);
	return rc;
}

/* ------------------------------------------------------------ drawing */

/* draw_compound writes a compound's block, shaded by its share of the
 * busiest compound's reports. */
static void draw_compound(struct buf *out, const struct map_compound *c, int64_t max)
{
	const struct map_rect *b = &c->box;
	char fill[8];

	heat(max ? (double)c->reports / (double)max : 0, fill);
	buf_addf(out,
		 "<rect class=\"map-compound\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		 "rx=\"24\" fill=\"%s\" stroke=\"#6b6f78\" stroke-width=\"2\"/>",
		 b->x, b->y, b->w, b->h, fill);
}

/* draw_label writes a compound's name and count. Labels go over the
 * markers, ringed in the block's colour so a marker under them cannot
 * hide them, and let taps through to the markers. */
static void draw_label(struct buf *out, const struct map_compound *c, int64_t max,
		       const char *count_text)
{
	const struct map_rect *b = &c->box;
	double t = max ? (double)c->reports / (double)max : 0, px = MAP_NAME_PX;
	double w = svg_text_width(c->name, 1);
	const char *ink = t > 0.5 ? "#ffffff" : "#1d2430";
	char fill[8];

	heat(t, fill);
	if (w * px > b->w - 24)
		px = (b->w - 24) / (w > 0 ? w : 1);
	if (px > b->h / 6.0)
		px = b->h / 6.0;
	if (px < 10)
		px = 10;
	buf_addf(out,
		 "<g class=\"map-label\" pointer-events=\"none\" stroke=\"%s\" "
		 "stroke-width=\"8\" stroke-linejoin=\"round\" paint-order=\"stroke\">"
		 "<g font-size=\"%d\" font-weight=\"700\">",
		 fill, (int)px);
	svg_text(out, b->x + 16, b->y + 12 + px, "start", "map-name", ink, c->name);
	buf_addf(out, "</g><g font-size=\"%d\">", (int)(px * 0.72));
	svg_text(out, b->x + 16, b->y + 20 + px * 1.8, "start", "map-count", ink, count_text);
	buf_adds(out, "</g></g>");
}

/* marker_shape writes the marker's outline at x, y in the state's look. */
static void marker_shape(struct buf *out, int state, int x, int y, int r)
{
	const char *fill = state >= 0 ? state_look[state].fill : "#ffffff";
	char shape = state >= 0 ? state_look[state].shape : 'c';
	const char *stroke = "stroke=\"#1d2430\" stroke-width=\"3\"";

	if (shape == 's')
		buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" %s/>",
			 x - r, y - r, 2 * r, 2 * r, fill, stroke);
	else if (shape == 'd')
		buf_addf(out, "<path d=\"M%d %dL%d %dL%d %dL%d %dZ\" fill=\"%s\" %s/>", x,
			 y - r - 3, x + r + 3, y, x, y + r + 3, x - r - 3, y, fill, stroke);
	else
		buf_addf(out, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"%s\" %s/>", x, y, r,
			 fill, stroke);
}

/* draw_marker writes one report as a link with its tooltip and a wide
 * invisible target for fingers. */
static void draw_marker(struct http_req *req, struct buf *out, const struct map_view *v,
			const struct map_marker *m)
{
	const char *state = m->state >= 0 ? case_state_name((enum case_state)m->state) : "";

	buf_addf(out, "<a href=\"/cases/%lld\" class=\"map-marker\"><title>#%lld ",
		 (long long)m->id, (long long)m->id);
	html_escape(out, category_name(v, m->category_id));
	buf_adds(out, " · ");
	html_escape(out,
		    *state ? req_t(req, arena_printf(req->arena, "case.state.%s", state)) : "");
	buf_addf(out, "</title><circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"transparent\"/>", m->x,
		 m->y, MAP_HIT_R);
	marker_shape(out, m->state, m->x, m->y, MAP_MARKER_R);
	buf_adds(out, "</a>");
}

/* draw_plan writes the whole plan: blocks, markers, then labels. */
static void draw_plan(struct http_req *req, struct buf *out, const struct map_view *v, int64_t max)
{
	svg_begin(out, "map-plan", "map", MAP_SIZE, MAP_SIZE, req_t(req, "map.svg_title"),
		  req_t(req, "map.svg_desc"));
	buf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f4f1ea\"/>",
		 MAP_SIZE, MAP_SIZE);
	for (int i = 0; i < v->ncompounds; i++)
		draw_compound(out, &v->compounds[i], max);
	/* oldest first, so the newest reports are drawn on top */
	buf_adds(out, "<g class=\"map-markers\">");
	for (int i = v->nmarkers - 1; i >= 0; i--)
		draw_marker(req, out, v, &v->markers[i]);
	buf_adds(out, "</g>");
	for (int i = 0; i < v->ncompounds; i++) {
		const char *count =
		    arena_printf(req->arena, "%lld %s", (long long)v->compounds[i].reports,
				 req_t(req, "map.reports_unit"));
		draw_label(out, &v->compounds[i], max, count ? count : "");
	}
	svg_end(out);
}

/* swatch writes a small inline SVG square or marker for the legend. */
static void swatch_heat(struct buf *out, const char *fill)
{
	buf_addf(out,
		 "<svg class=\"map-swatch\" viewBox=\"0 0 20 20\" width=\"20\" height=\"20\" "
		 "aria-hidden=\"true\"><rect x=\"1\" y=\"1\" width=\"18\" height=\"18\" rx=\"4\" "
		 "fill=\"%s\" stroke=\"#6b6f78\"/></svg>",
		 fill);
}

/* swatch_state writes a state's marker for the legend. */
static void swatch_state(struct buf *out, int state)
{
	buf_adds(out, "<svg class=\"map-swatch\" viewBox=\"0 0 40 40\" width=\"20\" height=\"20\" "
		      "aria-hidden=\"true\">");
	marker_shape(out, state, 20, 20, 13);
	buf_adds(out, "</svg>");
}

/* legend writes the heat steps and the marker for every state with its count. */
static void legend(struct http_req *req, struct html *h, const struct map_view *v, int64_t max)
{
	char fill[8];

	html_printf(h, "<div class=\"map-legend\"><div><h3>%T</h3><ul class=\"map-keys\">",
		    "map.heat");
	for (int k = 0; k <= 4; k++) {
		int64_t n = (int64_t)llround((double)max * k / 4.0);
		if (k && max < 4 && n == (int64_t)llround((double)max * (k - 1) / 4.0))
			continue; /* few reports: no repeated steps */
		heat(max ? (double)n / (double)max : 0, fill);
		html_printf(h, "<li>");
		swatch_heat(h->out, fill);
		html_printf(h, " %l</li>", n);
	}
	html_printf(h, "</ul></div><div><h3>%T</h3><ul class=\"map-keys\">", "map.states");
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		const char *name = case_state_name((enum case_state)s);
		html_printf(h, "<li>");
		swatch_state(h->out, s);
		html_printf(h, " %T <span class=\"muted\">%l</span></li>",
			    arena_printf(req->arena, "case.state.%s", name), v->by_state[s]);
	}
	html_printf(h, "</ul></div></div>");
}

/* compound_table writes the reports per compound as a table. */
static void compound_table(struct html *h, const struct map_view *v)
{
	html_printf(
	    h,
	    "<div class=\"st-scroll\"><table class=\"st-table\"><caption class=\"sr\">%T</caption>"
	    "<thead><tr><th scope=\"col\">%T</th><th scope=\"col\" class=\"num\">%T</th></tr>"
	    "</thead><tbody>",
	    "map.by_compound", "map.compound", "map.reports");
	for (int i = 0; i < v->ncompounds; i++)
		html_printf(h, "<tr><th scope=\"row\">%s</th><td class=\"num\">%l</td></tr>",
			    v->compounds[i].name, v->compounds[i].reports);
	html_printf(h, "<tr><th scope=\"row\">%T</th><td class=\"num\">%l</td></tr>",
		    "map.unplaced", v->unplaced);
	html_printf(
	    h,
	    "</tbody><tfoot><tr><th scope=\"row\">%T</th><td class=\"num\"><b>%l</b></td></tr>"
	    "</tfoot></table></div>",
	    "stats.total", v->reports);
}

/* filter_form writes the period and state form. */
static void filter_form(struct http_req *req, struct html *h, const struct map_view *v)
{
	html_printf(h,
		    "<form method=\"get\" action=\"/cases/map\" class=\"search st-filters\">"
		    "<label>%T <input type=\"date\" name=\"from\" value=\"%s\"></label>"
		    "<label>%T <input type=\"date\" name=\"to\" value=\"%s\"></label>"
		    "<label>%T <select name=\"state\"><option value=\"\">%T</option>",
		    "stats.from", v->from, "stats.to", v->to, "map.state", "common.all");
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		const char *name = case_state_name((enum case_state)s);
		html_printf(h, "<option value=\"%s\"%R>%T</option>", name,
			    v->state && !strcmp(v->state, name) ? " selected" : "",
			    arena_printf(req->arena, "case.state.%s", name));
	}
	html_printf(h, "</select></label><button type=\"submit\">%T</button></form>",
		    "stats.apply");
}

/* map_page answers GET /cases/map. */
static int map_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct map_view v;
	const char *state = req_query(req, "state");
	int64_t from, to, max = 0;
	enum case_state s;
	int rc;

	memset(&v, 0, sizeof(v));
	if (stats_period(req_query(req, "from"), req_query(req, "to"), (int64_t)time(NULL), &from,
			 &to) ||
	    (state && *state && case_state_from_name(state, &s)))
		return resp_error(req, resp, 400, "invalid", "stats.err.query");
	v.state = state && *state ? state : NULL;
	v.see_private = cases_private_ok(req);
	stats_day_label(stats_local_day(from), v.from);
	stats_day_label(stats_local_day(to - 1), v.to);
	rc = load_compounds(req, &v);
	if (!rc)
		rc = load_categories(req, &v);
	if (!rc)
		rc = load_markers(req, &v, from, to);
	if (rc)
		return rc;
	for (int i = 0; i < v.ncompounds; i++)
		if (v.compounds[i].reports > max)
			max = v.compounds[i].reports;
	page_begin(req, &h, req_t(req, "map.title"));
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><div class=\"actions\"><a class=\"button\" "
	    "href=\"/cases/stats?from=%U&amp;to=%U\" title=\"%T\">%T</a></div></div>",
	    "map.title", v.from, v.to, "map.stats_link_hint", "map.stats_link");
	filter_form(req, &h, &v);
	html_printf(&h, "<p class=\"muted\">%T %s – %s · %T</p>", "stats.period", v.from, v.to,
		    "map.hint");
	html_printf(&h, "<div class=\"map-layout\"><div class=\"map-wrap\">");
	draw_plan(req, h.out, &v, max);
	html_printf(&h, "</div>");
	legend(req, &h, &v, max);
	html_printf(&h, "</div>");
	if (v.undrawn)
		html_printf(
		    &h, "<p class=\"notice\">%s</p>",
		    arena_printf(req->arena, req_t(req, "map.undrawn_fmt"), (long long)v.undrawn));
	html_printf(&h,
		    "<section class=\"card st-section\" aria-labelledby=\"map-table-h\">"
		    "<h2 id=\"map-table-h\">%T</h2>",
		    "map.by_compound");
	compound_table(&h, &v);
	html_printf(&h, "<p class=\"muted st-note\">%T</p></section>", "map.layout_note");
	page_end(req, &h);
	if (resp->body.failed)
		return LIN_ENOMEM;
	resp->status = 200;
	return 0;
}

/* ------------------------------------------------------------ the picker */

void cases_plan_picker(struct http_req *req, struct html *h, int64_t area)
{
	json_t *rows = NULL, *row;
	size_t i, n;
	int more = 0;

	/* The same layout as the map, so a point chosen here is drawn there;
	 * the page script turns a tap into plan_x/plan_y (without scripts the
	 * picker stays hidden and the compound list does the job). */
	if (registry_choices(req->db, "compounds", area, NULL, MAP_MAX_COMPOUNDS, &rows, &more) ||
	    more || !(n = json_array_size(rows))) {
		json_decref(rows);
		return;
	}
	html_printf(
	    h,
	    "<div class=\"field plan-picker\" hidden><p class=\"label\">%T</p>"
	    "<input type=\"hidden\" name=\"plan_x\" value=\"\"><input type=\"hidden\" "
	    "name=\"plan_y\" "
	    "value=\"\"><svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"%T\">",
	    "case.plan_pick", MAP_SIZE, MAP_SIZE, "case.plan_pick");
	json_array_foreach (rows, i, row) {
		struct map_rect r;
		map_cell((int)n, (int)i, &r);
		html_printf(
		    h,
		    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"18\" fill=\"#ece9f7\" "
		    "stroke=\"#6b5ca5\" stroke-width=\"3\"/><text x=\"%d\" y=\"%d\" "
		    "font-size=\"40\" "
		    "fill=\"#3b3270\">%s</text>",
		    r.x, r.y, r.w, r.h, r.x + 20, r.y + 56,
		    json_string_value(json_object_get(row, "title")));
	}
	json_decref(rows);
	html_printf(h,
		    "<circle class=\"pick\" cx=\"-100\" cy=\"-100\" r=\"22\" fill=\"#b3261e\" "
		    "stroke=\"#fff\" "
		    "stroke-width=\"6\"/></svg><small class=\"muted\">%T</small></div>",
		    "case.plan_hint");
}

int cases_map_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/cases/map", map_page, PERM_CASES_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
