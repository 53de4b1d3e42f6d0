/* The duty feature's part of `linli demo`: a sorting station in each of
 * the area's compounds with its morning and evening windows, the evening
 * patrol of the plaza, about thirty volunteers from the sorting, patrol
 * and vanguard teams (the demo volunteer account among them), and five
 * published weeks (three before this one, this one, the next), planned by
 * the roster optimiser like any week. Past shifts are checked in and out
 * and credited, a few missed; there are weather notes and swap requests.
 * Deterministic for a given day. */
#include "internal.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"
#include "../hours/hours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_VOLUNTEERS 30
#define DEMO_WEEKS_BACK 3

static const char *const station_codes[] = {"PSXC01", "PSY02", "WYH03", "PSHT04",
					    "PS05",   "PS06",  "PS07",	"PS08"};

/* places: a station per compound, the plaza's patrol, their windows. */
static int places(struct db *db, int64_t area_id, const struct duty_actor *who)
{
	struct db_stmt *st = NULL;
	struct {
		int64_t id;
		char name[96];
	} compounds[8];
	int n = 0, rc;
	struct duty_err e = {0};

	rc = db_prepare(db,
			"SELECT id, name FROM compounds WHERE area_id = ? AND archived = 0"
			" ORDER BY id LIMIT 8",
			&st);
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		compounds[n].id = db_column_int64(st, 0);
		snprintf(compounds[n].name, sizeof(compounds[n].name), "%s", db_column_text(st, 1));
		n++;
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		char name[128];
		int64_t station = 0, leader = 0;
		snprintf(name, sizeof(name), "%s垃圾厢房", compounds[i].name);
		/* The leader: a sorting volunteer living in the compound, if any. */
		rc = db_query_row(
		    db,
		    "SELECT COALESCE(MIN(tm.resident_id), 0) FROM team_members tm JOIN teams t"
		    " ON t.id = tm.team_id JOIN residents r ON r.id = tm.resident_id"
		    " JOIN households h ON h.id = r.household_id JOIN buildings b"
		    " ON b.id = h.building_id WHERE t.area_id = ? AND t.kind = 'volunteer'"
		    " AND tm.left_on IS NULL AND b.compound_id = ?",
		    &leader, "ii", area_id, compounds[i].id);
		if (rc)
			leader = 0;
		struct duty_station_in s = {compounds[i].id,
					    name,
					    "recyclable,hazardous,wet,dry",
					    "定时定点以外请投放至小区门卫室旁误时投放点",
					    station_codes[i],
					    leader,
					    0};
		rc = duty_station_save(db, area_id, who, 0, &s, &e, &station);
		struct duty_window_in morning = {station, 0, 127, 7 * 60, 9 * 60, 2, 1, 0};
		/* 18:30-20:30, two people, no trained minimum */
		struct duty_window_in evening = {station, 0, 127, 1110, 1230, 2, 0, 0};
		if (!rc)
			rc = duty_window_save(db, area_id, who, 0, &morning, &e, NULL);
		if (!rc)
			rc = duty_window_save(db, area_id, who, 0, &evening, &e, NULL);
		if (rc)
			return rc;
	}
	int64_t route = 0, leader = 0;
	db_query_row(db,
		     "SELECT COALESCE(MIN(tm.resident_id), 0) FROM team_members tm JOIN teams t"
		     " ON t.id = tm.team_id WHERE t.area_id = ? AND t.kind = 'patrol'"
		     " AND tm.left_on IS NULL",
		     &leader, "i", area_id);
	struct duty_route_in r = {"五月花商业广场夜间巡逻",
				  "广场四个舞区、北侧住宅楼下、停车场出口一圈；留意音量与占道。",
				  "PLAZA01", leader, 0};
	rc = duty_route_save(db, area_id, who, 0, &r, &e, &route);
	struct duty_window_in patrol = {0, route, 127, 19 * 60, 21 * 60, 2, 1, 0};
	if (!rc)
		rc = duty_window_save(db, area_id, who, 0, &patrol, &e, NULL);
	return rc;
}

/* volunteers: the demo volunteer account's resident first, then the
 * sorting team, the patrol team and the vanguard, up to DEMO_VOLUNTEERS. */
