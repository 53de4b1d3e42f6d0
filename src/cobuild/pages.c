/* The co-building pages: the three lists with their forms (/cobuild),
 * claims and their confirmation, the matching page that explains each
 * proposal's score, and the committee's page linking liaisons to units.
 * Every form posts to a route that calls the same store function as the
 * API; bad input shows the lists again with the reason, nothing changed. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ helpers */

static const char *s_of(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int64_t i_of(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static int64_t form_num(struct http_req *req, const char *name)
{
	int64_t v = 0;
	const char *s = req_form(req, name);
	return s && !parse_int64(s, 0, INT64_MAX, &v) ? v : 0;
}

static int64_t param_id(struct http_req *req)
{
	int64_t id = 0;
	const char *s = req_param(req, 0);
	return s && !parse_int64(s, 1, INT64_MAX, &id) ? id : 0;
}

static const char *key_of(struct http_req *req, const char *prefix, const char *value)
{
	return arena_printf(req->arena, "%s%s", prefix, value);
}

static void begin(struct http_req *req, struct http_resp *resp, struct html *h, const char *title)
{
	h->out = &resp->body;
	h->lang = req->lang;
	page_begin(req, h, title);
}

static int end(struct http_req *req, struct http_resp *resp, struct html *h, int status)
{
	page_end(req, h);
	resp->status = status;
	return 0;
}

/* kind_options: the <option>s of the five kinds. */
static void kind_options(struct http_req *req, struct html *h)
{
	for (int i = 0; cobuild_kinds[i]; i++)
		html_printf(h, "<option value=\"%s\">%T</option>", cobuild_kinds[i],
			    key_of(req, "cobuild.kind.", cobuild_kinds[i]));
}

/* options: <option value=id>name</option> of rows (keys id and name). */
static void options(struct html *h, json_t *rows, const char *name_key, int64_t selected)
{
	size_t i;
	json_t *o;

	json_array_foreach (rows, i, o) {
		html_printf(h, "<option value=\"%l\"%R>%s</option>", i_of(o, "id"),
			    i_of(o, "id") == selected ? " selected" : "", s_of(o, name_key));
	}
}

static void csrf(struct http_req *req, struct html *h)
{
	page_csrf_field(req, h);
}

/* when: "from – to" of two days, one day when equal. */
static void when(struct html *h, const char *from, const char *to)
{
	if (!strcmp(from, to))
		html_printf(h, "%s", from);
	else
		html_printf(h, "%s – %s", from, to);
}

/* amount_text: the amount in the kind's unit (people, hours, yuan ...). */
static void amount(struct http_req *req, struct html *h, const char *kind, int64_t n)
{
	html_printf(h, "%l %T", n, key_of(req, "cobuild.unit_of.", kind));
}

/* ------------------------------------------------------------ the lists */

struct lists {
	json_t *needs, *resources, *projects, *claims, *visits;
	json_t *units, *compounds, *own; /* own: the liaison's resources */
	int64_t unit;			 /* the reader's unit (liaison), 0, -1 */
	int committee, can_claim;
};

static void lists_release(struct lists *l)
{
	json_decref(l->needs);
	json_decref(l->resources);
	json_decref(l->projects);
	json_decref(l->claims);
	json_decref(l->visits);
	json_decref(l->units);
	json_decref(l->compounds);
}

static int lists_read(struct http_req *req, struct lists *l)
{
	struct db *db = req->db;
	int64_t a = req->sess.area_id;
	int rc;

	memset(l, 0, sizeof(*l));
	l->unit = cobuild_reader_unit(req);
	l->committee = cobuild_is_committee(req);
	l->can_claim = req_can(req, PERM_COBUILD_CLAIM) && l->unit >= 0;
	rc = cobuild_needs_json(db, a, l->unit, &l->needs);
	if (!rc)
		rc = cobuild_resources_json(db, a, l->unit, &l->resources);
	if (!rc)
		rc = cobuild_projects_json(db, a, l->unit, &l->projects);
	if (!rc)
		rc = cobuild_claims_json(db, a, l->unit, &l->claims);
	if (!rc)
		rc = cobuild_visits_json(db, a, l->unit, &l->visits);
	if (!rc)
		rc = cobuild_units_json(db, a, &l->units);
	if (!rc)
		rc = cobuild_compounds_json(db, a, &l->compounds);
	return rc;
}

/* claim_form: under an open need, a liaison's claim (naming one of the
 * unit's resources of the kind, or none yet) or the committee's offer of
 * a resource of the kind. */
static void claim_form(struct http_req *req, struct html *h, struct lists *l, json_t *need)
{
	const char *kind = s_of(need, "kind");
	size_t i;
	json_t *r;
	int any = 0;

	html_printf(h,
		    "<form method=\"post\" action=\"/cobuild/needs/%l/claim\" class=\"cb-claim "
		    "no-print\">",
		    i_of(need, "id"));
	csrf(req, h);
	html_printf(h, "<label>%T <select name=\"resource_id\">",
		    l->committee ? "cobuild.offer_resource" : "cobuild.with_resource");
	if (!l->committee)
		html_printf(h, "<option value=\"0\">%T</option>", "cobuild.no_resource_yet");
	json_array_foreach (l->resources, i, r) {
		if (strcmp(s_of(r, "kind"), kind))
			continue;
		any = 1;
		html_printf(h, "<option value=\"%l\">%s · %s</option>", i_of(r, "id"),
			    s_of(r, "unit"), s_of(r, "title"));
	}
	html_printf(h, "</select></label>");
	if (l->committee && !any)
		html_printf(h, "<span class=\"muted\">%T</span>", "cobuild.no_resource_kind");
	html_printf(h, "<button type=\"submit\"%R>%T</button></form>",
		    l->committee && !any ? " disabled" : "",
		    l->committee ? "cobuild.offer" : "cobuild.claim");
}

/* list_open: a list's card: its heading with the count (the card's id
 * is the page's anchor), the empty line when there is none, the list. */
static void list_open(struct html *h, const char *id, const char *title, const char *empty,
		      size_t n)
{
	html_printf(h,
		    "<section class=\"card\" id=\"%s\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">%T "
		    "<span class=\"muted\">(%d)</span></h2>",
		    id, id, id, title, (int)n);
	if (!n)
		html_printf(h, "<p class=\"empty\">%T</p>", empty);
	html_printf(h, "<ul class=\"cb-list\">");
}

static void needs_section(struct http_req *req, struct html *h, struct lists *l)
{
	size_t i, n = json_array_size(l->needs);
	json_t *o;

	list_open(h, "needs", "cobuild.needs", "cobuild.no_needs", n);
	json_array_foreach (l->needs, i, o) {
		const char *state = s_of(o, "state");
		html_printf(h,
			    "<li id=\"need-%l\" class=\"cb-item\"><div class=\"cb-head\"><b>%s</b> "
			    "<span class=\"state cb-%s\">%T</span></div><div class=\"muted\">%T · "
			    "%T",
			    i_of(o, "id"), s_of(o, "title"), state,
			    key_of(req, "cobuild.state.", state),
			    key_of(req, "cobuild.kind.", s_of(o, "kind")),
			    key_of(req, "cobuild.source.", s_of(o, "source")));
		if (*s_of(o, "for_whom"))
			html_printf(h, " · %T %s", "cobuild.for", s_of(o, "for_whom"));
		html_printf(h, "</div><div>");
		when(h, s_of(o, "starts_on"), s_of(o, "ends_on"));
		html_printf(h, " · ");
		amount(req, h, s_of(o, "kind"), i_of(o, "amount"));
		if (*s_of(o, "compound"))
			html_printf(h, " · %s", s_of(o, "compound"));
		html_printf(h, "</div>");
		if (!strcmp(state, "open") && l->can_claim)
			claim_form(req, h, l, o);
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul></section>");
}

static void resources_section(struct http_req *req, struct html *h, struct lists *l)
{
	size_t i, n = json_array_size(l->resources);
	json_t *o;

	list_open(h, "resources", "cobuild.resources", "cobuild.no_resources", n);
	json_array_foreach (l->resources, i, o) {
		html_printf(
		    h,
		    "<li id=\"resource-%l\" class=\"cb-item\"><div class=\"cb-head\"><b>%s</b>"
		    "</div><div class=\"muted\"><a href=\"/cobuild/units/%l\">%s</a> · "
		    "%T</div><div>",
		    i_of(o, "id"), s_of(o, "title"), i_of(o, "unit_id"), s_of(o, "unit"),
		    key_of(req, "cobuild.kind.", s_of(o, "kind")));
		when(h, s_of(o, "available_from"), s_of(o, "available_to"));
		html_printf(h, " · ");
		amount(req, h, s_of(o, "kind"), i_of(o, "amount"));
		if (*s_of(o, "compound"))
			html_printf(h, " · %s", s_of(o, "compound"));
		html_printf(h, "</div></li>");
	}
	html_printf(h, "</ul></section>");
}

static void project_units(struct html *h, json_t *p)
{
	size_t j;
	json_t *u;

	json_array_foreach (json_object_get(p, "units"), j, u) {
		html_printf(h, "%s<a href=\"/cobuild/units/%l\">%s</a>", j ? "、" : "",
			    i_of(u, "unit_id"), s_of(u, "unit"));
		if (*s_of(u, "resource"))
			html_printf(h, "（%s）", s_of(u, "resource"));
	}
}

/* minutes_forms: the committee records each unit's volunteer hours on
 * a project, and may mark it done. */
static void minutes_forms(struct http_req *req, struct html *h, json_t *p)
{
	size_t j;
	json_t *u;

	html_printf(h, "<details class=\"no-print\"><summary>%T</summary>", "cobuild.record_hours");
	json_array_foreach (json_object_get(p, "units"), j, u) {
		html_printf(
		    h,
		    "<form method=\"post\" action=\"/cobuild/projects/%l/minutes\" "
		    "class=\"cb-claim\"><input type=\"hidden\" name=\"unit_id\" value=\"%l\">",
		    i_of(p, "id"), i_of(u, "unit_id"));
		csrf(req, h);
		html_printf(
		    h,
		    "<label>%s %T <input type=\"number\" name=\"minutes\" min=\"0\" "
		    "max=\"100000\" value=\"%l\"></label><label><input type=\"checkbox\" "
		    "name=\"done\" value=\"1\"%R> %T</label><button type=\"submit\">%T</button>"
		    "</form>",
		    s_of(u, "unit"), "cobuild.minutes", i_of(u, "volunteer_minutes"),
		    strcmp(s_of(p, "state"), "done") ? "" : " checked",
		    "cobuild.project_state.done", "cobuild.save");
	}
	html_printf(h, "</details>");
}

static void projects_section(struct http_req *req, struct html *h, struct lists *l)
{
	size_t i, n = json_array_size(l->projects);
	json_t *o;

	list_open(h, "projects", "cobuild.projects", "cobuild.no_projects", n);
	json_array_foreach (l->projects, i, o) {
		html_printf(
		    h,
		    "<li id=\"project-%l\" class=\"cb-item\"><div class=\"cb-head\"><b>%s</b> "
		    "<span class=\"state cb-%s\">%T</span></div><div>%T: ",
		    i_of(o, "id"), s_of(o, "title"), s_of(o, "state"),
		    key_of(req, "cobuild.project_state.", s_of(o, "state")), "cobuild.joined_by");
		project_units(h, o);
		html_printf(h, "</div>");
		if (l->committee)
			minutes_forms(req, h, o);
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul></section>");
}

static void claims_section(struct http_req *req, struct html *h, struct lists *l)
{
	size_t i, n = json_array_size(l->claims);
	json_t *o;

	list_open(h, "claims", "cobuild.claims", "cobuild.no_claims", n);
	json_array_foreach (l->claims, i, o) {
		int by_unit = json_is_true(json_object_get(o, "unit_confirmed"));
		int by_committee = json_is_true(json_object_get(o, "committee_confirmed"));
		int pending = !strcmp(s_of(o, "state"), "pending");
		int mine = l->committee ? !by_committee : !by_unit;

		html_printf(
		    h,
		    "<li id=\"claim-%l\" class=\"cb-item\"><div class=\"cb-head\"><b>%s</b> "
		    "<span class=\"state cb-%s\">%T</span></div><div class=\"muted\">%T · "
		    "%s",
		    i_of(o, "id"), s_of(o, "need"), s_of(o, "state"),
		    key_of(req, "cobuild.claim_state.", s_of(o, "state")),
		    key_of(req, "cobuild.direction.", s_of(o, "direction")), s_of(o, "unit"));
		if (*s_of(o, "resource"))
			html_printf(h, " · %s", s_of(o, "resource"));
		html_printf(h, "</div><div>%T %R · %T %R</div>", "cobuild.side_unit",
			    by_unit ? "✔" : "…", "cobuild.side_committee",
			    by_committee ? "✔" : "…");
		if (pending && mine && l->can_claim) {
			html_printf(h,
				    "<form method=\"post\" action=\"/cobuild/claims/%l/confirm\" "
				    "class=\"no-print\">",
				    i_of(o, "id"));
			csrf(req, h);
			html_printf(h, "<button type=\"submit\">%T</button></form>",
				    "cobuild.confirm");
		}
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul></section>");
}

static void visits_section(struct http_req *req, struct html *h, struct lists *l)
{
	size_t i, n = json_array_size(l->visits);
	json_t *o;

	list_open(h, "visits", "cobuild.visits", "cobuild.no_visits", n);
	json_array_foreach (l->visits, i, o) {
		if (i == 10)
			html_printf(
			    h, "</ul><details><summary>%T (%d)</summary><ul class=\"cb-list\">",
			    "cobuild.more", (int)(n - 10));
		html_printf(h,
			    "<li id=\"visit-%l\" class=\"cb-item\"><div class=\"cb-head\"><b><a "
			    "href=\"/cobuild/units/%l\">%s</a></b> <span class=\"muted\">%s · "
			    "%s</span></div><p class=\"cb-learned\">%s</p></li>",
			    i_of(o, "id"), i_of(o, "unit_id"), s_of(o, "unit"),
			    s_of(o, "visited_on"), s_of(o, "visitor"), s_of(o, "learned"));
	}
	html_printf(h, "</ul>%R</section>", n > 10 ? "</details>" : "");
}

/* visit_select: the visits an entry may come from (optional). */
static void visit_select(struct http_req *req, struct html *h, struct lists *l)
{
	size_t i;
	json_t *o;

	html_printf(h, "<label>%T <select name=\"visit_id\"><option value=\"0\">%T</option>",
		    "cobuild.from_visit", "cobuild.none");
	json_array_foreach (l->visits, i, o) {
		if (i >= 30)
			break;
		html_printf(h, "<option value=\"%l\">%s · %s</option>", i_of(o, "id"),
			    s_of(o, "visited_on"), s_of(o, "unit"));
	}
	html_printf(h, "</select></label>");
}

static void window_fields(struct html *h, const char *from, const char *to, const char *from_key,
			  const char *to_key)
{
	html_printf(h,
		    "<label>%T <input type=\"date\" name=\"%s\" required></label>"
		    "<label>%T <input type=\"date\" name=\"%s\" required></label>",
		    from_key, from, to_key, to);
}

static void compound_select(struct http_req *req, struct html *h, struct lists *l)
{
	html_printf(h, "<label>%T <select name=\"compound_id\"><option value=\"0\">%T</option>",
		    "cobuild.compound", "cobuild.whole_area");
	options(h, l->compounds, "name", 0);
	html_printf(h, "</select></label>");
}

static void forms_section(struct http_req *req, struct html *h, struct lists *l)
{
	html_printf(h, "<section class=\"card no-print\" id=\"add\"><h2>%T</h2>", "cobuild.add");
	if (l->committee) {
		html_printf(h,
			    "<details><summary>%T</summary><form method=\"post\" "
			    "action=\"/cobuild/visits\" class=\"stack\">",
			    "cobuild.new_visit");
		csrf(req, h);
		html_printf(h, "<label>%T <select name=\"unit_id\" required>", "cobuild.unit");
		options(h, l->units, "name", 0);
		html_printf(
		    h,
		    "</select></label><label>%T <input type=\"date\" name=\"visited_on\" "
		    "required></label><label>%T <input name=\"visitor\" maxlength=\"200\" "
		    "required></label><label>%T <textarea name=\"learned\" rows=\"3\" "
		    "maxlength=\"2000\"></textarea></label><button type=\"submit\">%T</button>"
		    "</form></details>",
		    "cobuild.visited_on", "cobuild.visitor", "cobuild.learned", "cobuild.save");
		html_printf(h,
			    "<details><summary>%T</summary><form method=\"post\" "
			    "action=\"/cobuild/needs\" class=\"stack\">",
			    "cobuild.new_need");
		csrf(req, h);
		html_printf(h,
			    "<label>%T <input name=\"title\" maxlength=\"200\" required></label>"
			    "<label>%T <select name=\"kind\">",
			    "cobuild.title", "cobuild.kind");
		kind_options(req, h);
		html_printf(h, "</select></label><label>%T <select name=\"source\">",
			    "cobuild.source");
		html_printf(
		    h,
		    "<option value=\"resident\">%T</option><option value=\"team\">%T</option>"
		    "<option value=\"committee\">%T</option></select></label>"
		    "<label>%T <input name=\"for_whom\" maxlength=\"200\"></label>",
		    "cobuild.source.resident", "cobuild.source.team", "cobuild.source.committee",
		    "cobuild.for_whom");
		window_fields(h, "starts_on", "ends_on", "cobuild.starts_on", "cobuild.ends_on");
		html_printf(h,
			    "<label>%T <input type=\"number\" name=\"amount\" min=\"1\" "
			    "required></label>",
			    "cobuild.amount");
		compound_select(req, h, l);
		visit_select(req, h, l);
		html_printf(h, "<button type=\"submit\">%T</button></form></details>",
			    "cobuild.save");
	}
	if (l->can_claim) {
		html_printf(h,
			    "<details><summary>%T</summary><form method=\"post\" "
			    "action=\"/cobuild/resources\" class=\"stack\">",
			    "cobuild.new_resource");
		csrf(req, h);
		if (l->committee) {
			html_printf(h, "<label>%T <select name=\"unit_id\" required>",
				    "cobuild.unit");
			options(h, l->units, "name", 0);
			html_printf(h, "</select></label>");
		}
		html_printf(h,
			    "<label>%T <input name=\"title\" maxlength=\"200\" required></label>"
			    "<label>%T <select name=\"kind\">",
			    "cobuild.title", "cobuild.kind");
		kind_options(req, h);
		html_printf(h, "</select></label>");
		window_fields(h, "available_from", "available_to", "cobuild.available_from",
			      "cobuild.available_to");
		html_printf(h,
			    "<label>%T <input type=\"number\" name=\"amount\" min=\"1\" "
			    "required></label>",
			    "cobuild.amount");
		compound_select(req, h, l);
		visit_select(req, h, l);
		html_printf(h, "<button type=\"submit\">%T</button></form></details>",
			    "cobuild.save");
	}
	html_printf(h, "</section>");
}

/* show_lists: the whole page, with why (an i18n key) as an alert when a
 * form was refused, answered with status. */
static int show_lists(struct http_req *req, struct http_resp *resp, const char *why, int status)
{
	struct lists l;
	struct html h;
	int rc = lists_read(req, &l);

	if (rc) {
		lists_release(&l);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	begin(req, resp, &h, req_t(req, "cobuild.title_lists"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1><nav class=\"chips no-print\">",
		    "cobuild.title_lists");
	html_printf(&h,
		    "<a class=\"chip\" href=\"#needs\">%T</a><a class=\"chip\" "
		    "href=\"#resources\">%T</a><a class=\"chip\" href=\"#projects\">%T</a><a "
		    "class=\"chip\" href=\"#claims\">%T</a><a class=\"chip\" "
		    "href=\"#visits\">%T</a>",
		    "cobuild.needs", "cobuild.resources", "cobuild.projects", "cobuild.claims",
		    "cobuild.visits");
	if (l.committee)
		html_printf(&h,
			    "<a class=\"chip\" href=\"/cobuild/match\">%T</a><a class=\"chip\" "
			    "href=\"/cobuild/liaisons\">%T</a>",
			    "cobuild.match", "cobuild.liaisons");
	if (l.unit > 0)
		html_printf(&h, "<a class=\"chip\" href=\"/cobuild/units/%l\">%T</a>", l.unit,
			    "cobuild.my_unit");
	html_printf(&h, "</nav></div>");
	if (l.unit < 0)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%T</p>", "cobuild.err.no_unit");
	if (why)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%T</p>", why);
	needs_section(req, &h, &l);
	claims_section(req, &h, &l);
	resources_section(req, &h, &l);
	projects_section(req, &h, &l);
	visits_section(req, &h, &l);
	forms_section(req, &h, &l);
	lists_release(&l);
	return end(req, resp, &h, status);
}

static int page_lists(struct http_req *req, struct http_resp *resp)
{
	return show_lists(req, resp, NULL, 200);
}

/* after: back to the lists at anchor, or the lists again with the reason. */
static int after(struct http_req *req, struct http_resp *resp, int rc, const char *key,
		 const char *anchor)
{
	if (!rc)
		return resp_redirect(req, resp, arena_printf(req->arena, "/cobuild#%s", anchor));
	if (!key)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return show_lists(req, resp, key, rc == LIN_ECONFLICT ? 409 : rc == LIN_EPERM ? 403 : 422);
}

/* ------------------------------------------------------------ form posts */

static int post_visit(struct http_req *req, struct http_resp *resp)
{
	struct visit_in in = {form_num(req, "unit_id"), req_form(req, "visited_on"),
			      req_form(req, "visitor"), req_form(req, "learned")};
	const char *key = NULL;
	int64_t id = 0;
	int rc = cobuild_visit_add(req->db, &req->sess, req->sess.area_id, &in, cobuild_today(),
				   &id, &key);
	return after(req, resp, rc, key, "visits");
}

static int post_need(struct http_req *req, struct http_resp *resp)
{
	struct need_in in = {
	    req_form(req, "title"),    req_form(req, "kind"),	     req_form(req, "source"),
	    req_form(req, "for_whom"), req_form(req, "starts_on"),   req_form(req, "ends_on"),
	    form_num(req, "amount"),   form_num(req, "compound_id"), form_num(req, "visit_id")};
	const char *key = NULL;
	int64_t id = 0;
	int rc = cobuild_need_add(req->db, &req->sess, req->sess.area_id, &in, &id, &key);
	return after(req, resp, rc, key, "needs");
}

static int post_resource(struct http_req *req, struct http_resp *resp)
{
	int64_t unit = cobuild_reader_unit(req), id = 0;
	struct resource_in in = {unit ? unit : form_num(req, "unit_id"),
				 req_form(req, "title"),
				 req_form(req, "kind"),
				 req_form(req, "available_from"),
				 req_form(req, "available_to"),
				 form_num(req, "amount"),
				 form_num(req, "compound_id"),
				 form_num(req, "visit_id")};
	const char *key = NULL;
	int rc;

	if (unit < 0)
		return after(req, resp, LIN_EPERM, "cobuild.err.no_unit", "resources");
	rc = cobuild_resource_add(req->db, &req->sess, req->sess.area_id, &in, &id, &key);
	return after(req, resp, rc, key, "resources");
}

static int post_claim(struct http_req *req, struct http_resp *resp)
{
	int64_t unit = cobuild_reader_unit(req), resource = form_num(req, "resource_id"), id = 0,
		owner = unit;
	int committee = cobuild_is_committee(req), rc;
	const char *key = NULL;

	if (unit < 0)
		return after(req, resp, LIN_EPERM, "cobuild.err.no_unit", "needs");
	/* The committee offers a resource: its unit is the resource's. */
	if (committee) {
		json_t *all = NULL, *r;
		size_t i;
		owner = 0;
		if (!cobuild_resources_json(req->db, req->sess.area_id, 0, &all))
			json_array_foreach (all, i, r) {
				if (i_of(r, "id") == resource)
					owner = i_of(r, "unit_id");
			}
		json_decref(all);
		if (!owner)
			return after(req, resp, LIN_EINVAL, "cobuild.err.resource", "needs");
	}
	rc = cobuild_claim(req->db, &req->sess, req->sess.area_id, param_id(req), owner, resource,
			   committee ? "offer" : "claim", (int64_t)time(NULL), &id, &key);
	return after(req, resp, rc, key, "claims");
}

static int post_confirm(struct http_req *req, struct http_resp *resp)
{
	int64_t project = 0;
	const char *key = NULL;
	int rc = cobuild_confirm(req->db, &req->sess, req->sess.area_id, param_id(req),
				 cobuild_is_committee(req) ? "committee" : "unit",
				 cobuild_reader_unit(req), (int64_t)time(NULL), &project, &key);
	return after(req, resp, rc, key, project ? "projects" : "claims");
}

static int post_minutes(struct http_req *req, struct http_resp *resp)
{
	const char *key = NULL;
	const char *minutes = req_form(req, "minutes");
	int64_t m = -1;
	int rc;

	if (!minutes || parse_int64(minutes, 0, 100000, &m))
		return after(req, resp, LIN_EINVAL, "cobuild.err.minutes", "projects");
	rc = cobuild_project_minutes(req->db, &req->sess, req->sess.area_id, param_id(req),
				     form_num(req, "unit_id"), m, req_form(req, "done") != NULL,
				     &key);
	return after(req, resp, rc, key, "projects");
}

/* ------------------------------------------------------------ matching */

static void score_part(struct html *h, const char *key, int points, int max, const char *why)
{
	html_printf(
	    h, "<li><span>%T</span> <span><b>%d</b>/%d</span> <span class=\"muted\">%s</span></li>",
	    key, points, max, why);
}

static int page_match(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL, *p;
	struct html h;
	size_t i;
	int rc = cobuild_proposals(req->db, req->sess.area_id, (int64_t)time(NULL), &rows);

	if (rc) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	begin(req, resp, &h, req_t(req, "cobuild.match"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%T</h1><a href=\"/cobuild\">%T</a></div>"
		    "<p class=\"muted\">%T</p>",
		    "cobuild.match", "cobuild.title_lists", "cobuild.match_how");
	if (!json_array_size(rows))
		html_printf(&h, "<p class=\"empty\">%T</p>", "cobuild.no_open_needs");
	json_array_foreach (rows, i, p) {
		json_t *n = json_object_get(p, "need"), *r = json_object_get(p, "resource");
		json_t *sc = json_object_get(p, "score");
		char why[160];

		html_printf(&h,
			    "<section class=\"card cb-proposal\" id=\"proposal-%l\"><h2>%s</h2><p "
			    "class=\"muted\">%T · ",
			    i_of(n, "id"), s_of(n, "title"),
			    key_of(req, "cobuild.kind.", s_of(n, "kind")));
		when(&h, s_of(n, "starts_on"), s_of(n, "ends_on"));
		html_printf(&h, " · ");
		amount(req, &h, s_of(n, "kind"), i_of(n, "amount"));
		html_printf(&h, "</p>");
		if (json_is_null(r)) {
			html_printf(&h, "<p class=\"empty\">%T</p></section>",
				    "cobuild.no_proposal");
			continue;
		}
		html_printf(
		    &h,
		    "<p class=\"cb-best\">%T <b><a href=\"/cobuild/units/%l\">%s</a></b> · %s "
		    "<span class=\"cb-total\">%T <b>%l</b>/100</span></p><ul class=\"cb-score\">",
		    "cobuild.proposed", i_of(r, "unit_id"), s_of(r, "unit"), s_of(r, "title"),
		    "cobuild.score", i_of(sc, "total"));
		score_part(&h, "cobuild.part.kind", (int)i_of(sc, "kind"), SCORE_KIND,
			   req_t(req, key_of(req, "cobuild.kind.", s_of(n, "kind"))));
		snprintf(why, sizeof(why), "%lld/%lld %s", (long long)i_of(sc, "overlap_days"),
			 (long long)i_of(sc, "need_days"), req_t(req, "cobuild.why.days"));
		score_part(&h, "cobuild.part.time", (int)i_of(sc, "time"), SCORE_TIME, why);
		snprintf(why, sizeof(why), "%lld/%lld %s", (long long)i_of(r, "amount"),
			 (long long)i_of(n, "amount"), req_t(req, "cobuild.why.capacity"));
		score_part(&h, "cobuild.part.capacity", (int)i_of(sc, "capacity"), SCORE_CAPACITY,
			   why);
		score_part(&h, "cobuild.part.distance", (int)i_of(sc, "distance"), SCORE_DISTANCE,
			   req_t(req, i_of(sc, "same_compound") > 0 ? "cobuild.why.same_compound"
				      : i_of(sc, "same_compound") == 0
					  ? "cobuild.why.area_wide"
					  : "cobuild.why.other_compound"));
		snprintf(why, sizeof(why), "%s %lld", req_t(req, "cobuild.why.load"),
			 (long long)i_of(sc, "asks"));
		score_part(&h, "cobuild.part.load", (int)i_of(sc, "load"), SCORE_LOAD, why);
		html_printf(&h,
			    "</ul><form method=\"post\" action=\"/cobuild/needs/%l/claim\" "
			    "class=\"no-print\">",
			    i_of(n, "id"));
		csrf(req, &h);
		html_printf(&h,
			    "<input type=\"hidden\" name=\"resource_id\" value=\"%l\"><button "
			    "type=\"submit\">%T</button></form></section>",
			    i_of(r, "id"), "cobuild.offer");
	}
	json_decref(rows);
	return end(req, resp, &h, 200);
}

/* ------------------------------------------------------------ liaisons */

static int show_liaisons(struct http_req *req, struct http_resp *resp, const char *why, int status)
{
	json_t *rows = NULL, *units = NULL, *o;
	struct html h;
	size_t i;
	int rc = cobuild_liaisons_json(req->db, req->sess.area_id, &rows);

	if (!rc)
		rc = cobuild_units_json(req->db, req->sess.area_id, &units);
	if (rc) {
		json_decref(rows);
		json_decref(units);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	begin(req, resp, &h, req_t(req, "cobuild.liaisons"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1><a href=\"/cobuild\">%T</a></div>",
		    "cobuild.liaisons", "cobuild.title_lists");
	if (why)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%T</p>", why);
	html_printf(&h, "<section class=\"card\"><ul class=\"cb-list\">");
	if (!json_array_size(rows))
		html_printf(&h, "<li class=\"empty\">%T</li>", "cobuild.no_liaisons");
	json_array_foreach (rows, i, o) {
		html_printf(
		    &h,
		    "<li class=\"cb-item\"><b>%s</b> → <a href=\"/cobuild/units/%l\">%s</a></li>",
		    s_of(o, "username"), i_of(o, "unit_id"), s_of(o, "unit"));
	}
	html_printf(&h,
		    "</ul></section><section class=\"card\"><h2>%T</h2><form method=\"post\" "
		    "action=\"/cobuild/liaisons\" class=\"stack\">",
		    "cobuild.link");
	csrf(req, &h);
	html_printf(&h,
		    "<label>%T <input name=\"username\" required autocomplete=\"off\"></label>"
		    "<label>%T <select name=\"unit_id\"><option value=\"0\">%T</option>",
		    "cobuild.username", "cobuild.unit", "cobuild.unlink");
	options(&h, units, "name", 0);
	html_printf(&h, "</select></label><button type=\"submit\">%T</button></form></section>",
		    "cobuild.save");
	json_decref(rows);
	json_decref(units);
	return end(req, resp, &h, status);
}

static int page_liaisons(struct http_req *req, struct http_resp *resp)
{
	return show_liaisons(req, resp, NULL, 200);
}

static int post_liaison(struct http_req *req, struct http_resp *resp)
{
	const char *key = NULL;
	int rc = cobuild_liaison_link(req->db, &req->sess, req->sess.area_id,
				      req_form(req, "username"), form_num(req, "unit_id"), &key);

	if (!rc)
		return resp_redirect(req, resp, "/cobuild/liaisons");
	if (!key)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return show_liaisons(req, resp, key, rc == LIN_ENOTFOUND ? 404 : 422);
}

const struct route cobuild_page_routes[] = {
    {"GET", "/cobuild", page_lists, PERM_COBUILD_READ, 0, NULL, 0},
    {"POST", "/cobuild/visits", post_visit, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"POST", "/cobuild/needs", post_need, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"POST", "/cobuild/resources", post_resource, PERM_COBUILD_CLAIM, 0, NULL, 0},
    {"POST", "/cobuild/needs/:id/claim", post_claim, PERM_COBUILD_CLAIM, 0, NULL, 0},
    {"POST", "/cobuild/claims/:id/confirm", post_confirm, PERM_COBUILD_CLAIM, 0, NULL, 0},
    {"POST", "/cobuild/projects/:id/minutes", post_minutes, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"GET", "/cobuild/match", page_match, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"GET", "/cobuild/liaisons", page_liaisons, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"POST", "/cobuild/liaisons", post_liaison, PERM_COBUILD_WRITE, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
