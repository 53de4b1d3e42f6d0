/* A growable byte string with a hard cap (after git's strbuf and curl's
 * dynbuf). b->buf is never NULL and always NUL-terminated; when an append
 * would pass the cap or allocation fails, the buffer frees what it holds and
 * every later append fails too, so callers may check once at the end. */
#ifndef LINLI_BASE_BUF_H
#define LINLI_BASE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *buf;  /* contents, NUL-terminated; never NULL */
	size_t len; /* bytes used, excluding the NUL */
	size_t cap; /* bytes allocated (0 while buf points at the shared "") */
	size_t max; /* hard cap on len */
	int failed; /* an append failed: contents dropped, appends refused */
};

#define BUF_DEFAULT_MAX ((size_t)64 << 20)

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* buf_detach hands the contents to the caller (free with free()); the
 * buffer is left empty and usable. Returns NULL if an append had failed. */
char *buf_detach(struct buf *b, size_t *len);

int buf_add(struct buf *b, const void *data, size_t len);
int buf_adds(struct buf *b, const char *s);
int buf_addc(struct buf *b, char c);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* buf_add_json_string appends s as a quoted, escaped JSON string. */
int buf_add_json_string(struct buf *b, const char *s);

/* buf_read_file reads the file at path ("-": standard input) whole, NUL
 * terminated; the caller frees it. NULL when it cannot be read or is
 * longer than max bytes. OUT: *len. */
char *buf_read_file(const char *path, size_t max, size_t *len);

#endif
