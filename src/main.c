/* linli: one binary for a residential area's work. main finds the
 * subcommand in the table (cli/commands.c) and runs it. */
#include "cli/cli.h"
#include "base/log.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "linli — 邻里：居民区治理 neighbourhood governance\n\n"
		     "用法 usage: linli COMMAND [--db URL] [--config FILE] ...\n\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  linli %s %s\n      %s\n", c->name, c->usage, c->help);
	fprintf(out, "\n--db URL: sqlite:PATH (默认 default sqlite:linli.db) 或 or postgres://...\n"
		     "设置也可来自 settings also come from linli.conf and LINLI_* variables; "
		     "see `man linli`.\n");
}

static int wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
	return 0;
}

/* command_words: how many of argv's words spell name ("noise meter add"
 * is three), or 0 when they do not. */
static int command_words(const char *name, int argc, char **argv)
{
	int words = 0;

	while (*name) {
		size_t n = strcspn(name, " ");
		if (words >= argc || strlen(argv[words]) != n || strncmp(argv[words], name, n))
			return 0;
		words++;
		name += n;
		if (*name == ' ')
			name++;
	}
	return words;
}

int main(int argc, char **argv)
{
	struct config cfg;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (const struct command *c = commands; c->name; c++) {
		int words = command_words(c->name, argc - 1, argv + 1);
		if (!words)
			continue;
		if (wants_help(argc - 1 - words, argv + 1 + words)) {
			printf("用法 usage: linli %s %s\n%s\n", c->name, c->usage, c->help);
			return 0;
		}
		if (config_load(&cfg, argc, argv))
			return 2;
		return c->run(&cfg, argc - 1 - words, argv + 1 + words);
	}
	fprintf(stderr, "linli: 未知命令 unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return 2;
}
