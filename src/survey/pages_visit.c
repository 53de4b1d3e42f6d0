/* The visitor's pages, made for a phone on a slow connection: plain HTML
 * forms, no script. The doors of the reader's buildings; a door's form,
 * whose conditional questions appear when the server renders it again
 * after "save" (the draft is kept on the server, so a reload or a lost
 * connection loses nothing); a visit's record with its findings, each
 * filed as a case with one tap. */
#include "internal.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void begin(struct http_req *req, struct http_resp *resp, struct html *h, const char *title)
{
	h->out = &resp->body;
	h->lang = req->lang;
	page_begin(req, h, title);
}

static int end(struct http_req *req, struct http_resp *resp, struct html *h, int status)
{
	page_end(req, h);
	resp->status = status;
	return 0;
}

/* reader_volunteer: the reader's volunteer row (0 staff); answers 403 and
 * returns -1 for someone signed in without one. */
static int64_t reader_volunteer(struct http_req *req, struct http_resp *resp)
{
	int64_t v = survey_reader_volunteer(req);
	if (v < 0)
		survey_error(req, resp, LIN_EPERM, NULL, "survey.err.no_volunteer");
	return v;
}

/* door_refused answers survey_door_check's error plainly. */
static int door_refused(struct http_req *req, struct http_resp *resp, int rc)
{
	return survey_error(req, resp, rc, "household_id",
			    rc == LIN_ENOTFOUND ? "survey.err.door_outside"
			    : rc == LIN_EPERM	? "survey.err.door_not_yours"
						: NULL);
}

static const char *outcome_key(struct http_req *req, const char *outcome)
{
	return arena_printf(req->arena, "survey.outcome.%s",
			    outcome && *outcome ? outcome : "none");
}

/* ------------------------------------------------------------ the doors */

/* revisits: the doors nobody opened and no one has met since, first, with
 * the day planned to try again. */
static void revisits(struct http_req *req, struct html *h, int64_t id, json_t *rows)
{
	size_t i;
	json_t *d;
	int n = 0;

	json_array_foreach (rows, i, d) {
		if (survey_num(d, "met") || strcmp(survey_str(d, "last_outcome"), "nobody_home"))
			continue;
		if (!n++)
			html_printf(h, "<h2>%T</h2><ul class=\"survey-doors survey-revisits\">",
				    "survey.to_revisit");
		html_printf(
		    h,
		    "<li class=\"survey-door is-nobody_home\"><a href=\"/surveys/%l/doors/%l\">"
		    "<b>%s %s</b> <span class=\"muted\">%s</span></a></li>",
		    id, survey_num(d, "household_id"), survey_str(d, "building"),
		    survey_str(d, "door"),
		    *survey_str(d, "revisit_on") ? survey_str(d, "revisit_on") : "—");
	}
	if (n)
		html_printf(h, "</ul>");
}

static int doors_page(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0), vol = reader_volunteer(req, resp), building = -1;
	int64_t n = 0, visited = 0, reached = 0;
	json_t *c = NULL, *rows = NULL, *d;
	struct html h;
	size_t i;
	int rc;

	if (vol < 0)
		return 0;
	rc = survey_get(req->db, req->sess.area_id, id, &c);
	if (!rc)
		rc = survey_doors(req->db, req->sess.area_id, id, vol, &rows);
	if (rc) {
		json_decref(c);
		json_decref(rows);
		return survey_error(req, resp, rc, NULL, NULL);
	}
	json_array_foreach (rows, i, d) {
		n++;
		visited += survey_num(d, "visits") > 0;
		reached += survey_num(d, "met") > 0;
	}
	begin(req, resp, &h, req_t(req, vol ? "survey.my_doors" : "survey.doors"));
	html_printf(&h, "<p class=\"crumbs\"><a href=\"/surveys\">%T</a></p><h1>%s</h1>",
		    "survey.title", survey_str(c, "title"));
	html_printf(&h, "<p class=\"survey-sum\"><b>%l</b> %T · <b>%l</b> %T · <b>%l</b> %T</p>", n,
		    "survey.doors_n", visited, "survey.visited", reached, "survey.reached");
	if (strcmp(survey_str(c, "state"), "open"))
		html_printf(&h, "<p class=\"notice\">%T</p>", "survey.err.not_open");
	if (!n)
		html_printf(&h, "<p class=\"empty\">%T</p>", "survey.no_doors");
	revisits(req, &h, id, rows);
	json_array_foreach (rows, i, d) {
		const char *last = survey_str(d, "last_outcome");
		if (survey_num(d, "building_id") != building) {
			html_printf(
			    &h, "%R<h2 class=\"survey-bldg\">%s %s</h2><ul class=\"survey-doors\">",
			    building >= 0 ? "</ul>" : "", survey_str(d, "compound"),
			    survey_str(d, "building"));
			building = survey_num(d, "building_id");
		}
		html_printf(&h,
			    "<li class=\"survey-door is-%s\"><a href=\"/surveys/%l/doors/%l\">"
			    "<b>%s</b> <span class=\"badge\">%T</span>",
			    *last ? last : "none", id, survey_num(d, "household_id"),
			    survey_str(d, "door"),
			    outcome_key(req, survey_num(d, "met") ? "met" : last));
		if (!survey_num(d, "met") && *survey_str(d, "revisit_on"))
			html_printf(&h, " <span class=\"muted\">%T %s</span>", "survey.revisit_on",
				    survey_str(d, "revisit_on"));
		if (json_is_true(json_object_get(d, "follow_up")))
			html_printf(&h, " <span class=\"tag\">%T</span>", "survey.follow_up");
		html_printf(&h, "</a></li>");
	}
	if (building >= 0)
		html_printf(&h, "</ul>");
	json_decref(c);
	json_decref(rows);
	return end(req, resp, &h, 200);
}

