/* The meetings' pages: the calendar, a new meeting, one meeting (agenda,
 * invitees and attendance, minutes, action items), the check-in screen
 * with its QR code, the member's check-in on a phone, the secretary's
 * view and the action items as CSV. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/multipart.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHOICES_MAX 500

const char *meeting_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

int64_t meeting_num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

void meeting_page_begin(struct http_req *req, struct http_resp *resp, struct html *h,
			const char *title)
{
	h->out = &resp->body;
	h->lang = req->lang;
	page_begin(req, h, title);
}

int meeting_page_end(struct http_req *req, struct http_resp *resp, struct html *h)
{
	page_end(req, h);
	resp->status = 200;
	return 0;
}

static const char *kind_key(struct http_req *req, const char *kind)
{
	char key[48];
	snprintf(key, sizeof(key), "meet.kind.%s", kind);
	return arena_strdup(req->arena, key);
}

/* when writes "YYYY-MM-DD HH:MM–HH:MM" of a meeting. */
void meeting_when(struct html *h, json_t *m)
{
	char day[11], from[6], to[6];
	meeting_day_text(meeting_num(m, "starts_at"), day);
	meeting_hhmm(meeting_num(m, "starts_at"), from);
	meeting_hhmm(meeting_num(m, "ends_at"), to);
	html_printf(h, "<time>%s %s–%s</time>", day, from, to);
}

/* options writes <option>s of registry rows (entity) with selected. */
static void options(struct http_req *req, struct html *h, const char *entity, int64_t selected)
{
	json_t *rows = NULL, *r;
	int more = 0;
	size_t i;

	if (registry_choices(req->db, entity, req->sess.area_id, NULL, CHOICES_MAX, &rows, &more)) {
		json_decref(rows);
		return;
	}
	json_array_foreach (rows, i, r)
		html_printf(h, "<option value=\"%l\"%R>%s</option>", meeting_num(r, "id"),
			    meeting_num(r, "id") == selected ? " selected" : "",
			    meeting_str(r, "title"));
	json_decref(rows);
}

/* ------------------------------------------------------------ calendar */

