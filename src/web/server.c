/* libmicrohttpd glue: collects each request body under a cap, gives each
 * request an arena, and hands it to dispatch (dispatch.c). One database
 * connection per worker thread, opened on first use and closed at exit. */
#include "server.h"
#include "conn_guard.h"
#include "dispatch.h"
#include "metrics.h"
#include "respcache.h"
#include "router.h"
#include "../base/addr.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* Connections opened by worker threads, closed after the daemon stops.
 * Process-wide state (see docs/architecture.md). */
static pthread_mutex_t server_dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db *server_dbs[256];
static int server_ndbs;
static _Thread_local struct db *server_db;

struct db *server_thread_db(const struct app *app)
{
	struct db *db = NULL;

	if (server_db)
		return server_db;
	if (db_open(app->db_url, &db))
		return NULL;
	pthread_mutex_lock(&server_dbs_lock);
	if (server_ndbs < (int)(sizeof(server_dbs) / sizeof(server_dbs[0]))) {
		server_dbs[server_ndbs++] = db;
		server_db = db;
	}
	pthread_mutex_unlock(&server_dbs_lock);
	if (!server_db) { /* more threads than slots: should not happen */
		db_close(db);
		return NULL;
	}
	return server_db;
}

static void server_close_dbs(void)
{
	pthread_mutex_lock(&server_dbs_lock);
	for (int i = 0; i < server_ndbs; i++)
		db_close(server_dbs[i]);
	server_ndbs = 0;
	pthread_mutex_unlock(&server_dbs_lock);
}

/* One in-flight request; freed by on_completed. */
struct request_ctx {
	struct arena arena;    /* per-request memory */
	struct buf body;       /* body collected so far */
	int too_big;	       /* the body passed the cap */
	size_t cap;	       /* the body cap for this request's route */
	struct timespec start; /* when the request arrived */
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void free_body(void *p)
{
	free(p);
}

/* stream_or_buffer: the answer's libmicrohttpd response: a live stream's
 * (stream.h) or the body whole. */
static struct MHD_Response *stream_or_buffer(const struct app *app, struct MHD_Connection *conn,
					     struct http_resp *resp)
{
	struct MHD_Response *r;
	size_t len = 0;
	char *body;

	if (resp->stream && app->streams)
		return stream_response(app->streams, conn, resp);
	body = buf_detach(&resp->body, &len);
	if (!body) {
		body = strdup("internal error: response too large\n");
		len = body ? strlen(body) : 0;
		resp->status = 500;
		resp->content_type = "text/plain; charset=utf-8";
	}
	r = MHD_create_response_from_buffer_with_free_callback(len, body, free_body);
	if (!r)
		free(body);
	return r;
}

static enum MHD_Result queue(const struct app *app, struct MHD_Connection *conn,
			     struct http_resp *resp)
{
	struct MHD_Response *r = stream_or_buffer(app, conn, resp);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type",
				resp->content_type ? resp->content_type
						   : "text/html; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	{
		/* a page drawn over map tiles may load images from their host */
		char csp[768];
		snprintf(csp, sizeof(csp),
			 "default-src 'self'; img-src 'self' data:%s%s; style-src 'self'; "
			 "script-src 'self'; frame-ancestors 'none'",
			 resp->csp_img ? " " : "", resp->csp_img ? resp->csp_img : "");
		MHD_add_response_header(r, "Content-Security-Policy", csp);
	}
	for (int i = 0; i < resp->nheaders; i++)
		MHD_add_response_header(r, resp->headers[i][0], resp->headers[i][1]);
	ret = MHD_queue_response(conn, (unsigned)resp->status, r);
	MHD_destroy_response(r);
	return ret;
}

static const char *peer_address(struct MHD_Connection *conn, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char text[INET6_ADDRSTRLEN] = "";

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, text,
				  sizeof(text));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, text,
				  sizeof(text));
	}
	return arena_strdup(a, text);
}

