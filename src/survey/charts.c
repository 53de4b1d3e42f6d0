/* The campaign's pictures: coverage on the registry's site plan (each
 * covered building shaded by the share of its doors reached) with the
 * numbers by building and compound, and a bar chart of each choice
 * question's answers (src/web/svg.h). */
#include "internal.h"
#include "../base/parse.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/svg.h"

#include <stdio.h>
#include <string.h>

/* The shades of reached doors: none yet, under a half, under all, all. */
static const char *const shades[] = {"#f4c7a1", "#f9e08b", "#b9dca2", "#4f9a5b"};

static const char *shade(int64_t reached, int64_t doors)
{
	if (!doors || !reached)
		return shades[0];
	if (reached * 2 < doors)
		return shades[1];
	return reached < doors ? shades[2] : shades[3];
}

static const char *building_fill(void *ctx, int64_t building_id)
{
	size_t i;
	json_t *b;
	json_array_foreach ((json_t *)ctx, i, b)
		if (survey_num(b, "building_id") == building_id)
			return shade(survey_num(b, "reached"), survey_num(b, "doors"));
	return NULL;
}

/* the_compound: the one compound every covered building is in, else 0. */
static int64_t the_compound(json_t *coverage)
{
	int64_t c = 0;
	size_t i;
	json_t *b;
	json_array_foreach (coverage, i, b) {
		if (c && c != survey_num(b, "compound_id"))
			return 0;
		c = survey_num(b, "compound_id");
	}
	return c;
}

static void percent(struct html *h, int64_t n, int64_t of)
{
	html_printf(h, "<td class=\"num\">%l <span class=\"muted\">(%l%%)</span></td>", n,
		    of ? (n * 100 + of / 2) / of : 0);
}

/* pins: on each covered building with a footprint, a disc in its shade
 * with the share of doors reached, its numbers in the tooltip. */
static void pins(struct http_req *req, struct html *h, const struct registry_plan *plan,
		 json_t *coverage)
{
	size_t i;
	json_t *b;

	buf_adds(h->out, "<g class=\"survey-pins\" font-size=\"24\" font-weight=\"700\">");
	json_array_foreach (coverage, i, b) {
		const struct plan_feature *f = registry_plan_find(
		    plan, survey_num(b, "compound_id"), survey_num(b, "building_id"));
		int64_t doors = survey_num(b, "doors"), reached = survey_num(b, "reached");
		double lon = 0, lat = 0, x, y;
		char pct[16];
		if (!f || f->building_id != survey_num(b, "building_id") || !f->npoints)
			continue;
		for (int k = 0; k < f->npoints; k++) {
			lon += (double)f->pt[k][0];
			lat += (double)f->pt[k][1];
		}
		registry_plan_xy(plan, (int64_t)(lon / f->npoints), (int64_t)(lat / f->npoints), &x,
				 &y);
		snprintf(pct, sizeof(pct), "%lld%%",
			 (long long)(doors ? (reached * 100 + doors / 2) / doors : 0));
		html_printf(h,
			    "<g class=\"survey-pin\" data-building=\"%l\"><title>%s %s: %T %l/%l, "
			    "%T %l, %T %l</title>",
			    survey_num(b, "building_id"), survey_str(b, "compound"),
			    survey_str(b, "building"), "survey.reached", reached, doors,
			    "survey.visited", survey_num(b, "visited"), "survey.refused",
			    survey_num(b, "refused"));
		buf_addf(h->out,
			 "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"34\" fill=\"%s\" "
			 "stroke=\"#1d2430\" stroke-width=\"2\"/>",
			 x, y - 58, shade(reached, doors));
		svg_text(h->out, x, y - 50, "middle", NULL, "#1d2430", pct);
		buf_adds(h->out, "</g>");
	}
	buf_adds(h->out, "</g>");
}

