/* Ballots: cast (append-only rows, each with an audit entry holding its
 * content), refused (logged), read back with their supersession, and
 * checked against their audit entries by `linli audit verify`. Who may see
 * who voted how is decided here too (assembly_settings.ballot_roles). */
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../web/perm.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool channel_ok(const char *c)
{
	return c && (!strcmp(c, "paper") || !strcmp(c, "online") || !strcmp(c, "proxy") ||
		     !strcmp(c, "meeting"));
}

/* ballot_content: the audited content of one ballot row, the same for
 * casting and for verifying. The caller decrefs. */
static json_t *ballot_content(int64_t assembly_id, int64_t part_id, const char *owner_key,
			      int64_t matter_id, const char *choice, const char *channel,
			      int64_t sheet_id, int64_t proxy_id, int64_t cast_at,
			      int64_t recorded_by)
{
	return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I}", "assembly_id",
			 (json_int_t)assembly_id, "part_id", (json_int_t)part_id, "owner_key",
			 owner_key, "matter_id", (json_int_t)matter_id, "choice", choice, "channel",
			 channel, "sheet_id", (json_int_t)sheet_id, "proxy_id",
			 (json_int_t)proxy_id, "cast_at", (json_int_t)cast_at, "recorded_by",
			 (json_int_t)recorded_by);
}

int assembly_ballot_cast(struct db *db, int64_t area_id, int64_t actor_user_id,
			 const struct assembly_ballot_in *in, const char **why)
{
	struct assembly a;
	struct assembly_part p;
	int64_t n = 0;
	int rc;

	if (why)
		*why = NULL;
	rc = assembly_get(db, area_id, in->assembly_id, &a);
	if (rc == LIN_ENOTFOUND)
		return assembly_refuse(why, "assembly.err.not_found", rc);
	if (rc)
		return rc;
	if (a.state == ASSEMBLY_CLOSED || (a.closes_at && in->cast_at >= a.closes_at))
		return assembly_refuse(why, "assembly.err.closed", LIN_ECONFLICT);
	if (a.state != ASSEMBLY_OPEN || in->cast_at < a.opened_at)
		return assembly_refuse(why, "assembly.err.not_open", LIN_ECONFLICT);
	if (!channel_ok(in->channel))
		return assembly_refuse(why, "assembly.err.channel", LIN_EINVAL);
	rc = assembly_part_get(db, area_id, in->part_id, &p);
	if (rc == LIN_ENOTFOUND || (!rc && (p.assembly_id != a.id || p.removed)))
		return assembly_refuse(why, "assembly.err.part", LIN_EINVAL);
	if (rc)
		return rc;
	if (!strcmp(in->channel, "proxy") || in->proxy_id) {
		rc = db_query_int64(
		    db,
		    "SELECT COUNT(*) FROM assembly_proxies WHERE id = ? AND part_id = ?"
		    " AND assembly_id = ? AND revoked = 0",
		    &n, 3, in->proxy_id, p.id, a.id);
		if (rc)
			return rc;
		if (n != 1)
			return assembly_refuse(why, "assembly.err.no_proxy", LIN_EINVAL);
	}
	if (!in->nchoices)
		return assembly_refuse(why, "assembly.err.no_choice", LIN_EINVAL);
	for (size_t i = 0; i < in->nchoices; i++) {
		for (size_t j = 0; j < i; j++)
			if (in->choices[j].matter_id == in->choices[i].matter_id)
				return assembly_refuse(why, "assembly.err.matter_twice",
						       LIN_EINVAL);
		rc = db_query_int64(
		    db, "SELECT COUNT(*) FROM assembly_matters WHERE id = ? AND assembly_id = ?",
		    &n, 2, in->choices[i].matter_id, a.id);
		if (rc)
			return rc;
		if (n != 1)
			return assembly_refuse(why, "assembly.err.matter", LIN_EINVAL);
		if ((unsigned)in->choices[i].choice > TALLY_ABSTAIN)
			return assembly_refuse(why, "assembly.err.choice", LIN_EINVAL);
	}
	for (size_t i = 0; !rc && i < in->nchoices; i++) {
		const char *choice = tally_choice_name(in->choices[i].choice);
		int64_t id = 0;
		json_t *row;

		rc = db_query_row(db,
				  "INSERT INTO assembly_ballots (area_id, assembly_id, part_id,"
				  " owner_key, matter_id, choice, channel, sheet_id, proxy_id,"
				  " cast_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				  " RETURNING id",
				  &id, "iiitittrrir", area_id, a.id, p.id, p.owner_key,
				  in->choices[i].matter_id, choice, in->channel, in->sheet_id,
				  in->proxy_id, in->cast_at, actor_user_id);
		if (rc)
			break;
		row = ballot_content(a.id, p.id, p.owner_key, in->choices[i].matter_id, choice,
				     in->channel, in->sheet_id, in->proxy_id, in->cast_at,
				     actor_user_id);
		rc = row ? assembly_audit(db, area_id, actor_user_id, "cast", "assembly_ballots",
					  id, row)
			 : LIN_ENOMEM;
		json_decref(row);
	}
	return rc;
}

