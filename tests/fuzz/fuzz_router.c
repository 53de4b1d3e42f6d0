/* Fuzz target for route matching (src/web/router.c). The input is a
 * method, a newline and a path; router_match over a small table with
 * literal and ":name" segments is compared with a reference matcher that
 * works segment by segment. */
#include "fuzz.h"
#include "base/arena.h"
#include "web/http.h"
#include "web/router.h"

#include <stdlib.h>
#include <string.h>

static int handler(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	(void)resp;
	return 0;
}

/* Like the real table: the same path under several methods, captures in
 * the middle and at the end, a literal that a capture would also match
 * (listed first, so it wins), and the most captures a route may have. */
static const struct route table[] = {
    {"GET", "/", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/login", handler, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/login", handler, PERM_PUBLIC, ROUTE_NO_CSRF, NULL, 0},
    {"GET", "/api/v1/households", handler, PERM_PUBLIC, ROUTE_CACHEABLE, NULL, 0},
    {"POST", "/api/v1/households", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/api/v1/households/new", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/api/v1/households/:id", handler, PERM_PUBLIC, ROUTE_CACHEABLE, NULL, 0},
    {"PATCH", "/api/v1/households/:id", handler, PERM_PUBLIC, 0, NULL, 0},
    {"DELETE", "/api/v1/households/:id", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/api/v1/:entity/:id/children/:child", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/r/:a/:b/:c/:d", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/r/:a/:b/:c/:d/:e", handler, PERM_PUBLIC, 0, NULL, 0}, /* too many: never */
    {"PUT", "/居民/:名字", handler, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/assets/:file", handler, PERM_PUBLIC, 0, NULL, 0},
    {NULL, NULL, NULL, PERM_PUBLIC, 0, NULL, 0},
};

#define NROUTES ((int)(sizeof(table) / sizeof(table[0])) - 1)

/* ref_match: pattern and path have as many '/'-separated segments; a
 * ":name" segment takes any non-empty segment, others must be equal.
 * Captures go to caps (arena copies), at most ROUTE_MAX_PARAMS. */
static int ref_match(const char *pattern, const char *path, struct arena *a, const char **caps)
{
	int n = 0;

	for (;;) {
		size_t plen = strcspn(pattern, "/"), slen = strcspn(path, "/");
		if (pattern[0] == ':') {
			if (slen == 0 || n == ROUTE_MAX_PARAMS)
				return 0;
			caps[n++] = arena_strndup(a, path, slen);
		} else if (plen != slen || memcmp(pattern, path, plen)) {
			return 0;
		}
		pattern += plen;
		path += slen;
		if (!*pattern || !*path)
			return !*pattern && !*path;
		pattern++; /* both at a '/' */
		path++;
	}
}

static struct router *router;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input = fuzz_strndup(data, size), *nl = strchr(input, '\n');
	struct arena a;
	struct http_req req;
	const struct route *rt;
	int mismatch = -1, want = -1, other_method = 0;
	const char *caps[ROUTE_MAX_PARAMS] = {NULL};

	if (!router) {
		router = router_new();
		FUZZ_CHECK(router && router_add(router, table) == 0);
		FUZZ_CHECK(router_count(router) == NROUTES);
		for (int i = 0; i < NROUTES; i++)
			FUZZ_CHECK(router_at(router, i)->index == i &&
				   router_at(router, i)->pattern == table[i].pattern);
		FUZZ_CHECK(!router_at(router, -1) && !router_at(router, NROUTES));
	}
	arena_init(&a, 0);
	memset(&req, 0, sizeof(req));
	req.arena = &a;
	if (nl) {
		*nl = '\0';
		req.method = input;
		req.path = nl + 1;
	} else {
		req.method = "GET";
		req.path = input;
	}
	rt = router_match(router, &req, &mismatch);

	/* The reference: the first route whose path and method match. */
	const char *method = strcmp(req.method, "HEAD") ? req.method : "GET";
	for (int i = 0; i < NROUTES; i++) {
		const char *c[ROUTE_MAX_PARAMS] = {NULL};
		if (!ref_match(table[i].pattern, req.path, &a, c))
			continue;
		if (strcmp(table[i].method, method)) {
			other_method = 1;
			continue;
		}
		want = i;
		memcpy(caps, c, sizeof(caps));
		break;
	}
	if (want < 0) {
		FUZZ_CHECK(rt == NULL);
		FUZZ_CHECK(mismatch == other_method);
	} else {
		FUZZ_CHECK(rt == router_at(router, want));
		FUZZ_CHECK(mismatch == 0 || mismatch == 1);
		for (int i = 0; i < ROUTE_MAX_PARAMS; i++) {
			FUZZ_CHECK((req.params[i] == NULL) == (caps[i] == NULL));
			if (caps[i])
				FUZZ_CHECK(!strcmp(req.params[i], caps[i]) &&
					   !strchr(req.params[i], '/') && *req.params[i]);
		}
	}
	arena_release(&a);
	free(input);
	return 0;
}
