/* The fast roster: previous assignments first (re-planning keeps what
 * still holds), then a greedy fill of the scarcest shifts first, then
 * augmenting moves (a volunteer blocked from a short shift by one of their
 * own shifts moves over, and someone free takes the place they leave) to
 * raise coverage, then fairness swaps that hand shifts from the busiest to
 * the least busy. Every step keeps every hard rule; the same seed gives
 * the same roster (no clock decides anything). */
#include "roster.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/worker.h"

#include <stdlib.h>
#include <string.h>

/* ---- the state: who holds what ---- */

struct state {
	const struct roster_instance *in;
	struct roster_rng rng;
	int64_t *day, *week;	  /* [nshifts]: the Shanghai day and ISO week of the start */
	int *held;		  /* [nshifts]: volunteers on the shift */
	int *untrained;		  /* [nshifts]: of whom untrained */
	int *member_at;		  /* [nshifts + 1]: shift s's members at member[member_at[s]..] */
	int *member;		  /* [Σ need] */
	int **list;		  /* [nvolunteers]: each volunteer's shifts */
	int *count, *cap;	  /* [nvolunteers]: shifts held, room in list */
	int *memo_trained;	  /* [nshifts]: a trained volunteer who could join, -1 none,
				     -2 unknown */
	int *memo_untrained;	  /* [nshifts]: the same, untrained */
	unsigned char *in_chain;  /* [nshifts]: on the augmenting path being built */
	uint64_t *allowed;	  /* [nshifts × words]: roster_allowed, one bit a pair */
	size_t words;		  /* 64-bit words per shift in allowed */
	struct roster_pair *prev; /* previous, sorted */
	long budget;		  /* moves left to the current augmenting search */
};

static void state_release(struct state *st)
{
	free(st->day);
	free(st->week);
	free(st->held);
	free(st->untrained);
	free(st->member_at);
	free(st->member);
	for (int v = 0; st->list && v < st->in->nvolunteers; v++)
		free(st->list[v]);
	free(st->list);
	free(st->count);
	free(st->cap);
	free(st->memo_trained);
	free(st->memo_untrained);
	free(st->in_chain);
	free(st->allowed);
	free(st->prev);
}

static int state_init(struct state *st, const struct roster_instance *in, uint64_t seed)
{
	size_t ns = (size_t)in->nshifts + 1, nv = (size_t)in->nvolunteers + 1;
	long places = 0;

	memset(st, 0, sizeof(*st));
	st->in = in;
	roster_rng_seed(&st->rng, seed);
	for (int s = 0; s < in->nshifts; s++)
		places += in->shift[s].need;
	st->day = malloc(ns * sizeof(*st->day));
	st->week = malloc(ns * sizeof(*st->week));
	st->held = calloc(ns, sizeof(*st->held));
	st->untrained = calloc(ns, sizeof(*st->untrained));
	st->member_at = calloc(ns, sizeof(*st->member_at));
	st->member = malloc(((size_t)places + 1) * sizeof(*st->member));
	st->list = calloc(nv, sizeof(*st->list));
	st->count = calloc(nv, sizeof(*st->count));
	st->cap = calloc(nv, sizeof(*st->cap));
	st->memo_trained = malloc(ns * sizeof(*st->memo_trained));
	st->memo_untrained = malloc(ns * sizeof(*st->memo_untrained));
	st->in_chain = calloc(ns, 1);
	/* 20,000 shifts × 10,000 volunteers at most: 25 MB. */
	st->words = ((size_t)in->nvolunteers + 63) / 64;
	st->allowed = calloc(ns * (st->words ? st->words : 1), sizeof(*st->allowed));
	st->prev = roster_previous_sorted(in);
	if (!st->day || !st->week || !st->held || !st->untrained || !st->member_at || !st->member ||
	    !st->list || !st->count || !st->cap || !st->memo_trained || !st->memo_untrained ||
	    !st->in_chain || !st->prev) {
		state_release(st);
		return LIN_ENOMEM;
	}
	for (int s = 0; s < in->nshifts; s++) {
		st->day[s] = roster_day(in->shift[s].start);
		st->week[s] = roster_week(in->shift[s].start);
		st->member_at[s + 1] = st->member_at[s] + in->shift[s].need;
		st->memo_trained[s] = st->memo_untrained[s] = -2;
		for (int v = 0; v < in->nvolunteers; v++)
			if (roster_allowed(in, s, v))
				st->allowed[(size_t)s * st->words + (size_t)v / 64] |= (uint64_t)1
										       << (v % 64);
	}
	return 0;
}

