/* Publishing the staggered timetable of a week (solve, check, store). */
#ifndef LINLI_PLAZA_PUBLISH_H
#define LINLI_PLAZA_PUBLISH_H

#include "../schedule/schedule.h"

#include <stdint.h>

struct db;

struct plaza_published {
	int64_t week_id;
	int64_t objective;
	int placed, wanted;	    /* sessions */
	int64_t worst_margin_centi; /* least headroom at any receptor, INT64_MAX if none */
	int optimal;
	double seconds;
	char solver[16];
	char error[512];   /* why nothing was published, zh-CN then English */
	char warning[512]; /* e.g. CBC failed and the heuristic's plan was kept */
};

/* plaza_publish solves the week starting monday (YYYY-MM-DD) with o,
 * verifies it with the checker and replaces that week's published sessions.
 * user_id/actor name who did it for the audit log. Returns 0, or an error
 * with out->error set (LIN_ENOTFOUND: no zones; LIN_EINVAL: no slots, or
 * the checker refused the plan). */
int plaza_publish(struct db *db, int64_t area_id, const char *monday, const struct sched_options *o,
		  int64_t user_id, const char *actor, struct plaza_published *out);

#endif
