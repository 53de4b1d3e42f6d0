/* demo_load: writes the planned Pushan area (plan.h) into an empty database
 * in one transaction, then creates one account per role. The registry
 * (district, street, area, compounds, buildings, households, residents and
 * tags) is written here; the organisation and units in org.c. */
#include "demo.h"
#include "plan.h"
#include "../assembly/assembly.h"
#include "../home/home.h"
#include "../cobuild/cobuild.h"
#include "../events/events.h"
#include "../pets/pets.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"
#include "../web/audit.h"
#include "../web/auth.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define AREA_CODE "pushan"

const struct demo_account demo_accounts[] = {
    {"admin", "pushan-admin", "admin"},
    {"secretary", "pushan-secretary", "secretary"},
    {"staff", "pushan-staff", "staff"},
    {"member", "pushan-member", "party_member"},
    {"volunteer", "pushan-volunteer", "volunteer"},
    {"resident", "pushan-resident", "resident"},
    {"liaison", "pushan-liaison", "unit_liaison"},
    {"agency", "pushan-agency", "agency"},
    {NULL, NULL, NULL},
};

/* ---- statement helpers ---- */

int demo_insert(struct db *db, struct db_stmt *st, int64_t *out)
{
	int rc = db_step(st);

	if (out) {
		if (rc != DB_ROW)
			goto fail;
		*out = db_column_int64(st, 0);
		rc = db_step(st);
	}
	if (rc == DB_DONE)
		return 0;
fail:
	log_error("demo: cannot write: %s", db_errmsg(db));
	return rc < 0 ? rc : LIN_EDB;
}

/* ---- district, street and area ---- */

/* place_above finds the district (parent 0) or street by code, or adds it.
 * OUT: *id. */
static int place_above(struct db *db, int64_t parent, const char *code, const char *name,
		       int64_t *id)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(db,
			parent ? "SELECT id FROM streets WHERE code = ?"
			       : "SELECT id FROM districts WHERE code = ?",
			&st);
	if (rc)
		goto out;
	rc = db_bindf(st, "t", code);
	if (rc)
		goto out;
	rc = db_step(st);
	if (rc == DB_ROW) {
		*id = db_column_int64(st, 0);
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	db_finalize(st);
	st = NULL;
	if (parent) {
		rc = db_prepare(db,
				"INSERT INTO streets (district_id, code, name) VALUES (?, ?, ?)"
				" RETURNING id",
				&st);
		if (!rc)
			rc = db_bindf(st, "itt", parent, code, name);
	} else {
		rc = db_prepare(db, "INSERT INTO districts (code, name) VALUES (?, ?) RETURNING id",
				&st);
		if (!rc)
			rc = db_bindf(st, "tt", code, name);
	}
	if (!rc)
		rc = demo_insert(db, st, id);
out:
	db_finalize(st);
	return rc;
}

static int write_area(struct db *db, int64_t *area_id)
{
	struct db_stmt *st = NULL;
	int64_t district = 0, street = 0;
	int rc;

	rc = place_above(db, 0, "jingan", "静安区", &district);
	if (!rc)
		rc = place_above(db, district, "zhijiangxilu", "芷江西路街道", &street);
	if (!rc)
		rc = db_prepare(
		    db, "INSERT INTO areas (street_id, code, name) VALUES (?, ?, ?) RETURNING id",
		    &st);
	if (!rc)
		rc = db_bindf(st, "itt", street, AREA_CODE, "普善居民区");
	if (!rc)
		rc = demo_insert(db, st, area_id);
	db_finalize(st);
	return rc;
}

/* ---- compounds, buildings, households ---- */

