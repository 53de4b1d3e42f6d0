/* Keyed, hash-chained audit log; see audit.h.
 *
 * A keyed entry's hash is "k1:" and the HMAC-SHA-256 of its fields, each
 * written as its storage type and value: "i<len>:<digits>;" for an
 * integer, "t<len>:<bytes>;" for text, "n;" for NULL. Verification reads
 * each value's type from the engine (typeof, pg_typeof), so a column
 * rebuilt as text or real no longer verifies even when the numbers read
 * the same. Entries from before keying carry the unkeyed SHA-256 of the
 * fields as "<length>:<bytes>;" with NULL as "". */
#include "audit.h"
#include "db.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/keyfile.h"
#include "../base/log.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
#define KEYED	"k1:"

static unsigned char audit_key[AUDIT_KEY_BYTES];
static int64_t audit_key_from; /* 0: no key in use */

void audit_use_key(const unsigned char key[AUDIT_KEY_BYTES], int64_t from)
{
	memcpy(audit_key, key, AUDIT_KEY_BYTES);
	audit_key_from = from > 0 ? from : 1;
}

int audit_subkey(const char *purpose, unsigned char out[AUDIT_KEY_BYTES])
{
	if (!audit_key_from)
		return LIN_EINVAL;
	return crypto_generichash(out, AUDIT_KEY_BYTES, (const unsigned char *)purpose,
				  strlen(purpose), audit_key, AUDIT_KEY_BYTES)
		   ? LIN_EINVAL
		   : 0;
}

/* ---- the encodings ---- */

/* A value as stored: its type tag ('i', 't', 'n'; anything else never
 * matches what was appended) and its text. */
struct value {
	char tag;
	const char *text;
};

static void add_typed(struct buf *b, struct value v)
{
	if (v.tag == 'n') {
		buf_adds(b, "n;");
		return;
	}
	buf_addf(b, "%c%zu:", v.tag, strlen(v.text));
	buf_adds(b, v.text);
	buf_addc(b, ';');
}

static void add_legacy(struct buf *b, struct value v)
{
	const char *s = v.tag == 'n' ? "" : v.text;
	buf_addf(b, "%zu:", strlen(s));
	buf_adds(b, s);
	buf_addc(b, ';');
}

enum {
	F_ID,
	F_AT,
	F_USER,
	F_ACTOR,
	F_AREA,
	F_ACTION,
	F_ENTITY,
	F_ENTITY_ID,
	F_BEFORE,
	F_AFTER,
	F_PREV,
	NFIELDS
};

/* entry_hash: the keyed (or, for keyed 0, the legacy) hash of the fields. */
static int entry_hash(const struct value *f, int keyed, char out[AUDIT_HASH_MAX])
{
	unsigned char digest[crypto_auth_hmacsha256_BYTES];
	struct buf b;

	buf_init(&b, 0);
	for (int i = 0; i < NFIELDS; i++)
		(keyed ? add_typed : add_legacy)(&b, f[i]);
	if (b.failed)
		return LIN_ENOMEM;
	if (keyed)
		crypto_auth_hmacsha256(digest, (const unsigned char *)b.buf, b.len, audit_key);
	else
		crypto_hash_sha256(digest, (const unsigned char *)b.buf, b.len);
	buf_release(&b);
	snprintf(out, AUDIT_HASH_MAX, "%s", keyed ? KEYED : "");
	sodium_bin2hex(out + strlen(out), 65, digest, 32);
	return 0;
}

/* ---- appending ---- */

static struct value int_value(char *tmp, size_t n, int64_t v)
{
	snprintf(tmp, n, "%" PRId64, v);
	return (struct value){'i', tmp};
}

static struct value text_value(const char *s)
{
	return s ? (struct value){'t', s} : (struct value){'n', ""};
}

