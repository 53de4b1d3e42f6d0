/* Open311 GeoReport v2 under /open311/v2/: the area's public case
 * categories as services, reports filed by outside applications with an
 * API key, and the public view of cases, in JSON and XML. docs/open311.md
 * says what we chose where the specification leaves room. */
#ifndef LINLI_CASES_OPEN311_H
#define LINLI_CASES_OPEN311_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct router;

#define OPEN311_WINDOW_DAYS  90	  /* GET requests: the default and the widest date window */
#define OPEN311_MAX_RESULTS  1000 /* GET requests: at most this many per answer */
#define OPEN311_CODE_MAX     64	  /* bytes of an attribute code, without the NUL */
#define OPEN311_DATETIME_LEN 25	  /* "2026-11-29T17:05:00+08:00" */

/* open311_add_routes puts the Open311 routes (all PERM_PUBLIC; POST
 * requests checks its own api_key) into r; up, where photos go, with the
 * routes that store and serve media. */
struct cases_uploads;
int open311_add_routes(struct router *r, const struct cases_uploads *up);

/* ---- the pure parts (open311_text.c): no I/O, fuzzed ---- */

/* open311_parse_datetime reads a W3C date and time in any of the profiles
 * GeoReport's dates may use: "2026", "2026-11", "2026-11-29" (the whole
 * year, month or day, Shanghai time), "2026-11-29T17:05+08:00" (the whole
 * minute), "2026-11-29T17:05:00+08:00" and "2026-11-29T09:05:00.5Z". A
 * space in place of the '+' of the offset is taken as '+' (an unencoded
 * '+' in a query string arrives as a space). Years 1900..2100, real
 * calendar days, offsets up to 23:59. OUT: *epoch, the first second the
 * value names, and *last, the last (the same for a time to the second).
 * Returns 0 or LIN_EINVAL. */
int open311_parse_datetime(const char *s, int64_t *epoch, int64_t *last);

/* open311_format_datetime writes epoch as Shanghai time with its offset,
 * "2026-11-29T17:05:00+08:00", into out (at least OPEN311_DATETIME_LEN + 1
 * bytes). */
void open311_format_datetime(int64_t epoch, char *out, size_t n);

/* open311_attribute_key reads a form field name of the shape
 * "attribute[CODE]" or "attribute[CODE][]" (the second one for a value of
 * a multivaluelist). CODE is 1..OPEN311_CODE_MAX of [A-Za-z0-9_.-].
 * OUT: code (n bytes, NUL-terminated), *is_array. Returns 0;
 * LIN_ENOTFOUND when the name does not start with "attribute[" (some
 * other field); LIN_EINVAL when it does but is malformed or CODE does not
 * fit in n. */
int open311_attribute_key(const char *key, char *code, size_t n, int *is_array);

/* open311_parse_degrees reads a decimal number of degrees ("31.2304",
 * "-121.47") with at most 15 digits after the point, rounded to the
 * nearest microdegree, within [-limit, limit] degrees. OUT: *e6. Returns 0
 * or LIN_EINVAL. */
int open311_parse_degrees(const char *s, int limit, int64_t *e6);

/* open311_write_xml appends v as an XML document: the declaration, then
 * <root>. An array's elements become <item> children of root; an object's
 * members become elements named by their keys, nested arrays named by the
 * plural key holding singular children (attributes/attribute,
 * values/value, endpoints/endpoint, formats/format). Strings are escaped,
 * null is an empty element, booleans are true/false. Keys must be XML
 * names (ours are). Returns 0, or LIN_ENOMEM when b failed. */
int open311_write_xml(struct buf *b, const char *root, const char *item, json_t *v);

/* A streaming writer for lists of flat records (GET requests), giving the
 * same documents as open311_write_xml or jansson would from a tree but
 * without building one: a thousand requests are written straight into the
 * response. Keys must be JSON- and XML-safe names (ours are); values are
 * escaped. */
struct open311_writer {
	struct buf *b;	  /* where the document goes */
	int xml;	  /* XML rather than JSON */
	const char *root; /* XML root element, e.g. "service_requests" */
	const char *item; /* XML element of one record, e.g. "request" */
	int records;	  /* records begun so far */
	int fields;	  /* fields written in the current record */
};

/* open311_writer_begin starts the list document in b. */
void open311_writer_begin(struct open311_writer *w, struct buf *b, int xml, const char *root,
			  const char *item);
/* open311_writer_record starts a record (ending the one before). */
void open311_writer_record(struct open311_writer *w);
/* open311_writer_text adds a string field. */
void open311_writer_text(struct open311_writer *w, const char *key, const char *value);
/* open311_writer_degrees adds microdegrees as a decimal number (31.2304). */
void open311_writer_degrees(struct open311_writer *w, const char *key, int64_t e6);
/* open311_writer_end ends the last record and the list. Returns 0, or
 * LIN_ENOMEM when b failed. */
int open311_writer_end(struct open311_writer *w);

#endif
