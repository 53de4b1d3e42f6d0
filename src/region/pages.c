/* The street's (or district's) overview of its areas side by side, the
 * way into one area's own pages, and the same rows as JSON. Every figure
 * is the one the area's own pages and monthly report show, read through
 * the features' headers for each area in the scope. */
#include "internal.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../plaza/plaza.h"
#include "../registry/registry.h"
#include "../report/report.h"
#include "../web/auth.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* What a request for the overview asked for. */
struct overview {
	struct report_month month; /* the month the monthly figures are of */
	enum region_sort sort;	   /* the column the rows are sorted by */
	struct region_area *rows;  /* (arena) */
	int n;			   /* rows */
	char scope[256];	   /* the street's or district's name */
	int64_t now;		   /* when the figures were read */
};

/* noise_share: of the plaza's teams a meter measured in [from, to), the
 * share that stayed under the cap every minute (as the monthly report). */
static int noise_share(struct db *db, int64_t area, int64_t from, int64_t to, int64_t *out)
{
	json_t *teams = NULL, *t;
	const char *name;
	int64_t measured = 0, clean = 0;
	int rc = plaza_compliance_between(db, area, from, to, &teams);

	if (!rc)
		json_object_foreach (teams, name, t) {
			int64_t meas = json_integer_value(json_object_get(t, "measured"));
			measured += meas > 0;
			clean +=
			    meas > 0 && !json_integer_value(json_object_get(t, "minutes_over"));
		}
	json_decref(teams);
	*out = region_share(clean, measured);
	return rc;
}

/* area_figures reads one area's row for the month m at now. */
static int area_figures(struct db *db, const struct report_month *m, int64_t now,
			struct region_area *a)
{
	struct registry_month g;
	struct cases_month c;
	/* this month: up to now, this second included */
	int64_t to = m->to <= now ? m->to : now + 1;
	int rc = registry_month(db, a->id, m->first_day, m->last_day, &g);

	if (!rc) {
		a->residents = g.residents;
		a->households = g.households;
		a->members = g.members;
		rc = region_open_cases(db, a->id, now, &a->open, &a->overdue);
	}
	if (!rc)
		rc = cases_month(db, a->id, m->from, to, &c);
	if (!rc) {
		a->received = c.received;
		a->resolved = c.resolved;
		a->rated = c.rated;
		a->satisfied = region_share(c.satisfied, c.rated);
		rc = noise_share(db, a->id, m->from, to, &a->noise);
	}
	if (!rc) {
		int64_t bounds[REGION_SPARK_MONTHS + 1];
		for (int k = 0; k < REGION_SPARK_MONTHS; k++) {
			struct report_month p;
			report_month_of(m->from, k - (REGION_SPARK_MONTHS - 1), &p);
			bounds[k] = p.from;
		}
		bounds[REGION_SPARK_MONTHS] = to; /* the month's end, or now */
		rc = region_received_by_month(db, a->id, bounds, a->spark);
	}
	return rc;
}

/* overview_load reads the query (month, sort) and every area's row. 400
 * answers (LIN_EINVAL) carry the message key in *bad. */
static int overview_load(struct http_req *req, struct overview *o, const char **bad)
{
	int64_t *ids = NULL;

	int rc;

	memset(o, 0, sizeof(*o));
	*bad = NULL;
	o->now = (int64_t)time(NULL);
	const char *month = req_query(req, "month");
	if (month && *month) {
		if (report_month_parse(month, o->now, &o->month)) {
			*bad = "region.bad_month";
			return LIN_EINVAL;
		}
	} else
		report_month_of(o->now, 0, &o->month);
	if (region_sort_parse(req_query(req, "sort"), &o->sort)) {
		*bad = "region.bad_sort";
		return LIN_EINVAL;
	}
	rc = scope_name(req->db, req->sess.scope_role, req->sess.scope_id, o->scope,
			sizeof(o->scope));
	if (!rc)
		rc = scope_areas(req->db, req->sess.scope_role, req->sess.scope_id, req->arena,
				 &ids, &o->n);
	if (rc)
		return rc;
	o->rows = arena_alloc(req->arena, (size_t)(o->n ? o->n : 1) * sizeof(*o->rows));
	if (!o->rows)
		return LIN_ENOMEM;
	for (int i = 0; i < o->n; i++)
		o->rows[i].id = ids[i];
	rc = region_rows_names(req->db, o->rows, o->n);
	for (int i = 0; !rc && i < o->n; i++)
		rc = area_figures(req->db, &o->month, o->now, &o->rows[i]);
	if (!rc)
		region_sort_rows(o->rows, o->n, o->sort);
	return rc;
}

