/* The survey's SQL: campaigns, questions, buildings and volunteers, visits
 * and their answers, drafts, findings, and the counts the pages draw.
 * Every write runs in its own transaction with its audit entry. */
#include "internal.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../web/audit.h"
#include "../db/db.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ helpers */

/* campaign_state: the campaign's state into out (LIN_ENOTFOUND). */
static int campaign_state(struct db *db, int64_t area_id, int64_t id, char out[16])
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db, "SELECT state FROM survey_campaigns WHERE area_id = ? AND id = ?", &st);
	if (!rc)
		rc = db_bindf(st, "ii", area_id, id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		snprintf(out, 16, "%s", db_column_text(st, 0));
	db_finalize(st);
	return rc;
}

/* ------------------------------------------------------------ questions */

#define QUESTION_KEYS                                                                              \
	"id", "position", "code", "kind", "prompt", "required", "options", "min", "max",           \
	    "show_if_code", "show_if_answer"

static int questions_of(struct db *db, int64_t id, json_t **out)
{
	static const char *const keys[] = {QUESTION_KEYS, NULL};
	size_t i;
	json_t *q;
	int rc = db_query_json(
	    db,
	    "SELECT q.id, q.position, q.code, q.kind, q.prompt, q.required, q.options,"
	    " q.min_value, q.max_value, p.code, q.show_if_answer FROM survey_questions q"
	    " LEFT JOIN survey_questions p ON p.id = q.show_if_question"
	    " WHERE q.campaign_id = ? ORDER BY q.position, q.id",
	    keys, "iitttbtiitt", out, "i", id);

	/* the options are stored as JSON text: give them back as JSON */
	json_array_foreach (*out, i, q) {
		json_t *o = json_loads(json_string_value(json_object_get(q, "options")), 0, NULL);
		json_object_set_new(q, "options", o ? o : json_array());
	}
	return rc;
}

/* question_insert: q (checked against the campaign's questions) as the
 * last question. Inside the caller's transaction. */
