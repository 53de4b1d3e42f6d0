/* The work page: "/" for those who work cases. What waits for them today,
 * each figure a link to exactly the cases it counts; tonight's plaza with
 * what the meters read now; the latest noise alerts. */
#include "home.h"
#include "internal.h"
#include "../cases/cases.h"
#include "../noise/noise.h"
#include "../plaza/plaza.h"
#include "../web/auth.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define HOME_WAITING_MAX 5	     /* cases waiting to be accepted listed */
#define HOME_ALERTS_MAX	 5	     /* latest alerts listed */
#define HOME_ALERTS_S	 (7 * 86400) /* ... from this far back */

static void figures(struct http_req *req, struct html *h, int mine, const char *title_key)
{
	json_t *list = NULL, *f;
	size_t i;

	int64_t sum = 0;

	if (cases_today(req, mine, &list) || !json_array_size(list)) {
		json_decref(list);
		return;
	}
	json_array_foreach (list, i, f)
		sum += json_integer_value(json_object_get(f, "count"));
	if (mine && !sum) {
		/* Five zeros say less than one line. */
		html_printf(h,
			    "<section aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">%T</h2>"
			    "<p class=\"muted\">%T</p></section>",
			    title_key, "home.mine_none");
		json_decref(list);
		return;
	}
	html_printf(h,
		    "<section aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">%T</h2>"
		    "<div class=\"stats work\">",
		    mine ? "mine" : "all", mine ? "mine" : "all", title_key);
	json_array_foreach (list, i, f) {
		const char *key = json_string_value(json_object_get(f, "key"));
		int64_t n = json_integer_value(json_object_get(f, "count"));
		html_printf(h,
			    "<a class=\"stat%R\" href=\"%s\"><span class=\"num\">%l</span>"
			    "<span class=\"label\">%T</span></a>",
			    n && (!strcmp(key, "overdue") || !strcmp(key, "accept")) ? " hot" : "",
			    json_string_value(json_object_get(f, "href")), n,
			    arena_printf(req->arena, "home.fig.%s", key));
	}
	html_printf(h, "</div></section>");
	json_decref(list);
}

static void level_text(struct http_req *req, struct html *h, json_t *v)
{
	if (json_is_number(v))
		html_printf(h, "%R", arena_printf(req->arena, "%.1f dB", json_number_value(v)));
	else
		html_printf(h, "%T", "home.no_reading");
}

static void plaza_card(struct http_req *req, struct html *h)
{
	int64_t now = (int64_t)time(NULL);
	json_t *week = NULL, *live = NULL, *m;
	int today, any = 0;
	size_t i;

	if (!req_can(req, PERM_NOISE_READ))
		return;
	plaza_local(now, &today, NULL, (char[11]){0});
	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"tonight-h\">"
		    "<h2 id=\"tonight-h\">%T</h2>",
		    "home.tonight");
	if (!noise_live_now(req, &live)) {
		html_printf(h, "<ul class=\"rows meters\">");
		json_array_foreach (json_object_get(live, "meters"), i, m) {
			const char *cls = json_string_value(json_object_get(m, "class"));
			html_printf(h,
				    "<li><a href=\"/noise/live\"><span class=\"line\"><b>%s</b> ",
				    json_string_value(json_object_get(m, "name")));
			html_printf(h, "<span class=\"level level-%s\">", cls ? cls : "none");
			level_text(req, h, json_object_get(m, "level"));
			html_printf(h, "</span></span><span class=\"muted\">%T ", "home.limit");
			level_text(req, h, json_object_get(m, "limit"));
			html_printf(h, "</span></a></li>");
		}
		html_printf(h, "</ul>");
	}
	json_decref(live);
	if (!plaza_week_at(req->db, req->sess.area_id, now, &week) && week) {
		html_printf(h, "<ul class=\"sessions\">");
		any = home_sessions(h, week, today);
		html_printf(h, "</ul>");
	}
	if (!any)
		html_printf(h, "<p class=\"muted\">%T</p>", "home.no_dancing");
	html_printf(
	    h, "<p><a href=\"/schedule\">%T</a> · <a href=\"/noise/live\">%T</a></p></section>",
	    "home.timetable", "home.live");
	json_decref(week);
}

