/* Shared by the duty feature's HTTP files (http.c writes, pages.c reads
 * and the route table, pages_week.c the week, pages_my.c a volunteer's own): input from a JSON
 * body or a form, refusals, the write handlers, and what the pages share. */
#ifndef LINLI_DUTY_WEB_H
#define LINLI_DUTY_WEB_H

#include "internal.h"
#include "../web/http.h"

struct duty_input {
	struct http_req *req; /* the request */
	json_t *json;	      /* the API's body, NULL for a form */
	const char *err;      /* why the body was refused (an i18n key) */
};

/* duty_input_open parses the API's JSON body (LIN_EINVAL if malformed). */
int duty_input_open(struct http_req *req, struct duty_input *in);
void duty_input_close(struct duty_input *in);
/* duty_in_str: a field as text (numbers too), NULL when absent. */
const char *duty_in_str(struct duty_input *in, const char *name);
/* duty_in_int: a field in [min, max], dflt when absent or empty. */
int duty_in_int(struct duty_input *in, const char *name, int64_t min, int64_t max, int64_t dflt,
		int64_t *out);
int duty_in_bool(struct duty_input *in, const char *name);
/* duty_fail answers a refused or failed request: 422 invalid (with the
 * field), 403, 404, 409 or 500, as JSON or as a page. */
int duty_fail(struct http_req *req, struct http_resp *resp, int rc, const struct duty_err *e);
int duty_bad_input(struct http_req *req, struct http_resp *resp, const char *key,
		   const char *field);
int64_t duty_path_id(struct http_req *req, int i);

/* What the pages share (pages.c, pages_my.c): a row's field as text ("" when
 * absent, an integer as its digits) and as a number (0), the 500 answer,
 * and the end of a page answered 200. */
struct html;
const char *duty_text(struct http_req *req, json_t *o, const char *k);
int64_t duty_num(json_t *o, const char *k);
int duty_internal(struct http_req *req, struct http_resp *resp);
int duty_page_done(struct http_req *req, struct http_resp *resp, struct html *h);
/* duty_is_staff: the reader keeps the rosters (teams.write). */
int duty_is_staff(struct http_req *req);
/* duty_week_scope reads ?week= and ?station= / ?route=; a volunteer must
 * name a station or route they hold a shift at that week. 0, or an error
 * already answered (*answered set). */
int duty_week_scope(struct http_req *req, struct http_resp *resp, char monday[11], char *kind,
		    int64_t *place, int *answered);
/* duty_categories_text writes a station's categories in the reader's words. */
void duty_categories_text(struct http_req *req, struct html *h, const char *cats);
/* duty_in_lang: of a planner's message "中文 English", the reader's half. */
const char *duty_in_lang(struct http_req *req, const char *text);
/* pages_week.c: the week, its print and its CSV. */
int duty_week_page(struct http_req *req, struct http_resp *resp);
int duty_print_page(struct http_req *req, struct http_resp *resp);
int duty_csv_export(struct http_req *req, struct http_resp *resp);
/* pages_my.c: /duty/my and the QR's /duty/checkin. */
int duty_my_page(struct http_req *req, struct http_resp *resp);
int duty_checkin_page(struct http_req *req, struct http_resp *resp);

int duty_h_station_save(struct http_req *req, struct http_resp *resp);
int duty_h_route_save(struct http_req *req, struct http_resp *resp);
int duty_h_window_save(struct http_req *req, struct http_resp *resp);
int duty_h_volunteer_save(struct http_req *req, struct http_resp *resp);
int duty_h_week_generate(struct http_req *req, struct http_resp *resp);
int duty_h_week_plan(struct http_req *req, struct http_resp *resp);
int duty_h_week_publish(struct http_req *req, struct http_resp *resp);
int duty_h_assign_add(struct http_req *req, struct http_resp *resp);
int duty_h_assign_remove(struct http_req *req, struct http_resp *resp);
int duty_h_shift_note(struct http_req *req, struct http_resp *resp);
int duty_h_checkin(struct http_req *req, struct http_resp *resp);
int duty_h_checkout(struct http_req *req, struct http_resp *resp);
int duty_h_swap_request(struct http_req *req, struct http_resp *resp);
int duty_h_swap_approve(struct http_req *req, struct http_resp *resp);
int duty_h_swap_refuse(struct http_req *req, struct http_resp *resp);

#endif
