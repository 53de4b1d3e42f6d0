/* The pets' pages: a household's own pets, the reminders and the pledge on
 * a phone (/pets), every pet for the committee (/pets/all) and the 携宠善行
 * team's public page (/pets/team). The heat map is heat.c; the JSON API
 * is api.c. Every write goes through store.c. */
#include "internal.h"
#include "web.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../duty/duty.h"
#include "../base/timeutil.h"
#include "../web/auth.h"
#include "../web/router.h"
#include "../web/svg.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

const char *pets_kind_key(const char *kind)
{
	if (kind && !strcmp(kind, "dog"))
		return "pets.kind.dog";
	if (kind && !strcmp(kind, "cat"))
		return "pets.kind.cat";
	return "pets.kind.other";
}

int pets_refuse(struct http_req *req, struct http_resp *resp, int rc, const char *key)
{
	if (!key)
		return rc;
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict", key);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", key);
	return resp_error(req, resp, 422, "invalid", key);
}

/* due_badge: how far day (YYYY-MM-DD) is from today, as a badge. */
static void due_badge(struct html *h, const char *text, int64_t today)
{
	int64_t day;

	if (pets_day(text, &day))
		return;
	if (day < today)
		html_printf(h, " <span class=\"badge pets-late\">%T</span>", "pets.overdue");
	else if (day - today <= PETS_REMIND_DAYS)
		html_printf(h, " <span class=\"badge pets-soon\">%T %l %T</span>", "pets.days_left",
			    day - today, "pets.days_unit");
}

/* pet_card: one pet of the household, with its dates and reminders. */
static void pet_card(struct html *h, json_t *pet, json_t *reminders, int64_t today)
{
	const char *expires = json_string_value(json_object_get(pet, "licence_expires_on"));
	const char *due = json_string_value(json_object_get(pet, "rabies_due_on"));
	json_t *m;
	size_t i;

	html_printf(h,
		    "<li class=\"card pets-card\"><h3>%s <span class=\"badge\">%T</span></h3><dl>",
		    json_string_value(json_object_get(pet, "name")),
		    pets_kind_key(json_string_value(json_object_get(pet, "kind"))));
	if (expires && expires[0]) {
		html_printf(h, "<dt>%T</dt><dd>%s</dd><dt>%T</dt><dd>%s", "pets.licence_no",
			    json_string_value(json_object_get(pet, "licence_no")),
			    "pets.licence_expires_on", expires);
		due_badge(h, expires, today);
		html_printf(h, "</dd>");
	}
	html_printf(h, "<dt>%T</dt><dd>%s</dd>", "pets.rabies_on",
		    json_string_value(json_object_get(pet, "rabies_on"))[0]
			? json_string_value(json_object_get(pet, "rabies_on"))
			: "—");
	if (due) {
		html_printf(h, "<dt>%T</dt><dd>%s", "pets.rabies_due_on", due);
		due_badge(h, due, today);
		html_printf(h, "</dd>");
	}
	html_printf(h, "</dl>");
	reminders = json_object_get(pet, "reminders");
	json_array_foreach (reminders, i, m) {
		char at[32];
		time_t t = (time_t)json_integer_value(json_object_get(m, "sent_at")) + 28800;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(at, sizeof(at), "%Y-%m-%d", &tm);
		html_printf(h, "<p class=\"notice pets-reminder\">%T %s · %T %s</p>",
			    !strcmp(json_string_value(json_object_get(m, "kind")), "licence")
				? "pets.reminder.licence"
				: "pets.reminder.rabies",
			    json_string_value(json_object_get(m, "due_on")), "pets.reminder.sent",
			    at);
	}
}

/* input: one labelled field of the form, holding value, marked invalid
 * when it is the refused field. type is trusted markup (ours). */
static void input(struct html *h, const char *label, const char *name, const char *type,
		  const char *value, const char *field)
{
	html_printf(h, "<label>%T<input type=\"%R\" name=\"%s\" value=\"%s\"%R></label>", label,
		    type, name, value ? value : "",
		    field && !strcmp(field, name) ? " aria-invalid=\"true\"" : "");
}

