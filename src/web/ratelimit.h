/* A per-address budget of anonymous writes (public reports, tracking
 * actions, Open311 POSTs): at most limit in a window of seconds that opens
 * with the address's first write. In memory, per server process; several
 * servers behind one proxy each keep their own. */
#ifndef LINLI_WEB_RATELIMIT_H
#define LINLI_WEB_RATELIMIT_H

#include <stdint.h>

struct ratelimit;

/* ratelimit_new: NULL when limit is 0 (no budget) or on failure. */
struct ratelimit *ratelimit_new(unsigned limit, unsigned window);
void ratelimit_free(struct ratelimit *rl);
/* ratelimit_take spends one write of address at now (epoch seconds).
 * Returns 0 when it may go on, else the seconds until its window closes
 * (at least 1: the Retry-After to send). Thread-safe. */
int64_t ratelimit_take(struct ratelimit *rl, const char *address, int64_t now);

#endif
