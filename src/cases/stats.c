/* Case statistics for the staff: reports by category and month, how long
 * accepting and resolving took (median and 90th percentile), how many met
 * their deadlines, the reporters' ratings and the states, for one period.
 * One loader feeds the page, /api/v1/cases/stats and the CSV and Excel
 * exports, so all four always agree. Private categories are included:
 * every route here needs PERM_CASES_READ. */
#include "stats_view.h"
#include "internal.h"
#include "../base/csv.h"
#include "../base/timeutil.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ arithmetic */

int64_t stats_percentile(const int64_t *sorted, size_t n, int p)
{
	size_t rank;

	if (!n)
		return 0;
	if (p < 1)
		p = 1;
	if (p > 100)
		p = 100;
	/* ceil(p * n / 100) in integers: the rank of the smallest value with
	 * at least p% of the values at or below it */
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	return sorted[rank - 1];
}

/* cmp_int64: ascending order for qsort. */
static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

void stats_times_of(int64_t *durations, size_t n, struct stats_times *out)
{
	memset(out, 0, sizeof(*out));
	if (!n)
		return;
	qsort(durations, n, sizeof(*durations), cmp_int64);
	out->count = (int64_t)n;
	out->median = stats_percentile(durations, n, 50);
	out->p90 = stats_percentile(durations, n, 90);
}

int32_t stats_local_day(int64_t t)
{
	return (int32_t)lin_local_day(t, STATS_UTC_OFFSET);
}

int stats_local_month(int64_t t)
{
	int y, m, d;

	case_day_civil(stats_local_day(t), &y, &m, &d);
	return y * 12 + m - 1;
}

void stats_month_label(int month, char out[16])
{
	snprintf(out, 16, "%04d-%02d", month / 12, month % 12 + 1);
}

void stats_day_label(int32_t day, char out[16])
{
	int y, m, d;

	case_day_civil(day, &y, &m, &d);
	snprintf(out, 16, "%04d-%02d-%02d", y, m, d);
}

int stats_period(const char *from, const char *to, int64_t now, int64_t *t_from, int64_t *t_to)
{
	int32_t from_day, to_day;
	int y, m, d, first, last;

	if (to && *to) {
		if (parse_date(to, &y, &m, &d))
			return LIN_EINVAL;
		to_day = case_day_number(y, m, d);
	} else {
		to_day = stats_local_day(now);
	}
	if (from && *from) {
		if (parse_date(from, &y, &m, &d))
			return LIN_EINVAL;
		from_day = case_day_number(y, m, d);
	} else {
		case_day_civil(to_day, &y, &m, &d);
		first = y * 12 + m - 1 - (STATS_DEFAULT_MONTH - 1);
		from_day = case_day_number(first / 12, first % 12 + 1, 1);
	}
	if (from_day > to_day)
		return LIN_EINVAL;
	case_day_civil(from_day, &y, &m, &d);
	first = y * 12 + m - 1;
	case_day_civil(to_day, &y, &m, &d);
	last = y * 12 + m - 1;
	if (last - first + 1 > STATS_MAX_MONTHS)
		return LIN_EINVAL;
	*t_from = (int64_t)from_day * 86400 - STATS_UTC_OFFSET;
	*t_to = ((int64_t)to_day + 1) * 86400 - STATS_UTC_OFFSET;
	return 0;
}

int stats_compute(struct arena *a, const struct stats_case *cases, size_t n,
		  const int64_t *category_ids, int ncategories, int64_t from, int64_t to,
		  struct stats_result *out)
{
	int64_t *accept = NULL, *resolve = NULL, stars = 0;
	size_t naccept = 0, nresolve = 0, cells;

