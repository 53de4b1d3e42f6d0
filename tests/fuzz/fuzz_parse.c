/* Fuzz target for the strict parsers of src/base/parse.c. The input is one
 * string; each parser's answer is compared with a reference written here
 * from its contract in parse.h, and format_centi must read back exactly. */
#include "fuzz.h"
#include "base/err.h"
#include "base/parse.h"
#include "base/timeutil.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ---- parse_int64: [+-]?[0-9]+ in [min, max], nothing else ---- */

static int ref_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	__int128 v = 0;
	int neg = 0;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!*s)
		return -1;
	for (; *s; s++) {
		if (!is_digit(*s))
			return -1;
		v = v * 10 + (*s - '0');
		if (v > (__int128)1 << 64)
			return -1;
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static void check_int64(const char *s)
{
	static const int64_t ranges[][2] = {
	    {INT64_MIN, INT64_MAX}, {1, INT64_MAX}, {0, 200}, {1900, 2100}, {-5, 5}, {0, 0},
	};

	for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		int64_t got = 12345, want = 54321;
		int rc = parse_int64(s, ranges[i][0], ranges[i][1], &got);
		int refrc = ref_int64(s, ranges[i][0], ranges[i][1], &want);
		FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
		FUZZ_CHECK((rc == 0) == (refrc == 0));
		if (rc == 0)
			FUZZ_CHECK(got == want);
		else
			FUZZ_CHECK(got == 12345); /* *out untouched on failure */
	}
}

/* ---- parse_centi: [0-9]+(\.[0-9]{1,2})? as hundredths, <= max ---- */

