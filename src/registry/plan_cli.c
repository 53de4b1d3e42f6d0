/* `linli plan import FILE.geojson` replaces an area's site plan, checking
 * the whole file first (nothing is written when any feature is bad);
 * `linli plan export` writes it back as GeoJSON. */
#include "registry.h"
#include "../base/buf.h"
#include "../base/command.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_FILE_MAX ((size_t)32 << 20) /* bytes of GeoJSON */

static const char *cli_lang(struct cmd_ctx *ctx)
{
	return ctx->lang && !strncmp(ctx->lang, "en", 2) ? "en" : "zh-CN";
}

static int plan_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	int dry_run = 0, npos = 0, rc;
	const struct opt opts[] = {{"--dry-run", OPT_FLAG, &dry_run, 0, 0},
				   {NULL, OPT_FLAG, NULL, 0, 0}};
	const char *pos[1], *lang = cli_lang(ctx);
	struct registry_plan p;
	struct buf errors;
	char *data;
	size_t len = 0;

	if (opts_parse(opts, argc, argv, pos, 1, &npos) || npos != 1) {
		fprintf(stderr, "用法 usage: linli plan import FILE.geojson [--dry-run]\n");
		return LIN_EXIT_USAGE;
	}
	data = buf_read_file(pos[0], PLAN_FILE_MAX, &len);
	if (!data) {
		fprintf(stderr, "linli: 无法读取 cannot read %s\n", pos[0]);
		return 1;
	}
	buf_init(&errors, (size_t)1 << 20);
	rc = registry_plan_parse(data, len, lang, &errors, &p);
	free(data);
	if (!rc && cmd_open(ctx)) {
		registry_plan_release(&p);
		buf_release(&errors);
		return 1;
	}
	if (!rc)
		rc = registry_plan_match(ctx->db, ctx->area, lang, &errors, &p);
	if (!rc && !dry_run)
		rc = registry_plan_replace(ctx->db, ctx->area, "cli", &p);
	fputs(errors.buf, stderr);
	if (rc == LIN_EINVAL)
		fprintf(stderr, "%s\n", i18n_t(lang, "plan.import_refused"));
	else if (rc)
		fprintf(stderr, "linli: %s\n", i18n_t(lang, "plan.import_failed"));
	else {
		printf(i18n_t(lang, dry_run ? "plan.import_dry_fmt" : "plan.import_done_fmt"), p.n);
		putchar('\n');
	}
	registry_plan_release(&p);
	buf_release(&errors);
	return rc ? 1 : 0;
}

static int plan_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, OPT_FLAG, NULL, 0, 0}};
	struct registry_plan p;
	const char *pos[1];
	json_t *doc;
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, pos, 0, &npos)) {
		fprintf(stderr, "用法 usage: linli plan export\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = registry_plan_load(ctx->db, ctx->area, &p);
	doc = rc ? NULL : registry_plan_geojson(&p);
	if (doc)
		rc = json_dumpf(doc, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10)) ? LIN_EIO : 0;
	else if (!rc)
		rc = LIN_ENOMEM;
	if (!rc)
		putchar('\n');
	json_decref(doc);
	registry_plan_release(&p);
	if (rc)
		fprintf(stderr, "linli: %s\n", lin_strerror(rc));
	return rc ? 1 : 0;
}

const struct command registry_plan_commands[] = {
    {"plan import", plan_import, CMD_AREA, "FILE.geojson [--dry-run] [--area CODE]",
     "导入平面图（小区和楼栋轮廓、道路），整份检查，有错不写 import the site plan "
     "(footprints, roads) as GeoJSON; nothing is written if any feature is bad"},
    {"plan export", plan_export, CMD_AREA, "[--area CODE]",
     "导出平面图为 GeoJSON export the site plan as GeoJSON"},
    {NULL, NULL, 0, NULL, NULL},
};
