/* Cross-site scripting and spreadsheet formulas: a corpus of hostile text
 * (script tags, attribute breakers, SVG handlers, a closing textarea,
 * javascript: URLs, formula starters) goes through every free-text field a
 * user can fill — the registry as the secretary, the public report form,
 * staff notes, mediations, referrals and public replies, a reporter's
 * rating, Open311, station inspections and patrol logs — and then every page, chart, XML, JSON, CSV
 * and XLSX that shows it is read back by the roles that may see it.
 *
 * Each payload carries a marker of its own (xS01, xS02...). On every HTML,
 * SVG and XML answer no payload may appear raw, no marker may sit next to
 * the quote or bracket it had in the payload (that would be live markup),
 * and where a field is shown its escaped form must be there, so a field
 * silently dropped fails too. JSON must give back each string exactly, as
 * application/json with nosniff. No CSV cell may start a formula (= + - @
 * tab CR) and the guarded payloads must be there; an XLSX stores them as
 * text, never as a formula. */
#include "checks.h"
#include "upload.h"

#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

/* ------------------------------------------------------------ the corpus */

enum kind {
	K_SCRIPT,   /* a script element */
	K_IMG,	    /* leaves an attribute, then an element with a handler */
	K_ATTR,	    /* leaves a single-quoted attribute, adds a handler */
	K_SVG,	    /* an SVG element with a handler */
	K_TEXTAREA, /* closes a textarea the value is shown in */
	K_SHORT,    /* every dangerous character in 13 bytes (tags, doors) */
	K_URLQ,	    /* an http URL a validator accepts, with quotes in it */
	F_HYPERLINK,
	F_PLUS,
	F_MINUS,
	F_AT,
	F_TAB,
	F_CR,
};

static const char *const templates[] = {
    [K_SCRIPT] = "<script>alert('%s')</script>",
    [K_IMG] = "\"><img src=x onerror=alert('%s')>",
    [K_ATTR] = "' onmouseover='alert(\"%s\")' x='",
    [K_SVG] = "<svg onload=alert('%s')>",
    [K_TEXTAREA] = "</textarea><script>alert('%s')</script>",
    [K_SHORT] = "<i x='%s'>\"",
    [K_URLQ] = "http://x.example/?a='%s'onmouseover='alert(1)",
    [F_HYPERLINK] = "=HYPERLINK(\"http://x\",\"%s\")",
    [F_PLUS] = "+1+%s",
    [F_MINUS] = "-2+3 %s",
    [F_AT] = "@SUM(1) %s",
    [F_TAB] = "\t=1 %s",
    [F_CR] = "\r=1 %s",
};

#define MAXP 96

static struct payload {
	char marker[16]; /* xS01 ... */
	char text[160];	 /* the payload */
} corpus[MAXP];
static int ncorpus;

/* P: a new payload of kind with the next marker. */
static const char *P(enum kind k)
{
	struct payload *p = &corpus[ncorpus];

	assert_true(ncorpus < MAXP);
	snprintf(p->marker, sizeof(p->marker), "xS%02d", ncorpus + 1);
	snprintf(p->text, sizeof(p->text), templates[k], p->marker);
	ncorpus++;
	return p->text;
}

/* name_of: a payload's marker, for messages (other text as it is). */
static const char *name_of(const char *text)
{
	for (int i = 0; i < ncorpus; i++)
		if (corpus[i].text == text || !strcmp(corpus[i].text, text))
			return corpus[i].marker;
	return text;
}

/* ------------------------------------------------------------ markup */

/* escape: s as markup text, with apos for ' (&#39; from our HTML writer,
 * &apos; from the XML one). */
static void escape(const char *s, const char *apos, char *out, size_t n)
{
	size_t k = 0;

	for (; *s && k + 8 < n; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = apos;
			break;
		}
		if (rep) {
			size_t m = strlen(rep);
			memcpy(out + k, rep, m);
			k += m;
		} else {
			out[k++] = *s;
		}
	}
	out[k] = '\0';
}

static int is_markup_char(char c)
{
	return c == '<' || c == '>' || c == '"' || c == '\'';
}

/* same_fragment: an earlier payload than i starts with element frag
 * (reported once). */
static int same_fragment(int i, const char *frag)
{
	for (int j = 0; j < i; j++) {
		const char *lt = strchr(corpus[j].text, '<');
		if (lt && !strncmp(lt, frag, strlen(frag)) && strcspn(lt, "'\"") == strlen(frag))
			return 1;
	}
	return 0;
}

/* safe_markup: no payload of the corpus is live in body. Returns the
 * number of problems, each printed. */
static int safe_markup(const char *what, const char *body)
{
	int bad = 0;

	for (int i = 0; i < ncorpus; i++) {
		const struct payload *p = &corpus[i];
		const char *at = strstr(p->text, p->marker), *hit;
		size_t mlen = strlen(p->marker);
		char before = at > p->text ? at[-1] : 0, after = at[mlen];

		if (strchr(p->text, '<') || strchr(p->text, '"') || strchr(p->text, '\'')) {
			if (strstr(body, p->text)) {
				print_message("# %s: %s appears raw: %s\n", what, p->marker,
					      p->text);
				bad++;
				continue;
			}
		}
		/* Its first element up to the first quote, raw, is live markup
		 * however the quotes came out ("<svg onload=alert("). */
		if (strchr(p->text, '<')) {
			char frag[160];
			const char *lt = strchr(p->text, '<');
			snprintf(frag, sizeof(frag), "%.*s", (int)strcspn(lt, "'\""), lt);
			if (strlen(frag) > 4 && strstr(body, frag) && !same_fragment(i, frag)) {
				print_message("# %s: a payload like %s opens an element: %s\n",
					      what, p->marker, frag);
				bad++;
				continue;
			}
		}
		/* The marker next to its quote or bracket, unescaped, is inside
		 * live markup even when the rest of the payload is cut or
		 * escaped differently. */
		for (hit = strstr(body, p->marker); hit; hit = strstr(hit + 1, p->marker)) {
			if ((is_markup_char(before) && hit > body && hit[-1] == before) ||
			    (is_markup_char(after) && hit[mlen] == after)) {
				print_message("# %s: %s unescaped around: %.60s\n", what, p->marker,
					      hit > body + 30 ? hit - 30 : body);
				bad++;
				break;
			}
		}
	}
	return bad;
}

/* shown_escaped: the payload is in body, escaped as HTML or XML. */
static int shown_escaped(const char *body, const char *payload)
{
	char e[1024];

	escape(payload, "&#39;", e, sizeof(e));
	if (strstr(body, e))
		return 1;
	escape(payload, "&apos;", e, sizeof(e));
	if (strstr(body, e))
		return 1;
	escape(payload, "&#x27;", e, sizeof(e));
	return strstr(body, e) != NULL;
}

/* check_markup: body (HTML, SVG or XML) holds no live payload and shows
 * every payload of shown (NULL-terminated) escaped. */
static void check_markup(const char *what, const char *body, const char *const *shown)
{
	int bad = safe_markup(what, body);

	for (int i = 0; shown && shown[i]; i++) {
		if (!shown_escaped(body, shown[i])) {
			print_message("# %s: %s is not shown (escaped): %s\n", what,
				      name_of(shown[i]), shown[i]);
			bad++;
		}
	}
	if (bad)
		fail_msg("%s: %d problem(s)", what, bad);
}

/* check_page: GET path as c: 200, of type (text/html, text/xml), with
 * nosniff, checked by check_markup. */
