/* The schedule subcommands: generate a random instance, solve one (the
 * heuristic, CBC, or both), check a timetable against an instance, and
 * export the MIP as an LP file. Messages go to stderr, Chinese first. */
#include "cli.h"
#include "schedule.h"
#include "internal.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/command.h"
#include "../base/opts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_MAX ((size_t)64 << 20)

/* read_text: the whole of path ("-": standard input), NUL-terminated, for
 * the caller to free; NULL with a message printed when it cannot. */
static char *read_text(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char chunk[65536], *data;
	struct buf b;
	size_t n;

	if (!f) {
		fprintf(stderr, "linli: 无法读取 cannot read %s\n", path);
		return NULL;
	}
	buf_init(&b, FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n))
			break;
	if (ferror(f))
		b.failed = 1;
	if (f != stdin)
		fclose(f);
	data = buf_detach(&b, len);
	buf_release(&b);
	if (!data)
		fprintf(stderr, "linli: 无法读取（或超过 64 MB） cannot read (or over 64 MB) %s\n",
			path);
	return data;
}

/* load_instance reads and validates an instance file; errors printed. */
static int load_instance(const char *path, struct sched_instance *in)
{
	char err[SCHED_MESSAGE_MAX];
	size_t len;
	char *text = read_text(path, &len);
	int rc;

	if (!text)
		return LIN_EIO;
	rc = sched_instance_from_json(text, len, in, err, sizeof(err));
	free(text);
	if (rc)
		fprintf(stderr, "linli: %s: %s\n", path, err);
	return rc;
}

/* parse_seconds: a plain decimal number of seconds in (0, 86400]. */
static int parse_seconds(const char *s, double *out)
{
	return (parse_decimal(s, 0, out) || !(*out > 0) || *out > 86400) ? LIN_EINVAL : 0;
}

/* ---- generate ---- */

