/* Unit tests for src/web/multipart.c: what a browser sends for a report
 * form with a photo is read back exactly (binary data, Chinese text, quoted
 * names), and every malformed body is refused rather than half-read. */
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "web/multipart.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOUNDARY "----WebKitFormBoundary7MA4YWxkTrZu0gW"

/* The photo's bytes: NUL, 0xFF, a CRLF, "--", and a CRLF "--" followed by
 * a near miss of the boundary, all of which belong to the data. */
static const unsigned char photo_bytes[] = {
    0xFF, 0xD8, 0xFF, 0x00, 0x01, '\r', '\n', '-',  '-',  0x80, '\r', '\n', '-', '-',  '-', '-',
    'W',  'e',	'b',  'K',  'i',  't',	'\r', '\n', '\n', '\r', 0x00, '-',  '-', 0xFF, 0xD9};

/* parse_ok: parses body with BOUNDARY and asserts success. */
static struct multipart_part *parse_ok(struct arena *a, const struct buf *body, int max, int *n)
{
	struct multipart_part *parts = NULL;

	assert_int_equal(multipart_parse(a, BOUNDARY, (const unsigned char *)body->buf, body->len,
					 max, &parts, n),
			 0);
	assert_non_null(parts);
	return parts;
}

/* ---------------------------------------------------------------- boundary */

static void boundary_from_content_type(void **state)
{
	char b[MULTIPART_BOUNDARY_MAX + 1], seventy[80], header[160];

	(void)state;
	assert_int_equal(
	    multipart_boundary("multipart/form-data; boundary=" BOUNDARY, b, sizeof(b)), 0);
	assert_string_equal(b, BOUNDARY);
	/* Quoted, with the characters only a quoted value may hold. */
	assert_int_equal(
	    multipart_boundary("multipart/form-data; boundary=\"a b:c/d=e?f\"", b, sizeof(b)), 0);
	assert_string_equal(b, "a b:c/d=e?f");
	/* Type and parameter names ignore case; other parameters are skipped. */
	assert_int_equal(
	    multipart_boundary("  Multipart/Form-Data ; charset=\"utf-8\";BOUNDARY=xyz  ", b,
			       sizeof(b)),
	    0);
	assert_string_equal(b, "xyz");
	/* A quoted-pair stands for its character. */
	assert_int_equal(
	    multipart_boundary("multipart/form-data; boundary=\"a\\bc\"", b, sizeof(b)), 0);
	assert_string_equal(b, "abc");

	/* 70 characters is the RFC 2046 maximum; 71 is refused. */
	memset(seventy, 'x', 70);
	seventy[70] = '\0';
	snprintf(header, sizeof(header), "multipart/form-data; boundary=%s", seventy);
	assert_int_equal(multipart_boundary(header, b, sizeof(b)), 0);
	assert_string_equal(b, seventy);
	snprintf(header, sizeof(header), "multipart/form-data; boundary=%sx", seventy);
	assert_int_equal(multipart_boundary(header, b, sizeof(b)), LIN_EINVAL);
	assert_string_equal(b, "");
	snprintf(header, sizeof(header), "multipart/form-data; boundary=\"%sx\"", seventy);
	assert_int_equal(multipart_boundary(header, b, sizeof(b)), LIN_EINVAL);
	/* The output must hold it. */
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=abcd", b, 4),
			 LIN_ENOMEM);
	assert_int_equal(multipart_boundary("multipart/form-data; boundary=abcd", b, 5), 0);
	assert_string_equal(b, "abcd");
}

