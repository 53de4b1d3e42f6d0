/* Fuzz target for the new-event form's times (src/events/model.c): a
 * string that parses formats back to itself (so nothing is read loosely:
 * no sign, no space, no 24:00, no 31 April); one that does not parse
 * leaves 0. */
#include "fuzz.h"
#include "base/err.h"
#include "events/model.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), back[17];
	int64_t t = -1;
	int rc = events_local_parse(s, &t);

	if (rc) {
		FUZZ_CHECK(rc == LIN_EINVAL && t == 0);
	} else {
		events_local_format(t, back);
		FUZZ_CHECK(strlen(s) == 16 && !strcmp(back, s));
	}
	free(s);
	return 0;
}