/* pet_form: a pet's fields as a form posted to action. */
static void pet_form(struct http_req *req, struct html *h, const char *action,
		     const struct pet_in *in, const char *field, const char *button)
{
	static const char *const kinds[] = {"dog", "cat", "other"};

	html_printf(h, "<form method=\"post\" action=\"%s\" class=\"stack\">", action);
	page_csrf_field(req, h);
	html_printf(h, "<label>%T<select name=\"kind\">", "pets.kind");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		html_printf(h, "<option value=\"%s\"%R>%T</option>", kinds[i],
			    in->kind && !strcmp(in->kind, kinds[i]) ? " selected" : "",
			    pets_kind_key(kinds[i]));
	html_printf(h, "</select></label>");
	input(h, "pets.name", "name", "text\" required maxlength=\"40", in->name, field);
	html_printf(h, "<fieldset><legend>%T</legend><p class=\"muted\">%T</p>", "pets.licence",
		    "pets.licence_hint");
	input(h, "pets.licence_no", "licence_no", "text\" maxlength=\"32", in->licence_no, field);
	input(h, "pets.licence_issued_on", "licence_issued_on", "date", in->licence_issued_on,
	      field);
	input(h, "pets.licence_expires_on", "licence_expires_on", "date", in->licence_expires_on,
	      field);
	html_printf(h, "</fieldset>");
	input(h, "pets.rabies_on", "rabies_on", "date", in->rabies_on, field);
	html_printf(h, "<button type=\"submit\">%T</button></form>", button);
}

/* pet_change: under a pet's card, its fields to change (a renewed
 * licence, a new vaccination) and the button that takes it off the
 * registry. */
static void pet_change(struct http_req *req, struct html *h, json_t *pet)
{
	int64_t id = (int64_t)json_integer_value(json_object_get(pet, "id"));
	struct pet_in in = {json_string_value(json_object_get(pet, "kind")),
			    json_string_value(json_object_get(pet, "name")),
			    json_string_value(json_object_get(pet, "licence_no")),
			    json_string_value(json_object_get(pet, "licence_issued_on")),
			    json_string_value(json_object_get(pet, "licence_expires_on")),
			    json_string_value(json_object_get(pet, "rabies_on"))};
	const char *action = arena_printf(req->arena, "/pets/%lld", (long long)id);

	html_printf(h, "<details class=\"pets-change\"><summary>%T</summary>", "pets.change");
	pet_form(req, h, action ? action : "/pets", &in, NULL, "pets.change_button");
	html_printf(h, "<form method=\"post\" action=\"%s/archive\">", action ? action : "/pets");
	page_csrf_field(req, h);
	html_printf(h, "<button type=\"submit\" class=\"secondary\">%T</button></form></details>",
		    "pets.archive_button");
}

/* add_form: the registration form, holding what was typed after an error. */
static void add_form(struct http_req *req, struct html *h, const struct pet_in *in,
		     const char *field, const char *key)
{
	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"pets-add-h\"><h2 id=\"pets-add-h\">"
		    "%T</h2>",
		    "pets.add");
	if (key)
		html_printf(h, "<p class=\"error-summary\" role=\"alert\" id=\"pets-error\">%T</p>",
			    key);
	pet_form(req, h, "/pets", in, field, "pets.add_button");
	html_printf(h, "</section>");
}

