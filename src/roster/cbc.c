/* The exact roster with CBC: not yet written. */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"

long roster_cbc_columns(const struct roster_instance *in)
{
	(void)in;
	return -1 + 2L * ROSTER_CBC_MAX_COLUMNS;
}

int roster_cbc(const struct roster_instance *in, const struct roster_result *start,
	       const struct roster_options *o, struct roster_result *out, char *err, size_t errlen)
{
	(void)in;
	(void)start;
	(void)o;
	(void)out;
	return roster_fail(err, errlen, "CBC 尚不可用 CBC is not available yet");
}
