/* Layout shared by every HTML page. Mobile first: one column, large type;
 * the stylesheet widens it on larger screens. */
#include "page.h"
#include "i18n.h"

#include <string.h>

/* Set once by main before serving; read-only afterwards. */
static const struct nav_item *page_nav;
static const char *const *page_nav_groups;

void page_set_nav(const struct nav_item *items, const char *const *groups)
{
	page_nav = items;
	page_nav_groups = groups;
}

/* nav_group: the menu of item n, or NULL. */
static const char *nav_group(const struct nav_item *n)
{
	return page_nav_groups ? page_nav_groups[n - page_nav] : NULL;
}

static int nav_same_group(const struct nav_item *a, const struct nav_item *b)
{
	const char *ga = nav_group(a), *gb = nav_group(b);
	return ga && gb && !strcmp(ga, gb);
}

void page_csrf_field(struct http_req *req, struct html *h)
{
	if (req->sess.csrf)
		html_printf(h, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\">",
			    req->sess.csrf);
}

static int nav_active(struct http_req *req, const char *href)
{
	size_t n = strlen(href);
	if (!strcmp(href, "/"))
		return !strcmp(req->path, "/");
	return !strncmp(req->path, href, n) && (req->path[n] == '\0' || req->path[n] == '/');
}

static void nav_link(struct http_req *req, struct html *h, const struct nav_item *n)
{
	html_printf(h, "<li><a href=\"%s\"%R>%T</a></li>", n->href,
		    nav_active(req, n->href) ? " aria-current=\"page\"" : "", n->label_key);
}

/* nav_write: the items the reader's role holds; a run of items of one
 * group is a menu when two or more of them are shown. */
static void nav_write(struct http_req *req, struct html *h)
{
	html_printf(h, "<nav class=\"main\" aria-label=\"%T\"><ul>", "nav.label");
	for (const struct nav_item *n = page_nav, *end; n->href; n = end) {
		const struct nav_item *only = NULL;
		int shown = 0, current = 0;

		for (end = n; end->href && (end == n || nav_same_group(n, end)); end++) {
			if (!sess_allows(&req->sess, end->perm))
				continue;
			shown++;
			only = end;
			current |= nav_active(req, end->href);
		}
		if (shown == 1 || (shown && !nav_group(n))) {
			nav_link(req, h, only);
			continue;
		}
		if (!shown)
			continue;
		html_printf(h, "<li class=\"group\"><details><summary%R>%T</summary><ul>",
			    current ? " class=\"current\"" : "", nav_group(n));
		for (const struct nav_item *i = n; i < end; i++)
			if (sess_allows(&req->sess, i->perm))
				nav_link(req, h, i);
		html_printf(h, "</ul></details></li>");
	}
	html_printf(h, "</ul></nav>\n");
}

void page_begin(struct http_req *req, struct html *h, const char *title)
{
	const char *other = strcmp(req->lang, "en") ? "en" : "zh-CN";

	h->lang = req->lang;
	html_printf(h,
		    "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		    "<title>%s · %T</title><link rel=\"stylesheet\" href=\"/static/app.css\">"
		    "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
		    "<script src=\"/static/app.js\" defer></script>"
		    "</head><body>\n<a class=\"skip-link\" href=\"#main\">%T</a>"
		    "<header class=\"top\"><a class=\"brand\" href=\"/\">%T</a>",
		    req->lang, title, "app.name", "nav.skip", "app.name");
	html_printf(
	    h,
	    "<div class=\"tools\"><a class=\"lang\" href=\"/lang?set=%s\" hreflang=\"%s\">%T</a>",
	    other, other, "lang.switch");
	if (req->sess.kind == AUTH_COOKIE) {
		html_printf(h,
			    "<span class=\"who\">%s · %T</span>"
			    "<form method=\"post\" action=\"/logout\" class=\"inline\">",
			    req->sess.name,
			    arena_printf(req->arena, "role.%s", role_name(req->sess.role)));
		page_csrf_field(req, h);
		html_printf(h, "<button type=\"submit\" class=\"link\">%T</button></form>",
			    "auth.logout");
	} else if (strcmp(req->path, "/login")) {
		html_printf(h, "<a href=\"/login\">%T</a>", "auth.login");
	}
	html_printf(h, "</div></header>\n");
	if (req->sess.kind == AUTH_COOKIE && page_nav)
		nav_write(req, h);
	html_printf(h, "<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(struct http_req *req, struct html *h)
{
	(void)req;
	html_printf(h, "</main>\n<footer>%T</footer>\n</body></html>\n", "app.footer");
}
