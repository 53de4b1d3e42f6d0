/* The demo's owners' assemblies of 五月花小区, written through the
 * feature's own store functions so the audit log holds every step:
 * one finished (renewing the property service contract, item 4, passes;
 * raising the maintenance funds, item 6, gets most but not three quarters
 * and fails), and one open, halfway through delivery. Deterministic: who
 * votes how follows the part's place in the roll. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"

#include <stdlib.h>
#include <string.h>

#define DAY 86400

static int compound_id(struct db *db, int64_t area_id, int64_t *id)
{
	return db_query_row(db, "SELECT id FROM compounds WHERE area_id = ? AND name = ?", id, "it",
			    area_id, "五月花小区");
}

/* cast_one writes one part's ballot in its own transaction. */
static int cast_one(struct db *db, int64_t area_id, int64_t assembly_id, int64_t part_id,
		    const char *channel, int64_t at, const struct assembly_choice *c, size_t n)
{
	struct assembly_ballot_in in = {
	    .assembly_id = assembly_id,
	    .part_id = part_id,
	    .channel = channel,
	    .cast_at = at,
	    .choices = c,
	    .nchoices = n,
	};
	const char *why = NULL;
	int rc = db_begin(db);

	if (!rc)
		rc = assembly_ballot_cast(db, area_id, 0, &in, &why);
	if (rc) {
		db_rollback(db);
		log_error("assembly demo: ballot refused: %s", why ? why : "");
		return rc;
	}
	return db_commit(db);
}

/* The roll as the property register has it: the developer still holds
 * the last DEMO_DEVELOPER_PARTS parts (unsold), and the owner of the part
 * at DEMO_TWO_FLATS bought the next one too; in the open assembly the
 * parts DEMO_ID_FIRST .. + DEMO_ID_PARTS have a real-name record so a
 * reader can try the online vote: the first owner named on the roll and
 * the invented last four ID digits DEMO_ID_LAST4 (docs/assembly.md). */
#define DEMO_DEVELOPER_PARTS 6
#define DEMO_TWO_FLATS	     10
#define DEMO_ID_FIRST	     6
#define DEMO_ID_PARTS	     4
#define DEMO_ID_LAST4	     "0000"

/* register_row appends one row of the register's CSV for part p. */
static void register_row(struct buf *csv, json_t *p, const char *owner, bool developer,
			 bool id_check)
{
	const char *unit = json_string_value(json_object_get(p, "unit"));
	const char *building = json_string_value(json_object_get(p, "building"));
	size_t skip = strlen(building);

	if (!strncmp(unit, building, skip) && unit[skip] == ' ')
		skip++;
	else
		skip = 0;
	csv_add_field(csv, building);
	buf_addc(csv, ',');
	csv_add_field(csv, unit + skip);
	buf_addc(csv, ',');
	csv_add_field(csv, developer ? "开发商" : owner);
	buf_addf(csv, ",%s,%d,%s\r\n", json_string_value(json_object_get(p, "area_m2")),
		 developer ? 1 : 0, id_check ? DEMO_ID_LAST4 : "");
}

/* register_roll imports the register's roll over the one just built from
 * the registry (both on the draft, through assembly_roll_import). */
static int register_roll(struct db *db, int64_t area_id, int64_t id, bool with_id)
{
	json_t *parts = NULL, *errors = NULL, *p;
	const char *why = NULL;
	struct buf csv;
	int64_t n = 0;
	size_t i, count;
	int rc = assembly_parts_json(db, area_id, id, &parts);

	buf_init(&csv, BUF_DEFAULT_MAX);
	buf_adds(&csv, "building,door,owner,area_m2,developer,id_last4\r\n");
	count = json_array_size(parts);
	json_array_foreach (parts, i, p) {
		const char *owner = json_string_value(json_object_get(p, "owner_name"));
		if (i == DEMO_TWO_FLATS + 1)
			owner = json_string_value(
			    json_object_get(json_array_get(parts, DEMO_TWO_FLATS), "owner_name"));
		register_row(&csv, p, owner, i + DEMO_DEVELOPER_PARTS >= count,
			     with_id && i >= DEMO_ID_FIRST && i < DEMO_ID_FIRST + DEMO_ID_PARTS);
	}
	if (!rc && (csv.failed || count <= DEMO_TWO_FLATS + DEMO_DEVELOPER_PARTS + 1))
		rc = LIN_ENOMEM;
	if (!rc)
		rc = assembly_roll_import(db, area_id, 0, id, csv.buf, csv.len, &n, &errors, &why);
	if (rc)
		log_error("assembly demo: the register's roll: %s", why ? why : "cannot write");
	json_decref(errors);
	json_decref(parts);
	buf_release(&csv);
	return rc;
}

