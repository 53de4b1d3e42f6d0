/* The committee's profile: the only SQL of the home feature. */
#include "home.h"
#include "store.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../registry/registry.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who may be named on duty: an enabled account holding a committee role
 * in the area. */
#define DUTY_WHERE                                                                                 \
	" FROM users u WHERE u.disabled = 0 AND u.id IN (SELECT r.user_id FROM user_roles r"       \
	" WHERE r.area_id = ? AND r.role IN ('admin', 'secretary', 'staff'))"

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int home_profile_get(struct db *db, int64_t area_id, struct home_profile *out)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db, "SELECT address, phone, office_hours FROM areas WHERE id = ?", &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	rc = db_step_one(st);
	if (!rc) {
		copy(out->address, sizeof(out->address), db_column_text(st, 0));
		copy(out->phone, sizeof(out->phone), db_column_text(st, 1));
		copy(out->office_hours, sizeof(out->office_hours), db_column_text(st, 2));
	}
	db_finalize(st);
	if (rc)
		return rc;
	rc = db_prepare(db, "SELECT weekday, user_id FROM area_duty WHERE area_id = ?", &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	while ((rc = db_step(st)) == DB_ROW) {
		int64_t day = db_column_int64(st, 0);
		if (day >= 1 && day <= 7)
			out->duty[day] = db_column_int64(st, 1);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int home_duty_choices(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", NULL};

	return db_query_json(db,
			     "SELECT u.id, CASE WHEN u.display_name = '' THEN u.username"
			     " ELSE u.display_name END" DUTY_WHERE " ORDER BY u.id",
			     keys, "it", out, "i", area_id);
}

int home_duty_name(struct db *db, int64_t area_id, int weekday, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	int rc;

	out[0] = 0;
	rc = db_prepare(db,
			"SELECT CASE WHEN u.display_name = '' THEN u.username ELSE u.display_name"
			" END FROM area_duty d JOIN users u ON u.id = d.user_id"
			" WHERE d.area_id = ? AND d.weekday = ? AND u.disabled = 0",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, weekday);
	rc = db_step_one(st);
	if (!rc)
		copy(out, n, db_column_text(st, 0));
	db_finalize(st);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

static int text_ok(const char *s)
{
	return utf8_valid(s, strlen(s)) && utf8_chars(s) <= HOME_TEXT_MAX && !strpbrk(s, "\r\n\t");
}

const char *home_profile_check(struct db *db, int64_t area_id, const struct home_profile *p,
			       const char **field)
{
	static const char *const duty_fields[] = {"",	   "duty1", "duty2", "duty3",
						  "duty4", "duty5", "duty6", "duty7"};

	*field = "address";
	if (!text_ok(p->address))
		return "home.bad_text";
	*field = "phone";
	if (p->phone[0] && !registry_phone_valid(p->phone))
		return "home.bad_phone";
	*field = "office_hours";
	if (!text_ok(p->office_hours))
		return "home.bad_text";
	for (int d = 1; d <= 7; d++) {
		int64_t n = 0;
		*field = duty_fields[d];
		if (!p->duty[d])
			continue;
		if (p->duty[d] < 0 ||
		    db_query_int64(db, "SELECT COUNT(*)" DUTY_WHERE " AND u.id = ?", &n, 2, area_id,
				   p->duty[d]) ||
		    n != 1)
			return "home.bad_duty";
	}
	*field = NULL;
	return NULL;
}

int home_profile_set(struct db *db, int64_t area_id, const struct home_profile *p, int64_t user_id,
		     const char *actor)
{
	const char *field;
	json_t *after, *duty = json_object();
	char *text;
	int rc;

	if (home_profile_check(db, area_id, p, &field))
		return LIN_EINVAL;
	for (int d = 1; d <= 7; d++)
		if (p->duty[d]) {
			char key[2] = {(char)('0' + d), 0};
			json_object_set_new(duty, key, json_integer(p->duty[d]));
		}
	after = json_pack("{s:s,s:s,s:s,s:o}", "address", p->address, "phone", p->phone,
			  "office_hours", p->office_hours, "duty", duty);
	text = after ? json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(after);
	if (!text)
		return LIN_ENOMEM;
	rc = db_begin(db);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE areas SET address = ?, phone = ?, office_hours = ?"
				  " WHERE id = ?",
				  NULL, "ttti", p->address, p->phone, p->office_hours, area_id);
	if (!rc)
		rc =
		    db_exec_args(db, "DELETE FROM area_duty WHERE area_id = ?", NULL, "i", area_id);
	for (int d = 1; !rc && d <= 7; d++)
		if (p->duty[d])
			rc = db_exec_args(db,
					  "INSERT INTO area_duty (area_id, weekday, user_id)"
					  " VALUES (?, ?, ?)",
					  NULL, "iii", area_id, (int64_t)d, p->duty[d]);
	if (!rc) {
		struct audit_entry e = {user_id,	actor,	 area_id, "update",
					"area_profile", area_id, NULL,	  text};
		rc = audit_append(db, &e);
	}
	free(text);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int home_user_id(struct db *db, const char *username, int64_t *out)
{
	*out = 0;
	return db_query_row(db, "SELECT id FROM users WHERE username = ?", out, "t", username);
}
