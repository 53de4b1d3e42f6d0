/* All the SQL of station inspections and patrol logs (store.h), and the
 * stations and routes they are about. Each write and its audit entry are
 * one transaction (field_link_case: the caller's). */
#include "store.h"
#include "../base/err.h"
#include "../db/audit.h"
#include "../db/db.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *const field_categories[FIELD_NCATEGORIES] = {"recyclable", "hazardous", "wet", "dry"};

/* place_read fills *out from a row of (id, name, compound_id, place_id,
 * lat_e6, lon_e6, leader_resident_id, categories, archived). */
static void place_read(struct db_stmt *st, struct field_place *out)
{
	const char *cats = db_column_text(st, 7);

	memset(out, 0, sizeof(*out));
	out->id = db_column_int64(st, 0);
	snprintf(out->name, sizeof(out->name), "%s", db_column_text(st, 1));
	out->compound_id = db_column_is_null(st, 2) ? 0 : db_column_int64(st, 2);
	out->place_id = db_column_is_null(st, 3) ? 0 : db_column_int64(st, 3);
	out->lat_e6 = db_column_is_null(st, 4) ? INT64_MIN : db_column_int64(st, 4);
	out->lon_e6 = db_column_is_null(st, 5) ? INT64_MIN : db_column_int64(st, 5);
	out->leader_resident_id = db_column_is_null(st, 6) ? 0 : db_column_int64(st, 6);
	for (int i = 0; i < FIELD_NCATEGORIES; i++) {
		/* categories is a comma list of the four names */
		const char *p = cats ? strstr(cats, field_categories[i]) : NULL;
		size_t n = strlen(field_categories[i]);
		out->takes[i] = p && (p == cats || p[-1] == ',') && (p[n] == ',' || !p[n]);
	}
	out->archived = db_column_int64(st, 8) != 0;
}

static int place_get(struct db *db, const char *sql, int64_t area_id, int64_t id,
		     struct field_place *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);

	if (rc)
		return rc;
	db_bindf(st, "ii", id, area_id);
	rc = db_step_one(st);
	if (!rc)
		place_read(st, out);
	db_finalize(st);
	return rc;
}

int field_station(struct db *db, int64_t area_id, int64_t id, struct field_place *out)
{
	return place_get(db,
			 "SELECT id, name, compound_id, place_id, lat_e6, lon_e6,"
			 " leader_resident_id, categories, archived FROM sorting_stations"
			 " WHERE id = ? AND area_id = ?",
			 area_id, id, out);
}

int field_route(struct db *db, int64_t area_id, int64_t id, struct field_place *out)
{
	int rc = place_get(db,
			   "SELECT id, name, NULL, NULL, NULL, NULL, leader_resident_id, '',"
			   " archived FROM patrol_routes WHERE id = ? AND area_id = ?",
			   area_id, id, out);

	out->is_route = 1;
	return rc;
}

int field_user_resident(struct db *db, int64_t user_id, int64_t *resident_id)
{
	int rc;

	*resident_id = 0;
	if (!user_id)
		return 0;
	rc = db_query_row(db, "SELECT COALESCE(resident_id, 0) FROM users WHERE id = ?",
			  resident_id, "i", user_id);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

/* audit writes the entry for a new or changed row. */
static int audit(struct db *db, const struct session *s, const char *actor, int64_t area_id,
		 const char *action, const char *table, int64_t id, json_t *after)
{
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {
	    s ? s->user_id : 0, s ? s->name : actor, area_id, action, table, id, NULL, text};
	int rc = audit_append(db, &e);

	free(text);
	return rc;
}

static json_t *inspection_json(const struct inspection_new *in)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "station_id", (json_int_t)in->station_id,
			      "inspected_on", in->inspected_on, "inspector", in->inspector,
			      "remarks", in->remarks ? in->remarks : "");
	for (int i = 0; i < FIELD_NCATEGORIES; i++) {
		char g[2] = {in->grades[i], 0};
		json_object_set_new(o, field_categories[i],
				    in->grades[i] ? json_string(g) : json_null());
	}
	if (in->photo_sha256)
		json_object_set_new(o, "photo", json_string(in->photo_sha256));
	return o;
}

