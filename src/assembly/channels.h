/* How ballots come in besides the door visits: the printed sheets with
 * their one-time codes, the public online vote, paper sheets entered twice
 * by two staff, and proxies with their written entrustment. What
 * sheets.c, online.c, paper.c, proxies.c and channels_store.c share; the
 * rest of src/assembly sees only assembly_channels_routes and
 * assembly_id_check (internal.h). */
#ifndef LINLI_ASSEMBLY_CHANNELS_H
#define LINLI_ASSEMBLY_CHANNELS_H

#include "internal.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct session;

/* ---- pure helpers (sheets.c, paper.c) ---- */

/* A one-time code: 20 characters of Crockford's base32 (no I, L, O, U),
 * 100 random bits, printed in groups of five. */
#define CHANNELS_CODE_LEN 20

/* channels_code_new: a fresh random code. OUT: code. */
void channels_code_new(char code[CHANNELS_CODE_LEN + 1]);
/* channels_code_hash: what assembly_codes.code_hash keeps of a code, the
 * BLAKE2b-256 of its canonical form (upper case, spaces and dashes
 * dropped, O read as 0, I and L as 1). LIN_EINVAL when it is not 20
 * characters of the alphabet. OUT: out, 64 hex digits. */
int channels_code_hash(const char *code, char out[65]);
/* channels_mask_name: the owner's name as a sheet prints it under
 * assembly_settings.name_mask: "full" as is, "surname" the first
 * character and "**" (张**), "none" (or anything else) "". The copy
 * lives in a. */
const char *channels_mask_name(struct arena *a, const char *name, const char *mask);

/* A paper sheet's choices in canonical form: "M1=agree;M2=abstain" in the
 * matters' order, blank matters left out; "" for a blank sheet. */
#define CHANNELS_CHOICES_MAX 2048
/* channels_choices_canonical: from matters ([{id, code}] in order) and a
 * lookup of the value given for each matter id (choice_of(arg, id):
 * "agree", "oppose", "abstain", "" or NULL for blank). LIN_EINVAL for any
 * other value, LIN_ETOOBIG past CHANNELS_CHOICES_MAX. OUT: out. */
int channels_choices_canonical(json_t *matters, const char *(*choice_of)(void *arg, int64_t id),
			       void *arg, char out[CHANNELS_CHOICES_MAX]);
/* channels_choices_parse: canonical text back into ballots for matters
 * ([{id, code}]). LIN_EINVAL for an unknown code or choice, a repeated
 * matter, more than max. OUT: out[0..*n). */
int channels_choices_parse(const char *canonical, json_t *matters, struct assembly_choice *out,
			   size_t max, size_t *n);
/* channels_entries_agree: whether two entries of a sheet say the same
 * (the canonical texts are equal). */
bool channels_entries_agree(const char *a, const char *b);

/* ---- storage (channels_store.c) ---- */

/* channels_name_mask: assembly_settings.name_mask of the area ("surname"
 * when none is set). OUT: mask (16 bytes). */
int channels_name_mask(struct db *db, int64_t area_id, char mask[16]);

/* channels_codes_issue: a new code for each part (part_ids[0..n)) of the
 * assembly, voiding every earlier unused code of those parts, with one
 * audit entry per part (the hash, never the code), in one transaction.
 * LIN_ECONFLICT unless the assembly is published or open, LIN_EINVAL for
 * a part not on its roll. OUT: codes[i] for part_ids[i]. */
int channels_codes_issue(struct db *db, const struct session *s, int64_t area_id,
			 int64_t assembly_id, const int64_t *part_ids, size_t n,
			 char (*codes)[CHANNELS_CODE_LEN + 1]);

/* What a code leads to. */
struct channels_code {
	int64_t id, area_id, assembly_id, part_id;
	int64_t used_at; /* 0: not used */
	bool void_;	 /* a reprint replaced it */
};
/* channels_code_find: the code row of code_hash (in any area: the public
 * vote has no session). LIN_ENOTFOUND. */
int channels_code_find(struct db *db, const char *code_hash, struct channels_code *out);

/* channels_id_check_matches: whether the part's stored id_check equals
 * check (compared in constant time); false when none is on file. */
int channels_id_check_matches(struct db *db, int64_t part_id, const char *check, bool *match);
/* channels_failures_since: refusals of reason for part since t. */
int channels_failures_since(struct db *db, int64_t part_id, const char *reason, int64_t since,
			    int64_t *n);

/* channels_online_cast: casts ballot (channel "online") and marks the code
 * used, in one transaction; refuses (writing nothing) when the code was
 * used or voided meanwhile (LIN_ECONFLICT, *why "assembly.ch.err.code_used")
 * or as assembly_ballot_cast does. */
int channels_online_cast(struct db *db, const struct channels_code *code,
			 const struct assembly_ballot_in *ballot, const char **why);

/* A paper sheet and its entries. */
struct channels_sheet {
	int64_t id, assembly_id, part_id, proxy_id, received_at;
	char state[16];			     /* entering, blocked, counted, void */
	char resolution[512];		     /* the third person's note */
	char entry[3][CHANNELS_CHOICES_MAX]; /* passes 1..3 as entered, "" when not yet */
	int64_t entry_user[3];		     /* who entered each, 0 when not yet */
	char entry_name[3][64];		     /* their user names */
};

