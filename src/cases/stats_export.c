/* The statistics as files: CSV (for any spreadsheet) and XLSX through
 * libxlsxwriter, the same numbers as the page. */
#include "stats_view.h"
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"
#include "../web/xlsx.h"
#include <xlsxwriter.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ CSV */

/* csv_times writes one handling-times record. */
static void csv_times(struct http_req *req, struct buf *out, const char *key,
		      const struct stats_times *t, const struct stats_share *s)
{
	char med[32], p90[32], share[32];

	format_hours(t, med, sizeof(med));
	format_hours_p90(t, p90, sizeof(p90));
	format_share(s, share, sizeof(share));
	csv_add_text(out, req_t(req, key));
	buf_addf(out, ",%lld,%s,%s,%lld,%lld,%s", (long long)t->count, t->count ? med : "",
		 t->count ? p90 : "", (long long)s->within, (long long)s->total,
		 s->total ? share : "");
	csv_add_end(out);
}

/* stats_csv answers GET /cases/stats.csv: the same tables one after
 * another, headed in the reader's language, with a BOM for spreadsheets. */
int stats_csv(struct http_req *req, struct http_resp *resp)
{
	struct stats_view v;
	const struct stats_result *r = &v.r;
	struct buf *out = &resp->body;
	char label[16];
	int rc = stats_load(req, &v);

	if (rc)
		return stats_fail(req, resp, rc);
	buf_adds(out, "\xEF\xBB\xBF"); /* a BOM, so spreadsheets read the Chinese as UTF-8 */
	csv_add_text(out, req_t(req, "stats.period"));
	buf_addf(out, ",%s,%s", v.from, v.to);
	csv_add_end(out);
	csv_add_end(out);
	csv_add_text(out, req_t(req, "stats.category"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.code"));
	for (int m = 0; m < r->nmonths; m++) {
		stats_month_label(r->first_month + m, label);
		buf_addf(out, ",%s", label);
	}
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.total"));
	csv_add_end(out);
	for (int k = 0; k < v.ncats; k++) {
		if (!stats_shown(&v, k))
			continue;
		csv_add_text(out, v.cats[k].name);
		csv_add_sep(out);
		csv_add_text(out, v.cats[k].code);
		for (int m = 0; m < r->nmonths; m++)
			buf_addf(out, ",%lld", (long long)r->counts[k * r->nmonths + m]);
		buf_addf(out, ",%lld", (long long)r->category_totals[k]);
		csv_add_end(out);
	}
	csv_add_text(out, req_t(req, "stats.total"));
	csv_add_sep(out);
	for (int m = 0; m < r->nmonths; m++)
		buf_addf(out, ",%lld", (long long)r->month_totals[m]);
	buf_addf(out, ",%lld", (long long)r->total);
	csv_add_end(out);
	csv_add_end(out);
	/* handling times */
	csv_add_text(out, req_t(req, "stats.times"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.measured"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.median_h"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.p90_h"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.within"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.of"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.on_time"));
	csv_add_end(out);
	csv_times(req, out, "stats.time_to_accept", &r->accept, &r->accept_on_time);
	csv_times(req, out, "stats.time_to_resolve", &r->resolve, &r->resolve_on_time);
	csv_add_end(out);
	/* satisfaction */
	csv_add_text(out, req_t(req, "stats.rating"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.count"));
	csv_add_end(out);
	for (int s = 1; s <= 5; s++)
		buf_addf(out, "%d,%lld\r\n", s, (long long)r->ratings[s - 1]);
	csv_add_text(out, req_t(req, "stats.mean"));
	if (r->rated)
		buf_addf(out, ",%.1f", r->rating_mean);
	else
		csv_add_sep(out);
	csv_add_end(out);
	csv_add_end(out);
	/* states */
	csv_add_text(out, req_t(req, "stats.state"));
	csv_add_sep(out);
	csv_add_text(out, req_t(req, "stats.count"));
	csv_add_end(out);
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		const char *name = case_state_name((enum case_state)s);
		csv_add_text(out, req_t(req, arena_printf(req->arena, "case.state.%s", name)));
		buf_addf(out, ",%lld", (long long)r->by_state[s]);
		csv_add_end(out);
	}
	if (out->failed)
		return LIN_ENOMEM;
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition", "attachment; filename=\"cases-stats.csv\"");
	return 0;
}

/* ------------------------------------------------------------ Excel */

/* The formats one workbook uses. */
struct xlsx_formats {
	lxw_format *head;    /* bold header cells */
	lxw_format *hours;   /* 0.0 */
	lxw_format *percent; /* 0.0% */
};

/* xlsx_sheet adds a worksheet named by a message key (NULL on failure). */
static lxw_worksheet *xlsx_sheet(lxw_workbook *wb, struct http_req *req, const char *key)
{
	return workbook_add_worksheet(wb, req_t(req, key));
}

/* xlsx_months writes the category-by-month sheet. */
static int xlsx_months(lxw_workbook *wb, struct http_req *req, const struct stats_view *v,
		       const struct xlsx_formats *f)
{
	const struct stats_result *r = &v->r;
	lxw_worksheet *ws = xlsx_sheet(wb, req, "stats.sheet.months");
	lxw_row_t row = 0;
	char label[16];
	int err = 0;

	if (!ws)
		return LIN_EINVAL;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.period"), f->head);
	err |= worksheet_write_string(ws, row, 1, v->from, NULL);
	err |= worksheet_write_string(ws, row, 2, v->to, NULL);
	row = 2;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.category"), f->head);
	err |= worksheet_write_string(ws, row, 1, req_t(req, "stats.code"), f->head);
	for (int m = 0; m < r->nmonths; m++) {
		stats_month_label(r->first_month + m, label);
		err |= worksheet_write_string(ws, row, (lxw_col_t)(2 + m), label, f->head);
	}
	err |= worksheet_write_string(ws, row, (lxw_col_t)(2 + r->nmonths),
				      req_t(req, "stats.total"), f->head);
	for (int k = 0; k < v->ncats; k++) {
		if (!stats_shown(v, k))
			continue;
		row++;
		err |= worksheet_write_string(ws, row, 0, v->cats[k].name, NULL);
		err |= worksheet_write_string(ws, row, 1, v->cats[k].code, NULL);
		for (int m = 0; m < r->nmonths; m++)
			err |= worksheet_write_number(ws, row, (lxw_col_t)(2 + m),
						      (double)r->counts[k * r->nmonths + m], NULL);
		err |= worksheet_write_number(ws, row, (lxw_col_t)(2 + r->nmonths),
					      (double)r->category_totals[k], f->head);
	}
	row++;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.total"), f->head);
	for (int m = 0; m < r->nmonths; m++)
		err |= worksheet_write_number(ws, row, (lxw_col_t)(2 + m),
					      (double)r->month_totals[m], f->head);
	err |=
	    worksheet_write_number(ws, row, (lxw_col_t)(2 + r->nmonths), (double)r->total, f->head);
	err |= worksheet_set_column(ws, 0, 0, 18, NULL);
	err |= worksheet_set_column(ws, 1, 1, 14, NULL);
	err |= worksheet_set_column(ws, 2, (lxw_col_t)(2 + r->nmonths), 9, NULL);
	worksheet_freeze_panes(ws, 3, 2);
	return err ? LIN_EIO : 0;
}

/* xlsx_times_row writes one handling-times row; nonzero if a cell failed. */
static int xlsx_times_row(lxw_worksheet *ws, lxw_row_t row, struct http_req *req, const char *key,
			  const struct stats_times *t, const struct stats_share *s,
			  const struct xlsx_formats *f)
{
	int err = 0;

	err |= worksheet_write_string(ws, row, 0, req_t(req, key), f->head);
	err |= worksheet_write_number(ws, row, 1, (double)t->count, NULL);
	if (t->count) {
		err |= worksheet_write_number(ws, row, 2, (double)t->median / 3600.0, f->hours);
		err |= worksheet_write_number(ws, row, 3, (double)t->p90 / 3600.0, f->hours);
	}
	err |= worksheet_write_number(ws, row, 4, (double)s->within, NULL);
	err |= worksheet_write_number(ws, row, 5, (double)s->total, NULL);
	if (s->total)
		err |= worksheet_write_number(ws, row, 6, (double)s->within / (double)s->total,
					      f->percent);
	return err;
}

/* xlsx_summary writes times, ratings and states on the second sheet. */
static int xlsx_summary(lxw_workbook *wb, struct http_req *req, const struct stats_view *v,
			const struct xlsx_formats *f)
{
	static const char *const heads[] = {"stats.times",  "stats.measured", "stats.median_h",
					    "stats.p90_h",  "stats.within",   "stats.of",
					    "stats.on_time"};
	const struct stats_result *r = &v->r;
	lxw_worksheet *ws = xlsx_sheet(wb, req, "stats.sheet.summary");
	lxw_row_t row;
	int err = 0;

	if (!ws)
		return LIN_EINVAL;
	for (int i = 0; i < 7; i++)
		err |= worksheet_write_string(ws, 0, (lxw_col_t)i, req_t(req, heads[i]), f->head);
	err |=
	    xlsx_times_row(ws, 1, req, "stats.time_to_accept", &r->accept, &r->accept_on_time, f);
	err |= xlsx_times_row(ws, 2, req, "stats.time_to_resolve", &r->resolve, &r->resolve_on_time,
			      f);
	err |= worksheet_write_string(ws, 3, 0, req_t(req, "stats.percentile_note"), NULL);
	row = 5;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.rating"), f->head);
	err |= worksheet_write_string(ws, row, 1, req_t(req, "stats.count"), f->head);
	for (int s = 5; s >= 1; s--) {
		row++;
		err |= worksheet_write_string(
		    ws, row, 0, req_t(req, arena_printf(req->arena, "case.stars.%d", s)), NULL);
		err |= worksheet_write_number(ws, row, 1, (double)r->ratings[s - 1], NULL);
	}
	row++;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.mean"), f->head);
	if (r->rated)
		err |= worksheet_write_number(ws, row, 1, round1(r->rating_mean), f->hours);
	row += 2;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.state"), f->head);
	err |= worksheet_write_string(ws, row, 1, req_t(req, "stats.count"), f->head);
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		const char *name = case_state_name((enum case_state)s);
		row++;
		err |= worksheet_write_string(
		    ws, row, 0, req_t(req, arena_printf(req->arena, "case.state.%s", name)), NULL);
		err |= worksheet_write_number(ws, row, 1, (double)r->by_state[s], NULL);
	}
	row++;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "stats.total"), f->head);
	err |= worksheet_write_number(ws, row, 1, (double)r->total, f->head);
	err |= worksheet_set_column(ws, 0, 0, 22, NULL);
	err |= worksheet_set_column(ws, 1, 6, 13, NULL);
	return err ? LIN_EIO : 0;
}

