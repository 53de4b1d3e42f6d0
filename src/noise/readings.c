/* Readings as meters send them: the checks of a batch, and of a station's
 * minute or hour statistics, with no I/O, so the HTTP route, the other
 * ways in and the fuzz target share one rule. */
#include "ingest.h"
#include "../base/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* level_centi reads a level of dB with at most two decimals as
 * hundredths, exactly (57.9 -> 5790); LIN_EINVAL otherwise. */
static int level_centi(double d, int64_t *out)
{
	double scaled;

	if (!(d >= 0 && d <= 150))
		return LIN_EINVAL;
	scaled = d * 100.0;
	/* Two decimals at most: the value times 100 must be (nearly) whole. */
	if (fabs(scaled - round(scaled)) > 1e-6)
		return LIN_EINVAL;
	*out = (int64_t)llround(scaled);
	return 0;
}

int noise_reading_check(int64_t t, double laeq, int has_lmax, double lmax, int64_t now,
			struct noise_reading *r, const char **why)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	if (t < now - NOISE_PAST_MAX || t > now + NOISE_FUTURE_MAX) {
		*why = "noise.err.time_range";
		return LIN_EINVAL;
	}
	if (level_centi(laeq, &r->laeq_centi)) {
		*why = "noise.err.level";
		return LIN_EINVAL;
	}
	if (has_lmax) {
		if (level_centi(lmax, &r->lmax_centi) || r->lmax_centi < r->laeq_centi) {
			*why = "noise.err.lmax";
			return LIN_EINVAL;
		}
		r->has_lmax = 1;
	}
	return 0;
}

int noise_minute_check(int64_t t, int64_t span_s, const struct hj212_noise_stats *s, int64_t now,
		       struct noise_minute *m, const char **why)
{
	/* The percentiles from the loudest (exceeded 5 % of the time) down. */
	static const int ln[] = {HJ212_L5, HJ212_L10, HJ212_L50, HJ212_L90, HJ212_L95};
	int64_t *c = m->centi;
	int prev = -1;

	memset(m, 0, sizeof(*m));
	m->t = t;
	m->span_s = span_s;
	if (span_s != NOISE_MINUTE && span_s != NOISE_HOUR) {
		*why = "span is neither a minute nor an hour";
		return LIN_EINVAL;
	}
	if (t % span_s) {
		*why = span_s == NOISE_MINUTE ? "DataTime is not a whole minute"
					      : "DataTime is not a whole hour";
		return LIN_EINVAL;
	}
	/* The statistics of a span exist once it is over. */
	if (t < now - NOISE_PAST_MAX || t > now + NOISE_FUTURE_MAX - span_s) {
		*why = "DataTime out of range (at most seven days old, the span over by now)";
		return LIN_EINVAL;
	}
	if (!s->has[HJ212_LEQ] || !s->has[HJ212_LMX]) {
		*why = "Leq or LMx missing";
		return LIN_EINVAL;
	}
	for (int i = 0; i < HJ212_NOISE_STATS; i++) {
		if (!s->has[i])
			continue;
		if (level_centi(s->level[i], &c[i])) {
			*why = "a level is not 0 to 150 dB with at most two decimals";
			return LIN_EINVAL;
		}
		m->has[i] = 1;
	}
	if (c[HJ212_LMX] < c[HJ212_LEQ] || (m->has[HJ212_LMN] && c[HJ212_LMX] < c[HJ212_LMN])) {
		*why = "LMx is below Leq or LMn";
		return LIN_EINVAL;
	}
	for (size_t i = 0; i < sizeof(ln) / sizeof(ln[0]); i++) {
		if (!m->has[ln[i]])
			continue;
		if (prev >= 0 && c[ln[i]] > c[prev]) {
			*why = "L5 >= L10 >= L50 >= L90 >= L95 does not hold";
			return LIN_EINVAL;
		}
		prev = ln[i];
	}
	return 0;
}

int noise_readings_parse(json_t *body, int64_t now, struct noise_reading **list, int *n,
			 int *bad_index, const char **why)
{
	json_t *arr = json_object_get(body, "readings"), *item;
	struct noise_reading *out;
	size_t i;

	*list = NULL;
	*n = 0;
	*bad_index = -1;
	if (!json_is_array(arr) || !json_array_size(arr)) {
		*why = "noise.err.batch";
		return LIN_EINVAL;
	}
	if (json_array_size(arr) > NOISE_BATCH_MAX) {
		*why = "noise.err.batch_size";
		return LIN_EINVAL;
	}
	out = calloc(json_array_size(arr), sizeof(*out));
	if (!out)
		return LIN_ENOMEM;
	json_array_foreach (arr, i, item) {
		json_t *t = json_object_get(item, "t"), *lmax = json_object_get(item, "lmax");
		json_t *laeq = json_object_get(item, "laeq");
		struct noise_reading *r = &out[i];

		*bad_index = (int)i;
		if (!json_is_object(item) || !json_is_integer(t)) {
			*why = "noise.err.time";
			goto bad;
		}
		if (!json_is_number(laeq)) {
			*why = "noise.err.level";
			goto bad;
		}
		if (lmax && !json_is_null(lmax) && !json_is_number(lmax)) {
			*why = "noise.err.lmax";
			goto bad;
		}
		if (noise_reading_check(json_integer_value(t), json_number_value(laeq),
					lmax && !json_is_null(lmax), json_number_value(lmax), now,
					r, why))
			goto bad;
		if (i && r->t <= out[i - 1].t) {
			*why = "noise.err.order";
			goto bad;
		}
	}
	*bad_index = -1;
	*list = out;
	*n = (int)json_array_size(arr);
	return 0;
bad:
	free(out);
	return LIN_EINVAL;
}
