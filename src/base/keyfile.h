/* Small secret files the operator keeps outside the database (the audit
 * chain's HMAC key, the anchors' signing key): read whole, or created once,
 * atomically and private (mode 0600), so that two processes starting
 * together end up with the same key. */
#ifndef LINLI_BASE_KEYFILE_H
#define LINLI_BASE_KEYFILE_H

#include <stddef.h>

#define KEYFILE_MAX 4096 /* bytes a key file may hold */

/* keyfile_read: the file's text into out (n bytes, NUL-terminated).
 * 0, LIN_ENOTFOUND (no such file), LIN_ETOOBIG, LIN_EIO. */
int keyfile_read(const char *path, char *out, size_t n);
/* keyfile_create writes text to path only if path does not exist: a
 * private temporary file beside it, flushed to disk, then linked into
 * place. 0; LIN_ECONFLICT when path exists (someone else created it
 * first: read theirs); LIN_EIO. */
int keyfile_create(const char *path, const char *text);
/* keyfile_value: the value of "name=value" on a line of text (the rest of
 * that line, without CR) into out; 0 or LIN_ENOTFOUND (or LIN_ETOOBIG when
 * it does not fit). */
int keyfile_value(const char *text, const char *name, char *out, size_t n);

#endif
