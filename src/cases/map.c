/* The site plan (/cases/map): the area drawn at true scale from the
 * registry's footprints (registry_plan_draw), compounds shaded by how many
 * reports came from each in the period, and every report the reader may
 * open as a marker coloured (and shaped) by its state, linking to the
 * case; markers whose finger-sized targets would overlap are drawn as one
 * cluster with its count, linking to the compound close up or to the
 * queue. A report is drawn at its point, else at a spot inside its
 * building's or compound's footprint fixed by its id. An area without
 * footprints is laid out as before: compounds as a grid in id order.
 * Markers name the case number, category and state, never the reporter. */
#include "map.h"
#include "cases.h"
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
#include "../base/buf.h"
#include "../base/parse.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAP_MAX_COMPOUNDS 400  /* compounds drawn; more would not be legible */
#define MAP_MAX_MARKERS	  3000 /* newest reports drawn; the rest are counted */
#define MAP_MAX_LOST	  50   /* reports without a place listed under the plan */
#define MAP_NAME_PX	  42.0 /* compound names, plan units */
#define MAP_MARKER_R	  16   /* marker radius, plan units */
/* The invisible target around a marker: at least 44 CSS px across on a
 * 390 px phone, where the plan's 1000 units are drawn about 350 px wide
 * (tests/browser/plan.mjs measures it). Markers closer than two of these
 * are drawn as one cluster, so targets never overlap. */
#define MAP_HIT_R     66
#define MAP_CLUSTER_D (2 * MAP_HIT_R)

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
	struct map_rect box; /* where it is drawn on the grid (no footprints) */
	int64_t reports;     /* reports in the period (after the filters) */
	char fill[8];	     /* its heat colour */
};

/* A report's marker. */
struct map_marker {
	int64_t id;	     /* cases.id */
	int64_t category_id; /* for the tooltip */
	int64_t compound_id; /* 0 if none: where a cluster of it leads */
	int state;	     /* enum case_state, -1 if unknown */
	double x, y;	     /* plan units */
};

/* Markers drawn as one. */
struct map_cluster {
	double x, y;	     /* where: its first (newest) marker */
	int first;	     /* index of that marker */
	int count;	     /* markers in it */
	int64_t compound_id; /* their compound when they share one, else 0 */
};

/* One request's map. */
struct map_view {
	struct registry_plan plan;	    /* the footprints (none: the grid) */
	int real;			    /* drawn from footprints */
	int64_t focus;			    /* the compound shown close up, 0 for all */
	struct map_compound *compounds;	    /* in id order (arena) */
	int ncompounds;			    /* entries in compounds */
	struct map_marker *markers;	    /* newest first (arena) */
	int nmarkers;			    /* entries drawn */
	int64_t reports;		    /* reports in the period (after the filters) */
	int64_t unplaced;		    /* reports with no place on the plan */
	struct map_marker *lost;	    /* the newest MAP_MAX_LOST of them (arena) */
	int nlost;			    /* entries in lost */
	int64_t undrawn;		    /* placed reports beyond MAP_MAX_MARKERS */
	int64_t by_state[CASE_STATE_COUNT]; /* markers drawn, by state */
	const char **category_names;	    /* parallel to category_ids (arena) */
	int *category_private;		    /* parallel too: a private category */
	int64_t *category_ids;		    /* every category of the area (arena) */
	int ncategories;		    /* entries in both */
	char from[16], to[16];		    /* the period, local dates, both included */
	const char *state;		    /* the state asked for, or NULL for all */
	int closed;			    /* also cases no longer open (no state asked) */
	int see_private;		    /* the reader may open private cases */
	int width, height;		    /* the viewBox */
};

/* load_compounds: the area's live compounds in id order (at most
 * MAP_MAX_COMPOUNDS), placed on the grid. */
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
		memset(c, 0, sizeof(*c));
		c->id = (int64_t)json_integer_value(json_object_get(row, "id"));
		c->name =
		    arena_strdup(req->arena, json_string_value(json_object_get(row, "title")));
		if (!c->name)
			rc = LIN_ENOMEM;
	}
	json_decref(rows);
	for (int k = 0; k < v->ncompounds; k++)
		map_cell(v->ncompounds, k, &v->compounds[k].box);
	return rc;
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

/* has_footprints: the plan has a compound's footprint to draw (else the
 * grid stands in for it). */
