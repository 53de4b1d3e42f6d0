/* The storage suite: one set of tests run against whichever engine
 * LINLI_TEST_DB names ("sqlite:/path/x.db" or "postgres://..."); a
 * temporary SQLite file when it is unset. The PostgreSQL database is shared
 * by every program in a test run, so each test makes its own rows with
 * names no other test or run uses. */
#include "base/embed.h"
#include "base/err.h"
#include "base/log.h"
#include "db/audit.h"
#include "db/db.h"
#include "db/jobs.h"
#include "db/sqlb.h"
#include "web/audit.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
	struct db *db;	 /* the connection every test uses */
	char url[512];	 /* what db was opened with */
	char tmpdir[64]; /* temporary SQLite folder we made, "" if none */
	char run[32];	 /* tag unique to this process, in every name we insert */
	unsigned seq;	 /* counter for uniq() */
};

/* ------------------------------------------------------------ helpers */

static const unsigned char *test_key(void)
{
	static unsigned char key[AUDIT_KEY_BYTES];
	for (int i = 0; i < AUDIT_KEY_BYTES; i++)
		key[i] = (unsigned char)(0x5a ^ i);
	return key;
}

/* uniq writes "prefix-<run>-<n>", a name no other test or run has used. */
static const char *uniq(struct fixture *f, const char *prefix, char out[96])
{
	snprintf(out, 96, "%s-%s-%u", prefix, f->run, ++f->seq);
	return out;
}

/* run prepares sql, binds one argument per letter of types (i: int64_t,
 * t: const char *, n: NULL), and steps once. Returns the step's result
 * (DB_ROW, DB_DONE or an error); on DB_ROW, *first gets column 0. */
static int run(struct db *db, int64_t *first, const char *sql, const char *types, ...)
{
	struct db_stmt *st = NULL;
	va_list ap;
	int rc;

	rc = db_prepare(db, sql, &st);
	if (rc)
		return rc;
	va_start(ap, types);
	for (int i = 0; types[i] && !rc; i++) {
		if (types[i] == 'i')
			rc = db_bind_int64(st, i + 1, va_arg(ap, int64_t));
		else if (types[i] == 't')
			rc = db_bind_text(st, i + 1, va_arg(ap, const char *));
		else
			rc = db_bind_null(st, i + 1);
	}
	va_end(ap);
	if (rc)
		goto out;
	rc = db_step(st);
	if (rc == DB_ROW && first)
		*first = db_column_int64(st, 0);
out:
	db_finalize(st);
	return rc;
}

/* must: the statement ran; otherwise fail with the engine's message. */
#define must(f, rc_expr)                                                                           \
	do {                                                                                       \
		int must_rc = (rc_expr);                                                           \
		if (must_rc < 0)                                                                   \
			fail_msg("%s failed (%d): %s", #rc_expr, must_rc, db_errmsg((f)->db));     \
	} while (0)

static int64_t count_where_area(struct fixture *f, const char *sql, int64_t area_id)
{
	int64_t n = -1;
	must(f, db_query_int64(f->db, sql, &n, 1, area_id));
	return n;
}

static void migrate(struct fixture *f)
{
	int applied;
	must(f, db_migrate(f->db, &applied));
}

/* make_area inserts a district, street and area with fresh codes and
 * returns the area's id. */
static int64_t make_area(struct fixture *f)
{
	char code[96];
	int64_t district = 0, street = 0, area = 0;

	migrate(f);
	assert_int_equal(run(f->db, &district,
			     "INSERT INTO districts (code, name) VALUES (?, ?) RETURNING id", "tt",
			     uniq(f, "D", code), "浦东新区"),
			 DB_ROW);
	assert_int_equal(run(f->db, &street,
			     "INSERT INTO streets (district_id, code, name) VALUES (?, ?, ?)"
			     " RETURNING id",
			     "itt", district, uniq(f, "S", code), "浦南街道"),
			 DB_ROW);
	assert_int_equal(
	    run(f->db, &area,
		"INSERT INTO areas (street_id, code, name) VALUES (?, ?, ?) RETURNING id", "itt",
		street, uniq(f, "A", code), "浦山居民区"),
	    DB_ROW);
	assert_true(district > 0 && street > 0 && area > 0);
	return area;
}

static int add_tag(struct fixture *f, int64_t area_id, const char *name)
{
	return run(f->db, NULL, "INSERT INTO tags (area_id, name) VALUES (?, ?)", "it", area_id,
		   name);
}

#define TAG_COUNT "SELECT COUNT(*) FROM tags WHERE area_id = ?"

/* -------------------------------------------------------------- setup */

static int group_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *url = getenv("LINLI_TEST_DB");

	if (!f)
		return -1;
	snprintf(f->run, sizeof(f->run), "%ld-%ld", (long)getpid(), (long)time(NULL));
	if (url && *url) {
		snprintf(f->url, sizeof(f->url), "%s", url);
	} else {
		snprintf(f->tmpdir, sizeof(f->tmpdir), "/tmp/linli-test-db-XXXXXX");
		if (!mkdtemp(f->tmpdir)) {
			free(f);
			return -1;
		}
		snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->tmpdir);
	}
	print_message("# storage suite on %s\n", f->url);
	{
		/* A fixed key: a rerun on the same PostgreSQL database verifies the
		 * rows of earlier runs too. */
		audit_use_key(test_key(), 1);
	}
	if (db_open(f->url, &f->db)) {
		print_message("# cannot open %s\n", f->url);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fixture *f = *state;
	static const char *suffixes[] = {"t.db", "t.db-wal", "t.db-shm", NULL};
	char path[128];

	db_close(f->db);
	if (f->tmpdir[0]) {
		for (int i = 0; suffixes[i]; i++) {
			snprintf(path, sizeof(path), "%s/%s", f->tmpdir, suffixes[i]);
			unlink(path);
		}
		rmdir(f->tmpdir);
	}
	free(f);
	return 0;
}

/* -------------------------------------------------------------- tests */

static void opens_the_named_engine(void **state)
{
	struct fixture *f = *state;
	struct db *other = (struct db *)1;

	if (!strncmp(f->url, "sqlite:", 7))
		assert_int_equal(db_engine(f->db), DB_SQLITE);
	else
		assert_int_equal(db_engine(f->db), DB_POSTGRES);
	assert_int_equal(db_open("mysql://localhost/x", &other), LIN_EINVAL);
	assert_null(other);
	assert_int_equal(db_exec(f->db, "SELECT 1; SELECT 2"), 0);
	assert_int_equal(db_exec(f->db, "SELEKT 1"), LIN_EDB);
	assert_false(db_error_is_constraint(f->db));
}

/* expected_migrations: how many schema files apply to this engine and the
 * highest version among them. */
static void expected_migrations(enum db_engine engine, int *count, int *max)
{
	*count = 0;
	*max = 0;
	for (const struct embedded_file *file = schema_files; file->name; file++) {
		size_t n = strlen(file->name);
		int version = 0;

		if (n > 11 && !strcmp(file->name + n - 11, ".sqlite.sql") && engine != DB_SQLITE)
			continue;
		if (n > 7 && !strcmp(file->name + n - 7, ".pg.sql") && engine != DB_POSTGRES)
			continue;
		for (const char *p = file->name; *p >= '0' && *p <= '9'; p++)
			version = version * 10 + (*p - '0');
		(*count)++;
		if (version > *max)
			*max = version;
	}
}

