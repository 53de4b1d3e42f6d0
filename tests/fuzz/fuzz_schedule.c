/* Fuzz target for schedule instances as JSON (src/schedule/instance_json.c):
 * an instance that parses must validate, survive a round trip unchanged,
 * and, when small, get a timetable from the heuristic that the independent
 * checker accepts; one that does not parse must say why. */
#include "fuzz.h"
#include "base/buf.h"
#include "base/err.h"
#include "schedule/schedule.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sched_instance in, again;
	char err[SCHED_MESSAGE_MAX] = "";
	struct buf b;
	int rc = sched_instance_from_json((const char *)data, size, &in, err, sizeof(err));

	if (rc) {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ENOMEM);
		FUZZ_CHECK(rc == LIN_ENOMEM || err[0]);
		return 0;
	}
	FUZZ_CHECK(sched_instance_validate(&in, err, sizeof(err)) == 0);
	buf_init(&b, BUF_DEFAULT_MAX);
	FUZZ_CHECK(sched_instance_to_json(&in, &b) == 0);
	FUZZ_CHECK(sched_instance_from_json(b.buf, b.len, &again, err, sizeof(err)) == 0);
	FUZZ_CHECK(again.nteams == in.nteams && again.nzones == in.nzones &&
		   again.nslots == in.nslots && again.nreceptors == in.nreceptors);
	for (int z = 0; z < in.nzones; z++)
		FUZZ_CHECK(again.zone_open[z] == in.zone_open[z] &&
			   !memcmp(again.dist_dm[z], in.dist_dm[z], sizeof(in.dist_dm[z])));
	for (int t = 0; t < in.nteams; t++)
		FUZZ_CHECK(!memcmp(&again.team[t], &in.team[t], sizeof(in.team[t])));
	sched_instance_release(&again);
	buf_release(&b);
	/* Small enough to solve in a fuzzing step: the checker has the word. */
	if (in.nteams <= 12 && in.nzones <= 4 && in.nslots <= 8) {
		struct sched_options o;
		struct sched_timetable tt;
		struct sched_check c;
		sched_options_default(&o);
		o.moves = 200;
		if (sched_heuristic(&in, &o, &tt) == 0) {
			if (sched_check(&in, &tt, &c))
				fuzz_fail(c.message, __FILE__, __LINE__);
			FUZZ_CHECK(c.objective == tt.objective);
			sched_timetable_release(&tt);
		}
	}
	sched_instance_release(&in);
	return 0;
}
