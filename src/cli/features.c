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
#include "../home/home.h"
#include "../hours/hours.h"
#include "../meetings/meetings.h"
#include "../pets/pets.h"
#include "../noise/noise.h"
#include "../plaza/plaza.h"
#include "../registry/registry.h"
#include "../report/report.h"
#include "../roster/cli.h"
#include "../schedule/cli.h"
#include "../survey/survey.h"
#include "../web/core.h"
#include "../web/page.h"
#include "../web/router.h"

#include <stddef.h>

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

static int pets_routes_add(struct router *r, const struct config *cfg)
{
	return pets_add_routes(r);
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
    {"pets", pets_routes_add, pets_nav, pets_commands, pets_jobs},
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

const struct nav_item *cli_nav(void)
{
	static struct nav_item all[64];
	size_t n = 0;

	if (all[0].href)
		return all;
	for (const struct feature *f = features; f->name; f++)
		for (const struct nav_item *i = f->nav; i && i->href; i++)
			if (n + 1 < sizeof(all) / sizeof(all[0]))
				all[n++] = *i;
	all[n] = (struct nav_item){NULL, NULL, 0};
	return all;
}
