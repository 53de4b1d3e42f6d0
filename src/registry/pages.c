/* The registry's HTML pages: /<entity> (list and search), /<entity>/new,
 * /<entity>/<id> (the row, its edit form and its child lists), and the POST
 * targets behind the forms. Everything is written through html_printf, which
 * escapes by default. */
#include "api.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/html.h"
#include "../web/i18n.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REF_SELECT_MAX	 300  /* above this many rows a reference is typed ... */
#define REF_DATALIST_MAX 3000 /* ... with the names offered as it is typed */

static const char *label_key(struct http_req *req, const struct entity *e, const char *field)
{
	return arena_printf(req->arena, "field.%s.%s", e->name, field);
}

static const char *entity_key(struct http_req *req, const struct entity *e, const char *suffix)
{
	return arena_printf(req->arena, "entity.%s%s", e->name, suffix);
}

/* search_hint: the search box's placeholder, naming the fields that the
 * entity's ?q= search looks in ("名称 / 监测对象 / HJ 212 设备编号…"). */
static const char *search_hint(struct http_req *req, const struct entity *e)
{
	const char *hint = "";

	for (const struct field *f = e->fields; f->name; f++)
		if (f->flags & FF_SEARCH)
			hint = arena_printf(req->arena, "%s%s%s", hint, *hint ? " / " : "",
					    req_t(req, label_key(req, e, f->name)));
	return *hint ? arena_printf(req->arena, "%s…", hint) : req_t(req, "common.search");
}

static const char *choice_key(struct http_req *req, const char *value)
{
	return arena_printf(req->arena, "choice.%s", value);
}

/* ---- showing values ---- */

/* db_text: a dB value kept in hundredths, with one decimal ("70.0",
 * "-1.5"): what a meter's display and the limits in law read. */
static const char *db_text(struct http_req *req, int64_t centi)
{
	int64_t tenths = centi >= 0 ? (centi + 5) / 10 : -((-centi + 5) / 10);
	return arena_printf(req->arena, "%s%lld.%lld", tenths < 0 ? "-" : "",
			    (long long)(tenths < 0 ? -tenths : tenths) / 10,
			    (long long)(tenths < 0 ? -tenths : tenths) % 10);
}

/* db_parse reads a dB value as typed ("70", "-1.5", "0.25") into
 * hundredths; nonzero when it is no such number. */
static int db_parse(const char *s, int64_t *centi)
{
	int neg = s[0] == '-';
	int rc = parse_centi(s + neg, INT32_MAX, centi);
	if (!rc && neg)
		*centi = -*centi;
	return rc;
}

/* db_value: a dB field's value (an integer of hundredths, or text: a
 * FT_CENTI's "70.00", a form's "150") as hundredths; nonzero when the
 * text is no number (what was typed is shown as typed). */
static int db_value(const struct field *f, json_t *v, int64_t *centi)
{
	const char *s = json_string_value(v);
	if (json_is_integer(v)) {
		*centi = (int64_t)json_integer_value(v);
		return 0;
	}
	if (!s)
		return -1;
	return f->type == FT_INT ? parse_int64(s, INT32_MIN, INT32_MAX, centi) : db_parse(s, centi);
}

static void show_value(struct http_req *req, struct html *h, const struct field *f, json_t *row)
{
	json_t *v = json_object_get(row, f->name);
	char key[80];

	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) {
		html_printf(h, "<span class=\"muted\">—</span>");
		return;
	}
	int64_t centi;
	if ((f->flags & FF_DB) && !db_value(f, v, &centi)) {
		html_printf(h, "%s dB", db_text(req, centi));
		return;
	}
	switch (f->type) {
	case FT_BOOL:
		html_printf(h, "%T", json_is_true(v) ? "common.yes" : "common.no");
		break;
	case FT_PHONE:
		/* A whole number is a link to call; a masked one is not. */
		if (strchr(json_string_value(v), '*'))
			html_printf(h, "%s", json_string_value(v));
		else
			html_printf(h, "<a href=\"tel:%s\">%s</a>", json_string_value(v),
				    json_string_value(v));
		break;
	case FT_CHOICE:
		html_printf(h, "%T", choice_key(req, json_string_value(v)));
		break;
	case FT_INT:
		html_printf(h, "%l", (int64_t)json_integer_value(v));
		break;
	case FT_REF:
		snprintf(key, sizeof(key), "%s_title", f->name);
		{
			const struct entity *ref = entity_by_name(f->ref);
			const char *title = json_string_value(json_object_get(row, key));
			if (ref && req_can(req, ref->read))
				html_printf(h, "<a href=\"/%s/%l\">%s</a>", ref->name,
					    (int64_t)json_integer_value(v), title ? title : "?");
			else
				html_printf(h, "%s", title ? title : "?");
		}
		break;
	case FT_TAGS: {
		size_t i;
		json_t *t;
		if (!json_array_size(v))
			html_printf(h, "<span class=\"muted\">—</span>");
		json_array_foreach (v, i, t)
			html_printf(h, "<span class=\"tag\">%s</span>", json_string_value(t));
		break;
	}
	default:
		html_printf(h, "%s", json_string_value(v));
	}
}

