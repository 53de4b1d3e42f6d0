/* The months of the readings and the noise.readings job: partitions made
 * ahead, raw seconds retired past readings_keep_days, the rollup backlog
 * worked off. The SQL is in parts_store.c. */
#include "noise.h"
#include "parts.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../db/jobs.h"

#include <stdio.h>

int64_t noise_month_start(int64_t t)
{
	int64_t local = t + LIN_SHANGHAI_OFFSET;
	int64_t day = local / 86400 - (local % 86400 < 0);
	int y, m, d;

	lin_civil_from_days(day, &y, &m, &d);
	return lin_days_from_civil(y, m, 1) * 86400 - LIN_SHANGHAI_OFFSET;
}

int64_t noise_month_next(int64_t start)
{
	/* Day 32 of any month is in the next one. */
	return noise_month_start(start + 32 * 86400);
}

void noise_parts_name(int64_t t, char out[32])
{
	int64_t local = noise_month_start(t) + LIN_SHANGHAI_OFFSET;
	int y, m, d;

	lin_civil_from_days(local / 86400, &y, &m, &d);
	snprintf(out, 32, "noise_readings_p%04d%02d", y, m);
}

/* One run: this month's partition and the next ones, then a step of the
 * retention and of the backlog; JOB_MORE while either has work left. */
static int parts_job_run(struct db *db, int64_t now, void *arg, const atomic_int *stop)
{
	const struct noise_parts_config *cfg = arg;
	int64_t month = noise_month_start(now);
	int more = 0, backlog = 0, made, rc = 0;

	for (int i = 0; !rc && i <= NOISE_PARTS_AHEAD; i++) {
		rc = noise_parts_ensure(db, month, &made);
		if (!rc && made)
			log_info("noise: made the readings partition of %lld", (long long)month);
		month = noise_month_next(month);
	}
	if (!rc && !atomic_load(stop))
		rc = noise_parts_retire(db, now, cfg->keep_days, &more);
	if (!rc && !atomic_load(stop))
		rc = noise_rollup_backlog_step(db, &backlog);
	return rc ? rc : more || backlog ? JOB_MORE : 0;
}

void noise_parts_job(const struct noise_parts_config *cfg, struct job *out)
{
	*out = (struct job){"noise.readings", 600, parts_job_run, (void *)cfg};
}
