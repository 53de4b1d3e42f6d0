/* The SQL of the ballot channels (channels.h): one-time codes, the online
 * vote's check and cast, paper sheets and their double entry, proxies.
 * Every write carries its audit entry in the same transaction; ballots
 * themselves are written by the spine's assembly_ballot_cast. */
#include "channels.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../web/audit.h"
#include "../web/http.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* audit_write appends the entry for a change of entity id (s NULL: the
 * public online vote, named as such). */
static int audit_write(struct db *db, const struct session *s, int64_t area_id, const char *action,
		       const char *entity, int64_t id, json_t *after)
{
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    .user_id = s ? s->user_id : 0,
	    .actor = s ? (s->name ? s->name : "cli") : "online",
	    .area_id = area_id,
	    .action = action,
	    .entity = entity,
	    .entity_id = id,
	    .after_json = text,
	};
	int rc = after && !text ? LIN_ENOMEM : audit_append(db, &e);

	free(text);
	json_decref(after);
	return rc;
}

/* finish commits when rc is 0, else rolls back; returns rc or the commit's. */
static int finish(struct db *db, int rc)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* live_part: whether part_id is a live part of assembly_id's roll in
 * area_id (not struck off). */
static int live_part(struct db *db, int64_t area_id, int64_t assembly_id, int64_t part_id,
		     bool *live)
{
	int64_t n = 0;
	int rc = db_query_int64(db,
				"SELECT COUNT(*) FROM assembly_parts WHERE area_id = ? AND"
				" assembly_id = ? AND id = ? AND removed = 0",
				&n, 3, area_id, assembly_id, part_id);
	*live = !rc && n > 0;
	return rc;
}

int channels_name_mask(struct db *db, int64_t area_id, char mask[16])
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT name_mask FROM assembly_settings WHERE area_id = ?", &st);

	snprintf(mask, 16, "surname");
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(mask, 16, "%s", db_column_text(st, 0));
		rc = 0;
	}
	db_finalize(st);
	return rc;
}

/* ---- one-time codes ---- */

/* assembly_state_text: the assembly's state in area_id ("" when none). */
static int assembly_state_text(struct db *db, int64_t area_id, int64_t assembly_id, char out[16])
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT state FROM assemblies WHERE area_id = ? AND id = ?", &st);

	out[0] = '\0';
	if (!rc)
		rc = db_bindf(st, "ii", area_id, assembly_id);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(out, 16, "%s", db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = LIN_ENOTFOUND;
	db_finalize(st);
	return rc;
}

int channels_codes_issue(struct db *db, const struct session *s, int64_t area_id,
			 int64_t assembly_id, const int64_t *part_ids, size_t n,
			 char (*codes)[CHANNELS_CODE_LEN + 1])
{
	int64_t now = (int64_t)time(NULL);
	char state[16];
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = assembly_state_text(db, area_id, assembly_id, state);
	/* the roll and the matters are settled once published; after the
	 * close no ballot can come in */
	if (!rc && strcmp(state, "published") && strcmp(state, "open"))
		rc = LIN_ECONFLICT;
	for (size_t i = 0; !rc && i < n; i++) {
		char hash[65];
		int64_t id = 0;
		bool live = false;

		rc = live_part(db, area_id, assembly_id, part_ids[i], &live);
		if (!rc && !live)
			rc = LIN_EINVAL;
		if (!rc)
			rc = db_exec_args(db,
					  "UPDATE assembly_codes SET void = 1 WHERE part_id = ? AND"
					  " used_at IS NULL AND void = 0",
					  NULL, "i", part_ids[i]);
		if (rc)
			break;
		channels_code_new(codes[i]);
		rc = channels_code_hash(codes[i], hash);
		if (!rc)
			rc = db_query_row(
			    db,
			    "INSERT INTO assembly_codes (area_id, assembly_id, part_id,"
			    " code_hash, issued_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			    &id, "iiiti", area_id, assembly_id, part_ids[i], hash, now);
		if (!rc)
			rc = audit_write(db, s, area_id, "issue", "assembly_codes", id,
					 json_pack("{s:I, s:I, s:s}", "assembly_id",
						   (json_int_t)assembly_id, "part_id",
						   (json_int_t)part_ids[i], "code_hash", hash));
	}
	return finish(db, rc);
}

int channels_code_find(struct db *db, const char *code_hash, struct channels_code *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, area_id, assembly_id, part_id, COALESCE(used_at, 0), void"
			    " FROM assembly_codes WHERE code_hash = ?",
			    &st);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = db_bindf(st, "t", code_hash);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->area_id = db_column_int64(st, 1);
		out->assembly_id = db_column_int64(st, 2);
		out->part_id = db_column_int64(st, 3);
		out->used_at = db_column_int64(st, 4);
		out->void_ = db_column_int64(st, 5) != 0;
		rc = 0;
	} else if (rc == DB_DONE)
		rc = LIN_ENOTFOUND;
	db_finalize(st);
	return rc;
}

