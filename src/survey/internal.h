/* What the survey folder's files share and no other feature may include:
 * the questionnaire's rules (model.c), the store (store.c) and the
 * helpers the pages share. */
#ifndef LINLI_SURVEY_INTERNAL_H
#define LINLI_SURVEY_INTERNAL_H

#include "survey.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct session;
struct http_req;
struct http_resp;
struct html;

#define SURVEY_TITLE_MAX     120 /* characters */
#define SURVEY_PROMPT_MAX    200
#define SURVEY_LABEL_MAX     100
#define SURVEY_TEXT_MAX	     1000 /* a text answer, the intro, a visit's notes */
#define SURVEY_OPTIONS_MAX   20
#define SURVEY_QUESTIONS_MAX 50
#define SURVEY_CODE_MAX	     32

/* ---- model.c: the rules, no I/O ---- */

/* survey_kind_valid: single, multiple, number or text. */
int survey_kind_valid(const char *kind);
/* survey_outcome_valid: met, nobody_home or refused. */
int survey_outcome_valid(const char *outcome);
/* survey_code_valid: 1..SURVEY_CODE_MAX of [a-z0-9_]. */
int survey_code_valid(const char *code);
/* survey_text_ok: valid UTF-8 of min..max characters (NULL reads as ""). */
int survey_text_ok(const char *s, size_t min, size_t max);

/* survey_question_check: a question to add after the questions already
 * there (earlier, [{id, code, kind, options}]): {code, kind, prompt,
 * required, options: [{key, label}], min, max, show_if: {question (an
 * earlier choice question's code), answer (one of its keys)}}. 0, or
 * LIN_EINVAL with *field and *key (i18n). OUT: *show_if_id, the earlier
 * question's id (0: always shown). */
int survey_question_check(json_t *q, json_t *earlier, int64_t *show_if_id, const char **field,
			  const char **key);

/* survey_shown: whether question q ({show_if_code, show_if_answer}) is
 * shown given answers (code -> value) so far. */
int survey_shown(json_t *q, json_t *answers);
/* survey_answers_check: answers (code -> string, array of strings for a
 * multiple choice, integer or numeric string for a number) against the
 * questionnaire (rows as survey_get's "questions"): an unknown code, an
 * answer to a question not shown (its condition not met), a required
 * question shown and missing, a choice not offered, a number out of its
 * bounds, a text too long: LIN_EINVAL with *field (the code) and *key.
 * OUT: *clean, code -> array of value strings, only the shown ones (the
 * caller decrefs). */
int survey_answers_check(json_t *questions, json_t *answers, json_t **clean, const char **field,
			 const char **key);

/* survey_day_valid: "YYYY-MM-DD". */
int survey_day_valid(const char *day);

/* ---- store.c: all the SQL; each write in its own transaction with its
 * audit entry ---- */

/* survey_create writes a campaign (draft) from {title, intro, questions:
 * [question as survey_question_check], buildings: [{building_id,
 * volunteer_ids: [..]}]} in one transaction. OUT: *id; on LIN_EINVAL
 * *field and *key. */
int survey_create(struct db *db, const struct session *s, int64_t area_id, json_t *in, int64_t *id,
		  const char **field, const char **key);
/* survey_question_add appends a question to a draft campaign; LIN_EPERM
 * once it is open. */
int survey_question_add(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			json_t *q, const char **field, const char **key);
/* survey_assign covers building_id and (volunteer_id not 0) assigns the
 * volunteer to it. LIN_EINVAL (*key) for a building or volunteer not of
 * the area; LIN_EPERM when the campaign is closed. */
int survey_assign(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		  int64_t building_id, int64_t volunteer_id, const char **key);
/* survey_set_state: draft -> open -> closed. LIN_ECONFLICT otherwise, or
 * when a campaign without questions or buildings would open. */
int survey_set_state(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		     const char *state, int64_t now);
/* survey_get: {id, title, intro, state, created_at, opened_at, closed_at,
 * questions: [{id, position, code, kind, prompt, required, options,
 * min, max, show_if_code, show_if_answer}], buildings: [{building_id,
 * building, compound_id, compound, doors, volunteers: [{id, name}]}]}. */
