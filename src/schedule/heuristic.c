/* The fast schedule heuristic: a greedy placement (the teams that use the
 * least of the receptors' budget first, each where it leaves the most
 * room), improved by a seeded local search of ejections, re-packing of a
 * (day, slot), relocations and swaps.
 * Every zone and receptor stays within its limits throughout, through
 * incremental per-(day, slot) sums of budget shares. */
#include "schedule.h"
#include "internal.h"
#include "../base/err.h"

#include <math.h>
#include <string.h>

/* A place a team could take alone: (day, slot) and zone. */
struct place {
	uint16_t cell; /* day * nslots + slot */
	uint8_t day, slot, zone;
};

/* An undoable step. */
struct step {
	int team, day, slot, zone;
	int placed; /* 1: the step placed the session, 0: removed it */
};

struct heur {
	const struct sched_instance *in;
	int nt, nd, ns, nz, nr;
	int maxcap;		  /* largest zone capacity */
	double *share;		  /* [(t * nz + z) * nr + r] budget shares */
	int64_t *value;		  /* [(t * ns + s) * nz + z] objective terms */
	unsigned char *fits;	  /* [t * nz + z] sched_fits_alone */
	double *footprint;	  /* [t] least, over the zones it fits, of its largest share */
	double *least_share;	  /* [t * nr + r] least share of t at r over the zones it fits */
	struct place *cand;	  /* team t's places at [cand_start[t], cand_start[t + 1]),
				     best value first */
	int *group_end;		  /* [i]: end of the run of equal value holding cand[i] */
	int *cand_start;	  /* [nt + 1] */
	uint32_t *cell_stamp;	  /* [cell] the scan that judged the (day, slot) */
	unsigned char *cell_shut; /* [cell] no zone then can take the scanning team */
	uint32_t stamp;		  /* the current scan */
	int *count;		  /* [cell * nz + z] teams in the zone then */
	int *occupant;		  /* [(cell * nz + z) * maxcap + k] who they are */
	int *busy;		  /* [cell] teams dancing then, any zone */
	double *load;		  /* [cell * nr + r] sum of shares */
	int *pos;		  /* [t * nd + d] s * nz + z of t's session that day, or -1 */
	int *placed;		  /* [t] sessions placed */
	int64_t objective;	  /* of the current placement */
	struct sched_rng rng;	  /* the seeded choices */
	struct step *log;	  /* undo log of the move under way */
	int nlog, caplog;
};

static void heur_release(struct heur *h)
{
	free(h->share);
	free(h->value);
	free(h->fits);
	free(h->footprint);
	free(h->least_share);
	free(h->cand);
	free(h->group_end);
	free(h->cand_start);
	free(h->cell_stamp);
	free(h->cell_shut);
	free(h->count);
	free(h->occupant);
	free(h->busy);
	free(h->load);
	free(h->pos);
	free(h->placed);
	free(h->log);
}

static double share_of(const struct heur *h, int t, int z, int r)
{
	return h->share[((size_t)t * (size_t)h->nz + (size_t)z) * (size_t)h->nr + (size_t)r];
}

static int64_t value_of(const struct heur *h, int t, int s, int z)
{
	return h->value[((size_t)t * (size_t)h->ns + (size_t)s) * (size_t)h->nz + (size_t)z];
}

static int64_t cand_value(const struct heur *h, int t, int i)
{
	return value_of(h, t, h->cand[i].slot, h->cand[i].zone);
}

/* Candidates of one team are sorted by value, best first, after a seeded
 * shuffle, so equal places are met in varied order. */
struct sort_ctx {
	const struct heur *h;
	int team;
};

static int by_value(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *c = arg;
	const struct place *x = a, *y = b;
	int64_t vx = value_of(c->h, c->team, x->slot, x->zone);
	int64_t vy = value_of(c->h, c->team, y->slot, y->zone);

	return vx > vy ? -1 : vx < vy ? 1 : 0;
}

