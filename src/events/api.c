/* The events API under /api/v1/events: the public list (no one's name),
 * registration and cancelling by code, check-in and walk-ins (staff),
 * feedback, the race's checkpoints, teams, punches and results. Every
 * write goes through the store functions the pages use. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/auth.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* events_area: the signed-in reader's area, or for a passer-by the one
 * named by ?area= (or the only one). */
int events_area(struct http_req *req, int64_t *area_id)
{
	int rc;

	if (req->sess.area_id) {
		*area_id = req->sess.area_id;
		return 0;
	}
	rc = area_resolve(req->db, req_area_code(req), area_id, NULL, 0);
	return rc == LIN_ECONFLICT ? LIN_ENOTFOUND : rc;
}

int64_t events_param_id(struct http_req *req, int i)
{
	int64_t id = 0;

	if (parse_int64(req_param(req, i), 1, INT64_MAX, &id))
		return 0;
	return id;
}

/* events_refuse answers a store error with its message key. */
int events_refuse(struct http_req *req, struct http_resp *resp, int rc, const char *key)
{
	if (!key && rc == LIN_ENOTFOUND) /* no such area (or event) for a passer-by */
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (!key)
		return resp_error(req, resp, 500, "internal", "err.internal");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict", key);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", key);
	return resp_error(req, resp, 422, "invalid", key);
}

