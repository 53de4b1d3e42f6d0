/* Allocation with a failure switch for tests; see alloc.h. */
#include "alloc.h"

#include <stdlib.h>

/* Process-wide, for tests only (docs/architecture.md, "Process-wide
 * state"): 0 while off, so the server pays one relaxed load. */
static long fail_at; /* the allocation that fails, counted from 1 */
static long counted; /* allocations since the last lin_alloc_fail_at */

static int should_fail(void)
{
	if (!__atomic_load_n(&fail_at, __ATOMIC_RELAXED))
		return 0;
	return ++counted >= fail_at;
}

void *lin_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n);
}

void *lin_calloc(size_t count, size_t size)
{
	return should_fail() ? NULL : calloc(count, size);
}

void *lin_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n);
}

long lin_alloc_fail_at(long nth)
{
	long n = counted;

	counted = 0;
	__atomic_store_n(&fail_at, nth > 0 ? nth : 0, __ATOMIC_RELAXED);
	return n;
}
