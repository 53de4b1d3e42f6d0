/* The hours pages: "my hours" for a signed-in volunteer or member (their
 * ledger, balances, time bank, points and target), the committee's view
 * of everyone and of one person (credits and corrections), the printable
 * service certificate, the points table with the yearly targets, the
 * teams' growth and the CSV export. */
#include "hours.h"
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/svg.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define HOURS_SHOWN 10 /* entries in sight before the rest is folded */

int hours_is_committee(struct http_req *req)
{
	return req_can(req, PERM_PEOPLE_WRITE);
}

/* year_param: ?year= within 2000..2100, else this year. */
static int year_param(struct http_req *req)
{
	int64_t y;
	const char *s = req_query(req, "year");

	if (s && !parse_int64(s, 2000, 2100, &y))
		return (int)y;
	return hours_this_year();
}

static const char *h_of(struct http_req *req, int64_t minutes)
{
	char *out = arena_printf(req->arena, "%23s", "");

	hours_format(minutes, out);
	return out;
}

/* source_label: how an entry's origin reads on a page. */
static const char *source_key(const char *kind, const char *source)
{
	if (!strcmp(kind, "reversal"))
		return "hours.kind.reversal";
	if (!strcmp(kind, "gift_out"))
		return "hours.kind.gift_out";
	if (!strcmp(kind, "gift_in"))
		return "hours.kind.gift_in";
	if (!strcmp(source, "shift"))
		return "hours.source.shift";
	if (!strcmp(source, "event"))
		return "hours.source.event";
	if (!strcmp(source, "manual"))
		return "hours.source.manual";
	return "hours.source.activity";
}

/* The error a refused form shows at its top. */
static void form_error(struct html *h, const char *err)
{
	if (err)
		html_printf(h, "<p class=\"error-summary\" role=\"alert\">%T</p>", err);
}

static void stat(struct html *h, const char *num, const char *unit, const char *label,
		 const char *id)
{
	html_printf(h,
		    "<div class=\"stat\" id=\"%s\"><span class=\"num\">%s<small>%T</small></span>"
		    "<span class=\"label\">%R</span></div>",
		    id, num, unit, label);
}

/* entries_table: the ledger of one person, newest first; with forms for
 * corrections when the committee looks. */
static void entries_table(struct http_req *req, struct html *h, json_t *rows, int committee)
{
	size_t i, n = json_array_size(rows);
	json_t *e;

	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"hours-entries-h\"><h2 "
		    "id=\"hours-entries-h\">%T <span class=\"muted\">(%d)</span></h2>",
		    "hours.entries", (int)n);
	if (!n) {
		html_printf(h, "<p class=\"empty\">%T</p></section>", "hours.no_entries");
		return;
	}
	html_printf(h, "<ul class=\"hours-list\">");
	json_array_foreach (rows, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *source = json_string_value(json_object_get(e, "source"));
		int64_t id = json_integer_value(json_object_get(e, "id"));
		int64_t minutes = json_integer_value(json_object_get(e, "minutes"));
		json_t *rev = json_object_get(e, "reverses_id");
		json_t *by = json_object_get(e, "reversed_by");

		/* The newest ten in sight, the rest of the year folded. */
		if (i == HOURS_SHOWN && n > HOURS_SHOWN)
			html_printf(
			    h,
			    "</ul><details class=\"hours-more\"><summary>%T (%d)</summary><ul "
			    "class=\"hours-list\">",
			    "hours.more", (int)(n - HOURS_SHOWN));
		html_printf(h,
			    "<li id=\"entry-%l\" class=\"%s\"><span class=\"what\"><b>%T</b> %s"
			    "<small class=\"muted\">%s · #%l",
			    id, kind, source_key(kind, source),
			    json_string_value(json_object_get(e, "note")),
			    json_string_value(json_object_get(e, "day")), id);
		if (json_is_integer(rev))
			html_printf(h, " · %T #%l", "hours.reverses",
				    (int64_t)json_integer_value(rev));
		if (json_is_integer(by))
			html_printf(h, " · <span class=\"badge\">%T #%l</span>",
				    "hours.reversed_by", (int64_t)json_integer_value(by));
		html_printf(h, "</small></span><span class=\"amount\">%s%s</span>",
			    minutes > 0 ? "+" : "", h_of(req, minutes));
		if (committee && !strcmp(kind, "service") && !json_is_integer(by))
			html_printf(
			    h,
			    "<details class=\"fold no-print\"><summary "
			    "class=\"button\">%T</summary>"
			    "<form method=\"post\" action=\"/hours/entries/%l/reverse\" "
			    "class=\"stack\">"
			    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<label>%T<input name=\"minutes\" type=\"number\" min=\"1\" max=\"%l\" "
			    "value=\"%l\" required></label><label>%T<input name=\"reason\" "
			    "maxlength=\"200\" required></label><button type=\"submit\" "
			    "class=\"danger\">%T</button></form></details>",
			    "hours.correct", id, req->sess.csrf ? req->sess.csrf : "",
			    "hours.minutes_to_reverse", minutes, minutes, "hours.reason",
			    "hours.reverse");
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul>%R</section>", n > HOURS_SHOWN ? "</details>" : "");
}

