/* The connection guard; see conn_guard.h. One mutex holds everything:
 * the per-address counts (an open-addressing table, linear probing with
 * backward-shift deletion), the total, and the list of open connections
 * the reaper walks. The reaper only shutdown()s a socket while holding the
 * mutex and while the connection is still listed; libmicrohttpd unlists it
 * (conn_guard_closed) before it closes the fd, so an fd number is never
 * shut down after it went to another connection. */
#include "conn_guard.h"
#include "metrics.h"
#include "../base/err.h"
#include "../base/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* What a connection is waiting for; the deadline depends on it. */
enum guard_phase {
	PHASE_HEADERS,	 /* the request line and headers */
	PHASE_BODY,	 /* the request's body */
	PHASE_ANSWERING, /* our answer: no deadline of ours */
};

/* One open connection; owned by the guard's list, freed by
 * conn_guard_closed. */
struct guard_conn {
	struct guard_conn *prev, *next; /* the guard's list */
	uint8_t key[16];		/* what it is counted under */
	int fd;				/* its socket */
	enum guard_phase phase;		/* what it waits for */
	int64_t since_ms;		/* when that phase began (monotonic) */
	uint64_t body_bytes;		/* body bytes received in PHASE_BODY */
	int shut;			/* the reaper shut it down already */
};

/* One slot of the count table: count 0 is an empty slot. */
struct guard_slot {
	uint8_t key[16]; /* an address (IPv6 /64, IPv4 mapped) */
	unsigned count;	 /* its open connections, pending ones included */
};

struct conn_guard {
	struct conn_guard_config cfg; /* the rules */
	struct metrics *metrics;      /* where refusals and closes are counted */
	pthread_mutex_t lock;	      /* holds everything below */
	struct guard_slot *slots;     /* the count table */
	size_t mask;		      /* slots - 1 (a power of two) */
	unsigned total;		      /* connections counted, pending ones included */
	struct guard_conn *head;      /* open connections */
	/* the reaper */
	pthread_t thread;	   /* valid when running */
	int running;		   /* the thread was started */
	int stop;		   /* asks it to end; under stop_lock */
	pthread_mutex_t stop_lock; /* holds stop */
	pthread_cond_t stop_cond;  /* wakes it to end */
};

/* The place conn_guard_admit holds for the connection MHD is accepting in
 * this thread, until conn_guard_opened takes it. If MHD drops the
 * connection in between (out of memory), the next admit in the thread
 * gives the place back. Per thread, as MHD accepts and opens a connection
 * in the same worker. */
static _Thread_local struct {
	struct conn_guard *guard; /* NULL: none held */
	uint8_t key[16];	  /* the address it is held for */
} guard_pending;

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- addresses ---- */

/* key_of: what a peer is counted under, and in *proxy_limit its limit as
 * a trusted proxy (0 when it is none). IPv4 is kept as ::ffff:a.b.c.d (so
 * a v4-mapped peer is the same address); other IPv6 peers are counted by
 * their /64, which one household or one attacker usually holds whole. */
static void key_of(const struct conn_guard *g, const struct sockaddr *sa, uint8_t key[16],
		   unsigned *proxy_limit)
{
	static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	memset(key, 0, 16);
	*proxy_limit = 0;
	if (sa && sa->sa_family == AF_INET) {
		key[10] = key[11] = 0xff;
		memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa && sa->sa_family == AF_INET6) {
		memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
	}
	for (int i = 0; i < g->cfg.nproxies; i++)
		if (!memcmp(g->cfg.proxies[i].addr, key, 16)) {
			*proxy_limit =
			    g->cfg.proxies[i].limit ? g->cfg.proxies[i].limit : g->cfg.proxy_limit;
			return;
		}
	if (memcmp(key, v4_mapped, sizeof(v4_mapped)))
		memset(key + 8, 0, 8);
}

/* ---- the count table ---- */

static size_t slot_home(const struct conn_guard *g, const uint8_t key[16])
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (int i = 0; i < 16; i++)
		h = (h ^ key[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29)) & g->mask;
}

/* slot_find: the slot holding key, or the empty one where it would go. */
static struct guard_slot *slot_find(struct conn_guard *g, const uint8_t key[16])
{
	size_t i = slot_home(g, key);
	while (g->slots[i].count && memcmp(g->slots[i].key, key, 16))
		i = (i + 1) & g->mask;
	return &g->slots[i];
}

