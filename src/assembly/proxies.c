/* Proxies (委托): a written entrustment recorded by staff (who votes, their
 * relation to the owner, for which part, what the owner instructed) with
 * a photo of the signed paper, stored as a report's photos are (cases.h).
 * A paper sheet returned through a proxy names its entrustment; one
 * without a live entrustment is refused (and logged). */
#include "channels.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/multipart.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* The stored photo's name: "<sha256>.<jpg|png|webp>". */
static const char *photo_ext_of(const char *mime)
{
	return !strcmp(mime, "image/png") ? "png" : !strcmp(mime, "image/webp") ? "webp" : "jpg";
}

int channels_proxies_page(struct http_req *req, struct http_resp *resp)
{
	json_t *proxies = NULL, *parts = NULL, *x;
	struct assembly a;
	struct html h;
	size_t i;

	if (channels_assembly(req, &a) ||
	    channels_proxies_json(req->db, req->sess.area_id, a.id, &proxies) ||
	    assembly_parts_json(req->db, req->sess.area_id, a.id, &parts)) {
		json_decref(proxies);
		json_decref(parts);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.proxies"));
	channels_tabs(&h, &a, "proxies");
	html_printf(&h, "<h1>%T</h1><p class=\"hint\">%T</p>", "assembly.ch.proxies",
		    "assembly.ch.proxies_hint");
	html_printf(&h,
		    "<form method=\"post\" action=\"/assemblies/%l/proxies\" "
		    "enctype=\"multipart/form-data\" class=\"card stack\">",
		    a.id);
	page_csrf_field(req, &h);
	html_printf(&h, "<h2>%T</h2><label>%T <select name=\"part\" required>",
		    "assembly.ch.proxy_new", "assembly.ch.unit");
	json_array_foreach (parts, i, x) {
		if (json_is_true(json_object_get(x, "removed")))
			continue;
		html_printf(&h, "<option value=\"%l\">%s</option>",
			    (int64_t)json_integer_value(json_object_get(x, "id")),
			    json_string_value(json_object_get(x, "unit")));
	}
	html_printf(
	    &h,
	    "</select></label><label>%T <input name=\"proxy_name\" required maxlength=\"60\">"
	    "</label><label>%T <input name=\"relation\" maxlength=\"60\"></label>"
	    "<label>%T <textarea name=\"instructions\" maxlength=\"2000\"></textarea></label>"
	    "<label>%T <input type=\"file\" name=\"photo\" accept=\"image/*\" required></label>"
	    "<button class=\"primary\">%T</button></form>",
	    "assembly.ch.proxy_name", "assembly.ch.relation", "assembly.ch.instructions",
	    "assembly.ch.proxy_photo", "assembly.ch.record");
	html_printf(&h, "<ul class=\"proxies\">");
	json_array_foreach (proxies, i, x) {
		int64_t id = json_integer_value(json_object_get(x, "id"));
		int revoked = json_is_true(json_object_get(x, "revoked"));
		html_printf(
		    &h,
		    "<li id=\"proxy-%l\" class=\"card%R\"><p><strong>%s</strong> · %s (%s)%R</p>"
		    "<p>%s</p><a href=\"/assemblies/%l/proxies/%l/photo\"><img "
		    "src=\"/assemblies/%l/"
		    "proxies/%l/photo\" alt=\"%T\" width=\"160\" loading=\"lazy\"></a>",
		    id, revoked ? " revoked" : "", json_string_value(json_object_get(x, "unit")),
		    json_string_value(json_object_get(x, "proxy_name")),
		    json_string_value(json_object_get(x, "relation")),
		    revoked ? arena_printf(req->arena, " <em>%s</em>",
					   req_t(req, "assembly.ch.revoked"))
			    : "",
		    json_string_value(json_object_get(x, "instructions")), a.id, id, a.id, id,
		    "assembly.ch.proxy_photo");
		if (!revoked) {
			html_printf(
			    &h,
			    "<form method=\"post\" action=\"/assemblies/%l/proxies/%l/revoke\">",
			    a.id, id);
			page_csrf_field(req, &h);
			html_printf(&h, "<button>%T</button></form>", "assembly.ch.revoke");
		}
		html_printf(&h, "</li>");
	}
	html_printf(&h, "</ul>");
	json_decref(proxies);
	json_decref(parts);
	return channels_page_end(req, resp, &h, 200);
}

int channels_proxy_submit(struct http_req *req, struct http_resp *resp)
{
	const struct cases_uploads *up = req->route->data;
	const char *ct = req_header(req, "Content-Type"), *why = NULL, *part_text;
	struct channels_proxy_in in = {0};
	struct multipart_part *parts = NULL;
	struct case_photo photo = {0};
	struct assembly a;
	char boundary[80];
	int nparts = 0, rc = LIN_EINVAL;
	int64_t id = 0;

	if (!ct || multipart_boundary(ct, boundary, sizeof(boundary)) ||
	    multipart_parse(req->arena, boundary, (const unsigned char *)req->body, req->body_len,
			    16, &parts, &nparts))
		return resp_error(req, resp, 400, "bad_form", "err.bad_form");
	/* the form's token is in the multipart body, which the door does not
	 * read: checked here */
	if (req->sess.kind == AUTH_COOKIE) {
		const char *sent = multipart_text(req->arena, parts, nparts, "_csrf");
		if (!sent || !req->sess.csrf || strcmp(sent, req->sess.csrf))
			return resp_error(req, resp, 403, "csrf", "err.csrf");
	}
	if (channels_assembly(req, &a) || !up || !up->dir)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	in.assembly_id = a.id;
	part_text = multipart_text(req->arena, parts, nparts, "part");
	if (!part_text || parse_int64(part_text, 1, INT64_MAX, &in.part_id))
		return resp_error(req, resp, 422, "invalid", "assembly.ch.err.part");
	in.proxy_name = multipart_text(req->arena, parts, nparts, "proxy_name");
	in.relation = multipart_text(req->arena, parts, nparts, "relation");
	in.instructions = multipart_text(req->arena, parts, nparts, "instructions");
	if (in.proxy_name)
		in.proxy_name = str_trim(arena_strdup(req->arena, in.proxy_name));
	if (!in.proxy_name || !*in.proxy_name)
		return resp_error(req, resp, 422, "invalid", "assembly.ch.err.proxy_name");
	for (int i = 0; i < nparts; i++) {
		if (strcmp(parts[i].name, "photo") || !parts[i].filename || !parts[i].len)
			continue;
		rc = cases_photo_keep(up, parts[i].data, parts[i].len, &photo);
		break;
	}
	if (rc == LIN_ENOSPC)
		return resp_error(req, resp, 507, "disk_low", "assembly.ch.err.disk_low");
	if (rc == LIN_ETOOBIG || rc == LIN_ERANGE)
		return resp_error(req, resp, 413, "too_large", "assembly.ch.err.photo_big");
	if (rc)
		return resp_error(req, resp, 422, "invalid", "assembly.ch.err.proxy_photo");
	in.photo = arena_printf(req->arena, "%s.%s", photo.sha256, photo_ext_of(photo.mime));
	rc = channels_proxy_add(req->db, &req->sess, req->sess.area_id, &in, &id, &why);
	if (rc == LIN_EINVAL)
		return resp_error(req, resp, 422, "invalid", why ? why : "assembly.ch.err.part");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/assemblies/%lld/proxies#proxy-%lld",
					  (long long)a.id, (long long)id));
}

