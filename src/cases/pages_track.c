/* /track: a report followed by its tracking code. Anyone holding the code
 * sees the state, the category and the public notes, nobody's personal
 * data, and can say it happened again, confirm the result, reopen it, or
 * rate it. The code is the secret; the page never shows other codes. */
#include "internal.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../base/parse.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/qr.h"
#include "../web/router.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int track_lookup(struct http_req *req, struct http_resp *resp)
{
	struct html h = {&resp->body, req->lang};
	const char *code = req_query(req, "code");

	if (code && *code) {
		char up[TRACKING_CODE_LEN + 1];
		size_t n = strlen(code), k = 0;
		/* Codes are read aloud and typed on phones: forgive case and spaces. */
		for (size_t i = 0; i < n && k < TRACKING_CODE_LEN; i++) {
			char c = code[i];
			if (c == ' ' || c == '-')
				continue;
			up[k++] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
		}
		up[k] = '\0';
		if (tracking_code_valid(up))
			return resp_redirect(req, resp, arena_printf(req->arena, "/track/%s", up));
	}
	page_begin(req, &h, req_t(req, "case.track_title"));
	html_printf(&h, "<section class=\"card narrow\"><h1>%T</h1>", "case.track_title");
	if (code && *code)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%T</p>", "case.err.code");
	html_printf(
	    &h,
	    "<form method=\"get\" action=\"/track\" class=\"stack\"><label>%T<input name=\"code\" "
	    "autocapitalize=\"characters\" autocomplete=\"off\" maxlength=\"20\" value=\"%s\" "
	    "required></label><button type=\"submit\" class=\"primary\">%T</button></form>"
	    "<p><a href=\"/report\">%T</a></p></section>",
	    "case.field.code", code ? code : "", "case.track_go", "case.report_link");
	page_end(req, &h);
	resp->status = code && *code ? 404 : 200;
	return 0;
}

static void track_actions(struct http_req *req, struct html *h, const char *code, const char *state,
			  int rated)
{
	enum case_state s = CASE_SUBMITTED;

	case_state_from_name(state, &s);
	if (case_state_open(s)) {
		html_printf(
		    h,
		    "<section class=\"card\"><h2>%T</h2><form method=\"post\" "
		    "action=\"/track/%s/recur\" "
		    "class=\"stack\"><label>%T<textarea name=\"note\" rows=\"2\" "
		    "maxlength=\"4000\">"
		    "</textarea></label><button type=\"submit\">%T</button></form></section>",
		    "case.again_title", code, "case.again_note", "case.again_button");
	}
	if (s == CASE_RESOLVED || s == CASE_CLOSED) {
		if (!rated) {
			html_printf(h,
				    "<section class=\"card\"><h2 id=\"rate-h\">%T</h2><form "
				    "method=\"post\" action=\"/track/%s/rating\" class=\"stack\">"
				    "<fieldset class=\"stars\" aria-labelledby=\"rate-h\">",
				    "case.rate_title", code);
			/* Each choice one row: its radio, then its own words. */
			for (int i = 5; i >= 1; i--)
				html_printf(
				    h,
				    "<div class=\"star\"><input type=\"radio\" name=\"rating\" "
				    "id=\"rate-%d\" value=\"%d\" required><label for=\"rate-%d\">%T"
				    "</label></div>",
				    i, i, i, arena_printf(req->arena, "case.stars.%d", i));
			html_printf(h,
				    "</fieldset><label>%T<textarea name=\"comment\" rows=\"2\" "
				    "maxlength=\"4000\">"
				    "</textarea></label><button type=\"submit\" "
				    "class=\"primary\">%T</button>"
				    "</form></section>",
				    "case.rate_comment", "case.rate_button");
		}
		html_printf(h,
			    "<section class=\"card\"><h2>%T</h2><form method=\"post\" "
			    "action=\"/track/%s/reopen\" "
			    "class=\"stack\"><label>%T<textarea name=\"note\" rows=\"2\" "
			    "maxlength=\"4000\" "
			    "required></textarea></label><button type=\"submit\" "
			    "class=\"danger\">%T</button>"
			    "</form></section>",
			    "case.reopen_title", code, "case.reopen_note", "case.reopen_button");
	}
}

