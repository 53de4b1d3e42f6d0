/* Noise reports (/noise/reports): one meter's days over a period against
 * GB 3096 by the area's hours (Ld, Ln, Ldn, minutes over, the night
 * maximum), the same by week (energetic means over the seconds measured),
 * the exceedances by dance team, and the days as CSV or XLSX. */
#include "ingest.h"
#include "limits.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../plaza/plaza.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"
#include "../web/xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#define REPORT_MAX_DAYS 92 /* a quarter */
#define REPORT_DEFAULT	7

struct report_day {
	char date[11];
	struct noise_day a;
};

struct report {
	int64_t meter_id;
	char meter[64], zone[8], day_from[6], day_to[6];
	char from[11], to[11];
	struct report_day day[REPORT_MAX_DAYS];
	int ndays;
};

static void date_of(int64_t t, char out[11])
{
	time_t tt = (time_t)(t + PLAZA_TZ_OFFSET);
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000,
		 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100);
}

/* report_load reads ?meter= (default: the area's first meter), ?from= and
 * ?to= (default the last seven days). LIN_EINVAL for bad dates or a period
 * longer than REPORT_MAX_DAYS, LIN_ENOTFOUND when there is no meter. */
static int report_load(struct http_req *req, struct report *r)
{
	const char *q = req_query(req, "meter"), *from = req_query(req, "from"),
		   *to = req_query(req, "to");
	int64_t t0, t1, now = (int64_t)time(NULL);
	json_t *meters = NULL, *m;
	int rc, found = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (q && *q && parse_int64(q, 1, INT64_MAX, &r->meter_id))
		return LIN_EINVAL;
	date_of(now - (REPORT_DEFAULT - 1) * 86400, r->from);
	date_of(now, r->to);
	if (from && *from)
		snprintf(r->from, sizeof(r->from), "%.10s", from);
	if (to && *to)
		snprintf(r->to, sizeof(r->to), "%.10s", to);
	if (plaza_monday_epoch(r->from, &t0) || plaza_monday_epoch(r->to, &t1) || t1 < t0 ||
	    (t1 - t0) / 86400 >= REPORT_MAX_DAYS)
		return LIN_EINVAL;
	rc = noise_meters_list(req->db, req->sess.area_id, &meters);
	json_array_foreach (meters, i, m) {
		int64_t id = (int64_t)json_integer_value(json_object_get(m, "id"));
		if (r->meter_id && id != r->meter_id)
			continue;
		r->meter_id = id;
		snprintf(r->meter, sizeof(r->meter), "%s",
			 json_string_value(json_object_get(m, "name")));
		found = 1;
		break;
	}
	json_decref(meters);
	if (!rc && !found)
		rc = LIN_ENOTFOUND;
	for (int64_t t = t0; !rc && t <= t1; t += 86400)
		date_of(t + 43200, r->day[r->ndays++].date);
	if (!rc) {
		struct noise_day *a = calloc((size_t)r->ndays, sizeof(*a));
		rc = a ? noise_assess_dates(req->db, req->sess.area_id, r->meter_id, r->day[0].date,
					    r->ndays, a, r->zone, r->day_from, r->day_to)
		       : LIN_ENOMEM;
		for (int k = 0; !rc && k < r->ndays; k++)
			r->day[k].a = a[k];
		free(a);
	}
	return rc;
}

static int report_fail(struct http_req *req, struct http_resp *resp, int rc)
{
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "bad_request", "noise.err.report_period");
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "noise.err.no_meter");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

static void tenth(double v, char out[16])
{
	snprintf(out, 16, "%.1f", round(v * 10.0) / 10.0);
}

/* period_cell: "54.3" in a cell marked over when it is, or "—". */
static void period_cell(struct html *h, const struct noise_period *p)
{
	char v[16];

	if (!p->seconds) {
		html_printf(h, "<td class=\"none\">—</td>");
		return;
	}
	tenth(p->laeq, v);
	html_printf(h, "<td%R>%s</td>", p->exceeded ? " class=\"over\"" : "", v);
}

/* A week's energetic means over the seconds measured. */
struct week_sum {
	char monday[11];
	double e[2];
	int64_t s[2], over_days[2], minutes[2];
};