/* ---- forms ---- */

/* form_value: the text to prefill a field with, from the row or the
 * submitted form. */
static const char *form_value(struct http_req *req, const struct field *f, json_t *values)
{
	json_t *v = values ? json_object_get(values, f->name) : NULL;

	if (!v || json_is_null(v))
		return "";
	/* A dB value with one decimal, whether stored or sent back in a
	 * refused form; text that is no number as typed. */
	int64_t centi;
	if ((f->flags & FF_DB) && !db_value(f, v, &centi))
		return db_text(req, centi);
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(req->arena, "%lld", (long long)json_integer_value(v));
	if (json_is_boolean(v))
		return json_is_true(v) ? "1" : "0";
	return "";
}

static int tag_checked(json_t *values, const char *name)
{
	json_t *v = values ? json_object_get(values, "tags") : NULL;
	size_t i;
	json_t *t;

	if (json_is_string(v)) { /* a resubmitted form: "a;b" */
		const char *s = json_string_value(v), *hit;
		size_t n = strlen(name);
		for (hit = strstr(s, name); hit; hit = strstr(hit + 1, name))
			if ((hit == s || hit[-1] == ';') && (hit[n] == ';' || hit[n] == '\0'))
				return 1;
		return 0;
	}
	json_array_foreach (v, i, t)
		if (!strcmp(json_string_value(t), name))
			return 1;
	return 0;
}

static const char *field_error(struct http_req *req, const struct entity *e,
			       const struct validation *v, const char *field)
{
	char msg[256];

	for (int i = 0; v && i < v->nerr; i++) {
		if (v->errs[i].field && !strcmp(v->errs[i].field, field)) {
			registry_error_text(req->lang, e, &v->errs[i], msg, sizeof(msg));
			return arena_strdup(req->arena, msg);
		}
	}
	return NULL;
}

/* tags_field: the resident's tags as checkboxes, one per tag of the area. */
static void tags_field(struct http_req *req, struct html *h, const struct entity *e,
		       const struct field *f, json_t *values)
{
	json_t *opts = NULL;
	int more;
	size_t i;
	json_t *o;
	html_printf(h, "<fieldset><legend>%T</legend><div class=\"checks\">",
		    label_key(req, e, f->name));
	if (!registry_options(req->db, entity_by_name("tags"), req->sess.area_id, 100, &opts,
			      &more))
		json_array_foreach (opts, i, o) {
			const char *name = json_string_value(json_object_get(o, "title"));
			html_printf(h,
				    "<label class=\"check\"><input type=\"checkbox\" name=\"tags\" "
				    "value=\"%s\"%R> %s</label>",
				    name, tag_checked(values, name) ? " checked" : "", name);
		}
	json_decref(opts);
	html_printf(h, "</div></fieldset>");
}

/* ref_field: a reference as a list of the referenced rows, or, when there
 * are too many for a list, a box for the number or the full name. */
