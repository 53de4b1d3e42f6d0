/* The cases feature's two main writes: opening a report (cases_open) and
 * moving it through the state machine (case_act, referrals with their
 * outbound notices included), and the timeline event and audit entry each
 * write appends (case_event_add, case_audit). Each runs in one transaction.
 * What follows an open case (notes, recurrences, ratings, mediations,
 * photos, the sweep) is in followup.c. */
#include "store.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../notify/outbox.h"
#include "../web/audit.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void bind_opt_id2(struct db_stmt *st, int idx, int64_t v)
{
	if (v > 0)
		db_bind_int64(st, idx, v);
	else
		db_bind_null(st, idx);
}

static const char *who_name(const struct case_who *who)
{
	if (who->name)
		return who->name;
	if (who->sess && who->sess->name)
		return who->sess->name;
	return who->actor.kind == ACTOR_REPORTER ? "reporter" : "system";
}

int case_event_add(struct db *db, int64_t id, const struct case_who *who, const char *kind,
		   const char *from, const char *to, const char *note, int public_note, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "INSERT INTO case_events (case_id, at, actor, user_id, kind, from_state,"
		       " to_state, note, public) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, id);
	db_bind_int64(st, 2, now);
	db_bind_text(st, 3, who_name(who));
	if (who->sess && who->sess->user_id)
		db_bind_int64(st, 4, who->sess->user_id);
	else
		db_bind_null(st, 4);
	db_bind_text(st, 5, kind);
	db_bind_text(st, 6, from);
	db_bind_text(st, 7, to);
	db_bind_text(st, 8, note ? note : "");
	db_bind_int64(st, 9, public_note);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int case_audit(struct db *db, const struct case_who *who, int64_t area_id, const char *action,
	       int64_t id, const char *before, const char *after)
{
	struct audit_entry e = {
	    .user_id = who->sess ? who->sess->user_id : 0,
	    .actor = who_name(who),
	    .area_id = area_id,
	    .action = action,
	    .entity = "cases",
	    .entity_id = id,
	    .before_json = before,
	    .after_json = after,
	};
	return audit_append(db, &e);
}

static int inbox_add(struct db *db, int64_t area_id, int64_t user_id, int64_t team_id,
		     int64_t case_id, const char *message, int64_t now)
{
	struct db_stmt *st = NULL;
	int rc;

	if (!user_id && !team_id)
		return 0;
	rc = db_prepare(db,
			"INSERT INTO inbox (area_id, user_id, team_id, case_id, at, message)"
			" VALUES (?, ?, ?, ?, ?, ?)",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	if (user_id)
		db_bind_int64(st, 2, user_id);
	else
		db_bind_null(st, 2);
	if (team_id)
		db_bind_int64(st, 3, team_id);
	else
		db_bind_null(st, 3);
	db_bind_int64(st, 4, case_id);
	db_bind_int64(st, 5, now);
	db_bind_text(st, 6, message);
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* in_area: the row id of table exists in the area (and is live). */
static int in_area(struct db *db, const char *table, int64_t area_id, int64_t id, int live)
{
	char sql[160];
	int64_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s WHERE id = ? AND area_id = ?%s", table,
		 live ? " AND archived = 0" : "");
	if (db_query_int64(db, sql, &n, 2, id, area_id))
		return 0;
	return n > 0;
}

/* ---- opening ---- */

/* keep_field copies a question code named in an error, which lives in the
 * category's JSON (freed when cases_open returns), to the caller's arena;
 * without one (or out of memory) the error names the answers as a whole. */
static const char *keep_field(struct arena *arena, const char *code)
{
	const char *copy = arena ? arena_strdup(arena, code) : NULL;
	return copy ? copy : "answers";
}

void case_error_add(struct case_errors *errs, const char *field, const char *key)
{
	if (errs->n < CASE_ERRORS_MAX) {
		errs->field[errs->n] = field;
		errs->key[errs->n] = key;
		errs->n++;
	}
}

/* check_answers keeps the answers to the category's questions only, and
 * checks required ones and the allowed values of lists. */
static void check_answers(const struct case_category *cat, json_t *answers, json_t *out,
			  struct arena *arena, struct case_errors *errs)
{
	size_t i;
	json_t *q;

	json_array_foreach (cat->questions, i, q) {
		const char *code = json_string_value(json_object_get(q, "code"));
		const char *type = json_string_value(json_object_get(q, "datatype"));
		json_t *a = answers ? json_object_get(answers, code ? code : "") : NULL;
		int required = json_is_true(json_object_get(q, "required"));
		json_t *values = json_object_get(q, "values");

		if (!code || !type)
			continue;
		if (!a || json_is_null(a) || (json_is_string(a) && !*json_string_value(a)) ||
		    (json_is_array(a) && !json_array_size(a))) {
			if (required)
				case_error_add(errs, keep_field(arena, code),
					       "case.err.answer_required");
			continue;
		}
		if (!strcmp(type, "multivaluelist")) {
			size_t k;
			json_t *v;
			if (!json_is_array(a))
				goto bad;
			json_array_foreach (a, k, v) {
				size_t m;
				json_t *allowed;
				int ok = 0;
				json_array_foreach (values, m, allowed)
					ok |= json_equal(json_object_get(allowed, "key"), v);
				if (!ok)
					goto bad;
			}
		} else if (!strcmp(type, "singlevaluelist")) {
			size_t m;
			json_t *allowed;
			int ok = 0;
			json_array_foreach (values, m, allowed)
				ok |= json_equal(json_object_get(allowed, "key"), a);
			if (!ok)
				goto bad;
		} else if (!json_is_string(a) || utf8_chars(json_string_value(a)) > 500 ||
			   !utf8_valid(json_string_value(a), strlen(json_string_value(a)))) {
			goto bad;
		}
		json_object_set(out, code, a);
		continue;
	bad:
		case_error_add(errs, keep_field(arena, code), "case.err.answer");
	}
}

static void check_new(struct db *db, const struct case_new *in, struct case_errors *errs)
{
	int64_t of = 0;

#define BAD(field, key) case_error_add(errs, field, key)
	if (!in->description || !*in->description)
		BAD("description", "err.required");
	else if (!utf8_valid(in->description, strlen(in->description)))
		BAD("description", "err.utf8");
	else if (utf8_chars(in->description) > CASE_DESCRIPTION_MAX)
		BAD("description", "err.too_long");
	if (in->compound_id && !in_area(db, "compounds", in->area_id, in->compound_id, 1))
		BAD("compound_id", "err.ref");
	if (in->building_id && !in_area(db, "buildings", in->area_id, in->building_id, 1))
		BAD("building_id", "err.ref");
	/* A building of another compound than the one chosen is a mistake to
	 * show, not a choice to override. */
	else if (in->building_id && in->compound_id &&
		 !db_query_int64(db, "SELECT compound_id FROM buildings WHERE id = ?", &of, 1,
				 in->building_id) &&
		 of != in->compound_id)
		BAD("building_id", "case.err.building_compound");
	if (in->household_id && !in_area(db, "households", in->area_id, in->household_id, 1))
		BAD("household_id", "err.ref");
	if ((in->plan_x >= 0) != (in->plan_y >= 0) || in->plan_x > 1000 || in->plan_y > 1000)
		BAD("plan", "case.err.plan");
	/* the timeline links it: a path of this site, plain characters only */
	if (in->source_link && *in->source_link &&
	    (in->source_link[0] != '/' || in->source_link[1] == '/' ||
	     strspn(in->source_link, "/abcdefghijklmnopqrstuvwxyz0123456789-_") !=
		 strlen(in->source_link) ||
	     strlen(in->source_link) > 200))
		BAD("source_link", "err.bad_query");
	if ((in->lat_e6 == INT64_MIN) != (in->lon_e6 == INT64_MIN))
		BAD("lat", "case.err.latlon");
	else if (in->lat_e6 != INT64_MIN && (in->lat_e6 < -90000000 || in->lat_e6 > 90000000 ||
					     in->lon_e6 < -180000000 || in->lon_e6 > 180000000))
		BAD("lat", "case.err.latlon");
	if (in->address && !utf8_valid(in->address, strlen(in->address)))
		BAD("address", "err.utf8");
	else if (in->address && utf8_chars(in->address) > 200)
		BAD("address", "err.too_long");
	if (in->reporter_name && !utf8_valid(in->reporter_name, strlen(in->reporter_name)))
		BAD("reporter_name", "err.utf8");
	else if (in->reporter_name && utf8_chars(in->reporter_name) > 40)
		BAD("reporter_name", "err.too_long");
	if (in->reporter_phone && strlen(in->reporter_phone) > 20)
		BAD("reporter_phone", "err.phone");
	if (in->reporter_email && strlen(in->reporter_email) > 120)
		BAD("reporter_email", "err.too_long");
#undef BAD
}

/* insert_case writes the case's row: in as checked, in category cat, with
 * its place completed (compound, building), its answers and its deadlines
 * from now on the working-day calendar. OUT: *id. */
static int insert_case(struct db *db, const struct case_new *in, const struct case_category *cat,
		       const struct workday_calendar *cal, const char *code, int64_t compound,
		       int64_t building, const char *answers_text, int64_t now, int64_t *id)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(
	    db,
	    "INSERT INTO cases (area_id, category_id, tracking_code, state, description,"
	    " compound_id, building_id, household_id, plan_x, plan_y, lat_e6, lon_e6,"
	    " address, reporter_name, reporter_phone, reporter_email, reporter_user_id,"
	    " channel, answers, handler_team_id, agency_unit_id, created_at, updated_at,"
	    " accept_due, resolve_due, subject_team_id, public_updated_at, photos_public)"
	    " VALUES (?, ?, ?, 'submitted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?, ?, ?, ?, ?) RETURNING id",
	    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, in->area_id);
	db_bind_int64(st, 2, cat->id);
	db_bind_text(st, 3, code);
	db_bind_text(st, 4, in->description);
	if (compound)
		db_bind_int64(st, 5, compound);
	else
		db_bind_null(st, 5);
	if (building)
		db_bind_int64(st, 6, building);
	else
		db_bind_null(st, 6);
	if (in->household_id)
		db_bind_int64(st, 7, in->household_id);
	else
		db_bind_null(st, 7);
	if (in->plan_x >= 0) {
		db_bind_int64(st, 8, in->plan_x);
		db_bind_int64(st, 9, in->plan_y);
	} else {
		db_bind_null(st, 8);
		db_bind_null(st, 9);
	}
	if (in->lat_e6 != INT64_MIN) {
		db_bind_int64(st, 10, in->lat_e6);
		db_bind_int64(st, 11, in->lon_e6);
	} else {
		db_bind_null(st, 10);
		db_bind_null(st, 11);
	}
	db_bind_text(st, 12, in->address ? in->address : "");
	db_bind_text(st, 13, in->reporter_name ? in->reporter_name : "");
	db_bind_text(st, 14, in->reporter_phone ? in->reporter_phone : "");
	db_bind_text(st, 15, in->reporter_email ? in->reporter_email : "");
	if (in->reporter_user_id)
		db_bind_int64(st, 16, in->reporter_user_id);
	else
		db_bind_null(st, 16);
	db_bind_text(st, 17, in->channel ? in->channel : "web");
	db_bind_text(st, 18, answers_text ? answers_text : "{}");
	if (cat->handler_team_id)
		db_bind_int64(st, 19, cat->handler_team_id);
	else
		db_bind_null(st, 19);
	if (cat->agency_unit_id)
		db_bind_int64(st, 20, cat->agency_unit_id);
	else
		db_bind_null(st, 20);
	db_bind_int64(st, 21, now);
	db_bind_int64(st, 22, now);
	db_bind_int64(st, 23, workday_deadline(cal, now, 1));
	db_bind_int64(st, 24,
		      workday_deadline(cal, now, cat->resolve_days > 0 ? cat->resolve_days : 5));
	if (in->subject_team_id)
		db_bind_int64(st, 25, in->subject_team_id);
	else
		db_bind_null(st, 25);
	db_bind_int64(st, 26, now);
	db_bind_int64(st, 27, in->photos_public && in->nphotos && !cat->private_ ? 1 : 0);
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		rc = 0;
	} else {
		rc = rc < 0 ? rc : LIN_EDB;
	}
	db_finalize(st);
	return rc;
}

