/* bench/district.sh's load client (libcurl multi, keep-alive connections).
 * Not part of the build: district.sh compiles it with cc -lcurl -lm.
 *
 *   district_client get URL TOKEN CONNS SECONDS
 *     (TOKEN "cookie:NAME=VALUE" sends a session cookie instead)
 *     CONNS clients, each sending the next GET as soon as the last answer
 *     is in, for SECONDS. Prints "req/s p50 p95 p99 non-2xx" (ms).
 *   district_client ingest URL TOKENS_FILE RATE SECONDS T0
 *     One meter per token line; every second each meter posts one batch of
 *     RATE / meters readings (seconds T0 + k ...), at its own offset in the
 *     second, whether or not earlier batches are answered (open loop: a
 *     slow server shows as latency, not as a lower rate). A batch's latency
 *     runs from when it was due, not when it was sent. Prints the stored
 *     rate, p50/p95/p99 batch latency, refused batches and duplicates.
 *   district_client seconds FIRST_METER METERS T0 DAYS
 *   district_client minutes FIRST_METER METERS T0 DAYS
 *     COPY text for noise_readings (one row a second) or noise_minutes
 *     (span 60) of METERS meters over the DAYS before T0: a day/night
 *     shape plus noise. In C because 181 million rows are too many for
 *     Python to format in the time PostgreSQL takes to store them. */
#include <curl/curl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define INGEST_CONNS 64 /* most batches in flight at once */

/* samples: latencies in ms, grown as they come. */
struct samples {
	double *v;  /* the latencies */
	size_t n;   /* how many */
	size_t cap; /* room in v */
};

static void samples_add(struct samples *s, double ms)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		double *v = realloc(s->v, cap * sizeof(*v));
		if (!v) {
			perror("district_client");
			exit(1);
		}
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ms;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* samples_pct: the p-th percentile (nearest rank) after sorting; 0 if none. */
static double samples_pct(struct samples *s, double p)
{
	size_t rank;

	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(*s->v), by_value);
	rank = (size_t)(p / 100.0 * (double)s->n + 0.999999);
	return s->v[(rank ? rank : 1) - 1];
}

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* answer: what one transfer got back (the first bytes are enough). */
struct answer {
	char buf[256]; /* the start of the body */
	size_t n;      /* bytes kept */
};

static size_t keep(char *p, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb, room = sizeof(a->buf) - 1 - a->n;

	if (n < room)
		room = n;
	memcpy(a->buf + a->n, p, room);
	a->n += room;
	a->buf[a->n] = '\0';
	return n;
}

static size_t drop(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;
}

static int run_get(const char *url, const char *token, int conns, double seconds)
{
	struct samples s = {0};
	struct curl_slist *h;
	char auth[256];
	CURLM *m = curl_multi_init();
	double start, end;
	int running = 0, bad = 0;

	/* "cookie:NAME=VALUE" is a signed-in session (a street user has no
	 * token); anything else a bearer token. */
	if (!strncmp(token, "cookie:", 7))
		snprintf(auth, sizeof(auth), "Cookie: %s", token + 7);
	else
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	h = curl_slist_append(NULL, auth);
	h = curl_slist_append(h, "Accept-Language: zh-CN");
	for (int i = 0; i < conns; i++) {
		CURL *e = curl_easy_init();
		curl_easy_setopt(e, CURLOPT_URL, url);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, drop);
		curl_easy_setopt(e, CURLOPT_TIMEOUT, 60L);
		curl_multi_add_handle(m, e);
	}
	start = now_ms();
	end = start + seconds * 1000.0;
	for (;;) {
		CURLMsg *msg;
		int left;

		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			CURL *e = msg->easy_handle;
			curl_off_t us = 0;
			long status = 0;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
			curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &us);
			curl_multi_remove_handle(m, e);
			if (now_ms() < end) {
				samples_add(&s, (double)us / 1000.0);
				bad += msg->data.result != CURLE_OK || status < 200 || status > 299;
				curl_multi_add_handle(m, e);
			} else {
				curl_easy_cleanup(e);
			}
		}
		if (now_ms() >= end && !running)
			break;
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	printf("%8.0f %8.1f %8.1f %8.1f %7d\n", (double)s.n / ((now_ms() - start) / 1000.0),
	       samples_pct(&s, 50), samples_pct(&s, 95), samples_pct(&s, 99), bad);
	curl_multi_cleanup(m);
	curl_slist_free_all(h);
	free(s.v);
	return 0;
}

