/* The readers of ROLL.csv and BALLOTS.csv (tally_csv.h). Both files are
 * three columns under a fixed header; each row's two text fields go into
 * one string buffer (as offsets while it grows), its third field is parsed
 * here, and the first bad row refuses the file. */
#include "tally_csv.h"
#include "../base/alloc.h"
#include "../base/buf.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What differs between the two files. */
struct table_kind {
	const char *header[3]; /* the columns, in order */
	const char *zh[2];     /* the first two columns' names in Chinese */
	const char *empty[2];  /* the reason for an empty first or second field */
	/* parse the third field; fills why (zh then en) when it refuses */
	int (*third)(const char *s, int64_t *value, char *why, size_t n);
};

/* One row as read: its text fields as offsets into the text buffer. */
struct row {
	size_t first, second;
	int64_t value;
	int line;
};

struct table {
	struct row *rows;
	size_t nrows, cap;
	struct buf text;
};

static int fail(struct tally_csv_error *err, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct tally_csv_error *err, int line, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->reason, sizeof(err->reason), fmt, ap);
	va_end(ap);
	return LIN_EINVAL;
}

/* clip: how many bytes of s to quote in a reason, cut at a character. */
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

/* refuse_value: reason, then the value quoted when it is text a terminal
 * shows as it is (so the message stays UTF-8). */
static int refuse_value(char *why, size_t n, const char *reason, const char *s)
{
	if (utf8_valid(s, strlen(s)) && !strpbrk(s, "\t\r\n"))
		snprintf(why, n, "%s: \"%.*s\"", reason, clip(s, 40), s);
	else
		snprintf(why, n, "%s", reason);
	return LIN_EINVAL;
}

static int area_field(const char *s, int64_t *value, char *why, size_t n)
{
	if (!tally_area_parse(s, value))
		return 0;
	return refuse_value(why, n,
			    "面积须为正数、至多两位小数 the area must be positive with at most "
			    "two decimals",
			    s);
}

static int choice_field(const char *s, int64_t *value, char *why, size_t n)
{
	enum tally_choice c;

	if (!tally_choice_parse(s, &c)) {
		*value = c;
		return 0;
	}
	return refuse_value(why, n,
			    "表决意见须为 agree、oppose 或 abstain the choice must be agree, "
			    "oppose or abstain",
			    s);
}

static const struct table_kind roll_kind = {
    {"unit", "owner", "area_m2"},
    {"房号", "业主"},
    {"房号为空 the unit is empty", "业主为空 the owner is empty"},
    area_field,
};

static const struct table_kind ballots_kind = {
    {"owner", "matter", "choice"},
    {"业主", "事项"},
    {"业主为空 the owner is empty", "事项为空 the matter is empty"},
    choice_field,
};

/* csv_reason: the CSV reader's English reason with its Chinese. */
static const char *csv_reason_zh(const char *en)
{
	static const char *const names[][2] = {
	    {"unterminated quoted field", "引号未闭合"},
	    {"text after a closing quote", "闭合引号后还有文字"},
	    {"quote inside an unquoted field", "未加引号的字段中有引号"},
	    {"too many fields", "列数过多"},
	    {"record too large", "记录过长"},
	};

	for (size_t i = 0; en && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(en, names[i][0]))
			return names[i][1];
	return "格式有误";
}

/* text_ok: a field fit to be a name: UTF-8 without control characters,
 * and no blank at either end (so "张三 " cannot pass for "张三"). */
static int text_ok(const char *s)
{
	size_t n = strlen(s);

	return utf8_valid(s, n) && !strpbrk(s, "\t\r\n") && s[0] != ' ' && s[n - 1] != ' ';
}

static int add_row(struct table *t, const struct row *r)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct row *p = lin_realloc(t->rows, cap * sizeof(*p));
		if (!p)
			return LIN_ENOMEM;
		t->rows = p;
		t->cap = cap;
	}
	t->rows[t->nrows++] = *r;
	return 0;
}

/* read_table reads the header and every row of a file of kind into t. */
static int read_table(const char *data, size_t len, const struct table_kind *kind, struct table *t,
		      struct tally_csv_error *err)
{
	struct csv_reader r;
	const char *nul;
	char why[200];
	int rc;

