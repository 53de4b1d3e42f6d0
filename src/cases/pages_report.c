/* Filing a report: /report, the residents' form, no account needed
 * (choose a category, then describe it, with photos; the duplicate check
 * offers "it happened again"), phone first; and /cases/new, the same form
 * for staff taking a report by telephone or at the desk. Both go through
 * report_submit_for and cases_open. */
#include "internal.h"
#include "photos.h"
#include "map.h"
#include "stats.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../base/log.h"
#include "../base/parse.h"
#include "../registry/registry.h"
#include "../db/db.h"
#include "../web/auth.h"
#include "../web/html.h"
#include "../web/multipart.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define REPORT_MAX_PHOTOS 3

int cases_public_area(struct http_req *req, int64_t *area_id)
{
	int rc;

	if (req->sess.area_id) {
		*area_id = req->sess.area_id;
		return 0;
	}
	rc = area_resolve(req->db, req_query(req, "area"), area_id, NULL, 0);
	return rc == LIN_ECONFLICT ? LIN_ENOTFOUND : rc;
}

static const char *question_text(struct http_req *req, json_t *q, const char *what)
{
	char key[32];
	snprintf(key, sizeof(key), "%s_%s", what, strcmp(req->lang, "en") ? "zh" : "en");
	const char *t = json_string_value(json_object_get(q, key));
	return t ? t : "";
}

static json_t *find_category(json_t *cats, const char *code)
{
	size_t i;
	json_t *c;

	json_array_foreach (cats, i, c)
		if (code && !strcmp(json_string_value(json_object_get(c, "code")), code))
			return c;
	return NULL;
}

/* report_base: where the form lives, keeping the ?area= that names the
 * area when a deployment holds several. */
static const char *report_base(struct http_req *req, int staff)
{
	const char *area = req_query(req, "area");
	struct buf b;
	const char *out;

	if (staff || !area || !*area)
		return staff ? "/cases/new" : "/report";
	buf_init(&b, 256);
	buf_adds(&b, "/report?area=");
	url_encode(&b, area);
	out = b.failed ? "/report" : arena_strdup(req->arena, b.buf);
	buf_release(&b);
	return out;
}

/* ---- step 1: choose what it is about ---- */

static void category_choice(struct http_req *req, struct html *h, json_t *cats, const char *base)
{
	size_t i;
	json_t *c;

	html_printf(h, "<ul class=\"choices\">");
	json_array_foreach (cats, i, c) {
		html_printf(h, "<li><a class=\"choice\" href=\"%s%scategory=%U\"><b>%s</b>", base,
			    strchr(base, '?') ? "&" : "?",
			    json_string_value(json_object_get(c, "code")),
			    cases_category_name(req, c));
		if (json_is_true(json_object_get(c, "private")))
			html_printf(h, "<small>%T</small>", "case.private_hint");
		html_printf(h, "</a></li>");
	}
	html_printf(h, "</ul>");
}

/* ---- step 2: the form ---- */

struct report_values {
	const char *description, *compound_id, *building_id, *door, *address;
	const char *reporter_name, *reporter_phone, *channel;
	int photos_public;		       /* the reporter lets the photos be shown publicly */
	json_t *answers;		       /* question code -> value (string or array) */
	const char *photos[REPORT_MAX_PHOTOS]; /* "sha.ext" kept from an earlier step */
	int nphotos;
	/* Photos of this request, written under temporary names until the
	 * report is filed (photo_stage): photos[i] with staged[i] set. */
	const char *staged[REPORT_MAX_PHOTOS]; /* the temporary file, or NULL */
	int64_t staged_bytes[REPORT_MAX_PHOTOS];
};

static const char *error_text(struct http_req *req, json_t *cat, const char *err_field,
			      const char *err_key);

/* The problems of one submitted form, each shown beside its field. */
struct report_errors {
	json_t *cat;			/* for the questions' own words */
	const struct case_errors *list; /* NULL on a fresh form */
};

/* field_invalid: the field has a problem: its class and ARIA attributes. */
static int field_has(const struct report_errors *e, const char *field)
{
	for (int i = 0; e && e->list && i < e->list->n; i++)
		if (!strcmp(e->list->field[i], field))
			return 1;
	return 0;
}

static const char *invalid_attrs(struct http_req *req, const struct report_errors *e,
				 const char *field)
{
	return field_has(e, field)
		   ? arena_printf(req->arena, " aria-invalid=\"true\" aria-describedby=\"e-%s\"",
				  field)
		   : "";
}

/* field_errors writes the field's messages (if any) where it stands. */
static void field_errors(struct http_req *req, struct html *h, const struct report_errors *e,
			 const char *field)
{
	if (!field_has(e, field))
		return;
	html_printf(h, "<p class=\"error\" id=\"e-%s\">", field);
	for (int i = 0; i < e->list->n; i++)
		if (!strcmp(e->list->field[i], field))
			html_printf(h, "%s ", error_text(req, e->cat, field, e->list->key[i]));
	html_printf(h, "</p>");
}