static void ref_field(struct http_req *req, struct html *h, const struct field *f, const char *id,
		      const char *val, const char *req_attr)
{
	const struct entity *ref = entity_by_name(f->ref);
	json_t *opts = NULL;
	int more = 1;
	size_t i;
	json_t *o;
	if (ref)
		registry_options(req->db, ref, req->sess.area_id, REF_SELECT_MAX, &opts, &more);
	if (!more) {
		html_printf(h, "<select id=\"%s\" name=\"%s\"%R><option value=\"\">—</option>", id,
			    f->name, req_attr);
		json_array_foreach (opts, i, o) {
			const char *oid =
			    arena_printf(req->arena, "%lld",
					 (long long)json_integer_value(json_object_get(o, "id")));
			html_printf(h, "<option value=\"%s\"%R>%s</option>", oid,
				    !strcmp(oid, val) ? " selected" : "",
				    json_string_value(json_object_get(o, "title")));
		}
		html_printf(h, "</select>");
	} else {
		/* Too many rows for a list: type the number or the full
		 * name, which the store resolves (e.g. 五月花小区 3号楼 1201). */
		char title[256] = "";
		const char *example =
		    json_string_value(json_object_get(json_array_get(opts, 0), "title"));
		int64_t rid;
		if (ref && !parse_int64(val, 1, INT64_MAX, &rid))
			registry_title(req->db, ref, req->sess.area_id, rid, title, sizeof(title));
		json_t *names = NULL;
		int many = 0;
		/* The names as a <datalist>: the browser offers the matches as
		 * the name is typed (a household by its door), and without it
		 * the box takes the number or the full name as before. */
		html_printf(
		    h,
		    "<input id=\"%s\" name=\"%s\" value=\"%s\" list=\"%s-l\" "
		    "autocomplete=\"off\" aria-describedby=\"%s-t\"%R><datalist id=\"%s-l\">",
		    id, f->name, val, id, id, req_attr, id);
		if (!registry_options(req->db, ref, req->sess.area_id, REF_DATALIST_MAX, &names,
				      &many))
			json_array_foreach (names, i, o)
				html_printf(h, "<option value=\"%s\">",
					    json_string_value(json_object_get(o, "title")));
		json_decref(names);
		html_printf(h, "</datalist><small id=\"%s-t\" class=\"muted\">", id);
		if (*title)
			html_printf(h, "%s · ", title);
		html_printf(h, "%T%s</small>", "form.ref_hint", example ? example : "");
	}
	json_decref(opts);
}

static void form_field(struct http_req *req, struct html *h, const struct entity *e,
		       const struct field *f, json_t *values, const struct validation *v)
{
	const char *val = form_value(req, f, values), *err = field_error(req, e, v, f->name);
	const char *req_attr = (f->flags & FF_REQUIRED) ? " required" : "";
	const char *id = arena_printf(req->arena, "f-%s", f->name);

	html_printf(h, "<div class=\"field%s\">", err ? " invalid" : "");
	if (f->type == FT_BOOL) {
		html_printf(
		    h,
		    "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%R> "
		    "%T</label>",
		    f->name, !strcmp(val, "1") ? " checked" : "", label_key(req, e, f->name));
	} else if (f->type == FT_TAGS) {
		tags_field(req, h, e, f, values);
	} else {
		html_printf(h, "<label for=\"%s\">%T%R</label>", id, label_key(req, e, f->name),
			    (f->flags & FF_REQUIRED)
				? " <span class=\"req\" aria-hidden=\"true\">*</span>"
				: "");
		switch (f->type) {
		case FT_LONGTEXT:
			html_printf(h,
				    "<textarea id=\"%s\" name=\"%s\" rows=\"3\" "
				    "maxlength=\"%l\"%R>%s</textarea>",
				    id, f->name, f->max, req_attr, val);
			break;
		case FT_INT:
			if (f->flags & FF_DB) {
				html_printf(h,
					    "<input id=\"%s\" name=\"%s\" type=\"number\" "
					    "inputmode=\"decimal\" step=\"0.1\" min=\"%s\" "
					    "max=\"%s\" value=\"%s\"%R>",
					    id, f->name, db_text(req, f->min), db_text(req, f->max),
					    val, req_attr);
				break;
			}
			html_printf(
			    h,
			    "<input id=\"%s\" name=\"%s\" type=\"number\" inputmode=\"numeric\" "
			    "min=\"%l\" max=\"%l\" value=\"%s\"%R>",
			    id, f->name, f->min, f->max, val, req_attr);
			break;
		case FT_CENTI:
			html_printf(h,
				    "<input id=\"%s\" name=\"%s\" inputmode=\"decimal\" "
				    "pattern=\"%s\" value=\"%s\"%R>",
				    id, f->name,
				    (f->flags & FF_DB) ? "[0-9]+(\\.[0-9])?"
						       : "[0-9]+(\\.[0-9]{1,2})?",
				    val, req_attr);
			break;
		case FT_DATE:
			html_printf(h, "<input id=\"%s\" name=\"%s\" type=\"date\" value=\"%s\"%R>",
				    id, f->name, val, req_attr);
			break;
		case FT_PHONE:
			html_printf(h,
				    "<input id=\"%s\" name=\"%s\" type=\"tel\" inputmode=\"tel\" "
				    "autocomplete=\"off\" value=\"%s\">",
				    id, f->name, val);
			break;
		case FT_QUESTIONS:
			html_printf(h,
				    "<textarea id=\"%s\" name=\"%s\" rows=\"6\" maxlength=\"%l\" "
				    "class=\"code\" spellcheck=\"false\">%s</textarea>",
				    id, f->name, f->max, val);
			break;
		case FT_URL:
		case FT_EMAIL:
			html_printf(h,
				    "<input id=\"%s\" name=\"%s\" type=\"%s\" maxlength=\"%l\" "
				    "value=\"%s\">",
				    id, f->name, f->type == FT_URL ? "url" : "email", f->max, val);
			break;
		case FT_CHOICE:
			html_printf(h, "<select id=\"%s\" name=\"%s\"%R>", id, f->name, req_attr);
			if (!(f->flags & FF_REQUIRED) || !*val)
				html_printf(h, "<option value=\"\">—</option>");
			for (const char *const *c = f->choices; *c; c++)
				html_printf(h, "<option value=\"%s\"%R>%T</option>", *c,
					    !strcmp(val, *c) ? " selected" : "",
					    choice_key(req, *c));
			html_printf(h, "</select>");
			break;
		case FT_REF:
			ref_field(req, h, f, id, val, req_attr);
			break;
		default:
			html_printf(h,
				    "<input id=\"%s\" name=\"%s\" maxlength=\"%l\" value=\"%s\"%R>",
				    id, f->name, f->max, val, req_attr);
		}
	}
	if (err)
		html_printf(h, "<p class=\"error\" role=\"alert\">%s</p>", err);
	html_printf(h, "</div>");
}

