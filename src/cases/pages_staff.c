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

/* The query keys the queue reads, in the order its links write them. */
static const char *const queue_keys[] = {
    "status", "state", "category_id", "compound_id", "handler_team_id", "overdue", "from",
    "to",     "sort",  "per_page",    NULL};

/* queue_href: /cases with the request's filters, key set to value (or
 * left out when value is NULL) and no page number, so tabs and pages keep
 * the other filters. */
static const char *queue_href(struct http_req *req, const char *key, const char *value)
{
	struct buf b;
	const char *out;

	buf_init(&b, 2048);
	buf_adds(&b, "/cases");
	for (int k = 0; queue_keys[k]; k++) {
		const char *v = strcmp(queue_keys[k], key) ? req_query(req, queue_keys[k]) : value;
		if (!v || !*v)
			continue;
		buf_addf(&b, "%c%s=", b.len > 6 ? '&' : '?', queue_keys[k]);
		url_encode(&b, v);
	}
	out = arena_printf(req->arena, "%s", b.failed ? "/cases" : b.buf);
	buf_release(&b);
	return out;
}

/* queue_chips: each state's count and the overdue count, as links. */
static void queue_chips(struct http_req *req, struct html *h, json_t *counts)
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

/* queue_filters: the filters in a panel that folds away (a <details>,
 * open when a filter other than the open/closed tabs is in use), so on a
 * phone the list starts at the top of the screen. */
static void queue_filters(struct http_req *req, struct html *h, const struct case_filter *f,
			  json_t *cats, json_t *counts)
{
	static const char *const states[] = {"submitted", "accepted", "assigned", "in_progress",
					     "referred",  "resolved", "closed",	  "rejected",
					     "duplicate", "reopened", NULL};
	static const char *const sorts[] = {"created", "oldest", "updated", "due", NULL};
	int active = (f->state && *f->state) || f->category_id || f->compound_id ||
		     f->handler_team_id || f->overdue || f->from || f->to || (f->sort && *f->sort);
	size_t i;
	json_t *c;

	html_printf(h, "<details class=\"filters-panel\"%R><summary>%T%R</summary>",
		    active ? " open" : "", "case.filters",
		    active ? arena_printf(req->arena, " <span class=\"badge\">%s</span>",
					  req_t(req, "case.filters_on"))
			   : "");
	queue_chips(req, h, counts);
	html_printf(
	    h, "<form method=\"get\" action=\"/cases\" class=\"search filters\" role=\"search\">");
	if (f->status && !(f->state && *f->state))
		html_printf(h, "<input type=\"hidden\" name=\"status\" value=\"%s\">", f->status);
	else if (!f->status)
		html_printf(h, "<input type=\"hidden\" name=\"status\" value=\"all\">");
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
	cases_options(req, h, "compounds", NULL, f->compound_id, 0);
	html_printf(
	    h,
	    "</select><select name=\"handler_team_id\" aria-label=\"%T\"><option value=\"\">%T: "
	    "%T</option>",
	    "case.field.handler", "case.field.handler", "common.all");
	cases_options(req, h, "teams", NULL, f->handler_team_id, 0);
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
		    "<button type=\"submit\">%T</button></form></details>",
		    f->overdue ? " checked" : "", "case.overdue_only", "case.from",
		    req_query(req, "from") ? req_query(req, "from") : "", "case.to",
		    req_query(req, "to") ? req_query(req, "to") : "", "common.search");
}

/* queue_tabs: open / closed / all, each with its count, the current one
 * marked; then the states' and the overdue counts as chips. */
