/* The staggered schedule (src/schedule): the level arithmetic at its edges,
 * the checker against hand-made timetables, the heuristic on seeded
 * instances, CBC in its worker (optimal, killed, lying) against a brute
 * force, JSON in and out, and the LP file. */
#include "base/buf.h"
#include "base/err.h"
#include "schedule/schedule.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Cbc_C_Interface.h"

/* ---- the level formula ---- */

static void level_formula_edges(void **state)
{
	(void)state;
	/* At the 10 m reference the level is the team's own. */
	assert_true(fabs(sched_level_db(7000, 100) - 70.0) < 1e-12);
	/* Twice the distance: 20 lg 2 = 6.02 dB less. */
	assert_true(fabs(70.0 - sched_level_db(7000, 200) - 6.0206) < 1e-4);
	/* Ten times: 20 dB less. */
	assert_true(fabs(sched_level_db(7450, 1000) - 54.5) < 1e-12);
	/* Closer than 1 m counts as 1 m (+20 dB), never more. */
	assert_true(fabs(sched_level_db(7000, 10) - 90.0) < 1e-12);
	assert_true(fabs(sched_level_db(7000, 3) - 90.0) < 1e-12);
	/* Two equal levels add to 3.01 dB more; 10 dB apart, 0.41 dB. */
	assert_true(fabs(sched_level_add(60.0, 60.0) - 63.0103) < 1e-4);
	assert_true(fabs(sched_level_add(60.0, 50.0) - 60.4139) < 1e-4);
}

/* ---- a small plaza by hand ---- */

/* Zones A (50 m from the façade) and B (100 m), one team each at a time;
 * façade R1, limit 55, background 40; Monday and Tuesday, 18:00, 18:30,
 * 19:00; 18:30 is prime. Teams T1..T3 at 68 dB at 10 m, two sessions each.
 * Alone in A a team makes 54.19 at R1, in B 48.64; one in each makes 55.12,
 * over the limit. */
static void small_plaza(struct sched_instance *in)
{
	static const char *const labels[] = {"18:00", "18:30", "19:00"};

	assert_int_equal(sched_instance_init(in, 3), 0);
	in->ndays = 2;
	in->nslots = 3;
	in->nzones = 2;
	in->nreceptors = 1;
	in->prime = 1u << 1;
	for (int s = 0; s < 3; s++)
		snprintf(in->slot_label[s], sizeof(in->slot_label[s]), "%s", labels[s]);
	in->zone[0] = (struct sched_zone){"A", 1};
	in->zone[1] = (struct sched_zone){"B", 1};
	in->receptor[0] = (struct sched_receptor){"R1", 5500, 4000};
	in->dist_dm[0][0] = 500;
	in->dist_dm[1][0] = 1000;
	for (int t = 0; t < 3; t++) {
		struct sched_team *te = &in->team[t];
		snprintf(te->name, sizeof(te->name), "T%d", t + 1);
		te->sessions = 2;
		te->l10m_centi = 6800;
		te->allowed_days = 3;
	}
	in->team[0].pref_zones = 1u << 1;
	in->team[0].pref_slots = 1u << 0;
	in->team[1].prime_history = 4;
	assert_int_equal(sched_instance_validate(in, NULL, 0), 0);
}

static void set(struct sched_timetable *tt, int t, int k, int d, int s, int z)
{
	tt->plan[t].session[k] = (struct sched_session){d, s, z};
	if (tt->plan[t].count < k + 1)
		tt->plan[t].count = k + 1;
}

/* good_timetable: T1 in B at 18:00 both days (preferred zone and slot:
 * 2 × 1050), T2 in A at 18:30 on Monday (prime, history 4: 980), T3 in A
 * at 19:00 on Tuesday (1000). */
static void good_timetable(const struct sched_instance *in, struct sched_timetable *tt)
{
	assert_int_equal(sched_timetable_init(tt, in->nteams), 0);
	set(tt, 0, 0, 0, 0, 1);
	set(tt, 0, 1, 1, 0, 1);
	set(tt, 1, 0, 0, 1, 0);
	set(tt, 2, 0, 1, 2, 0);
	tt->objective = 4080;
}

static void expect_violation(const struct sched_instance *in, struct sched_timetable *tt,
			     const char *zh, const char *en)
{
	struct sched_check c;

	tt->objective = sched_objective(in, tt);
	assert_int_equal(sched_check(in, tt, &c), LIN_EINVAL);
	assert_false(c.ok);
	if (!strstr(c.message, zh) || !strstr(c.message, en))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", c.message, zh, en);
	/* Chinese first, then English. */
	assert_true(strstr(c.message, zh) < strstr(c.message, en));
}

static void checker_accepts_a_good_timetable(void **state)
{
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check c;

	(void)state;
	small_plaza(&in);
	good_timetable(&in, &tt);
	assert_int_equal(sched_check(&in, &tt, &c), 0);
	assert_true(c.ok);
	assert_int_equal(c.objective, 4080);
	assert_int_equal(c.placed, 4);
	assert_int_equal(c.wanted, 6);
	/* The tightest moment: a team alone in A, 54.19 against 55. */
	assert_int_equal(c.worst_margin_centi, 5500 - 5419);
	assert_int_equal(c.worst_receptor, 0);
	sched_timetable_release(&tt);
	sched_instance_release(&in);
}

