/* The rules of co-building, no I/O: kinds, sources, dates, text, and the
 * matching score of a resource for a need (model.h says each part). */
#include "model.h"
#include "../base/parse.h"
#include "../base/timeutil.h"

#include <stddef.h>
#include <string.h>

const char *const cobuild_kinds[] = {"room", "volunteers", "expertise", "money", "goods", NULL};

static int one_of(const char *s, const char *const *list)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

int cobuild_kind_valid(const char *kind)
{
	return one_of(kind, cobuild_kinds);
}

int cobuild_source_valid(const char *source)
{
	static const char *const sources[] = {"resident", "team", "committee", NULL};
	return one_of(source, sources);
}

int64_t cobuild_day(const char *s)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || parse_date(s, &y, &m, &d))
		return -1;
	return lin_days_from_civil(y, m, d);
}

int cobuild_text_ok(const char *s, int min, int max)
{
	const char *end;
	int64_t n = 0;

	if (!s)
		return min == 0;
	if (!utf8_valid(s, strlen(s)))
		return 0;
	/* Blanks around the text do not count. */
	while (*s && strchr(" \t\r\n", *s))
		s++;
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		end--;
	for (const char *p = s; p < end; p++)
		n += ((unsigned char)*p & 0xC0) != 0x80;
	return n >= min && n <= max;
}

int cobuild_score(const struct match_need *n, const struct match_resource *r,
		  struct match_score *out)
{
	int64_t from, to;

	memset(out, 0, sizeof(*out));
	if (!n->kind || !r->kind || strcmp(n->kind, r->kind) || n->amount <= 0 || r->amount <= 0 ||
	    n->to < n->from || r->to < r->from)
		return 0;
	from = n->from > r->from ? n->from : r->from;
	to = n->to < r->to ? n->to : r->to;
	if (to < from)
		return 0;
	out->kind = SCORE_KIND;
	out->need_days = n->to - n->from + 1;
	out->overlap_days = to - from + 1;
	/* Rounded down: a part earns its full points only when it is whole. */
	out->time = (int)(SCORE_TIME * out->overlap_days / out->need_days);
	out->capacity =
	    r->amount >= n->amount ? SCORE_CAPACITY : (int)(SCORE_CAPACITY * r->amount / n->amount);
	if (!n->compound_id || !r->compound_id) {
		out->same_compound = 0;
		out->distance = SCORE_DISTANCE / 2;
	} else if (n->compound_id == r->compound_id) {
		out->same_compound = 1;
		out->distance = SCORE_DISTANCE;
	} else {
		out->same_compound = -1;
		out->distance = SCORE_DISTANCE / 5;
	}
	out->load = SCORE_LOAD - COBUILD_LOAD_STEP * (r->asks > 0 ? r->asks : 0);
	if (out->load < 0)
		out->load = 0;
	out->total = out->kind + out->time + out->capacity + out->distance + out->load;
	return 1;
}

int cobuild_best(const struct match_need *n, const struct match_resource *res, int count,
		 struct match_score *out)
{
	struct match_score s;
	int best = -1;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < count; i++) {
		if (!cobuild_score(n, &res[i], &s))
			continue;
		if (best >= 0 && (s.total < out->total ||
				  (s.total == out->total &&
				   (res[i].asks > res[best].asks ||
				    (res[i].asks == res[best].asks && res[i].id > res[best].id)))))
			continue;
		best = i;
		*out = s;
	}
	return best;
}
