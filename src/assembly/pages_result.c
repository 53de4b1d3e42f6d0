/* The result as people read it: the staff's result page, the public
 * notice (公示, totals only: no names, no one's choice, for anyone), the
 * printable A4 result sheet with the counting rules written out, and the
 * ballot record (who voted how, superseded ballots marked) as a page, CSV
 * and XLSX for the roles of assembly_settings.ballot_roles only. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/xlsx.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

/* ratio: one ratio as a figure: the percentage (rounded, for reading)
 * over the exact fraction, and what the rule asks of it. */
static void ratio(struct html *h, const char *label, json_t *r, const char *unit, const char *need)
{
	json_t *num = json_object_get(r, "num"), *den = json_object_get(r, "den");

	html_printf(h, "<div><dt>%T <small>%T</small></dt><dd><b>%s</b> ", label, need,
		    assembly_jstr(r, "pct"));
	if (json_is_integer(num))
		html_printf(h, "<span>%l / %l</span>", (int64_t)json_integer_value(num),
			    (int64_t)json_integer_value(den));
	else
		html_printf(h, "<span>%s / %s%s</span>", json_string_value(num),
			    json_string_value(den), unit);
	html_printf(h, "</dd></div>");
}

/* result_table: per matter both participation ratios, both approval
 * ratios, the rule and the verdict (totals only), one card each. */
static void result_table(struct http_req *req, struct html *h, json_t *res)
{
	json_t *m;
	size_t i;

	if (!json_is_true(json_object_get(res, "counted"))) {
		html_printf(h, "<p class=\"empty\">%T</p>", "assembly.not_counted");
		return;
	}
	html_printf(h, "<div class=\"asm-result\">");
	json_array_foreach (json_object_get(res, "matters"), i, m) {
		const char *verdict = assembly_jstr(m, "verdict"), *rule = assembly_jstr(m, "rule");
		const char *need = arena_printf(req->arena, "assembly.need.%s", rule);
		html_printf(
		    h,
		    "<section class=\"card asm-matter\" id=\"matter-%s\"><header><h3>%s %s</h3>"
		    "<p class=\"muted\">%T · %T</p><p class=\"asm-verdict asm-%s\">%T</p>"
		    "</header><dl class=\"asm-ratios\">",
		    assembly_jstr(m, "code"), assembly_jstr(m, "code"), assembly_jstr(m, "title"),
		    arena_printf(req->arena, "assembly.item.%d", (int)assembly_jint(m, "item")),
		    arena_printf(req->arena, "assembly.rule.%s", rule), verdict,
		    arena_printf(req->arena, "assembly.verdict.%s", verdict));
		ratio(h, "assembly.participation_owners",
		      json_object_get(m, "participation_owners"), "", "assembly.need.quorum");
		ratio(h, "assembly.participation_area", json_object_get(m, "participation_area"),
		      " m²", "assembly.need.quorum");
		ratio(h, "assembly.approval_owners", json_object_get(m, "approval_owners"), "",
		      need);
		ratio(h, "assembly.approval_area", json_object_get(m, "approval_area"), " m²",
		      need);
		html_printf(
		    h,
		    "</dl><p class=\"asm-tally\">%T %l · %s m²　%T %l · %s m²　%T %l · %s m²"
		    "</p></section>",
		    "assembly.choice.agree", assembly_jint(m, "agree_owners"),
		    assembly_jstr(m, "agree_area_m2"), "assembly.choice.oppose",
		    assembly_jint(m, "oppose_owners"), assembly_jstr(m, "oppose_area_m2"),
		    "assembly.choice.abstain", assembly_jint(m, "abstain_owners"),
		    assembly_jstr(m, "abstain_area_m2"));
	}
	html_printf(h, "</div>");
}

static void totals_line(struct html *h, json_t *roll)
{
	html_printf(h, "<p class=\"asm-roll-line\"><b>%T</b> %l　<b>%T</b> %l　<b>%T</b> %s m²</p>",
		    "assembly.parts", assembly_jint(roll, "parts"), "assembly.owners",
		    assembly_jint(roll, "owners"), "assembly.area", assembly_jstr(roll, "area_m2"));
}

