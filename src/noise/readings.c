/* Readings as meters send them: the checks of a batch, with no I/O, so the
 * HTTP route, the other ways in and the fuzz target share one rule. */
#include "ingest.h"
#include "../base/err.h"

#include <math.h>
#include <stdlib.h>

/* level_centi reads a JSON number of dB with at most two decimals as
 * hundredths, exactly (57.9 -> 5790); LIN_EINVAL otherwise. */
static int level_centi(json_t *v, int64_t *out)
{
	double d, scaled;

	if (!json_is_number(v))
		return LIN_EINVAL;
	d = json_number_value(v);
	if (!(d >= 0 && d <= 150))
		return LIN_EINVAL;
	scaled = d * 100.0;
	/* Two decimals at most: the value times 100 must be (nearly) whole. */
	if (fabs(scaled - round(scaled)) > 1e-6)
		return LIN_EINVAL;
	*out = (int64_t)llround(scaled);
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
	json_array_foreach(arr, i, item)
	{
		json_t *t = json_object_get(item, "t"), *lmax = json_object_get(item, "lmax");
		struct noise_reading *r = &out[i];

		*bad_index = (int)i;
		if (!json_is_object(item) || !json_is_integer(t)) {
			*why = "noise.err.time";
			goto bad;
		}
		r->t = json_integer_value(t);
		if (r->t < now - NOISE_PAST_MAX || r->t > now + NOISE_FUTURE_MAX) {
			*why = "noise.err.time_range";
			goto bad;
		}
		if (i && r->t <= out[i - 1].t) {
			*why = "noise.err.order";
			goto bad;
		}
		if (level_centi(json_object_get(item, "laeq"), &r->laeq_centi)) {
			*why = "noise.err.level";
			goto bad;
		}
		if (lmax && !json_is_null(lmax)) {
			if (level_centi(lmax, &r->lmax_centi) || r->lmax_centi < r->laeq_centi) {
				*why = "noise.err.lmax";
				goto bad;
			}
			r->has_lmax = 1;
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