static void migrate_applies_each_migration_once(void **state)
{
	struct fixture *f = *state;
	int before = 0, applied = -1, version = 0, count, max;
	int64_t recorded = 0;

	expected_migrations(db_engine(f->db), &count, &max);
	assert_true(count > 0);
	db_schema_version(f->db, &before); /* fails (0) before the first migration */
	must(f, db_migrate(f->db, &applied));
	if (before == 0)
		assert_int_equal(applied, count);
	assert_int_equal(db_migrate(f->db, &applied), 0);
	assert_int_equal(applied, 0);
	assert_int_equal(db_schema_version(f->db, &version), 0);
	assert_true(version > 0);
	assert_int_equal(version, max);
	must(f, db_query_int64(f->db, "SELECT COUNT(*) FROM schema_migrations", &recorded, 0));
	assert_int_equal(recorded, count);
	/* The tables are there and empty of our rows. */
	assert_int_equal(count_where_area(f, TAG_COUNT, 0), 0);
}

static void insert_returning_round_trips_values(void **state)
{
	/* PostgreSQL sends integers as text: 18 digits and fewer are read by
	 * pg.c's own loop, longer ones by strtoll. */
	static const int64_t years[] = {9007199254740993LL,
					INT64_MAX,
					INT64_MIN,
					999999999999999999LL,
					-999999999999999999LL,
					1000000000000000000LL,
					0,
					-1};
	static const char name[] = "张三 \"引号\" 'single' ? ?? $1 \\ 100%";
	static const char note[] = "备注: what? it's ?;\n-- not a comment";
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;

	for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		int64_t id = 0;

		assert_int_equal(run(f->db, &id,
				     "INSERT INTO residents (area_id, household_id, name, gender,"
				     " birth_year, phone, note) VALUES (?, ?, ?, ?, ?, ?, ?)"
				     " RETURNING id",
				     "inttitt", area, name, "女", years[i], "", note),
				 DB_ROW);
		assert_true(id > 0);
		must(f, db_prepare(f->db,
				   "SELECT name, gender, birth_year, household_id, phone, note"
				   " FROM residents WHERE id = ?",
				   &st));
		must(f, db_bind_int64(st, 1, id));
		assert_int_equal(db_step(st), DB_ROW);
		assert_int_equal(db_column_count(st), 6);
		assert_string_equal(db_column_name(st, 2), "birth_year");
		assert_string_equal(db_column_text(st, 0), name);
		assert_string_equal(db_column_text(st, 1), "女");
		assert_false(db_column_is_null(st, 2));
		if (db_column_int64(st, 2) != years[i])
			fail_msg("birth_year %" PRId64 " came back as %" PRId64, years[i],
				 db_column_int64(st, 2));
		assert_true(db_column_is_null(st, 3));
		assert_string_equal(db_column_text(st, 3), "");
		assert_false(db_column_is_null(st, 4));
		assert_string_equal(db_column_text(st, 4), "");
		assert_string_equal(db_column_text(st, 5), note);
		assert_int_equal(db_step(st), DB_DONE);
		db_finalize(st);
		st = NULL;
	}
	/* The large value also matches as a bound WHERE parameter, exactly:
	 * 2^53 + 1 is not a double. */
	int64_t n = 0;
	must(f, db_query_int64(
		    f->db, "SELECT COUNT(*) FROM residents WHERE area_id = ? AND birth_year = ?",
		    &n, 2, area, (int64_t)9007199254740993LL));
	assert_int_equal(n, 1);
	must(f, db_query_int64(
		    f->db, "SELECT COUNT(*) FROM residents WHERE area_id = ? AND birth_year = ?",
		    &n, 2, area, (int64_t)9007199254740992LL));
	assert_int_equal(n, 0);
	/* NULL bound through db_bind_text and db_bind_null alike. */
	must(f, run(f->db, NULL,
		    "INSERT INTO residents (area_id, name, gender, birth_year) VALUES (?, ?, ?, ?)",
		    "ittn", area, "无名", "男"));
	/* gender is NOT NULL: a NULL through db_bind_text is refused. */
	assert_true(run(f->db, NULL,
			"INSERT INTO residents (area_id, name, gender) VALUES (?, ?, ?)", "itt",
			area, "无性别", (const char *)NULL) < 0);
	assert_true(db_error_is_constraint(f->db));
	assert_int_equal(count_where_area(f,
					  "SELECT COUNT(*) FROM residents WHERE area_id = ? AND"
					  " birth_year IS NULL",
					  area),
			 1);
}

/* A double goes in and comes back bit for bit (the noise rollups' energy
 * is summed from it): PostgreSQL's text protocol included. */
static void doubles_round_trip_exactly(void **state)
{
	struct fixture *f = *state;
	const double values[] = {
	    0.1 + 0.2, 1.0 / 3.0,	  3.141592653589793e15, 1e300, 2.2250738585072014e-308,
	    -0.0,      123456789.00000001};
	struct db_stmt *st = NULL;

	migrate(f);
	must(f, db_prepare(f->db, "SELECT CAST(? AS DOUBLE PRECISION)", &st));
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		double back;
		assert_int_equal(db_bind_double(st, 1, values[i]), 0);
		assert_int_equal(db_step(st), DB_ROW);
		back = db_column_double(st, 0);
		if (memcmp(&back, &values[i], sizeof(back)) && !(back == 0 && values[i] == 0))
			fail_msg("%.17g came back as %.17g", values[i], back);
		assert_int_equal(db_step(st), DB_DONE);
	}
	db_finalize(st);
}

static void question_mark_in_literal_is_not_a_placeholder(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;

	must(f, db_prepare(f->db, "SELECT '?', ?, 'it''s ?', ? AS \"what?\"", &st));
	must(f, db_bind_int64(st, 1, 42));
	must(f, db_bind_text(st, 2, "x?"));
	assert_int_equal(db_step(st), DB_ROW);
	assert_string_equal(db_column_text(st, 0), "?");
	assert_int_equal(db_column_int64(st, 1), 42);
	assert_string_equal(db_column_text(st, 2), "it's ?");
	assert_string_equal(db_column_text(st, 3), "x?");
	assert_string_equal(db_column_name(st, 3), "what?");
	db_finalize(st);

	must(f, add_tag(f, area, "what?"));
	must(f, add_tag(f, area, "what"));
	assert_int_equal(
	    count_where_area(f, "SELECT COUNT(*) FROM tags WHERE area_id = ? AND name = 'what?'",
			     area),
	    1);
	assert_int_equal(
	    count_where_area(f, "SELECT COUNT(*) FROM tags WHERE name = 'what?' AND area_id = ?",
			     area),
	    1);
}

static void changes_counts_rows(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;

	must(f, db_prepare(f->db, "INSERT INTO tags (area_id, name) VALUES (?, ?)", &st));
	must(f, db_bind_int64(st, 1, area));
	must(f, db_bind_text(st, 2, "独居老人"));
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_changes(st), 1);
	db_finalize(st);
	must(f, add_tag(f, area, "低保"));
	must(f, add_tag(f, area, "残疾"));

	must(f, db_prepare(f->db, "UPDATE tags SET name = name || '-x' WHERE area_id = ?", &st));
	must(f, db_bind_int64(st, 1, area));
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_changes(st), 3);
	db_finalize(st);

	must(f,
	     db_prepare(f->db, "UPDATE tags SET name = 'z' WHERE area_id = ? AND name = ?", &st));
	must(f, db_bind_int64(st, 1, area));
	must(f, db_bind_text(st, 2, "no such tag"));
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_changes(st), 0);
	db_finalize(st);

	must(f, db_prepare(f->db, "DELETE FROM tags WHERE area_id = ? AND name LIKE '%-x'", &st));
	must(f, db_bind_int64(st, 1, area));
	assert_int_equal(db_step(st), DB_DONE);
	assert_int_equal(db_changes(st), 3);
	db_finalize(st);
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 0);
}