int audit_append(struct db *db, const struct audit_entry *e)
{
	struct db_stmt *st = NULL;
	char prev[AUDIT_HASH_MAX] = GENESIS, hash[AUDIT_HASH_MAX], t[5][24];
	int64_t id = 1, at = (int64_t)time(NULL);
	int rc;

	if (!audit_key_from) {
		log_error("audit: no audit key in use: refusing to write unkeyed entries");
		return LIN_EINVAL;
	}
	rc = db_lock(db, "linli-audit");
	if (rc)
		return rc;
	rc = db_prepare(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", &st);
	if (rc)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW) {
		id = db_column_int64(st, 0) + 1;
		snprintf(prev, sizeof(prev), "%s", db_column_text(st, 1));
	} else if (rc < 0) {
		goto out;
	}
	db_finalize(st);
	st = NULL;
	{
		const struct value f[NFIELDS] = {
		    int_value(t[0], sizeof(t[0]), id),
		    int_value(t[1], sizeof(t[1]), at),
		    int_value(t[2], sizeof(t[2]), e->user_id),
		    text_value(e->actor ? e->actor : ""),
		    int_value(t[3], sizeof(t[3]), e->area_id),
		    text_value(e->action),
		    text_value(e->entity),
		    int_value(t[4], sizeof(t[4]), e->entity_id),
		    text_value(e->before_json),
		    text_value(e->after_json),
		    text_value(prev),
		};
		rc = entry_hash(f, 1, hash);
	}
	if (rc)
		goto out;
	rc = db_prepare(db,
			"INSERT INTO audit_log (id, at, user_id, actor, area_id, action, entity,"
			" entity_id, before_json, after_json, prev_hash, hash)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			&st);
	if (rc)
		goto out;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, at);
	db_bind_int64(st, 3, e->user_id);
	db_bind_text(st, 4, e->actor ? e->actor : "");
	db_bind_int64(st, 5, e->area_id);
	db_bind_text(st, 6, e->action);
	db_bind_text(st, 7, e->entity);
	db_bind_int64(st, 8, e->entity_id);
	db_bind_text(st, 9, e->before_json);
	db_bind_text(st, 10, e->after_json);
	db_bind_text(st, 11, prev);
	db_bind_text(st, 12, hash);
	rc = db_step(st);
	if (rc > 0)
		rc = 0;
	if (rc) {
		log_error("audit: cannot append: %s", db_errmsg(db));
		goto out;
	}
	db_finalize(st);
	/* Every write passes here: cached answers to reads are now stale. */
	rc = db_prepare(db, "UPDATE data_version SET v = v + 1 WHERE id = 1", &st);
	if (rc)
		goto out;
	rc = db_step(st);
	if (rc > 0)
		rc = 0;
out:
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* ---- reading the chain back ---- */

static const char *const columns[NFIELDS + 1] = {
    "id",     "at",	   "user_id",	  "actor",	"area_id",   "action",
    "entity", "entity_id", "before_json", "after_json", "prev_hash", "hash",
};

/* rows_sql: every column, then every column's storage type as the engine
 * names it, for the rows that where_order selects. */
static int rows_sql(struct db *db, const char *where_order, struct buf *b)
{
	int pg = db_engine(db) == DB_POSTGRES;

	buf_adds(b, "SELECT ");
	for (int i = 0; i <= NFIELDS; i++)
		buf_addf(b, "%s, ", columns[i]);
	for (int i = 0; i <= NFIELDS; i++)
		buf_addf(b, "%s(%s)%s%s", pg ? "pg_typeof" : "typeof", columns[i],
			 pg ? "::text" : "", i < NFIELDS ? ", " : "");
	buf_addf(b, " FROM audit_log %s", where_order);
	return b->failed ? LIN_ENOMEM : 0;
}

static char type_tag(const char *type)
{
	if (!strcmp(type, "integer") || !strcmp(type, "bigint") || !strcmp(type, "smallint"))
		return 'i';
	if (!strcmp(type, "text"))
		return 't';
	return '?';
}

/* row_intact: the row under st (from rows_sql) hashes to its stored hash
 * with prev as its predecessor's, keyed as its id requires. */
static int row_intact(struct db_stmt *st, const char *prev, int *intact)
{
	struct value f[NFIELDS];
	char ints[NFIELDS][24], hash[AUDIT_HASH_MAX];
	const char *stored = db_column_text(st, NFIELDS);
	int keyed = !strncmp(stored, KEYED, strlen(KEYED)), rc;

	for (int i = 0; i < NFIELDS; i++) {
		char tag = type_tag(db_column_text(st, NFIELDS + 1 + i));
		if (db_column_is_null(st, i))
			f[i] = (struct value){'n', ""};
		else if (tag == 'i')
			f[i] = int_value(ints[i], sizeof(ints[i]), db_column_int64(st, i));
		else
			f[i] = (struct value){tag, db_column_text(st, i)};
	}
	f[F_PREV] = text_value(prev);
	*intact = 0;
	if (!keyed && db_column_int64(st, F_ID) >= audit_key_from)
		return 0; /* unkeyed where the key file says entries are keyed */
	rc = entry_hash(f, keyed, hash);
	if (rc)
		return rc;
	*intact = !strcmp(hash, stored) && !strcmp(db_column_text(st, F_PREV), prev);
	return 0;
}

int audit_verify(struct db *db, int64_t *bad_id, int64_t *count)
{
	struct db_stmt *st = NULL;
	char prev[AUDIT_HASH_MAX] = GENESIS;
	int64_t expect_id = 0;
	struct buf sql;
	int rc, intact;

	*bad_id = 0;
	*count = 0;
	if (!audit_key_from)
		return LIN_EINVAL;
	buf_init(&sql, 0);
	rc = rows_sql(db, "ORDER BY id", &sql);
	if (!rc)
		rc = db_prepare(db, sql.buf, &st);
	buf_release(&sql);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, F_ID);
		(*count)++;
		rc = row_intact(st, prev, &intact);
		if (rc)
			goto out;
		/* A missing row (a gap in the ids) breaks the chain too. */
		if ((expect_id && id != expect_id) || !intact) {
			*bad_id = id;
			rc = LIN_EINVAL;
			goto out;
		}
		snprintf(prev, sizeof(prev), "%s", db_column_text(st, NFIELDS));
		expect_id = id + 1;
	}
