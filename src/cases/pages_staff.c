/* The staff side: the queue (filters, sorting, counts, overdue first to
 * the eye, bulk assignment) and the case page (everything about one case,
 * the actions the reader's role may take from its state, notes, mediation
 * sessions, referrals, the timeline, possible duplicates, photos). */
#include "internal.h"
#include "photos.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/server.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *state_key(struct http_req *req, const char *state)
{
	return arena_printf(req->arena, "case.state.%s", state ? state : "submitted");
}

static void state_badge(struct http_req *req, struct html *h, const char *state)
{
	html_printf(h, "<span class=\"state state-%s\">%T</span>", state, state_key(req, state));
}

/* ---- the queue ---- */

static void queue_filters(struct http_req *req, struct html *h, const struct case_filter *f,
			  json_t *cats)
{
	static const char *const states[] = {"submitted", "accepted", "assigned", "in_progress",
					     "referred",  "resolved", "closed",	  "rejected",
					     "duplicate", "reopened", NULL};
	static const char *const sorts[] = {"created", "oldest", "updated", "due", NULL};
	size_t i;
	json_t *c;

	html_printf(
	    h, "<form method=\"get\" action=\"/cases\" class=\"search filters\" role=\"search\">");
	html_printf(h,
		    "<select name=\"state\" aria-label=\"%T\"><option value=\"\">%T: %T</option>",
		    "case.field.state", "case.field.state", "common.all");
	for (int k = 0; states[k]; k++)
		html_printf(h, "<option value=\"%s\"%R>%T</option>", states[k],
			    f->state && !strcmp(f->state, states[k]) ? " selected" : "",
			    state_key(req, states[k]));
	html_printf(
	    h,
	    "</select><select name=\"category_id\" aria-label=\"%T\"><option value=\"\">%T: %T"
	    "</option>",
	    "case.field.category", "case.field.category", "common.all");
	json_array_foreach (cats, i, c) {
		int64_t id = (int64_t)json_integer_value(json_object_get(c, "id"));
		html_printf(h, "<option value=\"%l\"%R>%s</option>", id,
			    id == f->category_id ? " selected" : "", cases_category_name(req, c));
	}
	html_printf(
	    h,
	    "</select><select name=\"compound_id\" aria-label=\"%T\"><option value=\"\">%T: %T"
	    "</option>",
	    "case.field.compound_id", "case.field.compound_id", "common.all");
	cases_options(req, h, "compounds", NULL, f->compound_id);
	html_printf(
	    h,
	    "</select><select name=\"handler_team_id\" aria-label=\"%T\"><option value=\"\">%T: "
	    "%T</option>",
	    "case.field.handler", "case.field.handler", "common.all");
	cases_options(req, h, "teams", NULL, f->handler_team_id);
	html_printf(h, "</select><select name=\"sort\" aria-label=\"%T\">", "case.sort");
	for (int k = 0; sorts[k]; k++)
		html_printf(h, "<option value=\"%s\"%R>%T</option>", sorts[k],
			    f->sort && !strcmp(f->sort, sorts[k]) ? " selected" : "",
			    arena_printf(req->arena, "case.sort.%s", sorts[k]));
	html_printf(h,
		    "</select><label class=\"check\"><input type=\"checkbox\" name=\"overdue\" "
		    "value=\"1\"%R> "
		    "%T</label><label>%T <input type=\"date\" name=\"from\" value=\"%s\"></label>"
		    "<label>%T <input type=\"date\" name=\"to\" value=\"%s\"></label>"
		    "<button type=\"submit\">%T</button></form>",
		    f->overdue ? " checked" : "", "case.overdue_only", "case.from",
		    req_query(req, "from") ? req_query(req, "from") : "", "case.to",
		    req_query(req, "to") ? req_query(req, "to") : "", "common.search");
}

static void queue_counts(struct http_req *req, struct html *h, json_t *counts)
{
	const char *state;
	json_t *n;

	html_printf(h, "<p class=\"chips\">");
	json_object_foreach (json_object_get(counts, "by_state"), state, n)
		html_printf(h, "<a class=\"chip\" href=\"/cases?state=%U\">%T <b>%l</b></a>", state,
			    state_key(req, state), (int64_t)json_integer_value(n));
	html_printf(h, "<a class=\"chip overdue\" href=\"/cases?overdue=1\">%T <b>%l</b></a></p>",
		    "case.overdue",
		    (int64_t)json_integer_value(json_object_get(counts, "overdue")));
}

