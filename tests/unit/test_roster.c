/* The duty roster (src/roster): the checker against hand-made rosters at
 * the edge of each rule (one second of overlap against touching shifts,
 * the Shanghai midnight, the Monday), the heuristic on seeded instances,
 * CBC against a brute force, the heuristic against CBC's proven optimum,
 * re-planning mid-week, JSON errors that name their field, and the
 * linli roster commands. */
#include "base/buf.h"
#include "base/command.h"
#include "base/err.h"
#include "base/timeutil.h"
#include "roster/cli.h"
#include "roster/roster.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- building instances by hand ---- */

/* T: Unix seconds of a Shanghai wall-clock time. */
static int64_t T(int y, int mo, int d, int h, int mi, int s)
{
	return lin_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - LIN_SHANGHAI_OFFSET;
}

static void shift(struct roster_instance *in, int i, const char *id, int64_t start, int64_t end,
		  int need, int need_trained)
{
	struct roster_shift *s = &in->shift[i];

	snprintf(s->id, sizeof(s->id), "%s", id);
	s->start = start;
	s->end = end;
	s->need = need;
	s->need_trained = need_trained;
}

static void volunteer(struct roster_instance *in, int i, const char *id, int trained, int per_day,
		      int per_week)
{
	struct roster_volunteer *v = &in->volunteer[i];

	snprintf(v->id, sizeof(v->id), "%s", id);
	v->trained = trained;
	v->max_per_day = per_day;
	v->max_per_week = per_week;
}

/* roster_of reads "shift:volunteer shift:volunteer ..." as a roster file
 * would come (the counts recounted from the assignments). */
static int roster_of(const struct roster_instance *in, const char *pairs, struct roster_result *r)
{
	char err[ROSTER_MESSAGE_MAX], copy[1024], *save = NULL;
	struct buf b;
	int rc, n = 0;

	snprintf(copy, sizeof(copy), "%s", pairs);
	buf_init(&b, 0);
	buf_adds(&b, "{\"assignments\": [");
	for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(t, ':');
		assert_non_null(colon);
		*colon = '\0';
		buf_addf(&b, "%s{\"shift\": \"%s\", \"volunteer\": \"%s\"}", n++ ? ", " : "", t,
			 colon + 1);
	}
	buf_adds(&b, "]}");
	rc = roster_result_from_json(in, b.buf, b.len, r, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	buf_release(&b);
	return rc;
}

/* check_says: roster_check refuses pairs with a message holding want (or
 * accepts them when want is NULL). */
static void check_says(const struct roster_instance *in, const char *pairs, const char *want)
{
	struct roster_result r;
	char err[ROSTER_MESSAGE_MAX] = "";
	int rc;

	assert_int_equal(roster_of(in, pairs, &r), 0);
	rc = roster_check(in, &r, err, sizeof(err));
	if (!want) {
		if (rc)
			print_error("%s: %s\n", pairs, err);
		assert_int_equal(rc, 0);
	} else {
		assert_int_equal(rc, LIN_EINVAL);
		if (!strstr(err, want))
			print_error("%s: \"%s\" lacks \"%s\"\n", pairs, err, want);
		assert_non_null(strstr(err, want));
	}
	roster_result_release(&r);
}

/* ---- the checker, rule by rule ---- */

static void check_overlap_by_one_second(void **state)
{
	struct roster_instance in;

	(void)state;
	assert_int_equal(roster_instance_init(&in, 3, 1, 0), 0);
	shift(&in, 0, "A", T(2026, 12, 7, 7, 0, 0), T(2026, 12, 7, 9, 0, 0), 1, 0);
	/* B starts when A ends: touching, not overlapping. */
	shift(&in, 1, "B", T(2026, 12, 7, 9, 0, 0), T(2026, 12, 7, 10, 0, 0), 1, 0);
	/* C starts one second before A ends. */
	shift(&in, 2, "C", T(2026, 12, 7, 8, 59, 59), T(2026, 12, 7, 10, 0, 0), 1, 0);
	volunteer(&in, 0, "v1", 0, 5, 5);
	check_says(&in, "A:v1 B:v1", NULL);
	check_says(&in, "A:v1 C:v1", "overlap");
	check_says(&in, "A:v1 C:v1", "重叠");
	roster_instance_release(&in);
}

