/* The arithmetic of case statistics and the site plan (src/cases/stats.c,
 * src/cases/map.c): nearest-rank percentiles on known sets and against
 * their definition, Shanghai months across UTC midnight, the default and
 * explicit periods, deadline shares, ratings, and the plan's layout. */
#include "base/arena.h"
#include "base/err.h"
#include "cases/map.h"
#include "cases/stats.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR 3600
#define DAY  86400

/* utc: epoch seconds of a UTC civil time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
	return (int64_t)case_day_number(y, mo, d) * DAY + h * HOUR + mi * 60 + s;
}

/* local_midnight: epoch seconds of 00:00 Shanghai time on a civil date. */
static int64_t local_midnight(int y, int mo, int d)
{
	return (int64_t)case_day_number(y, mo, d) * DAY - 8 * HOUR;
}

/* ------------------------------------------------------------ percentiles */

static void percentile_known_sets(void **state)
{
	const int64_t ten[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	const int64_t odd[] = {1, 2, 3};
	const int64_t even[] = {1, 2, 3, 4};
	const int64_t one[] = {7};
	const int64_t tens[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
	const int64_t dup[] = {5, 5, 5, 9};

	(void)state;
	/* ten values: the 5th is the median, the 9th the 90th percentile */
	assert_int_equal(stats_percentile(ten, 10, 50), 5);
	assert_int_equal(stats_percentile(ten, 10, 90), 9);
	assert_int_equal(stats_percentile(ten, 10, 100), 10);
	assert_int_equal(stats_percentile(ten, 10, 1), 1);
	/* odd count: the middle one; 90%: ceil(2.7) = 3rd */
	assert_int_equal(stats_percentile(odd, 3, 50), 2);
	assert_int_equal(stats_percentile(odd, 3, 90), 3);
	/* even count: the lower middle (rank ceil(2) = 2), never the mean 2.5 */
	assert_int_equal(stats_percentile(even, 4, 50), 2);
	assert_int_equal(stats_percentile(even, 4, 75), 3);
	assert_int_equal(stats_percentile(even, 4, 76), 4);
	assert_int_equal(stats_percentile(even, 4, 90), 4);
	/* a single value is every percentile */
	assert_int_equal(stats_percentile(one, 1, 1), 7);
	assert_int_equal(stats_percentile(one, 1, 50), 7);
	assert_int_equal(stats_percentile(one, 1, 90), 7);
	/* exactly 90% at or below 90; asking for 91% needs the next value */
	assert_int_equal(stats_percentile(tens, 10, 90), 90);
	assert_int_equal(stats_percentile(tens, 10, 91), 100);
	assert_int_equal(stats_percentile(dup, 4, 75), 5);
	assert_int_equal(stats_percentile(dup, 4, 76), 9);
	/* nothing measured */
	assert_int_equal(stats_percentile(NULL, 0, 50), 0);
}

/* The definition itself, on random sets: v is a member, at least p% of
 * the values are <= v, and fewer than p% are below v. */
static void percentile_matches_its_definition(void **state)
{
	int64_t v[64];
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 500; round++) {
		size_t n = 1 + (size_t)(round % 64);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			v[i] = (int64_t)((seed >> 16) % 20); /* many ties */
		}
		struct stats_times t;
		int64_t copy[64];
		memcpy(copy, v, sizeof(v[0]) * n);
		stats_times_of(copy, n, &t); /* sorts copy */
		for (size_t i = 1; i < n; i++)
			assert_true(copy[i - 1] <= copy[i]);
		assert_int_equal(t.count, (int64_t)n);
		for (int p = 1; p <= 100; p++) {
			int64_t x = stats_percentile(copy, n, p);
			size_t at_or_below = 0, below = 0;
			for (size_t i = 0; i < n; i++) {
				at_or_below += copy[i] <= x;
				below += copy[i] < x;
			}
			assert_true(at_or_below * 100 >= (size_t)p * n);
			assert_true(below * 100 < (size_t)p * n);
			if (p == 50)
				assert_int_equal(t.median, x);
			if (p == 90)
				assert_int_equal(t.p90, x);
		}
	}
}

/* ------------------------------------------------------------ calendar */

