/* The portal's store: one-time codes (issued, spent), the account a
 * phone signs in as, and where codes are sent. All the portal's SQL. */
#include "internal.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../notify/sms.h"
#include "../web/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* code_hash: the stored form of a code sent to phone. */
static void code_hash(const char *phone, const char *code, char out[65])
{
	char both[64];

	snprintf(both, sizeof(both), "portal:%s:%s", phone, code);
	auth_token_hash(both, out);
}

/* send_code: the code to the phone through the area's SMS sender (or the
 * log, in development). Inside the caller's transaction. */
static int send_code(struct db *db, int64_t area_id, const char *phone, const char *code)
{
	char text[160];

	snprintf(text, sizeof(text), "【邻里】您的登录验证码是 %s，%d 分钟内有效。请勿告诉他人。",
		 code, PORTAL_CODE_SECONDS / 60);
	return sms_send(db, area_id, phone, "portal.code", text);
}

int portal_code_issue(struct db *db, int64_t area_id, const char *phone, int64_t now)
{
	int64_t people = 0, resident = 0, recent = 0, id = 0;
	char code[PORTAL_CODE_DIGITS + 1], hash[65];
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT COUNT(*), MIN(id) FROM residents WHERE area_id = ? AND phone = ?"
			  " AND archived = 0",
			  &people, "it", area_id, phone);
	if (!rc && people == 1)
		rc = db_query_row(db,
				  "SELECT id FROM residents WHERE area_id = ? AND phone = ?"
				  " AND archived = 0",
				  &resident, "it", area_id, phone);
	/* a phone shared by two people would show one the other's things */
	if (!rc && people != 1)
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = db_query_row(
		    db, "SELECT COUNT(*) FROM portal_codes WHERE phone = ? AND created_at > ?",
		    &recent, "ti", phone, now - 3600);
	if (!rc && recent >= PORTAL_CODES_PER_HOUR)
		rc = LIN_ELIMIT;
	if (rc)
		goto out;
	snprintf(code, sizeof(code), "%06u", (unsigned)randombytes_uniform(1000000));
	code_hash(phone, code, hash);
	rc = db_query_row(db,
			  "INSERT INTO portal_codes (area_id, resident_id, phone, code_hash,"
			  " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			  &id, "iittii", area_id, resident, phone, hash, now,
			  now + PORTAL_CODE_SECONDS);
	if (!rc)
		rc = send_code(db, area_id, phone, code);
	sodium_memzero(code, sizeof(code));
out:
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

/* account_for: the resident's live account, else a new password-less
 * one made for them (role resident), audited. */
static int account_for(struct db *db, int64_t area_id, int64_t resident, int64_t now,
		       int64_t *user_id, char *username, size_t n)
{
	struct db_stmt *st = NULL;
	char name[80] = "", after[160];
	int disabled = 0;
	/* a live account first; only disabled ones: the committee stopped it */
	int rc = db_prepare(db,
			    "SELECT id, username, disabled FROM users WHERE resident_id = ?"
			    " ORDER BY disabled, id LIMIT 1",
			    &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, resident);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*user_id = db_column_int64(st, 0);
		snprintf(username, n, "%s", db_column_text(st, 1));
		disabled = db_column_int64(st, 2) != 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	if (rc == DB_ROW)
		return disabled ? LIN_EPERM : 0;
	snprintf(name, sizeof(name), "tel-%lld", (long long)resident);
	/* "!" is no argon2 hash: no password ever opens this account */
	rc = db_query_row(db,
			  "INSERT INTO users (username, display_name, password_hash, resident_id,"
			  " created_at) SELECT ?, name, '!', id, ? FROM residents WHERE id = ?"
			  " RETURNING id",
			  user_id, "tii", name, now, resident);
	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO user_roles (user_id, area_id, role)"
				  " VALUES (?, ?, 'resident')",
				  NULL, "ii", *user_id, area_id);
	if (rc)
		return rc;
	snprintf(after, sizeof(after),
		 "{\"resident_id\":%lld,\"role\":\"resident\",\"username\":\"%s\"}",
		 (long long)resident, name);
	struct audit_entry e = {0, "portal", area_id, "create", "users", *user_id, NULL, after};
	rc = audit_append(db, &e);
	if (!rc)
		snprintf(username, n, "%s", name);
	return rc;
}

int portal_code_use(struct db *db, int64_t area_id, const char *phone, const char *code,
		    int64_t now, int64_t *user_id, char *username, size_t n)
{
	struct db_stmt *st = NULL;
	int64_t wrong = 0, id = 0, resident = 0, expires = 0, tries = 0, changed = 0;
	int used = 1, live = 0;
	char hash[65], want[65] = "";
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT COALESCE(SUM(tries), 0) FROM portal_codes WHERE phone = ?"
			  " AND created_at > ?",
			  &wrong, "ti", phone, now - 3600);
	if (!rc && wrong >= PORTAL_WRONG_PER_HOUR)
		rc = LIN_ELIMIT;
	if (rc)
		goto out;
	rc = db_prepare(db,
			"SELECT c.id, c.resident_id, c.code_hash, c.expires_at, c.tries,"
			" c.used_at IS NOT NULL, r.archived FROM portal_codes c"
			" JOIN residents r ON r.id = c.resident_id WHERE c.area_id = ? AND"
			" c.phone = ? ORDER BY c.id DESC LIMIT 1",
			&st);
	if (rc)
		goto out;
	db_bindf(st, "it", area_id, phone);
	rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_column_int64(st, 0);
		resident = db_column_int64(st, 1);
		snprintf(want, sizeof(want), "%s", db_column_text(st, 2));
		expires = db_column_int64(st, 3);
		tries = db_column_int64(st, 4);
		used = db_column_int64(st, 5) || db_column_int64(st, 6);
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	live = id && !used && tries < PORTAL_CODE_TRIES && portal_code_live(expires, now);
	code_hash(phone, code, hash);
	if (!live) {
		rc = LIN_EAUTH;
		goto out;
	}
	if (sodium_memcmp(hash, want, 64)) {
		/* the wrong guess is kept: commit it, and refuse */
		rc = db_exec_args(db, "UPDATE portal_codes SET tries = tries + 1 WHERE id = ?",
				  NULL, "i", id);
		if (!rc)
			rc = db_commit(db);
		return rc ? (db_rollback(db), rc) : LIN_EAUTH;
	}
	rc =
	    db_exec_args(db, "UPDATE portal_codes SET used_at = ? WHERE id = ? AND used_at IS NULL",
			 &changed, "ii", now, id);
	if (!rc && changed != 1)
		rc = LIN_EAUTH;
	if (!rc)
		rc = account_for(db, area_id, resident, now, user_id, username, n);
out:
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int portal_resident_of(struct db *db, int64_t area_id, int64_t user_id, int64_t *resident_id,
		       char *name, size_t n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT r.id, r.name FROM users u JOIN residents r ON r.id ="
			    " u.resident_id WHERE u.id = ? AND r.area_id = ? AND r.archived = 0",
			    &st);

	*resident_id = 0;
	name[0] = '\0';
	if (rc)
		return rc;
	db_bindf(st, "ii", user_id, area_id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*resident_id = db_column_int64(st, 0);
		snprintf(name, n, "%s", db_column_text(st, 1));
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
