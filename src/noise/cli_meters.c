/* The noise subcommands that work on the database: `linli noise meter add`
 * registers a meter, `linli noise report` summarises a meter's stored
 * readings (and the minutes stations sent without them) over a window.
 * Both are stable interfaces for operators and scripts (docs/noise.md). */
#include "noise.h"
#include "cli.h"
#include "ingest.h"
#include "limits.h"
#include "dsp.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../base/parse.h"
#include "../base/command.h"
#include "../base/opts.h"
#include "../db/db.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* China Standard Time, for times written without an offset. */
#define CST_OFFSET (8 * 3600)

static int valid_zone_class(const char *s)
{
	static const char *const classes[] = {"0", "1", "2", "3", "4a", "4b"};

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(s, classes[i]))
			return 1;
	return 0;
}

/* printable: 1..max characters of letters and digits (HJ 212 MN and PW). */
static int alnum_text(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (!n || n > max)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s))
			return 0;
	return 1;
}

/* two_digits: the number written by p[0..2), or -1. */
static int two_digits(const char *p)
{
	if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
		return -1;
	return (p[0] - '0') * 10 + (p[1] - '0');
}

int noise_parse_when(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec = 0, oh, om;
	int64_t offset = CST_OFFSET;
	char date[11];
	const char *p;

	if (!s || strlen(s) < 16 || (s[10] != 'T' && s[10] != ' '))
		return LIN_EINVAL;
	memcpy(date, s, 10);
	date[10] = 0;
	if (parse_date(date, &y, &mo, &d))
		return LIN_EINVAL;
	p = s + 11;
	h = two_digits(p);
	mi = two_digits(p + 3);
	if (h < 0 || h > 23 || p[2] != ':' || mi < 0 || mi > 59)
		return LIN_EINVAL;
	p += 5;
	if (*p == ':') {
		sec = two_digits(p + 1);
		if (sec < 0 || sec > 59)
			return LIN_EINVAL;
		p += 3;
	}
	if (*p == 'Z' && !p[1]) {
		offset = 0;
	} else if (*p == '+' || *p == '-') {
		oh = strlen(p) == 6 && p[3] == ':' ? two_digits(p + 1) : -1;
		om = oh >= 0 ? two_digits(p + 4) : -1;
		if (oh < 0 || oh > 14 || om < 0 || om > 59)
			return LIN_EINVAL;
		offset = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
	} else if (*p) {
		return LIN_EINVAL;
	}
	*out = lin_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
	return 0;
}