static void rules(struct html *h)
{
	html_printf(h,
		    "<section class=\"asm-rules\"><h2>%T</h2><ol><li>%T</li><li>%T</li><li>%T</li>"
		    "<li>%T</li><li>%T</li><li>%T</li><li>%T</li></ol></section>",
		    "assembly.rules", "assembly.rules.quorum", "assembly.rules.special",
		    "assembly.rules.ordinary", "assembly.rules.threshold", "assembly.rules.art9",
		    "assembly.rules.abstain", "assembly.rules.supersede");
}

/* audit_files: the auditors' files and the command that recounts them, so
 * anyone holding the files can check the server's figures. The ballots'
 * file says who voted how: linked for the area's ballot roles only. */
static void audit_files(struct http_req *req, struct html *h, int64_t id, json_t *res)
{
	bool ballots = assembly_may_see_ballots(req->db, req->sess.area_id, req->sess.role);
	json_t *m;
	size_t i;

	html_printf(
	    h,
	    "<section class=\"asm-audit no-print\"><h2>%T</h2><p class=\"muted\">%T</p>"
	    "<p class=\"actions\"><a class=\"button\" href=\"/assemblies/%l/tally/roll.csv\" "
	    "download>ROLL.csv</a>",
	    "assembly.audit", ballots ? "assembly.audit_hint" : "assembly.audit_hint_roll", id);
	if (ballots)
		html_printf(h,
			    "<a class=\"button\" href=\"/assemblies/%l/tally/ballots.csv\" "
			    "download>BALLOTS.csv</a>",
			    id);
	html_printf(h, "</p><pre class=\"asm-command\"><span>linli assembly tally</span> "
		       "<span>--roll ROLL.csv</span> <span>--ballots BALLOTS.csv</span>");
	json_array_foreach (json_object_get(res, "matters"), i, m)
		html_printf(h, " <span>--matter %s:%l</span>", assembly_jstr(m, "code"),
			    assembly_jint(m, "item"));
	html_printf(h, " <span>--json</span></pre></section>");
}

static int load(struct http_req *req, int64_t area_id, int64_t id, struct assembly *a, json_t **res)
{
	int rc = assembly_get(req->db, area_id, id, a);

	*res = NULL;
	if (!rc)
		rc = assembly_result_json(req->db, area_id, id, res);
	return rc;
}

static int page_result(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0);
	struct assembly a;
	json_t *res = NULL;
	struct html h;
	int rc = load(req, req->sess.area_id, id, &a, &res);

	if (rc) {
		json_decref(res);
		return assembly_page_failed(req, resp, rc);
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.result"));
	html_printf(&h,
		    "<nav class=\"crumbs\"><a href=\"/assemblies\">%T</a> › <a "
		    "href=\"/assemblies/%l\">%s</a></nav><div class=\"page-head\"><h1>%T</h1>"
		    "<p>%s · ",
		    "assembly.list", id, a.title, "assembly.result", a.compound);
	assembly_state_badge(req, &h, assembly_state_name(a.state));
	html_printf(&h, "</p></div>");
	if (a.state != ASSEMBLY_CLOSED)
		html_printf(&h, "<p class=\"notice\">%T</p>", "assembly.provisional");
	totals_line(&h, json_object_get(res, "roll"));
	result_table(req, &h, res);
	rules(&h);
	audit_files(req, &h, id, res);
	json_decref(res);
	return assembly_page_end(req, resp, &h);
}

/* page_notice: the public notice (公示), for anyone: the roll's totals
 * while it is on notice and voting, the result's totals once closed.
 * Never a name, a unit or anyone's choice. A draft does not exist here. */
