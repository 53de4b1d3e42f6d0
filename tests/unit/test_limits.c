/* GB 3096-2008 limits and the day/night assessment (src/noise/limits.c):
 * the class table, the edges of every comparison at the stored 0.01 dB,
 * energetic (never arithmetic) means, the night maximum rule, exceedance
 * minutes and Ldn. */
#include "base/err.h"
#include "noise/limits.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#define D0 1795903200LL /* 2026-11-29 06:00 in Shanghai (22:00 UTC the day before) */

static struct noise_second secs[90000];
static size_t nsecs;

/* add: count seconds from offset off (seconds after D0) at laeq, lmax. */
static void add(int64_t off, int64_t count, int64_t laeq, int64_t lmax)
{
	for (int64_t i = 0; i < count; i++) {
		assert_true(nsecs < sizeof(secs) / sizeof(secs[0]));
		secs[nsecs++] = (struct noise_second){D0 + off + i, laeq, lmax ? lmax : laeq};
	}
}

static void class_table_is_gb3096(void **state)
{
	static const struct {
		const char *zone;
		int64_t day, night;
	} want[] = {{"0", 5000, 4000}, {"1", 5500, 4500},  {"2", 6000, 5000},
		    {"3", 6500, 5500}, {"4a", 7000, 5500}, {"4b", 7000, 6000}};
	int64_t d, n;

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(noise_zone_limits(want[i].zone, &d, &n), 0);
		assert_int_equal(d, want[i].day);
		assert_int_equal(n, want[i].night);
	}
	assert_int_equal(noise_zone_limits("5", &d, &n), LIN_EINVAL);
	assert_int_equal(noise_zone_limits("4", &d, &n), LIN_EINVAL);
	assert_int_equal(noise_zone_limits(NULL, &d, &n), LIN_EINVAL);
}

static void limit_edges_at_a_tenth(void **state)
{
	struct noise_day a;

	(void)state;
	/* An hour at 55.04 is within the class 1 day limit, at 55.05 over. */
	nsecs = 0;
	add(0, 3600, 5504, 0);
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_int_equal(a.day.seconds, 3600);
	assert_false(a.day.exceeded);
	assert_int_equal(a.day.minutes_over, 0);
	nsecs = 0;
	add(0, 3600, 5505, 0);
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_true(a.day.exceeded);
	assert_int_equal(a.day.minutes_over, 60);
	assert_true(fabs(a.day.laeq - 55.05) < 1e-9);
	assert_int_equal(a.night.seconds, 0);
	assert_false(a.has_ldn);
	assert_int_equal(noise_assess_day("9", D0, secs, nsecs, &a), LIN_EINVAL);
}

static void night_maximum_may_exceed_by_fifteen(void **state)
{
	struct noise_day a;

	(void)state;
	/* Class 1 night limit 45: a maximum of exactly 60.00 is allowed. */
	nsecs = 0;
	add(16 * 3600, 600, 4000, 6000);
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_int_equal(a.night.seconds, 600);
	assert_int_equal(a.night.lmax_centi, 6000);
	assert_false(a.night.lmax_exceeded);
	assert_false(a.night.exceeded);
	add(16 * 3600 + 600, 1, 4000, 6001);
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_true(a.night.lmax_exceeded);
	/* A day maximum is not held to that rule. */
	nsecs = 0;
	add(0, 10, 4000, 9000);
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_false(a.night.lmax_exceeded);
	assert_int_equal(a.day.lmax_centi, 9000);
}

static void means_are_energetic_and_minutes_are_clock_minutes(void **state)
{
	struct noise_day a;

	(void)state;
	nsecs = 0;
	add(0, 60, 5600, 0);	/* minute 0: 56 dB, over 55 */
	add(60, 30, 5000, 0);	/* minute 1: 50 dB, half the minute */
	add(120, 1, 7000, 0);	/* minute 2: one loud second ... */
	add(121, 59, 4000, 0);	/* ... in quiet: 52.47 dB, within */
	add(180, 2, 7000, 0);	/* minute 3: two loud seconds ... */
	add(182, 58, 4000, 0);	/* ... 55.35 dB, over */
	add(-1, 1, 9900, 0);	/* before the day: ignored */
	add(86400, 1, 9900, 0); /* after the night: ignored */
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_int_equal(a.day.seconds, 210);
	assert_int_equal(a.day.minutes_over, 2);
	/* 54.4 dB: not the arithmetic mean of the decibels (46.4). */
	{
		double e =
		    60 * pow(10, 5.6) + 30 * pow(10, 5.0) + 3 * pow(10, 7.0) + 117 * pow(10, 4.0);
		assert_true(fabs(a.day.laeq - 10 * log10(e / 210)) < 1e-9);
		assert_true(fabs(a.day.laeq - 54.42) < 0.01);
	}
	assert_int_equal(a.day.lmax_centi, 7000);
	assert_int_equal(a.night.seconds, 0);
}