static void place_fields(struct http_req *req, struct html *h, int64_t area,
			 const struct report_values *v, const struct report_errors *e)
{
	json_t *rows = NULL, *row;
	int64_t group = 0;
	size_t i;
	int more;

	html_printf(h,
		    "<div class=\"field%R\"><label for=\"f-compound\">%T</label>"
		    "<select id=\"f-compound\" name=\"compound_id\" data-filters=\"f-building\"%R>"
		    "<option value=\"\">—</option>",
		    field_has(e, "compound_id") ? " invalid" : "", "case.field.compound_id",
		    invalid_attrs(req, e, "compound_id"));
	if (!registry_choices(req->db, "compounds", area, NULL, CASES_OPTIONS_MAX, &rows, &more))
		json_array_foreach (rows, i, row) {
			char id[24];
			snprintf(id, sizeof(id), "%lld",
				 (long long)json_integer_value(json_object_get(row, "id")));
			html_printf(h, "<option value=\"%s\"%R>%s</option>", id,
				    v->compound_id && !strcmp(v->compound_id, id) ? " selected"
										  : "",
				    json_string_value(json_object_get(row, "title")));
		}
	json_decref(rows);
	rows = NULL;
	html_printf(h, "</select>");
	field_errors(req, h, e, "compound_id");
	html_printf(h, "</div>");
	html_printf(
	    h,
	    "<div class=\"field%R\"><label for=\"f-building\">%T</label>"
	    "<select id=\"f-building\" name=\"building_id\"%R><option value=\"\">—</option>",
	    field_has(e, "building_id") ? " invalid" : "", "case.field.building_id",
	    invalid_attrs(req, e, "building_id"));
	/* Grouped by compound, so a phone's picker shows short lists. */
	if (!registry_buildings(req->db, area, &rows)) {
		json_array_foreach (rows, i, row) {
			int64_t compound = json_integer_value(json_object_get(row, "compound_id"));
			char id[24];
			if (compound != group) {
				html_printf(h, "%R<optgroup label=\"%s\" data-compound=\"%l\">",
					    group ? "</optgroup>" : "",
					    json_string_value(json_object_get(row, "compound")),
					    compound);
				group = compound;
			}
			snprintf(id, sizeof(id), "%lld",
				 (long long)json_integer_value(json_object_get(row, "id")));
			html_printf(h, "<option value=\"%s\"%R>%s</option>", id,
				    v->building_id && !strcmp(v->building_id, id) ? " selected"
										  : "",
				    json_string_value(json_object_get(row, "name")));
		}
		if (group)
			html_printf(h, "</optgroup>");
	}
	json_decref(rows);
	html_printf(h, "</select>");
	field_errors(req, h, e, "building_id");
	html_printf(h, "</div>");
	/* With a script: the phone's position, or a point on the site plan. */
	html_printf(
	    h,
	    "<div class=\"field locate\" hidden><input type=\"hidden\" name=\"lat\" value=\"\">"
	    "<input type=\"hidden\" name=\"long\" value=\"\"><button type=\"button\" "
	    "class=\"locate-me\">%T</button> <small class=\"muted locate-status\" "
	    "data-done=\"%T\" data-failed=\"%T\"></small></div>",
	    "case.locate", "case.locate_done", "case.locate_failed");
	field_errors(req, h, e, "lat");
	cases_plan_picker(req, h, area);
	field_errors(req, h, e, "plan");
	html_printf(h,
		    "<div class=\"field%R\"><label for=\"f-door\">%T</label><input id=\"f-door\" "
		    "name=\"door\" maxlength=\"20\" inputmode=\"numeric\" value=\"%s\"%R>",
		    field_has(e, "household_id") ? " invalid" : "", "case.field.door",
		    v->door ? v->door : "", invalid_attrs(req, e, "household_id"));
	field_errors(req, h, e, "household_id");
	html_printf(h,
		    "</div><div class=\"field%R\"><label for=\"f-address\">%T</label><input "
		    "id=\"f-address\" name=\"address\" maxlength=\"200\" value=\"%s\" "
		    "placeholder=\"%T\"%R>",
		    field_has(e, "address") ? " invalid" : "", "case.field.address",
		    v->address ? v->address : "", "case.address_hint",
		    invalid_attrs(req, e, "address"));
	field_errors(req, h, e, "address");
	html_printf(h, "</div>");
}

static void question_fields(struct http_req *req, struct html *h, json_t *cat,
			    const struct report_values *v, const struct report_errors *e)
{
	size_t i;
	json_t *q;

	json_array_foreach (json_object_get(cat, "questions"), i, q) {
		const char *code = json_string_value(json_object_get(q, "code"));
		const char *type = json_string_value(json_object_get(q, "datatype"));
		json_t *given = v->answers ? json_object_get(v->answers, code) : NULL;
		int required = json_is_true(json_object_get(q, "required"));
		const char *name = arena_printf(req->arena, "q_%s", code);

		if (!code || !type)
			continue;
		if (!strcmp(type, "singlevaluelist") || !strcmp(type, "multivaluelist")) {
			int multi = type[0] == 'm';
			size_t k;
			json_t *val;
			html_printf(
			    h,
			    "<fieldset class=\"field%R\"%R><legend>%s%R</legend>"
			    "<div class=\"checks\">",
			    field_has(e, code) ? " invalid" : "",
			    field_has(e, code)
				? arena_printf(req->arena, " aria-describedby=\"e-%s\"", code)
				: "",
			    question_text(req, q, "description"),
			    required ? " <span class=\"req\">*</span>" : "");
			json_array_foreach (json_object_get(q, "values"), k, val) {
				const char *key = json_string_value(json_object_get(val, "key"));
				int on = 0;
				if (json_is_string(given))
					on = !strcmp(json_string_value(given), key);
				else if (json_is_array(given)) {
					size_t m;
					json_t *g;
					json_array_foreach (given, m, g)
						on |= !strcmp(json_string_value(g), key);
				}
				/* A required single choice: the browser asks before sending. */
				html_printf(h,
					    "<label class=\"check\"><input type=\"%s\" name=\"%s\" "
					    "value=\"%s\"%R%R> %s</label>",
					    multi ? "checkbox" : "radio", name, key,
					    on ? " checked" : "",
					    required && !multi ? " required" : "",
					    question_text(req, val, "name"));
			}
			html_printf(h, "</div>");
			field_errors(req, h, e, code);
			html_printf(h, "</fieldset>");
		} else {
			html_printf(h,
				    "<div class=\"field%R\"><label for=\"f-%s\">%s%R</label><input "
				    "id=\"f-%s\" name=\"%s\" maxlength=\"500\" value=\"%s\"%R>",
				    field_has(e, code) ? " invalid" : "", name,
				    question_text(req, q, "description"),
				    required ? " <span class=\"req\">*</span>" : "", name, name,
				    json_is_string(given) ? json_string_value(given) : "",
				    invalid_attrs(req, e, code));
			field_errors(req, h, e, code);
			html_printf(h, "</div>");
		}
	}
}

