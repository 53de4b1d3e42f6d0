/* Fuzz target for the BALLOTS.csv reader (src/assembly/tally_csv.c) and
 * supersession in the count (tally.c). Ballots read are text with a
 * choice, lines in order; written back as CSV they read the same. Then
 * every owner and matter they name is put on a roll (areas and items from
 * their order) and the count is compared with a reference written here:
 * for each matter and owner the last ballot only, summed plainly, the
 * thresholds checked with the fractions' own arithmetic. A refusal names
 * a line of the input and a UTF-8 reason. */
#include "fuzz.h"
#include "assembly/tally.h"
#include "assembly/tally_csv.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

#define REF_MAX 400 /* the reference is quadratic: larger inputs skip it */

static int newlines(const char *d, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += d[i] == '\n';
	return n;
}

/* distinct: the distinct strings of the ballots' owners (matters: 0) or
 * matters (1), in order of first appearance. OUT: *n. */
static const char **distinct(const struct tally_ballots *b, int matters, size_t *n)
{
	const char **out = malloc((b->nballots + 1) * sizeof(*out));

	if (!out)
		abort();
	*n = 0;
	for (size_t i = 0; i < b->nballots; i++) {
		const char *s = matters ? b->ballots[i].matter : b->ballots[i].owner;
		size_t k = 0;
		while (k < *n && strcmp(out[k], s))
			k++;
		if (k == *n)
			out[(*n)++] = s;
	}
	return out;
}

static void check_count(const struct tally_ballots *b)
{
	size_t nowners, nmatters;
	const char **owners = distinct(b, 0, &nowners);
	const char **codes = distinct(b, 1, &nmatters);
	struct tally_part *parts = malloc((nowners + 1) * sizeof(*parts));
	struct tally_matter *matters = malloc((nmatters + 1) * sizeof(*matters));
	int64_t *area = malloc((nowners + 1) * sizeof(*area));
	struct tally_result res;
	struct tally_error err;
	int64_t total = 0;

	if (!parts || !matters || !area)
		abort();
	for (size_t i = 0; i < nowners; i++) {
		area[i] = 1 + (int64_t)(i * 7919 % 100000);
		parts[i] = (struct tally_part){owners[i], owners[i], area[i]};
		total += area[i];
	}
	for (size_t k = 0; k < nmatters; k++)
		matters[k] = (struct tally_matter){codes[k], 1 + (int)(k % 9)};
	FUZZ_CHECK(tally_count(parts, nowners, matters, nmatters, b->ballots, b->nballots, &res,
			       &err) == 0);
	FUZZ_CHECK(res.owners == (int64_t)nowners);
	FUZZ_CHECK(res.area_centi == total);
	FUZZ_CHECK(res.nmatters == nmatters);
	for (size_t k = 0; k < nmatters; k++) {
		const struct tally_matter_result *m = &res.matters[k];
		int64_t po = 0, pa = 0, ao = 0, aa = 0, oo = 0, abo = 0, sup = 0, cast = 0;
		int item = matters[k].item;

		FUZZ_CHECK(!strcmp(m->code, codes[k]) && m->item == item);
		for (size_t o = 0; o < nowners; o++) {
			size_t last = b->nballots;
			for (size_t i = 0; i < b->nballots; i++)
				if (!strcmp(b->ballots[i].matter, codes[k]) &&
				    !strcmp(b->ballots[i].owner, owners[o])) {
					last = i;
					cast++;
				}
			if (last == b->nballots)
				continue;
			po++;
			pa += area[o];
			if (b->ballots[last].choice == TALLY_AGREE) {
				ao++;
				aa += area[o];
			} else if (b->ballots[last].choice == TALLY_OPPOSE) {
				oo++;
			} else {
				abo++;
			}
		}
		sup = cast - po;
		FUZZ_CHECK(m->participating_owners == po && m->participating_area_centi == pa);
		FUZZ_CHECK(m->agree_owners == ao && m->agree_area_centi == aa);
		FUZZ_CHECK(m->oppose_owners == oo && m->abstain_owners == abo);
		FUZZ_CHECK(m->oppose_area_centi + m->abstain_area_centi + aa == pa);
		FUZZ_CHECK(m->superseded == sup);
		/* Art. 278: two thirds taking part; three quarters (items 6-8)
		 * or more than half agreeing; areas and heads alike. */
		int quorum = 3 * pa >= 2 * total && 3 * po >= 2 * (int64_t)nowners;
		int agreed = item >= 6 && item <= 8 ? 4 * aa >= 3 * pa && 4 * ao >= 3 * po
						    : 2 * aa > pa && 2 * ao > po;
		FUZZ_CHECK(m->quorum_met == quorum);
		FUZZ_CHECK(m->passed == (quorum && agreed));
	}
	tally_result_free(&res);
	free(owners);
	free(codes);
	free(parts);
	free(matters);
	free(area);
}

static void check_read(const char *d, size_t len, const struct tally_ballots *b)
{
	struct buf out;
	struct tally_ballots again;
	struct tally_csv_error err;

	buf_init(&out, 0);
	buf_adds(&out, "owner,matter,choice\r\n");
	for (size_t i = 0; i < b->nballots; i++) {
		const struct tally_ballot *x = &b->ballots[i];

		FUZZ_CHECK(x->owner[0] && x->matter[0]);
		FUZZ_CHECK(ref_text_valid(x->owner, strlen(x->owner)));
		FUZZ_CHECK(ref_text_valid(x->matter, strlen(x->matter)));
		FUZZ_CHECK(tally_choice_name(x->choice) != NULL);
		FUZZ_CHECK(b->lines[i] >= 1 && b->lines[i] <= 1 + newlines(d, len));
		FUZZ_CHECK(i == 0 || b->lines[i] >=
					 b->lines[i - 1]); /* a lone CR ends a record, not a line */
		csv_add_field(&out, x->owner);
		csv_add_sep(&out);
		csv_add_field(&out, x->matter);
		csv_add_sep(&out);
		buf_adds(&out, tally_choice_name(x->choice));
		csv_add_end(&out);
	}
	FUZZ_CHECK(!out.failed);
	FUZZ_CHECK(tally_ballots_read(out.buf, out.len, &again, &err) == 0);
	FUZZ_CHECK(again.nballots == b->nballots);
	for (size_t i = 0; i < b->nballots; i++) {
		FUZZ_CHECK(!strcmp(again.ballots[i].owner, b->ballots[i].owner));
		FUZZ_CHECK(!strcmp(again.ballots[i].matter, b->ballots[i].matter));
		FUZZ_CHECK(again.ballots[i].choice == b->ballots[i].choice);
	}
	tally_ballots_release(&again);
	buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct tally_ballots b;
	struct tally_csv_error err;
	int rc = tally_ballots_read(d, size, &b, &err);

	if (rc == 0) {
		check_read(d, size, &b);
		if (b.nballots > 0 && b.nballots <= REF_MAX)
			check_count(&b);
		tally_ballots_release(&b);
	} else {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ETOOBIG);
		FUZZ_CHECK(!b.ballots && !b.nballots);
		FUZZ_CHECK(err.line >= 1 && err.line <= 1 + newlines(d, size));
		FUZZ_CHECK(err.reason[0]);
		FUZZ_CHECK(ref_utf8_valid(err.reason, strlen(err.reason)));
	}
	return 0;
}
