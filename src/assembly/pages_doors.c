/* The door-to-door pages: staff form groups and give the doors of a
 * building (or one floor of it) to a volunteer at once (/assemblies/:id/
 * doors); a volunteer's phone shows their own doors floor by floor, a
 * group's leader the group's, each door with big buttons for what the
 * visit found (/assemblies/:id/doors/mine). Plain forms: no script. */
#include "doors.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ shared */

int doors_refuse(struct http_req *req, struct http_resp *resp, int rc, const char *why)
{
	static const struct {
		int rc, status;
		const char *code;
	} answers[] = {
	    {LIN_EINVAL, 422, "invalid"},
	    {LIN_EPERM, 403, "forbidden"},
	    {LIN_ENOTFOUND, 404, "not_found"},
	    {LIN_ECONFLICT, 409, "conflict"},
	};
	int status = 500;
	const char *code = "internal", *back = req_header(req, "Referer");
	struct html h = {&resp->body, req->lang};

	for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		if (answers[i].rc == rc) {
			status = answers[i].status;
			code = answers[i].code;
		}
	why = status == 500 ? "err.internal" : why ? why : "err.not_found";
	if (req_wants_json(req))
		return resp_error(req, resp, status, code, why);
	/* a page: the reason, and the way back to the doors */
	buf_reset(&resp->body);
	page_begin(req, &h, req_t(req, why));
	html_printf(
	    &h,
	    "<section class=\"card error-page doors-refused\"><h1>%T</h1>"
	    "<p class=\"error\" role=\"alert\">%T</p><p><a href=\"%s\">%T</a></p></section>",
	    "assembly.doors.refused", why,
	    back && !strncmp(back, req_origin(req), strlen(req_origin(req))) ? back
									     : "/assemblies/doors",
	    "assembly.doors.back");
	page_end(req, &h);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	return 0;
}

int doors_assembly(struct http_req *req, struct http_resp *resp, struct assembly *a)
{
	int64_t id = assembly_param_id(req, 0);
	int rc = id ? assembly_get(req->db, req->sess.area_id, id, a) : LIN_ENOTFOUND;

	if (rc)
		doors_refuse(req, resp, rc, "assembly.doors.err.no_assembly");
	return rc ? -1 : 0;
}

static struct doors_actor actor_of(struct http_req *req)
{
	return (struct doors_actor){req->sess.user_id, req_can(req, PERM_ASSEMBLY_WRITE)};
}

static int64_t form_id(struct http_req *req, const char *name)
{
	int64_t v = 0;
	const char *s = req_form(req, name);
	return s && !parse_int64(s, 1, INT64_MAX, &v) ? v : 0;
}

static int done(struct http_req *req, struct http_resp *resp, const char *location)
{
	return resp_redirect(req, resp, location);
}

static int finish(struct http_req *req, struct http_resp *resp, struct html *h)
{
	page_end(req, h);
	resp->status = 200;
	return 0;
}

/* ------------------------------------------------------------ staff */

/* staff_buildings: per building of the roll, its doors, how many are
 * assigned and to whom. */
static void staff_buildings(struct http_req *req, struct html *h, const struct doors_set *s)
{
	html_printf(h,
		    "<h2>%T</h2><table class=\"doors-table\"><thead><tr><th>%T</th>"
		    "<th>%T</th><th>%T</th><th class=\"doors-names\">%T</th></tr></thead><tbody>",
		    "assembly.doors.by_building", "assembly.doors.building", "assembly.doors.doors",
		    "assembly.doors.assigned", "assembly.doors.volunteers");
	for (size_t i = 0; i < s->n;) {
		size_t j = i;
		int assigned = 0;
		struct buf names;
		buf_init(&names, 4096);
		for (; j < s->n && s->row[j].building_id == s->row[i].building_id; j++) {
			const struct doors_row *r = &s->row[j];
			assigned += r->volunteer_id != 0;
			if (r->volunteer_id &&
			    (j == i || s->row[j - 1].volunteer_id != r->volunteer_id) &&
			    !strstr(names.buf, r->volunteer)) {
				if (names.len)
					buf_adds(&names, "、");
				buf_adds(&names, r->volunteer);
			}
		}
		html_printf(h,
			    "<tr data-building=\"%l\"><td>%s</td><td data-label=\"%T\">%l</td>"
			    "<td data-label=\"%T\" class=\"doors-assigned\">%d</td>"
			    "<td data-label=\"%T\" class=\"doors-names\">%s</td></tr>",
			    s->row[i].building_id,
			    *s->row[i].building ? s->row[i].building
						: req_t(req, "assembly.doors.no_building"),
			    "assembly.doors.doors", (int64_t)(j - i), "assembly.doors.assigned",
			    assigned, "assembly.doors.volunteers", names.len ? names.buf : "—");
		buf_release(&names);
		i = j;
	}
	html_printf(h, "</tbody></table>");
}

