/* The cases JSON API under /api/v1: the queue, one case with its
 * timeline, filing (staff on behalf of residents, machines with tokens),
 * actions through the state machine, notes, mediation sessions, bulk
 * assignment, the categories, and the reporter's own calls by tracking
 * code. Personal data (reporter's phone) follows the registry's masking. */
#include "internal.h"
#include "stats_view.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../base/parse.h"
#include "../registry/registry.h"
#include "../web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- shared with pages.c ---- */

void cases_who(struct http_req *req, struct case_who *who)
{
	memset(who, 0, sizeof(*who));
	who->actor.kind = ACTOR_ROLE;
	who->actor.role = req->sess.role;
	who->sess = &req->sess;
	who->name = req->sess.name;
}

int cases_private_ok(struct http_req *req)
{
	/* The committee and the Party members who mediate see disputes and
	 * who reported; volunteers and agencies see the rest, anonymously. */
	return req_can(req, PERM_CASES_ADMIN) || req->sess.role == ROLE_PARTY_MEMBER;
}

int cases_visible(struct http_req *req, int64_t id)
{
	int private_ = 0;
	int rc = case_is_private(req->db, req->sess.area_id, id, &private_);

	if (!rc && private_ && !cases_private_ok(req))
		rc = LIN_ENOTFOUND;
	return rc;
}

int cases_reader_may_open(struct http_req *req, int64_t id)
{
	return req_can(req, PERM_CASES_READ) && !cases_visible(req, id);
}

int cases_points(struct http_req *req, const char *code1, const char *code2, int64_t from,
		 int64_t to, json_t **out)
{
	*out = NULL;
	if (!req_can(req, PERM_CASES_READ))
		return LIN_EPERM;
	return case_coded_rows(req->db, req->sess.area_id, code1, code2, from, to,
			       cases_private_ok(req), out);
}

int cases_count_times(struct db *db, int64_t area_id, const char *code1, const char *code2,
		      int64_t from, int64_t to, json_t **out)
{
	json_t *rows = NULL, *row;
	size_t i;
	int rc = case_coded_rows(db, area_id, code1, code2, from, to, 1, &rows);

	*out = rc ? NULL : json_array();
	json_array_foreach (rows, i, row)
		if (*out)
			json_array_append(*out, json_object_get(row, "created_at"));
	json_decref(rows);
	if (!rc && !*out)
		rc = LIN_ENOMEM;
	return rc;
}

void cases_mask(struct http_req *req, json_t *c)
{
	char masked[32];
	const char *phone = json_string_value(json_object_get(c, "reporter_phone"));

	/* Who may not open private cases learns nothing of who reported:
	 * not the name, and not even the masked phone. */
	if (!cases_private_ok(req)) {
		json_object_set_new(c, "reporter_name", json_string(""));
		json_object_set_new(c, "reporter_phone", json_string(""));
		json_object_set_new(c, "reporter_email", json_string(""));
		return;
	}
	if (req_can(req, PERM_SEE_PHONE) || !phone)
		return;
	registry_phone_mask(phone, masked, sizeof(masked));
	json_object_set_new(c, "reporter_phone", json_string(masked));
	json_object_set_new(c, "reporter_email", json_string(""));
}

int cases_error(struct http_req *req, struct http_resp *resp, int rc, const char *err_field,
		const char *err_key)
{
	if (rc == LIN_EINVAL) {
		json_t *fields = json_object();
		const char *msg = req_t(req, err_key ? err_key : "err.bad_query");
		char text[256];
		if (err_field && strstr(msg, "{field}")) {
			char key[64];
			snprintf(key, sizeof(key), "case.field.%s", err_field);
			const char *label = i18n_has(req->lang, key) ? req_t(req, key) : err_field;
			const char *hole = strstr(msg, "{field}");
			snprintf(text, sizeof(text), "%.*s%s%s", (int)(hole - msg), msg, label,
				 hole + 7);
			msg = text;
		}
		if (err_field)
			json_object_set_new(fields, err_field, json_string(msg));
		return resp_json(resp, 422,
				 json_pack("{s:{s:s,s:s,s:o}}", "error", "code", "invalid",
					   "message", msg, "fields", fields));
	}
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 403, "forbidden", err_key ? err_key : "err.forbidden");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict",
				  err_key ? err_key : "case.err.transition");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

