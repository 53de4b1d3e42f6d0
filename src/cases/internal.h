/* Internal to src/cases: what the API, the pages and Open311 share. */
#ifndef LINLI_CASES_INTERNAL_H
#define LINLI_CASES_INTERNAL_H

#include "store.h"
#include "../web/http.h"
#include "../web/i18n.h"

struct router;

/* cases_who: the signed-in requester as a case actor. */
void cases_who(struct http_req *req, struct case_who *who);
/* cases_private_ok: the reader may see private categories and who
 * reported (the committee, and Party members who mediate). */
int cases_private_ok(struct http_req *req);
/* cases_visible: 0 when the reader may see (and so work on) case id of
 * the reader's area; LIN_ENOTFOUND when there is no such case, or it is of
 * a private category and the reader may not see those. */
int cases_visible(struct http_req *req, int64_t id);
/* cases_mask hides the reporter's phone and e-mail from roles that may
 * not see them. */
void cases_mask(struct http_req *req, json_t *c);
/* cases_error answers a store error in the reader's language. */
int cases_error(struct http_req *req, struct http_resp *resp, int rc, const char *err_field,
		const char *err_key);
int cases_new_from_json(struct http_req *req, json_t *in, struct case_new *out,
			const char **err_field);
int cases_read_filter(struct http_req *req, struct case_filter *f);
#define CASES_BULK_MAX 200 /* cases assigned in one bulk request */

/* cases_queue_load: the queue as the request's filter asks, for GET /cases
 * and GET /api/v1/cases alike: one page of the cases the reader may see,
 * masked for the reader (*items), the total and the counts by state.
 * status ("open", "closed" or NULL for all) applies when the query names
 * neither a status nor a state. LIN_EINVAL for a bad query. The caller
 * decrefs *items and *counts, also on error. */
int cases_queue_load(struct http_req *req, struct case_filter *f, json_t **items, int64_t *total,
		     json_t **counts, const char *status);
/* cases_full: a case with events, mediations, referrals, photos and
 * possible duplicates, masked for the reader. */
int cases_full(struct http_req *req, int64_t id, json_t **out);
/* cases_public_view: what anyone holding the tracking code may see. */
int cases_public_view(struct http_req *req, const char *code, json_t **out);
/* cases_reporter_call: "rating", "recur", "confirm" or "reopen" by code. */
int cases_reporter_call(struct http_req *req, const char *code, const char *what, json_t *body,
			const char **err_key);
/* cases_public_area: the area the public form files into (the only one). */
int cases_public_area(struct http_req *req, int64_t *area_id);

/* cases_format_time writes epoch second t as Shanghai's "YYYY-MM-DD HH:MM". */
void cases_format_time(int64_t t, char *out, size_t n);
/* cases_category_name: the category's name in the reader's language. */
const char *cases_category_name(struct http_req *req, json_t *cat);
/* cases_options writes an <option> for each of the area's live rows of
 * the registry's entity ("teams", "units", "compounds"; units of kinds
 * only when kinds is not NULL), at most CASES_OPTIONS_MAX, current one
 * selected, leave_out (a case's subject team; 0: none) left out (view.c). */
#define CASES_OPTIONS_MAX 500
struct html;
void cases_options(struct http_req *req, struct html *h, const char *entity,
		   const char *const *kinds, int64_t current, int64_t leave_out);
/* cases_agency_kinds: the units a case may be referred to. */
extern const char *const cases_agency_kinds[];

/* Each file's routes; routes.c puts them in the table in order. */
int cases_api_routes(struct router *r);
struct cases_uploads;
int cases_report_routes(struct router *r, const struct cases_uploads *up); /* /report, /cases/new */
int cases_track_routes(struct router *r);
int cases_queue_routes(struct router *r);
int cases_case_routes(struct router *r, const char *upload_dir);
int cases_inbox_routes(struct router *r);

#endif