/* ------------------------------------------------------------ a door's form */

/* form_draft: what the posted form says, as a draft {outcome, answers,
 * notes, follow_up, revisit_on, category, finding}; the answers of the
 * questions the form carried (a multiple choice's boxes all together). */
static json_t *form_draft(struct http_req *req, json_t *questions)
{
	json_t *answers = json_object(), *q;
	size_t i;

	json_array_foreach (questions, i, q) {
		const char *name = arena_printf(req->arena, "q_%s", survey_str(q, "code"));
		if (!strcmp(survey_str(q, "kind"), "multiple")) {
			json_t *list = json_array();
			for (int k = 0; k < req->nform; k++)
				if (!strcmp(req->form[k].name, name) && *req->form[k].value)
					json_array_append_new(list,
							      json_string(req->form[k].value));
			if (json_array_size(list))
				json_object_set_new(answers, survey_str(q, "code"), list);
			else
				json_decref(list);
		} else if (req_form(req, name) && *req_form(req, name))
			json_object_set_new(answers, survey_str(q, "code"),
					    json_string(req_form(req, name)));
	}
	return json_pack("{s:s, s:o, s:s, s:b, s:s, s:s, s:s}", "outcome",
			 req_form(req, "outcome") ? req_form(req, "outcome") : "", "answers",
			 answers, "notes", req_form(req, "notes") ? req_form(req, "notes") : "",
			 "follow_up", req_form(req, "follow_up") != NULL, "revisit_on",
			 req_form(req, "revisit_on") ? req_form(req, "revisit_on") : "", "category",
			 req_form(req, "category") ? req_form(req, "category") : "", "finding",
			 req_form(req, "finding") ? req_form(req, "finding") : "");
}

static const char *const finding_categories[] = {"pet_waste", "garbage", "repair", "safety",
						 "dispute",   "other",	 NULL};

static void category_select(struct http_req *req, struct html *h, const char *selected)
{
	html_printf(h, "<label>%T<select name=\"category\">", "survey.f.category");
	for (int k = 0; finding_categories[k]; k++)
		html_printf(h, "<option value=\"%s\"%R>%T</option>", finding_categories[k],
			    !strcmp(selected, finding_categories[k]) ? " selected" : "",
			    arena_printf(req->arena, "survey.cat.%s", finding_categories[k]));
	html_printf(h, "</select></label>");
}

/* question_field writes one question's input with the draft's value; a
 * question not shown (shown 0) is there hidden and disabled (so never
 * sent) for survey.js to show once its answer is picked. */
