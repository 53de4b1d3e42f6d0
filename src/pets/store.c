/* All of the pets' SQL: the registry, the reminders the job sends, the
 * pledge and the team's figures. Every write is audited in its own
 * transaction, whoever calls (pages, API, demo). */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../notify/outbox.h"
#include "../notify/sms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* audit writes one entry with after as its JSON (stolen). */
static int audit(struct db *db, int64_t area_id, int64_t user_id, const char *action,
		 const char *entity, int64_t id, json_t *after)
{
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    user_id, user_id ? "user" : "system", area_id, action, entity, id, NULL, text};
	int rc = after && !text ? LIN_ENOMEM : audit_append(db, &e);

	free(text);
	json_decref(after);
	return rc;
}

static int finish(struct db *db, int rc)
{
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

static const char *or_null(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* pet_json: what the audit log keeps of a pet as entered. */
static json_t *pet_json(int64_t household_id, const struct pet_in *in)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?}", "household_id",
			 (json_int_t)household_id, "kind", in->kind, "name", in->name, "licence_no",
			 in->licence_no ? in->licence_no : "", "licence_expires_on",
			 or_null(in->licence_expires_on), "licence_issued_on",
			 or_null(in->licence_issued_on), "rabies_on", or_null(in->rabies_on));
}

int pets_add(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t household_id,
	     const struct pet_in *in, int64_t now, int64_t *id, const char **field,
	     const char **key)
{
	int64_t n = 0, pet = 0;
	int rc = pets_check(in, pets_today(now), field, key);

	if (rc)
		return rc;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM households WHERE id = ? AND area_id = ?"
			  " AND archived = 0",
			  &n, "ii", household_id, area_id);
	if (!rc && !n) {
		*field = "household_id";
		*key = "pets.err.household";
		rc = LIN_ENOTFOUND;
	}
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM pets WHERE household_id = ? AND"
				  " archived = 0",
				  &n, "i", household_id);
	if (!rc && n >= PETS_PER_HOUSE) {
		*field = "name";
		*key = "pets.err.too_many";
		rc = LIN_ECONFLICT;
	}
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO pets (area_id, household_id, kind, name, licence_no,"
				  " licence_issued_on, licence_expires_on, rabies_on, created_by,"
				  " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				  &pet, "iittttttri", area_id, household_id, in->kind, in->name,
				  in->licence_no ? in->licence_no : "",
				  or_null(in->licence_issued_on), or_null(in->licence_expires_on),
				  or_null(in->rabies_on), actor_user_id, now);
	if (!rc)
		rc = audit(db, area_id, actor_user_id, "create", "pets", pet,
			   pet_json(household_id, in));
	rc = finish(db, rc);
	if (!rc && id)
		*id = pet;
	return rc;
}

int pets_update(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t household_id,
		int64_t pet_id, const struct pet_in *in, int64_t now, const char **field,
		const char **key)
{
	int64_t changed = 0, owner = 0;
	int rc = pets_check(in, pets_today(now), field, key);

	if (rc)
		return rc;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT household_id FROM pets WHERE id = ? AND area_id = ? AND"
			  " archived = 0 AND (? = 0 OR household_id = ?)",
			  &owner, "iiii", pet_id, area_id, household_id, household_id);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE pets SET kind = ?, name = ?, licence_no = ?,"
				  " licence_issued_on = ?, licence_expires_on = ?, rabies_on = ?"
				  " WHERE id = ?",
				  &changed, "tttttti", in->kind, in->name,
				  in->licence_no ? in->licence_no : "",
				  or_null(in->licence_issued_on), or_null(in->licence_expires_on),
				  or_null(in->rabies_on), pet_id);
	if (!rc)
		rc = audit(db, area_id, actor_user_id, "update", "pets", pet_id,
			   pet_json(owner, in));
	if (rc == LIN_ENOTFOUND) {
		*field = "id";
		*key = "pets.err.pet";
	}
	return finish(db, rc);
}

