/* The meetings' JSON API under /api/v1 (docs/api.md), and who may see a
 * meeting and its minutes, which the pages share. */
#include "internal.h"
#include "../hours/hours.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ who sees what */

int meeting_visible(struct http_req *req, int64_t meeting_id)
{
	int64_t invitee = 0;

	if (req_can(req, PERM_MEETINGS_WRITE))
		return 1;
	return !meeting_invitee_of(req->db, meeting_id, req->sess.user_id, &invitee) && invitee;
}

int meeting_minutes_visible(struct http_req *req, json_t *meeting)
{
	int64_t id = json_integer_value(json_object_get(meeting, "id"));
	const char *body = json_string_value(json_object_get(meeting, "body"));

	if (req_can(req, PERM_MEETINGS_WRITE))
		return 1;
	/* A branch meeting's minutes are the branch's: staff and the Party
	 * members invited, never a resident's, volunteer's or unit's account. */
	if (body && !strcmp(body, "branch") && req->sess.role != ROLE_PARTY_MEMBER)
		return 0;
	return meeting_visible(req, id);
}

/* ------------------------------------------------------------ helpers */

static int invalid(struct http_req *req, struct http_resp *resp, const char *field, const char *key)
{
	const char *msg = req_t(req, key);
	json_t *fields = json_object();

	json_object_set_new(fields, field ? field : "body", json_string(msg));
	return resp_json(resp, 422,
			 json_pack("{s:{s:s, s:s, s:s, s:o}}", "error", "code", "invalid",
				   "message", msg, "field", field ? field : "body", "fields",
				   fields));
}

static int failed(struct http_req *req, struct http_resp *resp, int rc)
{
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc == LIN_EINVAL)
		return invalid(req, resp, "body", "meet.err.text");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* visible_meeting loads the meeting of :id the reader may see; 404
 * otherwise (a meeting one is not invited to does not exist for them). */
static int visible_meeting(struct http_req *req, json_t **m)
{
	int64_t id = req_param_id(req, 0);

	*m = NULL;
	if (!id || !meeting_visible(req, id))
		return LIN_ENOTFOUND;
	return meeting_get(req->db, req->sess.area_id, id, m);
}

/* meeting_public strips what the reader may not see: the minutes, and the
 * check-in code for anyone but staff. */
static json_t *meeting_public(struct http_req *req, json_t *m)
{
	if (!meeting_minutes_visible(req, m))
		json_object_del(m, "minutes");
	if (!req_can(req, PERM_MEETINGS_WRITE))
		json_object_del(m, "code");
	return m;
}

/* ------------------------------------------------------------ meetings */

static int api_list(struct http_req *req, struct http_resp *resp)
{
	const char *month = req_query(req, "month");
	char now_month[11];
	int64_t from, to;
	json_t *rows = NULL;

	meeting_day_text((int64_t)time(NULL), now_month);
	now_month[7] = '\0';
	if (meeting_month_range(month && *month ? month : now_month, &from, &to))
		return invalid(req, resp, "month", "meet.err.month");
	if (meeting_list(req->db, req->sess.area_id, from, to,
			 req_can(req, PERM_MEETINGS_WRITE)
			     ? 0
			     : (req->sess.user_id ? req->sess.user_id : -1),
			 &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	return resp_json(resp, 200, json_pack("{s:o}", "meetings", rows));
}

/* meeting_in_json reads {kind, body, branch_id, team_id, title, place,
 * date, start, end, end_date (optional)}. */
static int meeting_in_json(json_t *o, struct meeting_in *in, const char **field, const char **key)
{
	const char *date = str(o, "date");

	in->kind = str(o, "kind");
	in->body = str(o, "body");
	in->branch_id = num(o, "branch_id");
	in->team_id = num(o, "team_id");
	in->title = str(o, "title");
	in->place = str(o, "place");
	if (meeting_local_time(date, str(o, "start"), &in->starts_at)) {
		*field = date && *date && !meeting_local_time(date, "00:00", &in->starts_at)
			     ? "start"
			     : "date";
		*key = !strcmp(*field, "date") ? "meet.err.date" : "meet.err.start";
		return LIN_EINVAL;
	}
	/* A meeting past midnight names its end's day (end_date; by default
	 * the start's). */
	if (json_object_get(o, "end_date") &&
	    meeting_local_time(str(o, "end_date"), "00:00", &in->ends_at)) {
		*field = "end_date";
		*key = "meet.err.date";
		return LIN_EINVAL;
	}
	if (meeting_local_time(json_object_get(o, "end_date") ? str(o, "end_date") : date,
			       str(o, "end"), &in->ends_at)) {
		*field = "end";
		*key = "meet.err.end";
		return LIN_EINVAL;
	}
	return 0;
}

static int api_create(struct http_req *req, struct http_resp *resp)
{
	const char *field = NULL, *key = NULL, *err;
	json_t *o = req_json(req, &err), *m = NULL;
	struct meeting_in in = {0};
	int64_t id = 0;
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = meeting_in_json(o, &in, &field, &key);
	if (!rc)
		rc = meeting_create(req->db, &req->sess, req->sess.area_id, &in, &id, &field, &key);
	json_decref(o);
	if (rc == LIN_EINVAL)
		return invalid(req, resp, field, key);
	if (rc || meeting_get(req->db, req->sess.area_id, id, &m))
		return failed(req, resp, rc ? rc : LIN_EDB);
	return resp_json(resp, 201, m);
}

/* change_error: the answer to a refused reschedule or cancel. */
static int change_error(struct http_req *req, struct http_resp *resp, int rc, const char *field,
			const char *key)
{
	if (rc == LIN_EINVAL)
		return invalid(req, resp, field ? field : "reason",
			       key ? key : "meet.err.cancel_reason");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 409, "cancelled", "meet.err.cancelled");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "begun", "meet.err.begun");
	return failed(req, resp, rc);
}

