/* The owners' assemblies' route hook and navigation: the pages and the
 * API of the vote (pages*.c, api.c), and the doors' and channels' routes
 * (their files add themselves here). */
#include "internal.h"
#include "../web/router.h"

int assembly_add_routes(struct router *r, const struct cases_uploads *up)
{
	int rc = router_add(r, assembly_page_routes);

	if (!rc)
		rc = router_add(r, assembly_result_routes);
	if (!rc)
		rc = router_add(r, assembly_api_routes);
	if (!rc) /* doors */
		rc = assembly_doors_routes(r);
	if (!rc) /* channels */
		rc = assembly_channels_routes(r, up);
	return rc;
}

const struct nav_item assembly_nav[] = {
    {"/assemblies", "nav.assemblies", PERM_ASSEMBLY_READ},
    {"/assemblies/doors", "assembly.doors.nav", PERM_ASSEMBLY_DOORS}, /* doors */
    {NULL, NULL, 0},
};
