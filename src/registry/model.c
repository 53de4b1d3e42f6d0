/* Registry validation rules; see model.h. */
#include "model.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void validation_add_error(struct validation *v, const char *field, const char *key)
{
	if (v->nerr < (int)(sizeof(v->errs) / sizeof(v->errs[0]))) {
		v->errs[v->nerr].field = field;
		v->errs[v->nerr].key = key;
		v->nerr++;
	}
}

/* value_text gives the value as text: strings as they are, integers and
 * booleans written out (into tmp), null as "". NULL for arrays/objects. */
static const char *value_text(json_t *j, char *tmp, size_t n)
{
	if (!j || json_is_null(j))
		return "";
	if (json_is_string(j))
		return json_string_value(j);
	if (json_is_integer(j)) {
		snprintf(tmp, n, "%lld", (long long)json_integer_value(j));
		return tmp;
	}
	if (json_is_true(j))
		return "1";
	if (json_is_false(j))
		return "0";
	if (json_is_real(j)) {
		snprintf(tmp, n, "%.2f", json_real_value(j));
		return tmp;
	}
	return NULL;
}

/* questions_valid: a JSON array of {code, datatype, ...} with unique codes
 * of letters, digits and _, a datatype from types, and for lists a
 * non-empty "values" array of {key, ...}. */
static int questions_valid(const char *s, const char *const *types)
{
	json_t *a = json_loads(s, JSON_REJECT_DUPLICATES, NULL), *q;
	size_t i;
	int ok = json_is_array(a) && json_array_size(a) <= 20;

	json_array_foreach (a, i, q) {
		const char *code = json_string_value(json_object_get(q, "code"));
		const char *type = json_string_value(json_object_get(q, "datatype"));
		int known = 0;
		if (!ok || !json_is_object(q) || !code || !*code || strlen(code) > 30 || !type) {
			ok = 0;
			break;
		}
		for (const char *c = code; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
				ok = 0;
		for (const char *const *t = types; *t; t++)
			known |= !strcmp(*t, type);
		ok &= known;
		for (size_t k = 0; k < i; k++)
			if (!strcmp(
				json_string_value(json_object_get(json_array_get(a, k), "code")),
				code))
				ok = 0;
		if (strstr(type, "valuelist")) {
			json_t *values = json_object_get(q, "values"), *v;
			size_t m;
			ok &= json_is_array(values) && json_array_size(values) > 0;
			json_array_foreach (values, m, v)
				ok &= json_is_string(json_object_get(v, "key"));
		}
	}
	json_decref(a);
	return ok;
}

int registry_phone_valid(const char *s)
{
	size_t digits = 0, n = strlen(s);

	if (n > 20)
		return 0;
	/* A mobile number: 11 digits starting 1[3-9]. */
	if (n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9') {
		for (size_t i = 0; i < n; i++)
			if (s[i] < '0' || s[i] > '9')
				return 0;
		return 1;
	}
	/* Otherwise a fixed line such as 021-62581234 or +86 21 6258 1234. */
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] != '-' && s[i] != ' ' && !(s[i] == '+' && i == 0))
			return 0;
	}
	return digits >= 7 && digits <= 15;
}

void registry_phone_mask(const char *phone, char *out, size_t n)
{
	size_t len = strlen(phone);

	if (len == 0) {
		snprintf(out, n, "%s", "");
	} else if (len == 11) {
		snprintf(out, n, "%.3s****%s", phone, phone + 7);
	} else if (len > 5) {
		snprintf(out, n, "%.3s****%s", phone, phone + len - 2);
	} else {
		snprintf(out, n, "****");
	}
}

int tags_split(char *s, const char **names, int max)
{
	int n = 0;
	char *p = s;

	while (*p) {
		char *start = p, *end;
		/* Separators: ASCII ; , | and the Chinese 、 ， ； */
		while (*p && *p != ';' && *p != ',' && *p != '|' && strncmp(p, "、", 3) &&
		       strncmp(p, "，", 3) && strncmp(p, "；", 3))
			p++;
		end = p;
		if (*p == ';' || *p == ',' || *p == '|')
			p++;
		else if (*p)
			p += 3;
		*end = '\0';
		start = str_trim(start);
		if (!*start)
			continue;
		if (n == max)
			return -1;
		names[n++] = start;
	}
	return n;
}