	memset(out, 0, sizeof(*out));
	if (to <= from || ncategories < 0)
		return LIN_EINVAL;
	out->from = from;
	out->to = to;
	out->first_month = stats_local_month(from);
	out->nmonths = stats_local_month(to - 1) - out->first_month + 1;
	if (out->nmonths > STATS_MAX_MONTHS)
		return LIN_EINVAL;
	out->ncategories = ncategories;
	cells = (size_t)ncategories * (size_t)out->nmonths;
	out->counts = arena_alloc(a, sizeof(int64_t) * (cells + 1));
	out->month_totals = arena_alloc(a, sizeof(int64_t) * ((size_t)out->nmonths + 1));
	out->category_totals = arena_alloc(a, sizeof(int64_t) * ((size_t)ncategories + 1));
	accept = arena_alloc(a, sizeof(int64_t) * (n + 1));
	resolve = arena_alloc(a, sizeof(int64_t) * (n + 1));
	if (!out->counts || !out->month_totals || !out->category_totals || !accept || !resolve)
		return LIN_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct stats_case *c = &cases[i];
		int month;
		if (c->created_at < from || c->created_at >= to)
			continue;
		out->total++;
		month = stats_local_month(c->created_at) - out->first_month;
		out->month_totals[month]++;
		for (int k = 0; k < ncategories; k++)
			if (category_ids[k] == c->category_id) {
				out->counts[(size_t)k * (size_t)out->nmonths + (size_t)month]++;
				out->category_totals[k]++;
				break;
			}
		if (c->state >= 0 && c->state < CASE_STATE_COUNT)
			out->by_state[c->state]++;
		if (c->accepted_at != STATS_NONE) {
			accept[naccept++] = c->accepted_at - c->created_at;
			out->accept_on_time.total++;
			out->accept_on_time.within += c->accepted_at <= c->accept_due;
		}
		if (c->resolved_at != STATS_NONE) {
			resolve[nresolve++] = c->resolved_at - c->created_at;
			out->resolve_on_time.total++;
			out->resolve_on_time.within += c->resolved_at <= c->resolve_due;
		}
		if (c->rating >= 1 && c->rating <= 5) {
			out->ratings[c->rating - 1]++;
			out->rated++;
			stars += c->rating;
		}
	}
	stats_times_of(accept, naccept, &out->accept);
	stats_times_of(resolve, nresolve, &out->resolve);
	out->rating_mean = out->rated ? (double)stars / (double)out->rated : 0;
	return 0;
}

/* stats_load reads the query (from, to, category_id), the categories and
 * the period's cases, and computes the numbers. LIN_EINVAL for a bad
 * query, LIN_ETOOBIG when the period holds more than STATS_MAX_CASES. */
int stats_load(struct http_req *req, struct stats_view *v)
{
	struct stats_case *cases = NULL;
	int64_t *ids = NULL, from, to;
	const char *cat = req_query(req, "category_id");
	size_t n = 0;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = stats_period(req_query(req, "from"), req_query(req, "to"), (int64_t)time(NULL), &from,
			  &to);
	if (!rc && cat && *cat)
		rc = parse_int64(cat, 1, INT64_MAX, &v->category_id) ? LIN_EINVAL : 0;
	if (rc)
		goto out;
	v->r.from = from;
	v->r.to = to;
	stats_day_label(stats_local_day(from), v->from);
	stats_day_label(stats_local_day(to - 1), v->to);
	v->query = v->category_id ? arena_printf(req->arena, "from=%s&to=%s&category_id=%lld",
						 v->from, v->to, (long long)v->category_id)
				  : arena_printf(req->arena, "from=%s&to=%s", v->from, v->to);
	rc = stats_load_categories(req, v);
	if (!rc)
		rc = stats_load_cases(req, v, &cases, &n);
	if (rc)
		goto out;
	ids = arena_alloc(req->arena, sizeof(*ids) * ((size_t)v->ncats + 1));
	if (!ids || !v->query) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (int k = 0; k < v->ncats; k++)
		ids[k] = v->cats[k].id;
	rc = stats_compute(req->arena, cases, n, ids, v->ncats, from, to, &v->r);
out:
	free(cases);
	return rc;
}

/* stats_fail answers a loader error; other errors go back to dispatch. */
int stats_fail(struct http_req *req, struct http_resp *resp, int rc)
{
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid", "stats.err.query");
	if (rc == LIN_ETOOBIG)
		return resp_error(req, resp, 422, "too_many", "stats.err.too_many");
	return rc;
}

