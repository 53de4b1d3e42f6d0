/* The portal's pages: /portal (the reader's own things and the area's
 * notices on one phone page, or the phone's sign-in for someone not
 * signed in), the one-time code's two posts and /api/v1/me/portal. Large
 * type, simple words, no script. */
#include "internal.h"
#include "../base/err.h"
#include "../web/auth.h"
#include "../web/router.h"
#include "../web/server.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The sign-in forms have no session yet: their CSRF token is a
 * double-submit pair, a random value in a cookie scoped to /portal and
 * the same value in the form (as /login does). */
#define PORTAL_CSRF_COOKIE "linli_portal"

/* ------------------------------------------------------------ sign-in */

/* area_of: the session's area, or for someone not signed in the one the
 * form or the address names (?area=CODE), or the only one there is. */
static int area_of(struct http_req *req, int64_t *area)
{
	const char *code = req_form(req, "area");

	if (req->sess.area_id) {
		*area = req->sess.area_id;
		return 0;
	}
	if (!code)
		code = req_area_code(req);
	return area_resolve(req->db, code, area, NULL, 0);
}

static const char *csrf_token(struct http_req *req, struct http_resp *resp)
{
	char token[64];

	auth_new_token(token, sizeof(token));
	resp_header(req, resp, "Set-Cookie",
		    arena_printf(req->arena,
				 PORTAL_CSRF_COOKIE "=%s; Path=/portal; HttpOnly; SameSite=Strict; "
						    "Max-Age=3600%s",
				 token, req->app && req->app->secure_cookies ? "; Secure" : ""));
	return arena_strdup(req->arena, token);
}

static int csrf_ok(struct http_req *req)
{
	const char *cookie = req_cookie(req, PORTAL_CSRF_COOKIE);
	const char *sent = req_form(req, "_csrf");
	size_t n = cookie ? strlen(cookie) : 0;

	return n >= 32 && sent && strlen(sent) == n && sodium_memcmp(cookie, sent, n) == 0;
}

/* phone_form: step one, the phone number. */
static void phone_form(struct http_req *req, struct http_resp *resp, struct html *h,
		       const char *error, const char *phone)
{
	const char *token = csrf_token(req, resp);

	html_printf(h, "<section class=\"card portal-signin\"><h1>%T</h1><p>%T</p>",
		    "portal.signin_title", "portal.signin_lead");
	if (error)
		html_printf(h, "<p class=\"alert\" role=\"alert\" id=\"portal-error\">%T</p>",
			    error);
	html_printf(h,
		    "<form method=\"post\" action=\"/portal/code\" class=\"stack\">"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		    "<label for=\"portal-phone\">%T</label>"
		    "<input id=\"portal-phone\" name=\"phone\" type=\"tel\" inputmode=\"numeric\" "
		    "autocomplete=\"tel\" required maxlength=\"20\" value=\"%s\"%R>"
		    "<button type=\"submit\" class=\"primary big\">%T</button></form>"
		    "<p class=\"portal-or\"><a href=\"/login?next=/portal\">%T</a></p></section>",
		    token, "portal.phone", phone ? phone : "",
		    error ? " aria-invalid=\"true\" aria-describedby=\"portal-error\"" : "",
		    "portal.send_code", "portal.password_login");
}