int survey_coverage_map(struct http_req *req, struct html *h, json_t *coverage)
{
	struct registry_plan plan;
	struct plan_paint paint = {NULL, coverage, building_fill};
	int64_t compound = 0, t[4] = {0, 0, 0, 0};
	const char *name = NULL;
	size_t i;
	json_t *b;

	if (!json_array_size(coverage)) {
		html_printf(h, "<p class=\"empty\">%T</p>", "survey.no_buildings");
		return 0;
	}
	if (!registry_plan_load(req->db, req->sess.area_id, &plan) && plan.n) {
		int64_t only = the_compound(coverage);
		if (only && registry_plan_find(&plan, only, 0))
			registry_plan_fit(&plan, only);
		html_printf(h, "<div class=\"survey-cov-layout\"><figure class=\"survey-plan\">");
		svg_begin(h->out, "survey-map", "survey-map", plan.width, plan.height,
			  req_t(req, "survey.map_title"), req_t(req, "survey.map_desc"));
		registry_plan_draw(h->out, &plan, &paint);
		registry_plan_labels(h->out, &plan, 0.8);
		pins(req, h, &plan, coverage);
		svg_end(h->out);
		html_printf(h, "<figcaption class=\"map-legend survey-legend\">");
		for (int k = 0; k < 4; k++)
			html_printf(
			    h,
			    "<span><svg class=\"map-swatch\" viewBox=\"0 0 20 20\" "
			    "width=\"20\" height=\"20\" aria-hidden=\"true\"><rect width=\"20\" "
			    "height=\"20\" fill=\"%s\" stroke=\"#7d7668\"/></svg> %T</span> ",
			    shades[k], arena_printf(req->arena, "survey.shade%d", k));
		html_printf(h, "</figcaption></figure>");
	} else
		html_printf(h, "<div class=\"survey-cov-layout\">");
	registry_plan_release(&plan);
	html_printf(h,
		    "<div class=\"st-scroll\"><table class=\"st-table survey-cov\"><thead><tr>"
		    "<th>%T</th><th class=\"num\">%T</th><th class=\"num\">%T</th>"
		    "<th class=\"num\">%T</th><th class=\"num\">%T</th></tr></thead><tbody>",
		    "survey.building", "survey.doors_n", "survey.visited", "survey.reached",
		    "survey.refused");
	/* by compound: a subtotal row before each compound's buildings */
	json_array_foreach (coverage, i, b) {
		if (survey_num(b, "compound_id") != compound) {
			int64_t s[4] = {0, 0, 0, 0};
			size_t k;
			json_t *x;
			compound = survey_num(b, "compound_id");
			name = survey_str(b, "compound");
			json_array_foreach (coverage, k, x)
				if (survey_num(x, "compound_id") == compound) {
					s[0] += survey_num(x, "doors");
					s[1] += survey_num(x, "visited");
					s[2] += survey_num(x, "reached");
					s[3] += survey_num(x, "refused");
				}
			html_printf(h,
				    "<tr class=\"survey-compound\" data-compound=\"%l\"><th>%s</th>"
				    "<td class=\"num\">%l</td>",
				    compound, name, s[0]);
			percent(h, s[1], s[0]);
			percent(h, s[2], s[0]);
			percent(h, s[3], s[0]);
			html_printf(h, "</tr>");
		}
		html_printf(
		    h, "<tr data-building=\"%l\"><th>&nbsp;&nbsp;%s</th><td class=\"num\">%l</td>",
		    survey_num(b, "building_id"), survey_str(b, "building"),
		    survey_num(b, "doors"));
		percent(h, survey_num(b, "visited"), survey_num(b, "doors"));
		percent(h, survey_num(b, "reached"), survey_num(b, "doors"));
		percent(h, survey_num(b, "refused"), survey_num(b, "doors"));
		html_printf(h, "</tr>");
		t[0] += survey_num(b, "doors");
		t[1] += survey_num(b, "visited");
		t[2] += survey_num(b, "reached");
		t[3] += survey_num(b, "refused");
	}
	html_printf(
	    h, "</tbody><tfoot><tr class=\"survey-total\"><th>%T</th><td class=\"num\">%l</td>",
	    "survey.total", t[0]);
	percent(h, t[1], t[0]);
	percent(h, t[2], t[0]);
	percent(h, t[3], t[0]);
	html_printf(h, "</tr></tfoot></table></div></div>");
	return 0;
}

