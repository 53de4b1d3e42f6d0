/* Fuzz target for a volunteer's weekly pattern and dates away as staff type
 * them (src/duty/model.c): any text is read or refused without a crash;
 * what is read and passes the check never overlaps on a weekday, and
 * written back and read again it is the same pattern. */
#include "fuzz.h"
#include "duty/internal.h"

#include <stdlib.h>
#include <string.h>

/* covered: minute m of weekday d is in one of the pattern's periods. */
static int covered(const struct duty_volunteer_in *in, int d, int m)
{
	int n = 0;
	for (int i = 0; i < in->navail; i++)
		n += in->avail[i].weekday == d && in->avail[i].start_min <= m &&
		     m < in->avail[i].end_min;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size);
	struct duty_volunteer_in *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct duty_err e = {0};
	struct buf out;

	if (!text || !a || !b)
		abort();
	a->resident_id = b->resident_id = 1;
	/* The away parser reads the same text; it may refuse it. */
	duty_away_parse(text, a, &e);
	a->naway = 0;
	if (!duty_avail_parse(text, a, &e) && !duty_volunteer_check(a, &e)) {
		for (int d = 1; d <= 7; d++)
			for (int m = 0; m < 1440; m++)
				FUZZ_CHECK(covered(a, d, m) <= 1);
		buf_init(&out, 1 << 16);
		duty_avail_text(a, &out);
		FUZZ_CHECK(duty_avail_parse(out.buf, b, &e) == 0);
		FUZZ_CHECK(duty_volunteer_check(b, &e) == 0);
		for (int d = 1; d <= 7; d++)
			for (int m = 0; m < 1440; m++)
				FUZZ_CHECK(covered(a, d, m) == covered(b, d, m));
		buf_release(&out);
	}
	free(a);
	free(b);
	free(text);
	return 0;
}
