/* All of the hours feature's SQL: the ledger's writes (credit, reversal,
 * time-bank gift), each with the balances and the audit entry in the same
 * transaction, the balances check, and the reads of pages and the API. */
#include "store.h"
#include "hours.h"
#include "model.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void set_why(const char **why, const char *key)
{
	if (why)
		*why = key;
}

/* text_row runs sql with its values (types as db_bindf) and copies the
 * first column of its first row into out: 0, LIN_ENOTFOUND (out left as
 * it was) or an error. */
static int text_row(struct db *db, const char *sql, char *out, size_t n, const char *types, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc = db_prepare(db, sql, &st);

	va_start(ap, types);
	if (!rc)
		rc = db_vbindf(st, types, ap);
	va_end(ap);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		snprintf(out, n, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc;
}

/* actor_name: the user's name for the audit log ("cli" for 0). */
static void actor_name(struct db *db, int64_t user_id, char *out, size_t n)
{
	snprintf(out, n, "cli");
	if (user_id > 0)
		text_row(db, "SELECT username FROM users WHERE id = ?", out, n, "i", user_id);
}

int hours_person_resolve(struct db *db, int64_t area_id, int64_t resident_id, int64_t member_id,
			 struct hours_person *out, const char **why)
{
	int64_t linked = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (resident_id <= 0 && member_id <= 0) {
		set_why(why, "hours.err.person");
		return LIN_EINVAL;
	}
	if (member_id > 0) {
		rc = db_query_row(db,
				  "SELECT COALESCE(resident_id, 0) FROM members"
				  " WHERE id = ? AND area_id = ? AND archived = 0",
				  &linked, "ii", member_id, area_id);
		if (rc == LIN_ENOTFOUND)
			set_why(why, "hours.err.member");
		if (rc)
			return rc;
		if (resident_id > 0 && linked != resident_id) {
			set_why(why, "hours.err.member_resident");
			return LIN_EINVAL;
		}
		out->member_id = member_id;
		out->resident_id = linked;
	}
	if (resident_id > 0) {
		rc = db_query_row(
		    db, "SELECT id FROM residents WHERE id = ? AND area_id = ? AND archived = 0",
		    NULL, "ii", resident_id, area_id);
		if (rc == LIN_ENOTFOUND)
			set_why(why, "hours.err.resident");
		if (rc)
			return rc;
		out->resident_id = resident_id;
		if (!out->member_id) {
			rc =
			    db_query_row(db,
					 "SELECT MIN(id) FROM members WHERE resident_id = ? AND"
					 " area_id = ? AND archived = 0 HAVING MIN(id) IS NOT NULL",
					 &out->member_id, "ii", resident_id, area_id);
			if (rc && rc != LIN_ENOTFOUND)
				return rc;
		}
	}
	if (out->resident_id)
		snprintf(out->key, sizeof(out->key), "r%" PRId64, out->resident_id);
	else
		snprintf(out->key, sizeof(out->key), "m%" PRId64, out->member_id);
	return 0;
}

/* entry_append inserts one ledger row and adds it to its person's
 * balances: served moves with service and reversal entries, the bank with
 * every entry. */
static int entry_append(struct db *db, int64_t area_id, int64_t user_id,
			const struct hours_person *p, const char *kind, int64_t minutes,
			const char *source, int64_t source_id, const char *day, const char *note,
			int64_t reverses_id, int64_t pair_id, int64_t *out_id)
{
	int64_t served = (!strcmp(kind, "service") || !strcmp(kind, "reversal")) ? minutes : 0;
	int rc;

	rc = db_query_row(
	    db,
	    "INSERT INTO hours_entries (area_id, person, resident_id, member_id, kind,"
	    " minutes, source, source_id, day, note, reverses_id, pair_id,"
	    " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " RETURNING id",
	    out_id, "itrrtitrttrrir", area_id, p->key, p->resident_id, p->member_id, kind, minutes,
	    source, source_id, day, note ? note : "", reverses_id, pair_id, (int64_t)time(NULL),
	    user_id);
	if (rc == LIN_EDB && db_error_is_constraint(db))
		rc = LIN_ECONFLICT;
	if (!rc)
		rc =
		    db_exec_args(db,
				 "INSERT INTO hours_balances (person, area_id, served_minutes,"
				 " bank_minutes, entries) VALUES (?, ?, ?, ?, 1)"
				 " ON CONFLICT (person) DO UPDATE SET"
				 " served_minutes = hours_balances.served_minutes + ?,"
				 " bank_minutes = hours_balances.bank_minutes + ?,"
				 " entries = hours_balances.entries + 1",
				 NULL, "tiiiii", p->key, area_id, served, minutes, served, minutes);
	return rc;
}

/* entry_audit writes the audit entry of ledger row id. */
static int entry_audit(struct db *db, int64_t area_id, int64_t user_id, const char *action,
		       int64_t id, const struct hours_person *p, const char *kind, int64_t minutes,
		       const char *source, int64_t source_id, const char *day, const char *note,
		       int64_t reverses_id)
{
	char actor[128];
	struct buf after;
	struct audit_entry e = {user_id, actor, area_id, action, "hours_entries", id, NULL, NULL};
	int rc;

	actor_name(db, user_id, actor, sizeof(actor));
	buf_init(&after, 0);
	buf_addf(&after,
		 "{\"person\":\"%s\",\"resident_id\":%" PRId64 ",\"member_id\":%" PRId64
		 ",\"kind\":\"%s\",\"minutes\":%" PRId64 ",\"source\":\"%s\",\"source_id\":%" PRId64
		 ",\"day\":\"%s\",\"reverses_id\":%" PRId64 ",\"note\":",
		 p->key, p->resident_id, p->member_id, kind, minutes, source, source_id, day,
		 reverses_id);
	buf_add_json_string(&after, note ? note : "");
	buf_addc(&after, '}');
	if (after.failed) {
		buf_release(&after);
		return LIN_ENOMEM;
	}
	e.after_json = after.buf;
	rc = audit_append(db, &e);
	buf_release(&after);
	return rc;
}

int64_t hours_today(void)
{
	return lin_local_day((int64_t)time(NULL), LIN_SHANGHAI_OFFSET);
}

int hours_credit(struct db *db, int64_t area_id, int64_t actor_user_id,
		 const struct hours_credit_in *in, int64_t *out_id, const char **why)
{
	struct hours_person p;
	const char *bad = NULL;
	int64_t id = 0;
	int rc;

	if (in->minutes <= 0 || in->minutes > HOURS_CREDIT_MAX_MINUTES)
		bad = "hours.err.minutes";
	else if (!hours_source_valid(in->source))
		bad = "hours.err.source";
	else if (in->source_id < 0)
		bad = "hours.err.source_id";
	else
		bad = hours_day_check(in->day, hours_today());
	if (!bad)
		bad = hours_note_check(in->note, 0, NULL);
	if (bad) {
		set_why(why, bad);
		return LIN_EINVAL;
	}
	rc = hours_person_resolve(db, area_id, in->resident_id, in->member_id, &p, why);
	if (!rc)
		rc = entry_append(db, area_id, actor_user_id, &p, "service", in->minutes,
				  in->source, in->source_id, in->day, in->note, 0, 0, &id);
	if (rc == LIN_ECONFLICT)
		set_why(why, "hours.err.duplicate");
	if (!rc)
		rc = entry_audit(db, area_id, actor_user_id, "credit", id, &p, "service",
				 in->minutes, in->source, in->source_id, in->day, in->note, 0);
	if (!rc && out_id)
		*out_id = id;
	return rc;
}

int hours_correct(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t entry_id,
		  int64_t minutes, const char *reason, int64_t *out_id, const char **why)
{
	struct hours_person p = {0};
	struct db_stmt *st = NULL;
	char kind[16] = "", day[11] = "";
	const char *bad;
	int64_t entry_minutes = 0, reversed = 0, id = 0;
	int rc;

	bad = hours_note_check(reason, 1, "hours.err.reason");
	if (bad) {
		set_why(why, bad);
		return LIN_EINVAL;
	}
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_prepare(db,
			"SELECT e.kind, e.minutes, e.person, COALESCE(e.resident_id, 0),"
			" COALESCE(e.member_id, 0), e.day, (SELECT COUNT(*) FROM hours_entries r"
			" WHERE r.reverses_id = e.id) FROM hours_entries e"
			" WHERE e.id = ? AND e.area_id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", entry_id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		snprintf(kind, sizeof(kind), "%s", db_column_text(st, 0));
		entry_minutes = db_column_int64(st, 1);
		snprintf(p.key, sizeof(p.key), "%s", db_column_text(st, 2));
		p.resident_id = db_column_int64(st, 3);
		p.member_id = db_column_int64(st, 4);
		snprintf(day, sizeof(day), "%s", db_column_text(st, 5));
		reversed = db_column_int64(st, 6);
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		set_why(why, "hours.err.entry");
	if (rc)
		goto fail;
	bad = hours_reversal_check(kind, entry_minutes, reversed > 0, minutes);
	if (bad) {
		set_why(why, bad);
		rc = reversed > 0 ? LIN_ECONFLICT : LIN_EINVAL;
		goto fail;
	}
	rc = entry_append(db, area_id, actor_user_id, &p, "reversal", -minutes, "correction", 0,
			  day, reason, entry_id, 0, &id);
	if (rc == LIN_ECONFLICT)
		set_why(why, "hours.err.reversed_twice");
	if (!rc)
		rc = entry_audit(db, area_id, actor_user_id, "reverse", id, &p, "reversal",
				 -minutes, "correction", 0, day, reason, entry_id);
	if (rc)
		goto fail;
	rc = db_commit(db);
	if (!rc && out_id)
		*out_id = id;
	return rc;
fail:
	db_rollback(db);
	return rc;
}

/* verify_rows runs one discrepancy query: each row is (person or id,
 * what was found, what was expected) and is reported with label. */
static int verify_rows(struct db *db, const char *sql, const char *label, int64_t *bad,
		       void (*report)(void *ctx, const char *line), void *ctx)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);

	while (!rc && (rc = db_step(st)) == DB_ROW) {
		char line[256];
		rc = 0;
		(*bad)++;
		snprintf(line, sizeof(line), "%s: %s (%s / %s)", label, db_column_text(st, 0),
			 db_column_text(st, 1), db_column_text(st, 2));
		if (report)
			report(ctx, line);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int hours_verify(struct db *db, int64_t *people, int64_t *bad,
		 void (*report)(void *ctx, const char *line), void *ctx)
{
	int rc;

	*bad = 0;
	rc = db_query_int64(db, "SELECT COUNT(*) FROM hours_balances", people, 0);
	/* Stored balances against the sums of the ledger, both ways round. */
	if (!rc)
		rc = verify_rows(
		    db,
		    "SELECT b.person, CAST(b.served_minutes AS TEXT) || ',' ||"
		    " CAST(b.bank_minutes AS TEXT) || ',' || CAST(b.entries AS TEXT),"
		    " CAST(COALESCE(s.served, 0) AS TEXT) || ',' || CAST(COALESCE(s.bank, 0) AS "
		    "TEXT)"
		    " || ',' || CAST(COALESCE(s.n, 0) AS TEXT)"
		    " FROM hours_balances b LEFT JOIN (SELECT person,"
		    " SUM(CASE WHEN kind IN ('service', 'reversal') THEN minutes ELSE 0 END) AS "
		    "served,"
		    " SUM(minutes) AS bank, COUNT(*) AS n FROM hours_entries GROUP BY person) s"
		    " ON s.person = b.person WHERE s.person IS NULL OR s.served <> b.served_minutes"
		    " OR s.bank <> b.bank_minutes OR s.n <> b.entries"
		    " UNION ALL SELECT e.person, 'none', CAST(COUNT(*) AS TEXT) || ' entries'"
		    " FROM hours_entries e LEFT JOIN hours_balances b ON b.person = e.person"
		    " WHERE b.person IS NULL GROUP BY e.person ORDER BY 1",
		    "余额与分录之和不符 balance differs from the sum of entries", bad, report, ctx);
	/* A reversal takes back at most its entry, of the same person. */
	if (!rc)
		rc = verify_rows(
		    db,
		    "SELECT CAST(r.id AS TEXT), CAST(r.minutes AS TEXT),"
		    " CAST(COALESCE(e.minutes, 0) AS TEXT) FROM hours_entries r"
		    " LEFT JOIN hours_entries e ON e.id = r.reverses_id"
		    " WHERE r.kind = 'reversal' AND (e.id IS NULL OR e.kind <> 'service'"
		    " OR e.person <> r.person OR -r.minutes > e.minutes) ORDER BY r.id",
		    "冲正超出原分录 reversal exceeds its entry", bad, report, ctx);
	/* Every gift has both sides, equal and opposite. */
	if (!rc)
		rc = verify_rows(
		    db,
		    "SELECT CAST(o.id AS TEXT), CAST(o.minutes AS TEXT),"
		    " COALESCE(CAST(i.minutes AS TEXT), 'none') FROM hours_entries o"
		    " LEFT JOIN hours_entries i ON i.pair_id = o.id AND i.kind = 'gift_in'"
		    " WHERE o.kind = 'gift_out' AND (i.id IS NULL OR i.minutes <> -o.minutes)"
		    " UNION ALL SELECT CAST(i.id AS TEXT), CAST(i.minutes AS TEXT), 'none'"
		    " FROM hours_entries i LEFT JOIN hours_entries o ON o.id = i.pair_id AND"
		    " o.kind = 'gift_out' WHERE i.kind = 'gift_in' AND o.id IS NULL ORDER BY 1",
		    "时间银行转赠不成对 time-bank gift without its other side", bad, report, ctx);
	return rc;
}

int hours_entry_minutes(struct db *db, int64_t area_id, int64_t id, int64_t *out)
{
	return db_query_row(db, "SELECT minutes FROM hours_entries WHERE id = ? AND area_id = ?",
			    out, "ii", id, area_id);
}

int hours_entries_read(struct db *db, int64_t area_id, const char *person, const char *from,
		       const char *to, json_t **out)
{
	static const char *const keys[] = {"id",	"person",      "resident_id", "member_id",
					   "name",	"kind",	       "minutes",     "source",
					   "source_id", "day",	       "note",	      "reverses_id",
					   "pair_id",	"reversed_by", "created_at",  NULL};

	return db_query_json(
	    db,
	    "SELECT e.id, e.person, e.resident_id, e.member_id, COALESCE(r.name, m.name, ''),"
	    " e.kind, e.minutes, e.source, e.source_id, e.day, e.note, e.reverses_id, e.pair_id,"
	    " (SELECT x.id FROM hours_entries x WHERE x.reverses_id = e.id), e.created_at"
	    " FROM hours_entries e LEFT JOIN residents r ON r.id = e.resident_id"
	    " LEFT JOIN members m ON m.id = e.member_id WHERE e.area_id = ?"
	    " AND e.person = COALESCE(?, e.person) AND e.day >= COALESCE(?, e.day)"
	    " AND e.day <= COALESCE(?, e.day) ORDER BY e.day DESC, e.id DESC LIMIT 5000",
	    keys, "itiittitittiiii", out, "ittt", area_id, person, from, to);
}

int hours_user_person(struct db *db, int64_t area_id, int64_t user_id, struct hours_person *out)
{
	int64_t resident = 0;
	int rc = db_query_row(db,
			      "SELECT u.resident_id FROM users u JOIN residents r ON r.id ="
			      " u.resident_id WHERE u.id = ? AND r.area_id = ?",
			      &resident, "ii", user_id, area_id);

	if (!rc && resident <= 0)
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = hours_person_resolve(db, area_id, resident, 0, out, NULL);
	return rc;
}

int hours_user_json(struct db *db, int64_t area_id, int64_t user_id, int year, json_t **out)
{
	struct hours_person p;
	struct hours_sums sums;
	int rc = hours_user_person(db, area_id, user_id, &p);

	*out = NULL;
	if (!rc)
		rc = hours_sums_get(db, &p, year, &sums);
	if (rc)
		return rc;
	*out = json_pack("{sI sI sI}", "served_minutes", (json_int_t)sums.served_minutes,
			 "bank_minutes", (json_int_t)sums.bank_minutes, "year_minutes",
			 (json_int_t)sums.year_minutes);
	return *out ? 0 : LIN_ENOMEM;
}

int hours_sums_get(struct db *db, const struct hours_person *p, int year, struct hours_sums *out)
{
	struct db_stmt *st = NULL;
	char from[16], to[16];
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(
	    db, "SELECT served_minutes, bank_minutes FROM hours_balances WHERE person = ?", &st);
	if (!rc)
		rc = db_bindf(st, "t", p->key);
	if (!rc)
		rc = db_step(st);
	if (rc == DB_ROW) {
		out->served_minutes = db_column_int64(st, 0);
		out->bank_minutes = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	return hours_served_between(db, p, from, to, &out->year_minutes);
}

int hours_served_between(struct db *db, const struct hours_person *p, const char *from,
			 const char *to, int64_t *out)
{
	return db_query_row(
	    db,
	    "SELECT COALESCE(SUM(minutes), 0) FROM hours_entries WHERE person = ? AND"
	    " kind IN ('service', 'reversal') AND day >= ? AND day <= ?",
	    out, "ttt", p->key, from, to);
}

int hours_household_read(struct db *db, int64_t area_id, int64_t resident_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", NULL};

	return db_query_json(db,
			     "SELECT o.id, o.name FROM residents me JOIN residents o ON"
			     " o.household_id = me.household_id AND o.id <> me.id AND"
			     " o.archived = 0 WHERE me.id = ? AND me.area_id = ? ORDER BY o.id",
			     keys, "it", out, "ii", resident_id, area_id);
}

int hours_give(struct db *db, int64_t area_id, int64_t user_id, const struct hours_person *from,
	       int64_t to_resident_id, int64_t credits, int64_t *out_id, const char **why)
{
	struct hours_person to;
	char lock[40], day[11], note[140], back[140], to_name[128], from_name[128];
	int64_t bank = 0, same = 0, out_entry = 0, in_entry = 0;
	int y, m, d, rc;

	if (credits <= 0 || credits > 1000) {
		set_why(why, "hours.err.credits");
		return LIN_EINVAL;
	}
	if (!from->resident_id) {
		set_why(why, "hours.err.household");
		return LIN_EPERM;
	}
	rc = hours_person_resolve(db, area_id, to_resident_id, 0, &to, why);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM residents a JOIN residents b ON b.household_id ="
			  " a.household_id WHERE a.id = ? AND b.id = ? AND a.id <> b.id",
			  &same, "ii", from->resident_id, to.resident_id);
	if (rc)
		return rc;
	if (!same) {
		set_why(why, "hours.err.household");
		return LIN_EPERM;
	}
	lin_civil_from_days(hours_today(), &y, &m, &d);
	snprintf(day, sizeof(day), "%04d-%02d-%02d", y, m, d);
	snprintf(lock, sizeof(lock), "hours-bank-%s", from->key);
	rc = db_begin(db);
	if (rc)
		return rc;
	/* Two gifts at once must not both pass the balance check. */
	rc = db_lock(db, lock);
	if (!rc) {
		rc = db_query_row(db, "SELECT bank_minutes FROM hours_balances WHERE person = ?",
				  &bank, "t", from->key);
		if (rc == LIN_ENOTFOUND)
			rc = 0, bank = 0;
	}
	if (!rc && hours_gift_check(credits, bank)) {
		set_why(why, hours_gift_check(credits, bank));
		rc = LIN_EINVAL;
	}
	/* Each side's note names the other person. */
	if (!rc)
		rc = hours_person_name(db, &to, to_name, sizeof(to_name));
	if (!rc)
		rc = hours_person_name(db, from, from_name, sizeof(from_name));
	snprintf(note, sizeof(note), "→ %s", to_name);
	snprintf(back, sizeof(back), "← %s", from_name);
	if (!rc)
		rc = entry_append(db, area_id, user_id, from, "gift_out", -credits * 60, "timebank",
				  0, day, note, 0, 0, &out_entry);
	if (!rc)
		rc = entry_append(db, area_id, user_id, &to, "gift_in", credits * 60, "timebank", 0,
				  day, back, 0, out_entry, &in_entry);
	if (!rc)
		rc = entry_audit(db, area_id, user_id, "give", out_entry, from, "gift_out",
				 -credits * 60, "timebank", 0, day, note, 0);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db);
	if (!rc && out_id)
		*out_id = out_entry;
	return rc;
}

int hours_people_read(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"person",  "resident_id",	"member_id",
					   "name",    "served_minutes", "bank_minutes",
					   "entries", "in_post",	NULL};

	return db_query_json(
	    db,
	    "SELECT b.person, p.resident_id, p.member_id, COALESCE(r.name, m.name, ''),"
	    " b.served_minutes, b.bank_minutes, b.entries, COALESCE(m.in_post, 0)"
	    " FROM hours_balances b JOIN (SELECT person, MAX(resident_id) AS resident_id,"
	    " MAX(member_id) AS member_id FROM hours_entries WHERE area_id = ? GROUP BY person) p"
	    " ON p.person = b.person LEFT JOIN residents r ON r.id = p.resident_id"
	    " LEFT JOIN members m ON m.id = p.member_id WHERE b.area_id = ?"
	    " ORDER BY COALESCE(r.name, m.name, ''), b.person",
	    keys, "tiitiiib", out, "ii", area_id, area_id);
}