int pets_archive(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t household_id,
		 int64_t pet_id, const char **key)
{
	int64_t changed = 0;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "UPDATE pets SET archived = 1 WHERE id = ? AND area_id = ? AND"
			  " archived = 0 AND (? = 0 OR household_id = ?)",
			  &changed, "iiii", pet_id, area_id, household_id, household_id);
	if (!rc && !changed) {
		*key = "pets.err.pet";
		rc = LIN_ENOTFOUND;
	}
	if (!rc)
		rc = audit(db, area_id, actor_user_id, "archive", "pets", pet_id, NULL);
	return finish(db, rc);
}

int pets_household_of(struct db *db, int64_t area_id, int64_t user_id, int64_t *household_id)
{
	int rc = db_query_row(db,
			      "SELECT COALESCE(r.household_id, 0) FROM users u JOIN residents r ON"
			      " r.id = u.resident_id WHERE u.id = ? AND r.area_id = ? AND"
			      " r.archived = 0",
			      household_id, "ii", user_id, area_id);

	if (rc == LIN_ENOTFOUND) {
		*household_id = 0;
		rc = 0;
	}
	return rc;
}

int pets_list(struct db *db, int64_t area_id, int64_t household_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",	  "household_id",      "household",	     "kind",	  "name",
	    "licence_no", "licence_issued_on", "licence_expires_on", "rabies_on", "owner_phone",
	    NULL};

	return db_query_json(
	    db,
	    "SELECT p.id, p.household_id, c.name || ' ' || b.name || ' ' || h.door, p.kind, p.name,"
	    " p.licence_no, COALESCE(p.licence_issued_on, ''), COALESCE(p.licence_expires_on, ''),"
	    " COALESCE(p.rabies_on, ''), COALESCE((SELECT r.phone FROM residents r WHERE"
	    " r.household_id = p.household_id AND r.archived = 0 AND r.phone <> '' ORDER BY"
	    " r.is_owner DESC, r.id LIMIT 1), '') FROM pets p JOIN households h ON h.id ="
	    " p.household_id JOIN buildings b ON b.id = h.building_id JOIN compounds c ON c.id ="
	    " b.compound_id WHERE p.area_id = ? AND p.archived = 0 AND (? = 0 OR"
	    " p.household_id = ?) ORDER BY c.name, b.name, h.door, p.id",
	    keys,
	    "iittttttt"
	    "t",
	    out, "iii", area_id, household_id, household_id);
}

int pets_reminders(struct db *db, int64_t area_id, int64_t household_id, json_t **out)
{
	static const char *const keys[] = {"pet_id", "kind", "due_on", "sent_at", NULL};

	return db_query_json(db,
			     "SELECT m.pet_id, m.kind, m.due_on, m.sent_at FROM pet_reminders m"
			     " JOIN pets p ON p.id = m.pet_id WHERE m.area_id = ? AND"
			     " p.household_id = ? ORDER BY m.sent_at DESC, m.id DESC LIMIT 50",
			     keys, "itti", out, "ii", area_id, household_id);
}

int pets_pledge_sign(struct db *db, int64_t area_id, int64_t user_id, int64_t household_id,
		     const char *signer, int64_t now, const char **key)
{
	int64_t id = 0;
	int rc;

	if (!signer || !signer[0] || !utf8_valid(signer, strlen(signer)) ||
	    utf8_chars(signer) > PETS_NAME_MAX) {
		*key = "pets.err.signer";
		return LIN_EINVAL;
	}
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO pet_pledges (area_id, household_id, user_id, signer,"
			  " signed_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
			  &id, "iirti", area_id, household_id, user_id, signer, now);
	if (!rc)
		rc = audit(db, area_id, user_id, "sign", "pet_pledges", id,
			   json_pack("{s:I, s:s}", "household_id", (json_int_t)household_id,
				     "signer", signer));
	return finish(db, rc);
}

