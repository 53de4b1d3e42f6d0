/* HTTP tests of the site plan at true scale against the real server and
 * the demo area's footprints: the plan draws the compounds, buildings and
 * roads; a report is drawn at its point or inside its building; markers
 * that would overlap become one cluster with its count; open reports by
 * default; every role sees on the plan only the reports it may open (each
 * marker, at every zoom, opens with 200 for the same session; the private
 * neighbour disputes never reach volunteers or agencies); the plan exports
 * as GeoJSON and an import with one bad feature is refused whole. */
#include "checks.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* The cases filed by setup_cases. */
static long long dispute_a, dispute_b, repair_c, resolved_e, far_f, pointed_g, noise_d[6];
static long long across_h, across_dispute; /* either side of 普善路, 50 m apart */

static void get(struct client *c, const char *path, long want, struct response *r)
{
	assert_int_equal(api(c, &srv, "GET", path, NULL, r), 0);
	if (r->status != want)
		fail_msg("GET %s: got %ld (%.300s), want %ld", path, r->status, r->body, want);
}

static long long file_case(struct client *c, const char *body)
{
	struct response r;
	long long id;

	assert_int_equal(api(c, &srv, "POST", "/api/v1/cases", body, &r), 0);
	if (r.status != 201)
		fail_msg("create: %ld %s", r.status, r.body);
	id = json_int(r.body, "id");
	response_release(&r);
	return id;
}

static void act(struct client *c, long long id, const char *body)
{
	struct response r;
	char path[64];

	snprintf(path, sizeof(path), "/api/v1/cases/%lld/actions", id);
	assert_int_equal(api(c, &srv, "POST", path, body, &r), 0);
	if (r.status != 200)
		fail_msg("%s: got %ld (%s)", body, r.status, r.body);
	response_release(&r);
}

/* The demo's ids: compounds 1 普善新村 .. 4 普善华庭; buildings 1-12 in
 * compound 1, 13-20 in 2, 21-30 in 3, 31-34 in 4. */
static void setup_cases(void **state)
{
	struct client staff;
	char body[256];

	(void)state;
	login_as(&staff, "staff");
	/* two private disputes: one in a building, one at a point in 五月花小区 */
	dispute_a = file_case(&staff, "{\"category\":\"dispute\",\"description\":\"楼上漏水A\","
				      "\"compound_id\":1,\"building_id\":1}");
	dispute_b = file_case(&staff, "{\"category\":\"dispute\",\"description\":\"吵架B\","
				      "\"compound_id\":3,\"lat\":31.25546,\"long\":121.454}");
	repair_c = file_case(&staff, "{\"category\":\"repair\",\"description\":\"lamp\","
				     "\"compound_id\":2,\"building_id\":13}");
	/* six noise reports at one building: close enough to be one cluster */
	for (int i = 0; i < 6; i++) {
		snprintf(body, sizeof(body),
			 "{\"category\":\"noise\",\"description\":\"drums %d\",\"compound_id\":4,"
			 "\"building_id\":31,\"answers\":{\"source\":\"square_dance\"}}",
			 i);
		noise_d[i] = file_case(&staff, body);
	}
	resolved_e = file_case(&staff, "{\"category\":\"repair\",\"description\":\"door\","
				       "\"compound_id\":2,\"building_id\":20}");
	act(&staff, resolved_e, "{\"action\":\"accept\"}");
	act(&staff, resolved_e, "{\"action\":\"assign\",\"handler_team_id\":1}");
	act(&staff, resolved_e, "{\"action\":\"resolve\",\"note\":\"fixed\"}");
	/* a point far from the area: counted, not drawn */
	far_f = file_case(&staff, "{\"category\":\"other\",\"description\":\"far\","
				  "\"lat\":39.9,\"long\":116.4}");
	/* a point inside 普善苑 (compound 2) said to be in 普善新村: the point wins */
	pointed_g = file_case(&staff, "{\"category\":\"other\",\"description\":\"bench\","
				      "\"compound_id\":1,\"lat\":31.2578,\"long\":121.44884}");
	across_h = file_case(&staff, "{\"category\":\"repair\",\"description\":\"kerb\","
				     "\"compound_id\":3,\"lat\":31.255101,\"long\":121.452263}");
	across_dispute =
	    file_case(&staff, "{\"category\":\"dispute\",\"description\":\"fence\","
			      "\"compound_id\":1,\"lat\":31.255101,\"long\":121.451737}");
	client_release(&staff);
}

