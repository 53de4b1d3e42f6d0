/* The plaza's subcommands: `linli plaza hours` shows or sets the area's
 * evening slots, prime time and night; `linli schedule publish` plans,
 * checks and publishes a week's timetable; `linli schedule export` writes
 * the area's week as the optimiser's model. */
#include "plaza.h"
#include "instance.h"
#include "publish.h"
#include "store.h"
#include "../base/buf.h"
#include "../base/command.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../schedule/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* one_period: "HH:MM-HH:MM" as two minutes; night may wrap past midnight
 * ("22:00-06:00"), other periods may not. */
static int one_period(const char *s, int wrap, int *a, int *b)
{
	int per[1][2];
	char copy[16];
	const char *dash = strchr(s, '-');

	if (parse_periods(s, per, 1) == 1) {
		*a = per[0][0];
		*b = per[0][1];
		return 0;
	}
	if (!wrap || !dash || strlen(s) != 11)
		return LIN_EINVAL;
	/* A wrapping night: check each end as a period of its own. */
	snprintf(copy, sizeof(copy), "%.5s-24:00", s);
	if (parse_periods(copy, per, 1) != 1)
		return LIN_EINVAL;
	*a = per[0][0];
	snprintf(copy, sizeof(copy), "00:00-%s", dash + 1);
	if (parse_periods(copy, per, 1) != 1)
		return LIN_EINVAL;
	*b = per[0][1];
	return 0;
}