/* form_rank: where a field stands on the form (a question's code, not
 * listed, comes right after the description). */
static int form_rank(const char *field)
{
	static const char *const fields[] = {
	    "category", "description",	"",	   "compound_id", "building_id",   "lat",
	    "plan",	"household_id", "address", "photo",	  "reporter_name", "reporter_phone",
	    NULL,
	};
	for (int i = 0; fields[i]; i++)
		if (!strcmp(fields[i], field))
			return i;
	return 2;
}

/* error_summary: every problem at the top, each a link to its field, so a
 * reader of a long form on a phone knows how many and where. */
static void error_summary(struct http_req *req, struct html *h, const struct report_errors *e)
{
	static const struct {
		const char *field, *id;
	} anchors[] = {
	    {"description", "f-description"}, {"compound_id", "f-compound"},
	    {"building_id", "f-building"},    {"household_id", "f-door"},
	    {"address", "f-address"},	      {"photo", "f-photos"},
	    {"reporter_name", "f-name"},      {"reporter_phone", "f-phone"},
	};

	int order[CASE_ERRORS_MAX];

	if (!e->list || !e->list->n)
		return;
	/* In the order the form asks, whatever order they were found in. */
	for (int i = 0; i < e->list->n; i++)
		order[i] = i;
	for (int i = 1; i < e->list->n; i++)
		for (int j = i; j > 0 && form_rank(e->list->field[order[j - 1]]) >
					     form_rank(e->list->field[order[j]]);
		     j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	html_printf(h,
		    "<div class=\"alert error-summary\" role=\"alert\" tabindex=\"-1\">"
		    "<p><b>%R</b></p><ul>",
		    arena_printf(req->arena, req_t(req, "case.err.summary"), e->list->n));
	for (int o = 0; o < e->list->n; o++) {
		int i = order[o];
		const char *id = NULL;
		for (size_t k = 0; k < sizeof(anchors) / sizeof(anchors[0]); k++)
			if (!strcmp(anchors[k].field, e->list->field[i]))
				id = anchors[k].id;
		if (!id)
			id = arena_printf(req->arena, "e-%s", e->list->field[i]);
		html_printf(h, "<li><a href=\"#%s\">%s</a></li>", id,
			    error_text(req, e->cat, e->list->field[i], e->list->key[i]));
	}
	html_printf(h, "</ul></div>");
}

/* report_form writes the whole form for one category. staff adds the
 * channel; errs (NULL on a fresh form) are shown at the top and beside
 * their fields. */
static void report_form(struct http_req *req, struct html *h, int64_t area, json_t *cat,
			const struct report_values *v, const char *action, int staff,
			const struct case_errors *errs)
{
	const struct report_errors e = {cat, errs};

	html_printf(h,
		    "<section class=\"card\"><p class=\"crumbs\"><a href=\"%s\">%T</a></p>"
		    "<h1>%s</h1>",
		    action, "case.change_category", cases_category_name(req, cat));
	/* Someone may be in danger now: the phone comes before any form. */
	if (json_is_true(json_object_get(cat, "emergency")))
		html_printf(h,
			    "<p class=\"emergency\" role=\"note\">%T <a href=\"tel:110\">110</a> / "
			    "<a href=\"tel:119\">119</a> / <a href=\"tel:120\">120</a></p>",
			    "case.emergency");
	error_summary(req, h, &e);
	html_printf(
	    h,
	    "<form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\" "
	    "class=\"stack report-form\" novalidate><input type=\"hidden\" name=\"category\" "
	    "value=\"%s\">",
	    action, json_string_value(json_object_get(cat, "code")));
	page_csrf_field(req, h);
	for (int i = 0; i < v->nphotos; i++)
		html_printf(h, "<input type=\"hidden\" name=\"kept_photo\" value=\"%s\">",
			    v->photos[i]);
	html_printf(h,
		    "<div class=\"field%R\"><label for=\"f-description\">%T <span "
		    "class=\"req\">*</span></label><textarea id=\"f-description\" "
		    "name=\"description\" rows=\"5\" maxlength=\"4000\" required "
		    "placeholder=\"%T\"%R>%s</textarea>",
		    field_has(&e, "description") ? " invalid" : "", "case.field.description",
		    "case.description_hint", invalid_attrs(req, &e, "description"),
		    v->description ? v->description : "");
	field_errors(req, h, &e, "description");
	html_printf(h, "</div>");
	question_fields(req, h, cat, v, &e);
	place_fields(req, h, area, v, &e);
	html_printf(
	    h,
	    "<div class=\"field%R\"><label for=\"f-photos\">%T</label><input id=\"f-photos\" "
	    "type=\"file\" name=\"photo\" accept=\"image/jpeg,image/png,image/webp\" multiple%R>"
	    "<small class=\"muted\">%T%R</small>",
	    field_has(&e, "photo") ? " invalid" : "", "case.field.photos",
	    invalid_attrs(req, &e, "photo"), "case.photos_hint",
	    v->nphotos ? arena_printf(req->arena, " · %s %d", i18n_t(req->lang, "case.photos_kept"),
				      v->nphotos)
		       : "");
	field_errors(req, h, &e, "photo");
	html_printf(h, "</div>");
	/* Asked, never assumed; a private category's photos are never shown. */
	if (!json_is_true(json_object_get(cat, "private")))
		html_printf(h,
			    "<div class=\"field\"><label class=\"check\"><input type=\"checkbox\" "
			    "name=\"photos_public\" value=\"1\"%s> %T</label></div>",
			    v->photos_public ? " checked" : "", "case.field.photos_public");
	html_printf(h,
		    "<fieldset class=\"field\"><legend>%T</legend>"
		    "<div class=\"field%R\"><label for=\"f-name\">%T</label><input id=\"f-name\" "
		    "name=\"reporter_name\" maxlength=\"40\" autocomplete=\"name\" value=\"%s\"%R>",
		    "case.reporter", field_has(&e, "reporter_name") ? " invalid" : "",
		    "case.field.reporter_name", v->reporter_name ? v->reporter_name : "",
		    invalid_attrs(req, &e, "reporter_name"));
	field_errors(req, h, &e, "reporter_name");
	html_printf(h,
		    "</div><div class=\"field%R\"><label for=\"f-phone\">%T</label><input "
		    "id=\"f-phone\" name=\"reporter_phone\" type=\"tel\" inputmode=\"tel\" "
		    "maxlength=\"20\" autocomplete=\"tel\" value=\"%s\"%R>",
		    field_has(&e, "reporter_phone") ? " invalid" : "", "case.field.reporter_phone",
		    v->reporter_phone ? v->reporter_phone : "",
		    invalid_attrs(req, &e, "reporter_phone"));
	field_errors(req, h, &e, "reporter_phone");
	html_printf(h, "</div><small class=\"muted\">%T</small></fieldset>", "case.reporter_hint");
	if (staff) {
		const char *const *channels = case_staff_channels;
		html_printf(h,
			    "<div class=\"field\"><label for=\"f-channel\">%T</label>"
			    "<select id=\"f-channel\" name=\"channel\">",
			    "case.field.channel");
		for (int i = 0; channels[i]; i++)
			html_printf(h, "<option value=\"%s\"%R>%T</option>", channels[i],
				    v->channel && !strcmp(v->channel, channels[i]) ? " selected"
										   : "",
				    arena_printf(req->arena, "case.channel.%s", channels[i]));
		html_printf(h, "</select></div>");
	}
	html_printf(
	    h,
	    "<div class=\"actions\"><button type=\"submit\" class=\"primary big\">%T</button></div>"
	    "</form></section>",
	    "case.submit");
}

static int report_page_for(struct http_req *req, struct http_resp *resp, int staff)
{
	struct html h = {&resp->body, req->lang};
	const char *base = report_base(req, staff);
	const char *code = req_query(req, "category");
	struct report_values v;
	json_t *cats = NULL, *cat;
	int64_t area;
	int rc;

	rc = cases_public_area(req, &area);
	if (rc)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = case_categories(req->db, area, 0, &cats);
	if (rc)
		return rc;
	memset(&v, 0, sizeof(v));
	page_begin(req, &h, req_t(req, "case.report_title"));
	cat = find_category(cats, code);
	if (!cat) {
		html_printf(&h, "<section class=\"card\"><h1>%T</h1><p>%T</p>", "case.report_title",
			    "case.report_intro");
		category_choice(req, &h, cats, base);
		html_printf(&h, "<p class=\"muted\"><a href=\"/track\">%T</a></p></section>",
			    "case.track_link");
	} else {
		report_form(req, &h, area, cat, &v, base, staff, NULL);
	}
	page_end(req, &h);
	json_decref(cats);
	resp->status = 200;
	return 0;
}

static int report_page(struct http_req *req, struct http_resp *resp)
{
	return report_page_for(req, resp, 0);
}

static int staff_new_page(struct http_req *req, struct http_resp *resp)
{
	return report_page_for(req, resp, 1);
}

/* ---- receiving the form ---- */

struct report_input {
	struct multipart_part *parts; /* the multipart body */
	int nparts;
};

static const char *part_text(struct http_req *req, struct report_input *in, const char *name)
{
	const char *t = multipart_text(req->arena, in->parts, in->nparts, name);
	return t ? t : "";
}

/* collect_answers reads q_<code> fields (radios: one value; checkboxes:
 * several) for the category's questions. */
static json_t *collect_answers(struct http_req *req, struct report_input *in, json_t *cat)
{
	json_t *answers = json_object(), *q;
	size_t i;

	json_array_foreach (json_object_get(cat, "questions"), i, q) {
		const char *code = json_string_value(json_object_get(q, "code"));
		const char *type = json_string_value(json_object_get(q, "datatype"));
		const char *name;
		if (!code || !type)
			continue;
		name = arena_printf(req->arena, "q_%s", code);
		if (!strcmp(type, "multivaluelist")) {
			json_t *arr = json_array();
			for (int k = 0; k < in->nparts; k++) {
				if (strcmp(in->parts[k].name, name) || in->parts[k].filename)
					continue;
				char *val = arena_strndup(
				    req->arena, (const char *)in->parts[k].data, in->parts[k].len);
				if (val)
					json_array_append_new(arr, json_string(val));
			}
			json_object_set_new(answers, code, arr);
		} else {
			const char *val = part_text(req, in, name);
			if (*val)
				json_object_set_new(answers, code, json_string(val));
		}
	}
	return answers;
}

/* resolve_place: the household from building + door, when both given. */
static int64_t household_at(struct http_req *req, int64_t area, int64_t building, const char *door)
{
	int64_t compound = 0, household = 0;

	registry_place_of(req->db, area, building, door, &compound, &household);
	return household;
}

/* compound_of: the compound of the area's building (0: none). */
static int64_t compound_of(struct http_req *req, int64_t area, int64_t building)
{
	int64_t compound = 0, household = 0;

	registry_place_of(req->db, area, building, NULL, &compound, &household);
	return compound;
}

/* place_point reads the optional point: lat/long from the phone, or
 * plan_x/plan_y from the site plan. LIN_EINVAL when given but bad. */
static int place_point(struct http_req *req, struct report_input *in, struct case_new *cn)
{
	const char *lat = part_text(req, in, "lat"), *lon = part_text(req, in, "long");
	const char *px = part_text(req, in, "plan_x"), *py = part_text(req, in, "plan_y");
	int64_t x, y;

	if (*lat || *lon) {
		double a, b;
		if (parse_decimal(lat, 0, &a) || parse_decimal(lon, 0, &b) ||
		    !(a >= -90 && a <= 90) || !(b >= -180 && b <= 180))
			return LIN_EINVAL;
		cn->lat_e6 = (int64_t)(a * 1e6 + (a >= 0 ? 0.5 : -0.5));
		cn->lon_e6 = (int64_t)(b * 1e6 + (b >= 0 ? 0.5 : -0.5));
	}
	if (*px || *py) {
		if (parse_int64(px, 0, 1000, &x) || parse_int64(py, 0, 1000, &y))
			return LIN_EINVAL;
		cn->plan_x = (int)x;
		cn->plan_y = (int)y;
	}
	return 0;
}

/* take_photos checks (size, pixels, type), strips, decodes and stages new
 * uploads and re-checks kept ones; out gets "sha.ext" names. */
static int take_photos(struct http_req *req, struct report_input *in, struct report_values *v,
		       const char **err_key)
{
	const struct cases_uploads *up = req->route->data;
	const char *dir = up->dir;

	for (int k = 0; k < in->nparts; k++) {
		struct multipart_part *p = &in->parts[k];
		if (!strcmp(p->name, "kept_photo") && !p->filename) {
			char sha[65], path[4200], ext[8];
			const char *name = arena_strndup(req->arena, (const char *)p->data, p->len);
			const char *dot = name ? strchr(name, '.') : NULL;
			struct stat sb;
			if (!dot || dot - name != 64 || strlen(dot + 1) >= sizeof(ext))
				continue;
			snprintf(sha, sizeof(sha), "%.64s", name);
			snprintf(ext, sizeof(ext), "%s", dot + 1);
			if (!photo_mime_from_ext(ext) ||
			    photo_path(dir, sha, photo_mime_from_ext(ext), path, sizeof(path)) ||
			    stat(path, &sb))
				continue;
			if (v->nphotos < REPORT_MAX_PHOTOS)
				v->photos[v->nphotos++] = name;
			continue;
		}
		if (strcmp(p->name, "photo") || !p->filename || !p->len)
			continue;
		if (v->nphotos == REPORT_MAX_PHOTOS) {
			*err_key = "case.err.too_many_photos";
			return LIN_EINVAL;
		}
		const char *mime;
		int rc = photo_sniff(p->data, p->len, &mime);
		/* Below the floor of free space nothing more is written: the
		 * report may go without its photos. */
		if (!rc && photo_room(dir, up->min_free, p->len)) {
			*err_key = "case.err.disk_low";
			return LIN_ENOSPC;
		}
		if (rc) {
			*err_key = rc == LIN_ETOOBIG  ? "case.err.photo_big"
				   : rc == LIN_ERANGE ? "case.err.photo_pixels"
						      : "case.err.photo_type";
			return LIN_EINVAL;
		}
		struct buf clean;
		char sha[65];
		buf_init(&clean, PHOTO_MAX_BYTES + 1);
		char tmp[4200];
		rc = photo_strip(p->data, p->len, mime, &clean);
		if (!rc)
			rc = photo_stage(dir, (const unsigned char *)clean.buf, clean.len, mime,
					 sha, tmp, sizeof(tmp));
		if (!rc) {
			v->staged[v->nphotos] = arena_strdup(req->arena, tmp);
			v->staged_bytes[v->nphotos] = (int64_t)clean.len;
		}
		buf_release(&clean);
		if (rc) {
			/* photo_stage decodes every pixel: a file cut short or damaged
			 * is refused here. */
			*err_key = rc == LIN_EIO      ? "err.internal"
				   : rc == LIN_ERANGE ? "case.err.photo_pixels"
						      : "case.err.photo_broken";
			return rc == LIN_EIO ? LIN_EIO : LIN_EINVAL;
		}
		v->photos[v->nphotos++] = arena_printf(req->arena, "%s.%s", sha, photo_ext(mime));
	}
	return 0;
}

/* photos_settle gives this request's staged photos their names (keep: the
 * report was filed, or the next step needs them) or removes them (the
 * report was refused: nothing of it stays on disk). */
static void photos_settle(struct http_req *req, struct report_values *v, int keep)
{
	int n = 0;

	for (int i = 0; i < v->nphotos; i++) {
		const char *mime = photo_mime_from_ext(v->photos[i] + 65);
		char sha[65];
		if (!v->staged[i]) {
			v->photos[n++] = v->photos[i]; /* kept from an earlier step */
			continue;
		}
		snprintf(sha, sizeof(sha), "%.64s", v->photos[i]);
		if (!keep || !mime) {
			photo_discard(v->staged[i]);
		} else if (photo_commit(((const struct cases_uploads *)req->route->data)->dir,
					v->staged[i], sha, mime)) {
			log_error("cases: photo %s not kept", v->photos[i]);
		} else {
			v->photos[n++] = v->photos[i];
		}
		v->staged[i] = NULL;
	}
	v->nphotos = n;
}

/* photo_list turns the kept "sha.ext" names into what cases_open
 * records, skipping any whose file has gone. OUT: *n. */
static struct case_photo *photo_list(struct http_req *req, const struct report_values *v, int *n)
{
	struct case_photo *list = arena_alloc(req->arena, REPORT_MAX_PHOTOS * sizeof(*list));

	*n = 0;
	for (int i = 0; list && i < v->nphotos; i++) {
		char path[4200];
		const char *mime = photo_mime_from_ext(v->photos[i] + 65);
		struct stat sb;
		snprintf(list[*n].sha256, sizeof(list[*n].sha256), "%.64s", v->photos[i]);
		if (!mime)
			continue;
		if (v->staged[i]) {
			list[*n].bytes = v->staged_bytes[i];
		} else {
			if (photo_path(((const struct cases_uploads *)req->route->data)->dir,
				       list[*n].sha256, mime, path, sizeof(path)) ||
			    stat(path, &sb))
				continue;
			list[*n].bytes = (int64_t)sb.st_size;
		}
		list[*n].mime = mime;
		(*n)++;
	}
	return list;
}

/* typed_fields repeats everything typed so far as hidden inputs (photos
 * by their stored names), so the next step needs nothing typed again. */
static void typed_fields(struct http_req *req, struct html *h, struct report_input *in,
			 const struct report_values *v)
{
	for (int k = 0; k < in->nparts; k++) {
		const char *name = in->parts[k].name;
		if (in->parts[k].filename || !strcmp(name, "_csrf") ||
		    !strcmp(name, "kept_photo") || !strcmp(name, "recur_of") ||
		    !strcmp(name, "confirm_new"))
			continue;
		char *val =
		    arena_strndup(req->arena, (const char *)in->parts[k].data, in->parts[k].len);
		html_printf(h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name,
			    val ? val : "");
	}
	for (int i = 0; i < v->nphotos; i++)
		html_printf(h, "<input type=\"hidden\" name=\"kept_photo\" value=\"%s\">",
			    v->photos[i]);
}

static void duplicates_page(struct http_req *req, struct html *h, json_t *dups, json_t *cat,
			    struct report_input *in, const struct report_values *v,
			    const char *action)
{
	size_t i;
	json_t *d;

	html_printf(h, "<section class=\"card\"><h1>%T</h1><p>%T</p><ul class=\"dups\">",
		    "case.dups_title", "case.dups_intro");
	json_array_foreach (dups, i, d) {
		char when[32];
		time_t t = (time_t)json_integer_value(json_object_get(d, "created_at")) +
			   LIN_SHANGHAI_OFFSET;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
		/* What Open311 publishes of it anyway (a private category's
		 * never): its words, place, date and a photo its reporter let
		 * be shown, so the resident can compare. The form carries what
		 * was typed, so the server can check that the chosen case
		 * really is one it suggested for this place. */
		int open_text = !json_is_true(json_object_get(cat, "private"));
		json_t *place = json_object_get(d, "place");
		const char *compound = json_string_value(json_object_get(place, "compound"));
		const char *building = json_string_value(json_object_get(place, "building"));
		const char *photo = json_string_value(json_object_get(d, "public_photo"));
		int64_t id = (int64_t)json_integer_value(json_object_get(d, "id"));
		html_printf(
		    h,
		    "<li class=\"dup\"><form method=\"post\" action=\"%s\" "
		    "enctype=\"multipart/form-data\"><input type=\"hidden\" name=\"recur_of\" "
		    "value=\"%l\">",
		    action, id);
		page_csrf_field(req, h);
		typed_fields(req, h, in, v);
		if (open_text && photo)
			html_printf(h,
				    "<img class=\"thumb\" src=\"/open311/v2/media/%l-%s.jpg\" "
				    "alt=\"%T\" loading=\"lazy\" width=\"96\" height=\"96\">",
				    id, photo, "case.dup_photo");
		html_printf(h, "<div class=\"dup-text\"><p><b>%s</b> · %s · %T</p>",
			    cases_category_name(req, cat), when,
			    arena_printf(req->arena, "case.state.%s",
					 json_string_value(json_object_get(d, "state"))));
		if (open_text)
			html_printf(
			    h, "<p class=\"dup-summary\">%s</p>",
			    html_excerpt(req->arena,
					 json_string_value(json_object_get(d, "description")), 80));
		if ((compound && *compound) || (building && *building))
			html_printf(h, "<p class=\"muted\">%T %s %s</p>", "case.dup_place",
				    compound ? compound : "", building ? building : "");
		html_printf(h,
			    "<p class=\"muted\">%T %l</p></div>"
			    "<button type=\"submit\">%T</button></form></li>",
			    "case.recurrences",
			    (int64_t)json_integer_value(json_object_get(d, "recurrences")),
			    "case.same_thing");
	}
	html_printf(h, "</ul><form method=\"post\" action=\"%s\" enctype=\"multipart/form-data\">",
		    action);
	page_csrf_field(req, h);
	typed_fields(req, h, in, v);
	html_printf(h,
		    "<input type=\"hidden\" name=\"confirm_new\" value=\"1\">"
		    "<button type=\"submit\" class=\"primary\">%T</button></form></section>",
		    "case.not_same");
}

/* suggested: recur_of is one of the open cases the duplicate check offers
 * for this category and place, so that nobody can attach "it happened
 * again" to an arbitrary case by its number. */
static int suggested(struct http_req *req, int64_t area, json_t *cat, const struct report_values *v,
		     int64_t recur_of)
{
	struct case_place p = {
	    .category_id = json_integer_value(json_object_get(cat, "id")),
	    .plan_x = -1,
	    .plan_y = -1,
	    .lat_e6 = INT64_MIN,
	    .lon_e6 = INT64_MIN,
	    .created_at = (int64_t)time(NULL),
	};
	json_t *dups = NULL, *d;
	size_t i;
	int found = 0;

	parse_int64(v->compound_id, 1, INT64_MAX, &p.compound_id);
	parse_int64(v->building_id, 1, INT64_MAX, &p.building_id);
	p.household_id = household_at(req, area, p.building_id, v->door);
	if (!p.compound_id && p.building_id)
		p.compound_id = compound_of(req, area, p.building_id);
	if (case_duplicates(req->db, area, &p, 0, 10, &dups))
		return 0;
	json_array_foreach (dups, i, d)
		found |= json_integer_value(json_object_get(d, "id")) == recur_of;
	json_decref(dups);
	return found;
}

/* read_values takes the form's fields into v (arena strings). */
static void read_values(struct http_req *req, struct report_input *in, json_t *cat,
			struct report_values *v)
{
	v->description = part_text(req, in, "description");
	v->compound_id = part_text(req, in, "compound_id");
	v->building_id = part_text(req, in, "building_id");
	v->door = part_text(req, in, "door");
	v->address = part_text(req, in, "address");
	v->reporter_name = part_text(req, in, "reporter_name");
	v->reporter_phone = part_text(req, in, "reporter_phone");
	v->photos_public = !strcmp(part_text(req, in, "photos_public"), "1");
	v->channel = part_text(req, in, "channel");
	v->answers = collect_answers(req, in, cat);
}

/* recur_page: "it happened again" on a suggested case instead of a new
 * one, and the page that says whether it was recorded. */
static void recur_page(struct http_req *req, struct http_resp *resp, int staff, int64_t area,
		       json_t *cat, const struct report_values *v, int64_t recur_of)
{
	struct html h = {&resp->body, req->lang};
	struct case_who reporter = {{ACTOR_REPORTER, ROLE_NONE}, NULL, "reporter"};
	int rc;

	if (staff)
		cases_who(req, &reporter);
	rc = suggested(req, area, cat, v, recur_of)
		 ? case_recur(req->db, area, recur_of, &reporter, v->description)
		 : LIN_ECONFLICT;
	page_begin(req, &h, req_t(req, "case.report_title"));
	html_printf(&h, "<section class=\"card\"><h1>%T</h1><p>%T</p></section>",
		    rc ? "case.recur_failed" : "case.recur_done",
		    rc ? "case.recur_failed_text" : "case.recur_done_text");
	page_end(req, &h);
	resp->status = rc ? 409 : 200;
}

/* fill_case turns the form into the report to open, adding to errs a bad
 * point or phone number (what cases_check cannot judge). */
static void fill_case(struct http_req *req, struct report_input *in, int64_t area, json_t *cat,
		      struct report_values *v, int staff, struct case_new *cn,
		      struct case_errors *errs)
{
	memset(cn, 0, sizeof(*cn));
	cn->area_id = area;
	cn->arena = req->arena;
	cn->category = json_string_value(json_object_get(cat, "code"));
	cn->description = v->description;
	parse_int64(v->compound_id, 1, INT64_MAX, &cn->compound_id);
	parse_int64(v->building_id, 1, INT64_MAX, &cn->building_id);
	cn->household_id = household_at(req, area, cn->building_id, v->door);
	cn->plan_x = cn->plan_y = -1;
	cn->lat_e6 = cn->lon_e6 = INT64_MIN;
	if (place_point(req, in, cn))
		case_error_add(errs, "lat", "case.err.latlon");
	/* A door that names no household stays out of the address, which
	 * Open311 publishes: it is kept as an internal note instead. */
	cn->address = v->address;
	if (*v->door && !cn->household_id)
		cn->internal_note =
		    arena_printf(req->arena, "%s %s", req_t(req, "case.field.door"), v->door);
	cn->photos = photo_list(req, v, &cn->nphotos);
	cn->photos_public = v->photos_public;
	cn->reporter_name = v->reporter_name;
	cn->reporter_phone = v->reporter_phone;
	cn->channel = staff && case_staff_channel(v->channel) ? v->channel : "web";
	cn->answers = v->answers;
	if (req->sess.kind == AUTH_COOKIE && !staff)
		cn->reporter_user_id = req->sess.user_id;
	/* Checked like any phone number in the registry. */
	if (*cn->reporter_phone && !registry_phone_valid(cn->reporter_phone))
		case_error_add(errs, "reporter_phone", "err.phone");
}

/* duplicates_offered: before filing, the page offering what looks like
 * the same report, when there is any (1: the page was written). */
static int duplicates_offered(struct http_req *req, struct http_resp *resp, int64_t area,
			      json_t *cat, struct report_input *in, struct report_values *v,
			      const struct case_new *cn, const char *action, json_t **dups)
{
	struct html h = {&resp->body, req->lang};
	struct case_place p = {
	    .category_id = json_integer_value(json_object_get(cat, "id")),
	    .compound_id = cn->compound_id,
	    .building_id = cn->building_id,
	    .household_id = cn->household_id,
	    .plan_x = -1,
	    .plan_y = -1,
	    .lat_e6 = INT64_MIN,
	    .lon_e6 = INT64_MIN,
	    .created_at = (int64_t)time(NULL),
	};

	if (!p.compound_id && p.building_id)
		p.compound_id = compound_of(req, area, p.building_id);
	if (case_duplicates(req->db, area, &p, 0, 3, dups) || !json_array_size(*dups))
		return 0;
	page_begin(req, &h, req_t(req, "case.dups_title"));
	duplicates_page(req, &h, *dups, cat, in, v, action);
	page_end(req, &h);
	resp->status = 200;
	return 1;
}

/* error_text: the message of err_key for the form, with "{field}" filled
 * by the field's label (a question by its own words). */
static const char *error_text(struct http_req *req, json_t *cat, const char *err_field,
			      const char *err_key)
{
	char msg[256], key[64];
	const char *text = req_t(req, err_key ? err_key : "err.bad_form");
	const char *hole = strstr(text, "{field}"), *label = err_field ? err_field : "";
	size_t qi;
	json_t *q;

	if (!hole)
		return text;
	snprintf(key, sizeof(key), "case.field.%s", label);
	if (i18n_has(req->lang, key))
		label = req_t(req, key);
	json_array_foreach (json_object_get(cat, "questions"), qi, q) {
		const char *qcode = json_string_value(json_object_get(q, "code"));
		if (err_field && qcode && !strcmp(qcode, err_field))
			label = question_text(req, q, "description");
	}
	snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(hole - text), text, label, hole + 7);
	return arena_strdup(req->arena, msg);
}