int hours_person_key_parse(struct db *db, int64_t area_id, const char *key,
			   struct hours_person *out, const char **why)
{
	int64_t id;

	if (!key || (key[0] != 'r' && key[0] != 'm') || parse_int64(key + 1, 1, INT64_MAX, &id)) {
		set_why(why, "hours.err.person");
		return LIN_EINVAL;
	}
	return hours_person_resolve(db, area_id, key[0] == 'r' ? id : 0, key[0] == 'm' ? id : 0,
				    out, why);
}

int hours_person_name(struct db *db, const struct hours_person *p, char *out, size_t n)
{
	out[0] = '\0';
	return text_row(db,
			"SELECT COALESCE((SELECT name FROM residents WHERE id = ?),"
			" (SELECT name FROM members WHERE id = ?), '')",
			out, n, "ii", p->resident_id, p->member_id);
}

int hours_points_get(struct db *db, int64_t area_id, int64_t points[])
{
	struct db_stmt *st = NULL;
	int rc;

	for (int i = 0; i < ITEM_COUNT; i++)
		points[i] = hours_item_default[i];
	rc = db_prepare(db, "SELECT item, points FROM hours_point_rules WHERE area_id = ?", &st);
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		int i = hours_item_find(db_column_text(st, 0));
		rc = 0;
		if (i >= 0)
			points[i] = db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int hours_points_set(struct db *db, int64_t area_id, int64_t user_id,
		     const int64_t points[HOURS_ITEMS])
{
	char actor[128];
	struct buf after;
	struct audit_entry e = {user_id, actor, area_id, "update", "hours_point_rules",
				0,	 NULL,	NULL};
	int rc;

	actor_name(db, user_id, actor, sizeof(actor));
	buf_init(&after, 0);
	buf_addc(&after, '{');
	for (int i = 0; i < ITEM_COUNT; i++)
		buf_addf(&after, "%s\"%s\":%" PRId64, i ? "," : "", hours_item_names[i], points[i]);
	buf_addc(&after, '}');
	rc = after.failed ? LIN_ENOMEM : db_begin(db);
	for (int i = 0; !rc && i < ITEM_COUNT; i++)
		rc = db_exec_args(
		    db,
		    "INSERT INTO hours_point_rules (area_id, item, points) VALUES (?, ?,"
		    " ?) ON CONFLICT (area_id, item) DO UPDATE SET points = ?",
		    NULL, "itii", area_id, hours_item_names[i], points[i], points[i]);
	e.after_json = after.buf;
	if (!rc)
		rc = audit_append(db, &e);
	rc = rc ? (db_rollback(db), rc) : db_commit(db);
	buf_release(&after);
	return rc;
}

int hours_target_get(struct db *db, int64_t area_id, int64_t member_id, int year, int64_t *minutes,
		     int *own)
{
	int64_t in_post = 0;
	int rc = db_query_row(db,
			      "SELECT minutes FROM hours_targets WHERE area_id = ? AND year = ?"
			      " AND member_id = ?",
			      minutes, "iii", area_id, (int64_t)year, member_id);

	*own = rc == 0;
	if (rc != LIN_ENOTFOUND)
		return rc;
	*minutes = 0;
	rc = db_query_row(db, "SELECT in_post FROM members WHERE id = ? AND area_id = ?", &in_post,
			  "ii", member_id, area_id);
	if (rc || !in_post)
		return rc == LIN_ENOTFOUND ? 0 : rc;
	return hours_target_default(db, area_id, year, minutes);
}

int hours_target_set(struct db *db, int64_t area_id, int64_t user_id, int64_t member_id, int year,
		     int64_t minutes)
{
	char actor[128], after[160];
	struct audit_entry e = {user_id,	 actor,	    area_id, "update",
				"hours_targets", member_id, NULL,    after};
	int rc;

	actor_name(db, user_id, actor, sizeof(actor));
	snprintf(after, sizeof(after),
		 "{\"member_id\":%" PRId64 ",\"year\":%d,\"minutes\":%" PRId64 "}", member_id, year,
		 minutes);
	rc = db_begin(db);
	if (!rc && member_id)
		rc = db_exec_args(db,
				  "DELETE FROM hours_targets WHERE area_id = ? AND year = ? AND"
				  " member_id = ?",
				  NULL, "iii", area_id, (int64_t)year, member_id);
	else if (!rc)
		rc = db_exec_args(db,
				  "DELETE FROM hours_targets WHERE area_id = ? AND year = ? AND"
				  " member_id IS NULL",
				  NULL, "ii", area_id, (int64_t)year);
	if (!rc && minutes >= 0)
		rc = db_exec_args(db,
				  "INSERT INTO hours_targets (area_id, year, member_id, minutes)"
				  " VALUES (?, ?, ?, ?)",
				  NULL, "iiri", area_id, (int64_t)year, member_id, minutes);
	if (!rc)
		rc = audit_append(db, &e);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int hours_members_read(struct db *db, int64_t area_id, int year, json_t **out)
{
	static const char *const keys[] = {
	    "id", "name", "resident_id", "in_post", "year_minutes", "target_minutes", NULL};
	char from[16], to[16];

	snprintf(from, sizeof(from), "%04d-01-01", year);
	snprintf(to, sizeof(to), "%04d-12-31", year);
	return db_query_json(
	    db,
	    "SELECT m.id, m.name, m.resident_id, m.in_post, (SELECT COALESCE(SUM(e.minutes), 0)"
	    " FROM hours_entries e WHERE e.kind IN ('service', 'reversal') AND e.day >= ? AND"
	    " e.day <= ? AND (e.member_id = m.id OR (m.resident_id IS NOT NULL AND"
	    " e.resident_id = m.resident_id))), (SELECT t.minutes FROM hours_targets t WHERE"
	    " t.area_id = m.area_id AND t.year = ? AND t.member_id = m.id)"
	    " FROM members m WHERE m.area_id = ? AND m.archived = 0 ORDER BY m.name, m.id",
	    keys, "itibii", out, "ttii", from, to, (int64_t)year, area_id);
}

int hours_committee(struct db *db, int64_t area_id, char *area, size_t an, char *street, size_t sn)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT a.name, COALESCE(s.name, '') FROM areas a LEFT JOIN streets s"
			    " ON s.id = a.street_id WHERE a.id = ?",
			    &st);

	area[0] = street[0] = '\0';
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		snprintf(area, an, "%s", db_column_text(st, 0));
		snprintf(street, sn, "%s", db_column_text(st, 1));
	}
	db_finalize(st);
	return rc;
}

