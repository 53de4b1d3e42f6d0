/* The registry's JSON API under /api/v1/<entity>: list (with search,
 * filters and paging), create, read, update (PUT and PATCH both change only
 * the fields sent) and delete (archive where history matters). */
#include "api.h"
#include "store.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>

void registry_mask_row(struct http_req *req, const struct entity *e, json_t *row)
{
	char masked[32];

	if (req_can(req, PERM_SEE_PHONE))
		return;
	for (const struct field *f = e->fields; f->name; f++) {
		const char *phone;
		if (f->type != FT_PHONE)
			continue;
		phone = json_string_value(json_object_get(row, f->name));
		if (!phone)
			continue;
		registry_phone_mask(phone, masked, sizeof(masked));
		json_object_set_new(row, f->name, json_string(masked));
	}
}

int registry_get_for(struct http_req *req, const struct entity *e, int64_t id, json_t **row)
{
	int hidden = 0;
	int rc = registry_get(req->db, e, req->sess.area_id, id, row);

	if (!rc && !req_can(req, PERM_SEE_VULNERABLE) &&
	    (registry_vulnerable(req->db, e, id, &hidden) || hidden)) {
		json_decref(*row);
		*row = NULL;
		rc = LIN_ENOTFOUND;
	}
	return rc;
}

int registry_list_query(struct http_req *req, const struct entity *e, struct list_query *lq,
			struct validation *v)
{
	const char *page = req_query(req, "page"), *per = req_query(req, "per_page");
	const char *archived = req_query(req, "archived");

	memset(lq, 0, sizeof(*lq));
	lq->q = req_query(req, "q");
	lq->no_phone_search = !req_can(req, PERM_SEE_PHONE);
	lq->no_vulnerable = !req_can(req, PERM_SEE_VULNERABLE);
	lq->page = 1;
	lq->per_page = 50;
	if (page && parse_int64(page, 1, 1000000, &lq->page))
		validation_add_error(v, "page", "err.page");
	if (per && parse_int64(per, 1, LIST_MAX_PER_PAGE, &lq->per_page))
		validation_add_error(v, "per_page", "err.per_page");
	if (archived && parse_bool(archived, &lq->archived))
		validation_add_error(v, "archived", "err.bool");
	for (const struct field *f = e->fields; f->name; f++) {
		const char *val;
		if (!(f->flags & FF_FILTER) || !(val = req_query(req, f->name)) || !*val)
			continue;
		if (lq->nfilters < LIST_MAX_FILTERS) {
			lq->filters[lq->nfilters].field = f->name;
			lq->filters[lq->nfilters].value = val;
			lq->nfilters++;
		}
	}
	return v->nerr ? LIN_EINVAL : 0;
}

int registry_send_invalid(struct http_req *req, struct http_resp *resp, const struct entity *e,
			  const struct validation *v)
{
	json_t *fields = json_object();
	char msg[256], first[256] = "";

	for (int i = 0; i < v->nerr; i++) {
		registry_error_text(req->lang, e, &v->errs[i], msg, sizeof(msg));
		if (!i)
			snprintf(first, sizeof(first), "%s", msg);
		json_object_set_new(fields, v->errs[i].field ? v->errs[i].field : "_",
				    json_string(msg));
	}
	return resp_json(resp, 422,
			 json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "invalid", "message",
				   first, "fields", fields));
}

