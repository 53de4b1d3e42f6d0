/* The staff pages of the owners' assemblies: the list with a new
 * assembly's form, one assembly (its state and dates, the roll's totals
 * per Art. 9, matters, objections, and the steps: build or import the
 * roll, publish, open, close) and the roll itself. Each form posts to the
 * same store function as the API; a refusal shows the page again with the
 * reason. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../registry/registry.h"
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

int assembly_page_failed(struct http_req *req, struct http_resp *resp, int rc)
{
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "assembly.err.not_found");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

const char *assembly_jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

int64_t assembly_jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

void assembly_state_badge(struct http_req *req, struct html *h, const char *state)
{
	html_printf(h, "<span class=\"badge asm-%s\">%s</span>", state,
		    req_t(req, arena_printf(req->arena, "assembly.state.%s", state)));
}

/* form_text: a form value, "" when absent. */
static const char *form_text(struct http_req *req, const char *name)
{
	const char *v = req_form(req, name);
	return v ? v : "";
}

/* ------------------------------------------------------------ the list */

static void new_form(struct http_req *req, struct html *h)
{
	json_t *b = NULL, *r;
	int64_t compound = -1;
	size_t i;

	if (registry_buildings(req->db, req->sess.area_id, &b)) {
		json_decref(b);
		return;
	}
	html_printf(h,
		    "<form method=\"post\" action=\"/assemblies\" class=\"card stack no-print\">"
		    "<h2>%T</h2>",
		    "assembly.new");
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input name=\"title\" required maxlength=\"200\" value=\"%s\">"
		    "</label><label>%T <select name=\"compound_id\" required>",
		    "assembly.title", form_text(req, "title"), "assembly.compound");
	json_array_foreach (b, i, r)
		if (assembly_jint(r, "compound_id") != compound) {
			compound = assembly_jint(r, "compound_id");
			html_printf(h, "<option value=\"%l\">%s</option>", compound,
				    assembly_jstr(r, "compound"));
		}
	html_printf(h,
		    "</select></label><details><summary>%T</summary><fieldset class=\"checks\">"
		    "<legend>%T</legend>",
		    "assembly.buildings_some", "assembly.buildings_hint");
	json_array_foreach (b, i, r)
		html_printf(h,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"building\" "
			    "value=\"%l\"> %s %s</label>",
			    assembly_jint(r, "id"), assembly_jstr(r, "compound"),
			    assembly_jstr(r, "name"));
	html_printf(h, "</fieldset></details><button class=\"primary\">%T</button></form>",
		    "assembly.create");
	json_decref(b);
}

static int page_list_with(struct http_req *req, struct http_resp *resp, const char *err)
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
	if (err)
		html_printf(&h, "<p class=\"error\" role=\"alert\">%T</p>", err);
	html_printf(&h, "<ul class=\"asm-list\">");
	json_array_foreach (rows, i, r) {
		html_printf(&h,
			    "<li class=\"card\"><h2><a href=\"/assemblies/%l\">%s</a></h2><p>%s · ",
			    assembly_jint(r, "id"), assembly_jstr(r, "title"),
			    assembly_jstr(r, "compound"));
		assembly_state_badge(req, &h, assembly_jstr(r, "state"));
		html_printf(&h, "</p><p class=\"muted\">%T %l · %T %l · %T %s m²</p></li>",
			    "assembly.parts", assembly_jint(r, "parts"), "assembly.owners",
			    assembly_jint(r, "owners"), "assembly.area",
			    assembly_jstr(r, "area_m2"));
	}
	html_printf(&h, "</ul>");
	if (!json_array_size(rows))
		html_printf(&h, "<p class=\"empty\">%T</p>", "assembly.none");
	json_decref(rows);
	if (req_can(req, PERM_ASSEMBLY_WRITE))
		new_form(req, &h);
	assembly_page_end(req, resp, &h);
	if (err)
		resp->status = 422;
	return 0;
}

