/* RFC 4180 CSV reader and writer; see csv.h. */
#include "csv.h"
#include "err.h"

#include <string.h>

void csv_open(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->len = len;
	r->line = 1;
	buf_init(&r->field, 16 << 20);
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		r->pos = 3;
}

void csv_close(struct csv_reader *r)
{
	buf_release(&r->field);
}

int csv_next(struct csv_reader *r)
{
	size_t starts[CSV_MAX_FIELDS];
	int n = 0;

	r->nfields = 0;
	r->error = NULL;
	/* Skip blank lines between records. */
	while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r')) {
		if (r->data[r->pos] == '\n')
			r->line++;
		r->pos++;
	}
	if (r->pos >= r->len)
		return 0;
	r->record_line = r->line;
	buf_reset(&r->field);
	for (;;) {
		if (n == CSV_MAX_FIELDS) {
			r->error = "too many fields";
			return LIN_EINVAL;
		}
		starts[n++] = r->field.len;
		if (r->pos < r->len && r->data[r->pos] == '"') {
			r->pos++;
			for (;;) {
				if (r->pos >= r->len) {
					r->error = "unterminated quoted field";
					return LIN_EINVAL;
				}
				char c = r->data[r->pos++];
				if (c == '"') {
					if (r->pos < r->len && r->data[r->pos] == '"') {
						buf_addc(&r->field, '"');
						r->pos++;
						continue;
					}
					break;
				}
				if (c == '\n')
					r->line++;
				buf_addc(&r->field, c);
			}
			if (r->pos < r->len && r->data[r->pos] != ',' && r->data[r->pos] != '\n' &&
			    r->data[r->pos] != '\r') {
				r->error = "text after a closing quote";
				return LIN_EINVAL;
			}
		} else {
			while (r->pos < r->len && r->data[r->pos] != ',' &&
			       r->data[r->pos] != '\n' && r->data[r->pos] != '\r') {
				if (r->data[r->pos] == '"') {
					r->error = "quote inside an unquoted field";
					return LIN_EINVAL;
				}
				buf_addc(&r->field, r->data[r->pos++]);
			}
		}
		buf_addc(&r->field, '\0');
		if (r->pos < r->len && r->data[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len && r->data[r->pos] == '\r')
			r->pos++;
		if (r->pos < r->len && r->data[r->pos] == '\n') {
			r->pos++;
			r->line++;
		}
		break;
	}
	if (r->field.failed) {
		r->error = "record too large";
		return LIN_ETOOBIG;
	}
	for (int i = 0; i < n; i++)
		r->fields[i] = r->field.buf + starts[i];
	r->nfields = n;
	return 1;
}

int csv_add_field(struct buf *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return buf_adds(out, s);
	buf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(out, '"');
		buf_addc(out, *s);
	}
	return buf_addc(out, '"');
}

/* starts_formula: a spreadsheet would read s as a formula (or run it). */
static int starts_formula(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

/* guarded: s is apostrophes before a formula starter, the first of them
 * the guard (so "'=1" written as "''=1" reads back as "'=1"). */
static int guarded(const char *s)
{
	if (*s != '\'')
		return 0;
	while (*s == '\'')
		s++;
	return starts_formula(s);
}

const char *csv_text_value(const char *cell)
{
	return guarded(cell) ? cell + 1 : cell;
}

void csv_add_text(struct buf *out, const char *s)
{
	if (s && (starts_formula(s) || guarded(s))) {
		struct buf cell;
		buf_init(&cell, BUF_DEFAULT_MAX);
		buf_addc(&cell, '\'');
		buf_adds(&cell, s);
		csv_add_field(out, cell.buf);
		buf_release(&cell);
	} else {
		csv_add_field(out, s ? s : "");
	}
}

void csv_add_sep(struct buf *out)
{
	buf_addc(out, ',');
}

void csv_add_end(struct buf *out)
{
	buf_adds(out, "\r\n");
}
