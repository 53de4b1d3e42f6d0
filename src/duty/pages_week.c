/* The week (/duty/week): the roster with its open places and why, staff's
 * hand edits and weather notes; its A4 print for the notice board, one
 * sheet per station or route (/duty/week/print), and its CSV
 * (/duty/week.csv). A volunteer sees the week of a station they hold a
 * shift at, without others' check-in times (duty_week_scope). */
#include "internal.h"
#include "web.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void person_list(struct http_req *req, struct html *h, json_t *shift, int staff,
			const char *monday)
{
	size_t k;
	json_t *p;

	html_printf(h, "<ul class=\"duty-people\">");
	json_array_foreach (json_object_get(shift, "people"), k, p) {
		html_printf(h, "<li>%s%s", duty_text(req, p, "name"),
			    json_is_true(json_object_get(p, "trained")) ? " ★" : "");
		if (staff && json_is_integer(json_object_get(p, "checkin_at")))
			html_printf(h, " <span class=\"badge ok\">%T</span>", "duty.checked_in");
		if (staff && !json_is_integer(json_object_get(p, "checkin_at"))) {
			html_printf(h,
				    " <form method=\"post\" action=\"/duty/assignments/%s/delete\" "
				    "class=\"inline no-print\">",
				    duty_text(req, p, "assignment_id"));
			page_csrf_field(req, h);
			html_printf(h,
				    "<input type=\"hidden\" name=\"week\" value=\"%s\"><button "
				    "class=\"link\" aria-label=\"%T\">×</button></form>",
				    monday, "duty.remove");
		}
		html_printf(h, "</li>");
	}
	html_printf(h, "</ul>");
}

