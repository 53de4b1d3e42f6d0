/* linli assembly ...: an owners' assembly from the command line, through
 * the same store functions as the pages and the API (audited as "cli").
 * The auditors' offline count, `linli assembly tally`, is cli_tally.c. */
#include "internal.h"
#include "../base/err.h"
#include "../base/opts.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/i18n.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

static int usage(const char *line)
{
	fprintf(stderr, "用法 usage: linli assembly %s\n", line);
	return LIN_EXIT_USAGE;
}

/* one_id: exactly one positional argument, a positive id. */
static int one_id(const struct opt *opts, int argc, char **argv, int64_t *id)
{
	const char *pos[1];
	int npos = 0;

	if (opts_parse(opts, argc, argv, pos, 1, &npos) || npos != 1 ||
	    parse_int64(pos[0], 1, INT64_MAX, id))
		return LIN_EINVAL;
	return 0;
}

static int cli_create(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *compound = NULL, *title = NULL, *buildings = NULL;
	const struct opt opts[] = {
	    {"--compound", OPT_TEXT, &compound, 0, 0},
	    {"--title", OPT_TEXT, &title, 0, 0},
	    {"--buildings", OPT_TEXT, &buildings, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	int64_t compound_id = 0, ids[64], id = 0;
	size_t n = 0;
	const char *why = NULL;
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || !compound || !title ||
	    parse_int64(compound, 1, INT64_MAX, &compound_id))
		return usage("create --compound ID --title TEXT [--buildings ID,ID...]");
	for (const char *p = buildings; p && *p;) {
		char one[24];
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len >= sizeof(one) || n == 64)
			return usage("create --compound ID --title TEXT [--buildings ID,ID...]");
		memcpy(one, p, len);
		one[len] = '\0';
		if (parse_int64(one, 1, INT64_MAX, &ids[n++]))
			return usage("create --compound ID --title TEXT [--buildings ID,ID...]");
		p = end ? end + 1 : p + len;
	}
	if (cmd_open(ctx))
		return 1;
	rc = assembly_create(ctx->db, ctx->area, 0, compound_id, title, ids, n, assembly_now(), &id,
			     &why);
	if (rc)
		return refused(rc, why);
	printf("%" PRId64 "\n", id);
	return 0;
}

static int cli_roll_build(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, OPT_FLAG, NULL, 0, 0}};
	char unit[96];
	int64_t id = 0, n = 0;
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &id))
		return usage("roll build ASSEMBLY");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_roll_build(ctx->db, ctx->area, 0, id, &n, unit, sizeof(unit), &why);
	if (rc && unit[0])
		fprintf(stderr, "linli: %s\n", unit);
	if (rc)
		return refused(rc, why);
	printf("%" PRId64 "\n", n);
	return 0;
}

static int cli_roll_import(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *pos[2];
	const struct opt opts[] = {{NULL, OPT_FLAG, NULL, 0, 0}};
	json_t *errors = NULL, *e;
	int64_t id = 0, n = 0;
	const char *why = NULL;
	size_t len = 0, i;
	char *data;
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, pos, 2, &npos) || npos != 2 ||
	    parse_int64(pos[0], 1, INT64_MAX, &id))
		return usage("roll import ASSEMBLY FILE.csv");
	data = buf_read_file(pos[1], (size_t)32 << 20, &len);
	if (!data) {
		fprintf(stderr, "linli: 无法读取 cannot read %s\n", pos[1]);
		return 1;
	}
	if (cmd_open(ctx)) {
		free(data);
		return 1;
	}
	rc = assembly_roll_import(ctx->db, ctx->area, 0, id, data, len, &n, &errors, &why);
	free(data);
	json_array_foreach (errors, i, e) {
		const char *key = json_string_value(json_object_get(e, "key"));
		fprintf(stderr, "%s:%" JSON_INTEGER_FORMAT ": %s: %s %s\n", pos[1],
			json_integer_value(json_object_get(e, "line")),
			json_string_value(json_object_get(e, "column")), i18n_t("zh-CN", key),
			i18n_t("en", key));
	}
	json_decref(errors);
	if (rc)
		return refused(rc, why);
	printf("%" PRId64 "\n", n);
	return 0;
}

static int cli_objection_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *by = NULL, *body = NULL;
	int64_t part = 0, id = 0, oid = 0;
	const struct opt opts[] = {
	    {"--by", OPT_TEXT, &by, 0, 0},
	    {"--body", OPT_TEXT, &body, 0, 0},
	    {"--part", OPT_INT, &part, 1, INT64_MAX},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &id) || !by || !body)
		return usage("objection add ASSEMBLY --by NAME --body TEXT [--part PART]");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_objection_add(ctx->db, ctx->area, 0, id, part, by, body, assembly_now(), &oid,
				    &why);
	if (rc)
		return refused(rc, why);
	printf("%" PRId64 "\n", oid);
	return 0;
}

