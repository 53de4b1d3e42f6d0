/* The noise subcommands: `linli noise analyze FILE` prints the levels of a
 * recording, `linli noise calibrate FILE --level DB` the offset that makes a
 * calibrator's recording read its level. */
#include "noise.h"
#include "cli.h"
#include "audio.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/command.h"
#include "../base/opts.h"
#include "../base/parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int noise_parse_db(const char *s, double *out)
{
	return (parse_decimal(s, 0, out) || *out < -50 || *out > 200) ? LIN_EINVAL : 0;
}

int noise_cli_analyze_file(const char *file, double calibration, char weighting,
			   char time_weighting, struct noise_result *r)
{
	char err[256] = "";
	int rc;

	memset(r, 0, sizeof(*r));
	rc = noise_analyze_file(file, calibration, weighting, time_weighting, r, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "linli: 无法分析 cannot analyse %s: %s\n", file, err);
		noise_result_release(r);
	}
	return rc;
}

int noise_cli_analyze(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *file = NULL, *cal = NULL, *wt = "A", *tw = "F";
	double calibration = NOISE_DEFAULT_CALIBRATION_DB;
	int json = 0, per_second = 0, npos, rc;
	char weighting, time_weighting;
	const struct opt opts[] = {
	    {"--json", OPT_FLAG, &json, 0, 0},	     {"--per-second", OPT_FLAG, &per_second, 0, 0},
	    {"--calibration", OPT_TEXT, &cal, 0, 0}, {"--weighting", OPT_TEXT, &wt, 0, 0},
	    {"--time", OPT_TEXT, &tw, 0, 0},	     {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct noise_result r;
	struct buf out;

	(void)ctx;
	if (opts_parse(opts, argc, argv, &file, 1, &npos) ||
	    (cal && noise_parse_db(cal, &calibration)) || strlen(wt) != 1 ||
	    !strchr("ACZ", wt[0]) || strlen(tw) != 1 || !strchr("FS", tw[0]))
		goto usage;
	if (!file)
		goto usage;
	weighting = wt[0];
	time_weighting = tw[0];
	if (noise_cli_analyze_file(file, calibration, weighting, time_weighting, &r))
		return 1;
	buf_init(&out, 0);
	rc = json ? noise_result_json(&r, per_second, &out)
		  : noise_result_text(&r, per_second, &out);
	if (!rc) {
		fputs(out.buf, stdout);
		if (json)
			putchar('\n');
	}
	buf_release(&out);
	noise_result_release(&r);
	return rc ? 1 : 0;
usage:
	fprintf(stderr,
		"用法 usage: linli noise analyze FILE [--calibration DB] [--weighting A|C|Z] "
		"[--time F|S] [--json] [--per-second]\n");
	return LIN_EXIT_USAGE;
}

int noise_cli_calibrate(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *file = NULL, *level_s = NULL;
	double level = 0, offset = 0;
	char err[256] = "";
	int npos, have_level;
	const struct opt opts[] = {
	    {"--level", OPT_TEXT, &level_s, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};

	(void)ctx;
	if (opts_parse(opts, argc, argv, &file, 1, &npos) ||
	    (level_s && noise_parse_db(level_s, &level)))
		goto usage;
	have_level = level_s != NULL;
	if (!file || !have_level)
		goto usage;
	if (noise_calibrate_file_err(file, level, &offset, err, sizeof(err))) {
		fprintf(stderr, "linli: 无法校准 cannot calibrate with %s: %s\n", file, err);
		return 1;
	}
	printf("校准偏移 calibration offset: %+.2f dB\n", offset);
	return 0;
usage:
	fprintf(stderr, "用法 usage: linli noise calibrate FILE --level DB\n");
	return LIN_EXIT_USAGE;
}

const struct command noise_commands[] = {
    {"noise analyze", noise_cli_analyze, CMD_NONE,
     "FILE [--calibration DB] [--weighting A|C|Z] [--time F|S] [--json] [--per-second]",
     "分析录音的声级 levels of a recording (LAeq, Lmax, Ln, LAE)"},
    {"noise calibrate", noise_cli_calibrate, CMD_NONE, "FILE --level DB",
     "由校准器录音求偏移 the offset from a calibrator recording"},
    {"noise meter add", noise_cli_meter_add, CMD_AREA,
     "NAME [--mn MN --password PW] [--zone-class 0|1|2|3|4a|4b]",
     "登记噪声监测点 register a noise meter"},
    {"noise import-audio", noise_cli_import_audio, CMD_AREA,
     "--meter NAME --start ISO8601 FILE [--calibration DB] [--weighting A|C] [--time F|S]",
     "把录音导入为监测点的逐秒读数 import a recording as a meter's per-second readings"},
    {"noise report", noise_cli_report, CMD_AREA,
     "--meter NAME --from ISO8601 --to ISO8601 [--json]",
     "监测点一段时间的声级 a meter's levels over a window"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
