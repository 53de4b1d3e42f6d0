/* multipart/form-data (RFC 7578 over RFC 2046) for forms with file inputs:
 * a strict parser over a complete body in memory. It accepts what browsers
 * and curl send and refuses everything else rather than guessing. */
#ifndef LINLI_WEB_MULTIPART_H
#define LINLI_WEB_MULTIPART_H

#include "../base/arena.h"

#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX	  70   /* RFC 2046: 1..70 characters */
#define MULTIPART_MAX_HEADER_LINE 1024 /* bytes in one part header line, CRLF included */
#define MULTIPART_MAX_HEADERS	  8    /* header lines in one part */

struct multipart_part {
	const char *name;	   /* form field name: decoded, NUL-terminated, arena */
	const char *filename;	   /* as sent (decoded, arena); NULL if not a file */
	const char *content_type;  /* the part's Content-Type (arena); NULL if absent */
	const unsigned char *data; /* the part's bytes: points into the body */
	size_t len;		   /* bytes in data */
};

/* multipart_boundary: the boundary parameter of a Content-Type header value
 * ("multipart/form-data; boundary=xyz", the value a token or a quoted
 * string). LIN_EINVAL if the type is not multipart/form-data, the
 * parameters are malformed, the boundary is missing, given twice, or not
 * 1..70 RFC 2046 characters; LIN_ENOMEM if out (n bytes) cannot hold it.
 * OUT: out, NUL-terminated. */
int multipart_boundary(const char *content_type, char *out, size_t n);

/* multipart_parse: split body (len bytes) into its parts.
 *
 * The array and the strings (name, filename, content_type) come from the
 * arena; each part's data points into body, which must outlive the parts.
 * Line ends are CRLF as RFC 2046 says: a bare LF where a line end belongs is
 * refused (inside part data every byte is kept as is). The body must start
 * with "--boundary" and end with "--boundary--", then optional spaces or
 * tabs and an optional CRLF: no preamble or epilogue, which browsers never
 * send. Each part has header lines of at most MULTIPART_MAX_HEADER_LINE
 * bytes, at most MULTIPART_MAX_HEADERS of them, exactly one
 * "Content-Disposition: form-data; name=..." (a non-empty name), at most one
 * Content-Type; a Content-Transfer-Encoding other than 7bit, 8bit or binary
 * is refused (RFC 7578 4.7), other header fields are ignored (RFC 7578 4.8).
 * Parameter values are tokens or quoted strings whose backslash escapes
 * (\" and \\) are decoded; percent escapes are kept as sent (a receiver
 * cannot tell a browser's %22 from a typed "%22"); filename*= is ignored.
 * Names and filenames must be valid UTF-8 without control characters.
 *
 * A form without fields arrives as the closing boundary alone: 0 parts.
 * An empty file input arrives as a part with filename "" and len 0.
 *
 * Returns LIN_EINVAL on anything malformed (also max_parts < 1), LIN_ETOOBIG
 * with more than max_parts parts, LIN_ENOMEM when the arena is full.
 * OUT: *parts, *nparts (NULL and 0 on failure). */
int multipart_parse(struct arena *a, const char *boundary, const unsigned char *body, size_t len,
		    int max_parts, struct multipart_part **parts, int *nparts);

/* multipart_find: the first part named name, or NULL. */
const struct multipart_part *multipart_find(const struct multipart_part *parts, int n,
					    const char *name);

/* multipart_text: the first part named name that is not a file, as a
 * NUL-terminated arena string; NULL if there is none, the arena is full, or
 * its data is not valid UTF-8 text (utf8_valid: no NUL or controls other
 * than tab, CR and LF). */
char *multipart_text(struct arena *a, const struct multipart_part *parts, int n, const char *name);

#endif
