/* The questionnaire's rules, without I/O: what a question may be, when a
 * conditional question is shown, and whether a visit's answers fit. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <string.h>

int survey_kind_valid(const char *kind)
{
	static const char *const kinds[] = {"single", "multiple", "number", "text", NULL};
	for (int i = 0; kind && kinds[i]; i++)
		if (!strcmp(kind, kinds[i]))
			return 1;
	return 0;
}

int survey_outcome_valid(const char *outcome)
{
	return outcome && (!strcmp(outcome, "met") || !strcmp(outcome, "nobody_home") ||
			   !strcmp(outcome, "refused"));
}

int survey_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	return n >= 1 && n <= SURVEY_CODE_MAX &&
	       strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

int survey_text_ok(const char *s, size_t min, size_t max)
{
	size_t n;
	if (!s)
		s = "";
	if (!utf8_valid(s, strlen(s)))
		return 0;
	n = utf8_chars(s);
	return n >= min && n <= max;
}

int survey_day_valid(const char *day)
{
	int y, m, d;
	return day && strlen(day) == 10 && !parse_date(day, &y, &m, &d);
}

static int is_choice(const char *kind)
{
	return kind && (!strcmp(kind, "single") || !strcmp(kind, "multiple"));
}

/* option_of: 1 when key is one of options' keys. */
static int option_of(json_t *options, const char *key)
{
	size_t i;
	json_t *o;
	json_array_foreach (options, i, o)
		if (key && !strcmp(key, survey_str(o, "key")))
			return 1;
	return 0;
}

static int check_options(json_t *options, const char **key)
{
	size_t i, j;
	json_t *o, *p;

	if (!json_is_array(options) || json_array_size(options) < 2 ||
	    json_array_size(options) > SURVEY_OPTIONS_MAX) {
		*key = "survey.err.options";
		return LIN_EINVAL;
	}
	json_array_foreach (options, i, o) {
		const char *k = json_string_value(json_object_get(o, "key"));
		if (!survey_code_valid(k) ||
		    !survey_text_ok(json_string_value(json_object_get(o, "label")), 1,
				    SURVEY_LABEL_MAX)) {
			*key = "survey.err.options";
			return LIN_EINVAL;
		}
		json_array_foreach (options, j, p)
			if (j < i && !strcmp(k, json_string_value(json_object_get(p, "key")))) {
				*key = "survey.err.option_twice";
				return LIN_EINVAL;
			}
	}
	return 0;
}

int survey_question_check(json_t *q, json_t *earlier, int64_t *show_if_id, const char **field,
			  const char **key)
{
	const char *code = json_string_value(json_object_get(q, "code"));
	const char *kind = json_string_value(json_object_get(q, "kind"));
	json_t *show = json_object_get(q, "show_if"), *e;
	json_t *min = json_object_get(q, "min"), *max = json_object_get(q, "max");
	size_t i;

	*show_if_id = 0;
	*field = NULL;
	*key = NULL;
#define BAD(f, k) return (*field = (f), *key = (k), LIN_EINVAL)
	if (!survey_code_valid(code))
		BAD("code", "survey.err.code");
	json_array_foreach (earlier, i, e)
		if (!strcmp(code, json_string_value(json_object_get(e, "code"))))
			BAD("code", "survey.err.code_twice");
	if (json_array_size(earlier) >= SURVEY_QUESTIONS_MAX)
		BAD("code", "survey.err.too_many");
	if (!survey_kind_valid(kind))
		BAD("kind", "survey.err.kind");
	if (!survey_text_ok(json_string_value(json_object_get(q, "prompt")), 1, SURVEY_PROMPT_MAX))
		BAD("prompt", "survey.err.prompt");
	if (is_choice(kind) && check_options(json_object_get(q, "options"), key))
		return (*field = "options", LIN_EINVAL);
	if (!strcmp(kind, "number") &&
	    ((min && !json_is_integer(min)) || (max && !json_is_integer(max)) ||
	     (json_is_integer(min) && json_is_integer(max) &&
	      json_integer_value(min) > json_integer_value(max))))
		BAD("min", "survey.err.bounds");
	if (show && !json_is_null(show)) {
		const char *of = json_string_value(json_object_get(show, "question"));
		const char *answer = json_string_value(json_object_get(show, "answer"));
		json_t *target = NULL;
		json_array_foreach (earlier, i, e)
			if (of && !strcmp(of, json_string_value(json_object_get(e, "code"))))
				target = e;
		if (!target || !is_choice(json_string_value(json_object_get(target, "kind"))))
			BAD("show_if", "survey.err.show_if");
		if (!option_of(json_object_get(target, "options"), answer))
			BAD("show_if", "survey.err.show_if_answer");
		*show_if_id = json_integer_value(json_object_get(target, "id"));
	}
#undef BAD
	return 0;
}