static int volunteers(struct db *db, int64_t area_id, const struct duty_actor *who)
{
	struct db_stmt *st = NULL;
	int64_t res[DEMO_VOLUNTEERS], member[DEMO_VOLUNTEERS];
	char kind[DEMO_VOLUNTEERS][16];
	int n = 0, rc;
	int64_t mine = 0;

	db_query_row(db, "SELECT COALESCE(resident_id, 0) FROM users WHERE username = 'volunteer'",
		     &mine, "");
	rc = db_prepare(
	    db,
	    "SELECT tm.resident_id, t.kind, COALESCE((SELECT MIN(m.id) FROM members m"
	    " WHERE m.resident_id = tm.resident_id AND m.archived = 0), 0)"
	    " FROM team_members tm JOIN teams t ON t.id = tm.team_id"
	    " WHERE t.area_id = ? AND tm.left_on IS NULL AND tm.resident_id IS NOT NULL"
	    " AND t.kind IN ('volunteer', 'patrol', 'vanguard')"
	    " ORDER BY CASE WHEN tm.resident_id = ? THEN 0 WHEN t.kind = 'volunteer' THEN 1"
	    " WHEN t.kind = 'patrol' THEN 2 ELSE 3 END, t.id, tm.resident_id",
	    &st);
	if (!rc)
		rc = db_bindf(st, "ii", area_id, mine);
	/* A mix: 18 from the sorting teams, 8 patrollers, 4 of the vanguard. */
	int per_kind[3] = {0}, cap[3] = {18, 8, 4};
	while (!rc && (rc = db_step(st)) == DB_ROW && n < DEMO_VOLUNTEERS) {
		int64_t r = db_column_int64(st, 0);
		const char *k = db_column_text(st, 1);
		int which = !strcmp(k, "volunteer") ? 0 : !strcmp(k, "patrol") ? 1 : 2;
		int seen = 0;
		for (int i = 0; i < n; i++)
			seen |= res[i] == r;
		rc = 0;
		if (seen || per_kind[which] == cap[which])
			continue;
		per_kind[which]++;
		res[n] = r;
		member[n] = db_column_int64(st, 2);
		snprintf(kind[n], sizeof(kind[n]), "%s", db_column_text(st, 1));
		n++;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	for (int i = 0; i < n; i++) {
		struct duty_volunteer_in v;
		struct duty_err e = {0};
		memset(&v, 0, sizeof(v));
		v.resident_id = res[i];
		v.member_id = member[i];
		v.trained_guide = !strcmp(kind[i], "volunteer") ? i % 3 != 2 : i % 4 == 0;
		v.trained_patrol = !strcmp(kind[i], "patrol") ? i % 2 == 0 : 0;
		v.max_per_day = 1;
		v.max_per_week = i % 5 == 0 ? 5 : 4;
		/* Every third works: mornings and evenings on weekdays, any time
		 * at the weekend; the rest come any time. */
		if (i % 3 == 1 &&
		    (rc = duty_avail_parse("1-5 06:30-09:30;18:00-21:30\n6-7 06:00-22:00", &v, &e)))
			return rc;
		rc = duty_volunteer_save(db, area_id, who, 0, &v, &e, NULL);
		if (rc) {
			log_warn("demo: volunteer %lld: %s", (long long)res[i],
				 e.key ? e.key : "?");
			return rc;
		}
	}
	return 0;
}

/* simulate: the week's shifts that have ended were checked in and out
 * (about one in fifteen missed), credited through hours_credit. */
static int simulate(struct db *db, int64_t area_id, const char *monday, int64_t now)
{
	struct db_stmt *st = NULL;
	struct row {
		int64_t id, start, end, resident, member;
	} *rows = NULL;
	size_t n = 0, cap = 0;
	int rc = db_prepare(db,
			    "SELECT a.id, s.start_at, s.end_at, v.resident_id,"
			    " COALESCE(v.member_id, 0) FROM duty_assignments a"
			    " JOIN duty_shifts s ON s.id = a.shift_id"
			    " JOIN volunteers v ON v.id = a.volunteer_id"
			    " WHERE s.area_id = ? AND s.week_start = ? AND s.end_at <= ?"
			    " ORDER BY a.id",
			    &st);

	if (!rc)
		rc = db_bindf(st, "iti", area_id, monday, now);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		if (n == cap) {
			struct row *g = realloc(rows, (cap = cap ? cap * 2 : 128) * sizeof(*rows));
			if (!g) {
				rc = LIN_ENOMEM;
				break;
			}
			rows = g;
		}
		rows[n++] = (struct row){db_column_int64(st, 0), db_column_int64(st, 1),
					 db_column_int64(st, 2), db_column_int64(st, 3),
					 db_column_int64(st, 4)};
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0 || !n) {
		free(rows);
		return rc < 0 ? rc : 0;
	}
	rc = db_begin(db);
	for (size_t i = 0; !rc && i < n; i++) {
		uint64_t h = (uint64_t)rows[i].id * 2654435761u;
		int64_t in = rows[i].start - (int64_t)(h % 11) * 60;
		int64_t out = rows[i].end + (int64_t)(h / 11 % 6) * 60;
		int64_t mins = (rows[i].end - rows[i].start) / 60;
		char day[11];
		if (h % 15 == 7)
			continue; /* missed */
		duty_day_of(rows[i].start, day);
		rc = db_exec_args(db,
				  "UPDATE duty_assignments SET checkin_at = ?, checkout_at = ?,"
				  " minutes = ? WHERE id = ?",
				  NULL, "iiii", in, out, mins, rows[i].id);
		struct hours_credit_in c = {
		    rows[i].resident, rows[i].member, mins, "shift", rows[i].id, day, NULL};
		if (!rc)
			rc = hours_credit(db, area_id, 0, &c, NULL, NULL);
	}
	/* Missed shifts of past weeks were alerted when they happened. */
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE duty_shifts SET alerted_at = start_at + ? WHERE area_id = ?"
		    " AND week_start = ? AND end_at <= ? AND EXISTS (SELECT 1 FROM"
		    " duty_assignments a WHERE a.shift_id = duty_shifts.id AND"
		    " a.checkin_at IS NULL)",
		    NULL, "iiti", (int64_t)DUTY_MISSED_AFTER, area_id, monday, now);
	if (!rc)
		rc = db_commit(db);
	if (rc)
		db_rollback(db);
	free(rows);
	return rc;
}