static void checker_rejects_bad_timetables(void **state)
{
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check c;

	(void)state;
	small_plaza(&in);

	/* Two teams in zone B at once: its capacity is 1. */
	good_timetable(&in, &tt);
	set(&tt, 1, 0, 0, 0, 1);
	expect_violation(&in, &tt, "场区 B 在 周一 18:00 有 2 支队伍，超过容量 1",
			 "zone B at Mon 18:00 (slot 0) has 2 teams, above its capacity 1");
	sched_timetable_release(&tt);

	/* One in A and one in B at once: 55.13 at R1. */
	good_timetable(&in, &tt);
	set(&tt, 1, 0, 0, 0, 0);
	expect_violation(&in, &tt, "受体 R1 在 周一 18:00 为 55.13 dB(A)，超过 55.00",
			 "receptor R1 at Mon 18:00 (slot 0) would be 55.13 dB(A), above 55.00");
	sched_timetable_release(&tt);

	/* Two sessions on Monday. */
	good_timetable(&in, &tt);
	set(&tt, 1, 1, 0, 2, 0);
	expect_violation(&in, &tt, "队伍 T2 在周一有两场", "team T2 has two sessions on Mon");
	sched_timetable_release(&tt);

	/* Tuesday 19:00 is closed (a market). */
	in.slot_open[1] &= ~(uint64_t)(1u << 2);
	good_timetable(&in, &tt);
	expect_violation(&in, &tt, "周二 19:00 未开放",
			 "Tue 19:00 (slot 2) is closed, yet team T3");
	sched_timetable_release(&tt);
	in.slot_open[1] = ~(uint64_t)0;

	/* Zone A's rules end before 19:00 (Noise Law Art. 64 periods). */
	in.zone_open[0] &= ~(uint64_t)(1u << 2);
	good_timetable(&in, &tt);
	expect_violation(&in, &tt, "场区 A 在周二 19:00 不允许活动",
			 "zone A does not allow Tue 19:00 (slot 2), yet team T3 dances there then");
	sched_timetable_release(&tt);
	in.zone_open[0] = ~(uint64_t)0;

	/* T3 may only dance on Mondays. */
	in.team[2].allowed_days = 1;
	good_timetable(&in, &tt);
	expect_violation(&in, &tt, "队伍 T3 周二不能跳舞", "team T3 may not dance on Tue");
	sched_timetable_release(&tt);
	in.team[2].allowed_days = 3;

	/* More sessions than wanted. */
	in.team[2].sessions = 0;
	good_timetable(&in, &tt);
	expect_violation(&in, &tt, "队伍 T3 安排了 1 场，每周只要 0 场",
			 "team T3 has 1 sessions, it wants 0");
	sched_timetable_release(&tt);
	in.team[2].sessions = 2;

	/* A zone that does not exist. */
	good_timetable(&in, &tt);
	set(&tt, 2, 0, 1, 2, 2);
	expect_violation(&in, &tt, "超出范围", "team T3 session 0 is out of range");
	sched_timetable_release(&tt);

	/* A claimed objective that is not the timetable's. */
	good_timetable(&in, &tt);
	tt.objective = 4081;
	assert_int_equal(sched_check(&in, &tt, &c), LIN_EINVAL);
	assert_non_null(strstr(c.message, "the objective is 4080, not the claimed 4081"));
	sched_timetable_release(&tt);
	sched_instance_release(&in);
}

/* Levels are compared in hundredths after rounding half up: a team making
 * 60.0000043 dB (60 dB plus a background of 0 dB) passes a 60.00 limit and
 * fails 59.99. */
static void checker_compares_in_hundredths(void **state)
{
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check c;

	(void)state;
	assert_int_equal(sched_instance_init(&in, 1), 0);
	in.ndays = 1;
	in.nslots = 1;
	in.nzones = 1;
	in.nreceptors = 1;
	in.zone[0] = (struct sched_zone){"Z", 1};
	in.receptor[0] = (struct sched_receptor){"R", 6000, 0};
	in.dist_dm[0][0] = 100;
	in.team[0] = (struct sched_team){"T", 1, 6000, 0, 0, 1, 0};
	assert_int_equal(sched_timetable_init(&tt, 1), 0);
	set(&tt, 0, 0, 0, 0, 0);
	tt.objective = 1000;
	assert_int_equal(sched_check(&in, &tt, &c), 0);
	assert_int_equal(c.worst_margin_centi, 0);
	in.receptor[0].limit_centi = 5999;
	assert_int_equal(sched_check(&in, &tt, &c), LIN_EINVAL);
	assert_non_null(strstr(c.message, "would be 60.00 dB(A), above 59.99"));
	/* The solvers hold the exact line, 60.0000043 > 60, so whatever
	 * they produce passes the checker with room to spare. */
	in.receptor[0].limit_centi = 6000;
	assert_false(sched_fits_alone(&in, 0, 0));
	in.receptor[0].limit_centi = 6001;
	assert_true(sched_fits_alone(&in, 0, 0));
	sched_timetable_release(&tt);
	sched_instance_release(&in);
}

/* ---- every rule broken at the first, a middle and the last place ---- */

/* Three zones A, B, C, each 10 m from its own façade (F1, F2, F3) and
 * 1 km from the others; three days, slots 18:00, 19:00, 20:00; teams T1,
 * T2, T3 at 58 dB(A) at 10 m, three sessions each. A team alone makes
 * 58.01 at its façade (limit 60, background 30); two teams in one zone
 * make 61.01 there. */
