/* The public online vote: the address a sheet's QR code carries, with its
 * one-time code. No account: the owner confirms who they are with their
 * name and the last four characters of their ID number, checked against
 * the roll's keyed hash (assembly_id_check), then chooses on each matter.
 * The ballot and the spent code are one transaction. Every refused
 * attempt (a used code, a failed check, after closing) is logged with
 * assembly_refusal_add; after ONLINE_FAILURES_MAX failed checks of a part
 * within ONLINE_FAILURE_WINDOW its code rests (counted from the log, so
 * several servers agree), on top of the per-address budget every
 * anonymous POST spends (web/ratelimit.h). */
#include "channels.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/html.h"
#include "../web/page.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define ONLINE_FAILURES_MAX   5
#define ONLINE_FAILURE_WINDOW (15 * 60)

/* What the vote form needs to come back with. */
struct vote_form {
	const char *code;      /* as typed or scanned */
	const char *name;      /* as typed (never the digits) */
	json_t *matters;       /* the assembly's matters */
	const char *error_key; /* the message above the form, or NULL */
};

const char *channels_form_choice(void *req, int64_t matter_id)
{
	char key[32];
	snprintf(key, sizeof(key), "m%lld", (long long)matter_id);
	return req_form(req, key);
}

/* code_form: where someone without a scanned code types it. */
static void code_form(struct html *h, const char *code)
{
	html_printf(
	    h,
	    "<form method=\"get\" action=\"/assembly/vote\" class=\"card stack vote\">"
	    "<label>%T <input name=\"code\" autocomplete=\"off\" autocapitalize=\"characters\" "
	    "spellcheck=\"false\" maxlength=\"32\" required value=\"%s\"></label>"
	    "<button class=\"primary big\">%T</button></form>",
	    "assembly.ch.code", code ? code : "", "assembly.ch.continue");
}

static void vote_form(struct http_req *req, struct html *h, const struct assembly *a,
		      const struct assembly_part *part, const struct vote_form *f)
{
	char closes[20] = "";
	size_t i;
	json_t *m;

	if (a->closes_at)
		assembly_time_format(a->closes_at, closes);
	html_printf(h, "<p class=\"vote-where\">%s · %s</p>", a->compound, part->unit);
	if (a->closes_at)
		html_printf(h, "<p class=\"hint\">%T %s</p>", "assembly.ch.closes", closes);
	if (f->error_key)
		html_printf(h, "<p class=\"error-summary\" role=\"alert\">%T</p>", f->error_key);
	html_printf(h, "<form method=\"post\" action=\"/assembly/vote\" class=\"stack vote\">");
	page_csrf_field(req, h);
	html_printf(
	    h,
	    "<input type=\"hidden\" name=\"code\" value=\"%s\">"
	    "<fieldset class=\"card stack\"><legend>%T</legend><p class=\"hint\">%T</p>"
	    "<label>%T <input name=\"name\" autocomplete=\"name\" maxlength=\"60\" required "
	    "value=\"%s\"></label>"
	    "<label>%T <input name=\"last4\" inputmode=\"text\" autocomplete=\"off\" "
	    "maxlength=\"4\" minlength=\"4\" pattern=\"[0-9]{3}[0-9Xx]\" required "
	    "class=\"digits\"></label></fieldset>",
	    f->code, "assembly.ch.who", "assembly.ch.who_hint", "assembly.ch.your_name",
	    f->name ? f->name : "", "assembly.ch.last4");
	json_array_foreach (f->matters, i, m) {
		int64_t id = json_integer_value(json_object_get(m, "id"));
		const char *was = channels_form_choice(req, id), *body;
		static const char *const choices[] = {"agree", "oppose", "abstain"};

		body = json_string_value(json_object_get(m, "body"));
		html_printf(h, "<fieldset class=\"card stack matter\"><legend>%s %s</legend>",
			    json_string_value(json_object_get(m, "code")),
			    json_string_value(json_object_get(m, "title")));
		if (body && *body)
			html_printf(h, "<p>%s</p>", body);
		html_printf(h, "<div class=\"ch-choices\">");
		for (int c = 0; c < 3; c++) {
			char key[32];
			snprintf(key, sizeof(key), "assembly.ch.%s", choices[c]);
			html_printf(h,
				    "<label class=\"choice\"><input type=\"radio\" name=\"m%l\" "
				    "value=\"%s\"%R> %T</label>",
				    id, choices[c],
				    was && !strcmp(was, choices[c]) ? " checked" : "",
				    arena_strdup(req->arena, key));
		}
		html_printf(h, "</div></fieldset>");
	}
	html_printf(h, "<button class=\"primary big\">%T</button></form>", "assembly.ch.cast");
}