/* picked: whether the answer value (a string, or an array of strings)
 * includes key. */
static int picked(json_t *value, const char *key)
{
	size_t i;
	json_t *v;

	if (json_is_string(value))
		return !strcmp(json_string_value(value), key);
	json_array_foreach (value, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), key))
			return 1;
	return 0;
}

int survey_shown(json_t *q, json_t *answers)
{
	const char *of = json_string_value(json_object_get(q, "show_if_code"));
	const char *answer = json_string_value(json_object_get(q, "show_if_answer"));

	if (!of || !*of)
		return 1;
	return answer && picked(json_object_get(answers, of), answer);
}

/* empty: an answer that says nothing ("", [], null). */
static int empty(json_t *v)
{
	return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) ||
	       (json_is_array(v) && !json_array_size(v));
}

/* one_answer: the value of a shown question as strings in out, or
 * *key. */
static int one_answer(json_t *q, json_t *v, json_t *out, const char **key)
{
	const char *kind = json_string_value(json_object_get(q, "kind"));
	json_t *options = json_object_get(q, "options");
	size_t i;
	json_t *x;

	if (!strcmp(kind, "single")) {
		if (!json_is_string(v) || !option_of(options, json_string_value(v)))
			return (*key = "survey.err.choice", LIN_EINVAL);
		json_array_append_new(out, json_string(json_string_value(v)));
	} else if (!strcmp(kind, "multiple")) {
		json_t *list = json_is_string(v) ? json_pack("[O]", v) : json_incref(v);
		if (!json_is_array(list)) {
			json_decref(list);
			return (*key = "survey.err.choice", LIN_EINVAL);
		}
		json_array_foreach (list, i, x) {
			if (!json_is_string(x) || !option_of(options, json_string_value(x))) {
				json_decref(list);
				return (*key = "survey.err.choice", LIN_EINVAL);
			}
			if (!picked(out, json_string_value(x)))
				json_array_append_new(out, json_string(json_string_value(x)));
		}
		json_decref(list);
	} else if (!strcmp(kind, "number")) {
		int64_t n = 0, lo = INT64_MIN, hi = INT64_MAX;
		char text[24];
		if (json_is_integer(json_object_get(q, "min")))
			lo = json_integer_value(json_object_get(q, "min"));
		if (json_is_integer(json_object_get(q, "max")))
			hi = json_integer_value(json_object_get(q, "max"));
		if (json_is_integer(v))
			n = json_integer_value(v);
		else if (!json_is_string(v) ||
			 parse_int64(json_string_value(v), INT64_MIN, INT64_MAX, &n))
			return (*key = "survey.err.number", LIN_EINVAL);
		if (n < lo || n > hi)
			return (*key = "survey.err.bounds_answer", LIN_EINVAL);
		snprintf(text, sizeof(text), "%lld", (long long)n);
		json_array_append_new(out, json_string(text));
	} else {
		if (!json_is_string(v) || !survey_text_ok(json_string_value(v), 1, SURVEY_TEXT_MAX))
			return (*key = "survey.err.text", LIN_EINVAL);
		json_array_append_new(out, json_string(json_string_value(v)));
	}
	return 0;
}

int survey_answers_check(json_t *questions, json_t *answers, json_t **clean, const char **field,
			 const char **key)
{
	const char *code;
	json_t *v, *q;
	size_t i;
	int rc = 0;

	*clean = json_object();
	*field = NULL;
	*key = NULL;
	if (answers && !json_is_object(answers))
		return (*field = "answers", *key = "survey.err.answers", LIN_EINVAL);
	/* an answer to a question the campaign does not ask */
	json_object_foreach (answers, code, v) {
		int known = 0;
		json_array_foreach (questions, i, q)
			known |= !strcmp(code, json_string_value(json_object_get(q, "code")));
		if (!known)
			return (*field = code, *key = "survey.err.unknown_question", LIN_EINVAL);
	}
	/* in order: a question's condition reads the answers before it */
	json_array_foreach (questions, i, q) {
		const char *c = json_string_value(json_object_get(q, "code"));
		json_t *given = json_object_get(answers, c);
		json_t *out;
		if (!survey_shown(q, answers)) {
			if (!empty(given))
				return (*field = c, *key = "survey.err.not_shown", LIN_EINVAL);
			continue;
		}
		if (empty(given)) {
			if (json_is_true(json_object_get(q, "required")))
				return (*field = c, *key = "survey.err.required", LIN_EINVAL);
			continue;
		}
		out = json_array();
		rc = one_answer(q, given, out, key);
		if (rc) {
			json_decref(out);
			*field = c;
			return rc;
		}
		json_object_set_new(*clean, c, out);
	}
	return 0;
}