/* POST /api/v1/meetings/:id/reschedule {date, start, end, end_date, place} */
static int api_reschedule(struct http_req *req, struct http_resp *resp)
{
	const char *field = NULL, *key = NULL, *err;
	json_t *o = req_json(req, &err), *m = NULL;
	struct meeting_in in = {0};
	int64_t id = req_param_id(req, 0);
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = meeting_in_json(o, &in, &field, &key);
	if (!rc)
		rc = meeting_reschedule(req->db, &req->sess, req->sess.area_id, id,
					json_object_get(o, "place") ? in.place : NULL, in.starts_at,
					in.ends_at, (int64_t)time(NULL), &field, &key);
	json_decref(o);
	if (rc)
		return change_error(req, resp, rc, field, key);
	if (meeting_get(req->db, req->sess.area_id, id, &m))
		return failed(req, resp, LIN_EDB);
	return resp_json(resp, 200, m);
}

/* POST /api/v1/meetings/:id/cancel {reason} */
static int api_cancel(struct http_req *req, struct http_resp *resp)
{
	const char *err;
	json_t *o = req_json(req, &err), *m = NULL;
	int64_t id = req_param_id(req, 0);
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = meeting_cancel(req->db, &req->sess, req->sess.area_id, id, str(o, "reason"),
			    (int64_t)time(NULL));
	json_decref(o);
	if (rc)
		return change_error(req, resp, rc, NULL, NULL);
	if (meeting_get(req->db, req->sess.area_id, id, &m))
		return failed(req, resp, LIN_EDB);
	return resp_json(resp, 200, m);
}

static int api_get(struct http_req *req, struct http_resp *resp)
{
	json_t *m = NULL;
	int64_t invitee = 0;
	int rc = visible_meeting(req, &m);

	if (rc)
		return failed(req, resp, rc);
	meeting_invitee_of(req->db, json_integer_value(json_object_get(m, "id")), req->sess.user_id,
			   &invitee);
	json_object_set_new(m, "invited", json_boolean(invitee));
	/* The photos go with the minutes, behind the same door. */
	if (meeting_minutes_visible(req, m)) {
		json_t *photos = NULL, *p;
		size_t i;
		if (meeting_photos(req->db, json_integer_value(json_object_get(m, "id")),
				   &photos)) {
			json_decref(photos);
			json_decref(m);
			return resp_error(req, resp, 500, "internal", "err.internal");
		}
		json_array_foreach (photos, i, p) {
			const char *mime = json_string_value(json_object_get(p, "mime"));
			char url[160];
			snprintf(url, sizeof(url), "/meetings/%lld/views/%s.%s",
				 (long long)json_integer_value(json_object_get(m, "id")),
				 json_string_value(json_object_get(p, "sha256")),
				 !strcmp(mime, "image/png")    ? "png"
				 : !strcmp(mime, "image/webp") ? "webp"
							       : "jpg");
			json_object_set_new(p, "view", json_string(url));
		}
		json_object_set_new(m, "photos", photos);
	}
	return resp_json(resp, 200, meeting_public(req, m));
}

static int api_invitees(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	int64_t id = req_param_id(req, 0);
	json_t *m = NULL;
	int rc = id ? meeting_get(req->db, req->sess.area_id, id, &m) : LIN_ENOTFOUND;

	json_decref(m);
	if (!rc)
		rc = meeting_invitees(req->db, id, &rows);
	if (rc) {
		json_decref(rows);
		return failed(req, resp, rc);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "invitees", rows));
}

