/* The rules of case work, without I/O: the state machine (who may move a
 * case from which state to which), deadline arithmetic in working days,
 * and the score that suggests duplicates. */
#ifndef LINLI_CASES_MODEL_H
#define LINLI_CASES_MODEL_H

#include "../web/perm.h"

#include <stdint.h>

enum case_state {
	CASE_SUBMITTED,
	CASE_ACCEPTED,
	CASE_ASSIGNED,
	CASE_IN_PROGRESS,
	CASE_REFERRED, /* with an outside agency, awaiting its answer */
	CASE_RESOLVED,
	CASE_CLOSED,
	CASE_REJECTED,
	CASE_DUPLICATE,
	CASE_REOPENED,
	CASE_STATE_COUNT
};

enum case_action {
	ACT_ACCEPT,
	ACT_REJECT,    /* needs a reason */
	ACT_DUPLICATE, /* needs the original case */
	ACT_ASSIGN,    /* needs a handler */
	ACT_START,
	ACT_REFER,	   /* needs an agency */
	ACT_AGENCY_ANSWER, /* needs the answer */
	ACT_RESOLVE,	   /* needs a note */
	ACT_CLOSE,	   /* staff close a resolved case */
	ACT_CONFIRM,	   /* the reporter confirms the result */
	ACT_REOPEN,	   /* the reporter: not solved after all */
	ACT_AUTO_CLOSE,	   /* the quiet period passed */
	ACT_REVIEW,	   /* a low rating sends a closed case back */
	ACT_COUNT
};

/* Who acts: a role of a signed-in user, the reporter holding the
 * tracking code, or the system itself (timers, ratings). */
enum case_actor_kind { ACTOR_ROLE, ACTOR_REPORTER, ACTOR_SYSTEM };

struct case_actor {
	enum case_actor_kind kind;
	enum role role; /* when kind == ACTOR_ROLE */
};

const char *case_state_name(enum case_state s);
int case_state_from_name(const char *name, enum case_state *out);
const char *case_action_name(enum case_action a);
int case_action_from_name(const char *name, enum case_action *out);
/* case_state_open: still needs work (Open311 "open"); its resolution
 * deadline runs. */
int case_state_open(enum case_state s);
/* case_state_awaits_acceptance: waiting to be accepted (new or reopened);
 * its acceptance deadline runs. */
int case_state_awaits_acceptance(enum case_state s);
/* The channels staff may record a report through (a resident's own report
 * on the web is "web", a token's "api", an Open311 client's "open311"),
 * NULL-terminated; case_staff_channel: whether channel is one of them. */
extern const char *const case_staff_channels[];
int case_staff_channel(const char *channel);
/* case_states_sql writes the states for which pred is true as an SQL list
 * of quoted names ("'submitted', 'reopened'"), for "state IN (...)": the
 * store's queries take their sets from here, never spelled out. Returns 0,
 * or LIN_ENOMEM when n is too small. */
int case_states_sql(int (*pred)(enum case_state), char *out, size_t n);

/* case_transition: the state action leads to from `from`, or -1 when the
 * action is not possible from there (LIN_ECONFLICT) or not allowed to
 * this actor (LIN_EPERM). OUT: *to. */
int case_transition(enum case_action a, enum case_state from, const struct case_actor *who,
		    enum case_state *to);
/* case_action_needs: what the action requires besides the note:
 * a bit set of CASE_NEEDS_*. */
enum {
	CASE_NEEDS_NOTE = 1 << 0,
	CASE_NEEDS_HANDLER = 1 << 1,
	CASE_NEEDS_AGENCY = 1 << 2,
	CASE_NEEDS_ORIGINAL = 1 << 3,
};
unsigned case_action_needs(enum case_action a);

/* ---- working days ----
 * Days are local calendar days in the area's time zone (UTC+8 in
 * Shanghai, which has no daylight saving). A holiday list marks days off
 * (法定假日) and weekend days that are worked (调休上班). */
struct workday_calendar {
	const int32_t *off; /* day numbers (days since 1970-01-01) that are off, sorted */
	int noff;
	const int32_t *work; /* weekend day numbers that are working days, sorted */
	int nwork;
	int utc_offset; /* seconds east of UTC, 28800 for Shanghai */
};

/* case_day_number: days since 1970-01-01 for a civil date; case_day_civil: back. */
int32_t case_day_number(int y, int m, int d);
void case_day_civil(int32_t n, int *y, int *m, int *d);
int workday_is_working(const struct workday_calendar *cal, int32_t day);
/* workday_deadline: the end (23:59:59 local) of the nth working day after
 * the local day of `at`. n = 1 and a report at 15:00 on a Friday before an
 * ordinary weekend is due at the end of Monday. */
int64_t workday_deadline(const struct workday_calendar *cal, int64_t at, int n);
/* workday_count: working days from the local day after `from` up to and
 * including the local day of `to` (0 when to is on or before from's day). */
int workday_count(const struct workday_calendar *cal, int64_t from, int64_t to);

/* ---- duplicates ---- */
struct case_place {
	int64_t category_id;
	int64_t compound_id, building_id, household_id; /* 0 if unknown */
	int32_t plan_x, plan_y;				/* point on the site plan, -1 if none */
	int64_t lat_e6, lon_e6;				/* microdegrees, INT64_MIN if none */
	int64_t created_at;
};

#define DUPLICATE_WINDOW    (14 * 86400) /* only cases this recent are suggested */
#define DUPLICATE_MIN_SCORE 50

/* duplicate_score: 0..100, how likely b reports the same thing as a:
 * same category is required; then the nearer and the more recent, the
 * higher. Suggest when at least DUPLICATE_MIN_SCORE. */
int duplicate_score(const struct case_place *a, const struct case_place *b);

/* tracking codes: 10 characters of Crockford base32, no ambiguous letters. */
#define TRACKING_CODE_LEN 10
void tracking_code_new(char out[TRACKING_CODE_LEN + 1]);
int tracking_code_valid(const char *s);

#endif
