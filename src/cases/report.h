/* Internal to src/cases: the report form as a page writes it
 * (report_form.c) and as its handlers read it (pages_report.c). */
#ifndef LINLI_CASES_REPORT_H
#define LINLI_CASES_REPORT_H

#include "cases.h"

#include <jansson.h>
#include <stdint.h>

struct html;
struct http_req;

#define REPORT_MAX_PHOTOS 3

/* What the form holds between its steps. */
struct report_values {
	const char *description, *compound_id, *building_id, *door, *address;
	const char *reporter_name, *reporter_phone, *channel;
	int photos_public;		       /* the reporter lets the photos be shown publicly */
	json_t *answers;		       /* question code -> value (string or array) */
	const char *photos[REPORT_MAX_PHOTOS]; /* "sha.ext" kept from an earlier step */
	int nphotos;
	/* Photos of this request, written under temporary names until the
	 * report is filed (photo_stage): photos[i] with staged[i] set. */
	const char *staged[REPORT_MAX_PHOTOS]; /* the temporary file, or NULL */
	int64_t staged_bytes[REPORT_MAX_PHOTOS];
};

/* report_question_text: a question's (or a value's) words in the reader's
 * language; what is "description" or "name". */
const char *report_question_text(struct http_req *req, json_t *q, const char *what);
/* report_error_text: the message of err_key for the form, "{field}" filled
 * with the field's label (a question by its own words). */
const char *report_error_text(struct http_req *req, json_t *cat, const char *err_field,
			      const char *err_key);
/* report_form writes the whole form for one category: staff adds the
 * channel; errs (NULL on a fresh form) are said at the top, in the form's
 * order, and beside their fields. */
void report_form(struct http_req *req, struct html *h, int64_t area, json_t *cat,
		 const struct report_values *v, const char *action, int staff,
		 const struct case_errors *errs);

#endif