static int page_list(struct http_req *req, struct http_resp *resp)
{
	return page_list_with(req, resp, NULL);
}

static int page_create(struct http_req *req, struct http_resp *resp)
{
	int64_t ids[64], compound = 0, id = 0;
	const char *why = "assembly.err.compound";
	size_t n = 0;
	int rc = LIN_EINVAL;

	for (int i = 0; i < req->nform; i++)
		if (!strcmp(req->form[i].name, "building")) {
			if (n == 64 || parse_int64(req->form[i].value, 1, INT64_MAX, &ids[n++]))
				return page_list_with(req, resp, "assembly.err.building");
		}
	if (!parse_int64(form_text(req, "compound_id"), 1, INT64_MAX, &compound))
		rc = assembly_create(req->db, req->sess.area_id, req->sess.user_id, compound,
				     form_text(req, "title"), ids, n, assembly_now(), &id, &why);
	if (rc == LIN_EINVAL)
		return page_list_with(req, resp, why);
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/assemblies/%lld", (long long)id));
}

/* ------------------------------------------------------------ one assembly */

static void time_row(struct html *h, const char *key, int64_t t)
{
	char s[20];

	assembly_time_format(t, s);
	html_printf(h, "<tr><th scope=\"row\">%T</th><td>%s</td></tr>", key, *s ? s : "—");
}

/* action_button: a form of one button posting to /assemblies/:id/what. */
static void action_button(struct http_req *req, struct html *h, int64_t id, const char *what,
			  const char *label, const char *hint)
{
	html_printf(h, "<form method=\"post\" action=\"/assemblies/%l/%s\" class=\"inline\">", id,
		    what);
	page_csrf_field(req, h);
	html_printf(h, "<button class=\"primary\">%T</button>", label);
	if (hint)
		html_printf(h, " <span class=\"muted\">%T</span>", hint);
	html_printf(h, "</form>");
}

static void roll_totals(struct html *h, json_t *roll)
{
	html_printf(h,
		    "<section class=\"card\"><h2>%T</h2><dl class=\"asm-totals\">"
		    "<div><dt>%T</dt><dd class=\"asm-parts\">%l</dd></div>"
		    "<div><dt>%T</dt><dd class=\"asm-owners\">%l</dd></div>"
		    "<div><dt>%T</dt><dd class=\"asm-area\">%s m²</dd></div>"
		    "<div><dt>%T</dt><dd>%l · %s m²</dd></div>"
		    "<div><dt>%T</dt><dd>%l</dd></div><div><dt>%T</dt><dd>%l</dd></div></dl>"
		    "<p class=\"muted\">%T</p></section>",
		    "assembly.roll", "assembly.parts", assembly_jint(roll, "parts"),
		    "assembly.owners", assembly_jint(roll, "owners"), "assembly.area",
		    assembly_jstr(roll, "area_m2"), "assembly.developer_parts",
		    assembly_jint(roll, "developer_parts"),
		    assembly_jstr(roll, "developer_area_m2"), "assembly.multi_part_owners",
		    assembly_jint(roll, "multi_part_owners"), "assembly.removed",
		    assembly_jint(roll, "removed"), "assembly.art9");
}

