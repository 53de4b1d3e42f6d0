/* Fuzz target for registry validation (src/registry/model.c). The input
 * is a JSON object, as the API receives it; it is checked against every
 * entity, as a create and as an update, and what is accepted must obey the
 * field's rules. Every string in the input also goes through tags_split
 * and registry_phone_mask, compared with references. */
#include "fuzz.h"
#include "base/err.h"
#include "base/parse.h"
#include "registry/model.h"
#include "registry/registry.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ tags_split */

/* separator_len: the length of the tag separator at s, 0 if none. */
static size_t separator_len(const char *s)
{
	static const char *const wide[] = {"、", "，", "；"};

	if (*s == ';' || *s == ',' || *s == '|')
		return 1;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (!strncmp(s, wide[i], strlen(wide[i])))
			return strlen(wide[i]);
	return 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* check_tags_split splits text with tags_split and with the reference:
 * cut at separators, trim ASCII white space, drop empty names. */
static void check_tags_split(const char *text, int max)
{
	const char *names[REG_MAX_TAGS + 1];
	char *s = strdup(text), *copy = strdup(text);
	size_t len = strlen(text);
	int n, want = 0, k = 0;

	if (!s || !copy)
		abort();
	n = tags_split(s, names, max);
	FUZZ_CHECK(n == -1 || (n >= 0 && n <= max));
	for (size_t p = 0; p <= len;) {
		size_t end = p, sep;
		while (end < len && !separator_len(copy + end))
			end++;
		sep = end < len ? separator_len(copy + end) : 1;
		size_t a = p, b = end;
		while (a < b && is_space(copy[a]))
			a++;
		while (b > a && is_space(copy[b - 1]))
			b--;
		if (b > a) {
			want++;
			if (n >= 0) {
				FUZZ_CHECK(k < n);
				FUZZ_CHECK(names[k] >= s && names[k] + (b - a) <= s + len);
				FUZZ_CHECK(strlen(names[k]) == b - a);
				FUZZ_CHECK(!memcmp(names[k], copy + a, b - a));
				k++;
			}
		}
		p = end + sep;
	}
	FUZZ_CHECK(n == (want > max ? -1 : want));
	free(s);
	free(copy);
}

/* ------------------------------------------------------------ registry_phone_mask */

static void check_phone_mask(const char *phone)
{
	static const size_t sizes[] = {32, 8, 1};
	size_t len = strlen(phone);
	char want[64], out[32];

	if (len == 0)
		want[0] = '\0';
	else if (len <= 5)
		snprintf(want, sizeof(want), "****");
	else
		snprintf(want, sizeof(want), "%.3s****%.*s", phone, len == 11 ? 4 : 2,
			 phone + len - (len == 11 ? 4 : 2));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(out, 'x', sizeof(out));
		registry_phone_mask(phone, out, sizes[i]);
		FUZZ_CHECK(memchr(out, '\0', sizes[i]) != NULL);
		FUZZ_CHECK(!strncmp(out, want, sizes[i] - 1));
		/* A mask never shows more than 7 of the original bytes. */
		FUZZ_CHECK(strlen(out) <= 11);
		/* Nothing past n is touched. */
		for (size_t j = sizes[i]; j < sizeof(out); j++)
			FUZZ_CHECK(out[j] == 'x');
	}
}

/* walk runs the string checks on every key and string value in j. */
static void walk(json_t *j, int depth)
{
	const char *key;
	json_t *v;
	size_t i;

	if (depth > 8)
		return;
	if (json_is_string(j)) {
		check_tags_split(json_string_value(j), REG_MAX_TAGS);
		check_tags_split(json_string_value(j), 2);
		check_phone_mask(json_string_value(j));
	} else if (json_is_object(j)) {
		json_object_foreach (j, key, v) {
			check_phone_mask(key);
			walk(v, depth + 1);
		}
	} else if (json_is_array(j)) {
		json_array_foreach (j, i, v)
			walk(v, depth + 1);
	}
}

/* ------------------------------------------------------------ entity_validate */

static int has_error(const struct validation *v, const char *field)
{
	for (int i = 0; i < v->nerr; i++)
		if (v->errs[i].field && !strcmp(v->errs[i].field, field))
			return 1;
	return 0;
}

/* ref_phone: an 11-digit mobile number 1[3-9]..., or 7 to 15 digits with
 * '-', ' ' and a leading '+', at most 20 bytes. */