static int question_insert(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			   json_t *q, const char **field, const char **key)
{
	json_t *earlier = NULL, *opts = json_object_get(q, "options");
	json_t *min = json_object_get(q, "min"), *max = json_object_get(q, "max");
	const char *kind = json_string_value(json_object_get(q, "kind"));
	int64_t show_if = 0, qid = 0;
	char *options = NULL;
	int rc = questions_of(db, id, &earlier);

	if (!rc)
		rc = survey_question_check(q, earlier, &show_if, field, key);
	if (!rc) {
		int choice = !strcmp(kind, "single") || !strcmp(kind, "multiple");
		json_t *none = choice ? NULL : json_array();
		options = json_dumps(choice ? opts : none, JSON_COMPACT);
		json_decref(none);
		if (!choice && !options)
			rc = LIN_ENOMEM;
	}
	if (!rc) {
		int number = !strcmp(kind, "number");
		struct db_stmt *st = NULL;
		rc =
		    db_prepare(db,
			       "INSERT INTO survey_questions (area_id, campaign_id, position, code,"
			       " kind, prompt, required, options, min_value, max_value,"
			       " show_if_question, show_if_answer)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			       &st);
		if (!rc)
			rc = db_bindf(
			    st, "iiitttit", area_id, id, (int64_t)json_array_size(earlier) + 1,
			    json_string_value(json_object_get(q, "code")), kind,
			    json_string_value(json_object_get(q, "prompt")),
			    (int64_t)json_is_true(json_object_get(q, "required")), options);
		if (!rc && number && json_is_integer(min))
			rc = db_bind_int64(st, 9, json_integer_value(min));
		else if (!rc)
			rc = db_bind_null(st, 9);
		if (!rc && number && json_is_integer(max))
			rc = db_bind_int64(st, 10, json_integer_value(max));
		else if (!rc)
			rc = db_bind_null(st, 10);
		if (!rc && show_if)
			rc = db_bind_int64(st, 11, show_if);
		else if (!rc)
			rc = db_bind_null(st, 11);
		if (!rc)
			rc = db_bind_text(st, 12,
					  show_if ? json_string_value(json_object_get(
							json_object_get(q, "show_if"), "answer"))
						  : NULL);
		if (!rc)
			rc = db_step_one(st);
		if (!rc)
			qid = db_column_int64(st, 0);
		db_finalize(st);
	}
	if (!rc)
		rc = audit_append_area(db, s, area_id, "create", "survey_questions", qid, q);
	free(options);
	json_decref(earlier);
	return rc;
}

int survey_question_add(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			json_t *q, const char **field, const char **key)
{
	char state[16];
	int rc;

	*field = NULL;
	*key = NULL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = campaign_state(db, area_id, id, state);
	if (!rc && strcmp(state, "draft"))
		rc = LIN_EPERM, *key = "survey.err.not_draft";
	if (!rc)
		rc = question_insert(db, s, area_id, id, q, field, key);
	return db_finish(db, rc);
}

/* ------------------------------------------------------------ buildings */

static int assign_in(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		     int64_t building_id, int64_t volunteer_id, const char **key)
{
	int64_t n = 0;
	json_t *row;
	int rc = db_query_int64(db,
				"SELECT COUNT(*) FROM buildings WHERE area_id = ? AND id = ?"
				" AND archived = 0",
				&n, 2, area_id, building_id);

	if (!rc && !n)
		return (*key = "survey.err.building", LIN_EINVAL);
	if (!rc && volunteer_id)
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM volunteers WHERE area_id = ? AND id = ?"
				    " AND archived = 0",
				    &n, 2, area_id, volunteer_id);
	if (!rc && volunteer_id && !n)
		return (*key = "survey.err.volunteer", LIN_EINVAL);
	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO survey_buildings (area_id, campaign_id, building_id)"
				  " SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM survey_buildings"
				  " WHERE campaign_id = ? AND building_id = ?)",
				  NULL, "iiiii", area_id, id, building_id, id, building_id);
	if (!rc && volunteer_id)
		rc = db_exec_args(
		    db,
		    "INSERT INTO survey_assignments (area_id, campaign_id, building_id,"
		    " volunteer_id) SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
		    " survey_assignments WHERE campaign_id = ? AND building_id = ? AND"
		    " volunteer_id = ?)",
		    NULL, "iiiiiii", area_id, id, building_id, volunteer_id, id, building_id,
		    volunteer_id);
	if (!rc) {
		row = json_pack("{s:I, s:I}", "building_id", (json_int_t)building_id,
				"volunteer_id", (json_int_t)volunteer_id);
		rc = audit_append_area(db, s, area_id, "assign", "survey_campaigns", id, row);
		json_decref(row);
	}
	return rc;
}

int survey_assign(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		  int64_t building_id, int64_t volunteer_id, const char **key)
{
	char state[16];
	int rc;

	*key = NULL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = campaign_state(db, area_id, id, state);
	if (!rc && !strcmp(state, "closed"))
		rc = LIN_EPERM, *key = "survey.err.closed";
	if (!rc)
		rc = assign_in(db, s, area_id, id, building_id, volunteer_id, key);
	return db_finish(db, rc);
}

/* ------------------------------------------------------------ campaigns */

int survey_create(struct db *db, const struct session *s, int64_t area_id, json_t *in, int64_t *id,
		  const char **field, const char **key)
{
	const char *title = json_string_value(json_object_get(in, "title"));
	const char *intro = json_string_value(json_object_get(in, "intro"));
	json_t *questions = json_object_get(in, "questions");
	json_t *buildings = json_object_get(in, "buildings"), *q, *b, *v, *row;
	size_t i, j;
	int rc;

	*field = NULL;
	*key = NULL;
	if (!survey_text_ok(title, 1, SURVEY_TITLE_MAX))
		return (*field = "title", *key = "survey.err.title", LIN_EINVAL);
	if (!survey_text_ok(intro, 0, SURVEY_TEXT_MAX))
		return (*field = "intro", *key = "survey.err.intro", LIN_EINVAL);
	if ((questions && !json_is_array(questions)) || (buildings && !json_is_array(buildings)))
		return (*field = "questions", *key = "err.bad_json", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO survey_campaigns (area_id, title, intro, created_at)"
			  " VALUES (?, ?, ?, ?) RETURNING id",
			  id, "itti", area_id, title, intro ? intro : "", (int64_t)time(NULL));
	if (!rc) {
		row = json_pack("{s:s, s:s}", "title", title, "intro", intro ? intro : "");
		rc = audit_append_area(db, s, area_id, "create", "survey_campaigns", *id, row);
		json_decref(row);
	}
	json_array_foreach (questions, i, q)
		if (!rc)
			rc = question_insert(db, s, area_id, *id, q, field, key);
	json_array_foreach (buildings, i, b) {
		json_t *vols = json_object_get(b, "volunteer_ids");
		int64_t building = json_integer_value(json_object_get(b, "building_id"));
		if (!rc && !json_array_size(vols))
			rc = assign_in(db, s, area_id, *id, building, 0, key);
		json_array_foreach (vols, j, v)
			if (!rc)
				rc = assign_in(db, s, area_id, *id, building, json_integer_value(v),
					       key);
		if (rc == LIN_EINVAL && !*field)
			*field = "buildings";
	}
	return db_finish(db, rc);
}

