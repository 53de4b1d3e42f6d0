/* Cases: residents' reports and the work on them. This header is what
 * other features and main.c may use (noise opens cases through it). */
#ifndef LINLI_CASES_CASES_H
#define LINLI_CASES_CASES_H

#include "model.h"
#include "../db/jobs.h"
#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

struct db;
struct router;
struct session;

#define CASE_DESCRIPTION_MAX 4000 /* characters */
#define CASE_QUIET_DAYS	     7	  /* a resolved case closes itself after this */
#define REFERRAL_DAYS	     5	  /* working days an agency has to answer */
#define COMPLEX_DAYS	     15	  /* working days for an approved complex case */

/* A photo already stored (photos.h photo_store) to attach to a report. */
struct case_photo {
	char sha256[65];  /* content hash, the file's name */
	const char *mime; /* image/jpeg, image/png or image/webp */
	int64_t bytes;	  /* its size */
};

/* What a new report says. Unknown places are 0 / -1 / INT64_MIN. */
/* Who does something to a case, as the timeline and the audit name them. */
struct case_who {
	struct case_actor actor;    /* role, reporter or system */
	const struct session *sess; /* the signed-in user, NULL otherwise */
	const char *name;	    /* shown in the timeline */
};

struct arena;

struct case_new {
	int64_t area_id;	 /* the area it belongs to */
	const char *category;	 /* category code, e.g. "noise" */
	const char *description; /* plain text, at most CASE_DESCRIPTION_MAX chars */
	int64_t compound_id;	 /* where, if known */
	int64_t building_id;
	int64_t household_id;
	int plan_x, plan_y;	   /* point on the site plan (0..1000), -1 if none */
	int64_t lat_e6, lon_e6;	   /* WGS-84 microdegrees, INT64_MIN if none */
	const char *address;	   /* free text, may be "" */
	const char *reporter_name; /* may be "" */
	const char *reporter_phone;
	const char *reporter_email;
	int64_t reporter_user_id;	 /* 0 unless a signed-in user reported */
	const char *channel;		 /* web, phone, walk_in, api, open311 */
	json_t *answers;		 /* category question code -> value (borrowed) */
	const struct case_photo *photos; /* stored photos to attach (may be NULL) */
	int nphotos;
	int photos_public; /* the reporter allows their downscaled copies to be shown
			      publicly (a private category's never are) */
	const char
	    *internal_note;	 /* a note for staff only, e.g. a door that matched no household */
	int64_t subject_team_id; /* the team it is about (a noise alert's scheduled team), or 0 */
	const char *source_link; /* the page of this site it came from ("/surveys/3/visits/17"),
				    shown on the timeline as a link for staff; NULL or "" if none */
	struct arena *arena;	 /* where a question code named in an error is copied (the
				    request's); NULL: such an error names "answers" */
};

/* cases_open validates and writes a report (state submitted, deadlines set,
 * the category's default handler and agency, an inbox message for the
 * handler, an audit entry) in one transaction. actor is NULL for the public
 * form. OUT: *id and code (the tracking code). On LIN_EINVAL, *err_field
 * and *err_key name the problem (i18n key); *err_field is a static string
 * or a copy in in->arena. */
int cases_open(struct db *db, const struct session *actor, const struct case_new *in, int64_t *id,
	       char code[TRACKING_CODE_LEN + 1], const char **err_field, const char **err_key);

/* cases_reader_may_open: 1 when the signed-in reader may open case id of
 * their area (the case pages' own rule: PERM_CASES_READ, and a private
 * category only for those who may see private cases), else 0. Other
 * features ask it before they name or link a case (one door per thing). */
int cases_reader_may_open(struct http_req *req, int64_t id);

/* Every problem of a report at once, for a form that shows each beside its
 * field: the field's name (a form field or a question's code) and the
 * i18n key of what is wrong, in the order the form asks. */
#define CASE_ERRORS_MAX 16
struct case_errors {
	int n;
	const char *field[CASE_ERRORS_MAX];
	const char *key[CASE_ERRORS_MAX];
};
/* case_error_add appends one problem (the first CASE_ERRORS_MAX are kept). */
void case_error_add(struct case_errors *errs, const char *field, const char *key);
/* cases_check adds every problem cases_open would refuse in with (its
 * category, text, place, reporter, answers) to errs, writing nothing.
 * Returns 0 or a storage error. */
