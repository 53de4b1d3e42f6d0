/* One case for staff: its facts, photos, the actions the reader's role
 * may take from its state (each a small form with what it needs), notes,
 * mediation sessions, referrals, possible duplicates and the timeline. */
#include "internal.h"
#include "photos.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../noise/noise.h"
#include "../web/html.h"
#include "../web/page.h"
#include "../web/router.h"
#include "../web/server.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The actions in the order the page offers the next step: the first one
 * the reader may take from the state is the primary action, shown on its
 * own; the others fold under "更多操作". Reject and duplicate are never
 * the first. */
static const enum case_action staff_actions[] = {
    ACT_ACCEPT, ACT_START, ACT_AGENCY_ANSWER, ACT_RESOLVE,   ACT_CLOSE,
    ACT_ASSIGN, ACT_REFER, ACT_REJECT,	      ACT_DUPLICATE,
};

/* case_suggests: whether the case's handler and agency are still the
 * category's defaults (nobody has assigned or referred it yet). */
static int handler_suggested(const char *state)
{
	return !strcmp(state, "submitted") || !strcmp(state, "accepted");
}

static int agency_suggested(json_t *c)
{
	return !json_array_size(json_object_get(c, "referrals"));
}

static int64_t id_of(json_t *c, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(c, key));
}

/* duplicate_choices: the possible duplicates as radios (the reader picks
 * the original among the cases the page already found similar), and a
 * number for another case. */
static void duplicate_choices(struct http_req *req, struct html *h, json_t *c)
{
	json_t *dups = json_object_get(c, "possible_duplicates"), *d;
	size_t i;

	html_printf(h, "<fieldset class=\"choices-dup\"><legend>%T</legend>",
		    "case.field.duplicate_of");
	json_array_foreach (dups, i, d) {
		char when[32];
		cases_format_time(id_of(d, "created_at"), when, sizeof(when));
		html_printf(h,
			    "<label class=\"check\"><input type=\"radio\" name=\"duplicate_of\" "
			    "value=\"%l\"%R> <span><b>#%l</b> %T · %s · <span "
			    "class=\"muted\">%s</span></span></label>",
			    id_of(d, "id"), i ? "" : " checked", id_of(d, "id"),
			    arena_printf(req->arena, "case.state.%s",
					 json_string_value(json_object_get(d, "state"))),
			    json_string_value(json_object_get(d, "description")), when);
	}
	if (!json_array_size(dups))
		html_printf(h, "<p class=\"muted\">%T</p>", "case.no_candidates");
	html_printf(h,
		    "<label>%T<input name=\"duplicate_of_other\" inputmode=\"numeric\" "
		    "placeholder=\"#\"%R></label></fieldset>",
		    "case.duplicate_other", json_array_size(dups) ? "" : " required");
}

/* action_form writes one action's form: what the action needs, with the
 * category's default handler or agency pre-chosen and named a suggestion
 * (the reader confirms it by submitting), never a dance team as the
 * handler of its own noise case. */
