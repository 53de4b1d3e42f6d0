/* Response cache; see respcache.h. A fixed-size open hash table guarded
 * by one mutex; when the bytes held pass the cap, everything goes (simple,
 * and a write invalidates all entries anyway). */
#include "respcache.h"
#include "../base/err.h"
#include "../db/db.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define RESPCACHE_SLOTS 1024

struct cache_entry {
	char *key;	  /* owned; NULL when the slot is free */
	uint64_t hash;	  /* hash of key */
	int64_t version;  /* data_version the body was computed at */
	char *body;	  /* owned copy of the body */
	size_t len;	  /* bytes in body */
	const char *type; /* content type (a static string) */
};

/* Process-wide (see docs/architecture.md): shared by the worker threads. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cache_entry cache[RESPCACHE_SLOTS];
static size_t cache_bytes;

static uint64_t key_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

int respcache_version(struct db *db, int64_t *out)
{
	return db_query_int64(db, "SELECT v FROM data_version WHERE id = 1", out, 0);
}

struct key_builder {
	struct buf b; /* the key so far */
};

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct key_builder *k = cls;
	(void)kind;
	buf_addc(&k->b, '&');
	buf_adds(&k->b, key);
	buf_addc(&k->b, '=');
	buf_adds(&k->b, value ? value : "");
	return MHD_YES;
}

const char *respcache_key(struct http_req *req)
{
	struct key_builder k;
	const char *key;

	buf_init(&k.b, 8192);
	buf_addf(&k.b, "%s %s|%lld|%s|%s|%s:%lld|", req->method, req->path,
		 (long long)req->sess.area_id, role_name(req->sess.role), req->lang,
		 role_name(req->sess.scope_role), (long long)req->sess.scope_id);
	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, add_arg, &k);
	key = k.b.failed ? NULL : arena_strdup(req->arena, k.b.buf);
	buf_release(&k.b);
	return key;
}

static void entry_free(struct cache_entry *e)
{
	cache_bytes -= e->len + strlen(e->key);
	free(e->key);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

int respcache_get(const char *key, int64_t version, struct http_resp *resp)
{
	uint64_t h = key_hash(key);
	struct cache_entry *e = &cache[h % RESPCACHE_SLOTS];
	int hit = 0;

	pthread_mutex_lock(&cache_lock);
	if (e->key && e->hash == h && e->version == version && !strcmp(e->key, key)) {
		buf_reset(&resp->body);
		hit = !buf_add(&resp->body, e->body, e->len);
		resp->content_type = e->type;
		resp->status = 200;
	}
	pthread_mutex_unlock(&cache_lock);
	return hit;
}

void respcache_put(const char *key, int64_t version, const struct http_resp *resp)
{
	uint64_t h = key_hash(key);
	struct cache_entry *e = &cache[h % RESPCACHE_SLOTS];
	char *k = strdup(key), *body = malloc(resp->body.len + 1);

	if (!k || !body || resp->body.failed) {
		free(k);
		free(body);
		return;
	}
	memcpy(body, resp->body.buf, resp->body.len + 1);
	pthread_mutex_lock(&cache_lock);
	if (e->key)
		entry_free(e);
	if (cache_bytes + resp->body.len + strlen(k) > RESPCACHE_MAX_BYTES) {
		for (int i = 0; i < RESPCACHE_SLOTS; i++)
			if (cache[i].key)
				entry_free(&cache[i]);
	}
	e->key = k;
	e->hash = h;
	e->version = version;
	e->body = body;
	e->len = resp->body.len;
	e->type = resp->content_type;
	cache_bytes += e->len + strlen(k);
	pthread_mutex_unlock(&cache_lock);
}

void respcache_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < RESPCACHE_SLOTS; i++)
		if (cache[i].key)
			entry_free(&cache[i]);
	pthread_mutex_unlock(&cache_lock);
}
