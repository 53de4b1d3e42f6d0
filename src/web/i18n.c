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

/* is_lang: the language range s[0..n) names the language code ("en",
 * "en-GB", "EN" for "en"; not "eng"). */
static int is_lang(const char *s, size_t n, const char *code)
{
	return n >= 2 && (s[0] | 32) == code[0] && (s[1] | 32) == code[1] &&
	       (n == 2 || s[2] == '-');
}

/* qvalue: an RFC 9110 weight ("0", "0.5", "0.125", "1", "1.000") in
 * s[0..n) as thousandths, or -1 when it is not one. */
static int qvalue(const char *s, size_t n)
{
	int q, unit = 100;

	if (!n || (s[0] != '0' && s[0] != '1') || n > 5 || (n > 1 && s[1] != '.'))
		return -1;
	q = (s[0] - '0') * 1000;
	for (size_t i = 2; i < n; i++, unit /= 10) {
		if (s[i] < '0' || s[i] > '9' || (q == 1000 && s[i] != '0'))
			return -1;
		q += (s[i] - '0') * unit;
	}
	return q;
}

/* trimmed: s[0..*n) without the blanks (space, tab) around it. */
static const char *trimmed(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t'))
		s++, (*n)--;
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

const char *i18n_lang(const char *tag)
{
	int best_en = -1, best_zh = -1;

	/* A cookie value or an Accept-Language list such as
	 * "en-US,en;q=0.9,zh;q=0.8": the better-weighted of the two wins,
	 * Chinese when neither is named or on a tie. An element whose weight
	 * is not a valid qvalue counts as not named. */
	for (const char *p = tag; p && *p;) {
		const char *end = strchr(p, ','), *semi, *range;
		size_t n;
		int q = 1000;

		if (!end)
			end = p + strlen(p);
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi ? semi : end) - p);
		range = trimmed(p, &n);
		while (semi && semi < end) {
			const char *next = memchr(semi + 1, ';', (size_t)(end - semi - 1));
			size_t pn = (size_t)((next ? next : end) - semi - 1);
			const char *param = trimmed(semi + 1, &pn);
			if (pn >= 2 && (param[0] | 32) == 'q' && param[1] == '=')
				q = qvalue(param + 2, pn - 2);
			semi = next;
		}
		if (q <= 0) /* q=0: "not this one" */
			;
		else if (is_lang(range, n, "en") && q > best_en)
			best_en = q;
		else if (is_lang(range, n, "zh") && q > best_zh)
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
