/* A process-wide cache of JSON answers to repeated reads. An entry is
 * keyed by method, path, query, area, role and language, and is good only
 * while the database's data_version (raised by every write) is unchanged.
 * Only routes flagged ROUTE_CACHEABLE use it: their answer depends on
 * nothing else (no per-user data, no CSRF token in the body). */
#ifndef LINLI_WEB_RESPCACHE_H
#define LINLI_WEB_RESPCACHE_H

#include "http.h"

#include <stdint.h>

#define RESPCACHE_MAX_BYTES ((size_t)16 << 20)

/* respcache_version reads the current data version. */
int respcache_version(struct db *db, int64_t *out);
/* respcache_key builds the key for req into an arena string. */
const char *respcache_key(struct http_req *req);
/* respcache_get fills resp on a hit (1), else returns 0. */
int respcache_get(const char *key, int64_t version, struct http_resp *resp);
/* respcache_put remembers a 200 answer computed at version. */
void respcache_put(const char *key, int64_t version, const struct http_resp *resp);
/* respcache_clear frees every entry (at shutdown). */
void respcache_clear(void);

#endif
