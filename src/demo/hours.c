/* The demo's service hours: a year of activities (楼道清洁, 垃圾分类宣传,
 * 关爱独居老人 ...) credited through hours_credit to the volunteers of the
 * area's service teams and to Party members, one correction and one
 * time-bank gift for the demo volunteer, the points table and the yearly
 * targets (双报到). Only "activity" and "event" entries: duty shifts are
 * credited by the duty feature's own demo when their shifts are checked
 * out, so no hour is counted twice. Deterministic for a given day: the
 * year ends yesterday. */
#include "plan.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/rand.h"
#include "../base/timeutil.h"
#include "../db/db.h"
#include "../hours/hours.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define HOURS_PEOPLE_MAX 140 /* people credited: the demo stays quick to load */

static const char *const activities[] = {
    "楼道清洁",	    "垃圾分类宣传", "关爱独居老人", "社区巡逻",
    "文明养宠劝导", "防诈骗宣传",   "为老助餐",	    "绿化养护",
};

/* link_account ties a demo account to a resident of the area who has a
 * household of two or more, unless something linked it already (the duty
 * demo may): members of kind's teams first (team_kind NULL: an in-post
 * member). OUT: *resident, the account's resident in the end. */
static int link_account(struct db *db, int64_t area_id, const char *username, const char *team_kind,
			int64_t *resident)
{
	int rc = db_query_row(db, "SELECT COALESCE(resident_id, 0) FROM users WHERE username = ?",
			      resident, "t", username);

	if (rc || *resident)
		return rc;
	if (team_kind)
		rc = db_query_row(
		    db,
		    "SELECT MIN(tm.resident_id) FROM team_members tm JOIN teams t ON t.id ="
		    " tm.team_id JOIN residents r ON r.id = tm.resident_id WHERE t.area_id = ? AND"
		    " t.kind = ? AND tm.left_on IS NULL AND (SELECT COUNT(*) FROM residents o WHERE"
		    " o.household_id = r.household_id) >= 2",
		    resident, "it", area_id, team_kind);
	else
		rc = db_query_row(db,
				  "SELECT MIN(m.resident_id) FROM members m JOIN residents r ON"
				  " r.id = m.resident_id WHERE m.area_id = ? AND m.in_post = 1 AND"
				  " m.archived = 0 AND (SELECT COUNT(*) FROM residents o WHERE"
				  " o.household_id = r.household_id) >= 2",
				  resident, "i", area_id);
	if (!rc && *resident > 0)
		rc = db_exec_args(db,
				  "UPDATE users SET resident_id = ? WHERE username = ? AND"
				  " resident_id IS NULL",
				  NULL, "it", *resident, username);
	return rc;
}

/* people: who served this year, residents' ids: the two demo accounts'
 * residents first, then every in-post member (双报到), the service teams'
 * volunteers, and every fourth other member, up to HOURS_PEOPLE_MAX. */