/* points_card: a member's year on the points table and their target. */
static void points_card(struct http_req *req, struct html *h, int year,
			const struct hours_member_year *y)
{
	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"hours-target-h\"><h2 "
		    "id=\"hours-target-h\">%T</h2>",
		    "hours.target");
	if (y->target_minutes > 0)
		html_printf(h,
			    "<p id=\"hours-progress\"><b>%s</b> / %s %T (%d%%)</p>"
			    "<progress max=\"100\" value=\"%d\" aria-labelledby=\"hours-target-h\">"
			    "%d%%</progress>",
			    h_of(req, y->counts[ITEM_HOUR]), h_of(req, y->target_minutes),
			    "hours.unit_hours", y->percent, y->percent > 100 ? 100 : y->percent,
			    y->percent);
	else
		html_printf(h, "<p class=\"muted\">%T</p>", "hours.no_target");
	html_printf(h,
		    "<h3>%T</h3><div class=\"table-wrap\"><table class=\"plain points\"><thead><tr>"
		    "<th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "hours.points", "hours.item", "hours.count", "hours.per_unit",
		    "hours.subtotal");
	for (int i = 0; i < ITEM_COUNT; i++) {
		int64_t n = i == ITEM_HOUR ? y->counts[i] / 60 : y->counts[i];
		html_printf(h, "<tr><td>%T</td><td>%l</td><td>%l</td><td>%l</td></tr>",
			    arena_printf(req->arena, "hours.item.%s", hours_item_names[i]), n,
			    y->points[i], n * y->points[i]);
	}
	html_printf(h,
		    "</tbody><tfoot><tr><th colspan=\"3\">%T</th><td id=\"hours-points\">%l</td>"
		    "</tr></tfoot></table></div>",
		    "hours.total", y->total);
	html_printf(h, "</section>");
	(void)year;
}

/* bank_card: the time bank and the form to give credits to the household. */
static void bank_card(struct http_req *req, struct html *h, const struct hours_person *p,
		      const struct hours_sums *s, const char *err, int given)
{
	json_t *family = NULL, *f;
	size_t i;

	html_printf(h,
		    "<section class=\"card\" id=\"timebank\" aria-labelledby=\"hours-bank-h\"><h2 "
		    "id=\"hours-bank-h\">%T</h2><p class=\"muted\">%T</p>",
		    "hours.bank", "hours.bank_rule");
	if (given)
		html_printf(h, "<p class=\"notice\" role=\"status\">%T</p>", "hours.given");
	form_error(h, err);
	if (p->resident_id &&
	    !hours_household_read(req->db, req->sess.area_id, p->resident_id, &family) &&
	    json_array_size(family) && s->bank_minutes >= 60) {
		html_printf(h,
			    "<form method=\"post\" action=\"/hours/give\" class=\"stack\">"
			    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">"
			    "<label>%T<select name=\"to\" required>",
			    req->sess.csrf ? req->sess.csrf : "", "hours.give_to");
		json_array_foreach (family, i, f)
			html_printf(h, "<option value=\"%l\">%s</option>",
				    (int64_t)json_integer_value(json_object_get(f, "id")),
				    json_string_value(json_object_get(f, "name")));
		html_printf(
		    h,
		    "</select></label><label>%T<input name=\"credits\" type=\"number\" "
		    "min=\"1\" max=\"%l\" value=\"1\" inputmode=\"numeric\" required></label>"
		    "<button type=\"submit\" class=\"primary\">%T</button></form>",
		    "hours.credits", s->bank_minutes / 60, "hours.give");
	} else if (p->resident_id) {
		html_printf(h, "<p class=\"muted\">%T</p>", "hours.give_none");
	}
	json_decref(family);
	html_printf(h, "</section>");
}

/* credit_form: the committee's form to credit minutes to key (NULL: a
 * resident or member id typed in). */
static void credit_form(struct http_req *req, struct html *h, const char *key, const char *err)
{
	char today[11];

	hours_day_string(hours_today(), today);
	/* Folded until wanted; open when it was refused, with the reason. */
	html_printf(
	    h, "<details class=\"card no-print hours-credit\"%R><summary><h2>%T</h2></summary>",
	    err ? " open" : "", "hours.credit");
	form_error(h, err);
	html_printf(h,
		    "<form method=\"post\" action=\"/hours/credit\" class=\"stack\">"
		    "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
		    req->sess.csrf ? req->sess.csrf : "");
	if (key)
		html_printf(h, "<input type=\"hidden\" name=\"person\" value=\"%s\">", key);
	else
		html_printf(h,
			    "<label>%T<input name=\"resident_id\" type=\"number\" min=\"1\" "
			    "inputmode=\"numeric\"></label><label>%T<input name=\"member_id\" "
			    "type=\"number\" min=\"1\" inputmode=\"numeric\"></label>",
			    "hours.resident_id", "hours.member_id");
	html_printf(
	    h,
	    "<label>%T<input name=\"minutes\" type=\"number\" min=\"1\" max=\"1440\" "
	    "inputmode=\"numeric\" required></label><label>%T<input name=\"day\" "
	    "type=\"date\" value=\"%s\" max=\"%s\" required></label><label>%T<select "
	    "name=\"source\"><option value=\"activity\">%T</option><option "
	    "value=\"event\">%T</option><option value=\"manual\">%T</option></select></label>"
	    "<label>%T<input name=\"note\" maxlength=\"200\"></label><button type=\"submit\" "
	    "class=\"primary\">%T</button></form></details>",
	    "hours.minutes", "hours.day", today, today, "hours.what", "hours.source.activity",
	    "hours.source.event", "hours.source.manual", "hours.note", "hours.credit_button");
}

