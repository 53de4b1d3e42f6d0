/* The audit log: every write in the product appends one row in the same
 * transaction (who, when, what, before and after). Rows are chained: each
 * stores the SHA-256 of its predecessor's hash and its own fields, so an
 * edited or deleted row breaks the chain at a place audit_verify names. */
#ifndef LINLI_DB_AUDIT_H
#define LINLI_DB_AUDIT_H

#include <stdint.h>

struct db;

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

/* audit_append must run inside the caller's write transaction. */
int audit_append(struct db *db, const struct audit_entry *e);
/* audit_verify walks the chain: 0 when intact; otherwise LIN_EINVAL with
 * *bad_id the first broken entry. *count is the number of entries checked. */
int audit_verify(struct db *db, int64_t *bad_id, int64_t *count);

#endif
