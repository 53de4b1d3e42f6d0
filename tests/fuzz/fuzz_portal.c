/* Fuzz target for what a resident types into the portal's sign-in
 * (src/portal/model.c): a phone number that parses is 11 digits of a
 * mobile number and parses again to itself; a code that parses is
 * exactly six digits; neither writes past its buffer or reads loosely. */
#include "fuzz.h"
#include "base/err.h"
#include "portal/portal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), phone[12], again[12], code[PORTAL_CODE_DIGITS + 1];
	int rc = portal_phone_parse(s, phone, sizeof(phone));

	if (!rc) {
		FUZZ_CHECK(strlen(phone) == 11 && phone[0] == '1');
		for (int i = 0; i < 11; i++)
			FUZZ_CHECK(phone[i] >= '0' && phone[i] <= '9');
		FUZZ_CHECK(!portal_phone_parse(phone, again, sizeof(again)) &&
			   !strcmp(again, phone));
	} else {
		FUZZ_CHECK(rc == LIN_EINVAL);
	}
	rc = portal_code_parse(s, code, sizeof(code));
	if (!rc) {
		FUZZ_CHECK(strlen(code) == PORTAL_CODE_DIGITS);
		for (int i = 0; i < PORTAL_CODE_DIGITS; i++)
			FUZZ_CHECK(code[i] >= '0' && code[i] <= '9');
	} else {
		FUZZ_CHECK(rc == LIN_EINVAL);
	}
	free(s);
	return 0;
}
