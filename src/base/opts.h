/* One option parser for every subcommand: a command describes its options
 * in a table and gets its positional arguments back. Options may come in
 * any order and before or after positional arguments; a later repeat of
 * an option wins. "-" alone is a positional argument (standard input). */
#ifndef LINLI_BASE_OPTS_H
#define LINLI_BASE_OPTS_H

#include <stdint.h>

enum opt_kind {
	OPT_FLAG, /* "--json": out is an int *, set to 1 */
	OPT_TEXT, /* "--week VALUE": out is a const char **, pointing into argv */
	OPT_INT,  /* "--seed N", min <= N <= max: out is an int64_t * */
};

struct opt {
	const char *name;   /* "--json", "-o"; NULL ends the table */
	enum opt_kind kind; /* what follows the name */
	void *out;	    /* where the value goes */
	int64_t min, max;   /* OPT_INT's range */
};

/* opts_parse reads argv against opts, putting up to maxpos positional
 * arguments into pos (*npos of them). Returns 0, or LIN_EINVAL with the
 * reason printed to stderr (an unknown option, a missing or bad value, too
 * many arguments); the caller then prints its usage line. */
int opts_parse(const struct opt *opts, int argc, char **argv, const char **pos, int maxpos,
	       int *npos);

#endif
