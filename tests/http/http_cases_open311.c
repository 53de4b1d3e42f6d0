/* HTTP tests of Open311 GeoReport v2 against the real server with the demo
 * area: every endpoint in JSON and XML, every error an outside client can
 * meet (400, 403, 404 in the specification's error format and both
 * languages), filing requests with single and multiple attribute values,
 * the status, date, id and service filters, paging, and the two privacy
 * rules: private categories never appear and reporters' details never
 * leave. */
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
#include <unistd.h>
#include <cmocka.h>

#define V2 "/open311/v2"

static char api_key[128];

/* A category with a multivaluelist, a number and a datetime question; the
 * standard ones have single-value lists and text only. */
static const char lights_sql[] =
    "INSERT INTO case_categories (area_id, code, name_zh, name_en, description, private,"
    " resolve_days, questions, sort_order) VALUES ((SELECT id FROM areas WHERE code = 'pushan'),"
    " 'lights', '路灯故障', 'Street lights', '小区路灯不亮或闪烁', 0, 5,"
    " '[{\"code\":\"kind\",\"datatype\":\"multivaluelist\",\"required\":true,"
    "\"description_zh\":\"哪些问题\",\"description_en\":\"What is wrong\",\"values\":["
    "{\"key\":\"dark\",\"name_zh\":\"不亮\",\"name_en\":\"Dark\"},"
    "{\"key\":\"flicker\",\"name_zh\":\"闪烁\",\"name_en\":\"Flickering\"},"
    "{\"key\":\"pole\",\"name_zh\":\"灯杆损坏\",\"name_en\":\"Damaged pole\"}]},"
    "{\"code\":\"count\",\"datatype\":\"number\",\"required\":false,"
    "\"description_zh\":\"几盏\",\"description_en\":\"How many\"},"
    "{\"code\":\"since\",\"datatype\":\"datetime\",\"required\":false,"
    "\"description_zh\":\"从何时起\",\"description_en\":\"Since when\"}]', 20);"
    " UPDATE data_version SET v = v + 1 WHERE id = 1;";

/* ---- helpers ---- */

static int setup(void **state)
{
	char *out = NULL;
	int rc;

	(void)state;
	if (server_start(&srv))
		return -1;
	rc = run_cli(&srv, NULL, &out, "token", "add", "open311-client", "--role", "staff", NULL);
	if (rc || !out) {
		free(out);
		return -1;
	}
	snprintf(api_key, sizeof(api_key), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
	sql_exec(lights_sql);
	return 0;
}

/* get: GET path as an anonymous client in lang (NULL: no Accept-Language). */
static void get(const char *path, const char *lang, struct response *r)
{
	struct client c;

	client_init(&c);
	c.lang = lang;
	assert_int_equal(request(&c, &srv, "GET", path, NULL, NULL, NULL, r), 0);
	client_release(&c);
}

/* post: a form-encoded POST as an anonymous client in lang. */
static void post(const char *path, const char *body, const char *lang, struct response *r)
{
	struct client c;

	client_init(&c);
	c.lang = lang;
	assert_int_equal(
	    request(&c, &srv, "POST", path, body, "application/x-www-form-urlencoded", NULL, r), 0);
	client_release(&c);
}

/* parse: the body as JSON (asserted), with the JSON content type. */
static json_t *parse(const struct response *r)
{
	char type[128];
	json_t *v = json_loads(r->body, 0, NULL);

	if (!v)
		fprintf(stderr, "# not JSON: %s\n", r->body);
	assert_non_null(v);
	assert_non_null(header_value(r, "Content-Type", type, sizeof(type)));
	assert_string_equal(type, "application/json; charset=utf-8");
	return v;
}

static const char *str(json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	if (!s)
		fprintf(stderr, "# no string %s\n", key);
	assert_non_null(s);
	return s;
}

/* xml_well_formed checks what our XML may hold: the declaration, one root
 * element, nested elements closed in order, text with only the five
 * entities and &#13;, no attributes. */
static int xml_well_formed(const char *s)
{
	static const char decl[] = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
	static const char *const entities[] = {"&amp;",	 "&lt;",   "&gt;",
					       "&quot;", "&apos;", "&#13;"};
	const char *open[32];
	size_t openlen[32];
	int depth = 0, roots = 0;

	if (strncmp(s, decl, sizeof(decl) - 1))
		return 0;
	for (s += sizeof(decl) - 1; *s;) {
		if (*s == '<') {
			const char *name = s + 1 + (s[1] == '/'), *end = strchr(s, '>');
			size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz_");
			if (!end || !n || name + n != end)
				return 0;
			if (s[1] == '/') {
				if (!depth || openlen[depth - 1] != n ||
				    strncmp(open[depth - 1], name, n))
					return 0;
				depth--;
			} else {
				if ((!depth && roots++) || depth == 32)
					return 0;
				open[depth] = name;
				openlen[depth++] = n;
			}
			s = end + 1;
		} else if (*s == '&') {
			size_t k = 0;
			while (k < 6 && strncmp(s, entities[k], strlen(entities[k])))
				k++;
			if (k == 6)
				return 0;
			s += strlen(entities[k]);
		} else if (*s == '>' || (!depth && *s != '\n')) {
			return 0;
		} else if (((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n') ||
			   !strncmp(s, "\xef\xbf\xbe", 3) || !strncmp(s, "\xef\xbf\xbf", 3)) {
			return 0; /* XML 1.0 cannot carry it */
		} else {
			s++;
		}
	}
	return !depth && roots == 1;
}

/* xml: asserts the XML content type and well-formedness. */
static void xml(const struct response *r)
{
	char type[128];

	assert_non_null(header_value(r, "Content-Type", type, sizeof(type)));
	assert_string_equal(type, "text/xml; charset=utf-8");
	if (!xml_well_formed(r->body))
		fprintf(stderr, "# not well-formed: %s\n", r->body);
	assert_true(xml_well_formed(r->body));
}

/* error_is: the answer is the specification's error list with one entry
 * of this code whose description contains text. */
static void error_is(const struct response *r, long status, const char *text)
{
	json_t *v;

	if (r->status != status)
		fprintf(stderr, "# expected %ld, got %ld: %s\n", status, r->status, r->body);
	assert_int_equal(r->status, status);
	v = parse(r);
	assert_true(json_is_array(v));
	assert_int_equal(json_array_size(v), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v, 0), "code")), status);
	if (!strstr(str(json_array_get(v, 0), "description"), text))
		fprintf(stderr, "# description lacks \"%s\": %s\n", text, r->body);
	assert_non_null(strstr(str(json_array_get(v, 0), "description"), text));
	json_decref(v);
}

/* file_request: POST a request (body after the api_key); returns its id
 * and the tracking code from the notice. */
static long long file_request(const char *fields, char *code, size_t n)
{
	struct response r;
	char *body = NULL;
	json_t *v;
	const char *notice, *p;
	long long id;

	assert_true(asprintf(&body, "api_key=%s&%s", api_key, fields) > 0);
	post(V2 "/requests.json", body, NULL, &r);
	free(body);
	if (r.status != 201)
		fprintf(stderr, "# POST requests: %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	v = parse(&r);
	assert_int_equal(json_array_size(v), 1);
	/* Ids are strings; the notice carries the tracking code. */
	id = strtoll(str(json_array_get(v, 0), "service_request_id"), NULL, 10);
	assert_true(id > 0);
	assert_true(json_is_null(json_object_get(json_array_get(v, 0), "account_id")));
	notice = str(json_array_get(v, 0), "service_notice");
	p = strstr(notice, "查询码 ");
	assert_non_null(p);
	if (code)
		snprintf(code, n, "%.10s", p + strlen("查询码 "));
	json_decref(v);
	response_release(&r);
	return id;
}

/* get_request: GET requests/{id}.json, asserted to hold exactly that one. */
static json_t *get_request(long long id, const char *lang)
{
	struct response r;
	char path[128], want[32];
	json_t *v, *one;

	snprintf(path, sizeof(path), V2 "/requests/%lld.json", id);
	get(path, lang, &r);
	assert_int_equal(r.status, 200);
	v = parse(&r);
	response_release(&r);
	assert_int_equal(json_array_size(v), 1);
	snprintf(want, sizeof(want), "%lld", id);
	assert_string_equal(str(json_array_get(v, 0), "service_request_id"), want);
	one = json_incref(json_array_get(v, 0));
	json_decref(v);
	return one;
}

/* ids_in: the service_request_ids of a JSON list answer, as "1,5,7". */
static void ids_in(const char *path, char *out, size_t n)
{
	struct response r;
	size_t i, used = 0;
	json_t *v, *e;

	get(path, NULL, &r);
	if (r.status != 200)
		fprintf(stderr, "# %s: %ld %s\n", path, r.status, r.body);
	assert_int_equal(r.status, 200);
	v = parse(&r);
	out[0] = '\0';
	json_array_foreach (v, i, e) {
		used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "",
					 str(e, "service_request_id"));
		assert_true(used < n);
	}
	json_decref(v);
	response_release(&r);
}

