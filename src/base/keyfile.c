/* Secret files, see keyfile.h. */
#include "keyfile.h"
#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int keyfile_read(const char *path, char *out, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t got;

	if (fd < 0)
		return errno == ENOENT ? LIN_ENOTFOUND : LIN_EIO;
	while ((got = read(fd, out + len, n - 1 - len)) > 0)
		len += (size_t)got;
	if (got == 0 && len == n - 1) {
		char extra;
		got = read(fd, &extra, 1) > 0 ? -2 : 0;
	}
	close(fd);
	out[len] = '\0';
	if (got == -2)
		return LIN_ETOOBIG;
	return got < 0 ? LIN_EIO : 0;
}

/* sync_dir flushes the directory holding path, so the new name survives a
 * crash. */
static int sync_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return LIN_EIO;
	rc = fsync(fd) ? LIN_EIO : 0;
	close(fd);
	return rc;
}

int keyfile_create(const char *path, const char *text)
{
	char tmp[4200];
	size_t len = strlen(text), done = 0;
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return LIN_EIO;
	fd = mkstemp(tmp); /* mode 0600 */
	if (fd < 0)
		return LIN_EIO;
	while (!rc && done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			rc = LIN_EIO;
		else
			done += (size_t)w;
	}
	if (!rc && fsync(fd))
		rc = LIN_EIO;
	if (close(fd))
		rc = LIN_EIO;
	if (!rc && link(tmp, path))
		rc = errno == EEXIST ? LIN_ECONFLICT : LIN_EIO;
	unlink(tmp);
	if (!rc)
		rc = sync_dir(path);
	return rc;
}

int keyfile_value(const char *text, const char *name, char *out, size_t n)
{
	size_t nlen = strlen(name);

	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len > nlen && !strncmp(line, name, nlen) && line[nlen] == '=') {
			size_t vlen = len - nlen - 1;
			if (vlen && line[nlen + 1 + vlen - 1] == '\r')
				vlen--;
			if (vlen >= n)
				return LIN_ETOOBIG;
			memcpy(out, line + nlen + 1, vlen);
			out[vlen] = '\0';
			return 0;
		}
		line = end ? end + 1 : NULL;
	}
	return LIN_ENOTFOUND;
}
