/* The live noise views: the staff's page of every meter now (/noise/live,
 * its event stream and GET /api/v1/noise/live) and the public display
 * beside a meter (/noise/display/<meter id>). See docs/noise.md. */
#ifndef LINLI_NOISE_LIVE_H
#define LINLI_NOISE_LIVE_H

struct router;

/* noise_live_add_routes adds the live page, its stream and JSON, and the
 * public display with its stream. */
int noise_live_add_routes(struct router *r);
/* noise_display_add_routes: the public display's two routes alone. */
int noise_display_add_routes(struct router *r);

#endif