/* has_id: id is an element of the comma list. */
static int has_id(const char *list, long long id)
{
	char want[32];
	size_t n = (size_t)snprintf(want, sizeof(want), "%lld", id);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, want, n))
			return 1;
		p += len + (p[len] == ',');
	}
	return 0;
}

/* encode: s percent-encoded for a query string (a static buffer). */
static const char *encode(const char *s)
{
	static char out[512];
	size_t n = 0;

	for (; *s && n + 4 < sizeof(out); s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '.' || ch == '_' || ch == ':')
			out[n++] = (char)ch;
		else
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%%%02X", ch);
	}
	out[n] = '\0';
	return out;
}

static void login_staff(struct client *c)
{
	client_init(c);
	assert_int_equal(client_login(c, &srv, "staff", "pushan-staff"), 200);
}

/* ---- the tests ---- */

static void test_discovery(void **state)
{
	struct response r;
	json_t *v, *ep;

	(void)state;
	get(V2 "/discovery.json", NULL, &r);
	assert_int_equal(r.status, 200);
	v = parse(&r);
	assert_non_null(json_object_get(v, "changeset"));
	assert_non_null(json_object_get(v, "contact"));
	assert_non_null(json_object_get(v, "key_service"));
	ep = json_array_get(json_object_get(v, "endpoints"), 0);
	assert_string_equal(str(ep, "specification"), "http://wiki.open311.org/GeoReport_v2");
	assert_string_equal(str(ep, "type"), "production");
	assert_non_null(strstr(str(ep, "url"), "/open311/v2"));
	assert_string_equal(json_string_value(json_array_get(json_object_get(ep, "formats"), 0)),
			    "application/json");
	assert_string_equal(json_string_value(json_array_get(json_object_get(ep, "formats"), 1)),
			    "text/xml");
	json_decref(v);
	response_release(&r);

	get(V2 "/discovery.xml", "en", &r);
	assert_int_equal(r.status, 200);
	xml(&r);
	assert_non_null(strstr(r.body, "<discovery><changeset>"));
	assert_non_null(strstr(r.body, "<endpoints><endpoint><specification>"
				       "http://wiki.open311.org/GeoReport_v2</specification>"));
	assert_non_null(
	    strstr(r.body, "<formats><format>application/json</format><format>text/xml</format>"));
	/* Text is escaped: the apostrophe of "residents' committee". */
	assert_non_null(strstr(r.body, "residents&apos; committee"));
	assert_null(strchr(r.body, '\''));
	response_release(&r);
}

static void test_services(void **state)
{
	struct response r;
	json_t *v, *s;
	size_t i;
	int noise = 0, lights = 0;

	(void)state;
	get(V2 "/services.json", NULL, &r);
	assert_int_equal(r.status, 200);
	v = parse(&r);
	assert_true(json_array_size(v) >= 7);
	json_array_foreach (v, i, s) {
		/* The private category never appears, by code or by name. */
		assert_string_not_equal(str(s, "service_code"), "dispute");
		assert_string_equal(str(s, "type"), "realtime");
		if (!strcmp(str(s, "service_code"), "noise")) {
			noise = 1;
			assert_string_equal(str(s, "service_name"), "噪声扰民");
			assert_true(json_is_true(json_object_get(s, "metadata")));
		}
		if (!strcmp(str(s, "service_code"), "lights"))
			lights = 1;
		if (!strcmp(str(s, "service_code"), "shop"))
			assert_true(json_is_false(json_object_get(s, "metadata")));
	}
	assert_true(noise && lights);
	assert_null(strstr(r.body, "邻里纠纷"));
	json_decref(v);
	response_release(&r);

	/* English names for English readers; XML with the spec's elements. */
	get(V2 "/services.xml?jurisdiction_id=pushan", "en-US,en;q=0.9", &r);
	assert_int_equal(r.status, 200);
	xml(&r);
	assert_non_null(strstr(r.body, "<services><service><service_code>noise</service_code>"
				       "<service_name>Noise</service_name>"));
	assert_non_null(strstr(r.body, "<metadata>true</metadata><type>realtime</type>"));
	assert_null(strstr(r.body, "dispute"));
	assert_null(strstr(r.body, "Neighbour dispute"));
	response_release(&r);

	/* An unknown jurisdiction, in both formats and both languages. */
	get(V2 "/services.json?jurisdiction_id=nowhere", NULL, &r);
	error_is(&r, 404, "没有这个居民区");
	response_release(&r);
	get(V2 "/services.xml?jurisdiction_id=nowhere", "en", &r);
	assert_int_equal(r.status, 404);
	xml(&r);
	assert_non_null(strstr(r.body, "<errors><error><code>404</code><description>No such "
				       "jurisdiction_id</description></error></errors>"));
	response_release(&r);
}

static void test_service_definition(void **state)
{
	struct response r;
	json_t *v, *a;

	(void)state;
	get(V2 "/services/noise.json", NULL, &r);
	assert_int_equal(r.status, 200);
	v = parse(&r);
	assert_string_equal(str(v, "service_code"), "noise");
	a = json_array_get(json_object_get(v, "attributes"), 0);
	assert_true(json_is_true(json_object_get(a, "variable")));
	assert_string_equal(str(a, "code"), "source");
	assert_string_equal(str(a, "datatype"), "singlevaluelist");
	assert_true(json_is_true(json_object_get(a, "required")));
	assert_int_equal(json_integer_value(json_object_get(a, "order")), 1);
	assert_string_equal(str(a, "description"), "声源");
	assert_string_equal(str(json_array_get(json_object_get(a, "values"), 0), "key"),
			    "square_dance");
	assert_string_equal(str(json_array_get(json_object_get(a, "values"), 0), "name"), "广场舞");
	/* A text question has no values. */
	a = json_array_get(json_object_get(v, "attributes"), 2);
	assert_string_equal(str(a, "datatype"), "string");
	assert_null(json_object_get(a, "values"));
	json_decref(v);
	response_release(&r);

	get(V2 "/services/lights.xml", "en", &r);
	assert_int_equal(r.status, 200);
	xml(&r);
	assert_non_null(strstr(r.body, "<service_definition><service_code>lights</service_code>"
				       "<attributes><attribute><variable>true</variable>"
				       "<code>kind</code><datatype>multivaluelist</datatype>"
				       "<required>true</required>"));
	assert_non_null(strstr(r.body, "<values><value><key>dark</key><name>Dark</name></value>"));
	assert_non_null(strstr(r.body, "<datatype>number</datatype>"));
	assert_non_null(strstr(r.body, "<order>3</order>"));
	response_release(&r);

	/* Private, unknown, and unknown format: 404. */
	get(V2 "/services/dispute.json", NULL, &r);
	error_is(&r, 404, "没有这个服务类别");
	response_release(&r);
	get(V2 "/services/dispute.xml", NULL, &r);
	assert_int_equal(r.status, 404);
	xml(&r);
	response_release(&r);
	get(V2 "/services/potholes.json", "en", &r);
	error_is(&r, 404, "No such service_code");
	response_release(&r);
	get(V2 "/services/noise.yaml", NULL, &r);
	error_is(&r, 404, "格式");
	response_release(&r);
	get(V2 "/services/noise", NULL, &r);
	error_is(&r, 404, "格式");
	response_release(&r);
}

