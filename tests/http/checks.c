/* Shared test helpers; see checks.h. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

struct server srv;

const char *const demo_users[NDEMO_USERS] = {"admin",	  "secretary", "staff",	  "member",
					     "volunteer", "resident",  "liaison", "agency"};

int srv_setup(void **state)
{
	(void)state;
	return server_start(&srv);
}

int srv_teardown(void **state)
{
	(void)state;
	server_stop(&srv);
	return 0;
}

void login_as(struct client *c, const char *user)
{
	char pw[64];

	snprintf(pw, sizeof(pw), "pushan-%s", user);
	client_init(c);
	assert_int_equal(client_login(c, &srv, user, pw), 200);
}

long long json_int(const char *body, const char *key)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(body, pat);
	if (!p)
		fail_msg("no %s in %s", key, body);
	return strtoll(p + strlen(pat), NULL, 10);
}

void json_str(const char *body, const char *key, char *out, size_t n)
{
	char pat[80];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(body, pat);
	if (!p)
		fail_msg("no %s in %s", key, body);
	p += strlen(pat);
	snprintf(out, n, "%.*s", (int)strcspn(p, "\""), p);
}

/* sql_run writes statements to a file in the server's folder and runs
 * them with the engine's own client (sqlite3 or psql), for what no
 * endpoint does (backdating a deadline, reading the audit log). The
 * first column of the first row, if any, goes to out; the client's exit
 * status is returned (sql_query asserts it is 0). */
static int sql_run(char *out, size_t n, const char *statements)
{
	char path[300], cmd[1500], line[256] = "";
	FILE *f, *p;
	int status;

	snprintf(path, sizeof(path), "%s/statements.sql", srv.dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(statements, f);
	fclose(f);
	if (!strncmp(srv.db, "sqlite:", 7))
		snprintf(cmd, sizeof(cmd), "sqlite3 -cmd '.timeout 10000' '%s' < '%s'", srv.db + 7,
			 path);
	else
		snprintf(cmd, sizeof(cmd), "psql -q -A -t -v ON_ERROR_STOP=1 '%s' -f '%s'", srv.db,
			 path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	while (fgetc(p) != EOF)
		;
	status = pclose(p);
	line[strcspn(line, "\r\n")] = '\0';
	if (out)
		snprintf(out, n, "%s", line);
	return status;
}

void sql_query(char *out, size_t n, const char *statements)
{
	assert_int_equal(sql_run(out, n, statements), 0);
}

int sql_try(const char *statements)
{
	return sql_run(NULL, 0, statements);
}

void sql_exec(const char *statements)
{
	sql_query(NULL, 0, statements);
}

int free_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

int port_accepts(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ok = fd >= 0 && !connect(fd, (struct sockaddr *)&a, sizeof(a));
	if (fd >= 0)
		close(fd);
	return ok;
}

unsigned hj212_crc(const char *d, size_t n)
{
	unsigned r = 0xFFFF;

	for (size_t i = 0; i < n; i++) {
		r = (r >> 8) ^ (unsigned char)d[i];
		for (int b = 0; b < 8; b++)
			r = (r & 1) ? (r >> 1) ^ 0xA001 : r >> 1;
	}
	return r;
}
