/* Shared by the libFuzzer targets: invariant checks that abort (so
 * libFuzzer keeps the input as a crash file) and reference implementations
 * written independently of src/ to compare the real parsers against. */
#ifndef LINLI_FUZZ_FUZZ_H
#define LINLI_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_CHECK aborts with the failed condition when an invariant is broken. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(#cond, __FILE__, __LINE__);                                      \
	} while (0)

_Noreturn void fuzz_fail(const char *what, const char *file, int line);

/* fuzz_strndup: a NUL-terminated malloc'd copy of the input (free it). */
char *fuzz_strndup(const uint8_t *data, size_t size);

/* ref_utf8_seq: the length of the well-formed UTF-8 sequence at s (Unicode
 * table 3-7) and its code point in *cp, or 0 if there is none. */
size_t ref_utf8_seq(const unsigned char *s, size_t len, uint32_t *cp);
/* ref_utf8_valid: s[0..len) is well-formed UTF-8 (NULs and controls too). */
int ref_utf8_valid(const char *s, size_t len);
/* ref_text_valid: what linli accepts as text: well-formed UTF-8 without
 * NUL, DEL or C0 controls other than tab, CR and LF, and without Unicode's
 * non-characters. */
int ref_text_valid(const char *s, size_t len);
/* ref_code_points counts the code points of well-formed UTF-8. */
size_t ref_code_points(const char *s, size_t len);

#endif
