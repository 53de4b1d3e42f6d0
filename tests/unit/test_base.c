/* Unit tests for src/base: the capped buffer, the arena, the strict parsers
 * of outside input, and the CSV reader and writer. Each test names the
 * behaviour a caller relies on. */
#include "base/addr.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/opts.h"
#include "base/parse.h"
#include "base/timeutil.h"
#include "base/worker.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

/* ---------------------------------------------------------------- buf */

static void buf_appends_and_formats(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_int_equal(buf_adds(&b, "住户"), 0);
	assert_int_equal(buf_addc(&b, ' '), 0);
	assert_int_equal(buf_addf(&b, "%d-%s", 42, "x"), 0);
	assert_int_equal(buf_add(&b, "abc", 2), 0);
	assert_string_equal(b.buf, "住户 42-xab");
	assert_int_equal(b.len, strlen("住户 42-xab"));
	buf_release(&b);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
}

static void buf_cap_reached_fails_and_drops_contents(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345"), 0);
	assert_int_equal(buf_adds(&b, "678"), 0); /* exactly at the cap */
	assert_string_equal(b.buf, "12345678");
	assert_int_equal(buf_addc(&b, '9'), LIN_ENOMEM);
	assert_true(b.failed);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	/* Every later append fails too, so one check at the end suffices. */
	assert_int_equal(buf_adds(&b, "a"), LIN_ENOMEM);
	assert_int_equal(buf_addf(&b, "%d", 1), LIN_ENOMEM);
	assert_int_equal(buf_add_json_string(&b, "x"), LIN_ENOMEM);
	assert_string_equal(b.buf, "");
	assert_null(buf_detach(&b, NULL));
	/* buf_reset makes it usable again. */
	buf_reset(&b);
	assert_int_equal(buf_adds(&b, "ok"), 0);
	assert_string_equal(b.buf, "ok");
	buf_release(&b);
}

static void buf_addf_over_cap_fails(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_addf(&b, "%s", "0123456789"), 0);
	buf_reset(&b);
	assert_int_equal(buf_addf(&b, "%s", "0123456789A"), LIN_ENOMEM);
	assert_true(b.failed);
	assert_string_equal(b.buf, "");
	buf_release(&b);
}

static void buf_detach_hands_over_memory(void **state)
{
	struct buf b;
	size_t len = 99;
	char *s;

	(void)state;
	buf_init(&b, 0);
	s = buf_detach(&b, &len); /* an empty buffer still gives a string */
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	buf_adds(&b, "hello");
	s = buf_detach(&b, &len);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	free(s);
	buf_release(&b);
}

static void buf_json_string_escaping(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_add_json_string(&b, "plain"), 0);
	assert_string_equal(b.buf, "\"plain\"");
	buf_reset(&b);
	assert_int_equal(buf_add_json_string(&b, "a\"b\\c\nd\re\tf\x01g\x1fh"), 0);
	assert_string_equal(b.buf, "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\"");
	buf_reset(&b);
	/* UTF-8 passes through unchanged; '/' needs no escape. */
	assert_int_equal(buf_add_json_string(&b, "张三 </script>"), 0);
	assert_string_equal(b.buf, "\"张三 </script>\"");
	buf_reset(&b);
	assert_int_equal(buf_add_json_string(&b, ""), 0);
	assert_string_equal(b.buf, "\"\"");
	buf_release(&b);
}

/* -------------------------------------------------------------- arena */

static void arena_allocates_zeroed_aligned_memory(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	for (size_t size = 0; size < 100; size += 7) {
		unsigned char *p = arena_alloc(&a, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		for (size_t i = 0; i < size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, size);
	}
	/* A request larger than a block gets its own block. */
	unsigned char *big = arena_alloc(&a, 100000);
	assert_non_null(big);
	assert_int_equal(big[99999], 0);
	memset(big, 1, 100000);
	arena_release(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	/* Reusable after release. */
	assert_non_null(arena_alloc(&a, 10));
	arena_release(&a);
}

static void arena_strings(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	assert_string_equal(arena_strdup(&a, "社区"), "社区");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(&a, "%s=%d", "n", -7), "n=-7");
	arena_release(&a);
}

static void arena_cap_is_enforced(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 16384);
	assert_non_null(arena_alloc(&a, 8000));
	assert_non_null(arena_alloc(&a, 8000)); /* a second 8 KiB block: at the cap */
	assert_null(arena_alloc(&a, 8000));	/* a third would pass it */
	assert_true(a.total <= a.max);
	arena_release(&a);

	arena_init(&a, 0);
	assert_null(arena_alloc(&a, SIZE_MAX)); /* rounding up would wrap */
	assert_null(arena_alloc(&a, SIZE_MAX - 8));
	arena_release(&a);
}

/* Once a block exists, a request near SIZE_MAX must not wrap the cap check
 * or the block size (it once did, and memset far past a tiny block). */
static void arena_huge_request_after_first_block(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	assert_non_null(arena_alloc(&a, 1));
	assert_null(arena_alloc(&a, SIZE_MAX - 20));
	arena_release(&a);
}

/* -------------------------------------------------------------- parse */