/* person_page: one person's hours, for themselves (/hours) or for the
 * committee (/hours/people/:key, committee set). */
static int person_page(struct http_req *req, struct http_resp *resp, const struct hours_person *p,
		       int committee, const char *err, const char *err_at, int status)
{
	struct html h = {&resp->body, req->lang};
	struct hours_person_year py;
	const struct hours_sums *s = &py.sums;
	const struct hours_member_year *y = &py.member;
	const char *name = py.name;
	int year = year_param(req);
	int rc = hours_person_year_read(req->db, req->sess.area_id, p, year, &py);

	if (rc) {
		json_decref(py.entries);
		return rc;
	}
	page_begin(req, &h, committee ? name : req_t(req, "hours.mine"));
	html_printf(&h, "<div class=\"page-head\"><h1>%s</h1><nav class=\"week-nav no-print\">",
		    committee ? name : req_t(req, "hours.mine"));
	html_printf(&h, "<a href=\"?year=%d\">← %d</a> <b>%d</b>", year - 1, year - 1, year);
	if (year < hours_this_year())
		html_printf(&h, " <a href=\"?year=%d\">%d →</a>", year + 1, year + 1);
	html_printf(&h, "</nav></div>");
	if (committee)
		html_printf(&h, "<p class=\"crumbs no-print\"><a href=\"/hours/people\">%T</a></p>",
			    "hours.people");
	if (req_query(req, "saved"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "hours.saved");
	html_printf(&h, "<div class=\"stats\">");
	stat(&h, h_of(req, s->year_minutes), "hours.unit_hours",
	     arena_printf(req->arena, "%d %s", year, req_t(req, "hours.year_served")),
	     "hours-year");
	stat(&h, h_of(req, s->served_minutes), "hours.unit_hours", req_t(req, "hours.all_served"),
	     "hours-all");
	stat(&h, h_of(req, s->bank_minutes), "hours.unit_credits", req_t(req, "hours.bank"),
	     "hours-bank");
	if (p->member_id)
		stat(&h, arena_printf(req->arena, "%" PRId64, y->total), "hours.unit_points",
		     req_t(req, "hours.points"), "hours-points-stat");
	html_printf(&h,
		    "</div><p class=\"no-print\"><a class=\"button\" "
		    "href=\"/hours/certificate?year=%d%R\">%T</a></p>",
		    year, committee ? arena_printf(req->arena, "&amp;person=%s", p->key) : "",
		    "hours.certificate");
	if (p->member_id)
		points_card(req, &h, year, y);
	if (!committee)
		bank_card(req, &h, p, s, err_at && !strcmp(err_at, "give") ? err : NULL,
			  req_query(req, "given") != NULL);
	if (committee)
		credit_form(req, &h, p->key, err_at && !strcmp(err_at, "credit") ? err : NULL);
	if (committee && err_at && !strcmp(err_at, "reverse"))
		form_error(&h, err);
	entries_table(req, &h, py.entries, committee);
	page_end(req, &h);
	json_decref(py.entries);
	resp->status = status;
	return 0;
}

/* my_person: the signed-in reader's person, or a page saying their
 * account is linked to nobody (1 returned: answered). */
static int my_person(struct http_req *req, struct http_resp *resp, struct hours_person *p)
{
	struct html h = {&resp->body, req->lang};
	int rc = hours_user_person(req->db, req->sess.area_id, req->sess.user_id, p);

	if (rc != LIN_ENOTFOUND && rc != LIN_EINVAL)
		return rc;
	page_begin(req, &h, req_t(req, "hours.mine"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1></div><p class=\"card\">%T</p>",
		    "hours.mine", "hours.unlinked");
	if (hours_is_committee(req))
		html_printf(&h, "<p><a class=\"button\" href=\"/hours/people\">%T</a></p>",
			    "hours.people");
	page_end(req, &h);
	resp->status = 200;
	return 1;
}

static int my_hours(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p;
	int rc = my_person(req, resp, &p);

	return rc ? (rc == 1 ? 0 : rc) : person_page(req, resp, &p, 0, NULL, NULL, 200);
}

/* form_number: the whole number in form field name within [min, max];
 * LIN_EINVAL when absent or not one. */
static int form_number(struct http_req *req, const char *name, int64_t min, int64_t max,
		       int64_t *out)
{
	const char *v = req_form(req, name);

	return v && !parse_int64(v, min, max, out) ? 0 : LIN_EINVAL;
}

static int give_submit(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p;
	const char *why = NULL;
	int64_t to = 0, credits = 0;
	int rc = my_person(req, resp, &p);

	if (rc)
		return rc == 1 ? 0 : rc;
	if (form_number(req, "to", 1, INT64_MAX, &to)) {
		why = "hours.err.household";
		rc = LIN_EINVAL;
	} else if (form_number(req, "credits", 1, 1000, &credits)) {
		why = "hours.err.credits";
		rc = LIN_EINVAL;
	} else {
		rc = hours_give(req->db, req->sess.area_id, req->sess.user_id, &p, to, credits,
				NULL, &why);
	}
	if (!rc)
		return resp_redirect(req, resp, "/hours?given=1#timebank");
	/* A refusal is said beside the form; anything else is the server's. */
	return why ? person_page(req, resp, &p, 0, why, "give", 422) : rc;
}

/* ---- the committee's pages ---- */

static int people_page(struct http_req *req, struct http_resp *resp, const char *err, int status)
{
	struct html h = {&resp->body, req->lang};
	json_t *rows = NULL, *r;
	size_t i;
	int rc = hours_people_read(req->db, req->sess.area_id, &rows);

	if (rc) {
		json_decref(rows);
		return rc;
	}
	page_begin(req, &h, req_t(req, "hours.people"));
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><nav class=\"no-print\"><a class=\"button\" "
	    "href=\"/hours/export.csv\">%T</a> ",
	    "hours.people", "hours.csv");
	if (req_can(req, PERM_ORG_WRITE)) /* the points table is the secretary's */
		html_printf(&h, "<a class=\"button\" href=\"/hours/points\">%T</a> ",
			    "hours.points_table");
	html_printf(&h, "<a class=\"button\" href=\"/hours/teams\">%T</a></nav></div>",
		    "hours.teams");
	credit_form(req, &h, NULL, err);
	html_printf(&h,
		    "<div class=\"table-wrap\"><table class=\"rows\"><thead><tr><th>%T</th><th>%T"
		    "</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "hours.name", "hours.all_served", "hours.bank", "hours.entries_count");
	json_array_foreach (rows, i, r) {
		const char *key = json_string_value(json_object_get(r, "person"));
		html_printf(
		    &h,
		    "<tr><td><a href=\"/hours/people/%s\">%s</a>%R</td><td data-label=\"%T\">"
		    "%s</td><td data-label=\"%T\">%s</td><td data-label=\"%T\">%l</td></tr>",
		    key, json_string_value(json_object_get(r, "name")),
		    json_is_integer(json_object_get(r, "member_id"))
			? arena_printf(req->arena, " <span class=\"tag\">%s</span>",
				       req_t(req, "hours.member"))
			: "",
		    "hours.all_served",
		    h_of(req, json_integer_value(json_object_get(r, "served_minutes"))),
		    "hours.bank", h_of(req, json_integer_value(json_object_get(r, "bank_minutes"))),
		    "hours.entries_count",
		    (int64_t)json_integer_value(json_object_get(r, "entries")));
	}
	if (!json_array_size(rows))
		html_printf(&h, "<tr><td>%T</td></tr>", "hours.no_entries");
	html_printf(&h, "</tbody></table></div>");
	page_end(req, &h);
	json_decref(rows);
	resp->status = status;
	return 0;
}

static int people(struct http_req *req, struct http_resp *resp)
{
	return people_page(req, resp, NULL, 200);
}

static int person(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p;
	int rc = hours_person_key_parse(req->db, req->sess.area_id, req_param(req, 0), &p, NULL);

	if (rc == LIN_EINVAL || rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "hours.err.person");
	return rc ? rc : person_page(req, resp, &p, 1, NULL, NULL, 200);
}

static int64_t form_int(struct http_req *req, const char *name, int64_t bad)
{
	const char *v = req_form(req, name);
	int64_t n;

	if (!v || !*v)
		return 0;
	return parse_int64(v, 1, INT64_MAX / 2, &n) ? bad : n;
}

static int credit_submit(struct http_req *req, struct http_resp *resp)
{
	struct hours_credit_in in = {0};
	struct hours_person p = {0};
	const char *key = req_form(req, "person"), *why = NULL;
	int rc = 0;

	if (key)
		rc = hours_person_key_parse(req->db, req->sess.area_id, key, &p, &why);
	in.resident_id = key ? p.resident_id : form_int(req, "resident_id", -1);
	in.member_id = key ? p.member_id : form_int(req, "member_id", -1);
	in.minutes = form_int(req, "minutes", -1);
	in.source = req_form(req, "source") ? req_form(req, "source") : "manual";
	in.day = req_form(req, "day");
	in.note = req_form(req, "note");
	if (!rc && (in.resident_id < 0 || in.member_id < 0)) {
		why = "hours.err.person";
		rc = LIN_EINVAL;
	}
	if (!rc)
		rc = db_begin(req->db);
	if (!rc) {
		rc = hours_credit(req->db, req->sess.area_id, req->sess.user_id, &in, NULL, &why);
		rc = rc ? (db_rollback(req->db), rc) : db_commit(req->db);
	}
	if (!rc && !key)
		rc = hours_person_resolve(req->db, req->sess.area_id, in.resident_id, in.member_id,
					  &p, NULL);
	if (!rc)
		return resp_redirect(req, resp,
				     arena_printf(req->arena, "/hours/people/%s?saved=1", p.key));
	if (!why)
		return rc;
	if (key && p.key[0])
		return person_page(req, resp, &p, 1, why, "credit",
				   rc == LIN_ECONFLICT ? 409 : 422);
	return people_page(req, resp, why, rc == LIN_ECONFLICT ? 409 : 422);
}

static int reverse_submit(struct http_req *req, struct http_resp *resp)
{
	struct hours_person p = {0};
	const char *why = NULL;
	char key[24] = "";
	int64_t id, minutes = form_int(req, "minutes", -1);
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id) ||
	    hours_entry_person(req->db, req->sess.area_id, id, key, sizeof(key)))
		return resp_error(req, resp, 404, "not_found", "hours.err.entry");
	rc = hours_correct(req->db, req->sess.area_id, req->sess.user_id, id, minutes,
			   req_form(req, "reason"), NULL, &why);
	if (!rc)
		return resp_redirect(req, resp,
				     arena_printf(req->arena, "/hours/people/%s?saved=1", key));
	if (!why)
		return rc;
	rc = hours_person_key_parse(req->db, req->sess.area_id, key, &p, NULL) ? LIN_EINVAL : rc;
	if (!p.key[0])
		return resp_error(req, resp, 422, "invalid", why);
	return person_page(req, resp, &p, 1, why, "reverse", rc == LIN_ECONFLICT ? 409 : 422);
}

