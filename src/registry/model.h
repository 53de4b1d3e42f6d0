/* Validation of registry input: from JSON values (API), form strings
 * (pages) or CSV cells (import) to typed values ready to bind. No I/O. */
#ifndef LINLI_REGISTRY_MODEL_H
#define LINLI_REGISTRY_MODEL_H

#include "registry.h"

#include <jansson.h>

#define REG_MAX_FIELDS 16
#define REG_MAX_TAGS   16

struct field_value {
	int present;   /* the input named this field */
	int is_null;   /* bind NULL (empty optional value) */
	int64_t i;     /* FT_INT, FT_CENTI, FT_BOOL, FT_REF */
	const char *s; /* FT_TEXT, FT_LONGTEXT, FT_DATE, FT_CHOICE, FT_PHONE (points into input) */
	const char *ref_title;		/* FT_REF given as a title (CSV): resolved by the store */
	const char *tags[REG_MAX_TAGS]; /* FT_TAGS names */
	int ntags;
	char number[32]; /* a JSON number given for the field, written out (s may point here) */
};

struct field_error {
	const char *field; /* field name, or NULL for the whole row */
	const char *key;   /* i18n key of the message, e.g. "err.required" */
};

struct validation {
	struct field_value v[REG_MAX_FIELDS]; /* aligned with entity->fields */
	struct field_error errs[REG_MAX_FIELDS + 4];
	int nerr;
	char tagbuf[REG_MAX_TAGS * 64]; /* tags given as one string, split in place */
};

/* entity_validate checks in (a JSON object) against e. With partial set
 * (an update) absent fields are left alone. Returns 0 or LIN_EINVAL with
 * out->errs filled. Strings in out point into in: keep it alive. */
int entity_validate(const struct entity *e, json_t *in, int partial, struct validation *out);
/* validation_add_error records one more error (used by the store too). */
void validation_add_error(struct validation *v, const char *field, const char *key);
/* registry_error_text writes the message for err in lang, naming the field. */
void registry_error_text(const char *lang, const struct entity *e, const struct field_error *err,
			 char *out, size_t n);
/* tags_split splits "a;b、c,d" into up to REG_MAX_TAGS trimmed names in a
 * (in place in s); -1 when there are more than max. */
int tags_split(char *s, const char **names, int max);

#endif