static void staff_forms(struct http_req *req, struct html *h, const struct assembly *a,
			const struct doors_set *s, json_t *groups, json_t *people)
{
	json_t *g, *v;
	size_t k;

	/* a group, led by a Party member */
	html_printf(h, "<section class=\"card\"><h2>%T</h2><ul class=\"doors-groups\">",
		    "assembly.doors.groups");
	json_array_foreach (groups, k, g)
		html_printf(h, "<li>%s · %T %s</li>", json_string_value(json_object_get(g, "name")),
			    "assembly.doors.leader",
			    json_string_value(json_object_get(g, "leader")));
	if (!json_array_size(groups))
		html_printf(h, "<li class=\"muted\">%T</li>", "assembly.doors.no_groups");
	html_printf(h,
		    "</ul><form method=\"post\" action=\"/assemblies/%l/doors/groups\" "
		    "class=\"stack\">",
		    a->id);
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input name=\"name\" maxlength=\"60\" required></label>"
		    "<label>%T <select name=\"leader_member_id\" required><option value=\"\">—"
		    "</option>",
		    "assembly.doors.group_name", "assembly.doors.leader");
	json_array_foreach (json_object_get(people, "members"), k, v)
		html_printf(h, "<option value=\"%l\">%s</option>",
			    (int64_t)json_integer_value(json_object_get(v, "id")),
			    json_string_value(json_object_get(v, "name")));
	html_printf(h, "</select></label><button>%T</button></form></section>",
		    "assembly.doors.group_add");

	/* a building, or one floor of it, to a volunteer */
	html_printf(h, "<section class=\"card\"><h2>%T</h2>", "assembly.doors.assign");
	html_printf(h,
		    "<form method=\"post\" action=\"/assemblies/%l/doors/assign\" "
		    "class=\"stack doors-assign\">",
		    a->id);
	page_csrf_field(req, h);
	html_printf(h, "<label>%T <select name=\"building_id\" required>",
		    "assembly.doors.building");
	for (size_t i = 0; i < s->n; i++)
		if (s->row[i].building_id &&
		    (!i || s->row[i - 1].building_id != s->row[i].building_id))
			html_printf(h, "<option value=\"%l\">%s</option>", s->row[i].building_id,
				    s->row[i].building);
	html_printf(h,
		    "</select></label><label>%T <input name=\"floor\" type=\"number\" min=\"0\" "
		    "max=\"200\" inputmode=\"numeric\" placeholder=\"%T\"></label>"
		    "<label>%T <select name=\"group_id\" required>",
		    "assembly.doors.floor", "assembly.doors.all_floors", "assembly.doors.group");
	json_array_foreach (groups, k, g)
		html_printf(h, "<option value=\"%l\">%s</option>",
			    (int64_t)json_integer_value(json_object_get(g, "id")),
			    json_string_value(json_object_get(g, "name")));
	html_printf(h, "</select></label><label>%T <select name=\"volunteer_id\" required>",
		    "assembly.doors.volunteer");
	json_array_foreach (json_object_get(people, "volunteers"), k, v)
		html_printf(h, "<option value=\"%l\">%s%s</option>",
			    (int64_t)json_integer_value(json_object_get(v, "id")),
			    json_string_value(json_object_get(v, "name")),
			    json_is_integer(json_object_get(v, "member_id")) ? " ☆" : "");
	html_printf(
	    h,
	    "</select></label><p class=\"muted\">%T</p><button class=\"primary\">%T</button>"
	    "</form></section>",
	    "assembly.doors.assign_hint", "assembly.doors.assign_go");
}

