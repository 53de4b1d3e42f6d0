/* Unit tests for the pure parts of src/web: the permission table, route
 * matching, form decoding, escape-by-default HTML, the message catalogues,
 * password hashing and tokens. Nothing here opens a socket or a database. */
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "web/auth.h"
#include "web/form.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/perm.h"
#include "web/router.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

/* -------------------------------------------------------------- perm */

static void perm_table_spot_checks(void **state)
{
	(void)state;
	assert_false(perm_allows(ROLE_RESIDENT, PERM_PEOPLE_READ));
	assert_true(perm_allows(ROLE_STAFF, PERM_SEE_PHONE));
	assert_false(perm_allows(ROLE_PARTY_MEMBER, PERM_SEE_PHONE));
	assert_true(perm_allows(ROLE_PARTY_MEMBER, PERM_PEOPLE_READ));
	assert_true(perm_allows(ROLE_ADMIN, PERM_USERS_ADMIN));
	assert_false(perm_allows(ROLE_SECRETARY, PERM_USERS_ADMIN));
	assert_false(perm_allows(ROLE_STAFF, PERM_USERS_ADMIN));
	assert_true(perm_allows(ROLE_SECRETARY, PERM_AUDIT_READ));
	assert_false(perm_allows(ROLE_STAFF, PERM_AUDIT_READ));
	assert_false(perm_allows(ROLE_STAFF, PERM_ORG_WRITE));
	assert_true(perm_allows(ROLE_UNIT_LIAISON, PERM_UNITS_READ));
	assert_false(perm_allows(ROLE_UNIT_LIAISON, PERM_PEOPLE_READ));
	assert_false(perm_allows(ROLE_VOLUNTEER, PERM_PEOPLE_WRITE));
	assert_false(perm_allows(ROLE_AGENCY, PERM_PLACES_READ));
}

static void perm_public_and_signed_in(void **state)
{
	(void)state;
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_true(perm_allows((enum role)r, PERM_PUBLIC));
	assert_false(perm_allows(ROLE_NONE, PERM_SIGNED_IN));
	/* Every person signed in (a street's or district's staff too); a
	 * meter's token only sends readings. */
	for (int r = ROLE_ADMIN; r < ROLE_COUNT; r++)
		assert_int_equal(perm_allows((enum role)r, PERM_SIGNED_IN), r != ROLE_METER);
	/* Nobody who is not signed in holds anything else. */
	for (int p = PERM_SIGNED_IN; p < PERM_COUNT; p++)
		assert_false(perm_allows(ROLE_NONE, (enum perm)p));
	/* Out-of-range values are refused, not read past the table. */
	assert_false(perm_allows(ROLE_COUNT, PERM_PUBLIC));
	assert_false(perm_allows((enum role) - 1, PERM_PUBLIC));
	assert_false(perm_allows(ROLE_ADMIN, PERM_COUNT));
}

/* The whole table, written out again by hand from what each role is for:
 * one row per permission, one letter per role (y holds it, . does not).
 * A role added to or dropped from any row fails here, naming the cell. */