int pets_pledge_at(struct db *db, int64_t household_id, int64_t *at)
{
	return db_query_row(db,
			    "SELECT COALESCE(MAX(signed_at), 0) FROM pet_pledges WHERE"
			    " household_id = ?",
			    at, "i", household_id);
}

int pets_team_read(struct db *db, int64_t area_id, struct pets_team *out)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(db,
			"SELECT t.id, t.note, (SELECT COUNT(*) FROM team_members m WHERE"
			" m.team_id = t.id AND m.left_on IS NULL), COALESCE((SELECT"
			" MIN(m.joined_on) FROM team_members m WHERE m.team_id = t.id), '')"
			" FROM teams t WHERE t.area_id = ? AND t.name = ? AND t.archived = 0",
			&st);
	if (!rc)
		rc = db_bindf(st, "it", area_id, PETS_TEAM);
	if (!rc && (rc = db_step(st)) == DB_ROW) {
		out->id = db_column_int64(st, 0);
		snprintf(out->note, sizeof(out->note), "%s", db_column_text(st, 1));
		out->members = db_column_int64(st, 2);
		snprintf(out->formed_on, sizeof(out->formed_on), "%.10s", db_column_text(st, 3));
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	rc = db_query_row(db, "SELECT COUNT(*) FROM pets WHERE area_id = ? AND archived = 0",
			  &out->pets, "i", area_id);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(DISTINCT household_id) FROM pets WHERE area_id = ?"
				  " AND archived = 0",
				  &out->households, "i", area_id);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(DISTINCT household_id) FROM pet_pledges WHERE"
				  " area_id = ?",
				  &out->pledges, "i", area_id);
	return rc;
}

int pets_webhook_set(struct db *db, int64_t area_id, const char *url)
{
	int rc;

	if (url[0] && (rc = outbox_target_check(OUTBOX_WEBHOOK, url)))
		return rc;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db, "DELETE FROM pets_settings WHERE area_id = ?", NULL, "i", area_id);
	if (!rc)
		rc = db_exec_args(
		    db, "INSERT INTO pets_settings (area_id, reminder_webhook) VALUES (?, ?)", NULL,
		    "it", area_id, url);
	if (!rc)
		rc = audit(db, area_id, 0, "update", "pets_settings", area_id,
			   json_pack("{s:s}", "reminder_webhook", url));
	return finish(db, rc);
}

/* ---- the reminders ---- */

#define SWEEP_BATCH 64

/* One reminder due: which pet, what, and the day it falls due. */
struct due {
	int64_t pet, area, household;
	const char *kind; /* "licence" or "rabies" */
	int64_t day;
	char name[4 * PETS_NAME_MAX + 1];
};

/* remind_webhook queues the reminder for the area's webhook, when one is
 * configured, with the household's phones (inside the caller's
 * transaction). */
