/* Paper ballots: a sheet that came back is received (for which part,
 * through which entrustment, when), then entered twice by two different
 * staff without seeing each other's entry. Equal entries count the sheet
 * (its ballots cast with the time it came back); different ones block it,
 * both shown side by side, until a third person who entered neither reads
 * the paper and decides, with a note. Only counted sheets count. */
#include "channels.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const choice_names[] = {"agree", "oppose", "abstain"};

static const char *state_key(struct http_req *req, const char *state)
{
	return arena_printf(req->arena, "assembly.ch.sheet.%s", state);
}

/* entry_choice: what canonical text says of matter code, "" when blank. */
static const char *entry_choice(struct http_req *req, const char *canonical, const char *code)
{
	size_t len = strlen(code);
	for (const char *p = canonical; p && *p;) {
		const char *end = strchr(p, ';');
		if (!strncmp(p, code, len) && p[len] == '=')
			return arena_printf(req->arena, "%.*s",
					    (int)((end ? end : p + strlen(p)) - p - len - 1),
					    p + len + 1);
		p = end ? end + 1 : NULL;
	}
	return "";
}

int channels_paper_page(struct http_req *req, struct http_resp *resp)
{
	json_t *sheets = NULL, *parts = NULL, *proxies = NULL, *x;
	char now[20];
	struct assembly a;
	struct html h;
	size_t i;

	if (channels_assembly(req, &a) ||
	    channels_sheets_json(req->db, req->sess.area_id, a.id, &sheets) ||
	    assembly_parts_json(req->db, req->sess.area_id, a.id, &parts) ||
	    channels_proxies_json(req->db, req->sess.area_id, a.id, &proxies)) {
		json_decref(sheets);
		json_decref(parts);
		json_decref(proxies);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	assembly_time_format((int64_t)time(NULL), now);
	now[10] = 'T'; /* as a datetime-local input wants it */
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.paper"));
	channels_tabs(&h, &a, "paper");
	html_printf(&h, "<h1>%T</h1><p class=\"hint\">%T</p>", "assembly.ch.paper",
		    "assembly.ch.paper_hint");
	html_printf(&h,
		    "<form method=\"post\" action=\"/assemblies/%l/paper\" class=\"card stack\">",
		    a.id);
	page_csrf_field(req, &h);
	html_printf(&h, "<h2>%T</h2><label>%T <select name=\"part\" required>",
		    "assembly.ch.receive", "assembly.ch.unit");
	json_array_foreach (parts, i, x) {
		if (json_is_true(json_object_get(x, "removed")))
			continue;
		html_printf(&h, "<option value=\"%l\">%s</option>",
			    (int64_t)json_integer_value(json_object_get(x, "id")),
			    json_string_value(json_object_get(x, "unit")));
	}
	html_printf(
	    &h, "</select></label><label>%T <select name=\"proxy\"><option value=\"\">%T</option>",
	    "assembly.ch.through_proxy", "assembly.ch.no_proxy");
	json_array_foreach (proxies, i, x) {
		if (json_is_true(json_object_get(x, "revoked")))
			continue;
		html_printf(&h, "<option value=\"%l\">%s · %s</option>",
			    (int64_t)json_integer_value(json_object_get(x, "id")),
			    json_string_value(json_object_get(x, "unit")),
			    json_string_value(json_object_get(x, "proxy_name")));
	}
	html_printf(&h,
		    "</select></label><label>%T <input type=\"datetime-local\" step=\"1\" "
		    "name=\"received_at\" required value=\"%s\"></label>"
		    "<button class=\"primary\">%T</button></form>",
		    "assembly.ch.received_at", now, "assembly.ch.receive");
	html_printf(&h,
		    "<table class=\"ch-list\"><thead><tr><th>#</th><th>%T</th><th>%T</th>"
		    "<th>%T</th><th>%T</th></tr></thead><tbody>",
		    "assembly.ch.unit", "assembly.ch.received_at", "assembly.ch.entries",
		    "assembly.ch.state");
	json_array_foreach (sheets, i, x) {
		char at[20];
		int64_t id = json_integer_value(json_object_get(x, "id"));
		assembly_time_format(json_integer_value(json_object_get(x, "received_at")), at);
		html_printf(&h,
			    "<tr><td>%l</td><td><a href=\"/assemblies/%l/paper/%l\">%s</a></td>"
			    "<td>%s</td><td>%l</td><td class=\"sheet-%s\">%T</td></tr>",
			    id, a.id, id, json_string_value(json_object_get(x, "unit")), at,
			    (int64_t)json_integer_value(json_object_get(x, "passes")),
			    json_string_value(json_object_get(x, "state")),
			    state_key(req, json_string_value(json_object_get(x, "state"))));
	}
	html_printf(&h, "</tbody></table>");
	json_decref(sheets);
	json_decref(parts);
	json_decref(proxies);
	return channels_page_end(req, resp, &h, 200);
}

/* refused: a refusal said plainly; ballots refused for closing are
 * logged (the sheet came back too late). */
static int refused(struct http_req *req, struct http_resp *resp, const struct assembly *a,
		   int64_t part_id, int rc, const char *why)
{
	if (why && (!strcmp(why, "assembly.err.closed") || !strcmp(why, "assembly.err.not_open") ||
		    !strcmp(why, "assembly.err.no_proxy")))
		assembly_refusal_add(req->db, req->sess.area_id, a->id, part_id, "paper",
				     !strcmp(why, "assembly.err.closed")     ? "closed"
				     : !strcmp(why, "assembly.err.not_open") ? "not_open"
									     : "no_proxy",
				     (int64_t)time(NULL));
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", why ? why : "err.forbidden");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict",
				  why ? why : "assembly.ch.err.refused");
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", why ? why : "assembly.ch.err.refused");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

int channels_paper_receive(struct http_req *req, struct http_resp *resp)
{
	const char *proxy = req_form(req, "proxy"), *why = NULL;
	int64_t part = 0, proxy_id = 0, received = 0, id = 0;
	struct assembly a;
	int rc;

	if (channels_assembly(req, &a))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (!req_form(req, "part") || parse_int64(req_form(req, "part"), 1, INT64_MAX, &part))
		return resp_error(req, resp, 422, "invalid", "assembly.ch.err.part");
	if (proxy && *proxy && parse_int64(proxy, 1, INT64_MAX, &proxy_id))
		return resp_error(req, resp, 422, "invalid", "assembly.err.no_proxy");
	if (assembly_time_parse(req_form(req, "received_at"), &received))
		return resp_error(req, resp, 422, "invalid", "assembly.ch.err.received_at");
	rc = channels_sheet_receive(req->db, &req->sess, req->sess.area_id, a.id, part, proxy_id,
				    received, (int64_t)time(NULL), &id, &why);
	if (rc)
		return refused(req, resp, &a, part, rc, why);
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/assemblies/%lld/paper/%lld",
					  (long long)a.id, (long long)id));
}