static void perm_table_matrix(void **state)
{
	static const enum role order[] = {ROLE_NONE,	 ROLE_ADMIN,	    ROLE_SECRETARY,
					  ROLE_STAFF,	 ROLE_PARTY_MEMBER, ROLE_VOLUNTEER,
					  ROLE_RESIDENT, ROLE_UNIT_LIAISON, ROLE_AGENCY,
					  ROLE_METER,	 ROLE_STREET_STAFF, ROLE_DISTRICT_STAFF};
	static const struct {
		const char *held; /* one letter per role, in the order above */
		enum perm perm;
		const char *name;
	} matrix[] = {
	    /* n none, a admin, s secretary, t staff, m party_member, v volunteer,
	     * r resident, l unit_liaison, g agency, M meter, S street_staff,
	     * D district_staff */
	    /*nastmvrlgMSD*/
	    {"yyyyyyyyyyyy", PERM_PUBLIC, "public"},
	    {".yyyyyyyy.yy", PERM_SIGNED_IN, "signed_in"},
	    {".yyyyy......", PERM_PLACES_READ, "places.read"},
	    {".yyy........", PERM_PLACES_WRITE, "places.write"},
	    {".yyyyy......", PERM_PEOPLE_READ, "people.read"},
	    {".yyy........", PERM_PEOPLE_WRITE, "people.write"},
	    {".yyy........", PERM_SEE_PHONE, "people.phone"},
	    {".yyyy.......", PERM_SEE_VULNERABLE, "people.vulnerable"},
	    {".yyyy.......", PERM_ORG_READ, "org.read"},
	    {".yy.........", PERM_ORG_WRITE, "org.write"},
	    {".yyyyy......", PERM_TEAMS_READ, "teams.read"},
	    {".yyy........", PERM_TEAMS_WRITE, "teams.write"},
	    {".yyyy..y....", PERM_UNITS_READ, "units.read"},
	    {".yyy........", PERM_UNITS_WRITE, "units.write"},
	    {".yyyyyyyy...", PERM_CASES_REPORT, "cases.report"},
	    {".yyyyy..y.yy", PERM_CASES_READ, "cases.read"},
	    {".yyyyy..y...", PERM_CASES_WORK, "cases.work"},
	    {".yyy........", PERM_CASES_ADMIN, "cases.admin"},
	    {".........y..", PERM_NOISE_INGEST, "noise.ingest"},
	    {".yyyyy....yy", PERM_NOISE_READ, "noise.read"},
	    {".yyy........", PERM_NOISE_WRITE, "noise.write"},
	    {".yy.........", PERM_AUDIT_READ, "audit.read"},
	    {".y..........", PERM_USERS_ADMIN, "users.admin"},
	    {".yyy........", PERM_AREA_PROFILE, "area.profile"},
	    {".yyyy.....yy", PERM_REPORTS_READ, "reports.read"},
	    {".yyyyy......", PERM_INSPECTIONS_READ, "inspections.read"},
	    {".yyy.y......", PERM_INSPECTIONS_WRITE, "inspections.write"},
	    {".yyy........", PERM_MEETINGS_WRITE, "meetings.write"},
	    {".yyyy.......", PERM_ASSEMBLY_READ, "assembly.read"},
	    {".yyy........", PERM_ASSEMBLY_WRITE, "assembly.write"},
	    {".yyyyy......", PERM_ASSEMBLY_DOORS, "assembly.doors"},
	    {".yyyy.......", PERM_SURVEY_READ, "survey.read"},
	    {".yyy........", PERM_SURVEY_WRITE, "survey.write"},
	    {".yyyyy......", PERM_SURVEY_VISIT, "survey.visit"},
	    {".yyyy..y....", PERM_COBUILD_READ, "cobuild.read"},
	    {".yyy...y....", PERM_COBUILD_CLAIM, "cobuild.claim"},
	    {".yyy........", PERM_COBUILD_WRITE, "cobuild.write"},
	    {".yyy........", PERM_EVENTS_WRITE, "events.write"},
	    {".yyyyy......", PERM_EVENTS_CHECKIN, "events.checkin"},
	    {".yyy........", PERM_PETS_READ, "pets.read"},
	    {".yyy........", PERM_PETS_WRITE, "pets.write"},
	    {"..........yy", PERM_REGION_READ, "region.read"},
	    {".yyy......y.", PERM_REGION_REFER, "region.refer"},
	};
	int wrong = 0;

	(void)state;
	assert_int_equal(sizeof(order) / sizeof(order[0]), ROLE_COUNT);
	assert_int_equal(sizeof(matrix) / sizeof(matrix[0]), PERM_COUNT);
	for (size_t p = 0; p < sizeof(matrix) / sizeof(matrix[0]); p++) {
		assert_int_equal(matrix[p].perm, (enum perm)p);
		assert_string_equal(perm_name(matrix[p].perm), matrix[p].name);
		assert_int_equal(strlen(matrix[p].held), ROLE_COUNT);
		for (int r = 0; r < ROLE_COUNT; r++) {
			int want = matrix[p].held[r] == 'y';
			if (perm_allows(order[r], matrix[p].perm) != want) {
				print_message("# %s: role %s %s it\n", matrix[p].name,
					      role_name(order[r]),
					      want ? "should hold but does not hold" : "holds");
				wrong++;
			}
		}
	}
	assert_int_equal(wrong, 0);
}

