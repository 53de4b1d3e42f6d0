/* The SQL of the door-to-door delivery (doors.h): groups, assignments and
 * visits, each write one transaction with its audit entry; the doors of an
 * assembly read once (doors_load) for every page that shows them. */
#include "doors.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOORS_NAME_MAX 60  /* a group's name, bytes */
#define DOORS_NOTE_MAX 500 /* a visit's note, bytes */

static int refuse(const char **why, int rc, const char *key)
{
	if (why)
		*why = key;
	return rc;
}

static int commit(struct db *db, int rc)
{
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	return rc;
}

/* running: the assembly is in area_id and still taking ballots (its roll
 * published or voting open). */
static int running(struct db *db, int64_t area_id, int64_t assembly_id, const char **why)
{
	struct assembly a;
	int rc = assembly_get(db, area_id, assembly_id, &a);

	if (rc == LIN_ENOTFOUND)
		return refuse(why, rc, "assembly.doors.err.no_assembly");
	if (rc)
		return rc;
	if (a.state != ASSEMBLY_PUBLISHED && a.state != ASSEMBLY_OPEN)
		return refuse(why, LIN_ECONFLICT, "assembly.doors.err.not_running");
	return 0;
}

int doors_who(struct db *db, int64_t area_id, int64_t user_id, int64_t *volunteer_id,
	      int64_t *member_id)
{
	int rc;

	*volunteer_id = *member_id = 0;
	rc = db_query_row(db,
			  "SELECT v.id FROM users u JOIN volunteers v ON v.resident_id ="
			  " u.resident_id WHERE u.id = ? AND v.area_id = ? AND v.archived = 0",
			  volunteer_id, "ii", user_id, area_id);
	if (rc && rc != LIN_ENOTFOUND)
		return rc;
	rc = db_query_row(db,
			  "SELECT m.id FROM users u JOIN members m ON m.resident_id ="
			  " u.resident_id WHERE u.id = ? AND m.area_id = ? AND m.archived = 0"
			  " ORDER BY m.id",
			  member_id, "ii", user_id, area_id);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

/* ------------------------------------------------------------ reading */

static void copy(char *dst, size_t n, const char *s)
{
	snprintf(dst, n, "%s", s ? s : "");
}

/* by_place: building, floor, then unit (names and numbers shorter first,
 * so 9号楼 before 10号楼 and 902 before 1002). */
static int by_place(const void *a, const void *b)
{
	const struct doors_row *x = a, *y = b;
	size_t bx = strlen(x->building), by = strlen(y->building);
	size_t lx = strlen(x->unit), ly = strlen(y->unit);
	int c = strcmp(x->building, y->building);

	if (c && bx != by) /* 9号楼 before 10号楼 */
		return bx < by ? -1 : 1;
	if (c)
		return c;
	if (x->building_id != y->building_id)
		return x->building_id < y->building_id ? -1 : 1;
	if (x->floor != y->floor)
		return x->floor < y->floor ? -1 : 1;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x->unit, y->unit);
}

static int by_part(const void *a, const void *b)
{
	const struct doors_row *x = a, *y = b;
	return x->part_id < y->part_id ? -1 : x->part_id > y->part_id;
}

/* fold_visits reads the assembly's visits in (at, id) order into the rows
 * (sorted by part_id): the latest outcome, note and revisit day win. */
static int fold_visits(struct db *db, int64_t area_id, int64_t assembly_id, struct doors_set *s)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT part_id, outcome, at, COALESCE(revisit_on, ''), note"
			    " FROM assembly_visits WHERE assembly_id = ? AND area_id = ?"
			    " ORDER BY at, id",
			    &st);

	if (!rc)
		rc = db_bindf(st, "ii", assembly_id, area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct doors_row key = {.part_id = db_column_int64(st, 0)};
		struct doors_row *r = bsearch(&key, s->row, s->n, sizeof(*r), by_part);
		enum doors_outcome o;

		rc = 0;
		if (!r || doors_outcome_parse(db_column_text(st, 1), &o))
			continue; /* a removed part's visits stay, uncounted */
		r->outcome = (int)o;
		r->at = db_column_int64(st, 2);
		copy(r->revisit_on, sizeof(r->revisit_on), db_column_text(st, 3));
		copy(r->note, sizeof(r->note), db_column_text(st, 4));
		r->visits++;
		if (o == DOORS_RETURNED || o == DOORS_PROXY_RETURNED)
			r->returned = r->delivered = true;
		if (o == DOORS_DELIVERED)
			r->delivered = true;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : rc;
}