/* unique_code draws tracking codes until one is free (five tries). */
static int unique_code(struct db *db, char code[TRACKING_CODE_LEN + 1])
{
	int64_t taken = 1;
	int rc = 0;

	for (int attempt = 0; attempt < 5 && taken && !rc; attempt++) {
		tracking_code_new(code);
		rc = db_query_row(db, "SELECT COUNT(*) FROM cases WHERE tracking_code = ?", &taken,
				  "t", code);
	}
	return rc;
}

int cases_check(struct db *db, const struct case_new *in, struct case_errors *errs)
{
	struct case_category cat;
	json_t *scratch = json_object();
	int rc = case_category_get(db, in->area_id, in->category ? in->category : "", &cat);

	if (rc == LIN_ENOTFOUND)
		case_error_add(errs, "category", "case.err.category");
	else if (rc) {
		json_decref(scratch);
		return rc;
	}
	check_new(db, in, errs);
	if (!rc) {
		check_answers(&cat, in->answers, scratch, in->arena, errs);
		case_category_release(&cat);
	}
	json_decref(scratch);
	return 0;
}

int cases_open(struct db *db, const struct session *actor, const struct case_new *in, int64_t *id,
	       char code[TRACKING_CODE_LEN + 1], const char **err_field, const char **err_key)
{
	struct case_category cat;
	struct workday_calendar cal;
	struct db_stmt *st = NULL;
	struct case_who who = {
	    {actor ? ACTOR_ROLE : ACTOR_REPORTER, actor ? actor->role : ROLE_NONE}, actor, NULL};
	json_t *answers = json_object();
	char *answers_text = NULL, after[256];
	int64_t now = (int64_t)time(NULL), building = in->building_id, compound = in->compound_id;
	int rc;

	*id = 0;
	*err_field = NULL;
	*err_key = NULL;
	memset(&cat, 0, sizeof(cat));
	memset(&cal, 0, sizeof(cal));
	rc = db_begin(db);
	if (rc) {
		json_decref(answers);
		return rc;
	}
	rc = case_category_get(db, in->area_id, in->category ? in->category : "", &cat);
	if (rc == LIN_ENOTFOUND) {
		*err_field = "category";
		*err_key = "case.err.category";
		rc = LIN_EINVAL;
	}
	if (!rc) {
		struct case_errors errs = {0};
		check_new(db, in, &errs);
		check_answers(&cat, in->answers, answers, in->arena, &errs);
		if (errs.n) {
			*err_field = errs.field[0];
			*err_key = errs.key[0];
			rc = LIN_EINVAL;
		}
	}
	if (!rc)
		rc = case_calendar(db, &cal);
	if (rc)
		goto fail;
	/* A household names its building and compound too. */
	if (in->household_id)
		db_query_int64(db, "SELECT building_id FROM households WHERE id = ?", &building, 1,
			       in->household_id);
	if (building)
		db_query_int64(db, "SELECT compound_id FROM buildings WHERE id = ?", &compound, 1,
			       building);
	answers_text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	rc = unique_code(db, code);
	if (!rc)
		rc = insert_case(db, in, &cat, &cal, code, compound, building, answers_text, now,
				 id);
	if (rc)
		goto fail;
	rc = case_event_add(db, *id, &who, "state", NULL, "submitted", "", 1, now);
	for (int k = 0; !rc && k < in->nphotos; k++)
		rc = case_add_photo(db, *id, in->photos[k].sha256, in->photos[k].mime,
				    in->photos[k].bytes);
	if (!rc && in->internal_note && *in->internal_note)
		rc = case_event_add(db, *id, &who, "note", NULL, NULL, in->internal_note, 0, now);
	if (!rc && in->source_link && *in->source_link)
		rc = case_event_add(db, *id, &who, "source", NULL, NULL, in->source_link, 0, now);
	if (!rc)
		rc = inbox_add(db, in->area_id, 0, cat.handler_team_id, *id, "case.inbox.new", now);
	snprintf(after, sizeof(after),
		 "{\"category\":\"%s\",\"channel\":\"%s\",\"photos\":%d,\"state\":\"submitted\"}",
		 cat.code, in->channel ? in->channel : "web", in->nphotos);
	if (!rc)
		rc = case_audit(db, &who, in->area_id, "create", *id, NULL, after);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		goto fail;
	free(answers_text);
	json_decref(answers);
	case_category_release(&cat);
	case_calendar_release(&cal);
	return 0;
fail:
	db_finalize(st);
	db_rollback(db);
	free(answers_text);
	json_decref(answers);
	case_category_release(&cat);
	case_calendar_release(&cal);
	*id = 0;
	return rc;
}