static const char *str_of(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

static int64_t int_of(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* body: the JSON object sent, or a 400 already answered (NULL). */
static json_t *body(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL;
	json_t *o = req_json(req, &err);

	if (!json_is_object(o)) {
		json_decref(o);
		resp_error(req, resp, 400, "bad_request", "events.err.json");
		return NULL;
	}
	return o;
}

/* done: the body is released; the store's refusal, or status with
 * {"status": word}. */
static int done(struct http_req *req, struct http_resp *resp, json_t *o, int rc, const char *key,
		int status, const char *word)
{
	json_decref(o);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_json(resp, status, json_pack("{s:s}", "status", word));
}

static int api_list(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0;
	json_t *rows = NULL;

	if (events_area(req, &area))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (events_list_json(req->db, area, 0, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	return resp_json(resp, 200, json_pack("{s:o}", "events", rows));
}

static int api_one(struct http_req *req, struct http_resp *resp)
{
	int64_t area = 0, id = events_param_id(req, 0);
	json_t *rows = NULL, *row, *found = NULL;
	size_t i;

	if (events_area(req, &area) || events_list_json(req->db, area, -1, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	json_array_foreach (rows, i, row)
		if (json_integer_value(json_object_get(row, "id")) == id)
			found = json_incref(row);
	json_decref(rows);
	if (!found)
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	return resp_json(resp, 200, found);
}

static int api_create(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	struct event_in in = {0};
	const char *key = NULL;
	int64_t id = 0;
	int rc;

	if (!o)
		return 0;
	in.kind = str_of(o, "kind");
	in.title = str_of(o, "title");
	in.detail = str_of(o, "detail");
	in.organiser = str_of(o, "organiser");
	in.team_id = int_of(o, "team_id");
	in.unit_id = int_of(o, "unit_id");
	in.place = str_of(o, "place");
	in.starts_at = int_of(o, "starts_at");
	in.ends_at = int_of(o, "ends_at");
	in.audience = str_of(o, "audience") ? str_of(o, "audience") : "all";
	in.capacity = json_is_integer(json_object_get(o, "capacity")) ? int_of(o, "capacity") : -1;
	in.opens_at = int_of(o, "opens_at");
	in.closes_at = int_of(o, "closes_at");
	in.project_id = int_of(o, "project_id");
	in.race_rule = str_of(o, "race_rule");
	in.time_limit = int_of(o, "time_limit");
	in.penalty_per_minute = int_of(o, "penalty_per_minute");
	rc = event_create(req->db, &req->sess, req->sess.area_id, &in, &id, &key);
	json_decref(o);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_register(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp), *kids;
	struct reg_in in = {0};
	struct reg_out out;
	const char *key = NULL;
	int64_t area = 0;
	char masked[32] = "";
	int rc;

	if (!o)
		return 0;
	if (events_area(req, &area)) {
		json_decref(o);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	in.user_id = req->sess.kind == AUTH_COOKIE ? req->sess.user_id : 0;
	in.name = str_of(o, "name");
	in.phone = str_of(o, "phone");
	kids = json_object_get(o, "children");
	if (kids && (!json_is_array(kids) || json_array_size(kids) > EVENT_CHILDREN_MAX)) {
		json_decref(o);
		return resp_error(req, resp, 422, "invalid", "events.err.children");
	}
	for (size_t i = 0; kids && i < json_array_size(kids); i++)
		in.children[in.nchildren++] = json_string_value(json_array_get(kids, i));
	rc = event_register(req->db, &req->sess, area, events_param_id(req, 0), &in,
			    (int64_t)time(NULL), &out, &key);
	if (!rc && in.phone)
		registry_phone_mask(in.phone, masked, sizeof(masked));
	json_decref(o);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_json(resp, 201,
			 json_pack("{s:I, s:s, s:s, s:o, s:s}", "id", (json_int_t)out.id, "status",
				   out.status, "code", out.code, "waiting_position",
				   out.waiting ? json_integer(out.waiting) : json_null(), "phone",
				   masked));
}

static int api_cancel(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int64_t area = 0;
	int promoted = 0, rc;

	if (!o)
		return 0;
	rc = events_area(req, &area);
	if (!rc)
		rc = event_cancel(req->db, &req->sess, area, events_param_id(req, 0),
				  str_of(o, "code"), 0, (int64_t)time(NULL), &promoted, &key);
	json_decref(o);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_json(resp, 200,
			 json_pack("{s:s, s:i}", "status", "cancelled", "promoted", promoted));
}

static int api_attendees(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	struct event_row e;

	if (event_get(req->db, req->sess.area_id, events_param_id(req, 0), &e))
		return resp_error(req, resp, 404, "not_found", "events.err.event");
	if (event_attendees_json(req->db, req->sess.area_id, e.id, req_can(req, PERM_SEE_PHONE),
				 &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	return resp_json(resp, 200, json_pack("{s:o}", "attendees", rows));
}

static int api_checkin(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	char name[EVENT_NAME_MAX + 1];
	int rc;

	if (!o)
		return 0;
	rc = event_checkin(req->db, &req->sess, req->sess.area_id, events_param_id(req, 0),
			   str_of(o, "code"), (int64_t)time(NULL), name, sizeof(name), &key);
	json_decref(o);
	if (rc)
		return events_refuse(req, resp, rc, key);
	return resp_json(resp, 200, json_pack("{s:s, s:s}", "status", "checked_in", "name", name));
}

static int api_walk_in(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int rc;

	if (!o)
		return 0;
	rc = event_walk_in(req->db, &req->sess, req->sess.area_id, events_param_id(req, 0),
			   str_of(o, "name"), str_of(o, "phone"), (int64_t)time(NULL), &key);
	return done(req, resp, o, rc, key, 201, "walk_in");
}

static int api_feedback(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int64_t area = 0;
	int rc;

	if (!o)
		return 0;
	rc = events_area(req, &area);
	if (!rc)
		rc = event_feedback(req->db, area, events_param_id(req, 0), str_of(o, "code"),
				    (int)int_of(o, "rating"), str_of(o, "comment"),
				    (int64_t)time(NULL), &key);
	return done(req, resp, o, rc, key, 200, "thanks");
}

static int api_results(struct http_req *req, struct http_resp *resp)
{
	json_t *o = NULL;
	int64_t area = 0;
	int rc = events_area(req, &area);

	if (!rc)
		rc = race_results_json(req->db, area, events_param_id(req, 0), &o);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "events.err.not_race");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200, o);
}

static int api_checkpoint_add(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int rc;

	if (!o)
		return 0;
	rc =
	    race_checkpoint_add(req->db, &req->sess, req->sess.area_id, events_param_id(req, 0),
				str_of(o, "code"), str_of(o, "name") ? str_of(o, "name") : "",
				(int)int_of(o, "points"), int_of(o, "lon"), int_of(o, "lat"), &key);
	return done(req, resp, o, rc, key, 201, "created");
}

static int api_team_add(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int rc;

	if (!o)
		return 0;
	rc = race_team_add(req->db, &req->sess, req->sess.area_id, events_param_id(req, 0),
			   str_of(o, "code"), str_of(o, "name"), int_of(o, "start_at"), &key);
	return done(req, resp, o, rc, key, 201, "created");
}

static int api_punch(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int64_t area = 0;
	int rc;

	if (!o)
		return 0;
	rc = events_area(req, &area);
	if (!rc)
		rc = race_punch(req->db, area, events_param_id(req, 0), str_of(o, "checkpoint"),
				str_of(o, "team"), (int64_t)time(NULL), &key);
	return done(req, resp, o, rc, key, 201, "punched");
}

static int api_finish(struct http_req *req, struct http_resp *resp)
{
	json_t *o = body(req, resp);
	const char *key = NULL;
	int64_t area = 0;
	int rc;

	if (!o)
		return 0;
	rc = events_area(req, &area);
	if (!rc)
		rc = race_finish(req->db, &req->sess, area, events_param_id(req, 0),
				 str_of(o, "team"), (int64_t)time(NULL), &key);
	return done(req, resp, o, rc, key, 200, "finished");
}

static int api_mine(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;

	if (events_user_json(req->db, req->sess.area_id, req->sess.user_id, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	return resp_json(resp, 200, json_pack("{s:o}", "registrations", rows));
}

const struct route events_api_routes[] = {
    {"GET", "/api/v1/events", api_list, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/api/v1/events", api_create, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/events/mine", api_mine, PERM_SIGNED_IN, 0, NULL, 0},
    {"GET", "/api/v1/events/:id", api_one, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/registrations", api_register, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/cancel", api_cancel, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/api/v1/events/:id/attendees", api_attendees, PERM_EVENTS_CHECKIN, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/checkin", api_checkin, PERM_EVENTS_CHECKIN, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/walkins", api_walk_in, PERM_EVENTS_CHECKIN, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/feedback", api_feedback, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/api/v1/events/:id/results", api_results, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/checkpoints", api_checkpoint_add, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/teams", api_team_add, PERM_EVENTS_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/punches", api_punch, PERM_PUBLIC, 0, NULL, 0},
    {"POST", "/api/v1/events/:id/finish", api_finish, PERM_PUBLIC, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