static int api_invite(struct http_req *req, struct http_resp *resp)
{
	const char *err, *kind;
	json_t *o = req_json(req, &err);
	int added = 0, rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	kind = str(o, "kind");
	if (!kind || (strcmp(kind, "branch") && strcmp(kind, "team") && strcmp(kind, "member") &&
		      strcmp(kind, "unit") && strcmp(kind, "user"))) {
		json_decref(o);
		return invalid(req, resp, "kind", "meet.err.invite_kind");
	}
	rc = meeting_invite(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0), kind,
			    num(o, "id"), num(o, "user_id"), &added);
	json_decref(o);
	if (rc == LIN_ENOTFOUND)
		return invalid(req, resp, "id", "meet.err.invite_who");
	if (rc)
		return failed(req, resp, rc);
	return resp_json(resp, 200, json_pack("{s:i}", "added", added));
}

/* attendance_error: the answer to attendance_set's refusal. */
static int attendance_error(struct http_req *req, struct http_resp *resp, int rc)
{
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "not_yet_held", "meet.err.not_held");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 409, "cancelled", "meet.err.cancelled");
	if (rc == LIN_ENOTFOUND)
		return invalid(req, resp, "invitee_id", "meet.err.invitee");
	return failed(req, resp, rc);
}

static int api_attendance(struct http_req *req, struct http_resp *resp)
{
	const char *err, *status, *reason;
	json_t *o = req_json(req, &err);
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	status = str(o, "status");
	reason = str(o, "reason");
	if (!attendance_status_valid(status))
		rc = invalid(req, resp, "status", "meet.err.status");
	else if (!strcmp(status, "excused") && !meeting_text_ok(reason, 1, MEETING_TEXT_MAX))
		rc = invalid(req, resp, "reason", "meet.err.excuse_reason");
	else {
		rc = attendance_set(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0),
				    num(o, "invitee_id"), status, reason ? reason : "",
				    (int64_t)time(NULL));
		rc = rc ? attendance_error(req, resp, rc)
			: resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
	}
	json_decref(o);
	return rc;
}

int meetings_checkin(struct http_req *req, const char *code, int *status, const char **key,
		     int64_t *meeting_id)
{
	int64_t id = 0, invitee = 0, now = (int64_t)time(NULL);
	json_t *m = NULL;
	int already = 0, w, rc;

	*meeting_id = 0;
	if (!code || strlen(code) != MEETING_CODE_LEN ||
	    meeting_by_code(req->db, req->sess.area_id, code, &id)) {
		*status = 404;
		*key = "meet.err.code";
		return 0;
	}
	rc = meeting_get(req->db, req->sess.area_id, id, &m);
	if (!rc)
		rc = meeting_invitee_of(req->db, id, req->sess.user_id, &invitee);
	if (rc) {
		json_decref(m);
		return rc;
	}
	*meeting_id = id;
	if (json_is_true(json_object_get(m, "cancelled"))) {
		json_decref(m);
		*status = 409;
		*key = "meet.err.cancelled";
		return 0;
	}
	w = meeting_checkin_window(now, json_integer_value(json_object_get(m, "starts_at")),
				   json_integer_value(json_object_get(m, "ends_at")));
	json_decref(m);
	if (!invitee) {
		*status = 403;
		*key = "meet.err.not_invited";
		return 0;
	}
	if (w) {
		*status = 409;
		*key = w < 0 ? "meet.err.too_early" : "meet.err.too_late";
		return 0;
	}
	rc = meeting_checkin(req->db, &req->sess, req->sess.area_id, id, invitee, now, &already);
	*status = 200;
	*key = already ? "meet.checkin.already" : "meet.checkin.done";
	return rc;
}

static int api_checkin(struct http_req *req, struct http_resp *resp)
{
	const char *err, *key = NULL;
	json_t *o = req_json(req, &err);
	int64_t id = 0;
	int status = 0, rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = meetings_checkin(req, str(o, "code"), &status, &key, &id);
	json_decref(o);
	if (rc)
		return failed(req, resp, rc);
	if (status != 200)
		return resp_error(req, resp, status,
				  status == 404	  ? "not_found"
				  : status == 403 ? "not_invited"
						  : "outside_window",
				  key);
	return resp_json(resp, 200,
			 json_pack("{s:I, s:s, s:b, s:s}", "meeting_id", (json_int_t)id, "status",
				   "present", "already", !strcmp(key, "meet.checkin.already"),
				   "message", req_t(req, key)));
}

