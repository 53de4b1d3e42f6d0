/* A volunteer's own duties on a phone: /duty/my (the shifts ahead first,
 * then the past week folded; check-in, check-out and a swap asked from
 * each card) and /duty/checkin, where the QR on a station's sign leads
 * (that station's shift of the account now, with its button). The
 * writes are duty_h_checkin, duty_h_checkout and duty_h_swap_request. */
#include "internal.h"
#include "web.h"
#include "../base/err.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* my_card: one of my shifts, with what may be done about it now. */
static void my_card(struct http_req *req, struct html *h, json_t *my, json_t *s)
{
	int can_in = json_is_true(json_object_get(s, "can_checkin"));
	int can_out = json_is_true(json_object_get(s, "can_checkout"));
	html_printf(h,
		    "<li class=\"card duty-shift\" data-assignment=\"%s\"><h2>%s</h2>"
		    "<p class=\"when\">%s %s–%s · <a href=\"/duty/week?week=%s&amp;%s=%s\">%T</a>"
		    "</p>",
		    duty_text(req, s, "assignment_id"), duty_text(req, s, "where"),
		    duty_text(req, s, "day"), duty_text(req, s, "start"), duty_text(req, s, "end"),
		    duty_text(req, s, "day"),
		    strcmp(duty_text(req, s, "kind"), "route") ? "station" : "route",
		    duty_text(req, s, "place_id"), "duty.roster_here");
	if (*duty_text(req, s, "weather"))
		html_printf(h, "<p class=\"weather\">☂ %s</p>", duty_text(req, s, "weather"));
	if (json_is_integer(json_object_get(s, "checkout_at")))
		html_printf(h, "<p class=\"badge ok duty-done\">%T · %s %T</p>", "duty.checked_out",
			    duty_text(req, s, "minutes"), "duty.minutes");
	else if (json_is_integer(json_object_get(s, "checkin_at")))
		html_printf(h, "<p class=\"badge ok\">%T</p>", "duty.checked_in");
	else if (json_is_true(json_object_get(s, "missed")))
		html_printf(h, "<p class=\"badge short\">%T</p>", "duty.missed");
	if (can_in) {
		html_printf(h, "<form method=\"post\" action=\"/duty/my/checkin\" "
			       "class=\"stack\">");
		page_csrf_field(req, h);
		html_printf(h,
			    "<input type=\"hidden\" name=\"assignment_id\" value=\"%s\">"
			    "<label>%T <input name=\"code\" autocomplete=\"off\" "
			    "autocapitalize=\"characters\" required></label>"
			    "<button class=\"primary big\">%T</button></form>",
			    duty_text(req, s, "assignment_id"), "duty.field.code", "duty.checkin");
	}
	if (can_out) {
		html_printf(h, "<form method=\"post\" action=\"/duty/my/checkout\">");
		page_csrf_field(req, h);
		html_printf(h,
			    "<input type=\"hidden\" name=\"assignment_id\" value=\"%s\">"
			    "<button class=\"primary big\">%T</button></form>",
			    duty_text(req, s, "assignment_id"), "duty.checkout");
	}
	/* A swap asked: waiting for staff, or refused (the shift is still
	 * mine); an approved one has moved the shift to the other. */
	const char *swap = duty_text(req, s, "swap_state");
	if (!strcmp(swap, "requested"))
		html_printf(h, "<p class=\"badge duty-swap\">%T %s</p>", "duty.swap_pending",
			    duty_text(req, s, "swap_to"));
	else if (!strcmp(swap, "refused"))
		html_printf(h, "<p class=\"badge short duty-swap\">%T</p>", "duty.swap_refused");
	if (!json_is_integer(json_object_get(s, "checkin_at")) &&
	    duty_num(s, "start_at") > (int64_t)time(NULL) && strcmp(swap, "requested")) {
		html_printf(h,
			    "<details><summary>%T</summary><form method=\"post\" "
			    "action=\"/duty/my/swap\">",
			    "duty.swap_ask");
		page_csrf_field(req, h);
		/* Whom to ask: the others on duty at this station this week. */
		json_t *who = NULL, *c;
		size_t w;
		duty_colleagues_json(req->db, req->sess.area_id, duty_num(my, "volunteer_id"),
				     duty_num(s, "shift_id"), &who);
		html_printf(h,
			    "<input type=\"hidden\" name=\"assignment_id\" value=\"%s\">"
			    "<label>%T <select name=\"to_volunteer_id\" required>"
			    "<option value=\"\">—</option>",
			    duty_text(req, s, "assignment_id"), "duty.field.to_volunteer");
		json_array_foreach (who, w, c)
			html_printf(h, "<option value=\"%s\">%s</option>",
				    duty_text(req, c, "volunteer_id"), duty_text(req, c, "name"));
		html_printf(h, "</select></label> <button>%T</button></form></details>",
			    "duty.swap_send");
		json_decref(who);
	}
	html_printf(h, "</li>");
}

