/* The outbox against a real peer: tests/outbox_peer.py runs a webhook
 * receiver and an SMTP server on 127.0.0.1 and logs what arrives. Each test
 * gets a fresh temporary SQLite database with one area, so rows left due by
 * one test never reach another's delivery pass. */
#include "base/err.h"
#include "base/log.h"
#include "base/parse.h"
#include "db/db.h"
#include "notify/outbox.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SLOW_SECONDS "5" /* how long the peer sits on /slow before replying */

/* A running tests/outbox_peer.py. */
struct peer {
	pid_t pid;	/* the python3 process, 0 when not running */
	int http_port;	/* its webhook receiver */
	int smtp_port;	/* its mail server */
	char log[160];	/* JSON lines of HTTP requests */
	char mail[160]; /* JSON lines of accepted mail */
};

struct fixture {
	char dir[64];	   /* temporary folder: databases and peer logs */
	char script[512];  /* path of outbox_peer.py */
	struct peer peer;  /* the peer every test shares */
	unsigned ndb;	   /* databases made so far, names each one */
	char url[160];	   /* this test's database */
	struct db *db;	   /* this test's connection */
	int64_t area_id;   /* the area every message belongs to */
	char smtp_url[64]; /* smtp://127.0.0.1:PORT of the peer */
};

static const struct outbox_config no_mail = {.timeout_seconds = 5};

/* ------------------------------------------------------------ helpers */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* jstr: a JSON string's text, "" for anything else. */
static const char *jstr(const json_t *v)
{
	const char *s = json_string_value(v);
	return s ? s : "";
}

/* find_script: $LINLI_OUTBOX_PEER, else tests/outbox_peer.py relative to
 * the source root (the usual working directory) or to this file. */
static int find_script(char *out, size_t n)
{
	const char *env = getenv("LINLI_OUTBOX_PEER");
	const char *slash = strrchr(__FILE__, '/');
	char beside[512];

	if (env && *env) {
		snprintf(out, n, "%s", env);
		return access(out, R_OK);
	}
	snprintf(beside, sizeof(beside), "%.*s/../outbox_peer.py",
		 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	const char *candidates[] = {"tests/outbox_peer.py", "../tests/outbox_peer.py", beside};
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		if (!access(candidates[i], R_OK)) {
			snprintf(out, n, "%s", candidates[i]);
			return 0;
		}
	}
	return -1;
}

/* peer_start runs the peer and waits for its line of JSON naming the
 * ports. http_fd: a bound TCP socket for its webhook receiver to listen on,
 * or -1 for any free port. 0 on success. */