static int weeks_of(const struct report *r, struct week_sum *w, int max)
{
	int n = 0;

	for (int i = 0; i < r->ndays; i++) {
		const struct noise_period *p[2] = {&r->day[i].a.day, &r->day[i].a.night};
		int64_t t = 0;
		char monday[11];
		plaza_monday_epoch(r->day[i].date, &t);
		plaza_local(t + 43200, NULL, NULL, monday);
		if (!n || strcmp(w[n - 1].monday, monday)) {
			if (n == max)
				break;
			memset(&w[n], 0, sizeof(w[n]));
			snprintf(w[n].monday, sizeof(w[n].monday), "%s", monday);
			n++;
		}
		for (int k = 0; k < 2; k++) {
			if (!p[k]->seconds)
				continue;
			w[n - 1].e[k] += (double)p[k]->seconds * pow(10.0, p[k]->laeq / 10.0);
			w[n - 1].s[k] += p[k]->seconds;
			w[n - 1].over_days[k] += p[k]->exceeded;
			w[n - 1].minutes[k] += p[k]->minutes_over;
		}
	}
	return n;
}

static void meters_form(struct http_req *req, struct html *h, const struct report *r)
{
	json_t *meters = NULL, *m;
	size_t i;

	html_printf(h,
		    "<form method=\"get\" action=\"/noise/reports\" class=\"search no-print\">"
		    "<select name=\"meter\" aria-label=\"%T\">",
		    "entity.meters.one");
	if (!noise_meters_list(req->db, req->sess.area_id, &meters))
		json_array_foreach (meters, i, m) {
			int64_t id = (int64_t)json_integer_value(json_object_get(m, "id"));
			html_printf(h, "<option value=\"%l\"%R>%s</option>", id,
				    id == r->meter_id ? " selected" : "",
				    json_string_value(json_object_get(m, "name")));
		}
	json_decref(meters);
	html_printf(h,
		    "</select><label>%T <input type=\"date\" name=\"from\" value=\"%s\"></label>"
		    "<label>%T <input type=\"date\" name=\"to\" value=\"%s\"></label>"
		    "<button type=\"submit\">%T</button></form>",
		    "noise.report.from", r->from, "noise.report.to", r->to, "noise.report.show");
}

