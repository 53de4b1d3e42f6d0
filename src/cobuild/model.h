/* The rules of co-building with no I/O: what a kind, a source and a date
 * window are, and the matching score (a pure function the unit tests pin
 * with hand-made needs and resources). */
#ifndef LINLI_COBUILD_MODEL_H
#define LINLI_COBUILD_MODEL_H

#include <stdint.h>

#define COBUILD_TEXT_MAX   200 /* characters of a title, a name, "for whom" */
#define COBUILD_NOTE_MAX   2000
#define COBUILD_AMOUNT_MAX 100000000
#define COBUILD_LOAD_DAYS  90 /* "asked lately": claims and offers to the unit in these days */

/* The points of each part of a score (their sum is 100). */
#define SCORE_KIND	  30 /* the resource is of the kind wanted (else no proposal) */
#define SCORE_TIME	  25 /* times the share of the need's days the resource covers */
#define SCORE_CAPACITY	  20 /* times the share of the amount it gives (at most all) */
#define SCORE_DISTANCE	  15 /* same compound; half when either is area-wide; a fifth elsewhere */
#define SCORE_LOAD	  10 /* less COBUILD_LOAD_STEP per time the unit was asked lately */
#define COBUILD_LOAD_STEP 3

/* cobuild_kind_valid: room, volunteers, expertise, money or goods. */
int cobuild_kind_valid(const char *kind);
extern const char *const cobuild_kinds[];
/* cobuild_source_valid: resident, team or committee. */
int cobuild_source_valid(const char *source);
/* cobuild_day: "YYYY-MM-DD" as a day number (days since 1970-01-01);
 * -1 when malformed. */
int64_t cobuild_day(const char *s);
/* cobuild_text_ok: valid UTF-8, min..max characters after trimming. */
int cobuild_text_ok(const char *s, int min, int max);

/* What the matching reads of a need and a resource. Days are day numbers
 * (cobuild_day), both ends included; compound 0 is area-wide. */
struct match_need {
	int64_t id;
	const char *kind;
	int64_t from, to;
	int64_t amount;
	int64_t compound_id;
};
struct match_resource {
	int64_t id, unit_id;
	const char *kind;
	int64_t from, to;
	int64_t amount;
	int64_t compound_id;
	int asks; /* claims and offers to the unit in the last COBUILD_LOAD_DAYS */
};
/* A score, part by part, so the page can explain it. */
struct match_score {
	int total;		  /* the sum of the parts, 0..100 */
	int kind, time, capacity; /* points of each part */
	int distance, load;	  /* (see SCORE_*) */
	int64_t overlap_days;	  /* days of the need the resource covers */
	int64_t need_days;	  /* days of the need */
	int same_compound;	  /* 1 same, 0 either area-wide, -1 different */
};

/* cobuild_score: the score of resource r for need n into out. Returns 1
 * when r may be proposed (same kind, some days in common, some amount),
 * 0 when not (out then all zero). */
int cobuild_score(const struct match_need *n, const struct match_resource *r,
		  struct match_score *out);
/* cobuild_best: the index in res[0..count) of the best resource for n
 * (highest total; then the unit asked less lately; then the lower id),
 * its score in out; -1 when none may be proposed. */
int cobuild_best(const struct match_need *n, const struct match_resource *res, int count,
		 struct match_score *out);

#endif
