/* The staff pages of the owners' assemblies: the list, one assembly (its
 * state and dates, the roll with its totals per Art. 9, objections,
 * matters, the steps publish / open / close) and the forms behind them. */
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>

void assembly_page_begin(struct http_req *req, struct http_resp *resp, struct html *h,
			 const char *title)
{
	h->out = &resp->body;
	h->lang = req->lang;
	page_begin(req, h, title);
}

int assembly_page_end(struct http_req *req, struct http_resp *resp, struct html *h)
{
	page_end(req, h);
	resp->status = 200;
	return 0;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int page_list(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL, *r;
	struct html h;
	size_t i;

	if (assembly_list_json(req->db, req->sess.area_id, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.list"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1></div>", "assembly.list");
	html_printf(&h,
		    "<table class=\"list\"><thead><tr><th>%T</th><th>%T</th><th>%T</th>"
		    "<th>%T</th><th>%T</th></tr></thead><tbody>",
		    "assembly.title", "assembly.compound", "assembly.state", "assembly.owners",
		    "assembly.area");
	json_array_foreach (rows, i, r) {
		char key[48];
		snprintf(key, sizeof(key), "assembly.state.%s", jstr(r, "state"));
		html_printf(&h,
			    "<tr><td><a href=\"/assemblies/%l\">%s</a></td><td>%s</td><td>%T</td>"
			    "<td>%l</td><td>%s m²</td></tr>",
			    (int64_t)json_integer_value(json_object_get(r, "id")), jstr(r, "title"),
			    jstr(r, "compound"), key,
			    (int64_t)json_integer_value(json_object_get(r, "owners")),
			    jstr(r, "area_m2"));
	}
	html_printf(&h, "</tbody></table>");
	json_decref(rows);
	return assembly_page_end(req, resp, &h);
}

const struct route assembly_page_routes[] = {
    {"GET", "/assemblies", page_list, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
