/* Slow clients against the real server (web/conn_guard.c): a request
 * whose headers dribble in one byte a second is cut off at header_timeout,
 * and so is the next request of a kept-alive connection; a body slower
 * than body_min_rate is cut off while a fast one is answered; one address
 * holding its limit does not lock out a trusted proxy or anyone else; and
 * when the server nears conn_max, a normal client still gets its answer
 * while slow clients from several addresses hold what they may. Clients
 * come from 127.0.0.x, all loopback on Linux. The limits are small and set
 * through the environment for each test. */
#include "checks.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define HEADER_TIMEOUT 3    /* seconds, test 1 */
#define BODY_TIMEOUT   2    /* seconds, test 1 */
#define BODY_MIN_RATE  1000 /* bytes per second, test 1 */

static const char *const guard_keys[] = {
    "LINLI_HEADER_TIMEOUT", "LINLI_BODY_TIMEOUT",    "LINLI_BODY_MIN_RATE",
    "LINLI_PER_IP_LIMIT",   "LINLI_CONN_MAX",	     "LINLI_CONN_RESERVE",
    "LINLI_RESERVE_PER_IP", "LINLI_TRUSTED_PROXIES", "LINLI_PROXY_LIMIT",
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* respawn starts the server again with these settings ("NAME=VALUE",
 * NULL-terminated) and no other of the guard's. */
static void respawn(const char *const *settings)
{
	for (size_t i = 0; i < sizeof(guard_keys) / sizeof(guard_keys[0]); i++)
		unsetenv(guard_keys[i]);
	for (int i = 0; settings[i]; i++) {
		char name[64];
		const char *eq = strchr(settings[i], '=');
		snprintf(name, sizeof(name), "%.*s", (int)(eq - settings[i]), settings[i]);
		setenv(name, eq + 1, 1);
	}
	server_kill(&srv);
	assert_int_equal(server_spawn(&srv), 0);
}

static int server_port(void)
{
	const char *colon = strrchr(srv.url, ':');
	return colon ? (int)strtol(colon + 1, NULL, 10) : 0;
}

/* dial: a TCP connection from address `from` (127.0.0.x) to the server. */
static int dial(const char *from)
{
	struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	inet_pton(AF_INET, from, &src.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	dst.sin_port = htons((uint16_t)server_port());
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) ||
	    connect(fd, (struct sockaddr *)&dst, sizeof(dst)))
		fail_msg("cannot connect from %s: %s", from, strerror(errno));
	return fd;
}

static void send_text(int fd, const char *text)
{
	(void)send(fd, text, strlen(text), MSG_NOSIGNAL);
}

/* answer_or_close reads until an answer's status line or the end of the
 * connection, at most 5 s: 1 for "HTTP/1.1 200", 0 for another status,
 * -1 when the server closed (or reset) it without answering. */
static int answer_or_close(int fd)
{
	char got[64];
	size_t len = 0;
	double until = now() + 5;

	while (len < 12) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;
		if (poll(&p, 1, (int)((until - now()) * 1000) + 1) <= 0)
			fail_msg("no answer and no close in 5 s");
		n = recv(fd, got + len, sizeof(got) - 1 - len, 0);
		if (n <= 0)
			return -1;
		len += (size_t)n;
	}
	got[len] = '\0';
	return strncmp(got, "HTTP/1.1 200", 12) ? 0 : 1;
}

/* hold: a slow client from `from`: one request answered (so the server
 * has surely taken the connection), then the next one begun and left
 * hanging. Returns the socket, or -1 when the server refused it. */
static int hold(const char *from)
{
	int fd = dial(from), rc;
	char drain[512];

	send_text(fd, "GET /healthz HTTP/1.1\r\nHost: linli\r\n\r\n");
	rc = answer_or_close(fd);
	if (rc < 0) {
		close(fd);
		return -1;
	}
	assert_int_equal(rc, 1);
	usleep(20000); /* the rest of the answer */
	(void)recv(fd, drain, sizeof(drain), MSG_DONTWAIT);
	send_text(fd, "GET / HTTP/1.1\r\n");
	return fd;
}

/* hold_all: slow clients from `from` until the server refuses one (at
 * most max); their sockets go to fds. Returns how many it holds. */
