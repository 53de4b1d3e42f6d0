/* Accounts, sessions, tokens and throttling; see auth.h. */
#include "auth.h"
#include "audit.h"
#include "server.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/log.h"
#include "../db/db.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* A hash of a random password, checked against when the user name is
 * unknown so that both answers take as long. Set once by auth_init. */
static char auth_dummy_hash[crypto_pwhash_STRBYTES];

int auth_init(void)
{
	char pw[64];

	if (sodium_init() < 0)
		return LIN_ENOMEM;
	if (auth_dummy_hash[0])
		return 0;
	auth_new_token(pw, sizeof(pw));
	return auth_hash_password(pw, auth_dummy_hash, sizeof(auth_dummy_hash));
}

static size_t utf8_chars_or_zero(const char *s)
{
	return s ? utf8_chars(s) : 0;
}

int auth_hash_password(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return LIN_EINVAL;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return LIN_ENOMEM;
	return 0;
}

int auth_verify_password(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

int auth_new_token(char *out, size_t outlen)
{
	unsigned char raw[32];
	size_t need =
	    sodium_base64_encoded_len(sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);

	if (outlen < need)
		return LIN_EINVAL;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outlen, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

void auth_token_hash(const char *token, char out[65])
{
	unsigned char digest[32];
	crypto_generichash(digest, sizeof(digest), (const unsigned char *)token, strlen(token),
			   NULL, 0);
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

static int load_token(struct http_req *req, const char *token)
{
	struct db_stmt *st = NULL;
	char hash[65];
	int rc;

	auth_token_hash(token, hash);
	rc = db_prepare(req->db,
			"SELECT id, name, area_id, role FROM api_tokens"
			" WHERE token_hash = ? AND revoked_at IS NULL",
			&st);
	if (rc)
		return rc;
	db_bind_text(st, 1, hash);
	if (db_step(st) == DB_ROW) {
		req->sess.kind = AUTH_TOKEN;
		req->sess.token_id = db_column_int64(st, 0);
		req->sess.name = arena_strdup(req->arena, db_column_text(st, 1));
		req->sess.area_id = db_column_int64(st, 2);
		req->sess.role = role_from_name(db_column_text(st, 3));
	}
	db_finalize(st);
	return 0;
}

static int load_cookie(struct http_req *req, const char *token)
{
	struct db_stmt *st = NULL;
	char hash[65];
	int rc;

	auth_token_hash(token, hash);
	rc = db_prepare(req->db,
			"SELECT s.user_id, u.username, s.area_id, s.role, s.csrf_token,"
			" s.scope_role, s.scope_id FROM sessions s JOIN users u ON u.id = s.user_id"
			" WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0",
			&st);
	if (rc)
		return rc;
	db_bind_text(st, 1, hash);
	db_bind_int64(st, 2, (int64_t)time(NULL));
	if (db_step(st) == DB_ROW) {
		req->sess.kind = AUTH_COOKIE;
		req->sess.user_id = db_column_int64(st, 0);
		req->sess.name = arena_strdup(req->arena, db_column_text(st, 1));
		req->sess.area_id = db_column_int64(st, 2);
		req->sess.role = role_from_name(db_column_text(st, 3));
		req->sess.csrf = arena_strdup(req->arena, db_column_text(st, 4));
		req->sess.scope_role = role_from_name(db_column_text(st, 5));
		req->sess.scope_id = db_column_int64(st, 6);
		if (!role_is_region(req->sess.scope_role))
			req->sess.scope_role = ROLE_NONE;
	}
	db_finalize(st);
	return 0;
}

int auth_token_session(struct http_req *req, const char *token)
{
	memset(&req->sess, 0, sizeof(req->sess));
	return token && *token ? load_token(req, token) : 0;
}

int auth_load(struct http_req *req)
{
	const char *authz = req_header(req, "Authorization");
	const char *cookie;

	memset(&req->sess, 0, sizeof(req->sess));
	if (authz && !strncasecmp(authz, "Bearer ", 7))
		return load_token(req, authz + 7);
	cookie = req_cookie(req, AUTH_SESSION_COOKIE);
	if (cookie && *cookie)
		return load_cookie(req, cookie);
	return 0;
}

int auth_scope(struct http_req *req)
{
	int64_t *ids = NULL, *all;
	int n = 0, rc;

	if (req->sess.kind == AUTH_NONE)
		return db_scope_set(req->db, NULL, -1);
	if (!req->sess.scope_id)
		return db_scope_set(req->db, &req->sess.area_id, 1);
	/* A street's or district's account: the areas under it, and the
	 * area it acts in (one where it holds a role of its own may lie
	 * outside). Those are read without the fence: areas is a
	 * reference table. */
	rc = scope_areas(req->db, req->sess.scope_role, req->sess.scope_id, req->arena, &ids, &n);
	if (rc)
		return rc;
	all = arena_alloc(req->arena, ((size_t)n + 1) * sizeof(*all));
	if (!all)
		return LIN_ENOMEM;
	for (int i = 0; i < n; i++)
		all[i] = ids[i];
	all[n] = req->sess.area_id;
	return db_scope_set(req->db, all, n + 1);
}

int auth_csrf_ok(struct http_req *req)
{
	const char *sent = req_header(req, "X-CSRF-Token");
	size_t n;

	if (!sent)
		sent = req_form(req, "_csrf");
	if (!sent || !req->sess.csrf)
		return 0;
	n = strlen(req->sess.csrf);
	return strlen(sent) == n && sodium_memcmp(sent, req->sess.csrf, n) == 0;
}

static int count_failures(struct db *db, const char *column, const char *value, int64_t *n)
{
	struct db_stmt *st = NULL;
	const char *sql = !strcmp(column, "username")
			      ? "SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ?"
			      : "SELECT COUNT(*) FROM login_failures WHERE address = ? AND at > ?";
	int rc = db_prepare(db, sql, &st);

	*n = 0;
	if (rc)
		return rc;
	db_bind_text(st, 1, value);
	db_bind_int64(st, 2, (int64_t)time(NULL) - AUTH_FAIL_WINDOW);
	if (db_step(st) == DB_ROW)
		*n = db_column_int64(st, 0);
	db_finalize(st);
	return 0;
}

static void record_failure(struct db *db, const char *username, const char *address)
{
	struct db_stmt *st = NULL;
	if (db_prepare(db, "INSERT INTO login_failures (username, address, at) VALUES (?, ?, ?)",
		       &st))
		return;
	db_bind_text(st, 1, username);
	db_bind_text(st, 2, address);
	db_bind_int64(st, 3, (int64_t)time(NULL));
	db_step(st);
	db_finalize(st);
	/* Failures older than the window count for nothing: drop them. */
	if (db_prepare(db, "DELETE FROM login_failures WHERE at <= ?", &st))
		return;
	db_bind_int64(st, 1, (int64_t)time(NULL) - AUTH_FAIL_WINDOW);
	db_step(st);
	db_finalize(st);
}

/* open_session: scope_role and scope_id are the street's or district's
 * (ROLE_NONE, 0 for an account of areas only). */
static int open_session(struct http_req *req, int64_t user_id, const char *username,
			int64_t area_id, const char *role, enum role scope_role, int64_t scope_id,
			const char **cookie)
{
	struct db_stmt *st = NULL;
	char token[64], csrf[64], hash[65];
	int64_t now = (int64_t)time(NULL);
	int rc;

	auth_new_token(token, sizeof(token));
	auth_new_token(csrf, sizeof(csrf));
	auth_token_hash(token, hash);
	rc = db_begin(req->db);
	if (rc)
		return rc;
	rc = db_prepare(req->db,
			"INSERT INTO sessions (token_hash, user_id, area_id, role, csrf_token,"
			" address, created_at, expires_at, scope_role, scope_id)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&st);
	if (rc)
		goto fail;
	db_bind_text(st, 1, hash);
	db_bind_int64(st, 2, user_id);
	db_bind_int64(st, 3, area_id);
	db_bind_text(st, 4, role);
	db_bind_text(st, 5, csrf);
	db_bind_text(st, 6, req->address ? req->address : "");
	db_bind_int64(st, 7, now);
	db_bind_int64(st, 8, now + AUTH_SESSION_SECONDS);
	db_bind_text(st, 9, scope_role == ROLE_NONE ? "" : role_name(scope_role));
	db_bind_int64(st, 10, scope_role == ROLE_NONE ? 0 : scope_id);
	rc = db_step(st);
	db_finalize(st);
	st = NULL;
	if (rc < 0)
		goto fail;
	/* Expired sessions go when anyone signs in; no sweeper thread needed. */
	rc = db_prepare(req->db, "DELETE FROM sessions WHERE expires_at <= ?", &st);
	if (rc)
		goto fail;
	db_bind_int64(st, 1, now);
	rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	req->sess.kind = AUTH_COOKIE;
	req->sess.user_id = user_id;
	req->sess.name = arena_strdup(req->arena, username);
	req->sess.area_id = area_id;
	req->sess.role = role_from_name(role);
	req->sess.csrf = arena_strdup(req->arena, csrf);
	req->sess.scope_role = scope_role;
	req->sess.scope_id = scope_role == ROLE_NONE ? 0 : scope_id;
	rc = audit_append_session(req->db, &req->sess, "login", "users", user_id, NULL, NULL);
	if (rc)
		goto fail;
	rc = db_commit(req->db);
	if (rc)
		goto fail;
	*cookie = arena_printf(req->arena, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s",
			       AUTH_SESSION_COOKIE, token, AUTH_SESSION_SECONDS,
			       req->app && req->app->secure_cookies ? "; Secure" : "");
	return 0;
fail:
	db_rollback(req->db);
	return LIN_EDB;
}

int auth_login(struct http_req *req, const char *username, const char *password,
	       const char **cookie)
{
	struct db_stmt *st = NULL;
	int64_t fails_user, fails_addr, user_id = 0, area_id = 0, scope_id = 0;
	enum role scope_role = ROLE_NONE;
	char *hash = NULL, *role = NULL;
	int rc, ok = 0;

	if (!username || !password || !*username || strlen(username) > 64 ||
	    strlen(password) > 1024)
		return LIN_EAUTH;
	rc = count_failures(req->db, "username", username, &fails_user);
	if (!rc)
		rc = count_failures(req->db, "address", req->address, &fails_addr);
	if (rc)
		return rc;
	if (fails_user >= AUTH_FAILS_PER_ACCOUNT || fails_addr >= AUTH_FAILS_PER_ADDRESS) {
		log_warn("auth: throttled login user=%s address=%s", username, req->address);
		return LIN_ELIMIT;
	}
	/* The role with the lowest number is the most capable one. An account
	 * of a street or district may hold no role in any area: it enters its
	 * first area in the scope's role. */
	rc = db_prepare(req->db,
			"SELECT u.id, u.password_hash, r.area_id, r.role, sc.role,"
			" COALESCE(sc.street_id, sc.district_id, 0) FROM users u"
			" LEFT JOIN user_roles r ON r.user_id = u.id"
			" LEFT JOIN user_scopes sc ON sc.user_id = u.id"
			" WHERE u.username = ? AND u.disabled = 0 ORDER BY r.id",
			&st);
	if (rc)
		return rc;
	db_bind_text(st, 1, username);
	while (db_step(st) == DB_ROW) {
		const char *r = db_column_text(st, 3);
		if (!hash) {
			user_id = db_column_int64(st, 0);
			hash = strdup(db_column_text(st, 1));
			scope_role = role_from_name(db_column_text(st, 4));
			scope_id = db_column_int64(st, 5);
		}
		if (db_column_is_null(st, 3))
			continue;
		if (!role || role_from_name(r) < role_from_name(role)) {
			free(role);
			role = strdup(r);
			area_id = db_column_int64(st, 2);
		}
	}
	db_finalize(st);
	if (!role_is_region(scope_role))
		scope_role = ROLE_NONE;
	if (!role && scope_role != ROLE_NONE) {
		int64_t *ids = NULL;
		int n = 0;
		if (!scope_areas(req->db, scope_role, scope_id, req->arena, &ids, &n) && n) {
			area_id = ids[0];
			role = strdup(role_name(scope_role));
		}
	}
	if (hash && role)
		ok = auth_verify_password(hash, password);
	else /* spend the same time on unknown names */
		auth_verify_password(auth_dummy_hash, password);
	free(hash);
	if (!ok) {
		free(role);
		record_failure(req->db, username, req->address);
		log_info("auth: failed login user=%s address=%s", username, req->address);
		return LIN_EAUTH;
	}
	rc = db_prepare(req->db, "DELETE FROM login_failures WHERE username = ?", &st);
	if (!rc) {
		db_bind_text(st, 1, username);
		db_step(st);
		db_finalize(st);
	}
	rc = open_session(req, user_id, username, area_id, role, scope_role, scope_id, cookie);
	free(role);
	return rc;
}

int auth_session_open(struct http_req *req, int64_t user_id, const char *username, int64_t area_id,
		      enum role role, const char **cookie)
{
	return open_session(req, user_id, username, area_id, role_name(role), ROLE_NONE, 0, cookie);
}

const char *auth_logout(struct http_req *req)
{
	const char *cookie = req_cookie(req, AUTH_SESSION_COOKIE);
	struct db_stmt *st = NULL;
	char hash[65];

	if (cookie && *cookie &&
	    !db_prepare(req->db, "DELETE FROM sessions WHERE token_hash = ?", &st)) {
		auth_token_hash(cookie, hash);
		db_bind_text(st, 1, hash);
		db_step(st);
		db_finalize(st);
	}
	return AUTH_SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
}

int area_id_by_code(struct db *db, const char *code, int64_t *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT id FROM areas WHERE code = ?", &st);

	*out = 0;
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*out = db_column_int64(st, 0);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = LIN_ENOTFOUND;
	}
	db_finalize(st);
	return rc;
}

int area_resolve(struct db *db, const char *code, int64_t *out, char *name, size_t n)
{
	struct db_stmt *st = NULL;
	int named = code && *code, rows = 0, rc;

	*out = 0;
	if (name && n)
		name[0] = '\0';
	/* With no code, two rows tell "several areas" from "the only one". */
	rc = db_prepare(db,
			named ? "SELECT id, name FROM areas WHERE code = ?"
			      : "SELECT id, name FROM areas ORDER BY id LIMIT 2",
			&st);
	if (!rc && named)
		rc = db_bind_text(st, 1, code);
	if (!rc)
		while ((rc = db_step(st)) == DB_ROW)
			if (!rows++) {
				*out = db_column_int64(st, 0);
				if (name && n)
					snprintf(name, n, "%s", db_column_text(st, 1));
			}
	if (rc == DB_DONE)
		rc = !rows ? LIN_ENOTFOUND : rows > 1 ? LIN_ECONFLICT : 0;
	if (rc)
		*out = 0;
	db_finalize(st);
	return rc;
}

int area_create(struct db *db, const char *code, const char *name, const char *street,
		const char *district, const char *actor, int64_t *id)
{
	char dcode[96], scode[96];
	int64_t district_id = 0, street_id = 0;
	int rc;

	/* The district and street get codes derived from the area's. */
	snprintf(dcode, sizeof(dcode), "%s-district", code);
	snprintf(scode, sizeof(scode), "%s-street", code);
	rc = db_begin(db);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO districts (code, name) VALUES (?, ?) RETURNING id",
				  &district_id, "tt", dcode, district);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO streets (district_id, code, name) VALUES (?, ?, ?)"
				  " RETURNING id",
				  &street_id, "itt", district_id, scode, street);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO areas (street_id, code, name) VALUES (?, ?, ?)"
				  " RETURNING id",
				  id, "itt", street_id, code, name);
	if (!rc) {
		struct audit_entry e = {0, actor, *id, "create", "areas", *id, NULL, NULL};
		rc = audit_append(db, &e);
	}
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int area_title(struct db *db, int64_t area_id, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT s.name, a.name FROM areas a JOIN streets s ON s.id = a.street_id"
		       " WHERE a.id = ?",
		       &st);

	out[0] = '\0';
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	if (!rc && db_step(st) == DB_ROW)
		snprintf(out, n, "%s · %s", db_column_text(st, 0), db_column_text(st, 1));
	db_finalize(st);
	return rc;
}