static void action_form(struct http_req *req, struct html *h, json_t *c, enum case_action a,
			int primary)
{
	int64_t id = id_of(c, "id");
	unsigned needs = case_action_needs(a);

	html_printf(h,
		    "<form method=\"post\" action=\"/cases/%l/act\" class=\"action\">"
		    "<input type=\"hidden\" name=\"action\" value=\"%s\">",
		    id, case_action_name(a));
	page_csrf_field(req, h);
	if (needs & CASE_NEEDS_HANDLER) {
		int64_t suggested =
		    handler_suggested(json_string_value(json_object_get(c, "state")))
			? id_of(c, "handler_team_id")
			: 0;
		int64_t subject = id_of(c, "subject_team_id");
		if (suggested == subject)
			suggested = 0;
		html_printf(h,
			    "<label>%T<select name=\"handler_team_id\" required><option "
			    "value=\"\">—</option>",
			    "case.field.handler");
		cases_options(req, h, "teams", NULL, suggested, subject);
		html_printf(h, "</select>%R</label>",
			    suggested
				? arena_printf(req->arena, "<small class=\"suggest\">%s</small>",
					       req_t(req, "case.suggested_by_category"))
				: "");
	}
	if (needs & CASE_NEEDS_AGENCY) {
		int64_t suggested = agency_suggested(c) ? id_of(c, "agency_unit_id") : 0;
		html_printf(h,
			    "<label>%T<select name=\"agency_unit_id\" required><option "
			    "value=\"\">—</option>",
			    "case.field.agency");
		cases_options(req, h, "units", cases_agency_kinds, suggested, 0);
		html_printf(
		    h,
		    "</select>%R</label><label>%T<input name=\"reference\" maxlength=\"60\">"
		    "</label>",
		    suggested ? arena_printf(req->arena, "<small class=\"suggest\">%s</small>",
					     req_t(req, "case.suggested_by_category"))
			      : "",
		    "case.field.reference");
	}
	if (needs & CASE_NEEDS_ORIGINAL)
		duplicate_choices(req, h, c);
	html_printf(h,
		    "<label>%T%R<textarea name=\"note\" rows=\"2\" maxlength=\"4000\"%R></textarea>"
		    "</label>",
		    (needs & CASE_NEEDS_NOTE)
			? arena_printf(req->arena, "case.note_for.%s", case_action_name(a))
			: "case.field.note",
		    (needs & CASE_NEEDS_NOTE) ? " <span class=\"req\">*</span>" : "",
		    (needs & CASE_NEEDS_NOTE) ? " required" : "");
	if (a == ACT_RESOLVE || a == ACT_AGENCY_ANSWER || a == ACT_REJECT)
		html_printf(h,
			    "<label class=\"check\"><input type=\"checkbox\" name=\"public\" "
			    "value=\"1\" checked> %T</label>",
			    "case.note_public");
	html_printf(h, "<button type=\"submit\"%R>%T</button></form>",
		    a == ACT_REJECT ? " class=\"danger\""
		    : primary	    ? " class=\"primary big\""
				    : "",
		    arena_printf(req->arena, "case.action.%s", case_action_name(a)));
}

/* action_forms: the next step for the reader's role and the case's
 * state, then the other possible actions under "更多操作". */
static void action_forms(struct http_req *req, struct html *h, json_t *c)
{
	struct case_actor me = {ACTOR_ROLE, req->sess.role};
	const char *state = json_string_value(json_object_get(c, "state"));
	enum case_state s, to;
	int n = 0;

	if (!state || case_state_from_name(state, &s))
		return;
	for (size_t i = 0; i < sizeof(staff_actions) / sizeof(staff_actions[0]); i++) {
		enum case_action a = staff_actions[i];
		if (case_transition(a, s, &me, &to))
			continue;
		if (!n)
			html_printf(h, "<section class=\"card next\" id=\"actions\"><h2>%T</h2>",
				    "case.next_step");
		else if (n == 1)
			html_printf(h,
				    "<details class=\"more-actions\"><summary>%T</summary><div "
				    "class=\"action-list\">",
				    "case.more_actions");
		action_form(req, h, c, a, n == 0);
		n++;
	}
	if (n > 1)
		html_printf(h, "</div></details>");
	if (n)
		html_printf(h, "</section>");
}

static json_t *question_by_code(json_t *questions, const char *code)
{
	size_t i;
	json_t *q;

	json_array_foreach (questions, i, q)
		if (!strcmp(json_string_value(json_object_get(q, "code"))
				? json_string_value(json_object_get(q, "code"))
				: "",
			    code))
			return q;
	return NULL;
}

static const char *question_label(struct http_req *req, json_t *o, const char *what)
{
	const char *key =
	    arena_printf(req->arena, "%s_%s", what, strcmp(req->lang, "en") ? "zh" : "en");
	const char *t = json_string_value(json_object_get(o, key));
	return t ? t : "";
}

/* value_name: the listed name of a choice, or the value itself. */
static const char *value_name(struct http_req *req, json_t *q, const char *value)
{
	size_t i;
	json_t *v;

	if (!value)
		return "";
	json_array_foreach (json_object_get(q, "values"), i, v)
		if (!strcmp(json_string_value(json_object_get(v, "key"))
				? json_string_value(json_object_get(v, "key"))
				: "",
			    value))
			return question_label(req, v, "name");
	return value;
}