static int hold_all(const char *from, int *fds, int max)
{
	int n = 0;
	while (n < max) {
		int fd = hold(from);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	return n;
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* normal_get: what a reader's browser does, from `from`: GET / with curl,
 * following the redirect to the sign-in page on the same connection.
 * The connection stays open (kept alive) until the client is released.
 * Returns the status, 0 when there was no answer. */
static long normal_get(struct client *c, const char *from)
{
	struct response r;
	long status;

	client_init(c);
	curl_easy_setopt(c->curl, CURLOPT_INTERFACE, from);
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 1L);
	if (request(c, &srv, "GET", "/", NULL, NULL, NULL, &r)) {
		response_release(&r);
		return 0;
	}
	status = r.status;
	response_release(&r);
	return status;
}

#define PIPELINED 300 /* answers the slow reader asks for at once */

/* pipeline_unread: a connection with a tiny receive window that asks for
 * the stylesheet PIPELINED times in one go and reads nothing yet, so that
 * the server is kept answering. */
static int pipeline_unread(int times)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), small = 1;
	struct sockaddr_in dst = {.sin_family = AF_INET};
	static const char one[] = "GET /static/app.css HTTP/1.1\r\nHost: linli\r\n\r\n";
	char requests[16384];
	size_t len = 0;

	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	dst.sin_port = htons((uint16_t)server_port());
	assert_int_equal(connect(fd, (struct sockaddr *)&dst, sizeof(dst)), 0);
	for (int i = 0; i < times && len + sizeof(one) <= sizeof(requests); i++)
		len += (size_t)snprintf(requests + len, sizeof(requests) - len, "%s", one);
	send_text(fd, requests);
	return fd;
}

/* read_answers reads what the server sends until it has been quiet for
 * a second; returns how many whole "200" answers with a body came. */