static void question_field(struct http_req *req, struct html *h, json_t *q, json_t *value,
			   const char *bad, int shown)
{
	const char *code = survey_str(q, "code"), *kind = survey_str(q, "kind");
	int required = json_is_true(json_object_get(q, "required"));
	size_t i, k;
	json_t *o, *v;

	html_printf(h, "<fieldset class=\"field survey-q%R\" id=\"q-%s\"",
		    bad && !strcmp(bad, code) ? " invalid" : "", code);
	if (*survey_str(q, "show_if_code"))
		html_printf(h, " data-if-q=\"%s\" data-if-a=\"%s\"", survey_str(q, "show_if_code"),
			    survey_str(q, "show_if_answer"));
	html_printf(h, "%R><legend>%s%R</legend>", shown ? "" : " hidden disabled",
		    survey_str(q, "prompt"), required ? " <span class=\"req\">*</span>" : "");
	if (!strcmp(kind, "single") || !strcmp(kind, "multiple")) {
		int multi = !strcmp(kind, "multiple");
		html_printf(h, "<div class=\"checks\">");
		json_array_foreach (json_object_get(q, "options"), i, o) {
			int on = 0;
			if (json_is_string(value))
				on = !strcmp(json_string_value(value), survey_str(o, "key"));
			json_array_foreach (value, k, v)
				on |= json_is_string(v) &&
				      !strcmp(json_string_value(v), survey_str(o, "key"));
			html_printf(h,
				    "<label class=\"check\"><input type=\"%s\" name=\"q_%s\" "
				    "value=\"%s\"%R> %s</label>",
				    multi ? "checkbox" : "radio", code, survey_str(o, "key"),
				    on ? " checked" : "", survey_str(o, "label"));
		}
		html_printf(h, "</div>");
	} else if (!strcmp(kind, "number")) {
		html_printf(h, "<input name=\"q_%s\" inputmode=\"numeric\" value=\"%s\"", code,
			    json_is_string(value) ? json_string_value(value) : "");
		if (json_is_integer(json_object_get(q, "min")))
			html_printf(h, " aria-describedby=\"b-%s\"", code);
		html_printf(h, ">");
		if (json_is_integer(json_object_get(q, "min")))
			html_printf(h, "<small class=\"muted\" id=\"b-%s\">%l – %l</small>", code,
				    survey_num(q, "min"), survey_num(q, "max"));
	} else
		html_printf(h,
			    "<textarea name=\"q_%s\" rows=\"2\" maxlength=\"1000\">%s</textarea>",
			    code, json_is_string(value) ? json_string_value(value) : "");
	html_printf(h, "</fieldset>");
}

/* door_form writes the page of a door: its earlier visits and the form,
 * filled from draft; error (an i18n key) with bad (a question's code)
 * when a record was refused. */