static void fact(struct html *h, const char *label, const char *value)
{
	if (value && *value)
		html_printf(h, "<div><dt>%T</dt><dd>%s</dd></div>", label, value);
}

static void facts(struct http_req *req, struct html *h, json_t *c)
{
	char when[32];
	const char *answer_key;
	json_t *answer;

	html_printf(h,
		    "<section class=\"card\"><p class=\"description\">%s</p><dl class=\"facts\">",
		    json_string_value(json_object_get(c, "description")));
#define FACT(label, value) fact(h, label, value)
	FACT("case.field.compound_id", json_string_value(json_object_get(c, "compound")));
	FACT("case.field.building_id", json_string_value(json_object_get(c, "building")));
	FACT("case.field.door", json_string_value(json_object_get(c, "door")));
	FACT("case.field.address", json_string_value(json_object_get(c, "address")));
	FACT("case.field.reporter_name", json_string_value(json_object_get(c, "reporter_name")));
	FACT("case.field.reporter_phone", json_string_value(json_object_get(c, "reporter_phone")));
	html_printf(h, "<div><dt>%T</dt><dd>%T</dd></div>", "case.field.channel",
		    arena_printf(req->arena, "case.channel.%s",
				 json_string_value(json_object_get(c, "channel"))));
	json_object_foreach (json_object_get(c, "answers"), answer_key, answer) {
		/* Show the question and the chosen values as the form said them. */
		json_t *q = question_by_code(json_object_get(c, "questions"), answer_key);
		struct buf text;
		buf_init(&text, 4096);
		if (json_is_array(answer)) {
			size_t k;
			json_t *a;
			json_array_foreach (answer, k, a) {
				if (k)
					buf_adds(&text, "、");
				buf_adds(&text, value_name(req, q, json_string_value(a)));
			}
		} else if (json_is_string(answer)) {
			buf_adds(&text, value_name(req, q, json_string_value(answer)));
		}
		html_printf(h, "<div><dt>%s</dt><dd>%s</dd></div>",
			    q ? question_label(req, q, "description") : answer_key, text.buf);
		buf_release(&text);
	}
	cases_format_time(json_integer_value(json_object_get(c, "created_at")), when, sizeof(when));
	FACT("case.field.created_at", when);
	cases_format_time(json_integer_value(json_object_get(c, "accept_due")), when, sizeof(when));
	FACT("case.field.accept_due", when);
	cases_format_time(json_integer_value(json_object_get(c, "resolve_due")), when,
			  sizeof(when));
	html_printf(h, "<div><dt>%T</dt><dd>%s%R</dd></div>", "case.field.resolve_due", when,
		    json_is_true(json_object_get(c, "complex"))
			? arena_printf(req->arena, " · %s", req_t(req, "case.complex"))
			: "");
	/* The category's defaults are suggestions until someone assigns or
	 * refers the case: named so, not as if done. */
	FACT(handler_suggested(json_string_value(json_object_get(c, "state")))
		 ? "case.field.handler_suggested"
		 : "case.field.handler",
	     json_string_value(json_object_get(c, "handler_team")));
	/* A default agency of a case that ended without a referral was
	 * never more than a suggestion: not shown. */
	enum case_state now = CASE_CLOSED;
	case_state_from_name(json_string_value(json_object_get(c, "state")), &now);
	if (!agency_suggested(c) || case_state_open(now))
		FACT(agency_suggested(c) ? "case.field.agency_suggested" : "case.field.agency",
		     json_string_value(json_object_get(c, "agency")));
	FACT("case.field.public_note", json_string_value(json_object_get(c, "public_note")));
	if (json_is_integer(json_object_get(c, "rating")))
		html_printf(
		    h, "<div><dt>%T</dt><dd>%T %s</dd></div>", "case.rating",
		    arena_printf(req->arena, "case.stars.%lld",
				 (long long)json_integer_value(json_object_get(c, "rating"))),
		    json_string_value(json_object_get(c, "rating_comment")));
#undef FACT
	html_printf(h, "</dl>");
	size_t i;
	json_t *p;
	if (json_array_size(json_object_get(c, "photos"))) {
		html_printf(h, "<div class=\"photos\">");
		json_array_foreach (json_object_get(c, "photos"), i, p) {
			const char *sha = json_string_value(json_object_get(p, "sha256"));
			const char *mime = json_string_value(json_object_get(p, "mime"));
			long long cid = (long long)json_integer_value(json_object_get(c, "id"));
			/* Inline only the small re-encoded copy; the original only as
			 * a download, and only within the pixel cap (a photo stored
			 * before the cap may be past it: then neither). */
			int rc = photo_view_ensure(req->route->data, sha, mime);
			if (rc) {
				html_printf(h, "<p class=\"photo-missing\">%T %d: %T</p>",
					    "case.photo", (int)i + 1,
					    rc == LIN_ERANGE ? "case.photo_too_large"
							     : "case.photo_unreadable");
				continue;
			}
			const char *view = arena_printf(req->arena, "/cases/%lld/views/%s.%s", cid,
							sha, photo_ext(mime));
			const char *orig = arena_printf(req->arena, "/cases/%lld/photos/%s.%s", cid,
							sha, photo_ext(mime));
			html_printf(
			    h,
			    "<figure><a href=\"%s\"><img src=\"%s\" alt=\"%T %d\" "
			    "loading=\"lazy\"></a><figcaption><a href=\"%s\" download>%T</a>"
			    "</figcaption></figure>",
			    view, view, "case.photo", (int)i + 1, orig, "case.photo_original");
		}
		html_printf(h, "</div>");
	}
	html_printf(h, "</section>");
}

