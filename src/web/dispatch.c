/* The request path after libmicrohttpd: see docs/architecture.md. Also the
 * small request/response helpers every handler uses. */
#include "dispatch.h"
#include "auth.h"
#include "form.h"
#include "html.h"
#include "i18n.h"
#include "page.h"
#include "ratelimit.h"
#include "respcache.h"
#include "router.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- request accessors ---- */

const char *req_query(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct joined {
	const char *name; /* the parameter wanted */
	struct buf b;	  /* its values so far, joined by commas */
	int n;		  /* values seen */
};

static enum MHD_Result join_value(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct joined *j = cls;

	(void)kind;
	if (key && !strcmp(key, j->name)) {
		if (j->n++)
			buf_addc(&j->b, ',');
		buf_adds(&j->b, value ? value : "");
	}
	return MHD_YES;
}

const char *req_query_list(struct http_req *req, const char *name)
{
	struct joined j = {name, {0}, 0};
	const char *out;

	buf_init(&j.b, 64 * 1024);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, join_value, &j);
	out = j.n && !j.b.failed ? arena_strdup(req->arena, j.b.len ? j.b.buf : "") : NULL;
	if (j.n && j.b.failed)
		out = req_query(req, name); /* too long: the first, which the caller refuses */
	buf_release(&j.b);
	return out;
}

