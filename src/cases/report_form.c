/* The report form as a page writes it: the category's questions, the
 * place (compounds, their buildings, the plan), photos and the reporter,
 * with every problem of a refused form at the top and beside its field. */
#include "report.h"
#include "internal.h"
#include "map.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>

const char *report_question_text(struct http_req *req, json_t *q, const char *what)
{
	char key[32];
	snprintf(key, sizeof(key), "%s_%s", what, strcmp(req->lang, "en") ? "zh" : "en");
	const char *t = json_string_value(json_object_get(q, key));
	return t ? t : "";
}

/* error_text: the message of err_key for the form, with "{field}" filled
 * by the field's label (a question by its own words). */
const char *report_error_text(struct http_req *req, json_t *cat, const char *err_field,
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
			label = report_question_text(req, q, "description");
	}
	snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(hole - text), text, label, hole + 7);
	return arena_strdup(req->arena, msg);
}

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
			html_printf(h, "%s ",
				    report_error_text(req, e->cat, field, e->list->key[i]));
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
			    report_question_text(req, q, "description"),
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
					    report_question_text(req, val, "name"));
			}
			html_printf(h, "</div>");
			field_errors(req, h, e, code);
			html_printf(h, "</fieldset>");
		} else {
			html_printf(h,
				    "<div class=\"field%R\"><label for=\"f-%s\">%s%R</label><input "
				    "id=\"f-%s\" name=\"%s\" maxlength=\"500\" value=\"%s\"%R>",
				    field_has(e, code) ? " invalid" : "", name,
				    report_question_text(req, q, "description"),
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
			    report_error_text(req, e->cat, e->list->field[i], e->list->key[i]));
	}
	html_printf(h, "</ul></div>");
}

/* report_form writes the whole form for one category. staff adds the
 * channel; errs (NULL on a fresh form) are shown at the top and beside
 * their fields. */
void report_form(struct http_req *req, struct html *h, int64_t area, json_t *cat,
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
