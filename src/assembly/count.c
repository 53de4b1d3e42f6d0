/* The count from the database: the roll's live parts, the matters and the
 * ballots in the order cast, handed to tally_count (tally.h), the same
 * code `linli assembly tally` runs on the auditors' CSV files. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdlib.h>
#include <string.h>

/* The strings the tally borrows, owned here until the count is done. */
struct count_input {
	struct tally_part *parts;
	struct tally_matter *matters;
	struct tally_ballot *ballots;
	size_t nparts, nmatters, nballots;
	char **strings; /* every string above, freed together */
	size_t nstrings, capstrings;
};

static char *keep(struct count_input *in, const char *s)
{
	char *copy;

	if (in->nstrings == in->capstrings) {
		size_t cap = in->capstrings ? in->capstrings * 2 : 256;
		char **grown = realloc(in->strings, cap * sizeof(*grown));
		if (!grown)
			return NULL;
		in->strings = grown;
		in->capstrings = cap;
	}
	copy = strdup(s);
	if (copy)
		in->strings[in->nstrings++] = copy;
	return copy;
}

static void count_input_release(struct count_input *in)
{
	for (size_t i = 0; i < in->nstrings; i++)
		free(in->strings[i]);
	free(in->strings);
	free(in->parts);
	free(in->matters);
	free(in->ballots);
}

/* grow makes room for one more element of size sz in *arr. */
static int grow(void **arr, size_t n, size_t sz)
{
	if (n && (n & (n - 1)))
		return 0;
	void *p = realloc(*arr, (n ? n * 2 : 16) * sz);
	if (!p)
		return LIN_ENOMEM;
	*arr = p;
	return 0;
}

static int read_input(struct db *db, int64_t area_id, int64_t assembly_id, struct count_input *in)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT unit, owner_key, area_centi FROM assembly_parts WHERE area_id = ?"
		       " AND assembly_id = ? AND removed = 0 ORDER BY id",
		       &st);

	if (!rc)
		rc = db_bindf(st, "ii", area_id, assembly_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct tally_part *p;
		rc = grow((void **)&in->parts, in->nparts, sizeof(*in->parts));
		if (rc)
			break;
		p = &in->parts[in->nparts++];
		p->unit = keep(in, db_column_text(st, 0));
		p->owner = keep(in, db_column_text(st, 1));
		p->area_centi = db_column_int64(st, 2);
		rc = p->unit && p->owner ? 0 : LIN_ENOMEM;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	st = NULL;
	if (!rc)
		rc = db_prepare(db,
				"SELECT code, item FROM assembly_matters WHERE area_id = ?"
				" AND assembly_id = ? ORDER BY position, id",
				&st);
	if (!rc)
		rc = db_bindf(st, "ii", area_id, assembly_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct tally_matter *m;
		rc = grow((void **)&in->matters, in->nmatters, sizeof(*in->matters));
		if (rc)
			break;
		m = &in->matters[in->nmatters++];
		m->code = keep(in, db_column_text(st, 0));
		m->item = (int)db_column_int64(st, 1);
		rc = m->code ? 0 : LIN_ENOMEM;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	st = NULL;
	if (!rc)
		rc = db_prepare(
		    db,
		    "SELECT b.owner_key, m.code, b.choice FROM assembly_ballots b"
		    " JOIN assembly_matters m ON m.id = b.matter_id"
		    " WHERE b.area_id = ? AND b.assembly_id = ? ORDER BY b.cast_at, b.id",
		    &st);
	if (!rc)
		rc = db_bindf(st, "ii", area_id, assembly_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct tally_ballot *b;
		enum tally_choice c = TALLY_ABSTAIN;
		rc = grow((void **)&in->ballots, in->nballots, sizeof(*in->ballots));
		if (rc)
			break;
		b = &in->ballots[in->nballots++];
		b->owner = keep(in, db_column_text(st, 0));
		b->matter = keep(in, db_column_text(st, 1));
		rc = tally_choice_parse(db_column_text(st, 2), &c);
		b->choice = c;
		if (!rc && (!b->owner || !b->matter))
			rc = LIN_ENOMEM;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

/* keep_codes: the result borrows the matters' codes, which are freed with
 * the input; copy them behind the result's own array, which
 * tally_result_free frees as one block. */
static int keep_codes(struct tally_result *out)
{
	size_t head = out->nmatters * sizeof(*out->matters), bytes = 0;
	struct tally_matter_result *grown;
	char *tail;

	for (size_t i = 0; i < out->nmatters; i++)
		bytes += strlen(out->matters[i].code) + 1;
	{
		char *copy = malloc(bytes ? bytes : 1), *q = copy;
		if (!copy)
			return LIN_ENOMEM;
		for (size_t i = 0; i < out->nmatters; i++) {
			size_t n = strlen(out->matters[i].code) + 1;
			memcpy(q, out->matters[i].code, n);
			q += n;
		}
		grown = realloc(out->matters, head + bytes + 1); /* never 0: that would free */
		if (!grown) {
			free(copy);
			return LIN_ENOMEM;
		}
		out->matters = grown;
		tail = (char *)grown + head;
		memcpy(tail, copy, bytes);
		free(copy);
	}
	for (size_t i = 0; i < out->nmatters; i++) {
		out->matters[i].code = tail;
		tail += strlen(tail) + 1;
	}
	return 0;
}

int assembly_count(struct db *db, int64_t area_id, int64_t assembly_id, struct tally_result *out)
{
	struct count_input in = {0};
	struct tally_error err = {0};
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_input(db, area_id, assembly_id, &in);
	if (!rc)
		rc = tally_count(in.parts, in.nparts, in.matters, in.nmatters, in.ballots,
				 in.nballots, out, &err);
	if (!rc)
		rc = keep_codes(out);
	if (rc)
		tally_result_free(out);
	count_input_release(&in);
	return rc;
}

/* add_row appends one CSV record of three fields to out (a failed append
 * sticks to the buffer, so it is checked once). */
static int add_row(struct buf *out, const char *a, const char *b, const char *c)
{
	csv_add_field(out, a);
	buf_addc(out, ',');
	csv_add_field(out, b);
	buf_addc(out, ',');
	csv_add_field(out, c);
	buf_adds(out, "\r\n");
	return out->failed ? LIN_ENOMEM : 0;
}

int assembly_tally_files(struct db *db, int64_t area_id, int64_t assembly_id, struct buf *roll,
			 struct buf *ballots)
{
	struct count_input in = {0};
	struct buf area;
	int rc = read_input(db, area_id, assembly_id, &in);

	buf_init(&area, 64);
	if (!rc && roll)
		rc = add_row(roll, "unit", "owner", "area_m2");
	for (size_t i = 0; !rc && roll && i < in.nparts; i++) {
		buf_reset(&area);
		tally_area_format(&area, in.parts[i].area_centi);
		rc = add_row(roll, in.parts[i].unit, in.parts[i].owner, area.buf);
	}
	if (!rc && ballots)
		rc = add_row(ballots, "owner", "matter", "choice");
	for (size_t i = 0; !rc && ballots && i < in.nballots; i++)
		rc = add_row(ballots, in.ballots[i].owner, in.ballots[i].matter,
			     tally_choice_name(in.ballots[i].choice));
	buf_release(&area);
	count_input_release(&in);
	return rc;
}
