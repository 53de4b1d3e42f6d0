/* linli area add | list | import: the areas of a street, added one by one
 * or from a street office's CSV (every row checked before any is
 * written). */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_BYTES (1024 * 1024) /* the largest CSV file read */

/* seed gives each new area the standard case categories, as linli init
 * does. */
static int seed(struct db *db, const struct region_area_in *in, int n)
{
	int64_t area;
	int rc = 0;

	for (int i = 0; !rc && i < n; i++) {
		rc = area_id_by_code(db, in[i].code, &area);
		if (!rc)
			rc = cases_seed_categories(db, area, "cli");
	}
	return rc;
}

struct area_args {
	const char *pos[3];
	int npos;
	const char *street, *street_name, *district, *district_name;
};

static int cmd_area_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct area_args a = {0};
	const struct opt opts[] = {
	    {"--street", OPT_TEXT, &a.street, 0, 0},
	    {"--street-name", OPT_TEXT, &a.street_name, 0, 0},
	    {"--district", OPT_TEXT, &a.district, 0, 0},
	    {"--district-name", OPT_TEXT, &a.district_name, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	const char *why;
	int line, rc;

	if (opts_parse(opts, argc, argv, a.pos, 3, &a.npos) || a.npos != 2 || !a.street) {
		fprintf(stderr, "用法 usage: linli area add CODE NAME --street CODE "
				"[--street-name NAME --district CODE [--district-name NAME]]\n");
		return LIN_EXIT_USAGE;
	}
	struct region_area_in in = {a.pos[0],	   a.pos[1],   a.street,
				    a.street_name, a.district, a.district_name};
	if (region_area_check(&in, &why)) {
		fprintf(stderr, "linli: %s\n", why);
		return 1;
	}
	if (cmd_open(ctx))
		return 1;
	rc = region_areas_add(ctx->db, &in, 1, "cli", &line, &why);
	if (!rc)
		rc = seed(ctx->db, &in, 1);
	if (rc)
		fprintf(stderr, "linli: 无法新建居民区 cannot add the area: %s\n",
			why ? why : lin_strerror(rc));
	else
		printf("已新建居民区 Added area %s (%s) in street %s\n", a.pos[0], a.pos[1],
		       a.street);
	return rc ? 1 : 0;
}

static int cmd_area_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	int rc;

	if (argc) {
		fprintf(stderr, "用法 usage: linli area list\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = region_areas_list(ctx->db, stdout);
	if (rc)
		fprintf(stderr, "linli: 无法读取居民区 cannot read the areas: %s\n",
			db_errmsg(ctx->db));
	return rc ? 1 : 0;
}

/* The import's columns, by header name. */
static const char *const import_cols[] = {"code",	 "name",     "street",
					  "street_name", "district", "district_name"};
#define NCOLS 6

/* read_rows parses the CSV into in[] (strings owned by *copies). Returns
 * the number of rows, or -1 with the reason printed. */
static int read_rows(const char *data, size_t len, struct region_area_in *in, char ***copies)
{
	struct csv_reader r;
	int col[NCOLS], n = 0, ncopies = 0, rc;

	*copies = calloc((size_t)REGION_IMPORT_MAX * NCOLS + 1, sizeof(char *));
	if (!*copies)
		return -1;
	csv_open(&r, data, len);
	rc = csv_next(&r);
	if (rc != 1) {
		fprintf(stderr, "linli: 文件没有表头 the file has no header row\n");
		n = -1;
		goto out;
	}
	for (int c = 0; c < NCOLS; c++) {
		col[c] = -1;
		for (int i = 0; i < r.nfields; i++)
			if (!strcmp(r.fields[i], import_cols[c]))
				col[c] = i;
		if (col[c] < 0 && c < 3) {
			fprintf(stderr, "linli: 表头缺少列 %s the header lacks column %s\n",
				import_cols[c], import_cols[c]);
			n = -1;
			goto out;
		}
	}
	while ((rc = csv_next(&r)) == 1) {
		const char **f[NCOLS] = {&in[n].code,	     &in[n].name,     &in[n].street,
					 &in[n].street_name, &in[n].district, &in[n].district_name};
		if (n == REGION_IMPORT_MAX) {
			fprintf(stderr,
				"linli: 一次最多导入 %d 个居民区 at most %d areas at once\n",
				REGION_IMPORT_MAX, REGION_IMPORT_MAX);
			n = -1;
			goto out;
		}
		for (int c = 0; c < NCOLS; c++) {
			const char *v = col[c] >= 0 && col[c] < r.nfields ? r.fields[col[c]] : "";
			(*copies)[ncopies] = strdup(v);
			if (!(*copies)[ncopies]) {
				n = -1;
				goto out;
			}
			*f[c] = (*copies)[ncopies++];
		}
		n++;
	}
	if (rc < 0) {
		fprintf(stderr, "linli: 第 %d 行 CSV 格式错误 line %d: %s\n", r.line, r.line,
			r.error);
		n = -1;
	}
out:
	csv_close(&r);
	return n;
}

static int cmd_area_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct region_area_in *in = NULL;
	char **copies = NULL, *data;
	const char *why;
	size_t len;
	int n, line, rc = 1;

	if (argc != 1) {
		fprintf(stderr,
			"用法 usage: linli area import FILE.csv "
			"(columns code,name,street[,street_name,district,district_name])\n");
		return LIN_EXIT_USAGE;
	}
	data = buf_read_file(argv[0], IMPORT_BYTES, &len);
	if (!data) {
		fprintf(stderr, "linli: 无法读取 cannot read %s\n", argv[0]);
		return 1;
	}
	in = calloc(REGION_IMPORT_MAX, sizeof(*in));
	n = in ? read_rows(data, len, in, &copies) : -1;
	if (n < 0 || cmd_open(ctx))
		goto out;
	rc = region_areas_add(ctx->db, in, n, "cli", &line, &why);
	if (!rc)
		rc = seed(ctx->db, in, n);
	if (rc)
		/* line 1 is the header */
		fprintf(stderr,
			"linli: 第 %d 行 line %d (%s): %s；未导入任何居民区 nothing imported\n",
			line + 2, line + 2, n ? in[line].code : "", why ? why : lin_strerror(rc));
	else
		printf("已导入 %d 个居民区 Imported %d areas\n", n, n);
	rc = rc ? 1 : 0;
out:
	for (int i = 0; copies && copies[i]; i++)
		free(copies[i]);
	free(copies);
	free(in);
	free(data);
	return rc;
}

const struct command region_commands[] = {
    {"area add", cmd_area_add, CMD_DB,
     "CODE NAME --street CODE [--street-name NAME --district CODE [--district-name NAME]]",
     "新建居民区（街道、区不存在时一并新建） add an area (and its street and district if new)"},
    {"area list", cmd_area_list, CMD_DB, "", "列出全部居民区 list the areas"},
    {"area import", cmd_area_import, CMD_DB, "FILE.csv",
     "从 CSV 导入一个街道的居民区（先校验全部行） import a street's areas from CSV (every row "
     "checked first)"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
