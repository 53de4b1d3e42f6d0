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

const struct command pets_commands[] = {
    {"pets remind", pets_cli_remind, CMD_DB, "[--day YYYY-MM-DD]",
     "发出到期的犬证和疫苗提醒（服务器每小时自动运行） send the pets' due reminders now"},
    {NULL, NULL, 0, NULL, NULL},
};