/* code_form: step two, the code sent to phone (11 digits, shown masked). */
static void code_form(struct http_req *req, struct http_resp *resp, struct html *h,
		      const char *error, const char *phone)
{
	const char *token = csrf_token(req, resp);
	char masked[16];

	snprintf(masked, sizeof(masked), "%.3s****%s", phone, phone + 7);
	html_printf(h, "<section class=\"card portal-signin\"><h1>%T</h1>", "portal.code_title");
	if (error)
		html_printf(h, "<p class=\"alert\" role=\"alert\" id=\"portal-error\">%T</p>",
			    error);
	else
		html_printf(h, "<p class=\"notice\" role=\"status\">%T <b>%s</b>%T</p>",
			    "portal.code_sent", masked, "portal.code_sent_tail");
	html_printf(h,
		    "<form method=\"post\" action=\"/portal/signin\" class=\"stack\">"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"phone\" value=\"%s\">"
		    "<label for=\"portal-code\">%T</label>"
		    "<input id=\"portal-code\" name=\"code\" class=\"portal-code\" "
		    "inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]*\" "
		    "required maxlength=\"12\"%R>"
		    "<button type=\"submit\" class=\"primary big\">%T</button></form>"
		    "<form method=\"post\" action=\"/portal/code\" class=\"portal-again\">"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"phone\" value=\"%s\">"
		    "<button type=\"submit\" class=\"link\">%T</button></form>"
		    "<p class=\"muted\">%T</p></section>",
		    token, phone, "portal.code",
		    error ? " aria-invalid=\"true\" aria-describedby=\"portal-error\"" : "",
		    "portal.signin", token, phone, "portal.send_again", "portal.no_sms");
}

static int signin_page(struct http_req *req, struct http_resp *resp, int status, const char *error,
		       const char *phone, int step)
{
	struct html h = {&resp->body, req->lang};

	resp->status = status;
	page_begin(req, &h, req_t(req, "portal.signin_title"));
	if (step == 2)
		code_form(req, resp, &h, error, phone);
	else
		phone_form(req, resp, &h, error, phone);
	page_end(req, &h);
	return 0;
}

/* POST /portal/code: a code to the phone if the registry holds it. The
 * answer is the same whether it does or not, so the form tells no one
 * whose number is on record. */
static int code_submit(struct http_req *req, struct http_resp *resp)
{
	const char *typed = req_form(req, "phone");
	char phone[16];
	int64_t area = 0;
	int rc;

	if (!csrf_ok(req))
		return signin_page(req, resp, 403, "err.csrf", typed, 1);
	if (portal_phone_parse(typed, phone, sizeof(phone)))
		return signin_page(req, resp, 422, "portal.err.phone", typed, 1);
	rc = area_of(req, &area);
	if (rc == LIN_ENOTFOUND || rc == LIN_ECONFLICT)
		return resp_error(req, resp, 404, "not_found", "home.no_area");
	if (!rc)
		rc = portal_code_issue(req->db, area, phone, (int64_t)time(NULL));
	if (rc == LIN_ELIMIT)
		return signin_page(req, resp, 429, "portal.err.too_many_codes", typed, 1);
	if (rc && rc != LIN_ENOTFOUND)
		return rc;
	return signin_page(req, resp, 200, NULL, phone, 2);
}

/* POST /portal/signin: the code; a good one opens a resident's session. */
static int signin_submit(struct http_req *req, struct http_resp *resp)
{
	const char *typed = req_form(req, "phone"), *cookie = NULL;
	char phone[16], code[PORTAL_CODE_DIGITS + 1], username[80];
	int64_t user = 0, area = 0;
	int rc;

	if (portal_phone_parse(typed, phone, sizeof(phone)))
		return signin_page(req, resp, 422, "portal.err.phone", typed, 1);
	if (!csrf_ok(req))
		return signin_page(req, resp, 403, "err.csrf", phone, 2);
	if (portal_code_parse(req_form(req, "code"), code, sizeof(code)))
		return signin_page(req, resp, 422, "portal.err.code_form", phone, 2);
	rc = area_of(req, &area);
	if (rc == LIN_ENOTFOUND || rc == LIN_ECONFLICT)
		return resp_error(req, resp, 404, "not_found", "home.no_area");
	if (!rc)
		rc = portal_code_use(req->db, area, phone, code, (int64_t)time(NULL), &user,
				     username, sizeof(username));
	if (rc == LIN_ELIMIT)
		return signin_page(req, resp, 429, "portal.err.too_many_tries", phone, 2);
	if (rc == LIN_EAUTH)
		return signin_page(req, resp, 401, "portal.err.code", phone, 2);
	if (rc == LIN_EPERM)
		return signin_page(req, resp, 403, "portal.err.disabled", phone, 2);
	if (!rc)
		rc = auth_session_open(req, user, username, area, ROLE_RESIDENT, &cookie);
	if (rc)
		return rc;
	resp_header(req, resp, "Set-Cookie", cookie);
	return resp_redirect(req, resp, "/portal");
}

