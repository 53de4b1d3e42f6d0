/* XLSX answers through a private temporary file (see xlsx.h). */
#include "xlsx.h"
#include "../base/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int resp_xlsx(struct http_req *req, struct http_resp *resp, const char *filename,
	      int (*write)(struct http_req *req, void *ctx, const char *path), void *ctx)
{
	char path[] = "/tmp/linli-xlsx-XXXXXX", chunk[65536], disposition[160];
	struct stat sb;
	int fd = mkstemp(path), rc;

	if (fd < 0)
		return LIN_EIO;
	rc = write(req, ctx, path);
	/* our descriptor still names the file the writer rewrote in place */
	if (!rc && (fstat(fd, &sb) || (size_t)sb.st_size > XLSX_MAX || lseek(fd, 0, SEEK_SET)))
		rc = LIN_EIO;
	if (!rc)
		buf_reset(&resp->body);
	while (!rc) {
		ssize_t got = read(fd, chunk, sizeof(chunk));
		if (got < 0)
			rc = LIN_EIO;
		else if (!got)
			break;
		else if (buf_add(&resp->body, chunk, (size_t)got))
			rc = LIN_ENOMEM;
	}
	unlink(path);
	close(fd);
	if (rc)
		return rc;
	resp->status = 200;
	resp->content_type = XLSX_MIME;
	snprintf(disposition, sizeof(disposition), "attachment; filename=\"%s\"", filename);
	resp_header(req, resp, "Content-Disposition", disposition);
	return 0;
}
