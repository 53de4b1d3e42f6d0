/* Printable ballot sheets (表决票): one A4 page per exclusive part with the
 * matters, the owner's name masked as the area allows, and a QR code of
 * the online vote's address with a one-time code. Only a hash of a code
 * is kept, so a code exists in clear only in the answer to the POST that
 * issued it: printing is that POST, and printing a part again issues a
 * new code and voids the old one. Also the helpers the channel pages
 * share and the route table. */
#include "channels.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most sheets one POST prints: a large compound prints by building. */
#define SHEETS_MAX 5000

int channels_assembly(struct http_req *req, struct assembly *a)
{
	int64_t id = assembly_param_id(req, 0);
	return id ? assembly_get(req->db, req->sess.area_id, id, a) : LIN_ENOTFOUND;
}

int channels_page_end(struct http_req *req, struct http_resp *resp, struct html *h, int status)
{
	int rc = assembly_page_end(req, resp, h);
	resp->status = status;
	return rc;
}

void channels_tabs(struct html *h, const struct assembly *a, const char *current)
{
	static const char *const tabs[][2] = {{"sheets", "assembly.ch.sheets"},
					      {"paper", "assembly.ch.paper"},
					      {"proxies", "assembly.ch.proxies"}};
	html_printf(
	    h, "<nav class=\"tabs no-print\" aria-label=\"%T\"><a href=\"/assemblies/%l\">%s</a>",
	    "assembly.ch.channels", a->id, a->title);
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
		html_printf(h, "<a href=\"/assemblies/%l/%s\"%R>%T</a>", a->id, tabs[i][0],
			    strcmp(tabs[i][0], current) ? "" : " aria-current=\"page\"",
			    tabs[i][1]);
	html_printf(h, "</nav>");
}