/* An outer transaction holds the ones begun inside it: an inner commit is
 * kept only if the outer one commits, an inner rollback undoes only its
 * own writes, and outside one a nested begin is still an error. */
static void outer_transaction_holds_inner_ones(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);

	must(f, db_begin_outer(f->db));
	must(f, db_begin(f->db));
	must(f, add_tag(f, area, "outer-kept"));
	must(f, db_commit(f->db));
	must(f, db_begin(f->db));
	must(f, add_tag(f, area, "inner-undone"));
	must(f, db_begin(f->db));
	must(f, add_tag(f, area, "inner-inner"));
	must(f, db_commit(f->db));
	must(f, db_rollback(f->db)); /* takes inner-inner with it */
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 1);
	must(f, db_rollback(f->db)); /* the outer one: nothing is left */
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 0);
	/* Committed whole. */
	must(f, db_begin_outer(f->db));
	must(f, db_begin(f->db));
	must(f, add_tag(f, area, "a"));
	must(f, db_commit(f->db));
	must(f, add_tag(f, area, "b"));
	must(f, db_commit(f->db));
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 2);
	/* After it, transactions are flat again: on SQLite a begin inside one
	 * fails (PostgreSQL only warns); and a commit ends it all. */
	must(f, db_begin(f->db));
	if (db_engine(f->db) == DB_SQLITE)
		assert_true(db_begin(f->db) < 0);
	must(f, add_tag(f, area, "flat"));
	must(f, db_commit(f->db));
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 3);
}

static void rollback_discards_and_commit_keeps(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db *other = NULL;

	must(f, db_begin(f->db));
	must(f, add_tag(f, area, "rolled back"));
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 1);
	must(f, db_rollback(f->db));
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 0);

	/* Another connection sees the row only once it is committed. */
	assert_int_equal(db_open(f->url, &other), 0);
	must(f, db_begin(f->db));
	must(f, add_tag(f, area, "kept"));
	must(f, add_tag(f, area, "kept too"));
	int64_t seen = -1;
	assert_int_equal(db_query_int64(other, TAG_COUNT, &seen, 1, area), 0);
	assert_int_equal(seen, 0);
	must(f, db_commit(f->db));
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 2);
	assert_int_equal(db_query_int64(other, TAG_COUNT, &seen, 1, area), 0);
	assert_int_equal(seen, 2);
	db_close(other);

	/* Rolling back with no transaction open leaves the connection usable. */
	db_rollback(f->db);
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 2);
}

static void unique_violation_is_a_constraint_error(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), n = 0;
	char code[96];

	must(f, add_tag(f, area, "重复"));
	assert_true(add_tag(f, area, "重复") < 0);
	assert_true(db_error_is_constraint(f->db));

	/* An engine error afterwards is not a constraint error. */
	must(f, add_tag(f, area, "fine"));
	assert_true(db_query_int64(f->db, "SELECT nope FROM tags WHERE id = ?", &n, 1, (int64_t)1) <
		    0);
	assert_false(db_error_is_constraint(f->db));

	/* Inside a transaction: the store rolls back and carries on. */
	uniq(f, "D", code);
	must(f, db_begin(f->db));
	must(f, run(f->db, NULL, "INSERT INTO districts (code, name) VALUES (?, ?)", "tt", code,
		    "one"));
	assert_true(run(f->db, NULL, "INSERT INTO districts (code, name) VALUES (?, ?)", "tt", code,
			"two") < 0);
	assert_true(db_error_is_constraint(f->db));
	must(f, db_rollback(f->db));
	must(f, run(f->db, &n, "SELECT COUNT(*) FROM districts WHERE code = ?", "t", code));
	assert_int_equal(n, 0);
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 2);
}

static void foreign_key_violation_is_a_constraint_error(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), compound = 0, building = 0;

	assert_true(run(f->db, NULL,
			"INSERT INTO buildings (area_id, compound_id, name) VALUES (?, ?, ?)",
			"iit", area, (int64_t)987654321012LL, "1号楼") < 0);
	assert_true(db_error_is_constraint(f->db));
	assert_true(run(f->db, NULL, "INSERT INTO compounds (area_id, name) VALUES (?, ?)", "it",
			(int64_t)987654321012LL, "无主小区") < 0);
	assert_true(db_error_is_constraint(f->db));

	assert_int_equal(run(f->db, &compound,
			     "INSERT INTO compounds (area_id, name) VALUES (?, ?) RETURNING id",
			     "it", area, "浦山小区"),
			 DB_ROW);
	assert_int_equal(run(f->db, &building,
			     "INSERT INTO buildings (area_id, compound_id, name) VALUES (?, ?, ?)"
			     " RETURNING id",
			     "iit", area, compound, "1号楼"),
			 DB_ROW);
	assert_true(building > 0);
	/* A referenced row cannot be deleted from under its children. */
	assert_true(run(f->db, NULL, "DELETE FROM compounds WHERE id = ?", "i", compound) < 0);
	assert_true(db_error_is_constraint(f->db));
}

/* page: names of tags in area ordered by name, limit/offset; returns how many. */
static int page(struct fixture *f, int64_t area, int64_t limit, int64_t offset, char names[][16])
{
	struct db_stmt *st = NULL;
	int n = 0, rc;

	must(f, db_prepare(f->db,
			   "SELECT name FROM tags WHERE area_id = ? ORDER BY name LIMIT ? OFFSET ?",
			   &st));
	must(f, db_bind_int64(st, 1, area));
	must(f, db_bind_int64(st, 2, limit));
	must(f, db_bind_int64(st, 3, offset));
	for (;;) {
		rc = db_step(st);
		if (rc != DB_ROW)
			break;
		snprintf(names[n++], 16, "%s", db_column_text(st, 0));
	}
	assert_int_equal(rc, DB_DONE);
	db_finalize(st);
	return n;
}

static void limit_and_offset_page_through_rows(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	char name[16], names[25][16];

	for (int i = 0; i < 25; i++) {
		snprintf(name, sizeof(name), "p-%02d", i);
		must(f, add_tag(f, area, name));
	}
	assert_int_equal(page(f, area, 10, 0, names), 10);
	assert_string_equal(names[0], "p-00");
	assert_string_equal(names[9], "p-09");
	assert_int_equal(page(f, area, 10, 10, names), 10);
	assert_string_equal(names[0], "p-10");
	assert_int_equal(page(f, area, 10, 20, names), 5);
	assert_string_equal(names[0], "p-20");
	assert_string_equal(names[4], "p-24");
	assert_int_equal(page(f, area, 10, 30, names), 0);
	assert_int_equal(page(f, area, 100, 0, names), 25);
}

