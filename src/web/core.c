/* Core routes; see core.h. */
#include "core.h"
#include "auth.h"
#include "html.h"
#include "metrics.h"
#include "page.h"
#include "server.h"
#include "../base/embed.h"
#include "../base/err.h"
#include "../db/db.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

static int healthz(struct http_req *req, struct http_resp *resp)
{
	int64_t one = 0;
	if (db_query_int64(req->db, "SELECT 1", &one, 0) || one != 1)
		return resp_text(resp, 503, "text/plain; charset=utf-8", "database unavailable\n");
	return resp_text(resp, 200, "text/plain; charset=utf-8", "ok\n");
}

static int metrics(struct http_req *req, struct http_resp *resp)
{
	resp->status = 200;
	resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
	if (req->app->extra_metrics)
		req->app->extra_metrics(&resp->body, req->app->extra_ctx);
	if (req->app->streams)
		stream_hub_metrics(req->app->streams, &resp->body);
	return metrics_render(req->app->metrics, req->app->router, &resp->body);
}

static const char *asset_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	return "application/octet-stream";
}

static int static_asset(struct http_req *req, struct http_resp *resp)
{
	const char *name = req_param(req, 0);
	for (const struct embedded_file *f = asset_files; f->name; f++) {
		if (strcmp(f->name, name))
			continue;
		resp->status = 200;
		resp->content_type = asset_type(name);
		resp_header(req, resp, "Cache-Control", "public, max-age=3600");
		return buf_add(&resp->body, f->data, f->len);
	}
	return resp_error(req, resp, 404, "not_found", "err.not_found");
}

/* safe_next accepts only a path of this site, so a login link cannot
 * bounce the user to another one: it starts with one "/", and holds no
 * backslash (which browsers read as "/") and no control character (tabs
 * and line breaks browsers drop, so "/<TAB>/evil.example" would become
 * "//evil.example"). Anything else is "/". */
static const char *safe_next(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || strchr(next, '\\'))
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return "/";
	return next;
}

/* The sign-in form has no session yet, so its CSRF token is a
 * double-submit pair: a random value in a cookie scoped to /login and the
 * same value in the form. Another site can make a browser post the form
 * but can neither read nor set the cookie. */
#define LOGIN_CSRF_COOKIE "linli_login"

static void login_form(struct http_req *req, struct http_resp *resp, const char *error,
		       const char *username)
{
	struct html h = {&resp->body, req->lang};
	const char *next = req_form(req, "next");
	char token[64];

	auth_new_token(token, sizeof(token));
	resp_header(req, resp, "Set-Cookie",
		    arena_printf(req->arena,
				 LOGIN_CSRF_COOKIE "=%s; Path=/login; HttpOnly; SameSite=Strict; "
						   "Max-Age=3600%s",
				 token, req->app->secure_cookies ? "; Secure" : ""));

	if (!next)
		next = req_query(req, "next");
	page_begin(req, &h, req_t(req, "auth.login"));
	html_printf(&h, "<section class=\"card narrow\"><h1>%T</h1>", "auth.login");
	if (error)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%T</p>", error);
	html_printf(
	    &h,
	    "<form method=\"post\" action=\"/login\" class=\"stack\">"
	    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
	    "<input type=\"hidden\" name=\"next\" value=\"%s\">"
	    "<label>%T<input name=\"username\" autocomplete=\"username\" required "
	    "value=\"%s\"></label>"
	    "<label>%T<input name=\"password\" type=\"password\" autocomplete=\"current-password\" "
	    "required></label>"
	    "<button type=\"submit\" class=\"primary\">%T</button></form></section>",
	    token, safe_next(next), "auth.username", username ? username : "", "auth.password",
	    "auth.login");
	page_end(req, &h);
}

static int login_page(struct http_req *req, struct http_resp *resp)
{
	if (req->sess.kind == AUTH_COOKIE)
		return resp_redirect(req, resp, "/");
	resp->status = 200;
	login_form(req, resp, NULL, NULL);
	return 0;
}

static const char *login_error_key(int rc)
{
	return rc == LIN_ELIMIT ? "auth.throttled" : rc == LIN_EAUTH ? "auth.bad" : "err.internal";
}

static int login_status(int rc)
{
	return rc == LIN_ELIMIT ? 429 : rc == LIN_EAUTH ? 401 : 500;
}