static int door_form(struct http_req *req, struct http_resp *resp, json_t *c, json_t *door,
		     json_t *draft, const char *error, const char *bad, int status)
{
	int64_t id = survey_num(c, "id"), hh = survey_num(door, "household_id");
	json_t *visits = NULL, *v, *q, *answers = json_object_get(draft, "answers");
	const char *outcome = survey_str(draft, "outcome");
	struct html h;
	size_t i;
	int hidden = 0;

	begin(req, resp, &h, survey_str(door, "door"));
	html_printf(&h,
		    "<p class=\"crumbs\"><a href=\"/surveys/%l/doors\">‹ %T</a></p>"
		    "<h1>%s %s %s</h1>",
		    id, "survey.doors", survey_str(door, "compound"), survey_str(door, "building"),
		    survey_str(door, "door"));
	if (!survey_door_visits(req->db, req->sess.area_id, id, hh, &visits) &&
	    json_array_size(visits)) {
		html_printf(&h, "<ul class=\"survey-history\">");
		json_array_foreach (visits, i, v)
			html_printf(&h, "<li><a href=\"/surveys/%l/visits/%l\">%s</a> %T · %s</li>",
				    id, survey_num(v, "id"),
				    survey_when(req->arena, survey_num(v, "visited_at")),
				    outcome_key(req, survey_str(v, "outcome")),
				    survey_str(v, "visitor"));
		html_printf(&h, "</ul>");
	}
	json_decref(visits);
	if (error)
		html_printf(
		    &h, "<div class=\"alert\" role=\"alert\"><p>%T</p>%R</div>", error,
		    bad ? arena_printf(req->arena, "<p><a href=\"#q-%s\">%s</a></p>", bad, bad)
			: "");
	if (strcmp(survey_str(c, "state"), "open")) {
		html_printf(&h, "<p class=\"notice\">%T</p>", "survey.err.not_open");
		return end(req, resp, &h, status);
	}
	html_printf(&h,
		    "<form method=\"post\" action=\"/surveys/%l/doors/%l\" class=\"stack "
		    "survey-form\">",
		    id, hh);
	page_csrf_field(req, &h);
	html_printf(&h,
		    "<fieldset class=\"field\"><legend>%T <span class=\"req\">*</span>"
		    "</legend><div class=\"checks\">",
		    "survey.f.outcome");
	static const char *const outcomes[] = {"met", "nobody_home", "refused", NULL};
	for (int k = 0; outcomes[k]; k++)
		html_printf(&h,
			    "<label class=\"check\"><input type=\"radio\" name=\"outcome\" "
			    "value=\"%s\"%R> %T</label>",
			    outcomes[k], !strcmp(outcome, outcomes[k]) ? " checked" : "",
			    outcome_key(req, outcomes[k]));
	html_printf(&h, "</div></fieldset><h2>%T</h2><p class=\"muted\">%T</p>", "survey.answers",
		    "survey.answers_hint");
	json_array_foreach (json_object_get(c, "questions"), i, q) {
		int shown = survey_shown(q, answers);
		hidden += !shown;
		question_field(req, &h, q, json_object_get(answers, survey_str(q, "code")), bad,
			       shown);
	}
	if (hidden)
		html_printf(&h, "<noscript><p class=\"muted\">%T</p></noscript>",
			    "survey.more_after_save");
	html_printf(&h,
		    "<label>%T<textarea name=\"notes\" rows=\"3\" maxlength=\"1000\">%s</textarea>"
		    "</label><label class=\"check\"><input type=\"checkbox\" name=\"follow_up\" "
		    "value=\"1\"%R> %T</label><label>%T<input type=\"date\" name=\"revisit_on\" "
		    "value=\"%s\"></label>",
		    "survey.f.notes", survey_str(draft, "notes"),
		    json_is_true(json_object_get(draft, "follow_up")) ? " checked" : "",
		    "survey.follow_up", "survey.f.revisit_on", survey_str(draft, "revisit_on"));
	html_printf(&h, "<details%R><summary>%T</summary><div class=\"stack\">",
		    *survey_str(draft, "finding") ? " open" : "", "survey.finding_add");
	category_select(req, &h, survey_str(draft, "category"));
	html_printf(
	    &h,
	    "<label>%T<textarea name=\"finding\" rows=\"2\" maxlength=\"4000\">%s</textarea>"
	    "</label></div></details>",
	    "survey.f.finding", survey_str(draft, "finding"));
	html_printf(&h,
		    "<p class=\"actions\"><button class=\"button\" type=\"submit\" name=\"step\" "
		    "value=\"save\">%T</button><button class=\"button primary\" type=\"submit\" "
		    "name=\"step\" value=\"finish\">%T</button></p></form>",
		    "survey.save_draft", "survey.record");
	html_printf(&h, "<script src=\"/static/survey.js\" defer></script>");
	return end(req, resp, &h, status);
}

/* load: the campaign and the door the reader may visit, or an answer
 * given (returns 1 then). */
static int load(struct http_req *req, struct http_resp *resp, int64_t *vol, json_t **c,
		json_t **door)
{
	int64_t id = req_param_id(req, 0), hh = req_param_id(req, 1);
	int rc;

	*c = NULL;
	*door = NULL;
	*vol = reader_volunteer(req, resp);
	if (*vol < 0)
		return 1;
	rc = survey_get(req->db, req->sess.area_id, id, c);
	if (rc) {
		survey_error(req, resp, rc, NULL, NULL);
		return 1;
	}
	rc = survey_door_check(req->db, req->sess.area_id, id, hh, *vol, door);
	if (rc) {
		json_decref(*c);
		*c = NULL;
		door_refused(req, resp, rc);
		return 1;
	}
	return 0;
}

static int door_page(struct http_req *req, struct http_resp *resp)
{
	int64_t vol;
	json_t *c, *door, *draft = NULL;
	int rc;

	if (load(req, resp, &vol, &c, &door))
		return 0;
	survey_draft_get(req->db, survey_num(c, "id"), survey_num(door, "household_id"),
			 req->sess.user_id, &draft);
	if (!draft)
		draft = json_pack("{s:s, s:{}}", "outcome", "", "answers");
	rc = door_form(req, resp, c, door, draft, NULL, NULL, 200);
	json_decref(draft);
	json_decref(c);
	json_decref(door);
	return rc;
}

