/* The pets' subcommand: `linli pets remind [--day YYYY-MM-DD]` runs the
 * reminders' sweep once (the server runs it every hour), as of now or of
 * noon on a given Shanghai day (to catch up after a long stop, or to see
 * the edge of the reminder window in a test). */
#include "internal.h"
#include "../base/command.h"
#include "../base/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int pets_cli_remind(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t now = (int64_t)time(NULL), day;
	int sent = 0, rc;

	if (argc == 2 && !strcmp(argv[0], "--day")) {
		if (pets_day(argv[1], &day)) {
			fprintf(stderr, "linli: 日期不对 not a date: %s\n", argv[1]);
			return LIN_EXIT_USAGE;
		}
		now = day * 86400 + 12 * 3600 - 28800; /* noon in Shanghai */
	} else if (argc > 0) {
		fprintf(stderr, "usage: linli pets remind [--day YYYY-MM-DD]\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = pets_remind_sweep(ctx->db, now, &sent);
	if (rc < 0) {
		fprintf(stderr, "linli: 宠物提醒失败 the pets' reminders failed: %s\n",
			lin_strerror(rc));
		return 1;
	}
	printf("%d\n", sent);
	return 0;
}

static int pets_cli_webhook(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *url;
	int rc;

	if (argc != 1) {
		fprintf(stderr, "usage: linli pets webhook URL|none [--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	url = strcmp(argv[0], "none") ? argv[0] : "";
	if (cmd_open(ctx))
		return 1;
	rc = pets_webhook_set(ctx->db, ctx->area, url);
	if (rc && rc != LIN_EINVAL && rc != LIN_ETOOBIG) {
		fprintf(stderr, "linli: 保存失败 could not save: %s\n", lin_strerror(rc));
		return 1;
	}
	if (rc) {
		fprintf(
		    stderr,
		    "linli: 地址须以 http:// 或 https:// 开头 the address must start with http:// "
		    "or https:// (%s)\n",
		    lin_strerror(rc));
		return 1;
	}
	return 0;
}

const struct command pets_commands[] = {
    {"pets remind", pets_cli_remind, CMD_DB, "[--day YYYY-MM-DD]",
     "发出到期的犬证和疫苗提醒（服务器每小时自动运行） send the pets' due reminders now"},
    {"pets webhook", pets_cli_webhook, CMD_DB | CMD_AREA, "URL|none [--area CODE]",
     "宠物提醒同时发往的网络钩子（如短信网关） where the pets' reminders also go (e.g. an SMS "
     "gateway)"},
    {NULL, NULL, 0, NULL, NULL},
};