int survey_get(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* survey_list: [{id, title, state, created_at, buildings, doors,
 * visited}], newest first; volunteer_id not 0: only the campaigns that
 * volunteer is assigned in. */
int survey_list(struct db *db, int64_t area_id, int64_t volunteer_id, json_t **out);
/* survey_volunteer_of: the area's live volunteer who is user_id's
 * resident, 0 in *out if none. */
int survey_volunteer_of(struct db *db, int64_t area_id, int64_t user_id, int64_t *out);
/* survey_door_check: 0 when household may be visited in the campaign by
 * volunteer_id (0: staff, any covered door); LIN_ENOTFOUND when the door
 * is not in the campaign's buildings, LIN_EPERM when it is in a building
 * the volunteer is not assigned to. OUT (may be NULL): *door, "楼 门". */
int survey_door_check(struct db *db, int64_t area_id, int64_t id, int64_t household_id,
		      int64_t volunteer_id, json_t **door);
/* survey_doors: the campaign's doors (volunteer_id not 0: of their
 * buildings) [{household_id, door, building_id, building, compound,
 * visits, last_outcome, last_at, met, refused, revisit_on, follow_up}],
 * by building and door. */
int survey_doors(struct db *db, int64_t area_id, int64_t id, int64_t volunteer_id, json_t **out);

struct survey_visit_in {
	int64_t household_id;
	const char *outcome;	/* met, nobody_home, refused */
	json_t *answers;	/* code -> value (met only), may be NULL */
	const char *notes;	/* may be NULL */
	int follow_up;		/* a follow-up is needed */
	const char *revisit_on; /* YYYY-MM-DD or NULL/"" */
	int64_t volunteer_id;	/* the visitor's volunteer row, 0 for staff */
	int64_t visited_at;
};
/* survey_visit_record checks the door (as survey_door_check: its error),
 * the campaign open (LIN_EPERM, *key), the outcome, the answers (only
 * with met; survey_answers_check), notes and revisit day, a second met
 * visit to a door (LIN_ECONFLICT), then writes the visit and its answers
 * and drops the visitor's draft, in one audited transaction. OUT: *visit;
 * on a refusal field (a copy: "" when no field is named) and *key. */
int survey_visit_record(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			const struct survey_visit_in *in, int64_t *visit,
			char field[SURVEY_CODE_MAX + 1], const char **key);
/* survey_visit_get: {id, campaign_id, household_id, door, building_id,
 * building, compound_id, compound, volunteer_id, visitor, outcome, notes,
 * follow_up, revisit_on, visited_at, answers: {code: [values]}}. */
int survey_visit_get(struct db *db, int64_t area_id, int64_t id, int64_t visit, json_t **out);
/* survey_draft_get / survey_draft_set: the draft (a JSON object) of a
 * door for a user; *out NULL when none. */
int survey_draft_get(struct db *db, int64_t id, int64_t household_id, int64_t user_id,
		     json_t **out);
int survey_draft_set(struct db *db, int64_t id, int64_t household_id, int64_t user_id, json_t *data,
		     int64_t now);
/* survey_finding_link records case_id as a finding of visit (audited). */
int survey_finding_link(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			int64_t visit, int64_t case_id, int64_t now);
/* survey_findings: [{id, visit_id, case_id, door, building, created_at}]
 * of the campaign (visit 0) or of one visit. */
int survey_findings(struct db *db, int64_t area_id, int64_t id, int64_t visit, json_t **out);
/* survey_coverage: per covered building [{building_id, building,
 * compound_id, compound, doors, visited, reached, refused}] by compound
 * and building. visited: doors with a visit; reached: with a met visit;
 * refused: refused and never met. */
int survey_coverage(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* survey_answer_counts: [{question_id, value, count}] of the campaign. */
int survey_answer_counts(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* survey_visit_rows: every visit [{id, door, building, compound, visitor,
 * outcome, notes, follow_up, revisit_on, visited_at, answers: {code:
 * [values]}}] in time order, for the exports. */
int survey_visit_rows(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* survey_door_visits: the door's visits [{id, outcome, visitor,
 * visited_at, revisit_on}], oldest first. */
int survey_door_visits(struct db *db, int64_t area_id, int64_t id, int64_t household_id,
		       json_t **out);
/* survey_volunteer_choices: the area's live volunteers [{id, name}]. */
int survey_volunteer_choices(struct db *db, int64_t area_id, json_t **out);
/* survey_demo_buildings: up to max live buildings of the compound named
 * compound [{id}]; survey_demo_dates stamps a demo campaign's times. */
int survey_demo_buildings(struct db *db, int64_t area_id, const char *compound, int max,
			  json_t **out);
int survey_demo_dates(struct db *db, int64_t id, int64_t created, int64_t opened, int64_t closed);
/* survey_backdate moves a demo visit (and its finding link) to t. */
int survey_backdate(struct db *db, int64_t visit, int64_t t);

/* ---- finding.c: a finding filed as a case ---- */

/* survey_finding_open files a case (cases_open) of category about the
 * visit's household with description, linked back to the visit's page on
 * its timeline, and records the finding. LIN_EINVAL (*field, *key) for a
 * bad case. OUT: *case_id. */
int survey_finding_open(struct db *db, const struct session *s, int64_t area_id, int64_t id,
			int64_t visit, const char *category, const char *description, int64_t now,
			int64_t *case_id, const char **field, const char **key);

/* ---- the pages and the API ---- */

/* survey_reader_volunteer: the volunteer whose doors the reader may visit:
 * 0 for staff (PERM_SURVEY_WRITE: every door), the reader's volunteer row
 * otherwise, -1 when they have none (no door). */
int64_t survey_reader_volunteer(struct http_req *req);
/* survey_error: a store error as a page or JSON answer with key. */
int survey_error(struct http_req *req, struct http_resp *resp, int rc, const char *field,
		 const char *key);
const char *survey_str(json_t *o, const char *key);
struct arena;
/* survey_when: t as Shanghai "YYYY-MM-DD HH:MM", a copy in a. */
const char *survey_when(struct arena *a, int64_t t);
int64_t survey_num(json_t *o, const char *key);
/* survey_question_label: the question's option label for key (key itself
 * when unknown). */
const char *survey_option_label(json_t *q, const char *key);

/* the coverage map and charts (charts.c) */
int survey_coverage_map(struct http_req *req, struct html *h, json_t *coverage);
int survey_answer_charts(struct http_req *req, struct html *h, json_t *campaign);

/* the exports (export.c) */
int survey_export_csv(struct http_req *req, struct http_resp *resp);
int survey_export_xlsx(struct http_req *req, struct http_resp *resp);

int survey_page_routes(struct router *r);
int survey_visit_routes(struct router *r);
int survey_api_routes(struct router *r);

#endif