static void place_text(struct http_req *req, struct html *h, json_t *c)
{
	const char *parts[] = {json_string_value(json_object_get(c, "compound")),
			       json_string_value(json_object_get(c, "building")),
			       json_string_value(json_object_get(c, "door")),
			       json_string_value(json_object_get(c, "address"))};
	int any = 0;

	(void)req;
	for (int i = 0; i < 4; i++)
		if (parts[i] && *parts[i]) {
			html_printf(h, "%s%s", any ? " " : "", parts[i]);
			any = 1;
		}
	if (!any)
		html_printf(h, "<span class=\"muted\">—</span>");
}

/* queue_row writes one case of the queue as a table row (with its
 * checkbox when bulk assignment is offered). */
static void queue_row(struct http_req *req, struct html *h, json_t *c, int bulk)
{
	int64_t id = (int64_t)json_integer_value(json_object_get(c, "id"));
	int overdue = json_is_true(json_object_get(c, "overdue"));
	char created[32], due[32];
	cases_format_time(json_integer_value(json_object_get(c, "created_at")), created,
			  sizeof(created));
	cases_format_time(json_integer_value(json_object_get(c, "resolve_due")), due, sizeof(due));
	html_printf(h, "<tr%R>", overdue ? " class=\"is-overdue\"" : "");
	if (bulk)
		html_printf(h,
			    "<td data-label=\"%T\"><input type=\"checkbox\" name=\"id\" "
			    "value=\"%l\" "
			    "aria-label=\"%T %l\"></td>",
			    "case.select", id, "case.select", id);
	html_printf(
	    h, "<td data-label=\"%T\"><a href=\"/cases/%l\">#%l %s</a>%R</td>",
	    "case.field.category", id, id,
	    json_string_value(
		json_object_get(c, strcmp(req->lang, "en") ? "category_zh" : "category_en")),
	    json_integer_value(json_object_get(c, "recurrences"))
		? arena_printf(req->arena, " <span class=\"badge\">×%lld</span>",
			       (long long)json_integer_value(json_object_get(c, "recurrences")) + 1)
		: "");
	html_printf(h, "<td data-label=\"%T\">", "case.field.state");
	state_badge(req, h, json_string_value(json_object_get(c, "state")));
	html_printf(h, "</td><td data-label=\"%T\">", "case.field.place");
	place_text(req, h, c);
	html_printf(h,
		    "</td><td data-label=\"%T\">%s</td><td data-label=\"%T\">%s%R</td>"
		    "<td data-label=\"%T\">%s</td></tr>",
		    "case.field.created_at", created, "case.field.resolve_due", due,
		    overdue ? arena_printf(req->arena, " <span class=\"overdue\">%s</span>",
					   req_t(req, "case.overdue"))
			    : "",
		    "case.field.handler",
		    json_string_value(json_object_get(c, "handler_team"))
			? json_string_value(json_object_get(c, "handler_team"))
			: "—");
}

/* queue_pager links the pages before and after this one, when there are. */
static void queue_pager(struct html *h, const struct case_filter *f, int64_t total)
{
	if (total <= f->per_page * f->page && f->page <= 1)
		return;
	html_printf(h, "<nav class=\"pager\">");
	if (f->page > 1)
		html_printf(h, "<a href=\"/cases?page=%l\">%T</a>", f->page - 1, "common.prev");
	if (total > f->per_page * f->page)
		html_printf(h, "<a href=\"/cases?page=%l\">%T</a>", f->page + 1, "common.next");
	html_printf(h, "</nav>");
}

