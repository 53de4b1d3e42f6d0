/* The monthly report (月度工作报表) the branch secretary brings to the
 * street office, and the field records behind it: station inspections
 * and patrol logs. What other floors may use of src/report. */
#ifndef LINLI_REPORT_REPORT_H
#define LINLI_REPORT_REPORT_H

#include "../web/page.h"

#include <stdint.h>

struct db;
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

/* report_demo: a month of station inspections and patrol logs for the
 * demo area's stations and routes (none when it has none), deterministic,
 * written through the feature's own store functions. */
int report_demo(struct db *db, int64_t area_id, int64_t now);

#endif