int doors_load(struct db *db, int64_t area_id, int64_t assembly_id, struct doors_set *out)
{
	struct db_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(
	    db,
	    "SELECT p.id, p.unit, COALESCE(p.building_id, 0), COALESCE(b.name, ''),"
	    " COALESCE(b.compound_id, 0), COALESCE(d.volunteer_id, 0), COALESCE(r.name, ''),"
	    " COALESCE(d.group_id, 0), COALESCE(g.name, ''), COALESCE(g.leader_member_id, 0),"
	    " COALESCE(bc.n, 0)"
	    " FROM assembly_parts p LEFT JOIN buildings b ON b.id = p.building_id"
	    " LEFT JOIN (SELECT part_id, COUNT(*) AS n FROM assembly_ballots WHERE assembly_id = ?"
	    " GROUP BY part_id) bc ON bc.part_id = p.id"
	    " LEFT JOIN assembly_doors d ON d.part_id = p.id"
	    " LEFT JOIN volunteers v ON v.id = d.volunteer_id"
	    " LEFT JOIN residents r ON r.id = v.resident_id"
	    " LEFT JOIN assembly_groups g ON g.id = d.group_id"
	    " WHERE p.assembly_id = ? AND p.area_id = ? AND p.removed = 0 ORDER BY p.id",
	    &st);
	if (!rc)
		rc = db_bindf(st, "iii", assembly_id, assembly_id, area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct doors_row *r;

		rc = 0;
		if (out->n == cap) {
			size_t ncap = cap ? 2 * cap : 64;
			void *p = realloc(out->row, ncap * sizeof(*out->row));
			if (!p) {
				rc = LIN_ENOMEM;
				break;
			}
			out->row = p;
			cap = ncap;
		}
		r = &out->row[out->n++];
		memset(r, 0, sizeof(*r));
		r->part_id = db_column_int64(st, 0);
		copy(r->unit, sizeof(r->unit), db_column_text(st, 1));
		r->building_id = db_column_int64(st, 2);
		copy(r->building, sizeof(r->building), db_column_text(st, 3));
		r->compound_id = db_column_int64(st, 4);
		r->volunteer_id = db_column_int64(st, 5);
		copy(r->volunteer, sizeof(r->volunteer), db_column_text(st, 6));
		r->group_id = db_column_int64(st, 7);
		copy(r->group, sizeof(r->group), db_column_text(st, 8));
		r->leader_member_id = db_column_int64(st, 9);
		r->voted = db_column_int64(st, 10) > 0;
		r->floor = doors_floor(r->unit);
		r->outcome = -1;
	}
	db_finalize(st);
	if (rc == DB_DONE)
		rc = fold_visits(db, area_id, assembly_id, out);
	if (rc) {
		doors_set_release(out);
		return rc;
	}
	if (out->n)
		qsort(out->row, out->n, sizeof(*out->row), by_place);
	return 0;
}

void doors_set_release(struct doors_set *s)
{
	free(s->row);
	s->row = NULL;
	s->n = 0;
}

int doors_groups_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {"id", "name", "leader_member_id", "leader", NULL};
	return db_query_json(
	    db,
	    "SELECT g.id, g.name, g.leader_member_id, m.name FROM assembly_groups g"
	    " JOIN members m ON m.id = g.leader_member_id"
	    " WHERE g.assembly_id = ? AND g.area_id = ? ORDER BY g.name, g.id",
	    keys, "itit", out, "ii", assembly_id, area_id);
}

int doors_people_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const vkeys[] = {"id", "name", "member_id", NULL};
	static const char *const mkeys[] = {"id", "name", NULL};
	json_t *v = NULL, *m = NULL;
	int rc = db_query_json(db,
			       "SELECT v.id, r.name, v.member_id FROM volunteers v"
			       " JOIN residents r ON r.id = v.resident_id"
			       " WHERE v.area_id = ? AND v.archived = 0 ORDER BY r.name, v.id",
			       vkeys, "iti", &v, "i", area_id);

	if (!rc)
		rc = db_query_json(db,
				   "SELECT id, name FROM members WHERE area_id = ? AND archived = 0"
				   " ORDER BY name, id",
				   mkeys, "it", &m, "i", area_id);
	*out = json_pack("{s:o?,s:o?}", "volunteers", v ? v : json_array(), "members",
			 m ? m : json_array());
	return rc ? rc : *out ? 0 : LIN_ENOMEM;
}

/* ------------------------------------------------------------ writing */

static int live(struct db *db, const char *sql, int64_t id, int64_t area_id)
{
	int64_t n = 0;
	return id > 0 && !db_query_int64(db, sql, &n, 2, id, area_id) && n == 1;
}