/* underway: the week's shifts that have begun and not yet ended have
 * their volunteers checked in at the start (the demo opens on a morning
 * when everyone came), so that starting the server raises no missed-shift
 * alert for a shift the demo itself left unattended. */
static int underway(struct db *db, int64_t area_id, const char *monday, int64_t now)
{
	return db_exec_args(db,
			    "UPDATE duty_assignments SET checkin_at = (SELECT s.start_at FROM"
			    " duty_shifts s WHERE s.id = duty_assignments.shift_id) WHERE"
			    " checkin_at IS NULL AND shift_id IN (SELECT id FROM duty_shifts WHERE"
			    " area_id = ? AND week_start = ? AND start_at <= ? AND end_at > ?)",
			    NULL, "itii", area_id, monday, now, now);
}

int duty_demo(struct db *db, int64_t area_id, int64_t now)
{
	struct duty_actor who = {0, "demo"};
	struct duty_err e = {0};
	char monday[11], week[11];
	int rc = places(db, area_id, &who);

	if (!rc)
		rc = volunteers(db, area_id, &who);
	duty_monday(now, monday);
	for (int w = -DEMO_WEEKS_BACK; !rc && w <= 1; w++) {
		struct duty_plan_out p;
		int64_t t0 = 0;
		int added = 0;
		duty_day_add(monday, 7 * w, week);
		duty_day_epoch(week, &t0);
		rc = duty_week_generate(db, area_id, &who, week, &added);
		/* Each week planned as staff planned it: the week before. */
		if (!rc)
			rc = duty_week_plan(db, area_id, &who, week, t0 - 86400, &p, &e);
		if (!rc)
			rc = duty_week_publish(db, area_id, &who, week, t0 - 86400, &e);
		if (!rc)
			rc = simulate(db, area_id, week, now);
		if (!rc)
			rc = underway(db, area_id, week, now);
		if (rc)
			log_warn("demo: duty week %s: %s %s", week,
				 e.key ? e.key : lin_strerror(rc), e.detail);
	}
	/* Bad weather on two of this week's shifts, and two swap requests. */
	if (!rc) {
		rc = db_exec_args(
		    db,
		    "UPDATE duty_shifts SET weather_note = ? WHERE id IN (SELECT id FROM"
		    " duty_shifts WHERE area_id = ? AND week_start = ? AND"
		    " station_id IS NOT NULL ORDER BY start_at, id LIMIT 2 OFFSET 6)",
		    NULL, "tit", "预报有雨：请穿雨衣，桶边铺防滑垫", area_id, monday);
	}
	if (!rc) {
		duty_day_add(monday, 7, week);
		rc = db_exec_args(
		    db,
		    "INSERT INTO duty_swaps (area_id, assignment_id, from_volunteer_id,"
		    " to_volunteer_id, requested_at, reason) SELECT a.area_id, a.id, "
		    "a.volunteer_id,"
		    " (SELECT MAX(v.id) FROM volunteers v WHERE v.area_id = a.area_id AND v.id <>"
		    " a.volunteer_id), ?, '家里有事' FROM duty_assignments a JOIN duty_shifts s"
		    " ON s.id = a.shift_id WHERE s.area_id = ? AND s.week_start = ?"
		    " ORDER BY a.id LIMIT 2",
		    NULL, "iit", now, area_id, week);
	}
	return rc;
}
