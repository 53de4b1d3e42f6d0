/* What the files of src/assembly share: the spine of an assembly (its
 * row, its roll, its matters, casting a ballot, the count from the
 * database). The vote helper (store.c, roll.c, ballots.c, count.c)
 * implements these; doors.c, sheets.c, online.c, paper.c and proxies.c
 * call them. Not for other features: they use assembly.h. */
#ifndef LINLI_ASSEMBLY_INTERNAL_H
#define LINLI_ASSEMBLY_INTERNAL_H

#include "assembly.h"
#include "tally.h"
#include "../web/page.h"
#include "../web/router.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

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

/* assembly_tally_files: the auditors' files, exactly what assembly_count
 * hands tally_count, in the stable CSV format `linli assembly tally`
 * reads: ROLL.csv (`unit,owner,area_m2`: every live part, owner its
 * owner_key) into roll and BALLOTS.csv (`owner,matter,choice`: every ballot
 * in (cast_at, id) order, superseded ones included) into ballots. Either
 * may be NULL. Fields are quoted as RFC 4180 asks and never guarded
 * against spreadsheet formulas: the tally compares them byte for byte. */
int assembly_tally_files(struct db *db, int64_t area_id, int64_t assembly_id, struct buf *roll,
			 struct buf *ballots);

/* assembly_may_see_ballots: whether role (web/perm.h enum role) may see
 * who voted how in area_id (assembly_settings.ballot_roles). */
bool assembly_may_see_ballots(struct db *db, int64_t area_id, int role);

/* ---- vote: the assembly's life, its roll and matters (store.c, roll.c).
 * Each write runs in its own transaction with its audit entry unless said
 * otherwise; actor_user_id is users.id (0: the command line or the demo,
 * audited as "cli"). On LIN_EINVAL / LIN_ECONFLICT / LIN_ENOTFOUND *why is
 * an i18n key (why may be NULL). now: the server's clock, passed in so the
 * demo can write a past assembly. */

/* assembly_state_name: "draft", "published", ...; assembly_state_parse
 * the reverse (-1 for an unknown name). */
const char *assembly_state_name(enum assembly_state s);
int assembly_state_parse(const char *s);

/* assembly_create: a draft assembly of compound_id (a live compound of
 * area_id) titled title (1..200 characters), covering buildings (of that
 * compound; n 0: every building). OUT: *id. */
int assembly_create(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t compound_id,
		    const char *title, const int64_t *buildings, size_t nbuildings, int64_t now,
		    int64_t *id, const char **why);

/* assembly_roll_build replaces the draft's roll with the registry's live
 * households of its buildings: one part per household, its registered
 * area, its owners (households.owners, else the household's residents with
 * is_owner) normalised into owner_key (assembly_owner_key). LIN_ECONFLICT
 * "assembly.err.not_draft" once published; LIN_EINVAL
 * "assembly.err.roll_area" for a household without an area (*bad_unit
 * names it, may be NULL), "assembly.err.roll_empty" for none. OUT:
 * *nparts. */
int assembly_roll_build(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			int64_t *nparts, char *bad_unit, size_t bad_unit_len, const char **why);

/* assembly_copy: s into out (n bytes), cut at a character boundary. */
void assembly_copy(char *out, size_t n, const char *s);

/* assembly_first_owner: the first name of an owners text (up to the
 * first separator, as assembly_owner_key splits). */
void assembly_first_owner(const char *owners, char *out, size_t n);

/* assembly_owner_key: who a registry owners text names as one owner (SPC
 * interpretation Art. 9): the names split at 、，,;； and "/", trimmed,
 * sorted and joined with 、 (so "李四、张三" and "张三，李四" are one owner);
 * "developer" for the developer's unsold parts (the text 开发商 or
 * developer, alone or first); "" for an empty text. Sets *developer. */
void assembly_owner_key(const char *owners, char *out, size_t n, bool *developer);

/* assembly_matter_add adds a matter (code: 1..16 letters, digits, - or _,
 * unique in the assembly; item 1..9; title 1..200 characters; body at most
 * 2000) before the assembly opens. OUT: *matter_id. */
int assembly_matter_add(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			const char *code, int item, const char *title, const char *body,
			int64_t *matter_id, const char **why);

/* assembly_publish puts a draft's roll on public notice (公示) from
 * published_at (0: now; never in the future: the notice was posted on
 * the board that day), objections until published_at +
 * ASSEMBLY_PUBLISH_DAYS days; voting from opens_at (0: the objections'
 * end; never before it) to closes_at (> opens_at). Needs a roll and at
 * least one matter. */
int assembly_publish(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
		     int64_t published_at, int64_t opens_at, int64_t closes_at, int64_t now,
		     const char **why);

/* assembly_open opens voting and freezes the roll: refused
 * ("assembly.err.publication") before objections_until, while an
 * objection is open ("assembly.err.objections_open"), before opens_at
 * ("assembly.err.not_yet") or at or after closes_at. */
int assembly_open(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id, int64_t now,
		  const char **why);
/* assembly_close closes voting (not before closes_at: "assembly.err.not_closing")
 * and marks the result published (公示) at now. */
