/* Internal to src/report: all the SQL of station inspections and patrol
 * logs (migration 0019), and the stations and routes they are about
 * (0016) as the records need them. Every write is audited in the same
 * transaction. JSON OUT parameters are new references the caller
 * decrefs, also on error. */
#ifndef LINLI_REPORT_STORE_H
#define LINLI_REPORT_STORE_H

#include <jansson.h>
#include <stdint.h>

struct db;
struct session;

/* The four Shanghai categories, in the order the forms ask. */
#define FIELD_NCATEGORIES 4
extern const char *const field_categories[FIELD_NCATEGORIES]; /* "recyclable", ... */

/* A sorting station or patrol route as the records need it. */
struct field_place {
	int64_t id;
	char name[128];
	int64_t compound_id;	      /* stations: the compound; routes: 0 */
	int64_t place_id;	      /* stations: the named place, or 0 */
	int64_t lat_e6, lon_e6;	      /* INT64_MIN when unknown */
	int64_t leader_resident_id;   /* 0: none */
	int takes[FIELD_NCATEGORIES]; /* stations: the categories it takes */
	int archived;
	int is_route; /* a patrol route (field_route), not a station */
};

/* field_station / field_route: the area's station or route; LIN_ENOTFOUND. */
int field_station(struct db *db, int64_t area_id, int64_t id, struct field_place *out);
int field_route(struct db *db, int64_t area_id, int64_t id, struct field_place *out);
/* field_user_resident: the resident an account is linked to, or 0. */
int field_user_resident(struct db *db, int64_t user_id, int64_t *resident_id);

/* A new inspection, checked. grades[i]: 'A', 'B', 'C' or 0 (not graded). */
struct inspection_new {
	int64_t area_id, station_id;
	const char *inspected_on; /* YYYY-MM-DD */
	const char *inspector;
	char grades[FIELD_NCATEGORIES];
	const char *remarks;
	const char *photo_sha256, *photo_mime; /* NULL: no photo */
	int64_t photo_bytes;
};
int inspection_add(struct db *db, const struct session *s, const struct inspection_new *in,
		   int64_t *id);
/* inspections_list: the area's inspections, newest first, of one station
 * unless 0, of one author unless user_id is 0, at most limit: [{id,
 * station_id, station, compound_id, compound, inspected_on, inspector,
 * recyclable, hazardous, wet, dry, remarks, photo, case_id, user_id,
 * created_at}]. */
int inspections_list(struct db *db, int64_t area_id, int64_t station_id, int64_t user_id, int limit,
		     json_t **out);
/* inspection_get: one, in that form, or LIN_ENOTFOUND. */
int inspection_get(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* inspection_grades: every graded inspection of the area since day
 * (YYYY-MM-DD): [{station_id, station, compound_id, compound,
 * inspected_on, recyclable, hazardous, wet, dry}], oldest first. */
int inspection_grades(struct db *db, int64_t area_id, const char *since, json_t **out);

/* A new patrol log, checked. */
struct patrol_new {
	int64_t area_id, route_id;
	int64_t at;
	const char *author;
	const char *kind; /* noise, safety, garbage, facility, other, none */
	const char *seen;
	const char *spoken_to;
	int64_t meter_id;    /* 0: none shown */
	int64_t level_centi; /* INT64_MIN: no level */
};
int patrol_add(struct db *db, const struct session *s, const struct patrol_new *in, int64_t *id);
/* patrols_list: [{id, route_id, route, at, author, kind, seen, spoken_to,
 * meter_id, level, case_id, user_id, created_at}] newest first. */
int patrols_list(struct db *db, int64_t area_id, int64_t route_id, int64_t user_id, int limit,
		 json_t **out);
int patrol_get(struct db *db, int64_t area_id, int64_t id, json_t **out);

/* field_link_case records that record id of table ("station_inspections"
 * or "patrol_logs") became case case_id, inside the caller's transaction,
 * audited; LIN_ECONFLICT when it already has a case. */
int field_link_case(struct db *db, const struct session *s, const char *table, int64_t area_id,
		    int64_t id, int64_t case_id);

/* field_demo_inspection / field_demo_patrol: the demo's records, written
 * and audited with the actor "demo" and backdated to created_at. */
int field_demo_inspection(struct db *db, const struct inspection_new *in, int64_t created_at);
int field_demo_patrol(struct db *db, const struct patrol_new *in);

/* What the monthly report says of the records of a month. */
struct field_month {
	int64_t inspections; /* inspections on first_day..last_day */
	int64_t problems;    /* of those, with a category graded C */
	int64_t patrols;     /* patrol logs in [from, to) */
	int64_t observed;    /* of those, not a quiet round */
	int64_t cases;	     /* records of the month that became cases */
};
int field_month(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		int64_t from, int64_t to, struct field_month *out);

/* field_stations / field_routes: the area's live stations [{id, name,
 * compound_id, compound, categories}] and routes [{id, name}], by name. */
int field_stations(struct db *db, int64_t area_id, json_t **out);
int field_routes(struct db *db, int64_t area_id, json_t **out);

#endif
