/* The schedule subcommands: generate a random instance, solve one (the
 * heuristic, CBC, or both), check a timetable against an instance, and
 * export the MIP as an LP file. Messages go to stderr, Chinese first. */
#include "cli.h"
#include "schedule.h"
#include "internal.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../cli/cli.h"

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

/* flag_int: "--name N" with N in [min, max]; 1 if it matched (i advanced),
 * 0 if not this flag, -1 on a bad value. */
static int flag_int(int argc, char **argv, int *i, const char *name, int64_t min, int64_t max,
		    int64_t *out)
{
	if (strcmp(argv[*i], name))
		return 0;
	if (*i + 1 >= argc || parse_int64(argv[*i + 1], min, max, out)) {
		fprintf(stderr,
			"linli: %s 须为 %lld 到 %lld 的整数 must be an integer from %lld to %lld\n",
			name, (long long)min, (long long)max, (long long)min, (long long)max);
		return -1;
	}
	(*i)++;
	return 1;
}

/* parse_seconds: a plain decimal number of seconds in (0, 86400]. */
static int parse_seconds(const char *s, double *out)
{
	char *end;

	if (!s || !*s || strpbrk(s, "eExXnNiI "))
		return LIN_EINVAL;
	*out = strtod(s, &end);
	return (*end || !(*out > 0) || *out > 86400) ? LIN_EINVAL : 0;
}

/* ---- generate ---- */

int sched_cli_generate(struct config *cfg, int argc, char **argv)
{
	int64_t seed = 1, teams = -1, zones = -1, slots = -1, days = SCHED_MAX_DAYS;
	struct sched_instance in;
	struct buf out;
	int rc;

	for (int i = 0; i < argc; i++) {
		int used = config_flag(cfg, argc, argv, i);
		if (used < 0)
			goto usage;
		if (used) {
			i += used - 1;
			continue;
		}
		rc = flag_int(argc, argv, &i, "--seed", 0, INT64_MAX, &seed);
		if (!rc)
			rc = flag_int(argc, argv, &i, "--teams", 0, SCHED_MAX_TEAMS, &teams);
		if (!rc)
			rc = flag_int(argc, argv, &i, "--zones", 1, SCHED_MAX_ZONES, &zones);
		if (!rc)
			rc = flag_int(argc, argv, &i, "--slots", 1, SCHED_MAX_SLOTS, &slots);
		if (!rc)
			rc = flag_int(argc, argv, &i, "--days", 1, SCHED_MAX_DAYS, &days);
		if (rc < 0)
			return LIN_EXIT_USAGE;
		if (rc)
			continue;
		fprintf(stderr, "linli: 未知参数 unknown argument %s\n", argv[i]);
		goto usage;
	}
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

int sched_cli_solve(struct config *cfg, int argc, char **argv)
{
	struct sched_options o;
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check check;
	char err[SCHED_MESSAGE_MAX] = "", warn[SCHED_MESSAGE_MAX] = "";
	const char *path = NULL;
	int json = 0, rc;
	int64_t seed;

	sched_options_default(&o);
	for (int i = 0; i < argc; i++) {
		int used = config_flag(cfg, argc, argv, i);
		if (used < 0)
			goto usage;
		if (used) {
			i += used - 1;
			continue;
		}
		rc = flag_int(argc, argv, &i, "--seed", 0, INT64_MAX, &seed);
		if (rc < 0)
			return LIN_EXIT_USAGE;
		if (rc) {
			o.seed = (uint64_t)seed;
		} else if (!strcmp(argv[i], "--json")) {
			json = 1;
		} else if (!strcmp(argv[i], "--solver") && i + 1 < argc) {
			const char *s = argv[++i];
			if (!strcmp(s, "heuristic"))
				o.solver = SCHED_SOLVER_HEURISTIC;
			else if (!strcmp(s, "cbc"))
				o.solver = SCHED_SOLVER_CBC;
			else if (!strcmp(s, "auto"))
				o.solver = SCHED_SOLVER_AUTO;
			else
				goto usage;
		} else if (!strcmp(argv[i], "--time-limit") && i + 1 < argc) {
			if (parse_seconds(argv[++i], &o.time_limit)) {
				fprintf(stderr,
					"linli: --time-limit 须为 0 到 86400 之间的秒数 must be "
					"seconds above 0, at most 86400\n");
				return LIN_EXIT_USAGE;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "linli: 未知选项 unknown option %s\n", argv[i]);
			goto usage;
		} else if (path) {
			goto usage;
		} else {
			path = argv[i];
		}
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

int sched_cli_check(struct config *cfg, int argc, char **argv)
{
	const char *pos[2];
	struct sched_instance in;
	struct sched_timetable tt;
	struct sched_check check;
	char err[SCHED_MESSAGE_MAX];
	size_t len;
	char *text;
	int npos = 0, rc;

	for (int i = 0; i < argc; i++) {
		int used = config_flag(cfg, argc, argv, i);
		if (used < 0)
			goto usage;
		if (used) {
			i += used - 1;
			continue;
		}
		if ((argv[i][0] == '-' && argv[i][1]) || npos == 2)
			goto usage;
		pos[npos++] = argv[i];
	}
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

int sched_cli_export(struct config *cfg, int argc, char **argv)
{
	const char *instance = NULL, *output = NULL;
	struct sched_instance in;
	int lp = 0, rc;

	for (int i = 0; i < argc; i++) {
		int used = config_flag(cfg, argc, argv, i);
		if (used < 0)
			goto usage;
		if (used) {
			i += used - 1;
			continue;
		}
		if (!strcmp(argv[i], "--lp"))
			lp = 1;
		else if (!strcmp(argv[i], "--instance") && i + 1 < argc)
			instance = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			output = argv[++i];
		else
			goto usage;
	}
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
