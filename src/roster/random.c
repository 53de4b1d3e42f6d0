/* Seeded random instances shaped like a community's month (linli roster
 * generate, the tests, bench/roster.sh): sorting stations staffed 07:00 to
 * 09:00 and 18:30 to 20:30, every third station with an evening patrol
 * that overlaps its evening shift, a quarter of the volunteers trained,
 * working people away on weekday daytimes, and days off. */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>

int roster_random(struct roster_instance *out, uint64_t seed, int nvolunteers, int nstations,
		  int ndays)
{
	/* Monday 2026-12-07 00:00 in Shanghai. */
	const int64_t monday = lin_days_from_civil(2026, 12, 7) * 86400 - LIN_SHANGHAI_OFFSET;
	static const struct {
		const char *name;
		int start, end; /* minutes after midnight */
	} kinds[] = {{"am", 7 * 60, 9 * 60},
		     {"pm", 18 * 60 + 30, 20 * 60 + 30},
		     {"patrol", 19 * 60 + 30, 21 * 60 + 30}};
	struct roster_rng g;
	long nshifts;
	int rc, s = 0;

	memset(out, 0, sizeof(*out));
	if (nvolunteers < 0 || nvolunteers > ROSTER_MAX_VOLS || nstations < 0 || ndays < 1 ||
	    ndays > 366)
		return LIN_EINVAL;
	nshifts = (long)ndays * (2L * nstations + (nstations + 2) / 3);
	if (nshifts > ROSTER_MAX_SHIFTS)
		return LIN_EINVAL;
	rc = roster_instance_init(out, (int)nshifts, nvolunteers, 0);
	if (rc)
		return rc;
	roster_rng_seed(&g, seed);
	for (int d = 0; d < ndays; d++)
		for (int st = 0; st < nstations; st++)
			for (int k = 0; k < 3; k++) {
				struct roster_shift *sh;
				uint32_t r;
				if (k == 2 && st % 3)
					continue;
				sh = &out->shift[s++];
				snprintf(sh->id, sizeof(sh->id), "st%d-d%d-%s", st + 1, d + 1,
					 kinds[k].name);
				sh->start = monday + (int64_t)d * 86400 + kinds[k].start * 60;
				sh->end = monday + (int64_t)d * 86400 + kinds[k].end * 60;
				sh->need = 2 + (int)roster_rng_below(&g, 2);
				r = roster_rng_below(&g, 10);
				sh->need_trained = r < 8 ? 1 : r < 9 ? 0 : 2;
			}
	for (int v = 0; v < nvolunteers; v++) {
		struct roster_volunteer *vo = &out->volunteer[v];
		int works = roster_rng_below(&g, 10) < 3;
		snprintf(vo->id, sizeof(vo->id), "v%d", v + 1);
		vo->trained = roster_rng_below(&g, 4) == 0;
		vo->max_per_day = roster_rng_below(&g, 10) < 7 ? 1 : 2;
		vo->max_per_week = 1 + (int)roster_rng_below(&g, 3);
		for (int d = 0; d < ndays && vo->nunavailable < ROSTER_MAX_SPANS; d++) {
			int64_t day = monday + (int64_t)d * 86400;
			struct roster_span *sp = &vo->unavailable[vo->nunavailable];
			if (roster_rng_below(&g, 7) == 0) {
				/* A day off: away from 00:00 to 24:00. */
				*sp = (struct roster_span){day, day + 86400};
				vo->nunavailable++;
			} else if (works && d % 7 < 5) {
				/* At work 08:30 to 18:00 on weekdays. */
				*sp = (struct roster_span){day + 510 * 60, day + 18 * 3600};
				vo->nunavailable++;
			}
		}
	}
	return 0;
}