static int calendar(struct http_req *req, struct http_resp *resp)
{
	const char *month = req_query(req, "month");
	int writer = req_can(req, PERM_MEETINGS_WRITE);
	char this_month[11], prev[8], next[8];
	int64_t from, to, first_day, last_day;
	json_t *rows = NULL, *m;
	struct html h;
	int y, mo, d, wd;
	size_t i;

	meeting_day_text((int64_t)time(NULL), this_month);
	this_month[7] = '\0';
	if (!month || !*month)
		month = this_month;
	if (meeting_month_range(month, &from, &to))
		return resp_error(req, resp, 400, "bad_request", "meet.err.month");
	if (meeting_list(req->db, req->sess.area_id, from, to,
			 writer ? 0 : (req->sess.user_id ? req->sess.user_id : -1), &rows)) {
		json_decref(rows);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	first_day = lin_local_day(from, LIN_SHANGHAI_OFFSET);
	last_day = lin_local_day(to, LIN_SHANGHAI_OFFSET);
	lin_civil_from_days(first_day - 1, &y, &mo, &d);
	snprintf(prev, sizeof(prev), "%04u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u);
	lin_civil_from_days(last_day, &y, &mo, &d);
	snprintf(next, sizeof(next), "%04u-%02u", (unsigned)y % 10000u, (unsigned)mo % 100u);
	meeting_page_begin(req, resp, &h, req_t(req, "meet.calendar"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%T %s</h1><p class=\"actions no-print\">"
		    "<a class=\"button\" href=\"/meetings?month=%U\">‹ %s</a>"
		    "<a class=\"button\" href=\"/meetings?month=%U\">%s ›</a>"
		    "<a class=\"button\" href=\"/meetings/secretary\">%T</a>"
		    "<a class=\"button\" href=\"/checkin\">%T</a>",
		    "meet.calendar", month, prev, prev, next, next, "meet.secretary",
		    "meet.checkin");
	if (writer)
		html_printf(&h, "<a class=\"button primary\" href=\"/meetings/new\">%T</a>",
			    "meet.new");
	html_printf(&h, "</p></div>");
	/* The month as a grid, Monday first; on a phone the days without a
	 * meeting fold away (CSS) and the grid reads as a list. */
	html_printf(&h, "<div class=\"meet-cal\" role=\"list\"><div class=\"meet-cal-head\">");
	for (int k = 1; k <= 7; k++) {
		char key[24];
		snprintf(key, sizeof(key), "plaza.day.%d", k);
		html_printf(&h, "<span>%T</span>", key);
	}
	html_printf(&h, "</div>");
	wd = (int)(((first_day % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday: 0 = Monday */
	for (int k = 0; k < wd; k++)
		html_printf(&h, "<div class=\"meet-day pad\" aria-hidden=\"true\"></div>");
	for (int64_t day = first_day; day < last_day; day++) {
		int any = 0;
		lin_civil_from_days(day, &y, &mo, &d);
		json_array_foreach (rows, i, m)
			if (lin_local_day(meeting_num(m, "starts_at"), LIN_SHANGHAI_OFFSET) == day)
				any = 1;
		html_printf(
		    &h, "<div class=\"meet-day%R\" role=\"listitem\"><span class=\"dn\">%d</span>",
		    any ? " has" : "", d);
		json_array_foreach (rows, i, m) {
			char hhmm[6];
			if (lin_local_day(meeting_num(m, "starts_at"), LIN_SHANGHAI_OFFSET) != day)
				continue;
			meeting_hhmm(meeting_num(m, "starts_at"), hhmm);
			html_printf(
			    &h,
			    "<a class=\"meet-ev k-%s%R\" href=\"/meetings/%l\"><span>%s</span>"
			    " <b>%s</b> <small>%T</small></a>",
			    meeting_str(m, "kind"),
			    json_is_true(json_object_get(m, "cancelled")) ? " cancelled" : "",
			    meeting_num(m, "id"), hhmm, meeting_str(m, "title"),
			    json_is_true(json_object_get(m, "cancelled"))
				? "meet.cancelled"
				: kind_key(req, meeting_str(m, "kind")));
		}
		html_printf(&h, "</div>");
	}
	html_printf(&h, "</div>");
	if (!json_array_size(rows))
		html_printf(&h, "<p class=\"empty\">%T</p>",
			    writer ? "meet.none" : "meet.none_invited");
	json_decref(rows);
	return meeting_page_end(req, resp, &h);
}

/* ------------------------------------------------------------ new meeting */

static void new_form(struct http_req *req, struct html *h, const char *err_key)
{
	const char *kind = req_form(req, "kind");
	const char *body = req_form(req, "body");

	if (err_key)
		html_printf(h, "<p class=\"error\" role=\"alert\">%T</p>", err_key);
	html_printf(h, "<form method=\"post\" action=\"/meetings/new\" class=\"card stack\">");
	page_csrf_field(req, h);
	html_printf(h, "<label>%T <select name=\"kind\">", "meet.field.kind");
	for (const char *const *k = meeting_kinds; *k; k++)
		html_printf(h, "<option value=\"%s\"%R>%T</option>", *k,
			    kind && !strcmp(kind, *k) ? " selected" : "", kind_key(req, *k));
	html_printf(h, "</select></label><fieldset><legend>%T</legend>", "meet.field.body");
	static const char *const bodies[] = {"branch", "team", "joint"};
	for (int i = 0; i < 3; i++) {
		char key[32];
		snprintf(key, sizeof(key), "meet.body.%s", bodies[i]);
		html_printf(h,
			    "<label class=\"check\"><input type=\"radio\" name=\"body\" "
			    "value=\"%s\"%R> %T</label>",
			    bodies[i], (body ? !strcmp(body, bodies[i]) : i == 0) ? " checked" : "",
			    key);
	}
	html_printf(h, "<label>%T <select name=\"branch_id\"><option value=\"\">—</option>",
		    "meet.field.branch");
	options(req, h, "branches", req_form_id(req, "branch_id"));
	html_printf(
	    h, "</select></label><label>%T <select name=\"team_id\"><option value=\"\">—</option>",
	    "meet.field.team");
	options(req, h, "teams", req_form_id(req, "team_id"));
	html_printf(
	    h,
	    "</select></label></fieldset>"
	    "<label>%T <input name=\"title\" required maxlength=\"120\" value=\"%s\"></label>"
	    "<label>%T <input name=\"place\" maxlength=\"500\" value=\"%s\"></label>"
	    "<label>%T <input type=\"date\" name=\"date\" required value=\"%s\"></label>"
	    "<label>%T <input type=\"time\" name=\"start\" required value=\"%s\"></label>"
	    "<label>%T <input type=\"time\" name=\"end\" required value=\"%s\"></label>"
	    "<p class=\"hint\">%T</p>"
	    "<button class=\"primary\">%T</button></form>",
	    "meet.field.title", req_form(req, "title") ? req_form(req, "title") : "",
	    "meet.field.place", req_form(req, "place") ? req_form(req, "place") : "",
	    "meet.field.date", req_form(req, "date") ? req_form(req, "date") : "",
	    "meet.field.start", req_form(req, "start") ? req_form(req, "start") : "19:00",
	    "meet.field.end", req_form(req, "end") ? req_form(req, "end") : "21:00",
	    "meet.invite_hint", "meet.create");
}

static int new_page(struct http_req *req, struct http_resp *resp)
{
	struct html h;
	meeting_page_begin(req, resp, &h, req_t(req, "meet.new"));
	html_printf(&h, "<h1>%T</h1>", "meet.new");
	new_form(req, &h, NULL);
	return meeting_page_end(req, resp, &h);
}

static int new_submit(struct http_req *req, struct http_resp *resp)
{
	struct meeting_in in = {0};
	const char *field = NULL, *key = NULL;
	int64_t id = 0;
	int added = 0, rc = 0;
	struct html h;

	in.kind = req_form(req, "kind");
	in.body = req_form(req, "body");
	in.branch_id = req_form_id(req, "branch_id");
	in.team_id = req_form_id(req, "team_id");
	in.title = req_form(req, "title");
	in.place = req_form(req, "place");
	if (meeting_local_time(req_form(req, "date"), "00:00", &in.starts_at))
		key = "meet.err.date";
	else if (meeting_local_time(req_form(req, "date"), req_form(req, "start"), &in.starts_at))
		key = "meet.err.start";
	else if (meeting_local_time(req_form(req, "date"), req_form(req, "end"), &in.ends_at))
		key = "meet.err.end";
	else
		rc = meeting_create(req->db, &req->sess, req->sess.area_id, &in, &id, &field, &key);
	if (!key && rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	if (key) {
		meeting_page_begin(req, resp, &h, req_t(req, "meet.new"));
		html_printf(&h, "<h1>%T</h1>", "meet.new");
		new_form(req, &h, key);
		meeting_page_end(req, resp, &h);
		resp->status = 422;
		return 0;
	}
	/* The body's people are invited at once; a joint meeting's units and
	 * agencies are named on the meeting's page. */
	if (!strcmp(in.body, "branch"))
		meeting_invite(req->db, &req->sess, req->sess.area_id, id, "branch", in.branch_id,
			       0, &added);
	else if (!strcmp(in.body, "team"))
		meeting_invite(req->db, &req->sess, req->sess.area_id, id, "team", in.team_id, 0,
			       &added);
	return resp_redirect(req, resp, arena_printf(req->arena, "/meetings/%lld", (long long)id));
}

/* ------------------------------------------------------------ one meeting */

/* source_open: whether the reader may open what an agenda item came from
 * (its page checks again): no link leads an invitee to a closed door. */
static int source_open(struct http_req *req, json_t *item)
{
	const char *source = meeting_str(item, "source"), *link = meeting_str(item, "link");
	int64_t id = 0;
	char num_text[24];
	size_t n;

	if (!strcmp(source, "cases") || !strcmp(source, "reopened") || !strcmp(source, "rating"))
		return req_can(req, PERM_CASES_READ);
	if (!strcmp(source, "noise") || !strcmp(source, "plaza"))
		return req_can(req, PERM_NOISE_READ);
	if (!strcmp(source, "duty"))
		return req_can(req, PERM_TEAMS_WRITE);
	if (!strcmp(source, "action")) {
		/* "/meetings/ID#action-N": the earlier meeting must be the reader's. */
		if (strncmp(link, "/meetings/", 10))
			return 0;
		n = strcspn(link + 10, "#");
		if (n == 0 || n >= sizeof(num_text))
			return 0;
		memcpy(num_text, link + 10, n);
		num_text[n] = '\0';
		return !parse_int64(num_text, 1, INT64_MAX, &id) && meeting_visible(req, id);
	}
	return 1; /* staff's own link: a page of this site, which checks its reader */
}

static void agenda_section(struct http_req *req, struct html *h, json_t *m, int writer)
{
	json_t *items = NULL, *it;
	int64_t id = meeting_num(m, "id");
	size_t i;

	html_printf(h, "<section class=\"card meet-agenda\" id=\"agenda\"><h2>%T</h2>",
		    "meet.agenda");
	if (writer) {
		html_printf(
		    h, "<form method=\"post\" action=\"/meetings/%l/draft\" class=\"no-print\">",
		    id);
		page_csrf_field(req, h);
		html_printf(
		    h, "<button class=\"%R\">%T</button> <span class=\"hint\">%T</span></form>",
		    json_is_integer(json_object_get(m, "drafted_at")) ? "" : "primary",
		    json_is_integer(json_object_get(m, "drafted_at")) ? "meet.refresh"
								      : "meet.draft",
		    json_is_integer(json_object_get(m, "drafted_at")) ? "meet.refresh_hint"
								      : "meet.draft_hint");
	}
	if (agenda_items(req->db, id, &items) || !json_array_size(items)) {
		html_printf(h, "<p class=\"empty\">%T</p>", "meet.agenda_empty");
	} else {
		html_printf(h, "<ol class=\"agenda\">");
		json_array_foreach (items, i, it) {
			char src[40];
			snprintf(src, sizeof(src), "meet.source.%s", meeting_str(it, "source"));
			html_printf(
			    h,
			    "<li id=\"item-%l\" class=\"src-%s\"><p class=\"ai-head\"><b>%s</b> "
			    "<span class=\"badge\">%T</span>",
			    meeting_num(it, "id"), meeting_str(it, "source"),
			    meeting_str(it, "title"), src);
			if (*meeting_str(it, "link") && source_open(req, it))
				html_printf(h, " <a href=\"%s\">%T</a>", meeting_str(it, "link"),
					    "meet.open_source");
			if (json_is_true(json_object_get(it, "edited")))
				html_printf(h, " <span class=\"muted\">%T</span>", "meet.edited");
			html_printf(h, "</p>");
			if (*meeting_str(it, "detail"))
				html_printf(h, "<p class=\"ai-detail\">%s</p>",
					    meeting_str(it, "detail"));
			if (writer) {
				/* Move and delete in one tap; the text behind "edit". */
				html_printf(
				    h,
				    "<div class=\"ai-tools no-print\"><form method=\"post\" "
				    "action=\"/meetings/%l/agenda/%l\" class=\"actions\">",
				    id, meeting_num(it, "id"));
				page_csrf_field(req, h);
				html_printf(
				    h,
				    "<button name=\"op\" value=\"up\" aria-label=\"%T\">↑</button>"
				    "<button name=\"op\" value=\"down\" "
				    "aria-label=\"%T\">↓</button>"
				    "<button name=\"op\" value=\"delete\" "
				    "class=\"danger\">%T</button>"
				    "</form><details><summary>%T</summary><form method=\"post\" "
				    "action=\"/meetings/%l/agenda/%l\" class=\"stack\">",
				    "meet.up", "meet.down", "meet.delete", "meet.edit", id,
				    meeting_num(it, "id"));
				page_csrf_field(req, h);
				html_printf(
				    h,
				    "<label>%T <input name=\"title\" value=\"%s\" "
				    "maxlength=\"120\">"
				    "</label><label>%T <textarea name=\"detail\" rows=\"3\" "
				    "maxlength=\"500\">%s</textarea></label><button name=\"op\" "
				    "value=\"save\" "
				    "class=\"primary\">%T</button></form></details></div>",
				    "meet.field.title", meeting_str(it, "title"),
				    "meet.field.detail", meeting_str(it, "detail"), "common.save");
			}
			html_printf(h, "</li>");
		}
		html_printf(h, "</ol>");
	}
	json_decref(items);
	if (writer) {
		html_printf(h,
			    "<form method=\"post\" action=\"/meetings/%l/agenda\" class=\"stack "
			    "no-print\">",
			    id);
		page_csrf_field(req, h);
		html_printf(
		    h,
		    "<h3>%T</h3><label>%T <input name=\"title\" maxlength=\"120\" required></label>"
		    "<label>%T <textarea name=\"detail\" rows=\"2\" "
		    "maxlength=\"500\"></textarea></label>"
		    "<button>%T</button></form>",
		    "meet.add_item", "meet.field.title", "meet.field.detail", "meet.add");
	}
	html_printf(h, "</section>");
}

static void status_select(struct html *h, const char *status)
{
	static const char *const states[] = {"present", "excused", "absent"};
	html_printf(h, "<select name=\"status\" aria-label=\"%T\">", "meet.attendance");
	for (int i = 0; i < 3; i++) {
		char key[32];
		snprintf(key, sizeof(key), "meet.status.%s", states[i]);
		html_printf(h, "<option value=\"%s\"%R>%T</option>", states[i],
			    !strcmp(status, states[i]) ? " selected" : "", key);
	}
	html_printf(h, "</select>");
}

static void attendance_section(struct http_req *req, struct html *h, json_t *m, int writer)
{
	json_t *rows = NULL, *r;
	int64_t id = meeting_num(m, "id"), mine = 0;
	int held = meeting_num(m, "starts_at") <= (int64_t)time(NULL);
	int present = 0;
	size_t i;

	if (!writer) {
		/* A member sees their own line, never the others'. */
		meeting_invitee_of(req->db, id, req->sess.user_id, &mine);
		if (meeting_invitees(req->db, id, &rows)) {
			json_decref(rows);
			return;
		}
		json_array_foreach (rows, i, r)
			if (meeting_num(r, "id") == mine) {
				char key[32];
				snprintf(key, sizeof(key), "meet.status.%s",
					 *meeting_str(r, "status") ? meeting_str(r, "status")
								   : "none");
				html_printf(h, "<section class=\"card\"><h2>%T</h2><p>%T</p>",
					    "meet.my_attendance", key);
				if (!*meeting_str(r, "status"))
					html_printf(h,
						    "<p><a class=\"button primary\" "
						    "href=\"/checkin\">%T</a></p>",
						    "meet.checkin");
				html_printf(h, "</section>");
			}
		json_decref(rows);
		return;
	}
	if (meeting_invitees(req->db, id, &rows)) {
		json_decref(rows);
		return;
	}
	json_array_foreach (rows, i, r)
		present += !strcmp(meeting_str(r, "status"), "present");
	html_printf(h, "<section class=\"card\" id=\"attendance\"><h2>%T</h2><p>%T %d / %d</p>",
		    "meet.invitees", "meet.present_of", present, (int)json_array_size(rows));
	if (!held)
		html_printf(h, "<p class=\"hint\">%T</p>", "meet.not_held_hint");
	/* A branch's whole membership is long: the list folds, the count shows. */
	html_printf(h, "<details%R><summary>%T (%d)</summary>",
		    json_array_size(rows) <= 12 ? " open" : "", "meet.list",
		    (int)json_array_size(rows));
	html_printf(
	    h,
	    "<table "
	    "class=\"rows\"><thead><tr><th>%T</th><th>%T</th><th>%T</th></tr></thead><tbody>",
	    "meet.name", "meet.attendance", "meet.checked_in");
	json_array_foreach (rows, i, r) {
		char hhmm[6] = "";
		if (json_is_integer(json_object_get(r, "checked_in_at")))
			meeting_hhmm(meeting_num(r, "checked_in_at"), hhmm);
		html_printf(h, "<tr><td>%s</td><td data-label=\"%T\">", meeting_str(r, "name"),
			    "meet.attendance");
		if (held) {
			html_printf(h,
				    "<form method=\"post\" action=\"/meetings/%l/attendance\" "
				    "class=\"inline\">",
				    id);
			page_csrf_field(req, h);
			html_printf(h, "<input type=\"hidden\" name=\"invitee_id\" value=\"%l\">",
				    meeting_num(r, "id"));
			status_select(h, meeting_str(r, "status"));
			html_printf(h,
				    "<input name=\"reason\" value=\"%s\" aria-label=\"%T\" "
				    "placeholder=\"%T\" "
				    "maxlength=\"500\"><button>%T</button></form>",
				    meeting_str(r, "reason"), "meet.reason", "meet.reason",
				    "common.save");
		} else {
			html_printf(h, "—");
		}
		html_printf(h, "</td><td data-label=\"%T\">%s</td></tr>", "meet.checked_in", hhmm);
	}
	html_printf(h, "</tbody></table></details>");
	html_printf(
	    h, "<form method=\"post\" action=\"/meetings/%l/invite\" class=\"stack no-print\">",
	    id);
	page_csrf_field(req, h);
	html_printf(h,
		    "<h3>%T</h3><label>%T <select name=\"kind\">"
		    "<option value=\"branch\">%T</option><option value=\"team\">%T</option>"
		    "<option value=\"member\">%T</option><option value=\"unit\">%T</option>"
		    "<option value=\"user\">%T</option></select></label>"
		    "<label>%T <input name=\"id\" inputmode=\"numeric\" required></label>"
		    "<label>%T <input name=\"user_id\" inputmode=\"numeric\"></label>"
		    "<p class=\"hint\">%T</p><button>%T</button></form></section>",
		    "meet.invite", "meet.invite_kind", "meet.body.branch", "meet.body.team",
		    "meet.invite.member", "meet.invite.unit", "meet.invite.user", "meet.invite_id",
		    "meet.invite_user_id", "meet.invite_id_hint", "meet.invite");
	json_decref(rows);
}

/* photo_ext_of: the file extension the photo's mime is stored under. */
static const char *photo_ext_of(const char *mime)
{
	return !strcmp(mime, "image/png") ? "png" : !strcmp(mime, "image/webp") ? "webp" : "jpg";
}

/* photos_block: the meeting's photos (behind the minutes' door: the caller
 * checked), each its view copy linking to the original; staff add more. */
static void photos_block(struct http_req *req, struct html *h, json_t *m, int writer)
{
	json_t *rows = NULL, *p;
	int64_t id = meeting_num(m, "id");
	size_t i;

	if (!meeting_photos(req->db, id, &rows) && json_array_size(rows)) {
		html_printf(h, "<h3>%T</h3><div class=\"meet-photos\">", "meet.photos");
		json_array_foreach (rows, i, p) {
			const char *file =
			    arena_printf(req->arena, "%s.%s", meeting_str(p, "sha256"),
					 photo_ext_of(meeting_str(p, "mime")));
			html_printf(
			    h,
			    "<a href=\"/meetings/%l/photos/%s\"><img src=\"/meetings/%l/views/%s\" "
			    "alt=\"%T %d\" loading=\"lazy\"></a>",
			    id, file, id, file, "meet.photo", (int)i + 1);
		}
		html_printf(h, "</div>");
	}
	json_decref(rows);
	if (!writer)
		return;
	html_printf(h,
		    "<form method=\"post\" action=\"/meetings/%l/photos\" "
		    "enctype=\"multipart/form-data\" class=\"stack no-print\">",
		    id);
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input type=\"file\" name=\"photo\" accept=\"image/jpeg,image/png,"
		    "image/webp\" multiple required></label><button>%T</button></form>",
		    "meet.add_photos", "meet.upload");
}

static void minutes_section(struct http_req *req, struct html *h, json_t *m, int writer)
{
	if (!meeting_minutes_visible(req, m))
		return;
	html_printf(h, "<section class=\"card\" id=\"minutes\"><h2>%T</h2>", "meet.minutes");
	if (writer) {
		html_printf(
		    h, "<form method=\"post\" action=\"/meetings/%l/minutes\" class=\"stack\">",
		    meeting_num(m, "id"));
		page_csrf_field(req, h);
		html_printf(h,
			    "<textarea name=\"minutes\" rows=\"8\" aria-label=\"%T\" "
			    "maxlength=\"20000\">%s</textarea>"
			    "<button>%T</button></form>",
			    "meet.minutes", meeting_str(m, "minutes"), "common.save");
	} else if (*meeting_str(m, "minutes")) {
		html_printf(h, "<div class=\"minutes\">%s</div>", meeting_str(m, "minutes"));
	} else {
		html_printf(h, "<p class=\"empty\">%T</p>", "meet.minutes_none");
	}
	photos_block(req, h, m, writer);
	html_printf(h, "</section>");
}

static void actions_section(struct http_req *req, struct html *h, json_t *m, int writer)
{
	json_t *rows = NULL, *a;
	int64_t id = meeting_num(m, "id");
	char today[11];
	size_t i;

	if (!writer)
		return;
	meeting_day_text((int64_t)time(NULL), today);
	html_printf(h, "<section class=\"card\" id=\"actions\"><h2>%T</h2>", "meet.actions");
	if (action_list(req->db, req->sess.area_id, id, NULL, &rows) || !json_array_size(rows))
		html_printf(h, "<p class=\"empty\">%T</p>", "meet.actions_none");
	else {
		html_printf(h,
			    "<table "
			    "class=\"rows\"><thead><tr><th>%T</th><th>%T</th><th>%T</th><th>%T</"
			    "th></tr></thead><tbody>",
			    "meet.field.title", "meet.owner", "meet.due_on", "meet.state");
		json_array_foreach (rows, i, a) {
			char key[32];
			int late = !strcmp(meeting_str(a, "state"), "open") &&
				   strcmp(meeting_str(a, "due_on"), today) < 0;
			snprintf(key, sizeof(key), "meet.action.%s", meeting_str(a, "state"));
			html_printf(h,
				    "<tr id=\"action-%l\"><td>%s</td><td data-label=\"%T\">%s</td>"
				    "<td data-label=\"%T\">%s%R</td><td data-label=\"%T\">",
				    meeting_num(a, "id"), meeting_str(a, "title"), "meet.owner",
				    meeting_str(a, "owner"), "meet.due_on",
				    meeting_str(a, "due_on"),
				    late ? arena_printf(req->arena,
							" <span class=\"badge overdue\">%s</span>",
							req_t(req, "meet.late"))
					 : "",
				    "meet.state");
			html_printf(h,
				    "<form method=\"post\" action=\"/meetings/actions/%l\" "
				    "class=\"inline\">",
				    meeting_num(a, "id"));
			page_csrf_field(req, h);
			html_printf(h, "<select name=\"state\" aria-label=\"%T\">", "meet.state");
			static const char *const states[] = {"open", "done", "dropped"};
			for (int k = 0; k < 3; k++) {
				char sk[32];
				snprintf(sk, sizeof(sk), "meet.action.%s", states[k]);
				html_printf(
				    h, "<option value=\"%s\"%R>%T</option>", states[k],
				    !strcmp(states[k], meeting_str(a, "state")) ? " selected" : "",
				    sk);
			}
			html_printf(
			    h,
			    "</select><input name=\"reason\" value=\"%s\" aria-label=\"%T\" "
			    "placeholder=\"%T\"><button>%T</button></form></td></tr>",
			    meeting_str(a, "reason"), "meet.drop_reason", "meet.drop_reason",
			    "common.save");
		}
		html_printf(h, "</tbody></table>");
	}
	json_decref(rows);
	html_printf(
	    h, "<form method=\"post\" action=\"/meetings/%l/actions\" class=\"stack no-print\">",
	    id);
	page_csrf_field(req, h);
	html_printf(h,
		    "<h3>%T</h3><label>%T <input name=\"title\" required maxlength=\"120\"></label>"
		    "<label>%T <select name=\"owner_member_id\"><option value=\"\">—</option>",
		    "meet.add_action", "meet.field.title", "meet.owner_member");
	options(req, h, "members", 0);
	html_printf(h,
		    "</select></label><label>%T <select name=\"owner_team_id\"><option "
		    "value=\"\">—</option>",
		    "meet.owner_team");
	options(req, h, "teams", 0);
	html_printf(
	    h,
	    "</select></label><label>%T <input type=\"date\" name=\"due_on\" required></label>"
	    "<button>%T</button></form></section>",
	    "meet.due_on", "meet.add");
}

/* change_forms: move a meeting still ahead, or call it off with a reason. */
static void change_forms(struct http_req *req, struct html *h, json_t *m)
{
	char day[11], start[6], end[6];

	meeting_day_text(meeting_num(m, "starts_at"), day);
	meeting_hhmm(meeting_num(m, "starts_at"), start);
	meeting_hhmm(meeting_num(m, "ends_at"), end);
	html_printf(h,
		    "<details class=\"card fold no-print\"><summary class=\"button\">%T</summary>"
		    "<form method=\"post\" action=\"/meetings/%l/reschedule\" class=\"stack\">",
		    "meet.change", meeting_num(m, "id"));
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input type=\"date\" name=\"date\" value=\"%s\" required></label>"
		    "<label>%T <input type=\"time\" name=\"start\" value=\"%s\" required></label>"
		    "<label>%T <input type=\"time\" name=\"end\" value=\"%s\" required></label>"
		    "<label>%T <input name=\"place\" value=\"%s\" maxlength=\"200\"></label>"
		    "<button>%T</button></form>"
		    "<form method=\"post\" action=\"/meetings/%l/cancel\" class=\"stack\">",
		    "meet.field.date", day, "meet.field.start", start, "meet.field.end", end,
		    "meet.field.place", meeting_str(m, "place"), "meet.reschedule",
		    meeting_num(m, "id"));
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input name=\"reason\" required maxlength=\"200\"></label>"
		    "<button class=\"danger\">%T</button></form></details>",
		    "meet.cancel_reason", "meet.cancel");
}

static int meeting_page(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int writer = req_can(req, PERM_MEETINGS_WRITE);
	json_t *m = NULL;
	struct html h;

	if (!id || !meeting_visible(req, id) || meeting_get(req->db, req->sess.area_id, id, &m))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	meeting_page_begin(req, resp, &h, meeting_str(m, "title"));
	html_printf(&h,
		    "<div class=\"page-head\"><h1>%s</h1><p class=\"meet-meta\"><span "
		    "class=\"badge\">%T</span> ",
		    meeting_str(m, "title"), kind_key(req, meeting_str(m, "kind")));
	meeting_when(&h, m);
	if (*meeting_str(m, "place"))
		html_printf(&h, " · %s", meeting_str(m, "place"));
	if (*meeting_str(m, "body_name"))
		html_printf(&h, " · %s", meeting_str(m, "body_name"));
	html_printf(&h, "</p>");
	if (writer)
		html_printf(&h,
			    "<p class=\"actions no-print\"><a class=\"button\" "
			    "href=\"/meetings/%l/screen\">%T</a>"
			    "<button type=\"button\" data-print>%T</button></p>",
			    id, "meet.screen", "meet.print");
	html_printf(&h, "</div>");
	if (json_is_true(json_object_get(m, "cancelled")))
		html_printf(&h, "<p class=\"notice meet-cancelled\" role=\"status\">%T %s</p>",
			    "meet.cancelled_because", meeting_str(m, "cancel_reason"));
	else if (writer && meeting_num(m, "starts_at") > (int64_t)time(NULL))
		change_forms(req, &h, m);
	agenda_section(req, &h, m, writer);
	attendance_section(req, &h, m, writer);
	minutes_section(req, &h, m, writer);
	actions_section(req, &h, m, writer);
	json_decref(m);
	return meeting_page_end(req, resp, &h);
}

/* back: to the meeting's section after a form. */
int meeting_back(struct http_req *req, struct http_resp *resp, int64_t id, const char *anchor)
{
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/meetings/%lld#%s", (long long)id, anchor));
}

int meeting_refused(struct http_req *req, struct http_resp *resp, int rc, const char *key)
{
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "conflict", "meet.err.not_held");
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", key ? key : "meet.err.text");
	return resp_error(req, resp, 500, "internal", "err.internal");
}

/* change_refused: a reschedule or cancel refused, said plainly. */
static int change_refused(struct http_req *req, struct http_resp *resp, int rc, const char *key)
{
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", key ? key : "meet.err.cancel_reason");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 409, "cancelled", "meet.err.cancelled");
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "begun", "meet.err.begun");
	return meeting_refused(req, resp, rc, NULL);
}

static int reschedule_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0), starts = 0, ends = 0;
	const char *field = NULL, *key = NULL, *date = req_form(req, "date");
	int rc = LIN_EINVAL;

	if (meeting_local_time(date, "00:00", &starts))
		key = "meet.err.date";
	else if (meeting_local_time(date, req_form(req, "start"), &starts))
		key = "meet.err.start";
	else if (meeting_local_time(date, req_form(req, "end"), &ends))
		key = "meet.err.end";
	else
		rc = meeting_reschedule(req->db, &req->sess, req->sess.area_id, id,
					req_form(req, "place"), starts, ends, (int64_t)time(NULL),
					&field, &key);
	return rc ? change_refused(req, resp, rc, key) : meeting_back(req, resp, id, "top");
}