/* entry_form: one radio group per matter (blank allowed), and the note
 * when resolving. */
static void entry_form(struct http_req *req, struct html *h, const struct assembly *a,
		       const struct channels_sheet *sh, json_t *matters, int pass)
{
	size_t i;
	json_t *m;

	html_printf(
	    h, "<form method=\"post\" action=\"/assemblies/%l/paper/%l\" class=\"card stack\">",
	    a->id, sh->id);
	page_csrf_field(req, h);
	html_printf(h, "<h2>%T %d</h2>", "assembly.ch.pass", pass);
	json_array_foreach (matters, i, m) {
		int64_t id = json_integer_value(json_object_get(m, "id"));
		html_printf(
		    h,
		    "<fieldset class=\"matter\"><legend>%s %s</legend><div class=\"ch-choices\">",
		    json_string_value(json_object_get(m, "code")),
		    json_string_value(json_object_get(m, "title")));
		for (int c = 0; c < 3; c++)
			html_printf(h,
				    "<label class=\"choice\"><input type=\"radio\" name=\"m%l\" "
				    "value=\"%s\"> %T</label>",
				    id, choice_names[c],
				    arena_printf(req->arena, "assembly.ch.%s", choice_names[c]));
		html_printf(h,
			    "<label class=\"choice\"><input type=\"radio\" name=\"m%l\" value=\"\" "
			    "checked> %T</label></div></fieldset>",
			    id, "assembly.ch.blank");
	}
	if (pass == 3)
		html_printf(h,
			    "<label>%T <textarea name=\"note\" required "
			    "maxlength=\"500\"></textarea></label>",
			    "assembly.ch.note");
	html_printf(h, "<button class=\"primary\">%T</button></form>", "assembly.ch.enter");
}

/* compare_table: the entries side by side, a row per matter, the rows
 * where they differ marked. */