int assembly_close(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id, int64_t now,
		   const char **why);

/* assembly_area_of: the area of assembly id (for the public notice, which
 * has no session). LIN_ENOTFOUND. */
int assembly_area_of(struct db *db, int64_t id, int64_t *area_id);

/* assembly_list_json: the area's assemblies, newest first: [{id, title,
 * compound_id, compound, state, published_at, objections_until, opens_at,
 * closes_at, opened_at, closed_at, parts, owners, area_m2}]. */
int assembly_list_json(struct db *db, int64_t area_id, json_t **out);
/* assembly_json: one assembly as in the list, with buildings: [{id, name}]. */
int assembly_json(struct db *db, int64_t area_id, int64_t id, json_t **out);

/* assembly_roll_changeable: 0 when the roll of assembly id may still
 * change (draft or published), else LIN_ECONFLICT with *why
 * "assembly.err.frozen" (open, closed) or "assembly.err.not_draft". For
 * every writer of assembly_parts, inside its transaction. */
int assembly_roll_changeable(struct db *db, int64_t area_id, int64_t id, bool draft_only,
			     const char **why);

/* assembly_refuse sets *why (why may be NULL) to key and returns rc.
 * assembly_finish commits when rc is 0, else rolls back; returns rc or the
 * commit's. assembly_text_ok: valid UTF-8 of min..max characters. */
int assembly_refuse(const char **why, const char *key, int rc);
int assembly_finish(struct db *db, int rc);
bool assembly_text_ok(const char *s, size_t min, size_t max);

/* assembly_actor: the user's name for the audit log ("cli" for 0). */
void assembly_actor(struct db *db, int64_t user_id, char *out, size_t n);
/* assembly_audit appends an audit entry (after: a JSON object, borrowed,
 * may be NULL) inside the caller's transaction. */
int assembly_audit(struct db *db, int64_t area_id, int64_t actor_user_id, const char *action,
		   const char *entity, int64_t entity_id, json_t *after);

/* For the roll's writers (roll.c, objections, the CSV import), inside the
 * caller's transaction: assembly_part_insert adds p (its assembly_id set)
 * with id_check (a keyed hash or "") and source ("registry", "csv",
 * "objection"); assembly_roll_clear empties a draft's roll
 * (LIN_ECONFLICT when something refers to a part); assembly_roll_audit
 * writes the audit entry of the whole roll as it now is. */
int assembly_part_insert(struct db *db, int64_t area_id, const struct assembly_part *p,
			 const char *id_check, const char *source, int64_t *part_id);
int assembly_roll_clear(struct db *db, int64_t id);
int assembly_roll_audit(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			const char *action, const char *source);

/* assembly_settings_set: who sees who voted how in area_id (ballot_roles,
 * comma-separated role names; "assembly.err.ballot_roles") and how the
 * printed sheets mask a name (name_mask: full, surname, none;
 * "assembly.err.name_mask"), in its own audited transaction. */
int assembly_settings_set(struct db *db, int64_t area_id, int64_t actor_user_id,
			  const char *ballot_roles, const char *name_mask, const char **why);

/* assembly_ballots_json: the ballot record of an assembly in the order
 * cast: [{id, part_id, unit, owner_key, owner_name, matter_id, code,
 * choice, channel, cast_at, superseded}] (superseded: a later ballot of
 * the same owner on the same matter counts instead). Only for readers
 * assembly_may_see_ballots allows. */
int assembly_ballots_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);
/* assembly_refusals_json: [{id, part_id, unit, channel, reason, at}]. */
int assembly_refusals_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);

/* assembly_time_parse reads epoch seconds, or a Shanghai wall-clock time
 * "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" or "YYYY-MM-DDTHH:MM" (as a
 * datetime-local input sends it). LIN_EINVAL otherwise.
 * assembly_time_format writes t as "YYYY-MM-DD HH:MM" Shanghai time ("" for
 * 0). assembly_now: the server's clock. (model.c) */
int assembly_time_parse(const char *s, int64_t *out);
void assembly_time_format(int64_t t, char out[20]);
int64_t assembly_now(void);

/* ---- vote: the result (result.c, no SQL) ---- */

/* assembly_result_json: {assembly (assembly_json), roll: {parts, owners,
 * area_m2, developer_parts, developer_area_m2, multi_part_owners,
 * removed}, counted, matters: [{id, code, item, title, rule, verdict
 * ("passed", "rejected", "no_quorum"), passed, quorum_met,
 * participating_owners, participating_area_m2, agree_/oppose_/abstain_
 * owners and area_m2, superseded, participation_owners,
 * participation_area, approval_owners, approval_area: {num, den, pct}}]}
 * (counted false: the roll is empty, matters without figures). Totals
 * only: no names, no ballots. The caller decrefs *out. */