static void role_names_round_trip(void **state)
{
	(void)state;
	assert_int_equal(role_from_name("secretary"), ROLE_SECRETARY);
	assert_int_equal(role_from_name("party_member"), ROLE_PARTY_MEMBER);
	assert_int_equal(role_from_name("Admin"), ROLE_NONE);
	assert_int_equal(role_from_name("none"), ROLE_NONE);
	assert_int_equal(role_from_name(""), ROLE_NONE);
	assert_int_equal(role_from_name(NULL), ROLE_NONE);
	for (int r = ROLE_ADMIN; r < ROLE_COUNT; r++)
		assert_int_equal(role_from_name(role_name((enum role)r)), r);
	assert_string_equal(role_name(ROLE_COUNT), "none");
	assert_string_equal(perm_name(PERM_SEE_PHONE), "people.phone");
	assert_string_equal(perm_name(PERM_COUNT), "?");
	/* a street's or district's staff write nothing in an area's pages */
	assert_true(role_read_only(ROLE_STREET_STAFF));
	assert_true(role_read_only(ROLE_DISTRICT_STAFF));
	for (int r = ROLE_NONE; r < ROLE_STREET_STAFF; r++)
		assert_false(role_read_only((enum role)r));
}

/* ------------------------------------------------------------ router */

static int handler_a(struct http_req *req, struct http_resp *resp)
{
	(void)req;
	(void)resp;
	return 0;
}

static const struct route test_routes[] = {
    {"GET", "/", handler_a, PERM_PUBLIC, 0, NULL, 0},
    {"GET", "/api/v1/households", handler_a, PERM_PLACES_READ, 0, NULL, 0},
    {"POST", "/api/v1/households", handler_a, PERM_PLACES_WRITE, 0, NULL, 0},
    {"GET", "/api/v1/households/:id", handler_a, PERM_PLACES_READ, 0, NULL, 0},
    {"GET", "/api/v1/households/new", handler_a, PERM_PLACES_WRITE, 0, NULL, 0},
    {"PUT", "/api/v1/households/:id", handler_a, PERM_PLACES_WRITE, 0, NULL, 0},
    {"GET", "/areas/:area/residents/:id/tags", handler_a, PERM_PEOPLE_READ, 0, NULL, 0},
    {"POST", "/login", handler_a, PERM_PUBLIC, ROUTE_NO_CSRF, NULL, 0},
    {"GET", "/areas/:area/:kind/:id/tags", handler_a, PERM_PEOPLE_READ, 0, NULL, 0},
    {"GET", "/areas/all/residents/:id/:what", handler_a, PERM_PEOPLE_READ, 0, NULL, 0},
    {"GET", "/api/v1/households", handler_a, PERM_PUBLIC, 0, NULL, 0},
    {NULL, NULL, NULL, PERM_PUBLIC, 0, NULL, 0},
};

struct router_fixture {
	struct router *router; /* holds test_routes */
	struct arena arena;    /* captures land here */
	struct http_req req;   /* reused for every match */
};

static int router_setup(void **state)
{
	struct router_fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->router = router_new();
	if (!f->router || router_add(f->router, test_routes)) {
		router_free(f->router);
		free(f);
		return -1;
	}
	arena_init(&f->arena, 0);
	f->req.arena = &f->arena;
	*state = f;
	return 0;
}