/* ---- the certificate ---- */

/* committee_name: the committee's name in the reader's language, the
 * area's name put in for {area}. */
static const char *committee_name(struct http_req *req, const char *area)
{
	const char *t = req_t(req, "hours.committee_of"), *hole = strstr(t, "{area}");

	if (!hole)
		return t;
	return arena_printf(req->arena, "%.*s%s%s", (int)(hole - t), t, area, hole + 6);
}

static int certificate(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct hours_person p;
	const char *key = req_query(req, "person"), *from = req_query(req, "from"),
		   *to = req_query(req, "to");
	char name[128], area[128], street[128], today[11], f[11], t[11], signed_on[32];
	int64_t minutes = 0;
	int year = year_param(req), y, m, d, rc;

	hours_day_string(hours_today(), today);
	snprintf(f, sizeof(f), "%04d-01-01", year);
	snprintf(t, sizeof(t), "%04d-12-31", year);
	if (strcmp(t, today) > 0)
		snprintf(t, sizeof(t), "%s", today);
	if ((from && parse_date(from, &y, &m, &d)) || (to && parse_date(to, &y, &m, &d)))
		return resp_error(req, resp, 400, "bad_request", "hours.err.period");
	if (from)
		snprintf(f, sizeof(f), "%s", from);
	if (to)
		snprintf(t, sizeof(t), "%s", to);
	if (strcmp(f, t) > 0)
		return resp_error(req, resp, 400, "bad_request", "hours.err.period");
	if (key && !hours_is_committee(req))
		return resp_error(req, resp, 403, "forbidden", "err.forbidden");
	if (key) {
		rc = hours_person_key_parse(req->db, req->sess.area_id, key, &p, NULL);
		if (rc == LIN_EINVAL || rc == LIN_ENOTFOUND)
			return resp_error(req, resp, 404, "not_found", "hours.err.person");
	} else {
		rc = my_person(req, resp, &p);
		if (rc == 1)
			return 0;
	}
	if (!rc)
		rc = hours_served_between(req->db, &p, f, t, &minutes);
	if (!rc)
		rc = hours_person_name(req->db, &p, name, sizeof(name));
	if (!rc)
		rc = hours_committee(req->db, req->sess.area_id, area, sizeof(area), street,
				     sizeof(street));
	if (rc)
		return rc;
	/* Signed and dated as a Chinese certificate is: 2026年12月6日. */
	snprintf(signed_on, sizeof(signed_on), "%s", today);
	if (!strcmp(req->lang, "zh-CN") && !parse_date(today, &y, &m, &d))
		snprintf(signed_on, sizeof(signed_on), "%d年%d月%d日", y, m, d);
	page_begin(req, &h, req_t(req, "hours.certificate"));
	html_printf(
	    &h,
	    "<nav class=\"week-nav no-print\"><a href=\"%R\">← %T</a> <button type=\"button\" "
	    "class=\"primary\" data-print hidden>%T</button></nav>"
	    "<article class=\"certificate\"><p class=\"cert-from\">%s %s</p>"
	    "<h1>%T</h1><p class=\"cert-body\">%T</p>"
	    "<p class=\"cert-name\" id=\"cert-name\">%s</p>"
	    "<p class=\"cert-body\">%T <b>%s</b> %T <b>%s</b>%T</p>"
	    "<p class=\"cert-hours\"><span id=\"cert-hours\">%s</span> %T</p>"
	    "<p class=\"cert-body\">%T</p>"
	    "<footer class=\"cert-sign\"><p id=\"cert-committee\">%s</p><p>%T</p><p "
	    "id=\"cert-date\">%s</p>"
	    "</footer></article>",
	    key ? arena_printf(req->arena, "/hours/people/%s", key) : "/hours", "hours.back",
	    "hours.print", street, committee_name(req, area), "hours.certificate_title",
	    "hours.cert_this", name, "hours.cert_from", f, "hours.cert_to", t, "hours.cert_served",
	    h_of(req, minutes), "hours.unit_hours", "hours.cert_thanks", committee_name(req, area),
	    "hours.cert_seal", signed_on);
	/* Another period: the form stays off the paper. */
	html_printf(&h,
		    "<form method=\"get\" action=\"/hours/certificate\" class=\"card no-print "
		    "cert-period\"><label>%T<input type=\"date\" name=\"from\" value=\"%s\" "
		    "required></label><label>%T<input type=\"date\" name=\"to\" value=\"%s\" "
		    "required></label>",
		    "hours.cert_period_from", f, "hours.cert_period_to", t);
	if (key)
		html_printf(&h, "<input type=\"hidden\" name=\"person\" value=\"%s\">", key);
	html_printf(&h, "<button type=\"submit\">%T</button></form>", "hours.cert_period");
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

/* ---- the points table and the targets ---- */

static int points_page(struct http_req *req, struct http_resp *resp, const char *err, int status)
{
	struct html h = {&resp->body, req->lang};
	json_t *all = NULL, *members, *m, *rules;
	size_t i;
	int year = year_param(req);
	int rc = hours_points_year(req->db, req->sess.area_id, year, &all);

	if (rc) {
		json_decref(all);
		return rc;
	}
	members = json_object_get(all, "members");
	rules = json_object_get(all, "rules");
	page_begin(req, &h, req_t(req, "hours.points_table"));
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T</h1><nav class=\"week-nav no-print\"><a "
	    "href=\"?year=%d\">← %d</a> <b>%d</b> <a href=\"?year=%d\">%d →</a></nav></div>",
	    "hours.points_table", year - 1, year - 1, year, year + 1, year + 1);
	if (req_query(req, "saved"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "hours.saved");
	form_error(&h, err);
	html_printf(
	    &h,
	    "<section class=\"card\"><h2>%T</h2><form method=\"post\" action=\"/hours/points\" "
	    "class=\"stack\"><input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
	    "hours.points_rules", req->sess.csrf ? req->sess.csrf : "");
	for (int k = 0; k < ITEM_COUNT; k++)
		html_printf(
		    &h,
		    "<label>%T<input name=\"%s\" type=\"number\" min=\"0\" max=\"100\" "
		    "value=\"%l\" inputmode=\"numeric\" required></label>",
		    arena_printf(req->arena, "hours.item.%s", hours_item_names[k]),
		    hours_item_names[k],
		    (int64_t)json_integer_value(json_object_get(rules, hours_item_names[k])));
	html_printf(
	    &h,
	    "<button type=\"submit\" class=\"primary\">%T</button></form></section>"
	    "<section class=\"card\"><h2>%T</h2><form method=\"post\" "
	    "action=\"/hours/targets\" class=\"stack\"><input type=\"hidden\" name=\"_csrf\" "
	    "value=\"%s\"><input type=\"hidden\" name=\"year\" value=\"%d\"><label>%T<select "
	    "name=\"member_id\"><option value=\"0\">%T</option>",
	    "hours.save", "hours.targets", req->sess.csrf ? req->sess.csrf : "", year,
	    "hours.target_for", "hours.in_post_all");
	json_array_foreach (members, i, m)
		html_printf(&h, "<option value=\"%l\">%s</option>",
			    (int64_t)json_integer_value(json_object_get(m, "member_id")),
			    json_string_value(json_object_get(m, "name")));
	html_printf(&h,
		    "</select></label><label>%T<input name=\"hours\" type=\"number\" min=\"0\" "
		    "max=\"1000\" inputmode=\"numeric\"></label><p class=\"muted\">%T</p>"
		    "<button type=\"submit\" class=\"primary\">%T</button></form>"
		    "<p id=\"in-post-target\">%T: <b>%s</b> %T</p></section>",
		    "hours.target_hours", "hours.target_hint", "hours.save", "hours.in_post_all",
		    h_of(req, json_integer_value(json_object_get(all, "in_post_target_minutes"))),
		    "hours.unit_hours");
	html_printf(&h,
		    "<div class=\"table-wrap\"><table class=\"rows\"><thead><tr><th>%T</th><th>%T"
		    "</th><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
		    "hours.name", "hours.year_served", "hours.target", "hours.progress",
		    "hours.points");
	json_array_foreach (members, i, m) {
		json_t *y = json_object_get(m, "year");
		int64_t served = json_integer_value(
		    json_object_get(json_object_get(y, "counts"), "hour_served"));
		int64_t target = json_integer_value(json_object_get(y, "target_minutes"));
		html_printf(&h,
			    "<tr id=\"member-%l\"><td><a href=\"/hours/people/%s\">%s</a>%R</td>"
			    "<td data-label=\"%T\">%s</td><td data-label=\"%T\">%s%R</td>"
			    "<td data-label=\"%T\">%d%%</td><td data-label=\"%T\">%l</td></tr>",
			    (int64_t)json_integer_value(json_object_get(m, "member_id")),
			    json_string_value(json_object_get(m, "person")),
			    json_string_value(json_object_get(m, "name")),
			    json_is_true(json_object_get(m, "in_post"))
				? arena_printf(req->arena, " <span class=\"tag\">%s</span>",
					       req_t(req, "hours.in_post"))
				: "",
			    "hours.year_served", h_of(req, served), "hours.target",
			    target ? h_of(req, target) : "—",
			    json_is_true(json_object_get(y, "target_own"))
				? arena_printf(req->arena, " <span class=\"muted\">(%s)</span>",
					       req_t(req, "hours.target_own"))
				: "",
			    "hours.progress",
			    (int)json_integer_value(json_object_get(y, "progress_percent")),
			    "hours.points",
			    (int64_t)json_integer_value(json_object_get(y, "total")));
	}
	html_printf(&h, "</tbody></table></div>");
	page_end(req, &h);
	json_decref(all);
	resp->status = status;
	return 0;
}

static int points(struct http_req *req, struct http_resp *resp)
{
	return points_page(req, resp, NULL, 200);
}

static int points_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t points[ITEM_COUNT];
	int rc;

	for (int i = 0; i < ITEM_COUNT; i++) {
		const char *v = req_form(req, hours_item_names[i]);
		if (!v || parse_int64(v, 0, 100, &points[i]))
			return points_page(req, resp, "hours.err.points", 422);
	}
	rc = hours_points_set(req->db, req->sess.area_id, req->sess.user_id, points);
	return rc ? rc : resp_redirect(req, resp, "/hours/points?saved=1");
}

