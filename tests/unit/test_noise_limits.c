/* GB 3096-2008 limits and the day/night assessment (src/noise/limits.c):
 * the class table, the edges of every comparison at the stored 0.01 dB,
 * energetic (never arithmetic) means, the night maximum rule, exceedance
 * minutes and Ldn. */
#include "base/err.h"
#include "noise/limits.h"
#include "noise/live_view.h"
#include "plaza/plaza.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* energy_of: 10^(L/10) of a level in hundredths, written out here rather
 * than taken from the code under test. */
static double energy_of(int64_t centi)
{
	return pow(10.0, (double)centi / 1000.0);
}

/* A clock minute with only some of its seconds is the energetic mean of
 * those seconds, not of 60: half a minute at 56 dB is a minute over, and
 * the 0.1 dB edge (55.04 within, 55.05 over) holds for it too. */
static void a_partial_minute_is_the_mean_of_its_seconds(void **state)
{
	struct noise_day a;

	(void)state;
	nsecs = 0;
	add(0, 30, 5600, 0);   /* 06:00:00-06:00:29 at 56: over */
	add(60, 30, 5505, 0);  /* 06:01:00-06:01:29 at 55.05: over */
	add(120, 30, 5504, 0); /* 06:02:00-06:02:29 at 55.04: within */
	add(180, 1, 5505, 0);  /* 06:03:00 alone at 55.05: over */
	add(299, 1, 5600, 0);  /* 06:04:59 alone, the minute's last second: over */
	assert_int_equal(noise_assess_day("1", D0, secs, nsecs, &a), 0);
	assert_int_equal(a.day.seconds, 92);
	assert_int_equal(a.day.minutes_over, 4);
	{
		double e = 31 * energy_of(5600) + 31 * energy_of(5505) + 30 * energy_of(5504);
		assert_true(fabs(a.day.laeq - 10 * log10(e / 92)) < 1e-9);
	}
	assert_true(a.day.exceeded);
}

/* Minutes a station sent without seconds count as 60 seconds at their
 * LAeq, in the period where they start: 21:59 is day, 22:00 night. */
static void station_minutes_are_sixty_seconds_each(void **state)
{
	struct noise_minute_level m[] = {
	    {D0 + 60, 5600, 6200},	       /* 06:01, over */
	    {D0 + 120, 5505, 5600},	       /* 06:02, 55.05: over */
	    {D0 + 180, 5504, 5800},	       /* 06:03, 55.04: within */
	    {D0 + 16 * 3600 - 60, 4000, 4100}, /* 21:59: day */
	    {D0 + 16 * 3600, 4505, 6000},      /* 22:00: night, 45.05 over 45 */
	    {D0 + 16 * 3600 + 60, 4500, 6001}, /* 22:01: night, within; 60.01 > 45 + 15 */
	    {D0 - 60, 9000, 9000},	       /* 05:59 the day before: ignored */
	    {D0 + 86400, 9000, 9000},	       /* 06:00 the next day: ignored */
	};
	struct noise_day a;

	(void)state;
	nsecs = 0;
	add(0, 30, 5000, 5100); /* 06:00:00-06:00:29, seconds at 50 */
	assert_int_equal(noise_assess_day_merged("1", D0, NOISE_DAY_SECONDS, secs, nsecs, m,
						 sizeof(m) / sizeof(m[0]), &a),
			 0);
	assert_int_equal(a.day.seconds, 30 + 4 * 60);
	assert_int_equal(a.night.seconds, 2 * 60);
	assert_int_equal(a.day.minutes_over, 2);
	assert_int_equal(a.night.minutes_over, 1);
	assert_int_equal(a.day.lmax_centi, 6200);
	assert_int_equal(a.night.lmax_centi, 6001);
	assert_true(a.night.lmax_exceeded);
	{
		double ed = 30 * energy_of(5000) + 60 * (energy_of(5600) + energy_of(5505) +
							 energy_of(5504) + energy_of(4000));
		double en = 60 * (energy_of(4505) + energy_of(4500));
		double ld = 10 * log10(ed / 270), ln = 10 * log10(en / 120);
		assert_true(fabs(a.day.laeq - ld) < 1e-9);
		assert_true(fabs(a.night.laeq - ln) < 1e-9);
		/* Ln is 45.025...: 45.0 to 0.1 dB, within. */
		assert_false(a.night.exceeded);
		assert_true(a.has_ldn);
		assert_true(
		    fabs(a.ldn - 10 * log10((16 * pow(10, ld / 10) + 8 * pow(10, (ln + 10) / 10)) /
					    24)) < 1e-9);
	}
}

