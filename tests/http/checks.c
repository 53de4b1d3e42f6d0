/* Shared test helpers; see checks.h. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

struct server srv;

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
