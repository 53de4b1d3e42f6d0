/* The overview's arithmetic without I/O: sorting its rows, shares, the
 * sparklines, and the rules for an area the command line adds. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/html.h"

#include <stdlib.h>
#include <string.h>

static const char *const sort_keys[SORT_COUNT] = {
    [SORT_NAME] = "name",	    [SORT_RESIDENTS] = "residents", [SORT_MEMBERS] = "members",
    [SORT_OPEN] = "open",	    [SORT_OVERDUE] = "overdue",	    [SORT_RECEIVED] = "received",
    [SORT_SATISFIED] = "satisfied", [SORT_NOISE] = "noise",
};

const char *region_sort_key(enum region_sort s)
{
	return s >= 0 && s < SORT_COUNT ? sort_keys[s] : "name";
}

int region_sort_parse(const char *s, enum region_sort *out)
{
	*out = SORT_NAME;
	if (!s || !*s)
		return 0;
	for (int i = 0; i < SORT_COUNT; i++)
		if (!strcmp(s, sort_keys[i])) {
			*out = (enum region_sort)i;
			return 0;
		}
	return LIN_EINVAL;
}

static int64_t figure(const struct region_area *a, enum region_sort s)
{
	switch (s) {
	case SORT_RESIDENTS:
		return a->residents;
	case SORT_MEMBERS:
		return a->members;
	case SORT_OPEN:
		return a->open;
	case SORT_OVERDUE:
		return a->overdue;
	case SORT_RECEIVED:
		return a->received;
	case SORT_SATISFIED:
		return a->satisfied;
	case SORT_NOISE:
		return a->noise;
	default:
		return 0;
	}
}

/* before: a goes before b. qsort takes no context for the column, so the
 * rows (a district's few hundred at most) are sorted by insertion. */
static int before(const struct region_area *a, const struct region_area *b, enum region_sort s)
{
	if (s != SORT_NAME) {
		int64_t x = figure(a, s), y = figure(b, s);
		if (x != y)
			return x > y; /* REGION_UNKNOWN (-1) sorts after every figure */
	}
	return strcmp(a->code, b->code) < 0;
}

void region_sort_rows(struct region_area *rows, int n, enum region_sort s)
{
	for (int i = 1; i < n; i++) {
		struct region_area t = rows[i];
		int j = i;
		while (j > 0 && before(&t, &rows[j - 1], s)) {
			rows[j] = rows[j - 1];
			j--;
		}
		rows[j] = t;
	}
}

int64_t region_share(int64_t part, int64_t whole)
{
	return whole > 0 ? (part * 10000 + whole / 2) / whole : REGION_UNKNOWN;
}

void region_sparkline(struct buf *out, const int64_t *v, int n, const char *title)
{
	int64_t max = 0;

	for (int i = 0; i < n; i++)
		if (v[i] > max)
			max = v[i];
	buf_adds(out, "<svg class=\"spark\" viewBox=\"0 0 80 20\" width=\"80\" height=\"20\" "
		      "role=\"img\"><title>");
	html_escape(out, title);
	buf_adds(out, "</title><polyline fill=\"none\" stroke=\"currentColor\" "
		      "stroke-width=\"1.5\" points=\"");
	for (int i = 0; i < n; i++) {
		/* x from 2 to 78, y from 18 (zero) to 2 (the largest) */
		long x = n > 1 ? 2 + (long)i * 76 / (n - 1) : 40;
		long y = max ? 18 - (long)(v[i] * 16 / max) : 18;
		buf_addf(out, "%s%ld,%ld", i ? " " : "", x, y);
	}
	buf_adds(out, "\"/></svg>");
}

static int code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || n > REGION_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

static int name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (!n || !utf8_valid(s, n) || utf8_chars(s) > REGION_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

int region_area_check(const struct region_area_in *in, const char **why)
{
	*why = NULL;
	if (!code_ok(in->code))
		*why = "居民区代码只能是 1-32 个字母、数字、- 或 _ "
		       "the area code must be 1-32 letters, digits, - or _";
	else if (!name_ok(in->name))
		*why = "居民区名称须为 1-64 个字符 the area name must be 1-64 characters";
	else if (!code_ok(in->street))
		*why = "街道代码只能是 1-32 个字母、数字、- 或 _ "
		       "the street code must be 1-32 letters, digits, - or _";
	else if (in->street_name && *in->street_name &&
		 (!name_ok(in->street_name) || !code_ok(in->district)))
		*why = "新街道须有名称（1-64 个字符）和区代码 "
		       "a new street needs a name (1-64 characters) and a district code";
	else if (in->district_name && *in->district_name && !name_ok(in->district_name))
		*why = "区名称须为 1-64 个字符 the district name must be 1-64 characters";
	return *why ? LIN_EINVAL : 0;
}