/* shown: whether category k gets a row (archived ones only with reports). */
int stats_shown(const struct stats_view *v, int k)
{
	return !v->cats[k].archived || v->r.category_totals[k];
}

/* ------------------------------------------------------------ formatting */

void format_hours(const struct stats_times *t, char *out, size_t n)
{
	if (!t->count)
		snprintf(out, n, "—");
	else
		snprintf(out, n, "%.1f", (double)t->median / 3600.0);
}

/* format_hours_p90 writes the 90th percentile in hours, "—" if none. */
void format_hours_p90(const struct stats_times *t, char *out, size_t n)
{
	if (!t->count)
		snprintf(out, n, "—");
	else
		snprintf(out, n, "%.1f", (double)t->p90 / 3600.0);
}

/* format_share writes within / total as "86.7%", "—" when nothing finished. */
void format_share(const struct stats_share *s, char *out, size_t n)
{
	if (!s->total)
		snprintf(out, n, "—");
	else
		snprintf(out, n, "%.1f%%", 100.0 * (double)s->within / (double)s->total);
}

/* round1: v to one decimal, for JSON. */
double round1(double v)
{
	return round(v * 10.0) / 10.0;
}

/* ------------------------------------------------------------ JSON */

static json_t *times_json(const struct stats_times *t)
{
	return json_pack("{s:I,s:o,s:o}", "count", (json_int_t)t->count, "median",
			 t->count ? json_real(round1((double)t->median / 3600.0)) : json_null(),
			 "p90",
			 t->count ? json_real(round1((double)t->p90 / 3600.0)) : json_null());
}

/* share_json: {within, of, share} with share a fraction to three places. */
static json_t *share_json(const struct stats_share *s)
{
	return json_pack(
	    "{s:I,s:I,s:o}", "within", (json_int_t)s->within, "of", (json_int_t)s->total, "share",
	    s->total ? json_real(round(1000.0 * (double)s->within / (double)s->total) / 1000.0)
		     : json_null());
}

/* stats_json: everything the page shows, as one object (the caller owns it). */
static json_t *stats_json(const struct stats_view *v)
{
	const struct stats_result *r = &v->r;
	json_t *o = json_object(), *months = json_array(), *cats = json_array(),
	       *totals = json_array(), *dist = json_object(), *states = json_object();
	char label[16];

	for (int m = 0; m < r->nmonths; m++) {
		stats_month_label(r->first_month + m, label);
		json_array_append_new(months, json_string(label));
		json_array_append_new(totals, json_integer(r->month_totals[m]));
	}
	for (int k = 0; k < v->ncats; k++) {
		json_t *counts = json_array();
		if (!stats_shown(v, k)) {
			json_decref(counts);
			continue;
		}
		for (int m = 0; m < r->nmonths; m++)
			json_array_append_new(counts, json_integer(r->counts[k * r->nmonths + m]));
		json_array_append_new(
		    cats,
		    json_pack("{s:I,s:s,s:s,s:s,s:b,s:o,s:I}", "id", (json_int_t)v->cats[k].id,
			      "code", v->cats[k].code, "name_zh", v->cats[k].name_zh, "name_en",
			      v->cats[k].name_en, "private", v->cats[k].private_, "counts", counts,
			      "total", (json_int_t)r->category_totals[k]));
	}
	for (int s = 1; s <= 5; s++) {
		snprintf(label, sizeof(label), "%d", s);
		json_object_set_new(dist, label, json_integer(r->ratings[s - 1]));
	}
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		json_object_set_new(states, case_state_name((enum case_state)s),
				    json_integer(r->by_state[s]));
	json_object_set_new(o, "from", json_string(v->from));
	json_object_set_new(o, "to", json_string(v->to));
	json_object_set_new(o, "category_id",
			    v->category_id ? json_integer(v->category_id) : json_null());
	json_object_set_new(o, "total", json_integer(r->total));
	json_object_set_new(o, "months", months);
	json_object_set_new(o, "month_totals", totals);
	json_object_set_new(o, "categories", cats);
	json_object_set_new(o, "percentile_method", json_string("nearest-rank"));
	json_object_set_new(o, "time_to_accept_hours", times_json(&r->accept));
	json_object_set_new(o, "time_to_resolve_hours", times_json(&r->resolve));
	json_object_set_new(o, "accepted_within_deadline", share_json(&r->accept_on_time));
	json_object_set_new(o, "resolved_within_deadline", share_json(&r->resolve_on_time));
	json_object_set_new(o, "satisfaction",
			    json_pack("{s:I,s:o,s:o}", "count", (json_int_t)r->rated, "mean",
				      r->rated ? json_real(round1(r->rating_mean)) : json_null(),
				      "distribution", dist));
	json_object_set_new(o, "by_state", states);
	return o;
}