static void check_tags(const struct field *f, json_t *j, struct field_value *fv,
		       struct validation *out)
{
	if (json_is_array(j)) {
		size_t i;
		json_t *item;
		json_array_foreach (j, i, item) {
			const char *name = json_string_value(item);
			if (!name || !*name || utf8_chars(name) > 20) {
				validation_add_error(out, f->name, "err.tag");
				return;
			}
			if (fv->ntags == REG_MAX_TAGS) {
				validation_add_error(out, f->name, "err.too_many_tags");
				return;
			}
			fv->tags[fv->ntags++] = name;
		}
		return;
	}
	if (json_is_string(j)) {
		/* Forms and CSV send "a;b": split a copy kept in the validation. */
		const char *text = json_string_value(j);
		int n;
		if (strlen(text) >= sizeof(out->tagbuf)) {
			validation_add_error(out, f->name, "err.too_many_tags");
			return;
		}
		snprintf(out->tagbuf, sizeof(out->tagbuf), "%s", text);
		n = tags_split(out->tagbuf, fv->tags, REG_MAX_TAGS);
		if (n < 0) {
			validation_add_error(out, f->name, "err.too_many_tags");
			return;
		}
		for (int k = 0; k < n; k++)
			if (utf8_chars(fv->tags[k]) > 20 ||
			    !utf8_valid(fv->tags[k], strlen(fv->tags[k]))) {
				validation_add_error(out, f->name, "err.tag");
				return;
			}
		fv->ntags = n;
		return;
	}
	if (!json_is_null(j))
		validation_add_error(out, f->name, "err.tag");
}

/* The checks of one field type: each takes the field's non-empty, valid
 * UTF-8 text s, fills fv, and returns NULL or the message key. */

static const char *check_text(const struct field *f, const char *s, struct field_value *fv)
{
	if (f->type == FT_TEXT && (strchr(s, '\n') || strchr(s, '\r')))
		return "err.one_line";
	if ((int64_t)utf8_chars(s) > f->max)
		return "err.too_long";
	/* Tags travel as "a;b" in forms and CSV: a name must survive that. */
	if (f->flags & FF_TAG_NAME) {
		const char *names[2];
		char copy[256];
		snprintf(copy, sizeof(copy), "%s", s);
		if (tags_split(copy, names, 2) != 1 || strcmp(names[0], s))
			return "err.tag_name";
	}
	fv->s = s;
	return NULL;
}

static const char *check_number(const struct field *f, const char *s, struct field_value *fv)
{
	int64_t v;
	int b;

	switch (f->type) {
	case FT_INT:
		if (parse_int64(s, f->min, f->max, &v))
			return "err.range";
		break;
	case FT_CENTI:
		if (parse_centi(s, f->max, &v))
			return "err.centi";
		if (v <= 0)
			return "err.positive";
		break;
	case FT_BOOL:
		if (parse_bool(s, &b))
			return "err.bool";
		v = b;
		break;
	default: /* FT_REF: an id, or a title such as "五月花小区 3号楼" */
		if (!parse_int64(s, 1, INT64_MAX, &v))
			break;
		if (utf8_chars(s) > 200)
			return "err.ref";
		fv->ref_title = s;
		return NULL;
	}
	fv->i = v;
	return NULL;
}

static const char *check_contact(const struct field *f, const char *s, struct field_value *fv)
{
	const char *at = strchr(s, '@');

	switch (f->type) {
	case FT_URL:
		if (strlen(s) > (size_t)f->max ||
		    (strncmp(s, "http://", 7) && strncmp(s, "https://", 8)) ||
		    strpbrk(s, " \t\"<>"))
			return "err.url";
		break;
	case FT_EMAIL:
		if (strlen(s) > (size_t)f->max || !at || at == s || !strchr(at, '.') ||
		    strchr(at + 1, '@') || strpbrk(s, " \t\"<>,;") || at[strlen(at) - 1] == '.')
			return "err.email";
		break;
	default: /* FT_PHONE */
		if (!registry_phone_valid(s))
			return "err.phone";
		break;
	}
	fv->s = s;
	return NULL;
}

