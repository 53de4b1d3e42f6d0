/* The HTTP server: libmicrohttpd with its internal epoll thread pool. One
 * struct app holds the process-wide configuration; server_run blocks until
 * SIGINT or SIGTERM and then shuts down cleanly. */
#ifndef LINLI_WEB_SERVER_H
#define LINLI_WEB_SERVER_H

#include "conn_guard.h"
#include "stream.h"

#include <stddef.h>

struct buf;
struct router;
struct metrics;
struct db;

struct app {
	const char *db_url;    /* storage URL for every thread's connection */
	const char *listen;    /* "ADDR:PORT"; port 0 picks a free one */
	unsigned threads;      /* worker threads in the pool */
	unsigned conn_timeout; /* seconds of idleness before a connection closes */
	/* who may connect, and how long a request may take to arrive */
	struct conn_guard_config conn_rules;
	size_t body_max;       /* request bodies over this get 413 */
	size_t upload_max;     /* cap for ROUTE_UPLOAD routes (photos) */
	int secure_cookies;    /* add Secure to cookies (behind HTTPS) */
	int trust_proxy;       /* take the client address from X-Forwarded-For */
	struct router *router; /* every route; owned by the caller */
	/* the code of the area the public pages (the front page, the report
	 * form, the portal, events) mean when the address names none with
	 * ?area=: the setting "area"; NULL with none (then a database of
	 * several areas needs ?area=) */
	const char *public_area;
	/* the budget of anonymous writes per address (ratelimit.h), NULL for
	 * none; owned by the caller */
	struct ratelimit *anon_writes;
	struct metrics *metrics;       /* request counters; owned by server_run */
	struct conn_guard *conn_guard; /* applies conn_rules; owned by server_run */
	/* the bound and clocks of live event streams (0s: the defaults) */
	struct stream_config stream_rules;
	struct stream_hub *streams; /* the live streams; owned by server_run */
	/* more Prometheus lines for /metrics from the features' own threads
	 * (MQTT ingest), or NULL */
	void (*extra_metrics)(struct buf *out, void *ctx);
	void *extra_ctx;
};

/* server_run serves until a signal arrives. It prints the URL it listens
 * on to standard output once ready. Returns 0 after a clean shutdown. */
int server_run(struct app *app);

/* server_thread_db: this thread's database connection, opened on first use. */
struct db *server_thread_db(const struct app *app);

#endif
