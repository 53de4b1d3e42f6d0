/* Accounts, sessions, CSRF, API tokens and login throttling.
 * Passwords: libsodium argon2id. Session and API tokens: 256 random bits,
 * stored only as a BLAKE2b hash. */
#ifndef LINLI_WEB_AUTH_H
#define LINLI_WEB_AUTH_H

#include "http.h"

#include <stdint.h>
#include <stdio.h>

#define AUTH_SESSION_COOKIE    "linli_session"
#define AUTH_SESSION_SECONDS   (7 * 24 * 3600)
#define AUTH_FAILS_PER_ACCOUNT 5   /* failures per account per window */
#define AUTH_FAILS_PER_ADDRESS 20  /* failures per address per window */
#define AUTH_FAIL_WINDOW       900 /* seconds */
#define AUTH_MIN_PASSWORD      8   /* characters */

/* auth_init: call once before threads start (initialises libsodium). */
int auth_init(void);
int auth_hash_password(const char *password, char *out, size_t outlen);
int auth_verify_password(const char *hash, const char *password);
/* auth_new_token writes a fresh URL-safe random token (at least 48 bytes). */
int auth_new_token(char *out, size_t outlen);
/* auth_token_hash writes the hex BLAKE2b-256 of token (65 bytes). */
void auth_token_hash(const char *token, char out[65]);

/* auth_token_session fills req->sess from an API token given some other way
 * than the Authorization header (Open311's api_key); kind stays AUTH_NONE
 * when the token is unknown or revoked. */
int auth_token_session(struct http_req *req, const char *token);
/* auth_load fills req->sess from a Bearer token or the session cookie. */
int auth_load(struct http_req *req);
/* auth_csrf_ok: a state-changing request carries the session's token in
 * X-CSRF-Token or the _csrf form field. */
int auth_csrf_ok(struct http_req *req);
/* auth_login checks the password (with throttling) and opens a session:
 * LIN_EAUTH on a bad name or password, LIN_ELIMIT when throttled. On
 * success req->sess is the new session and *cookie the Set-Cookie value. */
int auth_login(struct http_req *req, const char *username, const char *password,
	       const char **cookie);
/* auth_session_open opens a session for user_id holding role in
 * area_id, an account proven some other way than a password (the
 * residents' portal's one-time code), audited as a login. On success
 * req->sess is the new session and *cookie the Set-Cookie value. */
int auth_session_open(struct http_req *req, int64_t user_id, const char *username, int64_t area_id,
		      enum role role, const char **cookie);
/* auth_logout ends the session and returns the cookie that clears it. */
const char *auth_logout(struct http_req *req);

/* Account administration (CLI and admin pages). */
/* auth_user_add creates an account holding role in the area, optionally linked
 * to one of the area's residents (resident_id 0 for none): LIN_EINVAL for a
 * bad name or short password, LIN_ECONFLICT when the name is taken,
 * LIN_ENOTFOUND when the resident is not in the area. */
int auth_user_add(struct db *db, const char *username, const char *password, enum role role,
		  int64_t area_id, int64_t resident_id, int64_t *out_id);
/* auth_user_set_name sets the name pages show for an account (the duty
 * rota, the timeline) in one transaction with its audit entry; actor
 * names who did it. LIN_EINVAL for an empty or over-long name (64
 * characters), LIN_ENOTFOUND for no such account. */
int auth_user_set_name(struct db *db, const char *username, const char *display_name,
		       const char *actor);
int auth_user_set_password(struct db *db, const char *username, const char *password);

/* token_add creates an API token and returns it once in *out (caller frees). */
int token_add(struct db *db, const char *name, enum role role, int64_t area_id, char **out,
	      int64_t *out_id);
/* token_list writes one line per token (id, name, role, area, created,
 * state) to out; never the token itself, which is not stored. */
int token_list(struct db *db, FILE *out);
int token_revoke(struct db *db, int64_t id);
/* area_id_by_code: the id of the area with this code (LIN_ENOTFOUND if none). */
int area_id_by_code(struct db *db, const char *code, int64_t *out);
/* area_resolve: the area a request or command means: the one with this
 * code, or, when code is NULL or "", the only area there is. Returns 0;
 * LIN_ENOTFOUND when no area has the code (or there is none);
 * LIN_ECONFLICT when no code was given and there are several. When name is
 * not NULL, the area's name is copied there (cut to n - 1 bytes). */
int area_resolve(struct db *db, const char *code, int64_t *out, char *name, size_t n);
/* area_create adds an area (code, name) in a new street and district
 * named street and district, whose codes are derived from the area's
 * ("CODE-street", "CODE-district"), in one transaction with an audit
 * entry (actor: "cli", ...). OUT: *id. */
int area_create(struct db *db, const char *code, const char *name, const char *street,
		const char *district, const char *actor, int64_t *id);
/* area_title writes "STREET · AREA" for the area into out ("" when
 * unknown). */
int area_title(struct db *db, int64_t area_id, char *out, size_t n);
/* area_code writes the area's code into out; LIN_ENOTFOUND when unknown. */
int area_code(struct db *db, int64_t area_id, char *out, size_t n);

/* ---- streets and districts (scope of street_staff, district_staff) ---- */

/* scope_by_code: the street (role ROLE_STREET_STAFF) or, failing that, the
 * district (ROLE_DISTRICT_STAFF) with this code: its kind in *kind, id in
 * *id, name into name (cut to n - 1 bytes; may be NULL). LIN_ENOTFOUND
 * when neither has the code. */
int scope_by_code(struct db *db, const char *code, enum role *kind, int64_t *id, char *name,
		  size_t n);
/* scope_name: the street's (kind ROLE_STREET_STAFF) or district's name
 * into out; LIN_ENOTFOUND when unknown. */
int scope_name(struct db *db, enum role kind, int64_t id, char *out, size_t n);
/* scope_areas: the ids of the areas under the street (kind
 * ROLE_STREET_STAFF) or district (ROLE_DISTRICT_STAFF) id, ordered by
 * code, in an array from arena a. OUT: *ids, *n (0 for an unknown scope). */
struct arena;
int scope_areas(struct db *db, enum role kind, int64_t id, struct arena *a, int64_t **ids, int *n);
/* scope_holds: 1 when area_id is under the session's street or district. */
int scope_holds(struct db *db, const struct session *sess, int64_t area_id);
/* auth_user_add_scope creates an account acting for a street or district:
 * role is ROLE_STREET_STAFF with a street's id or ROLE_DISTRICT_STAFF
 * with a district's, in one transaction with its audit entry (actor names
 * who did it). LIN_EINVAL for another role, a bad name or short password,
 * LIN_ENOTFOUND for no such street or district, LIN_ECONFLICT when the
 * name is taken. OUT: *out_id (may be NULL). */
int auth_user_add_scope(struct db *db, const char *username, const char *password, enum role role,
			int64_t scope_id, const char *actor, int64_t *out_id);
/* auth_session_move moves the signed-in session of a street or district
 * account into area_id (which must be in its scope: LIN_EPERM otherwise):
 * it takes the account's own role there when it holds one, else its
 * scope's read-only role. req->sess follows. */
int auth_session_move(struct http_req *req, int64_t area_id);

#endif
