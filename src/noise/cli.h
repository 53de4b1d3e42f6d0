/* Inside the noise feature: its subcommands, listed in noise_commands
 * (cli.c) and written in cli.c, cli_meters.c and import.c. Each takes the
 * command line's context (base/command.h). */
#ifndef LINLI_NOISE_CLI_H
#define LINLI_NOISE_CLI_H

struct cmd_ctx;

/* linli noise analyze FILE [--calibration DB] [--weighting A|C|Z]
 * [--time F|S] [--json] [--per-second] */
int noise_cli_analyze(struct cmd_ctx *ctx, int argc, char **argv);
/* linli noise calibrate FILE --level DB */
int noise_cli_calibrate(struct cmd_ctx *ctx, int argc, char **argv);
/* linli noise meter add NAME [--mn MN --password PW] [--zone-class C] */
int noise_cli_meter_add(struct cmd_ctx *ctx, int argc, char **argv);
/* linli noise report --meter NAME --from ISO8601 --to ISO8601 [--json] */
int noise_cli_report(struct cmd_ctx *ctx, int argc, char **argv);
/* linli noise import-audio --meter NAME --start ISO8601 FILE [...] */
int noise_cli_import_audio(struct cmd_ctx *ctx, int argc, char **argv);

#endif
