/* The alerts' hysteresis (src/noise/alerts.c noise_alert_step), second by
 * second at every edge: an alert opens one hundredth of a dB above the
 * threshold and not at it; while open a second is loud one hundredth above
 * threshold - clear and not at it; it closes at last loud + quiet and not
 * a second before, ending there; a close and a new open can fall in the
 * same second; seconds without a metric or outside the rule's hours open
 * nothing and keep nothing loud. */
#include "noise/alerts.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define TH    6500 /* 65.00 dB */
#define CLEAR 300  /* loud down to 62.01 dB */
#define QUIET 1800 /* half an hour */

static int step(struct noise_alert *a, int64_t t, int64_t v, int64_t th, int64_t *closed)
{
	*closed = -7;
	return noise_alert_step(a, t, v, th, CLEAR, QUIET, closed);
}

static void opens_above_the_threshold_only(void **state)
{
	struct noise_alert a = {0};
	int64_t closed;

	(void)state;
	assert_int_equal(step(&a, 100, TH, TH, &closed), 0);
	assert_false(a.open);
	assert_int_equal(step(&a, 101, -1, TH, &closed), 0);   /* no metric yet */
	assert_int_equal(step(&a, 102, 9000, -1, &closed), 0); /* rule not in force */
	assert_false(a.open);
	assert_int_equal(step(&a, 103, TH + 1, TH, &closed), NOISE_ALERT_OPENED);
	assert_true(a.open);
	assert_int_equal(a.id, 0);
	assert_int_equal(a.opened_t, 103);
	assert_int_equal(a.last_loud_t, 103);
	assert_int_equal(a.threshold, TH);
	assert_int_equal(a.peak, TH + 1);
	assert_int_equal(closed, -7); /* untouched */
}

static void loud_down_to_threshold_minus_clear(void **state)
{
	struct noise_alert a = {0};
	int64_t closed;

	(void)state;
	step(&a, 1000, 7000, TH, &closed);
	a.id = 42;
	/* At threshold - clear: not loud; one hundredth above: loud. The
	 * threshold is the one it opened with, whatever the rule says now. */
	assert_int_equal(step(&a, 1010, TH - CLEAR, TH - 500, &closed), 0);
	assert_int_equal(a.last_loud_t, 1000);
	assert_int_equal(step(&a, 1020, TH - CLEAR + 1, TH + 500, &closed), 0);
	assert_int_equal(a.last_loud_t, 1020);
	/* No metric: neither loud nor the end. */
	assert_int_equal(step(&a, 1030, -1, TH, &closed), 0);
	assert_int_equal(a.last_loud_t, 1020);
	/* The peak only rises. */
	assert_int_equal(a.peak, 7000);
	step(&a, 1040, 7200, TH, &closed);
	step(&a, 1050, 6900, TH, &closed);
	assert_int_equal(a.peak, 7200);
	assert_int_equal(a.id, 42);
	assert_int_equal(a.opened_t, 1000);
}

static void closes_after_quiet_seconds(void **state)
{
	struct noise_alert a = {0};
	int64_t closed;

	(void)state;
	step(&a, 5000, 7000, TH, &closed);
	a.id = 7;
	/* One second short of the quiet period: still open. */
	assert_int_equal(step(&a, 5000 + QUIET - 1, TH - CLEAR, TH, &closed), 0);
	assert_true(a.open);
	/* At it, even with no metric: closed, ending last loud + quiet. */
	assert_int_equal(step(&a, 5000 + QUIET, -1, TH, &closed), NOISE_ALERT_CLOSED);
	assert_false(a.open);
	assert_int_equal(closed, 5000 + QUIET);
	assert_int_equal(a.id, 7); /* the caller writes the end to this one */
	/* Closed, a quiet second opens nothing. */
	assert_int_equal(step(&a, 5000 + QUIET + 1, TH, TH, &closed), 0);
}

static void close_and_reopen_in_one_second(void **state)
{
	struct noise_alert a = {0};
	int64_t closed;

	(void)state;
	step(&a, 100, 7000, TH, &closed);
	a.id = 9;
	/* Long after: the old alert ends where its quiet ran out, and the
	 * same second opens a new one. */
	assert_int_equal(step(&a, 100 + 3 * QUIET, TH + 1, TH, &closed),
			 NOISE_ALERT_CLOSED | NOISE_ALERT_OPENED);
	assert_int_equal(closed, 100 + QUIET);
	assert_true(a.open);
	assert_int_equal(a.id, 0);
	assert_int_equal(a.opened_t, 100 + 3 * QUIET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(opens_above_the_threshold_only),
	    cmocka_unit_test(loud_down_to_threshold_minus_clear),
	    cmocka_unit_test(closes_after_quiet_seconds),
	    cmocka_unit_test(close_and_reopen_in_one_second),
	};
	return cmocka_run_group_tests_name("noise_alerts", tests, NULL, NULL);
}