int assembly_refusal_add(struct db *db, int64_t area_id, int64_t assembly_id, int64_t part_id,
			 const char *channel, const char *reason, int64_t at)
{
	int64_t id = 0;
	json_t *row;
	int rc = db_begin(db);

	if (rc)
		return rc;
	/* A part of another assembly (or none) is logged without it. */
	rc = db_query_int64(db,
			    "SELECT COUNT(*) FROM assembly_parts WHERE id = ? AND assembly_id = ?"
			    " AND area_id = ?",
			    &id, 3, part_id, assembly_id, area_id);
	if (!rc && id != 1)
		part_id = 0;
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO assembly_refusals (area_id, assembly_id, part_id,"
				  " channel, reason, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
				  &id, "iirtti", area_id, assembly_id, part_id,
				  channel ? channel : "", reason ? reason : "", at);
	if (!rc) {
		row = json_pack("{s:I, s:I, s:s, s:s, s:I}", "assembly_id", (json_int_t)assembly_id,
				"part_id", (json_int_t)part_id, "channel", channel ? channel : "",
				"reason", reason ? reason : "", "at", (json_int_t)at);
		rc = assembly_audit(db, area_id, 0, "refuse", "assembly_refusals", id, row);
		json_decref(row);
	}
	return assembly_finish(db, rc);
}

bool assembly_may_see_ballots(struct db *db, int64_t area_id, int role)
{
	struct db_stmt *st = NULL;
	char roles[256] = "admin,secretary";
	const char *name = role_name((enum role)role);
	size_t len;

	if (!db_prepare(db, "SELECT ballot_roles FROM assembly_settings WHERE area_id = ?", &st) &&
	    !db_bindf(st, "i", area_id) && !db_step_one(st))
		snprintf(roles, sizeof(roles), "%s", db_column_text(st, 0));
	db_finalize(st);
	if (role == ROLE_NONE || !name || !*name)
		return false;
	len = strlen(name);
	for (const char *p = roles; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		while (n && *p == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n == len && !strncmp(p, name, len))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/* roles_ok: a comma-separated list of role names a person can hold. */
static bool roles_ok(const char *roles)
{
	char one[32];

	if (!roles || !*roles || strlen(roles) > 200)
		return false;
	for (const char *p = roles; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		enum role r;
		if (!n || n >= sizeof(one))
			return false;
		memcpy(one, p, n);
		one[n] = '\0';
		r = role_from_name(one);
		if (r == ROLE_NONE || r == ROLE_METER)
			return false;
		if (!end)
			break;
		p = end + 1;
	}
	return true;
}

int assembly_settings_set(struct db *db, int64_t area_id, int64_t actor_user_id,
			  const char *ballot_roles, const char *name_mask, const char **why)
{
	json_t *row;
	int rc;

	if (!roles_ok(ballot_roles))
		return assembly_refuse(why, "assembly.err.ballot_roles", LIN_EINVAL);
	if (!name_mask || (strcmp(name_mask, "full") && strcmp(name_mask, "surname") &&
			   strcmp(name_mask, "none")))
		return assembly_refuse(why, "assembly.err.name_mask", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "INSERT INTO assembly_settings (area_id, ballot_roles, name_mask)"
			  " VALUES (?, ?, ?) ON CONFLICT (area_id) DO UPDATE SET"
			  " ballot_roles = excluded.ballot_roles, name_mask = excluded.name_mask",
			  NULL, "itt", area_id, ballot_roles, name_mask);
	if (!rc) {
		row = json_pack("{s:s, s:s}", "ballot_roles", ballot_roles, "name_mask", name_mask);
		rc = assembly_audit(db, area_id, actor_user_id, "update", "assembly_settings",
				    area_id, row);
		json_decref(row);
	}
	return assembly_finish(db, rc);
}

int assembly_ballots_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {"id",	 "part_id",   "unit",	    "owner_key",
					   "owner_name", "matter_id", "code",	    "choice",
					   "channel",	 "cast_at",   "superseded", NULL};

	return db_query_json(
	    db,
	    "SELECT b.id, b.part_id, p.unit, b.owner_key, p.owner_name, b.matter_id, m.code,"
	    " b.choice, b.channel, b.cast_at,"
	    " EXISTS (SELECT 1 FROM assembly_ballots l WHERE l.assembly_id = b.assembly_id"
	    "  AND l.owner_key = b.owner_key AND l.matter_id = b.matter_id"
	    "  AND (l.cast_at > b.cast_at OR (l.cast_at = b.cast_at AND l.id > b.id)))"
	    " FROM assembly_ballots b JOIN assembly_parts p ON p.id = b.part_id"
	    " JOIN assembly_matters m ON m.id = b.matter_id"
	    " WHERE b.area_id = ? AND b.assembly_id = ? ORDER BY b.cast_at, b.id",
	    keys, "iitttitttib", out, "ii", area_id, assembly_id);
}

int assembly_refusals_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {"id",     "part_id", "unit", "channel",
					   "reason", "at",	NULL};

	return db_query_json(
	    db,
	    "SELECT r.id, r.part_id, COALESCE(p.unit, ''), r.channel, r.reason, r.at"
	    " FROM assembly_refusals r LEFT JOIN assembly_parts p ON p.id = r.part_id"
	    " WHERE r.area_id = ? AND r.assembly_id = ? ORDER BY r.at, r.id",
	    keys, "iittti", out, "ii", area_id, assembly_id);
}

