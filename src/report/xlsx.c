/* The monthly report as an Excel workbook: one sheet, a row per figure
 * (label, this month, the month before, the figure's key), a bold row
 * per section; the same rows the page and the JSON show. */
#include "internal.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../web/xlsx.h"

#include <xlsxwriter.h>

/* cell writes a figure as a number (hours, percent and means as
 * decimals), or leaves the cell empty when unknown. */
static int cell(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, enum report_kind kind, int known,
		int64_t value, lxw_format *dec)
{
	json_t *v;
	int err;

	if (!known)
		return 0;
	v = report_json_value(kind, known, value);
	err = worksheet_write_number(ws, row, col, json_number_value(v),
				     kind == REPORT_COUNT ? NULL : dec);
	json_decref(v);
	return err;
}

static int write_book(struct http_req *req, void *ctx, const char *path)
{
	const struct report_view *v = ctx;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *dec;
	lxw_row_t row = 0;
	int err = 0;

	if (!wb)
		return LIN_EIO;
	ws = workbook_add_worksheet(wb, req_t(req, "report.sheet"));
	head = workbook_add_format(wb);
	dec = workbook_add_format(wb);
	if (!ws || !head || !dec) {
		workbook_close(wb);
		return LIN_EIO;
	}
	format_set_bold(head);
	format_set_num_format(dec, "0.00");
	err |= worksheet_write_string(ws, row, 0, v->area, head);
	err |= worksheet_write_string(ws, row, 1, v->cur.label, head);
	err |= worksheet_write_string(ws, row, 2, req_t(req, "report.title"), head);
	row++;
	err |= worksheet_write_string(ws, row, 0, req_t(req, "report.item"), head);
	err |= worksheet_write_string(ws, row, 1, v->cur.label, head);
	err |= worksheet_write_string(ws, row, 2, v->prev.label, head);
	err |= worksheet_write_string(ws, row, 3, "key", head);
	for (int s = 0; s < v->nsections; s++) {
		row++;
		err |= worksheet_write_string(ws, row, 0, req_t(req, report_sections[s].title_key),
					      head);
		for (int i = 0; i < v->rows[s].n; i++) {
			const struct report_row *r = &v->rows[s].row[i];
			row++;
			err |= worksheet_write_string(ws, row, 0, r->label, NULL);
			err |= cell(ws, row, 1, r->kind, r->known, r->value, dec);
			err |= cell(ws, row, 2, r->kind, r->previous_known, r->previous, dec);
			err |= worksheet_write_string(
			    ws, row, 3,
			    arena_printf(req->arena, "%s.%s", report_sections[s].key, r->key),
			    NULL);
		}
	}
	err |= worksheet_set_column(ws, 0, 0, 30, NULL);
	err |= worksheet_set_column(ws, 1, 2, 12, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		err = 1;
	return err ? LIN_EIO : 0;
}

int monthly_xlsx(struct http_req *req, struct http_resp *resp)
{
	struct report_view v;
	int rc = report_load(req, req_query(req, "month"), &v);

	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid_month", "report.err.month");
	if (rc)
		return rc;
	return resp_xlsx(req, resp, arena_printf(req->arena, "monthly-%s.xlsx", v.cur.label),
			 write_book, &v);
}
