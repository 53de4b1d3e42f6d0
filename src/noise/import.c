/* `linli noise import-audio --meter NAME --start TIME FILE`: a recording
 * made at a meter becomes that meter's per-second readings, measured by
 * the same weighting and detector as `noise analyze`. */
#include "noise.h"
#include "audio.h"
#include "dsp.h"
#include "ingest.h"
#include "../base/err.h"
#include "../cli/cli.h"
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

int noise_cli_import_audio(struct config *cfg, int argc, char **argv)
{
	const char *meter = NULL, *start_s = NULL, *file = NULL, *why = NULL;
	double calibration = NOISE_DEFAULT_CALIBRATION_DB;
	char weighting = 'A', time_weighting = 'F';
	struct noise_reading *list = NULL;
	struct noise_result r;
	struct noise_meter m;
	struct db *db = NULL;
	int64_t start, area;
	int rc, used, n = 0, stored = 0, dups = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if ((used = config_flag(cfg, argc, argv, i)) < 0)
			goto usage;
		if (used) {
			i += used - 1;
		} else if (!strcmp(a, "--meter") && i + 1 < argc) {
			meter = argv[++i];
		} else if (!strcmp(a, "--start") && i + 1 < argc) {
			start_s = argv[++i];
		} else if (!strcmp(a, "--calibration") && i + 1 < argc) {
			if (noise_parse_db(argv[++i], &calibration))
				goto usage;
		} else if (!strcmp(a, "--weighting") && i + 1 < argc) {
			a = argv[++i];
			if (strcmp(a, "A") && strcmp(a, "C"))
				goto usage;
			weighting = a[0];
		} else if (!strcmp(a, "--time") && i + 1 < argc) {
			a = argv[++i];
			if (strcmp(a, "F") && strcmp(a, "S"))
				goto usage;
			time_weighting = a[0];
		} else if (a[0] == '-' || file) {
			goto usage;
		} else {
			file = a;
		}
	}
	if (!meter || !start_s || !file)
		goto usage;
	if (noise_parse_when(start_s, &start)) {
		fprintf(stderr, "linli: 开始时间应为 ISO 8601（如 2026-11-28T19:00:00+08:00）; "
				"--start must be ISO 8601 (e.g. 2026-11-28T19:00:00+08:00)\n");
		return LIN_EXIT_USAGE;
	}
	if (noise_cli_analyze_file(file, calibration, weighting, time_weighting, &r))
		return 1;
	if (cli_open_db(cfg, &db)) {
		noise_result_release(&r);
		return 1;
	}
	rc = cli_resolve_area(cfg, db, &area);
	if (!rc) {
		rc = noise_meter_by_name(db, area, meter, &m);
		if (rc == LIN_ENOTFOUND)
			fprintf(stderr, "linli: 没有名为 %s 的监测点 no meter named %s\n", meter,
				meter);
	}
	if (!rc) {
		rc = to_readings(&r, start, m.calibration_centi, &list, &n, &why);
		if (rc == LIN_EINVAL)
			fprintf(stderr, "linli: 未导入 nothing imported from %s: %s\n", file, why);
	}
	if (!rc) {
		rc = noise_store_readings(db, m.id, list, n, "audio", &stored, &dups);
		if (rc)
			fprintf(stderr, "linli: 未能保存 not stored: %s\n", db_errmsg(db));
	}
	if (!rc)
		printf("已导入 %d 秒，重复 %d 秒 imported %d seconds, %d already stored\n", stored,
		       dups, stored, dups);
	free(list);
	noise_result_release(&r);
	db_close(db);
	return rc ? 1 : 0;
usage:
	fprintf(stderr,
		"用法 usage: linli noise import-audio --meter NAME --start ISO8601 FILE "
		"[--calibration DB] [--weighting A|C] [--time F|S] [--db URL] [--area CODE]\n");
	return LIN_EXIT_USAGE;
}