static int door_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t vol, visit = 0, case_id = 0, now = (int64_t)time(NULL);
	json_t *c, *door, *draft;
	const char *step = req_form(req, "step"), *field = NULL, *key = NULL;
	char bad[SURVEY_CODE_MAX + 1] = "";
	int rc;

	if (load(req, resp, &vol, &c, &door))
		return 0;
	draft = form_draft(req, json_object_get(c, "questions"));
	if (!step || strcmp(step, "finish")) {
		/* saved on the server, then shown again (a reload is a GET) */
		rc =
		    survey_draft_set(req->db, survey_num(c, "id"), survey_num(door, "household_id"),
				     req->sess.user_id, draft, now);
		if (!rc)
			rc = resp_redirect(
			    req, resp,
			    arena_printf(req->arena, "/surveys/%lld/doors/%lld#q",
					 (long long)survey_num(c, "id"),
					 (long long)survey_num(door, "household_id")));
		else
			rc = survey_error(req, resp, rc, NULL, NULL);
		goto out;
	}
	{
		const char *outcome = survey_str(draft, "outcome");
		struct survey_visit_in in = {
		    .household_id = survey_num(door, "household_id"),
		    .outcome = outcome,
		    /* the form keeps what was typed for another outcome; only a
		     * meeting records answers */
		    .answers = !strcmp(outcome, "met") ? json_object_get(draft, "answers") : NULL,
		    .notes = survey_str(draft, "notes"),
		    .follow_up = json_is_true(json_object_get(draft, "follow_up")),
		    .revisit_on = survey_str(draft, "revisit_on"),
		    .volunteer_id = vol,
		    .visited_at = now,
		};
		rc = survey_visit_record(req->db, &req->sess, req->sess.area_id,
					 survey_num(c, "id"), &in, &visit, bad, &key);
	}
	if (rc == LIN_EINVAL || rc == LIN_ECONFLICT || rc == LIN_EPERM) {
		rc = door_form(req, resp, c, door, draft, key ? key : "survey.err.state",
			       *bad && strcmp(bad, "answers") ? bad : NULL,
			       rc == LIN_EINVAL ? 422 : 409);
		goto out;
	}
	if (rc) {
		rc = survey_error(req, resp, rc, NULL, key);
		goto out;
	}
	if (*survey_str(draft, "finding")) {
		int frc =
		    survey_finding_open(req->db, &req->sess, req->sess.area_id, survey_num(c, "id"),
					visit, survey_str(draft, "category"),
					survey_str(draft, "finding"), now, &case_id, &field, &key);
		rc = resp_redirect(req, resp,
				   arena_printf(req->arena, "/surveys/%lld/visits/%lld%s",
						(long long)survey_num(c, "id"), (long long)visit,
						frc ? "?finding=refused" : ""));
		goto out;
	}
	rc = resp_redirect(req, resp,
			   arena_printf(req->arena, "/surveys/%lld/visits/%lld",
					(long long)survey_num(c, "id"), (long long)visit));
out:
	json_decref(draft);
	json_decref(c);
	json_decref(door);
	return rc;
}

/* ------------------------------------------------------------ a visit */

/* load_visit: the campaign and a visit the reader may see: any, for who
 * reads campaigns; one at a door of their buildings, for a volunteer. */
static int load_visit(struct http_req *req, struct http_resp *resp, json_t **c, json_t **v)
{
	int64_t id = req_param_id(req, 0), visit = req_param_id(req, 1);
	int64_t vol = req_can(req, PERM_SURVEY_READ) ? 0 : reader_volunteer(req, resp);
	int rc;

	*c = NULL;
	*v = NULL;
	if (vol < 0)
		return 1;
	rc = survey_get(req->db, req->sess.area_id, id, c);
	if (!rc)
		rc = survey_visit_get(req->db, req->sess.area_id, id, visit, v);
	if (!rc)
		rc = survey_door_check(req->db, req->sess.area_id, id,
				       survey_num(*v, "household_id"), vol, NULL);
	if (rc) {
		json_decref(*c);
		json_decref(*v);
		*c = *v = NULL;
		door_refused(req, resp, rc);
		return 1;
	}
	return 0;
}