static void matters_table(struct http_req *req, struct html *h, json_t *matters)
{
	json_t *m;
	size_t i;

	html_printf(h,
		    "<div class=\"table-wrap\"><table class=\"list asm-matters\"><thead><tr>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "assembly.code", "assembly.item", "assembly.matter", "assembly.rule");
	json_array_foreach (matters, i, m)
		html_printf(
		    h, "<tr><td>%s</td><td>%T</td><td>%s</td><td>%s</td></tr>",
		    assembly_jstr(m, "code"),
		    arena_printf(req->arena, "assembly.item.%d", (int)assembly_jint(m, "item")),
		    assembly_jstr(m, "title"),
		    req_t(req,
			  arena_printf(req->arena, "assembly.rule.%s", assembly_jstr(m, "rule"))));
	html_printf(h, "</tbody></table></div>");
}

static void objections_section(struct http_req *req, struct html *h, int64_t id, bool writable,
			       bool taking)
{
	json_t *rows = NULL, *o;
	size_t i;

	if (assembly_objections_json(req->db, req->sess.area_id, id, &rows)) {
		json_decref(rows);
		return;
	}
	html_printf(h, "<section class=\"card\" id=\"objections\"><h2>%T</h2>",
		    "assembly.objections");
	if (!json_array_size(rows))
		html_printf(h, "<p class=\"empty\">%T</p>", "assembly.objections_none");
	json_array_foreach (rows, i, o) {
		const char *state = assembly_jstr(o, "state");
		html_printf(h,
			    "<article class=\"asm-objection\"><p><b>%s</b> · %s · %T</p><p>%s</p>",
			    assembly_jstr(o, "raised_by"),
			    *assembly_jstr(o, "unit") ? assembly_jstr(o, "unit")
						      : req_t(req, "assembly.part_missing"),
			    arena_printf(req->arena, "assembly.objection.%s", state),
			    assembly_jstr(o, "body"));
		if (strcmp(state, "open"))
			html_printf(h, "<p class=\"muted\"><b>%T</b> %s</p>", "assembly.resolution",
				    assembly_jstr(o, "resolution"));
		else if (writable) {
			html_printf(h,
				    "<form method=\"post\" action=\"/assemblies/%l/objections/%l\" "
				    "class=\"stack no-print\">",
				    id, assembly_jint(o, "id"));
			page_csrf_field(req, h);
			html_printf(
			    h,
			    "<label>%T <input name=\"resolution\" required "
			    "maxlength=\"2000\"></label>"
			    "<label>%T <select name=\"correction\"><option "
			    "value=\"none\">%T</option>"
			    "<option value=\"area\">%T</option><option value=\"owner\">%T</option>"
			    "<option value=\"remove\">%T</option><option value=\"add\">%T</option>"
			    "</select></label><label>%T <input name=\"area_m2\" "
			    "inputmode=\"decimal\">"
			    "</label><label>%T <input name=\"owner\" maxlength=\"90\"></label>"
			    "<label>%T <input name=\"unit\" maxlength=\"60\"></label>"
			    "<p class=\"actions\"><button name=\"decision\" value=\"uphold\" "
			    "class=\"primary\">%T</button><button name=\"decision\" "
			    "value=\"reject\">"
			    "%T</button></p></form>",
			    "assembly.resolution", "assembly.correction",
			    "assembly.correction.none", "assembly.correction.area",
			    "assembly.correction.owner", "assembly.correction.remove",
			    "assembly.correction.add", "assembly.area_m2", "assembly.owner",
			    "assembly.unit", "assembly.uphold", "assembly.reject");
		}
		html_printf(h, "</article>");
	}
	json_decref(rows);
	if (taking) {
		html_printf(h,
			    "<form method=\"post\" action=\"/assemblies/%l/objections\" "
			    "class=\"stack no-print\"><h3>%T</h3>",
			    id, "assembly.objection_new");
		page_csrf_field(req, h);
		html_printf(
		    h,
		    "<label>%T <input name=\"raised_by\" required maxlength=\"100\"></label>"
		    "<label>%T <input name=\"part_id\" inputmode=\"numeric\"></label>"
		    "<label>%T <textarea name=\"body\" required maxlength=\"2000\"></textarea>"
		    "</label><button class=\"primary\">%T</button></form>",
		    "assembly.raised_by", "assembly.part_id", "assembly.objection_body",
		    "assembly.record");
	}
	html_printf(h, "</section>");
}

static void steps(struct http_req *req, struct html *h, const struct assembly *a)
{
	int64_t now = assembly_now();

	html_printf(h, "<section class=\"card no-print\" id=\"steps\"><h2>%T</h2>",
		    "assembly.steps");
	if (a->state == ASSEMBLY_DRAFT) {
		action_button(req, h, a->id, "roll", "assembly.roll_build",
			      "assembly.roll_build_hint");
		html_printf(
		    h,
		    "<form method=\"post\" action=\"/assemblies/%l/import\" class=\"stack\">"
		    "<h3>%T</h3>",
		    a->id, "assembly.import");
		page_csrf_field(req, h);
		html_printf(
		    h,
		    "<p class=\"muted\">%T</p><label>%T <textarea name=\"csv\" rows=\"6\" "
		    "required placeholder=\"building,door,owner,area_m2,developer,id_last4\">"
		    "</textarea></label><button>%T</button></form>",
		    "assembly.import_hint", "assembly.csv", "assembly.import");
	}
	if (a->state == ASSEMBLY_DRAFT || a->state == ASSEMBLY_PUBLISHED) {
		html_printf(
		    h,
		    "<form method=\"post\" action=\"/assemblies/%l/matters\" class=\"stack\">"
		    "<h3>%T</h3>",
		    a->id, "assembly.matter_new");
		page_csrf_field(req, h);
		html_printf(h,
			    "<label>%T <input name=\"code\" required maxlength=\"16\" "
			    "placeholder=\"M1\"></label><label>%T <select name=\"item\">",
			    "assembly.code", "assembly.item");
		for (int i = 1; i <= 9; i++)
			html_printf(h, "<option value=\"%d\">%T</option>", i,
				    arena_printf(req->arena, "assembly.item.%d", i));
		html_printf(h,
			    "</select></label><label>%T <input name=\"title\" required "
			    "maxlength=\"200\"></label><label>%T <textarea name=\"body\" "
			    "maxlength=\"2000\"></textarea></label><button>%T</button></form>",
			    "assembly.matter", "assembly.matter_body", "assembly.add");
	}
	if (a->state == ASSEMBLY_DRAFT) {
		html_printf(
		    h,
		    "<form method=\"post\" action=\"/assemblies/%l/publish\" class=\"stack\">"
		    "<h3>%T</h3>",
		    a->id, "assembly.publish");
		page_csrf_field(req, h);
		html_printf(
		    h,
		    "<p class=\"muted\">%T</p><label>%T <input type=\"datetime-local\" "
		    "name=\"published_at\"></label><label>%T <input type=\"datetime-local\" "
		    "name=\"opens_at\"></label><label>%T <input type=\"datetime-local\" "
		    "name=\"closes_at\" required></label><button "
		    "class=\"primary\">%T</button></form>",
		    "assembly.publish_hint", "assembly.published_at", "assembly.opens_at",
		    "assembly.closes_at", "assembly.publish");
	}
	if (a->state == ASSEMBLY_PUBLISHED)
		action_button(req, h, a->id, "open", "assembly.open",
			      now < a->objections_until ? "assembly.err.publication" : NULL);
	if (a->state == ASSEMBLY_OPEN)
		action_button(req, h, a->id, "close", "assembly.close",
			      now < a->closes_at ? "assembly.err.not_closing" : NULL);
	html_printf(h, "</section>");
}

static int page_one_with(struct http_req *req, struct http_resp *resp, int64_t id, const char *err,
			 json_t *errors, int status)
{
	json_t *res = NULL, *as;
	struct assembly a;
	struct html h;
	bool writer = req_can(req, PERM_ASSEMBLY_WRITE);
	int rc = assembly_get(req->db, req->sess.area_id, id, &a);

	if (!rc)
		rc = assembly_result_json(req->db, req->sess.area_id, id, &res);
	if (rc) {
		json_decref(res);
		return assembly_page_failed(req, resp, rc);
	}
	as = json_object_get(res, "assembly");
	assembly_page_begin(req, resp, &h, a.title);
	html_printf(&h, "<nav class=\"crumbs\"><a href=\"/assemblies\">%T</a></nav>",
		    "assembly.list");
	html_printf(&h, "<div class=\"page-head\"><h1>%s</h1><p>%s · ", a.title, a.compound);
	assembly_state_badge(req, &h, assembly_state_name(a.state));
	html_printf(&h,
		    "</p><p class=\"actions no-print\"><a class=\"button\" "
		    "href=\"/assemblies/%l/roll\">%T</a><a class=\"button\" "
		    "href=\"/assemblies/%l/result\">%T</a><a class=\"button\" "
		    "href=\"/assemblies/%l/notice\">%T</a><a class=\"button\" "
		    "href=\"/assemblies/%l/sheet\">%T</a>",
		    id, "assembly.roll", id, "assembly.result", id, "assembly.notice", id,
		    "assembly.sheet");
	if (assembly_may_see_ballots(req->db, req->sess.area_id, req->sess.role))
		html_printf(&h, "<a class=\"button\" href=\"/assemblies/%l/ballots\">%T</a>", id,
			    "assembly.ballots");
	/* channels: the ballot sheets, paper entry and proxies */
	if (req_can(req, PERM_ASSEMBLY_WRITE))
		html_printf(
		    &h,
		    "<a class=\"button\" href=\"/assemblies/%l/sheets\">%T</a><a class=\"button\" "
		    "href=\"/assemblies/%l/paper\">%T</a><a class=\"button\" "
		    "href=\"/assemblies/%l/proxies\">%T</a>",
		    id, "assembly.ch.sheets", id, "assembly.ch.paper", id, "assembly.ch.proxies");
	html_printf(&h, "</p></div>");
	if (err) {
		json_t *e;
		size_t i;
		html_printf(&h, "<div class=\"error-summary\" role=\"alert\"><p>%T</p>", err);
		if (json_array_size(errors)) {
			html_printf(&h, "<ul>");
			json_array_foreach (errors, i, e)
				html_printf(&h, "<li>%T %l · %s · %T</li>", "assembly.line",
					    assembly_jint(e, "line"), assembly_jstr(e, "column"),
					    assembly_jstr(e, "key"));
			html_printf(&h, "</ul>");
		}
		html_printf(&h, "</div>");
	}
	html_printf(&h, "<section class=\"card\"><h2>%T</h2><table class=\"asm-dates\">",
		    "assembly.dates");
	time_row(&h, "assembly.published_at", a.published_at);
	time_row(&h, "assembly.objections_until", a.objections_until);
	time_row(&h, "assembly.opens_at", a.opens_at);
	time_row(&h, "assembly.closes_at", a.closes_at);
	time_row(&h, "assembly.opened_at", a.opened_at);
	time_row(&h, "assembly.closed_at", a.closed_at);
	html_printf(&h, "</table>");
	if (json_array_size(json_object_get(as, "buildings"))) {
		json_t *b;
		size_t i;
		html_printf(&h, "<p><b>%T</b> ", "assembly.buildings");
		json_array_foreach (json_object_get(as, "buildings"), i, b)
			html_printf(&h, "%s%s", i ? "、" : "", assembly_jstr(b, "name"));
		html_printf(&h, "</p>");
	}
	html_printf(&h, "</section>");
	roll_totals(&h, json_object_get(res, "roll"));
	html_printf(&h, "<section class=\"card\"><h2>%T</h2>", "assembly.matters");
	matters_table(req, &h, json_object_get(res, "matters"));
	html_printf(&h, "</section>");
	if (a.state != ASSEMBLY_DRAFT)
		objections_section(req, &h, id, writer && a.state == ASSEMBLY_PUBLISHED,
				   writer && a.state == ASSEMBLY_PUBLISHED &&
				       assembly_now() < a.objections_until);
	if (writer)
		steps(req, &h, &a);
	json_decref(res);
	assembly_page_end(req, resp, &h);
	resp->status = status;
	return 0;
}

static int page_one(struct http_req *req, struct http_resp *resp)
{
	return page_one_with(req, resp, assembly_param_id(req, 0), NULL, NULL, 200);
}

/* after_post: back to the assembly's page, or the page again with why. */
static int after_post(struct http_req *req, struct http_resp *resp, int64_t id, int rc,
		      const char *why, const char *anchor)
{
	if (!rc)
		return resp_redirect(req, resp,
				     arena_printf(req->arena, "/assemblies/%lld%s", (long long)id,
						  anchor ? anchor : ""));
	if (rc == LIN_EINVAL || rc == LIN_ECONFLICT || (rc == LIN_ENOTFOUND && why))
		return page_one_with(req, resp, id, why ? why : "err.type", NULL,
				     rc == LIN_ECONFLICT ? 409 : 422);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "assembly.err.not_found");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

static int post_roll(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), n = 0;
	const char *why = NULL;
	char unit[96];
	int rc = assembly_roll_build(req->db, req->sess.area_id, req->sess.user_id, id, &n, unit,
				     sizeof(unit), &why);

	return after_post(req, resp, id, rc, why, NULL);
}

