/* Co-building (共建): visits to the area's units, the three lists (needs,
 * resources, projects), two-way claiming confirmed by both sides, the
 * matching page and each unit's year. What other features may call: the
 * composition root (routes, nav, commands), the demo, and the residents'
 * portal (cobuild_resident_json). docs/cobuild.md. */
#ifndef LINLI_COBUILD_COBUILD_H
#define LINLI_COBUILD_COBUILD_H

#include "../base/command.h"
#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;

/* cobuild_add_routes: /cobuild/... pages and /api/v1/needs, resources,
 * projects, visits, claims, cobuild/match, cobuild/liaisons. */
int cobuild_add_routes(struct router *r);
/* cobuild_nav: the three lists. */
extern const struct nav_item cobuild_nav[];
/* cobuild_commands: linli cobuild link USER UNIT (a liaison's unit). */
extern const struct command cobuild_commands[];

/* cobuild_demo writes visits to the demo's units (the water-supply
 * station and the culture company among them), needs, resources, claims
 * and projects, and links the demo "liaison" account to the water-supply
 * station; deterministic, through the feature's own store. now: the
 * present (epoch seconds). */
int cobuild_demo(struct db *db, int64_t area_id, int64_t now);

/* cobuild_resident_json: for the residents' portal, what one account
 * raised (needs whose created_by is user_id) with each one's state and
 * project: a new JSON object {needs: [{id, title, kind, starts_on,
 * ends_on, amount, state, project_id, units: "name, name"}]}; the caller
 * decrefs *out, also on error. */
int cobuild_resident_json(struct db *db, int64_t area_id, int64_t user_id, json_t **out);

#endif
