/* The meetings' rules without I/O: the kinds and bodies, the check-in
 * window, attendance states, an action item's states, Shanghai days and
 * times as the forms write them. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>

const char *const meeting_kinds[] = {
    "party_congress",	/* 支部党员大会 */
    "branch_committee", /* 支委会 */
    "party_group",	/* 党小组会 */
    "party_lecture",	/* 党课 */
    "theme_day",	/* 主题党日 */
    "joint",		/* 联席会议 */
    NULL,
};

static int one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

int meeting_kind_valid(const char *kind)
{
	return one_of(kind, meeting_kinds);
}

int meeting_body_valid(const char *body)
{
	static const char *const bodies[] = {"branch", "team", "joint", NULL};
	return one_of(body, bodies);
}

int attendance_status_valid(const char *status)
{
	static const char *const states[] = {"present", "excused", "absent", NULL};
	return one_of(status, states);
}

int meeting_checkin_window(int64_t now, int64_t starts, int64_t ends)
{
	if (now < starts - MEETING_CHECKIN_EARLY)
		return -1;
	return now > ends ? 1 : 0;
}

int meeting_local_time(const char *day, const char *hhmm, int64_t *out)
{
	int y, m, d;
	int64_t h, min;
	char hh[3] = {0}, mm[3] = {0};

	if (!day || !hhmm || parse_date(day, &y, &m, &d) || strlen(hhmm) != 5 || hhmm[2] != ':')
		return LIN_EINVAL;
	memcpy(hh, hhmm, 2);
	memcpy(mm, hhmm + 3, 2);
	if (parse_int64(hh, 0, 23, &h) || parse_int64(mm, 0, 59, &min) || hh[0] == '+' ||
	    hh[0] == '-' || mm[0] == '+' || mm[0] == '-')
		return LIN_EINVAL;
	*out =
	    lin_days_from_civil(y, m, d) * MEETING_DAY + h * 3600 + min * 60 - LIN_SHANGHAI_OFFSET;
	return 0;
}

void meeting_day_text(int64_t t, char out[11])
{
	int y, m, d;
	lin_civil_from_days(lin_local_day(t, LIN_SHANGHAI_OFFSET), &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

void meeting_hhmm(int64_t t, char out[6])
{
	int64_t s = ((t + LIN_SHANGHAI_OFFSET) % MEETING_DAY + MEETING_DAY) % MEETING_DAY;
	snprintf(out, 6, "%02u:%02u", (unsigned)(s / 3600) % 24u, (unsigned)(s / 60 % 60));
}

int meeting_month_range(const char *month, int64_t *from, int64_t *to)
{
	char day[11];
	int y, m, d;

	if (!month || strlen(month) != 7)
		return LIN_EINVAL;
	snprintf(day, sizeof(day), "%s-01", month);
	if (parse_date(day, &y, &m, &d))
		return LIN_EINVAL;
	*from = lin_days_from_civil(y, m, 1) * MEETING_DAY - LIN_SHANGHAI_OFFSET;
	*to = lin_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * MEETING_DAY -
	      LIN_SHANGHAI_OFFSET;
	return 0;
}

int meeting_text_ok(const char *s, size_t min, size_t max)
{
	size_t n;

	if (!s || !utf8_valid(s, strlen(s)))
		return 0;
	n = utf8_chars(s);
	if (min && strspn(s, " \t\r\n") == strlen(s))
		return 0; /* white space alone says nothing */
	return n >= min && n <= max;
}

int action_check(const struct action_change *c, const char **field, const char **key)
{
	static const char *const states[] = {"open", "done", "dropped", NULL};
	int y, m, d;

	if (c->title && !meeting_text_ok(c->title, 1, MEETING_TITLE_MAX)) {
		*field = "title";
		*key = "meet.err.title";
		return LIN_EINVAL;
	}
	if (c->due_on && parse_date(c->due_on, &y, &m, &d)) {
		*field = "due_on";
		*key = "meet.err.due_on";
		return LIN_EINVAL;
	}
	if (c->state && !one_of(c->state, states)) {
		*field = "state";
		*key = "meet.err.action_state";
		return LIN_EINVAL;
	}
	if (c->state && !strcmp(c->state, "dropped") &&
	    (!c->reason || !meeting_text_ok(c->reason, 1, MEETING_TEXT_MAX))) {
		*field = "reason";
		*key = "meet.err.drop_reason";
		return LIN_EINVAL;
	}
	return 0;
}

int agenda_item_check(const char *title, const char *detail, const char *link, const char **field,
		      const char **key)
{
	*field = NULL;
	if (!meeting_text_ok(title, 1, MEETING_TITLE_MAX))
		*field = "title", *key = "meet.err.title";
	else if (!meeting_text_ok(detail ? detail : "", 0, MEETING_TEXT_MAX))
		*field = "detail", *key = "meet.err.detail";
	/* A link leads to a page of this site only. */
	else if (link && (!meeting_text_ok(link, 0, MEETING_TEXT_MAX) ||
			  (*link && (link[0] != '/' || link[1] == '/' || strchr(link, '\\')))))
		*field = "link", *key = "meet.err.link";
	return *field ? LIN_EINVAL : 0;
}
