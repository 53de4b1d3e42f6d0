/* bench/events.sh's client: N registrations at once (libcurl multi, up to
 * C connections) for one event through POST /api/v1/events/:id/registrations,
 * each with its own name and phone. Prints "ok confirmed waiting failed
 * seconds": what the server answered and how long it took. Not part of
 * the build: events.sh compiles it with cc -lcurl. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct one {
	CURL *e;
	char body[96];
	char answer[256];
	size_t n;
};

static size_t keep(char *p, size_t size, size_t nmemb, void *arg)
{
	struct one *o = arg;
	size_t n = size * nmemb, room = sizeof(o->answer) - 1 - o->n;

	memcpy(o->answer + o->n, p, n < room ? n : room);
	o->n += n < room ? n : room;
	o->answer[o->n] = '\0';
	return n;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct curl_slist *h;
	struct one *all;
	CURLM *m;
	int n, conns, running = 0, ok = 0, confirmed = 0, waiting = 0, failed = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: events_client URL N CONNECTIONS\n");
		return 2;
	}
	n = (int)strtol(argv[2], NULL, 10);
	conns = (int)strtol(argv[3], NULL, 10);
	all = calloc((size_t)n, sizeof(*all));
	if (!all || n <= 0 || conns <= 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	m = curl_multi_init();
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conns);
	h = curl_slist_append(NULL, "Content-Type: application/json");
	for (int i = 0; i < n; i++) {
		struct one *o = &all[i];
		snprintf(o->body, sizeof(o->body), "{\"name\":\"bench%d\",\"phone\":\"138%08d\"}",
			 i, i);
		o->e = curl_easy_init();
		curl_easy_setopt(o->e, CURLOPT_URL, argv[1]);
		curl_easy_setopt(o->e, CURLOPT_POSTFIELDS, o->body);
		curl_easy_setopt(o->e, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(o->e, CURLOPT_WRITEFUNCTION, keep);
		curl_easy_setopt(o->e, CURLOPT_WRITEDATA, o);
		curl_easy_setopt(o->e, CURLOPT_TIMEOUT, 120L);
		curl_multi_add_handle(m, o->e);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		curl_multi_perform(m, &running);
		if (running)
			curl_multi_poll(m, NULL, 0, 1000, NULL);
	} while (running);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < n; i++) {
		long status = 0;
		curl_easy_getinfo(all[i].e, CURLINFO_RESPONSE_CODE, &status);
		if (status == 201) {
			ok++;
			confirmed += strstr(all[i].answer, "\"confirmed\"") != NULL;
			waiting += strstr(all[i].answer, "\"waiting\"") != NULL;
		} else {
			failed++;
		}
		curl_multi_remove_handle(m, all[i].e);
		curl_easy_cleanup(all[i].e);
	}
	printf("%d %d %d %d %.3f\n", ok, confirmed, waiting, failed,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	curl_slist_free_all(h);
	curl_multi_cleanup(m);
	free(all);
	return 0;
}