static void three_by_three(struct sched_instance *in)
{
	static const char *const labels[] = {"18:00", "19:00", "20:00"};

	assert_int_equal(sched_instance_init(in, 3), 0);
	in->ndays = 3;
	in->nslots = 3;
	in->nzones = 3;
	in->nreceptors = 3;
	for (int i = 0; i < 3; i++) {
		snprintf(in->slot_label[i], sizeof(in->slot_label[i]), "%s", labels[i]);
		snprintf(in->zone[i].name, sizeof(in->zone[i].name), "%c", 'A' + i);
		in->zone[i].capacity = 2;
		snprintf(in->receptor[i].name, sizeof(in->receptor[i].name), "F%d", i + 1);
		in->receptor[i].limit_centi = 6000;
		in->receptor[i].background_centi = 3000;
		for (int r = 0; r < 3; r++)
			in->dist_dm[i][r] = i == r ? 100 : 10000;
		snprintf(in->team[i].name, sizeof(in->team[i].name), "T%d", i + 1);
		in->team[i].sessions = 3;
		in->team[i].l10m_centi = 5800;
		in->team[i].allowed_days = 7;
	}
	assert_int_equal(sched_instance_validate(in, NULL, 0), 0);
}

/* spread: team t dances every day k (its session k) at slot t in zone t. */
static void spread(const struct sched_instance *in, struct sched_timetable *tt)
{
	assert_int_equal(sched_timetable_init(tt, in->nteams), 0);
	for (int t = 0; t < 3; t++)
		for (int k = 0; k < 3; k++)
			set(tt, t, k, k, t, t);
	tt->objective = sched_objective(in, tt);
}

/* expect_refused: like expect_violation, for a timetable whose objective
 * cannot be computed (a session out of range); it keeps the claimed one. */
static void expect_refused(const struct sched_instance *in, struct sched_timetable *tt,
			   const char *zh, const char *en)
{
	struct sched_check c;

	assert_int_equal(sched_check(in, tt, &c), LIN_EINVAL);
	assert_false(c.ok);
	if (!strstr(c.message, zh) || !strstr(c.message, en))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", c.message, zh, en);
}

static void expect_fine(const struct sched_instance *in, struct sched_timetable *tt)
{
	struct sched_check c;

	tt->objective = sched_objective(in, tt);
	if (sched_check(in, tt, &c))
		fail_msg("refused: %s", c.message);
	assert_true(c.ok);
}

static void checker_finds_each_rule_broken_anywhere(void **state)
{
	static const char *const zh_day[] = {"周一", "周二", "周三"};
	static const char *const en_day[] = {"Mon", "Tue", "Wed"};
	struct sched_instance in;
	struct sched_timetable tt;
	char zh[160], en[160];

	(void)state;
	three_by_three(&in);
	spread(&in, &tt);
	expect_fine(&in, &tt);
	sched_timetable_release(&tt);

	for (int t = 0; t < 3; t++) {
		for (int k = 0; k < 3; k++) {
			/* Team t's session k on a day it may not dance. */
			in.team[t].allowed_days = 7u & ~(1u << k);
			spread(&in, &tt);
			snprintf(zh, sizeof(zh), "队伍 T%d %s不能跳舞", t + 1, zh_day[k]);
			snprintf(en, sizeof(en), "team T%d may not dance on %s", t + 1, en_day[k]);
			expect_violation(&in, &tt, zh, en);
			sched_timetable_release(&tt);
			in.team[t].allowed_days = 7;

			/* Its slot closed on that day. */
			in.slot_open[k] &= ~(uint64_t)(1u << t);
			spread(&in, &tt);
			snprintf(zh, sizeof(zh), "%s %s 未开放，队伍 T%d", zh_day[k],
				 in.slot_label[t], t + 1);
			snprintf(en, sizeof(en), "%s %s (slot %d) is closed, yet team T%d",
				 en_day[k], in.slot_label[t], t, t + 1);
			expect_violation(&in, &tt, zh, en);
			sched_timetable_release(&tt);
			in.slot_open[k] = ~(uint64_t)0;

			/* Session k moved to slot s, which its zone does not allow
			 * (the other sessions stay where they are allowed). */
			{
				int sl = (t + 1 + k % 2) % 3;
				in.zone_open[t] &= ~(uint64_t)(1u << sl);
				spread(&in, &tt);
				set(&tt, t, k, k, sl, t);
				snprintf(zh, sizeof(zh), "场区 %c 在%s %s 不允许活动，队伍 T%d",
					 'A' + t, zh_day[k], in.slot_label[sl], t + 1);
				snprintf(en, sizeof(en),
					 "zone %c does not allow %s %s (slot %d), yet team T%d",
					 'A' + t, en_day[k], in.slot_label[sl], sl, t + 1);
				expect_violation(&in, &tt, zh, en);
				sched_timetable_release(&tt);
				in.zone_open[t] = ~(uint64_t)0;
			}

			/* Session k on the same day as another of its sessions. */
			{
				int other = (k + 1) % 3;
				spread(&in, &tt);
				set(&tt, t, k, other, t, t);
				snprintf(zh, sizeof(zh), "队伍 T%d 在%s有两场", t + 1,
					 zh_day[other]);
				snprintf(en, sizeof(en), "team T%d has two sessions on %s", t + 1,
					 en_day[other]);
				expect_violation(&in, &tt, zh, en);
				sched_timetable_release(&tt);
			}

			/* Session k one past the last day, slot or zone, or before
			 * the first. */
			{
				const int bad[][3] = {{3, t, t},  {k, 3, t},  {k, t, 3},
						      {-1, t, t}, {k, -1, t}, {k, t, -1}};
				for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
					spread(&in, &tt);
					set(&tt, t, k, bad[b][0], bad[b][1], bad[b][2]);
					snprintf(
					    zh, sizeof(zh),
					    "队伍 T%d 的第 %d 场超出范围（日 %d 时段 %d 场区 %d）",
					    t + 1, k, bad[b][0], bad[b][1], bad[b][2]);
					snprintf(en, sizeof(en),
						 "team T%d session %d is out of range (day %d slot "
						 "%d zone %d)",
						 t + 1, k, bad[b][0], bad[b][1], bad[b][2]);
					expect_refused(&in, &tt, zh, en);
					sched_timetable_release(&tt);
				}
			}
		}
		/* More sessions than the team wants. */
		in.team[t].sessions = 2;
		spread(&in, &tt);
		snprintf(zh, sizeof(zh), "队伍 T%d 安排了 3 场，每周只要 2 场", t + 1);
		snprintf(en, sizeof(en), "team T%d has 3 sessions, it wants 2", t + 1);
		expect_violation(&in, &tt, zh, en);
		sched_timetable_release(&tt);
		in.team[t].sessions = 3;
	}
	sched_instance_release(&in);
}

