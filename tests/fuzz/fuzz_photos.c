/* Photo sniffing and stripping on any bytes: what sniffs must strip; the
 * stripped copy sniffs as the same type, strips to itself, and is never
 * much larger (only a re-written orientation tag may be added). */
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
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ETOOBIG);
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
	buf_release(&out);
	buf_release(&again);
	return 0;
}