/* noise_alerts: a noise case's alerts, each with its peak, its limit and
 * how long the level stayed over it (to the last loud second; "still
 * going" while the alert is open). */
static void noise_alerts(struct http_req *req, struct html *h, json_t *c)
{
	json_t *alerts = NULL, *a;
	size_t i;

	if (strcmp(json_string_value(json_object_get(c, "category")), "noise") ||
	    noise_alerts_of_case(req->db, req->sess.area_id, id_of(c, "id"), &alerts) ||
	    !json_array_size(alerts)) {
		json_decref(alerts);
		return;
	}
	html_printf(h, "<section class=\"card\" id=\"alerts\"><h2>%T</h2><ul class=\"alerts\">",
		    "case.noise_alerts");
	json_array_foreach (alerts, i, a) {
		char from[32], to[32];
		int64_t opened = id_of(a, "opened_t"), last = id_of(a, "last_loud_t");
		int64_t minutes = (last - opened + 59) / 60;
		cases_format_time(opened, from, sizeof(from));
		cases_format_time(last, to, sizeof(to));
		html_printf(
		    h,
		    "<li><b>%s</b> %s–%s <span class=\"nowrap\">(%s)</span>%R<br>%T "
		    "<b class=\"peak\">%s dB(A)</b> · %T %s dB(A)</li>",
		    json_string_value(json_object_get(a, "meter")), from,
		    strncmp(from, to, 11) ? to : to + 11,
		    arena_printf(req->arena, req_t(req, "case.alert_minutes"),
				 (long long)(minutes ? minutes : 1)),
		    json_is_null(json_object_get(a, "closed_t"))
			? arena_printf(req->arena, " <span class=\"badge\">%s</span>",
				       req_t(req, "case.alert_open"))
			: "",
		    "case.alert_peak",
		    arena_printf(req->arena, "%.1f", json_real_value(json_object_get(a, "peak"))),
		    "case.alert_limit",
		    arena_printf(req->arena, "%.1f",
				 json_real_value(json_object_get(a, "threshold"))));
	}
	html_printf(h, "</ul></section>");
	json_decref(alerts);
}

/* actor_text: who acted, in the reader's language: the reporter, the
 * system, or a signed-in user by role and name. */
