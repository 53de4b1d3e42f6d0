/* The cases feature's store, internal to it: reads (store.c), writes
 * (write.c, followup.c) and the holiday list (holidays.c). Rows travel as
 * JSON objects the caller owns and decrefs, also on error. Besides these,
 * the pages, Open311, the statistics and the site plan still read a few
 * lists with their own SQL (docs/architecture.md, "SQL outside the store
 * files"). */
#ifndef LINLI_CASES_STORE_H
#define LINLI_CASES_STORE_H

#include "cases.h"

struct session;

/* Who acts on a case, for the state machine and the timeline. */
/* What an action carries besides the action itself. */
struct case_act_args {
	const char *note;	 /* reason, answer or resolution; "" if none */
	int public_note;	 /* the note may be shown on the public page */
	int64_t handler_team_id; /* ACT_ASSIGN: a team, or */
	int64_t handler_user_id; /* ... a user */
	int64_t agency_unit_id;	 /* ACT_REFER */
	const char *reference;	 /* ACT_REFER: the agency's reference number */
	int64_t duplicate_of;	 /* ACT_DUPLICATE: the original case */
};

struct case_category {
	int64_t id;
	char code[32];
	int private_;		 /* never shown publicly */
	int64_t handler_team_id; /* default handler, 0 if none */
	int64_t agency_unit_id;	 /* default agency, 0 if none */
	int resolve_days;	 /* working days to resolve */
	json_t *questions;	 /* array of question objects (owned) */
};

struct case_filter {
	const char *state;   /* a state name, or NULL */
	int64_t category_id; /* 0 for all */
	int64_t compound_id;
	int64_t handler_team_id;
	int overdue;	  /* only cases past a deadline */
	int awaiting;	  /* only cases waiting to be accepted (new or reopened) */
	int due_today;	  /* only cases not overdue with a deadline before today ends */
	int64_t mine;	  /* users.id: only open cases handled by them or their team */
	int64_t reporter; /* users.id: only cases they reported while signed in */
	int64_t from, to; /* created_at range, 0 for open-ended */
	int public_only;  /* leave out private categories */
	const char *sort; /* "created", "updated", "due" (default: newest first) */
	int64_t page, per_page;
};

int case_category_get(struct db *db, int64_t area_id, const char *code, struct case_category *out);
void case_category_release(struct case_category *c);
/* case_categories: the area's live categories as JSON (id, code, names,
 * private, questions, resolve_days, handler and agency). */
int case_categories(struct db *db, int64_t area_id, int public_only, json_t **out);

/* case_get: one case with its category names and deadlines, NULL-free. */
int case_get(struct db *db, int64_t area_id, int64_t id, json_t **out);
int case_id_by_code(struct db *db, const char *code, int64_t *area_id, int64_t *id);
/* case_is_private: whether case id of the area is of a private category;
 * LIN_ENOTFOUND when the area has no such case. OUT: *private_. */
int case_is_private(struct db *db, int64_t area_id, int64_t id, int *private_);
int case_list(struct db *db, int64_t area_id, const struct case_filter *f, int64_t now,
	      json_t **items, int64_t *total);
int case_counts(struct db *db, int64_t area_id, int64_t now, json_t **out);
/* case_count: how many cases f selects, as case_list's total. */
int case_count(struct db *db, int64_t area_id, const struct case_filter *f, int64_t now,
	       int64_t *n);
int case_events(struct db *db, int64_t id, int public_only, json_t **out);
int case_mediations(struct db *db, int64_t id, json_t **out);
int case_referrals(struct db *db, int64_t id, int64_t now, json_t **out);
int case_photos(struct db *db, int64_t id, json_t **out);
/* case_public_photo: photo sha256 of case id may be shown to anyone (its
 * reporter allowed it and the category is not private). OUT: its mime
 * (n bytes). 0, LIN_ENOTFOUND, or a db error. */
int case_public_photo(struct db *db, int64_t id, const char *sha256, char *mime, size_t n);
/* case_inbox: the newest 100 messages for user_id, or for a team the
 * user's resident belongs to now, [{id, case_id, at, message_key, read}]
 * in *out, and how many are unread. */
int case_inbox(struct db *db, int64_t area_id, int64_t user_id, json_t **out, int64_t *unread);
/* case_inbox_read marks one of those messages (id > 0), or all of them,
 * read at now; LIN_ENOTFOUND when id is not one of the user's messages. */
int case_inbox_read(struct db *db, int64_t area_id, int64_t user_id, int64_t id, int64_t now);
/* case_photo_count: 1 when case id of the area has the photo sha256 of
 * that type, else 0, in *n. */
int case_photo_count(struct db *db, int64_t area_id, int64_t id, const char *sha256,
		     const char *mime, int64_t *n);

/* case_act moves a case through the state machine with everything the
 * action carries, an event, an audit entry and notifications, in one
 * transaction. LIN_EPERM (this actor may not), LIN_ECONFLICT (not from
 * this state), LIN_EINVAL (*err_key says what is missing). */
int case_act(struct db *db, int64_t area_id, int64_t id, enum case_action action,
	     const struct case_who *who, const struct case_act_args *args, const char **err_key);
/* case_note adds a note to the timeline (public or internal). */
int case_note(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
	      const char *note, int public_note);
/* case_recur: "it happened again" from the reporter or staff. */
int case_recur(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
	       const char *note);
/* case_rate: the reporter's 1..5 and comment; a rating of 2 or less sends
 * the case back for review, a higher one confirms a resolved case. */
int case_rate(struct db *db, int64_t area_id, int64_t id, int rating, const char *comment,
	      const char **err_key);
/* case_set_complex: secretary's approval of the 15-day limit. */
int case_set_complex(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
		     int complex);
int case_add_mediation(struct db *db, int64_t area_id, int64_t id, const struct case_who *who,
		       const char *held_on, const char *parties, const char *mediators,
		       const char *agreement, const char *follow_up_on, const char **err_key);
int case_add_photo(struct db *db, int64_t id, const char *sha256, const char *mime, int64_t bytes);
/* case_duplicates: open cases that may report the same thing as place
 * (scored by duplicate_score), best first, at most max: [{id,
 * tracking_code, state, created_at, description, recurrences, score,
 * place: {compound, building} (names, "" for none), public_photo (the
 * first photo's sha256 when its reporter let it be shown and the category
 * is public, else null)}]. */
int case_duplicates(struct db *db, int64_t area_id, const struct case_place *place,
		    int64_t exclude_id, int max, json_t **out);
/* case_calendar: the working-day calendar from the holidays table. The
 * arrays are owned by the caller: free cal->off and cal->work. */
int case_calendar(struct db *db, struct workday_calendar *cal);
void case_calendar_release(struct workday_calendar *cal);

/* ---- shared by the writing files (write.c, followup.c) ---- */
struct case_state_row {
	enum case_state state; /* current state */
	int64_t created_at;    /* when reported */
	int64_t category_id;   /* its category */
	int complex;	       /* approved for the longer limit */
};

int case_load_state(struct db *db, int64_t area_id, int64_t id, struct case_state_row *out);
/* case_event_add adds a timeline entry (inside the caller's transaction). */
int case_event_add(struct db *db, int64_t id, const struct case_who *who, const char *kind,
		   const char *from, const char *to, const char *note, int public_note,
		   int64_t now);
/* case_audit writes the audit entry for a change to case id. */
int case_audit(struct db *db, const struct case_who *who, int64_t area_id, const char *action,
	       int64_t id, const char *before, const char *after);

#endif