static void entity_form(struct http_req *req, struct html *h, const struct entity *e,
			const char *action, json_t *values, const struct validation *v,
			const char *submit_key)
{
	if (v && v->nerr) {
		char msg[256];
		html_printf(h, "<div class=\"alert\" role=\"alert\"><p>%T</p>", "form.fix_errors");
		/* Errors that belong to no single field (a duplicate row) go here. */
		for (int i = 0; i < v->nerr; i++) {
			if (v->errs[i].field && entity_field(e, v->errs[i].field))
				continue;
			registry_error_text(req->lang, e, &v->errs[i], msg, sizeof(msg));
			html_printf(h, "<p>%s</p>", msg);
		}
		html_printf(h, "</div>");
	}
	html_printf(h, "<form method=\"post\" action=\"%s\" class=\"stack entity-form\">", action);
	page_csrf_field(req, h);
	for (const struct field *f = e->fields; f->name; f++)
		form_field(req, h, e, f, values, v);
	html_printf(h,
		    "<div class=\"actions\"><button type=\"submit\" "
		    "class=\"primary\">%T</button></div></form>",
		    submit_key);
}

/* form_to_json turns the submitted form into the JSON object the validator
 * takes. Absent fields become "" (unchecked boxes send nothing), and the
 * several "tags" values are joined with ';'. */
static json_t *form_to_json(struct http_req *req, const struct entity *e)
{
	json_t *obj = json_object();

	for (const struct field *f = e->fields; f->name; f++) {
		if (f->type == FT_TAGS) {
			struct buf tags;
			buf_init(&tags, 4096);
			for (int i = 0; i < req->nform; i++) {
				if (strcmp(req->form[i].name, f->name))
					continue;
				if (tags.len)
					buf_addc(&tags, ';');
				buf_adds(&tags, req->form[i].value);
			}
			json_object_set_new(obj, f->name, json_string(tags.failed ? "" : tags.buf));
			buf_release(&tags);
			continue;
		}
		const char *val = req_form(req, f->name);
		int64_t centi;
		/* A dB offset is typed in dB ("1.5"); the store keeps hundredths. */
		if ((f->flags & FF_DB) && f->type == FT_INT && val && !db_parse(val, &centi))
			val = arena_printf(req->arena, "%lld", (long long)centi);
		json_object_set_new(obj, f->name, json_string(val ? val : ""));
	}
	return obj;
}

/* ---- list ---- */