static void check_page(struct client *c, const char *path, const char *type,
		       const char *const *shown)
{
	struct response r;
	char ct[128] = "", nosniff[64] = "";

	assert_int_equal(request(c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	if (r.status != 200)
		fail_msg("GET %s: %ld %.300s", path, r.status, r.body);
	if (!header_value(&r, "Content-Type", ct, sizeof(ct)) || strncmp(ct, type, strlen(type)))
		fail_msg("GET %s: Content-Type %s, want %s", path, ct, type);
	assert_non_null(header_value(&r, "X-Content-Type-Options", nosniff, sizeof(nosniff)));
	assert_string_equal(nosniff, "nosniff");
	check_markup(path, r.body, shown);
	response_release(&r);
}

#define SHOWN(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ------------------------------------------------------------ JSON */

static int json_has(json_t *j, const char *s)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_string(j))
		return !strcmp(json_string_value(j), s);
	if (json_is_object(j)) {
		json_object_foreach (j, key, v)
			if (json_has(v, s))
				return 1;
	}
	if (json_is_array(j)) {
		json_array_foreach (j, i, v)
			if (json_has(v, s))
				return 1;
	}
	return 0;
}

/* check_json_answer: r is JSON served so that no browser takes it for a
 * page, and holds every payload of shown as an exact string. Returns the
 * parsed answer (caller decrefs). */
static json_t *check_json_answer(const char *what, const struct response *r,
				 const char *const *shown)
{
	char ct[128] = "", nosniff[64] = "";
	json_error_t err;
	json_t *root;

	if (!header_value(r, "Content-Type", ct, sizeof(ct)) || strncmp(ct, "application/json", 16))
		fail_msg("%s: Content-Type %s, want application/json", what, ct);
	assert_non_null(header_value(r, "X-Content-Type-Options", nosniff, sizeof(nosniff)));
	assert_string_equal(nosniff, "nosniff");
	root = json_loads(r->body, 0, &err);
	if (!root)
		fail_msg("%s: not JSON (%s): %.200s", what, err.text, r->body);
	for (int i = 0; shown && shown[i]; i++)
		if (!json_has(root, shown[i]))
			fail_msg("%s: %s does not come back exactly", what, name_of(shown[i]));
	return root;
}

static void check_json(struct client *c, const char *path, const char *const *shown)
{
	struct response r;

	assert_int_equal(api(c, &srv, "GET", path, NULL, &r), 0);
	if (r.status != 200)
		fail_msg("GET %s: %ld %.300s", path, r.status, r.body);
	json_decref(check_json_answer(path, &r, shown));
	response_release(&r);
}

/* ------------------------------------------------------------ CSV */

static int is_number(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	strtod(s, &end);
	return *end == '\0';
}

/* check_csv parses data (RFC 4180, a BOM allowed); no cell may start a
 * formula unless it is a plain number, and each payload of guarded must be
 * a cell of its own behind an apostrophe; each of exact must be a cell as
 * it is. */
static void check_csv(const char *what, const char *data, size_t len, const char *const *guarded,
		      const char *const *exact)
{
	char *cell = malloc(len + 1);
	size_t i = 0, n;
	int bad = 0, found[16] = {0}, foundx[16] = {0}, rows = 0;

	assert_non_null(cell);
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len) {
		n = 0;
		if (data[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					fail_msg("%s: unterminated quoted cell", what);
				if (data[i] == '"') {
					if (i + 1 < len && data[i + 1] == '"') {
						cell[n++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				cell[n++] = data[i];
			}
			if (i < len && data[i] != ',' && data[i] != '\r' && data[i] != '\n')
				fail_msg("%s: junk after a quoted cell at byte %zu", what, i);
		} else {
			while (i < len && data[i] != ',' && data[i] != '\n' &&
			       !(data[i] == '\r' && i + 1 < len && data[i + 1] == '\n')) {
				if (data[i] == '"')
					fail_msg("%s: a bare quote at byte %zu", what, i);
				cell[n++] = data[i++];
			}
		}
		cell[n] = '\0';
		if (strchr("=+-@\t\r", cell[0]) && cell[0] && !is_number(cell)) {
			print_message("# %s: a cell starts a formula: %.60s\n", what, cell);
			bad++;
		}
		for (int k = 0; guarded && guarded[k]; k++)
			if (cell[0] == '\'' && !strcmp(cell + 1, guarded[k]))
				found[k] = 1;
		for (int k = 0; exact && exact[k]; k++)
			if (!strcmp(cell, exact[k]))
				foundx[k] = 1;
		if (i < len && data[i] == ',') {
			i++;
			if (i == len)
				break;
			continue;
		}
		if (i < len && data[i] == '\r')
			i++;
		if (i < len && data[i] == '\n')
			i++;
		rows++;
	}
	free(cell);
	for (int k = 0; guarded && guarded[k]; k++)
		if (!found[k]) {
			print_message("# %s: %s is not there as a guarded cell\n", what,
				      name_of(guarded[k]));
			bad++;
		}
	for (int k = 0; exact && exact[k]; k++)
		if (!foundx[k]) {
			print_message("# %s: %s is not there as it was typed\n", what,
				      name_of(exact[k]));
			bad++;
		}
	assert_true(rows > 1);
	if (bad)
		fail_msg("%s: %d problem(s)", what, bad);
}

/* ------------------------------------------------------------ helpers */

static void urlenc(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && k + 4 < n; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.') {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		}
	}
	out[k] = '\0';
}

/* create: POST the object (stolen) to /api/v1/entity; returns the id. */
static long long create(struct client *c, const char *entity, json_t *obj)
{
	struct response r;
	char path[96], *body = json_dumps(obj, JSON_COMPACT);
	long long id;

	snprintf(path, sizeof(path), "/api/v1/%s", entity);
	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != 201)
		fail_msg("POST %s %s: %ld %s", path, body, r.status, r.body);
	json_decref(check_json_answer(path, &r, NULL));
	id = json_int(r.body, "id");
	response_release(&r);
	free(body);
	json_decref(obj);
	return id;
}

static void act(struct client *c, long long id, json_t *obj)
{
	struct response r;
	char path[96], *body = json_dumps(obj, JSON_COMPACT);

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("%s: %ld %s", body, r.status, r.body);
	response_release(&r);
	free(body);
	json_decref(obj);
}

/* post_form closes a report form and sends it, as a browser does. */
static int post_form(struct client *c, const char *path, struct form *f, struct response *r)
{
	form_end(f);
	return form_post(c, &srv, path, f, NULL, r);
}