static int peer_start(const struct fixture *f, const char *name, int http_fd, struct peer *p)
{
	char fd[16], line[256];
	size_t len = 0;
	double deadline = now_seconds() + 15;
	int fds[2];
	json_t *doc;

	memset(p, 0, sizeof(*p));
	snprintf(p->log, sizeof(p->log), "%s/%s-http.jsonl", f->dir, name);
	snprintf(p->mail, sizeof(p->mail), "%s/%s-mail.jsonl", f->dir, name);
	snprintf(fd, sizeof(fd), "%d", http_fd);
	if (pipe(fds))
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive a crashed test */
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("python3", "python3", f->script, "--http-log", p->log, "--mail-log", p->mail,
		       "--slow", SLOW_SECONDS, http_fd >= 0 ? "--http-fd" : (char *)NULL, fd,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (len < sizeof(line) - 1 && !memchr(line, '\n', len)) {
		struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
		int wait_ms = (int)((deadline - now_seconds()) * 1000);
		ssize_t got;
		if (wait_ms <= 0 || poll(&pfd, 1, wait_ms) <= 0)
			break;
		got = read(fds[0], line + len, sizeof(line) - 1 - len);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fds[0]);
	line[len] = '\0';
	doc = json_loads(line, JSON_DISABLE_EOF_CHECK, NULL);
	p->http_port = (int)json_integer_value(json_object_get(doc, "http"));
	p->smtp_port = (int)json_integer_value(json_object_get(doc, "smtp"));
	json_decref(doc);
	if (p->http_port <= 0 || p->smtp_port <= 0) {
		print_message("# the peer did not start: %s\n", line);
		return -1;
	}
	return 0;
}

static void peer_stop(struct peer *p)
{
	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
}

/* log_records: the JSON objects in a peer's log whose field `key` equals
 * value (all of them when key is NULL), as a new array. */
static json_t *log_records(const char *path, const char *key, const char *value)
{
	json_t *all = json_array();
	char line[1 << 16];
	FILE *in = fopen(path, "r");

	if (!in)
		return all;
	while (fgets(line, sizeof(line), in)) {
		json_t *rec = json_loads(line, 0, NULL);
		if (!rec)
			continue;
		if (!key || !strcmp(jstr(json_object_get(rec, key)), value))
			json_array_append(all, rec);
		json_decref(rec);
	}
	fclose(in);
	return all;
}

static size_t requests_to(const struct peer *p, const char *path)
{
	json_t *recs = log_records(p->log, "path", path);
	size_t n = json_array_size(recs);
	json_decref(recs);
	return n;
}

/* The columns of one outbox row a test looks at. */
struct row {
	int64_t attempts;	 /* failures so far */
	int64_t next_attempt_at; /* when it is due */
	int64_t sent_at;	 /* when delivered, 0 while NULL */
	int sent;		 /* sent_at is not NULL */
	char last_error[512];	 /* the latest failure */
};

/* read_row: DB_ROW when the row exists (filling r), DB_DONE when not. */
static int read_row(struct fixture *f, int64_t id, struct row *r)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	assert_int_equal(db_prepare(f->db,
				    "SELECT attempts, next_attempt_at, sent_at, last_error"
				    " FROM outbox WHERE id = ?",
				    &st),
			 0);
	assert_int_equal(db_bind_int64(st, 1, id), 0);
	rc = db_step(st);
	if (rc == DB_ROW) {
		r->attempts = db_column_int64(st, 0);
		r->next_attempt_at = db_column_int64(st, 1);
		r->sent = !db_column_is_null(st, 2);
		r->sent_at = r->sent ? db_column_int64(st, 2) : 0;
		snprintf(r->last_error, sizeof(r->last_error), "%s", db_column_text(st, 3));
	}
	db_finalize(st);
	return rc;
}

/* enqueue_committed writes a message in its own transaction, as a caller
 * would with the change it reports. */
static int64_t enqueue_committed(struct fixture *f, enum outbox_kind kind, const char *target,
				 const char *subject, const char *payload)
{
	int64_t id = 0;

	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, kind, target, subject, payload, &id), 0);
	assert_int_equal(db_commit(f->db), 0);
	assert_true(id > 0);
	return id;
}

static void webhook_url(const struct fixture *f, int port, const char *path, char out[128])
{
	snprintf(out, 128, "http://127.0.0.1:%d%s", port ? port : f->peer.http_port, path);
}

/* insert_returning runs an INSERT ... RETURNING id with text arguments. */
static int64_t insert_returning(struct db *db, const char *sql, int64_t parent, const char *a,
				const char *b)
{
	struct db_stmt *st = NULL;
	int64_t id = 0;
	int i = 1;

	assert_int_equal(db_prepare(db, sql, &st), 0);
	if (parent)
		assert_int_equal(db_bind_int64(st, i++, parent), 0);
	assert_int_equal(db_bind_text(st, i++, a), 0);
	assert_int_equal(db_bind_text(st, i, b), 0);
	assert_int_equal(db_step(st), DB_ROW);
	id = db_column_int64(st, 0);
	db_finalize(st);
	return id;
}

/* -------------------------------------------------------------- setup */

static int group_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/linli-test-outbox-XXXXXX");
	if (!mkdtemp(f->dir) || find_script(f->script, sizeof(f->script))) {
		print_message("# no temporary folder or no tests/outbox_peer.py\n");
		free(f);
		return -1;
	}
	if (peer_start(f, "peer", -1, &f->peer)) {
		free(f);
		return -1;
	}
	snprintf(f->smtp_url, sizeof(f->smtp_url), "smtp://127.0.0.1:%d", f->peer.smtp_port);
	*state = f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *f = *state;
	struct dirent *e;
	char path[512];
	DIR *d;

	peer_stop(&f->peer);
	d = opendir(f->dir);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* test_setup: a fresh database with a district, street and area. */
