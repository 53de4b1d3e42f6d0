/* GB 3096-2008 limits and the day/night assessment of a meter's 1-s
 * readings: pure arithmetic, no I/O, so the report, the API and alerts
 * share one reading of the standard. Levels are hundredths of a dB. */
#ifndef LINLI_NOISE_LIMITS_H
#define LINLI_NOISE_LIMITS_H

#include <stddef.h>
#include <stdint.h>

#define NOISE_DAY_SECONDS	  (16 * 3600) /* 06:00-22:00 */
#define NOISE_NIGHT_MAX_ALLOWANCE 1500	      /* a night maximum may exceed by 15 dB */

/* noise_zone_limits: the class's day and night LAeq limits in hundredths
 * (class "1": 5500 and 4500); LIN_EINVAL for an unknown class. */
int noise_zone_limits(const char *zone_class, int64_t *day_centi, int64_t *night_centi);

/* One period's assessment (the day 06:00-22:00 or the night after it). */
struct noise_period {
	int64_t limit_centi;  /* the class's limit for the period */
	int64_t seconds;      /* seconds with a reading */
	double laeq;	      /* energetic mean of the 1-s levels, dB (seconds > 0) */
	int64_t lmax_centi;   /* the largest maximum (seconds > 0) */
	int exceeded;	      /* laeq, to 0.1 dB, above the limit */
	int64_t minutes_over; /* clock minutes whose LAeq,1min is above the limit */
	int lmax_exceeded;    /* night only: a maximum above limit + 15 dB */
};

struct noise_day {
	struct noise_period day, night;
	double ldn; /* 10 lg((16·10^(Ld/10) + 8·10^((Ln+10)/10)) / 24); valid if has_ldn */
	int has_ldn;
};

/* One stored reading as the assessment reads it. */
struct noise_second {
	int64_t t;	    /* UTC epoch second */
	int64_t laeq_centi; /* LAeq,1s */
	int64_t lmax_centi; /* the second's maximum (its LAeq when none was sent) */
};

/* noise_assess_day assesses the date whose local 06:00 is day_start (UTC
 * epoch seconds): the day [day_start, +16 h) and the night [+16 h, +24 h)
 * that follows. Seconds of s[0..n) outside those 24 hours are ignored.
 * Levels are compared with limits at 0.1 dB: 55.04 is within 55, 55.05
 * is over. Returns 0 or LIN_EINVAL for an unknown class. */
int noise_assess_day(const char *zone_class, int64_t day_start, const struct noise_second *s,
		     size_t n, struct noise_day *out);

#endif
