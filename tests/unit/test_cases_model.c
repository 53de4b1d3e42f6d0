/* The rules of case work: the whole state machine (every action from
 * every state for every actor, against a table written out independently
 * here), working-day deadlines over weekends, holidays and make-up days,
 * and duplicate scores. */
#include "cases/model.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

/* Expected outcomes, restated: for each action the states it starts from,
 * where it leads, and who may take it ("acsmvrlgRS": admin, secretary,
 * staff, member, volunteer, resident, liaison, agency, Reporter, System). */
static const struct {
	const char *action;
	const char *from[5];
	const char *to;
	const char *who;
} expected[] = {
    {"accept", {"submitted", "reopened"}, "accepted", "acs"},
    {"reject", {"submitted", "accepted", "reopened"}, "rejected", "acs"},
    {"duplicate", {"submitted", "accepted", "reopened"}, "duplicate", "acs"},
    {"assign", {"accepted", "assigned", "in_progress", "reopened"}, "assigned", "acs"},
    {"start", {"assigned"}, "in_progress", "acsmv"},
    {"refer", {"assigned", "in_progress"}, "referred", "acsm"},
    {"agency_answer", {"referred"}, "in_progress", "acsg"},
    {"resolve", {"assigned", "in_progress", "referred"}, "resolved", "acsm"},
    {"close", {"resolved"}, "closed", "acs"},
    {"confirm", {"resolved"}, "closed", "R"},
    {"reopen", {"resolved", "closed"}, "reopened", "R"},
    {"auto_close", {"resolved"}, "closed", "S"},
    {"review", {"resolved", "closed"}, "reopened", "S"},
};

static struct case_actor actor_for(char c)
{
	static const char letters[] = "acsmvrlg";
	struct case_actor a = {ACTOR_ROLE, ROLE_NONE};
	const char *p = strchr(letters, c);

	if (c == 'R')
		a.kind = ACTOR_REPORTER;
	else if (c == 'S')
		a.kind = ACTOR_SYSTEM;
	else if (p)
		a.role = (enum role)(ROLE_ADMIN + (p - letters));
	return a;
}

static void every_transition_per_actor(void **state)
{
	const char *actors = "acsmvrlgRS";
	int allowed = 0, refused = 0;

	(void)state;
	assert_int_equal(sizeof(expected) / sizeof(expected[0]), ACT_COUNT);
	for (size_t e = 0; e < sizeof(expected) / sizeof(expected[0]); e++) {
		enum case_action a;
		assert_int_equal(case_action_from_name(expected[e].action, &a), 0);
		for (int s = 0; s < CASE_STATE_COUNT; s++) {
			int from_ok = 0;
			for (int k = 0; k < 5 && expected[e].from[k]; k++)
				from_ok |= !strcmp(expected[e].from[k],
						   case_state_name((enum case_state)s));
			for (const char *w = actors; *w; w++) {
				struct case_actor who = actor_for(*w);
				enum case_state to = CASE_STATE_COUNT;
				int rc = case_transition(a, (enum case_state)s, &who, &to);
				int may = strchr(expected[e].who, *w) != NULL;
				if (!may) {
					if (rc != LIN_EPERM)
						fail_msg("%s from %s by %c: want refused (EPERM), "
							 "got %d",
							 expected[e].action, case_state_name(s), *w,
							 rc);
					refused++;
				} else if (!from_ok) {
					if (rc != LIN_ECONFLICT)
						fail_msg("%s from %s by %c: want ECONFLICT, got %d",
							 expected[e].action, case_state_name(s), *w,
							 rc);
					refused++;
				} else {
					if (rc != 0 || strcmp(case_state_name(to), expected[e].to))
						fail_msg(
						    "%s from %s by %c: want %s, got rc %d to %s",
						    expected[e].action, case_state_name(s), *w,
						    expected[e].to, rc, case_state_name(to));
					allowed++;
				}
			}
		}
	}
	/* 13 actions x 10 states x 10 actors, all decided. */
	assert_int_equal(allowed + refused, ACT_COUNT * CASE_STATE_COUNT * 10);
	assert_true(allowed > 40);
}

static void needs_and_names(void **state)
{
	enum case_state s;
	enum case_action a;

	(void)state;
	assert_int_equal(case_action_needs(ACT_REJECT), CASE_NEEDS_NOTE);
	assert_int_equal(case_action_needs(ACT_ASSIGN), CASE_NEEDS_HANDLER);
	assert_int_equal(case_action_needs(ACT_REFER), CASE_NEEDS_AGENCY);
	assert_int_equal(case_action_needs(ACT_DUPLICATE), CASE_NEEDS_ORIGINAL);
	assert_int_equal(case_action_needs(ACT_ACCEPT), 0);
	assert_int_equal(case_state_from_name("in_progress", &s), 0);
	assert_int_equal(s, CASE_IN_PROGRESS);
	assert_int_not_equal(case_state_from_name("done", &s), 0);
	assert_int_not_equal(case_action_from_name("delete", &a), 0);
	assert_true(case_state_open(CASE_REFERRED));
	assert_false(case_state_open(CASE_RESOLVED));
	assert_false(case_state_open(CASE_DUPLICATE));
}

