/* The duty feature's rules without I/O: Shanghai days and weeks, station
 * codes and categories, and a volunteer's weekly pattern and dates away
 * (read from the form's lines, checked for overlaps). */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int duty_refuse(struct duty_err *e, int code, const char *key, const char *field)
{
	if (e) {
		e->key = key;
		e->field = field;
	}
	return code ? code : LIN_EINVAL;
}

/* fmt_day writes y-m-d as YYYY-MM-DD (11 bytes with the NUL). */
static void fmt_day(char out[11], int y, int m, int d)
{
	char tmp[48];

	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y % 10000, m, d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

void duty_day_of(int64_t t, char out[11])
{
	int y, m, d;

	lin_civil_from_days(lin_local_day(t, LIN_SHANGHAI_OFFSET), &y, &m, &d);
	fmt_day(out, y, m, d);
}

void duty_monday(int64_t t, char out[11])
{
	int64_t day = lin_local_day(t, LIN_SHANGHAI_OFFSET);
	/* 1970-01-01 was a Thursday: day 0 is weekday 3 counting Monday as 0. */
	int64_t wd = ((day % 7) + 7 + 3) % 7;
	int y, m, d;

	lin_civil_from_days(day - wd, &y, &m, &d);
	fmt_day(out, y, m, d);
}

int duty_day_epoch(const char *day, int64_t *out)
{
	int y, m, d;

	if (!day || parse_date(day, &y, &m, &d))
		return LIN_EINVAL;
	*out = lin_days_from_civil(y, m, d) * 86400 - LIN_SHANGHAI_OFFSET;
	return 0;
}

void duty_day_add(const char *day, int n, char out[11])
{
	int64_t t = 0;

	duty_day_epoch(day, &t);
	duty_day_of(t + (int64_t)n * 86400 + 43200, out);
}

int duty_week_param(const char *q, char out[11])
{
	int64_t t = 0;

	if (!q || !*q) {
		duty_monday((int64_t)time(NULL), out);
		return 0;
	}
	if (duty_day_epoch(q, &t))
		return LIN_EINVAL;
	duty_monday(t + 43200, out);
	return 0;
}

void duty_hhmm(int minute, char out[6])
{
	unsigned u = (unsigned)minute % 6000;
	char tmp[32];

	snprintf(tmp, sizeof(tmp), "%02u:%02u", u / 60, u % 60);
	memcpy(out, tmp, 5);
	out[5] = '\0';
}

void duty_clock(int64_t t, char out[6])
{
	int64_t local = t + LIN_SHANGHAI_OFFSET;
	int64_t s = ((local % 86400) + 86400) % 86400;

	duty_hhmm((int)(s / 60), out);
}

int duty_code_ok(const char *code)
{
	size_t n = code ? strlen(code) : 0;

	if (n < 4 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]))
			return 0;
	return 1;
}

int duty_categories_ok(const char *s)
{
	static const char *const known[] = {"recyclable", "hazardous", "wet", "dry"};
	unsigned seen = 0;
	const char *p = s;

	if (!s || !*s)
		return 0;
	while (*p) {
		size_t len = strcspn(p, ",");
		int hit = -1;
		for (int i = 0; i < 4; i++)
			if (strlen(known[i]) == len && !strncmp(p, known[i], len))
				hit = i;
		if (hit < 0 || (seen >> hit & 1))
			return 0;
		seen |= 1u << hit;
		p += len;
		if (*p == ',' && !*++p)
			return 0;
	}
	return 1;
}

/* next_line copies the next line of *p (trimmed) into out; 0 at the end. */
static int next_line(const char **p, char *out, size_t n)
{
	size_t len;

	while (**p == '\n' || **p == '\r')
		(*p)++;
	if (!**p)
		return 0;
	len = strcspn(*p, "\r\n");
	snprintf(out, n, "%.*s", (int)(len < n ? len : n - 1), *p);
	*p += len;
	str_trim(out);
	return 1;
}

