/* The site plan's geometry and GeoJSON reading (src/registry/plan.c) at
 * the edge of each rule: a point exactly on a footprint's edge or corner
 * is inside, one micro-degree beyond is not; the projection and its
 * inverse agree and keep true distances; a spot chosen for a case lies
 * inside even a concave footprint; and a file with one bad feature is
 * refused whole, each problem named with its feature's number in the
 * reader's language. */
#include "registry/registry.h"
#include "base/buf.h"
#include "base/err.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A square 100 x 100 micro-degrees with its corner at (121452000, 31256000). */
static int64_t square_pt[4][2] = {
    {121452000, 31256000}, {121452100, 31256000}, {121452100, 31256100}, {121452000, 31256100}};
static struct plan_feature square = {PLAN_BUILDING, 1, 1, 0, "1号楼", "甲", 4, square_pt};

/* An L: the square without its top-right quarter (concave). */
static int64_t ell_pt[6][2] = {{0, 0}, {100, 0}, {100, 50}, {50, 50}, {50, 100}, {0, 100}};
static struct plan_feature ell = {PLAN_COMPOUND, 1, 0, 0, "L", NULL, 6, ell_pt};

static void edges_and_corners_are_inside(void **state)
{
	(void)state;
	/* on each edge, at each corner */
	assert_true(registry_plan_contains(&square, 121452050, 31256000));
	assert_true(registry_plan_contains(&square, 121452100, 31256050));
	assert_true(registry_plan_contains(&square, 121452050, 31256100));
	assert_true(registry_plan_contains(&square, 121452000, 31256050));
	for (int k = 0; k < 4; k++)
		assert_true(registry_plan_contains(&square, square_pt[k][0], square_pt[k][1]));
	/* inside, and one micro-degree beyond each edge */
	assert_true(registry_plan_contains(&square, 121452050, 31256050));
	assert_false(registry_plan_contains(&square, 121452050, 31255999));
	assert_false(registry_plan_contains(&square, 121452101, 31256050));
	assert_false(registry_plan_contains(&square, 121452050, 31256101));
	assert_false(registry_plan_contains(&square, 121451999, 31256050));
	/* the L's notch is outside, its inner corner and edges inside */
	assert_false(registry_plan_contains(&ell, 75, 75));
	assert_true(registry_plan_contains(&ell, 50, 50));
	assert_true(registry_plan_contains(&ell, 75, 50));
	assert_true(registry_plan_contains(&ell, 50, 75));
	assert_false(registry_plan_contains(&ell, 51, 51));
	assert_true(registry_plan_contains(&ell, 25, 99));
	/* a line contains nothing */
	{
		struct plan_feature road = {PLAN_ROAD, 0, 0, 0, "路", NULL, 2, square_pt};
		assert_false(registry_plan_contains(&road, 121452050, 31256000));
	}
}

static void spots_fall_inside(void **state)
{
	int64_t lon, lat, lon2, lat2;

	(void)state;
	for (uint64_t seed = 1; seed < 2000; seed++) {
		registry_plan_spot(&ell, seed, &lon, &lat);
		if (!registry_plan_contains(&ell, lon, lat))
			fail_msg("seed %llu: %lld,%lld outside the L", (unsigned long long)seed,
				 (long long)lon, (long long)lat);
		registry_plan_spot(&ell, seed, &lon2, &lat2);
		assert_true(lon == lon2 && lat == lat2); /* the same on every visit */
	}
}

static const char *collection(const char *features, char *out, size_t n)
{
	snprintf(out, n, "{\"type\":\"FeatureCollection\",\"features\":[%s]}", features);
	return out;
}

#define PUSHAN_LOOP                                                                                \
	"[[121.450,31.255],[121.452,31.255],[121.452,31.257],[121.450,31.257],[121.450,31.255]]"
#define PUSHAN_RING "[" PUSHAN_LOOP "]"
#define GOOD_COMPOUND                                                                              \
	"{\"type\":\"Feature\",\"properties\":{\"kind\":\"compound\",\"name\":\"普善新村\"},"  \
	"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" PUSHAN_RING "}}"
#define GOOD_ROAD                                                                                  \
	"{\"type\":\"Feature\",\"properties\":{\"kind\":\"road\",\"name\":\"芷江西路\"},"      \
	"\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[121.449,31.2548],[121.453,"       \
	"31.2548]]}}"

