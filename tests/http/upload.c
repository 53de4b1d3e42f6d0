/* Multipart bodies and a test PNG; see upload.h. */
#include "upload.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOUNDARY "linliTestBoundary7MA4YWxk"

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static size_t png_chunk(unsigned char *out, const char *type, const void *data, uint32_t n)
{
	uint32_t crc;

	for (int i = 0; i < 4; i++)
		out[i] = (unsigned char)(n >> (24 - 8 * i));
	memcpy(out + 4, type, 4);
	if (n)
		memcpy(out + 8, data, n);
	crc = crc32_png(out + 4, n + 4);
	for (int i = 0; i < 4; i++)
		out[8 + n + (uint32_t)i] = (unsigned char)(crc >> (24 - 8 * i));
	return 12 + n;
}

size_t make_png(unsigned char *out)
{
	return make_png_wide(out, 1);
}

size_t make_png_wide(unsigned char *out, uint32_t width)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	const unsigned char ihdr[13] = {(unsigned char)(width >> 24),
					(unsigned char)(width >> 16),
					(unsigned char)(width >> 8),
					(unsigned char)width,
					0,
					0,
					0,
					1,
					8,
					0,
					0,
					0,
					0};
	static const unsigned char idat[] = {0x78, 0x9c, 0x63, 0x60, 0x00,
					     0x00, 0x00, 0x02, 0x00, 0x01};
	static const char text[] = "Comment\0" PNG_SECRET_PLACE;
	size_t n = 8;

	memcpy(out, sig, 8);
	n += png_chunk(out + n, "IHDR", ihdr, sizeof(ihdr));
	n += png_chunk(out + n, "tEXt", text, sizeof(text) - 1);
	n += png_chunk(out + n, "IDAT", idat, sizeof(idat));
	n += png_chunk(out + n, "IEND", NULL, 0);
	return n;
}

static void form_add(struct form *f, const void *data, size_t n)
{
	if (n > sizeof(f->body) - f->len) {
		fprintf(stderr, "# form body over %zu bytes\n", sizeof(f->body));
		abort();
	}
	memcpy(f->body + f->len, data, n);
	f->len += n;
}

static void form_head(struct form *f, const char *name, const char *filename, const char *type)
{
	char head[1024];
	int n =
	    filename
		? snprintf(head, sizeof(head),
			   "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"; "
			   "filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
			   name, filename, type)
		: snprintf(head, sizeof(head),
			   "--" BOUNDARY "\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n",
			   name);

	form_add(f, head, (size_t)n < sizeof(head) ? (size_t)n : sizeof(head) - 1);
}

void form_field(struct form *f, const char *name, const char *value)
{
	form_head(f, name, NULL, NULL);
	form_add(f, value, strlen(value));
	form_add(f, "\r\n", 2);
}

void form_file(struct form *f, const char *name, const char *filename, const char *type,
	       const void *data, size_t n)
{
	form_head(f, name, filename, type);
	form_add(f, data, n);
	form_add(f, "\r\n", 2);
}

void form_end(struct form *f)
{
	form_add(f, "--" BOUNDARY "--\r\n", strlen("--" BOUNDARY "--\r\n"));
}

int form_post(struct client *c, struct server *s, const char *path, const struct form *f,
	      const char *extra, struct response *r)
{
	return request_bytes(c, s, "POST", path, f->body, f->len,
			     "multipart/form-data; boundary=" BOUNDARY, extra, r);
}
