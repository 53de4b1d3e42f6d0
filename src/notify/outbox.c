/* The outbox (see outbox.h): validation and the INSERT that runs inside the
 * caller's transaction, one delivery pass over due rows with libcurl
 * (webhooks over HTTP, mail over SMTP), and the worker thread that repeats
 * the pass. Rows are read first and delivered afterwards, so no statement or
 * transaction stays open while we wait on the network. */
#include "outbox.h"
#include "../db/jobs.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../db/db.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUTBOX_LIMIT_MAX    1000 /* most rows one pass takes */
#define OUTBOX_ERROR_MAX    480	 /* bytes of last_error we keep */
#define OUTBOX_REPLY_MAX    160	 /* bytes of an HTTP reply body quoted in last_error */
#define OUTBOX_BACKOFF_BASE 30	 /* seconds after the first failure */
#define OUTBOX_BACKOFF_CAP  3600 /* never wait longer than an hour */
#define WORKER_BATCH	    100	 /* rows per worker pass */

/* ------------------------------------------------------------ validation */

/* url_valid: an absolute http:// or https:// URL with a host, printable
 * ASCII only (a non-ASCII host must come as punycode). */
static int url_valid(const char *url)
{
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL;
	int rc = LIN_EINVAL;

	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			goto out;
	u = curl_url();
	if (!u) {
		rc = LIN_ENOMEM;
		goto out;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	if (strcmp(scheme, "http") && strcmp(scheme, "https"))
		goto out;
	if (!*host)
		goto out;
	/* curl_url_set is lenient: it also takes "HTTP:/x" or "http:///x"
	 * (the host then being "x"); we want the URL written out plainly. */
	if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		goto out;
	if (url[url[4] == 's' ? 8 : 7] == '/' || strchr(url, '\\'))
		goto out;
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

/* email_valid: local@domain.tld in plain ASCII: a dot-atom local part of
 * at most 64 bytes and a host name of two or more letter-digit-hyphen
 * labels. No quoted local parts, no address literals, no display names:
 * what passes can go into an SMTP command and a header line as it is. */
static int email_valid(const char *addr)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
	const char *at = strchr(addr, '@');
	size_t local, label = 0;
	int labels = 1;

	if (!at || strchr(at + 1, '@') || strlen(addr) > 254)
		return LIN_EINVAL;
	local = (size_t)(at - addr);
	if (local == 0 || local > 64 || addr[0] == '.' || at[-1] == '.')
		return LIN_EINVAL;
	for (const char *p = addr; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.' && p[1] == '.')
			return LIN_EINVAL;
		if (c >= 0x80 || !(c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				   (c >= '0' && c <= '9') || strchr(atext, c)))
			return LIN_EINVAL;
	}
	for (const char *p = at + 1;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return LIN_EINVAL;
			if (c == '\0')
				break;
			labels++;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return LIN_EINVAL;
		if (label == 0 && c == '-')
			return LIN_EINVAL;
		label++;
	}
	return labels >= 2 ? 0 : LIN_EINVAL;
}

int outbox_target_check(enum outbox_kind kind, const char *target)
{
	if (strlen(target) > OUTBOX_TARGET_MAX)
		return LIN_ETOOBIG;
	return kind == OUTBOX_WEBHOOK ? url_valid(target) : email_valid(target);
}

/* subject_valid: UTF-8 on one line (a CR or LF would start a new header). */
static int subject_valid(const char *subject)
{
	size_t len = strlen(subject);

	if (len > OUTBOX_SUBJECT_MAX)
		return LIN_ETOOBIG;
	if (!utf8_valid(subject, len) || strpbrk(subject, "\r\n"))
		return LIN_EINVAL;
	return 0;
}

/* payload_valid: JSON for a webhook, UTF-8 text for mail. */
static int payload_valid(enum outbox_kind kind, const char *payload)
{
	size_t len = strlen(payload);
	json_error_t error;
	json_t *doc;

	if (len > OUTBOX_PAYLOAD_MAX)
		return LIN_ETOOBIG;
	if (kind == OUTBOX_EMAIL)
		return utf8_valid(payload, len) ? 0 : LIN_EINVAL;
	doc = json_loadb(payload, len, JSON_DECODE_ANY, &error);
	if (!doc)
		return LIN_EINVAL;
	json_decref(doc);
	return 0;
}

static const char *kind_name(enum outbox_kind kind)
{
	return kind == OUTBOX_EMAIL ? "email" : "webhook";
}

/* ---------------------------------------------------------------- enqueue */

int outbox_enqueue(struct db *db, int64_t area_id, enum outbox_kind kind, const char *target,
		   const char *subject, const char *payload, int64_t *id)
{
	struct db_stmt *st = NULL;
	int64_t now = (int64_t)time(NULL);
	int rc;

	*id = 0;
	if (!subject || kind == OUTBOX_WEBHOOK)
		subject = "";
	rc = LIN_EINVAL;
	if (area_id <= 0 || (kind != OUTBOX_WEBHOOK && kind != OUTBOX_EMAIL) || !target || !payload)
		goto out;
	rc = outbox_target_check(kind, target);
	if (rc)
		goto out;
	rc = subject_valid(subject);
	if (rc)
		goto out;
	rc = payload_valid(kind, payload);
	if (rc)
		goto out;
	rc = db_prepare(db,
			"INSERT INTO outbox (area_id, kind, target, subject, payload, created_at,"
			" attempts, next_attempt_at, last_error)"
			" VALUES (?, ?, ?, ?, ?, ?, 0, ?, '') RETURNING id",
			&st);
	if (rc)
		goto out;
	rc = db_bind_int64(st, 1, area_id);
	if (!rc)
		rc = db_bind_text(st, 2, kind_name(kind));
	if (!rc)
		rc = db_bind_text(st, 3, target);
	if (!rc)
		rc = db_bind_text(st, 4, subject);
	if (!rc)
		rc = db_bind_text(st, 5, payload);
	if (!rc)
		rc = db_bind_int64(st, 6, now);
	if (!rc)
		rc = db_bind_int64(st, 7, now);
	if (rc)
		goto out;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = LIN_EDB;
	}
out:
	db_finalize(st);
	return rc;
}

