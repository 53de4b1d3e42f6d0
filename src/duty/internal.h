/* What the duty feature's files share: the store's functions (store.c,
 * plan.c), the rules without I/O (model.c) and the handlers' helpers. */
#ifndef LINLI_DUTY_INTERNAL_H
#define LINLI_DUTY_INTERNAL_H

#include "duty.h"
#include "../base/buf.h"
#include "../roster/roster.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* Who acts, for the audit log. */
struct duty_actor {
	int64_t user_id;  /* users.id, 0 for the command line */
	const char *name; /* user name or "cli" */
};

/* Why a write was refused: an i18n key, the field it names, and for the
 * roster's checker its own message (zh-CN, then English). */
struct duty_err {
	const char *key;		 /* "duty.err.code" */
	const char *field;		 /* "code", or NULL */
	char detail[ROSTER_MESSAGE_MAX]; /* extra text, "" if none */
};

/* duty_refuse sets e and returns LIN_EINVAL (or code). */
int duty_refuse(struct duty_err *e, int code, const char *key, const char *field);

/* ---- model.c: times and input rules, no SQL ---- */

/* duty_monday: the Monday (YYYY-MM-DD) of the Shanghai week holding t. */
void duty_monday(int64_t t, char out[11]);
/* duty_day_epoch: 00:00 Shanghai of day "YYYY-MM-DD"; LIN_EINVAL if bad. */
int duty_day_epoch(const char *day, int64_t *out);
/* duty_day_add: day + n days into out. */
void duty_day_add(const char *day, int n, char out[11]);
/* duty_week_param: the Monday of any day given (NULL or "": this week). */
int duty_week_param(const char *q, char out[11]);
/* duty_hhmm: minute of the day as "HH:MM"; duty_clock: t as Shanghai
 * "HH:MM"; duty_day_of: t as the Shanghai day. */
void duty_hhmm(int minute, char out[6]);
void duty_clock(int64_t t, char out[6]);
void duty_day_of(int64_t t, char out[11]);
/* duty_code_ok: 4 to 16 letters or digits. */
int duty_code_ok(const char *code);
/* duty_categories_ok: a non-empty subset of recyclable,hazardous,wet,dry,
 * comma-separated, no repeats. */
int duty_categories_ok(const char *s);

/* A volunteer's weekly pattern and dates away. */
#define DUTY_MAX_AVAIL 28
#define DUTY_MAX_AWAY  16
struct duty_avail {
	int weekday, start_min, end_min; /* 1..7, minutes */
};
struct duty_away {
	char first[11], last[11]; /* YYYY-MM-DD */
};
struct duty_volunteer_in {
	int64_t resident_id, member_id; /* member_id 0: none */
	int trained_guide, trained_patrol;
	int64_t max_per_day, max_per_week;
	const char *note;
	int navail, naway;
	struct duty_avail avail[DUTY_MAX_AVAIL];
	struct duty_away away[DUTY_MAX_AWAY];
};
/* duty_avail_parse reads "1 07:00-09:00" lines (weekday, or a range of
 * weekdays "1-5", then periods as parse_periods) into in->avail. */
int duty_avail_parse(const char *text, struct duty_volunteer_in *in, struct duty_err *e);
/* duty_away_parse reads "2026-12-01" or "2026-12-01 2026-12-03" lines. */
int duty_away_parse(const char *text, struct duty_volunteer_in *in, struct duty_err *e);
/* duty_volunteer_check: limits, no overlapping availability on a weekday,
 * no overlapping dates away, each away range in order. */
int duty_volunteer_check(const struct duty_volunteer_in *in, struct duty_err *e);
/* duty_avail_text / duty_away_text write them back as the lines above. */
void duty_avail_text(const struct duty_volunteer_in *in, struct buf *out);
void duty_away_text(const struct duty_volunteer_in *in, struct buf *out);

/* ---- store.c: stations, routes, windows, volunteers ---- */

struct duty_station_in {
	int64_t compound_id;
	const char *name, *categories, *late_drop, *code;
	int64_t leader_resident_id; /* 0: none */
	int archived;
};
int duty_station_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
		      const struct duty_station_in *in, struct duty_err *e, int64_t *out_id);
struct duty_route_in {
	const char *name, *description, *code;
	int64_t leader_resident_id;
	int archived;
};
int duty_route_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
		    const struct duty_route_in *in, struct duty_err *e, int64_t *out_id);
struct duty_window_in {
	int64_t station_id, route_id; /* exactly one */
	int64_t weekdays;	      /* bit 0 Monday .. bit 6 Sunday */
	int64_t start_min, end_min, need, need_trained;
	int archived;
};
int duty_window_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
		     const struct duty_window_in *in, struct duty_err *e, int64_t *out_id);
int duty_stations_json(struct db *db, int64_t area_id, json_t **out);
int duty_routes_json(struct db *db, int64_t area_id, json_t **out);
int duty_windows_json(struct db *db, int64_t area_id, json_t **out);
/* duty_place_get: a station (kind 's') or route ('r') as JSON. */
int duty_place_get(struct db *db, int64_t area_id, char kind, int64_t id, json_t **out);

int duty_volunteer_save(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t id,
			const struct duty_volunteer_in *in, struct duty_err *e, int64_t *out_id);