static int write_places(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct db_stmt *st = NULL;
	int rc;

	rc = db_prepare(db,
			"INSERT INTO compounds (area_id, name, address, kind, built_year)"
			" VALUES (?, ?, ?, ?, ?) RETURNING id",
			&st);
	for (int i = 0; i < DEMO_COMPOUNDS && !rc; i++) {
		struct demo_compound *c = &p->compounds[i];
		rc = db_bindf(st, "ittti", area_id, c->name, c->address, c->kind,
			      (int64_t)c->built_year);
		if (!rc)
			rc = demo_insert(db, st, &c->id);
	}
	db_finalize(st);
	st = NULL;
	if (rc)
		return rc;

	rc = db_prepare(db,
			"INSERT INTO buildings (area_id, compound_id, name, floors)"
			" VALUES (?, ?, ?, ?) RETURNING id",
			&st);
	for (int i = 0; i < p->nbuildings && !rc; i++) {
		struct demo_building *b = &p->buildings[i];
		rc = db_bindf(st, "iiti", area_id, p->compounds[b->compound].id, b->name,
			      (int64_t)b->floors);
		if (!rc)
			rc = demo_insert(db, st, &b->id);
	}
	db_finalize(st);
	st = NULL;
	if (rc)
		return rc;

	rc = db_prepare(
	    db,
	    "INSERT INTO households (area_id, building_id, door, area_centi, owners, note)"
	    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
	    &st);
	for (int i = 0; i < p->nhouseholds && !rc; i++) {
		struct demo_household *h = &p->households[i];
		const char *note = h->count == 0 ? "空置" : h->rented ? "出租" : "";
		rc = db_bindf(st, "iititt", area_id, p->buildings[h->building].id, h->door,
			      h->area_centi, h->owners, note);
		if (!rc)
			rc = demo_insert(db, st, &h->id);
	}
	db_finalize(st);
	return rc;
}

/* ---- residents and tags ---- */

static int write_people(struct db *db, struct demo_plan *p, int64_t area_id)
{
	struct db_stmt *st = NULL, *tag_st = NULL;
	int64_t tag_ids[DEMO_TAG_COUNT];
	int rc;

	/* The vulnerable groups, as migration 0013 marks them by name. */
	const unsigned vulnerable = 1u << DEMO_TAG_ALONE | 1u << DEMO_TAG_DISABLED |
				    1u << DEMO_TAG_LOW_INCOME | 1u << DEMO_TAG_CHILDLESS;
	rc = db_prepare(
	    db, "INSERT INTO tags (area_id, name, vulnerable) VALUES (?, ?, ?) RETURNING id", &st);
	for (int t = 0; t < DEMO_TAG_COUNT && !rc; t++) {
		rc = db_bindf(st, "iti", area_id, demo_tag_names[t],
			      (int64_t)((vulnerable >> t) & 1u));
		if (!rc)
			rc = demo_insert(db, st, &tag_ids[t]);
	}
	db_finalize(st);
	st = NULL;
	if (rc)
		return rc;

	rc = db_prepare(db,
			"INSERT INTO residents (area_id, household_id, name, gender, birth_year,"
			" phone, is_owner) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st);
	if (!rc)
		rc = db_prepare(db, "INSERT INTO resident_tags (resident_id, tag_id) VALUES (?, ?)",
				&tag_st);
	for (int i = 0; i < p->npersons && !rc; i++) {
		struct demo_person *x = &p->persons[i];
		char gender[2] = {x->gender, '\0'};

		rc = db_bindf(st, "iittiti", area_id, p->households[x->household].id, x->name,
			      gender, (int64_t)x->birth_year, x->phone, (int64_t)x->is_owner);
		if (!rc)
			rc = demo_insert(db, st, &x->id);
		for (int t = 0; t < DEMO_TAG_COUNT && !rc; t++) {
			if (!(x->tags & (1u << t)))
				continue;
			rc = db_bindf(tag_st, "ii", x->id, tag_ids[t]);
			if (!rc)
				rc = demo_insert(db, tag_st, NULL);
		}
	}
	db_finalize(st);
	db_finalize(tag_st);
	return rc;
}

/* ---- accounts ---- */

/* add_accounts creates the demo accounts, each in its own transaction. A
 * name already taken (say an admin made before the demo) is left alone. */
static int add_accounts(struct db *db, int64_t area_id)
{
	int rc = 0;

	for (const struct demo_account *a = demo_accounts; a->username && !rc; a++) {
		rc = auth_user_add(db, a->username, a->password, role_from_name(a->role), area_id,
				   0, NULL);
		if (rc == LIN_ECONFLICT) {
			log_warn("demo: account %s exists already; left unchanged", a->username);
			rc = 0;
		}
	}
	return rc;
}

/* add_profile: what the residents' page says about the committee, with
 * the demo's social worker and secretary on the duty rota. */
static int add_profile(struct db *db, int64_t area_id)
{
	static const struct {
		const char *username, *name;
	} names[] = {{"staff", "王敏（社工）"}, {"secretary", "陈建华（书记）"}};
	struct home_profile p = {0};
	int64_t staff = 0, secretary = 0;
	int rc = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && !rc; i++)
		rc = auth_user_set_name(db, names[i].username, names[i].name, "demo");
	if (!rc)
		rc = home_profile_get(db, area_id, &p);
	if (!rc)
		rc = home_user_id(db, "staff", &staff);
	if (!rc)
		rc = home_user_id(db, "secretary", &secretary);
	if (rc)
		return rc;
	snprintf(p.address, sizeof(p.address), "静安区芷江西路街道普善路 88 弄居委会（底楼）");
	snprintf(p.phone, sizeof(p.phone), "021-56330000");
	snprintf(p.office_hours, sizeof(p.office_hours),
		 "周一至周五 8:30–17:00；周六 9:00–12:00 值班");
	for (int d = 1; d <= 5; d++)
		p.duty[d] = staff;
	p.duty[6] = secretary;
	return home_profile_set(db, area_id, &p, 0, "demo");
}