out:
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int audit_key_matches(struct db *db)
{
	struct db_stmt *st = NULL;
	struct buf sql;
	int rc, intact = 1;

	buf_init(&sql, 0);
	rc = rows_sql(db, "ORDER BY id DESC LIMIT 1", &sql);
	if (!rc)
		rc = db_prepare(db, sql.buf, &st);
	buf_release(&sql);
	if (rc)
		return rc;
	rc = db_step(st);
	if (rc == DB_ROW && !strncmp(db_column_text(st, NFIELDS), KEYED, strlen(KEYED))) {
		char prev[AUDIT_HASH_MAX];
		snprintf(prev, sizeof(prev), "%s", db_column_text(st, F_PREV));
		rc = row_intact(st, prev, &intact);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	return intact ? 0 : LIN_EINVAL;
}

int audit_hash_at(struct db *db, int64_t id, char *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT hash FROM audit_log WHERE id = ?", &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(out, AUDIT_HASH_MAX, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc == DB_ROW ? 0 : rc < 0 ? rc : LIN_ENOTFOUND;
}

int audit_head(struct db *db, int64_t *count, int64_t *id, char *hash)
{
	int rc = db_query_int64(db, "SELECT COUNT(*) FROM audit_log", count, 0);

	*id = 0;
	hash[0] = '\0';
	if (!rc)
		rc = db_query_int64(db, "SELECT COALESCE(MAX(id), 0) FROM audit_log", id, 0);
	if (!rc && *id)
		rc = audit_hash_at(db, *id, hash);
	return rc;
}

/* ---- the key file ---- */

int audit_key_load(const char *path, struct db *db, char *why, size_t n)
{
	char text[KEYFILE_MAX], hex[80], from_s[24], *end;
	unsigned char key[AUDIT_KEY_BYTES];
	size_t keylen = 0;
	int64_t from = 0;
	int rc = keyfile_read(path, text, sizeof(text));

	if (rc == LIN_ENOTFOUND) {
		char hexkey[2 * AUDIT_KEY_BYTES + 1];
		int64_t keyed = 0;
		rc = db_query_int64(db, "SELECT COUNT(*) FROM audit_log WHERE hash LIKE 'k1:%'",
				    &keyed, 0);
		if (!rc)
			rc = db_query_int64(db, "SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log",
					    &from, 0);
		if (rc) {
			snprintf(why, n, "%s", db_errmsg(db));
			return rc;
		}
		/* A new key for a log already keyed would start a chain no one
		 * can verify: the file was lost or the setting points elsewhere. */
		if (keyed) {
			snprintf(why, n,
				 "文件不存在，而审计日志已有用密钥写的条目：请恢复该文件或改正 "
				 "audit_key the file is missing but the audit log has keyed "
				 "entries: restore it or correct audit_key");
			return LIN_ENOTFOUND;
		}
		randombytes_buf(key, sizeof(key));
		sodium_bin2hex(hexkey, sizeof(hexkey), key, sizeof(key));
		sodium_memzero(key, sizeof(key));
		snprintf(text, sizeof(text),
			 "# linli audit key. Keep it apart from the database and its backups;\n"
			 "# without it the audit chain cannot be verified.\n"
			 "key=%s\nfrom=%" PRId64 "\n",
			 hexkey, from);
		sodium_memzero(hexkey, sizeof(hexkey));
		rc = keyfile_create(path, text);
		if (rc == LIN_ECONFLICT || !rc)
			rc = keyfile_read(path, text, sizeof(text));
	}
	if (rc) {
		snprintf(why, n, "%s", lin_strerror(rc));
		return rc == LIN_ETOOBIG ? LIN_EINVAL : LIN_EIO;
	}
	if (keyfile_value(text, "key", hex, sizeof(hex)) ||
	    sodium_hex2bin(key, sizeof(key), hex, strlen(hex), NULL, &keylen, NULL) ||
	    keylen != sizeof(key) || strlen(hex) != 2 * sizeof(key)) {
		snprintf(why, n, "key= 须为 64 个十六进制数字 must be 64 hex digits");
		sodium_memzero(text, sizeof(text));
		return LIN_EINVAL;
	}
	if (keyfile_value(text, "from", from_s, sizeof(from_s)) ||
	    (from = strtoll(from_s, &end, 10)) < 1 || *end) {
		snprintf(why, n, "from= 须为正整数 must be a positive whole number");
		sodium_memzero(text, sizeof(text));
		return LIN_EINVAL;
	}
	audit_use_key(key, from);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(text, sizeof(text));
	return 0;
}
