/* The square-dance staggered schedule (错峰): teams share a plaza split
 * into zones, and the façades around it (receptors) must stay under their
 * limits. This header is the model, its solvers (a fast heuristic and an
 * exact MIP with CBC in a worker process), the independent checker, and
 * JSON in and out. No database, no HTTP: callers build a sched_instance. */
#ifndef LINLI_SCHEDULE_SCHEDULE_H
#define LINLI_SCHEDULE_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define SCHED_MAX_DAYS	    7	 /* days of a week; day 0 is Monday (周一) */
#define SCHED_MAX_SLOTS	    64	 /* slots of an evening (bit masks are uint64_t) */
#define SCHED_MAX_ZONES	    64	 /* zones of a plaza (bit masks are uint64_t) */
#define SCHED_MAX_RECEPTORS 64	 /* façades assessed */
#define SCHED_MAX_TEAMS	    4096 /* teams of one instance */
#define SCHED_MAX_CAPACITY  16	 /* teams at once in one zone */
#define SCHED_NAME_MAX	    96	 /* bytes of a name, NUL included (UTF-8) */
#define SCHED_LABEL_MAX	    16	 /* bytes of a slot label such as "19:30" */
#define SCHED_REASON_MAX    320	 /* bytes of an unplaced team's reason */
#define SCHED_MESSAGE_MAX   512	 /* bytes of a checker or parser message */

/* ---- the instance ---- */

struct sched_zone {
	char name[SCHED_NAME_MAX]; /* "东区" */
	int capacity;		   /* teams that may dance in the zone at once, 0..16 */
};

struct sched_receptor {
	char name[SCHED_NAME_MAX]; /* a façade, "3号楼南面" */
	int64_t limit_centi;	   /* allowed level, hundredths of dB(A) */
	int64_t background_centi;  /* level without any team, hundredths of dB(A) */
};

struct sched_team {
	char name[SCHED_NAME_MAX]; /* "红枫舞蹈队" */
	int sessions;		   /* sessions wanted per week, 0..ndays */
	int64_t l10m_centi;	   /* the team's level at 10 m, hundredths of dB(A) */
	uint64_t pref_zones;	   /* bit z: zone z is preferred */
	uint64_t pref_slots;	   /* bit s: slot index s is preferred */
	unsigned allowed_days;	   /* bit d: the team may dance on day d */
	int prime_history;	   /* prime-time sessions in previous weeks, 0..1000 */
};

/* Objective weights, all >= 0 (see the objective below). */
struct sched_weights {
	int64_t placed; /* per placed session; large, so placing dominates */
	int64_t zone;	/* per session in a preferred zone */
	int64_t slot;	/* per session in a preferred slot */
	int64_t fair;	/* per prime-time session, times the team's prime_history */
};

#define SCHED_DEFAULT_WEIGHTS ((struct sched_weights){1000, 30, 20, 5})

/* One week's problem. Slot times are the caller's business (labels are for
 * messages only); the caller closes the slots in the night period or outside
 * the place manager's allowed periods through slot_open (every zone) and
 * zone_open (one zone's periods; a session in zone z at slot s needs both).
 *
 * Decision: team t gets up to teams[t].sessions sessions, at most one per
 * day, each a (day, slot, zone) with the day in allowed_days and the slot
 * open that day, such that
 *   - at most zone[z].capacity teams dance in zone z at each (day, slot);
 *   - at each receptor r and (day, slot) the energetic sum
 *       10·lg(10^(bg_r/10) + Σ 10^(L_tzr/10)) <= limit_r,
 *     L_tzr = l10m_t − 20·lg(d_zr / 10 m)  (simplified ISO 9613-2: spherical
 *     spreading from the 10 m reference, no ground or barrier terms; the
 *     distance d_zr is clamped to >= 1 m). It is linear in the decisions:
 *       Σ x·10^(L_tzr/10) <= 10^(limit_r/10) − 10^(bg_r/10).
 * Objective (integer, maximised), summed over placed sessions (t, d, s, z):
 *     w.placed + w.zone·[z preferred by t] + w.slot·[s preferred by t]
 *              − w.fair·prime_history_t·[s is prime].
 * Validation requires w.placed > w.fair·prime_history_t for every team, so
 * every placed session adds at least 1: a solver never leaves a session out
 * to dodge the fairness term; with the default weights placing one more
 * session is worth more than 20 preferences. */
