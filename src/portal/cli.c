/* The portal's subcommand: `linli portal check PHONE CODE [--at SECONDS]`
 * spends a code as the sign-in would at a given second (the edge of a
 * code's life in tests, or a code read to the committee on the phone).
 * The codes go out through the area's SMS sender (`linli sms URL`). */
#include "internal.h"
#include "../base/command.h"
#include "../base/err.h"
#include "../base/parse.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
    {"portal check", portal_cli_check, CMD_DB | CMD_AREA, "PHONE CODE [--at SECONDS]",
     "核对并用掉一个验证码 spend a sign-in code as the portal would at a given second"},
    {NULL, NULL, 0, NULL, NULL},
};