static int test_setup(void **state)
{
	struct fixture *f = *state;
	int applied;
	int64_t district, street;

	snprintf(f->url, sizeof(f->url), "sqlite:%s/t%u.db", f->dir, ++f->ndb);
	if (db_open(f->url, &f->db) || db_migrate(f->db, &applied))
		return -1;
	district = insert_returning(f->db,
				    "INSERT INTO districts (code, name) VALUES (?, ?)"
				    " RETURNING id",
				    0, "310115", "浦东新区");
	street = insert_returning(f->db,
				  "INSERT INTO streets (district_id, code, name) VALUES (?, ?, ?)"
				  " RETURNING id",
				  district, "310115001", "浦南街道");
	f->area_id = insert_returning(f->db,
				      "INSERT INTO areas (street_id, code, name) VALUES (?, ?, ?)"
				      " RETURNING id",
				      street, "310115001001", "浦山居民区");
	return f->area_id > 0 ? 0 : -1;
}

static int test_teardown(void **state)
{
	struct fixture *f = *state;

	db_close(f->db);
	f->db = NULL;
	return 0;
}

/* -------------------------------------------------------------- tests */

static void enqueue_validates(void **state)
{
	struct fixture *f = *state;
	static const char *const bad_urls[] = {"",
					       "not a url",
					       "ftp://example.org/cases",
					       "file:///etc/passwd",
					       "gopher://example.org/",
					       "http://",
					       "http:///path",
					       "https:///path",
					       "http:/example.org/",
					       "http:\\\\example.org\\x",
					       "http://exa mple.org/",
					       "example.org/hook",
					       "//example.org/hook",
					       "javascript:alert(1)",
					       "http://example.org/\r\nX-Evil: 1",
					       "https://例子.中国/hook",
					       NULL};
	static const char *const bad_emails[] = {"",
						 "nobody",
						 "a@b",
						 "@example.org",
						 "a@",
						 "a..b@example.org",
						 ".a@example.org",
						 "a.@example.org",
						 "a@-x.org",
						 "a@x-.org",
						 "a@x..org",
						 "a b@example.org",
						 "a@example.org\r\nBcc: x@y.org",
						 "<a@example.org>",
						 "张三@example.org",
						 "a@b@example.org",
						 "http://example.org/",
						 NULL};
	static char big[OUTBOX_PAYLOAD_MAX + 16];
	int64_t id = 42, n = -1;

	assert_int_equal(db_begin(f->db), 0);
	for (int i = 0; bad_urls[i]; i++) {
		int rc =
		    outbox_enqueue(f->db, f->area_id, OUTBOX_WEBHOOK, bad_urls[i], NULL, "{}", &id);
		if (rc != LIN_EINVAL)
			fail_msg("URL \"%s\" gave %d", bad_urls[i], rc);
		assert_int_equal(id, 0);
	}
	for (int i = 0; bad_emails[i]; i++) {
		int rc = outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, bad_emails[i], "转办",
					"正文", &id);
		if (rc != LIN_EINVAL)
			fail_msg("address \"%s\" gave %d", bad_emails[i], rc);
	}
	/* Payloads and subjects. */
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_WEBHOOK,
					"https://hooks.example.cn/linli", NULL, "{not json", &id),
			 LIN_EINVAL);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn",
					"第一行\r\nBcc: x@y.org", "正文", &id),
			 LIN_EINVAL);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn",
					"转办", "\xff\xfe not UTF-8", &id),
			 LIN_EINVAL);
	assert_int_equal(
	    outbox_enqueue(f->db, 0, OUTBOX_WEBHOOK, "https://hooks.example.cn/x", NULL, "{}", &id),
	    LIN_EINVAL);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, (enum outbox_kind)7,
					"https://hooks.example.cn/x", NULL, "{}", &id),
			 LIN_EINVAL);
	memset(big, 'a', OUTBOX_PAYLOAD_MAX + 1);
	big[OUTBOX_PAYLOAD_MAX + 1] = '\0';
	assert_int_equal(
	    outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn", "big", big, &id),
	    LIN_ETOOBIG);
	assert_int_equal(db_query_int64(f->db, "SELECT COUNT(*) FROM outbox", &n, 0), 0);
	assert_int_equal(n, 0);

	/* What is accepted. */
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_WEBHOOK,
					"https://hooks.example.cn:8443/linli?token=abc", NULL,
					"{\"case\":1}", &id),
			 0);
	assert_true(id > 0);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_WEBHOOK,
					"http://127.0.0.1:8080/x", "ignored", "[1,2]", &id),
			 0);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL,
					"ops+case.1@wuye.example.cn", NULL, "第一行\n第二行", &id),
			 0);
	assert_int_equal(db_query_int64(f->db, "SELECT COUNT(*) FROM outbox", &n, 0), 0);
	assert_int_equal(n, 3);
	assert_int_equal(db_rollback(f->db), 0);
}

