/* Service hours (志愿服务时长): an append-only ledger of minutes served by
 * residents and Party members, corrected only by reversing entries; a time
 * bank (时间银行, 1 hour served = 1 credit) carried by the same ledger; the
 * points table and yearly targets of Party members. What other features
 * may call: duty credits a checked-out shift with hours_credit, the
 * command line checks the balances with hours_verify. docs/hours.md. */
#ifndef LINLI_HOURS_HOURS_H
#define LINLI_HOURS_HOURS_H

#include "../base/command.h"
#include "../web/page.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;
struct router;

#define HOURS_CREDIT_MAX_MINUTES (24 * 60) /* one entry: at most a day */
#define HOURS_NOTE_MAX		 200	   /* characters of a note or a reason */

/* A credit of service minutes to one person. */
struct hours_credit_in {
	int64_t resident_id; /* residents.id; 0: take the member's resident, if any */
	int64_t member_id;   /* members.id; 0: take the resident's member, if any */
	int64_t minutes;     /* 1 .. HOURS_CREDIT_MAX_MINUTES */
	const char *source;  /* "shift", "activity", "event" or "manual" */
	int64_t source_id;   /* the shift's (activity's, event's) id; 0: none.
				A person is credited once per source and id. */
	const char *day;     /* the Shanghai day served, YYYY-MM-DD, not in the future */
	const char *note;    /* may be NULL; at most HOURS_NOTE_MAX characters */
};

/* hours_credit appends a service entry for in's person, raises their
 * balances and writes the audit entry ("hours_entries", "credit"), inside
 * the caller's write transaction (it begins and commits nothing: duty calls
 * it in the transaction that checks a shift out; pages, the API and the
 * command line each wrap it in one). actor_user_id is users.id of who did
 * it (0: the command line, audited as "cli"). At least one of resident_id
 * and member_id must name a live row of area_id; when both are given they
 * must be the same person (members.resident_id). OUT: *out_id, the entry
 * (may be NULL). Returns 0; LIN_EINVAL for bad input, LIN_ENOTFOUND for an
 * unknown person, LIN_ECONFLICT when this source already credited this
 * person, each with *why set to the message's i18n key (it names the
 * field: i18n_t(lang, *why) in web/i18n.h); or a db error. why may be
 * NULL. */
int hours_credit(struct db *db, int64_t area_id, int64_t actor_user_id,
		 const struct hours_credit_in *in, int64_t *out_id, const char **why);

/* hours_correct appends a reversal of minutes (1 .. the entry's minutes)
 * of service entry entry_id, with reason (required), in its own
 * transaction with the audit entry ("hours_entries", "reverse"). An entry
 * is reversed at most once (LIN_ECONFLICT); a reversal of more than the
 * entry, of a reversal or of a time-bank entry is LIN_EINVAL. OUT:
 * *out_id. why as hours_credit. */
int hours_correct(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t entry_id,
		  int64_t minutes, const char *reason, int64_t *out_id, const char **why);

/* hours_verify recomputes every person's balances from the ledger and
 * compares them with the stored ones; it also checks each reversal (same
 * person, not more than its entry) and each time-bank transfer (both
 * sides present and equal). *bad counts the discrepancies; each is
 * printed to report (one line, zh-CN then English) when report is not
 * NULL. *people counts the balances checked. Returns 0 or a db error. */
int hours_verify(struct db *db, int64_t *people, int64_t *bad,
		 void (*report)(void *ctx, const char *line), void *ctx);

/* hours_give_credits moves credits (whole hours of the time bank) from
 * resident from_resident_id to to_resident_id, a member of the same
 * household: an entry each side, in its own transaction with the audit
 * entry; never more than the giver's balance. LIN_EINVAL, LIN_EPERM (not
 * the same household), LIN_ENOTFOUND with *why an i18n key; or a db
 * error. OUT: *out_id, the giver's entry. */
int hours_give_credits(struct db *db, int64_t area_id, int64_t actor_user_id,
		       int64_t from_resident_id, int64_t to_resident_id, int64_t credits,
		       int64_t *out_id, const char **why);
/* hours_points_set stores the area's whole points table (one value per
 * item, in the order meeting_attended, hour_served, action_item_done,
 * event_joined); hours_target_set the hours asked of member_id (0: every
 * in-post member) in year, in minutes (-1 removes a member's own). Each
 * in its own audited transaction; user_id as actor_user_id above. */
#define HOURS_ITEMS 4
int hours_points_set(struct db *db, int64_t area_id, int64_t user_id,
		     const int64_t points[HOURS_ITEMS]);
int hours_target_set(struct db *db, int64_t area_id, int64_t user_id, int64_t member_id, int year,
		     int64_t minutes);

/* What the monthly report (src/report) says of a month's service: the
 * minutes served on first_day..last_day (YYYY-MM-DD, the days served;
 * service entries less their reversals) and how many people served. */
struct hours_month {
	int64_t minutes;       /* every source */
	int64_t shift_minutes; /* of those, duty shifts */
	int64_t people;	       /* people with minutes served */
};
int hours_month(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		struct hours_month *out);
/* hours_month_teams: the same month's minutes by team, counting a
 * person for each team their resident belonged to on last_day: a new
 * JSON array [{team, minutes}] by team name. */
int hours_month_teams(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		      json_t **out);

/* hours_member_minutes: the minutes each Party member served on
 * first_day..last_day (service entries less their reversals; the time
 * bank's moves are not service), counting the entries credited to the
 * member and to the member's resident: a new JSON object
 * {"<members.id>": minutes} holding the members with any. The meetings'
 * secretary's view reads it. */
int hours_member_minutes(struct db *db, int64_t area_id, const char *first_day,
			 const char *last_day, json_t **out);

/* hours_user_json: for the residents' portal, the minutes user_id's
 * person (users.resident_id) served: a new object {served_minutes,
 * bank_minutes, year_minutes} (year: the Shanghai year of now);
 * LIN_ENOTFOUND for an account with no resident. */
int hours_user_json(struct db *db, int64_t area_id, int64_t user_id, int year, json_t **out);

/* hours_add_routes: /hours (my hours, staff views, certificates, points
 * table, team growth) and /api/v1/hours/... */
int hours_add_routes(struct router *r);
extern const struct nav_item hours_nav[];
/* hours_commands: linli hours credit, correct and list (the balances are
 * checked by linli audit verify, through hours_verify). */
extern const struct command hours_commands[];

#endif
