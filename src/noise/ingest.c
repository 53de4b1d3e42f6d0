/* Readings over HTTP: a meter sends a batch, staff read them back. */
#include "ingest.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/http.h"
#include "../web/router.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static int api_readings(struct http_req *req, struct http_resp *resp)
{
	struct noise_meter meter;
	struct noise_reading *list = NULL;
	const char *err, *why = NULL;
	json_t *body = req_json(req, &err);
	int n = 0, bad = -1, stored = 0, dups = 0, rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_json", err);
	if (req->sess.kind != AUTH_TOKEN ||
	    noise_meter_for_token(req->db, req->sess.area_id, req->sess.token_id, &meter)) {
		json_decref(body);
		return resp_error(req, resp, 403, "unknown_meter", "noise.err.meter");
	}
	rc = noise_readings_parse(body, (int64_t)time(NULL), &list, &n, &bad, &why);
	json_decref(body);
	if (rc == LIN_EINVAL)
		return resp_json(resp, 422,
				 json_pack("{s:{s:s,s:s,s:i}}", "error", "code", "invalid",
					   "message", req_t(req, why), "index", bad));
	if (rc)
		return rc;
	/* The meter's calibration is applied as the levels arrive. */
	for (int i = 0; i < n; i++) {
		list[i].laeq_centi += meter.calibration_centi;
		if (list[i].has_lmax)
			list[i].lmax_centi += meter.calibration_centi;
	}
	rc = noise_store_readings(req->db, meter.id, list, n, "http", &stored, &dups);
	free(list);
	if (rc)
		return resp_error(req, resp, 503, "not_stored", "err.internal");
	return resp_json(resp, 200,
			 json_pack("{s:I,s:i,s:i}", "meter_id", (json_int_t)meter.id, "stored",
				   stored, "duplicates", dups));
}

static int api_meter_readings(struct http_req *req, struct http_resp *resp)
{
	const char *from = req_query(req, "from"), *to = req_query(req, "to");
	int64_t id, t0, t1, now = (int64_t)time(NULL);
	json_t *list = NULL;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	t0 = now - 3600;
	t1 = now + 1;
	if ((from && parse_int64(from, 0, INT64_MAX, &t0)) ||
	    (to && parse_int64(to, 0, INT64_MAX, &t1)) || t1 <= t0 || t1 - t0 > 86400)
		return resp_error(req, resp, 400, "invalid", "noise.err.window");
	rc = noise_readings_list(req->db, req->sess.area_id, id, t0, t1, &list);
	if (rc) {
		json_decref(list);
		return rc;
	}
	return resp_json(resp, 200,
			 json_pack("{s:I,s:o}", "meter_id", (json_int_t)id, "readings", list));
}

int noise_add_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"POST", "/api/v1/noise/readings", api_readings, PERM_NOISE_INGEST, 0, NULL, 0},
	    {"GET", "/api/v1/noise/meters/:id/readings", api_meter_readings, PERM_NOISE_READ, 0,
	     NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