static int has_footprints(const struct registry_plan *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->f[i].kind == PLAN_COMPOUND)
			return 1;
	return 0;
}

/* row_id: a row's integer column, 0 when null. */
static int64_t row_id(json_t *row, const char *key)
{
	json_t *x = json_object_get(row, key);
	return json_is_integer(x) ? (int64_t)json_integer_value(x) : 0;
}

/* place: where marker m of row goes on the plan. 0, or 1 when it has no
 * place (or, close up, lies outside the view). */
static int place(struct map_view *v, json_t *row, struct map_marker *m, struct map_compound *c)
{
	json_t *x = json_object_get(row, "plan_x"), *y = json_object_get(row, "plan_y");
	json_t *lat = json_object_get(row, "lat_e6"), *lon = json_object_get(row, "lon_e6");

	if (!v->real) {
		if (json_is_integer(x) && json_is_integer(y)) {
			m->x = (double)json_integer_value(x);
			m->y = (double)json_integer_value(y);
		} else if (c) {
			int ix, iy;
			map_jitter(m->id, &c->box, &ix, &iy);
			m->x = ix, m->y = iy;
		} else {
			return 1;
		}
		return 0;
	}
	if (json_is_integer(lat) && json_is_integer(lon)) {
		registry_plan_xy(&v->plan, json_integer_value(lon), json_integer_value(lat), &m->x,
				 &m->y);
	} else {
		/* a point chosen on the old grid means nothing here: the
		 * building's or compound's footprint does */
		const struct plan_feature *f =
		    registry_plan_find(&v->plan, m->compound_id, row_id(row, "building_id"));
		int64_t plon, plat;
		if (!f)
			return 1;
		registry_plan_spot(f, (uint64_t)m->id, &plon, &plat);
		registry_plan_xy(&v->plan, plon, plat, &m->x, &m->y);
	}
	return m->x < 0 || m->y < 0 || m->x > v->width || m->y > v->height;
}

/* load_markers reads the period's reports (newest first, of one state if
 * asked, else the open ones unless closed ones are asked for too), counts
 * them per compound and places a marker for each the reader may open. */
