/* Reading a QR code back as a phone's camera would: the SVG that
 * src/web/qr.c writes is drawn as a bitmap and handed to zbarimg. Shared
 * by the unit test of the writer and the HTTP tests of the pages that
 * carry one. */
#ifndef LINLI_TESTS_QR_READ_H
#define LINLI_TESTS_QR_READ_H

#include <stddef.h>

/* qr_read decodes the first QR code <svg class="qr" ...>...</svg> in text
 * into out (NUL-terminated, "" when nothing could be read). Returns 0, or
 * -1 when text holds no such SVG or its path is not one of ours. */
int qr_read(const char *text, char *out, size_t cap);

#endif
