/* Unit tests of co-building's matching (src/cobuild/model.c): a hand-made
 * set of needs and resources with the proposal and the score, part by
 * part, each must get; the edges of each part (no overlap, no amount,
 * rounding down, the load's floor) and the ties (the unit asked less,
 * then the lower id). */
#include "cobuild/model.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#define D(s) cobuild_day(s)

/* The resources of the hand-made area. */
static struct match_resource res[6];

static void resources(void)
{
	struct match_resource r[] = {
	    {1, 10, "room", D("2026-06-01"), D("2026-06-30"), 30, 1, 0},
	    {2, 11, "room", D("2026-06-10"), D("2026-06-20"), 50, 2, 0},
	    {3, 12, "expertise", D("2026-05-01"), D("2026-12-31"), 1, 0, 3},
	    {4, 13, "expertise", D("2026-05-01"), D("2026-12-31"), 1, 0, 0},
	    {5, 14, "money", D("2026-01-01"), D("2026-03-31"), 5000, 0, 0},
	    {6, 15, "volunteers", D("2026-06-05"), D("2026-06-05"), 4, 1, 5},
	};
	memcpy(res, r, sizeof(res));
}

static void hand_made_set(void **state)
{
	static const struct {
		struct match_need n;
		int64_t best_id; /* 0: no proposal */
		int total, kind, time, capacity, distance, load;
	} cases[] = {
	    /* a room for 20 in compound 1 for ten days: the room there, whole */
	    {{101, "room", 0, 0, 20, 1}, 1, 100, 30, 25, 20, 15, 10},
	    /* an expert for a day: the unit not asked lately beats the one
	     * asked three times (10 - 3*3 = 1 point) */
	    {{102, "expertise", 0, 0, 1, 0}, 4, 92, 30, 25, 20, 7, 10},
	    /* money in June: the only money is gone by April */
	    {{103, "money", 0, 0, 1000, 0}, 0, 0, 0, 0, 0, 0, 0},
	    /* eight volunteers for ten days; four for one day, asked five
	     * times (the load's floor is 0) */
	    {{104, "volunteers", 0, 0, 8, 1}, 6, 57, 30, 2, 10, 15, 0},
	    /* a room for 50 in compound 2: the bigger room there */
	    {{105, "room", 0, 0, 50, 2}, 2, 100, 30, 25, 20, 15, 10},
	};
	static const char *const windows[][2] = {
	    {"2026-06-01", "2026-06-10"}, {"2026-06-15", "2026-06-15"},
	    {"2026-06-01", "2026-06-30"}, {"2026-06-01", "2026-06-10"},
	    {"2026-06-10", "2026-06-20"},
	};

	(void)state;
	resources();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct match_need n = cases[i].n;
		struct match_score s;
		int best;

		n.from = D(windows[i][0]);
		n.to = D(windows[i][1]);
		best = cobuild_best(&n, res, 6, &s);
		if (!cases[i].best_id) {
			assert_int_equal(best, -1);
			assert_int_equal(s.total, 0);
			continue;
		}
		assert_true(best >= 0);
		assert_int_equal(res[best].id, cases[i].best_id);
		assert_int_equal(s.total, cases[i].total);
		assert_int_equal(s.kind, cases[i].kind);
		assert_int_equal(s.time, cases[i].time);
		assert_int_equal(s.capacity, cases[i].capacity);
		assert_int_equal(s.distance, cases[i].distance);
		assert_int_equal(s.load, cases[i].load);
		assert_int_equal(s.total, s.kind + s.time + s.capacity + s.distance + s.load);
	}
}

/* The runner-up's scores, to pin each part where it is not whole. */
static void parts_not_whole(void **state)
{
	struct match_need n = {101, "room", D("2026-06-01"), D("2026-06-10"), 20, 1};
	struct match_need big = {105, "room", D("2026-06-10"), D("2026-06-20"), 50, 2};
	struct match_score s;

	(void)state;
	resources();
	/* room 2 covers one day of ten (25/10 = 2.5 rounds down to 2), in
	 * another compound (a fifth of 15) */
	assert_int_equal(cobuild_score(&n, &res[1], &s), 1);
	assert_int_equal(s.overlap_days, 1);
	assert_int_equal(s.need_days, 10);
	assert_int_equal(s.time, 2);
	assert_int_equal(s.distance, 3);
	assert_int_equal(s.same_compound, -1);
	assert_int_equal(s.total, 30 + 2 + 20 + 3 + 10);
	/* room 1 for 50 gives 30: 20*30/50 = 12 */
	assert_int_equal(cobuild_score(&big, &res[0], &s), 1);
	assert_int_equal(s.capacity, 12);
	assert_int_equal(s.time, 25);
	assert_int_equal(s.total, 80);
	/* the expert asked three times: 10 - 9 = 1 */
	struct match_need e = {102, "expertise", D("2026-06-15"), D("2026-06-15"), 1, 0};
	assert_int_equal(cobuild_score(&e, &res[2], &s), 1);
	assert_int_equal(s.load, 1);
	assert_int_equal(s.distance, 7);
	assert_int_equal(s.same_compound, 0);
	assert_int_equal(s.total, 83);
}

