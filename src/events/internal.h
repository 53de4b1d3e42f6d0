/* What the files of src/events share: the event and registration rows,
 * the store's writes (store.c, each in its own transaction with its audit
 * entry) and reads. Not for other features: they use events.h. */
#ifndef LINLI_EVENTS_INTERNAL_H
#define LINLI_EVENTS_INTERNAL_H

#include "events.h"
#include "race.h"
#include "../web/router.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct session;

#define EVENT_TITLE_MAX	   200	/* bytes of a title */
#define EVENT_TEXT_MAX	   2000 /* bytes of a place, detail or comment */
#define EVENT_NAME_MAX	   60	/* bytes of a registrant's or a child's name */
#define EVENT_CHILDREN_MAX 4	/* children one guardian registers at once */
#define EVENT_CODE_LEN	   8	/* characters of a check-in code */
#define EVENT_CAPACITY_MAX 100000

struct event_in {
	const char *kind;      /* lecture, class, game, race */
	const char *title;     /* 1..EVENT_TITLE_MAX bytes */
	const char *detail;    /* may be NULL */
	const char *organiser; /* committee, team, unit */
	int64_t team_id;       /* organiser team */
	int64_t unit_id;       /* organiser unit */
	const char *place;     /* may be NULL */
	int64_t starts_at, ends_at;
	const char *audience; /* all, children, members */
	int64_t capacity;
	int64_t opens_at, closes_at; /* registration window */
	int64_t project_id;	     /* 0: none */
	const char *race_rule;	     /* ordered, score (races) */
	int64_t time_limit;	     /* seconds (score) */
	int64_t penalty_per_minute;  /* points (score) */
};

struct event_row {
	int64_t id;
	char kind[16], audience[16], race_rule[16];
	char title[EVENT_TITLE_MAX + 1];
	int64_t starts_at, ends_at, opens_at, closes_at;
	int64_t capacity, registered;
	int64_t time_limit, penalty_per_minute;
	int cancelled;
};

/* A registration: an account (user_id) or a name and phone; children's
 * names for a guardian. */
struct reg_in {
	int64_t user_id;   /* 0: by name and phone */
	const char *name;  /* the registrant's name */
	const char *phone; /* required without an account */
	const char *children[EVENT_CHILDREN_MAX];
	int nchildren;
};

/* What a registration became. */
struct reg_out {
	int64_t id;	 /* the registration */
	char status[16]; /* confirmed or waiting */
	char code[EVENT_CODE_LEN + 1];
	int waiting; /* position on the wait list (1..), 0 when confirmed */
};

/* events_audit appends the audit entry of a change of entity id (after:
 * what it became, consumed), the session's user as actor (NULL: the
 * demo); inside the caller's transaction. */
int events_audit(struct db *db, const struct session *s, int64_t area_id, const char *action,
		 const char *entity, int64_t id, json_t *after);
/* events_finish commits when rc is 0, else rolls back; rc or the commit's. */
int events_finish(struct db *db, int rc);

int event_kind_valid(const char *s);
int event_audience_valid(const char *s);
/* event_places: places a registration takes: the registrant and each
 * child, but for a children's event only the children (the guardian
 * comes along). */
int event_places(const char *audience, int nchildren);

int event_create(struct db *db, const struct session *s, int64_t area_id, const struct event_in *in,
		 int64_t *id, const char **key);
int event_get(struct db *db, int64_t area_id, int64_t id, struct event_row *out);
/* events_list_json: the area's events from `from` on (0: all), public
 * fields only: no one's name. */
int events_list_json(struct db *db, int64_t area_id, int64_t from, json_t **out);

/* event_register: LIN_EINVAL with *key for bad input or a closed
 * window, LIN_ECONFLICT (events.err.twice) for a second live
 * registration. Confirmed while places remain, else waiting. */
int event_register(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		   const struct reg_in *in, int64_t now, struct reg_out *out, const char **key);
/* event_cancel: the registration with code (and, when user_id is not 0,
 * belonging to that account) stops; its places go to the wait list in
 * order of arrival (a family that does not fit is passed over for the next
 * who does), each promoted registrant told through the inbox.
 * OUT: *promoted (may be NULL). */