/* setup: an assembly of 五月花小区 with its roll and two matters, published
 * at published_at. OUT: *id, the matters' ids. */
static int setup(struct db *db, int64_t area_id, const char *title, int64_t created,
		 const char *const codes[2], const int items[2], const char *const titles[2],
		 int64_t published_at, int64_t opens_at, int64_t closes_at, bool with_id,
		 int64_t *id, int64_t matters[2])
{
	int64_t compound = 0, n = 0;
	const char *why = NULL;
	int rc = compound_id(db, area_id, &compound);

	if (!rc)
		rc = assembly_create(db, area_id, 0, compound, title, NULL, 0, created, id, &why);
	if (!rc)
		rc = assembly_roll_build(db, area_id, 0, *id, &n, NULL, 0, &why);
	if (!rc)
		rc = register_roll(db, area_id, *id, with_id);
	for (int i = 0; !rc && i < 2; i++)
		rc = assembly_matter_add(db, area_id, 0, *id, codes[i], items[i], titles[i], "",
					 &matters[i], &why);
	if (!rc)
		rc = assembly_publish(db, area_id, 0, *id, published_at, opens_at, closes_at,
				      published_at, &why);
	if (rc)
		log_error("assembly demo: %s", why ? why : "cannot set up");
	return rc;
}

/* part_ids: the roll's part ids in order. OUT: *ids (malloc'd), *n. */
static int part_ids(struct db *db, int64_t area_id, int64_t id, int64_t **ids, size_t *n)
{
	json_t *parts = NULL, *p;
	size_t i;
	int rc = assembly_parts_json(db, area_id, id, &parts);

	*ids = NULL;
	*n = 0;
	if (!rc) {
		*ids = calloc(json_array_size(parts) + 1, sizeof(**ids));
		if (!*ids)
			rc = LIN_ENOMEM;
	}
	if (!rc)
		json_array_foreach (parts, i, p)
			(*ids)[(*n)++] = json_integer_value(json_object_get(p, "id"));
	json_decref(parts);
	return rc;
}

/* The finished assembly: 85% take part; item 4: 14 in 17 agree (passes);
 * item 6: 12 in 17 agree (fails the three quarters). Some owners change
 * their mind on item 4: the earlier ballot stays, superseded. */
static int finished(struct db *db, int64_t area_id, int64_t now)
{
	static const char *const codes[2] = {"M4", "M6"};
	static const int items[2] = {4, 6};
	static const char *const titles[2] = {
	    "续聘五月花物业服务有限公司为本小区物业服务企业（合同期三年）",
	    "按每平方米 30 元筹集专项维修资金，用于屋面防水与外墙修缮"};
	int64_t published = now - 75 * DAY, opens = published + 15 * DAY, closes = opens + 20 * DAY,
		id = 0, m[2], *ids = NULL;
	const char *why = NULL;
	size_t n = 0;
	int rc =
	    setup(db, area_id, "五月花小区2026年第一次业主大会（书面征求意见）", published - DAY,
		  codes, items, titles, published, opens, closes, false, &id, m);

	if (!rc)
		rc = assembly_open(db, area_id, 0, id, opens, &why);
	if (!rc)
		rc = part_ids(db, area_id, id, &ids, &n);
	for (size_t i = 0; !rc && i < n; i++) {
		int k = (int)(i % 20);
		int64_t at = opens + 3600 + (int64_t)(i * (size_t)(closes - opens - 7200) / n);
		struct assembly_choice c[2] = {{m[0], k < 14   ? TALLY_AGREE
						      : k < 16 ? TALLY_OPPOSE
							       : TALLY_ABSTAIN},
					       {m[1], k < 12   ? TALLY_AGREE
						      : k < 14 ? TALLY_OPPOSE
							       : TALLY_ABSTAIN}};
		if (k >= 17)
			continue; /* not reached, or did not return the sheet */
		if (k == 3) {
			/* First opposed by paper, then agreed online. */
			struct assembly_choice first = {m[0], TALLY_OPPOSE};
			rc = cast_one(db, area_id, id, ids[i], "paper", at - 1800, &first, 1);
			if (!rc)
				rc = cast_one(db, area_id, id, ids[i], "online", at, c, 2);
			continue;
		}
		rc = cast_one(db, area_id, id, ids[i], k % 4 == 1 ? "online" : "paper", at, c, 2);
	}
	/* A sheet handed in after the closing time: refused and logged. */
	if (!rc && n)
		rc = assembly_refusal_add(db, area_id, id, ids[n - 1], "paper", "closed",
					  closes + 600);
	if (!rc)
		rc = assembly_close(db, area_id, 0, id, closes, &why);
	free(ids);
	if (rc)
		log_error("assembly demo (finished): %s", why ? why : "cannot write");
	return rc;
}