/* text_by_id: the text sql (one ? for id) selects, into out ("" when
 * none: LIN_ENOTFOUND). */
static int text_by_id(struct db *db, const char *sql, int64_t id, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);

	out[0] = '\0';
	if (!rc)
		rc = db_bindf(st, "i", id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		snprintf(out, n, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc;
}

int area_code(struct db *db, int64_t area_id, char *out, size_t n)
{
	return text_by_id(db, "SELECT code FROM areas WHERE id = ?", area_id, out, n);
}

int auth_user_set_name(struct db *db, const char *username, const char *display_name,
		       const char *actor)
{
	json_t *after;
	char *text;
	int64_t id = 0, changed = 0;
	int rc;

	if (!display_name || !*display_name || !utf8_valid(display_name, strlen(display_name)) ||
	    utf8_chars(display_name) > 64 || strpbrk(display_name, "\r\n\t"))
		return LIN_EINVAL;
	after = json_pack("{s:s,s:s}", "username", username, "display_name", display_name);
	text = after ? json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(after);
	if (!text)
		return LIN_ENOMEM;
	rc = db_begin(db);
	if (!rc)
		rc =
		    db_query_row(db, "SELECT id FROM users WHERE username = ?", &id, "t", username);
	if (!rc)
		rc = db_exec_args(db, "UPDATE users SET display_name = ? WHERE id = ?", &changed,
				  "ti", display_name, id);
	if (!rc) {
		struct audit_entry e = {0, actor, 0, "update", "users", id, NULL, text};
		rc = audit_append(db, &e);
	}
	free(text);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

/* new_account_hash checks a new account's name (1..64 bytes) and
 * password (AUTH_MIN_PASSWORD characters) and hashes the password into
 * hash (crypto_pwhash_STRBYTES bytes): LIN_EINVAL when either is bad. */
static int new_account_hash(const char *username, const char *password, char *hash)
{
	if (!username || !*username || strlen(username) > 64 ||
	    utf8_chars_or_zero(password) < AUTH_MIN_PASSWORD)
		return LIN_EINVAL;
	return auth_hash_password(password, hash, crypto_pwhash_STRBYTES);
}

int auth_user_add(struct db *db, const char *username, const char *password, enum role role,
		  int64_t area_id, int64_t resident_id, int64_t *out_id)
{
	struct db_stmt *st = NULL;
	char hash[crypto_pwhash_STRBYTES];
	int64_t id = 0;
	int rc;

	if (role == ROLE_NONE)
		return LIN_EINVAL;
	rc = new_account_hash(username, password, hash);
	if (rc)
		return rc;
	rc = db_begin(db);
	if (rc)
		return rc;
	if (resident_id) {
		int64_t n = 0;
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM residents WHERE id = ? AND area_id = ?",
				    &n, 2, resident_id, area_id);
		if (rc || !n) {
			rc = rc ? rc : LIN_ENOTFOUND;
			goto fail;
		}
	}
	rc = db_prepare(db,
			"INSERT INTO users (username, display_name, password_hash, resident_id,"
			" created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			&st);
	if (rc)
		goto fail;
	db_bind_text(st, 1, username);
	db_bind_text(st, 2, username);
	db_bind_text(st, 3, hash);
	if (resident_id)
		db_bind_int64(st, 4, resident_id);
	else
		db_bind_null(st, 4);
	db_bind_int64(st, 5, (int64_t)time(NULL));
	rc = db_step(st);
	if (rc == DB_ROW)
		id = db_column_int64(st, 0);
	else
		rc = db_error_is_constraint(db) ? LIN_ECONFLICT : LIN_EDB;
	db_finalize(st);
	st = NULL;
	if (!id)
		goto fail;
	rc =
	    db_prepare(db, "INSERT INTO user_roles (user_id, area_id, role) VALUES (?, ?, ?)", &st);
	if (rc)
		goto fail;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, area_id);
	db_bind_text(st, 3, role_name(role));
	rc = db_step(st);
	db_finalize(st);
	st = NULL;
	if (rc < 0)
		goto fail;
	{
		char after[256];
		snprintf(after, sizeof(after),
			 "{\"username\":\"%s\",\"role\":\"%s\",\"resident_id\":%lld}", username,
			 role_name(role), (long long)resident_id);
		struct audit_entry e = {0, "cli", area_id, "create", "users", id, NULL, after};
		rc = audit_append(db, &e);
		if (rc)
			goto fail;
	}
	rc = db_commit(db);
	if (rc)
		goto fail;
	if (out_id)
		*out_id = id;
	return 0;
fail:
	db_rollback(db);
	return rc ? rc : LIN_EDB;
}

int auth_user_set_password(struct db *db, const char *username, const char *password)
{
	struct db_stmt *st = NULL;
	char hash[crypto_pwhash_STRBYTES];
	int64_t changed = 0, user_id = 0;
	int rc;

	if (utf8_chars_or_zero(password) < AUTH_MIN_PASSWORD)
		return LIN_EINVAL;
	rc = auth_hash_password(password, hash, sizeof(hash));
	if (rc)
		return rc;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_prepare(db, "UPDATE users SET password_hash = ? WHERE username = ? RETURNING id",
			&st);
	if (rc)
		goto fail;
	db_bind_text(st, 1, hash);
	db_bind_text(st, 2, username);
	rc = db_step(st);
	if (rc == DB_ROW) {
		changed = 1;
		user_id = db_column_int64(st, 0);
		rc = 0;
	}
	db_finalize(st);
	st = NULL;
	if (rc < 0)
		goto fail;
	if (!changed) {
		rc = LIN_ENOTFOUND;
		goto fail;
	}
	/* Existing sessions end with the old password. */
	rc = db_prepare(
	    db, "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = ?)",
	    &st);
	if (rc)
		goto fail;
	db_bind_text(st, 1, username);
	rc = db_step(st);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	{
		struct audit_entry e = {0, "cli", 0, "passwd", "users", user_id, NULL, NULL};
		rc = audit_append(db, &e);
		if (rc)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return rc ? rc : LIN_EDB;
}

int token_add(struct db *db, const char *name, enum role role, int64_t area_id, char **out,
	      int64_t *out_id)
{
	struct db_stmt *st = NULL;
	char token[64], hash[65];
	int64_t id = 0;
	int rc;

	*out = NULL;
	if (role == ROLE_NONE || !name || !*name || strlen(name) > 100)
		return LIN_EINVAL;
	auth_new_token(token, sizeof(token));
	auth_token_hash(token, hash);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_prepare(db,
			"INSERT INTO api_tokens (name, token_hash, area_id, role, created_at)"
			" VALUES (?, ?, ?, ?, ?) RETURNING id",
			&st);
	if (rc)
		goto fail;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, hash);
	db_bind_int64(st, 3, area_id);
	db_bind_text(st, 4, role_name(role));
	db_bind_int64(st, 5, (int64_t)time(NULL));
	if (db_step(st) == DB_ROW)
		id = db_column_int64(st, 0);
	db_finalize(st);
	st = NULL;
	if (!id) {
		rc = LIN_EDB;
		goto fail;
	}
	{
		struct audit_entry e = {0, "cli", area_id, "create", "api_tokens", id, NULL, NULL};
		rc = audit_append(db, &e);
		if (rc)
			goto fail;
	}
	rc = db_commit(db);
	if (rc)
		goto fail;
	*out = strdup(token);
	if (out_id)
		*out_id = id;
	return *out ? 0 : LIN_ENOMEM;
fail:
	db_rollback(db);
	return rc ? rc : LIN_EDB;
}

int token_list(struct db *db, FILE *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT t.id, t.name, t.role, a.code, t.created_at, t.revoked_at"
			    " FROM api_tokens t JOIN areas a ON a.id = t.area_id ORDER BY t.id",
			    &st);
	if (rc)
		return rc;
	fprintf(out, "%-6s %-24s %-14s %-12s %-20s %s\n", "id", "name", "role", "area", "created",
		"state");
	while ((rc = db_step(st)) == DB_ROW) {
		char created[32];
		time_t t = (time_t)db_column_int64(st, 4);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(created, sizeof(created), "%Y-%m-%dT%H:%M:%SZ", &tm);
		fprintf(out, "%-6lld %-24s %-14s %-12s %-20s %s\n",
			(long long)db_column_int64(st, 0), db_column_text(st, 1),
			db_column_text(st, 2), db_column_text(st, 3), created,
			db_column_is_null(st, 5) ? "active" : "revoked");
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int token_revoke(struct db *db, int64_t id)
{
	struct db_stmt *st = NULL;
	int64_t changed;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_prepare(
	    db, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", &st);
	if (rc)
		goto fail;
	db_bind_int64(st, 1, (int64_t)time(NULL));
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	changed = db_changes(st);
	db_finalize(st);
	if (rc < 0)
		goto fail;
	if (!changed) {
		rc = LIN_ENOTFOUND;
		goto fail;
	}
	{
		struct audit_entry e = {0, "cli", 0, "revoke", "api_tokens", id, NULL, NULL};
		rc = audit_append(db, &e);
		if (rc)
			goto fail;
	}
	return db_commit(db);
fail:
	db_rollback(db);
	return rc ? rc : LIN_EDB;
}

int auth_user_add_scope(struct db *db, const char *username, const char *password, enum role role,
			int64_t scope_id, const char *actor, int64_t *out_id)
{
	char hash[crypto_pwhash_STRBYTES], after[256];
	int64_t id = 0, n = 0;
	int rc;

	/* the name goes into the audit entry's JSON as it is */
	if (!role_is_region(role) || (username && strpbrk(username, "\"\\")))
		return LIN_EINVAL;
	rc = new_account_hash(username, password, hash);
	if (rc)
		return rc;
	rc = db_begin(db);
	if (!rc)
		rc = db_query_int64(db,
				    role == ROLE_STREET_STAFF
					? "SELECT COUNT(*) FROM streets WHERE id = ?"
					: "SELECT COUNT(*) FROM districts WHERE id = ?",
				    &n, 1, scope_id);
	if (!rc && !n)
		rc = LIN_ENOTFOUND;
	if (!rc) {
		rc = db_query_row(db,
				  "INSERT INTO users (username, display_name, password_hash,"
				  " created_at) VALUES (?, ?, ?, ?) RETURNING id",
				  &id, "ttti", username, username, hash, (int64_t)time(NULL));
		if (rc && db_error_is_constraint(db))
			rc = LIN_ECONFLICT;
	}
	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO user_scopes (user_id, role, street_id, district_id)"
				  " VALUES (?, ?, ?, ?)",
				  NULL, "itrr", id, role_name(role),
				  role == ROLE_STREET_STAFF ? scope_id : 0,
				  role == ROLE_DISTRICT_STAFF ? scope_id : 0);
	if (!rc) {
		snprintf(after, sizeof(after), "{\"username\":\"%s\",\"role\":\"%s\",\"%s\":%lld}",
			 username, role_name(role),
			 role == ROLE_STREET_STAFF ? "street_id" : "district_id",
			 (long long)scope_id);
		struct audit_entry e = {0, actor, 0, "create", "users", id, NULL, after};
		rc = audit_append(db, &e);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db);
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int auth_session_move(struct http_req *req, int64_t area_id)
{
	const char *cookie = req_cookie(req, AUTH_SESSION_COOKIE);
	struct db_stmt *st = NULL;
	enum role role = req->sess.scope_role;
	char hash[65];
	int64_t changed = 0;
	int rc;

	if (req->sess.kind != AUTH_COOKIE || !cookie || !scope_holds(req->db, &req->sess, area_id))
		return LIN_EPERM;
	/* The account's own role in the area, the most capable one, wins. */
	rc = db_prepare(req->db, "SELECT role FROM user_roles WHERE user_id = ? AND area_id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", req->sess.user_id, area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		enum role r = role_from_name(db_column_text(st, 0));
		if (r != ROLE_NONE && r < role)
			role = r;
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	auth_token_hash(cookie, hash);
	rc = db_exec_args(req->db, "UPDATE sessions SET area_id = ?, role = ? WHERE token_hash = ?",
			  &changed, "itt", area_id, role_name(role), hash);
	if (!rc && !changed)
		rc = LIN_EPERM;
	if (!rc) {
		req->sess.area_id = area_id;
		req->sess.role = role;
	}
	return rc;
}
