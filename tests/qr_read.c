/* QR codes read back: the path's "Mx yhNv1h-Nz" squares drawn four pixels
 * a module into a PBM, decoded by zbarimg. Written for the tests, not
 * taken from src/. */
#include "qr_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SCALE 4

static int draw(const char *svg, int w, unsigned char *bits)
{
	const char *p = strstr(svg, "<path d=\"");

	if (!p)
		return -1;
	p += strlen("<path d=\"");
	while (*p == 'M') {
		char *end;
		long x = strtol(p + 1, &end, 10), y, run;
		if (*end != ' ')
			return -1;
		y = strtol(end + 1, &end, 10);
		if (*end != 'h')
			return -1;
		run = strtol(end + 1, &end, 10);
		if (x < 0 || y < 0 || run < 1 || x + run > w || y >= w)
			return -1;
		for (long i = 0; i < run; i++)
			bits[y * w + x + i] = 1;
		p = strchr(end, 'z');
		if (!p)
			return -1;
		p++;
	}
	return *p == '"' ? 0 : -1;
}

int qr_read(const char *text, char *out, size_t cap)
{
	const char *svg = strstr(text, "<svg class=\"qr\""), *vb;
	char path[] = "/tmp/linli-qr-XXXXXX", cmd[128];
	unsigned char *bits;
	FILE *f, *z;
	size_t n;
	int fd, w;

	out[0] = 0;
	if (!svg || !(vb = strstr(svg, "viewBox=\"0 0 ")))
		return -1;
	w = (int)strtol(vb + strlen("viewBox=\"0 0 "), NULL, 10);
	if (w < 21 || w > 200)
		return -1;
	bits = calloc((size_t)w * w, 1);
	if (!bits || draw(svg, w, bits)) {
		free(bits);
		return -1;
	}
	fd = mkstemp(path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		free(bits);
		return -1;
	}
	fprintf(f, "P1\n%d %d\n", w * SCALE, w * SCALE);
	for (int y = 0; y < w * SCALE; y++) {
		for (int x = 0; x < w * SCALE; x++)
			fputs(bits[(y / SCALE) * w + x / SCALE] ? "1 " : "0 ", f);
		fputc('\n', f);
	}
	fclose(f);
	free(bits);
	snprintf(cmd, sizeof(cmd), "zbarimg -q --raw %s 2>/dev/null", path);
	z = popen(cmd, "r");
	n = z ? fread(out, 1, cap - 1, z) : 0;
	out[n] = 0;
	if (z)
		pclose(z);
	unlink(path);
	if (strchr(out, '\n'))
		*strchr(out, '\n') = 0;
	return 0;
}