static void count_add(struct conn_guard *g, const uint8_t key[16])
{
	struct guard_slot *s = slot_find(g, key);
	if (!s->count)
		memcpy(s->key, key, 16);
	s->count++;
	g->total++;
}

/* count_remove takes one connection off key; an emptied slot is filled
 * from the probe run after it, so that no lookup stops early. */
static void count_remove(struct conn_guard *g, const uint8_t key[16])
{
	struct guard_slot *s = slot_find(g, key);
	size_t hole, i;

	if (!s->count)
		return;
	g->total--;
	if (--s->count)
		return;
	hole = (size_t)(s - g->slots);
	for (i = (hole + 1) & g->mask; g->slots[i].count; i = (i + 1) & g->mask) {
		size_t home = slot_home(g, g->slots[i].key);
		/* Move it back when its home is not in (hole, i]. */
		if (((i - home) & g->mask) >= ((i - hole) & g->mask)) {
			g->slots[hole] = g->slots[i];
			g->slots[i].count = 0;
			hole = i;
		}
	}
}

/* ---- the guard ---- */

struct conn_guard *conn_guard_new(const struct conn_guard_config *cfg, struct metrics *m)
{
	struct conn_guard *g = calloc(1, sizeof(*g));
	size_t n = 64;

	if (!g)
		return NULL;
	g->cfg = *cfg;
	g->metrics = m;
	/* At most conn_max addresses plus one pending per thread: keep the
	 * table under half full. */
	while (n < 2 * ((size_t)cfg->conn_max + 64))
		n *= 2;
	g->slots = calloc(n, sizeof(g->slots[0]));
	if (!g->slots) {
		free(g);
		return NULL;
	}
	g->mask = n - 1;
	pthread_mutex_init(&g->lock, NULL);
	pthread_mutex_init(&g->stop_lock, NULL);
	pthread_cond_init(&g->stop_cond, NULL);
	return g;
}

void conn_guard_free(struct conn_guard *g)
{
	if (!g)
		return;
	if (g->running) {
		pthread_mutex_lock(&g->stop_lock);
		g->stop = 1;
		pthread_cond_signal(&g->stop_cond);
		pthread_mutex_unlock(&g->stop_lock);
		pthread_join(g->thread, NULL);
	}
	while (g->head) {
		struct guard_conn *c = g->head;
		g->head = c->next;
		free(c);
	}
	if (guard_pending.guard == g)
		guard_pending.guard = NULL;
	pthread_cond_destroy(&g->stop_cond);
	pthread_mutex_destroy(&g->stop_lock);
	pthread_mutex_destroy(&g->lock);
	free(g->slots);
	free(g);
}

static void *reaper_main(void *arg)
{
	struct conn_guard *g = arg;

	for (;;) {
		struct timespec until;
		int stop;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&g->stop_lock);
		if (!g->stop)
			pthread_cond_timedwait(&g->stop_cond, &g->stop_lock, &until);
		stop = g->stop;
		pthread_mutex_unlock(&g->stop_lock);
		if (stop)
			return NULL;
		conn_guard_reap(g, now_ms());
	}
}

int conn_guard_start_reaper(struct conn_guard *g)
{
	if (pthread_create(&g->thread, NULL, reaper_main, g))
		return LIN_EIO;
	g->running = 1;
	return 0;
}

int conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa)
{
	uint8_t key[16];
	unsigned proxy_limit, held;
	int rule = -1;

	key_of(g, sa, key, &proxy_limit);
	pthread_mutex_lock(&g->lock);
	if (guard_pending.guard == g) /* MHD dropped the one admitted before */
		count_remove(g, guard_pending.key);
	guard_pending.guard = NULL;
	held = slot_find(g, key)->count;
	if (held >= (proxy_limit ? proxy_limit : g->cfg.per_ip_limit))
		rule = GUARD_REFUSED_PER_IP;
	else if (g->total >= g->cfg.conn_max)
		rule = GUARD_REFUSED_FULL;
	else if (!proxy_limit && g->total >= g->cfg.conn_max - g->cfg.conn_reserve &&
		 held >= g->cfg.reserve_per_ip)
		rule = GUARD_REFUSED_BUSY;
	if (rule < 0) {
		count_add(g, key);
		guard_pending.guard = g;
		memcpy(guard_pending.key, key, 16);
	}
	pthread_mutex_unlock(&g->lock);
	if (rule < 0)
		return 0;
	metrics_connection(g->metrics, rule);
	return 1;
}