/* share_text writes a share as "96.5%" or "—". */
static const char *share_text(struct http_req *req, int64_t v)
{
	if (v == REGION_UNKNOWN)
		return "—";
	return arena_printf(req->arena, "%lld.%lld%%", (long long)(v / 100),
			    (long long)((v % 100 + 5) / 10 % 10));
}

static void head_cell(struct http_req *req, struct html *h, const struct overview *o,
		      enum region_sort s, const char *label_key)
{
	const char *order = o->sort == s ? (s == SORT_NAME ? "ascending" : "descending") : NULL;

	html_printf(h, "<th scope=\"col\"%R><a href=\"/region?sort=%U&amp;month=%U\">%T</a></th>",
		    order ? arena_printf(req->arena, " aria-sort=\"%s\"", order) : "",
		    region_sort_key(s), o->month.label, label_key);
}

/* text_of: o's text field key, "" when absent. */
static const char *text_of(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));
	return v ? v : "";
}

/* referral_state_key: the i18n key of a referral's state. */
static const char *referral_state_key(const char *state)
{
	return !strcmp(state, "returned")  ? "region.ref_returned"
	       : !strcmp(state, "replied") ? "region.ref_replied"
					   : "region.ref_referred";
}

/* referrals_section: the street's 12345 referrals and the form that
 * hands a new one to an area (works without script). */
static int referrals_section(struct http_req *req, struct html *h, const struct overview *o)
{
	json_t *list = NULL, *cats = NULL, *r;
	size_t i;
	int rc = region_referrals_json(req->db, req->sess.scope_id, 0, &list);

	if (rc) {
		json_decref(list);
		return rc;
	}
	html_printf(h, "<section class=\"card\" id=\"referrals\"><h2>%T</h2>", "region.referrals");
	if (!json_array_size(list))
		html_printf(h, "<p class=\"muted\">%T</p>", "region.ref_none");
	else
		html_printf(h,
			    "<div class=\"table-wrap\"><table><thead><tr><th>%T</th><th>%T</th>"
			    "<th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
			    "region.ref_number", "region.area", "region.ref_what",
			    "region.ref_state", "region.ref_answer");
	json_array_foreach (list, i, r)
		html_printf(h,
			    "<tr data-referral=\"%l\"><td>%s</td><td>%s</td><td>%s</td><td>%T</td>"
			    "<td>%s</td></tr>",
			    (int64_t)json_integer_value(json_object_get(r, "id")),
			    text_of(r, "hotline_ref"), text_of(r, "area_name"),
			    html_excerpt(req->arena, text_of(r, "description"), 40),
			    referral_state_key(text_of(r, "state")), text_of(r, "answer"));
	if (json_array_size(list))
		html_printf(h, "</tbody></table></div>");
	json_decref(list);
	html_printf(h,
		    "<form method=\"post\" action=\"/region/referrals\" class=\"stack\"><h3>%T</h3>"
		    "<label>%T <input name=\"hotline_ref\" required maxlength=\"40\"></label>"
		    "<label>%T <select name=\"area\">",
		    "region.ref_new", "region.ref_number", "region.area");
	for (int k = 0; k < o->n; k++)
		html_printf(h, "<option value=\"%s\">%s</option>", o->rows[k].code,
			    o->rows[k].name);
	/* The areas share the standard categories: the first area's list. */
	html_printf(h, "</select></label><label>%T <select name=\"category\">",
		    "region.ref_category");
	if (o->n && !cases_category_names(req->db, o->rows[0].id, &cats)) {
		json_array_foreach (cats, i, r)
			html_printf(h, "<option value=\"%s\"%s>%s</option>", text_of(r, "code"),
				    strcmp(text_of(r, "code"), "other") ? "" : " selected",
				    text_of(r, strcmp(req->lang, "en") ? "name_zh" : "name_en"));
		json_decref(cats);
	} else {
		html_printf(h, "<option value=\"other\">other</option>");
	}
	html_printf(h,
		    "</select></label><label>%T <textarea name=\"description\" required>"
		    "</textarea></label><label>%T <input name=\"address\"></label>",
		    "region.ref_what", "region.ref_address");
	page_csrf_field(req, h);
	html_printf(h, "<button type=\"submit\" class=\"primary\">%T</button></form></section>",
		    "region.ref_submit");
	return 0;
}