int survey_set_state(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		     const char *state, int64_t now)
{
	char was[16];
	int64_t nq = 0, nb = 0;
	json_t *row;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = campaign_state(db, area_id, id, was);
	if (!rc && !((!strcmp(was, "draft") && !strcmp(state, "open")) ||
		     (!strcmp(was, "open") && !strcmp(state, "closed"))))
		rc = LIN_ECONFLICT;
	if (!rc && !strcmp(state, "open")) {
		rc = db_query_int64(
		    db, "SELECT COUNT(*) FROM survey_questions WHERE campaign_id = ?", &nq, 1, id);
		if (!rc)
			rc = db_query_int64(
			    db, "SELECT COUNT(*) FROM survey_buildings WHERE campaign_id = ?", &nb,
			    1, id);
		if (!rc && (!nq || !nb))
			rc = LIN_ECONFLICT;
	}
	if (!rc)
		rc =
		    db_exec_args(db,
				 !strcmp(state, "open")
				     ? "UPDATE survey_campaigns SET state = 'open', opened_at = ?"
				       " WHERE area_id = ? AND id = ?"
				     : "UPDATE survey_campaigns SET state = 'closed', closed_at = ?"
				       " WHERE area_id = ? AND id = ?",
				 NULL, "iii", now, area_id, id);
	if (!rc) {
		row = json_pack("{s:s, s:s}", "from", was, "to", state);
		rc = audit_append_area(db, s, area_id, "state", "survey_campaigns", id, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int survey_get(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	static const char *const keys[] = {"id",	 "title",     "intro",	   "state",
					   "created_at", "opened_at", "closed_at", NULL};
	static const char *const bkeys[] = {"building_id", "building", "compound_id",
					    "compound",	   "doors",    NULL};
	static const char *const vkeys[] = {"building_id", "id", "name", NULL};
	json_t *rows = NULL, *qs = NULL, *bs = NULL, *vs = NULL, *b, *v;
	size_t i, j;
	int rc = db_query_json(db,
			       "SELECT id, title, intro, state, created_at, opened_at, closed_at"
			       " FROM survey_campaigns WHERE area_id = ? AND id = ?",
			       keys, "itttiii", &rows, "ii", area_id, id);

	*out = NULL;
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = questions_of(db, id, &qs);
	if (!rc)
		rc = db_query_json(
		    db,
		    "SELECT b.id, b.name, c.id, c.name, (SELECT COUNT(*) FROM households h"
		    " WHERE h.building_id = b.id AND h.archived = 0)"
		    " FROM survey_buildings sb JOIN buildings b ON b.id = sb.building_id"
		    " JOIN compounds c ON c.id = b.compound_id WHERE sb.campaign_id = ?"
		    " ORDER BY c.name, b.name, b.id",
		    bkeys, "ititi", &bs, "i", id);
	if (!rc)
		rc = db_query_json(db,
				   "SELECT a.building_id, v.id, r.name FROM survey_assignments a"
				   " JOIN volunteers v ON v.id = a.volunteer_id"
				   " JOIN residents r ON r.id = v.resident_id"
				   " WHERE a.campaign_id = ? ORDER BY r.name, v.id",
				   vkeys, "iit", &vs, "i", id);
	json_array_foreach (bs, i, b) {
		json_t *list = json_array();
		json_array_foreach (vs, j, v)
			if (survey_num(v, "building_id") == survey_num(b, "building_id"))
				json_array_append_new(
				    list, json_pack("{s:O, s:O}", "id", json_object_get(v, "id"),
						    "name", json_object_get(v, "name")));
		json_object_set_new(b, "volunteers", list);
	}
	if (!rc) {
		*out = json_incref(json_array_get(rows, 0));
		json_object_set(*out, "questions", qs);
		json_object_set(*out, "buildings", bs);
	}
	json_decref(rows);
	json_decref(qs);
	json_decref(bs);
	json_decref(vs);
	return rc;
}

int survey_list(struct db *db, int64_t area_id, int64_t volunteer_id, json_t **out)
{
	static const char *const keys[] = {"id",	"title", "state",   "created_at",
					   "buildings", "doors", "visited", NULL};
	return db_query_json(
	    db,
	    "SELECT s.id, s.title, s.state, s.created_at,"
	    " (SELECT COUNT(*) FROM survey_buildings b WHERE b.campaign_id = s.id),"
	    " (SELECT COUNT(*) FROM households h JOIN survey_buildings b"
	    "  ON b.building_id = h.building_id WHERE b.campaign_id = s.id AND h.archived = 0),"
	    " (SELECT COUNT(DISTINCT v.household_id) FROM survey_visits v"
	    "  WHERE v.campaign_id = s.id)"
	    " FROM survey_campaigns s WHERE s.area_id = ? AND (? = 0 OR EXISTS (SELECT 1"
	    " FROM survey_assignments a WHERE a.campaign_id = s.id AND a.volunteer_id = ?))"
	    " ORDER BY s.id DESC",
	    keys, "ittiiii", out, "iii", area_id, volunteer_id, volunteer_id);
}

int survey_volunteer_of(struct db *db, int64_t area_id, int64_t user_id, int64_t *out)
{
	int rc = db_query_int64(db,
				"SELECT COALESCE(MIN(v.id), 0) FROM volunteers v JOIN users u"
				" ON u.resident_id = v.resident_id WHERE u.id = ? AND v.area_id = ?"
				" AND v.archived = 0",
				out, 2, user_id, area_id);
	if (rc)
		*out = 0;
	return rc;
}

/* ------------------------------------------------------------ doors */

int survey_door_check(struct db *db, int64_t area_id, int64_t id, int64_t household_id,
		      int64_t volunteer_id, json_t **door)
{
	static const char *const keys[] = {"household_id", "door",     "building_id",
					   "building",	   "compound", NULL};
	json_t *rows = NULL;
	int64_t n = 0;
	int rc = db_query_json(
	    db,
	    "SELECT h.id, h.door, b.id, b.name, c.name FROM households h"
	    " JOIN buildings b ON b.id = h.building_id JOIN compounds c ON c.id = b.compound_id"
	    " JOIN survey_buildings sb ON sb.building_id = b.id AND sb.campaign_id = ?"
	    " WHERE h.area_id = ? AND h.id = ? AND h.archived = 0",
	    keys, "ititt", &rows, "iii", id, area_id, household_id);

	if (door)
		*door = NULL;
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc && volunteer_id) {
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM survey_assignments WHERE campaign_id = ?"
				    " AND building_id = ? AND volunteer_id = ?",
				    &n, 3, id, survey_num(json_array_get(rows, 0), "building_id"),
				    volunteer_id);
		if (!rc && !n)
			rc = LIN_EPERM;
	}
	if (!rc && door)
		*door = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

int survey_doors(struct db *db, int64_t area_id, int64_t id, int64_t volunteer_id, json_t **out)
{
	static const char *const keys[] = {
	    "household_id", "door",	    "building_id", "building", "compound",
	    "visits",	    "last_outcome", "last_at",	   "met",      "refused",
	    "revisit_on",   "follow_up",    NULL};
	return db_query_json(
	    db,
	    "SELECT h.id, h.door, b.id, b.name, c.name,"
	    " (SELECT COUNT(*) FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id),"
	    " (SELECT v.outcome FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id ORDER BY v.visited_at DESC, v.id DESC LIMIT 1),"
	    " (SELECT MAX(v.visited_at) FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id),"
	    " (SELECT COUNT(*) FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id AND v.outcome = 'met'),"
	    " (SELECT COUNT(*) FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id AND v.outcome = 'refused'),"
	    " (SELECT v.revisit_on FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id ORDER BY v.visited_at DESC, v.id DESC LIMIT 1),"
	    " (SELECT COUNT(*) FROM survey_visits v WHERE v.campaign_id = ? AND"
	    "  v.household_id = h.id AND v.follow_up <> 0)"
	    " FROM households h JOIN buildings b ON b.id = h.building_id"
	    " JOIN compounds c ON c.id = b.compound_id"
	    " JOIN survey_buildings sb ON sb.building_id = b.id AND sb.campaign_id = ?"
	    " WHERE h.area_id = ? AND h.archived = 0 AND (? = 0 OR EXISTS (SELECT 1 FROM"
	    " survey_assignments a WHERE a.campaign_id = sb.campaign_id AND"
	    " a.building_id = b.id AND a.volunteer_id = ?))"
	    " ORDER BY c.name, b.name, b.id, LENGTH(h.door), h.door",
	    keys, "itittitiiitb", out, "iiiiiiiiiii", id, id, id, id, id, id, id, id, area_id,
	    volunteer_id, volunteer_id);
}

/* ------------------------------------------------------------ visits */

int survey_visit_record(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			const struct survey_visit_in *in, int64_t *visit,
			char field_out[SURVEY_CODE_MAX + 1], const char **key)
{
	json_t *campaign = NULL, *clean = NULL, *row, *values;
	const char *code, *named = NULL;
	const char **field = &named;
	char state[16];
	int64_t met = 0;
	int rc;

	field_out[0] = '\0';
	*key = NULL;
	*visit = 0;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = survey_door_check(db, area_id, id, in->household_id, in->volunteer_id, NULL);
	if (rc == LIN_ENOTFOUND)
		*field = "household_id", *key = "survey.err.door_outside";
	else if (rc == LIN_EPERM)
		*field = "household_id", *key = "survey.err.door_not_yours";
	if (!rc)
		rc = campaign_state(db, area_id, id, state);
	if (!rc && strcmp(state, "open"))
		rc = LIN_EPERM, *key = "survey.err.not_open";
	if (rc) {
		snprintf(field_out, SURVEY_CODE_MAX + 1, "%s", named ? named : "");
		return db_finish(db, rc);
	}
	if (!survey_outcome_valid(in->outcome))
		*field = "outcome", *key = "survey.err.outcome";
	else if (!survey_text_ok(in->notes, 0, SURVEY_TEXT_MAX))
		*field = "notes", *key = "survey.err.notes";
	else if (in->revisit_on && *in->revisit_on && !survey_day_valid(in->revisit_on))
		*field = "revisit_on", *key = "survey.err.revisit_on";
	else if (in->revisit_on && *in->revisit_on && !strcmp(in->outcome, "met"))
		*field = "revisit_on", *key = "survey.err.revisit_met";
	else if (strcmp(in->outcome, "met") && json_object_size(in->answers))
		*field = "answers", *key = "survey.err.answers_not_met";
	if (*key) {
		snprintf(field_out, SURVEY_CODE_MAX + 1, "%s", named);
		return db_finish(db, LIN_EINVAL);
	}
	if (!strcmp(in->outcome, "met")) {
		rc = survey_get(db, area_id, id, &campaign);
		if (!rc)
			rc = survey_answers_check(json_object_get(campaign, "questions"),
						  in->answers, &clean, field, key);
		if (!rc)
			rc = db_query_int64(
			    db,
			    "SELECT COUNT(*) FROM survey_visits WHERE campaign_id = ?"
			    " AND household_id = ? AND outcome = 'met'",
			    &met, 2, id, in->household_id);
		if (!rc && met)
			rc = LIN_ECONFLICT, *field = "household_id",
			*key = "survey.err.met_already";
	}
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO survey_visits (area_id, campaign_id, household_id, volunteer_id,"
		    " user_id, visitor, outcome, notes, follow_up, revisit_on, visited_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    visit, "iiirrtttiti", area_id, id, in->household_id, in->volunteer_id,
		    s ? s->user_id : 0, (s && s->name) ? s->name : "demo", in->outcome,
		    in->notes ? in->notes : "", (int64_t)(in->follow_up != 0),
		    (in->revisit_on && *in->revisit_on) ? in->revisit_on : NULL, in->visited_at);
	json_object_foreach (clean, code, values) {
		size_t i;
		json_t *v, *q;
		int64_t qid = 0;
		json_array_foreach (json_object_get(campaign, "questions"), i, q)
			if (!strcmp(code, survey_str(q, "code")))
				qid = survey_num(q, "id");
		json_array_foreach (values, i, v)
			if (!rc)
				rc = db_exec_args(
				    db,
				    "INSERT INTO survey_answers (visit_id, question_id,"
				    " value) VALUES (?, ?, ?)",
				    NULL, "iit", *visit, qid, json_string_value(v));
	}
	if (!rc && s && s->user_id)
		rc = db_exec_args(db,
				  "DELETE FROM survey_drafts WHERE campaign_id = ? AND"
				  " household_id = ? AND user_id = ?",
				  NULL, "iii", id, in->household_id, s->user_id);
	if (!rc) {
		row =
		    json_pack("{s:I, s:I, s:s, s:O?, s:b, s:s?}", "campaign_id", (json_int_t)id,
			      "household_id", (json_int_t)in->household_id, "outcome", in->outcome,
			      "answers", clean, "follow_up", in->follow_up != 0, "revisit_on",
			      (in->revisit_on && *in->revisit_on) ? in->revisit_on : NULL);
		rc = audit_append_area(db, s, area_id, "create", "survey_visits", *visit, row);
		json_decref(row);
	}
	/* the code named lives in campaign: copied before it goes */
	if (rc && named)
		snprintf(field_out, SURVEY_CODE_MAX + 1, "%s", named);
	json_decref(clean);
	json_decref(campaign);
	return db_finish(db, rc);
}

/* answers_of: {code: [values]} of visit. */
static int answers_of(struct db *db, int64_t visit, json_t **out)
{
	static const char *const keys[] = {"code", "value", NULL};
	json_t *rows = NULL, *r;
	size_t i;
	int rc = db_query_json(db,
			       "SELECT q.code, a.value FROM survey_answers a"
			       " JOIN survey_questions q ON q.id = a.question_id"
			       " WHERE a.visit_id = ? ORDER BY q.position, a.id",
			       keys, "tt", &rows, "i", visit);

	*out = json_object();
	json_array_foreach (rows, i, r) {
		json_t *list = json_object_get(*out, survey_str(r, "code"));
		if (!list) {
			list = json_array();
			json_object_set_new(*out, survey_str(r, "code"), list);
		}
		json_array_append(list, json_object_get(r, "value"));
	}
	json_decref(rows);
	return rc;
}

#define VISIT_COLS                                                                                 \
	"v.id, v.campaign_id, v.household_id, h.door, b.id, b.name, c.id, c.name,"                 \
	" v.volunteer_id, v.visitor, v.outcome, v.notes, v.follow_up, v.revisit_on, v.visited_at"
#define VISIT_FROM                                                                                 \
	" FROM survey_visits v JOIN households h ON h.id = v.household_id"                         \
	" JOIN buildings b ON b.id = h.building_id JOIN compounds c ON c.id = b.compound_id"
static const char *const visit_keys[] = {"id",		 "campaign_id", "household_id", "door",
					 "building_id",	 "building",	"compound_id",	"compound",
					 "volunteer_id", "visitor",	"outcome",	"notes",
					 "follow_up",	 "revisit_on",	"visited_at",	NULL};

int survey_visit_get(struct db *db, int64_t area_id, int64_t id, int64_t visit, json_t **out)
{
	json_t *rows = NULL, *answers = NULL;
	int rc = db_query_json(db,
			       "SELECT " VISIT_COLS VISIT_FROM
			       " WHERE v.area_id = ? AND v.campaign_id = ? AND v.id = ?",
			       visit_keys, "iiititititttbti", &rows, "iii", area_id, id, visit);

	*out = NULL;
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		rc = answers_of(db, visit, &answers);
	if (!rc) {
		*out = json_incref(json_array_get(rows, 0));
		json_object_set(*out, "answers", answers);
	}
	json_decref(answers);
	json_decref(rows);
	return rc;
}

int survey_visit_rows(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	size_t i;
	json_t *v;
	int rc = db_query_json(db,
			       "SELECT " VISIT_COLS VISIT_FROM
			       " WHERE v.area_id = ? AND v.campaign_id = ?"
			       " ORDER BY v.visited_at, v.id",
			       visit_keys, "iiititititttbti", out, "ii", area_id, id);

	json_array_foreach (*out, i, v) {
		json_t *answers = NULL;
		if (!rc)
			rc = answers_of(db, survey_num(v, "id"), &answers);
		json_object_set_new(v, "answers", answers ? answers : json_object());
	}
	return rc;
}

/* ------------------------------------------------------------ drafts */

int survey_draft_get(struct db *db, int64_t id, int64_t household_id, int64_t user_id, json_t **out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT data FROM survey_drafts WHERE campaign_id = ? AND"
			    " household_id = ? AND user_id = ?",
			    &st);

	*out = NULL;
	if (!rc)
		rc = db_bindf(st, "iii", id, household_id, user_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc)
		*out = json_loads(db_column_text(st, 0), 0, NULL);
	db_finalize(st);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

int survey_draft_set(struct db *db, int64_t id, int64_t household_id, int64_t user_id, json_t *data,
		     int64_t now)
{
	char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = text ? db_begin(db) : LIN_ENOMEM;

	/* a convenience of one visitor, not a record: no audit entry */
	if (!rc)
		rc = db_exec_args(db,
				  "DELETE FROM survey_drafts WHERE campaign_id = ? AND"
				  " household_id = ? AND user_id = ?",
				  NULL, "iii", id, household_id, user_id);
	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO survey_drafts (campaign_id, household_id, user_id,"
				  " data, updated_at) VALUES (?, ?, ?, ?, ?)",
				  NULL, "iiiti", id, household_id, user_id, text, now);
	if (text)
		rc = db_finish(db, rc);
	free(text);
	return rc;
}

/* ------------------------------------------------------------ findings */

int survey_finding_link(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			int64_t visit, int64_t case_id, int64_t now)
{
	int64_t fid = 0;
	json_t *row;
	int rc = db_begin(db);

	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO survey_findings (area_id, campaign_id, visit_id,"
				  " case_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
				  &fid, "iiiii", area_id, id, visit, case_id, now);
	if (!rc) {
		row = json_pack("{s:I, s:I}", "visit_id", (json_int_t)visit, "case_id",
				(json_int_t)case_id);
		rc = audit_append_area(db, s, area_id, "create", "survey_findings", fid, row);
		json_decref(row);
	}
	return db_finish(db, rc);
}

int survey_findings(struct db *db, int64_t area_id, int64_t id, int64_t visit, json_t **out)
{
	static const char *const keys[] = {"id",       "visit_id",   "case_id", "door",
					   "building", "created_at", NULL};
	return db_query_json(
	    db,
	    "SELECT f.id, f.visit_id, f.case_id, h.door, b.name, f.created_at"
	    " FROM survey_findings f JOIN survey_visits v ON v.id = f.visit_id"
	    " JOIN households h ON h.id = v.household_id"
	    " JOIN buildings b ON b.id = h.building_id"
	    " WHERE f.area_id = ? AND f.campaign_id = ? AND (? = 0 OR f.visit_id = ?)"
	    " ORDER BY f.id",
	    keys, "iiitti", out, "iiii", area_id, id, visit, visit);
}

/* ------------------------------------------------------------ counts */

int survey_coverage(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	static const char *const keys[] = {"building_id", "building", "compound_id",
					   "compound",	  "doors",    "visited",
					   "reached",	  "refused",  NULL};
	return db_query_json(
	    db,
	    "SELECT b.id, b.name, c.id, c.name,"
	    " (SELECT COUNT(*) FROM households h WHERE h.building_id = b.id AND h.archived = 0),"
	    " (SELECT COUNT(DISTINCT v.household_id) FROM survey_visits v JOIN households h"
	    "  ON h.id = v.household_id WHERE v.campaign_id = sb.campaign_id AND"
	    "  h.building_id = b.id),"
	    " (SELECT COUNT(DISTINCT v.household_id) FROM survey_visits v JOIN households h"
	    "  ON h.id = v.household_id WHERE v.campaign_id = sb.campaign_id AND"
	    "  h.building_id = b.id AND v.outcome = 'met'),"
	    " (SELECT COUNT(DISTINCT v.household_id) FROM survey_visits v JOIN households h"
	    "  ON h.id = v.household_id WHERE v.campaign_id = sb.campaign_id AND"
	    "  h.building_id = b.id AND v.outcome = 'refused' AND NOT EXISTS (SELECT 1 FROM"
	    "  survey_visits m WHERE m.campaign_id = v.campaign_id AND"
	    "  m.household_id = v.household_id AND m.outcome = 'met'))"
	    " FROM survey_buildings sb JOIN buildings b ON b.id = sb.building_id"
	    " JOIN compounds c ON c.id = b.compound_id"
	    " WHERE sb.area_id = ? AND sb.campaign_id = ? ORDER BY c.name, b.name, b.id",
	    keys, "ititiiii", out, "ii", area_id, id);
}

int survey_answer_counts(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	static const char *const keys[] = {"question_id", "value", "count", NULL};
	return db_query_json(db,
			     "SELECT a.question_id, a.value, COUNT(*) FROM survey_answers a"
			     " JOIN survey_visits v ON v.id = a.visit_id"
			     " WHERE v.area_id = ? AND v.campaign_id = ?"
			     " GROUP BY a.question_id, a.value ORDER BY a.question_id, a.value",
			     keys, "iti", out, "ii", area_id, id);
}

int survey_backdate(struct db *db, int64_t visit, int64_t t)
{
	int rc = db_exec_args(db, "UPDATE survey_visits SET visited_at = ? WHERE id = ?", NULL,
			      "ii", t, visit);
	if (!rc)
		rc =
		    db_exec_args(db, "UPDATE survey_findings SET created_at = ? WHERE visit_id = ?",
				 NULL, "ii", t, visit);
	return rc;
}

int survey_volunteer_choices(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", NULL};
	return db_query_json(db,
			     "SELECT v.id, r.name FROM volunteers v JOIN residents r"
			     " ON r.id = v.resident_id WHERE v.area_id = ? AND v.archived = 0"
			     " ORDER BY r.name, v.id",
			     keys, "it", out, "i", area_id);
}

int survey_door_visits(struct db *db, int64_t area_id, int64_t id, int64_t household_id,
		       json_t **out)
{
	static const char *const keys[] = {"id",	 "outcome",    "visitor",
					   "visited_at", "revisit_on", NULL};
	return db_query_json(
	    db,
	    "SELECT id, outcome, visitor, visited_at, revisit_on FROM survey_visits"
	    " WHERE area_id = ? AND campaign_id = ? AND household_id = ?"
	    " ORDER BY visited_at, id",
	    keys, "ittit", out, "iii", area_id, id, household_id);
}

int survey_demo_buildings(struct db *db, int64_t area_id, const char *compound, int max,
			  json_t **out)
{
	static const char *const keys[] = {"id", NULL};
	return db_query_json(db,
			     "SELECT b.id FROM buildings b JOIN compounds c ON c.id = b.compound_id"
			     " WHERE c.area_id = ? AND c.name = ? AND b.archived = 0"
			     " ORDER BY b.id LIMIT ?",
			     keys, "i", out, "iti", area_id, compound, (int64_t)max);
}

int survey_demo_dates(struct db *db, int64_t id, int64_t created, int64_t opened, int64_t closed)
{
	return db_exec_args(
	    db,
	    "UPDATE survey_campaigns SET created_at = ?, opened_at = ?, closed_at = ?"
	    " WHERE id = ?",
	    NULL, "iiii", created, opened, closed, id);
}
