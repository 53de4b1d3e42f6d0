/* The events' pages: the public list and an event's page with the
 * registration form (a phone, no account needed), the ticket with its QR
 * code (cancel, feedback after the event), staff's check-in on a phone
 * (scan opens the page with the code filled in, or type it) and
 * walk-ins. The race's pages are in pages_race.c. */
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const struct nav_item events_nav[] = {
    {"/events", "nav.events", PERM_PUBLIC},
    {NULL, NULL, 0},
};

void events_page_begin(struct http_req *req, struct http_resp *resp, struct html *h,
		       const char *title)
{
	h->out = &resp->body;
	h->lang = req->lang;
	page_begin(req, h, title);
}

int events_page_end(struct http_req *req, struct http_resp *resp, struct html *h, int status)
{
	page_end(req, h);
	resp->status = status;
	return 0;
}

/* events_when: "2026-12-06 14:00" in Shanghai time (UTC+8, no DST). */
const char *events_when(struct http_req *req, int64_t t)
{
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;
	char out[24];

	gmtime_r(&local, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(req->arena, out);
}

static const char *kind_key(struct http_req *req, const char *prefix, const char *v)
{
	return arena_printf(req->arena, "%s%s", prefix, v);
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int64_t jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* one_event: the public row of event id, or NULL. The caller decrefs. */
static json_t *one_event(struct http_req *req, int64_t area, int64_t id)
{
	json_t *rows = NULL, *row, *found = NULL;
	size_t i;

	if (events_list_json(req->db, area, -1, &rows) == 0)
		json_array_foreach (rows, i, row)
			if (jint(row, "id") == id)
				found = json_incref(row);
	json_decref(rows);
	return found;
}

/* places: "12 / 30" and, when full, the wait list's length. */
static void places(struct http_req *req, struct html *h, json_t *e, int label)
{
	int64_t cap = jint(e, "capacity"), reg = jint(e, "registered");

	html_printf(h, "<span class=\"ev-places%s\">%s%l / %l</span>", reg >= cap ? " full" : "",
		    label ? arena_printf(req->arena, "%s ", req_t(req, "events.places")) : "", reg,
		    cap);
	if (jint(e, "waiting"))
		html_printf(h, " <span class=\"badge\">%T %l</span>", "events.waiting",
			    jint(e, "waiting"));
}

static int list_page(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, now = (int64_t)time(NULL);
	json_t *rows = NULL, *e;
	struct html h;
	size_t i;
	int shown = 0;

	if (events_area(req, &area) || events_list_json(req->db, area, 0, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	events_page_begin(req, resp, &h, req_t(req, "events.title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1>", "events.title");
	if (req_can(req, PERM_EVENTS_WRITE))
		html_printf(&h,
			    "<p class=\"actions no-print\"><a class=\"button\" "
			    "href=\"/api/v1/events\">%T</a></p>",
			    "events.api");
	html_printf(&h, "</div><ul class=\"ev-list\">");
	json_array_foreach (rows, i, e) {
		int64_t ends = jint(e, "ends_at");
		if (ends < now - 30 * 86400 && !req_can(req, PERM_EVENTS_CHECKIN))
			continue; /* a month of the past for residents */
		shown++;
		html_printf(&h,
			    "<li class=\"card ev-card%s\"><p class=\"muted\">%T · %s</p>"
			    "<h2><a href=\"/events/%l\">%s</a></h2><p>%s · %s</p><p>",
			    ends < now ? " past" : "",
			    kind_key(req, "events.kind.", jstr(e, "kind")),
			    jstr(e, "organiser_name")[0] ? jstr(e, "organiser_name")
							 : req_t(req, "events.committee"),
			    jint(e, "id"), jstr(e, "title"), events_when(req, jint(e, "starts_at")),
			    jstr(e, "place"));
		places(req, &h, e, 1);
		if (jint(e, "cancelled"))
			html_printf(&h, " <span class=\"badge\">%T</span>", "events.cancelled");
		html_printf(&h, "</p></li>");
	}
	html_printf(&h, "</ul>");
	if (!shown)
		html_printf(&h, "<p class=\"empty\">%T</p>", "events.none");
	json_decref(rows);
	return events_page_end(req, resp, &h, 200);
}

static void register_form(struct http_req *req, struct html *h, json_t *e, const char *err)
{
	int children = !strcmp(jstr(e, "audience"), "children");

	html_printf(h,
		    "<form method=\"post\" action=\"/events/%l/register\" class=\"card narrow "
		    "stack\" id=\"register\"><h2>%T</h2>",
		    jint(e, "id"), "events.register");
	if (err)
		html_printf(h, "<p class=\"error\" role=\"alert\">%T</p>", err);
	page_csrf_field(req, h);
	if (req->sess.kind == AUTH_COOKIE)
		html_printf(h, "<p class=\"hint\">%T</p>", "events.as_account");
	html_printf(h,
		    "<label>%T <input name=\"name\" autocomplete=\"name\" maxlength=\"60\" "
		    "required value=\"%s\"></label>",
		    children ? "events.guardian_name" : "events.name",
		    req_form(req, "name") ? req_form(req, "name") : "");
	if (req->sess.kind != AUTH_COOKIE)
		html_printf(h,
			    "<label>%T <input name=\"phone\" type=\"tel\" inputmode=\"tel\" "
			    "autocomplete=\"tel\" maxlength=\"20\" required value=\"%s\"></label>"
			    "<p class=\"hint\">%T</p>",
			    "events.phone", req_form(req, "phone") ? req_form(req, "phone") : "",
			    "events.phone_hint");
	html_printf(h, "<fieldset><legend>%T</legend><p class=\"hint\">%T</p>", "events.children",
		    children ? "events.children_need" : "events.children_hint");
	for (int i = 0; i < 2; i++)
		html_printf(h,
			    "<label>%T %d <input name=\"child\" maxlength=\"60\" "
			    "autocomplete=\"off\"></label>",
			    "events.child", i + 1);
	html_printf(h, "</fieldset><button class=\"primary big\">%T</button></form>",
		    "events.register_now");
}

static int event_page(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0), now = (int64_t)time(NULL);
	json_t *e;
	struct html h;

	if (events_area(req, &area) || !(e = one_event(req, area, id)))
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	events_page_begin(req, resp, &h, jstr(e, "title"));
	html_printf(
	    &h,
	    "<p class=\"crumbs\"><a href=\"/events\">%T</a></p><h1>%s</h1>"
	    "<p class=\"muted\">%T · %T</p><dl class=\"ev-facts\"><dt>%T</dt><dd>%s – %s"
	    "</dd><dt>%T</dt><dd>%s</dd><dt>%T</dt><dd>",
	    "events.title", jstr(e, "title"), kind_key(req, "events.kind.", jstr(e, "kind")),
	    kind_key(req, "events.audience.", jstr(e, "audience")), "events.when",
	    events_when(req, jint(e, "starts_at")), events_when(req, jint(e, "ends_at")) + 11,
	    "events.place", jstr(e, "place"), "events.places");
	places(req, &h, e, 0);
	html_printf(&h, "</dd><dt>%T</dt><dd>%s – %s</dd></dl>", "events.window",
		    events_when(req, jint(e, "opens_at")), events_when(req, jint(e, "closes_at")));
	if (jstr(e, "detail")[0])
		html_printf(&h, "<p>%s</p>", jstr(e, "detail"));
	html_printf(&h, "<p class=\"actions\">");
	if (!strcmp(jstr(e, "kind"), "race"))
		html_printf(&h, "<a class=\"button\" href=\"/events/%l/race\">%T</a>", id,
			    "events.race.results");
	if (req_can(req, PERM_EVENTS_CHECKIN))
		html_printf(&h, "<a class=\"button\" href=\"/events/%l/checkin\">%T</a>", id,
			    "events.checkin");
	html_printf(&h, "</p>");
	if (jint(e, "cancelled"))
		html_printf(&h, "<p class=\"notice\">%T</p>", "events.cancelled");
	else if (now < jint(e, "opens_at"))
		html_printf(&h, "<p class=\"notice\">%T %s</p>", "events.opens",
			    events_when(req, jint(e, "opens_at")));
	else if (now >= jint(e, "closes_at"))
		html_printf(&h, "<p class=\"notice\">%T</p>", "events.err.closed");
	else {
		if (jint(e, "registered") >= jint(e, "capacity"))
			html_printf(&h, "<p class=\"notice\">%T</p>", "events.full_wait");
		register_form(req, &h, e, NULL);
	}
	json_decref(e);
	return events_page_end(req, resp, &h, 200);
}

/* ticket: the registration with code, its status, the QR staff scan. */
static void ticket(struct http_req *req, struct html *h, int64_t event_id, const char *code,
		   const char *status, int waiting)
{
	struct buf svg;
	const char *url = arena_printf(req->arena, "%s/events/%lld/checkin?code=%s",
				       req_origin(req), (long long)event_id, code);

	html_printf(h, "<section class=\"card ev-ticket\"><h2>%T</h2>",
		    kind_key(req, "events.status.", status));
	if (!strcmp(status, "waiting"))
		html_printf(h, "<p class=\"notice\">%T %d</p>", "events.waiting_at", waiting);
	if (!strcmp(status, "confirmed") || !strcmp(status, "walk_in")) {
		buf_init(&svg, BUF_DEFAULT_MAX);
		qr_svg(&svg, url, req_t(req, "events.qr_label"));
		html_printf(h, "<div class=\"ev-qr\">%R</div>", svg.buf);
		buf_release(&svg);
	}
	html_printf(h,
		    "<p>%T <strong class=\"ev-code\">%s</strong></p><p class=\"hint\">%T</p>"
		    "<p><a href=\"/events/%l/ticket/%s\">%T</a></p></section>",
		    "events.code", code, "events.keep_code", event_id, code, "events.ticket_link");
}

static int register_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0);
	struct reg_in in = {0};
	struct reg_out out;
	const char *key = NULL;
	json_t *e;
	struct html h;
	int rc;

	if (events_area(req, &area) || !(e = one_event(req, area, id)))
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	in.user_id = req->sess.kind == AUTH_COOKIE ? req->sess.user_id : 0;
	in.name = req_form(req, "name");
	in.phone = req_form(req, "phone");
	for (int i = 0; i < req->nform; i++)
		if (!strcmp(req->form[i].name, "child") && req->form[i].value[0]) {
			if (in.nchildren == EVENT_CHILDREN_MAX) {
				in.nchildren = -1;
				break;
			}
			in.children[in.nchildren++] = req->form[i].value;
		}
	rc = event_register(req->db, &req->sess, area, id, &in, (int64_t)time(NULL), &out, &key);
	events_page_begin(req, resp, &h, jstr(e, "title"));
	html_printf(&h, "<p class=\"crumbs\"><a href=\"/events/%l\">%s</a></p>", id,
		    jstr(e, "title"));
	if (rc) {
		html_printf(&h, "<h1>%s</h1>", jstr(e, "title"));
		register_form(req, &h, e, key ? key : "err.internal");
		json_decref(e);
		return events_page_end(req, resp, &h, !key ? 500 : rc == LIN_ECONFLICT ? 409 : 422);
	}
	html_printf(&h, "<h1>%T</h1>", "events.registered");
	if (in.phone) {
		char masked[32];
		registry_phone_mask(in.phone, masked, sizeof(masked));
		html_printf(&h, "<p>%s · %s</p>", in.name, masked);
	}
	ticket(req, &h, id, out.code, out.status, out.waiting);
	json_decref(e);
	return events_page_end(req, resp, &h, 201);
}

/* The ticket page: anyone holding the code (it is the secret). */
static int ticket_page(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0), now = (int64_t)time(NULL);
	const char *code = req_param(req, 1);
	json_t *rows = NULL, *r, *mine = NULL, *e;
	struct html h;
	size_t i;
	int waiting = 0;

	if (events_area(req, &area) || !(e = one_event(req, area, id)))
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	if (event_attendees_json(req->db, area, id, 0, &rows) == 0)
		json_array_foreach (rows, i, r) {
			if (!strcmp(jstr(r, "status"), "waiting") &&
			    json_is_null(json_object_get(r, "guardian_id")))
				waiting++;
			if (!strcmp(jstr(r, "code"), code ? code : "") &&
			    json_is_null(json_object_get(r, "guardian_id"))) {
				mine = json_incref(r);
				break;
			}
		}
	json_decref(rows);
	if (!mine) {
		json_decref(e);
		return resp_error(req, resp, 404, "not_found", "events.err.code");
	}
	events_page_begin(req, resp, &h, jstr(e, "title"));
	html_printf(&h, "<p class=\"crumbs\"><a href=\"/events/%l\">%s</a></p><h1>%s</h1><p>%s</p>",
		    id, jstr(e, "title"), jstr(e, "title"), events_when(req, jint(e, "starts_at")));
	ticket(req, &h, id, code, jstr(mine, "status"), waiting);
	if (!strcmp(jstr(mine, "status"), "confirmed") ||
	    !strcmp(jstr(mine, "status"), "waiting")) {
		if (now < jint(e, "starts_at")) {
			html_printf(&h,
				    "<form method=\"post\" action=\"/events/%l/cancel\" "
				    "class=\"card narrow\">",
				    id);
			page_csrf_field(req, &h);
			html_printf(&h,
				    "<input type=\"hidden\" name=\"code\" value=\"%s\"><button>%T"
				    "</button></form>",
				    code, "events.cancel");
		}
	}
	if (json_is_true(json_object_get(mine, "checked_in")) && now >= jint(e, "ends_at")) {
		html_printf(&h,
			    "<form method=\"post\" action=\"/events/%l/feedback\" class=\"card "
			    "narrow stack\"><h2>%T</h2>",
			    id, "events.feedback");
		page_csrf_field(req, &h);
		html_printf(&h,
			    "<input type=\"hidden\" name=\"code\" value=\"%s\"><fieldset "
			    "class=\"ev-stars\"><legend>%T</legend>",
			    code, "events.rating");
		for (int s = 1; s <= 5; s++)
			html_printf(&h,
				    "<label><input type=\"radio\" name=\"rating\" value=\"%d\"%s "
				    "required> %d</label>",
				    s, jint(mine, "rating") == s ? " checked" : "", s);
		html_printf(&h,
			    "</fieldset><label>%T <textarea name=\"comment\" maxlength=\"2000\">%s"
			    "</textarea></label><button class=\"primary\">%T</button></form>",
			    "events.comment", jstr(mine, "comment"), "events.send");
	}
	json_decref(mine);
	json_decref(e);
	return events_page_end(req, resp, &h, 200);
}

static int cancel_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0);
	const char *key = NULL;
	int promoted = 0, rc;
	struct html h;

	rc = events_area(req, &area);
	if (!rc)
		rc = event_cancel(req->db, &req->sess, area, id, req_form(req, "code"), 0,
				  (int64_t)time(NULL), &promoted, &key);
	if (rc)
		return events_refuse(req, resp, rc, key);
	events_page_begin(req, resp, &h, req_t(req, "events.cancelled_yours"));
	html_printf(&h,
		    "<h1>%T</h1><p class=\"notice\" role=\"status\">%T</p><p><a class=\"button\" "
		    "href=\"/events/%l\">%T</a></p>",
		    "events.cancelled_yours", "events.cancelled_hint", id, "events.back");
	return events_page_end(req, resp, &h, 200);
}