/* ------------------------------------------------------------ verify */

static void report(void (*line)(void *, const char *), void *arg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(void (*line)(void *, const char *), void *arg, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!line)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	line(arg, msg);
}

int assembly_verify(struct db *db, int64_t *ballots, int64_t *bad,
		    void (*line)(void *arg, const char *msg), void *arg)
{
	struct db_stmt *st = NULL;
	int rc;

	*ballots = 0;
	*bad = 0;
	/* Every row against the content its audit entry recorded. */
	rc = db_prepare(db,
			"SELECT b.id, b.assembly_id, b.part_id, b.owner_key, b.matter_id, b.choice,"
			" b.channel, COALESCE(b.sheet_id, 0), COALESCE(b.proxy_id, 0), b.cast_at,"
			" COALESCE(b.recorded_by, 0),"
			" (SELECT a.after_json FROM audit_log a WHERE a.entity = 'assembly_ballots'"
			"  AND a.action = 'cast' AND a.entity_id = b.id ORDER BY a.id LIMIT 1)"
			" FROM assembly_ballots b ORDER BY b.id",
			&st);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		json_t *row = ballot_content(db_column_int64(st, 1), db_column_int64(st, 2),
					     db_column_text(st, 3), db_column_int64(st, 4),
					     db_column_text(st, 5), db_column_text(st, 6),
					     db_column_int64(st, 7), db_column_int64(st, 8),
					     db_column_int64(st, 9), db_column_int64(st, 10));
		char *text = row ? json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS) : NULL;

		json_decref(row);
		rc = 0;
		if (!text) {
			rc = LIN_ENOMEM;
			break;
		}
		(*ballots)++;
		if (db_column_is_null(st, 11)) {
			(*bad)++;
			report(line, arg,
			       "选票 %" PRId64 " 没有审计记录 ballot %" PRId64
			       " has no audit entry",
			       id, id);
		} else if (strcmp(text, db_column_text(st, 11))) {
			(*bad)++;
			report(line, arg,
			       "选票 %" PRId64 " 与审计记录不符（被改动） ballot %" PRId64
			       " differs from its audit entry (changed)",
			       id, id);
		}
		free(text);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	st = NULL;
	/* Audited ballots whose row is gone. */
	if (!rc)
		rc = db_prepare(
		    db,
		    "SELECT a.entity_id FROM audit_log a WHERE a.entity = 'assembly_ballots'"
		    " AND a.action = 'cast' AND NOT EXISTS (SELECT 1 FROM assembly_ballots b"
		    " WHERE b.id = a.entity_id) ORDER BY a.entity_id",
		    &st);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		(*bad)++;
		report(line, arg, "选票 %" PRId64 " 已被删除 ballot %" PRId64 " was removed", id,
		       id);
		rc = 0;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}
