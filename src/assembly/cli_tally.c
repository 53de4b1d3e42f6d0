/* `linli assembly tally`: the auditors' stable offline interface. It reads
 * a roll and the ballots as cast from two CSV files, counts each matter
 * named on the command line with the server's own code (tally.h), and
 * prints the result as a table or as JSON. A bad row refuses everything:
 * FILE:LINE: reason on stderr, nothing on stdout, exit 1. */
#include "cli_tally.h"
#include "tally.h"
#include "tally_csv.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../base/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TALLY_FILE_MAX ((size_t)64 << 20)

static const char tally_usage[] = "--roll ROLL.csv --ballots BALLOTS.csv --matter CODE:ITEM "
				  "[--matter CODE:ITEM ...] [--json]";

static int usage(void)
{
	fprintf(stderr, "用法 usage: linli assembly tally %s\n", tally_usage);
	return LIN_EXIT_USAGE;
}

/* ---- the arguments ---- */

/* parse_matter reads CODE:ITEM (the code up to the last colon, the item
 * one digit 1-9) into m; m->code is a copy for the caller to free. */
static int parse_matter(const char *arg, struct tally_matter *m)
{
	const char *colon = strrchr(arg, ':');
	size_t n;

	if (!colon || colon == arg || colon[1] < '1' || colon[1] > '9' || colon[2])
		return LIN_EINVAL;
	n = (size_t)(colon - arg);
	if (!utf8_valid(arg, n) || memchr(arg, '\t', n) || memchr(arg, '\n', n) ||
	    memchr(arg, '\r', n))
		return LIN_EINVAL;
	m->code = strndup(arg, n);
	m->item = colon[1] - '0';
	return m->code ? 0 : LIN_ENOMEM;
}

/* take_matters moves every "--matter CODE:ITEM" of argv into matters and
 * the other arguments into rest, in order. Returns 0 or the usage status
 * (printed). */
static int take_matters(int argc, char **argv, char **rest, int *nrest,
			struct tally_matter *matters, size_t *nmatters)
{
	*nrest = 0;
	*nmatters = 0;
	for (int i = 0; i < argc; i++) {
		struct tally_matter *m = &matters[*nmatters];

		if (strcmp(argv[i], "--matter")) {
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr,
				"linli: 选项 --matter 缺少值 option --matter needs a value\n");
			return usage();
		}
		i++;
		if (parse_matter(argv[i], m)) {
			fprintf(stderr,
				"linli: --matter %s: 须写作 编号:项，项为第二百七十八条的 1–9 "
				"must be CODE:ITEM, ITEM of Art. 278 from 1 to 9\n",
				argv[i]);
			return usage();
		}
		(*nmatters)++;
		for (size_t k = 0; k + 1 < *nmatters; k++)
			if (!strcmp(matters[k].code, m->code)) {
				fprintf(stderr,
					"linli: --matter %s: 事项编号重复 the matter code is given "
					"twice\n",
					m->code);
				return usage();
			}
	}
	return 0;
}

/* ---- the files ---- */

static char *load(const char *path, size_t *len)
{
	char *text = buf_read_file(path, TALLY_FILE_MAX, len);

	if (!text)
		fprintf(stderr, "linli: 无法读取（或超过 64 MB） cannot read (or over 64 MB) %s\n",
			path);
	return text;
}

static int read_roll(const char *path, struct tally_roll *roll)
{
	struct tally_csv_error err;
	size_t len;
	char *text = load(path, &len);
	int rc;

	if (!text)
		return LIN_EIO;
	rc = tally_roll_read(text, len, roll, &err);
	free(text);
	if (rc == LIN_EINVAL || rc == LIN_ETOOBIG)
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.reason);
	else if (rc)
		fprintf(stderr, "linli: %s: %s\n", path, lin_strerror(rc));
	return rc;
}

static int read_ballots(const char *path, struct tally_ballots *ballots)
{
	struct tally_csv_error err;
	size_t len;
	char *text = load(path, &len);
	int rc;

	if (!text)
		return LIN_EIO;
	rc = tally_ballots_read(text, len, ballots, &err);
	free(text);
	if (rc == LIN_EINVAL || rc == LIN_ETOOBIG)
		fprintf(stderr, "%s:%d: %s\n", path, err.line, err.reason);
	else if (rc)
		fprintf(stderr, "linli: %s: %s\n", path, lin_strerror(rc));
	return rc;
}

/* ---- JSON ---- */

static void json_area(struct buf *b, const char *key, int64_t centi)
{
	buf_addf(b, "\"%s\": \"", key);
	tally_area_format(b, centi);
	buf_adds(b, "\"");
}

