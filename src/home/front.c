/* The residents' page ("/" for anyone not working cases): report, follow a
 * report, reach the committee, read the week's notices; a signed-in
 * resident also sees their own reports. And /qr, the A4 poster of this
 * page for the notice board. */
#include "home.h"
#include "internal.h"
#include "store.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../plaza/plaza.h"
#include "../web/auth.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/qr.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define HOME_MINE_MAX 3 /* a resident's newest reports; the rest are on /portal */

int home_area(struct http_req *req, int64_t *area_id, char *name, size_t n)
{
	int rc;

	if (req->sess.area_id) {
		*area_id = req->sess.area_id;
		return area_title(req->db, *area_id, name, n);
	}
	rc = area_resolve(req->db, req_area_code(req), area_id, name, n);
	return rc == LIN_ECONFLICT ? LIN_ENOTFOUND : rc;
}

void home_time(int64_t t, int clock, char *out, size_t n)
{
	int y, m, d;
	int64_t local = t + LIN_SHANGHAI_OFFSET, sec = local % 86400;

	lin_civil_from_days(local / 86400, &y, &m, &d);
	if (clock)
		snprintf(out, n, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(sec / 3600),
			 (int)(sec / 60 % 60));
	else
		snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

int home_sessions(struct html *h, json_t *week, int day)
{
	json_t *s;
	size_t i;
	int n = 0;

	json_array_foreach (json_object_get(week, "sessions"), i, s) {
		if (json_integer_value(json_object_get(s, "day")) != day)
			continue;
		n++;
		html_printf(h, "<li><b>%s–%s</b> %s · %s</li>",
			    json_string_value(json_object_get(s, "start")),
			    json_string_value(json_object_get(s, "end")),
			    json_string_value(json_object_get(s, "zone")),
			    json_string_value(json_object_get(s, "team")));
	}
	return n;
}

static void contact_card(struct http_req *req, struct html *h, int64_t area)
{
	struct home_profile p;
	char duty[256] = "";
	int weekday;

	if (home_profile_get(req->db, area, &p))
		return;
	plaza_local((int64_t)time(NULL), &weekday, NULL, (char[11]){0});
	home_duty_name(req->db, area, weekday, duty, sizeof(duty));
	html_printf(h,
		    "<section class=\"card contact\" aria-labelledby=\"contact-h\">"
		    "<h2 id=\"contact-h\">%T</h2><dl class=\"facts\">",
		    "home.contact");
	html_printf(h, "<div><dt>%T</dt><dd>%s</dd></div>", "home.address",
		    p.address[0] ? p.address : req_t(req, "home.not_set"));
	html_printf(h, "<div><dt>%T</dt><dd>%s</dd></div>", "home.office_hours",
		    p.office_hours[0] ? p.office_hours : req_t(req, "home.not_set"));
	if (p.phone[0])
		html_printf(h, "<div><dt>%T</dt><dd><a href=\"tel:%U\">%s</a></dd></div>",
			    "home.phone", p.phone, p.phone);
	else
		html_printf(h, "<div><dt>%T</dt><dd>%T</dd></div>", "home.phone", "home.not_set");
	html_printf(h, "<div><dt>%T</dt><dd>%s</dd></div></dl>", "home.duty_today",
		    duty[0] ? duty : req_t(req, "home.duty_none"));
	if (req_can(req, PERM_AREA_PROFILE))
		html_printf(h, "<p><a href=\"/area/profile\">%T</a></p>", "home.edit_profile");
	html_printf(h, "</section>");
}

/* The week's plaza timetable as a notice: today's sessions open, the
 * other days folded. */
static void notices_card(struct http_req *req, struct html *h, int64_t area)
{
	int64_t now = (int64_t)time(NULL);
	json_t *week = NULL;
	int today;

	plaza_local(now, &today, NULL, (char[11]){0});
	html_printf(h,
		    "<section class=\"card notices\" aria-labelledby=\"notices-h\">"
		    "<h2 id=\"notices-h\">%T</h2>",
		    "home.notices");
	if (plaza_week_at(req->db, area, now, &week) || !week) {
		html_printf(h, "<p class=\"muted\">%T</p></section>", "home.no_notices");
		return;
	}
	html_printf(h, "<h3>%T</h3>", "home.plaza_week");
	for (int day = 1; day <= 7; day++) {
		html_printf(
		    h, "<details class=\"day\"%R><summary>%T%R</summary><ul class=\"sessions\">",
		    day == today ? " open" : "", arena_printf(req->arena, "plaza.day.%d", day),
		    day == today ? arena_printf(req->arena, " <span class=\"badge\">%s</span>",
						req_t(req, "home.today"))
				 : "");
		if (!home_sessions(h, week, day))
			html_printf(h, "<li class=\"muted\">%T</li>", "home.no_dancing");
		html_printf(h, "</ul></details>");
	}
	html_printf(h, "</section>");
	json_decref(week);
}

static void mine_card(struct http_req *req, struct html *h)
{
	json_t *mine = NULL, *c;
	size_t i;

	if (cases_mine(req, HOME_MINE_MAX, &mine)) {
		json_decref(mine);
		return;
	}
	html_printf(
	    h, "<section class=\"card mine\" aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">%T</h2>",
	    "home.my_reports");
	if (!json_array_size(mine))
		html_printf(h, "<p class=\"muted\">%T</p>", "home.no_reports");
	else
		html_printf(h, "<ul class=\"rows\">");
	json_array_foreach (mine, i, c) {
		char day[16];
		const char *state = json_string_value(json_object_get(c, "state"));
		home_time(json_integer_value(json_object_get(c, "created_at")), 0, day,
			  sizeof(day));
		html_printf(h,
			    "<li><a href=\"/track/%U\"><span class=\"line\"><b>%s</b> "
			    "<span class=\"state state-%s\">%T</span></span>"
			    "<span class=\"summary\">%s</span><span class=\"muted\">%s · "
			    "%s</span></a></li>",
			    json_string_value(json_object_get(c, "tracking_code")),
			    json_string_value(json_object_get(c, "category")), state,
			    arena_printf(req->arena, "case.state.%s", state),
			    html_excerpt(req->arena,
					 json_string_value(json_object_get(c, "description")), 60),
			    day, json_string_value(json_object_get(c, "tracking_code")));
	}
	if (json_array_size(mine))
		html_printf(h, "</ul>");
	/* all of one's own things live on the portal's one page */
	html_printf(h, "<p><a class=\"button big\" href=\"/portal\">%T</a></p></section>",
		    "home.portal_link");
	json_decref(mine);
}

int home_residents_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	char name[256] = "";
	int64_t area = 0;
	int rc = home_area(req, &area, name, sizeof(name));

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "home.no_area");
	if (rc)
		return rc;
	page_begin(req, &h, name);
	html_printf(&h,
		    "<section class=\"hero\"><h1>%s</h1><p class=\"lead\">%T</p>"
		    "<a class=\"button primary big\" href=\"/report\">%T</a>"
		    "<form class=\"track-box\" method=\"get\" action=\"/track\">"
		    "<label for=\"track-code\">%T</label><div class=\"row\">"
		    "<input id=\"track-code\" name=\"code\" autocomplete=\"off\" "
		    "autocapitalize=\"characters\" placeholder=\"%T\" required maxlength=\"32\">"
		    "<button type=\"submit\">%T</button></div></form></section>",
		    name, "home.lead", "home.report", "home.track", "home.track_hint",
		    "home.track_go");
	if (req->sess.kind == AUTH_COOKIE)
		mine_card(req, &h);
	else /* a resident's own things, by the phone on record (src/portal) */
		html_printf(
		    &h,
		    "<p class=\"portal-door\"><a class=\"button big\" href=\"/portal\">%T</a></p>",
		    "home.portal_signin");
	contact_card(req, &h, area);
	notices_card(req, &h, area);
	html_printf(&h, "<p class=\"small-links\"><a href=\"/qr\">%T</a>", "home.poster");
	if (req->sess.kind == AUTH_NONE)
		html_printf(&h, " · <a href=\"/login\">%T</a>", "home.staff_login");
	html_printf(&h, "</p>");
	page_end(req, &h);
	resp->status = 200;
	return 0;
}

