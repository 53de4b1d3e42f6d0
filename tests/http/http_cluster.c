/* Three `linli serve` on one PostgreSQL behind nginx, as a district runs
 * them: a session opened on A acts on B with A's CSRF token and is read on
 * C; messages already due in the outbox when the three start together are
 * each sent once although three senders race for them; a reading posted to
 * A reaches a live stream open on C; two batches of one meter stored by A
 * and B at once open one alert per rule; an HJ 212 station attached to B and
 * a broker B and C both subscribe to (each under its default client id,
 * neither pushing the other off) feed A, each reading stored once; no
 * write that got a 2xx is lost while the server holding the outbox's
 * lease is killed (-9) under load through nginx, and another server takes
 * the lease over and sends what came meanwhile; and the response cache of
 * one server never answers with data older than a write made through
 * another, for every route the router flags ROUTE_CACHEABLE (read from
 * `linli routes`, so a new cached route is covered, or the test says it
 * cannot cover it). PostgreSQL only: on SQLite the program reports one
 * skip. */
#include "checks.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <mosquitto.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define NODES	       3  /* A, B, C */
#define EARLY_MESSAGES 12 /* outbox rows due before the servers start */
#define LATE_MESSAGES  4  /* enqueued while the lease holder is dead */
#define WRITERS	       6  /* parallel writers through nginx */
#define LEASE_WAIT_S   40 /* outbox.send: a 15 s lease, claimed every 5 s */

static struct server node[NODES]; /* A, B, C on srv's database and folder */
static struct server gateway;	  /* nginx: only its url is used */
static pid_t nginx_pid, peer_pid, broker_pid;
static char peer_log[300];	   /* what the webhook receiver got, one JSON a line */
static int peer_port, broker_port; /* loopback ports */
static int victim = -1;		   /* the node killed under load */
static double killed_at;	   /* when (now_s) */

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
static double t_start, t_ready; /* the program's start; the cluster up */

/* wait_port: something accepts on port within seconds (1), or not (0). */
static int wait_port(int port, double seconds)
{
	double deadline = now_s() + seconds;

	while (now_s() < deadline) {
		if (port_accepts(port))
			return 1;
		usleep(50 * 1000);
	}
	return 0;
}