static int overview_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct overview o;
	struct region_area total = {0};
	const char *bad;
	int rc = overview_load(req, &o, &bad);

	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "bad_request", bad);
	if (rc)
		return rc;
	page_begin(req, &h, req_t(req, "region.title"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%s · %T</h1><div class=\"actions\">"
		    "<a class=\"button\" href=\"/region/report?month=%U\">%T</a>"
		    "<a class=\"button\" href=\"/region/report.xlsx?month=%U\">%T</a></div></div>",
		    o.scope, "region.title", o.month.label, "region.report", o.month.label,
		    "region.report_xlsx");
	html_printf(&h,
		    "<form method=\"get\" action=\"/region\" class=\"inline\"><label>%T "
		    "<input type=\"month\" name=\"month\" value=\"%s\"></label>"
		    "<input type=\"hidden\" name=\"sort\" value=\"%s\">"
		    "<button type=\"submit\">%T</button></form>",
		    "region.month", o.month.label, region_sort_key(o.sort), "region.show");
	html_printf(&h, "<p class=\"muted\" id=\"region-count\">%T %d · %T %s</p>", "region.areas",
		    o.n, "region.month", o.month.label);
	html_printf(&h, "<div class=\"table-wrap\"><table class=\"region\"><thead><tr>");
	head_cell(req, &h, &o, SORT_NAME, "region.area");
	head_cell(req, &h, &o, SORT_RESIDENTS, "region.residents");
	head_cell(req, &h, &o, SORT_MEMBERS, "region.members");
	head_cell(req, &h, &o, SORT_OPEN, "region.open");
	head_cell(req, &h, &o, SORT_OVERDUE, "region.overdue");
	head_cell(req, &h, &o, SORT_RECEIVED, "region.received");
	html_printf(&h, "<th scope=\"col\">%T</th>", "region.trend");
	head_cell(req, &h, &o, SORT_SATISFIED, "region.satisfied");
	head_cell(req, &h, &o, SORT_NOISE, "region.noise");
	html_printf(&h,
		    "<th scope=\"col\"><span class=\"sr\">%T</span></th>"
		    "</tr></thead><tbody>",
		    "region.enter");
	for (int i = 0; i < o.n; i++) {
		const struct region_area *a = &o.rows[i];
		struct buf spark;
		buf_init(&spark, 4096);
		region_sparkline(&spark, a->spark, REGION_SPARK_MONTHS,
				 req_t(req, "region.trend_title"));
		html_printf(
		    &h,
		    "<tr data-area=\"%s\"><th scope=\"row\">%s <small class=\"muted\">%s</small>"
		    "</th><td>%l</td><td>%l</td><td>%l</td><td>%l</td><td>%l</td><td>%R</td>"
		    "<td>%s</td><td>%s</td><td><form method=\"post\" action=\"/region/enter\""
		    " class=\"inline\"><input type=\"hidden\" name=\"area\" value=\"%s\">",
		    a->code, a->name, a->code, a->residents, a->members, a->open, a->overdue,
		    a->received, spark.buf, share_text(req, a->satisfied),
		    share_text(req, a->noise), a->code);
		buf_release(&spark);
		page_csrf_field(req, &h);
		html_printf(&h, "<button type=\"submit\">%T</button></form></td></tr>",
			    "region.enter");
		total.residents += a->residents;
		total.members += a->members;
		total.open += a->open;
		total.overdue += a->overdue;
		total.received += a->received;
		total.rated += a->rated;
	}
	html_printf(&h,
		    "</tbody><tfoot><tr><th scope=\"row\">%T</th><td>%l</td><td>%l</td><td>%l</td>"
		    "<td>%l</td><td>%l</td><td></td><td></td><td></td><td></td></tr></tfoot>"
		    "</table></div>",
		    "region.total", total.residents, total.members, total.open, total.overdue,
		    total.received);
	html_printf(&h, "<p class=\"muted\">%T</p>", "region.note");
	if (req->sess.scope_role == ROLE_STREET_STAFF)
		rc = referrals_section(req, &h, &o);
	page_end(req, &h);
	return rc;
}

static json_t *share_json(int64_t v)
{
	return v == REGION_UNKNOWN ? json_null() : json_real((double)v / 100.0);
}

