/* Text messages to residents' phones: one sender per area, an SMS
 * gateway's webhook reached through the outbox. Every feature that texts
 * a resident (the portal's sign-in codes, a place freed on an event's
 * wait list, a pet's licence falling due) sends through sms_send, so an
 * area sets its gateway once (`linli sms URL`). Without a sender the text
 * goes to the log, which is how development and the demo read it. */
#ifndef LINLI_NOTIFY_SMS_H
#define LINLI_NOTIFY_SMS_H

#include <stddef.h>
#include <stdint.h>

struct db;

/* SMS_TEXT_MAX: bytes of one message's text (a long SMS of 70 Chinese
 * characters is about 210 bytes; gateways join up to a few parts). */
#define SMS_TEXT_MAX 600

/* sms_sender_get copies the area's gateway URL into out ("" when none). */
int sms_sender_get(struct db *db, int64_t area_id, char *out, size_t n);

/* sms_sender_set sets the area's gateway ("" for none: the log) with its
 * audit entry, in one transaction. LIN_EINVAL when the outbox would not
 * take url (outbox_target_check: an http(s) URL with a host), LIN_ETOOBIG
 * past OUTBOX_TARGET_MAX; nothing changes then. */
int sms_sender_set(struct db *db, int64_t area_id, const char *url, const char *actor);

/* sms_send queues text for phone (11 digits) inside the caller's
 * transaction: {"event", "phone", "text"} posted to the area's gateway,
 * or, without one, a log line naming the phone's last four digits
 * (development). event names the kind ("portal.code", "events.promoted").
 * LIN_EINVAL for an empty phone or text, LIN_ETOOBIG past SMS_TEXT_MAX. */
int sms_send(struct db *db, int64_t area_id, const char *phone, const char *event,
	     const char *text);

#endif