/* like_count: tags in area whose name matches pattern with '\' as escape. */
static int64_t like_count(struct fixture *f, int64_t area, const char *pattern)
{
	int64_t n = -1;
	must(f, run(f->db, &n,
		    "SELECT COUNT(*) FROM tags WHERE area_id = ? AND name LIKE ? ESCAPE '\\'", "it",
		    area, pattern));
	return n;
}

static void like_with_escape(void **state)
{
	static const char *tags[] = {"100%_done", "100x_done",	 "a_b", "axb",
				     "张三丰",	  "back\\slash", NULL};
	struct fixture *f = *state;
	int64_t area = make_area(f);

	for (int i = 0; tags[i]; i++)
		must(f, add_tag(f, area, tags[i]));
	assert_int_equal(like_count(f, area, "100%"), 2);
	assert_int_equal(like_count(f, area, "100\\%%"), 1);
	assert_int_equal(like_count(f, area, "a_b"), 2);
	assert_int_equal(like_count(f, area, "a\\_b"), 1);
	assert_int_equal(like_count(f, area, "%三%"), 1);
	assert_int_equal(like_count(f, area, "%\\\\%"), 1);
	assert_int_equal(like_count(f, area, "%"), 6);
	assert_int_equal(like_count(f, area, "nothing%"), 0);
}

/* The one-call helpers: db_exec_args counts the rows it changed,
 * db_query_row hands back an INSERT's id or says there was no row, and
 * db_bindf's letters bind what they say ('r' 0 as NULL). */
static void one_call_helpers(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), id = 0, n = -1, changed = -1;
	struct db_stmt *st = NULL;

	must(f, db_query_row(
		    f->db,
		    "INSERT INTO places (area_id, compound_id, name, kind) VALUES (?, ?, ?, ?)"
		    " RETURNING id",
		    &id, "irtt", area, (int64_t)0, "一号门岗", "gate"));
	assert_true(id > 0);
	must(f,
	     db_query_row(f->db, "SELECT COUNT(*) FROM places WHERE id = ? AND compound_id IS NULL",
			  &n, "i", id));
	assert_int_equal(n, 1);
	assert_int_equal(db_query_row(f->db, "SELECT id FROM places WHERE id = ? AND name = ?", &n,
				      "it", id, "no such"),
			 LIN_ENOTFOUND);
	must(f, db_exec_args(f->db, "UPDATE places SET note = ? WHERE area_id = ?", &changed, "ti",
			     "夜间有人", area));
	assert_int_equal(changed, 1);
	must(f, db_exec_args(f->db, "UPDATE places SET note = ? WHERE id = ?", &changed, "ti", "x",
			     (int64_t)-1));
	assert_int_equal(changed, 0);
	must(f, db_prepare(f->db, "UPDATE places SET note = ? WHERE id = ?", &st));
	assert_int_equal(db_bindf(st, "nq"), LIN_EINVAL);
	db_finalize(st);
	assert_int_equal(
	    db_exec_args(f->db, "UPDATE places SET note = ? WHERE id = ?", &changed, "tx", "y", id),
	    LIN_EINVAL);
	assert_int_equal(changed, 0);
	must(f, db_query_row(f->db, "SELECT COUNT(*) FROM places WHERE note = 'y'", &n, ""));
	assert_int_equal(n, 0);
	/* Rows as JSON: an integer or null, text, a flag. */
	static const char *const keys[] = {"id", "compound_id", "name", "archived", NULL};
	json_t *rows = json_array();
	must(f, db_prepare(f->db,
			   "SELECT id, compound_id, name, archived FROM places WHERE area_id = ?",
			   &st));
	must(f, db_bindf(st, "i", area));
	must(f, db_rows_json(st, keys, "iitb", rows));
	db_finalize(st);
	assert_int_equal(json_array_size(rows), 1);
	json_t *row = json_array_get(rows, 0);
	assert_int_equal(json_integer_value(json_object_get(row, "id")), id);
	assert_true(json_is_null(json_object_get(row, "compound_id")));
	assert_string_equal(json_string_value(json_object_get(row, "name")), "一号门岗");
	assert_true(json_is_false(json_object_get(row, "archived")));
	json_decref(rows);
	/* The same in one call, and no row at all is an empty list. */
	must(f, db_query_json(f->db,
			      "SELECT id, compound_id, name, archived FROM places"
			      " WHERE area_id = ? AND name = ?",
			      keys, "iitb", &rows, "it", area, "一号门岗"));
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);
	must(f, db_query_json(f->db,
			      "SELECT id, compound_id, name, archived FROM places"
			      " WHERE area_id = ? AND name = ?",
			      keys, "iitb", &rows, "it", area, "no such"));
	assert_true(json_is_array(rows));
	assert_int_equal(json_array_size(rows), 0);
	json_decref(rows);
}

/* sqlb_count: tags of area matched by the builder's LIKE of q. */
static int64_t sqlb_count(struct fixture *f, int64_t area, const char *q)
{
	struct db_stmt *st = NULL;
	struct sqlb b;
	int64_t n = -1;

	sqlb_init(&b);
	buf_adds(&b.sql, "SELECT COUNT(*) FROM tags WHERE area_id = ? AND name LIKE ? ESCAPE '\\'");
	sqlb_int(&b, area);
	sqlb_like(&b, q);
	must(f, sqlb_prepare(f->db, &b, &st));
	assert_int_equal(db_step(st), DB_ROW);
	n = db_column_int64(st, 0);
	db_finalize(st);
	sqlb_release(&b);
	return n;
}

/* The statement builder: values in order of every kind, LIKE patterns
 * that match their text literally, and a statement with one value too
 * many refused before it runs. */
static void sqlb_builds_and_refuses(void **state)
{
	static const char *tags[] = {"100%_done", "100x_done", "a_b", "axb", "back\\slash", NULL};
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;
	struct sqlb b;

	for (int i = 0; tags[i]; i++)
		must(f, add_tag(f, area, tags[i]));
	assert_int_equal(sqlb_count(f, area, "100%"), 1);
	assert_int_equal(sqlb_count(f, area, "_"), 3);
	assert_int_equal(sqlb_count(f, area, "\\"), 1);
	assert_int_equal(sqlb_count(f, area, "x_"), 1);
	assert_int_equal(sqlb_count(f, area, ""), 5);

	sqlb_init(&b);
	buf_adds(&b.sql, "SELECT ?, ?, COALESCE(?, 'none'), ?");
	sqlb_int(&b, INT64_MIN);
	sqlb_text(&b, "文字 'quoted' ?");
	sqlb_null(&b);
	sqlb_text(&b, NULL);
	must(f, sqlb_prepare(f->db, &b, &st));
	assert_int_equal(db_step(st), DB_ROW);
	assert_true(db_column_int64(st, 0) == INT64_MIN);
	assert_string_equal(db_column_text(st, 1), "文字 'quoted' ?");
	assert_string_equal(db_column_text(st, 2), "none");
	assert_true(db_column_is_null(st, 3));
	db_finalize(st);

	/* Reset and reuse; then SQLB_MAX_BINDS values fit and one more does
	 * not, and nothing is prepared. */
	sqlb_reset(&b);
	buf_adds(&b.sql, "SELECT COUNT(*) FROM tags WHERE area_id IN (?");
	sqlb_int(&b, area);
	for (int i = 1; i < SQLB_MAX_BINDS; i++) {
		buf_adds(&b.sql, ", ?");
		sqlb_int(&b, -i);
	}
	buf_adds(&b.sql, ")");
	must(f, sqlb_prepare(f->db, &b, &st));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 5);
	db_finalize(st);
	sqlb_int(&b, 0);
	st = (struct db_stmt *)&b;
	assert_int_equal(sqlb_prepare(f->db, &b, &st), LIN_ENOMEM);
	assert_null(st);
	sqlb_release(&b);
	sqlb_release(&b); /* twice is safe */
}