/* team_tables fills the shares, values, fitting zones and footprint of t. */
static void team_tables(struct heur *h, int t)
{
	const struct sched_instance *in = h->in;
	unsigned char *fits = h->fits + (size_t)t * (size_t)h->nz;

	for (int z = 0; z < h->nz; z++) {
		double peak = 0;
		for (int r = 0; r < h->nr; r++) {
			double sh = sched_share(in, t, z, r);
			h->share[((size_t)t * (size_t)h->nz + (size_t)z) * (size_t)h->nr +
				 (size_t)r] = sh;
			if (sh > peak)
				peak = sh;
		}
		fits[z] = (unsigned char)sched_fits_alone(in, t, z);
		if (fits[z] && peak < h->footprint[t])
			h->footprint[t] = peak;
	}
	for (int r = 0; r < h->nr; r++) {
		double least = HUGE_VAL;
		for (int z = 0; z < h->nz; z++)
			if (fits[z] && share_of(h, t, z, r) < least)
				least = share_of(h, t, z, r);
		h->least_share[(size_t)t * (size_t)h->nr + (size_t)r] = least;
	}
	for (int s = 0; s < h->ns; s++)
		for (int z = 0; z < h->nz; z++)
			h->value[((size_t)t * (size_t)h->ns + (size_t)s) * (size_t)h->nz +
				 (size_t)z] = sched_session_value(in, t, s, z);
}

/* list_places counts team t's places, writing them at out when not NULL. */
static size_t list_places(const struct heur *h, int t, struct place *out)
{
	const struct sched_team *te = &h->in->team[t];
	const unsigned char *fits = h->fits + (size_t)t * (size_t)h->nz;
	size_t n = 0;

	if (te->sessions < 1)
		return 0;
	for (int d = 0; d < h->nd; d++) {
		if (!(te->allowed_days >> d & 1))
			continue;
		for (int s = 0; s < h->ns; s++) {
			if (!(h->in->slot_open[d] >> s & 1))
				continue;
			for (int z = 0; z < h->nz; z++) {
				if (!fits[z] || !(h->in->zone_open[z] >> s & 1))
					continue;
				if (out)
					out[n] = (struct place){(uint16_t)(d * h->ns + s),
								(uint8_t)d, (uint8_t)s, (uint8_t)z};
				n++;
			}
		}
	}
	return n;
}

static int heur_init(struct heur *h, const struct sched_instance *in, uint64_t seed)
{
	size_t cells, ncand = 0, nt1, nr1;
	int nt = in->nteams;

	h->in = in;
	h->nt = nt;
	h->nd = in->ndays;
	h->ns = in->nslots;
	h->nz = in->nzones;
	h->nr = in->nreceptors;
	sched_rng_seed(&h->rng, seed);
	for (int z = 0; z < h->nz; z++)
		if (in->zone[z].capacity > h->maxcap)
			h->maxcap = in->zone[z].capacity;
	cells = (size_t)h->nd * (size_t)h->ns;
	nt1 = nt ? (size_t)nt : 1;
	nr1 = h->nr ? (size_t)h->nr : 1;
	h->share = calloc(nt1 * (size_t)h->nz * nr1, sizeof(*h->share));
	h->value = calloc(nt1 * (size_t)h->ns * (size_t)h->nz, sizeof(*h->value));
	h->fits = calloc(nt1 * (size_t)h->nz, sizeof(*h->fits));
	h->footprint = calloc(nt1, sizeof(*h->footprint));
	h->least_share = calloc(nt1 * nr1, sizeof(*h->least_share));
	h->cand_start = calloc((size_t)nt + 1, sizeof(*h->cand_start));
	h->cell_stamp = calloc(cells, sizeof(*h->cell_stamp));
	h->cell_shut = calloc(cells, sizeof(*h->cell_shut));
	h->count = calloc(cells * (size_t)h->nz, sizeof(*h->count));
	h->occupant = calloc(cells * (size_t)h->nz * (size_t)(h->maxcap ? h->maxcap : 1),
			     sizeof(*h->occupant));
	h->busy = calloc(cells, sizeof(*h->busy));
	h->load = calloc(cells * nr1, sizeof(*h->load));
	h->pos = malloc(nt1 * (size_t)h->nd * sizeof(*h->pos));
	h->placed = calloc(nt1, sizeof(*h->placed));
	if (!h->share || !h->value || !h->fits || !h->footprint || !h->least_share ||
	    !h->cand_start || !h->cell_stamp || !h->cell_shut || !h->count || !h->occupant ||
	    !h->busy || !h->load || !h->pos || !h->placed)
		return LIN_ENOMEM;
	for (size_t i = 0; i < (size_t)nt * (size_t)h->nd; i++)
		h->pos[i] = -1;
	for (int t = 0; t < nt; t++) {
		h->footprint[t] = HUGE_VAL;
		team_tables(h, t);
		h->cand_start[t] = (int)ncand;
		ncand += list_places(h, t, NULL);
		if (ncand > (size_t)INT32_MAX / 2)
			return LIN_ENOMEM;
	}
	h->cand_start[nt] = (int)ncand;
	h->cand = malloc((ncand ? ncand : 1) * sizeof(*h->cand));
	h->group_end = malloc((ncand ? ncand : 1) * sizeof(*h->group_end));
	if (!h->cand || !h->group_end)
		return LIN_ENOMEM;
	for (int t = 0; t < nt; t++) {
		int a = h->cand_start[t], b = h->cand_start[t + 1];
		struct sort_ctx ctx = {h, t};
		list_places(h, t, h->cand + a);
		/* Shuffle, then sort by value: qsort is not stable, but it is
		 * deterministic for the same input. */
		for (int i = b - 1; i > a; i--) {
			int j = a + (int)sched_rng_below(&h->rng, (uint32_t)(i - a + 1));
			struct place tmp = h->cand[i];
			h->cand[i] = h->cand[j];
			h->cand[j] = tmp;
		}
		qsort_r(h->cand + a, (size_t)(b - a), sizeof(*h->cand), by_value, &ctx);
		for (int i = b - 1; i >= a; i--)
			h->group_end[i] =
			    i + 1 < b && cand_value(h, t, i) == cand_value(h, t, i + 1)
				? h->group_end[i + 1]
				: i + 1;
	}
	return 0;
}