static void test_post_errors(void **state)
{
	static const struct {
		const char *body; /* after api_key=KEY& (or the whole body when no key) */
		int with_key;	  /* prefix a valid api_key */
		long status;
		const char *zh, *en; /* in the description */
	} cases[] = {
	    {"service_code=noise&lat=31.2&long=121.4&description=x&attribute[source]=shop", 0, 403,
	     "api_key", "api_key is missing"},
	    {"api_key=not-a-key&service_code=noise&lat=31.2&long=121.4&description=x", 0, 403,
	     "api_key", "not valid"},
	    {"lat=31.2&long=121.4&description=x", 1, 400, "缺少 service_code",
	     "service_code is required"},
	    {"service_code=potholes&lat=31.2&long=121.4&description=x", 1, 400, "服务类别",
	     "No such service_code"},
	    {"service_code=dispute&lat=31.2&long=121.4&description=x", 1, 400, "服务类别",
	     "No such service_code"},
	    {"service_code=noise&description=x&attribute[source]=shop", 1, 400, "位置",
	     "location is required"},
	    {"service_code=noise&lat=31.2&description=x&attribute[source]=shop", 1, 400, "lat",
	     "lat and long go together"},
	    {"service_code=noise&lat=91&long=121.4&description=x&attribute[source]=shop", 1, 400,
	     "lat", "decimal degrees"},
	    {"service_code=noise&lat=31.2&long=east&description=x&attribute[source]=shop", 1, 400,
	     "lat", "decimal degrees"},
	    {"service_code=noise&address_id=abc&description=x&attribute[source]=shop", 1, 400,
	     "address_id", "not a household"},
	    {"service_code=noise&address_id=999999&description=x&attribute[source]=shop", 1, 400,
	     "address_id", "not a household"},
	    /* No description and nothing answered (shops ask no questions). */
	    {"service_code=shop&lat=31.2&long=121.4", 1, 400, "缺少 description",
	     "description is required"},
	    {"service_code=shop&lat=31.2&long=121.4&description=%20%20", 1, 400, "缺少 description",
	     "description is required"},
	    {"service_code=noise&lat=31.2&long=121.4&description=x", 1, 400, "attribute[source]",
	     "attribute[source] is required"},
	    {"service_code=noise&lat=31.2&long=121.4&description=x&attribute[source]=drums", 1, 400,
	     "attribute[source]", "attribute[source] is not one of"},
	    {"service_code=noise&lat=31.2&long=121.4&description=x&attribute[source]=shop"
	     "&attribute[source]=other",
	     1, 400, "attribute[source]", "attribute[source] takes one value"},
	    {"service_code=noise&lat=31.2&long=121.4&description=x&attribute[source=shop", 1, 400,
	     "attribute[source", "Malformed attribute[source"},
	    {"service_code=lights&lat=31.2&long=121.4&description=x&attribute[kind][]=dark"
	     "&attribute[kind][]=sparks",
	     1, 400, "attribute[kind]", "attribute[kind] is not one of"},
	    {"service_code=lights&lat=31.2&long=121.4&description=x&attribute[kind][]=dark"
	     "&attribute[count]=three",
	     1, 400, "attribute[count]", "attribute[count] is not one of"},
	    {"service_code=lights&lat=31.2&long=121.4&description=x&attribute[kind][]=dark"
	     "&attribute[since]=yesterday",
	     1, 400, "attribute[since]", "attribute[since]"},
	    {"service_code=noise&lat=31.2&long=121.4&description=x&attribute[source]=shop"
	     "&media_url=javascript:alert(1)",
	     1, 400, "media_url", "media_url must be"},
	    {"service_code=noise&lat=31.2&long=121.4&description=x&attribute[source]=shop"
	     "&phone=12345678901234567890123",
	     1, 400, "phone", "phone"},
	    {"jurisdiction_id=nowhere&service_code=noise&lat=31.2&long=121.4&description=x"
	     "&attribute[source]=shop",
	     1, 404, "jurisdiction_id", "No such jurisdiction_id"},
	};
	struct response r;
	char *body;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (int en = 0; en < 2; en++) {
			if (cases[i].with_key)
				assert_true(
				    asprintf(&body, "api_key=%s&%s", api_key, cases[i].body) > 0);
			else
				body = strdup(cases[i].body);
			post(V2 "/requests.json", body, en ? "en" : NULL, &r);
			free(body);
			error_is(&r, cases[i].status, en ? cases[i].en : cases[i].zh);
			response_release(&r);
		}
	}
	/* A description over 4,000 characters. */
	body = malloc(5000);
	assert_non_null(body);
	snprintf(body, 5000,
		 "api_key=%s&service_code=shop&lat=31.2&long=121.4&description=", api_key);
	for (size_t n = strlen(body), k = 0; k < 4001; k++)
		body[n + k] = 'x', body[n + k + 1] = '\0';
	post(V2 "/requests.json", body, "en", &r);
	free(body);
	error_is(&r, 400, "description is too long");
	response_release(&r);
	/* The XML error format. */
	post(V2 "/requests.xml", "service_code=noise", NULL, &r);
	assert_int_equal(r.status, 403);
	xml(&r);
	assert_non_null(strstr(r.body, "<errors><error><code>403</code><description>"));
	response_release(&r);
	/* A body the form reader refuses (a non-character XML cannot carry, bad
	 * percent-encoding, a control character) or one over the size limit is
	 * answered as the specification's error list, in the format asked for,
	 * and files nothing. */
	{
		static const char *const bad[] = {"description=%EF%BF%BE", "description=%EF%BF%BF",
						  "description=%zz", "description=a%01b"};
		char before[32], after[32];
		sql_query(before, sizeof(before), "SELECT count(*) FROM cases");
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			assert_true(asprintf(&body,
					     "api_key=%s&service_code=shop&lat=31.2&long=121.4&%s",
					     api_key, bad[i]) > 0);
			post(V2 "/requests.json", body, "en", &r);
			error_is(&r, 400, "could not be read");
			response_release(&r);
			post(V2 "/requests.xml", body, NULL, &r);
			free(body);
			assert_int_equal(r.status, 400);
			xml(&r);
			assert_non_null(strstr(r.body,
					       "<errors><error><code>400</code><description>"
					       "表单数据无法解析"));
			response_release(&r);
		}
		/* Over upload_max (30 MiB): the POST takes media. */
		body = malloc((30 << 20) + 100);
		assert_non_null(body);
		memset(body, 'x', (30 << 20) + 99);
		memcpy(body, "description=", 12);
		body[(30 << 20) + 99] = '\0';
		post(V2 "/requests.xml", body, "en", &r);
		free(body);
		assert_int_equal(r.status, 413);
		xml(&r);
		assert_non_null(strstr(r.body, "<errors><error><code>413</code><description>"));
		response_release(&r);
		get(V2 "/nothing-here.json", "en", &r);
		error_is(&r, 404, "No such page");
		response_release(&r);
		sql_query(after, sizeof(after), "SELECT count(*) FROM cases");
		assert_string_equal(after, before);
	}
	/* An unknown format, even with a good key. */
	assert_true(asprintf(&body,
			     "api_key=%s&service_code=shop&lat=31.2&long=121.4"
			     "&description=x",
			     api_key) > 0);
	post(V2 "/requests.csv", body, NULL, &r);
	free(body);
	error_is(&r, 404, "格式");
	response_release(&r);
}

/* Keys: the api_key field, the query string or a Bearer header; a key
 * stops working once revoked. */
