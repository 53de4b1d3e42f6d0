/* Periodic work in one place. Features and lower floors describe their
 * jobs (the outbox sender, the quiet-period sweep, ...) as struct job; the
 * command line hands them all to one runner, a thread with its own
 * connection. Before each run a job's lease is claimed in the database
 * (the leases table): when several servers share one PostgreSQL, each job
 * runs on one of them only, and when that server dies another takes the
 * lease over once it expires. */
#ifndef LINLI_DB_JOBS_H
#define LINLI_DB_JOBS_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

struct db;

/* A job's run returns 0, JOB_MORE to be run again at once (a full batch),
 * or a negative error, which is logged; after an error the runner reopens
 * its connection before the next run. */
#define JOB_MORE 1

struct job {
	const char *name; /* the lease's name, unique: "cases.sweep" */
	int period;	  /* seconds between runs, at least 1 */
	/* One run at now. stop turns non-zero when the server is stopping: a
	 * long run should end early then. */
	int (*run)(struct db *db, int64_t now, void *arg, const atomic_int *stop);
	void *arg; /* the job's own context, borrowed for the runner's life */
};

/* jobs_lease_seconds: how long a claim holds: three periods, at least 10 s,
 * so the holder renews it twice before anyone else may take it. */
int64_t jobs_lease_seconds(const struct job *j);

/* jobs_claim takes or renews the lease name for holder until now + ttl,
 * when it is free, expired (expires_at <= now) or already holder's. One
 * statement: on PostgreSQL the row lock makes a second claimant re-read
 * the row and find it taken. OUT: *held, 1 when holder now has it. */
int jobs_claim(struct db *db, const char *name, const char *holder, int64_t now, int64_t ttl,
	       int *held);
/* jobs_ran records a run of name that started at now (its last run, and
 * one more run in the count). */
int jobs_ran(struct db *db, const char *name, int64_t now);
/* jobs_release gives up holder's leases at once (a clean stop), so that
 * another server need not wait for them to expire. */
int jobs_release(struct db *db, const char *holder);
/* jobs_list writes one line per lease: name, holder, expiry, last run,
 * runs (times in UTC, ISO 8601). */
int jobs_list(struct db *db, int64_t now, FILE *out);

/* The runner. jobs_start copies the job table (not what arg points to),
 * opens its own connection to db_url (reporting a failure here, not later)
 * and starts the thread; each job first runs at once. jobs_stop wakes the
 * thread, waits for the run in progress, releases the leases and frees
 * everything. */
struct job_runner;
int jobs_start(const char *db_url, const struct job *jobs, int n, struct job_runner **out);
void jobs_stop(struct job_runner *r);
/* jobs_holder: this runner's name in the leases table. */
const char *jobs_holder(const struct job_runner *r);

#endif