/* ------------------------------------------------------------ the page */

/* when writes UTC second t as Shanghai's "YYYY-MM-DD HH:MM" into out. */
static const char *when(struct http_req *req, json_t *t)
{
	time_t s = (time_t)json_integer_value(t) + 8 * 3600;
	struct tm tm;
	char out[32];

	gmtime_r(&s, &tm);
	strftime(out, sizeof(out), "%Y-%m-%d %H:%M", &tm);
	return arena_strdup(req->arena, out);
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* section: a card with a heading; its id names it for tests and links. */
static void section(struct html *h, const char *id, const char *title)
{
	html_printf(h,
		    "<section class=\"card portal-part\" id=\"%s\" aria-labelledby=\"%s-h\">"
		    "<h2 id=\"%s-h\">%T</h2>",
		    id, id, id, title);
}

static void reports_part(struct http_req *req, struct html *h, json_t *reports)
{
	json_t *c;
	size_t i;

	section(h, "portal-reports", "portal.reports");
	if (!json_array_size(reports))
		html_printf(h, "<p>%T</p>", "portal.no_reports");
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (reports, i, c) {
		const char *state = str(c, "state");
		html_printf(h,
			    "<li><a href=\"/track/%U\"><b>%s</b> <span class=\"state "
			    "state-%s\">%T</span><span class=\"portal-sub\">%s</span>"
			    "<span class=\"muted\">%s</span></a></li>",
			    str(c, "tracking_code"), str(c, "category"), state,
			    arena_printf(req->arena, "case.state.%s", state),
			    html_excerpt(req->arena, str(c, "description"), 40),
			    when(req, json_object_get(c, "created_at")));
	}
	html_printf(h, "</ul><p><a class=\"button big\" href=\"/report\">%T</a></p></section>",
		    "portal.report_new");
}

static void events_part(struct http_req *req, struct html *h, json_t *regs)
{
	json_t *r;
	size_t i;

	section(h, "portal-events", "portal.events");
	if (!json_array_size(regs))
		html_printf(h, "<p>%T</p>", "portal.no_events");
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (regs, i, r) {
		const char *status = str(r, "status"), *code = str(r, "code");
		int64_t id = (int64_t)json_integer_value(json_object_get(r, "event_id"));
		html_printf(h,
			    "<li><a href=\"/events/%l\"><b>%s</b> <span class=\"badge\">%T"
			    "</span><span class=\"muted\">%s · %s</span></a>",
			    id, str(r, "title"),
			    arena_printf(req->arena, "events.status.%s", status),
			    when(req, json_object_get(r, "starts_at")), str(r, "place"));
		if (code[0])
			html_printf(
			    h, "<a class=\"portal-ticket\" href=\"/events/%l/ticket/%U\">%T</a>",
			    id, code, "portal.ticket");
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul></section>");
}

static void pets_part(struct http_req *req, struct html *h, json_t *mine)
{
	json_t *pet, *m;
	size_t i, j;

	if (!mine || !json_integer_value(json_object_get(mine, "household_id")))
		return;
	section(h, "portal-pets", "portal.pets");
	if (!json_array_size(json_object_get(mine, "pets")))
		html_printf(h, "<p>%T</p>", "portal.no_pets");
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (json_object_get(mine, "pets"), i, pet) {
		html_printf(h, "<li><b>%s</b>", str(pet, "name"));
		if (str(pet, "licence_expires_on")[0])
			html_printf(h, "<span class=\"portal-sub\">%T %s</span>",
				    "portal.licence_until", str(pet, "licence_expires_on"));
		if (str(pet, "rabies_due_on")[0])
			html_printf(h, "<span class=\"portal-sub\">%T %s</span>",
				    "portal.rabies_due", str(pet, "rabies_due_on"));
		json_array_foreach (json_object_get(pet, "reminders"), j, m)
			html_printf(h, "<span class=\"portal-remind\">%T %s</span>",
				    !strcmp(str(m, "kind"), "licence") ? "portal.remind_licence"
								       : "portal.remind_rabies",
				    str(m, "due_on"));
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul><p><a href=\"/pets\">%T</a></p></section>", "portal.pets_more");
	(void)req;
}

static void duty_part(struct http_req *req, struct html *h, json_t *duty, json_t *hours)
{
	json_t *s;
	size_t i, shown = 0;
	int64_t now = (int64_t)time(NULL);

	/* hours only for those who served, duties only for volunteers */
	if (!duty && !json_integer_value(json_object_get(hours, "served_minutes")))
		return;
	section(h, "portal-duty", "portal.duty");
	if (hours) {
		int64_t m = json_integer_value(json_object_get(hours, "year_minutes"));
		html_printf(h, "<p class=\"portal-big\">%T <b>%l</b> %T <b>%l</b> %T</p>",
			    "portal.hours_year", m / 60, "portal.hours_unit", m % 60,
			    "portal.minutes_unit");
	}
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (json_object_get(duty, "shifts"), i, s) {
		if (json_integer_value(json_object_get(s, "end_at")) < now)
			continue; /* past shifts are on /duty/my */
		if (shown++ >= 5)
			break;
		html_printf(h, "<li><b>%s %s–%s</b><span class=\"portal-sub\">%s</span></li>",
			    str(s, "day"), str(s, "start"), str(s, "end"), str(s, "where"));
	}
	html_printf(h, "</ul>");
	if (duty && !shown)
		html_printf(h, "<p>%T</p>", "portal.no_shifts");
	html_printf(h, "<p>");
	if (duty)
		html_printf(h, "<a href=\"/duty/my\">%T</a> ", "portal.duty_more");
	html_printf(h, "<a href=\"/hours\">%T</a></p></section>", "portal.hours_more");
	(void)req;
}

static void needs_part(struct http_req *req, struct html *h, json_t *needs)
{
	json_t *n;
	size_t i;

	needs = json_object_get(needs, "needs");
	if (!json_array_size(needs))
		return;
	section(h, "portal-needs", "portal.needs");
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (needs, i, n)
		html_printf(h, "<li><b>%s</b> <span class=\"badge\">%T</span></li>",
			    str(n, "title"),
			    arena_printf(req->arena, "cobuild.state.%s", str(n, "state")));
	html_printf(h, "</ul></section>");
}

static void notices_part(struct http_req *req, struct html *h, json_t *notices)
{
	json_t *e, *a, *m;
	size_t i, j;

	section(h, "portal-notices", "portal.notices");
	html_printf(h, "<h3>%T</h3>", "portal.open_events");
	if (!json_array_size(json_object_get(notices, "events")))
		html_printf(h, "<p>%T</p>", "portal.no_open_events");
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (json_object_get(notices, "events"), i, e) {
		json_int_t cap = json_integer_value(json_object_get(e, "capacity"));
		json_int_t reg = json_integer_value(json_object_get(e, "registered"));
		html_printf(h,
			    "<li><a href=\"/events/%l\"><b>%s</b><span class=\"muted\">%s · %s"
			    "</span><span class=\"portal-sub\">%T %l / %l%R%s</span></a></li>",
			    (int64_t)json_integer_value(json_object_get(e, "id")), str(e, "title"),
			    when(req, json_object_get(e, "starts_at")), str(e, "place"),
			    "portal.places", (int64_t)reg, (int64_t)cap, reg >= cap ? " · " : "",
			    reg >= cap ? req_t(req, "portal.full") : "");
	}
	html_printf(h, "</ul><h3>%T</h3>", "portal.plaza_today");
	if (!json_array_size(json_object_get(notices, "plaza")))
		html_printf(h, "<p>%T</p>", "portal.no_plaza");
	html_printf(h, "<ul class=\"portal-list\">");
	json_array_foreach (json_object_get(notices, "plaza"), i, e)
		html_printf(h, "<li><b>%s–%s</b> %s<span class=\"portal-sub\">%s</span></li>",
			    str(e, "start"), str(e, "end"), str(e, "team"), str(e, "zone"));
	html_printf(h, "</ul>");
	if (json_array_size(json_object_get(notices, "assemblies"))) {
		html_printf(h, "<h3>%T</h3><ul class=\"portal-list\">", "portal.assemblies");
		json_array_foreach (json_object_get(notices, "assemblies"), i, a) {
			html_printf(h, "<li><b>%s</b>", str(a, "title"));
			json_array_foreach (json_object_get(a, "matters"), j, m)
				html_printf(h, "<span class=\"portal-sub\">%s：%T</span>",
					    str(m, "title"),
					    json_is_true(json_object_get(m, "passed"))
						? "portal.passed"
						: "portal.not_passed");
			html_printf(h, "</li>");
		}
		html_printf(h, "</ul>");
	}
	html_printf(h, "</section>");
}

/* GET /portal */
static int portal_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *o = NULL, *who;
	int rc;

	if (req->sess.kind != AUTH_COOKIE)
		return signin_page(req, resp, 200, NULL, NULL, 1);
	rc = portal_json(req, &o);
	if (rc)
		return rc;
	resp->status = 200;
	page_begin(req, &h, req_t(req, "portal.title"));
	who = json_object_get(o, "resident");
	html_printf(&h, "<div class=\"portal\"><h1>%T</h1>", "portal.title");
	if (json_is_object(who))
		html_printf(&h, "<p class=\"portal-hello\">%T%s%T</p>", "portal.hello",
			    str(who, "name"), "portal.hello_tail");
	else
		html_printf(&h, "<p class=\"notice\" id=\"portal-no-resident\">%T</p>",
			    "portal.no_resident");
	reports_part(req, &h, json_object_get(o, "reports"));
	events_part(req, &h, json_object_get(o, "events"));
	pets_part(req, &h, json_object_get(o, "pets"));
	duty_part(req, &h, json_object_get(o, "duty"), json_object_get(o, "hours"));
	needs_part(req, &h, json_object_get(o, "needs"));
	notices_part(req, &h, json_object_get(o, "notices"));
	html_printf(&h, "</div>");
	page_end(req, &h);
	json_decref(o);
	return 0;
}

/* GET /api/v1/me/portal */
static int portal_api(struct http_req *req, struct http_resp *resp)
{
	json_t *o = NULL;
	int rc = portal_json(req, &o);

	if (rc)
		return rc;
	return resp_json(resp, 200, o);
}

static const struct route portal_routes[] = {
    {"GET", "/portal", portal_page, PERM_PUBLIC, 0, NULL, 0},
    /* the code's post spends the address's budget of anonymous writes */
    {"POST", "/portal/code", code_submit, PERM_PUBLIC, ROUTE_NO_CSRF, NULL, 0},
    {"POST", "/portal/signin", signin_submit, PERM_PUBLIC, ROUTE_NO_CSRF | ROUTE_SIGN_IN, NULL, 0},
    {"GET", "/api/v1/me/portal", portal_api, PERM_SIGNED_IN, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

int portal_add_routes(struct router *r)
{
	return router_add(r, portal_routes);
}
