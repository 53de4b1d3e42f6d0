/* The audit log as the web floor writes it: with the actor taken from a
 * session. The log itself (the chain, appending, verifying) is db/audit.h. */
#ifndef LINLI_WEB_AUDIT_H
#define LINLI_WEB_AUDIT_H

#include "../db/audit.h"

#include <stdint.h>

struct db;
struct session;

/* audit_append_session: audit_append with the actor taken from a session
 * (NULL: the command line). */
int audit_append_session(struct db *db, const struct session *s, const char *action,
			 const char *entity, int64_t entity_id, const char *before_json,
			 const char *after_json);

#endif