static void check_day_limit_at_shanghai_midnight(void **state)
{
	struct roster_instance in;

	(void)state;
	assert_int_equal(roster_instance_init(&in, 3, 1, 0), 0);
	shift(&in, 0, "evening", T(2026, 12, 7, 20, 0, 0), T(2026, 12, 7, 21, 0, 0), 1, 0);
	/* Monday 23:59:59 and Tuesday 00:00:00 in Shanghai: one UTC day
	 * (15:59:59 and 16:00:00 UTC), two Shanghai days. */
	shift(&in, 1, "late", T(2026, 12, 7, 23, 59, 59), T(2026, 12, 8, 0, 0, 0), 1, 0);
	shift(&in, 2, "early", T(2026, 12, 8, 0, 0, 0), T(2026, 12, 8, 1, 0, 0), 1, 0);
	volunteer(&in, 0, "v1", 0, 1, 7);
	check_says(&in, "late:v1 early:v1", NULL);
	check_says(&in, "evening:v1 early:v1", NULL);
	check_says(&in, "evening:v1 late:v1", "daily limit of 1");
	check_says(&in, "evening:v1 late:v1", "2026-12-07");
	roster_instance_release(&in);
}

static void check_week_limit_on_monday(void **state)
{
	struct roster_instance in;

	(void)state;
	assert_int_equal(roster_instance_init(&in, 3, 1, 0), 0);
	shift(&in, 0, "wed", T(2026, 12, 9, 7, 0, 0), T(2026, 12, 9, 9, 0, 0), 1, 0);
	/* Sunday 23:59:59 ends the week of Monday 7 December; Monday 14
	 * December 00:00:00 starts the next. */
	shift(&in, 1, "sun", T(2026, 12, 13, 23, 59, 59), T(2026, 12, 14, 0, 0, 0), 1, 0);
	shift(&in, 2, "mon", T(2026, 12, 14, 0, 0, 0), T(2026, 12, 14, 1, 0, 0), 1, 0);
	volunteer(&in, 0, "v1", 0, 1, 1);
	check_says(&in, "sun:v1 mon:v1", NULL);
	check_says(&in, "wed:v1 mon:v1", NULL);
	check_says(&in, "wed:v1 sun:v1", "weekly limit of 1");
	check_says(&in, "wed:v1 sun:v1", "2026-12-07");
	roster_instance_release(&in);
}

static void check_unavailable_span(void **state)
{
	struct roster_instance in;

	(void)state;
	assert_int_equal(roster_instance_init(&in, 2, 1, 0), 0);
	shift(&in, 0, "before", T(2026, 12, 7, 7, 0, 0), T(2026, 12, 7, 8, 0, 0), 1, 0);
	shift(&in, 1, "into", T(2026, 12, 7, 7, 0, 1), T(2026, 12, 7, 8, 0, 1), 1, 0);
	volunteer(&in, 0, "v1", 0, 5, 5);
	in.volunteer[0].nunavailable = 1;
	in.volunteer[0].unavailable[0] =
	    (struct roster_span){T(2026, 12, 7, 8, 0, 0), T(2026, 12, 7, 18, 0, 0)};
	check_says(&in, "before:v1", NULL);
	check_says(&in, "into:v1", "unavailable");
	roster_instance_release(&in);
}

static void check_places_and_trained(void **state)
{
	struct roster_instance in;

	(void)state;
	assert_int_equal(roster_instance_init(&in, 1, 3, 0), 0);
	shift(&in, 0, "S", T(2026, 12, 7, 7, 0, 0), T(2026, 12, 7, 9, 0, 0), 2, 1);
	volunteer(&in, 0, "t1", 1, 1, 1);
	volunteer(&in, 1, "u1", 0, 1, 1);
	volunteer(&in, 2, "u2", 0, 1, 1);
	check_says(&in, "S:t1 S:u1", NULL);
	check_says(&in, "S:t1 S:u1 S:u2", "needs 2 but holds 3");
	/* Two untrained: the place kept for a trained volunteer is taken. */
	check_says(&in, "S:u1 S:u2", "holds 2 untrained volunteers, at most 1");
	check_says(&in, "S:u1 S:u1", "twice");
	roster_instance_release(&in);
}

