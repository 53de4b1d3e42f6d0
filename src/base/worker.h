/* A worker process with a deadline, written once for the optimisers'
 * solvers (CBC in src/schedule and src/roster): the work runs in a forked
 * child that writes its answer to a pipe; the parent reads it on the
 * monotonic clock and kills the child when the deadline passes, so a
 * crash or a runaway search never takes the caller down. */
#ifndef LINLI_BASE_WORKER_H
#define LINLI_BASE_WORKER_H

#include <stddef.h>

/* lin_worker_run forks; the child calls work(arg, fd) with the pipe's
 * writing end, which must end the child with _exit (0 for a good answer).
 * The parent reads everything written, up to max bytes, until the child
 * closes the pipe or seconds pass (then kills it), and reaps it.
 * OUT: *data (malloc'd, the caller frees, also on failure), *len, *status
 * (waitpid's). Returns 0 when the child closed the pipe, 1 when it was
 * killed at the deadline, -1 when the pipe, the fork or a read failed. */
int lin_worker_run(void (*work)(void *arg, int fd), void *arg, double seconds, size_t max,
		   char **data, size_t *len, int *status);
/* lin_write_all writes n bytes to fd, going on after EINTR and short
 * writes; 0 or -1. */
int lin_write_all(int fd, const void *p, size_t n);
/* lin_monotonic: seconds on the monotonic clock. */
double lin_monotonic(void);

#endif