static void test_keys(void **state)
{
	static const char body[] = "service_code=shop&address_string=东门&description=油烟很大";
	const char *ct = "application/x-www-form-urlencoded";
	struct client c;
	struct response r;
	char *out = NULL, *line = NULL, key[128], hdr[256], path[256];
	const char *p;
	long id;

	(void)state;
	client_init(&c);
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", api_key);
	assert_int_equal(request(&c, &srv, "POST", V2 "/requests.json", body, ct, hdr, &r), 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	snprintf(path, sizeof(path), V2 "/requests.json?api_key=%s", api_key);
	assert_int_equal(request(&c, &srv, "POST", path, body, ct, NULL, &r), 0);
	assert_int_equal(r.status, 201);
	response_release(&r);

	/* A resident's key may report too, until it is revoked. */
	assert_int_equal(
	    run_cli(&srv, NULL, &out, "token", "add", "resident-app", "--role", "resident", NULL),
	    0);
	snprintf(key, sizeof(key), "%.*s", (int)strcspn(out, "\n"), out);
	p = strstr(out, "Token ");
	assert_non_null(p);
	id = strtol(p + 6, NULL, 10);
	assert_true(id > 0);
	free(out);
	assert_true(asprintf(&line, "api_key=%s&%s", key, body) > 0);
	assert_int_equal(request(&c, &srv, "POST", V2 "/requests.json", line, ct, NULL, &r), 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	snprintf(path, sizeof(path), "%ld", id);
	assert_int_equal(run_cli(&srv, NULL, &out, "token", "revoke", path, NULL), 0);
	free(out);
	assert_int_equal(request(&c, &srv, "POST", V2 "/requests.json", line, ct, NULL, &r), 0);
	error_is(&r, 403, "api_key");
	response_release(&r);
	free(line);
	client_release(&c);
}

/* A request filed with every kind of field reads back open, with its
 * service, place and attributes, and without any of the reporter's
 * details, in both formats. */
static void test_post_and_read(void **state)
{
	struct client staff;
	struct response r;
	char code[16], path[128];
	long long id, id2;
	json_t *v, *c;

	(void)state;
	id = file_request("service_code=noise&lat=31.230416&long=121.4737021"
			  "&description=楼下广场舞音响太大 <每晚> %26 周末更早"
			  "&attribute[source]=square_dance&attribute[now][]=yes"
			  "&attribute[unknown]=ignored"
			  "&first_name=小明&last_name=王&phone=13812345678"
			  "&email=xiaoming%40example.cn&device_id=phone-42&account_id=acc-7",
			  code, sizeof(code));
	v = get_request(id, NULL);
	assert_string_equal(str(v, "status"), "open");
	assert_string_equal(str(v, "service_code"), "noise");
	assert_string_equal(str(v, "service_name"), "噪声扰民");
	assert_string_equal(str(v, "description"), "楼下广场舞音响太大 <每晚> & 周末更早");
	assert_string_equal(str(v, "status_notes"), "");
	assert_non_null(strstr(str(v, "requested_datetime"), "+08:00"));
	assert_int_equal(strlen(str(v, "requested_datetime")), 25);
	assert_non_null(strstr(str(v, "expected_datetime"), "T23:59:59+08:00"));
	assert_true(json_real_value(json_object_get(v, "lat")) > 31.230415 &&
		    json_real_value(json_object_get(v, "lat")) < 31.230417);
	assert_true(json_real_value(json_object_get(v, "long")) > 121.473701 &&
		    json_real_value(json_object_get(v, "long")) < 121.473703);
	assert_true(*str(v, "agency_responsible"));
	/* A media_url the client sent is a link for staff, not ours to publish. */
	assert_string_equal(str(v, "media_url"), "");
	json_decref(v);

	/* Nothing of the reporter, and not the tracking code, in either format. */
	snprintf(path, sizeof(path), V2 "/requests/%lld.json", id);
	get(path, NULL, &r);
	assert_null(strstr(r.body, "13812345678"));
	assert_null(strstr(r.body, "xiaoming"));
	assert_null(strstr(r.body, "小明"));
	assert_null(strstr(r.body, "reporter"));
	assert_null(strstr(r.body, "phone"));
	assert_null(strstr(r.body, code));
	response_release(&r);
	snprintf(path, sizeof(path), V2 "/requests/%lld.xml", id);
	get(path, "en", &r);
	assert_int_equal(r.status, 200);
	xml(&r);
	assert_null(strstr(r.body, "13812345678"));
	assert_null(strstr(r.body, "小明"));
	assert_non_null(strstr(r.body, "<service_requests><request><service_request_id>"));
	assert_non_null(strstr(r.body, "<status>open</status>"));
	assert_non_null(strstr(r.body, "<service_name>Noise</service_name>"));
	assert_non_null(strstr(
	    r.body, "<description>楼下广场舞音响太大 &lt;每晚&gt; &amp; 周末更早</description>"));
	assert_non_null(strstr(r.body, "<lat>31.230416</lat><long>121.473702</long>"));
	response_release(&r);

	/* Staff see what was stored: the answers shaped to the questions
	 * (unknown ones dropped), the reporter, the channel. */
	id2 = file_request("service_code=lights&address_string=普善新村 5号楼北侧"
			   "&description=路灯不亮还闪&attribute[kind][]=dark"
			   "&attribute[kind][]=flicker&attribute[count]=3"
			   "&attribute[since]=2026-11-20T19:00:00%2B08:00"
			   "&media_url=https://photos.example.cn/a.jpg",
			   NULL, 0);
	login_staff(&staff);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	c = json_loads(r.body, 0, NULL);
	assert_non_null(c);
	assert_string_equal(str(c, "channel"), "open311");
	assert_string_equal(str(json_object_get(c, "answers"), "source"), "square_dance");
	/* A single-value list answered as an array of one is one value. */
	assert_string_equal(str(json_object_get(c, "answers"), "now"), "yes");
	assert_null(json_object_get(json_object_get(c, "answers"), "unknown"));
	assert_string_equal(str(c, "tracking_code"), code);
	assert_string_equal(str(c, "reporter_name"), "王小明");
	assert_string_equal(str(c, "reporter_email"), "xiaoming@example.cn");
	json_decref(c);
	response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld", id2);
	assert_int_equal(api(&staff, &srv, "GET", path, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	c = json_loads(r.body, 0, NULL);
	assert_non_null(c);
	v = json_object_get(json_object_get(c, "answers"), "kind");
	assert_int_equal(json_array_size(v), 2);
	assert_string_equal(json_string_value(json_array_get(v, 0)), "dark");
	assert_string_equal(json_string_value(json_array_get(v, 1)), "flicker");
	assert_string_equal(str(json_object_get(c, "answers"), "count"), "3");
	assert_string_equal(str(c, "address"), "普善新村 5号楼北侧");
	json_decref(c);
	response_release(&r);
	client_release(&staff);

	/* media_url is noted under the description. */
	v = get_request(id2, NULL);
	assert_string_equal(str(v, "description"), "路灯不亮还闪\nhttps://photos.example.cn/a.jpg");
	assert_string_equal(str(v, "address"), "普善新村 5号楼北侧");
	assert_string_equal(str(v, "address_id"), "");
	assert_null(json_object_get(v, "lat"));
	json_decref(v);
}

/* address_id names a household: the request is filed at its building,
 * and the public feed says the building, never the door or the id (they
 * would point at one family). */
static void test_address_id(void **state)
{
	char fields[256];
	long long id;
	json_t *v;

	(void)state;
	snprintf(
	    fields, sizeof(fields),
	    "service_code=repair&address_id=1&description=楼道灯坏了&attribute[facility]=楼道灯");
	id = file_request(fields, NULL, 0);
	v = get_request(id, NULL);
	assert_string_equal(str(v, "address_id"), "");
	assert_non_null(strstr(str(v, "address"), "号楼"));
	assert_null(strstr(str(v, "address"), "室"));
	assert_null(strstr(str(v, "address"), "101"));
	json_decref(v);
	v = get_request(id, "en");
	assert_null(strstr(str(v, "address"), "Room "));
	assert_string_equal(str(v, "service_name"), "Facility repair");
	json_decref(v);
}

static void test_tokens(void **state)
{
	struct response r;
	char code[16], lower[16], path[128], want[32];
	long long id;
	json_t *v;

	(void)state;
	id = file_request("service_code=garbage&lat=31.2&long=121.4&description=垃圾桶满了", code,
			  sizeof(code));
	snprintf(want, sizeof(want), "%lld", id);
	snprintf(path, sizeof(path), V2 "/tokens/%s.json", code);
	get(path, NULL, &r);
	assert_int_equal(r.status, 200);
	v = parse(&r);
	assert_string_equal(str(json_array_get(v, 0), "service_request_id"), want);
	assert_string_equal(str(json_array_get(v, 0), "token"), code);
	json_decref(v);
	response_release(&r);
	/* Typed in small letters, in XML. */
	for (size_t i = 0; i <= strlen(code); i++)
		lower[i] =
		    (char)((code[i] >= 'A' && code[i] <= 'Z') ? code[i] - 'A' + 'a' : code[i]);
	snprintf(path, sizeof(path), V2 "/tokens/%s.xml", lower);
	get(path, NULL, &r);
	assert_int_equal(r.status, 200);
	xml(&r);
	assert_non_null(strstr(r.body, "<service_requests><request><service_request_id>"));
	assert_non_null(strstr(r.body, want));
	response_release(&r);
	get(V2 "/tokens/ABCDEFGHJK.json", "en", &r);
	error_is(&r, 404, "No such token");
	response_release(&r);
	get(V2 "/tokens/not-a-code.json", NULL, &r);
	error_is(&r, 404, "查询码");
	response_release(&r);
	snprintf(path, sizeof(path), V2 "/tokens/%s.txt", code);
	get(path, NULL, &r);
	error_is(&r, 404, "格式");
	response_release(&r);
}

/* A neighbour dispute filed by staff exists, but Open311 never shows it:
 * not by id, not in lists, not by its tracking code. */
static void test_private_never(void **state)
{
	struct client staff;
	struct response r;
	char path[128], list[8192];
	long long id;
	json_t *c;
	const char *code;

	(void)state;
	login_staff(&staff);
	assert_int_equal(api(&staff, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"dispute\",\"description\":\"楼上漏水引起邻里纠纷\"}",
			     &r),
			 0);
	assert_int_equal(r.status, 201);
	c = json_loads(r.body, 0, NULL);
	assert_non_null(c);
	id = json_integer_value(json_object_get(c, "id"));
	code = str(c, "tracking_code");
	assert_true(id > 0);
	response_release(&r);
	client_release(&staff);

	snprintf(path, sizeof(path), V2 "/requests/%lld.json", id);
	get(path, NULL, &r);
	error_is(&r, 404, "没有这个诉求");
	response_release(&r);
	snprintf(path, sizeof(path), V2 "/requests/%lld.xml", id);
	get(path, NULL, &r);
	assert_int_equal(r.status, 404);
	xml(&r);
	response_release(&r);
	ids_in(V2 "/requests.json", list, sizeof(list));
	assert_false(has_id(list, id));
	snprintf(path, sizeof(path), V2 "/requests.json?service_request_id=%lld", id);
	ids_in(path, list, sizeof(list));
	assert_string_equal(list, "");
	ids_in(V2 "/requests.json?service_code=dispute", list, sizeof(list));
	assert_string_equal(list, "");
	get(V2 "/requests.json", NULL, &r);
	assert_null(strstr(r.body, "漏水"));
	assert_null(strstr(r.body, "dispute"));
	response_release(&r);
	snprintf(path, sizeof(path), V2 "/tokens/%s.json", code);
	get(path, NULL, &r);
	error_is(&r, 404, "查询码");
	response_release(&r);
	json_decref(c);
}

static void test_filters(void **state)
{
	struct client staff;
	struct response r;
	char list[8192], path[512], stmt[512], start[40], end[40];
	long long open_id, closed_id, old_id;
	time_t now = time(NULL);
	json_t *v;

	(void)state;
	open_id =
	    file_request("service_code=safety&lat=31.2&long=121.4&description=井盖松动", NULL, 0);
	closed_id = file_request("service_code=shop&lat=31.2&long=121.4&description=油烟", NULL, 0);
	old_id =
	    file_request("service_code=other&lat=31.2&long=121.4&description=很久以前", NULL, 0);
	/* Staff reject one with a public note: it becomes closed. */
	login_staff(&staff);
	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", closed_id);
	assert_int_equal(api(&staff, &srv, "POST", path,
			     "{\"action\":\"reject\",\"note\":\"已转市场监管所\",\"public\":true}",
			     &r),
			 0);
	assert_int_equal(r.status, 200);
	response_release(&r);
	client_release(&staff);
	/* One was reported 100 days ago. */
	snprintf(stmt, sizeof(stmt),
		 "UPDATE cases SET created_at = created_at - 8640000 WHERE id = %lld;"
		 " UPDATE data_version SET v = v + 1 WHERE id = 1;",
		 old_id);
	sql_exec(stmt);

	v = get_request(closed_id, NULL);
	assert_string_equal(str(v, "status"), "closed");
	assert_string_equal(str(v, "status_notes"), "已转市场监管所");
	json_decref(v);

	/* Default window: the last 90 days. */
	ids_in(V2 "/requests.json", list, sizeof(list));
	assert_true(has_id(list, open_id) && has_id(list, closed_id));
	assert_false(has_id(list, old_id));
	/* Status. */
	ids_in(V2 "/requests.json?status=open", list, sizeof(list));
	assert_true(has_id(list, open_id));
	assert_false(has_id(list, closed_id));
	ids_in(V2 "/requests.json?status=closed", list, sizeof(list));
	assert_false(has_id(list, open_id));
	assert_true(has_id(list, closed_id));
	ids_in(V2 "/requests.json?status=open,closed", list, sizeof(list));
	assert_true(has_id(list, open_id) && has_id(list, closed_id));
	get(V2 "/requests.json?status=pending", NULL, &r);
	error_is(&r, 400, "status");
	response_release(&r);
	/* Service codes. */
	ids_in(V2 "/requests.json?service_code=safety", list, sizeof(list));
	assert_true(has_id(list, open_id));
	assert_false(has_id(list, closed_id));
	ids_in(V2 "/requests.json?service_code=safety,shop", list, sizeof(list));
	assert_true(has_id(list, open_id) && has_id(list, closed_id));
	/* Dates: a window around 100 days ago finds the old one only. */
	strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%SZ", gmtime(&(time_t){now - 105 * 86400}));
	strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%S%%2B00:00",
		 gmtime(&(time_t){now - 95 * 86400}));
	snprintf(path, sizeof(path), V2 "/requests.json?start_date=%s&end_date=%s", start, end);
	ids_in(path, list, sizeof(list));
	snprintf(stmt, sizeof(stmt), "%lld", old_id);
	assert_string_equal(list, stmt);
	/* start_date alone: 90 days from it. */
	snprintf(path, sizeof(path), V2 "/requests.json?start_date=%s", start);
	ids_in(path, list, sizeof(list));
	assert_true(has_id(list, old_id));
	assert_false(has_id(list, open_id));
	/* An unencoded '+' arrives as a space and is still read as '+'. */
	strftime(end, sizeof(end), "%Y-%m-%dT%H:%M:%S+00:00", gmtime(&(time_t){now + 3600}));
	snprintf(path, sizeof(path), V2 "/requests.json?end_date=%s", end);
	ids_in(path, list, sizeof(list));
	assert_true(has_id(list, open_id));
	assert_false(has_id(list, old_id));
	/* Bad dates and windows. */
	get(V2 "/requests.json?start_date=2026-02-30T00:00:00Z", NULL, &r);
	error_is(&r, 400, "start_date");
	response_release(&r);
	get(V2 "/requests.json?end_date=2026-11-29T", "en", &r);
	error_is(&r, 400, "end_date must be a W3C date");
	response_release(&r);
	get(V2 "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", "en",
	    &r);
	error_is(&r, 400, "at most 90 days apart");
	response_release(&r);
	get(V2 "/requests.json?start_date=2026-06-01T00:00:00Z&end_date=2026-05-01T00:00:00Z", NULL,
	    &r);
	error_is(&r, 400, "end_date 早于 start_date");
	response_release(&r);
	/* service_request_id: other filters are ignored, even the window. */
	snprintf(path, sizeof(path),
		 V2 "/requests.json?service_request_id=%lld,%lld,%lld&status=closed", open_id,
		 closed_id, old_id);
	ids_in(path, list, sizeof(list));
	assert_true(has_id(list, open_id) && has_id(list, closed_id) && has_id(list, old_id));
	/* A repeated parameter is read like the comma form. */
	snprintf(path, sizeof(path),
		 V2 "/requests.json?service_request_id=%lld&service_request_id=%lld", open_id,
		 closed_id);
	ids_in(path, list, sizeof(list));
	assert_true(has_id(list, open_id) && has_id(list, closed_id) && !has_id(list, old_id));
	{
		char both[4096], each[4096];
		ids_in(V2 "/requests.json?status=open,closed", both, sizeof(both));
		ids_in(V2 "/requests.json?status=open&status=closed", each, sizeof(each));
		assert_string_equal(each, both);
		assert_true(has_id(each, open_id) && has_id(each, closed_id));
		ids_in(V2 "/requests.json?service_code=safety,noise", both, sizeof(both));
		ids_in(V2 "/requests.json?service_code=safety&service_code=noise", each,
		       sizeof(each));
		assert_string_equal(each, both);
	}
	get(V2 "/requests.json?status=open&status=shut", NULL, &r);
	error_is(&r, 400, "status");
	response_release(&r);
	get(V2 "/requests.json?service_request_id=1,x", NULL, &r);
	error_is(&r, 400, "service_request_id");
	response_release(&r);
	/* Unknown ids: 404 alone, nothing in a list. */
	get(V2 "/requests/99999999.json", "en", &r);
	error_is(&r, 404, "No such service request");
	response_release(&r);
	get(V2 "/requests/abc.json", NULL, &r);
	error_is(&r, 404, "没有这个诉求");
	response_release(&r);
	ids_in(V2 "/requests.json?service_request_id=99999999", list, sizeof(list));
	assert_string_equal(list, "");
	/* XML list. */
	get(V2 "/requests.xml?status=closed", NULL, &r);
	assert_int_equal(r.status, 200);
	xml(&r);
	assert_non_null(strstr(r.body, "<status>closed</status>"));
	assert_null(strstr(r.body, "<status>open</status>"));
	response_release(&r);
}

/* Dates: the strict ISO 8601 reader behind start_date and end_date. */
static void test_dates(void **state)
{
	static const char *const good[] = {
	    "2026-11-01T00:00:00Z",
	    "2026-11-01T08:00:00+08:00",
	    "2026-11-01T08:00:00.250+08:00",
	    "2026-10-31T19:00:00-05:00",
	    "2024-02-29T12:00:00Z",
	    "2026-11-01T00:00:00+00:00",
	    /* W3C's shorter profiles: the minute, the day, the month, the year. */
	    "2026-11-01T00:00Z",
	    "2026-11-01T08:00+08:00",
	    "2026-11-01",
	    "2026-11",
	    "2026",
	};
	static const char *const bad[] = {
	    "2026-11-01T00:00",
	    "2026-11-01T00Z",
	    "2026-11-01T0000Z",
	    "2026-11-01T08:00+8:00",
	    "2026-11-1",
	    "2026-1",
	    "2026-02-30",
	    "202",
	    "2026-11-01T00:00:00",
	    "2026-11-01 00:00:00Z",
	    "2026-11-01T24:00:00Z",
	    "2026-11-01T00:60:00Z",
	    "2026-11-01T00:00:60Z",
	    "2025-02-29T00:00:00Z",
	    "2026-13-01T00:00:00Z",
	    "2026-04-31T00:00:00Z",
	    "2026-11-01t00:00:00z",
	    "2026-11-01T00:00:00+0800",
	    "2026-11-01T00:00:00+08",
	    "2026-11-01T00:00:00+08:60",
	    "1899-12-31T00:00:00Z",
	    "2026-11-01T00:00:00.Z",
	    "2026-11-01T00:00:00.1234567890Z",
	    " 2026-11-01T00:00:00Z",
	    "2026-11-01T00:00:00Zjunk",
	    "２０２６-11-01T00:00:00Z",
	    "+2026-11-01T00:00:00Z",
	};
	struct response r;
	char path[512], a[4096], b[4096], c[4096];
	time_t t = time(NULL) + 3600;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(path, sizeof(path), V2 "/requests.json?start_date=%s", encode(good[i]));
		get(path, NULL, &r);
		if (r.status != 200)
			fprintf(stderr, "# %s: %ld %s\n", good[i], r.status, r.body);
		assert_int_equal(r.status, 200);
		response_release(&r);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(path, sizeof(path), V2 "/requests.json?end_date=%s", encode(bad[i]));
		get(path, "en", &r);
		if (r.status != 400)
			fprintf(stderr, "# %s accepted\n", bad[i]);
		error_is(&r, 400, "end_date must be a W3C date");
		response_release(&r);
	}
	/* One instant written in three zones selects the same requests. */
	strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	ids_in(path, a, sizeof(a));
	t += 8 * 3600;
	strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%dT%H:%M:%S%%2B08:00",
		 gmtime(&t));
	ids_in(path, b, sizeof(b));
	t -= 13 * 3600;
	strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%dT%H:%M:%S-05:00",
		 gmtime(&t));
	ids_in(path, c, sizeof(c));
	assert_true(*a);
	assert_string_equal(a, b);
	assert_string_equal(a, c);
	/* A time to the minute names its whole minute; a date its whole day
	 * in Shanghai. */
	{
		long long now_id = file_request(
		    "service_code=safety&lat=31.2&long=121.4&description=W3C-minute", NULL, 0);
		t = time(NULL);
		strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%dT%H:%MZ",
			 gmtime(&t));
		ids_in(path, a, sizeof(a));
		assert_true(has_id(a, now_id)); /* filed in this minute, or the one before */
		strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%dT%H:%M:59Z",
			 gmtime(&t));
		ids_in(path, b, sizeof(b));
		assert_string_equal(a, b);
	}
	{
		long long today = file_request(
		    "service_code=safety&lat=31.2&long=121.4&description=W3C-day", NULL, 0);
		time_t sh = time(NULL) + 8 * 3600, before = sh - 86400;
		strftime(path, sizeof(path), V2 "/requests.json?start_date=%Y-%m-%d", gmtime(&sh));
		ids_in(path, a, sizeof(a));
		assert_true(has_id(a, today));
		strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%d", gmtime(&sh));
		ids_in(path, a, sizeof(a));
		assert_true(has_id(a, today));
		strftime(path, sizeof(path), V2 "/requests.json?end_date=%Y-%m-%d",
			 gmtime(&before));
		ids_in(path, a, sizeof(a));
		assert_false(has_id(a, today));
	}
	/* Days: the first to the last day of a 90-day window, not one more. */
	get(V2 "/requests.json?start_date=2026-01-01&end_date=2026-03-31", NULL, &r);
	assert_int_equal(r.status, 200);
	response_release(&r);
	get(V2 "/requests.json?start_date=2026-01-01&end_date=2026-04-01", NULL, &r);
	error_is(&r, 400, "90");
	response_release(&r);
	/* Exactly 90 days is allowed, a second more is not. */
	get(V2 "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:00Z", NULL,
	    &r);
	assert_int_equal(r.status, 200);
	response_release(&r);
	get(V2 "/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-04-01T00:00:01Z", NULL,
	    &r);
	error_is(&r, 400, "90");
	response_release(&r);
	/* At most 50 ids or service codes. */
	snprintf(path, sizeof(path), V2 "/requests.json?service_request_id=1");
	for (int i = 2; i <= 51; i++)
		snprintf(path + strlen(path), sizeof(path) - strlen(path), ",%d", i);
	get(path, "en", &r);
	error_is(&r, 400, "at most 50 ids");
	response_release(&r);
}