static int ref_centi(const char *s, int64_t max, int64_t *out)
{
	__int128 v = 0;
	int frac = -1;

	if (!is_digit(*s))
		return -1;
	for (; is_digit(*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > INT64_MAX)
			return -1;
	}
	v *= 100;
	if (*s == '.') {
		s++;
		if (!is_digit(s[0]) || (s[1] && !is_digit(s[1])))
			return -1;
		frac = (s[0] - '0') * 10 + (s[1] ? s[1] - '0' : 0);
		s += s[1] ? 2 : 1;
		v += frac;
	}
	if (*s || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static void check_format_centi(int64_t v)
{
	char out[24], want[48];
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int64_t back = -1;

	format_centi(v, out, sizeof(out));
	snprintf(want, sizeof(want), "%s%" PRIu64 ".%02u", v < 0 ? "-" : "", mag / 100,
		 (unsigned)(mag % 100));
	FUZZ_CHECK(!strcmp(out, want));
	if (v >= 0) {
		FUZZ_CHECK(parse_centi(out, INT64_MAX, &back) == 0);
		FUZZ_CHECK(back == v);
	}
}

static void check_centi(const char *s, const uint8_t *data, size_t size)
{
	static const int64_t maxes[] = {INT64_MAX, 100000000, 99999, 100, 0};
	int64_t v = 0;

	for (size_t i = 0; i < sizeof(maxes) / sizeof(maxes[0]); i++) {
		int64_t got = -7, want = -8;
		int rc = parse_centi(s, maxes[i], &got);
		int refrc = ref_centi(s, maxes[i], &want);
		FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
		FUZZ_CHECK((rc == 0) == (refrc == 0));
		if (rc == 0) {
			FUZZ_CHECK(got == want && got >= 0 && got <= maxes[i]);
			check_format_centi(got);
		}
	}
	/* format_centi over any value, negative ones included. */
	memcpy(&v, data, size < sizeof(v) ? size : sizeof(v));
	check_format_centi(v);
}

/* ---- parse_date: YYYY-MM-DD, a real day of 1900..2100 ---- */

static void check_date(const char *s)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y = -1, m = -1, d = -1, ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-', rc;

	for (int i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			ok = 0;
	if (ok) {
		int ry =
		    (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		int rm = (s[5] - '0') * 10 + (s[6] - '0'), rd = (s[8] - '0') * 10 + (s[9] - '0');
		int leap = (ry % 4 == 0 && ry % 100 != 0) || ry % 400 == 0;
		ok = ry >= 1900 && ry <= 2100 && rm >= 1 && rm <= 12 && rd >= 1 &&
		     rd <= mdays[rm - 1] + (rm == 2 && leap);
	}
	rc = parse_date(s, &y, &m, &d);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	FUZZ_CHECK((rc == 0) == ok);
	if (rc == 0) {
		char again[32];
		snprintf(again, sizeof(again), "%04d-%02d-%02d", y, m, d);
		FUZZ_CHECK(!strcmp(again, s));
	} else {
		FUZZ_CHECK(y == -1 && m == -1 && d == -1);
	}
}

/* ---- parse_bool: the listed words, ASCII case-insensitive ---- */

static void check_bool(const char *s)
{
	static const char *const yes[] = {"1", "true", "yes", "on", "是", "y"};
	static const char *const no[] = {"0", "false", "no", "off", "否", "n", ""};
	char lower[8];
	size_t n = strlen(s);
	int want = -1, got = -1, rc;

	if (n < sizeof(lower)) {
		for (size_t i = 0; i <= n; i++)
			lower[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
		for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
			if (!strcmp(lower, yes[i]))
				want = 1;
		for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
			if (!strcmp(lower, no[i]))
				want = 0;
	}
	rc = parse_bool(s, &got);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	FUZZ_CHECK((rc == 0) == (want >= 0));
	FUZZ_CHECK(got == want);
}

/* ---- utf8_valid, utf8_chars ---- */

static void check_utf8(const uint8_t *data, size_t size, const char *s)
{
	int valid = utf8_valid((const char *)data, size);

	FUZZ_CHECK(valid == 0 || valid == 1);
	FUZZ_CHECK(valid == ref_text_valid((const char *)data, size));
	/* Every prefix that ends between characters is valid too (checked
	 * on short inputs: it is quadratic). */
	if (valid) {
		FUZZ_CHECK(utf8_chars(s) == ref_code_points(s, size));
		for (size_t cut = 0; size <= 256 && cut < size; cut++)
			if ((data[cut] & 0xc0) != 0x80)
				FUZZ_CHECK(utf8_valid((const char *)data, cut));
	}
	/* utf8_chars counts lead bytes, so any string it measures gives at
	 * most its length. */
	FUZZ_CHECK(utf8_chars(s) <= strlen(s));
}

/* ---- str_trim ---- */

static int is_trim_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void check_trim(char *s)
{
	char *orig = strdup(s), *t;
	size_t lead = 0, len = strlen(s), end;

	if (!orig)
		abort();
	while (lead < len && is_trim_space(s[lead]))
		lead++;
	end = len;
	while (end > lead && is_trim_space(s[end - 1]))
		end--;
	t = str_trim(s);
	FUZZ_CHECK(t == s + lead);
	FUZZ_CHECK(strlen(t) == end - lead);
	FUZZ_CHECK(!memcmp(t, orig + lead, end - lead));
	/* Trimming twice changes nothing more. */
	FUZZ_CHECK(str_trim(t) == t && strlen(t) == end - lead);
	free(orig);
}

/* ---- civil dates (base/timeutil.c) ---- */

static int leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The input's first bytes as a day number within ±10^7 days and a second
 * count: the date of the day reads back to the day; the next day is the
 * next calendar date (a month's last day, a leap day); a second's local
 * day changes exactly at local midnight. */
static void check_days(const uint8_t *data, size_t size)
{
	uint64_t un = 0, ut = 0;
	int64_t n, t;
	int y, m, d, y2, m2, d2;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	for (size_t i = 0; i < size && i < 4; i++)
		un = un * 256 + data[i];
	for (size_t i = 4; i < size && i < 12; i++)
		ut = ut * 256 + data[i];
	n = (int64_t)(un % 20000001) - 10000000;
	t = (int64_t)(ut % ((uint64_t)1 << 41)) - ((int64_t)1 << 40);
	lin_civil_from_days(n, &y, &m, &d);
	FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1);
	FUZZ_CHECK(d <= mdays[m - 1] + (m == 2 && leap(y)));
	FUZZ_CHECK(lin_days_from_civil(y, m, d) == n);
	lin_civil_from_days(n + 1, &y2, &m2, &d2);
	if (d < mdays[m - 1] + (m == 2 && leap(y)))
		FUZZ_CHECK(y2 == y && m2 == m && d2 == d + 1);
	else if (m < 12)
		FUZZ_CHECK(y2 == y && m2 == m + 1 && d2 == 1);
	else
		FUZZ_CHECK(y2 == y + 1 && m2 == 1 && d2 == 1);
	int64_t day = lin_local_day(t, LIN_SHANGHAI_OFFSET);
	int64_t midnight = day * 86400 - LIN_SHANGHAI_OFFSET;
	FUZZ_CHECK(midnight <= t && t < midnight + 86400);
}

/* ---- parse_decimal: [+-]?(D+.?D*|.D+)([eE][+-]?D+)?, finite ---- */

/* ref_mantissa: [+-]?(D+.?D*|.D+) over exactly n bytes. */
static int ref_mantissa(const char *s, size_t n)
{
	size_t i = (n && (s[0] == '+' || s[0] == '-')), before = 0, after = 0;

	while (i < n && is_digit(s[i]))
		i++, before++;
	if (i < n && s[i] == '.')
		for (i++; i < n && is_digit(s[i]); i++)
			after++;
	return i == n && before + after > 0;
}

static int ref_decimal(const char *s, int exponent)
{
	const char *e = exponent ? strpbrk(s, "eE") : NULL;
	size_t n = e ? (size_t)(e - s) : strlen(s);

	if (!ref_mantissa(s, n))
		return 0;
	if (e) {
		const char *d = e + 1 + (e[1] == '+' || e[1] == '-');
		if (!*d)
			return 0;
		for (; *d; d++)
			if (!is_digit(*d))
				return 0;
	}
	return 1;
}

static void check_decimal(const char *s)
{
	for (int exponent = 0; exponent <= 1; exponent++) {
		double got = 12345, want;
		int rc = parse_decimal(s, exponent, &got);
		FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
		if (!ref_decimal(s, exponent)) {
			FUZZ_CHECK(rc == LIN_EINVAL);
			FUZZ_CHECK(got == 12345);
			continue;
		}
		want = strtod(s, NULL);
		/* Well formed: taken exactly as strtod reads it, unless too
		 * large for a double. */
		FUZZ_CHECK((rc == 0) == !!isfinite(want));
		if (rc == 0)
			FUZZ_CHECK(got == want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	check_int64(s);
	check_decimal(s);
	check_centi(s, data, size);
	check_date(s);
	check_bool(s);
	check_utf8(data, size, s);
	check_days(data, size);
	check_trim(s); /* last: it writes into s */
	free(s);
	return 0;
}
