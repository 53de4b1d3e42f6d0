/* The noise subcommands: `linli noise analyze FILE` prints the levels of a
 * recording, `linli noise calibrate FILE --level DB` the offset that makes a
 * calibrator's recording read its level. */
#include "noise.h"
#include "audio.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int noise_parse_db(const char *s, double *out)
{
	char *end;

	if (!s || !*s || strpbrk(s, "eExXnNiI "))
		return LIN_EINVAL;
	*out = strtod(s, &end);
	return (*end || *out < -50 || *out > 200) ? LIN_EINVAL : 0;
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

int noise_cli_analyze(struct config *cfg, int argc, char **argv)
{
	const char *file = NULL;
	double calibration = NOISE_DEFAULT_CALIBRATION_DB;
	char weighting = 'A', time_weighting = 'F';
	int json = 0, per_second = 0, rc;
	struct noise_result r;
	struct buf out;

	(void)cfg;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--per-second")) {
			per_second = 1;
		} else if (!strcmp(a, "--calibration") && i + 1 < argc) {
			if (noise_parse_db(argv[++i], &calibration))
				goto usage;
		} else if (!strcmp(a, "--weighting") && i + 1 < argc) {
			a = argv[++i];
			if (strlen(a) != 1 || !strchr("ACZ", a[0]))
				goto usage;
			weighting = a[0];
		} else if (!strcmp(a, "--time") && i + 1 < argc) {
			a = argv[++i];
			if (strlen(a) != 1 || !strchr("FS", a[0]))
				goto usage;
			time_weighting = a[0];
		} else if (a[0] == '-' || file) {
			goto usage;
		} else {
			file = a;
		}
	}
	if (!file)
		goto usage;
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

int noise_cli_calibrate(struct config *cfg, int argc, char **argv)
{
	const char *file = NULL;
	double level = 0, offset = 0;
	char err[256] = "";
	int have_level = 0;

	(void)cfg;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--level") && i + 1 < argc) {
			if (noise_parse_db(argv[++i], &level))
				goto usage;
			have_level = 1;
		} else if (argv[i][0] == '-' || file) {
			goto usage;
		} else {
			file = argv[i];
		}
	}
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
