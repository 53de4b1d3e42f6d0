/* Readings over HTTP: the checks (model, no I/O) and the two routes. */
#include "ingest.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/http.h"
#include "../web/router.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* level_centi reads a JSON number of dB with at most two decimals as
 * hundredths, exactly (57.9 -> 5790); LIN_EINVAL otherwise. */
static int level_centi(json_t *v, int64_t *out)
{
	double d, scaled;

	if (!json_is_number(v))
		return LIN_EINVAL;
	d = json_number_value(v);
	if (!(d >= 0 && d <= 150))
		return LIN_EINVAL;
	scaled = d * 100.0;
	/* Two decimals at most: the value times 100 must be (nearly) whole. */
	if (fabs(scaled - round(scaled)) > 1e-6)
		return LIN_EINVAL;
	*out = (int64_t)llround(scaled);
	return 0;
}

int noise_readings_parse(json_t *body, int64_t now, struct noise_reading **list, int *n,
			 int *bad_index, const char **why)
{
	json_t *arr = json_object_get(body, "readings"), *item;
	struct noise_reading *out;
	size_t i;

	*list = NULL;
	*n = 0;
	*bad_index = -1;
	if (!json_is_array(arr) || !json_array_size(arr)) {
		*why = "noise.err.batch";
		return LIN_EINVAL;
	}
	if (json_array_size(arr) > NOISE_BATCH_MAX) {
		*why = "noise.err.batch_size";
		return LIN_EINVAL;
	}
	out = calloc(json_array_size(arr), sizeof(*out));
	if (!out)
		return LIN_ENOMEM;
	json_array_foreach(arr, i, item)
	{
		json_t *t = json_object_get(item, "t"), *lmax = json_object_get(item, "lmax");
		struct noise_reading *r = &out[i];

		*bad_index = (int)i;
		if (!json_is_object(item) || !json_is_integer(t)) {
			*why = "noise.err.time";
			goto bad;
		}
		r->t = json_integer_value(t);
		if (r->t < now - NOISE_PAST_MAX || r->t > now + NOISE_FUTURE_MAX) {
			*why = "noise.err.time_range";
			goto bad;
		}
		if (i && r->t <= out[i - 1].t) {
			*why = "noise.err.order";
			goto bad;
		}
		if (level_centi(json_object_get(item, "laeq"), &r->laeq_centi)) {
			*why = "noise.err.level";
			goto bad;
		}
		if (lmax && !json_is_null(lmax)) {
			if (level_centi(lmax, &r->lmax_centi) || r->lmax_centi < r->laeq_centi) {
				*why = "noise.err.lmax";
				goto bad;
			}
			r->has_lmax = 1;
		}
	}
	*bad_index = -1;
	*list = out;
	*n = (int)json_array_size(arr);
	return 0;
bad:
	free(out);
	return LIN_EINVAL;
}

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
