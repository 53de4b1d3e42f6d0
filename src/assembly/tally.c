/* The count of an owners' assembly (tally.h): the parts grouped into
 * owners (Art. 9), each owner's last ballot per matter, then the sums and
 * the thresholds of Art. 278 by cross-multiplication. Integers only: an
 * area is a count of 0.01 m², a ratio is never computed to decide. */
#include "tally.h"
#include "../base/alloc.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A part holds at most 99,999,999.99 m² and the roll at most 10^12 m²
 * (10^14 hundredths), so every product below (an area times 4, times
 * 20,000 for a percentage) stays far inside int64. */
#define TALLY_PART_MAX	INT64_C(9999999999)
#define TALLY_TOTAL_MAX INT64_C(100000000000000)

/* ---- small parsers and names ---- */

int tally_area_parse(const char *s, int64_t *centi)
{
	int64_t v;

	if (!s || parse_centi(s, TALLY_PART_MAX, &v) || v <= 0)
		return LIN_EINVAL;
	*centi = v;
	return 0;
}

void tally_area_format(struct buf *b, int64_t centi)
{
	char text[32];

	format_centi(centi, text, sizeof(text));
	buf_adds(b, text);
}

static const char *const choice_names[] = {
    [TALLY_AGREE] = "agree",
    [TALLY_OPPOSE] = "oppose",
    [TALLY_ABSTAIN] = "abstain",
};

int tally_choice_parse(const char *s, enum tally_choice *out)
{
	for (int c = TALLY_AGREE; s && c <= TALLY_ABSTAIN; c++)
		if (!strcmp(s, choice_names[c])) {
			*out = (enum tally_choice)c;
			return 0;
		}
	return LIN_EINVAL;
}

const char *tally_choice_name(enum tally_choice c)
{
	return c >= TALLY_AGREE && c <= TALLY_ABSTAIN ? choice_names[c] : NULL;
}

const char *tally_rule(int item)
{
	if (item < 1 || item > 9)
		return NULL;
	return item >= 6 && item <= 8 ? "at_least_three_quarters" : "more_than_half";
}

void tally_ratio_format(struct buf *b, int64_t num, int64_t den)
{
	int64_t hundredths;

	if (den <= 0 || num < 0 || num > TALLY_TOTAL_MAX) {
		buf_adds(b, "-");
		return;
	}
	/* Percent to two places, rounded half up: num / den * 10,000. */
	hundredths = (num * 20000 + den) / (2 * den);
	buf_addf(b, "%lld.%02lld%%", (long long)(hundredths / 100), (long long)(hundredths % 100));
}

/* ---- the thresholds ---- */

bool tally_quorum(int64_t area, int64_t total_area, int64_t owners, int64_t all_owners)
{
	/* 三分之二以上: "以上" includes two thirds itself (Art. 1259). */
	return area * 3 >= total_area * 2 && owners * 3 >= all_owners * 2;
}

bool tally_approved(int item, int64_t agree_area, int64_t area, int64_t agree_owners,
		    int64_t owners)
{
	if (item >= 6 && item <= 8) /* 四分之三以上: three quarters included */
		return agree_area * 4 >= area * 3 && agree_owners * 4 >= owners * 3;
	/* 过半数: strictly more than half; exactly one half is not a majority. */
	return agree_area * 2 > area && agree_owners * 2 > owners;
}

/* ---- the count ---- */

/* A name and where it came from, for sorting and looking up. */
struct named {
	const char *name;
	size_t index;
};

/* One owner of the roll: the name the parts share and all their area. */
struct owner {
	const char *name;
	int64_t area;
};

/* One ballot as the count sees it. */
struct vote {
	size_t owner, matter, index;
	enum tally_choice choice;
};

static int named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int owner_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct owner *)elem)->name);
}

static int matter_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct named *)elem)->name);
}

/* Grouped by matter and owner, in the order cast within each group, so
 * that a group's last vote is the one that counts. */
