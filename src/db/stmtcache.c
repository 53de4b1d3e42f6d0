/* Prepared-statement cache; see stmtcache.h. */
#include "stmtcache.h"

#include <stdlib.h>
#include <string.h>

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

void stmt_cache_init(struct stmt_cache *c, void (*destroy)(void *, void *), void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->destroy = destroy;
	c->ctx = ctx;
}

void *stmt_cache_get(struct stmt_cache *c, const char *sql, int *slot)
{
	uint64_t h = sql_hash(sql);

	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		struct stmt_cache_entry *e = &c->slots[i];
		if (e->sql && !e->in_use && e->hash == h && !strcmp(e->sql, sql)) {
			e->in_use = 1;
			e->tick = ++c->tick;
			*slot = i;
			return e->handle;
		}
	}
	return NULL;
}

int stmt_cache_put(struct stmt_cache *c, const char *sql, void *handle)
{
	int victim = -1;

	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		struct stmt_cache_entry *e = &c->slots[i];
		if (!e->sql) {
			victim = i;
			break;
		}
		if (!e->in_use && (victim < 0 || e->tick < c->slots[victim].tick))
			victim = i;
	}
	if (victim < 0)
		return -1;
	struct stmt_cache_entry *e = &c->slots[victim];
	char *copy = strdup(sql);
	if (!copy)
		return -1;
	if (e->sql) {
		c->destroy(c->ctx, e->handle);
		free(e->sql);
	}
	e->sql = copy;
	e->hash = sql_hash(sql);
	e->handle = handle;
	e->in_use = 1;
	e->tick = ++c->tick;
	return victim;
}

void stmt_cache_release(struct stmt_cache *c, int slot)
{
	if (slot >= 0 && slot < STMT_CACHE_SIZE)
		c->slots[slot].in_use = 0;
}

void stmt_cache_clear(struct stmt_cache *c)
{
	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		struct stmt_cache_entry *e = &c->slots[i];
		if (!e->sql)
			continue;
		c->destroy(c->ctx, e->handle);
		free(e->sql);
		e->sql = NULL;
	}
}
