/* The alerts' hysteresis (src/noise/alerts.c noise_alert_step), second by
 * second at every edge: an alert opens one hundredth of a dB above the
 * threshold and not at it; while open a second is loud one hundredth above
 * threshold - clear and not at it; it closes at last loud + quiet and not
 * a second before, ending there; a close and a new open can fall in the
 * same second; seconds without a metric or outside the rule's hours open
 * nothing and keep nothing loud. And the demo's simulated evening
 * (src/noise/simulate.c) under the demo's cap rule: the warm-up alone
 * raises nothing, the loud song one alert, which the next songs keep open
 * rather than opening one per cycle. */
#include "noise/alerts.h"
#include "noise/noise.h"

#include <math.h>

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

/* Three simulated cycles under the plaza cap rule of the demo (5-minute
 * LAeq over 70.00 dB, loud down to 67.01, closed after half an hour). */
static void simulated_evening_raises_one_alert(void **state)
{
	enum { N = 3 * NOISE_SIM_CYCLE, WINDOW = 300 };
	static double energy[N + 1];
	struct noise_alert a = {0};
	int opened = 0, closed_n = 0;
	int64_t closed, t0 = 1796562000;

	(void)state;
	for (int i = 0; i < N; i++) {
		double l = noise_sim_level(i, t0 + i);
		int s = i % NOISE_SIM_CYCLE;
		if (s < NOISE_SIM_WARM)
			assert_true(l > 49.0 && l < 55.0);
		else if (s >= NOISE_SIM_SONG && s < NOISE_SIM_CALM)
			assert_true(l > 72.0);
		else if (s >= NOISE_SIM_CALM)
			assert_true(l < 68.0);
		energy[i + 1] = energy[i] + pow(10.0, l / 10.0);
	}
	for (int i = 0; i < N; i++) {
		int lo = i + 1 > WINDOW ? i + 1 - WINDOW : 0;
		int64_t v =
		    2 * (i + 1 - lo) < WINDOW
			? -1
			: (int64_t)floor(
			      1000.0 * log10((energy[i + 1] - energy[lo]) / (i + 1 - lo)) + 0.5);
		int what = noise_alert_step(&a, t0 + i, v, 7000, 300, 1800, &closed);
		if (what & NOISE_ALERT_OPENED) {
			opened++;
			/* during the first song, not the warm-up */
			assert_true(i >= NOISE_SIM_SONG && i < NOISE_SIM_CALM);
		}
		closed_n += (what & NOISE_ALERT_CLOSED) != 0;
	}
	assert_int_equal(opened, 1);
	assert_int_equal(closed_n, 0);
	assert_true(a.peak > 7300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(opens_above_the_threshold_only),
	    cmocka_unit_test(loud_down_to_threshold_minus_clear),
	    cmocka_unit_test(closes_after_quiet_seconds),
	    cmocka_unit_test(close_and_reopen_in_one_second),
	    cmocka_unit_test(simulated_evening_raises_one_alert),
	};
	return cmocka_run_group_tests_name("noise_alerts", tests, NULL, NULL);
}
