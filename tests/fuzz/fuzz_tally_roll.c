/* Fuzz target for the ROLL.csv reader (src/assembly/tally_csv.c) and the
 * count over what it reads (tally.c). A roll read is whole: every part
 * has a unit and an owner that are text, an area in range that formats
 * and parses back the same, no unit twice, lines in order; written back
 * as CSV it reads the same. The count over it has the roll's total area
 * and at most one owner per part. A refusal names a line of the input
 * and a reason that is UTF-8, Chinese first. */
#include "fuzz.h"
#include "assembly/tally.h"
#include "assembly/tally_csv.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

static int newlines(const char *d, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += d[i] == '\n';
	return n;
}

static void check_refusal(const char *d, size_t len, const struct tally_csv_error *err)
{
	FUZZ_CHECK(err->line >= 1 && err->line <= 1 + newlines(d, len));
	FUZZ_CHECK(err->reason[0]);
	FUZZ_CHECK(ref_utf8_valid(err->reason, strlen(err->reason)));
}

/* check_count: the count over the roll with one matter, the first half of
 * the parts' owners voting agree. */
static void check_count(const struct tally_roll *r)
{
	const struct tally_matter matter = {"M", 4};
	size_t nb = r->nparts / 2;
	struct tally_ballot *b = malloc((nb + 1) * sizeof(*b));
	struct tally_result res;
	struct tally_error err;
	int64_t total = 0;

	if (!b)
		abort();
	for (size_t i = 0; i < nb; i++)
		b[i] = (struct tally_ballot){r->parts[i].owner, "M", TALLY_AGREE};
	for (size_t i = 0; i < r->nparts; i++)
		total += r->parts[i].area_centi;
	if (tally_count(r->parts, r->nparts, &matter, 1, b, nb, &res, &err) == 0) {
		FUZZ_CHECK(res.area_centi == total);
		FUZZ_CHECK(res.owners >= 1 && res.owners <= (int64_t)r->nparts);
		FUZZ_CHECK(res.matters[0].participating_owners <= res.owners);
		FUZZ_CHECK(res.matters[0].participating_area_centi <= total);
		FUZZ_CHECK(res.matters[0].agree_owners == res.matters[0].participating_owners);
		tally_result_free(&res);
	} else {
		/* Only a roll over 10^12 m² in all is refused. */
		FUZZ_CHECK(!strcmp(err.what, "part"));
		FUZZ_CHECK(total > INT64_C(100000000000000));
	}
	free(b);
}

static void check_read(const char *d, size_t len, const struct tally_roll *r)
{
	struct buf out, area;
	struct tally_roll again;
	struct tally_csv_error err;

	FUZZ_CHECK(r->nparts >= 1);
	buf_init(&out, 0);
	buf_init(&area, 0);
	buf_adds(&out, "unit,owner,area_m2\n");
	for (size_t i = 0; i < r->nparts; i++) {
		const struct tally_part *p = &r->parts[i];
		int64_t back;

		FUZZ_CHECK(p->unit[0] && p->owner[0]);
		FUZZ_CHECK(ref_text_valid(p->unit, strlen(p->unit)));
		FUZZ_CHECK(ref_text_valid(p->owner, strlen(p->owner)));
		FUZZ_CHECK(!strpbrk(p->unit, "\t\r\n") && !strpbrk(p->owner, "\t\r\n"));
		FUZZ_CHECK(p->area_centi > 0 && p->area_centi <= INT64_C(9999999999));
		buf_reset(&area);
		tally_area_format(&area, p->area_centi);
		FUZZ_CHECK(tally_area_parse(area.buf, &back) == 0 && back == p->area_centi);
		FUZZ_CHECK(r->lines[i] >= 1 && r->lines[i] <= 1 + newlines(d, len));
		FUZZ_CHECK(i == 0 || r->lines[i] >=
					 r->lines[i - 1]); /* a lone CR ends a record, not a line */
		if (r->nparts <= 200)
			for (size_t j = 0; j < i; j++)
				FUZZ_CHECK(strcmp(r->parts[j].unit, p->unit));
		csv_add_field(&out, p->unit);
		csv_add_sep(&out);
		csv_add_field(&out, p->owner);
		csv_add_sep(&out);
		buf_adds(&out, area.buf);
		csv_add_end(&out);
	}
	FUZZ_CHECK(!out.failed);
	FUZZ_CHECK(tally_roll_read(out.buf, out.len, &again, &err) == 0);
	FUZZ_CHECK(again.nparts == r->nparts);
	for (size_t i = 0; i < r->nparts; i++) {
		FUZZ_CHECK(!strcmp(again.parts[i].unit, r->parts[i].unit));
		FUZZ_CHECK(!strcmp(again.parts[i].owner, r->parts[i].owner));
		FUZZ_CHECK(again.parts[i].area_centi == r->parts[i].area_centi);
	}
	tally_roll_release(&again);
	buf_release(&out);
	buf_release(&area);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct tally_roll r;
	struct tally_csv_error err;
	int rc = tally_roll_read(d, size, &r, &err);

	if (rc == 0) {
		check_read(d, size, &r);
		check_count(&r);
		tally_roll_release(&r);
	} else {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ETOOBIG);
		FUZZ_CHECK(!r.parts && !r.nparts);
		check_refusal(d, size, &err);
	}
	return 0;
}