/* to_english: c reads pages in English from now on (the lang cookie). */
static void to_english(struct client *c)
{
	struct response r;

	assert_int_equal(request(c, &srv, "GET", "/lang?set=en", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 303);
	response_release(&r);
	c->lang = "en";
}

/* ------------------------------------------------------------ the registry */

/* One registry row: its fields and what the list page shows of them. */
struct row {
	const char *entity;
	long long id;
	const char *q;		  /* a search that finds it on the list page */
	const char *field[8];	  /* free-text fields */
	const char *value[8];	  /* their payloads */
	int listed[8];		  /* shown on the list page too */
	const char *also[4];	  /* other payloads its pages show (a parent's name) */
	const char *also_list[4]; /* ...and its list page */
	int nf;
};

static struct row rows[24];
static int nrows;

/* Ids the later tests use. */
static long long compound_id, building_id, team_id_, unit_id, meter_id, zone_id, dance_id;
static const char *compound_name, *building_name, *team_name, *unit_name, *meter_name, *zone_name;
static const char *cat_name_zh, *cat_name_en, *cat_desc, *cat_q1, *cat_q1_value, *cat_q2;
static const char *fx_name_zh, *fx_name_en;
static const char *resident_name, *resident_note, *resident_fx_name, *resident_fx_note, *tag_name,
    *tag_fx_name, *door, *owners, *household_note, *unit_fx_name, *unit_fx_address,
    *unit_fx_contact, *unit_contact_tab, *member_name, *member_work_unit;

static struct row *row_new(const char *entity, const char *q)
{
	struct row *w = &rows[nrows++];

	assert_true(nrows <= (int)(sizeof(rows) / sizeof(rows[0])));
	memset(w, 0, sizeof(*w));
	w->entity = entity;
	w->q = q;
	return w;
}

static const char *row_field(struct row *w, json_t *obj, const char *field, const char *value,
			     int listed)
{
	json_object_set_new(obj, field, json_string(value));
	w->field[w->nf] = field;
	w->value[w->nf] = value;
	w->listed[w->nf] = listed;
	w->nf++;
	return value;
}

static struct client secretary;

/* The secretary fills every free-text field of every registry entity. */
static void test_registry_rows(void **state)
{
	struct response r;
	struct row *w;
	json_t *o;
	char path[320];

	(void)state;
	login_as(&secretary, "secretary");

	w = row_new("compounds", NULL);
	o = json_pack("{s:s}", "kind", "commercial");
	compound_name = row_field(w, o, "name", P(K_SVG), 1);
	row_field(w, o, "address", P(K_IMG), 1);
	w->id = compound_id = create(&secretary, "compounds", o);

	w = row_new("buildings", NULL);
	o = json_pack("{s:I}", "compound_id", (json_int_t)compound_id);
	building_name = row_field(w, o, "name", P(K_SCRIPT), 1);
	w->also[0] = w->also_list[0] = compound_name;
	w->id = building_id = create(&secretary, "buildings", o);

	w = row_new("households", NULL);
	o = json_pack("{s:I,s:s}", "building_id", (json_int_t)building_id, "area_centi", "88.50");
	door = row_field(w, o, "door", P(K_SHORT), 1);
	owners = row_field(w, o, "owners", P(K_ATTR), 1);
	household_note = row_field(w, o, "note", P(F_MINUS), 0);
	w->also[0] = w->also_list[0] = compound_name;
	w->also[1] = w->also_list[1] = building_name;
	w->id = create(&secretary, "households", o);
	long long household = w->id;

	w = row_new("tags", NULL);
	o = json_object();
	tag_name = row_field(w, o, "name", P(K_SHORT), 1);
	w->id = create(&secretary, "tags", o);
	w = row_new("tags", NULL);
	o = json_object();
	tag_fx_name = row_field(w, o, "name", P(F_AT), 1);
	w->id = create(&secretary, "tags", o);

	w = row_new("residents", NULL);
	o = json_pack("{s:s,s:I,s:[s]}", "gender", "F", "household_id", (json_int_t)household,
		      "tags", tag_name);
	resident_name = row_field(w, o, "name", P(K_SCRIPT), 1);
	resident_note = row_field(w, o, "note", P(K_TEXTAREA), 0);
	w->also[0] = w->also_list[0] = tag_name;
	w->id = create(&secretary, "residents", o);
	w = row_new("residents", NULL);
	o = json_pack("{s:s,s:[s],s:s}", "gender", "M", "tags", tag_fx_name, "phone",
		      "+86 21 6258 1234");
	resident_fx_name = row_field(w, o, "name", P(F_HYPERLINK), 1);
	resident_fx_note = row_field(w, o, "note", P(F_CR), 0);
	w->also[0] = w->also_list[0] = tag_fx_name;
	w->id = create(&secretary, "residents", o);

	w = row_new("places", NULL);
	o = json_pack("{s:s}", "kind", "plaza");
	row_field(w, o, "name", P(K_IMG), 1);
	row_field(w, o, "note", P(K_TEXTAREA), 0);
	w->id = create(&secretary, "places", o);

	w = row_new("branches", NULL);
	o = json_pack("{s:s}", "kind", "branch");
	const char *branch_name = row_field(w, o, "name", P(K_ATTR), 1);
	row_field(w, o, "secretary", P(K_SCRIPT), 1);
	w->id = create(&secretary, "branches", o);
	long long branch = w->id;

	w = row_new("members", NULL);
	o = json_pack("{s:I,s:s,s:s,s:s}", "branch_id", (json_int_t)branch, "gender", "M",
		      "joined_on", "2020-07-01", "phone", "+86 21 6258 1235");
	member_name = row_field(w, o, "name", P(K_SVG), 1);
	member_work_unit = row_field(w, o, "work_unit", P(F_PLUS), 1);
	w->also[0] = w->also_list[0] = branch_name;
	w->id = create(&secretary, "members", o);

	w = row_new("teams", NULL);
	o = json_pack("{s:s}", "kind", "dance");
	team_name = row_field(w, o, "name", P(K_IMG), 1);
	row_field(w, o, "leader", P(K_ATTR), 1);
	row_field(w, o, "note", P(K_TEXTAREA), 0);
	w->id = team_id_ = create(&secretary, "teams", o);

	w = row_new("team_members", NULL);
	o = json_pack("{s:I,s:s}", "team_id", (json_int_t)team_id_, "joined_on", "2021-03-01");
	row_field(w, o, "name", P(K_SCRIPT), 1);
	row_field(w, o, "role", P(K_SHORT), 1);
	w->also[0] = w->also_list[0] = team_name;
	w->id = create(&secretary, "team_members", o);

	/* A javascript: URL is no webhook; an http one with quotes is, and
	 * must stay inside its attribute. */
	o = json_pack("{s:s,s:s,s:s}", "name", "xss-js-url", "kind", "agency", "webhook_url",
		      "javascript:alert('x')");
	{
		char *body = json_dumps(o, JSON_COMPACT);
		assert_int_equal(api(&secretary, &srv, "POST", "/api/v1/units", body, &r), 0);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body, "webhook_url"));
		response_release(&r);
		free(body);
		json_decref(o);
	}
	w = row_new("units", NULL);
	o = json_pack("{s:s,s:s}", "kind", "agency", "email", "xss@example.org");
	unit_name = row_field(w, o, "name", P(K_TEXTAREA), 1);
	row_field(w, o, "address", P(K_SVG), 1);
	unit_contact_tab = row_field(w, o, "contact", P(F_TAB), 1);
	row_field(w, o, "webhook_url", P(K_URLQ), 0);
	w->id = unit_id = create(&secretary, "units", o);
	w = row_new("units", NULL);
	o = json_pack("{s:s,s:s}", "kind", "shop", "phone", "+86 21 6258 1236");
	unit_fx_name = row_field(w, o, "name", P(F_PLUS), 1);
	unit_fx_address = row_field(w, o, "address", P(F_MINUS), 1);
	unit_fx_contact = row_field(w, o, "contact", P(F_HYPERLINK), 1);
	w->id = create(&secretary, "units", o);

	w = row_new("meters", NULL);
	o = json_pack("{s:s}", "zone_class", "2");
	meter_name = row_field(w, o, "name", P(K_SVG), 1);
	row_field(w, o, "watches", P(K_ATTR), 1);
	row_field(w, o, "mn", P(K_SHORT), 1);
	w->id = meter_id = create(&secretary, "meters", o);

	w = row_new("plaza_zones", NULL);
	o = json_pack("{s:s,s:i}", "shape", "0,0 10,0 10,10", "capacity", 2);
	zone_name = row_field(w, o, "name", P(K_SCRIPT), 1);
	w->id = zone_id = create(&secretary, "plaza_zones", o);

	w = row_new("receptors", NULL);
	o = json_pack("{s:s,s:s,s:s,s:s}", "x_centi", "10", "y_centi", "12.5", "zone_class", "2",
		      "background_centi", "45");
	row_field(w, o, "name", P(K_IMG), 1);
	w->id = create(&secretary, "receptors", o);

	w = row_new("dance_teams", NULL);
	o = json_pack("{s:I,s:i}", "team_id", (json_int_t)team_id_, "sessions_per_week", 2);
	row_field(w, o, "equipment", P(K_SVG), 0);
	w->also[0] = w->also_list[0] = team_name;
	w->id = dance_id = create(&secretary, "dance_teams", o);

	w = row_new("noise_alert_rules", NULL);
	o = json_pack("{s:I,s:s,s:i,s:i,s:i,s:b}", "meter_id", (json_int_t)meter_id, "kind",
		      "laeq_cap", "window_s", 60, "clear_centi", 300, "quiet_s", 600, "open_case",
		      1);
	row_field(w, o, "name", P(K_ATTR), 1);
	w->also[0] = w->also_list[0] = meter_name;
	w->id = create(&secretary, "noise_alert_rules", o);

	/* A category of reports, with the form's questions in hostile words. */
	w = row_new("case_categories", "xsscat");
	o = json_pack("{s:s,s:i,s:I}", "code", "xsscat", "resolve_days", 5, "handler_team_id",
		      (json_int_t)team_id_);
	cat_name_zh = row_field(w, o, "name_zh", P(K_SVG), 1);
	cat_name_en = row_field(w, o, "name_en", P(K_IMG), 1);
	cat_desc = row_field(w, o, "description", P(K_TEXTAREA), 0);
	cat_q1 = P(K_SCRIPT);
	cat_q1_value = P(K_ATTR);
	cat_q2 = P(K_SHORT);
	{
		json_t *qs =
		    json_pack("[{s:s,s:s,s:s,s:s,s:[{s:s,s:s,s:s}]},{s:s,s:s,s:s,s:s}]", "code",
			      "q1", "datatype", "singlevaluelist", "description_zh", cat_q1,
			      "description_en", cat_q1, "values", "key", "a", "name_zh",
			      cat_q1_value, "name_en", cat_q1_value, "code", "q2", "datatype",
			      "string", "description_zh", cat_q2, "description_en", cat_q2);
		char *text = json_dumps(qs, JSON_COMPACT);
		json_object_set_new(o, "questions", json_string(text));
		free(text);
		json_decref(qs);
	}
	w->also[0] = team_name;
	w->id = create(&secretary, "case_categories", o);
	w = row_new("case_categories", "xssfx");
	o = json_pack("{s:s,s:i}", "code", "xssfx", "resolve_days", 5);
	fx_name_zh = row_field(w, o, "name_zh", P(F_HYPERLINK), 1);
	fx_name_en = row_field(w, o, "name_en", P(F_AT), 1);
	w->id = create(&secretary, "case_categories", o);

	/* Every row through the API, its page and the list page. */
	for (int i = 0; i < nrows; i++) {
		const char *shown[16], *listed[16], *own[16];
		int ns = 0, nl = 0, no = 0;
		char q[200];
		w = &rows[i];
		for (int k = 0; k < w->nf; k++) {
			shown[ns++] = own[no++] = w->value[k];
			if (w->listed[k])
				listed[nl++] = w->value[k];
		}
		for (int k = 0; k < 4 && w->also[k]; k++)
			shown[ns++] = w->also[k];
		for (int k = 0; k < 4 && w->also_list[k]; k++)
			listed[nl++] = w->also_list[k];
		shown[ns] = listed[nl] = own[no] = NULL;
		/* JSON gives each field as it is (a parent's name is only part of
		 * a title there). */
		snprintf(path, sizeof(path), "/api/v1/%s/%lld", w->entity, w->id);
		check_json(&secretary, path, own);
		snprintf(path, sizeof(path), "/%s/%lld", w->entity, w->id);
		check_page(&secretary, path, "text/html", shown);
		/* The list, searched for the row by the marker of its first field,
		 * in capitals (the search ignores case) so that the search box
		 * showing it back is not taken for the payload. */
		urlenc(w->q ? w->q : name_of(w->value[0]), q, sizeof(q));
		for (char *c = q; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		snprintf(path, sizeof(path), "/%s?q=%s", w->entity, q);
		check_page(&secretary, path, "text/html", listed);
		snprintf(path, sizeof(path), "/api/v1/%s?q=%s", w->entity, q);
		check_json(&secretary, path, own);
		/* The new-row form lists references by their titles. */
		snprintf(path, sizeof(path), "/%s/new", w->entity);
		check_page(&secretary, path, "text/html", NULL);
	}
}

