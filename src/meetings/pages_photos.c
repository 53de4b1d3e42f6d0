/* A meeting's photos: added by staff from a multipart form (each checked
 * and stripped as a report's photos are, through cases.h), served as the
 * view copy or the original only to whoever may read the minutes. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/multipart.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* photos_submit stores the photos of a multipart form (field "photo") as
 * the meeting's: each checked and stripped as a report's photos are. */
int meetings_photos_submit(struct http_req *req, struct http_resp *resp)
{
	const struct cases_uploads *up = req->route->data;
	const char *ct = req_header(req, "Content-Type");
	int64_t id = req_param_id(req, 0);
	struct multipart_part *parts = NULL;
	char boundary[80];
	int nparts = 0, stored = 0;

	if (!ct || multipart_boundary(ct, boundary, sizeof(boundary)) ||
	    multipart_parse(req->arena, boundary, (const unsigned char *)req->body, req->body_len,
			    32, &parts, &nparts))
		return resp_error(req, resp, 400, "bad_form", "err.bad_form");
	/* The form's token is in the multipart body, which the door does not
	 * read: checked here. */
	if (req->sess.kind == AUTH_COOKIE) {
		const char *sent = multipart_text(req->arena, parts, nparts, "_csrf");
		if (!sent || !req->sess.csrf || strcmp(sent, req->sess.csrf))
			return resp_error(req, resp, 403, "csrf", "err.csrf");
	}
	if (!id || !meeting_visible(req, id) || !up || !up->dir)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	for (int i = 0; i < nparts; i++) {
		struct case_photo photo;
		int rc;
		if (strcmp(parts[i].name, "photo") || !parts[i].filename || !parts[i].len)
			continue;
		rc = cases_photo_keep(up, parts[i].data, parts[i].len, &photo);
		if (rc == LIN_ENOSPC)
			return resp_error(req, resp, 507, "disk_low", "meet.err.disk_low");
		if (rc == LIN_ETOOBIG || rc == LIN_ERANGE)
			return resp_error(req, resp, 413, "too_large", "meet.err.photo_big");
		if (rc == LIN_EINVAL)
			return resp_error(req, resp, 422, "invalid", "meet.err.photo");
		if (!rc)
			rc = meeting_photo_add(req->db, &req->sess, req->sess.area_id, id,
					       photo.sha256, photo.mime, photo.bytes);
		if (rc)
			return meeting_refused(req, resp, rc, NULL);
		stored++;
	}
	if (!stored)
		return resp_error(req, resp, 422, "invalid", "meet.err.photo");
	return meeting_back(req, resp, id, "minutes");
}

/* send_photo serves a meeting's photo to whoever may read its minutes;
 * the name must be one of the meeting's own photos. */
static int send_photo(struct http_req *req, struct http_resp *resp, int view)
{
	const struct cases_uploads *up = req->route->data;
	const char *name = req_param(req, 1), *dot = name ? strchr(name, '.') : NULL, *mime;
	int64_t id = req_param_id(req, 0), n = 0;
	json_t *m = NULL;
	char sha[65];
	int ok;

	if (!id || !dot || dot - name != 64 || !up || !up->dir || !meeting_visible(req, id) ||
	    meeting_get(req->db, req->sess.area_id, id, &m))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	ok = meeting_minutes_visible(req, m);
	json_decref(m);
	mime = !strcmp(dot + 1, "png")	  ? "image/png"
	       : !strcmp(dot + 1, "webp") ? "image/webp"
	       : !strcmp(dot + 1, "jpg")  ? "image/jpeg"
					  : NULL;
	snprintf(sha, sizeof(sha), "%.64s", name);
	if (!ok || !mime || meeting_photo_has(req->db, id, sha, mime, &n) || !n)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	return cases_photo_send(req, resp, up->dir, sha, mime, view);
}

int meetings_photo_file(struct http_req *req, struct http_resp *resp)
{
	return send_photo(req, resp, 0);
}

int meetings_photo_view_file(struct http_req *req, struct http_resp *resp)
{
	return send_photo(req, resp, 1);
}
