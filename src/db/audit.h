/* The audit log: every write in the product appends one row in the same
 * transaction (who, when, what, before and after). Rows are chained: each
 * stores its predecessor's hash and an HMAC-SHA-256, under a key kept in a
 * file outside the database, of that hash and its own fields, each written
 * with its storage type. So an edited, inserted or deleted row, or a
 * column whose type was changed, breaks the chain at a place audit_verify
 * names, and someone who can write the database but not read the key file
 * cannot recompute it. Anchors (audit_anchor.c) are signed copies of the
 * chain's head kept elsewhere: they catch what a keyed chain cannot, the
 * newest rows cut off or the whole table emptied or rewritten by someone
 * holding the key. docs/operations.md says what is and is not detected.
 *
 * Rows written before the chain was keyed (hash without the "k1:" prefix)
 * carry an unkeyed SHA-256; they are accepted only below the id the key
 * file names as the first keyed entry. */
#ifndef LINLI_DB_AUDIT_H
#define LINLI_DB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct db;

#define AUDIT_KEY_BYTES 32
#define AUDIT_HASH_MAX	68 /* "k1:" + 64 hex digits + NUL */

struct audit_entry {
	int64_t user_id;	 /* acting user, 0 for tokens and the CLI */
	const char *actor;	 /* user name, token name or "cli" */
	int64_t area_id;	 /* area the change belongs to, 0 if none */
	const char *action;	 /* "create", "update", "archive", "delete", "login", ... */
	const char *entity;	 /* table or concept, e.g. "households" */
	int64_t entity_id;	 /* row id, 0 if none */
	const char *before_json; /* the row before, NULL for create */
	const char *after_json;	 /* the row after, NULL for delete */
};

/* audit_use_key sets the process's audit key and the id of the first entry
 * it must cover (entries below it may be unkeyed, from before keying). Set
 * once at start, before any thread writes. */
void audit_use_key(const unsigned char key[AUDIT_KEY_BYTES], int64_t from);
/* audit_subkey: a key for another purpose (purpose: a fixed label, e.g.
 * "assembly-id-check"), derived from the audit key in use by keyed
 * BLAKE2b, so a feature needing a server secret adds no second key file.
 * OUT: out. LIN_EINVAL when no key is in use. */
int audit_subkey(const char *purpose, unsigned char out[AUDIT_KEY_BYTES]);
/* audit_key_load reads the key file at path (mode 0600, "key=<64 hex>" and
 * "from=<id>" lines) and uses it. When the file does not exist and the log
 * holds no keyed entry yet, it is created with a new random key covering
 * db's next entry on; a second process racing to create it reads the
 * winner's. Returns 0, LIN_ENOTFOUND (no file, but the log is keyed),
 * LIN_EINVAL (malformed file), LIN_EIO (cannot read or write); why says
 * what went wrong. */
int audit_key_load(const char *path, struct db *db, char *why, size_t n);
/* audit_key_matches: the newest entry, if keyed, verifies under the key in
 * use (a server given another key than its peers would otherwise write a
 * chain no one can verify). 0, LIN_EINVAL on a mismatch, or a db error. */
int audit_key_matches(struct db *db);

/* audit_append must run inside the caller's write transaction.
 * LIN_EINVAL when no key is in use. */
int audit_append(struct db *db, const struct audit_entry *e);
/* audit_verify walks the chain: 0 when intact; otherwise LIN_EINVAL with
 * *bad_id the first broken entry. *count is the number of entries checked. */
int audit_verify(struct db *db, int64_t *bad_id, int64_t *count);
/* audit_hash_at: the hash stored for entry id (out of AUDIT_HASH_MAX
 * bytes). 0, LIN_ENOTFOUND, or a db error. */
int audit_hash_at(struct db *db, int64_t id, char *out);
/* audit_head: the number of entries and the newest one's id and hash
 * ("" and 0 for an empty log). */
int audit_head(struct db *db, int64_t *count, int64_t *id, char *hash);

/* ---- anchors (audit_anchor.c) ----
 * An anchor is one line,
 *   linli-audit-anchor v1 at=EPOCH entries=N id=ID hash=HASH key=PUBLIC sig=SIGNATURE
 * the head of the chain signed with an Ed25519 key kept outside the
 * database; lines are appended to a file or sent to syslog, somewhere the
 * database's writers cannot reach. */
#define AUDIT_SIGN_SECRET 64  /* crypto_sign_SECRETKEYBYTES */
#define AUDIT_SIGN_PUBLIC 32  /* crypto_sign_PUBLICKEYBYTES */
#define AUDIT_ANCHOR_MAX  400 /* bytes of an anchor line with its NUL */

/* audit_sign_key_load reads the signing key file at path ("secret=<128
 * hex>"); when it does not exist and create is set, creates it with a new
 * key pair. OUT: sk. 0, LIN_ENOTFOUND (absent, create unset), LIN_EINVAL
 * (malformed; why says how), LIN_EIO. */
int audit_sign_key_load(const char *path, int create, unsigned char sk[AUDIT_SIGN_SECRET],
			char *why, size_t n);
/* audit_anchor_line: the signed anchor of the chain's head as it is now,
 * into out (AUDIT_ANCHOR_MAX bytes, no newline). */
int audit_anchor_line(struct db *db, const unsigned char sk[AUDIT_SIGN_SECRET], char *out);

enum audit_anchor_result {
	ANCHOR_HELD,	  /* the log still holds the anchored head */
	ANCHOR_MALFORMED, /* not an anchor line */
	ANCHOR_FORGED,	  /* the signature does not verify */
	ANCHOR_OTHER_KEY, /* signed, but by another key than the one trusted */
	ANCHOR_MISSING,	  /* the anchored entry is gone (the newest rows cut off) */
	ANCHOR_CHANGED,	  /* the entry or the rows up to it are not those anchored */
};
/* audit_anchor_check: whether the log still contains the head anchored in
 * line, signed by pk. OUT: *id, the anchored entry (0 when malformed). The
 * chain itself is audit_verify's to check. Returns the result, or a
 * negative db error. */
int audit_anchor_check(struct db *db, const char *line, const unsigned char pk[AUDIT_SIGN_PUBLIC],
		       int64_t *id);

#endif