/* ---------------------------------------------------------------- backoff */

int64_t outbox_backoff(int64_t attempts)
{
	int64_t wait = OUTBOX_BACKOFF_BASE;

	if (attempts <= 0)
		return 0;
	for (int64_t i = 1; i < attempts && wait < OUTBOX_BACKOFF_CAP; i++)
		wait *= 2;
	return wait < OUTBOX_BACKOFF_CAP ? wait : OUTBOX_BACKOFF_CAP;
}

/* ------------------------------------------------------ libcurl plumbing */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;  /* process-wide: libcurl's global init */
static CURLcode curl_init_result = CURLE_FAILED_INIT; /* written once under curl_once */

static void curl_init_once(void)
{
	curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Why a delivery ended. */
enum outcome {
	OUTCOME_SENT,	 /* the remote side accepted the message */
	OUTCOME_FAILED,	 /* refused or unreachable: retry after a backoff */
	OUTCOME_ABORTED, /* the worker is stopping: the message stays due */
};

/* One transfer's state, shared by the callbacks. */
struct transfer {
	const atomic_int *stop;		  /* abort when this becomes non-zero; NULL: never */
	const char *upload;		  /* mail: the message to send */
	size_t upload_len;		  /* its length */
	size_t upload_pos;		  /* bytes handed to curl so far */
	char reply[OUTBOX_REPLY_MAX + 1]; /* start of the HTTP reply body */
	size_t reply_len;		  /* bytes in reply */
	char errbuf[CURL_ERROR_SIZE];	  /* curl's detailed error text */
};

static size_t transfer_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t n = size * nmemb, room = OUTBOX_REPLY_MAX - t->reply_len;

	memcpy(t->reply + t->reply_len, data, n < room ? n : room);
	t->reply_len += n < room ? n : room;
	t->reply[t->reply_len] = '\0';
	return n;
}

static size_t transfer_read(char *out, size_t size, size_t nmemb, void *arg)
{
	struct transfer *t = arg;
	size_t room = size * nmemb, left = t->upload_len - t->upload_pos;
	size_t n = left < room ? left : room;

	memcpy(out, t->upload + t->upload_pos, n);
	t->upload_pos += n;
	return n;
}

