/* Open311: POST requests.{fmt}, filing a report from an outside
 * application with an API key. The form's fields become a case through
 * cases_open; the reporter's name, phone and e-mail are stored for staff
 * and never shown back. */
#include "open311.h"
#include "open311_answer.h"
#include "cases.h"
#include "store.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../web/auth.h"
#include "../web/http.h"
#include "../web/multipart.h"
#include "../web/router.h"
#include "photos.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MEDIA_URL_MAX 1000 /* bytes of a media_url */

/* ---- filing a request ---- */

/* post_param: a POST parameter from the body. */
static const char *post_param(struct http_req *req, const char *name)
{
	const char *v = req_form(req, name);
	return v && *v ? v : NULL;
}

/* collect_attributes gathers attribute[code] and attribute[code][] fields
 * into answers: a string, or an array of strings. On a problem the 400 is
 * sent and LIN_EINVAL returned. */
static int collect_attributes(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
			      json_t *answers)
{
	char code[OPEN311_CODE_MAX + 1];
	int is_array, rc;

	for (int i = 0; i < req->nform; i++) {
		const struct form_field *f = &req->form[i];
		json_t *have;

		rc = open311_attribute_key(f->name, code, sizeof(code), &is_array);
		if (rc == LIN_ENOTFOUND)
			continue;
		if (rc) {
			open311_fail(req, resp, fmt, 400, M_ATTRIBUTE_KEY, f->name);
			return LIN_EINVAL;
		}
		/* attribute[c] once, or attribute[c][] any number of times. */
		have = json_object_get(answers, code);
		if (is_array ? have && !json_is_array(have) : have != NULL) {
			open311_fail(req, resp, fmt, 400, M_ATTRIBUTE_REPEATED,
				     arena_printf(req->arena, "attribute[%s]", code));
			return LIN_EINVAL;
		}
		if (!is_array) {
			json_object_set_new(answers, code, json_string(f->value));
			continue;
		}
		if (!have) {
			have = json_array();
			json_object_set_new(answers, code, have);
		}
		json_array_append_new(have, json_string(f->value));
	}
	return 0;
}

/* decimal_valid: an optional sign, digits, and optional decimals ("-3",
 * "12.5"), at most 30 characters. */
static int decimal_valid(const char *s)
{
	size_t n = strlen(s), i = 0, whole, frac = 0;

	if (n > 30)
		return 0;
	if (s[i] == '-' || s[i] == '+')
		i++;
	whole = strspn(s + i, "0123456789");
	i += whole;
	if (s[i] == '.') {
		frac = strspn(s + i + 1, "0123456789");
		if (!frac)
			return 0;
		i += 1 + frac;
	}
	return whole > 0 && i == n;
}

/* allowed: value is one of the keys of question q's values. */
static int allowed(json_t *q, json_t *value)
{
	size_t i;
	json_t *v;

	json_array_foreach (json_object_get(q, "values"), i, v) {
		if (json_is_string(value) && json_equal(json_object_get(v, "key"), value))
			return 1;
	}
	return 0;
}

/* shape_answers fits the answers to the category's questions and checks
 * them, so that the message can name the attribute: a multivaluelist
 * takes an array (one value given plainly is wrapped), the other kinds one
 * string; required ones must be there, list values must be allowed,
 * numbers and datetimes well formed, text at most 500 characters.
 * cases_open checks again. Sends the 400 on a problem. */
