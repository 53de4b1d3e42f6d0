/* HTTP test harness; see harness.h. */
#include "harness.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *linli_bin(void)
{
	const char *b = getenv("LINLI_BIN");
	return b ? b : "./linli";
}

static char *read_all(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 1024) {
			char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

int run_cli(struct server *s, const char *input, char **out, ...)
{
	const char *argv[32];
	int argc = 0, inpipe[2], outpipe[2], status;
	va_list ap;
	pid_t pid;
	char dbflag[1100];

	argv[argc++] = linli_bin();
	va_start(ap, out);
	for (const char *a; argc < 28 && (a = va_arg(ap, const char *));)
		argv[argc++] = a;
	va_end(ap);
	snprintf(dbflag, sizeof(dbflag), "%s", s->db);
	argv[argc++] = "--db";
	argv[argc++] = dbflag;
	argv[argc] = NULL;
	if (pipe(inpipe) || pipe(outpipe))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(inpipe[0], 0);
		dup2(outpipe[1], 1);
		dup2(outpipe[1], 2);
		close(inpipe[1]);
		close(outpipe[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(inpipe[0]);
	close(outpipe[1]);
	if (input && write(inpipe[1], input, strlen(input)) < 0)
		perror("write");
	close(inpipe[1]);
	*out = read_all(outpipe[0]);
	close(outpipe[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

const char *server_extra_args[8];
const char *server_subcommand;

int server_start(struct server *s)
{
	const char *pg = getenv("LINLI_TEST_DB_URL");
	char *out = NULL;
	int rc;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "/tmp/linli-http.XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	if (pg && *pg)
		snprintf(s->db, sizeof(s->db), "%s", pg);
	else
		snprintf(s->db, sizeof(s->db), "sqlite:%s/test.db", s->dir);
	rc = run_cli(s, NULL, &out, "demo", "--no-serve", "--no-history", NULL);
	if (rc) {
		fprintf(stderr, "# linli demo failed (%d): %s\n", rc, out ? out : "");
		free(out);
		return -1;
	}
	free(out);
	return server_spawn(s);
}

int server_spawn(struct server *s)
{
	char line[512], logpath[300];
	int outpipe[2];
	FILE *f;

	s->url[0] = '\0';
	if (pipe(outpipe))
		return -1;
	snprintf(logpath, sizeof(logpath), "%s/server.log", s->dir);
	s->pid = fork();
	if (s->pid == 0) {
		int logfd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		dup2(outpipe[1], 1);
		if (logfd >= 0)
			dup2(logfd, 2);
		close(outpipe[0]);
		/* Tests file many anonymous reports from 127.0.0.1; the one that
		 * tests the budget sets it before server_start. */
		setenv("LINLI_ANON_WRITE_LIMIT", "1000000", 0);
		const char *argv[16] = {
		    linli_bin(), server_subcommand ? server_subcommand : "serve",
		    "--db",	 s->db,
		    "--listen",	 "127.0.0.1:0",
		    "--threads", "4"};
		int argc = 8;
		for (int i = 0; server_extra_args[i] && argc < 15; i++)
			argv[argc++] = server_extra_args[i];
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(outpipe[1]);
	f = fdopen(outpipe[0], "r");
	if (!f)
		return -1;
	/* The server prints its URL once it listens; nothing else comes. */
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "http://");
		if (p) {
			size_t n = strlen(p);
			while (n && (p[n - 1] == '\n' || p[n - 1] == '/'))
				p[--n] = '\0';
			snprintf(s->url, sizeof(s->url), "%s", p);
			break;
		}
	}
	fclose(f);
	if (!s->url[0])
		fprintf(stderr, "# server did not start; see %s\n", logpath);
	return s->url[0] ? 0 : -1;
}

void server_kill(struct server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	s->pid = 0;
}

void server_stop(struct server *s)
{
	char cmd[600];
	int status = 0;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &status, 0);
		/* A sanitizer report or crash at shutdown is a failure too. */
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			char logpath[300];
			snprintf(logpath, sizeof(logpath), "%s/server.log", s->dir);
			fprintf(stderr, "# server exited badly (status %d); log:\n", status);
			snprintf(cmd, sizeof(cmd), "sed 's/^/# /' %s >&2", logpath);
			if (system(cmd))
				fprintf(stderr, "# (log unavailable)\n");
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", s->dir);
	if (system(cmd))
		fprintf(stderr, "# could not remove %s\n", s->dir);
	s->pid = 0;
}

void client_init(struct client *c)
{
	memset(c, 0, sizeof(*c));
	c->curl = curl_easy_init();
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, ""); /* in-memory cookie jar */
	curl_easy_setopt(c->curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
}

void client_release(struct client *c)
{
	curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

struct sink {
	char *data;
	size_t len;
};

static size_t sink_write(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct sink *k = userdata;
	size_t n = size * nmemb;
	char *p = realloc(k->data, k->len + n + 1);

	if (!p)
		return 0;
	memcpy(p + k->len, ptr, n);
	k->len += n;
	p[k->len] = '\0';
	k->data = p;
	return n;
}

int request(struct client *c, struct server *s, const char *method, const char *path,
	    const char *body, const char *content_type, const char *extra, struct response *r)
{
	return request_bytes(c, s, method, path, body, body ? strlen(body) : 0, content_type, extra,
			     r);
}

int request_bytes(struct client *c, struct server *s, const char *method, const char *path,
		  const void *body, size_t len, const char *content_type, const char *extra,
		  struct response *r)
{
	struct curl_slist *hdrs = NULL;
	struct sink b = {0}, h = {0};
	char url[2048], line[512];
	CURLcode cc;

	memset(r, 0, sizeof(*r));
	snprintf(url, sizeof(url), "%s%s", s->url, path);
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY, !strcmp(method, "HEAD") ? 1L : 0L);
	curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
	if (body) {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	}
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	if (content_type) {
		snprintf(line, sizeof(line), "Content-Type: %s", content_type);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (c->lang) {
		snprintf(line, sizeof(line), "Accept-Language: %s", c->lang);
		hdrs = curl_slist_append(hdrs, line);
	}
	if (extra)
		hdrs = curl_slist_append(hdrs, extra);
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, sink_write);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &h);
	cc = curl_easy_perform(c->curl);
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hdrs);
	r->body = b.data ? b.data : calloc(1, 1);
	r->len = b.len;
	r->headers = h.data ? h.data : calloc(1, 1);
	if (cc != CURLE_OK) {
		fprintf(stderr, "# %s %s: %s\n", method, path, curl_easy_strerror(cc));
		return -1;
	}
	return 0;
}

int api(struct client *c, struct server *s, const char *method, const char *path, const char *json,
	struct response *r)
{
	char hdr[200];

	snprintf(hdr, sizeof(hdr), "X-CSRF-Token: %s", c->csrf);
	return request(c, s, method, path, json, json ? "application/json" : NULL,
		       c->csrf[0] ? hdr : NULL, r);
}

long client_login(struct client *c, struct server *s, const char *user, const char *password)
{
	struct response r;
	char body[512];
	long status;
	const char *p;

	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
	if (request(c, s, "POST", "/api/v1/login", body, "application/json", NULL, &r))
		return -1;
	status = r.status;
	p = strstr(r.body, "\"csrf_token\":\"");
	if (status == 200 && p) {
		p += 14;
		size_t n = strcspn(p, "\"");
		snprintf(c->csrf, sizeof(c->csrf), "%.*s", (int)n, p);
	}
	response_release(&r);
	return status;
}

void response_release(struct response *r)
{
	free(r->body);
	free(r->headers);
	r->body = r->headers = NULL;
}

const char *header_value(const struct response *r, const char *name, char *out, size_t n)
{
	size_t len = strlen(name);

	for (const char *p = r->headers; p && *p;) {
		const char *eol = strchr(p, '\n');
		if (!strncasecmp(p, name, len) && p[len] == ':') {
			const char *v = p + len + 1;
			while (*v == ' ')
				v++;
			size_t vn = (size_t)((eol ? eol : v + strlen(v)) - v);
			while (vn && (v[vn - 1] == '\r' || v[vn - 1] == '\n'))
				vn--;
			snprintf(out, n, "%.*s", (int)vn, v);
			return out;
		}
		p = eol ? eol + 1 : NULL;
	}
	return NULL;
}