static int cancel_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int rc = meeting_cancel(req->db, &req->sess, req->sess.area_id, id, req_form(req, "reason"),
				(int64_t)time(NULL));
	return rc ? change_refused(req, resp, rc, NULL) : meeting_back(req, resp, id, "top");
}

static int draft_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	int added = 0;
	int rc = meeting_draft(req->db, &req->sess, req->sess.area_id, id, (int64_t)time(NULL),
			       req->lang, &added);
	return rc ? meeting_refused(req, resp, rc, NULL) : meeting_back(req, resp, id, "agenda");
}

static int agenda_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *title = req_form(req, "title"), *detail = req_form(req, "detail");
	const char *field = NULL, *key = NULL;
	int rc;

	if (agenda_item_check(title, detail, NULL, &field, &key))
		return meeting_refused(req, resp, LIN_EINVAL, key);
	rc = agenda_add(req->db, &req->sess, req->sess.area_id, id, title, detail, "staff", NULL,
			NULL, NULL);
	return rc ? meeting_refused(req, resp, rc, NULL) : meeting_back(req, resp, id, "agenda");
}

static int agenda_item_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *op = req_form(req, "op");
	int rc;

	if (!op)
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.op");
	rc = agenda_edit(req->db, &req->sess, req->sess.area_id, id, req_param_id(req, 1), op,
			 req_form(req, "title"), req_form(req, "detail"));
	return rc ? meeting_refused(req, resp, rc,
				    !strcmp(op, "save") ? "meet.err.title" : "meet.err.op")
		  : meeting_back(req, resp, id, "agenda");
}

