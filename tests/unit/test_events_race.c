/* Unit tests of the orienteering race's results (src/events/race.c) at
 * every rule edge: in order, wrong order, missing punch, repeats and
 * punches outside the run ignored, ties shared, the late penalty by the
 * started minute, the score never below zero. */
#include "events/race.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#define T0 1000000

static const struct race_checkpoint course[] = {{11, 10}, {12, 20}, {13, 30}};
static const struct race_rules ordered = {RACE_ORDERED, 0, 0};
static const struct race_rules score = {RACE_SCORE, 30 * 60, 5};

static struct race_result one(const struct race_rules *rules, const struct race_team *t)
{
	struct race_result r;

	assert_int_equal(race_results(rules, course, 3, t, 1, &r), 0);
	return r;
}

static void ordered_all_in_order(void **state)
{
	const struct race_punch p[] = {{11, T0 + 60}, {12, T0 + 120}, {13, T0 + 200}};
	struct race_team t = {1, T0, 0, p, 3};
	struct race_result r = one(&ordered, &t);

	(void)state;
	assert_int_equal(r.found, 3);
	assert_true(r.complete);
	assert_int_equal(r.elapsed, 200);
	assert_int_equal(r.missed, 0);
	assert_int_equal(r.wrong_order, 0);
	assert_int_equal(r.marks[2], RACE_OK);
}

static void ordered_wrong_order_not_counted(void **state)
{
	/* 1, 3, 2: two follow the order either way (1-3 or 1-2); 1-3 reaches
	 * its last checkpoint sooner, so 2 is the one out of order */
	const struct race_punch p[] = {{11, T0 + 60}, {13, T0 + 90}, {12, T0 + 120}};
	struct race_team t = {1, T0, 0, p, 3};
	struct race_result r = one(&ordered, &t);

	(void)state;
	assert_int_equal(r.found, 2);
	assert_false(r.complete);
	assert_int_equal(r.marks[0], RACE_OK);
	assert_int_equal(r.marks[1], RACE_WRONG_ORDER);
	assert_int_equal(r.marks[2], RACE_OK);
	assert_int_equal(r.wrong_order, 1);
	assert_int_equal(r.missed, 0);
	assert_int_equal(r.elapsed, 90); /* to the last counted punch */
}

static void ordered_one_out_of_order_spoils_only_itself(void **state)
{
	static const struct race_checkpoint four[] = {{11, 0}, {12, 0}, {13, 0}, {14, 0}};
	/* 1, 3, 2, 4: three in order (1-2-4 or 1-3-4, same end), one wrong */
	const struct race_punch p[] = {{11, T0 + 10}, {13, T0 + 20}, {12, T0 + 30}, {14, T0 + 40}};
	struct race_team t = {1, T0, 0, p, 4};
	struct race_result r;

	(void)state;
	assert_int_equal(race_results(&ordered, four, 4, &t, 1, &r), 0);
	assert_int_equal(r.found, 3);
	assert_int_equal(r.wrong_order, 1);
	assert_int_equal(r.marks[3], RACE_OK);
	assert_int_equal(r.elapsed, 40);
}

static void ordered_missing_punch(void **state)
{
	/* 12 never punched: missed; 13 after it still counts */
	const struct race_punch p[] = {{13, T0 + 90}, {11, T0 + 60}};
	struct race_team t = {1, T0, 0, p, 2};
	struct race_result r = one(&ordered, &t);

	(void)state;
	assert_int_equal(r.found, 2);
	assert_false(r.complete);
	assert_int_equal(r.marks[1], RACE_MISSED);
	assert_int_equal(r.marks[2], RACE_OK);
	assert_int_equal(r.missed, 1);
	assert_int_equal(r.wrong_order, 0);
	assert_int_equal(r.elapsed, 90);
}

static void ignored_punches_never_count(void **state)
{
	/* before the start, twice at 11, after the finish, an unknown code */
	const struct race_punch p[] = {{11, T0 - 1},  {11, T0 + 10}, {11, T0 + 20},
				       {12, T0 + 30}, {99, T0 + 35}, {13, T0 + 41}};
	struct race_team t = {1, T0, T0 + 40, p, 6};
	struct race_result r = one(&ordered, &t);
	struct race_result s = one(&score, &t);

	(void)state;
	assert_int_equal(r.found, 2);
	assert_int_equal(r.elapsed, 30);
	assert_int_equal(r.marks[2], RACE_MISSED);
	assert_int_equal(s.found, 2);
	assert_int_equal(s.points, 30);
	assert_int_equal(s.elapsed, 40); /* to the finish */
}

