/* The HJ 212 listener: one thread, poll() over the listening socket, the
 * stations' connections and a pipe that stops it. Each connection has its
 * own reassembler; each frame is checked (CRC, length, content), its
 * station identified by MN and password, and a real-time noise level
 * stored through the same checks and table as HTTP ingest, or minute and
 * hour statistics (CN=2051, 2061) into noise_minutes. A data answer
 * (CN=9014) goes back when the frame's Flag asks for one and the data is
 * stored (or was already). Bad frames are counted and logged, never stored.
 *
 * No client can hold the thread or the stations' places (hj212_server.h):
 * sockets are non-blocking, answers wait in a bounded queue, connections
 * not yet authenticated live in their own small pool with a deadline, and
 * each known meter has its own slot. Connections are only marked while a
 * round runs and closed at its end, so indexes stay valid meanwhile. */
#include "hj212_server.h"
#include "hj212.h"
#include "ingest.h"
#include "../base/addr.h"
#include "../base/buf.h"
#include "../base/timeutil.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SHANGHAI     LIN_SHANGHAI_OFFSET
#define ACCEPTS_MAX  16	  /* connections taken from the backlog per round */
#define BACKLOG	     128  /* the kernel's queue of connections not yet accepted */
#define ROUND_MAX_MS 1000 /* poll at least this often */
#define FD_PAUSE_MS  1000 /* no accept() for this long when out of descriptors */
#define BY_THE_PEER  ""	  /* closing reason of a station that hung up: not logged */

/* One TCP connection: unauthenticated (meter_id 0) until its first frame
 * with the MN and password of a live meter, then that meter's. */
struct conn {
	int fd;			     /* non-blocking socket */
	unsigned char addr[8];	     /* the address it counts under: IPv4, or IPv6's /64 */
	size_t addr_len;	     /* 4 or 8 bytes of addr used; 0: unknown family */
	char peer[INET6_ADDRSTRLEN]; /* its address, printable, for the log */
	uint64_t seq;		     /* order of acceptance: lower is older */
	int64_t since_ms;	     /* accepted (monotonic milliseconds) */
	int64_t last_ms;	     /* its last authenticated frame (monotonic ms) */
	int64_t meter_id;	     /* the meter whose slot it holds; 0: none yet */
	const char *closing;	     /* why it is closed at the end of the round; NULL: open */
	int reset;		     /* close with a reset: its unread answers are thrown away */
	uint64_t refused;	     /* whole frames not stored: unknown station, bad data */
	size_t out_len;		     /* bytes waiting in out */
	char out[HJ212_OUT_MAX];     /* answers not yet taken by the kernel */
	struct hj212_stream rx;	     /* its reassembler */
};

