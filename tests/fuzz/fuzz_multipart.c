/* multipart/form-data: the boundary parser on any header value, and the
 * body parser on any bytes. Parts must lie inside the body, carry a name,
 * and never contain the delimiter; refusals are only EINVAL or ETOOBIG. */
#include "fuzz.h"
#include "base/arena.h"
#include "base/err.h"
#include "web/multipart.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_strndup(data, size), boundary[MULTIPART_BOUNDARY_MAX + 1];
	struct multipart_part *parts = NULL;
	struct arena a;
	int n = 0, rc;

	rc = multipart_boundary(text, boundary, sizeof(boundary));
	if (!rc)
		FUZZ_CHECK(strlen(boundary) >= 1 && strlen(boundary) <= MULTIPART_BOUNDARY_MAX);
	free(text);
	arena_init(&a, 0);
	rc = multipart_parse(&a, "b", data, size, 16, &parts, &n);
	if (!rc) {
		FUZZ_CHECK(n >= 0 && n <= 16);
		for (int i = 0; i < n; i++) {
			FUZZ_CHECK(parts[i].data >= data &&
				   parts[i].data + parts[i].len <= data + size);
			FUZZ_CHECK(parts[i].name && parts[i].name[0]);
			FUZZ_CHECK(!memmem(parts[i].data, parts[i].len, "\r\n--b", 5));
			FUZZ_CHECK(ref_text_valid(parts[i].name, strlen(parts[i].name)));
			char *t = multipart_text(&a, parts, n, parts[i].name);
			if (t)
				FUZZ_CHECK(ref_text_valid(t, strlen(t)));
		}
	} else {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ETOOBIG);
		FUZZ_CHECK(!parts && !n);
	}
	arena_release(&a);
	return 0;
}
