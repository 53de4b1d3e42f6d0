/* `linli noise import-audio --meter NAME --start TIME FILE`: a recording
 * made at a meter becomes that meter's per-second readings, measured by
 * the same weighting and detector as `noise analyze`. */
#include "noise.h"
#include "cli.h"
#include "audio.h"
#include "dsp.h"
#include "ingest.h"
#include "../base/err.h"
#include "../base/command.h"
#include "../base/opts.h"
#include "../db/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* centi: a level in dB as exact hundredths, half away from zero. */
static int64_t centi(double db)
{
	return (int64_t)llround(db * 100.0);
}

/* to_readings turns the whole seconds of an analysis into readings from
 * start, levels offset by calibration_centi and clamped below at 0 dB (a
 * digital silence). LIN_EINVAL with *why when a level exceeds 150 dB or
 * the file has no whole second. */
static int to_readings(const struct noise_result *r, int64_t start, int64_t calibration_centi,
		       struct noise_reading **out, int *n, const char **why)
{
	size_t whole = (size_t)floor(r->duration_s + 1e-9);
	struct noise_reading *list;

	*out = NULL;
	*n = 0;
	if (whole > r->per_second_count)
		whole = r->per_second_count;
	if (!whole) {
		*why = "shorter than one second";
		return LIN_EINVAL;
	}
	list = calloc(whole, sizeof(*list));
	if (!list)
		return LIN_ENOMEM;
	for (size_t i = 0; i < whole; i++) {
		int64_t l = centi(r->per_second[i]) + calibration_centi;
		int64_t m = centi(r->per_second_max[i]) + calibration_centi;

		l = l < 0 ? 0 : l;
		m = m < l ? l : m;
		if (m > 15000) {
			*why = "a level above 150 dB: check --calibration";
			free(list);
			return LIN_EINVAL;
		}
		list[i].t = start + (int64_t)i;
		list[i].laeq_centi = l;
		list[i].lmax_centi = m;
		list[i].has_lmax = 1;
	}
	*out = list;
	*n = (int)whole;
	return 0;
}

int noise_cli_import_audio(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *meter = NULL, *start_s = NULL, *file = NULL, *why = NULL;
	const char *cal = NULL, *wt = "A", *tw = "F";
	double calibration = NOISE_DEFAULT_CALIBRATION_DB;
	const struct opt opts[] = {
	    {"--meter", OPT_TEXT, &meter, 0, 0},     {"--start", OPT_TEXT, &start_s, 0, 0},
	    {"--calibration", OPT_TEXT, &cal, 0, 0}, {"--weighting", OPT_TEXT, &wt, 0, 0},
	    {"--time", OPT_TEXT, &tw, 0, 0},	     {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct noise_reading *list = NULL;
	struct noise_result r;
	struct noise_meter m;
	int64_t start;
	int rc, npos, n = 0, stored = 0, dups = 0;

	if (opts_parse(opts, argc, argv, &file, 1, &npos) ||
	    (cal && noise_parse_db(cal, &calibration)) || (strcmp(wt, "A") && strcmp(wt, "C")) ||
	    (strcmp(tw, "F") && strcmp(tw, "S")))
		goto usage;
	if (!meter || !start_s || !file)
		goto usage;
	if (noise_parse_when(start_s, &start)) {
		fprintf(stderr, "linli: 开始时间应为 ISO 8601（如 2026-11-28T19:00:00+08:00）; "
				"--start must be ISO 8601 (e.g. 2026-11-28T19:00:00+08:00)\n");
		return LIN_EXIT_USAGE;
	}
	if (noise_cli_analyze_file(file, calibration, wt[0], tw[0], &r))
		return 1;
	if (cmd_open(ctx)) {
		noise_result_release(&r);
		return 1;
	}
	rc = noise_meter_by_name(ctx->db, ctx->area, meter, &m);
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr, "linli: 没有名为 %s 的监测点 no meter named %s\n", meter, meter);
	if (!rc) {
		rc = to_readings(&r, start, m.calibration_centi, &list, &n, &why);
		if (rc == LIN_EINVAL)
			fprintf(stderr, "linli: 未导入 nothing imported from %s: %s\n", file, why);
	}
	if (!rc) {
		rc = noise_store_readings(ctx->db, m.id, list, n, "audio", &stored, &dups);
		if (rc)
			fprintf(stderr, "linli: 未能保存 not stored: %s\n", db_errmsg(ctx->db));
	}
	if (!rc)
		printf("已导入 %d 秒，重复 %d 秒 imported %d seconds, %d already stored\n", stored,
		       dups, stored, dups);
	free(list);
	noise_result_release(&r);
	return rc ? 1 : 0;
usage:
	fprintf(stderr,
		"用法 usage: linli noise import-audio --meter NAME --start ISO8601 FILE "
		"[--calibration DB] [--weighting A|C] [--time F|S] [--db URL] [--area CODE]\n");
	return LIN_EXIT_USAGE;
}
