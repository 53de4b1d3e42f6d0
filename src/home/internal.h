/* Internal to src/home: what its pages share. */
#ifndef LINLI_HOME_INTERNAL_H
#define LINLI_HOME_INTERNAL_H

#include "../web/http.h"

#include <jansson.h>

#include <stddef.h>
#include <stdint.h>

/* home_area: the area the page is about: the session's, else the one
 * ?area= names, else the only one (LIN_ENOTFOUND when that is unclear);
 * its title into name. */
int home_area(struct http_req *req, int64_t *area_id, char *name, size_t n);
/* home_time writes UTC second t as its Shanghai date YYYY-MM-DD, with
 * " HH:MM" when clock is set. */
void home_time(int64_t t, int clock, char *out, size_t n);

struct html;
/* home_sessions writes the published week's sessions of day (1..7) as
 * list items; returns how many. */
int home_sessions(struct html *h, json_t *week, int day);

int home_residents_page(struct http_req *req, struct http_resp *resp);
int home_work_page(struct http_req *req, struct http_resp *resp);
int home_poster(struct http_req *req, struct http_resp *resp);
int home_profile_page(struct http_req *req, struct http_resp *resp);
int home_profile_submit(struct http_req *req, struct http_resp *resp);

#endif