static int transfer_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
			     curl_off_t ulnow)
{
	struct transfer *t = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return t->stop && atomic_load(t->stop) ? 1 : 0;
}

/* add_printable appends s to out as printable ASCII (anything else, such
 * as a remote server's bytes, becomes '?'), stopping at the error cap. */
static void add_printable(struct buf *out, const char *s)
{
	for (; *s && out->len < OUTBOX_ERROR_MAX; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\r' || c == '\n' || c == '\t')
			c = ' ';
		buf_addc(out, c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
}

/* transfer_setup: options every delivery shares. */
static void transfer_setup(CURL *curl, struct transfer *t, const char *protocols, int timeout)
{
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* we run on a worker thread */
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)timeout);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)timeout);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, transfer_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, t);
}

/* transfer_result turns curl's result into an outcome and, for a failure,
 * the text for last_error (prefix: "http" or "smtp"). */
static enum outcome transfer_result(CURL *curl, struct transfer *t, CURLcode res,
				    const char *prefix, struct buf *error)
{
	long status = 0;

	if (res == CURLE_ABORTED_BY_CALLBACK && t->stop && atomic_load(t->stop))
		return OUTCOME_ABORTED;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (res != CURLE_OK) {
		const char *text = t->errbuf[0] ? t->errbuf : curl_easy_strerror(res);
		char code[24];
		snprintf(code, sizeof(code), "%ld", status);
		buf_addf(error, "%s: ", prefix);
		add_printable(error, text);
		if (status && !strstr(text, code))
			buf_addf(error, " (reply %ld)", status);
		return OUTCOME_FAILED;
	}
	if (!strcmp(prefix, "http") && (status < 200 || status > 299)) {
		buf_addf(error, "http: HTTP %ld", status);
		if (t->reply_len) {
			buf_adds(error, ": ");
			add_printable(error, t->reply);
		}
		return OUTCOME_FAILED;
	}
	return OUTCOME_SENT;
}

/* ------------------------------------------------------------- messages */

/* One row as read from the table; the strings are owned. */
struct outbox_message {
	int64_t id;		 /* row id */
	enum outbox_kind kind;	 /* webhook or e-mail */
	int kind_known;		 /* kind text was one we know */
	char *target;		 /* URL or address */
	char *subject;		 /* mail subject */
	char *payload;		 /* JSON or mail body */
	int64_t created_at;	 /* when enqueued (the mail's Date) */
	int64_t attempts;	 /* failures so far */
	int64_t next_attempt_at; /* due time as read, before our claim */
};

static void message_release(struct outbox_message *m)
{
	free(m->target);
	free(m->subject);
	free(m->payload);
	memset(m, 0, sizeof(*m));
}

/* deliver_webhook POSTs the payload; 2xx is success, anything else
 * (redirects are not followed) a failure. */
static enum outcome deliver_webhook(const struct outbox_message *m, int timeout,
				    const atomic_int *stop, struct buf *error)
{
	static const char *const fixed[] = {"Content-Type: application/json; charset=utf-8",
					    "Expect:", NULL};
	struct transfer t = {.stop = stop};
	struct curl_slist *headers = NULL, *more = NULL;
	char key[64];
	enum outcome result = OUTCOME_FAILED;
	CURL *curl = NULL;
	CURLcode res;

	snprintf(key, sizeof(key), "Idempotency-Key: linli-outbox-%" PRId64, m->id);
	curl = curl_easy_init();
	if (!curl) {
		buf_adds(error, "http: cannot start libcurl");
		goto out;
	}
	for (int i = 0; fixed[i]; i++) {
		more = curl_slist_append(headers, fixed[i]);
		if (!more)
			break;
		headers = more;
	}
	more = more ? curl_slist_append(headers, key) : NULL;
	if (!more) {
		buf_adds(error, "http: out of memory");
		goto out;
	}
	headers = more;
	transfer_setup(curl, &t, "http,https", timeout);
	curl_easy_setopt(curl, CURLOPT_URL, m->target);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "linli");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, m->payload);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(m->payload));
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, transfer_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
	res = curl_easy_perform(curl);
	result = transfer_result(curl, &t, res, "http", error);
out:
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return result;
}

/* add_base64 appends data in base64; wrap > 0 breaks the output into
 * lines of that many characters, each ending in CRLF. */
