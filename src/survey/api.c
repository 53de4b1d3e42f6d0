/* The survey's JSON API (/api/v1/surveys...): campaigns, questions,
 * buildings and volunteers, the reader's doors, visits, findings filed as
 * cases, coverage and answer counts. Same rules and store as the pages. */
#include "internal.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* body: the request's JSON object, or an answer given (NULL). */
static json_t *body(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL;
	json_t *o = req_json(req, &err);
	if (!o)
		resp_error(req, resp, 400, "bad_request", err);
	return o;
}

static int api_list(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	int rc = survey_list(req->db, req->sess.area_id, 0, &rows);
	if (rc) {
		json_decref(rows);
		return survey_error(req, resp, rc, NULL, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "surveys", rows));
}

/* campaign_answer: after a change of campaign id (rc its result), the
 * campaign as it is now with status, or the refusal. */
static int campaign_answer(struct http_req *req, struct http_resp *resp, int rc, int64_t id,
			   const char *field, const char *key, int status)
{
	json_t *c = NULL;

	if (!rc)
		rc = survey_get(req->db, req->sess.area_id, id, &c);
	if (rc)
		return survey_error(req, resp, rc, field, key);
	return resp_json(resp, status, c);
}

static int api_create(struct http_req *req, struct http_resp *resp)
{
	const char *field = NULL, *key = NULL;
	json_t *o = body(req, resp);
	int64_t id = 0;
	int rc;

	if (!o)
		return 0;
	rc = survey_create(req->db, &req->sess, req->sess.area_id, o, &id, &field, &key);
	json_decref(o);
	return campaign_answer(req, resp, rc, id, field, key, 201);
}

static int api_get(struct http_req *req, struct http_resp *resp)
{
	return campaign_answer(req, resp, 0, req_param_id(req, 0), NULL, NULL, 200);
}

static int api_question(struct http_req *req, struct http_resp *resp)
{
	const char *field = NULL, *key = NULL;
	int64_t id = req_param_id(req, 0);
	json_t *o = body(req, resp);
	int rc;

	if (!o)
		return 0;
	rc = survey_question_add(req->db, &req->sess, req->sess.area_id, id, o, &field, &key);
	json_decref(o);
	return campaign_answer(req, resp, rc, id, field, key, 201);
}

static int api_assign(struct http_req *req, struct http_resp *resp)
{
	const char *key = NULL;
	int64_t id = req_param_id(req, 0);
	json_t *o = body(req, resp);
	int rc;

	if (!o)
		return 0;
	rc = survey_assign(req->db, &req->sess, req->sess.area_id, id,
			   json_integer_value(json_object_get(o, "building_id")),
			   json_integer_value(json_object_get(o, "volunteer_id")), &key);
	json_decref(o);
	return campaign_answer(req, resp, rc, id,
			       rc != LIN_EINVAL				     ? NULL
			       : key && !strcmp(key, "survey.err.volunteer") ? "volunteer_id"
									     : "building_id",
			       key, 200);
}

static int api_state(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *o = body(req, resp);
	const char *state;
	int rc;

	if (!o)
		return 0;
	state = json_string_value(json_object_get(o, "state"));
	rc = survey_set_state(req->db, &req->sess, req->sess.area_id, id, state ? state : "",
			      (int64_t)time(NULL));
	json_decref(o);
	return campaign_answer(req, resp, rc, id, rc == LIN_ECONFLICT ? "state" : NULL, NULL, 200);
}

static int api_doors(struct http_req *req, struct http_resp *resp)
{
	int64_t vol = survey_reader_volunteer(req), id = req_param_id(req, 0);
	json_t *c = NULL, *rows = NULL;
	int rc;

	if (vol < 0)
		return survey_error(req, resp, LIN_EPERM, NULL, "survey.err.no_volunteer");
	rc = survey_get(req->db, req->sess.area_id, id, &c);
	json_decref(c);
	if (!rc)
		rc = survey_doors(req->db, req->sess.area_id, id, vol, &rows);
	if (rc) {
		json_decref(rows);
		return survey_error(req, resp, rc, NULL, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "doors", rows));
}

static int api_visit(struct http_req *req, struct http_resp *resp)
{
	int64_t vol = survey_reader_volunteer(req), id = req_param_id(req, 0), visit = 0;
	char field[SURVEY_CODE_MAX + 1] = "";
	const char *key = NULL;
	json_t *o, *v = NULL, *hh;
	int rc;

	if (vol < 0)
		return survey_error(req, resp, LIN_EPERM, NULL, "survey.err.no_volunteer");
	o = body(req, resp);
	if (!o)
		return 0;
	hh = json_object_get(o, "household_id");
	struct survey_visit_in in = {
	    .household_id = json_is_integer(hh) ? json_integer_value(hh) : 0,
	    .outcome = json_string_value(json_object_get(o, "outcome")),
	    .answers = json_object_get(o, "answers"),
	    .notes = json_string_value(json_object_get(o, "notes")),
	    .follow_up = json_is_true(json_object_get(o, "follow_up")),
	    .revisit_on = json_string_value(json_object_get(o, "revisit_on")),
	    .volunteer_id = vol,
	    .visited_at = (int64_t)time(NULL),
	};
	if (in.answers && !json_is_object(in.answers)) {
		rc = LIN_EINVAL, key = "survey.err.answers";
		snprintf(field, sizeof(field), "answers");
	} else
		rc = survey_visit_record(req->db, &req->sess, req->sess.area_id, id, &in, &visit,
					 field, &key);
	json_decref(o);
	if (!rc)
		rc = survey_visit_get(req->db, req->sess.area_id, id, visit, &v);
	if (rc)
		return survey_error(req, resp, rc, *field ? field : NULL, key);
	return resp_json(resp, 201, v);
}

