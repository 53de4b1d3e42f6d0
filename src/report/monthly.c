/* The monthly report (月度工作报表): /reports/monthly?month=YYYY-MM, one
 * A4 page the secretary brings to the street office, with the month
 * before beside each figure; the same figures as JSON
 * (/api/v1/reports/monthly) and Excel (xlsx.c). One loader feeds all
 * three, so they always agree. The figures are counts by team and
 * category: no resident is named. */
#include "internal.h"
#include "field.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../web/auth.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ months */

/* month_fill sets *out to month (year * 12 + month - 1). */
static void month_fill(int month, struct report_month *out)
{
	int64_t first, next;
	int y, m, d;

	memset(out, 0, sizeof(*out));
	out->year = month / 12;
	out->month = month % 12 + 1;
	first = lin_days_from_civil(out->year, out->month, 1);
	next = lin_days_from_civil((month + 1) / 12, (month + 1) % 12 + 1, 1);
	out->from = first * 86400 - LIN_SHANGHAI_OFFSET;
	out->to = next * 86400 - LIN_SHANGHAI_OFFSET;
	snprintf(out->label, sizeof(out->label), "%04d-%02d", out->year, out->month);
	snprintf(out->first_day, sizeof(out->first_day), "%s-01", out->label);
	lin_civil_from_days(next - 1, &y, &m, &d);
	snprintf(out->last_day, sizeof(out->last_day), "%04d-%02d-%02d", y, m, d);
}

/* month_index: the Shanghai month holding t, as year * 12 + month - 1. */
static int month_index(int64_t t)
{
	int y, m, d;

	lin_civil_from_days(lin_local_day(t, LIN_SHANGHAI_OFFSET), &y, &m, &d);
	return y * 12 + m - 1;
}

void report_month_of(int64_t t, int delta, struct report_month *out)
{
	month_fill(month_index(t) + delta, out);
}

int report_month_parse(const char *s, int64_t now, struct report_month *out)
{
	int y = 0, m = 0;

	if (!s || strlen(s) != 7 || s[4] != '-')
		return LIN_EINVAL;
	for (int i = 0; i < 7; i++) {
		if (i == 4)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return LIN_EINVAL;
		if (i < 4)
			y = y * 10 + (s[i] - '0');
		else
			m = m * 10 + (s[i] - '0');
	}
	if (m < 1 || m > 12 || y < REPORT_FIRST_YEAR)
		return LIN_EINVAL;
	if (y * 12 + m - 1 > month_index(now))
		return LIN_EINVAL; /* a month that has not begun has nothing to report */
	month_fill(y * 12 + m - 1, out);
	return 0;
}

/* ------------------------------------------------------------ rows */

int report_row_add(struct report_rows *r, const char *key, const char *label, enum report_kind kind,
		   int known, int64_t value)
{
	struct report_row *row;

	if (!key || !label)
		return LIN_ENOMEM;
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 16;
		struct report_row *more = arena_alloc(r->arena, sizeof(*more) * (size_t)cap);
		if (!more)
			return LIN_ENOMEM;
		if (r->n)
			memcpy(more, r->row, sizeof(*more) * (size_t)r->n);
		r->row = more;
		r->cap = cap;
	}
	row = &r->row[r->n];
	memset(row, 0, sizeof(*row));
	row->key = arena_strdup(r->arena, key);
	row->label = arena_strdup(r->arena, label);
	if (!row->key || !row->label)
		return LIN_ENOMEM;
	row->kind = kind;
	row->known = known;
	row->value = known ? value : 0;
	r->n++;
	return 0;
}

struct report_row *report_row_last(struct report_rows *r)
{
	return &r->row[r->n - 1];
}

/* summable: a figure that is 0 in a month without its key (a count, a
 * duration), unlike a share or a mean, which is then unknown. */
static int summable(enum report_kind kind)
{
	return kind == REPORT_COUNT || kind == REPORT_HOURS;
}

/* pair sets each row of cur's previous from prev's row of the same key;
 * a key only the month before has is added with this month at 0 (counts,
 * hours) or unknown (shares, means). */