/* The open assembly: published 20 days ago, one objection upheld (an
 * area corrected), voting since 3 days, about two in five ballots back. */
static int open_one(struct db *db, int64_t area_id, int64_t now)
{
	static const char *const codes[2] = {"M1", "M2"};
	static const int items[2] = {3, 5};
	static const char *const titles[2] = {"选举第三届业主委员会委员（候选人 7 名，应选 5 名）",
					      "使用专项维修资金更换 3 号楼、5 号楼电梯"};
	int64_t published = now - 20 * DAY, opens = now - 3 * DAY, closes = now + 11 * DAY, id = 0,
		m[2], *ids = NULL, oid = 0;
	struct assembly_correction fix = {.kind = "area", .area_centi = 0};
	struct assembly_part p;
	const char *why = NULL;
	size_t n = 0;
	int rc = setup(db, area_id, "五月花小区2026年第二次业主大会", published - DAY, codes, items,
		       titles, published, opens, closes, true, &id, m);

	if (!rc)
		rc = part_ids(db, area_id, id, &ids, &n);
	if (!rc && n > 5)
		rc = assembly_part_get(db, area_id, ids[5], &p);
	if (!rc && n > 5)
		rc =
		    assembly_objection_add(db, area_id, 0, id, ids[5], p.owner_name,
					   "房产证上的建筑面积比名册多 1.20 平方米，附房产证复印件",
					   published + 2 * DAY, &oid, &why);
	if (!rc && n > 5) {
		fix.area_centi = p.area_centi + 120;
		rc = assembly_objection_resolve(db, area_id, 0, oid, true,
						"核对房产证属实，按登记面积更正", &fix,
						published + 4 * DAY, &why);
	}
	if (!rc)
		rc = assembly_open(db, area_id, 0, id, opens, &why);
	/* doors: the door assignments and visits of this assembly are written
	 * by the doors' own demo (assembly_doors_demo), after this. */
	for (size_t i = 0; !rc && i < n; i++) {
		int k = (int)(i % 10);
		int64_t at = opens + 7200 + (int64_t)(i * (size_t)(now - opens - 3 * 3600) / n);
		struct assembly_choice c[2] = {{m[0], k < 3 ? TALLY_AGREE : TALLY_ABSTAIN},
					       {m[1], k < 2 ? TALLY_AGREE : TALLY_OPPOSE}};
		if (k >= 4 || i >= n / 2 + n / 5)
			continue;
		rc = cast_one(db, area_id, id, ids[i], k == 1 ? "online" : "paper", at, c, 2);
	}
	if (!rc) /* doors: groups, assignments and visits, the sheets back returned */
		rc = assembly_doors_demo(db, area_id, id, now);
	free(ids);
	if (rc)
		log_error("assembly demo (open): %s", why ? why : "cannot write");
	return rc;
}

int assembly_demo(struct db *db, int64_t area_id, int64_t now)
{
	int rc = finished(db, area_id, now);

	if (!rc)
		rc = open_one(db, area_id, now);
	return rc;
}