struct sched_instance {
	int ndays;					   /* days, 1..7 (usually 7) */
	int nslots;					   /* slots per evening, 1..64 */
	int nzones;					   /* 1..64 */
	int nreceptors;					   /* 0..64 */
	int nteams;					   /* 0..4096 */
	char slot_label[SCHED_MAX_SLOTS][SCHED_LABEL_MAX]; /* "19:00", or "" */
	uint64_t prime;					   /* bit s: slot s is prime time */
	uint64_t slot_open[SCHED_MAX_DAYS];		   /* bit s of [d]: open that day */
	uint64_t zone_open[SCHED_MAX_ZONES];	 /* bit s of [z]: the zone's rules allow slot s */
	struct sched_zone zone[SCHED_MAX_ZONES]; /* [nzones] */
	struct sched_receptor receptor[SCHED_MAX_RECEPTORS];   /* [nreceptors] */
	int32_t dist_dm[SCHED_MAX_ZONES][SCHED_MAX_RECEPTORS]; /* zone to façade, decimetres > 0 */
	struct sched_weights weights;			       /* objective weights */
	struct sched_team *team; /* [nteams], owned (sched_instance_init) */
};

/* sched_instance_init empties in and allocates nteams zeroed teams (owned
 * by in, freed by sched_instance_release); weights are the defaults, every
 * slot of every day open, nothing prime. The caller fills in the rest.
 * Returns 0, LIN_EINVAL for nteams out of range, or LIN_ENOMEM. */
int sched_instance_init(struct sched_instance *in, int nteams);
void sched_instance_release(struct sched_instance *in);
/* sched_instance_validate checks every range documented above (counts,
 * capacities, levels 0..150 dB, distances > 0, sessions <= ndays, masks
 * within their counts, names non-empty UTF-8, the weights rule). Returns 0
 * or LIN_EINVAL with the first problem in err, zh-CN then English. */
int sched_instance_validate(const struct sched_instance *in, char *err, size_t errlen);

/* ---- shared arithmetic: the heuristic and the MIP use these ---- */

/* sched_level_db: the level in dB(A) at dist_dm decimetres of a source that
 * gives l10m_centi at 10 m: l10m − 20·lg(max(d, 1 m) / 10 m). */
double sched_level_db(int64_t l10m_centi, int32_t dist_dm);
/* sched_level_add: the energetic sum of two levels, 10·lg(10^(a/10) + 10^(b/10)). */
double sched_level_add(double a_db, double b_db);
/* sched_share: team t in zone z as a fraction of receptor r's budget
 * 10^(limit/10) − 10^(bg/10); HUGE_VAL when the background alone is at or
 * above the limit. A (day, slot) is within the limits at r when the shares
 * of the teams dancing then sum to at most 1 (+ SCHED_SHARE_SLACK). */
double sched_share(const struct sched_instance *in, int t, int z, int r);
#define SCHED_SHARE_SLACK 1e-9
/* sched_fits_alone: team t alone in zone z keeps every receptor within its
 * limit. Placements that do not are never made (nor are they MIP columns). */
int sched_fits_alone(const struct sched_instance *in, int t, int z);
/* sched_session_value: the objective term of team t in slot s, zone z. */
int64_t sched_session_value(const struct sched_instance *in, int t, int s, int z);

/* ---- timetables ---- */

enum sched_solver {
	SCHED_SOLVER_NONE,	/* read from a file, solver unknown */
	SCHED_SOLVER_HEURISTIC, /* sched_heuristic */
	SCHED_SOLVER_CBC,	/* sched_cbc */
	SCHED_SOLVER_AUTO,	/* options only: heuristic, then CBC when small */
};

/* sched_solver_parse: the solver a user named ("heuristic", "cbc" or
 * "auto"); LIN_EINVAL for any other name. */
int sched_solver_parse(const char *name, enum sched_solver *out);
/* sched_solver_name: "heuristic", "cbc", "auto" or "none". */
const char *sched_solver_name(enum sched_solver s);

struct sched_session {
	int day;  /* 0..ndays-1 */
	int slot; /* 0..nslots-1 */
	int zone; /* 0..nzones-1 */
};