static int ref_phone(const char *s)
{
	size_t n = strlen(s), digits = 0;

	if (n > 20)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (!(s[i] == '-' || s[i] == ' ' || (s[i] == '+' && i == 0)))
			return 0;
	}
	if (n == 11 && digits == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9')
		return 1;
	return digits >= 7 && digits <= 15;
}

/* check_text: s is text the field may hold, max characters at most. */
static void check_text(const char *s, int64_t max, int one_line)
{
	size_t len = strlen(s);

	FUZZ_CHECK(ref_text_valid(s, len));
	FUZZ_CHECK((int64_t)ref_code_points(s, len) <= max);
	if (one_line)
		FUZZ_CHECK(!strchr(s, '\n') && !strchr(s, '\r'));
}

/* known_type: the field types whose rules this target checks. */
static int known_type(enum field_type type)
{
	switch (type) {
	case FT_TEXT:
	case FT_LONGTEXT:
	case FT_INT:
	case FT_CENTI:
	case FT_DATE:
	case FT_BOOL:
	case FT_CHOICE:
	case FT_REF:
	case FT_PHONE:
	case FT_TAGS:
		return 1;
	default:
		return 0;
	}
}

/* check_accepted: a field that validated without error holds a value that
 * follows its rules. */
static void check_accepted(const struct field *f, json_t *j, const struct field_value *fv)
{
	int y, m, d;
	int empty = json_is_null(j) || (json_is_string(j) && !*json_string_value(j));

	FUZZ_CHECK(fv->present);
	if (!known_type(f->type)) {
		/* A type newer than this target: ASan still checks its text. */
		if (fv->s)
			FUZZ_CHECK(strlen(fv->s) < (size_t)-1);
		return;
	}
	if (empty && f->type != FT_TAGS) {
		FUZZ_CHECK(!(f->flags & FF_REQUIRED));
		if (f->type == FT_BOOL)
			FUZZ_CHECK(fv->i == 0 && !fv->is_null);
		else if (f->type == FT_TEXT || f->type == FT_LONGTEXT || f->type == FT_PHONE)
			FUZZ_CHECK(fv->s && !*fv->s && !fv->is_null);
		else
			FUZZ_CHECK(fv->is_null);
		return;
	}
	FUZZ_CHECK(!fv->is_null);
	switch (f->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		FUZZ_CHECK(fv->s);
		check_text(fv->s, f->max, f->type == FT_TEXT);
		break;
	case FT_INT:
		FUZZ_CHECK(fv->i >= f->min && fv->i <= f->max);
		break;
	case FT_CENTI:
		FUZZ_CHECK(fv->i > 0 && fv->i <= f->max);
		break;
	case FT_DATE:
		FUZZ_CHECK(fv->s && parse_date(fv->s, &y, &m, &d) == 0);
		break;
	case FT_BOOL:
		FUZZ_CHECK(fv->i == 0 || fv->i == 1);
		break;
	case FT_CHOICE: {
		int found = 0;
		for (const char *const *c = f->choices; *c; c++)
			found |= fv->s == *c;
		FUZZ_CHECK(found);
		break;
	}
	case FT_REF:
		/* An id, or a title for the store to look up. */
		FUZZ_CHECK((fv->i >= 1) != (fv->ref_title != NULL));
		if (fv->ref_title)
			check_text(fv->ref_title, 200, 0);
		break;
	case FT_PHONE:
		FUZZ_CHECK(fv->s && ref_phone(fv->s));
		break;
	case FT_TAGS:
		FUZZ_CHECK(fv->ntags >= 0 && fv->ntags <= REG_MAX_TAGS);
		for (int k = 0; k < fv->ntags; k++) {
			FUZZ_CHECK(fv->tags[k] && *fv->tags[k]);
			FUZZ_CHECK(ref_utf8_valid(fv->tags[k], strlen(fv->tags[k])));
			FUZZ_CHECK(ref_code_points(fv->tags[k], strlen(fv->tags[k])) <= 20);
		}
		break;
	default:
		break;
	}
	/* Text values are the input's own strings: the same pointer when the
	 * input held a string, and readable after entity_validate returned. */
	if (json_is_string(j) && fv->s && f->type != FT_CHOICE)
		FUZZ_CHECK(fv->s == json_string_value(j));
	if (json_is_string(j) && fv->ref_title)
		FUZZ_CHECK(fv->ref_title == json_string_value(j));
}