static void queue_counts(struct http_req *req, struct html *h, const struct case_filter *f,
			 json_t *counts)
{
	static const char *const tabs[] = {"open", "closed", "all", NULL};
	const char *state;
	int64_t n_open = 0, n_closed = 0;
	enum case_state s;
	json_t *n;

	json_object_foreach (json_object_get(counts, "by_state"), state, n) {
		if (case_state_from_name(state, &s))
			continue;
		*(case_state_open(s) ? &n_open : &n_closed) += (int64_t)json_integer_value(n);
	}
	html_printf(h, "<nav class=\"tabs\" aria-label=\"%T\">", "case.status");
	for (int k = 0; tabs[k]; k++) {
		const char *now = f->state && *f->state ? "" : f->status ? f->status : "all";
		int64_t count = k == 0 ? n_open : k == 1 ? n_closed : n_open + n_closed;
		html_printf(h, "<a href=\"%s\"%R>%T <b>%l</b></a>",
			    queue_href(req, "status", tabs[k]),
			    strcmp(now, tabs[k]) ? "" : " aria-current=\"page\"",
			    arena_printf(req->arena, "case.status.%s", tabs[k]), count);
	}
	html_printf(h, "</nav>");
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

/* summary_text: the first line of the description, at most max code
 * points, with "…" when cut. */
static const char *summary_text(struct http_req *req, const char *text, size_t max)
{
	size_t at = 0, chars = 0, len = text ? strlen(text) : 0;
	uint32_t cp;

	while (at < len && text[at] != '\n' && chars < max) {
		size_t step = utf8_decode(text + at, len - at, &cp);
		if (!step)
			break;
		at += step;
		chars++;
	}
	return arena_printf(req->arena, "%.*s%s", (int)at, text ? text : "",
			    at < len && text[at] != '\n' ? "…" : "");
}

/* age_text: how long ago t was, as a reader counts it ("3 天", "5 小时"). */
static const char *age_text(struct http_req *req, int64_t t, int64_t now)
{
	int64_t s = now > t ? now - t : 0;
	if (s < 60)
		return req_t(req, "case.age.now");
	const char *key = s >= 86400  ? "case.age.days"
			  : s >= 3600 ? "case.age.hours"
				      : "case.age.minutes";
	int64_t n = s >= 86400 ? s / 86400 : s >= 3600 ? s / 3600 : s / 60;
	return arena_printf(req->arena, req_t(req, key), (long long)n);
}

/* handler_text: the handling team, marked a suggestion while nobody has
 * assigned the case (the category's default). */
static const char *handler_text(struct http_req *req, json_t *c)
{
	const char *team = json_string_value(json_object_get(c, "handler_team"));
	const char *state = json_string_value(json_object_get(c, "state"));

	if (!team)
		return "—";
	if (state && (!strcmp(state, "submitted") || !strcmp(state, "accepted")))
		return arena_printf(req->arena, "%s%s", req_t(req, "case.suggested_prefix"), team);
	return team;
}

/* queue_row writes one case of the queue as a table row (with its
 * checkbox when bulk assignment is offered). On a phone the row folds to
 * two lines: the summary with the state, then category, age and place. */
static void queue_row(struct http_req *req, struct html *h, json_t *c, int bulk, int64_t now)
{
	int64_t id = (int64_t)json_integer_value(json_object_get(c, "id"));
	int64_t created_at = (int64_t)json_integer_value(json_object_get(c, "created_at"));
	int overdue = json_is_true(json_object_get(c, "overdue"));
	char created[32], due[32];
	cases_format_time(created_at, created, sizeof(created));
	cases_format_time(json_integer_value(json_object_get(c, "resolve_due")), due, sizeof(due));
	due[10] = '\0'; /* the day: deadlines end at 23:59 */
	html_printf(h, "<tr%R>", overdue ? " class=\"is-overdue\"" : "");
	if (bulk)
		html_printf(h,
			    "<td class=\"sel\"><input type=\"checkbox\" name=\"id\" "
			    "value=\"%l\" "
			    "aria-label=\"%T %l\"></td>",
			    id, "case.select", id);
	html_printf(
	    h,
	    "<td class=\"summary\" data-label=\"%T\"><a href=\"/cases/%l\"><span "
	    "class=\"num\">#%l</span> %s</a>%R</td>",
	    "case.field.summary", id, id,
	    summary_text(req, json_string_value(json_object_get(c, "description")), 40),
	    json_integer_value(json_object_get(c, "recurrences"))
		? arena_printf(req->arena, " <span class=\"badge\">×%lld</span>",
			       (long long)json_integer_value(json_object_get(c, "recurrences")) + 1)
		: "");
	html_printf(h, "<td class=\"st\" data-label=\"%T\">", "case.field.state");
	state_badge(req, h, json_string_value(json_object_get(c, "state")));
	html_printf(h, "</td><td class=\"cat\" data-label=\"%T\">%s</td>", "case.field.category",
		    json_string_value(json_object_get(c, strcmp(req->lang, "en") ? "category_zh"
										 : "category_en")));
	html_printf(h, "<td class=\"age\" data-label=\"%T\"><time datetime=\"%s\">%s</time></td>",
		    "case.field.age", created, age_text(req, created_at, now));
	html_printf(h, "<td class=\"place\" data-label=\"%T\">", "case.field.place");
	place_text(req, h, c);
	html_printf(h,
		    "</td><td class=\"due\" data-label=\"%T\">%s%R</td>"
		    "<td class=\"handler\" data-label=\"%T\">%s</td></tr>",
		    "case.field.resolve_due", due,
		    overdue ? arena_printf(req->arena, " <span class=\"overdue\">%s</span>",
					   req_t(req, "case.overdue"))
			    : "",
		    "case.field.handler", handler_text(req, c));
}

/* queue_pager links the pages before and after this one, when there are,
 * keeping the filters. */
static void queue_pager(struct http_req *req, struct html *h, const struct case_filter *f,
			int64_t total)
{
	if (total <= f->per_page * f->page && f->page <= 1)
		return;
	const char *base = queue_href(req, "page", NULL);
	const char *sep = strchr(base, '?') ? "&" : "?";
	html_printf(h, "<nav class=\"pager\">");
	if (f->page > 1)
		html_printf(h, "<a href=\"%s%spage=%l\">%T</a>", base, sep, f->page - 1,
			    "common.prev");
	if (total > f->per_page * f->page)
		html_printf(h, "<a href=\"%s%spage=%l\">%T</a>", base, sep, f->page + 1,
			    "common.next");
	html_printf(h, "</nav>");
}

static int queue_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct case_filter f;
	json_t *items = NULL, *counts = NULL, *cats = NULL, *c;
	int64_t total = 0, now = (int64_t)time(NULL);
	size_t i;
	int rc;

	/* The page opens on the cases still to be worked; status=all or a
	 * state shows the others (the API lists all unless asked). */
	rc = cases_queue_load(req, &f, &items, &total, &counts, "open");
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
	queue_counts(req, &h, &f, counts);
	queue_filters(req, &h, &f, cats, counts);
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
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th>"
		    "</tr></thead><tbody>",
		    bulk ? arena_printf(req->arena, "<th><span class=\"sr\">%s</span></th>",
					req_t(req, "case.select"))
			 : "",
		    "case.field.summary", "case.field.state", "case.field.category",
		    "case.field.age", "case.field.place", "case.field.resolve_due",
		    "case.field.handler");
		json_array_foreach (items, i, c)
			queue_row(req, &h, c, bulk, now);
		html_printf(&h, "</tbody></table></div>");
		if (bulk) {
			html_printf(
			    &h,
			    "<div class=\"bulk\"><label>%T <select name=\"handler_team_id\" "
			    "required>"
			    "<option value=\"\">—</option>",
			    "case.bulk_assign");
			cases_options(req, &h, "teams", NULL, 0, 0);
			html_printf(
			    &h, "</select></label><button type=\"submit\">%T</button></div></form>",
			    "case.assign_selected");
		}
	}
	queue_pager(req, &h, &f, total);
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