int duty_week_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	char monday[11], prev[11], next[11], kind;
	int64_t place;
	int answered, staff = duty_is_staff(req);
	json_t *week = NULL, *s;
	size_t k;
	int rc = duty_week_scope(req, resp, monday, &kind, &place, &answered);

	if (answered)
		return rc;
	if (duty_week_json(req->db, req->sess.area_id, monday, kind, place, &week))
		return duty_internal(req, resp);
	duty_day_add(monday, -7, prev);
	duty_day_add(monday, 7, next);
	page_begin(req, &h, req_t(req, "duty.week"));
	/* One station's week: its name heads the page instead of a column. */
	const char *where =
	    kind ? duty_text(req, json_array_get(json_object_get(week, "shifts"), 0), "where") : "";
	if (*where)
		html_printf(&h, "<p class=\"duty-where\">%s</p>", where);
	html_printf(
	    &h,
	    "<div class=\"page-head\"><h1>%T %s</h1><nav class=\"week-nav\">"
	    "<a href=\"/duty/week?week=%s%s%s\">← %T</a> <a href=\"/duty/week?week=%s%s%s\">%T "
	    "→</a></nav></div>",
	    "duty.week", monday, prev, kind ? (kind == 's' ? "&station=" : "&route=") : "",
	    kind ? arena_printf(req->arena, "%lld", (long long)place) : "", "duty.prev", next,
	    kind ? (kind == 's' ? "&station=" : "&route=") : "",
	    kind ? arena_printf(req->arena, "%lld", (long long)place) : "", "duty.next");
	if (json_is_integer(json_object_get(week, "published_at")))
		html_printf(&h, "<p class=\"notice duty-state\">%T</p>", "duty.published");
	else if (json_is_integer(json_object_get(week, "planned_at")))
		html_printf(&h, "<p class=\"notice duty-state\">%T</p>", "duty.draft");
	if (staff) {
		html_printf(&h, "<div class=\"actions no-print\">");
		static const char *const acts[][2] = {{"generate", "duty.generate"},
						      {"plan", "duty.plan"},
						      {"publish", "duty.publish"}};
		for (int a = 0; a < 3; a++) {
			html_printf(
			    &h, "<form method=\"post\" action=\"/duty/week/%s\" class=\"inline\">",
			    acts[a][0]);
			page_csrf_field(req, &h);
			html_printf(&h,
				    "<input type=\"hidden\" name=\"week\" value=\"%s\"><button%s>%T"
				    "</button></form> ",
				    monday, a == 2 ? " class=\"primary\"" : "", acts[a][1]);
		}
		html_printf(&h,
			    "<a class=\"button\" href=\"/duty/week/print?week=%s\">%T</a> "
			    "<a class=\"button\" href=\"/duty/week.csv?week=%s\">CSV</a></div>",
			    monday, "duty.print", monday);
	}
	if (!json_array_size(json_object_get(week, "shifts")))
		html_printf(&h, "<p class=\"empty\">%T</p>", "duty.no_shifts");
	else
		html_printf(
		    &h,
		    "<div class=\"table-wrap\"><table class=\"duty-week%s\"><thead><tr>"
		    "<th class=\"where\">%T</th><th>%T</th><th>%T</th><th>%T</th><th>%T</th></tr>"
		    "</thead><tbody>",
		    kind ? " one-place" : "", "duty.where", "duty.day", "duty.field.time",
		    "duty.people", "duty.unfilled");
	json_array_foreach (json_object_get(week, "shifts"), k, s) {
		html_printf(
		    &h,
		    "<tr id=\"shift-%s\"%s><td class=\"where\">%s</td><td class=\"nowrap\">%s"
		    "</td><td class=\"nowrap\">%s–%s</td><td>",
		    duty_text(req, s, "id"), duty_num(s, "missing") ? " class=\"short\"" : "",
		    duty_text(req, s, "where"), duty_text(req, s, "day"),
		    duty_text(req, s, "start"), duty_text(req, s, "end"));
		person_list(req, &h, s, staff, monday);
		if (*duty_text(req, s, "weather"))
			html_printf(&h, "<p class=\"weather\">☂ %s</p>",
				    duty_text(req, s, "weather"));
		html_printf(&h, "</td><td>");
		if (duty_num(s, "missing"))
			html_printf(&h,
				    "<span class=\"badge short\">%T %s</span> <small>%s</small>",
				    "duty.missing", duty_text(req, s, "missing"),
				    duty_in_lang(req, duty_text(req, s, "reason")));
		if (staff) {
			html_printf(&h,
				    "<details class=\"no-print\"><summary>%T</summary>"
				    "<form method=\"post\" action=\"/duty/assignments\">",
				    "duty.edit");
			page_csrf_field(req, &h);
			html_printf(
			    &h,
			    "<input type=\"hidden\" name=\"week\" value=\"%s\"><input "
			    "type=\"hidden\" name=\"shift_id\" value=\"%s\"><label>%T <input "
			    "name=\"volunteer_id\" inputmode=\"numeric\" required></label> "
			    "<button>%T</button></form><form method=\"post\" "
			    "action=\"/duty/shifts/%s/note\">",
			    monday, duty_text(req, s, "id"), "duty.field.volunteer_id",
			    "duty.assign", duty_text(req, s, "id"));
			page_csrf_field(req, &h);
			html_printf(
			    &h,
			    "<input type=\"hidden\" name=\"week\" value=\"%s\"><label>%T "
			    "<input name=\"weather\" value=\"%s\"></label> <button>%T</button>"
			    "</form></details>",
			    monday, "duty.weather", duty_text(req, s, "weather"), "duty.save");
		}
		html_printf(&h, "</td></tr>");
	}
	if (json_array_size(json_object_get(week, "shifts")))
		html_printf(&h, "</tbody></table></div>");
	json_decref(week);
	return duty_page_done(req, resp, &h);
}

