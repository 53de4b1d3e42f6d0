/* Strict parsers for outside input; see parse.h. */
#include "parse.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return LIN_EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return LIN_EINVAL;
	*out = v;
	return 0;
}

int parse_centi(const char *s, int64_t max, int64_t *out)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0;

	if (!s || !*s)
		return LIN_EINVAL;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > (INT64_MAX - 9) / 10)
			return LIN_EINVAL;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++, fdigits++) {
			if (fdigits >= 2)
				return LIN_EINVAL;
			frac = frac * 10 + (*s - '0');
		}
		if (fdigits == 0)
			return LIN_EINVAL;
		if (fdigits == 1)
			frac *= 10;
	}
	if (*s || digits == 0)
		return LIN_EINVAL;
	if (whole > (max - frac) / 100)
		return LIN_EINVAL;
	*out = whole * 100 + frac;
	if (*out > max)
		return LIN_EINVAL;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int parse_decimal(const char *s, int exponent, double *out)
{
	const char *p;
	char *end;
	int digits = 0;
	double v;

	if (!s)
		return LIN_EINVAL;
	p = s + (*s == '+' || *s == '-');
	for (; is_digit(*p); p++)
		digits++;
	if (*p == '.')
		for (p++; is_digit(*p); p++)
			digits++;
	if (!digits)
		return LIN_EINVAL;
	if (exponent && (*p == 'e' || *p == 'E')) {
		p++;
		p += *p == '+' || *p == '-';
		if (!is_digit(*p))
			return LIN_EINVAL;
		while (is_digit(*p))
			p++;
	}
	if (*p)
		return LIN_EINVAL;
	v = strtod(s, &end);
	if (*end || !isfinite(v))
		return LIN_EINVAL;
	*out = v;
	return 0;
}

void format_centi(int64_t centi, char *out, size_t n)
{
	const char *sign = centi < 0 ? "-" : "";
	uint64_t v = centi < 0 ? (uint64_t)(-(centi + 1)) + 1 : (uint64_t)centi;
	snprintf(out, n, "%s%" PRIu64 ".%02" PRIu64, sign, v / 100, v % 100);
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int parse_date(const char *s, int *y, int *m, int *d)
{
	int v[3] = {0, 0, 0};
	const int width[3] = {4, 2, 2};

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return LIN_EINVAL;
	for (int part = 0, pos = 0; part < 3; part++, pos++) {
		for (int i = 0; i < width[part]; i++, pos++) {
			if (s[pos] < '0' || s[pos] > '9')
				return LIN_EINVAL;
			v[part] = v[part] * 10 + (s[pos] - '0');
		}
	}
	if (v[0] < 1900 || v[0] > 2100 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > days_in_month(v[0], v[1]))
		return LIN_EINVAL;
	*y = v[0];
	*m = v[1];
	*d = v[2];
	return 0;
}

int parse_bool(const char *s, int *out)
{
	static const char *yes[] = {"1", "true", "yes", "on", "是", "y", NULL};
	static const char *no[] = {"0", "false", "no", "off", "否", "n", "", NULL};

	if (!s)
		return LIN_EINVAL;
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i])) {
			*out = 1;
			return 0;
		}
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i])) {
			*out = 0;
			return 0;
		}
	return LIN_EINVAL;
}

int utf8_noncharacter(uint32_t cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

size_t utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = len ? s[0] : 0x80;
	size_t n;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 1;
		v = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		v = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len <= n)
		return 0;
	for (size_t i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if ((n == 1 && v < 0x80) || (n == 2 && v < 0x800) || (n == 3 && v < 0x10000) ||
	    v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n + 1;
}

int utf8_valid(const char *str, size_t len)
{
	size_t at = 0;

	while (at < len) {
		uint32_t cp;
		size_t n = utf8_decode(str + at, len - at, &cp);

		if (!n || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f ||
		    utf8_noncharacter(cp))
			return 0;
		at += n;
	}
	return 1;
}

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

char *str_trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* clock_minutes reads HH:MM (00:00..24:00) at *s, advancing it. */
static int clock_minutes(const char **s, int *out)
{
	const char *p = *s;
	int h, m;

	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9' || p[2] != ':' || p[3] < '0' ||
	    p[3] > '5' || p[4] < '0' || p[4] > '9')
		return LIN_EINVAL;
	h = (p[0] - '0') * 10 + (p[1] - '0');
	m = (p[3] - '0') * 10 + (p[4] - '0');
	if (h > 24 || (h == 24 && m))
		return LIN_EINVAL;
	*out = h * 60 + m;
	*s = p + 5;
	return 0;
}

int parse_periods(const char *s, int (*out)[2], int max)
{
	int n = 0;

	if (!s)
		return LIN_EINVAL;
	while (*s == ' ')
		s++;
	if (!*s)
		return 0;
	for (;;) {
		int a, b;
		while (*s == ' ')
			s++;
		if (clock_minutes(&s, &a) || (*s != '-' && strncmp(s, "–", strlen("–"))))
			return LIN_EINVAL;
		s += *s == '-' ? 1 : strlen("–");
		if (clock_minutes(&s, &b) || b <= a || n == max)
			return LIN_EINVAL;
		/* In order and apart: "19:00-20:00;18:00-19:30" is a typing slip. */
		if (n && a < out[n - 1][1])
			return LIN_EINVAL;
		out[n][0] = a;
		out[n][1] = b;
		n++;
		while (*s == ' ')
			s++;
		if (!*s)
			return n;
		if (*s != ';' && *s != ',')
			return LIN_EINVAL;
		s++;
	}
}

int parse_shape(const char *s, int64_t (*pts)[2], int max, int64_t limit)
{
	int n = 0;
	char num[32];

	if (!s)
		return LIN_EINVAL;
	for (;;) {
		int64_t xy[2];
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		for (int k = 0; k < 2; k++) {
			size_t len = strspn(s, "0123456789.");
			if (!len || len >= sizeof(num))
				return LIN_EINVAL;
			memcpy(num, s, len);
			num[len] = '\0';
			if (parse_centi(num, limit, &xy[k]))
				return LIN_EINVAL;
			s += len;
			if (k == 0 && *s++ != ',')
				return LIN_EINVAL;
		}
		if (*s && *s != ' ')
			return LIN_EINVAL;
		if (n == max)
			return LIN_EINVAL;
		pts[n][0] = xy[0];
		pts[n][1] = xy[1];
		n++;
	}
	return n >= 3 ? n : LIN_EINVAL;
}

int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
