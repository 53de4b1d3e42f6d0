/* Time on the plaza: local time in Shanghai, whether a minute is night,
 * minutes as HH:MM. The published timetable is read in store.c. */
#include "plaza.h"
#include "../base/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void plaza_local(int64_t t, int *weekday, int *minute, char monday[11])
{
	int64_t local = t + PLAZA_TZ_OFFSET;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t rem = local - days * 86400;
	int iso = (int)(((days % 7) + 7 + 3) % 7) + 1; /* 1970-01-01 was a Thursday */
	time_t mon = (time_t)((days - (iso - 1)) * 86400);
	struct tm tm;

	if (weekday)
		*weekday = iso;
	if (minute)
		*minute = (int)(rem / 60);
	if (monday) {
		gmtime_r(&mon, &tm);
		snprintf(monday, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000,
			 (unsigned)(tm.tm_mon + 1) % 100, (unsigned)tm.tm_mday % 100);
	}
}

int plaza_is_night(const struct plaza_hours *h, int m)
{
	if (h->night_start > h->night_end)
		return m >= h->night_start || m < h->night_end;
	return m >= h->night_start && m < h->night_end;
}

void plaza_hhmm(int minute, char out[6])
{
	unsigned m = minute < 0 ? 0 : (unsigned)minute;
	snprintf(out, 6, "%02u:%02u", (m / 60) % 100, m % 60);
}
