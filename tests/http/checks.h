/* What the HTTP test programs share beyond the harness: the one server a
 * program runs against, cmocka setup and teardown for it, signing in as a
 * demo account, and reading values out of a JSON answer. */
#ifndef LINLI_TESTS_HTTP_CHECKS_H
#define LINLI_TESTS_HTTP_CHECKS_H

#include "harness.h"

#include <stddef.h>

/* The tests build requests and expected text with snprintf into fixed
 * buffers: a cut string fails the comparison that follows, which is all a
 * test needs. GCC's deeper look at -O3 (the release build of `make demo`
 * and `make bench`) calls each such call, and one false overlap in
 * http_xss, an error; the debug and sanitizer builds never did. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

/* The server of this test program (started by srv_setup). */
extern struct server srv;

/* The eight demo accounts, one per role, in the roles' order: admin,
 * secretary, staff, Party member, volunteer, resident, unit liaison,
 * agency. Tables of "one letter per role" follow this order. */
#define NDEMO_USERS 8
extern const char *const demo_users[NDEMO_USERS];

/* cmocka group setup/teardown: start and stop srv. */
int srv_setup(void **state);
int srv_teardown(void **state);
/* login_as signs c in as a demo account (password pushan-USER); fails the
 * test otherwise. */
void login_as(struct client *c, const char *user);
/* json_int: the integer after the first "key": in body; fails if absent. */
long long json_int(const char *body, const char *key);
/* json_str: the string after the first "key":" in body, into out. */
void json_str(const char *body, const char *key, char *out, size_t n);
/* sql_query runs statements on the server's database with the engine's own
 * client (sqlite3 or psql), for what no endpoint does (backdating a
 * deadline, reading the audit log); the first column of the first row, if
 * any, goes to out (may be NULL). sql_exec runs them for their effect. */
void sql_query(char *out, size_t n, const char *statements);
void sql_exec(const char *statements);
/* sql_try runs them and gives the client's exit status (0: they ran; a
 * statement the database refused is not 0), for checking a refusal. */
int sql_try(const char *statements);

/* free_port: a loopback port nobody listens on now (or -1), for a peer a
 * test starts (a broker, a proxy). port_accepts: something accepts
 * connections on loopback port now. */
int free_port(void);
int port_accepts(int port);

/* hj212_crc: HJ 212's CRC-16 (reflected 0xA001, initial 0xFFFF), written
 * here from the standard rather than taken from src/. */
unsigned hj212_crc(const char *d, size_t n);

#endif
