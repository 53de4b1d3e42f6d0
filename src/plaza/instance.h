/* One week of the plaza as the optimiser sees it, with the ids to map its
 * indices back to rows. */
#ifndef LINLI_PLAZA_INSTANCE_H
#define LINLI_PLAZA_INSTANCE_H

#include "plaza.h"
#include "../schedule/schedule.h"

#define PLAZA_MAX_SKIPPED 64

/* A team left out before solving (no level to plan with). */
struct plaza_skipped {
	int64_t dance_team_id;
	char name[64];
};

struct plaza_week {
	char monday[11];       /* the week, YYYY-MM-DD */
	char history_from[11]; /* prime-time history counts weeks from here */
	struct plaza_hours hours;
	struct sched_instance in;
	int slot_start[SCHED_MAX_SLOTS];	  /* minute of the day each slot begins */
	int64_t zone_id[SCHED_MAX_ZONES];	  /* plaza_zones.id by zone index */
	int64_t receptor_id[SCHED_MAX_RECEPTORS]; /* receptors.id by receptor index */
	int64_t *dance_team_id;			  /* dance_teams.id by team index */
	int cap_teams;
	struct plaza_skipped skipped[PLAZA_MAX_SKIPPED];
	int nskipped;
};

/* plaza_week_build reads the area's plaza into w for the week starting
 * monday. LIN_ENOTFOUND when the area has no zones; LIN_EINVAL when its
 * evening has no slot before the night. Release with plaza_week_release. */
int plaza_week_build(struct db *db, int64_t area_id, const char *monday, struct plaza_week *w);
void plaza_week_release(struct plaza_week *w);

#endif
