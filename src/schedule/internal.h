/* Shared inside src/schedule only: how days and slots are named in
 * messages, a seeded random generator, and the monotonic clock. */
#ifndef LINLI_SCHEDULE_INTERNAL_H
#define LINLI_SCHEDULE_INTERNAL_H

#include "schedule.h"

#include <stddef.h>
#include <stdint.h>

/* sched_day_zh / sched_day_en: "周一" / "Mon" for day 0, "第8天" / "day 8"
 * past a week. */
const char *sched_day_zh(int d);
const char *sched_day_en(int d);
/* sched_when writes "周二 19:00" and "Tue 19:00 (slot 2)" (or, without a
 * label, "周二 第2时段" and "Tue slot 2") for day d, slot s. */
void sched_when(const struct sched_instance *in, int d, int s, char *zh, size_t zhlen, char *en,
		size_t enlen);

/* A xorshift64* generator: the heuristic and the random instances are
 * reproducible from their seed on every platform. */
struct sched_rng {
	uint64_t state; /* never 0 */
};

void sched_rng_seed(struct sched_rng *g, uint64_t seed);
uint64_t sched_rng_next(struct sched_rng *g);
/* sched_rng_below: uniform in [0, n), n > 0. */
uint32_t sched_rng_below(struct sched_rng *g, uint32_t n);
/* sched_rng_unit: uniform in [0, 1). */
double sched_rng_unit(struct sched_rng *g);

/* sched_now: seconds on the monotonic clock. */
double sched_now(void);

/* sched_low_bits: the mask of bits 0..n-1 (all 64 when n >= 64). */
static inline uint64_t sched_low_bits(int n)
{
	return n >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << n) - 1);
}

/* sched_fail writes the message (printf style) into err, if any, and
 * returns LIN_EINVAL. */
int sched_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