static int shape_answers(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
			 const struct case_category *cat, json_t *answers)
{
	enum open311_msg m = M_ANSWER;
	const char *code = NULL;
	size_t i, k;
	json_t *q, *v;

	json_array_foreach (cat->questions, i, q) {
		const char *type = json_string_value(json_object_get(q, "datatype"));
		const char *text;
		json_t *a;
		int64_t when;

		code = json_string_value(json_object_get(q, "code"));
		a = code ? json_object_get(answers, code) : NULL;
		if (!code || !type)
			continue;
		if (!a || (json_is_string(a) && !*json_string_value(a)) ||
		    (json_is_array(a) && !json_array_size(a))) {
			json_object_del(answers, code);
			if (json_is_true(json_object_get(q, "required"))) {
				m = M_ANSWER_REQUIRED;
				goto bad;
			}
			continue;
		}
		if (!strcmp(type, "multivaluelist")) {
			if (json_is_string(a)) {
				json_object_set_new(answers, code, json_pack("[O]", a));
				a = json_object_get(answers, code);
			}
			json_array_foreach (a, k, v) {
				if (!allowed(q, v))
					goto bad;
			}
			continue;
		}
		if (json_is_array(a)) {
			if (json_array_size(a) != 1)
				goto bad;
			json_object_set(answers, code, json_array_get(a, 0));
			a = json_object_get(answers, code);
		}
		text = json_string_value(a);
		if (!strcmp(type, "singlevaluelist")) {
			if (!allowed(q, a))
				goto bad;
		} else if (!text || utf8_chars(text) > 500) {
			goto bad;
		} else if (!strcmp(type, "number") && !decimal_valid(text)) {
			goto bad;
		} else if (!strcmp(type, "datetime") &&
			   open311_parse_datetime(text, &when, &when)) {
			goto bad;
		}
	}
	return 0;
bad:
	open311_fail(req, resp, fmt, 400, m, arena_printf(req->arena, "attribute[%s]", code));
	return LIN_EINVAL;
}

/* reporter_name joins first_name and last_name: family name first and no
 * space for Chinese names (both parts non-ASCII), "First Last" otherwise. */
static const char *reporter_name(struct http_req *req)
{
	const char *first = post_param(req, "first_name"), *last = post_param(req, "last_name");

	if (!first || !last)
		return first ? first : last ? last : "";
	if ((unsigned char)first[0] >= 0x80 && (unsigned char)last[0] >= 0x80)
		return arena_printf(req->arena, "%s%s", last, first);
	return arena_printf(req->arena, "%s %s", first, last);
}

