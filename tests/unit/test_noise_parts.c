/* Readings that grow without bound (src/noise/parts*.c, the rollups in
 * src/noise/store.c), on the engine named by LINLI_TEST_DB (a fresh
 * database: retention drops whole months of every meter; scripts/test.sh
 * runs it once on SQLite and once on a PostgreSQL database of its own):
 * the month edge (23:59:59 on the last day and 00:00:00 of the next, in
 * Shanghai; on PostgreSQL a day's query plans its month's partition only),
 * the rollups' energy to the bit against the assessment of the
 * seconds, retention dropping the month older than the limit and not the
 * one holding it, a late second that must not shrink a rolled-up minute,
 * the backlog of readings older than the rollups, and the job making the
 * months ahead. */
#include "base/err.h"
#include "base/log.h"
#include "base/timeutil.h"
#include "db/db.h"
#include "db/jobs.h"
#include "noise/ingest.h"
#include "noise/limits.h"
#include "noise/noise.h"
#include "noise/parts.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct fixture {
	struct db *db;
	char url[1024];
	char tmpdir[64];
	int64_t meter;
};

/* month: the first second of y-m in Shanghai. */
static int64_t month(int y, int m)
{
	return lin_days_from_civil(y, m, 1) * 86400 - LIN_SHANGHAI_OFFSET;
}

#define FEB1 month(2026, 2)

/* count: the first column of sql's first row, bound to the test's meter,
 * a and b. */
static int64_t count(struct fixture *f, const char *sql, int64_t a, int64_t b)
{
	int64_t n = -1;
	assert_int_equal(db_query_int64(f->db, sql, &n, 3, f->meter, a, b), 0);
	return n;
}

static void store(struct fixture *f, const struct noise_reading *r, int n, int want_stored)
{
	int stored, dups;
	assert_int_equal(noise_readings_insert(f->db, f->meter, r, n, "test", &stored, &dups), 0);
	assert_int_equal(stored, want_stored);
	assert_int_equal(dups, n - want_stored);
}

/* A meter of its own in a new area. */
static int fresh_meter(struct fixture *f)
{
	static int serial;
	char code[64];
	int64_t d = 0, s = 0, a = 0, m = 0;

	snprintf(code, sizeof(code), "P%ld-%d", (long)getpid(), ++serial);
	if (db_query_row(f->db, "INSERT INTO districts (code, name) VALUES (?, ?) RETURNING id", &d,
			 "tt", code, "区") ||
	    db_query_row(f->db,
			 "INSERT INTO streets (district_id, code, name) VALUES (?, ?, ?)"
			 " RETURNING id",
			 &s, "itt", d, code, "街道") ||
	    db_query_row(f->db,
			 "INSERT INTO areas (street_id, code, name) VALUES (?, ?, ?) RETURNING id",
			 &a, "itt", s, code, "居民区") ||
	    db_query_row(f->db, "INSERT INTO meters (area_id, name) VALUES (?, ?) RETURNING id", &m,
			 "it", a, "广场"))
		return -1;
	f->meter = m;
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *url = getenv("LINLI_TEST_DB");
	int applied;

	if (!f)
		return -1;
	if (url && *url) {
		snprintf(f->url, sizeof(f->url), "%s", url);
	} else {
		snprintf(f->tmpdir, sizeof(f->tmpdir), "/tmp/linli-test-parts-XXXXXX");
		if (!mkdtemp(f->tmpdir))
			return -1;
		snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->tmpdir);
	}
	print_message("# readings' months on %s\n", f->url);
	if (db_open(f->url, &f->db) || db_migrate(f->db, &applied))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[128];

	db_close(f->db);
	if (f->tmpdir[0]) {
		snprintf(path, sizeof(path), "%s/t.db", f->tmpdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/t.db-wal", f->tmpdir);
		unlink(path);
		snprintf(path, sizeof(path), "%s/t.db-shm", f->tmpdir);
		unlink(path);
		rmdir(f->tmpdir);
	}
	free(f);
	return 0;
}

static int each(void **state)
{
	return fresh_meter(*state);
}

/* ------------------------------------------------------------ months */

