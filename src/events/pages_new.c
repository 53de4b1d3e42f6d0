/* Staff's form for a new event (/events/new): what the API's POST takes,
 * with the organiser chosen from the area's teams and units and times as
 * Shanghai reads them. A bad field re-shows the form with its message. */
#include "internal.h"
#include "model.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>

/* local_time: a datetime-local field as epoch seconds, 0 when it is not one. */
static int64_t local_time(const char *s)
{
	int64_t t = 0;

	return events_local_parse(s, &t) ? 0 : t;
}

static const char *val(struct http_req *req, const char *name)
{
	const char *v = req_form(req, name);
	return v ? v : "";
}

static void options(struct http_req *req, struct html *h, const char *entity, const char *prefix)
{
	json_t *rows = NULL, *r;
	size_t i;
	int more = 0;

	if (registry_choices(req->db, entity, req->sess.area_id, NULL, 500, &rows, &more) == 0)
		json_array_foreach (rows, i, r) {
			const char *v =
			    arena_printf(req->arena, "%s:%lld", prefix,
					 (long long)json_integer_value(json_object_get(r, "id")));
			html_printf(h, "<option value=\"%s\"%s>%s</option>", v,
				    strcmp(val(req, "organiser"), v) ? "" : " selected",
				    json_string_value(json_object_get(r, "title")));
		}
	json_decref(rows);
}

static void choice(struct html *h, struct http_req *req, const char *name, const char *value,
		   const char *key)
{
	html_printf(h, "<option value=\"%s\"%s>%T</option>", value,
		    strcmp(val(req, name), value) ? "" : " selected", key);
}

static int form(struct http_req *req, struct http_resp *resp, const char *err, int status)
{
	struct html h;

	events_page_begin(req, resp, &h, req_t(req, "events.new"));
	html_printf(&h,
		    "<p class=\"crumbs\"><a href=\"/events\">%T</a></p><h1>%T</h1><form "
		    "method=\"post\" action=\"/events/new\" class=\"card stack\">",
		    "events.title", "events.new");
	if (err)
		html_printf(&h, "<p class=\"error\" role=\"alert\">%T</p>", err);
	page_csrf_field(req, &h);
	html_printf(&h, "<label>%T <select name=\"kind\">", "events.kind");
	choice(&h, req, "kind", "lecture", "events.kind.lecture");
	choice(&h, req, "kind", "class", "events.kind.class");
	choice(&h, req, "kind", "game", "events.kind.game");
	choice(&h, req, "kind", "race", "events.kind.race");
	html_printf(&h,
		    "</select></label><label>%T <input name=\"title\" maxlength=\"200\" required "
		    "value=\"%s\"></label><label>%T <textarea name=\"detail\" maxlength=\"2000\">%s"
		    "</textarea></label><label>%T <select name=\"organiser\"><option "
		    "value=\"committee\">%T</option><optgroup label=\"%T\">",
		    "events.name_of_event", val(req, "title"), "events.detail", val(req, "detail"),
		    "events.organiser", "events.committee", "events.teams");
	options(req, &h, "teams", "team");
	html_printf(&h, "</optgroup><optgroup label=\"%T\">", "events.units");
	options(req, &h, "units", "unit");
	html_printf(
	    &h,
	    "</optgroup></select></label><label>%T <input name=\"place\" maxlength=\"200\" "
	    "value=\"%s\"></label><label>%T <input type=\"datetime-local\" name=\"starts\" "
	    "required value=\"%s\"></label><label>%T <input type=\"datetime-local\" "
	    "name=\"ends\" required value=\"%s\"></label><label>%T <select name=\"audience\">",
	    "events.place", val(req, "place"), "events.starts", val(req, "starts"), "events.ends",
	    val(req, "ends"), "events.audience");
	choice(&h, req, "audience", "all", "events.audience.all");
	choice(&h, req, "audience", "children", "events.audience.children");
	choice(&h, req, "audience", "members", "events.audience.members");
	html_printf(
	    &h,
	    "</select></label><label>%T <input name=\"capacity\" inputmode=\"numeric\" "
	    "required value=\"%s\"></label><label>%T <input type=\"datetime-local\" "
	    "name=\"opens\" required value=\"%s\"></label><label>%T <input "
	    "type=\"datetime-local\" name=\"closes\" required value=\"%s\"></label>"
	    "<label>%T <input name=\"project_id\" inputmode=\"numeric\" value=\"%s\"></label>"
	    "<fieldset><legend>%T</legend><label>%T <select name=\"race_rule\">",
	    "events.places", val(req, "capacity"), "events.opens_at", val(req, "opens"),
	    "events.closes_at", val(req, "closes"), "events.project", val(req, "project_id"),
	    "events.kind.race", "events.race.rule");
	choice(&h, req, "race_rule", "ordered", "events.race.rule_ordered");
	choice(&h, req, "race_rule", "score", "events.race.rule_score");
	html_printf(
	    &h,
	    "</select></label><label>%T <input name=\"time_limit\" inputmode=\"numeric\" "
	    "value=\"%s\"></label><label>%T <input name=\"penalty\" inputmode=\"numeric\" "
	    "value=\"%s\"></label></fieldset><button class=\"primary big\">%T</button></form>",
	    "events.race.limit_min", val(req, "time_limit"), "events.race.penalty_min",
	    val(req, "penalty"), "events.create");
	return events_page_end(req, resp, &h, status);
}

int events_new_page(struct http_req *req, struct http_resp *resp)
{
	return form(req, resp, NULL, 200);
}

/* number: a whole number field (empty: 0); -1 when it is not one. */
static int64_t number(struct http_req *req, const char *name)
{
	int64_t v = 0;

	if (!*val(req, name))
		return 0;
	return parse_int64(val(req, name), 0, 100000000, &v) ? -1 : v;
}

int events_new_submit(struct http_req *req, struct http_resp *resp)
{
	struct event_in in = {0};
	const char *org = val(req, "organiser"), *key = NULL;
	int64_t id = 0;
	int rc;

	in.kind = val(req, "kind");
	in.title = val(req, "title");
	in.detail = val(req, "detail");
	in.place = val(req, "place");
	in.organiser = "committee";
	if (!strncmp(org, "team:", 5) && !parse_int64(org + 5, 1, INT64_MAX, &in.team_id))
		in.organiser = "team";
	else if (!strncmp(org, "unit:", 5) && !parse_int64(org + 5, 1, INT64_MAX, &in.unit_id))
		in.organiser = "unit";
	in.starts_at = local_time(val(req, "starts"));
	in.ends_at = local_time(val(req, "ends"));
	in.opens_at = local_time(val(req, "opens"));
	in.closes_at = local_time(val(req, "closes"));
	in.audience = val(req, "audience");
	in.capacity = *val(req, "capacity") ? number(req, "capacity") : -1;
	in.project_id = number(req, "project_id");
	in.race_rule = *val(req, "race_rule") ? val(req, "race_rule") : NULL;
	in.time_limit = number(req, "time_limit") * 60;
	in.penalty_per_minute = number(req, "penalty");
	rc = event_create(req->db, &req->sess, req->sess.area_id, &in, &id, &key);
	if (rc)
		return form(req, resp, key ? key : "err.internal", key ? 422 : 500);
	return resp_redirect(req, resp, arena_printf(req->arena, "/events/%lld", (long long)id));
}