/* Two teams together at every façade, day and slot in turn (the slots
 * before left empty): only that façade is over, and it is named. */
static void checker_finds_every_loud_facade(void **state)
{
	static const char *const zh_day[] = {"周一", "周二", "周三"};
	static const char *const en_day[] = {"Mon", "Tue", "Wed"};
	struct sched_instance in;
	struct sched_timetable tt;
	char zh[160], en[160];

	(void)state;
	three_by_three(&in);
	for (int r = 0; r < 3; r++) {
		for (int d = 0; d < 3; d++) {
			for (int s = 0; s < 3; s++) {
				/* Each pair of teams, so the last team counts too. */
				for (int pair = 0; pair < 3; pair++) {
					int a = pair == 2 ? 1 : 0, b = pair == 0 ? 1 : 2;
					assert_int_equal(sched_timetable_init(&tt, 3), 0);
					set(&tt, a, 0, d, s, r);
					set(&tt, b, 0, d, s, r);
					snprintf(zh, sizeof(zh),
						 "受体 F%d 在 %s %s 为 61.01 dB(A)，超过 60.00",
						 r + 1, zh_day[d], in.slot_label[s]);
					snprintf(en, sizeof(en),
						 "receptor F%d at %s %s (slot %d) would be 61.01 "
						 "dB(A), above 60.00",
						 r + 1, en_day[d], in.slot_label[s], s);
					expect_violation(&in, &tt, zh, en);
					sched_timetable_release(&tt);
				}
			}
		}
	}
	/* Quiet teams (30 dB) and capacity 1: two in one zone is over its
	 * capacity, at each zone, for each pair. */
	for (int i = 0; i < 3; i++) {
		in.team[i].l10m_centi = 3000;
		in.zone[i].capacity = 1;
	}
	for (int z = 0; z < 3; z++) {
		for (int pair = 0; pair < 3; pair++) {
			int a = pair == 2 ? 1 : 0, b = pair == 0 ? 1 : 2;
			assert_int_equal(sched_timetable_init(&tt, 3), 0);
			set(&tt, a, 0, 2, 2, z);
			set(&tt, b, 0, 2, 2, z);
			snprintf(zh, sizeof(zh), "场区 %c 在 周三 20:00 有 2 支队伍，超过容量 1",
				 'A' + z);
			snprintf(en, sizeof(en),
				 "zone %c at Wed 20:00 (slot 2) has 2 teams, above its capacity 1",
				 'A' + z);
			expect_violation(&in, &tt, zh, en);
			sched_timetable_release(&tt);
			/* One each in two zones is fine. */
			assert_int_equal(sched_timetable_init(&tt, 3), 0);
			set(&tt, a, 0, 2, 2, z);
			set(&tt, b, 0, 2, 2, (z + 1) % 3);
			expect_fine(&in, &tt);
			sched_timetable_release(&tt);
		}
	}
	sched_instance_release(&in);
}

/* The checker rounds a façade's level half up to hundredths, with its
 * background: 55 dB(A) at 10 m over a background of 40 is 55.135..., so
 * 55.14 against a limit of 55.13 (over) and of 55.14 (within, margin 0). */
static void checker_rounds_with_the_background(void **state)
{
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check c;

	(void)state;
	assert_int_equal(sched_instance_init(&in, 1), 0);
	in.ndays = 1;
	in.nslots = 1;
	in.nzones = 1;
	in.nreceptors = 1;
	in.zone[0] = (struct sched_zone){"Z", 1};
	in.receptor[0] = (struct sched_receptor){"R", 5513, 4000};
	in.dist_dm[0][0] = 100;
	in.team[0] = (struct sched_team){"T", 1, 5500, 0, 0, 1, 0};
	assert_int_equal(sched_timetable_init(&tt, 1), 0);
	set(&tt, 0, 0, 0, 0, 0);
	tt.objective = sched_objective(&in, &tt);
	assert_int_equal(sched_check(&in, &tt, &c), LIN_EINVAL);
	assert_non_null(strstr(c.message, "would be 55.14 dB(A), above 55.13"));
	in.receptor[0].limit_centi = 5514;
	assert_int_equal(sched_check(&in, &tt, &c), 0);
	assert_int_equal(c.worst_margin_centi, 0);
	/* The solvers see the same: the team alone fits 55.14 and not 55.13. */
	assert_true(sched_fits_alone(&in, 0, 0));
	in.receptor[0].limit_centi = 5513;
	assert_false(sched_fits_alone(&in, 0, 0));
	sched_timetable_release(&tt);
	sched_instance_release(&in);
}

/* A team may want a session every day of the instance, not more. */
static void sessions_up_to_every_day(void **state)
{
	struct sched_instance in;
	char err[256];

	(void)state;
	three_by_three(&in);
	in.team[2].sessions = 3;
	assert_int_equal(sched_instance_validate(&in, err, sizeof(err)), 0);
	in.team[2].sessions = 4;
	assert_int_equal(sched_instance_validate(&in, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "team T3: sessions must be 0 to 3"));
	in.team[2].sessions = -1;
	assert_int_equal(sched_instance_validate(&in, err, sizeof(err)), LIN_EINVAL);
	sched_instance_release(&in);
}

