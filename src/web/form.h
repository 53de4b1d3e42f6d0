/* application/x-www-form-urlencoded parsing (HTML form bodies). */
#ifndef LINLI_WEB_FORM_H
#define LINLI_WEB_FORM_H

#include "http.h"

#define FORM_MAX_FIELDS 256

/* form_parse decodes body into arena-allocated fields. Returns LIN_EINVAL
 * on bad percent-escapes, invalid UTF-8, or too many fields. */
int form_parse(struct arena *a, const char *body, size_t len, struct form_field **out, int *n);
/* url_decode decodes one component in place ('+' is a space); returns its
 * new length or -1 on a bad escape. */
long url_decode(char *s, size_t len);

#endif
