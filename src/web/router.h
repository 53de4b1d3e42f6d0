/* The route table: method + path pattern -> handler + permission. Patterns
 * are literal segments and ":name" captures ("/api/v1/households/:id").
 * Features contribute arrays of routes through their <feature>_add_routes;
 * the order does not matter: a literal segment beats a capture. */
#ifndef LINLI_WEB_ROUTER_H
#define LINLI_WEB_ROUTER_H

#include "http.h"

typedef int (*route_handler)(struct http_req *req, struct http_resp *resp);
/* An error writer answers an error the dispatcher raises before or around a
 * handler (413, 400 for a malformed body, 404, 405, 429, 503) in the shape
 * the routes under its prefix promise their clients. */
typedef int (*error_writer)(struct http_req *req, struct http_resp *resp, int status,
			    const char *message);

enum route_flags {
	ROUTE_NO_CSRF = 1 << 0,	     /* a state-changing route that checks its own origin (login) */
	ROUTE_UPLOAD = 1 << 3,	     /* takes file uploads: the larger body cap applies */
	ROUTE_SIGN_IN = 1 << 4,	     /* signing in: throttled by its own rules, so not an
					anonymous write (ratelimit.h) */
	ROUTE_CACHEABLE = 1 << 2,    /* a JSON read whose answer depends only on the data,
					the area, the role and the language (respcache.h) */
	ROUTE_READ_ONLY_OK = 1 << 5, /* a write a read-only role may still make
					(signing out, moving between its areas) */
};

struct route {
	const char *method;    /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *pattern;   /* path pattern */
	route_handler handler; /* does the work */
	enum perm perm;	       /* who may call it */
	unsigned flags;	       /* enum route_flags */
	const void *data;      /* handler's own context (e.g. an entity descriptor) */
	int index;	       /* position in the table, set by router_add */
};

struct router;

/* router_new: the caller owns the result and frees it with router_free. */
struct router *router_new(void);
void router_free(struct router *r);
/* router_add copies routes (terminated by a NULL method) into the table. */
int router_add(struct router *r, const struct route *routes);
/* router_match finds the route for method + path and fills req->params;
 * of several matching routes, the one with a literal where the others
 * capture, leftmost first, wins.
 * Returns the route, or NULL; *method_mismatch is set when the path exists
 * under another method (405 rather than 404). */
const struct route *router_match(const struct router *r, struct http_req *req,
				 int *method_mismatch);
/* router_allowed lists the methods path answers to ("GET, POST") into out. */
void router_allowed(const struct router *r, const char *path, char *out, size_t n);
/* router_error_writer: errors for paths under prefix are written by fn
 * (Open311's error list, say) instead of the site's own format. */
int router_error_writer(struct router *r, const char *prefix, error_writer fn);
/* router_error_writer_for: the writer for path, NULL for the site's own. */
error_writer router_error_writer_for(const struct router *r, const char *path);
int router_count(const struct router *r);
const struct route *router_at(const struct router *r, int i);

#endif