static int cli_objection_resolve(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *resolution = NULL, *kind = "none", *area = NULL, *owner = "", *unit = "";
	int uphold = 0, reject = 0;
	const struct opt opts[] = {
	    {"--uphold", OPT_FLAG, &uphold, 0, 0},
	    {"--reject", OPT_FLAG, &reject, 0, 0},
	    {"--resolution", OPT_TEXT, &resolution, 0, 0},
	    {"--correct", OPT_TEXT, &kind, 0, 0},
	    {"--area", OPT_TEXT, &area, 0, 0},
	    {"--owner", OPT_TEXT, &owner, 0, 0},
	    {"--unit", OPT_TEXT, &unit, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	struct assembly_correction c = {0};
	int64_t oid = 0;
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &oid) || uphold == reject || !resolution ||
	    (area && tally_area_parse(area, &c.area_centi)))
		return usage("objection resolve OBJECTION --uphold|--reject --resolution TEXT "
			     "[--correct none|area|owner|remove|add] [--area M2] [--owner NAME] "
			     "[--unit UNIT]");
	c.kind = kind;
	c.owner_name = owner;
	c.unit = unit;
	if (cmd_open(ctx))
		return 1;
	rc = assembly_objection_resolve(ctx->db, ctx->area, 0, oid, uphold, resolution, &c,
					assembly_now(), &why);
	return rc ? refused(rc, why) : 0;
}

static int cli_matter_add(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *code = NULL, *title = NULL, *body = "";
	int64_t item = 0, id = 0, matter = 0;
	const struct opt opts[] = {
	    {"--code", OPT_TEXT, &code, 0, 0},	 {"--item", OPT_INT, &item, 1, 9},
	    {"--title", OPT_TEXT, &title, 0, 0}, {"--body", OPT_TEXT, &body, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &id) || !code || !item || !title)
		return usage(
		    "matter add ASSEMBLY --code CODE --item 1..9 --title TEXT [--body TEXT]");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_matter_add(ctx->db, ctx->area, 0, id, code, (int)item, title, body, &matter,
				 &why);
	if (rc)
		return refused(rc, why);
	printf("%" PRId64 "\n", matter);
	return 0;
}

static int cli_publish(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *published = NULL, *opens = NULL, *closes = NULL;
	const struct opt opts[] = {
	    {"--published-at", OPT_TEXT, &published, 0, 0},
	    {"--opens-at", OPT_TEXT, &opens, 0, 0},
	    {"--closes-at", OPT_TEXT, &closes, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	int64_t id = 0, p = 0, o = 0, c = 0;
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &id) || !closes || assembly_time_parse(closes, &c) ||
	    (published && assembly_time_parse(published, &p)) ||
	    (opens && assembly_time_parse(opens, &o)))
		return usage("publish ASSEMBLY --closes-at TIME [--opens-at TIME] [--published-at "
			     "TIME]   (TIME: YYYY-MM-DD HH:MM Shanghai, or epoch seconds)");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_publish(ctx->db, ctx->area, 0, id, p, o, c, assembly_now(), &why);
	if (rc)
		return refused(rc, why);
	return 0;
}

static int cli_open(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, OPT_FLAG, NULL, 0, 0}};
	int64_t id = 0;
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &id))
		return usage("open ASSEMBLY");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_open(ctx->db, ctx->area, 0, id, assembly_now(), &why);
	return rc ? refused(rc, why) : 0;
}

static int cli_close(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, OPT_FLAG, NULL, 0, 0}};
	int64_t id = 0;
	const char *why = NULL;
	int rc;

	if (one_id(opts, argc, argv, &id))
		return usage("close ASSEMBLY");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_close(ctx->db, ctx->area, 0, id, assembly_now(), &why);
	return rc ? refused(rc, why) : 0;
}

/* cli_cast records the ballot of one part cast in person at an assembly
 * meeting (上海市住宅物业管理规定 Art. 18: deciding by meeting), at the
 * server's clock: linli assembly cast ASSEMBLY --part ID M1=agree ... */