static void check_counts_and_unfilled(void **state)
{
	struct roster_instance in;
	struct roster_result r;
	char err[ROSTER_MESSAGE_MAX];

	(void)state;
	assert_int_equal(roster_instance_init(&in, 2, 1, 1), 0);
	shift(&in, 0, "A", T(2026, 12, 7, 7, 0, 0), T(2026, 12, 7, 9, 0, 0), 1, 0);
	shift(&in, 1, "B", T(2026, 12, 8, 7, 0, 0), T(2026, 12, 8, 9, 0, 0), 2, 0);
	volunteer(&in, 0, "v1", 0, 1, 7);
	in.previous[0] = (struct roster_pair){1, 0};
	assert_int_equal(roster_of(&in, "A:v1 B:v1", &r), 0);
	assert_int_equal(r.filled, 1);
	assert_int_equal(r.covered, 2);
	assert_int_equal(r.kept, 1);
	assert_int_equal(r.nunfilled, 1);
	assert_int_equal(r.unfilled[0].missing, 1);
	assert_int_equal(roster_check(&in, &r, err, sizeof(err)), 0);
	r.filled = 2;
	assert_int_equal(roster_check(&in, &r, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "filled 1 (reported 2)"));
	r.filled = 1;
	r.kept = 0;
	assert_int_equal(roster_check(&in, &r, err, sizeof(err)), LIN_EINVAL);
	r.kept = 1;
	r.nunfilled = 0;
	assert_int_equal(roster_check(&in, &r, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "shift B is 1 short"));
	r.nunfilled = 1;
	r.unfilled[0].missing = 2;
	assert_int_equal(roster_check(&in, &r, err, sizeof(err)), LIN_EINVAL);
	roster_result_release(&r);
	roster_instance_release(&in);
}

/* roster_value: covered outweighs any kept, kept any spread. */
static void value_is_lexicographic(void **state)
{
	struct roster_instance in;
	struct roster_result a = {0}, b = {0};

	(void)state;
	assert_int_equal(roster_instance_init(&in, 2, 3, 2), 0);
	shift(&in, 0, "A", T(2026, 12, 7, 7, 0, 0), T(2026, 12, 7, 9, 0, 0), 3, 0);
	shift(&in, 1, "B", T(2026, 12, 8, 7, 0, 0), T(2026, 12, 8, 9, 0, 0), 3, 0);
	a = (struct roster_result){.covered = 4, .kept = 0, .spread = 16};
	b = (struct roster_result){.covered = 3, .kept = 2, .spread = 3};
	assert_true(roster_value(&in, &a) > roster_value(&in, &b));
	a = (struct roster_result){.covered = 3, .kept = 1, .spread = 9};
	b = (struct roster_result){.covered = 3, .kept = 0, .spread = 3};
	assert_true(roster_value(&in, &a) > roster_value(&in, &b));
	a = (struct roster_result){.covered = 3, .kept = 1, .spread = 3};
	b = (struct roster_result){.covered = 3, .kept = 1, .spread = 5};
	assert_true(roster_value(&in, &a) > roster_value(&in, &b));
	roster_instance_release(&in);
}

/* ---- solvers ---- */

static void solve_with(const struct roster_instance *in, enum roster_solver solver, uint64_t seed,
		       struct roster_result *r)
{
	struct roster_options o;
	char err[ROSTER_MESSAGE_MAX] = "";
	int rc;

	roster_options_default(&o);
	o.solver = solver;
	o.seed = seed;
	o.time_limit = 20;
	rc = roster_solve(in, &o, r, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
	rc = roster_check(in, r, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, 0);
}

static void heuristic_passes_the_checker(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 24; seed++) {
		struct roster_instance in;
		struct roster_result r, again;
		int vols = 5 + (int)(seed * 7 % 60), stations = 1 + (int)(seed % 4);
		assert_int_equal(roster_random(&in, seed, vols, stations, 3 + (int)(seed % 12)), 0);
		solve_with(&in, ROSTER_HEURISTIC, seed, &r);
		assert_true(r.covered <= r.bound);
		assert_int_equal(r.nunfilled, in.nshifts - r.filled);
		for (int i = 0; i < r.nunfilled; i++)
			assert_non_null(strstr(r.unfilled[i].reason, "unavailable"));
		/* The same seed, the same roster. */
		solve_with(&in, ROSTER_HEURISTIC, seed, &again);
		assert_int_equal(again.nassign, r.nassign);
		assert_memory_equal(again.assign, r.assign, (size_t)r.nassign * sizeof(*r.assign));
		roster_result_release(&again);
		roster_result_release(&r);
		roster_instance_release(&in);
	}
}