static int router_teardown(void **state)
{
	struct router_fixture *f = *state;

	router_free(f->router);
	arena_release(&f->arena);
	free(f);
	return 0;
}

/* match: the route for method + path, with *mismatch set as router_match does. */
static const struct route *match(struct router_fixture *f, const char *method, const char *path,
				 int *mismatch)
{
	f->req.method = method;
	f->req.path = path;
	memset(f->req.params, 0, sizeof(f->req.params));
	*mismatch = -1;
	return router_match(f->router, &f->req, mismatch);
}

static void router_matches_and_captures(void **state)
{
	struct router_fixture *f = *state;
	const struct route *rt;
	int mismatch;

	assert_int_equal(router_count(f->router), 11);
	assert_string_equal(router_at(f->router, 4)->pattern, "/api/v1/households/new");
	assert_int_equal(router_at(f->router, 4)->index, 4);
	assert_null(router_at(f->router, 11));

	rt = match(f, "GET", "/", &mismatch);
	assert_non_null(rt);
	assert_int_equal(rt->index, 0);

	rt = match(f, "GET", "/api/v1/households/42", &mismatch);
	assert_non_null(rt);
	assert_int_equal(rt->index, 3);
	assert_int_equal(mismatch, 0);
	assert_string_equal(f->req.params[0], "42");
	assert_null(f->req.params[1]);

	/* A literal beats a capture, though the capture came first: "new" is
	 * not an :id. */
	rt = match(f, "GET", "/api/v1/households/new", &mismatch);
	assert_int_equal(rt->index, 4);
	assert_int_equal(mismatch, 0);
	assert_null(f->req.params[0]);
	/* The same pattern twice: the first added keeps it. */
	rt = match(f, "GET", "/api/v1/households", &mismatch);
	assert_int_equal(rt->index, 1);
	/* The leftmost difference decides: "residents" (literal, third
	 * segment) beats ":kind", and "all" (literal, second) beats ":area"
	 * though its last segment captures. */
	rt = match(f, "GET", "/areas/PS01/residents/99/tags", &mismatch);
	assert_int_equal(rt->index, 6);
	rt = match(f, "GET", "/areas/PS01/units/99/tags", &mismatch);
	assert_int_equal(rt->index, 8);
	assert_string_equal(f->req.params[1], "units");
	rt = match(f, "GET", "/areas/all/residents/99/tags", &mismatch);
	assert_int_equal(rt->index, 9);
	assert_string_equal(f->req.params[0], "99");
	assert_string_equal(f->req.params[1], "tags");

	rt = match(f, "PUT", "/api/v1/households/7", &mismatch);
	assert_int_equal(rt->index, 5);
	assert_string_equal(f->req.params[0], "7");

	rt = match(f, "GET", "/areas/PS01/residents/99/tags", &mismatch);
	assert_non_null(rt);
	assert_int_equal(rt->index, 6);
	assert_string_equal(f->req.params[0], "PS01");
	assert_string_equal(f->req.params[1], "99");
	assert_null(f->req.params[2]);

	/* Captures are percent-decoded elsewhere; the router copies bytes. */
	rt = match(f, "GET", "/api/v1/households/%E4%B8%AD", &mismatch);
	assert_string_equal(f->req.params[0], "%E4%B8%AD");
}

