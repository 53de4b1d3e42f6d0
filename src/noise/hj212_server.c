/* The HJ 212 listener: two threads. The network thread waits in epoll on
 * the listening socket, the stations' connections, a pipe that stops it
 * and an eventfd the store thread rings; it reassembles each connection's
 * frames and hands every complete one to the store thread. The store
 * thread takes all the frames waiting (up to BATCH_MAX) and stores them in
 * one transaction (a group commit): each frame's station identified by MN
 * and password, a real-time noise level stored through the same checks and
 * path as HTTP ingest (noise_store_readings), or minute and hour
 * statistics (CN=2051, 2061) into noise_minutes. Only after the COMMIT has
 * returned does it build the data answers (CN=9014) the frames' Flag asked
 * for and give them back to the network thread to send: an answered frame
 * is on disk. Bad frames are counted and logged, never stored.
 *
 * No client can hold the threads or the stations' places
 * (hj212_server.h): sockets are non-blocking, answers wait in a bounded
 * queue, a connection with INFLIGHT_MAX frames not yet stored is not read
 * until they are, connections not yet authenticated live in their own
 * small pool with a deadline, and each known meter has its own slot.
 * Connections are only marked while a round runs and closed at its end,
 * so pointers stay valid meanwhile; an answer finds its connection by
 * slot and sequence number, so one for a connection closed meanwhile is
 * dropped. */
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
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SHANGHAI       LIN_SHANGHAI_OFFSET
#define ACCEPTS_MAX    64 /* connections taken from the backlog per round */
#define BACKLOG	       4096 /* the kernel's queue of connections not yet accepted (somaxconn caps it) */
#define EVENTS_MAX     256   /* epoll events taken per round */
#define ROUND_MAX_MS   1000  /* deadlines are looked at least this often */
#define FD_PAUSE_MS    1000  /* no accept() for this long when out of descriptors */
#define BY_THE_PEER    ""    /* closing reason of a station that hung up: not logged */
#define INFLIGHT_MAX   16    /* a connection's frames awaiting the store before it is read again */
#define BATCH_MAX      4096  /* frames stored in one transaction */
#define REPLY_MAX      160   /* bytes of a data answer: 17 + 24 + 6 + the fixed fields */
#define METER_CACHE_MS 60000 /* a station's meter is looked up again after this */

/* One TCP connection: unauthenticated (meter_id 0) until a frame with the
 * MN and password of a live meter is stored, then that meter's. */
struct conn {
	int fd;			     /* non-blocking socket */
	uint32_t slot;		     /* its index in the server's conn */
	uint64_t seq;		     /* order of acceptance: lower is older; never reused */
	unsigned char addr[8];	     /* the address it counts under: IPv4, or IPv6's /64 */
	size_t addr_len;	     /* 4 or 8 bytes of addr used; 0: unknown family */
	char peer[INET6_ADDRSTRLEN]; /* its address, printable, for the log */
	int64_t since_ms;	     /* accepted (monotonic milliseconds) */
	int64_t last_ms;	     /* its last authenticated frame (monotonic ms) */
	int64_t meter_id;	     /* the meter whose slot it holds; 0: none yet */
	const char *closing;	     /* why it is closed at the end of the round; NULL: open */
	struct conn *next_closing;   /* the round's list of connections to close */
	int reset;		     /* close with a reset: its unread answers are thrown away */
	int reading;		     /* epoll watches it for input */
	size_t pending_at;	     /* 1 + its index in the server's pending; 0: not there */
	unsigned inflight;	     /* frames handed to the store thread, not back yet */
	uint64_t refused;	     /* whole frames not stored: unknown station, bad data */
	char *out;		     /* answers not yet taken by the kernel, HJ212_OUT_MAX
					bytes, allocated when first needed; owned */
	size_t out_len;		     /* bytes waiting in out */
	struct hj212_stream rx;	     /* its reassembler; last, as it is large and mostly unused */
};

/* One frame on its way to the store thread and back. Owned by whichever
 * list holds it; the network thread frees it. */