/* ---- moving through the state machine ---- */

int case_load_state(struct db *db, int64_t area_id, int64_t id, struct case_state_row *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT state, created_at, category_id, complex FROM cases"
			    " WHERE area_id = ? AND id = ?",
			    &st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		rc = case_state_from_name(db_column_text(st, 0), &out->state);
		out->created_at = db_column_int64(st, 1);
		out->category_id = db_column_int64(st, 2);
		out->complex = (int)db_column_int64(st, 3);
	} else if (rc == DB_DONE) {
		rc = LIN_ENOTFOUND;
	}
	db_finalize(st);
	return rc;
}

/* notify_agency queues the referral for the agency's webhook and mail. */
static int notify_agency(struct db *db, int64_t area_id, int64_t case_id, int64_t unit_id,
			 const char *reference, const char *note, int64_t due)
{
	struct db_stmt *st = NULL;
	json_t *c = NULL, *msg;
	char *payload = NULL, subject[128];
	int64_t queued = 0;
	int rc = db_prepare(db, "SELECT webhook_url, email FROM units WHERE id = ?", &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, unit_id);
	if (db_step(st) != DB_ROW) {
		db_finalize(st);
		return 0;
	}
	rc = case_get(db, area_id, case_id, &c);
	if (rc)
		goto out;
	/* The agency gets the matter and where, not the reporter's identity. */
	msg = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:O,s:O,s:O,s:s,s:I}", "event", "referral",
			"case_id", (json_int_t)case_id, "tracking_code",
			json_string_value(json_object_get(c, "tracking_code")), "category",
			json_string_value(json_object_get(c, "category")), "description",
			json_string_value(json_object_get(c, "description")), "address",
			json_string_value(json_object_get(c, "address")), "compound",
			json_object_get(c, "compound"), "building", json_object_get(c, "building"),
			"door", json_object_get(c, "door"), "note", note ? note : "", "answer_due",
			(json_int_t)due);
	payload = msg ? json_dumps(msg, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(msg);
	snprintf(subject, sizeof(subject), "转办 Referral %s",
		 reference && *reference ? reference : "");
	if (payload && *db_column_text(st, 0))
		rc = outbox_enqueue(db, area_id, OUTBOX_WEBHOOK, db_column_text(st, 0), subject,
				    payload, &queued);
	if (!rc && payload && *db_column_text(st, 1))
		rc = outbox_enqueue(db, area_id, OUTBOX_EMAIL, db_column_text(st, 1), subject,
				    payload, &queued);
out:
	free(payload);
	json_decref(c);
	db_finalize(st);
	return rc;
}