static int login_csrf_ok(struct http_req *req)
{
	const char *cookie = req_cookie(req, LOGIN_CSRF_COOKIE);
	const char *sent = req_form(req, "_csrf");
	size_t n = cookie ? strlen(cookie) : 0;

	return n >= 32 && sent && strlen(sent) == n && sodium_memcmp(cookie, sent, n) == 0;
}

static int login_submit(struct http_req *req, struct http_resp *resp)
{
	const char *username = req_form(req, "username");
	const char *cookie = NULL;
	int rc;

	if (!login_csrf_ok(req)) {
		resp->status = 403;
		login_form(req, resp, "err.csrf", username);
		return 0;
	}
	rc = auth_login(req, username, req_form(req, "password"), &cookie);

	if (rc) {
		resp->status = login_status(rc);
		login_form(req, resp, login_error_key(rc), username);
		return 0;
	}
	resp_header(req, resp, "Set-Cookie", cookie);
	return resp_redirect(req, resp, safe_next(req_form(req, "next")));
}

static int logout_submit(struct http_req *req, struct http_resp *resp)
{
	resp_header(req, resp, "Set-Cookie", auth_logout(req));
	return resp_redirect(req, resp, "/login");
}

static int api_login(struct http_req *req, struct http_resp *resp)
{
	const char *err, *cookie = NULL, *ct = req_header(req, "Content-Type");
	json_t *in;
	int rc;

	/* A cross-site form cannot send application/json without the
	 * browser asking first (CORS), so this stands in for a CSRF token. */
	if (!ct || strncasecmp(ct, "application/json", 16))
		return resp_error(req, resp, 415, "unsupported_media_type", "err.json_type");
	in = req_json(req, &err);
	if (!in)
		return resp_error(req, resp, 400, "bad_json", err);
	rc = auth_login(req, json_string_value(json_object_get(in, "username")),
			json_string_value(json_object_get(in, "password")), &cookie);
	json_decref(in);
	if (rc)
		return resp_error(req, resp, login_status(rc),
				  rc == LIN_ELIMIT ? "throttled" : "unauthorized",
				  login_error_key(rc));
	resp_header(req, resp, "Set-Cookie", cookie);
	return resp_json(resp, 200,
			 json_pack("{s:s,s:s,s:I}", "csrf_token", req->sess.csrf, "role",
				   role_name(req->sess.role), "area_id",
				   (json_int_t)req->sess.area_id));
}

static int api_logout(struct http_req *req, struct http_resp *resp)
{
	resp_header(req, resp, "Set-Cookie", auth_logout(req));
	return resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static int api_me(struct http_req *req, struct http_resp *resp)
{
	return resp_json(resp, 200,
			 json_pack("{s:s,s:I,s:s,s:I,s:s}", "name", req->sess.name, "user_id",
				   (json_int_t)req->sess.user_id, "role", role_name(req->sess.role),
				   "area_id", (json_int_t)req->sess.area_id, "auth",
				   req->sess.kind == AUTH_TOKEN ? "token" : "session"));
}

/* The language switch only sets a cookie, so it is a plain link. */
static int lang_switch(struct http_req *req, struct http_resp *resp)
{
	const char *lang =
	    strcmp(req_query(req, "set") ? req_query(req, "set") : "", "en") ? "zh-CN" : "en";
	const char *back = req_header(req, "Referer");
	const char *host = req_header(req, "Host");
	const char *to = "/";

	/* Go back to the page the reader was on when it is on this site. */
	if (back && host) {
		const char *p = strstr(back, "://");
		if (p && !strncmp(p + 3, host, strlen(host)))
			to = safe_next(p + 3 + strlen(host));
	}
	resp_header(
	    req, resp, "Set-Cookie",
	    arena_printf(req->arena, "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax", lang));
	return resp_redirect(req, resp, to);
}

const struct route core_routes[] = {
    {"GET", "/healthz", healthz, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/metrics", metrics, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/static/:name", static_asset, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/login", login_page, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/login", login_submit, PERM_PUBLIC, ROUTE_NO_CSRF | ROUTE_SIGN_IN, NULL, 0},
    {"POST", "/logout", logout_submit, PERM_SIGNED_IN, ROUTE_READ_ONLY_OK, NULL, 0},
    {"GET", "/lang", lang_switch, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/api/v1/login", api_login, PERM_PUBLIC, ROUTE_NO_CSRF | ROUTE_SIGN_IN, NULL, 0},
    {"POST", "/api/v1/logout", api_logout, PERM_SIGNED_IN, ROUTE_READ_ONLY_OK, NULL, 0},
    {"GET", "/api/v1/me", api_me, PERM_SIGNED_IN, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
