/* The pure parts of Open311 (see open311.h): dates and times, attribute
 * field names, degrees, the XML rendering of an answer built as JSON, and
 * the streaming writer of request lists.
 * Nothing here does I/O, so the fuzz targets can call it directly. */
#include "open311.h"
#include "model.h"
#include "../base/buf.h"
#include "../base/timeutil.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define SHANGHAI_OFFSET LIN_SHANGHAI_OFFSET

/* ---- dates and times ---- */

/* digits reads exactly n decimal digits at s. OUT: *v. Returns 0 or -1. */
static int digits(const char *s, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* zone reads a time zone designator at p ("Z", "+08:00", "-05:30", or
 * " 08:00" for an unencoded '+') that must end the string. OUT: *offset,
 * seconds east of UTC. */
static int zone(const char *p, int *offset)
{
	int oh, om;

	if (!strcmp(p, "Z")) {
		*offset = 0;
		return 0;
	}
	if ((*p != '+' && *p != ' ' && *p != '-') || digits(p + 1, 2, &oh) || p[3] != ':' ||
	    digits(p + 4, 2, &om) || p[6] || oh > 23 || om > 59)
		return LIN_EINVAL;
	*offset = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	return 0;
}

/* day_epoch: midnight UTC of a real calendar day (LIN_EINVAL otherwise). */
static int day_epoch(int y, int mo, int d, int64_t *epoch)
{
	int cy, cm, cd;

	if (y < 1900 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return LIN_EINVAL;
	case_day_civil(case_day_number(y, mo, d), &cy, &cm, &cd);
	if (cy != y || cm != mo || cd != d)
		return LIN_EINVAL;
	*epoch = (int64_t)case_day_number(y, mo, d) * 86400;
	return 0;
}

int open311_parse_datetime(const char *s, int64_t *epoch, int64_t *last)
{
	int y, mo = 1, d = 1, h, mi, sec = 0, off;
	int64_t day, next;
	const char *p;
	size_t n;

	*epoch = *last = 0;
	n = s ? strlen(s) : 0;
	if (n < 4 || digits(s, 4, &y))
		return LIN_EINVAL;
	/* YYYY, YYYY-MM, YYYY-MM-DD: the whole period, Shanghai time. */
	if (n == 4 || n == 7 || n == 10) {
		if ((n >= 7 && (s[4] != '-' || digits(s + 5, 2, &mo))) ||
		    (n == 10 && (s[7] != '-' || digits(s + 8, 2, &d))) || day_epoch(y, mo, d, &day))
			return LIN_EINVAL;
		if (n == 10)
			next = day + 86400;
		else if (n == 7)
			next = (int64_t)case_day_number(mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1,
							1) *
			       86400;
		else
			next = (int64_t)case_day_number(y + 1, 1, 1) * 86400;
		*epoch = day - LIN_SHANGHAI_OFFSET;
		*last = next - LIN_SHANGHAI_OFFSET - 1;
		return 0;
	}
	/* YYYY-MM-DDThh:mm[:ss[.s]]TZD: the separators sit at fixed places. */
	if (n < 17 || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    h > 23 || mi > 59 || day_epoch(y, mo, d, &day))
		return LIN_EINVAL;
	p = s + 16;
	if (*p == ':') {
		if (digits(p + 1, 2, &sec) || sec > 59)
			return LIN_EINVAL;
		p += 3;
		if (*p == '.') {
			int frac = 0;
			for (p++; *p >= '0' && *p <= '9'; p++)
				frac++;
			if (frac < 1 || frac > 9)
				return LIN_EINVAL;
		}
	}
	if (zone(p, &off))
		return LIN_EINVAL;
	*epoch = day + h * 3600 + mi * 60 + sec - off;
	/* A time to the minute names the whole minute. */
	*last = *epoch + (s[16] == ':' ? 0 : 59);
	return 0;
}

void open311_format_datetime(int64_t epoch, char *out, size_t n)
{
	int64_t local = epoch + SHANGHAI_OFFSET;
	int64_t day = local / 86400, secs = local % 86400;
	int y, m, d;

	if (secs < 0) {
		secs += 86400;
		day--;
	}
	case_day_civil((int32_t)day, &y, &m, &d);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y, m, d, (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60));
}

/* ---- form fields ---- */

static int code_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

int open311_attribute_key(const char *key, char *code, size_t n, int *is_array)
{
	static const char prefix[] = "attribute[";
	const char *p, *end;
	size_t len;

	if (n)
		code[0] = '\0';
	*is_array = 0;
	if (!key || strncmp(key, prefix, sizeof(prefix) - 1))
		return LIN_ENOTFOUND;
	p = key + sizeof(prefix) - 1;
	for (end = p; code_char(*end); end++)
		;
	len = (size_t)(end - p);
	if (len < 1 || len > OPEN311_CODE_MAX || len >= n || *end != ']')
		return LIN_EINVAL;
	if (!strcmp(end, "][]"))
		*is_array = 1;
	else if (strcmp(end, "]"))
		return LIN_EINVAL;
	memcpy(code, p, len);
	code[len] = '\0';
	return 0;
}

int open311_parse_degrees(const char *s, int limit, int64_t *e6)
{
	int64_t whole = 0, frac = 0;
	int neg = 0, nwhole = 0, nfrac = 0, round_up = 0;

	*e6 = 0;
	if (!s)
		return LIN_EINVAL;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		if (++nwhole > 3)
			return LIN_EINVAL;
		whole = whole * 10 + (*s - '0');
	}
	if (!nwhole)
		return LIN_EINVAL;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++nfrac > 15)
				return LIN_EINVAL;
			if (nfrac <= 6)
				frac = frac * 10 + (*s - '0');
			else if (nfrac == 7)
				round_up = *s >= '5';
		}
		if (!nfrac)
			return LIN_EINVAL;
	}
	if (*s)
		return LIN_EINVAL;
	for (int i = nfrac; i < 6; i++)
		frac *= 10;
	*e6 = whole * 1000000 + frac + round_up;
	if (*e6 > (int64_t)limit * 1000000) {
		*e6 = 0;
		return LIN_EINVAL;
	}
	if (neg)
		*e6 = -*e6;
	return 0;
}

