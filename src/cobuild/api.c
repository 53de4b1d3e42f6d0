/* The co-building JSON API under /api/v1 (docs/api.md): the three stable
 * lists (needs, resources, projects), visits, claims and their
 * confirmation, the matching and the liaisons' links. A liaison reads and
 * writes only their own unit's entries. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../db/db.h"
#include "../web/router.h"

#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ shared */

int cobuild_is_committee(struct http_req *req)
{
	return req_can(req, PERM_COBUILD_WRITE);
}

int64_t cobuild_reader_unit(struct http_req *req)
{
	int64_t unit = 0;

	if (req->sess.role != ROLE_UNIT_LIAISON)
		return 0;
	if (!req->sess.user_id ||
	    cobuild_liaison_unit(req->db, req->sess.area_id, req->sess.user_id, &unit) || !unit)
		return -1;
	return unit;
}

int64_t cobuild_today(void)
{
	return lin_local_day((int64_t)time(NULL), 8 * 3600);
}

int cobuild_this_year(void)
{
	int y, m, d;
	lin_civil_from_days(cobuild_today(), &y, &m, &d);
	return y;
}

/* ------------------------------------------------------------ helpers */

static int failed(struct http_req *req, struct http_resp *resp, int rc, const char *key)
{
	const char *msg;

	if (!key)
		return resp_error(req, resp, rc == LIN_ENOTFOUND ? 404 : 500,
				  rc == LIN_ENOTFOUND ? "not_found" : "internal",
				  rc == LIN_ENOTFOUND ? "err.not_found" : "err.internal");
	msg = req_t(req, key);
	return resp_json(resp,
			 rc == LIN_ECONFLICT   ? 409
			 : rc == LIN_EPERM     ? 403
			 : rc == LIN_ENOTFOUND ? 404
					       : 422,
			 json_pack("{s:{s:s, s:s, s:s}}", "error", "code",
				   rc == LIN_ECONFLICT	 ? "conflict"
				   : rc == LIN_EPERM	 ? "forbidden"
				   : rc == LIN_ENOTFOUND ? "not_found"
							 : "invalid",
				   "message", msg, "key", key));
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static int64_t param_id(struct http_req *req)
{
	int64_t id = 0;
	const char *s = req_param(req, 0);
	return s && !parse_int64(s, 1, INT64_MAX, &id) ? id : 0;
}

/* body: the request's JSON object, or NULL after answering 400. */
static json_t *body(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL;
	json_t *o = req_json(req, &err);

	if (!o)
		resp_error(req, resp, 400, "bad_request", err);

	return o;
}

typedef int (*list_fn)(struct db *, int64_t, int64_t, json_t **);

static int list(struct http_req *req, struct http_resp *resp, const char *name, list_fn fn)
{
	json_t *rows = NULL;
	int64_t unit = cobuild_reader_unit(req);
	int rc = fn(req->db, req->sess.area_id, unit, &rows);

	if (rc) {
		json_decref(rows);
		return failed(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", name, rows));
}

/* ------------------------------------------------------------ lists */

static int api_needs(struct http_req *req, struct http_resp *resp)
{
	return list(req, resp, "needs", cobuild_needs_json);
}

static int api_resources(struct http_req *req, struct http_resp *resp)
{
	return list(req, resp, "resources", cobuild_resources_json);
}

static int api_projects(struct http_req *req, struct http_resp *resp)
{
	return list(req, resp, "projects", cobuild_projects_json);
}

static int api_visits(struct http_req *req, struct http_resp *resp)
{
	return list(req, resp, "visits", cobuild_visits_json);
}

static int api_claims(struct http_req *req, struct http_resp *resp)
{
	return list(req, resp, "claims", cobuild_claims_json);
}

/* ------------------------------------------------------------ writes */

static int api_need_add(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	struct need_in in = {0};
	const char *key = NULL;
	int64_t id = 0;
	int rc;

	if (!o)
		return 0;
	in.title = str(o, "title");
	in.kind = str(o, "kind");
	/* Anyone signed in may ask; only the committee says it asks for a
	 * team or for itself. */
	in.source = cobuild_is_committee(req) ? str(o, "source") : "resident";
	in.for_whom = str(o, "for_whom");
	in.starts_on = str(o, "starts_on");
	in.ends_on = str(o, "ends_on");
	in.amount = num(o, "amount");
	in.compound_id = num(o, "compound_id");
	in.visit_id = cobuild_is_committee(req) ? num(o, "visit_id") : 0;
	rc = cobuild_need_add(req->db, &req->sess, req->sess.area_id, &in, &id, &key);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 201, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "open"));
}

static int api_resource_add(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	struct resource_in in = {0};
	int64_t unit = cobuild_reader_unit(req), id = 0;
	const char *key = NULL;
	int rc;

	if (!o)
		return 0;
	in.unit_id = unit ? unit : num(o, "unit_id"); /* a liaison gives their own */
	in.title = str(o, "title");
	in.kind = str(o, "kind");
	in.available_from = str(o, "available_from");
	in.available_to = str(o, "available_to");
	in.amount = num(o, "amount");
	in.compound_id = num(o, "compound_id");
	in.visit_id = num(o, "visit_id");
	rc = cobuild_resource_add(req->db, &req->sess, req->sess.area_id, &in, &id, &key);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_visit_add(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	struct visit_in in = {0};
	const char *key = NULL;
	int64_t id = 0;
	int rc;

	if (!o)
		return 0;
	in.unit_id = num(o, "unit_id");
	in.visited_on = str(o, "visited_on");
	in.visitor = str(o, "visitor");
	in.learned = str(o, "learned");
	rc = cobuild_visit_add(req->db, &req->sess, req->sess.area_id, &in, cobuild_today(), &id,
			       &key);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* POST /api/v1/needs/:id/claims: a liaison claims for their unit
 * {resource_id}; the committee offers {unit_id, resource_id}. */
static int api_claim(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	int64_t unit = cobuild_reader_unit(req), id = 0;
	const char *key = NULL;
	int committee = cobuild_is_committee(req), rc;

	if (!o)
		return 0;
	if (unit < 0) {
		json_decref(o);
		return failed(req, resp, LIN_EPERM, "cobuild.err.no_unit");
	}
	rc = cobuild_claim(req->db, &req->sess, req->sess.area_id, param_id(req),
			   committee ? num(o, "unit_id") : unit, num(o, "resource_id"),
			   committee ? "offer" : "claim", (int64_t)time(NULL), &id, &key);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 201,
			 json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "pending"));
}

static int api_confirm(struct http_req *req, struct http_resp *resp)
{
	int64_t unit = cobuild_reader_unit(req), project = 0;
	const char *key = NULL;
	int committee = cobuild_is_committee(req);
	int rc = cobuild_confirm(req->db, &req->sess, req->sess.area_id, param_id(req),
				 committee ? "committee" : "unit", unit, (int64_t)time(NULL),
				 &project, &key);

	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 200,
			 json_pack("{s:s, s:I}", "state", project ? "matched" : "pending",
				   "project_id", (json_int_t)project));
}