static int feedback_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0);
	const char *key = NULL, *r = req_form(req, "rating");
	int rc, rating = (r && r[0] >= '1' && r[0] <= '5' && !r[1]) ? r[0] - '0' : 0;
	struct html h;

	rc = events_area(req, &area);
	if (!rc)
		rc = event_feedback(req->db, area, id, req_form(req, "code"), rating,
				    req_form(req, "comment"), (int64_t)time(NULL), &key);
	if (rc)
		return events_refuse(req, resp, rc, key);
	events_page_begin(req, resp, &h, req_t(req, "events.feedback"));
	html_printf(&h, "<h1>%T</h1><p class=\"notice\" role=\"status\">%T</p>", "events.feedback",
		    "events.thanks");
	return events_page_end(req, resp, &h, 200);
}

/* ------------------------------------------------------------ check-in */

static void checkin_body(struct http_req *req, struct html *h, const struct event_row *e,
			 const char *code)
{
	struct events_stats st;
	json_t *rows = NULL, *r;
	size_t i;
	int confirmed = 0, in = 0, walk = 0;

	if (event_attendees_json(req->db, req->sess.area_id, e->id, req_can(req, PERM_SEE_PHONE),
				 &rows) == 0)
		json_array_foreach (rows, i, r) {
			confirmed += !strcmp(jstr(r, "status"), "confirmed");
			in += json_is_true(json_object_get(r, "checked_in"));
			walk += !strcmp(jstr(r, "status"), "walk_in");
		}
	(void)st;
	html_printf(h,
		    "<p class=\"ev-count\" id=\"ev-count\">%T <strong>%d</strong> / %d · %T %d</p>"
		    "<form method=\"post\" action=\"/events/%l/checkin\" class=\"card narrow "
		    "stack\"><h2>%T</h2>",
		    "events.checked_in", in, confirmed + walk, "events.walk_ins", walk, e->id,
		    "events.scan");
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T <input name=\"code\" autocomplete=\"off\" autocapitalize=\"characters\" "
	    "maxlength=\"8\" required value=\"%s\"></label><button class=\"primary big\">%T"
	    "</button></form><form method=\"post\" action=\"/events/%l/walkin\" class=\"card "
	    "narrow stack\"><h2>%T</h2>",
	    "events.code", code ? code : "", "events.checkin_now", e->id, "events.walk_in");
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<label>%T <input name=\"name\" maxlength=\"60\" required></label><label>%T "
	    "<input name=\"phone\" type=\"tel\" maxlength=\"20\"></label><button>%T</button>"
	    "</form><h2>%T</h2><div class=\"table-wrap\"><table><thead><tr><th>%T</th>"
	    "<th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
	    "events.name", "events.phone", "events.walk_in_add", "events.attendees", "events.name",
	    "events.phone", "events.status", "events.checked_in");
	json_array_foreach (rows, i, r)
		html_printf(h, "<tr><td>%s%s</td><td>%s</td><td>%T</td><td>%s</td></tr>",
			    json_is_null(json_object_get(r, "guardian_id")) ? "" : "↳ ",
			    jstr(r, "name"), jstr(r, "phone"),
			    kind_key(req, "events.status.", jstr(r, "status")),
			    json_is_true(json_object_get(r, "checked_in")) ? "✓" : "");
	html_printf(h, "</tbody></table></div>");
	json_decref(rows);
}