int doors_staff_page(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	struct doors_set s = {0};
	json_t *groups = NULL, *people = NULL;
	struct html h = {&resp->body, req->lang};
	int rc;

	if (doors_assembly(req, resp, &a))
		return 0;
	rc = doors_load(req->db, req->sess.area_id, a.id, &s);
	if (!rc)
		rc = doors_groups_json(req->db, req->sess.area_id, a.id, &groups);
	if (!rc)
		rc = doors_people_json(req->db, req->sess.area_id, &people);
	if (rc) {
		json_decref(groups);
		json_decref(people);
		doors_set_release(&s);
		return doors_refuse(req, resp, rc, NULL);
	}
	page_begin(req, &h, req_t(req, "assembly.doors.title"));
	html_printf(&h,
		    "<h1>%T</h1><p class=\"muted\">%s</p><p class=\"chips\">"
		    "<a class=\"button\" href=\"/assemblies/%l/progress\">%T</a> "
		    "<a class=\"button\" href=\"/assemblies/%l/doors/mine\">%T</a></p>",
		    "assembly.doors.title", a.title, a.id, "assembly.doors.progress", a.id,
		    "assembly.doors.all_doors");
	if (req_query(req, "assigned"))
		html_printf(&h,
			    "<p class=\"notice\" role=\"status\">%T <b "
			    "class=\"doors-assigned-n\">%s</b></p>",
			    "assembly.doors.assigned_n", req_query(req, "assigned"));
	html_printf(&h, "<div class=\"doors-staff\">");
	staff_forms(req, &h, &a, &s, groups, people);
	html_printf(&h, "</div>");
	staff_buildings(req, &h, &s);
	json_decref(groups);
	json_decref(people);
	doors_set_release(&s);
	return finish(req, resp, &h);
}

int doors_h_group(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	struct doors_actor who = actor_of(req);
	const char *why = NULL;
	int64_t id = 0;
	int rc;

	if (doors_assembly(req, resp, &a))
		return 0;
	rc = doors_group_add(req->db, req->sess.area_id, &who, a.id, req_form(req, "name"),
			     form_id(req, "leader_member_id"), &why, &id);
	if (rc)
		return doors_refuse(req, resp, rc, why);
	return done(req, resp, arena_printf(req->arena, "/assemblies/%lld/doors", (long long)a.id));
}

int doors_h_assign(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	struct doors_actor who = actor_of(req);
	const char *why = NULL, *f = req_form(req, "floor");
	int64_t floor = -1, count = 0;
	int rc;

	if (doors_assembly(req, resp, &a))
		return 0;
	if (f && *f && parse_int64(f, 0, 200, &floor))
		return doors_refuse(req, resp, LIN_EINVAL, "assembly.doors.err.floor");
	rc = doors_assign(req->db, req->sess.area_id, &who, a.id, form_id(req, "building_id"),
			  (int)floor, form_id(req, "group_id"), form_id(req, "volunteer_id"), &why,
			  &count);
	if (rc)
		return doors_refuse(req, resp, rc, why);
	return done(req, resp,
		    arena_printf(req->arena, "/assemblies/%lld/doors?assigned=%lld",
				 (long long)a.id, (long long)count));
}

/* ------------------------------------------------------------ the phone */

/* doors_index_page: the assemblies now delivering, each with a link to
 * the reader's doors (and for staff, to the progress and assignment). */