int doors_group_add(struct db *db, int64_t area_id, const struct doors_actor *who,
		    int64_t assembly_id, const char *name, int64_t leader_member_id,
		    const char **why, int64_t *id)
{
	int64_t n = 0;
	int rc = running(db, area_id, assembly_id, why);

	if (rc)
		return rc;
	if (!name || !*name || strlen(name) > DOORS_NAME_MAX)
		return refuse(why, LIN_EINVAL, "assembly.doors.err.group_name");
	if (!live(db, "SELECT COUNT(*) FROM members WHERE id = ? AND area_id = ? AND archived = 0",
		  leader_member_id, area_id))
		return refuse(why, LIN_EINVAL, "assembly.doors.err.leader");
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM assembly_groups WHERE assembly_id = ? AND name = ?",
			  &n, "it", assembly_id, name);
	if (!rc && n)
		rc = refuse(why, LIN_ECONFLICT, "assembly.doors.err.group_taken");
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO assembly_groups (area_id, assembly_id, name,"
				  " leader_member_id) VALUES (?, ?, ?, ?) RETURNING id",
				  id, "iiti", area_id, assembly_id, name, leader_member_id);
	if (!rc) {
		json_t *after =
		    json_pack("{s:I,s:s,s:I}", "assembly_id", (json_int_t)assembly_id, "name", name,
			      "leader_member_id", (json_int_t)leader_member_id);
		rc = assembly_audit(db, area_id, who->user_id, "create", "assembly_groups", *id,
				    after);
		json_decref(after);
	}
	return commit(db, rc);
}

/* parts_of: the live parts of building_id on floor (all when < 0). */
static int parts_of(struct db *db, int64_t area_id, int64_t assembly_id, int64_t building_id,
		    int floor, json_t *ids)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, unit FROM assembly_parts WHERE assembly_id = ? AND"
			    " area_id = ? AND building_id = ? AND removed = 0 ORDER BY id",
			    &st);

	if (!rc)
		rc = db_bindf(st, "iii", assembly_id, area_id, building_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		rc = 0;
		if (floor < 0 || doors_floor(db_column_text(st, 1)) == floor)
			rc = json_array_append_new(ids, json_integer(db_column_int64(st, 0)))
				 ? LIN_ENOMEM
				 : 0;
	}
	db_finalize(st);
	return rc == DB_DONE ? 0 : rc;
}

int doors_assign(struct db *db, int64_t area_id, const struct doors_actor *who, int64_t assembly_id,
		 int64_t building_id, int floor, int64_t group_id, int64_t volunteer_id,
		 const char **why, int64_t *count)
{
	json_t *ids = json_array(), *id;
	size_t k;
	int rc = running(db, area_id, assembly_id, why);

	*count = 0;
	if (!rc) {
		int64_t n = 0;
		rc = db_query_int64(db,
				    "SELECT COUNT(*) FROM assembly_groups WHERE id = ? AND"
				    " area_id = ? AND assembly_id = ?",
				    &n, 3, group_id, area_id, assembly_id);
		if (!rc && n != 1)
			rc = refuse(why, LIN_EINVAL, "assembly.doors.err.group");
	}
	if (!rc && !live(db,
			 "SELECT COUNT(*) FROM volunteers WHERE id = ? AND area_id = ?"
			 " AND archived = 0",
			 volunteer_id, area_id))
		rc = refuse(why, LIN_EINVAL, "assembly.doors.err.volunteer");
	if (!rc)
		rc = ids ? parts_of(db, area_id, assembly_id, building_id, floor, ids) : LIN_ENOMEM;
	if (!rc && !json_array_size(ids))
		rc = refuse(why, LIN_EINVAL, "assembly.doors.err.no_doors");
	if (!rc)
		rc = db_begin(db);
	if (rc) {
		json_decref(ids);
		return rc;
	}
	json_array_foreach (ids, k, id) {
		int64_t part = json_integer_value(id);
		rc = db_exec_args(db, "DELETE FROM assembly_doors WHERE part_id = ?", NULL, "i",
				  part);
		if (!rc)
			rc = db_exec_args(
			    db,
			    "INSERT INTO assembly_doors (part_id, area_id, assembly_id,"
			    " group_id, volunteer_id) VALUES (?, ?, ?, ?, ?)",
			    NULL, "iiiii", part, area_id, assembly_id, group_id, volunteer_id);
		if (rc)
			break;
	}
	if (!rc) {
		json_t *after = json_pack(
		    "{s:I,s:I,s:i,s:I,s:I,s:O}", "assembly_id", (json_int_t)assembly_id,
		    "building_id", (json_int_t)building_id, "floor", floor, "group_id",
		    (json_int_t)group_id, "volunteer_id", (json_int_t)volunteer_id, "parts", ids);
		rc = assembly_audit(db, area_id, who->user_id, "assign", "assembly_doors",
				    assembly_id, after);
		json_decref(after);
	}
	rc = commit(db, rc);
	if (!rc)
		*count = (int64_t)json_array_size(ids);
	json_decref(ids);
	return rc;
}

