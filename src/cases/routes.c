/* Where the cases feature's routes go in the table. Fixed paths come
 * before "/cases/:id" so that /cases/new is not read as a case id. */
#include "internal.h"
#include "cases.h"
#include "open311.h"
#include "../web/router.h"

int cases_stats_routes(struct router *r);

int cases_add_routes(struct router *r)
{
	/* /api/v1/cases/stats and /cases/stats before /api/v1/cases/:id. */
	int rc = cases_stats_routes(r);

	if (!rc)
		rc = cases_api_routes(r);
	if (!rc)
		rc = cases_public_report_routes(r);
	if (!rc)
		rc = cases_track_routes(r);
	if (!rc)
		rc = cases_queue_routes(r);
	if (!rc)
		rc = cases_case_routes(r);
	if (!rc)
		rc = cases_inbox_routes(r);
	if (!rc)
		rc = open311_add_routes(r);
	return rc;
}