int doors_index_page(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	json_t *list = NULL, *x;
	size_t k;
	int rc = doors_running_json(req->db, req->sess.area_id, &list);

	if (rc) {
		json_decref(list);
		return doors_refuse(req, resp, rc, NULL);
	}
	page_begin(req, &h, req_t(req, "assembly.doors.mine"));
	html_printf(&h, "<h1>%T</h1><ul class=\"doors-index\">", "assembly.doors.mine");
	json_array_foreach (list, k, x) {
		int64_t id = json_integer_value(json_object_get(x, "id"));
		html_printf(&h,
			    "<li class=\"card\"><a class=\"button big primary\" "
			    "href=\"/assemblies/%l/doors/mine\">%s</a>",
			    id, json_string_value(json_object_get(x, "title")));
		if (req_can(req, PERM_ASSEMBLY_WRITE))
			html_printf(&h,
				    "<p class=\"chips\"><a href=\"/assemblies/%l/progress\">%T</a> "
				    "<a href=\"/assemblies/%l/doors\">%T</a></p>",
				    id, "assembly.doors.progress", id, "assembly.doors.title");
		html_printf(&h, "</li>");
	}
	if (!json_array_size(list))
		html_printf(&h, "<li class=\"empty\">%T</li>", "assembly.doors.none_running");
	html_printf(&h, "</ul>");
	json_decref(list);
	return finish(req, resp, &h);
}

static const char *outcome_key(int o)
{
	static const char *const keys[DOORS_OUTCOME_COUNT] = {
	    "assembly.doors.outcome.delivered",	     "assembly.doors.outcome.returned",
	    "assembly.doors.outcome.refused",	     "assembly.doors.outcome.nobody_home",
	    "assembly.doors.outcome.proxy_returned",
	};
	return o >= 0 && o < DOORS_OUTCOME_COUNT ? keys[o] : "assembly.doors.outcome.none";
}

/* door_card: one door, what its visits found, and the buttons. */
static void door_card(struct http_req *req, struct html *h, const struct assembly *a,
		      const struct doors_row *r, const char *back, bool whose, const char *today)
{
	/* the order a volunteer meets them: hand over, collect, then the rest */
	static const enum doors_outcome buttons[] = {DOORS_DELIVERED, DOORS_RETURNED,
						     DOORS_NOBODY_HOME, DOORS_PROXY_RETURNED,
						     DOORS_REFUSED};
	char when[24] = "";

	if (r->outcome >= 0) {
		time_t t = (time_t)(r->at + 8 * 3600);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%m-%d %H:%M", &tm);
	}
	html_printf(h,
		    "<li class=\"doors-door%s\" id=\"door-%l\" data-part=\"%l\" "
		    "data-outcome=\"%s\"><div class=\"doors-head\"><b class=\"doors-unit\">%s</b>"
		    "<span class=\"badge doors-state %s\">%T%s%s</span></div>",
		    doors_outstanding(r) ? "" : " done", r->part_id, r->part_id,
		    r->outcome < 0 ? "" : doors_outcome_name(r->outcome), r->unit,
		    r->outcome < 0 ? "" : doors_outcome_name(r->outcome), outcome_key(r->outcome),
		    *when ? " · " : "", when);
	/* a revisit planned; due (today or overdue) stands out */
	if (r->outcome == DOORS_NOBODY_HOME && *r->revisit_on) {
		bool due = strcmp(r->revisit_on, today) <= 0;
		html_printf(h, "<p class=\"doors-revisit%s\">%T %s", due ? " due" : "",
			    "assembly.doors.revisit_on", r->revisit_on);
		if (due)
			html_printf(h, " · %T", "assembly.doors.due");
		html_printf(h, "</p>");
	}
	if (*r->note)
		html_printf(h, "<p class=\"muted doors-note\">%s</p>", r->note);
	if (whose)
		html_printf(h, "<p class=\"muted\">%s · %s</p>", r->volunteer, r->group);
	html_printf(h,
		    "<form method=\"post\" action=\"/assemblies/%l/doors/visits\" "
		    "class=\"doors-visit\">",
		    a->id);
	page_csrf_field(req, h);
	html_printf(h, "<input type=\"hidden\" name=\"part_id\" value=\"%l\">", r->part_id);
	if (*back)
		html_printf(h, "<input type=\"hidden\" name=\"back\" value=\"%s\">", back);
	/* a door done (returned, refused) keeps its buttons folded: the list
	 * gets shorter as the round goes on */
	if (!doors_outstanding(r))
		html_printf(h, "<details class=\"doors-again\"><summary>%T</summary>",
			    "assembly.doors.change");
	html_printf(h, "<div class=\"doors-buttons\">");
	for (size_t i = 0; i < sizeof(buttons) / sizeof(buttons[0]); i++)
		html_printf(h,
			    "<button name=\"outcome\" value=\"%s\" class=\"doors-%s\">%T</button>",
			    doors_outcome_name(buttons[i]), doors_outcome_name(buttons[i]),
			    outcome_key((int)buttons[i]));
	html_printf(h,
		    "</div><details><summary>%T</summary><label>%T <input name=\"note\" "
		    "maxlength=\"500\"></label><label>%T <input name=\"revisit_on\" "
		    "type=\"date\"></label></details>",
		    "assembly.doors.more", "assembly.doors.note", "assembly.doors.revisit_on");
	html_printf(h, "%s</form></li>", doors_outstanding(r) ? "" : "</details>");
}

