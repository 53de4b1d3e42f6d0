/* Layout shared by every HTML page. Mobile first: one column, large type;
 * the stylesheet widens it on larger screens. */
#include "page.h"
#include "i18n.h"

#include <string.h>

/* Set once by main before serving; read-only afterwards. */
static const struct nav_item *page_nav;

void page_set_nav(const struct nav_item *items)
{
	page_nav = items;
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
	if (req->sess.kind == AUTH_COOKIE && page_nav) {
		html_printf(h, "<nav class=\"main\" aria-label=\"%T\"><ul>", "nav.label");
		for (const struct nav_item *n = page_nav; n->href; n++) {
			if (!perm_allows(req->sess.role, n->perm))
				continue;
			html_printf(h, "<li><a href=\"%s\"%R>%T</a></li>", n->href,
				    nav_active(req, n->href) ? " aria-current=\"page\"" : "",
				    n->label_key);
		}
		html_printf(h, "</ul></nav>\n");
	}
	html_printf(h, "<main id=\"main\" tabindex=\"-1\">\n");
}

void page_end(struct http_req *req, struct html *h)
{
	(void)req;
	html_printf(h, "</main>\n<footer>%T</footer>\n</body></html>\n", "app.footer");
}