/* has_marker: the page draws case id as a marker of its own. */
static int has_marker(const char *body, long long id)
{
	char href[64];
	snprintf(href, sizeof(href), "<a href=\"/cases/%lld\" class=\"map-marker\">", id);
	return strstr(body, href) != NULL;
}

/* count_of: occurrences of needle in body. */
static int count_of(const char *body, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(body, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_plan_is_drawn_to_scale(void **state)
{
	struct client staff;
	struct response r;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/map", 200, &r);
	/* four compounds, 34 buildings, the real roads, a scale bar */
	assert_int_equal(count_of(r.body, "class=\"plan-compound\""), 4);
	assert_int_equal(count_of(r.body, "class=\"plan-building\""), 34);
	assert_non_null(strstr(r.body, ">芷江西路</text>"));
	assert_non_null(strstr(r.body, ">普善路</text>"));
	assert_non_null(strstr(r.body, ">100 m</text>"));
	assert_non_null(strstr(r.body, ">五月花小区</text>"));
	assert_null(strstr(r.body, "viewBox=\"0 0 1000 1000\"")); /* not the grid */
	/* open reports by default: the resolved one only when asked */
	assert_true(has_marker(r.body, repair_c));
	assert_false(has_marker(r.body, resolved_e));
	assert_non_null(strstr(r.body, "name=\"closed\" value=\"1\">"));
	response_release(&r);
	get(&staff, "/cases/map?closed=1", 200, &r);
	assert_true(has_marker(r.body, resolved_e));
	assert_non_null(strstr(r.body, "name=\"closed\" value=\"1\" checked>"));
	/* the far report is counted as without a place */
	assert_non_null(
	    strstr(r.body, "<tr><th scope=\"row\">平面图上无位置</th><td class=\"num\">1</td>"));
	/* and listed, to be found and placed */
	{
		char li[96];
		snprintf(li, sizeof(li), "<li><a href=\"/cases/%lld\">#%lld 其他</a> · 已提交</li>",
			 far_f, far_f);
		if (!strstr(r.body, li))
			fail_msg("no %s", li);
	}
	response_release(&r);
	client_release(&staff);
}

/* number_after: the number after needle in s (e.g. cx="), -1 if absent. */
static double number_after(const char *s, const char *needle)
{
	const char *p = strstr(s, needle);
	return p ? strtod(p + strlen(needle), NULL) : -1;
}

/* inside_polygon: the marker of case id on body lies within the bounding
 * box of the polygon whose attribute is attr (data-building="1"), and
 * *x, *y are its centre. */
static int inside_polygon(const char *body, long long id, const char *attr, double *x, double *y)
{
	double lo[2] = {1e9, 1e9}, hi[2] = {-1e9, -1e9};
	const char *m, *poly;
	char href[64];

	snprintf(href, sizeof(href), "<a href=\"/cases/%lld\" class=\"map-marker\">", id);
	m = strstr(body, href);
	poly = strstr(body, attr);
	if (!m || !poly)
		fail_msg("no marker of %lld or no polygon %s", id, attr);
	*x = number_after(m, "cx=\"");
	*y = number_after(m, "cy=\"");
	poly = strstr(poly, "points=\"") + strlen("points=\"");
	while (*poly != '"') {
		char *end;
		double px = strtod(poly, &end), py = strtod(end + 1, &end);
		lo[0] = px < lo[0] ? px : lo[0];
		hi[0] = px > hi[0] ? px : hi[0];
		lo[1] = py < lo[1] ? py : lo[1];
		hi[1] = py > hi[1] ? py : hi[1];
		poly = *end == ' ' ? end + 1 : end;
	}
	return *x >= lo[0] - 1 && *x <= hi[0] + 1 && *y >= lo[1] - 1 && *y <= hi[1] + 1;
}

static void test_marker_sits_in_its_building(void **state)
{
	struct client staff;
	struct response r;
	double x, y, x2, y2;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/map", 200, &r);
	/* the dispute without a point is drawn inside 1号楼 of 普善新村 */
	if (!inside_polygon(r.body, dispute_a, "data-building=\"1\"", &x, &y))
		fail_msg("marker at %.1f,%.1f outside its building", x, y);
	/* a report's point wins over the compound it names */
	if (!inside_polygon(r.body, pointed_g, "data-compound=\"2\"", &x2, &y2))
		fail_msg("marker at %.1f,%.1f not at its point in compound 2", x2, y2);
	/* and stays there on the next visit */
	response_release(&r);
	get(&staff, "/cases/map", 200, &r);
	assert_true(inside_polygon(r.body, dispute_a, "data-building=\"1\"", &x2, &y2));
	assert_true(x2 == x && y2 == y);
	response_release(&r);
	client_release(&staff);
}

static void test_overlapping_markers_cluster(void **state)
{
	struct client staff;
	struct response r;
	const char *k;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/map", 200, &r);
	/* the six at 普善华庭 1号楼: one cluster that zooms into the compound */
	for (int i = 0; i < 6; i++)
		assert_false(has_marker(r.body, noise_d[i]));
	k = strstr(r.body, "<a href=\"/cases/map?compound_id=4&amp;");
	assert_non_null(k);
	assert_non_null(strstr(k, "<title>此处 6 件报事，点按放大或查看列表</title>"));
	assert_non_null(strstr(k, ">6</text>"));
	/* the finger-sized target: 44 CSS px on a 390 px phone */
	assert_non_null(strstr(k, "r=\"66\" fill=\"transparent\""));
	response_release(&r);
	/* close up: the compound fills the plan, and what still overlaps
	 * leads to the compound's queue */
	get(&staff, "/cases/map?compound_id=4", 200, &r);
	assert_non_null(strstr(r.body, "<b>普善华庭</b>"));
	assert_non_null(strstr(r.body, ">1号楼</text>"));
	{
		int singles = 0, in_clusters = 0;
		const char *q = r.body;
		for (int i = 0; i < 6; i++)
			singles += has_marker(r.body, noise_d[i]);
		while ((q = strstr(q, "<a href=\"/cases?compound_id=4\" class=\"map-cluster\">"))) {
			q++;
			in_clusters += (int)number_after(q, "<title>此处 ");
		}
		assert_int_equal(singles + in_clusters, 6);
	}
	response_release(&r);
	get(&staff, "/cases/map?compound_id=x", 400, &r);
	response_release(&r);
	client_release(&staff);
}

/* A cluster across two compounds leads to the queue of the period, not
 * to one compound; for those who may not open one of its reports it is
 * not a cluster at all. */
static void test_cluster_across_compounds(void **state)
{
	struct client staff, volunteer;
	struct response r;
	const char *k;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/map", 200, &r);
	assert_false(has_marker(r.body, across_h));
	k = strstr(r.body, "<a href=\"/cases?from=");
	assert_non_null(k);
	assert_non_null(strstr(k, "<title>此处 2 件报事"));
	response_release(&r);
	client_release(&staff);
	login_as(&volunteer, "volunteer");
	get(&volunteer, "/cases/map", 200, &r);
	assert_true(has_marker(r.body, across_h));
	assert_null(strstr(r.body, "<a href=\"/cases?from="));
	response_release(&r);
	client_release(&volunteer);
}

/* visit checks one plan page for c: every case marker opens with 200 for
 * c, and the private cases' markers appear only when sees_private; it
 * follows the clusters' zoom links once. Returns the markers seen. */
static int visit(struct client *c, const char *user, const char *path, int sees_private, int depth)
{
	static const char *const marker = "<a href=\"/cases/";
	struct response r, one;
	const char *p;
	int seen = 0;

	get(c, path, 200, &r);
	for (p = strstr(r.body, marker); p; p = strstr(p + 1, marker)) {
		char page[64];
		long long id = strtoll(p + strlen(marker), NULL, 10);
		if (id <= 0)
			continue;
		if ((id == dispute_a || id == dispute_b || id == across_dispute) && !sees_private)
			fail_msg("%s sees private case %lld on %s", user, id, path);
		snprintf(page, sizeof(page), "/cases/%lld", id);
		assert_int_equal(api(c, &srv, "GET", page, NULL, &one), 0);
		if (one.status != 200)
			fail_msg("%s: marker of %s on %s opens with %ld", user, page, path,
				 one.status);
		response_release(&one);
		seen++;
	}
	if (!sees_private && strstr(r.body, "邻里纠纷 · "))
		fail_msg("%s sees a dispute's tooltip on %s", user, path);
	/* the cluster's counts say nothing of private cases either */
	for (p = strstr(r.body, "<a href=\"/cases/map?"); depth && p;
	     p = strstr(p + 1, "<a href=\"/cases/map?")) {
		char next[300];
		size_t n = 0;
		for (const char *q = p + strlen("<a href=\""); *q != '"' && n < sizeof(next) - 1;
		     q++) {
			next[n++] = *q;
			if (!strncmp(q, "&amp;", 5))
				q += 4;
		}
		next[n] = 0;
		seen += visit(c, user, next, sees_private, depth - 1);
	}
	response_release(&r);
	return seen;
}

static void test_each_role_sees_only_what_it_may_open(void **state)
{
	/* in the order of demo_users: who may open private cases; -1 for
	 * roles refused the plan */
	static const int sees_private[NDEMO_USERS] = {1, 1, 1, 1, 0, -1, -1, 0};
	int seen[NDEMO_USERS] = {0};

	(void)state;
	for (int k = 0; k < NDEMO_USERS; k++) {
		struct client c;
		struct response r;
		login_as(&c, demo_users[k]);
		if (sees_private[k] < 0) {
			get(&c, "/cases/map", 403, &r);
			assert_null(strstr(r.body, "<a href=\"/cases/"));
			response_release(&r);
		} else {
			seen[k] =
			    visit(&c, demo_users[k], "/cases/map?closed=1", sees_private[k], 1);
		}
		client_release(&c);
	}
	/* the committee does see the disputes, so the rule is what hid them */
	for (int k = 0; k < NDEMO_USERS; k++)
		if (sees_private[k] == 0 && seen[k] >= seen[2])
			fail_msg("%s sees %d markers, staff %d", demo_users[k], seen[k], seen[2]);
}

static void test_geojson_export_and_refused_import(void **state)
{
	struct client staff, resident;
	struct response r;
	char type[80], *before = NULL, *after = NULL, *out = NULL, *bad, *at;
	int rc;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/api/v1/plan.geojson", 200, &r);
	assert_non_null(header_value(&r, "Content-Type", type, sizeof(type)));
	assert_string_equal(type, "application/geo+json");
	assert_int_equal(count_of(r.body, "\"type\":\"Feature\""), 45);
	assert_non_null(strstr(r.body, "\"name\":\"芷江西路\""));
	assert_non_null(strstr(r.body, "\"compound\":\"普善华庭\""));
	before = strdup(r.body);
	response_release(&r);
	login_as(&resident, "resident");
	get(&resident, "/api/v1/plan.geojson", 403, &r);
	response_release(&r);
	client_release(&resident);

	/* one bad coordinate in the third feature: nothing is written */
	bad = malloc(strlen(before) + 8);
	at = strstr(before, "\"features\":[");
	for (int i = 0; i < 3; i++)
		at = strstr(at + 1, "\"coordinates\":");
	at += strlen("\"coordinates\":");
	at += strspn(at, "[");
	snprintf(bad, strlen(before) + 8, "%.*s\"x\"%s", (int)(at - before), before,
		 at + strspn(at, "0123456789.-"));
	rc = run_cli(&srv, bad, &out, "plan", "import", "-", NULL);
	assert_int_equal(rc, 1);
	if (!strstr(out, "要素 3：有坐标点不是 [经度, 纬度]，或超出范围") ||
	    !strstr(out, "文件有错误，未写入任何数据"))
		fail_msg("import said: %s", out);
	free(out);
	free(bad);
	/* a compound the registry does not know */
	rc = run_cli(&srv,
		     "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		     "\"properties\":{\"kind\":\"compound\",\"name\":\"无名小区\"},\"geometry\":"
		     "{\"type\":\"Polygon\",\"coordinates\":[[[121.45,31.25],[121.451,31.25],"
		     "[121.451,31.251],[121.45,31.25]]]}}]}",
		     &out, "plan", "import", "-", NULL);
	assert_int_equal(rc, 1);
	if (!strstr(out, "要素 1：没有名为“无名小区”的小区"))
		fail_msg("import said: %s", out);
	free(out);
	/* the same building twice */
	rc = run_cli(&srv,
		     "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
		     "\"properties\":{\"kind\":\"building\",\"name\":\"1号楼\",\"compound\":"
		     "\"普善苑\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.45,"
		     "31.25],[121.4501,31.25],[121.4501,31.2501],[121.45,31.25]]]}},{\"type\":"
		     "\"Feature\",\"properties\":{\"kind\":\"building\",\"name\":\"1号楼\","
		     "\"compound\":\"普善苑\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
		     "[[[121.45,31.25],[121.4501,31.25],[121.4501,31.2501],[121.45,31.25]]]}}]}",
		     &out, "plan", "import", "-", NULL);
	assert_int_equal(rc, 1);
	if (!strstr(out, "要素 2：“普善苑 1号楼”的轮廓出现了两次"))
		fail_msg("import said: %s", out);
	free(out);
	get(&staff, "/api/v1/plan.geojson", 200, &r);
	assert_string_equal(r.body, before);
	response_release(&r);

	/* what was exported imports back to the same plan */
	rc = run_cli(&srv, before, &out, "plan", "import", "-", NULL);
	if (rc || !strstr(out, "已导入平面图：45 个要素"))
		fail_msg("import said (%d): %s", rc, out);
	free(out);
	/* audited: the demo's and this one, with the counts before and after */
	{
		char n[32];
		sql_query(n, sizeof(n),
			  "SELECT COUNT(*) FROM audit_log WHERE entity = 'plan_features' AND"
			  " action = 'import' AND after_json LIKE '%\"buildings\":34%';");
		assert_string_equal(n, "2");
	}
	get(&staff, "/api/v1/plan.geojson", 200, &r);
	after = strdup(r.body);
	response_release(&r);
	assert_string_equal(after, before);
	free(before);
	free(after);
	client_release(&staff);
}

/* The plaza's and the meter's pages show where they are on the same plan,
 * the place ringed. */
static void test_noise_pages_show_the_place(void **state)
{
	struct client staff;
	struct response r;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/schedule", 200, &r);
	assert_non_null(strstr(r.body, "<figure class=\"plaza-where\">"));
	assert_int_equal(count_of(r.body, "class=\"plan-building\""), 34);
	assert_non_null(strstr(r.body, "class=\"plan-here\""));
	assert_non_null(strstr(r.body, ">五月花商业广场</text>"));
	response_release(&r);
	get(&staff, "/noise/live", 200, &r);
	assert_non_null(
	    strstr(r.body, "<details class=\"live-where\"><summary>监测点在平面图上的位置"));
	assert_non_null(strstr(r.body, "class=\"plan-here\""));
	response_release(&r);
	get(&staff, "/cases/map", 200, &r);
	assert_int_equal(count_of(r.body, "class=\"plan-place\""), 1);
	response_release(&r);
	client_release(&staff);
}

/* With a tile service set (this program's server runs with 天地图's
 * template and map_tiles_crs gcj02), the plan page adds Leaflet from
 * linli's own /vendor route, lets images come from the tile host and no
 * other, and hands the script the footprints in GCJ-02: in Shanghai
 * about 0.0044 degrees east and 0.0021 south of WGS-84. */
static void test_plan_over_tiles(void **state)
{
	struct client staff, anon;
	struct response r;
	char csp[400];
	const char *data, *geo;
	double lon, lat, wlon, wlat;

	(void)state;
	login_as(&staff, "staff");
	get(&staff, "/cases/map", 200, &r);
	assert_non_null(header_value(&r, "Content-Security-Policy", csp, sizeof(csp)));
	assert_non_null(strstr(csp, "img-src 'self' data: https://*.tianditu.gov.cn;"));
	assert_non_null(strstr(csp, "script-src 'self';"));
	assert_non_null(strstr(r.body, "<script src=\"/vendor/leaflet/leaflet.min.js\" defer>"));
	assert_null(strstr(r.body, "unpkg"));
	assert_non_null(strstr(r.body, "data-attribution=\"审图号：GS(2024)0568号\""));
	data = strstr(r.body, "<script type=\"application/json\" id=\"plan-data\">");
	assert_non_null(data);
	/* the first footprint's first point, against the export's */
	data = strstr(data, "\"coordinates\":[[[");
	assert_non_null(data);
	lon = strtod(data + strlen("\"coordinates\":[[["), (char **)&data);
	lat = strtod(data + 1, NULL);
	response_release(&r);
	get(&staff, "/api/v1/plan.geojson", 200, &r);
	geo = strstr(r.body, "\"coordinates\":[[[");
	wlon = strtod(geo + strlen("\"coordinates\":[[["), (char **)&geo);
	wlat = strtod(geo + 1, NULL);
	response_release(&r);
	if (!(lon - wlon > 0.0040 && lon - wlon < 0.0049 && wlat - lat > 0.0017 &&
	      wlat - lat < 0.0025))
		fail_msg("GCJ-02 %.6f,%.6f from WGS-84 %.6f,%.6f", lon, lat, wlon, wlat);
	/* the pages without tiles keep the house's policy */
	get(&staff, "/cases", 200, &r);
	assert_non_null(header_value(&r, "Content-Security-Policy", csp, sizeof(csp)));
	assert_string_equal(csp, "default-src 'self'; img-src 'self' data:; style-src 'self'; "
				 "script-src 'self'; frame-ancestors 'none'");
	response_release(&r);
	client_release(&staff);
	/* Leaflet itself, from Debian's package, to anyone; nothing else there */
	client_init(&anon);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/vendor/leaflet/leaflet.min.js", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	assert_non_null(header_value(&r, "Content-Type", csp, sizeof(csp)));
	assert_string_equal(csp, "text/javascript; charset=utf-8");
	assert_true(r.len > 100000);
	response_release(&r);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/vendor/leaflet/leaflet.js.map", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	response_release(&r);
	client_release(&anon);
}

static void test_report_picker_uses_the_plan(void **state)
{
	struct client anon;
	struct response r;

	(void)state;
	client_init(&anon);
	assert_int_equal(
	    request(&anon, &srv, "GET", "/report?category=repair", NULL, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	/* the same drawing, with the projection the page script inverts */
	assert_non_null(strstr(r.body, "<div class=\"field plan-picker\" hidden>"));
	assert_non_null(strstr(r.body, "data-lat0=\"31.2"));
	assert_non_null(strstr(r.body, "data-scale=\""));
	assert_int_equal(count_of(r.body, "class=\"plan-compound\""), 4);
	assert_int_equal(count_of(r.body, "class=\"plan-building\""), 34);
	assert_null(strstr(r.body, "name=\"plan_x\"")); /* the point is lat/long now */
	response_release(&r);
	client_release(&anon);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(setup_cases),
	    cmocka_unit_test(test_plan_is_drawn_to_scale),
	    cmocka_unit_test(test_marker_sits_in_its_building),
	    cmocka_unit_test(test_overlapping_markers_cluster),
	    cmocka_unit_test(test_cluster_across_compounds),
	    cmocka_unit_test(test_each_role_sees_only_what_it_may_open),
	    cmocka_unit_test(test_geojson_export_and_refused_import),
	    cmocka_unit_test(test_noise_pages_show_the_place),
	    cmocka_unit_test(test_report_picker_uses_the_plan),
	    cmocka_unit_test(test_plan_over_tiles),
	};
	/* a tile service, as an operator would set it (no tile is fetched) */
	server_extra_args[0] = "--map-tiles";
	server_extra_args[1] =
	    "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&TILEMATRIX={z}&TILEROW={y}"
	    "&TILECOL={x}&tk=KEY";
	server_extra_args[2] = "--map-tiles-crs";
	server_extra_args[3] = "gcj02";
	setenv("LINLI_MAP_TILES_ATTRIBUTION", "审图号：GS(2024)0568号", 1);
	return cmocka_run_group_tests_name("http_cases_plan", tests, srv_setup, srv_teardown);
}