/* One team's week. */
struct sched_plan {
	int count;				      /* sessions placed */
	struct sched_session session[SCHED_MAX_DAYS]; /* [count], by day */
	char reason[SCHED_REASON_MAX]; /* why sessions are missing, zh-CN then English; "" */
};

struct sched_timetable {
	int nteams;		  /* as the instance's */
	struct sched_plan *plan;  /* [nteams], owned (sched_timetable_init) */
	int64_t objective;	  /* the objective of plan (the checker recomputes it) */
	int64_t bound;		  /* an upper bound on the optimum known to the solver */
	enum sched_solver solver; /* who produced it */
	int optimal;		  /* 1 when proven optimal (objective == bound) */
	double seconds;		  /* wall-clock time the solver took */
};

/* sched_timetable_init: nteams empty plans, owned by tt and freed by
 * sched_timetable_release. Returns 0, LIN_EINVAL or LIN_ENOMEM. */
int sched_timetable_init(struct sched_timetable *tt, int nteams);
void sched_timetable_release(struct sched_timetable *tt);
/* sched_timetable_copy: dst (released first if it held plans) becomes a
 * copy of src. */
int sched_timetable_copy(struct sched_timetable *dst, const struct sched_timetable *src);
/* sched_objective: the objective of tt's plans by the formula above. */
int64_t sched_objective(const struct sched_instance *in, const struct sched_timetable *tt);
/* sched_explain writes a reason for every team with fewer sessions than it
 * wants (and clears the others): "no open slot on its allowed days",
 * "alone in every zone it would exceed receptor R: 58.3 > 55.0 dB(A)",
 * "zones full", or "receptors at their limits then", each zh-CN first. */
void sched_explain(const struct sched_instance *in, struct sched_timetable *tt);

/* ---- solving ---- */

/* Test hooks for the CBC worker (never set them in production). */
enum sched_worker_fault {
	SCHED_FAULT_NONE,
	SCHED_FAULT_ABORT,   /* the child aborts before it answers */
	SCHED_FAULT_HANG,    /* the child never answers and must be killed */
	SCHED_FAULT_GARBAGE, /* the child answers with an assignment that breaks the limits */
};

struct sched_options {
	enum sched_solver solver; /* for sched_solve: HEURISTIC, CBC or AUTO */
	double time_limit;	  /* CBC's seconds, > 0 */
	double grace;		  /* the worker is killed at 1.25 × time_limit + grace */
	uint64_t seed;		  /* the heuristic's random seed */
	long moves;		  /* local-search moves, 0 for the default (by size) */
	int auto_max_columns;	  /* AUTO runs CBC when the MIP has at most this many columns */
	enum sched_worker_fault fault; /* test hook */
};

/* SCHED_AUTO_MAX_COLUMNS: AUTO's default threshold on x[t,d,s,z] columns
 * (after dropping closed slots, disallowed days and zones where the team
 * alone is too loud). Around 40 teams × 6 zones × 7 days × 8 slots. */
#define SCHED_AUTO_MAX_COLUMNS 15000

/* sched_options_default: AUTO, 30 s, 5 s grace, seed 1, default moves. */
void sched_options_default(struct sched_options *o);

/* sched_heuristic: greedy placement (smallest receptor footprint first,
 * each session where it leaves the most room), then a seeded local search
 * (ejections, re-packing a (day, slot), relocations, swaps). Deterministic
 * for a seed and move count. out is initialised here (release it). Returns 0 or
 * LIN_EINVAL / LIN_ENOMEM. */
int sched_heuristic(const struct sched_instance *in, const struct sched_options *o,
		    struct sched_timetable *out);

/* sched_cbc: the exact MIP solved by CBC in a forked worker process,
 * started from start (may be NULL), stopped at o->time_limit (wall clock)
 * and killed at 1.25 × time_limit + grace. The result has passed
 * sched_check. out is initialised here (release it). Returns 0, or LIN_EIO when the worker died,
 * was killed or answered nonsense, LIN_EINVAL when its answer failed the checker, LIN_ENOTFOUND
 * when CBC found no solution in time; err says which. On error the caller keeps its own timetable.
 */