/* A form sent back with an error shows what was typed, escaped. */
static void test_registry_form_echo(void **state)
{
	struct response r;
	char body[2048], a[512], b[512];
	const char *name = P(K_TEXTAREA), *note = P(K_TEXTAREA);

	(void)state;
	urlenc(name, a, sizeof(a));
	urlenc(note, b, sizeof(b));
	/* birth_year out of range: the form comes back with the values. */
	snprintf(body, sizeof(body), "_csrf=%s&name=%s&gender=F&birth_year=1700&note=%s",
		 secretary.csrf, a, b);
	assert_int_equal(request(&secretary, &srv, "POST", "/residents", body,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	assert_int_equal(r.status, 422);
	check_markup("POST /residents (422)", r.body, SHOWN(name, note));
	response_release(&r);
	/* A search term is shown back in the search box. */
	urlenc(name, a, sizeof(a));
	snprintf(body, sizeof(body), "/residents?q=%s", a);
	check_page(&secretary, body, "text/html", SHOWN(name));
}

/* `linli export` writes CSV a spreadsheet opens without running anything. */
static void test_registry_csv_exports(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(run_cli(&srv, NULL, &out, "export", "residents", NULL), 0);
	check_csv("export residents", out, strlen(out),
		  SHOWN(resident_fx_name, resident_fx_note, tag_fx_name, "+86 21 6258 1234"),
		  SHOWN(resident_name, resident_note, tag_name));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "export", "households", NULL), 0);
	check_csv("export households", out, strlen(out), SHOWN(household_note),
		  SHOWN(door, owners));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "export", "units", NULL), 0);
	check_csv("export units", out, strlen(out),
		  SHOWN(unit_fx_name, unit_fx_address, unit_fx_contact, unit_contact_tab,
			"+86 21 6258 1236"),
		  SHOWN(unit_name));
	free(out);
	assert_int_equal(run_cli(&srv, NULL, &out, "export", "members", NULL), 0);
	check_csv("export members", out, strlen(out), SHOWN(member_work_unit, "+86 21 6258 1235"),
		  SHOWN(member_name));
	/* The guard is for spreadsheets: importing the exported row gives
	 * back the words as they were typed. */
	{
		char file[1100], *line = strstr(out, name_of(member_name)), *imported = NULL;
		struct response r;
		json_t *v, *items, *item;
		size_t i;
		FILE *f;

		assert_non_null(line);
		while (line > out && line[-1] != '\n')
			line--;
		snprintf(file, sizeof(file), "%s/members.csv", srv.dir);
		f = fopen(file, "w");
		assert_non_null(f);
		fprintf(f, "%.*s%.*s", (int)(strchr(out, '\n') + 1 - out), out,
			(int)(strchr(line, '\n') + 1 - line), line);
		fclose(f);
		if (run_cli(&srv, NULL, &imported, "import", "members", file, NULL) != 0)
			fail_msg("import members: %s", imported);
		free(imported);
		snprintf(file, sizeof(file), "/api/v1/members?q=%s", name_of(member_name));
		assert_int_equal(api(&secretary, &srv, "GET", file, NULL, &r), 0);
		v = check_json_answer("members after import", &r, NULL);
		items = json_object_get(v, "items");
		assert_int_equal(json_array_size(items), 2);
		json_array_foreach (items, i, item) {
			assert_string_equal(json_string_value(json_object_get(item, "work_unit")),
					    member_work_unit);
			assert_string_equal(json_string_value(json_object_get(item, "name")),
					    member_name);
		}
		json_decref(v);
		response_release(&r);
	}
	free(out);
}

