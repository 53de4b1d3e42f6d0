/* Hash-chained audit log; see audit.h. The hash covers every field,
 * each written as "<length>:<bytes>;" so no two rows encode alike. */
#include "audit.h"
#include "db.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

static void add_field(struct buf *b, const char *s)
{
	s = s ? s : "";
	buf_addf(b, "%zu:", strlen(s));
	buf_adds(b, s);
	buf_addc(b, ';');
}

static void add_int(struct buf *b, int64_t v)
{
	char t[32];
	snprintf(t, sizeof(t), "%" PRId64, v);
	add_field(b, t);
}

static int entry_hash(int64_t id, int64_t at, const struct audit_entry *e, const char *prev,
		      char out[65])
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct buf b;

	buf_init(&b, 0);
	add_int(&b, id);
	add_int(&b, at);
	add_int(&b, e->user_id);
	add_field(&b, e->actor);
	add_int(&b, e->area_id);
	add_field(&b, e->action);
	add_field(&b, e->entity);
	add_int(&b, e->entity_id);
	add_field(&b, e->before_json);
	add_field(&b, e->after_json);
	add_field(&b, prev);
	if (b.failed)
		return LIN_ENOMEM;
	crypto_hash_sha256(digest, (const unsigned char *)b.buf, b.len);
	sodium_bin2hex(out, 65, digest, sizeof(digest));
	buf_release(&b);
	return 0;
}

int audit_append(struct db *db, const struct audit_entry *e)
{
	struct db_stmt *st = NULL;
	char prev[65] = GENESIS, hash[65];
	int64_t id = 1, at = (int64_t)time(NULL);
	int rc;

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
	rc = entry_hash(id, at, e, prev, hash);
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

int audit_verify(struct db *db, int64_t *bad_id, int64_t *count)
{
	struct db_stmt *st = NULL;
	char prev[65] = GENESIS, hash[65];
	int64_t expect_id = 0;
	int rc;

	*bad_id = 0;
	*count = 0;
	rc = db_prepare(db,
			"SELECT id, at, user_id, actor, area_id, action, entity, entity_id,"
			" before_json, after_json, prev_hash, hash FROM audit_log ORDER BY id",
			&st);
	if (rc)
		return rc;
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		struct audit_entry e = {
		    .user_id = db_column_int64(st, 2),
		    .actor = db_column_text(st, 3),
		    .area_id = db_column_int64(st, 4),
		    .action = db_column_text(st, 5),
		    .entity = db_column_text(st, 6),
		    .entity_id = db_column_int64(st, 7),
		    .before_json = db_column_is_null(st, 8) ? NULL : db_column_text(st, 8),
		    .after_json = db_column_is_null(st, 9) ? NULL : db_column_text(st, 9),
		};
		(*count)++;
		/* A missing row (a gap in the ids) breaks the chain too. */
		if ((expect_id && id != expect_id) || strcmp(db_column_text(st, 10), prev)) {
			*bad_id = id;
			rc = LIN_EINVAL;
			goto out;
		}
		rc = entry_hash(id, db_column_int64(st, 1), &e, prev, hash);
		if (rc)
			goto out;
		if (strcmp(hash, db_column_text(st, 11))) {
			*bad_id = id;
			rc = LIN_EINVAL;
			goto out;
		}
		memcpy(prev, hash, sizeof(prev));
		expect_id = id + 1;
	}
out:
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