int event_cancel(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		 const char *code, int64_t user_id, int64_t now, int *promoted, const char **key);
/* event_checkin: staff check in the registration with code at event_id.
 * LIN_ENOTFOUND (events.err.code), LIN_EINVAL (events.err.other_event: a
 * code of another event; events.err.not_confirmed), LIN_ECONFLICT
 * (events.err.already). OUT: out (name masked by the caller). */
int event_checkin(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		  const char *code, int64_t now, char *name, size_t n, const char **key);
int event_walk_in(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		  const char *name, const char *phone, int64_t now, const char **key);
/* event_feedback: rating 1..5 and a comment from a registrant who was
 * checked in, once the event has ended; a second form replaces the first. */
int event_feedback(struct db *db, int64_t area_id, int64_t event_id, const char *code, int rating,
		   const char *comment, int64_t now, const char **key);
/* event_attendees_json: staff's list, phones masked unless show_phone. */
int event_attendees_json(struct db *db, int64_t area_id, int64_t event_id, int show_phone,
			 json_t **out);

/* The race. */
int race_checkpoint_add(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
			const char *code, const char *name, int points, int64_t lon, int64_t lat,
			const char **key);
int race_team_add(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		  const char *code, const char *name, int64_t start_at, const char **key);
/* race_punch: the team with team_code at the checkpoint with cp_code, at
 * now. Refused: unknown codes (LIN_ENOTFOUND), not started or finished
 * (LIN_EINVAL), a second punch there (LIN_ECONFLICT). An ordered race's
 * last checkpoint finishes the team. */
int race_punch(struct db *db, int64_t area_id, int64_t event_id, const char *cp_code,
	       const char *team_code, int64_t now, const char **key);
int race_finish(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		const char *team_code, int64_t now, const char **key);
/* race_results_json: {rule, checkpoints:[{code,name,points}], results:[{rank,
 * team, code, found, points, penalty, minutes_late, score, elapsed,
 * finished, marks:["ok"|"missed"|"wrong_order"...]}]}. */
int race_results_json(struct db *db, int64_t area_id, int64_t event_id, json_t **out);
/* race_checkpoints_json: [{id, seq, code, name, points, lon, lat}]. */
int race_checkpoints_json(struct db *db, int64_t area_id, int64_t event_id, json_t **out);

/* event_org_find: the id of the area's team or unit ("teams", "units")
 * named name (0 when there is none), for the demo. */
int event_org_find(struct db *db, int64_t area_id, const char *table, const char *name,
		   int64_t *id);

/* The web side (api.c, pages.c). */
struct http_req;
struct http_resp;

/* events_area: the reader's area, or a passer-by's (?area=, or the only one). */
int events_area(struct http_req *req, int64_t *area_id);
/* events_param_id: path capture i as a positive id, 0 if it is not one. */
int64_t events_param_id(struct http_req *req, int i);
/* events_refuse answers a store error: 409, 404 or 422 with key's message. */
int events_refuse(struct http_req *req, struct http_resp *resp, int rc, const char *key);
struct html;
/* Pages share the layout's start and end and the time as Shanghai reads it. */
void events_page_begin(struct http_req *req, struct http_resp *resp, struct html *h,
		       const char *title);
int events_page_end(struct http_req *req, struct http_resp *resp, struct html *h, int status);
const char *events_when(struct http_req *req, int64_t t);
int events_new_page(struct http_req *req, struct http_resp *resp);
int events_new_submit(struct http_req *req, struct http_resp *resp);
int events_race_page(struct http_req *req, struct http_resp *resp);
int events_punch_page(struct http_req *req, struct http_resp *resp);
int events_punch_submit(struct http_req *req, struct http_resp *resp);
int events_checkpoint_submit(struct http_req *req, struct http_resp *resp);
int events_team_submit(struct http_req *req, struct http_resp *resp);
int events_posters_page(struct http_req *req, struct http_resp *resp);
extern const struct route events_api_routes[];
extern const struct route events_page_routes[];

#endif