static int allowed(const struct state *st, int s, int v)
{
	return st->allowed[(size_t)s * st->words + (size_t)v / 64] >> (v % 64) & 1;
}

static int assign(struct state *st, int s, int v)
{
	if (st->count[v] == st->cap[v]) {
		int cap = st->cap[v] ? st->cap[v] * 2 : 8;
		int *l = realloc(st->list[v], (size_t)cap * sizeof(*l));
		if (!l)
			return LIN_ENOMEM;
		st->list[v] = l;
		st->cap[v] = cap;
	}
	st->list[v][st->count[v]++] = s;
	st->member[st->member_at[s] + st->held[s]++] = v;
	st->untrained[s] += !st->in->volunteer[v].trained;
	return 0;
}

static void unassign(struct state *st, int s, int v)
{
	int *m = &st->member[st->member_at[s]];

	for (int i = 0; i < st->count[v]; i++)
		if (st->list[v][i] == s) {
			st->list[v][i] = st->list[v][--st->count[v]];
			break;
		}
	for (int i = 0; i < st->held[s]; i++)
		if (m[i] == v) {
			m[i] = m[--st->held[s]];
			break;
		}
	st->untrained[s] -= !st->in->volunteer[v].trained;
}

static int untrained_room(const struct state *st, int s)
{
	const struct roster_shift *sh = &st->in->shift[s];

	return st->untrained[s] < sh->need - sh->need_trained;
}

/* What stands between v and shift s among v's own shifts. */
struct block {
	int on;		   /* v already holds s */
	int overlaps;	   /* v's shifts overlapping s */
	int overlap_shift; /* the last of them */
	int nday, nweek;   /* v's shifts on s's day, in s's week */
};

static void blocking(const struct state *st, int s, int v, struct block *b)
{
	const struct roster_shift *sh = &st->in->shift[s];

	memset(b, 0, sizeof(*b));
	for (int i = 0; i < st->count[v]; i++) {
		int o = st->list[v][i];
		b->on |= o == s;
		if (roster_overlap(sh->start, sh->end, st->in->shift[o].start,
				   st->in->shift[o].end)) {
			b->overlaps++;
			b->overlap_shift = o;
		}
		b->nday += st->day[o] == st->day[s];
		b->nweek += st->week[o] == st->week[s];
	}
}

static int block_free(const struct state *st, int v, const struct block *b)
{
	const struct roster_volunteer *vo = &st->in->volunteer[v];

	return !b->on && !b->overlaps && b->nday < vo->max_per_day && b->nweek < vo->max_per_week;
}

/* fits: v could join s now, leaving aside whether s has a free place and
 * room for one more untrained volunteer (blocking's answer, stopping at
 * the first obstacle). */
static int fits(const struct state *st, int s, int v)
{
	const struct roster_shift *sh = &st->in->shift[s];
	const struct roster_volunteer *vo = &st->in->volunteer[v];
	int nday = 0, nweek = 0;

	if (!allowed(st, s, v))
		return 0;
	for (int i = 0; i < st->count[v]; i++) {
		int o = st->list[v][i];
		if (o == s || roster_overlap(sh->start, sh->end, st->in->shift[o].start,
					     st->in->shift[o].end))
			return 0;
		nday += st->day[o] == st->day[s];
		nweek += st->week[o] == st->week[s];
		if (nday >= vo->max_per_day || nweek >= vo->max_per_week)
			return 0;
	}
	return 1;
}

static int can_join(const struct state *st, int s, int v)
{
	if (st->held[s] >= st->in->shift[s].need)
		return 0;
	if (!st->in->volunteer[v].trained && !untrained_room(st, s))
		return 0;
	return fits(st, s, v);
}

/* ---- greedy ---- */

static int keep_previous(struct state *st)
{
	const struct roster_instance *in = st->in;

	/* In the order given: the caller lists the roster being re-planned. */
	for (int i = 0; i < in->nprevious; i++) {
		int s = in->previous[i].shift, v = in->previous[i].volunteer;
		if (can_join(st, s, v) && assign(st, s, v))
			return LIN_ENOMEM;
	}
	return 0;
}

struct scarce {
	int shift;
	double key; /* candidates per place wanted: lower is scarcer */
};

static int by_scarcity(const void *a, const void *b)
{
	const struct scarce *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->shift > y->shift) - (x->shift < y->shift);
}