static void months_are_shanghai_months(void **state)
{
	char label[16];

	(void)state;
	/* 2026-01-31T16:30:00Z is 2026-02-01 00:30 in Shanghai */
	assert_int_equal(stats_local_month(utc(2026, 1, 31, 16, 30, 0)), 2026 * 12 + 1);
	assert_int_equal(stats_local_day(utc(2026, 1, 31, 16, 30, 0)), case_day_number(2026, 2, 1));
	/* one second before local midnight is still January */
	assert_int_equal(stats_local_month(utc(2026, 1, 31, 15, 59, 59)), 2026 * 12 + 0);
	assert_int_equal(stats_local_month(utc(2026, 1, 31, 16, 0, 0)), 2026 * 12 + 1);
	/* the year turns at 16:00 UTC on 31 December */
	assert_int_equal(stats_local_month(utc(2025, 12, 31, 16, 0, 0)), 2026 * 12 + 0);
	assert_int_equal(stats_local_month(utc(2025, 12, 31, 15, 59, 59)), 2025 * 12 + 11);
	/* before 1970 the division must round down, not toward zero */
	assert_int_equal(stats_local_day(-1), 0);	      /* 1970-01-01 07:59:59 local */
	assert_int_equal(stats_local_day(-8 * HOUR - 1), -1); /* 1969-12-31 23:59:59 local */
	stats_month_label(2026 * 12 + 1, label);
	assert_string_equal(label, "2026-02");
	stats_month_label(2025 * 12 + 11, label);
	assert_string_equal(label, "2025-12");
	stats_day_label(case_day_number(2026, 2, 1), label);
	assert_string_equal(label, "2026-02-01");
}

static void periods(void **state)
{
	/* "now" is 2026-05-20 12:00 in Shanghai */
	int64_t now = utc(2026, 5, 20, 4, 0, 0), from, to;

	(void)state;
	/* default: this month and the eleven before it, up to the end of today */
	assert_int_equal(stats_period(NULL, NULL, now, &from, &to), 0);
	assert_true(from == local_midnight(2025, 6, 1));
	assert_true(to == local_midnight(2026, 5, 21));
	assert_int_equal(stats_period("", "", now, &from, &to), 0);
	assert_true(from == local_midnight(2025, 6, 1));
	/* the last day is included */
	assert_int_equal(stats_period("2026-01-01", "2026-01-31", now, &from, &to), 0);
	assert_true(from == local_midnight(2026, 1, 1));
	assert_true(to == local_midnight(2026, 2, 1));
	/* one day */
	assert_int_equal(stats_period("2026-03-05", "2026-03-05", now, &from, &to), 0);
	assert_true(to - from == DAY);
	/* only "to": twelve months ending with its month, across a year */
	assert_int_equal(stats_period(NULL, "2026-01-15", now, &from, &to), 0);
	assert_true(from == local_midnight(2025, 2, 1));
	assert_true(to == local_midnight(2026, 1, 16));
	/* only "from": up to today */
	assert_int_equal(stats_period("2026-05-01", NULL, now, &from, &to), 0);
	assert_true(to == local_midnight(2026, 5, 21));
	/* refused: reversed, malformed, impossible days, too long */
	assert_int_equal(stats_period("2026-02-01", "2026-01-31", now, &from, &to), LIN_EINVAL);
	assert_int_equal(stats_period("2026-13-01", NULL, now, &from, &to), LIN_EINVAL);
	assert_int_equal(stats_period("2026-02-30", NULL, now, &from, &to), LIN_EINVAL);
	assert_int_equal(stats_period("yesterday", NULL, now, &from, &to), LIN_EINVAL);
	assert_int_equal(stats_period("2026-1-1", NULL, now, &from, &to), LIN_EINVAL);
	assert_int_equal(stats_period("2016-01-01", "2025-12-31", now, &from, &to), 0); /* 120 */
	assert_int_equal(stats_period("2015-12-31", "2025-12-31", now, &from, &to), LIN_EINVAL);
}

/* ------------------------------------------------------------ compute */

static struct stats_case one_case(int64_t id, int64_t category, int state, int64_t created)
{
	struct stats_case c = {id,	   category,   state,	      created,
			       STATS_NONE, STATS_NONE, created + DAY, created + 5 * DAY,
			       0};
	return c;
}