int cases_check(struct db *db, const struct case_new *in, struct case_errors *errs);
/* cases_team_open: the newest case of the category (code) about team_id
 * that is still being worked on (case_state_open), or 0 in *case_id. */
int cases_team_open(struct db *db, int64_t area_id, int64_t team_id, const char *category,
		    int64_t *case_id);
/* case_recur_notify: "it happened again" (case_recur), and a message
 * (inbox_key, an i18n key) for the case's handler team, in one
 * transaction. LIN_ECONFLICT when the case is no longer being worked on. */
int case_recur_notify(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
		      const char *note, const char *inbox_key);

/* cases_sweep closes resolved cases quiet for CASE_QUIET_DAYS (system). */
int cases_sweep(struct db *db, int64_t now, int *closed);
/* cases_jobs: the feature's periodic work (the sweep, every ten minutes),
 * for the job runner (db/jobs.h); ends with a NULL name. */
extern const struct job cases_jobs[];

/* cases_seed_categories gives an area the standard categories (noise,
 * shop disturbance, facility repair, pet waste, garbage sorting, neighbour
 * dispute (private), public safety, other) unless it has some already, in
 * one transaction with an audit entry (actor: "cli", ...). */
int cases_seed_categories(struct db *db, int64_t area_id, const char *actor);
/* cases_category_names: the area's live categories, private ones too,
 * as [{code, name_zh, name_en}] in the order the report form shows them
 * (a street's referral form). The caller decrefs *out. */
int cases_category_names(struct db *db, int64_t area_id, json_t **out);

/* cases_holidays_load reads "day,off|work[,name]" lines (a header row
 * "day,..." is skipped) into the holiday list, replacing those days; every
 * bad line is reported on errors and then nothing is written. */
int cases_holidays_load(struct db *db, const char *csv, size_t len, FILE *errors, int *loaded);
/* cases_holidays_list writes the list as CSV. */
int cases_holidays_list(struct db *db, FILE *out);

/* cases_demo_history files count demo reports spread over the half year
 * before now, in every state (a fixed seed: the same each time). */
int cases_demo_history(struct db *db, int64_t area_id, int64_t now, int count);
/* cases_demo_report files one demo report of category (a standard one, or
 * one handled as pet waste is) with text in compound_id, reported at
 * created, and takes the steps of its planned story that lie before now,
 * backdated, as cases_demo_history does (pets' demo: the falling trend). */
int cases_demo_report(struct db *db, int64_t area_id, const char *category, const char *text,
		      int64_t compound_id, int64_t created, int64_t now);
/* cases_demo_meter_case stamps a case a replayed meter alert filed with
 * the alert's moment t (the demo feeds past readings, so the case was
 * written at load time): first: the case's creation, deadlines, timeline
 * and messages; else one more occurrence of it, the oldest still later
 * than t. Call in the order of the alerts. */
int cases_demo_meter_case(struct db *db, int64_t id, int64_t t, int first);

/* cases_photos_sweep removes the photos a crash left half-written under
 * upload_dir more than an hour ago (serve calls it at start). */
int cases_photos_sweep(const char *upload_dir);

/* Where photos go: the folder, and the free space below which uploads
 * are refused (so a full disk never takes the database down with it). */
struct cases_uploads {
	const char *dir;	     /* upload_dir */
	unsigned long long min_free; /* bytes; 0: no floor */
};

/* The site plan's tile service (docs/operations.md), all "" or NULL for
 * none: the plan is then the server-drawn SVG alone. */
struct cases_map_tiles {
	const char *url;	 /* map_tiles: URL template with {z}, {x}, {y}, {s} */
	const char *crs;	 /* map_tiles_crs: "wgs84" or "gcj02" */
	const char *attribution; /* map_tiles_attribution */
};

/* cases_photo_keep: an uploaded photo of another feature (a meeting's)
 * checked, stripped of its metadata and stored under up->dir as a report's
 * photos are (content-addressed, with its view copy). OUT: *out. LIN_EINVAL
 * (not a JPEG, PNG or WebP, or damaged), LIN_ETOOBIG, LIN_ERANGE (too many
 * pixels), LIN_ENOSPC (below up->min_free), LIN_EIO. */
int cases_photo_keep(const struct cases_uploads *up, const unsigned char *data, size_t len,
		     struct case_photo *out);
struct http_resp;
/* cases_photo_send answers with the photo sha256 of type mime stored under
 * dir: its view copy (JPEG) when view, else the original as a download.
 * The caller has checked that the reader may see it; 404 without it. */