static void list_url(struct http_req *req, struct buf *out, const struct entity *e,
		     const struct list_query *lq, int64_t page)
{
	buf_addf(out, "/%s?page=%lld", e->name, (long long)page);
	if (lq->q && *lq->q) {
		buf_adds(out, "&q=");
		url_encode(out, lq->q);
	}
	for (int i = 0; i < lq->nfilters; i++) {
		buf_addf(out, "&%s=", lq->filters[i].field);
		url_encode(out, lq->filters[i].value);
	}
	if (lq->archived)
		buf_adds(out, "&archived=1");
	(void)req;
}

/* title_field: the field a row's title simply is ("@.name" -> name); the
 * table shows it once, as the link. */
static int is_title_field(const struct entity *e, const struct field *f)
{
	return !strncmp(e->title_sql, "@.", 2) && !strcmp(e->title_sql + 2, f->name);
}

static int in_table(const struct entity *e, const struct field *f, const char *skip_field)
{
	return (f->flags & FF_LIST) && !is_title_field(e, f) &&
	       (!skip_field || strcmp(f->name, skip_field));
}

static void rows_table(struct http_req *req, struct html *h, const struct entity *e, json_t *items,
		       const char *skip_field)
{
	size_t i;
	json_t *row;

	const char *title_key = "common.title";
	for (const struct field *f = e->fields; f->name; f++)
		if (is_title_field(e, f))
			title_key = label_key(req, e, f->name);
	html_printf(h, "<div class=\"table-wrap\"><table class=\"rows\"><thead><tr><th>%T</th>",
		    title_key);
	for (const struct field *f = e->fields; f->name; f++)
		if (in_table(e, f, skip_field))
			html_printf(h, "<th>%T</th>", label_key(req, e, f->name));
	html_printf(h, "</tr></thead><tbody>");
	json_array_foreach (items, i, row) {
		int64_t id = (int64_t)json_integer_value(json_object_get(row, "id"));
		html_printf(h, "<tr><td data-label=\"%T\"><a href=\"/%s/%l\">%s</a></td>",
			    title_key, e->name, id,
			    json_string_value(json_object_get(row, "title")));
		for (const struct field *f = e->fields; f->name; f++) {
			if (!in_table(e, f, skip_field))
				continue;
			html_printf(h, "<td data-label=\"%T\">", label_key(req, e, f->name));
			show_value(req, h, f, row);
			html_printf(h, "</td>");
		}
		html_printf(h, "</tr>");
	}
	html_printf(h, "</tbody></table></div>");
}

static int list_page(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	struct html h = {&resp->body, req->lang};
	struct list_query lq;
	struct validation v;
	json_t *items = NULL;
	int64_t total = 0, pages;
	int rc;

	memset(&v, 0, sizeof(v));
	rc = registry_list_query(req, e, &lq, &v);
	if (!rc)
		rc = registry_list(req->db, e, req->sess.area_id, &lq, &items, &total, &v);
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 400, "invalid", "err.bad_query");
	if (rc)
		return rc;
	{
		size_t i;
		json_t *row;
		json_array_foreach (items, i, row)
			registry_mask_row(req, e, row);
	}
	page_begin(req, &h, req_t(req, entity_key(req, e, "")));
	html_printf(&h, "<div class=\"page-head\"><h1>%T</h1>", entity_key(req, e, ""));
	if (req_can(req, e->write))
		html_printf(&h, "<a class=\"button primary\" href=\"/%s/new\">%T</a>", e->name,
			    "common.new");
	html_printf(&h, "</div>");

	html_printf(&h, "<form method=\"get\" action=\"/%s\" class=\"search\" role=\"search\">",
		    e->name);
	html_printf(
	    &h,
	    "<input type=\"search\" name=\"q\" value=\"%s\" placeholder=\"%s\" aria-label=\"%T\">",
	    lq.q ? lq.q : "", search_hint(req, e), "common.search");
	for (const struct field *f = e->fields; f->name; f++) {
		const char *cur = req_query(req, f->name);
		if (!(f->flags & FF_FILTER))
			continue;
		if (f->type == FT_CHOICE || f->type == FT_BOOL) {
			html_printf(&h,
				    "<select name=\"%s\" aria-label=\"%T\"><option value=\"\">%T: "
				    "%T</option>",
				    f->name, label_key(req, e, f->name), label_key(req, e, f->name),
				    "common.all");
			if (f->type == FT_BOOL) {
				html_printf(
				    &h,
				    "<option value=\"1\"%R>%T</option><option "
				    "value=\"0\"%R>%T</option>",
				    cur && !strcmp(cur, "1") ? " selected" : "", "common.yes",
				    cur && !strcmp(cur, "0") ? " selected" : "", "common.no");
			} else {
				for (const char *const *c = f->choices; *c; c++)
					html_printf(&h, "<option value=\"%s\"%R>%T</option>", *c,
						    cur && !strcmp(cur, *c) ? " selected" : "",
						    choice_key(req, *c));
			}
			html_printf(&h, "</select>");
		} else if (cur && *cur) { /* keep a filter that came from a link */
			html_printf(&h, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", f->name,
				    cur);
		}
	}
	if (e->archive)
		html_printf(&h,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"archived\" "
			    "value=\"1\"%R> %T</label>",
			    lq.archived ? " checked" : "", "common.archived");
	html_printf(&h, "<button type=\"submit\">%T</button></form>", "common.search");

	html_printf(
	    &h, "<p class=\"count\">%s</p>",
	    arena_printf(req->arena, i18n_t(req->lang, "common.count_fmt"), (long long)total));
	if (json_array_size(items))
		rows_table(req, &h, e, items, NULL);
	else
		html_printf(&h, "<p class=\"empty\">%T</p>", "common.none");
	pages = (total + lq.per_page - 1) / lq.per_page;
	if (pages > 1) {
		struct buf url;
		buf_init(&url, 8192);
		html_printf(&h, "<nav class=\"pager\" aria-label=\"%T\">", "common.pages");
		if (lq.page > 1) {
			list_url(req, &url, e, &lq, lq.page - 1);
			html_printf(&h, "<a rel=\"prev\" href=\"%s\">%T</a>", url.buf,
				    "common.prev");
		}
		html_printf(&h, "<span>%l / %l</span>", lq.page, pages);
		if (lq.page < pages) {
			buf_reset(&url);
			list_url(req, &url, e, &lq, lq.page + 1);
			html_printf(&h, "<a rel=\"next\" href=\"%s\">%T</a>", url.buf,
				    "common.next");
		}
		html_printf(&h, "</nav>");
		buf_release(&url);
	}
	page_end(req, &h);
	json_decref(items);
	resp->status = 200;
	return 0;
}