static void month_bucketing_in_counts(void **state)
{
	struct arena a;
	struct stats_result r;
	const int64_t cats[] = {10, 20};
	struct stats_case cs[6];
	int64_t from = local_midnight(2026, 1, 1), to = local_midnight(2026, 3, 1);

	(void)state;
	arena_init(&a, 0);
	cs[0] = one_case(1, 10, CASE_SUBMITTED, utc(2026, 1, 31, 15, 59, 59)); /* Jan 31 23:59 */
	cs[1] = one_case(2, 10, CASE_SUBMITTED, utc(2026, 1, 31, 16, 30, 0));  /* Feb 1 00:30 */
	cs[2] = one_case(3, 20, CASE_CLOSED, utc(2026, 2, 28, 15, 59, 59));    /* Feb 28 23:59 */
	cs[3] = one_case(4, 20, CASE_CLOSED, utc(2026, 2, 28, 16, 0, 0));      /* Mar 1: outside */
	cs[4] = one_case(5, 20, CASE_CLOSED, utc(2025, 12, 31, 15, 59, 59));   /* Dec 31: outside */
	cs[5] = one_case(6, 99, -1, utc(2025, 12, 31, 16, 0, 0)); /* Jan 1 00:00, unlisted kind */
	assert_int_equal(stats_compute(&a, cs, 6, cats, 2, from, to, &r), 0);
	assert_int_equal(r.nmonths, 2);
	assert_int_equal(r.first_month, 2026 * 12);
	assert_int_equal(r.total, 4);
	/* counts[category * nmonths + month] */
	assert_int_equal(r.counts[0 * 2 + 0], 1); /* kind 10, January */
	assert_int_equal(r.counts[0 * 2 + 1], 1); /* kind 10, February */
	assert_int_equal(r.counts[1 * 2 + 0], 0);
	assert_int_equal(r.counts[1 * 2 + 1], 1);
	/* the unlisted kind counts in the month and the total, not in a row */
	assert_int_equal(r.month_totals[0], 2);
	assert_int_equal(r.month_totals[1], 2);
	assert_int_equal(r.category_totals[0], 2);
	assert_int_equal(r.category_totals[1], 1);
	assert_int_equal(r.by_state[CASE_SUBMITTED], 2);
	assert_int_equal(r.by_state[CASE_CLOSED], 1);
	arena_release(&a);
}

static void deadline_shares_and_times(void **state)
{
	struct arena a;
	struct stats_result r;
	const int64_t cats[] = {1};
	int64_t t0 = local_midnight(2026, 3, 2) + 9 * HOUR, from = local_midnight(2026, 3, 1);
	struct stats_case cs[5];

	(void)state;
	arena_init(&a, 0);
	for (int i = 0; i < 5; i++)
		cs[i] = one_case(i + 1, 1, CASE_RESOLVED, t0);
	/* accepted: exactly at the deadline (on time), 1 s late, early; two never */
	cs[0].accepted_at = cs[0].accept_due;
	cs[1].accepted_at = cs[1].accept_due + 1;
	cs[2].accepted_at = t0 + 2 * HOUR;
	/* resolved: two within, one after */
	cs[0].resolved_at = t0 + 10 * HOUR;
	cs[1].resolved_at = cs[1].resolve_due;
	cs[2].resolved_at = cs[2].resolve_due + HOUR;
	cs[3].state = CASE_SUBMITTED;
	cs[4].state = CASE_REJECTED;
	assert_int_equal(stats_compute(&a, cs, 5, cats, 1, from, from + 31 * DAY, &r), 0);
	assert_int_equal(r.accept_on_time.total, 3); /* only the accepted ones */
	assert_int_equal(r.accept_on_time.within, 2);
	assert_int_equal(r.resolve_on_time.total, 3);
	assert_int_equal(r.resolve_on_time.within, 2);
	/* accept times: 2 h, 24 h, 24 h + 1 s: median 24 h, p90 the longest */
	assert_int_equal(r.accept.count, 3);
	assert_int_equal(r.accept.median, DAY);
	assert_int_equal(r.accept.p90, DAY + 1);
	/* resolve times: 10 h, 5 d, 5 d + 1 h */
	assert_int_equal(r.resolve.count, 3);
	assert_int_equal(r.resolve.median, 5 * DAY);
	assert_int_equal(r.resolve.p90, 5 * DAY + HOUR);
	assert_int_equal(r.by_state[CASE_RESOLVED], 3);
	assert_int_equal(r.by_state[CASE_SUBMITTED], 1);
	assert_int_equal(r.by_state[CASE_REJECTED], 1);
	arena_release(&a);
}

static void ratings(void **state)
{
	struct arena a;
	struct stats_result r;
	const int64_t cats[] = {1};
	int64_t t0 = local_midnight(2026, 4, 10), from = local_midnight(2026, 4, 1);
	const int given[] = {5, 4, 4, 1, 0, 6, -1};
	struct stats_case cs[7];

	(void)state;
	arena_init(&a, 0);
	for (int i = 0; i < 7; i++) {
		cs[i] = one_case(i + 1, 1, CASE_CLOSED, t0 + i);
		cs[i].rating = given[i];
	}
	assert_int_equal(stats_compute(&a, cs, 7, cats, 1, from, from + 30 * DAY, &r), 0);
	/* 0 is "not rated"; 6 and -1 are not ratings at all */
	assert_int_equal(r.rated, 4);
	assert_int_equal(r.ratings[0], 1);
	assert_int_equal(r.ratings[1], 0);
	assert_int_equal(r.ratings[2], 0);
	assert_int_equal(r.ratings[3], 2);
	assert_int_equal(r.ratings[4], 1);
	assert_true(r.rating_mean > 3.4999 && r.rating_mean < 3.5001); /* 14 / 4 */
	assert_int_equal(r.total, 7);
	arena_release(&a);
}