static int check_args(struct db *db, int64_t area_id, int64_t id, enum case_action action,
		      const struct case_act_args *args, const char **err_key)
{
	unsigned needs = case_action_needs(action);
	const char *note = args->note ? args->note : "";

	if (!utf8_valid(note, strlen(note)) || utf8_chars(note) > CASE_DESCRIPTION_MAX) {
		*err_key = "err.too_long";
		return LIN_EINVAL;
	}
	if ((needs & CASE_NEEDS_NOTE) && !*note) {
		*err_key = "case.err.note";
		return LIN_EINVAL;
	}
	if (needs & CASE_NEEDS_HANDLER) {
		int ok = 0;
		if (args->handler_team_id)
			ok = in_area(db, "teams", area_id, args->handler_team_id, 1);
		if (args->handler_user_id) {
			int64_t n = 0;
			db_query_int64(
			    db, "SELECT COUNT(*) FROM user_roles WHERE user_id = ? AND area_id = ?",
			    &n, 2, args->handler_user_id, area_id);
			ok = n > 0 && (!args->handler_team_id || ok);
		}
		if (!ok) {
			*err_key = "case.err.handler";
			return LIN_EINVAL;
		}
		/* A team is never the handler of the complaint about itself (a
		 * dance team of its own noise case). */
		int64_t subject = 0;
		if (args->handler_team_id &&
		    !db_query_int64(db,
				    "SELECT COALESCE(subject_team_id, 0) FROM cases WHERE id = ?",
				    &subject, 1, id) &&
		    subject == args->handler_team_id) {
			*err_key = "case.err.handler_subject";
			return LIN_EINVAL;
		}
	}
	if ((needs & CASE_NEEDS_AGENCY) &&
	    (!args->agency_unit_id || !in_area(db, "units", area_id, args->agency_unit_id, 1))) {
		*err_key = "case.err.agency";
		return LIN_EINVAL;
	}
	if (needs & CASE_NEEDS_ORIGINAL) {
		if (args->duplicate_of == id ||
		    !in_area(db, "cases", area_id, args->duplicate_of, 0)) {
			*err_key = "case.err.original";
			return LIN_EINVAL;
		}
	}
	if (args->reference && utf8_chars(args->reference) > 60) {
		*err_key = "err.too_long";
		return LIN_EINVAL;
	}
	return 0;
}

