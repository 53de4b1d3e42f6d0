/* Objections to the published roll (上海市住宅物业管理规定 Art. 16: the
 * owners, their headcount and areas are on notice for 15 days): recorded
 * while the notice runs, resolved before voting opens. An upheld
 * objection corrects the roll (an area, an owner, a part struck off or a
 * missing part added), audited with the objection; once voting opens the
 * roll is frozen and every change is refused. */
#include "internal.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"

#include <stdio.h>
#include <string.h>

int assembly_objection_add(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			   int64_t part_id, const char *raised_by, const char *body, int64_t now,
			   int64_t *objection_id, const char **why)
{
	struct assembly a;
	struct assembly_part p;
	json_t *row;
	int rc;

	*objection_id = 0;
	if (!assembly_text_ok(raised_by, 1, 100))
		return assembly_refuse(why, "assembly.err.raised_by", LIN_EINVAL);
	if (!assembly_text_ok(body, 1, 2000))
		return assembly_refuse(why, "assembly.err.objection_body", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = assembly_roll_changeable(db, area_id, id, false, why);
	if (!rc)
		rc = assembly_get(db, area_id, id, &a);
	if (!rc &&
	    (a.state != ASSEMBLY_PUBLISHED || now < a.published_at || now >= a.objections_until))
		assembly_refuse(why, "assembly.err.objection_period", rc = LIN_ECONFLICT);
	if (!rc && part_id) {
		rc = assembly_part_get(db, area_id, part_id, &p);
		if (rc == LIN_ENOTFOUND || (!rc && p.assembly_id != id))
			assembly_refuse(why, "assembly.err.part", rc = LIN_EINVAL);
	}
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO assembly_objections (area_id, assembly_id, part_id,"
		    " raised_by, body, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		    objection_id, "iirtti", area_id, id, part_id, raised_by, body, now);
	if (!rc) {
		row = json_pack("{s:I, s:I, s:s, s:s, s:s}", "assembly_id", (json_int_t)id,
				"part_id", (json_int_t)part_id, "raised_by", raised_by, "body",
				body, "state", "open");
		rc = assembly_audit(db, area_id, actor_user_id, "create", "assembly_objections",
				    *objection_id, row);
		json_decref(row);
	}
	if (rc)
		*objection_id = 0;
	return assembly_finish(db, rc);
}

/* correct_part applies an upheld objection's correction to the roll. */
static int correct_part(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			int64_t part_id, const struct assembly_correction *c, const char **why)
{
	struct assembly_part p;
	json_t *row;
	int rc = 0;

	if (!strcmp(c->kind, "add")) {
		struct assembly_part n = {
		    .assembly_id = id, .building_id = c->building_id, .area_centi = c->area_centi};
		int64_t new_id = 0;
		if (!assembly_text_ok(c->unit, 1, 60))
			return assembly_refuse(why, "assembly.err.unit", LIN_EINVAL);
		if (c->area_centi <= 0)
			return assembly_refuse(why, "assembly.err.area", LIN_EINVAL);
		assembly_owner_key(c->owner_name, n.owner_key, sizeof(n.owner_key), &n.developer);
		if (!n.owner_key[0])
			return assembly_refuse(why, "assembly.err.owner", LIN_EINVAL);
		assembly_copy(n.unit, sizeof(n.unit), c->unit);
		assembly_copy(n.owner_name, sizeof(n.owner_name),
			      n.developer ? "开发商" : c->owner_name);
		rc = assembly_part_insert(db, area_id, &n, "", "objection", &new_id);
		if (rc == LIN_EDB && db_error_is_constraint(db))
			return assembly_refuse(why, "assembly.err.unit_taken", LIN_ECONFLICT);
		part_id = new_id;
	} else {
		if (!part_id)
			return assembly_refuse(why, "assembly.err.part", LIN_EINVAL);
		rc = assembly_part_get(db, area_id, part_id, &p);
		if (rc)
			return rc;
		if (!strcmp(c->kind, "area")) {
			if (c->area_centi <= 0)
				return assembly_refuse(why, "assembly.err.area", LIN_EINVAL);
			rc = db_exec_args(db,
					  "UPDATE assembly_parts SET area_centi = ? WHERE id = ?",
					  NULL, "ii", c->area_centi, part_id);
		} else if (!strcmp(c->kind, "owner")) {
			char key[96], name[96];
			bool dev = false;
			assembly_owner_key(c->owner_name, key, sizeof(key), &dev);
			if (!key[0])
				return assembly_refuse(why, "assembly.err.owner", LIN_EINVAL);
			assembly_copy(name, sizeof(name), dev ? "开发商" : c->owner_name);
			rc = db_exec_args(db,
					  "UPDATE assembly_parts SET owner_key = ?, owner_name = ?,"
					  " developer = ?, id_check = '' WHERE id = ?",
					  NULL, "ttii", key, name, (int64_t)dev, part_id);
		} else if (!strcmp(c->kind, "remove")) {
			rc = db_exec_args(db, "UPDATE assembly_parts SET removed = 1 WHERE id = ?",
					  NULL, "i", part_id);
		} else {
			return assembly_refuse(why, "assembly.err.correction", LIN_EINVAL);
		}
	}
	if (rc)
		return rc;
	rc = assembly_part_get(db, area_id, part_id, &p);
	if (rc)
		return rc;
	row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:b, s:b}", "assembly_id", (json_int_t)id,
			"correction", c->kind, "unit", p.unit, "owner_key", p.owner_key,
			"owner_name", p.owner_name, "area_centi", (json_int_t)p.area_centi,
			"developer", p.developer, "removed", p.removed);
	rc = assembly_audit(db, area_id, actor_user_id,
			    !strcmp(c->kind, "add") ? "create" : "correct", "assembly_parts",
			    part_id, row);
	json_decref(row);
	return rc;
}

