/* Pets and the 携宠善行 team: each household's pets (a dog's licence and
 * every pet's rabies vaccination), reminders before either falls due, the
 * civilised-pet pledge (文明养宠承诺), the monthly heat map of pet reports
 * (cases of categories pet_waste and pet_nuisance) on the site plan and
 * the team's public page. docs/pets.md tells the rules; this header is
 * what other features (the residents' portal) and the command line may
 * call. */
#ifndef LINLI_PETS_PETS_H
#define LINLI_PETS_PETS_H

#include "../base/command.h"
#include "../db/jobs.h"
#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;

#define PETS_NAME_MAX	 40	    /* characters of a pet's name */
#define PETS_LICENCE_MAX 32	    /* characters of a licence number */
#define PETS_PER_HOUSE	 10	    /* live pets one household may register */
#define PETS_REMIND_DAYS 30	    /* a reminder goes this many days before the due day */
#define PETS_DEMO_USER	 "petowner" /* the demo's pet owner (password pushan-petowner) */
#define PETS_TEAM	 "\"携宠善行\"文明养宠自治团队" /* the team's name in the registry */

/* A pet as entered (a form field each; NULL or "" for none). */
struct pet_in {
	const char *kind;		/* "dog", "cat" or "other" */
	const char *name;		/* 1 .. PETS_NAME_MAX characters */
	const char *licence_no;		/* dogs only; letters, digits and '-' */
	const char *licence_issued_on;	/* YYYY-MM-DD, not after today; with licence_no */
	const char *licence_expires_on; /* YYYY-MM-DD, after issued_on, within 3 years of it */
	const char *rabies_on;		/* YYYY-MM-DD, not after today, not before 2000 */
};

/* pets_check: 0 when in may be registered on Shanghai day today (days
 * since 1970-01-01), else LIN_EINVAL with *field the form field and *key
 * the i18n key of the first problem. No I/O (model.c). */
int pets_check(const struct pet_in *in, int64_t today, const char **field, const char **key);

/* pets_add registers a pet of household_id (a live household of area_id)
 * in one transaction with its audit entry; actor_user_id is who did it (0:
 * the command line or the demo). LIN_EINVAL with *field and *key as
 * pets_check, LIN_ENOTFOUND for an unknown household, LIN_ECONFLICT past
 * PETS_PER_HOUSE. OUT: *id (may be NULL). */
int pets_add(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t household_id,
	     const struct pet_in *in, int64_t now, int64_t *id, const char **field,
	     const char **key);

/* pets_update replaces pet_id's fields with in (the same rules as
 * pets_add; a renewed licence or a new vaccination is a new due day,
 * reminded again), pets_archive takes it off the registry (it died, it
 * moved away); each in one transaction with its audit entry. household_id
 * is the caller's household (0: the committee, any household of the
 * area); a pet of another household is LIN_ENOTFOUND ("pets.err.pet"). */
int pets_update(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t household_id,
		int64_t pet_id, const struct pet_in *in, int64_t now, const char **field,
		const char **key);
int pets_archive(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t household_id,
		 int64_t pet_id, const char **key);

/* pets_remind_sweep: for every live pet whose licence expires, or whose
 * rabies vaccination falls due (a year after the last), within
 * PETS_REMIND_DAYS of now's Shanghai day (the due day itself included, and
 * until it has passed by that many days), and not yet reminded for that
 * due day: one inbox message (key "pets.inbox.licence" or
 * "pets.inbox.rabies") to each live account of the household and the
 * reminder recorded, in one transaction. OUT: *sent, the reminders
 * recorded. Returns 0, JOB_MORE after a full batch, or an error. */
int pets_remind_sweep(struct db *db, int64_t now, int *sent);

/* pets_webhook_set: where reminders of area_id also go (an http:// or
 * https:// URL, e.g. an SMS gateway; "" for the inbox only), audited. Each
 * reminder is then queued in the outbox with the household's phones.
 * LIN_EINVAL for another scheme, LIN_ETOOBIG past OUTBOX_TARGET_MAX. */
int pets_webhook_set(struct db *db, int64_t area_id, const char *url);

/* pets_resident_json: the pets of user_id's household and their due
 * days and reminders, for the residents' portal: a new object {household_id,
 * pledge_signed_at (or null), pets: [{id, kind, name, licence_no,
 * licence_issued_on, licence_expires_on, rabies_on, rabies_due_on,
 * reminders: [{kind, due_on, sent_at}]}]}; household_id 0 and no pets
 * for an account not linked to a resident with a household. */
int pets_resident_json(struct db *db, int64_t area_id, int64_t user_id, json_t **out);

/* pets_add_routes: /pets (my household's pets, the pledge), /pets/all
 * (the committee), /pets/map (the heat map), /pets/team (public) and
 * /api/v1/pets. */
int pets_add_routes(struct router *r);
extern const struct nav_item pets_nav[];
/* pets_jobs: the reminders ("pets.remind", every hour). */
extern const struct job pets_jobs[];
/* pets_commands: linli pets remind (one sweep now, or as of a day). */
extern const struct command pets_commands[];

/* pets_demo: pets for about one household in five, some reminded, the
 * pledge signed by some, and a year of pet reports falling month by month
 * since the 携宠善行 team formed, for `linli demo`. Deterministic. */
int pets_demo(struct db *db, int64_t area_id, int64_t now);
/* pets_demo_history: the pet reports of the demo's history (24 months,
 * falling from 18 a month to none), through cases_demo_report; run with the
 * other histories (not with --no-history). */
int pets_demo_history(struct db *db, int64_t area_id, int64_t now);

#endif
