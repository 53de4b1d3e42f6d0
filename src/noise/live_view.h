/* Internal to the live noise views (live.c: the staff page, its event
 * stream and JSON; display.c: the public plaza display): a meter as they
 * show it, what it reads now against which limit, the chart of its last
 * hours, and the reads behind them (live_store.c, the only SQL). */
#ifndef LINLI_NOISE_LIVE_VIEW_H
#define LINLI_NOISE_LIVE_VIEW_H

#include "../base/buf.h"
#include "../plaza/plaza.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct http_req;
struct http_resp;

#define LIVE_FRESH_S	  10	      /* a reading older than this is "no data" */
#define LIVE_CHART_S	  (3 * 3600)  /* the chart's span */
#define LIVE_RECENT_S	  (24 * 3600) /* closed alerts shown this long */
#define LIVE_RETRY_MS	  1000	      /* the event stream's reconnection delay */
#define LIVE_NEAR_CENTI	  300	      /* within 3 dB of the limit is "near" */
#define LIVE_MAX_METERS	  32	      /* meters one page shows */
#define LIVE_MAX_ALERTS	  8	      /* alerts listed per meter, or sent per event */
#define LIVE_MAX_SESSIONS 16	      /* sessions read at one moment */
#define LIVE_MAX_ZONES	  16	      /* zones of one place on the display */

/* How a level stands against its limit (the colour classes). */
enum live_class {
	LIVE_NONE, /* no reading within LIVE_FRESH_S */
	LIVE_OK,   /* below limit - 3 dB */
	LIVE_NEAR, /* within 3 dB of the limit, or at it */
	LIVE_OVER, /* above the limit */
};

/* Which limit applies. */
enum live_limit {
	LIVE_LIMIT_CAP,	  /* the zone's volume cap (plaza_zones.volume_cap_centi) */
	LIVE_LIMIT_DAY,	  /* GB 3096 day limit of the meter's zone class */
	LIVE_LIMIT_NIGHT, /* GB 3096 night limit (the area's night hours) */
};

/* A live meter with what the views say about where it is. */
struct live_meter {
	int64_t id;	    /* meters.id */
	int64_t area_id;    /* the meter's area */
	char name[64];	    /* meters.name */
	char zone_class[4]; /* GB 3096 zone class, "0".."4b" */
	int64_t zone_id;    /* plaza_zones.id it watches, 0 for none */
	char zone[48];	    /* that zone's name, "" for none */
	int64_t cap_centi;  /* that zone's volume cap, -1 for none */
	int64_t place_id;   /* the zone's place, else the meter's own, 0 for none */
	char place[96];	    /* that place's name, "" for none */
};

/* What a meter reads now. */
struct live_now {
	int64_t now;	      /* the moment judged (UTC epoch second) */
	int64_t last_t;	      /* the latest reading's second, 0 when there is none */
	int64_t level_centi;  /* the latest LAeq,1s (valid when cls != LIVE_NONE) */
	int64_t limit_centi;  /* the limit that applies at now */
	enum live_limit kind; /* which limit that is */
	enum live_class cls;  /* the level against it */
	int simulated;	      /* the latest reading is the demo's simulation */
};

/* A row of noise_alerts as the views list it. */
struct live_alert {
	int64_t id;		 /* noise_alerts.id */
	int64_t meter_id;	 /* the meter that heard it */
	int64_t opened_t;	 /* first over (UTC epoch second) */
	int64_t closed_t;	 /* closed, 0 while open */
	int64_t peak_centi;	 /* the loudest metric while open */
	int64_t threshold_centi; /* the threshold crossed */
	int64_t case_id;	 /* the case filed, 0 for none */
	char teams[256];	 /* names of the teams scheduled then, "" for none */
};

/* A zone of a place, for the display. */
struct live_zone {
	int64_t id;	   /* plaza_zones.id */
	char name[48];	   /* its name */
	int64_t cap_centi; /* its volume cap, -1 for none */
};

/* ---- reads (live_store.c) ---- */

/* live_meters: the area's live meters by name, at most max into out. */
int live_meters(struct db *db, int64_t area_id, struct live_meter *out, int max, int *n);
/* live_meter_get: the live meter id of any area, or LIN_ENOTFOUND. */
int live_meter_get(struct db *db, int64_t id, struct live_meter *out);
/* live_latest: the meter's latest reading at or before t, or
 * LIN_ENOTFOUND. OUT: *at (its second), *laeq_centi, *simulated (1 when
 * its source is NOISE_SIM_SOURCE). */
int live_latest(struct db *db, int64_t meter_id, int64_t t, int64_t *at, int64_t *laeq_centi,
		int *simulated);
