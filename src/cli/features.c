/* The composition root: the one table that lists the features, with each
 * one's route hook, navigation items and subcommands. Adding a feature
 * means adding its row here and nothing else outside its folder. */
#include "cli.h"
#include "../assembly/assembly.h"
#include "../assembly/cli_tally.h"
#include "../base/command.h"
#include "../base/err.h"
#include "../db/jobs.h"
#include "../cases/cases.h"
#include "../cobuild/cobuild.h"
#include "../duty/duty.h"
#include "../events/events.h"
#include "../home/home.h"
#include "../hours/hours.h"
#include "../meetings/meetings.h"
#include "../pets/pets.h"
#include "../noise/noise.h"
#include "../plaza/plaza.h"
#include "../portal/portal.h"
#include "../region/region.h"
#include "../registry/registry.h"
#include "../report/report.h"
#include "../roster/cli.h"
#include "../schedule/cli.h"
#include "../survey/survey.h"
#include "../web/core.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stddef.h>
#include <string.h>

/* The route hooks as the table calls them: each feature takes only the
 * settings its routes carry. */
static int core_routes_add(struct router *r, const struct config *cfg)
{
	return router_add(r, core_routes);
}

static int cases_routes_add(struct router *r, const struct config *cfg)
{
	/* Borrowed by the routes for the process's life, as cfg is. */
	static struct cases_uploads up;
	static struct cases_map_tiles tiles;
	up.dir = cfg->upload_dir;
	up.min_free = cfg->upload_min_free;
	tiles.url = cfg->map_tiles;
	tiles.crs = cfg->map_tiles_crs;
	tiles.attribution = cfg->map_tiles_attribution;
	return cases_add_routes(r, &up, &tiles);
}

static int noise_routes_add(struct router *r, const struct config *cfg)
{
	return noise_add_routes(r);
}

static int plaza_routes_add(struct router *r, const struct config *cfg)
{
	return plaza_add_routes(r);
}

static int duty_routes_add(struct router *r, const struct config *cfg)
{
	return duty_add_routes(r);
}

static int home_routes_add(struct router *r, const struct config *cfg)
{
	return home_add_routes(r);
}

static int report_routes_add(struct router *r, const struct config *cfg)
{
	/* Borrowed by the routes for the process's life, as cfg is. */
	static struct cases_uploads up;
	up.dir = cfg->upload_dir;
	up.min_free = cfg->upload_min_free;
	return report_add_routes(r, &up);
}

static int hours_routes_add(struct router *r, const struct config *cfg)
{
	return hours_add_routes(r);
}

static int meetings_routes_add(struct router *r, const struct config *cfg)
{
	/* Borrowed by the routes for the process's life, as cfg is. */
	static struct cases_uploads up;
	up.dir = cfg->upload_dir;
	up.min_free = cfg->upload_min_free;
	return meetings_add_routes(r, &up);
}

static int assembly_routes_add(struct router *r, const struct config *cfg)
{
	/* Borrowed by the routes for the process's life, as cfg is. */
	static struct cases_uploads up;
	up.dir = cfg->upload_dir;
	up.min_free = cfg->upload_min_free;
	return assembly_add_routes(r, &up);
}

static int survey_routes_add(struct router *r, const struct config *cfg)
{
	return survey_add_routes(r);
}

static int cobuild_routes_add(struct router *r, const struct config *cfg)
{
	return cobuild_add_routes(r);
}

static int events_routes_add(struct router *r, const struct config *cfg)
{
	return events_add_routes(r);
}

static int pets_routes_add(struct router *r, const struct config *cfg)
{
	return pets_add_routes(r);
}

static int portal_routes_add(struct router *r, const struct config *cfg)
{
	return portal_add_routes(r);
}

static int region_routes_add(struct router *r, const struct config *cfg)
{
	return region_add_routes(r);
}

static int registry_routes_add(struct router *r, const struct config *cfg)
{
	return registry_add_routes(r);
}

/* The home link leads every menu: "/" is the work page for those who work
 * cases and the residents' page for everyone else (src/home). */
static const struct nav_item core_nav[] = {
    {"/", "nav.home", PERM_SIGNED_IN},
    {NULL, NULL, 0},
};