/* inspection_insert writes the row and its audit entry inside the
 * caller's transaction. */
static int inspection_insert(struct db *db, const struct session *s, const char *actor,
			     const struct inspection_new *in, int64_t created_at, int64_t *id)
{
	char g[FIELD_NCATEGORIES][2];
	json_t *after;
	int rc;

	for (int i = 0; i < FIELD_NCATEGORIES; i++) {
		g[i][0] = in->grades[i];
		g[i][1] = 0;
	}
	rc = db_query_row(
	    db,
	    "INSERT INTO station_inspections (area_id, station_id, inspected_on, inspector, "
	    "user_id,"
	    " grade_recyclable, grade_hazardous, grade_wet, grade_dry, remarks, photo_sha256,"
	    " photo_mime, photo_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?)"
	    " RETURNING id",
	    id,
	    "iittrttttttt"
	    "ri",
	    in->area_id, in->station_id, in->inspected_on, in->inspector, s ? s->user_id : 0,
	    in->grades[0] ? g[0] : NULL, in->grades[1] ? g[1] : NULL, in->grades[2] ? g[2] : NULL,
	    in->grades[3] ? g[3] : NULL, in->remarks ? in->remarks : "", in->photo_sha256,
	    in->photo_sha256 ? in->photo_mime : NULL, in->photo_sha256 ? in->photo_bytes : 0,
	    created_at);
	if (rc)
		return rc;
	after = inspection_json(in);
	rc = audit(db, s, actor, in->area_id, "create", "station_inspections", *id, after);
	json_decref(after);
	return rc;
}