static int targets_submit(struct http_req *req, struct http_resp *resp)
{
	const char *hours = req_form(req, "hours"), *member = req_form(req, "member_id");
	int64_t year, member_id = 0, h = -1;
	int rc;

	if (!req_form(req, "year") || parse_int64(req_form(req, "year"), 2000, 2100, &year))
		return points_page(req, resp, "hours.err.year", 422);
	if (member && *member && parse_int64(member, 0, INT64_MAX, &member_id))
		return points_page(req, resp, "hours.err.member", 422);
	if (hours && *hours && parse_int64(hours, 0, 1000, &h))
		return points_page(req, resp, "hours.err.target", 422);
	if (h < 0 && !member_id)
		return points_page(req, resp, "hours.err.target", 422);
	if (member_id && hours_member_live(req->db, req->sess.area_id, member_id))
		return points_page(req, resp, "hours.err.member", 422);
	rc = hours_target_set(req->db, req->sess.area_id, req->sess.user_id, member_id, (int)year,
			      h < 0 ? -1 : h * 60);
	return rc ? rc
		  : resp_redirect(
			req, resp,
			arena_printf(req->arena, "/hours/points?year=%d&saved=1", (int)year));
}

/* ---- the teams' growth ---- */

/* growth_chart draws one team's periods, narrow and wide. */
static int growth_chart(struct http_req *req, struct html *h, json_t *team)
{
	json_t *periods = json_object_get(team, "periods"), *p;
	const char *name = json_string_value(json_object_get(team, "team"));
	int64_t id = json_integer_value(json_object_get(team, "team_id"));
	const char *labels[HOURS_PERIODS_MAX];
	double in_team[HOURS_PERIODS_MAX], joined[HOURS_PERIODS_MAX], left[HOURS_PERIODS_MAX];
	int n = 0, rc;
	size_t i;

	json_array_foreach (periods, i, p) {
		if (n == HOURS_PERIODS_MAX)
			break;
		labels[n] = json_string_value(json_object_get(p, "label"));
		in_team[n] = (double)json_integer_value(json_object_get(p, "in_team"));
		joined[n] = (double)json_integer_value(json_object_get(p, "joined"));
		left[n] = (double)json_integer_value(json_object_get(p, "left"));
		n++;
	}
	if (!n)
		return 0;
	{
		struct svg_series series[3] = {
		    {req_t(req, "hours.in_team"), in_team, n, NULL},
		    {req_t(req, "hours.joined"), joined, n, NULL},
		    {req_t(req, "hours.left"), left, n, NULL},
		};
		const char *desc =
		    arena_printf(req->arena, "%s %s → %s: %.0f → %.0f", name, labels[0],
				 labels[n - 1], in_team[0], in_team[n - 1]);
		struct svg_chart narrow = {name,
					   desc,
					   arena_printf(req->arena, "growth-%" PRId64, id),
					   req_t(req, "hours.people_unit"),
					   0,
					   0,
					   360,
					   260,
					   1,
					   NULL,
					   0};
		struct svg_chart wide = narrow;

		wide.width = 760;
		wide.height = 300;
		wide.id = arena_printf(req->arena, "growth-w-%" PRId64, id);
		html_printf(h,
			    "<section class=\"card growth\" id=\"team-%l\"><h2>%s</h2><p>%T <b "
			    "class=\"growth-now\">%d</b></p><div class=\"st-chart st-narrow\">",
			    id, name, "hours.in_team_now", (int)in_team[n - 1]);
		rc = svg_bar_chart(h->out, &narrow, labels, n, series, 3);
		html_printf(h, "</div><div class=\"st-chart st-wide\">");
		if (!rc)
			rc = svg_bar_chart(h->out, &wide, labels, n, series, 3);
		html_printf(h, "</div></section>");
	}
	return rc;
}

