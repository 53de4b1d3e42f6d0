/* The roll-up monthly report of a street or district: every area's
 * monthly report (report_load, as each area's own page shows it), added
 * up figure by figure. Counts are summed; a share or a mean, whose
 * denominators the areas' reports do not carry, is the mean of the areas
 * that have one (and says how many do). Figures of one named team
 * (keys with ':') stay in their area's own report. A4 page and XLSX (a
 * summary sheet and a sheet of every area's figures side by side). */
#include "internal.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* One figure of the roll-up. */
struct rollup_row {
	int section;	   /* index in report_sections */
	const char *key;   /* the figure's key in its section */
	const char *label; /* in the reader's language */
	enum report_kind kind;
	int64_t sum, prev_sum; /* counts: the total; else the sum of the known values */
	int known, prev_known; /* areas with the figure this month, the month before */
};

/* The loaded roll-up: each area's report and the figures added up. */
struct rollup {
	const char *scope;	 /* the street's or district's name */
	int n;			 /* areas */
	struct report_view *v;	 /* [area] each area's report (arena) */
	struct rollup_row *rows; /* (arena) */
	int nrows, cap;
};

static struct rollup_row *row_of(struct http_req *req, struct rollup *u, int s,
				 const struct report_row *r)
{
	for (int i = 0; i < u->nrows; i++)
		if (u->rows[i].section == s && !strcmp(u->rows[i].key, r->key))
			return &u->rows[i];
	if (u->nrows == u->cap) {
		int cap = u->cap ? u->cap * 2 : 64;
		struct rollup_row *p = arena_alloc(req->arena, (size_t)cap * sizeof(*p));
		if (!p)
			return NULL;
		if (u->nrows)
			memcpy(p, u->rows, (size_t)u->nrows * sizeof(*p));
		u->rows = p;
		u->cap = cap;
	}
	u->rows[u->nrows] = (struct rollup_row){s, r->key, r->label, r->kind, 0, 0, 0, 0};
	return &u->rows[u->nrows++];
}

/* rollup_load reads each area's report for month as that area's own page
 * does (the request's area is each one's in turn, then its own again). */
static int rollup_load(struct http_req *req, const int64_t *areas, int n, const char *scope,
		       struct rollup *u)
{
	int64_t own = req->sess.area_id;
	int rc = 0;

	memset(u, 0, sizeof(*u));
	u->scope = scope;
	u->n = n;
	u->v = arena_alloc(req->arena, (size_t)(n ? n : 1) * sizeof(*u->v));
	if (!u->v)
		return LIN_ENOMEM;
	for (int a = 0; !rc && a < n; a++) {
		req->sess.area_id = areas[a];
		rc = report_load(req, req_query(req, "month"), &u->v[a]);
		for (int s = 0; !rc && s < u->v[a].nsections; s++)
			for (int i = 0; !rc && i < u->v[a].rows[s].n; i++) {
				const struct report_row *r = &u->v[a].rows[s].row[i];
				struct rollup_row *t;
				if (strchr(r->key, ':'))
					continue; /* one team's: its area's report */
				t = row_of(req, u, s, r);
				if (!t) {
					rc = LIN_ENOMEM;
					break;
				}
				t->sum += r->known ? r->value : 0;
				t->known += r->known;
				t->prev_sum += r->previous_known ? r->previous : 0;
				t->prev_known += r->previous_known;
			}
	}
	req->sess.area_id = own;
	return rc;
}

/* value: the roll-up's figure: a count's total, else the mean of the
 * areas that have one. OUT: *known. */
static int64_t value(enum report_kind kind, int64_t sum, int known, int *is_known)
{
	*is_known = kind == REPORT_COUNT || known > 0;
	if (kind == REPORT_COUNT || !known)
		return sum;
	return (sum + known / 2) / known;
}

/* The month of the first area's report (every one reads the same). */
static const struct report_view *first(const struct rollup *u)
{
	static const struct report_view none;
	return u->n ? &u->v[0] : &none;
}