/* write_state writes the new state and what the action records on the
 * case itself (times, handler, agency, original, public note, and new
 * deadlines when it is reopened). */
static int write_state(struct db *db, int64_t area_id, int64_t id, enum case_action action,
		       enum case_state to, const struct case_act_args *args, const char *note,
		       const struct workday_calendar *cal, int64_t now, int complex_,
		       int64_t resolve_days)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(db,
			"UPDATE cases SET state = ?, updated_at = ?, public_updated_at = ?,"
			" accepted_at = CASE WHEN ? = 1 THEN ? ELSE accepted_at END,"
			" resolved_at = CASE WHEN ? = 1 THEN ? ELSE resolved_at END,"
			" closed_at = CASE WHEN ? = 1 THEN ? ELSE closed_at END,"
			" handler_team_id = CASE WHEN ? = 1 THEN ? ELSE handler_team_id END,"
			" handler_user_id = CASE WHEN ? = 1 THEN ? ELSE handler_user_id END,"
			" agency_unit_id = CASE WHEN ? = 1 THEN ? ELSE agency_unit_id END,"
			" duplicate_of = CASE WHEN ? = 1 THEN ? ELSE duplicate_of END,"
			" public_note = CASE WHEN ? = 1 THEN ? ELSE public_note END,"
			" accept_due = CASE WHEN ? = 1 THEN ? ELSE accept_due END,"
			" resolve_due = CASE WHEN ? = 1 THEN ? ELSE resolve_due END"
			" WHERE id = ? AND area_id = ?",
			&st);
	if (rc)
		return rc;
	{
		int accept = action == ACT_ACCEPT, resolve = to == CASE_RESOLVED;
		int close = to == CASE_CLOSED || to == CASE_REJECTED || to == CASE_DUPLICATE;
		int assign = action == ACT_ASSIGN, refer = action == ACT_REFER;
		int dup = action == ACT_DUPLICATE, pub = args->public_note && *note;
		int i = 1;
		db_bind_text(st, i++, case_state_name(to));
		db_bind_int64(st, i++, now);
		db_bind_int64(st, i++, now); /* every action changes what the public sees */
		db_bind_int64(st, i++, accept);
		db_bind_int64(st, i++, now);
		db_bind_int64(st, i++, resolve);
		db_bind_int64(st, i++, now);
		db_bind_int64(st, i++, close);
		db_bind_int64(st, i++, now);
		db_bind_int64(st, i++, assign);
		bind_opt_id2(st, i++, args->handler_team_id);
		db_bind_int64(st, i++, assign);
		bind_opt_id2(st, i++, args->handler_user_id);
		db_bind_int64(st, i++, refer);
		bind_opt_id2(st, i++, args->agency_unit_id);
		db_bind_int64(st, i++, dup);
		bind_opt_id2(st, i++, args->duplicate_of);
		db_bind_int64(st, i++, pub);
		db_bind_text(st, i++, note);
		/* Reopened: the clock starts again from now, like a new report. */
		int restart = to == CASE_REOPENED;
		db_bind_int64(st, i++, restart);
		db_bind_int64(st, i++, workday_deadline(cal, now, 1));
		db_bind_int64(st, i++, restart);
		db_bind_int64(st, i++,
			      workday_deadline(cal, now, complex_ ? COMPLEX_DAYS : resolve_days));
		db_bind_int64(st, i++, id);
		db_bind_int64(st, i++, area_id);
	}
	rc = db_step(st);
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* follow_up: what an action does beyond the case's row: a referral and its
 * notice to the agency, the agency's answer, the assignee's inbox. */
