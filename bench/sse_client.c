/* bench/sse.sh's client: N event streams held open at once on one port
 * (raw sockets, epoll), as N plaza displays' EventSources. Opens them
 * all, holds them HOLD seconds counting the events that come, then sends
 * one reading (POST with the meter's token) and times, for each
 * stream, how long until MARK arrives on it (the reading: LEVEL dB(A) at
 * the current second, {"readings":[{"t":...,"laeq":LEVEL}]}). Prints one line:
 * "opened open_s held events reading_p50_ms p99_ms max_ms missing".
 * Not part of the build: sse.sh compiles it with cc. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
	int fd;
	int first;	/* the first event came */
	double mark_at; /* when MARK came, 0 before */
	char tail[96];	/* the last bytes read, for a mark split across reads */
	size_t ntail;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int dial(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* seen: feed n bytes of c; 1 when needle is in what came lately. */
static int seen(struct conn *c, const char *p, size_t n, const char *needle)
{
	char win[96 + 4096 + 1];
	size_t keep = c->ntail, len;
	int hit;

	if (n > 4096) {
		p += n - 4096;
		n = 4096;
	}
	memcpy(win, c->tail, keep);
	memcpy(win + keep, p, n);
	len = keep + n;
	win[len] = '\0';
	hit = strstr(win, needle) != NULL;
	c->ntail = len < sizeof(c->tail) ? len : sizeof(c->tail);
	memcpy(c->tail, win + len - c->ntail, c->ntail);
	return hit;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {0};
	struct conn *all;
	struct epoll_event ev, evs[256];
	char req[512], buf[8192];
	double t0, opened_s, held_until, sent_at = 0, end;
	long long events = 0, held_events = 0;
	int n, hold, ep, firsts = 0, marks = 0, failed = 0, phase = 0;

	if (argc != 8) {
		fprintf(stderr, "usage: sse_client PORT PATH N HOLD_S MARK TOKEN LEVEL\n");
		return 2;
	}
	n = atoi(argv[3]);
	hold = atoi(argv[4]);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	all = calloc((size_t)n, sizeof(*all));
	ep = epoll_create1(0);
	if (!all || ep < 0)
		return 1;
	snprintf(req, sizeof(req),
		 "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n",
		 argv[2]);
	t0 = now_s();
	for (int i = 0; i < n; i++) {
		all[i].fd = dial(&sa);
		if (all[i].fd < 0 || write(all[i].fd, req, strlen(req)) < 0) {
			failed++;
			continue;
		}
		fcntl(all[i].fd, F_SETFL, O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.ptr = &all[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, all[i].fd, &ev);
	}
	opened_s = 0;
	held_until = 0;
	end = now_s() + 120;
	while (now_s() < end) {
		int k = epoll_wait(ep, evs, 256, 50);
		for (int i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;
			ssize_t got = read(c->fd, buf, sizeof(buf) - 1);
			if (got <= 0) {
				if (got < 0 && errno == EAGAIN)
					continue;
				epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
				close(c->fd);
				c->fd = -1;
				failed++;
				continue;
			}
			buf[got] = '\0';
			for (char *p = buf; (p = strstr(p, "event: ")); p += 7)
				events++;
			if (!c->first && strstr(buf, "event: ")) {
				c->first = 1;
				firsts++;
			}
			if (phase == 2 && !c->mark_at && seen(c, buf, (size_t)got, argv[5])) {
				c->mark_at = now_s();
				marks++;
			}
		}
		if (phase == 0 && firsts + failed >= n) {
			opened_s = now_s() - t0;
			held_until = now_s() + hold;
			events = 0;
			phase = 1;
			fprintf(stderr, "hold-start\n");
		} else if (phase == 1 && now_s() >= held_until) {
			/* The reading, on a connection of its own. */
			char post[1024], body[128];
			int fd = dial(&sa);
			phase = 2;
			held_events = events;
			fprintf(stderr, "hold-end\n");
			snprintf(body, sizeof(body), "{\"readings\":[{\"t\":%lld,\"laeq\":%s}]}",
				 (long long)time(NULL), argv[7]);
			snprintf(post, sizeof(post),
				 "POST /api/v1/noise/readings HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				 "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
				 argv[6], strlen(body), body);
			sent_at = now_s();
			if (fd < 0 || write(fd, post, strlen(post)) < 0)
				return 1;
			if (read(fd, buf, sizeof(buf)) <= 0 || strncmp(buf + 9, "200", 3))
				fprintf(stderr, "sse_client: the reading was refused: %.60s\n",
					buf);
			close(fd);
			end = sent_at + 10;
		} else if (phase == 2 && marks + failed >= n) {
			break;
		}
	}
	{
		double *lat = calloc((size_t)n, sizeof(double));
		int m = 0;
		for (int i = 0; i < n; i++)
			if (all[i].mark_at)
				lat[m++] = (all[i].mark_at - sent_at) * 1000;
		qsort(lat, (size_t)m, sizeof(double), cmp_double);
		printf("%d %.2f %d %lld %.0f %.0f %.0f %d\n", firsts, opened_s, hold, held_events,
		       m ? lat[m / 2] : -1,
		       m ? lat[(m * 99) / 100 < m ? (m * 99) / 100 : m - 1] : -1,
		       m ? lat[m - 1] : -1, n - m);
		free(lat);
	}
	for (int i = 0; i < n; i++)
		if (all[i].fd >= 0)
			close(all[i].fd);
	free(all);
	return 0;
}
