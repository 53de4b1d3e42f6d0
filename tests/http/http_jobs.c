/* Periodic jobs on several servers sharing one database (db/jobs.c): two
 * `linli serve` run on the same database, as a district runs several
 * servers on one PostgreSQL. Each job must run on one of them only; when
 * the holder is killed (SIGKILL) the other takes the lease over, but only
 * once it has expired; when the holder stops cleanly it hands the lease on
 * at once. What is observed is what an operator sees in `linli jobs`. */
#include "checks.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define OUTBOX_PERIOD 5			  /* seconds: the sender's period in serve */
#define OUTBOX_LEASE  (3 * OUTBOX_PERIOD) /* jobs_lease_seconds */

/* One line of `linli jobs`. */
struct lease {
	char holder[160]; /* "host:pid:tag", or "(free)" */
	char expires[32]; /* ISO 8601 UTC, or "-" */
	char last[32];	  /* the latest run */
	long long runs;
	long pid; /* the holder's pid, 0 when free */
};

/* next_word copies the next blank-separated word of *p into out. */
static int next_word(const char **p, char *out, size_t n)
{
	size_t len;

	*p += strspn(*p, " \t");
	len = strcspn(*p, " \t\n");
	if (!len || len >= n)
		return 0;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p += len;
	return 1;
}

static int read_lease(struct server *s, const char *job, struct lease *l)
{
	char *out = NULL, name[64], runs[32];
	int found = 0;

	memset(l, 0, sizeof(*l));
	assert_int_equal(run_cli(s, NULL, &out, "jobs", NULL), 0);
	for (const char *line = out; line && *line && !found; line = strchr(line, '\n')) {
		const char *p = line += *line == '\n';
		if (!next_word(&p, name, sizeof(name)) || strcmp(name, job) ||
		    !next_word(&p, l->holder, sizeof(l->holder)) ||
		    !next_word(&p, l->expires, sizeof(l->expires)) ||
		    !next_word(&p, l->last, sizeof(l->last)) || !next_word(&p, runs, sizeof(runs)))
			continue;
		l->runs = strtoll(runs, NULL, 10);
		p = strchr(l->holder, ':');
		l->pid = p ? strtol(p + 1, NULL, 10) : 0;
		found = 1;
	}
	free(out);
	return found;
}

/* wait_holder: the lease once its holder is one of the two pids (or any,
 * with 0, 0), polling up to seconds; the elapsed seconds in *took. */
static int wait_holder(struct server *s, const char *job, long a, long b, int seconds,
		       struct lease *l, double *took)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		*took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (read_lease(s, job, l) && l->pid && ((!a && !b) || l->pid == a || l->pid == b))
			return 1;
		if (*took > seconds)
			return 0;
		usleep(250 * 1000);
	}
}

/* term: a clean stop (SIGTERM), without removing the shared folder. */
static void term(struct server *s)
{
	int status = 0;

	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	s->pid = 0;
}

static void one_holder_then_takeover(void **state)
{
	struct server *a = &srv, b = srv, *holder, *other;
	struct lease l, first, before, after;
	double took;

	(void)state;
	b.pid = 0;
	assert_int_equal(server_spawn(&b), 0);

	/* Both servers run the runner; one holds each lease. */
	assert_true(wait_holder(a, "outbox.send", a->pid, b.pid, 20, &first, &took));
	assert_true(wait_holder(a, "cases.sweep", a->pid, b.pid, 20, &l, &took));
	holder = first.pid == a->pid ? a : &b;
	other = holder == a ? &b : a;
	print_message("# outbox.send held by %s\n", first.holder);

	/* While both live, the holder keeps it and the job runs once per
	 * period, not once per server: in a window of w seconds one runner
	 * runs it at most w/5 + 1 times, two at least 2 * (w/5). */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_true(read_lease(a, "outbox.send", &first));
	for (int i = 0; i < 12; i++) {
		sleep(1);
		assert_true(read_lease(a, "outbox.send", &l));
		assert_string_equal(l.holder, first.holder);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long w = (long)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec >= t0.tv_nsec ? 1 : 0);
	print_message("# %lld runs in about %ld s\n", l.runs - first.runs, w);
	assert_true(l.runs >= first.runs + w / OUTBOX_PERIOD - 1);
	assert_true(l.runs <= first.runs + w / OUTBOX_PERIOD + 1);

	/* The holder dies: the other server takes over, but not before the
	 * lease it saw last expires. */
	assert_true(read_lease(a, "outbox.send", &before));
	server_kill(holder);
	assert_true(wait_holder(a, "outbox.send", other->pid, other->pid, OUTBOX_LEASE + 15, &after,
				&took));
	print_message("# taken over by %s after %.1f s (lease ran to %s, taken at %s)\n",
		      after.holder, took, before.expires, after.last);
	assert_true(strcmp(after.last, before.expires) >= 0);
	assert_true(after.runs > before.runs);
	/* ... and runs it from then on. */
	sleep(OUTBOX_PERIOD + 2);
	assert_true(read_lease(a, "outbox.send", &l));
	assert_int_equal(l.pid, other->pid);
	assert_true(l.runs > after.runs);

	/* A new server joins; the holder stops cleanly and hands the lease on
	 * at once: taken well before it would have expired. */
	assert_int_equal(server_spawn(holder), 0);
	assert_true(read_lease(a, "outbox.send", &before));
	term(other);
	assert_true(
	    wait_holder(a, "outbox.send", holder->pid, holder->pid, OUTBOX_LEASE, &after, &took));
	print_message("# handed on to %s after %.1f s\n", after.holder, took);
	assert_true(strcmp(after.last, before.expires) < 0);
	/* srv_teardown stops the server left in srv; keep it there. */
	if (holder != a) {
		a->pid = holder->pid;
		snprintf(a->url, sizeof(a->url), "%s", holder->url);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(one_holder_then_takeover),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