static const char *actor_text(struct http_req *req, json_t *e)
{
	const char *kind = json_string_value(json_object_get(e, "actor_kind"));
	const char *name = json_string_value(json_object_get(e, "actor"));
	const char *role = json_string_value(json_object_get(e, "actor_role"));

	if (kind && (!strcmp(kind, "reporter") || !strcmp(kind, "system")))
		return req_t(req, arena_printf(req->arena, "case.actor.%s", kind));
	if (kind && role)
		return arena_printf(req->arena, "%s %s",
				    req_t(req, arena_printf(req->arena, "role.%s", role)),
				    name ? name : "");
	return name ? name : "";
}

static void timeline(struct http_req *req, struct html *h, json_t *events)
{
	size_t i;
	json_t *e;
	char when[32];

	html_printf(h, "<section class=\"card\"><h2>%T</h2><ol class=\"timeline\">",
		    "case.timeline");
	json_array_foreach (events, i, e) {
		const char *kind = json_string_value(json_object_get(e, "kind"));
		const char *to = json_string_value(json_object_get(e, "to_state"));
		cases_format_time(json_integer_value(json_object_get(e, "at")), when, sizeof(when));
		html_printf(h, "<li><time>%s</time> <span class=\"muted actor\">%s</span> ", when,
			    actor_text(req, e));
		if (!strcmp(kind, "state") && to)
			html_printf(h, "<b>%T</b>", arena_printf(req->arena, "case.state.%s", to));
		else
			html_printf(h, "<b>%T</b>",
				    arena_printf(req->arena, "case.event.%s", kind));
		if (json_is_true(json_object_get(e, "public")))
			html_printf(h, " <span class=\"badge\">%T</span>", "case.public");
		if (!strcmp(kind, "source"))
			/* a page of this site it came from (cases_open checks it) */
			html_printf(h, "<p><a href=\"%s\">%s</a></p>",
				    json_string_value(json_object_get(e, "note")),
				    json_string_value(json_object_get(e, "note")));
		else if (*json_string_value(json_object_get(e, "note")))
			html_printf(h, "<p>%s</p>", json_string_value(json_object_get(e, "note")));
		html_printf(h, "</li>");
	}
	html_printf(h, "</ol></section>");
}

static void work_forms(struct http_req *req, struct html *h, json_t *c, int64_t id)
{
	size_t i;
	json_t *m, *r;
	char when[32];

	/* Notes. */
	html_printf(
	    h,
	    "<section class=\"card\"><h2>%T</h2><form method=\"post\" action=\"/cases/%l/note\" "
	    "class=\"stack\">",
	    "case.add_note", id);
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<textarea name=\"note\" rows=\"2\" maxlength=\"4000\" required aria-label=\"%T\">"
	    "</textarea><label class=\"check\"><input type=\"checkbox\" name=\"public\" "
	    "value=\"1\"> "
	    "%T</label><button type=\"submit\">%T</button></form></section>",
	    "case.add_note", "case.note_public", "case.add_note");
	/* Mediation sessions (老娘舅). */
	html_printf(h, "<section class=\"card\"><h2>%T</h2>", "case.mediations");
	json_array_foreach (json_object_get(c, "mediations"), i, m) {
		html_printf(h, "<div class=\"mediation\"><p><b>%s</b> · %T %s · %T %s</p><p>%s</p>",
			    json_string_value(json_object_get(m, "held_on")), "case.field.parties",
			    json_string_value(json_object_get(m, "parties")),
			    "case.field.mediators",
			    json_string_value(json_object_get(m, "mediators")),
			    json_string_value(json_object_get(m, "agreement")));
		if (json_is_string(json_object_get(m, "follow_up_on")))
			html_printf(h, "<p class=\"muted\">%T %s</p>", "case.field.follow_up_on",
				    json_string_value(json_object_get(m, "follow_up_on")));
		html_printf(h, "</div>");
	}
	html_printf(
	    h,
	    "<details><summary>%T</summary><form method=\"post\" action=\"/cases/%l/mediation\" "
	    "class=\"stack\">",
	    "case.add_mediation", id);
	page_csrf_field(req, h);
	html_printf(h,
		    "<label>%T<input type=\"date\" name=\"held_on\" required></label>"
		    "<label>%T<input name=\"parties\" maxlength=\"200\" required></label>"
		    "<label>%T<input name=\"mediators\" maxlength=\"200\" required></label>"
		    "<label>%T<textarea name=\"agreement\" rows=\"3\" "
		    "maxlength=\"4000\"></textarea></label>"
		    "<label>%T<input type=\"date\" name=\"follow_up_on\"></label>"
		    "<button type=\"submit\">%T</button></form></details></section>",
		    "case.field.held_on", "case.field.parties", "case.field.mediators",
		    "case.field.agreement", "case.field.follow_up_on", "case.add_mediation");
	/* Referrals. */
	if (json_array_size(json_object_get(c, "referrals"))) {
		html_printf(h, "<section class=\"card\"><h2>%T</h2><ul class=\"referrals\">",
			    "case.referrals");
		json_array_foreach (json_object_get(c, "referrals"), i, r) {
			cases_format_time(json_integer_value(json_object_get(r, "due_at")), when,
					  sizeof(when));
			html_printf(h, "<li><b>%s</b> %s · %T %s%R",
				    json_string_value(json_object_get(r, "agency")),
				    json_string_value(json_object_get(r, "reference")),
				    "case.answer_due", when,
				    json_is_true(json_object_get(r, "overdue"))
					? arena_printf(req->arena,
						       " <span class=\"overdue\">%s</span>",
						       req_t(req, "case.overdue"))
					: "");
			if (json_is_string(json_object_get(r, "answer")))
				html_printf(h, "<p>%s</p>",
					    json_string_value(json_object_get(r, "answer")));
			html_printf(h, "</li>");
		}
		html_printf(h, "</ul></section>");
	}
}

