/* GB 3096-2008 limits and the day/night assessment of a meter's 1-s
 * readings and of the minutes a station sent without them: pure
 * arithmetic, no I/O, so the report, the API and alerts share one reading
 * of the standard. Levels are hundredths of a dB. */
#ifndef LINLI_NOISE_LIMITS_H
#define LINLI_NOISE_LIMITS_H

#include "noise.h"

#include <stddef.h>
#include <stdint.h>

#define NOISE_DAY_SECONDS	  (16 * 3600) /* 06:00-22:00 */
#define NOISE_NIGHT_MAX_ALLOWANCE 1500	      /* a night maximum may exceed by 15 dB */

/* One period's assessment (the day 06:00-22:00 or the night after it). */
struct noise_period {
	int64_t limit_centi;  /* the class's limit for the period */
	int64_t seconds;      /* seconds with data: a reading, or 60 per minute row */
	double laeq;	      /* energetic mean over those seconds, dB (seconds > 0) */
	int64_t lmax_centi;   /* the largest maximum (seconds > 0) */
	int exceeded;	      /* laeq, to 0.1 dB, above the limit */
	int64_t minutes_over; /* clock minutes whose LAeq,1min is above the limit */
	int lmax_exceeded;    /* night only: a maximum above limit + 15 dB */
};

struct noise_day {
	struct noise_period day, night;
	double ldn; /* 10 lg((Td·10^(Ld/10) + Tn·10^((Ln+10)/10)) / 24), hours; if has_ldn */
	int has_ldn;
};

/* One stored minute of a station's minute data (HJ 212 CN=2051) whose
 * minute holds no per-second reading: it stands for 60 seconds at its
 * LAeq. */
struct noise_minute_level {
	int64_t t;	    /* UTC epoch second the minute starts, a multiple of 60 */
	int64_t leq_centi;  /* LAeq,1min */
	int64_t lmax_centi; /* the minute's maximum */
};

/* One minute (or hour) of a meter's 1-s readings summed: what the
 * rollup tables hold (noise_rollup_minutes, noise_rollup_hours). */
struct noise_rollup {
	int64_t t;	    /* UTC epoch second the span starts */
	int64_t seconds;    /* readings in the span */
	double energy;	    /* the sum of 10^(L/10) over them, added in time order */
	int64_t lmax_centi; /* the largest maximum */
};

/* noise_rollup_minutes sums the seconds s[0..n) (in time order) into
 * their clock minutes, out[0..) (room for n), and returns how many. The
 * one place a minute's energy is added up: the rollups stored with the
 * readings and the assessment of seconds agree to the bit. */
size_t noise_rollup_minutes(const struct noise_second *s, size_t n, struct noise_rollup *out);
/* noise_rollup_sum adds the spans r[0..n) (in time order) into one
 * starting at t: the hour of its minutes. */
struct noise_rollup noise_rollup_sum(int64_t t, const struct noise_rollup *r, size_t n);
/* noise_rollup_leq: the span's LAeq, 10 lg(energy / seconds), in dB. */
double noise_rollup_leq(const struct noise_rollup *r);

/* noise_assess_day assesses the date whose local 06:00 is day_start (UTC
 * epoch seconds): the day [day_start, +16 h) and the night [+16 h, +24 h)
 * that follows. Seconds of s[0..n) outside those 24 hours are ignored.
 * Levels are compared with limits at 0.1 dB: 55.04 is within 55, 55.05
 * is over. Returns 0 or LIN_EINVAL for an unknown class. */
int noise_assess_day(const char *zone_class, int64_t day_start, const struct noise_second *s,
		     size_t n, struct noise_day *out);

/* noise_assess_day_merged is noise_assess_day with a day of day_seconds
 * (the area's hours: from the end of its night to the start of the next;
 * 16 h by default; the weights of Ldn follow) over the seconds s[0..n)
 * and the minutes m[0..nm) (none of them a minute of s; see
 * noise_minutes_uncovered): a minute adds 60 seconds at its LAeq to its
 * period's energy and count, is over when its LAeq is, and its maximum
 * counts for the period's Lmax. With nm = 0 it is noise_assess_day.
 * day_start is a whole minute (local hours are HH:MM). */
int noise_assess_day_merged(const char *zone_class, int64_t day_start, int64_t day_seconds,
			    const struct noise_second *s, size_t n,
			    const struct noise_minute_level *m, size_t nm, struct noise_day *out);
/* noise_assess_day_rollups is noise_assess_day_merged over the seconds
 * already summed into minutes r[0..nr) (noise_rollup_minutes, or the
 * rollup table): the same answer to the bit. */
int noise_assess_day_rollups(const char *zone_class, int64_t day_start, int64_t day_seconds,
			     const struct noise_rollup *r, size_t nr,
			     const struct noise_minute_level *m, size_t nm, struct noise_day *out);

#endif
