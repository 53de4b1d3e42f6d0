/* Streets and districts (街道, 区) over their residential areas: the
 * overview a street office's staff read their areas on side by side, the
 * way into one area's own pages, the roll-up monthly report, and the
 * command line's `linli area add|list|import`. docs/scale.md ("Streets
 * and districts") tells the rules; this header is what the command line
 * may call. */
#ifndef LINLI_REGION_REGION_H
#define LINLI_REGION_REGION_H

#include "../base/command.h"
#include "../web/page.h"

#include <stdint.h>

struct db;
struct router;

/* region_add_routes: /region, /region/enter, /region/report(.xlsx),
 * /api/v1/region/areas. */
int region_add_routes(struct router *r);
/* region_nav: the link to the street's overview. */
extern const struct nav_item region_nav[];
/* region_commands: linli area add | list | import. */
extern const struct command region_commands[];

/* region_demo: two more small areas in the street of area_id, with a few
 * residents, Party members and cases each (deterministic from now), and
 * the street's account "jiedao" (password pushan-jiedao), so the
 * overview has something to compare. Written through the features' own
 * functions; nothing when the areas exist. */
#define REGION_DEMO_USER "jiedao"
int region_demo(struct db *db, int64_t area_id, int64_t now);

#endif
