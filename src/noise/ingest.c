/* Readings over HTTP: a meter sends a batch, staff read them back, with
 * the minutes stations sent over HJ 212, and the GB 3096 assessment of a
 * date. */
#include "ingest.h"
#include "limits.h"
#include "noise.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/http.h"
#include "../web/router.h"

#include <math.h>
#include <stdio.h>
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

/* meter_param: the route's meter, when it is one of the session's area's:
 * a meter of another area (or none) is not found, not empty. */
static int meter_param(struct http_req *req, int64_t *id)
{
	char zone[8];

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, id) ||
	    noise_meter_zone(req->db, req->sess.area_id, *id, zone, sizeof(zone)) == LIN_ENOTFOUND)
		return LIN_ENOTFOUND;
	return 0;
}

/* meter_window answers GET /api/v1/noise/meters/:id/KEY?from=T0&to=T1
 * (epoch seconds, at most a day; by default the last `back` seconds) with
 * what list gives for the window. */
static int meter_window(struct http_req *req, struct http_resp *resp, int64_t back, const char *key,
			int (*list)(struct db *, int64_t, int64_t, int64_t, int64_t, json_t **))
{
	const char *from = req_query(req, "from"), *to = req_query(req, "to");
	int64_t id, t0, t1, now = (int64_t)time(NULL);
	json_t *rows = NULL;
	int rc;

	if (meter_param(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	t0 = now - back;
	t1 = now + 1;
	if ((from && parse_int64(from, 0, INT64_MAX, &t0)) ||
	    (to && parse_int64(to, 0, INT64_MAX, &t1)) || t1 <= t0 || t1 - t0 > 86400)
		return resp_error(req, resp, 400, "invalid", "noise.err.window");
	rc = list(req->db, req->sess.area_id, id, t0, t1, &rows);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	return resp_json(resp, 200, json_pack("{s:I,s:o}", "meter_id", (json_int_t)id, key, rows));
}

static int api_meter_readings(struct http_req *req, struct http_resp *resp)
{
	return meter_window(req, resp, 3600, "readings", noise_readings_list);
}

/* GET /api/v1/noise/meters/:id/minutes?from=T0&to=T1: the minute and hour
 * statistics stations sent (HJ 212 CN=2051, 2061) starting in the window. */
static int api_meter_minutes(struct http_req *req, struct http_resp *resp)
{
	return meter_window(req, resp, 86400, "minutes", noise_minutes_list);
}

/* GET /api/v1/noise/meters/:id/rollups?span=minute|hour&from=T0&to=T1:
 * the minute (a window of at most a day; by default the last hour) or hour
 * rollups (at most 31 days; by default the last day) of the meter's
 * readings starting in the window: what charts over days and weeks read. */
static int api_meter_rollups(struct http_req *req, struct http_resp *resp)
{
	const char *span = req_query(req, "span"), *from = req_query(req, "from"),
		   *to = req_query(req, "to");
	int hours = span && !strcmp(span, "hour");
	int64_t id, t0, t1, now = (int64_t)time(NULL), max = hours ? 31 * 86400 : 86400;
	struct noise_rollup *r = NULL;
	json_t *rows;
	size_t n;
	int rc;

	if (meter_param(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (span && !hours && strcmp(span, "minute"))
		return resp_error(req, resp, 400, "invalid", "parts.err.span");
	t0 = now - (hours ? 86400 : 3600);
	t1 = now + 1;
	if ((from && parse_int64(from, 0, INT64_MAX, &t0)) ||
	    (to && parse_int64(to, 0, INT64_MAX, &t1)) || t1 <= t0 || t1 - t0 > max)
		return resp_error(req, resp, 400, "invalid",
				  hours ? "parts.err.window_hours" : "parts.err.window_minutes");
	rc = noise_rollups_read(req->db, id, hours ? NOISE_HOUR : NOISE_MINUTE, t0, t1, &r, &n);
	if (rc)
		return rc;
	rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    rows, json_pack("{s:I,s:I,s:f,s:f}", "t", (json_int_t)r[i].t, "seconds",
				    (json_int_t)r[i].seconds, "laeq",
				    (double)llround(noise_rollup_leq(&r[i]) * 100.0) / 100.0,
				    "lmax", (double)r[i].lmax_centi / 100.0));
	free(r);
	return resp_json(resp, 200,
			 json_pack("{s:I,s:s,s:o}", "meter_id", (json_int_t)id, "span",
				   hours ? "hour" : "minute", "rollups", rows));
}

/* period_json: one period of an assessment; levels to 0.1 dB, null
 * without data. */
static json_t *period_json(const struct noise_period *p, const char *from, const char *to)
{
	json_t *o = json_pack("{s:s,s:s,s:f,s:I,s:b,s:I}", "from", from, "to", to, "limit",
			      (double)p->limit_centi / 100.0, "seconds", (json_int_t)p->seconds,
			      "exceeded", p->exceeded, "minutes_over", (json_int_t)p->minutes_over);

	json_object_set_new(o, "laeq",
			    p->seconds ? json_real(round(p->laeq * 10.0) / 10.0) : json_null());
	json_object_set_new(o, "lmax",
			    p->seconds ? json_real((double)((p->lmax_centi + 5) / 10) / 10.0)
				       : json_null());
	return o;
}

/* GET /api/v1/noise/meters/:id/assessment?date=YYYY-MM-DD: the day (by
 * default 06:00-22:00; the area's own hours when set with `linli plaza
 * hours`) and the following night, in Shanghai time, against GB 3096. */
static int api_assessment(struct http_req *req, struct http_resp *resp)
{
	const char *date = req_query(req, "date");
	struct noise_day a;
	char zone[8], day_from[6], day_to[6];
	int64_t id;
	json_t *night;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = noise_assess_date(req->db, req->sess.area_id, id, date ? date : "", &a, zone, day_from,
			       day_to);
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid", "noise.err.date");
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return rc;
	night = period_json(&a.night, day_to, day_from);
	json_object_set_new(
	    night, "lmax_limit",
	    json_real((double)(a.night.limit_centi + NOISE_NIGHT_MAX_ALLOWANCE) / 100.0));
	json_object_set_new(night, "lmax_exceeded", json_boolean(a.night.lmax_exceeded));
	return resp_json(
	    resp, 200,
	    json_pack("{s:I,s:s,s:s,s:o,s:o,s:o}", "meter_id", (json_int_t)id, "date", date,
		      "zone_class", zone, "day", period_json(&a.day, day_from, day_to), "night",
		      night, "ldn",
		      a.has_ldn ? json_real(round(a.ldn * 10.0) / 10.0) : json_null()));
}

int noise_ingest_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"POST", "/api/v1/noise/readings", api_readings, PERM_NOISE_INGEST, 0, NULL, 0},
	    {"GET", "/api/v1/noise/meters/:id/readings", api_meter_readings, PERM_NOISE_READ, 0,
	     NULL, 0},
	    {"GET", "/api/v1/noise/meters/:id/minutes", api_meter_minutes, PERM_NOISE_READ, 0, NULL,
	     0},
	    {"GET", "/api/v1/noise/meters/:id/assessment", api_assessment, PERM_NOISE_READ, 0, NULL,
	     0},
	    {"GET", "/api/v1/noise/meters/:id/rollups", api_meter_rollups, PERM_NOISE_READ, 0, NULL,
	     0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes) ? LIN_ENOMEM : noise_reports_routes(r);
}
