/* The duty feature's subcommands: `linli duty alerts` runs the
 * missed-shift sweep once now (the server runs it every minute). */
#include "duty.h"
#include "../base/command.h"
#include "../base/err.h"

#include <stdio.h>
#include <time.h>

static int duty_cli_alerts(struct cmd_ctx *ctx, int argc, char **argv)
{
	int alerts = 0, total = 0, rc;

	(void)argv;
	if (argc > 0) {
		fprintf(stderr, "usage: linli duty alerts\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	do {
		rc = duty_missed_sweep(ctx->db, (int64_t)time(NULL), &alerts);
		total += alerts;
	} while (rc == 1);
	if (rc < 0) {
		fprintf(stderr, "linli: 缺岗提醒失败 the missed-shift sweep failed: %s\n",
			lin_strerror(rc));
		return 1;
	}
	printf("%d\n", total);
	return 0;
}

const struct command duty_commands[] = {
    {"duty alerts", duty_cli_alerts, CMD_DB, "",
     "发出缺岗提醒（服务器每分钟自动运行） send the missed-shift alerts now"},
    {NULL, NULL, 0, NULL, NULL},
};
