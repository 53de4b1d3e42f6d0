/* The survey's staff pages: the campaigns, a new campaign, one campaign
 * (coverage on the site plan, answer charts, findings, the questionnaire
 * and the buildings with their volunteers) and the forms that change it. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../cases/cases.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHOICES_MAX 500
#define SHANGHAI    28800 /* seconds east of UTC */

/* ------------------------------------------------------------ shared */

const char *survey_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

int64_t survey_num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

const char *survey_option_label(json_t *q, const char *key)
{
	size_t i;
	json_t *o;
	json_array_foreach (json_object_get(q, "options"), i, o)
		if (!strcmp(survey_str(o, "key"), key))
			return survey_str(o, "label");
	return key;
}

const char *survey_when(struct arena *a, int64_t t)
{
	int y, m, d;
	int64_t secs = ((t + SHANGHAI) % 86400 + 86400) % 86400;

	lin_civil_from_days(lin_local_day(t, SHANGHAI), &y, &m, &d);
	return arena_printf(a, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(secs / 3600),
			    (int)(secs / 60 % 60));
}

int64_t survey_reader_volunteer(struct http_req *req)
{
	int64_t v = 0;
	if (req_can(req, PERM_SURVEY_WRITE))
		return 0;
	if (!req->sess.user_id ||
	    survey_volunteer_of(req->db, req->sess.area_id, req->sess.user_id, &v) || !v)
		return -1;
	return v;
}

int survey_error(struct http_req *req, struct http_resp *resp, int rc, const char *field,
		 const char *key)
{
	int status = rc == LIN_EINVAL	   ? 422
		     : rc == LIN_ENOTFOUND ? 404
		     : rc == LIN_EPERM	   ? 403
		     : rc == LIN_ECONFLICT ? 409
					   : 500;
	const char *code = rc == LIN_EINVAL	 ? "invalid"
			   : rc == LIN_ENOTFOUND ? "not_found"
			   : rc == LIN_EPERM	 ? "forbidden"
			   : rc == LIN_ECONFLICT ? "conflict"
						 : "internal";

	if (!key)
		key = rc == LIN_ENOTFOUND   ? "err.not_found"
		      : rc == LIN_ECONFLICT ? "survey.err.state"
		      : rc == LIN_EPERM	    ? "survey.err.state"
					    : "err.internal";
	if (status == 500)
		key = "err.internal";
	if (req_wants_json(req) && field)
		return resp_json(resp, status,
				 json_pack("{s:{s:s, s:s, s:s}}", "error", "code", code, "message",
					   req_t(req, key), "field", field));
	return resp_error(req, resp, status, code, key);
}

static void begin(struct http_req *req, struct http_resp *resp, struct html *h, const char *title)
{
	h->out = &resp->body;
	h->lang = req->lang;
	page_begin(req, h, title);
}

static int end(struct http_req *req, struct http_resp *resp, struct html *h)
{
	page_end(req, h);
	resp->status = 200;
	return 0;
}

static void state_badge(struct http_req *req, struct html *h, const char *state)
{
	html_printf(h, "<span class=\"badge survey-%s\">%T</span>", state,
		    arena_printf(req->arena, "survey.state.%s", state));
}

/* ------------------------------------------------------------ the list */

