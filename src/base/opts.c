/* The option-table parser (opts.h). */
#include "opts.h"
#include "err.h"
#include "parse.h"

#include <stdio.h>
#include <string.h>

static const struct opt *find_opt(const struct opt *opts, const char *name)
{
	for (const struct opt *o = opts; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

int opts_parse(const struct opt *opts, int argc, char **argv, const char **pos, int maxpos,
	       int *npos)
{
	*npos = 0;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const struct opt *o;

		if (arg[0] != '-' || !arg[1]) {
			if (*npos >= maxpos) {
				fprintf(stderr, "linli: 参数过多 too many arguments: %s\n", arg);
				return LIN_EINVAL;
			}
			pos[(*npos)++] = arg;
			continue;
		}
		if (!(o = find_opt(opts, arg))) {
			fprintf(stderr, "linli: 未知选项 unknown option %s\n", arg);
			return LIN_EINVAL;
		}
		if (o->kind == OPT_FLAG) {
			*(int *)o->out = 1;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "linli: 选项 %s 缺少值 option %s needs a value\n", arg,
				arg);
			return LIN_EINVAL;
		}
		arg = argv[++i];
		if (o->kind == OPT_TEXT) {
			*(const char **)o->out = arg;
		} else if (parse_int64(arg, o->min, o->max, (int64_t *)o->out)) {
			fprintf(stderr,
				"linli: %s 须为 %lld 到 %lld 的整数 must be an integer from %lld "
				"to %lld\n",
				o->name, (long long)o->min, (long long)o->max, (long long)o->min,
				(long long)o->max);
			return LIN_EINVAL;
		}
	}
	return 0;
}