static void boundary_refusals(void **state)
{
	static const char *const bad[] = {
	    "multipart/form-data",			   /* missing */
	    "multipart/form-data;",			   /* trailing ; */
	    "multipart/form-data; charset=utf-8",	   /* missing */
	    "multipart/form-data; boundary=",		   /* empty */
	    "multipart/form-data; boundary=\"\"",	   /* empty */
	    "multipart/form-data; boundary=a; boundary=a", /* twice */
	    "multipart/form-data; boundary=\"abc",	   /* unterminated quote */
	    "multipart/form-data; boundary=\"abc \"",	   /* ends in a space */
	    "multipart/form-data; boundary=\"a@b\"",	   /* not a bchar */
	    "multipart/form-data; boundary=a*b",	   /* token, but not a bchar */
	    "multipart/form-data; boundary=a b",	   /* junk after the token */
	    "multipart/form-data; boundary = abc",	   /* spaces around = */
	    "multipart/form-dataX; boundary=abc",	   /* another type */
	    "multipart/mixed; boundary=abc",		   /* another subtype */
	    "application/x-www-form-urlencoded",	   /* a plain form */
	    "text/plain; boundary=abc",			   /* a boundary on the wrong type */
	    "",						   /* nothing */
	    "multipart/form-data; boundary=\"a\x01\"",	   /* a control character */
	};
	char b[MULTIPART_BOUNDARY_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strncpy(b, "junk", sizeof(b));
		if (multipart_boundary(bad[i], b, sizeof(b)) != LIN_EINVAL)
			fail_msg("accepted: %s", bad[i]);
		assert_string_equal(b, "");
	}
	assert_int_equal(multipart_boundary(NULL, b, sizeof(b)), LIN_EINVAL);
}

/* ---------------------------------------------------------------- good bodies */

static void report_form_with_photo(void **state)
{
	struct multipart_part *parts;
	struct arena a;
	struct buf body;
	int n = -1;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	buf_adds(&body,
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"title\"\r\n"
		 "\r\n"
		 "Broken light\r\n"
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"body\"\r\n"
		 "\r\n"
		 "line one\r\nline two\r\n"
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"photo\"; filename=\"IMG_0001.jpg\"\r\n"
		 "Content-Type: image/jpeg\r\n"
		 "\r\n");
	buf_add(&body, photo_bytes, sizeof(photo_bytes));
	buf_adds(&body, "\r\n--" BOUNDARY "--\r\n");
	parts = parse_ok(&a, &body, 10, &n);

	assert_int_equal(n, 3);
	assert_string_equal(parts[0].name, "title");
	assert_null(parts[0].filename);
	assert_null(parts[0].content_type);
	assert_int_equal(parts[0].len, strlen("Broken light"));
	assert_memory_equal(parts[0].data, "Broken light", parts[0].len);
	/* The CRLF inside a value stays; the one before the boundary does not. */
	assert_string_equal(parts[1].name, "body");
	assert_int_equal(parts[1].len, strlen("line one\r\nline two"));
	assert_memory_equal(parts[1].data, "line one\r\nline two", parts[1].len);

	assert_string_equal(parts[2].name, "photo");
	assert_string_equal(parts[2].filename, "IMG_0001.jpg");
	assert_string_equal(parts[2].content_type, "image/jpeg");
	assert_int_equal(parts[2].len, sizeof(photo_bytes));
	assert_memory_equal(parts[2].data, photo_bytes, sizeof(photo_bytes));
	/* Data points into the body, as documented: no copy of a large photo. */
	assert_true(parts[2].data > (const unsigned char *)body.buf &&
		    parts[2].data + parts[2].len < (const unsigned char *)body.buf + body.len);

	assert_string_equal(multipart_text(&a, parts, n, "title"), "Broken light");
	assert_string_equal(multipart_text(&a, parts, n, "body"), "line one\r\nline two");
	assert_null(multipart_text(&a, parts, n, "photo")); /* a file is not text */
	assert_null(multipart_text(&a, parts, n, "missing"));
	assert_ptr_equal(multipart_find(parts, n, "photo"), &parts[2]);
	assert_null(multipart_find(parts, n, "Photo")); /* names are exact */

	buf_release(&body);
	arena_release(&a);
}

static void chinese_names_and_values(void **state)
{
	struct multipart_part *parts;
	struct arena a;
	struct buf body;
	int n = -1;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	buf_adds(&body,
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"描述\"\r\n"
		 "\r\n"
		 "3号楼2单元楼道灯坏了，晚上很黑。\r\n"
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"照片\"; filename=\"楼道 灯.png\"\r\n"
		 "Content-Type: image/png\r\n"
		 "\r\n"
		 "PNG\r\n"
		 "--" BOUNDARY "--");
	parts = parse_ok(&a, &body, 10, &n);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0].name, "描述");
	assert_string_equal(multipart_text(&a, parts, n, "描述"),
			    "3号楼2单元楼道灯坏了，晚上很黑。");
	assert_string_equal(parts[1].name, "照片");
	assert_string_equal(parts[1].filename, "楼道 灯.png");
	assert_int_equal(parts[1].len, 3);
	buf_release(&body);
	arena_release(&a);
}

