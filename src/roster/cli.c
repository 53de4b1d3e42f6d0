/* The roster subcommands: generate a random instance, solve one (the
 * heuristic, CBC, or both), and check a roster against an instance.
 * Messages go to stderr, Chinese first. */
#include "cli.h"
#include "roster.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../base/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_MAX ((size_t)64 << 20)

/* load_text: the whole file ("-": standard input), for the caller to
 * free; NULL with the reason printed. */
static char *load_text(const char *path, size_t *len)
{
	char *text = buf_read_file(path, FILE_MAX, len);

	if (!text)
		fprintf(stderr, "linli: 无法读取（或超过 64 MB） cannot read (or over 64 MB) %s\n",
			path);
	return text;
}

static int load_instance(const char *path, struct roster_instance *in)
{
	char err[ROSTER_MESSAGE_MAX];
	size_t len;
	char *text = load_text(path, &len);
	int rc;

	if (!text)
		return LIN_EIO;
	rc = roster_instance_from_json(text, len, in, err, sizeof(err));
	free(text);
	if (rc)
		fprintf(stderr, "linli: %s: %s\n", path, err);
	return rc;
}

/* ---- generate ---- */

static int roster_cli_generate(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t seed = 1, vols = -1, stations = -1, days = 7;
	const struct opt opts[] = {
	    {"--seed", OPT_INT, &seed, 0, INT64_MAX},
	    {"--volunteers", OPT_INT, &vols, 0, ROSTER_MAX_VOLS},
	    {"--stations", OPT_INT, &stations, 0, 1000},
	    {"--days", OPT_INT, &days, 1, 366},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct roster_instance in;
	struct buf out;
	int rc, npos;

	(void)ctx;
	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || vols < 0 || stations < 0) {
		fprintf(stderr, "用法 usage: linli roster generate --seed N --volunteers V "
				"--stations S [--days D]\n");
		return LIN_EXIT_USAGE;
	}
	rc = roster_random(&in, (uint64_t)seed, (int)vols, (int)stations, (int)days);
	if (rc) {
		fprintf(stderr,
			"linli: 无法生成实例（班次至多 %d 个） cannot generate the "
			"instance (at most %d shifts)\n",
			ROSTER_MAX_SHIFTS, ROSTER_MAX_SHIFTS);
		return 1;
	}
	buf_init(&out, 0);
	rc = roster_instance_to_json(&in, &out);
	if (!rc)
		fputs(out.buf, stdout);
	buf_release(&out);
	roster_instance_release(&in);
	return rc ? 1 : 0;
}

/* ---- solve ---- */

static int parse_solver(const char *s, enum roster_solver *out)
{
	if (!strcmp(s, "heuristic"))
		*out = ROSTER_HEURISTIC;
	else if (!strcmp(s, "cbc"))
		*out = ROSTER_CBC;
	else if (!strcmp(s, "auto"))
		*out = ROSTER_AUTO;
	else
		return LIN_EINVAL;
	return 0;
}

static void print_text(const struct roster_instance *in, const struct roster_result *r)
{
	int places = 0;

	for (int s = 0; s < in->nshifts; s++)
		places += in->shift[s].need;
	printf("求解器 solver: %s，%s，用时 %.3f 秒 in %.3f s\n", r->solver,
	       r->optimal ? "覆盖已证最优 coverage proven optimal"
			  : "覆盖未证最优 coverage not proven optimal",
	       r->seconds, r->seconds);
	printf("满员班次 filled: %d / %d；已排 covered: %d / %d 个位置 places（上界 bound %lld）"
	       "；保留 kept: %d / %d；平方和 spread: %lld\n",
	       r->filled, in->nshifts, r->covered, places, (long long)r->bound, r->kept,
	       in->nprevious, (long long)r->spread);
	for (int i = 0; i < r->nunfilled; i++)
		printf("未满 unfilled %s: 缺 %d 人 %d missing: %s\n",
		       in->shift[r->unfilled[i].shift].id, r->unfilled[i].missing,
		       r->unfilled[i].missing, r->unfilled[i].reason);
}

static int roster_cli_solve(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct roster_options o;
	struct roster_instance in;
	struct roster_result r;
	char err[ROSTER_MESSAGE_MAX] = "";
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
	roster_options_default(&o);
	if (opts_parse(opts, argc, argv, &path, 1, &npos) || !path ||
	    parse_solver(solver, &o.solver)) {
		fprintf(stderr, "用法 usage: linli roster solve INSTANCE.json [--solver "
				"heuristic|cbc|auto] [--time-limit SECONDS] [--seed N] [--json]\n");
		return LIN_EXIT_USAGE;
	}
	if (seed >= 0)
		o.seed = (uint64_t)seed;
	if (limit && (parse_decimal(limit, 0, &o.time_limit) || !(o.time_limit > 0) ||
		      o.time_limit > 86400)) {
		fprintf(stderr, "linli: --time-limit 须为 0 到 86400 之间的秒数 must be seconds "
				"above 0, at most 86400\n");
		return LIN_EXIT_USAGE;
	}
	if (load_instance(path, &in))
		return 1;
	rc = roster_solve(&in, &o, &r, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "linli: 求解失败 solving failed: %s\n", err);
	} else if (json) {
		struct buf b;
		buf_init(&b, 0);
		rc = roster_result_to_json(&in, &r, &b);
		if (!rc)
			fputs(b.buf, stdout);
		buf_release(&b);
	} else {
		print_text(&in, &r);
	}
	roster_result_release(&r);
	roster_instance_release(&in);
	return rc ? 1 : 0;
}

/* ---- check ---- */

static int roster_cli_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *pos[2];
	struct roster_instance in;
	struct roster_result r;
	char err[ROSTER_MESSAGE_MAX];
	size_t len;
	char *text;
	int npos = 0, rc;

	(void)ctx;
	if (opts_parse(NULL, argc, argv, pos, 2, &npos) || npos != 2) {
		fprintf(stderr, "用法 usage: linli roster check INSTANCE.json ROSTER.json\n");
		return LIN_EXIT_USAGE;
	}
	if (load_instance(pos[0], &in))
		return 1;
	text = load_text(pos[1], &len);
	if (!text) {
		roster_instance_release(&in);
		return 1;
	}
	rc = roster_result_from_json(&in, text, len, &r, err, sizeof(err));
	free(text);
	if (rc) {
		fprintf(stderr, "linli: %s: %s\n", pos[1], err);
	} else {
		rc = roster_check(&in, &r, err, sizeof(err));
		if (rc)
			fprintf(stderr, "linli: 排班违反规则 the roster breaks a rule: %s\n", err);
		else
			printf("ok：满员 filled %d / %d，已排 covered %d，保留 kept %d\n", r.filled,
			       in.nshifts, r.covered, r.kept);
	}
	roster_result_release(&r);
	roster_instance_release(&in);
	return rc ? 1 : 0;
}

const struct command roster_commands[] = {
    {"roster generate", roster_cli_generate, CMD_NONE,
     "--seed N --volunteers V --stations S [--days D]",
     "生成随机的值班排班实例 a random duty-roster instance (JSON)"},
    {"roster solve", roster_cli_solve, CMD_NONE,
     "INSTANCE.json [--solver heuristic|cbc|auto] [--time-limit SECONDS] [--seed N] [--json]",
     "排出志愿者值班表 the volunteers' duty roster"},
    {"roster check", roster_cli_check, CMD_NONE, "INSTANCE.json ROSTER.json",
     "检查值班表是否守住每条规则 check that a roster keeps every rule"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