static int api_areas(struct http_req *req, struct http_resp *resp)
{
	struct overview o;
	const char *bad;
	json_t *areas, *out;
	int rc = overview_load(req, &o, &bad);

	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "bad_request", bad);
	if (rc)
		return rc;
	areas = json_array();
	for (int i = 0; areas && i < o.n; i++) {
		const struct region_area *a = &o.rows[i];
		json_t *spark = json_array();
		for (int k = 0; spark && k < REGION_SPARK_MONTHS; k++)
			json_array_append_new(spark, json_integer(a->spark[k]));
		json_array_append_new(
		    areas,
		    json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:o}", "code",
			      a->code, "name", a->name, "residents", (json_int_t)a->residents,
			      "households", (json_int_t)a->households, "members",
			      (json_int_t)a->members, "open", (json_int_t)a->open, "overdue",
			      (json_int_t)a->overdue, "received", (json_int_t)a->received,
			      "resolved", (json_int_t)a->resolved, "rated", (json_int_t)a->rated,
			      "satisfied_percent", share_json(a->satisfied),
			      "noise_compliant_percent", share_json(a->noise), "received_by_month",
			      spark));
	}
	out = json_pack("{s:s,s:s,s:s,s:o}", "scope", o.scope, "month", o.month.label, "sort",
			region_sort_key(o.sort), "areas", areas ? areas : json_array());
	return resp_json(resp, 200, out);
}

/* rollup: the roll-up monthly report of the session's street or
 * district, as a page or (xlsx) a workbook. */
static int rollup(struct http_req *req, struct http_resp *resp, int xlsx)
{
	char scope[256];
	int64_t *ids = NULL;
	int n = 0;
	int rc =
	    scope_name(req->db, req->sess.scope_role, req->sess.scope_id, scope, sizeof(scope));

	if (!rc)
		rc = scope_areas(req->db, req->sess.scope_role, req->sess.scope_id, req->arena,
				 &ids, &n);
	if (rc)
		return rc;
	return xlsx ? report_rollup_xlsx(req, resp, ids, n, scope)
		    : report_rollup_page(req, resp, ids, n, scope);
}

static int rollup_page(struct http_req *req, struct http_resp *resp)
{
	return rollup(req, resp, 0);
}

static int rollup_xlsx(struct http_req *req, struct http_resp *resp)
{
	return rollup(req, resp, 1);
}

/* POST /region/enter: into one area of the scope, read-only unless the
 * account holds a role there; then the area's case queue. */
static int enter(struct http_req *req, struct http_resp *resp)
{
	const char *code = req_form(req, "area");
	int64_t area = 0;
	int rc;

	if (!code || area_id_by_code(req->db, code, &area))
		return resp_error(req, resp, 404, "not_found", "region.no_area");
	rc = auth_session_move(req, area);
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "region.not_in_scope");
	if (rc)
		return rc;
	return resp_redirect(req, resp, "/cases");
}

/* ---- the 12345 hotline's referrals ---- */

/* GET /api/v1/region/referrals: the street's, for its staff; the area's,
 * for its committee. */
static int api_referrals(struct http_req *req, struct http_resp *resp)
{
	json_t *list = NULL;
	int street = req->sess.scope_role == ROLE_STREET_STAFF;
	int rc = region_referrals_json(req->db, street ? req->sess.scope_id : 0,
				       street ? 0 : req->sess.area_id, &list);

	if (rc) {
		json_decref(list);
		return rc;
	}
	return resp_json(resp, 200, json_pack("{s:o}", "referrals", list));
}

/* The fields of a referral, from the JSON body or the page's form. */
struct refer_in {
	const char *area, *hotline_ref, *category, *description, *address;
};

/* refer files a 12345 work order as a case of one of the street's areas.
 * Answers the errors itself (*answered = 1); OUT: *id, *case_id, code. */
static int refer(struct http_req *req, struct http_resp *resp, const struct refer_in *f,
		 int64_t *id, int64_t *case_id, char *code, int *answered)
{
	const char *field = NULL, *key = NULL;
	struct session as = req->sess;
	int64_t area = 0;
	int rc;

	*answered = 1;
	if (req->sess.scope_role != ROLE_STREET_STAFF)
		return resp_error(req, resp, 403, "street_only", "region.street_only");
	if (area_id_by_code(req->db, f->area ? f->area : "", &area))
		return resp_error(req, resp, 404, "not_found", "region.no_area");
	struct case_new c = {
	    .area_id = area,
	    .category = f->category ? f->category : "",
	    .description = f->description ? f->description : "",
	    .plan_x = -1,
	    .plan_y = -1,
	    .lat_e6 = INT64_MIN,
	    .lon_e6 = INT64_MIN,
	    .address = f->address ? f->address : "",
	    .reporter_name = "",
	    .reporter_phone = "",
	    .reporter_email = "",
	    .channel = "phone",
	    .arena = req->arena,
	};
	as.area_id = area;
	rc = region_referral_add(req->db, &as, req->sess.scope_id, &c, f->hotline_ref, id, case_id,
				 code, &field, &key);
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "not_in_scope", "region.not_in_scope");
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", key ? key : "err.invalid");
	*answered = 0;
	return rc;
}