int report_rollup_page(struct http_req *req, struct http_resp *resp, const int64_t *areas, int n,
		       const char *scope)
{
	struct html h = {&resp->body, req->lang};
	struct rollup u;
	const struct report_view *v;
	int rc = rollup_load(req, areas, n, scope, &u);

	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid_month", "report.err.month");
	if (rc)
		return rc;
	v = first(&u);
	page_begin(req, &h, req_t(req, "region.report"));
	html_printf(&h,
		    "<article class=\"rp-sheet\"><header class=\"rp-head\"><h1>%s <span>%s</span> "
		    "%T</h1><p class=\"muted\">%T %s – %s · %T %d · %T %s</p></header>",
		    scope, v->cur.label, "region.report", "report.period", v->cur.first_day,
		    v->cur.last_day, "region.areas", n, "report.beside", v->prev.label);
	html_printf(
	    &h,
	    "<nav class=\"rp-tools no-print\"><form method=\"get\" action=\"/region/report\">"
	    "<label>%T <input type=\"month\" name=\"month\" value=\"%s\" "
	    "pattern=\"[0-9]{4}-[0-9]{2}\" required></label> <button type=\"submit\">%T"
	    "</button></form> <a class=\"button\" href=\"/region/report.xlsx?month=%s\" "
	    "download>%T</a> <button type=\"button\" class=\"primary\" data-print hidden>%T"
	    "</button></nav><div class=\"rp-sections\">",
	    "report.month", v->cur.label, "report.show", v->cur.label, "report.xlsx",
	    "report.print");
	for (int s = 0; report_sections[s].key; s++) {
		int any = 0;
		for (int i = 0; i < u.nrows; i++)
			any |= u.rows[i].section == s;
		if (!any)
			continue;
		html_printf(
		    &h,
		    "<section class=\"rp-section\" id=\"rp-%s\"><h2>%T</h2>"
		    "<table class=\"rp-table\"><thead><tr><th scope=\"col\">%T</th>"
		    "<th scope=\"col\" class=\"num\">%s</th><th scope=\"col\" class=\"num\">%s"
		    "</th><th scope=\"col\" class=\"num\">%T</th></tr></thead><tbody>",
		    report_sections[s].key, report_sections[s].title_key, "report.item",
		    v->cur.label, v->prev.label, "region.report_areas");
		for (int i = 0; i < u.nrows; i++) {
			const struct rollup_row *r = &u.rows[i];
			char now[32], before[32];
			int k1, k2;
			if (r->section != s)
				continue;
			report_format(r->kind, 1, value(r->kind, r->sum, r->known, &k1), now,
				      sizeof(now));
			report_format(r->kind, 1, value(r->kind, r->prev_sum, r->prev_known, &k2),
				      before, sizeof(before));
			html_printf(
			    &h,
			    "<tr data-key=\"%s\"><th scope=\"row\">%s%R</th><td class=\"num\">"
			    "%s</td><td class=\"num prev\">%s</td><td class=\"num\">%d</td>"
			    "</tr>",
			    r->key, r->label,
			    r->kind == REPORT_COUNT
				? ""
				: arena_printf(req->arena, " <small>(%s)</small>",
					       req_t(req, "region.report_mean")),
			    k1 ? now : "—", k2 ? before : "—", r->known);
		}
		html_printf(&h, "</tbody></table></section>");
	}
	html_printf(&h,
		    "</div><p class=\"muted rp-note\">%T</p><div class=\"rp-foot\"><p>%T</p>"
		    "</div></article>",
		    "region.report_note", "region.report_sign");
	page_end(req, &h);
	return 0;
}

/* cell writes a figure as a number, or nothing when unknown. */
static int cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, enum report_kind kind, int known,
		int64_t v, lxw_format *dec)
{
	json_t *j;
	int err;

	if (!known)
		return 0;
	j = report_json_value(kind, known, v);
	err = worksheet_write_number(ws, row, col, json_number_value(j),
				     kind == REPORT_COUNT ? NULL : dec);
	json_decref(j);
	return err;
}