int channels_proxy_revoke_submit(struct http_req *req, struct http_resp *resp)
{
	struct assembly a;
	json_t *proxies = NULL, *x;
	int64_t id = assembly_param_id(req, 1);
	int mine = 0, rc;
	size_t i;

	if (channels_assembly(req, &a) ||
	    channels_proxies_json(req->db, req->sess.area_id, a.id, &proxies)) {
		json_decref(proxies);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	json_array_foreach (proxies, i, x)
		mine |= json_integer_value(json_object_get(x, "id")) == id;
	json_decref(proxies);
	rc = mine ? channels_proxy_revoke(req->db, &req->sess, req->sess.area_id, id)
		  : LIN_ENOTFOUND;
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return resp_error(req, resp, 500, "internal", "err.internal");
	return resp_redirect(req, resp,
			     arena_printf(req->arena, "/assemblies/%lld/proxies", (long long)a.id));
}

int channels_proxy_photo_file(struct http_req *req, struct http_resp *resp)
{
	const struct cases_uploads *up = req->route->data;
	struct assembly a;
	json_t *proxies = NULL, *x;
	int64_t id = assembly_param_id(req, 1);
	const char *mime = NULL, *dot;
	char photo[80] = "", sha[65];
	int mine = 0;
	size_t i;

	if (!up || !up->dir || channels_assembly(req, &a) ||
	    channels_proxies_json(req->db, req->sess.area_id, a.id, &proxies)) {
		json_decref(proxies);
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	}
	json_array_foreach (proxies, i, x)
		mine |= json_integer_value(json_object_get(x, "id")) == id;
	json_decref(proxies);
	if (!mine || channels_proxy_photo(req->db, req->sess.area_id, id, photo))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	dot = strchr(photo, '.');
	if (dot && dot - photo == 64)
		mime = !strcmp(dot + 1, "png")	  ? "image/png"
		       : !strcmp(dot + 1, "webp") ? "image/webp"
		       : !strcmp(dot + 1, "jpg")  ? "image/jpeg"
						  : NULL;
	if (!mime)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	snprintf(sha, sizeof(sha), "%.64s", photo);
	return cases_photo_send(req, resp, up->dir, sha, mime, 1);
}
