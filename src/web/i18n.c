/* Catalogue loading and lookup. The catalogues are parsed once, on first
 * use, into sorted arrays searched with bsearch. */
#include "i18n.h"
#include "../base/embed.h"
#include "../base/log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct message {
	const char *key;  /* e.g. "nav.residents" */
	const char *text; /* the translation */
};

struct catalogue {
	const char *lang;     /* "zh-CN" or "en" */
	const char *file;     /* embedded file name */
	struct message *msgs; /* sorted by key; process lifetime */
	int n;		      /* entries in msgs */
};

/* Process-wide, filled once by i18n_load under pthread_once. */
static struct catalogue catalogues[] = {{"zh-CN", "zh-CN.msg", NULL, 0}, {"en", "en.msg", NULL, 0}};
static pthread_once_t i18n_once = PTHREAD_ONCE_INIT;
static char *i18n_storage[2];

static int message_cmp(const void *a, const void *b)
{
	return strcmp(((const struct message *)a)->key, ((const struct message *)b)->key);
}

static void parse_catalogue(struct catalogue *c, char *text)
{
	int cap = 0;
	char *line = text, *next;

	for (; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *eq = strstr(line, " = ");
		if (line[0] == '#' || !eq)
			continue;
		*eq = '\0';
		if (c->n == cap) {
			cap = cap ? cap * 2 : 256;
			struct message *m = realloc(c->msgs, (size_t)cap * sizeof(*m));
			if (!m)
				return;
			c->msgs = m;
		}
		c->msgs[c->n].key = line;
		c->msgs[c->n].text = eq + 3;
		c->n++;
	}
	qsort(c->msgs, (size_t)c->n, sizeof(*c->msgs), message_cmp);
}

static void i18n_load(void)
{
	for (int i = 0; i < 2; i++) {
		for (const struct embedded_file *f = i18n_files; f->name; f++) {
			if (strcmp(f->name, catalogues[i].file))
				continue;
			i18n_storage[i] = strdup(f->data);
			if (i18n_storage[i])
				parse_catalogue(&catalogues[i], i18n_storage[i]);
		}
	}
}

static struct catalogue *catalogue_for(const char *lang)
{
	pthread_once(&i18n_once, i18n_load);
	return (lang && !strcmp(lang, "en")) ? &catalogues[1] : &catalogues[0];
}

/* is_en: the language range names English ("en", "en-GB", "EN"). */
static int is_en(const char *s, size_t n)
{
	return n >= 2 && (s[0] | 32) == 'e' && (s[1] | 32) == 'n' && (n == 2 || s[2] == '-');
}

const char *i18n_lang(const char *tag)
{
	double best_en = -1, best_zh = -1;

	/* A cookie value or an Accept-Language list such as
	 * "en-US,en;q=0.9,zh;q=0.8": the better-weighted of the two wins,
	 * Chinese when neither is named. */
	for (const char *p = tag; p && *p;) {
		const char *end = strchr(p, ','), *semi;
		size_t n;
		double q = 1.0;

		if (!end)
			end = p + strlen(p);
		while (*p == ' ')
			p++;
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi ? semi : end) - p);
		while (n && p[n - 1] == ' ')
			n--;
		if (semi) {
			const char *qv = strstr(semi, "q=");
			if (qv && qv < end)
				q = strtod(qv + 2, NULL);
		}
		if (q <= 0) /* q=0: "not this one" */
			;
		else if (is_en(p, n) && q > best_en)
			best_en = q;
		else if (n >= 2 && (p[0] | 32) == 'z' && (p[1] | 32) == 'h' && q > best_zh)
			best_zh = q;
		p = *end ? end + 1 : end;
	}
	return best_en > best_zh ? "en" : "zh-CN";
}

static const struct message *lookup(const char *lang, const char *key)
{
	struct catalogue *c = catalogue_for(lang);
	struct message probe = {key, NULL};
	if (!c->n)
		return NULL;
	return bsearch(&probe, c->msgs, (size_t)c->n, sizeof(*c->msgs), message_cmp);
}

const char *i18n_t(const char *lang, const char *key)
{
	const struct message *m = lookup(lang, key);
	if (!m) {
		log_warn("i18n: missing %s in %s", key, i18n_lang(lang));
		return key;
	}
	return m->text;
}

int i18n_has(const char *lang, const char *key)
{
	return lookup(lang, key) != NULL;
}

int i18n_count(const char *lang)
{
	return catalogue_for(lang)->n;
}

const char *i18n_key_at(const char *lang, int i)
{
	struct catalogue *c = catalogue_for(lang);
	return (i >= 0 && i < c->n) ? c->msgs[i].key : NULL;
}