static int vote_cmp(const void *a, const void *b)
{
	const struct vote *x = a, *y = b;

	if (x->matter != y->matter)
		return x->matter < y->matter ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* clip: s cut to at most max bytes at a character boundary, for a reason. */
static int clip(const char *s, int max)
{
	int n = (int)strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

static int refuse(struct tally_error *err, const char *what, size_t index, const char *reason,
		  const char *name)
{
	if (err) {
		err->what = what;
		err->index = index;
		if (name)
			snprintf(err->reason, sizeof(err->reason), "%s: %.*s", reason,
				 clip(name, 64), name);
		else
			snprintf(err->reason, sizeof(err->reason), "%s", reason);
	}
	return LIN_EINVAL;
}

/* check_parts: every part whole and the roll's area in range. */
static int check_parts(const struct tally_part *parts, size_t nparts, int64_t *total,
		       struct tally_error *err)
{
	*total = 0;
	if (nparts == 0)
		return refuse(err, "part", 0, "名册为空 the roll is empty", NULL);
	for (size_t i = 0; i < nparts; i++) {
		const struct tally_part *p = &parts[i];

		if (!p->unit || !p->owner)
			return refuse(err, "part", i,
				      "专有部分缺少房号或业主 a part without unit or owner", NULL);
		if (p->area_centi <= 0 || p->area_centi > TALLY_PART_MAX)
			return refuse(err, "part", i,
				      "面积须为正数且不超过 99999999.99 平方米 the area must be "
				      "positive and at most 99999999.99 m²",
				      p->unit);
		*total += p->area_centi;
		if (*total > TALLY_TOTAL_MAX)
			return refuse(err, "part", i,
				      "总面积超过 10^12 平方米 the total area is over 10^12 m²",
				      NULL);
	}
	return 0;
}

/* sort_matters: the matters by code (OUT: *sorted, the caller frees),
 * each with a code, an item of Art. 278 and no code twice. */
static int sort_matters(const struct tally_matter *matters, size_t nmatters, struct named **sorted,
			struct tally_error *err)
{
	struct named *m;

	*sorted = NULL;
	for (size_t i = 0; i < nmatters; i++) {
		if (!matters[i].code)
			return refuse(err, "matter", i, "事项缺少编号 a matter without a code",
				      NULL);
		if (!tally_rule(matters[i].item))
			return refuse(err, "matter", i,
				      "事项须属第二百七十八条第 1–9 项 the item must be 1–9",
				      matters[i].code);
	}
	m = lin_malloc((nmatters ? nmatters : 1) * sizeof(*m));
	if (!m)
		return LIN_ENOMEM;
	for (size_t i = 0; i < nmatters; i++)
		m[i] = (struct named){matters[i].code, i};
	qsort(m, nmatters, sizeof(*m), named_cmp);
	for (size_t i = 1; i < nmatters; i++)
		if (!strcmp(m[i].name, m[i - 1].name)) {
			size_t later = m[i].index;
			free(m);
			return refuse(err, "matter", later, "事项编号重复 a matter code twice",
				      matters[later].code);
		}
	*sorted = m;
	return 0;
}

/* group_owners: the roll's owners by name, each with all its parts' area
 * (Art. 9: a buyer of several parts, or the developer's unsold parts, is
 * one owner). OUT: *owners (the caller frees), *nowners. */
static int group_owners(const struct tally_part *parts, size_t nparts, struct owner **owners,
			size_t *nowners)
{
	struct named *byname = lin_malloc(nparts * sizeof(*byname));
	struct owner *o = lin_malloc(nparts * sizeof(*o));
	size_t n = 0;

	if (!byname || !o) {
		free(byname);
		free(o);
		return LIN_ENOMEM;
	}
	for (size_t i = 0; i < nparts; i++)
		byname[i] = (struct named){parts[i].owner, i};
	qsort(byname, nparts, sizeof(*byname), named_cmp);
	for (size_t i = 0; i < nparts; i++) {
		if (n == 0 || strcmp(o[n - 1].name, byname[i].name))
			o[n++] = (struct owner){byname[i].name, 0};
		o[n - 1].area += parts[byname[i].index].area_centi;
	}
	free(byname);
	*owners = o;
	*nowners = n;
	return 0;
}

/* add_vote: the counted vote of one owner on one matter into its sums. */
static void add_vote(struct tally_matter_result *r, const struct owner *o, enum tally_choice c)
{
	r->participating_owners++;
	r->participating_area_centi += o->area;
	if (c == TALLY_AGREE) {
		r->agree_owners++;
		r->agree_area_centi += o->area;
	} else if (c == TALLY_OPPOSE) {
		r->oppose_owners++;
		r->oppose_area_centi += o->area;
	} else {
		r->abstain_owners++;
		r->abstain_area_centi += o->area;
	}
}

int tally_count(const struct tally_part *parts, size_t nparts, const struct tally_matter *matters,
		size_t nmatters, const struct tally_ballot *ballots, size_t nballots,
		struct tally_result *out, struct tally_error *err)
{
	struct named *msorted = NULL;
	struct owner *owners = NULL;
	struct vote *votes = NULL;
	struct tally_matter_result *res = NULL;
	size_t nowners = 0;
	int64_t total;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = check_parts(parts, nparts, &total, err);
	if (rc)
		goto out;
	rc = sort_matters(matters, nmatters, &msorted, err);
	if (rc)
		goto out;
	rc = group_owners(parts, nparts, &owners, &nowners);
	if (rc)
		goto out;
	votes = lin_malloc((nballots ? nballots : 1) * sizeof(*votes));
	res = lin_calloc(nmatters ? nmatters : 1, sizeof(*res));
	if (!votes || !res) {
		rc = LIN_ENOMEM;
		goto out;
	}

	/* Each ballot to its owner and matter, in the order cast. */
	for (size_t i = 0; i < nballots; i++) {
		const struct tally_ballot *b = &ballots[i];
		const struct owner *o;
		const struct named *m;

		if (!b->owner ||
		    !(o = bsearch(b->owner, owners, nowners, sizeof(*owners), owner_cmp))) {
			rc = refuse(err, "ballot", i, "业主不在名册上 an owner not on the roll",
				    b->owner ? b->owner : "");
			goto out;
		}
		if (!b->matter ||
		    !(m = bsearch(b->matter, msorted, nmatters, sizeof(*msorted), matter_cmp))) {
			rc = refuse(err, "ballot", i, "表决未列出的事项 a matter not named",
				    b->matter ? b->matter : "");
			goto out;
		}
		if (!tally_choice_name(b->choice)) {
			rc = refuse(err, "ballot", i, "未知的表决意见 an unknown choice", NULL);
			goto out;
		}
		votes[i] = (struct vote){(size_t)(o - owners), m->index, i, b->choice};
	}

	/* The last ballot of each owner on each matter counts; the earlier
	 * ones are superseded, kept, and counted nowhere. */
	qsort(votes, nballots, sizeof(*votes), vote_cmp);
	for (size_t i = 0; i < nballots; i++) {
		struct tally_matter_result *r = &res[votes[i].matter];

		if (i + 1 < nballots && votes[i + 1].matter == votes[i].matter &&
		    votes[i + 1].owner == votes[i].owner) {
			r->superseded++;
			continue;
		}
		add_vote(r, &owners[votes[i].owner], votes[i].choice);
	}

	for (size_t k = 0; k < nmatters; k++) {
		struct tally_matter_result *r = &res[k];

		r->code = matters[k].code;
		r->item = matters[k].item;
		r->rule = tally_rule(r->item);
		r->quorum_met = tally_quorum(r->participating_area_centi, total,
					     r->participating_owners, (int64_t)nowners);
		r->passed =
		    r->quorum_met &&
		    tally_approved(r->item, r->agree_area_centi, r->participating_area_centi,
				   r->agree_owners, r->participating_owners);
	}
	out->owners = (int64_t)nowners;
	out->area_centi = total;
	out->nmatters = nmatters;
	out->matters = res;
	res = NULL;
out:
	free(res);
	free(votes);
	free(owners);
	free(msorted);
	return rc;
}

void tally_result_free(struct tally_result *r)
{
	if (!r)
		return;
	free(r->matters);
	r->matters = NULL;
	r->nmatters = 0;
}
