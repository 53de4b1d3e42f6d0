/* Fuzz target for application/x-www-form-urlencoded bodies
 * (src/web/form.c). url_decode and form_parse are compared with a
 * reference decoder; the fields form_parse returns, encoded again, must
 * parse to the same fields. */
#include "fuzz.h"
#include "base/arena.h"
#include "base/err.h"
#include "web/form.h"

#include <stdlib.h>
#include <string.h>

static int hex_digit(char c)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	const char *p = c ? strchr(digits, c) : NULL;
	return p ? (int)((p - digits) % 16) : -1;
}

/* ref_decode decodes s[0..len) into out (len + 1 bytes): '+' is a space,
 * %XX a byte. Returns the length, or -1 on a bad escape. */
static long ref_decode(const char *s, size_t len, char *out)
{
	size_t w = 0;

	for (size_t r = 0; r < len; r++) {
		if (s[r] == '%') {
			if (len - r < 3 || hex_digit(s[r + 1]) < 0 || hex_digit(s[r + 2]) < 0)
				return -1;
			out[w++] = (char)(hex_digit(s[r + 1]) * 16 + hex_digit(s[r + 2]));
			r += 2;
		} else {
			out[w++] = s[r] == '+' ? ' ' : s[r];
		}
	}
	out[w] = '\0';
	return (long)w;
}

static void check_url_decode(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), *want = malloc(size + 1);
	long n, refn;

	if (!want)
		abort();
	refn = ref_decode(s, size, want);
	n = url_decode(s, size);
	FUZZ_CHECK(n == refn);
	if (n >= 0) {
		FUZZ_CHECK((size_t)n <= size);
		FUZZ_CHECK(!memcmp(s, want, (size_t)n + 1)); /* NUL-terminated too */
	}
	free(s);
	free(want);
}

/* One field as the reference reads it. */
struct ref_field {
	char *name;  /* decoded, malloc'd */
	char *value; /* decoded, malloc'd */
	size_t nlen; /* bytes in name */
	size_t vlen; /* bytes in value */
};

/* ref_parse splits body at '&', drops empty pieces, splits each at its
 * first '=' and decodes both sides, which must be valid text. Returns the
 * field count or -1. */
static int ref_parse(const char *body, size_t len, struct ref_field *out, int max)
{
	int n = 0, pieces = 1;

	for (size_t i = 0; i < len; i++)
		pieces += body[i] == '&';
	if (pieces > max)
		return -1;
	for (size_t start = 0; start < len;) {
		const char *amp = memchr(body + start, '&', len - start);
		size_t end = amp ? (size_t)(amp - body) : len;
		if (end > start) {
			const char *piece = body + start, *eq;
			size_t plen = end - start, klen;
			long a, b;
			/* A NUL ends the piece: the server hands bodies on as C strings. */
			const char *nul = memchr(piece, '\0', plen);
			if (nul)
				plen = (size_t)(nul - piece);
			eq = memchr(piece, '=', plen);
			klen = eq ? (size_t)(eq - piece) : plen;
			out[n].name = malloc(klen + 1);
			out[n].value = malloc(plen - klen + 1);
			if (!out[n].name || !out[n].value)
				abort();
			a = ref_decode(piece, klen, out[n].name);
			b = eq ? ref_decode(eq + 1, plen - klen - 1, out[n].value) : 0;
			if (!eq)
				out[n].value[0] = '\0';
			n++;
			if (a < 0 || b < 0 || !ref_text_valid(out[n - 1].name, (size_t)a) ||
			    !ref_text_valid(out[n - 1].value, (size_t)b))
				return -(n + 1);
			out[n - 1].nlen = (size_t)a;
			out[n - 1].vlen = (size_t)b;
		}
		start = end + 1;
	}
	return n;
}

static void ref_release(struct ref_field *f, int n)
{
	for (int i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].value);
	}
}

/* encode appends s percent-encoded (everything but unreserved bytes,
 * spaces as '+' or %20 in turn) to out at *w. */
static void encode(const char *s, char *out, size_t *w, int plus)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr("-._~", c)) {
			out[(*w)++] = (char)c;
		} else if (c == ' ' && plus) {
			out[(*w)++] = '+';
		} else {
			out[(*w)++] = '%';
			out[(*w)++] = hex[c >> 4];
			out[(*w)++] = hex[c & 15];
		}
	}
}

static void check_form(const uint8_t *data, size_t size)
{
	struct ref_field *ref = calloc(FORM_MAX_FIELDS + 1, sizeof(*ref));
	struct form_field *fields = NULL, *again = NULL;
	struct arena a;
	int n = -1, n2 = -1, refn, rc;

	if (!ref)
		abort();
	arena_init(&a, 0);
	refn = ref_parse((const char *)data, size, ref, FORM_MAX_FIELDS);
	rc = form_parse(&a, (const char *)data, size, &fields, &n);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	FUZZ_CHECK((rc == 0) == (refn >= 0));
	if (rc) {
		FUZZ_CHECK(fields == NULL && n == 0);
	} else {
		FUZZ_CHECK(n == refn && n <= FORM_MAX_FIELDS && (n == 0 || fields));
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(strlen(fields[i].name) == ref[i].nlen);
			FUZZ_CHECK(!strcmp(fields[i].name, ref[i].name));
			FUZZ_CHECK(strlen(fields[i].value) == ref[i].vlen);
			FUZZ_CHECK(!strcmp(fields[i].value, ref[i].value));
		}
		/* Encoded again, the fields read back the same. */
		size_t cap = 1, w = 0;
		for (int i = 0; i < n; i++)
			cap += 3 * (strlen(fields[i].name) + strlen(fields[i].value)) + 2;
		char *body = malloc(cap);
		if (!body)
			abort();
		for (int i = 0; i < n; i++) {
			if (i)
				body[w++] = '&';
			encode(fields[i].name, body, &w, i % 2);
			body[w++] = '=';
			encode(fields[i].value, body, &w, i % 2);
		}
		body[w] = '\0';
		FUZZ_CHECK(w < cap);
		rc = form_parse(&a, body, w, &again, &n2);
		FUZZ_CHECK(rc == 0);
		/* Fields with an empty name and value ("=") come back too. */
		FUZZ_CHECK(n2 == n);
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(!strcmp(again[i].name, fields[i].name));
			FUZZ_CHECK(!strcmp(again[i].value, fields[i].value));
		}
		free(body);
	}
	ref_release(ref, refn >= 0 ? refn : -refn - 1);
	free(ref);
	arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_url_decode(data, size);
	check_form(data, size);
	return 0;
}
