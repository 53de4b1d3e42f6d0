/* Filing a report: /report, the residents' form, no account needed
 * (choose a category, then describe it, with photos; the duplicate check
 * offers "it happened again"), phone first; and /cases/new, the same form
 * for staff taking a report by telephone or at the desk. Both go through
 * report_submit_for and cases_open. */
#include "internal.h"
#include "report.h"
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

int cases_public_area(struct http_req *req, int64_t *area_id)
{
	int rc;

	if (req->sess.area_id) {
		*area_id = req->sess.area_id;
		return 0;
	}
	rc = area_resolve(req->db, req_area_code(req), area_id, NULL, 0);
	return rc == LIN_ECONFLICT ? LIN_ENOTFOUND : rc;
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