int hours_team_members_read(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"team_id", "team", "joined_on", "left_on", NULL};

	return db_query_json(db,
			     "SELECT t.id, t.name, tm.joined_on, tm.left_on FROM teams t JOIN"
			     " team_members tm ON tm.team_id = t.id WHERE t.area_id = ? AND"
			     " t.archived = 0 ORDER BY t.id, tm.joined_on",
			     keys, "ittt", out, "i", area_id);
}

int hours_events_between(struct db *db, const struct hours_person *p, const char *from,
			 const char *to, int64_t *out)
{
	return db_query_row(db,
			    "SELECT COUNT(*) FROM hours_entries e WHERE e.person = ? AND"
			    " e.kind = 'service' AND e.source = 'event' AND e.day >= ? AND"
			    " e.day <= ? AND NOT EXISTS (SELECT 1 FROM hours_entries r WHERE"
			    " r.reverses_id = e.id AND -r.minutes >= e.minutes)",
			    out, "ttt", p->key, from, to);
}

int hours_entry_person(struct db *db, int64_t area_id, int64_t id, char *out, size_t n)
{
	return text_row(db, "SELECT person FROM hours_entries WHERE id = ? AND area_id = ?", out, n,
			"ii", id, area_id);
}

int hours_target_default(struct db *db, int64_t area_id, int year, int64_t *minutes)
{
	int rc = db_query_row(db,
			      "SELECT minutes FROM hours_targets WHERE area_id = ? AND year = ? AND"
			      " member_id IS NULL",
			      minutes, "ii", area_id, (int64_t)year);

	if (rc == LIN_ENOTFOUND) {
		*minutes = 0;
		rc = 0;
	}
	return rc;
}