static int64_t json_id(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	int64_t n = 0;

	if (json_is_integer(v))
		return json_integer_value(v);
	if (json_is_string(v) && !parse_int64(json_string_value(v), 1, INT64_MAX, &n))
		return n;
	return 0;
}

static const char *json_text(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* cases_new_from_json fills a case_new from a JSON body (API) or the
 * object pages.c builds from a form. Unknown numbers stay unknown. */
int cases_new_from_json(struct http_req *req, json_t *in, struct case_new *out,
			const char **err_field)
{
	json_t *lat = json_object_get(in, "lat"), *lon = json_object_get(in, "long");

	memset(out, 0, sizeof(*out));
	out->arena = req->arena;
	out->area_id = req->sess.area_id;
	out->category = json_text(in, "category");
	out->description = json_text(in, "description");
	out->compound_id = json_id(in, "compound_id");
	out->building_id = json_id(in, "building_id");
	out->household_id = json_id(in, "household_id");
	out->plan_x = out->plan_y = -1;
	out->lat_e6 = out->lon_e6 = INT64_MIN;
	if (json_object_get(in, "plan_x") || json_object_get(in, "plan_y")) {
		int64_t x = json_id(in, "plan_x"), y = json_id(in, "plan_y");
		if (x < 0 || x > 1000 || y < 0 || y > 1000) {
			*err_field = "plan";
			return LIN_EINVAL;
		}
		out->plan_x = (int)x;
		out->plan_y = (int)y;
	}
	if (lat || lon) {
		double a = json_is_number(lat) ? json_number_value(lat) : -999;
		double b = json_is_number(lon) ? json_number_value(lon) : -999;
		/* Text must be a whole number ("31.2304"), nothing after it. */
		if (json_is_string(lat) && parse_decimal(json_string_value(lat), 0, &a))
			a = -999;
		if (json_is_string(lon) && parse_decimal(json_string_value(lon), 0, &b))
			b = -999;
		if (!(a >= -90 && a <= 90 && b >= -180 && b <= 180)) {
			*err_field = "lat";
			return LIN_EINVAL;
		}
		out->lat_e6 = (int64_t)(a * 1e6 + (a >= 0 ? 0.5 : -0.5));
		out->lon_e6 = (int64_t)(b * 1e6 + (b >= 0 ? 0.5 : -0.5));
	}
	out->address = json_text(in, "address");
	out->reporter_name = json_text(in, "reporter_name");
	out->reporter_phone = json_text(in, "reporter_phone");
	out->reporter_email = json_text(in, "reporter_email");
	out->answers = json_object_get(in, "answers");
	if (out->answers && !json_is_object(out->answers)) {
		*err_field = "answers";
		return LIN_EINVAL;
	}
	return 0;
}

/* ---- handlers ---- */

static int api_categories(struct http_req *req, struct http_resp *resp)
{
	json_t *list = NULL;
	int64_t area = req->sess.area_id;
	int rc;

	if (!area) /* the public form: the only area, when there is one */
		rc = cases_public_area(req, &area);
	else
		rc = 0;
	if (!rc)
		rc = case_categories(req->db, area, !req_can(req, PERM_CASES_READ), &list);
	if (rc)
		return cases_error(req, resp, rc, NULL, NULL);
	return resp_json(resp, 200, json_pack("{s:o}", "items", list));
}

int cases_read_filter(struct http_req *req, struct case_filter *f)
{
	const char *v;
	int64_t n;
	int y, m, d;

	memset(f, 0, sizeof(*f));
	f->page = 1;
	f->per_page = 50;
	f->state = req_query(req, "state");
	if (f->state && *f->state) {
		enum case_state s;
		if (case_state_from_name(f->state, &s))
			return LIN_EINVAL;
	}
	if ((v = req_query(req, "category_id")) && *v) {
		if (parse_int64(v, 1, INT64_MAX, &f->category_id))
			return LIN_EINVAL;
	}
	if ((v = req_query(req, "compound_id")) && *v) {
		if (parse_int64(v, 1, INT64_MAX, &f->compound_id))
			return LIN_EINVAL;
	}
	if ((v = req_query(req, "handler_team_id")) && *v) {
		if (parse_int64(v, 1, INT64_MAX, &f->handler_team_id))
			return LIN_EINVAL;
	}
	if ((v = req_query(req, "overdue")) && *v) {
		if (parse_bool(v, &f->overdue))
			return LIN_EINVAL;
	}
	if ((v = req_query(req, "awaiting")) && *v) {
		if (parse_bool(v, &f->awaiting))
			return LIN_EINVAL;
	}
	if ((v = req_query(req, "due")) && *v) {
		if (strcmp(v, "today"))
			return LIN_EINVAL;
		f->due_today = 1;
	}
	if ((v = req_query(req, "mine")) && *v) {
		int mine;
		if (parse_bool(v, &mine) || (mine && !req->sess.user_id))
			return LIN_EINVAL;
		f->mine = mine ? req->sess.user_id : 0;
	}
	if ((v = req_query(req, "from")) && *v) {
		if (parse_date(v, &y, &m, &d))
			return LIN_EINVAL;
		f->from = (int64_t)case_day_number(y, m, d) * 86400 - LIN_SHANGHAI_OFFSET;
	}
	if ((v = req_query(req, "to")) && *v) {
		if (parse_date(v, &y, &m, &d))
			return LIN_EINVAL;
		f->to = ((int64_t)case_day_number(y, m, d) + 1) * 86400 - LIN_SHANGHAI_OFFSET;
	}
	f->status = req_query(req, "status");
	if (f->status && (!*f->status || !strcmp(f->status, "all")))
		f->status = NULL;
	else if (f->status && strcmp(f->status, "open") && strcmp(f->status, "closed"))
		return LIN_EINVAL;
	f->sort = req_query(req, "sort");
	if (f->sort && *f->sort && strcmp(f->sort, "created") && strcmp(f->sort, "updated") &&
	    strcmp(f->sort, "due") && strcmp(f->sort, "oldest"))
		return LIN_EINVAL;
	if ((v = req_query(req, "page")) && *v) {
		if (parse_int64(v, 1, 100000, &n))
			return LIN_EINVAL;
		f->page = n;
	}
	if ((v = req_query(req, "per_page")) && *v) {
		if (parse_int64(v, 1, 500, &n))
			return LIN_EINVAL;
		f->per_page = n;
	}
	return 0;
}

int cases_queue_load(struct http_req *req, struct case_filter *f, json_t **items, int64_t *total,
		     json_t **counts, const char *status)
{
	int64_t now = (int64_t)time(NULL);
	size_t i;
	json_t *c;
	int rc;

	*items = *counts = NULL;
	*total = 0;
	if (cases_read_filter(req, f))
		return LIN_EINVAL;
	if (!req_query(req, "status") && !(f->state && *f->state))
		f->status = status;
	f->public_only = !cases_private_ok(req);
	rc = case_list(req->db, req->sess.area_id, f, now, items, total);
	if (!rc)
		rc = case_counts(req->db, req->sess.area_id, now, counts);
	if (!rc)
		json_array_foreach (*items, i, c)
			cases_mask(req, c);
	return rc;
}

int cases_today(struct http_req *req, int mine, json_t **out)
{
	/* Each figure is the queue's own filter, so the number is exactly what
	 * its link lists. */
	static const struct {
		const char *key, *query;
		struct case_filter f;
	} figures[] = {
	    {"accept", "awaiting=1", {.awaiting = 1}},
	    {"overdue", "overdue=1", {.overdue = 1}},
	    {"due_today", "due=today", {.due_today = 1}},
	    {"awaiting_reporter", "state=resolved", {.state = "resolved"}},
	    {"referred", "state=referred", {.state = "referred"}},
	};
	int64_t now = (int64_t)time(NULL);
	int rc = 0;

	*out = json_array();
	if (!req_can(req, PERM_CASES_READ) || (mine && !req->sess.user_id))
		return 0;
	for (size_t i = 0; !rc && i < sizeof(figures) / sizeof(figures[0]); i++) {
		struct case_filter f = figures[i].f;
		int64_t n = 0;
		f.public_only = !cases_private_ok(req);
		f.mine = mine ? req->sess.user_id : 0;
		rc = case_count(req->db, req->sess.area_id, &f, now, &n);
		if (!rc)
			json_array_append_new(
			    *out, json_pack("{s:s,s:I,s:s}", "key", figures[i].key, "count",
					    (json_int_t)n, "href",
					    arena_printf(req->arena, "/cases?%s%s",
							 figures[i].query, mine ? "&mine=1" : "")));
	}
	return rc;
}

int cases_waiting(struct http_req *req, int max, json_t **out)
{
	struct case_filter f = {.awaiting = 1, .sort = "oldest", .page = 1};
	json_t *items = NULL, *c;
	int64_t total = 0;
	size_t i;
	int rc;

	*out = json_array();
	if (!req_can(req, PERM_CASES_READ))
		return 0;
	f.per_page = max;
	f.public_only = !cases_private_ok(req);
	rc = case_list(req->db, req->sess.area_id, &f, (int64_t)time(NULL), &items, &total);
	json_array_foreach (items, i, c)
		json_array_append_new(
		    *out,
		    json_pack("{s:I,s:s,s:s,s:s,s:I,s:b}", "id",
			      (json_int_t)json_integer_value(json_object_get(c, "id")), "state",
			      json_string_value(json_object_get(c, "state")), "category",
			      json_string_value(json_object_get(
				  c, strcmp(req->lang, "en") ? "category_zh" : "category_en")),
			      "description",
			      html_excerpt(req->arena,
					   json_string_value(json_object_get(c, "description")),
					   60),
			      "created_at",
			      (json_int_t)json_integer_value(json_object_get(c, "created_at")),
			      "overdue", json_is_true(json_object_get(c, "overdue"))));
	json_decref(items);
	return rc;
}

int cases_mine(struct http_req *req, int max, json_t **out)
{
	struct case_filter f = {.reporter = req->sess.user_id, .sort = "updated", .page = 1};
	json_t *items = NULL;
	int64_t total = 0;
	size_t i;
	json_t *c;
	int rc;

	*out = json_array();
	if (!req->sess.user_id || req->sess.kind != AUTH_COOKIE)
		return 0;
	f.per_page = max;
	rc = case_list(req->db, req->sess.area_id, &f, (int64_t)time(NULL), &items, &total);
	json_array_foreach (items, i, c) {
		const char *text = json_string_value(json_object_get(c, "description"));
		json_array_append_new(
		    *out,
		    json_pack("{s:s,s:s,s:s,s:I,s:I,s:b}", "tracking_code",
			      json_string_value(json_object_get(c, "tracking_code")), "state",
			      json_string_value(json_object_get(c, "state")), "category",
			      json_string_value(json_object_get(
				  c, strcmp(req->lang, "en") ? "category_zh" : "category_en")),
			      "created_at",
			      (json_int_t)json_integer_value(json_object_get(c, "created_at")),
			      "updated_at",
			      (json_int_t)json_integer_value(json_object_get(c, "updated_at")),
			      "overdue", json_is_true(json_object_get(c, "overdue"))));
		json_object_set_new(json_array_get(*out, i), "description",
				    json_string(text ? text : ""));
	}
	json_decref(items);
	return rc;
}

static int api_list(struct http_req *req, struct http_resp *resp)
{
	struct case_filter f;
	json_t *items = NULL, *counts = NULL;
	int64_t total = 0;
	int rc = cases_queue_load(req, &f, &items, &total, &counts, NULL);

	if (rc) {
		json_decref(items);
		json_decref(counts);
		return rc == LIN_EINVAL ? resp_error(req, resp, 400, "invalid", "err.bad_query")
					: cases_error(req, resp, rc, NULL, NULL);
	}
	return resp_json(resp, 200,
			 json_pack("{s:o,s:I,s:I,s:I,s:o}", "items", items, "total",
				   (json_int_t)total, "page", (json_int_t)f.page, "per_page",
				   (json_int_t)f.per_page, "counts", counts));
}

int cases_full(struct http_req *req, int64_t id, json_t **out)
{
	json_t *c = NULL, *v = NULL;
	int rc = case_get(req->db, req->sess.area_id, id, &c);

	*out = NULL;
	if (rc)
		return rc;
	if (json_is_true(json_object_get(c, "private")) && !cases_private_ok(req)) {
		json_decref(c);
		return LIN_ENOTFOUND;
	}
	cases_mask(req, c);
	if (!(rc = case_events(req->db, id, 0, &v)))
		json_object_set_new(c, "events", v);
	if (!rc && !(rc = case_mediations(req->db, id, &v)))
		json_object_set_new(c, "mediations", v);
	if (!rc && !(rc = case_referrals(req->db, id, (int64_t)time(NULL), &v)))
		json_object_set_new(c, "referrals", v);
	if (!rc && !(rc = case_photos(req->db, id, &v)))
		json_object_set_new(c, "photos", v);
	if (!rc) {
		struct case_category cat;
		if (!case_category_get(req->db, req->sess.area_id,
				       json_string_value(json_object_get(c, "category")), &cat)) {
			json_object_set(c, "questions", cat.questions);
			case_category_release(&cat);
		}
	}
	if (!rc) {
		struct case_place p = {
		    .category_id = json_integer_value(json_object_get(c, "category_id")),
		    .compound_id = json_integer_value(json_object_get(c, "compound_id")),
		    .building_id = json_integer_value(json_object_get(c, "building_id")),
		    .household_id = json_integer_value(json_object_get(c, "household_id")),
		    .plan_x = json_is_integer(json_object_get(c, "plan_x"))
				  ? (int32_t)json_integer_value(json_object_get(c, "plan_x"))
				  : -1,
		    .plan_y = json_is_integer(json_object_get(c, "plan_y"))
				  ? (int32_t)json_integer_value(json_object_get(c, "plan_y"))
				  : -1,
		    .lat_e6 = json_is_integer(json_object_get(c, "lat_e6"))
				  ? json_integer_value(json_object_get(c, "lat_e6"))
				  : INT64_MIN,
		    .lon_e6 = json_is_integer(json_object_get(c, "lon_e6"))
				  ? json_integer_value(json_object_get(c, "lon_e6"))
				  : INT64_MIN,
		    .created_at = json_integer_value(json_object_get(c, "created_at")),
		};
		if (!(rc = case_duplicates(req->db, req->sess.area_id, &p, id, 5, &v)))
			json_object_set_new(c, "possible_duplicates", v);
	}
	if (rc) {
		json_decref(c);
		return rc;
	}
	*out = c;
	return 0;
}

static int parse_case_id(struct http_req *req, int64_t *id)
{
	return parse_int64(req_param(req, 0), 1, INT64_MAX, id);
}

static int api_get(struct http_req *req, struct http_resp *resp)
{
	json_t *c = NULL;
	int64_t id;
	int rc;

	if (parse_case_id(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = cases_full(req, id, &c);
	if (rc)
		return cases_error(req, resp, rc, NULL, NULL);
	return resp_json(resp, 200, c);
}

/* case_body: the JSON body and the case id of a /cases/:id call, or NULL
 * once the error (400 or 404) has been sent. The caller decrefs. */
static json_t *case_body(struct http_req *req, struct http_resp *resp, int64_t *id)
{
	const char *err;
	json_t *body = req_json(req, &err);

	if (!body) {
		resp_error(req, resp, 400, "bad_json", err);
		return NULL;
	}
	if (parse_case_id(req, id)) {
		json_decref(body);
		resp_error(req, resp, 404, "not_found", "err.not_found");
		return NULL;
	}
	return body;
}

/* send_case answers with the case as the reader may see it. */
static int send_case(struct http_req *req, struct http_resp *resp, int64_t id, int status)
{
	json_t *c = NULL;

	if (case_get(req->db, req->sess.area_id, id, &c))
		return resp_error(req, resp, 500, "internal", "err.internal");
	cases_mask(req, c);
	return resp_json(resp, status, c);
}

static int api_create(struct http_req *req, struct http_resp *resp)
{
	struct case_new in;
	const char *err, *err_field = NULL, *err_key = NULL, *channel;
	char code[TRACKING_CODE_LEN + 1];
	json_t *body = req_json(req, &err);
	int64_t id;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_json", err);
	rc = cases_new_from_json(req, body, &in, &err_field);
	/* Staff record calls and visits; machines with tokens use the API. */
	channel = json_text(body, "channel");
	if (req->sess.kind == AUTH_TOKEN)
		in.channel = "api";
	else if (channel && req_can(req, PERM_CASES_ADMIN) && case_staff_channel(channel))
		in.channel = channel;
	else if (channel && strcmp(channel, "web")) {
		err_field = "channel";
		rc = LIN_EINVAL;
	} else
		in.channel = "web";
	if (req->sess.kind == AUTH_COOKIE && !req_can(req, PERM_CASES_ADMIN))
		in.reporter_user_id = req->sess.user_id;
	if (!rc)
		rc = cases_open(req->db, &req->sess, &in, &id, code, &err_field, &err_key);
	else
		err_key = "err.bad_query";
	if (rc) {
		rc = cases_error(req, resp, rc, err_field, err_key);
		json_decref(body);
		return rc;
	}
	json_decref(body);
	return send_case(req, resp, id, 201);
}

static int api_action(struct http_req *req, struct http_resp *resp)
{
	struct case_act_args args;
	struct case_who who;
	enum case_action action;
	const char *err_key = NULL;
	int64_t id;
	json_t *body = case_body(req, resp, &id);
	int rc;

	if (!body)
		return 0;
	rc = cases_visible(req, id);
	if (rc) {
		json_decref(body);
		return cases_error(req, resp, rc, NULL, NULL);
	}
	if (case_action_from_name(json_text(body, "action"), &action) || action == ACT_AUTO_CLOSE ||
	    action == ACT_REVIEW || action == ACT_CONFIRM || action == ACT_REOPEN) {
		json_decref(body);
		return cases_error(req, resp, LIN_EINVAL, "action", "case.err.action");
	}
	memset(&args, 0, sizeof(args));
	args.note = json_text(body, "note");
	args.public_note = json_is_true(json_object_get(body, "public"));
	args.handler_team_id = json_id(body, "handler_team_id");
	args.handler_user_id = json_id(body, "handler_user_id");
	args.agency_unit_id = json_id(body, "agency_unit_id");
	args.reference = json_text(body, "reference");
	args.duplicate_of = json_id(body, "duplicate_of");
	cases_who(req, &who);
	rc = case_act(req->db, req->sess.area_id, id, action, &who, &args, &err_key);
	if (rc) {
		rc = cases_error(req, resp, rc, NULL, err_key);
		json_decref(body);
		return rc;
	}
	json_decref(body);
	return send_case(req, resp, id, 200);
}

static int api_note(struct http_req *req, struct http_resp *resp)
{
	struct case_who who;
	int64_t id;
	json_t *body = case_body(req, resp, &id);
	int rc;

	if (!body)
		return 0;
	rc = cases_visible(req, id);
	if (rc) {
		json_decref(body);
		return cases_error(req, resp, rc, NULL, NULL);
	}
	cases_who(req, &who);
	rc = case_note(req->db, req->sess.area_id, id, &who, json_text(body, "note"),
		       json_is_true(json_object_get(body, "public")));
	json_decref(body);
	if (rc)
		return cases_error(req, resp, rc, "note", "case.err.note");
	return resp_json(resp, 201, json_pack("{s:b}", "ok", 1));
}

static int api_mediation(struct http_req *req, struct http_resp *resp)
{
	struct case_who who;
	const char *err_key = NULL;
	int64_t id;
	json_t *body = case_body(req, resp, &id);
	int rc;

	if (!body)
		return 0;
	rc = cases_visible(req, id);
	if (rc) {
		json_decref(body);
		return cases_error(req, resp, rc, NULL, NULL);
	}
	cases_who(req, &who);
	rc = case_add_mediation(req->db, req->sess.area_id, id, &who, json_text(body, "held_on"),
				json_text(body, "parties"), json_text(body, "mediators"),
				json_text(body, "agreement"), json_text(body, "follow_up_on"),
				&err_key);
	json_decref(body);
	if (rc)
		return cases_error(req, resp, rc, NULL, err_key);
	return resp_json(resp, 201, json_pack("{s:b}", "ok", 1));
}

static int api_complex(struct http_req *req, struct http_resp *resp)
{
	struct case_who who;
	int64_t id;
	json_t *body = case_body(req, resp, &id);
	int rc;

	if (!body)
		return 0;
	cases_who(req, &who);
	rc = case_set_complex(req->db, req->sess.area_id, id, &who,
			      json_is_true(json_object_get(body, "complex")));
	json_decref(body);
	if (rc)
		return cases_error(req, resp, rc, NULL,
				   rc == LIN_EPERM ? "case.err.approve" : NULL);
	return resp_json(resp, 200, json_pack("{s:b}", "ok", 1));
}

static int api_bulk_assign(struct http_req *req, struct http_resp *resp)
{
	struct case_act_args args;
	struct case_who who;
	const char *err, *err_key = NULL;
	json_t *body = req_json(req, &err), *ids, *done = json_array(), *failed = json_array(), *v;
	size_t i;

	if (!body) {
		json_decref(done);
		json_decref(failed);
		return resp_error(req, resp, 400, "bad_json", err);
	}
	ids = json_object_get(body, "ids");
	memset(&args, 0, sizeof(args));
	args.handler_team_id = json_id(body, "handler_team_id");
	args.handler_user_id = json_id(body, "handler_user_id");
	args.note = json_text(body, "note");
	cases_who(req, &who);
	if (!json_is_array(ids) || !json_array_size(ids) || json_array_size(ids) > CASES_BULK_MAX) {
		const char *key =
		    json_array_size(ids) > CASES_BULK_MAX ? "case.err.ids_many" : "case.err.ids";
		json_decref(body);
		json_decref(done);
		json_decref(failed);
		return cases_error(req, resp, LIN_EINVAL, "ids", key);
	}
	/* Each case on its own: one that cannot be assigned (wrong state)
	 * does not hold up the others, and the answer says which. */
	json_array_foreach (ids, i, v) {
		int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
		int rc =
		    id ? case_act(req->db, req->sess.area_id, id, ACT_ASSIGN, &who, &args, &err_key)
		       : LIN_EINVAL;
		json_array_append_new(rc ? failed : done, json_integer(id));
	}
	json_decref(body);
	return resp_json(resp, 200, json_pack("{s:o,s:o}", "assigned", done, "refused", failed));
}

/* ---- the reporter's calls, by tracking code ---- */

int cases_public_view(struct http_req *req, const char *code, json_t **out)
{
	json_t *c = NULL, *events = NULL;
	int64_t area, id;
	int rc = case_id_by_code(req->db, code, &area, &id);

	*out = NULL;
	if (!rc)
		rc = case_get(req->db, area, id, &c);
	if (!rc)
		rc = case_events(req->db, id, 1, &events);
	if (rc) {
		json_decref(c);
		return rc;
	}
	/* State, category and public notes only: nobody's personal data. */
	*out = json_pack(
	    "{s:I,s:s,s:s,s:s,s:s,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:o}", "id", (json_int_t)id,
	    "tracking_code", code, "state", json_string_value(json_object_get(c, "state")),
	    "category", json_string_value(json_object_get(c, "category_zh")), "category_en",
	    json_string_value(json_object_get(c, "category_en")), "public_note",
	    json_object_get(c, "public_note"), "created_at", json_object_get(c, "created_at"),
	    "updated_at", json_object_get(c, "updated_at"), "accept_due",
	    json_object_get(c, "accept_due"), "resolve_due", json_object_get(c, "resolve_due"),
	    "overdue", json_object_get(c, "overdue"), "rating", json_object_get(c, "rating"),
	    "recurrences", json_object_get(c, "recurrences"), "events", events);
	/* Rated already? Again after it is resolved once more (a low rating
	 * sends a case back). */
	{
		json_t *rated = json_object_get(c, "rated_at"),
		       *resolved = json_object_get(c, "resolved_at");
		int can = !json_is_integer(rated) ||
			  (json_is_integer(resolved) &&
			   json_integer_value(resolved) > json_integer_value(rated));
		json_object_set_new(*out, "can_rate", json_boolean(can));
	}
	json_object_set_new(*out, "area_id", json_integer(area));
	/* What was reported, as Open311 publishes it anyway: a public
	 * category's words and place, and the photos its reporter let be
	 * shown. A private category's (a dispute) stay with staff. */
	json_object_set_new(*out, "private",
			    json_boolean(json_is_true(json_object_get(c, "private"))));
	if (!json_is_true(json_object_get(c, "private"))) {
		json_t *photos = NULL, *p, *shown = json_array();
		size_t i;
		json_object_set(*out, "description", json_object_get(c, "description"));
		json_object_set_new(*out, "place",
				    json_pack("{s:O,s:O,s:O}", "compound",
					      json_object_get(c, "compound"), "building",
					      json_object_get(c, "building"), "address",
					      json_object_get(c, "address")));
		if (!case_photos(req->db, id, &photos))
			json_array_foreach (photos, i, p) {
				const char *sha = json_string_value(json_object_get(p, "sha256"));
				char mime[32];
				if (sha && !case_public_photo(req->db, id, sha, mime, sizeof(mime)))
					json_array_append_new(
					    shown, json_sprintf("/open311/v2/media/%lld-%s.jpg",
								(long long)id, sha));
			}
		json_decref(photos);
		json_object_set_new(*out, "photos", shown);
	}
	json_decref(c);
	return 0;
}

static int api_track(struct http_req *req, struct http_resp *resp)
{
	json_t *v = NULL;
	int rc = cases_public_view(req, req_param(req, 0), &v);

	if (rc)
		return cases_error(req, resp, rc, NULL, NULL);
	json_object_del(v, "area_id");
	return resp_json(resp, 200, v);
}

int cases_reporter_call(struct http_req *req, const char *code, const char *what, json_t *body,
			const char **err_key)
{
	struct case_who reporter = {{ACTOR_REPORTER, ROLE_NONE}, NULL, "reporter"};
	int64_t area, id;
	int rc = case_id_by_code(req->db, code, &area, &id);

	*err_key = NULL;
	if (rc)
		return rc;
	if (!strcmp(what, "rating")) {
		json_t *r = json_object_get(body, "rating");
		int64_t n = 0;
		if (json_is_integer(r))
			n = json_integer_value(r);
		else if (json_is_string(r) && parse_int64(json_string_value(r), 1, 5, &n))
			n = 0;
		return case_rate(req->db, area, id, (int)n, json_text(body, "comment"), err_key);
	}
	if (!strcmp(what, "recur")) {
		rc = case_recur(req->db, area, id, &reporter, json_text(body, "note"));
		if (rc == LIN_ECONFLICT)
			*err_key = "case.err.recur_closed";
		return rc;
	}
	/* The reporter's words may name people: staff read them, the public
	 * timeline only shows that the case was reopened or confirmed. */
	struct case_act_args args = {.note = json_text(body, "note"), .public_note = 0};
	enum case_action a = !strcmp(what, "confirm") ? ACT_CONFIRM : ACT_REOPEN;
	if (strcmp(what, "confirm") && strcmp(what, "reopen"))
		return LIN_ENOTFOUND;
	return case_act(req->db, area, id, a, &reporter, &args, err_key);
}

static int api_track_call(struct http_req *req, struct http_resp *resp)
{
	const char *err, *err_key = NULL;
	json_t *body = req_json(req, &err), *v = NULL;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_json", err);
	rc = cases_reporter_call(req, req_param(req, 0), req_param(req, 1), body, &err_key);
	json_decref(body);
	if (rc)
		return cases_error(req, resp, rc, NULL, err_key);
	rc = cases_public_view(req, req_param(req, 0), &v);
	if (rc)
		return cases_error(req, resp, rc, NULL, NULL);
	json_object_del(v, "area_id");
	return resp_json(resp, 200, v);
}

int cases_api_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/api/v1/case-categories", api_categories, PERM_PUBLIC, 0, NULL, 0},
	    {"GET", "/api/v1/cases", api_list, PERM_CASES_READ, 0, NULL, 0},
	    {"POST", "/api/v1/cases", api_create, PERM_CASES_REPORT, 0, NULL, 0},
	    {"POST", "/api/v1/cases/bulk-assign", api_bulk_assign, PERM_CASES_ADMIN, 0, NULL, 0},
	    {"GET", "/api/v1/cases/:id", api_get, PERM_CASES_READ, 0, NULL, 0},
	    {"POST", "/api/v1/cases/:id/actions", api_action, PERM_CASES_WORK, 0, NULL, 0},
	    {"POST", "/api/v1/cases/:id/notes", api_note, PERM_CASES_WORK, 0, NULL, 0},
	    {"POST", "/api/v1/cases/:id/mediations", api_mediation, PERM_CASES_WORK, 0, NULL, 0},
	    {"POST", "/api/v1/cases/:id/complex", api_complex, PERM_CASES_ADMIN, 0, NULL, 0},
	    {"GET", "/api/v1/track/:code", api_track, PERM_PUBLIC, 0, NULL, 0},
	    {"POST", "/api/v1/track/:code/:what", api_track_call, PERM_PUBLIC, ROUTE_NO_CSRF, NULL,
	     0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