static void render_case(struct http_req *req, struct http_resp *resp, json_t *c, const char *error)
{
	struct html h = {&resp->body, req->lang};
	int64_t id = (int64_t)json_integer_value(json_object_get(c, "id"));
	const char *state = json_string_value(json_object_get(c, "state"));
	const char *title =
	    arena_printf(req->arena, "#%lld %s", (long long)id,
			 json_string_value(json_object_get(
			     c, strcmp(req->lang, "en") ? "category_zh" : "category_en")));
	size_t i;
	json_t *d;

	buf_reset(&resp->body);
	page_begin(req, &h, title);
	html_printf(
	    &h,
	    "<p class=\"crumbs\"><a href=\"/cases\">%T</a></p><div class=\"page-head\"><h1>%s "
	    "<span class=\"state state-%s\">%T</span>%R</h1></div>",
	    "case.queue_title", title, state, arena_printf(req->arena, "case.state.%s", state),
	    json_is_true(json_object_get(c, "overdue"))
		? arena_printf(req->arena, " <span class=\"overdue\">%s</span>",
			       req_t(req, "case.overdue"))
		: "");
	if (req_query(req, "saved"))
		html_printf(&h, "<p class=\"notice\" role=\"status\">%T</p>", "form.saved");
	if (error)
		html_printf(&h, "<p class=\"alert\" role=\"alert\">%s</p>", error);
	if (json_array_size(json_object_get(c, "possible_duplicates"))) {
		html_printf(&h, "<section class=\"card warn\"><h2>%T</h2><ul>",
			    "case.possible_dups");
		json_array_foreach (json_object_get(c, "possible_duplicates"), i, d)
			html_printf(&h, "<li><a href=\"/cases/%l\">#%l</a> %T · %s</li>",
				    (int64_t)json_integer_value(json_object_get(d, "id")),
				    (int64_t)json_integer_value(json_object_get(d, "id")),
				    arena_printf(req->arena, "case.state.%s",
						 json_string_value(json_object_get(d, "state"))),
				    json_string_value(json_object_get(d, "description")));
		html_printf(&h, "</ul></section>");
	}
	facts(req, &h, c);
	noise_alerts(req, &h, c);
	if (req_can(req, PERM_CASES_WORK))
		action_forms(req, &h, c);
	enum case_state st_now = CASE_CLOSED;
	case_state_from_name(state, &st_now);
	if (case_state_open(st_now) &&
	    (req->sess.role == ROLE_SECRETARY || req->sess.role == ROLE_ADMIN)) {
		int complex = json_is_true(json_object_get(c, "complex"));
		html_printf(
		    &h,
		    "<section class=\"card\"><form method=\"post\" action=\"/cases/%l/complex\">",
		    id);
		page_csrf_field(req, &h);
		html_printf(&h,
			    "<input type=\"hidden\" name=\"complex\" value=\"%s\"><button "
			    "type=\"submit\">%T"
			    "</button> <small class=\"muted\">%T</small></form></section>",
			    complex ? "0" : "1",
			    complex ? "case.make_ordinary" : "case.make_complex",
			    "case.complex_hint");
	}
	if (req_can(req, PERM_CASES_WORK))
		work_forms(req, &h, c, id);
	timeline(req, &h, json_object_get(c, "events"));
	page_end(req, &h);
}