static void punch_before_the_start_never_counts(void **state)
{
	/* at 12 a second early: not the first checkpoint, not counted */
	const struct race_punch p[] = {{12, T0 - 1}, {11, T0 + 5}};
	struct race_team t = {1, T0, 0, p, 2};
	struct race_result r = one(&ordered, &t);
	struct race_result s = one(&score, &t);

	(void)state;
	assert_int_equal(r.found, 1);
	assert_int_equal(r.marks[1], RACE_MISSED);
	assert_int_equal(s.found, 1);
	assert_int_equal(s.points, 10);
}

static void ties_shared_next_rank_skips(void **state)
{
	const struct race_punch a[] = {{11, T0 + 60}, {12, T0 + 100}};
	const struct race_punch b[] = {{11, T0 + 65}, {12, T0 + 100}};
	const struct race_punch c[] = {{11, T0 + 50}};
	const struct race_punch d[] = {{11, T0 + 50}, {12, T0 + 101}};
	struct race_team t[] = {
	    {4, T0, 0, c, 1}, {3, T0, 0, d, 2}, {2, T0, 0, b, 2}, {1, T0, 0, a, 2}};
	struct race_result r[4];

	(void)state;
	assert_int_equal(race_results(&ordered, course, 3, t, 4, r), 0);
	assert_int_equal(r[0].team_id, 1); /* equal: by id */
	assert_int_equal(r[0].rank, 1);
	assert_int_equal(r[1].team_id, 2);
	assert_int_equal(r[1].rank, 1);
	assert_int_equal(r[2].team_id, 3); /* one second slower */
	assert_int_equal(r[2].rank, 3);
	assert_int_equal(r[3].team_id, 4); /* fewer checkpoints beats a faster time */
	assert_int_equal(r[3].rank, 4);
}

static void score_any_order_and_late_by_started_minute(void **state)
{
	static const struct {
		int64_t finish; /* seconds after the start */
		int minutes, score;
	} cases[] = {
	    {30 * 60, 0, 60},	  /* exactly the limit: not late */
	    {30 * 60 + 1, 1, 55}, /* one second late: one minute */
	    {31 * 60, 1, 55},	  /* a whole minute */
	    {31 * 60 + 1, 2, 50}, /* a started second minute */
	    {50 * 60, 20, 0},	  /* 100 points of penalty: never below zero */
	};
	const struct race_punch p[] = {{13, T0 + 60}, {11, T0 + 90}, {12, T0 + 120}};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct race_team t = {1, T0, T0 + cases[i].finish, p, 3};
		struct race_result r = one(&score, &t);
		assert_int_equal(r.points, 60);
		assert_int_equal(r.wrong_order, 0);
		assert_int_equal(r.minutes_late, cases[i].minutes);
		assert_int_equal(r.penalty, cases[i].minutes * 5);
		assert_int_equal(r.score, cases[i].score);
	}
}

static void score_ranks_by_score_then_checkpoints_then_time(void **state)
{
	const struct race_punch a[] = {{13, T0 + 60}};		      /* 30 points, 1 cp */
	const struct race_punch b[] = {{11, T0 + 60}, {12, T0 + 70}}; /* 30 points, 2 cps */
	const struct race_punch c[] = {{11, T0 + 60}, {12, T0 + 80}}; /* same, slower */
	struct race_team t[] = {
	    {1, T0, 0, a, 1}, {2, T0, 0, c, 2}, {3, T0, 0, b, 2}, {4, T0, 0, NULL, 0}};
	struct race_result r[4];

	(void)state;
	assert_int_equal(race_results(&score, course, 3, t, 4, r), 0);
	assert_int_equal(r[0].team_id, 3);
	assert_int_equal(r[1].team_id, 2);
	assert_int_equal(r[2].team_id, 1);
	assert_int_equal(r[3].team_id, 4);
	assert_int_equal(r[3].rank, 4);
	assert_int_equal(r[3].missed, 3);
}

static void course_too_long_refused(void **state)
{
	struct race_result r;

	(void)state;
	assert_int_equal(race_results(&ordered, course, RACE_MAX_CHECKPOINTS + 1, NULL, 0, &r), -1);
	assert_int_equal(race_results(&ordered, course, 3, NULL, 0, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ordered_all_in_order),
	    cmocka_unit_test(ordered_wrong_order_not_counted),
	    cmocka_unit_test(ordered_one_out_of_order_spoils_only_itself),
	    cmocka_unit_test(ordered_missing_punch),
	    cmocka_unit_test(ignored_punches_never_count),
	    cmocka_unit_test(punch_before_the_start_never_counts),
	    cmocka_unit_test(ties_shared_next_rank_skips),
	    cmocka_unit_test(score_any_order_and_late_by_started_minute),
	    cmocka_unit_test(score_ranks_by_score_then_checkpoints_then_time),
	    cmocka_unit_test(course_too_long_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
