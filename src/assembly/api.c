/* The owners' assemblies' JSON API under /api/v1/assemblies (docs/api.md):
 * the same store functions as the pages and the command line. Who voted
 * how only for the roles of assembly_settings.ballot_roles. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>

int64_t assembly_param_id(struct http_req *req, int i)
{
	int64_t id = 0;
	const char *s = req_param(req, i);
	return s && !parse_int64(s, 1, INT64_MAX, &id) ? id : 0;
}

/* assembly_refused: the answer to a store function's refusal, as JSON:
 * 422 for bad input, 409 for a step the assembly's state refuses, 404. */
int assembly_refused(struct http_req *req, struct http_resp *resp, int rc, const char *why)
{
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", why ? why : "err.not_found");
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", why ? why : "err.type");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict", why ? why : "err.conflict");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* when reads a time member: epoch seconds or a Shanghai time string;
 * absent is 0. LIN_EINVAL for anything else. */
static int when(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = json_integer_value(v);
		return 0;
	}
	return json_is_string(v) ? assembly_time_parse(json_string_value(v), out) : LIN_EINVAL;
}

static int api_list(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;

	if (assembly_list_json(req->db, req->sess.area_id, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	return resp_json(resp, 200, json_pack("{s:o}", "assemblies", rows));
}

static int api_create(struct http_req *req, struct http_resp *resp)
{
	const char *err, *why = NULL;
	json_t *o = req_json(req, &err), *b, *one, *out = NULL;
	int64_t ids[64], id = 0;
	size_t n = 0, i;
	int rc = 0;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	b = json_object_get(o, "buildings");
	if (b && (!json_is_array(b) || json_array_size(b) > 64))
		rc = LIN_EINVAL, why = "assembly.err.building";
	json_array_foreach (b, i, one) {
		if (!json_is_integer(one))
			rc = LIN_EINVAL, why = "assembly.err.building";
		else if (n < 64)
			ids[n++] = json_integer_value(one);
	}
	if (!rc && !json_is_integer(json_object_get(o, "compound_id")))
		rc = LIN_EINVAL, why = "assembly.err.compound";
	if (!rc)
		rc = assembly_create(req->db, req->sess.area_id, req->sess.user_id,
				     json_integer_value(json_object_get(o, "compound_id")),
				     str(o, "title"), ids, n, assembly_now(), &id, &why);
	json_decref(o);
	if (!rc)
		rc = assembly_json(req->db, req->sess.area_id, id, &out);
	if (rc) {
		json_decref(out);
		return assembly_refused(req, resp, rc, why);
	}
	return resp_json(resp, 201, out);
}

static int api_get(struct http_req *req, struct http_resp *resp)
{
	json_t *out = NULL;
	int rc = assembly_result_json(req->db, req->sess.area_id, assembly_param_id(req, 0), &out);

	if (rc) {
		json_decref(out);
		return assembly_refused(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, out);
}

static int api_parts(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *rows = NULL;
	int64_t id = assembly_param_id(req, 0);
	int rc = assembly_get(req->db, req->sess.area_id, id, &a);

	if (!rc)
		rc = assembly_parts_json(req->db, req->sess.area_id, id, &rows);
	if (rc) {
		json_decref(rows);
		return assembly_refused(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "parts", rows));
}

static int api_roll_build(struct http_req *req, struct http_resp *resp)
{
	char unit[96];
	const char *why = NULL;
	int64_t n = 0;
	int rc = assembly_roll_build(req->db, req->sess.area_id, req->sess.user_id,
				     assembly_param_id(req, 0), &n, unit, sizeof(unit), &why);

	if (rc)
		return assembly_refused(req, resp, rc, why);
	return resp_json(resp, 200, json_pack("{s:I}", "parts", (json_int_t)n));
}

static int api_matter_add(struct http_req *req, struct http_resp *resp)
{
	const char *err, *why = NULL;
	json_t *o = req_json(req, &err), *item;
	int64_t id = 0;
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	item = json_object_get(o, "item");
	rc = assembly_matter_add(req->db, req->sess.area_id, req->sess.user_id,
				 assembly_param_id(req, 0), str(o, "code"),
				 json_is_integer(item) ? (int)json_integer_value(item) : 0,
				 str(o, "title"), str(o, "body"), &id, &why);
	json_decref(o);
	if (rc)
		return assembly_refused(req, resp, rc, why);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_publish(struct http_req *req, struct http_resp *resp)
{
	const char *err, *why = NULL;
	json_t *o = req_json(req, &err);
	int64_t p = 0, op = 0, cl = 0;
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	if (when(o, "published_at", &p))
		rc = LIN_EINVAL, why = "assembly.err.published_at";
	else if (when(o, "opens_at", &op))
		rc = LIN_EINVAL, why = "assembly.err.opens_at";
	else if (when(o, "closes_at", &cl))
		rc = LIN_EINVAL, why = "assembly.err.closes_at";
	else
		rc = assembly_publish(req->db, req->sess.area_id, req->sess.user_id,
				      assembly_param_id(req, 0), p, op, cl, assembly_now(), &why);
	json_decref(o);
	if (rc)
		return assembly_refused(req, resp, rc, why);
	return api_get(req, resp);
}

static int api_open(struct http_req *req, struct http_resp *resp)
{
	const char *why = NULL;
	int rc = assembly_open(req->db, req->sess.area_id, req->sess.user_id,
			       assembly_param_id(req, 0), assembly_now(), &why);

	return rc ? assembly_refused(req, resp, rc, why) : api_get(req, resp);
}

static int api_close(struct http_req *req, struct http_resp *resp)
{
	const char *why = NULL;
	int rc = assembly_close(req->db, req->sess.area_id, req->sess.user_id,
				assembly_param_id(req, 0), assembly_now(), &why);

	return rc ? assembly_refused(req, resp, rc, why) : api_get(req, resp);
}

/* GET /api/v1/assemblies/:id/ballots: who voted how, only for the area's
 * ballot roles (the others see the totals of GET /api/v1/assemblies/:id). */
static int api_ballots(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *rows = NULL;
	int64_t id = assembly_param_id(req, 0);
	int rc;

	if (!assembly_may_see_ballots(req->db, req->sess.area_id, req->sess.role))
		return resp_error(req, resp, 403, "forbidden", "err.forbidden");
	rc = assembly_get(req->db, req->sess.area_id, id, &a);
	if (!rc)
		rc = assembly_ballots_json(req->db, req->sess.area_id, id, &rows);
	if (rc) {
		json_decref(rows);
		return assembly_refused(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "ballots", rows));
}

static int api_refusals(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *rows = NULL;
	int64_t id = assembly_param_id(req, 0);
	int rc = assembly_get(req->db, req->sess.area_id, id, &a);

	if (!rc)
		rc = assembly_refusals_json(req->db, req->sess.area_id, id, &rows);
	if (rc) {
		json_decref(rows);
		return assembly_refused(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "refusals", rows));
}

static int api_import(struct http_req *req, struct http_resp *resp)
{
	const char *err, *why = NULL, *csv;
	json_t *o = req_json(req, &err), *errors = NULL, *e;
	int64_t n = 0;
	size_t i;
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	csv = str(o, "csv");
	rc = assembly_roll_import(req->db, req->sess.area_id, req->sess.user_id,
				  assembly_param_id(req, 0), csv ? csv : "", csv ? strlen(csv) : 0,
				  &n, &errors, &why);
	json_decref(o);
	if (rc == LIN_EINVAL && json_array_size(errors)) {
		json_array_foreach (errors, i, e)
			json_object_set_new(
			    e, "message",
			    json_string(req_t(req, json_string_value(json_object_get(e, "key")))));
		return resp_json(resp, 422,
				 json_pack("{s:{s:s, s:s, s:o}}", "error", "code", "invalid",
					   "message", req_t(req, why), "rows", errors));
	}
	json_decref(errors);
	if (rc)
		return assembly_refused(req, resp, rc, why);
	return resp_json(resp, 200, json_pack("{s:I}", "parts", (json_int_t)n));
}

static int api_objections(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *rows = NULL;
	int64_t id = assembly_param_id(req, 0);
	int rc = assembly_get(req->db, req->sess.area_id, id, &a);

	if (!rc)
		rc = assembly_objections_json(req->db, req->sess.area_id, id, &rows);
	if (rc) {
		json_decref(rows);
		return assembly_refused(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "objections", rows));
}

static int api_objection_add(struct http_req *req, struct http_resp *resp)
{
	const char *err, *why = NULL;
	json_t *o = req_json(req, &err), *part;
	int64_t oid = 0;
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	part = json_object_get(o, "part_id");
	if (part && !json_is_null(part) && !json_is_integer(part))
		rc = LIN_EINVAL, why = "assembly.err.part";
	else
		rc = assembly_objection_add(
		    req->db, req->sess.area_id, req->sess.user_id, assembly_param_id(req, 0),
		    json_is_integer(part) ? json_integer_value(part) : 0, str(o, "raised_by"),
		    str(o, "body"), assembly_now(), &oid, &why);
	json_decref(o);
	if (rc)
		return assembly_refused(req, resp, rc, why);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)oid));
}

/* POST /api/v1/assemblies/:id/objections/:oid {decision: uphold|reject,
 * resolution, correction: {kind, area_m2, owner, unit}} */
static int api_objection_resolve(struct http_req *req, struct http_resp *resp)
{
	const char *err, *why = NULL, *decision, *area;
	json_t *o = req_json(req, &err), *c;
	struct assembly_correction corr = {.kind = "none"};
	struct assembly a;
	int rc = 0;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	if (assembly_get(req->db, req->sess.area_id, assembly_param_id(req, 0), &a)) {
		json_decref(o);
		return assembly_refused(req, resp, LIN_ENOTFOUND, "assembly.err.not_found");
	}
	decision = str(o, "decision");
	c = json_object_get(o, "correction");
	if (c) {
		corr.kind = str(c, "kind") ? str(c, "kind") : "";
		corr.owner_name = str(c, "owner") ? str(c, "owner") : "";
		corr.unit = str(c, "unit") ? str(c, "unit") : "";
		area = str(c, "area_m2");
		if (area && tally_area_parse(area, &corr.area_centi))
			rc = LIN_EINVAL, why = "assembly.err.area";
	}
	if (!rc && (!decision || (strcmp(decision, "uphold") && strcmp(decision, "reject"))))
		rc = LIN_EINVAL, why = "assembly.err.decision";
	if (!rc)
		rc = assembly_objection_resolve(
		    req->db, req->sess.area_id, req->sess.user_id, assembly_param_id(req, 1),
		    !strcmp(decision, "uphold"), str(o, "resolution"), &corr, assembly_now(), &why);
	json_decref(o);
	if (rc)
		return assembly_refused(req, resp, rc, why);
	return api_objections(req, resp);
}

const struct route assembly_api_routes[] = {
    {"GET", "/api/v1/assemblies", api_list, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"POST", "/api/v1/assemblies", api_create, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/assemblies/:id", api_get, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/api/v1/assemblies/:id/parts", api_parts, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/roll", api_roll_build, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/roll/import", api_import, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/assemblies/:id/objections", api_objections, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/objections", api_objection_add, PERM_ASSEMBLY_WRITE, 0, NULL,
     0},
    {"POST", "/api/v1/assemblies/:id/objections/:oid", api_objection_resolve, PERM_ASSEMBLY_WRITE,
     0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/matters", api_matter_add, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/publish", api_publish, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/open", api_open, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/assemblies/:id/close", api_close, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/assemblies/:id/ballots", api_ballots, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {"GET", "/api/v1/assemblies/:id/refusals", api_refusals, PERM_ASSEMBLY_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
