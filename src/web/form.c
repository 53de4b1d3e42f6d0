/* Form body decoding; see form.h. */
#include "form.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <string.h>

long url_decode(char *s, size_t len)
{
	size_t r = 0, w = 0;

	while (r < len) {
		if (s[r] == '+') {
			s[w++] = ' ';
			r++;
		} else if (s[r] == '%') {
			int hi, lo;
			if (r + 2 >= len)
				return -1;
			hi = hex_digit(s[r + 1]);
			lo = hex_digit(s[r + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			s[w++] = (char)(hi * 16 + lo);
			r += 3;
		} else {
			s[w++] = s[r++];
		}
	}
	s[w] = '\0';
	return (long)w;
}

int form_parse(struct arena *a, const char *body, size_t len, struct form_field **out, int *n)
{
	struct form_field *fields;
	int count = 0, cap = 1;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < len; i++)
		if (body[i] == '&')
			cap++;
	if (cap > FORM_MAX_FIELDS)
		return LIN_EINVAL;
	fields = arena_alloc(a, (size_t)cap * sizeof(*fields));
	if (!fields)
		return LIN_ENOMEM;
	for (size_t start = 0; start < len;) {
		size_t end = start;
		while (end < len && body[end] != '&')
			end++;
		if (end > start) {
			char *pair = arena_strndup(a, body + start, end - start);
			char *eq;
			long klen, vlen;
			if (!pair)
				return LIN_ENOMEM;
			eq = strchr(pair, '=');
			char *value = eq ? eq + 1 : pair + strlen(pair);
			if (eq)
				*eq = '\0';
			klen = url_decode(pair, strlen(pair));
			vlen = url_decode(value, strlen(value));
			if (klen < 0 || vlen < 0 || !utf8_valid(pair, (size_t)klen) ||
			    !utf8_valid(value, (size_t)vlen))
				return LIN_EINVAL;
			fields[count].name = pair;
			fields[count].value = value;
			count++;
		}
		start = end + 1;
	}
	*out = fields;
	*n = count;
	return 0;
}