struct hj212_server {
	pthread_t thread;
	int listen_fd;
	int stop_pipe[2];
	struct db *db;
	int64_t auth_ms;	      /* a new connection's deadline for its first frame */
	int64_t idle_ms;	      /* a station's longest silence */
	unsigned pending_max;	      /* unauthenticated connections at once */
	unsigned pending_per_address; /* of those from one address */
	struct conn **conn;	      /* the connections, owned; nconn of them */
	size_t nconn;		      /* connections in conn */
	size_t cap;		      /* room in conn, and in pfd beyond its first two */
	struct pollfd *pfd;	      /* the stop pipe, the listener, then conn[i] at 2 + i */
	uint64_t next_seq;	      /* seq of the next connection accepted */
	int64_t accept_again_ms;      /* while out of descriptors, no accept() before */
	struct hj212_frame frame;     /* the frame being handled */
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* meter_for_station: the live meter with this MN whose password matches. */
static int meter_for_station(struct db *db, const struct hj212_frame *f, struct noise_meter *m)
{
	return noise_meter_by_mn(db, f->mn, f->pw, m);
}
/* store_realtime stores the LA-Rtd of a real-time frame (CN=2011) as the
 * reading of its DataTime second; 1 when stored (or already). */
static int store_realtime(struct hj212_server *s, const struct hj212_frame *f,
			  const struct noise_meter *m)
{
	struct noise_reading r;
	const char *why = NULL;
	double la;
	int stored = 0, dups = 0;

	if (!f->has_data_time || hj212_value_double(f, "LA", "Rtd", &la)) {
		log_warn("hj212: MN %s: real-time data without DataTime or LA-Rtd", f->mn);
		return 0;
	}
	if (noise_reading_check(f->data_time_epoch, la, 0, 0, (int64_t)time(NULL), &r, &why)) {
		log_warn("hj212: MN %s: reading refused (%s)", f->mn, why);
		return 0;
	}
	r.laeq_centi += m->calibration_centi;
	if (noise_store_readings(s->db, m->id, &r, 1, "hj212", &stored, &dups))
		return 0;
	return 1;
}

/* store_statistics stores the noise statistics (Leq-Data, L10-Data, ...,
 * LMx-Data) of a minute (CN=2051) or hour (CN=2061) frame as the row of
 * the span starting at its DataTime; 1 when stored (or already). */
static int store_statistics(struct hj212_server *s, const struct hj212_frame *f,
			    const struct noise_meter *m, int64_t span_s)
{
	const char *what = span_s == NOISE_HOUR ? "hour" : "minute";
	struct hj212_noise_stats stats;
	struct noise_minute row;
	const char *why = NULL;
	int stored = 0;

	if (hj212_noise_stats(f, &stats, &why) ||
	    noise_minute_check(f->data_time_epoch, span_s, &stats, (int64_t)time(NULL), &row,
			       &why)) {
		log_warn("hj212: MN %s: %s data of %s refused (%s)", f->mn, what,
			 f->has_data_time ? f->data_time : "-", why);
		return 0;
	}
	/* The calibration is applied as levels arrive, like readings. */
	for (int i = 0; i < HJ212_NOISE_STATS; i++)
		if (row.has[i])
			row.centi[i] += m->calibration_centi;
	if (noise_store_minute(s->db, m->id, &row, "hj212", &stored))
		return 0;
	if (!stored)
		log_info("hj212: MN %s: %s data of %s stored already", f->mn, what, f->data_time);
	return 1;
}

/* handle_frame stores what the frame holds; returns 1 when it was stored
 * (or already was), so an answer may be sent. OUT: *meter_id is the meter
 * whose MN and password the frame carried, 0 when none matched. */
static int handle_frame(struct hj212_server *s, const struct hj212_frame *f, int64_t *meter_id)
{
	struct noise_meter m;
	int rc;

	*meter_id = 0;
	rc = meter_for_station(s->db, f, &m);
	if (rc) {
		log_warn("hj212: frame from MN %s refused: %s", f->mn,
			 rc == LIN_EAUTH ? "wrong password" : "unknown station");
		return 0;
	}
	*meter_id = m.id;
	switch (f->cn) {
	case 2011:
		return store_realtime(s, f, &m);
	case 2051:
		return store_statistics(s, f, &m, NOISE_MINUTE);
	case 2061:
		return store_statistics(s, f, &m, NOISE_HOUR);
	default:
		log_warn("hj212: MN %s: CN=%d is not stored (only real-time, minute and hour "
			 "data: 2011, 2051, 2061)",
			 f->mn, f->cn);
		return 0;
	}
}

/* ------------------------------------------------------------ connections */

/* mark_closing: c is closed at the end of the round, for why (logged
 * unless BY_THE_PEER). The first reason stands. */
static void mark_closing(struct conn *c, const char *why)
{
	if (!c->closing)
		c->closing = why;
}

/* flush hands the kernel what it takes of c's answers, never waiting. */
static void flush(struct conn *c)
{
	while (c->out_len && !c->closing) {
		ssize_t n = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			c->out_len -= (size_t)n;
			memmove(c->out, c->out + n, c->out_len);
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return;
		} else {
			mark_closing(c, "cannot send");
		}
	}
}

/* queue_answer puts the data answer (CN=9014) to f behind c's other
 * answers; a station whose answers would pass HJ212_OUT_MAX is not
 * reading them and is dropped. */
