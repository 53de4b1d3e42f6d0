/* The square-dance plaza: zones, receptors, dance teams, the published
 * staggered timetable (错峰) and what it says about any moment. Other
 * features (noise alerts, the live pages) ask it who is dancing where. */
#ifndef LINLI_PLAZA_PLAZA_H
#define LINLI_PLAZA_PLAZA_H

#include "../base/command.h"
#include "../base/timeutil.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;

#define PLAZA_TZ_OFFSET LIN_SHANGHAI_OFFSET /* the area's local time */

/* A session of the published timetable. */
struct plaza_session {
	int64_t team_id;       /* teams.id */
	int64_t dance_team_id; /* dance_teams.id */
	int64_t zone_id;       /* plaza_zones.id */
	char team[64];	       /* the team's name */
	char zone[48];	       /* the zone's name */
	int day;	       /* 1 = Monday .. 7 = Sunday */
	int start_min, end_min;
};

/* plaza_local splits UTC second t into the local ISO weekday (1..7), the
 * minute of the day and the Monday of its week as YYYY-MM-DD. */
void plaza_local(int64_t t, int *weekday, int *minute, char monday[11]);

/* plaza_sessions_at: the published sessions running at t, in zone_id (0:
 * every zone), at most max into out; *n is how many. No published week
 * means none. */
int plaza_sessions_at(struct db *db, int64_t area_id, int64_t zone_id, int64_t t,
		      struct plaza_session *out, int max, int *n);

/* plaza_next_session: the first published session of the place's zones
 * starting later on t's day, or LIN_ENOTFOUND. */
int plaza_next_session(struct db *db, int64_t area_id, int64_t place_id, int64_t t,
		       struct plaza_session *out);

/* The area's evening: when slots run, how long each is, prime time and
 * night (minutes after midnight; night wraps past midnight). */
struct plaza_hours {
	int night_start, night_end;
	int evening_start, evening_end;
	int slot;
	int prime_start, prime_end;
};
int plaza_hours_get(struct db *db, int64_t area_id, struct plaza_hours *out);
/* plaza_hours_set stores the area's hours in one transaction with their
 * audit entry (actor: "cli", a user name). */
int plaza_hours_set(struct db *db, int64_t area_id, const struct plaza_hours *h, const char *actor);
/* plaza_week_at: the published timetable of the week holding UTC second
 * t, {week_start, sessions: [{day, start, end, prime, zone_id, zone,
 * team_id, team, ...}]} by day and start; LIN_ENOTFOUND when that week
 * was not published. The caller decrefs *out. */
int plaza_week_at(struct db *db, int64_t area_id, int64_t t, json_t **out);
/* plaza_hhmm writes minute m of the day as "HH:MM". */
void plaza_hhmm(int minute, char out[6]);
/* plaza_is_night: whether minute m of the day falls in the night. */
int plaza_is_night(const struct plaza_hours *h, int m);

/* plaza_commands: linli plaza hours, schedule publish and schedule export
 * (cli.c), for the command line. */
extern const struct command plaza_commands[];
struct http_req;
struct html;
#define PLAZA_COMPLIANCE_MAX 12 /* weeks in one compliance table */
/* plaza_compliance_html writes each team's minutes over the cap for the
 * nweeks weeks ending with monday's (a heading and a table). */
void plaza_compliance_html(struct http_req *req, struct html *h, const char *monday, int nweeks);
/* plaza_compliance_between: per team name, {sessions, measured,
 * minutes_over, seconds} of the published sessions that start in [from,
 * to) (epoch seconds), as plaza_compliance counts a week's (for the
 * monthly report). The caller decrefs *out. */
int plaza_compliance_between(struct db *db, int64_t area_id, int64_t from, int64_t to,
			     json_t **out);
/* plaza_compliance: for the weeks weeks ending with monday, per team name
 * and week: {sessions, measured, minutes_over, seconds} (store.c; the
 * meetings' agenda reads it too). */
int plaza_compliance(struct db *db, int64_t area_id, const char *monday, int weeks, json_t **out);
/* plaza_add_routes: /schedule, its publish form and its API. */
int plaza_add_routes(struct router *r);

/* ---- what the noise feature reads of the plaza ---- */

/* plaza_monday_epoch: UTC epoch second of 00:00 Shanghai time on monday. */
int plaza_monday_epoch(const char *monday, int64_t *out);
/* plaza_monday_add: the Monday weeks weeks after (before, if negative). */
void plaza_monday_add(const char *monday, int weeks, char out[11]);

struct sched_options;
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
