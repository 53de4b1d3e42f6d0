/* The hours API under /api/v1/hours: the reader's own hours, the ledger
 * (credits, corrections; an entry is never edited), balances, time-bank
 * gifts, the points table and targets, the teams' growth. Every write goes
 * through the store functions the pages and the command line use. */
#include "hours.h"
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>

/* refuse answers a store error: its message when it has one. */
static int refuse(struct http_req *req, struct http_resp *resp, int rc, const char *why)
{
	if (!why)
		return rc;
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict", why);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", why);
	return resp_error(req, resp, 422, "invalid", why);
}

/* int_field: a whole-number member of o; absent is 0, anything but an
 * integer fails. */
static int int_field(json_t *o, const char *name, int64_t *out)
{
	json_t *v = json_object_get(o, name);

	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return LIN_EINVAL;
	*out = json_integer_value(v);
	return 0;
}

static const char *str_field(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

/* person_json: p's sums, entries of year and, for a member, the year on
 * the points table. */
static int person_json(struct http_req *req, const struct hours_person *p, int year, json_t **out)
{
	struct hours_person_year y;
	const struct hours_sums *s = &y.sums;
	int rc = hours_person_year_read(req->db, req->sess.area_id, p, year, &y);

	*out = NULL;
	if (rc) {
		json_decref(y.entries);
		return rc;
	}
	*out = json_pack("{s:s, s:s, s:o, s:o, s:i, s:I, s:I, s:I, s:I, s:o, s:o}", "person",
			 p->key, "name", y.name, "resident_id",
			 p->resident_id ? json_integer(p->resident_id) : json_null(), "member_id",
			 p->member_id ? json_integer(p->member_id) : json_null(), "year", year,
			 "year_minutes", (json_int_t)s->year_minutes, "served_minutes",
			 (json_int_t)s->served_minutes, "bank_minutes", (json_int_t)s->bank_minutes,
			 "bank_credits", (json_int_t)(s->bank_minutes / 60), "points",
			 p->member_id ? hours_member_year_json(year, &y.member) : json_null(),
			 "entries", y.entries);
	return *out ? 0 : LIN_ENOMEM;
}

static int year_of(struct http_req *req, int *year)
{
	const char *s = req_query(req, "year");
	int64_t y;

	*year = hours_this_year();
	if (!s)
		return 0;
	if (parse_int64(s, 2000, 2100, &y))
		return LIN_EINVAL;
	*year = (int)y;
	return 0;
}

static int api_me(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p;
	json_t *o = NULL;
	int year, rc;

	if (year_of(req, &year))
		return resp_error(req, resp, 400, "bad_request", "hours.err.year");
	rc = hours_user_person(req->db, req->sess.area_id, req->sess.user_id, &p);
	if (rc == LIN_ENOTFOUND || rc == LIN_EINVAL)
		return resp_error(req, resp, 404, "not_found", "hours.unlinked");
	if (!rc)
		rc = person_json(req, &p, year, &o);
	return rc ? rc : resp_json(resp, 200, o);
}

static int api_person(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p;
	json_t *o = NULL;
	int year, rc;

	if (year_of(req, &year))
		return resp_error(req, resp, 400, "bad_request", "hours.err.year");
	rc = hours_person_key_parse(req->db, req->sess.area_id, req_param(req, 0), &p, NULL);
	if (rc == LIN_ENOTFOUND || rc == LIN_EINVAL)
		return resp_error(req, resp, 404, "not_found", "hours.err.person");
	if (!rc)
		rc = person_json(req, &p, year, &o);
	return rc ? rc : resp_json(resp, 200, o);
}

static int api_entries(struct http_req *req, struct http_resp *resp)
{
	const char *key = req_query(req, "person"), *from = req_query(req, "from"),
		   *to = req_query(req, "to");
	struct hours_person p;
	json_t *rows = NULL;
	int y, m, d, rc;

	if ((from && parse_date(from, &y, &m, &d)) || (to && parse_date(to, &y, &m, &d)))
		return resp_error(req, resp, 400, "bad_request", "hours.err.period");
	if (key && hours_person_key_parse(req->db, req->sess.area_id, key, &p, NULL))
		return resp_error(req, resp, 404, "not_found", "hours.err.person");
	rc = hours_entries_read(req->db, req->sess.area_id, key ? p.key : NULL, from, to, &rows);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	return resp_json(resp, 200, json_pack("{s:o}", "entries", rows));
}

static int api_credit(struct http_req *req, struct http_resp *resp)
{
	struct hours_credit_in in = {0};
	const char *err = NULL, *why = NULL;
	json_t *body = req_json(req, &err);
	int64_t id = 0;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_request", err);
	if (int_field(body, "resident_id", &in.resident_id) ||
	    int_field(body, "member_id", &in.member_id))
		why = "hours.err.person";
	else if (int_field(body, "minutes", &in.minutes))
		why = "hours.err.minutes";
	else if (int_field(body, "source_id", &in.source_id))
		why = "hours.err.source_id";
	in.source = str_field(body, "source") ? str_field(body, "source") : "manual";
	in.day = str_field(body, "day");
	in.note = str_field(body, "note");
	if (why) {
		json_decref(body);
		return resp_error(req, resp, 422, "invalid", why);
	}
	rc = db_begin(req->db);
	if (!rc) {
		rc = hours_credit(req->db, req->sess.area_id, req->sess.user_id, &in, &id, &why);
		rc = rc ? (db_rollback(req->db), rc) : db_commit(req->db);
	}
	json_decref(body);
	if (rc)
		return refuse(req, resp, rc, why);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* api_edit answers every attempt to change or remove an entry: the ledger
 * is append-only, a correction is a new reversing entry. */
static int api_edit(struct http_req *req, struct http_resp *resp)
{
	return resp_error(req, resp, 409, "append_only", "hours.err.append_only");
}

static int api_reverse(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL, *why = NULL;
	json_t *body = req_json(req, &err);
	int64_t entry, minutes = 0, id = 0;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_request", err);
	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &entry)) {
		json_decref(body);
		return resp_error(req, resp, 404, "not_found", "hours.err.entry");
	}
	if (int_field(body, "minutes", &minutes)) {
		json_decref(body);
		return resp_error(req, resp, 422, "invalid", "hours.err.reverse_minutes");
	}
	rc = json_object_get(body, "minutes")
		 ? 0
		 : hours_entry_minutes(req->db, req->sess.area_id, entry, &minutes);
	if (rc == LIN_ENOTFOUND)
		why = "hours.err.entry";
	if (!rc)
		rc = hours_correct(req->db, req->sess.area_id, req->sess.user_id, entry, minutes,
				   str_field(body, "reason"), &id, &why);
	json_decref(body);
	if (rc)
		return refuse(req, resp, rc, why);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_balances(struct http_req *req, struct http_resp *resp)
{
	json_t *rows = NULL;
	int rc = hours_people_read(req->db, req->sess.area_id, &rows);

	if (rc) {
		json_decref(rows);
		return rc;
	}
	return resp_json(resp, 200, json_pack("{s:o}", "balances", rows));
}

static int api_give(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p;
	const char *err = NULL, *why = NULL;
	json_t *body = req_json(req, &err);
	int64_t to = 0, credits = 0, id = 0;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = hours_user_person(req->db, req->sess.area_id, req->sess.user_id, &p);
	if (rc == LIN_ENOTFOUND || rc == LIN_EINVAL) {
		json_decref(body);
		return resp_error(req, resp, 404, "not_found", "hours.unlinked");
	}
	if (!rc && (int_field(body, "to_resident_id", &to) || to <= 0)) {
		why = "hours.err.household";
		rc = LIN_EPERM;
	} else if (!rc && int_field(body, "credits", &credits)) {
		why = "hours.err.credits";
		rc = LIN_EINVAL;
	}
	json_decref(body);
	if (!rc)
		rc = hours_give(req->db, req->sess.area_id, req->sess.user_id, &p, to, credits, &id,
				&why);
	if (rc)
		return refuse(req, resp, rc, why);
	return resp_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

static int api_points(struct http_req *req, struct http_resp *resp)
{
	json_t *o = NULL;
	int year, rc;

	if (year_of(req, &year))
		return resp_error(req, resp, 400, "bad_request", "hours.err.year");
	rc = hours_points_year(req->db, req->sess.area_id, year, &o);
	if (rc) {
		json_decref(o);
		return rc;
	}
	return resp_json(resp, 200, o);
}

static int api_points_set(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL, *key;
	json_t *body = req_json(req, &err), *v;
	int64_t points[ITEM_COUNT];
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_request", err);
	rc = hours_points_get(req->db, req->sess.area_id, points);
	json_object_foreach (body, key, v) {
		int i = hours_item_find(key);
		if (rc)
			break;
		if (i < 0 || !json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 100) {
			json_decref(body);
			return resp_error(req, resp, 422, "invalid", "hours.err.points");
		}
		points[i] = json_integer_value(v);
	}
	json_decref(body);
	if (!rc)
		rc = hours_points_set(req->db, req->sess.area_id, req->sess.user_id, points);
	return rc ? rc : api_points(req, resp);
}

static int api_target_set(struct http_req *req, struct http_resp *resp)
{
	const char *err = NULL, *why = NULL;
	json_t *body = req_json(req, &err);
	int64_t member = 0, year = 0, minutes = 0;
	int rc;

	if (!body)
		return resp_error(req, resp, 400, "bad_request", err);
	if (int_field(body, "member_id", &member) || member < 0)
		why = "hours.err.member";
	else if (int_field(body, "year", &year) || year < 2000 || year > 2100)
		why = "hours.err.year";
	else if (!json_object_get(body, "minutes"))
		why = "hours.err.target";
	else if (json_is_null(json_object_get(body, "minutes"))
		     ? !member
		     : (int_field(body, "minutes", &minutes) || minutes < 0 || minutes > 1000 * 60))
		why = "hours.err.target";
	else if (member && hours_member_live(req->db, req->sess.area_id, member))
		why = "hours.err.member";
	if (why) {
		json_decref(body);
		return resp_error(req, resp, 422, "invalid", why);
	}
	if (json_is_null(json_object_get(body, "minutes")))
		minutes = -1; /* a member's own target removed */
	json_decref(body);
	rc = hours_target_set(req->db, req->sess.area_id, req->sess.user_id, member, (int)year,
			      minutes);
	return rc ? rc
		  : resp_json(resp, 200,
			      json_pack("{s:I, s:I, s:I}", "member_id", (json_int_t)member, "year",
					(json_int_t)year, "minutes", (json_int_t)minutes));
}

static int api_teams(struct http_req *req, struct http_resp *resp)
{
	json_t *teams = NULL;
	int rc = hours_team_growth(req->db, req->sess.area_id, &teams);

	if (rc) {
		json_decref(teams);
		return rc;
	}
	return resp_json(resp, 200, json_pack("{s:o}", "teams", teams));
}

const struct route hours_api_routes[] = {
    {"GET", "/api/v1/hours/me", api_me, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/api/v1/hours/gifts", api_give, PERM_SIGNED_IN, 0, NULL, 0},
    {"GET", "/api/v1/hours/people/:key", api_person, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/hours/entries", api_entries, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/hours/entries", api_credit, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"PUT", "/api/v1/hours/entries/:id", api_edit, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"PATCH", "/api/v1/hours/entries/:id", api_edit, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"DELETE", "/api/v1/hours/entries/:id", api_edit, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"POST", "/api/v1/hours/entries/:id/reversal", api_reverse, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/hours/balances", api_balances, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/hours/points", api_points, PERM_ORG_WRITE, 0, NULL, 0},
    {"PUT", "/api/v1/hours/points", api_points_set, PERM_ORG_WRITE, 0, NULL, 0},
    {"PUT", "/api/v1/hours/targets", api_target_set, PERM_ORG_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/hours/teams", api_teams, PERM_TEAMS_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};