static void queue_answer(struct conn *c, const struct hj212_frame *f)
{
	struct buf out;

	buf_init(&out, 0);
	if (!hj212_build_reply(f, 9014, &out)) {
		if (out.len > sizeof(c->out) - c->out_len) {
			mark_closing(c, "it does not read its answers (queue full)");
			c->reset = 1;
		} else {
			memcpy(c->out + c->out_len, out.buf, out.len);
			c->out_len += out.len;
		}
	}
	buf_release(&out);
}

/* authenticated: c sent a frame of meter meter_id, so its idle clock
 * restarts; the first such frame gives c that meter's slot, and an older
 * connection of the same meter gives it up. */
static void authenticated(struct hj212_server *s, struct conn *c, int64_t meter_id, int64_t now)
{
	c->last_ms = now;
	if (c->meter_id)
		return;
	c->meter_id = meter_id;
	for (size_t i = 0; i < s->nconn; i++)
		if (s->conn[i] != c && s->conn[i]->meter_id == meter_id)
			mark_closing(s->conn[i], "the station connected again");
}

/* receive reads once what c sent and handles the frames it completes. */
static void receive(struct hj212_server *s, struct conn *c, int64_t now)
{
	char data[4096];
	ssize_t n = recv(c->fd, data, sizeof(data), MSG_DONTWAIT);
	struct hj212_frame *f = &s->frame;
	const char *p = data;
	uint64_t bad_before = c->rx.bad_frames;
	size_t left, used;
	int rc;

	if (n == 0) {
		mark_closing(c, BY_THE_PEER);
		return;
	}
	if (n < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			mark_closing(c, "cannot receive");
		return;
	}
	left = (size_t)n;
	do {
		int64_t meter_id;

		rc = hj212_stream_push(&c->rx, p, left, &used, f);
		p += used;
		left -= used;
		if (rc != 1)
			continue;
		if (!handle_frame(s, f, &meter_id))
			c->refused++;
		else if (f->flag & HJ212_FLAG_A)
			queue_answer(c, f);
		if (meter_id)
			authenticated(s, c, meter_id, now);
	} while (rc == 1 && !c->closing);
	if (c->rx.bad_frames > bad_before)
		log_warn("hj212: frame refused: %s", c->rx.last_error);
	flush(c);
}

/* conn_close closes conn[i] (the last one takes its place) and frees it. */
static void conn_close(struct hj212_server *s, size_t i)
{
	struct conn *c = s->conn[i];
	struct hj212_stream *rx = &c->rx;

	if (c->closing && *c->closing)
		log_msg(c->reset ? LOG_WARN : LOG_INFO, "hj212: connection from %s%s closed: %s",
			c->peer, c->meter_id ? "" : " (not authenticated)", c->closing);
	if (rx->bad_frames || rx->junk_bytes || c->refused)
		log_info("hj212: connection closed: %llu frames, %llu refused (last: %s), %llu "
			 "junk bytes, %llu frames not stored",
			 (unsigned long long)rx->frames, (unsigned long long)rx->bad_frames,
			 rx->last_error ? rx->last_error : "-", (unsigned long long)rx->junk_bytes,
			 (unsigned long long)c->refused);
	if (c->reset) {
		struct linger now = {1, 0};
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
	}
	close(c->fd);
	free(c);
	s->conn[i] = s->conn[--s->nconn];
}

/* sweep closes the connections marked during the round. */
static void sweep(struct hj212_server *s)
{
	for (size_t i = s->nconn; i-- > 0;)
		if (s->conn[i]->closing)
			conn_close(s, i);
}

/* expire marks the connections past their deadline: no authenticated frame
 * within auth_ms of being accepted, or none for idle_ms since the last.
 * Returns the milliseconds to the next deadline, at most ROUND_MAX_MS. */
static int expire(struct hj212_server *s, int64_t now)
{
	int64_t next = now + ROUND_MAX_MS;

	for (size_t i = 0; i < s->nconn; i++) {
		struct conn *c = s->conn[i];
		int64_t due = c->meter_id ? c->last_ms + s->idle_ms : c->since_ms + s->auth_ms;

		if (c->closing)
			continue;
		if (now >= due) {
			mark_closing(c, c->meter_id
					    ? "silent longer than hj212_idle_timeout"
					    : "no authenticated frame within hj212_auth_timeout");
			continue;
		}
		if (due < next)
			next = due;
	}
	return (int)(next - now);
}