static int visit_page(struct http_req *req, struct http_resp *resp)
{
	json_t *c, *v, *q, *findings = NULL, *f, *values, *x;
	int64_t id, visit;
	struct html h;
	size_t i, k;

	if (load_visit(req, resp, &c, &v))
		return 0;
	id = survey_num(c, "id");
	visit = survey_num(v, "id");
	begin(req, resp, &h, req_t(req, "survey.the_visit"));
	html_printf(&h,
		    "<p class=\"crumbs\"><a href=\"/surveys/%l/doors/%l\">‹ %s %s</a></p>"
		    "<h1>%s %s %s</h1>",
		    id, survey_num(v, "household_id"), survey_str(v, "building"),
		    survey_str(v, "door"), survey_str(v, "compound"), survey_str(v, "building"),
		    survey_str(v, "door"));
	if (req_query(req, "finding"))
		html_printf(&h, "<div class=\"alert\" role=\"alert\"><p>%T</p></div>",
			    "survey.err.finding");
	html_printf(&h, "<section class=\"card\"><p><span class=\"badge\">%T</span> %s · %s</p>",
		    outcome_key(req, survey_str(v, "outcome")),
		    survey_when(req->arena, survey_num(v, "visited_at")), survey_str(v, "visitor"));
	if (json_object_size(json_object_get(v, "answers"))) {
		html_printf(&h, "<dl class=\"survey-answers\">");
		json_array_foreach (json_object_get(c, "questions"), i, q) {
			values =
			    json_object_get(json_object_get(v, "answers"), survey_str(q, "code"));
			if (!values)
				continue;
			html_printf(&h, "<dt>%s</dt><dd>", survey_str(q, "prompt"));
			json_array_foreach (values, k, x)
				html_printf(&h, "%s%s", k ? "、" : "",
					    survey_option_label(q, json_string_value(x)));
			html_printf(&h, "</dd>");
		}
		html_printf(&h, "</dl>");
	}
	if (*survey_str(v, "notes"))
		html_printf(&h, "<p class=\"description\">%s</p>", survey_str(v, "notes"));
	if (json_is_true(json_object_get(v, "follow_up")))
		html_printf(&h, "<p><span class=\"tag\">%T</span></p>", "survey.follow_up");
	if (*survey_str(v, "revisit_on"))
		html_printf(&h, "<p>%T %s</p>", "survey.revisit_on", survey_str(v, "revisit_on"));
	html_printf(&h, "</section><section class=\"card\" id=\"findings\"><h2>%T</h2><ul>",
		    "survey.findings");
	if (!survey_findings(req->db, req->sess.area_id, id, visit, &findings))
		json_array_foreach (findings, i, f)
			if (cases_reader_may_open(req, survey_num(f, "case_id")))
				html_printf(&h, "<li><a href=\"/cases/%l\">%T #%l</a></li>",
					    survey_num(f, "case_id"), "survey.case",
					    survey_num(f, "case_id"));
	json_decref(findings);
	html_printf(&h, "</ul>");
	if (!strcmp(survey_str(c, "state"), "open")) {
		html_printf(&h,
			    "<form method=\"post\" action=\"/surveys/%l/visits/%l/finding\" "
			    "class=\"stack\">",
			    id, visit);
		page_csrf_field(req, &h);
		category_select(req, &h, "");
		html_printf(&h,
			    "<label>%T<textarea name=\"finding\" rows=\"2\" maxlength=\"4000\" "
			    "required></textarea></label><p><button class=\"button primary\" "
			    "type=\"submit\">%T</button></p></form>",
			    "survey.f.finding", "survey.file_case");
	}
	html_printf(&h, "</section>");
	json_decref(c);
	json_decref(v);
	return end(req, resp, &h, 200);
}

static int finding_submit(struct http_req *req, struct http_resp *resp)
{
	const char *field = NULL, *key = NULL;
	int64_t case_id = 0;
	json_t *c, *v;
	int rc;

	if (load_visit(req, resp, &c, &v))
		return 0;
	if (strcmp(survey_str(c, "state"), "open"))
		rc = LIN_EPERM, key = "survey.err.not_open";
	else
		rc = survey_finding_open(req->db, &req->sess, req->sess.area_id,
					 survey_num(c, "id"), survey_num(v, "id"),
					 req_form(req, "category"), req_form(req, "finding"),
					 (int64_t)time(NULL), &case_id, &field, &key);
	if (!rc)
		rc = resp_redirect(req, resp,
				   arena_printf(req->arena, "/surveys/%lld/visits/%lld#findings",
						(long long)survey_num(c, "id"),
						(long long)survey_num(v, "id")));
	else
		rc = survey_error(req, resp, rc, field, key);
	json_decref(c);
	json_decref(v);
	return rc;
}

int survey_visit_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/surveys/:id/doors", doors_page, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"GET", "/surveys/:id/doors/:hh", door_page, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"POST", "/surveys/:id/doors/:hh", door_submit, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"GET", "/surveys/:id/visits/:visit", visit_page, PERM_SURVEY_VISIT, 0, NULL, 0},
	    {"POST", "/surveys/:id/visits/:visit/finding", finding_submit, PERM_SURVEY_VISIT, 0,
	     NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
