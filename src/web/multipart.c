/* multipart/form-data parsing; see multipart.h. Grammar from RFC 2046 5.1.1
 * (boundaries, delimiters), RFC 7578 (form-data parts) and RFC 9110 5.6
 * (tokens, quoted strings, parameters). */
#include "multipart.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- characters */

/* is_tchar: a token character (RFC 9110 5.6.2). */
static int is_tchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* is_bchar: a character allowed in a boundary (RFC 2046 bchars). */
static int is_bchar(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("'()+_,-./:=? ", c));
}

/* is_space: optional white space in headers and transport padding. */
static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/* boundary_valid: s[0..len) is 1..70 bchars not ending in a space. */
static int boundary_valid(const char *s, size_t len)
{
	if (len < 1 || len > MULTIPART_BOUNDARY_MAX || s[len - 1] == ' ')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_bchar((unsigned char)s[i]))
			return 0;
	return 1;
}

/* same_word: s[0..len) equals the lower-case word, ignoring ASCII case. */
static int same_word(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && !strncasecmp(s, word, len);
}

/* ---------------------------------------------------------------- parameters */

/* One "; name=value" parameter of a header value, as sent. */
struct param {
	const char *name; /* parameter name (not NUL-terminated) */
	size_t nlen;	  /* bytes in name */
	const char *raw;  /* the value without its quotes (not NUL-terminated) */
	size_t rawlen;	  /* bytes in raw */
	int quoted;	  /* raw came from a quoted string: backslash escapes apply */
};

/* param_next: reads the parameter at s[*pos..len): OWS ";" OWS token "="
 * (token / quoted-string), then OWS. Returns 1 when one was read (*pos moves
 * past it), 0 at the end of s, LIN_EINVAL when malformed (a trailing ";"
 * too). OUT: *p. */
static int param_next(const char *s, size_t len, size_t *pos, struct param *p)
{
	size_t i = *pos;

	while (i < len && is_space((unsigned char)s[i]))
		i++;
	if (i == len)
		return 0;
	if (s[i] != ';')
		return LIN_EINVAL;
	i++;
	while (i < len && is_space((unsigned char)s[i]))
		i++;
	p->name = s + i;
	while (i < len && is_tchar((unsigned char)s[i]))
		i++;
	p->nlen = (size_t)(s + i - p->name);
	if (!p->nlen || i == len || s[i] != '=')
		return LIN_EINVAL;
	i++;
	if (i < len && s[i] == '"') {
		/* qdtext: HTAB, SP, VCHAR but '"' and '\', obs-text; quoted-pair. */
		p->quoted = 1;
		p->raw = s + ++i;
		for (;;) {
			unsigned char c;
			if (i == len)
				return LIN_EINVAL;
			c = (unsigned char)s[i];
			if (c == '"')
				break;
			if (c == '\\') {
				if (++i == len)
					return LIN_EINVAL;
				c = (unsigned char)s[i];
			}
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return LIN_EINVAL;
			i++;
		}
		p->rawlen = (size_t)(s + i - p->raw);
		i++;
	} else {
		p->quoted = 0;
		p->raw = s + i;
		while (i < len && is_tchar((unsigned char)s[i]))
			i++;
		p->rawlen = (size_t)(s + i - p->raw);
		if (!p->rawlen)
			return LIN_EINVAL;
	}
	*pos = i;
	return 1;
}

/* param_decode: the value of p without its backslash escapes into out (cap
 * bytes, NUL-terminated). Returns the decoded length, or -1 if it does not
 * fit (the bytes written are then meaningless). */
static long param_decode(const struct param *p, char *out, size_t cap)
{
	size_t w = 0;

	for (size_t r = 0; r < p->rawlen; r++) {
		if (p->quoted && p->raw[r] == '\\')
			r++; /* param_next saw that an escaped byte follows */
		if (w + 1 >= cap)
			return -1;
		out[w++] = p->raw[r];
	}
	if (w >= cap)
		return -1;
	out[w] = '\0';
	return (long)w;
}

/* param_text: the decoded value of p as an arena string, which must be
 * valid UTF-8 without control characters. OUT: *out. */
static int param_text(struct arena *a, const struct param *p, const char **out)
{
	char *s = arena_alloc(a, p->rawlen + 1);
	long n;

	if (!s)
		return LIN_ENOMEM;
	n = param_decode(p, s, p->rawlen + 1);
	if (n < 0 || !utf8_valid(s, (size_t)n) || memchr(s, '\t', (size_t)n))
		return LIN_EINVAL;
	*out = s;
	return 0;
}

