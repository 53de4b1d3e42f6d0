/* The hub of long-lived event streams; see stream.h. One mutex guards the
 * groups and the streams' queues; the hub's thread alone frees them, so a
 * group it holds stays valid while it renders without the lock. A
 * stream's connection is touched only while it is suspended (our reader
 * suspended it and nobody resumed it yet): a suspended connection is
 * never closed by libmicrohttpd, so the pointer is valid then. */
#include "stream.h"
#include "http.h"
#include "server.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <microhttpd.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STREAM_TICK_MS	    100	  /* the hub looks at its groups this often */
#define STREAM_GAP_MS	    100	  /* a notified group is rendered at most this often */
#define STREAM_RELISTEN_MS  5000  /* a lost listener is opened again after this */
#define STREAM_RENDER_MAX   65536 /* bytes one render may give */
#define STREAM_BLOCK	    4096  /* libmicrohttpd's buffer for a stream */
#define STREAM_DEFAULT_POLL 1000
#define STREAM_DEFAULT_IDLE 4000
/* A stream ends after this and its browser comes back (retry: 1000): the
 * session and its role are checked again, so a signed-out or demoted
 * account stops hearing within it. */
#define STREAM_LIFETIME_MS (5 * 60 * 1000)

/* One open stream: a connection and the bytes waiting for it. */
struct stream {
	struct stream_hub *hub;	     /* its hub */
	struct MHD_Connection *conn; /* its connection */
	struct buf out;		     /* bytes not yet handed to libmicrohttpd */
	int64_t ends_ms;	     /* when it ends (STREAM_LIFETIME_MS after it opened) */
	size_t sent;		     /* of out, handed already */
	int suspended;		     /* our reader suspended conn; resume to send */
	int closing;		     /* end the answer once out is sent */
	atomic_int gone;	     /* the answer is over: the hub frees it */
	struct stream *next;	     /* in its group */
};

/* The streams of one source and key, rendered together. */
struct group {
	const struct stream_source *src; /* what they show */
	int64_t key;			 /* whose (an area, a meter) */
	int64_t cursor;			 /* the source's state for the group */
	int dirty;			 /* a notification concerns it */
	int64_t last_ms;		 /* when it was last rendered (or opened) */
	struct stream *streams;		 /* its streams */
	struct group *next;		 /* in the hub */
};

struct stream_hub {
	char *db_url;		     /* for the hub's own connection and listener (owned) */
	struct stream_config cfg;    /* bounds and clocks */
	pthread_mutex_t lock;	     /* guards everything below but the counters */
	pthread_t thread;	     /* renders and sweeps */
	int running;		     /* thread started */
	int stop;		     /* stopping: refuse new streams, end the loop */
	int wake[2];		     /* a byte here wakes the thread */
	struct group *groups;	     /* groups with at least one stream (or new) */
	unsigned open;		     /* streams open or about to be */
	atomic_int listening;	     /* the listener is up and hears other servers */
	atomic_ullong opened;	     /* streams opened in all */
	atomic_ullong refused;	     /* refused for max or shutdown */
	atomic_ullong dropped;	     /* dropped for reading too slowly */
	atomic_ullong renders;	     /* group renders */
	atomic_ullong notifications; /* notifications heard */
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct stream_hub *stream_hub_new(const char *db_url, const struct stream_config *cfg)
{
	struct stream_hub *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->db_url = strdup(db_url ? db_url : "");
	if (!h->db_url || pipe(h->wake)) {
		free(h->db_url);
		free(h);
		return NULL;
	}
	h->cfg = *cfg;
	if (!h->cfg.poll_ms)
		h->cfg.poll_ms = STREAM_DEFAULT_POLL;
	if (!h->cfg.idle_ms)
		h->cfg.idle_ms = STREAM_DEFAULT_IDLE;
	if (!h->cfg.queue_max)
		h->cfg.queue_max = 65536;
	pthread_mutex_init(&h->lock, NULL);
	return h;
}

/* ------------------------------------------------------------ streams */

/* stream_read: libmicrohttpd wants bytes. What is queued goes; with
 * nothing queued the connection is suspended until the hub has more. */
static ssize_t stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct stream *s = cls;
	ssize_t n;