static int plaza_cli_hours(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *night = NULL, *evening = NULL, *prime = NULL, *slot = NULL;
	const struct opt opts[] = {
	    {"--night", OPT_TEXT, &night, 0, 0}, {"--evening", OPT_TEXT, &evening, 0, 0},
	    {"--prime", OPT_TEXT, &prime, 0, 0}, {"--slot", OPT_TEXT, &slot, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct plaza_hours h;
	struct db *db;
	int64_t area, v;
	int rc, npos;
	char a[6], b[6], c[6], d[6], e[6], f[6];

	if (opts_parse(opts, argc, argv, NULL, 0, &npos))
		goto usage;
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	area = ctx->area;
	rc = plaza_hours_get(db, area, &h);
	if (rc) {
		fprintf(stderr, "linli: 无法读取居民区设置 cannot read the area: %s\n",
			lin_strerror(rc));
		return 1;
	}
	if ((night && one_period(night, 1, &h.night_start, &h.night_end)) ||
	    (evening && one_period(evening, 0, &h.evening_start, &h.evening_end)) ||
	    (prime && one_period(prime, 0, &h.prime_start, &h.prime_end)) ||
	    (slot && parse_int64(slot, 5, 240, &v))) {
		fprintf(stderr, "linli: 时段应为 HH:MM-HH:MM（夜间可跨零点，如 22:00-06:00），"
				"时段长度 5-240 分钟 periods must be HH:MM-HH:MM (the night may "
				"wrap past midnight, e.g. 22:00-06:00), slots 5-240 minutes\n");
		return LIN_EXIT_USAGE;
	}
	if (slot)
		h.slot = (int)v;
	if (night || evening || prime || slot) {
		rc = plaza_hours_set(db, area, &h, "cli");
		if (rc) {
			fprintf(stderr, "linli: 无法保存 cannot save: %s\n", lin_strerror(rc));
			return 1;
		}
	}
	plaza_hhmm(h.night_start, a);
	plaza_hhmm(h.night_end, b);
	plaza_hhmm(h.evening_start, c);
	plaza_hhmm(h.evening_end, d);
	plaza_hhmm(h.prime_start, e);
	plaza_hhmm(h.prime_end, f);
	printf("夜间 night    %s-%s\n傍晚 evening  %s-%s, %d 分钟一段 min slots\n"
	       "黄金时段 prime %s-%s\n",
	       a, b, c, d, h.slot, e, f);
	return 0;
usage:
	fprintf(stderr, "用法 usage: linli plaza hours [--night HH:MM-HH:MM] [--evening "
			"HH:MM-HH:MM] [--slot MINUTES] [--prime HH:MM-HH:MM]\n");
	return LIN_EXIT_USAGE;
}

/* week_monday: the Monday of week (a date), or of next week when NULL. */
static int week_monday(const char *week, char monday[11])
{
	int64_t t = (int64_t)time(NULL) + 7 * 86400;

	if (week && plaza_monday_epoch(week, &t)) {
		fprintf(stderr, "linli: --week 应为日期 YYYY-MM-DD --week must be a date\n");
		return LIN_EXIT_USAGE;
	}
	/* Any day names its week. */
	plaza_local(t + 43200, NULL, NULL, monday);
	return 0;
}

static int plaza_cli_publish(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *week = NULL, *solver = "auto";
	int64_t limit = 0;
	const struct opt opts[] = {
	    {"--week", OPT_TEXT, &week, 0, 0},
	    {"--solver", OPT_TEXT, &solver, 0, 0},
	    {"--time-limit", OPT_INT, &limit, 1, 3600},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct sched_options o;
	struct plaza_published out;
	char monday[11];
	int rc, npos;

	sched_options_default(&o);
	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || sched_solver_parse(solver, &o.solver))
		goto usage;
	if (limit)
		o.time_limit = (double)limit;
	if (week_monday(week, monday))
		return LIN_EXIT_USAGE;
	if (cmd_open(ctx))
		return 1;
	rc = plaza_publish(ctx->db, ctx->area, monday, &o, 0, "cli", &out);
	if (out.warning[0])
		fprintf(stderr, "linli: %s\n", out.warning);
	if (rc) {
		fprintf(stderr, "linli: 时间表没有发布 the timetable was not published: %s\n",
			out.error[0] ? out.error : lin_strerror(rc));
		return 1;
	}
	printf("%s: %d/%d 场 sessions, objective %lld, %s%s, %.2f s, 最小余量 least headroom "
	       "%.2f dB\n",
	       monday, out.placed, out.wanted, (long long)out.objective, out.solver,
	       out.optimal ? " (optimal)" : "", out.seconds,
	       out.worst_margin_centi == INT64_MAX ? 0.0 : (double)out.worst_margin_centi / 100);
	return 0;
usage:
	fprintf(stderr, "用法 usage: linli schedule publish [--week YYYY-MM-DD] [--solver "
			"heuristic|cbc|auto] [--time-limit SECONDS]\n");
	return LIN_EXIT_USAGE;
}

/* plaza_cli_export writes the area's week (the week of DATE week, default
 * next week) as the optimiser's model: an LP file, or the instance as JSON
 * when json is set, to path ("-" or NULL: standard output). Exit status. */
static int plaza_cli_export(struct cmd_ctx *ctx, const char *week, int json, const char *path)
{
	struct plaza_week w;
	char monday[11];
	int rc = week_monday(week, monday);

	if (rc)
		return rc;
	if (cmd_open(ctx))
		return 1;
	rc = plaza_week_build(ctx->db, ctx->area, monday, &w);
	if (rc) {
		fprintf(stderr,
			"linli: 无法读取广场（分区、敏感点、舞队） cannot read the plaza (zones, "
			"receptors, teams): %s\n",
			rc == LIN_ENOTFOUND ? "no zones" : lin_strerror(rc));
		return 1;
	}
	if (!json) {
		rc = sched_cli_export_lp(&w.in, path);
	} else {
		struct buf b;
		FILE *out = path && strcmp(path, "-") ? fopen(path, "w") : stdout;
		buf_init(&b, BUF_DEFAULT_MAX);
		rc = out && !sched_instance_to_json(&w.in, &b) &&
			     fwrite(b.buf, 1, b.len, out) == b.len
			 ? 0
			 : 1;
		if (out && out != stdout && fclose(out))
			rc = 1;
		if (rc)
			fprintf(stderr, "linli: 无法写出 cannot write %s\n", path ? path : "-");
		buf_release(&b);
	}
	plaza_week_release(&w);
	return rc;
}

/* linli schedule export: a file's instance is the optimiser's business
 * (--instance); without one, the area's plaza for a week, from the
 * database, is the plaza's. */
static int plaza_cli_schedule_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *week = NULL, *output = NULL;
	int lp = 0, json = 0, npos;
	const struct opt opts[] = {
	    {"--lp", OPT_FLAG, &lp, 0, 0},     {"--json", OPT_FLAG, &json, 0, 0},
	    {"--week", OPT_TEXT, &week, 0, 0}, {"-o", OPT_TEXT, &output, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--instance"))
			return sched_cli_export(ctx, argc, argv);
	if (opts_parse(opts, argc, argv, NULL, 0, &npos))
		goto usage;
	if (lp == json)
		goto usage;
	return plaza_cli_export(ctx, week, json, output);
usage:
	fprintf(stderr,
		"用法 usage: linli schedule export --lp --instance INSTANCE.json [-o FILE]\n"
		"       linli schedule export --lp|--json [--week YYYY-MM-DD] [-o FILE]\n");
	return LIN_EXIT_USAGE;
}

const struct command plaza_commands[] = {
    {"plaza hours", plaza_cli_hours, CMD_AREA,
     "[--night HH:MM-HH:MM] [--evening HH:MM-HH:MM] [--slot MINUTES] [--prime HH:MM-HH:MM]",
     "傍晚时段、黄金时段与夜间 the evening slots, prime time and night"},
    {"schedule publish", plaza_cli_publish, CMD_AREA,
     "[--week YYYY-MM-DD] [--solver heuristic|cbc|auto] [--time-limit SECONDS]",
     "排出、校核并发布一周的错峰时间表 plan, check and publish a week's timetable"},
    {"schedule export", plaza_cli_schedule_export, CMD_AREA,
     "--lp --instance INSTANCE.json [-o FILE] | --lp|--json [--week YYYY-MM-DD] [-o FILE]",
     "把排班模型导出为 LP 文件 the schedule's MIP as an LP file"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
