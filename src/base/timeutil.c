/* Civil dates; see timeutil.h. The day-number arithmetic follows Howard
 * Hinnant's public-domain algorithms: years counted from March, so the
 * leap day ends the year, in eras of 400 years. */
#include "timeutil.h"

int64_t lin_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void lin_civil_from_days(int64_t n, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	n += 719468;
	era = (n >= 0 ? n : n - 146096) / 146097;
	doe = n - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t lin_local_day(int64_t t, int utc_offset)
{
	int64_t s = t + utc_offset, q = s / 86400;

	if (s % 86400 < 0) /* division rounds toward zero; days start at midnight */
		q--;
	return q;
}
