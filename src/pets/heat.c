/* The heat map of pet reports (/pets/map): one month's reports of pet
 * waste and pet nuisance counted in square cells of the registry's site
 * plan, so the 携宠善行 team sees where to patrol. The points come through
 * cases_points, the case pages' own door: whoever may not open those
 * cases gets no page (the route asks PERM_CASES_READ) and no points. A
 * cell names no case and no reporter. */
#include "internal.h"
#include "web.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../registry/registry.h"
#include "../web/svg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define HEAT_CELL 50 /* plan units a cell is across (the plan is 1000 wide) */
#define HEAT_COLS 20 /* PLAN_WIDTH / HEAT_CELL */
#define HEAT_ROWS 40 /* a plan twice as tall as wide at most */

/* One month's cells. */
struct heat {
	int count[HEAT_ROWS][HEAT_COLS]; /* reports per cell */
	int max;			 /* the busiest cell's */
	int placed, unplaced;		 /* reports drawn, and those with no place */
	int waste, nuisance;		 /* reports by category */
};

/* point: where report row falls on plan p (real: the footprints; else the
 * old 1000 x 1000 grid of plan_x, plan_y). 0, or 1 when it has no place. */
static int point(const struct registry_plan *p, json_t *row, double *x, double *y)
{
	json_t *px = json_object_get(row, "plan_x"), *py = json_object_get(row, "plan_y");
	json_t *lat = json_object_get(row, "lat_e6"), *lon = json_object_get(row, "lon_e6");

	if (!p->n) {
		if (!json_is_integer(px) || !json_is_integer(py))
			return 1;
		*x = (double)json_integer_value(px);
		*y = (double)json_integer_value(py);
		return 0;
	}
	if (json_is_integer(lat) && json_is_integer(lon)) {
		registry_plan_xy(p, json_integer_value(lon), json_integer_value(lat), x, y);
	} else {
		const struct plan_feature *f =
		    registry_plan_find(p, json_integer_value(json_object_get(row, "compound_id")),
				       json_integer_value(json_object_get(row, "building_id")));
		int64_t plon, plat;
		if (!f)
			return 1;
		/* the same spot the case map draws it at */
		registry_plan_spot(f, (uint64_t)json_integer_value(json_object_get(row, "id")),
				   &plon, &plat);
		registry_plan_xy(p, plon, plat, x, y);
	}
	return 0;
}

/* heat_count puts each report of rows in its cell of a width x height plan. */
static void heat_count(struct heat *h, const struct registry_plan *p, json_t *rows, int width,
		       int height)
{
	json_t *row;
	size_t i;

	memset(h, 0, sizeof(*h));
	json_array_foreach (rows, i, row) {
		double x, y;
		int cx, cy;
		if (!strcmp(json_string_value(json_object_get(row, "category")), "pet_waste"))
			h->waste++;
		else
			h->nuisance++;
		if (point(p, row, &x, &y) || x < 0 || y < 0 || x >= width || y >= height) {
			h->unplaced++;
			continue;
		}
		cx = (int)(x / HEAT_CELL);
		cy = (int)(y / HEAT_CELL);
		if (cx >= HEAT_COLS || cy >= HEAT_ROWS) {
			h->unplaced++;
			continue;
		}
		h->placed++;
		if (++h->count[cy][cx] > h->max)
			h->max = h->count[cy][cx];
	}
}

