/* QR codes drawn as inline SVG (libqrencode): for the notice board's
 * poster of the residents' page, a filed report's tracking address and
 * the plaza notice. Knows no feature. */
#ifndef LINLI_WEB_QR_H
#define LINLI_WEB_QR_H

#include "../base/buf.h"

/* qr_svg appends an <svg> of text as a QR code, error correction level M,
 * with the four-module quiet zone the standard asks for, one path of
 * black squares on white, role="img" and label as its accessible name
 * (escaped; may be NULL). The element scales with its viewBox; the
 * caller sizes it with CSS. Returns 0, LIN_EINVAL for empty text or
 * text too long for any QR version, or LIN_ENOMEM. */
int qr_svg(struct buf *out, const char *text, const char *label);

#endif