static int remind_webhook(struct db *db, const struct due *d, const char *due_on)
{
	struct db_stmt *st = NULL;
	json_t *phones = json_array(), *payload = NULL;
	char url[OUTBOX_TARGET_MAX + 1] = "", *text = NULL;
	int64_t id = 0;
	int rc =
	    db_prepare(db, "SELECT reminder_webhook FROM pets_settings WHERE area_id = ?", &st);

	if (!rc)
		rc = db_bindf(st, "i", d->area);
	if (!rc && (rc = db_step(st)) == DB_ROW) {
		snprintf(url, sizeof(url), "%s", db_column_text(st, 0));
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0 || !url[0]) {
		json_decref(phones);
		return rc < 0 ? rc : 0;
	}
	rc = db_prepare(db,
			"SELECT phone FROM residents WHERE household_id = ? AND archived = 0 AND"
			" phone <> '' ORDER BY is_owner DESC, id",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", d->household);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		json_array_append_new(phones, json_string(db_column_text(st, 0)));
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0) {
		json_decref(phones);
		return rc;
	}
	payload = json_pack("{s:s, s:s, s:I, s:s, s:s, s:I, s:o}", "event", "pets.reminder", "kind",
			    d->kind, "pet_id", (json_int_t)d->pet, "pet", d->name, "due_on", due_on,
			    "household_id", (json_int_t)d->household, "phones", phones);
	text = payload ? json_dumps(payload, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	rc = text ? outbox_enqueue(db, d->area, OUTBOX_WEBHOOK, url, NULL, text, &id) : LIN_ENOMEM;
	free(text);
	json_decref(payload);
	return rc;
}

/* remind_sms texts the household's first phone (the owner's before
 * others') when no account of the household got the reminder in its
 * inbox: an elderly owner without an account still hears of it. Inside
 * the caller's transaction. */
static int remind_sms(struct db *db, const struct due *d, const char *due_on)
{
	char phone[32] = "", text[4 * PETS_NAME_MAX + 200];
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT phone FROM residents WHERE household_id = ? AND archived = 0 AND"
		       " phone <> '' ORDER BY is_owner DESC, id LIMIT 1",
		       &st);

	if (!rc)
		rc = db_bindf(st, "i", d->household);
	if (!rc && (rc = db_step(st)) == DB_ROW) {
		snprintf(phone, sizeof(phone), "%s", db_column_text(st, 0));
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0 || !phone[0])
		return rc < 0 ? rc : 0;
	snprintf(text, sizeof(text), "【邻里】宠物提醒：%s的%s%s到期，请及时办理。", d->name,
		 strcmp(d->kind, "licence") ? "狂犬疫苗" : "犬证", due_on);
	return sms_send(db, d->area, phone, "pets.reminder", text);
}

/* remind records one reminder and writes the household's inbox, in one
 * transaction; OUT: *sent 1 when it was new. */
static int remind(struct db *db, const struct due *d, int64_t now, int *sent)
{
	char due_on[11], message[400];
	int64_t changed = 0, id = 0;
	int rc;

	*sent = 0;
	pets_day_text(d->day, due_on, sizeof(due_on));
	snprintf(message, sizeof(message), "pets.inbox.%s|%s %s", d->kind, d->name, due_on);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "INSERT INTO pet_reminders (area_id, pet_id, kind, due_on, sent_at)"
			  " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM pet_reminders"
			  " WHERE pet_id = ? AND kind = ? AND due_on = ?)",
			  &changed, "iittiitt", d->area, d->pet, d->kind, due_on, now, d->pet,
			  d->kind, due_on);
	if (!rc && changed)
		rc =
		    db_exec_args(db,
				 "INSERT INTO inbox (area_id, user_id, at, message) SELECT ?, u.id,"
				 " ?, ? FROM users u JOIN residents r ON r.id = u.resident_id WHERE"
				 " r.household_id = ? AND r.archived = 0 AND u.disabled = 0",
				 &id, "iiti", d->area, now, message, d->household);
	if (!rc && changed)
		rc = db_exec_args(db,
				  "UPDATE pet_reminders SET recipients = ? WHERE pet_id = ? AND"
				  " kind = ? AND due_on = ?",
				  NULL, "iitt", id, d->pet, d->kind, due_on);
	if (!rc && changed)
		rc = remind_webhook(db, d, due_on);
	if (!rc && changed && !id)
		rc = remind_sms(db, d, due_on);
	if (!rc && changed)
		rc = audit(db, d->area, 0, "remind", "pets", d->pet,
			   json_pack("{s:s, s:s, s:I}", "kind", d->kind, "due_on", due_on,
				     "recipients", (json_int_t)id));
	rc = finish(db, rc);
	*sent = !rc && changed;
	return rc;
}

/* in_window: day falls due within PETS_REMIND_DAYS of today either way. */
static int in_window(int64_t today, int64_t day)
{
	return today >= day - PETS_REMIND_DAYS && today <= day + PETS_REMIND_DAYS;
}

