/* GB 3096-2008 day and night limits and the assessment of a date. */
#include "limits.h"
#include "../base/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int noise_zone_limits(const char *zone_class, int64_t *day_centi, int64_t *night_centi)
{
	static const struct {
		const char *zone;
		int day, night; /* dB(A) */
	} table[] = {
	    {"0", 50, 40}, {"1", 55, 45},  {"2", 60, 50},
	    {"3", 65, 55}, {"4a", 70, 55}, {"4b", 70, 60},
	};

	for (size_t i = 0; zone_class && i < sizeof(table) / sizeof(table[0]); i++) {
		if (!strcmp(zone_class, table[i].zone)) {
			*day_centi = (int64_t)table[i].day * 100;
			*night_centi = (int64_t)table[i].night * 100;
			return 0;
		}
	}
	return LIN_EINVAL;
}

/* over: level (dB), taken at the stored resolution of 0.01 dB and then
 * rounded half up to 0.1 dB, is above limit_centi (a whole dB). Going
 * through hundredths first keeps an energetic mean of equal levels, which
 * may come back as 55.049999..., on the side the readings put it. */
static int over(double level, int64_t limit_centi)
{
	int64_t centi = llround(level * 100.0);

	return (centi + 5) / 10 > limit_centi / 10;
}

size_t noise_rollup_minutes(const struct noise_second *s, size_t n, struct noise_rollup *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t minute = s[i].t - ((s[i].t % 60) + 60) % 60;
		struct noise_rollup *r = &out[k ? k - 1 : 0];

		if (!k || r->t != minute) {
			r = &out[k++];
			*r = (struct noise_rollup){minute, 0, 0.0, s[i].lmax_centi};
		}
		if (s[i].lmax_centi > r->lmax_centi)
			r->lmax_centi = s[i].lmax_centi;
		r->seconds++;
		r->energy += pow(10.0, (double)s[i].laeq_centi / 1000.0);
	}
	return k;
}

struct noise_rollup noise_rollup_sum(int64_t t, const struct noise_rollup *r, size_t n)
{
	struct noise_rollup sum = {t, 0, 0.0, 0};

	for (size_t i = 0; i < n; i++) {
		if (!i || r[i].lmax_centi > sum.lmax_centi)
			sum.lmax_centi = r[i].lmax_centi;
		sum.seconds += r[i].seconds;
		sum.energy += r[i].energy;
	}
	return sum;
}

double noise_rollup_leq(const struct noise_rollup *r)
{
	return 10.0 * log10(r->energy / (double)r->seconds);
}

int noise_assess_day(const char *zone_class, int64_t day_start, const struct noise_second *s,
		     size_t n, struct noise_day *out)
{
	return noise_assess_day_merged(zone_class, day_start, NOISE_DAY_SECONDS, s, n, NULL, 0,
				       out);
}

int noise_assess_day_merged(const char *zone_class, int64_t day_start, int64_t day_seconds,
			    const struct noise_second *s, size_t n,
			    const struct noise_minute_level *mins, size_t nm, struct noise_day *out)
{
	struct noise_rollup *r = n ? malloc(n * sizeof(*r)) : NULL;
	size_t nr;
	int rc;

	if (n && !r)
		return LIN_ENOMEM;
	nr = noise_rollup_minutes(s, n, r);
	rc = noise_assess_day_rollups(zone_class, day_start, day_seconds, r, nr, mins, nm, out);
	free(r);
	return rc;
}

int noise_assess_day_rollups(const char *zone_class, int64_t day_start, int64_t day_seconds,
			     const struct noise_rollup *r, size_t nr,
			     const struct noise_minute_level *mins, size_t nm,
			     struct noise_day *out)
{
	struct noise_period *periods[2] = {&out->day, &out->night};
	double energy[2] = {0, 0};
	struct noise_period *cur;
	int rc;

	memset(out, 0, sizeof(*out));
	if (day_seconds <= 0 || day_seconds >= 86400)
		return LIN_EINVAL;
	rc = noise_zone_limits(zone_class, &out->day.limit_centi, &out->night.limit_centi);
	if (rc)
		return rc;
	/* The minutes of the readings: each one's LAeq,1min against the limit. */
	for (size_t i = 0; i < nr; i++) {
		int64_t off = r[i].t - day_start;

		if (off < 0 || off >= 86400 || !r[i].seconds)
			continue;
		cur = periods[off >= day_seconds];
		if (!cur->seconds || r[i].lmax_centi > cur->lmax_centi)
			cur->lmax_centi = r[i].lmax_centi;
		cur->seconds += r[i].seconds;
		energy[cur == &out->night] += r[i].energy;
		if (over(noise_rollup_leq(&r[i]), cur->limit_centi))
			cur->minutes_over++;
	}
	/* Minutes a station sent without seconds: 60 seconds at their LAeq. */
	for (size_t i = 0; i < nm; i++) {
		int64_t off = mins[i].t - day_start;
		int k;

		if (off < 0 || off >= 86400)
			continue;
		k = off >= day_seconds;
		cur = periods[k];
		if (!cur->seconds || mins[i].lmax_centi > cur->lmax_centi)
			cur->lmax_centi = mins[i].lmax_centi;
		cur->seconds += 60;
		energy[k] += 60.0 * pow(10.0, (double)mins[i].leq_centi / 1000.0);
		if (over((double)mins[i].leq_centi / 100.0, cur->limit_centi))
			cur->minutes_over++;
	}
	for (int k = 0; k < 2; k++) {
		struct noise_period *p = periods[k];
		if (!p->seconds)
			continue;
		p->laeq = 10.0 * log10(energy[k] / (double)p->seconds);
		p->exceeded = over(p->laeq, p->limit_centi);
	}
	out->night.lmax_exceeded =
	    out->night.seconds &&
	    out->night.lmax_centi > out->night.limit_centi + NOISE_NIGHT_MAX_ALLOWANCE;
	if (out->day.seconds && out->night.seconds) {
		double td = (double)day_seconds / 3600.0;
		out->ldn = 10.0 * log10((td * pow(10.0, out->day.laeq / 10.0) +
					 (24.0 - td) * pow(10.0, (out->night.laeq + 10.0) / 10.0)) /
					24.0);
		out->has_ldn = 1;
	}
	return 0;
}
