/* Noise monitoring: what the rest of linli uses (the subcommands, the
 * routes, the navigation, ...). Inside the feature, the rest of the feature
 * has its own headers: frames (hj212.h), weighting and levels (dsp.h),
 * audio (audio.h), readings in (ingest.h, hj212_server.h, mqtt.h), limits
 * (limits.h), alerts (alerts.h), the live views (live.h). */
#ifndef LINLI_NOISE_NOISE_H
#define LINLI_NOISE_NOISE_H

#include "../base/command.h"
#include "../web/page.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* A meter to register. */
struct noise_meter_new {
	const char *name;	/* unique among the area's meters */
	const char *zone_class; /* GB 3096-2008: "0", "1", "2", "3", "4a", "4b" */
	const char *mn;		/* an HJ 212 station's MN, or NULL */
	const char *password;	/* the station's password (with mn), or NULL */
	int64_t place_id;	/* the named place it stands at, or 0 */
	const char *watches;	/* what it watches ("东区、西区"), or NULL */
	int64_t zone_id;	/* the plaza zone it measures, or 0 */
};

/* noise_meter_add registers a meter inside the caller's write transaction
 * (it neither begins nor commits) with its audit entry (actor: "cli",
 * "demo", ...; the password is not in it). The one place meters are
 * inserted. LIN_ECONFLICT when the name or MN is taken. OUT: *id. */
int noise_meter_add(struct db *db, int64_t area_id, const struct noise_meter_new *m,
		    const char *actor, int64_t *id);

/* noise_commands: the noise subcommands (cli.c), for the command line. */
extern const struct command noise_commands[];
/* noise_nav: the link to the noise hub. */
extern const struct nav_item noise_nav[];

struct noise_result;
/* noise_cli_analyze_file analyses file into *r like noise_analyze_file,
 * printing the reason on standard error when it cannot. */
int noise_cli_analyze_file(const char *file, double calibration, char weighting,
			   char time_weighting, struct noise_result *r);
/* noise_parse_db reads a level in dB as typed on a command line: a plain
 * decimal from -50 to 200. */
int noise_parse_db(const char *s, double *out);
/* noise_parse_when reads YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] (a space may stand
 * for the T; without an offset, China Standard Time) as epoch seconds. */
int noise_parse_when(const char *s, int64_t *out);

struct db;
/* noise_demo_history publishes the demo plaza's timetables of last, this
 * and next week and feeds its meter the two days before now (alerts and
 * their cases follow from the readings). */
int noise_demo_history(struct db *db, int64_t area, int64_t now);

/* The demo's simulated evening (simulate.c): while `linli demo` serves,
 * the area's plaza meter is fed one reading a second, through
 * noise_store_readings, from an evening compressed into NOISE_SIM_CYCLE
 * seconds and repeated: quiet until NOISE_SIM_WARM, a team warming up
 * until NOISE_SIM_SONG, one song too loud (about 75 dB(A), so the 5-minute
 * cap alert opens) until NOISE_SIM_CALM, then back under the cap. Its
 * readings carry the source NOISE_SIM_SOURCE; the live page and the
 * display mark them as simulated. */
#define NOISE_SIM_SOURCE "simulated"
#define NOISE_SIM_CYCLE	 900
#define NOISE_SIM_WARM	 120
#define NOISE_SIM_SONG	 360
#define NOISE_SIM_CALM	 540
struct noise_sim;
/* noise_sim_level: the simulated LAeq,1s (dB, two decimals) s seconds
 * into the evening, with a little noise fixed by the epoch second t. */
double noise_sim_level(int64_t s, int64_t t);
/* noise_sim_start opens its own connection to db_url and starts feeding
 * the area's plaza meter (its first live meter watching a zone) from the
 * next second on; LIN_ENOTFOUND when the area has none. OUT: *out. */
int noise_sim_start(const char *db_url, int64_t area_id, struct noise_sim **out);
/* noise_sim_stop ends the thread and frees it (NULL is fine). */
void noise_sim_stop(struct noise_sim *s);

/* ---- what the plaza reads of the noise feature ---- */

/* One stored second of a meter, as the assessment and the plaza read it. */
struct noise_second {
	int64_t t;	    /* UTC epoch second */
	int64_t laeq_centi; /* LAeq,1s */
	int64_t lmax_centi; /* the second's maximum (its LAeq when none was sent) */
};

/* noise_seconds: the meter's readings with from <= t < to, by time, into
 * *out (caller frees) and *n; a second without a maximum has its LAeq. */
int noise_seconds(struct db *db, int64_t meter_id, int64_t from, int64_t to,
		  struct noise_second **out, size_t *n);

struct job;
#define NOISE_KEEP_DAYS_DEFAULT 180 /* readings_keep_days when not set */
#define NOISE_KEEP_DAYS_MIN	8   /* more than the 7 days a batch may reach back */
#define NOISE_KEEP_DAYS_MAX	36500
/* The noise.readings job's settings (parts.h): linli.conf's
 * readings_keep_days. */
struct noise_parts_config {
	int keep_days; /* raw seconds kept, days (the month holding the limit too) */
};
/* noise_parts_job describes the noise.readings job (partitions ahead,
 * retention, the rollup backlog); cfg is borrowed for the runner's life. */
void noise_parts_job(const struct noise_parts_config *cfg, struct job *out);

/* noise_zone_limits: the class's day and night LAeq limits in hundredths
 * (class "1": 5500 and 4500); LIN_EINVAL for an unknown class. */
int noise_zone_limits(const char *zone_class, int64_t *day_centi, int64_t *night_centi);

/* noise_alerts_list: the area's alerts (of one meter unless meter_id is
 * 0) opened at or after since, newest first, at most limit: [{id,
 * meter_id, meter, rule, kind, opened_t, last_loud_t, closed_t (null while
 * open), threshold, peak, teams, case_id}]. The caller decrefs *out, also
 * on error. */
int noise_alerts_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t since, int limit,
		      json_t **out);
/* noise_alerts_of_case: the alerts filed under case case_id of the area
 * (its first alert and those added to it since), oldest first, in the
 * same form: what the case page shows as the peak and how long it lasted.
 * The caller decrefs *out, also on error. */
int noise_alerts_of_case(struct db *db, int64_t area_id, int64_t case_id, json_t **out);

struct http_req;
/* noise_live_now: what each of the reader's area's meters reads now, as
 * GET /api/v1/noise/live answers: {now, time, meters: [{id, name, level
 * (null without a fresh reading), limit, limit_kind, class, teams, ...}]}.
 * The caller decrefs *out. */
int noise_live_now(struct http_req *req, json_t **out);

struct router;
/* noise_add_routes: every route of the noise feature (the hub, the
 * readings and minutes, reports, the live page and the public display, the
 * alerts list), in the order they must match. */
int noise_add_routes(struct router *r);

#endif