/* scarcity orders the shifts and sets *bound, an upper bound on covered:
 * each shift gets at most its trained candidates plus as many untrained
 * ones as it has untrained places. */
static int scarcity(struct state *st, struct scarce *order, int64_t *bound)
{
	const struct roster_instance *in = st->in;

	*bound = 0;
	for (int s = 0; s < in->nshifts; s++) {
		const struct roster_shift *sh = &in->shift[s];
		int trained = 0, untrained = 0, room;
		double key;
		for (int v = 0; v < in->nvolunteers; v++)
			if (allowed(st, s, v)) {
				if (in->volunteer[v].trained)
					trained++;
				else
					untrained++;
			}
		if (untrained > sh->need - sh->need_trained)
			untrained = sh->need - sh->need_trained;
		room = trained + untrained < sh->need ? trained + untrained : sh->need;
		*bound += room;
		key = sh->need ? (double)(trained + untrained) / sh->need : 1e18;
		if (sh->need_trained && (double)trained / sh->need_trained < key)
			key = (double)trained / sh->need_trained;
		order[s] = (struct scarce){s, key};
	}
	qsort(order, (size_t)in->nshifts, sizeof(*order), by_scarcity);
	return 0;
}

/* greedy_fill: each shift in turn takes, place by place, the volunteer who
 * holds fewest shifts so far, sparing trained volunteers where an
 * untrained one will do. Who could come is found once per shift: taking
 * one volunteer changes only that volunteer and the shift's room. */
static int greedy_fill(struct state *st, const struct scarce *order)
{
	const struct roster_instance *in = st->in;
	int *cand = malloc(((size_t)in->nvolunteers + 1) * sizeof(*cand));
	uint64_t *tie = malloc(((size_t)in->nvolunteers + 1) * sizeof(*tie));

	if (!cand || !tie) {
		free(cand);
		free(tie);
		return LIN_ENOMEM;
	}
	for (int k = 0; k < in->nshifts; k++) {
		int s = order[k].shift, ncand = 0, trained = 0, *m;
		const struct roster_shift *sh = &in->shift[s];
		if (st->held[s] >= sh->need)
			continue;
		for (int v = 0; v < in->nvolunteers; v++)
			if (fits(st, s, v)) {
				tie[ncand] = roster_rng_next(&st->rng) >> 44;
				cand[ncand++] = v;
			}
		m = &st->member[st->member_at[s]];
		for (int i = 0; i < st->held[s]; i++)
			trained += in->volunteer[m[i]].trained;
		while (st->held[s] < sh->need) {
			int best = -1;
			uint64_t best_score = UINT64_MAX;
			for (int i = 0; i < ncand; i++) {
				int v = cand[i], waste;
				uint64_t score;
				if (!in->volunteer[v].trained && !untrained_room(st, s))
					continue;
				waste = in->volunteer[v].trained && trained >= sh->need_trained &&
					untrained_room(st, s);
				score = ((uint64_t)waste << 50) | ((uint64_t)st->count[v] << 20) |
					tie[i];
				if (score < best_score) {
					best_score = score;
					best = i;
				}
			}
			if (best < 0)
				break;
			if (assign(st, s, cand[best])) {
				free(cand);
				free(tie);
				return LIN_ENOMEM;
			}
			trained += in->volunteer[cand[best]].trained;
			cand[best] = cand[--ncand];
			tie[best] = tie[ncand];
		}
	}
	free(cand);
	free(tie);
	return 0;
}

/* ---- augmenting moves ---- */

/* filler: someone who could join s once a place there is free (trained,
 * or untrained when untrained_ok), remembered per shift while it holds. */
static int filler(struct state *st, int s, int untrained_ok)
{
	const struct roster_instance *in = st->in;
	int *memo[2] = {st->memo_trained, st->memo_untrained};

	for (int k = 0; k < 1 + untrained_ok; k++) {
		int w = memo[k][s];
		if (w >= 0 && fits(st, s, w))
			return w;
	}
	if (st->memo_trained[s] != -1 || (untrained_ok && st->memo_untrained[s] != -1)) {
		int t = -1, u = -1,
		    start = in->nvolunteers
				? (int)roster_rng_below(&st->rng, (uint32_t)in->nvolunteers)
				: 0;
		for (int i = 0; i < in->nvolunteers && (t < 0 || u < 0); i++) {
			int v = (start + i) % in->nvolunteers;
			if ((in->volunteer[v].trained ? t : u) >= 0 || !fits(st, s, v))
				continue;
			if (in->volunteer[v].trained)
				t = v;
			else
				u = v;
		}
		st->memo_trained[s] = t;
		st->memo_untrained[s] = u;
		if (t >= 0)
			return t;
		if (untrained_ok && u >= 0)
			return u;
	}
	return -1;
}