	memset(t, 0, sizeof(*t));
	buf_init(&t->text, BUF_DEFAULT_MAX);
	csv_open(&r, data, len);
	/* A field is a C string: a NUL would cut it short unseen. */
	nul = memchr(data, '\0', len);
	if (nul) {
		int line = 1;
		for (const char *p = data; p < nul; p++)
			line += *p == '\n';
		rc = fail(err, line, "含有 NUL 字节 the file holds a NUL byte");
		goto out;
	}
	rc = csv_next(&r);
	if (rc == 0) {
		rc = fail(err, 1, "缺少表头 %s,%s,%s the header %s,%s,%s is missing",
			  kind->header[0], kind->header[1], kind->header[2], kind->header[0],
			  kind->header[1], kind->header[2]);
		goto out;
	}
	if (rc == 1 &&
	    (r.nfields != 3 || strcmp(r.fields[0], kind->header[0]) ||
	     strcmp(r.fields[1], kind->header[1]) || strcmp(r.fields[2], kind->header[2]))) {
		rc = fail(err, r.record_line, "表头须为 %s,%s,%s the header must be %s,%s,%s",
			  kind->header[0], kind->header[1], kind->header[2], kind->header[0],
			  kind->header[1], kind->header[2]);
		goto out;
	}
	while (rc == 1 && (rc = csv_next(&r)) == 1) {
		struct row row = {0, 0, 0, r.record_line};

		if (r.nfields != 3) {
			rc = fail(
			    err, r.record_line,
			    "每行须有 3 列，此行有 %d 列 a row needs 3 fields, this one has %d",
			    r.nfields, r.nfields);
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (!r.fields[i][0]) {
				rc = fail(err, r.record_line, "%s", kind->empty[i]);
				goto out;
			}
			if (!text_ok(r.fields[i])) {
				rc = fail(err, r.record_line,
					  "%s须为 UTF-8 文本，不含控制字符，首尾无空格 %s must be "
					  "UTF-8 text without control characters or blanks at "
					  "either end",
					  kind->zh[i], kind->header[i]);
				goto out;
			}
		}
		if (kind->third(r.fields[2], &row.value, why, sizeof(why))) {
			rc = fail(err, r.record_line, "%s", why);
			break;
		}
		row.first = t->text.len;
		buf_add(&t->text, r.fields[0], strlen(r.fields[0]) + 1);
		row.second = t->text.len;
		buf_add(&t->text, r.fields[1], strlen(r.fields[1]) + 1);
		if (t->text.failed || add_row(t, &row)) {
			rc = LIN_ENOMEM;
			break;
		}
	}
	if (rc == LIN_EINVAL && r.error)
		rc = fail(err, r.record_line, "CSV %s malformed CSV: %s", csv_reason_zh(r.error),
			  r.error);
	else if (rc == LIN_ETOOBIG) /* or no memory for it: the reader cannot tell */
		fail(err, r.record_line, "CSV 记录过长 malformed CSV: record too large");
out:
	csv_close(&r);
	if (rc) {
		free(t->rows);
		buf_release(&t->text);
		memset(t, 0, sizeof(*t));
	}
	return rc;
}

/* ---- the roll ---- */

struct unit_at {
	const char *unit;
	size_t index;
};

static int unit_cmp(const void *a, const void *b)
{
	const struct unit_at *x = a, *y = b;
	int c = strcmp(x->unit, y->unit);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* no_unit_twice: the first row (in file order) whose unit came before. */
static int no_unit_twice(const struct tally_roll *roll, struct tally_csv_error *err)
{
	struct unit_at *u = lin_malloc(roll->nparts * sizeof(*u));
	size_t later = 0, first = 0;
	int found = 0;

	if (!u)
		return LIN_ENOMEM;
	for (size_t i = 0; i < roll->nparts; i++)
		u[i] = (struct unit_at){roll->parts[i].unit, i};
	qsort(u, roll->nparts, sizeof(*u), unit_cmp);
	for (size_t i = 1; i < roll->nparts; i++)
		if (!strcmp(u[i].unit, u[i - 1].unit) && (!found || u[i].index < later)) {
			size_t j = i - 1;
			while (j > 0 && !strcmp(u[j - 1].unit, u[i].unit))
				j--;
			found = 1;
			later = u[i].index;
			first = u[j].index;
		}
	free(u);
	if (!found)
		return 0;
	return fail(err, roll->lines[later],
		    "房号重复（已见于第 %d 行） a unit twice, first on line %d: %.*s",
		    roll->lines[first], roll->lines[first], clip(roll->parts[later].unit, 64),
		    roll->parts[later].unit);
}

int tally_roll_read(const char *data, size_t len, struct tally_roll *out,
		    struct tally_csv_error *err)
{
	struct table t;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = read_table(data, len, &roll_kind, &t, err);
	if (rc)
		return rc;
	if (t.nrows == 0) {
		rc = fail(err, 1, "名册中没有专有部分 the roll has no parts");
		goto out;
	}
	out->parts = lin_malloc(t.nrows * sizeof(*out->parts));
	out->lines = lin_malloc(t.nrows * sizeof(*out->lines));
	out->text = buf_detach(&t.text, NULL);
	if (!out->parts || !out->lines || !out->text) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.nrows; i++) {
		out->parts[i] = (struct tally_part){out->text + t.rows[i].first,
						    out->text + t.rows[i].second, t.rows[i].value};
		out->lines[i] = t.rows[i].line;
	}
	out->nparts = t.nrows;
	rc = no_unit_twice(out, err);
out:
	free(t.rows);
	buf_release(&t.text);
	if (rc)
		tally_roll_release(out);
	return rc;
}

void tally_roll_release(struct tally_roll *r)
{
	free(r->parts);
	free(r->lines);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/* ---- the ballots ---- */

int tally_ballots_read(const char *data, size_t len, struct tally_ballots *out,
		       struct tally_csv_error *err)
{
	struct table t;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	rc = read_table(data, len, &ballots_kind, &t, err);
	if (rc)
		return rc;
	out->ballots = lin_malloc((t.nrows ? t.nrows : 1) * sizeof(*out->ballots));
	out->lines = lin_malloc((t.nrows ? t.nrows : 1) * sizeof(*out->lines));
	out->text = buf_detach(&t.text, NULL);
	if (!out->ballots || !out->lines || !out->text) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < t.nrows; i++) {
		out->ballots[i] =
		    (struct tally_ballot){out->text + t.rows[i].first, out->text + t.rows[i].second,
					  (enum tally_choice)t.rows[i].value};
		out->lines[i] = t.rows[i].line;
	}
	out->nballots = t.nrows;
out:
	free(t.rows);
	buf_release(&t.text);
	if (rc)
		tally_ballots_release(out);
	return rc;
}

void tally_ballots_release(struct tally_ballots *b)
{
	free(b->ballots);
	free(b->lines);
	free(b->text);
	memset(b, 0, sizeof(*b));
}
