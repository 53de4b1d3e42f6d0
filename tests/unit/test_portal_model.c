/* Unit tests of the portal's rules without I/O (src/portal/model.c): a
 * mobile number as a resident types it, a six-digit code, and the second
 * a code stops being good. */
#include "portal/portal.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static void phone_as_typed(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: refused */
	} cases[] = {
	    {"13912345678", "13912345678"},
	    {"139 1234 5678", "13912345678"},
	    {"139-1234-5678", "13912345678"},
	    {"+86 139 1234 5678", "13912345678"},
	    {"8613912345678", "13912345678"},
	    {" 13912345678 ", "13912345678"},
	    {"1391234567", NULL},
	    {"139123456789", NULL},
	    {"12912345678", NULL},
	    {"23912345678", NULL},
	    {"021-62581234", NULL},
	    {"+8713912345678", NULL},
	    {"1391234567a", NULL},
	    {"", NULL},
	    {"+86", NULL},
	    {"86 86 139 1234 5678", NULL},
	    {"１３９１２３４５６７８", NULL}, /* full-width digits */
	};
	char out[12];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = portal_phone_parse(cases[i].in, out, sizeof(out));
		if (cases[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		} else {
			assert_int_equal(rc, LIN_EINVAL);
		}
	}
	assert_int_equal(portal_phone_parse(NULL, out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(portal_phone_parse("13912345678", out, 11), LIN_EINVAL);
}

static void code_as_typed(void **state)
{
	char out[PORTAL_CODE_DIGITS + 1];

	(void)state;
	assert_int_equal(portal_code_parse("012345", out, sizeof(out)), 0);
	assert_string_equal(out, "012345");
	assert_int_equal(portal_code_parse(" 012 345 ", out, sizeof(out)), 0);
	assert_string_equal(out, "012345");
	assert_int_equal(portal_code_parse("01234", out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(portal_code_parse("0123456", out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(portal_code_parse("01234a", out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(portal_code_parse("", out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(portal_code_parse(NULL, out, sizeof(out)), LIN_EINVAL);
}

static void code_life_edge(void **state)
{
	int64_t sent = 1800000000, expires = sent + PORTAL_CODE_SECONDS;

	(void)state;
	assert_true(portal_code_live(expires, sent));
	assert_true(portal_code_live(expires, expires - 1));
	assert_false(portal_code_live(expires, expires));
	assert_false(portal_code_live(expires, expires + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(phone_as_typed),
	    cmocka_unit_test(code_as_typed),
	    cmocka_unit_test(code_life_edge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
