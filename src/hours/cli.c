/* linli hours credit / correct / list: the ledger from the command line,
 * through the same store functions as the pages and the API. (The
 * balances check is part of linli audit verify.) */
#include "hours.h"
#include "model.h"
#include "store.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* refused prints a store error in both languages. */
static int refused(int rc, const char *why)
{
	if (why)
		fprintf(stderr, "linli: %s %s\n", i18n_t("zh-CN", why), i18n_t("en", why));
	else
		fprintf(stderr, "linli: 写入失败 cannot write: %s\n", lin_strerror(rc));
	return 1;
}

/* number reads an optional whole number option; absent leaves *out. */
static int number(const char *s, int64_t *out)
{
	return s && parse_int64(s, INT64_MIN / 2, INT64_MAX / 2, out) ? LIN_EINVAL : 0;
}

static int hours_cli_credit(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *resident = NULL, *member = NULL, *minutes = NULL, *source = "manual",
		   *source_id = NULL, *day = NULL, *note = NULL;
	const struct opt opts[] = {
	    {"--resident", OPT_TEXT, &resident, 0, 0},	 {"--member", OPT_TEXT, &member, 0, 0},
	    {"--minutes", OPT_TEXT, &minutes, 0, 0},	 {"--source", OPT_TEXT, &source, 0, 0},
	    {"--source-id", OPT_TEXT, &source_id, 0, 0}, {"--day", OPT_TEXT, &day, 0, 0},
	    {"--note", OPT_TEXT, &note, 0, 0},		 {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct hours_credit_in in = {0};
	const char *why = NULL;
	int64_t id = 0;
	int npos, rc;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || !minutes || !day ||
	    (!resident && !member) || number(resident, &in.resident_id) ||
	    number(member, &in.member_id) || number(minutes, &in.minutes) ||
	    number(source_id, &in.source_id)) {
		fprintf(stderr,
			"用法 usage: linli hours credit --resident ID|--member ID --minutes N "
			"--day YYYY-MM-DD [--source KIND] [--source-id ID] [--note TEXT]\n");
		return LIN_EXIT_USAGE;
	}
	in.source = source;
	in.day = day;
	in.note = note;
	if (cmd_open(ctx))
		return 1;
	rc = db_begin(ctx->db);
	if (!rc)
		rc = hours_credit(ctx->db, ctx->area, 0, &in, &id, &why);
	if (rc) {
		db_rollback(ctx->db);
		return refused(rc, why);
	}
	rc = db_commit(ctx->db);
	if (rc)
		return refused(rc, NULL);
	printf("%" PRId64 "\n", id);
	return 0;
}

static int hours_cli_correct(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *minutes = NULL, *reason = NULL, *pos[1];
	const struct opt opts[] = {
	    {"--minutes", OPT_TEXT, &minutes, 0, 0},
	    {"--reason", OPT_TEXT, &reason, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	const char *why = NULL;
	int64_t entry = 0, m = 0, id = 0;
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, pos, 1, &npos) || npos != 1 ||
	    parse_int64(pos[0], 1, INT64_MAX, &entry) || number(minutes, &m)) {
		fprintf(stderr,
			"用法 usage: linli hours correct ENTRY [--minutes N] --reason TEXT\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = minutes ? 0 : hours_entry_minutes(ctx->db, ctx->area, entry, &m); /* all of it */
	if (rc == LIN_ENOTFOUND)
		return refused(rc, "hours.err.entry");
	if (!rc)
		rc = hours_correct(ctx->db, ctx->area, 0, entry, m, reason, &id, &why);
	if (rc)
		return refused(rc, why);
	printf("%" PRId64 "\n", id);
	return 0;
}

static int hours_cli_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *resident = NULL, *member = NULL;
	const struct opt opts[] = {
	    {"--resident", OPT_TEXT, &resident, 0, 0},
	    {"--member", OPT_TEXT, &member, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct hours_person p = {0};
	const char *why = NULL;
	json_t *rows = NULL;
	int64_t r = 0, m = 0;
	int npos, rc;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || number(resident, &r) ||
	    number(member, &m)) {
		fprintf(stderr, "用法 usage: linli hours list [--resident ID|--member ID]\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	if (r || m) {
		rc = hours_person_resolve(ctx->db, ctx->area, r, m, &p, &why);
		if (rc)
			return refused(rc, why);
	}
	rc = hours_entries_read(ctx->db, ctx->area, r || m ? p.key : NULL, NULL, NULL, &rows);
	if (!rc) {
		size_t i;
		json_t *e;
		json_array_foreach (rows, i, e) {
			char h[24];
			hours_format(json_integer_value(json_object_get(e, "minutes")), h);
			printf("%" JSON_INTEGER_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\n",
			       json_integer_value(json_object_get(e, "id")),
			       json_string_value(json_object_get(e, "day")),
			       json_string_value(json_object_get(e, "person")),
			       json_string_value(json_object_get(e, "kind")), h,
			       json_string_value(json_object_get(e, "source")),
			       json_string_value(json_object_get(e, "note")));
		}
	}
	json_decref(rows);
	if (rc)
		return refused(rc, NULL);
	return 0;
}

const struct command hours_commands[] = {
    {"hours credit", hours_cli_credit, CMD_AREA,
     "--resident ID|--member ID --minutes N --day YYYY-MM-DD [--source KIND] [--source-id ID] "
     "[--note TEXT]",
     "记入服务时长 credit service minutes to a person"},
    {"hours correct", hours_cli_correct, CMD_AREA, "ENTRY [--minutes N] --reason TEXT",
     "冲正一条时长记录（新增一条冲正分录）reverse an entry with a new one"},
    {"hours list", hours_cli_list, CMD_AREA, "[--resident ID|--member ID]",
     "列出时长分录 list the ledger's entries"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
