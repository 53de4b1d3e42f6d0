/* Shared between the registry's API, pages and dashboard. */
#ifndef LINLI_REGISTRY_API_H
#define LINLI_REGISTRY_API_H

#include "store.h"
#include "../web/http.h"

/* registry_mask_row masks phone numbers for roles that may not see them. */
void registry_mask_row(struct http_req *req, const struct entity *e, json_t *row);
/* registry_get_for: row id of e as the reader may see it: LIN_ENOTFOUND
 * also for a resident of a vulnerable group when the reader lacks
 * PERM_SEE_VULNERABLE (the one door the pages and the API read rows by). */
int registry_get_for(struct http_req *req, const struct entity *e, int64_t id, json_t **row);
/* registry_list_query reads q, page, per_page, archived and filters. */
int registry_list_query(struct http_req *req, const struct entity *e, struct list_query *lq,
			struct validation *v);
int registry_send_invalid(struct http_req *req, struct http_resp *resp, const struct entity *e,
			  const struct validation *v);
int registry_send_error(struct http_req *req, struct http_resp *resp, const struct entity *e,
			const struct validation *v, int rc);
/* Route builders; intern returns a copy of a string that lives as long as
 * the process. */
int registry_api_routes(struct router *r, const struct entity *e, char *(*intern)(const char *));
int registry_page_routes(struct router *r, const struct entity *e, char *(*intern)(const char *));

#endif
