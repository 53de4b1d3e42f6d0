/* An HTML writer that escapes by default. html_printf understands:
 *   %s  text, HTML-escaped (safe in element content and quoted attributes)
 *   %T  a message key, translated and escaped
 *   %U  text, percent-encoded for a URL query value
 *   %R  raw, trusted markup (only for strings built by our own code)
 *   %d  int    %l  int64_t    %%  a percent sign
 * Nothing else: an unknown directive is written literally. */
#ifndef LINLI_WEB_HTML_H
#define LINLI_WEB_HTML_H

#include "../base/buf.h"

struct html {
	struct buf *out;  /* where markup goes */
	const char *lang; /* language for %T */
};

void html_printf(struct html *h, const char *fmt, ...);
/* html_escape appends s to out with & < > " ' escaped. */
void html_escape(struct buf *out, const char *s);
void url_encode(struct buf *out, const char *s);
struct arena;
/* html_excerpt: text's first chars characters (cut at a character's
 * start, never inside one), with "…" when anything was cut; text itself
 * when it is short enough. The copy lives in a. NULL reads as "". */
const char *html_excerpt(struct arena *a, const char *text, size_t chars);

#endif