/* xlsx_write writes the workbook to path (libxlsxwriter only writes files). */
static int xlsx_write(struct http_req *req, const struct stats_view *v, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	struct xlsx_formats f;
	int rc;

	if (!wb)
		return LIN_EIO;
	f.head = workbook_add_format(wb);
	f.hours = workbook_add_format(wb);
	f.percent = workbook_add_format(wb);
	format_set_bold(f.head);
	format_set_num_format(f.hours, "0.0");
	format_set_num_format(f.percent, "0.0%");
	rc = xlsx_months(wb, req, v, &f);
	if (!rc)
		rc = xlsx_summary(wb, req, v, &f);
	/* workbook_close writes the file and frees the workbook either way */
	if (workbook_close(wb) != LXW_NO_ERROR && !rc)
		rc = LIN_EIO;
	return rc;
}

static int stats_xlsx_write(struct http_req *req, void *ctx, const char *path)
{
	return xlsx_write(req, ctx, path);
}

/* stats_xlsx answers GET /cases/stats.xlsx. */
int stats_xlsx(struct http_req *req, struct http_resp *resp)
{
	struct stats_view v;
	int rc = stats_load(req, &v);

	if (rc)
		return stats_fail(req, resp, rc);
	rc = resp_xlsx(req, resp, "cases-stats.xlsx", stats_xlsx_write, &v);
	return rc;
}