const struct feature features[] = {
    {"linli", core_routes_add, core_nav, cli_commands, NULL},
    {"cases", cases_routes_add, cases_nav, NULL, cases_jobs},
    {"noise", noise_routes_add, noise_nav, noise_commands, NULL},
    {"plaza", plaza_routes_add, NULL, plaza_commands, NULL},
    {"home", home_routes_add, NULL, home_commands, NULL},
    {"registry", registry_routes_add, registry_nav, registry_plan_commands, NULL},
    {"schedule", NULL, NULL, sched_commands, NULL},
    {"hours", hours_routes_add, hours_nav, hours_commands, NULL},
    {"roster", NULL, NULL, roster_commands, NULL},
    {"duty", duty_routes_add, duty_nav, duty_commands, duty_jobs},
    {"report", report_routes_add, report_nav, NULL, NULL},
    {"meetings", meetings_routes_add, meetings_nav, NULL, NULL},
    {"assembly", assembly_routes_add, assembly_nav, assembly_commands, NULL},
    {"assembly-tally", NULL, NULL, assembly_tally_commands, NULL},
    {"survey", survey_routes_add, survey_nav, NULL, NULL},
    {"cobuild", cobuild_routes_add, cobuild_nav, cobuild_commands, NULL},
    {"events", events_routes_add, events_nav, NULL, NULL},
    {"pets", pets_routes_add, pets_nav, pets_commands, pets_jobs},
    {"portal", portal_routes_add, NULL, portal_commands, NULL},
    {"region", region_routes_add, region_nav, region_commands, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

int cli_add_routes(struct router *r, const struct config *cfg)
{
	int rc = 0;

	for (const struct feature *f = features; !rc && f->name; f++)
		if (f->add_routes)
			rc = f->add_routes(r, cfg);
	return rc;
}

int cli_jobs(struct job *out, int max)
{
	int n = 0;

	for (const struct feature *f = features; f->name; f++)
		for (const struct job *j = f->jobs; j && j->name; j++) {
			if (n == max)
				return -1;
			out[n++] = *j;
		}
	return n;
}

/* The navigation's order and menus, for every feature at once: an item
 * listed here sits in its menu (NULL: on its own) in this order; items not
 * listed follow on their own, in the features' order. */
static const struct {
	const char *href, *group;
} nav_order[] = {
    {"/", NULL},
    {"/region", NULL},
    {"/cases", "nav.g.cases"},
    {"/inbox", "nav.g.cases"},
    {"/report", "nav.g.cases"},
    {"/compounds", "nav.g.places"},
    {"/buildings", "nav.g.places"},
    {"/households", "nav.g.places"},
    {"/residents", "nav.g.places"},
    {"/places", "nav.g.places"},
    {"/tags", "nav.g.places"},
    {"/branches", "nav.g.party"},
    {"/members", "nav.g.party"},
    {"/meetings", "nav.g.party"},
    {"/teams", "nav.g.service"},
    {"/duty", "nav.g.service"},
    {"/duty/my", "nav.g.service"},
    {"/hours", "nav.g.service"},
    {"/inspections", "nav.g.service"},
    {"/noise", NULL},
    {"/assemblies", "nav.g.owners"},
    {"/assemblies/doors", "nav.g.owners"},
    {"/surveys", "nav.g.owners"},
    {"/units", "nav.g.community"},
    {"/cobuild", "nav.g.community"},
    {"/events", "nav.g.community"},
    {"/pets", "nav.g.community"},
    {"/reports/monthly", NULL},
};

static struct nav_item nav_all[64];
static const char *nav_groups[64];

const char *const *cli_nav_groups(void)
{
	(void)cli_nav();
	return nav_groups;
}

const struct nav_item *cli_nav(void)
{
	struct nav_item *all = nav_all;
	const char **groups = nav_groups;
	const size_t cap = sizeof(nav_all) / sizeof(nav_all[0]) - 1;
	size_t n = 0;

	if (all[0].href)
		return all;
	for (size_t k = 0; k < sizeof(nav_order) / sizeof(nav_order[0]); k++)
		for (const struct feature *f = features; f->name; f++)
			for (const struct nav_item *i = f->nav; i && i->href; i++)
				if (!strcmp(i->href, nav_order[k].href) && n < cap) {
					groups[n] = nav_order[k].group;
					all[n++] = *i;
				}
	for (const struct feature *f = features; f->name; f++)
		for (const struct nav_item *i = f->nav; i && i->href; i++) {
			size_t k = 0;
			while (k < sizeof(nav_order) / sizeof(nav_order[0]) &&
			       strcmp(i->href, nav_order[k].href))
				k++;
			if (k == sizeof(nav_order) / sizeof(nav_order[0]) && n < cap) {
				groups[n] = NULL;
				all[n++] = *i;
			}
		}
	all[n] = (struct nav_item){NULL, NULL, 0};
	return all;
}