/* Each limit of an address and a subject, one byte either side. */
static void enqueue_edges(void **state)
{
	struct fixture *f = *state;
	char addr[200], subject[OUTBOX_SUBJECT_MAX + 8];
	int64_t id = 0;

	assert_int_equal(db_begin(f->db), 0);
	/* The local part: 64 bytes at most. */
	snprintf(addr, sizeof(addr), "%.*s@wuye.example.cn", 64,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, addr, "转办", "正文", &id),
			 0);
	snprintf(addr, sizeof(addr), "%.*s@wuye.example.cn", 65,
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, addr, "转办", "正文", &id),
			 LIN_EINVAL);
	/* A host name label: 63 at most. */
	snprintf(addr, sizeof(addr), "ops@%.*s.cn", 63,
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, addr, "转办", "正文", &id),
			 0);
	snprintf(addr, sizeof(addr), "ops@%.*s.cn", 64,
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, addr, "转办", "正文", &id),
			 LIN_EINVAL);
	/* A subject is one line: a lone CR or LF would start a header too. */
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn",
					"第一行\r第二行", "正文", &id),
			 LIN_EINVAL);
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn",
					"第一行\nBcc: x@y.org", "正文", &id),
			 LIN_EINVAL);
	/* ...of at most OUTBOX_SUBJECT_MAX bytes. */
	memset(subject, 's', OUTBOX_SUBJECT_MAX);
	subject[OUTBOX_SUBJECT_MAX] = '\0';
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn",
					subject, "正文", &id),
			 0);
	subject[OUTBOX_SUBJECT_MAX] = 's';
	subject[OUTBOX_SUBJECT_MAX + 1] = '\0';
	assert_int_equal(outbox_enqueue(f->db, f->area_id, OUTBOX_EMAIL, "ops@wuye.example.cn",
					subject, "正文", &id),
			 LIN_ETOOBIG);
	assert_int_equal(db_rollback(f->db), 0);
}

static void webhook_is_delivered_once(void **state)
{
	struct fixture *f = *state;
	const char *payload = "{\"case\":\"SQ-2024-0001\",\"agency\":\"城管\","
			      "\"note\":\"占道经营 \\\"夜市\\\"\\n第二行\",\"n\":[1,2.5,null]}";
	char url[128], key[64];
	struct row r;
	json_t *recs, *rec, *headers;
	int64_t id, now;

	webhook_url(f, 0, "/ok/once", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, payload);
	now = (int64_t)time(NULL);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now, 10), 1);

	recs = log_records(f->peer.log, "path", "/ok/once");
	assert_int_equal(json_array_size(recs), 1);
	rec = json_array_get(recs, 0);
	headers = json_object_get(rec, "headers");
	snprintf(key, sizeof(key), "linli-outbox-%" PRId64, id);
	assert_string_equal(json_string_value(json_object_get(rec, "method")), "POST");
	assert_string_equal(json_string_value(json_object_get(rec, "body")), payload);
	assert_string_equal(json_string_value(json_object_get(headers, "idempotency-key")), key);
	assert_string_equal(json_string_value(json_object_get(headers, "content-type")),
			    "application/json; charset=utf-8");
	assert_string_equal(json_string_value(json_object_get(headers, "user-agent")), "linli");
	assert_null(json_object_get(headers, "expect"));
	json_decref(recs);

	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_true(r.sent);
	assert_int_equal(r.sent_at, now);
	assert_int_equal(r.attempts, 0);

	/* Delivered means done: later passes leave it alone. */
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now + 7200, 10), 0);
	assert_int_equal(requests_to(&f->peer, "/ok/once"), 1);
}

