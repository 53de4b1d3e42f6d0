/* The demo's site plan: plausible footprints of the four compounds and
 * their buildings around 普善居民区 on 芷江西路, Jing'an, Shanghai (about
 * 31.256 N, 121.452 E), with the roads between them. Laid out in metres
 * (x east, y north, around that centre) at realistic sizes: six-storey
 * walk-ups about 54 x 11 m in rows 30 m apart, point towers about 28 x 18
 * m, then written as GeoJSON through the same import as `linli plan
 * import`, so the demo also exercises it. The plan is invented; the
 * roads' names are real. */
#include "plan.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../registry/registry.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define LAT0	31.2560	  /* the area's centre */
#define LON0	121.4520  /* " */
#define EARTH_M 6371008.8 /* mean Earth radius, metres */

/* A rectangle in local metres: centre, size, turned by deg (counter-clockwise). */
struct rect {
	double x, y, w, h, deg;
};

/* A road or path: a straight line in local metres. */
static const struct {
	const char *kind, *name;
	double x1, y1, x2, y2;
} lines[] = {
    {"road", "芷江西路", -420, -205, 420, -205},
    {"road", "普善路", 0, -205, 0, 250},
    {"road", "大统路", -392, -205, -392, 250},
    {"path", "", -392, 232, 380, 232},
    {"path", "", -200, 15, -15, 15},
    {"path", "", 200, 90, 15, 90},
};

/* Where each compound is, and where its buildings stand. */
static const struct rect compound_box[DEMO_COMPOUNDS] = {
    {-195, -95, 350, 205, 0}, /* 普善新村: south-west */
    {-195, 125, 350, 190, 0}, /* 普善苑: north-west */
    {190, -60, 350, 270, 0},  /* 五月花小区: south-east */
    {135, 160, 230, 125, 0},  /* 普善华庭: north-east */
};

static const struct rect plaza_box = {290, -80, 130, 60, 0};

/* building b (0-based) of compound c, with floors storeys */
static struct rect building_rect(int c, int b, int floors)
{
	struct rect r = {0, 0, 54, 11, 0};

	switch (c) {
	case 0: /* twelve walk-ups, three columns of four rows */
		r.x = -300 + (b % 3) * 105;
		r.y = -165 + (b / 3) * 42;
		break;
	case 1: /* six walk-ups, two columns, then two slab blocks */
		if (b < 6) {
			r.x = -300 + (b % 2) * 95;
			r.y = 60 + (b / 2) * 40;
		} else {
			r.w = 42, r.h = 15;
			r.x = -95;
			r.y = 75 + (b - 6) * 70;
		}
		break;
	case 2: /* ten towers, two rows of five, slightly turned */
		r.w = floors >= 26 ? 30 : 28, r.h = 18, r.deg = 8;
		r.x = 50 + (b % 5) * 66;
		r.y = -140 + (b / 5) * 120;
		break;
	default: /* four mid-rise blocks */
		r.w = 40, r.h = 16;
		r.x = 60 + (b % 2) * 110;
		r.y = 130 + (b / 2) * 55;
		break;
	}
	return r;
}

/* lonlat: local metres as degrees. */
static void lonlat(double x, double y, double *lon, double *lat)
{
	*lat = LAT0 + y / EARTH_M * 180 / M_PI;
	*lon = LON0 + x / (EARTH_M * cos(LAT0 * M_PI / 180)) * 180 / M_PI;
}

/* ring writes r's corners as a closed GeoJSON ring. */
static void ring(struct buf *b, const struct rect *r)
{
	static const double corner[5][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}, {-1, -1}};
	double c = cos(r->deg * M_PI / 180), s = sin(r->deg * M_PI / 180);

	buf_adds(b, "[[");
	for (int k = 0; k < 5; k++) {
		double dx = corner[k][0] * r->w / 2, dy = corner[k][1] * r->h / 2, lon, lat;
		lonlat(r->x + dx * c - dy * s, r->y + dx * s + dy * c, &lon, &lat);
		buf_addf(b, "%s[%.7f,%.7f]", k ? "," : "", lon, lat);
	}
	buf_adds(b, "]]");
}

/* feature opens one Feature with its properties; close with "}}". */
static void feature(struct buf *b, const char *kind, const char *name, const char *compound,
		    const char *type)
{
	buf_addf(b, "%s{\"type\":\"Feature\",\"properties\":{\"kind\":\"%s\",\"name\":\"%s\"",
		 b->len > 40 ? "," : "", kind, name);
	if (compound)
		buf_addf(b, ",\"compound\":\"%s\"", compound);
	buf_addf(b, "},\"geometry\":{\"type\":\"%s\",\"coordinates\":", type);
}

int demo_write_footprints(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct registry_plan plan;
	struct buf doc, errors;
	int rc;

	buf_init(&doc, (size_t)1 << 20);
	buf_init(&errors, (size_t)1 << 16);
	buf_adds(&doc, "{\"type\":\"FeatureCollection\",\"features\":[");
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		double lon[2], lat[2];
		lonlat(lines[i].x1, lines[i].y1, &lon[0], &lat[0]);
		lonlat(lines[i].x2, lines[i].y2, &lon[1], &lat[1]);
		feature(&doc, lines[i].kind, lines[i].name, NULL, "LineString");
		buf_addf(&doc, "[[%.7f,%.7f],[%.7f,%.7f]]}}", lon[0], lat[0], lon[1], lat[1]);
	}
	for (int c = 0; c < DEMO_COMPOUNDS; c++) {
		feature(&doc, "compound", p->compounds[c].name, NULL, "Polygon");
		ring(&doc, &compound_box[c]);
		buf_adds(&doc, "}}");
	}
	/* the plaza, in 五月花小区's east between its two rows of towers */
	feature(&doc, "place", "五月花商业广场", NULL, "Polygon");
	ring(&doc, &plaza_box);
	buf_adds(&doc, "}}");
	for (int i = 0, seen[DEMO_COMPOUNDS] = {0}; i < p->nbuildings; i++) {
		const struct demo_building *bu = &p->buildings[i];
		struct rect r = building_rect(bu->compound, seen[bu->compound]++, bu->floors);
		feature(&doc, "building", bu->name, p->compounds[bu->compound].name, "Polygon");
		ring(&doc, &r);
		buf_adds(&doc, "}}");
	}
	buf_adds(&doc, "]}");
	rc = doc.failed ? LIN_ENOMEM : 0;
	if (!rc)
		rc = registry_plan_parse(doc.buf, doc.len, "en", &errors, &plan);
	if (!rc) {
		rc = registry_plan_match(db, area_id, "en", &errors, &plan);
		if (!rc)
			rc = registry_plan_write(db, area_id, "demo", &plan);
		registry_plan_release(&plan);
	}
	if (rc)
		log_error("demo: site plan: %s %s", lin_strerror(rc),
			  errors.failed ? "" : errors.buf);
	buf_release(&doc);
	buf_release(&errors);
	return rc;
}