	(void)pos;
	pthread_mutex_lock(&s->hub->lock);
	if (s->out.len > s->sent) {
		size_t left = s->out.len - s->sent;
		n = (ssize_t)(left < max ? left : max);
		memcpy(out, s->out.buf + s->sent, (size_t)n);
		s->sent += (size_t)n;
		if (s->sent == s->out.len) {
			buf_reset(&s->out);
			s->sent = 0;
		}
	} else if (s->closing) {
		n = MHD_CONTENT_READER_END_OF_STREAM;
	} else {
		s->suspended = 1;
		MHD_suspend_connection(s->conn);
		n = 0;
	}
	pthread_mutex_unlock(&s->hub->lock);
	return n;
}

/* stream_over: the answer is done with (sent, broken or the daemon
 * stopping); the hub frees the stream. */
static void stream_over(void *cls)
{
	struct stream *s = cls;
	atomic_store(&s->gone, 1);
}

/* stream_wake resumes s's connection if our reader suspended it, so
 * libmicrohttpd asks for what is queued. Under the lock. */
static void stream_wake(struct stream *s)
{
	if (s->suspended) {
		s->suspended = 0;
		MHD_resume_connection(s->conn);
	}
}

/* stream_end: end s's answer once what is queued has gone. Under the lock. */
static void stream_end(struct stream *s)
{
	s->closing = 1;
	stream_wake(s);
}

/* stream_send: queue bytes for s and wake its connection; a reader that
 * lets queue_max pile up is ended. Under the lock. */
static void stream_send(struct stream *s, const char *bytes, size_t len)
{
	if (atomic_load(&s->gone) || s->closing)
		return;
	if (s->out.len - s->sent + len > s->hub->cfg.queue_max) {
		buf_reset(&s->out);
		s->sent = 0;
		s->closing = 1;
		atomic_fetch_add(&s->hub->dropped, 1);
	} else if (buf_add(&s->out, bytes, len)) {
		s->closing = 1;
	}
	stream_wake(s);
}

int req_wants_stream(struct http_req *req)
{
	const char *accept = req_header(req, "Accept");
	return accept && strstr(accept, "text/event-stream") != NULL;
}

int resp_stream(struct http_req *req, struct http_resp *resp, const struct stream_source *src,
		int64_t key, int64_t cursor)
{
	struct stream_hub *h = req->app->streams;
	int rc = 0;

	if (!h)
		return LIN_ELIMIT;
	pthread_mutex_lock(&h->lock);
	if (h->stop || h->open >= h->cfg.max)
		rc = LIN_ELIMIT;
	else
		h->open++;
	pthread_mutex_unlock(&h->lock);
	if (rc) {
		atomic_fetch_add(&h->refused, 1);
		return rc;
	}
	resp->stream = src;
	resp->stream_key = key;
	resp->stream_cursor = cursor;
	/* A proxy must pass each event on as it comes (nginx buffers else). */
	resp_header(req, resp, "X-Accel-Buffering", "no");
	return 0;
}

/* group_of: src's group of key, made when there is none. Under the lock. */
static struct group *group_of(struct stream_hub *h, const struct stream_source *src, int64_t key,
			      int64_t cursor)
{
	struct group *g;

	for (g = h->groups; g; g = g->next)
		if (g->src == src && g->key == key)
			return g;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->src = src;
	g->key = key;
	g->cursor = cursor;
	g->last_ms = now_ms();
	g->next = h->groups;
	h->groups = g;
	return g;
}

struct MHD_Response *stream_response(struct stream_hub *h, struct MHD_Connection *conn,
				     struct http_resp *resp)
{
	struct MHD_Response *r = NULL;
	struct stream *s = calloc(1, sizeof(*s));
	struct group *g;

	pthread_mutex_lock(&h->lock);
	g = s && !resp->body.failed
		? group_of(h, resp->stream, resp->stream_key, resp->stream_cursor)
		: NULL;
	if (g) {
		s->hub = h;
		s->conn = conn;
		s->ends_ms = now_ms() + STREAM_LIFETIME_MS;
		buf_init(&s->out, h->cfg.queue_max);
		buf_add(&s->out, resp->body.buf, resp->body.len);
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, stream_read,
						      s, stream_over);
	}
	if (r) {
		s->closing = h->stop;
		s->next = g->streams;
		g->streams = s;
		atomic_fetch_add(&h->opened, 1);
	} else {
		/* The group, if new and empty, goes at the next sweep. */
		h->open--;
		if (s)
			buf_release(&s->out);
		free(s);
	}
	pthread_mutex_unlock(&h->lock);
	return r;
}

/* ------------------------------------------------------------ the thread */

