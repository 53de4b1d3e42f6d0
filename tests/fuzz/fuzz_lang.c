/* Fuzz target for the language choice (web/i18n.c i18n_lang): the input
 * is one Accept-Language header or cookie value; the answer is compared
 * with a reference written from the contract: split at ',', then ';';
 * the range and each parameter trimmed of blanks; a "q=" weight must be an
 * RFC 9110 qvalue or the element counts as not named; the better-weighted
 * of English and Chinese wins, Chinese when neither is named or on a tie. */
#include "fuzz.h"
#include "web/i18n.h"

#include <stdlib.h>
#include <string.h>

/* ref_piece: s[a..b) without blanks around it, as a new string. */
static char *ref_piece(const char *s, size_t a, size_t b)
{
	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	char *out = malloc(b - a + 1);
	if (!out)
		abort();
	memcpy(out, s + a, b - a);
	out[b - a] = '\0';
	return out;
}

/* ref_q: thousandths of "0", "0.d", "0.dd", "0.ddd", "1", "1.0".. or -1. */
static int ref_q(const char *v)
{
	static const char *const ones[] = {"1", "1.", "1.0", "1.00", "1.000"};
	size_t n = strlen(v);

	for (size_t i = 0; i < sizeof(ones) / sizeof(ones[0]); i++)
		if (!strcmp(v, ones[i]))
			return 1000;
	if (n < 1 || n > 5 || v[0] != '0' || (n > 1 && v[1] != '.'))
		return -1;
	char frac[4] = "000";
	for (size_t i = 2; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		frac[i - 2] = v[i];
	}
	return (frac[0] - '0') * 100 + (frac[1] - '0') * 10 + (frac[2] - '0');
}

static int names(const char *range, char a, char b)
{
	return (range[0] | 32) == a && range[0] && (range[1] | 32) == b && range[1] &&
	       (!range[2] || range[2] == '-');
}

static const char *ref_lang(const char *s)
{
	int en = -1, zh = -1;
	size_t len = strlen(s), start = 0;

	while (start < len) {
		size_t stop = start;
		while (stop < len && s[stop] != ',')
			stop++;
		size_t semi = start;
		while (semi < stop && s[semi] != ';')
			semi++;
		char *range = ref_piece(s, start, semi);
		int q = 1000;
		while (semi < stop) {
			size_t next = semi + 1;
			while (next < stop && s[next] != ';')
				next++;
			char *param = ref_piece(s, semi + 1, next);
			if ((param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
				q = ref_q(param + 2);
			free(param);
			semi = next;
		}
		if (q > 0 && names(range, 'e', 'n')) {
			if (q > en)
				en = q;
		} else if (q > 0 && names(range, 'z', 'h')) {
			if (q > zh)
				zh = q;
		}
		free(range);
		start = stop + 1;
	}
	return en > zh ? "en" : "zh-CN";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	FUZZ_CHECK(!strcmp(i18n_lang(s), ref_lang(s)));
	free(s);
	return 0;
}