static void quoting_and_header_details(void **state)
{
	struct multipart_part *parts;
	struct arena a;
	struct buf body;
	int n = -1;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	buf_adds(&body,
		 /* Transport padding after the boundary; escaped quote and backslash. */
		 "--" BOUNDARY " \t\r\n"
		 "Content-Disposition: form-data; name=\"say \\\"hi\\\" \\\\ bye\"\r\n"
		 "\r\n"
		 "1\r\n"
		 /* Header names in any case, no spaces, an unquoted token name,
		  * percent escapes kept, filename*= ignored, unknown headers
		  * and Content-Transfer-Encoding: binary accepted. */
		 "--" BOUNDARY "\r\n"
		 "content-disposition:FORM-DATA;name=plain;filename*=UTF-8''x.jpg\r\n"
		 "X-Anything: ignored\r\n"
		 "CONTENT-TRANSFER-ENCODING: binary\r\n"
		 "\r\n"
		 "2\r\n"
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"a%22b\"; filename=\"c%22d.jpg\"\r\n"
		 "\r\n"
		 "3\r\n"
		 /* An empty file input: filename "" and no data. */
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"photo\"; filename=\"\"\r\n"
		 "Content-Type: application/octet-stream\r\n"
		 "\r\n"
		 "\r\n"
		 /* An empty text field. */
		 "--" BOUNDARY "\r\n"
		 "Content-Disposition: form-data; name=\"empty\"\r\n"
		 "\r\n"
		 "\r\n"
		 "--" BOUNDARY "-- \r\n");
	parts = parse_ok(&a, &body, 10, &n);
	assert_int_equal(n, 5);
	assert_string_equal(parts[0].name, "say \"hi\" \\ bye");
	assert_memory_equal(parts[0].data, "1", 1);
	assert_string_equal(parts[1].name, "plain");
	assert_null(parts[1].filename); /* filename*= does not make it a file */
	assert_memory_equal(parts[1].data, "2", 1);
	assert_string_equal(parts[2].name, "a%22b");
	assert_string_equal(parts[2].filename, "c%22d.jpg");
	assert_string_equal(parts[3].filename, "");
	assert_string_equal(parts[3].content_type, "application/octet-stream");
	assert_int_equal(parts[3].len, 0);
	assert_int_equal(parts[4].len, 0);
	assert_string_equal(multipart_text(&a, parts, n, "empty"), "");
	buf_release(&body);

	/* A form without fields: browsers send only the closing boundary. */
	n = -1;
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)"--b--\r\n", 7, 10, &parts, &n), 0);
	assert_int_equal(n, 0);
	assert_null(multipart_find(parts, n, "x"));
	assert_null(multipart_text(&a, parts, n, "x"));
	arena_release(&a);
}

static void text_must_be_valid_utf8(void **state)
{
	struct multipart_part *parts;
	struct arena a;
	struct buf body;
	int n = -1;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	buf_adds(&body, "--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"latin1\"\r\n\r\n"
			"caf\xe9\r\n"
			"--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"nul\"\r\n\r\n");
	buf_add(&body, "a\0b", 3);
	buf_adds(&body, "\r\n--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"ok\"\r\n\r\n"
			"好\r\n"
			"--" BOUNDARY "--\r\n");
	parts = parse_ok(&a, &body, 10, &n);
	assert_int_equal(n, 3);
	/* The parts are there, with their bytes; only the text view refuses. */
	assert_int_equal(parts[0].len, 4);
	assert_int_equal(parts[1].len, 3);
	assert_null(multipart_text(&a, parts, n, "latin1"));
	assert_null(multipart_text(&a, parts, n, "nul"));
	assert_string_equal(multipart_text(&a, parts, n, "ok"), "好");
	buf_release(&body);
	arena_release(&a);
}

/* ---------------------------------------------------------------- refusals */

#define CD "Content-Disposition: form-data; name=\"x\"\r\n"