static int list_page(struct http_req *req, struct http_resp *resp)
{
	int64_t vol = survey_reader_volunteer(req);
	json_t *rows = NULL, *c;
	struct html h;
	size_t i;

	/* who reads campaigns sees them all; a volunteer, theirs */
	if (survey_list(req->db, req->sess.area_id, req_can(req, PERM_SURVEY_READ) ? 0 : vol,
			&rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	begin(req, resp, &h, req_t(req, "survey.title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1>", "survey.title");
	if (req_can(req, PERM_SURVEY_WRITE))
		html_printf(&h,
			    "<p class=\"actions\"><a class=\"button primary\" "
			    "href=\"/surveys/new\">%T</a></p>",
			    "survey.new");
	html_printf(&h, "</div>");
	if (!json_array_size(rows))
		html_printf(&h, "<p class=\"empty\">%T</p>",
			    vol ? "survey.none_yours" : "survey.none");
	html_printf(&h, "<ul class=\"survey-list\">");
	json_array_foreach (rows, i, c) {
		int64_t id = survey_num(c, "id");
		html_printf(&h, "<li class=\"card\"><h2>");
		if (req_can(req, PERM_SURVEY_READ))
			html_printf(&h, "<a href=\"/surveys/%l\">%s</a>", id,
				    survey_str(c, "title"));
		else
			html_printf(&h, "%s", survey_str(c, "title"));
		html_printf(&h, "</h2><p>");
		state_badge(req, &h, survey_str(c, "state"));
		html_printf(&h, " <span class=\"muted\">%l %T · %T %l / %l %T</span></p>",
			    survey_num(c, "buildings"), "survey.buildings_n", "survey.visited_n",
			    survey_num(c, "visited"), survey_num(c, "doors"), "survey.households");
		if (!strcmp(survey_str(c, "state"), "open"))
			html_printf(
			    &h,
			    "<p><a class=\"button primary\" href=\"/surveys/%l/doors\">%T</a>"
			    "</p>",
			    id, vol > 0 ? "survey.my_doors" : "survey.doors");
		html_printf(&h, "</li>");
	}
	html_printf(&h, "</ul>");
	json_decref(rows);
	return end(req, resp, &h);
}

/* ------------------------------------------------------------ new */

static void new_form(struct http_req *req, struct html *h, const char *key)
{
	const char *title = req_form(req, "title"), *intro = req_form(req, "intro");
	if (key)
		html_printf(h, "<div class=\"alert\" role=\"alert\"><p>%T</p></div>", key);
	html_printf(h, "<form method=\"post\" action=\"/surveys/new\" class=\"stack card\">");
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T<input name=\"title\" required maxlength=\"120\" value=\"%s\"></label>"
	    "<label>%T<textarea name=\"intro\" rows=\"3\" maxlength=\"1000\">%s</textarea>"
	    "</label><p class=\"muted\">%T</p>"
	    "<p><button class=\"button primary\" type=\"submit\">%T</button></p></form>",
	    "survey.f.title", title ? title : "", "survey.f.intro", intro ? intro : "",
	    "survey.new_hint", "survey.create");
}

static int new_page(struct http_req *req, struct http_resp *resp)
{
	struct html h;
	begin(req, resp, &h, req_t(req, "survey.new"));
	html_printf(&h, "<h1>%T</h1>", "survey.new");
	new_form(req, &h, NULL);
	return end(req, resp, &h);
}

static int new_submit(struct http_req *req, struct http_resp *resp)
{
	const char *field, *key;
	json_t *in = json_pack("{s:s?, s:s?}", "title", req_form(req, "title"), "intro",
			       req_form(req, "intro"));
	int64_t id = 0;
	int rc = survey_create(req->db, &req->sess, req->sess.area_id, in, &id, &field, &key);
	struct html h;

	json_decref(in);
	if (rc == LIN_EINVAL) {
		begin(req, resp, &h, req_t(req, "survey.new"));
		html_printf(&h, "<h1>%T</h1>", "survey.new");
		new_form(req, &h, key);
		end(req, resp, &h);
		resp->status = 422;
		return 0;
	}
	if (rc)
		return survey_error(req, resp, rc, NULL, NULL);
	return resp_redirect(req, resp, arena_printf(req->arena, "/surveys/%lld", (long long)id));
}

/* ------------------------------------------------------------ one campaign */

static void questionnaire(struct http_req *req, struct html *h, json_t *c)
{
	size_t i, j;
	json_t *q, *o;

	html_printf(h,
		    "<section class=\"card\" id=\"questions\"><h2>%T</h2><ol class=\"survey-qs\">",
		    "survey.questionnaire");
	json_array_foreach (json_object_get(c, "questions"), i, q) {
		html_printf(h, "<li><b>%s</b> <span class=\"muted\">(%s · %T%R)</span>",
			    survey_str(q, "prompt"), survey_str(q, "code"),
			    arena_printf(req->arena, "survey.kind.%s", survey_str(q, "kind")),
			    json_is_true(json_object_get(q, "required"))
				? arena_printf(req->arena, " · %s", req_t(req, "survey.required"))
				: "");
		if (*survey_str(q, "show_if_code")) {
			json_t *p = NULL, *x;
			size_t k;
			json_array_foreach (json_object_get(c, "questions"), k, x)
				if (!strcmp(survey_str(x, "code"), survey_str(q, "show_if_code")))
					p = x;
			html_printf(h, "<br><span class=\"survey-cond\">%T %s = %s</span>",
				    "survey.shown_if", survey_str(q, "show_if_code"),
				    p ? survey_option_label(p, survey_str(q, "show_if_answer"))
				      : survey_str(q, "show_if_answer"));
		}
		if (json_array_size(json_object_get(q, "options"))) {
			html_printf(h, "<br><span class=\"muted\">");
			json_array_foreach (json_object_get(q, "options"), j, o)
				html_printf(h, "%s%s", j ? " / " : "", survey_str(o, "label"));
			html_printf(h, "</span>");
		}
		if (!strcmp(survey_str(q, "kind"), "number") &&
		    json_is_integer(json_object_get(q, "min")))
			html_printf(h, "<br><span class=\"muted\">%l – %l</span>",
				    survey_num(q, "min"), survey_num(q, "max"));
		html_printf(h, "</li>");
	}
	html_printf(h, "</ol>");
	if (req_can(req, PERM_SURVEY_WRITE) && !strcmp(survey_str(c, "state"), "draft")) {
		html_printf(h,
			    "<details><summary>%T</summary><form method=\"post\" "
			    "action=\"/surveys/%l/questions\" class=\"stack\">",
			    "survey.add_question", survey_num(c, "id"));
		page_csrf_field(req, h);
		html_printf(h,
			    "<label>%T<input name=\"code\" required maxlength=\"32\" "
			    "pattern=\"[a-z0-9_]+\"></label>"
			    "<label>%T<input name=\"prompt\" required maxlength=\"200\"></label>"
			    "<label>%T<select name=\"kind\"><option value=\"single\">%T</option>"
			    "<option value=\"multiple\">%T</option><option value=\"number\">%T"
			    "</option><option value=\"text\">%T</option></select></label>"
			    "<label>%T<textarea name=\"options\" rows=\"3\"></textarea></label>"
			    "<div class=\"survey-bounds\"><label>%T<input name=\"min\" "
			    "inputmode=\"numeric\"></label><label>%T<input name=\"max\" "
			    "inputmode=\"numeric\"></label></div>"
			    "<label class=\"check\"><input type=\"checkbox\" name=\"required\" "
			    "value=\"1\"> %T</label><label>%T<select name=\"show_if\">"
			    "<option value=\"\">%T</option>",
			    "survey.f.code", "survey.f.prompt", "survey.f.kind",
			    "survey.kind.single", "survey.kind.multiple", "survey.kind.number",
			    "survey.kind.text", "survey.f.options", "survey.f.min", "survey.f.max",
			    "survey.required", "survey.f.show_if", "survey.always");
		json_array_foreach (json_object_get(c, "questions"), i, q)
			json_array_foreach (json_object_get(q, "options"), j, o)
				html_printf(h, "<option value=\"%s=%s\">%s = %s</option>",
					    survey_str(q, "code"), survey_str(o, "key"),
					    survey_str(q, "code"), survey_str(o, "label"));
		html_printf(h,
			    "</select></label><p><button class=\"button\" type=\"submit\">%T"
			    "</button></p></form></details>",
			    "survey.add_question");
	}
	html_printf(h, "</section>");
}

static void buildings(struct http_req *req, struct html *h, json_t *c)
{
	json_t *b, *v, *choices = NULL;
	size_t i, j;
	int more = 0;

	html_printf(h,
		    "<section class=\"card\" id=\"buildings\"><h2>%T</h2><div class=\"table-wrap\">"
		    "<table><thead><tr><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "survey.buildings", "survey.building", "survey.doors_n", "survey.volunteers");
	json_array_foreach (json_object_get(c, "buildings"), i, b) {
		html_printf(h, "<tr><td>%s %s</td><td>%l</td><td>", survey_str(b, "compound"),
			    survey_str(b, "building"), survey_num(b, "doors"));
		json_array_foreach (json_object_get(b, "volunteers"), j, v)
			html_printf(h, "%s%s", j ? "、" : "", survey_str(v, "name"));
		html_printf(h, "</td></tr>");
	}
	html_printf(h, "</tbody></table></div>");
	if (req_can(req, PERM_SURVEY_WRITE) && strcmp(survey_str(c, "state"), "closed")) {
		html_printf(h,
			    "<form method=\"post\" action=\"/surveys/%l/buildings\" "
			    "class=\"stack survey-assign\">",
			    survey_num(c, "id"));
		page_csrf_field(req, h);
		html_printf(h, "<label>%T<select name=\"building_id\" required>",
			    "survey.building");
		if (!registry_choices(req->db, "buildings", req->sess.area_id, NULL, CHOICES_MAX,
				      &choices, &more))
			json_array_foreach (choices, i, b)
				html_printf(h, "<option value=\"%l\">%s</option>",
					    survey_num(b, "id"), survey_str(b, "title"));
		json_decref(choices);
		choices = NULL;
		html_printf(h,
			    "</select></label><label>%T<select name=\"volunteer_id\">"
			    "<option value=\"\">—</option>",
			    "survey.volunteer");
		if (!survey_volunteer_choices(req->db, req->sess.area_id, &choices))
			json_array_foreach (choices, i, v)
				html_printf(h, "<option value=\"%l\">%s</option>",
					    survey_num(v, "id"), survey_str(v, "name"));
		json_decref(choices);
		html_printf(
		    h,
		    "</select></label><p><button class=\"button\" type=\"submit\">%T</button>"
		    "</p></form>",
		    "survey.assign");
	}
	html_printf(h, "</section>");
}

static void findings(struct http_req *req, struct html *h, int64_t id)
{
	json_t *rows = NULL, *f;
	size_t i;
	int shown = 0;

	html_printf(h, "<section class=\"card\" id=\"findings\"><h2>%T</h2><ul>",
		    "survey.findings");
	if (!survey_findings(req->db, req->sess.area_id, id, 0, &rows))
		json_array_foreach (rows, i, f) {
			/* the case's own door: only those who may open it see it named */
			if (!cases_reader_may_open(req, survey_num(f, "case_id")))
				continue;
			shown++;
			html_printf(h,
				    "<li><a href=\"/cases/%l\">%T #%l</a> · %s %s · "
				    "<a href=\"/surveys/%l/visits/%l\">%T</a></li>",
				    survey_num(f, "case_id"), "survey.case",
				    survey_num(f, "case_id"), survey_str(f, "building"),
				    survey_str(f, "door"), id, survey_num(f, "visit_id"),
				    "survey.the_visit");
		}
	json_decref(rows);
	html_printf(h, "</ul>");
	if (!shown)
		html_printf(h, "<p class=\"empty\">%T</p>", "survey.findings_none");
	html_printf(h, "</section>");
}

static int campaign_page(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *c = NULL, *coverage = NULL;
	const char *state;
	struct html h;
	int rc = survey_get(req->db, req->sess.area_id, id, &c);

	if (!rc)
		rc = survey_coverage(req->db, req->sess.area_id, id, &coverage);
	if (rc) {
		json_decref(c);
		json_decref(coverage);
		return survey_error(req, resp, rc, NULL, NULL);
	}
	state = survey_str(c, "state");
	begin(req, resp, &h, survey_str(c, "title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%s ", survey_str(c, "title"));
	state_badge(req, &h, state);
	/* a div: the state's form may not sit inside a <p> */
	html_printf(&h, "</h1><div class=\"actions no-print survey-head-actions\">");
	if (!strcmp(state, "open"))
		html_printf(&h, "<a class=\"button primary\" href=\"/surveys/%l/doors\">%T</a>", id,
			    "survey.doors");
	if (req_can(req, PERM_SURVEY_WRITE)) {
		html_printf(&h,
			    "<a class=\"button\" href=\"/surveys/%l/export.csv\">CSV</a>"
			    "<a class=\"button\" href=\"/surveys/%l/export.xlsx\">XLSX</a>",
			    id, id);
		if (strcmp(state, "closed")) {
			html_printf(&h,
				    "<form method=\"post\" action=\"/surveys/%l/state\" "
				    "class=\"inline\">",
				    id);
			page_csrf_field(req, &h);
			html_printf(&h,
				    "<input type=\"hidden\" name=\"state\" value=\"%s\"><button "
				    "class=\"button\" type=\"submit\">%T</button></form>",
				    !strcmp(state, "draft") ? "open" : "closed",
				    !strcmp(state, "draft") ? "survey.open" : "survey.close");
		}
	}
	html_printf(&h, "</div></div>");
	if (*survey_str(c, "intro"))
		html_printf(&h, "<p class=\"survey-intro\">%s</p>", survey_str(c, "intro"));
	html_printf(&h, "<section class=\"card\" id=\"coverage\"><h2>%T</h2>", "survey.coverage");
	survey_coverage_map(req, &h, coverage);
	html_printf(&h, "</section>");
	survey_answer_charts(req, &h, c);
	findings(req, &h, id);
	questionnaire(req, &h, c);
	buildings(req, &h, c);
	json_decref(c);
	json_decref(coverage);
	return end(req, resp, &h);
}

/* ------------------------------------------------------------ changes */

/* options_from_text: "key=label" or "label" lines as [{key, label}] (a
 * bare label's key is o1, o2, ... by its line). */
static json_t *options_from_text(const char *text)
{
	json_t *out = json_array();
	char line[512];
	int n = 0;

	while (text && *text) {
		size_t len = strcspn(text, "\r\n");
		char *eq, *l;
		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, text, len);
		line[len] = '\0';
		text += strcspn(text, "\r\n");
		text += strspn(text, "\r\n");
		l = str_trim(line);
		if (!*l)
			continue;
		n++;
		eq = strchr(l, '=');
		if (eq) {
			*eq = '\0';
			json_array_append_new(out, json_pack("{s:s, s:s}", "key", str_trim(l),
							     "label", str_trim(eq + 1)));
		} else {
			char key[16];
			snprintf(key, sizeof(key), "o%d", n);
			json_array_append_new(out, json_pack("{s:s, s:s}", "key", key, "label", l));
		}
	}
	return out;
}

static int question_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0), n;
	const char *show = req_form(req, "show_if"), *field, *key;
	json_t *q = json_pack("{s:s?, s:s?, s:s?, s:b, s:o}", "code", req_form(req, "code"), "kind",
			      req_form(req, "kind"), "prompt", req_form(req, "prompt"), "required",
			      req_form(req, "required") != NULL, "options",
			      options_from_text(req_form(req, "options")));
	int rc;

	if (req_form(req, "min") && *req_form(req, "min")) {
		if (parse_int64(req_form(req, "min"), INT64_MIN, INT64_MAX, &n))
			json_object_set_new(q, "min", json_string("x"));
		else
			json_object_set_new(q, "min", json_integer(n));
	}
	if (req_form(req, "max") && *req_form(req, "max")) {
		if (parse_int64(req_form(req, "max"), INT64_MIN, INT64_MAX, &n))
			json_object_set_new(q, "max", json_string("x"));
		else
			json_object_set_new(q, "max", json_integer(n));
	}
	if (show && strchr(show, '=')) {
		const char *eq = strchr(show, '=');
		json_object_set_new(q, "show_if",
				    json_pack("{s:s%, s:s}", "question", show, (size_t)(eq - show),
					      "answer", eq + 1));
	}
	rc = survey_question_add(req->db, &req->sess, req->sess.area_id, id, q, &field, &key);
	json_decref(q);
	if (rc)
		return survey_error(req, resp, rc, field, key);
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/surveys/%lld#questions", (long long)id));
}

static int assign_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *key = NULL;
	int rc =
	    survey_assign(req->db, &req->sess, req->sess.area_id, id,
			  req_form_id(req, "building_id"), req_form_id(req, "volunteer_id"), &key);

	if (rc)
		return survey_error(req, resp, rc, "building_id", key);
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/surveys/%lld#buildings", (long long)id));
}