static void router_404_and_405(void **state)
{
	struct router_fixture *f = *state;
	int mismatch;

	assert_null(match(f, "GET", "/nope", &mismatch));
	assert_int_equal(mismatch, 0);
	assert_null(match(f, "GET", "/api/v1/households/", &mismatch)); /* empty :id */
	assert_int_equal(mismatch, 0);
	assert_null(match(f, "GET", "/api/v1/households/1/2", &mismatch));
	assert_int_equal(mismatch, 0);
	assert_null(match(f, "GET", "/api/v1/household", &mismatch)); /* prefix only */
	assert_int_equal(mismatch, 0);
	assert_null(match(f, "GET", "/api/v1/households//", &mismatch));
	assert_int_equal(mismatch, 0);
	assert_null(match(f, "GET", "/areas/x/residents//tags", &mismatch));
	assert_int_equal(mismatch, 0);

	/* The path exists under another method: 405, not 404. */
	assert_null(match(f, "DELETE", "/api/v1/households/42", &mismatch));
	assert_int_equal(mismatch, 1);
	assert_null(match(f, "GET", "/login", &mismatch));
	assert_int_equal(mismatch, 1);
	assert_null(match(f, "PATCH", "/api/v1/households", &mismatch));
	assert_int_equal(mismatch, 1);
}

static void router_head_is_get(void **state)
{
	struct router_fixture *f = *state;
	const struct route *rt;
	int mismatch;

	rt = match(f, "HEAD", "/api/v1/households/5", &mismatch);
	assert_non_null(rt);
	assert_string_equal(rt->method, "GET");
	assert_string_equal(f->req.params[0], "5");
	assert_null(match(f, "HEAD", "/login", &mismatch));
	assert_int_equal(mismatch, 1);
}

/* -------------------------------------------------------------- form */

/* form_value: the value of the named field, NULL if absent. */
static const char *form_value(struct form_field *fields, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(fields[i].name, name))
			return fields[i].value;
	return NULL;
}

static int parse(struct arena *a, const char *body, struct form_field **fields, int *n)
{
	return form_parse(a, body, strlen(body), fields, n);
}

