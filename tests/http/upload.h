/* What the HTTP tests need to send files: a multipart/form-data body built
 * field by field, and a tiny PNG that carries a location in a text chunk
 * (which the server must strip before it stores the photo). */
#ifndef LINLI_TESTS_HTTP_UPLOAD_H
#define LINLI_TESTS_HTTP_UPLOAD_H

#include "harness.h"

#include <stddef.h>
#include <stdint.h>

/* The location hidden in make_png's picture. */
#define PNG_SECRET_PLACE "GPS 31.2304N 121.4737E"

/* make_png: a valid 4x1 grey PNG with PNG_SECRET_PLACE in a tEXt chunk,
 * into out (512 bytes are enough); returns its length. */
size_t make_png(unsigned char *out);
/* make_png_unique: the same picture with the seed's four bytes as its
 * pixels, so each seed gives another photo. */
size_t make_png_unique(unsigned char *out, uint32_t seed);
/* make_png_declaring: a well-formed PNG declaring width x height whose
 * image data holds one filter byte: tiny, whatever it declares. */
size_t make_png_declaring(unsigned char *out, uint32_t width, uint32_t height);
/* make_png_gradient: a real width x height grey PNG (a top-to-bottom
 * gradient, compressed hard, the seed's bytes its first four pixels), into
 * out (cap bytes; more stops the test program); returns its length. */
size_t make_png_gradient(unsigned char *out, size_t cap, uint32_t width, uint32_t height,
			 uint32_t seed);

/* A body of at most 64 KiB; start from struct form f = {0}. Writing
 * past the end stops the test program. */
struct form {
	char body[65536]; /* the body so far */
	size_t len;	  /* bytes in body */
};

void form_field(struct form *f, const char *name, const char *value);
void form_file(struct form *f, const char *name, const char *filename, const char *type,
	       const void *data, size_t n);
/* form_end closes the body; post it after this. */
void form_end(struct form *f);
/* report_with_photo files an anonymous report on s's public form: fields
 * as name/value pairs (NULL-ended), confirmed new, with one PNG photo.
 * OUT: code, the tracking code. Returns 0, or -1 when it was not filed. */
int report_with_photo(struct server *s, const char *const *fields, const unsigned char *png,
		      size_t n, char code[11]);
/* form_post sends the form to path with one extra header line (or NULL). */
int form_post(struct client *c, struct server *s, const char *path, const struct form *f,
	      const char *extra, struct response *r);

#endif