/* batch: one POST in flight. */
struct batch {
	CURL *e;	      /* its handle, reused */
	struct curl_slist *h; /* its headers (the meter's token) */
	struct answer a;      /* what came back */
	char *body;	      /* the readings as JSON */
	double due;	      /* when it was due (ms, monotonic) */
};

static int run_ingest(const char *url, const char *tokens_file, int rate, double seconds,
		      int64_t t0)
{
	char line[256], **tokens = NULL;
	int ntok = 0, per, nsec = (int)seconds, inflight = 0, running;
	long refused = 0, stored = 0, dups = 0, batches = 0;
	struct batch pool[INGEST_CONNS];
	int free_slots[INGEST_CONNS], nfree = INGEST_CONNS;
	struct samples s = {0};
	FILE *f = fopen(tokens_file, "r");
	CURLM *m = curl_multi_init();
	double start, elapsed;
	long next = 0, total;

	if (!f) {
		perror(tokens_file);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		tokens = realloc(tokens, (size_t)(ntok + 1) * sizeof(*tokens));
		tokens[ntok++] = strdup(line);
	}
	fclose(f);
	if (ntok < 1)
		return 2;
	per = rate / ntok > 0 ? rate / ntok : 1;
	total = (long)nsec * ntok;
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)INGEST_CONNS);
	for (int i = 0; i < INGEST_CONNS; i++) {
		pool[i].e = curl_easy_init();
		pool[i].h = NULL;
		pool[i].body = malloc((size_t)per * 64 + 32);
		free_slots[i] = i;
	}
	start = now_ms();
	/* Batch k: second k / ntok, meter k % ntok, due at its offset. */
	while (next < total || inflight) {
		double t = now_ms();
		CURLMsg *msg;
		int left;

		while (next < total && nfree > 0) {
			long sec = next / ntok, meter = next % ntok;
			double due = start + (double)sec * 1000.0 + (double)meter * 1000.0 / ntok;
			struct batch *b;
			char auth[300];
			size_t n;
			int slot;

			if (due > t)
				break;
			slot = free_slots[--nfree];
			b = &pool[slot];
			n = (size_t)snprintf(b->body, 32, "{\"readings\":[");
			for (int j = 0; j < per; j++) {
				int laeq = 4500 + (int)((sec * 7 + j * 13 + meter) % 2500);
				n += (size_t)snprintf(
				    b->body + n, (size_t)per * 64 + 32 - n,
				    "%s{\"t\":%lld,\"laeq\":%d.%02d,\"lmax\":%d.%02d}",
				    j ? "," : "", (long long)(t0 + sec * per + j), laeq / 100,
				    laeq % 100, (laeq + 300) / 100, (laeq + 300) % 100);
			}
			memcpy(b->body + n, "]}", 3);
			snprintf(auth, sizeof(auth), "Authorization: Bearer %s", tokens[meter]);
			curl_slist_free_all(b->h);
			b->h = curl_slist_append(NULL, auth);
			b->h = curl_slist_append(b->h, "Content-Type: application/json");
			b->a.n = 0;
			b->a.buf[0] = '\0';
			b->due = due;
			curl_easy_reset(b->e);
			curl_easy_setopt(b->e, CURLOPT_URL, url);
			curl_easy_setopt(b->e, CURLOPT_HTTPHEADER, b->h);
			curl_easy_setopt(b->e, CURLOPT_POSTFIELDS, b->body);
			curl_easy_setopt(b->e, CURLOPT_WRITEFUNCTION, keep);
			curl_easy_setopt(b->e, CURLOPT_WRITEDATA, &b->a);
			curl_easy_setopt(b->e, CURLOPT_PRIVATE, b);
			curl_easy_setopt(b->e, CURLOPT_TIMEOUT, 30L);
			curl_multi_add_handle(m, b->e);
			inflight++;
			next++;
		}
		curl_multi_perform(m, &running);
		while ((msg = curl_multi_info_read(m, &left))) {
			struct batch *b = NULL;
			long status = 0;
			const char *p;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&b);
			curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
			samples_add(&s, now_ms() - b->due);
			batches++;
			if (msg->data.result != CURLE_OK || status != 200) {
				refused++;
			} else {
				if ((p = strstr(b->a.buf, "\"stored\":")))
					stored += strtol(p + 9, NULL, 10);
				if ((p = strstr(b->a.buf, "\"duplicates\":")))
					dups += strtol(p + 13, NULL, 10);
			}
			curl_multi_remove_handle(m, msg->easy_handle);
			free_slots[nfree++] = (int)(b - pool);
			inflight--;
		}
		curl_multi_poll(m, NULL, 0, 2, NULL);
	}
	elapsed = (now_ms() - start) / 1000.0;
	printf("%.0f readings/s stored (%ld batches of %d), batch latency p50 %.1f p95 %.1f p99 "
	       "%.1f ms, refused %ld, duplicates %ld\n",
	       (double)stored / elapsed, batches, per, samples_pct(&s, 50), samples_pct(&s, 95),
	       samples_pct(&s, 99), refused, dups);
	for (int i = 0; i < INGEST_CONNS; i++) {
		curl_easy_cleanup(pool[i].e);
		curl_slist_free_all(pool[i].h);
		free(pool[i].body);
	}
	for (int i = 0; i < ntok; i++)
		free(tokens[i]);
	free(tokens);
	free(s.v);
	curl_multi_cleanup(m);
	return 0;
}