static int follow_up(struct db *db, int64_t area_id, int64_t id, enum case_action action,
		     const struct case_act_args *args, const char *note,
		     const struct workday_calendar *cal, int64_t now)
{
	if (action == ACT_REFER) {
		int64_t due = workday_deadline(cal, now, REFERRAL_DAYS);
		int rc = db_exec_args(db,
				      "INSERT INTO referrals (case_id, agency_unit_id, referred_at,"
				      " due_at, reference) VALUES (?, ?, ?, ?, ?)",
				      NULL, "iiiit", id, args->agency_unit_id, now, due,
				      args->reference ? args->reference : "");
		return rc ? rc
			  : notify_agency(db, area_id, id, args->agency_unit_id, args->reference,
					  note, due);
	}
	if (action == ACT_AGENCY_ANSWER)
		return db_exec_args(
		    db,
		    "UPDATE referrals SET answer = ?, answered_at = ? WHERE id = ("
		    "SELECT MAX(id) FROM referrals WHERE case_id = ? AND answered_at"
		    " IS NULL)",
		    NULL, "tii", note, now, id);
	if (action == ACT_ASSIGN)
		return inbox_add(db, area_id, args->handler_user_id, args->handler_team_id, id,
				 "case.inbox.assigned", now);
	return 0;
}

