/* Case statistics: the arithmetic without I/O, so the tests can check it
 * on known numbers. stats.c fetches the rows and renders the page and the
 * JSON, stats_export.c the CSV and Excel exports; the site plan is map.h.
 *
 * Times are UTC epoch seconds; days and months are Shanghai local
 * (UTC+8, no daylight saving). */
#ifndef LINLI_CASES_STATS_H
#define LINLI_CASES_STATS_H

#include "model.h"
#include "../base/arena.h"
#include "../base/timeutil.h"

#include <stddef.h>
#include <stdint.h>

struct router;

#define STATS_NONE	    INT64_MIN		/* a time that has not happened */
#define STATS_UTC_OFFSET    LIN_SHANGHAI_OFFSET /* seconds east of UTC in Shanghai */
#define STATS_MAX_MONTHS    120			/* the longest period asked for at once */
#define STATS_DEFAULT_MONTH 12	   /* the default period: this month and the 11 before */
#define STATS_MAX_CASES	    200000 /* rows a period may hold before we refuse */

/* What the statistics need of one case. */
struct stats_case {
	int64_t id;	     /* cases.id */
	int64_t category_id; /* cases.category_id */
	int state;	     /* enum case_state, or -1 for an unknown name */
	int64_t created_at;  /* when reported */
	int64_t accepted_at; /* STATS_NONE if never accepted */
	int64_t resolved_at; /* STATS_NONE if never resolved */
	int64_t accept_due;  /* deadline for accepting */
	int64_t resolve_due; /* deadline for resolving */
	int rating;	     /* the reporter's 1..5, 0 if none */
};

/* Median and 90th percentile of a set of durations. */
struct stats_times {
	int64_t count;	/* durations measured */
	int64_t median; /* seconds, nearest rank p50; 0 when count is 0 */
	int64_t p90;	/* seconds, nearest rank p90; 0 when count is 0 */
};

/* How many of those that finished a step finished it by the deadline. */
struct stats_share {
	int64_t within; /* done at or before the deadline */
	int64_t total;	/* done at all */
};

/* Everything the page, the JSON and the exports show. */
struct stats_result {
	int64_t from, to;	    /* the period: created_at in [from, to) */
	int first_month;	    /* the period's first local month, as year * 12 + month - 1 */
	int nmonths;		    /* local months the period touches */
	int ncategories;	    /* rows of counts */
	int64_t *counts;	    /* [category * nmonths + month] reports (arena) */
	int64_t *month_totals;	    /* [month] reports of every category (arena) */
	int64_t *category_totals;   /* [category] reports in the period (arena) */
	int64_t total;		    /* reports in the period */
	struct stats_times accept;  /* accepted_at - created_at, accepted ones */
	struct stats_times resolve; /* resolved_at - created_at, resolved ones */
	struct stats_share accept_on_time;  /* accepted_at <= accept_due, of accepted ones */
	struct stats_share resolve_on_time; /* resolved_at <= resolve_due, of resolved ones */
	int64_t ratings[5];		    /* [stars - 1] ratings given */
	int64_t rated;			    /* ratings given */
	double rating_mean;		    /* mean stars, 0 when none */
	int64_t by_state[CASE_STATE_COUNT]; /* reports by current state */
};

/* stats_percentile: the nearest-rank p-th percentile (1 <= p <= 100) of n
 * values sorted ascending: the smallest value v such that at least p% of
 * the values are <= v, i.e. sorted[ceil(p * n / 100) - 1]. For n = 4 the
 * median (p = 50) is the 2nd value, not the mean of the middle two. 0 when
 * n is 0. */
int64_t stats_percentile(const int64_t *sorted, size_t n, int p);
/* stats_times_of sorts the n durations in place and fills *out. */
void stats_times_of(int64_t *durations, size_t n, struct stats_times *out);

/* stats_local_day: days since 1970-01-01 of t's Shanghai calendar day. */
int32_t stats_local_day(int64_t t);
/* stats_local_month: t's Shanghai month as year * 12 + month - 1; so
 * 2026-01-31T16:30:00Z (2026-02-01 00:30 local) is 2026 * 12 + 1. */
int stats_local_month(int64_t t);
/* stats_month_label writes month (as above) as "YYYY-MM". */
void stats_month_label(int month, char out[16]);
/* stats_day_label writes a local day number as "YYYY-MM-DD". */
void stats_day_label(int32_t day, char out[16]);

/* stats_period turns the query's from and to (YYYY-MM-DD local dates, both
 * days included; NULL or "" for the default) into [*from, *to). Defaults:
 * to is today (the local day of now); from is the first day of the month
 * STATS_DEFAULT_MONTH - 1 months before to's month. LIN_EINVAL when a date
 * is malformed, from is after to, or the period spans more than
 * STATS_MAX_MONTHS months. */
int stats_period(const char *from, const char *to, int64_t now, int64_t *t_from, int64_t *t_to);

/* stats_compute counts and measures the n cases (those created outside
 * [from, to) are ignored) against the categories' ids, the rows of the
 * category-by-month table; a case of a category not listed counts
 * everywhere but in that table. Arrays come from arena a. Returns 0,
 * LIN_EINVAL for an empty or too long period, LIN_ENOMEM. */
int stats_compute(struct arena *a, const struct stats_case *cases, size_t n,
		  const int64_t *category_ids, int ncategories, int64_t from, int64_t to,
		  struct stats_result *out);

/* cases_stats_routes: /cases/stats, /cases/stats.csv, /cases/stats.xlsx,
 * /api/v1/cases/stats. */
int cases_stats_routes(struct router *r);

#endif
