/* The demo street's second and third areas: small (a few dozen
 * residents, some Party members, a few months of cases), so the street's
 * overview has areas to compare, and the street office's account. */
#include "internal.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../registry/registry.h"
#include "../web/auth.h"

#include <stdio.h>
#include <string.h>

/* The two areas, each a few buildings of one compound. */
static const struct {
	const char *code, *name;
	const char *staff; /* its committee's account (password pushan-staff) */
	int households;	   /* doors, two residents each */
	int cases;	   /* reports over the half year */
} demo_areas[] = {
    {"pushan-east", "普善东居民区", "east-staff", 24, 30},
    {"pushan-west", "普善西居民区", "west-staff", 16, 12},
};

/* import runs one entity's CSV through the registry, as a committee
 * loads its lists. */
static int import(struct db *db, int64_t area, const char *entity, const struct buf *csv)
{
	struct import_report rep;

	if (csv->failed)
		return LIN_ENOMEM;
	return registry_import(db, entity_by_name(entity), area, csv->buf, csv->len, 0, "en",
			       stderr, &rep);
}

/* people writes the area's one compound, its buildings, households (two
 * residents each) through the registry's CSV import. */
static int people(struct db *db, int64_t area, int households, int seed)
{
	static const char *const family[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄"};
	static const char *const given[] = {"建国", "秀英", "志强", "桂兰", "伟", "丽"};
	int buildings = (households + 7) / 8, rc;
	struct buf c, b, h, r;

	buf_init(&c, 1 << 16);
	buf_init(&b, 1 << 16);
	buf_init(&h, 1 << 20);
	buf_init(&r, 1 << 20);
	buf_adds(&c, "name,kind\r\n新村,public_housing\r\n");
	buf_adds(&b, "compound_id,name,floors\r\n");
	for (int i = 1; i <= buildings; i++)
		buf_addf(&b, "新村,%d号楼,6\r\n", i);
	buf_adds(&h, "building_id,door,area_centi\r\n");
	buf_adds(&r, "name,gender,birth_year,household_id\r\n");
	for (int i = 0; i < households; i++) {
		int building = 1 + i / 8, door = 101 + (i % 8) / 2 * 100 + i % 2;
		buf_addf(&h, "新村 %d号楼,%d,%d\r\n", building, door, 5000 + (i % 5) * 1000);
		for (int k = 0; k < 2; k++)
			buf_addf(&r, "%s%s,%s,%d,新村 %d号楼 %d\r\n", family[(i + seed) % 8],
				 given[(i * 2 + k + seed) % 6], k ? "F" : "M",
				 1950 + (i * 7 + k * 3) % 50, building, door);
	}
	rc = import(db, area, "compounds", &c);
	if (!rc)
		rc = import(db, area, "buildings", &b);
	if (!rc)
		rc = import(db, area, "households", &h);
	if (!rc)
		rc = import(db, area, "residents", &r);
	buf_release(&c);
	buf_release(&b);
	buf_release(&h);
	buf_release(&r);
	return rc;
}

int region_demo(struct db *db, int64_t area_id, int64_t now)
{
	char street[96] = "";
	const char *why;
	int64_t street_id = 0, area = 0, user = 0;
	int line, rc;

	rc = region_street_of(db, area_id, &street_id, street, sizeof(street));
	if (rc)
		return rc;
	for (size_t i = 0; !rc && i < sizeof(demo_areas) / sizeof(demo_areas[0]); i++) {
		struct region_area_in in = {
		    demo_areas[i].code, demo_areas[i].name, street, "", "", ""};
		if (!area_id_by_code(db, demo_areas[i].code, &area))
			continue; /* loaded before */
		rc = region_areas_add(db, &in, 1, "demo", &line, &why);
		if (!rc)
			rc = area_id_by_code(db, demo_areas[i].code, &area);
		if (!rc)
			rc = cases_seed_categories(db, area, "demo");
		if (!rc)
			rc = people(db, area, demo_areas[i].households, (int)i * 3);
		/* the area's own committee member works its cases */
		if (!rc)
			rc = auth_user_add(db, demo_areas[i].staff, "pushan-staff", ROLE_STAFF,
					   area, 0, NULL);
		if (!rc)
			rc = cases_demo_history(db, area, now - (int64_t)i * 86400,
						demo_areas[i].cases);
		if (rc)
			log_warn("demo: area %s: %s (%d)", demo_areas[i].code,
				 why ? why : db_errmsg(db), rc);
	}
	if (!rc && db_query_row(db, "SELECT id FROM users WHERE username = ?", &user, "t",
				REGION_DEMO_USER) == LIN_ENOTFOUND)
		rc = auth_user_add_scope(db, REGION_DEMO_USER, "pushan-" REGION_DEMO_USER,
					 ROLE_STREET_STAFF, street_id, "demo", NULL);
	return rc;
}