/* pledge: the pledge's text and who signed it, or the form to sign. */
static void pledge(struct http_req *req, struct html *h, int64_t signed_at, const char *key)
{
	html_printf(h,
		    "<section class=\"card pets-pledge\" aria-labelledby=\"pets-pledge-h\"><h2 "
		    "id=\"pets-pledge-h\">%T</h2><ol><li>%T</li><li>%T</li><li>%T</li><li>%T</li>"
		    "</ol>",
		    "pets.pledge", "pets.pledge.1", "pets.pledge.2", "pets.pledge.3",
		    "pets.pledge.4");
	if (signed_at) {
		char day[11];
		pets_day_text(pets_today(signed_at), day, sizeof(day));
		html_printf(h, "<p class=\"notice\" id=\"pets-pledged\">%T %s</p></section>",
			    "pets.pledge_signed", day);
		return;
	}
	if (key)
		html_printf(h, "<p class=\"error-summary\" role=\"alert\">%T</p>", key);
	html_printf(h, "<form method=\"post\" action=\"/pets/pledge\" class=\"stack\">");
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T<input name=\"signer\" required maxlength=\"40\" "
		    "autocomplete=\"name\"></label><button type=\"submit\">%T</button></form>"
		    "</section>",
		    "pets.signer", "pets.pledge_button");
}

