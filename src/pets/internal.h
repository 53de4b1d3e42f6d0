/* Internal to src/pets: the rules' helpers (model.c), the store (store.c)
 * and what the pages and the API share (web.c, api.c). */
#ifndef LINLI_PETS_INTERNAL_H
#define LINLI_PETS_INTERNAL_H

#include "pets.h"

#include <stddef.h>
#include <stdint.h>

/* pets_day: the day number (since 1970-01-01) of "YYYY-MM-DD"; 0 or
 * LIN_EINVAL. */
int pets_day(const char *s, int64_t *day);
/* pets_day_text writes day as "YYYY-MM-DD" into out (at least 11 bytes). */
void pets_day_text(int64_t day, char *out, size_t n);
/* pets_rabies_due: the day a vaccination given on day falls due again
 * (the same date a year later; 29 February becomes 1 March). */
int64_t pets_rabies_due(int64_t day);
/* pets_today: now's Shanghai day number. */
int64_t pets_today(int64_t now);

/* store.c */
/* pets_household_of: the household of user_id's resident, 0 when none. */
int pets_household_of(struct db *db, int64_t area_id, int64_t user_id, int64_t *household_id);
/* pets_list: live pets, of household_id (0: the whole area) as a new
 * array of {id, household_id, household (building and door), kind, name,
 * licence_no, licence_issued_on, licence_expires_on, rabies_on,
 * owner_phone (the first resident's of the household with one; the
 * caller drops it for readers who may not see phones)}. */
int pets_list(struct db *db, int64_t area_id, int64_t household_id, json_t **out);
/* pets_reminders: the reminders sent for household_id's pets, newest
 * first: [{pet_id, kind, due_on, sent_at}]. */
int pets_reminders(struct db *db, int64_t area_id, int64_t household_id, json_t **out);
/* pets_pledge_sign records the household's pledge, signed by user_id as
 * signer (1 .. PETS_NAME_MAX characters), with its audit entry.
 * LIN_EINVAL (*key) for a bad name. */
int pets_pledge_sign(struct db *db, int64_t area_id, int64_t user_id, int64_t household_id,
		     const char *signer, int64_t now, const char **key);
/* pets_pledge_at: when household_id last signed, 0 never. */
int pets_pledge_at(struct db *db, int64_t household_id, int64_t *at);
/* The team's figures for its public page. */
struct pets_team {
	int64_t id;	    /* teams.id, 0 when the area has no such team */
	int64_t members;    /* members now (left_on NULL) */
	char formed_on[11]; /* the first member's joined_on, "" when none */
	int64_t pets;	    /* live pets registered in the area */
	int64_t households; /* households with one */
	int64_t pledges;    /* households that signed the pledge */
	char note[400];	    /* the registry's note on the team */
};
int pets_team_read(struct db *db, int64_t area_id, struct pets_team *out);

#endif
