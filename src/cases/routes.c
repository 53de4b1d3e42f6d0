/* The cases feature's routes and its navigation items. The router prefers
 * a literal segment over a capture, so /cases/new is never read as a case
 * id whatever the order below. */
#include "internal.h"
#include "cases.h"
#include "map.h"
#include "open311.h"
#include "../web/page.h"
#include "../web/router.h"

const struct nav_item cases_nav[] = {
    {"/cases", "nav.cases", PERM_CASES_READ},
    {"/inbox", "case.inbox", PERM_CASES_WORK},
    {"/report", "nav.report", PERM_SIGNED_IN},
    {NULL, NULL, 0},
};

int cases_stats_routes(struct router *r);

int cases_add_routes(struct router *r, const struct cases_uploads *up,
		     const struct cases_map_tiles *tiles)
{
	int rc = cases_stats_routes(r);

	if (!rc)
		rc = cases_api_routes(r);
	if (!rc)
		rc = cases_report_routes(r, up);
	if (!rc)
		rc = cases_track_routes(r);
	if (!rc)
		rc = cases_queue_routes(r);
	if (!rc)
		rc = cases_case_routes(r, up->dir);
	if (!rc)
		rc = cases_inbox_routes(r);
	if (!rc)
		rc = cases_map_routes(r, tiles);
	if (!rc)
		rc = open311_add_routes(r, up);
	return rc;
}
