/* The job runner and its leases (jobs.h). */
#include "jobs.h"
#include "db.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/rand.h"
#include "../base/timeutil.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t jobs_lease_seconds(const struct job *j)
{
	int64_t ttl = 3 * (int64_t)j->period;
	return ttl < 10 ? 10 : ttl;
}

int jobs_claim(struct db *db, const char *name, const char *holder, int64_t now, int64_t ttl,
	       int *held)
{
	int rc;

	*held = 0;
	rc = db_exec_args(db, "INSERT INTO leases (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
			  NULL, "t", name);
	if (!rc)
		rc = db_query_row(
		    db,
		    "UPDATE leases SET holder = ?, expires_at = ?"
		    " WHERE name = ? AND (holder = ? OR expires_at <= ?) RETURNING name",
		    NULL, "titti", holder, now + ttl, name, holder, now);
	*held = rc == 0;
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

int jobs_ran(struct db *db, const char *name, int64_t now)
{
	return db_exec_args(db, "UPDATE leases SET last_run_at = ?, runs = runs + 1 WHERE name = ?",
			    NULL, "it", now, name);
}

int jobs_release(struct db *db, const char *holder)
{
	return db_exec_args(db, "UPDATE leases SET expires_at = 0 WHERE holder = ?", NULL, "t",
			    holder);
}

static void iso_utc(int64_t t, char out[32])
{
	int y, m, d;
	int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, s = t - days * 86400;

	if (!t) {
		snprintf(out, 32, "-");
		return;
	}
	lin_civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(s / 3600),
		 (int)(s / 60 % 60), (int)(s % 60));
}

int jobs_list(struct db *db, int64_t now, FILE *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT name, holder, expires_at, last_run_at, runs FROM leases"
			    " ORDER BY name",
			    &st);

	if (rc)
		return rc;
	fprintf(out, "%-16s %-40s %-22s %-22s %s\n", "job", "holder", "expires", "last run",
		"runs");
	while ((rc = db_step(st)) == DB_ROW) {
		char expires[32], last[32];
		int64_t e = db_column_int64(st, 2);
		iso_utc(e, expires);
		iso_utc(db_column_int64(st, 3), last);
		fprintf(out, "%-16s %-40s %-22s %-22s %lld\n", db_column_text(st, 0),
			e > now ? db_column_text(st, 1) : "(free)", expires, last,
			(long long)db_column_int64(st, 4));
	}
	db_finalize(st);
	return rc < 0 ? LIN_EDB : 0;
}

/* ---- the runner ---- */

struct job_runner {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake; /* on CLOCK_MONOTONIC */
	atomic_int stopping;
	struct db *db; /* the runner's own connection, NULL while lost */
	char *db_url;
	struct job *jobs;
	int64_t *next; /* wall-clock second each job is next due */
	int n;
	char holder[160];
};

/* run_due claims and runs every due job once; returns the seconds until
 * the next is due. */
static int64_t run_due(struct job_runner *r)
{
	int64_t now = (int64_t)time(NULL), wait = INT64_MAX;

	for (int i = 0; i < r->n && !atomic_load(&r->stopping); i++) {
		const struct job *j = &r->jobs[i];
		int held = 0, rc;

		if (now < r->next[i])
			continue;
		r->next[i] = now + j->period;
		if (!r->db && db_open(r->db_url, &r->db)) {
			log_warn("jobs: cannot reopen the database; retrying");
			r->db = NULL;
			break;
		}
		rc = jobs_claim(r->db, j->name, r->holder, now, jobs_lease_seconds(j), &held);
		if (!rc && held) {
			rc = j->run(r->db, now, j->arg, &r->stopping);
			/* Counted by whoever ran it, so two runners both running
			 * one job would show as twice the runs. */
			if (rc >= 0 && jobs_ran(r->db, j->name, now))
				rc = LIN_EDB;
		}
		if (rc == JOB_MORE) {
			r->next[i] = now;
		} else if (rc < 0) {
			/* A dropped connection comes back before the next run. */
			log_warn("jobs: %s failed: %s", j->name, lin_strerror(rc));
			db_close(r->db);
			r->db = NULL;
		}
	}
	now = (int64_t)time(NULL);
	for (int i = 0; i < r->n; i++)
		if (r->next[i] - now < wait)
			wait = r->next[i] - now;
	if (!r->db && wait > 1)
		wait = 1;
	return wait < 0 ? 0 : wait;
}

static void *runner_main(void *arg)
{
	struct job_runner *r = arg;
	struct timespec until;

	while (!atomic_load(&r->stopping)) {
		int64_t wait = run_due(r);
		if (!wait)
			continue;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += (time_t)wait;
		pthread_mutex_lock(&r->lock);
		while (!atomic_load(&r->stopping) &&
		       pthread_cond_timedwait(&r->wake, &r->lock, &until) != ETIMEDOUT)
			;
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

static void runner_free(struct job_runner *r)
{
	db_close(r->db);
	pthread_cond_destroy(&r->wake);
	pthread_mutex_destroy(&r->lock);
	free(r->db_url);
	free(r->jobs);
	free(r->next);
	free(r);
}

int jobs_start(const char *db_url, const struct job *jobs, int n, struct job_runner **out)
{
	struct job_runner *r;
	pthread_condattr_t attr;
	char host[64];
	int rc;

	*out = NULL;
	for (int i = 0; i < n; i++)
		if (!jobs[i].name || !jobs[i].run || jobs[i].period < 1)
			return LIN_EINVAL;
	if (!(r = calloc(1, sizeof(*r))))
		return LIN_ENOMEM;
	pthread_mutex_init(&r->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&r->wake, &attr);
	pthread_condattr_destroy(&attr);
	atomic_init(&r->stopping, 0);
	r->n = n;
	r->db_url = strdup(db_url);
	r->jobs = calloc((size_t)n + 1, sizeof(*r->jobs));
	r->next = calloc((size_t)n + 1, sizeof(*r->next));
	if (!r->db_url || !r->jobs || !r->next) {
		runner_free(r);
		return LIN_ENOMEM;
	}
	memcpy(r->jobs, jobs, (size_t)n * sizeof(*jobs));
	if (gethostname(host, sizeof(host)))
		snprintf(host, sizeof(host), "server");
	host[sizeof(host) - 1] = '\0';
	/* The tag tells two runners of one process (and a reused pid) apart. */
	snprintf(r->holder, sizeof(r->holder), "%s:%ld:%04llx", host, (long)getpid(),
		 (unsigned long long)(lin_mix64((uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)r) &
				      0xffff));
	rc = db_open(r->db_url, &r->db);
	if (!rc && pthread_create(&r->thread, NULL, runner_main, r))
		rc = LIN_ENOMEM;
	if (rc) {
		runner_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void jobs_stop(struct job_runner *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	atomic_store(&r->stopping, 1);
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	if (r->db && jobs_release(r->db, r->holder))
		log_warn("jobs: could not release the leases; they expire on their own");
	runner_free(r);
}

const char *jobs_holder(const struct job_runner *r)
{
	return r->holder;
}
