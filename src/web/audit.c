/* The audit log with a session as the actor; see audit.h. */
#include "audit.h"
#include "http.h"

int audit_append_session(struct db *db, const struct session *s, const char *action,
			 const char *entity, int64_t entity_id, const char *before_json,
			 const char *after_json)
{
	struct audit_entry e = {
	    .user_id = s ? s->user_id : 0,
	    .actor = (s && s->name) ? s->name : "cli",
	    .area_id = s ? s->area_id : 0,
	    .action = action,
	    .entity = entity,
	    .entity_id = entity_id,
	    .before_json = before_json,
	    .after_json = after_json,
	};
	return audit_append(db, &e);
}