static void compare_table(struct http_req *req, struct html *h, const struct channels_sheet *sh,
			  json_t *matters)
{
	int passes = sh->entry_user[2] ? 3 : 2;
	size_t i;
	json_t *m;

	html_printf(h, "<table class=\"ch-list entry-compare\"><thead><tr><th>%T</th>",
		    "assembly.ch.matter");
	for (int p = 0; p < passes; p++)
		html_printf(h, "<th>%T %d · %s</th>", "assembly.ch.pass", p + 1, sh->entry_name[p]);
	html_printf(h, "</tr></thead><tbody>");
	json_array_foreach (matters, i, m) {
		const char *code = json_string_value(json_object_get(m, "code"));
		const char *c1 = entry_choice(req, sh->entry[0], code);
		const char *c2 = entry_choice(req, sh->entry[1], code);
		int differ = strcmp(c1, c2) != 0;

		html_printf(h, "<tr%R><td>%s %s%R</td>", differ ? " class=\"differs\"" : "", code,
			    json_string_value(json_object_get(m, "title")),
			    differ ? arena_printf(req->arena, " <strong>(%s)</strong>",
						  req_t(req, "assembly.ch.differs"))
				   : "");
		for (int p = 0; p < passes; p++) {
			const char *c = entry_choice(req, sh->entry[p], code);
			html_printf(h, "<td>%T</td>",
				    *c ? arena_printf(req->arena, "assembly.ch.%s", c)
				       : "assembly.ch.blank");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h, "</tbody></table>");
}

int channels_sheet_page(struct http_req *req, struct http_resp *resp)
{
	struct channels_sheet *sh = calloc(1, sizeof(*sh));
	struct assembly_part part;
	json_t *matters = NULL;
	int64_t user = req->sess.user_id;
	struct assembly a;
	struct html h;
	char at[20];
	int rc = 0;

	if (!sh)
		return resp_error(req, resp, 500, "internal", "err.internal");
	if (channels_assembly(req, &a) ||
	    channels_sheet_get(req->db, req->sess.area_id, assembly_param_id(req, 1), sh) ||
	    sh->assembly_id != a.id ||
	    assembly_part_get(req->db, req->sess.area_id, sh->part_id, &part) ||
	    assembly_matters_json(req->db, req->sess.area_id, a.id, &matters)) {
		rc = resp_error(req, resp, 404, "not_found", "err.not_found");
		goto out;
	}
	assembly_time_format(sh->received_at, at);
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.paper"));
	channels_tabs(&h, &a, "paper");
	html_printf(&h, "<h1>%T %l · %s</h1><p>%T %s · <span class=\"sheet-%s\">%T</span></p>",
		    "assembly.ch.sheet", sh->id, part.unit, "assembly.ch.received_at", at,
		    sh->state, state_key(req, sh->state));
	if (sh->proxy_id)
		html_printf(&h, "<p>%T <a href=\"/assemblies/%l/proxies#proxy-%l\">#%l</a></p>",
			    "assembly.ch.through_proxy", a.id, sh->proxy_id, sh->proxy_id);
	if (!strcmp(sh->state, "counted")) {
		if (sh->entry_user[1])
			compare_table(req, &h, sh, matters);
		if (*sh->resolution)
			html_printf(&h, "<p>%T: %s</p>", "assembly.ch.note", sh->resolution);
	} else if (!strcmp(sh->state, "blocked")) {
		html_printf(&h, "<p class=\"error-summary\" role=\"alert\">%T</p>",
			    "assembly.ch.blocked");
		compare_table(req, &h, sh, matters);
		if (user == sh->entry_user[0] || user == sh->entry_user[1])
			html_printf(&h, "<p class=\"hint\">%T</p>", "assembly.ch.err.third_staff");
		else
			entry_form(req, &h, &a, sh, matters, 3);
	} else if (!strcmp(sh->state, "entering")) {
		if (!sh->entry_user[0])
			entry_form(req, &h, &a, sh, matters, 1);
		else if (sh->entry_user[0] == user)
			html_printf(&h, "<p class=\"notice\">%T</p>", "assembly.ch.waiting_second");
		else
			entry_form(req, &h, &a, sh, matters, 2);
	}
	rc = channels_page_end(req, resp, &h, 200);
out:
	json_decref(matters);
	free(sh);
	return rc;
}

int channels_sheet_entry(struct http_req *req, struct http_resp *resp)
{
	char canonical[CHANNELS_CHOICES_MAX];
	enum channels_entry_outcome outcome;
	struct channels_sheet *sh = calloc(1, sizeof(*sh));
	const char *why = NULL;
	json_t *matters = NULL;
	struct assembly a;
	int rc;

	if (!sh)
		return resp_error(req, resp, 500, "internal", "err.internal");
	if (channels_assembly(req, &a) ||
	    channels_sheet_get(req->db, req->sess.area_id, assembly_param_id(req, 1), sh) ||
	    sh->assembly_id != a.id ||
	    assembly_matters_json(req->db, req->sess.area_id, a.id, &matters)) {
		rc = resp_error(req, resp, 404, "not_found", "err.not_found");
		goto out;
	}
	if (channels_choices_canonical(matters, channels_form_choice, req, canonical)) {
		rc = resp_error(req, resp, 422, "invalid", "assembly.ch.err.choices");
		goto out;
	}
	rc = channels_entry_add(req->db, &req->sess, req->sess.area_id, sh->id, canonical,
				req_form(req, "note"), &outcome, &why);
	if (rc)
		rc = refused(req, resp, &a, sh->part_id, rc, why);
	else
		rc = resp_redirect(req, resp,
				   arena_printf(req->arena, "/assemblies/%lld/paper/%lld",
						(long long)a.id, (long long)sh->id));
out:
	json_decref(matters);
	free(sh);
	return rc;
}