static void parse_int64_edges(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(parse_int64("0", INT64_MIN, INT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("-17", -100, 100, &v), 0);
	assert_int_equal(v, -17);
	assert_int_equal(parse_int64("9223372036854775807", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", INT64_MIN, INT64_MAX, &v), 0);
	assert_true(v == INT64_MIN);
	assert_int_equal(parse_int64("9007199254740993", 0, INT64_MAX, &v), 0);
	assert_true(v == 9007199254740993LL);

	v = 12345;
	assert_int_equal(parse_int64("9223372036854775808", INT64_MIN, INT64_MAX, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("-9223372036854775809", INT64_MIN, INT64_MAX, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("", 0, 10, &v), LIN_EINVAL);
	assert_int_equal(parse_int64(NULL, 0, 10, &v), LIN_EINVAL);
	assert_int_equal(parse_int64(" 1", 0, 10, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("1 ", 0, 10, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("\t1", 0, 10, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("12a", 0, 100, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("0x10", 0, 100, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("1.5", 0, 100, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("-", 0, 100, &v), LIN_EINVAL);
	/* Range limits are inclusive. */
	assert_int_equal(parse_int64("10", 0, 10, &v), 0);
	assert_int_equal(parse_int64("11", 0, 10, &v), LIN_EINVAL);
	assert_int_equal(parse_int64("-1", 0, 10, &v), LIN_EINVAL);
	assert_int_equal(v, 10); /* failures leave *out alone */
}

static void parse_centi_is_exact(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_int_equal(parse_centi("93.5", INT64_MAX, &v), 0);
	assert_int_equal(v, 9350);
	assert_int_equal(parse_centi("0.01", INT64_MAX, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(parse_centi("120.25", INT64_MAX, &v), 0);
	assert_int_equal(v, 12025);
	assert_int_equal(parse_centi("0.1", INT64_MAX, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_centi("7", INT64_MAX, &v), 0);
	assert_int_equal(v, 700);
	assert_int_equal(parse_centi("0", INT64_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_centi("0.29", INT64_MAX, &v), 0); /* 0.29 * 100 is 28.999... */
	assert_int_equal(v, 29);
	assert_int_equal(parse_centi("1.15", INT64_MAX, &v), 0);
	assert_int_equal(v, 115);
	assert_int_equal(parse_centi("92233720368547758.07", INT64_MAX, &v), 0);
	assert_true(v == INT64_MAX);
}

static void parse_centi_rejects(void **state)
{
	static const char *bad[] = {
	    "1.234", "-1",  "",	     "1e3", ".5",  "5.",   " 1", "1 ",
	    "+1",    "1,5", "1.2.3", "abc", "0x1", "1.-1", "１", "92233720368547758.08",
	    NULL,
	};
	int64_t v = 0;

	(void)state;
	for (int i = 0; bad[i]; i++) {
		if (parse_centi(bad[i], INT64_MAX, &v) != LIN_EINVAL)
			fail_msg("parse_centi accepted \"%s\"", bad[i]);
	}
	assert_int_equal(parse_centi(NULL, INT64_MAX, &v), LIN_EINVAL);
	/* The cap is inclusive and exact. */
	assert_int_equal(parse_centi("100", 10000, &v), 0);
	assert_int_equal(v, 10000);
	assert_int_equal(parse_centi("100.01", 10000, &v), LIN_EINVAL);
	/* Also when the cap is below one whole unit. */
	assert_int_equal(parse_centi("0.50", 50, &v), 0);
	assert_int_equal(v, 50);
	assert_int_equal(parse_centi("0.51", 50, &v), LIN_EINVAL);
	assert_int_equal(parse_centi("0.6", 50, &v), LIN_EINVAL);
	assert_int_equal(parse_centi("99999999999999999999", INT64_MAX, &v), LIN_EINVAL);
}

static void format_centi_round_trips(void **state)
{
	static const int64_t values[] = {0, 1, 10, 99, 100, 9350, 12025, 123456789, INT64_MAX};
	char out[32];
	int64_t back;

	(void)state;
	format_centi(9350, out, sizeof(out));
	assert_string_equal(out, "93.50");
	format_centi(1, out, sizeof(out));
	assert_string_equal(out, "0.01");
	format_centi(0, out, sizeof(out));
	assert_string_equal(out, "0.00");
	format_centi(-5, out, sizeof(out));
	assert_string_equal(out, "-0.05");
	format_centi(-12025, out, sizeof(out));
	assert_string_equal(out, "-120.25");
	format_centi(INT64_MIN, out, sizeof(out));
	assert_string_equal(out, "-92233720368547758.08");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		format_centi(values[i], out, sizeof(out));
		assert_int_equal(parse_centi(out, INT64_MAX, &back), 0);
		assert_true(back == values[i]);
	}
}

/* Periods as the place manager and dance teams type them. */
static void parse_periods_edges(void **state)
{
	int p[4][2];

	(void)state;
	assert_int_equal(parse_periods("", p, 4), 0);
	assert_int_equal(parse_periods("18:00-21:30", p, 4), 1);
	assert_int_equal(p[0][0], 18 * 60);
	assert_int_equal(p[0][1], 21 * 60 + 30);
	assert_int_equal(parse_periods("06:30-08:00; 18:00–21:30", p, 4), 2);
	assert_int_equal(p[1][0], 18 * 60);
	assert_int_equal(parse_periods("00:00-24:00", p, 4), 1);
	assert_int_equal(p[0][1], 1440);
	assert_int_equal(parse_periods("20:00-19:00", p, 4), LIN_EINVAL); /* backwards */
	assert_int_equal(parse_periods("19:00-19:00", p, 4), LIN_EINVAL); /* empty */
	assert_int_equal(parse_periods("18:00-20:00;19:00-21:00", p, 4), LIN_EINVAL); /* overlap */
	/* Periods may touch: one ends when the next begins. */
	assert_int_equal(parse_periods("18:00-19:00;19:00-20:00", p, 4), 2);
	assert_int_equal(p[1][0], 19 * 60);
	assert_int_equal(parse_periods("19:00-20:00;18:00-18:30", p, 4), LIN_EINVAL); /* order */
	assert_int_equal(parse_periods("24:01-24:30", p, 4), LIN_EINVAL);
	assert_int_equal(parse_periods("18:60-19:00", p, 4), LIN_EINVAL);
	assert_int_equal(parse_periods("8:00-9:00", p, 4), LIN_EINVAL);
	assert_int_equal(parse_periods("18:00-19:00x", p, 4), LIN_EINVAL);
	assert_int_equal(parse_periods("18:00-19:00;", p, 4), LIN_EINVAL);
	assert_int_equal(parse_periods("1:00-2:00", p, 4), LIN_EINVAL);
	assert_int_equal(parse_periods("01:00-02:00,03:00-04:00", p, 1), LIN_EINVAL); /* > max */
}

static void parse_shape_edges(void **state)
{
	int64_t p[4][2];

	(void)state;
	assert_int_equal(parse_shape("0,0 20,0 20,15.5", p, 4, 1000000), 3);
	assert_int_equal(p[2][0], 2000);
	assert_int_equal(p[2][1], 1550);
	assert_int_equal(parse_shape("  1,1  2,1 2,2 ", p, 4, 1000000), 3);
	assert_int_equal(parse_shape("0,0 20,0", p, 4, 1000000), LIN_EINVAL); /* a line */
	assert_int_equal(parse_shape("0,0 1,0 1,1 0,1 0,0", p, 4, 1000000), LIN_EINVAL);
	assert_int_equal(parse_shape("-1,0 1,0 1,1", p, 4, 1000000), LIN_EINVAL);
	assert_int_equal(parse_shape("0,0 1,0 1,1.234", p, 4, 1000000), LIN_EINVAL);
	assert_int_equal(parse_shape("0,0 1,0 10001,1", p, 4, 1000000), LIN_EINVAL);
	assert_int_equal(parse_shape("0,0 1,0 1;1", p, 4, 1000000), LIN_EINVAL);
	assert_int_equal(parse_shape("0,0 1,0 1,", p, 4, 1000000), LIN_EINVAL);
}

static void parse_date_calendar(void **state)
{
	static const char *bad[] = {
	    "2023-02-29",  "2100-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
	    "2024-01-00",  "2024-01-32", "1899-12-31", "2101-01-01", "2024-4-01",  "2024/04/01",
	    "2024-04-01x", "24-04-01",	 "",	       "2024-0a-01", " 2024-04-1", NULL,
	};
	int y = 0, m = 0, d = 0;

	(void)state;
	assert_int_equal(parse_date("2024-02-29", &y, &m, &d), 0);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(parse_date("2000-02-29", &y, &m, &d), 0); /* divisible by 400 */
	assert_int_equal(parse_date("1900-01-01", &y, &m, &d), 0);
	assert_int_equal(parse_date("2100-12-31", &y, &m, &d), 0);
	assert_int_equal(parse_date("2023-12-31", &y, &m, &d), 0);
	assert_int_equal(y, 2023);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	for (int i = 0; bad[i]; i++) {
		if (parse_date(bad[i], &y, &m, &d) != LIN_EINVAL)
			fail_msg("parse_date accepted \"%s\"", bad[i]);
	}
	assert_int_equal(parse_date(NULL, &y, &m, &d), LIN_EINVAL);
}

static void parse_bool_words(void **state)
{
	static const char *yes[] = {"1", "true", "TRUE", "yes", "Yes", "on", "是", "y", NULL};
	static const char *no[] = {"0", "false", "False", "no", "NO", "off", "否", "n", NULL};
	static const char *bad[] = {"2", "maybe", "tru", "yes ", "是的", "-1", NULL};
	int v;

	(void)state;
	for (int i = 0; yes[i]; i++) {
		v = -1;
		assert_int_equal(parse_bool(yes[i], &v), 0);
		assert_int_equal(v, 1);
	}
	for (int i = 0; no[i]; i++) {
		v = -1;
		assert_int_equal(parse_bool(no[i], &v), 0);
		assert_int_equal(v, 0);
	}
	for (int i = 0; bad[i]; i++) {
		if (parse_bool(bad[i], &v) != LIN_EINVAL)
			fail_msg("parse_bool accepted \"%s\"", bad[i]);
	}
	assert_int_equal(parse_bool(NULL, &v), LIN_EINVAL);
}

static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void utf8_validation(void **state)
{
	(void)state;
	assert_true(valid(""));
	assert_true(valid("plain ASCII"));
	assert_true(valid("中华人民共和国"));
	assert_true(valid("tab\there\nnewline"));
	assert_true(valid("\xc2\xa9"));		/* U+00A9, smallest 2-byte is U+0080 */
	assert_true(valid("\xef\xbf\xbd"));	/* U+FFFD, the last character before them */
	assert_true(valid("\xf0\x9f\x98\x80")); /* U+1F600, 4 bytes */
	assert_true(valid("\xf4\x8f\xbf\xbd")); /* U+10FFFD, the last character */
	assert_true(valid("\xef\xb7\x8f"));	/* U+FDCF, just before the block */
	assert_true(valid("\xef\xb7\xb0"));	/* U+FDF0, just after it */
	/* Non-characters, which an XML answer cannot carry: U+FFFE, U+FFFF,
	 * U+FDD0 and U+FDEF (the block's ends), U+1FFFE, U+10FFFF. */
	assert_false(valid("\xef\xbf\xbe"));
	assert_false(valid("\xef\xbf\xbf"));
	assert_false(valid("\xef\xb7\x90"));
	assert_false(valid("\xef\xb7\xaf"));
	assert_false(valid("\xf0\x9f\xbf\xbe"));
	assert_false(valid("\xf4\x8f\xbf\xbf"));

	/* Overlong encodings. */
	assert_false(valid("\xc0\x80"));
	assert_false(valid("\xc1\xbf"));
	assert_false(valid("\xe0\x80\xaf"));
	assert_false(valid("\xf0\x80\x80\xaf"));
	/* UTF-16 surrogates. */
	assert_false(valid("\xed\xa0\x80"));
	assert_false(valid("\xed\xbf\xbf"));
	/* Beyond U+10FFFF and impossible bytes. */
	assert_false(valid("\xf4\x90\x80\x80"));
	assert_false(valid("\xf8\x88\x80\x80\x80"));
	assert_false(valid("\xff"));
	assert_false(valid("\xfe"));
	/* Truncated sequences and stray continuation bytes. */
	assert_false(valid("\xe4\xb8"));
	assert_false(valid("ab\xe4"));
	assert_false(valid("\x80"));
	assert_false(valid("\xe4\x41\x41"));
	/* Control characters and NUL. */
	assert_false(valid("\x01"));
	assert_false(valid("bell\x07"));
	assert_false(valid("\x1b[31m"));
	assert_false(valid("\x7f"));
	assert_false(utf8_valid("a\0b", 3));
	/* Only len bytes are looked at. */
	assert_true(utf8_valid("ab\xff", 2));
}

static void utf8_counts_code_points(void **state)
{
	char text[] = "  \t张三 \r\n";

	(void)state;
	assert_int_equal(utf8_chars(""), 0);
	assert_int_equal(utf8_chars("abc"), 3);
	assert_int_equal(utf8_chars("中华人民共和国"), 7);
	assert_int_equal(utf8_chars("a中b"), 3);
	assert_int_equal(utf8_chars("\xf0\x9f\x98\x80"), 1);
	assert_string_equal(str_trim(text), "张三");
}

/* ---------------------------------------------------------------- csv */

/* expect_record reads one record and checks its fields and first line. */
static void expect_record(struct csv_reader *r, int line, int nfields, ...)
{
	va_list ap;

	assert_int_equal(csv_next(r), 1);
	assert_int_equal(r->record_line, line);
	assert_int_equal(r->nfields, nfields);
	va_start(ap, nfields);
	for (int i = 0; i < nfields; i++)
		assert_string_equal(r->fields[i], va_arg(ap, const char *));
	va_end(ap);
}

static void csv_reads_plain_records(void **state)
{
	static const char data[] = "name,door,area\n张三,1-101,93.5\nlast,row,no-newline";
	struct csv_reader r;

	(void)state;
	csv_open(&r, data, strlen(data));
	expect_record(&r, 1, 3, "name", "door", "area");
	expect_record(&r, 2, 3, "张三", "1-101", "93.5");
	expect_record(&r, 3, 3, "last", "row", "no-newline");
	assert_int_equal(csv_next(&r), 0);
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);
}

static void csv_quoted_fields(void **state)
{
	static const char data[] = "\"a, b\",\"say \"\"hi\"\"\",\"\"\n"
				   ",,\n"
				   "x,\"\",\"\"\"\"\n";
	struct csv_reader r;

	(void)state;
	csv_open(&r, data, strlen(data));
	expect_record(&r, 1, 3, "a, b", "say \"hi\"", "");
	expect_record(&r, 2, 3, "", "", "");
	expect_record(&r, 3, 3, "x", "", "\"");
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);
}

static void csv_embedded_newlines_keep_line_numbers(void **state)
{
	static const char data[] = "h1,h2\n"
				   "\"line one\nline two\nline three\",x\n"
				   "after,quoted\n"
				   "\n"
				   "\n"
				   "after,blank\n"
				   "\"crlf\r\ninside\",y\r\n"
				   "last,one\n";
	struct csv_reader r;

	(void)state;
	csv_open(&r, data, strlen(data));
	expect_record(&r, 1, 2, "h1", "h2");
	expect_record(&r, 2, 2, "line one\nline two\nline three", "x");
	expect_record(&r, 5, 2, "after", "quoted");
	expect_record(&r, 8, 2, "after", "blank");
	expect_record(&r, 9, 2, "crlf\r\ninside", "y");
	expect_record(&r, 11, 2, "last", "one");
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);
}

static void csv_skips_bom_and_handles_crlf(void **state)
{
	static const char data[] = "\xef\xbb\xbfname,phone\r\n李四,13800000000\r\n\r\n王五,\r\n";
	struct csv_reader r;

	(void)state;
	csv_open(&r, data, strlen(data));
	expect_record(&r, 1, 2, "name", "phone");
	expect_record(&r, 2, 2, "李四", "13800000000");
	expect_record(&r, 4, 2, "王五", "");
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);

	/* A BOM alone is an empty file. */
	csv_open(&r, "\xef\xbb\xbf", 3);
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);
	csv_open(&r, "", 0);
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);
}

static void csv_malformed_input(void **state)
{
	static const char unterminated[] = "a,b\n\"open,x\nmore\n";
	static const char after_quote[] = "ok,1\nfine,2\n\"bad\"x,3\n";
	static const char bare_quote[] = "ok\nab\"c,d\n";
	struct csv_reader r;

	(void)state;
	csv_open(&r, unterminated, strlen(unterminated));
	expect_record(&r, 1, 2, "a", "b");
	assert_int_equal(csv_next(&r), LIN_EINVAL);
	assert_non_null(r.error);
	assert_string_equal(r.error, "unterminated quoted field");
	assert_int_equal(r.record_line, 2);
	assert_int_equal(r.line, 4); /* where the reader ran out of input */
	csv_close(&r);

	csv_open(&r, after_quote, strlen(after_quote));
	expect_record(&r, 1, 2, "ok", "1");
	expect_record(&r, 2, 2, "fine", "2");
	assert_int_equal(csv_next(&r), LIN_EINVAL);
	assert_string_equal(r.error, "text after a closing quote");
	assert_int_equal(r.line, 3);
	assert_int_equal(r.record_line, 3);
	csv_close(&r);

	csv_open(&r, bare_quote, strlen(bare_quote));
	expect_record(&r, 1, 1, "ok");
	assert_int_equal(csv_next(&r), LIN_EINVAL);
	assert_string_equal(r.error, "quote inside an unquoted field");
	assert_int_equal(r.line, 2);
	csv_close(&r);
}

static void csv_too_many_fields(void **state)
{
	struct buf line;
	struct csv_reader r;

	(void)state;
	buf_init(&line, 0);
	for (int i = 0; i < CSV_MAX_FIELDS; i++)
		buf_addf(&line, "%s%d", i ? "," : "", i);
	buf_addc(&line, '\n');
	csv_open(&r, line.buf, line.len);
	assert_int_equal(csv_next(&r), 1);
	assert_int_equal(r.nfields, CSV_MAX_FIELDS);
	assert_string_equal(r.fields[CSV_MAX_FIELDS - 1], "63");
	csv_close(&r);

	line.len--; /* drop the newline, add one more field */
	buf_adds(&line, ",64\n");
	csv_open(&r, line.buf, line.len);
	assert_int_equal(csv_next(&r), LIN_EINVAL);
	assert_string_equal(r.error, "too many fields");
	csv_close(&r);
	buf_release(&line);
}

static void csv_add_field_quotes_when_needed(void **state)
{
	static const char *fields[] = {"plain", "a,b", "say \"hi\"", "l1\nl2",
				       "cr\r",	"",    "张三",	     NULL};
	struct buf out;
	struct csv_reader r;

	(void)state;
	buf_init(&out, 0);
	assert_int_equal(csv_add_field(&out, "plain"), 0);
	assert_string_equal(out.buf, "plain");
	buf_reset(&out);
	assert_int_equal(csv_add_field(&out, "a,b"), 0);
	assert_string_equal(out.buf, "\"a,b\"");
	buf_reset(&out);
	assert_int_equal(csv_add_field(&out, "say \"hi\""), 0);
	assert_string_equal(out.buf, "\"say \"\"hi\"\"\"");
	buf_reset(&out);
	assert_int_equal(csv_add_field(&out, "l1\nl2"), 0);
	assert_string_equal(out.buf, "\"l1\nl2\"");
	buf_reset(&out);

	/* What the writer writes, the reader reads back unchanged. */
	for (int i = 0; fields[i]; i++) {
		if (i)
			buf_addc(&out, ',');
		assert_int_equal(csv_add_field(&out, fields[i]), 0);
	}
	buf_adds(&out, "\r\n");
	csv_open(&r, out.buf, out.len);
	expect_record(&r, 1, 7, "plain", "a,b", "say \"hi\"", "l1\nl2", "cr\r", "", "张三");
	assert_int_equal(csv_next(&r), 0);
	csv_close(&r);

	/* A failed buffer stays failed. */
	buf_release(&out);
	buf_init(&out, 4);
	assert_int_equal(csv_add_field(&out, "a,bcdef"), LIN_ENOMEM);
	buf_release(&out);
}

/* Text cells a spreadsheet would run as a formula get a leading quote. */
static void csv_add_text_exact_cells(void **state)
{
	static const char *const cases[][2] = {
	    {"=SUM(A1:A9)", "'=SUM(A1:A9)"},
	    {"+86 21 6258", "'+86 21 6258"},
	    {"-2+3", "'-2+3"},
	    {"@cmd", "'@cmd"},
	    {"\tx", "'\tx"},
	    {"\rx", "\"'\rx\""},
	    {"=1,2", "\"'=1,2\""},
	    {"普善 = 1", "普善 = 1"},
	    {"a=b", "a=b"},
	    {"", ""},
	};
	struct buf out;

	(void)state;
	buf_init(&out, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&out);
		csv_add_text(&out, cases[i][0]);
		if (strcmp(out.buf, cases[i][1]))
			fail_msg("csv_add_text(\"%s\") wrote \"%s\", want \"%s\"", cases[i][0],
				 out.buf, cases[i][1]);
	}
	buf_reset(&out);
	csv_add_text(&out, NULL);
	assert_string_equal(out.buf, "");
	buf_release(&out);
}

/* A text cell never starts a formula, and reads back as it was typed. */
static void csv_add_text_guards_formulas(void **state)
{
	static const char *texts[] = {"=HYPERLINK(\"http://x\",\"a\")",
				      "+1+1",
				      "-2+3",
				      "@SUM(1)",
				      "\t=1",
				      "\r=1",
				      "'=1",
				      "'plain",
				      "plain",
				      NULL};
	struct buf out;
	struct csv_reader r;

	(void)state;
	buf_init(&out, 0);
	csv_add_text(&out, "=1+1");
	assert_string_equal(out.buf, "'=1+1");
	buf_reset(&out);
	csv_add_text(&out, "'=1+1");
	assert_string_equal(out.buf, "''=1+1");
	buf_reset(&out);
	csv_add_text(&out, "'quoted");
	assert_string_equal(out.buf, "'quoted");
	buf_reset(&out);
	for (int i = 0; texts[i]; i++) {
		buf_reset(&out);
		csv_add_text(&out, texts[i]);
		csv_add_end(&out);
		csv_open(&r, out.buf, out.len);
		assert_int_equal(csv_next(&r), 1);
		assert_int_equal(r.nfields, 1);
		assert_false(strchr("=+-@\t\r", r.fields[0][0]) && r.fields[0][0]);
		assert_string_equal(csv_text_value(r.fields[0]), texts[i]);
		csv_close(&r);
	}
	buf_release(&out);
}

/* ---- civil dates and Shanghai's days ---- */

static void civil_days_at_their_edges(void **state)
{
	static const struct {
		int y, m, d;
		int64_t n;
	} known[] = {
	    {1970, 1, 1, 0},	  {1969, 12, 31, -1},	 {2000, 2, 29, 11016},
	    {2000, 3, 1, 11017},  {1900, 2, 28, -25509}, {1900, 3, 1, -25508},
	    {2100, 2, 28, 47540}, {2100, 3, 1, 47541},	 {2026, 12, 6, 20793},
	};
	int y, m, d;

	(void)state;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_int_equal(lin_days_from_civil(known[i].y, known[i].m, known[i].d),
				 known[i].n);
		lin_civil_from_days(known[i].n, &y, &m, &d);
		assert_int_equal(y, known[i].y);
		assert_int_equal(m, known[i].m);
		assert_int_equal(d, known[i].d);
	}
	/* A Shanghai day starts at 16:00 UTC the day before: one second
	 * either side of local midnight, before and after 1970. */
	assert_int_equal(lin_local_day(-LIN_SHANGHAI_OFFSET, LIN_SHANGHAI_OFFSET), 0);
	assert_int_equal(lin_local_day(-LIN_SHANGHAI_OFFSET - 1, LIN_SHANGHAI_OFFSET), -1);
	assert_int_equal(lin_local_day(20793LL * 86400 - 28800, LIN_SHANGHAI_OFFSET), 20793);
	assert_int_equal(lin_local_day(20793LL * 86400 - 28801, LIN_SHANGHAI_OFFSET), 20792);
	assert_int_equal(lin_local_day(20794LL * 86400 - 28801, LIN_SHANGHAI_OFFSET), 20793);
	assert_int_equal(lin_local_day(-86400LL * 3 - 28801, LIN_SHANGHAI_OFFSET), -4);
}

/* ---- allocation failures, one at a time ---- */

/* buf_scenario appends in every way a buffer grows: plain, a char, a
 * format that fits, one that does not (formatted aside first), JSON, a
 * CSV record, and an append of its own contents. Returns the first error. */
static int buf_scenario(struct buf *b)
{
	static const char long_text[] = "普善居民区五月花广场的广场舞噪声，晚上九点半以后还在响";
	int rc = buf_adds(b, "start ");

	if (!rc)
		rc = buf_addc(b, '|');
	if (!rc)
		rc = buf_addf(b, "%d", 42);
	for (int i = 0; !rc && i < 40; i++)
		rc = buf_addf(b, "<%s %d>", long_text, i);
	if (!rc)
		rc = buf_add_json_string(b, "a \"quoted\" line\n");
	if (!rc)
		rc = csv_add_field(b, "x,y");
	if (!rc)
		rc = buf_add(b, b->buf, b->len / 2);
	return rc;
}

/* Every allocation of the scenario is made to fail in turn: the call that
 * meets it reports LIN_ENOMEM, the buffer is marked failed and empty, and
 * every later append fails too, so no text is ever silently lost. With no
 * failure it completes; LeakSanitizer checks that nothing leaks. */
static void buf_survives_each_allocation_failing(void **state)
{
	struct buf ref, b;
	long nth, total;

	(void)state;
	buf_init(&ref, 0);
	lin_alloc_fail_at(0);
	assert_int_equal(buf_scenario(&ref), 0);
	buf_release(&ref);
	/* Count the allocations the scenario makes. */
	lin_alloc_fail_at(1L << 40);
	buf_init(&b, 0);
	assert_int_equal(buf_scenario(&b), 0);
	total = lin_alloc_fail_at(0);
	buf_release(&b);
	assert_true(total >= 3);
	for (nth = 1; nth <= total; nth++) {
		buf_init(&b, 0);
		lin_alloc_fail_at(nth);
		int rc = buf_scenario(&b);
		lin_alloc_fail_at(0);
		if (rc != LIN_ENOMEM)
			fail_msg("allocation %ld of %ld failed, but the scenario returned %d", nth,
				 total, rc);
		assert_true(b.failed);
		assert_int_equal(b.len, 0);
		assert_string_equal(b.buf, "");
		/* Allocation works again, yet the failed buffer stays failed. */
		assert_int_equal(buf_adds(&b, "more"), LIN_ENOMEM);
		assert_int_equal(buf_addf(&b, "%s", "more"), LIN_ENOMEM);
		assert_null(buf_detach(&b, NULL));
		buf_release(&b);
	}
}

/* The arena refuses, never crashes, when a block cannot be had, and a
 * failed allocation does not disturb what it already holds. */
static void arena_survives_each_allocation_failing(void **state)
{
	long total;

	(void)state;
	for (long nth = 1;; nth++) {
		struct arena a;
		char *kept = NULL;
		int failed = 0;
		arena_init(&a, 0);
		lin_alloc_fail_at(nth);
		for (int i = 0; i < 8; i++) {
			char *p = arena_alloc(&a, 5000);
			if (!p) {
				failed = 1;
				break;
			}
			memset(p, 'x', 5000);
			if (!kept)
				kept = p;
		}
		total = lin_alloc_fail_at(0);
		if (kept)
			for (int k = 0; k < 5000; k++)
				assert_int_equal(kept[k], 'x');
		arena_release(&a);
		if (!failed)
			break; /* the nth allocation was never reached */
		assert_true(nth <= total);
	}
}

static void parse_decimal_plain_only(void **state)
{
	double v = 0;
	static const char *const good[] = {"93.5", "-0.25", "+7", "5.", ".5", "0", "120", NULL};
	static const double want[] = {93.5, -0.25, 7, 5, 0.5, 0, 120};
	static const char *const bad[] = {"",	  ".",	"-",	 "+.",	  "1e3", "inf", "nan",
					  "0x10", " 5", "5 ",	 "1.2.3", "1,5", "--1", "1e",
					  "1e+",  "e5", "1e999", "１",	  NULL};

	(void)state;
	for (int i = 0; good[i]; i++) {
		assert_int_equal(parse_decimal(good[i], 0, &v), 0);
		assert_true(v == want[i]);
	}
	for (int i = 0; bad[i]; i++) {
		v = 42;
		assert_int_equal(parse_decimal(bad[i], 1, &v) == 0 && strcmp(bad[i], "1e3"), 0);
		assert_int_equal(parse_decimal(bad[i], 0, &v), LIN_EINVAL);
	}
	/* An exponent only when asked for, and a whole one. */
	assert_int_equal(parse_decimal("1.5e-3", 1, &v), 0);
	assert_true(v == 1.5e-3);
	assert_int_equal(parse_decimal("2E+2", 1, &v), 0);
	assert_true(v == 200);
	assert_int_equal(parse_decimal("1e999", 1, &v), LIN_EINVAL); /* past a double */
	assert_int_equal(parse_decimal(NULL, 0, &v), LIN_EINVAL);
}

static void listen_addresses_at_their_edges(void **state)
{
	struct sockaddr_storage ss;
	const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;
	char text[64];
	int v6 = -1;
	static const char *const bad[] = {
	    "127.0.0.1",    "127.0.0.1:",     "127.0.0.1:65536",  "127.0.0.1:+80", "127.0.0.1: 80",
	    "127.0.0.1:-1", "127.0.0.1:080x", "127.0.0.1:000080", "256.0.0.1:80",  "localhost:80",
	    "[::1:80",	    "[]:80",	      "[1.2.3.4]:80",	  "::1:80",	   NULL};

	(void)state;
	assert_int_equal(lin_parse_listen("127.0.0.1:65535", &ss, &v6), 0);
	assert_int_equal(v6, 0);
	assert_int_equal(ntohs(s4->sin_port), 65535);
	inet_ntop(AF_INET, &s4->sin_addr, text, sizeof(text));
	assert_string_equal(text, "127.0.0.1");
	assert_int_equal(lin_parse_listen("[::1]:0", &ss, &v6), 0);
	assert_int_equal(v6, 1);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_int_equal(ntohs(s6->sin6_port), 0);
	inet_ntop(AF_INET6, &s6->sin6_addr, text, sizeof(text));
	assert_string_equal(text, "::1");
	/* Every IPv4 address: nothing or "*" before the colon. */
	assert_int_equal(lin_parse_listen("*:80", &ss, &v6), 0);
	assert_int_equal(s4->sin_addr.s_addr, htonl(INADDR_ANY));
	assert_int_equal(lin_parse_listen(":08080", &ss, &v6), 0);
	assert_int_equal(ntohs(s4->sin_port), 8080);
	for (int i = 0; bad[i]; i++)
		if (lin_parse_listen(bad[i], &ss, &v6) != LIN_EINVAL)
			fail_msg("%s was taken", bad[i]);
}

/* ------------------------------------------------------------ opts */

/* One table of every kind, the way a subcommand declares its options. */
struct parsed {
	int json;
	const char *week, *out;
	int64_t seed;
	const char *pos[2];
	int npos;
};

static int parse_args(struct parsed *p, int argc, char **argv)
{
	const struct opt opts[] = {
	    {"--json", OPT_FLAG, &p->json, 0, 0}, {"--week", OPT_TEXT, &p->week, 0, 0},
	    {"-o", OPT_TEXT, &p->out, 0, 0},	  {"--seed", OPT_INT, &p->seed, 1, 100},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	memset(p, 0, sizeof(*p));
	p->seed = -1;
	return opts_parse(opts, argc, argv, p->pos, 2, &p->npos);
}

static void opts_table_parses_every_kind(void **state)
{
	struct parsed p;
	char *ok[] = {"in.json", "--json", "--week", "2026-12-07", "-",		"--seed",
		      "100",	 "-o",	   "x.lp",   "--week",	   "2026-12-14"};

	(void)state;
	/* In any order, a later repeat wins, "-" is standard input. */
	assert_int_equal(parse_args(&p, 11, ok), 0);
	assert_int_equal(p.json, 1);
	assert_string_equal(p.week, "2026-12-14");
	assert_string_equal(p.out, "x.lp");
	assert_int_equal(p.seed, 100);
	assert_int_equal(p.npos, 2);
	assert_string_equal(p.pos[0], "in.json");
	assert_string_equal(p.pos[1], "-");
	/* Nothing given: nothing set. */
	assert_int_equal(parse_args(&p, 0, ok), 0);
	assert_int_equal(p.npos, 0);
	assert_int_equal(p.json, 0);
	assert_null(p.week);
	assert_int_equal(p.seed, -1);
	/* The range of an integer, at both ends. */
	char *low[] = {"--seed", "1"}, *below[] = {"--seed", "0"}, *above[] = {"--seed", "101"};
	assert_int_equal(parse_args(&p, 2, low), 0);
	assert_int_equal(p.seed, 1);
	assert_int_equal(parse_args(&p, 2, below), LIN_EINVAL);
	assert_int_equal(parse_args(&p, 2, above), LIN_EINVAL);
	char *word[] = {"--seed", "1x"};
	assert_int_equal(parse_args(&p, 2, word), LIN_EINVAL);
}

static void opts_table_refuses_what_it_does_not_know(void **state)
{
	struct parsed p;
	char *unknown[] = {"--jsonx"}, *missing[] = {"in.json", "--week"};
	char *three[] = {"a", "b", "c"}, *two[] = {"a", "b"};

	(void)state;
	assert_int_equal(parse_args(&p, 1, unknown), LIN_EINVAL);
	assert_int_equal(parse_args(&p, 2, missing), LIN_EINVAL);
	assert_null(p.week);
	assert_int_equal(parse_args(&p, 2, two), 0);
	assert_int_equal(parse_args(&p, 3, three), LIN_EINVAL);
	/* A command without options or positional arguments takes none. */
	int n = -1;
	assert_int_equal(opts_parse(NULL, 0, two, NULL, 0, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(opts_parse(NULL, 1, two, NULL, 0, &n), LIN_EINVAL);
	assert_int_equal(opts_parse(NULL, 1, unknown, NULL, 0, &n), LIN_EINVAL);
}

/* ---- worker ---- */

static void worker_answers(void *arg, int fd)
{
	_exit(lin_write_all(fd, arg, strlen(arg)) ? 3 : 0);
}

static void worker_hangs(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	for (;;)
		pause();
}

static void worker_aborts(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	abort();
}

/* A worker's answer comes back whole; one that hangs is killed at its
 * deadline, not later; one that crashes is reported by its signal. */
static void worker_answers_or_is_killed(void **state)
{
	char *data;
	size_t len;
	int status;
	double t0;

	(void)state;
	assert_int_equal(
	    lin_worker_run(worker_answers, "答案 answer", 5, 1 << 20, &data, &len, &status), 0);
	assert_int_equal(len, strlen("答案 answer"));
	assert_memory_equal(data, "答案 answer", len);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(data);
	t0 = lin_monotonic();
	assert_int_equal(lin_worker_run(worker_hangs, NULL, 0.3, 1 << 20, &data, &len, &status), 1);
	assert_true(lin_monotonic() - t0 >= 0.3 && lin_monotonic() - t0 < 5);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	free(data);
	assert_int_equal(lin_worker_run(worker_aborts, NULL, 5, 1 << 20, &data, &len, &status), 0);
	assert_int_equal(len, 0);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	free(data);
}

int main(void)
{
	const struct CMUnitTest buf_tests[] = {
	    cmocka_unit_test(buf_appends_and_formats),
	    cmocka_unit_test(buf_survives_each_allocation_failing),
	    cmocka_unit_test(civil_days_at_their_edges),
	    cmocka_unit_test(arena_survives_each_allocation_failing),
	    cmocka_unit_test(buf_cap_reached_fails_and_drops_contents),
	    cmocka_unit_test(buf_addf_over_cap_fails),
	    cmocka_unit_test(buf_detach_hands_over_memory),
	    cmocka_unit_test(buf_json_string_escaping),
	    cmocka_unit_test(arena_allocates_zeroed_aligned_memory),
	    cmocka_unit_test(arena_strings),
	    cmocka_unit_test(arena_cap_is_enforced),
	    cmocka_unit_test(arena_huge_request_after_first_block),
	    cmocka_unit_test(parse_int64_edges),
	    cmocka_unit_test(parse_decimal_plain_only),
	    cmocka_unit_test(listen_addresses_at_their_edges),
	    cmocka_unit_test(opts_table_parses_every_kind),
	    cmocka_unit_test(opts_table_refuses_what_it_does_not_know),
	    cmocka_unit_test(parse_centi_is_exact),
	    cmocka_unit_test(parse_centi_rejects),
	    cmocka_unit_test(format_centi_round_trips),
	    cmocka_unit_test(parse_date_calendar),
	    cmocka_unit_test(parse_bool_words),
	    cmocka_unit_test(utf8_validation),
	    cmocka_unit_test(utf8_counts_code_points),
	    cmocka_unit_test(csv_reads_plain_records),
	    cmocka_unit_test(csv_quoted_fields),
	    cmocka_unit_test(csv_embedded_newlines_keep_line_numbers),
	    cmocka_unit_test(csv_skips_bom_and_handles_crlf),
	    cmocka_unit_test(csv_malformed_input),
	    cmocka_unit_test(csv_too_many_fields),
	    cmocka_unit_test(csv_add_field_quotes_when_needed),
	    cmocka_unit_test(csv_add_text_exact_cells),
	    cmocka_unit_test(csv_add_text_guards_formulas),
	    cmocka_unit_test(parse_periods_edges),
	    cmocka_unit_test(parse_shape_edges),
	    cmocka_unit_test(worker_answers_or_is_killed),
	};

	return cmocka_run_group_tests_name("base", buf_tests, NULL, NULL);
}