/* ------------------------------------------------------------ cases */

static char code_report[16];
static long long id_report, id_o311;
static const char *rep_desc, *rep_addr, *rep_name, *rep_q2, *dup_desc, *dup_addr, *note_internal,
    *med_parties, *med_mediators, *med_agreement, *ref_reference, *ref_note, *agency_answer,
    *public_note, *rating_comment, *reopen_note, *o311_desc, *o311_addr, *o311_first, *o311_last;

static void report_fields(struct form *f, const char *description, const char *address,
			  const char *name, const char *phone)
{
	char id[32];

	snprintf(id, sizeof(id), "%lld", compound_id);
	form_field(f, "category", "xsscat");
	form_field(f, "description", description);
	form_field(f, "compound_id", id);
	form_field(f, "address", address);
	form_field(f, "reporter_name", name);
	form_field(f, "reporter_phone", phone);
	form_field(f, "q_q1", "a");
	form_field(f, "q_q2", rep_q2);
}

/* An anonymous resident reports on the public form. */
static void test_public_report(void **state)
{
	struct client anon;
	struct response r;
	struct form f = {{0}, 0};
	char loc[256];

	(void)state;
	client_init(&anon);
	rep_desc = P(K_TEXTAREA);
	rep_addr = P(K_IMG);
	rep_name = P(K_ATTR);
	rep_q2 = P(K_SHORT);
	/* The kinds of problem and the category's own questions. */
	check_page(&anon, "/report", "text/html", SHOWN(cat_name_zh));
	check_page(&anon, "/report?category=xsscat", "text/html",
		   SHOWN(cat_name_zh, cat_q1, cat_q1_value, cat_q2, compound_name));
	/* A bad phone number: the form comes back with what was typed. */
	report_fields(&f, rep_desc, rep_addr, rep_name, "not-a-phone");
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	assert_int_equal(r.status, 422);
	check_markup("POST /report (422)", r.body, SHOWN(rep_desc, rep_addr, rep_name, rep_q2));
	response_release(&r);
	/* Filed. */
	memset(&f, 0, sizeof(f));
	report_fields(&f, rep_desc, rep_addr, rep_name, "13900002222");
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	if (r.status != 303)
		fail_msg("POST /report: %ld %.400s", r.status, r.body);
	assert_non_null(header_value(&r, "Location", loc, sizeof(loc)));
	assert_true(!strncmp(loc, "/track/", 7));
	snprintf(code_report, sizeof(code_report), "%.10s", loc + 7);
	response_release(&r);
	/* The same place again: the page offering the open case carries what
	 * was typed in hidden fields. */
	dup_desc = P(K_IMG);
	dup_addr = P(K_SCRIPT);
	memset(&f, 0, sizeof(f));
	report_fields(&f, dup_desc, dup_addr, rep_name, "");
	assert_int_equal(post_form(&anon, "/report", &f, &r), 0);
	if (r.status != 200)
		fail_msg("POST /report (a second one): %ld %.400s", r.status, r.body);
	check_markup("POST /report (duplicates)", r.body,
		     SHOWN(dup_desc, dup_addr, rep_name, rep_q2, cat_name_zh));
	response_release(&r);
	snprintf(loc, sizeof(loc), "/track/%s?new=1", code_report);
	check_page(&anon, loc, "text/html", SHOWN(cat_name_zh));
	client_release(&anon);
}

static void post_json(struct client *c, const char *path, json_t *obj, long want)
{
	struct response r;
	char *body = json_dumps(obj, JSON_COMPACT);

	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != want)
		fail_msg("POST %s %s: %ld %s", path, body, r.status, r.body);
	response_release(&r);
	free(body);
	json_decref(obj);
}