/* ---- the placement and its undo log ---- */

static int log_push(struct heur *h, int t, int d, int s, int z, int placed)
{
	if (h->nlog == h->caplog) {
		int cap = h->caplog ? h->caplog * 2 : 64;
		struct step *n = realloc(h->log, (size_t)cap * sizeof(*n));
		if (!n)
			return LIN_ENOMEM;
		h->log = n;
		h->caplog = cap;
	}
	h->log[h->nlog++] = (struct step){t, d, s, z, placed};
	return 0;
}

/* fits_now: team t may take (d, s, z) given everyone else placed. */
static int fits_now(const struct heur *h, int t, int d, int s, int z)
{
	size_t cell = (size_t)d * (size_t)h->ns + (size_t)s;
	const double *load = h->load + cell * (size_t)h->nr;
	const double *share = h->share + ((size_t)t * (size_t)h->nz + (size_t)z) * (size_t)h->nr;

	if (h->pos[(size_t)t * (size_t)h->nd + (size_t)d] >= 0)
		return 0;
	if (!(h->in->zone_open[z] >> s & 1))
		return 0;
	if (h->count[cell * (size_t)h->nz + (size_t)z] >= h->in->zone[z].capacity)
		return 0;
	for (int r = 0; r < h->nr; r++)
		if (load[r] + share[r] > 1.0 + SCHED_SHARE_SLACK)
			return 0;
	return 1;
}

static void apply_place(struct heur *h, int t, int d, int s, int z)
{
	size_t cell = (size_t)d * (size_t)h->ns + (size_t)s;
	size_t zc = cell * (size_t)h->nz + (size_t)z;

	h->occupant[zc * (size_t)h->maxcap + (size_t)h->count[zc]] = t;
	h->count[zc]++;
	h->busy[cell]++;
	for (int r = 0; r < h->nr; r++)
		h->load[cell * (size_t)h->nr + (size_t)r] += share_of(h, t, z, r);
	h->pos[(size_t)t * (size_t)h->nd + (size_t)d] = s * h->nz + z;
	h->placed[t]++;
	h->objective += value_of(h, t, s, z);
}

static void apply_remove(struct heur *h, int t, int d, int s, int z)
{
	size_t cell = (size_t)d * (size_t)h->ns + (size_t)s;
	size_t zc = cell * (size_t)h->nz + (size_t)z;
	int *occ = h->occupant + zc * (size_t)h->maxcap;

	for (int k = 0; k < h->count[zc]; k++) {
		if (occ[k] == t) {
			occ[k] = occ[h->count[zc] - 1];
			break;
		}
	}
	h->count[zc]--;
	/* An empty (day, slot) starts again from exact zeros, so rounding
	 * never accumulates over a long search. */
	if (--h->busy[cell] == 0)
		memset(h->load + cell * (size_t)h->nr, 0, (size_t)h->nr * sizeof(*h->load));
	else
		for (int r = 0; r < h->nr; r++)
			h->load[cell * (size_t)h->nr + (size_t)r] -= share_of(h, t, z, r);
	h->pos[(size_t)t * (size_t)h->nd + (size_t)d] = -1;
	h->placed[t]--;
	h->objective -= value_of(h, t, s, z);
}

