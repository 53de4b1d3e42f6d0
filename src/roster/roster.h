/* Duty rosters (值班排班): volunteers placed on the shifts of a week or a
 * month (garbage-sorting stations, plaza patrols). This header is the
 * model, its solvers (a fast heuristic and an exact MIP with CBC in a
 * worker process), the independent checker, and JSON in and out. No
 * database, no HTTP: callers build a roster_instance (src/duty does, from
 * its stations, routes and volunteers; `linli roster` does, from a file).
 *
 * The rules (hard; a roster that breaks one is never produced or accepted):
 *   - a volunteer is on a shift at most once;
 *   - no volunteer holds two shifts whose times overlap ([start, end)
 *     intervals that share a second);
 *   - a volunteer holds at most max_per_day shifts starting on one Shanghai
 *     calendar day (UTC+8) and at most max_per_week starting in one ISO
 *     week (Monday 00:00 to Sunday 24:00, Shanghai time);
 *   - a volunteer never holds a shift that overlaps one of their
 *     unavailable spans;
 *   - a shift holds at most need volunteers, of whom at most
 *     need − need_trained untrained (an untrained volunteer never takes a
 *     place kept for a trained one).
 * A shift is filled when it holds need volunteers (so at least
 * need_trained trained); otherwise it is reported unfilled with how many
 * places are missing and why.
 *
 * Objective (maximised, lexicographic, integer):
 *   1. places covered: Σ over shifts of the volunteers it holds;
 *   2. kept: assignments that were in previous (re-planning mid-week keeps
 *      as many as it can);
 *   3. fairness: minus the sum over volunteers of the square of their
 *      shift count (spreads shifts evenly).
 * roster_value folds the three into one int64 for comparisons. */
#ifndef LINLI_ROSTER_ROSTER_H
#define LINLI_ROSTER_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#define ROSTER_ID_MAX	   64	 /* bytes of an id, NUL included */
#define ROSTER_MAX_SHIFTS  20000 /* shifts of one instance */
#define ROSTER_MAX_VOLS	   10000 /* volunteers of one instance */
#define ROSTER_MAX_NEED	   50	 /* volunteers one shift may need */
#define ROSTER_MAX_SPANS   64	 /* unavailable spans of one volunteer */
#define ROSTER_REASON_MAX  320	 /* bytes of an unfilled shift's reason */
#define ROSTER_MESSAGE_MAX 512	 /* bytes of a checker or parser message */

struct roster_span {
	int64_t start, end; /* Unix seconds, start < end */
};

struct roster_shift {
	char id[ROSTER_ID_MAX]; /* the caller's id ("s12", a database id) */
	int64_t start, end;	/* Unix seconds, start < end */
	int need;		/* volunteers wanted, 0..ROSTER_MAX_NEED */
	int need_trained;	/* of whom trained, 0..need */
};

struct roster_volunteer {
	char id[ROSTER_ID_MAX];
	int trained;	  /* 1: a trained sorting guide / patrol leader */
	int max_per_day;  /* >= 0 */
	int max_per_week; /* >= 0 */
	int nunavailable; /* 0..ROSTER_MAX_SPANS */
	struct roster_span unavailable[ROSTER_MAX_SPANS];
};

struct roster_pair {
	int shift;     /* index into shift[] */
	int volunteer; /* index into volunteer[] */
};

struct roster_instance {
	int nshifts, nvolunteers, nprevious;
	struct roster_shift *shift;	    /* [nshifts], owned */
	struct roster_volunteer *volunteer; /* [nvolunteers], owned */
	struct roster_pair *previous;	    /* [nprevious], owned: the roster being re-planned */
};

/* roster_instance_init: zeroed arrays of the given sizes, owned by in and
 * freed by roster_instance_release. Returns 0, LIN_EINVAL (a count out of
 * range) or LIN_ENOMEM. */
int roster_instance_init(struct roster_instance *in, int nshifts, int nvolunteers, int nprevious);
void roster_instance_release(struct roster_instance *in);
/* roster_instance_validate: ids non-empty, unique, UTF-8; start < end;
 * 0 <= need_trained <= need <= ROSTER_MAX_NEED; limits >= 0; spans
 * start < end; previous pairs within range and not repeated. Returns 0 or
 * LIN_EINVAL with the first problem in err (zh-CN, then English, naming
 * the field and the id). */
int roster_instance_validate(const struct roster_instance *in, char *err, size_t errlen);

struct roster_unfilled {
	int shift;			/* index */
	int missing;			/* places short of a filled shift, >= 1 */
	char reason[ROSTER_REASON_MAX]; /* zh-CN, then English */
};

struct roster_result {
	int nassign, nunfilled;
	struct roster_pair *assign;	  /* [nassign], owned, sorted by shift then volunteer */
	struct roster_unfilled *unfilled; /* [nunfilled], owned, by shift */
	int filled;			  /* shifts filled (need and need_trained met) */
	int covered;			  /* places covered (objective 1) */
	int kept;			  /* previous assignments kept (objective 2) */
	int64_t spread;			  /* Σ count² (objective 3, minimised) */
	int64_t bound;			  /* an upper bound on covered known to the solver */
	int optimal;			  /* 1 when covered is proven maximal */
	const char *solver;		  /* "heuristic", "cbc" or "file" */
	double seconds;			  /* wall-clock time taken */
};

void roster_result_release(struct roster_result *r);
/* roster_value: the lexicographic objective as one number. */
int64_t roster_value(const struct roster_instance *in, const struct roster_result *r);

enum roster_solver { ROSTER_HEURISTIC, ROSTER_CBC, ROSTER_AUTO };

struct roster_options {
	enum roster_solver solver;
	double time_limit; /* CBC's seconds, > 0 */
	uint64_t seed;	   /* the heuristic's seed */
};

void roster_options_default(struct roster_options *o); /* AUTO, 30 s, seed 1 */
/* roster_solve: validates, solves, fills in unfilled reasons, and passes
 * the result through roster_check before returning it. AUTO runs the
 * heuristic, then CBC started from it when the instance is small enough,
 * keeping the better. Returns 0 or an error with err set; on error out
 * holds nothing. */
int roster_solve(const struct roster_instance *in, const struct roster_options *o,
		 struct roster_result *out, char *err, size_t errlen);
/* roster_check: every hard rule above, from the raw instance alone, and
 * that filled/covered/kept/unfilled agree with the assignments. Returns 0
 * or LIN_EINVAL with the first violation in err (zh-CN, then English). */
int roster_check(const struct roster_instance *in, const struct roster_result *r, char *err,
		 size_t errlen);

struct buf;
/* JSON (formats in docs/roster.md): times ISO 8601 with an offset. */
int roster_instance_from_json(const char *text, size_t len, struct roster_instance *out, char *err,
			      size_t errlen);
int roster_instance_to_json(const struct roster_instance *in, struct buf *out);
int roster_result_from_json(const struct roster_instance *in, const char *text, size_t len,
			    struct roster_result *out, char *err, size_t errlen);
int roster_result_to_json(const struct roster_instance *in, const struct roster_result *r,
			  struct buf *out);
/* roster_random: a realistic instance (linli roster generate). */
int roster_random(struct roster_instance *out, uint64_t seed, int nvolunteers, int nstations,
		  int ndays);

#endif