/* ---- working days ---- */

#define SH 28800
static int64_t at(int y, int m, int d, int hh, int mm)
{
	return (int64_t)case_day_number(y, m, d) * 86400 + hh * 3600 + mm * 60 - SH;
}

static int64_t end_of(int y, int m, int d)
{
	return ((int64_t)case_day_number(y, m, d) + 1) * 86400 - SH - 1;
}

static void civil_round_trip(void **state)
{
	(void)state;
	assert_int_equal(case_day_number(1970, 1, 1), 0);
	assert_int_equal(case_day_number(2000, 3, 1), 11017);
	for (int32_t n = -800000; n < 800000; n += 997) {
		int y, m, d;
		case_day_civil(n, &y, &m, &d);
		assert_int_equal(case_day_number(y, m, d), n);
	}
}

static void deadlines_skip_weekends(void **state)
{
	struct workday_calendar cal = {NULL, 0, NULL, 0, SH};

	(void)state;
	/* 2026-11-27 is a Friday. One working day from Friday 15:00 is the
	 * end of Monday; from Saturday too; from Monday, the end of Tuesday. */
	assert_int_equal(workday_deadline(&cal, at(2026, 11, 27, 15, 0), 1), end_of(2026, 11, 30));
	assert_int_equal(workday_deadline(&cal, at(2026, 11, 28, 10, 0), 1), end_of(2026, 11, 30));
	assert_int_equal(workday_deadline(&cal, at(2026, 11, 30, 9, 0), 1), end_of(2026, 12, 1));
	/* Five working days from a Wednesday: the next Wednesday. */
	assert_int_equal(workday_deadline(&cal, at(2026, 12, 2, 9, 0), 5), end_of(2026, 12, 9));
	/* Local days: 23:30 on a Friday in Shanghai is 15:30 UTC that Friday;
	 * 00:30 on a Saturday in Shanghai is still Friday in UTC. */
	assert_int_equal(workday_deadline(&cal, at(2026, 11, 28, 0, 30), 1), end_of(2026, 11, 30));
	assert_int_equal(workday_count(&cal, at(2026, 11, 27, 15, 0), at(2026, 12, 4, 9, 0)), 5);
	assert_int_equal(workday_count(&cal, at(2026, 11, 27, 15, 0), at(2026, 11, 27, 20, 0)), 0);
}

static void deadlines_respect_holidays(void **state)
{
	/* National Day 2026: 10-01..10-07 off; Sunday 9-27 and Saturday 10-10
	 * worked (调休). */
	const int32_t off[] = {case_day_number(2026, 10, 1), case_day_number(2026, 10, 2),
			       case_day_number(2026, 10, 5), case_day_number(2026, 10, 6),
			       case_day_number(2026, 10, 7)};
	const int32_t work[] = {case_day_number(2026, 9, 27), case_day_number(2026, 10, 10)};
	struct workday_calendar cal = {off, 5, work, 2, SH};

	(void)state;
	assert_false(workday_is_working(&cal, case_day_number(2026, 10, 1)));
	assert_true(workday_is_working(&cal, case_day_number(2026, 9, 27)));
	assert_false(
	    workday_is_working(&cal, case_day_number(2026, 10, 3))); /* an ordinary Saturday */
	/* Friday 9-25 + 1 working day: Sunday 9-27 is worked. */
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 25, 16, 0), 1), end_of(2026, 9, 27));
	/* Wednesday 9-30 + 1: the holiday week, then Thursday 10-8. */
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 30, 10, 0), 1), end_of(2026, 10, 8));
	/* + 5 from 9-30: 10-8, 10-9, 10-10 (worked Saturday), 10-12, 10-13. */
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 30, 10, 0), 5), end_of(2026, 10, 13));
	/* + 15 reaches past the next weekends. */
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 30, 10, 0), 15), end_of(2026, 10, 27));
}

/* Edges in Shanghai time (UTC+8): one second either side of local
 * midnight, on a weekday, before a make-up working day and at the
 * deadline itself. */