/* draw writes the plan and the cells over it. */
static void draw(struct http_req *req, struct buf *out, const struct registry_plan *p,
		 const struct heat *h, int width, int height)
{
	svg_begin(out, "map-plan pets-heat", "pets-heat", width, height,
		  req_t(req, "pets.map_svg_title"), req_t(req, "pets.map_svg_desc"));
	buf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f4f1ea\"/>", width,
		 height);
	if (p->n)
		registry_plan_draw(out, p, NULL);
	buf_adds(out, "<g class=\"pets-cells\">");
	for (int r = 0; r < HEAT_ROWS; r++)
		for (int c = 0; c < HEAT_COLS; c++) {
			char n[16];
			int k = h->count[r][c];
			if (!k)
				continue;
			/* from a pale orange for one report to a deep red for the busiest */
			buf_addf(
			    out,
			    "<g class=\"pets-cell\" data-count=\"%d\"><rect x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\" fill=\"#c0392b\" fill-opacity=\"%.2f\" "
			    "stroke=\"#7b241c\" stroke-width=\"2\"><title>%d</title></rect>",
			    k, c * HEAT_CELL, r * HEAT_CELL, HEAT_CELL, HEAT_CELL,
			    0.25 + 0.6 * (double)k / (double)(h->max ? h->max : 1), k);
			snprintf(n, sizeof(n), "%d", k);
			buf_addf(out, "<g font-size=\"30\" font-weight=\"700\">");
			svg_text(out, c * HEAT_CELL + HEAT_CELL / 2.0, r * HEAT_CELL + 36, "middle",
				 NULL, "#ffffff", n);
			buf_adds(out, "</g></g>");
		}
	buf_adds(out, "</g>");
	/* the names over the cells: where a hot spot is must stay readable */
	if (p->n)
		registry_plan_labels(out, p, 1);
	svg_end(out);
}

static int map_page(struct http_req *req, struct http_resp *resp)
{
	struct html hw = {&resp->body, req->lang};
	struct registry_plan p;
	struct heat *h = arena_alloc(req->arena, sizeof(*h));
	const char *q = req_query(req, "month");
	int64_t month = pets_month_of((int64_t)time(NULL));
	json_t *rows = NULL;
	char this[16], prev[16], next[16];
	int width = PLAN_WIDTH, height = PLAN_WIDTH, rc;

	if (!h)
		return LIN_ENOMEM;
	if (q && *q && pets_month_parse(q, &month))
		return resp_error(req, resp, 400, "invalid", "pets.err.month");
	memset(&p, 0, sizeof(p));
	rc = cases_points(req, "pet_waste", "pet_nuisance", pets_month_start(month),
			  pets_month_start(month + 1), &rows);
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "err.forbidden");
	if (!rc)
		rc = registry_plan_load(req->db, req->sess.area_id, &p);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	if (p.n) {
		registry_plan_fit(&p, 0);
		width = p.width;
		height = p.height < HEAT_ROWS * HEAT_CELL ? p.height : HEAT_ROWS * HEAT_CELL;
	}
	heat_count(h, &p, rows, width, height);
	json_decref(rows);
	pets_month_text(month, this);
	pets_month_text(month - 1, prev);
	pets_month_text(month + 1, next);
	page_begin(req, &hw, req_t(req, "pets.map_title"));
	html_printf(&hw, "<div class=\"page-head\"><h1>%T</h1></div>", "pets.map_title");
	html_printf(
	    &hw,
	    "<form method=\"get\" action=\"/pets/map\" class=\"pets-month\"><a "
	    "href=\"/pets/map?month=%U\" aria-label=\"%T\">‹ %s</a><label>%T <input "
	    "type=\"month\" name=\"month\" value=\"%s\"></label><button "
	    "type=\"submit\">%T</button><a href=\"/pets/map?month=%U\" aria-label=\"%T\">%s "
	    "›</a></form>",
	    prev, "pets.prev_month", prev, "pets.month", this, "pets.show", next, "pets.next_month",
	    next);
	html_printf(&hw, "<p id=\"pets-heat-summary\"><b>%l</b> %T · %T %l · %T %l · %T %l</p>",
		    (int64_t)(h->placed + h->unplaced), "pets.reports_in_month", "pets.waste",
		    (int64_t)h->waste, "pets.nuisance", (int64_t)h->nuisance, "pets.unplaced",
		    (int64_t)h->unplaced);
	html_printf(&hw, "<div class=\"map-wrap\">");
	draw(req, hw.out, &p, h, width, height);
	html_printf(&hw, "</div><p class=\"muted\">%T</p>", "pets.map_hint");
	page_end(req, &hw);
	registry_plan_release(&p);
	return 0;
}

const struct route pets_heat_routes[] = {
    {"GET", "/pets/map", map_page, PERM_CASES_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