int duty_avail_parse(const char *text, struct duty_volunteer_in *in, struct duty_err *e)
{
	const char *p = text ? text : "";
	char line[160];

	in->navail = 0;
	while (next_line(&p, line, sizeof(line))) {
		char *sp = line + strcspn(line, " \t");
		int per[8][2], first, last, n;
		int64_t a, b;
		if (!*line)
			continue;
		if (!*sp)
			return duty_refuse(e, 0, "duty.err.availability", "availability");
		*sp++ = '\0';
		char *dash = strchr(line, '-');
		if (dash)
			*dash++ = '\0';
		if (parse_int64(line, 1, 7, &a) || parse_int64(dash ? dash : line, 1, 7, &b) ||
		    b < a)
			return duty_refuse(e, 0, "duty.err.availability", "availability");
		first = (int)a;
		last = (int)b;
		n = parse_periods(str_trim(sp), per, 8);
		if (n <= 0)
			return duty_refuse(e, 0, "duty.err.availability", "availability");
		for (int d = first; d <= last; d++)
			for (int k = 0; k < n; k++) {
				if (in->navail == DUTY_MAX_AVAIL)
					return duty_refuse(e, 0, "duty.err.availability",
							   "availability");
				in->avail[in->navail++] =
				    (struct duty_avail){d, per[k][0], per[k][1]};
			}
	}
	return 0;
}

int duty_away_parse(const char *text, struct duty_volunteer_in *in, struct duty_err *e)
{
	const char *p = text ? text : "";
	char line[80];

	in->naway = 0;
	while (next_line(&p, line, sizeof(line))) {
		char *sp;
		int64_t t;
		if (!*line)
			continue;
		sp = line + strcspn(line, " \t");
		if (*sp)
			*sp++ = '\0';
		sp = str_trim(sp);
		if (in->naway == DUTY_MAX_AWAY || duty_day_epoch(line, &t) ||
		    (*sp && duty_day_epoch(sp, &t)))
			return duty_refuse(e, 0, "duty.err.away", "away");
		snprintf(in->away[in->naway].first, 11, "%.10s", line);
		snprintf(in->away[in->naway].last, 11, "%.10s", *sp ? sp : line);
		in->naway++;
	}
	return 0;
}

int duty_volunteer_check(const struct duty_volunteer_in *in, struct duty_err *e)
{
	if (in->resident_id <= 0)
		return duty_refuse(e, 0, "duty.err.resident", "resident_id");
	if (in->max_per_day < 0 || in->max_per_day > 10)
		return duty_refuse(e, 0, "duty.err.max_per_day", "max_per_day");
	if (in->max_per_week < 0 || in->max_per_week > 50)
		return duty_refuse(e, 0, "duty.err.max_per_week", "max_per_week");
	for (int i = 0; i < in->navail; i++) {
		const struct duty_avail *a = &in->avail[i];
		if (a->weekday < 1 || a->weekday > 7 || a->start_min < 0 ||
		    a->end_min <= a->start_min || a->end_min > 1440)
			return duty_refuse(e, 0, "duty.err.availability", "availability");
		for (int j = 0; j < i; j++) {
			const struct duty_avail *b = &in->avail[j];
			if (a->weekday == b->weekday && a->start_min < b->end_min &&
			    b->start_min < a->end_min)
				return duty_refuse(e, 0, "duty.err.availability_overlap",
						   "availability");
		}
	}
	for (int i = 0; i < in->naway; i++) {
		const struct duty_away *a = &in->away[i];
		if (strcmp(a->last, a->first) < 0)
			return duty_refuse(e, 0, "duty.err.away", "away");
		for (int j = 0; j < i; j++) {
			const struct duty_away *b = &in->away[j];
			if (strcmp(a->first, b->last) <= 0 && strcmp(b->first, a->last) <= 0)
				return duty_refuse(e, 0, "duty.err.away_overlap", "away");
		}
	}
	return 0;
}

void duty_avail_text(const struct duty_volunteer_in *in, struct buf *out)
{
	for (int i = 0; i < in->navail; i++) {
		char a[6], b[6];
		duty_hhmm(in->avail[i].start_min, a);
		duty_hhmm(in->avail[i].end_min, b);
		buf_addf(out, "%d %s-%s\n", in->avail[i].weekday, a, b);
	}
}

void duty_away_text(const struct duty_volunteer_in *in, struct buf *out)
{
	for (int i = 0; i < in->naway; i++)
		buf_addf(out, "%s %s\n", in->away[i].first, in->away[i].last);
}