static int invite_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *kind = req_form(req, "kind");
	int added = 0, rc;

	if (!kind)
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.invite_kind");
	rc = meeting_invite(req->db, &req->sess, req->sess.area_id, id, kind,
			    req_form_id(req, "id"), req_form_id(req, "user_id"), &added);
	if (rc == LIN_ENOTFOUND)
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.invite_who");
	return rc ? meeting_refused(req, resp, rc, "meet.err.invite_kind")
		  : meeting_back(req, resp, id, "attendance");
}

static int attendance_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *status = req_form(req, "status"), *reason = req_form(req, "reason");
	int rc;

	if (!attendance_status_valid(status))
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.status");
	if (!strcmp(status, "excused") && !meeting_text_ok(reason, 1, MEETING_TEXT_MAX))
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.excuse_reason");
	rc = attendance_set(req->db, &req->sess, req->sess.area_id, id,
			    req_form_id(req, "invitee_id"), status, reason ? reason : "",
			    (int64_t)time(NULL));
	if (rc == LIN_ENOTFOUND)
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.invitee");
	return rc ? meeting_refused(req, resp, rc, NULL)
		  : meeting_back(req, resp, id, "attendance");
}

static int minutes_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	const char *minutes = req_form(req, "minutes");
	int rc;

	if (!meeting_text_ok(minutes, 0, MEETING_MINUTES_MAX))
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.minutes");
	rc = meeting_minutes_set(req->db, &req->sess, req->sess.area_id, id, minutes);
	return rc ? meeting_refused(req, resp, rc, NULL) : meeting_back(req, resp, id, "minutes");
}