/* visit_of_reader: 0 when the reader may see visit (who reads campaigns:
 * any; a volunteer: at a door of their buildings). */
static int visit_of_reader(struct http_req *req, int64_t id, int64_t visit, json_t **v)
{
	int64_t vol = req_can(req, PERM_SURVEY_READ) ? 0 : survey_reader_volunteer(req);
	int rc = vol < 0 ? LIN_EPERM : survey_visit_get(req->db, req->sess.area_id, id, visit, v);
	if (!rc)
		rc = survey_door_check(req->db, req->sess.area_id, id,
				       survey_num(*v, "household_id"), vol, NULL);
	return rc;
}

static int api_visit_get(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0), visit = req_param_id(req, 1);
	json_t *v = NULL, *rows = NULL, *f, *visible = json_array();
	size_t i;
	int rc = visit_of_reader(req, id, visit, &v);

	if (!rc)
		rc = survey_findings(req->db, req->sess.area_id, id, visit, &rows);
	json_array_foreach (rows, i, f)
		if (cases_reader_may_open(req, survey_num(f, "case_id")))
			json_array_append(visible, f);
	json_decref(rows);
	if (rc) {
		json_decref(v);
		json_decref(visible);
		return survey_error(req, resp, rc, NULL,
				    rc == LIN_EPERM ? "survey.err.door_not_yours" : NULL);
	}
	json_object_set_new(v, "findings", visible);
	return resp_json(resp, 200, v);
}

static int api_finding(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0), visit = req_param_id(req, 1), case_id = 0;
	const char *field = NULL, *key = NULL;
	json_t *v = NULL, *o;
	int rc = visit_of_reader(req, id, visit, &v);

	json_decref(v);
	if (rc)
		return survey_error(req, resp, rc, NULL,
				    rc == LIN_EPERM ? "survey.err.door_not_yours" : NULL);
	o = body(req, resp);
	if (!o)
		return 0;
	rc = survey_finding_open(req->db, &req->sess, req->sess.area_id, id, visit,
				 json_string_value(json_object_get(o, "category")),
				 json_string_value(json_object_get(o, "description")),
				 (int64_t)time(NULL), &case_id, &field, &key);
	json_decref(o);
	if (rc)
		return survey_error(req, resp, rc, field, key);
	return resp_json(
	    resp, 201,
	    json_pack("{s:I, s:I}", "case_id", (json_int_t)case_id, "visit_id", (json_int_t)visit));
}

static int api_coverage(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *c = NULL, *rows = NULL;
	int rc = survey_get(req->db, req->sess.area_id, id, &c);

	json_decref(c);
	if (!rc)
		rc = survey_coverage(req->db, req->sess.area_id, id, &rows);
	if (rc) {
		json_decref(rows);
		return survey_error(req, resp, rc, NULL, NULL);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "buildings", rows));
}

static int api_stats(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *c = NULL, *counts = NULL, *q, *row, *out;
	size_t i, k;
	int rc = survey_get(req->db, req->sess.area_id, id, &c);

	if (!rc)
		rc = survey_answer_counts(req->db, req->sess.area_id, id, &counts);
	if (rc) {
		json_decref(c);
		json_decref(counts);
		return survey_error(req, resp, rc, NULL, NULL);
	}
	/* per question: value -> how many households gave it */
	out = json_array();
	json_array_foreach (json_object_get(c, "questions"), i, q) {
		json_t *values = json_object();
		json_array_foreach (counts, k, row)
			if (survey_num(row, "question_id") == survey_num(q, "id"))
				json_object_set(values, survey_str(row, "value"),
						json_object_get(row, "count"));
		json_array_append_new(out, json_pack("{s:O, s:O, s:o}", "code",
						     json_object_get(q, "code"), "kind",
						     json_object_get(q, "kind"), "counts", values));
	}
	json_decref(c);
	json_decref(counts);
	return resp_json(resp, 200, json_pack("{s:o}", "questions", out));
}

int survey_api_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/api/v1/surveys", api_list, PERM_SURVEY_READ, 0, NULL, 0},
	    {"POST", "/api/v1/surveys", api_create, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/surveys/:id", api_get, PERM_SURVEY_READ, 0, NULL, 0},
	    {"POST", "/api/v1/surveys/:id/questions", api_question, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/surveys/:id/buildings", api_assign, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/surveys/:id/state", api_state, PERM_SURVEY_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/surveys/:id/doors", api_doors, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"POST", "/api/v1/surveys/:id/visits", api_visit, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"GET", "/api/v1/surveys/:id/visits/:visit", api_visit_get, PERM_SURVEY_VISIT, 0, NULL,
	     0},
	    {"POST", "/api/v1/surveys/:id/visits/:visit/findings", api_finding, PERM_SURVEY_VISIT,
	     0, NULL, 0},
	    {"GET", "/api/v1/surveys/:id/coverage", api_coverage, PERM_SURVEY_READ, 0, NULL, 0},
	    {"GET", "/api/v1/surveys/:id/stats", api_stats, PERM_SURVEY_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