static int api_minutes(struct http_req *req, struct http_resp *resp)
{
	const char *err, *minutes;
	json_t *o = req_json(req, &err);
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	minutes = str(o, "minutes");
	if (!meeting_text_ok(minutes, 0, MEETING_MINUTES_MAX)) {
		json_decref(o);
		return invalid(req, resp, "minutes", "meet.err.minutes");
	}
	rc = meeting_minutes_set(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0),
				 minutes);
	json_decref(o);
	return rc ? failed(req, resp, rc) : resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

/* ------------------------------------------------------------ agenda */

static int api_agenda(struct http_req *req, struct http_resp *resp)
{
	json_t *m = NULL, *items = NULL;
	int rc = visible_meeting(req, &m);

	if (!rc)
		rc = agenda_items(req->db, json_integer_value(json_object_get(m, "id")), &items);
	json_decref(m);
	if (rc) {
		json_decref(items);
		return failed(req, resp, rc);
	}
	return resp_json(resp, 200, json_pack("{s:o}", "items", items));
}

static int api_agenda_add(struct http_req *req, struct http_resp *resp)
{
	const char *err, *title, *detail, *link, *field = NULL, *key = NULL;
	json_t *o = req_json(req, &err);
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	title = str(o, "title");
	detail = str(o, "detail");
	link = str(o, "link");
	if (agenda_item_check(title, detail, link, &field, &key))
		rc = invalid(req, resp, field, key);
	else {
		rc = agenda_add(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0), title,
				detail, "staff", NULL, link, NULL);
		rc = rc ? failed(req, resp, rc) : resp_json(resp, 201, json_pack("{s:b}", "ok", 1));
	}
	json_decref(o);
	return rc;
}

static int api_draft(struct http_req *req, struct http_resp *resp)
{
	int added = 0;
	int rc = meeting_draft(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0),
			       (int64_t)time(NULL), req->lang, &added);

	return rc ? failed(req, resp, rc)
		  : resp_json(resp, 200, json_pack("{s:i}", "added", added));
}

static int api_agenda_edit(struct http_req *req, struct http_resp *resp)
{
	const char *err, *op, *title, *detail, *field = NULL, *key = NULL;
	json_t *o = req_json(req, &err);
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	op = str(o, "op");
	title = str(o, "title");
	detail = str(o, "detail");
	if (!op ||
	    (strcmp(op, "save") && strcmp(op, "delete") && strcmp(op, "up") && strcmp(op, "down")))
		rc = invalid(req, resp, "op", "meet.err.op");
	else if (!strcmp(op, "save") && agenda_item_check(title, detail, NULL, &field, &key))
		rc = invalid(req, resp, field, key);
	else {
		rc = agenda_edit(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0),
				 req_param_id(req, 1), op, title, detail);
		rc = rc ? failed(req, resp, rc) : resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
	}
	json_decref(o);
	return rc;
}

/* ------------------------------------------------------------ action items */

static void today_text(char out[11])
{
	meeting_day_text((int64_t)time(NULL), out);
}

