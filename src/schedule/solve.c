/* Choosing the solver: the heuristic alone, CBC alone, or AUTO (the
 * heuristic, then CBC started from it while the MIP is small enough for CBC
 * to help within its time limit), keeping the better timetable. */
#include "schedule.h"
#include "internal.h"
#include "../base/err.h"

#include <string.h>

int sched_solve(const struct sched_instance *in, const struct sched_options *o,
		struct sched_timetable *out, char *err, size_t errlen, char *warn, size_t warnlen)
{
	struct sched_timetable exact;
	double t0 = sched_now();
	long columns;
	int rc;

	if (warn && warnlen)
		warn[0] = '\0';
	rc = sched_instance_validate(in, err, errlen);
	if (rc) {
		sched_timetable_init(out, 0);
		return rc;
	}
	if (o->solver == SCHED_SOLVER_CBC)
		return sched_cbc(in, NULL, o, out, err, errlen);
	rc = sched_heuristic(in, o, out);
	if (rc) {
		snprintf(err, errlen, "启发式求解失败 the heuristic failed");
		return rc;
	}
	if (o->solver != SCHED_SOLVER_AUTO || out->optimal)
		return 0;
	columns = sched_mip_columns(in);
	if (columns > o->auto_max_columns)
		return 0;
	rc = sched_cbc(in, out, o, &exact, warn, warnlen);
	if (!rc) {
		if (exact.objective > out->objective) {
			sched_timetable_release(out);
			*out = exact;
			out->seconds = sched_now() - t0;
			return 0;
		}
		/* No better: the heuristic's timetable, with CBC's bound. */
		int64_t bound = exact.bound > out->objective ? exact.bound : out->objective;
		if (bound < out->bound)
			out->bound = bound;
		if (exact.optimal && exact.objective == out->objective)
			out->optimal = 1;
	}
	sched_timetable_release(&exact);
	out->seconds = sched_now() - t0;
	return 0;
}
