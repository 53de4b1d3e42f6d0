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
