/* Case rules; see model.h. */
#include "model.h"
#include "../base/err.h"
#include "../base/timeutil.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const state_names[CASE_STATE_COUNT] = {
    [CASE_SUBMITTED] = "submitted", [CASE_ACCEPTED] = "accepted",
    [CASE_ASSIGNED] = "assigned",   [CASE_IN_PROGRESS] = "in_progress",
    [CASE_REFERRED] = "referred",   [CASE_RESOLVED] = "resolved",
    [CASE_CLOSED] = "closed",	    [CASE_REJECTED] = "rejected",
    [CASE_DUPLICATE] = "duplicate", [CASE_REOPENED] = "reopened",
};

static const char *const action_names[ACT_COUNT] = {
    [ACT_ACCEPT] = "accept",
    [ACT_REJECT] = "reject",
    [ACT_DUPLICATE] = "duplicate",
    [ACT_ASSIGN] = "assign",
    [ACT_START] = "start",
    [ACT_REFER] = "refer",
    [ACT_AGENCY_ANSWER] = "agency_answer",
    [ACT_RESOLVE] = "resolve",
    [ACT_CLOSE] = "close",
    [ACT_CONFIRM] = "confirm",
    [ACT_REOPEN] = "reopen",
    [ACT_AUTO_CLOSE] = "auto_close",
    [ACT_REVIEW] = "review",
};

#define S(x)	  (1u << CASE_##x)
#define R(x)	  (1u << ROLE_##x)
#define COMMITTEE (R(ADMIN) | R(SECRETARY) | R(STAFF))
#define REPORTER  (1u << 30) /* the holder of the tracking code */
#define SYSTEM	  (1u << 31) /* timers and ratings */

/* The state machine: one row per action. Read it as "from these states,
 * these actors may do this, and the case goes there". */
static const struct {
	unsigned from;	    /* bit set of states the action starts from */
	enum case_state to; /* where it leads */
	unsigned who;	    /* roles (bits by enum role), REPORTER, SYSTEM */
	unsigned needs;	    /* CASE_NEEDS_* */
} transitions[ACT_COUNT] = {
    [ACT_ACCEPT] = {S(SUBMITTED) | S(REOPENED), CASE_ACCEPTED, COMMITTEE, 0},
    [ACT_REJECT] = {S(SUBMITTED) | S(ACCEPTED) | S(REOPENED), CASE_REJECTED, COMMITTEE,
		    CASE_NEEDS_NOTE},
    [ACT_DUPLICATE] = {S(SUBMITTED) | S(ACCEPTED) | S(REOPENED), CASE_DUPLICATE, COMMITTEE,
		       CASE_NEEDS_ORIGINAL},
    [ACT_ASSIGN] = {S(ACCEPTED) | S(ASSIGNED) | S(IN_PROGRESS) | S(REOPENED), CASE_ASSIGNED,
		    COMMITTEE, CASE_NEEDS_HANDLER},
    [ACT_START] = {S(ASSIGNED), CASE_IN_PROGRESS, COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER), 0},
    [ACT_REFER] = {S(ASSIGNED) | S(IN_PROGRESS), CASE_REFERRED, COMMITTEE | R(PARTY_MEMBER),
		   CASE_NEEDS_AGENCY},
    [ACT_AGENCY_ANSWER] = {S(REFERRED), CASE_IN_PROGRESS, COMMITTEE | R(AGENCY), CASE_NEEDS_NOTE},
    [ACT_RESOLVE] = {S(ASSIGNED) | S(IN_PROGRESS) | S(REFERRED), CASE_RESOLVED,
		     COMMITTEE | R(PARTY_MEMBER), CASE_NEEDS_NOTE},
    [ACT_CLOSE] = {S(RESOLVED), CASE_CLOSED, COMMITTEE, 0},
    [ACT_CONFIRM] = {S(RESOLVED), CASE_CLOSED, REPORTER, 0},
    [ACT_REOPEN] = {S(RESOLVED) | S(CLOSED), CASE_REOPENED, REPORTER, CASE_NEEDS_NOTE},
    [ACT_AUTO_CLOSE] = {S(RESOLVED), CASE_CLOSED, SYSTEM, 0},
    [ACT_REVIEW] = {S(RESOLVED) | S(CLOSED), CASE_REOPENED, SYSTEM, 0},
};

const char *case_state_name(enum case_state s)
{
	return (s >= 0 && s < CASE_STATE_COUNT) ? state_names[s] : "?";
}

int case_state_from_name(const char *name, enum case_state *out)
{
	for (int i = 0; name && i < CASE_STATE_COUNT; i++)
		if (!strcmp(state_names[i], name)) {
			*out = (enum case_state)i;
			return 0;
		}
	return LIN_EINVAL;
}

const char *case_action_name(enum case_action a)
{
	return (a >= 0 && a < ACT_COUNT) ? action_names[a] : "?";
}

int case_action_from_name(const char *name, enum case_action *out)
{
	for (int i = 0; name && i < ACT_COUNT; i++)
		if (!strcmp(action_names[i], name)) {
			*out = (enum case_action)i;
			return 0;
		}
	return LIN_EINVAL;
}

int case_state_open(enum case_state s)
{
	return s != CASE_CLOSED && s != CASE_REJECTED && s != CASE_DUPLICATE && s != CASE_RESOLVED;
}

const char *const case_staff_channels[] = {"phone", "walk_in", "web", NULL};

int case_staff_channel(const char *channel)
{
	for (int i = 0; channel && case_staff_channels[i]; i++)
		if (!strcmp(channel, case_staff_channels[i]))
			return 1;
	return 0;
}