/* on_notify: "TOPIC ARGS" marks the groups it concerns. */
static void on_notify(void *ctx, const char *payload)
{
	struct stream_hub *h = ctx;
	const char *space = strchr(payload, ' ');
	size_t tlen = space ? (size_t)(space - payload) : strlen(payload);

	atomic_fetch_add(&h->notifications, 1);
	pthread_mutex_lock(&h->lock);
	for (struct group *g = h->groups; g; g = g->next)
		if (strlen(g->src->topic) == tlen && !memcmp(g->src->topic, payload, tlen) &&
		    g->src->key_of(space ? space + 1 : "") == g->key)
			g->dirty = 1;
	pthread_mutex_unlock(&h->lock);
}

/* sweep ends the streams past their lifetime, frees those that are over
 * and the groups left empty, and counts what stays open. Under the lock. */
static void sweep(struct stream_hub *h, int64_t now)
{
	for (struct group **gp = &h->groups; *gp;) {
		struct group *g = *gp;
		for (struct stream **sp = &g->streams; *sp;) {
			struct stream *s = *sp;
			if (!atomic_load(&s->gone)) {
				if (!s->closing && now >= s->ends_ms)
					stream_end(s);
				sp = &s->next;
				continue;
			}
			*sp = s->next;
			buf_release(&s->out);
			free(s);
			h->open--;
		}
		/* A group just opened may still wait for its first stream. */
		if (!g->streams && now - g->last_ms > 1000) {
			*gp = g->next;
			free(g);
		} else {
			gp = &g->next;
		}
	}
}

/* render_due renders each group due at now and sends it to its streams. */
static void render_due(struct stream_hub *h, struct db *db, int64_t now, struct buf *out)
{
	unsigned every = atomic_load(&h->listening) ? h->cfg.idle_ms : h->cfg.poll_ms;
	struct group *due[256];
	int n;

	do {
		n = 0;
		pthread_mutex_lock(&h->lock);
		for (struct group *g = h->groups; g && n < 256; g = g->next) {
			int64_t since = now - g->last_ms;
			if (g->streams &&
			    ((g->dirty && since >= STREAM_GAP_MS) || since >= every)) {
				g->dirty = 0;
				g->last_ms = now;
				due[n++] = g;
			}
		}
		pthread_mutex_unlock(&h->lock);
		for (int i = 0; i < n; i++) {
			struct group *g = due[i];
			int rc;
			buf_reset(out);
			/* Only this thread frees groups or moves cursors. */
			rc = db ? g->src->render(db, g->key, &g->cursor, out) : LIN_EDB;
			atomic_fetch_add(&h->renders, 1);
			if (rc || out->failed) {
				log_warn("stream: render %s %lld failed (%d)", g->src->topic,
					 (long long)g->key, rc);
				continue;
			}
			pthread_mutex_lock(&h->lock);
			for (struct stream *s = g->streams; s; s = s->next)
				stream_send(s, out->buf, out->len);
			pthread_mutex_unlock(&h->lock);
		}
	} while (n == 256);
}

static void *hub_main(void *arg)
{
	struct stream_hub *h = arg;
	struct db_listener *listener = NULL;
	struct db *db = NULL;
	struct buf out;
	int64_t retry_at = 0;

	buf_init(&out, STREAM_RENDER_MAX);
	for (;;) {
		struct pollfd fds[2] = {{h->wake[0], POLLIN, 0}, {-1, POLLIN, 0}};
		int64_t now = now_ms();
		int stop;

		if (!db && now >= retry_at && db_open(h->db_url, &db))
			db = NULL;
		if (!listener && now >= retry_at) {
			if (db_listen(h->db_url, DB_CHANNEL, &listener))
				listener = NULL;
			else
				log_info("stream: listening for changes%s",
					 db_listener_hears_others(listener) ? " of every server"
									    : "");
			atomic_store(&h->listening, listener && db_listener_hears_others(listener));
		}
		if ((!db || !listener) && now >= retry_at)
			retry_at = now + STREAM_RELISTEN_MS;
		if (listener)
			fds[1].fd = db_listener_fd(listener);
		poll(fds, 2, STREAM_TICK_MS);
		if (fds[0].revents & POLLIN) {
			char drain[64];
			if (read(h->wake[0], drain, sizeof(drain)) < 0)
				log_debug("stream: wake pipe");
		}
		if (listener && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) &&
		    db_listener_drain(listener, on_notify, h)) {
			/* Lost: poll until it is back. */
			db_listener_close(listener);
			listener = NULL;
			atomic_store(&h->listening, 0);
			retry_at = now_ms() + STREAM_RELISTEN_MS;
		}
		pthread_mutex_lock(&h->lock);
		stop = h->stop;
		sweep(h, now_ms());
		pthread_mutex_unlock(&h->lock);
		if (stop)
			break;
		render_due(h, db, now_ms(), &out);
	}
	buf_release(&out);
	db_listener_close(listener);
	db_close(db);
	return NULL;
}

