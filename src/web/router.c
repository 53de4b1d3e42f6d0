/* Linear route matching over a small table: simple and fast enough for a
 * few hundred routes (a match costs a few string compares per route).
 * Among the routes a path matches, the most literal one wins: segments are
 * compared left to right and a literal beats a capture at the first place
 * they differ, so "/cases/new" beats "/cases/:id" whatever the order the
 * features added them in. Equal patterns keep the first added. */
#include "router.h"
#include "../base/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ROUTER_MAX_WRITERS 4

struct router {
	struct route *routes; /* owned array */
	int n;		      /* routes in use */
	int cap;	      /* routes allocated */
	struct {
		const char *prefix; /* a static string */
		error_writer fn;
	} writers[ROUTER_MAX_WRITERS];
	int nwriters;
};

struct router *router_new(void)
{
	return calloc(1, sizeof(struct router));
}

void router_free(struct router *r)
{
	if (!r)
		return;
	free(r->routes);
	free(r);
}

int router_add(struct router *r, const struct route *routes)
{
	for (const struct route *rt = routes; rt->method; rt++) {
		if (r->n == r->cap) {
			int cap = r->cap ? r->cap * 2 : 64;
			struct route *p = realloc(r->routes, (size_t)cap * sizeof(*p));
			if (!p)
				return LIN_ENOMEM;
			r->routes = p;
			r->cap = cap;
		}
		r->routes[r->n] = *rt;
		r->routes[r->n].index = r->n;
		r->n++;
	}
	return 0;
}

int router_error_writer(struct router *r, const char *prefix, error_writer fn)
{
	if (r->nwriters == ROUTER_MAX_WRITERS)
		return LIN_EINVAL;
	r->writers[r->nwriters].prefix = prefix;
	r->writers[r->nwriters].fn = fn;
	r->nwriters++;
	return 0;
}

error_writer router_error_writer_for(const struct router *r, const char *path)
{
	for (int i = 0; r && path && i < r->nwriters; i++)
		if (!strncmp(path, r->writers[i].prefix, strlen(r->writers[i].prefix)))
			return r->writers[i].fn;
	return NULL;
}

/* match_path compares pattern and path segment by segment, recording the
 * ":name" captures as arena copies. */
static int match_path(const char *pattern, const char *path, struct http_req *req)
{
	const char *caps[ROUTE_MAX_PARAMS];
	size_t caplen[ROUTE_MAX_PARAMS];
	int ncap = 0;

	while (*pattern && *path) {
		if (*pattern == ':') {
			const char *end = path;
			while (*end && *end != '/')
				end++;
			if (end == path || ncap == ROUTE_MAX_PARAMS)
				return 0;
			caps[ncap] = path;
			caplen[ncap++] = (size_t)(end - path);
			path = end;
			while (*pattern && *pattern != '/')
				pattern++;
			continue;
		}
		if (*pattern != *path)
			return 0;
		pattern++;
		path++;
	}
	if (*pattern || *path)
		return 0;
	if (req) {
		for (int i = 0; i < ROUTE_MAX_PARAMS; i++)
			req->params[i] =
			    i < ncap ? arena_strndup(req->arena, caps[i], caplen[i]) : NULL;
	}
	return 1;
}

/* literal_rank: one bit per segment, the first segment the highest, set
 * where the pattern has a literal. Of two patterns matching one path (so
 * with as many segments), the greater rank is the more literal. */
static uint64_t literal_rank(const char *pattern)
{
	uint64_t rank = 0;
	int seg = 0;

	for (const char *p = pattern; *p; p++) {
		if (*p != '/')
			continue;
		if (seg < 64 && p[1] != ':')
			rank |= (uint64_t)1 << (63 - seg);
		seg++;
	}
	return rank;
}

const struct route *router_match(const struct router *r, struct http_req *req, int *method_mismatch)
{
	const char *method = req->method;
	const struct route *best = NULL;
	uint64_t best_rank = 0;

	*method_mismatch = 0;
	if (!strcmp(method, "HEAD"))
		method = "GET";
	for (int i = 0; i < r->n; i++) {
		const struct route *rt = &r->routes[i];
		if (!match_path(rt->pattern, req->path, NULL))
			continue;
		if (strcmp(rt->method, method)) {
			*method_mismatch = 1;
			continue;
		}
		uint64_t rank = literal_rank(rt->pattern);
		if (!best || rank > best_rank) {
			best = rt;
			best_rank = rank;
		}
	}
	if (best) {
		*method_mismatch = 0;
		match_path(best->pattern, req->path, req);
	}
	return best;
}

void router_allowed(const struct router *r, const char *path, char *out, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (int i = 0; i < r->n; i++) {
		const struct route *rt = &r->routes[i];
		if (!match_path(rt->pattern, path, NULL) || strstr(out, rt->method))
			continue;
		int w = snprintf(out + used, n - used, "%s%s", used ? ", " : "", rt->method);
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

int router_count(const struct router *r)
{
	return r->n;
}

const struct route *router_at(const struct router *r, int i)
{
	return (i >= 0 && i < r->n) ? &r->routes[i] : NULL;
}