static int page_notice(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), area_id = 0;
	struct assembly a;
	json_t *res = NULL;
	struct html h;
	char from[20], until[20], opens[20], closes[20];
	int rc = assembly_area_of(req->db, id, &area_id);

	if (!rc)
		rc = load(req, area_id, id, &a, &res);
	if (!rc && (a.state == ASSEMBLY_DRAFT || a.state == ASSEMBLY_CANCELLED))
		rc = LIN_ENOTFOUND;
	if (rc) {
		json_decref(res);
		return assembly_page_failed(req, resp, rc);
	}
	assembly_time_format(a.published_at, from);
	assembly_time_format(a.objections_until, until);
	assembly_time_format(a.opens_at, opens);
	assembly_time_format(a.closes_at, closes);
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.notice"));
	html_printf(&h,
		    "<article class=\"notice-sheet asm-notice\"><header><p class=\"notice-from\">"
		    "%s</p><h1>%s</h1><p>%T</p></header>",
		    a.compound, a.title,
		    a.state == ASSEMBLY_CLOSED ? "assembly.notice_result" : "assembly.notice_roll");
	html_printf(&h, "<p>%T %s — %s · %T %s — %s</p>", "assembly.publication", from, until,
		    "assembly.voting", opens, closes);
	totals_line(&h, json_object_get(res, "roll"));
	if (a.state == ASSEMBLY_CLOSED)
		result_table(req, &h, res);
	else
		html_printf(&h, "<p>%T</p>", "assembly.notice_objections");
	rules(&h);
	html_printf(&h, "</article>");
	json_decref(res);
	return assembly_page_end(req, resp, &h);
}

/* page_sheet: the result sheet to print on A4 and post, with the rules. */
static int page_sheet(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0);
	struct assembly a;
	json_t *res = NULL;
	struct html h;
	char opened[20], closed[20];
	int rc = load(req, req->sess.area_id, id, &a, &res);

	if (rc) {
		json_decref(res);
		return assembly_page_failed(req, resp, rc);
	}
	assembly_time_format(a.opened_at, opened);
	assembly_time_format(a.closed_at ? a.closed_at : a.closes_at, closed);
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.sheet"));
	html_printf(&h,
		    "<p class=\"no-print\"><a href=\"/assemblies/%l\">‹ %s</a></p>"
		    "<article class=\"notice-sheet asm-sheet\"><header><p class=\"notice-from\">%s"
		    "</p><h1>%s</h1><p>%T</p><p>%T %s — %s</p></header>",
		    id, a.title, a.compound, a.title, "assembly.sheet_title", "assembly.voting",
		    opened, closed);
	if (a.state != ASSEMBLY_CLOSED)
		html_printf(&h, "<p class=\"notice\">%T</p>", "assembly.provisional");
	totals_line(&h, json_object_get(res, "roll"));
	result_table(req, &h, res);
	rules(&h);
	html_printf(&h, "<footer class=\"notice-foot\"><p>%T</p></footer></article>",
		    "assembly.sheet_sign");
	json_decref(res);
	return assembly_page_end(req, resp, &h);
}

/* ------------------------------------------------------------ who voted how */

/* ballots_for: the ballot record, only for the area's ballot roles. */
static int ballots_for(struct http_req *req, struct http_resp *resp, struct assembly *a,
		       json_t **rows)
{
	int64_t id = assembly_param_id(req, 0);
	int rc;

	*rows = NULL;
	if (!assembly_may_see_ballots(req->db, req->sess.area_id, req->sess.role)) {
		resp_error(req, resp, 403, "forbidden", "err.forbidden");
		return LIN_EPERM;
	}
	rc = assembly_get(req->db, req->sess.area_id, id, a);
	if (!rc)
		rc = assembly_ballots_json(req->db, req->sess.area_id, id, rows);
	if (rc) {
		json_decref(*rows);
		*rows = NULL;
		assembly_page_failed(req, resp, rc);
	}
	return rc;
}

