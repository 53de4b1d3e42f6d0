/* Checking in to a meeting: the screen in the room with the code and its
 * QR (staff), the check-in page a phone opens from it, and the check-in
 * itself (meetings_checkin decides: invited, in the window, not called
 * off). */
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

/* The screen staff show in the room: the code, large, and the QR code of
 * the check-in address with it. */
int meetings_screen_page(struct http_req *req, struct http_resp *resp)
{
	int64_t id = req_param_id(req, 0);
	json_t *m = NULL;
	struct buf svg;
	struct html h;
	const char *url;

	if (!id || meeting_get(req->db, req->sess.area_id, id, &m))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	url =
	    arena_printf(req->arena, "%s/checkin?code=%s", req_origin(req), meeting_str(m, "code"));
	buf_init(&svg, BUF_DEFAULT_MAX);
	qr_svg(&svg, url, req_t(req, "meet.qr_label"));
	meeting_page_begin(req, resp, &h, meeting_str(m, "title"));
	html_printf(&h, "<section class=\"meet-screen\"><h1>%s</h1><p>", meeting_str(m, "title"));
	meeting_when(&h, m);
	html_printf(
	    &h,
	    "</p><div class=\"meet-qr\">%R</div><p class=\"meet-code\" aria-label=\"%T\">%s</p>"
	    "<p>%T</p><p class=\"muted\">%s</p></section>",
	    svg.buf, "meet.code", meeting_str(m, "code"), "meet.screen_hint", url);
	buf_release(&svg);
	json_decref(m);
	return meeting_page_end(req, resp, &h);
}

static void checkin_form(struct http_req *req, struct html *h, const char *code)
{
	html_printf(h, "<form method=\"post\" action=\"/checkin\" class=\"card narrow stack\">");
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T <input name=\"code\" inputmode=\"numeric\" autocomplete=\"off\" "
		    "pattern=\"[0-9]{6}\" maxlength=\"6\" required value=\"%s\"></label>"
		    "<button class=\"primary big\">%T</button></form>",
		    "meet.code", code ? code : "", "meet.checkin_now");
}

int meetings_checkin_page(struct http_req *req, struct http_resp *resp)
{
	struct html h;
	meeting_page_begin(req, resp, &h, req_t(req, "meet.checkin"));
	html_printf(&h, "<h1>%T</h1><p class=\"hint\">%T</p>", "meet.checkin", "meet.checkin_hint");
	checkin_form(req, &h, req_query(req, "code"));
	return meeting_page_end(req, resp, &h);
}

int meetings_checkin_submit(struct http_req *req, struct http_resp *resp)
{
	const char *key = NULL, *code = req_form(req, "code");
	int64_t id = 0;
	int status = 0;
	struct html h;

	if (meetings_checkin(req, code, &status, &key, &id))
		return resp_error(req, resp, 500, "internal", "err.internal");
	meeting_page_begin(req, resp, &h, req_t(req, "meet.checkin"));
	html_printf(&h, "<h1>%T</h1>", "meet.checkin");
	if (status == 200) {
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", key);
		html_printf(&h, "<p><a class=\"button\" href=\"/meetings/%l\">%T</a></p>", id,
			    "meet.to_meeting");
	} else {
		html_printf(&h, "<p class=\"error\" role=\"alert\">%T</p>", key);
		checkin_form(req, &h, code);
	}
	meeting_page_end(req, resp, &h);
	resp->status = status;
	return 0;
}
