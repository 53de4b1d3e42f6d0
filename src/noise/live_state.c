/* What a meter reads now against the limit that applies (its zone's cap,
 * else GB 3096 by the area's night hours), the words and JSON the live
 * views share, the chart of the last three hours, and the framing of the
 * event stream. */
#include "ingest.h"
#include "limits.h"
#include "live_view.h"
#include "../base/err.h"
#include "../web/http.h"
#include "../web/stream.h"
#include "../web/svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ judging */

int64_t live_limit_at(const struct live_meter *m, const struct plaza_hours *hours, int64_t t,
		      enum live_limit *kind)
{
	int64_t day = 0, night = 0;
	int minute;

	if (m->cap_centi >= 0) {
		*kind = LIVE_LIMIT_CAP;
		return m->cap_centi;
	}
	/* The registry allows only GB 3096 classes; class 1 if one slipped by. */
	if (noise_zone_limits(m->zone_class, &day, &night))
		noise_zone_limits("1", &day, &night);
	plaza_local(t, NULL, &minute, NULL);
	if (plaza_is_night(hours, minute)) {
		*kind = LIVE_LIMIT_NIGHT;
		return night;
	}
	*kind = LIVE_LIMIT_DAY;
	return day;
}

enum live_class live_classify(int64_t level_centi, int64_t limit_centi)
{
	int64_t level = (level_centi + 5) / 10, limit = limit_centi / 10;

	if (level > limit)
		return LIVE_OVER;
	if (level >= limit - LIVE_NEAR_CENTI / 10)
		return LIVE_NEAR;
	return LIVE_OK;
}