static int place(struct heur *h, int t, int d, int s, int z)
{
	int rc = log_push(h, t, d, s, z, 1);

	if (!rc)
		apply_place(h, t, d, s, z);
	return rc;
}

static int place_cand(struct heur *h, int t, int i)
{
	return place(h, t, h->cand[i].day, h->cand[i].slot, h->cand[i].zone);
}

static int unplace(struct heur *h, int t, int d)
{
	int p = h->pos[(size_t)t * (size_t)h->nd + (size_t)d];
	int rc = log_push(h, t, d, p / h->nz, p % h->nz, 0);

	if (!rc)
		apply_remove(h, t, d, p / h->nz, p % h->nz);
	return rc;
}

/* undo_to: take back every step after mark. */
static void undo_to(struct heur *h, int mark)
{
	while (h->nlog > mark) {
		struct step *st = &h->log[--h->nlog];
		if (st->placed)
			apply_remove(h, st->team, st->day, st->slot, st->zone);
		else
			apply_place(h, st->team, st->day, st->slot, st->zone);
	}
}

/* ---- searching for a place ---- */

/* cell_shut: during the current scan for team t, whether no zone at the
 * place's (day, slot) can take it: it dances that day already, or even its
 * quietest zone is too loud at some receptor. Judged once per scan. */
static int cell_shut(struct heur *h, int t, const struct place *p)
{
	if (h->cell_stamp[p->cell] != h->stamp) {
		const double *load = h->load + (size_t)p->cell * (size_t)h->nr;
		const double *least = h->least_share + (size_t)t * (size_t)h->nr;
		int shut = h->pos[(size_t)t * (size_t)h->nd + p->day] >= 0;
		for (int r = 0; r < h->nr && !shut; r++)
			shut = load[r] + least[r] > 1.0 + SCHED_SHARE_SLACK;
		h->cell_stamp[p->cell] = h->stamp;
		h->cell_shut[p->cell] = (unsigned char)shut;
	}
	return h->cell_shut[p->cell];
}

static void new_scan(struct heur *h)
{
	if (++h->stamp == 0) {
		memset(h->cell_stamp, 0, (size_t)h->nd * (size_t)h->ns * sizeof(*h->cell_stamp));
		h->stamp = 1;
	}
}

/* best_place: the best-valued place team t fits now, worth at least
 * min_value, the first found from a random start within that value.
 * Returns the candidate's index or -1. */
static int best_place(struct heur *h, int t, int64_t min_value)
{
	int a = h->cand_start[t], b = h->cand_start[t + 1];

	new_scan(h);
	for (int i = a; i < b;) {
		int end = h->group_end[i], k;
		if (cand_value(h, t, i) < min_value)
			return -1;
		k = i + (int)sched_rng_below(&h->rng, (uint32_t)(end - i));
		for (int left = end - i; left > 0; left--, k = k + 1 == end ? i : k + 1) {
			const struct place *p = &h->cand[k];
			if (!cell_shut(h, t, p) && fits_now(h, t, p->day, p->slot, p->zone))
				return k;
		}
		i = end;
	}
	return -1;
}

/* roomy_place: the place team t fits now that is worth the most once the
 * receptor budget it leaves is counted: value − w.placed × the fullest
 * receptor's share after it (a full receptor costs a session). Preferences
 * give way when they would crowd a (day, slot). Returns the candidate's
 * index or -1. */
static int roomy_place(struct heur *h, int t)
{
	int a = h->cand_start[t], b = h->cand_start[t + 1], best = -1;
	double best_score = -HUGE_VAL, k = (double)h->in->weights.placed;

	new_scan(h);
	for (int i = a; i < b; i++) {
		const struct place *p = &h->cand[i];
		const double *load = h->load + (size_t)p->cell * (size_t)h->nr;
		double peak = 0, score;
		if (cell_shut(h, t, p) || !fits_now(h, t, p->day, p->slot, p->zone))
			continue;
		for (int r = 0; r < h->nr; r++) {
			double l = load[r] + share_of(h, t, p->zone, r);
			if (l > peak)
				peak = l;
		}
		score = (double)cand_value(h, t, i) - k * peak;
		if (score > best_score) {
			best_score = score;
			best = i;
		}
	}
	return best;
}

/* sample_place: a place team t fits now, worth at least min_value, among a
 * few drawn at random (half of them among better places, if any): cheaper
 * than a full scan. Returns the candidate's index or -1. */
