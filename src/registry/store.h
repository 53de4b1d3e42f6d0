/* All of the registry's SQL, generated from the entity descriptors with
 * every value bound. Rows come back as JSON objects: the API sends them as
 * they are, the pages and CSV export read them.
 *
 * Ownership: every json_t ** OUT is a new reference the caller decrefs,
 * also when the function fails (it may hold a partial result or NULL). */
#ifndef LINLI_REGISTRY_STORE_H
#define LINLI_REGISTRY_STORE_H

#include "model.h"

#include <jansson.h>

struct session;

#define LIST_MAX_FILTERS  8
#define LIST_MAX_PER_PAGE 500

struct list_query {
	const char *q; /* search text, NULL for none */
	struct {
		const char *field; /* a field with FF_FILTER */
		const char *value; /* its exact value */
	} filters[LIST_MAX_FILTERS];
	int nfilters;
	int archived;	     /* 1: archived rows only; 0: live rows only */
	int no_phone_search; /* the reader sees masked phones: do not search them */
	int no_vulnerable;   /* leave out residents with a vulnerable tag */
	int64_t page;	     /* 1-based */
	int64_t per_page;    /* 1..LIST_MAX_PER_PAGE */
};

/* registry_list: one page of rows (*items, a new JSON array) and the total
 * matching count. LIN_EINVAL (with v filled) when a filter is bad. */
int registry_list(struct db *db, const struct entity *e, int64_t area_id,
		  const struct list_query *lq, json_t **items, int64_t *total,
		  struct validation *v);
/* registry_get: one row as a new JSON object, LIN_ENOTFOUND if not in area. */
/* registry_vulnerable: whether row id of e is a resident carrying a tag
 * of a vulnerable group. OUT: *yes. */
int registry_vulnerable(struct db *db, const struct entity *e, int64_t id, int *yes);
int registry_get(struct db *db, const struct entity *e, int64_t area_id, int64_t id, json_t **row);
/* registry_create / registry_update validate references against the database,
 * write the row and its audit entry in one transaction. LIN_EINVAL (errors
 * in v), LIN_ECONFLICT (a duplicate), LIN_ENOTFOUND (update of a missing row). */
int registry_create(struct db *db, const struct session *s, const struct entity *e,
		    struct validation *v, int64_t *id);
int registry_update(struct db *db, const struct session *s, const struct entity *e, int64_t id,
		    struct validation *v);
/* registry_remove archives (entities that keep history) or deletes the row.
 * LIN_ECONFLICT when live rows still depend on it. */
int registry_remove(struct db *db, const struct session *s, const struct entity *e, int64_t id);
/* registry_restore takes an archived row back (the archive undone), with
 * its audit entry ("unarchive"). LIN_ENOTFOUND when the area has no such
 * archived row; LIN_ECONFLICT when a row it refers to is archived (restore
 * that first). */
int registry_restore(struct db *db, const struct session *s, const struct entity *e, int64_t id);
/* registry_count: live rows of e in the area. */
int registry_count(struct db *db, const struct entity *e, int64_t area_id, int64_t *n);
/* registry_options: up to max {id, title} pairs for a choice list; *more is set
 * when there are more rows than max. */
int registry_options(struct db *db, const struct entity *e, int64_t area_id, int max, json_t **out,
		     int *more);
/* registry_title: a row's display title (arena-free: written into out). */
int registry_title(struct db *db, const struct entity *e, int64_t area_id, int64_t id, char *out,
		   size_t n);

/* The registry overview's figures: the live branches with the live members
 * of each and of the branches under it [{id, name, kind, members}] by id;
 * live units by kind {kind: count}; residents (live) by tag [{tag,
 * residents}] by tag name, vulnerable groups' tags only when vulnerable. */
int registry_members_by_branch(struct db *db, int64_t area_id, json_t **out);
int registry_units_by_kind(struct db *db, int64_t area_id, json_t **out);
int registry_residents_by_tag(struct db *db, int64_t area_id, int vulnerable, json_t **out);

/* Transaction-free pieces for bulk import (csvio.c): the caller holds a
 * transaction. registry_insert_row does what registry_create does inside it. */
int registry_insert_row(struct db *db, const struct session *s, const struct entity *e,
			struct validation *v, int64_t *id);

#endif