static int cli_cast(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *part = NULL, *pos[17];
	const struct opt opts[] = {{"--part", OPT_TEXT, &part, 0, 0}, {NULL, OPT_FLAG, NULL, 0, 0}};
	struct assembly_choice choices[16];
	struct assembly_ballot_in in = {0};
	json_t *matters = NULL;
	const char *why = NULL;
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, pos, 17, &npos) || npos < 2 || !part ||
	    parse_int64(pos[0], 1, INT64_MAX, &in.assembly_id) ||
	    parse_int64(part, 1, INT64_MAX, &in.part_id))
		return usage("cast ASSEMBLY --part PART CODE=agree|oppose|abstain ...");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_matters_json(ctx->db, ctx->area, in.assembly_id, &matters);
	for (int i = 1; !rc && i < npos; i++) {
		const char *eq = strchr(pos[i], '=');
		size_t j;
		json_t *m;
		enum tally_choice c;

		if (!eq || tally_choice_parse(eq + 1, &c)) {
			json_decref(matters);
			return usage("cast ASSEMBLY --part PART CODE=agree|oppose|abstain ...");
		}
		choices[i - 1].matter_id = -1;
		choices[i - 1].choice = c;
		json_array_foreach (matters, j, m) {
			const char *code = json_string_value(json_object_get(m, "code"));
			if (strlen(code) == (size_t)(eq - pos[i]) &&
			    !strncmp(code, pos[i], (size_t)(eq - pos[i])))
				choices[i - 1].matter_id =
				    json_integer_value(json_object_get(m, "id"));
		}
	}
	json_decref(matters);
	in.channel = "meeting";
	in.cast_at = assembly_now();
	in.choices = choices;
	in.nchoices = (size_t)npos - 1;
	if (!rc)
		rc = db_begin(ctx->db);
	if (!rc) {
		rc = assembly_ballot_cast(ctx->db, ctx->area, 0, &in, &why);
		if (rc)
			db_rollback(ctx->db);
		else
			rc = db_commit(ctx->db);
	}
	if (rc && why && rc != LIN_EDB) {
		const char *reason = strrchr(why, '.');
		assembly_refusal_add(ctx->db, ctx->area, in.assembly_id, in.part_id, "meeting",
				     reason ? reason + 1 : why, in.cast_at);
	}
	return rc ? refused(rc, why) : 0;
}

static int cli_settings(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *roles = NULL, *mask = NULL, *why = NULL;
	const struct opt opts[] = {
	    {"--ballot-roles", OPT_TEXT, &roles, 0, 0},
	    {"--name-mask", OPT_TEXT, &mask, 0, 0},
	    {NULL, OPT_FLAG, NULL, 0, 0},
	};
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos) || !roles || !mask)
		return usage("settings --ballot-roles ROLE,ROLE... --name-mask full|surname|none");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_settings_set(ctx->db, ctx->area, 0, roles, mask, &why);
	return rc ? refused(rc, why) : 0;
}

static int cli_list(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct opt opts[] = {{NULL, OPT_FLAG, NULL, 0, 0}};
	json_t *rows = NULL, *r;
	size_t i;
	int npos = 0, rc;

	if (opts_parse(opts, argc, argv, NULL, 0, &npos))
		return usage("list");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_list_json(ctx->db, ctx->area, &rows);
	if (!rc)
		json_array_foreach (rows, i, r)
			printf("%" JSON_INTEGER_FORMAT "\t%s\t%s\t%s\t%" JSON_INTEGER_FORMAT
			       "\t%" JSON_INTEGER_FORMAT "\t%s\n",
			       json_integer_value(json_object_get(r, "id")),
			       json_string_value(json_object_get(r, "state")),
			       json_string_value(json_object_get(r, "compound")),
			       json_string_value(json_object_get(r, "title")),
			       json_integer_value(json_object_get(r, "parts")),
			       json_integer_value(json_object_get(r, "owners")),
			       json_string_value(json_object_get(r, "area_m2")));
	json_decref(rows);
	return rc ? refused(rc, NULL) : 0;
}

static int cli_show(struct cmd_ctx *ctx, int argc, char **argv)
{
	int json = 0;
	const struct opt opts[] = {{"--json", OPT_FLAG, &json, 0, 0}, {NULL, OPT_FLAG, NULL, 0, 0}};
	json_t *out = NULL;
	int64_t id = 0;
	int rc;

	if (one_id(opts, argc, argv, &id))
		return usage("show ASSEMBLY [--json]");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_result_json(ctx->db, ctx->area, id, &out);
	if (rc) {
		json_decref(out);
		return refused(rc, rc == LIN_ENOTFOUND ? "assembly.err.not_found" : NULL);
	}
	if (json) {
		char *text = json_dumps(out, JSON_INDENT(2) | JSON_SORT_KEYS);
		if (text)
			puts(text);
		free(text);
	} else {
		assembly_result_print(out, stdout);
	}
	json_decref(out);
	return 0;
}

/* write_whole writes data to path, all or an error. */
static int write_whole(const char *path, const struct buf *data)
{
	FILE *f = fopen(path, "wb");
	int rc = f ? 0 : LIN_EIO;

	if (!rc && fwrite(data->buf, 1, data->len, f) != data->len)
		rc = LIN_EIO;
	if (f && fclose(f))
		rc = LIN_EIO;
	if (rc)
		fprintf(stderr, "linli: 无法写入 cannot write %s\n", path);
	return rc;
}