static int sample_place(struct heur *h, int t, int64_t min_value)
{
	int a = h->cand_start[t], b = h->cand_start[t + 1], better = a, same;

	while (better < b && cand_value(h, t, better) > min_value)
		better = h->group_end[better];
	same = better < b ? h->group_end[better] : b;
	for (int k = 0; k < 16; k++) {
		int up = k < 8 && better > a;
		int from = up ? a : better, to = up ? better : same, i;
		if (to <= from)
			continue;
		i = from + (int)sched_rng_below(&h->rng, (uint32_t)(to - from));
		if (cand_value(h, t, i) >= min_value &&
		    fits_now(h, t, h->cand[i].day, h->cand[i].slot, h->cand[i].zone))
			return i;
	}
	return -1;
}

/* ---- moves: each returns 0 or LIN_ENOMEM and leaves the objective no
 * worse than before ---- */

/* random_session: a random placed session (team, day), or 0 if none. */
static int random_session(struct heur *h, int *t, int *d)
{
	for (int tries = 0; tries < 64; tries++) {
		int k;
		*t = (int)sched_rng_below(&h->rng, (uint32_t)h->nt);
		if (!h->placed[*t])
			continue;
		k = (int)sched_rng_below(&h->rng, (uint32_t)h->placed[*t]);
		for (*d = 0; *d < h->nd; (*d)++)
			if (h->pos[(size_t)*t * (size_t)h->nd + (size_t)*d] >= 0 && k-- == 0)
				return 1;
	}
	return 0;
}

/* relocate: move a session to a place at least as good. */
static int move_relocate(struct heur *h)
{
	int t, d, p, to, mark = h->nlog, rc;
	int64_t before = h->objective;

	if (!random_session(h, &t, &d))
		return 0;
	p = h->pos[(size_t)t * (size_t)h->nd + (size_t)d];
	rc = unplace(h, t, d);
	if (rc)
		return rc;
	to = sample_place(h, t, value_of(h, t, p / h->nz, p % h->nz));
	rc = to >= 0 ? place_cand(h, t, to) : place(h, t, d, p / h->nz, p % h->nz);
	if (rc || h->objective < before)
		undo_to(h, mark);
	return rc;
}

/* swap: two sessions of different teams exchange their places. */
static int move_swap(struct heur *h)
{
	int t1, d1, t2, d2, p1, p2, s1, z1, s2, z2, mark = h->nlog, rc;
	int64_t before = h->objective;

	if (!random_session(h, &t1, &d1) || !random_session(h, &t2, &d2) || t1 == t2)
		return 0;
	p1 = h->pos[(size_t)t1 * (size_t)h->nd + (size_t)d1];
	p2 = h->pos[(size_t)t2 * (size_t)h->nd + (size_t)d2];
	s1 = p1 / h->nz;
	z1 = p1 % h->nz;
	s2 = p2 / h->nz;
	z2 = p2 % h->nz;
	if ((d1 == d2 && p1 == p2) || !(h->in->team[t1].allowed_days >> d2 & 1) ||
	    !(h->in->team[t2].allowed_days >> d1 & 1))
		return 0;
	/* A value loss cannot be made up: check before touching anything. */
	if (value_of(h, t1, s2, z2) + value_of(h, t2, s1, z1) <
	    value_of(h, t1, s1, z1) + value_of(h, t2, s2, z2))
		return 0;
	if (!h->fits[(size_t)t1 * (size_t)h->nz + (size_t)z2] ||
	    !h->fits[(size_t)t2 * (size_t)h->nz + (size_t)z1])
		return 0;
	rc = unplace(h, t1, d1);
	if (!rc)
		rc = unplace(h, t2, d2);
	if (!rc && fits_now(h, t1, d2, s2, z2)) {
		rc = place(h, t1, d2, s2, z2);
		if (!rc && fits_now(h, t2, d1, s1, z1)) {
			rc = place(h, t2, d1, s1, z1);
			if (!rc && h->objective >= before)
				return 0;
		}
	}
	undo_to(h, mark);
	return rc;
}

/* pick_victim: the team at (day, slot) cell to remove for receptor r:
 * mostly the one with the largest share there, now and then any. */