static void malformed_bodies_refused(void **state)
{
	static const struct {
		const char *why;  /* what is wrong */
		const char *body; /* the body, boundary "b" */
	} bad[] = {
	    {"empty body", ""},
	    {"no closing boundary", "--b\r\n" CD "\r\nvalue"},
	    {"no closing boundary after a CRLF", "--b\r\n" CD "\r\nvalue\r\n"},
	    {"delimiter without --", "--b\r\n" CD "\r\nvalue\r\n--b\r\n"},
	    {"a preamble", "hello\r\n--b\r\n" CD "\r\nv\r\n--b--\r\n"},
	    {"an epilogue", "--b\r\n" CD "\r\nv\r\n--b--\r\nbye"},
	    {"a longer boundary inside", "--b\r\n" CD "\r\nv\r\n--bb\r\n" CD "\r\nw\r\n--b--"},
	    {"junk after the boundary", "--b x\r\n" CD "\r\nv\r\n--b--"},
	    {"no Content-Disposition", "--b\r\nContent-Type: text/plain\r\n\r\nv\r\n--b--"},
	    {"no headers", "--b\r\n\r\nv\r\n--b--"},
	    {"not form-data",
	     "--b\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nv\r\n--b--"},
	    {"no name",
	     "--b\r\nContent-Disposition: form-data; filename=\"a.jpg\"\r\n\r\nv\r\n--b--"},
	    {"empty name", "--b\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--b--"},
	    {"name twice",
	     "--b\r\nContent-Disposition: form-data; name=x; name=y\r\n\r\nv\r\n--b--"},
	    {"filename twice", "--b\r\nContent-Disposition: form-data; name=x; filename=a; "
			       "filename=b\r\n\r\nv\r\n--b--"},
	    {"two Content-Disposition", "--b\r\n" CD CD "\r\nv\r\n--b--"},
	    {"unterminated quote",
	     "--b\r\nContent-Disposition: form-data; name=\"x\r\n\r\nv\r\n--b--"},
	    {"junk after a quote",
	     "--b\r\nContent-Disposition: form-data; name=\"x\"y\r\n\r\nv\r\n--b--"},
	    {"trailing ;", "--b\r\nContent-Disposition: form-data; name=\"x\";\r\n\r\nv\r\n--b--"},
	    {"space before =", "--b\r\nContent-Disposition: form-data; name =x\r\n\r\nv\r\n--b--"},
	    {"unquoted non-token",
	     "--b\r\nContent-Disposition: form-data; name=a/b\r\n\r\nv\r\n--b--"},
	    {"tab in a name",
	     "--b\r\nContent-Disposition: form-data; name=\"a\tb\"\r\n\r\nv\r\n--b--"},
	    {"invalid UTF-8 in a name",
	     "--b\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nv\r\n--b--"},
	    {"invalid UTF-8 in a filename",
	     "--b\r\nContent-Disposition: form-data; name=x; filename=\"\xc3(\"\r\n\r\nv\r\n--b--"},
	    {"bare LF line ends", "--b\n" CD "\nv\n--b--\n"},
	    {"bare LF in the headers",
	     "--b\r\nContent-Disposition: form-data; name=x\n\r\n\r\nv\r\n--b--"},
	    {"bare CR in the headers",
	     "--b\r\nContent-Disposition: form-data; name=x\rX: y\r\n\r\nv\r\n--b--"},
	    {"LF after the boundary", "--b\n" CD "\r\nv\r\n--b--"},
	    {"folded header",
	     "--b\r\nContent-Disposition: form-data;\r\n name=x\r\n\r\nv\r\n--b--"},
	    {"header without colon", "--b\r\n" CD "X-Junk\r\n\r\nv\r\n--b--"},
	    {"space before colon",
	     "--b\r\nContent-Disposition : form-data; name=x\r\n\r\nv\r\n--b--"},
	    {"base64 transfer encoding",
	     "--b\r\n" CD "Content-Transfer-Encoding: base64\r\n\r\ndg==\r\n--b--"},
	    {"two Content-Type",
	     "--b\r\n" CD "Content-Type: text/plain\r\nContent-Type: image/png\r\n\r\nv\r\n--b--"},
	    {"empty Content-Type", "--b\r\n" CD "Content-Type:\r\n\r\nv\r\n--b--"},
	    {"headers cut off", "--b\r\n" CD},
	    {"body ends in the boundary", "--b"},
	    {"wrong boundary", "--c\r\n" CD "\r\nv\r\n--c--"},
	};
	struct multipart_part *parts;
	struct arena a;
	int n, rc;

	(void)state;
	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parts = (struct multipart_part *)&a; /* must be reset */
		n = 99;
		rc = multipart_parse(&a, "b", (const unsigned char *)bad[i].body,
				     strlen(bad[i].body), 10, &parts, &n);
		if (rc != LIN_EINVAL)
			fail_msg("%s: got %d", bad[i].why, rc);
		assert_null(parts);
		assert_int_equal(n, 0);
	}
	arena_release(&a);
}

