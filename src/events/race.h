/* The orienteering race's results as a pure function: no I/O, no SQL.
 * Given the course (checkpoints in their set order, with points), the
 * rules and each team's start and punches (the server's times), it says
 * what each team has found, what it missed or punched out of order, its
 * time, penalty and score, and the ranking with ties shared.
 *
 * Rules, decided here and documented in docs/events.md:
 * - ORDERED: counted are the most punches that follow the set order
 *   (read in time order, a checkpoint may be skipped: it is then missed,
 *   and those after it still count); of equal choices, the one that
 *   reaches its last checkpoint soonest. A punched checkpoint not counted
 *   is marked wrong order; one never punched, missed. Ranked by
 *   checkpoints counted (more first), then time (start to the last counted
 *   punch, less first); "complete" when every checkpoint counted.
 * - SCORE: every distinct checkpoint punched scores its points, in any
 *   order. Time is start to finish (or to the last punch while running);
 *   beyond the limit each minute late costs penalty points, and a started
 *   minute counts whole (limit + 1 s is one minute late; exactly the limit
 *   is not late). The score never falls below zero. Ranked by score, then
 *   checkpoints, then time.
 * - Either rule: a punch before the start or after the finish, or a
 *   second punch at a checkpoint, is ignored (the store refuses them too),
 *   so nothing is counted twice. Teams equal on every key share a rank;
 *   the next rank skips (1, 1, 3). */
#ifndef LINLI_EVENTS_RACE_H
#define LINLI_EVENTS_RACE_H

#include <stdint.h>

#define RACE_MAX_CHECKPOINTS 64

enum race_rule { RACE_ORDERED, RACE_SCORE };

/* What became of one checkpoint for one team. */
enum race_mark {
	RACE_MISSED = 0,  /* never punched */
	RACE_OK,	  /* punched and counted */
	RACE_WRONG_ORDER, /* punched, but before an earlier one (ORDERED) */
};

struct race_rules {
	enum race_rule rule;	    /* ORDERED or SCORE */
	int64_t time_limit;	    /* seconds from the start (SCORE; 0: none) */
	int64_t penalty_per_minute; /* points per started minute late (SCORE) */
};

struct race_checkpoint {
	int64_t id; /* the checkpoint's id (punches name it) */
	int points; /* SCORE: what it is worth */
};

struct race_punch {
	int64_t checkpoint_id; /* where */
	int64_t at;	       /* when (epoch seconds, the server's clock) */
};

struct race_team {
	int64_t id;			  /* the team's id */
	int64_t start_at;		  /* its start time */
	int64_t finished_at;		  /* 0 while running */
	const struct race_punch *punches; /* borrowed, any order */
	int npunches;			  /* entries in punches */
};

struct race_result {
	int64_t team_id;  /* the team */
	int found;	  /* checkpoints counted */
	int points;	  /* SCORE: points of those */
	int minutes_late; /* SCORE: started minutes beyond the limit */
	int penalty;	  /* SCORE: minutes_late * penalty_per_minute */
	int score;	  /* SCORE: points - penalty, at least 0; ORDERED: found */
	int64_t elapsed;  /* seconds from the start (see the rules), 0 if none counted */
	int complete;	  /* ORDERED: every checkpoint counted */
	int wrong_order;  /* punches marked wrong order */
	int missed;	  /* checkpoints never punched */
	int rank;	  /* 1.., shared by equals */
	unsigned char marks[RACE_MAX_CHECKPOINTS]; /* enum race_mark per checkpoint */
};

/* race_results: one result per team in out (ncp checkpoints in the set
 * order, at most RACE_MAX_CHECKPOINTS; nteams teams), sorted by rank then
 * team id. Returns 0, or -1 when ncp is out of range. */
int race_results(const struct race_rules *rules, const struct race_checkpoint *cp, int ncp,
		 const struct race_team *teams, int nteams, struct race_result *out);

#endif
