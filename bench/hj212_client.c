/* bench/hj212_city.sh's client, also run by make test (http_noise_hj212_city):
 * N HJ 212-2017 stations on one epoll thread. Each connects (from one of
 * SOURCES loopback addresses 127.0.1.x, at most RAMP connections waiting
 * for their first answer at once), sends a first real-time frame and waits
 * for its answer, then, once all are in (or the ramp's 60 s are over),
 * sends one real-time frame (CN=2011, Flag=5: answer wanted) a second for
 * SECONDS seconds, the stations' seconds spread evenly over each second.
 * Station i is MN PREFIX followed by i in five digits, password PW. Frame
 * k of every station carries DataTime BASE + k, BASE printed, so the rows
 * stored since BASE can be counted in the database.
 *
 * Prints one line of "key=value" words: stations, connected, base, sent,
 * answered, dropped (sent and never answered, 5 s after the last frame),
 * closed (connections the server closed), p50_ms, p99_ms, max_ms (send to
 * answer), ramp_s, seconds, answered_per_s. Exits 0 when every frame sent
 * was answered and every station connected.
 *	hj212_client PORT N SECONDS PREFIX PW [SOURCES [RAMP]]
 * Needs ulimit -n above N. Not part of the build: cc -O2. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define OUTSTANDING 64	  /* frames of one station not yet answered, at most */
#define HIST_MS	    60000 /* latencies are counted by the millisecond up to this */
#define RAMP_MAX_MS 60000 /* the ramp gives up on stations not in by then */
#define DRAIN_MS    5000  /* answers awaited after the last frame */

enum state { IDLE, CONNECTING, AUTH, READY, DEAD };

struct station {
	int fd;
	enum state state;
	int64_t sent_at[OUTSTANDING]; /* send times (us) of frames not answered, a ring */
	unsigned head, n;	      /* oldest in sent_at, and how many */
	char in[512];		      /* bytes of an answer not complete yet */
	size_t in_len;
};

static struct station *st;
static int nst, sources, port;
static const char *prefix, *pw;
static long long base;
static uint64_t hist[HIST_MS + 1], sent, answered, closed_by_server;
static int64_t worst_us;

static int64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* crc: HJ 212's CRC-16 (poly 0xA001, high byte folded in first). */
static unsigned crc(const char *d, size_t n)
{
	unsigned r = 0xFFFF;

	for (size_t i = 0; i < n; i++) {
		r = (r >> 8) ^ (unsigned char)d[i];
		for (int k = 0; k < 8; k++)
			r = (r & 1) ? (r >> 1) ^ 0xA001 : r >> 1;
	}
	return r;
}

/* frame writes station i's real-time frame of second t into out. */
static int frame(char *out, size_t n, int i, long long t)
{
	char seg[300], dt[16];
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;
	int len;

	gmtime_r(&local, &tm);
	strftime(dt, sizeof(dt), "%Y%m%d%H%M%S", &tm);
	len =
	    snprintf(seg, sizeof(seg),
		     "QN=%s000;ST=23;CN=2011;PW=%s;MN=%s%05d;Flag=5;CP=&&DataTime=%s;LA-Rtd=%d.%d,"
		     "LA-Flag=N&&",
		     dt, pw, prefix, i, dt, 45 + i % 30, (int)(t % 10));
	return snprintf(out, n, "##%04d%s%04X\r\n", len, seg, crc(seg, (size_t)len));
}

static void drop(int ep, struct station *s, int by_server)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
	close(s->fd);
	s->fd = -1;
	s->state = DEAD;
	closed_by_server += (uint64_t)by_server;
}

/* send_frame sends station i's frame of second t; 0, or -1 if it died. */
static int send_frame(int ep, int i, long long t)
{
	struct station *s = &st[i];
	char f[400];
	int len = frame(f, sizeof(f), i, t);

	if (s->n == OUTSTANDING || send(s->fd, f, (size_t)len, MSG_NOSIGNAL) != len) {
		drop(ep, s, 0);
		return -1;
	}
	s->sent_at[(s->head + s->n++) % OUTSTANDING] = now_us();
	sent++;
	return 0;
}

/* answers counts the answers (CN=9014) among the bytes station i got. */
static void answers(int ep, int i)
{
	struct station *s = &st[i];
	ssize_t n = recv(s->fd, s->in + s->in_len, sizeof(s->in) - s->in_len, 0);
	char *line;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			drop(ep, s, 1);
		return;
	}
	s->in_len += (size_t)n;
	while ((line = memchr(s->in, '\n', s->in_len))) {
		size_t len = (size_t)(line - s->in) + 1;
		if (s->n && memmem(s->in, len, "CN=9014", 7)) {
			int64_t us = now_us() - s->sent_at[s->head];
			int64_t ms = us / 1000;
			hist[ms > HIST_MS ? HIST_MS : ms]++;
			worst_us = us > worst_us ? us : worst_us;
			s->head = (s->head + 1) % OUTSTANDING;
			s->n--;
			answered++;
			if (s->state == AUTH)
				s->state = READY;
		}
		memmove(s->in, s->in + len, s->in_len - len);
		s->in_len -= len;
	}
	if (s->in_len == sizeof(s->in))
		s->in_len = 0; /* not an answer: forget it */
}