static void alerts_card(struct http_req *req, struct html *h)
{
	int64_t now = (int64_t)time(NULL);
	json_t *alerts = NULL, *a;
	size_t i;

	if (!req_can(req, PERM_NOISE_READ))
		return;
	if (noise_alerts_list(req->db, req->sess.area_id, 0, now - HOME_ALERTS_S, HOME_ALERTS_MAX,
			      &alerts)) {
		json_decref(alerts);
		return;
	}
	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"alerts-h\">"
		    "<h2 id=\"alerts-h\">%T</h2>",
		    "home.alerts");
	if (!json_array_size(alerts))
		html_printf(h, "<p class=\"muted\">%T</p>", "home.no_alerts");
	else
		html_printf(h, "<ul class=\"rows\">");
	json_array_foreach (alerts, i, a) {
		char when[32];
		int64_t opened = json_integer_value(json_object_get(a, "opened_t"));
		int64_t case_id = json_integer_value(json_object_get(a, "case_id"));
		const char *teams = json_string_value(json_object_get(a, "teams"));
		home_time(opened, 1, when, sizeof(when));
		html_printf(h, "<li><a href=\"%s\"><span class=\"line\"><b>%s</b> ",
			    case_id && req_can(req, PERM_CASES_READ)
				? arena_printf(req->arena, "/cases/%lld", (long long)case_id)
				: "/noise/live",
			    json_string_value(json_object_get(a, "meter")));
		html_printf(h, "<span class=\"level level-over\">%T ", "home.peak");
		level_text(req, h, json_object_get(a, "peak"));
		html_printf(h, "</span>%R</span><span class=\"muted\">%s%R%s</span></a></li>",
			    json_is_null(json_object_get(a, "closed_t"))
				? arena_printf(req->arena, " <span class=\"badge\">%s</span>",
					       req_t(req, "home.alert_open"))
				: "",
			    when, teams && *teams ? " · " : "", teams ? teams : "");
	}
	if (json_array_size(alerts))
		html_printf(h, "</ul>");
	html_printf(h, "</section>");
	json_decref(alerts);
}

/* waiting_list: the cases waiting longest to be accepted, one tap from
 * their page and its 受理 button. */
static void waiting_list(struct http_req *req, struct html *h)
{
	json_t *list = NULL, *c;
	size_t i;

	if (cases_waiting(req, HOME_WAITING_MAX, &list) || !json_array_size(list)) {
		json_decref(list);
		return;
	}
	html_printf(h,
		    "<section class=\"card\" aria-labelledby=\"waiting-h\"><h2 id=\"waiting-h\">"
		    "%T</h2><ul class=\"rows waiting\">",
		    "home.waiting");
	json_array_foreach (list, i, c) {
		char when[32];
		const char *state = json_string_value(json_object_get(c, "state"));
		home_time(json_integer_value(json_object_get(c, "created_at")), 1, when,
			  sizeof(when));
		html_printf(
		    h,
		    "<li><a href=\"/cases/%l\"><span class=\"line\"><b>#%l %s</b> "
		    "<span class=\"state state-%s\">%T</span>%R</span>"
		    "<span class=\"summary\">%s</span><span class=\"muted\">%s</span></a></li>",
		    (int64_t)json_integer_value(json_object_get(c, "id")),
		    (int64_t)json_integer_value(json_object_get(c, "id")),
		    json_string_value(json_object_get(c, "category")), state,
		    arena_printf(req->arena, "case.state.%s", state),
		    json_is_true(json_object_get(c, "overdue"))
			? arena_printf(req->arena, " <span class=\"overdue\">%s</span>",
				       req_t(req, "case.overdue"))
			: "",
		    json_string_value(json_object_get(c, "description")), when);
	}
	html_printf(h, "</ul><p><a href=\"/cases?awaiting=1&amp;sort=oldest\">%T</a></p></section>",
		    "home.waiting_all");
	json_decref(list);
}

int home_work_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	char area[256], day[16];

	area_title(req->db, req->sess.area_id, area, sizeof(area));
	home_time((int64_t)time(NULL), 0, day, sizeof(day));
	page_begin(req, &h, req_t(req, "home.work"));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1><p class=\"muted\">%s · %s</p></div>",
		    "home.work", area, day);
	if (req_can(req, PERM_CASES_ADMIN)) {
		figures(req, &h, 0, "home.all");
		waiting_list(req, &h);
	}
	figures(req, &h, 1, "home.mine");
	html_printf(&h, "<div class=\"two-col\">");
	plaza_card(req, &h);
	alerts_card(req, &h);
	html_printf(&h, "</div>");
	if (req_can(req, PERM_PLACES_READ) || req_can(req, PERM_ORG_READ))
		html_printf(&h, "<p class=\"small-links\"><a href=\"/registry\">%T</a></p>",
			    "home.registry");
	page_end(req, &h);
	resp->status = 200;
	return 0;
}
