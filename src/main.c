/* linli: one binary for a residential area's work. The command line
 * (cli/run.c) finds the subcommand among the features (cli/features.c)
 * and runs it. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