/* start_connect begins station i's connection from its source address. */
static int start_connect(int ep, int i)
{
	struct sockaddr_in from = {.sin_family = AF_INET}, to = {.sin_family = AF_INET};
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.u32 = (uint32_t)i};
	struct station *s = &st[i];
	int one = 1;

	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (s->fd < 0)
		return -1;
	setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	from.sin_addr.s_addr = htonl(0x7F000100u + 1 + (uint32_t)(i % sources));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	to.sin_port = htons((uint16_t)port);
	if (bind(s->fd, (struct sockaddr *)&from, sizeof(from)) ||
	    (connect(s->fd, (struct sockaddr *)&to, sizeof(to)) && errno != EINPROGRESS) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev)) {
		close(s->fd);
		s->fd = -1;
		s->state = DEAD;
		return -1;
	}
	s->state = CONNECTING;
	return 0;
}

/* on_event: station i's socket is ready. */
static void on_event(int ep, int i, uint32_t events)
{
	struct station *s = &st[i];

	if (s->state == CONNECTING && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
		int err = 0;
		socklen_t len = sizeof(err);
		getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err) {
			drop(ep, s, 1);
			return;
		}
		epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &ev);
		s->state = AUTH;
		if (send_frame(ep, i, base - 1))
			return;
	}
	if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
		answers(ep, i);
}

/* pump waits up to ms for events and handles them. */
static void pump(int ep, int ms)
{
	struct epoll_event ev[512];
	int n = epoll_wait(ep, ev, 512, ms);

	for (int k = 0; k < n; k++)
		on_event(ep, (int)ev[k].data.u32, ev[k].events);
}

static int count(enum state want)
{
	int n = 0;
	for (int i = 0; i < nst; i++)
		n += st[i].state == want;
	return n;
}

/* percentile: the latency (ms) under which p of the answers came. */
static long long percentile(double p)
{
	uint64_t need = (uint64_t)((double)answered * p + 0.999999), seen = 0;

	for (int ms = 0; ms <= HIST_MS; ms++) {
		seen += hist[ms];
		if (seen >= need && need)
			return ms;
	}
	return -1;
}

int main(int argc, char **argv)
{
	int seconds, ramp, ep, next = 0, ready;
	int64_t t0, start, end, drain_end;
	uint64_t k = 0;

	if (argc < 6) {
		fprintf(stderr, "usage: hj212_client PORT N SECONDS PREFIX PW [SOURCES [RAMP]]\n");
		return 2;
	}
	port = (int)strtol(argv[1], NULL, 10);
	nst = (int)strtol(argv[2], NULL, 10);
	seconds = (int)strtol(argv[3], NULL, 10);
	prefix = argv[4];
	pw = argv[5];
	sources = argc > 6 ? (int)strtol(argv[6], NULL, 10) : 64;
	ramp = argc > 7 ? (int)strtol(argv[7], NULL, 10) : 48;
	st = calloc((size_t)nst, sizeof(*st));
	ep = epoll_create1(0);
	if (!st || ep < 0 || nst <= 0 || sources <= 0 || sources > 250 || ramp <= 0)
		return 2;
	base = (long long)time(NULL) - 60;

	/* The ramp: at most ramp stations between connect() and their first
	 * answer. */
	t0 = now_us();
	for (;;) {
		int waiting = count(CONNECTING) + count(AUTH);
		while (next < nst && waiting < ramp) {
			if (!start_connect(ep, next))
				waiting++;
			next++;
		}
		if ((next == nst && !waiting) || now_us() - t0 > RAMP_MAX_MS * 1000LL)
			break;
		pump(ep, 10);
	}
	ready = count(READY);
	/* Answers to the first frames are not part of the measure. */
	memset(hist, 0, sizeof(hist));
	answered = sent = 0;
	worst_us = 0;
	for (int i = 0; i < nst; i++)
		st[i].n = 0;

	/* The run: station i sends at start + i/N s + j s, frame j. */
	start = now_us();
	end = start + (int64_t)seconds * 1000000;
	for (;;) {
		int64_t now = now_us(), due;
		for (;;) {
			int i = (int)(k % (uint64_t)nst);
			long long j = (long long)(k / (uint64_t)nst);
			due = start + j * 1000000 + (int64_t)i * 1000000 / nst;
			if (due > now || j >= seconds)
				break;
			if (st[i].state == READY)
				send_frame(ep, i, base + j);
			k++;
		}
		if (k >= (uint64_t)nst * (uint64_t)seconds)
			break;
		pump(ep, due > now ? (int)((due - now + 999) / 1000) : 0);
	}
	drain_end = now_us() + DRAIN_MS * 1000LL;
	while (answered < sent && now_us() < drain_end)
		pump(ep, 50);
	printf("stations=%d connected=%d base=%lld sent=%llu answered=%llu dropped=%llu "
	       "closed=%llu p50_ms=%lld p99_ms=%lld max_ms=%.1f ramp_s=%.1f seconds=%d "
	       "answered_per_s=%.0f\n",
	       nst, ready, base, (unsigned long long)sent, (unsigned long long)answered,
	       (unsigned long long)(sent - answered), (unsigned long long)closed_by_server,
	       percentile(0.50), percentile(0.99), (double)worst_us / 1000.0,
	       (double)(start - t0) / 1e6, seconds,
	       (double)answered / ((double)(end - start) / 1e6));
	return ready == nst && answered == sent && !closed_by_server ? 0 : 1;
}