/* reported: what the report said, where, and its photos (only what Open311
 * publishes anyway; a private category's words stay with staff). */
static void reported(struct http_req *req, struct html *h, json_t *v)
{
	json_t *place = json_object_get(v, "place"), *p;
	const char *parts[3] = {json_string_value(json_object_get(place, "compound")),
				json_string_value(json_object_get(place, "building")),
				json_string_value(json_object_get(place, "address"))};
	size_t i;
	int any = 0;

	html_printf(h, "<section class=\"card reported\"><h2>%T</h2>", "case.reported");
	if (json_is_true(json_object_get(v, "private"))) {
		html_printf(h, "<p class=\"muted\">%T</p></section>", "case.reported_private");
		return;
	}
	html_printf(h, "<p class=\"said\">%s</p>",
		    json_string_value(json_object_get(v, "description")));
	for (int k = 0; k < 3; k++)
		if (parts[k] && *parts[k]) {
			html_printf(
			    h, "%R%s",
			    any ? " "
				: arena_printf(req->arena, "<p>%s ", req_t(req, "case.dup_place")),
			    parts[k]);
			any = 1;
		}
	if (any)
		html_printf(h, "</p>");
	if (json_array_size(json_object_get(v, "photos"))) {
		html_printf(h, "<div class=\"photos\">");
		json_array_foreach (json_object_get(v, "photos"), i, p)
			html_printf(h,
				    "<a href=\"%s\"><img src=\"%s\" alt=\"%T\" loading=\"lazy\" "
				    "width=\"160\" height=\"160\"></a>",
				    json_string_value(p), json_string_value(p),
				    "case.field.photos");
		html_printf(h, "</div>");
	}
	html_printf(h, "</section>");
}