static int add_base64(struct buf *out, const unsigned char *data, size_t len, size_t wrap)
{
	size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *text = malloc(size);
	size_t n;
	int rc = LIN_ENOMEM;

	if (!text)
		goto out;
	sodium_bin2base64(text, size, data, len, sodium_base64_VARIANT_ORIGINAL);
	n = strlen(text);
	if (!wrap) {
		rc = buf_add(out, text, n);
		goto out;
	}
	for (size_t at = 0; at < n; at += wrap) {
		buf_add(out, text + at, n - at < wrap ? n - at : wrap);
		buf_adds(out, "\r\n");
	}
	rc = out->failed ? LIN_ENOMEM : 0;
out:
	free(text);
	return rc;
}

/* add_subject writes the Subject header: as it is when short plain
 * ASCII, otherwise as RFC 2047 encoded words (=?UTF-8?B?...?=), each of at
 * most 39 bytes of text so no line passes 76 characters, cut only between
 * characters and folded onto continuation lines. */
static void add_subject(struct buf *out, const char *subject)
{
	size_t len = strlen(subject), at = 0;
	int plain = len <= 67 && !strstr(subject, "=?");

	for (const char *p = subject; *p && plain; p++)
		plain = (unsigned char)*p < 0x80;
	buf_adds(out, "Subject: ");
	if (plain) {
		buf_adds(out, subject);
		buf_adds(out, "\r\n");
		return;
	}
	while (at < len) {
		size_t n = len - at < 39 ? len - at : 39;
		/* back off to the start of a UTF-8 sequence */
		while (at + n < len && ((unsigned char)subject[at + n] & 0xc0) == 0x80)
			n--;
		if (at)
			buf_adds(out, "\r\n ");
		buf_adds(out, "=?UTF-8?B?");
		add_base64(out, (const unsigned char *)subject + at, n, 0);
		buf_adds(out, "?=");
		at += n;
	}
	buf_adds(out, "\r\n");
}

/* mail_build writes the RFC 5322 message: headers, then the body as
 * base64 of its text with every line break made CRLF (MIME's canonical
 * form for text). The Date is when the message was enqueued and the
 * Message-ID depends only on the row, so a retry is the same message. */
static int mail_build(const struct outbox_message *m, const char *from, struct buf *out)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t created = (time_t)m->created_at;
	struct buf body;
	struct tm tm;
	int rc;

	buf_init(&body, OUTBOX_PAYLOAD_MAX * 2 + 16);
	if (!gmtime_r(&created, &tm)) {
		rc = LIN_EINVAL;
		goto out;
	}
	buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		 tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		 tm.tm_sec);
	buf_addf(out, "From: %s\r\n", from);
	buf_addf(out, "To: %s\r\n", m->target);
	add_subject(out, m->subject);
	buf_addf(out, "Message-ID: <linli-outbox-%" PRId64 ".%" PRId64 "@%s>\r\n", m->id,
		 m->created_at, strchr(from, '@') + 1);
	buf_adds(out, "MIME-Version: 1.0\r\n"
		      "Content-Type: text/plain; charset=UTF-8\r\n"
		      "Content-Transfer-Encoding: base64\r\n"
		      "\r\n");
	for (const char *p = m->payload; *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue; /* the LF that follows writes the CRLF */
		if (*p == '\r' || *p == '\n')
			buf_adds(&body, "\r\n");
		else
			buf_addc(&body, *p);
	}
	rc = body.failed ? LIN_ENOMEM : 0;
	if (rc)
		goto out;
	rc = add_base64(out, (const unsigned char *)body.buf, body.len, 76);
	if (!rc && out->failed)
		rc = LIN_ENOMEM;
out:
	buf_release(&body);
	return rc;
}

/* deliver_mail hands the message to the SMTP server; the transfer has
 * succeeded only when the server accepted the data (250 after DATA). */