/* A tiny random instance: shifts over three days around midnights and a
 * Monday, volunteers with small limits, a span away, some previous. */
static int next_below(unsigned *x, int n)
{
	*x = *x * 1103515245u + 12345u;
	return (int)((*x >> 16) % (unsigned)n);
}

static void tiny(struct roster_instance *in, unsigned seed)
{
	unsigned x = seed * 2654435761u + 12345u;
#define NEXT(n) next_below(&x, (n))
	int ns = 2 + NEXT(3), nv = 2 + NEXT(2), np = NEXT(3);

	assert_int_equal(roster_instance_init(in, ns, nv, np), 0);
	for (int s = 0; s < ns; s++) {
		char id[16];
		/* Sunday 13 December 20:00 + 0..27 hours: crosses Monday. */
		int64_t start = T(2026, 12, 13, 20, 0, 0) + (int64_t)NEXT(28) * 3600;
		int need = NEXT(3);
		snprintf(id, sizeof(id), "s%d", s);
		shift(in, s, id, start, start + (1 + NEXT(4)) * 3600, need,
		      need ? NEXT(need + 1) : 0);
	}
	for (int v = 0; v < nv; v++) {
		char id[16];
		snprintf(id, sizeof(id), "v%d", v);
		volunteer(in, v, id, NEXT(2), NEXT(3), 1 + NEXT(3));
		if (NEXT(3) == 0) {
			int64_t at = T(2026, 12, 13, 20, 0, 0) + (int64_t)NEXT(28) * 3600;
			in->volunteer[v].nunavailable = 1;
			in->volunteer[v].unavailable[0] = (struct roster_span){at, at + 3 * 3600};
		}
	}
	for (int i = 0; i < np; i++) {
		int dup = 0;
		in->previous[i] = (struct roster_pair){NEXT(ns), NEXT(nv)};
		for (int k = 0; k < i; k++)
			dup |= in->previous[k].shift == in->previous[i].shift &&
			       in->previous[k].volunteer == in->previous[i].volunteer;
		if (dup)
			in->nprevious = i;
		if (dup)
			break;
	}
#undef NEXT
}

/* brute_best: the best (covered, kept) over every subset of pairs, by the
 * rules written once more here. */
static void brute_best(const struct roster_instance *in, int *best_covered, int *best_kept)
{
	int npairs = in->nshifts * in->nvolunteers;

	*best_covered = *best_kept = -1;
	for (uint32_t mask = 0; mask < (1u << npairs); mask++) {
		int ok = 1, covered = 0, kept = 0;
		for (int p = 0; p < npairs && ok; p++) {
			int s = p / in->nvolunteers, v = p % in->nvolunteers, day = 0, week = 0;
			const struct roster_shift *sh = &in->shift[s];
			const struct roster_volunteer *vo = &in->volunteer[v];
			if (!(mask >> p & 1))
				continue;
			covered++;
			for (int i = 0; i < in->nprevious; i++)
				kept +=
				    in->previous[i].shift == s && in->previous[i].volunteer == v;
			for (int k = 0; k < vo->nunavailable; k++)
				ok &= !(sh->start < vo->unavailable[k].end &&
					vo->unavailable[k].start < sh->end);
			for (int q = 0; q < npairs; q++) {
				int s2 = q / in->nvolunteers;
				const struct roster_shift *o = &in->shift[s2];
				if (!(mask >> q & 1) || q % in->nvolunteers != v)
					continue;
				if (q != p && sh->start < o->end && o->start < sh->end)
					ok = 0;
				day += lin_local_day(o->start, LIN_SHANGHAI_OFFSET) ==
				       lin_local_day(sh->start, LIN_SHANGHAI_OFFSET);
				week += (lin_local_day(o->start, LIN_SHANGHAI_OFFSET) + 3) / 7 ==
					(lin_local_day(sh->start, LIN_SHANGHAI_OFFSET) + 3) / 7;
			}
			ok &= day <= vo->max_per_day && week <= vo->max_per_week;
		}
		for (int s = 0; s < in->nshifts && ok; s++) {
			int held = 0, untrained = 0;
			for (int v = 0; v < in->nvolunteers; v++)
				if (mask >> (s * in->nvolunteers + v) & 1) {
					held++;
					untrained += !in->volunteer[v].trained;
				}
			ok = held <= in->shift[s].need &&
			     untrained <= in->shift[s].need - in->shift[s].need_trained;
		}
		if (ok &&
		    (covered > *best_covered || (covered == *best_covered && kept > *best_kept))) {
			*best_covered = covered;
			*best_kept = kept;
		}
	}
}