/* mine_page: the household's pets; in/field/key carry a refused form. */
static int mine_page(struct http_req *req, struct http_resp *resp, int status,
		     const struct pet_in *in, const char *field, const char *key,
		     const char *pledge_key, const char *change_key)
{
	struct html h = {&resp->body, req->lang};
	json_t *mine = NULL, *pets, *pet;
	int64_t today = pets_today((int64_t)time(NULL));
	size_t i;
	int rc = pets_resident_json(req->db, req->sess.area_id, req->sess.user_id, &mine);

	if (rc)
		return rc;
	resp->status = status;
	page_begin(req, &h, req_t(req, "pets.title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1>", "pets.title");
	/* the committee and case workers find the area's views from here */
	if (req_can(req, PERM_PETS_READ) || req_can(req, PERM_CASES_READ)) {
		html_printf(&h, "<div class=\"actions\">");
		if (req_can(req, PERM_PETS_READ))
			html_printf(&h, "<a class=\"button\" href=\"/pets/all\">%T</a>",
				    "pets.all_title");
		if (req_can(req, PERM_CASES_READ))
			html_printf(&h, "<a class=\"button\" href=\"/pets/map\">%T</a>",
				    "pets.map_title");
		html_printf(&h, "</div>");
	}
	html_printf(&h, "</div>");
	if (!json_integer_value(json_object_get(mine, "household_id"))) {
		html_printf(&h, "<p class=\"card\" id=\"pets-no-household\">%T</p>",
			    "pets.err.no_household");
		html_printf(&h, "<p><a href=\"/pets/team\">%T</a></p>", "pets.team_link");
		page_end(req, &h);
		json_decref(mine);
		return 0;
	}
	if (req_query(req, "added"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "pets.added");
	if (change_key)
		html_printf(
		    &h, "<p class=\"error-summary\" role=\"alert\" id=\"pets-change-error\">%T</p>",
		    change_key);
	if (req_query(req, "changed"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "pets.changed");
	pets = json_object_get(mine, "pets");
	if (!json_array_size(pets))
		html_printf(&h, "<p class=\"muted\">%T</p>", "pets.none");
	html_printf(&h, "<ul class=\"pets-list\">");
	json_array_foreach (pets, i, pet) {
		pet_card(&h, pet, NULL, today);
		pet_change(req, &h, pet);
		html_printf(&h, "</li>");
	}
	html_printf(&h, "</ul>");
	add_form(req, &h, in, field, key);
	pledge(req, &h, json_integer_value(json_object_get(mine, "pledge_signed_at")), pledge_key);
	html_printf(&h,
		    "<p class=\"pets-links\"><a class=\"button\" href=\"/report\">%T</a> "
		    "<a href=\"/pets/team\">%T</a></p>",
		    "pets.report_link", "pets.team_link");
	page_end(req, &h);
	json_decref(mine);
	return 0;
}

static int get_mine(struct http_req *req, struct http_resp *resp)
{
	struct pet_in none = {0};
	return mine_page(req, resp, 200, &none, NULL, NULL, NULL, NULL);
}

static int post_mine(struct http_req *req, struct http_resp *resp)
{
	struct pet_in in = {req_form(req, "kind"),
			    req_form(req, "name"),
			    req_form(req, "licence_no"),
			    req_form(req, "licence_issued_on"),
			    req_form(req, "licence_expires_on"),
			    req_form(req, "rabies_on")};
	const char *field = NULL, *key = NULL;
	int64_t household = 0;
	int rc = pets_household_of(req->db, req->sess.area_id, req->sess.user_id, &household);

	if (rc)
		return rc;
	if (!household)
		return resp_error(req, resp, 422, "invalid", "pets.err.no_household");
	rc = pets_add(req->db, req->sess.area_id, req->sess.user_id, household, &in,
		      (int64_t)time(NULL), NULL, &field, &key);
	if (rc && key)
		return mine_page(req, resp, rc == LIN_ECONFLICT ? 409 : 422, &in, field, key, NULL,
				 NULL);
	if (rc)
		return rc;
	return resp_redirect(req, resp, "/pets?added=1");
}

/* change: a pet's new fields, or (archive) its leaving the registry. */
static int change(struct http_req *req, struct http_resp *resp, int archive)
{
	struct pet_in in = {req_form(req, "kind"),
			    req_form(req, "name"),
			    req_form(req, "licence_no"),
			    req_form(req, "licence_issued_on"),
			    req_form(req, "licence_expires_on"),
			    req_form(req, "rabies_on")};
	struct pet_in none = {0};
	const char *field = NULL, *key = NULL;
	int64_t household = 0;
	int rc = pets_scope(req, &household);

	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", "pets.err.no_household");
	if (!rc && archive)
		rc = pets_archive(req->db, req->sess.area_id, req->sess.user_id, household,
				  pets_id(req, 0), &key);
	else if (!rc)
		rc = pets_update(req->db, req->sess.area_id, req->sess.user_id, household,
				 pets_id(req, 0), &in, (int64_t)time(NULL), &field, &key);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "pets.err.pet");
	if (rc && key)
		return mine_page(req, resp, 422, &none, NULL, NULL, NULL, key);
	if (rc)
		return rc;
	return resp_redirect(req, resp, "/pets?changed=1");
}

static int post_change(struct http_req *req, struct http_resp *resp)
{
	return change(req, resp, 0);
}

static int post_archive(struct http_req *req, struct http_resp *resp)
{
	return change(req, resp, 1);
}

static int post_pledge(struct http_req *req, struct http_resp *resp)
{
	struct pet_in none = {0};
	const char *key = NULL;
	int64_t household = 0;
	int rc = pets_household_of(req->db, req->sess.area_id, req->sess.user_id, &household);

	if (rc)
		return rc;
	if (!household)
		return resp_error(req, resp, 422, "invalid", "pets.err.no_household");
	rc = pets_pledge_sign(req->db, req->sess.area_id, req->sess.user_id, household,
			      req_form(req, "signer"), (int64_t)time(NULL), &key);
	if (rc && key)
		return mine_page(req, resp, 422, &none, NULL, NULL, key, NULL);
	if (rc)
		return rc;
	return resp_redirect(req, resp, "/pets#pets-pledge-h");
}

void pets_mask(struct http_req *req, json_t *pets)
{
	json_t *pet;
	size_t i;

	if (req_can(req, PERM_SEE_PHONE))
		return;
	json_array_foreach (pets, i, pet)
		json_object_del(pet, "owner_phone");
}

/* all_page: every pet of the area, for the committee. */
static int all_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *pets = NULL, *pet;
	size_t i;
	int rc = pets_list(req->db, req->sess.area_id, 0, &pets);

	if (rc) {
		json_decref(pets);
		return rc;
	}
	pets_mask(req, pets);
	page_begin(req, &h, req_t(req, "pets.all_title"));
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><div class=\"actions\"><a class=\"button\" "
	    "href=\"/pets/map\">%T</a></div></div><p class=\"muted\">%T %l</p>",
	    "pets.all_title", "pets.map_title", "pets.count", (int64_t)json_array_size(pets));
	html_printf(&h,
		    "<div class=\"table-wrap\"><table><thead><tr><th>%T</th><th>%T</th><th>%T</th>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "pets.household", "pets.name", "pets.kind", "pets.licence_no",
		    "pets.licence_expires_on", "pets.rabies_on", "pets.owner_phone");
	json_array_foreach (pets, i, pet) {
		const char *phone = json_string_value(json_object_get(pet, "owner_phone"));
		html_printf(&h,
			    "<tr><td>%s</td><td>%s</td><td>%T</td><td>%s</td><td>%s</td><td>%s</td>"
			    "<td>%s</td></tr>",
			    json_string_value(json_object_get(pet, "household")),
			    json_string_value(json_object_get(pet, "name")),
			    pets_kind_key(json_string_value(json_object_get(pet, "kind"))),
			    json_string_value(json_object_get(pet, "licence_no")),
			    json_string_value(json_object_get(pet, "licence_expires_on")),
			    json_string_value(json_object_get(pet, "rabies_on")),
			    phone ? phone : "");
	}
	html_printf(&h, "</tbody></table></div>");
	page_end(req, &h);
	json_decref(pets);
	return 0;
}