static int try_fill(struct state *st, int s, int depth, int spare_kept);

/* move_and_fill: v leaves s2 for s; s2's free place is filled (directly at
 * depth 1, by a further move deeper). Undone when that fails. */
static int move_and_fill(struct state *st, int s, int v, int s2, int depth, int spare_kept)
{
	const struct roster_instance *in = st->in;
	int w, rc;

	if (st->in_chain[s2] || st->budget-- <= 0)
		return 0;
	if (spare_kept && roster_previous_has(st->prev, in->nprevious, s2, v))
		return 0;
	unassign(st, s2, v);
	if (depth == 1) {
		/* v first takes s, which keeps v itself from being s2's filler. */
		if (assign(st, s, v))
			return LIN_ENOMEM;
		w = filler(st, s2, untrained_room(st, s2));
		if (w >= 0)
			return assign(st, s2, w) ? LIN_ENOMEM : 1;
		unassign(st, s, v);
	} else {
		if (assign(st, s, v))
			return LIN_ENOMEM;
		st->in_chain[s2] = 1;
		rc = try_fill(st, s2, depth - 1, spare_kept);
		st->in_chain[s2] = 0;
		if (rc)
			return rc;
		unassign(st, s, v);
	}
	return assign(st, s2, v) ? LIN_ENOMEM : 0;
}

/* try_fill: one more volunteer on s, directly or by a chain of at most
 * depth moves. Returns 1 when done, 0 when not, LIN_ENOMEM. */
static int try_fill(struct state *st, int s, int depth, int spare_kept)
{
	const struct roster_instance *in = st->in;
	int start, rc;

	if (st->held[s] >= in->shift[s].need || !in->nvolunteers)
		return 0;
	st->in_chain[s] = 1;
	start = (int)roster_rng_below(&st->rng, (uint32_t)in->nvolunteers);
	for (int i = 0; i < in->nvolunteers; i++) {
		int v = (start + i) % in->nvolunteers;
		const struct roster_volunteer *vo = &in->volunteer[v];
		struct block b;
		if (!vo->trained && !untrained_room(st, s))
			continue;
		if (!allowed(st, s, v))
			continue;
		blocking(st, s, v, &b);
		if (b.on)
			continue;
		if (block_free(st, v, &b)) {
			st->in_chain[s] = 0;
			return assign(st, s, v) ? LIN_ENOMEM : 1;
		}
		if (!depth || b.overlaps > 1)
			continue;
		if (b.overlaps == 1) {
			int o = b.overlap_shift;
			if (b.nday - (st->day[o] == st->day[s]) >= vo->max_per_day ||
			    b.nweek - (st->week[o] == st->week[s]) >= vo->max_per_week)
				continue;
			rc = move_and_fill(st, s, v, o, depth, spare_kept);
			if (rc) {
				st->in_chain[s] = 0;
				return rc;
			}
			continue;
		}
		for (int k = 0; k < st->count[v]; k++) {
			int o = st->list[v][k];
			if (b.nday >= vo->max_per_day && st->day[o] != st->day[s])
				continue;
			if (b.nweek >= vo->max_per_week && st->week[o] != st->week[s])
				continue;
			rc = move_and_fill(st, s, v, o, depth, spare_kept);
			if (rc) {
				st->in_chain[s] = 0;
				return rc;
			}
		}
		if (st->budget <= 0)
			break;
	}
	st->in_chain[s] = 0;
	return 0;
}

/* augment: passes over the short shifts until a pass adds no one. The
 * budgets count moves, not seconds, so a seed always gives one roster. A
 * kept assignment is never moved: re-planning mid-week changes only what
 * it must (CBC, exact, may give one up for more coverage). */