/* ---------------------------------------------------------------- Content-Type */

int multipart_boundary(const char *content_type, char *out, size_t n)
{
	static const char type[] = "multipart/form-data";
	char found[MULTIPART_BOUNDARY_MAX + 1];
	size_t len, pos = 0;
	long blen = -1;
	struct param p;
	int rc;

	if (n)
		out[0] = '\0';
	if (!content_type)
		return LIN_EINVAL;
	len = strlen(content_type);
	while (pos < len && is_space((unsigned char)content_type[pos]))
		pos++;
	if (len - pos < sizeof(type) - 1 || strncasecmp(content_type + pos, type, sizeof(type) - 1))
		return LIN_EINVAL;
	pos += sizeof(type) - 1;
	for (;;) {
		rc = param_next(content_type, len, &pos, &p);
		if (rc <= 0)
			break;
		if (!same_word(p.name, p.nlen, "boundary"))
			continue;
		if (blen >= 0)
			return LIN_EINVAL; /* given twice */
		blen = param_decode(&p, found, sizeof(found));
		if (blen < 0 || !boundary_valid(found, (size_t)blen))
			return LIN_EINVAL;
	}
	if (rc)
		return rc;
	if (blen < 0)
		return LIN_EINVAL;
	if ((size_t)blen >= n)
		return LIN_ENOMEM;
	memcpy(out, found, (size_t)blen + 1);
	return 0;
}

/* ---------------------------------------------------------------- part headers */

/* parse_disposition: "form-data" and its name and filename parameters,
 * into part. Other parameters (filename*= among them) are ignored. */
static int parse_disposition(struct arena *a, const char *v, size_t vlen,
			     struct multipart_part *part)
{
	static const char type[] = "form-data";
	size_t pos = sizeof(type) - 1;
	struct param p;
	int rc;

	if (vlen < pos || strncasecmp(v, type, pos))
		return LIN_EINVAL;
	for (;;) {
		rc = param_next(v, vlen, &pos, &p);
		if (rc <= 0)
			break;
		if (same_word(p.name, p.nlen, "name")) {
			if (part->name)
				return LIN_EINVAL;
			rc = param_text(a, &p, &part->name);
		} else if (same_word(p.name, p.nlen, "filename")) {
			if (part->filename)
				return LIN_EINVAL;
			rc = param_text(a, &p, &part->filename);
		} else {
			rc = 0; /* filename*= and the like */
		}
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if (!part->name || !part->name[0])
		return LIN_EINVAL;
	return 0;
}

/* parse_header: one header line line[0..len) (CRLF excluded, already free
 * of bare CR, LF and controls other than HTAB) into part. *disposition
 * counts the Content-Disposition lines seen. */
static int parse_header(struct arena *a, const char *line, size_t len, struct multipart_part *part,
			int *disposition)
{
	size_t i = 0, end = len;
	const char *value;

	while (i < len && is_tchar((unsigned char)line[i]))
		i++;
	if (!i || i == len || line[i] != ':')
		return LIN_EINVAL; /* also an obs-fold continuation line */
	value = line + i + 1;
	while (value < line + end && is_space((unsigned char)*value))
		value++;
	while (line + end > value && is_space((unsigned char)line[end - 1]))
		end--;
	size_t vlen = (size_t)(line + end - value);
	if (same_word(line, i, "content-disposition")) {
		if ((*disposition)++)
			return LIN_EINVAL;
		return parse_disposition(a, value, vlen, part);
	}
	if (same_word(line, i, "content-type")) {
		if (part->content_type || !vlen || !utf8_valid(value, vlen))
			return LIN_EINVAL;
		part->content_type = arena_strndup(a, value, vlen);
		return part->content_type ? 0 : LIN_ENOMEM;
	}
	if (same_word(line, i, "content-transfer-encoding")) {
		/* We do not decode base64 or quoted-printable; nobody sends them. */
		if (same_word(value, vlen, "7bit") || same_word(value, vlen, "8bit") ||
		    same_word(value, vlen, "binary"))
			return 0;
		return LIN_EINVAL;
	}
	return 0;
}

/* part_headers: reads the header lines at body[*pos..len) up to and
 * including the empty line, into part; *pos moves past them. */
static int part_headers(struct arena *a, const unsigned char *body, size_t len, size_t *pos,
			struct multipart_part *part)
{
	int lines = 0, disposition = 0, rc;