static int read_answers(int fd)
{
	static char all[48 << 20]; /* PIPELINED stylesheets of up to 150 KiB */
	size_t len = 0;
	int whole = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;
		if (poll(&p, 1, 1000) <= 0 || len == sizeof(all) - 1)
			break;
		n = recv(fd, all + len, sizeof(all) - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	all[len] = '\0';
	for (const char *p = all; (p = strstr(p, "HTTP/1.1 200 OK\r\n"));) {
		const char *cl = strstr(p, "Content-Length: "), *body = strstr(p, "\r\n\r\n");
		long size;
		if (!cl || !body)
			break;
		size = strtol(cl + 16, NULL, 10);
		body += 4;
		if (size <= 0 || (size_t)(all + len - body) < (size_t)size)
			break;
		whole++;
		p = body + size;
	}
	return whole;
}

/* One connection the deadline test watches. */
struct slow {
	const char *what; /* for messages */
	int fd;		  /* its socket */
	double start;	  /* when its clock started (client side) */
	const char *drip; /* bytes it sends, one a second; NULL: chunk of 500 */
	size_t sent;	  /* bytes of drip sent, or body bytes sent */
	size_t body_len;  /* with drip NULL: the body's length */
	double closed;	  /* seconds after start the server closed it, or 0 */
	int answered;	  /* it got an answer */
};

/* Test 1: the deadlines. Each connection is watched at once for up to
 * 6 s: A dribbles a request's headers from the start; B gets one answer,
 * then dribbles its next request; C sends a POST's headers, then one body
 * byte a second; D sends a 6000-byte body at 2000 bytes a second (twice
 * the minimum rate), so it must be answered. */
static void test_slow_requests_are_cut_off(void **state)
{
	static const char *const settings[] = {"LINLI_HEADER_TIMEOUT=3", "LINLI_BODY_TIMEOUT=2",
					       "LINLI_BODY_MIN_RATE=1000", NULL};
	static const char dribble[] = "GET / HTTP/1.1\r\nHost: linli\r\nUser-Agent: slow\r\n"
				      "Accept: text/html\r\n";
	static const char post[] = "POST /api/v1/login HTTP/1.1\r\nHost: linli\r\n"
				   "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n";
	struct slow conns[4] = {
	    {.what = "headers from the start", .drip = dribble},
	    {.what = "headers of a kept-alive connection's next request", .drip = dribble},
	    {.what = "a body at 1 byte/s", .drip = "{\"username\":\"admin\""},
	    {.what = "a body at 2000 bytes/s", .body_len = 6000},
	};
	char head[256], chunk[500];
	double t_end;
	int slow_reader;

	(void)state;
	respawn(settings);
	memset(chunk, ' ', sizeof(chunk));
	conns[0].fd = dial("127.0.0.1");
	conns[0].start = now();
	conns[1].fd = dial("127.0.0.1");
	send_text(conns[1].fd, "GET /healthz HTTP/1.1\r\nHost: linli\r\n\r\n");
	assert_int_equal(answer_or_close(conns[1].fd), 1);
	conns[1].start = now();
	usleep(20000);
	(void)recv(conns[1].fd, head, sizeof(head), MSG_DONTWAIT);
	conns[2].fd = dial("127.0.0.1");
	snprintf(head, sizeof(head), post, (size_t)100000);
	send_text(conns[2].fd, head);
	conns[2].start = now();
	conns[3].fd = dial("127.0.0.1");
	snprintf(head, sizeof(head), post, conns[3].body_len);
	send_text(conns[3].fd, head);
	conns[3].start = now();

	slow_reader = pipeline_unread(PIPELINED);

	t_end = now() + 6;
	while (now() < t_end) {
		struct pollfd p[4];
		for (int i = 0; i < 4; i++) {
			struct slow *c = &conns[i];
			double t = now() - c->start;
			p[i].fd = c->closed || c->answered ? -1 : c->fd;
			p[i].events = POLLIN;
			if (p[i].fd < 0)
				continue;
			if (c->drip && c->drip[c->sent] && t >= (double)c->sent) {
				(void)send(c->fd, c->drip + c->sent, 1, MSG_NOSIGNAL);
				c->sent++;
			} else if (!c->drip && c->sent < c->body_len && t >= c->sent / 2000.0) {
				(void)send(c->fd, chunk, sizeof(chunk), MSG_NOSIGNAL);
				c->sent += sizeof(chunk);
			}
		}
		if (poll(p, 4, 20) <= 0)
			continue;
		for (int i = 0; i < 4; i++) {
			char got[512];
			ssize_t n;
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = recv(conns[i].fd, got, sizeof(got), 0);
			if (n <= 0)
				conns[i].closed = now() - conns[i].start;
			else if (n >= 9 && !memcmp(got, "HTTP/1.1 ", 9))
				conns[i].answered = 1;
		}
	}
	for (int i = 0; i < 4; i++) {
		print_message("# %s: %s after %.2f s\n", conns[i].what,
			      conns[i].closed	  ? "closed"
			      : conns[i].answered ? "answered"
						  : "open",
			      conns[i].closed);
		close(conns[i].fd);
	}
	/* Headers: open half a second before header_timeout, closed within
	 * 0.7 s after it (the reaper looks every 100 ms). */
	for (int i = 0; i < 2; i++) {
		if (!conns[i].closed)
			fail_msg("%s: still open after 6 s", conns[i].what);
		if (conns[i].closed < HEADER_TIMEOUT - 0.5 ||
		    conns[i].closed > HEADER_TIMEOUT + 0.7)
			fail_msg("%s: closed after %.2f s, not at %d s", conns[i].what,
				 conns[i].closed, HEADER_TIMEOUT);
	}
	/* A body at 1 byte/s: body_timeout and 1/1000 s for its few bytes. */
	if (!conns[2].closed || conns[2].closed < BODY_TIMEOUT - 0.5 ||
	    conns[2].closed > BODY_TIMEOUT + 0.7)
		fail_msg("%s: closed after %.2f s, not at %d s", conns[2].what, conns[2].closed,
			 BODY_TIMEOUT);
	/* Twice the minimum rate: the whole body in, and answered. */
	assert_int_equal(conns[3].sent, conns[3].body_len);
	if (!conns[3].answered)
		fail_msg("%s: not answered (closed after %.2f s)", conns[3].what, conns[3].closed);
	/* A reader who read nothing for 6 s still gets every answer whole:
	 * no deadline of ours while answering. */
	assert_int_equal(read_answers(slow_reader), PIPELINED);
	close(slow_reader);
}

/* Test 2: 127.0.0.1 holds per_ip_limit (4) slow connections and the fifth
 * is refused; the trusted proxy 127.0.0.2 (its own limit, 6) holds five
 * slow ones and a reader's request through it is still answered, its
 * seventh connection refused; a reader at 127.0.0.3 is answered too. */
static void test_one_address_does_not_lock_out_others(void **state)
{
	static const char *const settings[] = {"LINLI_PER_IP_LIMIT=4", "LINLI_HEADER_TIMEOUT=30",
					       "LINLI_TRUSTED_PROXIES=127.0.0.9, 127.0.0.2=6",
					       NULL};
	int office[8], proxy[8], n_office, n_proxy, fd;
	struct client through_proxy, other;

	(void)state;
	respawn(settings);
	n_office = hold_all("127.0.0.1", office, 8);
	assert_int_equal(n_office, 4);
	n_proxy = hold_all("127.0.0.2", proxy, 5);
	assert_int_equal(n_proxy, 5);
	assert_int_equal(normal_get(&through_proxy, "127.0.0.2"), 200);
	fd = hold("127.0.0.2"); /* a seventh */
	if (fd >= 0) {
		close(fd);
		fail_msg("the trusted proxy got a seventh connection over its limit of 6");
	}
	assert_int_equal(normal_get(&other, "127.0.0.3"), 200);
	fd = hold("127.0.0.1");
	if (fd >= 0) {
		close(fd);
		fail_msg("127.0.0.1 got a fifth connection over per_ip_limit 4");
	}
	client_release(&through_proxy);
	client_release(&other);
	close_all(office, n_office);
	close_all(proxy, n_proxy);
}

/* Test 3: conn_max 20 with 8 kept in reserve: 127.0.0.2 gets the first
 * 12 (its per_ip_limit is higher) and no more; then each address gets two
 * (reserve_per_ip), a reader's request is answered, the trusted proxy
 * 127.0.0.8 gets a third, and at 20 even a new address is refused, until
 * one closes. */
static void test_headroom_near_the_cap(void **state)
{
	static const char *const settings[] = {"LINLI_CONN_MAX=20",
					       "LINLI_CONN_RESERVE=8",
					       "LINLI_RESERVE_PER_IP=2",
					       "LINLI_PER_IP_LIMIT=16",
					       "LINLI_TRUSTED_PROXIES=127.0.0.8",
					       "LINLI_PROXY_LIMIT=10",
					       "LINLI_HEADER_TIMEOUT=30",
					       NULL};
	int heavy[16], light3[4], light4[4], proxy[4], late[4], n_heavy, n_proxy, fd;
	struct client reader;

	(void)state;
	respawn(settings);
	n_heavy = hold_all("127.0.0.2", heavy, 16);
	assert_int_equal(n_heavy, 12);
	assert_int_equal(hold_all("127.0.0.3", light3, 4), 2);
	assert_int_equal(hold_all("127.0.0.4", light4, 4), 2);
	/* 16 held by slow clients: a reader is answered. */
	assert_int_equal(normal_get(&reader, "127.0.0.9"), 200);
	/* 17 (the reader's is kept alive): the proxy is not held to two. */
	n_proxy = hold_all("127.0.0.8", proxy, 4);
	assert_int_equal(n_proxy, 3);
	/* 20: full, even for an address that holds nothing. */
	fd = hold("127.0.0.5");
	if (fd >= 0) {
		close(fd);
		fail_msg("a connection was admitted over conn_max 20");
	}
	close(heavy[--n_heavy]);
	usleep(300000);
	assert_int_equal(hold_all("127.0.0.5", late, 4), 1);
	client_release(&reader);
	close_all(heavy, n_heavy);
	close_all(light3, 2);
	close_all(light4, 2);
	close_all(proxy, n_proxy);
	close(late[0]);
}

/* Test 4: settings the guard cannot use stop `linli serve` with a message
 * in both languages (exit status 2), before it listens. (The listening
 * address is bad too, so that a server that took the settings would stop
 * rather than serve.) */
static void test_bad_settings_are_refused(void **state)
{
	char *out = NULL;

	(void)state;
	setenv("LINLI_CONN_MAX", "20", 1);
	setenv("LINLI_CONN_RESERVE", "20", 1);
	assert_int_equal(run_cli(&srv, NULL, &out, "serve", "--listen", "256.0.0.1:0", NULL), 2);
	if (!strstr(out, "conn_reserve (20) 必须小于 conn_max (20) conn_reserve must be less than "
			 "conn_max"))
		fail_msg("%s", out);
	free(out);
	unsetenv("LINLI_CONN_MAX");
	unsetenv("LINLI_CONN_RESERVE");
	setenv("LINLI_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.300", 1);
	assert_int_equal(run_cli(&srv, NULL, &out, "serve", "--listen", "256.0.0.1:0", NULL), 2);
	if (!strstr(out, "设置 trusted_proxies 的值无效 invalid value for trusted_proxies: "
			 "'10.0.0.1, 10.0.0.300'"))
		fail_msg("%s", out);
	free(out);
	unsetenv("LINLI_TRUSTED_PROXIES");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_slow_requests_are_cut_off),
	    cmocka_unit_test(test_one_address_does_not_lock_out_others),
	    cmocka_unit_test(test_headroom_near_the_cap),
	    cmocka_unit_test(test_bad_settings_are_refused),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