/* route_body_cap: routes that take photos get the upload cap. */
static size_t route_body_cap(const struct app *app, struct arena *a, const char *method,
			     const char *url)
{
	struct http_req probe;
	const struct route *rt;
	int mismatch;

	memset(&probe, 0, sizeof(probe));
	probe.arena = a;
	probe.method = method;
	probe.path = url;
	rt = router_match(app->router, &probe, &mismatch);
	if (rt && (rt->flags & ROUTE_UPLOAD) && app->upload_max > app->body_max)
		return app->upload_max;
	return app->body_max;
}

/* guard_conn_of: the guard's record of a connection (its socket context). */
static struct guard_conn *guard_conn_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct app *app = cls;
	struct request_ctx *ctx = *con_cls;
	struct http_req req;
	struct http_resp resp;
	enum MHD_Result ret;

	(void)version;
	if (!ctx) {
		const char *cl;
		/* The headers are in: the body's clock starts. */
		conn_guard_headers_done(app->conn_guard, guard_conn_of(conn));
		ctx = calloc(1, sizeof(*ctx));
		if (!ctx)
			return MHD_NO;
		arena_init(&ctx->arena, 0);
		clock_gettime(CLOCK_MONOTONIC, &ctx->start);
		ctx->cap = route_body_cap(app, &ctx->arena, method, url);
		buf_init(&ctx->body, ctx->cap + 1);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > ctx->cap)
			ctx->too_big = 1;
		*con_cls = ctx;
		return MHD_YES;
	}
	if (*upload_data_size) {
		conn_guard_body_bytes(app->conn_guard, guard_conn_of(conn), *upload_data_size);
		if (!ctx->too_big && (buf_add(&ctx->body, upload_data, *upload_data_size) ||
				      ctx->body.len > ctx->cap)) {
			ctx->too_big = 1;
			buf_release(&ctx->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	conn_guard_answering(app->conn_guard, guard_conn_of(conn));
	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	buf_init(&resp.body, 0);
	req.arena = &ctx->arena;
	req.conn = conn;
	req.app = app;
	req.method = method;
	req.path = url;
	req.body = ctx->body.buf;
	req.body_len = ctx->body.len;
	req.address = peer_address(conn, &ctx->arena);
	if (app->trust_proxy) {
		/* The rightmost entry is the one our own proxy added. */
		const char *fwd =
		    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
		if (fwd && *fwd) {
			const char *last = strrchr(fwd, ',');
			last = last ? last + 1 : fwd;
			while (*last == ' ')
				last++;
			if (*last && strlen(last) < 64)
				req.address = arena_strdup(&ctx->arena, last);
		}
	}
	dispatch_request(app, &req, &resp, ctx->too_big);
	metrics_observe(app->metrics, req.route ? req.route->index : -1, resp.status,
			seconds_since(&ctx->start));
	ret = queue(app, conn, &resp);
	buf_release(&resp.body);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct app *app = cls;
	struct request_ctx *ctx = *con_cls;

	(void)toe;
	/* A kept-alive connection's next request has header_timeout again. */
	conn_guard_request_done(app->conn_guard, guard_conn_of(conn));
	if (!ctx)
		return;
	arena_release(&ctx->arena);
	buf_release(&ctx->body);
	free(ctx);
	*con_cls = NULL;
}

/* on_accept: the guard's say at accept; a refused socket is closed at
 * once, without an answer. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
	(void)addrlen;
	return conn_guard_admit(cls, addr) ? MHD_NO : MHD_YES;
}

/* on_connection: a connection opens or closes (its socket is closed after
 * this returns); the guard's record is its socket context. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *addr =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = addr ? addr->client_addr : NULL;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
		    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = conn_guard_opened(cls, sa, fd ? fd->connect_fd : -1);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conn_guard_closed(cls, *socket_context, sa);
		*socket_context = NULL;
	}
}

/* raise_open_files: conn_max sockets need as many descriptors, plus the
 * database's and the listeners'; raise the soft limit up to the hard one
 * and say so when that is still too few. */
static void raise_open_files(unsigned conn_max)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)conn_max + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
		rl.rlim_cur =
		    rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want)
		log_warn("serve: open-file limit %llu is below conn_max + 256 = %llu (LimitNOFILE)",
			 (unsigned long long)rl.rlim_cur, (unsigned long long)want);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("http: %s", line);
}