/* address_of fills c's address: the IPv4 address (also when mapped into
 * IPv6), or the /64 of an IPv6 one, whose owner has all of it. */
static void address_of(const struct sockaddr_storage *ss, struct conn *c)
{
	snprintf(c->peer, sizeof(c->peer), "?");
	c->addr_len = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
		memcpy(c->addr, &a->sin_addr, 4);
		c->addr_len = 4;
		inet_ntop(AF_INET, &a->sin_addr, c->peer, sizeof(c->peer));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
		int mapped = IN6_IS_ADDR_V4MAPPED(&a->sin6_addr);
		c->addr_len = mapped ? 4 : 8;
		memcpy(c->addr, a->sin6_addr.s6_addr + (mapped ? 12 : 0), c->addr_len);
		inet_ntop(AF_INET6, &a->sin6_addr, c->peer, sizeof(c->peer));
	}
}

/* make_room keeps the unauthenticated pool within its limits before c
 * joins it: the oldest one from c's address goes when that address has
 * pending_per_address already, else the oldest of all when the pool holds
 * pending_max. Stations' connections are never touched. */
static void make_room(struct hj212_server *s, const struct conn *c)
{
	struct conn *oldest = NULL, *oldest_here = NULL;
	unsigned pending = 0, here = 0;

	for (size_t i = 0; i < s->nconn; i++) {
		struct conn *d = s->conn[i];
		if (d->closing || d->meter_id)
			continue;
		pending++;
		if (!oldest || d->seq < oldest->seq)
			oldest = d;
		if (d->addr_len != c->addr_len || memcmp(d->addr, c->addr, c->addr_len))
			continue;
		here++;
		if (!oldest_here || d->seq < oldest_here->seq)
			oldest_here = d;
	}
	if (here >= s->pending_per_address)
		mark_closing(oldest_here, "pushed out: hj212_pending_per_ip unauthenticated "
					  "connections from its address");
	else if (pending >= s->pending_max)
		mark_closing(oldest, "pushed out: hj212_pending_max unauthenticated connections");
}

/* grow makes room for one more connection; 0 or LIN_ENOMEM. */
static int grow(struct hj212_server *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	struct conn **conn;
	struct pollfd *pfd;

	if (s->nconn < s->cap)
		return 0;
	conn = realloc(s->conn, cap * sizeof(*conn));
	if (!conn)
		return LIN_ENOMEM;
	s->conn = conn;
	pfd = realloc(s->pfd, (cap + 2) * sizeof(*pfd));
	if (!pfd)
		return LIN_ENOMEM;
	s->pfd = pfd;
	s->cap = cap;
	return 0;
}

/* accept_some takes up to ACCEPTS_MAX waiting connections into the
 * unauthenticated pool. */
static void accept_some(struct hj212_server *s, int64_t now)
{
	int sndbuf = HJ212_SNDBUF;

	for (int k = 0; k < ACCEPTS_MAX; k++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct conn *c;
		int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				log_error("hj212: accept: %s", strerror(errno));
				s->accept_again_ms = now + FD_PAUSE_MS;
			}
			return;
		}
		c = grow(s) ? NULL : malloc(sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		memset(c, 0, offsetof(struct conn, out));
		hj212_stream_init(&c->rx, SHANGHAI);
		c->fd = fd;
		c->seq = s->next_seq++;
		c->since_ms = c->last_ms = now;
		address_of(&ss, c);
		/* A small kernel buffer: a station's answers are ~100 bytes. */
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		make_room(s, c);
		s->conn[s->nconn++] = c;
	}
}