static int page_ballots(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL, *b, *refusals = NULL;
	struct assembly a;
	struct html h;
	size_t i;

	if (ballots_for(req, resp, &a, &rows))
		return 0;
	assembly_refusals_json(req->db, req->sess.area_id, a.id, &refusals);
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ballots"));
	html_printf(
	    &h,
	    "<nav class=\"crumbs\"><a href=\"/assemblies\">%T</a> › <a "
	    "href=\"/assemblies/%l\">%s</a></nav><div class=\"page-head\"><h1>%T</h1>"
	    "<p class=\"actions no-print\"><a class=\"button\" "
	    "href=\"/assemblies/%l/ballots.csv\">CSV</a><a class=\"button\" "
	    "href=\"/assemblies/%l/ballots.xlsx\">XLSX</a></p></div><p class=\"muted\">%T</p>",
	    "assembly.list", a.id, a.title, "assembly.ballots", a.id, a.id,
	    "assembly.ballots_hint");
	html_printf(&h,
		    "<div class=\"table-wrap\"><table class=\"list asm-ballots\"><thead><tr>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th>"
		    "</tr></thead><tbody>",
		    "assembly.cast_at", "assembly.unit", "assembly.owner", "assembly.code",
		    "assembly.choice", "assembly.channel", "assembly.counted");
	json_array_foreach (rows, i, b) {
		char at[20];
		bool sup = json_is_true(json_object_get(b, "superseded"));
		assembly_time_format(assembly_jint(b, "cast_at"), at);
		html_printf(
		    &h,
		    "<tr%R><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%T</td><td>%T</td>"
		    "<td>%T</td></tr>",
		    sup ? " class=\"asm-superseded\"" : "", at, assembly_jstr(b, "unit"),
		    assembly_jstr(b, "owner_name"), assembly_jstr(b, "code"),
		    arena_printf(req->arena, "assembly.choice.%s", assembly_jstr(b, "choice")),
		    arena_printf(req->arena, "assembly.channel.%s", assembly_jstr(b, "channel")),
		    sup ? "assembly.superseded" : "assembly.counted_yes");
	}
	html_printf(&h, "</tbody></table></div>");
	html_printf(&h, "<h2>%T</h2>", "assembly.refusals");
	if (!json_array_size(refusals))
		html_printf(&h, "<p class=\"empty\">%T</p>", "assembly.refusals_none");
	else {
		html_printf(&h, "<ul class=\"asm-refusals\">");
		json_array_foreach (refusals, i, b) {
			char at[20];
			assembly_time_format(assembly_jint(b, "at"), at);
			html_printf(&h, "<li>%s · %s · %s · %s</li>", at, assembly_jstr(b, "unit"),
				    assembly_jstr(b, "channel"), assembly_jstr(b, "reason"));
		}
		html_printf(&h, "</ul>");
	}
	json_decref(refusals);
	json_decref(rows);
	return assembly_page_end(req, resp, &h);
}

static int ballots_csv(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL, *b;
	struct assembly a;
	size_t i;

	if (ballots_for(req, resp, &a, &rows))
		return 0;
	buf_adds(&resp->body, "\xEF\xBB\xBF"); /* a BOM, so spreadsheets read UTF-8 */
	buf_adds(&resp->body, "id,cast_at,unit,owner,matter,choice,channel,counted");
	csv_add_end(&resp->body);
	json_array_foreach (rows, i, b) {
		char at[20];
		assembly_time_format(assembly_jint(b, "cast_at"), at);
		buf_addf(&resp->body, "%lld,", (long long)assembly_jint(b, "id"));
		csv_add_text(&resp->body, at);
		csv_add_sep(&resp->body);
		csv_add_text(&resp->body, assembly_jstr(b, "unit"));
		csv_add_sep(&resp->body);
		csv_add_text(&resp->body, assembly_jstr(b, "owner_name"));
		csv_add_sep(&resp->body);
		csv_add_text(&resp->body, assembly_jstr(b, "code"));
		csv_add_sep(&resp->body);
		csv_add_text(&resp->body, assembly_jstr(b, "choice"));
		csv_add_sep(&resp->body);
		csv_add_text(&resp->body, assembly_jstr(b, "channel"));
		csv_add_sep(&resp->body);
		csv_add_text(&resp->body, json_is_true(json_object_get(b, "superseded"))
					      ? "superseded"
					      : "counted");
		csv_add_end(&resp->body);
	}
	json_decref(rows);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"assembly-%lld-ballots.csv\"",
				 (long long)a.id));
	return 0;
}

/* tally_file: ROLL.csv (which) or BALLOTS.csv of the assembly, as
 * assembly_tally_files writes them, for `linli assembly tally`. */