/* The page that prints: every part, or one part again. */
int channels_sheets_page(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *parts = NULL, *p;
	struct html h;
	size_t i;

	if (channels_assembly(req, &a) ||
	    assembly_parts_json(req->db, req->sess.area_id, a.id, &parts)) {
		json_decref(parts);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.sheets"));
	channels_tabs(&h, &a, "sheets");
	html_printf(&h, "<h1>%T</h1><p class=\"hint\">%T</p>", "assembly.ch.sheets",
		    "assembly.ch.sheets_hint");
	html_printf(&h,
		    "<form method=\"post\" action=\"/assemblies/%l/sheets\" class=\"card stack\">",
		    a.id);
	page_csrf_field(req, &h);
	html_printf(&h, "<label>%T <select name=\"part\"><option value=\"all\">%T</option>",
		    "assembly.ch.which_sheets", "assembly.ch.all_parts");
	json_array_foreach (parts, i, p) {
		if (json_is_true(json_object_get(p, "removed")))
			continue;
		html_printf(&h,
			    "<option value=\"%l\">%s", /* marked: the online vote is open to it */
			    (int64_t)json_integer_value(json_object_get(p, "id")),
			    json_string_value(json_object_get(p, "unit")));
		if (json_is_true(json_object_get(p, "has_id_check")))
			html_printf(&h, " · %T", "assembly.online_ok");
		html_printf(&h, "</option>");
	}
	html_printf(&h,
		    "</select></label><p class=\"hint\">%T</p>"
		    "<button class=\"primary\">%T</button></form>",
		    "assembly.ch.reprint_voids", "assembly.ch.print");
	json_decref(parts);
	return channels_page_end(req, resp, &h, 200);
}

/* matters_table: the matters with a box for each choice. */
static void matters_table(struct html *h, json_t *matters)
{
	size_t i;
	json_t *m;

	html_printf(
	    h,
	    "<table class=\"ballot-matters\"><thead><tr><th>%T</th><th class=\"item\">%T</th>"
	    "<th class=\"box\">%T</th><th class=\"box\">%T</th><th class=\"box\">%T</th>"
	    "</tr></thead><tbody>",
	    "assembly.ch.matter", "assembly.ch.item", "assembly.ch.agree", "assembly.ch.oppose",
	    "assembly.ch.abstain");
	json_array_foreach (matters, i, m) {
		const char *body = json_string_value(json_object_get(m, "body"));
		html_printf(h, "<tr><td><strong>%s</strong> %s",
			    json_string_value(json_object_get(m, "code")),
			    json_string_value(json_object_get(m, "title")));
		if (body && *body)
			html_printf(h, "<br><small>%s</small>", body);
		html_printf(h,
			    "</td><td class=\"item\">%d</td><td class=\"box\">□</td><td "
			    "class=\"box\">□</td>"
			    "<td class=\"box\">□</td></tr>",
			    (int)json_integer_value(json_object_get(m, "item")));
	}
	html_printf(h, "</tbody></table>");
}

/* one_sheet writes the A4 sheet of part p with its code. */
static void one_sheet(struct http_req *req, struct html *h, const struct assembly *a, json_t *p,
		      json_t *matters, const char *mask, const char *code)
{
	const char *url =
	    arena_printf(req->arena, "%s/assembly/vote?code=%s", req_origin(req), code);
	const char *name = channels_mask_name(
	    req->arena, json_string_value(json_object_get(p, "owner_name")), mask);
	char closes[20] = "";
	struct buf svg;

	if (a->closes_at)
		assembly_time_format(a->closes_at, closes);
	buf_init(&svg, BUF_DEFAULT_MAX);
	qr_svg(&svg, url, req_t(req, "assembly.ch.qr_label"));
	html_printf(h,
		    "<article class=\"ballot-sheet\"><header><h2>%s</h2><p>%T · %s</p></header>"
		    "<dl class=\"ballot-who\"><dt>%T</dt><dd class=\"ballot-unit\">%s</dd>"
		    "<dt>%T</dt><dd class=\"ballot-owner\">%s</dd><dt>%T</dt><dd>%s m²</dd></dl>",
		    a->title, "assembly.ch.ballot", a->compound, "assembly.ch.unit",
		    json_string_value(json_object_get(p, "unit")), "assembly.ch.owner",
		    *name ? name : "—", "assembly.ch.area",
		    json_string_value(json_object_get(p, "area_m2")));
	matters_table(h, matters);
	html_printf(
	    h,
	    "<p class=\"ballot-rule\">%T</p>"
	    "<div class=\"ballot-foot\"><div class=\"ballot-sign\"><p>%T ____________</p>"
	    "<p>%T ____________</p><p>%T ____________</p>"
	    "<p class=\"ballot-close\">%T %s</p></div>"
	    "<div class=\"ballot-online\"><div class=\"ballot-qr\">%R</div>"
	    "<p>%T</p><p class=\"ballot-code\">%s</p></div></div>"
	    "<p class=\"ballot-id\">%T %l</p></article>",
	    "assembly.ch.tick_one", "assembly.ch.sign_owner", "assembly.ch.sign_proxy",
	    "assembly.ch.sign_date", "assembly.ch.closes", closes, svg.buf,
	    "assembly.ch.online_hint",
	    arena_printf(req->arena, "%.5s %.5s %.5s %.5s", code, code + 5, code + 10, code + 15),
	    "assembly.ch.sheet_no", (int64_t)json_integer_value(json_object_get(p, "id")));
	buf_release(&svg);
}

/* The sheets themselves: codes issued (earlier ones of these parts void)
 * and written into this answer only. */
int channels_sheets_print(struct http_req *req, struct http_resp *resp)
{
	const char *which = req_form(req, "part");
	json_t *parts = NULL, *matters = NULL, *p, *chosen = json_array();
	char(*codes)[CHANNELS_CODE_LEN + 1] = NULL;
	int64_t *ids = NULL, one = 0;
	struct assembly a;
	char mask[16];
	struct html h;
	size_t i, n = 0;
	int rc;

	if (!chosen || channels_assembly(req, &a) ||
	    assembly_parts_json(req->db, req->sess.area_id, a.id, &parts) ||
	    assembly_matters_json(req->db, req->sess.area_id, a.id, &matters)) {
		rc = resp_error(req, resp, 404, "not_found", "err.not_found");
		goto out;
	}
	if (which && strcmp(which, "all") && parse_int64(which, 1, INT64_MAX, &one)) {
		rc = resp_error(req, resp, 422, "invalid", "assembly.ch.err.part");
		goto out;
	}
	json_array_foreach (parts, i, p) {
		if (json_is_true(json_object_get(p, "removed")))
			continue;
		if (one && json_integer_value(json_object_get(p, "id")) != one)
			continue;
		json_array_append(chosen, p);
	}
	if (!json_array_size(matters)) {
		rc = resp_error(req, resp, 422, "invalid", "assembly.err.no_matters");
		goto out;
	}
	n = json_array_size(chosen);
	if (!n || n > SHEETS_MAX) {
		rc = resp_error(req, resp, 422, "invalid",
				n ? "assembly.ch.err.too_many" : "assembly.ch.err.part");
		goto out;
	}
	ids = calloc(n, sizeof(*ids));
	codes = calloc(n, sizeof(*codes));
	if (!ids || !codes) {
		rc = resp_error(req, resp, 500, "internal", "err.internal");
		goto out;
	}
	json_array_foreach (chosen, i, p)
		ids[i] = json_integer_value(json_object_get(p, "id"));
	rc = channels_codes_issue(req->db, &req->sess, req->sess.area_id, a.id, ids, n, codes);
	if (!rc)
		rc = channels_name_mask(req->db, req->sess.area_id, mask);
	if (rc) {
		rc = rc == LIN_ECONFLICT
			 ? resp_error(req, resp, 409, "conflict", "assembly.ch.err.closed_sheets")
		     : rc == LIN_EINVAL
			 ? resp_error(req, resp, 422, "invalid", "assembly.ch.err.part")
			 : resp_error(req, resp, 500, "internal", "err.internal");
		goto out;
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.sheets"));
	html_printf(&h, "<p class=\"notice no-print\" role=\"status\">%T</p>",
		    "assembly.ch.printed_hint");
	json_array_foreach (chosen, i, p)
		one_sheet(req, &h, &a, p, matters, mask, codes[i]);
	/* the codes are in the page now; no copy stays with the server */
	resp_header(req, resp, "Cache-Control", "no-store");
	rc = channels_page_end(req, resp, &h, 200);
out:
	if (codes)
		memset(codes, 0, n * sizeof(*codes));
	free(codes);
	free(ids);
	json_decref(chosen);
	json_decref(parts);
	json_decref(matters);
	return rc;
}

int assembly_channels_routes(struct router *r, const struct cases_uploads *up)
{
	const struct route routes[] = {
	    {"GET", "/assembly/vote", channels_vote_page, PERM_PUBLIC, 0, NULL, 0},
	    {"POST", "/assembly/vote", channels_vote_submit, PERM_PUBLIC, 0, NULL, 0},
	    {"GET", "/assemblies/:id/sheets", channels_sheets_page, PERM_ASSEMBLY_WRITE, 0, NULL,
	     0},
	    {"POST", "/assemblies/:id/sheets", channels_sheets_print, PERM_ASSEMBLY_WRITE, 0, NULL,
	     0},
	    {"GET", "/assemblies/:id/paper", channels_paper_page, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
	    {"POST", "/assemblies/:id/paper", channels_paper_receive, PERM_ASSEMBLY_WRITE, 0, NULL,
	     0},
	    {"GET", "/assemblies/:id/paper/:sheet", channels_sheet_page, PERM_ASSEMBLY_WRITE, 0,
	     NULL, 0},
	    {"POST", "/assemblies/:id/paper/:sheet", channels_sheet_entry, PERM_ASSEMBLY_WRITE, 0,
	     NULL, 0},
	    {"GET", "/assemblies/:id/proxies", channels_proxies_page, PERM_ASSEMBLY_WRITE, 0, up,
	     0},
	    {"POST", "/assemblies/:id/proxies", channels_proxy_submit, PERM_ASSEMBLY_WRITE,
	     ROUTE_NO_CSRF | ROUTE_UPLOAD, up, 0},
	    {"POST", "/assemblies/:id/proxies/:proxy/revoke", channels_proxy_revoke_submit,
	     PERM_ASSEMBLY_WRITE, 0, up, 0},
	    {"GET", "/assemblies/:id/proxies/:proxy/photo", channels_proxy_photo_file,
	     PERM_ASSEMBLY_WRITE, 0, up, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