int survey_answer_charts(struct http_req *req, struct html *h, json_t *campaign)
{
	json_t *counts = NULL, *q, *o, *row;
	size_t i, j, k;

	if (survey_answer_counts(req->db, req->sess.area_id, survey_num(campaign, "id"), &counts)) {
		json_decref(counts);
		return -1;
	}
	html_printf(h, "<section class=\"card\" id=\"stats\"><h2>%T</h2>", "survey.stats");
	if (!json_array_size(counts)) {
		html_printf(h, "<p class=\"empty\">%T</p></section>", "survey.stats_none");
		json_decref(counts);
		return 0;
	}
	html_printf(h, "<div class=\"survey-charts\">");
	json_array_foreach (json_object_get(campaign, "questions"), i, q) {
		const char *kind = survey_str(q, "kind");
		json_t *opts = json_object_get(q, "options");
		int64_t qid = survey_num(q, "id");
		if (!strcmp(kind, "text"))
			continue;
		if (!strcmp(kind, "number")) {
			/* a number: how many answered, the least, the mean, the most */
			int64_t cnt = 0, sum = 0, lo = 0, hi = 0;
			json_array_foreach (counts, k, row) {
				int64_t v = 0, c = survey_num(row, "count");
				if (survey_num(row, "question_id") != qid ||
				    parse_int64(survey_str(row, "value"), INT64_MIN, INT64_MAX, &v))
					continue;
				lo = cnt ? (v < lo ? v : lo) : v;
				hi = cnt ? (v > hi ? v : hi) : v;
				cnt += c;
				sum += v * c;
			}
			html_printf(
			    h,
			    "<figure class=\"survey-number\"><figcaption>%s</figcaption><p>%T %l",
			    survey_str(q, "prompt"), "survey.answered", cnt);
			if (cnt)
				html_printf(
				    h, " · %T %l · %T %s · %T %l", "survey.min", lo, "survey.mean",
				    arena_printf(req->arena, "%.1f", (double)sum / (double)cnt),
				    "survey.max", hi);
			html_printf(h, "</p></figure>");
			continue;
		}
		{
			size_t no = json_array_size(opts);
			const char **labels = arena_alloc(req->arena, (no + 1) * sizeof(*labels));
			double *values = arena_alloc(req->arena, (no + 1) * sizeof(*values));
			struct svg_series series = {req_t(req, "survey.households"), values,
						    (int)no, NULL};
			struct svg_chart chart = {
			    .title = survey_str(q, "prompt"),
			    .desc = req_t(req, "survey.chart_desc"),
			    .id = arena_printf(req->arena, "sq%lld", (long long)qid),
			    .unit = req_t(req, "survey.households"),
			    .horizontal = 1,
			    .width = 360,
			    .height = 56 + 40 * (int)no,
			};
			if (!labels || !values)
				continue;
			json_array_foreach (opts, j, o) {
				labels[j] = survey_str(o, "label");
				values[j] = 0;
				json_array_foreach (counts, k, row)
					if (survey_num(row, "question_id") == qid &&
					    !strcmp(survey_str(row, "value"), survey_str(o, "key")))
						values[j] = (double)survey_num(row, "count");
			}
			html_printf(
			    h, "<figure class=\"chart survey-chart\"><figcaption>%s</figcaption>",
			    survey_str(q, "prompt"));
			svg_bar_chart(h->out, &chart, labels, (int)no, &series, 1);
			html_printf(h, "<ul class=\"sr\">");
			for (size_t x = 0; x < no; x++)
				html_printf(h, "<li>%s: %l</li>", labels[x], (int64_t)values[x]);
			html_printf(h, "</ul></figure>");
		}
	}
	html_printf(h, "</div></section>");
	json_decref(counts);
	return 0;
}