static void projection_keeps_distances(void **state)
{
	struct registry_plan p;
	struct buf errors;
	char doc[2000];
	double x1, y1, x2, y2;
	int64_t lon, lat;

	(void)state;
	buf_init(&errors, 4096);
	collection(GOOD_COMPOUND "," GOOD_ROAD, doc, sizeof(doc));
	assert_int_equal(registry_plan_parse(doc, strlen(doc), "zh-CN", &errors, &p), 0);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.f[0].npoints, 4); /* the ring is kept open */
	assert_int_equal(p.width, PLAN_WIDTH);
	/* north up: the compound's north edge is above its south edge */
	registry_plan_xy(&p, 121450000, 31257000, &x1, &y1);
	registry_plan_xy(&p, 121450000, 31255000, &x2, &y2);
	assert_true(y1 < y2);
	/* 0.002 degrees of latitude is 222.4 m, at any longitude */
	assert_true(fabs((y2 - y1) / p.scale - 222.39) < 0.05);
	/* 0.002 degrees of longitude at 31.256 N is 190.1 m */
	registry_plan_xy(&p, 121452000, 31255000, &x1, &y1);
	assert_true(fabs((x1 - x2) / p.scale - 190.11) < 0.05);
	/* the inverse comes back to the micro-degree */
	registry_plan_lonlat(&p, x1, y1, &lon, &lat);
	assert_true(llabs(lon - 121452000) <= 1 && llabs(lat - 31255000) <= 1);
	/* everything fits in the viewBox */
	for (int i = 0; i < p.n; i++)
		for (int k = 0; k < p.f[i].npoints; k++) {
			registry_plan_xy(&p, p.f[i].pt[k][0], p.f[i].pt[k][1], &x1, &y1);
			assert_true(x1 >= 0 && x1 <= p.width && y1 >= 0 && y1 <= p.height);
		}
	registry_plan_release(&p);
	buf_release(&errors);
}

/* refused: doc is refused and the errors include want. */
static void refused(const char *lang, const char *doc, const char *want)
{
	struct registry_plan p;
	struct buf errors;

	buf_init(&errors, 1 << 16);
	if (registry_plan_parse(doc, strlen(doc), lang, &errors, &p) != LIN_EINVAL)
		fail_msg("accepted: %s", doc);
	assert_int_equal(p.n, 0);
	assert_null(p.f);
	if (!strstr(errors.buf, want))
		fail_msg("said \"%s\", want \"%s\"", errors.buf, want);
	buf_release(&errors);
}

static void bad_files_are_refused_whole(void **state)
{
	char doc[4000];

	(void)state;
	/* one bad coordinate in the second feature: the file is refused */
	refused("zh-CN",
		collection(GOOD_COMPOUND ","
					 "{\"type\":\"Feature\",\"properties\":{\"kind\":\"road\"},"
					 "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
					 "[[121.449,31.2548],[121.453,\"31.2548\"]]}}",
			   doc, sizeof(doc)),
		"要素 2：有坐标点不是 [经度, 纬度]，或超出范围");
	refused("en",
		collection(GOOD_ROAD ","
				     "{\"type\":\"Feature\",\"properties\":{\"kind\":\"road\"},"
				     "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
				     "[[181,31.2548],[121.453,31.2548]]}}",
			   doc, sizeof(doc)),
		"feature 2: a point is not [longitude, latitude] or is out of range");
	/* a ring not closed, too short, with a hole; the wrong geometry */
	refused(
	    "zh-CN",
	    collection("{\"type\":\"Feature\",\"properties\":{\"kind\":\"compound\",\"name\":"
		       "\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.45,31.25],"
		       "[121.46,31.25],[121.46,31.26],[121.45,31.26]]]}}",
		       doc, sizeof(doc)),
	    "要素 1：多边形的首尾点应相同（闭合）");
	refused(
	    "zh-CN",
	    collection("{\"type\":\"Feature\",\"properties\":{\"kind\":\"compound\",\"name\":"
		       "\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[121.45,31.25],"
		       "[121.46,31.25],[121.45,31.25]]]}}",
		       doc, sizeof(doc)),
	    "要素 1：多边形至少要有 4 个点");
	refused("zh-CN",
		collection("{\"type\":\"Feature\",\"properties\":{\"kind\":\"compound\",\"name\":"
			   "\"A\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[" PUSHAN_LOOP
			   "," PUSHAN_LOOP "]}}",
			   doc, sizeof(doc)),
		"要素 1：多边形不能有内环（洞）");
	refused("zh-CN",
		collection("{\"type\":\"Feature\",\"properties\":{\"kind\":\"building\",\"name\":"
			   "\"1号楼\",\"compound\":\"A\"},\"geometry\":{\"type\":\"LineString\","
			   "\"coordinates\":[[121.45,31.25],[121.46,31.25]]}}",
			   doc, sizeof(doc)),
		"要素 1：小区、楼栋和场所的几何应为 Polygon");
	/* properties: an unknown kind, a building without its compound */
	refused("zh-CN",
		collection(GOOD_ROAD ",{\"type\":\"Feature\",\"properties\":{\"kind\":\"river\"},"
				     "\"geometry\":null}",
			   doc, sizeof(doc)),
		"要素 2：类型（properties.kind）“river”无效");
	refused(
	    "zh-CN",
	    collection("{\"type\":\"Feature\",\"properties\":{\"kind\":\"building\",\"name\":"
		       "\"1号楼\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" PUSHAN_RING
		       "}}",
		       doc, sizeof(doc)),
	    "要素 1：楼栋缺少所属小区");
	/* latitude and longitude swapped in one feature */
	refused("zh-CN",
		collection(GOOD_COMPOUND ","
					 "{\"type\":\"Feature\",\"properties\":{\"kind\":\"path\"},"
					 "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
					 "[[31.2548,121.449],[31.2548,121.453]]}}",
			   doc, sizeof(doc)),
		"要素 2：有坐标点不是 [经度, 纬度]，或超出范围");
	refused("zh-CN",
		collection(GOOD_COMPOUND ","
					 "{\"type\":\"Feature\",\"properties\":{\"kind\":\"path\"},"
					 "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
					 "[[121.449,31.2548],[122.2,31.2548]]}}",
			   doc, sizeof(doc)),
		"要素 2：有坐标点离其他要素超过 25 公里");
	/* not GeoJSON at all */
	refused("zh-CN", "[1,2]", "不是 GeoJSON 的 FeatureCollection");
	refused("zh-CN", "{\"type\":", "不是有效的 JSON");
}