static int reports_page(struct http_req *req, struct http_resp *resp)
{
	struct report *rp = malloc(sizeof(*rp)); /* large for a thread's stack */
	struct html h = {&resp->body, req->lang};
	struct week_sum w[16];
	double ld[REPORT_MAX_DAYS], ln[REPORT_MAX_DAYS];
	const char *labels[REPORT_MAX_DAYS];
	struct svg_series series[2];
	struct svg_chart chart = {0};
	struct svg_rule limits[2];
	char monday[11], dl[16], nl[16];
	int rc, nw;

	if (!rp)
		return LIN_ENOMEM;
	rc = report_load(req, rp);
	if (rc) {
		free(rp);
		return report_fail(req, resp, rc);
	}
	page_begin(req, &h, req_t(req, "noise.report.title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T <small>%s</small></h1></div>",
		    "noise.report.title", rp->meter);
	meters_form(req, &h, rp);
	tenth((double)rp->day[0].a.day.limit_centi / 100.0, dl);
	tenth((double)rp->day[0].a.night.limit_centi / 100.0, nl);
	html_printf(&h,
		    "<p class=\"hint\">%T %s · %T %s–%s %s dB(A) · %T %s–%s %s dB(A) · <a "
		    "href=\"/noise/reports.csv?meter=%l&amp;from=%s&amp;to=%s\">CSV</a> · <a "
		    "href=\"/noise/reports.xlsx?meter=%l&amp;from=%s&amp;to=%s\">XLSX</a></p>",
		    "field.meters.zone_class", rp->zone, "noise.report.day", rp->day_from,
		    rp->day_to, dl, "noise.report.night", rp->day_to, rp->day_from, nl,
		    rp->meter_id, rp->from, rp->to, rp->meter_id, rp->from, rp->to);
	for (int i = 0; i < rp->ndays; i++) {
		labels[i] = rp->day[i].date + 5;
		ld[i] = rp->day[i].a.day.seconds ? rp->day[i].a.day.laeq : 0;
		ln[i] = rp->day[i].a.night.seconds ? rp->day[i].a.night.laeq : 0;
	}
	series[0] = (struct svg_series){req_t(req, "noise.report.ld"), ld, rp->ndays, NULL};
	series[1] = (struct svg_series){req_t(req, "noise.report.ln"), ln, rp->ndays, NULL};
	chart.title = req_t(req, "noise.report.chart");
	chart.desc = req_t(req, "noise.report.chart_desc");
	chart.unit = "dB(A)";
	chart.legend = 1;
	/* The GB 3096 limits as lines, in their period's colour. */
	limits[0] = (struct svg_rule){
	    arena_printf(req->arena, "%s %s", req_t(req, "noise.report.day_limit"), dl),
	    (double)rp->day[0].a.day.limit_centi / 100.0, svg_color(0)};
	limits[1] = (struct svg_rule){
	    arena_printf(req->arena, "%s %s", req_t(req, "noise.report.night_limit"), nl),
	    (double)rp->day[0].a.night.limit_centi / 100.0, svg_color(1)};
	chart.rules = limits;
	chart.nrules = 2;
	/* A layout for phones (about a unit a pixel: text stays 12 px and
	 * more) and one for wider screens; the stylesheet shows one. */
	html_printf(&h, "<figure class=\"chart\"><div class=\"st-chart st-narrow\">");
	chart.id = "noise-days-n";
	chart.width = 360;
	chart.height = 280;
	svg_bar_chart(h.out, &chart, labels, rp->ndays, series, 2);
	html_printf(&h, "</div><div class=\"st-chart st-wide\">");
	chart.id = "noise-days";
	chart.width = 760;
	chart.height = 300;
	svg_bar_chart(h.out, &chart, labels, rp->ndays, series, 2);
	html_printf(&h, "</div></figure>");

	html_printf(&h,
		    "<h2>%T</h2><div class=\"table-wrap\"><table class=\"compliance\"><thead><tr>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>Ldn</th><th>%T</th><th>%T</th></tr></"
		    "thead><tbody>",
		    "noise.report.by_day", "noise.report.date", "noise.report.ld",
		    "noise.report.ln", "noise.report.minutes_over", "noise.report.night_lmax");
	for (int i = 0; i < rp->ndays; i++) {
		const struct noise_day *a = &rp->day[i].a;
		char ldn[16], lmax[16];
		html_printf(&h, "<tr><th scope=\"row\">%s</th>", rp->day[i].date);
		period_cell(&h, &a->day);
		period_cell(&h, &a->night);
		tenth(a->ldn, ldn);
		tenth((double)a->night.lmax_centi / 100.0, lmax);
		html_printf(
		    &h, "<td>%s</td><td%R>%l / %l</td><td%R>%s</td></tr>", a->has_ldn ? ldn : "—",
		    a->day.minutes_over + a->night.minutes_over ? " class=\"over\"" : "",
		    a->day.minutes_over, a->night.minutes_over,
		    a->night.lmax_exceeded ? " class=\"over\"" : "", a->night.seconds ? lmax : "—");
	}
	html_printf(&h, "</tbody></table></div>");

	nw = weeks_of(rp, w, 16);
	html_printf(&h,
		    "<h2>%T</h2><div class=\"table-wrap\"><table class=\"compliance\"><thead><tr>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "noise.report.by_week", "noise.report.week", "noise.report.ld",
		    "noise.report.ln", "noise.report.days_over");
	for (int k = 0; k < nw; k++) {
		char a[16] = "—", b[16] = "—";
		if (w[k].s[0])
			tenth(10.0 * log10(w[k].e[0] / (double)w[k].s[0]), a);
		if (w[k].s[1])
			tenth(10.0 * log10(w[k].e[1] / (double)w[k].s[1]), b);
		html_printf(
		    &h, "<tr><th scope=\"row\">%s</th><td>%s</td><td>%s</td><td>%l / %l</td></tr>",
		    w[k].monday, a, b, w[k].over_days[0], w[k].over_days[1]);
	}
	html_printf(&h, "</tbody></table></div>");
	{
		int64_t t = 0;
		plaza_monday_epoch(rp->to, &t);
		plaza_local(t + 43200, NULL, NULL, monday);
	}
	/* Exceedances by team over the same weeks. */
	plaza_compliance_html(req, &h, monday,
			      nw < 1 ? 1 : (nw > PLAZA_COMPLIANCE_MAX ? PLAZA_COMPLIANCE_MAX : nw));
	page_end(req, &h);
	free(rp);
	resp->status = 200;
	return 0;
}

/* The columns of the exports, by message key. */
static const char *const columns[] = {
    "noise.report.date",	"noise.report.ld",	    "noise.report.day_limit",
    "noise.report.day_over",	"noise.report.day_minutes", "noise.report.ln",
    "noise.report.night_limit", "noise.report.night_over",  "noise.report.night_minutes",
    "noise.report.night_lmax",	"noise.report.lmax_over",   "Ldn",
    "noise.report.seconds",
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* row_values: a day's numbers in column order (NAN where not measured). */
static void row_values(const struct noise_day *a, double v[NCOLUMNS])
{
	v[0] = NAN;
	v[1] = a->day.seconds ? round(a->day.laeq * 10) / 10 : NAN;
	v[2] = (double)a->day.limit_centi / 100.0;
	v[3] = a->day.seconds ? a->day.exceeded : NAN;
	v[4] = (double)a->day.minutes_over;
	v[5] = a->night.seconds ? round(a->night.laeq * 10) / 10 : NAN;
	v[6] = (double)a->night.limit_centi / 100.0;
	v[7] = a->night.seconds ? a->night.exceeded : NAN;
	v[8] = (double)a->night.minutes_over;
	v[9] = a->night.seconds ? (double)a->night.lmax_centi / 100.0 : NAN;
	v[10] = a->night.seconds ? a->night.lmax_exceeded : NAN;
	v[11] = a->has_ldn ? round(a->ldn * 10) / 10 : NAN;
	v[12] = (double)(a->day.seconds + a->night.seconds);
}

static int reports_csv(struct http_req *req, struct http_resp *resp)
{
	struct report *r = malloc(sizeof(*r));
	int rc;

	if (!r)
		return LIN_ENOMEM;
	rc = report_load(req, r);
	if (rc) {
		free(r);
		return report_fail(req, resp, rc);
	}
	buf_reset(&resp->body);
	for (size_t c = 0; c < NCOLUMNS; c++) {
		if (c)
			csv_add_sep(&resp->body);
		csv_add_text(&resp->body,
			     strchr(columns[c], '.') ? req_t(req, columns[c]) : columns[c]);
	}
	csv_add_end(&resp->body);
	for (int i = 0; i < r->ndays; i++) {
		double v[NCOLUMNS];
		row_values(&r->day[i].a, v);
		csv_add_text(&resp->body, r->day[i].date);
		for (size_t c = 1; c < NCOLUMNS; c++) {
			char num[32] = "";
			csv_add_sep(&resp->body);
			if (!isnan(v[c]))
				snprintf(num, sizeof(num), "%g", v[c]);
			csv_add_field(&resp->body, num);
		}
		csv_add_end(&resp->body);
	}
	free(r);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition", "attachment; filename=\"noise-days.csv\"");
	return 0;
}

static int xlsx_days(struct http_req *req, void *ctx, const char *path)
{
	const struct report *r = ctx;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head;
	int err = 0;

	if (!wb)
		return LIN_EIO;
	head = workbook_add_format(wb);
	format_set_bold(head);
	ws = workbook_add_worksheet(wb, NULL);
	if (!ws) {
		workbook_close(wb);
		return LIN_EIO;
	}
	err |= worksheet_write_string(ws, 0, 0, r->meter, head);
	for (size_t c = 0; c < NCOLUMNS; c++)
		err |= worksheet_write_string(
		    ws, 1, (lxw_col_t)c,
		    strchr(columns[c], '.') ? req_t(req, columns[c]) : columns[c], head);
	for (int i = 0; i < r->ndays; i++) {
		double v[NCOLUMNS];
		row_values(&r->day[i].a, v);
		err |= worksheet_write_string(ws, (lxw_row_t)(i + 2), 0, r->day[i].date, NULL);
		for (size_t c = 1; c < NCOLUMNS; c++)
			if (!isnan(v[c]))
				err |= worksheet_write_number(ws, (lxw_row_t)(i + 2), (lxw_col_t)c,
							      v[c], NULL);
	}
	err |= worksheet_set_column(ws, 0, (lxw_col_t)(NCOLUMNS - 1), 14, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		err = 1;
	return err ? LIN_EIO : 0;
}

static int reports_xlsx(struct http_req *req, struct http_resp *resp)
{
	struct report *r = malloc(sizeof(*r));
	int rc;

	if (!r)
		return LIN_ENOMEM;
	rc = report_load(req, r);
	if (!rc)
		rc = resp_xlsx(req, resp, "noise-days.xlsx", xlsx_days, r);
	else
		rc = report_fail(req, resp, rc);
	free(r);
	return rc;
}

int noise_reports_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/noise/reports", reports_page, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/noise/reports.csv", reports_csv, PERM_NOISE_READ, 0, NULL, 0},
	    {"GET", "/noise/reports.xlsx", reports_xlsx, PERM_NOISE_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