static int post_import(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), n = 0;
	const char *why = NULL, *csv = form_text(req, "csv");
	json_t *errors = NULL;
	int rc = assembly_roll_import(req->db, req->sess.area_id, req->sess.user_id, id, csv,
				      strlen(csv), &n, &errors, &why);

	if (rc == LIN_EINVAL && json_array_size(errors)) {
		rc = page_one_with(req, resp, id, why, errors, 422);
		json_decref(errors);
		return rc;
	}
	json_decref(errors);
	return after_post(req, resp, id, rc, why, NULL);
}

static int post_matter(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), item = 0, matter = 0;
	const char *why = "assembly.err.item";
	int rc = LIN_EINVAL;

	if (!parse_int64(form_text(req, "item"), 1, 9, &item))
		rc = assembly_matter_add(req->db, req->sess.area_id, req->sess.user_id, id,
					 form_text(req, "code"), (int)item, form_text(req, "title"),
					 form_text(req, "body"), &matter, &why);
	return after_post(req, resp, id, rc, why, NULL);
}

/* form_time: an optional datetime-local field; LIN_EINVAL when present
 * and unreadable. */
static int form_time(struct http_req *req, const char *name, int64_t *out)
{
	const char *v = form_text(req, name);

	*out = 0;
	return *v ? assembly_time_parse(v, out) : 0;
}

