/* The handlers' inbox: messages about cases for a user, or for a team the
 * user belongs to (through the resident the account is linked to). */
#include "internal.h"
#include "store.h"
#include "../base/timeutil.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* inbox_items: the reader's messages with their text in the reader's
 * language. */
static int inbox_items(struct http_req *req, json_t **out, int64_t *unread)
{
	size_t i;
	json_t *m;
	int rc = case_inbox(req->db, req->sess.area_id, req->sess.user_id, out, unread);

	json_array_foreach (*out, i, m) {
		/* "key|details": the key's text in the reader's language, then
		 * the details as written (a missed duty shift names the shift
		 * and who is not there). */
		const char *key = json_string_value(json_object_get(m, "message_key"));
		const char *bar = key ? strchr(key, '|') : NULL;
		const char *text =
		    bar ? arena_printf(
			      req->arena, "%s %s",
			      req_t(req, arena_printf(req->arena, "%.*s", (int)(bar - key), key)),
			      bar + 1)
			: req_t(req, key);
		json_object_set_new(m, "message", json_string(text));
	}
	return rc;
}

/* mark_read marks one message (id > 0) or all of the reader's as read. */
static int mark_read(struct http_req *req, int64_t id)
{
	return case_inbox_read(req->db, req->sess.area_id, req->sess.user_id, id,
			       (int64_t)time(NULL));
}

static int api_inbox(struct http_req *req, struct http_resp *resp)
{
	json_t *items = NULL;
	int64_t unread;
	int rc = inbox_items(req, &items, &unread);

	if (rc) {
		json_decref(items);
		return rc;
	}
	return resp_json(resp, 200,
			 json_pack("{s:o,s:I}", "items", items, "unread", (json_int_t)unread));
}

static int api_inbox_read(struct http_req *req, struct http_resp *resp)
{
	int64_t id = 0;
	const char *p = req_param(req, 0);
	int rc;

	if (p && strcmp(p, "all") && parse_int64(p, 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = mark_read(req, id);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

#define INBOX_TODO_MAX 100 /* own open cases listed on the inbox page */

/* todo_list: the reader's own open cases, soonest deadline first, with
 * what makes each urgent: overdue, due today, or its deadline. */
static int todo_list(struct http_req *req, struct html *h)
{
	struct case_filter f = {
	    .mine = req->sess.user_id, .sort = "due", .page = 1, .per_page = INBOX_TODO_MAX};
	int64_t now = (int64_t)time(NULL), total = 0, today_end;
	json_t *items = NULL, *c;
	size_t i;
	int rc;

	if (!req->sess.user_id)
		return 0;
	f.public_only = !cases_private_ok(req);
	rc = case_list(req->db, req->sess.area_id, &f, now, &items, &total);
	if (rc) {
		json_decref(items);
		return rc;
	}
	today_end = ((now + LIN_SHANGHAI_OFFSET) / 86400 + 1) * 86400 - LIN_SHANGHAI_OFFSET;
	html_printf(h,
		    "<section class=\"todo\" aria-labelledby=\"todo-h\"><h2 id=\"todo-h\">%T "
		    "<small>(%l)</small></h2>",
		    "case.todo", total);
	if (!total)
		html_printf(h, "<p class=\"empty\">%T</p>", "case.todo_empty");
	html_printf(h, "<ul class=\"rows\">");
	json_array_foreach (items, i, c) {
		int awaiting = 0;
		enum case_state st;
		int64_t due;
		char when[32];
		const char *state = json_string_value(json_object_get(c, "state"));
		if (!case_state_from_name(state, &st))
			awaiting = case_state_awaits_acceptance(st);
		due =
		    json_integer_value(json_object_get(c, awaiting ? "accept_due" : "resolve_due"));
		cases_format_time(due, when, sizeof(when));
		html_printf(
		    h,
		    "<li><a href=\"/cases/%l\"><span class=\"line\"><b>#%l %s</b> "
		    "<span class=\"state state-%s\">%T</span>%R</span>"
		    "<span class=\"summary\">%s</span><span class=\"muted\">%T %s</span></a></li>",
		    (int64_t)json_integer_value(json_object_get(c, "id")),
		    (int64_t)json_integer_value(json_object_get(c, "id")),
		    json_string_value(json_object_get(c, strcmp(req->lang, "en") ? "category_zh"
										 : "category_en")),
		    state, arena_printf(req->arena, "case.state.%s", state),
		    json_is_true(json_object_get(c, "overdue"))
			? arena_printf(req->arena, " <span class=\"overdue\">%s</span>",
				       req_t(req, "case.overdue"))
		    : due < today_end ? arena_printf(req->arena, " <span class=\"badge\">%s</span>",
						     req_t(req, "case.due_today"))
				      : "",
		    html_excerpt(req->arena, json_string_value(json_object_get(c, "description")),
				 60),
		    awaiting ? "case.accept_due" : "case.resolve_due", when);
	}
	html_printf(h, "</ul>");
	if (total > INBOX_TODO_MAX)
		html_printf(h, "<p><a href=\"/cases?mine=1\">%T</a></p>", "case.todo_all");
	html_printf(h, "</section>");
	json_decref(items);
	return 0;
}

static int inbox_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *items = NULL, *it;
	int64_t unread;
	size_t i;
	int rc = inbox_items(req, &items, &unread);

	if (rc) {
		json_decref(items);
		return rc;
	}
	page_begin(req, &h, req_t(req, "case.inbox"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1>", "case.inbox");
	if (unread) {
		html_printf(&h, "<form method=\"post\" action=\"/inbox/all/read\">");
		page_csrf_field(req, &h);
		html_printf(&h, "<button type=\"submit\">%T</button></form>",
			    "case.inbox_all_read");
	}
	html_printf(&h, "</div>");
	rc = todo_list(req, &h);
	if (rc) {
		json_decref(items);
		return rc;
	}
	html_printf(&h, "<h2>%T <small>(%l)</small></h2>", "case.messages", unread);
	if (!json_array_size(items))
		html_printf(&h, "<p class=\"empty\">%T</p>", "case.inbox_empty");
	html_printf(&h, "<ul class=\"inbox\">");
	json_array_foreach (items, i, it) {
		char when[32];
		cases_format_time(json_integer_value(json_object_get(it, "at")), when,
				  sizeof(when));
		int64_t case_id = (int64_t)json_integer_value(json_object_get(it, "case_id"));
		html_printf(&h, "<li%R><time>%s</time> ",
			    json_is_true(json_object_get(it, "read")) ? "" : " class=\"unread\"",
			    when);
		/* A message about no case (a missed duty shift) links nowhere. */
		if (case_id)
			html_printf(&h, "<a href=\"/cases/%l\">#%l</a> ", case_id, case_id);
		html_printf(&h, "%s</li>", json_string_value(json_object_get(it, "message")));
	}
	html_printf(&h, "</ul>");
	page_end(req, &h);
	json_decref(items);
	resp->status = 200;
	return 0;
}

static int inbox_read_submit(struct http_req *req, struct http_resp *resp)
{
	if (mark_read(req, 0))
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_redirect(req, resp, "/inbox");
}

int cases_inbox_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/inbox", inbox_page, PERM_CASES_WORK, 0, NULL, 0},
	    {"POST", "/inbox/all/read", inbox_read_submit, PERM_CASES_WORK, 0, NULL, 0},
	    {"GET", "/api/v1/inbox", api_inbox, PERM_CASES_WORK, 0, NULL, 0},
	    {"POST", "/api/v1/inbox/:id/read", api_inbox_read, PERM_CASES_WORK, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