int live_now_read(struct db *db, const struct live_meter *m, const struct plaza_hours *hours,
		  int64_t now, struct live_now *out)
{
	int64_t at = 0, level = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->now = now;
	out->limit_centi = live_limit_at(m, hours, now, &out->kind);
	out->cls = LIVE_NONE;
	/* A meter a little ahead of our clock still counts as now. */
	rc = live_latest(db, m->id, now + NOISE_FUTURE_MAX, &at, &level, &out->simulated);
	if (rc == LIN_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	out->last_t = at;
	out->level_centi = level;
	if (at > now - LIVE_FRESH_S)
		out->cls = live_classify(level, out->limit_centi);
	return 0;
}

const char *live_class_name(enum live_class c)
{
	static const char *const names[] = {"none", "ok", "near", "over"};
	return names[c];
}

const char *live_limit_name(enum live_limit k)
{
	static const char *const names[] = {"cap", "day", "night"};
	return names[k];
}

void live_clock(int64_t t, int with_date, char *out, size_t n)
{
	time_t local = (time_t)(t + PLAZA_TZ_OFFSET);
	struct tm tm;

	gmtime_r(&local, &tm);
	if (with_date)
		snprintf(out, n, "%04u-%02u-%02u %02u:%02u:%02u",
			 (unsigned)(tm.tm_year + 1900) % 10000, (unsigned)(tm.tm_mon + 1) % 100,
			 (unsigned)tm.tm_mday % 100, (unsigned)tm.tm_hour % 100,
			 (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100);
	else
		snprintf(out, n, "%02u:%02u:%02u", (unsigned)tm.tm_hour % 100,
			 (unsigned)tm.tm_min % 100, (unsigned)tm.tm_sec % 100);
}

void live_db(int64_t centi, char *out, size_t n)
{
	int64_t tenths = centi >= 0 ? (centi + 5) / 10 : -((-centi + 5) / 10);

	snprintf(out, n, "%s%lld.%lld", tenths < 0 ? "-" : "", (long long)llabs(tenths) / 10,
		 (long long)llabs(tenths) % 10);
}

const char *live_fill(struct http_req *req, const char *tmpl, const char *value)
{
	const char *at = strstr(tmpl, "{x}");

	if (!at)
		return tmpl;
	return arena_printf(req->arena, "%.*s%s%s", (int)(at - tmpl), tmpl, value, at + 3);
}

/* level_json: hundredths as a JSON number with one decimal. */
static json_t *level_json(int64_t centi)
{
	int64_t tenths = centi >= 0 ? (centi + 5) / 10 : -((-centi + 5) / 10);
	return json_real((double)tenths / 10.0);
}

json_t *live_now_json(const struct live_meter *m, const struct live_now *s)
{
	char clock[24];
	json_t *o;

	live_clock(s->now, 0, clock, sizeof(clock));
	o = json_pack("{s:I,s:o,s:s,s:s,s:s}", "id", (json_int_t)m->id, "limit",
		      level_json(s->limit_centi), "limit_kind", live_limit_name(s->kind), "class",
		      live_class_name(s->cls), "time", clock);
	if (!o)
		return NULL;
	json_object_set_new(o, "level",
			    s->cls != LIVE_NONE ? level_json(s->level_centi) : json_null());
	json_object_set_new(o, "t", s->cls != LIVE_NONE ? json_integer(s->last_t) : json_null());
	json_object_set_new(o, "simulated", json_boolean(s->cls != LIVE_NONE && s->simulated));
	json_object_set_new(o, "last_t", s->last_t ? json_integer(s->last_t) : json_null());
	if (s->last_t) {
		live_clock(s->last_t, 1, clock, sizeof(clock));
		json_object_set_new(o, "last", json_string(clock));
	} else {
		json_object_set_new(o, "last", json_null());
	}
	return o;
}

json_t *live_alert_json(const struct live_alert *a)
{
	char opened[24], closed[24];
	json_t *o;

	live_clock(a->opened_t, 1, opened, sizeof(opened));
	o = json_pack("{s:I,s:I,s:I,s:s,s:o,s:o,s:s}", "id", (json_int_t)a->id, "meter_id",
		      (json_int_t)a->meter_id, "opened_t", (json_int_t)a->opened_t, "opened",
		      opened, "peak", level_json(a->peak_centi), "threshold",
		      level_json(a->threshold_centi), "teams", a->teams);
	if (!o)
		return NULL;
	if (a->closed_t) {
		live_clock(a->closed_t, 1, closed, sizeof(closed));
		json_object_set_new(o, "closed_t", json_integer(a->closed_t));
		json_object_set_new(o, "closed", json_string(closed));
	} else {
		json_object_set_new(o, "closed_t", json_null());
		json_object_set_new(o, "closed", json_null());
	}
	json_object_set_new(o, "case_id", a->case_id ? json_integer(a->case_id) : json_null());
	return o;
}

/* ------------------------------------------------------------ the chart */

#define CHART_MINUTES (LIVE_CHART_S / 60)
#define CHART_LEFT    46.0
#define CHART_FONT    14.0 /* text, in viewBox units: about 14 px wide, 13 px narrow */
#define CHART_ROW     20.0 /* one row of legend */
#define CHART_LINE    "#1f5fa8"
#define CHART_LIMIT   "#b3261e"
#define CHART_GRID    "#d9dee5"
#define CHART_TEXT    "#5b6472"

/* The minutes of the chart: energy and seconds, or a station's minute. */
struct chart_data {
	int64_t first;		      /* start of the first minute (UTC epoch) */
	double level[CHART_MINUTES];  /* LAeq,1min in dB, NAN for no data */
	int64_t limit[CHART_MINUTES]; /* the limit at the minute's start */
	enum live_limit kind;	      /* the kind of the last minute's limit */
	double lo, hi;		      /* the value axis */
	/* The layout for the width the chart gets (the viewBox). */
	double w, h;	    /* the viewBox */
	double top, bottom; /* the plot's edges (left is CHART_LEFT) */
	double right;	    /* the plot's right edge */
	int tick_minutes;   /* minutes between time ticks */
};

static int chart_load(struct db *db, const struct live_meter *m, const struct plaza_hours *hours,
		      int64_t now, struct chart_data *c)
{
	struct noise_rollup *s = NULL;
	struct noise_minute_level *mins = NULL;
	double energy[CHART_MINUTES] = {0};
	int64_t count[CHART_MINUTES] = {0};
	size_t n = 0, nm = 0;
	int rc;

	/* The minute rollups: 180 rows, not 10,800 seconds. */
	c->first = (now / 60 - (CHART_MINUTES - 1)) * 60;
	rc = noise_rollups_read(db, m->id, NOISE_MINUTE, c->first, now + 1, &s, &n);
	if (!rc)
		rc = noise_minutes_uncovered(db, m->id, c->first, now + 1, &mins, &nm);
	if (rc) {
		free(s);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t k = (s[i].t - c->first) / 60;
		if (k < 0 || k >= CHART_MINUTES)
			continue;
		energy[k] += s[i].energy;
		count[k] += s[i].seconds;
	}
	for (size_t i = 0; i < nm; i++) {
		int64_t k = (mins[i].t - c->first) / 60;
		if (k < 0 || k >= CHART_MINUTES)
			continue;
		energy[k] += 60.0 * pow(10.0, (double)mins[i].leq_centi / 1000.0);
		count[k] += 60;
	}
	free(s);
	free(mins);
	for (int k = 0; k < CHART_MINUTES; k++) {
		c->level[k] = count[k] ? 10.0 * log10(energy[k] / (double)count[k]) : NAN;
		c->limit[k] = live_limit_at(m, hours, c->first + 60 * k, &c->kind);
	}
	return 0;
}

/* chart_axis: the value axis covers every minute and the limit with 5 dB
 * to spare, in whole tens. */
static void chart_axis(struct chart_data *c)
{
	double lo = INFINITY, hi = -INFINITY;

	for (int k = 0; k < CHART_MINUTES; k++) {
		double lim = (double)c->limit[k] / 100.0;
		if (!isnan(c->level[k])) {
			lo = fmin(lo, c->level[k]);
			hi = fmax(hi, c->level[k]);
		}
		lo = fmin(lo, lim - 15.0);
		hi = fmax(hi, lim);
	}
	c->lo = fmax(0.0, floor((lo - 5.0) / 10.0) * 10.0);
	c->hi = ceil((hi + 5.0) / 10.0) * 10.0;
	if (c->hi <= c->lo)
		c->hi = c->lo + 10.0;
}

static double chart_x(const struct chart_data *c, int k)
{
	return CHART_LEFT + (k + 0.5) * (c->right - CHART_LEFT) / CHART_MINUTES;
}

static double chart_y(const struct chart_data *c, double v)
{
	return c->bottom - (v - c->lo) / (c->hi - c->lo) * (c->bottom - c->top);
}

static void chart_grid(struct buf *out, const struct chart_data *c)
{
	double step = c->hi - c->lo > 60 ? 20 : 10;
	char label[16];

	for (double v = c->lo; v <= c->hi + 1e-9; v += step) {
		double y = chart_y(c, v);
		buf_adds(out, "<line x1=\"");
		svg_num(out, CHART_LEFT);
		buf_adds(out, "\" x2=\"");
		svg_num(out, c->right);
		buf_adds(out, "\" y1=\"");
		svg_num(out, y);
		buf_adds(out, "\" y2=\"");
		svg_num(out, y);
		buf_adds(out, "\" stroke=\"" CHART_GRID "\"/>");
		snprintf(label, sizeof(label), "%.0f", v);
		svg_text(out, CHART_LEFT - 6, y + 5, "end", NULL, CHART_TEXT, label);
	}
	/* A tick and a time every half hour, or hour when narrow (Shanghai is a
	 * whole-hour offset). */
	for (int k = 0; k < CHART_MINUTES; k++) {
		int minute;
		char hhmm[6];

		plaza_local(c->first + 60 * k, NULL, &minute, NULL);
		if (minute % c->tick_minutes)
			continue;
		buf_adds(out, "<line x1=\"");
		svg_num(out, chart_x(c, k));
		buf_adds(out, "\" x2=\"");
		svg_num(out, chart_x(c, k));
		buf_adds(out, "\" y1=\"");
		svg_num(out, c->bottom);
		buf_adds(out, "\" y2=\"");
		svg_num(out, c->bottom + 5);
		buf_adds(out, "\" stroke=\"" CHART_TEXT "\"/>");
		plaza_hhmm(minute, hhmm);
		svg_text(out, chart_x(c, k), c->bottom + 21, "middle", NULL, CHART_TEXT, hhmm);
	}
	buf_adds(out, "<line x1=\"");
	svg_num(out, CHART_LEFT);
	buf_adds(out, "\" x2=\"");
	svg_num(out, c->right);
	buf_adds(out, "\" y1=\"");
	svg_num(out, c->bottom);
	buf_adds(out, "\" y2=\"");
	svg_num(out, c->bottom);
	buf_adds(out, "\" stroke=\"" CHART_TEXT "\"/>");
}

/* chart_limit: the limit as a dashed step line over the minutes. */
static void chart_limit(struct buf *out, const struct chart_data *c)
{
	double w = (c->right - CHART_LEFT) / CHART_MINUTES;

	buf_adds(out, "<path fill=\"none\" stroke=\"" CHART_LIMIT "\" stroke-width=\"1.5\""
		      " stroke-dasharray=\"6 4\" d=\"M");
	svg_num(out, CHART_LEFT);
	buf_addc(out, ' ');
	svg_num(out, chart_y(c, (double)c->limit[0] / 100.0));
	for (int k = 0; k < CHART_MINUTES; k++) {
		buf_adds(out, "H");
		svg_num(out, CHART_LEFT + (k + 1) * w);
		if (k + 1 < CHART_MINUTES && c->limit[k + 1] != c->limit[k]) {
			buf_adds(out, "V");
			svg_num(out, chart_y(c, (double)c->limit[k + 1] / 100.0));
		}
	}
	buf_adds(out, "\"/>");
}

/* legend_item: a line sample (dashed or not) and its text, ending at x;
 * returns where the next item to its left must end. */
static double legend_width(const char *text)
{
	return svg_text_width(text, CHART_FONT) + 30.0;
}

static double legend_item(struct buf *out, double x, double y, const char *color, int dashed,
			  const char *text)
{
	double x0 = x - legend_width(text);

	buf_adds(out, "<line stroke-width=\"2\" stroke=\"");
	buf_adds(out, color);
	buf_adds(out, dashed ? "\" stroke-dasharray=\"6 4\" x1=\"" : "\" x1=\"");
	svg_num(out, x0);
	buf_adds(out, "\" x2=\"");
	svg_num(out, x0 + 24.0);
	buf_adds(out, "\" y1=\"");
	svg_num(out, y - 5);
	buf_adds(out, "\" y2=\"");
	svg_num(out, y - 5);
	buf_adds(out, "\"/>");
	svg_text(out, x, y, "end", NULL, CHART_TEXT, text);
	return x0 - 18.0;
}

/* chart_levels: the minutes as one path, a new subpath after each gap; a
 * minute alone between gaps is drawn as a dot. Minutes over their limit
 * get a dot with the time and level as tooltip. */
static void chart_levels(struct buf *out, const struct chart_data *c)
{
	int open = 0;

	buf_adds(out, "<path fill=\"none\" stroke=\"" CHART_LINE "\" stroke-width=\"2\""
		      " stroke-linejoin=\"round\" stroke-linecap=\"round\" d=\"");
	for (int k = 0; k < CHART_MINUTES; k++) {
		if (isnan(c->level[k])) {
			open = 0;
			continue;
		}
		buf_adds(out, open ? "L" : "M");
		svg_num(out, chart_x(c, k));
		buf_addc(out, ' ');
		svg_num(out, chart_y(c, c->level[k]));
		if (!open && (k + 1 == CHART_MINUTES || isnan(c->level[k + 1])))
			buf_adds(out, "h0.1");
		open = 1;
	}
	buf_adds(out, "\"/>");
	for (int k = 0; k < CHART_MINUTES; k++) {
		char hhmm[6], title[48];
		int minute;

		if (isnan(c->level[k]) || llround(c->level[k] * 10.0) <= c->limit[k] / 10)
			continue;
		plaza_local(c->first + 60 * k, NULL, &minute, NULL);
		plaza_hhmm(minute, hhmm);
		snprintf(title, sizeof(title), "%s %.1f dB(A)", hhmm, c->level[k]);
		buf_adds(out, "<circle r=\"2.5\" fill=\"" CHART_LIMIT "\" cx=\"");
		svg_num(out, chart_x(c, k));
		buf_adds(out, "\" cy=\"");
		svg_num(out, chart_y(c, c->level[k]));
		buf_adds(out, "\"><title>");
		buf_adds(out, title);
		buf_adds(out, "</title></circle>");
	}
}

int live_chart(struct http_req *req, struct buf *out, const struct live_meter *m,
	       const struct plaza_hours *hours, int64_t now, const char *id, int width)
{
	static const char *const limit_keys[] = {"noise.live.short.cap", "noise.live.short.day",
						 "noise.live.short.night"};
	struct chart_data *c = arena_alloc(req->arena, sizeof(*c));
	double loudest = -1;
	int over = 0, rc;
	const char *desc, *limit_text;
	char top[24];
	int rows;

	if (!c)
		return LIN_ENOMEM;
	rc = chart_load(req->db, m, hours, now, c);
	if (rc)
		return rc;
	chart_axis(c);
	for (int k = 0; k < CHART_MINUTES; k++) {
		if (isnan(c->level[k]))
			continue;
		loudest = fmax(loudest, c->level[k]);
		over += llround(c->level[k] * 10.0) > c->limit[k] / 10;
	}
	if (loudest < 0) {
		desc = req_t(req, "noise.live.chart_empty");
	} else {
		snprintf(top, sizeof(top), "%.1f", loudest);
		desc = arena_printf(
		    req->arena, "%s %s dB(A)%s%s %d", req_t(req, "noise.live.chart_max"), top,
		    req_t(req, "noise.live.sep"), req_t(req, "noise.live.chart_over"), over);
	}
	snprintf(top, sizeof(top), "%lld", (long long)(c->limit[CHART_MINUTES - 1] / 100));
	limit_text = arena_printf(req->arena, "%s %s dB(A)", req_t(req, limit_keys[c->kind]), top);
	/* The layout for the width: the legend on the unit's row when both fit,
	 * else a row each; hourly ticks when half-hourly ones would touch. */
	c->w = width < 300 ? 300 : width;
	c->right = c->w - 12.0;
	rows = legend_width(limit_text) + 18.0 + legend_width("LAeq,1min") + 50.0 > c->w - 12.0 ? 2
												: 1;
	c->top = 14.0 + rows * CHART_ROW;
	c->h = c->top + (c->w < 500 ? 190.0 : 206.0) + 30.0;
	c->bottom = c->h - 30.0;
	c->tick_minutes = (c->right - CHART_LEFT) / (CHART_MINUTES / 30.0) < 48.0 ? 60 : 30;
	svg_begin(out, "svg-chart nl-chart-svg", id, (int)c->w, (int)c->h,
		  req_t(req, "noise.live.chart_title"), desc);
	svg_text(out, 4, 19, "start", NULL, CHART_TEXT, "dB(A)");
	chart_grid(out, c);
	chart_limit(out, c);
	chart_levels(out, c);
	if (rows == 1) {
		legend_item(out, legend_item(out, c->right, 19, CHART_LIMIT, 1, limit_text), 19,
			    CHART_LINE, 0, "LAeq,1min");
	} else {
		legend_item(out, c->right, 19, CHART_LINE, 0, "LAeq,1min");
		legend_item(out, c->right, 19 + CHART_ROW, CHART_LIMIT, 1, limit_text);
	}
	svg_end(out);
	return out->failed ? LIN_ENOMEM : 0;
}

/* ------------------------------------------------------------ events */

void live_sse_start(struct http_req *req, struct http_resp *resp)
{
	resp->status = 200;
	resp->content_type = "text/event-stream; charset=utf-8";
	resp_header(req, resp, "Cache-Control", "no-store");
	buf_reset(&resp->body);
	buf_addf(&resp->body, ": linli\nretry: %d\n\n", LIVE_RETRY_MS);
}

int live_sse_keep(struct http_req *req, struct http_resp *resp, const struct stream_source *src,
		  int64_t key, int64_t cursor)
{
	if (!req_wants_stream(req) || !resp_stream(req, resp, src, key, cursor))
		return 0;
	buf_reset(&resp->body);
	resp_header(req, resp, "Retry-After", "15");
	return resp_text(resp, 503, "text/plain; charset=utf-8", req_t(req, "sse.busy"));
}

int live_sse_event(struct buf *out, const char *type, int64_t id, json_t *data)
{
	char *text = data ? json_dumps(data, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;

	json_decref(data);
	if (!text)
		return LIN_ENOMEM;
	if (id >= 0)
		buf_addf(out, "id: %lld\n", (long long)id);
	buf_addf(out, "event: %s\ndata: %s\n\n", type, text);
	free(text);
	return out->failed ? LIN_ENOMEM : 0;
}
