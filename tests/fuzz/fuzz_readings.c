/* Fuzz target for the readings a meter sends (src/noise/readings.c). The
 * input is read as JSON; a batch that is accepted must hold what the
 * checks promise (1..3600 readings, times increasing within the window,
 * levels 0..150 dB as exact hundredths equal to the numbers sent, lmax
 * not below laeq); a refused one names a reason and a reading in range. */
#include "fuzz.h"
#include "base/err.h"
#include "noise/ingest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NOW 1800000000LL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *body = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL), *arr;
	struct noise_reading *list = NULL;
	const char *why = NULL;
	int n = -1, bad = -2, rc;

	if (!body)
		return 0;
	rc = noise_readings_parse(body, NOW, &list, &n, &bad, &why);
	arr = json_is_object(body) ? json_object_get(body, "readings") : NULL;
	if (rc == LIN_EINVAL) {
		FUZZ_CHECK(!list && n == 0);
		FUZZ_CHECK(why && !strncmp(why, "noise.err.", 10));
		FUZZ_CHECK(bad >= -1 && (bad == -1 || (size_t)bad < json_array_size(arr)));
	} else if (rc == 0) {
		FUZZ_CHECK(json_is_array(arr) && (size_t)n == json_array_size(arr));
		FUZZ_CHECK(n >= 1 && n <= NOISE_BATCH_MAX && bad == -1);
		for (int i = 0; i < n; i++) {
			const struct noise_reading *r = &list[i];
			json_t *item = json_array_get(arr, (size_t)i);
			double sent = json_number_value(json_object_get(item, "laeq"));

			FUZZ_CHECK(r->t >= NOW - NOISE_PAST_MAX && r->t <= NOW + NOISE_FUTURE_MAX);
			FUZZ_CHECK(i == 0 || r->t > list[i - 1].t);
			FUZZ_CHECK(r->laeq_centi >= 0 && r->laeq_centi <= 15000);
			FUZZ_CHECK(fabs((double)r->laeq_centi / 100.0 - sent) < 1e-6);
			FUZZ_CHECK(!r->has_lmax ||
				   (r->lmax_centi >= r->laeq_centi && r->lmax_centi <= 15000));
		}
	} else {
		FUZZ_CHECK(rc == LIN_ENOMEM);
	}
	free(list);
	json_decref(body);
	return 0;
}
