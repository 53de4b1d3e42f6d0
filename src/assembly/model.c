/* What the assembly's pages, API and command line read the same way:
 * times as the committee writes them (Shanghai wall clock) and back. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int assembly_time_parse(const char *s, int64_t *out)
{
	char day[11];
	int y, m, d, hh = 0, mm = 0, ss = 0;
	int64_t v;

	if (!s || !*s)
		return LIN_EINVAL;
	if (!parse_int64(s, 0, INT64_C(4102444800), &v)) {
		*out = v;
		return 0;
	}
	if (strlen(s) < 10)
		return LIN_EINVAL;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (parse_date(day, &y, &m, &d))
		return LIN_EINVAL;
	s += 10;
	if (*s == 'T' || *s == ' ') {
		s++;
		if (strlen(s) != 5 && strlen(s) != 8)
			return LIN_EINVAL;
		if (s[2] != ':' || (s[5] && s[5] != ':'))
			return LIN_EINVAL;
		for (int i = 0; s[i]; i++)
			if (i != 2 && i != 5 && (s[i] < '0' || s[i] > '9'))
				return LIN_EINVAL;
		hh = (s[0] - '0') * 10 + (s[1] - '0');
		mm = (s[3] - '0') * 10 + (s[4] - '0');
		if (s[5])
			ss = (s[6] - '0') * 10 + (s[7] - '0');
		if (hh > 23 || mm > 59 || ss > 59)
			return LIN_EINVAL;
	} else if (*s) {
		return LIN_EINVAL;
	}
	*out =
	    lin_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss - LIN_SHANGHAI_OFFSET;
	return 0;
}

void assembly_time_format(int64_t t, char out[20])
{
	int64_t local = t + LIN_SHANGHAI_OFFSET, day = local / 86400, sec = local % 86400;
	int y, m, d;

	if (sec < 0) {
		sec += 86400;
		day--;
	}
	if (!t) {
		out[0] = '\0';
		return;
	}
	lin_civil_from_days(day, &y, &m, &d);
	snprintf(out, 20, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(sec / 3600),
		 (int)(sec % 3600 / 60));
}

int64_t assembly_now(void)
{
	return (int64_t)time(NULL);
}