static void deadlines_at_the_edges(void **state)
{
	const int32_t off[] = {case_day_number(2026, 10, 1), case_day_number(2026, 10, 2),
			       case_day_number(2026, 10, 5), case_day_number(2026, 10, 6),
			       case_day_number(2026, 10, 7)};
	const int32_t work[] = {case_day_number(2026, 9, 27), case_day_number(2026, 10, 10)};
	struct workday_calendar cal = {off, 5, work, 2, SH};
	int64_t due;

	(void)state;
	/* Monday 2026-11-30 23:59:59 local (15:59:59 UTC): due end of Tuesday.
	 * One second later it is Tuesday 00:00:00 local but still Monday in
	 * UTC: due end of Wednesday. */
	assert_int_equal(workday_deadline(&cal, at(2026, 11, 30, 23, 59) + 59, 1),
			 end_of(2026, 12, 1));
	assert_int_equal(workday_deadline(&cal, at(2026, 12, 1, 0, 0), 1), end_of(2026, 12, 2));
	assert_int_equal(workday_deadline(&cal, at(2026, 12, 1, 0, 0) + 1, 1), end_of(2026, 12, 2));
	/* 00:30 on Tuesday in Shanghai is 16:30 on Monday in UTC. */
	assert_int_equal(workday_deadline(&cal, at(2026, 12, 1, 0, 30), 1), end_of(2026, 12, 2));
	assert_int_equal(workday_deadline(&cal, at(2026, 12, 1, 0, 30), 5), end_of(2026, 12, 8));
	/* Friday 9-25 at 23:59:59: the make-up Sunday 9-27 is the next working
	 * day; from Saturday 00:00:00 too (Saturday itself is off). */
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 25, 23, 59) + 59, 1),
			 end_of(2026, 9, 27));
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 26, 0, 0), 1), end_of(2026, 9, 27));
	/* From the make-up Sunday itself, the next working day is Monday. */
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 27, 0, 0), 1), end_of(2026, 9, 28));
	assert_int_equal(workday_deadline(&cal, at(2026, 9, 26, 23, 59) + 59, 2),
			 end_of(2026, 9, 28));
	/* The deadline is the last second of its day: a second before and at
	 * it, one working day has passed; a second after, two have (Monday
	 * 9-28 has begun). */
	due = workday_deadline(&cal, at(2026, 9, 25, 15, 0), 1);
	assert_int_equal(due, end_of(2026, 9, 27));
	assert_int_equal(workday_count(&cal, at(2026, 9, 25, 15, 0), due - 1), 1);
	assert_int_equal(workday_count(&cal, at(2026, 9, 25, 15, 0), due), 1);
	assert_int_equal(workday_count(&cal, at(2026, 9, 25, 15, 0), due + 1), 2);
	/* The make-up Saturday 10-10 after the holiday week, at its edges. */
	assert_int_equal(workday_deadline(&cal, at(2026, 10, 9, 23, 59) + 59, 1),
			 end_of(2026, 10, 10));
	assert_int_equal(workday_deadline(&cal, at(2026, 10, 10, 0, 0), 1), end_of(2026, 10, 12));
	assert_int_equal(workday_count(&cal, at(2026, 10, 9, 12, 0), at(2026, 10, 10, 0, 0) - 1),
			 0);
	assert_int_equal(workday_count(&cal, at(2026, 10, 9, 12, 0), at(2026, 10, 10, 0, 0)), 1);
	assert_int_equal(workday_count(&cal, at(2026, 10, 9, 12, 0), at(2026, 10, 11, 23, 59)), 1);
}

/* ---- duplicates ---- */