/* check_messages: every error reads as a message in both languages, in
 * the 256 bytes the API, the pages and the import give it, as valid UTF-8
 * (the API puts it in a JSON string). */
static void check_messages(const struct entity *e, const struct validation *v)
{
	static const char *const langs[] = {"zh-CN", "en"};
	char msg[256];

	for (int i = 0; i < v->nerr; i++) {
		FUZZ_CHECK(v->errs[i].key && !strncmp(v->errs[i].key, "err.", 4));
		FUZZ_CHECK(v->errs[i].field);
		for (size_t l = 0; l < 2; l++) {
			registry_error_text(langs[l], e, &v->errs[i], msg, sizeof(msg));
			FUZZ_CHECK(ref_utf8_valid(msg, strlen(msg)));
			FUZZ_CHECK(strcmp(msg, v->errs[i].key)); /* the catalogue has it */
		}
	}
}

static void check_entity(const struct entity *e, json_t *in)
{
	struct validation *create = malloc(sizeof(*create)), *update = malloc(sizeof(*update));
	const int cap = (int)(sizeof(create->errs) / sizeof(create->errs[0]));
	int rc, i = 0, absent_required = 0;

	if (!create || !update)
		abort();
	rc = entity_validate(e, in, 0, create);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	FUZZ_CHECK((rc == 0) == (create->nerr == 0) && create->nerr <= cap);
	rc = entity_validate(e, in, 1, update);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);
	FUZZ_CHECK((rc == 0) == (update->nerr == 0) && update->nerr <= cap);

	for (const struct field *f = e->fields; f->name; f++, i++) {
		json_t *j = json_object_get(in, f->name);
		FUZZ_CHECK(i < REG_MAX_FIELDS);
		if (!j) {
			/* Absent: required on create, left alone on update. */
			FUZZ_CHECK(!create->v[i].present && !update->v[i].present);
			if (f->flags & FF_REQUIRED) {
				absent_required++;
				FUZZ_CHECK(has_error(create, f->name) || create->nerr == cap);
			}
			continue;
		}
		FUZZ_CHECK(create->v[i].present && update->v[i].present);
		FUZZ_CHECK(has_error(create, f->name) == has_error(update, f->name) ||
			   create->nerr == cap);
		/* Past the cap errors are dropped: only a full list tells. */
		if (!has_error(update, f->name) && update->nerr < cap)
			check_accepted(f, j, &update->v[i]);
		if (!has_error(create, f->name) && create->nerr < cap)
			check_accepted(f, j, &create->v[i]);
	}
	/* Unknown keys are errors; "id" and "_..." keys are ignored. */
	const char *key;
	json_t *value;
	json_object_foreach (in, key, value) {
		if (key[0] != '_' && strcmp(key, "id") && !entity_field(e, key))
			FUZZ_CHECK(has_error(update, key) || update->nerr == cap);
	}
	if (create->nerr < cap)
		FUZZ_CHECK(create->nerr == update->nerr + absent_required);
	check_messages(e, create);
	free(create);
	free(update);
}

/* A name the tags entity accepts must stay one tag when a resident's tags
 * are written as text (forms, CSV import and export). */
static void check_tag_names(json_t *in)
{
	const struct entity *tags = entity_by_name("tags");
	struct validation *v = malloc(sizeof(*v));
	const char *name = json_string_value(json_object_get(in, "name"));

	if (!v)
		abort();
	if (tags && name && entity_validate(tags, in, 0, v) == 0) {
		char *copy = strdup(name);
		const char *names[REG_MAX_TAGS];
		if (!copy)
			abort();
		FUZZ_CHECK(tags_split(copy, names, REG_MAX_TAGS) == 1 && !strcmp(names[0], name));
		free(copy);
	}
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t err;
	/* As the API reads a body (src/web/dispatch.c req_json). */
	json_t *in = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &err);
	char *text = fuzz_strndup(data, size);

	check_tags_split(text, REG_MAX_TAGS);
	check_phone_mask(text);
	free(text);
	if (!in)
		return 0;
	walk(in, 0);
	if (json_is_object(in)) {
		for (int i = 0; entity_at(i); i++)
			check_entity(entity_at(i), in);
		check_tag_names(in);
	}
	json_decref(in);
	return 0;
}