/* refusal_page: a refusal said plainly, with the code form when another
 * code may help. */
static int refusal_page(struct http_req *req, struct http_resp *resp, int status, const char *key,
			const char *code)
{
	struct html h;
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.vote"));
	html_printf(
	    &h,
	    "<section class=\"vote\"><h1>%T</h1><p class=\"error-summary\" role=\"alert\">%T</p>",
	    "assembly.ch.vote", key);
	if (code)
		code_form(&h, code);
	html_printf(&h, "</section>");
	return channels_page_end(req, resp, &h, status);
}

/* open_state: the refusal key when the assembly takes no ballot at now. */
static const char *open_state(const struct assembly *a, int64_t now)
{
	if (a->state == ASSEMBLY_CLOSED || (a->closes_at && now >= a->closes_at))
		return "assembly.err.closed";
	if (a->state != ASSEMBLY_OPEN)
		return "assembly.err.not_open";
	return NULL;
}

/* reason_of: the refusal log's reason for an i18n key. */
static const char *reason_of(const char *key)
{
	if (!key)
		return "refused";
	if (!strcmp(key, "assembly.err.closed"))
		return "closed";
	if (!strcmp(key, "assembly.err.not_open"))
		return "not_open";
	if (!strcmp(key, "assembly.ch.err.code_used"))
		return "code_used";
	if (!strcmp(key, "assembly.ch.err.code_void"))
		return "code_void";
	if (!strcmp(key, "assembly.ch.err.name_mismatch"))
		return "name_mismatch";
	if (!strcmp(key, "assembly.ch.err.no_id_check"))
		return "no_id_check";
	if (!strcmp(key, "assembly.ch.err.rate_limited"))
		return "rate_limited";
	return "refused";
}

/* lookup: the code's row, assembly and part; a refusal key otherwise
 * (*status set). */
static const char *lookup(struct http_req *req, const char *code, struct channels_code *c,
			  struct assembly *a, struct assembly_part *part, int *status)
{
	char hash[65];

	*status = 404;
	if (!code || !*code)
		return "assembly.ch.err.code_missing";
	if (channels_code_hash(code, hash) || channels_code_find(req->db, hash, c) ||
	    assembly_get(req->db, c->area_id, c->assembly_id, a) ||
	    assembly_part_get(req->db, c->area_id, c->part_id, part))
		return "assembly.ch.err.code_unknown";
	*status = 409;
	if (c->used_at)
		return "assembly.ch.err.code_used";
	if (c->void_)
		return "assembly.ch.err.code_void";
	if (part->removed)
		return "assembly.ch.err.part";
	return NULL;
}

