/* The demo's 五月花商业广场: four zones with the place manager's rules,
 * the façades around it, a profile for each square-dance team, the plaza's
 * sound-level meter and its alert rules. Coordinates are metres on the
 * plaza's plan (x east, y north); the compound's towers are south and
 * west of it, the mall north. */
#include "plan.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../noise/noise.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

static const struct {
	const char *name, *shape, *periods;
	int64_t capacity, cap_centi;
} zones[] = {
    {"东区", "70,60 100,60 100,80 70,80", "18:00-21:30", 1, 7000},
    {"西区", "40,60 70,60 70,80 40,80", "18:00-21:30", 1, 7000},
    {"北区", "40,80 100,80 100,100 40,100", "18:00-21:30", 2, 7200},
    {"南侧绿地", "50,45 90,45 90,58 50,58", "18:30-20:30", 1, 6500},
};

static const struct {
	const char *name, *zone_class;
	int64_t x, y, background;
} receptors[] = {
    {"五月花小区1号楼北立面", "2", 7000, 2000, 4800},
    {"五月花小区3号楼东立面", "1", 1000, 8000, 4500},
    {"五月花小区5号楼西立面", "2", 13500, 7500, 4700},
    {"普善路住宅南立面", "1", 7000, 13500, 4400},
};

/* One profile per dance team, in the order the teams were written. */
static const struct {
	int64_t dancers, level, agreed, sessions;
	int zone; /* preferred zone index, -1 for none */
	const char *times, *days, *equipment;
} profiles[] = {
    {16, 7800, 7000, 5, 0, "19:00-20:30", "1234567", "拉杆音箱 80 W"},
    {14, 7500, 6800, 4, 2, "18:30-20:00", "123456", "便携音箱"},
    {12, 7600, 6900, 4, 1, "19:00-20:00", "12345", "拉杆音箱 60 W"},
    {11, 7400, 6800, 3, 2, "18:00-19:30", "1357", "便携音箱"},
    {10, 7900, 7100, 4, 0, "19:30-21:00", "123456", "拉杆音箱 100 W"},
    {9, 7200, 6600, 3, 3, "18:30-19:30", "246", "蓝牙音箱"},
    {12, 7700, 7000, 4, 1, "20:00-21:00", "1234567", "拉杆音箱 80 W"},
    {8, 7000, 6500, 3, -1, "", "12345", "蓝牙音箱"},
    {10, 7300, 6700, 3, 2, "19:00-20:30", "1356", "便携音箱"},
    {8, 6900, 6400, 2, 3, "18:30-20:00", "67", "扇子舞伴奏小音箱"},
};

static int insert_id(struct db *db, const char *sql, const char *fmt, int64_t *id, ...);

int demo_write_plaza(struct db *db, int64_t area_id)
{
	struct db_stmt *st = NULL;
	int64_t place = 0, zone_ids[4] = {0}, meter = 0;
	int rc, n = 0;

	rc = db_query_int64(db,
			    "SELECT id FROM places WHERE area_id = ? AND name = '五月花商业广场'",
			    &place, 1, area_id);
	for (int i = 0; i < 4 && !rc; i++)
		rc = insert_id(db,
			       "INSERT INTO plaza_zones (area_id, place_id, name, shape, capacity,"
			       " allowed_periods, volume_cap_centi) VALUES (?, ?, ?, ?, ?, ?, ?)"
			       " RETURNING id",
			       "iittiti", &zone_ids[i], area_id, place, zones[i].name,
			       zones[i].shape, zones[i].capacity, zones[i].periods,
			       zones[i].cap_centi);
	for (int i = 0; i < 4 && !rc; i++)
		rc = insert_id(db,
			       "INSERT INTO receptors (area_id, name, x_centi, y_centi, zone_class,"
			       " background_centi) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
			       "itiiti", NULL, area_id, receptors[i].name, receptors[i].x,
			       receptors[i].y, receptors[i].zone_class, receptors[i].background);
	if (!rc)
		rc = db_prepare(
		    db, "SELECT id FROM teams WHERE area_id = ? AND kind = 'dance' ORDER BY id",
		    &st);
	if (!rc) {
		int64_t teams[16];
		db_bind_int64(st, 1, area_id);
		while (n < 16 && db_step(st) == DB_ROW)
			teams[n++] = db_column_int64(st, 0);
		db_finalize(st);
		for (int i = 0; i < n && i < 10 && !rc; i++) {
			char phone[16];
			snprintf(phone, sizeof(phone), "1391602%04d", 3100 + i * 7);
			rc = insert_id(
			    db,
			    "INSERT INTO dance_teams (area_id, team_id, contact_phone, dancers,"
			    " equipment, level_10m_centi, agreed_10m_centi, sessions_per_week,"
			    " preferred_zone_id, preferred_times, days)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			    "iititiiirtt", NULL, area_id, teams[i], phone, profiles[i].dancers,
			    profiles[i].equipment, profiles[i].level, profiles[i].agreed,
			    profiles[i].sessions,
			    profiles[i].zone >= 0 ? zone_ids[profiles[i].zone] : (int64_t)0,
			    profiles[i].times, profiles[i].days);
		}
	}
	if (!rc) {
		struct noise_meter_new m = {.name = "五月花广场分贝仪",
					    .zone_class = "2",
					    .place_id = place,
					    .watches = "东区、西区",
					    .zone_id = zone_ids[0]};
		rc = noise_meter_add(db, area_id, &m, "demo", &meter);
	}
	if (!rc)
		rc = insert_id(
		    db,
		    "INSERT INTO noise_alert_rules (area_id, name, meter_id, kind, window_s,"
		    " clear_centi, quiet_s) VALUES (?, '广场音量超上限（5 分钟）', ?,"
		    " 'laeq_cap', 300, 300, 1800) RETURNING id",
		    "ii", NULL, area_id, meter);
	if (!rc)
		rc = insert_id(
		    db,
		    "INSERT INTO noise_alert_rules (area_id, name, meter_id, kind, window_s,"
		    " clear_centi, quiet_s) VALUES (?, '夜间突发噪声', ?, 'lmax_night', 1,"
		    " 0, 1800) RETURNING id",
		    "ii", NULL, area_id, meter);
	return rc;
}

/* insert_id binds the values by fmt (db_bindf), steps and keeps the id. */
static int insert_id(struct db *db, const char *sql, const char *fmt, int64_t *id, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc = db_prepare(db, sql, &st);

	if (rc)
		return rc;
	va_start(ap, id);
	rc = db_vbindf(st, fmt, ap);
	va_end(ap);
	if (!rc) {
		int64_t got = 0;
		rc = demo_insert(db, st, &got);
		if (!rc && id)
			*id = got;
	}
	db_finalize(st);
	return rc;
}