/* GET /qr: the poster for the notice board, one A4 page. */
int home_poster(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	struct home_profile p;
	char name[256] = "", code[64] = "";
	int64_t area = 0;
	const char *url;
	int rc = home_area(req, &area, name, sizeof(name));

	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "home.no_area");
	if (!rc)
		rc = home_profile_get(req->db, area, &p);
	if (!rc)
		rc = area_code(req->db, area, code, sizeof(code));
	if (rc)
		return rc;
	/* With several areas, the code takes a phone to this one. */
	url = req_query(req, "area") && *req_query(req, "area")
		  ? arena_printf(req->arena, "%s/?area=%s", req_origin(req), code)
		  : arena_printf(req->arena, "%s/", req_origin(req));
	page_begin(req, &h, req_t(req, "home.poster_title"));
	html_printf(&h,
		    "<article class=\"poster\"><h1>%s</h1><p class=\"lead\">%T</p>"
		    "<div class=\"poster-qr\">",
		    name, "home.poster_lead");
	if (qr_svg(&resp->body, url, req_t(req, "home.poster_qr")))
		return LIN_ENOMEM;
	html_printf(&h,
		    "</div><p class=\"poster-url\">%s</p><ul class=\"poster-steps\">"
		    "<li>%T</li><li>%T</li><li>%T</li></ul>",
		    url, "home.poster_step1", "home.poster_step2", "home.poster_step3");
	if (p.address[0] || p.phone[0] || p.office_hours[0])
		html_printf(&h, "<p class=\"poster-contact\">%s %s %s</p>", p.address, p.phone,
			    p.office_hours);
	html_printf(&h,
		    "</article><p class=\"no-print\"><button type=\"button\" class=\"primary\" "
		    "data-print>%T</button></p>",
		    "home.print");
	page_end(req, &h);
	resp->status = 200;
	return 0;
}
