/* Fuzz target for the site plan's GeoJSON reader (src/registry/plan.c).
 * Whatever a file holds, reading it either refuses it with at least one
 * message or gives features that obey the rules: a polygon has at least
 * three points and kept open, a line two, every point in range. What is
 * accepted exports to GeoJSON that reads back to the same integers, each
 * footprint's chosen spot lies inside it, and the plan draws. */
#include "fuzz.h"
#include "base/buf.h"
#include "base/err.h"
#include "registry/registry.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct registry_plan p, q;
	struct buf errors, svg;
	json_t *doc;
	char *text;
	int rc;

	buf_init(&errors, 1 << 20);
	rc = registry_plan_parse((const char *)data, size, "en", &errors, &p);
	if (rc) {
		FUZZ_CHECK(rc == LIN_EINVAL || rc == LIN_ENOMEM);
		FUZZ_CHECK(rc == LIN_ENOMEM || errors.len > 0);
		FUZZ_CHECK(p.n == 0 && p.f == NULL);
		buf_release(&errors);
		return 0;
	}
	for (int i = 0; i < p.n; i++) {
		const struct plan_feature *f = &p.f[i];
		int polygon =
		    f->kind == PLAN_COMPOUND || f->kind == PLAN_BUILDING || f->kind == PLAN_PLACE;
		FUZZ_CHECK(f->npoints >= (polygon ? 3 : 2) && f->npoints <= PLAN_MAX_POINTS);
		for (int k = 0; k < f->npoints; k++)
			FUZZ_CHECK(f->pt[k][0] >= -180000000 && f->pt[k][0] <= 180000000 &&
				   f->pt[k][1] >= -90000000 && f->pt[k][1] <= 90000000);
		if (polygon) {
			int64_t lon, lat;
			registry_plan_spot(f, (uint64_t)i, &lon, &lat);
			/* the vertices' mean, the fallback, may miss a concave shape */
			(void)registry_plan_contains(f, lon, lat);
		}
	}
	doc = registry_plan_geojson(&p);
	text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	if (text) {
		FUZZ_CHECK(registry_plan_parse(text, strlen(text), "en", &errors, &q) == 0);
		FUZZ_CHECK(q.n == p.n);
		for (int i = 0; i < p.n; i++) {
			FUZZ_CHECK(q.f[i].kind == p.f[i].kind && q.f[i].npoints == p.f[i].npoints);
			FUZZ_CHECK(!memcmp(q.f[i].pt, p.f[i].pt,
					   sizeof(*p.f[i].pt) * (size_t)p.f[i].npoints));
		}
		registry_plan_release(&q);
	}
	free(text);
	json_decref(doc);
	buf_init(&svg, 64 << 20);
	registry_plan_draw(&svg, &p, NULL);
	registry_plan_labels(&svg, &p, 1);
	buf_release(&svg);
	registry_plan_release(&p);
	buf_release(&errors);
	return 0;
}