static int post_publish(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), p = 0, o = 0, c = 0;
	const char *why = NULL;
	int rc = LIN_EINVAL;

	if (form_time(req, "published_at", &p))
		why = "assembly.err.published_at";
	else if (form_time(req, "opens_at", &o))
		why = "assembly.err.opens_at";
	else if (form_time(req, "closes_at", &c))
		why = "assembly.err.closes_at";
	else
		rc = assembly_publish(req->db, req->sess.area_id, req->sess.user_id, id, p, o, c,
				      assembly_now(), &why);
	return after_post(req, resp, id, rc, why, NULL);
}

static int post_open(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0);
	const char *why = NULL;
	int rc =
	    assembly_open(req->db, req->sess.area_id, req->sess.user_id, id, assembly_now(), &why);

	return after_post(req, resp, id, rc, why, NULL);
}

static int post_close(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0);
	const char *why = NULL;
	int rc =
	    assembly_close(req->db, req->sess.area_id, req->sess.user_id, id, assembly_now(), &why);

	return after_post(req, resp, id, rc, why, NULL);
}

static int post_objection(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), part = 0, oid = 0;
	const char *why = "assembly.err.part", *p = form_text(req, "part_id");
	int rc = LIN_EINVAL;

	if (!*p || !parse_int64(p, 1, INT64_MAX, &part))
		rc = assembly_objection_add(req->db, req->sess.area_id, req->sess.user_id, id, part,
					    form_text(req, "raised_by"), form_text(req, "body"),
					    assembly_now(), &oid, &why);
	return after_post(req, resp, id, rc, why, "#objections");
}

