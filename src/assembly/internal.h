/* What the files of src/assembly share: the spine of an assembly (its
 * row, its roll, its matters, casting a ballot, the count from the
 * database). The vote helper (store.c, roll.c, ballots.c, count.c)
 * implements these; doors.c, sheets.c, online.c, paper.c and proxies.c
 * call them. Not for other features: they use assembly.h. */
#ifndef LINLI_ASSEMBLY_INTERNAL_H
#define LINLI_ASSEMBLY_INTERNAL_H

#include "assembly.h"
#include "tally.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct db;

enum assembly_state {
	ASSEMBLY_DRAFT,
	ASSEMBLY_PUBLISHED, /* roll on public notice, objections taken */
	ASSEMBLY_OPEN,	    /* voting; roll frozen */
	ASSEMBLY_CLOSED,
	ASSEMBLY_CANCELLED,
};

struct assembly {
	int64_t id, area_id, compound_id;
	char title[256];
	char compound[128];
	enum assembly_state state;
	int64_t published_at, objections_until, opens_at, closes_at; /* 0: not set */
	int64_t opened_at, closed_at, result_published_at;
};

struct assembly_part {
	int64_t id, assembly_id, household_id, building_id; /* 0: none */
	char unit[96];
	char owner_key[96];
	char owner_name[96];
	bool developer, removed;
	int64_t area_centi;
	bool has_id_check; /* a real-name check is on file */
};

/* assembly_get: the assembly id of area_id. LIN_ENOTFOUND. */
int assembly_get(struct db *db, int64_t area_id, int64_t id, struct assembly *out);
/* assembly_part_get: a part of the roll (of any assembly of area_id). */
int assembly_part_get(struct db *db, int64_t area_id, int64_t part_id, struct assembly_part *out);

/* assembly_parts_json: the roll, by building and unit: [{id, unit,
 * building_id, building, owner_key, owner_name, developer, area_m2 ("85.20"),
 * removed, has_id_check}]. The caller decrefs *out, also on error. Masking
 * of names for people who may not see them is the caller's. */
int assembly_parts_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);
/* assembly_matters_json: [{id, code, item, rule, title, body}] in order. */
int assembly_matters_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);

/* A ballot as it comes in: for one part, one choice per matter (matters
 * not named are not voted on). */
struct assembly_choice {
	int64_t matter_id;
	enum tally_choice choice;
};
struct assembly_ballot_in {
	int64_t assembly_id, part_id;
	const char *channel; /* "paper", "online", "proxy" */
	int64_t sheet_id;    /* paper: the reconciled sheet; else 0 */
	int64_t proxy_id;    /* proxy: the entrustment; else 0 */
	int64_t cast_at;     /* the server's clock (paper: when the sheet came back) */
	const struct assembly_choice *choices;
	size_t nchoices;
};

/* assembly_ballot_cast writes the ballots (one row and one audit entry
 * "assembly_ballots"/"cast" with the row's content per choice) inside
 * the caller's write transaction. Refuses, writing nothing, with
 * LIN_ECONFLICT and *why "assembly.err.closed" when cast_at is at or after
 * closes_at or the assembly is not open ("assembly.err.not_open"),
 * LIN_EINVAL for a part not on the roll (removed), a matter of another
 * assembly, a repeated matter, a proxy channel without a live entrustment
 * for that part ("assembly.err.no_proxy"); LIN_ENOTFOUND. The caller logs a
 * refusal with assembly_refusal_add after rolling back. *why is an i18n
 * key (may be NULL). */
int assembly_ballot_cast(struct db *db, int64_t area_id, int64_t actor_user_id,
			 const struct assembly_ballot_in *in, const char **why);

/* assembly_refusal_add logs a refused ballot in its own transaction
 * (reason: "closed", "not_open", "code_used", "name_mismatch", ...). */
int assembly_refusal_add(struct db *db, int64_t area_id, int64_t assembly_id, int64_t part_id,
			 const char *channel, const char *reason, int64_t at);

/* assembly_count: the count from the database with tally_count: the roll's
 * live parts, the matters, and the ballots in (cast_at, id) order. The
 * caller frees *out with tally_result_free. */
int assembly_count(struct db *db, int64_t area_id, int64_t assembly_id, struct tally_result *out);

/* assembly_may_see_ballots: whether role (web/perm.h enum role) may see
 * who voted how in area_id (assembly_settings.ballot_roles). */
bool assembly_may_see_ballots(struct db *db, int64_t area_id, int role);

/* channels */
/* assembly_id_check: the keyed hash kept in assembly_parts.id_check of an
 * owner's name (spaces around it dropped) and the last four characters of
 * their ID number (digits, the last may be X or x), 64 hex digits: the
 * digits are never stored in clear, and a copy of the database alone
 * cannot be searched for them (the key is derived from the audit key,
 * audit_keyed_digest). LIN_EINVAL for an empty name or not four such
 * characters, or when no audit key is in use. OUT: out. */
int assembly_id_check(const char *name, const char *last4, char out[65]);
/* assembly_channels_routes: the ballot sheets, the public online vote,
 * paper entry and proxies (sheets.c, online.c, paper.c, proxies.c). */
int assembly_channels_routes(struct router *r, const struct cases_uploads *up);

#endif
