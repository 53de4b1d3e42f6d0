/* The demo's pets: one household in five keeps a dog, a cat or another
 * pet, registered through pets_add as a resident would; half of them have
 * signed the pledge; the demo resident's own dog's licence runs out within
 * the month, so its reminder is in their inbox; and (with the history) a
 * two years of pet reports that fall month by month since the
 * 携宠善行 team took the problem on. Deterministic: every choice follows
 * from ids and a fixed sequence. */
#include "internal.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../web/auth.h"

#include <stdio.h>
#include <string.h>

#define DEMO_SHARE 5 /* one household in this many has a pet */

static const char *const dog_names[] = {"豆豆", "旺财", "球球", "可乐", "小黑",
					"大黄", "毛毛", "乐乐", "糯米", "花卷"};
static const char *const cat_names[] = {"咪咪", "橘子", "雪球", "小花", "布丁", "年糕"};

/* one: household hh's pet number i, its dates counted back from today. */
static int one(struct db *db, int64_t area_id, int64_t hh, int64_t i, int64_t today, int64_t now)
{
	char issued[11], expires[11], rabies[11], licence[24];
	struct pet_in in = {0};
	const char *field, *key;
	int64_t age = (hh * 37) % 330 + 20; /* days since the licence was issued */

	in.kind = i % 10 < 6 ? "dog" : i % 10 < 9 ? "cat" : "other";
	in.name = !strcmp(in.kind, "dog")   ? dog_names[i % 10]
		  : !strcmp(in.kind, "cat") ? cat_names[i % 6]
					    : "小乌龟";
	if (!strcmp(in.kind, "dog")) {
		snprintf(licence, sizeof(licence), "HP-%06lld",
			 (long long)(100000 + hh * 7 % 900000));
		pets_day_text(today - age, issued, sizeof(issued));
		pets_day_text(today - age + 365, expires, sizeof(expires));
		in.licence_no = licence;
		in.licence_issued_on = issued;
		in.licence_expires_on = expires;
	}
	if (strcmp(in.kind, "other")) {
		pets_day_text(today - (hh * 53) % 400 - 1, rabies, sizeof(rabies));
		in.rabies_on = rabies;
	}
	return pets_add(db, area_id, 0, hh, &in, now, NULL, &field, &key);
}

/* pet_owner: the demo's pet owner, an account of its own (the demo
 * "resident" stays unlinked, as other features' demos expect), linked to
 * a resident of a household of two or more among those with pets; their
 * 可可's licence runs out in 20 days and its vaccination is due in 40, so
 * the reminder is in their inbox. */
static int pet_owner(struct db *db, int64_t area_id, int64_t today, int64_t now, int64_t *out)
{
	char issued[11], expires[11], rabies[11];
	struct pet_in in = {"dog", "可可", "HP-200318", issued, expires, rabies};
	const char *field, *key;
	int64_t resident = 0, hh = 0;
	int rc =
	    db_query_row(db,
			 "SELECT COALESCE(MIN(r.id), 0) FROM residents r WHERE r.area_id = ? AND"
			 " r.archived = 0 AND r.household_id % ? = 0 AND (SELECT COUNT(*) FROM"
			 " residents o WHERE o.household_id = r.household_id) >= 2",
			 &resident, "ii", area_id, (int64_t)DEMO_SHARE);

	if (rc || !resident)
		return rc;
	rc =
	    db_query_row(db, "SELECT household_id FROM residents WHERE id = ?", &hh, "i", resident);
	*out = hh;
	if (!rc)
		rc = auth_user_add(db, PETS_DEMO_USER, "pushan-" PETS_DEMO_USER, ROLE_RESIDENT,
				   area_id, resident, NULL);
	if (rc == LIN_ECONFLICT)
		return 0; /* a rerun, or someone's own account of that name */
	pets_day_text(today - 345, issued, sizeof(issued));
	pets_day_text(today + 20, expires, sizeof(expires));
	pets_day_text(today - 365 + 40, rabies, sizeof(rabies));
	if (!rc)
		rc = pets_add(db, area_id, 0, hh, &in, now, NULL, &field, &key);
	return rc;
}

int pets_demo(struct db *db, int64_t area_id, int64_t now)
{
	struct db_stmt *st = NULL;
	int64_t hh[4096], today = pets_today(now), owner = 0;
	int n = 0, rc, sent = 0;

	rc = db_prepare(
	    db, "SELECT id FROM households WHERE area_id = ? AND archived = 0 ORDER BY id", &st);
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		int64_t id = db_column_int64(st, 0);
		if (id % DEMO_SHARE == 0 && n < (int)(sizeof(hh) / sizeof(hh[0])))
			hh[n++] = id;
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	rc = pet_owner(db, area_id, today, now, &owner);
	for (int i = 0; i < n && !rc; i++) {
		const char *key;
		rc = one(db, area_id, hh[i], i, today, now);
		/* the pet owner has yet to sign: the demo shows the form */
		if (!rc && i % 2 == 1 && hh[i] != owner)
			rc = pets_pledge_sign(db, area_id, 0, hh[i], "demo",
					      now - 86400 * (int64_t)(i % 300 + 1), &key);
	}
	/* the reminders already due go out now, as the job would send them,
	 * so that starting the server sends nothing new */
	if (!rc)
		rc = pets_remind_sweep(db, now, &sent);
	return rc;
}

static const char *const waste_texts[] = {"草坪上有狗粪没人清理", "楼道里有宠物粪便",
					  "花坛边宠物便溺", "人行道上的狗粪踩了一脚"};
static const char *const nuisance_texts[] = {"遛狗不牵绳，孩子害怕", "狗半夜一直叫",
					     "大型犬在电梯里不戴嘴套"};

#define HISTORY_MONTHS 24

int pets_demo_history(struct db *db, int64_t area_id, int64_t now)
{
	int rc = 0;

	/* thirty-day spans counted back from now, so the stories (and the
	 * README's figures) are the same whatever day the demo is loaded */
	for (int back = HISTORY_MONTHS - 1; back >= 0 && !rc; back--) {
		/* from 18 reports a month two years ago down to 6 half a year
		 * ago, then almost none beyond the few of the general history
		 * (cases_demo_history files some pet waste too) */
		int count = back >= 6 ? 6 + (back - 6) * 12 / (HISTORY_MONTHS - 7) : back >= 3;
		int64_t start = now - (int64_t)(back + 1) * 30 * 86400;
		for (int i = 0; i < count && !rc; i++) {
			int64_t t = start + (int64_t)30 * 86400 * (2 * i + 1) / (2 * count);
			int waste = (i + back) % 4 != 0;
			rc = cases_demo_report(db, area_id, waste ? "pet_waste" : "pet_nuisance",
					       waste ? waste_texts[(i + back) % 4]
						     : nuisance_texts[(i + back) % 3],
					       1 + (i * 3 + back) % 4, t, now);
		}
	}
	return rc;
}
