/* The JSON API of station inspections and patrol logs, and their CSV
 * exports: /api/v1/inspections, /api/v1/patrols (list, create, one, the
 * one-tap case), /inspections.csv, /patrols.csv. */
#include "field.h"
#include "../base/arena.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>

#define LIST_MAX 500 /* records a list answers with */

/* field_fail answers an error of the records' work as JSON. */
static int field_fail(struct http_req *req, struct http_resp *resp, int rc,
		      const struct field_error *err)
{
	if (rc == LIN_EINVAL && err && err->key) {
		const char *msg = req_t(req, err->key);
		return resp_json(resp, 422,
				 json_pack("{s:{s:s, s:s, s:s, s:{s:s}}}", "error", "code",
					   "invalid", "field", err->field, "message", msg, "fields",
					   err->field, msg));
	}
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", "report.err.not_yours");
	return rc;
}

/* query_id: an optional id in the query; -1 when malformed. */
static int64_t query_id(struct http_req *req, const char *name)
{
	const char *s = req_query(req, name);
	int64_t v = 0;

	if (!s || !*s)
		return 0;
	return parse_int64(s, 1, INT64_MAX, &v) ? -1 : v;
}

static int path_id(struct http_req *req, int64_t *id)
{
	return parse_int64(req_param(req, 0), 1, INT64_MAX, id) ? LIN_ENOTFOUND : 0;
}

/* ------------------------------------------------------------ inspections */

/* The store's reads, the same for both kinds of record. */
typedef int (*list_fn)(struct db *db, int64_t area_id, int64_t place_id, int64_t user_id, int limit,
		       json_t **out);
typedef int (*get_fn)(struct db *db, int64_t area_id, int64_t id, json_t **out);
typedef int (*tap_fn)(struct http_req *req, int64_t id, struct field_case *out);

/* api_list answers a list: the records of one place (?param=) or all,
 * under key, a volunteer's own only. */
static int api_list(struct http_req *req, struct http_resp *resp, list_fn list, const char *param,
		    const char *bad_key, const char *key)
{
	int64_t place = query_id(req, param);
	json_t *rows = NULL;
	int rc;

	if (place < 0)
		return resp_error(req, resp, 400, "invalid", bad_key);
	rc = list(req->db, req->sess.area_id, place, field_reader_filter(req), LIST_MAX, &rows);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	return resp_json(resp, 200, json_pack("{s:o}", key, rows));
}

static int api_inspections(struct http_req *req, struct http_resp *resp)
{
	return api_list(req, resp, inspections_list, "station_id", "report.err.station",
			"inspections");
}

/* visible: whether the reader may see a record written by user_id. */
static int visible(const struct http_req *req, json_t *row)
{
	int64_t only = field_reader_filter(req);
	return !only || json_integer_value(json_object_get(row, "user_id")) == only;
}

/* api_get answers one record the reader may see. */
static int api_get(struct http_req *req, struct http_resp *resp, get_fn get)
{
	json_t *row = NULL;
	int64_t id;
	int rc = path_id(req, &id);

	if (!rc)
		rc = get(req->db, req->sess.area_id, id, &row);
	if (!rc && !visible(req, row))
		rc = LIN_ENOTFOUND;
	if (rc) {
		json_decref(row);
		return field_fail(req, resp, rc, NULL);
	}
	return resp_json(resp, 200, row);
}

static int api_inspection(struct http_req *req, struct http_resp *resp)
{
	return api_get(req, resp, inspection_get);
}

static int api_inspection_add(struct http_req *req, struct http_resp *resp)
{
	struct field_error err = {NULL, NULL};
	struct inspection_new in;
	struct field_place st;
	const char *jerr = NULL;
	json_t *body = req_json(req, &jerr), *row = NULL;
	int64_t id = 0;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_json", jerr ? jerr : "err.json_invalid");
	rc = field_inspection_parse(req, &(struct field_src){body, NULL, 0}, &st, &in, &err);
	if (!rc)
		rc = field_may_write(req, &st);
	if (!rc)
		rc = inspection_add(req->db, &req->sess, &in, &id);
	if (!rc)
		rc = inspection_get(req->db, req->sess.area_id, id, &row);
	if (rc) {
		json_decref(body);
		return field_fail(req, resp, rc, &err);
	}
	json_decref(body);
	return resp_json(resp, 201, row);
}

/* case_answer: the one tap's answer. */
static int case_answer(struct http_req *req, struct http_resp *resp, int rc,
		       const struct field_case *fc)
{
	struct field_error err = {"kind", fc->err_key};

	if (rc == LIN_ECONFLICT)
		return resp_json(resp, 409,
				 json_pack("{s:{s:s, s:s}, s:I}", "error", "code", "has_case",
					   "message", req_t(req, "report.err.has_case"), "case_id",
					   (json_int_t)fc->case_id));
	if (rc)
		return field_fail(req, resp, rc, fc->err_key ? &err : NULL);
	return resp_json(
	    resp, 201,
	    json_pack("{s:I, s:s}", "case_id", (json_int_t)fc->case_id, "tracking_code", fc->code));
}

/* api_tap answers the one tap on the record in the path. */
static int api_tap(struct http_req *req, struct http_resp *resp, tap_fn tap)
{
	struct field_case fc;
	int64_t id;
	int rc = path_id(req, &id);

	if (rc)
		return field_fail(req, resp, rc, NULL);
	rc = tap(req, id, &fc);
	return case_answer(req, resp, rc, &fc);
}