static void cbc_equals_brute_force(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 40; seed++) {
		struct roster_instance in;
		struct roster_result r;
		int covered, kept;
		tiny(&in, seed);
		brute_best(&in, &covered, &kept);
		solve_with(&in, ROSTER_CBC, 1, &r);
		assert_true(r.optimal);
		if (r.covered != covered || r.kept != kept)
			print_error("seed %u: CBC %d/%d, brute force %d/%d\n", seed, r.covered,
				    r.kept, covered, kept);
		assert_int_equal(r.covered, covered);
		assert_int_equal(r.kept, kept);
		assert_int_equal(r.bound, covered);
		roster_result_release(&r);
		/* The heuristic never claims more than the optimum. */
		solve_with(&in, ROSTER_HEURISTIC, seed, &r);
		assert_true(r.covered <= covered);
		assert_true(!r.optimal || r.covered == covered);
		roster_result_release(&r);
		roster_instance_release(&in);
	}
}

static void heuristic_matches_cbc_coverage(void **state)
{
	static const int sizes[][3] = {{20, 2, 7}, {40, 3, 14}, {60, 4, 7}};

	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			struct roster_instance in;
			struct roster_result h, c;
			assert_int_equal(
			    roster_random(&in, seed, sizes[k][0], sizes[k][1], sizes[k][2]), 0);
			solve_with(&in, ROSTER_HEURISTIC, seed, &h);
			solve_with(&in, ROSTER_CBC, seed, &c);
			assert_true(c.optimal);
			if (h.covered != c.covered)
				print_error("seed %llu size %zu: heuristic %d, CBC %d\n",
					    (unsigned long long)seed, k, h.covered, c.covered);
			assert_int_equal(h.covered, c.covered);
			roster_result_release(&h);
			roster_result_release(&c);
			roster_instance_release(&in);
		}
}

/* Twelve one-place shifts on twelve days, three volunteers free for all
 * of them: every solver gives each volunteer four (Σ count² = 48); CBC,
 * whose MIP leaves fairness out, through the fairness swaps after it. */
static void shifts_are_spread_evenly(void **state)
{
	static const enum roster_solver solvers[] = {ROSTER_HEURISTIC, ROSTER_CBC, ROSTER_AUTO};
	struct roster_instance in;

	(void)state;
	assert_int_equal(roster_instance_init(&in, 12, 3, 0), 0);
	for (int d = 0; d < 12; d++) {
		char id[8];
		snprintf(id, sizeof(id), "d%d", d);
		shift(&in, d, id, T(2026, 12, 7 + d, 7, 0, 0), T(2026, 12, 7 + d, 9, 0, 0), 1, 0);
	}
	volunteer(&in, 0, "a", 1, 3, 10);
	volunteer(&in, 1, "b", 1, 3, 10);
	volunteer(&in, 2, "c", 1, 3, 10);
	for (size_t k = 0; k < sizeof(solvers) / sizeof(solvers[0]); k++) {
		struct roster_result r;
		solve_with(&in, solvers[k], 3, &r);
		assert_int_equal(r.covered, 12);
		assert_int_equal(r.spread, 48);
		roster_result_release(&r);
	}
	roster_instance_release(&in);
}

/* replan: in with previous set to r's assignments. */
static void replan(struct roster_instance *in, const struct roster_result *r)
{
	free(in->previous);
	in->previous = malloc(((size_t)r->nassign + 1) * sizeof(*in->previous));
	assert_non_null(in->previous);
	memcpy(in->previous, r->assign, (size_t)r->nassign * sizeof(*r->assign));
	in->nprevious = r->nassign;
}