/* api_stats answers GET /api/v1/cases/stats. */
static int api_stats(struct http_req *req, struct http_resp *resp)
{
	struct stats_view v;
	int rc = stats_load(req, &v);

	if (rc)
		return stats_fail(req, resp, rc);
	return resp_json(resp, 200, stats_json(&v));
}

/* ------------------------------------------------------------ the page */

static void filter_form(struct http_req *req, struct html *h, const struct stats_view *v,
			json_t *cats)
{
	size_t i;
	json_t *c;

	html_printf(h,
		    "<form method=\"get\" action=\"/cases/stats\" class=\"search st-filters\">"
		    "<label>%T <input type=\"date\" name=\"from\" value=\"%s\"></label>"
		    "<label>%T <input type=\"date\" name=\"to\" value=\"%s\"></label>"
		    "<label>%T <select name=\"category_id\"><option value=\"\">%T</option>",
		    "stats.from", v->from, "stats.to", v->to, "stats.category", "common.all");
	json_array_foreach (cats, i, c) {
		int64_t id = (int64_t)json_integer_value(json_object_get(c, "id"));
		html_printf(h, "<option value=\"%l\"%R>%s</option>", id,
			    id == v->category_id ? " selected" : "", cases_category_name(req, c));
	}
	html_printf(h, "</select></label><button type=\"submit\">%T</button></form>",
		    "stats.apply");
}

/* figure writes one summary card: a number, its unit and a label key. */
static void figure(struct html *h, const char *num, const char *unit, const char *label_key)
{
	html_printf(h,
		    "<div class=\"stat\"><span class=\"num\">%s<small>%s</small></span>"
		    "<span class=\"label\">%T</span></div>",
		    num, unit, label_key);
}

/* summary writes the cards: total, median times, on-time share, mean rating. */
static void summary(struct http_req *req, struct html *h, const struct stats_view *v)
{
	char num[32];

	html_printf(h, "<section class=\"stats st-summary\" aria-label=\"%T\">", "stats.summary");
	snprintf(num, sizeof(num), "%lld", (long long)v->r.total);
	figure(h, num, "", "stats.total");
	format_hours(&v->r.accept, num, sizeof(num));
	figure(h, num, v->r.accept.count ? req_t(req, "stats.unit.hours") : "",
	       "stats.median_accept");
	format_hours(&v->r.resolve, num, sizeof(num));
	figure(h, num, v->r.resolve.count ? req_t(req, "stats.unit.hours") : "",
	       "stats.median_resolve");
	format_share(&v->r.resolve_on_time, num, sizeof(num));
	figure(h, num, "", "stats.resolved_on_time");
	if (v->r.rated)
		snprintf(num, sizeof(num), "%.1f", v->r.rating_mean);
	else
		snprintf(num, sizeof(num), "—");
	figure(h, num, v->r.rated ? " / 5" : "", "stats.mean_rating");
	html_printf(h, "</section>");
}

/* months_section: the stacked chart of reports by category and month and
 * the same numbers as a table. */