static void export_reads_back_the_same(void **state)
{
	struct registry_plan p, q;
	struct buf errors;
	char doc[2000], *text;
	json_t *out;

	(void)state;
	buf_init(&errors, 4096);
	collection(GOOD_COMPOUND "," GOOD_ROAD, doc, sizeof(doc));
	assert_int_equal(registry_plan_parse(doc, strlen(doc), "zh-CN", &errors, &p), 0);
	out = registry_plan_geojson(&p);
	text = json_dumps(out, JSON_COMPACT | JSON_REAL_PRECISION(10));
	assert_int_equal(registry_plan_parse(text, strlen(text), "zh-CN", &errors, &q), 0);
	assert_int_equal(q.n, p.n);
	for (int i = 0; i < p.n; i++) {
		assert_int_equal(q.f[i].kind, p.f[i].kind);
		assert_string_equal(q.f[i].name, p.f[i].name);
		assert_int_equal(q.f[i].npoints, p.f[i].npoints);
		assert_memory_equal(q.f[i].pt, p.f[i].pt, sizeof(*p.f[i].pt) * p.f[i].npoints);
	}
	free(text);
	json_decref(out);
	registry_plan_release(&p);
	registry_plan_release(&q);
	buf_release(&errors);
}

/* GCJ-02 against the reference pairs published with eviltransform (its
 * tests): WGS-84 in, the tile services' coordinates out, to 1e-6 degree
 * (0.1 m); and no shift outside China. */
static void gcj02_matches_reference_pairs(void **state)
{
	static const double pairs[][4] = {
	    {31.1774276, 121.5272106, 31.17530398364597, 121.531541859215}, /* Shanghai */
	    {22.543847, 113.912316, 22.540796131694766, 113.9171764808363}, /* Shenzhen */
	    {39.911954, 116.377817, 39.91334545536069, 116.38404722455657}, /* Beijing */
	};
	double lat, lon;

	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		registry_wgs84_to_gcj02(pairs[i][0], pairs[i][1], &lat, &lon);
		if (fabs(lat - pairs[i][2]) > 1e-6 || fabs(lon - pairs[i][3]) > 1e-6)
			fail_msg("pair %zu: %.9f,%.9f, want %.9f,%.9f", i, lat, lon, pairs[i][2],
				 pairs[i][3]);
	}
	registry_wgs84_to_gcj02(48.8584, 2.2945, &lat, &lon); /* Paris */
	assert_true(lat == 48.8584 && lon == 2.2945);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(edges_and_corners_are_inside),
	    cmocka_unit_test(spots_fall_inside),
	    cmocka_unit_test(projection_keeps_distances),
	    cmocka_unit_test(bad_files_are_refused_whole),
	    cmocka_unit_test(export_reads_back_the_same),
	    cmocka_unit_test(gcj02_matches_reference_pairs),
	};
	return cmocka_run_group_tests_name("test_registry_plan", tests, NULL, NULL);
}