/* ---- XML ---- */

/* xml_text appends s escaped for element content. Characters XML 1.0
 * cannot carry are dropped (controls, non-characters such as U+FFFE and
 * U+FFFF, which input refuses but older rows may hold), and bytes that
 * are not UTF-8 become U+FFFD; CR is kept as a reference so that readers
 * do not fold it into LF. */
static void xml_text(struct buf *b, const char *s)
{
	size_t len = strlen(s);

	for (size_t at = 0; at < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + at, len - at, &cp);

		switch (n ? cp : 0xfffd) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&apos;");
			break;
		case '\r':
			buf_adds(b, "&#13;");
			break;
		case 0xfffd:
			buf_adds(b, "\xef\xbf\xbd");
			break;
		default:
			if ((cp >= 0x20 && !utf8_noncharacter(cp)) || cp == '\t' || cp == '\n')
				buf_add(b, s + at, n);
		}
		at += n ? n : 1;
	}
}

/* singular: the element name for the children of an array named key. */
static const char *singular(const char *key)
{
	static const char *const names[][2] = {
	    {"attributes", "attribute"}, {"values", "value"},	  {"endpoints", "endpoint"},
	    {"formats", "format"},	 {"services", "service"}, {"errors", "error"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(key, names[i][0]))
			return names[i][1];
	return "item";
}

/* real_text: a real as a plain decimal with at most six places (lat,
 * long), never in exponent form. */
static void real_text(struct buf *b, double v)
{
	char tmp[64];
	size_t n;

	snprintf(tmp, sizeof(tmp), "%.6f", v);
	n = strlen(tmp);
	while (n > 1 && tmp[n - 1] == '0')
		tmp[--n] = '\0';
	if (n > 1 && tmp[n - 1] == '.')
		tmp[--n] = '\0';
	buf_adds(b, tmp);
}

static void xml_value(struct buf *b, const char *name, json_t *v, int depth);

/* xml_members writes an object's members as elements. */
static void xml_members(struct buf *b, json_t *obj, int depth)
{
	const char *key;
	json_t *member;

	json_object_foreach (obj, key, member) {
		xml_value(b, key, member, depth + 1);
	}
}

static void xml_value(struct buf *b, const char *name, json_t *v, int depth)
{
	size_t i;
	json_t *item;

	if (depth > 16) /* our answers are three levels deep */
		return;
	buf_addf(b, "<%s>", name);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		xml_members(b, v, depth);
		break;
	case JSON_ARRAY:
		json_array_foreach (v, i, item) {
			xml_value(b, singular(name), item, depth + 1);
		}
		break;
	case JSON_STRING:
		xml_text(b, json_string_value(v));
		break;
	case JSON_INTEGER:
		buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		real_text(b, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_adds(b, "true");
		break;
	case JSON_FALSE:
		buf_adds(b, "false");
		break;
	case JSON_NULL:
		break;
	}
	buf_addf(b, "</%s>", name);
}

int open311_write_xml(struct buf *b, const char *root, const char *item, json_t *v)
{
	size_t i;
	json_t *elem;

	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
	buf_addf(b, "<%s>", root);
	if (json_is_array(v)) {
		json_array_foreach (v, i, elem) {
			xml_value(b, item, elem, 1);
		}
	} else if (json_is_object(v)) {
		xml_members(b, v, 0);
	}
	buf_addf(b, "</%s>\n", root);
	return b->failed ? LIN_ENOMEM : 0;
}

/* ---- the streaming writer ---- */

void open311_writer_begin(struct open311_writer *w, struct buf *b, int xml, const char *root,
			  const char *item)
{
	memset(w, 0, sizeof(*w));
	w->b = b;
	w->xml = xml;
	w->root = root;
	w->item = item;
	if (xml)
		buf_addf(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<%s>", root);
	else
		buf_addc(b, '[');
}

/* end_record closes the current record, if any. */
static void end_record(struct open311_writer *w)
{
	if (!w->records)
		return;
	if (w->xml)
		buf_addf(w->b, "</%s>", w->item);
	else
		buf_addc(w->b, '}');
}

void open311_writer_record(struct open311_writer *w)
{
	end_record(w);
	if (w->xml)
		buf_addf(w->b, "<%s>", w->item);
	else
		buf_adds(w->b, w->records ? ",{" : "{");
	w->records++;
	w->fields = 0;
}

/* field_open writes what comes before a field's value. */
static void field_open(struct open311_writer *w, const char *key)
{
	if (w->xml) {
		buf_addf(w->b, "<%s>", key);
	} else {
		if (w->fields)
			buf_addc(w->b, ',');
		buf_add_json_string(w->b, key);
		buf_addc(w->b, ':');
	}
	w->fields++;
}

void open311_writer_text(struct open311_writer *w, const char *key, const char *value)
{
	field_open(w, key);
	if (w->xml) {
		xml_text(w->b, value);
		buf_addf(w->b, "</%s>", key);
	} else {
		buf_add_json_string(w->b, value);
	}
}

void open311_writer_degrees(struct open311_writer *w, const char *key, int64_t e6)
{
	uint64_t m = e6 < 0 ? (uint64_t)0 - (uint64_t)e6 : (uint64_t)e6;
	char frac[8];
	int n = 6;

	snprintf(frac, sizeof(frac), "%06u", (unsigned)(m % 1000000));
	while (n > 1 && frac[n - 1] == '0')
		frac[--n] = '\0';
	field_open(w, key);
	buf_addf(w->b, "%s%" PRIu64 ".%s", e6 < 0 ? "-" : "", m / 1000000, frac);
	if (w->xml)
		buf_addf(w->b, "</%s>", key);
}

int open311_writer_end(struct open311_writer *w)
{
	end_record(w);
	if (w->xml)
		buf_addf(w->b, "</%s>\n", w->root);
	else
		buf_adds(w->b, "]\n");
	return w->b->failed ? LIN_ENOMEM : 0;
}
