/* Internal to src/db: a per-connection cache of prepared statements keyed
 * by their SQL text, so a statement the server runs on every request is
 * compiled once per connection. Least recently used entries go first. */
#ifndef LINLI_DB_STMTCACHE_H
#define LINLI_DB_STMTCACHE_H

#include <stdint.h>

#define STMT_CACHE_SIZE 96

struct stmt_cache_entry {
	char *sql;     /* SQL text (owned), NULL when the slot is free */
	uint64_t hash; /* hash of sql */
	void *handle;  /* the engine's prepared statement */
	int in_use;    /* handed out and not yet given back */
	uint64_t tick; /* last use, for eviction */
};

struct stmt_cache {
	struct stmt_cache_entry slots[STMT_CACHE_SIZE];
	uint64_t tick;				  /* use counter */
	void (*destroy)(void *ctx, void *handle); /* frees an evicted handle */
	void *ctx;				  /* passed to destroy */
};

void stmt_cache_init(struct stmt_cache *c, void (*destroy)(void *, void *), void *ctx);
/* stmt_cache_get: a free cached handle for sql (now in use) and its slot,
 * or NULL. */
void *stmt_cache_get(struct stmt_cache *c, const char *sql, int *slot);
/* stmt_cache_put stores a new handle (in use) and returns its slot, or -1
 * when every slot is in use (the caller then owns the handle itself). */
int stmt_cache_put(struct stmt_cache *c, const char *sql, void *handle);
/* stmt_cache_release gives a handle back for reuse. */
void stmt_cache_release(struct stmt_cache *c, int slot);
/* stmt_cache_clear destroys every handle (on close). */
void stmt_cache_clear(struct stmt_cache *c);

#endif