/* Whose doors the reader sees: staff anyone's, a group's leader the
 * group's and their own, a volunteer their own; ?volunteer= narrows to
 * one volunteer's. */
struct mine_scope {
	bool staff;
	int64_t only;	/* ?volunteer=, 0: everyone the reader may see */
	int64_t mine;	/* the reader's volunteer row, 0: none */
	int64_t leader; /* the reader's member row (leads groups), 0: none */
};

static bool visible(const struct doors_row *r, const struct mine_scope *m)
{
	if (m->only && r->volunteer_id != m->only)
		return false;
	if (m->staff)
		return true;
	return r->volunteer_id &&
	       (r->volunteer_id == m->mine || (m->leader && r->leader_member_id == m->leader));
}

/* mine_scope: 0, or an error answered. */
static int mine_scope(struct http_req *req, struct http_resp *resp, struct mine_scope *m)
{
	const char *q = req_query(req, "volunteer");
	int rc;

	memset(m, 0, sizeof(*m));
	m->staff = req_can(req, PERM_ASSEMBLY_WRITE);
	if (q && *q && parse_int64(q, 1, INT64_MAX, &m->only))
		return doors_refuse(req, resp, LIN_EINVAL, "assembly.doors.err.volunteer"), -1;
	if (m->staff)
		return 0;
	rc = doors_who(req->db, req->sess.area_id, req->sess.user_id, &m->mine, &m->leader);
	if (rc)
		return doors_refuse(req, resp, rc, NULL), -1;
	if (!m->mine && !m->leader)
		return doors_refuse(req, resp, LIN_EPERM, "assembly.doors.err.not_volunteer"), -1;
	return 0;
}

/* floor_index: a chip per building and floor of the page, with the doors
 * still to visit there, linking to its heading. */
static void floor_index(struct html *h, const struct doors_set *s, const struct mine_scope *m)
{
	size_t i = 0;
	int64_t only = -1; /* the one building on the page, or 0 for several */

	for (size_t k = 0; k < s->n; k++)
		if (visible(&s->row[k], m))
			only =
			    only < 0 || only == s->row[k].building_id ? s->row[k].building_id : 0;
	html_printf(h, "<nav class=\"chips doors-floors\">");
	while (i < s->n) {
		const struct doors_row *f = &s->row[i];
		int left = 0, shown = 0;
		for (; i < s->n && s->row[i].building_id == f->building_id &&
		       s->row[i].floor == f->floor;
		     i++)
			if (visible(&s->row[i], m)) {
				shown++;
				left += doors_outstanding(&s->row[i]);
			}
		if (shown)
			html_printf(
			    h, "<a class=\"badge%s\" href=\"#b%l-f%d\">%s%s%d%T · <b>%d</b></a>",
			    left ? "" : " ok", f->building_id, f->floor,
			    only > 0 ? "" : f->building, only > 0 ? "" : " ", f->floor,
			    "assembly.doors.floor_unit", left);
	}
	html_printf(h, "</nav>");
}