static int post_resolve(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0), oid = assembly_param_id(req, 1);
	const char *decision = form_text(req, "decision"), *why = NULL;
	const char *area = form_text(req, "area_m2");
	struct assembly_correction c = {
	    .kind = *form_text(req, "correction") ? form_text(req, "correction") : "none",
	    .owner_name = form_text(req, "owner"),
	    .unit = form_text(req, "unit"),
	};
	struct assembly a;
	int rc = 0;

	/* The objection must be of this assembly (the store checks the area). */
	if (assembly_get(req->db, req->sess.area_id, id, &a))
		return resp_error(req, resp, 404, "not_found", "assembly.err.not_found");
	if (*area && tally_area_parse(area, &c.area_centi))
		rc = LIN_EINVAL, why = "assembly.err.area";
	if (!rc)
		rc = assembly_objection_resolve(
		    req->db, req->sess.area_id, req->sess.user_id, oid, !strcmp(decision, "uphold"),
		    form_text(req, "resolution"), &c, assembly_now(), &why);
	return after_post(req, resp, id, rc, why, "#objections");
}

/* ------------------------------------------------------------ the roll */

static int page_roll(struct http_req *req, struct http_resp *resp)
{
	int64_t id = assembly_param_id(req, 0);
	json_t *parts = NULL, *p;
	struct assembly a;
	struct html h;
	size_t i;
	int rc = assembly_get(req->db, req->sess.area_id, id, &a);

	if (!rc)
		rc = assembly_parts_json(req->db, req->sess.area_id, id, &parts);
	if (rc) {
		json_decref(parts);
		return assembly_page_failed(req, resp, rc);
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.roll"));
	html_printf(&h,
		    "<nav class=\"crumbs\"><a href=\"/assemblies\">%T</a> › <a "
		    "href=\"/assemblies/%l\">%s</a></nav><h1>%T</h1>",
		    "assembly.list", id, a.title, "assembly.roll");
	html_printf(&h,
		    "<div class=\"table-wrap\"><table class=\"list asm-roll\"><thead><tr>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "assembly.part_id", "assembly.unit", "assembly.owner", "assembly.area_m2",
		    "assembly.note");
	json_array_foreach (parts, i, p) {
		bool removed = json_is_true(json_object_get(p, "removed"));
		html_printf(&h, "<tr%R><td>%l</td><td>%s</td><td>%s</td><td>%s</td><td>",
			    removed ? " class=\"asm-removed\"" : "", assembly_jint(p, "id"),
			    assembly_jstr(p, "unit"), assembly_jstr(p, "owner_name"),
			    assembly_jstr(p, "area_m2"));
		if (json_is_true(json_object_get(p, "developer")))
			html_printf(&h, "%T ", "assembly.developer");
		if (json_is_true(json_object_get(p, "has_id_check")))
			html_printf(&h, "%T ", "assembly.online_ok");
		if (removed)
			html_printf(&h, "%T ", "assembly.struck_off");
		html_printf(&h, "</td></tr>");
	}
	html_printf(&h, "</tbody></table></div>");
	json_decref(parts);
	return assembly_page_end(req, resp, &h);
}

const struct route assembly_page_routes[] = {
    {"GET", "/assemblies", page_list, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"POST", "/assemblies", page_create, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"GET", "/assemblies/:id", page_one, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/assemblies/:id/roll", page_roll, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"POST", "/assemblies/:id/roll", post_roll, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/import", post_import, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/matters", post_matter, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/publish", post_publish, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/open", post_open, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/close", post_close, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/objections", post_objection, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/assemblies/:id/objections/:oid", post_resolve, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