static void the_day_ends_at_22_and_ldn_weights_the_night(void **state)
{
	struct noise_day a;

	(void)state;
	nsecs = 0;
	add(16 * 3600 - 1, 1, 5500, 0); /* 21:59:59: day */
	add(16 * 3600, 1, 4500, 0);	/* 22:00:00: night */
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_int_equal(a.day.seconds, 1);
	assert_int_equal(a.night.seconds, 1);
	assert_true(fabs(a.day.laeq - 55.0) < 1e-9);
	assert_true(fabs(a.night.laeq - 45.0) < 1e-9);
	assert_false(a.day.exceeded);
	assert_false(a.night.exceeded);
	/* Ld 55, Ln 45: the night's +10 makes both 55, so Ldn is 55. */
	assert_true(a.has_ldn);
	assert_true(fabs(a.ldn - 55.0) < 1e-9);
	/* Ld 60, Ln 51 in class 2: Ldn 60.36, and the night is over its 50. */
	nsecs = 0;
	add(0, 1, 6000, 0);
	add(16 * 3600, 1, 5100, 0);
	assert_int_equal(noise_assess_day("2", D0, secs, nsecs, &a), 0);
	assert_true(fabs(a.ldn - 10 * log10((16 * 1e6 + 8 * pow(10, 6.1)) / 24)) < 1e-9);
	assert_true(fabs(a.ldn - 60.36) < 0.01);
	assert_true(a.night.exceeded);
}

/* An area whose night runs 23:00-07:00 (`linli plaza hours`): its day is
 * 16 h from 07:00, so 22:30 is still day and 23:00 night; with a 15 h day
 * (night 22:00-07:00) Ldn weights the night by 9 h. */
static void the_areas_own_night(void **state)
{
	struct noise_day a;

	(void)state;
	nsecs = 0;
	add(16 * 3600 + 1800, 1, 6000, 0); /* 22:30 */
	add(17 * 3600, 1, 5100, 0);	   /* 23:00 */
	assert_int_equal(
	    noise_assess_day_merged("2", D0 + 3600, 16 * 3600, secs, nsecs, NULL, 0, &a), 0);
	assert_int_equal(a.day.seconds, 1);
	assert_int_equal(a.night.seconds, 1);
	assert_true(fabs(a.ldn - 10 * log10((16 * 1e6 + 8 * pow(10, 6.1)) / 24)) < 1e-9);
	/* A 15 h day: 22:30 is night now. */
	assert_int_equal(
	    noise_assess_day_merged("2", D0 + 3600, 15 * 3600, secs, nsecs, NULL, 0, &a), 0);
	assert_int_equal(a.day.seconds, 0);
	assert_int_equal(a.night.seconds, 2);
	nsecs = 0;
	add(3600, 1, 6000, 0);	    /* 07:00 */
	add(16 * 3600, 1, 5100, 0); /* 22:00 */
	assert_int_equal(
	    noise_assess_day_merged("2", D0 + 3600, 15 * 3600, secs, nsecs, NULL, 0, &a), 0);
	assert_true(fabs(a.ldn - 10 * log10((15 * 1e6 + 9 * pow(10, 6.1)) / 24)) < 1e-9);
	/* A day of no length, or the whole day, is refused. */
	assert_int_equal(noise_assess_day_merged("2", D0, 0, secs, nsecs, NULL, 0, &a), LIN_EINVAL);
	assert_int_equal(noise_assess_day_merged("2", D0, 86400, secs, nsecs, NULL, 0, &a),
			 LIN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(class_table_is_gb3096),
	    cmocka_unit_test(limit_edges_at_a_tenth),
	    cmocka_unit_test(night_maximum_may_exceed_by_fifteen),
	    cmocka_unit_test(means_are_energetic_and_minutes_are_clock_minutes),
	    cmocka_unit_test(the_day_ends_at_22_and_ldn_weights_the_night),
	    cmocka_unit_test(the_areas_own_night),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