struct job {
	struct job *next;      /* in todo or done */
	uint32_t slot;	       /* the connection it came on: slot and seq */
	uint64_t seq;	       /* (the connection may be gone when it is back) */
	int64_t meter_id;      /* OUT of the store: the frame's meter, 0: none matched */
	int stored;	       /* OUT: stored (or was already), so it may be answered */
	size_t reply_len;      /* OUT: bytes of the answer in reply, 0: none asked */
	char reply[REPLY_MAX]; /* OUT: the data answer, built after COMMIT */
	size_t len;	       /* bytes of the frame */
	char frame[];	       /* the frame as received */
};

/* A list of jobs in arrival order. */
struct job_list {
	struct job *head, *tail;
	size_t n;
};

/* The store thread's stations by MN: an open-addressed table, never
 * shrunk (one entry per station that sent a good frame). */
struct meter_entry {
	char mn[HJ212_MN_MAX + 1]; /* the station's MN; "" for a free entry */
	char pw[HJ212_PW_MAX + 1]; /* the password it was found with */
	struct noise_meter meter;  /* what the database said */
	int64_t until_ms;	   /* trusted until then (monotonic ms) */
};

struct meter_cache {
	struct meter_entry *slot; /* cap entries, owned */
	size_t cap;		  /* a power of two, or 0 */
	size_t used;		  /* entries with an MN */
};

struct hj212_server {
	pthread_t thread;	      /* the network thread */
	pthread_t store_thread;	      /* the store thread */
	int store_started;	      /* store_thread runs */
	int listen_fd;		      /* the listening socket */
	int stop_pipe[2];	      /* written once to stop the network thread */
	int done_fd;		      /* eventfd: the store thread has jobs back */
	int epoll_fd;		      /* the network thread's */
	struct db *db;		      /* the store thread's connection */
	int64_t auth_ms;	      /* a new connection's deadline for its first frame */
	int64_t idle_ms;	      /* a station's longest silence */
	unsigned pending_max;	      /* unauthenticated connections at once */
	unsigned pending_per_address; /* of those from one address */
	struct conn **conn;	      /* connections by slot, owned; NULL: a free slot */
	int64_t *slot_meter;	      /* the meter of the connection in each slot, 0: none */
	uint32_t *free_slots;	      /* slots below nslots that are free */
	size_t nfree;		      /* entries in free_slots */
	size_t nslots;		      /* slots ever used: conn[0..nslots) */
	size_t cap;		      /* room in conn, slot_meter and free_slots */
	size_t nconn;		      /* open connections */
	struct conn **pending;	      /* connections not yet authenticated, in no order */
	size_t npending;	      /* entries in pending */
	size_t pending_cap;	      /* room in pending */
	struct conn *closing;	      /* marked during the round, closed at its end */
	uint64_t next_seq;	      /* seq of the next connection accepted */
	int64_t accept_again_ms;      /* while out of descriptors, no accept() before */
	int64_t next_expire_ms;	      /* when expire next looks at the deadlines */
	struct hj212_frame frame;     /* the frame being reassembled (network thread) */
	struct hj212_frame stored;    /* the frame being stored (store thread) */
	struct meter_cache meters;    /* stations seen lately (store thread) */

	pthread_mutex_t lock;	/* guards todo, done and stopping */
	pthread_cond_t wake;	/* signalled when todo grows or stopping is set */
	struct job_list todo;	/* frames waiting for the store thread */
	struct job_list done;	/* frames stored or refused, back to the network thread */
	int stopping;		/* the store thread ends once todo is empty */
	uint64_t batches;	/* transactions committed, for the log */
	uint64_t frames_stored; /* frames they held that were answered */
};

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void jobs_append(struct job_list *l, struct job *j)
{
	j->next = NULL;
	if (l->tail)
		l->tail->next = j;
	else
		l->head = j;
	l->tail = j;
	l->n++;
}

/* jobs_free frees every job of l and empties it. */
static void jobs_free(struct job_list *l)
{
	while (l->head) {
		struct job *j = l->head;
		l->head = j->next;
		free(j);
	}
	l->tail = NULL;
	l->n = 0;
}

/* ------------------------------------------------------------ storing */