static int pair(struct report_rows *cur, const struct report_rows *prev)
{
	int n = cur->n;

	for (int i = 0; i < n; i++) {
		struct report_row *r = &cur->row[i];
		r->previous_known = summable(r->kind) && !r->now_only;
		for (int j = 0; j < prev->n; j++)
			if (!strcmp(prev->row[j].key, r->key)) {
				r->previous_known = prev->row[j].known && !r->now_only;
				r->previous = r->previous_known ? prev->row[j].value : 0;
				break;
			}
	}
	for (int j = 0; j < prev->n; j++) {
		const struct report_row *p = &prev->row[j];
		int found = 0;
		for (int i = 0; i < n && !found; i++)
			found = !strcmp(cur->row[i].key, p->key);
		if (found)
			continue;
		if (report_row_add(cur, p->key, p->label, p->kind, summable(p->kind), 0))
			return LIN_ENOMEM;
		report_row_last(cur)->chart = p->chart;
		report_row_last(cur)->previous_known = p->known;
		report_row_last(cur)->previous = p->value;
	}
	return 0;
}

int report_load(struct http_req *req, const char *month, struct report_view *v)
{
	int64_t now = (int64_t)time(NULL);
	int rc = 0, n = 0;

	memset(v, 0, sizeof(*v));
	if (month && *month)
		rc = report_month_parse(month, now, &v->cur);
	else
		report_month_of(now, -1, &v->cur); /* the month just ended */
	if (rc)
		return rc;
	month_fill(v->cur.year * 12 + v->cur.month - 2, &v->prev);
	while (report_sections[n].key)
		n++;
	v->nsections = n;
	v->rows = arena_alloc(req->arena, sizeof(*v->rows) * (size_t)n);
	if (!v->rows)
		return LIN_ENOMEM;
	area_title(req->db, req->sess.area_id, v->area, sizeof(v->area));
	for (int s = 0; s < n && !rc; s++) {
		struct report_rows prev = {req->arena, NULL, 0, 0};
		v->rows[s].arena = req->arena;
		rc = report_sections[s].fill(req, &v->cur, &v->rows[s]);
		if (!rc)
			rc = report_sections[s].fill(req, &v->prev, &prev);
		if (!rc)
			rc = pair(&v->rows[s], &prev);
	}
	return rc;
}

/* ------------------------------------------------------------ values */

void report_format(enum report_kind kind, int known, int64_t value, char *out, size_t n)
{
	if (!known) {
		snprintf(out, n, "—");
		return;
	}
	switch (kind) {
	case REPORT_PERCENT:
		snprintf(out, n, "%.1f%%", (double)value / 100.0);
		break;
	case REPORT_MEAN:
		snprintf(out, n, "%.2f", (double)value / 100.0);
		break;
	case REPORT_HOURS:
		snprintf(out, n, "%.1f", (double)value / 60.0);
		break;
	default:
		snprintf(out, n, "%lld", (long long)value);
	}
}

json_t *report_json_value(enum report_kind kind, int known, int64_t value)
{
	if (!known)
		return json_null();
	switch (kind) {
	case REPORT_PERCENT:
	case REPORT_MEAN:
		return json_real((double)value / 100.0);
	case REPORT_HOURS:
		return json_real((double)value / 60.0);
	default:
		return json_integer(value);
	}
}

/* change writes this month against the month before: "+2", "-1", "0"
 * in the figure's own unit, "" when either is unknown. */
static void change(const struct report_row *r, char *out, size_t n)
{
	char num[32];
	int64_t d = r->value - r->previous;

	if (!r->known || !r->previous_known) {
		snprintf(out, n, "%s", "");
		return;
	}
	report_format(r->kind, 1, d < 0 ? -d : d, num, sizeof(num));
	snprintf(out, n, "%s%s", d > 0 ? "+" : d < 0 ? "−" : "", num);
}

/* ------------------------------------------------------------ JSON */