static void test_month_arithmetic(void **state)
{
	char name[32];
	(void)state;

	assert_int_equal(noise_month_start(FEB1), FEB1);
	assert_int_equal(noise_month_start(FEB1 - 1), month(2026, 1));
	assert_int_equal(noise_month_start(month(2026, 3) - 1), FEB1);
	assert_int_equal(noise_month_next(FEB1), month(2026, 3));
	assert_int_equal(noise_month_next(month(2024, 2)) - month(2024, 2), 29 * 86400);
	assert_int_equal(noise_month_next(month(2026, 12)), month(2027, 1));
	noise_parts_name(FEB1 - 1, name);
	assert_string_equal(name, "noise_readings_p202601");
	noise_parts_name(FEB1, name);
	assert_string_equal(name, "noise_readings_p202602");
	/* 2026-02-01 00:00 in Shanghai is 2026-01-31 16:00 UTC. */
	assert_int_equal(FEB1, 1769875200);
}

/* 23:59:59 on 31 January and 00:00:00 on 1 February (Shanghai) land in two
 * months, two minutes and two hours; each month made when its first
 * reading came. */
static void test_month_edge(void **state)
{
	struct fixture *f = *state;
	struct noise_reading r[2] = {{FEB1 - 1, 6000, 6500, 1}, {FEB1, 4000, 0, 0}};
	int64_t months[64];
	int n, seen = 0;

	store(f, r, 2, 2);
	assert_int_equal(noise_parts_months(f->db, months, 64, &n), 0);
	for (int i = 0; i < n; i++)
		seen |= (months[i] == month(2026, 1)) | (months[i] == FEB1) << 1;
	assert_int_equal(seen, 3);
	if (db_engine(f->db) == DB_POSTGRES) {
		/* A day's read touches its month's partition only. */
		struct db_stmt *st = NULL;
		char plan[4096] = "";
		size_t len = 0;
		assert_int_equal(
		    db_prepare(f->db,
			       "EXPLAIN SELECT t FROM noise_readings WHERE meter_id = ?"
			       " AND t >= ? AND t < ?",
			       &st),
		    0);
		db_bind_int64(st, 1, f->meter);
		db_bind_int64(st, 2, FEB1);
		db_bind_int64(st, 3, FEB1 + 86400);
		while (db_step(st) == DB_ROW && len < sizeof(plan))
			len += (size_t)snprintf(plan + len, sizeof(plan) - len, "%s\n",
						db_column_text(st, 0));
		db_finalize(st);
		if (!strstr(plan, "noise_readings_p202602") ||
		    strstr(plan, "noise_readings_p202601"))
			fail_msg("plan:\n%s", plan);
		assert_int_equal(count(f,
				       "SELECT COUNT(*) FROM noise_readings_p202601"
				       " WHERE meter_id = ? AND t >= ? AND t < ?",
				       FEB1 - 1, FEB1),
				 1);
		assert_int_equal(count(f,
				       "SELECT COUNT(*) FROM noise_readings_p202602"
				       " WHERE meter_id = ? AND t >= ? AND t < ?",
				       FEB1, FEB1 + 1),
				 1);
	}
	assert_int_equal(count(f,
			       "SELECT COUNT(*) FROM noise_rollup_minutes WHERE meter_id = ? AND t "
			       ">= ? AND t <= ?",
			       FEB1 - 60, FEB1),
			 2);
	assert_int_equal(
	    count(f,
		  "SELECT COUNT(*) FROM noise_rollup_hours WHERE meter_id = ? AND t >= ? AND t <= ?"
		  " AND seconds = 1",
		  FEB1 - 3600, FEB1),
	    2);
	/* The minute of the 23:59:59 reading: its maximum, its level. */
	assert_int_equal(
	    count(f,
		  "SELECT lmax_centi FROM noise_rollup_minutes WHERE meter_id = ? AND t = ? AND"
		  " leq_centi = ?",
		  FEB1 - 60, 6000),
	    6500);
	assert_int_equal(
	    count(f,
		  "SELECT lmax_centi FROM noise_rollup_minutes WHERE meter_id = ? AND t = ? AND"
		  " leq_centi = ?",
		  FEB1, 4000),
	    4000);
}

/* ------------------------------------------------------------ rollups */

/* A day's assessment from the stored minute rollups is the assessment of
 * the seconds themselves, to the bit: the minute's energy is added up in
 * the same order by the same code, batches split mid-minute and resent. */