static int pick_victim(struct heur *h, size_t cell, int r)
{
	int pick_random = sched_rng_below(&h->rng, 4) == 0, victim = -1, seen = 0;
	double top = 0;

	for (int z = 0; z < h->nz; z++) {
		size_t zc = cell * (size_t)h->nz + (size_t)z;
		for (int k = 0; k < h->count[zc]; k++) {
			int u = h->occupant[zc * (size_t)h->maxcap + (size_t)k];
			double sh = share_of(h, u, z, r);
			if (pick_random ? sched_rng_below(&h->rng, (uint32_t)++seen) == 0
					: sh > top) {
				top = sh;
				victim = u;
			}
		}
	}
	return victim;
}

/* eject: put team t (a missing session, or its session on day from moved
 * to a better place) at a random place, removing whoever is in the way
 * (at most four), then find the removed sessions new places. Kept when the
 * objective is no worse. */
static int move_eject(struct heur *h, int t, int from)
{
	int a = h->cand_start[t], b = h->cand_start[t + 1], mark = h->nlog, rc = 0;
	int removed[8], nremoved = 0, i = -1, d, s, z;
	int64_t before = h->objective, min_value = 1;
	size_t cell, zc;

	if (a == b)
		return 0;
	if (from >= 0) {
		int q = h->pos[(size_t)t * (size_t)h->nd + (size_t)from];
		min_value = value_of(h, t, q / h->nz, q % h->nz) + 1;
	}
	for (int tries = 0; tries < 8 && i < 0; tries++) {
		int c = a + (int)sched_rng_below(&h->rng, (uint32_t)(b - a));
		int cd = h->cand[c].day;
		if (cand_value(h, t, c) < min_value)
			continue;
		if (h->pos[(size_t)t * (size_t)h->nd + (size_t)cd] >= 0 && cd != from)
			continue;
		i = c;
	}
	if (i < 0)
		return 0;
	d = h->cand[i].day;
	s = h->cand[i].slot;
	z = h->cand[i].zone;
	cell = h->cand[i].cell;
	zc = cell * (size_t)h->nz + (size_t)z;
	if (from >= 0)
		rc = unplace(h, t, from);
	if (!rc && h->count[zc] >= h->in->zone[z].capacity) {
		int u = h->occupant[zc * (size_t)h->maxcap +
				    sched_rng_below(&h->rng, (uint32_t)h->count[zc])];
		rc = unplace(h, u, d);
		removed[nremoved++] = u;
	}
	while (!rc) {
		/* The receptor most over, and a team to remove there. */
		double worst = 1.0 + SCHED_SHARE_SLACK;
		int wr = -1, victim;
		for (int r = 0; r < h->nr; r++) {
			double l = h->load[cell * (size_t)h->nr + (size_t)r] + share_of(h, t, z, r);
			if (l > worst) {
				worst = l;
				wr = r;
			}
		}
		if (wr < 0)
			break;
		victim = nremoved < 4 ? pick_victim(h, cell, wr) : -1;
		if (victim < 0)
			goto revert;
		rc = unplace(h, victim, d);
		removed[nremoved++] = victim;
	}
	if (!rc && !fits_now(h, t, d, s, z))
		goto revert;
	if (!rc)
		rc = place(h, t, d, s, z);
	for (int k = 0; !rc && k < nremoved; k++) {
		int q = best_place(h, removed[k], 1);
		if (q >= 0)
			rc = place_cand(h, removed[k], q);
	}
	if (!rc && h->objective >= before)
		return 0;
revert:
	undo_to(h, mark);
	return rc;
}

/* A team and its sort key. */
struct keyed {
	double key;
	int team;
};

static int by_key(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->team < y->team ? -1 : x->team > y->team;
}

/* repack: empty one (day, slot) and fill it again, smallest footprint first
 * (with some noise), from its own teams and the teams short of a session
 * that could dance then; its teams left out look for places elsewhere.
 * Kept when the objective is no worse. */