/* Newest first, in pages that neither skip nor repeat. */
static void test_paging(void **state)
{
	struct response r;
	char all[8192], page[8192], joined[8192] = "", path[128];
	long long ids[5];
	json_t *v;

	(void)state;
	for (int i = 0; i < 5; i++)
		ids[i] = file_request("service_code=pet_waste&lat=31.2&long=121.4&description=狗粪",
				      NULL, 0);
	ids_in(V2 "/requests.json?service_code=pet_waste", all, sizeof(all));
	assert_true(has_id(all, ids[4]));
	/* The newest is first (same second: the higher id first). */
	assert_int_equal(strtoll(all, NULL, 10), ids[4]);
	for (int p = 1; p <= 3; p++) {
		snprintf(path, sizeof(path),
			 V2 "/requests.json?service_code=pet_waste&page_size=2&page=%d", p);
		ids_in(path, page, sizeof(page));
		if (*page) {
			size_t used = strlen(joined);
			assert_true(used + strlen(page) + 2 < sizeof(joined));
			if (used)
				joined[used++] = ',';
			memcpy(joined + used, page, strlen(page) + 1);
		}
	}
	assert_string_equal(joined, all);
	ids_in(V2 "/requests.json?service_code=pet_waste&page_size=2&page=4", page, sizeof(page));
	assert_string_equal(page, "");
	/* Timestamps go down the list. */
	get(V2 "/requests.json?service_code=pet_waste", NULL, &r);
	v = parse(&r);
	for (size_t i = 1; i < json_array_size(v); i++)
		assert_true(strcmp(str(json_array_get(v, i - 1), "requested_datetime"),
				   str(json_array_get(v, i), "requested_datetime")) >= 0);
	json_decref(v);
	response_release(&r);
	get(V2 "/requests.json?page_size=0", NULL, &r);
	error_is(&r, 400, "page_size");
	response_release(&r);
	get(V2 "/requests.json?page_size=1001", "en", &r);
	error_is(&r, 400, "page_size 1 to 1000");
	response_release(&r);
	get(V2 "/requests.json?page=0", NULL, &r);
	error_is(&r, 400, "page");
	response_release(&r);
}

