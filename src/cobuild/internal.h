/* What the files of src/cobuild share and no other feature may include:
 * the store's functions (store.c, all the SQL), the matching over the
 * stored lists, and each file's routes. */
#ifndef LINLI_COBUILD_INTERNAL_H
#define LINLI_COBUILD_INTERNAL_H

#include "cobuild.h"
#include "model.h"
#include "../web/router.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct session;
struct http_req;

/* ---- store.c: every write in its own transaction with its audit entry;
 * s is the acting session (NULL: the command line or the demo). On
 * LIN_EINVAL, LIN_ENOTFOUND, LIN_EPERM or LIN_ECONFLICT *key names the
 * i18n message (cobuild.err.*). ---- */

struct visit_in {
	int64_t unit_id;
	const char *visited_on; /* YYYY-MM-DD, not in the future */
	const char *visitor, *learned;
};
int cobuild_visit_add(struct db *db, const struct session *s, int64_t area_id,
		      const struct visit_in *in, int64_t today, int64_t *id, const char **key);

struct need_in {
	const char *title, *kind, *source, *for_whom;
	const char *starts_on, *ends_on;
	int64_t amount, compound_id, visit_id;
};
int cobuild_need_add(struct db *db, const struct session *s, int64_t area_id,
		     const struct need_in *in, int64_t *id, const char **key);

struct resource_in {
	int64_t unit_id;
	const char *title, *kind;
	const char *available_from, *available_to;
	int64_t amount, compound_id, visit_id;
};
int cobuild_resource_add(struct db *db, const struct session *s, int64_t area_id,
			 const struct resource_in *in, int64_t *id, const char **key);

/* cobuild_claim: unit_id asks for need_id with resource_id (0: none
 * named yet; else one of the unit's own); direction "claim" (the unit's
 * liaison: the unit side is confirmed) or "offer" (the committee: its
 * side confirmed). Refused, nothing changed: a need not open
 * (LIN_ECONFLICT cobuild.err.matched), a pending claim of the same unit
 * for the need (LIN_ECONFLICT cobuild.err.pending). OUT: *id. */
int cobuild_claim(struct db *db, const struct session *s, int64_t area_id, int64_t need_id,
		  int64_t unit_id, int64_t resource_id, const char *direction, int64_t now,
		  int64_t *id, const char **key);
/* cobuild_confirm: side "unit" (as_unit: the liaison's unit, which must
 * be the claim's) or "committee" confirms claim_id; when both sides have,
 * the claim is matched, the need matched, its other pending claims
 * withdrawn and the project formed (or joined). LIN_ECONFLICT
 * cobuild.err.matched when the need was matched meanwhile, LIN_EPERM for
 * another unit's claim. OUT: *project_id (0 until matched). */
int cobuild_confirm(struct db *db, const struct session *s, int64_t area_id, int64_t claim_id,
		    const char *side, int64_t as_unit, int64_t now, int64_t *project_id,
		    const char **key);
/* cobuild_project_minutes: the minutes unit_id's volunteers served on
 * project_id (0..100000), and the project done when done. */
int cobuild_project_minutes(struct db *db, const struct session *s, int64_t area_id,
			    int64_t project_id, int64_t unit_id, int64_t minutes, int done,
			    const char **key);
/* cobuild_liaison_link: the account username speaks for unit_id
 * (replacing any unit it spoke for); unit_id 0 unlinks. */
int cobuild_liaison_link(struct db *db, const struct session *s, int64_t area_id,
			 const char *username, int64_t unit_id, const char **key);

/* ---- reads: new JSON arrays the caller decrefs, also on error. unit_id
 * 0 reads the whole area (the committee); a liaison's unit narrows each
 * list to the unit's own entries (needs: the open ones, to claim, and
 * those the unit claimed). ---- */
int cobuild_liaison_unit(struct db *db, int64_t area_id, int64_t user_id, int64_t *unit_id);
int cobuild_liaisons_json(struct db *db, int64_t area_id, json_t **out);
int cobuild_units_json(struct db *db, int64_t area_id, json_t **out);
int cobuild_compounds_json(struct db *db, int64_t area_id, json_t **out);
int cobuild_unit_get(struct db *db, int64_t area_id, int64_t unit_id, json_t **out);
int cobuild_needs_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out);
int cobuild_resources_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out);
int cobuild_projects_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out);
int cobuild_claims_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out);
int cobuild_visits_json(struct db *db, int64_t area_id, int64_t unit_id, json_t **out);
/* cobuild_unit_year: {unit, year, visits:[], resources:[], projects:[],
 * minutes} of unit_id in year. */
int cobuild_unit_year(struct db *db, int64_t area_id, int64_t unit_id, int year, json_t **out);

/* cobuild_proposals: for each open need, the best resource (model.h)
 * with its score part by part: [{need: {...}, resource: {...} | null,
 * unit, score: {total, kind, time, capacity, distance, load,
 * overlap_days, need_days, same_compound, asks}}]. now: the present. */
int cobuild_proposals(struct db *db, int64_t area_id, int64_t now, json_t **out);

/* ---- shared by pages and API ---- */
/* cobuild_reader_unit: the unit the reader speaks for (a liaison), 0 for
 * the committee and Party members (the whole area), -1 for a liaison
 * linked to no unit (sees nothing). */
int64_t cobuild_reader_unit(struct http_req *req);
int cobuild_is_committee(struct http_req *req);
int cobuild_this_year(void);
int64_t cobuild_today(void);

extern const struct route cobuild_page_routes[];
extern const struct route cobuild_unit_routes[];
extern const struct route cobuild_api_routes[];

#endif
