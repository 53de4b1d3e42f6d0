/* Unit tests of the connection guard (src/web/conn_guard.c) without a
 * server: how addresses are counted (IPv6 by /64, IPv4-mapped as IPv4, a
 * trusted proxy exactly), the place held between accept and open, and the
 * deadlines to the millisecond, with the clock handed to the reaper; and
 * the trusted_proxies list as base/addr.c reads it.
 * http_slow tests the same rules through the real server. */
#include "web/conn_guard.h"
#include "base/err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

static struct conn_guard_config rules(void)
{
	struct conn_guard_config cfg = {
	    .header_timeout = 10,
	    .body_timeout = 2,
	    .body_min_rate = 1000,
	    .per_ip_limit = 2,
	    .conn_max = 100,
	    .conn_reserve = 10,
	    .reserve_per_ip = 2,
	    .proxy_limit = 5,
	};
	return cfg;
}

static struct sockaddr_storage addr(const char *text)
{
	struct sockaddr_storage ss;

	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		assert_int_equal(inet_pton(AF_INET6, text, &a->sin6_addr), 1);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		assert_int_equal(inet_pton(AF_INET, text, &a->sin_addr), 1);
	}
	return ss;
}

/* connect_from: admit and open a connection from text; 1 when refused. */
static int connect_from(struct conn_guard *g, const char *text, struct guard_conn **out)
{
	struct sockaddr_storage ss = addr(text);

	if (conn_guard_admit(g, (struct sockaddr *)&ss))
		return 1;
	*out = conn_guard_opened(g, (struct sockaddr *)&ss, -1);
	assert_non_null(*out);
	return 0;
}

static int64_t clock_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void ipv6_is_counted_by_its_64(void **state)
{
	struct conn_guard_config cfg = rules();
	struct guard_conn *c[16];
	struct conn_guard *g;
	int n = 0;

	(void)state;
	cfg.nproxies = lin_parse_addr_limits("2001:db8::99=3", CONN_GUARD_MAX_LIMIT, cfg.proxies,
					     CONN_GUARD_MAX_PROXIES);
	assert_int_equal(cfg.nproxies, 1);
	g = conn_guard_new(&cfg, NULL);
	assert_non_null(g);
	/* Two from one /64, whatever the low half; the third is refused. */
	assert_int_equal(connect_from(g, "2001:db8::1", &c[n++]), 0);
	assert_int_equal(connect_from(g, "2001:db8::ffff:2", &c[n++]), 0);
	assert_int_equal(connect_from(g, "2001:db8::3", &c[n]), 1);
	/* The next /64 is another address. */
	assert_int_equal(connect_from(g, "2001:db8:0:1::1", &c[n++]), 0);
	/* The trusted proxy in that /64 is itself, with its own limit. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(connect_from(g, "2001:db8::99", &c[n++]), 0);
	assert_int_equal(connect_from(g, "2001:db8::99", &c[n]), 1);
	/* IPv4 and IPv4-mapped IPv6 are one address. */
	assert_int_equal(connect_from(g, "10.0.0.1", &c[n++]), 0);
	assert_int_equal(connect_from(g, "::ffff:10.0.0.1", &c[n++]), 0);
	assert_int_equal(connect_from(g, "10.0.0.1", &c[n]), 1);
	assert_int_equal(conn_guard_open_count(g), (unsigned)n);
	/* Closing one makes room for one. */
	conn_guard_closed(g, c[--n], NULL);
	assert_int_equal(connect_from(g, "10.0.0.1", &c[n++]), 0);
	while (n)
		conn_guard_closed(g, c[--n], NULL);
	assert_int_equal(conn_guard_open_count(g), 0);
	conn_guard_free(g);
}

/* An admitted connection MHD dropped before opening it gives its place
 * back at the thread's next admit. */
static void a_dropped_admission_gives_its_place_back(void **state)
{
	struct conn_guard_config cfg = rules();
	struct sockaddr_storage ss = addr("192.0.2.1");
	struct guard_conn *c;
	struct conn_guard *g;

	(void)state;
	cfg.per_ip_limit = 1;
	g = conn_guard_new(&cfg, NULL);
	assert_int_equal(conn_guard_admit(g, (struct sockaddr *)&ss), 0);
	assert_int_equal(conn_guard_open_count(g), 1);
	assert_int_equal(conn_guard_admit(g, (struct sockaddr *)&ss), 0); /* dropped, again */
	assert_int_equal(conn_guard_open_count(g), 1);
	c = conn_guard_opened(g, (struct sockaddr *)&ss, -1);
	assert_int_equal(conn_guard_open_count(g), 1);
	assert_int_equal(conn_guard_admit(g, (struct sockaddr *)&ss), 1);
	conn_guard_closed(g, c, NULL);
	assert_int_equal(conn_guard_open_count(g), 0);
	conn_guard_free(g);
}