/* ---- one row ---- */

static void child_lists(struct http_req *req, struct html *h, const struct entity *e, int64_t id)
{
	for (int k = 0; k < 3 && e->children[k].entity; k++) {
		const struct entity *c = entity_by_name(e->children[k].entity);
		struct list_query lq;
		struct validation v;
		json_t *items = NULL;
		int64_t total = 0;
		const char *idtext = arena_printf(req->arena, "%lld", (long long)id);
		size_t i;
		json_t *row;

		if (!c || !req_can(req, c->read))
			continue;
		memset(&lq, 0, sizeof(lq));
		memset(&v, 0, sizeof(v));
		lq.page = 1;
		lq.per_page = 50;
		lq.no_vulnerable = !req_can(req, PERM_SEE_VULNERABLE);
		lq.filters[0].field = e->children[k].field;
		lq.filters[0].value = idtext;
		lq.nfilters = 1;
		/* Only filterable references make a child list. */
		if (registry_list(req->db, c, req->sess.area_id, &lq, &items, &total, &v))
			continue;
		json_array_foreach (items, i, row)
			registry_mask_row(req, c, row);
		html_printf(h,
			    "<section class=\"card children\"><div class=\"page-head\"><h2>%T "
			    "<small>(%l)</small></h2>",
			    entity_key(req, c, ""), total);
		if (req_can(req, c->write))
			html_printf(h, "<a class=\"button\" href=\"/%s/new?%s=%l\">%T</a>", c->name,
				    e->children[k].field, id, "common.add");
		html_printf(h, "</div>");
		if (total)
			rows_table(req, h, c, items, e->children[k].field);
		if (total > 50)
			html_printf(h, "<p><a href=\"/%s?%s=%l\">%T</a></p>", c->name,
				    e->children[k].field, id, "common.all_rows");
		html_printf(h, "</section>");
		json_decref(items);
	}
}