static enum outcome deliver_mail(const struct outbox_message *m, const struct outbox_config *cfg,
				 int timeout, const atomic_int *stop, struct buf *error)
{
	struct transfer t = {.stop = stop};
	struct curl_slist *rcpt = NULL;
	enum outcome result = OUTCOME_FAILED;
	char from[OUTBOX_TARGET_MAX + 3], to[OUTBOX_TARGET_MAX + 3];
	struct buf message;
	CURL *curl = NULL;
	CURLcode res;

	buf_init(&message, OUTBOX_PAYLOAD_MAX * 4 + 65536); /* base64 of CRLF text */
	if (mail_build(m, cfg->smtp_from, &message)) {
		buf_adds(error, "smtp: cannot build the message");
		goto out;
	}
	snprintf(from, sizeof(from), "<%s>", cfg->smtp_from);
	snprintf(to, sizeof(to), "<%s>", m->target);
	rcpt = curl_slist_append(NULL, to);
	curl = curl_easy_init();
	if (!rcpt || !curl) {
		buf_adds(error, "smtp: cannot start libcurl");
		goto out;
	}
	t.upload = message.buf;
	t.upload_len = message.len;
	transfer_setup(curl, &t, "smtp,smtps", timeout);
	curl_easy_setopt(curl, CURLOPT_URL, cfg->smtp_url);
	/* STARTTLS when the server offers it; smtps:// for TLS throughout. */
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, transfer_read);
	curl_easy_setopt(curl, CURLOPT_READDATA, &t);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)message.len);
	res = curl_easy_perform(curl);
	result = transfer_result(curl, &t, res, "smtp", error);
out:
	curl_easy_cleanup(curl);
	curl_slist_free_all(rcpt);
	buf_release(&message);
	return result;
}

/* ---------------------------------------------------------- one pass */

/* read_due loads up to limit due rows (mail only when it can be sent),
 * oldest first. OUT: *rows (free each with message_release, then the
 * array) and *count. */
static int read_due(struct db *db, int64_t now, int limit, int with_mail,
		    struct outbox_message **rows, int *count)
{
	static const char due_all[] = "SELECT id, kind, target, subject, payload, created_at,"
				      " attempts, next_attempt_at FROM outbox"
				      " WHERE sent_at IS NULL AND next_attempt_at <= ?"
				      " ORDER BY id LIMIT ?";
	static const char due_webhooks[] = "SELECT id, kind, target, subject, payload, created_at,"
					   " attempts, next_attempt_at FROM outbox"
					   " WHERE sent_at IS NULL AND next_attempt_at <= ?"
					   " AND kind = ? ORDER BY id LIMIT ?";
	struct outbox_message *list = calloc((size_t)limit, sizeof(*list));
	struct db_stmt *st = NULL;
	int rc, n = 0;

	*rows = NULL;
	*count = 0;
	rc = LIN_ENOMEM;
	if (!list)
		goto out;
	rc = db_prepare(db, with_mail ? due_all : due_webhooks, &st);
	if (rc)
		goto out;
	rc = db_bind_int64(st, 1, now);
	if (!rc && with_mail)
		rc = db_bind_int64(st, 2, limit);
	if (!rc && !with_mail)
		rc = db_bind_text(st, 2, kind_name(OUTBOX_WEBHOOK));
	if (!rc && !with_mail)
		rc = db_bind_int64(st, 3, limit);
	if (rc)
		goto out;
	for (;;) {
		struct outbox_message *m;
		const char *kind;
		rc = n < limit ? db_step(st) : DB_DONE;
		if (rc != DB_ROW)
			break;
		m = &list[n++];
		kind = db_column_text(st, 1);
		m->id = db_column_int64(st, 0);
		m->kind = !strcmp(kind, "email") ? OUTBOX_EMAIL : OUTBOX_WEBHOOK;
		m->kind_known = !strcmp(kind, "email") || !strcmp(kind, "webhook");
		m->target = strdup(db_column_text(st, 2));
		m->subject = strdup(db_column_text(st, 3));
		m->payload = strdup(db_column_text(st, 4));
		m->created_at = db_column_int64(st, 5);
		m->attempts = db_column_int64(st, 6);
		m->next_attempt_at = db_column_int64(st, 7);
		if (!m->target || !m->subject || !m->payload) {
			rc = LIN_ENOMEM;
			goto out;
		}
	}
	if (rc < 0)
		goto out;
	rc = 0;
out:
	db_finalize(st);
	if (rc && list) {
		for (int i = 0; i < n; i++)
			message_release(&list[i]);
		free(list);
		list = NULL;
		n = 0;
	}
	*rows = list;
	*count = n;
	return rc;
}