static int sched_cli_generate(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t seed = 1, teams = -1, zones = -1, slots = -1, days = SCHED_MAX_DAYS;
	const struct opt opts[] = {
	    {"--seed", OPT_INT, &seed, 0, INT64_MAX},
	    {"--teams", OPT_INT, &teams, 0, SCHED_MAX_TEAMS},
	    {"--zones", OPT_INT, &zones, 1, SCHED_MAX_ZONES},
	    {"--slots", OPT_INT, &slots, 1, SCHED_MAX_SLOTS},
	    {"--days", OPT_INT, &days, 1, SCHED_MAX_DAYS},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct sched_instance in;
	struct buf out;
	int rc, npos;

	(void)ctx;
	if (opts_parse(opts, argc, argv, NULL, 0, &npos))
		goto usage;
	if (teams < 0 || zones < 0 || slots < 0)
		goto usage;
	rc = sched_random(&in, (uint64_t)seed, (int)teams, (int)zones, (int)slots, (int)days);
	if (rc) {
		fprintf(stderr, "linli: 无法生成实例 cannot generate the instance\n");
		return 1;
	}
	buf_init(&out, 0);
	rc = sched_instance_to_json(&in, &out);
	if (!rc)
		fputs(out.buf, stdout);
	buf_release(&out);
	sched_instance_release(&in);
	return rc ? 1 : 0;
usage:
	fprintf(stderr,
		"用法 usage: linli schedule generate --seed N --teams T --zones Z --slots S "
		"[--days D]\n");
	return LIN_EXIT_USAGE;
}

/* ---- solve ---- */

static void print_text(const struct sched_instance *in, const struct sched_timetable *tt,
		       const struct sched_check *c)
{
	char zh[64], en[64];

	printf("求解器 solver: %s，%s\n", sched_solver_name(tt->solver),
	       tt->optimal ? "已证最优 proven optimal" : "未证最优 not proven optimal");
	printf("目标值 objective: %lld（上界 bound %lld）\n", (long long)tt->objective,
	       (long long)tt->bound);
	printf("已安排 placed: %d / %d 场 sessions，用时 %.3f 秒 in %.3f s\n", c->placed, c->wanted,
	       tt->seconds, tt->seconds);
	if (c->worst_receptor >= 0) {
		sched_when(in, c->worst_day, c->worst_slot, zh, sizeof(zh), en, sizeof(en));
		printf("最小余量 worst margin: %.2f dB（%s，%s / %s）\n",
		       (double)c->worst_margin_centi / 100.0, in->receptor[c->worst_receptor].name,
		       zh, en);
	}
	for (int t = 0; t < in->nteams; t++) {
		const struct sched_plan *p = &tt->plan[t];
		printf("%s:", in->team[t].name);
		for (int k = 0; k < p->count; k++) {
			sched_when(in, p->session[k].day, p->session[k].slot, zh, sizeof(zh), en,
				   sizeof(en));
			printf(" %s %s;", zh, in->zone[p->session[k].zone].name);
		}
		if (p->count < in->team[t].sessions)
			printf(" 未安排 %d 场 %d unplaced: %s", in->team[t].sessions - p->count,
			       in->team[t].sessions - p->count, p->reason);
		putchar('\n');
	}
}

static int sched_cli_solve(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sched_options o;
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check check;
	char err[SCHED_MESSAGE_MAX] = "", warn[SCHED_MESSAGE_MAX] = "";
	const char *path = NULL, *solver = "auto", *limit = NULL;
	int json = 0, rc, npos;
	int64_t seed = -1;
	const struct opt opts[] = {
	    {"--seed", OPT_INT, &seed, 0, INT64_MAX},
	    {"--json", OPT_FLAG, &json, 0, 0},
	    {"--solver", OPT_TEXT, &solver, 0, 0},
	    {"--time-limit", OPT_TEXT, &limit, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	(void)ctx;
	sched_options_default(&o);
	if (opts_parse(opts, argc, argv, &path, 1, &npos))
		goto usage;
	if (seed >= 0)
		o.seed = (uint64_t)seed;
	if (sched_solver_parse(solver, &o.solver))
		goto usage;
	if (limit && parse_seconds(limit, &o.time_limit)) {
		fprintf(stderr, "linli: --time-limit 须为 0 到 86400 之间的秒数 must be seconds "
				"above 0, at most 86400\n");
		return LIN_EXIT_USAGE;
	}
	if (!path)
		goto usage;
	if (load_instance(path, &in))
		return 1;
	rc = sched_solve(&in, &o, &tt, err, sizeof(err), warn, sizeof(warn));
	if (rc) {
		fprintf(stderr, "linli: 求解失败 solving failed: %s\n", err);
		goto out;
	}
	if (warn[0])
		fprintf(stderr, "linli: 保留启发式结果 keeping the heuristic's timetable: %s\n",
			warn);
	/* Nothing leaves without passing the checker. */
	rc = sched_check(&in, &tt, &check);
	if (rc) {
		fprintf(stderr, "linli: 结果未通过检查 the timetable failed the check: %s\n",
			check.message);
		goto out;
	}
	if (json) {
		struct buf b;
		buf_init(&b, 0);
		rc = sched_timetable_to_json(&in, &tt, &check, &b);
		if (!rc)
			fputs(b.buf, stdout);
		buf_release(&b);
	} else {
		print_text(&in, &tt, &check);
	}
out:
	sched_timetable_release(&tt);
	sched_instance_release(&in);
	return rc ? 1 : 0;
usage:
	fprintf(stderr,
		"用法 usage: linli schedule solve INSTANCE.json [--solver heuristic|cbc|auto] "
		"[--time-limit SECONDS] [--seed N] [--json]\n");
	return LIN_EXIT_USAGE;
}

/* ---- check ---- */

static int sched_cli_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *pos[2];
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check check;
	char err[SCHED_MESSAGE_MAX];
	size_t len;
	char *text;
	int npos = 0, rc;

	(void)ctx;
	if (opts_parse(NULL, argc, argv, pos, 2, &npos))
		goto usage;
	if (npos != 2)
		goto usage;
	if (load_instance(pos[0], &in))
		return 1;
	text = read_text(pos[1], &len);
	if (!text) {
		sched_instance_release(&in);
		return 1;
	}
	rc = sched_timetable_from_json(&in, text, len, &tt, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "linli: %s: %s\n", pos[1], err);
	} else {
		rc = sched_check(&in, &tt, &check);
		if (rc) {
			printf("%s\n", check.message);
		} else {
			printf("ok：目标值 objective %lld，已安排 placed %d / %d",
			       (long long)check.objective, check.placed, check.wanted);
			if (check.worst_receptor >= 0)
				printf("，最小余量 worst margin %.2f dB (%s)",
				       (double)check.worst_margin_centi / 100.0,
				       in.receptor[check.worst_receptor].name);
			putchar('\n');
		}
	}
	sched_timetable_release(&tt);
	sched_instance_release(&in);
	return rc ? 1 : 0;
usage:
	fprintf(stderr, "用法 usage: linli schedule check INSTANCE.json TIMETABLE.json\n");
	return LIN_EXIT_USAGE;
}

/* ---- export ---- */

int sched_cli_export_lp(const struct sched_instance *in, const char *path)
{
	int to_stdout = !path || !strcmp(path, "-");
	FILE *f = to_stdout ? stdout : fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "linli: 无法写入 cannot write %s\n", path);
		return 1;
	}
	rc = sched_write_lp(in, f);
	if (!to_stdout && fclose(f))
		rc = LIN_EIO;
	else if (to_stdout && fflush(stdout))
		rc = LIN_EIO;
	if (rc)
		fprintf(stderr, "linli: 无法写出 LP 文件 cannot write the LP file: %s\n",
			lin_strerror(rc));
	return rc ? 1 : 0;
}

int sched_cli_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *instance = NULL, *output = NULL;
	struct sched_instance in;
	int lp = 0, rc, npos;
	const struct opt opts[] = {
	    {"--lp", OPT_FLAG, &lp, 0, 0},
	    {"--instance", OPT_TEXT, &instance, 0, 0},
	    {"-o", OPT_TEXT, &output, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	(void)ctx;
	if (opts_parse(opts, argc, argv, NULL, 0, &npos))
		goto usage;
	if (!lp || !instance)
		goto usage;
	if (load_instance(instance, &in))
		return 1;
	rc = sched_cli_export_lp(&in, output);
	sched_instance_release(&in);
	return rc;
usage:
	fprintf(stderr,
		"用法 usage: linli schedule export --lp --instance INSTANCE.json [-o FILE]\n");
	return LIN_EXIT_USAGE;
}

const struct command sched_commands[] = {
    {"schedule generate", sched_cli_generate, CMD_NONE,
     "--seed N --teams T --zones Z --slots S [--days D]",
     "生成随机的错峰排班实例 a random staggered-schedule instance (JSON)"},
    {"schedule solve", sched_cli_solve, CMD_NONE,
     "INSTANCE.json [--solver heuristic|cbc|auto] [--time-limit SECONDS] [--seed N] [--json]",
     "排出广场舞错峰时间表 the square-dance timetable within the noise limits"},
    {"schedule check", sched_cli_check, CMD_NONE, "INSTANCE.json TIMETABLE.json",
     "检查时间表 check a timetable against its instance"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