int hours_member_live(struct db *db, int64_t area_id, int64_t member_id)
{
	return db_query_row(db,
			    "SELECT id FROM members WHERE id = ? AND area_id = ? AND archived = 0",
			    NULL, "ii", member_id, area_id);
}

int hours_month(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		struct hours_month *out)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_query_row(db,
			  "SELECT COALESCE(SUM(minutes), 0) FROM hours_entries WHERE area_id = ?"
			  " AND kind IN ('service', 'reversal') AND day >= ? AND day <= ?",
			  &out->minutes, "itt", area_id, first_day, last_day);
	if (!rc)
		rc = db_query_row(
		    db,
		    "SELECT COALESCE(SUM(minutes), 0) FROM hours_entries WHERE area_id = ?"
		    " AND kind IN ('service', 'reversal') AND day >= ? AND day <= ?"
		    " AND (source = 'shift' OR reverses_id IN (SELECT id FROM"
		    " hours_entries WHERE source = 'shift'))",
		    &out->shift_minutes, "itt", area_id, first_day, last_day);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM (SELECT person FROM hours_entries WHERE"
				  " area_id = ? AND kind IN ('service', 'reversal') AND day >= ?"
				  " AND day <= ? GROUP BY person HAVING SUM(minutes) > 0) p",
				  &out->people, "itt", area_id, first_day, last_day);
	return rc;
}