static int months_section(struct http_req *req, struct html *h, const struct stats_view *v)
{
	const struct stats_result *r = &v->r;
	const char **labels = arena_alloc(req->arena, sizeof(char *) * ((size_t)r->nmonths + 1));
	struct svg_series *series =
	    arena_alloc(req->arena, sizeof(*series) * ((size_t)v->ncats + 1));
	struct svg_chart chart = {
	    .title = req_t(req, "stats.by_month"),
	    .desc = req_t(req, "stats.by_month_desc"),
	    .id = "st-months",
	    .unit = req_t(req, "stats.unit.reports"),
	    .stacked = 1,
	    .width = 720,
	    .height = 340,
	    .legend = 1,
	};
	struct svg_chart narrow;
	int nseries = 0, rc = 0;

	if (!labels || !series)
		return LIN_ENOMEM;
	/* phones get the months down the side, where twelve rows fit */
	narrow = chart;
	narrow.id = "st-months-n";
	narrow.horizontal = 1;
	narrow.width = 360;
	narrow.height = 60 + 26 * r->nmonths;
	for (int m = 0; m < r->nmonths; m++) {
		char *l = arena_alloc(req->arena, 16);
		if (!l)
			return LIN_ENOMEM;
		stats_month_label(r->first_month + m, l);
		labels[m] = l;
	}
	for (int k = 0; k < v->ncats; k++) {
		double *vals;
		if (!r->category_totals[k])
			continue; /* a category with no reports adds only a legend entry */
		vals = arena_alloc(req->arena, sizeof(double) * ((size_t)r->nmonths + 1));
		if (!vals)
			return LIN_ENOMEM;
		for (int m = 0; m < r->nmonths; m++)
			vals[m] = (double)r->counts[k * r->nmonths + m];
		series[nseries].name = v->cats[k].name;
		series[nseries].values = vals;
		series[nseries].n = r->nmonths;
		series[nseries].color = svg_color(k);
		nseries++;
	}
	html_printf(h,
		    "<section class=\"card st-section\" aria-labelledby=\"st-months-h\">"
		    "<h2 id=\"st-months-h\">%T</h2><div class=\"st-chart st-narrow\">",
		    "stats.by_month");
	rc = svg_bar_chart(h->out, &narrow, labels, r->nmonths, series, nseries);
	if (rc)
		return rc;
	html_printf(h, "</div><div class=\"st-chart st-wide\">");
	rc = svg_bar_chart(h->out, &chart, labels, r->nmonths, series, nseries);
	if (rc)
		return rc;
	html_printf(h,
		    "</div><div class=\"st-scroll\"><table class=\"st-table st-months\"><caption "
		    "class=\"sr\">%T"
		    "</caption><thead><tr><th scope=\"col\">%T</th>",
		    "stats.by_month", "stats.category");
	for (int m = 0; m < r->nmonths; m++)
		html_printf(h, "<th scope=\"col\" class=\"num\">%s</th>", labels[m]);
	html_printf(h, "<th scope=\"col\" class=\"num\">%T</th></tr></thead><tbody>",
		    "stats.total");
	for (int k = 0; k < v->ncats; k++) {
		if (!stats_shown(v, k))
			continue;
		html_printf(
		    h,
		    "<tr><th scope=\"row\"><span class=\"st-key\" data-k=\"%d\"></span>%s%R</th>",
		    k % SVG_PALETTE_SIZE, v->cats[k].name,
		    v->cats[k].private_
			? arena_printf(req->arena, " <span class=\"badge\">%s</span>",
				       req_t(req, "stats.private"))
			: "");
		for (int m = 0; m < r->nmonths; m++)
			html_printf(h, "<td class=\"num\">%l</td>", r->counts[k * r->nmonths + m]);
		html_printf(h, "<td class=\"num\"><b>%l</b></td></tr>", r->category_totals[k]);
	}
	html_printf(h, "</tbody><tfoot><tr><th scope=\"row\">%T</th>", "stats.total");
	for (int m = 0; m < r->nmonths; m++)
		html_printf(h, "<td class=\"num\">%l</td>", r->month_totals[m]);
	html_printf(h, "<td class=\"num\"><b>%l</b></td></tr></tfoot></table></div></section>",
		    r->total);
	return rc;
}