static void render_track(struct http_req *req, struct http_resp *resp, json_t *v, const char *error)
{
	struct html h = {&resp->body, req->lang};
	const char *code = json_string_value(json_object_get(v, "tracking_code"));
	const char *state = json_string_value(json_object_get(v, "state"));
	char when[32];
	size_t i;
	json_t *e;

	buf_reset(&resp->body);
	page_begin(req, &h, req_t(req, "case.track_title"));
	if (req_query(req, "new")) {
		html_printf(
		    &h,
		    "<section class=\"card notice-card receipt\" role=\"status\"><h1>%T</h1>"
		    "<p>%T</p><p class=\"code\" id=\"track-code\">%s</p>"
		    "<p><button type=\"button\" data-copy=\"track-code\" data-done=\"%T\" "
		    "hidden>%T</button></p><div class=\"receipt-qr\">",
		    "case.filed_title", "case.filed_text", code, "case.copied", "case.copy");
		/* The tracking page's own address, for a phone to keep. */
		qr_svg(h.out, arena_printf(req->arena, "%s/track/%s", req_origin(req), code),
		       req_t(req, "case.track_qr"));
		html_printf(&h, "</div><p class=\"muted\">%T</p></section>", "case.filed_keep");
	}
	if (req_query(req, "done"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "case.thanks");
	if (error)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%s</p>", error);
	html_printf(
	    &h,
	    "<section class=\"card\"><p class=\"muted\">%T %s</p><h1>%s <span class=\"state "
	    "state-%s\">%T</span></h1>",
	    "case.field.code", code,
	    strcmp(req->lang, "en") ? json_string_value(json_object_get(v, "category"))
				    : json_string_value(json_object_get(v, "category_en")),
	    state, arena_printf(req->arena, "case.state.%s", state));
	html_printf(&h, "<dl class=\"facts\">");
	cases_format_time(json_integer_value(json_object_get(v, "created_at")), when, sizeof(when));
	html_printf(&h, "<div><dt>%T</dt><dd>%s</dd></div>", "case.field.created_at", when);
	cases_format_time(json_integer_value(json_object_get(v, "resolve_due")), when,
			  sizeof(when));
	html_printf(&h, "<div><dt>%T</dt><dd>%s%R</dd></div>", "case.field.resolve_due", when,
		    json_is_true(json_object_get(v, "overdue"))
			? arena_printf(req->arena, " <span class=\"overdue\">%s</span>",
				       i18n_t(req->lang, "case.overdue"))
			: "");
	if (json_integer_value(json_object_get(v, "recurrences")))
		html_printf(&h, "<div><dt>%T</dt><dd>%l</dd></div>", "case.recurrences",
			    (int64_t)json_integer_value(json_object_get(v, "recurrences")));
	if (*json_string_value(json_object_get(v, "public_note")))
		html_printf(&h, "<div><dt>%T</dt><dd>%s</dd></div>", "case.field.public_note",
			    json_string_value(json_object_get(v, "public_note")));
	if (json_is_integer(json_object_get(v, "rating")))
		html_printf(
		    &h, "<div><dt>%T</dt><dd>%T</dd></div>", "case.rating",
		    arena_printf(req->arena, "case.stars.%lld",
				 (long long)json_integer_value(json_object_get(v, "rating"))));
	html_printf(&h, "</dl></section>");
	reported(req, &h, v);
	track_actions(req, &h, code, state, !json_is_true(json_object_get(v, "can_rate")));
	html_printf(&h, "<section class=\"card\"><h2>%T</h2><ol class=\"timeline\">",
		    "case.timeline");
	json_array_foreach (json_object_get(v, "events"), i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *to = json_string_value(json_object_get(e, "to_state"));
		cases_format_time(json_integer_value(json_object_get(e, "at")), when, sizeof(when));
		html_printf(&h, "<li><time>%s</time> ", when);
		if (!strcmp(kind, "state") && to)
			html_printf(&h, "<b>%T</b>", arena_printf(req->arena, "case.state.%s", to));
		else
			html_printf(&h, "<b>%T</b>",
				    arena_printf(req->arena, "case.event.%s", kind));
		if (*json_string_value(json_object_get(e, "note")))
			html_printf(&h, "<p>%s</p>", json_string_value(json_object_get(e, "note")));
		html_printf(&h, "</li>");
	}
	html_printf(&h, "</ol></section>");
	page_end(req, &h);
}

static int track_page(struct http_req *req, struct http_resp *resp)
{
	json_t *v = NULL;
	int rc;

	rc = cases_public_view(req, req_param(req, 0), &v);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "case.err.code");
	if (rc)
		return rc;
	render_track(req, resp, v, NULL);
	json_decref(v);
	resp->status = 200;
	return 0;
}

static int track_submit(struct http_req *req, struct http_resp *resp)
{
	const char *code = req_param(req, 0), *what = req_param(req, 1), *err_key = NULL;
	json_t *body = json_object(), *v = NULL;
	int rc;

	if (req_form(req, "rating"))
		json_object_set_new(body, "rating", json_string(req_form(req, "rating")));
	if (req_form(req, "comment"))
		json_object_set_new(body, "comment", json_string(req_form(req, "comment")));
	if (req_form(req, "note"))
		json_object_set_new(body, "note", json_string(req_form(req, "note")));
	rc = cases_reporter_call(req, code, what, body, &err_key);
	json_decref(body);
	if (!rc)
		return resp_redirect(req, resp,
				     arena_printf(req->arena, "/track/%s?done=%s", code, what));
	if (rc == LIN_ENOTFOUND || cases_public_view(req, code, &v))
		return resp_error(req, resp, 404, "not_found", "case.err.code");
	render_track(req, resp, v,
		     req_t(req, err_key		   ? err_key
				: rc == LIN_EINVAL ? "case.err.note"
						   : "case.err.transition"));
	json_decref(v);
	resp->status = rc == LIN_EINVAL ? 422 : 409;
	return 0;
}

int cases_track_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/track", track_lookup, PERM_PUBLIC, 0, NULL, 0},
	    {"GET", "/track/:code", track_page, PERM_PUBLIC, 0, NULL, 0},
	    {"POST", "/track/:code/:what", track_submit, PERM_PUBLIC, ROUTE_NO_CSRF, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
