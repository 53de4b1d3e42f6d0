/* Owners' assemblies (业主大会) under Civil Code Art. 278: the roll, the
 * matters, ballots door to door, on paper (entered twice) and online, the
 * count and its public notice. This header is what the composition root,
 * `linli audit verify` and other features (the residents' portal: results
 * of assemblies) use. The count itself is in tally.h. */
#ifndef LINLI_ASSEMBLY_ASSEMBLY_H
#define LINLI_ASSEMBLY_ASSEMBLY_H

#include "../base/command.h"
#include "../web/page.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct router;
struct cases_uploads;

/* The roll is published (公示) this long before voting may open. */
#define ASSEMBLY_PUBLISH_DAYS 15

/* assembly_verify checks every ballot row against the content its audit
 * entry recorded (and that every ballot has one): a changed, added or
 * removed ballot is reported through line (one message per problem, zh
 * then en) and counted in *bad; *ballots is how many were checked. For
 * `linli audit verify`. Returns 0 or a db error. */
int assembly_verify(struct db *db, int64_t *ballots, int64_t *bad,
		    void (*line)(void *arg, const char *msg), void *arg);

/* assembly_public_results: the published results of the area's assemblies
 * (totals only, as on the public notice), newest first:
 * [{id, title, compound, closed_at, matters: [{code, item, title, rule,
 * passed, quorum_met, ...ratios as strings}]}]. The caller decrefs *out,
 * also on error. */
int assembly_public_results(struct db *db, int64_t area_id, json_t **out);

/* assembly_demo: one finished assembly of 五月花 (item 4 passes, item 6
 * fails) and one open assembly halfway through delivery, through the
 * feature's own store (deterministic). now: the demo's clock. */
int assembly_demo(struct db *db, int64_t area_id, int64_t now);

int assembly_add_routes(struct router *r, const struct cases_uploads *up);
extern const struct nav_item assembly_nav[];
/* `linli assembly tally|list|roll|...` */
extern const struct command assembly_commands[];

#endif