static json_t *report_json(struct http_req *req, const struct report_view *v)
{
	json_t *sections = json_array();

	for (int s = 0; s < v->nsections; s++) {
		json_t *rows = json_array();
		for (int i = 0; i < v->rows[s].n; i++) {
			const struct report_row *r = &v->rows[s].row[i];
			json_t *o = json_object();
			json_object_set_new(o, "key", json_string(r->key));
			json_object_set_new(o, "label", json_string(r->label));
			json_object_set_new(o, "value",
					    report_json_value(r->kind, r->known, r->value));
			json_object_set_new(
			    o, "previous",
			    report_json_value(r->kind, r->previous_known, r->previous));
			json_array_append_new(rows, o);
		}
		json_array_append_new(
		    sections, json_pack("{s:s, s:s, s:o}", "key", report_sections[s].key, "title",
					req_t(req, report_sections[s].title_key), "rows", rows));
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "month", v->cur.label, "previous_month",
			 v->prev.label, "area", v->area, "from", v->cur.first_day, "to",
			 v->cur.last_day, "sections", sections);
}

/* report_fail answers a loader error; others go back to dispatch. */
static int report_fail(struct http_req *req, struct http_resp *resp, int rc)
{
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid_month", "report.err.month");
	return rc;
}

static int api_monthly(struct http_req *req, struct http_resp *resp)
{
	struct report_view v;
	int rc = report_load(req, req_query(req, "month"), &v);

	if (rc)
		return report_fail(req, resp, rc);
	return resp_json(resp, 200, report_json(req, &v));
}

/* ------------------------------------------------------------ the page */

/* section_chart draws the section's charted counts, the month before
 * beside this month, as horizontal bars. */
static int section_chart(struct http_req *req, struct html *h, const struct report_view *v, int s)
{
	const struct report_rows *rows = &v->rows[s];
	const char **labels = arena_alloc(req->arena, sizeof(char *) * ((size_t)rows->n + 1));
	double *cur = arena_alloc(req->arena, sizeof(double) * ((size_t)rows->n + 1));
	double *prev = arena_alloc(req->arena, sizeof(double) * ((size_t)rows->n + 1));
	struct svg_series series[2];
	struct svg_chart chart = {
	    .title = req_t(req, report_sections[s].title_key),
	    .desc = req_t(req, "report.chart_desc"),
	    .id = arena_printf(req->arena, "rp-%s", report_sections[s].key),
	    .horizontal = 1,
	    .width = 520,
	    .legend = 1,
	};
	int n = 0;

	if (!labels || !cur || !prev || !chart.id)
		return LIN_ENOMEM;
	for (int i = 0; i < rows->n; i++) {
		if (!rows->row[i].chart)
			continue;
		labels[n] = rows->row[i].label;
		cur[n] = (double)rows->row[i].value;
		prev[n] = (double)rows->row[i].previous;
		n++;
	}
	if (!n)
		return 0;
	series[0] = (struct svg_series){v->prev.label, prev, n, "#999999"};
	series[1] = (struct svg_series){v->cur.label, cur, n, "#0072B2"};
	chart.height = 70 + 30 * n;
	html_printf(h, "<div class=\"rp-chart\">");
	if (svg_bar_chart(h->out, &chart, labels, n, series, 2))
		return LIN_ENOMEM;
	html_printf(h, "</div>");
	return 0;
}

/* section_table writes the section's figures: this month, the month
 * before and the change. */
static void section_table(struct http_req *req, struct html *h, const struct report_view *v, int s)
{
	const struct report_rows *rows = &v->rows[s];

	if (!rows->n) {
		html_printf(h, "<p class=\"muted\">%T</p>", "report.none");
		return;
	}
	html_printf(h,
		    "<table class=\"rp-table\"><thead><tr><th scope=\"col\">%T</th>"
		    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s</th>"
		    "<th scope=\"col\" class=\"num\">%T</th></tr></thead><tbody>",
		    "report.item", v->cur.label, v->prev.label, "report.change");
	for (int i = 0; i < rows->n; i++) {
		const struct report_row *r = &rows->row[i];
		char now[32], before[32], diff[40];
		report_format(r->kind, r->known, r->value, now, sizeof(now));
		report_format(r->kind, r->previous_known, r->previous, before, sizeof(before));
		change(r, diff, sizeof(diff));
		html_printf(h,
			    "<tr data-key=\"%s\"><th scope=\"row\">%s</th><td class=\"num\">%s</td>"
			    "<td class=\"num prev\">%s</td><td class=\"num\">%s</td></tr>",
			    r->key, r->label, now, before, diff);
	}
	html_printf(h, "</tbody></table>");
	(void)req;
}