/* channels_sheet_receive: a paper sheet came back for part (through proxy
 * when proxy_id), at received_at. LIN_EINVAL for a part not on the roll,
 * a received_at in the future, a proxy not of this part or revoked
 * ("assembly.ch.err.no_proxy"). OUT: *id. */
int channels_sheet_receive(struct db *db, const struct session *s, int64_t area_id,
			   int64_t assembly_id, int64_t part_id, int64_t proxy_id,
			   int64_t received_at, int64_t now, int64_t *id, const char **why);
int channels_sheet_get(struct db *db, int64_t area_id, int64_t sheet_id,
		       struct channels_sheet *out);
/* channels_sheets_json: the assembly's sheets, newest first: [{id,
 * part_id, unit, state, received_at, passes}]. */
int channels_sheets_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);

/* How an entry ended. */
enum channels_entry_outcome {
	ENTRY_WAITING, /* pass 1 kept: a second person must enter it */
	ENTRY_COUNTED, /* equal entries (or the third's): the ballots are cast */
	ENTRY_BLOCKED, /* the two differ: a third person must resolve */
};
/* channels_entry_add: the signed-in staff member's entry of sheet
 * (choices canonical, checked against the matters), as the next pass: 1,
 * 2 by someone else than pass 1, 3 (only when blocked, with a note) by
 * someone who entered neither. Equal passes 1 and 2, or pass 3, cast the
 * sheet's ballots (channel "paper", or "proxy" through its entrustment,
 * cast_at = received_at) in the same transaction. Refusals (nothing
 * written): LIN_EPERM same person ("assembly.ch.err.same_staff"),
 * LIN_EINVAL bad choices or no note, LIN_ECONFLICT a counted or void sheet
 * or what assembly_ballot_cast refuses (closed...). OUT: *outcome, *why. */
int channels_entry_add(struct db *db, const struct session *s, int64_t area_id, int64_t sheet_id,
		       const char *choices, const char *note, enum channels_entry_outcome *outcome,
		       const char **why);

/* A written entrustment as recorded. */
struct channels_proxy_in {
	int64_t assembly_id, part_id;
	const char *proxy_name, *relation, *instructions;
	const char *photo; /* stored photo name "<sha256>.<ext>" */
};
/* channels_proxy_add records it (LIN_EINVAL: no name, no photo, a part not
 * on the roll, "assembly.ch.err.proxy_name"...). OUT: *id. */
int channels_proxy_add(struct db *db, const struct session *s, int64_t area_id,
		       const struct channels_proxy_in *in, int64_t *id, const char **why);
/* channels_proxy_revoke: the entrustment no longer holds. */
int channels_proxy_revoke(struct db *db, const struct session *s, int64_t area_id, int64_t id);
/* channels_proxies_json: [{id, part_id, unit, proxy_name, relation,
 * instructions, photo, created_at, revoked}] of the assembly. */
int channels_proxies_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out);
/* channels_proxy_photo: the photo name of entrustment id in area_id. */
int channels_proxy_photo(struct db *db, int64_t area_id, int64_t id, char photo[80]);
/* channels_proxy_live: whether id is a live entrustment for part_id. */
int channels_proxy_live(struct db *db, int64_t area_id, int64_t id, int64_t part_id, bool *live);

/* ---- pages (sheets.c) ---- */

struct http_req;
struct http_resp;
struct html;
/* channels_assembly: the assembly of the path's first capture in the
 * reader's area; 0, or LIN_ENOTFOUND (the caller answers 404). */
int channels_assembly(struct http_req *req, struct assembly *a);
/* channels_page_end: assembly_page_end answering with status. */
int channels_page_end(struct http_req *req, struct http_resp *resp, struct html *h, int status);
/* channels_tabs: the links between the assembly's channel pages. */
void channels_tabs(struct html *h, const struct assembly *a, const char *current);

/* channels_form_choice: the form's value for matter id (field "m<id>"),
 * for channels_choices_canonical; req is the struct http_req. */
const char *channels_form_choice(void *req, int64_t matter_id);

/* The handlers, by file. */
int channels_sheets_page(struct http_req *req, struct http_resp *resp);
int channels_sheets_print(struct http_req *req, struct http_resp *resp);
int channels_vote_page(struct http_req *req, struct http_resp *resp);
int channels_vote_submit(struct http_req *req, struct http_resp *resp);
int channels_paper_page(struct http_req *req, struct http_resp *resp);
int channels_paper_receive(struct http_req *req, struct http_resp *resp);
int channels_sheet_page(struct http_req *req, struct http_resp *resp);
int channels_sheet_entry(struct http_req *req, struct http_resp *resp);
int channels_proxies_page(struct http_req *req, struct http_resp *resp);
int channels_proxy_submit(struct http_req *req, struct http_resp *resp);
int channels_proxy_revoke_submit(struct http_req *req, struct http_resp *resp);
int channels_proxy_photo_file(struct http_req *req, struct http_resp *resp);

#endif