static void test_rollup_exact(void **state)
{
	struct fixture *f = *state;
	int64_t day = month(2026, 3) + 6 * 3600; /* 1 March 06:00 */
	enum { N = 3 * 3600 };
	struct noise_reading *r = calloc(N, sizeof(*r));
	struct noise_second *s = calloc(N, sizeof(*s));
	struct noise_rollup *m = NULL, *h = NULL;
	struct noise_day a, b;
	size_t nm, nh, k = 0;

	assert_non_null(r);
	assert_non_null(s);
	/* Three hours from 21:00 (the night starts at 22:00), a gap of 17
	 * seconds each minute, levels that do not repeat. */
	for (int i = 0; i < N; i++) {
		int64_t t = day + 15 * 3600 + i;
		if (i % 60 >= 43)
			continue;
		r[k] = (struct noise_reading){t, 3000 + (i * 37) % 4000, 0, 0};
		if (i % 7 == 0)
			r[k].lmax_centi = r[k].laeq_centi + 250, r[k].has_lmax = 1;
		s[k] = (struct noise_second){t, r[k].laeq_centi,
					     r[k].has_lmax ? r[k].lmax_centi : r[k].laeq_centi};
		k++;
	}
	/* In uneven batches cutting minutes, then the first one again. */
	for (size_t i = 0; i < k; i += 1000)
		store(f, r + i, (int)(k - i < 1000 ? k - i : 1000),
		      (int)(k - i < 1000 ? k - i : 1000));
	store(f, r, 1000, 0);

	assert_int_equal(
	    noise_rollups_read(f->db, f->meter, NOISE_MINUTE, day, day + 86400, &m, &nm), 0);
	assert_int_equal(nm, 180);
	assert_int_equal(m[0].seconds, 43);
	assert_int_equal(noise_assess_day_merged("1", day, NOISE_DAY_SECONDS, s, k, NULL, 0, &a),
			 0);
	assert_int_equal(noise_assess_day_rollups("1", day, NOISE_DAY_SECONDS, m, nm, NULL, 0, &b),
			 0);
	assert_true(a.day.seconds == b.day.seconds && a.night.seconds == b.night.seconds);
	assert_true(a.day.laeq == b.day.laeq);
	assert_true(a.night.laeq == b.night.laeq);
	assert_true(a.ldn == b.ldn);
	assert_int_equal(a.day.minutes_over, b.day.minutes_over);
	assert_int_equal(a.night.minutes_over, b.night.minutes_over);
	assert_int_equal(a.night.lmax_centi, b.night.lmax_centi);
	assert_int_equal(b.day.seconds, 60 * 43);
	assert_int_equal(b.night.seconds, 120 * 43);
	/* A minute's energy: 10^(L/10) of its seconds added in time order;
	 * its maximum the largest of theirs, not the first. */
	{
		double e = 0;
		int64_t lmax = 0;
		for (int i = 0; i < 43; i++) {
			e += pow(10.0, (double)s[i].laeq_centi / 1000.0);
			lmax = s[i].lmax_centi > lmax ? s[i].lmax_centi : lmax;
		}
		assert_true(m[0].energy == e);
		assert_true(lmax > s[0].lmax_centi);
		assert_int_equal(m[0].lmax_centi, lmax);
		assert_int_equal(
		    count(f,
			  "SELECT leq_centi FROM noise_rollup_minutes WHERE meter_id = ?"
			  " AND t = ? AND ? = 0",
			  m[0].t, 0),
		    llround(10.0 * log10(e / 43.0) * 100.0));
	}
	/* An hour: its minutes summed. */
	assert_int_equal(noise_rollups_read(f->db, f->meter, NOISE_HOUR, day, day + 86400, &h, &nh),
			 0);
	assert_int_equal(nh, 3);
	{
		struct noise_rollup sum = noise_rollup_sum(h[1].t, m + 60, 60);
		assert_int_equal(h[1].seconds, 60 * 43);
		assert_true(h[1].energy == sum.energy);
		assert_int_equal(h[1].lmax_centi, sum.lmax_centi);
	}
	free(r);
	free(s);
	free(m);
	free(h);
}

/* ------------------------------------------------------------ retention */

/* The limit is now - keep_days. The month that holds it is kept whole;
 * the month before, whose last second is older, goes (its rollups stay). */
