/* Publishing a week's staggered timetable: build the week from the
 * registry, solve it, have the independent checker verify it, and only then
 * replace the week's published sessions, in one transaction with an audit
 * entry. A timetable the checker refuses is never published. */
#include "publish.h"
#include "instance.h"
#include "store.h"
#include "../base/err.h"
#include "../base/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* unplaced_json: teams with fewer sessions than they want, and why. */
static json_t *unplaced_json(const struct plaza_week *w, const struct sched_timetable *tt)
{
	json_t *a = json_array();

	for (int k = 0; k < w->nskipped; k++)
		json_array_append_new(
		    a,
		    json_pack(
			"{s:I, s:s, s:i, s:i, s:s}", "dance_team_id",
			(json_int_t)w->skipped[k].dance_team_id, "team", w->skipped[k].name,
			"wanted", 0, "placed", 0, "reason",
			"未登记声级（10 米处声级、约定音量或声功率），无法排班 no level at 10 m, "
			"agreed volume or sound power on record: cannot be planned"));
	for (int t = 0; t < w->in.nteams; t++) {
		const struct sched_plan *p = &tt->plan[t];
		if (p->count >= w->in.team[t].sessions)
			continue;
		json_array_append_new(a, json_pack("{s:I, s:s, s:i, s:i, s:s}", "dance_team_id",
						   (json_int_t)w->dance_team_id[t], "team",
						   w->in.team[t].name, "wanted",
						   w->in.team[t].sessions, "placed", p->count,
						   "reason", p->reason));
	}
	return a;
}

int plaza_publish(struct db *db, int64_t area_id, const char *monday, const struct sched_options *o,
		  int64_t user_id, const char *actor, struct plaza_published *out)
{
	struct plaza_week w;
	struct sched_timetable tt = {0};
	struct sched_check chk;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = plaza_week_build(db, area_id, monday, &w);
	if (rc == LIN_ENOTFOUND) {
		snprintf(out->error, sizeof(out->error),
			 "广场还没有分区，无法排班 the plaza has no zones yet: nothing to plan");
		return rc;
	}
	if (rc == LIN_EINVAL) {
		snprintf(out->error, sizeof(out->error),
			 "傍晚时段在夜间开始前没有可用的时段 the evening has no slot before the "
			 "night begins");
		return rc;
	}
	if (rc)
		return rc;
	rc = sched_solve(&w.in, o, &tt, out->error, sizeof(out->error), out->warning,
			 sizeof(out->warning));
	if (!rc && sched_check(&w.in, &tt, &chk)) {
		/* Never publish what the checker refuses, whoever produced it. */
		snprintf(out->error, sizeof(out->error), "%s", chk.message);
		rc = LIN_EINVAL;
	}
	if (!rc) {
		json_t *u = unplaced_json(&w, &tt);
		char *unplaced = u ? json_dumps(u, JSON_COMPACT) : NULL;
		json_decref(u);
		rc = unplaced ? plaza_week_store(db, area_id, user_id, actor, &w, &tt, &chk,
						 unplaced, &out->week_id)
			      : LIN_ENOMEM;
		free(unplaced);
	}
	if (!rc) {
		out->objective = chk.objective;
		out->placed = chk.placed;
		out->wanted = chk.wanted;
		out->worst_margin_centi = chk.worst_margin_centi;
		out->optimal = tt.optimal;
		out->seconds = tt.seconds;
		snprintf(out->solver, sizeof(out->solver), "%s", sched_solver_name(tt.solver));
		log_info("plaza: week %s published: %d of %d sessions, objective %lld (%s)", monday,
			 chk.placed, chk.wanted, (long long)chk.objective, out->solver);
	}
	sched_timetable_release(&tt);
	plaza_week_release(&w);
	return rc;
}