static int move_repack(struct heur *h, int *pool, struct keyed *key)
{
	int cell = (int)sched_rng_below(&h->rng, (uint32_t)(h->nd * h->ns));
	int d = cell / h->ns, s = cell % h->ns, n = 0, nold = 0, mark = h->nlog, rc = 0;
	int64_t before = h->objective;
	double k = (double)h->in->weights.placed;

	if (!(h->in->slot_open[d] >> s & 1))
		return 0;
	/* Its own teams first in the pool (pool[0..nold)), then the others. */
	for (int z = 0; z < h->nz; z++) {
		size_t zc = (size_t)cell * (size_t)h->nz + (size_t)z;
		for (int i = 0; i < h->count[zc]; i++)
			pool[n++] = h->occupant[zc * (size_t)h->maxcap + (size_t)i];
	}
	nold = n;
	for (int t = 0; t < h->nt; t++)
		if (h->placed[t] < h->in->team[t].sessions &&
		    h->pos[(size_t)t * (size_t)h->nd + (size_t)d] < 0 &&
		    (h->in->team[t].allowed_days >> d & 1) && h->footprint[t] < HUGE_VAL)
			pool[n++] = t;
	for (int i = 0; i < nold && !rc; i++)
		rc = unplace(h, pool[i], d);
	for (int i = 0; i < n; i++)
		key[i] = (struct keyed){
		    h->footprint[pool[i]] * (1.0 + 0.5 * sched_rng_unit(&h->rng)), pool[i]};
	qsort(key, (size_t)n, sizeof(*key), by_key);
	for (int i = 0; i < n && !rc; i++) {
		int t = key[i].team, best = -1;
		double best_score = -HUGE_VAL;
		if (h->placed[t] >= h->in->team[t].sessions)
			continue;
		for (int z = 0; z < h->nz; z++) {
			double peak = 0, score;
			if (!h->fits[(size_t)t * (size_t)h->nz + (size_t)z] ||
			    !fits_now(h, t, d, s, z))
				continue;
			for (int r = 0; r < h->nr; r++) {
				double l = h->load[(size_t)cell * (size_t)h->nr + (size_t)r] +
					   share_of(h, t, z, r);
				if (l > peak)
					peak = l;
			}
			score = (double)value_of(h, t, s, z) - k * peak;
			if (score > best_score) {
				best_score = score;
				best = z;
			}
		}
		if (best >= 0)
			rc = place(h, t, d, s, best);
	}
	for (int i = 0; i < nold && !rc; i++) {
		int u = pool[i], q;
		if (h->pos[(size_t)u * (size_t)h->nd + (size_t)d] >= 0)
			continue;
		q = best_place(h, u, 1);
		if (q >= 0)
			rc = place_cand(h, u, q);
	}
	if (!rc && h->objective >= before)
		return 0;
	undo_to(h, mark);
	return rc;
}

/* fill: every team short of sessions takes any free place (a full scan per
 * team, too dear for every move). */
static int fill(struct heur *h)
{
	int rc = 0;

	for (int t = 0; t < h->nt && !rc; t++) {
		while (!rc && h->placed[t] < h->in->team[t].sessions) {
			int i = best_place(h, t, 1);
			if (i < 0)
				break;
			rc = place_cand(h, t, i);
		}
	}
	h->nlog = 0;
	return rc;
}

/* ---- the whole heuristic ---- */

/* Greedy order: the smallest footprint first (a session is worth as much
 * whoever dances it, and a quiet team spends less of the receptors'
 * budget, leaving room for more sessions), then the teams with the fewest
 * places per session, then the louder. */