int assembly_result_json(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* assembly_result_print: the result as `linli assembly show` prints it. */
void assembly_result_print(json_t *result, FILE *f);

/* ---- vote: the web side (api.c, pages*.c) ---- */
/* assembly_param_id: path capture i as a positive id, 0 if not one. */
int64_t assembly_param_id(struct http_req *req, int i);
/* assembly_refused: a store refusal as the API's JSON error (404, 422, 409,
 * 500) with why's message. */
int assembly_refused(struct http_req *req, struct http_resp *resp, int rc, const char *why);
/* assembly_page_begin / _end: the site's layout around a page of ours. */
void assembly_page_begin(struct http_req *req, struct http_resp *resp, struct html *h,
			 const char *title);
int assembly_page_end(struct http_req *req, struct http_resp *resp, struct html *h);
/* assembly_page_failed: 404 for LIN_ENOTFOUND, else 500. */
int assembly_page_failed(struct http_req *req, struct http_resp *resp, int rc);
/* JSON helpers of the pages: a member's text ("" when absent), integer. */
const char *assembly_jstr(json_t *o, const char *k);
int64_t assembly_jint(json_t *o, const char *k);
/* assembly_state_badge writes the state as a badge. */
void assembly_state_badge(struct http_req *req, struct html *h, const char *state);
/* The route tables: api.c, pages.c, pages_result.c. */
extern const struct route assembly_result_routes[];
extern const struct route assembly_api_routes[];
extern const struct route assembly_page_routes[];

/* ---- vote: objections to the published roll (objections.c) ---- */

/* How an upheld objection corrects the roll. kind: "none" (upheld, the
 * roll was right after all or corrected elsewhere), "area" (area_centi),
 * "owner" (owner_name, normalised into a new owner_key; the real-name
 * check is cleared), "remove" (struck off), "add" (a part missing from
 * the roll: unit, owner_name, area_centi, building_id or 0). */
struct assembly_correction {
	const char *kind;
	int64_t area_centi;
	const char *owner_name;
	const char *unit;
	int64_t building_id;
};
/* assembly_objection_add records an objection by raised_by (1..100
 * characters) about part_id (0: a part missing from the roll) with body
 * (1..2000) while the roll is on notice (published_at <= now <
 * objections_until; "assembly.err.objection_period"; after opening
 * "assembly.err.frozen"). OUT: *objection_id. */
int assembly_objection_add(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			   int64_t part_id, const char *raised_by, const char *body, int64_t now,
			   int64_t *objection_id, const char **why);
/* assembly_objection_resolve upholds or rejects an open objection with
 * resolution (1..2000 characters); upheld with a correction c (may be
 * NULL) changes the roll in the same transaction, audited. Refused once
 * voting has opened ("assembly.err.frozen"), for an objection already
 * resolved ("assembly.err.objection_resolved"), for a correction of a
 * rejected one. */
int assembly_objection_resolve(struct db *db, int64_t area_id, int64_t actor_user_id,
			       int64_t objection_id, bool upheld, const char *resolution,
			       const struct assembly_correction *c, int64_t now, const char **why);
/* assembly_objections_json: [{id, part_id, unit, raised_by, body, state,
 * resolution, created_at, resolved_at}]. */
int assembly_objections_json(struct db *db, int64_t area_id, int64_t id, json_t **out);

/* ---- vote: the property register as CSV (roll_csv.c) ---- */

#define ASSEMBLY_ID_CHECK_HEX 65
/* assembly_id_check: the keyed hash (BLAKE2b under a key derived from the
 * audit key, db/audit.h audit_subkey) of an owner's name (outer spaces
 * trimmed) and the last four characters of their ID number (digits, the
 * last may be X), as 64 hex digits: what assembly_parts.id_check holds
 * and the online confirmation compares with. LIN_EINVAL for a bad last4,
 * an empty name or no key in use. */
int assembly_id_check(const char *name, const char *last4, char out[ASSEMBLY_ID_CHECK_HEX]);
/* assembly_roll_import replaces the draft's roll with the CSV's rows
 * (header: building, door, owner, area_m2 required; developer, id_name,
 * id_last4 optional), after checking every row: on any error nothing is
 * written, LIN_EINVAL with *why "assembly.err.csv" and *errors [{line,
 * column, key}] (the caller decrefs *errors, always set). Buildings must
 * be the assembly's compound's; a row whose building and door match a
 * household is linked to it. OUT: *nparts. */
int assembly_roll_import(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			 const char *csv, size_t len, int64_t *nparts, json_t **errors,
			 const char **why);

/* doors */
struct router;
/* assembly_doors_routes: groups, door assignment, the volunteer's doors
 * and visits, and the live progress (doors.c). */
int assembly_doors_routes(struct router *r);
/* assembly_doors_demo: the demo's open assembly: two groups led by Party
 * members, every building's doors given to a volunteer (the demo volunteer
 * account's first), visits recorded for about half the doors before now.
 * Needs the demo's duty volunteers and Party members. */
int assembly_doors_demo(struct db *db, int64_t area_id, int64_t assembly_id, int64_t now);
/* channels */
/* assembly_channels_routes: the ballot sheets, the public online vote,
 * paper entry and proxies (sheets.c, online.c, paper.c, proxies.c). */
int assembly_channels_routes(struct router *r, const struct cases_uploads *up);

#endif