static int action_submit(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0), aid = 0;
	const char *field = NULL, *key = NULL;
	struct action_in in = {
	    .title = req_form(req, "title"),
	    .owner_member_id = req_form_id(req, "owner_member_id"),
	    .owner_team_id = req_form_id(req, "owner_team_id"),
	    .due_on = req_form(req, "due_on"),
	};
	int rc = action_create(req->db, &req->sess, req->sess.area_id, id, &in, &aid, &field, &key);
	return rc ? meeting_refused(req, resp, rc, key) : meeting_back(req, resp, id, "actions");
}

static int action_state_submit(struct http_req *req, struct http_resp *resp)
{
	const char *field = NULL, *key = NULL;
	struct action_change c = {.state = req_form(req, "state"),
				  .reason = req_form(req, "reason")};
	int64_t aid = req_param_id(req, 0), meeting = 0;
	char today[11];
	int rc;

	meeting_day_text((int64_t)time(NULL), today);
	if (!c.state)
		return meeting_refused(req, resp, LIN_EINVAL, "meet.err.action_state");
	rc = action_update(req->db, &req->sess, req->sess.area_id, aid, &c, today, &field, &key);
	if (rc)
		return meeting_refused(req, resp, rc, key);
	db_query_int64(req->db, "SELECT meeting_id FROM action_items WHERE id = ?", &meeting, 1,
		       aid);
	return meeting_back(req, resp, meeting, "actions");
}