static void failed_webhook_backs_off(void **state)
{
	struct fixture *f = *state;
	char url[128];
	struct row r;
	int64_t id, redirect, now;

	webhook_url(f, 0, "/fail/backoff", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{\"x\":1}");
	webhook_url(f, 0, "/redirect/backoff", url);
	redirect = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{\"x\":2}");
	now = (int64_t)time(NULL);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now, 10), 0);

	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.next_attempt_at, now + 30);
	assert_non_null(strstr(r.last_error, "503"));
	assert_int_equal(requests_to(&f->peer, "/fail/backoff"), 1);

	/* A 3xx is a failure too, and the redirect is not followed. */
	assert_int_equal(read_row(f, redirect, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(r.last_error, "302"));
	assert_int_equal(requests_to(&f->peer, "/ok"), 0);

	/* Not due before its time; then the second failure waits 60 s. */
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now + 29, 10), 0);
	assert_int_equal(requests_to(&f->peer, "/fail/backoff"), 1);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now + 30, 10), 0);
	assert_int_equal(requests_to(&f->peer, "/fail/backoff"), 2);
	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_int_equal(r.attempts, 2);
	assert_int_equal(r.next_attempt_at, now + 30 + 60);
}

static void slow_webhook_times_out(void **state)
{
	struct fixture *f = *state;
	const struct outbox_config quick = {.timeout_seconds = 1};
	char url[128];
	struct row r;
	double start;
	int64_t id;

	webhook_url(f, 0, "/slow/timeout", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{}");
	start = now_seconds();
	assert_int_equal(outbox_deliver_due(f->db, &quick, (int64_t)time(NULL), 10), 0);
	assert_true(now_seconds() - start < 3);
	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strcasestr(r.last_error, "timed out"));
}

/* The agency's server is down when the message is first due; nothing is
 * lost, and once it is back and the backoff has passed it gets the message. */
static void down_target_gets_it_later(void **state)
{
	struct fixture *f = *state;
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	struct peer late;
	char url[128];
	struct row r;
	json_t *recs;
	int64_t id, now;
	int hold;

	/* A port bound but not listening refuses connections; the late peer
	 * inherits the socket and listens on it, so the port is never free for
	 * another program to take. */
	hold = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(hold >= 0);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(hold, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(getsockname(hold, (struct sockaddr *)&addr, &len), 0);

	webhook_url(f, ntohs(addr.sin_port), "/ok/late", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{\"late\":true}");
	now = (int64_t)time(NULL);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now, 10), 0);
	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 1);
	assert_int_equal(r.next_attempt_at, now + 30);
	assert_non_null(strcasestr(r.last_error, "connect"));

	assert_int_equal(peer_start(f, "late", hold, &late), 0);
	close(hold); /* the peer has its own copy */
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now + 5, 10), 0); /* not yet due */
	assert_int_equal(requests_to(&late, "/ok/late"), 0);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now + 30, 10), 1);
	recs = log_records(late.log, "path", "/ok/late");
	peer_stop(&late);
	assert_int_equal(json_array_size(recs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(recs, 0), "body")),
			    "{\"late\":true}");
	json_decref(recs);
	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_true(r.sent);
	assert_int_equal(r.attempts, 1);
}

static void backoff_doubles_to_an_hour(void **state)
{
	static const int64_t want[][2] = {{-1, 0},	   {0, 0},	     {1, 30},	{2, 60},
					  {3, 120},	   {4, 240},	     {5, 480},	{6, 960},
					  {7, 1920},	   {8, 3600},	     {9, 3600}, {50, 3600},
					  {1000000, 3600}, {INT64_MAX, 3600}};
	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(outbox_backoff(want[i][0]), want[i][1]);
}

/* decode_subject decodes the Subject header of a raw message: the RFC 2047
 * encoded words, each whole UTF-8 characters, joined (the folding between
 * them dropped). */