static void test_retention_edges(void **state)
{
	struct fixture *f = *state;
	struct noise_reading r[3] = {
	    {month(2026, 1), 5000, 0, 0}, {FEB1 - 1, 6000, 0, 0}, {FEB1, 4000, 0, 0}};
	int more;

	store(f, r, 3, 3);
	/* The limit one second before 1 February: January holds it. */
	assert_int_equal(noise_parts_retire(f->db, FEB1 - 1 + 180 * 86400, 180, &more), 0);
	assert_int_equal(more, 0);
	assert_int_equal(
	    count(f, "SELECT COUNT(*) FROM noise_readings WHERE meter_id = ? AND t >= ? AND t <= ?",
		  month(2026, 1), FEB1),
	    3);
	/* The limit at 00:00:00 on 1 February: January is older, it goes. */
	assert_int_equal(noise_parts_retire(f->db, FEB1 + 180 * 86400, 180, &more), 0);
	assert_int_equal(more, 0);
	assert_int_equal(
	    count(f, "SELECT COUNT(*) FROM noise_readings WHERE meter_id = ? AND t >= ? AND t < ?",
		  month(2026, 1), FEB1),
	    0);
	assert_int_equal(
	    count(f, "SELECT COUNT(*) FROM noise_readings WHERE meter_id = ? AND t >= ? AND t < ?",
		  FEB1, FEB1 + 1),
	    1);
	if (db_engine(f->db) == DB_POSTGRES)
		assert_int_equal(count(f,
				       "SELECT COUNT(*) FROM pg_class WHERE relname IN"
				       " ('noise_readings_p202601', 'noise_readings_p202602')"
				       " AND ? > 0 AND ? < ?",
				       0, 1),
				 1);
	/* The rollups of January stay for the reports. */
	assert_int_equal(
	    count(
		f,
		"SELECT COUNT(*) FROM noise_rollup_minutes WHERE meter_id = ? AND t >= ? AND t < ?",
		month(2026, 1), FEB1),
	    2);
}

/* A second of a dropped month sent late must not shrink its minute: the
 * minute keeps the seconds it had, the new second is stored alone. */
static void test_late_second_keeps_minute(void **state)
{
	struct fixture *f = *state;
	struct noise_reading r[3] = {
	    {FEB1 - 60, 5000, 0, 0}, {FEB1 - 59, 5200, 0, 0}, {FEB1 - 58, 5400, 0, 0}};
	struct noise_rollup *m = NULL;
	double energy;
	size_t n;
	int more;

	store(f, r, 3, 3);
	assert_int_equal(noise_rollups_read(f->db, f->meter, NOISE_MINUTE, FEB1 - 60, FEB1, &m, &n),
			 0);
	assert_int_equal(n, 1);
	energy = m[0].energy;
	free(m);
	assert_int_equal(noise_parts_retire(f->db, FEB1 + 180 * 86400, 180, &more), 0);
	store(f, (struct noise_reading[]){{FEB1 - 30, 9000, 0, 0}}, 1, 1);
	assert_int_equal(noise_rollups_read(f->db, f->meter, NOISE_MINUTE, FEB1 - 60, FEB1, &m, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].seconds, 3);
	assert_true(m[0].energy == energy);
	free(m);
	/* The next run drops it again. */
	assert_int_equal(noise_parts_retire(f->db, FEB1 + 180 * 86400, 180, &more), 0);
	assert_int_equal(
	    count(f, "SELECT COUNT(*) FROM noise_readings WHERE meter_id = ? AND t >= ? AND t < ?",
		  month(2026, 1), FEB1),
	    0);
}

/* SQLite deletes in batches: a month of more rows than one batch takes
 * two runs, the first saying there is more. */
static void test_retention_batches(void **state)
{
	struct fixture *f = *state;
	enum { N = 3600 };
	struct noise_reading *r = calloc(N, sizeof(*r));
	int64_t dec = month(2025, 12);
	int more;

	assert_non_null(r);
	for (int h = 0; h < 3; h++) {
		for (int i = 0; i < N; i++)
			r[i] = (struct noise_reading){dec + h * 86400 + i, 5000, 0, 0};
		store(f, r, N, N);
	}
	free(r);
	assert_int_equal(noise_parts_retire(f->db, FEB1 + 180 * 86400, 180, &more), 0);
	if (db_engine(f->db) == DB_SQLITE) {
		assert_int_equal(more, 1);
		assert_int_equal(count(f,
				       "SELECT COUNT(*) FROM noise_readings WHERE meter_id = ? AND "
				       "t >= ? AND t < ?",
				       dec, month(2026, 1)),
				 3 * N - NOISE_RETIRE_BATCH);
		assert_int_equal(noise_parts_retire(f->db, FEB1 + 180 * 86400, 180, &more), 0);
	}
	assert_int_equal(more, 0);
	assert_int_equal(
	    count(f, "SELECT COUNT(*) FROM noise_readings WHERE meter_id = ? AND t >= ? AND t < ?",
		  dec, month(2026, 1)),
	    0);
	assert_int_equal(count(f,
			       "SELECT SUM(seconds) FROM noise_rollup_hours WHERE meter_id = ? AND "
			       "t >= ? AND t < ?",
			       dec, month(2026, 1)),
			 3 * N);
}

/* ------------------------------------------------------------ backlog, job */