/* times_row writes one row of the handling-times table. */
static void times_row(struct http_req *req, struct html *h, const char *key,
		      const struct stats_times *t, const struct stats_share *s)
{
	char med[32], p90[32], share[32];

	format_hours(t, med, sizeof(med));
	format_hours_p90(t, p90, sizeof(p90));
	format_share(s, share, sizeof(share));
	html_printf(
	    h,
	    "<tr><th scope=\"row\">%T</th><td class=\"num\">%l</td><td class=\"num\">%s</td>"
	    "<td class=\"num\">%s</td><td class=\"num\">%s <span class=\"muted\">(%l / %l)"
	    "</span></td></tr>",
	    key, t->count, med, p90, share, s->within, s->total);
	(void)req;
}

/* times_section writes the handling times with their definitions. */
static void times_section(struct http_req *req, struct html *h, const struct stats_view *v)
{
	html_printf(
	    h,
	    "<section class=\"card st-section\" aria-labelledby=\"st-times-h\">"
	    "<h2 id=\"st-times-h\">%T</h2><div class=\"st-scroll\"><table class=\"st-table\">"
	    "<thead><tr><th scope=\"col\"></th><th scope=\"col\" class=\"num\">%T</th>"
	    "<th scope=\"col\" class=\"num\">%T</th><th scope=\"col\" class=\"num\">%T</th>"
	    "<th scope=\"col\" class=\"num\">%T</th></tr></thead><tbody>",
	    "stats.times", "stats.measured", "stats.median_h", "stats.p90_h", "stats.on_time");
	times_row(req, h, "stats.time_to_accept", &v->r.accept, &v->r.accept_on_time);
	times_row(req, h, "stats.time_to_resolve", &v->r.resolve, &v->r.resolve_on_time);
	html_printf(
	    h,
	    "</tbody></table></div><p class=\"muted st-note\">%T</p><p class=\"muted st-note\">%T"
	    "</p></section>",
	    "stats.percentile_note", "stats.on_time_note");
}

/* rating_section writes the ratings chart (narrow and wide) and table. */
static int rating_section(struct http_req *req, struct html *h, const struct stats_view *v)
{
	const struct stats_result *r = &v->r;
	static const char *const stars[5] = {"★★★★★", "★★★★", "★★★", "★★", "★"};
	const char *labels[5];
	double vals[5];
	struct svg_series one = {req_t(req, "stats.ratings"), vals, 5, "#0072B2"};
	struct svg_chart chart = {
	    .title = req_t(req, "stats.satisfaction"),
	    .desc = req_t(req, "stats.satisfaction_desc"),
	    .id = "st-rating",
	    .unit = req_t(req, "stats.unit.ratings"),
	    .horizontal = 1,
	    .width = 520,
	    .height = 230,
	};
	struct svg_chart narrow = chart;
	char mean[32];
	int rc;

	narrow.id = "st-rating-n"; /* phones: stars alone, the words are in the table */
	narrow.width = 360;
	for (int s = 5; s >= 1; s--) { /* the best at the top */
		labels[5 - s] = req_t(req, arena_printf(req->arena, "case.stars.%d", s));
		vals[5 - s] = (double)r->ratings[s - 1];
	}
	html_printf(
	    h,
	    "<section class=\"card st-section\" aria-labelledby=\"st-rating-h\">"
	    "<h2 id=\"st-rating-h\">%T</h2><div class=\"st-pair\"><div><div class=\"st-chart "
	    "st-narrow\">",
	    "stats.satisfaction");
	rc = svg_bar_chart(h->out, &narrow, stars, 5, &one, 1);
	if (rc)
		return rc;
	html_printf(h, "</div><div class=\"st-chart st-wide\">");
	rc = svg_bar_chart(h->out, &chart, labels, 5, &one, 1);
	if (rc)
		return rc;
	html_printf(
	    h,
	    "</div></div><div class=\"st-scroll\"><table class=\"st-table\"><caption "
	    "class=\"sr\">%T"
	    "</caption><thead><tr><th scope=\"col\">%T</th><th scope=\"col\" class=\"num\">%T</th>"
	    "<th scope=\"col\" class=\"num\">%T</th></tr></thead><tbody>",
	    "stats.satisfaction", "stats.rating", "stats.count", "stats.share");
	for (int s = 5; s >= 1; s--) {
		struct stats_share part = {r->ratings[s - 1], r->rated};
		char share[32];
		format_share(&part, share, sizeof(share));
		html_printf(
		    h,
		    "<tr><th scope=\"row\">%s</th><td class=\"num\">%l</td><td class=\"num\">%s"
		    "</td></tr>",
		    labels[5 - s], r->ratings[s - 1], share);
	}
	if (r->rated)
		snprintf(mean, sizeof(mean), "%.1f", r->rating_mean);
	else
		snprintf(mean, sizeof(mean), "—");
	html_printf(h,
		    "</tbody><tfoot><tr><th scope=\"row\">%T</th><td class=\"num\">%l</td>"
		    "<td class=\"num\">%T %s</td></tr></tfoot></table></div></div></section>",
		    "stats.total", r->rated, "stats.mean", mean);
	return 0;
}