/* A small fixed-seed generator: the same district every run. */
static uint64_t rnd_state = 212;

static int rnd_below(int n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (int)(rnd_state % (uint64_t)n);
}

/* level_at: the synthetic LAeq (centi-dB) at t: louder by day (Shanghai
 * 06:00-22:00) than at night. */
static int level_at(int64_t t)
{
	int hour = (int)(((t + 8 * 3600) / 3600) % 24);
	return hour >= 6 && hour < 22 ? 5200 : 4300;
}

static int run_generate(int minutes, int64_t first, int meters, int64_t t0, int days)
{
	static char out[1 << 16];
	size_t n = 0;
	int64_t step = minutes ? 60 : 1;

	for (int64_t m = first; m < first + meters; m++) {
		for (int64_t t = t0 - (int64_t)days * 86400; t < t0; t += step) {
			int leq =
			    level_at(t) + (minutes ? rnd_below(1000) - 400 : rnd_below(1500) - 600);

			if (sizeof(out) - n < 200) {
				fwrite(out, 1, n, stdout);
				n = 0;
			}
			if (minutes)
				n += (size_t)snprintf(
				    out + n, sizeof(out) - n,
				    "%lld\t%lld\t60\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\thttp\n",
				    (long long)m, (long long)t, leq, leq + 800, leq + 500,
				    leq - 100, leq - 600, leq - 800, leq + 1400, leq - 900);
			else
				n += (size_t)snprintf(out + n, sizeof(out) - n,
						      "%lld\t%lld\t%d\t%d\thttp\n", (long long)m,
						      (long long)t, leq, leq + rnd_below(700));
		}
	}
	fwrite(out, 1, n, stdout);
	return fflush(stdout) ? 1 : 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (argc == 6 && !strcmp(argv[1], "get"))
		rc = run_get(argv[2], argv[3], (int)strtol(argv[4], NULL, 10),
			     strtod(argv[5], NULL));
	else if (argc == 7 && !strcmp(argv[1], "ingest"))
		rc = run_ingest(argv[2], argv[3], (int)strtol(argv[4], NULL, 10),
				strtod(argv[5], NULL), (int64_t)strtoll(argv[6], NULL, 10));
	else if (argc == 6 && (!strcmp(argv[1], "seconds") || !strcmp(argv[1], "minutes")))
		rc = run_generate(!strcmp(argv[1], "minutes"), strtoll(argv[2], NULL, 10),
				  (int)strtol(argv[3], NULL, 10), strtoll(argv[4], NULL, 10),
				  (int)strtol(argv[5], NULL, 10));
	else
		fprintf(stderr,
			"usage: district_client get URL TOKEN CONNS SECONDS\n"
			"       district_client ingest URL TOKENS_FILE RATE SECONDS T0\n"
			"       district_client seconds|minutes FIRST_METER METERS T0 DAYS\n");
	curl_global_cleanup();
	return rc;
}