int inspection_add(struct db *db, const struct session *s, const struct inspection_new *in,
		   int64_t *id)
{
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = inspection_insert(db, s, NULL, in, (int64_t)time(NULL), id);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int field_demo_inspection(struct db *db, const struct inspection_new *in, int64_t created_at)
{
	int64_t id;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = inspection_insert(db, NULL, "demo", in, created_at, &id);
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

#define INSPECTION_SELECT                                                                          \
	"SELECT i.id, i.station_id, s.name, s.compound_id, c.name, i.inspected_on, i.inspector,"   \
	" i.grade_recyclable, i.grade_hazardous, i.grade_wet, i.grade_dry, i.remarks,"             \
	" i.photo_sha256, i.case_id, i.user_id, i.created_at, i.photo_mime, i.photo_bytes"         \
	" FROM station_inspections i JOIN sorting_stations s ON s.id = i.station_id"               \
	" JOIN compounds c ON c.id = s.compound_id"
static const char *const inspection_keys[] = {
    "id",	    "station_id", "station",	 "compound_id", "compound",
    "inspected_on", "inspector",  "recyclable",	 "hazardous",	"wet",
    "dry",	    "remarks",	  "photo",	 "case_id",	"user_id",
    "created_at",   "photo_mime", "photo_bytes", NULL};
/* id .. inspected_on, inspector .. photo, case_id .. created_at, mime, bytes */
#define INSPECTION_TYPES                                                                           \
	"iitit"                                                                                    \
	"tttttttt"                                                                                 \
	"iii"                                                                                      \
	"ti"

/* nullify: a grade or photo stored as NULL is read as ""; say null. */
static int nullify(int rc, json_t *rows)
{
	static const char *const keys[] = {"recyclable", "hazardous", "wet",
					   "dry",	 "photo",     "photo_mime"};
	size_t i;
	json_t *row;

	json_array_foreach (rows, i, row) {
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *v = json_string_value(json_object_get(row, keys[k]));
			if (v && !*v)
				json_object_set_new(row, keys[k], json_null());
		}
	}
	return rc;
}

int inspections_list(struct db *db, int64_t area_id, int64_t station_id, int64_t user_id, int limit,
		     json_t **out)
{
	int rc =
	    db_query_json(db,
			  INSPECTION_SELECT " WHERE i.area_id = ? AND (? = 0 OR i.station_id = ?)"
					    " AND (? = 0 OR i.user_id = ?)"
					    " ORDER BY i.inspected_on DESC, i.id DESC LIMIT ?",
			  inspection_keys, INSPECTION_TYPES, out, "iiiiii", area_id, station_id,
			  station_id, user_id, user_id, (int64_t)limit);

	return nullify(rc, *out);
}

int inspection_get(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	json_t *rows = NULL;
	int rc = db_query_json(db, INSPECTION_SELECT " WHERE i.area_id = ? AND i.id = ?",
			       inspection_keys, INSPECTION_TYPES, &rows, "ii", area_id, id);

	*out = NULL;
	nullify(rc, rows);
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

int inspection_grades(struct db *db, int64_t area_id, const char *since, json_t **out)
{
	static const char *const keys[] = {"station_id",   "station",	 "compound_id", "compound",
					   "inspected_on", "recyclable", "hazardous",	"wet",
					   "dry",	   NULL};
	int rc = db_query_json(db,
			       "SELECT i.station_id, s.name, s.compound_id, c.name, i.inspected_on,"
			       " i.grade_recyclable, i.grade_hazardous, i.grade_wet, i.grade_dry"
			       " FROM station_inspections i JOIN sorting_stations s ON s.id ="
			       " i.station_id JOIN compounds c ON c.id = s.compound_id"
			       " WHERE i.area_id = ? AND i.inspected_on >= ?"
			       " ORDER BY i.inspected_on, i.id",
			       keys,
			       "itittttt"
			       "t",
			       out, "it", area_id, since);
	return nullify(rc, *out);
}

static json_t *patrol_json(const struct patrol_new *in)
{
	json_t *o =
	    json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "route_id", (json_int_t)in->route_id, "at",
		      (json_int_t)in->at, "author", in->author, "kind", in->kind, "seen", in->seen,
		      "spoken_to", in->spoken_to ? in->spoken_to : "");
	if (in->meter_id)
		json_object_set_new(o, "meter_id", json_integer(in->meter_id));
	return o;
}

static int patrol_insert(struct db *db, const struct session *s, const char *actor,
			 const struct patrol_new *in, int64_t *id)
{
	json_t *after;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = db_query_row(db,
			  "INSERT INTO patrol_logs (area_id, route_id, at, user_id, author, kind,"
			  " seen, spoken_to, meter_id, level_centi, created_at)"
			  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			  id,
			  "iiirttttr"
			  "ti",
			  in->area_id, in->route_id, in->at, s ? s->user_id : 0, in->author,
			  in->kind, in->seen, in->spoken_to ? in->spoken_to : "", in->meter_id,
			  NULL, s ? (int64_t)time(NULL) : in->at);
	if (!rc && in->meter_id && in->level_centi != INT64_MIN)
		rc = db_exec_args(db, "UPDATE patrol_logs SET level_centi = ? WHERE id = ?", NULL,
				  "ii", in->level_centi, *id);
	if (!rc) {
		after = patrol_json(in);
		rc = audit(db, s, actor, in->area_id, "create", "patrol_logs", *id, after);
		json_decref(after);
	}
	return rc ? (db_rollback(db), rc) : db_commit(db);
}

int patrol_add(struct db *db, const struct session *s, const struct patrol_new *in, int64_t *id)
{
	return patrol_insert(db, s, NULL, in, id);
}

int field_demo_patrol(struct db *db, const struct patrol_new *in)
{
	int64_t id;

	return patrol_insert(db, NULL, "demo", in, &id);
}

#define PATROL_SELECT                                                                              \
	"SELECT p.id, p.route_id, r.name, p.at, p.author, p.kind, p.seen, p.spoken_to,"            \
	" p.meter_id, p.level_centi, p.case_id, p.user_id, p.created_at FROM patrol_logs p"        \
	" JOIN patrol_routes r ON r.id = p.route_id"
static const char *const patrol_keys[] = {
    "id",	 "route_id", "route",	    "at",      "author",  "kind",	"seen",
    "spoken_to", "meter_id", "level_centi", "case_id", "user_id", "created_at", NULL};
#define PATROL_TYPES "iitittttiiiii"

int patrols_list(struct db *db, int64_t area_id, int64_t route_id, int64_t user_id, int limit,
		 json_t **out)
{
	return db_query_json(db,
			     PATROL_SELECT " WHERE p.area_id = ? AND (? = 0 OR p.route_id = ?)"
					   " AND (? = 0 OR p.user_id = ?)"
					   " ORDER BY p.at DESC, p.id DESC LIMIT ?",
			     patrol_keys, PATROL_TYPES, out, "iiiiii", area_id, route_id, route_id,
			     user_id, user_id, (int64_t)limit);
}

int patrol_get(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	json_t *rows = NULL;
	int rc = db_query_json(db, PATROL_SELECT " WHERE p.area_id = ? AND p.id = ?", patrol_keys,
			       PATROL_TYPES, &rows, "ii", area_id, id);

	*out = NULL;
	if (!rc && !json_array_size(rows))
		rc = LIN_ENOTFOUND;
	if (!rc)
		*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return rc;
}

int field_link_case(struct db *db, const struct session *s, const char *table, int64_t area_id,
		    int64_t id, int64_t case_id)
{
	int64_t changed = 0;
	json_t *after;
	int rc;

	if (strcmp(table, "station_inspections") && strcmp(table, "patrol_logs"))
		return LIN_EINVAL;
	rc = db_exec_args(db,
			  !strcmp(table, "patrol_logs")
			      ? "UPDATE patrol_logs SET case_id = ? WHERE id = ? AND area_id = ?"
				" AND case_id IS NULL"
			      : "UPDATE station_inspections SET case_id = ? WHERE id = ?"
				" AND area_id = ? AND case_id IS NULL",
			  &changed, "iii", case_id, id, area_id);
	if (rc)
		return rc;
	if (!changed)
		return LIN_ECONFLICT;
	after = json_pack("{s:I}", "case_id", (json_int_t)case_id);
	rc = audit(db, s, NULL, area_id, "update", table, id, after);
	json_decref(after);
	return rc;
}

int field_stations(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id",       "name",	     "compound_id",
					   "compound", "categories", NULL};
	return db_query_json(db,
			     "SELECT s.id, s.name, s.compound_id, c.name, s.categories"
			     " FROM sorting_stations s JOIN compounds c ON c.id = s.compound_id"
			     " WHERE s.area_id = ? AND s.archived = 0 ORDER BY c.name, s.name",
			     keys, "ititt", out, "i", area_id);
}

