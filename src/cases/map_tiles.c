/* The site plan over a tile service (Leaflet, Debian's copy): the
 * footprints and the points a page hands over, in the tiles' datum
 * (WGS-84, or GCJ-02 for Chinese tile services), and Leaflet itself served
 * from /vendor/leaflet/ so the page never loads a script from another
 * site. map.c hands it the case markers the reader may open. */
#include "map.h"
#include "cases.h"
#include "../registry/registry.h"
#include "../web/html.h"
#include "../web/router.h"
#include "../base/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEAFLET_DIR "/usr/share/javascript/leaflet" /* Debian's libjs-leaflet */

/* map_vendor_leaflet answers GET /vendor/leaflet/NAME with Debian's copy of
 * Leaflet, so the page never loads a script from another site. */
int map_vendor_leaflet(struct http_req *req, struct http_resp *resp)
{
	static const char *const names[] = {"leaflet.min.js", "leaflet.css", NULL};
	const char *name = req_param(req, 0);
	char path[128], *data;
	size_t len = 0;
	int k;

	for (k = 0; names[k] && strcmp(names[k], name ? name : ""); k++)
		;
	if (!names[k])
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	snprintf(path, sizeof(path), "%s/%s", LEAFLET_DIR, names[k]);
	data = buf_read_file(path, (size_t)2 << 20, &len);
	if (!data)
		return resp_error(req, resp, 404, "not_found", "err.not_found");
	resp->status = 200;
	resp->content_type = k ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
	resp_header(req, resp, "Cache-Control", "public, max-age=86400");
	k = buf_add(&resp->body, data, len);
	free(data);
	return k;
}

/* tile_source: the Content-Security-Policy source of a tile template's
 * host: for "https://t{s}.example.cn/{z}/{x}/{y}.png" the wildcard
 * "https://" then "*.example.cn". */
static const char *tile_source(struct http_req *req, const char *url)
{
	const char *host = strstr(url, "://"), *end;
	const char *s;

	if (!host)
		return NULL;
	host += 3;
	end = host + strcspn(host, "/?#");
	s = strstr(host, "{s}");
	if (s && s < end) {
		/* the label holding {s} becomes a wildcard */
		const char *label = s;
		while (label > host && label[-1] != '.')
			label--;
		if (label != host)
			return NULL; /* {s} below the first label: no CSP form for it */
		label = s + strcspn(s, ".");
		return arena_printf(req->arena, "%.*s*%.*s", (int)(host - url), url,
				    (int)(end - label), label);
	}
	return arena_printf(req->arena, "%.*s", (int)(end - url), url);
}

/* lonlat_json: a point as [lon, lat] in the tiles' datum. */
static json_t *lonlat_json(const struct cases_map_tiles *t, int64_t lon, int64_t lat)
{
	double y = (double)lat / 1e6, x = (double)lon / 1e6;

	if (t->crs && !strcmp(t->crs, "gcj02"))
		registry_wgs84_to_gcj02(y, x, &y, &x);
	return json_pack("[ff]", x, y);
}

/* map_tiles_layer writes what the page script needs to draw the plan over
 * the tile service with Leaflet: the footprints (GeoJSON) and the points,
 * in the tiles' datum. The SVG plan stays the page's plan without
 * scripts. */
void map_tiles_layer(struct http_req *req, struct http_resp *resp, struct html *h,
		     const struct registry_plan *plan, const struct map_point *pts, int npts,
		     const struct cases_map_tiles *t)
{
	json_t *feats = json_array(), *markers = json_array(), *doc;
	char *text;

	resp->csp_img = tile_source(req, t->url);
	for (int i = 0; i < plan->n; i++) {
		const struct plan_feature *f = &plan->f[i];
		int line = f->kind == PLAN_ROAD || f->kind == PLAN_PATH;
		json_t *ring = json_array();
		for (int k = 0; k <= f->npoints; k++) {
			if (k == f->npoints && line)
				break;
			json_array_append_new(ring, lonlat_json(t, f->pt[k % f->npoints][0],
								f->pt[k % f->npoints][1]));
		}
		json_array_append_new(
		    feats,
		    json_pack("{s:s, s:{s:s, s:i}, s:{s:s, s:o}}", "type", "Feature", "properties",
			      "name", f->name ? f->name : "", "kind", (int)f->kind, "geometry",
			      "type", line ? "LineString" : "Polygon", "coordinates",
			      line ? ring : json_pack("[o]", ring)));
	}
	for (int i = 0; i < npts; i++) {
		int64_t lon, lat;
		registry_plan_lonlat(plan, pts[i].x, pts[i].y, &lon, &lat);
		json_array_append_new(
		    markers, json_pack("{s:o, s:I, s:s, s:s}", "at", lonlat_json(t, lon, lat), "id",
				       (json_int_t)pts[i].id, "fill", pts[i].fill, "title",
				       pts[i].title ? pts[i].title : ""));
	}
	doc = json_pack("{s:{s:s, s:o}, s:o}", "plan", "type", "FeatureCollection", "features",
			feats, "markers", markers);
	text = doc ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
	json_decref(doc);
	if (!text)
		return;
	/* the data block is not run, but "</" must not close it */
	for (char *c = strstr(text, "</"); c; c = strstr(c + 1, "</"))
		c[1] = '?';
	html_printf(h,
		    "<link rel=\"stylesheet\" href=\"/vendor/leaflet/leaflet.css\">"
		    "<script src=\"/vendor/leaflet/leaflet.min.js\" defer></script>"
		    "<script src=\"/static/plan-tiles.js\" defer></script>"
		    "<div class=\"plan-tiles\" hidden data-url=\"%s\" data-attribution=\"%s\">"
		    "</div><script type=\"application/json\" id=\"plan-data\">%R</script>",
		    t->url, t->attribution ? t->attribution : "", text);
	free(text);
}