/* my_done: the shift is over and nothing is left to do about it. */
static int my_done(json_t *s, int64_t now)
{
	return duty_num(s, "end_at") < now && !json_is_true(json_object_get(s, "can_checkout"));
}

int duty_my_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *my = NULL, *s;
	size_t k;
	int64_t now = (int64_t)time(NULL);
	int past = 0, ahead = 0;
	int rc = duty_my_json(req->db, req->sess.area_id, req->sess.user_id, now, &my);

	if (rc && rc != LIN_ENOTFOUND)
		return duty_internal(req, resp);
	page_begin(req, &h, req_t(req, "duty.my"));
	html_printf(&h, "<h1>%T</h1>", "duty.my");
	if (!my) {
		html_printf(&h, "<p class=\"empty\">%T</p>", "duty.err.not_volunteer");
		return duty_page_done(req, resp, &h);
	}
	int64_t mins = duty_num(my, "minutes");
	html_printf(&h,
		    "<p class=\"duty-hours card\">%T <b class=\"duty-minutes\">%l</b> %T "
		    "(%l %T %l %T)</p>",
		    "duty.hours_credited", mins, "duty.minutes", mins / 60, "duty.h", mins % 60,
		    "duty.min");
	/* What is ahead (and a check-out still open) first: a volunteer
	 * starting the day looks for the next shift, not last week's. */
	html_printf(&h, "<ul class=\"duty-my\">");
	json_array_foreach (json_object_get(my, "shifts"), k, s)
		if (!my_done(s, now)) {
			my_card(req, &h, my, s);
			ahead++;
		}
	html_printf(&h, "</ul>");
	if (!ahead)
		html_printf(&h, "<p class=\"empty\">%T</p>", "duty.no_my_shifts");
	for (k = json_array_size(json_object_get(my, "shifts")); k-- > 0;) {
		s = json_array_get(json_object_get(my, "shifts"), k);
		if (!my_done(s, now))
			continue;
		if (!past++)
			html_printf(&h,
				    "<details class=\"duty-past\"><summary>%T</summary>"
				    "<ul class=\"duty-my\">",
				    "duty.past_week");
		my_card(req, &h, my, s);
	}
	if (past)
		html_printf(&h, "</ul></details>");
	html_printf(&h, "<p class=\"muted\">%T</p><p><a href=\"/duty/calendar\">%T</a></p>",
		    "duty.window_rule", "duty.calendar");
	json_decref(my);
	return duty_page_done(req, resp, &h);
}

/* The QR's target: the account's shift at the code's station now, with
 * the check-in button (the code filled in). */
int duty_checkin_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	const char *code = req_query(req, "code");
	int64_t id = 0;
	int rc = duty_assignment_at_code(req->db, req->sess.area_id, req->sess.user_id, code,
					 (int64_t)time(NULL), &id);

	if (rc && rc != LIN_ENOTFOUND)
		return duty_internal(req, resp);
	page_begin(req, &h, req_t(req, "duty.checkin"));
	html_printf(&h, "<h1>%T</h1>", "duty.checkin");
	if (rc) {
		html_printf(&h,
			    "<p class=\"error\" role=\"alert\">%T</p><p><a href=\"/duty/my\">%T</a>"
			    "</p>",
			    "duty.err.no_shift_here", "duty.my");
		return duty_page_done(req, resp, &h);
	}
	int in = 0;
	duty_assignment_checked_in(req->db, req->sess.area_id, id, &in);
	html_printf(&h, "<form method=\"post\" action=\"/duty/my/%s\">",
		    in ? "checkout" : "checkin");
	page_csrf_field(req, &h);
	html_printf(&h,
		    "<input type=\"hidden\" name=\"assignment_id\" value=\"%l\"><input "
		    "type=\"hidden\" name=\"code\" value=\"%s\"><button class=\"primary big\">%T"
		    "</button></form>",
		    id, code, in ? "duty.checkout" : "duty.checkin");
	return duty_page_done(req, resp, &h);
}