static int people(struct db *db, int64_t area_id, const int64_t first[2], int64_t *out, int *n)
{
	struct db_stmt *st = NULL;
	int rc;

	*n = 0;
	for (int i = 0; i < 2; i++)
		if (first[i] > 0)
			out[(*n)++] = first[i];
	rc = db_prepare(db,
			"SELECT m.resident_id, 0 FROM members m WHERE m.area_id = ? AND"
			" m.archived = 0 AND m.resident_id IS NOT NULL AND m.in_post = 1"
			" UNION SELECT tm.resident_id, 1 FROM team_members tm JOIN teams t ON"
			" t.id = tm.team_id WHERE t.area_id = ? AND t.kind IN ('vanguard',"
			" 'volunteer', 'patrol', 'self_governance', 'fund') AND tm.left_on IS NULL"
			" AND tm.resident_id IS NOT NULL UNION SELECT m.resident_id, 2 FROM"
			" members m WHERE m.area_id = ? AND m.archived = 0 AND m.resident_id IS NOT"
			" NULL AND m.id % 4 = 0 ORDER BY 2, 1",
			&st);
	if (!rc)
		rc = db_bindf(st, "iii", area_id, area_id, area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW && *n < HOURS_PEOPLE_MAX) {
		int64_t r = db_column_int64(st, 0);
		int dup = 0;
		rc = 0;
		for (int i = 0; i < *n; i++)
			dup |= out[i] == r;
		if (!dup)
			out[(*n)++] = r;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

/* credit_year credits resident r a deterministic year of activities
 * ending yesterday. OUT: *first, the first entry written (0: none). */
static int credit_year(struct db *db, int64_t area_id, int64_t r, int64_t today, int percent,
		       int64_t *first)
{
	static const int64_t lengths[] = {60, 90, 120, 150, 180};
	int rc = 0;

	*first = 0;
	for (int week = 52; week >= 1 && !rc; week--) {
		uint64_t x = lin_mix64((uint64_t)r * 1000003u + (uint64_t)week);
		int64_t day = today - week * 7 + (int64_t)(x % 7);
		struct hours_credit_in in = {0};
		const char *why = NULL;
		char d[11];
		int y, m, dd;
		int64_t id = 0;

		/* Most people serve every few weeks; the demo volunteer weekly. */
		if (day >= today || (int)((x >> 8) % 100) >= percent)
			continue;
		lin_civil_from_days(day, &y, &m, &dd);
		snprintf(d, sizeof(d), "%04d-%02d-%02d", y, m, dd);
		in.resident_id = r;
		in.minutes = lengths[(x >> 16) % 5];
		in.source = (x >> 24) % 10 == 0 ? "event" : "activity";
		in.day = d;
		in.note = activities[(x >> 32) % (sizeof(activities) / sizeof(activities[0]))];
		rc = hours_credit(db, area_id, 0, &in, &id, &why);
		if (rc)
			log_error("demo: cannot credit hours to resident %lld: %s", (long long)r,
				  why ? why : lin_strerror(rc));
		if (!rc && !*first)
			*first = id;
	}
	return rc;
}

/* household_other: another resident of r's household (0: none). */
static int household_other(struct db *db, int64_t r, int64_t *out)
{
	int rc =
	    db_query_row(db,
			 "SELECT MIN(o.id) FROM residents me JOIN residents o ON o.household_id"
			 " = me.household_id AND o.id <> me.id WHERE me.id = ?",
			 out, "i", r);

	if (rc == LIN_ENOTFOUND)
		*out = 0, rc = 0;
	return rc;
}

int demo_write_hours(struct db *db, int64_t area_id)
{
	static int64_t list[HOURS_PEOPLE_MAX];
	static const int64_t points[HOURS_ITEMS] = {2, 1, 3, 1};
	int64_t accounts[2] = {0, 0},
		today = lin_local_day((int64_t)time(NULL), LIN_SHANGHAI_OFFSET);
	int64_t member = 0, other = 0, first = 0;
	const char *why = NULL;
	int n = 0, year, m, d, rc;

	lin_civil_from_days(today, &year, &m, &d);
	rc = db_begin(db); /* a savepoint: linli demo runs inside db_begin_outer */
	if (rc)
		return rc;
	rc = link_account(db, area_id, "volunteer", "volunteer", &accounts[0]);
	if (!rc)
		rc = link_account(db, area_id, "member", NULL, &accounts[1]);
	if (!rc)
		rc = people(db, area_id, accounts, list, &n);
	for (int i = 0; i < n && !rc; i++) {
		int64_t id = 0;
		rc =
		    credit_year(db, area_id, list[i], today, i == 0 && accounts[0] ? 100 : 30, &id);
		if (i == 0)
			first = id;
	}
	/* The volunteer's first activity ended early; two credits go home. */
	if (!rc && first)
		rc = hours_correct(db, area_id, 0, first, 30, "活动提前结束，多记了 30 分钟", NULL,
				   &why);
	if (!rc && accounts[0])
		rc = household_other(db, accounts[0], &other);
	if (!rc && other)
		rc = hours_give_credits(db, area_id, 0, accounts[0], other, 2, NULL, &why);
	if (!rc)
		rc = hours_points_set(db, area_id, 0, points);
	for (int y = year - 1; y <= year && !rc; y++)
		rc = hours_target_set(db, area_id, 0, 0, y, 20 * 60);
	if (!rc && accounts[1])
		rc = db_query_row(db, "SELECT MIN(id) FROM members WHERE resident_id = ?", &member,
				  "i", accounts[1]);
	if (!rc && member)
		rc = hours_target_set(db, area_id, 0, member, year, 40 * 60);
	if (rc) {
		log_error("demo: cannot write the service hours: %s", why ? why : lin_strerror(rc));
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}
