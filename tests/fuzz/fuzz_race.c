/* Fuzz target for the orienteering race's results (src/events/race.c):
 * bytes become a course, rules and teams with punches (any times, repeats,
 * unknown checkpoints). Checked against what the rules promise: every
 * checkpoint is counted, missed or wrong order; an ordered team's count
 * equals a brute-force longest run in the set order over the punches it
 * may use; the penalty is by the started minute; the score never falls
 * below zero; ranks follow the keys, equals share, the next skips. */
#include "fuzz.h"
#include "events/race.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TEAMS   8
#define MAX_PUNCHES 12

/* best_run: the most of the usable punches (in window, known, first at
 * their checkpoint) whose checkpoint positions rise with time. */
static int best_run(const int *pos, const int64_t *at, int n)
{
	int best = 0;

	for (unsigned mask = 1; mask < (1u << n); mask++) {
		int k = 0, ok = 1, last = -1;
		int64_t t = -1;
		for (int i = 0; i < n && ok; i++)
			if (mask & (1u << i)) {
				ok = pos[i] > last && at[i] >= t;
				last = pos[i];
				t = at[i];
				k++;
			}
		if (ok && k > best)
			best = k;
	}
	return best;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct race_checkpoint cp[8];
	struct race_team teams[MAX_TEAMS];
	struct race_punch punches[MAX_TEAMS][MAX_PUNCHES];
	struct race_result out[MAX_TEAMS];
	struct race_rules rules;
	size_t at = 0;
	int ncp, nteams;

#define BYTE() (at < size ? data[at++] : 0)
	if (size < 4)
		return 0;
	rules.rule = BYTE() & 1 ? RACE_SCORE : RACE_ORDERED;
	rules.time_limit = BYTE() * 10;
	rules.penalty_per_minute = BYTE() % 20;
	ncp = BYTE() % 9;
	for (int k = 0; k < ncp; k++) {
		cp[k].id = 100 + k;
		cp[k].points = BYTE() % 50;
	}
	nteams = BYTE() % (MAX_TEAMS + 1);
	for (int t = 0; t < nteams; t++) {
		teams[t].id = t + 1;
		teams[t].start_at = 1000 + BYTE();
		teams[t].finished_at = BYTE() & 1 ? teams[t].start_at + BYTE() * 4 : 0;
		teams[t].npunches = BYTE() % (MAX_PUNCHES + 1);
		teams[t].punches = punches[t];
		for (int i = 0; i < teams[t].npunches; i++) {
			punches[t][i].checkpoint_id = 100 + BYTE() % 10; /* 8, 9: unknown */
			punches[t][i].at = 900 + BYTE() * 3;
		}
	}
	FUZZ_CHECK(race_results(&rules, cp, ncp, teams, nteams, out) == 0);
	for (int i = 0; i < nteams; i++) {
		const struct race_result *r = &out[i];
		const struct race_team *t = &teams[r->team_id - 1];
		int ok = 0, missed = 0, wrong = 0, pos[MAX_PUNCHES], n = 0;
		int64_t when[MAX_PUNCHES];
		int seen[8] = {0};
		FUZZ_CHECK(r->team_id >= 1 && r->team_id <= nteams);
		for (int k = 0; k < ncp; k++) {
			ok += r->marks[k] == RACE_OK;
			missed += r->marks[k] == RACE_MISSED;
			wrong += r->marks[k] == RACE_WRONG_ORDER;
		}
		FUZZ_CHECK(ok == r->found && missed == r->missed && wrong == r->wrong_order);
		FUZZ_CHECK(ok + missed + wrong == ncp);
		FUZZ_CHECK(r->score >= 0 && r->elapsed >= 0);
		/* the usable punches in time order (ties: by checkpoint id) */
		struct race_punch p[MAX_PUNCHES];
		int np = 0;
		for (int j = 0; j < t->npunches; j++)
			if (t->punches[j].at >= t->start_at &&
			    (!t->finished_at || t->punches[j].at <= t->finished_at))
				p[np++] = t->punches[j];
		for (int a = 1; a < np; a++)
			for (int b = a; b > 0 && (p[b].at < p[b - 1].at ||
						  (p[b].at == p[b - 1].at &&
						   p[b].checkpoint_id < p[b - 1].checkpoint_id));
			     b--) {
				struct race_punch x = p[b];
				p[b] = p[b - 1];
				p[b - 1] = x;
			}
		for (int j = 0; j < np; j++) {
			int k = (int)(p[j].checkpoint_id - 100);
			if (k >= ncp || seen[k])
				continue;
			seen[k] = 1;
			pos[n] = k;
			when[n++] = p[j].at;
		}
		if (rules.rule == RACE_ORDERED) {
			FUZZ_CHECK(r->found == best_run(pos, when, n));
			FUZZ_CHECK(r->complete == (r->found == ncp));
			FUZZ_CHECK(r->score == r->found);
		} else {
			int points = 0;
			for (int j = 0; j < n; j++)
				points += cp[pos[j]].points;
			FUZZ_CHECK(r->found == n && r->points == points && r->wrong_order == 0);
			if (rules.time_limit > 0 && r->elapsed > rules.time_limit) {
				int64_t late = r->elapsed - rules.time_limit;
				FUZZ_CHECK((int64_t)(r->minutes_late - 1) * 60 < late &&
					   late <= (int64_t)r->minutes_late * 60);
			} else {
				FUZZ_CHECK(r->minutes_late == 0);
			}
			FUZZ_CHECK(r->penalty == r->minutes_late * rules.penalty_per_minute);
			FUZZ_CHECK(r->score == (points > r->penalty ? points - r->penalty : 0));
		}
		if (i == 0)
			FUZZ_CHECK(r->rank == 1);
		else {
			const struct race_result *q = &out[i - 1];
			int same = q->score == r->score && q->found == r->found &&
				   q->elapsed == r->elapsed;
			FUZZ_CHECK(q->score >= r->score);
			FUZZ_CHECK(r->rank == (same ? q->rank : i + 1));
		}
	}
	return 0;
}
