/* The front door. "/" is the residents' page for anyone not signed in (and
 * for a signed-in resident, with their own reports), and the work page for
 * those who work cases; /qr is the notice board's poster of the residents'
 * page; /area/profile is where the committee says where it is, when it is
 * open, how to call it and who is on duty, which the residents' page shows. */
#ifndef LINLI_HOME_HOME_H
#define LINLI_HOME_HOME_H

#include "../base/command.h"
#include "../web/page.h"

#include <stdint.h>

struct db;
struct router;

#define HOME_TEXT_MAX 200 /* characters in the address and the office hours */

/* What the committee tells residents about itself. */
struct home_profile {
	char address[4 * HOME_TEXT_MAX + 1];	  /* where the office is */
	char phone[64];				  /* the office's phone number */
	char office_hours[4 * HOME_TEXT_MAX + 1]; /* e.g. 周一至周五 8:30–17:00 */
	int64_t duty[8]; /* users.id on duty, [1] Monday .. [7] Sunday; 0 none */
};

/* home_profile_get reads the area's profile (empty strings and no duty
 * when nothing was set). */
int home_profile_get(struct db *db, int64_t area_id, struct home_profile *out);
/* home_profile_check: NULL when p may be stored for the area, else the
 * i18n key of the first thing wrong, with *field its form field's name
 * (address, phone, office_hours or duty1..duty7). */
const char *home_profile_check(struct db *db, int64_t area_id, const struct home_profile *p,
			       const char **field);
/* home_profile_set stores p (checked first: LIN_EINVAL, nothing written)
 * with its audit entry in one transaction; actor names who did it. */
int home_profile_set(struct db *db, int64_t area_id, const struct home_profile *p, int64_t user_id,
		     const char *actor);

/* home_add_routes: /, /qr and /area/profile. */
int home_add_routes(struct router *r);
/* home_user_id: the account named username; LIN_ENOTFOUND when none. */
int home_user_id(struct db *db, const char *username, int64_t *out);
/* home_commands: linli area profile. */
extern const struct command home_commands[];

#endif
