/* The campaign's visits as a table for the committee: one row per visit
 * with its door, outcome, notes and one column per question (choices by
 * their labels), as CSV (UTF-8 with a BOM, for Excel) or XLSX. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../web/xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

static const char *const fixed[] = {"visit",	  "compound", "building",   "door",
				    "visitor",	  "outcome",  "visited_at", "follow_up",
				    "revisit_on", "notes",    NULL};

/* table: the header and the rows, every cell a string. */
static int table(struct http_req *req, json_t **out)
{
	int64_t id = req_param_id(req, 0);
	json_t *c = NULL, *visits = NULL, *head, *rows, *v, *q, *vals, *x;
	size_t i, j, k;
	int rc = survey_get(req->db, req->sess.area_id, id, &c);

	if (!rc)
		rc = survey_visit_rows(req->db, req->sess.area_id, id, &visits);
	if (rc) {
		json_decref(c);
		json_decref(visits);
		return rc;
	}
	head = json_array();
	rows = json_array();
	for (int f = 0; fixed[f]; f++)
		json_array_append_new(head, json_string(fixed[f]));
	json_array_foreach (json_object_get(c, "questions"), i, q)
		json_array_append_new(head, json_string(survey_str(q, "code")));
	json_array_foreach (visits, i, v) {
		json_t *row = json_array();
		char t[24];
		snprintf(t, sizeof(t), "%lld", (long long)survey_num(v, "id"));
		json_array_append_new(row, json_string(t));
		json_array_append_new(row, json_string(survey_str(v, "compound")));
		json_array_append_new(row, json_string(survey_str(v, "building")));
		json_array_append_new(row, json_string(survey_str(v, "door")));
		json_array_append_new(row, json_string(survey_str(v, "visitor")));
		json_array_append_new(row, json_string(survey_str(v, "outcome")));
		json_array_append_new(
		    row, json_string(survey_when(req->arena, survey_num(v, "visited_at"))));
		json_array_append_new(
		    row, json_string(json_is_true(json_object_get(v, "follow_up")) ? "1" : "0"));
		json_array_append_new(row, json_string(survey_str(v, "revisit_on")));
		json_array_append_new(row, json_string(survey_str(v, "notes")));
		json_array_foreach (json_object_get(c, "questions"), j, q) {
			struct buf b;
			buf_init(&b, 64 * 1024);
			vals =
			    json_object_get(json_object_get(v, "answers"), survey_str(q, "code"));
			json_array_foreach (vals, k, x) {
				if (k)
					buf_adds(&b, "; ");
				buf_adds(&b, survey_option_label(q, json_string_value(x)));
			}
			json_array_append_new(row, json_string(b.buf));
			buf_release(&b);
		}
		json_array_append_new(rows, row);
	}
	*out = json_pack("{s:o, s:o, s:s}", "head", head, "rows", rows, "name",
			 arena_printf(req->arena, "survey-%lld", (long long)id));
	json_decref(c);
	json_decref(visits);
	return 0;
}

int survey_export_csv(struct http_req *req, struct http_resp *resp)
{
	json_t *t = NULL, *row, *cell;
	size_t i, j;
	int rc = table(req, &t);

	if (rc)
		return survey_error(req, resp, rc, NULL, NULL);
	buf_reset(&resp->body);
	buf_adds(&resp->body, "\xEF\xBB\xBF"); /* a BOM: Excel opens it as UTF-8 */
	json_array_foreach (json_object_get(t, "head"), j, cell) {
		if (j)
			csv_add_sep(&resp->body);
		csv_add_text(&resp->body, json_string_value(cell));
	}
	csv_add_end(&resp->body);
	json_array_foreach (json_object_get(t, "rows"), i, row) {
		json_array_foreach (row, j, cell) {
			if (j)
				csv_add_sep(&resp->body);
			csv_add_text(&resp->body, json_string_value(cell));
		}
		csv_add_end(&resp->body);
	}
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"%s.csv\"",
				 json_string_value(json_object_get(t, "name"))));
	json_decref(t);
	return 0;
}

static int write_book(struct http_req *req, void *ctx, const char *path)
{
	json_t *t = ctx, *row, *cell;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head;
	size_t i, j;
	int err = 0;

	if (!wb)
		return LIN_EIO;
	ws = workbook_add_worksheet(wb, req_t(req, "survey.sheet"));
	head = workbook_add_format(wb);
	if (!ws || !head) {
		workbook_close(wb);
		return LIN_EIO;
	}
	format_set_bold(head);
	json_array_foreach (json_object_get(t, "head"), j, cell)
		err |= worksheet_write_string(ws, 0, (lxw_col_t)j, json_string_value(cell), head);
	json_array_foreach (json_object_get(t, "rows"), i, row)
		json_array_foreach (row, j, cell)
			err |= worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)j,
						      json_string_value(cell), NULL);
	err |= worksheet_set_column(ws, 0, 9, 12, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		err = 1;
	return err ? LIN_EIO : 0;
}

int survey_export_xlsx(struct http_req *req, struct http_resp *resp)
{
	json_t *t = NULL;
	int rc = table(req, &t);

	if (rc)
		return survey_error(req, resp, rc, NULL, NULL);
	rc = resp_xlsx(
	    req, resp,
	    arena_printf(req->arena, "%s.xlsx", json_string_value(json_object_get(t, "name"))),
	    write_book, t);
	json_decref(t);
	return rc;
}
