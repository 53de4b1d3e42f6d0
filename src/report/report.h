/* The monthly report (月度工作报表) the branch secretary brings to the
 * street office, and the field records behind it: station inspections
 * and patrol logs. What other floors may use of src/report. */
#ifndef LINLI_REPORT_REPORT_H
#define LINLI_REPORT_REPORT_H

#include "../web/page.h"

#include <stdint.h>

struct db;
struct http_req;
struct http_resp;
struct router;

/* A Shanghai calendar month and the epoch seconds it spans. */
struct report_month {
	int year, month;    /* 2026, 1..12 */
	int64_t from, to;   /* [from, to): 00:00 Shanghai time on its first day and the next's */
	char label[8];	    /* "YYYY-MM" */
	char first_day[11]; /* "YYYY-MM-01" */
	char last_day[11];  /* "YYYY-MM-28".."31" */
};

#define REPORT_FIRST_YEAR 2000 /* the earliest month a report is made for */

/* report_month_parse reads "YYYY-MM" (exactly: four digits, a hyphen, two)
 * into *out; LIN_EINVAL for anything else, a month before
 * REPORT_FIRST_YEAR or after the month of now. */
int report_month_parse(const char *s, int64_t now, struct report_month *out);
/* report_month_of: the month holding epoch second t, moved by delta
 * months (-1: the month before). */
void report_month_of(int64_t t, int delta, struct report_month *out);

/* report_add_routes: /reports/monthly (page, .xlsx), its JSON, the
 * inspections and patrol logs. */
struct cases_uploads;
/* report_add_routes: ...; up (borrowed for the router's life) is where an
 * inspection's photo is stored, as case photos are. */
int report_add_routes(struct router *r, const struct cases_uploads *up);
/* report_nav: the link to the monthly report. */
extern const struct nav_item report_nav[];

/* report_rollup_page answers the roll-up monthly report of a street or
 * district (A4 page) for the n areas (ids) under scope (its name): each
 * area's monthly report for the query's month, counts summed, shares and
 * means as the mean of the areas that have one. report_rollup_xlsx: the
 * same as a workbook, with every area's figures on a second sheet. The
 * request's own area is unchanged on return. 400 for a bad month. */
int report_rollup_page(struct http_req *req, struct http_resp *resp, const int64_t *areas, int n,
		       const char *scope);
int report_rollup_xlsx(struct http_req *req, struct http_resp *resp, const int64_t *areas, int n,
		       const char *scope);

/* report_demo: a month of station inspections and patrol logs for the
 * demo area's stations and routes (none when it has none), deterministic,
 * written through the feature's own store functions. */
int report_demo(struct db *db, int64_t area_id, int64_t now);

#endif
