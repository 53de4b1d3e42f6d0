/* Fuzz target for roster instances as JSON (src/roster/json.c): an
 * instance that parses must validate and survive a round trip unchanged,
 * and, when small, get a roster from the heuristic that the independent
 * checker accepts and that reads back from its own JSON; one that does
 * not parse must say why. */
#include "fuzz.h"
#include "base/buf.h"
#include "base/err.h"
#include "roster/internal.h"
#include "roster/roster.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roster_instance in, again;
	char err[ROSTER_MESSAGE_MAX] = "";
	struct buf b;
	int rc = roster_instance_from_json((const char *)data, size, &in, err, sizeof(err));

	if (rc) {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ENOMEM);
		FUZZ_CHECK(rc == LIN_ENOMEM || err[0]);
		return 0;
	}
	FUZZ_CHECK(roster_instance_validate(&in, err, sizeof(err)) == 0);
	buf_init(&b, BUF_DEFAULT_MAX);
	FUZZ_CHECK(roster_instance_to_json(&in, &b) == 0);
	FUZZ_CHECK(roster_instance_from_json(b.buf, b.len, &again, err, sizeof(err)) == 0);
	FUZZ_CHECK(again.nshifts == in.nshifts && again.nvolunteers == in.nvolunteers &&
		   again.nprevious == in.nprevious);
	for (int s = 0; s < in.nshifts; s++)
		FUZZ_CHECK(!memcmp(&again.shift[s], &in.shift[s], sizeof(in.shift[s])));
	for (int v = 0; v < in.nvolunteers; v++)
		FUZZ_CHECK(!memcmp(&again.volunteer[v], &in.volunteer[v], sizeof(in.volunteer[v])));
	for (int i = 0; i < in.nprevious; i++)
		FUZZ_CHECK(!memcmp(&again.previous[i], &in.previous[i], sizeof(in.previous[i])));
	roster_instance_release(&again);
	/* Small enough to solve in a fuzzing step: the checker has the word. */
	if (in.nshifts <= 40 && in.nvolunteers <= 40) {
		struct roster_options o;
		struct roster_result r, back;
		roster_options_default(&o);
		if (roster_heuristic(&in, &o, &r) == 0) {
			if (roster_check(&in, &r, err, sizeof(err)))
				fuzz_fail(err, __FILE__, __LINE__);
			FUZZ_CHECK(r.covered <= r.bound);
			buf_reset(&b);
			FUZZ_CHECK(roster_result_to_json(&in, &r, &b) == 0);
			FUZZ_CHECK(roster_result_from_json(&in, b.buf, b.len, &back, err,
							   sizeof(err)) == 0);
			FUZZ_CHECK(roster_check(&in, &back, err, sizeof(err)) == 0);
			roster_result_release(&back);
			roster_result_release(&r);
		}
	}
	buf_release(&b);
	roster_instance_release(&in);
	return 0;
}
