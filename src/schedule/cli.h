/* The schedule subcommands (src/schedule/cli.c), for the command table in
 * cli/commands.c, and the one step a database-backed caller reuses. */
#ifndef LINLI_SCHEDULE_CLI_H
#define LINLI_SCHEDULE_CLI_H

struct config;
struct sched_instance;

/* linli schedule generate --seed N --teams T --zones Z --slots S [--days D] */
int sched_cli_generate(struct config *cfg, int argc, char **argv);
/* linli schedule solve INSTANCE.json [--solver heuristic|cbc|auto]
 * [--time-limit SECONDS] [--seed N] [--json] */
int sched_cli_solve(struct config *cfg, int argc, char **argv);
/* linli schedule check INSTANCE.json TIMETABLE.json */
int sched_cli_check(struct config *cfg, int argc, char **argv);
/* linli schedule export --lp --instance INSTANCE.json [-o FILE] */
int sched_cli_export(struct config *cfg, int argc, char **argv);

/* sched_cli_export_lp writes in's MIP as an LP file to path ("-" or NULL:
 * standard output), printing any error; returns an exit status (0 or 1).
 * Whoever builds the instance (a JSON file, the database) calls this. */
int sched_cli_export_lp(const struct sched_instance *in, const char *path);

#endif
