/* The area's SMS sender (sms.h): its setting and the one way features
 * queue a text for a phone. */
#include "sms.h"
#include "outbox.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sms_sender_get(struct db *db, int64_t area_id, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT webhook FROM sms_settings WHERE area_id = ?", &st);

	out[0] = '\0';
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, n, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int sms_sender_set(struct db *db, int64_t area_id, const char *url, const char *actor)
{
	char before[OUTBOX_TARGET_MAX + 1];
	json_t *was, *now;
	char *before_json = NULL, *after_json = NULL;
	int rc;

	if (url[0] && (rc = outbox_target_check(OUTBOX_WEBHOOK, url)))
		return rc;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = sms_sender_get(db, area_id, before, sizeof(before));
	if (!rc)
		rc = db_exec_args(db, "DELETE FROM sms_settings WHERE area_id = ?", NULL, "i",
				  area_id);
	if (!rc)
		rc = db_exec_args(db, "INSERT INTO sms_settings (area_id, webhook) VALUES (?, ?)",
				  NULL, "it", area_id, url);
	was = json_pack("{s:s}", "webhook", before);
	now = json_pack("{s:s}", "webhook", url);
	before_json = was ? json_dumps(was, JSON_COMPACT) : NULL;
	after_json = now ? json_dumps(now, JSON_COMPACT) : NULL;
	if (!rc && (!before_json || !after_json))
		rc = LIN_ENOMEM;
	if (!rc) {
		struct audit_entry e = {0,	 actor,	      area_id,	 "update", "sms_settings",
					area_id, before_json, after_json};
		rc = audit_append(db, &e);
	}
	free(before_json);
	free(after_json);
	json_decref(was);
	json_decref(now);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int sms_send(struct db *db, int64_t area_id, const char *phone, const char *event, const char *text)
{
	char url[OUTBOX_TARGET_MAX + 1];
	int64_t id = 0; /* the message's, unused: the outbox requires the slot */
	size_t len = phone ? strlen(phone) : 0;
	json_t *payload;
	char *body;
	int rc;

	if (!len || !text || !text[0])
		return LIN_EINVAL;
	if (strlen(text) > SMS_TEXT_MAX)
		return LIN_ETOOBIG;
	rc = sms_sender_get(db, area_id, url, sizeof(url));
	if (rc)
		return rc;
	if (!url[0]) {
		log_info("sms: %s to phone ...%s (no SMS sender: development): %s", event,
			 len > 4 ? phone + len - 4 : phone, text);
		return 0;
	}
	payload = json_pack("{s:s, s:s, s:s}", "event", event, "phone", phone, "text", text);
	body = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	rc = body ? outbox_enqueue(db, area_id, OUTBOX_WEBHOOK, url, NULL, body, &id) : LIN_ENOMEM;
	free(body);
	json_decref(payload);
	return rc;
}