int case_act(struct db *db, int64_t area_id, int64_t id, enum case_action action,
	     const struct case_who *who, const struct case_act_args *args, const char **err_key)
{
	struct case_state_row row;
	struct workday_calendar cal;
	enum case_state to;
	int64_t now = (int64_t)time(NULL), resolve_days = 5;
	const char *note = args->note ? args->note : "";
	char before[64], after[96];
	int rc;

	*err_key = NULL;
	memset(&cal, 0, sizeof(cal));
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = case_load_state(db, area_id, id, &row);
	if (rc)
		goto fail;
	rc = case_transition(action, row.state, &who->actor, &to);
	if (rc) {
		*err_key = rc == LIN_EPERM ? "err.forbidden" : "case.err.transition";
		goto fail;
	}
	rc = check_args(db, area_id, id, action, args, err_key);
	if (rc)
		goto fail;
	rc = case_calendar(db, &cal);
	if (rc)
		goto fail;
	rc = db_query_int64(db, "SELECT resolve_days FROM case_categories WHERE id = ?",
			    &resolve_days, 1, row.category_id);
	if (rc)
		goto fail;

	rc = write_state(db, area_id, id, action, to, args, note, &cal, now, row.complex,
			 resolve_days);
	if (!rc)
		rc = follow_up(db, area_id, id, action, args, note, &cal, now);
	if (rc)
		goto fail;
	/* The reporter may follow every change of state; a note goes with it
	 * only when staff made it public, otherwise it stays on the inside. */
	rc = case_event_add(db, id, who, "state", case_state_name(row.state), case_state_name(to),
			    args->public_note ? note : "", 1, now);
	if (!rc && !args->public_note && *note)
		rc = case_event_add(db, id, who, "note", NULL, NULL, note, 0, now);
	if (rc)
		goto fail;
	snprintf(before, sizeof(before), "{\"state\":\"%s\"}", case_state_name(row.state));
	snprintf(after, sizeof(after), "{\"action\":\"%s\",\"state\":\"%s\"}",
		 case_action_name(action), case_state_name(to));
	rc = case_audit(db, who, area_id, case_action_name(action), id, before, after);
	if (rc)
		goto fail;
	rc = db_commit(db);
	if (rc)
		goto fail;
	case_calendar_release(&cal);
	return 0;
fail:
	db_rollback(db);
	case_calendar_release(&cal);
	return rc;
}