/* registry_send_error maps a store error to a response. */
int registry_send_error(struct http_req *req, struct http_resp *resp, const struct entity *e,
			const struct validation *v, int rc)
{
	switch (rc) {
	case LIN_EINVAL:
		return registry_send_invalid(req, resp, e, v);
	case LIN_ENOTFOUND:
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	case LIN_ECONFLICT:
		return resp_error(req, resp, 409, "conflict", "err.conflict");
	case LIN_EPERM:
		return resp_error(req, resp, 409, "archived", "err.archived");
	default:
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
}

static int api_list(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	struct list_query lq;
	struct validation v;
	json_t *items = NULL;
	int64_t total = 0;
	size_t i;
	json_t *row;
	int rc;

	memset(&v, 0, sizeof(v));
	rc = registry_list_query(req, e, &lq, &v);
	if (!rc)
		rc = registry_list(req->db, e, req->sess.area_id, &lq, &items, &total, &v);
	if (rc)
		return registry_send_error(req, resp, e, &v, rc);
	json_array_foreach (items, i, row)
		registry_mask_row(req, e, row);
	return resp_json(resp, 200,
			 json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total,
				   "page", (json_int_t)lq.page, "per_page",
				   (json_int_t)lq.per_page));
}

static int parse_id(struct http_req *req, int64_t *id)
{
	return parse_int64(req_param(req, 0), 1, INT64_MAX, id);
}

static int api_get(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	json_t *row = NULL;
	int64_t id;

	if (parse_id(req, &id) || registry_get_for(req, e, id, &row))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	registry_mask_row(req, e, row);
	return resp_json(resp, 200, row);
}

static int api_write(struct http_req *req, struct http_resp *resp, int64_t id)
{
	const struct entity *e = req->route->data;
	struct validation v;
	const char *err;
	json_t *in = req_json(req, &err), *row = NULL;
	int rc;

	if (!in)
		return resp_error(req, resp, 400, "bad_json", err);
	rc = entity_validate(e, in, id != 0, &v);
	if (!rc)
		rc = id ? registry_update(req->db, &req->sess, e, id, &v)
			: registry_create(req->db, &req->sess, e, &v, &id);
	if (rc) {
		/* Error texts may name keys that live in in: answer first. */
		rc = registry_send_error(req, resp, e, &v, rc);
		json_decref(in);
		return rc;
	}
	json_decref(in);
	if (registry_get(req->db, e, req->sess.area_id, id, &row))
		return resp_error(req, resp, 500, "internal", "err.internal");
	registry_mask_row(req, e, row);
	return resp_json(resp, req->method[0] == 'P' && req->method[1] == 'O' ? 201 : 200, row);
}

static int api_create(struct http_req *req, struct http_resp *resp)
{
	return api_write(req, resp, 0);
}

static int api_update(struct http_req *req, struct http_resp *resp)
{
	int64_t id;

	if (parse_id(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	return api_write(req, resp, id);
}

static int api_delete(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	struct validation v;
	int64_t id;
	int rc;

	memset(&v, 0, sizeof(v));
	if (parse_id(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = registry_remove(req->db, &req->sess, e, id);
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "in_use", "err.in_use");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 409, "archived", "err.archived");
	if (rc)
		return registry_send_error(req, resp, e, &v, rc);
	return resp_json(resp, 200,
			 json_pack("{s:I,s:s}", "id", (json_int_t)id, "result",
				   e->archive ? "archived" : "deleted"));
}

int registry_api_routes(struct router *r, const struct entity *e, char *(*intern)(const char *))
{
	char path[128], item[128];
	struct route routes[7];

	snprintf(path, sizeof(path), "/api/v1/%s", e->name);
	snprintf(item, sizeof(item), "/api/v1/%s/:id", e->name);
	const char *p = intern(path), *ip = intern(item);
	if (!p || !ip)
		return LIN_ENOMEM;
	struct route tmpl[7] = {
	    {"GET", p, api_list, e->read, ROUTE_CACHEABLE, e, 0},
	    {"POST", p, api_create, e->write, 0, e, 0},
	    {"GET", ip, api_get, e->read, ROUTE_CACHEABLE, e, 0},
	    {"PUT", ip, api_update, e->write, 0, e, 0},
	    {"PATCH", ip, api_update, e->write, 0, e, 0},
	    {"DELETE", ip, api_delete, e->write, 0, e, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	memcpy(routes, tmpl, sizeof(routes));
	return router_add(r, routes);
}