static void not_proposed(void **state)
{
	struct match_need n = {1, "room", D("2026-06-01"), D("2026-06-10"), 20, 0};
	struct match_resource r = {1, 1, "room", D("2026-06-11"), D("2026-06-30"), 30, 0, 0};
	struct match_score s;

	(void)state;
	/* the day after the need ends: no overlap */
	assert_int_equal(cobuild_score(&n, &r, &s), 0);
	assert_int_equal(s.total, 0);
	/* the need's last day: one day of ten */
	r.from = D("2026-06-10");
	assert_int_equal(cobuild_score(&n, &r, &s), 1);
	assert_int_equal(s.overlap_days, 1);
	/* another kind */
	r.kind = "money";
	assert_int_equal(cobuild_score(&n, &r, &s), 0);
	r.kind = "room";
	/* nothing to give, nothing asked, a window backwards */
	r.amount = 0;
	assert_int_equal(cobuild_score(&n, &r, &s), 0);
	r.amount = 1;
	n.amount = 0;
	assert_int_equal(cobuild_score(&n, &r, &s), 0);
	n.amount = 1;
	n.to = n.from - 1;
	assert_int_equal(cobuild_score(&n, &r, &s), 0);
	assert_int_equal(cobuild_best(&n, &r, 1, &s), -1);
}

static void ties(void **state)
{
	struct match_need n = {1, "goods", D("2026-06-01"), D("2026-06-01"), 1, 0};
	struct match_resource r[3] = {
	    {7, 1, "goods", D("2026-06-01"), D("2026-06-01"), 1, 0, 0},
	    {5, 2, "goods", D("2026-06-01"), D("2026-06-01"), 1, 0, 0},
	    {3, 3, "goods", D("2026-06-01"), D("2026-06-01"), 1, 0, 1},
	};
	struct match_score s;

	(void)state;
	/* 7 and 5 score alike, 3 one step less: the lower id of the two */
	assert_int_equal(cobuild_best(&n, r, 3, &s), 1);
	assert_int_equal(s.total, 30 + 25 + 20 + 7 + 10);
	/* the same total but asked once: the unit asked less wins */
	r[2].asks = 1;
	r[2].compound_id = 0;
	r[0].asks = 1;
	r[1].asks = 1;
	r[2].id = 9;
	assert_int_equal(cobuild_best(&n, r, 3, &s), 1);
	/* equal totals, the busier unit's made up by a fuller amount: the
	 * unit asked less wins, though its resource is the newer */
	{
		struct match_need ten = {2, "room", D("2026-06-01"), D("2026-06-01"), 10, 0};
		struct match_resource two[2] = {
		    {1, 1, "room", D("2026-06-01"), D("2026-06-01"), 10, 0, 2},
		    {2, 2, "room", D("2026-06-01"), D("2026-06-01"), 7, 0, 0},
		};
		struct match_score a, b;
		assert_int_equal(cobuild_score(&ten, &two[0], &a), 1);
		assert_int_equal(cobuild_score(&ten, &two[1], &b), 1);
		assert_int_equal(a.total, b.total);
		assert_int_equal(cobuild_best(&ten, two, 2, &s), 1);
	}
	/* four asks or more: the load part is 0, never negative */
	r[1].asks = 4;
	assert_int_equal(cobuild_score(&n, &r[1], &s), 1);
	assert_int_equal(s.load, 0);
	r[1].asks = 100;
	assert_int_equal(cobuild_score(&n, &r[1], &s), 1);
	assert_int_equal(s.load, 0);
}

static void days_and_text(void **state)
{
	(void)state;
	assert_int_equal(cobuild_day("1970-01-02"), 1);
	assert_int_equal(cobuild_day("2026-02-30"), -1);
	assert_int_equal(cobuild_day("2026-6-1"), -1);
	assert_int_equal(cobuild_day(NULL), -1);
	assert_true(cobuild_kind_valid("room"));
	assert_false(cobuild_kind_valid("Room"));
	assert_false(cobuild_kind_valid(NULL));
	assert_true(cobuild_source_valid("team"));
	assert_false(cobuild_source_valid("unit"));
	assert_true(cobuild_text_ok("漏水检查", 1, 4));
	assert_false(cobuild_text_ok("漏水检查a", 1, 4));
	assert_true(cobuild_text_ok("  漏水  ", 1, 2));
	assert_false(cobuild_text_ok("   ", 1, 10));
	assert_false(cobuild_text_ok("\xff", 0, 10));
	assert_true(cobuild_text_ok(NULL, 0, 10));
	assert_false(cobuild_text_ok(NULL, 1, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hand_made_set), cmocka_unit_test(parts_not_whole),
	    cmocka_unit_test(not_proposed),  cmocka_unit_test(ties),
	    cmocka_unit_test(days_and_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
