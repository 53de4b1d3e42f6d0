/* HTTP test harness: starts the real linli server on a free loopback port
 * over a fresh database holding the demo area, and drives it with libcurl.
 * Each client keeps its own cookie jar, like one browser. */
#ifndef LINLI_TESTS_HTTP_HARNESS_H
#define LINLI_TESTS_HTTP_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct server {
	pid_t pid;     /* the linli serve process */
	char dir[256]; /* temporary folder for the database and logs */
	char db[1024]; /* storage URL */
	char url[128]; /* http://127.0.0.1:PORT */
};

struct response {
	long status;   /* HTTP status */
	char *body;    /* body, NUL-terminated (owned) */
	size_t len;    /* bytes in body */
	char *headers; /* raw response headers (owned) */
};

struct client {
	void *curl;	  /* CURL handle with an in-memory cookie jar */
	char csrf[128];	  /* the session's CSRF token after client_login */
	const char *lang; /* Accept-Language to send, or NULL */
};

/* server_extra_args: more arguments for `linli serve`, NULL-terminated;
 * set before server_start. */
extern const char *server_extra_args[8];
/* server_subcommand: what server_spawn runs, "serve" when NULL ("demo" to
 * serve the demo as `linli demo` does). */
extern const char *server_subcommand;
/* server_start: a fresh database (SQLite in dir, or LINLI_TEST_DB_URL when
 * set and fresh_pg is 1), the demo area loaded, the server listening. */
int server_start(struct server *s);
/* server_spawn starts `linli serve` again on the server's database (after
 * server_kill), on a new port; server_kill ends it with SIGKILL. */
int server_spawn(struct server *s);
void server_kill(struct server *s);
void server_stop(struct server *s);
/* run_cli runs `linli ARGS...` against the server's database with stdin
 * from input (may be NULL); returns the exit status and the combined output
 * in *out (caller frees). */
int run_cli(struct server *s, const char *input, char **out, ...);

void client_init(struct client *c);
void client_release(struct client *c);
/* request: method, path, body (NULL for none) with content type; extra is
 * one more header line or NULL. Caller frees with response_release. */
int request(struct client *c, struct server *s, const char *method, const char *path,
	    const char *body, const char *content_type, const char *extra, struct response *r);
/* request_bytes: request with a body of len bytes (binary uploads). */
int request_bytes(struct client *c, struct server *s, const char *method, const char *path,
		  const void *body, size_t len, const char *content_type, const char *extra,
		  struct response *r);
/* api: a JSON request that sends the client's CSRF token. */
int api(struct client *c, struct server *s, const char *method, const char *path, const char *json,
	struct response *r);
/* client_login signs in through POST /api/v1/login; returns the status. */
long client_login(struct client *c, struct server *s, const char *user, const char *password);
void response_release(struct response *r);
/* header_value: the value of a response header (into out), or NULL. */
const char *header_value(const struct response *r, const char *name, char *out, size_t n);

#endif
