/* The ledger's rules without I/O: what a credit, a reversal and a gift
 * may be, the points arithmetic and a target's progress. Internal to
 * src/hours; tests/unit/test_hours_model.c drives it. */
#ifndef LINLI_HOURS_MODEL_H
#define LINLI_HOURS_MODEL_H

#include <stdint.h>

/* hours_source_valid: one of the sources a credit may name. */
int hours_source_valid(const char *source);
/* hours_day_check: day is YYYY-MM-DD and not after today (a day number,
 * lin_local_day). 0, or the i18n key of the problem. */
const char *hours_day_check(const char *day, int64_t today);
/* hours_note_check: NULL or at most HOURS_NOTE_MAX characters of valid
 * UTF-8; required says an empty one is refused. 0 or the i18n key. */
const char *hours_note_check(const char *note, int required, const char *empty_key);
/* hours_reversal_check: may minutes (> 0) be reversed of an entry of kind
 * with entry_minutes, already reversed or not? 0 or the i18n key. */
const char *hours_reversal_check(const char *kind, int64_t entry_minutes, int reversed,
				 int64_t minutes);
/* hours_gift_check: may credits (whole credits, 1 h each) be given from
 * a bank of bank_minutes? 0 or the i18n key. */
const char *hours_gift_check(int64_t credits, int64_t bank_minutes);

/* The items of the points table, their defaults and what each counts. */
enum hours_item { ITEM_MEETING, ITEM_HOUR, ITEM_ACTION, ITEM_EVENT, ITEM_COUNT };
extern const char *const hours_item_names[ITEM_COUNT]; /* "meeting_attended", ... */
extern const int64_t hours_item_default[ITEM_COUNT];
/* hours_item_find: the item named name, or -1. */
int hours_item_find(const char *name);
/* hours_points: sum of counts[i] * points[i]; counts of hours are whole
 * hours served (minutes / 60, rounded down). */
int64_t hours_points(const int64_t counts[ITEM_COUNT], const int64_t points[ITEM_COUNT]);
/* hours_progress_percent: served of target as a whole percent, 0..999
 * (0 when there is no target). */
int hours_progress_percent(int64_t served_minutes, int64_t target_minutes);
/* hours_format writes minutes as hours with one decimal ("1.5"), rounded
 * down to the tenth so a shown balance is never more than the real one. */
void hours_format(int64_t minutes, char out[24]);

/* hours_growth_count: of one team membership (joined_on, left_on: "" or
 * NULL while still in; YYYY-MM-DD), whether it was in the team at the end
 * of month to (YYYY-MM), joined in from..to, left in from..to: each 0 or
 * 1 added to the counters. */
void hours_growth_count(const char *joined, const char *left, const char *from, const char *to,
			int *in_team, int *joined_in, int *left_in);
/* The periods a team's growth is drawn in: months over a span of up to
 * two years, quarters up to six, years beyond, aligned to the calendar. */
#define HOURS_PERIODS_MAX 24
struct hours_period {
	char from[8], to[8]; /* first and last month, YYYY-MM */
	char label[12];	     /* "2025-03", "2025Q1" or "2025" */
};
/* hours_periods splits first..last (YYYY-MM, first <= last) into at most
 * HOURS_PERIODS_MAX periods ending with the one holding last. Returns how
 * many. */
int hours_periods(const char *first, const char *last, struct hours_period *out);

#endif