/* ---- the heuristic ---- */

static void heuristic_passes_the_checker(void **state)
{
	static const struct {
		int teams, zones, slots, days;
	} sizes[] = {{8, 2, 4, 3}, {40, 6, 8, 7}, {100, 15, 8, 7}};
	int runs = 0, proven = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		for (uint64_t seed = 1; seed <= 8; seed++) {
			struct sched_instance in;
			struct sched_options o;
			struct sched_timetable tt, again;
			struct sched_check c;
			assert_int_equal(sched_random(&in, seed, sizes[k].teams, sizes[k].zones,
						      sizes[k].slots, sizes[k].days),
					 0);
			/* Zone 0 closes its first and last slots (its own rules). */
			in.zone_open[0] &= ~((uint64_t)1 | (uint64_t)1 << (sizes[k].slots - 1));
			sched_options_default(&o);
			o.seed = seed;
			/* Fewer moves on the largest: the sanitizers are slow. */
			o.moves = sizes[k].teams > 50 ? 6000 : 0;
			assert_int_equal(sched_heuristic(&in, &o, &tt), 0);
			if (sched_check(&in, &tt, &c))
				fail_msg("seed %llu, %d teams: %s", (unsigned long long)seed,
					 sizes[k].teams, c.message);
			assert_int_equal(c.objective, tt.objective);
			assert_true(tt.objective <= tt.bound);
			assert_int_equal(tt.solver, SCHED_SOLVER_HEURISTIC);
			proven += tt.optimal;
			/* Something gets placed, and whoever is short is told why. */
			if (sizes[k].teams >= 40)
				assert_true(c.placed > 0);
			for (int t = 0; t < in.nteams; t++)
				if (tt.plan[t].count < in.team[t].sessions)
					assert_true(tt.plan[t].reason[0] != '\0');
			/* Same seed, same timetable. */
			if (seed <= 2) {
				assert_int_equal(sched_heuristic(&in, &o, &again), 0);
				assert_int_equal(again.objective, tt.objective);
				assert_memory_equal(again.plan, tt.plan,
						    (size_t)in.nteams * sizeof(*tt.plan));
				sched_timetable_release(&again);
			}
			sched_timetable_release(&tt);
			sched_instance_release(&in);
			runs++;
		}
	}
	assert_int_equal(runs, 24);
	/* Small instances are mostly solved to the bound. */
	assert_true(proven >= 4);
}

static void heuristic_is_fast(void **state)
{
	struct sched_instance in;
	struct sched_options o;
	struct sched_timetable tt;
	struct sched_check c;

	(void)state;
	/* 200 teams × 30 zones × 7 days × 8 slots; a second even here,
	 * under the sanitizers (well under one in a release build). */
	assert_int_equal(sched_random(&in, 7, 200, 30, 8, 7), 0);
	sched_options_default(&o);
	assert_int_equal(sched_heuristic(&in, &o, &tt), 0);
	assert_int_equal(sched_check(&in, &tt, &c), 0);
	assert_true(c.placed > 100);
	if (tt.seconds > 5.0)
		fail_msg("the heuristic took %.2f s", tt.seconds);
	sched_timetable_release(&tt);
	sched_instance_release(&in);
}

/* ---- brute force against CBC ---- */

struct brute {
	const struct sched_instance *in;
	int *count;    /* [(d * ns + s) * nz + z] */
	double *load;  /* [(d * ns + s) * nr + r] */
	int64_t *rest; /* [t]: the most teams t.. could still add */
	int64_t cur, best;
	long nodes;
};

static int64_t best_value(const struct sched_instance *in, int t)
{
	int64_t best = 0;

	for (int s = 0; s < in->nslots; s++)
		for (int z = 0; z < in->nzones; z++)
			if (sched_session_value(in, t, s, z) > best)
				best = sched_session_value(in, t, s, z);
	return best;
}

static void brute(struct brute *b, int t, int d, int left)
{
	const struct sched_instance *in = b->in;
	int ns = in->nslots, nz = in->nzones, nr = in->nreceptors;

	b->nodes++;
	if (t == in->nteams) {
		if (b->cur > b->best)
			b->best = b->cur;
		return;
	}
	if (b->cur + (int64_t)left * best_value(in, t) + b->rest[t + 1] <= b->best)
		return;
	if (d == in->ndays || left == 0) {
		brute(b, t + 1, 0, t + 1 < in->nteams ? in->team[t + 1].sessions : 0);
		return;
	}
	brute(b, t, d + 1, left);
	if (!(in->team[t].allowed_days >> d & 1))
		return;
	for (int s = 0; s < ns; s++) {
		int cell = d * ns + s;
		if (!(in->slot_open[d] >> s & 1))
			continue;
		for (int z = 0; z < nz; z++) {
			int ok = b->count[cell * nz + z] < in->zone[z].capacity;
			int64_t v = sched_session_value(in, t, s, z);
			for (int r = 0; r < nr && ok; r++)
				ok = b->load[cell * nr + r] + sched_share(in, t, z, r) <=
				     1.0 + SCHED_SHARE_SLACK;
			if (!ok)
				continue;
			b->count[cell * nz + z]++;
			for (int r = 0; r < nr; r++)
				b->load[cell * nr + r] += sched_share(in, t, z, r);
			b->cur += v;
			brute(b, t, d + 1, left - 1);
			b->cur -= v;
			for (int r = 0; r < nr; r++)
				b->load[cell * nr + r] -= sched_share(in, t, z, r);
			b->count[cell * nz + z]--;
		}
	}
}

