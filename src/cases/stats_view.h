/* Internal to src/cases: what the statistics page (stats.c) and its
 * exports (stats_export.c) share. */
#ifndef LINLI_CASES_STATS_VIEW_H
#define LINLI_CASES_STATS_VIEW_H

#include "stats.h"
#include "../web/http.h"

/* One category as the statistics show it. */
struct stats_category {
	int64_t id;	     /* case_categories.id */
	const char *code;    /* e.g. "noise" (arena) */
	const char *name_zh; /* Chinese name (arena) */
	const char *name_en; /* English name (arena) */
	const char *name;    /* the name in the reader's language */
	int private_;	     /* never shown publicly (neighbour disputes) */
	int archived;	     /* no longer offered: shown only when it has reports */
};

/* One request's statistics with what it takes to show them. */
struct stats_view {
	struct stats_result r;	     /* the numbers */
	struct stats_category *cats; /* rows of r.counts, in the categories' order (arena) */
	int ncats;		     /* entries in cats */
	int64_t category_id;	     /* the category asked for, 0 for all */
	char from[16];		     /* first day of the period, YYYY-MM-DD local */
	char to[16];		     /* last day of the period (included) */
	const char *query;	     /* from=...&to=...[&category_id=...] for links (arena) */
};

/* stats_load_categories: the area's categories into v (archived ones too,
 * whose old reports still count), or only v->category_id's; LIN_EINVAL if
 * that one is not the area's. stats_load_cases: the period's cases
 * (v->r.from, v->r.to, of v->category_id when set) into *cases, malloc'd
 * for the caller to free, and *n; LIN_ETOOBIG past STATS_MAX_CASES.
 * (stats_store.c) */
int stats_load_categories(struct http_req *req, struct stats_view *v);
/* For the site plan: case_categories_all, every category of the area
 * (archived ones too) [{id, name_zh, name_en, private}] by id;
 * case_period_rows, the period's cases [{id, category_id, state,
 * compound_id, plan_x, plan_y, lat_e6, lon_e6, building_id (each null
 * when unknown)}] newest first, of
 * one state unless state is NULL. The caller decrefs *out, also on error. */
int case_categories_all(struct db *db, int64_t area_id, json_t **out);
int case_period_rows(struct db *db, int64_t area_id, int64_t from, int64_t to, const char *state,
		     json_t **out);
/* case_coded_rows: the reports of category code1 or code2 filed in
 * [from, to), oldest first: [{id, category (its code), created_at,
 * compound_id, plan_x, plan_y, lat_e6, lon_e6, building_id}]; a private
 * category's only when private_ok. cases_points reads it. */
int case_coded_rows(struct db *db, int64_t area_id, const char *code1, const char *code2,
		    int64_t from, int64_t to, int private_ok, json_t **out);
int stats_load_cases(struct http_req *req, const struct stats_view *v, struct stats_case **cases,
		     size_t *n);
/* stats_load reads the period and category from the request and computes
 * the numbers into v; stats_fail answers its errors. */
int stats_load(struct http_req *req, struct stats_view *v);
int stats_fail(struct http_req *req, struct http_resp *resp, int rc);
/* stats_shown: category k gets a row (live, or archived with reports). */
int stats_shown(const struct stats_view *v, int k);
void format_hours(const struct stats_times *t, char *out, size_t n);
void format_hours_p90(const struct stats_times *t, char *out, size_t n);
void format_share(const struct stats_share *s, char *out, size_t n);
/* round1: v to one decimal place (figures shown and exported). */
double round1(double v);
int stats_csv(struct http_req *req, struct http_resp *resp);
int stats_xlsx(struct http_req *req, struct http_resp *resp);

#endif
