/* Door-to-door survey campaigns (大走访大调研): a questionnaire with
 * conditional questions, the buildings covered and the volunteers of each,
 * visits recorded on a phone, findings filed as cases, coverage on the
 * site plan, answer statistics and exports. This header is what the
 * composition root and the demo use. */
#ifndef LINLI_SURVEY_SURVEY_H
#define LINLI_SURVEY_SURVEY_H

#include "../web/page.h"

#include <stdint.h>

struct db;
struct router;

/* survey_add_routes: the pages and the JSON API (/api/v1/surveys...). */
int survey_add_routes(struct router *r);
/* survey_nav: the campaigns (and a volunteer's doors). */
extern const struct nav_item survey_nav[];

/* survey_demo writes the finished pet-waste survey of the 五月花 compound
 * before now: its questionnaire, buildings and volunteers, the visits of
 * every door with their answers, and the findings filed as cases, through
 * the feature's own store (deterministic). Needs duty's demo volunteers
 * and the standard case categories. */
int survey_demo(struct db *db, int64_t area_id, int64_t now);

#endif