int field_routes(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", NULL};
	return db_query_json(db,
			     "SELECT id, name FROM patrol_routes WHERE area_id = ? AND archived = 0"
			     " ORDER BY name",
			     keys, "it", out, "i", area_id);
}

int field_month(struct db *db, int64_t area_id, const char *first_day, const char *last_day,
		int64_t from, int64_t to, struct field_month *out)
{
	int64_t a = 0, b = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM station_inspections WHERE area_id = ?"
			  " AND inspected_on >= ? AND inspected_on <= ?",
			  &out->inspections, "itt", area_id, first_day, last_day);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM station_inspections WHERE area_id = ?"
				  " AND inspected_on >= ? AND inspected_on <= ? AND ('C' IN"
				  " (grade_recyclable, grade_hazardous, grade_wet, grade_dry))",
				  &out->problems, "itt", area_id, first_day, last_day);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM patrol_logs WHERE area_id = ? AND at >= ?"
				  " AND at < ?",
				  &out->patrols, "iii", area_id, from, to);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM patrol_logs WHERE area_id = ? AND at >= ?"
				  " AND at < ? AND kind <> 'none'",
				  &out->observed, "iii", area_id, from, to);
	if (!rc)
		rc = db_query_row(
		    db,
		    "SELECT COUNT(*) FROM station_inspections WHERE area_id = ?"
		    " AND inspected_on >= ? AND inspected_on <= ? AND case_id IS NOT NULL",
		    &a, "itt", area_id, first_day, last_day);
	if (!rc)
		rc = db_query_row(db,
				  "SELECT COUNT(*) FROM patrol_logs WHERE area_id = ? AND at >= ?"
				  " AND at < ? AND case_id IS NOT NULL",
				  &b, "iii", area_id, from, to);
	out->cases = a + b;
	return rc;
}