int cases_photo_send(struct http_req *req, struct http_resp *resp, const char *dir,
		     const char *sha256, const char *mime, int view);
/* cases_add_routes adds the case pages, the JSON API and Open311. up goes
 * with the routes that store and serve photos (as their data), tiles with
 * the site plan's; both are borrowed for the router's life. */
int cases_add_routes(struct router *r, const struct cases_uploads *up,
		     const struct cases_map_tiles *tiles);

struct http_req;
/* cases_today: the reader's case work as figures for a work page, a JSON
 * array of {"key", "count", "href"} with key "accept" (waiting to be
 * accepted), "overdue", "due_today", "awaiting_reporter" (resolved, the
 * reporter has not confirmed) and "referred" (no answer from the agency
 * yet); each count is exactly what href, the filtered queue, lists for
 * this reader. mine limits them to the reader's own open cases (assigned
 * to them or a team they belong to). Empty for readers of no cases. */
int cases_today(struct http_req *req, int mine, json_t **out);
/* cases_mine: the newest max reports the signed-in reader filed while
 * signed in, whatever their role: [{tracking_code, state, category (in
 * the reader's language), description, created_at, updated_at, overdue}].
 * Empty for anyone not signed in with a session. */
int cases_mine(struct http_req *req, int max, json_t **out);
/* cases_waiting: the max cases that have waited longest to be accepted,
 * of those the reader may open: [{id, state, category (the reader's
 * language), description (its first 60 characters), created_at,
 * overdue}]. Empty for readers of no cases. */
int cases_waiting(struct http_req *req, int max, json_t **out);
/* What the monthly report (src/report) says of an area's cases in the
 * month [from, to) (epoch seconds, Shanghai month bounds). */
struct cases_month {
	int64_t received;   /* reports created in the month */
	int64_t resolved;   /* reports resolved in the month (resolved_at) */
	int64_t overdue;    /* at the month's end: past resolve_due, neither resolved
			       nor closed by then */
	int64_t rated;	    /* ratings given in the month (rated_at) */
	int64_t stars;	    /* the sum of their stars */
	int64_t satisfied;  /* of those, 4 or 5 stars */
	int64_t mediations; /* mediation sessions held in the month (held_on) */
	int64_t agreements; /* of those, with an agreement written down */
};
/* cases_month fills *out for the area's month [from, to); private
 * categories count (the figures name nobody). */
int cases_month(struct db *db, int64_t area_id, int64_t from, int64_t to, struct cases_month *out);

/* cases_affairs: the cases as a meeting's agenda reads them (meetings/
 * drafts it): {"categories": [{id, code, name_zh, name_en, open, overdue,
 * oldest: [{id, created_at, description}] (the three oldest)}] for each
 * category with cases filed by now and open (in their state today), in
 * the categories' order; "reopened": [{id, category_id, description,
 * at}] reopened from from to now (both included); "poorly_rated": [{id,
 * category_id, description, rating}] rated 1 or 2 in the same span}. The
 * agenda goes to every invitee: cases are named by id, never by tracking
 * code, and a private category's description is "". The caller decrefs
 * *out, also on error. */
int cases_affairs(struct db *db, int64_t area_id, int64_t from, int64_t now, json_t **out);
/* cases_points: the reports of category code1 or code2 (e.g. "pet_waste",
 * "pet_nuisance") filed in [from, to), oldest first, for another
 * feature's plan: [{id, category, created_at, compound_id, building_id,
 * plan_x, plan_y, lat_e6, lon_e6}]. The same door as the case pages: a
 * reader who may not read cases (PERM_CASES_READ) gets LIN_EPERM and
 * nothing, and a private category's reports only reach those who may
 * open them. The caller decrefs *out (NULL on error). */
int cases_points(struct http_req *req, const char *code1, const char *code2, int64_t from,
		 int64_t to, json_t **out);
/* cases_count_times: when each report of code1 or code2 was filed in
 * [from, to), oldest first, as a JSON array of integers (epoch seconds),
 * for a public trend: it names no one and no place, and counts private
 * categories as the statistics do. */
int cases_count_times(struct db *db, int64_t area_id, const char *code1, const char *code2,
		      int64_t from, int64_t to, json_t **out);
/* cases_nav: the queue, the handler's inbox and the report form. */
extern const struct nav_item cases_nav[];

#endif