static int report_submit_for(struct http_req *req, struct http_resp *resp, int staff)
{
	struct html h = {&resp->body, req->lang};
	const char *action = report_base(req, staff);
	char boundary[80], code[TRACKING_CODE_LEN + 1];
	struct report_input in = {0};
	struct report_values v;
	struct case_errors errs = {0};
	struct case_new cn;
	json_t *cats = NULL, *cat, *dups = NULL;
	const char *err_field = NULL, *err_key = NULL, *ct = req_header(req, "Content-Type");
	int64_t area, id = 0, recur_of = 0;
	int rc;

	memset(&v, 0, sizeof(v));
	if (!ct || multipart_boundary(ct, boundary, sizeof(boundary)) ||
	    multipart_parse(req->arena, boundary, (const unsigned char *)req->body, req->body_len,
			    64, &in.parts, &in.nparts))
		return resp_error(req, resp, 400, "bad_form", "err.bad_form");
	/* Forms without a session carry no token; with one, it must match. */
	if (req->sess.kind == AUTH_COOKIE) {
		const char *sent = multipart_text(req->arena, in.parts, in.nparts, "_csrf");
		if (!sent || !req->sess.csrf || strcmp(sent, req->sess.csrf))
			return resp_error(req, resp, 403, "csrf", "err.csrf");
	}
	rc = cases_public_area(req, &area);
	if (rc)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = case_categories(req->db, area, 0, &cats);
	if (rc)
		return rc;
	cat = find_category(cats, part_text(req, &in, "category"));
	if (!cat) {
		json_decref(cats);
		return resp_error(req, resp, 400, "invalid", "case.err.category");
	}
	read_values(req, &in, cat, &v);
	if (*part_text(req, &in, "recur_of") &&
	    !parse_int64(part_text(req, &in, "recur_of"), 1, INT64_MAX, &recur_of)) {
		recur_page(req, resp, staff, area, cat, &v, recur_of);
		rc = 0;
		goto out;
	}
	rc = take_photos(req, &in, &v, &err_key);
	if (rc == LIN_EIO)
		goto out;
	if (rc)
		case_error_add(&errs, "photo", err_key);
	/* Every problem at once: the photos, the point and phone, and what
	 * cases_open would refuse. */
	fill_case(req, &in, area, cat, &v, staff, &cn, &errs);
	if (cases_check(req->db, &cn, &errs)) {
		rc = LIN_EDB;
		goto out;
	}
	if (errs.n) {
		rc = rc == LIN_ENOSPC ? rc : LIN_EINVAL;
		goto invalid;
	}
	if (!*part_text(req, &in, "confirm_new") && *v.description &&
	    duplicates_offered(req, resp, area, cat, &in, &v, &cn, action, &dups)) {
		/* The next step sends the photos back by name: they stay. */
		photos_settle(req, &v, 1);
		goto out;
	}
	rc = cases_open(req->db, staff ? &req->sess : NULL, &cn, &id, code, &err_field, &err_key);
	if (rc == LIN_EINVAL) {
		case_error_add(&errs, err_field, err_key);
		goto invalid;
	}
	if (rc)
		goto out;
	photos_settle(req, &v, 1);
	rc = resp_redirect(req, resp,
			   staff ? arena_printf(req->arena, "/cases/%lld?saved=1", (long long)id)
				 : arena_printf(req->arena, "/track/%s?new=1", code));
	goto out;
invalid:
	/* Refused: nothing of this request stays on disk. */
	photos_settle(req, &v, 0);
	buf_reset(&resp->body);
	page_begin(req, &h, req_t(req, "case.report_title"));
	report_form(req, &h, area, cat, &v, action, staff, &errs);
	page_end(req, &h);
	/* 507: the server's disk, not the form, is what is wrong. */
	resp->status = rc == LIN_ENOSPC ? 507 : 422;
	rc = 0;
out:
	photos_settle(req, &v, 0); /* whatever is still staged goes */
	json_decref(v.answers);
	json_decref(dups);
	json_decref(cats);
	return rc;
}

static int report_submit(struct http_req *req, struct http_resp *resp)
{
	return report_submit_for(req, resp, 0);
}

static int staff_new_submit(struct http_req *req, struct http_resp *resp)
{
	return report_submit_for(req, resp, 1);
}

int cases_report_routes(struct router *r, const struct cases_uploads *up)
{
	/* Multipart bodies carry their CSRF token inside: checked here. The
	 * photo folder travels with the route that stores photos. */
	const struct route routes[] = {
	    {"GET", "/report", report_page, PERM_PUBLIC, 0, NULL, 0},
	    {"POST", "/report", report_submit, PERM_PUBLIC, ROUTE_NO_CSRF | ROUTE_UPLOAD, up, 0},
	    {"GET", "/cases/new", staff_new_page, PERM_CASES_ADMIN, 0, NULL, 0},
	    {"POST", "/cases/new", staff_new_submit, PERM_CASES_ADMIN, ROUTE_NO_CSRF | ROUTE_UPLOAD,
	     up, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
