/* The count of an owners' assembly under Civil Code Art. 278 and the SPC
 * interpretation Art. 9, with exact arithmetic: areas are integers of
 * 0.01 m², every threshold a cross-multiplication, no floating point.
 * Pure: no I/O, no database. `linli assembly tally` (the auditors' stable
 * offline interface) and the server's own count both use it.
 *
 *   quorum (every matter): participating area * 3 >= total area * 2
 *                          AND participating owners * 3 >= all owners * 2
 *   items 6-8:  agree area * 4 >= participating area * 3
 *               AND agree owners * 4 >= participating owners * 3
 *   other items: agree area * 2 > participating area
 *               AND agree owners * 2 > participating owners
 *   passed = quorum met AND approved. Abstaining takes part, does not agree. */
#ifndef LINLI_ASSEMBLY_TALLY_H
#define LINLI_ASSEMBLY_TALLY_H

#include "../base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tally_choice { TALLY_AGREE, TALLY_OPPOSE, TALLY_ABSTAIN };

/* One exclusive part of the roll. Parts with equal owner strings are one
 * owner (the developer's unsold parts share one owner string). */
struct tally_part {
	const char *unit;
	const char *owner;
	int64_t area_centi; /* > 0 */
};

struct tally_matter {
	const char *code;
	int item; /* Art. 278 item, 1..9 */
};

/* One ballot, in the order cast: a later ballot of the same owner on the
 * same matter supersedes the earlier one. */
struct tally_ballot {
	const char *owner;
	const char *matter; /* a matter's code */
	enum tally_choice choice;
};

struct tally_matter_result {
	const char *code; /* borrowed from the matter */
	int item;
	const char *rule; /* "more_than_half" or "at_least_three_quarters" */
	int64_t participating_owners, participating_area_centi;
	int64_t agree_owners, agree_area_centi;
	int64_t oppose_owners, oppose_area_centi;
	int64_t abstain_owners, abstain_area_centi;
	int64_t superseded; /* ballots on this matter not counted: superseded */
	bool quorum_met, passed;
};

struct tally_result {
	int64_t owners;	    /* headcount per Art. 9 */
	int64_t area_centi; /* total exclusive area */
	size_t nmatters;
	struct tally_matter_result *matters; /* tally_result_free frees */
};

/* Why the input was refused: which entry (0-based index into parts or
 * ballots, or matters) and a reason in zh-CN and English. */
struct tally_error {
	const char *what; /* "part", "ballot", "matter" */
	size_t index;
	char reason[160];
};

/* tally_count counts. LIN_EINVAL (err filled, nothing counted) for a
 * ballot of an owner not on the roll, for a matter not named, a duplicate
 * matter code, an item outside 1..9, a part with a non-positive area, an
 * empty roll. LIN_ENOMEM. On success the caller frees *out. */
int tally_count(const struct tally_part *parts, size_t nparts, const struct tally_matter *matters,
		size_t nmatters, const struct tally_ballot *ballots, size_t nballots,
		struct tally_result *out, struct tally_error *err);
void tally_result_free(struct tally_result *r);

/* tally_area_parse: "123.45" -> 12345; at most two decimals, > 0, no sign,
 * no exponent. LIN_EINVAL otherwise. tally_area_format: 12345 -> "123.45". */
int tally_area_parse(const char *s, int64_t *centi);
void tally_area_format(struct buf *b, int64_t centi);

/* tally_choice_parse: "agree" | "oppose" | "abstain". */
int tally_choice_parse(const char *s, enum tally_choice *out);
const char *tally_choice_name(enum tally_choice c);

/* tally_rule: the rule name of an item; NULL outside 1..9. */
const char *tally_rule(int item);

/* The thresholds themselves, for those who show progress towards them
 * (areas in 0.01 m², at most 10^14 of them). tally_quorum: area * 3 >=
 * total_area * 2 and owners * 3 >= all_owners * 2. tally_approved: the
 * item's rule (see above) on the participating area and owners. */
bool tally_quorum(int64_t area, int64_t total_area, int64_t owners, int64_t all_owners);
bool tally_approved(int item, int64_t agree_area, int64_t area, int64_t agree_owners,
		    int64_t owners);

/* tally_ratio_format: num / den as a percentage for reading, two places
 * rounded half up ("66.67%"); "-" when den is 0. Never for deciding: a
 * share just under two thirds may read 66.67% too. */
void tally_ratio_format(struct buf *b, int64_t num, int64_t den);

#endif