/* Staff work the case with hostile words everywhere; the reporter rates. */
static void test_case_work(void **state)
{
	struct client staff, anon;
	struct response r;
	char path[128], body[1024], enc[512];

	(void)state;
	login_as(&staff, "staff");
	snprintf(path, sizeof(path), "/api/v1/track/%s", code_report);
	assert_int_equal(request(&staff, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	id_report = json_int(r.body, "id");
	response_release(&r);
	note_internal = P(K_SVG);
	med_parties = P(K_IMG);
	med_mediators = P(K_ATTR);
	med_agreement = P(K_TEXTAREA);
	ref_reference = P(K_SHORT);
	ref_note = P(K_SCRIPT);
	agency_answer = P(K_TEXTAREA);
	public_note = P(K_IMG);
	rating_comment = P(K_TEXTAREA);

	act(&staff, id_report, json_pack("{s:s}", "action", "accept"));
	act(&staff, id_report,
	    json_pack("{s:s,s:I}", "action", "assign", "handler_team_id", (json_int_t)team_id_));
	act(&staff, id_report, json_pack("{s:s}", "action", "start"));
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/notes", id_report);
	post_json(&staff, path, json_pack("{s:s,s:b}", "note", note_internal, "public", 0), 201);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/mediations", id_report);
	post_json(&staff, path,
		  json_pack("{s:s,s:s,s:s,s:s}", "held_on", "2025-11-30", "parties", med_parties,
			    "mediators", med_mediators, "agreement", med_agreement),
		  201);
	act(&staff, id_report,
	    json_pack("{s:s,s:I,s:s,s:s}", "action", "refer", "agency_unit_id", (json_int_t)unit_id,
		      "reference", ref_reference, "note", ref_note));
	act(&staff, id_report,
	    json_pack("{s:s,s:s}", "action", "agency_answer", "note", agency_answer));
	act(&staff, id_report,
	    json_pack("{s:s,s:s,s:b}", "action", "resolve", "note", public_note, "public", 1));

	/* The reporter sees the public reply and rates it with a comment. */
	client_init(&anon);
	snprintf(path, sizeof(path), "/track/%s", code_report);
	check_page(&anon, path, "text/html", SHOWN(public_note, cat_name_zh));
	snprintf(path, sizeof(path), "/track/%s/rating", code_report);
	urlenc(rating_comment, enc, sizeof(enc));
	snprintf(body, sizeof(body), "rating=4&comment=%s", enc);
	assert_int_equal(
	    request(&anon, &srv, "POST", path, body, "application/x-www-form-urlencoded", NULL, &r),
	    0);
	if (r.status != 303)
		fail_msg("rating: %ld %.300s", r.status, r.body);
	response_release(&r);
	snprintf(path, sizeof(path), "/track/%s", code_report);
	check_page(&anon, path, "text/html", SHOWN(public_note, cat_name_zh));
	/* Not right after all: reopened with a note for staff. */
	reopen_note = P(K_SVG);
	snprintf(path, sizeof(path), "/track/%s/reopen", code_report);
	urlenc(reopen_note, enc, sizeof(enc));
	snprintf(body, sizeof(body), "note=%s", enc);
	assert_int_equal(
	    request(&anon, &srv, "POST", path, body, "application/x-www-form-urlencoded", NULL, &r),
	    0);
	if (r.status != 303)
		fail_msg("reopen: %ld %.300s", r.status, r.body);
	response_release(&r);
	snprintf(path, sizeof(path), "/track/%s", code_report);
	check_page(&anon, path, "text/html", SHOWN(public_note, cat_name_zh));
	snprintf(path, sizeof(path), "/api/v1/track/%s", code_report);
	assert_int_equal(request(&anon, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	json_decref(check_json_answer(path, &r, SHOWN(public_note)));
	response_release(&r);
	client_release(&anon);

	/* Staff read all of it. */
	snprintf(path, sizeof(path), "/cases/%lld", id_report);
	check_page(&staff, path, "text/html",
		   SHOWN(rep_desc, rep_addr, rep_name, rep_q2, cat_name_zh, compound_name,
			 team_name, unit_name, note_internal, med_parties, med_mediators,
			 med_agreement, ref_reference, ref_note, agency_answer, public_note,
			 rating_comment, reopen_note));
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id_report);
	check_json(&staff, path,
		   SHOWN(rep_desc, rep_addr, rep_name, rep_q2, cat_name_zh, cat_name_en, team_name,
			 unit_name, note_internal, med_parties, med_mediators, med_agreement,
			 ref_reference, agency_answer, public_note, rating_comment, reopen_note));
	check_page(&staff, "/cases", "text/html", SHOWN(cat_name_zh, team_name));
	check_page(&staff, "/cases?state=", "text/html", SHOWN(cat_name_zh));
	check_json(&staff, "/api/v1/cases", SHOWN(cat_name_zh, rep_desc));
	check_page(&staff, "/inbox", "text/html", NULL);
	check_json(&staff, "/api/v1/inbox", NULL);
	check_page(&staff, "/", "text/html", NULL);
	check_json(&staff, "/api/v1/dashboard", NULL);
	{
		struct client en;
		login_as(&en, "staff");
		to_english(&en);
		snprintf(path, sizeof(path), "/cases/%lld", id_report);
		check_page(&en, path, "text/html", SHOWN(cat_name_en, rep_desc));
		check_page(&en, "/cases", "text/html", SHOWN(cat_name_en));
		client_release(&en);
	}
	/* A call taken at the desk: the staff form echoes what was typed. */
	{
		struct form f = {{0}, 0};
		const char *desk = P(K_TEXTAREA);
		form_field(&f, "_csrf", staff.csrf);
		report_fields(&f, desk, rep_addr, rep_name, "not-a-phone");
		form_field(&f, "channel", "phone");
		check_page(&staff, "/cases/new?category=xsscat", "text/html",
			   SHOWN(cat_q1, cat_q1_value, cat_q2));
		assert_int_equal(post_form(&staff, "/cases/new", &f, &r), 0);
		assert_int_equal(r.status, 422);
		check_markup("POST /cases/new (422)", r.body, SHOWN(desk, rep_addr, rep_name));
		response_release(&r);
	}
	/* A case in the category named like a formula, for the exports. */
	post_json(&staff, "/api/v1/cases",
		  json_pack("{s:s,s:s,s:s}", "category", "xssfx", "description", P(F_HYPERLINK),
			    "channel", "phone"),
		  201);
	client_release(&staff);
}

/* ------------------------------------------------------------ Open311 */

static void test_open311(void **state)
{
	struct client c;
	struct response r;
	char *out = NULL, key[128], body[4096], a[512], b[512], d[512], e[512], path[128];
	json_t *v;

	(void)state;
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "xss-open311", "--role", "staff", NULL), 0);
	snprintf(key, sizeof(key), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	o311_desc = P(K_SVG);
	o311_addr = P(K_ATTR);
	o311_first = P(K_SHORT);
	o311_last = P(K_SHORT);
	urlenc(o311_desc, a, sizeof(a));
	urlenc(o311_addr, b, sizeof(b));
	urlenc(o311_first, d, sizeof(d));
	urlenc(o311_last, e, sizeof(e));
	snprintf(body, sizeof(body),
		 "api_key=%s&service_code=xsscat&description=%s&address_string=%s&first_name=%s&"
		 "last_name=%s&attribute%%5Bq2%%5D=%s",
		 key, a, b, d, e, a);
	client_init(&c);
	assert_int_equal(request(&c, &srv, "POST", "/open311/v2/requests.json", body,
				 "application/x-www-form-urlencoded", NULL, &r),
			 0);
	if (r.status != 201)
		fail_msg("Open311 POST: %ld %s", r.status, r.body);
	v = check_json_answer("POST requests.json", &r, NULL);
	id_o311 =
	    strtoll(json_string_value(json_object_get(json_array_get(v, 0), "service_request_id")),
		    NULL, 10);
	json_decref(v);
	response_release(&r);
	assert_true(id_o311 > 0);

	snprintf(path, sizeof(path), "/open311/v2/requests/%lld.xml", id_o311);
	check_page(&c, path, "text/xml", SHOWN(o311_desc, o311_addr, cat_name_zh, team_name));
	snprintf(path, sizeof(path), "/open311/v2/requests/%lld.json", id_o311);
	check_json(&c, path, SHOWN(o311_desc, o311_addr, cat_name_zh, team_name));
	/* The reporter's name never leaves, in any form. */
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
	assert_null(strstr(r.body, name_of(o311_first)));
	assert_null(strstr(r.body, name_of(o311_last)));
	response_release(&r);
	/* The whole category: the public report's words and the reply. */
	check_page(&c, "/open311/v2/requests.xml?service_code=xsscat", "text/xml",
		   SHOWN(o311_desc, rep_desc, public_note, cat_name_zh, team_name));
	check_json(&c, "/open311/v2/requests.json?service_code=xsscat",
		   SHOWN(o311_desc, rep_desc, public_note, cat_name_zh));
	check_page(&c, "/open311/v2/services.xml", "text/xml", SHOWN(cat_name_zh, cat_desc));
	check_json(&c, "/open311/v2/services.json", SHOWN(cat_name_zh, cat_desc));
	check_page(&c, "/open311/v2/services/xsscat.xml", "text/xml",
		   SHOWN(cat_q1, cat_q1_value, cat_q2));
	check_json(&c, "/open311/v2/services/xsscat.json", SHOWN(cat_q1, cat_q1_value, cat_q2));
	c.lang = "en";
	check_page(&c, "/open311/v2/requests.xml?service_code=xsscat", "text/xml",
		   SHOWN(cat_name_en));
	check_page(&c, "/open311/v2/services.xml", "text/xml", SHOWN(cat_name_en));
	client_release(&c);
	/* Staff see the filed names. */
	login_as(&c, "staff");
	snprintf(path, sizeof(path), "/cases/%lld", id_o311);
	check_page(&c, path, "text/html", SHOWN(o311_desc, o311_addr));
	client_release(&c);
}

/* ------------------------------------------------------------ exports */

/* check_xlsx: the workbook's sheets hold no formula and its strings hold
 * every payload of shown (by marker). */
static void check_xlsx(const char *what, const struct response *r, const char *const *shown)
{
	char file[1100], cmd[1300], line[4096];
	struct buf_s {
		char *p;
		size_t n, cap;
	} sheets = {NULL, 0, 0}, strings = {NULL, 0, 0};
	FILE *f, *p;

	if (system("command -v unzip >/dev/null 2>&1") != 0) {
		print_message("# %s: SKIP the formula check: unzip is not installed\n", what);
		return;
	}
	assert_true(r->len > 4 && !memcmp(r->body, "PK", 2));
	snprintf(file, sizeof(file), "%s/xss.xlsx", srv.dir);
	f = fopen(file, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(r->body, 1, r->len, f), r->len);
	fclose(f);
	for (int pass = 0; pass < 2; pass++) {
		struct buf_s *b = pass ? &strings : &sheets;
		snprintf(cmd, sizeof(cmd), "unzip -p '%s' %s", file,
			 pass ? "xl/sharedStrings.xml" : "'xl/worksheets/*.xml'");
		p = popen(cmd, "r");
		assert_non_null(p);
		while (fgets(line, sizeof(line), p)) {
			size_t n = strlen(line);
			if (b->n + n + 1 > b->cap) {
				b->cap = (b->n + n + 1) * 2;
				b->p = realloc(b->p, b->cap);
				assert_non_null(b->p);
			}
			memcpy(b->p + b->n, line, n + 1);
			b->n += n;
		}
		assert_int_equal(pclose(p), 0);
		assert_non_null(b->p);
	}
	if (strstr(sheets.p, "<f>") || strstr(sheets.p, "<f "))
		fail_msg("%s: a sheet holds a formula", what);
	/* Shared strings are element content: quotes may stay, brackets not. */
	for (int i = 0; i < ncorpus; i++)
		if (strchr(corpus[i].text, '<') && strstr(strings.p, corpus[i].text))
			fail_msg("%s: %s is raw in the shared strings", what, corpus[i].marker);
	for (int i = 0; shown && shown[i]; i++)
		if (!strstr(strings.p, name_of(shown[i])))
			fail_msg("%s: %s is not in the workbook", what, name_of(shown[i]));
	free(sheets.p);
	free(strings.p);
	remove(file);
}

static void get_ok(struct client *c, const char *path, struct response *r)
{
	assert_int_equal(request(c, &srv, "GET", path, NULL, NULL, NULL, r), 0);
	if (r->status != 200)
		fail_msg("GET %s: %ld %.300s", path, r->status, r->body);
}

/* Statistics, their exports and the site plan. */
static void test_stats_and_map(void **state)
{
	struct client c;
	struct response r;

	(void)state;
	login_as(&c, "staff");
	check_page(&c, "/cases/stats", "text/html", SHOWN(cat_name_zh, fx_name_zh));
	check_json(&c, "/api/v1/cases/stats", SHOWN(cat_name_zh, fx_name_zh));
	get_ok(&c, "/cases/stats.csv", &r);
	check_csv("/cases/stats.csv", r.body, r.len, SHOWN(fx_name_zh), SHOWN(cat_name_zh));
	response_release(&r);
	get_ok(&c, "/cases/stats.xlsx", &r);
	check_xlsx("/cases/stats.xlsx", &r, SHOWN(fx_name_zh, cat_name_zh));
	response_release(&r);
	check_page(&c, "/cases/map", "text/html", SHOWN(compound_name, cat_name_zh));
	to_english(&c);
	get_ok(&c, "/cases/stats.csv", &r);
	check_csv("/cases/stats.csv (en)", r.body, r.len, SHOWN(fx_name_en), SHOWN(cat_name_en));
	response_release(&r);
	get_ok(&c, "/cases/stats.xlsx", &r);
	check_xlsx("/cases/stats.xlsx (en)", &r, SHOWN(fx_name_en, cat_name_en));
	response_release(&r);
	check_page(&c, "/cases/stats", "text/html", SHOWN(cat_name_en, fx_name_en));
	check_page(&c, "/cases/map", "text/html", SHOWN(cat_name_en));
	client_release(&c);
}

/* patch: PATCH /api/v1/entity/id with obj (stolen), 200. */
static void patch(const char *entity, long long id, json_t *obj)
{
	struct response r;
	char path[96], *body = json_dumps(obj, JSON_COMPACT);

	snprintf(path, sizeof(path), "/api/v1/%s/%lld", entity, id);
	assert_int_equal(api(&secretary, &srv, "PATCH", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("PATCH %s %s: %ld %s", path, body, r.status, r.body);
	response_release(&r);
	free(body);
	json_decref(obj);
}

/* The meter, too loud in its zone: the alert and the case it opens (no
 * team on the timetable then) carry the meter's name into the case pages
 * and Open311. */
static void test_noise_alert(void **state)
{
	struct client c, meter;
	struct response r;
	char *out = NULL, hdr[256], path[128];
	long long tok, t0 = (long long)time(NULL) - 900, case_id;
	size_t cap = 200 * 40 + 64, len;
	char *batch = malloc(cap);
	json_t *v;

	(void)state;
	assert_non_null(batch);
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "xss-meter", "--role", "meter", NULL), 0);
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %.*s", (int)strcspn(out, "\n"), out);
	assert_non_null(strstr(out, "Token "));
	tok = strtoll(strstr(out, "Token ") + 6, NULL, 10);
	free(out);
	patch("plaza_zones", zone_id, json_pack("{s:s}", "volume_cap_centi", "70"));
	patch("meters", meter_id,
	      json_pack("{s:I,s:I}", "token_id", (json_int_t)tok, "zone_id", (json_int_t)zone_id));
	len = (size_t)snprintf(batch, cap, "{\"readings\":[");
	for (int i = 0; i < 200; i++)
		len += (size_t)snprintf(batch + len, cap - len, "%s{\"t\":%lld,\"laeq\":80}",
					i ? "," : "", t0 + i);
	snprintf(batch + len, cap - len, "]}");
	client_init(&meter);
	assert_int_equal(request(&meter, &srv, "POST", "/api/v1/noise/readings", batch,
				 "application/json", hdr, &r),
			 0);
	if (r.status != 200)
		fail_msg("readings: %ld %s", r.status, r.body);
	response_release(&r);
	client_release(&meter);
	free(batch);

	login_as(&c, "staff");
	snprintf(path, sizeof(path), "/api/v1/noise/alerts?meter=%lld", meter_id);
	assert_int_equal(api(&c, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	v = check_json_answer(path, &r, NULL);
	case_id = json_integer_value(
	    json_object_get(json_array_get(json_object_get(v, "alerts"), 0), "case_id"));
	if (!case_id)
		fail_msg("no alert with a case: %s", r.body);
	json_decref(v);
	response_release(&r);
	snprintf(path, sizeof(path), "/cases/%lld", case_id);
	check_page(&c, path, "text/html", SHOWN(meter_name));
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", case_id);
	check_json(&c, path, SHOWN(meter_name));
	check_page(&c, "/cases", "text/html", SHOWN(meter_name));
	check_page(&c, "/noise/live", "text/html", SHOWN(meter_name));
	client_release(&c);
	client_init(&c);
	check_page(&c, "/open311/v2/requests.xml?service_code=noise", "text/xml",
		   SHOWN(meter_name));
	client_release(&c);
}

/* The noise pages name the meter. */
static void test_noise_pages(void **state)
{
	struct client c, anon;
	struct response r;
	char path[128];

	(void)state;
	login_as(&c, "secretary");
	check_page(&c, "/noise", "text/html", NULL);
	check_page(&c, "/noise/live", "text/html", SHOWN(meter_name));
	check_json(&c, "/api/v1/noise/live", SHOWN(meter_name));
	snprintf(path, sizeof(path), "/noise/reports?meter=%lld", meter_id);
	check_page(&c, path, "text/html", SHOWN(meter_name));
	snprintf(path, sizeof(path), "/noise/reports.csv?meter=%lld", meter_id);
	get_ok(&c, path, &r);
	check_csv(path, r.body, r.len, NULL, NULL);
	response_release(&r);
	snprintf(path, sizeof(path), "/noise/reports.xlsx?meter=%lld", meter_id);
	get_ok(&c, path, &r);
	check_xlsx(path, &r, SHOWN(meter_name));
	response_release(&r);
	check_page(&c, "/schedule", "text/html", NULL);
	check_json(&c, "/api/v1/noise/alerts", NULL);
	client_release(&c);
	client_init(&anon);
	snprintf(path, sizeof(path), "/noise/display/%lld", meter_id);
	check_page(&anon, path, "text/html", SHOWN(meter_name));
	client_release(&anon);
}

/* The plaza's timetable names the teams and the zones, on the page, in
 * its plan and in JSON. */
static void test_schedule(void **state)
{
	struct client c;
	struct response r;
	char path[128], week[16], *out = NULL;
	time_t now = time(NULL) + 8 * 3600; /* Shanghai */
	struct tm tm;
	json_t *o;

	(void)state;
	gmtime_r(&now, &tm);
	strftime(week, sizeof(week), "%Y-%m-%d", &tm);
	snprintf(path, sizeof(path), "/api/v1/dance_teams/%lld", dance_id);
	o = json_pack("{s:I,s:s,s:s}", "preferred_zone_id", (json_int_t)zone_id, "days", "1234567",
		      "preferred_times", "18:00-20:00");
	{
		char *body = json_dumps(o, JSON_COMPACT);
		assert_int_equal(api(&secretary, &srv, "PATCH", path, body, &r), 0);
		if (r.status != 200)
			fail_msg("PATCH %s: %ld %s", path, r.status, r.body);
		response_release(&r);
		free(body);
		json_decref(o);
	}
	if (run_cli(&srv, NULL, &out, "schedule", "publish", "--week", week, "--time-limit", "5",
		    NULL) != 0)
		fail_msg("schedule publish: %s", out);
	free(out);
	login_as(&c, "secretary");
	snprintf(path, sizeof(path), "/schedule?week=%s", week);
	check_page(&c, path, "text/html", SHOWN(team_name, zone_name));
	snprintf(path, sizeof(path), "/api/v1/schedule?week=%s", week);
	check_json(&c, path, SHOWN(team_name));
	client_release(&c);
}

/* Station inspections and patrol logs: the inspector, the remarks, what
 * was seen and who was spoken to on their pages, JSON and CSV, and in the
 * case a log becomes; the monthly report of the month names the teams. */
static void test_field_records(void **state)
{
	const char *inspector = P(K_ATTR), *remarks = P(K_TEXTAREA), *seen = P(K_SCRIPT),
		   *spoken = P(K_SHORT), *fx_remarks = P(F_PLUS), *fx_seen = P(F_AT);
	struct client c;
	struct response r;
	long long station, route, log_id, case_id;
	char path[128], month[16];
	time_t now = time(NULL) + 8 * 3600; /* Shanghai */
	struct tm tm;

	(void)state;
	login_as(&c, "staff");
	station = create(
	    &c, "duty/stations",
	    json_pack("{s:i,s:s,s:s}", "compound_id", 1, "name", "检查投放点", "code", "XSSST1"));
	route =
	    create(&c, "duty/routes", json_pack("{s:s,s:s}", "name", "检查路线", "code", "XSSRT1"));
	create(&c, "inspections",
	       json_pack("{s:I,s:s,s:s,s:s}", "station_id", (json_int_t)station, "wet", "C",
			 "inspector", inspector, "remarks", remarks));
	create(&c, "inspections",
	       json_pack("{s:I,s:s,s:s}", "station_id", (json_int_t)station, "dry", "B", "remarks",
			 fx_remarks));
	log_id = create(&c, "patrols",
			json_pack("{s:I,s:s,s:s,s:s}", "route_id", (json_int_t)route, "kind",
				  "noise", "seen", seen, "spoken_to", spoken));
	create(&c, "patrols",
	       json_pack("{s:I,s:s,s:s}", "route_id", (json_int_t)route, "kind", "other", "seen",
			 fx_seen));
	check_page(&c, "/inspections", "text/html", SHOWN(inspector, remarks));
	check_page(&c, "/patrols", "text/html", SHOWN(seen, spoken));
	check_json(&c, "/api/v1/inspections", SHOWN(inspector, remarks, fx_remarks));
	check_json(&c, "/api/v1/patrols", SHOWN(seen, spoken, fx_seen));
	get_ok(&c, "/inspections.csv", &r);
	check_csv("/inspections.csv", r.body, r.len, SHOWN(fx_remarks), SHOWN(inspector, remarks));
	response_release(&r);
	get_ok(&c, "/patrols.csv", &r);
	check_csv("/patrols.csv", r.body, r.len, SHOWN(fx_seen), SHOWN(seen, spoken));
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/patrols/%lld/case", log_id);
	assert_int_equal(api(&c, &srv, "POST", path, "{}", &r), 0);
	assert_int_equal(r.status, 201);
	case_id = json_int(r.body, "case_id");
	response_release(&r);
	snprintf(path, sizeof(path), "/cases/%lld", case_id);
	check_page(&c, path, "text/html", SHOWN(seen, spoken));
	client_release(&c);
	gmtime_r(&now, &tm);
	strftime(month, sizeof(month), "%Y-%m", &tm);
	login_as(&c, "secretary");
	snprintf(path, sizeof(path), "/reports/monthly?month=%s", month);
	check_page(&c, path, "text/html", NULL);
	snprintf(path, sizeof(path), "/api/v1/reports/monthly?month=%s", month);
	check_json(&c, path, NULL);
	snprintf(path, sizeof(path), "/reports/monthly.xlsx?month=%s", month);
	get_ok(&c, path, &r);
	check_xlsx(path, &r, NULL);
	response_release(&r);
	client_release(&c);
}

/* Every role's home page and the lists it may open: nothing live. */
static void test_every_role_home(void **state)
{
	static const char *const users[] = {"admin",	 "secretary", "staff",	 "member",
					    "volunteer", "resident",  "liaison", "agency"};
	static const char *const lists[] = {"/residents", "/households", "/units", "/teams",
					    "/members",	  "/cases",	 "/inbox", "/noise/live"};

	(void)state;
	for (size_t u = 0; u < sizeof(users) / sizeof(users[0]); u++) {
		struct client c;
		login_as(&c, users[u]);
		check_page(&c, "/", "text/html", NULL);
		for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
			struct response r;
			char what[128];
			assert_int_equal(request(&c, &srv, "GET", lists[k], NULL, NULL, NULL, &r),
					 0);
			snprintf(what, sizeof(what), "%s as %s", lists[k], users[u]);
			check_markup(what, r.body, NULL);
			response_release(&r);
		}
		/* Each registry row as this role sees it (or is refused). */
		for (int k = 0; k < nrows; k++) {
			struct response r;
			char path[128], what[160];
			snprintf(path, sizeof(path), "/%s/%lld", rows[k].entity, rows[k].id);
			assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, &r), 0);
			snprintf(what, sizeof(what), "%s as %s", path, users[u]);
			check_markup(what, r.body, NULL);
			response_release(&r);
		}
		client_release(&c);
	}
}

static int teardown(void **state)
{
	client_release(&secretary);
	return srv_teardown(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_registry_rows),
	    cmocka_unit_test(test_registry_form_echo),
	    cmocka_unit_test(test_registry_csv_exports),
	    cmocka_unit_test(test_public_report),
	    cmocka_unit_test(test_case_work),
	    cmocka_unit_test(test_open311),
	    cmocka_unit_test(test_stats_and_map),
	    cmocka_unit_test(test_noise_alert),
	    cmocka_unit_test(test_noise_pages),
	    cmocka_unit_test(test_schedule),
	    cmocka_unit_test(test_field_records),
	    cmocka_unit_test(test_every_role_home),
	};
	return cmocka_run_group_tests(tests, srv_setup, teardown);
}