/* area_value: the area's figure of the roll-up's row (unknown when its
 * report has no such row). */
static const struct report_row *area_value(const struct report_view *v, const struct rollup_row *r)
{
	const struct report_rows *rows = &v->rows[r->section];

	for (int i = 0; i < rows->n; i++)
		if (!strcmp(rows->row[i].key, r->key))
			return &rows->row[i];
	return NULL;
}

static int write_book(struct http_req *req, void *ctx, const char *path)
{
	const struct rollup *u = ctx;
	const struct report_view *v = first(u);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *sum, *by;
	lxw_format *head, *dec;
	int err = 0;

	if (!wb)
		return LIN_EIO;
	sum = workbook_add_worksheet(wb, req_t(req, "region.sheet_total"));
	by = workbook_add_worksheet(wb, req_t(req, "region.sheet_areas"));
	head = workbook_add_format(wb);
	dec = workbook_add_format(wb);
	if (!sum || !by || !head || !dec) {
		workbook_close(wb);
		return LIN_EIO;
	}
	format_set_bold(head);
	format_set_num_format(dec, "0.00");
	err |= worksheet_write_string(sum, 0, 0, u->scope, head);
	err |= worksheet_write_string(sum, 0, 1, v->cur.label, head);
	err |= worksheet_write_string(sum, 0, 2, req_t(req, "region.report"), head);
	err |= worksheet_write_string(sum, 1, 0, req_t(req, "report.item"), head);
	err |= worksheet_write_string(sum, 1, 1, v->cur.label, head);
	err |= worksheet_write_string(sum, 1, 2, v->prev.label, head);
	err |= worksheet_write_string(sum, 1, 3, req_t(req, "region.report_areas"), head);
	err |= worksheet_write_string(sum, 1, 4, "key", head);
	err |= worksheet_write_string(by, 0, 0, req_t(req, "report.item"), head);
	for (int a = 0; a < u->n; a++)
		err |= worksheet_write_string(by, 0, (lxw_col_t)(a + 1), u->v[a].area, head);
	for (int i = 0; i < u->nrows; i++) {
		const struct rollup_row *r = &u->rows[i];
		lxw_row_t row = (lxw_row_t)i + 2;
		int k;
		int64_t x = value(r->kind, r->sum, r->known, &k);
		err |= worksheet_write_string(sum, row, 0, r->label, NULL);
		err |= cell(sum, row, 1, r->kind, k, x, dec);
		x = value(r->kind, r->prev_sum, r->prev_known, &k);
		err |= cell(sum, row, 2, r->kind, k, x, dec);
		err |= worksheet_write_number(sum, row, 3, r->known, NULL);
		err |= worksheet_write_string(
		    sum, row, 4,
		    arena_printf(req->arena, "%s.%s", report_sections[r->section].key, r->key),
		    NULL);
		err |= worksheet_write_string(by, (lxw_row_t)i + 1, 0, r->label, NULL);
		for (int a = 0; a < u->n; a++) {
			const struct report_row *ar = area_value(&u->v[a], r);
			if (ar)
				err |= cell(by, (lxw_row_t)i + 1, (lxw_col_t)(a + 1), ar->kind,
					    ar->known, ar->value, dec);
		}
	}
	err |= worksheet_set_column(sum, 0, 0, 30, NULL);
	err |= worksheet_set_column(by, 0, 0, 30, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		err = 1;
	return err ? LIN_EIO : 0;
}

int report_rollup_xlsx(struct http_req *req, struct http_resp *resp, const int64_t *areas, int n,
		       const char *scope)
{
	struct rollup u;
	int rc = rollup_load(req, areas, n, scope, &u);

	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid_month", "report.err.month");
	if (rc)
		return rc;
	return resp_xlsx(req, resp,
			 arena_printf(req->arena, "rollup-%s.xlsx", first(&u)->cur.label),
			 write_book, &u);
}