/* deliver_one claims, sends and records one message at time now. OUT:
 * *sent is 1 when it went through. A negative return is a database error. */
static int deliver_one(struct db *db, const struct outbox_config *cfg, int64_t now,
		       const atomic_int *stop, struct outbox_message *m, int *sent)
{
	int timeout = cfg->timeout_seconds > 0 ? cfg->timeout_seconds : 10;
	int64_t clock = (int64_t)time(NULL), changed, retry;
	/* The lease is on the real clock, which other workers go by, even
	 * when the caller (a test) passes a time of its own. */
	int64_t lease = (now > clock ? now : clock) + 2 * (int64_t)timeout + 60;
	enum outcome result = OUTCOME_FAILED;
	struct buf error;
	int rc;

	*sent = 0;
	buf_init(&error, OUTBOX_ERROR_MAX + 64);
	/* The claim: a second worker's claim of the same row now matches
	 * nothing, and if we die before recording the outcome the row comes
	 * due again when the lease runs out. */
	rc = db_exec_args(db,
			  "UPDATE outbox SET next_attempt_at = ?"
			  " WHERE id = ? AND sent_at IS NULL AND next_attempt_at <= ?",
			  &changed, "iii", lease, m->id, now);
	if (rc || !changed)
		goto out;
	if (!m->kind_known)
		buf_adds(&error, "unknown kind");
	else if (outbox_target_check(m->kind, m->target))
		buf_adds(&error, "invalid target");
	else if (m->kind == OUTBOX_EMAIL && email_valid(cfg->smtp_from))
		buf_adds(&error, "smtp: invalid sender address");
	else if (curl_init_result != CURLE_OK)
		buf_adds(&error, "libcurl did not initialise");
	else if (m->kind == OUTBOX_WEBHOOK)
		result = deliver_webhook(m, timeout, stop, &error);
	else
		result = deliver_mail(m, cfg, timeout, stop, &error);

	/* At least once: the remote side has the message now, and a crash
	 * before this UPDATE commits sends it again when the lease runs out. */
	if (result == OUTCOME_SENT) {
		rc = db_exec_args(db,
				  "UPDATE outbox SET sent_at = ?, next_attempt_at = ?"
				  " WHERE id = ? AND sent_at IS NULL",
				  &changed, "iii", now, now, m->id);
		*sent = rc == 0;
	} else if (result == OUTCOME_ABORTED) {
		rc = db_exec_args(db,
				  "UPDATE outbox SET next_attempt_at = ?"
				  " WHERE id = ? AND sent_at IS NULL AND next_attempt_at = ?",
				  &changed, "iii", m->next_attempt_at, m->id, lease);
	} else {
		retry = now + outbox_backoff(m->attempts + 1);
		if (error.failed || !error.len) {
			buf_reset(&error);
			buf_adds(&error, "delivery failed");
		}
		while (error.len && error.buf[error.len - 1] == ' ')
			error.buf[--error.len] = '\0';
		log_warn("outbox: %s %" PRId64 " failed (attempt %" PRId64 "), next at %" PRId64
			 ": %s",
			 kind_name(m->kind), m->id, m->attempts + 1, retry, error.buf);
		rc = db_exec_args(db,
				  "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
				  " next_attempt_at = ? WHERE id = ? AND sent_at IS NULL",
				  &changed, "tii", error.buf, retry, m->id);
	}
out:
	buf_release(&error);
	return rc;
}

/* The worker's side of a pass, besides outbox_deliver_due's arguments. */
struct pass_control {
	const atomic_int *stop; /* end the pass early once non-zero */
	int taken;		/* OUT: due rows the pass read */
};

/* deliver_pass is outbox_deliver_due; with ctl (the worker's) the clock is
 * read again before each message, as a pass may take a while. */
static int deliver_pass(struct db *db, const struct outbox_config *cfg, int64_t now, int limit,
			struct pass_control *ctl)
{
	const atomic_int *stop = ctl ? ctl->stop : NULL;
	struct outbox_message *rows = NULL;
	int rc, count = 0, delivered = 0, sent;
	int64_t at = ctl ? (int64_t)time(NULL) : now;