static int by_footprint(const void *a, const void *b, void *arg)
{
	const struct heur *h = arg;
	int x = *(const int *)a, y = *(const int *)b;
	const struct sched_team *tx = &h->in->team[x], *ty = &h->in->team[y];
	double fx =
	    (double)(h->cand_start[x + 1] - h->cand_start[x]) / (tx->sessions ? tx->sessions : 1);
	double fy =
	    (double)(h->cand_start[y + 1] - h->cand_start[y]) / (ty->sessions ? ty->sessions : 1);

	if (h->footprint[x] != h->footprint[y])
		return h->footprint[x] < h->footprint[y] ? -1 : 1;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	if (tx->l10m_centi != ty->l10m_centi)
		return tx->l10m_centi > ty->l10m_centi ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* upper_bound: each team with the plaza to itself, its best place on each
 * of its best days. Reaching it proves the timetable optimal. */
static int64_t upper_bound(const struct heur *h)
{
	int64_t bound = 0;

	for (int t = 0; t < h->nt; t++) {
		int64_t best[SCHED_MAX_DAYS];
		int n = 0;
		for (int d = 0; d < h->nd; d++)
			best[d] = INT64_MIN;
		for (int i = h->cand_start[t]; i < h->cand_start[t + 1]; i++)
			if (cand_value(h, t, i) > best[h->cand[i].day])
				best[h->cand[i].day] = cand_value(h, t, i);
		for (int d = 0; d < h->nd; d++)
			if (best[d] != INT64_MIN)
				best[n++] = best[d];
		for (int i = 1; i < n; i++)
			for (int j = i; j > 0 && best[j] > best[j - 1]; j--) {
				int64_t tmp = best[j];
				best[j] = best[j - 1];
				best[j - 1] = tmp;
			}
		for (int i = 0; i < n && i < h->in->team[t].sessions; i++)
			bound += best[i] > 0 ? best[i] : 0;
	}
	return bound;
}

/* search: the local search, up to moves moves, or until the bound is
 * reached, or until long without a gain. */
static int search(struct heur *h, long moves, int64_t bound)
{
	int *short_teams = malloc((size_t)(h->nt ? h->nt : 1) * sizeof(*short_teams));
	int *pool = malloc(((size_t)h->nt + 1) * sizeof(*pool));
	struct keyed *key = malloc(((size_t)h->nt + 1) * sizeof(*key));
	int64_t best_seen = h->objective;
	long idle = 0, patience = 20000 + 100L * h->nt;
	int rc = 0;

	if (!short_teams || !pool || !key) {
		free(short_teams);
		free(pool);
		free(key);
		return LIN_ENOMEM;
	}
	for (long m = 0; m < moves && !rc && h->objective < bound && idle < patience; m++) {
		unsigned kind = sched_rng_below(&h->rng, 10);
		int nshort = 0, t, d;
		if (m % 1024 == 1023) {
			rc = fill(h);
			if (rc)
				break;
		}
		for (t = 0; kind < 4 && t < h->nt; t++)
			if (h->placed[t] < h->in->team[t].sessions &&
			    h->cand_start[t + 1] > h->cand_start[t])
				short_teams[nshort++] = t;
		if (nshort)
			rc = move_eject(h, short_teams[sched_rng_below(&h->rng, (uint32_t)nshort)],
					-1);
		else if (kind < 5)
			rc = move_repack(h, pool, key);
		else if (kind < 6 && random_session(h, &t, &d))
			rc = move_eject(h, t, d);
		else if (kind < 8)
			rc = move_relocate(h);
		else
			rc = move_swap(h);
		h->nlog = 0;
		if (h->objective > best_seen) {
			best_seen = h->objective;
			idle = 0;
		} else {
			idle++;
		}
	}
	if (!rc)
		rc = fill(h);
	free(short_teams);
	free(pool);
	free(key);
	return rc;
}

int sched_heuristic(const struct sched_instance *in, const struct sched_options *o,
		    struct sched_timetable *out)
{
	struct heur h;
	double start = sched_now();
	int *order = NULL, rc;
	int64_t bound = 0;

	memset(&h, 0, sizeof(h));
	rc = sched_timetable_init(out, in->nteams);
	if (rc)
		return rc;
	rc = sched_instance_validate(in, NULL, 0);
	if (!rc)
		rc = heur_init(&h, in, o ? o->seed : 1);
	if (rc)
		goto out;
	order = malloc((size_t)(h.nt ? h.nt : 1) * sizeof(*order));
	if (!order) {
		rc = LIN_ENOMEM;
		goto out;
	}
	bound = upper_bound(&h);

	/* Greedy, in footprint order, each session where it leaves the most
	 * headroom among the places of its best value. */
	for (int t = 0; t < h.nt; t++)
		order[t] = t;
	qsort_r(order, (size_t)h.nt, sizeof(*order), by_footprint, &h);
	for (int i = 0; i < h.nt && !rc; i++) {
		int t = order[i];
		while (!rc && h.placed[t] < in->team[t].sessions) {
			int k = roomy_place(&h, t);
			if (k < 0)
				break;
			rc = place_cand(&h, t, k);
		}
	}
	h.nlog = 0;
	if (!rc)
		rc = search(&h, o && o->moves > 0 ? o->moves : 20000 + 100L * h.nt, bound);
	if (rc)
		goto out;

	for (int t = 0; t < h.nt; t++) {
		struct sched_plan *p = &out->plan[t];
		for (int d = 0; d < h.nd; d++) {
			int q = h.pos[(size_t)t * (size_t)h.nd + (size_t)d];
			if (q >= 0)
				p->session[p->count++] =
				    (struct sched_session){d, q / h.nz, q % h.nz};
		}
	}
	out->objective = sched_objective(in, out);
	out->bound = bound;
	out->optimal = out->objective == bound;
	out->solver = SCHED_SOLVER_HEURISTIC;
	sched_explain(in, out);
out:
	free(order);
	heur_release(&h);
	if (rc) {
		sched_timetable_release(out);
		sched_timetable_init(out, 0);
	}
	out->seconds = sched_now() - start;
	return rc;
}
