/* Answering with an XLSX workbook: libxlsxwriter only writes files, so a
 * private temporary file is written, read back and unlinked. */
#ifndef LINLI_WEB_XLSX_H
#define LINLI_WEB_XLSX_H

#include "http.h"

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define XLSX_MAX  ((size_t)16 << 20) /* an export larger than this is refused */

/* resp_xlsx calls write(req, ctx, path) to write the workbook at path (a
 * mkstemp file, 0600), then answers 200 with it as filename. Returns 0 or
 * the writer's error / LIN_EIO / LIN_ENOMEM; the file is gone either way. */
int resp_xlsx(struct http_req *req, struct http_resp *resp, const char *filename,
	      int (*write)(struct http_req *req, void *ctx, const char *path), void *ctx);

#endif