/* server_release frees what server_run made (the stream hub, the guard,
 * the metrics; the daemon stopped) and returns rc. */
static int server_release(struct app *app, int rc)
{
	stream_hub_free(app->streams);
	app->streams = NULL;
	conn_guard_free(app->conn_guard);
	app->conn_guard = NULL;
	free(app->metrics);
	app->metrics = NULL;
	return rc;
}

int server_run(struct app *app)
{
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t sigs;
	/* Suspend/resume: a live stream waits for its next event without a
	 * thread (stream.c). */
	unsigned flags =
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	unsigned nthreads;
	int v6 = 0, sig = 0;

	if (lin_parse_listen(app->listen, &ss, &v6)) {
		log_error("serve: bad listen address %s (want ADDR:PORT)", app->listen);
		return LIN_EINVAL;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	app->metrics = metrics_new(router_count(app->router));
	if (!app->metrics)
		return LIN_ENOMEM;
	app->conn_guard = conn_guard_new(&app->conn_rules, app->metrics);
	if (!app->conn_guard || conn_guard_start_reaper(app->conn_guard))
		return server_release(app, LIN_ENOMEM);
	raise_open_files(app->conn_rules.conn_max);
	/* Live streams: half the connections at most unless told. */
	if (!app->stream_rules.max)
		app->stream_rules.max = app->conn_rules.conn_max / 2;
	app->streams = stream_hub_new(app->db_url, &app->stream_rules);
	if (!app->streams || stream_hub_start(app->streams))
		return server_release(app, LIN_ENOMEM);

	/* Worker threads inherit this mask, so only sigwait below sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The guard holds the limits (per address, trusted proxies, in all).
	 * MHD splits its own limit evenly between the workers, whose shares
	 * fill unevenly, so it gets one the guard always reaches first. */
	nthreads = app->threads ? app->threads : 4;
	d = MHD_start_daemon(flags, 0, on_accept, app->conn_guard, on_request, app,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_THREAD_POOL_SIZE, nthreads, MHD_OPTION_CONNECTION_TIMEOUT,
			     app->conn_timeout ? app->conn_timeout : 30,
			     MHD_OPTION_CONNECTION_LIMIT, (app->conn_rules.conn_max + 1) * nthreads,
			     MHD_OPTION_NOTIFY_CONNECTION, on_connection, app->conn_guard,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, app,
			     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_END);
	if (!d) {
		log_error("serve: cannot listen on %s", app->listen);
		stream_hub_stop(app->streams, 0);
		return server_release(app, LIN_EIO);
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	{
		char host[128];
		const char *colon = strrchr(app->listen, ':');
		size_t hlen = (size_t)(colon - app->listen);
		if (hlen == 0 || hlen >= sizeof(host) || (hlen == 1 && app->listen[0] == '*')) {
			snprintf(host, sizeof(host), "0.0.0.0");
		} else {
			memcpy(host, app->listen, hlen);
			host[hlen] = '\0';
		}
		printf("linli: listening on http://%s:%u/\n", host, info ? info->port : 0);
		fflush(stdout);
	}
	log_info("serve: ready listen=%s threads=%u", app->listen, app->threads);
	while (sigwait(&sigs, &sig) != 0)
		;
	log_info("serve: signal %d, shutting down", sig);
	/* Streams end first: the daemon may not stop with one suspended. */
	stream_hub_stop(app->streams, 2000);
	MHD_stop_daemon(d);
	server_close_dbs();
	respcache_clear();
	return server_release(app, 0);
}
