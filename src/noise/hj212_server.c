/* The HJ 212 listener: one thread, poll() over the listening socket, the
 * stations' connections and a pipe that stops it. Each connection has its
 * own reassembler; each frame is checked (CRC, length, content), its
 * station identified by MN and password, and a real-time noise level
 * stored through the same checks and table as HTTP ingest, or minute and
 * hour statistics (CN=2051, 2061) into noise_minutes. A data answer
 * (CN=9014) goes back when the frame's Flag asks for one and the data is
 * stored (or was already). Bad frames are counted and logged, never stored. */
#include "hj212_server.h"
#include "hj212.h"
#include "ingest.h"
#include "../base/addr.h"
#include "../base/buf.h"
#include "../base/timeutil.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_STATIONS 64
#define IDLE_SECONDS 900 /* a silent station's connection is closed */
#define SHANGHAI     LIN_SHANGHAI_OFFSET

struct station {
	int fd;
	time_t last;		 /* when it last sent something */
	struct hj212_stream *rx; /* its reassembler */
	uint64_t refused;	 /* whole frames not stored: unknown station, bad data */
};

struct hj212_server {
	pthread_t thread;
	int listen_fd;
	int stop_pipe[2];
	char *db_url;
	struct db *db;
	struct station st[MAX_STATIONS];
	int nst;
};

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
 * (or already was), so an answer may be sent. */
static int handle_frame(struct hj212_server *s, const struct hj212_frame *f)
{
	struct noise_meter m;
	int rc;

	rc = meter_for_station(s->db, f, &m);
	if (rc) {
		log_warn("hj212: frame from MN %s refused: %s", f->mn,
			 rc == LIN_EAUTH ? "wrong password" : "unknown station");
		return 0;
	}
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

static void answer(int fd, const struct hj212_frame *f)
{
	struct buf out;

	buf_init(&out, 0);
	if (!hj212_build_reply(f, 9014, &out)) {
		const char *p = out.buf;
		size_t left = out.len;
		while (left) {
			ssize_t n = send(fd, p, left, MSG_NOSIGNAL);
			if (n <= 0)
				break;
			p += n;
			left -= (size_t)n;
		}
	}
	buf_release(&out);
}

static void drop(struct hj212_server *s, int i)
{
	struct hj212_stream *rx = s->st[i].rx;

	if (rx->bad_frames || rx->junk_bytes || s->st[i].refused)
		log_info("hj212: connection closed: %llu frames, %llu refused (last: %s), %llu "
			 "junk bytes, %llu frames not stored",
			 (unsigned long long)rx->frames, (unsigned long long)rx->bad_frames,
			 rx->last_error ? rx->last_error : "-", (unsigned long long)rx->junk_bytes,
			 (unsigned long long)s->st[i].refused);
	close(s->st[i].fd);
	free(rx);
	s->st[i] = s->st[--s->nst];
}

/* receive reads what the station sent; 0 when the connection is over. */
static int receive(struct hj212_server *s, struct station *c)
{
	char data[4096];
	ssize_t n = recv(c->fd, data, sizeof(data), 0);
	const char *p = data;
	size_t left, used;
	struct hj212_frame *f;
	uint64_t bad_before = c->rx->bad_frames;
	int rc;

	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	c->last = time(NULL);
	f = malloc(sizeof(*f));
	if (!f)
		return 0;
	left = (size_t)n;
	do {
		rc = hj212_stream_push(c->rx, p, left, &used, f);
		p += used;
		left -= used;
		if (rc != 1)
			continue;
		if (!handle_frame(s, f))
			c->refused++;
		else if (f->flag & HJ212_FLAG_A)
			answer(c->fd, f);
	} while (rc == 1);
	free(f);
	if (c->rx->bad_frames > bad_before)
		log_warn("hj212: frame refused: %s", c->rx->last_error);
	return 1;
}

static void accept_station(struct hj212_server *s)
{
	int fd = accept(s->listen_fd, NULL, NULL);

	if (fd < 0)
		return;
	if (s->nst == MAX_STATIONS) {
		log_warn("hj212: %d stations connected already; connection refused", MAX_STATIONS);
		close(fd);
		return;
	}
	s->st[s->nst].rx = malloc(sizeof(struct hj212_stream));
	if (!s->st[s->nst].rx) {
		close(fd);
		return;
	}
	hj212_stream_init(s->st[s->nst].rx, SHANGHAI);
	s->st[s->nst].fd = fd;
	s->st[s->nst].last = time(NULL);
	s->st[s->nst].refused = 0;
	s->nst++;
}

static void *run(void *arg)
{
	struct hj212_server *s = arg;
	struct pollfd pfd[MAX_STATIONS + 2];

	for (;;) {
		int n = 0;
		time_t now = time(NULL);

		for (int i = s->nst - 1; i >= 0; i--)
			if (now - s->st[i].last > IDLE_SECONDS)
				drop(s, i);
		pfd[n++] = (struct pollfd){s->stop_pipe[0], POLLIN, 0};
		pfd[n++] = (struct pollfd){s->listen_fd, POLLIN, 0};
		for (int i = 0; i < s->nst; i++)
			pfd[n++] = (struct pollfd){s->st[i].fd, POLLIN, 0};
		if (poll(pfd, (nfds_t)n, 1000) < 0) {
			if (errno == EINTR)
				continue;
			log_error("hj212: poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents)
			break;
		/* Stations first, from the end, so dropping one keeps indexes. */
		for (int i = s->nst - 1; i >= 0; i--)
			if (pfd[2 + i].revents && !receive(s, &s->st[i]))
				drop(s, i);
		if (pfd[1].revents & POLLIN)
			accept_station(s);
	}
	while (s->nst)
		drop(s, s->nst - 1);
	return NULL;
}

int hj212_server_start(const char *listen_addr, const char *db_url, struct hj212_server **out)
{
	struct hj212_server *s = calloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	int v6 = 0, one = 1, rc;

	*out = NULL;
	if (!s)
		return LIN_ENOMEM;
	s->listen_fd = s->stop_pipe[0] = s->stop_pipe[1] = -1;
	if (lin_parse_listen(listen_addr, &ss, &v6)) {
		fprintf(stderr, "linli: HJ 212 监听地址无效 bad --hj212-listen address %s\n",
			listen_addr);
		free(s);
		return LIN_EINVAL;
	}
	rc = db_open(db_url, &s->db);
	if (rc)
		goto fail;
	s->listen_fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s->listen_fd < 0 ||
	    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(s->listen_fd, (struct sockaddr *)&ss,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)) ||
	    listen(s->listen_fd, 16) || pipe2(s->stop_pipe, O_CLOEXEC)) {
		fprintf(stderr, "linli: 无法监听 cannot listen on %s for HJ 212: %s\n", listen_addr,
			strerror(errno));
		rc = LIN_EIO;
		goto fail;
	}
	if (pthread_create(&s->thread, NULL, run, s)) {
		rc = LIN_ENOMEM;
		goto fail;
	}
	log_info("hj212: listening on %s", listen_addr);
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
	free(s);
}