static int state_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *state = req_form(req, "state");
	int rc = survey_set_state(req->db, &req->sess, req->sess.area_id, id, state ? state : "",
				  (int64_t)time(NULL));

	if (rc)
		return survey_error(req, resp, rc, NULL, NULL);
	return resp_redirect(req, resp, arena_printf(req->arena, "/surveys/%lld", (long long)id));
}

const struct nav_item survey_nav[] = {
    {"/surveys", "nav.surveys", PERM_SURVEY_VISIT},
    {NULL, NULL, 0},
};

int survey_page_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/surveys", list_page, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"GET", "/surveys/new", new_page, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"POST", "/surveys/new", new_submit, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"GET", "/surveys/:id", campaign_page, PERM_SURVEY_READ, 0, NULL, 0},
	    {"POST", "/surveys/:id/questions", question_submit, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"POST", "/surveys/:id/buildings", assign_submit, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"POST", "/surveys/:id/state", state_submit, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"GET", "/surveys/:id/export.csv", survey_export_csv, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"GET", "/surveys/:id/export.xlsx", survey_export_xlsx, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}

int survey_add_routes(struct router *r)
{
	int rc = survey_page_routes(r);
	if (!rc)
		rc = survey_visit_routes(r);
	return rc ? rc : survey_api_routes(r);
}