/* live_alerts: the area's alerts (of meter_id, 0 for every meter) with
 * id > after_id that are open or closed at or after since, newest first,
 * at most max into out. */
int live_alerts(struct db *db, int64_t area_id, int64_t meter_id, int64_t since, int64_t after_id,
		struct live_alert *out, int max, int *n);
/* live_alert_last: the area's highest alert id (0 when none). */
int live_alert_last(struct db *db, int64_t area_id, int64_t *out);
/* live_place_zones: the place's live zones by id, at most max into out. */
int live_place_zones(struct db *db, int64_t area_id, int64_t place_id, struct live_zone *out,
		     int max, int *n);

/* ---- judging and drawing (live_state.c) ---- */

/* live_now_read: the meter's latest reading at now and the limit that
 * applies (hours: the area's night). */
int live_now_read(struct db *db, const struct live_meter *m, const struct plaza_hours *hours,
		  int64_t now, struct live_now *out);
/* live_limit_at: the limit of m at second t, and which it is. */
int64_t live_limit_at(const struct live_meter *m, const struct plaza_hours *hours, int64_t t,
		      enum live_limit *kind);
/* live_classify: level against limit, both compared at 0.1 dB as
 * limits.c does (70.04 is at 70, 70.05 above). */
enum live_class live_classify(int64_t level_centi, int64_t limit_centi);
/* live_class_name: "none", "ok", "near", "over" (CSS and JSON). */
const char *live_class_name(enum live_class c);
/* live_limit_name: "cap", "day", "night". */
const char *live_limit_name(enum live_limit k);
/* live_clock writes t as Shanghai time, "YYYY-MM-DD HH:MM:SS" when
 * with_date is set, else "HH:MM:SS". */
void live_clock(int64_t t, int with_date, char *out, size_t n);
/* live_db: a level in hundredths as text with one decimal ("72.3"). */
void live_db(int64_t centi, char *out, size_t n);
/* live_fill: tmpl with "{x}" replaced by value (arena string). */
const char *live_fill(struct http_req *req, const char *tmpl, const char *value);

/* live_now_json: {"id","level","t","last_t","limit","limit_kind","class",
 * "time"} of one meter; level and t are null without a fresh reading. */
json_t *live_now_json(const struct live_meter *m, const struct live_now *s);
/* live_alert_json: one alert as the API and the event stream send it. */
json_t *live_alert_json(const struct live_alert *a);

/* live_chart appends an SVG of the meter's last LIVE_CHART_S seconds
 * before now: the LAeq of each clock minute (the energetic mean of its
 * seconds, or a station's minute when it sent no seconds), minutes without
 * data left as gaps, and the limit as a dashed step line. id prefixes the
 * element ids; texts come in the reader's language. width is the viewBox
 * width (at least 300) the chart is laid out for: drawn about one unit a
 * pixel, its 14-unit text stays readable (the page sends a narrow one for
 * phones and a wide one, and the stylesheet shows one). */
int live_chart(struct http_req *req, struct buf *out, const struct live_meter *m,
	       const struct plaza_hours *hours, int64_t now, const char *id, int width);

/* ---- the event stream ---- */

/* live_sse_start makes resp a text/event-stream answer that tells the
 * browser to come back after LIVE_RETRY_MS when it ends. */
void live_sse_start(struct http_req *req, struct http_resp *resp);
/* live_sse_event appends to out one event (type, optional id) carrying
 * data (reference stolen) as one line of JSON. */
int live_sse_event(struct buf *out, const char *type, int64_t id, json_t *data);
/* live_sse_keep: the answer resp_stream keeps open when the client asked
 * for a stream (its group: src, key, cursor), else resp as it is; a
 * server holding its bound of streams answers 503 (the browser's
 * script asks again later). */
struct stream_source;
int live_sse_keep(struct http_req *req, struct http_resp *resp, const struct stream_source *src,
		  int64_t key, int64_t cursor);
/* The live views' stream groups: an area's live page (key: the area) and
 * a meter's display (key: the meter); NOISE_TOPIC notifications name
 * "AREA METER". */
extern const struct stream_source live_area_source;
extern const struct stream_source live_display_source;
/* live_notified_meter: the meter of a NOISE_TOPIC notification's args. */
int64_t live_notified_meter(const char *args);
/* live_area_events appends what an area's live page hears now: the alerts
 * opened after *cursor (oldest first), then the levels with the highest
 * alert id, which becomes *cursor. */
int live_area_events(struct db *db, int64_t area_id, int64_t *cursor, struct buf *out);

#endif
