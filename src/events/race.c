/* The orienteering race's results (race.h): pure, so every rule edge is a
 * unit test (tests/unit/test_events_race.c). */
#include "race.h"

#include <stdlib.h>
#include <string.h>

/* by_time orders punches by time, then checkpoint (a stable total order). */
static int by_time(const void *a, const void *b)
{
	const struct race_punch *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->checkpoint_id > y->checkpoint_id) - (x->checkpoint_id < y->checkpoint_id);
}

static int index_of(const struct race_checkpoint *cp, int ncp, int64_t id)
{
	for (int i = 0; i < ncp; i++)
		if (cp[i].id == id)
			return i;
	return -1;
}

/* one_team scores t; punches outside [start, finish] or repeated are
 * ignored. */
/* ordered: of the punches (distinct checkpoints, in time order, idx[i]
 * their place in the course), the most that follow the set order (a
 * longest increasing run of places, not necessarily adjacent); of equal
 * lengths, the one reaching its last checkpoint soonest. Marks those
 * counted OK and the other punched ones WRONG_ORDER. */
static void ordered(const struct race_punch *p, const int *idx, int n, int64_t start,
		    struct race_result *r)
{
	int len[RACE_MAX_CHECKPOINTS], prev[RACE_MAX_CHECKPOINTS], best = -1;

	for (int i = 0; i < n; i++) {
		len[i] = 1;
		prev[i] = -1;
		for (int j = 0; j < i; j++)
			if (idx[j] < idx[i] && len[j] + 1 > len[i]) {
				len[i] = len[j] + 1;
				prev[i] = j;
			}
		if (best < 0 || len[i] > len[best])
			best = i; /* strictly longer: the earliest of equals stays */
		r->marks[idx[i]] = RACE_WRONG_ORDER;
	}
	if (best < 0)
		return;
	r->elapsed = p[best].at - start;
	for (int i = best; i >= 0; i = prev[i]) {
		r->marks[idx[i]] = RACE_OK;
		r->found++;
	}
}

/* one_team scores t; punches outside [start, finish], at unknown
 * checkpoints or repeated are ignored. */
static void one_team(const struct race_rules *rules, const struct race_checkpoint *cp, int ncp,
		     const struct race_team *t, struct race_punch *sorted, struct race_result *r)
{
	int idx[RACE_MAX_CHECKPOINTS], n = 0, m = 0;
	unsigned char seen[RACE_MAX_CHECKPOINTS] = {0};
	int64_t last = 0;

	memset(r, 0, sizeof(*r));
	r->team_id = t->id;
	for (int i = 0; i < t->npunches; i++) {
		const struct race_punch *p = &t->punches[i];
		if (p->at < t->start_at || (t->finished_at && p->at > t->finished_at))
			continue;
		sorted[n++] = *p;
	}
	if (n > 1) /* sorted is NULL when no team punched */
		qsort(sorted, (size_t)n, sizeof(*sorted), by_time);
	for (int i = 0; i < n; i++) {
		int k = index_of(cp, ncp, sorted[i].checkpoint_id);
		if (k < 0 || seen[k])
			continue; /* unknown, or a second punch there */
		seen[k] = 1;
		sorted[m] = sorted[i];
		idx[m++] = k;
	}
	if (rules->rule == RACE_ORDERED) {
		ordered(sorted, idx, m, t->start_at, r);
	} else {
		for (int i = 0; i < m; i++) {
			r->marks[idx[i]] = RACE_OK;
			r->found++;
			r->points += cp[idx[i]].points;
			last = sorted[i].at;
		}
	}
	for (int k = 0; k < ncp; k++) {
		r->missed += r->marks[k] == RACE_MISSED;
		r->wrong_order += r->marks[k] == RACE_WRONG_ORDER;
	}
	if (rules->rule == RACE_ORDERED) {
		r->complete = r->found == ncp;
		r->score = r->found;
		return;
	}
	r->elapsed = t->finished_at ? t->finished_at - t->start_at : (m ? last - t->start_at : 0);
	if (rules->time_limit > 0 && r->elapsed > rules->time_limit)
		r->minutes_late = (int)((r->elapsed - rules->time_limit + 59) / 60);
	r->penalty = (int)(r->minutes_late * rules->penalty_per_minute);
	r->score = r->points > r->penalty ? r->points - r->penalty : 0;
}

/* better: < 0 when a ranks before b; 0 when they are equal on every key. */
static int better(const struct race_result *a, const struct race_result *b)
{
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->found != b->found)
		return a->found > b->found ? -1 : 1;
	if (a->elapsed != b->elapsed)
		return a->elapsed < b->elapsed ? -1 : 1;
	return 0;
}

static int by_rank(const void *a, const void *b)
{
	const struct race_result *x = a, *y = b;
	int c = better(x, y);

	if (c)
		return c;
	return (x->team_id > y->team_id) - (x->team_id < y->team_id);
}

int race_results(const struct race_rules *rules, const struct race_checkpoint *cp, int ncp,
		 const struct race_team *teams, int nteams, struct race_result *out)
{
	struct race_punch *sorted = NULL;
	int most = 0;

	if (ncp < 0 || ncp > RACE_MAX_CHECKPOINTS || nteams < 0)
		return -1;
	for (int i = 0; i < nteams; i++)
		if (teams[i].npunches > most)
			most = teams[i].npunches;
	if (most) {
		sorted = malloc((size_t)most * sizeof(*sorted));
		if (!sorted)
			return -1;
	}
	for (int i = 0; i < nteams; i++)
		one_team(rules, cp, ncp, &teams[i], sorted, &out[i]);
	free(sorted);
	if (nteams > 1)
		qsort(out, (size_t)nteams, sizeof(*out), by_rank);
	for (int i = 0; i < nteams; i++)
		out[i].rank = (i > 0 && !better(&out[i - 1], &out[i])) ? out[i - 1].rank : i + 1;
	return 0;
}