int channels_id_check_matches(struct db *db, int64_t part_id, const char *check, bool *match)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT id_check FROM assembly_parts WHERE id = ?", &st);

	*match = false;
	if (!rc)
		rc = db_bindf(st, "i", part_id);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		const char *kept = db_column_text(st, 0);
		*match = kept && strlen(kept) == 64 && strlen(check) == 64 &&
			 !sodium_memcmp(kept, check, 64);
		rc = 0;
	} else if (rc == DB_DONE)
		rc = LIN_ENOTFOUND;
	db_finalize(st);
	return rc;
}

int channels_failures_since(struct db *db, int64_t part_id, const char *reason, int64_t since,
			    int64_t *n)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT COUNT(*) FROM assembly_refusals WHERE part_id = ? AND reason = ?"
		       " AND at >= ?",
		       &st);

	*n = 0;
	if (!rc)
		rc = db_bindf(st, "iti", part_id, reason, since);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		*n = db_column_int64(st, 0);
	db_finalize(st);
	return rc;
}

int channels_online_cast(struct db *db, const struct channels_code *code,
			 const struct assembly_ballot_in *ballot, const char **why)
{
	int64_t changed = 0;
	int rc = db_begin(db);

	*why = NULL;
	if (rc)
		return rc;
	/* the code is spent in the same transaction as the ballot: two tabs
	 * submitting at once cast once */
	rc = db_exec_args(db,
			  "UPDATE assembly_codes SET used_at = ? WHERE id = ? AND used_at IS NULL"
			  " AND void = 0",
			  &changed, "ii", ballot->cast_at, code->id);
	if (!rc && changed != 1) {
		rc = LIN_ECONFLICT;
		*why = "assembly.ch.err.code_used";
	}
	if (!rc)
		rc = assembly_ballot_cast(db, code->area_id, 0, ballot, why);
	if (!rc)
		rc = audit_write(db, NULL, code->area_id, "use", "assembly_codes", code->id,
				 json_pack("{s:I, s:I, s:I}", "assembly_id",
					   (json_int_t)code->assembly_id, "part_id",
					   (json_int_t)code->part_id, "used_at",
					   (json_int_t)ballot->cast_at));
	return finish(db, rc);
}

/* ---- proxies ---- */

int channels_proxy_live(struct db *db, int64_t area_id, int64_t id, int64_t part_id, bool *live)
{
	int64_t n = 0;
	int rc = db_query_int64(db,
				"SELECT COUNT(*) FROM assembly_proxies WHERE area_id = ? AND id = ?"
				" AND part_id = ? AND revoked = 0",
				&n, 3, area_id, id, part_id);
	*live = !rc && n > 0;
	return rc;
}