static int augment(struct state *st, const struct scarce *order)
{
	const struct roster_instance *in = st->in;
	static const struct {
		int depth, spare_kept;
		long budget;
	} rounds[] = {{1, 1, 4000}, {2, 1, 400}};

	for (size_t r = 0; r < sizeof(rounds) / sizeof(rounds[0]); r++)
		for (int pass = 0, improved = 1; improved && pass < 8; pass++) {
			improved = 0;
			for (int s = 0; s < in->nshifts; s++)
				if (st->memo_trained[s] == -1)
					st->memo_trained[s] = -2;
			for (int s = 0; s < in->nshifts; s++)
				if (st->memo_untrained[s] == -1)
					st->memo_untrained[s] = -2;
			for (int k = 0; k < in->nshifts; k++) {
				int s = order[k].shift, rc = 1;
				while (rc == 1 && st->held[s] < in->shift[s].need) {
					st->budget = rounds[r].budget;
					rc = try_fill(st, s, rounds[r].depth, rounds[r].spare_kept);
					if (rc < 0)
						return rc;
					improved += rc;
				}
			}
		}
	return 0;
}

/* ---- fairness ---- */

/* fairness: a shift moves from v to w when w holds at least two fewer
 * (Σ count² falls), never touching a kept assignment. */
static int fairness(struct state *st)
{
	const struct roster_instance *in = st->in;

	for (int pass = 0, moved = 1; moved && pass < 6; pass++) {
		moved = 0;
		for (int s = 0; s < in->nshifts; s++)
			for (int i = 0; i < st->held[s]; i++) {
				int v = st->member[st->member_at[s] + i], best = -1;
				if (roster_previous_has(st->prev, in->nprevious, s, v))
					continue;
				unassign(st, s, v);
				for (int w = 0; w < in->nvolunteers; w++) {
					if (w == v || st->count[w] + 1 > st->count[v])
						continue;
					if (best >= 0 && st->count[w] >= st->count[best])
						continue;
					if (can_join(st, s, w))
						best = w;
				}
				if (assign(st, s, best >= 0 ? best : v))
					return LIN_ENOMEM;
				moved += best >= 0;
			}
	}
	return 0;
}

/* ---- results ---- */

static int to_result(struct state *st, struct roster_result *out)
{
	const struct roster_instance *in = st->in;
	int n = 0;

	for (int s = 0; s < in->nshifts; s++)
		n += st->held[s];
	out->assign = malloc((size_t)(n ? n : 1) * sizeof(*out->assign));
	if (!out->assign)
		return LIN_ENOMEM;
	for (int s = 0; s < in->nshifts; s++)
		for (int i = 0; i < st->held[s]; i++)
			out->assign[out->nassign++] =
			    (struct roster_pair){s, st->member[st->member_at[s] + i]};
	return roster_finish(in, out);
}

static int load(struct state *st, const struct roster_result *r)
{
	for (int i = 0; i < r->nassign; i++)
		if (assign(st, r->assign[i].shift, r->assign[i].volunteer))
			return LIN_ENOMEM;
	return 0;
}

int roster_polish(const struct roster_instance *in, struct roster_result *r, uint64_t seed)
{
	struct state st;
	struct roster_result better;
	int rc = state_init(&st, in, seed);

	if (rc)
		return rc;
	memset(&better, 0, sizeof(better));
	rc = load(&st, r);
	if (!rc)
		rc = fairness(&st);
	if (!rc)
		rc = to_result(&st, &better);
	state_release(&st);
	if (rc) {
		roster_result_release(&better);
		return rc;
	}
	better.solver = r->solver;
	better.optimal = r->optimal;
	better.bound = r->bound;
	better.seconds = r->seconds;
	roster_result_release(r);
	*r = better;
	return 0;
}

int roster_heuristic(const struct roster_instance *in, const struct roster_options *o,
		     struct roster_result *out)
{
	struct state st;
	struct scarce *order;
	double t0 = lin_monotonic();
	int64_t bound = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = state_init(&st, in, o->seed);
	if (rc)
		return rc;
	order = malloc(((size_t)in->nshifts + 1) * sizeof(*order));
	if (!order) {
		state_release(&st);
		return LIN_ENOMEM;
	}
	rc = keep_previous(&st);
	if (!rc)
		rc = scarcity(&st, order, &bound);
	if (!rc)
		rc = greedy_fill(&st, order);
	if (!rc)
		rc = augment(&st, order);
	if (!rc)
		rc = fairness(&st);
	if (!rc)
		rc = to_result(&st, out);
	free(order);
	state_release(&st);
	if (rc) {
		roster_result_release(out);
		return rc;
	}
	out->solver = "heuristic";
	out->bound = bound;
	out->optimal = out->covered >= bound;
	out->seconds = lin_monotonic() - t0;
	return 0;
}