static int api_minutes(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int rc;

	if (!o)
		return 0;
	rc = cobuild_project_minutes(req->db, &req->sess, req->sess.area_id, param_id(req),
				     num(o, "unit_id"), num(o, "minutes"),
				     json_is_true(json_object_get(o, "done")), &key);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

/* ------------------------------------------------------------ matching, units */

static int api_match(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	int rc = cobuild_proposals(req->db, req->sess.area_id, (int64_t)time(NULL), &rows);

	if (rc) {
		json_decref(rows);
		return failed(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "proposals", rows));
}

static int api_unit_year(struct http_req *req, struct http_resp *resp)
{
	int64_t unit = cobuild_reader_unit(req), id = param_id(req), year = cobuild_this_year();
	const char *y = req_query(req, "year");
	json_t *out = NULL;
	int rc;

	if (y && parse_int64(y, 2000, 2100, &year))
		return failed(req, resp, LIN_EINVAL, "cobuild.err.year");
	/* Another unit's year does not exist for a liaison. */
	if (unit && unit != id)
		return failed(req, resp, LIN_ENOTFOUND, NULL);
	rc = cobuild_unit_year(req->db, req->sess.area_id, id, (int)year, &out);
	if (rc)
		return failed(req, resp, rc, NULL);
	return resp_json(resp, 200, out);
}

static int api_liaisons(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	int rc = cobuild_liaisons_json(req->db, req->sess.area_id, &rows);

	if (rc) {
		json_decref(rows);
		return failed(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "liaisons", rows));
}

static int api_link(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int rc;

	if (!o)
		return 0;
	rc = cobuild_liaison_link(req->db, &req->sess, req->sess.area_id, str(o, "username"),
				  num(o, "unit_id"), &key);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc, key);
	return resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static int api_mine(struct http_req *req, struct http_resp *resp)
{
	json_t *out = NULL;
	int rc = cobuild_resident_json(req->db, req->sess.area_id, req->sess.user_id, &out);

	if (rc)
		return failed(req, resp, rc, NULL);
	return resp_json(resp, 200, out);
}

const struct route cobuild_api_routes[] = {
    {"GET", "/api/v1/needs", api_needs, PERM_COBUILD_READ, 0, NULL, 0},
    {"POST", "/api/v1/needs", api_need_add, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/api/v1/needs/:id/claims", api_claim, PERM_COBUILD_CLAIM, 0, NULL, 0},
    {"GET", "/api/v1/resources", api_resources, PERM_COBUILD_READ, 0, NULL, 0},
    {"POST", "/api/v1/resources", api_resource_add, PERM_COBUILD_CLAIM, 0, NULL, 0},
    {"GET", "/api/v1/projects", api_projects, PERM_COBUILD_READ, 0, NULL, 0},
    {"PUT", "/api/v1/projects/:id/minutes", api_minutes, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/visits", api_visits, PERM_COBUILD_READ, 0, NULL, 0},
    {"POST", "/api/v1/visits", api_visit_add, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/claims", api_claims, PERM_COBUILD_READ, 0, NULL, 0},
    {"POST", "/api/v1/claims/:id/confirm", api_confirm, PERM_COBUILD_CLAIM, 0, NULL, 0},
    {"GET", "/api/v1/cobuild/match", api_match, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/cobuild/units/:id/year", api_unit_year, PERM_COBUILD_READ, 0, NULL, 0},
    {"GET", "/api/v1/cobuild/liaisons", api_liaisons, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/cobuild/liaisons", api_link, PERM_COBUILD_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/cobuild/mine", api_mine, PERM_SIGNED_IN, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
