/* The events' small rules without I/O: times typed in a form as Shanghai
 * reads them. */
#ifndef LINLI_EVENTS_MODEL_H
#define LINLI_EVENTS_MODEL_H

#include <stdint.h>

/* events_local_parse reads "YYYY-MM-DDTHH:MM" (a datetime-local field,
 * exactly 16 characters, a real calendar day 1900..2100) in Shanghai time
 * into epoch seconds; LIN_EINVAL for anything else. */
int events_local_parse(const char *s, int64_t *out);
/* events_local_format writes t as "YYYY-MM-DDTHH:MM" in Shanghai time. */
void events_local_format(int64_t t, char out[17]);

#endif