/* ---- the team's public page ---- */

int pets_area(struct http_req *req, int64_t *area_id)
{
	int rc;

	if (req->sess.area_id) {
		*area_id = req->sess.area_id;
		return 0;
	}
	rc = area_resolve(req->db, req_area_code(req), area_id, NULL, 0);
	return rc == LIN_ECONFLICT ? LIN_ENOTFOUND : rc;
}

int pets_month_parse(const char *s, int64_t *month)
{
	char day[11];
	int y, m, d;

	if (!s || strlen(s) != 7)
		return LIN_EINVAL;
	snprintf(day, sizeof(day), "%s-01", s);
	if (parse_date(day, &y, &m, &d))
		return LIN_EINVAL;
	*month = (int64_t)y * 12 + m - 1;
	return 0;
}

void pets_month_text(int64_t month, char out[16])
{
	snprintf(out, 16, "%04d-%02d", (int)(month / 12), (int)(month % 12 + 1));
}

int64_t pets_month_start(int64_t m)
{
	return lin_days_from_civil(m / 12, (int)(m % 12) + 1, 1) * 86400 - 28800;
}

int64_t pets_month_of(int64_t t)
{
	int y, mo, d;

	lin_civil_from_days(pets_today(t), &y, &mo, &d);
	return (int64_t)y * 12 + mo - 1;
}

#define TREND_MONTHS 24 /* at most this many months on the public chart */

/* trend: the chart of pet reports by month from first (a month number)
 * to this month. */
static int trend(struct http_req *req, struct html *h, int64_t area, int64_t first, int64_t now)
{
	int64_t last = pets_month_of(now), n;
	double counts[TREND_MONTHS] = {0};
	const char *labels[TREND_MONTHS];
	json_t *times = NULL, *t;
	size_t i;
	int rc;

	if (first < last - (TREND_MONTHS - 1))
		first = last - (TREND_MONTHS - 1);
	n = last - first + 1;
	rc = cases_count_times(req->db, area, "pet_waste", "pet_nuisance", pets_month_start(first),
			       pets_month_start(last + 1), &times);
	if (rc)
		return rc;
	json_array_foreach (times, i, t) {
		int64_t m = pets_month_of(json_integer_value(t)) - first;
		if (m >= 0 && m < n)
			counts[m]++;
	}
	json_decref(times);
	for (int64_t k = 0; k < n; k++)
		labels[k] = arena_printf(req->arena, "%d-%02d", (int)((first + k) / 12),
					 (int)((first + k) % 12 + 1));
	struct svg_series s = {req_t(req, "pets.trend_series"), counts, (int)n, "#d55e00"};
	struct svg_chart c = {req_t(req, "pets.trend_title"),
			      req_t(req, "pets.trend_desc"),
			      "pets-trend",
			      req_t(req, "pets.trend_unit"),
			      0,
			      0,
			      640,
			      300,
			      0,
			      NULL,
			      0};
	html_printf(h, "<div class=\"chart\" id=\"pets-trend\">");
	rc = svg_bar_chart(h->out, &c, labels, (int)n, &s, 1);
	/* the figures as text, for readers who cannot see the bars */
	html_printf(
	    h,
	    "</div><details class=\"pets-trend-table\"><summary>%T</summary><table><thead><tr>"
	    "<th>%T</th><th>%T</th></tr></thead><tbody>",
	    "pets.trend_figures", "pets.month", "pets.trend_series");
	for (int64_t k = 0; k < n; k++)
		html_printf(h, "<tr><th>%s</th><td>%l</td></tr>", labels[k], (int64_t)counts[k]);
	html_printf(h, "</tbody></table></details>");
	return rc;
}