int assembly_objection_resolve(struct db *db, int64_t area_id, int64_t actor_user_id,
			       int64_t objection_id, bool upheld, const char *resolution,
			       const struct assembly_correction *c, int64_t now, const char **why)
{
	struct db_stmt *st = NULL;
	int64_t id = 0, part_id = 0;
	char state[16] = "";
	json_t *row;
	int rc;

	if (!assembly_text_ok(resolution, 1, 2000))
		return assembly_refuse(why, "assembly.err.resolution", LIN_EINVAL);
	if (!upheld && c && strcmp(c->kind, "none"))
		return assembly_refuse(why, "assembly.err.correction", LIN_EINVAL);
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_prepare(db,
			"SELECT assembly_id, COALESCE(part_id, 0), state FROM assembly_objections"
			" WHERE id = ? AND area_id = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "ii", objection_id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		id = db_column_int64(st, 0);
		part_id = db_column_int64(st, 1);
		assembly_copy(state, sizeof(state), db_column_text(st, 2));
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		assembly_refuse(why, "assembly.err.objection", rc);
	/* The roll's freeze first: after opening nothing changes. */
	if (!rc)
		rc = assembly_roll_changeable(db, area_id, id, false, why);
	if (!rc && strcmp(state, "open"))
		assembly_refuse(why, "assembly.err.objection_resolved", rc = LIN_ECONFLICT);
	if (!rc && upheld && c && strcmp(c->kind, "none"))
		rc = correct_part(db, area_id, actor_user_id, id, part_id, c, why);
	if (!rc)
		rc = db_exec_args(db,
				  "UPDATE assembly_objections SET state = ?, resolution = ?,"
				  " resolved_at = ?, resolved_by = ? WHERE id = ?",
				  NULL, "ttiri", upheld ? "upheld" : "rejected", resolution, now,
				  actor_user_id, objection_id);
	if (!rc) {
		row = json_pack("{s:I, s:s, s:s, s:s}", "assembly_id", (json_int_t)id, "state",
				upheld ? "upheld" : "rejected", "resolution", resolution,
				"correction", c ? c->kind : "none");
		rc = assembly_audit(db, area_id, actor_user_id, "resolve", "assembly_objections",
				    objection_id, row);
		json_decref(row);
	}
	return assembly_finish(db, rc);
}

int assembly_objections_json(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	static const char *const keys[] = {"id",	  "part_id", "unit",	   "raised_by",
					   "body",	  "state",   "resolution", "created_at",
					   "resolved_at", NULL};

	return db_query_json(
	    db,
	    "SELECT o.id, o.part_id, COALESCE(p.unit, ''), o.raised_by, o.body,"
	    " o.state, o.resolution, o.created_at, o.resolved_at"
	    " FROM assembly_objections o LEFT JOIN assembly_parts p ON p.id = o.part_id"
	    " WHERE o.area_id = ? AND o.assembly_id = ? ORDER BY o.created_at, o.id",
	    keys, "iitttttii", out, "ii", area_id, id);
}
