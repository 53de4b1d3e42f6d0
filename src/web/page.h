/* The page layout: head, header with the navigation the reader may use,
 * language switch, main column, footer. Features fill the middle. */
#ifndef LINLI_WEB_PAGE_H
#define LINLI_WEB_PAGE_H

#include "html.h"
#include "http.h"

struct nav_item {
	const char *href;      /* link target */
	const char *label_key; /* i18n key of the label */
	enum perm perm;	       /* shown only to roles holding this */
};

/* page_begin opens a page titled by the already-translated title. */
void page_begin(struct http_req *req, struct html *h, const char *title);
void page_end(struct http_req *req, struct html *h);
/* page_csrf_field writes the hidden CSRF input every POST form carries. */
void page_csrf_field(struct http_req *req, struct html *h);
/* page_set_nav: the navigation, set once at start (process-wide), in
 * display order. groups (NULL: none) runs beside items: groups[i] is the
 * i18n key of the menu item i sits in, or NULL for an item on its own.
 * Consecutive items of one group become one menu (a <details> that opens
 * without script); a group of which the reader may see one item shows
 * that item on its own. */
void page_set_nav(const struct nav_item *items, const char *const *groups);

#endif