/* tally_json: the stable form, one line, keys in this order. */
static void tally_json(struct buf *b, const struct tally_result *res)
{
	buf_addf(b, "{\"owners\": %lld, ", (long long)res->owners);
	json_area(b, "area_m2", res->area_centi);
	buf_adds(b, ", \"matters\": [");
	for (size_t k = 0; k < res->nmatters; k++) {
		const struct tally_matter_result *m = &res->matters[k];

		buf_adds(b, k ? ", {\"matter\": " : "{\"matter\": ");
		buf_add_json_string(b, m->code);
		buf_addf(b, ", \"item\": %d, \"rule\": \"%s\", \"participating_owners\": %lld, ",
			 m->item, m->rule, (long long)m->participating_owners);
		json_area(b, "participating_area_m2", m->participating_area_centi);
		buf_addf(b, ", \"agree_owners\": %lld, ", (long long)m->agree_owners);
		json_area(b, "agree_area_m2", m->agree_area_centi);
		buf_addf(b, ", \"quorum_met\": %s, \"passed\": %s}",
			 m->quorum_met ? "true" : "false", m->passed ? "true" : "false");
	}
	buf_adds(b, "]}\n");
}

/* ---- the table ---- */

/* columns: how wide s shows in a terminal (CJK and full-width forms two
 * columns, everything else one). */
static int columns(const char *s)
{
	size_t len = strlen(s), n;
	uint32_t cp;
	int w = 0;

	while (len && (n = utf8_decode(s, len, &cp))) {
		w += cp >= 0x2e80 && cp <= 0xffdc && !(cp >= 0xd800 && cp < 0xf900) ? 2 : 1;
		s += n;
		len -= n;
	}
	return w;
}

/* cell: s followed by blanks up to width columns (at least one). */
static void cell(struct buf *b, const char *s, int width)
{
	int w = columns(s);

	buf_adds(b, s);
	do
		buf_addc(b, ' ');
	while (++w < width);
}

/* ratio_row: "  人数 owners   3 / 4 = 75.00%   达到 met" */
static void ratio_row(struct buf *b, const char *label, int64_t num, int64_t den, int area,
		      bool met)
{
	struct buf t;

	buf_init(&t, 256);
	if (area) {
		tally_area_format(&t, num);
		buf_adds(&t, " / ");
		tally_area_format(&t, den);
		buf_adds(&t, " m² = ");
	} else {
		buf_addf(&t, "%lld / %lld = ", (long long)num, (long long)den);
	}
	tally_ratio_format(&t, num, den);
	buf_adds(b, "    ");
	cell(b, label, 16);
	cell(b, t.buf, 34);
	buf_adds(b, met ? "达到 met\n" : "未达 not met\n");
	buf_release(&t);
}

static void count_row(struct buf *b, const char *label, int64_t owners, int64_t area)
{
	buf_adds(b, "  ");
	cell(b, label, 18);
	buf_addf(b, "%lld 人 owners, ", (long long)owners);
	tally_area_format(b, area);
	buf_adds(b, " m²\n");
}

/* verdict: why a matter passed or failed, in words. */
static const char *verdict(const struct tally_matter_result *m)
{
	if (m->passed)
		return "通过 passed";
	if (!m->quorum_met)
		return "未通过：参与表决未达三分之二 failed: participation under two thirds";
	if (m->item >= 6 && m->item <= 8)
		return "未通过：同意未达四分之三 failed: agreement under three quarters";
	return "未通过：同意未过半数 failed: agreement not more than half";
}

/* tally_table: the readable form. Each side of a threshold is judged by
 * the same functions as the verdict: the other side's pair is 1 of 1,
 * which meets every threshold. */
