/* The 12345 hotline's referrals: the street office files a work order as
 * a case of one of its areas, and the area's committee returns it (not
 * theirs, with the reason) or replies (what was done); the street sees
 * both. The case is an ordinary case of the area (cases_open), so the
 * area works it as any other; the referral row says where it came from. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/audit.h"
#include "../web/http.h"

#include <string.h>
#include <time.h>

int region_referral_add(struct db *db, const struct session *actor, int64_t street_id,
			const struct case_new *in, const char *ref, int64_t *id, int64_t *case_id,
			char *code, const char **field, const char **key)
{
	int64_t n = 0;
	int rc;

	*id = *case_id = 0;
	*field = *key = NULL;
	if (!ref || !*ref || !utf8_valid(ref, strlen(ref)) || utf8_chars(ref) > REGION_REF_MAX) {
		*field = "hotline_ref";
		*key = "region.ref_bad";
		return LIN_EINVAL;
	}
	rc = db_query_int64(db, "SELECT COUNT(*) FROM areas WHERE id = ? AND street_id = ?", &n, 2,
			    in->area_id, street_id);
	if (rc)
		return rc;
	if (!n)
		return LIN_EPERM;
	/* the case and the referral land together or not at all */
	rc = db_begin_outer(db);
	if (rc)
		return rc;
	rc = cases_open(db, actor, in, case_id, code, field, key);
	if (!rc)
		rc =
		    db_query_row(db,
				 "INSERT INTO case_referrals (area_id, case_id, street_id,"
				 " hotline_ref, referred_by, referred_at) VALUES (?, ?, ?, ?, ?, ?)"
				 " RETURNING id",
				 id, "iiitii", in->area_id, *case_id, street_id, ref,
				 actor->user_id, (int64_t)time(NULL));
	if (!rc) {
		json_t *after = json_pack("{s:I,s:s,s:s}", "case_id", (json_int_t)*case_id,
					  "hotline_ref", ref, "state", "referred");
		rc = audit_append_area(db, actor, in->area_id, "create", "case_referrals", *id,
				       after);
		json_decref(after);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int region_referral_answer(struct db *db, const struct session *actor, int64_t id, int returned,
			   const char *text)
{
	int64_t changed = 0, found = 0;
	int rc;

	if (!text || !*text || !utf8_valid(text, strlen(text)) ||
	    utf8_chars(text) > REGION_ANSWER_MAX)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (!rc)
		rc = db_query_int64(
		    db, "SELECT COUNT(*) FROM case_referrals WHERE id = ? AND area_id = ?", &found,
		    2, id, actor->area_id);
	if (!rc && !found)
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE case_referrals SET state = ?, answer = ?, answered_at = ?"
				  " WHERE id = ? AND area_id = ? AND state = 'referred'",
				  &changed, "ttiii", returned ? "returned" : "replied", text,
				  (int64_t)time(NULL), id, actor->area_id);
	if (!rc && !changed)
		rc = LIN_ECONFLICT;
	if (!rc) {
		json_t *after = json_pack("{s:s,s:s}", "state", returned ? "returned" : "replied",
					  "answer", text);
		rc = audit_append_area(db, actor, actor->area_id, "update", "case_referrals", id,
				       after);
		json_decref(after);
	}
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int region_referrals_json(struct db *db, int64_t street_id, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",    "area",   "area_name",   "hotline_ref", "case_id",	    "case_state",
	    "state", "answer", "referred_at", "answered_at", "description", NULL};
	const char *sql =
	    area_id ? "SELECT r.id, a.code, a.name, r.hotline_ref, r.case_id, c.state, r.state,"
		      " r.answer, r.referred_at, r.answered_at, c.description FROM case_referrals r"
		      " JOIN areas a ON a.id = r.area_id JOIN cases c ON c.id = r.case_id"
		      " WHERE r.area_id = ? ORDER BY r.referred_at DESC, r.id DESC LIMIT 200"
		    : "SELECT r.id, a.code, a.name, r.hotline_ref, r.case_id, c.state, r.state,"
		      " r.answer, r.referred_at, r.answered_at, c.description FROM case_referrals r"
		      " JOIN areas a ON a.id = r.area_id JOIN cases c ON c.id = r.case_id"
		      " WHERE r.street_id = ? ORDER BY r.referred_at DESC, r.id DESC LIMIT 200";

	return db_query_json(db, sql, keys, "itttitttiit", out, "i", area_id ? area_id : street_id);
}