const struct nav_item meetings_nav[] = {
    {"/meetings", "nav.meetings", PERM_SIGNED_IN},
    {NULL, NULL, 0},
};

int meetings_page_routes(struct router *r, const struct cases_uploads *up)
{
	const struct route routes[] = {
	    {"GET", "/meetings", calendar, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/meetings/new", new_page, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/new", new_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"GET", "/meetings/secretary", meetings_secretary_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/meetings/actions.csv", meetings_actions_csv, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/actions/:id", action_state_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"GET", "/meetings/:id", meeting_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"GET", "/meetings/:id/screen", meetings_screen_page, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/draft", draft_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/agenda", agenda_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/agenda/:item", agenda_item_submit, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {"POST", "/meetings/:id/invite", invite_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/attendance", attendance_submit, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {"POST", "/meetings/:id/minutes", minutes_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/reschedule", reschedule_submit, PERM_MEETINGS_WRITE, 0, NULL,
	     0},
	    {"POST", "/meetings/:id/cancel", cancel_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/actions", action_submit, PERM_MEETINGS_WRITE, 0, NULL, 0},
	    {"POST", "/meetings/:id/photos", meetings_photos_submit, PERM_MEETINGS_WRITE,
	     ROUTE_NO_CSRF | ROUTE_UPLOAD, up, 0},
	    {"GET", "/meetings/:id/photos/:file", meetings_photo_file, PERM_SIGNED_IN, 0, up, 0},
	    {"GET", "/meetings/:id/views/:file", meetings_photo_view_file, PERM_SIGNED_IN, 0, up,
	     0},
	    {"GET", "/checkin", meetings_checkin_page, PERM_SIGNED_IN, 0, NULL, 0},
	    {"POST", "/checkin", meetings_checkin_submit, PERM_SIGNED_IN, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}

int meetings_add_routes(struct router *r, const struct cases_uploads *up)
{
	int rc = meetings_page_routes(r, up);
	return rc ? rc : meetings_api_routes(r);
}
