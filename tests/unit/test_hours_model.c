/* Unit tests of the service-hours rules without I/O (src/hours/model.c):
 * hours shown never more than served, points by the table, a target's
 * percent, the time bank's one credit per hour, reversals, team growth. */
#include "hours/model.h"
#include "base/timeutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static void hours_shown_round_down(void **state)
{
	char out[24];
	static const struct {
		int64_t minutes;
		const char *shown;
	} cases[] = {{0, "0.0"},    {5, "0.0"},	   {6, "0.1"},	    {59, "0.9"},
		     {60, "1.0"},   {90, "1.5"},   {95, "1.5"},	    {96, "1.6"},
		     {-30, "-0.5"}, {-59, "-0.9"}, {6000, "100.0"}, {1439, "23.9"}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hours_format(cases[i].minutes, out);
		assert_string_equal(out, cases[i].shown);
	}
}

static void points_follow_the_table(void **state)
{
	int64_t counts[ITEM_COUNT] = {0}, points[ITEM_COUNT] = {2, 1, 3, 1};

	(void)state;
	assert_int_equal(hours_points(counts, points), 0);
	counts[ITEM_MEETING] = 4;
	counts[ITEM_HOUR] = 119; /* one whole hour */
	counts[ITEM_ACTION] = 2;
	counts[ITEM_EVENT] = 3;
	assert_int_equal(hours_points(counts, points), 4 * 2 + 1 * 1 + 2 * 3 + 3 * 1);
	counts[ITEM_HOUR] = 120;
	assert_int_equal(hours_points(counts, points), 4 * 2 + 2 * 1 + 2 * 3 + 3 * 1);
	points[ITEM_HOUR] = 0;
	assert_int_equal(hours_points(counts, points), 4 * 2 + 2 * 3 + 3 * 1);
	assert_int_equal(hours_item_find("hour_served"), ITEM_HOUR);
	assert_int_equal(hours_item_find("event_joined"), ITEM_EVENT);
	assert_int_equal(hours_item_find("speeches"), -1);
	assert_int_equal(hours_item_find(NULL), -1);
}

static void progress_percent(void **state)
{
	(void)state;
	assert_int_equal(hours_progress_percent(0, 1200), 0);
	assert_int_equal(hours_progress_percent(600, 0), 0);
	assert_int_equal(hours_progress_percent(599, 1200), 49);
	assert_int_equal(hours_progress_percent(600, 1200), 50);
	assert_int_equal(hours_progress_percent(1200, 1200), 100);
	assert_int_equal(hours_progress_percent(12000, 1200), 999); /* capped */
	assert_int_equal(hours_progress_percent(-60, 1200), 0);
}

static void one_credit_per_hour(void **state)
{
	(void)state;
	assert_string_equal(hours_gift_check(1, 59), "hours.err.credits_balance");
	assert_null(hours_gift_check(1, 60));
	assert_null(hours_gift_check(2, 120));
	assert_string_equal(hours_gift_check(3, 179), "hours.err.credits_balance");
	assert_string_equal(hours_gift_check(0, 600), "hours.err.credits");
	assert_string_equal(hours_gift_check(-1, 600), "hours.err.credits");
	assert_null(hours_gift_check(1000, 60000));
	assert_string_equal(hours_gift_check(1001, 1000000), "hours.err.credits");
}

static void reversals(void **state)
{
	(void)state;
	assert_null(hours_reversal_check("service", 90, 0, 90));
	assert_null(hours_reversal_check("service", 90, 0, 1));
	assert_string_equal(hours_reversal_check("service", 90, 0, 91),
			    "hours.err.reverse_minutes");
	assert_string_equal(hours_reversal_check("service", 90, 0, 0), "hours.err.reverse_minutes");
	assert_string_equal(hours_reversal_check("service", 90, 1, 10), "hours.err.reversed_twice");
	assert_string_equal(hours_reversal_check("reversal", -90, 0, 10), "hours.err.reverse_kind");
	assert_string_equal(hours_reversal_check("gift_in", 60, 0, 10), "hours.err.reverse_kind");
}