/* POST /api/v1/region/referrals {area, hotline_ref, category, description,
 * address}: the street files a 12345 work order as a case of its area. */
static int api_refer(struct http_req *req, struct http_resp *resp)
{
	const char *err;
	json_t *in = req_json(req, &err);
	char code[TRACKING_CODE_LEN + 1] = "";
	int64_t id = 0, case_id = 0;
	int answered, rc;

	if (!in)
		return resp_error(req, resp, 400, "bad_request", err);
	struct refer_in f = {text_of(in, "area"), text_of(in, "hotline_ref"),
			     text_of(in, "category"), text_of(in, "description"),
			     text_of(in, "address")};
	rc = refer(req, resp, &f, &id, &case_id, code, &answered);
	json_decref(in);
	if (answered || rc)
		return rc;
	return resp_json(resp, 201,
			 json_pack("{s:I,s:I,s:s}", "id", (json_int_t)id, "case_id",
				   (json_int_t)case_id, "tracking_code", code));
}

/* POST /region/referrals: the overview's form; back to the overview. */
static int form_refer(struct http_req *req, struct http_resp *resp)
{
	char code[TRACKING_CODE_LEN + 1] = "";
	int64_t id = 0, case_id = 0;
	int answered, rc;
	struct refer_in f = {req_form(req, "area"), req_form(req, "hotline_ref"),
			     req_form(req, "category"), req_form(req, "description"),
			     req_form(req, "address")};

	rc = refer(req, resp, &f, &id, &case_id, code, &answered);
	if (answered || rc)
		return rc;
	return resp_redirect(req, resp, "/region#referrals");
}

/* POST /api/v1/region/referrals/:id/answer {action: return|reply, text}:
 * the area's committee answers what the street handed it. */
static int api_answer(struct http_req *req, struct http_resp *resp)
{
	const char *err, *action;
	json_t *in = req_json(req, &err);
	int64_t id = 0;
	int rc, returned;

	if (!in)
		return resp_error(req, resp, 400, "bad_request", err);
	action = text_of(in, "action");
	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id)) {
		json_decref(in);
		return resp_error(req, resp, 404, "not_found", "region.no_referral");
	}
	if (strcmp(action, "return") && strcmp(action, "reply")) {
		json_decref(in);
		return resp_error(req, resp, 422, "invalid", "region.action_bad");
	}
	returned = !strcmp(action, "return"); /* action lives in in */
	rc = region_referral_answer(req->db, &req->sess, id, returned, text_of(in, "text"));
	json_decref(in);
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", "region.answer_bad");
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "region.no_referral");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict", "region.answered");
	if (rc)
		return rc;
	return resp_json(resp, 200,
			 json_pack("{s:I,s:s}", "id", (json_int_t)id, "state",
				   returned ? "returned" : "replied"));
}

static const struct route region_routes[] = {
    {"GET", "/region", overview_page, PERM_REGION_READ, 0, NULL, 0},
    {"POST", "/region/enter", enter, PERM_REGION_READ, ROUTE_READ_ONLY_OK, NULL, 0},
    {"GET", "/region/report", rollup_page, PERM_REGION_READ, 0, NULL, 0},
    {"GET", "/region/report.xlsx", rollup_xlsx, PERM_REGION_READ, 0, NULL, 0},
    {"GET", "/api/v1/region/areas", api_areas, PERM_REGION_READ, 0, NULL, 0},
    {"GET", "/api/v1/region/referrals", api_referrals, PERM_REGION_REFER, 0, NULL, 0},
    {"POST", "/api/v1/region/referrals", api_refer, PERM_REGION_REFER, ROUTE_READ_ONLY_OK, NULL, 0},
    {"POST", "/api/v1/region/referrals/:id/answer", api_answer, PERM_REGION_REFER, 0, NULL, 0},
    {"POST", "/region/referrals", form_refer, PERM_REGION_REFER, ROUTE_READ_ONLY_OK, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

int region_add_routes(struct router *r)
{
	return router_add(r, region_routes);
}

const struct nav_item region_nav[] = {
    {"/region", "nav.region", PERM_REGION_READ},
    {NULL, NULL, 0},
};
