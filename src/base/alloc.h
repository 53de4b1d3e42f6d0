/* Memory for base/: every allocation of the buffers and the arena goes
 * through here, so a test can make the Nth one fail (curl's "torture"
 * tests) and check that each path that allocates fails cleanly. */
#ifndef LINLI_BASE_ALLOC_H
#define LINLI_BASE_ALLOC_H

#include <stddef.h>

/* Like malloc, calloc and realloc; release with free(). */
void *lin_malloc(size_t n);
void *lin_calloc(size_t count, size_t size);
void *lin_realloc(void *p, size_t n);

/* lin_alloc_fail_at: for tests. The nth allocation from now fails (1 is
 * the next one), and every one after it until the next call; 0 turns
 * failing off. Returns how many allocations were counted since the last
 * call. Process-wide: use it from one thread while no other allocates. */
long lin_alloc_fail_at(long nth);

#endif
