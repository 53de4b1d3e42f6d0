/* Helpers shared by every fuzz target; see fuzz.h. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stack use after return is off by default in ASan; validators hand out
 * pointers to text, so ask for it (ASAN_OPTIONS may still override). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "detect_stack_use_after_return=1";
}

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "invariant failed: %s (%s:%d)\n", what, file, line);
	abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

size_t ref_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	/* Allowed range of the second byte for each lead byte; later bytes
	 * are always 80..BF. */
	static const struct {
		unsigned char lead_lo, lead_hi, second_lo, second_hi, n;
	} forms[] = {
	    {0xc2, 0xdf, 0x80, 0xbf, 2}, {0xe0, 0xe0, 0xa0, 0xbf, 3}, {0xe1, 0xec, 0x80, 0xbf, 3},
	    {0xed, 0xed, 0x80, 0x9f, 3}, {0xee, 0xef, 0x80, 0xbf, 3}, {0xf0, 0xf0, 0x90, 0xbf, 4},
	    {0xf1, 0xf3, 0x80, 0xbf, 4}, {0xf4, 0xf4, 0x80, 0x8f, 4},
	};

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		size_t n = forms[f].n;
		uint32_t v;
		if (s[0] < forms[f].lead_lo || s[0] > forms[f].lead_hi)
			continue;
		if (len < n || s[1] < forms[f].second_lo || s[1] > forms[f].second_hi)
			return 0;
		v = s[0] & (0x7f >> n);
		for (size_t i = 1; i < n; i++) {
			if (s[i] < 0x80 || s[i] > 0xbf)
				return 0;
			v = v << 6 | (s[i] & 0x3f);
		}
		*cp = v;
		return n;
	}
	return 0;
}

int ref_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t cp;

	for (size_t i = 0, n; i < len; i += n)
		if ((n = ref_utf8_seq(s + i, len - i, &cp)) == 0)
			return 0;
	return 1;
}

int ref_text_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = ref_utf8_seq(s + i, len - i, &cp);
		if (n == 0)
			return 0;
		if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7f)
			return 0;
		/* Non-characters: U+FDD0..U+FDEF, and U+xFFFE, U+xFFFF of each plane. */
		if ((cp >= 0xfdd0 && cp <= 0xfdef) || cp % 0x10000 == 0xfffe ||
		    cp % 0x10000 == 0xffff)
			return 0;
		i += n;
	}
	return 1;
}

size_t ref_code_points(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, count = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = ref_utf8_seq(s + i, len - i, &cp);
		if (n == 0)
			abort(); /* callers pass well-formed text only */
		i += n;
		count++;
	}
	return count;
}
