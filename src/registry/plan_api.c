/* GET /api/v1/plan.geojson: the area's site plan as GeoJSON, for a GIS or
 * a tile-backed map, read by whoever may read the compounds. */
#include "registry.h"
#include "../base/err.h"
#include "../web/http.h"
#include "../web/router.h"

#include <jansson.h>
#include <stdlib.h>

static int plan_geojson(struct http_req *req, struct http_resp *resp)
{
	struct registry_plan p;
	json_t *doc;
	char *text;
	int rc = registry_plan_load(req->db, req->sess.area_id, &p);

	if (rc)
		return rc;
	doc = registry_plan_geojson(&p);
	registry_plan_release(&p);
	text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(doc);
	if (!text)
		return LIN_ENOMEM;
	rc = resp_text(resp, 200, "application/geo+json", text);
	free(text);
	return rc;
}

int registry_plan_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/api/v1/plan.geojson", plan_geojson, PERM_PLACES_READ, 0, NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}
