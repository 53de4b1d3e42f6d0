/* The site plan of cases (map.c): /cases/map, and the plan on which the
 * report forms choose a point. Internal to the cases feature. */
#ifndef LINLI_CASES_MAP_H
#define LINLI_CASES_MAP_H

#include <stdint.h>

struct html;
struct http_req;
struct router;

/* Compounds have no geometry in the registry, so the map lays them out
 * on a 1000 x 1000 plan as a grid in id order, the same on every visit. */
#define MAP_SIZE       1000 /* plan units across and down */
#define MAP_MARGIN     20   /* plan edge to the first compound */
#define MAP_GAP	       40   /* between compounds: the roads */
#define MAP_LABEL_BAND 110  /* top of a compound kept clear for its name */

/* A compound's place on the plan. */
struct map_rect {
	int x, y; /* top-left corner, plan units */
	int w, h; /* size, plan units */
};

/* map_cell: where compound i of n (in id order) sits: a grid of
 * ceil(sqrt(n)) columns and as many rows as needed. */
void map_cell(int n, int i, struct map_rect *out);
/* map_jitter: a spot inside r, below its label band and clear of its
 * edges, chosen from the case id alone, so a case without a point of its
 * own stays in the same place on every visit. */
void map_jitter(int64_t case_id, const struct map_rect *r, int *x, int *y);

struct cases_map_tiles;
/* cases_map_routes: GET /cases/map, drawn over tiles when tiles->url is
 * set (tiles is the route's data, borrowed). */
int cases_map_routes(struct router *r, const struct cases_map_tiles *tiles);
struct http_resp;
struct registry_plan;
/* A point drawn over the tiles: a case marker, or whatever a page shows. */
struct map_point {
	int64_t id;	   /* what the point links to (the page script's business) */
	double x, y;	   /* plan units of the registry_plan handed over */
	const char *fill;  /* "#rrggbb" */
	const char *title; /* its tooltip, plain text */
};
/* map_tiles_layer (map_tiles.c) writes what the page script needs to draw
 * plan and pts over the tile service t->url with Leaflet, and allows the
 * tiles' host in the page's image policy. */
void map_tiles_layer(struct http_req *req, struct http_resp *resp, struct html *h,
		     const struct registry_plan *plan, const struct map_point *pts, int npts,
		     const struct cases_map_tiles *t);
/* map_vendor_leaflet answers GET /vendor/leaflet/:name (Debian's Leaflet). */
int map_vendor_leaflet(struct http_req *req, struct http_resp *resp);

/* cases_plan_picker writes, for the report forms, the site plan on which a
 * tap chooses plan_x/plan_y (shown only when the page script runs). */
void cases_plan_picker(struct http_req *req, struct html *h, int64_t area);

#endif
