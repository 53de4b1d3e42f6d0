/* Files compiled into the binary by scripts/embed.py. Each table ends with
 * an entry whose name is NULL. */
#ifndef LINLI_BASE_EMBED_H
#define LINLI_BASE_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* path relative to its folder, e.g. "0001_places.sql" */
	const char *data; /* contents, NUL-terminated */
	size_t len;	  /* bytes, excluding the NUL */
};

extern const struct embedded_file schema_files[];
extern const struct embedded_file asset_files[];
extern const struct embedded_file i18n_files[];

#endif
