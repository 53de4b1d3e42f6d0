/* Choosing the solver: the heuristic alone, CBC alone, or AUTO (the
 * heuristic, then CBC started from it while the MIP is small enough for
 * CBC to help within its time limit), keeping the better roster. Whatever
 * is returned has passed the independent checker. */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/worker.h"

#include <string.h>

int roster_solve(const struct roster_instance *in, const struct roster_options *o,
		 struct roster_result *out, char *err, size_t errlen)
{
	struct roster_options defaults;
	struct roster_result exact;
	char why[ROSTER_MESSAGE_MAX];
	double t0 = lin_monotonic();
	int rc;

	memset(out, 0, sizeof(*out));
	if (!o) {
		roster_options_default(&defaults);
		o = &defaults;
	}
	rc = roster_instance_validate(in, err, errlen);
	if (rc)
		return rc;
	if (o->solver == ROSTER_CBC) {
		rc = roster_cbc(in, NULL, o, out, err, errlen);
	} else {
		rc = roster_heuristic(in, o, out);
		if (rc)
			roster_fail(err, errlen, "启发式求解失败 the heuristic failed");
	}
	if (!rc && o->solver == ROSTER_AUTO && !out->optimal &&
	    roster_cbc_columns(in) <= ROSTER_AUTO_COLUMNS &&
	    !roster_cbc(in, out, o, &exact, NULL, 0)) {
		int64_t bound = exact.bound > out->covered ? exact.bound : out->covered;
		if (roster_better(&exact, out)) {
			roster_result_release(out);
			*out = exact;
		} else {
			/* No better: the heuristic's roster, with CBC's bound. */
			if (bound < out->bound)
				out->bound = bound;
			out->optimal |= exact.optimal && exact.covered == out->covered;
			roster_result_release(&exact);
		}
	}
	if (rc)
		return rc;
	out->seconds = lin_monotonic() - t0;
	rc = roster_check(in, out, why, sizeof(why));
	if (rc) {
		roster_fail(err, errlen, "排班未通过检查 the roster failed the check: %s", why);
		roster_result_release(out);
	}
	return rc;
}
