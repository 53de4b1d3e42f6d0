/* `linli assembly tally` (src/assembly/cli_tally.c): the auditors'
 * offline count, for the command line's feature table. The lead splices
 * it into assembly_commands[] when the assembly feature's row exists. */
#ifndef LINLI_ASSEMBLY_CLI_TALLY_H
#define LINLI_ASSEMBLY_CLI_TALLY_H

#include "../base/command.h"

/* assembly_tally_commands: `linli assembly tally` (needs no database). */
extern const struct command assembly_tally_commands[];

#endif
