/* The ballot channels' rules without storage: one-time codes (fresh,
 * forgiving of how people type them, strict on anything else), the owner's
 * name masked per setting, the real-name check's keyed hash as the online
 * vote uses it (one character off is another hash; another key, another
 * hash), and a paper sheet's
 * canonical choices, which two entries are compared in. */
#include "assembly/channels.h"
#include "base/arena.h"
#include "base/err.h"
#include "db/audit.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include <cmocka.h>

static void codes_are_fresh_and_hash_forgivingly(void **state)
{
	char a[CHANNELS_CODE_LEN + 1], b[CHANNELS_CODE_LEN + 1], typed[64];
	char ha[65], hb[65], ht[65];

	(void)state;
	channels_code_new(a);
	channels_code_new(b);
	assert_int_equal(strlen(a), CHANNELS_CODE_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(channels_code_hash(a, ha), 0);
	assert_int_equal(channels_code_hash(b, hb), 0);
	assert_int_equal(strlen(ha), 64);
	assert_string_not_equal(ha, hb);
	/* as printed, in groups, in lower case: the same code */
	snprintf(typed, sizeof(typed), "%.5s %.5s-%.5s %.5s", a, a + 5, a + 10, a + 15);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	assert_int_equal(channels_code_hash(typed, ht), 0);
	assert_string_equal(ha, ht);
	/* O read as 0, I and L as 1 */
	assert_int_equal(channels_code_hash("0000011111AAAAABBBBB", ha), 0);
	assert_int_equal(channels_code_hash("OoOoOiIlLlaaaaabbbbb", ht), 0);
	assert_string_equal(ha, ht);
	/* one character short, one too many, a stranger: refused */
	assert_int_equal(channels_code_hash("0000011111AAAAABBBB", ht), LIN_EINVAL);
	assert_int_equal(channels_code_hash("0000011111AAAAABBBBBC", ht), LIN_EINVAL);
	assert_int_equal(channels_code_hash("0000011111AAAAABBBB!", ht), LIN_EINVAL);
	assert_int_equal(channels_code_hash("0000011111AAAAABBBBU", ht), LIN_EINVAL);
	assert_int_equal(channels_code_hash(NULL, ht), LIN_EINVAL);
	assert_string_equal(ht, "");
}

static void names_are_masked_per_setting(void **state)
{
	struct arena ar, *a = &ar;

	arena_init(&ar, 0);

	(void)state;
	assert_string_equal(channels_mask_name(a, "张三丰", "full"), "张三丰");
	assert_string_equal(channels_mask_name(a, "张三丰", "surname"), "张**");
	assert_string_equal(channels_mask_name(a, "Li Wei", "surname"), "L**");
	assert_string_equal(channels_mask_name(a, "张三丰", "none"), "");
	assert_string_equal(channels_mask_name(a, "张三丰", "bogus"), "");
	assert_string_equal(channels_mask_name(a, "", "surname"), "");
	arena_release(&ar);
}

static void id_check_is_keyed_and_exact(void **state)
{
	unsigned char key[AUDIT_KEY_BYTES] = {1, 2, 3};
	char h1[65], h2[65], h3[65];

	(void)state;
	audit_use_key(key, 1);
	assert_int_equal(assembly_id_check("张三", "1234", h1), 0);
	assert_int_equal(strlen(h1), 64);
	/* spaces around the name do not matter */
	assert_int_equal(assembly_id_check(" 张三 ", "1234", h2), 0);
	assert_string_equal(h1, h2);
	/* one digit off, another name: another hash */
	assert_int_equal(assembly_id_check("张三", "1235", h3), 0);
	assert_string_not_equal(h1, h3);
	assert_int_equal(assembly_id_check("张四", "1234", h3), 0);
	assert_string_not_equal(h1, h3);
	/* the name does not run into the digits */
	assert_int_equal(assembly_id_check("张三1", "2345", h3), 0);
	assert_string_not_equal(h1, h3);
	/* X as the check digit, in either case */
	assert_int_equal(assembly_id_check("张三", "123x", h2), 0);
	assert_int_equal(assembly_id_check("张三", "123X", h3), 0);
	assert_string_equal(h2, h3);
	/* not four such characters, no name */
	assert_int_equal(assembly_id_check("张三", "123", h3), LIN_EINVAL);
	assert_int_equal(assembly_id_check("张三", "12345", h3), LIN_EINVAL);
	assert_int_equal(assembly_id_check("张三", "12X4", h3), LIN_EINVAL);
	assert_int_equal(assembly_id_check("张三", "12a4", h3), LIN_EINVAL);
	assert_int_equal(assembly_id_check("  ", "1234", h3), LIN_EINVAL);
	assert_int_equal(assembly_id_check(NULL, "1234", h3), LIN_EINVAL);
	/* the digits alone are not what is kept: a plain hash differs */
	{
		unsigned char d[32];
		char plain[65];
		crypto_hash_sha256(d,
				   (const unsigned char *)"张三\0"
							  "1234",
				   11);
		sodium_bin2hex(plain, sizeof(plain), d, sizeof(d));
		assert_string_not_equal(plain, h1);
	}
	/* another key, another hash */
	key[0] = 9;
	audit_use_key(key, 1);
	assert_int_equal(assembly_id_check("张三", "1234", h2), 0);
	assert_string_not_equal(h1, h2);
}

static const char *lookup_choice(void *arg, int64_t id)
{
	const char *const *given = arg;
	return given[id];
}

static void choices_are_canonical(void **state)
{
	json_t *matters =
	    json_pack("[{s:I, s:s}, {s:I, s:s}, {s:I, s:s}]", "id", (json_int_t)1, "code", "M1",
		      "id", (json_int_t)2, "code", "M2", "id", (json_int_t)3, "code", "M3");
	const char *given[4] = {NULL, "agree", "", "abstain"};
	struct assembly_choice out[8];
	char text[CHANNELS_CHOICES_MAX];
	size_t n = 0;

	(void)state;
	assert_int_equal(channels_choices_canonical(matters, lookup_choice, given, text), 0);
	assert_string_equal(text, "M1=agree;M3=abstain");
	assert_int_equal(channels_choices_parse(text, matters, out, 8, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].matter_id, 1);
	assert_int_equal(out[0].choice, TALLY_AGREE);
	assert_int_equal(out[1].matter_id, 3);
	assert_int_equal(out[1].choice, TALLY_ABSTAIN);
	/* a blank sheet */
	given[1] = given[3] = NULL;
	assert_int_equal(channels_choices_canonical(matters, lookup_choice, given, text), 0);
	assert_string_equal(text, "");
	assert_int_equal(channels_choices_parse(text, matters, out, 8, &n), 0);
	assert_int_equal(n, 0);
	/* a value that is no choice */
	given[2] = "yes";
	assert_int_equal(channels_choices_canonical(matters, lookup_choice, given, text),
			 LIN_EINVAL);
	/* unknown code, repeated matter, bad choice, trailing separator */
	assert_int_equal(channels_choices_parse("M9=agree", matters, out, 8, &n), LIN_EINVAL);
	assert_int_equal(channels_choices_parse("M1=agree;M1=oppose", matters, out, 8, &n),
			 LIN_EINVAL);
	assert_int_equal(channels_choices_parse("M1=yes", matters, out, 8, &n), LIN_EINVAL);
	assert_int_equal(channels_choices_parse("M1=agree;", matters, out, 8, &n), LIN_EINVAL);
	assert_int_equal(channels_choices_parse("M1agree", matters, out, 8, &n), LIN_EINVAL);
	assert_int_equal(channels_choices_parse("M1=agree;M2=oppose", matters, out, 1, &n),
			 LIN_EINVAL);
	/* two entries agree only when they say the same */
	assert_true(channels_entries_agree("M1=agree;M2=oppose", "M1=agree;M2=oppose"));
	assert_false(channels_entries_agree("M1=agree;M2=oppose", "M1=agree;M2=abstain"));
	assert_false(channels_entries_agree("M1=agree", "M1=agree;M2=abstain"));
	assert_true(channels_entries_agree("", ""));
	json_decref(matters);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(codes_are_fresh_and_hash_forgivingly),
	    cmocka_unit_test(names_are_masked_per_setting),
	    cmocka_unit_test(id_check_is_keyed_and_exact),
	    cmocka_unit_test(choices_are_canonical),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