/* The notice board's roster: one A4 page per station or route. */
int duty_print_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	char monday[11], sunday[11];
	json_t *week = NULL, *s;
	const char *last = NULL;
	size_t k;

	if (duty_week_param(req_query(req, "week"), monday))
		return duty_bad_input(req, resp, "duty.err.week", "week");
	if (duty_week_json(req->db, req->sess.area_id, monday, 0, 0, &week))
		return duty_internal(req, resp);
	duty_day_add(monday, 6, sunday);
	page_begin(req, &h, req_t(req, "duty.print_title"));
	html_printf(
	    &h,
	    "<nav class=\"week-nav no-print\"><a href=\"/duty/week?week=%s\">← %T</a> <button "
	    "type=\"button\" class=\"primary\" data-print hidden>%T</button></nav>",
	    monday, "duty.week", "duty.print");
	if (!json_array_size(json_object_get(week, "shifts")))
		html_printf(&h, "<p class=\"empty\">%T</p>", "duty.no_shifts");
	json_array_foreach (json_object_get(week, "shifts"), k, s) {
		const char *where = duty_text(req, s, "where");
		if (!last || strcmp(last, where)) {
			if (last)
				html_printf(&h, "</tbody></table></article>");
			html_printf(
			    &h,
			    "<article class=\"notice-sheet duty-sheet\"><header><p "
			    "class=\"notice-from\">%T</p><h1>%s</h1><p class=\"notice-week\">%s "
			    "%T %s</p></header>",
			    "duty.print_title", where, monday, "duty.to", sunday);
			/* The station's categories, leader and late drop point. */
			json_t *place = NULL;
			int station = !strcmp(duty_text(req, s, "kind"), "station");
			if (!duty_place_get(req->db, req->sess.area_id, station ? 's' : 'r',
					    duty_num(s, "place_id"), &place)) {
				html_printf(&h, "<p class=\"duty-place\">");
				if (station)
					duty_categories_text(req, &h,
							     duty_text(req, place, "categories"));
				if (*duty_text(req, place, "leader"))
					html_printf(&h, "%s%T %s", station ? " · " : "",
						    "duty.leader", duty_text(req, place, "leader"));
				if (station && *duty_text(req, place, "late_drop"))
					html_printf(&h, "<br>%T %s", "duty.field.late_drop",
						    duty_text(req, place, "late_drop"));
				html_printf(&h, "</p>");
				json_decref(place);
			}
			html_printf(&h,
				    "<table class=\"duty-print\"><thead><tr><th>%T</th><th>%T</th>"
				    "<th>%T</th></tr></thead><tbody>",
				    "duty.day", "duty.field.time", "duty.people");
			last = where;
		}
		html_printf(&h, "<tr><td>%s</td><td>%s–%s</td><td>", duty_text(req, s, "day"),
			    duty_text(req, s, "start"), duty_text(req, s, "end"));
		size_t b;
		json_t *p;
		json_array_foreach (json_object_get(s, "people"), b, p)
			html_printf(&h, "%s%s%s", b ? "、" : "", duty_text(req, p, "name"),
				    json_is_true(json_object_get(p, "trained")) ? "★" : "");
		if (duty_num(s, "missing"))
			html_printf(&h, " <b>（%T %s）</b>", "duty.missing",
				    duty_text(req, s, "missing"));
		if (*duty_text(req, s, "weather"))
			html_printf(&h, " ☂ %s", duty_text(req, s, "weather"));
		html_printf(&h, "</td></tr>");
	}
	if (last)
		html_printf(&h, "</tbody></table><p class=\"notice-rule\">%T</p></article>",
			    "duty.trained_mark");
	json_decref(week);
	return duty_page_done(req, resp, &h);
}

static void csv_cell(struct buf *b, const char *s)
{
	/* A cell that a spreadsheet would run as a formula gets a quote. */
	buf_addc(b, '"');
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

int duty_csv_export(struct http_req *req, struct http_resp *resp)
{
	char monday[11];
	json_t *week = NULL, *s, *p;
	size_t a, b;

	if (duty_week_param(req_query(req, "week"), monday))
		return duty_bad_input(req, resp, "duty.err.week", "week");
	if (duty_week_json(req->db, req->sess.area_id, monday, 0, 0, &week))
		return duty_internal(req, resp);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	buf_reset(&resp->body);
	buf_adds(&resp->body, "shift_id,day,start,end,where,need,missing,volunteer_id,name,"
			      "checkin_at,checkout_at,minutes,weather\r\n");
	json_array_foreach (json_object_get(week, "shifts"), a, s) {
		json_t *people = json_object_get(s, "people");
		size_t np = json_array_size(people);
		for (b = 0; b < (np ? np : 1); b++) {
			p = json_array_get(people, b);
			buf_addf(&resp->body, "%s,%s,%s,%s,", duty_text(req, s, "id"),
				 duty_text(req, s, "day"), duty_text(req, s, "start"),
				 duty_text(req, s, "end"));
			csv_cell(&resp->body, duty_text(req, s, "where"));
			buf_addf(&resp->body, ",%s,%s,%s,", duty_text(req, s, "need"),
				 duty_text(req, s, "missing"),
				 p ? duty_text(req, p, "volunteer_id") : "");
			csv_cell(&resp->body, p ? duty_text(req, p, "name") : "");
			buf_addf(&resp->body, ",%s,%s,%s,",
				 p ? duty_text(req, p, "checkin_at") : "",
				 p ? duty_text(req, p, "checkout_at") : "",
				 p ? duty_text(req, p, "minutes") : "");
			csv_cell(&resp->body, duty_text(req, s, "weather"));
			buf_adds(&resp->body, "\r\n");
		}
	}
	resp_header(req, resp, "Content-Disposition",
		    arena_printf(req->arena, "attachment; filename=\"duty-%s.csv\"", monday));
	json_decref(week);
	return 0;
}