static int64_t brute_optimum(const struct sched_instance *in)
{
	int cells = in->ndays * in->nslots;
	struct brute b = {in,
			  calloc((size_t)cells * (size_t)in->nzones, sizeof(int)),
			  calloc((size_t)cells * (size_t)(in->nreceptors + 1), sizeof(double)),
			  calloc((size_t)in->nteams + 1, sizeof(int64_t)),
			  0,
			  0,
			  0};

	assert_non_null(b.count);
	assert_non_null(b.load);
	assert_non_null(b.rest);
	for (int t = in->nteams - 1; t >= 0; t--)
		b.rest[t] = b.rest[t + 1] + (int64_t)in->team[t].sessions * best_value(in, t);
	brute(&b, 0, 0, in->nteams ? in->team[0].sessions : 0);
	free(b.count);
	free(b.load);
	free(b.rest);
	return b.best;
}

/* tight_instance: a random instance made small (2 zones, 2 days × 3
 * slots) and tight: teams at 64-72 dB, 60-120 m from façades limited to
 * 52 (background 42), so receptors, not only zones, decide who dances
 * when. */
static void tight_instance(struct sched_instance *in, uint64_t seed, int nteams)
{
	assert_int_equal(sched_random(in, seed, nteams, 2, 3, 2), 0);
	for (int r = 0; r < in->nreceptors; r++) {
		in->receptor[r].limit_centi = 5200;
		in->receptor[r].background_centi = 4200;
		for (int z = 0; z < in->nzones; z++) {
			uint64_t mix = seed * 37 + (uint64_t)z * 211 + (uint64_t)r * 97;
			in->dist_dm[z][r] = (int32_t)(600 + mix % 600);
		}
	}
	for (int t = 0; t < nteams; t++) {
		in->team[t].l10m_centi = 6400 + (int64_t)((seed * 131 + (uint64_t)t * 389) % 800);
		in->team[t].sessions = 1 + (int)((seed + (uint64_t)t) % 2);
	}
	assert_int_equal(sched_instance_validate(in, NULL, 0), 0);
}

static void cbc_matches_brute_force(void **state)
{
	int hard = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct sched_instance in;
		struct sched_options o;
		struct sched_timetable h, exact, best;
		struct sched_check c;
		char err[SCHED_MESSAGE_MAX], warn[SCHED_MESSAGE_MAX];
		int64_t optimum;
		tight_instance(&in, seed, seed % 2 ? 6 : 5);
		optimum = brute_optimum(&in);
		sched_options_default(&o);
		o.time_limit = 20;
		assert_int_equal(sched_heuristic(&in, &o, &h), 0);
		assert_true(h.objective <= optimum);
		hard += h.objective < optimum;

		if (sched_cbc(&in, NULL, &o, &exact, err, sizeof(err)))
			fail_msg("seed %llu: %s", (unsigned long long)seed, err);
		assert_int_equal(exact.solver, SCHED_SOLVER_CBC);
		assert_true(exact.optimal);
		assert_int_equal(exact.objective, optimum);
		assert_int_equal(exact.bound, optimum);
		assert_int_equal(sched_check(&in, &exact, &c), 0);

		o.solver = SCHED_SOLVER_AUTO;
		assert_int_equal(sched_solve(&in, &o, &best, err, sizeof(err), warn, sizeof(warn)),
				 0);
		assert_string_equal(warn, "");
		assert_int_equal(best.objective, optimum);
		assert_true(best.optimal);
		assert_true(best.objective >= h.objective);
		assert_int_equal(sched_check(&in, &best, &c), 0);

		sched_timetable_release(&best);
		sched_timetable_release(&exact);
		sched_timetable_release(&h);
		sched_instance_release(&in);
	}
	/* The instances are not all too easy for the heuristic. */
	print_message("# heuristic short of the optimum on %d of 6\n", hard);
}

/* ---- the worker dying ---- */

