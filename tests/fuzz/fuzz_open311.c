/* Open311's own parsers and writer on any text: dates read back to the
 * same instant when written out, attribute[code] keys rebuild exactly,
 * degrees stay in range and exact to a microdegree, and the XML and JSON
 * writers never let text turn into markup or change on a round trip. */
#include "fuzz.h"
#include "cases/open311.h"
#include "base/buf.h"
#include "base/err.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <math.h>

#define CHECK(c) FUZZ_CHECK(c)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), code[OPEN311_CODE_MAX + 1], out[64];
	int64_t epoch, last, again, again_last, e6;
	int is_array;
	memcpy(s, data, size);
	s[size] = '\0';

	if (!open311_parse_datetime(s, &epoch, &last)) {
		size_t n = strlen(s);
		if (n == 4 || n == 7 || n == 10) {
			/* A year, month or day: whole days, starting at midnight
			 * Shanghai time. */
			CHECK((last + 1 - epoch) % 86400 == 0 && last > epoch);
			CHECK((epoch + 28800) % 86400 == 0);
			CHECK(last - epoch < 366 * 86400);
		} else {
			CHECK(n >= 17 && n <= 35);
			CHECK(s[10] == 'T' && s[4] == '-' && s[7] == '-');
			CHECK(last - epoch == (s[16] == ':' ? 0 : 59));
			open311_format_datetime(epoch, out, sizeof(out));
			CHECK(strlen(out) == OPEN311_DATETIME_LEN);
			CHECK(!open311_parse_datetime(out, &again, &again_last));
			CHECK(again == epoch && again_last == again);
		}
		/* Same with Z when seconds and offset are whole. */
	}
	int rc = open311_attribute_key(s, code, sizeof(code), &is_array);
	if (!rc) {
		char back[128];
		snprintf(back, sizeof(back), "attribute[%s]%s", code, is_array ? "[]" : "");
		CHECK(!strcmp(back, s));
	} else {
		CHECK(rc == LIN_ENOTFOUND || rc == LIN_EINVAL);
		CHECK(rc != LIN_ENOTFOUND || strncmp(s, "attribute[", 10));
	}
	if (!open311_parse_degrees(s, 180, &e6)) {
		double d = strtod(s, NULL);
		CHECK(e6 >= -180000000 && e6 <= 180000000);
		CHECK(fabs(d * 1e6 - (double)e6) <= 0.5001 + fabs(d) * 1e-9);
		CHECK(!strpbrk(s, "eExXnNiI "));
	}
	/* The writer: any text escapes to no markup. */
	{
		struct buf b;
		struct open311_writer w;
		buf_init(&b, 1 << 20);
		open311_writer_begin(&w, &b, 1, "root", "item");
		open311_writer_record(&w);
		open311_writer_text(&w, "t", s);
		open311_writer_end(&w);
		const char *body = strstr(b.buf, "<t>") + 3, *end = strstr(body, "</t>");
		CHECK(end);
		/* Nor anything XML 1.0 may not carry: controls but tab and LF,
		 * U+FFFE and U+FFFF. */
		for (const unsigned char *p = (const unsigned char *)body;
		     p < (const unsigned char *)end; p++) {
			CHECK(*p != '<' && *p != '>');
			CHECK(*p >= 0x20 || *p == '\t' || *p == '\n');
			CHECK(!(p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)));
		}
		CHECK(ref_utf8_valid(body, (size_t)(end - body)));
		CHECK(!strcmp(end, "</t></item></root>\n"));
		buf_release(&b);
		/* JSON: parses back to the same string when it is valid UTF-8. */
		buf_init(&b, 1 << 20);
		open311_writer_begin(&w, &b, 0, "root", "item");
		open311_writer_record(&w);
		open311_writer_text(&w, "t", s);
		open311_writer_degrees(&w, "d", (int64_t)size * 12345 - 9000000);
		open311_writer_end(&w);
		json_t *v = json_loads(b.buf, 0, NULL);
		json_t *str = json_string(s);
		if (str) {
			CHECK(v);
			CHECK(!strcmp(json_string_value(json_object_get(json_array_get(v, 0), "t")),
				      s));
			CHECK(json_is_number(json_object_get(json_array_get(v, 0), "d")));
			CHECK(fabs(json_number_value(json_object_get(json_array_get(v, 0), "d")) *
				       1e6 -
				   ((double)size * 12345 - 9000000)) < 0.01);
		}
		json_decref(str);
		json_decref(v);
		buf_release(&b);
	}
	free(s);
	return 0;
}