static void decode_subject(const char *message, char *out, size_t n)
{
	const char *p = strstr(message, "\r\nSubject: ");
	size_t used = 0;

	assert_non_null(p);
	p += 11;
	out[0] = '\0';
	for (;;) {
		const char *end;
		size_t got = 0;
		assert_memory_equal(p, "=?UTF-8?B?", 10);
		p += 10;
		end = strstr(p, "?=");
		assert_non_null(end);
		assert_true(end - p + 12 <= 75); /* RFC 2047's limit per encoded word */
		assert_int_equal(sodium_base642bin((unsigned char *)out + used, n - used - 1, p,
						   (size_t)(end - p), NULL, &got, NULL,
						   sodium_base64_VARIANT_ORIGINAL),
				 0);
		assert_true(utf8_valid(out + used, got));
		used += got;
		out[used] = '\0';
		p = end + 2;
		if (strncmp(p, "\r\n ", 3))
			break;
		p += 3;
	}
	assert_memory_equal(p, "\r\n", 2);
}

static void mail_arrives_in_utf8(void **state)
{
	struct fixture *f = *state;
	const struct outbox_config cfg = {
	    .smtp_url = f->smtp_url, .smtp_from = "linli@jiedao.example.cn", .timeout_seconds = 5};
	const char *subject = "关于案件 SQ-2024-0001 的转办通知（城管）🏠——请于三个工作日内答复";
	const char *body = "您好：\n\n居民反映小区南门占道经营，影响通行，请处理。\r\n"
			   ".以点开头的一行\n——浦山居民区";
	const char *canonical = "您好：\r\n\r\n居民反映小区南门占道经营，影响通行，请处理。\r\n"
				".以点开头的一行\r\n——浦山居民区";
	char decoded[1024], want_id[96];
	unsigned char text[2048];
	const char *data, *sep, *p;
	size_t got = 0;
	json_t *recs, *rec;
	int64_t id;

	id = enqueue_committed(f, OUTBOX_EMAIL, "chengguan@agency.example.cn", subject, body);
	enqueue_committed(f, OUTBOX_EMAIL, "wuye@agency.example.cn", "Referral SQ-1", "plain");
	assert_int_equal(outbox_deliver_due(f->db, &cfg, (int64_t)time(NULL), 10), 2);

	recs = log_records(f->peer.mail, NULL, NULL);
	rec = NULL;
	for (size_t i = 0; i < json_array_size(recs); i++) {
		json_t *to = json_object_get(json_array_get(recs, i), "rcpt");
		assert_int_equal(json_array_size(to), 1);
		if (!strcmp(jstr(json_array_get(to, 0)), "chengguan@agency.example.cn")) {
			assert_null(rec); /* once */
			rec = json_array_get(recs, i);
		}
		if (!strcmp(jstr(json_array_get(to, 0)), "wuye@agency.example.cn"))
			assert_non_null(strstr(
			    json_string_value(json_object_get(json_array_get(recs, i), "data")),
			    "\r\nSubject: Referral SQ-1\r\n"));
	}
	assert_non_null(rec);
	assert_string_equal(json_string_value(json_object_get(rec, "from")),
			    "linli@jiedao.example.cn");
	data = json_string_value(json_object_get(rec, "data"));

	/* Headers: CRLF everywhere, short lines, the fields a mail needs. */
	sep = strstr(data, "\r\n\r\n");
	assert_non_null(sep);
	for (p = data; *p; p++)
		if (*p == '\n')
			assert_true(p > data && p[-1] == '\r');
	for (p = data; *p;) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		assert_true(eol - p <= 76);
		p = eol + 2;
	}
	assert_memory_equal(data, "Date: ", 6);
	assert_non_null(strstr(data, "\r\nFrom: linli@jiedao.example.cn\r\n"));
	assert_non_null(strstr(data, "\r\nTo: chengguan@agency.example.cn\r\n"));
	snprintf(want_id, sizeof(want_id), "\r\nMessage-ID: <linli-outbox-%" PRId64 ".", id);
	assert_non_null(strstr(data, want_id));
	assert_non_null(strstr(data, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(data, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(strstr(data, "\r\nContent-Transfer-Encoding: base64\r\n"));
	decode_subject(data, decoded, sizeof(decoded));
	assert_string_equal(decoded, subject);

	/* The body decodes to the text, line breaks made CRLF. */
	assert_int_equal(sodium_base642bin(text, sizeof(text) - 1, sep + 4, strlen(sep + 4), "\r\n",
					   &got, NULL, sodium_base64_VARIANT_ORIGINAL),
			 0);
	text[got] = '\0';
	assert_string_equal((const char *)text, canonical);
	json_decref(recs);
}

static void mail_waits_for_smtp_and_reports_refusals(void **state)
{
	struct fixture *f = *state;
	const struct outbox_config cfg = {
	    .smtp_url = f->smtp_url, .smtp_from = "linli@jiedao.example.cn", .timeout_seconds = 5};
	char url[128];
	struct row r;
	json_t *recs;
	int64_t mail, refused, hook, now;

	mail = enqueue_committed(f, OUTBOX_EMAIL, "paichusuo@agency.example.cn", "转办", "正文");
	webhook_url(f, 0, "/ok/beside-mail", url);
	hook = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{}");
	now = (int64_t)time(NULL);

	/* No SMTP server configured: mail is left as it is, webhooks go. */
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now, 1), 1);
	assert_int_equal(read_row(f, hook, &r), DB_ROW);
	assert_true(r.sent);
	assert_int_equal(read_row(f, mail, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 0);
	assert_string_equal(r.last_error, "");

	/* The server refuses a recipient: a failure with its reply. */
	refused = enqueue_committed(f, OUTBOX_EMAIL, "reject-me@agency.example.cn", "转办", "正文");
	now = (int64_t)time(NULL); /* the clock may have ticked since it was enqueued */
	assert_int_equal(outbox_deliver_due(f->db, &cfg, now, 10), 1);
	assert_int_equal(read_row(f, mail, &r), DB_ROW);
	assert_true(r.sent);
	assert_int_equal(read_row(f, refused, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(r.last_error, "550"));
	recs = log_records(f->peer.mail, NULL, NULL);
	for (size_t i = 0; i < json_array_size(recs); i++) {
		json_t *to = json_object_get(json_array_get(recs, i), "rcpt");
		assert_string_not_equal(json_string_value(json_array_get(to, 0)),
					"reject-me@agency.example.cn");
	}
	json_decref(recs);
}

static void rolled_back_message_is_never_sent(void **state)
{
	struct fixture *f = *state;
	char url[128];
	struct row r;
	int64_t id = 0, n = -1;

	webhook_url(f, 0, "/ok/rolled-back", url);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(
	    outbox_enqueue(f->db, f->area_id, OUTBOX_WEBHOOK, url, NULL, "{\"x\":1}", &id), 0);
	assert_true(id > 0);
	assert_int_equal(db_rollback(f->db), 0);

	assert_int_equal(outbox_deliver_due(f->db, &no_mail, (int64_t)time(NULL) + 86400, 10), 0);
	assert_int_equal(read_row(f, id, &r), DB_DONE);
	assert_int_equal(db_query_int64(f->db, "SELECT COUNT(*) FROM outbox", &n, 0), 0);
	assert_int_equal(n, 0);
	assert_int_equal(requests_to(&f->peer, "/ok/rolled-back"), 0);
}

static void worker_delivers_and_stops(void **state)
{
	struct fixture *f = *state;
	struct outbox_config cfg = {.db_url = f->url, .poll_seconds = 1, .timeout_seconds = 5};
	struct outbox_worker *w = NULL;
	char url[128];
	struct row r = {0};
	double start, took;
	int64_t id;

	assert_int_equal(outbox_start(&cfg, &w), 0);
	assert_non_null(w);
	usleep(200 * 1000); /* let it make its first, empty pass */
	webhook_url(f, 0, "/ok/worker", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{\"by\":\"worker\"}");
	start = now_seconds();
	while (now_seconds() - start < 10) {
		assert_int_equal(read_row(f, id, &r), DB_ROW);
		if (r.sent)
			break;
		usleep(50 * 1000);
	}
	took = now_seconds() - start;
	print_message("# the worker delivered in %.2f s\n", took);
	assert_true(r.sent);
	assert_true(took < 3);
	assert_int_equal(requests_to(&f->peer, "/ok/worker"), 1);

	start = now_seconds();
	outbox_stop(w);
	assert_true(now_seconds() - start < 0.5);

	/* A long poll does not delay stopping: outbox_stop wakes the thread. */
	cfg.poll_seconds = 3600;
	assert_int_equal(outbox_start(&cfg, &w), 0);
	usleep(200 * 1000);
	start = now_seconds();
	outbox_stop(w);
	took = now_seconds() - start;
	print_message("# outbox_stop took %.3f s\n", took);
	assert_true(took < 0.5);
	assert_int_equal(requests_to(&f->peer, "/ok/worker"), 1);
}

/* Stopping in the middle of a transfer aborts it; the message is neither
 * marked sent nor counted as failed, and is due again at once. */
static void worker_stop_aborts_a_transfer(void **state)
{
	struct fixture *f = *state;
	struct outbox_config cfg = {.db_url = f->url, .poll_seconds = 1, .timeout_seconds = 30};
	struct outbox_worker *w = NULL;
	char url[128];
	struct row r, before;
	double start, took;
	int64_t id;

	webhook_url(f, 0, "/slow/stop", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{}");
	assert_int_equal(read_row(f, id, &before), DB_ROW);
	assert_int_equal(outbox_start(&cfg, &w), 0);
	start = now_seconds();
	while (requests_to(&f->peer, "/slow/stop") == 0 && now_seconds() - start < 10)
		usleep(50 * 1000);
	assert_int_equal(requests_to(&f->peer, "/slow/stop"), 1);
	start = now_seconds();
	outbox_stop(w);
	took = now_seconds() - start;
	print_message("# outbox_stop during a transfer took %.3f s\n", took);
	assert_true(took < 2.5);
	assert_int_equal(read_row(f, id, &r), DB_ROW);
	assert_false(r.sent);
	assert_int_equal(r.attempts, 0);
	assert_int_equal(r.next_attempt_at, before.next_attempt_at);
}

/* A claimed row (another worker has it in flight) is skipped. */
static void claimed_row_is_skipped(void **state)
{
	struct fixture *f = *state;
	char url[128];
	struct db_stmt *st = NULL;
	int64_t id, now;

	webhook_url(f, 0, "/ok/claimed", url);
	id = enqueue_committed(f, OUTBOX_WEBHOOK, url, NULL, "{}");
	now = (int64_t)time(NULL);
	/* What a second worker's claim leaves behind: due only after its lease. */
	assert_int_equal(
	    db_prepare(f->db, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", &st), 0);
	assert_int_equal(db_bind_int64(st, 1, now + 80), 0);
	assert_int_equal(db_bind_int64(st, 2, id), 0);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now, 10), 0);
	assert_int_equal(requests_to(&f->peer, "/ok/claimed"), 0);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now + 80, 10), 1);
	assert_int_equal(requests_to(&f->peer, "/ok/claimed"), 1);
	assert_int_equal(outbox_deliver_due(f->db, &no_mail, now, 0), LIN_EINVAL);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, test_setup, test_teardown)
	const struct CMUnitTest tests[] = {
	    T(enqueue_validates),
	    T(enqueue_edges),
	    T(webhook_is_delivered_once),
	    T(failed_webhook_backs_off),
	    T(slow_webhook_times_out),
	    T(down_target_gets_it_later),
	    cmocka_unit_test(backoff_doubles_to_an_hour),
	    T(mail_arrives_in_utf8),
	    T(mail_waits_for_smtp_and_reports_refusals),
	    T(rolled_back_message_is_never_sent),
	    T(worker_delivers_and_stops),
	    T(worker_stop_aborts_a_transfer),
	    T(claimed_row_is_skipped),
	};
#undef T

	/* The peer is on 127.0.0.1: no proxy from the environment. */
	setenv("no_proxy", "*", 1);
	setenv("NO_PROXY", "*", 1);
	signal(SIGPIPE, SIG_IGN);
	/* Expected failures would log as warnings. */
	log_set_level(getenv("LINLI_TEST_VERBOSE") ? LOG_DEBUG : LOG_QUIET);
	return cmocka_run_group_tests_name("outbox", tests, group_setup, group_teardown);
}