static const char *check_shape(const struct field *f, const char *s, struct field_value *fv)
{
	int periods[16][2], seen = 0;
	int64_t pts[32][2];

	switch (f->type) {
	case FT_DATE: {
		int y, m, d;
		if (parse_date(s, &y, &m, &d))
			return "err.date";
		break;
	}
	case FT_CHOICE:
		for (const char *const *c = f->choices; *c; c++)
			if (!strcmp(*c, s)) {
				fv->s = *c;
				return NULL;
			}
		return "err.choice";
	case FT_QUESTIONS:
		if (strlen(s) > (size_t)f->max || !questions_valid(s, f->choices))
			return "err.questions";
		break;
	case FT_PERIODS:
		if (f->max > 16 || parse_periods(s, periods, (int)f->max) < 0)
			return "err.periods";
		break;
	case FT_SHAPE:
		if (f->max > 32 || parse_shape(s, pts, (int)f->max, 1000000) < 0)
			return "err.shape";
		break;
	default: /* FT_DAYS: ISO weekdays ascending, each once */
		for (const char *c = s; *c; c++) {
			int bit = *c >= '1' && *c <= '7' ? 1 << (*c - '1') : 0;
			if (!bit || (seen & bit) || (c > s && *c <= c[-1]))
				return "err.days";
			seen |= bit;
		}
		break;
	}
	fv->s = s;
	return NULL;
}

static void check_field(const struct field *f, json_t *j, struct field_value *fv,
			struct validation *out)
{
	const char *s, *key = NULL;

	fv->present = 1;
	if (f->type == FT_TAGS) {
		check_tags(f, j, fv, out);
		return;
	}
	/* A number written out lives in fv: fv->s may keep pointing at it. */
	s = value_text(j, fv->number, sizeof(fv->number));
	if (!s) {
		validation_add_error(out, f->name, "err.type");
		return;
	}
	if (!*s) {
		if (f->flags & FF_REQUIRED)
			validation_add_error(out, f->name, "err.required");
		else if (f->type == FT_BOOL)
			fv->i = 0;
		else if (f->type == FT_TEXT || f->type == FT_LONGTEXT || f->type == FT_PHONE ||
			 f->type == FT_URL || f->type == FT_EMAIL || f->type == FT_PERIODS)
			fv->s = "";
		else if (f->type == FT_QUESTIONS)
			fv->s = "[]";
		else
			fv->is_null = 1;
		return;
	}
	if (!utf8_valid(s, strlen(s))) {
		validation_add_error(out, f->name, "err.utf8");
		return;
	}
	switch (f->type) {
	case FT_TEXT:
	case FT_LONGTEXT:
		key = check_text(f, s, fv);
		break;
	case FT_INT:
	case FT_CENTI:
	case FT_BOOL:
	case FT_REF:
		key = check_number(f, s, fv);
		break;
	case FT_URL:
	case FT_EMAIL:
	case FT_PHONE:
		key = check_contact(f, s, fv);
		break;
	case FT_TAGS:
		break;
	case FT_DATE:
	case FT_CHOICE:
	case FT_QUESTIONS:
	case FT_PERIODS:
	case FT_SHAPE:
	case FT_DAYS:
		key = check_shape(f, s, fv);
		break;
	}
	if (key)
		validation_add_error(out, f->name, key);
}

int entity_validate(const struct entity *e, json_t *in, int partial, struct validation *out)
{
	const char *key;
	json_t *value;
	int i = 0;

	memset(out, 0, sizeof(*out));
	json_object_foreach (in, key, value) {
		if (key[0] == '_' || !strcmp(key, "id"))
			continue;
		if (!entity_field(e, key))
			validation_add_error(out, key, "err.unknown_field");
	}
	for (const struct field *f = e->fields; f->name; f++, i++) {
		json_t *j = json_object_get(in, f->name);
		if (!j) {
			if (!partial && (f->flags & FF_REQUIRED))
				validation_add_error(out, f->name, "err.required");
			continue;
		}
		check_field(f, j, &out->v[i], out);
	}
	return out->nerr ? LIN_EINVAL : 0;
}

void registry_error_text(const char *lang, const struct entity *e, const struct field_error *err,
			 char *out, size_t n)
{
	char label_key[96];
	const char *msg = i18n_t(lang, err->key), *label = err->field ? err->field : "";
	const char *hole = strstr(msg, "{field}");

	if (err->field && entity_field(e, err->field)) {
		snprintf(label_key, sizeof(label_key), "field.%s.%s", e->name, err->field);
		label = i18n_t(lang, label_key);
	}
	if (hole)
		snprintf(out, n, "%.*s%s%s", (int)(hole - msg), msg, label, hole + 7);
	else
		snprintf(out, n, "%s", msg);
	/* A long field name may have been cut inside a character: drop the
	 * broken tail so the message stays valid UTF-8. */
	for (size_t len = strlen(out); len && !utf8_valid(out, len); len--)
		out[len - 1] = '\0';
}