/* plaza_local in Shanghai time and the area's night, one second either
 * side of each edge. D0 is Sunday 2026-11-29 06:00 in Shanghai. */
static void night_edges_in_shanghai_time(void **state)
{
	static const struct {
		int64_t off; /* seconds after D0 */
		int minute, weekday;
		const char *monday;
		int night, own_night; /* 22:00-06:00; 23:00-07:00 */
	} want[] = {
	    {-1, 359, 7, "2026-11-23", 1, 1},		  /* 05:59:59 */
	    {0, 360, 7, "2026-11-23", 0, 1},		  /* 06:00:00 */
	    {1, 360, 7, "2026-11-23", 0, 1},		  /* 06:00:01 */
	    {3600 - 1, 419, 7, "2026-11-23", 0, 1},	  /* 06:59:59 */
	    {3600, 420, 7, "2026-11-23", 0, 0},		  /* 07:00:00 */
	    {16 * 3600 - 1, 1319, 7, "2026-11-23", 0, 0}, /* 21:59:59 */
	    {16 * 3600, 1320, 7, "2026-11-23", 1, 0},	  /* 22:00:00 */
	    {16 * 3600 + 1, 1320, 7, "2026-11-23", 1, 0}, /* 22:00:01 */
	    {17 * 3600 - 1, 1379, 7, "2026-11-23", 1, 0}, /* 22:59:59 */
	    {17 * 3600, 1380, 7, "2026-11-23", 1, 1},	  /* 23:00:00 */
	    {18 * 3600 - 1, 1439, 7, "2026-11-23", 1, 1}, /* 23:59:59 Sunday */
	    {18 * 3600, 0, 1, "2026-11-30", 1, 1},	  /* 00:00:00 Monday */
	    {24 * 3600 - 1, 359, 1, "2026-11-30", 1, 1},  /* 05:59:59 Monday */
	    {24 * 3600, 360, 1, "2026-11-30", 0, 1},	  /* 06:00:00 Monday */
	};
	struct plaza_hours def = {1320, 360, 1080, 1320, 30, 1140, 1230};
	struct plaza_hours own = {1380, 420, 1080, 1380, 30, 1140, 1230};
	/* A night that does not wrap: 00:00-08:00. */
	struct plaza_hours early = {0, 480, 1080, 1320, 30, 1140, 1230};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int weekday = 0, minute = -1;
		char monday[11] = "";
		plaza_local(D0 + want[i].off, &weekday, &minute, monday);
		if (minute != want[i].minute || weekday != want[i].weekday ||
		    strcmp(monday, want[i].monday))
			fail_msg("D0%+lld: minute %d weekday %d monday %s", (long long)want[i].off,
				 minute, weekday, monday);
		if (plaza_is_night(&def, minute) != want[i].night ||
		    plaza_is_night(&own, minute) != want[i].own_night)
			fail_msg("D0%+lld (minute %d): night %d/%d, want %d/%d",
				 (long long)want[i].off, minute, plaza_is_night(&def, minute),
				 plaza_is_night(&own, minute), want[i].night, want[i].own_night);
	}
	assert_false(plaza_is_night(&early, 1439));
	assert_true(plaza_is_night(&early, 0));
	assert_true(plaza_is_night(&early, 479));
	assert_false(plaza_is_night(&early, 480));
}

/* The live views' limit and colour: the cap when the zone has one, else
 * GB 3096 by the area's night; over (red) only above the limit at 0.1 dB,
 * near from 3 dB under it. */