static void header_caps(void **state)
{
	struct multipart_part *parts;
	struct arena a;
	struct buf body;
	char pad[MULTIPART_MAX_HEADER_LINE + 8];
	size_t fill;
	int n;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	/* A header line of exactly MULTIPART_MAX_HEADER_LINE bytes with its CRLF. */
	fill = MULTIPART_MAX_HEADER_LINE - strlen("X-Pad: ") - 2;
	memset(pad, 'p', fill);
	pad[fill] = '\0';
	buf_addf(&body, "--b\r\n" CD "X-Pad: %s\r\n\r\nv\r\n--b--", pad);
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 10, &parts, &n), 0);
	assert_int_equal(n, 1);
	/* One byte more is refused. */
	buf_reset(&body);
	buf_addf(&body, "--b\r\n" CD "X-Pad: %sp\r\n\r\nv\r\n--b--", pad);
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 10, &parts, &n),
	    LIN_EINVAL);

	/* MULTIPART_MAX_HEADERS lines pass, one more does not. */
	buf_reset(&body);
	buf_adds(&body, "--b\r\n" CD);
	for (int i = 1; i < MULTIPART_MAX_HEADERS; i++)
		buf_addf(&body, "X-H%d: v\r\n", i);
	buf_adds(&body, "\r\nv\r\n--b--");
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 10, &parts, &n), 0);
	buf_reset(&body);
	buf_adds(&body, "--b\r\n" CD);
	for (int i = 0; i < MULTIPART_MAX_HEADERS; i++)
		buf_addf(&body, "X-H%d: v\r\n", i);
	buf_adds(&body, "\r\nv\r\n--b--");
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 10, &parts, &n),
	    LIN_EINVAL);
	buf_release(&body);
	arena_release(&a);
}

static void bad_arguments(void **state)
{
	static const char body[] = "--b\r\n" CD "\r\nv\r\n--b--";
	const unsigned char *p = (const unsigned char *)body;
	char long_boundary[MULTIPART_BOUNDARY_MAX + 2];
	struct multipart_part *parts;
	struct arena a;
	int n;

	(void)state;
	arena_init(&a, 0);
	memset(long_boundary, 'b', sizeof(long_boundary) - 1);
	long_boundary[sizeof(long_boundary) - 1] = '\0';
	assert_int_equal(multipart_parse(&a, "b", p, strlen(body), 1, &parts, &n), 0);
	assert_int_equal(multipart_parse(&a, "b", p, strlen(body), 0, &parts, &n), LIN_EINVAL);
	assert_int_equal(multipart_parse(&a, "", p, strlen(body), 1, &parts, &n), LIN_EINVAL);
	assert_int_equal(multipart_parse(&a, NULL, p, strlen(body), 1, &parts, &n), LIN_EINVAL);
	assert_int_equal(multipart_parse(&a, long_boundary, p, strlen(body), 1, &parts, &n),
			 LIN_EINVAL);
	assert_int_equal(multipart_parse(&a, "b", NULL, 0, 1, &parts, &n), LIN_EINVAL);
	arena_release(&a);

	/* A full arena is reported as such, not as a bad body. */
	arena_init(&a, 64);
	assert_int_equal(multipart_parse(&a, "b", p, strlen(body), 1, &parts, &n), LIN_ENOMEM);
	assert_null(parts);
	arena_release(&a);
}

