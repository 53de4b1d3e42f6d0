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

/* make_png: a valid 1x1 PNG with PNG_SECRET_PLACE in a tEXt chunk, into
 * out (512 bytes are enough); returns its length. */
size_t make_png(unsigned char *out);
/* make_png_wide: the same picture declaring width pixels across, so each
 * width gives other bytes (the server does not decode pixels). */
size_t make_png_wide(unsigned char *out, uint32_t width);

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
/* form_post sends the form to path with one extra header line (or NULL). */
int form_post(struct client *c, struct server *s, const char *path, const struct form *f,
	      const char *extra, struct response *r);

#endif
