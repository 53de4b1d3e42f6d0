/* Anonymous write budgets; see ratelimit.h. An open-addressed table of
 * fixed size: an address probes a few slots, reuses one whose window has
 * closed, and otherwise evicts the slot whose window opened first, so a
 * flood of new addresses can only ever forget the oldest budgets. */
#include "ratelimit.h"
#include "../base/rand.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 4096 /* a power of two */
#define PROBE 16

struct slot {
	char address[64]; /* "" when free */
	int64_t opened;	  /* when its window opened */
	unsigned used;	  /* writes in that window */
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned limit, window;
	struct slot slots[SLOTS];
};

struct ratelimit *ratelimit_new(unsigned limit, unsigned window)
{
	struct ratelimit *rl;

	if (!limit || !window || !(rl = calloc(1, sizeof(*rl))))
		return NULL;
	pthread_mutex_init(&rl->lock, NULL);
	rl->limit = limit;
	rl->window = window;
	return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a, then mixed */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return lin_mix64(h);
}

int64_t ratelimit_take(struct ratelimit *rl, const char *address, int64_t now)
{
	struct slot *s = NULL, *oldest = NULL;
	uint64_t h = hash(address);
	int64_t wait = 0;

	pthread_mutex_lock(&rl->lock);
	for (int i = 0; i < PROBE && !s; i++) {
		struct slot *t = &rl->slots[(h + (uint64_t)i) & (SLOTS - 1)];
		if (!strcmp(t->address, address))
			s = t;
		else if (!oldest || t->opened < oldest->opened)
			oldest = t; /* a free slot has opened 0: the oldest of all */
	}
	if (!s) {
		s = oldest;
		snprintf(s->address, sizeof(s->address), "%s", address);
		s->opened = now;
		s->used = 0;
	}
	if (now >= s->opened + (int64_t)rl->window) {
		s->opened = now;
		s->used = 0;
	}
	if (s->used >= rl->limit)
		wait = s->opened + (int64_t)rl->window - now;
	else
		s->used++;
	pthread_mutex_unlock(&rl->lock);
	return wait;
}