static int monthly_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct report_view v;
	struct report_month next;
	int64_t now = (int64_t)time(NULL);
	int rc = report_load(req, req_query(req, "month"), &v);

	if (rc)
		return report_fail(req, resp, rc);
	month_fill(v.cur.year * 12 + v.cur.month, &next);
	page_begin(req, &h, req_t(req, "report.title"));
	html_printf(&h,
		    "<article class=\"rp-sheet\"><header class=\"rp-head\"><h1>%s <span>%s</span> "
		    "%T</h1><p class=\"muted\">%T %s – %s · %T %s</p></header>",
		    v.area, v.cur.label, "report.title", "report.period", v.cur.first_day,
		    v.cur.last_day, "report.beside", v.prev.label);
	html_printf(
	    &h,
	    "<nav class=\"rp-tools no-print\"><form method=\"get\" action=\"/reports/monthly\">"
	    "<label>%T <input type=\"month\" name=\"month\" value=\"%s\" "
	    "pattern=\"[0-9]{4}-[0-9]{2}\" required></label> <button type=\"submit\">%T"
	    "</button></form><a href=\"/reports/monthly?month=%s\">← %s</a>",
	    "report.month", v.cur.label, "report.show", v.prev.label, v.prev.label);
	if (report_month_parse(next.label, now, &next) == 0)
		html_printf(&h, " <a href=\"/reports/monthly?month=%s\">%s →</a>", next.label,
			    next.label);
	html_printf(&h,
		    " <a class=\"button\" href=\"/reports/monthly.xlsx?month=%s\" download>%T</a>"
		    " <a class=\"button\" href=\"/api/v1/reports/monthly?month=%s\">JSON</a>"
		    " <button type=\"button\" class=\"primary\" data-print hidden>%T</button></nav>"
		    "<div class=\"rp-sections\">",
		    v.cur.label, "report.xlsx", v.cur.label, "report.print");
	for (int s = 0; s < v.nsections; s++) {
		html_printf(
		    &h,
		    "<section class=\"rp-section\" id=\"rp-%s\" aria-labelledby=\"rp-%s-h\">"
		    "<h2 id=\"rp-%s-h\">%T</h2>",
		    report_sections[s].key, report_sections[s].key, report_sections[s].key,
		    report_sections[s].title_key);
		rc = section_chart(req, &h, &v, s);
		if (rc)
			return rc;
		section_table(req, &h, &v, s);
		if (report_sections[s].note_key && v.rows[s].n)
			html_printf(&h, "<p class=\"muted rp-note\">%T</p>",
				    report_sections[s].note_key);
		html_printf(&h, "</section>");
	}
	html_printf(&h, "</div><div class=\"rp-foot\"><p>%T</p></div></article>", "report.sign");
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

/* ------------------------------------------------------------ routes */

const struct nav_item report_nav[] = {
    {"/reports/monthly", "nav.monthly", PERM_REPORTS_READ},
    {"/inspections", "nav.inspections", PERM_INSPECTIONS_READ},
    {NULL, NULL, 0},
};

int report_add_routes(struct router *r, const struct cases_uploads *up)
{
	static const struct route routes[] = {
	    {"GET", "/reports/monthly", monthly_page, PERM_REPORTS_READ, 0, NULL, 0},
	    {"GET", "/reports/monthly.xlsx", monthly_xlsx, PERM_REPORTS_READ, 0, NULL, 0},
	    {"GET", "/api/v1/reports/monthly", api_monthly, PERM_REPORTS_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	int rc = router_add(r, routes);

	if (!rc)
		rc = field_api_routes(r);
	if (!rc)
		rc = field_page_routes(r, up);
	return rc;
}
