/* The connection guard: who may open a connection, and how long a request
 * may take to arrive. Counts open connections per address and in all; at
 * accept it refuses an address over its limit (a trusted proxy has its
 * own), and once the server is busy an address that already holds a few;
 * a reaper thread closes connections whose headers are late or whose body
 * arrives slower than a minimum rate. Knows no libmicrohttpd: server.c
 * calls it from MHD's callbacks, in any worker thread. */
#ifndef LINLI_WEB_CONN_GUARD_H
#define LINLI_WEB_CONN_GUARD_H

#include "../base/addr.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct metrics;

#define CONN_GUARD_MAX_PROXIES 16     /* entries in trusted_proxies */
#define CONN_GUARD_MAX_LIMIT   100000 /* the largest limit a setting may give */

struct conn_guard_config {
	unsigned header_timeout; /* seconds from accept (or the end of the previous
				    request) to the end of the request's headers */
	unsigned body_timeout;	 /* seconds for the body, plus one per body_min_rate bytes */
	unsigned body_min_rate;	 /* bytes per second a body must keep up on average */
	unsigned per_ip_limit;	 /* connections one address may hold */
	unsigned conn_max;	 /* connections in all */
	unsigned conn_reserve;	 /* the last conn_reserve of conn_max go only to
				    addresses holding fewer than reserve_per_ip */
	unsigned reserve_per_ip; /* see conn_reserve */
	unsigned proxy_limit;	 /* the limit of a trusted proxy listed without one */
	/* trusted proxies: each address with its limit (0: proxy_limit), as
	 * lin_parse_addr_limits reads the trusted_proxies setting */
	struct lin_addr_limit proxies[CONN_GUARD_MAX_PROXIES];
	int nproxies; /* entries in proxies */
};

/* Why a connection was refused or closed; also the metrics' labels. */
enum conn_guard_rule {
	GUARD_REFUSED_PER_IP,	/* its address (or proxy) holds its limit */
	GUARD_REFUSED_BUSY,	/* the server is busy and the address holds its share */
	GUARD_REFUSED_FULL,	/* conn_max connections are open */
	GUARD_CLOSED_HEADERS,	/* the headers did not arrive in header_timeout */
	GUARD_CLOSED_BODY_RATE, /* the body arrived slower than body_min_rate */
	GUARD_NRULES
};

struct conn_guard;
struct guard_conn;

/* conn_guard_new: a guard with a copy of cfg; counts go to m (may be NULL).
 * Starts no thread. The caller frees it with conn_guard_free. */
struct conn_guard *conn_guard_new(const struct conn_guard_config *cfg, struct metrics *m);
/* conn_guard_free stops the reaper if it runs and frees the guard; every
 * connection must have been closed first (the daemon stopped). */
void conn_guard_free(struct conn_guard *g);
/* conn_guard_start_reaper starts the thread that closes late connections
 * (every 100 ms). Returns 0 or LIN_EIO. */
int conn_guard_start_reaper(struct conn_guard *g);

/* conn_guard_admit decides at accept: 0 admits the address and holds a
 * place for it until conn_guard_opened (in the same thread) takes it, or
 * 1 refuses. */
int conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa);
/* conn_guard_opened: the connection admitted last in this thread is open
 * on fd. Returns its record, or NULL when out of memory (then it is not
 * watched, but still counted until conn_guard_closed(g, NULL, sa)). */
struct guard_conn *conn_guard_opened(struct conn_guard *g, const struct sockaddr *sa, int fd);
/* conn_guard_closed: the connection is gone (its fd not yet closed);
 * frees c. */
void conn_guard_closed(struct conn_guard *g, struct guard_conn *c, const struct sockaddr *sa);
/* conn_guard_headers_done: the request's headers are in; its body's
 * clock starts. */
void conn_guard_headers_done(struct conn_guard *g, struct guard_conn *c);
/* conn_guard_body_bytes: n more bytes of the body arrived. */
void conn_guard_body_bytes(struct conn_guard *g, struct guard_conn *c, size_t n);
/* conn_guard_answering: the request is whole; no deadline of ours while
 * it is answered. */
void conn_guard_answering(struct conn_guard *g, struct guard_conn *c);
/* conn_guard_request_done: the answer went out; the next request's header
 * clock starts now (a kept-alive connection). */
void conn_guard_request_done(struct conn_guard *g, struct guard_conn *c);
/* conn_guard_reap closes (shutdown) every connection past its deadline at
 * now_ms (CLOCK_MONOTONIC milliseconds); returns how many. The reaper
 * thread calls it; tests may too. */
int conn_guard_reap(struct conn_guard *g, int64_t now_ms);
/* conn_guard_open_count: connections open now. */
unsigned conn_guard_open_count(struct conn_guard *g);

#endif