	rc = LIN_EINVAL;
	if (limit < 1 || limit > OUTBOX_LIMIT_MAX)
		goto out;
	pthread_once(&curl_once, curl_init_once);
	rc = read_due(db, at, limit, cfg->smtp_url && cfg->smtp_from, &rows, &count);
	if (rc)
		goto out;
	if (ctl)
		ctl->taken = count;
	for (int i = 0; i < count && !(stop && atomic_load(stop)); i++) {
		if (ctl)
			at = (int64_t)time(NULL);
		rc = deliver_one(db, cfg, at, stop, &rows[i], &sent);
		if (rc)
			goto out;
		delivered += sent;
	}
	rc = delivered;
out:
	for (int i = 0; i < count; i++)
		message_release(&rows[i]);
	free(rows);
	return rc;
}

int outbox_deliver_due(struct db *db, const struct outbox_config *cfg, int64_t now, int limit)
{
	return deliver_pass(db, cfg, now, limit, NULL);
}

/* ---------------------------------------------------------------- worker */

int outbox_job_run(struct db *db, int64_t now, void *arg, const atomic_int *stop)
{
	struct pass_control ctl = {.stop = stop};
	int n = deliver_pass(db, arg, now, WORKER_BATCH, &ctl);

	if (n < 0)
		return n;
	/* More may be due at once after a full pass. */
	return ctl.taken == WORKER_BATCH ? JOB_MORE : 0;
}

int outbox_config_check(const struct outbox_config *cfg)
{
	if (cfg->smtp_url && strncmp(cfg->smtp_url, "smtp://", 7) &&
	    strncmp(cfg->smtp_url, "smtps://", 8))
		return LIN_EINVAL;
	if (cfg->smtp_url && (!cfg->smtp_from || email_valid(cfg->smtp_from)))
		return LIN_EINVAL;
	return 0;
}

struct outbox_worker {
	struct outbox_config cfg; /* the copy the job reads */
	char *db_url;		  /* owned copy of cfg.db_url */
	char *smtp_url;		  /* owned copy of cfg.smtp_url, or NULL */
	char *smtp_from;	  /* owned copy of cfg.smtp_from, or NULL */
	struct job_runner *runner;
};

static void worker_free(struct outbox_worker *w)
{
	free(w->db_url);
	free(w->smtp_url);
	free(w->smtp_from);
	free(w);
}

int outbox_start(const struct outbox_config *cfg, struct outbox_worker **out)
{
	struct outbox_worker *w = NULL;
	struct job job;
	int rc;

	*out = NULL;
	if ((rc = outbox_config_check(cfg)))
		return rc;
	if (!(w = calloc(1, sizeof(*w))))
		return LIN_ENOMEM;
	w->db_url = strdup(cfg->db_url ? cfg->db_url : "");
	w->smtp_url = cfg->smtp_url ? strdup(cfg->smtp_url) : NULL;
	w->smtp_from = cfg->smtp_from ? strdup(cfg->smtp_from) : NULL;
	if (!w->db_url || (cfg->smtp_url && !w->smtp_url) || (cfg->smtp_from && !w->smtp_from)) {
		worker_free(w);
		return LIN_ENOMEM;
	}
	w->cfg.db_url = w->db_url;
	w->cfg.smtp_url = w->smtp_url;
	w->cfg.smtp_from = w->smtp_from;
	w->cfg.poll_seconds = cfg->poll_seconds;
	w->cfg.timeout_seconds = cfg->timeout_seconds;
	outbox_job(&w->cfg, &job);
	pthread_once(&curl_once, curl_init_once);
	rc = jobs_start(w->db_url, &job, 1, &w->runner);
	if (rc) {
		worker_free(w);
		return rc;
	}
	*out = w;
	return 0;
}

void outbox_stop(struct outbox_worker *w)
{
	if (!w)
		return;
	jobs_stop(w->runner);
	worker_free(w);
}

void outbox_job(struct outbox_config *cfg, struct job *out)
{
	if (cfg->poll_seconds <= 0)
		cfg->poll_seconds = 5;
	if (cfg->timeout_seconds <= 0)
		cfg->timeout_seconds = 10;
	*out = (struct job){"outbox.send", cfg->poll_seconds, outbox_job_run, cfg};
}
