/* Fuzz target for the settings file (src/cli/config.c): any bytes as
 * linli.conf. A file that loads gives settings within their limits, and
 * every string setting holds exactly the value its last line gave (never
 * a value cut short); a file with a line of 2 KiB or more, or a value too
 * long for its setting, is refused. */
#include "fuzz.h"
#include "base/err.h"
#include "cli/cli.h"
#include "web/conn_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* trimmed: [*b, *e) without the spaces around it. */
static void trimmed(const char **b, const char **e)
{
	while (*b < *e && is_space(**b))
		(*b)++;
	while (*e > *b && is_space((*e)[-1]))
		(*e)--;
}

/* The string settings and where they live. */
static const char *text_of(struct config *c, const char *key, size_t *cap)
{
	static const struct {
		const char *key;
		size_t off, cap;
	} keys[] = {
	    {"db", offsetof(struct config, db), sizeof(((struct config *)0)->db)},
	    {"listen", offsetof(struct config, listen), sizeof(((struct config *)0)->listen)},
	    {"area", offsetof(struct config, area), sizeof(((struct config *)0)->area)},
	    {"smtp_from", offsetof(struct config, smtp_from),
	     sizeof(((struct config *)0)->smtp_from)},
	    {"upload_dir", offsetof(struct config, upload_dir),
	     sizeof(((struct config *)0)->upload_dir)},
	    {"trusted_proxies", offsetof(struct config, trusted_proxies),
	     sizeof(((struct config *)0)->trusted_proxies)},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i].key)) {
			*cap = keys[i].cap;
			return (const char *)c + keys[i].off;
		}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct config cfg;
	FILE *f;
	int rc, long_line = 0, too_long = 0;

	if (memchr(data, '\0', size))
		return 0; /* a text file: fgets stops reading a line at no NUL */
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/linli-fuzz-config.%d", (int)getpid());
	f = fopen(path, "wb");
	FUZZ_CHECK(f != NULL);
	FUZZ_CHECK(fwrite(data, 1, size, f) == size);
	fclose(f);
	unsetenv("LINLI_CONFIG");
	char *argv[] = {"linli", "serve", "--config", path, NULL};
	rc = config_load(&cfg, 4, argv);
	unlink(path);
	FUZZ_CHECK(rc == 0 || rc == LIN_EINVAL);

	/* What the file says, read here line by line (a NUL-terminated copy). */
	char *text = fuzz_strndup(data, size);
	const char *p = text, *end = text + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *b = p, *e = le, *eq;
		if ((size_t)(le - p) + (nl ? 1 : 0) > 2047)
			long_line = 1;
		trimmed(&b, &e);
		eq = memchr(b, '=', (size_t)(e - b));
		if (b < e && *b != '#' && eq) {
			const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
			char key[32];
			size_t cap;
			trimmed(&kb, &ke);
			trimmed(&vb, &ve);
			if ((size_t)(ke - kb) < sizeof(key)) {
				memcpy(key, kb, (size_t)(ke - kb));
				key[ke - kb] = '\0';
				if (text_of(&cfg, key, &cap) && (size_t)(ve - vb) >= cap)
					too_long = 1;
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (long_line || too_long || rc) {
		FUZZ_CHECK(rc == LIN_EINVAL || !(long_line || too_long));
		free(text);
		return 0;
	}
	FUZZ_CHECK(cfg.threads >= 1 && cfg.threads <= 64);
	FUZZ_CHECK(cfg.body_max >= 1024 && cfg.upload_max >= 1024);
	FUZZ_CHECK(!strcmp(cfg.log_level, "debug") || !strcmp(cfg.log_level, "info") ||
		   !strcmp(cfg.log_level, "warn") || !strcmp(cfg.log_level, "error"));
	FUZZ_CHECK(cfg.upload_dir[0] != '\0');
	/* The connection guard's rules are usable as they are. */
	FUZZ_CHECK(cfg.header_timeout >= 1 && cfg.body_timeout >= 1 && cfg.body_min_rate >= 1);
	FUZZ_CHECK(cfg.per_ip_limit >= 1 && cfg.reserve_per_ip >= 1 && cfg.proxy_limit >= 1);
	FUZZ_CHECK(cfg.conn_max >= 1 && cfg.conn_reserve < cfg.conn_max);
	{
		struct lin_addr_limit proxies[CONN_GUARD_MAX_PROXIES];
		int n = lin_parse_addr_limits(cfg.trusted_proxies, CONN_GUARD_MAX_LIMIT, proxies,
					      CONN_GUARD_MAX_PROXIES);
		FUZZ_CHECK(n >= 0 && n <= CONN_GUARD_MAX_PROXIES);
	}
	/* Each string setting is its last line's value, whole. */
	p = text;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *b = p, *e = nl ? nl : end, *eq;
		trimmed(&b, &e);
		eq = memchr(b, '=', (size_t)(e - b));
		if (b < e && *b != '#' && eq) {
			const char *kb = b, *ke = eq, *vb = eq + 1, *ve = e;
			char key[32];
			size_t cap;
			const char *got;
			trimmed(&kb, &ke);
			trimmed(&vb, &ve);
			if ((size_t)(ke - kb) < sizeof(key)) {
				memcpy(key, kb, (size_t)(ke - kb));
				key[ke - kb] = '\0';
				got = text_of(&cfg, key, &cap);
				/* A later line for the same key may have replaced it. */
				if (got && !strstr(nl ? nl : end, key))
					FUZZ_CHECK(strlen(got) == (size_t)(ve - vb) &&
						   !memcmp(got, vb, (size_t)(ve - vb)));
			}
		}
		p = nl ? nl + 1 : end;
	}
	free(text);
	return 0;
}