static void no_child_left(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void worker_faults_are_errors(void **state)
{
	struct sched_instance in;
	struct sched_options o;
	struct sched_timetable tt;
	struct sched_check c;
	char err[SCHED_MESSAGE_MAX], warn[SCHED_MESSAGE_MAX];

	(void)state;
	tight_instance(&in, 1, 6);
	sched_options_default(&o);

	/* The child aborts: an error naming the signal, no crash here. */
	o.fault = SCHED_FAULT_ABORT;
	assert_int_equal(sched_cbc(&in, NULL, &o, &tt, err, sizeof(err)), LIN_EIO);
	assert_non_null(strstr(err, "the CBC worker died of signal 6"));
	sched_timetable_release(&tt);
	no_child_left();

	/* The child hangs: killed at time limit + grace. */
	o.fault = SCHED_FAULT_HANG;
	o.time_limit = 0.2;
	o.grace = 0.3;
	assert_int_equal(sched_cbc(&in, NULL, &o, &tt, err, sizeof(err)), LIN_EIO);
	assert_non_null(strstr(err, "passed its deadline"));
	assert_true(tt.seconds >= 0.45 && tt.seconds < 5);
	sched_timetable_release(&tt);
	no_child_left();

	/* The child answers with a timetable breaking every rule: the
	 * checker stops it. */
	assert_true(sched_mip_columns(&in) > 20);
	o.fault = SCHED_FAULT_GARBAGE;
	o.time_limit = 10;
	assert_int_equal(sched_cbc(&in, NULL, &o, &tt, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "CBC's timetable failed the check"));
	sched_timetable_release(&tt);
	no_child_left();

	/* AUTO keeps the heuristic's timetable and says why. */
	o.fault = SCHED_FAULT_ABORT;
	o.solver = SCHED_SOLVER_AUTO;
	assert_int_equal(sched_solve(&in, &o, &tt, err, sizeof(err), warn, sizeof(warn)), 0);
	assert_int_equal(tt.solver, SCHED_SOLVER_HEURISTIC);
	assert_false(tt.optimal); /* so AUTO did call CBC */
	assert_non_null(strstr(warn, "died of signal 6"));
	assert_int_equal(sched_check(&in, &tt, &c), 0);
	sched_timetable_release(&tt);
	no_child_left();

	/* A time limit of 0 is refused before any child starts. */
	o.fault = SCHED_FAULT_NONE;
	o.time_limit = 0;
	assert_int_equal(sched_cbc(&in, NULL, &o, &tt, err, sizeof(err)), LIN_EINVAL);
	sched_timetable_release(&tt);
	sched_instance_release(&in);
}

/* ---- JSON ---- */

static void json_round_trip(void **state)
{
	struct sched_instance in, back;
	struct sched_options o;
	struct sched_timetable tt, tt2;
	struct sched_check c;
	struct buf a, b, ta, tb;
	char err[SCHED_MESSAGE_MAX];

	(void)state;
	assert_int_equal(sched_random(&in, 42, 30, 5, 8, 7), 0);
	buf_init(&a, 0);
	buf_init(&b, 0);
	assert_int_equal(sched_instance_to_json(&in, &a), 0);
	if (sched_instance_from_json(a.buf, a.len, &back, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(sched_instance_to_json(&back, &b), 0);
	assert_string_equal(a.buf, b.buf);
	assert_int_equal(back.nteams, 30);
	assert_memory_equal(back.dist_dm, in.dist_dm, sizeof(in.dist_dm));
	assert_memory_equal(back.slot_open, in.slot_open, sizeof(in.slot_open));
	assert_memory_equal(back.team, in.team, 30 * sizeof(*in.team));

	sched_options_default(&o);
	assert_int_equal(sched_heuristic(&in, &o, &tt), 0);
	buf_init(&ta, 0);
	buf_init(&tb, 0);
	assert_int_equal(sched_timetable_to_json(&in, &tt, NULL, &ta), 0);
	if (sched_timetable_from_json(&back, ta.buf, ta.len, &tt2, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(sched_check(&back, &tt2, &c), 0);
	assert_int_equal(tt2.objective, tt.objective);
	assert_int_equal(tt2.solver, SCHED_SOLVER_HEURISTIC);
	for (int t = 0; t < in.nteams; t++) {
		assert_int_equal(tt2.plan[t].count, tt.plan[t].count);
		assert_memory_equal(tt2.plan[t].session, tt.plan[t].session,
				    (size_t)tt.plan[t].count * sizeof(struct sched_session));
	}
	assert_int_equal(sched_timetable_to_json(&in, &tt2, NULL, &tb), 0);
	assert_non_null(strstr(tb.buf, "\"objective\": "));
	sched_timetable_release(&tt2);

	/* A hand-written timetable without an objective is taken as is. */
	{
		static const char text[] = "{\"teams\": [{\"team\": 0, \"sessions\": []}]}";
		assert_int_equal(
		    sched_timetable_from_json(&back, text, strlen(text), &tt2, err, sizeof(err)),
		    0);
		assert_int_equal(sched_check(&back, &tt2, &c), 0);
		assert_int_equal(c.placed, 0);
		sched_timetable_release(&tt2);
	}
	buf_release(&a);
	buf_release(&b);
	buf_release(&ta);
	buf_release(&tb);
	sched_timetable_release(&tt);
	sched_instance_release(&back);
	sched_instance_release(&in);
}

static const char good_json[] =
    "{\"days\": 2, \"slots\": 3, \"prime\": [1], \"closed\": [[1, 2]],\n"
    " \"receptors\": [{\"name\": \"R1\", \"limit_centi\": 5500, \"background_centi\": 4000}],\n"
    " \"zones\": [{\"name\": \"A\", \"capacity\": 1, \"dist_dm\": [500]},\n"
    "           {\"name\": \"B\", \"capacity\": 1, \"dist_dm\": [1000]}],\n"
    " \"teams\": [{\"name\": \"T1\", \"sessions\": 2, \"l10m_centi\": 6800,\n"
    "            \"pref_zones\": [1], \"pref_slots\": [0], \"prime_history\": 3}]}";

/* bad: good_json with from replaced by to must fail with a message
 * holding want. */
static void bad(const char *from, const char *to, const char *want)
{
	struct sched_instance in;
	char text[2048], err[SCHED_MESSAGE_MAX] = "";
	const char *at = strstr(good_json, from);

	assert_non_null(at);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good_json), good_json, to,
		 at + strlen(from));
	assert_int_equal(sched_instance_from_json(text, strlen(text), &in, err, sizeof(err)),
			 LIN_EINVAL);
	if (!strstr(err, want))
		fail_msg("for %s: \"%s\" lacks \"%s\"", to, err, want);
	assert_null(in.team);
}

static void json_errors_say_what_is_wrong(void **state)
{
	struct sched_instance in;
	char err[SCHED_MESSAGE_MAX];

	(void)state;
	assert_int_equal(
	    sched_instance_from_json(good_json, strlen(good_json), &in, err, sizeof(err)), 0);
	assert_int_equal(in.team[0].allowed_days, 3); /* every day when not given */
	assert_false(in.slot_open[1] >> 2 & 1);
	sched_instance_release(&in);

	bad("{\"days\"", "{\"days\" 2, \"x\"", "bad JSON (line 1)");
	bad("\"days\": 2", "\"days\": 8", "\"days\" must be an integer from 1 to 7");
	bad("\"sessions\": 2", "\"sessions\": 3", "\"sessions\" must be an integer from 0 to 2");
	bad("\"dist_dm\": [500]", "\"dist_dm\": [0]", "distances must be 1 to 100000 dm");
	bad("\"dist_dm\": [500]", "\"dist_dm\": [500, 600]", "array of 1 distances");
	bad("\"l10m_centi\": 6800", "\"l10m_centi\": 15001", "\"l10m_centi\" must be an integer");
	bad("\"l10m_centi\": 6800", "\"l10m_centi\": 68.0", "\"l10m_centi\" must be an integer");
	bad("\"pref_zones\": [1]", "\"pref_zones\": [2]", "\"pref_zones\" must hold distinct");
	bad("\"capacity\": 1,", "\"capacity\": 17,",
	    "\"capacity\" must be an integer from 0 to 16");
	bad("\"closed\": [[1, 2]]", "\"closed\": [[2, 0]]", "closed[0] must be [day, slot]");
	bad("\"prime\": [1]", "\"prime\": [1], \"colour\": 1", "unknown key \"colour\"");
	bad("\"name\": \"T1\"", "\"name\": \"\"", "\"name\" must be a string");
	bad("\"limit_centi\": 5500", "\"limit_centi\": -1", "\"limit_centi\" must be an integer");
	bad("\"days\": 2", "\"days\": 2, \"weights\": {\"placed\": 10, \"fair\": 5}",
	    "weight placed must exceed fair");
	bad("\"days\": 2, \"slots\": 3,", "\"days\": 2, \"days\": 3, \"slots\": 3,", "bad JSON");
	{
		/* 65 zones. */
		struct buf b;
		buf_init(&b, 0);
		buf_adds(&b, "{\"slots\": 1, \"receptors\": [], \"teams\": [], \"zones\": [");
		for (int z = 0; z < 65; z++)
			buf_addf(&b, "%s{\"name\": \"Z%d\", \"dist_dm\": []}", z ? ", " : "", z);
		buf_adds(&b, "]}");
		assert_int_equal(sched_instance_from_json(b.buf, b.len, &in, err, sizeof(err)),
				 LIN_EINVAL);
		assert_non_null(strstr(err, "array of 1 to 64 zones"));
		buf_release(&b);
	}
}

/* ---- the LP file ---- */

static void lp_export_is_the_model(void **state)
{
	struct sched_instance in;
	struct sched_options o;
	struct sched_timetable exact;
	char path[] = "/tmp/linli-sched-XXXXXX.lp", err[SCHED_MESSAGE_MAX], *text;
	size_t len;
	long binaries = 0;
	FILE *f;
	int fd;

	(void)state;
	tight_instance(&in, 5, 6);
	f = open_memstream(&text, &len);
	assert_non_null(f);
	assert_int_equal(sched_write_lp(&in, f), 0);
	fclose(f);
	assert_non_null(strstr(text, "Maximize\n obj:"));
	assert_non_null(strstr(text, "Subject To\n"));
	assert_non_null(strstr(text, "\n rec_r0_d"));
	assert_non_null(strstr(text, "\n day_t"));
	assert_non_null(strstr(text, "\nBinaries\n x_t"));
	assert_non_null(strstr(text, "\nEnd\n"));
	/* One binary per place a team could take alone. */
	for (const char *p = strstr(text, "\nBinaries\n"); (p = strstr(p + 1, "\n x_t"));)
		binaries++;
	assert_int_equal(binaries, sched_mip_columns(&in));
	assert_true(binaries > 20);

	/* CBC reads the file back and finds the worker's optimum. */
	fd = mkstemps(path, 3);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	free(text);
	sched_options_default(&o);
	assert_int_equal(sched_cbc(&in, NULL, &o, &exact, err, sizeof(err)), 0);
	{
		/* In a child: CBC's own allocations never meet LeakSanitizer. */
		int fds[2];
		double objective = -1;
		pid_t pid;
		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			Cbc_Model *m = Cbc_newModel();
			double v = -2;
			Cbc_setLogLevel(m, 0);
			if (Cbc_readLp(m, path) == 0) {
				Cbc_solve(m);
				if (Cbc_isProvenOptimal(m))
					v = Cbc_getObjValue(m);
			}
			if (write(fds[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		assert_int_equal(read(fds[0], &objective, sizeof(objective)), sizeof(objective));
		close(fds[0]);
		waitpid(pid, NULL, 0);
		/* The sense may come back flipped: compare magnitudes. */
		assert_true(fabs(fabs(objective) - (double)exact.objective) < 1e-6);
	}
	unlink(path);
	sched_timetable_release(&exact);
	sched_instance_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(level_formula_edges),
	    cmocka_unit_test(checker_accepts_a_good_timetable),
	    cmocka_unit_test(checker_rejects_bad_timetables),
	    cmocka_unit_test(checker_compares_in_hundredths),
	    cmocka_unit_test(checker_finds_each_rule_broken_anywhere),
	    cmocka_unit_test(checker_finds_every_loud_facade),
	    cmocka_unit_test(checker_rounds_with_the_background),
	    cmocka_unit_test(sessions_up_to_every_day),
	    cmocka_unit_test(heuristic_passes_the_checker),
	    cmocka_unit_test(heuristic_is_fast),
	    cmocka_unit_test(cbc_matches_brute_force),
	    cmocka_unit_test(worker_faults_are_errors),
	    cmocka_unit_test(json_round_trip),
	    cmocka_unit_test(json_errors_say_what_is_wrong),
	    cmocka_unit_test(lp_export_is_the_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