static int checkin_page(struct http_req *req, struct http_resp *resp)
{
	struct event_row e;
	struct html h;

	if (event_get(req->db, req->sess.area_id, events_param_id(req, 0), &e))
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	events_page_begin(req, resp, &h, req_t(req, "events.checkin"));
	html_printf(&h, "<p class=\"crumbs\"><a href=\"/events/%l\">%s</a></p><h1>%T</h1>", e.id,
		    e.title, "events.checkin");
	checkin_body(req, &h, &e, req_query(req, "code"));
	return events_page_end(req, resp, &h, 200);
}

static int checkin_submit(struct http_req *req, struct http_resp *resp)
{
	struct event_row e;
	struct html h;
	const char *key = NULL, *code = req_form(req, "code");
	char name[EVENT_NAME_MAX + 1];
	int rc, walk = req->route->data != NULL; /* the walk-in route carries data */

	if (event_get(req->db, req->sess.area_id, events_param_id(req, 0), &e))
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	if (walk)
		rc = event_walk_in(req->db, &req->sess, req->sess.area_id, e.id,
				   req_form(req, "name"), req_form(req, "phone"),
				   (int64_t)time(NULL), &key);
	else
		rc = event_checkin(req->db, &req->sess, req->sess.area_id, e.id, code,
				   (int64_t)time(NULL), name, sizeof(name), &key);
	events_page_begin(req, resp, &h, req_t(req, "events.checkin"));
	html_printf(&h, "<p class=\"crumbs\"><a href=\"/events/%l\">%s</a></p><h1>%T</h1>", e.id,
		    e.title, "events.checkin");
	if (rc)
		html_printf(&h, "<p class=\"error\" role=\"alert\">%T</p>",
			    key ? key : "err.internal");
	else if (walk)
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>",
			    "events.walk_in_done");
	else
		html_printf(&h, "<p class=\"notice ev-ok\" role=\"status\">%T %s</p>",
			    "events.checkin_done", name);
	checkin_body(req, &h, &e, rc && !walk ? code : NULL);
	return events_page_end(req, resp, &h,
			       !rc		     ? 200
			       : !key		     ? 500
			       : rc == LIN_ECONFLICT ? 409
			       : rc == LIN_ENOTFOUND ? 404
						     : 422);
}

const struct route events_page_routes[] = {
    {"GET", "/events", list_page, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/events/new", events_new_page, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"POST", "/events/new", events_new_submit, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"GET", "/events/:id", event_page, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/events/:id/register", register_submit, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/events/:id/ticket/:code", ticket_page, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/events/:id/cancel", cancel_submit, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/events/:id/feedback", feedback_submit, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/events/:id/checkin", checkin_page, PERM_EVENTS_CHECKIN, 0, NULL, 0},
    {"POST", "/events/:id/checkin", checkin_submit, PERM_EVENTS_CHECKIN, 0, NULL, 0},
    {"POST", "/events/:id/walkin", checkin_submit, PERM_EVENTS_CHECKIN, 0, "walk_in", 0},
    {"GET", "/events/:id/race", events_race_page, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/events/:id/punch", events_punch_page, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/events/:id/punch", events_punch_submit, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/events/:id/posters", events_posters_page, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"POST", "/events/:id/checkpoints", events_checkpoint_submit, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"POST", "/events/:id/teams", events_team_submit, PERM_EVENTS_WRITE, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

int events_add_routes(struct router *r)
{
	int rc = router_add(r, events_api_routes);

	return rc ? rc : router_add(r, events_page_routes);
}