/* mn_hash: FNV-1a of a station's MN, where it goes in the cache. */
static uint32_t mn_hash(const char *mn)
{
	uint32_t h = 2166136261u;

	for (const char *p = mn; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* meter_cache_grow doubles mc's table (1024 entries at first), entries
 * kept; 0 or LIN_ENOMEM (mc unchanged). */
static int meter_cache_grow(struct meter_cache *mc)
{
	size_t cap = mc->cap ? mc->cap * 2 : 1024;
	struct meter_entry *slot = calloc(cap, sizeof(*slot));

	if (!slot)
		return LIN_ENOMEM;
	for (size_t k = 0; k < mc->cap; k++) {
		size_t i;

		if (!mc->slot[k].mn[0])
			continue;
		for (i = mn_hash(mc->slot[k].mn) & (cap - 1); slot[i].mn[0];
		     i = (i + 1) & (cap - 1))
			;
		slot[i] = mc->slot[k];
	}
	free(mc->slot);
	mc->slot = slot;
	mc->cap = cap;
	return 0;
}

/* meter_for_station: the live meter with this MN whose password matches,
 * from the store thread's cache when it looked it up less than
 * METER_CACHE_MS ago with the same password, else from the database. A
 * meter archived or given a new password is thus refused (or accepted
 * with the new one: a miss goes to the database) within that time. */
static int meter_for_station(struct hj212_server *s, const struct hj212_frame *f,
			     struct noise_meter *m)
{
	struct meter_cache *mc = &s->meters;
	int64_t now = now_ms();
	size_t i = 0;
	uint32_t h = mn_hash(f->mn);
	int rc;

	if (mc->cap) {
		for (i = h & (mc->cap - 1); mc->slot[i].mn[0]; i = (i + 1) & (mc->cap - 1))
			if (!strcmp(mc->slot[i].mn, f->mn))
				break;
		if (mc->slot[i].mn[0] && now < mc->slot[i].until_ms &&
		    !strcmp(mc->slot[i].pw, f->pw)) {
			*m = mc->slot[i].meter;
			return 0;
		}
	}
	rc = noise_meter_by_mn(s->db, f->mn, f->pw, m);
	if (rc)
		return rc;
	if (!mc->cap || !mc->slot[i].mn[0]) {
		/* A new entry: keep the table at most half full. */
		if (2 * (mc->used + 1) > mc->cap && meter_cache_grow(mc))
			return 0; /* no room: served from the database */
		for (i = h & (mc->cap - 1); mc->slot[i].mn[0]; i = (i + 1) & (mc->cap - 1))
			;
		mc->used++;
	}
	snprintf(mc->slot[i].mn, sizeof(mc->slot[i].mn), "%s", f->mn);
	snprintf(mc->slot[i].pw, sizeof(mc->slot[i].pw), "%s", f->pw);
	mc->slot[i].meter = *m;
	mc->slot[i].until_ms = now + METER_CACHE_MS;
	return 0;
}

/* realtime_reading makes the reading of a real-time frame (CN=2011): its
 * LA-Rtd for its DataTime second, with the meter's calibration, in OUT:
 * *out; 1, or 0 (logged) when the frame holds no valid one. */
static int realtime_reading(const struct hj212_frame *f, const struct noise_meter *m,
			    struct noise_meter_reading *out)
{
	const char *why = NULL;
	double la;

	if (!f->has_data_time || hj212_value_double(f, "LA", "Rtd", &la)) {
		log_warn("hj212: MN %s: real-time data without DataTime or LA-Rtd", f->mn);
		return 0;
	}
	if (noise_reading_check(f->data_time_epoch, la, 0, 0, (int64_t)time(NULL), &out->r, &why)) {
		log_warn("hj212: MN %s: reading refused (%s)", f->mn, why);
		return 0;
	}
	out->r.laeq_centi += m->calibration_centi;
	out->meter_id = m->id;
	out->area_id = m->area_id;
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

enum { FRAME_REFUSED, FRAME_STORED, FRAME_READING };

/* handle_frame stores what the frame holds: minute and hour statistics at
 * once, a real-time reading into OUT: *reading for the batch's INSERT.
 * Returns FRAME_STORED when stored (or already), FRAME_READING when
 * *reading waits to be, FRAME_REFUSED. OUT: *meter_id is the meter whose
 * MN and password the frame carried, 0 when none matched. */
static int handle_frame(struct hj212_server *s, const struct hj212_frame *f, int64_t *meter_id,
			struct noise_meter_reading *reading)
{
	struct noise_meter m;
	int rc;

	*meter_id = 0;
	rc = meter_for_station(s, f, &m);
	if (rc) {
		log_warn("hj212: frame from MN %s refused: %s", f->mn,
			 rc == LIN_EAUTH ? "wrong password" : "unknown station");
		return FRAME_REFUSED;
	}
	*meter_id = m.id;
	switch (f->cn) {
	case 2011:
		return realtime_reading(f, &m, reading) ? FRAME_READING : FRAME_REFUSED;
	case 2051:
		return store_statistics(s, f, &m, NOISE_MINUTE);
	case 2061:
		return store_statistics(s, f, &m, NOISE_HOUR);
	default:
		log_warn("hj212: MN %s: CN=%d is not stored (only real-time, minute and hour "
			 "data: 2011, 2051, 2061)",
			 f->mn, f->cn);
		return FRAME_REFUSED;
	}
}

/* store_batch stores the frames of batch in one transaction: the
 * real-time readings of all of them in one noise_store_readings_many,
 * statistics one by one (each undone alone when it fails). When anything
 * fails at the level of the transaction, none is answered, and the
 * stations send them again: the answers built here are handed out only
 * once COMMIT has returned. */
static void store_batch(struct hj212_server *s, struct job_list *batch)
{
	struct noise_meter_reading *rows = malloc(batch->n * sizeof(*rows));
	struct job **row_job = malloc(batch->n * sizeof(*row_job));
	int nrows = 0, rc = rows && row_job ? db_begin_outer(s->db) : LIN_ENOMEM, begun = !rc;
	struct job *j;

	for (j = batch->head; j; j = j->next) {
		j->stored = 0;
		j->meter_id = 0;
		j->reply_len = 0;
	}
	for (j = batch->head; j && !rc; j = j->next) {
		const char *why = NULL;
		struct buf out;

		/* The network thread parsed these very bytes already. */
		if (hj212_parse(j->frame, j->len, SHANGHAI, &s->stored, &why)) {
			log_error("hj212: a frame no longer parses: %s", why);
			continue;
		}
		switch (handle_frame(s, &s->stored, &j->meter_id, &rows[nrows])) {
		case FRAME_READING:
			row_job[nrows++] = j;
			break;
		case FRAME_STORED:
			j->stored = 1;
			break;
		default:
			continue;
		}
		if (!(s->stored.flag & HJ212_FLAG_A))
			continue;
		/* From the frame's QN, PW and MN; kept for after the COMMIT. */
		buf_init(&out, 0);
		if (!hj212_build_reply(&s->stored, 9014, &out) && out.len <= REPLY_MAX) {
			memcpy(j->reply, out.buf, out.len);
			j->reply_len = out.len;
		}
		buf_release(&out);
	}
	if (!rc && nrows)
		rc = noise_store_readings_many(s->db, rows, nrows, "hj212");
	for (int k = 0; k < nrows && !rc; k++)
		row_job[k]->stored = 1;
	if (!rc)
		rc = db_commit(s->db);
	free(rows);
	free(row_job);
	if (rc) {
		log_error("hj212: %zu frames not stored: %s", batch->n,
			  begun ? db_errmsg(s->db) : lin_strerror(rc));
		if (begun)
			db_rollback(s->db);
	} else {
		s->batches++;
	}
	/* A refused frame got no answer built; now none at all may go. */
	for (j = batch->head; j; j = j->next) {
		if (rc) {
			j->stored = 0;
			j->reply_len = 0;
		}
		s->frames_stored += (uint64_t)j->stored;
	}
}

/* store_run is the store thread: it takes what waits, stores it, gives it
 * back and rings done_fd, until stopping and nothing waits. */
static void *store_run(void *arg)
{
	struct hj212_server *s = arg;
	uint64_t one = 1;

	for (;;) {
		struct job_list batch = {0};

		pthread_mutex_lock(&s->lock);
		while (!s->todo.head && !s->stopping)
			pthread_cond_wait(&s->wake, &s->lock);
		if (!s->todo.head) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		/* At most BATCH_MAX, so one transaction stays short. */
		batch.head = s->todo.head;
		batch.tail = batch.head;
		batch.n = 1;
		while (batch.n < BATCH_MAX && batch.tail->next) {
			batch.tail = batch.tail->next;
			batch.n++;
		}
		s->todo.head = batch.tail->next;
		if (!s->todo.head)
			s->todo.tail = NULL;
		s->todo.n -= batch.n;
		batch.tail->next = NULL;
		pthread_mutex_unlock(&s->lock);

		store_batch(s, &batch);

		pthread_mutex_lock(&s->lock);
		if (s->done.tail)
			s->done.tail->next = batch.head;
		else
			s->done.head = batch.head;
		s->done.tail = batch.tail;
		s->done.n += batch.n;
		pthread_mutex_unlock(&s->lock);
		if (write(s->done_fd, &one, sizeof(one)) != sizeof(one))
			log_error("hj212: cannot wake the network thread");
	}
	return NULL;
}

/* ------------------------------------------------------------ connections */

/* Tags of the descriptors that are not connections, in epoll's data. */
static char tag_stop, tag_listen, tag_done;

/* watch asks epoll for what c waits for now: input while it is read,
 * output while answers wait. */
static void watch(struct hj212_server *s, struct conn *c)
{
	struct epoll_event ev = {0};

	ev.events = (c->reading ? EPOLLIN : 0) | (c->out_len ? EPOLLOUT : 0);
	ev.data.ptr = c;
	if (epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev))
		log_error("hj212: epoll_ctl: %s", strerror(errno));
}

/* mark_closing: c is closed at the end of the round, for why (logged
 * unless BY_THE_PEER). The first reason stands. */
static void mark_closing(struct hj212_server *s, struct conn *c, const char *why)
{
	if (c->closing)
		return;
	c->closing = why;
	c->next_closing = s->closing;
	s->closing = c;
}

/* pending_remove takes c out of the unauthenticated pool, if it is there. */
static void pending_remove(struct hj212_server *s, struct conn *c)
{
	size_t i = c->pending_at;

	if (!i)
		return;
	s->pending[i - 1] = s->pending[--s->npending];
	s->pending[i - 1]->pending_at = i;
	c->pending_at = 0;
}

/* send_some hands the kernel what it takes of data[0..len), never
 * waiting; returns the bytes taken. */
static size_t send_some(struct hj212_server *s, struct conn *c, const char *data, size_t len)
{
	size_t done = 0;

	while (done < len && !c->closing) {
		ssize_t n = send(c->fd, data + done, len - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0)
			done += (size_t)n;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		else
			mark_closing(s, c, "cannot send");
	}
	return done;
}

/* flush hands the kernel what it takes of c's waiting answers. */
static void flush(struct hj212_server *s, struct conn *c)
{
	size_t n;

	if (!c->out_len)
		return;
	n = send_some(s, c, c->out, c->out_len);
	c->out_len -= n;
	memmove(c->out, c->out + n, c->out_len);
	if (!c->out_len && !c->closing)
		watch(s, c);
}

/* queue_answer sends an answer, or puts what the kernel does not take
 * behind c's other answers; a station whose answers would pass
 * HJ212_OUT_MAX is not reading them and is dropped. */
static void queue_answer(struct hj212_server *s, struct conn *c, const char *a, size_t len)
{
	size_t sent = 0;

	if (!c->out_len)
		sent = send_some(s, c, a, len);
	if (sent == len || c->closing)
		return;
	if (!c->out)
		c->out = malloc(HJ212_OUT_MAX);
	if (!c->out || len - sent > HJ212_OUT_MAX - c->out_len) {
		mark_closing(s, c,
			     c->out ? "it does not read its answers (queue full)"
				    : "out of memory for its answers");
		c->reset = 1;
		return;
	}
	memcpy(c->out + c->out_len, a + sent, len - sent);
	if (!c->out_len) {
		c->out_len = len - sent;
		watch(s, c);
	} else {
		c->out_len += len - sent;
	}
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
	s->slot_meter[c->slot] = meter_id;
	pending_remove(s, c);
	/* A scan of a dense array: 10,000 stations take microseconds. */
	for (size_t i = 0; i < s->nslots; i++)
		if (s->slot_meter[i] == meter_id && i != c->slot)
			mark_closing(s, s->conn[i], "the station connected again");
}

/* receive reads once what c sent and hands the frames it completes to
 * the store thread (through out); c is not read again while INFLIGHT_MAX
 * of its frames are there. */
static void receive(struct hj212_server *s, struct conn *c, struct job_list *out)
{
	char data[4096];
	ssize_t n = recv(c->fd, data, sizeof(data), MSG_DONTWAIT);
	struct hj212_frame *f = &s->frame;
	const char *p = data;
	uint64_t bad_before = c->rx.bad_frames;
	size_t left, used;
	int rc;

	if (n == 0) {
		mark_closing(s, c, BY_THE_PEER);
		return;
	}
	if (n < 0) {
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			mark_closing(s, c, "cannot receive");
		return;
	}
	left = (size_t)n;
	do {
		const char *raw;
		size_t len;
		struct job *j;

		rc = hj212_stream_push(&c->rx, p, left, &used, f);
		p += used;
		left -= used;
		if (rc != 1)
			continue;
		raw = hj212_stream_frame(&c->rx, &len);
		j = malloc(sizeof(*j) + len);
		if (!j) {
			mark_closing(s, c, "out of memory for its frames");
			break;
		}
		j->slot = c->slot;
		j->seq = c->seq;
		j->len = len;
		memcpy(j->frame, raw, len);
		jobs_append(out, j);
		c->inflight++;
	} while (rc == 1);
	if (c->rx.bad_frames > bad_before)
		log_warn("hj212: frame refused: %s", c->rx.last_error);
	if (c->inflight >= INFLIGHT_MAX && !c->closing) {
		c->reading = 0;
		watch(s, c);
	}
}

/* hand_over gives the round's frames to the store thread. */
static void hand_over(struct hj212_server *s, struct job_list *jobs)
{
	if (!jobs->head)
		return;
	pthread_mutex_lock(&s->lock);
	if (s->todo.tail)
		s->todo.tail->next = jobs->head;
	else
		s->todo.head = jobs->head;
	s->todo.tail = jobs->tail;
	s->todo.n += jobs->n;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	*jobs = (struct job_list){0};
}

/* take_back answers the frames the store thread gave back, on the
 * connections still open, and counts the others as refused. */
static void take_back(struct hj212_server *s, int64_t now)
{
	struct job_list done;
	uint64_t rings;

	if (read(s->done_fd, &rings, sizeof(rings)) < 0 && errno != EAGAIN)
		log_error("hj212: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&s->lock);
	done = s->done;
	s->done = (struct job_list){0};
	pthread_mutex_unlock(&s->lock);
	for (struct job *j = done.head; j; j = j->next) {
		struct conn *c = j->slot < s->nslots ? s->conn[j->slot] : NULL;

		if (!c || c->seq != j->seq)
			continue; /* closed meanwhile */
		c->inflight--;
		if (c->closing)
			continue;
		if (j->meter_id)
			authenticated(s, c, j->meter_id, now);
		/* The store thread built answers only for what it stored. */
		if (!j->stored)
			c->refused++;
		if (j->reply_len)
			queue_answer(s, c, j->reply, j->reply_len);
		if (!c->reading && c->inflight < INFLIGHT_MAX && !c->closing) {
			c->reading = 1;
			watch(s, c);
		}
	}
	jobs_free(&done);
}

/* conn_close closes c, frees its slot and c. */
static void conn_close(struct hj212_server *s, struct conn *c)
{
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
	pending_remove(s, c);
	s->conn[c->slot] = NULL;
	s->slot_meter[c->slot] = 0;
	s->free_slots[s->nfree++] = c->slot;
	s->nconn--;
	free(c->out);
	free(c);
}

/* sweep closes the connections marked during the round. */
static void sweep(struct hj212_server *s)
{
	while (s->closing) {
		struct conn *c = s->closing;
		s->closing = c->next_closing;
		conn_close(s, c);
	}
}

/* expire marks the connections past their deadline: no authenticated frame
 * within auth_ms of being accepted, or none for idle_ms since the last.
 * Returns the milliseconds to the next deadline, at most ROUND_MAX_MS. */
static int expire(struct hj212_server *s, int64_t now)
{
	int64_t next = now + ROUND_MAX_MS;

	for (size_t i = 0; i < s->nslots; i++) {
		struct conn *c = s->conn[i];
		int64_t due;

		if (!c || c->closing)
			continue;
		due = c->meter_id ? c->last_ms + s->idle_ms : c->since_ms + s->auth_ms;
		if (now >= due) {
			mark_closing(s, c,
				     c->meter_id
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

	for (size_t i = 0; i < s->npending; i++) {
		struct conn *d = s->pending[i];
		if (d->closing)
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
		mark_closing(s, oldest_here,
			     "pushed out: hj212_pending_per_ip unauthenticated "
			     "connections from its address");
	else if (pending >= s->pending_max)
		mark_closing(s, oldest,
			     "pushed out: hj212_pending_max unauthenticated connections");
}

/* grow makes room for one more connection in the slots and the pool; 0
 * or LIN_ENOMEM. */
static int grow(struct hj212_server *s)
{
	size_t cap = s->cap ? s->cap * 2 : 64;
	void *p;

	if (s->npending == s->pending_cap) {
		size_t pc = s->pending_cap ? s->pending_cap * 2 : 64;
		p = realloc(s->pending, pc * sizeof(*s->pending));
		if (!p)
			return LIN_ENOMEM;
		s->pending = p;
		s->pending_cap = pc;
	}
	if (s->nfree || s->nslots < s->cap)
		return 0;
	p = realloc(s->conn, cap * sizeof(*s->conn));
	if (!p)
		return LIN_ENOMEM;
	s->conn = p;
	p = realloc(s->slot_meter, cap * sizeof(*s->slot_meter));
	if (!p)
		return LIN_ENOMEM;
	s->slot_meter = p;
	p = realloc(s->free_slots, cap * sizeof(*s->free_slots));
	if (!p)
		return LIN_ENOMEM;
	s->free_slots = p;
	s->cap = cap;
	return 0;
}

/* listen_pause stops (on 0: resumes) watching the listening socket. */
static void listen_watch(struct hj212_server *s, int on)
{
	struct epoll_event ev = {.events = on ? EPOLLIN : 0, .data.ptr = &tag_listen};

	epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, s->listen_fd, &ev);
}

/* accept_some takes up to ACCEPTS_MAX waiting connections into the
 * unauthenticated pool. */
static void accept_some(struct hj212_server *s, int64_t now)
{
	int sndbuf = HJ212_SNDBUF;

	for (int k = 0; k < ACCEPTS_MAX; k++) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		struct epoll_event ev = {.events = EPOLLIN};
		struct conn *c;
		int fd = accept4(s->listen_fd, (struct sockaddr *)&ss, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE) {
				log_error("hj212: accept: %s", strerror(errno));
				s->accept_again_ms = now + FD_PAUSE_MS;
				listen_watch(s, 0);
			}
			return;
		}
		c = grow(s) ? NULL : malloc(sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		memset(c, 0, offsetof(struct conn, rx));
		hj212_stream_init(&c->rx, SHANGHAI);
		c->fd = fd;
		c->seq = s->next_seq++;
		c->since_ms = c->last_ms = now;
		c->reading = 1;
		address_of(&ss, c);
		ev.data.ptr = c;
		if (epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			log_error("hj212: epoll_ctl: %s", strerror(errno));
			close(fd);
			free(c);
			return;
		}
		/* A small kernel buffer: a station's answers are ~100 bytes. */
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
		make_room(s, c);
		c->slot = s->nfree ? s->free_slots[--s->nfree] : (uint32_t)s->nslots++;
		s->conn[c->slot] = c;
		s->slot_meter[c->slot] = 0;
		s->pending[s->npending++] = c;
		c->pending_at = s->npending;
		s->nconn++;
	}
}

/* run is the network thread. */
static void *run(void *arg)
{
	struct hj212_server *s = arg;
	struct epoll_event ev[EVENTS_MAX];
	struct job_list jobs = {0};

	for (;;) {
		int64_t now = now_ms();
		int timeout, n;

		if (now >= s->next_expire_ms)
			s->next_expire_ms = now + expire(s, now);
		sweep(s);
		if (s->accept_again_ms && now >= s->accept_again_ms) {
			s->accept_again_ms = 0;
			listen_watch(s, 1);
		}
		timeout = (int)(s->next_expire_ms - now);
		if (s->accept_again_ms && s->accept_again_ms - now < timeout)
			timeout = (int)(s->accept_again_ms - now);
		n = epoll_wait(s->epoll_fd, ev, EVENTS_MAX, timeout < 0 ? 0 : timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			log_error("hj212: epoll_wait: %s", strerror(errno));
			break;
		}
		now = now_ms();
		for (int i = 0; i < n; i++) {
			void *tag = ev[i].data.ptr;
			struct conn *c = tag;

			if (tag == &tag_stop)
				goto out;
			if (tag == &tag_listen) {
				accept_some(s, now);
				continue;
			}
			if (tag == &tag_done) {
				take_back(s, now);
				continue;
			}
			if ((ev[i].events & EPOLLOUT) && !c->closing)
				flush(s, c);
			/* Errors are reported also while c is not read. */
			if (!c->closing && (((ev[i].events & EPOLLIN) && c->reading) ||
					    (ev[i].events & (EPOLLERR | EPOLLHUP))))
				receive(s, c, &jobs);
		}
		hand_over(s, &jobs);
		sweep(s);
	}
out:
	hand_over(s, &jobs);
	for (size_t i = 0; i < s->nslots; i++)
		if (s->conn[i])
			conn_close(s, s->conn[i]);
	return NULL;
}

/* watch_tag adds fd to epoll under tag; 0 or -1. */
static int watch_tag(struct hj212_server *s, int fd, void *tag)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = tag};

	return epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* server_free closes what s holds and frees it; the threads are stopped. */
static void server_free(struct hj212_server *s)
{
	int fds[] = {s->listen_fd, s->stop_pipe[0], s->stop_pipe[1], s->done_fd, s->epoll_fd};

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	jobs_free(&s->todo);
	jobs_free(&s->done);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	db_close(s->db);
	free(s->conn);
	free(s->slot_meter);
	free(s->free_slots);
	free(s->pending);
	free(s->meters.slot);
	free(s);
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
	s->listen_fd = s->stop_pipe[0] = s->stop_pipe[1] = s->done_fd = s->epoll_fd = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
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
		server_free(s);
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
	    listen(s->listen_fd, BACKLOG)) {
		fprintf(stderr, "linli: 无法监听 cannot listen on %s for HJ 212: %s\n", opt->listen,
			strerror(errno));
		rc = LIN_EIO;
		goto fail;
	}
	s->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	s->done_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->epoll_fd < 0 || s->done_fd < 0 || pipe2(s->stop_pipe, O_CLOEXEC) ||
	    watch_tag(s, s->stop_pipe[0], &tag_stop) || watch_tag(s, s->listen_fd, &tag_listen) ||
	    watch_tag(s, s->done_fd, &tag_done)) {
		fprintf(stderr, "linli: HJ 212: %s\n", strerror(errno));
		rc = LIN_EIO;
		goto fail;
	}
	if (pthread_create(&s->store_thread, NULL, store_run, s)) {
		rc = LIN_ENOMEM;
		goto fail;
	}
	s->store_started = 1;
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
	if (s->store_started) {
		pthread_mutex_lock(&s->lock);
		s->stopping = 1;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->store_thread, NULL);
	}
	server_free(s);
	return rc;
}

void hj212_server_stop(struct hj212_server *s)
{
	if (!s)
		return;
	if (write(s->stop_pipe[1], "x", 1) != 1)
		log_error("hj212: cannot signal the listener to stop");
	pthread_join(s->thread, NULL);
	/* Frames received are still stored; nobody is left to answer. */
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->store_thread, NULL);
	log_info("hj212: stopped after %llu frames stored in %llu transactions",
		 (unsigned long long)s->frames_stored, (unsigned long long)s->batches);
	server_free(s);
}
