/* The hours feature's store (store.c): who a ledger entry belongs to and
 * the reads pages and the API share. Internal to src/hours. Ownership:
 * every json_t ** OUT is a new reference the caller decrefs. */
#ifndef LINLI_HOURS_STORE_H
#define LINLI_HOURS_STORE_H

#include <jansson.h>
#include <stdint.h>

struct db;

/* A person as the ledger keys them. */
struct hours_person {
	int64_t resident_id; /* residents.id, 0: none on record */
	int64_t member_id;   /* members.id, 0: not a Party member */
	char key[24];	     /* "r<resident id>", else "m<member id>" */
};

/* hours_person_resolve checks the resident and/or member of area_id and
 * fills out (a member's resident, a resident's member). LIN_EINVAL,
 * LIN_ENOTFOUND with *why an i18n key, or a db error. */
int hours_person_resolve(struct db *db, int64_t area_id, int64_t resident_id, int64_t member_id,
			 struct hours_person *out, const char **why);

/* hours_today: today's Shanghai day number. */
int64_t hours_today(void);

#endif

/* hours_entry_minutes: the minutes of ledger entry id of area_id, or
 * LIN_ENOTFOUND. */
int hours_entry_minutes(struct db *db, int64_t area_id, int64_t id, int64_t *out);

/* hours_entries_read: the ledger entries of person (a key; NULL: every
 * person) with from <= day <= to (either NULL: open), newest day first:
 * [{id, person, resident_id, member_id, name, kind, minutes, source,
 * source_id, day, note, reverses_id, pair_id, reversed_by, created_at}]
 * (name: the resident's, else the member's; reversed_by: the reversal's
 * id, null when none). */
int hours_entries_read(struct db *db, int64_t area_id, const char *person, const char *from,
		       const char *to, json_t **out);

/* hours_user_person: the person of signed-in user_id (users.resident_id,
 * else nobody: LIN_ENOTFOUND). */
int hours_user_person(struct db *db, int64_t area_id, int64_t user_id, struct hours_person *out);

/* A person's sums: all time from the balances table, the year's served
 * minutes from the ledger. */
struct hours_sums {
	int64_t served_minutes; /* service + reversals, all time */
	int64_t bank_minutes;	/* the time bank: served, minus given, plus received */
	int64_t year_minutes;	/* served on days of the given year */
};
int hours_sums_get(struct db *db, const struct hours_person *p, int year, struct hours_sums *out);
/* hours_served_between: minutes served by p on days from..to. */
int hours_served_between(struct db *db, const struct hours_person *p, const char *from,
			 const char *to, int64_t *out);

/* hours_household_read: the other live residents of resident_id's
 * household, [{id, name}] (empty when it has none). */
int hours_household_read(struct db *db, int64_t area_id, int64_t resident_id, json_t **out);

/* hours_give moves credits (whole hours) of from's time bank to
 * to_resident_id, a resident of from's own household: a gift_out entry
 * on from's side and a gift_in on the other, in one transaction with the
 * audit entry; never more than from's bank balance. LIN_EINVAL,
 * LIN_EPERM (not the same household) with *why, or a db error. OUT:
 * *out_id, the gift_out entry. */
int hours_give(struct db *db, int64_t area_id, int64_t user_id, const struct hours_person *from,
	       int64_t to_resident_id, int64_t credits, int64_t *out_id, const char **why);

/* hours_people_read: every person with a balance, [{person, resident_id,
 * member_id, name, served_minutes, bank_minutes, entries, in_post}] by
 * name. */
int hours_people_read(struct db *db, int64_t area_id, json_t **out);
/* hours_person_key_parse reads "r12" / "m5" into a person (checked by
 * hours_person_resolve). */
int hours_person_key_parse(struct db *db, int64_t area_id, const char *key,
			   struct hours_person *out, const char **why);
/* hours_person_name: the resident's name, else the member's. */
int hours_person_name(struct db *db, const struct hours_person *p, char *out, size_t n);

/* The points table: points[i] for hours_item_names[i] (the default when
 * the area has no row). */
int hours_points_get(struct db *db, int64_t area_id, int64_t points[]);
/* hours_target_get: the hours asked of member_id in year: their own
 * target, else the in-post default when the member is in post, else 0.
 * OUT: *minutes, *own (1: their own row). */
int hours_target_get(struct db *db, int64_t area_id, int64_t member_id, int year, int64_t *minutes,
		     int *own);
/* hours_members_read: live members with their year's served minutes,
 * [{id, name, resident_id, in_post, year_minutes, target_minutes (own row
 * or null)}] by name. */
int hours_members_read(struct db *db, int64_t area_id, int year, json_t **out);

/* hours_committee: the area's name and street, for certificates. */
int hours_committee(struct db *db, int64_t area_id, char *area, size_t an, char *street, size_t sn);

/* hours_team_members_read: the area's live teams and their members'
 * terms, [{team_id, team, joined_on, left_on (null: still in)}] by team. */
int hours_team_members_read(struct db *db, int64_t area_id, json_t **out);
/* hours_events_between: p's event credits (not wholly reversed) on days
 * from..to. */
int hours_events_between(struct db *db, const struct hours_person *p, const char *from,
			 const char *to, int64_t *out);
/* hours_entry_person: the person key of entry id of area_id into out, or
 * LIN_ENOTFOUND. */
int hours_entry_person(struct db *db, int64_t area_id, int64_t id, char *out, size_t n);
/* hours_target_default: the in-post members' target of year (0: none). */
int hours_target_default(struct db *db, int64_t area_id, int year, int64_t *minutes);
/* hours_member_live: 0 when member_id is a live member of area_id, else
 * LIN_ENOTFOUND. */
int hours_member_live(struct db *db, int64_t area_id, int64_t member_id);