static int api_actions(struct http_req *req, struct http_resp *resp)
{
	const char *state = req_query(req, "state");
	const char *mid = req_query(req, "meeting_id");
	int64_t meeting = 0;
	json_t *rows = NULL;

	if (state && strcmp(state, "open") && strcmp(state, "done") && strcmp(state, "dropped"))
		return invalid(req, resp, "state", "meet.err.action_state");
	if (mid && parse_int64(mid, 1, INT64_MAX, &meeting))
		return invalid(req, resp, "meeting_id", "meet.err.meeting_id");
	if (action_list(req->db, req->sess.area_id, meeting, state, &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	return resp_json(resp, 200, json_pack("{s:o}", "action_items", rows));
}

static int api_action_create(struct http_req *req, struct http_resp *resp)
{
	const char *err, *field = NULL, *key = NULL;
	json_t *o = req_json(req, &err);
	struct action_in in;
	int64_t id = 0;
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	in.title = str(o, "title");
	in.owner_member_id = num(o, "owner_member_id");
	in.owner_team_id = num(o, "owner_team_id");
	in.due_on = str(o, "due_on");
	rc = action_create(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0), &in, &id,
			   &field, &key);
	json_decref(o);
	if (rc == LIN_EINVAL)
		return invalid(req, resp, field, key);
	if (rc)
		return failed(req, resp, rc);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_action_update(struct http_req *req, struct http_resp *resp)
{
	const char *err, *field = NULL, *key = NULL;
	json_t *o = req_json(req, &err);
	struct action_change c;
	char today[11];
	int rc;

	if (!o)
		return resp_error(req, resp, 400, "bad_request", err);
	c.state = str(o, "state");
	c.reason = str(o, "reason");
	c.due_on = str(o, "due_on");
	c.title = str(o, "title");
	today_text(today);
	rc = action_update(req->db, &req->sess, req->sess.area_id, req_param_id(req, 0), &c, today,
			   &field, &key);
	json_decref(o);
	if (rc == LIN_EINVAL)
		return invalid(req, resp, field, key);
	if (rc)
		return failed(req, resp, rc);
	return resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

/* ------------------------------------------------------------ the secretary's view */

int meetings_secretary_rows(struct http_req *req, json_t **out)
{
	int64_t now = (int64_t)time(NULL), mine = 0;
	json_t *rows = NULL, *row, *keep;
	size_t i;
	int rc = meetings_member_counts(req->db, req->sess.area_id, now - 365 * MEETING_DAY,
					now + 1, &rows);

	*out = NULL;
	if (rc) {
		json_decref(rows);
		return rc;
	}
	if (req_can(req, PERM_MEETINGS_WRITE)) {
		keep = rows;
	} else {
		if (req->sess.user_id)
			db_query_int64(req->db,
				       "SELECT COALESCE(resident_id, 0) FROM users WHERE id = ?",
				       &mine, 1, req->sess.user_id);
		keep = json_array();
		json_array_foreach (rows, i, row)
			if (mine && json_integer_value(json_object_get(row, "resident_id")) == mine)
				json_array_append(keep, row);
		json_decref(rows);
	}
	/* The same twelve months of service hours, from the ledger. */
	char first[11], last[11];
	json_t *minutes = NULL;
	meeting_day_text(now - 365 * MEETING_DAY, first);
	meeting_day_text(now, last);
	rc = hours_member_minutes(req->db, req->sess.area_id, first, last, &minutes);
	if (rc) {
		json_decref(keep);
		return rc;
	}
	json_array_foreach (keep, i, row) {
		char key[24];
		snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(row, "member_id")));
		json_object_set_new(
		    row, "service_minutes",
		    json_integer(json_integer_value(json_object_get(minutes, key))));
	}
	json_decref(minutes);
	*out = keep;
	return 0;
}

static int api_secretary(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;

	if (meetings_secretary_rows(req, &rows))
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200, json_pack("{s:o}", "members", rows));
}

/* The month's figures as the monthly report reads them (meetings.h). */
static int api_month(struct http_req *req, struct http_resp *resp)
{
	const char *month = req_query(req, "month");
	struct meetings_month m;
	int rc = meetings_month_stats(req->db, req->sess.area_id, month ? month : "", &m);

	if (rc == LIN_EINVAL)
		return invalid(req, resp, "month", "meet.err.month");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_json(resp, 200,
			 json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "month", month,
				   "held", m.held, "invited", m.invited, "present", m.present,
				   "excused", m.excused, "actions_decided", m.actions_decided,
				   "actions_done", m.actions_done, "actions_open", m.actions_open,
				   "actions_late", m.actions_late));
}

int meetings_api_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/api/v1/meetings", api_list, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/api/v1/meetings", api_create, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/meetings/secretary", api_secretary, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/api/v1/meetings/month", api_month, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/meetings/checkin", api_checkin, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/api/v1/meetings/:id", api_get, PERM_SIGNED_IN, 0, NULL, 0},
	    {"PUT", "/api/v1/meetings/:id/minutes", api_minutes, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/meetings/:id/reschedule", api_reschedule, PERM_MEETINGS_WRITE, 0,
	     NULL, 0},
	    {"POST", "/api/v1/meetings/:id/cancel", api_cancel, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"GET", "/api/v1/meetings/:id/invitees", api_invitees, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/meetings/:id/invitees", api_invite, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"PUT", "/api/v1/meetings/:id/attendance", api_attendance, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {"GET", "/api/v1/meetings/:id/agenda", api_agenda, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/api/v1/meetings/:id/agenda", api_agenda_add, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {"POST", "/api/v1/meetings/:id/agenda/draft", api_draft, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {"PATCH", "/api/v1/meetings/:id/agenda/:item", api_agenda_edit, PERM_MEETINGS_WRITE, 0,
	     NULL, 0},
	    {"GET", "/api/v1/action-items", api_actions, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/api/v1/meetings/:id/action-items", api_action_create, PERM_MEETINGS_WRITE, 0,
	     NULL, 0},
	    {"PATCH", "/api/v1/action-items/:id", api_action_update, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
