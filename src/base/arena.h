/* A per-request memory pool: many small allocations, one free at the end.
 * Blocks are chained; nothing is freed individually. */
#ifndef LINLI_BASE_ARENA_H
#define LINLI_BASE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head; /* newest block; allocations come from here */
	size_t total;		  /* bytes allocated in all blocks */
	size_t max;		  /* cap on total; 0 means 256 MiB */
};

void arena_init(struct arena *a, size_t max);
/* arena_release frees every block; the arena may be reused after. */
void arena_release(struct arena *a);
/* arena_alloc returns zeroed, 16-byte aligned memory or NULL over the cap. */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
