/* Events (lectures, classes, games, the orienteering race) with
 * registration, a wait list, QR check-in and feedback. This header is
 * what other features (the monthly report, the units' yearly summary, the
 * residents' portal) and the composition root use. */
#ifndef LINLI_EVENTS_EVENTS_H
#define LINLI_EVENTS_EVENTS_H

#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;

/* Attendance and feedback of a set of events (not cancelled, started in
 * a period). */
struct events_stats {
	int events;	/* events started in the period */
	int capacity;	/* places offered by them */
	int registered; /* confirmed registrations (guardians' children included) */
	int waiting;	/* still on a wait list */
	int attended;	/* checked in, walk-ins included */
	int walk_ins;	/* of attended, came without registering */
	int no_shows;	/* confirmed, event ended, never checked in */
	int ratings;	/* feedback forms with a rating */
	int rating_sum; /* sum of those ratings (1..5 each): average = sum / ratings */
};

/* events_unit_stats: the figures of the events unit_id organised that
 * started in [from, to) in the area; for the unit's yearly summary. An
 * unknown unit has zero events. */
int events_unit_stats(struct db *db, int64_t area_id, int64_t unit_id, int64_t from, int64_t to,
		      struct events_stats *out);

/* events_period_stats: the same over every event of the area (the
 * monthly report's section). */
int events_period_stats(struct db *db, int64_t area_id, int64_t from, int64_t to,
			struct events_stats *out);

/* events_user_json: for the residents' portal, the account's own
 * registrations (newest event first): [{registration_id, event_id,
 * title, kind, starts_at, place, status, position_waiting, code,
 * checked_in, rating, children}] — status confirmed, waiting, cancelled
 * or walk_in; code only while confirmed. The caller decrefs *out, also on
 * error. */
int events_user_json(struct db *db, int64_t area_id, int64_t user_id, json_t **out);

/* events_demo writes a year of events before and after now (the
 * rubbish-sorting game, financial-risk lectures, preschool classes, a
 * youth orienteering race with its punches) through the feature's store,
 * deterministically. */
int events_demo(struct db *db, int64_t area_id, int64_t now);

/* events_add_routes: the pages, check-in, the race and /api/v1/events. */
int events_add_routes(struct router *r);
/* events_nav: the events list. */
extern const struct nav_item events_nav[];

#endif
