/* The roster subcommands (src/roster/cli.c), for the command line's
 * feature table. */
#ifndef LINLI_ROSTER_CLI_H
#define LINLI_ROSTER_CLI_H

#include "../base/command.h"

/* roster_commands: linli roster generate, solve and check (none of them
 * needs a database). */
extern const struct command roster_commands[];

#endif