int duty_volunteer_read(struct db *db, int64_t area_id, int64_t id, struct duty_volunteer_in *in);
int duty_volunteers_json(struct db *db, int64_t area_id, json_t **out);
/* duty_volunteer_of_user: the volunteer the account is (through its
 * resident), LIN_ENOTFOUND when none. */
int duty_volunteer_of_user(struct db *db, int64_t area_id, int64_t user_id, int64_t *out);

/* duty_calendar_json: the published shifts of month (YYYY-MM), all of
 * them or (volunteer_id > 0) one volunteer's: [{shift_id, day, start_at,
 * end_at, where, need, assigned, weather}] by day and time. */
int duty_calendar_json(struct db *db, int64_t area_id, const char *month, int64_t volunteer_id,
		       json_t **out);

/* duty_colleagues_json: the other volunteers on duty at shift_id's station
 * or route in its week, whom a volunteer may ask to swap: [{volunteer_id,
 * name}] by name. */
int duty_colleagues_json(struct db *db, int64_t area_id, int64_t volunteer_id, int64_t shift_id,
			 json_t **out);

/* ---- plan.c: weeks, planning, publishing, edits, swaps ---- */

/* duty_week_generate adds the week's shifts from the windows (none twice).
 * OUT: *added. */
int duty_week_generate(struct db *db, int64_t area_id, const struct duty_actor *who,
		       const char *monday, int *added);
struct duty_plan_out {
	int shifts, filled, places, covered, kept;
	const char *solver;
};
/* duty_week_plan plans the week's shifts not yet started with
 * roster_solve, keeping what it can of the assignments there are, and
 * stores the plan (a draft until published). */
int duty_week_plan(struct db *db, int64_t area_id, const struct duty_actor *who, const char *monday,
		   int64_t now, struct duty_plan_out *out, struct duty_err *e);
/* duty_week_check: every hard rule over the week's stored assignments
 * (roster_check). 0 or LIN_EINVAL with e->detail. */
int duty_week_check(struct db *db, int64_t area_id, const char *monday, struct duty_err *e);
int duty_week_publish(struct db *db, int64_t area_id, const struct duty_actor *who,
		      const char *monday, int64_t now, struct duty_err *e);
/* duty_week_json: {week_start, planned_at, published_at, shifts:[{id, day,
 * start, end, kind, place_id, where, need, need_trained, missing, reason,
 * weather, alerted, people:[{assignment_id, volunteer_id, name, trained,
 * checkin_at, checkout_at, minutes}]}]}; place_kind/place_id (0: all)
 * keep one station or route. */
int duty_week_json(struct db *db, int64_t area_id, const char *monday, char place_kind,
		   int64_t place_id, json_t **out);
int duty_assign_add(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t shift_id,
		    int64_t volunteer_id, struct duty_err *e, int64_t *out_id);
int duty_assign_remove(struct db *db, int64_t area_id, const struct duty_actor *who,
		       int64_t assignment_id, struct duty_err *e);
int duty_shift_note(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t shift_id,
		    const char *note, struct duty_err *e);
int duty_swap_request(struct db *db, int64_t area_id, const struct duty_actor *who,
		      int64_t assignment_id, int64_t to_volunteer_id, int64_t now,
		      struct duty_err *e, int64_t *out_id);
int duty_swap_decide(struct db *db, int64_t area_id, const struct duty_actor *who, int64_t swap_id,
		     int approve, int64_t now, struct duty_err *e);
int duty_swaps_json(struct db *db, int64_t area_id, int64_t volunteer_id, json_t **out);

/* ---- checkin.c: my duties, check in and out ---- */

/* duty_my_json: the account's volunteer and their shifts from a week ago
 * on: {volunteer_id, name, minutes, shifts:[... as duty_week_json's, with
 * assignment_id, code_needed, can_checkin, can_checkout]}. */
int duty_my_json(struct db *db, int64_t area_id, int64_t user_id, int64_t now, json_t **out);
int duty_checkin(struct db *db, int64_t area_id, const struct duty_actor *who,
		 int64_t assignment_id, const char *code, int64_t now, struct duty_err *e);
int duty_checkout(struct db *db, int64_t area_id, const struct duty_actor *who,
		  int64_t assignment_id, int64_t now, struct duty_err *e, int64_t *minutes);
/* duty_assignment_at_code: the account's assignment at the station or route
 * with code that it may act on now: checked in and open for check-out
 * first, else open for check-in. */
int duty_assignment_at_code(struct db *db, int64_t area_id, int64_t user_id, const char *code,
			    int64_t now, int64_t *out);
/* duty_assignment_checked_in: *yes when assignment id has its check-in. */
int duty_assignment_checked_in(struct db *db, int64_t area_id, int64_t id, int *yes);
/* duty_may_see_place: staff, or a volunteer assigned at that station or
 * route in the week. */
int duty_volunteer_places(struct db *db, int64_t area_id, int64_t volunteer_id, const char *monday,
			  char kind, int64_t place_id, int *yes);

/* duty_audit appends one audit entry (inside the caller's transaction). */
int duty_audit(struct db *db, int64_t area_id, const struct duty_actor *who, const char *action,
	       const char *entity, int64_t id, json_t *after);

/* duty_commit ends a write transaction: commits when rc is 0, else (or
 * when the commit fails) rolls back. Returns rc or the commit's error. */
int duty_commit(struct db *db, int rc);

#endif
