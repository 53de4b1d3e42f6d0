/* A subcommand as the command line runs it. A feature lists its commands
 * in a table of struct command; cli/ gathers the tables (cli/features.c),
 * finds the command, takes the shared settings flags off argv and runs it
 * with a context. What a command needs (a database, an area) it declares
 * in the table and receives through cmd_open, so no feature reaches up to
 * the command line for it. */
#ifndef LINLI_BASE_COMMAND_H
#define LINLI_BASE_COMMAND_H

#include <stdint.h>

struct db;

enum cmd_needs {
	CMD_NONE = 0,  /* files and standard streams only */
	CMD_DB = 1,    /* the database, schema up to date */
	CMD_AREA = 3,  /* the database and one area in it (implies CMD_DB) */
	CMD_AUDIT = 4, /* with CMD_DB: reads the audit log itself, so a key that does not
			  match its newest entry is the command's to report, not an error */
};

struct cmd_ctx {
	struct db *db;	  /* after cmd_open: owned by the command line, closed after run;
			     a command may close it early and set it NULL */
	int64_t area;	  /* after cmd_open of a CMD_AREA command: --area's id, or the
			     only area there is */
	unsigned needs;	  /* the command's enum cmd_needs */
	const char *lang; /* "zh-CN" or "en": --lang, else LANG */
	/* Set by the command line: fills db (and area) as needs says,
	 * printing any error. Called through cmd_open. */
	int (*open)(struct cmd_ctx *ctx);
	void *owner; /* the command line's own state (its settings) */
};

/* cmd_open gives the command what it declared: call it once the arguments
 * have been checked, so that a usage error opens (and creates) nothing.
 * Returns 0, or an error already printed. */
static inline int cmd_open(struct cmd_ctx *ctx)
{
	return ctx->open(ctx);
}

struct command {
	const char *name; /* "noise meter add": the words that call it */
	/* argv holds what follows the name, settings flags taken out; returns
	 * an exit status: 0, 1 (failed), LIN_EXIT_USAGE (base/err.h). */
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
	unsigned needs;	   /* enum cmd_needs */
	const char *usage; /* one line of arguments */
	const char *help;  /* what it does, Chinese then English */
};

#endif