/* Every endpoint refuses a format it does not have, and every XML answer
 * is well formed. */
static void test_formats(void **state)
{
	static const char *const unknown[] = {
	    V2 "/discovery.html", V2 "/services.csv",	 V2 "/services/noise.yml",
	    V2 "/requests.rss",	  V2 "/requests/1.html", V2 "/tokens/ABCDEFGHJK.txt",
	};
	static const char *const xml_paths[] = {
	    V2 "/discovery.xml",
	    V2 "/services.xml",
	    V2 "/services/noise.xml",
	    V2 "/requests.xml",
	    V2 "/requests.xml?status=open&page_size=5",
	    V2 "/requests/99999999.xml",
	    V2 "/requests.xml?start_date=bad",
	    V2 "/services/dispute.xml",
	};
	struct response r;

	(void)state;
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		get(unknown[i], NULL, &r);
		error_is(&r, 404, "格式");
		response_release(&r);
	}
	for (size_t i = 0; i < sizeof(xml_paths) / sizeof(xml_paths[0]); i++) {
		for (int en = 0; en < 2; en++) {
			get(xml_paths[i], en ? "en" : NULL, &r);
			xml(&r);
			response_release(&r);
		}
	}
	/* A row stored before input refused them holds U+FFFE, U+FFFF and a
	 * control character: the XML answer leaves them out and stays well
	 * formed; JSON carries the text as stored. */
	{
		long long id = file_request(
		    "service_code=safety&lat=31.2&long=121.4&description=old-row", NULL, 0);
		char sql[256], path[64];
		snprintf(sql, sizeof(sql),
			 "UPDATE cases SET description = 'a\xef\xbf\xbe"
			 "b\xef\xbf\xbf"
			 "c\x01"
			 "d' "
			 "WHERE id = %lld",
			 id);
		sql_exec(sql);
		snprintf(path, sizeof(path), V2 "/requests/%lld.xml", id);
		get(path, NULL, &r);
		assert_int_equal(r.status, 200);
		xml(&r);
		assert_non_null(strstr(r.body, "<description>abcd</description>"));
		response_release(&r);
	}
	/* A cached list sees the next write at once. */
	get(V2 "/requests.json?service_code=safety&page_size=1000", NULL, &r);
	assert_int_equal(r.status, 200);
	response_release(&r);
	{
		long long id = file_request(
		    "service_code=safety&lat=31.2&long=121.4&description=护栏断了", NULL, 0);
		char list[8192];
		ids_in(V2 "/requests.json?service_code=safety&page_size=1000", list, sizeof(list));
		assert_true(has_id(list, id));
	}
}