static int teams_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *teams = NULL, *t;
	size_t i;
	int rc = hours_team_growth(req->db, req->sess.area_id, &teams);

	if (rc) {
		json_decref(teams);
		return rc;
	}
	page_begin(req, &h, req_t(req, "hours.teams"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1></div><p class=\"muted\">%T</p>",
		    "hours.teams", "hours.teams_hint");
	json_array_foreach (teams, i, t) {
		rc = growth_chart(req, &h, t);
		if (rc)
			break;
	}
	if (!json_array_size(teams))
		html_printf(&h, "<p class=\"empty\">%T</p>", "hours.no_teams");
	page_end(req, &h);
	json_decref(teams);
	resp->status = 200;
	return rc;
}

/* ---- CSV ---- */

static int export_csv(struct http_req *req, struct http_resp *resp)
{
	static const char *const head[] = {"id",   "day",	  "person", "name",
					   "kind", "minutes",	  "source", "source_id",
					   "note", "reverses_id", NULL};
	const char *from = req_query(req, "from"), *to = req_query(req, "to");
	json_t *rows = NULL, *e;
	size_t i;
	int y, m, d, rc;

	if ((from && parse_date(from, &y, &m, &d)) || (to && parse_date(to, &y, &m, &d)))
		return resp_error(req, resp, 400, "bad_request", "hours.err.period");
	rc = hours_entries_read(req->db, req->sess.area_id, NULL, from, to, &rows);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	for (int k = 0; head[k]; k++) {
		if (k)
			csv_add_sep(&resp->body);
		csv_add_field(&resp->body, head[k]);
	}
	csv_add_end(&resp->body);
	json_array_foreach (rows, i, e) {
		for (int k = 0; head[k]; k++) {
			json_t *v = json_object_get(e, head[k]);
			if (k)
				csv_add_sep(&resp->body);
			if (json_is_integer(v))
				buf_addf(&resp->body, "%" JSON_INTEGER_FORMAT,
					 json_integer_value(v));
			else if (json_is_string(v))
				csv_add_text(&resp->body, json_string_value(v));
		}
		csv_add_end(&resp->body);
	}
	json_decref(rows);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp_header(req, resp, "Content-Disposition", "attachment; filename=\"hours.csv\"");
	return resp->body.failed ? LIN_ENOMEM : 0;
}

