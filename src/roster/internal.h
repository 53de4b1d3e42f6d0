/* Shared inside src/roster only: Shanghai days and ISO weeks, a seeded
 * random generator, the monotonic clock, the counts a roster is judged
 * by, and the two solvers roster_solve chooses between. */
#ifndef LINLI_ROSTER_INTERNAL_H
#define LINLI_ROSTER_INTERNAL_H

#include "roster.h"

#include <stddef.h>
#include <stdint.h>

/* Times an instance may hold: 1900-01-01 to 2101-01-01 UTC (the years
 * parse_date reads), so day arithmetic never overflows. */
#define ROSTER_TIME_MIN (-2208988800LL)
#define ROSTER_TIME_MAX 4133980800LL

/* roster_day: the Shanghai calendar day of t (days since 1970-01-01).
 * roster_week: the ISO week of t in Shanghai, numbered from the week of
 * Monday 1969-12-29 (week 0); weeks start on Monday at 00:00. */
int64_t roster_day(int64_t t);
int64_t roster_week(int64_t t);
/* roster_time_text writes t as "2026-12-07T07:00:00+08:00" (26 bytes). */
void roster_time_text(int64_t t, char *out, size_t n);
/* roster_overlap: [a0, a1) and [b0, b1) share a second. */
static inline int roster_overlap(int64_t a0, int64_t a1, int64_t b0, int64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* base/rand.h's splitmix64 stream: rosters and random instances are
 * reproducible from their seed on every platform. */
struct roster_rng {
	uint64_t state; /* splitmix64's state */
};

void roster_rng_seed(struct roster_rng *g, uint64_t seed);
uint64_t roster_rng_next(struct roster_rng *g);
/* roster_rng_below: uniform in [0, n), n > 0. */
uint32_t roster_rng_below(struct roster_rng *g, uint32_t n);

/* roster_fail writes the message (printf style) into err, if any, and
 * returns LIN_EINVAL. */
int roster_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* roster_allowed: volunteer v may ever hold shift s, whatever else they
 * hold: the shift wants someone, v is free then, v's limits are not 0, and
 * an untrained v only where the shift has untrained places. */
int roster_allowed(const struct roster_instance *in, int s, int v);

/* roster_previous_mark: one byte per (shift, volunteer) pair listed in
 * previous would be too many; previous is sorted (shift, volunteer) into
 * a copy the caller frees, and roster_previous_has searches it. */
struct roster_pair *roster_previous_sorted(const struct roster_instance *in);
int roster_previous_has(const struct roster_pair *sorted, int n, int s, int v);
int roster_pair_cmp(const void *a, const void *b);

/* roster_finish sorts r->assign and sets filled, covered, kept, spread
 * and the unfilled shifts with their reasons, from the assignments. */
int roster_finish(const struct roster_instance *in, struct roster_result *r);
/* roster_better: a is better than b (covered, then kept, then spread). */
int roster_better(const struct roster_result *a, const struct roster_result *b);

/* The solvers (heuristic.c, cbc.c): the instance is valid. roster_cbc
 * starts from start when given (NULL: none); roster_cbc_columns counts
 * the MIP's columns (AUTO calls CBC only below ROSTER_AUTO_COLUMNS). */
int roster_heuristic(const struct roster_instance *in, const struct roster_options *o,
		     struct roster_result *out);
int roster_cbc(const struct roster_instance *in, const struct roster_result *start,
	       const struct roster_options *o, struct roster_result *out, char *err, size_t errlen);
long roster_cbc_columns(const struct roster_instance *in);
/* roster_polish: fairness swaps that keep covered and kept (heuristic.c),
 * also run on CBC's roster, whose MIP leaves fairness out. */
int roster_polish(const struct roster_instance *in, struct roster_result *r, uint64_t seed);

#define ROSTER_AUTO_COLUMNS    60000   /* AUTO runs CBC up to this many columns */
#define ROSTER_CBC_MAX_COLUMNS 8000000 /* CBC refuses a larger MIP (~3 GB) */

#endif