int sched_cbc(const struct sched_instance *in, const struct sched_timetable *start,
	      const struct sched_options *o, struct sched_timetable *out, char *err, size_t errlen);

/* sched_mip_columns: how many x[t,d,s,z] columns the MIP of in has. */
long sched_mip_columns(const struct sched_instance *in);

/* sched_solve: o->solver; AUTO runs the heuristic and, when it is not
 * proven optimal and the MIP has at most o->auto_max_columns columns, CBC
 * started from it, keeping the better (the heuristic's when CBC fails, with
 * CBC's message in warn). Reasons are filled in. Returns 0 or an error
 * with err set. */
int sched_solve(const struct sched_instance *in, const struct sched_options *o,
		struct sched_timetable *out, char *err, size_t errlen, char *warn, size_t warnlen);

/* sched_write_lp writes the MIP as a CPLEX LP file: variables
 * x_t<team>_d<day>_s<slot>_z<zone>, rows sessions_t<team>,
 * day_t<team>_d<day>, cap_d<day>_s<slot>_z<zone> and
 * rec_r<receptor>_d<day>_s<slot> (shares of the budget, <= 1). Returns 0 or
 * LIN_EIO / LIN_ENOMEM. */
int sched_write_lp(const struct sched_instance *in, FILE *out);

/* ---- the checker ---- */

struct sched_check {
	int ok;					   /* 1 when every rule holds */
	char message[SCHED_MESSAGE_MAX];	   /* the first violation, zh-CN then English */
	int64_t objective;			   /* recomputed from the plans */
	int placed;				   /* sessions placed */
	int wanted;				   /* sessions wanted */
	int64_t worst_margin_centi;		   /* min over receptors and played (day, slot) of
						      limit − level, hundredths (INT64_MAX if none) */
	int worst_receptor, worst_day, worst_slot; /* where (-1 if none) */
};

/* sched_check verifies tt against in from the raw instance alone (its own
 * loops and its own level arithmetic): plan sizes, at most one session per
 * day, allowed days, open slots, indices, zone capacity, every receptor at
 * every (day, slot), and the objective (tt->objective must equal the
 * recomputed one). Levels are compared in hundredths of a dB after rounding
 * half up, so 55.004 passes a 55.00 limit and 55.005 does not: this 0.005 dB
 * tolerance absorbs floating-point differences between solvers and checker.
 * Returns 0 when ok, LIN_EINVAL with out->message otherwise. */
int sched_check(const struct sched_instance *in, const struct sched_timetable *tt,
		struct sched_check *out);

/* ---- JSON and random instances ---- */

struct buf;
/* sched_instance_from_json parses and validates an instance (the format is
 * in docs/noise.md). out is initialised here; on error it is released and
 * err holds the reason. Returns 0 or LIN_EINVAL / LIN_ENOMEM. */
int sched_instance_from_json(const char *text, size_t len, struct sched_instance *out, char *err,
			     size_t errlen);
int sched_instance_to_json(const struct sched_instance *in, struct buf *out);
/* sched_timetable_from_json reads a timetable for in (the checker decides
 * whether it is any good; here only its shape is checked). Without an
 * "objective" the plans' own objective is taken. */
int sched_timetable_from_json(const struct sched_instance *in, const char *text, size_t len,
			      struct sched_timetable *out, char *err, size_t errlen);
/* sched_timetable_to_json: the timetable with its objective, solver,
 * optimal flag, seconds, and each team's sessions and reason; check (may be
 * NULL) adds the worst receptor margin. */
int sched_timetable_to_json(const struct sched_instance *in, const struct sched_timetable *tt,
			    const struct sched_check *check, struct buf *out);

/* sched_random: a realistic instance from seed: nteams teams of 68-82
 * dB(A) at 10 m (mostly quiet), nzones zones of capacity 1-2 at 20-120 m
 * from 3-8 receptors, limits 50-60 (mostly 55 or 60), background 40-48
 * dB(A) and at least 7 dB under the limit, a few preferences, some prime
 * history, slots labelled from 18:00 in 30-minute steps, the middle half
 * of the evening prime. out is initialised here. Returns 0 or LIN_EINVAL. */
int sched_random(struct sched_instance *out, uint64_t seed, int nteams, int nzones, int nslots,
		 int ndays);

#endif
