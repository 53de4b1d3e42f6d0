/* The registry's validation (src/registry/model.c entity_validate and its
 * check_field), one field type at a time at the edge of each rule: a
 * value one character, one unit or one hundredth inside its limit is
 * taken with the value the store will bind, one outside gets the message
 * key the reader sees; required fields, partial updates, unknown fields,
 * wrong JSON types and bad UTF-8 too. */
#include "registry/model.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

static const char *const kinds[] = {"shop", "agency", NULL};

static const struct field fields[] = {
    {"name", FT_TEXT, FF_REQUIRED, 0, 4, NULL, NULL},
    {"note", FT_LONGTEXT, 0, 0, 6, NULL, NULL},
    {"age", FT_INT, 0, 1, 120, NULL, NULL},
    {"area", FT_CENTI, 0, 0, 100000, NULL, NULL},
    {"born", FT_DATE, 0, 0, 0, NULL, NULL},
    {"alive", FT_BOOL, 0, 0, 0, NULL, NULL},
    {"kind", FT_CHOICE, 0, 0, 0, kinds, NULL},
    {"phone", FT_PHONE, 0, 0, 0, NULL, NULL},
    {"mail", FT_EMAIL, 0, 0, 64, NULL, NULL},
    {"site", FT_URL, 0, 0, 64, NULL, NULL},
    {"days", FT_DAYS, 0, 0, 0, NULL, NULL},
    {"tag", FT_TEXT, FF_TAG_NAME, 0, 20, NULL, NULL},
    {"building", FT_REF, 0, 0, 0, NULL, "buildings"},
    {NULL, FT_TEXT, 0, 0, 0, NULL, NULL},
};

static const struct entity things = {
    "things", "@.name", fields, PERM_PLACES_READ, PERM_PLACES_WRITE, 1, "@.id", {{0}}, 0};

static int field_index(const char *name)
{
	for (int i = 0; fields[i].name; i++)
		if (!strcmp(fields[i].name, name))
			return i;
	fail_msg("no field %s", name);
	return -1;
}

/* check validates {"name":"名字", field: value} (value as JSON text) and
 * returns the message key for field, or NULL when it was taken. */
static const char *check(struct validation *v, const char *field, const char *json_value)
{
	char text[512];
	json_t *in;

	snprintf(text, sizeof(text), "{\"name\":\"名字\",\"%s\":%s}", field, json_value);
	in = json_loads(text, 0, NULL);
	assert_non_null(in);
	entity_validate(&things, in, 0, v);
	json_decref(in); /* strings in v point into in: read only keys and ints after */
	for (int i = 0; i < v->nerr; i++)
		if (v->errs[i].field && !strcmp(v->errs[i].field, field))
			return v->errs[i].key;
	return NULL;
}

/* REFUSED: field given the JSON value gets message key, not another or none. */
#define REFUSED(field, value, key)                                                                 \
	do {                                                                                       \
		const char *got_ = check(&v, field, value);                                        \
		if (!got_ || strcmp(got_, key))                                                    \
			fail_msg("%s = %s: %s, not %s", field, value, got_ ? got_ : "taken", key); \
	} while (0)

static void text_lengths_and_lines(void **state)
{
	struct validation v;

	(void)state;
	assert_null(check(&v, "name", "\"一二三四\""));
	REFUSED("name", "\"一二三四五\"", "err.too_long");
	REFUSED("name", "\"a\\nb\"", "err.one_line");
	assert_null(check(&v, "note", "\"一\\n二三\\n四\""));
	REFUSED("note", "\"一二三四五六七\"", "err.too_long");
	assert_string_equal(check(&v, "name", "\"\\u0007x\""), "err.utf8");
	REFUSED("name", "{}", "err.type");
	/* A tag name must survive the "a;b" lists it travels in. */
	assert_null(check(&v, "tag", "\"独居老人\""));
	assert_string_equal(check(&v, "tag", "\"a;b\""), "err.tag_name");
	REFUSED("tag", "\" a\"", "err.tag_name");
}

static void numbers_at_their_limits(void **state)
{
	struct validation v;

	(void)state;
	REFUSED("age", "0", "err.range");
	assert_null(check(&v, "age", "1"));
	assert_int_equal(v.v[field_index("age")].i, 1);
	assert_null(check(&v, "age", "\"120\""));
	REFUSED("age", "121", "err.range");
	REFUSED("age", "\"1.5\"", "err.range");
	/* Areas in hundredths, exactly; above zero, at most the maximum. */
	assert_null(check(&v, "area", "\"0.01\""));
	assert_int_equal(v.v[field_index("area")].i, 1);
	REFUSED("area", "\"0\"", "err.positive");
	assert_null(check(&v, "area", "\"1000.00\""));
	assert_int_equal(v.v[field_index("area")].i, 100000);
	REFUSED("area", "\"1000.01\"", "err.centi");
	REFUSED("area", "\"1.234\"", "err.centi");
	assert_null(check(&v, "area", "89.37"));
	assert_int_equal(v.v[field_index("area")].i, 8937);
}

