/* Growable, capped string buffer; see buf.h for the contract. */
#include "buf.h"
#include "alloc.h"
#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->buf = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
	b->failed = 0;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->buf);
	size_t max = b->max;
	buf_init(b, max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->cap)
		b->buf[0] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *out;

	if (b->failed)
		return NULL;
	if (!b->cap) {
		out = lin_calloc(1, 1);
	} else {
		out = b->buf;
	}
	if (len)
		*len = b->len;
	size_t max = b->max;
	buf_init(b, max);
	return out;
}

static int buf_fail(struct buf *b)
{
	if (b->cap)
		free(b->buf);
	size_t max = b->max;
	buf_init(b, max);
	b->failed = 1;
	return LIN_ENOMEM;
}

static int buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return LIN_ENOMEM;
	if (extra > b->max - b->len)
		return buf_fail(b);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	p = lin_realloc(b->cap ? b->buf : NULL, cap);
	if (!p)
		return buf_fail(b);
	if (!b->cap)
		p[0] = '\0';
	b->buf = p;
	b->cap = cap;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t len)
{
	/* data may point into b itself: growing may move it. */
	int inside = b->cap && (const char *)data >= b->buf && (const char *)data < b->buf + b->cap;
	size_t offset = inside ? (size_t)((const char *)data - b->buf) : 0;
	int rc = buf_grow(b, len);
	if (rc)
		return rc;
	if (inside)
		data = b->buf + offset;
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
	return 0;
}

int buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n, rc;

	if (b->failed)
		return LIN_ENOMEM;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return LIN_EINVAL;
	if ((size_t)n > b->max - b->len)
		return buf_fail(b);
	if (b->cap && b->cap - b->len > (size_t)n) {
		vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
		b->len += (size_t)n;
		return 0;
	}
	/* Format aside first: an argument may point into b, which may move. */
	char *tmp = lin_malloc((size_t)n + 1);
	if (!tmp)
		return buf_fail(b);
	vsnprintf(tmp, (size_t)n + 1, fmt, ap);
	rc = buf_add(b, tmp, (size_t)n);
	free(tmp);
	return rc;
}

int buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int buf_add_json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;

	buf_addc(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (*p < 0x20) {
				char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
				buf_add(b, esc, 6);
			} else {
				buf_addc(b, (char)*p);
			}
		}
	}
	return buf_addc(b, '"');
}

const char *lin_strerror(int err)
{
	switch (err) {
	case LIN_OK:
		return "ok";
	case LIN_ENOMEM:
		return "out of memory or over a size cap";
	case LIN_EINVAL:
		return "invalid input";
	case LIN_ENOTFOUND:
		return "not found";
	case LIN_EDB:
		return "database error";
	case LIN_EIO:
		return "input/output error";
	case LIN_ETOOBIG:
		return "too large";
	case LIN_EPERM:
		return "permission denied";
	case LIN_ECONFLICT:
		return "conflict with existing data";
	case LIN_EAUTH:
		return "wrong user name or password";
	case LIN_ELIMIT:
		return "too many attempts";
	case LIN_ERANGE:
		return "out of range";
	}
	return "unknown error";
}

char *buf_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n))
			break;
	if (f != stdin)
		fclose(f);
	return buf_detach(&b, len);
}
