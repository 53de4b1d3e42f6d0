/* QR codes as SVG: libqrencode makes the matrix, we write one path. */
#include "qr.h"
#include "html.h"
#include "../base/err.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#define QR_QUIET 4 /* modules of white around the symbol (ISO/IEC 18004) */

int qr_svg(struct buf *out, const char *text, const char *label)
{
	QRcode *q;
	int rc, w;

	if (!text || !*text)
		return LIN_EINVAL;
	errno = 0;
	q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return errno == ENOMEM ? LIN_ENOMEM : LIN_EINVAL;
	w = q->width + 2 * QR_QUIET;
	rc =
	    buf_addf(out,
		     "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		     "shape-rendering=\"crispEdges\" role=\"img\"",
		     w, w);
	if (!rc && label) {
		rc = buf_adds(out, " aria-label=\"");
		html_escape(out, label);
		if (!rc)
			rc = buf_addc(out, '"');
	}
	if (!rc)
		rc = buf_addf(out, "><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"", w,
			      w);
	/* One subpath per run of dark modules in a row keeps the path short. */
	for (int y = 0; !rc && y < q->width; y++) {
		for (int x = 0; !rc && x < q->width;) {
			int run = 0;
			while (x + run < q->width && (q->data[y * q->width + x + run] & 1))
				run++;
			if (run) {
				rc = buf_addf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET, y + QR_QUIET,
					      run, run);
				x += run;
			} else {
				x++;
			}
		}
	}
	if (!rc)
		rc = buf_adds(out, "\" fill=\"#000\"/></svg>");
	QRcode_free(q);
	return rc ? LIN_ENOMEM : 0;
}