static void statements_can_be_rebound_and_rerun(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;
	char name[16];

	must(f, db_prepare(f->db, "INSERT INTO tags (area_id, name) VALUES (?, ?)", &st));
	must(f, db_bind_int64(st, 1, area));
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		must(f, db_bind_text(st, 2, name)); /* parameter 1 keeps its value */
		assert_int_equal(db_step(st), DB_DONE);
		assert_int_equal(db_changes(st), 1);
	}
	db_finalize(st);
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 3);

	must(f,
	     db_prepare(f->db, "SELECT COUNT(*) FROM tags WHERE area_id = ? AND name >= ?", &st));
	must(f, db_bind_int64(st, 1, area));
	must(f, db_bind_text(st, 2, "r1"));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 2);
	must(f, db_bind_text(st, 2, "r0")); /* mid-result: starts afresh */
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 3);
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
}

/* A failed bind is not lost when its result is ignored: the next step
 * returns the error and writes nothing; bound again, the statement runs. */
static void a_failed_bind_fails_the_step(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;

	must(f, db_prepare(f->db, "INSERT INTO tags (area_id, name) VALUES (?, ?)", &st));
	db_bind_int64(st, 1, area);
	db_bind_text(st, 2, "kept");
	assert_true(db_bind_text(st, 3, "no such parameter") < 0);
	assert_true(db_step(st) < 0);
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 0);
	must(f, db_bind_text(st, 2, "kept"));
	assert_int_equal(db_step(st), DB_DONE);
	db_finalize(st);
	assert_int_equal(count_where_area(f, TAG_COUNT, area), 1);
	/* A statement prepared again starts clean. */
	must(f, db_prepare(f->db, "SELECT COUNT(*) FROM tags WHERE area_id = ?", &st));
	assert_true(db_bind_int64(st, 0, area) < 0);
	db_finalize(st);
	must(f, db_prepare(f->db, "SELECT COUNT(*) FROM tags WHERE area_id = ?", &st));
	must(f, db_bind_int64(st, 1, area));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_column_int64(st, 0), 1);
	db_finalize(st);
}

static void query_int64_helper(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), n = 7;

	assert_int_equal(
	    db_query_int64(f->db, "SELECT id FROM tags WHERE area_id = ?", &n, 1, area),
	    LIN_ENOTFOUND);
	assert_int_equal(n, 0);
	must(f, add_tag(f, area, "x"));
	must(f, db_query_int64(f->db, "SELECT COUNT(*) FROM tags WHERE area_id = ? AND id > ?", &n,
			       2, area, (int64_t)0));
	assert_int_equal(n, 1);
	must(f, db_query_int64(f->db, "SELECT ? + 1", &n, 1, (int64_t)41));
	assert_int_equal(n, 42);
}

/* Edge cases where the engines once disagreed: a rollback with no
 * transaction open, and changes counted by the first step of RETURNING. */
static void engines_agree_on_edge_cases(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f);
	struct db_stmt *st = NULL;

	/* db.h: db_rollback is "safe to call when no transaction is open". */
	assert_int_equal(db_rollback(f->db), 0);
	/* INSERT ... RETURNING has changed its row once the first step returns it. */
	must(f,
	     db_prepare(f->db, "INSERT INTO tags (area_id, name) VALUES (?, ?) RETURNING id", &st));
	must(f, db_bind_int64(st, 1, area));
	must(f, db_bind_text(st, 2, "returned"));
	assert_int_equal(db_step(st), DB_ROW);
	assert_int_equal(db_changes(st), 1);
	db_finalize(st);
}

static void audit_chain_appends_and_verifies(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), bad = -1, before = -1, count = -1;
	char actor[96];
	struct audit_entry e = {
	    .user_id = 7,
	    .actor = uniq(f, "测试 'actor'", actor),
	    .area_id = area,
	    .action = "create",
	    .entity = "households",
	    .entity_id = 1,
	    .before_json = NULL,
	    .after_json = "{\"door\":\"1-101\",\"owners\":\"张三\"}",
	};

	assert_int_equal(audit_verify(f->db, &bad, &before), 0);
	assert_int_equal(bad, 0);
	must(f, db_begin(f->db));
	for (int i = 0; i < 3; i++) {
		e.entity_id = i + 1;
		e.action = i == 2 ? "update" : "create";
		e.before_json = i == 2 ? "{\"door\":\"1-101\"}" : NULL;
		must(f, audit_append(f->db, &e));
	}
	must(f, db_commit(f->db));
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(count, before + 3);
	assert_int_equal(
	    count_where_area(f, "SELECT COUNT(*) FROM audit_log WHERE area_id = ?", area), 3);

	/* An append rolled back with its transaction leaves no trace. */
	must(f, db_begin(f->db));
	must(f, audit_append(f->db, &e));
	must(f, db_rollback(f->db));
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	assert_int_equal(count, before + 3);
}

static void audit_log_is_append_only(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), id = 0, bad = -1, count = 0;
	struct audit_entry e = {.actor = "cli",
				.area_id = area,
				.action = "create",
				.entity = "tags",
				.after_json = "{}"};

	must(f, db_begin(f->db));
	must(f, audit_append(f->db, &e));
	must(f, db_commit(f->db));
	must(f, db_query_int64(f->db, "SELECT MAX(id) FROM audit_log WHERE area_id = ?", &id, 1,
			       area));
	assert_true(
	    run(f->db, NULL, "UPDATE audit_log SET actor = 'mallory' WHERE id = ?", "i", id) < 0);
	assert_non_null(strstr(db_errmsg(f->db), "append-only"));
	assert_true(run(f->db, NULL, "DELETE FROM audit_log WHERE id = ?", "i", id) < 0);
	assert_true(
	    run(f->db, NULL, "UPDATE audit_log SET hash = hash WHERE area_id = ?", "i", area) < 0);
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	assert_int_equal(bad, 0);
}

/* guard_off: inside the caller's transaction, drop the append-only guard,
 * as someone with write access to the database could. */