static void replanning_keeps_assignments(void **state)
{
	struct roster_instance in;
	struct roster_result first, again;
	int v, lost = 0;

	(void)state;
	assert_int_equal(roster_random(&in, 7, 60, 4, 14), 0);
	solve_with(&in, ROSTER_AUTO, 1, &first);
	assert_true(first.optimal);
	replan(&in, &first);
	/* Nothing changed: the whole roster is kept, whatever the seed and
	 * the solver (coverage was already the most there is). */
	solve_with(&in, ROSTER_HEURISTIC, 99, &again);
	assert_int_equal(again.kept, first.nassign);
	assert_int_equal(again.covered, first.covered);
	roster_result_release(&again);
	solve_with(&in, ROSTER_CBC, 99, &again);
	assert_int_equal(again.kept, first.nassign);
	roster_result_release(&again);
	/* Mid-week, one volunteer falls ill from Thursday on: only their
	 * shifts from then are lost; every other assignment stays. */
	v = first.assign[0].volunteer;
	assert_true(in.volunteer[v].nunavailable < ROSTER_MAX_SPANS);
	in.volunteer[v].unavailable[in.volunteer[v].nunavailable++] =
	    (struct roster_span){T(2026, 12, 10, 0, 0, 0), T(2026, 12, 31, 0, 0, 0)};
	for (int i = 0; i < first.nassign; i++)
		lost += first.assign[i].volunteer == v &&
			in.shift[first.assign[i].shift].end > T(2026, 12, 10, 0, 0, 0);
	assert_true(lost > 0);
	solve_with(&in, ROSTER_HEURISTIC, 5, &again);
	assert_int_equal(again.kept, first.nassign - lost);
	roster_result_release(&first);
	/* CBC may give up a kept place only for more coverage. */
	solve_with(&in, ROSTER_CBC, 5, &first);
	assert_true(first.covered > again.covered || first.kept == again.kept);
	assert_true(first.covered >= again.covered);
	roster_result_release(&again);
	roster_result_release(&first);
	roster_instance_release(&in);
}

/* ---- JSON ---- */

static void json_round_trip(void **state)
{
	struct roster_instance in, back;
	struct roster_result r, rback;
	char err[ROSTER_MESSAGE_MAX];
	struct buf b;

	(void)state;
	assert_int_equal(roster_random(&in, 3, 30, 2, 9), 0);
	solve_with(&in, ROSTER_HEURISTIC, 1, &r);
	buf_init(&b, BUF_DEFAULT_MAX);
	assert_int_equal(roster_result_to_json(&in, &r, &b), 0);
	assert_int_equal(roster_result_from_json(&in, b.buf, b.len, &rback, err, sizeof(err)), 0);
	assert_int_equal(roster_check(&in, &rback, err, sizeof(err)), 0);
	assert_int_equal(rback.covered, r.covered);
	assert_int_equal(rback.nunfilled, r.nunfilled);
	assert_string_equal(rback.solver, "file");
	buf_reset(&b);
	replan(&in, &r);
	assert_int_equal(roster_instance_to_json(&in, &b), 0);
	assert_non_null(strstr(b.buf, "\"start\": \"2026-12-07T07:00:00+08:00\""));
	if (roster_instance_from_json(b.buf, b.len, &back, err, sizeof(err)))
		fail_msg("%s", err);
	assert_int_equal(back.nshifts, in.nshifts);
	assert_int_equal(back.nvolunteers, in.nvolunteers);
	assert_int_equal(back.nprevious, in.nprevious);
	assert_memory_equal(back.shift, in.shift, (size_t)in.nshifts * sizeof(*in.shift));
	assert_memory_equal(back.volunteer, in.volunteer,
			    (size_t)in.nvolunteers * sizeof(*in.volunteer));
	assert_memory_equal(back.previous, in.previous,
			    (size_t)in.nprevious * sizeof(*in.previous));
	roster_result_release(&rback);
	roster_result_release(&r);
	roster_instance_release(&back);
	roster_instance_release(&in);
	buf_release(&b);
}

static void json_times_with_offsets(void **state)
{
	struct roster_instance in;
	char err[ROSTER_MESSAGE_MAX];
	const char *text =
	    "{\"shifts\": [{\"id\": \"a\", \"start\": \"2026-12-06T23:00:00Z\", "
	    "\"end\": \"2026-12-07T02:30:00-05:00\", \"need\": 1}], \"volunteers\": []}";

	(void)state;
	assert_int_equal(roster_instance_from_json(text, strlen(text), &in, err, sizeof(err)), 0);
	/* 23:00 UTC is 07:00 on the 7th in Shanghai; 02:30 at -05:00 is 07:30 UTC. */
	assert_true(in.shift[0].start == T(2026, 12, 7, 7, 0, 0));
	assert_true(in.shift[0].end == T(2026, 12, 7, 15, 30, 0));
	assert_int_equal(in.shift[0].need_trained, 0);
	roster_instance_release(&in);
}