static int queue_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct case_filter f;
	json_t *items = NULL, *counts = NULL, *cats = NULL, *c;
	int64_t total = 0;
	size_t i;
	int rc;

	rc = cases_queue_load(req, &f, &items, &total, &counts);
	if (rc == LIN_EINVAL) {
		json_decref(items);
		json_decref(counts);
		return resp_error(req, resp, 400, "invalid", "err.bad_query");
	}
	if (!rc)
		rc = case_categories(req->db, req->sess.area_id, 0, &cats);
	if (rc)
		goto out;
	page_begin(req, &h, req_t(req, "case.queue_title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1><div class=\"actions\">",
		    "case.queue_title");
	if (req_can(req, PERM_CASES_ADMIN))
		html_printf(&h, "<a class=\"button primary\" href=\"/cases/new\">%T</a>",
			    "case.new_call");
	if (req_can(req, PERM_CASES_ADMIN))
		html_printf(&h, "<a class=\"button\" href=\"/case_categories\">%T</a>",
			    "case.categories_link");
	html_printf(&h,
		    "<a class=\"button\" href=\"/cases/stats\">%T</a><a class=\"button\" "
		    "href=\"/cases/map\">%T</a></div></div>",
		    "case.stats_link", "case.map_link");
	queue_counts(req, &h, counts);
	queue_filters(req, &h, &f, cats);
	html_printf(&h, "<p class=\"count\">%s</p>",
		    arena_printf(req->arena, req_t(req, "common.count_fmt"), (long long)total));
	if (!json_array_size(items)) {
		html_printf(&h, "<p class=\"empty\">%T</p>", "common.none");
	} else {
		int bulk = req_can(req, PERM_CASES_ADMIN);
		if (bulk) {
			html_printf(&h, "<form method=\"post\" action=\"/cases/bulk-assign\">");
			page_csrf_field(req, &h);
		}
		html_printf(
		    &h,
		    "<div class=\"table-wrap\"><table class=\"rows cases\"><thead><tr>%R"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></"
		    "thead>"
		    "<tbody>",
		    bulk ? arena_printf(req->arena, "<th><span class=\"sr\">%s</span></th>",
					req_t(req, "case.select"))
			 : "",
		    "case.field.category", "case.field.state", "case.field.place",
		    "case.field.created_at", "case.field.resolve_due", "case.field.handler");
		json_array_foreach (items, i, c)
			queue_row(req, &h, c, bulk);
		html_printf(&h, "</tbody></table></div>");
		if (bulk) {
			html_printf(
			    &h,
			    "<div class=\"bulk\"><label>%T <select name=\"handler_team_id\" "
			    "required>"
			    "<option value=\"\">—</option>",
			    "case.bulk_assign");
			cases_options(req, &h, "teams", NULL, 0);
			html_printf(
			    &h, "</select></label><button type=\"submit\">%T</button></div></form>",
			    "case.assign_selected");
		}
	}
	queue_pager(&h, &f, total);
	page_end(req, &h);
	resp->status = 200;
out:
	json_decref(items);
	json_decref(counts);
	json_decref(cats);
	return rc;
}

static int bulk_assign_submit(struct http_req *req, struct http_resp *resp)
{
	struct case_act_args args;
	struct case_who who;
	const char *team = req_form(req, "handler_team_id"), *err_key;
	int done = 0, refused = 0;

	memset(&args, 0, sizeof(args));
	if (!team || parse_int64(team, 1, INT64_MAX, &args.handler_team_id))
		return resp_error(req, resp, 422, "invalid", "case.err.handler");
	cases_who(req, &who);
	for (int i = 0, n = 0; i < req->nform; i++)
		if (!strcmp(req->form[i].name, "id") && ++n > CASES_BULK_MAX)
			return resp_error(req, resp, 422, "invalid", "case.err.ids_many");
	for (int i = 0; i < req->nform; i++) {
		int64_t id;
		if (strcmp(req->form[i].name, "id") ||
		    parse_int64(req->form[i].value, 1, INT64_MAX, &id))
			continue;
		if (case_act(req->db, req->sess.area_id, id, ACT_ASSIGN, &who, &args, &err_key))
			refused++;
		else
			done++;
	}
	return resp_redirect(
	    req, resp, arena_printf(req->arena, "/cases?assigned=%d&refused=%d", done, refused));
}

int cases_queue_routes(struct router *r)
{
	const struct route routes[] = {
	    {"GET", "/cases", queue_page, PERM_CASES_READ, 0, NULL, 0},
	    {"POST", "/cases/bulk-assign", bulk_assign_submit, PERM_CASES_ADMIN, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