/* reap_at: how many connections the reaper closes at t (ms). */
static int reap_at(struct conn_guard *g, int64_t t)
{
	return conn_guard_reap(g, t);
}

static void deadlines_to_the_millisecond(void **state)
{
	struct conn_guard_config cfg = rules();
	struct sockaddr_storage ss = addr("192.0.2.1");
	struct guard_conn *c;
	struct conn_guard *g;
	int64_t before, after;
	int fds[2];
	char byte;

	(void)state;
	g = conn_guard_new(&cfg, NULL);
	/* Headers: 10 s from the open. */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
	before = clock_ms();
	assert_int_equal(conn_guard_admit(g, (struct sockaddr *)&ss), 0);
	c = conn_guard_opened(g, (struct sockaddr *)&ss, fds[0]);
	after = clock_ms();
	assert_int_equal(reap_at(g, before + 10000 - 1), 0);
	assert_int_equal(reap_at(g, after + 10000), 1);
	assert_int_equal(read(fds[1], &byte, 1), 0);	/* the peer sees the end */
	assert_int_equal(reap_at(g, after + 20000), 0); /* once only */
	conn_guard_closed(g, c, NULL);
	close(fds[0]);
	close(fds[1]);

	/* A body: 2 s plus 1 s per 1000 bytes received; none while answering;
	 * the next request's headers 10 s from the answer. */
	assert_int_equal(conn_guard_admit(g, (struct sockaddr *)&ss), 0);
	c = conn_guard_opened(g, (struct sockaddr *)&ss, -1);
	before = clock_ms();
	conn_guard_headers_done(g, c);
	conn_guard_body_bytes(g, c, 300);
	conn_guard_body_bytes(g, c, 200);
	after = clock_ms();
	assert_int_equal(reap_at(g, before + 2500 - 1), 0);
	assert_int_equal(reap_at(g, after + 2500), 1);
	conn_guard_closed(g, c, NULL);

	assert_int_equal(conn_guard_admit(g, (struct sockaddr *)&ss), 0);
	c = conn_guard_opened(g, (struct sockaddr *)&ss, -1);
	conn_guard_headers_done(g, c);
	conn_guard_answering(g, c);
	assert_int_equal(reap_at(g, clock_ms() + 3600 * 1000), 0);
	before = clock_ms();
	conn_guard_request_done(g, c);
	after = clock_ms();
	assert_int_equal(reap_at(g, before + 10000 - 1), 0);
	assert_int_equal(reap_at(g, after + 10000), 1);
	conn_guard_closed(g, c, NULL);
	conn_guard_free(g);
}

static void proxy_lists(void **state)
{
	static const struct {
		const char *text;
		int ok;
		int n;
	} cases[] = {
	    {"", 1, 0},		  {" , ", 1, 0},
	    {"10.0.0.1", 1, 1},	  {"10.0.0.1=1, ::1=100000\t192.0.2.7", 1, 3},
	    {"10.0.0.1=0", 0, 0}, {"10.0.0.1=100001", 0, 0},
	    {"10.0.0.1=", 0, 0},  {"10.0.0.1=x", 0, 0},
	    {"10.0.0.256", 0, 0}, {"10.0.0.0/8", 0, 0},
	    {"localhost", 0, 0},  {"[::1]", 0, 0},
	};
	struct lin_addr_limit got[CONN_GUARD_MAX_PROXIES];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = lin_parse_addr_limits(cases[i].text, CONN_GUARD_MAX_LIMIT, got,
					      CONN_GUARD_MAX_PROXIES);
		if ((n >= 0) != cases[i].ok)
			fail_msg("\"%s\" was %s", cases[i].text, n < 0 ? "refused" : "accepted");
		if (n >= 0)
			assert_int_equal(n, cases[i].n);
	}
	assert_int_equal(lin_parse_addr_limits("10.0.0.1=7 10.0.0.2", CONN_GUARD_MAX_LIMIT, got,
					       CONN_GUARD_MAX_PROXIES),
			 2);
	assert_int_equal(got[0].limit, 7);
	assert_int_equal(got[1].limit, 0); /* proxy_limit */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ipv6_is_counted_by_its_64),
	    cmocka_unit_test(a_dropped_admission_gives_its_place_back),
	    cmocka_unit_test(deadlines_to_the_millisecond),
	    cmocka_unit_test(proxy_lists),
	};
	return cmocka_run_group_tests_name("conn_guard", tests, NULL, NULL);
}