int pets_remind_sweep(struct db *db, int64_t now, int *sent)
{
	struct db_stmt *st = NULL;
	struct due due[SWEEP_BATCH];
	int64_t today = pets_today(now), after = 0;
	int n, rc, more = 1;

	*sent = 0;
	while (more) {
		n = 0;
		rc = db_prepare(db,
				"SELECT p.id, p.area_id, p.household_id, p.name,"
				" COALESCE(p.licence_expires_on, ''), COALESCE(p.rabies_on, '')"
				" FROM pets p WHERE p.archived = 0 AND p.id > ? AND"
				" (p.licence_expires_on IS NOT NULL OR p.rabies_on IS NOT NULL)"
				" ORDER BY p.id LIMIT 32",
				&st);
		if (!rc)
			rc = db_bindf(st, "i", after);
		more = 0;
		while (!rc && (rc = db_step(st)) == DB_ROW) {
			struct due d = {0};
			int64_t day;
			more = 1;
			d.pet = after = db_column_int64(st, 0);
			d.area = db_column_int64(st, 1);
			d.household = db_column_int64(st, 2);
			snprintf(d.name, sizeof(d.name), "%s", db_column_text(st, 3));
			if (!pets_day(db_column_text(st, 4), &day) && in_window(today, day)) {
				d.kind = "licence";
				d.day = day;
				due[n++] = d;
			}
			if (!pets_day(db_column_text(st, 5), &day) &&
			    in_window(today, pets_rabies_due(day))) {
				d.kind = "rabies";
				d.day = pets_rabies_due(day);
				due[n++] = d;
			}
			rc = 0;
		}
		db_finalize(st);
		if (rc < 0)
			return rc;
		for (int i = 0; i < n; i++) {
			int one = 0;
			rc = remind(db, &due[i], now, &one);
			if (rc)
				return rc;
			*sent += one;
		}
	}
	return 0;
}

static int remind_job(struct db *db, int64_t now, void *arg, const atomic_int *stop)
{
	int sent = 0;

	(void)arg;
	(void)stop;
	return pets_remind_sweep(db, now, &sent);
}

const struct job pets_jobs[] = {
    {"pets.remind", 3600, remind_job, NULL},
    {NULL, 0, NULL, NULL},
};

int pets_resident_json(struct db *db, int64_t area_id, int64_t user_id, json_t **out)
{
	json_t *pets = NULL, *reminders = NULL, *pet, *m;
	int64_t household = 0, pledge = 0;
	size_t i, j;
	int rc = pets_household_of(db, area_id, user_id, &household);

	*out = NULL;
	if (!rc && household)
		rc = pets_list(db, area_id, household, &pets);
	else if (!rc)
		pets = json_array();
	if (!rc && household)
		rc = pets_reminders(db, area_id, household, &reminders);
	if (!rc && household)
		rc = pets_pledge_at(db, household, &pledge);
	json_array_foreach (pets, i, pet) {
		json_t *mine = json_array();
		int64_t day;
		char due[11] = "";
		json_object_del(pet, "owner_phone");
		if (!pets_day(json_string_value(json_object_get(pet, "rabies_on")), &day))
			pets_day_text(pets_rabies_due(day), due, sizeof(due));
		json_object_set_new(pet, "rabies_due_on", due[0] ? json_string(due) : json_null());
		json_array_foreach (reminders, j, m)
			if (json_integer_value(json_object_get(m, "pet_id")) ==
			    json_integer_value(json_object_get(pet, "id")))
				json_array_append(mine, m);
		json_object_set_new(pet, "reminders", mine);
	}
	if (!rc)
		*out = json_pack("{s:I, s:o, s:O}", "household_id", (json_int_t)household,
				 "pledge_signed_at", pledge ? json_integer(pledge) : json_null(),
				 "pets", pets ? pets : json_array());
	json_decref(pets);
	json_decref(reminders);
	if (!rc && !*out)
		rc = LIN_ENOMEM;
	return rc;
}