const struct route hours_page_routes[] = {
    {"GET", "/hours", my_hours, PERM_SIGNED_IN, 0, NULL, 0},
    {"POST", "/hours/give", give_submit, PERM_SIGNED_IN, 0, NULL, 0},
    {"GET", "/hours/certificate", certificate, PERM_SIGNED_IN, 0, NULL, 0},
    {"GET", "/hours/people", people, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"GET", "/hours/people/:key", person, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"POST", "/hours/credit", credit_submit, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"POST", "/hours/entries/:id/reverse", reverse_submit, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"GET", "/hours/export.csv", export_csv, PERM_PEOPLE_WRITE, 0, NULL, 0},
    {"GET", "/hours/points", points, PERM_ORG_WRITE, 0, NULL, 0},
    {"POST", "/hours/points", points_submit, PERM_ORG_WRITE, 0, NULL, 0},
    {"POST", "/hours/targets", targets_submit, PERM_ORG_WRITE, 0, NULL, 0},
    {"GET", "/hours/teams", teams_page, PERM_TEAMS_READ, 0, NULL, 0},
    {NULL, NULL, NULL, 0, 0, NULL, 0},
};

const struct nav_item hours_nav[] = {
    {"/hours", "nav.hours", PERM_SIGNED_IN},
    {NULL, NULL, 0},
};

int hours_add_routes(struct router *r)
{
	int rc = router_add(r, hours_page_routes);

	return rc ? rc : router_add(r, hours_api_routes);
}