/* open_error answers cases_open's LIN_EINVAL in Open311 terms. */
static int open_error(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
		      const char *field, const char *key)
{
	static const struct {
		const char *field; /* cases_open's name */
		const char *param; /* Open311's */
	} params[] = {
	    {"description", "description"},  {"household_id", "address_id"},
	    {"compound_id", "address_id"},   {"building_id", "address_id"},
	    {"address", "address_string"},   {"lat", "lat"},
	    {"reporter_name", "first_name"}, {"reporter_phone", "phone"},
	    {"reporter_email", "email"},     {"category", "service_code"},
	};
	const char *param = NULL;

	key = key ? key : "";
	for (size_t i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (field && !strcmp(field, params[i].field))
			param = params[i].param;
	/* Otherwise a question of the category (shape_answers has checked
	 * them already, so these are unlikely). */
	if (!param)
		param = arena_printf(req->arena, "attribute[%s]", field ? field : "");
	if (!strcmp(key, "case.err.answer_required"))
		return open311_fail(req, resp, fmt, 400, M_ANSWER_REQUIRED, param);
	if (!strcmp(key, "case.err.answer"))
		return open311_fail(req, resp, fmt, 400, M_ANSWER, param);
	if (!strcmp(key, "case.err.category"))
		return open311_fail(req, resp, fmt, 400, M_SERVICE_UNKNOWN, NULL);
	if (!strcmp(key, "case.err.latlon"))
		return open311_fail(req, resp, fmt, 400, M_LATLONG, NULL);
	if (!strcmp(key, "err.ref"))
		return open311_fail(req, resp, fmt, 400, M_ADDRESS_ID, NULL);
	if (!strcmp(key, "err.required"))
		return open311_fail(req, resp, fmt, 400, M_REQUIRED, param);
	if (!strcmp(key, "err.too_long"))
		return open311_fail(req, resp, fmt, 400, M_TOO_LONG, param);
	return open311_fail(req, resp, fmt, 400, M_INVALID, param);
}

/* read_location fills the place of in from lat/long, address_string and
 * address_id; at least one is required. Sends the 400 on a problem. */
static int read_location(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
			 struct case_new *in)
{
	const char *lat = post_param(req, "lat"), *lon = post_param(req, "long");
	const char *address = post_param(req, "address_string");
	const char *address_id = post_param(req, "address_id");

	in->lat_e6 = in->lon_e6 = INT64_MIN;
	in->plan_x = in->plan_y = -1;
	in->address = "";
	if (!lat && !lon && !address && !address_id) {
		open311_fail(req, resp, fmt, 400, M_LOCATION_REQUIRED, NULL);
		return LIN_EINVAL;
	}
	if ((lat || lon) && (!lat || !lon || open311_parse_degrees(lat, 90, &in->lat_e6) ||
			     open311_parse_degrees(lon, 180, &in->lon_e6))) {
		open311_fail(req, resp, fmt, 400, M_LATLONG, NULL);
		return LIN_EINVAL;
	}
	if (address_id && parse_int64(address_id, 1, INT64_MAX, &in->household_id)) {
		open311_fail(req, resp, fmt, 400, M_ADDRESS_ID, NULL);
		return LIN_EINVAL;
	}
	if (address)
		in->address = address;
	return 0;
}

/* value_name: the Chinese name of a list value key in question q. */
static const char *value_name(json_t *q, const char *key)
{
	size_t i;
	json_t *v;

	json_array_foreach (json_object_get(q, "values"), i, v)
		if (json_string_value(json_object_get(v, "key")) &&
		    !strcmp(key, json_string_value(json_object_get(v, "key"))) &&
		    json_string_value(json_object_get(v, "name_zh")))
			return json_string_value(json_object_get(v, "name_zh"));
	return key;
}

/* answers_text: what the answers say, in the category's own words
 * ("哪些问题：不亮、闪烁；几盏：3"), for a request sent without a
 * description. NULL when nothing was answered. */
static char *answers_text(struct http_req *req, const struct case_category *cat, json_t *answers)
{
	struct buf b;
	size_t i, k;
	json_t *q, *a, *item;
	char *out;

	buf_init(&b, 8192);
	json_array_foreach (cat->questions, i, q) {
		const char *code = json_string_value(json_object_get(q, "code"));
		const char *label = json_string_value(json_object_get(q, "description_zh"));
		if (!code || !(a = json_object_get(answers, code)))
			continue;
		buf_addf(&b, "%s%s：", b.len ? "；" : "", label ? label : code);
		if (json_is_array(a)) {
			json_array_foreach (a, k, item)
				buf_addf(&b, "%s%s", k ? "、" : "",
					 value_name(q, json_string_value(item)
							   ? json_string_value(item)
							   : ""));
		} else {
			buf_adds(&b,
				 value_name(q, json_string_value(a) ? json_string_value(a) : ""));
		}
	}
	out = b.len && !b.failed ? arena_strdup(req->arena, b.buf) : NULL;
	buf_release(&b);
	return out;
}

/* read_description: the description, with media_url noted on a line of its
 * own (staff follow the link). GeoReport makes description optional: a
 * request without one is taken when the category's questions were
 * answered, and the answers become its text. */
static int read_description(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
			    const struct case_category *cat, json_t *answers, struct case_new *in)
{
	const char *description = post_param(req, "description");
	const char *media = post_param(req, "media_url");
	char *text;

	text = arena_strdup(req->arena, description ? description : "");
	if (!text)
		return LIN_ENOMEM;
	text = str_trim(text);
	if (!*text)
		text = answers_text(req, cat, answers);
	if (!text || !*text) {
		open311_fail(req, resp, fmt, 400, M_REQUIRED, "description");
		return LIN_EINVAL;
	}
	if (media) {
		if ((strncmp(media, "http://", 7) && strncmp(media, "https://", 8)) ||
		    strlen(media) > MEDIA_URL_MAX || strpbrk(media, " \t\r\n<>\"")) {
			open311_fail(req, resp, fmt, 400, M_MEDIA_URL, NULL);
			return LIN_EINVAL;
		}
		text = arena_printf(req->arena, "%s\n%s", text, media);
		if (!text)
			return LIN_ENOMEM;
	}
	if (utf8_chars(text) > CASE_DESCRIPTION_MAX) {
		open311_fail(req, resp, fmt, 400, M_TOO_LONG,
			     media ? "description + media_url" : "description");
		return LIN_EINVAL;
	}
	in->description = text;
	return 0;
}

/* A photo sent as the multipart field "media", staged until the request is
 * filed (then named) or refused (then removed). */
struct media {
	const struct multipart_part *part; /* the field, NULL if none */
	struct case_photo photo;	   /* what cases_open records */
	char staged[4200];		   /* its staged file, "" if none */
};

/* read_multipart: a multipart/form-data body (the Open311 clients' way to
 * send media) becomes req's form fields; its one file, "media", goes to
 * m. Sends 400 on a problem. */
static int read_multipart(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
			  struct media *m)
{
	const char *ct = req_header(req, "Content-Type");
	char boundary[MULTIPART_BOUNDARY_MAX + 1];
	struct multipart_part *parts = NULL;
	struct form_field *form;
	int nparts = 0, n = 0;

	if (!ct || strncasecmp(ct, "multipart/form-data", 19))
		return 0;
	if (multipart_boundary(ct, boundary, sizeof(boundary)) ||
	    multipart_parse(req->arena, boundary, (const unsigned char *)req->body, req->body_len,
			    256, &parts, &nparts))
		goto bad;
	form = arena_alloc(req->arena, sizeof(*form) * (size_t)(nparts + 1));
	if (!form)
		return LIN_ENOMEM;
	for (int i = 0; i < nparts; i++) {
		if (parts[i].filename) {
			if (strcmp(parts[i].name, "media") || m->part)
				goto bad;
			if (parts[i].len)
				m->part = &parts[i];
			continue;
		}
		/* Each part as sent: attribute[code][] comes once per value. */
		form[n].name = parts[i].name;
		form[n].value =
		    arena_strndup(req->arena, (const char *)parts[i].data, parts[i].len);
		if (!form[n].value)
			return LIN_ENOMEM;
		if (strlen(form[n].value) != parts[i].len ||
		    !utf8_valid(form[n].value, parts[i].len))
			goto bad;
		n++;
	}
	req->form = form;
	req->nform = n;
	return 0;
bad:
	open311_fail(req, resp, fmt, 400, M_FORM, NULL);
	return LIN_EINVAL;
}

/* stage_media checks, strips (metadata), decodes and stages m's photo.
 * Sends 400 (not a photo we take) or 507 (the disk is short) on a
 * problem. */
static int stage_media(struct http_req *req, struct http_resp *resp, enum open311_format fmt,
		       struct media *m)
{
	const struct cases_uploads *up = req->route->data;
	const char *mime;
	struct buf clean;
	int rc;

	if (!m->part)
		return 0;
	if (photo_sniff(m->part->data, m->part->len, &mime)) {
		open311_fail(req, resp, fmt, 400, M_MEDIA, NULL);
		return LIN_EINVAL;
	}
	if (photo_room(up->dir, up->min_free, m->part->len)) {
		open311_fail(req, resp, fmt, 507, M_DISK, NULL);
		return LIN_ENOSPC;
	}
	buf_init(&clean, PHOTO_MAX_BYTES + 1);
	rc = photo_strip(m->part->data, m->part->len, mime, &clean);
	if (!rc)
		rc = photo_stage(up->dir, (const unsigned char *)clean.buf, clean.len, mime,
				 m->photo.sha256, m->staged, sizeof(m->staged));
	m->photo.mime = mime;
	m->photo.bytes = (int64_t)clean.len;
	buf_release(&clean);
	if (rc && rc != LIN_EIO && rc != LIN_ENOMEM) {
		m->staged[0] = '\0';
		open311_fail(req, resp, fmt, 400, M_MEDIA, NULL);
		return LIN_EINVAL;
	}
	if (rc)
		m->staged[0] = '\0';
	return rc;
}

/* check_key signs the caller in with api_key (or a Bearer token) and
 * checks it against jurisdiction_id. Sends 403/404 on a problem. */
static int check_key(struct http_req *req, struct http_resp *resp, enum open311_format fmt)
{
	const char *key = post_param(req, "api_key");
	const char *jurisdiction = post_param(req, "jurisdiction_id");
	struct open311_area area;
	int rc;

	if (!key)
		key = req_query(req, "api_key");
	if (!jurisdiction)
		jurisdiction = req_query(req, "jurisdiction_id");
	if (key && *key) {
		rc = auth_token_session(req, key);
		if (rc)
			return rc;
	}
	if (req->sess.kind != AUTH_TOKEN || !req_can(req, PERM_CASES_REPORT)) {
		open311_fail(req, resp, fmt, 403, M_API_KEY, NULL);
		return LIN_EPERM;
	}
	if (!jurisdiction || !*jurisdiction)
		return 0; /* the key's own area */
	rc = open311_find_area(req, resp, fmt, jurisdiction, &area);
	if (rc || !area.id)
		return rc ? rc : LIN_ENOTFOUND;
	if (area.scope != ROLE_NONE) {
		open311_fail(req, resp, fmt, 400, M_JURISDICTION_AREA, NULL);
		return LIN_EINVAL;
	}
	if (area.id != req->sess.area_id) {
		open311_fail(req, resp, fmt, 403, M_API_KEY_AREA, NULL);
		return LIN_EPERM;
	}
	return 0;
}

int open311_request_post(struct http_req *req, struct http_resp *resp)
{
	enum open311_format fmt = open311_format_of(req_param(req, 0));
	const char *service = post_param(req, "service_code");
	const char *err_field = NULL, *err_key = NULL;
	char code[TRACKING_CODE_LEN + 1] = "", id[24];
	struct case_category cat;
	struct case_new in;
	json_t *answers = json_object();
	struct media m;
	int64_t case_id = 0;
	int rc;

	memset(&cat, 0, sizeof(cat));
	memset(&in, 0, sizeof(in));
	memset(&m, 0, sizeof(m));
	if (fmt == FMT_UNKNOWN) {
		rc = open311_fail(req, resp, fmt, 404, M_FORMAT, NULL);
		goto out;
	}
	rc = read_multipart(req, resp, fmt, &m);
	if (!rc)
		service = post_param(req, "service_code");
	if (!rc)
		rc = check_key(req, resp, fmt);
	if (rc)
		goto out;
	if (!service) {
		rc = open311_fail(req, resp, fmt, 400, M_REQUIRED, "service_code");
		goto out;
	}
	/* A private category (neighbour disputes) is not a service here. */
	rc = case_category_get(req->db, req->sess.area_id, service, &cat);
	if (rc == LIN_ENOTFOUND || (!rc && cat.private_)) {
		rc = open311_fail(req, resp, fmt, 400, M_SERVICE_UNKNOWN, NULL);
		goto out;
	}
	if (rc)
		goto out;
	rc = read_location(req, resp, fmt, &in);
	if (!rc)
		rc = collect_attributes(req, resp, fmt, answers);
	if (!rc)
		rc = shape_answers(req, resp, fmt, &cat, answers);
	if (!rc)
		rc = read_description(req, resp, fmt, &cat, answers, &in);
	if (!rc)
		rc = stage_media(req, resp, fmt, &m);
	if (rc)
		goto out;
	/* Media sent through Open311 is for publishing (media_url). */
	if (m.staged[0]) {
		in.photos = &m.photo;
		in.nphotos = 1;
		in.photos_public = 1;
	}
	in.area_id = req->sess.area_id;
	in.category = cat.code;
	in.reporter_name = reporter_name(req);
	in.reporter_phone = post_param(req, "phone") ? post_param(req, "phone") : "";
	in.reporter_email = post_param(req, "email") ? post_param(req, "email") : "";
	in.channel = "open311";
	in.answers = answers;
	in.arena = req->arena;
	rc = cases_open(req->db, &req->sess, &in, &case_id, code, &err_field, &err_key);
	if (rc == LIN_EINVAL) {
		rc = open_error(req, resp, fmt, err_field, err_key);
		goto out;
	}
	if (rc)
		goto out;
	if (m.staged[0] && photo_commit(((const struct cases_uploads *)req->route->data)->dir,
					m.staged, m.photo.sha256, m.photo.mime) == 0)
		m.staged[0] = '\0';
	snprintf(id, sizeof(id), "%lld", (long long)case_id);
	/* The tracking code goes to the client that filed the request only:
	 * it is the reporter's key to the case, never shown in the lists. */
	rc = open311_send(resp, fmt, 201, "service_requests", "request",
			  json_pack("[{s:s,s:s,s:n}]", "service_request_id", id, "service_notice",
				    open311_message(req, M_NOTICE, code), "account_id"));
out:
	/* A refused request leaves nothing on disk. */
	if (m.staged[0])
		photo_discard(m.staged);
	/* Whatever happened, the failure is in this client's own terms. */
	if (rc && resp->status)
		rc = 0;
	case_category_release(&cat);
	json_decref(answers);
	return open311_finish(req, resp, fmt, rc);
}