static void duplicate_scores(void **state)
{
	struct case_place a = {7, 3, 30, 300, -1, -1, INT64_MIN, INT64_MIN, 1000000};
	struct case_place b = a;

	(void)state;
	/* Same household, same moment: as sure as it gets. */
	assert_int_equal(duplicate_score(&a, &b), 100);
	/* Another category never matches. */
	b.category_id = 8;
	assert_int_equal(duplicate_score(&a, &b), 0);
	b.category_id = 7;
	/* Same building, another flat, a week apart: still suggested. */
	b.household_id = 301;
	b.created_at = a.created_at - 7 * 86400;
	assert_true(duplicate_score(&a, &b) >= DUPLICATE_MIN_SCORE);
	/* Same compound only, a week apart: not suggested. */
	b.building_id = 31;
	assert_true(duplicate_score(&a, &b) < DUPLICATE_MIN_SCORE);
	/* Outside the window: nothing. */
	b.building_id = 30;
	b.created_at = a.created_at - DUPLICATE_WINDOW - 1;
	assert_int_equal(duplicate_score(&a, &b), 0);
	/* Exactly at the window's edge, either side of a: the same household
	 * (60) and no recency left (0); a day inside it, 60 + 40 / 14 ≈ 63. */
	b.household_id = 300;
	b.created_at = a.created_at - DUPLICATE_WINDOW;
	assert_int_equal(duplicate_score(&a, &b), 60);
	b.created_at = a.created_at + DUPLICATE_WINDOW;
	assert_int_equal(duplicate_score(&a, &b), 60);
	b.created_at = a.created_at + DUPLICATE_WINDOW + 1;
	assert_int_equal(duplicate_score(&a, &b), 0);
	b.created_at = a.created_at - (DUPLICATE_WINDOW - 86400);
	assert_int_equal(duplicate_score(&a, &b), 63);
	/* Half the window: 60 + 20. */
	b.created_at = a.created_at - DUPLICATE_WINDOW / 2;
	assert_int_equal(duplicate_score(&a, &b), 80);
	b.household_id = 301;
	/* Points on the site plan: near beats far. */
	struct case_place p = {7, 0, 0, 0, 500, 500, INT64_MIN, INT64_MIN, 1000000};
	struct case_place q = p, r = p;
	q.plan_x = 520;
	r.plan_x = 790;
	assert_true(duplicate_score(&p, &q) > duplicate_score(&p, &r));
	assert_true(duplicate_score(&p, &q) >= DUPLICATE_MIN_SCORE);
	/* Coordinates: 100 m apart in Shanghai is near. */
	struct case_place g = {7, 0, 0, 0, -1, -1, 31235000, 121430000, 1000000};
	struct case_place g2 = g;
	g2.lat_e6 += 900; /* about 100 m north */
	assert_true(duplicate_score(&g, &g2) >= DUPLICATE_MIN_SCORE);
	g2.lat_e6 += 9000; /* 1 km */
	assert_true(duplicate_score(&g, &g2) < DUPLICATE_MIN_SCORE);
}

static void tracking_codes(void **state)
{
	char a[TRACKING_CODE_LEN + 1], b[TRACKING_CODE_LEN + 1];

	(void)state;
	tracking_code_new(a);
	tracking_code_new(b);
	assert_int_equal(strlen(a), TRACKING_CODE_LEN);
	assert_true(tracking_code_valid(a));
	assert_string_not_equal(a, b);
	assert_false(tracking_code_valid("ABCDEFGHIO")); /* O is not used */
	assert_false(tracking_code_valid("abcdefghjk"));
	assert_false(tracking_code_valid("ABC"));
	assert_false(tracking_code_valid(NULL));
}

/* The state sets the store's SQL uses come from the model: written out
 * here, so a state moved in or out of a set shows. */
static void state_sets_as_sql(void **state)
{
	static const char open[] =
	    "'submitted', 'accepted', 'assigned', 'in_progress', 'referred', 'reopened'";
	static const char awaiting[] = "'submitted', 'reopened'";
	char out[128];

	(void)state;
	assert_int_equal(case_states_sql(case_state_open, out, sizeof(out)), 0);
	assert_string_equal(out, open);
	assert_int_equal(case_states_sql(case_state_awaits_acceptance, out, sizeof(out)), 0);
	assert_string_equal(out, awaiting);
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		if (case_state_awaits_acceptance((enum case_state)s))
			assert_true(case_state_open((enum case_state)s));
	/* Exactly the room it needs, and one byte less. */
	assert_int_equal(case_states_sql(case_state_awaits_acceptance, out, sizeof(awaiting)), 0);
	assert_string_equal(out, awaiting);
	assert_int_equal(case_states_sql(case_state_awaits_acceptance, out, sizeof(awaiting) - 1),
			 LIN_ENOMEM);
	assert_int_equal(case_states_sql(case_state_open, out, 0), LIN_ENOMEM);
}

/* Staff record calls, visits and web reports; nothing else is a channel
 * they may choose. */
static void staff_channels(void **state)
{
	static const char *const no[] = {"api", "open311", "", "Phone", "phone ", "fax", NULL};

	(void)state;
	assert_true(case_staff_channel("phone"));
	assert_true(case_staff_channel("walk_in"));
	assert_true(case_staff_channel("web"));
	for (int i = 0; no[i]; i++)
		assert_false(case_staff_channel(no[i]));
	assert_false(case_staff_channel(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_transition_per_actor), cmocka_unit_test(needs_and_names),
	    cmocka_unit_test(state_sets_as_sql),	  cmocka_unit_test(staff_channels),
	    cmocka_unit_test(civil_round_trip),		  cmocka_unit_test(deadlines_skip_weekends),
	    cmocka_unit_test(deadlines_respect_holidays), cmocka_unit_test(deadlines_at_the_edges),
	    cmocka_unit_test(duplicate_scores),		  cmocka_unit_test(tracking_codes),
	};
	return cmocka_run_group_tests_name("cases_model", tests, NULL, NULL);
}