/* may_visit: the actor may record a visit to a door assigned to
 * volunteer_id in the group led by leader: staff, that volunteer, or
 * the group's leader. */
static int may_visit(struct db *db, int64_t area_id, const struct doors_actor *who,
		     int64_t volunteer_id, int64_t leader, int *yes)
{
	int64_t mine = 0, member = 0;
	int rc;

	*yes = who->staff;
	if (*yes)
		return 0;
	rc = doors_who(db, area_id, who->user_id, &mine, &member);
	*yes = !rc && ((mine && mine == volunteer_id) || (member && member == leader));
	return rc;
}

int doors_visit_add(struct db *db, int64_t area_id, const struct doors_actor *who,
		    const struct doors_visit_in *in, const char **why, int64_t *id)
{
	enum doors_outcome o;
	char day[11] = "";
	int64_t volunteer = 0, group = 0, leader = 0;
	struct db_stmt *st = NULL;
	int yes = 0, rc;

	if (doors_outcome_parse(in->outcome, &o))
		return refuse(why, LIN_EINVAL, "assembly.doors.err.outcome");
	if (in->note && strlen(in->note) > DOORS_NOTE_MAX)
		return refuse(why, LIN_EINVAL, "assembly.doors.err.note");
	if (o == DOORS_NOBODY_HOME && doors_revisit_day(in->revisit_on, in->at, day))
		return refuse(why, LIN_EINVAL, "assembly.doors.err.revisit");
	rc = running(db, area_id, in->assembly_id, why);
	if (rc)
		return rc;
	/* The door: a live part of this assembly, assigned to someone. */
	rc = db_prepare(db,
			"SELECT p.removed, COALESCE(d.volunteer_id, 0), COALESCE(d.group_id, 0),"
			" COALESCE(g.leader_member_id, 0) FROM assembly_parts p"
			" LEFT JOIN assembly_doors d ON d.part_id = p.id"
			" LEFT JOIN assembly_groups g ON g.id = d.group_id"
			" WHERE p.id = ? AND p.area_id = ? AND p.assembly_id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "iii", in->part_id, area_id, in->assembly_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc && db_column_int64(st, 0))
		rc = LIN_ENOTFOUND;
	if (!rc) {
		volunteer = db_column_int64(st, 1);
		group = db_column_int64(st, 2);
		leader = db_column_int64(st, 3);
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		return refuse(why, LIN_EINVAL, "assembly.doors.err.not_in_assembly");
	if (rc)
		return rc;
	if (!volunteer)
		return refuse(why, LIN_ECONFLICT, "assembly.doors.err.unassigned");
	rc = may_visit(db, area_id, who, volunteer, leader, &yes);
	if (rc)
		return rc;
	if (!yes)
		return refuse(why, LIN_EPERM, "assembly.doors.err.not_yours");
	rc = db_begin(db);
	if (rc)
		return rc;
	rc =
	    db_query_row(db,
			 "INSERT INTO assembly_visits (area_id, assembly_id, part_id, volunteer_id,"
			 " outcome, at, revisit_on, note, recorded_by) VALUES"
			 " (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			 id, "iiiitittr", area_id, in->assembly_id, in->part_id, volunteer,
			 doors_outcome_name(o), in->at, *day ? day : NULL, in->note ? in->note : "",
			 who->user_id);
	if (!rc) {
		json_t *after =
		    json_pack("{s:I,s:I,s:I,s:I,s:s,s:I,s:s?,s:s}", "assembly_id",
			      (json_int_t)in->assembly_id, "part_id", (json_int_t)in->part_id,
			      "volunteer_id", (json_int_t)volunteer, "group_id", (json_int_t)group,
			      "outcome", doors_outcome_name(o), "at", (json_int_t)in->at,
			      "revisit_on", *day ? day : NULL, "note", in->note ? in->note : "");
		rc = assembly_audit(db, area_id, who->user_id, "create", "assembly_visits", *id,
				    after);
		json_decref(after);
	}
	return commit(db, rc);
}

int doors_running_json(struct db *db, int64_t area_id, json_t **out)
{
	static const char *const keys[] = {"id", "title", "state", NULL};
	return db_query_json(
	    db,
	    "SELECT id, title, state FROM assemblies WHERE area_id = ? AND state IN"
	    " ('published', 'open') ORDER BY created_at DESC, id DESC",
	    keys, "itt", out, "i", area_id);
}
