/* Change notifications between servers: db_notify tells whoever listens
 * that something changed; a listener hears it. On PostgreSQL that is
 * NOTIFY/LISTEN, so every process sharing the database hears every other
 * (the listener has its own connection); on SQLite, where the servers of
 * one database are one process, the listeners of this process hear it
 * through a pipe each. A notification is a hint: one may be lost (a full
 * pipe, a dropped connection), so a listener's owner also polls. */
#include "driver.h"
#include "../base/err.h"
#include "../base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LISTEN_LINE_MAX 256 /* a payload longer than this is cut */

struct db_listener {
	PGconn *conn;		    /* PostgreSQL: its own connection LISTENing, else NULL */
	int pipe[2];		    /* SQLite: db_notify writes "payload\n" into pipe[1] */
	char channel[64];	    /* what it listens to */
	char line[LISTEN_LINE_MAX]; /* SQLite: a payload read in part */
	size_t nline;		    /* bytes in line */
	struct db_listener *next;   /* SQLite: the next listener of this process */
};

/* SQLite's listeners in this process (process-wide: see
 * docs/architecture.md). */
static pthread_mutex_t local_lock = PTHREAD_MUTEX_INITIALIZER;
static struct db_listener *local_listeners;

/* channel_ok: a plain lower-case name, safe in LISTEN without quoting. */
static int channel_ok(const char *channel)
{
	size_t n = strlen(channel);

	if (!n || n >= 64)
		return 0;
	return strspn(channel, "abcdefghijklmnopqrstuvwxyz_") == n;
}

int db_notify(struct db *db, const char *channel, const char *payload)
{
	if (!channel_ok(channel))
		return LIN_EINVAL;
	if (db_engine(db) == DB_POSTGRES)
		return db_query_row(db, "SELECT 1 FROM (SELECT pg_notify(?, ?)) AS n", NULL, "tt",
				    channel, payload);
	pthread_mutex_lock(&local_lock);
	for (struct db_listener *l = local_listeners; l; l = l->next) {
		char line[LISTEN_LINE_MAX + 1];
		int n = snprintf(line, sizeof(line), "%.*s\n", LISTEN_LINE_MAX - 1, payload);
		if (strcmp(l->channel, channel))
			continue;
		/* A full pipe drops the hint; the listener's owner polls anyway. */
		if (write(l->pipe[1], line, (size_t)n) < 0 && errno != EAGAIN)
			log_debug("db: notify %s: %s", channel, strerror(errno));
	}
	pthread_mutex_unlock(&local_lock);
	return 0;
}

int db_listen(const char *url, const char *channel, struct db_listener **out)
{
	struct db_listener *l;
	char sql[96];

	*out = NULL;
	if (!channel_ok(channel))
		return LIN_EINVAL;
	l = calloc(1, sizeof(*l));
	if (!l)
		return LIN_ENOMEM;
	snprintf(l->channel, sizeof(l->channel), "%s", channel);
	l->pipe[0] = l->pipe[1] = -1;
	if (url && (!strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13))) {
		PGresult *res;
		l->conn = PQconnectdb(url);
		if (PQstatus(l->conn) != CONNECTION_OK) {
			log_warn("db: listener cannot connect: %s", PQerrorMessage(l->conn));
			PQfinish(l->conn);
			free(l);
			return LIN_EDB;
		}
		snprintf(sql, sizeof(sql), "LISTEN %s", channel);
		res = PQexec(l->conn, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			log_warn("db: %s: %s", sql, PQerrorMessage(l->conn));
			PQclear(res);
			PQfinish(l->conn);
			free(l);
			return LIN_EDB;
		}
		PQclear(res);
		*out = l;
		return 0;
	}
	if (pipe(l->pipe)) {
		free(l);
		return LIN_EIO;
	}
	for (int i = 0; i < 2; i++)
		fcntl(l->pipe[i], F_SETFL, fcntl(l->pipe[i], F_GETFL) | O_NONBLOCK);
	pthread_mutex_lock(&local_lock);
	l->next = local_listeners;
	local_listeners = l;
	pthread_mutex_unlock(&local_lock);
	*out = l;
	return 0;
}

int db_listener_fd(const struct db_listener *l)
{
	return l->conn ? PQsocket(l->conn) : l->pipe[0];
}

int db_listener_hears_others(const struct db_listener *l)
{
	return l->conn != NULL;
}

/* local_drain: the pipe's whole lines, each to fn. */
static int local_drain(struct db_listener *l, void (*fn)(void *ctx, const char *payload), void *ctx)
{
	char chunk[4096];
	ssize_t got;

	while ((got = read(l->pipe[0], chunk, sizeof(chunk))) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (chunk[i] != '\n') {
				if (l->nline + 1 < sizeof(l->line))
					l->line[l->nline++] = chunk[i];
				continue;
			}
			l->line[l->nline] = '\0';
			fn(ctx, l->line);
			l->nline = 0;
		}
	}
	return got == 0 ? LIN_EIO : 0;
}

int db_listener_drain(struct db_listener *l, void (*fn)(void *ctx, const char *payload), void *ctx)
{
	PGnotify *n;

	if (!l->conn)
		return local_drain(l, fn, ctx);
	if (!PQconsumeInput(l->conn) || PQstatus(l->conn) != CONNECTION_OK) {
		log_warn("db: listener lost its connection: %s", PQerrorMessage(l->conn));
		return LIN_EIO;
	}
	while ((n = PQnotifies(l->conn))) {
		fn(ctx, n->extra);
		PQfreemem(n);
	}
	return 0;
}

void db_listener_close(struct db_listener *l)
{
	if (!l)
		return;
	if (l->conn) {
		PQfinish(l->conn);
	} else {
		pthread_mutex_lock(&local_lock);
		for (struct db_listener **p = &local_listeners; *p; p = &(*p)->next)
			if (*p == l) {
				*p = l->next;
				break;
			}
		pthread_mutex_unlock(&local_lock);
		close(l->pipe[0]);
		close(l->pipe[1]);
	}
	free(l);
}