/* ---- the whole load ---- */

static int write_audit(struct db *db, struct demo_plan *p, int64_t area_id)
{
	char after[256];
	struct audit_entry e = {
	    .user_id = 0,
	    .actor = "demo",
	    .area_id = area_id,
	    .action = "demo",
	    .entity = "areas",
	    .entity_id = area_id,
	    .before_json = NULL,
	    .after_json = after,
	};

	snprintf(after, sizeof(after),
		 "{\"code\":\"%s\",\"compounds\":%d,\"buildings\":%d,\"households\":%d,"
		 "\"residents\":%d,\"members\":%d}",
		 AREA_CODE, DEMO_COMPOUNDS, p->nbuildings, p->nhouseholds, p->npersons,
		 p->nmembers);
	return audit_append(db, &e);
}

int demo_load(struct db *db, int *created)
{
	struct demo_plan plan;
	int64_t area_id = 0;
	int rc, in_tx = 0;

	*created = 0;
	rc = auth_init();
	if (rc)
		return rc;
	rc = demo_plan_build(&plan);
	if (rc) {
		log_error("demo: cannot plan the area: %s", lin_strerror(rc));
		goto out;
	}
	rc = db_begin(db);
	if (rc)
		goto out;
	in_tx = 1;
	rc = area_id_by_code(db, AREA_CODE, &area_id);
	if (rc != LIN_ENOTFOUND) {
		if (!rc)
			log_info("demo: area %s exists already; nothing loaded", AREA_CODE);
		goto out;
	}
	rc = write_area(db, &area_id);
	if (rc)
		goto out;
	rc = write_places(db, &plan, area_id);
	if (rc)
		goto out;
	rc = write_people(db, &plan, area_id);
	if (rc)
		goto out;
	rc = demo_write_org(db, &plan, area_id);
	if (!rc)
		rc = demo_write_plaza(db, area_id);
	if (!rc)
		rc = demo_write_footprints(db, &plan, area_id);
	if (rc)
		goto out;
	rc = write_audit(db, &plan, area_id);
	if (rc)
		goto out;
	rc = db_commit(db);
	if (rc)
		goto out;
	in_tx = 0;
	*created = 1;
	log_info("demo: loaded area %s: %d households, %d residents, %d Party members", AREA_CODE,
		 plan.nhouseholds, plan.npersons, plan.nmembers);
	rc = add_accounts(db, area_id);
	if (!rc)
		rc = add_profile(db, area_id);
	if (!rc)
		rc = demo_write_hours(db, area_id);
	if (!rc)
		rc = demo_write_duty(db, area_id);
	if (!rc)
		rc = assembly_demo(db, area_id, (int64_t)time(NULL));
	if (!rc)
		rc = cobuild_demo(db, area_id, (int64_t)time(NULL));
	if (!rc)
		rc = events_demo(db, area_id, (int64_t)time(NULL));
	if (!rc)
		rc = pets_demo(db, area_id, (int64_t)time(NULL));
out:
	if (in_tx)
		db_rollback(db);
	demo_plan_release(&plan);
	return rc;
}
