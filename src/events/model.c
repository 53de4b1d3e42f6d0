/* Times in a form as Shanghai reads them (model.h): pure, fuzzed by
 * tests/fuzz/fuzz_events_time.c against its own formatting. */
#include "model.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int events_local_parse(const char *s, int64_t *out)
{
	char day[11], hh[3], mm[3];
	int y, m, d;
	int64_t h, mi;

	*out = 0;
	if (!s || strlen(s) != 16 || s[10] != 'T' || s[13] != ':')
		return LIN_EINVAL;
	memcpy(day, s, 10);
	day[10] = '\0';
	memcpy(hh, s + 11, 2);
	hh[2] = '\0';
	memcpy(mm, s + 14, 2);
	mm[2] = '\0';
	if (parse_date(day, &y, &m, &d) || parse_int64(hh, 0, 23, &h) ||
	    parse_int64(mm, 0, 59, &mi) || hh[0] < '0' || hh[0] > '9' || mm[0] < '0' || mm[0] > '9')
		return LIN_EINVAL;
	*out = lin_days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60 - LIN_SHANGHAI_OFFSET;
	return 0;
}

void events_local_format(int64_t t, char out[17])
{
	int64_t local = t + LIN_SHANGHAI_OFFSET, days = local / 86400, secs = local % 86400;
	int y, m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	lin_civil_from_days(days, &y, &m, &d);
	char buf[64];
	snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d", y % 10000, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60));
	memcpy(out, buf, 16);
	out[16] = '\0';
}