int channels_proxy_add(struct db *db, const struct session *s, int64_t area_id,
		       const struct channels_proxy_in *in, int64_t *id, const char **why)
{
	bool live = false;
	int rc;

	*id = 0;
	*why = NULL;
	if (!in->proxy_name || !*in->proxy_name || strlen(in->proxy_name) > 120) {
		*why = "assembly.ch.err.proxy_name";
		return LIN_EINVAL;
	}
	if (!in->photo || !*in->photo) {
		*why = "assembly.ch.err.proxy_photo";
		return LIN_EINVAL;
	}
	if ((in->relation && strlen(in->relation) > 120) ||
	    (in->instructions && strlen(in->instructions) > 2000)) {
		*why = "assembly.ch.err.too_long";
		return LIN_EINVAL;
	}
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = live_part(db, area_id, in->assembly_id, in->part_id, &live);
	if (!rc && !live) {
		*why = "assembly.ch.err.part";
		rc = LIN_EINVAL;
	}
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO assembly_proxies (area_id, assembly_id, part_id,"
		    " proxy_name, relation, instructions, photo, recorded_by, created_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    id, "iiittttri", area_id, in->assembly_id, in->part_id, in->proxy_name,
		    in->relation ? in->relation : "", in->instructions ? in->instructions : "",
		    in->photo, s ? s->user_id : 0, (int64_t)time(NULL));
	if (!rc)
		rc = audit_write(db, s, area_id, "create", "assembly_proxies", *id,
				 json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "assembly_id",
					   (json_int_t)in->assembly_id, "part_id",
					   (json_int_t)in->part_id, "proxy_name", in->proxy_name,
					   "relation", in->relation ? in->relation : "",
					   "instructions", in->instructions ? in->instructions : "",
					   "photo", in->photo));
	return finish(db, rc);
}

int channels_proxy_revoke(struct db *db, const struct session *s, int64_t area_id, int64_t id)
{
	int64_t changed = 0;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE assembly_proxies SET revoked = 1 WHERE area_id = ? AND id = ?"
			  " AND revoked = 0",
			  &changed, "ii", area_id, id);
	if (!rc && changed != 1)
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = audit_write(db, s, area_id, "revoke", "assembly_proxies", id,
				 json_pack("{s:b}", "revoked", 1));
	return finish(db, rc);
}

int channels_proxies_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",	    "part_id", "unit",	     "proxy_name", "relation",
	    "instructions", "photo",   "created_at", "revoked",	   NULL};
	return db_query_json(db,
			     "SELECT x.id, x.part_id, p.unit, x.proxy_name, x.relation,"
			     " x.instructions, x.photo, x.created_at, x.revoked"
			     " FROM assembly_proxies x JOIN assembly_parts p ON p.id = x.part_id"
			     " WHERE x.area_id = ? AND x.assembly_id = ? ORDER BY p.unit, x.id",
			     keys, "iitttttib", out, "ii", area_id, assembly_id);
}

int channels_proxy_photo(struct db *db, int64_t area_id, int64_t id, char photo[80])
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db, "SELECT photo FROM assembly_proxies WHERE area_id = ? AND id = ?", &st);

	photo[0] = '\0';
	if (!rc)
		rc = db_bindf(st, "ii", area_id, id);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		snprintf(photo, 80, "%s", db_column_text(st, 0));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = LIN_ENOTFOUND;
	db_finalize(st);
	return rc;
}

/* ---- paper sheets ---- */

int channels_sheet_receive(struct db *db, const struct session *s, int64_t area_id,
			   int64_t assembly_id, int64_t part_id, int64_t proxy_id,
			   int64_t received_at, int64_t now, int64_t *id, const char **why)
{
	bool live = false;
	int64_t closes_at = 0;
	int rc;

	*id = 0;
	*why = NULL;
	if (received_at <= 0 || received_at > now) {
		*why = "assembly.ch.err.received_at";
		return LIN_EINVAL;
	}
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = live_part(db, area_id, assembly_id, part_id, &live);
	if (!rc && !live) {
		*why = "assembly.ch.err.part";
		rc = LIN_EINVAL;
	}
	if (!rc && proxy_id) {
		rc = channels_proxy_live(db, area_id, proxy_id, part_id, &live);
		if (!rc && !live) {
			*why = "assembly.err.no_proxy";
			rc = LIN_EINVAL;
		}
	}
	/* a sheet back at or after the close is refused here already (the
	 * cast would refuse it when entered; the log wants it now) */
	if (!rc)
		rc =
		    db_query_int64(db,
				   "SELECT COALESCE(closes_at, 0) FROM assemblies WHERE area_id = ?"
				   " AND id = ?",
				   &closes_at, 2, area_id, assembly_id);
	if (!rc && closes_at && received_at >= closes_at) {
		*why = "assembly.err.closed";
		rc = LIN_ECONFLICT;
	}
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO assembly_sheets (area_id, assembly_id, part_id,"
				  " proxy_id, received_at, created_at) VALUES (?, ?, ?, ?, ?, ?)"
				  " RETURNING id",
				  id, "iiirii", area_id, assembly_id, part_id, proxy_id,
				  received_at, now);
	if (!rc)
		rc = audit_write(db, s, area_id, "receive", "assembly_sheets", *id,
				 json_pack("{s:I, s:I, s:I, s:I}", "assembly_id",
					   (json_int_t)assembly_id, "part_id", (json_int_t)part_id,
					   "proxy_id", (json_int_t)proxy_id, "received_at",
					   (json_int_t)received_at));
	return finish(db, rc);
}