static void *run(void *arg)
{
	struct hj212_server *s = arg;

	for (;;) {
		int64_t now = now_ms();
		int timeout = expire(s, now), listening;
		size_t n;

		sweep(s);
		n = s->nconn;
		listening = now >= s->accept_again_ms;
		s->pfd[0] = (struct pollfd){s->stop_pipe[0], POLLIN, 0};
		s->pfd[1] = (struct pollfd){listening ? s->listen_fd : -1, POLLIN, 0};
		for (size_t i = 0; i < n; i++)
			s->pfd[2 + i] = (struct pollfd){
			    s->conn[i]->fd, (short)(POLLIN | (s->conn[i]->out_len ? POLLOUT : 0)),
			    0};
		if (!listening && s->accept_again_ms - now < timeout)
			timeout = (int)(s->accept_again_ms - now);
		if (poll(s->pfd, (nfds_t)(n + 2), timeout) < 0) {
			if (errno == EINTR)
				continue;
			log_error("hj212: poll: %s", strerror(errno));
			break;
		}
		if (s->pfd[0].revents)
			break;
		now = now_ms();
		for (size_t i = 0; i < n; i++) {
			struct conn *c = s->conn[i];
			short re = s->pfd[2 + i].revents;
			if (re & POLLOUT)
				flush(c);
			if ((re & (POLLIN | POLLERR | POLLHUP)) && !c->closing)
				receive(s, c, now);
		}
		if (s->pfd[1].revents & POLLIN)
			accept_some(s, now);
		sweep(s);
	}
	while (s->nconn)
		conn_close(s, s->nconn - 1);
	return NULL;
}

int hj212_server_start(const struct hj212_options *opt, const char *db_url,
		       struct hj212_server **out)
{
	struct hj212_server *s = calloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	int v6 = 0, one = 1, rc;

	*out = NULL;
	if (!s)
		return LIN_ENOMEM;
	s->listen_fd = s->stop_pipe[0] = s->stop_pipe[1] = -1;
	s->auth_ms =
	    1000 * (int64_t)(opt->auth_timeout_s ? opt->auth_timeout_s : HJ212_AUTH_TIMEOUT);
	s->idle_ms =
	    1000 * (int64_t)(opt->idle_timeout_s ? opt->idle_timeout_s : HJ212_IDLE_TIMEOUT);
	s->pending_max = opt->pending_max ? opt->pending_max : HJ212_PENDING_MAX;
	s->pending_per_address =
	    opt->pending_per_address ? opt->pending_per_address : HJ212_PENDING_PER_IP;
	if (lin_parse_listen(opt->listen, &ss, &v6)) {
		fprintf(stderr, "linli: HJ 212 监听地址无效 bad --hj212-listen address %s\n",
			opt->listen);
		free(s);
		return LIN_EINVAL;
	}
	rc = grow(s);
	if (!rc)
		rc = db_open(db_url, &s->db);
	if (rc)
		goto fail;
	s->listen_fd =
	    socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 ||
	    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->listen_fd, (struct sockaddr *)&ss,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) ||
	    listen(s->listen_fd, BACKLOG) || pipe2(s->stop_pipe, O_CLOEXEC)) {
		fprintf(stderr, "linli: 无法监听 cannot listen on %s for HJ 212: %s\n", opt->listen,
			strerror(errno));
		rc = LIN_EIO;
		goto fail;
	}
	if (pthread_create(&s->thread, NULL, run, s)) {
		rc = LIN_ENOMEM;
		goto fail;
	}
	log_info("hj212: listening on %s (authentication within %lld s, idle %lld s, %u "
		 "unauthenticated connections, %u from one address)",
		 opt->listen, (long long)(s->auth_ms / 1000), (long long)(s->idle_ms / 1000),
		 s->pending_max, s->pending_per_address);
	*out = s;
	return 0;
fail:
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->stop_pipe[0] >= 0) {
		close(s->stop_pipe[0]);
		close(s->stop_pipe[1]);
	}
	db_close(s->db);
	free(s->conn);
	free(s->pfd);
	free(s);
	return rc;
}

void hj212_server_stop(struct hj212_server *s)
{
	if (!s)
		return;
	if (write(s->stop_pipe[1], "x", 1) != 1)
		log_error("hj212: cannot signal the listener to stop");
	pthread_join(s->thread, NULL);
	close(s->listen_fd);
	close(s->stop_pipe[0]);
	close(s->stop_pipe[1]);
	db_close(s->db);
	free(s->conn);
	free(s->pfd);
	free(s);
}