/* spawn: argv run with stdout to out_fd (or the log), stderr to log. */
static pid_t spawn(const char *const argv[], const char *log, int out_fd)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 2);
			dup2(out_fd >= 0 ? out_fd : fd, 1);
		}
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static void reap(pid_t *pid, int sig)
{
	if (*pid > 0) {
		kill(*pid, sig);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

/* ------------------------------------------------------------ nginx */

/* nginx_start: nginx on a free loopback port in front of A, B and C,
 * configured as docs/operations.md ("Several servers") says. */
static int nginx_start(void)
{
	char dir[300], conf[400], log[400], prefix[400];
	int port = free_port();
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/nginx", srv.dir);
	snprintf(conf, sizeof(conf), "%s/nginx.conf", dir);
	snprintf(log, sizeof(log), "%s/error.log", dir);
	snprintf(prefix, sizeof(prefix), "%s/", dir);
	if (mkdir(dir, 0700) || port < 0 || !(f = fopen(conf, "w")))
		return -1;
	fprintf(f, "daemon off;\nworker_processes 1;\npid %s/nginx.pid;\nerror_log %s warn;\n", dir,
		log);
	if (geteuid() == 0) /* workers may stay root: the folder is root's alone */
		fprintf(f, "user root;\n");
	fprintf(f, "events { worker_connections 512; }\nhttp {\n  access_log off;\n");
	fprintf(f,
		"  client_body_temp_path %s/body;\n  proxy_temp_path %s/proxy;\n"
		"  fastcgi_temp_path %s/fastcgi;\n  uwsgi_temp_path %s/uwsgi;\n"
		"  scgi_temp_path %s/scgi;\n",
		dir, dir, dir, dir, dir);
	fprintf(f, "  upstream linli {\n");
	for (int i = 0; i < NODES; i++)
		fprintf(f, "    server %s max_fails=1 fail_timeout=10s;\n", node[i].url + 7);
	fprintf(f, "    keepalive 16;\n    keepalive_timeout 5s;\n  }\n");
	fprintf(f,
		"  server {\n    listen 127.0.0.1:%d;\n    client_max_body_size 64m;\n"
		"    proxy_http_version 1.1;\n    proxy_set_header Connection \"\";\n"
		"    proxy_set_header Host $host;\n"
		"    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
		"    proxy_next_upstream error timeout;\n"
		"    location / { proxy_pass http://linli; }\n"
		"    location ~ /events$ {\n      proxy_pass http://linli;\n"
		"      proxy_buffering off;\n      proxy_read_timeout 1h;\n    }\n  }\n}\n",
		port);
	fclose(f);
	const char *argv[] = {"/usr/sbin/nginx", "-p", prefix, "-e", log, "-c", conf, NULL};
	nginx_pid = spawn(argv, log, -1);
	snprintf(gateway.url, sizeof(gateway.url), "http://127.0.0.1:%d", port);
	if (!wait_port(port, 10)) {
		fprintf(stderr, "# nginx did not start; see %s\n", log);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ the peers */

/* peer_start: tests/outbox_peer.py as the agencies' webhook receiver. */
static int peer_start(void)
{
	char script[600], line[256] = "", errlog[400];
	const char *p;
	int out[2];
	FILE *f;

	snprintf(script, sizeof(script), "%s/tests/outbox_peer.py", LINLI_SOURCE_ROOT);
	snprintf(peer_log, sizeof(peer_log), "%s/peer.log", srv.dir);
	snprintf(errlog, sizeof(errlog), "%s/peer.err", srv.dir);
	if (pipe(out))
		return -1;
	const char *argv[] = {"/usr/bin/python3", script, "--http-log", peer_log, NULL};
	peer_pid = spawn(argv, errlog, out[1]);
	close(out[1]);
	f = fdopen(out[0], "r");
	if (!f || !fgets(line, sizeof(line), f)) {
		if (f)
			fclose(f);
		fprintf(stderr, "# outbox_peer.py did not start; see %s\n", errlog);
		return -1;
	}
	fclose(f);
	p = strstr(line, "\"http\":");
	peer_port = p ? (int)strtol(p + 7, NULL, 10) : 0;
	return peer_port > 0 ? 0 : -1;
}

/* broker_start: Mosquitto on a free loopback port. */
static int broker_start(void)
{
	char conf[400], log[400];
	FILE *f;

	broker_port = free_port();
	snprintf(conf, sizeof(conf), "%s/mosquitto.conf", srv.dir);
	snprintf(log, sizeof(log), "%s/mosquitto.log", srv.dir);
	if (!(f = fopen(conf, "w")))
		return -1;
	fprintf(f, "listener %d 127.0.0.1\nallow_anonymous true\npersistence false\n", broker_port);
	fclose(f);
	const char *argv[] = {"/usr/sbin/mosquitto", "-c", conf, NULL};
	broker_pid = spawn(argv, log, -1);
	return wait_port(broker_port, 10) ? 0 : -1;
}

/* ------------------------------------------------------------ the servers */

struct spawn_job {
	struct server *s;
	int rc;
};

static void *spawn_thread(void *arg)
{
	struct spawn_job *j = arg;

	j->rc = server_spawn(j->s);
	return NULL;
}

/* enqueue: n webhooks to the peer, due now, written behind the servers'
 * backs as outbox_enqueue would write them; their payloads say "from". */
static void enqueue(int n, int from)
{
	char sql[600];

	snprintf(sql, sizeof(sql),
		 "INSERT INTO outbox (area_id, kind, target, payload, created_at, next_attempt_at)"
		 " SELECT 1, 'webhook', 'http://127.0.0.1:%d/ok', '{\"n\":' || g || '}',"
		 " extract(epoch FROM now())::bigint, 0 FROM generate_series(%d, %d) g;",
		 peer_port, from, from + n - 1);
	sql_exec(sql);
}

/* cluster_start: the demo on a fresh database, the peer, the three
 * servers started together, nginx in front. */
static int cluster_start(void)
{
	struct spawn_job jobs[NODES];
	pthread_t t[NODES];
	char *out = NULL;
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&srv, 0, sizeof(srv));
	snprintf(srv.dir, sizeof(srv.dir), "/tmp/linli-cluster.XXXXXX");
	if (!mkdtemp(srv.dir))
		return -1;
	snprintf(srv.db, sizeof(srv.db), "%s", getenv("LINLI_TEST_DB_URL"));
	rc = run_cli(&srv, NULL, &out, "demo", "--no-serve", "--no-history", NULL);
	if (rc) {
		fprintf(stderr, "# linli demo failed (%d): %s\n", rc, out ? out : "");
		free(out);
		return -1;
	}
	free(out);
	if (peer_start())
		return -1;
	/* Due before anyone runs the sender: the three start together and
	 * race for them. */
	enqueue(EARLY_MESSAGES, 1);
	for (int i = 0; i < NODES; i++) {
		node[i] = srv;
		jobs[i] = (struct spawn_job){&node[i], -1};
		pthread_create(&t[i], NULL, spawn_thread, &jobs[i]);
	}
	rc = 0;
	for (int i = 0; i < NODES; i++) {
		pthread_join(t[i], NULL);
		rc |= jobs[i].rc;
	}
	if (rc)
		return -1;
	for (int i = 0; i < NODES; i++)
		fprintf(stderr, "# %c: pid %d at %s\n", 'A' + i, (int)node[i].pid, node[i].url);
	if (nginx_start())
		return -1;
	t_ready = now_s();
	return 0;
}

/* stop_node: a clean stop (SIGTERM) that must end with status 0. */
static int stop_node(struct server *s)
{
	int status = 0;

	if (s->pid <= 0)
		return 0;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	s->pid = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	fprintf(stderr, "# a server exited badly (status %d); see %s/server.log\n", status,
		srv.dir);
	return -1;
}

static int cluster_teardown(void **state);

/* A failed start stops what it started: cmocka calls no teardown then. */
static int cluster_setup(void **state)
{
	if (!cluster_start())
		return 0;
	cluster_teardown(state);
	return -1;
}

static int cluster_teardown(void **state)
{
	int rc = 0;

	(void)state;
	reap(&nginx_pid, SIGQUIT);
	for (int i = 0; i < NODES; i++)
		rc |= stop_node(&node[i]);
	reap(&peer_pid, SIGTERM);
	reap(&broker_pid, SIGTERM);
	srv.pid = 0;
	fprintf(stderr, "# %.1f s to load the demo and start, %.1f s of tests\n", t_ready - t_start,
		now_s() - t_ready);
	if (!rc)
		server_stop(&srv); /* removes the folder; kept after a failure */
	curl_global_cleanup();
	return rc;
}

/* ------------------------------------------------------------ helpers */

/* bearer: a new API token of role as an Authorization header line. */
static void bearer(const char *name, const char *role, char *hdr, size_t n, long long *id)
{
	char *out = NULL;
	const char *p, *tok = NULL;

	assert_int_equal(run_cli(&srv, NULL, &out, "token", "add", name, "--role", role, NULL), 0);
	/* The token is the one line of 43 URL-safe base64 characters. */
	for (p = out; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
		size_t len = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				       "0123456789-_");
		if (len == 43 && (p[len] == '\n' || !p[len]))
			tok = p;
	}
	if (!tok)
		fail_msg("no token in: %s", out);
	snprintf(hdr, n, "Authorization: Bearer %.43s", tok);
	p = strstr(out, "Token ");
	if (id)
		*id = p ? atoll(p + 6) : 0;
	free(out);
}

/* sign_in: c signed in on s as a demo account (password pushan-USER). */
static void sign_in(struct client *c, struct server *s, const char *user)
{
	char pw[64];

	snprintf(pw, sizeof(pw), "pushan-%s", user);
	client_init(c);
	assert_int_equal(client_login(c, s, user, pw), 200);
}

/* holder_pid: the pid in outbox.send's live lease, 0 when it is free. */
static long holder_pid(void)
{
	char *out = NULL;
	long pid = 0;

	assert_int_equal(run_cli(&srv, NULL, &out, "jobs", NULL), 0);
	for (const char *line = out; line && *line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (!strncmp(line, "outbox.send ", 12)) {
			const char *colon = strchr(line, ':');
			if (colon && colon < strchr(line, '\n'))
				pid = strtol(colon + 1, NULL, 10);
		}
	}
	free(out);
	return pid;
}

static int node_of(long pid)
{
	for (int i = 0; i < NODES; i++)
		if (node[i].pid == pid && pid > 0)
			return i;
	return -1;
}

/* peer_count: how many deliveries of outbox row id the peer received (or
 * all deliveries, for id 0). */
static int peer_count(long long id)
{
	char want[64], line[8192];
	int n = 0;
	FILE *f = fopen(peer_log, "r");

	snprintf(want, sizeof(want), "\"linli-outbox-%lld\"", id);
	while (f && fgets(line, sizeof(line), f))
		n += !id || strstr(line, want) != NULL;
	if (f)
		fclose(f);
	return n;
}

/* wait_sent: every outbox row sent within seconds. */
static void wait_sent(double seconds)
{
	double deadline = now_s() + seconds;
	char left[32];

	for (;;) {
		sql_query(left, sizeof(left), "SELECT count(*) FROM outbox WHERE sent_at IS NULL;");
		if (!strcmp(left, "0"))
			return;
		if (now_s() > deadline)
			fail_msg("%s outbox messages still unsent after %.0f s", left, seconds);
		usleep(200 * 1000);
	}
}

/* each_once: the peer got rows 1..n of the outbox exactly once each. */
static void each_once(int n)
{
	char max[32];

	sql_query(max, sizeof(max), "SELECT max(id) FROM outbox;");
	assert_int_equal((int)strtol(max, NULL, 10), n);
	for (int id = 1; id <= n; id++)
		if (peer_count(id) != 1)
			fail_msg("outbox row %d reached the peer %d times", id, peer_count(id));
	assert_int_equal(peer_count(0), n);
}

/* ------------------------------------------------------------ sessions */

static void test_one_session_on_every_server(void **state)
{
	struct client c;
	struct response r;
	char body[160], path[96];
	long long id;

	(void)state;
	client_init(&c);
	assert_int_equal(client_login(&c, &node[0], "secretary", "pushan-secretary"), 200);

	/* Signed in on A, act on B with A's CSRF token. */
	assert_int_equal(
	    api(&c, &node[1], "POST", "/api/v1/tags", "{\"name\":\"集群：A 登录 B 写\"}", &r), 0);
	if (r.status != 201)
		fail_msg("write on B: %ld %s", r.status, r.body);
	id = json_int(r.body, "id");
	response_release(&r);
	/* ... and read it on C. */
	snprintf(path, sizeof(path), "/api/v1/tags/%lld", id);
	assert_int_equal(api(&c, &node[2], "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "集群：A 登录 B 写"));
	response_release(&r);

	/* B checks the token as A would: a write without it is refused. */
	snprintf(body, sizeof(body), "{\"name\":\"集群：无令牌\"}");
	assert_int_equal(
	    request(&c, &node[1], "POST", "/api/v1/tags", body, "application/json", NULL, &r), 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "csrf"));
	response_release(&r);

	/* Through nginx the requests land on all three; each knows the session. */
	for (int i = 0; i < 2 * NODES; i++) {
		assert_int_equal(api(&c, &gateway, "GET", "/api/v1/me", NULL, &r), 0);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "\"name\":\"secretary\""));
		response_release(&r);
	}
	snprintf(body, sizeof(body), "{\"name\":\"集群：经 nginx\"}");
	assert_int_equal(api(&c, &gateway, "POST", "/api/v1/tags", body, &r), 0);
	assert_int_equal(r.status, 201);
	response_release(&r);

	/* Signed out on C: A no longer knows the session either. */
	assert_int_equal(api(&c, &node[2], "POST", "/api/v1/logout", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	assert_int_equal(api(&c, &node[0], "GET", "/api/v1/me", NULL, &r), 0);
	assert_int_equal(r.status, 401);
	response_release(&r);
	client_release(&c);
}

/* ------------------------------------------------------------ the outbox */

static void test_outbox_once_with_three_senders(void **state)
{
	long pid;

	(void)state;
	wait_sent(20);
	each_once(EARLY_MESSAGES);
	pid = holder_pid();
	print_message("# %d messages sent once each; outbox.send held by %c (pid %ld)\n",
		      EARLY_MESSAGES, node_of(pid) >= 0 ? 'A' + node_of(pid) : '?', pid);
	assert_true(node_of(pid) >= 0);
}

/* ------------------------------------------------------------ live */

/* An event stream watched until a text shows up in it. */
struct stream {
	struct server *s;     /* whose stream */
	const char *path;     /* the event stream */
	const char *needle;   /* what to wait for */
	struct client *share; /* the client whose cookies to send, or NULL */
	char buf[32768];      /* the current answer so far (its tail, when long) */
	size_t len;	      /* bytes in buf */
	int found;	      /* needle came */
	double took;	      /* seconds from the first connection until then */
};

static size_t stream_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct stream *st = userdata;
	size_t n = size * nmemb, room = sizeof(st->buf) - 1 - st->len;

	if (n > room) { /* a long-lived stream: keep the tail */
		size_t keep = sizeof(st->buf) / 2;
		memmove(st->buf, st->buf + st->len - keep, keep);
		st->len = keep;
		room = sizeof(st->buf) - 1 - st->len;
	}
	memcpy(st->buf + st->len, ptr, n < room ? n : room);
	st->len += n < room ? n : room;
	st->buf[st->len] = '\0';
	st->found = strstr(st->buf, st->needle) != NULL;
	return st->found ? 0 : n; /* stop once seen */
}

/* watch: reads the stream as an EventSource would, reconnecting when an
 * answer ends (the short answers of today) or not (a long-lived stream),
 * until needle shows up or 10 s pass. */
static void *watch(void *arg)
{
	struct stream *st = arg;
	struct client *c = st->share;
	double t0 = now_s();
	char url[512];
	struct curl_slist *h = curl_slist_append(NULL, "Accept: text/event-stream");

	snprintf(url, sizeof(url), "%s%s", st->s->url, st->path);
	while (!st->found && now_s() - t0 < 10) {
		CURL *e = curl_easy_init();
		st->len = 0;
		st->buf[0] = '\0';
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, stream_write);
		curl_easy_setopt(e, CURLOPT_WRITEDATA, st);
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)((10 - (now_s() - t0)) * 1000) + 1);
		if (c) {
			struct curl_slist *cookies = NULL;
			curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &cookies);
			curl_easy_setopt(e, CURLOPT_COOKIEFILE, "");
			for (struct curl_slist *k = cookies; k; k = k->next)
				curl_easy_setopt(e, CURLOPT_COOKIELIST, k->data);
			curl_slist_free_all(cookies);
		}
		curl_easy_perform(e);
		curl_easy_cleanup(e);
		if (!st->found)
			usleep(200 * 1000);
	}
	st->took = now_s() - t0;
	curl_slist_free_all(h);
	return NULL;
}