/* states_section writes the reports by current state with shares. */
static void states_section(struct http_req *req, struct html *h, const struct stats_view *v)
{
	html_printf(
	    h,
	    "<section class=\"card st-section\" aria-labelledby=\"st-states-h\">"
	    "<h2 id=\"st-states-h\">%T</h2><div class=\"st-scroll\"><table class=\"st-table\">"
	    "<thead><tr><th scope=\"col\">%T</th><th scope=\"col\" class=\"num\">%T</th>"
	    "<th scope=\"col\" class=\"num\">%T</th></tr></thead><tbody>",
	    "stats.by_state", "stats.state", "stats.count", "stats.share");
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		const char *name = case_state_name((enum case_state)s);
		struct stats_share part = {v->r.by_state[s], v->r.total};
		char share[32];
		format_share(&part, share, sizeof(share));
		html_printf(h,
			    "<tr><th scope=\"row\"><span class=\"state state-%s\">%T</span></th>"
			    "<td class=\"num\">%l</td><td class=\"num\">%s</td></tr>",
			    name, arena_printf(req->arena, "case.state.%s", name), v->r.by_state[s],
			    share);
	}
	html_printf(h, "</tbody></table></div></section>");
}

/* stats_page answers GET /cases/stats. */
static int stats_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct stats_view v;
	json_t *cats = NULL;
	int rc = stats_load(req, &v);

	if (rc) {
		rc = stats_fail(req, resp, rc);
		goto out;
	}
	rc = case_categories(req->db, req->sess.area_id, 0, &cats);
	if (rc)
		goto out;
	page_begin(req, &h, req_t(req, "stats.title"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%T</h1><div class=\"actions st-actions\">"
		    "<a class=\"button\" href=\"/cases/stats.csv?%s\" download>%T</a>"
		    "<a class=\"button\" href=\"/cases/stats.xlsx?%s\" download>%T</a>"
		    "<a class=\"button\" href=\"/cases/map?from=%U&amp;to=%U\">%T</a></div></div>",
		    "stats.title", v.query, "stats.export_csv", v.query, "stats.export_xlsx",
		    v.from, v.to, "stats.map_link");
	filter_form(req, &h, &v, cats);
	html_printf(&h, "<p class=\"muted\">%T %s – %s · %T</p>", "stats.period", v.from, v.to,
		    "stats.private_included");
	summary(req, &h, &v);
	if (!v.r.total) {
		html_printf(&h, "<p class=\"empty\">%T</p>", "stats.empty");
	} else {
		rc = months_section(req, &h, &v);
		if (!rc) {
			times_section(req, &h, &v);
			rc = rating_section(req, &h, &v);
		}
		if (!rc)
			states_section(req, &h, &v);
		if (rc)
			goto out;
	}
	page_end(req, &h);
	resp->status = 200;
out:
	json_decref(cats);
	return rc;
}

/* ------------------------------------------------------------ routes */

int cases_stats_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/cases/stats", stats_page, PERM_CASES_READ, 0, NULL, 0},
	    {"GET", "/cases/stats.csv", stats_csv, PERM_CASES_READ, 0, NULL, 0},
	    {"GET", "/cases/stats.xlsx", stats_xlsx, PERM_CASES_READ, 0, NULL, 0},
	    {"GET", "/api/v1/cases/stats", api_stats, PERM_CASES_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