static void empty_and_refused(void **state)
{
	struct arena a;
	struct stats_result r;
	int64_t from = local_midnight(2025, 6, 1), to = local_midnight(2026, 5, 21);

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(stats_compute(&a, NULL, 0, NULL, 0, from, to, &r), 0);
	assert_int_equal(r.nmonths, 12);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.accept.count, 0);
	assert_int_equal(r.accept.median, 0);
	assert_int_equal(r.rated, 0);
	assert_true(r.rating_mean == 0);
	for (int m = 0; m < r.nmonths; m++)
		assert_int_equal(r.month_totals[m], 0);
	/* an empty or reversed period, or one longer than STATS_MAX_MONTHS */
	assert_int_equal(stats_compute(&a, NULL, 0, NULL, 0, from, from, &r), LIN_EINVAL);
	assert_int_equal(stats_compute(&a, NULL, 0, NULL, 0, to, from, &r), LIN_EINVAL);
	assert_int_equal(stats_compute(&a, NULL, 0, NULL, 0, local_midnight(2000, 1, 1),
				       local_midnight(2011, 1, 1), &r),
			 LIN_EINVAL);
	arena_release(&a);
}

/* ------------------------------------------------------------ the plan */

static int overlap(const struct map_rect *a, const struct map_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static void plan_grid(void **state)
{
	struct map_rect r[40];

	(void)state;
	/* four compounds: two by two, the same size */
	for (int i = 0; i < 4; i++)
		map_cell(4, i, &r[i]);
	assert_int_equal(r[0].x, MAP_MARGIN);
	assert_int_equal(r[0].y, MAP_MARGIN);
	assert_int_equal(r[1].y, r[0].y);
	assert_int_equal(r[2].x, r[0].x);
	assert_int_equal(r[1].x, r[0].x + r[0].w + MAP_GAP);
	assert_int_equal(r[3].x + r[3].w, MAP_SIZE - MAP_MARGIN);
	assert_int_equal(r[3].y + r[3].h, MAP_SIZE - MAP_MARGIN);
	/* one compound fills the plan inside the margins */
	map_cell(1, 0, &r[0]);
	assert_int_equal(r[0].w, MAP_SIZE - 2 * MAP_MARGIN);
	assert_int_equal(r[0].h, MAP_SIZE - 2 * MAP_MARGIN);
	/* five: three columns, two rows */
	map_cell(5, 4, &r[4]);
	map_cell(5, 3, &r[3]);
	assert_int_equal(r[3].x, MAP_MARGIN);
	assert_true(r[4].y == r[3].y && r[4].x > r[3].x);
	/* any count: inside the plan, no two blocks touching */
	for (int n = 1; n <= 40; n++) {
		for (int i = 0; i < n; i++) {
			map_cell(n, i, &r[i]);
			assert_true(r[i].w > 0 && r[i].h > 0);
			assert_true(r[i].x >= MAP_MARGIN && r[i].y >= MAP_MARGIN);
			assert_true(r[i].x + r[i].w <= MAP_SIZE - MAP_MARGIN);
			assert_true(r[i].y + r[i].h <= MAP_SIZE - MAP_MARGIN);
		}
		for (int i = 0; i < n; i++)
			for (int j = i + 1; j < n; j++)
				assert_false(overlap(&r[i], &r[j]));
	}
}

static void jitter_is_fixed_and_inside(void **state)
{
	struct map_rect box;
	int x, y, x2, y2, distinct = 0;
	static unsigned char seen[MAP_SIZE / 10][MAP_SIZE / 10];

	(void)state;
	map_cell(4, 3, &box);
	for (int64_t id = 1; id <= 400; id++) {
		map_jitter(id, &box, &x, &y);
		map_jitter(id, &box, &x2, &y2);
		assert_true(x == x2 && y == y2); /* the same spot on every visit */
		assert_true(x > box.x && x < box.x + box.w);
		assert_true(y >= box.y + MAP_LABEL_BAND && y < box.y + box.h); /* below the name */
		if (!seen[x / 10][y / 10]++)
			distinct++;
	}
	assert_true(distinct > 200); /* spread out, not piled up */
	/* a tiny block still gets a spot inside it */
	box.x = 100;
	box.y = 100;
	box.w = 10;
	box.h = 10;
	map_jitter(7, &box, &x, &y);
	assert_true(x >= 100 && x <= 110 && y >= 100 && y <= 110);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(percentile_known_sets),
	    cmocka_unit_test(percentile_matches_its_definition),
	    cmocka_unit_test(months_are_shanghai_months),
	    cmocka_unit_test(periods),
	    cmocka_unit_test(month_bucketing_in_counts),
	    cmocka_unit_test(deadline_shares_and_times),
	    cmocka_unit_test(ratings),
	    cmocka_unit_test(empty_and_refused),
	    cmocka_unit_test(plan_grid),
	    cmocka_unit_test(jitter_is_fixed_and_inside),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