int doors_mine_page(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	struct doors_set s = {0};
	struct html h = {&resp->body, req->lang};
	struct mine_scope m;
	char today[11];
	int shown = 0, left = 0, rc;
	const char *back;

	if (doors_assembly(req, resp, &a) || mine_scope(req, resp, &m))
		return 0;
	doors_day(assembly_now(), today);
	rc = doors_load(req->db, req->sess.area_id, a.id, &s);
	if (rc)
		return doors_refuse(req, resp, rc, NULL);
	for (size_t i = 0; i < s.n; i++)
		if (visible(&s.row[i], &m)) {
			shown++;
			left += doors_outstanding(&s.row[i]);
		}
	/* another volunteer's doors, not in a group the reader leads */
	if (!m.staff && m.only && m.only != m.mine && !shown) {
		doors_set_release(&s);
		return doors_refuse(req, resp, LIN_EPERM, "assembly.doors.err.not_yours");
	}
	/* where a saved visit returns to: the same volunteer's doors */
	back = m.only ? arena_printf(req->arena, "%lld", (long long)m.only) : "";
	page_begin(req, &h, req_t(req, "assembly.doors.mine"));
	html_printf(&h,
		    "<h1>%T</h1><p class=\"muted\">%s</p><p class=\"doors-summary card\">"
		    "<b class=\"doors-left\">%d</b> %T · %d %T</p>",
		    "assembly.doors.mine", a.title, left, "assembly.doors.to_go", shown,
		    "assembly.doors.doors");
	if (req_query(req, "saved") && *req_query(req, "saved"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>",
			    "assembly.doors.saved");
	if (!shown)
		html_printf(&h, "<p class=\"empty\">%T</p>", "assembly.doors.no_doors");
	else
		floor_index(&h, &s, &m);
	/* floor by floor: a heading per building and floor, the doors under it */
	int64_t building = -1;
	int floor = -1;
	for (size_t i = 0; i < s.n; i++) {
		const struct doors_row *r = &s.row[i];
		if (!visible(r, &m))
			continue;
		if (r->building_id != building || r->floor != floor) {
			if (building >= 0)
				html_printf(&h, "</ul></section>");
			building = r->building_id;
			floor = r->floor;
			html_printf(&h,
				    "<section class=\"doors-floor\" id=\"b%l-f%d\"><h2>%s · "
				    "%d%T</h2><ul class=\"doors-list\">",
				    building, floor, r->building, floor,
				    "assembly.doors.floor_unit");
		}
		door_card(req, &h, &a, r, back, m.staff || m.leader, today);
	}
	if (building >= 0)
		html_printf(&h, "</ul></section>");
	doors_set_release(&s);
	return finish(req, resp, &h);
}

int doors_h_visit(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	struct doors_actor who = actor_of(req);
	const char *why = NULL, *back = req_form(req, "back");
	int64_t id = 0, only = 0, part = form_id(req, "part_id");
	int rc;

	if (doors_assembly(req, resp, &a))
		return 0;
	struct doors_visit_in in = {a.id,
				    part,
				    req_form(req, "outcome"),
				    req_form(req, "note"),
				    req_form(req, "revisit_on"),
				    assembly_now()};
	rc = doors_visit_add(req->db, req->sess.area_id, &who, &in, &why, &id);
	if (rc)
		return doors_refuse(req, resp, rc, why);
	if (!back || parse_int64(back, 1, INT64_MAX, &only))
		only = 0;
	if (only)
		return done(
		    req, resp,
		    arena_printf(req->arena,
				 "/assemblies/%lld/doors/mine?saved=1&volunteer=%lld#door-%lld",
				 (long long)a.id, (long long)only, (long long)part));
	return done(req, resp,
		    arena_printf(req->arena, "/assemblies/%lld/doors/mine?saved=1#door-%lld",
				 (long long)a.id, (long long)part));
}
