/* The audit log as the web floor writes it: with the actor taken from a
 * session. The log itself (the chain, appending, verifying) is db/audit.h. */
#ifndef LINLI_WEB_AUDIT_H
#define LINLI_WEB_AUDIT_H

#include "../db/audit.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct session;

/* audit_append_session: audit_append with the actor taken from a session
 * (NULL: the command line). */
int audit_append_session(struct db *db, const struct session *s, const char *action,
			 const char *entity, int64_t entity_id, const char *before_json,
			 const char *after_json);
/* audit_append_area: an entry of area_id for a change of entity id, after
 * (may be NULL, borrowed) being what it became as sorted compact JSON,
 * the session's user as actor (NULL: "cli", the command line or a demo).
 * LIN_ENOMEM when after cannot be written out. */
int audit_append_area(struct db *db, const struct session *s, int64_t area_id, const char *action,
		      const char *entity, int64_t entity_id, json_t *after);

#endif
