/* Duty rosters (值班排班): garbage-sorting stations and plaza patrols, the
 * volunteers who hold them, the shifts of a week planned by src/roster and
 * published by staff, check-in and check-out at the station (the server's
 * clock decides), the missed-shift alert and swaps. docs/duty.md tells the
 * rules; this header is what other features and the command line may call.
 *
 * Facts for others (the monthly report, the meeting agenda): a month is a
 * Shanghai calendar month "YYYY-MM"; a shift belongs to the month its
 * start falls in; only shifts of published weeks count. */
#ifndef LINLI_DUTY_DUTY_H
#define LINLI_DUTY_DUTY_H

#include "../base/command.h"
#include "../db/jobs.h"
#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;

/* The check-in window (docs/duty.md): a volunteer checks in from
 * DUTY_CHECKIN_EARLY seconds before the shift's start until its end, and
 * checks out after checking in until DUTY_CHECKOUT_LATE after its end. A
 * shift with a volunteer not checked in DUTY_MISSED_AFTER after its start
 * alerts the station's leader and the staff, once. */
#define DUTY_CHECKIN_EARLY 1800
#define DUTY_CHECKOUT_LATE 3600
#define DUTY_MISSED_AFTER  900

/* One month's shifts (published weeks only). */
struct duty_month {
	int64_t shifts;	  /* shifts starting in the month */
	int64_t filled;	  /* of which every place was assigned */
	int64_t unfilled; /* of which places stayed open */
	int64_t missed;	  /* assignments of shifts already ended with no check-in */
	int64_t places;	  /* places wanted (Σ need) */
	int64_t covered;  /* places assigned */
	int64_t checkins; /* assignments checked in */
	int64_t minutes;  /* minutes credited at check-out */
};

/* duty_month_facts: the month's totals into *out. month is "YYYY-MM".
 * Returns 0, LIN_EINVAL for a bad month, or a db error. */
int duty_month_facts(struct db *db, int64_t area_id, const char *month, struct duty_month *out);

/* duty_month_stations: per station and patrol route with shifts in the
 * month, a new JSON array (the caller decrefs) of {kind ("station" or
 * "route"), id, name, shifts, unfilled, missed, checkins, minutes}, by
 * name. */
int duty_month_stations(struct db *db, int64_t area_id, const char *month, json_t **out);

/* duty_month_teams: coverage and hours by team. A volunteer counts for a
 * team when their resident is in team_members of that team (left_on NULL
 * or not before the month's first day); a volunteer in two teams counts
 * for both, one in none under team_id 0 "". A new JSON array of {team_id,
 * team, volunteers, assignments, checkins, missed, minutes}, by team name. */
int duty_month_teams(struct db *db, int64_t area_id, const char *month, json_t **out);

/* duty_open_places: shifts of published weeks starting in [from, to)
 * (Unix seconds) with places left open, for a member's agenda: a new JSON
 * array of {shift_id, day, start, end, where, need, missing, reason}, by
 * start. */
int duty_open_places(struct db *db, int64_t area_id, int64_t from, int64_t to, json_t **out);

/* duty_serves: whether the resident is a live volunteer assigned to a
 * shift of a published week at the station (route_id 0) or on the route
 * (station_id 0) starting in [from, to): who, besides the leader, may
 * record its inspections and patrol logs (src/report). OUT: *yes. */
int duty_serves(struct db *db, int64_t area_id, int64_t resident_id, int64_t station_id,
		int64_t route_id, int64_t from, int64_t to, int *yes);

/* duty_user_json: for the residents' portal, user_id's volunteer and
 * their shifts from a week ago on, as /duty/my shows them: {volunteer_id,
 * name, minutes, shifts: [{day, start, end, where, ...}]}; LIN_ENOTFOUND
 * when the account's resident is no volunteer. The caller decrefs *out. */
int duty_user_json(struct db *db, int64_t area_id, int64_t user_id, int64_t now, json_t **out);

/* duty_missed_sweep: every shift of a published week that started at
 * least DUTY_MISSED_AFTER before now (and less than a day ago) with an
 * assigned volunteer not checked in, not yet alerted: one inbox message
 * (key "duty.inbox.missed") to the station's or route's leader (their
 * account, through users.resident_id) and to each staff account of the
 * area, and the shift marked alerted, in one transaction with its audit
 * entry. OUT: *alerts, the shifts alerted. Returns 0, JOB_MORE when it
 * handled a full batch (64 shifts) and more may wait, or an error. */
int duty_missed_sweep(struct db *db, int64_t now, int *alerts);

/* duty_add_routes: the pages (/duty...) and the JSON API (/api/v1/duty...). */
int duty_add_routes(struct router *r);
extern const struct nav_item duty_nav[];
/* duty_jobs: the missed-shift alert ("duty.missed", every minute). */
extern const struct job duty_jobs[];
/* duty_commands: linli duty alerts (one sweep now). */
extern const struct command duty_commands[];

/* duty_demo: stations, the plaza patrol, windows, about thirty volunteers
 * and five published weeks around now with check-ins (some missed),
 * hours, weather notes and swap requests, for `linli demo`. Run after the
 * area, its teams and the demo accounts exist, outside any transaction. */
int duty_demo(struct db *db, int64_t area_id, int64_t now);

#endif