int channels_sheet_get(struct db *db, int64_t area_id, int64_t sheet_id, struct channels_sheet *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, assembly_id, part_id, COALESCE(proxy_id, 0), received_at,"
			    " state, resolution FROM assembly_sheets WHERE area_id = ? AND id = ?",
			    &st);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = db_bindf(st, "ii", area_id, sheet_id);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		out->assembly_id = db_column_int64(st, 1);
		out->part_id = db_column_int64(st, 2);
		out->proxy_id = db_column_int64(st, 3);
		out->received_at = db_column_int64(st, 4);
		snprintf(out->state, sizeof(out->state), "%s", db_column_text(st, 5));
		snprintf(out->resolution, sizeof(out->resolution), "%s", db_column_text(st, 6));
		rc = 0;
	} else if (rc == DB_DONE)
		rc = LIN_ENOTFOUND;
	db_finalize(st);
	st = NULL;
	if (!rc)
		rc = db_prepare(db,
				"SELECT e.pass, e.user_id, e.choices, COALESCE(u.username, '')"
				" FROM assembly_entries e LEFT JOIN users u ON u.id = e.user_id"
				" WHERE e.sheet_id = ? ORDER BY e.pass",
				&st);
	if (!rc)
		rc = db_bindf(st, "i", sheet_id);
	while (!rc) {
		int64_t pass;
		rc = db_step(st);
		if (rc != DB_ROW)
			break;
		rc = 0;
		pass = db_column_int64(st, 0);
		if (pass < 1 || pass > 3)
			continue;
		out->entry_user[pass - 1] = db_column_int64(st, 1);
		snprintf(out->entry[pass - 1], CHANNELS_CHOICES_MAX, "%s", db_column_text(st, 2));
		snprintf(out->entry_name[pass - 1], sizeof(out->entry_name[0]), "%s",
			 db_column_text(st, 3));
	}
	db_finalize(st);
	return rc;
}

int channels_sheets_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {"id",	  "part_id", "unit",	 "state",
					   "received_at", "passes",  "proxy_id", NULL};
	return db_query_json(db,
			     "SELECT s.id, s.part_id, p.unit, s.state, s.received_at,"
			     " (SELECT COUNT(*) FROM assembly_entries e WHERE e.sheet_id = s.id),"
			     " s.proxy_id"
			     " FROM assembly_sheets s JOIN assembly_parts p ON p.id = s.part_id"
			     " WHERE s.area_id = ? AND s.assembly_id = ? ORDER BY s.id DESC",
			     keys, "iittiii", out, "ii", area_id, assembly_id);
}

/* count_sheet casts the sheet's ballots from the canonical choices (none
 * for a blank sheet) and marks it counted. */