static void guard_off(struct fixture *f)
{
	if (db_engine(f->db) == DB_SQLITE)
		must(f, db_exec(f->db, "DROP TRIGGER audit_log_no_update;"
				       " DROP TRIGGER audit_log_no_delete"));
	else
		must(f,
		     db_exec(f->db, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"));
}

static int64_t audit_max_id(struct fixture *f)
{
	int64_t id = 0;
	must(f, db_query_int64(f->db, "SELECT COALESCE(MAX(id), 0) FROM audit_log", &id, 0));
	return id;
}

static void append_one(struct fixture *f, const char *after)
{
	struct audit_entry e = {
	    .actor = "cli", .action = "create", .entity = "tags", .after_json = after};
	must(f, audit_append(f->db, &e));
}

/* audit_tamper: inside a transaction that is rolled back, switch the
 * append-only guard off, run sql on row id and check that audit_verify
 * points at expect_bad. */
static void audit_tamper(struct fixture *f, const char *sql, int64_t id, int64_t expect_bad)
{
	int64_t bad = -1, count = 0;

	must(f, db_begin(f->db));
	guard_off(f);
	must(f, run(f->db, NULL, sql, "i", id));
	assert_int_equal(audit_verify(f->db, &bad, &count), LIN_EINVAL);
	assert_int_equal(bad, expect_bad);
	must(f, db_rollback(f->db));
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
}

static void audit_verify_names_the_broken_row(void **state)
{
	struct fixture *f = *state;
	int64_t area = make_area(f), first = 0, last = 0;
	struct audit_entry e = {.actor = "cli",
				.area_id = area,
				.action = "create",
				.entity = "tags",
				.after_json = "{\"name\":\"x\"}"};

	must(f, db_begin(f->db));
	for (int i = 0; i < 3; i++)
		must(f, audit_append(f->db, &e));
	must(f, db_commit(f->db));
	must(f, db_query_int64(f->db, "SELECT MIN(id) FROM audit_log WHERE area_id = ?", &first, 1,
			       area));
	must(f, db_query_int64(f->db, "SELECT MAX(id) FROM audit_log WHERE area_id = ?", &last, 1,
			       area));
	assert_int_equal(last, first + 2);
	/* An edited row is named; so is the row after a deleted one. */
	audit_tamper(f, "UPDATE audit_log SET after_json = '{\"name\":\"y\"}' WHERE id = ?",
		     first + 1, first + 1);
	audit_tamper(f, "DELETE FROM audit_log WHERE id = ?", first + 1, first + 2);
	/* Every field is in the hash: a change to any one of them is found. */
	{
		static const char *const edits[] = {
		    "UPDATE audit_log SET at = at + 1 WHERE id = ?",
		    "UPDATE audit_log SET user_id = 99 WHERE id = ?",
		    "UPDATE audit_log SET actor = 'mallory' WHERE id = ?",
		    "UPDATE audit_log SET area_id = area_id + 1 WHERE id = ?",
		    "UPDATE audit_log SET action = 'delete' WHERE id = ?",
		    "UPDATE audit_log SET entity = 'units' WHERE id = ?",
		    "UPDATE audit_log SET entity_id = 42 WHERE id = ?",
		    "UPDATE audit_log SET before_json = '{}' WHERE id = ?",
		    "UPDATE audit_log SET after_json = NULL WHERE id = ?",
		    NULL,
		};
		for (int i = 0; edits[i]; i++)
			audit_tamper(f, edits[i], first + 1, first + 1);
	}
	/* The guard is back after the rollback. */
	assert_true(run(f->db, NULL, "DELETE FROM audit_log WHERE id = ?", "i", first) < 0);
}

/* The chain is keyed: rows written under another key, or recomputed
 * without it, break it; so does a column whose storage type was changed,
 * though its numbers read the same. */
static void audit_chain_is_keyed_and_typed(void **state)
{
	struct fixture *f = *state;
	unsigned char other[AUDIT_KEY_BYTES];
	int64_t bad = -1, count = 0, first = 0, next;

	make_area(f);
	must(f, db_begin(f->db));
	append_one(f, "{\"k\":1}");
	must(f, db_commit(f->db));
	assert_int_equal(audit_key_matches(f->db), 0);
	/* A server given another key: its entry breaks the chain, and the
	 * check at start names the mismatch. */
	memcpy(other, test_key(), sizeof(other));
	other[0] ^= 1;
	next = audit_max_id(f) + 1;
	must(f, db_begin(f->db));
	audit_use_key(other, 1);
	append_one(f, "{\"k\":2}");
	audit_use_key(test_key(), 1);
	assert_int_equal(audit_key_matches(f->db), LIN_EINVAL);
	assert_int_equal(audit_verify(f->db, &bad, &count), LIN_EINVAL);
	assert_int_equal(bad, next);
	must(f, db_rollback(f->db));
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	/* A column rebuilt as text, or as a real: the same numbers, another
	 * type, a broken chain from its first row. */
	must(f, db_query_int64(f->db, "SELECT MIN(id) FROM audit_log", &first, 0));
	{
		static const char *const sqlite_edits[] = {
		    "CREATE TABLE audit_copy AS SELECT id, CAST(at AS TEXT) AS at, user_id, actor,"
		    " area_id, action, entity, entity_id, before_json, after_json, prev_hash, hash"
		    " FROM audit_log",
		    "CREATE TABLE audit_copy AS SELECT id, at, CAST(user_id AS REAL) AS user_id,"
		    " actor, area_id, action, entity, entity_id, before_json, after_json,"
		    " prev_hash, hash FROM audit_log",
		};
		static const char *const pg_edits[] = {
		    "ALTER TABLE audit_log ALTER COLUMN at TYPE TEXT",
		    "ALTER TABLE audit_log ALTER COLUMN user_id TYPE DOUBLE PRECISION",
		};
		/* On a connection of its own, as `linli audit verify` has: a
		 * PostgreSQL connection that prepared the query before the change
		 * gets an error instead (its cached plan has the old types). */
		for (int i = 0; i < 2; i++) {
			struct db *own = NULL;
			must(f, db_open(f->url, &own));
			must(f, db_begin(own));
			if (db_engine(own) == DB_SQLITE) {
				must(f, db_exec(own, sqlite_edits[i]));
				must(f,
				     db_exec(own, "DROP TABLE audit_log;"
						  " ALTER TABLE audit_copy RENAME TO audit_log"));
			} else {
				must(f, db_exec(own, pg_edits[i]));
			}
			assert_int_equal(audit_verify(own, &bad, &count), LIN_EINVAL);
			assert_int_equal(bad, first);
			must(f, db_rollback(own));
			db_close(own);
		}
	}
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
}

/* legacy_row inserts entry id as the unkeyed chain of old wrote it: the
 * SHA-256 of each field as "<length>:<bytes>;", NULL as "". */
static void legacy_row(struct fixture *f, int64_t id, const char *prev, char out[65])
{
	char idtext[24], text[512] = "";
	const char *fields[11] = {idtext, "1800000000", "0", "cli", "0", "create",
				  "tags", "0",		"",  "{}",  prev};
	unsigned char digest[32];

	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	for (int i = 0; i < 11; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text), "%zu:%s;",
			 strlen(fields[i]), fields[i]);
	crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
	must(f, run(f->db, NULL,
		    "INSERT INTO audit_log (id, at, user_id, actor, area_id, action, entity,"
		    " entity_id, before_json, after_json, prev_hash, hash)"
		    " VALUES (?, 1800000000, 0, 'cli', 0, 'create', 'tags', 0, NULL, '{}', ?, ?)",
		    "itt", id, prev, out));
}

/* Entries from before the chain was keyed verify as they were written, but
 * only below the first id the key file names as keyed. */
static void audit_legacy_rows_below_the_key(void **state)
{
	struct fixture *f = *state;
	char prev[AUDIT_HASH_MAX], h1[65], h2[65];
	int64_t bad = -1, count = 0, next;

	make_area(f);
	must(f, db_begin(f->db));
	next = audit_max_id(f) + 1;
	must(f, audit_hash_at(f->db, next - 1, prev));
	legacy_row(f, next, prev, h1);
	legacy_row(f, next + 1, h1, h2);
	audit_use_key(test_key(), next + 2);
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	append_one(f, "{\"after\":\"legacy\"}");
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	/* Where the key file says entries are keyed, an unkeyed one breaks. */
	audit_use_key(test_key(), next + 1);
	assert_int_equal(audit_verify(f->db, &bad, &count), LIN_EINVAL);
	assert_int_equal(bad, next + 1);
	audit_use_key(test_key(), 1);
	must(f, db_rollback(f->db));
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
}

/* The key file: created private for a log with no keyed entry yet, with
 * its next entry as the first keyed; read back the same; refused when
 * malformed; never made anew for a log that is keyed already. */
static void audit_key_file(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/linli-key-XXXXXX", path[64], url[96], text[512], why[300];
	int64_t bad = -1, count = 0;
	struct db *fresh = NULL;
	struct stat st;
	int applied;
	FILE *fp;

	make_area(f);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/audit.key", dir);
	/* A keyed log and no file: refused, and no file made. */
	assert_int_equal(audit_key_load(path, f->db, why, sizeof(why)), LIN_ENOTFOUND);
	assert_non_null(strstr(why, "restore it"));
	assert_int_not_equal(stat(path, &st), 0);
	/* A new log: the file is made, private, keyed from entry 1. */
	snprintf(url, sizeof(url), "sqlite:%s/k.db", dir);
	must(f, db_open(url, &fresh));
	must(f, db_migrate(fresh, &applied));
	must(f, audit_key_load(path, fresh, why, sizeof(why)));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	fp = fopen(path, "r");
	assert_non_null(fp);
	text[fread(text, 1, sizeof(text) - 1, fp)] = '\0';
	fclose(fp);
	assert_non_null(strstr(text, "\nfrom=1\n"));
	/* Entries written under it verify after it is read again. */
	must(f, db_begin(fresh));
	{
		struct audit_entry e = {
		    .actor = "cli", .action = "create", .entity = "tags", .after_json = "{}"};
		must(f, audit_append(fresh, &e));
	}
	must(f, db_commit(fresh));
	must(f, audit_key_load(path, fresh, why, sizeof(why)));
	assert_int_equal(audit_key_matches(fresh), 0);
	assert_int_equal(audit_verify(fresh, &bad, &count), 0);
	assert_int_equal(count, 1);
	db_close(fresh);
	/* A malformed file is refused and says why. */
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("key=abc\nfrom=1\n", fp);
	fclose(fp);
	assert_int_equal(audit_key_load(path, f->db, why, sizeof(why)), LIN_EINVAL);
	assert_non_null(strstr(why, "64 hex digits"));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fprintf(fp, "key=%064d\nfrom=0\n", 0);
	fclose(fp);
	assert_int_equal(audit_key_load(path, f->db, why, sizeof(why)), LIN_EINVAL);
	assert_non_null(strstr(why, "positive"));
	unlink(path);
	for (const char *const *sfx = (const char *const[]){"k.db", "k.db-wal", "k.db-shm", NULL};
	     *sfx; sfx++) {
		snprintf(path, sizeof(path), "%s/%s", dir, *sfx);
		unlink(path);
	}
	rmdir(dir);
	audit_use_key(test_key(), 1);
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
}

/* Anchors: a signed head the log must keep holding. Cutting off the newest
 * rows, emptying the table, or rewriting the chain with the key (which
 * audit_verify cannot see) are caught; so are forged and foreign anchors. */
static void audit_anchors(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/linli-anchor-XXXXXX", path[64], why[200], line[AUDIT_ANCHOR_MAX],
	     forged[AUDIT_ANCHOR_MAX], foreign[AUDIT_ANCHOR_MAX], *p;
	unsigned char sk[AUDIT_SIGN_SECRET], sk2[AUDIT_SIGN_SECRET], pk[AUDIT_SIGN_PUBLIC],
	    pk2[AUDIT_SIGN_PUBLIC];
	int64_t id = -1, head, bad = -1, count = 0;

	make_area(f);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sign.key", dir);
	assert_int_equal(audit_sign_key_load(path, 0, sk, why, sizeof(why)), LIN_ENOTFOUND);
	must(f, audit_sign_key_load(path, 1, sk, why, sizeof(why)));
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	must(f, db_begin(f->db));
	append_one(f, "{\"anchor\":1}");
	must(f, db_commit(f->db));
	head = audit_max_id(f);
	must(f, audit_anchor_line(f->db, sk, line));
	assert_int_equal(audit_anchor_check(f->db, line, pk, &id), ANCHOR_HELD);
	assert_int_equal(id, head);
	/* Later entries do not disturb it. */
	must(f, db_begin(f->db));
	append_one(f, "{\"anchor\":2}");
	must(f, db_commit(f->db));
	assert_int_equal(audit_anchor_check(f->db, line, pk, &id), ANCHOR_HELD);
	/* The newest rows cut off, down to the anchored one; the table emptied. */
	must(f, db_begin(f->db));
	guard_off(f);
	must(f, run(f->db, NULL, "DELETE FROM audit_log WHERE id >= ?", "i", head));
	assert_int_equal(audit_verify(f->db, &bad, &count), 0); /* the chain alone: fine */
	assert_int_equal(audit_anchor_check(f->db, line, pk, &id), ANCHOR_MISSING);
	must(f, db_exec(f->db, "DELETE FROM audit_log"));
	assert_int_equal(audit_anchor_check(f->db, line, pk, &id), ANCHOR_MISSING);
	must(f, db_rollback(f->db));
	/* Rewritten from the anchored entry on by someone holding the key: the
	 * chain verifies, the anchor does not hold. */
	must(f, db_begin(f->db));
	guard_off(f);
	must(f, run(f->db, NULL, "DELETE FROM audit_log WHERE id >= ?", "i", head));
	append_one(f, "{\"anchor\":\"rewritten\"}");
	append_one(f, "{\"anchor\":2}");
	assert_int_equal(audit_verify(f->db, &bad, &count), 0);
	assert_int_equal(audit_anchor_check(f->db, line, pk, &id), ANCHOR_CHANGED);
	must(f, db_rollback(f->db));
	/* An earlier row deleted and the rest renumbered is a different count. */
	/* A forged anchor: the hash changed after signing. */
	snprintf(forged, sizeof(forged), "%s", line);
	p = strstr(forged, " hash=") + 10;
	*p = *p == 'a' ? 'b' : 'a';
	assert_int_equal(audit_anchor_check(f->db, forged, pk, &id), ANCHOR_FORGED);
	/* One signed by a key no one trusts. */
	crypto_sign_keypair(pk2, sk2);
	must(f, audit_anchor_line(f->db, sk2, foreign));
	assert_int_equal(audit_anchor_check(f->db, foreign, pk, &id), ANCHOR_OTHER_KEY);
	assert_int_equal(audit_anchor_check(f->db, foreign, pk2, &id), ANCHOR_HELD);
	assert_int_equal(audit_anchor_check(f->db, "linli-audit-anchor v1 at=1", pk, &id),
			 ANCHOR_MALFORMED);
	assert_int_equal(audit_anchor_check(f->db, "", pk, &id), ANCHOR_MALFORMED);
	unlink(path);
	rmdir(dir);
}

/* ------------------------------------------------------------ leases */

/* The job leases at their edges: a lease is free at the second it expires,
 * not one before; the holder renews it; a clean release frees it at once.
 * The names carry the run's tag, so reruns on one database do not meet. */
static void job_leases_at_their_edges(void **state)
{
	struct fixture *f = *state;
	char job[96], a[96], b[96];
	int64_t now = 1800000000, runs = -1;
	int held = -1;

	uniq(f, "job", job);
	uniq(f, "server-a", a);
	uniq(f, "server-b", b);
	/* A new lease goes to the first claimant. */
	must(f, jobs_claim(f->db, job, a, now, 15, &held));
	assert_int_equal(held, 1);
	/* Another server, up to one second before expiry: refused. */
	must(f, jobs_claim(f->db, job, b, now + 14, 15, &held));
	assert_int_equal(held, 0);
	/* The holder renews it (now + 10 + 15). */
	must(f, jobs_claim(f->db, job, a, now + 10, 15, &held));
	assert_int_equal(held, 1);
	must(f, jobs_claim(f->db, job, b, now + 24, 15, &held));
	assert_int_equal(held, 0);
	/* At the second it expires, another takes it over ... */
	must(f, jobs_claim(f->db, job, b, now + 25, 15, &held));
	assert_int_equal(held, 1);
	/* ... and the old holder, back, finds it taken. */
	must(f, jobs_claim(f->db, job, a, now + 26, 15, &held));
	assert_int_equal(held, 0);
	/* A claim is not a run; each recorded run counts once. */
	assert_int_equal(run(f->db, &runs, "SELECT runs FROM leases WHERE name = ?", "t", job),
			 DB_ROW);
	assert_int_equal(runs, 0);
	must(f, jobs_ran(f->db, job, now + 25));
	must(f, jobs_ran(f->db, job, now + 30));
	assert_int_equal(run(f->db, &runs, "SELECT runs FROM leases WHERE name = ?", "t", job),
			 DB_ROW);
	assert_int_equal(runs, 2);
	assert_int_equal(
	    run(f->db, &runs, "SELECT last_run_at FROM leases WHERE name = ?", "t", job), DB_ROW);
	assert_int_equal(runs, now + 30);
	/* A clean stop frees b's leases at once, and only b's. */
	must(f, jobs_release(f->db, b));
	must(f, jobs_claim(f->db, job, a, now + 27, 15, &held));
	assert_int_equal(held, 1);
	must(f, jobs_release(f->db, b));
	must(f, jobs_claim(f->db, job, b, now + 28, 15, &held));
	assert_int_equal(held, 0);
	/* A lease lasts three periods, never under 10 s. */
	struct job j = {job, 5, NULL, NULL};
	assert_int_equal(jobs_lease_seconds(&j), 15);
	j.period = 600;
	assert_int_equal(jobs_lease_seconds(&j), 1800);
	j.period = 4;
	assert_int_equal(jobs_lease_seconds(&j), 12);
	j.period = 3;
	assert_int_equal(jobs_lease_seconds(&j), 10);
}

/* heard: the payloads a listener hands over, joined by '|'. */
static void heard(void *ctx, const char *payload)
{
	char *out = ctx;
	size_t n = strlen(out);

	snprintf(out + n, 256 - n, "%s|", payload);
}

/* listen_for: drain l until it has heard want or two seconds pass. */
static void listen_for(struct db_listener *l, char out[256], const char *want)
{
	for (int i = 0; i < 40 && !strstr(out, want); i++) {
		struct pollfd p = {db_listener_fd(l), POLLIN, 0};
		if (poll(&p, 1, 50) > 0)
			assert_int_equal(db_listener_drain(l, heard, out), 0);
	}
}

static void notifications_reach_listeners(void **state)
{
	struct fixture *f = *state;
	struct db_listener *l = NULL, *other = NULL, *refused = NULL;
	char got[256] = "", got_other[256] = "";
	int pg = db_engine(f->db) == DB_POSTGRES;

	assert_int_equal(db_listen(f->url, "linli_test", &l), 0);
	assert_int_equal(db_listen(f->url, "linli_other", &other), 0);
	assert_int_equal(db_listener_hears_others(l), pg);
	/* Heard by the listener of its channel, in order; not by another's. */
	must(f, db_notify(f->db, "linli_test", "noise 1 2"));
	must(f, db_notify(f->db, "linli_test", "noise 1 3"));
	listen_for(l, got, "noise 1 3|");
	assert_string_equal(got, "noise 1 2|noise 1 3|");
	listen_for(other, got_other, "|");
	assert_string_equal(got_other, "");
	/* Inside a transaction: sent at commit, and not at all on rollback
	 * (PostgreSQL; SQLite's are told at once, after the caller commits). */
	if (pg) {
		got[0] = '\0';
		must(f, db_begin(f->db));
		must(f, db_notify(f->db, "linli_test", "rolled back"));
		must(f, db_rollback(f->db));
		must(f, db_begin(f->db));
		must(f, db_notify(f->db, "linli_test", "committed"));
		listen_for(l, got, "committed");
		assert_string_equal(got, "");
		must(f, db_commit(f->db));
		listen_for(l, got, "committed");
		assert_string_equal(got, "committed|");
	}
	/* A channel that is not a plain lower-case name is refused. */
	assert_int_equal(db_notify(f->db, "linli; DROP", "x"), LIN_EINVAL);
	assert_int_equal(db_listen(f->url, "Linli", &refused), LIN_EINVAL);
	assert_null(refused);
	db_listener_close(l);
	db_listener_close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(opens_the_named_engine),
	    cmocka_unit_test(migrate_applies_each_migration_once),
	    cmocka_unit_test(insert_returning_round_trips_values),
	    cmocka_unit_test(doubles_round_trip_exactly),
	    cmocka_unit_test(question_mark_in_literal_is_not_a_placeholder),
	    cmocka_unit_test(changes_counts_rows),
	    cmocka_unit_test(rollback_discards_and_commit_keeps),
	    cmocka_unit_test(outer_transaction_holds_inner_ones),
	    cmocka_unit_test(unique_violation_is_a_constraint_error),
	    cmocka_unit_test(foreign_key_violation_is_a_constraint_error),
	    cmocka_unit_test(limit_and_offset_page_through_rows),
	    cmocka_unit_test(like_with_escape),
	    cmocka_unit_test(statements_can_be_rebound_and_rerun),
	    cmocka_unit_test(a_failed_bind_fails_the_step),
	    cmocka_unit_test(query_int64_helper),
	    cmocka_unit_test(engines_agree_on_edge_cases),
	    cmocka_unit_test(audit_chain_appends_and_verifies),
	    cmocka_unit_test(audit_log_is_append_only),
	    cmocka_unit_test(audit_verify_names_the_broken_row),
	    cmocka_unit_test(audit_chain_is_keyed_and_typed),
	    cmocka_unit_test(audit_legacy_rows_below_the_key),
	    cmocka_unit_test(audit_key_file),
	    cmocka_unit_test(audit_anchors),
	    cmocka_unit_test(job_leases_at_their_edges),
	    cmocka_unit_test(notifications_reach_listeners),
	    cmocka_unit_test(sqlb_builds_and_refuses),
	    cmocka_unit_test(one_call_helpers),
	};

	/* Expected failures (constraint violations) would log as errors. */
	log_set_level(getenv("LINLI_TEST_VERBOSE") ? LOG_DEBUG : LOG_QUIET);
	return cmocka_run_group_tests_name("storage", tests, group_setup, group_teardown);
}