static int case_page(struct http_req *req, struct http_resp *resp)
{
	json_t *c = NULL;
	int64_t id;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	rc = cases_full(req, id, &c);
	if (rc == LIN_ENOTFOUND)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (rc)
		return rc;
	render_case(req, resp, c, NULL);
	json_decref(c);
	resp->status = 200;
	return 0;
}

/* after: the case page again, with a message when the change failed. */
static int after(struct http_req *req, struct http_resp *resp, int64_t id, int rc,
		 const char *err_key)
{
	json_t *c = NULL;

	if (!rc)
		return resp_redirect(
		    req, resp,
		    arena_printf(req->arena, "/cases/%lld?saved=1#actions", (long long)id));
	if (rc == LIN_ENOTFOUND || cases_full(req, id, &c))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	render_case(req, resp, c, req_t(req, err_key ? err_key : "case.err.transition"));
	json_decref(c);
	resp->status = rc == LIN_EINVAL ? 422 : rc == LIN_EPERM ? 403 : 409;
	return 0;
}

static int64_t form_id(struct http_req *req, const char *name)
{
	int64_t v = 0;
	const char *s = req_form(req, name);
	if (s && *s && parse_int64(s, 1, INT64_MAX, &v))
		v = -1;
	return v;
}

static int act_submit(struct http_req *req, struct http_resp *resp)
{
	struct case_act_args args;
	struct case_who who;
	enum case_action a;
	const char *err_key = NULL;
	int64_t id;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id) || cases_visible(req, id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	if (case_action_from_name(req_form(req, "action"), &a) || a == ACT_AUTO_CLOSE ||
	    a == ACT_REVIEW || a == ACT_CONFIRM || a == ACT_REOPEN)
		return after(req, resp, id, LIN_EINVAL, "case.err.action");
	memset(&args, 0, sizeof(args));
	args.note = req_form(req, "note");
	args.public_note = req_form(req, "public") != NULL;
	args.handler_team_id = form_id(req, "handler_team_id");
	args.agency_unit_id = form_id(req, "agency_unit_id");
	args.duplicate_of = form_id(req, "duplicate_of");
	if (!args.duplicate_of)
		args.duplicate_of = form_id(req, "duplicate_of_other");
	args.reference = req_form(req, "reference");
	cases_who(req, &who);
	rc = case_act(req->db, req->sess.area_id, id, a, &who, &args, &err_key);
	return after(req, resp, id, rc, err_key);
}

static int note_submit(struct http_req *req, struct http_resp *resp)
{
	struct case_who who;
	int64_t id;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id) || cases_visible(req, id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	cases_who(req, &who);
	rc = case_note(req->db, req->sess.area_id, id, &who, req_form(req, "note"),
		       req_form(req, "public") != NULL);
	return after(req, resp, id, rc, "case.err.note");
}

static int mediation_submit(struct http_req *req, struct http_resp *resp)
{
	struct case_who who;
	const char *err_key = NULL;
	int64_t id;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id) || cases_visible(req, id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	cases_who(req, &who);
	rc =
	    case_add_mediation(req->db, req->sess.area_id, id, &who, req_form(req, "held_on"),
			       req_form(req, "parties"), req_form(req, "mediators"),
			       req_form(req, "agreement"), req_form(req, "follow_up_on"), &err_key);
	return after(req, resp, id, rc, err_key);
}