int stream_hub_start(struct stream_hub *h)
{
	if (pthread_create(&h->thread, NULL, hub_main, h))
		return LIN_EIO;
	h->running = 1;
	return 0;
}

void stream_hub_stop(struct stream_hub *h, int wait_ms)
{
	int left = 1;

	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = 1;
	pthread_mutex_unlock(&h->lock);
	if (h->running) {
		if (write(h->wake[1], "x", 1) < 0)
			log_debug("stream: wake pipe");
		pthread_join(h->thread, NULL);
		h->running = 0;
	}
	/* End every answer; a suspended connection must be resumed before the
	 * daemon stops (libmicrohttpd's rule). */
	pthread_mutex_lock(&h->lock);
	for (struct group *g = h->groups; g; g = g->next)
		for (struct stream *s = g->streams; s; s = s->next)
			stream_end(s);
	pthread_mutex_unlock(&h->lock);
	for (int waited = 0; left && waited < wait_ms; waited += 10) {
		left = 0;
		pthread_mutex_lock(&h->lock);
		for (struct group *g = h->groups; g; g = g->next)
			for (struct stream *s = g->streams; s; s = s->next)
				left += !atomic_load(&s->gone);
		pthread_mutex_unlock(&h->lock);
		if (left)
			usleep(10000);
	}
	if (left)
		log_warn("stream: %d streams still open at shutdown", left);
}

void stream_hub_free(struct stream_hub *h)
{
	if (!h)
		return;
	while (h->groups) {
		struct group *g = h->groups;
		h->groups = g->next;
		while (g->streams) {
			struct stream *s = g->streams;
			g->streams = s->next;
			buf_release(&s->out);
			free(s);
		}
		free(g);
	}
	close(h->wake[0]);
	close(h->wake[1]);
	pthread_mutex_destroy(&h->lock);
	free(h->db_url);
	free(h);
}

void stream_hub_metrics(struct stream_hub *h, struct buf *out)
{
	unsigned open;

	pthread_mutex_lock(&h->lock);
	open = h->open;
	pthread_mutex_unlock(&h->lock);
	buf_addf(out,
		 "# HELP linli_streams_open Event streams open now.\n"
		 "# TYPE linli_streams_open gauge\nlinli_streams_open %u\n"
		 "# HELP linli_streams_max Event streams this server holds at most.\n"
		 "# TYPE linli_streams_max gauge\nlinli_streams_max %u\n"
		 "# HELP linli_streams_opened_total Event streams opened.\n"
		 "# TYPE linli_streams_opened_total counter\nlinli_streams_opened_total %llu\n"
		 "# HELP linli_streams_refused_total Event streams refused (503) at the bound.\n"
		 "# TYPE linli_streams_refused_total counter\nlinli_streams_refused_total %llu\n"
		 "# HELP linli_streams_dropped_total Event streams ended for reading too slowly.\n"
		 "# TYPE linli_streams_dropped_total counter\nlinli_streams_dropped_total %llu\n"
		 "# HELP linli_stream_renders_total Group renders (one per group, not per "
		 "stream).\n"
		 "# TYPE linli_stream_renders_total counter\nlinli_stream_renders_total %llu\n"
		 "# HELP linli_stream_notifications_total Change notifications heard.\n"
		 "# TYPE linli_stream_notifications_total counter\n"
		 "linli_stream_notifications_total %llu\n"
		 "# HELP linli_stream_listener_up 1 while other servers' changes are heard "
		 "(PostgreSQL LISTEN), else 0 (polling).\n"
		 "# TYPE linli_stream_listener_up gauge\nlinli_stream_listener_up %d\n",
		 open, h->cfg.max, (unsigned long long)atomic_load(&h->opened),
		 (unsigned long long)atomic_load(&h->refused),
		 (unsigned long long)atomic_load(&h->dropped),
		 (unsigned long long)atomic_load(&h->renders),
		 (unsigned long long)atomic_load(&h->notifications), atomic_load(&h->listening));
}
