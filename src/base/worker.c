/* A worker process with a deadline; see worker.h. */
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double lin_monotonic(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int lin_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* read_until reads fd until EOF (0), the deadline (1) or an error (-1). */
static int read_until(int fd, double deadline, size_t max, char **data, size_t *len)
{
	size_t cap = 4096;

	*len = 0;
	*data = malloc(cap);
	if (!*data)
		return -1;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		double left = deadline - lin_monotonic();
		ssize_t got;
		int n;
		if (left <= 0)
			return 1;
		n = poll(&p, 1, left > 1e6 ? 1000000000 : (int)(left * 1000.0) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			continue;
		if (*len == cap) {
			char *more = cap >= max ? NULL : realloc(*data, cap * 2);
			if (!more)
				return -1;
			*data = more;
			cap *= 2;
		}
		got = read(fd, *data + *len, cap - *len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			return 0;
		*len += (size_t)got;
	}
}

int lin_worker_run(void (*work)(void *arg, int fd), void *arg, double seconds, size_t max,
		   char **data, size_t *len, int *status)
{
	double deadline = lin_monotonic() + seconds;
	int fds[2], got;
	pid_t pid;

	*data = NULL;
	*len = 0;
	*status = 0;
	if (pipe2(fds, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		work(arg, fds[1]);
		_exit(5); /* work must not return */
	}
	close(fds[1]);
	got = read_until(fds[0], deadline, max, data, len);
	close(fds[0]);
	if (got)
		kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return got;
}