static int load_markers(struct http_req *req, struct map_view *v, int64_t from, int64_t to)
{
	json_t *rows = NULL, *row;
	size_t i;
	int rc;

	v->markers = arena_alloc(req->arena, sizeof(*v->markers) * MAP_MAX_MARKERS);
	v->lost = arena_alloc(req->arena, sizeof(*v->lost) * MAP_MAX_LOST);
	if (!v->markers || !v->lost)
		return LIN_ENOMEM;
	rc = case_period_rows(req->db, req->sess.area_id, from, to, v->state, &rows);
	json_array_foreach (rows, i, row) {
		struct map_compound *c = NULL;
		struct map_marker m;
		enum case_state s;

		if (rc)
			break;
		memset(&m, 0, sizeof(m));
		m.id = row_id(row, "id");
		m.category_id = row_id(row, "category_id");
		m.compound_id = row_id(row, "compound_id");
		m.state = case_state_from_name(json_string_value(json_object_get(row, "state")), &s)
			      ? -1
			      : (int)s;
		if (!v->state && !v->closed && m.state >= 0 && !case_state_open(s))
			continue;
		if (v->focus && m.compound_id != v->focus)
			continue;
		v->reports++;
		if (m.compound_id) {
			c = compound_by_id(v, m.compound_id);
			if (c)
				c->reports++;
		}
		/* A private case counts in the totals, as in the statistics,
		 * but its marker (where, what, a link) is only for those who
		 * may open it: the same rule as the case page's. */
		if (!v->see_private && category_private(v, m.category_id))
			continue;
		if (place(v, row, &m, c)) {
			v->unplaced++;
			if (v->nlost < MAP_MAX_LOST)
				v->lost[v->nlost++] = m;
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

/* cluster gathers the markers, newest first, into clusters: a marker
 * joins the first cluster within MAP_CLUSTER_D of it, else starts one.
 * OUT: *n clusters (arena). */
static struct map_cluster *cluster(struct http_req *req, const struct map_view *v, int *n)
{
	struct map_cluster *out = arena_alloc(req->arena, sizeof(*out) * (size_t)(v->nmarkers + 1));

	*n = 0;
	if (!out)
		return NULL;
	for (int i = 0; i < v->nmarkers; i++) {
		const struct map_marker *m = &v->markers[i];
		int k;
		for (k = 0; k < *n; k++)
			if (hypot(out[k].x - m->x, out[k].y - m->y) < MAP_CLUSTER_D)
				break;
		if (k == *n) {
			out[k].x = m->x;
			out[k].y = m->y;
			out[k].first = i;
			out[k].count = 0;
			out[k].compound_id = m->compound_id;
			(*n)++;
		}
		if (out[k].compound_id != m->compound_id)
			out[k].compound_id = 0;
		out[k].count++;
	}
	return out;
}

/* ------------------------------------------------------------ drawing */

/* draw_compound writes a compound's block on the grid. */
static void draw_compound(struct buf *out, const struct map_compound *c)
{
	const struct map_rect *b = &c->box;

	buf_addf(out,
		 "<rect class=\"map-compound\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		 "rx=\"24\" fill=\"%s\" stroke=\"#6b6f78\" stroke-width=\"2\"/>",
		 b->x, b->y, b->w, b->h, c->fill);
}

/* draw_label writes a compound's name and count on the grid. Labels go
 * over the markers, ringed in the block's colour so a marker under them
 * cannot hide them, and let taps through to the markers. */
static void draw_label(struct buf *out, const struct map_compound *c, int64_t max,
		       const char *count_text)
{
	const struct map_rect *b = &c->box;
	double t = max ? (double)c->reports / (double)max : 0, px = MAP_NAME_PX;
	double w = svg_text_width(c->name, 1);
	const char *ink = t > 0.5 ? "#ffffff" : "#1d2430";

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
		 c->fill, (int)px);
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
	int x = (int)lround(m->x), y = (int)lround(m->y);

	buf_addf(out, "<a href=\"/cases/%lld\" class=\"map-marker\"><title>#%lld ",
		 (long long)m->id, (long long)m->id);
	html_escape(out, category_name(v, m->category_id));
	buf_adds(out, " · ");
	html_escape(out,
		    *state ? req_t(req, arena_printf(req->arena, "case.state.%s", state)) : "");
	buf_addf(out, "</title><circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"transparent\"/>", x, y,
		 MAP_HIT_R);
	marker_shape(out, m->state, x, y, MAP_MARKER_R);
	buf_adds(out, "</a>");
}

/* filter_query: the period and state filters as a query string, for
 * links that keep them. */
static const char *filter_query(struct http_req *req, const struct map_view *v)
{
	struct buf b;
	const char *out;

	buf_init(&b, 512);
	buf_adds(&b, "from=");
	url_encode(&b, v->from);
	buf_adds(&b, "&amp;to=");
	url_encode(&b, v->to);
	if (v->state) {
		buf_adds(&b, "&amp;state=");
		url_encode(&b, v->state);
	}
	if (v->closed)
		buf_adds(&b, "&amp;closed=1");
	out = b.failed ? "" : arena_strdup(req->arena, b.buf);
	buf_release(&b);
	return out ? out : "";
}

/* draw_cluster writes markers drawn as one: their count in a ring, linking
 * to their compound close up (on the whole plan) or else to the queue of
 * their compound. */
static void draw_cluster(struct http_req *req, struct buf *out, const struct map_view *v,
			 const struct map_cluster *k)
{
	int x = (int)lround(k->x), y = (int)lround(k->y);
	const char *q = filter_query(req, v);
	char count[24];

	if (v->real && !v->focus && k->compound_id &&
	    registry_plan_find(&v->plan, k->compound_id, 0))
		buf_addf(out,
			 "<a href=\"/cases/map?compound_id=%lld&amp;%s\" class=\"map-cluster\">",
			 (long long)k->compound_id, q);
	else if (k->compound_id)
		buf_addf(out, "<a href=\"/cases?compound_id=%lld%s%s\" class=\"map-cluster\">",
			 (long long)k->compound_id, v->state ? "&amp;state=" : "",
			 v->state ? v->state : "");
	else
		buf_addf(out, "<a href=\"/cases?%s\" class=\"map-cluster\">", q);
	buf_adds(out, "<title>");
	html_escape(out, arena_printf(req->arena, req_t(req, "map.cluster_fmt"), k->count));
	buf_addf(out,
		 "</title><circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"transparent\"/>"
		 "<circle cx=\"%d\" cy=\"%d\" r=\"%d\" fill=\"#0072B2\" fill-opacity=\"0.9\" "
		 "stroke=\"#ffffff\" stroke-width=\"5\"/>",
		 x, y, MAP_HIT_R, x, y, MAP_MARKER_R + 12 + (k->count >= 10 ? 6 : 0));
	snprintf(count, sizeof(count), "%d", k->count);
	buf_adds(out, "<g font-size=\"36\" font-weight=\"700\">");
	svg_text(out, x, y + 12, "middle", "map-cluster-count", "#ffffff", count);
	buf_adds(out, "</g></a>");
}

/* compound_fill: a compound's heat colour, for registry_plan_draw. */
static const char *compound_fill(void *ctx, int64_t compound_id)
{
	struct map_compound *c = compound_by_id(ctx, compound_id);
	return c ? c->fill : NULL;
}

/* scale_bar writes a bar of a round number of metres in the corner. */
static void scale_bar(struct buf *out, const struct map_view *v)
{
	static const int steps[] = {10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
	int metres = steps[0];
	char text[16];
	double len;

	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
		if (steps[k] * v->plan.scale <= 220)
			metres = steps[k];
	len = metres * v->plan.scale;
	buf_addf(
	    out,
	    "<g class=\"map-scale\" pointer-events=\"none\"><rect x=\"16\" y=\"%d\" "
	    "width=\"%d\" height=\"48\" fill=\"#ffffff\" fill-opacity=\"0.8\"/>"
	    "<path d=\"M28 %dv10h%dv-10\" fill=\"none\" stroke=\"#1d2430\" stroke-width=\"4\"/>"
	    "<g font-size=\"36\">",
	    v->height - 64, (int)len + 100, v->height - 34, (int)lround(len));
	if (metres >= 1000)
		snprintf(text, sizeof(text), "%d km", metres / 1000);
	else
		snprintf(text, sizeof(text), "%d m", metres);
	svg_text(out, 40 + len, v->height - 24, "start", NULL, "#1d2430", text);
	buf_adds(out, "</g></g>");
}

/* draw_plan writes the whole plan: ground, markers and labels. */
static void draw_plan(struct http_req *req, struct buf *out, struct map_view *v, int64_t max)
{
	struct plan_paint paint = {compound_fill, v, NULL};
	struct map_cluster *k;
	int nk = 0;

	svg_begin(out, "map-plan", "map", v->width, v->height, req_t(req, "map.svg_title"),
		  req_t(req, v->real ? "map.svg_desc_real" : "map.svg_desc"));
	buf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f4f1ea\"/>",
		 v->width, v->height);
	/* on the true plan the names go under the markers: a cluster's
	 * count must never hide behind a compound's name */
	if (v->real) {
		registry_plan_draw(out, &v->plan, &paint);
		registry_plan_labels(out, &v->plan, 1);
	} else
		for (int i = 0; i < v->ncompounds; i++)
			draw_compound(out, &v->compounds[i]);
	k = cluster(req, v, &nk);
	/* oldest first, so the newest reports are drawn on top */
	buf_adds(out, "<g class=\"map-markers\">");
	for (int i = nk - 1; k && i >= 0; i--) {
		if (k[i].count == 1)
			draw_marker(req, out, v, &v->markers[k[i].first]);
		else
			draw_cluster(req, out, v, &k[i]);
	}
	buf_adds(out, "</g>");
	if (v->real) {
		scale_bar(out, v);
	} else {
		for (int i = 0; i < v->ncompounds; i++) {
			const char *count =
			    arena_printf(req->arena, "%lld %s", (long long)v->compounds[i].reports,
					 req_t(req, "map.reports_unit"));
			draw_label(out, &v->compounds[i], max, count ? count : "");
		}
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
		heat((max ? (double)n / (double)max : 0) * (v->real ? 0.5 : 1), fill);
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

/* lost_list names the reports without a place on the plan (the newest
 * MAP_MAX_LOST the reader may open), so that they can be found and placed. */
static void lost_list(struct http_req *req, struct html *h, const struct map_view *v)
{
	if (!v->nlost)
		return;
	html_printf(h, "<details class=\"map-lost\"><summary>%T (%l)</summary><ul>", "map.unplaced",
		    v->unplaced);
	for (int i = 0; i < v->nlost; i++) {
		const struct map_marker *m = &v->lost[i];
		const char *state = m->state >= 0 ? case_state_name((enum case_state)m->state) : "";
		html_printf(h, "<li><a href=\"/cases/%l\">#%l %s</a>", m->id, m->id,
			    category_name(v, m->category_id));
		if (*state)
			html_printf(h, " · %T", arena_printf(req->arena, "case.state.%s", state));
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul></details>");
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
	html_printf(h,
		    "</select></label><label class=\"check\"><input type=\"checkbox\" "
		    "name=\"closed\" value=\"1\"%R> %T</label>",
		    v->closed ? " checked" : "", "map.closed");
	if (v->focus)
		html_printf(h, "<input type=\"hidden\" name=\"compound_id\" value=\"%l\">",
			    v->focus);
	html_printf(h, "<button type=\"submit\">%T</button></form>", "stats.apply");
}

/* tiles_layer hands the markers the reader may open to map_tiles_layer,
 * which draws them with the footprints over the tile service. */
static void tiles_layer(struct http_req *req, struct http_resp *resp, struct html *h,
			const struct map_view *v, const struct cases_map_tiles *t)
{
	struct map_point *pts = arena_alloc(req->arena, sizeof(*pts) * (size_t)(v->nmarkers + 1));

	if (!pts)
		return;
	for (int i = 0; i < v->nmarkers; i++) {
		const struct map_marker *m = &v->markers[i];
		const char *state = m->state >= 0 ? case_state_name((enum case_state)m->state) : "";
		pts[i].id = m->id;
		pts[i].x = m->x;
		pts[i].y = m->y;
		pts[i].fill = m->state >= 0 ? state_look[m->state].fill : "#ffffff";
		pts[i].title = arena_printf(
		    req->arena, "#%lld %s · %s", (long long)m->id, category_name(v, m->category_id),
		    *state ? req_t(req, arena_printf(req->arena, "case.state.%s", state)) : "");
	}
	map_tiles_layer(req, resp, h, &v->plan, pts, v->nmarkers, t);
}

/* map_page answers GET /cases/map: the whole area, or with compound_id
 * one compound close up. */
static int map_page(struct http_req *req, struct http_resp *resp)
{
	const struct cases_map_tiles *tiles = req->route->data;
	struct html h = {&resp->body, req->lang};
	struct map_view v;
	const char *state = req_query(req, "state"), *closed = req_query(req, "closed");
	const char *focus = req_query(req, "compound_id");
	int64_t from, to, max = 0;
	enum case_state s;
	int rc;

	memset(&v, 0, sizeof(v));
	if (stats_period(req_query(req, "from"), req_query(req, "to"), (int64_t)time(NULL), &from,
			 &to) ||
	    (state && *state && case_state_from_name(state, &s)) ||
	    (focus && *focus && parse_int64(focus, 1, INT64_MAX, &v.focus)))
		return resp_error(req, resp, 400, "invalid", "stats.err.query");
	v.state = state && *state ? state : NULL;
	v.closed = closed && !strcmp(closed, "1");
	v.see_private = cases_private_ok(req);
	stats_day_label(stats_local_day(from), v.from);
	stats_day_label(stats_local_day(to - 1), v.to);
	rc = registry_plan_load(req->db, req->sess.area_id, &v.plan);
	if (rc)
		return rc;
	v.real = has_footprints(&v.plan);
	if (v.focus && !(v.real && registry_plan_find(&v.plan, v.focus, 0)))
		v.focus = 0; /* nothing to show close up */
	if (v.real)
		registry_plan_fit(&v.plan, v.focus);
	v.width = v.real ? v.plan.width : MAP_SIZE;
	v.height = v.real ? v.plan.height : MAP_SIZE;
	rc = load_compounds(req, &v);
	if (!rc)
		rc = load_categories(req, &v);
	if (!rc)
		rc = load_markers(req, &v, from, to);
	if (rc) {
		registry_plan_release(&v.plan);
		return rc;
	}
	for (int i = 0; i < v.ncompounds; i++)
		if (v.compounds[i].reports > max)
			max = v.compounds[i].reports;
	for (int i = 0; i < v.ncompounds; i++)
		/* paler on the true plan, where buildings must show through */
		heat((max ? (double)v.compounds[i].reports / (double)max : 0) * (v.real ? 0.5 : 1),
		     v.compounds[i].fill);
	page_begin(req, &h, req_t(req, "map.title"));
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><div class=\"actions\"><a class=\"button\" "
	    "href=\"/cases/stats?from=%U&amp;to=%U\" title=\"%T\">%T</a></div></div>",
	    "map.title", v.from, v.to, "map.stats_link_hint", "map.stats_link");
	if (v.focus) {
		struct map_compound *c = compound_by_id(&v, v.focus);
		html_printf(&h, "<p><b>%s</b> · <a href=\"/cases/map?%R\">%T</a></p>",
			    c ? c->name : "", filter_query(req, &v), "map.whole_area");
	}
	html_printf(&h, "<p class=\"muted\">%T %s – %s · %T</p>", "stats.period", v.from, v.to,
		    v.closed || v.state ? "map.hint" : "map.hint_open");
	/* over the tile service (outside .map-wrap, whose SVG rules are
	 * not Leaflet's) */
	if (v.real && tiles && tiles->url && *tiles->url)
		tiles_layer(req, resp, &h, &v, tiles);
	html_printf(&h, "<div class=\"map-layout\"><div class=\"map-wrap\">");
	draw_plan(req, h.out, &v, max);
	html_printf(&h, "</div>");
	legend(req, &h, &v, max);
	html_printf(&h, "</div>");
	/* the filters after the plan, so that on a phone the plan comes first */
	filter_form(req, &h, &v);
	if (v.undrawn)
		html_printf(
		    &h, "<p class=\"notice\">%s</p>",
		    arena_printf(req->arena, req_t(req, "map.undrawn_fmt"), (long long)v.undrawn));
	html_printf(&h,
		    "<section class=\"card st-section\" aria-labelledby=\"map-table-h\">"
		    "<h2 id=\"map-table-h\">%T</h2>",
		    "map.by_compound");
	compound_table(&h, &v);
	lost_list(req, &h, &v);
	html_printf(&h, "<p class=\"muted st-note\">%T</p></section>",
		    v.real ? "map.layout_note_real" : "map.layout_note");
	page_end(req, &h);
	registry_plan_release(&v.plan);
	if (resp->body.failed)
		return LIN_ENOMEM;
	resp->status = 200;
	return 0;
}

/* ------------------------------------------------------------ the picker */

/* picker_real writes the picker on the area's footprints: the page script
 * turns a tap into lat/long with the projection the svg carries. */
static void picker_real(struct http_req *req, struct html *h, const struct registry_plan *p)
{
	char proj[160];

	snprintf(proj, sizeof(proj),
		 "data-lat0=\"%.7f\" data-lon0=\"%.7f\" data-x0=\"%.3f\" data-y0=\"%.3f\" "
		 "data-scale=\"%.6f\"",
		 p->lat0, p->lon0, p->x0, p->y0, p->scale);
	html_printf(h,
		    "<div class=\"field plan-picker\" hidden><p class=\"label\">%T</p>"
		    "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"%T\" "
		    "%R><rect width=\"%d\" height=\"%d\" fill=\"#f4f1ea\"/>",
		    "case.plan_pick", p->width, p->height, "case.plan_pick", proj, p->width,
		    p->height);
	registry_plan_draw(h->out, p, NULL);
	registry_plan_labels(h->out, p, 1.15); /* the form is narrower */
	html_printf(h,
		    "<circle class=\"pick\" cx=\"-100\" cy=\"-100\" r=\"22\" fill=\"#b3261e\" "
		    "stroke=\"#fff\" stroke-width=\"6\"/></svg><small class=\"muted\">%T</small>"
		    "</div>",
		    "case.plan_hint");
}

void cases_plan_picker(struct http_req *req, struct html *h, int64_t area)
{
	struct registry_plan plan;
	json_t *rows = NULL, *row;
	size_t i, n;
	int more = 0;

	/* The same drawing as the map, so a point chosen here is drawn
	 * there; without scripts the picker stays hidden and the compound
	 * and building lists do the job. */
	if (!registry_plan_load(req->db, area, &plan) && has_footprints(&plan)) {
		picker_real(req, h, &plan);
		registry_plan_release(&plan);
		return;
	}
	registry_plan_release(&plan);
	/* No footprints: the grid, and the tap becomes plan_x/plan_y. */
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

int cases_map_routes(struct router *r, const struct cases_map_tiles *tiles)
{
	const struct route routes[] = {
	    {"GET", "/cases/map", map_page, PERM_CASES_READ, 0, tiles, 0},
	    {"GET", "/vendor/leaflet/:name", map_vendor_leaflet, PERM_PUBLIC, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
