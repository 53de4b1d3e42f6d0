/* Escape-by-default HTML formatting; see html.h. */
#include "html.h"
#include "../base/arena.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>

void html_escape(struct buf *out, const char *s)
{
	const char *run = s;

	if (!s)
		return;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		}
		if (rep) {
			buf_add(out, run, (size_t)(s - run));
			buf_adds(out, rep);
			run = s + 1;
		}
	}
	buf_add(out, run, (size_t)(s - run));
}

void url_encode(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			buf_addc(out, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			buf_add(out, e, 3);
		}
	}
}

const char *html_excerpt(struct arena *a, const char *text, size_t chars)
{
	size_t n = 0, i = 0;

	if (!text)
		return "";
	while (text[i] && n < chars) {
		i++;
		while ((text[i] & 0xC0) == 0x80)
			i++;
		n++;
	}
	if (!text[i])
		return text;
	return arena_printf(a, "%.*s…", (int)i, text);
}

void html_printf(struct html *h, const char *fmt, ...)
{
	va_list ap;
	const char *run = fmt;

	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%' || !p[1])
			continue;
		buf_add(h->out, run, (size_t)(p - run));
		p++;
		switch (*p) {
		case 's':
			html_escape(h->out, va_arg(ap, const char *));
			break;
		case 'T':
			html_escape(h->out, i18n_t(h->lang, va_arg(ap, const char *)));
			break;
		case 'U':
			url_encode(h->out, va_arg(ap, const char *));
			break;
		case 'R': {
			const char *raw = va_arg(ap, const char *);
			if (raw)
				buf_adds(h->out, raw);
			break;
		}
		case 'd':
			buf_addf(h->out, "%d", va_arg(ap, int));
			break;
		case 'l':
			buf_addf(h->out, "%" PRId64, va_arg(ap, int64_t));
			break;
		case '%':
			buf_addc(h->out, '%');
			break;
		default:
			buf_addc(h->out, '%');
			buf_addc(h->out, *p);
		}
		run = p + 1;
	}
	buf_adds(h->out, run);
	va_end(ap);
}
