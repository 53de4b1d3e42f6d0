/* The outbox: messages to outside agencies (物业公司, 城管, 派出所) as
 * webhooks (an HTTP POST of JSON) or e-mail (SMTP). A message is written
 * in the same transaction as the change it reports, so a rolled-back change
 * sends nothing and a committed one loses nothing; a worker thread delivers
 * due messages with retries and exponential backoff.
 *
 * Delivery is at least once: a crash (or a lost reply) after the remote
 * side accepted a message but before the row is marked sent sends it again.
 * Webhooks carry "Idempotency-Key: linli-outbox-<id>" and mail a Message-ID
 * made from the id, both the same on every attempt, so receivers can drop
 * repeats. */
#ifndef LINLI_NOTIFY_OUTBOX_H
#define LINLI_NOTIFY_OUTBOX_H

#include <stdatomic.h>
#include <stdint.h>

struct db;

enum outbox_kind {
	OUTBOX_WEBHOOK, /* POST the payload (JSON) to an http(s) URL */
	OUTBOX_EMAIL,	/* mail the payload (plain text) to an address */
};

/* Size caps checked by outbox_enqueue (LIN_ETOOBIG beyond them). */
#define OUTBOX_TARGET_MAX  2048	     /* bytes of a URL or address */
#define OUTBOX_SUBJECT_MAX 900	     /* bytes of a mail subject */
#define OUTBOX_PAYLOAD_MAX (1 << 20) /* bytes of a body */

/* outbox_enqueue adds a message inside the caller's open transaction (it
 * neither begins nor commits). target: an http:// or https:// URL with a
 * host for webhooks, a plain ASCII address (local@domain.tld) for mail.
 * payload: JSON text for webhooks; the plain-text UTF-8 body for mail.
 * subject: the mail's subject (UTF-8, one line; NULL = ""), ignored for
 * webhooks. The message is due at once. LIN_EINVAL when an argument fails
 * validation, LIN_ETOOBIG past a cap, LIN_EDB from the engine.
 * OUT: *id, the new row's id. */
int outbox_enqueue(struct db *db, int64_t area_id, enum outbox_kind kind, const char *target,
		   const char *subject, const char *payload, int64_t *id);

/* outbox_target_check: 0 when outbox_enqueue would take target for kind
 * (a setting that names a webhook is checked with it before it is saved,
 * so that no later message is refused); LIN_EINVAL, LIN_ETOOBIG. Also
 * used on rows read back, which other code may have written. */
int outbox_target_check(enum outbox_kind kind, const char *target);

/* How to deliver. The strings are borrowed by outbox_deliver_due and
 * copied by outbox_start. */
struct outbox_config {
	const char *db_url;    /* the worker's own connection (outbox_start only) */
	const char *smtp_url;  /* e.g. smtp://127.0.0.1:2525 or smtps://user:pw@host;
				  NULL: mail stays queued, untouched */
	const char *smtp_from; /* envelope and header sender; mail also stays queued
				  while this is NULL */
	int poll_seconds;      /* worker's pause between passes; <= 0 means 5 */
	int timeout_seconds;   /* connect and total limit per delivery; <= 0 means 10 */
};

/* outbox_deliver_due makes one pass: every message with sent_at NULL and
 * next_attempt_at <= now, oldest first, at most limit (1..1000) of them.
 * Each is claimed first (its next_attempt_at moved past the delivery
 * timeout, so a second worker on the same database skips it), then marked
 * sent (sent_at = now) once the remote side accepted it, or failed
 * (attempts + 1, last_error, next_attempt_at = now + outbox_backoff()).
 * Returns how many were delivered, LIN_EINVAL for a bad limit, or another
 * negative error when the database failed. */
int outbox_deliver_due(struct db *db, const struct outbox_config *cfg, int64_t now, int limit);

/* outbox_backoff: seconds to wait after the attempts-th failure: 30
 * doubling (1 -> 30, 2 -> 60, 3 -> 120, ...), capped at one hour. 0 for
 * attempts <= 0. There is no last attempt: a message is retried hourly
 * until it goes through. */
int64_t outbox_backoff(int64_t attempts);

/* The sender as a periodic job (db/jobs.h). outbox_config_check: LIN_EINVAL
 * when smtp_url is set but is not smtp:// or smtps://, or smtp_from is
 * missing or bad. outbox_job fills *out with the sender's job, "outbox.send",
 * every cfg->poll_seconds (defaults filled in), run at once again when a
 * pass was full; cfg and its strings must outlive the runner. A stopping
 * runner aborts a transfer in flight, which then stays due. */
struct job;
int outbox_config_check(const struct outbox_config *cfg);
void outbox_job(struct outbox_config *cfg, struct job *out);
int outbox_job_run(struct db *db, int64_t now, void *arg, const atomic_int *stop);

/* A runner with the sender alone, for a process that runs nothing else.
 * outbox_start checks and copies cfg and starts it (its own connection to
 * cfg->db_url, a failure reported here, not later); outbox_stop wakes it
 * at once, joins it and frees everything. */
struct outbox_worker;
int outbox_start(const struct outbox_config *cfg, struct outbox_worker **out);
void outbox_stop(struct outbox_worker *w);

#endif
