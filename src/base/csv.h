/* RFC 4180 CSV: a reader that yields one record at a time with its line
 * number, and a writer helper that quotes a field only when it must. */
#ifndef LINLI_BASE_CSV_H
#define LINLI_BASE_CSV_H

#include "buf.h"

#include <stddef.h>
#include <stdio.h>

#define CSV_MAX_FIELDS 64

struct csv_reader {
	const char *data;	      /* whole input, not owned */
	size_t len;		      /* bytes in data */
	size_t pos;		      /* next byte to read */
	int line;		      /* line number where the next record starts (1-based) */
	struct buf field;	      /* scratch for the record's fields, NUL-separated */
	char *fields[CSV_MAX_FIELDS]; /* OUT of csv_next: pointers into field */
	int nfields;		      /* OUT of csv_next: number of fields */
	int record_line;	      /* OUT of csv_next: first line of the record */
	const char *error;	      /* English reason when csv_next fails */
};

/* csv_open prepares to read data (a UTF-8 BOM is skipped). */
void csv_open(struct csv_reader *r, const char *data, size_t len);
void csv_close(struct csv_reader *r);
/* csv_next reads the next record: 1 when one was read, 0 at the end,
 * LIN_EINVAL on malformed input (r->error says why, r->line where). */
int csv_next(struct csv_reader *r);
/* csv_add_field appends s to out, quoted if it holds , " CR or LF. */
int csv_add_field(struct buf *out, const char *s);
/* csv_add_text appends a text cell a spreadsheet will not run as a formula
 * (a leading = + - @ tab or CR is guarded with an apostrophe; so are
 * apostrophes before one, so that csv_text_value gives the text back). */
void csv_add_text(struct buf *out, const char *s);
/* csv_text_value is the text csv_add_text wrote as cell: without the
 * apostrophe that guards a formula starter (points into cell). */
const char *csv_text_value(const char *cell);
/* csv_add_sep ends a field; csv_add_end ends a record (CRLF, RFC 4180). */
void csv_add_sep(struct buf *out);
void csv_add_end(struct buf *out);

#endif
