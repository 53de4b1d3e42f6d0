/* Multipart bodies and a test PNG; see upload.h. */
#include "upload.h"

#include <png.h>
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
	return make_png_unique(out, 0);
}

size_t make_png_unique(unsigned char *out, uint32_t seed)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	static const unsigned char ihdr[13] = {0, 0, 0, 4, 0, 0, 0, 1, 8, 0, 0, 0, 0};
	static const char text[] = "Comment\0" PNG_SECRET_PLACE;
	/* zlib: one stored block of the row (filter byte 0, the seed's four
	 * bytes as grey pixels), then its Adler-32. */
	unsigned char idat[2 + 5 + 5 + 4] = {0x78, 0x01, 0x01, 0x05, 0x00, 0xFA, 0xFF, 0};
	uint32_t a = 1, b = 0;
	size_t n = 8;

	for (int i = 0; i < 4; i++)
		idat[8 + i] = (unsigned char)(seed >> (8 * i));
	for (int i = 7; i < 12; i++) {
		a = (a + idat[i]) % 65521;
		b = (b + a) % 65521;
	}
	for (int i = 0; i < 4; i++)
		idat[12 + i] = (unsigned char)(((b << 16) | a) >> (24 - 8 * i));
	memcpy(out, sig, 8);
	n += png_chunk(out + n, "IHDR", ihdr, sizeof(ihdr));
	n += png_chunk(out + n, "tEXt", text, sizeof(text) - 1);
	n += png_chunk(out + n, "IDAT", idat, sizeof(idat));
	n += png_chunk(out + n, "IEND", NULL, 0);
	return n;
}

size_t make_png_declaring(unsigned char *out, uint32_t width, uint32_t height)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
	unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0};
	/* One stored block holding a single filter byte: the first row's start. */
	static const unsigned char idat[] = {0x78, 0x01, 0x01, 0x01, 0x00, 0xFE,
					     0xFF, 0x00, 0x00, 0x01, 0x00, 0x01};
	size_t n = 8;

	for (int i = 0; i < 4; i++) {
		ihdr[i] = (unsigned char)(width >> (24 - 8 * i));
		ihdr[4 + i] = (unsigned char)(height >> (24 - 8 * i));
	}
	memcpy(out, sig, 8);
	n += png_chunk(out + n, "IHDR", ihdr, sizeof(ihdr));
	n += png_chunk(out + n, "IDAT", idat, sizeof(idat));
	n += png_chunk(out + n, "IEND", NULL, 0);
	return n;
}

/* png_write_out: libpng's writer into a struct png_out. */
struct png_out {
	unsigned char *p; /* the caller's buffer */
	size_t len, cap;  /* bytes written, and room */
};

static void png_write_out(png_structp png, png_bytep data, size_t n)
{
	struct png_out *o = png_get_io_ptr(png);

	if (n > o->cap - o->len) {
		fprintf(stderr, "make_png_gradient: more than %zu bytes\n", o->cap);
		exit(1);
	}
	memcpy(o->p + o->len, data, n);
	o->len += n;
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

size_t make_png_gradient(unsigned char *out, size_t cap, uint32_t width, uint32_t height,
			 uint32_t seed)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned char *row = calloc(width, 1);
	struct png_out o = {out, 0, cap};

	if (!png || !info || !row || setjmp(png_jmpbuf(png))) {
		fprintf(stderr, "make_png_gradient: libpng failed\n");
		exit(1);
	}
	png_set_write_fn(png, &o, png_write_out, png_flush_none);
	png_set_compression_level(png, 9);
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (uint32_t y = 0; y < height; y++) {
		memset(row, (int)(y * 255 / height), width);
		for (uint32_t i = 0; !y && i < 4 && i < width; i++)
			row[i] = (unsigned char)(seed >> (8 * i));
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return o.len;
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

int report_with_photo(struct server *s, const char *const *fields, const unsigned char *png,
		      size_t n, char code[11])
{
	static struct form f;
	struct client anon;
	struct response r;
	char loc[256];
	int ok;

	memset(&f, 0, sizeof(f));
	for (int i = 0; fields[i]; i += 2)
		form_field(&f, fields[i], fields[i + 1]);
	form_field(&f, "confirm_new", "1");
	form_file(&f, "photo", "photo.png", "image/png", png, n);
	form_end(&f);
	client_init(&anon);
	ok = !form_post(&anon, s, "/report", &f, NULL, &r) && r.status == 303 &&
	     header_value(&r, "Location", loc, sizeof(loc)) && !strncmp(loc, "/track/", 7);
	if (ok)
		snprintf(code, 11, "%.10s", loc + 7);
	else
		fprintf(stderr, "# /report answered %ld\n", r.status);
	response_release(&r);
	client_release(&anon);
	return ok ? 0 : -1;
}