static void live_class_and_limit_at_their_edges(void **state)
{
	struct plaza_hours def = {1320, 360, 1080, 1320, 30, 1140, 1230};
	struct live_meter capped = {.zone_class = "1", .cap_centi = 7000};
	struct live_meter open = {.zone_class = "1", .cap_centi = -1};
	enum live_limit kind;

	(void)state;
	assert_int_equal(live_classify(7005, 7000), LIVE_OVER);
	assert_int_equal(live_classify(7004, 7000), LIVE_NEAR);
	assert_int_equal(live_classify(7000, 7000), LIVE_NEAR);
	assert_int_equal(live_classify(6695, 7000), LIVE_NEAR);
	assert_int_equal(live_classify(6694, 7000), LIVE_OK);
	assert_int_equal(live_classify(6100, 7000), LIVE_OK);
	assert_int_equal(live_classify(4505, 4500), LIVE_OVER);
	assert_int_equal(live_classify(4504, 4500), LIVE_NEAR);

	assert_int_equal(live_limit_at(&capped, &def, D0 + 16 * 3600, &kind), 7000);
	assert_int_equal(kind, LIVE_LIMIT_CAP);
	assert_int_equal(live_limit_at(&open, &def, D0 + 16 * 3600 - 1, &kind), 5500);
	assert_int_equal(kind, LIVE_LIMIT_DAY);
	assert_int_equal(live_limit_at(&open, &def, D0 + 16 * 3600, &kind), 4500);
	assert_int_equal(kind, LIVE_LIMIT_NIGHT);
	assert_int_equal(live_limit_at(&open, &def, D0 - 1, &kind), 4500);
	assert_int_equal(kind, LIVE_LIMIT_NIGHT);
	assert_int_equal(live_limit_at(&open, &def, D0, &kind), 5500);
	assert_int_equal(kind, LIVE_LIMIT_DAY);
}

/* Every class, day and night: an hour at the limit + 0.04 dB is within
 * (55.04 is 55.0), + 0.05 over; a night maximum of the limit + 15 dB is
 * allowed, + 15.01 dB is not. */
static void every_class_at_its_edges(void **state)
{
	static const char *const classes[] = {"0", "1", "2", "3", "4a", "4b"};
	struct noise_day a;

	(void)state;
	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++) {
		int64_t day, night;
		assert_int_equal(noise_zone_limits(classes[c], &day, &night), 0);
		for (int64_t delta = -1; delta <= 6; delta++) {
			int over = delta >= 5;
			nsecs = 0;
			add(3600, 3600, day + delta, 0);		   /* 07:00-08:00 */
			add(17 * 3600, 3600, night + delta, night + 1500); /* 23:00-24:00 */
			assert_int_equal(noise_assess_day(classes[c], D0, secs, nsecs, &a), 0);
			if (a.day.exceeded != over || a.night.exceeded != over ||
			    a.day.minutes_over != (over ? 60 : 0) ||
			    a.night.minutes_over != (over ? 60 : 0))
				fail_msg("class %s at limit%+lld/100: day %d (%lld min), night %d "
					 "(%lld min)",
					 classes[c], (long long)delta, a.day.exceeded,
					 (long long)a.day.minutes_over, a.night.exceeded,
					 (long long)a.night.minutes_over);
			assert_false(a.night.lmax_exceeded);
		}
		nsecs = 0;
		add(17 * 3600, 1, night, night + 1501);
		assert_int_equal(noise_assess_day(classes[c], D0, secs, nsecs, &a), 0);
		assert_true(a.night.lmax_exceeded);
	}
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
	    cmocka_unit_test(a_partial_minute_is_the_mean_of_its_seconds),
	    cmocka_unit_test(station_minutes_are_sixty_seconds_each),
	    cmocka_unit_test(night_edges_in_shanghai_time),
	    cmocka_unit_test(live_class_and_limit_at_their_edges),
	    cmocka_unit_test(every_class_at_its_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