static int api_inspection_case(struct http_req *req, struct http_resp *resp)
{
	return api_tap(req, resp, field_inspection_case);
}

/* ------------------------------------------------------------ patrols */

static int api_patrols(struct http_req *req, struct http_resp *resp)
{
	return api_list(req, resp, patrols_list, "route_id", "report.err.route", "patrols");
}

static int api_patrol(struct http_req *req, struct http_resp *resp)
{
	return api_get(req, resp, patrol_get);
}

static int api_patrol_add(struct http_req *req, struct http_resp *resp)
{
	struct field_error err = {NULL, NULL};
	struct patrol_new in;
	struct field_place route;
	const char *jerr = NULL;
	json_t *body = req_json(req, &jerr), *row = NULL;
	int64_t id = 0;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_json", jerr ? jerr : "err.json_invalid");
	rc = field_patrol_parse(req, &(struct field_src){body, NULL, 0}, &route, &in, &err);
	if (!rc)
		rc = field_may_write(req, &route);
	if (!rc)
		rc = patrol_add(req->db, &req->sess, &in, &id);
	if (!rc)
		rc = patrol_get(req->db, req->sess.area_id, id, &row);
	json_decref(body);
	if (rc)
		return field_fail(req, resp, rc, &err);
	return resp_json(resp, 201, row);
}

static int api_patrol_case(struct http_req *req, struct http_resp *resp)
{
	return api_tap(req, resp, field_patrol_case);
}

/* ------------------------------------------------------------ CSV */

/* csv_rows writes rows (JSON objects) as CSV with the columns keys
 * under the translated heads. */
static int csv_rows(struct http_req *req, struct http_resp *resp, json_t *rows,
		    const char *const *keys, const char *const *heads, const char *filename)
{
	size_t i;
	json_t *row;

	for (int k = 0; keys[k]; k++) {
		if (k)
			csv_add_sep(&resp->body);
		csv_add_text(&resp->body, req_t(req, heads[k]));
	}
	csv_add_end(&resp->body);
	json_array_foreach (rows, i, row) {
		for (int k = 0; keys[k]; k++) {
			json_t *v = json_object_get(row, keys[k]);
			if (k)
				csv_add_sep(&resp->body);
			if (json_is_string(v))
				csv_add_text(&resp->body, json_string_value(v));
			else if (json_is_integer(v))
				csv_add_field(&resp->body,
					      arena_printf(req->arena, "%lld",
							   (long long)json_integer_value(v)));
		}
		csv_add_end(&resp->body);
	}
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"%s\"", filename));
	return 0;
}

static int inspections_csv(struct http_req *req, struct http_resp *resp)
{
	static const char *const keys[] = {"id",	"inspected_on", "compound",  "station",
					   "inspector", "recyclable",	"hazardous", "wet",
					   "dry",	"remarks",	"case_id",   NULL};
	static const char *const heads[] = {
	    "report.col.id",	    "report.col.date",	    "report.col.compound",
	    "report.col.station",   "report.col.inspector", "report.cat.recyclable",
	    "report.cat.hazardous", "report.cat.wet",	    "report.cat.dry",
	    "report.col.remarks",   "report.col.case",	    NULL};
	json_t *rows = NULL;
	int rc = inspections_list(req->db, req->sess.area_id, 0, field_reader_filter(req),
				  LIST_MAX * 20, &rows);

	if (!rc)
		rc = csv_rows(req, resp, rows, keys, heads, "inspections.csv");
	json_decref(rows);
	return rc;
}

static int patrols_csv(struct http_req *req, struct http_resp *resp)
{
	static const char *const keys[] = {"id",   "at",	"route",       "author",  "kind",
					   "seen", "spoken_to", "level_centi", "case_id", NULL};
	static const char *const heads[] = {"report.col.id",	    "report.col.at",
					    "report.col.route",	    "report.col.author",
					    "report.col.kind",	    "report.col.seen",
					    "report.col.spoken_to", "report.col.level",
					    "report.col.case",	    NULL};
	json_t *rows = NULL;
	int rc = patrols_list(req->db, req->sess.area_id, 0, field_reader_filter(req),
			      LIST_MAX * 20, &rows);

	if (!rc)
		rc = csv_rows(req, resp, rows, keys, heads, "patrols.csv");
	json_decref(rows);
	return rc;
}

int field_api_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/api/v1/inspections", api_inspections, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {"POST", "/api/v1/inspections", api_inspection_add, PERM_INSPECTIONS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/inspections/:id", api_inspection, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {"POST", "/api/v1/inspections/:id/case", api_inspection_case, PERM_INSPECTIONS_WRITE, 0,
	     NULL, 0},
	    {"GET", "/inspections.csv", inspections_csv, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {"GET", "/api/v1/patrols", api_patrols, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {"POST", "/api/v1/patrols", api_patrol_add, PERM_INSPECTIONS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/patrols/:id", api_patrol, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {"POST", "/api/v1/patrols/:id/case", api_patrol_case, PERM_INSPECTIONS_WRITE, 0, NULL,
	     0},
	    {"GET", "/patrols.csv", patrols_csv, PERM_INSPECTIONS_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
