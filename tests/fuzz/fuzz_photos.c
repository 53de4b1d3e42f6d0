/* Photo sniffing, stripping and decoding on any bytes: what sniffs must
 * strip; the stripped copy sniffs as the same type, strips to itself, and
 * is never much larger (only a re-written orientation tag may be added);
 * what sniffs either decodes into a view copy that is itself a JPEG of at
 * most PHOTO_VIEW_SIDE a side, or is refused as not whole. */
#include "fuzz.h"
#include "base/buf.h"
#include "base/err.h"
#include "cases/photos.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *mime = NULL, *again_mime = NULL;
	struct buf out, again;
	int rc = photo_sniff(data, size, &mime);

	if (rc) {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ETOOBIG || rc == LIN_ERANGE);
		return 0;
	}
	buf_init(&out, 0);
	buf_init(&again, 0);
	FUZZ_CHECK(photo_strip(data, size, mime, &out) == 0);
	FUZZ_CHECK(photo_sniff((const unsigned char *)out.buf, out.len, &again_mime) == 0);
	FUZZ_CHECK(!strcmp(again_mime, mime));
	FUZZ_CHECK(photo_strip((const unsigned char *)out.buf, out.len, mime, &again) == 0);
	FUZZ_CHECK(again.len == out.len && !memcmp(again.buf, out.buf, out.len));
	FUZZ_CHECK(out.len <= size + 36);
	buf_release(&again);

	/* The decoders, on the stripped file as the server stores it. */
	struct buf view;
	uint32_t vw, vh;
	int w, h;
	buf_init(&view, PHOTO_MAX_BYTES);
	rc = photo_view((const unsigned char *)out.buf, out.len, mime, &view, &w, &h);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	if (!rc) {
		FUZZ_CHECK(photo_sniff((const unsigned char *)view.buf, view.len, &again_mime) ==
			   0);
		FUZZ_CHECK(!strcmp(again_mime, "image/jpeg"));
		FUZZ_CHECK(photo_dimensions((const unsigned char *)view.buf, view.len, again_mime,
					    &vw, &vh) == 0);
		FUZZ_CHECK((int)vw == w && (int)vh == h);
		FUZZ_CHECK(w >= 1 && w <= PHOTO_VIEW_SIDE && h >= 1 && h <= PHOTO_VIEW_SIDE);
	} else {
		FUZZ_CHECK(view.len == 0);
	}
	buf_release(&view);
	buf_release(&out);
	return 0;
}