static void json_errors_name_the_field(void **state)
{
	static const char *const head = "{\"shifts\": [{\"id\": \"a\", \"start\": "
					"\"2026-12-07T07:00:00+08:00\", \"end\": "
					"\"2026-12-07T09:00:00+08:00\", \"need\": 2";
	static const char *const vol = "], \"volunteers\": [{\"id\": \"v\", \"max_per_day\": 1, "
				       "\"max_per_week\": 2}";
	static const struct {
		const char *shift_tail, *more, *want;
	} cases[] = {
	    {"}", "], \"previous\": [{\"shift\": \"b\", \"volunteer\": \"v\"}]}",
	     "previous[0].shift: no shift b"},
	    {"}", "], \"previous\": [{\"shift\": \"a\", \"volunteer\": \"w\"}]}",
	     "previous[0].volunteer: no volunteer w"},
	    {"}",
	     "], \"previous\": [{\"shift\": \"a\", \"volunteer\": \"v\"}, {\"shift\": \"a\", "
	     "\"volunteer\": \"v\"}]}",
	     "previous lists v on a twice"},
	    {", \"need_trained\": 3}", "]}", "need_trained cannot exceed need"},
	    {"}, {\"id\": \"a\", \"start\": \"2026-12-07T07:00:00+08:00\", \"end\": "
	     "\"2026-12-07T08:00:00+08:00\", \"need\": 1}",
	     "]}", "duplicate shift id: a"},
	    {"}, {\"id\": \"b\", \"start\": \"2026-12-07T09:00:00+08:00\", \"end\": "
	     "\"2026-12-07T08:00:00+08:00\", \"need\": 1}",
	     "]}", "shifts[1] (b): end must come after start"},
	    {"}, {\"id\": \"b\", \"start\": \"2026-12-07T09:00:00+08:00\", \"end\": "
	     "\"2026-12-07T10:00:00+08:00\", \"need\": -1}",
	     "]}", "shifts[1].need must be an integer from 0 to 50"},
	    {"}, {\"id\": \"b\", \"start\": \"2026-12-07 09:00\", \"end\": "
	     "\"2026-12-07T10:00:00+08:00\", \"need\": 1}",
	     "]}", "shifts[1].start must be an ISO 8601 time"},
	    {"}, {\"id\": \"b\", \"start\": \"2026-02-30T09:00:00+08:00\", \"end\": "
	     "\"2026-12-07T10:00:00+08:00\", \"need\": 1}",
	     "]}", "shifts[1].start must be an ISO 8601 time"},
	    {", \"needs\": 1}", "]}", "shifts[0]: unknown key \"needs\""},
	    {"}", ", {\"id\": \"v\", \"max_per_day\": 1, \"max_per_week\": 1}]}",
	     "duplicate volunteer id: v"},
	    {"}", ", {\"id\": \"w\", \"max_per_day\": 1}]}",
	     "volunteers[1].max_per_week is missing"},
	    {"}",
	     ", {\"id\": \"w\", \"max_per_day\": 1, \"max_per_week\": 1, \"unavailable\": "
	     "[{\"start\": \"2026-12-07T10:00:00+08:00\", \"end\": "
	     "\"2026-12-07T10:00:00+08:00\"}]}]}",
	     "volunteers[1].unavailable[0]: end must come after start"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct roster_instance in;
		char text[1024], err[ROSTER_MESSAGE_MAX] = "";
		snprintf(text, sizeof(text), "%s%s%s%s", head, cases[i].shift_tail, vol,
			 cases[i].more);
		assert_int_equal(
		    roster_instance_from_json(text, strlen(text), &in, err, sizeof(err)),
		    LIN_EINVAL);
		if (!strstr(err, cases[i].want))
			print_error("case %zu: \"%s\" lacks \"%s\"\n", i, err, cases[i].want);
		assert_non_null(strstr(err, cases[i].want));
		/* Chinese first. */
		assert_true((unsigned char)err[strcspn(err, "\xe4\xe5\xe6\xe7\xe8\xe9")] >= 0xe4);
		assert_null(in.shift);
	}
}

/* ---- the command line ---- */

static const struct command *find(const char *name)
{
	for (const struct command *c = roster_commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	fail();
	return NULL;
}

/* run: one roster command with stdout and stderr caught in files. */
static int run(const char *name, char **argv, int argc, char *out, size_t outlen, char *errtext,
	       size_t errlen)
{
	struct cmd_ctx ctx = {0};
	char opath[] = "/tmp/roster-out.XXXXXX", epath[] = "/tmp/roster-err.XXXXXX";
	int ofd = mkstemp(opath), efd = mkstemp(epath), saved_out = dup(1), saved_err = dup(2);
	int rc;
	FILE *f;
	size_t n;

	assert_true(ofd >= 0 && efd >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(ofd, 1);
	dup2(efd, 2);
	rc = find(name)->run(&ctx, argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	close(ofd);
	close(efd);
	f = fopen(opath, "r");
	n = out ? fread(out, 1, outlen - 1, f) : 0;
	if (out)
		out[n] = '\0';
	fclose(f);
	f = fopen(epath, "r");
	n = fread(errtext, 1, errlen - 1, f);
	errtext[n] = '\0';
	fclose(f);
	unlink(opath);
	unlink(epath);
	return rc;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void cli_generate_solve_check(void **state)
{
	static char out[1 << 20], err[4096];
	char ipath[] = "/tmp/roster-in.XXXXXX", rpath[] = "/tmp/roster-r.XXXXXX";
	char *gen[] = {"--seed", "4", "--volunteers", "25", "--stations", "2", "--days", "7"};
	char *solve[] = {ipath, "--solver", "heuristic", "--json"};
	char *check[] = {ipath, rpath};
	int fd;

	(void)state;
	close(mkstemp(ipath));
	close(mkstemp(rpath));
	assert_int_equal(run("roster generate", gen, 8, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "\"id\": \"st2-d7-pm\""));
	write_file(ipath, out);
	assert_int_equal(run("roster solve", solve, 4, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "\"solver\": \"heuristic\""));
	assert_non_null(strstr(out, "\"filled\": "));
	write_file(rpath, out);
	assert_int_equal(run("roster check", check, 2, out, sizeof(out), err, sizeof(err)), 0);
	assert_non_null(strstr(out, "ok"));
	/* One assignment too many on a shift: refused, zh then en. */
	write_file(rpath, "{\"assignments\": [{\"shift\": \"st1-d1-am\", \"volunteer\": \"v1\"}, "
			  "{\"shift\": \"st1-d1-pm\", \"volunteer\": \"v1\"}, "
			  "{\"shift\": \"st1-d2-am\", \"volunteer\": \"v1\"}, "
			  "{\"shift\": \"st1-d3-am\", \"volunteer\": \"v1\"}, "
			  "{\"shift\": \"st1-d4-am\", \"volunteer\": \"v1\"}], \"filled\": 0}");
	assert_int_equal(run("roster check", check, 2, out, sizeof(out), err, sizeof(err)), 1);
	assert_non_null(strstr(err, "排班违反规则 the roster breaks a rule"));
	/* A bad instance names its field. */
	fd = open(ipath, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	close(fd);
	write_file(ipath, "{\"shifts\": [{\"id\": \"a\", \"start\": \"x\"}], \"volunteers\": []}");
	assert_int_equal(run("roster solve", solve, 4, out, sizeof(out), err, sizeof(err)), 1);
	assert_non_null(strstr(err, "shifts[0].start"));
	char *bad[] = {ipath, "--solver", "simplex"};
	assert_int_equal(run("roster solve", bad, 3, out, sizeof(out), err, sizeof(err)),
			 LIN_EXIT_USAGE);
	unlink(ipath);
	unlink(rpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(check_overlap_by_one_second),
	    cmocka_unit_test(check_day_limit_at_shanghai_midnight),
	    cmocka_unit_test(check_week_limit_on_monday),
	    cmocka_unit_test(check_unavailable_span),
	    cmocka_unit_test(check_places_and_trained),
	    cmocka_unit_test(check_counts_and_unfilled),
	    cmocka_unit_test(value_is_lexicographic),
	    cmocka_unit_test(heuristic_passes_the_checker),
	    cmocka_unit_test(cbc_equals_brute_force),
	    cmocka_unit_test(heuristic_matches_cbc_coverage),
	    cmocka_unit_test(shifts_are_spread_evenly),
	    cmocka_unit_test(replanning_keeps_assignments),
	    cmocka_unit_test(json_round_trip),
	    cmocka_unit_test(json_times_with_offsets),
	    cmocka_unit_test(json_errors_name_the_field),
	    cmocka_unit_test(cli_generate_solve_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