int noise_cli_meter_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *name = NULL, *mn = NULL, *pw = NULL, *zone = "1";
	const struct opt opts[] = {
	    {"--mn", OPT_TEXT, &mn, 0, 0},
	    {"--password", OPT_TEXT, &pw, 0, 0},
	    {"--zone-class", OPT_TEXT, &zone, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct db *db;
	int64_t id = 0;
	int rc, npos;

	if (opts_parse(opts, argc, argv, &name, 1, &npos))
		goto usage;
	if (!name || !*name || strlen(name) > 60)
		goto usage;
	if (!valid_zone_class(zone)) {
		fprintf(stderr, "linli: 声环境功能区类别应为 0、1、2、3、4a 或 4b; the zone class "
				"must be 0, 1, 2, 3, 4a or 4b (GB 3096-2008)\n");
		return LIN_EXIT_USAGE;
	}
	if (!mn != !pw || (mn && (!alnum_text(mn, 24) || !alnum_text(pw, 6)))) {
		fprintf(stderr,
			"linli: HJ 212 站点需同时给出 --mn（最多 24 位字母数字）和 "
			"--password（最多 6 位）; an HJ 212 station needs both --mn (up to 24 "
			"letters and digits) and --password (up to 6)\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	db = ctx->db;
	struct noise_meter_new m = {.name = name, .zone_class = zone, .mn = mn, .password = pw};
	rc = db_begin(db);
	if (!rc)
		rc = noise_meter_add(db, ctx->area, &m, "cli", &id);
	rc = rc ? (db_rollback(db), rc) : db_commit(db);
	if (rc == LIN_ECONFLICT)
		fprintf(stderr, "linli: 名称或 MN 已被使用 the name or MN is already in use\n");
	else if (rc)
		fprintf(stderr, "linli: 无法登记监测点 cannot register the meter: %s\n",
			db_errmsg(db));
	else
		printf("已登记监测点 %lld meter %lld registered: %s\n", (long long)id,
		       (long long)id, name);
	return rc ? 1 : 0;
usage:
	fprintf(stderr, "用法 usage: linli noise meter add NAME [--mn MN --password PW] "
			"[--zone-class 0|1|2|3|4a|4b] [--db URL] [--area CODE]\n");
	return LIN_EXIT_USAGE;
}

/* One window's summary of stored per-second readings and of the minutes
 * stations sent without them. */
struct window_report {
	double laeq, lmax;    /* dB, valid when seconds > 0 */
	double l10, l50, l90; /* dB, of the 1-s levels: valid when has_ln */
	int has_ln;	      /* the window holds per-second readings */
	int64_t seconds;      /* seconds with data: readings, and 60 per minute */
	int64_t minutes;      /* minutes counted from minute data */
};

/* window_report reads the meter's readings in [from, to), and the minute
 * rows wholly inside it whose minute has no reading, and summarises them:
 * LAeq as the energetic mean of the 1-s levels and of each such minute's
 * LAeq weighted by 60 s, Lmax as the largest LAFmax (or 1-s LAeq where no
 * maximum was sent) or minute maximum, LN over the 1-s levels only. */
static int window_report(struct db *db, int64_t meter, int64_t from, int64_t to,
			 struct window_report *w)
{
	struct noise_second *secs = NULL;
	struct noise_minute_level *mins = NULL;
	struct noise_result pct;
	float *levels = NULL;
	double energy = 0;
	size_t n = 0, nm = 0;
	int rc;

	memset(w, 0, sizeof(*w));
	rc = noise_seconds(db, meter, from, to, &secs, &n);
	if (!rc)
		rc = noise_minutes_uncovered(db, meter, from, to, &mins, &nm);
	if (rc || (!n && !nm))
		goto out;
	for (size_t i = 0; i < n; i++) {
		double l = (double)secs[i].laeq_centi / 100.0;
		double m = (double)secs[i].lmax_centi / 100.0;

		energy += pow(10.0, l / 10.0);
		if (i == 0 || m > w->lmax)
			w->lmax = m;
	}
	for (size_t i = 0; i < nm; i++) {
		double l = (double)mins[i].leq_centi / 100.0;
		double m = (double)mins[i].lmax_centi / 100.0;

		energy += 60.0 * pow(10.0, l / 10.0);
		if ((n == 0 && i == 0) || m > w->lmax)
			w->lmax = m;
	}
	w->minutes = (int64_t)nm;
	w->seconds = (int64_t)n + 60 * w->minutes;
	w->laeq = 10.0 * log10(energy / (double)w->seconds);
	if (!n)
		goto out;
	levels = malloc(n * sizeof(*levels));
	if (!levels) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		levels[i] = (float)((double)secs[i].laeq_centi / 100.0);
	memset(&pct, 0, sizeof(pct));
	noise_percentiles(levels, n, &pct);
	w->l10 = pct.l10;
	w->l50 = pct.l50;
	w->l90 = pct.l90;
	w->has_ln = 1;
out:
	free(levels);
	free(secs);
	free(mins);
	return rc;
}

/* tenth rounds a level to 0.1 dB, half away from zero. */
static double tenth(double db)
{
	return round(db * 10.0) / 10.0;
}

int noise_cli_report(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *meter = NULL, *from_s = NULL, *to_s = NULL;
	int json = 0, rc, npos;
	const struct opt opts[] = {
	    {"--meter", OPT_TEXT, &meter, 0, 0}, {"--from", OPT_TEXT, &from_s, 0, 0},
	    {"--to", OPT_TEXT, &to_s, 0, 0},	 {"--json", OPT_FLAG, &json, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct window_report w;
	struct noise_meter m;
	int64_t from, to;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos))
		goto usage;
	if (!meter || !from_s || !to_s)
		goto usage;
	if (noise_parse_when(from_s, &from) || noise_parse_when(to_s, &to) || to <= from) {
		fprintf(
		    stderr,
		    "linli: 时间应为 ISO 8601（如 2026-11-28T19:00+08:00），且 --from 早于 --to; "
		    "times must be ISO 8601 (e.g. 2026-11-28T19:00+08:00) with --from before "
		    "--to\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = noise_meter_by_name(ctx->db, ctx->area, meter, &m);
	if (rc == LIN_ENOTFOUND)
		fprintf(stderr, "linli: 没有名为 %s 的监测点 no meter named %s\n", meter, meter);
	if (!rc)
		rc = window_report(ctx->db, m.id, from, to, &w);
	if (rc) {
		if (rc != LIN_ENOTFOUND)
			fprintf(stderr, "linli: 无法读取读数 cannot read the readings: %s\n",
				lin_strerror(rc));
		return 1;
	}
	if (json && !w.seconds)
		printf("{\"laeq\":null,\"lmax\":null,\"l10\":null,\"l50\":null,\"l90\":null,"
		       "\"seconds\":0}\n");
	else if (json && w.has_ln)
		printf("{\"laeq\":%.1f,\"lmax\":%.1f,\"l10\":%.1f,\"l50\":%.1f,\"l90\":%.1f,"
		       "\"seconds\":%lld}\n",
		       tenth(w.laeq), tenth(w.lmax), tenth(w.l10), tenth(w.l50), tenth(w.l90),
		       (long long)w.seconds);
	else if (json)
		printf("{\"laeq\":%.1f,\"lmax\":%.1f,\"l10\":null,\"l50\":null,\"l90\":null,"
		       "\"seconds\":%lld}\n",
		       tenth(w.laeq), tenth(w.lmax), (long long)w.seconds);
	else if (!w.seconds)
		printf("这段时间没有读数 no readings in this window\n");
	else if (w.has_ln)
		printf("LAeq %.1f dB(A)\nLmax %.1f dB(A)\nL10  %.1f dB(A)\nL50  %.1f dB(A)\n"
		       "L90  %.1f dB(A)\n有读数的秒数 seconds with data: %lld\n",
		       tenth(w.laeq), tenth(w.lmax), tenth(w.l10), tenth(w.l50), tenth(w.l90),
		       (long long)w.seconds);
	else
		printf("LAeq %.1f dB(A)\nLmax %.1f dB(A)\n有读数的秒数 seconds with data: %lld\n",
		       tenth(w.laeq), tenth(w.lmax), (long long)w.seconds);
	if (!json && w.minutes)
		printf("其中来自分钟数据 of which from minute data: %lld min\n",
		       (long long)w.minutes);
	return 0;
usage:
	fprintf(stderr, "用法 usage: linli noise report --meter NAME --from ISO8601 --to ISO8601 "
			"[--json] [--db URL] [--area CODE]\n");
	return LIN_EXIT_USAGE;
}
