/* Meetings of the general branch, a branch, a team or the joint meeting
 * (三会一课, 主题党日, 联席会议): invitations, the agenda that drafts itself
 * from the month's affairs, attendance and check-in, minutes, action
 * items and the secretary's view. This header is what other features
 * (the monthly report, the points table) and the composition root use. */
#ifndef LINLI_MEETINGS_MEETINGS_H
#define LINLI_MEETINGS_MEETINGS_H

#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;

/* A member may check in from this long before the start to the end. */
#define MEETING_CHECKIN_EARLY (30 * 60)

/* The month's meetings, for the monthly report. */
struct meetings_month {
	int held;	     /* meetings started in the month, not cancelled */
	int invited;	     /* invitations to those */
	int present;	     /* of them, present */
	int excused;	     /* excused */
	int actions_done;    /* action items done in the month */
	int actions_open;    /* still open at the month's end (or now, if sooner) */
	int actions_late;    /* of those open, past their due day */
	int actions_decided; /* decided at the month's meetings */
};

/* meetings_month_stats: the figures of month (YYYY-MM, Shanghai) for the
 * area. LIN_EINVAL for a bad month. Attendance rate = present / invited. */
int meetings_month_stats(struct db *db, int64_t area_id, const char *month,
			 struct meetings_month *out);

/* meetings_member_counts: per Party member of the area, over meetings
 * started in [from, to): [{member_id, name, branch_id, branch, invited,
 * attended, excused, actions_owned, actions_done, actions_late}] by branch
 * and name (members archived included when they have anything). Late:
 * open past its due day at to, or done after it. For the secretary's view
 * and the points table. The caller decrefs *out, also on error. */
int meetings_member_counts(struct db *db, int64_t area_id, int64_t from, int64_t to, json_t **out);

/* meetings_demo writes a year of monthly general-branch meetings before
 * now and a few joint meetings, with agendas, attendance, minutes and
 * action items, through the feature's own store (deterministic). */
int meetings_demo(struct db *db, int64_t area_id, int64_t now);

struct cases_uploads;
/* meetings_add_routes: the pages, the check-in and the JSON API; up (the
 * upload folder, borrowed for the router's life) goes with the photos'
 * routes. */
int meetings_add_routes(struct router *r, const struct cases_uploads *up);
/* meetings_nav: the calendar of meetings. */
extern const struct nav_item meetings_nav[];

#endif