int case_state_awaits_acceptance(enum case_state s)
{
	return s == CASE_SUBMITTED || s == CASE_REOPENED;
}

int case_states_sql(int (*pred)(enum case_state), char *out, size_t n)
{
	size_t used = 0;

	if (!n)
		return LIN_ENOMEM;
	out[0] = '\0';
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		if (!pred((enum case_state)s))
			continue;
		int w = snprintf(out + used, n - used, "%s'%s'", used ? ", " : "",
				 case_state_name((enum case_state)s));
		if (w < 0 || (size_t)w >= n - used)
			return LIN_ENOMEM;
		used += (size_t)w;
	}
	return 0;
}

int case_transition(enum case_action a, enum case_state from, const struct case_actor *who,
		    enum case_state *to)
{
	unsigned bit;

	if (a < 0 || a >= ACT_COUNT || from < 0 || from >= CASE_STATE_COUNT)
		return LIN_EINVAL;
	switch (who->kind) {
	case ACTOR_REPORTER:
		bit = REPORTER;
		break;
	case ACTOR_SYSTEM:
		bit = SYSTEM;
		break;
	default:
		bit = (who->role > ROLE_NONE && who->role < ROLE_COUNT) ? 1u << who->role : 0;
	}
	if (!(transitions[a].who & bit))
		return LIN_EPERM;
	if (!(transitions[a].from & (1u << from)))
		return LIN_ECONFLICT;
	*to = transitions[a].to;
	return 0;
}

unsigned case_action_needs(enum case_action a)
{
	return (a >= 0 && a < ACT_COUNT) ? transitions[a].needs : 0;
}

/* ---- working days ---- */

int32_t case_day_number(int y, int m, int d)
{
	return (int32_t)lin_days_from_civil(y, m, d);
}

void case_day_civil(int32_t n, int *y, int *m, int *d)
{
	lin_civil_from_days(n, y, m, d);
}

static int in_sorted(const int32_t *days, int n, int32_t day)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (days[mid] == day)
			return 1;
		if (days[mid] < day)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return 0;
}

int workday_is_working(const struct workday_calendar *cal, int32_t day)
{
	/* 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays. */
	int weekday = (int)(((day % 7) + 7 + 3) % 7);
	if (cal && in_sorted(cal->off, cal->noff, day))
		return 0;
	if (weekday >= 5)
		return cal && in_sorted(cal->work, cal->nwork, day);
	return 1;
}

static int32_t local_day(const struct workday_calendar *cal, int64_t at)
{
	int64_t t = at + (cal ? cal->utc_offset : 0);
	return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

int64_t workday_deadline(const struct workday_calendar *cal, int64_t at, int n)
{
	int32_t day = local_day(cal, at);

	for (int counted = 0; counted < n;) {
		day++;
		if (workday_is_working(cal, day))
			counted++;
	}
	return ((int64_t)day + 1) * 86400 - (cal ? cal->utc_offset : 0) - 1;
}

int workday_count(const struct workday_calendar *cal, int64_t from, int64_t to)
{
	int32_t a = local_day(cal, from), b = local_day(cal, to);
	int n = 0;

	for (int32_t d = a + 1; d <= b; d++)
		n += workday_is_working(cal, d);
	return n;
}

/* ---- duplicates ---- */

static int location_score(const struct case_place *a, const struct case_place *b)
{
	if (a->household_id && a->household_id == b->household_id)
		return 60;
	if (a->plan_x >= 0 && b->plan_x >= 0) {
		double d = hypot((double)(a->plan_x - b->plan_x), (double)(a->plan_y - b->plan_y));
		/* The site plan is 1000 units across: the score falls to 0 at 300. */
		if (d <= 300)
			return (int)lround(60.0 * (1.0 - d / 300.0));
	}
	if (a->lat_e6 != INT64_MIN && b->lat_e6 != INT64_MIN) {
		double lat = (double)(a->lat_e6 + b->lat_e6) / 2e6 * M_PI / 180.0;
		double dy = (double)(a->lat_e6 - b->lat_e6) / 1e6 * 111195.0;
		double dx = (double)(a->lon_e6 - b->lon_e6) / 1e6 * 111195.0 * cos(lat);
		double m = hypot(dx, dy);
		if (m <= 300)
			return (int)lround(60.0 * (1.0 - m / 300.0));
	}
	if (a->building_id && a->building_id == b->building_id)
		return 45;
	if (a->compound_id && a->compound_id == b->compound_id)
		return 25;
	return 0;
}

int duplicate_score(const struct case_place *a, const struct case_place *b)
{
	int64_t age = a->created_at - b->created_at;
	int recency;

	if (a->category_id != b->category_id)
		return 0;
	if (age < 0)
		age = -age;
	if (age > DUPLICATE_WINDOW)
		return 0;
	recency = (int)lround(40.0 * (1.0 - (double)age / DUPLICATE_WINDOW));
	return location_score(a, b) + recency;
}

/* ---- tracking codes ---- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void tracking_code_new(char out[TRACKING_CODE_LEN + 1])
{
	unsigned char raw[TRACKING_CODE_LEN];

	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < TRACKING_CODE_LEN; i++)
		out[i] = crockford[raw[i] & 31];
	out[TRACKING_CODE_LEN] = '\0';
}

int tracking_code_valid(const char *s)
{
	if (!s || strlen(s) != TRACKING_CODE_LEN)
		return 0;
	for (int i = 0; i < TRACKING_CODE_LEN; i++)
		if (!strchr(crockford, s[i]) || !s[i])
			return 0;
	return 1;
}
