/* The portal's subcommands: `linli portal sms URL|none` sets where the
 * one-time codes are sent (an SMS gateway's webhook, through the outbox);
 * `linli portal check PHONE CODE [--at SECONDS]` spends a code as the
 * sign-in would at a given second (the edge of a code's life in tests, or
 * a code read to the committee on the phone). */
#include "internal.h"
#include "../base/command.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int portal_cli_sms(struct cmd_ctx *ctx, int argc, char **argv)
{
	int rc;

	if (argc != 1) {
		fprintf(stderr, "usage: linli portal sms URL|none [--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = portal_sms_set(ctx->db, ctx->area, strcmp(argv[0], "none") ? argv[0] : "");
	if (rc == LIN_EINVAL || rc == LIN_ETOOBIG) {
		fprintf(stderr, "linli: 地址须以 http:// 或 https:// 开头 the address must start "
				"with http:// or https://\n");
		return 1;
	}
	if (rc) {
		fprintf(stderr, "linli: 保存失败 could not save: %s\n", lin_strerror(rc));
		return 1;
	}
	return 0;
}

static int portal_cli_check(struct cmd_ctx *ctx, int argc, char **argv)
{
	char phone[16], code[PORTAL_CODE_DIGITS + 1], user[80];
	int64_t now = (int64_t)time(NULL), id = 0;
	int rc;

	if (argc == 4 && !strcmp(argv[2], "--at") && parse_int64(argv[3], 0, INT64_MAX, &now) == 0)
		argc = 2;
	if (argc != 2 || portal_phone_parse(argv[0], phone, sizeof(phone)) ||
	    portal_code_parse(argv[1], code, sizeof(code))) {
		fprintf(stderr,
			"usage: linli portal check PHONE CODE [--at SECONDS] [--area CODE]\n");
		return LIN_EXIT_USAGE;
	}
	if (cmd_open(ctx))
		return 1;
	rc = portal_code_use(ctx->db, ctx->area, phone, code, now, &id, user, sizeof(user));
	if (rc == LIN_EAUTH || rc == LIN_ELIMIT) {
		fprintf(stderr,
			"linli: 验证码不对、已用过或已过期 the code is wrong, spent or expired\n");
		return 1;
	}
	if (rc) {
		fprintf(stderr, "linli: %s\n", lin_strerror(rc));
		return 1;
	}
	printf("%s\n", user);
	return 0;
}

const struct command portal_commands[] = {
    {"portal sms", portal_cli_sms, CMD_DB | CMD_AREA, "URL|none [--area CODE]",
     "居民之家验证码的短信网关（网络钩子；none：只写日志） where the portal's sign-in codes "
     "are sent"},
    {"portal check", portal_cli_check, CMD_DB | CMD_AREA, "PHONE CODE [--at SECONDS]",
     "核对并用掉一个验证码 spend a sign-in code as the portal would at a given second"},
    {NULL, NULL, 0, NULL, NULL},
};