const char *req_header(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *req_origin(struct http_req *req)
{
	const char *host = req_header(req, "Host");
	const char *scheme = req->app && req->app->secure_cookies ? "https" : "http";

	/* The Host header is the client's: only a plain host[:port] is taken. */
	if (!host || !*host || strlen(host) > 255 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
		strlen(host))
		host = "localhost";
	return arena_printf(req->arena, "%s://%s", scheme, host);
}

const char *req_area_code(struct http_req *req)
{
	const char *code = req_query(req, "area");

	return code && *code ? code : req->app->public_area;
}

const char *req_cookie(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

const char *req_form(struct http_req *req, const char *name)
{
	for (int i = 0; i < req->nform; i++)
		if (!strcmp(req->form[i].name, name))
			return req->form[i].value;
	return NULL;
}

json_t *req_json(struct http_req *req, const char **err)
{
	json_error_t jerr;
	json_t *obj;

	*err = NULL;
	if (!req->body_len) {
		*err = "err.json_missing";
		return NULL;
	}
	obj = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!obj || !json_is_object(obj)) {
		json_decref(obj);
		*err = "err.json_invalid";
		return NULL;
	}
	return obj;
}

const char *req_param(struct http_req *req, int i)
{
	return (i >= 0 && i < ROUTE_MAX_PARAMS) ? req->params[i] : NULL;
}

int64_t req_param_id(struct http_req *req, int i)
{
	int64_t id = 0;
	const char *s = req_param(req, i);
	return s && !parse_int64(s, 1, INT64_MAX, &id) ? id : 0;
}

int64_t req_form_id(struct http_req *req, const char *name)
{
	int64_t id = 0;
	const char *s = req_form(req, name);
	return s && !parse_int64(s, 1, INT64_MAX, &id) ? id : 0;
}

const char *req_t(struct http_req *req, const char *key)
{
	return i18n_t(req->lang, key);
}

int req_wants_json(struct http_req *req)
{
	return !strncmp(req->path, "/api/", 5) || !strncmp(req->path, "/open311/", 9);
}

int req_can(struct http_req *req, enum perm perm)
{
	return sess_allows(&req->sess, perm);
}

int sess_allows(const struct session *sess, enum perm perm)
{
	/* a street's or district's account keeps its scope's rights in an
	 * area where it also holds a role of its own */
	return perm_allows(sess->role, perm) ||
	       (perm != PERM_PUBLIC && perm_allows(sess->scope_role, perm));
}

/* ---- responses ---- */

void resp_header(struct http_req *req, struct http_resp *resp, const char *name, const char *value)
{
	if (resp->nheaders == RESP_MAX_HEADERS)
		return;
	resp->headers[resp->nheaders][0] = arena_strdup(req->arena, name);
	resp->headers[resp->nheaders][1] = arena_strdup(req->arena, value);
	resp->nheaders++;
}

/* Reals are written with 15 significant digits, the most a double keeps for
 * any decimal: 57.4 stays "57.4", not "57.399999999999999". */
int resp_json(struct http_resp *resp, int status, json_t *obj)
{
	char *text = obj ? json_dumps(obj, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;

	json_decref(obj);
	resp->status = status;
	resp->content_type = "application/json; charset=utf-8";
	buf_reset(&resp->body);
	if (!text) {
		buf_adds(&resp->body,
			 "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
		resp->status = 500;
		return LIN_ENOMEM;
	}
	buf_adds(&resp->body, text);
	buf_addc(&resp->body, '\n');
	free(text);
	return 0;
}

int resp_text(struct http_resp *resp, int status, const char *content_type, const char *text)
{
	resp->status = status;
	resp->content_type = content_type;
	buf_reset(&resp->body);
	return buf_adds(&resp->body, text);
}

int resp_error(struct http_req *req, struct http_resp *resp, int status, const char *code,
	       const char *message_key)
{
	const char *msg = i18n_t(req->lang, message_key);
	error_writer own = req->app ? router_error_writer_for(req->app->router, req->path) : NULL;

	if (own)
		return own(req, resp, status, msg);
	if (req_wants_json(req)) {
		json_t *o = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", msg);
		return resp_json(resp, status, o);
	}
	struct html h = {&resp->body, req->lang};
	buf_reset(&resp->body);
	page_begin(req, &h, msg);
	html_printf(&h,
		    "<section class=\"card error-page\"><h1>%d</h1><p>%s</p><p><a "
		    "href=\"/\">%T</a></p></section>",
		    status, msg, "nav.home");
	page_end(req, &h);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	return 0;
}

int resp_redirect(struct http_req *req, struct http_resp *resp, const char *location)
{
	resp->status = 303;
	resp_header(req, resp, "Location", location);
	resp->content_type = "text/plain; charset=utf-8";
	buf_reset(&resp->body);
	return buf_adds(&resp->body, location);
}

/* ---- the request path ---- */

static int is_safe_method(const char *m)
{
	return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS");
}

static void choose_language(struct http_req *req)
{
	const char *cookie = req_cookie(req, "lang");
	const char *accept;

	if (cookie && *cookie) {
		req->lang = i18n_lang(cookie);
		return;
	}
	/* Pages open in Chinese; API clients may ask for English. */
	accept = req_header(req, "Accept-Language");
	req->lang = (req_wants_json(req) && accept) ? i18n_lang(accept) : "zh-CN";
}

static int parse_form_body(struct http_req *req)
{
	const char *ct = req_header(req, "Content-Type");

	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33))
		return 0;
	return form_parse(req->arena, req->body, req->body_len, &req->form, &req->nform);
}

void dispatch_request(struct app *app, struct http_req *req, struct http_resp *resp,
		      int body_too_big)
{
	const struct route *rt;
	const char *key = NULL;
	int64_t version = 0;
	int mismatch = 0, rc;

	choose_language(req);
	if (body_too_big) {
		resp_error(req, resp, 413, "too_large", "err.too_large");
		return;
	}
	rt = router_match(app->router, req, &mismatch);
	if (!rt) {
		if (mismatch) {
			char allowed[128];
			router_allowed(app->router, req->path, allowed, sizeof(allowed));
			resp_error(req, resp, 405, "method_not_allowed", "err.method");
			resp_header(req, resp, "Allow", allowed);
		} else
			resp_error(req, resp, 404, "not_found", "err.not_found");
		return;
	}
	req->route = rt;
	if (rt->perm != PERM_PUBLIC || strncmp(req->path, "/static/", 8)) {
		req->db = server_thread_db(app);
		if (!req->db) {
			resp_error(req, resp, 503, "unavailable", "err.db_unavailable");
			return;
		}
		if (auth_load(req) || auth_scope(req)) {
			resp_error(req, resp, 500, "internal", "err.internal");
			return;
		}
	}
	/* Anonymous writes (reports, tracking actions, Open311 POSTs) spend
	 * the address's budget, refused or not: filing junk costs the same. */
	if (app->anon_writes && req->sess.kind == AUTH_NONE && rt->perm == PERM_PUBLIC &&
	    !is_safe_method(req->method) && !(rt->flags & ROUTE_SIGN_IN)) {
		int64_t wait = ratelimit_take(app->anon_writes, req->address ? req->address : "",
					      (int64_t)time(NULL));
		if (wait) {
			char secs[24];
			snprintf(secs, sizeof(secs), "%lld", (long long)wait);
			resp_error(req, resp, 429, "too_many", "err.rate_limited");
			resp_header(req, resp, "Retry-After", secs);
			return;
		}
	}
	if (parse_form_body(req)) {
		resp_error(req, resp, 400, "bad_form", "err.bad_form");
		return;
	}
	if (!sess_allows(&req->sess, rt->perm) ||
	    (role_read_only(req->sess.role) && !is_safe_method(req->method) &&
	     !(rt->flags & (ROUTE_READ_ONLY_OK | ROUTE_SIGN_IN)))) {
		if (req->sess.kind != AUTH_NONE) {
			resp_error(req, resp, 403, "forbidden", "err.forbidden");
		} else if (req_wants_json(req)) {
			resp_error(req, resp, 401, "unauthorized", "err.unauthorized");
		} else {
			struct buf loc;
			buf_init(&loc, 4096);
			buf_adds(&loc, "/login?next=");
			url_encode(&loc, req->path);
			resp_redirect(req, resp, arena_strdup(req->arena, loc.buf));
			buf_release(&loc);
		}
		return;
	}
	if (!is_safe_method(req->method) && req->sess.kind == AUTH_COOKIE &&
	    !(rt->flags & ROUTE_NO_CSRF) && !auth_csrf_ok(req)) {
		log_info("http: csrf rejected %s %s user=%s", req->method, req->path,
			 req->sess.name);
		resp_error(req, resp, 403, "csrf", "err.csrf");
		return;
	}
	if ((rt->flags & ROUTE_CACHEABLE) && !strcmp(req->method, "GET") &&
	    !respcache_version(req->db, &version) && (key = respcache_key(req))) {
		if (respcache_get(key, version, resp))
			return;
		rc = rt->handler(req, resp);
		if (!rc && resp->status == 200)
			respcache_put(key, version, resp);
	} else {
		rc = rt->handler(req, resp);
	}
	if (rc && !resp->status) {
		log_error("http: %s %s failed: %s", req->method, req->path, lin_strerror(rc));
		resp_error(req, resp, 500, "internal", "err.internal");
	}
	if (!resp->status)
		resp->status = 200;
}