/* cli_export writes the auditors' files of an assembly, those the server
 * counted, for `linli assembly tally`: linli assembly export --roll FILE
 * --ballots FILE ASSEMBLY. */
static int cli_export(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *roll_path = NULL, *ballots_path = NULL;
	const struct opt opts[] = {{"--roll", OPT_TEXT, &roll_path, 0, 0},
				   {"--ballots", OPT_TEXT, &ballots_path, 0, 0},
				   {NULL, OPT_FLAG, NULL, 0, 0}};
	struct buf roll, ballots;
	struct assembly a;
	int64_t id = 0;
	int rc;

	if (one_id(opts, argc, argv, &id) || !roll_path || !ballots_path)
		return usage("export --roll FILE --ballots FILE ASSEMBLY");
	if (cmd_open(ctx))
		return 1;
	rc = assembly_get(ctx->db, ctx->area, id, &a);
	if (rc)
		return refused(rc, rc == LIN_ENOTFOUND ? "assembly.err.not_found" : NULL);
	buf_init(&roll, BUF_DEFAULT_MAX);
	buf_init(&ballots, BUF_DEFAULT_MAX);
	rc = assembly_tally_files(ctx->db, ctx->area, id, &roll, &ballots);
	if (rc)
		refused(rc, NULL);
	else if (write_whole(roll_path, &roll) || write_whole(ballots_path, &ballots))
		rc = LIN_EIO;
	buf_release(&roll);
	buf_release(&ballots);
	return rc ? 1 : 0;
}

const struct command assembly_commands[] = {
    {"assembly list", cli_list, CMD_AREA, "", "列出业主大会 list the owners' assemblies"},
    {"assembly show", cli_show, CMD_AREA, "ASSEMBLY [--json]",
     "业主大会的状态、名册与表决结果 an assembly's state, roll and result"},
    {"assembly create", cli_create, CMD_AREA, "--compound ID --title TEXT [--buildings ID,ID...]",
     "新建业主大会（草稿） create an assembly (draft)"},
    {"assembly roll build", cli_roll_build, CMD_AREA, "ASSEMBLY",
     "按住户登记生成业主名册 build the roll from the registry's households"},
    {"assembly roll import", cli_roll_import, CMD_AREA, "ASSEMBLY FILE.csv",
     "从产权登记 CSV 导入业主名册（building,door,owner,area_m2[,developer,id_name,id_last4]） "
     "import the roll from the property register"},
    {"assembly objection add", cli_objection_add, CMD_AREA,
     "ASSEMBLY --by NAME --body TEXT [--part PART]",
     "登记对业主名册的异议 record an objection to the roll"},
    {"assembly objection resolve", cli_objection_resolve, CMD_AREA,
     "OBJECTION --uphold|--reject --resolution TEXT [--correct none|area|owner|remove|add] "
     "[--area M2] [--owner NAME] [--unit UNIT]",
     "处理名册异议（支持时更正名册） resolve an objection (upheld: correct the roll)"},
    {"assembly matter add", cli_matter_add, CMD_AREA,
     "ASSEMBLY --code CODE --item 1..9 --title TEXT [--body TEXT]",
     "添加表决事项 add a matter (Civil Code Art. 278 item)"},
    {"assembly publish", cli_publish, CMD_AREA,
     "ASSEMBLY --closes-at TIME [--opens-at TIME] [--published-at TIME]",
     "公示业主名册（15 天） publish the roll for 15 days"},
    {"assembly open", cli_open, CMD_AREA, "ASSEMBLY",
     "开始投票，名册冻结 open voting; the roll freezes"},
    {"assembly close", cli_close, CMD_AREA, "ASSEMBLY",
     "截止投票并公布结果 close voting and publish the result"},
    {"assembly settings", cli_settings, CMD_AREA,
     "--ballot-roles ROLE,ROLE... --name-mask full|surname|none",
     "谁能看到每户的表决意见、选票上姓名如何遮挡 who sees who voted how; how sheets mask names"},
    {"assembly cast", cli_cast, CMD_AREA, "ASSEMBLY --part PART CODE=agree|oppose|abstain ...",
     "记录会议现场表决的一张选票 record a ballot cast in person at the meeting"},
    {"assembly export", cli_export, CMD_AREA, "--roll FILE --ballots FILE ASSEMBLY",
     "导出供审计复核的名册和选票（linli assembly tally 的格式） write the auditors' roll and "
     "ballots for linli assembly tally"},
    {NULL, NULL, CMD_NONE, NULL, NULL},
};