struct guard_conn *conn_guard_opened(struct conn_guard *g, const struct sockaddr *sa, int fd)
{
	struct guard_conn *c = calloc(1, sizeof(*c));
	uint8_t key[16];
	unsigned proxy_limit;

	key_of(g, sa, key, &proxy_limit);
	pthread_mutex_lock(&g->lock);
	if (guard_pending.guard == g && !memcmp(guard_pending.key, key, 16))
		guard_pending.guard = NULL; /* its place was held at admit */
	else
		count_add(g, key);
	if (c) {
		memcpy(c->key, key, 16);
		c->fd = fd;
		c->phase = PHASE_HEADERS;
		c->since_ms = now_ms();
		c->next = g->head;
		if (g->head)
			g->head->prev = c;
		g->head = c;
	}
	pthread_mutex_unlock(&g->lock);
	metrics_connections_open(g->metrics, 1);
	return c;
}

void conn_guard_closed(struct conn_guard *g, struct guard_conn *c, const struct sockaddr *sa)
{
	uint8_t key[16];
	unsigned proxy_limit;

	if (!c)
		key_of(g, sa, key, &proxy_limit);
	pthread_mutex_lock(&g->lock);
	if (c) {
		if (c->prev)
			c->prev->next = c->next;
		else
			g->head = c->next;
		if (c->next)
			c->next->prev = c->prev;
		memcpy(key, c->key, 16);
	}
	count_remove(g, key);
	pthread_mutex_unlock(&g->lock);
	metrics_connections_open(g->metrics, -1);
	free(c);
}

static void set_phase(struct conn_guard *g, struct guard_conn *c, enum guard_phase phase)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->phase = phase;
	c->since_ms = now_ms();
	c->body_bytes = 0;
	pthread_mutex_unlock(&g->lock);
}

void conn_guard_headers_done(struct conn_guard *g, struct guard_conn *c)
{
	set_phase(g, c, PHASE_BODY);
}

void conn_guard_answering(struct conn_guard *g, struct guard_conn *c)
{
	set_phase(g, c, PHASE_ANSWERING);
}

void conn_guard_request_done(struct conn_guard *g, struct guard_conn *c)
{
	set_phase(g, c, PHASE_HEADERS);
}

void conn_guard_body_bytes(struct conn_guard *g, struct guard_conn *c, size_t n)
{
	if (!c)
		return;
	pthread_mutex_lock(&g->lock);
	c->body_bytes += n;
	pthread_mutex_unlock(&g->lock);
}

int conn_guard_reap(struct conn_guard *g, int64_t now)
{
	int closed[GUARD_NRULES] = {0}, n = 0;

	pthread_mutex_lock(&g->lock);
	for (struct guard_conn *c = g->head; c; c = c->next) {
		int64_t deadline;
		int rule;

		if (c->shut || c->phase == PHASE_ANSWERING)
			continue;
		if (c->phase == PHASE_HEADERS) {
			deadline = c->since_ms + (int64_t)g->cfg.header_timeout * 1000;
			rule = GUARD_CLOSED_HEADERS;
		} else {
			/* body_timeout, and one more second per body_min_rate bytes */
			deadline = c->since_ms + (int64_t)g->cfg.body_timeout * 1000 +
				   (int64_t)(c->body_bytes * 1000 / g->cfg.body_min_rate);
			rule = GUARD_CLOSED_BODY_RATE;
		}
		if (now < deadline)
			continue;
		/* The worker that owns it sees end of file and closes it. */
		if (shutdown(c->fd, SHUT_RDWR) && errno != ENOTCONN)
			log_debug("http: shutdown of a late connection: %s", strerror(errno));
		c->shut = 1;
		closed[rule]++;
		n++;
	}
	pthread_mutex_unlock(&g->lock);
	for (int r = 0; r < GUARD_NRULES; r++)
		for (int i = 0; i < closed[r]; i++)
			metrics_connection(g->metrics, (enum conn_guard_rule)r);
	return n;
}

unsigned conn_guard_open_count(struct conn_guard *g)
{
	unsigned n;
	pthread_mutex_lock(&g->lock);
	n = g->total;
	pthread_mutex_unlock(&g->lock);
	return n;
}
