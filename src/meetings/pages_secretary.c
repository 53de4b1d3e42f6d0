/* The secretary's figures: the view per member over twelve months
 * (meetings, action items, service hours; a member sees their own line)
 * and the action items as CSV. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/multipart.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* hours_text: minutes as hours with one decimal, rounded down ("12.5"). */
static const char *hours_text(struct http_req *req, int64_t minutes)
{
	int64_t tenths = minutes * 10 / 60;
	return arena_printf(req->arena, "%lld.%lld", (long long)(tenths / 10),
			    (long long)(tenths % 10));
}

int meetings_secretary_page(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL, *r;
	struct html h;
	const char *branch = NULL;
	int64_t tot[6] = {0};
	size_t i;

	if (meetings_secretary_rows(req, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	meeting_page_begin(req, resp, &h, req_t(req, "meet.secretary"));
	html_printf(&h, "<h1>%T</h1><p class=\"hint\">%T</p>", "meet.secretary",
		    "meet.secretary_hint");
	if (!json_array_size(rows))
		html_printf(&h, "<p class=\"empty\">%T</p>", "meet.secretary_none");
	static const char *const cols[] = {"invited", "attended", "actions_owned", "actions_done",
					   "actions_late"};
	for (i = 0; i <= json_array_size(rows); i++) {
		r = json_array_get(rows, i);
		/* A branch's totals close its table. */
		if (branch && (!r || strcmp(branch, meeting_str(r, "branch")))) {
			html_printf(&h, "<tr class=\"total\"><td>%T</td>", "meet.total");
			for (int c = 0; c < 5; c++)
				html_printf(&h, "<td data-label=\"%T\">%l</td>",
					    arena_printf(req->arena, "meet.col.%s", cols[c]),
					    tot[c]);
			html_printf(&h, "<td data-label=\"%T\">%s</td></tr></tbody></table>",
				    "meet.col.hours", hours_text(req, tot[5]));
			branch = NULL;
		}
		if (!r)
			break;
		if (!branch) {
			branch = meeting_str(r, "branch");
			memset(tot, 0, sizeof(tot));
			html_printf(
			    &h, "<h2>%s</h2><table class=\"rows secretary\"><thead><tr><th>%T</th>",
			    branch, "meet.name");
			for (int c = 0; c < 5; c++)
				html_printf(&h, "<th>%T</th>",
					    arena_printf(req->arena, "meet.col.%s", cols[c]));
			html_printf(&h, "<th>%T</th></tr></thead><tbody>", "meet.col.hours");
		}
		html_printf(&h, "<tr><td>%s</td>", meeting_str(r, "name"));
		for (int c = 0; c < 5; c++) {
			tot[c] += meeting_num(r, cols[c]);
			html_printf(&h, "<td data-label=\"%T\">%l</td>",
				    arena_printf(req->arena, "meet.col.%s", cols[c]),
				    meeting_num(r, cols[c]));
		}
		tot[5] += meeting_num(r, "service_minutes");
		html_printf(&h, "<td data-label=\"%T\">%s</td></tr>", "meet.col.hours",
			    hours_text(req, meeting_num(r, "service_minutes")));
	}
	json_decref(rows);
	return meeting_page_end(req, resp, &h);
}

/* ------------------------------------------------------------ CSV */

int meetings_actions_csv(struct http_req *req, struct http_resp *resp)
{
	static const char *const cols[] = {"id",     "meeting_title", "title",	"owner",
					   "due_on", "state",	      "reason", "done_on"};
	json_t *rows = NULL, *a;
	char day[11];
	size_t i;

	if (action_list(req->db, req->sess.area_id, 0, NULL, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	buf_reset(&resp->body);
	buf_adds(&resp->body, "\xEF\xBB\xBF"); /* a BOM: Excel opens it as UTF-8 */
	for (int c = 0; c < 8; c++) {
		if (c)
			csv_add_sep(&resp->body);
		csv_add_text(&resp->body, c == 1 ? "meeting" : cols[c]);
	}
	csv_add_sep(&resp->body);
	csv_add_text(&resp->body, "meeting_day");
	csv_add_end(&resp->body);
	json_array_foreach (rows, i, a) {
		for (int c = 0; c < 8; c++) {
			json_t *v = json_object_get(a, cols[c]);
			if (c)
				csv_add_sep(&resp->body);
			if (json_is_integer(v))
				buf_addf(&resp->body, "%lld", (long long)json_integer_value(v));
			else
				csv_add_text(&resp->body,
					     json_is_string(v) ? json_string_value(v) : "");
		}
		csv_add_sep(&resp->body);
		meeting_day_text(meeting_num(a, "meeting_starts_at"), day);
		csv_add_text(&resp->body, day);
		csv_add_end(&resp->body);
	}
	json_decref(rows);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition", "attachment; filename=\"action-items.csv\"");
	return 0;
}