static void days_and_notes(void **state)
{
	int64_t today = lin_days_from_civil(2026, 12, 6);
	char long_note[700];

	(void)state;
	assert_null(hours_day_check("2026-12-06", today));
	assert_null(hours_day_check("2025-01-01", today));
	assert_string_equal(hours_day_check("2026-12-07", today), "hours.err.day_future");
	assert_string_equal(hours_day_check("2026-02-30", today), "hours.err.day");
	assert_string_equal(hours_day_check(NULL, today), "hours.err.day");
	assert_true(hours_source_valid("shift") && hours_source_valid("activity"));
	assert_true(hours_source_valid("event") && hours_source_valid("manual"));
	assert_false(hours_source_valid("correction") || hours_source_valid(NULL));
	assert_null(hours_note_check(NULL, 0, "k"));
	assert_string_equal(hours_note_check("", 1, "k"), "k");
	memset(long_note, 0, sizeof(long_note));
	for (int i = 0; i < 200; i++)
		memcpy(long_note + 3 * i, "字", 3);
	assert_null(hours_note_check(long_note, 1, "k"));
	memcpy(long_note + 600, "x", 1);
	assert_string_equal(hours_note_check(long_note, 1, "k"), "hours.err.note");
}

static void team_growth(void **state)
{
	int in = 0, joined = 0, left = 0;
	struct hours_period p[HOURS_PERIODS_MAX];
	int n;

	(void)state;
	/* Joined on the month's last day: in at its end; left on the first
	 * day of the next: still in at this month's end. */
	hours_growth_count("2025-03-31", "2025-04-01", "2025-03", "2025-03", &in, &joined, &left);
	assert_int_equal(in, 1);
	assert_int_equal(joined, 1);
	assert_int_equal(left, 0);
	hours_growth_count("2025-03-31", "2025-04-01", "2025-04", "2025-04", &in, &joined, &left);
	assert_int_equal(in, 1);
	assert_int_equal(joined, 1);
	assert_int_equal(left, 1);
	/* Still in (no left_on): counted at every later end. */
	hours_growth_count("2019-01-01", "", "2024-01", "2024-12", &in, &joined, &left);
	assert_int_equal(in, 2);
	/* Not yet joined. */
	hours_growth_count("2026-01-01", NULL, "2025-01", "2025-12", &in, &joined, &left);
	assert_int_equal(in, 2);
	assert_int_equal(joined, 1);

	n = hours_periods("2025-03", "2026-02", p);
	assert_int_equal(n, 12);
	assert_string_equal(p[0].label, "2025-03");
	assert_string_equal(p[11].to, "2026-02");
	/* Over two years: quarters; over six: years, at most 24, the last
	 * holding the last month. */
	n = hours_periods("2022-02", "2026-12", p);
	assert_int_equal(n, 20);
	assert_string_equal(p[0].label, "2022Q1");
	assert_string_equal(p[0].from, "2022-01");
	assert_string_equal(p[n - 1].to, "2026-12");
	n = hours_periods("2016-01", "2026-12", p);
	assert_int_equal(n, 11);
	assert_string_equal(p[0].label, "2016");
	assert_string_equal(p[10].label, "2026");
	n = hours_periods("1980-01", "2026-06", p);
	assert_int_equal(n, HOURS_PERIODS_MAX);
	assert_string_equal(p[n - 1].label, "2026");
	n = hours_periods("2026-06", "2026-06", p);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hours_shown_round_down),
	    cmocka_unit_test(points_follow_the_table),
	    cmocka_unit_test(progress_percent),
	    cmocka_unit_test(one_credit_per_hour),
	    cmocka_unit_test(reversals),
	    cmocka_unit_test(days_and_notes),
	    cmocka_unit_test(team_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
