/* The audit log with a session as the actor; see audit.h. */
#include "audit.h"
#include "http.h"
#include "../base/err.h"

#include <stdlib.h>

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

int audit_append_area(struct db *db, const struct session *s, int64_t area_id, const char *action,
		      const char *entity, int64_t entity_id, json_t *after)
{
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    .user_id = s ? s->user_id : 0,
	    .actor = (s && s->name) ? s->name : "cli",
	    .area_id = area_id,
	    .action = action,
	    .entity = entity,
	    .entity_id = entity_id,
	    .after_json = text,
	};
	int rc = after && !text ? LIN_ENOMEM : audit_append(db, &e);

	free(text);
	return rc;
}