static void dates_choices_and_flags(void **state)
{
	struct validation v;

	(void)state;
	assert_null(check(&v, "born", "\"2024-02-29\""));
	REFUSED("born", "\"2023-02-29\"", "err.date");
	assert_null(check(&v, "alive", "\"是\""));
	assert_int_equal(v.v[field_index("alive")].i, 1);
	assert_null(check(&v, "alive", "false"));
	assert_int_equal(v.v[field_index("alive")].i, 0);
	REFUSED("alive", "\"maybe\"", "err.bool");
	assert_null(check(&v, "kind", "\"agency\""));
	REFUSED("kind", "\"Agency\"", "err.choice");
	assert_null(check(&v, "days", "\"135\""));
	REFUSED("days", "\"531\"", "err.days");
	REFUSED("days", "\"18\"", "err.days");
	REFUSED("days", "\"11\"", "err.days");
	/* A reference by id, or by title for the store to resolve. */
	assert_null(check(&v, "building", "7"));
	assert_int_equal(v.v[field_index("building")].i, 7);
	assert_null(check(&v, "building", "\"五月花小区 3号楼\""));
	assert_int_equal(v.v[field_index("building")].i, 0);
}

static void contacts(void **state)
{
	struct validation v;

	(void)state;
	assert_null(check(&v, "phone", "\"13812345678\""));
	assert_null(check(&v, "phone", "\"625-8123\"")); /* a fixed line: 7 digits */
	REFUSED("phone", "\"625-812\"", "err.phone");	 /* 6 */
	REFUSED("phone", "\"138-1234-567x\"", "err.phone");
	assert_null(check(&v, "mail", "\"a@b.cn\""));
	REFUSED("mail", "\"a@b.\"", "err.email");
	REFUSED("mail", "\"@b.cn\"", "err.email");
	REFUSED("mail", "\"a@b@c.cn\"", "err.email");
	REFUSED("mail", "\"a b@c.cn\"", "err.email");
	assert_null(check(&v, "site", "\"https://example.cn\""));
	REFUSED("site", "\"ftp://example.cn\"", "err.url");
	REFUSED("site", "\"http://a b\"", "err.url");
}

static void required_partial_and_unknown(void **state)
{
	struct validation v;
	json_t *in =
	    json_loads("{\"note\":\"x\",\"colour\":\"red\",\"_csrf\":\"t\",\"id\":3}", 0, NULL);

	(void)state;
	/* A new row without its required name, and a field nobody knows. */
	assert_int_equal(entity_validate(&things, in, 0, &v), LIN_EINVAL);
	assert_int_equal(v.nerr, 2);
	assert_string_equal(v.errs[0].field, "colour");
	assert_string_equal(v.errs[0].key, "err.unknown_field");
	assert_string_equal(v.errs[1].field, "name");
	assert_string_equal(v.errs[1].key, "err.required");
	/* An update leaves the absent name alone; the unknown field stays. */
	assert_int_equal(entity_validate(&things, in, 1, &v), LIN_EINVAL);
	assert_int_equal(v.nerr, 1);
	json_decref(in);
	/* Given but empty: required refuses, optional binds NULL or "". */
	in = json_loads("{\"name\":\"\",\"age\":\"\",\"note\":\"\",\"alive\":\"\"}", 0, NULL);
	assert_int_equal(entity_validate(&things, in, 0, &v), LIN_EINVAL);
	assert_int_equal(v.nerr, 1);
	assert_string_equal(v.errs[0].key, "err.required");
	assert_true(v.v[field_index("age")].is_null);
	assert_string_equal(v.v[field_index("note")].s, "");
	assert_int_equal(v.v[field_index("alive")].i, 0);
	json_decref(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(text_lengths_and_lines),
	    cmocka_unit_test(numbers_at_their_limits),
	    cmocka_unit_test(dates_choices_and_flags),
	    cmocka_unit_test(contacts),
	    cmocka_unit_test(required_partial_and_unknown),
	};
	return cmocka_run_group_tests_name("registry_model", tests, NULL, NULL);
}