/* Readings stored before the rollup tables are rolled up a day at a time
 * to the same rows the insert would have written. */
static void test_backlog(void **state)
{
	struct fixture *f = *state;
	enum { N = 1200 };
	struct noise_reading r[N];
	struct noise_rollup *before = NULL, *after = NULL;
	int64_t t0 = month(2026, 4) + 86400 - 600; /* across a day's end */
	size_t nb, na, nh;
	int more, runs = 0;

	for (int i = 0; i < N; i++)
		r[i] = (struct noise_reading){t0 + 2 * i, 4000 + (i * 13) % 3000, 0, 0};
	store(f, r, N, N);
	assert_int_equal(
	    noise_rollups_read(f->db, f->meter, NOISE_MINUTE, t0, t0 + 2 * N, &before, &nb), 0);
	assert_int_equal(db_exec_args(f->db, "DELETE FROM noise_rollup_minutes WHERE meter_id = ?",
				      NULL, "i", f->meter),
			 0);
	assert_int_equal(db_exec_args(f->db, "DELETE FROM noise_rollup_hours WHERE meter_id = ?",
				      NULL, "i", f->meter),
			 0);
	assert_int_equal(db_exec_args(f->db,
				      "INSERT INTO noise_rollup_backlog (meter_id, from_t, to_t)"
				      " VALUES (?, ?, ?)",
				      NULL, "iii", f->meter, month(2026, 4) - 120, t0 + 2 * N),
			 0);
	do {
		assert_int_equal(noise_rollup_backlog_step(f->db, &more), 0);
		/* Newest first: the day before the last reading went first. */
		if (++runs == 1)
			assert_int_equal(
			    count(f,
				  "SELECT to_t FROM noise_rollup_backlog WHERE meter_id = ?"
				  " AND ? < ?",
				  0, 1),
			    t0 + 2 * N - 86400);
	} while (more);
	assert_int_equal(runs, 3); /* two days' work, then the empty look */
	assert_int_equal(
	    noise_rollups_read(f->db, f->meter, NOISE_MINUTE, t0, t0 + 2 * N, &after, &na), 0);
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++) {
		assert_int_equal(after[i].t, before[i].t);
		assert_int_equal(after[i].seconds, before[i].seconds);
		assert_true(after[i].energy == before[i].energy);
	}
	free(after);
	assert_int_equal(
	    noise_rollups_read(f->db, f->meter, NOISE_HOUR, t0 - 3600, t0 + 2 * N, &after, &nh), 0);
	{
		int64_t sum = 0;
		for (size_t i = 0; i < nh; i++)
			sum += after[i].seconds;
		assert_int_equal(sum, N);
	}
	free(before);
	free(after);
}

/* The noise.readings job makes this month's partition and the next two
 * (PostgreSQL), and retires by readings_keep_days. */
static void test_job(void **state)
{
	struct fixture *f = *state;
	struct noise_parts_config cfg = {NOISE_KEEP_DAYS_DEFAULT};
	struct job job;
	atomic_int stop = 0;
	int64_t months[64];
	int n, seen = 0;

	noise_parts_job(&cfg, &job);
	assert_string_equal(job.name, "noise.readings");
	assert_int_equal(job.run(f->db, month(2027, 11) + 86400, job.arg, &stop), 0);
	if (db_engine(f->db) != DB_POSTGRES)
		return;
	assert_int_equal(noise_parts_months(f->db, months, 64, &n), 0);
	for (int i = 0; i < n; i++)
		seen |= (months[i] == month(2027, 11)) | (months[i] == month(2027, 12)) << 1 |
			(months[i] == month(2028, 1)) << 2 | (months[i] == month(2028, 2)) << 3;
	assert_int_equal(seen, 7);
	/* A reading in a made month goes in without making anything. */
	store(f, (struct noise_reading[]){{month(2028, 1), 5000, 0, 0}}, 1, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_month_arithmetic),
	    cmocka_unit_test_setup(test_month_edge, each),
	    cmocka_unit_test_setup(test_rollup_exact, each),
	    cmocka_unit_test_setup(test_retention_edges, each),
	    cmocka_unit_test_setup(test_late_second_keeps_minute, each),
	    cmocka_unit_test_setup(test_retention_batches, each),
	    cmocka_unit_test_setup(test_backlog, each),
	    cmocka_unit_test_setup(test_job, each),
	};

	log_set_level(getenv("LINLI_TEST_VERBOSE") ? LOG_DEBUG : LOG_QUIET);
	return cmocka_run_group_tests(tests, setup, teardown);
}
