/* Civil dates and the area's local time, done once: days since 1970-01-01
 * for a proleptic Gregorian date and back, and the day a UTC second falls
 * on at a fixed offset. Shanghai keeps China Standard Time all year. */
#ifndef LINLI_BASE_TIMEUTIL_H
#define LINLI_BASE_TIMEUTIL_H

#include <stdint.h>

#define LIN_SHANGHAI_OFFSET 28800 /* China Standard Time: seconds east of UTC, no DST */

/* lin_days_from_civil: days since 1970-01-01 (negative before) of y-m-d;
 * m is 1-12, d 1-31 (not checked against the month: parse_date does). */
int64_t lin_days_from_civil(int64_t y, int m, int d);
/* lin_civil_from_days: the date of day n since 1970-01-01. */
void lin_civil_from_days(int64_t n, int *y, int *m, int *d);
/* lin_local_day: the day number of UTC epoch second t at utc_offset
 * seconds east of UTC; days start at local midnight, also before 1970. */
int64_t lin_local_day(int64_t t, int utc_offset);

#endif
