/* Fuzz target for the CSV reader and writer (src/base/csv.c). The input is
 * read as CSV and compared record by record with a reference reader; every
 * record read is written back with csv_add_field and must read the same.
 * The same bytes, cut into fields at NUL and into records at 0x01, must
 * also survive a write and a read unchanged. */
#include "fuzz.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ reference */

/* One field of the reference reader: a copy with quotes undone. */
struct ref_field {
	char *text; /* in the record's store, NUL-terminated (may hold NULs) */
	size_t len; /* bytes in text */
};

struct ref_record {
	struct ref_field fields[CSV_MAX_FIELDS]; /* the record's fields */
	int n;					 /* fields used */
	int line;				 /* 1 + newlines before the record */
	char *store;				 /* malloc'd: every field's text */
};

static void ref_record_release(struct ref_record *rec)
{
	free(rec->store);
	rec->store = NULL;
	rec->n = 0;
}

static int count_newlines(const char *s, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

/* ref_next reads the record at *pos as RFC 4180 with blank lines skipped,
 * CR, LF or CRLF ending a record: 1 with rec filled, 0 at the end,
 * -1 when malformed. */
static int ref_next(const char *d, size_t len, size_t *pos, struct ref_record *rec)
{
	size_t p = *pos;

	rec->n = 0;
	while (p < len && (d[p] == '\r' || d[p] == '\n'))
		p++;
	if (p >= len)
		return 0;
	rec->line = 1 + count_newlines(d, p);
	/* The fields are at most the rest of the input plus their NULs. */
	rec->store = malloc(len - p + CSV_MAX_FIELDS + 1);
	if (!rec->store)
		abort();
	for (char *text = rec->store;; text += rec->fields[rec->n - 1].len + 1) {
		size_t n = 0;
		if (rec->n == CSV_MAX_FIELDS)
			return -1;
		rec->fields[rec->n].text = text;
		rec->fields[rec->n].len = 0;
		rec->n++;
		if (p < len && d[p] == '"') {
			for (p++;; p++) {
				if (p >= len)
					return -1;
				if (d[p] == '"' && p + 1 < len && d[p + 1] == '"') {
					text[n++] = '"';
					p++;
				} else if (d[p] == '"') {
					p++;
					break;
				} else {
					text[n++] = d[p];
				}
			}
			if (p < len && d[p] != ',' && d[p] != '\r' && d[p] != '\n')
				return -1;
		} else {
			for (; p < len && d[p] != ',' && d[p] != '\r' && d[p] != '\n'; p++) {
				if (d[p] == '"')
					return -1;
				text[n++] = d[p];
			}
		}
		text[n] = '\0';
		rec->fields[rec->n - 1].len = n;
		if (p < len && d[p] == ',') {
			p++;
			continue;
		}
		if (p < len && d[p] == '\r')
			p++;
		if (p < len && d[p] == '\n')
			p++;
		*pos = p;
		return 1;
	}
}

/* ------------------------------------------------------------ checks */

/* write_record writes fields with csv_add_field. A record of one empty
 * field would be a blank line, which readers skip: it is written "". */
static void write_record(struct buf *out, char *const *fields, int n, int crlf)
{
	if (n == 1 && !fields[0][0]) {
		buf_adds(out, "\"\"");
	} else {
		for (int i = 0; i < n; i++) {
			if (i)
				buf_addc(out, ',');
			csv_add_field(out, fields[i]);
		}
	}
	buf_adds(out, crlf ? "\r\n" : "\n");
}

/* same_records: two readers give the same records, field by field. */
static void same_records(const char *a, size_t alen, const char *b, size_t blen)
{
	struct csv_reader ra, rb;
	int rca, rcb;

	csv_open(&ra, a, alen);
	csv_open(&rb, b, blen);
	do {
		rca = csv_next(&ra);
		rcb = csv_next(&rb);
		FUZZ_CHECK(rca == rcb);
		if (rca != 1)
			break;
		FUZZ_CHECK(ra.nfields == rb.nfields);
		for (int i = 0; i < ra.nfields; i++)
			FUZZ_CHECK(!strcmp(ra.fields[i], rb.fields[i]));
	} while (1);
	FUZZ_CHECK(rca == 0);
	csv_close(&ra);
	csv_close(&rb);
}

/* check_reader reads data with csv_next and the reference side by side,
 * then writes what it read and reads that again. */
static void check_reader(const char *d, size_t len)
{
	struct csv_reader r;
	struct ref_record rec = {.n = 0, .store = NULL};
	struct buf out;
	size_t refpos = 0, prevpos;
	int rc, refrc, records = 0, crlf = 0;

	buf_init(&out, 0);
	buf_adds(&out, "\xef\xbb\xbf");
	csv_open(&r, d, len);
	if (len >= 3 && !memcmp(d, "\xef\xbb\xbf", 3))
		refpos = 3;
	FUZZ_CHECK(r.pos == refpos);
	for (;;) {
		prevpos = r.pos;
		rc = csv_next(&r);
		refrc = ref_next(d, len, &refpos, &rec);
		FUZZ_CHECK(rc == 1 || rc == 0 || rc == LIN_EINVAL);
		FUZZ_CHECK((rc == 1) == (refrc == 1));
		FUZZ_CHECK((rc == 0) == (refrc == 0));
		FUZZ_CHECK(r.pos <= len);
		if (rc != 1) {
			FUZZ_CHECK((rc == 0) == (r.error == NULL));
			ref_record_release(&rec);
			break;
		}
		FUZZ_CHECK(r.error == NULL);
		FUZZ_CHECK(r.pos > prevpos && r.pos == refpos);
		FUZZ_CHECK(++records <= (int)len);
		/* The line numbers that import errors quote. */
		FUZZ_CHECK(r.record_line == rec.line);
		FUZZ_CHECK(r.line == 1 + count_newlines(d, r.pos));
		FUZZ_CHECK(r.nfields == rec.n);
		for (int i = 0; i < r.nfields; i++) {
			const char *f = r.fields[i];
			FUZZ_CHECK(f >= r.field.buf && f < r.field.buf + r.field.len);
			/* A field is a C string: it ends at a NUL byte of the input. */
			FUZZ_CHECK(!strcmp(f, rec.fields[i].text));
		}
		ref_record_release(&rec);
		write_record(&out, r.fields, r.nfields, crlf);
		crlf = !crlf;
	}
	if (rc == 0) {
		FUZZ_CHECK(r.line == 1 + count_newlines(d, len));
		/* The end stays the end. */
		FUZZ_CHECK(csv_next(&r) == 0);
		FUZZ_CHECK(!out.failed);
		same_records(d, len, out.buf, out.len);
	}
	csv_close(&r);
	buf_release(&out);
}

/* check_writer cuts data into fields (at NUL) and records (at 0x01, and
 * the end), writes them and checks that the reader gives them back. */
static void check_writer(const char *d, size_t len)
{
	char *copy = fuzz_strndup((const uint8_t *)d, len);
	char **fields = malloc((len + 1) * sizeof(*fields));
	size_t *first = malloc((len + 2) * sizeof(*first)); /* record -> its first field */
	int *count = malloc((len + 1) * sizeof(*count));    /* record -> fields written */
	size_t nfields = 0, start = 0;
	int nrecords = 0, rc;
	struct buf out;
	struct csv_reader r;

	if (!fields || !first || !count)
		abort();
	buf_init(&out, 0);
	/* A file that starts with a BOM keeps its first field intact. */
	buf_adds(&out, "\xef\xbb\xbf");
	first[0] = 0;
	for (size_t i = 0; i <= len; i++) {
		char sep = i == len ? '\x01' : copy[i];
		if (sep != '\0' && sep != '\x01')
			continue;
		copy[i] = '\0';
		fields[nfields++] = copy + start;
		start = i + 1;
		if (sep == '\x01') {
			size_t n = nfields - first[nrecords];
			/* More than CSV_MAX_FIELDS cannot be read back: write the first. */
			count[nrecords] = n > CSV_MAX_FIELDS ? CSV_MAX_FIELDS : (int)n;
			write_record(&out, fields + first[nrecords], count[nrecords], nrecords % 2);
			first[++nrecords] = nfields;
		}
	}
	FUZZ_CHECK(!out.failed);

	csv_open(&r, out.buf, out.len);
	for (int rec = 0; rec < nrecords; rec++) {
		rc = csv_next(&r);
		FUZZ_CHECK(rc == 1);
		FUZZ_CHECK(r.nfields == count[rec]);
		for (int i = 0; i < r.nfields; i++)
			FUZZ_CHECK(!strcmp(r.fields[i], fields[first[rec] + (size_t)i]));
	}
	FUZZ_CHECK(csv_next(&r) == 0);
	csv_close(&r);
	buf_release(&out);
	free(copy);
	free(fields);
	free(first);
	free(count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_reader((const char *)data, size);
	check_writer((const char *)data, size);
	return 0;
}