static char meter_hdr[200]; /* the plaza meter's token, as a header line */
static long long meter1;    /* the plaza meter */

static void test_reading_on_a_live_on_c(void **state)
{
	struct client sec, staff, meter;
	struct response r;
	struct stream display = {0}, live = {0};
	pthread_t t1, t2;
	char hdr[200], body[200], path[96], display_path[96];
	long long tok, meter_id;

	(void)state;
	bearer("cluster-meter", "meter", hdr, sizeof(hdr), &tok);
	snprintf(meter_hdr, sizeof(meter_hdr), "%s", hdr);
	sign_in(&sec, &node[0], "secretary");
	assert_int_equal(api(&sec, &node[0], "GET", "/api/v1/meters", NULL, &r), 0);
	meter_id = meter1 = json_int(r.body, "id");
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/meters/%lld", meter_id);
	snprintf(body, sizeof(body), "{\"token_id\":%lld}", tok);
	assert_int_equal(api(&sec, &node[1], "PUT", path, body, &r), 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	client_release(&sec);

	/* The public display and the staff's live page, open on C before the
	 * reading comes to A. */
	sign_in(&staff, &node[0], "staff");
	snprintf(display_path, sizeof(display_path), "/noise/display/%lld/events", meter_id);
	display = (struct stream){.s = &node[2], .path = display_path, .needle = "\"level\":63.7"};
	live = (struct stream){.s = &node[2],
			       .path = "/noise/live/events",
			       .needle = "\"level\":63.7",
			       .share = &staff};
	pthread_create(&t1, NULL, watch, &display);
	pthread_create(&t2, NULL, watch, &live);
	usleep(300 * 1000);
	client_init(&meter);
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":63.7}]}",
		 (long long)time(NULL));
	assert_int_equal(request(&meter, &node[0], "POST", "/api/v1/noise/readings", body,
				 "application/json", hdr, &r),
			 0);
	if (r.status != 200)
		fail_msg("reading on A: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&meter);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	if (!display.found)
		fail_msg("C's display stream never showed A's reading: %s", display.buf);
	if (!live.found)
		fail_msg("C's live stream never showed A's reading: %s", live.buf);
	print_message("# seen on C after %.1f s (display) and %.1f s (live page)\n", display.took,
		      live.took);
	/* ... and through nginx, where the stream is not buffered. */
	display.s = &gateway;
	display.found = 0;
	watch(&display);
	assert_true(display.found);
	client_release(&staff);
}

/* log_count: lines of file holding needle. */
static int log_count(const char *file, const char *needle)
{
	char path[400], line[4096];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", srv.dir, file);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	if (f)
		fclose(f);
	return n;
}

/* ------------------------------------------------------------ alerts */

/* Alert rules judging the plaza meter, per round: with the demo's two,
 * two rounds stay within ALERTS_MAX_RULES (16). */
#define RULES 7

/* One batch of loud seconds, posted when both are ready. */
struct batch {
	struct server *s;      /* where it goes */
	long long first;       /* its first second; 20 in all */
	pthread_barrier_t *go; /* both posts leave together */
	long status;	       /* the answer */
};

static void *post_batch(void *arg)
{
	struct batch *b = arg;
	struct client c;
	struct response r;
	char body[2048];
	size_t len = (size_t)snprintf(body, sizeof(body), "{\"readings\":[");

	for (int i = 0; i < 20; i++)
		len += (size_t)snprintf(body + len, sizeof(body) - len,
					"%s{\"t\":%lld,\"laeq\":80.5}", i ? "," : "", b->first + i);
	snprintf(body + len, sizeof(body) - len, "]}");
	client_init(&c);
	pthread_barrier_wait(b->go);
	b->status = request(&c, b->s, "POST", "/api/v1/noise/readings", body, "application/json",
			    meter_hdr, &r)
			? -1
			: r.status;
	response_release(&r);
	client_release(&c);
	return NULL;
}

/* Two batches of one meter stored at the same moment by A and B: each
 * rule is judged over both, opens one alert, and no judgement fails. Two
 * rounds of new rules over older seconds each, for the race to show. */
static void test_alerts_judged_once(void **state)
{
	struct client sec;
	struct response r;
	pthread_barrier_t go;
	pthread_t t[2];
	char body[240], count[32];

	(void)state;
	sign_in(&sec, &node[0], "secretary");
	for (int round = 0; round < 2; round++) {
		long long t0 = (long long)time(NULL) - 300 - 100 * round;
		struct batch b[2] = {{&node[0], t0, &go, 0}, {&node[1], t0 + 20, &go, 0}};
		for (int k = 0; k < RULES; k++) {
			snprintf(
			    body, sizeof(body),
			    "{\"name\":\"集群规则%d-%d\",\"meter_id\":%lld,\"kind\":\"laeq_cap\","
			    "\"window_s\":1,\"clear_centi\":300,\"quiet_s\":600,"
			    "\"open_case\":false}",
			    round, k, meter1);
			assert_int_equal(
			    api(&sec, &node[0], "POST", "/api/v1/noise_alert_rules", body, &r), 0);
			if (r.status != 201)
				fail_msg("rule: %ld %s", r.status, r.body);
			response_release(&r);
		}
		pthread_barrier_init(&go, NULL, 2);
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, post_batch, &b[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		assert_int_equal(b[0].status, 200);
		assert_int_equal(b[1].status, 200);
		snprintf(body, sizeof(body),
			 "SELECT count(*) FROM noise_alerts a JOIN noise_alert_rules r"
			 " ON r.id = a.rule_id WHERE r.name LIKE '集群规则%d-%%';",
			 round);
		sql_query(count, sizeof(count), body);
		if (strtol(count, NULL, 10) != RULES)
			fail_msg("round %d: %s alerts from %d rules", round, count, RULES);
		assert_int_equal(log_count("server.log", "not checked"), 0);
	}
	client_release(&sec);
}

/* ------------------------------------------------------------ HJ 212, MQTT */

/* readings_of: how many readings of meter at second t, read on s, with
 * the level's text in the answer. */
static int readings_of(struct server *s, long long meter, long long t, const char *level)
{
	struct client c;
	struct response r;
	char path[160];
	int n;

	sign_in(&c, s, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld", meter,
		 t, t + 1);
	assert_int_equal(api(&c, s, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	n = strstr(r.body, level) ? 1 : 0;
	response_release(&r);
	client_release(&c);
	return n;
}

static long long meter_add(const char *name, const char *mn, const char *password)
{
	char *out = NULL;
	const char *p;
	long long id;

	if (run_cli(&srv, NULL, &out, "noise", "meter", "add", name, "--mn", mn, "--password",
		    password, NULL))
		fail_msg("meter add: %s", out);
	p = strstr(out, "meter ");
	assert_non_null(p);
	id = atoll(p + 6);
	free(out);
	return id;
}

/* hj212_send: one real-time frame of second t with LA-Rtd level to the
 * listener on port, waiting for its data answer (CN=9014). */
static void hj212_send(int port, const char *mn, const char *pw, long long t, const char *level)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	char seg[400], frame[512], dt[16], back[4096] = "";
	time_t local = (time_t)(t + 8 * 3600);
	double deadline = now_s() + 10;
	size_t len = 0;
	struct tm tm;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	gmtime_r(&local, &tm);
	strftime(dt, sizeof(dt), "%Y%m%d%H%M%S", &tm);
	snprintf(seg, sizeof(seg),
		 "QN=%s000;ST=23;CN=2011;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s;LA-Rtd=%s,"
		 "LA-Flag=N&&",
		 dt, pw, mn, dt, level);
	snprintf(frame, sizeof(frame), "##%04zu%s%04X\r\n", strlen(seg), seg,
		 hj212_crc(seg, strlen(seg)));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(send(fd, frame, strlen(frame), MSG_NOSIGNAL), (ssize_t)strlen(frame));
	while (!strstr(back, "CN=9014") && now_s() < deadline && len < sizeof(back) - 1) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;
		if (poll(&p, 1, 500) != 1)
			continue;
		n = recv(fd, back + len, sizeof(back) - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
		back[len] = '\0';
	}
	close(fd);
	if (!strstr(back, "CN=9014"))
		fail_msg("no data answer from the HJ 212 listener: '%s'", back);
}

static void on_publish(struct mosquitto *m, void *arg, int mid)
{
	(void)m;
	(void)mid;
	*(int *)arg = 1;
}

/* mqtt_send publishes payload at QoS 1 and waits for the broker's PUBACK. */
static void mqtt_send(const char *topic, const char *payload)
{
	int acked = 0;
	double deadline = now_s() + 10;
	struct mosquitto *m = mosquitto_new(NULL, true, &acked);

	assert_non_null(m);
	mosquitto_publish_callback_set(m, on_publish);
	assert_int_equal(mosquitto_connect(m, "127.0.0.1", broker_port, 10), MOSQ_ERR_SUCCESS);
	assert_int_equal(mosquitto_publish(m, NULL, topic, (int)strlen(payload), payload, 1, false),
			 MOSQ_ERR_SUCCESS);
	while (!acked && now_s() < deadline && !mosquitto_loop(m, 100, 1))
		;
	mosquitto_disconnect(m);
	mosquitto_destroy(m);
	assert_true(acked);
}

/* respawn: node i started again on its own port (nginx knows no other),
 * with up to four more arguments (NULL for none); a clean stop
 * first unless it is dead already. */
static void respawn(int i, const char *a0, const char *a1, const char *a2, const char *a3)
{
	char listen[64];

	assert_int_equal(stop_node(&node[i]), 0);
	snprintf(listen, sizeof(listen), "%s", node[i].url + 7);
	memset(server_extra_args, 0, sizeof(server_extra_args));
	server_extra_args[0] = "--listen"; /* the later one wins */
	server_extra_args[1] = listen;
	server_extra_args[2] = a0;
	server_extra_args[3] = a1;
	server_extra_args[4] = a2;
	server_extra_args[5] = a3;
	assert_int_equal(server_spawn(&node[i]), 0);
	memset(server_extra_args, 0, sizeof(server_extra_args));
}

static void test_stations_attach_to_any_server(void **state)
{
	char listen[32], url[64], body[160], topic[96];
	long long t = (long long)time(NULL) - 5, station, mqtt_meter;
	double deadline;
	int port = free_port();
	struct response r;
	struct client c;

	(void)state;
	/* B takes HJ 212 stations; B and C subscribe to the broker, each
	 * under its default client id. */
	assert_int_equal(broker_start(), 0);
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	snprintf(url, sizeof(url), "mqtt://127.0.0.1:%d", broker_port);
	respawn(1, "--hj212-listen", listen, "--mqtt-url", url);
	respawn(2, "--mqtt-url", url, NULL, NULL);
	assert_true(wait_port(port, 10));

	station = meter_add("集群 HJ 212 站", "CLUSTER212001", "212212");
	hj212_send(port, "CLUSTER212001", "212212", t, "66.6");
	/* Answered by B only once stored: A reads it at once. */
	assert_int_equal(readings_of(&node[0], station, t, "\"laeq\":66.6"), 1);

	mqtt_meter = meter_add("集群 MQTT 表", "CLUSTERMQTT01", "313131");
	deadline = now_s() + 10;
	while (log_count("server.log", "mqtt: connected to") < 2) {
		if (now_s() > deadline)
			fail_msg("B and C did not both subscribe");
		usleep(100 * 1000);
	}
	snprintf(topic, sizeof(topic), "linli/noise/%s/readings", "CLUSTERMQTT01");
	snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":59.1}]}", t);
	mqtt_send(topic, body);
	while (!readings_of(&node[0], mqtt_meter, t, "\"laeq\":59.1")) {
		if (now_s() > deadline)
			fail_msg("A never saw the reading B and C took from the broker");
		usleep(200 * 1000);
	}
	/* Both took it; it is stored once, and B and C see both readings. */
	usleep(500 * 1000);
	sign_in(&c, &node[1], "staff");
	snprintf(body, sizeof(body), "/api/v1/noise/meters/%lld/readings?from=%lld&to=%lld",
		 mqtt_meter, t - 60, t + 60);
	assert_int_equal(api(&c, &node[1], "GET", body, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"t\":"));
	assert_null(strstr(strstr(r.body, "\"t\":") + 1, "\"t\":"));
	response_release(&r);
	client_release(&c);
	assert_int_equal(readings_of(&node[2], station, t, "\"laeq\":66.6"), 1);
	/* Two servers on one host, two client ids: neither pushed the other
	 * off the broker. */
	assert_int_equal(log_count("mosquitto.log", "already connected"), 0);
	assert_int_equal(log_count("server.log", "mqtt: connected to"), 2);
}

/* ------------------------------------------------------------ kill -9 under load */

struct writer {
	int k;		     /* which writer */
	const char *hdr;     /* the Authorization header */
	atomic_int *stop;    /* set when time is up */
	int acked[4000];     /* the numbers of writes that got a 2xx */
	int nacked, refused; /* 2xx answers; other answers and failed transfers */
	int after_kill;	     /* 2xx answers that came after the kill */
};

static void *write_loop(void *arg)
{
	struct writer *w = arg;
	struct client c;

	client_init(&c);
	for (int i = 0; !atomic_load(w->stop) && w->nacked < 4000; i++) {
		struct response r;
		char body[96];
		snprintf(body, sizeof(body), "{\"name\":\"负载-%d-%d\"}", w->k, i);
		if (!request(&c, &gateway, "POST", "/api/v1/tags", body, "application/json", w->hdr,
			     &r) &&
		    r.status >= 200 && r.status < 300) {
			w->acked[w->nacked++] = i;
			w->after_kill += killed_at > 0 && now_s() > killed_at;
		} else {
			w->refused++;
		}
		response_release(&r);
	}
	client_release(&c);
	return NULL;
}

static void test_no_acknowledged_write_lost(void **state)
{
	static struct writer w[WRITERS];
	pthread_t t[WRITERS];
	atomic_int stop = 0;
	char hdr[200], count[32];
	struct {
		char *p;
		size_t len, cap;
	} sql = {0}; /* the statement that counts them */
	int acked = 0, refused = 0, after = 0;
	double started;
	long pid;

	(void)state;
	bearer("cluster-writer", "secretary", hdr, sizeof(hdr), NULL);
	pid = holder_pid();
	victim = node_of(pid);
	assert_true(victim >= 0);
	for (int k = 0; k < WRITERS; k++) {
		memset(&w[k], 0, sizeof(w[k]));
		w[k] = (struct writer){.k = k, .hdr = hdr, .stop = &stop};
		pthread_create(&t[k], NULL, write_loop, &w[k]);
	}
	started = now_s();
	sleep(2);
	/* The server holding the outbox's lease dies mid-write. */
	killed_at = now_s();
	server_kill(&node[victim]);
	sleep(3);
	atomic_store(&stop, 1);
	for (int k = 0; k < WRITERS; k++) {
		pthread_join(t[k], NULL);
		acked += w[k].nacked;
		refused += w[k].refused;
		after += w[k].after_kill;
	}
	print_message("# %c killed: %d writes acknowledged (%d after the kill, %.0f/s), %d not\n",
		      'A' + victim, acked, after, acked / (now_s() - started), refused);
	assert_true(after > 0); /* the others carried on */

	/* Every acknowledged write is there. */
	sql.cap = (size_t)acked * 32 + 256;
	sql.p = malloc(sql.cap);
	assert_non_null(sql.p);
	sql.len = (size_t)snprintf(sql.p, sql.cap, "SELECT count(*) FROM tags WHERE name IN (");
	for (int k = 0; k < WRITERS; k++)
		for (int i = 0; i < w[k].nacked; i++)
			sql.len +=
			    (size_t)snprintf(sql.p + sql.len, sql.cap - sql.len, "%s'负载-%d-%d'",
					     sql.len > 45 ? "," : "", k, w[k].acked[i]);
	snprintf(sql.p + sql.len, sql.cap - sql.len, ");");
	sql_query(count, sizeof(count), sql.p);
	free(sql.p);
	assert_int_equal((int)strtol(count, NULL, 10), acked);

	/* Meanwhile messages come for the dead holder's job. */
	enqueue(LATE_MESSAGES, EARLY_MESSAGES + 1);
}

/* ------------------------------------------------------------ the lease */

static void test_lease_taken_over(void **state)
{
	long pid;
	int by;

	(void)state;
	assert_true(victim >= 0);
	for (;;) {
		pid = holder_pid();
		by = node_of(pid);
		if (by >= 0 && by != victim)
			break;
		if (now_s() - killed_at > LEASE_WAIT_S)
			fail_msg("no server took outbox.send over %d s after its holder died",
				 LEASE_WAIT_S);
		usleep(500 * 1000);
	}
	print_message("# outbox.send taken over by %c %.1f s after the kill\n", 'A' + by,
		      now_s() - killed_at);
	wait_sent(15);
	each_once(EARLY_MESSAGES + LATE_MESSAGES);

	/* The dead server comes back and serves the same data. */
	respawn(victim, NULL, NULL, NULL, NULL);
	struct client c;
	struct response r;
	sign_in(&c, &node[victim], "staff");
	assert_int_equal(
	    api(&c, &node[victim], "GET", "/api/v1/tags?q=%E9%9B%86%E7%BE%A4", NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "集群：A 登录 B 写"));
	response_release(&r);
	client_release(&c);
}

/* ------------------------------------------------------------ the response cache */

#define MAX_URLS 160

/* One URL of a cacheable route, read on one server before and after the
 * writes made on another. */
struct cached_url {
	char pattern[96]; /* the route's pattern as `linli routes` prints it */
	char path[256];	  /* with its captures filled */
	int public_;	  /* read anonymously (else as admin) */
	long status;	  /* the answer before the writes */
	char *body;
};

struct cache_run {
	struct cached_url url[MAX_URLS];
	int n;
	struct client admin, anon; /* the readers */
	struct server *reader;	   /* whose cache is watched */
	struct server *writer;	   /* where the writes go */
	struct client sec;	   /* the writer's session */
	long long case_id, category_id;
	char category[32], tracking[32];
};

static void get(struct cache_run *run, struct cached_url *u, const char *suffix, struct response *r)
{
	char path[300];

	snprintf(path, sizeof(path), "%s%s", u->path, suffix);
	assert_int_equal(request(u->public_ ? &run->anon : &run->admin, run->reader, "GET", path,
				 NULL, NULL, NULL, r),
			 0);
}

/* add_url: a URL to watch, read twice on the reader (the second answer
 * comes from the cache and must be the first). */
static struct cached_url *add_url(struct cache_run *run, const char *pattern, const char *path,
				  int public_)
{
	struct cached_url *u = &run->url[run->n++];
	struct response r;

	assert_true(run->n <= MAX_URLS);
	snprintf(u->pattern, sizeof(u->pattern), "%s", pattern);
	snprintf(u->path, sizeof(u->path), "%s", path);
	u->public_ = public_;
	get(run, u, "", &r);
	if (r.status != 200)
		fail_msg("%s (route %s) answers %ld to the test's reader (%s): teach "
			 "test_cache_fresh_on_every_cacheable_route who reads it",
			 path, pattern, r.status, public_ ? "anonymous" : "admin");
	u->status = r.status;
	u->body = r.body;
	r.body = NULL;
	response_release(&r);
	get(run, u, "", &r);
	assert_int_equal(r.status, u->status);
	assert_string_equal(r.body, u->body);
	response_release(&r);
	return u;
}

/* fill: the path of pattern with its captures filled from the run's case
 * and category, in format fmt ("json" or "xml"). 0 when the test knows
 * no value for a capture. */
static int fill(const struct cache_run *run, const char *pattern, const char *fmt, char *out,
		size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	for (const char *p = pattern; *p;) {
		const char *value;
		char buf[64];
		size_t seg = strcspn(p, ":");
		len += (size_t)snprintf(out + len, n - len, "%.*s", (int)seg, p);
		p += seg;
		if (!*p)
			break;
		size_t name = strcspn(p + 1, "/.");
		if (!strncmp(p, ":fmt", name + 1)) {
			value = fmt;
		} else if (!strncmp(p, ":code", name + 1)) {
			snprintf(buf, sizeof(buf), "%s.%s", run->category, fmt);
			value = buf;
		} else if (!strncmp(p, ":token", name + 1)) {
			snprintf(buf, sizeof(buf), "%s.%s", run->tracking, fmt);
			value = buf;
		} else if (!strncmp(p, ":id", name + 1) && !strncmp(pattern, "/open311/", 9)) {
			snprintf(buf, sizeof(buf), "%lld.%s", run->case_id, fmt);
			value = buf;
		} else {
			return 0;
		}
		len += (size_t)snprintf(out + len, n - len, "%s", value);
		p += name + 1;
	}
	return 1;
}

/* try_patch: the writer changes one text field of row (JSON) at path,
 * the first that takes a changed value; 1 once one did. */
static int try_patch(struct cache_run *run, const char *path, json_t *row)
{
	const char *key;
	json_t *value;
	int done = 0;

	json_object_foreach (row, key, value) {
		size_t n = strlen(key);
		struct response r;
		char *body;
		json_t *change;
		if (done || !json_is_string(value) || !strcmp(key, "title") ||
		    (n > 6 && !strcmp(key + n - 6, "_title")))
			continue;
		change = json_pack("{s:s+}", key, json_string_value(value), "（改）");
		body = json_dumps(change, 0);
		assert_int_equal(api(&run->sec, run->writer, "PATCH", path, body, &r), 0);
		done = r.status == 200;
		response_release(&r);
		free(body);
		json_decref(change);
	}
	return done;
}

/* entity_write: /api/v1/NAME (a registry table) and its item route: the
 * last row of the list is watched (its item URL added) and changed by the
 * writer (a text field, else archived or deleted), an earlier row if that
 * one takes no change. 1 once one was changed. */
static int entity_write(struct cache_run *run, const char *list, const char *item_pattern)
{
	struct response r;
	json_t *v, *items;
	char path[200];
	int done = 0;

	assert_int_equal(request(&run->sec, run->writer, "GET", list, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	v = json_loads(r.body, 0, NULL);
	response_release(&r);
	items = json_object_get(v, "items");
	for (size_t i = json_array_size(items); i-- > 0 && !done;) {
		json_t *row = json_array_get(items, i);
		long long id = json_integer_value(json_object_get(row, "id"));
		if (strstr(list, "case_categories") && id == run->category_id)
			continue; /* the Open311 routes' own category */
		snprintf(path, sizeof(path), "%s/%lld", list, id);
		if (item_pattern)
			add_url(run, item_pattern, path, 0);
		done = try_patch(run, path, row);
		if (done)
			break;
		assert_int_equal(api(&run->sec, run->writer, "DELETE", path, NULL, &r), 0);
		done = r.status == 200;
		response_release(&r);
	}
	json_decref(v);
	return done;
}

static void test_cache_fresh_on_every_cacheable_route(void **state)
{
	static struct cache_run run;
	struct response r;
	char *routes = NULL, path[256], patterns[MAX_URLS][96], body[200];
	int npatterns = 0;
	int live[NODES], nlive = 0;

	(void)state;
	memset(&run, 0, sizeof(run));
	for (int i = 0; i < NODES; i++)
		if (node[i].pid > 0)
			live[nlive++] = i;
	assert_true(nlive >= 2);
	run.reader = &node[live[0]];
	run.writer = &node[live[1]];
	client_init(&run.admin);
	assert_int_equal(client_login(&run.admin, run.reader, "admin", "pushan-admin"), 200);
	client_init(&run.anon);
	client_init(&run.sec);
	assert_int_equal(client_login(&run.sec, run.writer, "secretary", "pushan-secretary"), 200);

	/* A report for Open311's routes to show. */
	assert_int_equal(api(&run.sec, run.writer, "POST", "/api/v1/cases",
			     "{\"category\":\"repair\",\"description\":\"集群：3号楼门禁坏了\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	run.case_id = json_int(r.body, "id");
	run.category_id = json_int(r.body, "category_id");
	json_str(r.body, "tracking_code", run.tracking, sizeof(run.tracking));
	json_str(r.body, "category", run.category, sizeof(run.category));
	response_release(&r);

	/* Every GET route the router flags cacheable. */
	assert_int_equal(run_cli(&srv, NULL, &routes, "routes", NULL), 0);
	for (const char *line = routes; line && *line; line = strchr(line, '\n')) {
		char method[8], pattern[96];
		line += *line == '\n';
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char text[256];
		snprintf(text, sizeof(text), "%.*s", (int)(len < 255 ? len : 255), line);
		if (!strstr(text, " cacheable"))
			continue;
		const char *p = line;
		size_t m = strcspn(p, " ");
		snprintf(method, sizeof(method), "%.*s", (int)m, p);
		p += m + strspn(p + m, " ");
		snprintf(pattern, sizeof(pattern), "%.*s", (int)strcspn(p, " "), p);
		assert_string_equal(method, "GET");
		assert_true(npatterns < MAX_URLS);
		snprintf(patterns[npatterns++], sizeof(patterns[0]), "%s", pattern);
	}
	free(routes);
	assert_true(npatterns > 0);

	/* Read each on the reader; the registry's tables also get their write. */
	for (int i = 0; i < npatterns; i++) {
		const char *pat = patterns[i];
		size_t plen = strlen(pat);
		if (!strncmp(pat, "/api/v1/", 8) && !strchr(pat + 8, '/')) {
			add_url(&run, pat, pat, 0); /* a registry table's list, the dashboard */
			continue;
		}
		if (plen > 4 && !strcmp(pat + plen - 4, "/:id") && !strncmp(pat, "/api/v1/", 8))
			continue; /* with its list, below */
		if (!fill(&run, pat, "json", path, sizeof(path)))
			fail_msg("the cluster test cannot fill the captures of the cacheable route "
				 "%s: teach fill() in tests/http/http_cluster.c",
				 pat);
		add_url(&run, pat, path, !strncmp(pat, "/open311/", 9));
		if (strstr(pat, ":fmt") || strstr(pat, ":code") || strstr(pat, ":token") ||
		    !strncmp(pat, "/open311/", 9)) {
			assert_true(fill(&run, pat, "xml", path, sizeof(path)));
			add_url(&run, pat, path, 1);
		}
	}

	/* A change behind the servers' backs (psql, no audit entry) is not
	 * seen: the reader's answers do come from its cache. A background job
	 * (duty.missed finding a shift just missed) may write meanwhile, which
	 * rightly empties the cache: then again. */
	for (int attempt = 0;; attempt++) {
		struct cached_url *u = NULL;
		char before[32], after[32];
		struct response warm;
		for (int i = 0; i < run.n && !u; i++)
			if (!strcmp(run.url[i].path, "/open311/v2/services.json"))
				u = &run.url[i];
		assert_non_null(u);
		assert_true(attempt < 5);
		sql_query(before, sizeof(before), "SELECT v FROM data_version;");
		get(&run, u, "", &warm);
		snprintf(
		    body, sizeof(body),
		    "UPDATE case_categories SET name_zh = name_zh || '（后台%d）' WHERE id = %lld;",
		    attempt, run.category_id);
		sql_exec(body);
		get(&run, u, "", &r);
		sql_query(after, sizeof(after), "SELECT v FROM data_version;");
		if (strcmp(before, after)) {
			response_release(&warm);
			response_release(&r);
			continue;
		}
		assert_string_equal(r.body, warm.body);
		snprintf(body, sizeof(body), "（后台%d）", attempt);
		assert_null(strstr(r.body, body));
		response_release(&warm);
		response_release(&r);
		break;
	}

	/* The writes, all through the writer: each registry table loses a
	 * row, and the report's category turns private (Open311 shows neither
	 * it nor its reports then). */
	for (int i = 0; i < npatterns; i++) {
		const char *pat = patterns[i];
		if (strncmp(pat, "/api/v1/", 8) || strchr(pat, ':') || strchr(pat + 8, '/'))
			continue;
		char item[110];
		int has_item = 0;
		snprintf(item, sizeof(item), "%s/:id", pat);
		for (int k = 0; k < npatterns; k++)
			has_item |= !strcmp(patterns[k], item);
		if (!strcmp(pat, "/api/v1/dashboard"))
			continue;
		if (!entity_write(&run, pat, has_item ? item : NULL))
			fail_msg("no row of %s took a change, an archive or a delete", pat);
	}
	snprintf(path, sizeof(path), "/api/v1/case_categories/%lld", run.category_id);
	assert_int_equal(api(&run.sec, run.writer, "PATCH", path, "{\"private\":true}", &r), 0);
	if (r.status != 200)
		fail_msg("PATCH %s: %ld %s", path, r.status, r.body);
	response_release(&r);

	/* Now every URL answers on the reader as it answers computed afresh
	 * (the same query with one more argument is a key the cache never
	 * held), and differently from before. */
	for (int i = 0; i < run.n; i++) {
		struct cached_url *u = &run.url[i];
		struct response fresh;
		get(&run, u, "", &r);
		get(&run, u, strchr(u->path, '?') ? "&cluster_fresh=1" : "?cluster_fresh=1",
		    &fresh);
		if (r.status != fresh.status || strcmp(r.body, fresh.body))
			fail_msg("%s on %s: an answer older than the writes on another server:\n"
				 "%ld %.300s\nafresh: %ld %.300s",
				 u->path, run.reader->url, r.status, r.body, fresh.status,
				 fresh.body);
		if (r.status == u->status && !strcmp(r.body, u->body))
			fail_msg("%s (route %s): no write of this test changed its answer, so it "
				 "shows nothing: give it one",
				 u->path, u->pattern);
		response_release(&r);
		response_release(&fresh);
	}
	print_message("# %d cacheable routes, %d URLs, each fresh on %s after writes on %s\n",
		      npatterns, run.n, run.reader->url, run.writer->url);
	for (int i = 0; i < run.n; i++)
		free(run.url[i].body);
	client_release(&run.admin);
	client_release(&run.anon);
	client_release(&run.sec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_session_on_every_server),
	    cmocka_unit_test(test_outbox_once_with_three_senders),
	    cmocka_unit_test(test_reading_on_a_live_on_c),
	    cmocka_unit_test(test_alerts_judged_once),
	    cmocka_unit_test(test_stations_attach_to_any_server),
	    cmocka_unit_test(test_no_acknowledged_write_lost),
	    cmocka_unit_test(test_cache_fresh_on_every_cacheable_route),
	    cmocka_unit_test(test_lease_taken_over),
	};
	const char *pg = getenv("LINLI_TEST_DB_URL");

	if (!pg || strncmp(pg, "postgres", 8)) {
		printf("1..1\nok 1 # SKIP several servers share PostgreSQL only\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	t_start = now_s();
	return cmocka_run_group_tests(tests, cluster_setup, cluster_teardown);
}