static int count_sheet(struct db *db, const struct session *s, int64_t area_id,
		       const struct channels_sheet *sh, const char *choices, const char *note,
		       const char **why)
{
	struct assembly_choice picked[64];
	json_t *matters = NULL;
	size_t n = 0;
	int rc = assembly_matters_json(db, area_id, sh->assembly_id, &matters);

	if (!rc && channels_choices_parse(choices, matters, picked, 64, &n)) {
		*why = "assembly.ch.err.choices";
		rc = LIN_EINVAL;
	}
	json_decref(matters);
	if (!rc && n) {
		struct assembly_ballot_in in = {
		    .assembly_id = sh->assembly_id,
		    .part_id = sh->part_id,
		    .channel = sh->proxy_id ? "proxy" : "paper",
		    .sheet_id = sh->id,
		    .proxy_id = sh->proxy_id,
		    .cast_at = sh->received_at,
		    .choices = picked,
		    .nchoices = n,
		};
		rc = assembly_ballot_cast(db, area_id, s ? s->user_id : 0, &in, why);
	}
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE assembly_sheets SET state = 'counted', resolution = ?"
				  " WHERE id = ?",
				  NULL, "ti", note ? note : "", sh->id);
	if (!rc)
		rc = audit_write(db, s, area_id, "count", "assembly_sheets", sh->id,
				 json_pack("{s:s, s:s, s:s}", "state", "counted", "choices",
					   choices, "resolution", note ? note : ""));
	return rc;
}

int channels_entry_add(struct db *db, const struct session *s, int64_t area_id, int64_t sheet_id,
		       const char *choices, const char *note, enum channels_entry_outcome *outcome,
		       const char **why)
{
	struct channels_sheet *sh = calloc(1, sizeof(*sh));
	struct assembly_choice picked[64];
	json_t *matters = NULL;
	int64_t user = s ? s->user_id : 0, entry_id = 0;
	size_t n = 0;
	int pass = 0, rc;

	*outcome = ENTRY_WAITING;
	*why = NULL;
	if (!sh)
		return LIN_ENOMEM;
	rc = db_begin(db);
	if (rc)
		goto out;
	rc = channels_sheet_get(db, area_id, sheet_id, sh);
	if (!rc)
		rc = assembly_matters_json(db, area_id, sh->assembly_id, &matters);
	if (!rc && (!choices || channels_choices_parse(choices, matters, picked, 64, &n))) {
		*why = "assembly.ch.err.choices";
		rc = LIN_EINVAL;
	}
	if (rc)
		goto done;
	if (!user) {
		*why = "assembly.ch.err.staff_only";
		rc = LIN_EPERM;
	} else if (!strcmp(sh->state, "counted") || !strcmp(sh->state, "void")) {
		*why = "assembly.ch.err.sheet_done";
		rc = LIN_ECONFLICT;
	} else if (!sh->entry_user[0]) {
		pass = 1;
	} else if (!sh->entry_user[1]) {
		pass = 2;
		if (sh->entry_user[0] == user) {
			*why = "assembly.ch.err.same_staff";
			rc = LIN_EPERM;
		}
	} else {
		/* blocked: a third person, who entered neither, reads the paper
		 * again and decides, saying why */
		pass = 3;
		if (sh->entry_user[0] == user || sh->entry_user[1] == user) {
			*why = "assembly.ch.err.third_staff";
			rc = LIN_EPERM;
		} else if (!note || !*note || strlen(note) > 500) {
			*why = "assembly.ch.err.note";
			rc = LIN_EINVAL;
		}
	}
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO assembly_entries (area_id, sheet_id, pass, user_id,"
				  " choices, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				  &entry_id, "iiiiti", area_id, sheet_id, (int64_t)pass, user,
				  choices, (int64_t)time(NULL));
	if (!rc)
		rc = audit_write(db, s, area_id, "create", "assembly_entries", entry_id,
				 json_pack("{s:I, s:i, s:s}", "sheet_id", (json_int_t)sheet_id,
					   "pass", pass, "choices", choices));
	if (rc || pass == 1)
		goto done;
	if (pass == 3 || channels_entries_agree(sh->entry[0], choices)) {
		rc = count_sheet(db, s, area_id, sh, choices, pass == 3 ? note : NULL, why);
		*outcome = ENTRY_COUNTED;
	} else {
		rc = db_exec_args(db, "UPDATE assembly_sheets SET state = 'blocked' WHERE id = ?",
				  NULL, "i", sheet_id);
		if (!rc)
			rc = audit_write(db, s, area_id, "block", "assembly_sheets", sheet_id,
					 json_pack("{s:s}", "state", "blocked"));
		*outcome = ENTRY_BLOCKED;
	}
done:
	json_decref(matters);
	rc = finish(db, rc);
out:
	free(sh);
	return rc;
}
