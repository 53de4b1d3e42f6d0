/* Every page by every role: starting at "/", each identity (nobody and the
 * eight demo accounts) follows every link and image on every page it can
 * reach, the way a curious user would. No answer may be a server error,
 * and no link or image a page shows may lead where that reader cannot go
 * (403, 404, or back to the sign-in page): a page must not offer a door
 * its reader may not open. Each route pattern is visited a few times, not
 * once per row, so the crawl stays quick. */
#include "checks.h"
#include "upload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define CRAWL_MAX	600 /* pages one identity visits at most */
#define CRAWL_PER_SHAPE 3   /* visits of one route shape (numbers as :id, any query) */
#define CRAWL_URL_MAX	512

struct crawl {
	char (*seen)[CRAWL_URL_MAX]; /* every URL queued, in order */
	char (*from)[CRAWL_URL_MAX]; /* the page that showed it */
	int n, next;
	char shapes[CRAWL_MAX * 4][128];
	int shape_count[CRAWL_MAX * 4];
	int nshapes;
	int pages;
};

/* shape: the path with every all-digit segment as :id and the query gone. */
static void shape_of(const char *url, char *out, size_t n)
{
	size_t k = 0;

	for (const char *p = url; *p && *p != '?' && *p != '#' && k + 4 < n;) {
		if (p[0] == '/' && p[1] >= '0' && p[1] <= '9') {
			const char *q = p + 1;
			while (*q >= '0' && *q <= '9')
				q++;
			if (*q == '/' || *q == '?' || *q == '#' || !*q) {
				memcpy(out + k, "/:id", 4);
				k += 4;
				p = q;
				continue;
			}
		}
		out[k++] = *p++;
	}
	out[k] = 0;
}

static int take_shape(struct crawl *c, const char *url)
{
	char s[128];

	shape_of(url, s, sizeof(s));
	for (int i = 0; i < c->nshapes; i++)
		if (!strcmp(c->shapes[i], s))
			return c->shape_count[i]++ < CRAWL_PER_SHAPE;
	if (c->nshapes == (int)(sizeof(c->shapes) / sizeof(c->shapes[0])))
		return 0;
	snprintf(c->shapes[c->nshapes], sizeof(c->shapes[0]), "%s", s);
	c->shape_count[c->nshapes++] = 1;
	return 1;
}

/* Links that change something or leave the site are not followed. */
static int followable(const char *url)
{
	static const char *const skip[] = {"/logout", "/lang", "/static/", NULL};

	if (url[0] != '/' || url[1] == '/')
		return 0;
	for (int i = 0; skip[i]; i++)
		if (!strncmp(url, skip[i], strlen(skip[i])))
			return 0;
	return 1;
}

static void queue_url(struct crawl *c, const char *url, const char *from)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->seen[i], url))
			return;
	if (c->n == CRAWL_MAX * 4 || !take_shape(c, url))
		return;
	snprintf(c->seen[c->n], CRAWL_URL_MAX, "%s", url);
	snprintf(c->from[c->n], CRAWL_URL_MAX, "%s", from);
	c->n++;
}

/* links: every href= and src= of body into the queue, entities decoded. */
static void links(struct crawl *c, const char *body, const char *from)
{
	static const char *const attrs[] = {" href=\"", " src=\"", NULL};

	for (int a = 0; attrs[a]; a++)
		for (const char *p = body; (p = strstr(p, attrs[a]));) {
			char url[CRAWL_URL_MAX];
			size_t k = 0;
			p += strlen(attrs[a]);
			while (*p && *p != '"' && k + 1 < sizeof(url)) {
				if (!strncmp(p, "&amp;", 5)) {
					url[k++] = '&';
					p += 5;
				} else {
					url[k++] = *p++;
				}
			}
			url[k] = 0;
			if (strchr(url, '#'))
				*strchr(url, '#') = 0;
			if (*url && followable(url))
				queue_url(c, url, from);
		}
}

static void crawl_as(const char *user)
{
	struct crawl *c = calloc(1, sizeof(*c));
	struct client cl;
	int bad = 0;

	assert_non_null(c);
	c->seen = calloc(CRAWL_MAX * 4, CRAWL_URL_MAX);
	c->from = calloc(CRAWL_MAX * 4, CRAWL_URL_MAX);
	assert_true(c->seen && c->from);
	if (user)
		login_as(&cl, user);
	else
		client_init(&cl);
	queue_url(c, "/", "(start)");
	while (c->next < c->n && c->pages < CRAWL_MAX) {
		const char *url = c->seen[c->next], *from = c->from[c->next];
		struct response r;
		char ct[128] = "", loc[256] = "";
		c->next++;
		c->pages++;
		assert_int_equal(request(&cl, &srv, "GET", url, NULL, NULL, NULL, &r), 0);
		header_value(&r, "Content-Type", ct, sizeof(ct));
		header_value(&r, "Location", loc, sizeof(loc));
		if (r.status >= 500) {
			print_message("# %s: GET %s (linked from %s) answered %ld\n",
				      user ? user : "anonymous", url, from, r.status);
			bad++;
		} else if (r.status == 403 || r.status == 404 ||
			   (r.status >= 300 && r.status < 400 && !strncmp(loc, "/login", 6))) {
			print_message("# %s: %s links to %s, which answers %ld%s%s\n",
				      user ? user : "anonymous", from, url, r.status,
				      *loc ? " to " : "", loc);
			bad++;
		} else if (r.status >= 300 && r.status < 400 && *loc) {
			queue_url(c, loc, url);
		} else if (r.status == 200 && !strncmp(ct, "text/html", 9)) {
			links(c, r.body, url);
		}
		response_release(&r);
	}
	print_message("# %s: %d pages, %d route shapes\n", user ? user : "anonymous", c->pages,
		      c->nshapes);
	if (bad)
		fail_msg("%s: %d bad answers or doors that do not open (listed above)",
			 user ? user : "anonymous", bad);
	client_release(&cl);
	free(c->seen);
	free(c->from);
	free(c);
}

/* Something for every page to show: a public report with a photo its
 * reporter let be shown, a private dispute, a case assigned and worked. */
static void seed_cases(void)
{
	static const char *const fields[] = {
	    "category",	   "repair", "description", "C-crawl 三号楼门禁坏了", "photos_public", "1",
	    "compound_id", "1",	     NULL};
	unsigned char png[512];
	size_t n = make_png(png);
	char code[11];
	struct client sec;
	struct response r;

	assert_int_equal(report_with_photo(&srv, fields, png, n, code), 0);
	login_as(&sec, "secretary");
	assert_int_equal(api(&sec, &srv, "POST", "/api/v1/cases",
			     "{\"category\":\"dispute\",\"description\":\"C-crawl 楼上漏水\"}", &r),
			 0);
	assert_int_equal(r.status, 201);
	response_release(&r);
	client_release(&sec);
}

static void test_crawl_every_role(void **state)
{
	(void)state;
	seed_cases();
	crawl_as(NULL);
	for (int i = 0; i < NDEMO_USERS; i++)
		crawl_as(demo_users[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_crawl_every_role),
	};
	return cmocka_run_group_tests(tests, srv_setup, srv_teardown);
}