int channels_vote_page(struct http_req *req, struct http_resp *resp)
{
	const char *code = req_query(req, "code"), *key;
	struct channels_code c;
	struct assembly a;
	struct assembly_part part;
	struct vote_form f = {.code = code};
	struct html h;
	int status;

	if (!code || !*code) {
		assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.vote"));
		html_printf(&h, "<section class=\"vote\"><h1>%T</h1><p>%T</p>", "assembly.ch.vote",
			    "assembly.ch.vote_intro");
		code_form(&h, "");
		html_printf(&h, "</section>");
		return channels_page_end(req, resp, &h, 200);
	}
	key = lookup(req, code, &c, &a, &part, &status);
	if (!key) {
		key = open_state(&a, (int64_t)time(NULL));
		status = 409;
	}
	if (key)
		return refusal_page(req, resp, status, key, status == 404 ? code : NULL);
	if (assembly_matters_json(req->db, c.area_id, a.id, &f.matters)) {
		json_decref(f.matters);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.vote"));
	html_printf(&h, "<section class=\"vote\"><h1>%s</h1>", a.title);
	vote_form(req, &h, &a, &part, &f);
	html_printf(&h, "</section>");
	json_decref(f.matters);
	resp_header(req, resp, "Cache-Control", "no-store");
	return channels_page_end(req, resp, &h, 200);
}

/* refuse logs the refused ballot and answers with the form again (when
 * the owner can still put it right) or the refusal alone. */
static int refuse(struct http_req *req, struct http_resp *resp, const struct channels_code *c,
		  const struct assembly *a, const struct assembly_part *part, struct vote_form *f,
		  int status, const char *key, int log, int again)
{
	struct html h;

	if (log)
		assembly_refusal_add(req->db, c->area_id, a->id, part->id, "online", reason_of(key),
				     (int64_t)time(NULL));
	if (!again) {
		json_decref(f->matters);
		return refusal_page(req, resp, status, key, NULL);
	}
	f->error_key = key;
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.vote"));
	html_printf(&h, "<section class=\"vote\"><h1>%s</h1>", a->title);
	vote_form(req, &h, a, part, f);
	html_printf(&h, "</section>");
	json_decref(f->matters);
	resp_header(req, resp, "Cache-Control", "no-store");
	return channels_page_end(req, resp, &h, status);
}

int channels_vote_submit(struct http_req *req, struct http_resp *resp)
{
	const char *code = req_form(req, "code"), *key, *why = NULL;
	struct assembly_choice picked[64];
	struct assembly_ballot_in in = {0};
	struct channels_code c;
	struct assembly a;
	struct assembly_part part;
	struct vote_form f = {.code = code, .name = req_form(req, "name")};
	char canonical[CHANNELS_CHOICES_MAX], check[65];
	int64_t now = (int64_t)time(NULL), failures = 0;
	size_t n = 0;
	bool match = false;
	int status, rc;
	struct html h;

	key = lookup(req, code, &c, &a, &part, &status);
	if (key && status == 404)
		return refusal_page(req, resp, status, key, code ? code : "");
	if (assembly_matters_json(req->db, c.area_id, a.id, &f.matters)) {
		json_decref(f.matters);
		return resp_error(req, resp, 500, "internal", "err.internal");
	}
	if (key)
		return refuse(req, resp, &c, &a, &part, &f, status, key, 1, 0);
	key = open_state(&a, now);
	if (key)
		return refuse(req, resp, &c, &a, &part, &f, 409, key, 1, 0);
	if (channels_failures_since(req->db, part.id, "name_mismatch", now - ONLINE_FAILURE_WINDOW,
				    &failures))
		return refuse(req, resp, &c, &a, &part, &f, 500, "err.internal", 0, 0);
	if (failures >= ONLINE_FAILURES_MAX) {
		resp_header(req, resp, "Retry-After", "900");
		return refuse(req, resp, &c, &a, &part, &f, 429, "assembly.ch.err.rate_limited", 1,
			      0);
	}
	if (!part.has_id_check)
		return refuse(req, resp, &c, &a, &part, &f, 409, "assembly.ch.err.no_id_check", 1,
			      0);
	/* a phone's keyboard adds spaces the roll never has */
	rc = assembly_id_check(
	    f.name ? str_trim(arena_strdup(req->arena, f.name)) : NULL,
	    str_trim(
		arena_strdup(req->arena, req_form(req, "last4") ? req_form(req, "last4") : "")),
	    check);
	if (rc)
		return refuse(req, resp, &c, &a, &part, &f, 422, "assembly.ch.err.who_format", 0,
			      1);
	if (channels_id_check_matches(req->db, part.id, check, &match))
		return refuse(req, resp, &c, &a, &part, &f, 500, "err.internal", 0, 0);
	if (!match)
		return refuse(req, resp, &c, &a, &part, &f, 403, "assembly.ch.err.name_mismatch", 1,
			      1);
	rc = channels_choices_canonical(f.matters, channels_form_choice, req, canonical);
	if (!rc)
		rc = channels_choices_parse(canonical, f.matters, picked, 64, &n);
	if (rc || !n)
		return refuse(req, resp, &c, &a, &part, &f, 422, "assembly.ch.err.choose", 0, 1);
	in.assembly_id = a.id;
	in.part_id = part.id;
	in.channel = "online";
	in.cast_at = now;
	in.choices = picked;
	in.nchoices = n;
	rc = channels_online_cast(req->db, &c, &in, &why);
	if (rc == LIN_ECONFLICT || rc == LIN_EINVAL)
		return refuse(req, resp, &c, &a, &part, &f, 409,
			      why ? why : "assembly.ch.err.refused", 1, 0);
	if (rc)
		return refuse(req, resp, &c, &a, &part, &f, 500, "err.internal", 0, 0);
	assembly_page_begin(req, resp, &h, req_t(req, "assembly.ch.vote"));
	html_printf(&h,
		    "<section class=\"vote\"><h1>%s</h1><p class=\"notice\" role=\"status\">%T</p>"
		    "<ul class=\"vote-cast\">",
		    a.title, "assembly.ch.cast_done");
	for (size_t i = 0; i < n; i++) {
		size_t k;
		json_t *m;
		json_array_foreach (f.matters, k, m) {
			if (json_integer_value(json_object_get(m, "id")) != picked[i].matter_id)
				continue;
			html_printf(&h, "<li>%s %s: <strong>%T</strong></li>",
				    json_string_value(json_object_get(m, "code")),
				    json_string_value(json_object_get(m, "title")),
				    arena_printf(req->arena, "assembly.ch.%s",
						 tally_choice_name(picked[i].choice)));
		}
	}
	html_printf(&h, "</ul><p class=\"hint\">%T</p></section>", "assembly.ch.cast_later");
	json_decref(f.matters);
	return channels_page_end(req, resp, &h, 200);
}