/* media_post: a multipart POST requests.json with the api_key, fields
 * (name=value pairs, NULL-ended) and, if png, a file named file_field. */
static void media_post(const char *const *fields, const char *file_field, const unsigned char *png,
		       size_t n, struct response *r)
{
	static struct form f;
	struct client c;

	memset(&f, 0, sizeof(f));
	form_field(&f, "api_key", api_key);
	for (int i = 0; fields[i]; i += 2)
		form_field(&f, fields[i], fields[i + 1]);
	if (png)
		form_file(&f, file_field, "photo.png", "image/png", png, n);
	form_end(&f);
	client_init(&c);
	c.lang = "en";
	assert_int_equal(form_post(&c, &srv, V2 "/requests.json", &f, NULL, r), 0);
	client_release(&c);
}

/* Media: a photo sent the way Open311 clients send it (multipart field
 * "media") is stored like a report's, published as media_url (its
 * downscaled copy, metadata gone) and served to anyone; a report filed
 * on our own form without the reporter's consent has no media_url and its
 * photo is not served; a file that is not a photo, a second file or any
 * other file is refused and leaves nothing behind. */
static void test_media(void **state)
{
	static const char *const fields[] = {
	    "service_code", "repair",		"lat", "31.2", "long", "121.4",
	    "description",  "M-media 座椅坏了", NULL};
	unsigned char png[512];
	size_t n = make_png_unique(png, (uint32_t)getpid() * 8u + 3u);
	struct response r;
	char before[32], after[32], path[400], media_path[400], *base;
	const char *url;
	long long id;
	json_t *v, *one;

	(void)state;
	media_post(fields, "media", png, n, &r);
	if (r.status != 201)
		fprintf(stderr, "# %ld %s\n", r.status, r.body);
	assert_int_equal(r.status, 201);
	v = parse(&r);
	id = strtoll(str(json_array_get(v, 0), "service_request_id"), NULL, 10);
	json_decref(v);
	response_release(&r);
	one = get_request(id, NULL);
	url = str(one, "media_url");
	snprintf(path, sizeof(path), "/open311/v2/media/%lld-", id);
	base = strstr(url, path);
	if (!base || strncmp(url, srv.url, strlen(srv.url)) ||
	    strcmp(url + strlen(url) - 4, ".jpg"))
		fail_msg("media_url %s", url);
	snprintf(media_path, sizeof(media_path), "%s", base);
	json_decref(one); /* url and base pointed into it */
	get(media_path, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(r.len > 100 && (unsigned char)r.body[0] == 0xFF &&
		    (unsigned char)r.body[1] == 0xD8);
	response_release(&r);
	/* Another case's number with this photo's name: not found. */
	snprintf(path, sizeof(path), "/open311/v2/media/%lld%s", id + 1000000,
		 strchr(media_path + strlen("/open311/v2/media/"), '-'));
	get(path, NULL, &r);
	assert_int_equal(r.status, 404);
	response_release(&r);
	/* Reports from our own form: without the reporter's consent nothing is
	 * public; with it (the box ticked), the photo is. */
	for (int consent = 0; consent < 2; consent++) {
		unsigned char own[512];
		size_t k = make_png_unique(own, (uint32_t)getpid() * 8u + 5u + (uint32_t)consent);
		const char *form[] = {"category",
				      "repair",
				      "description",
				      consent ? "M-media 楼梯扶手松了" : "M-media 楼道灯坏了",
				      consent ? "photos_public" : NULL,
				      "1",
				      NULL};
		char code[16], sha[80];
		long long rid;
		assert_int_equal(report_with_photo(&srv, form, own, k, code), 0);
		snprintf(path, sizeof(path), V2 "/tokens/%s.json", code);
		get(path, NULL, &r);
		v = parse(&r);
		rid = strtoll(str(json_array_get(v, 0), "service_request_id"), NULL, 10);
		json_decref(v);
		response_release(&r);
		sql_query(sha, sizeof(sha),
			  "SELECT sha256 FROM case_photos ORDER BY id DESC LIMIT 1");
		one = get_request(rid, NULL);
		assert_true(consent ? strstr(str(one, "media_url"), sha) != NULL
				    : !strcmp(str(one, "media_url"), ""));
		json_decref(one);
		snprintf(path, sizeof(path), "/open311/v2/media/%lld-%s.jpg", rid, sha);
		get(path, NULL, &r);
		assert_int_equal(r.status, consent ? 200 : 404);
		response_release(&r);
	}
	/* A private dispute's photo is never public: the box is not offered,
	 * a crafted one is not kept, and even a row that says so is not served. */
	{
		static const char *const form[] = {
		    "category",	     "dispute", "description", "M-media 邻居吵架",
		    "photos_public", "1",	NULL};
		unsigned char own[512];
		size_t k = make_png_unique(own, (uint32_t)getpid() * 8u + 7u);
		char sha[80], flag[8], sql[200], code[16];
		assert_int_equal(report_with_photo(&srv, form, own, k, code), 0);
		sql_query(flag, sizeof(flag),
			  "SELECT photos_public FROM cases ORDER BY id DESC LIMIT 1");
		assert_string_equal(flag, "0");
		sql_query(sha, sizeof(sha),
			  "SELECT sha256 FROM case_photos ORDER BY id DESC LIMIT 1");
		sql_query(flag, sizeof(flag), "SELECT MAX(id) FROM cases");
		snprintf(sql, sizeof(sql), "UPDATE cases SET photos_public = 1 WHERE id = %s",
			 flag);
		sql_exec(sql);
		snprintf(path, sizeof(path), "/open311/v2/media/%s-%s.jpg", flag, sha);
		get(path, NULL, &r);
		assert_int_equal(r.status, 404);
		response_release(&r);
	}
	/* Refused: not a photo, two files, another file field. Nothing stays. */
	sql_query(before, sizeof(before), "SELECT count(*) FROM cases");
	media_post(fields, "media", (const unsigned char *)"GIF89a not a photo", 18, &r);
	error_is(&r, 400, "media must be one JPEG, PNG or WebP photo");
	response_release(&r);
	media_post(fields, "attachment", png, n, &r);
	error_is(&r, 400, "multipart form could not be read");
	response_release(&r);
	sql_query(after, sizeof(after), "SELECT count(*) FROM cases");
	assert_string_equal(after, before);
}

/* description is optional, as GeoReport says, when the category's
 * questions are answered: the answers, in the category's own words,
 * become the text staff read. */
static void test_description_optional(void **state)
{
	long long id;
	json_t *one;

	(void)state;
	id = file_request("service_code=lights&lat=31.2&long=121.4&attribute[kind][]=dark"
			  "&attribute[kind][]=flicker&attribute[count]=3",
			  NULL, 0);
	one = get_request(id, NULL);
	assert_string_equal(str(one, "description"), "哪些问题：不亮、闪烁；几盏：3");
	json_decref(one);
}

/* staff_does: staff POSTs body to /api/v1/cases/ID/WHAT, answered want. */
static void staff_does(struct client *staff, long long id, const char *what, const char *body,
		       long want)
{
	struct response r;
	char path[96];

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/%s", id, what);
	assert_int_equal(api(staff, &srv, "POST", path, body, &r), 0);
	assert_int_equal(r.status, want);
	response_release(&r);
}

/* updated_of: request id's updated_datetime into out. */
static void updated_of(long long id, char *out, size_t n)
{
	json_t *one = get_request(id, NULL);
	snprintf(out, n, "%s", str(one, "updated_datetime"));
	json_decref(one);
}

/* back_date moves the case's times back by secs, so that what is done
 * next happens at another second. */
static void back_date(long long id, int secs)
{
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "UPDATE cases SET created_at = created_at - %d, updated_at = updated_at - %d,"
		 " public_updated_at = public_updated_at - %d,"
		 " closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE closed_at - %d END"
		 " WHERE id = %lld",
		 secs, secs, secs, secs, id);
	sql_exec(sql);
}

