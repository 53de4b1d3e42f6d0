/* The schedule subcommands (src/schedule/cli.c), for the command line's
 * feature table, and the steps a database-backed caller reuses. */
#ifndef LINLI_SCHEDULE_CLI_H
#define LINLI_SCHEDULE_CLI_H

#include "../base/command.h"

struct sched_instance;

/* sched_commands: linli schedule generate, solve and check (none of
 * them needs a database). */
extern const struct command sched_commands[];
/* linli schedule export --lp --instance INSTANCE.json [-o FILE]; the
 * plaza's "schedule export" hands over to it when given --instance. */
int sched_cli_export(struct cmd_ctx *ctx, int argc, char **argv);

/* sched_cli_export_lp writes in's MIP as an LP file to path ("-" or NULL:
 * standard output), printing any error; returns an exit status (0 or 1).
 * Whoever builds the instance (a JSON file, the database) calls this. */
int sched_cli_export_lp(const struct sched_instance *in, const char *path);

#endif