static void tally_table(struct buf *b, const struct tally_result *res, size_t nparts,
			size_t nballots)
{
	buf_adds(b, "业主大会计票 owners' assembly tally (Civil Code Art. 278)\n");
	buf_addf(b, "业主 owners: %lld（专有部分 parts: %zu）\n", (long long)res->owners, nparts);
	buf_adds(b, "专有部分总面积 total area: ");
	tally_area_format(b, res->area_centi);
	buf_addf(b, " m²\n表决票 ballot rows: %zu\n", nballots);
	for (size_t k = 0; k < res->nmatters; k++) {
		const struct tally_matter_result *m = &res->matters[k];
		bool six = m->item >= 6 && m->item <= 8;

		buf_adds(b, "\n事项 matter ");
		buf_adds(b, m->code);
		buf_addf(b, " · 第二百七十八条第 %d 项 Art. 278 item %d · %s (%s)\n", m->item,
			 m->item,
			 six ? "四分之三以上 at least three quarters" : "过半数 more than half",
			 m->rule);
		buf_adds(b, "  参与表决 participation (须 ≥ 2/3 needs ≥ 2/3)\n");
		ratio_row(b, "人数 owners", m->participating_owners, res->owners, 0,
			  tally_quorum(1, 1, m->participating_owners, res->owners));
		ratio_row(b, "面积 area", m->participating_area_centi, res->area_centi, 1,
			  tally_quorum(m->participating_area_centi, res->area_centi, 1, 1));
		buf_addf(b, "  同意 approval (须 %s needs %s)\n", six ? "≥ 3/4" : "> 1/2",
			 six ? "≥ 3/4" : "> 1/2");
		ratio_row(b, "人数 owners", m->agree_owners, m->participating_owners, 0,
			  tally_approved(m->item, 1, 1, m->agree_owners, m->participating_owners));
		ratio_row(b, "面积 area", m->agree_area_centi, m->participating_area_centi, 1,
			  tally_approved(m->item, m->agree_area_centi, m->participating_area_centi,
					 1, 1));
		count_row(b, "反对 oppose", m->oppose_owners, m->oppose_area_centi);
		count_row(b, "弃权 abstain", m->abstain_owners, m->abstain_area_centi);
		buf_adds(b, "  ");
		cell(b, "被取代 superseded", 18);
		buf_addf(b, "%lld\n", (long long)m->superseded);
		buf_adds(b, "  ");
		cell(b, "结果 verdict", 18);
		buf_addf(b, "%s\n", verdict(m));
	}
}

/* ---- the command ---- */

/* report_count_error: tally_count's refusal at its file and line. */
static void report_count_error(const struct tally_error *err, const char *roll_path,
			       const struct tally_roll *roll, const char *ballots_path,
			       const struct tally_ballots *ballots)
{
	if (!strcmp(err->what, "part") && err->index < roll->nparts)
		fprintf(stderr, "%s:%d: %s\n", roll_path, roll->lines[err->index], err->reason);
	else if (!strcmp(err->what, "ballot") && err->index < ballots->nballots)
		fprintf(stderr, "%s:%d: %s\n", ballots_path, ballots->lines[err->index],
			err->reason);
	else
		fprintf(stderr, "linli: %s\n", err->reason);
}

static int assembly_tally(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *roll_path = NULL, *ballots_path = NULL;
	int json = 0, nrest, npos, rc, status = 1;
	const struct opt opts[] = {
	    {"--roll", OPT_TEXT, &roll_path, 0, 0},
	    {"--ballots", OPT_TEXT, &ballots_path, 0, 0},
	    {"--json", OPT_FLAG, &json, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	struct tally_matter *matters = calloc((size_t)argc / 2 + 1, sizeof(*matters));
	struct tally_roll roll = {0};
	struct tally_ballots ballots = {0};
	struct tally_result res = {0};
	struct tally_error err;
	size_t nmatters = 0;
	struct buf out;

	(void)ctx;
	buf_init(&out, BUF_DEFAULT_MAX);
	if (!rest || !matters) {
		fprintf(stderr, "linli: %s\n", lin_strerror(LIN_ENOMEM));
		goto out;
	}
	status = take_matters(argc, argv, rest, &nrest, matters, &nmatters);
	if (status)
		goto out;
	if (opts_parse(opts, nrest, rest, NULL, 0, &npos) || !roll_path || !ballots_path ||
	    !nmatters) {
		status = usage();
		goto out;
	}
	status = 1;
	if (read_roll(roll_path, &roll) || read_ballots(ballots_path, &ballots))
		goto out;
	rc = tally_count(roll.parts, roll.nparts, matters, nmatters, ballots.ballots,
			 ballots.nballots, &res, &err);
	if (rc == LIN_EINVAL) {
		report_count_error(&err, roll_path, &roll, ballots_path, &ballots);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "linli: %s\n", lin_strerror(rc));
		goto out;
	}
	if (json)
		tally_json(&out, &res);
	else
		tally_table(&out, &res, roll.nparts, ballots.nballots);
	if (out.failed) {
		fprintf(stderr, "linli: %s\n", lin_strerror(LIN_ENOMEM));
		goto out;
	}
	fputs(out.buf, stdout);
	status = fflush(stdout) ? 1 : 0;
out:
	buf_release(&out);
	tally_result_free(&res);
	tally_ballots_release(&ballots);
	tally_roll_release(&roll);
	for (size_t k = 0; matters && k < nmatters; k++)
		free((char *)matters[k].code);
	free(matters);
	free(rest);
	return status;
}

const struct command assembly_tally_commands[] = {
    {"assembly tally", assembly_tally, CMD_NONE, tally_usage,
     "按民法典第二百七十八条离线计票（供审计） count an owners' assembly under Civil Code "
     "Art. 278, offline (for auditors)"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