static void max_parts_enforced(void **state)
{
	struct multipart_part *parts;
	struct arena a;
	struct buf body;
	int n;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	for (int i = 0; i < 20; i++)
		buf_addf(&body,
			 "--b\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\nv%d\r\n", i,
			 i);
	buf_adds(&body, "--b--\r\n");

	/* Exactly at the cap: all 20 come back in order (the array grew twice). */
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 20, &parts, &n), 0);
	assert_int_equal(n, 20);
	for (int i = 0; i < 20; i++) {
		char name[8], value[8];
		snprintf(name, sizeof(name), "f%d", i);
		snprintf(value, sizeof(value), "v%d", i);
		assert_string_equal(parts[i].name, name);
		assert_string_equal(multipart_text(&a, parts, n, name), value);
	}
	/* One over: too big, and nothing is handed out. */
	parts = (struct multipart_part *)&a;
	n = 99;
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 19, &parts, &n),
	    LIN_ETOOBIG);
	assert_null(parts);
	assert_int_equal(n, 0);
	assert_int_equal(
	    multipart_parse(&a, "b", (const unsigned char *)body.buf, body.len, 1, &parts, &n),
	    LIN_ETOOBIG);
	buf_release(&body);
	arena_release(&a);
}

/* A file whose bytes are valid UTF-8 text is still a file, not a field:
 * a text field of that name is not there. And the boundary given to the
 * parser itself: 70 characters work, 71 are refused. */
static void files_are_not_text_and_boundary_length(void **state)
{
	struct multipart_part *parts = NULL;
	struct arena a;
	struct buf body;
	char seventy[72];
	int n = -1;

	(void)state;
	arena_init(&a, 0);
	buf_init(&body, 0);
	buf_adds(&body, "--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"description\"; "
			"filename=\"notes.txt\"\r\n"
			"Content-Type: text/plain\r\n"
			"\r\n"
			"hello from a file\r\n"
			"--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"title\"\r\n"
			"\r\n"
			"typed\r\n"
			"--" BOUNDARY "--\r\n");
	parts = parse_ok(&a, &body, 10, &n);
	assert_int_equal(n, 2);
	assert_string_equal(parts[0].filename, "notes.txt");
	assert_null(multipart_text(&a, parts, n, "description"));
	assert_string_equal(multipart_text(&a, parts, n, "title"), "typed");
	/* The same field typed in after the file: the typed one is read. */
	buf_reset(&body);
	buf_adds(&body, "--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"description\"; "
			"filename=\"notes.txt\"\r\n"
			"\r\n"
			"from the file\r\n"
			"--" BOUNDARY "\r\n"
			"Content-Disposition: form-data; name=\"description\"\r\n"
			"\r\n"
			"typed\r\n"
			"--" BOUNDARY "--\r\n");
	parts = parse_ok(&a, &body, 10, &n);
	assert_string_equal(multipart_text(&a, parts, n, "description"), "typed");

	memset(seventy, 'q', 70);
	seventy[70] = '\0';
	buf_reset(&body);
	buf_addf(&body, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--%s--\r\n",
		 seventy, seventy);
	assert_int_equal(
	    multipart_parse(&a, seventy, (const unsigned char *)body.buf, body.len, 10, &parts, &n),
	    0);
	assert_int_equal(n, 1);
	seventy[70] = 'q';
	seventy[71] = '\0';
	buf_reset(&body);
	buf_addf(&body, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--%s--\r\n",
		 seventy, seventy);
	assert_int_equal(
	    multipart_parse(&a, seventy, (const unsigned char *)body.buf, body.len, 10, &parts, &n),
	    LIN_EINVAL);
	assert_null(parts);
	assert_int_equal(n, 0);
	buf_release(&body);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(boundary_from_content_type),
	    cmocka_unit_test(boundary_refusals),
	    cmocka_unit_test(report_form_with_photo),
	    cmocka_unit_test(chinese_names_and_values),
	    cmocka_unit_test(quoting_and_header_details),
	    cmocka_unit_test(text_must_be_valid_utf8),
	    cmocka_unit_test(malformed_bodies_refused),
	    cmocka_unit_test(header_caps),
	    cmocka_unit_test(bad_arguments),
	    cmocka_unit_test(max_parts_enforced),
	    cmocka_unit_test(files_are_not_text_and_boundary_length),
	};

	return cmocka_run_group_tests_name("multipart", tests, NULL, NULL);
}
