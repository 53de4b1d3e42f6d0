/* The Pushan demo area: a synthetic but realistic residential area built
 * from the 2019 report on 普善居民区 (4 compounds, 4,846 residents, a general
 * branch with 2 branches and 178 members, ~170 co-building units), plus one
 * account per role. Every name and number is generated; none is real. */
#ifndef LINLI_DEMO_DEMO_H
#define LINLI_DEMO_DEMO_H

struct db;

/* demo_accounts: one per role; NULL-terminated. */
struct demo_account {
	const char *username; /* login name, e.g. "secretary" */
	const char *password; /* "pushan-<username>", at least 8 characters */
	const char *role;     /* role name as perm.c spells it, e.g. "unit_liaison" */
};
extern const struct demo_account demo_accounts[];

/* demo_load fills an empty database with the Pushan demo area. If the area
 * (code "pushan") already exists it changes nothing and returns 0 with
 * *created = 0. Deterministic: the same rows every time.
 *
 * The database must be migrated. Everything but the accounts is written in
 * one transaction with one audit entry (action "demo", entity "areas");
 * the accounts are then created with auth_user_add, each in its own transaction
 * (an account whose name is already taken is skipped with a warning).
 * Calls auth_init, so run it before other threads use the auth module.
 * OUT: *created is 1 when the area was written. Returns 0 or a LIN_E* code. */
int demo_load(struct db *db, int *created);

#endif