int hours_month_teams(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		      json_t **out)
{
	static const char *const keys[] = {"team", "minutes", NULL};
	return db_query_json(db,
			     "SELECT t.name, SUM(e.minutes) FROM hours_entries e"
			     " JOIN team_members tm ON tm.resident_id = e.resident_id"
			     " AND tm.joined_on <= ? AND (tm.left_on IS NULL OR tm.left_on > ?)"
			     " JOIN teams t ON t.id = tm.team_id"
			     " WHERE e.area_id = ? AND e.kind IN ('service', 'reversal')"
			     " AND e.day >= ? AND e.day <= ? GROUP BY t.name ORDER BY t.name",
			     keys, "ti", out, "ttitt", last_day, last_day, area_id, first_day,
			     last_day);
}

int hours_member_minutes(struct db *db, int64_t area_id, const char *first_day,
			 const char *last_day, json_t **out)
{
	static const char *const keys[] = {"member_id", "minutes", NULL};
	json_t *rows = NULL, *row;
	size_t i;
	/* One row per entry and member: an entry carries the member, the
	 * resident, or both, and counts once either way. */
	int rc = db_query_json(db,
			       "SELECT mb.id, SUM(e.minutes) FROM members mb JOIN hours_entries e"
			       " ON e.area_id = mb.area_id AND (e.member_id = mb.id OR"
			       " (mb.resident_id IS NOT NULL AND e.resident_id = mb.resident_id))"
			       " WHERE mb.area_id = ? AND e.kind IN ('service', 'reversal')"
			       " AND e.day >= ? AND e.day <= ? GROUP BY mb.id",
			       keys, "ii", &rows, "itt", area_id, first_day, last_day);

	*out = NULL;
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = json_object();
	json_array_foreach (rows, i, row) {
		char key[24];
		snprintf(key, sizeof(key), "%" PRId64,
			 (int64_t)json_integer_value(json_object_get(row, "member_id")));
		json_object_set(*out, key, json_object_get(row, "minutes"));
	}
	json_decref(rows);
	return 0;
}