	for (;;) {
		size_t start = *pos, limit = len - start, i;
		if (limit > MULTIPART_MAX_HEADER_LINE)
			limit = MULTIPART_MAX_HEADER_LINE;
		for (i = start; i < start + limit; i++) {
			unsigned char c = body[i];
			if (c == '\r')
				break;
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return LIN_EINVAL; /* a bare LF among them */
		}
		/* The CRLF must fit in the line cap too. */
		if (i + 1 >= start + limit || body[i] != '\r' || body[i + 1] != '\n')
			return LIN_EINVAL;
		*pos = i + 2;
		if (i == start)
			break;
		if (++lines > MULTIPART_MAX_HEADERS)
			return LIN_EINVAL;
		rc = parse_header(a, (const char *)body + start, i - start, part, &disposition);
		if (rc)
			return rc;
	}
	return disposition ? 0 : LIN_EINVAL;
}

/* ---------------------------------------------------------------- body */

/* skip_padding: past RFC 2046 transport padding (spaces and tabs). */
static size_t skip_padding(const unsigned char *body, size_t len, size_t pos)
{
	while (pos < len && is_space(body[pos]))
		pos++;
	return pos;
}

int multipart_parse(struct arena *a, const char *boundary, const unsigned char *body, size_t len,
		    int max_parts, struct multipart_part **parts, int *nparts)
{
	unsigned char delim[4 + MULTIPART_BOUNDARY_MAX]; /* CRLF "--" boundary */
	struct multipart_part *list = NULL, *grown;
	size_t blen, dlen, pos;
	int count = 0, cap = 0, rc;

	*parts = NULL;
	*nparts = 0;
	if (!boundary || max_parts < 1 || !body)
		return LIN_EINVAL;
	blen = strlen(boundary);
	if (!boundary_valid(boundary, blen))
		return LIN_EINVAL;
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	dlen = 4 + blen;
	/* The body opens with the dash-boundary: the delimiter without its CRLF. */
	if (len < dlen - 2 || memcmp(body, delim + 2, dlen - 2)) {
		rc = LIN_EINVAL;
		goto out;
	}
	pos = dlen - 2;
	for (;;) {
		/* Just past a boundary: "--" closes the body, padding and CRLF open a part. */
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-') {
			pos = skip_padding(body, len, pos + 2);
			if (pos == len ||
			    (len - pos == 2 && body[pos] == '\r' && body[pos + 1] == '\n'))
				break;
			rc = LIN_EINVAL; /* an epilogue */
			goto out;
		}
		pos = skip_padding(body, len, pos);
		if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') {
			rc = LIN_EINVAL; /* also a boundary that only starts like ours */
			goto out;
		}
		pos += 2;
		if (count == max_parts) {
			rc = LIN_ETOOBIG;
			goto out;
		}
		if (count == cap) {
			cap = cap ? cap * 2 : 8;
			if (cap > max_parts)
				cap = max_parts;
			grown = arena_alloc(a, (size_t)cap * sizeof(*grown));
			if (!grown) {
				rc = LIN_ENOMEM;
				goto out;
			}
			if (count)
				memcpy(grown, list, (size_t)count * sizeof(*grown));
			list = grown;
		}
		rc = part_headers(a, body, len, &pos, &list[count]);
		if (rc)
			goto out;
		const unsigned char *end = memmem(body + pos, len - pos, delim, dlen);
		if (!end) {
			rc = LIN_EINVAL; /* no closing boundary */
			goto out;
		}
		list[count].data = body + pos;
		list[count].len = (size_t)(end - (body + pos));
		count++;
		pos = (size_t)(end - body) + dlen;
	}
	*parts = list;
	*nparts = count;
	rc = 0;
out:
	return rc;
}

/* ---------------------------------------------------------------- lookups */

const struct multipart_part *multipart_find(const struct multipart_part *parts, int n,
					    const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(parts[i].name, name))
			return &parts[i];
	return NULL;
}

char *multipart_text(struct arena *a, const struct multipart_part *parts, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (parts[i].filename || strcmp(parts[i].name, name))
			continue;
		if (!utf8_valid((const char *)parts[i].data, parts[i].len))
			return NULL;
		return arena_strndup(a, (const char *)parts[i].data, parts[i].len);
	}
	return NULL;
}
