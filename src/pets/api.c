/* The pets' JSON API under /api/v1/pets: a resident reads and registers
 * their own household's pets and signs the pledge; the committee reads
 * every pet (with the owners' phones) and registers for any household.
 * The fields are docs/api.md's; every write goes through store.c. */
#include "internal.h"
#include "web.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <string.h>
#include <time.h>

/* str: a string member of o, NULL when absent; *bad set when present but
 * not a string. */
static const char *str(json_t *o, const char *name, int *bad)
{
	json_t *v = json_object_get(o, name);

	if (v && !json_is_string(v) && !json_is_null(v))
		*bad = 1;
	return json_string_value(v);
}

int pets_scope(struct http_req *req, int64_t *household)
{
	int rc = 0;

	*household = 0;
	if (!req_can(req, PERM_PETS_WRITE)) {
		rc = pets_household_of(req->db, req->sess.area_id, req->sess.user_id, household);
		if (!rc && !*household)
			rc = LIN_EINVAL;
	}
	return rc;
}

int64_t pets_id(struct http_req *req, int i)
{
	int64_t id = 0;

	if (parse_int64(req_param(req, i), 1, INT64_MAX, &id))
		return 0;
	return id;
}

/* pet_from_json reads the fields of a pet; OUT: *bad when one is not a
 * string. */
static void pet_from_json(json_t *in, struct pet_in *p, int *bad)
{
	p->kind = str(in, "kind", bad);
	p->name = str(in, "name", bad);
	p->licence_no = str(in, "licence_no", bad);
	p->licence_issued_on = str(in, "licence_issued_on", bad);
	p->licence_expires_on = str(in, "licence_expires_on", bad);
	p->rabies_on = str(in, "rabies_on", bad);
}

static int list(struct http_req *req, struct http_resp *resp)
{
	json_t *out = NULL, *pets = NULL;
	int rc;

	if (req_can(req, PERM_PETS_READ)) {
		rc = pets_list(req->db, req->sess.area_id, 0, &pets);
		if (!rc)
			pets_mask(req, pets);
		if (!rc)
			out = json_pack("{s:o}", "pets", pets);
		else
			json_decref(pets);
	} else {
		rc = pets_resident_json(req->db, req->sess.area_id, req->sess.user_id, &out);
	}
	if (rc)
		return rc;
	return resp_json(resp, 200, out);
}

static int add(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL, *field = NULL, *key = NULL;
	json_t *in = req_json(req, &err), *hh;
	struct pet_in p;
	int64_t household = 0, id = 0;
	int bad = 0, rc;

	if (!in)
		return resp_error(req, resp, 400, "bad_request", err);
	pet_from_json(in, &p, &bad);
	hh = json_object_get(in, "household_id");
	rc = pets_household_of(req->db, req->sess.area_id, req->sess.user_id, &household);
	if (!rc && hh && !json_is_null(hh)) {
		if (!json_is_integer(hh))
			bad = 1;
		else if (json_integer_value(hh) != household && !req_can(req, PERM_PETS_WRITE))
			rc = LIN_EPERM;
		else
			household = json_integer_value(hh);
	}
	if (!rc && bad)
		rc = LIN_EINVAL, key = "pets.err.types";
	else if (!rc && !household)
		rc = LIN_EINVAL, key = "pets.err.no_household";
	if (!rc)
		rc = pets_add(req->db, req->sess.area_id, req->sess.user_id, household, &p,
			      (int64_t)time(NULL), &id, &field, &key);
	json_decref(in);
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "err.forbidden");
	if (rc)
		return pets_refuse(req, resp, rc, key);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int update(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL, *field = NULL, *key = NULL;
	json_t *in = req_json(req, &err);
	struct pet_in p;
	int64_t household = 0, id = pets_id(req, 0);
	int bad = 0, rc;

	if (!in)
		return resp_error(req, resp, 400, "bad_request", err);
	pet_from_json(in, &p, &bad);
	rc = pets_scope(req, &household);
	if (rc == LIN_EINVAL)
		key = "pets.err.no_household";
	if (!rc && bad)
		rc = LIN_EINVAL, key = "pets.err.types";
	if (!rc)
		rc = pets_update(req->db, req->sess.area_id, req->sess.user_id, household, id, &p,
				 (int64_t)time(NULL), &field, &key);
	json_decref(in);
	if (rc)
		return pets_refuse(req, resp, rc, key);
	return resp_json(resp, 200, json_pack("{s:I}", "id", (json_int_t)id));
}

static int archive(struct http_req *req, struct http_resp *resp)
{
	const char *key = NULL;
	int64_t household = 0;
	int rc = pets_scope(req, &household);

	if (rc == LIN_EINVAL)
		key = "pets.err.no_household";
	if (!rc)
		rc = pets_archive(req->db, req->sess.area_id, req->sess.user_id, household,
				  pets_id(req, 0), &key);
	if (rc)
		return pets_refuse(req, resp, rc, key);
	return resp_json(resp, 200, json_pack("{s:b}", "archived", 1));
}

static int pledge(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL, *key = NULL;
	json_t *in = req_json(req, &err);
	int64_t household = 0;
	int bad = 0, rc;

	if (!in)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = pets_household_of(req->db, req->sess.area_id, req->sess.user_id, &household);
	if (!rc && !household)
		rc = LIN_EINVAL, key = "pets.err.no_household";
	if (!rc)
		rc = pets_pledge_sign(req->db, req->sess.area_id, req->sess.user_id, household,
				      str(in, "signer", &bad), (int64_t)time(NULL), &key);
	json_decref(in);
	if (rc)
		return pets_refuse(req, resp, rc, key);
	return resp_json(resp, 201, json_pack("{s:b}", "signed", 1));
}

const struct route pets_api_routes[] = {
    {"GET", "/api/v1/pets", list, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/api/v1/pets", add, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/api/v1/pets/pledge", pledge, PERM_SIGNED_IN, 0, NULL, 0},
    {"PATCH", "/api/v1/pets/:id", update, PERM_SIGNED_IN, 0, NULL, 0},
    {"DELETE", "/api/v1/pets/:id", archive, PERM_SIGNED_IN, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

int pets_add_routes(struct router *r)
{
	int rc = router_add(r, pets_page_routes);

	if (!rc)
		rc = router_add(r, pets_heat_routes);
	if (!rc)
		rc = router_add(r, pets_api_routes);
	return rc;
}