static void form_decodes_fields(void **state)
{
	static const char body[] = "name=%E5%BC%A0%E4%B8%89&note=hello+world%21&empty=&flag"
				   "&%41%42=%2B%26%3D&amp=a%25b";
	struct arena a;
	struct form_field *fields;
	int n;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(&a, body, &fields, &n), 0);
	assert_int_equal(n, 6);
	assert_string_equal(fields[0].name, "name");
	assert_string_equal(fields[0].value, "张三");
	assert_string_equal(form_value(fields, n, "note"), "hello world!");
	assert_string_equal(form_value(fields, n, "empty"), "");
	assert_string_equal(form_value(fields, n, "flag"), "");
	assert_string_equal(form_value(fields, n, "AB"), "+&=");
	assert_string_equal(form_value(fields, n, "amp"), "a%b");

	/* Empty pairs are skipped; an empty body has no fields. */
	assert_int_equal(parse(&a, "&&a=1&&", &fields, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(fields[0].value, "1");
	assert_int_equal(parse(&a, "", &fields, &n), 0);
	assert_int_equal(n, 0);
	/* Only the first '=' separates. */
	assert_int_equal(parse(&a, "q=a=b", &fields, &n), 0);
	assert_string_equal(fields[0].value, "a=b");
	/* Only len bytes are read. */
	assert_int_equal(form_parse(&a, "a=1&b=2", 3, &fields, &n), 0);
	assert_int_equal(n, 1);
	arena_release(&a);
}

static void form_rejects_bad_input(void **state)
{
	static const char *bad[] = {
	    "x=%zz",	   "x=%4",     "x=%",	"x=%g0",    "%zz=1",	  "x=%ff", "x=%C0%80",
	    "x=%ED%A0%80", "x=%E4%B8", "x=%00", "x=%0A%1B", "ok=1&x=%7F", NULL,
	};
	struct arena a;
	struct form_field *fields;
	struct buf many;
	int n;

	(void)state;
	arena_init(&a, 0);
	for (int i = 0; bad[i]; i++) {
		if (parse(&a, bad[i], &fields, &n) != LIN_EINVAL)
			fail_msg("form_parse accepted \"%s\"", bad[i]);
		assert_int_equal(n, 0);
		assert_null(fields);
	}
	/* Invalid UTF-8 sent raw, not escaped. */
	assert_int_equal(parse(&a, "x=\xff\xfe", &fields, &n), LIN_EINVAL);
	/* Tab and newline are text, other controls are not. */
	assert_int_equal(parse(&a, "x=a%09b%0Ac", &fields, &n), 0);
	assert_string_equal(fields[0].value, "a\tb\nc");

	/* Too many fields. */
	buf_init(&many, 0);
	for (int i = 0; i < FORM_MAX_FIELDS; i++)
		buf_addf(&many, "%sf%d=1", i ? "&" : "", i);
	assert_int_equal(parse(&a, many.buf, &fields, &n), 0);
	assert_int_equal(n, FORM_MAX_FIELDS);
	buf_adds(&many, "&one=more");
	assert_int_equal(parse(&a, many.buf, &fields, &n), LIN_EINVAL);
	buf_release(&many);
	arena_release(&a);
}

static void url_decode_in_place(void **state)
{
	char s1[] = "a+b%20c";
	char s2[] = "%4";
	char s3[] = "100%";
	char s4[] = "%e4%B8%ad";

	(void)state;
	assert_int_equal(url_decode(s1, strlen(s1)), 5);
	assert_string_equal(s1, "a b c");
	assert_int_equal(url_decode(s2, strlen(s2)), -1);
	assert_int_equal(url_decode(s3, strlen(s3)), -1);
	assert_int_equal(url_decode(s4, strlen(s4)), 3);
	assert_string_equal(s4, "中");
	/* Only len bytes are read: an escape cut short by len is an error
	 * even when the bytes after len would complete it. */
	char s5[] = "%41%42", s6[] = "%41%42", s7[] = "%41%42";
	assert_int_equal(url_decode(s5, 2), -1);
	assert_int_equal(url_decode(s6, 5), -1);
	assert_int_equal(url_decode(s7, 3), 1);
	assert_string_equal(s7, "A");
}

/* -------------------------------------------------------------- html */

static void html_escapes_by_default(void **state)
{
	struct buf out;
	struct html h;

	(void)state;
	buf_init(&out, 0);
	h.out = &out;
	h.lang = "en";

	html_printf(&h, "<p title=\"%s\">%s</p>", "a\"b'c", "<script>alert('x')</script> & more");
	assert_string_equal(out.buf, "<p title=\"a&quot;b&#39;c\">&lt;script&gt;alert(&#39;x&#39;)"
				     "&lt;/script&gt; &amp; more</p>");
	buf_reset(&out);

	html_printf(&h, "%R|%s", "<b>trusted</b>", "<b>not</b>");
	assert_string_equal(out.buf, "<b>trusted</b>|&lt;b&gt;not&lt;/b&gt;");
	buf_reset(&out);

	html_printf(&h, "<a href=\"/search?q=%U&amp;page=%d\">", "张 a&b=c/d?e#f~_.-", 2);
	assert_string_equal(out.buf,
			    "<a href=\"/search?q=%E5%BC%A0%20a%26b%3Dc%2Fd%3Fe%23f~_.-&amp;"
			    "page=2\">");
	buf_reset(&out);

	html_printf(&h, "%l %d%% %q %", (int64_t)9007199254740993LL, -3);
	assert_string_equal(out.buf, "9007199254740993 -3% %q %");
	buf_reset(&out);

	/* NULL text writes nothing; Chinese passes through. */
	html_printf(&h, "[%s][%R][%U][%s]", (const char *)NULL, (const char *)NULL,
		    (const char *)NULL, "社区");
	assert_string_equal(out.buf, "[][][][社区]");
	buf_reset(&out);

	html_escape(&out, "&amp;");
	assert_string_equal(out.buf, "&amp;amp;");
	buf_release(&out);
}

static void html_translates_keys(void **state)
{
	struct buf out;
	struct html h;

	(void)state;
	buf_init(&out, 0);
	h.out = &out;
	h.lang = "en";
	html_printf(&h, "<h1>%T</h1>", "app.name");
	assert_string_equal(out.buf, "<h1>Linli</h1>");
	buf_reset(&out);
	/* A missing key shows itself, still escaped. */
	html_printf(&h, "%T", "no.such<key>");
	assert_string_equal(out.buf, "no.such&lt;key&gt;");
	buf_release(&out);
}

/* -------------------------------------------------------------- i18n */

static void i18n_catalogues_have_the_same_keys(void **state)
{
	static const char *langs[][2] = {{"zh-CN", "en"}, {"en", "zh-CN"}};
	int missing = 0;

	(void)state;
	assert_true(i18n_count("zh-CN") > 0);
	assert_int_equal(i18n_count("zh-CN"), i18n_count("en"));
	for (int l = 0; l < 2; l++) {
		int n = i18n_count(langs[l][0]);
		for (int i = 0; i < n; i++) {
			const char *key = i18n_key_at(langs[l][0], i);
			assert_non_null(key);
			assert_true(i18n_has(langs[l][0], key));
			if (!i18n_has(langs[l][1], key)) {
				print_message("# %s has \"%s\" but %s does not\n", langs[l][0], key,
					      langs[l][1]);
				missing++;
			}
		}
	}
	assert_int_equal(missing, 0);
	assert_null(i18n_key_at("en", -1));
	assert_null(i18n_key_at("en", i18n_count("en")));
}

static void i18n_language_choice(void **state)
{
	(void)state;
	assert_string_equal(i18n_lang("en"), "en");
	assert_string_equal(i18n_lang("en-US"), "en");
	assert_string_equal(i18n_lang("zh-CN"), "zh-CN");
	assert_string_equal(i18n_lang("zh"), "zh-CN");
	assert_string_equal(i18n_lang("eng"), "zh-CN");
	assert_string_equal(i18n_lang(""), "zh-CN");
	assert_string_equal(i18n_lang(NULL), "zh-CN");
	/* Accept-Language weights: the better one wins, Chinese on a tie. */
	assert_string_equal(i18n_lang("en-US,en;q=0.9,zh;q=0.8"), "en");
	assert_string_equal(i18n_lang("zh;q=0.801, EN-gb ;q=0.8"), "zh-CN");
	assert_string_equal(i18n_lang("zh;q=0.799,en;q=0.8"), "en");
	assert_string_equal(i18n_lang("en;q=0.8,zh;q=0.800"), "zh-CN");
	assert_string_equal(i18n_lang("de, en;q=0.001"), "en");
	assert_string_equal(i18n_lang("en;q=0"), "zh-CN");
	assert_string_equal(i18n_lang("en;q=0.000,de"), "zh-CN");
	/* Not a qvalue, so not named: over 1, four decimals, junk, empty. */
	assert_string_equal(i18n_lang("en;q=1.001"), "zh-CN");
	assert_string_equal(i18n_lang("en;q=1.000"), "en");
	assert_string_equal(i18n_lang("en;q=0.0001"), "zh-CN");
	assert_string_equal(i18n_lang("en;q=1.0000"), "zh-CN");
	assert_string_equal(i18n_lang("en;q=0.9x"), "zh-CN");
	assert_string_equal(i18n_lang("en;q="), "zh-CN");
	assert_string_equal(i18n_lang("en;q=inf"), "zh-CN");
	assert_string_equal(i18n_lang("en;Q=0.5 ; level=1"), "en");
	/* A range names a language only in full: "zhx" is not Chinese. */
	assert_string_equal(i18n_lang("zhx,en;q=0.1"), "en");
	assert_string_equal(i18n_t("en", "app.name"), "Linli");
	assert_string_equal(i18n_t("en", "no.such.key"), "no.such.key");
	assert_false(i18n_has("zh-CN", "no.such.key"));
}

/* -------------------------------------------------------------- auth */

static int auth_setup(void **state)
{
	(void)state;
	return auth_init() ? -1 : 0;
}

static void auth_password_round_trip(void **state)
{
	char hash[256], hash2[256], tiny[16];

	(void)state;
	assert_int_equal(auth_hash_password("correct horse 电池", hash, sizeof(hash)), 0);
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_true(auth_verify_password(hash, "correct horse 电池"));
	assert_false(auth_verify_password(hash, "correct horse 电"));
	assert_false(auth_verify_password(hash, ""));
	assert_false(auth_verify_password("not a hash", "x"));
	/* Salted: the same password never hashes alike. */
	assert_int_equal(auth_hash_password("correct horse 电池", hash2, sizeof(hash2)), 0);
	assert_string_not_equal(hash, hash2);
	assert_true(auth_verify_password(hash2, "correct horse 电池"));
	assert_int_equal(auth_hash_password("x", tiny, sizeof(tiny)), LIN_EINVAL);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void auth_tokens_are_unique_and_url_safe(void **state)
{
	enum { N = 2000 };
	char **tokens = calloc(N, sizeof(*tokens));
	char small[16];

	(void)state;
	assert_non_null(tokens);
	for (int i = 0; i < N; i++) {
		tokens[i] = malloc(64);
		assert_non_null(tokens[i]);
		assert_int_equal(auth_new_token(tokens[i], 64), 0);
		assert_int_equal(strlen(tokens[i]), 43); /* 256 bits, base64 unpadded */
		assert_int_equal(strspn(tokens[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
						   "vwxyz0123456789-_"),
				 43);
	}
	qsort(tokens, N, sizeof(*tokens), compare_strings);
	for (int i = 1; i < N; i++)
		assert_string_not_equal(tokens[i - 1], tokens[i]);
	for (int i = 0; i < N; i++)
		free(tokens[i]);
	free(tokens);
	assert_int_equal(auth_new_token(small, sizeof(small)), LIN_EINVAL);
}

static void auth_token_hash_is_hex_blake2b(void **state)
{
	char a[65], b[65], c[65];

	(void)state;
	auth_token_hash("abc", a);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	/* BLAKE2b-256("abc"), as computed by Python's hashlib. */
	assert_string_equal(a, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
	auth_token_hash("abc", b);
	assert_string_equal(a, b);
	auth_token_hash("abd", c);
	assert_string_not_equal(a, c);
}

int main(void)
{
	const struct CMUnitTest perm_tests[] = {
	    cmocka_unit_test(perm_table_spot_checks),
	    cmocka_unit_test(perm_public_and_signed_in),
	    cmocka_unit_test(perm_table_matrix),
	    cmocka_unit_test(role_names_round_trip),
	};
	const struct CMUnitTest router_tests[] = {
	    cmocka_unit_test_setup_teardown(router_matches_and_captures, router_setup,
					    router_teardown),
	    cmocka_unit_test_setup_teardown(router_404_and_405, router_setup, router_teardown),
	    cmocka_unit_test_setup_teardown(router_head_is_get, router_setup, router_teardown),
	};
	const struct CMUnitTest text_tests[] = {
	    cmocka_unit_test(form_decodes_fields),
	    cmocka_unit_test(form_rejects_bad_input),
	    cmocka_unit_test(url_decode_in_place),
	    cmocka_unit_test(html_escapes_by_default),
	    cmocka_unit_test(html_translates_keys),
	    cmocka_unit_test(i18n_catalogues_have_the_same_keys),
	    cmocka_unit_test(i18n_language_choice),
	};
	const struct CMUnitTest auth_tests[] = {
	    cmocka_unit_test(auth_password_round_trip),
	    cmocka_unit_test(auth_tokens_are_unique_and_url_safe),
	    cmocka_unit_test(auth_token_hash_is_hex_blake2b),
	};
	int failed = 0;

	log_set_level(LOG_QUIET); /* missing-key warnings are expected here */
	failed += cmocka_run_group_tests_name("perm", perm_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("router", router_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("text", text_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("auth", auth_tests, auth_setup, NULL);
	return failed;
}
