/* The command line's driver: find the subcommand in the features' tables,
 * load the settings, take the settings flags off argv, and run the command
 * with a context that opens what the command declared it needs. */
#include "cli.h"
#include "../base/command.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../web/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "linli — 邻里：居民区治理 neighbourhood governance\n\n"
		     "用法 usage: linli COMMAND [--db URL] [--config FILE] ...\n\n");
	for (const struct feature *f = features; f->name; f++)
		for (const struct command *c = f->commands; c && c->name; c++)
			fprintf(out, "  linli %s %s\n      %s\n", c->name, c->usage, c->help);
	fprintf(out, "\n--db URL: sqlite:PATH (默认 default sqlite:linli.db) 或 or postgres://...\n"
		     "设置也可来自 settings also come from linli.conf and LINLI_* variables; "
		     "see `man linli`.\n");
}

static int wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/* command_words: how many of argv's words spell name ("noise meter add"
 * is three), or 0 when they do not. */
static int command_words(const char *name, int argc, char **argv)
{
	int words = 0;

	while (*name) {
		size_t n = strcspn(name, " ");
		if (words >= argc || strlen(argv[words]) != n || strncmp(argv[words], name, n))
			return 0;
		words++;
		name += n;
		if (*name == ' ')
			name++;
	}
	return words;
}

/* use_audit_key reads (or, the first time, creates) the audit chain's key
 * file and checks that the newest entry was written under the same key:
 * a server given another key than its peers must not write a chain no one
 * can verify. */
static int use_audit_key(const struct config *cfg, struct db *db, unsigned needs)
{
	char why[256];
	int rc = audit_key_load(cfg->audit_key, db, why, sizeof(why));

	if (rc) {
		fprintf(stderr,
			"linli: 审计密钥文件 %s 无法使用 cannot use the audit key file %s: %s\n",
			cfg->audit_key, cfg->audit_key, why);
		return rc;
	}
	rc = audit_key_matches(db);
	if (rc == LIN_EINVAL && (needs & CMD_AUDIT))
		return 0;
	if (rc == LIN_EINVAL)
		fprintf(
		    stderr,
		    "linli: 审计日志最新一条不是用 %s 中的密钥写的，请检查 audit_key 设置 "
		    "the newest audit entry was not written with the key in %s: check audit_key\n",
		    cfg->audit_key, cfg->audit_key);
	else if (rc)
		fprintf(stderr, "linli: 无法读取审计日志 cannot read the audit log: %s\n",
			db_errmsg(db));
	return rc;
}

/* open_db connects to cfg->db and brings the schema up to date. */
static int open_db(const struct config *cfg, struct db **db, unsigned needs)
{
	int applied, rc = db_open(cfg->db, db);

	if (rc) {
		char shown[1100];
		db_url_redacted(cfg->db, shown, sizeof(shown));
		fprintf(stderr, "linli: 无法打开数据库 cannot open database %s\n", shown);
		return rc;
	}
	rc = db_migrate(*db, &applied);
	if (rc)
		fprintf(stderr, "linli: 数据库迁移失败 migration failed: %s\n", db_errmsg(*db));
	else
		rc = use_audit_key(cfg, *db, needs);
	if (rc) {
		db_close(*db);
		*db = NULL;
	}
	return rc;
}

/* ctx_open: struct cmd_ctx's open, as the command declared its needs. */
static int ctx_open(struct cmd_ctx *ctx)
{
	const struct config *cfg = ctx->owner;
	int rc;

	if (!ctx->db && (rc = open_db(cfg, &ctx->db, ctx->needs)))
		return rc;
	if ((ctx->needs & CMD_AREA) != CMD_AREA)
		return 0;
	rc = area_resolve(ctx->db, cfg->area, &ctx->area, NULL, 0);
	if (rc == LIN_ENOTFOUND && cfg->area[0])
		fprintf(stderr, "linli: 没有代码为 %s 的居民区 no area with code %s\n", cfg->area,
			cfg->area);
	else if (rc == LIN_ENOTFOUND || rc == LIN_ECONFLICT)
		fprintf(stderr,
			"linli: 请用 --area CODE 指明居民区 name the area with --area CODE\n");
	else if (rc)
		fprintf(stderr, "linli: 无法读取居民区 cannot read the areas: %s\n",
			db_errmsg(ctx->db));
	return rc;
}

/* run: cfg's settings flags out of argv, then the command. */
static int run(const struct command *c, struct config *cfg, int argc, char **argv)
{
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	struct cmd_ctx ctx = {.needs = c->needs, .open = ctx_open, .owner = cfg};
	const char *lang = getenv("LANG");
	int n = 0, rc;

	if (!rest)
		return 1;
	for (int i = 0; i < argc; i++) {
		int used = config_flag(cfg, argc, argv, i);
		if (used < 0) {
			free(rest);
			return LIN_EXIT_USAGE;
		}
		if (used)
			i += used - 1;
		else
			rest[n++] = argv[i];
	}
	log_set_level(!strcmp(cfg->log_level, "debug")	 ? LOG_DEBUG
		      : !strcmp(cfg->log_level, "warn")	 ? LOG_WARN
		      : !strcmp(cfg->log_level, "error") ? LOG_ERROR
							 : LOG_INFO);
	ctx.lang = lang && !strncmp(lang, "en", 2) ? "en" : "zh-CN";
	rc = c->run(&ctx, n, rest);
	db_close(ctx.db);
	free(rest);
	return rc;
}

int cli_main(int argc, char **argv)
{
	struct config cfg;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? LIN_EXIT_USAGE : 0;
	}
	for (const struct feature *f = features; f->name; f++)
		for (const struct command *c = f->commands; c && c->name; c++) {
			int words = command_words(c->name, argc - 1, argv + 1);
			if (!words)
				continue;
			if (wants_help(argc - 1 - words, argv + 1 + words)) {
				printf("用法 usage: linli %s %s\n%s\n", c->name, c->usage, c->help);
				return 0;
			}
			if (config_load(&cfg, argc, argv))
				return LIN_EXIT_USAGE;
			return run(c, &cfg, argc - 1 - words, argv + 1 + words);
		}
	fprintf(stderr, "linli: 未知命令 unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return LIN_EXIT_USAGE;
}
