/* What a handler sees: one request (with its arena, session, language and
 * database connection) and one response to fill. Handlers never touch
 * libmicrohttpd directly. */
#ifndef LINLI_WEB_HTTP_H
#define LINLI_WEB_HTTP_H

#include "../base/arena.h"
#include "../base/buf.h"
#include "perm.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct route;
struct MHD_Connection;
struct app;
struct stream_source;

#define ROUTE_MAX_PARAMS 4
#define RESP_MAX_HEADERS 8

enum auth_kind { AUTH_NONE, AUTH_COOKIE, AUTH_TOKEN };

struct session {
	enum auth_kind kind;  /* how the caller proved who it is */
	int64_t user_id;      /* users.id, or 0 for an API token */
	int64_t token_id;     /* api_tokens.id when kind == AUTH_TOKEN */
	const char *name;     /* username or token name, for the audit log */
	int64_t area_id;      /* the area this session acts in */
	enum role role;	      /* the role held in that area */
	const char *csrf;     /* the session's CSRF token (cookie sessions) */
	enum role scope_role; /* street_staff / district_staff when the account acts
				 for a street or district, else ROLE_NONE */
	int64_t scope_id;     /* that street's or district's id (0 with no scope) */
};

struct form_field {
	const char *name;  /* decoded key */
	const char *value; /* decoded value */
};

struct http_req {
	struct arena *arena;		      /* freed when the response has been sent */
	struct MHD_Connection *conn;	      /* for headers, cookies and query values */
	const struct app *app;		      /* process-wide configuration */
	const char *method;		      /* "GET", "POST", ... */
	const char *path;		      /* URL path without the query */
	const char *body;		      /* request body, NUL-terminated */
	size_t body_len;		      /* bytes in body */
	const char *address;		      /* peer IP address as text */
	const char *lang;		      /* "zh-CN" or "en" */
	const struct route *route;	      /* the matched route */
	const char *params[ROUTE_MAX_PARAMS]; /* :captures from the path, in order */
	struct session sess;		      /* who is asking (kind AUTH_NONE if nobody) */
	struct db *db;			      /* this thread's connection */
	struct form_field *form;	      /* urlencoded body fields (POST forms) */
	int nform;			      /* entries in form */
};

struct http_resp {
	int status;				  /* HTTP status code */
	const char *content_type;		  /* defaults to text/html; charset=utf-8 */
	struct buf body;			  /* the body */
	const char *headers[RESP_MAX_HEADERS][2]; /* extra headers (arena strings) */
	int nheaders;				  /* entries used in headers */
	const char *csp_img;			  /* more img-src sources (a tile host), or NULL */
	/* set by resp_stream (stream.h): the answer stays open as a stream of
	 * this source's group key, NULL for an ordinary answer */
	const struct stream_source *stream;
	int64_t stream_key;    /* the group's key */
	int64_t stream_cursor; /* the group's starting state */
};

/* ---- request accessors ---- */
const char *req_query(struct http_req *req, const char *name);
/* req_query_list: every value of a repeated query parameter joined by
 * commas ("status=open&status=closed" as "open,closed"), NULL if absent. */
const char *req_query_list(struct http_req *req, const char *name);
const char *req_header(struct http_req *req, const char *name);
/* req_origin: "http://host[:port]" as the client reached us (https when
 * the server sets secure cookies, i.e. sits behind HTTPS); a Host header
 * that is not a plain host[:port] reads as "localhost". */
const char *req_origin(struct http_req *req);
const char *req_cookie(struct http_req *req, const char *name);
/* req_area_code: the area a public page means: ?area=CODE, else the
 * server's public_area (the setting "area"), else NULL (area_resolve then
 * takes the only area there is). */
const char *req_area_code(struct http_req *req);
/* req_form: the value of a urlencoded body field, NULL if absent. */
const char *req_form(struct http_req *req, const char *name);
/* req_json parses the body as a JSON object; NULL (and *err set to an
 * i18n key) when it is missing or malformed. The caller decrefs. */
json_t *req_json(struct http_req *req, const char **err);
/* req_param: path capture i (from ":name" in the route), NULL if none. */
const char *req_param(struct http_req *req, int i);
/* req_param_id: capture i as a positive id, 0 when absent or not one;
 * req_form_id: the same of a form field. */
int64_t req_param_id(struct http_req *req, int i);
int64_t req_form_id(struct http_req *req, const char *name);
/* req_t: a message from the request's language catalogue. */
const char *req_t(struct http_req *req, const char *key);
/* req_wants_json: the request is for the API (path under /api/). */
int req_wants_json(struct http_req *req);
int req_can(struct http_req *req, enum perm perm);
/* sess_allows: the session's role in its area, or the role of the street
 * or district it acts for, holds perm. */
int sess_allows(const struct session *sess, enum perm perm);

/* ---- responses ---- */
void resp_header(struct http_req *req, struct http_resp *resp, const char *name, const char *value);
/* resp_json sends obj (reference stolen) with the given status. */
int resp_json(struct http_resp *resp, int status, json_t *obj);
/* resp_error sends {"error":{"code","message"}} for API requests, or an
 * HTML error page, with the message in the reader's language. */
int resp_error(struct http_req *req, struct http_resp *resp, int status, const char *code,
	       const char *message_key);
int resp_redirect(struct http_req *req, struct http_resp *resp, const char *location);
int resp_text(struct http_resp *resp, int status, const char *content_type, const char *text);

#endif
