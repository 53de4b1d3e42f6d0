/* The ledger's rules without I/O (model.h). */
#include "model.h"
#include "hours.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>

int hours_source_valid(const char *source)
{
	static const char *const ok[] = {"shift", "activity", "event", "manual"};

	for (size_t i = 0; source && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(source, ok[i]))
			return 1;
	return 0;
}

const char *hours_day_check(const char *day, int64_t today)
{
	int y, m, d;

	if (!day || parse_date(day, &y, &m, &d))
		return "hours.err.day";
	if (lin_days_from_civil(y, m, d) > today)
		return "hours.err.day_future";
	return NULL;
}

const char *hours_note_check(const char *note, int required, const char *empty_key)
{
	if (!note || !note[0])
		return required ? empty_key : NULL;
	if (!utf8_valid(note, strlen(note)) || utf8_chars(note) > HOURS_NOTE_MAX)
		return "hours.err.note";
	return NULL;
}

const char *hours_reversal_check(const char *kind, int64_t entry_minutes, int reversed,
				 int64_t minutes)
{
	if (strcmp(kind, "service"))
		return "hours.err.reverse_kind";
	if (reversed)
		return "hours.err.reversed_twice";
	if (minutes <= 0 || minutes > entry_minutes)
		return "hours.err.reverse_minutes";
	return NULL;
}

const char *hours_gift_check(int64_t credits, int64_t bank_minutes)
{
	if (credits <= 0 || credits > 1000)
		return "hours.err.credits";
	if (credits * 60 > bank_minutes)
		return "hours.err.credits_balance";
	return NULL;
}

const char *const hours_item_names[ITEM_COUNT] = {"meeting_attended", "hour_served",
						  "action_item_done", "event_joined"};
const int64_t hours_item_default[ITEM_COUNT] = {2, 1, 3, 1};

int hours_item_find(const char *name)
{
	for (int i = 0; name && i < ITEM_COUNT; i++)
		if (!strcmp(name, hours_item_names[i]))
			return i;
	return -1;
}

int64_t hours_points(const int64_t counts[ITEM_COUNT], const int64_t points[ITEM_COUNT])
{
	int64_t sum = 0;

	for (int i = 0; i < ITEM_COUNT; i++)
		sum += (i == ITEM_HOUR ? counts[i] / 60 : counts[i]) * points[i];
	return sum;
}

int hours_progress_percent(int64_t served_minutes, int64_t target_minutes)
{
	int64_t p;

	if (target_minutes <= 0 || served_minutes <= 0)
		return 0;
	p = served_minutes * 100 / target_minutes;
	return p > 999 ? 999 : (int)p;
}

void hours_format(int64_t minutes, char out[24])
{
	int64_t tenths = minutes * 10 / 60;
	const char *sign = "";

	if (minutes < 0) {
		sign = "-";
		tenths = -minutes * 10 / 60;
	}
	snprintf(out, 24, "%s%lld.%lld", sign, (long long)(tenths / 10), (long long)(tenths % 10));
}

void hours_growth_count(const char *joined, const char *left, const char *from, const char *to,
			int *in_team, int *joined_in, int *left_in)
{
	char start[11], end[11];
	int gone = left && left[0];

	/* "YYYY-MM-00" sorts before every day of the month, "-99" after. */
	snprintf(start, sizeof(start), "%.7s-00", from);
	snprintf(end, sizeof(end), "%.7s-99", to);
	if (!joined || !joined[0])
		return;
	if (strcmp(joined, end) <= 0 && (!gone || strcmp(left, end) > 0))
		(*in_team)++;
	if (strcmp(joined, start) > 0 && strcmp(joined, end) < 0)
		(*joined_in)++;
	if (gone && strcmp(left, start) > 0 && strcmp(left, end) < 0)
		(*left_in)++;
}

/* month_index: YYYY-MM as months since year 0. */
static int month_index(const char *month)
{
	int y = 0, m = 0;

	for (int i = 0; i < 4 && month[i]; i++)
		y = y * 10 + (month[i] - '0');
	if (strlen(month) >= 7)
		m = (month[5] - '0') * 10 + (month[6] - '0');
	return y * 12 + m - 1;
}

int hours_periods(const char *first, const char *last, struct hours_period *out)
{
	int a = month_index(first), b = month_index(last), step, start, n = 0;

	if (a > b)
		a = b;
	step = b - a < HOURS_PERIODS_MAX ? 1 : b - a < 3 * HOURS_PERIODS_MAX ? 3 : 12;
	start = a - a % step;
	if ((b - start) / step + 1 > HOURS_PERIODS_MAX)
		start = (b - b % step) - (HOURS_PERIODS_MAX - 1) * step;
	if (start < 0)
		start = 0;
	for (int k = start; k <= b; k += step, n++) {
		unsigned y = (unsigned)k / 12 % 10000, m = (unsigned)k % 12 + 1;
		unsigned e = (unsigned)(k + step - 1);
		struct hours_period *p = &out[n];
		snprintf(p->from, sizeof(p->from), "%04u-%02u", y, m);
		snprintf(p->to, sizeof(p->to), "%04u-%02u", e / 12 % 10000, e % 12 + 1);
		if (step == 1)
			snprintf(p->label, sizeof(p->label), "%04u-%02u", y, m);
		else if (step == 3)
			snprintf(p->label, sizeof(p->label), "%04uQ%u", y, (m - 1) / 3 + 1);
		else
			snprintf(p->label, sizeof(p->label), "%04u", y);
	}
	return n;
}