/* updated_datetime moves only with what the public sees: an internal note
 * leaves it alone on an open request, an action moves it, and a closed
 * request's is the date it was closed, whatever staff add afterwards. */
static void test_updated_datetime_is_public(void **state)
{
	struct client staff;
	char first[40], now[40], got[40];
	long long id =
	    file_request("service_code=safety&lat=31.2&long=121.4&description=U-upd", NULL, 0);
	time_t t;
	struct tm tm;

	(void)state;
	login_staff(&staff);
	back_date(id, 1000);
	updated_of(id, first, sizeof(first));
	/* An internal note: the same. */
	staff_does(&staff, id, "notes", "{\"note\":\"U-upd internal\"}", 201);
	updated_of(id, got, sizeof(got));
	assert_string_equal(got, first);
	/* Accepted: a public change, so it moves, to now. */
	staff_does(&staff, id, "actions", "{\"action\":\"accept\"}", 200);
	t = time(NULL) + 8 * 3600;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:", &tm); /* this hour, Shanghai time */
	updated_of(id, got, sizeof(got));
	assert_string_not_equal(got, first);
	if (strncmp(got, now, strlen(now)) && time(NULL) % 3600 > 5) /* not just past the hour */
		fail_msg("accepted at %s, not within %s", got, now);
	/* Rejected (closed): it moves, to the closing. */
	staff_does(&staff, id, "actions", "{\"action\":\"reject\",\"note\":\"不属本居委\"}", 200);
	back_date(id, 500);
	updated_of(id, got, sizeof(got));
	assert_string_not_equal(got, first);
	snprintf(first, sizeof(first), "%s", got);
	/* A note on the closed request: still the date it was closed. */
	staff_does(&staff, id, "notes", "{\"note\":\"U-upd after\"}", 201);
	updated_of(id, got, sizeof(got));
	assert_string_equal(got, first);
	client_release(&staff);
}

/* Degrees at their limits: ±90 and ±180 exactly are places (the poles
 * and the date line), a millionth beyond is not; read back as sent. */
static void test_degrees_at_the_limits(void **state)
{
	static const char *const refused[] = {
	    "lat=90.000001&long=121.4",	 "lat=-90.000001&long=121.4", "lat=31.2&long=180.000001",
	    "lat=31.2&long=-180.000001", "lat=90.0000005&long=121.4", "lat=100&long=121.4",
	};
	struct response r;
	char *body;
	long long id;
	json_t *v;

	(void)state;
	id = file_request("service_code=shop&lat=90&long=180&description=limits%20one", NULL, 0);
	v = get_request(id, NULL);
	assert_true(json_real_value(json_object_get(v, "lat")) == 90.0);
	assert_true(json_real_value(json_object_get(v, "long")) == 180.0);
	json_decref(v);
	id = file_request("service_code=shop&lat=-90.000000&long=-180&description=limits%20two",
			  NULL, 0);
	v = get_request(id, NULL);
	assert_true(json_real_value(json_object_get(v, "lat")) == -90.0);
	assert_true(json_real_value(json_object_get(v, "long")) == -180.0);
	json_decref(v);
	/* A seventh decimal rounds: 89.9999995 is 90.000000, still a place. */
	id = file_request("service_code=shop&lat=89.9999995&long=0&description=limits%20three",
			  NULL, 0);
	v = get_request(id, NULL);
	assert_true(json_real_value(json_object_get(v, "lat")) == 90.0);
	json_decref(v);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_true(asprintf(&body, "api_key=%s&service_code=shop&description=x&%s",
				     api_key, refused[i]) > 0);
		post(V2 "/requests.json", body, "en", &r);
		free(body);
		error_is(&r, 400, "decimal degrees");
		response_release(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_discovery),
	    cmocka_unit_test(test_services),
	    cmocka_unit_test(test_service_definition),
	    cmocka_unit_test(test_post_errors),
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_post_and_read),
	    cmocka_unit_test(test_address_id),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_private_never),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_paging),
	    cmocka_unit_test(test_formats),
	    cmocka_unit_test(test_degrees_at_the_limits),
	    cmocka_unit_test(test_updated_datetime_is_public),
	    cmocka_unit_test(test_media),
	    cmocka_unit_test(test_description_optional),
	};
	return cmocka_run_group_tests_name("open311", tests, setup, srv_teardown);
}