static void render_item(struct http_req *req, struct http_resp *resp, const struct entity *e,
			int64_t id, json_t *row, json_t *values, const struct validation *v)
{
	struct html h = {&resp->body, req->lang};
	const char *title = json_string_value(json_object_get(row, "title"));

	buf_reset(&resp->body);
	page_begin(req, &h, title);
	html_printf(&h,
		    "<p class=\"crumbs\"><a href=\"/%s\">%T</a></p><div "
		    "class=\"page-head\"><h1>%s</h1>%R</div>",
		    e->name, entity_key(req, e, ""), title,
		    json_is_true(json_object_get(row, "archived"))
			? arena_printf(req->arena, "<span class=\"badge\">%s</span>",
				       i18n_t(req->lang, "common.archived"))
			: "");
	if (req_query(req, "saved"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "form.saved");
	if (req_query(req, "restored"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "form.restored");
	if (json_is_true(json_object_get(row, "archived"))) {
		/* Say what happened and offer the undo (audited like the archive). */
		html_printf(&h, "<div class=\"notice\" role=\"status\"><p>%T</p>",
			    req_query(req, "archived") ? "form.archived_now" : "form.archived_row");
		if (req_can(req, e->write)) {
			html_printf(&h, "<form method=\"post\" action=\"/%s/%l/restore\">", e->name,
				    id);
			page_csrf_field(req, &h);
			html_printf(&h, "<button type=\"submit\">%T</button></form>",
				    "form.restore");
		}
		html_printf(&h, "</div>");
	}
	html_printf(&h, "<section class=\"card\"><dl class=\"facts\">");
	for (const struct field *f = e->fields; f->name; f++) {
		html_printf(&h, "<div><dt>%T</dt><dd>", label_key(req, e, f->name));
		show_value(req, &h, f, row);
		html_printf(&h, "</dd></div>");
	}
	html_printf(&h, "</dl></section>");
	child_lists(req, &h, e, id);
	if (req_can(req, e->write) && !json_is_true(json_object_get(row, "archived"))) {
		const char *action = arena_printf(req->arena, "/%s/%lld", e->name, (long long)id);
		/* The row first; the form behind a button (open again when a
		 * save was refused), the archive behind a confirmation. */
		html_printf(&h,
			    "<details class=\"card fold\" id=\"edit\"%R><summary "
			    "class=\"button\">%T</summary>",
			    v ? " open" : "", "common.edit");
		entity_form(req, &h, e, action, values ? values : row, v, "common.save");
		html_printf(&h,
			    "</details><details class=\"card danger fold\"><summary "
			    "class=\"button\">%T</summary><p>%T</p><form method=\"post\" "
			    "action=\"/%s/%l/delete\">",
			    e->archive ? "common.archive" : "common.delete",
			    e->archive ? "form.archive_confirm" : "common.delete_hint", e->name,
			    id);
		page_csrf_field(req, &h);
		html_printf(&h,
			    "<button type=\"submit\" class=\"danger\">%T</button></form></details>",
			    e->archive ? "form.archive_yes" : "form.delete_yes");
	}
	page_end(req, &h);
}

static int parse_id(struct http_req *req, int64_t *id)
{
	return parse_int64(req_param(req, 0), 1, INT64_MAX, id);
}

static int item_page(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	json_t *row = NULL;
	int64_t id;

	if (parse_id(req, &id) || registry_get_for(req, e, id, &row))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	registry_mask_row(req, e, row);
	render_item(req, resp, e, id, row, NULL, NULL);
	json_decref(row);
	resp->status = 200;
	return 0;
}

static void render_new(struct http_req *req, struct http_resp *resp, const struct entity *e,
		       json_t *values, const struct validation *v)
{
	struct html h = {&resp->body, req->lang};
	const char *title = arena_printf(req->arena, "%s · %s", i18n_t(req->lang, "common.new"),
					 i18n_t(req->lang, entity_key(req, e, ".one")));

	buf_reset(&resp->body);
	page_begin(req, &h, title);
	html_printf(
	    &h, "<p class=\"crumbs\"><a href=\"/%s\">%T</a></p><h1>%s</h1><section class=\"card\">",
	    e->name, entity_key(req, e, ""), title);
	entity_form(req, &h, e, arena_printf(req->arena, "/%s", e->name), values, v,
		    "common.create");
	html_printf(&h, "</section>");
	page_end(req, &h);
}

static int new_page(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	json_t *values = json_object();

	/* Links from a parent page prefill the reference (?building_id=3). */
	for (const struct field *f = e->fields; f->name; f++) {
		const char *q = req_query(req, f->name);
		if (q)
			json_object_set_new(values, f->name, json_string(q));
	}
	render_new(req, resp, e, values, NULL);
	json_decref(values);
	resp->status = 200;
	return 0;
}

static int store_failure(struct http_req *req, struct http_resp *resp, const struct entity *e,
			 struct validation *v, int rc)
{
	if (rc == LIN_ECONFLICT) {
		validation_add_error(v, NULL, "err.conflict");
		return 422;
	}
	if (rc == LIN_EINVAL)
		return 422;
	if (rc == LIN_EPERM) {
		validation_add_error(v, NULL, "err.archived");
		return 422;
	}
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found"), 0;
	(void)e;
	return resp_error(req, resp, 500, "internal", "err.internal"), 0;
}

static int create_submit(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	struct validation v;
	json_t *in = form_to_json(req, e);
	int64_t id = 0;
	int rc, status;

	rc = entity_validate(e, in, 0, &v);
	if (!rc)
		rc = registry_create(req->db, &req->sess, e, &v, &id);
	if (!rc) {
		json_decref(in);
		return resp_redirect(
		    req, resp,
		    arena_printf(req->arena, "/%s/%lld?saved=1", e->name, (long long)id));
	}
	status = store_failure(req, resp, e, &v, rc);
	if (status) {
		render_new(req, resp, e, in, &v);
		resp->status = status;
	}
	json_decref(in);
	return 0;
}

static int update_submit(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	struct validation v;
	json_t *in = form_to_json(req, e), *row = NULL;
	int64_t id;
	int rc, status;

	if (parse_id(req, &id)) {
		json_decref(in);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	rc = entity_validate(e, in, 0, &v);
	if (!rc)
		rc = registry_update(req->db, &req->sess, e, id, &v);
	if (!rc) {
		json_decref(in);
		return resp_redirect(
		    req, resp,
		    arena_printf(req->arena, "/%s/%lld?saved=1", e->name, (long long)id));
	}
	status = store_failure(req, resp, e, &v, rc);
	if (status && !registry_get_for(req, e, id, &row)) {
		registry_mask_row(req, e, row);
		render_item(req, resp, e, id, row, in, &v);
		resp->status = status;
		json_decref(row);
	} else if (status) {
		resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	json_decref(in);
	return 0;
}

static int delete_submit(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	int64_t id;
	int rc;

	if (parse_id(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = registry_remove(req->db, &req->sess, e, id);
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "in_use", "err.in_use");
	if (rc == LIN_EPERM)
		return resp_error(req, resp, 409, "archived", "err.archived");
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return rc;
	/* Archived rows stay readable: their page says so and offers the
	 * undo; a deleted one is gone, back to the list. */
	return resp_redirect(
	    req, resp,
	    e->archive ? arena_printf(req->arena, "/%s/%lld?archived=1", e->name, (long long)id)
		       : arena_printf(req->arena, "/%s", e->name));
}

static int restore_submit(struct http_req *req, struct http_resp *resp)
{
	const struct entity *e = req->route->data;
	int64_t id;
	int rc;

	if (parse_id(req, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = registry_restore(req->db, &req->sess, e, id);
	if (rc == LIN_ECONFLICT)
		return resp_error(req, resp, 409, "parent_archived", "err.parent_archived");
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return rc;
	return resp_redirect(
	    req, resp, arena_printf(req->arena, "/%s/%lld?restored=1", e->name, (long long)id));
}

int registry_page_routes(struct router *r, const struct entity *e, char *(*intern)(const char *))
{
	char path[96], item[96], fresh[96], del[96], undo[96];

	snprintf(path, sizeof(path), "/%s", e->name);
	snprintf(fresh, sizeof(fresh), "/%s/new", e->name);
	snprintf(item, sizeof(item), "/%s/:id", e->name);
	snprintf(del, sizeof(del), "/%s/:id/delete", e->name);
	snprintf(undo, sizeof(undo), "/%s/:id/restore", e->name);
	const char *p = intern(path), *np = intern(fresh), *ip = intern(item), *dp = intern(del);
	const char *rp = intern(undo);
	if (!p || !np || !ip || !dp || !rp)
		return LIN_ENOMEM;
	struct route routes[] = {
	    {"GET", p, list_page, e->read, 0, e, 0},
	    {"GET", np, new_page, e->write, 0, e, 0},
	    {"POST", p, create_submit, e->write, 0, e, 0},
	    {"GET", ip, item_page, e->read, 0, e, 0},
	    {"POST", ip, update_submit, e->write, 0, e, 0},
	    {"POST", dp, delete_submit, e->write, 0, e, 0},
	    {"POST", rp, restore_submit, e->write, 0, e, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