static int complex_submit(struct http_req *req, struct http_resp *resp)
{
	struct case_who who;
	int64_t id;
	int rc;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	cases_who(req, &who);
	rc = case_set_complex(req->db, req->sess.area_id, id, &who,
			      req_form(req, "complex") && !strcmp(req_form(req, "complex"), "1"));
	return after(req, resp, id, rc, rc == LIN_EPERM ? "case.err.approve" : NULL);
}

/* send_photo serves a case's photo (view: its view copy, else the
 * original, as a download) to staff; the name is checked against the
 * case's own photos, so no other file can be named. The original goes
 * out only within the pixel cap: photo_view_ensure says so. */
static int send_photo(struct http_req *req, struct http_resp *resp, int view)
{
	const char *name = req_param(req, 1), *dot = name ? strchr(name, '.') : NULL;
	char sha[65];
	const char *mime;
	int64_t id, n = 0;

	if (parse_int64(req_param(req, 0), 1, INT64_MAX, &id) || !dot || dot - name != 64 ||
	    !(mime = photo_mime_from_ext(dot + 1)) || cases_visible(req, id))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	snprintf(sha, sizeof(sha), "%.64s", name);
	if (case_photo_count(req->db, req->sess.area_id, id, sha, mime, &n))
		return LIN_EDB;
	if (!n)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	return cases_photo_send(req, resp, req->route->data, sha, mime, view);
}

int cases_photo_send(struct http_req *req, struct http_resp *resp, const char *dir,
		     const char *sha256, const char *mime, int view)
{
	char path[4200];

	if (photo_view_ensure(dir, sha256, mime) ||
	    (view ? photo_view_path(dir, sha256, path, sizeof(path))
		  : photo_path(dir, sha256, mime, path, sizeof(path))))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	buf_reset(&resp->body);
	if (photo_read(path, &resp->body))
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	resp->status = 200;
	resp->content_type = view ? "image/jpeg" : mime;
	if (!view)
		resp_header(req, resp, "Content-Disposition",
			    arena_printf(req->arena, "attachment; filename=\"%s.%s\"", sha256,
					 photo_ext(mime)));
	resp_header(req, resp, "Cache-Control", "private, max-age=86400");
	return 0;
}

int cases_photo_keep(const struct cases_uploads *up, const unsigned char *data, size_t len,
		     struct case_photo *out)
{
	struct buf clean;
	const char *mime;
	int rc = photo_sniff(data, len, &mime);

	memset(out, 0, sizeof(*out));
	if (!rc && photo_room(up->dir, up->min_free, len))
		return LIN_ENOSPC;
	if (rc)
		return rc;
	buf_init(&clean, PHOTO_MAX_BYTES + 1);
	rc = photo_strip(data, len, mime, &clean);
	if (!rc)
		rc = photo_store(up->dir, (const unsigned char *)clean.buf, clean.len, mime,
				 out->sha256);
	if (!rc) {
		out->mime = mime;
		out->bytes = (int64_t)clean.len;
	}
	buf_release(&clean);
	return rc;
}

static int photo_file(struct http_req *req, struct http_resp *resp)
{
	return send_photo(req, resp, 0);
}

static int photo_view_file(struct http_req *req, struct http_resp *resp)
{
	return send_photo(req, resp, 1);
}

int cases_case_routes(struct router *r, const char *upload_dir)
{
	/* Every route that can draw the case page carries the photo folder. */
	const struct route routes[] = {
	    {"GET", "/cases/:id", case_page, PERM_CASES_READ, 0, upload_dir, 0},
	    {"POST", "/cases/:id/act", act_submit, PERM_CASES_WORK, 0, upload_dir, 0},
	    {"POST", "/cases/:id/note", note_submit, PERM_CASES_WORK, 0, upload_dir, 0},
	    {"POST", "/cases/:id/mediation", mediation_submit, PERM_CASES_WORK, 0, upload_dir, 0},
	    {"POST", "/cases/:id/complex", complex_submit, PERM_CASES_ADMIN, 0, upload_dir, 0},
	    {"GET", "/cases/:id/photos/:file", photo_file, PERM_CASES_READ, 0, upload_dir, 0},
	    {"GET", "/cases/:id/views/:file", photo_view_file, PERM_CASES_READ, 0, upload_dir, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