static int tally_file(struct http_req *req, struct http_resp *resp, bool roll)
{
	int64_t id = assembly_param_id(req, 0);
	struct assembly a;
	int rc;

	if (!roll && !assembly_may_see_ballots(req->db, req->sess.area_id, req->sess.role))
		return resp_error(req, resp, 403, "forbidden", "err.forbidden");
	rc = assembly_get(req->db, req->sess.area_id, id, &a);
	if (!rc)
		rc = assembly_tally_files(req->db, req->sess.area_id, id, roll ? &resp->body : NULL,
					  roll ? NULL : &resp->body);
	if (rc) {
		buf_reset(&resp->body);
		return assembly_page_failed(req, resp, rc);
	}
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"assembly-%lld-%s.csv\"",
				 (long long)id, roll ? "ROLL" : "BALLOTS"));
	return 0;
}

static int tally_roll_csv(struct http_req *req, struct http_resp *resp)
{
	return tally_file(req, resp, true);
}

static int tally_ballots_csv(struct http_req *req, struct http_resp *resp)
{
	return tally_file(req, resp, false);
}

static int write_book(struct http_req *req, void *ctx, const char *path)
{
	json_t *rows = ctx, *b;
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws;
	lxw_format *head, *grey;
	static const char *const heads[] = {
	    "assembly.cast_at", "assembly.unit",    "assembly.owner",  "assembly.code",
	    "assembly.choice",	"assembly.channel", "assembly.counted"};
	size_t i;
	int err = 0;

	if (!wb)
		return LIN_EIO;
	ws = workbook_add_worksheet(wb, req_t(req, "assembly.ballots"));
	head = workbook_add_format(wb);
	grey = workbook_add_format(wb);
	if (!ws || !head || !grey) {
		workbook_close(wb);
		return LIN_EIO;
	}
	format_set_bold(head);
	format_set_font_strikeout(grey);
	for (int c = 0; c < 7; c++)
		err |= worksheet_write_string(ws, 0, (lxw_col_t)c, req_t(req, heads[c]), head);
	json_array_foreach (rows, i, b) {
		char at[20];
		bool sup = json_is_true(json_object_get(b, "superseded"));
		lxw_row_t r = (lxw_row_t)i + 1;
		lxw_format *f = sup ? grey : NULL;
		assembly_time_format(assembly_jint(b, "cast_at"), at);
		err |= worksheet_write_string(ws, r, 0, at, f);
		err |= worksheet_write_string(ws, r, 1, assembly_jstr(b, "unit"), f);
		err |= worksheet_write_string(ws, r, 2, assembly_jstr(b, "owner_name"), f);
		err |= worksheet_write_string(ws, r, 3, assembly_jstr(b, "code"), f);
		err |=
		    worksheet_write_string(ws, r, 4,
					   req_t(req, arena_printf(req->arena, "assembly.choice.%s",
								   assembly_jstr(b, "choice"))),
					   f);
		err |= worksheet_write_string(
		    ws, r, 5,
		    req_t(req, arena_printf(req->arena, "assembly.channel.%s",
					    assembly_jstr(b, "channel"))),
		    f);
		err |= worksheet_write_string(
		    ws, r, 6, req_t(req, sup ? "assembly.superseded" : "assembly.counted_yes"),
		    NULL);
	}
	err |= worksheet_set_column(ws, 0, 2, 18, NULL);
	if (workbook_close(wb) != LXW_NO_ERROR)
		err = 1;
	return err ? LIN_EIO : 0;
}

static int ballots_xlsx(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	struct assembly a;
	int rc;

	if (ballots_for(req, resp, &a, &rows))
		return 0;
	rc = resp_xlsx(req, resp,
		       arena_printf(req->arena, "assembly-%lld-ballots.xlsx", (long long)a.id),
		       write_book, rows);
	json_decref(rows);
	return rc;
}

const struct route assembly_result_routes[] = {
    {"GET", "/assemblies/:id/result", page_result, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/notice", page_notice, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/assemblies/:id/sheet", page_sheet, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/ballots", page_ballots, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/ballots.csv", ballots_csv, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/ballots.xlsx", ballots_xlsx, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/tally/roll.csv", tally_roll_csv, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/tally/ballots.csv", tally_ballots_csv, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