static int team_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct pets_team t;
	int64_t now = (int64_t)time(NULL), area = 0, first = pets_month_of(now);
	json_t *teams = NULL, *row;
	char month[16];
	size_t i;
	int rc = pets_area(req, &area);

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "pets.err.area");
	if (!rc)
		rc = pets_team_read(req->db, area, &t);
	if (rc)
		return rc;
	if (t.formed_on[0]) {
		int64_t day;
		if (!pets_day(t.formed_on, &day))
			first = pets_month_of(day * 86400);
	}
	page_begin(req, &h, req_t(req, "pets.team_title"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1></div>", "pets.team_title");
	if (t.note[0])
		html_printf(&h, "<p>%s</p>", t.note);
	html_printf(&h,
		    "<ul class=\"pets-figures\"><li><b id=\"pets-members\">%l</b> %T</li>"
		    "<li><b>%l</b> %T</li><li><b>%l</b> %T</li><li><b>%l</b> %T</li></ul>",
		    t.members, "pets.team_members", t.pets, "pets.team_pets", t.households,
		    "pets.team_households", t.pledges, "pets.team_pledges");
	if (t.formed_on[0])
		html_printf(&h, "<p class=\"muted\">%T %s</p>", "pets.team_formed", t.formed_on);
	/* the patrols are duty shifts: what the team's members did this month */
	pets_month_text(pets_month_of(now), month);
	html_printf(&h, "<section class=\"card\"><h2>%T</h2>", "pets.team_activities");
	rc = duty_month_teams(req->db, area, month, &teams);
	json_array_foreach (teams, i, row)
		if (json_integer_value(json_object_get(row, "team_id")) == t.id && t.id)
			html_printf(
			    &h, "<p id=\"pets-patrols\">%T: %l · %T: %l · %T: %l</p>",
			    "pets.patrols",
			    (int64_t)json_integer_value(json_object_get(row, "assignments")),
			    "pets.patrol_checkins",
			    (int64_t)json_integer_value(json_object_get(row, "checkins")),
			    "pets.patrol_hours",
			    (int64_t)json_integer_value(json_object_get(row, "minutes")) / 60);
	json_decref(teams);
	html_printf(&h, "<p>%T</p>", "pets.activities_text");
	/* the roster for those who plan it, one's own duties for the others */
	if (req->sess.kind != AUTH_NONE)
		html_printf(&h, "<p><a href=\"%R\">%T</a></p>",
			    req_can(req, PERM_TEAMS_WRITE) ? "/duty" : "/duty/my",
			    "pets.patrol_signup");
	html_printf(&h, "</section>");
	html_printf(&h, "<section class=\"card\"><h2>%T</h2>", "pets.trend_title");
	if (!rc)
		rc = trend(req, &h, area, first, now);
	html_printf(&h, "</section>");
	page_end(req, &h);
	return rc;
}

const struct route pets_page_routes[] = {
    {"GET", "/pets", get_mine, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/pets", post_mine, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/pets/pledge", post_pledge, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/pets/:id", post_change, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/pets/:id/archive", post_archive, PERM_SIGNED_IN, 0, NULL, 0},
    {"GET", "/pets/all", all_page, PERM_PETS_READ, 0, NULL, 0},
    {"GET", "/pets/team", team_page, PERM_PUBLIC, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

const struct nav_item pets_nav[] = {
    {"/pets", "nav.pets", PERM_SIGNED_IN},
    {NULL, NULL, 0},
};
