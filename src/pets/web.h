/* What the pets' pages (pages.c), heat map (heat.c) and API (api.c)
 * share; internal to src/pets. */
#ifndef LINLI_PETS_WEB_H
#define LINLI_PETS_WEB_H

#include "../web/http.h"
#include "../web/router.h"

#include <jansson.h>
#include <stdint.h>

/* pets_kind_key: the i18n key naming kind ("pets.kind.dog", ...). */
const char *pets_kind_key(const char *kind);
/* pets_refuse answers a store error with its message key: 409, 404 or
 * 422; rc itself when key is NULL. */
int pets_refuse(struct http_req *req, struct http_resp *resp, int rc, const char *key);
/* pets_mask drops owner_phone from each pet for readers who may not see
 * phone numbers. */
void pets_mask(struct http_req *req, json_t *pets);
/* pets_area: the reader's area, or for someone not signed in the only
 * area there is (?area=CODE picks one). */
int pets_area(struct http_req *req, int64_t *area_id);
/* pets_scope: whose pets the reader may change: *household 0 for the
 * committee (pets.write: any of the area), else the reader's own; 0, or
 * LIN_EINVAL when the reader has no household (a db error otherwise). */
int pets_scope(struct http_req *req, int64_t *household);
/* pets_id: path capture i as a pet id; 0 when it is not one. */
int64_t pets_id(struct http_req *req, int i);
/* Month numbers (year * 12 + month - 1) in Shanghai time. */
int64_t pets_month_start(int64_t month);
int64_t pets_month_of(int64_t t);
/* pets_month_parse reads "YYYY-MM" as a month number. */
int pets_month_parse(const char *s, int64_t *month);
/* pets_month_text writes month as "YYYY-MM". */
void pets_month_text(int64_t month, char out[16]);

extern const struct route pets_page_routes[];
extern const struct route pets_heat_routes[];
extern const struct route pets_api_routes[];

#endif
