/* Internal to src/report: station inspections and patrol logs as the API
 * (field_api.c) and the pages (field_pages.c) share them: checking what
 * was sent, who may write, the one-tap case. */
#ifndef LINLI_REPORT_FIELD_H
#define LINLI_REPORT_FIELD_H

#include "store.h"
#include "../cases/cases.h"
#include "../web/http.h"

#include <jansson.h>

/* What a patrol saw, in the forms' order; "none" is a quiet round. */
#define FIELD_NKINDS 6
extern const char *const field_kinds[FIELD_NKINDS];

/* The first problem of a refused record: the field and the i18n key. */
struct field_error {
	const char *field;
	const char *key;
};
/* field_err sets *err and returns LIN_EINVAL. */
int field_err(struct field_error *err, const char *field, const char *key);

/* Where a record's fields come from: a JSON body, the parts of a
 * multipart form (the inspection form, which may carry a photo) or, when
 * both are NULL, the urlencoded form. */
struct multipart_part;
struct field_src {
	json_t *body;
	const struct multipart_part *parts;
	int nparts;
};
/* field_in: the value of name there (JSON: text, or a whole number as
 * text); NULL when absent. */
const char *field_in(struct http_req *req, const struct field_src *src, const char *name);

/* field_may_write: 0 when the reader may write records for the station
 * or route (the committee; a volunteer who leads it), else LIN_EPERM. */
int field_may_write(struct http_req *req, const struct field_place *p);
/* field_reader_filter: the author whose records alone the reader sees
 * (a volunteer: themselves), or 0 for all. */
int64_t field_reader_filter(const struct http_req *req);

/* field_inspection_parse / field_patrol_parse check everything sent and
 * fill *in (strings borrowed from the request) and the station or route;
 * LIN_EINVAL with *err on the first problem, a storage error otherwise. */
int field_inspection_parse(struct http_req *req, const struct field_src *src,
			   struct field_place *station, struct inspection_new *in,
			   struct field_error *err);
int field_patrol_parse(struct http_req *req, const struct field_src *src, struct field_place *route,
		       struct patrol_new *in, struct field_error *err);

/* The case a record became. */
struct field_case {
	int64_t case_id;		  /* the new case, or the one it already has */
	char code[TRACKING_CODE_LEN + 1]; /* its tracking code (new ones) */
	const char *err_key;		  /* why cases_open refused, if it did */
};
/* field_inspection_case / field_patrol_case: one tap: the record becomes
 * a case (garbage sorting at the station's compound and point; a patrol's
 * observation by its kind, noise about the team the timetable had on),
 * linked to it. LIN_ECONFLICT (out->case_id: the case) when it already is
 * one, LIN_EPERM, LIN_ENOTFOUND, LIN_EINVAL (a quiet round). */
int field_inspection_case(struct http_req *req, int64_t id, struct field_case *out);
int field_patrol_case(struct http_req *req, int64_t id, struct field_case *out);

/* field_api_routes / field_page_routes: the feature's routes for them. */
int field_api_routes(struct router *r);
int field_page_routes(struct router *r, const struct cases_uploads *up);

#endif
