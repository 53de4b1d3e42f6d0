/* The second fence and the registry's search (schema/0032_fence.pg.sql,
 * docs/scale.md). On PostgreSQL, in a database owned by a role that is not
 * a superuser (a superuser passes every policy): a query without WHERE
 * area_id sees only the areas its connection was given, writes outside
 * them are refused, every area table is fenced; the registry's search
 * reads its trigram indexes. The same search answers the same on SQLite.
 * LINLI_TEST_PG (a superuser's URL, set by scripts/test.sh) names the
 * cluster; without it the PostgreSQL tests skip. */
#include "base/err.h"
#include "base/log.h"
#include "db/db.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "web/auth.h"
#include "web/http.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FENCE_ROLE "linli_fence"
#define FENCE_DB   "linli_fence"

struct fixture {
	struct db *db;	  /* the connection under test (the owner, or SQLite) */
	struct db *admin; /* PostgreSQL: the superuser's connection, else NULL */
	int64_t a, b;	  /* two areas */
	char sqlite[64];  /* the SQLite file, "" on PostgreSQL */
};

/* fence_url writes LINLI_TEST_PG with its user (when user is not NULL)
 * and database replaced: "postgres://USER@HOST:PORT/DB" ->
 * "postgres://linli_fence@HOST:PORT/linli_fence". */
static int fence_url(const char *admin, const char *user, char *out, size_t n)
{
	const char *scheme = strstr(admin, "://"), *at, *slash;

	if (!scheme)
		return -1;
	at = strchr(scheme + 3, '@');
	slash = strrchr(admin, '/');
	if (!at || !slash || slash < at)
		return -1;
	if (!user)
		snprintf(out, n, "%.*s/%s", (int)(slash - admin), admin, FENCE_DB);
	else
		snprintf(out, n, "postgres://%s@%.*s/%s", user, (int)(slash - at - 1), at + 1,
			 FENCE_DB);
	return 0;
}

static int64_t count(struct db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_query_int64(db, sql, &n, 0), 0);
	return n;
}

static void resident(struct db *db, int64_t area, const char *name, const char *phone)
{
	assert_int_equal(db_exec_args(db,
				      "INSERT INTO residents (area_id, name, gender, phone)"
				      " VALUES (?, ?, 'F', ?)",
				      NULL, "itt", area, name, phone),
			 0);
}

/* seed makes two areas with residents: A has 王小明 (phone tail 1234) and
 * 李四, B has 王小红 (phone tail 1234 too) and 赵六. */
static void seed(struct fixture *f)
{
	int64_t district, street;

	assert_int_equal(db_query_row(f->db,
				      "INSERT INTO districts (code, name) VALUES ('d', 'D')"
				      " RETURNING id",
				      &district, ""),
			 0);
	assert_int_equal(db_query_row(f->db,
				      "INSERT INTO streets (district_id, code, name)"
				      " VALUES (?, 's', 'S') RETURNING id",
				      &street, "i", district),
			 0);
	assert_int_equal(db_query_row(f->db,
				      "INSERT INTO areas (street_id, code, name)"
				      " VALUES (?, 'a', 'A') RETURNING id",
				      &f->a, "i", street),
			 0);
	assert_int_equal(db_query_row(f->db,
				      "INSERT INTO areas (street_id, code, name)"
				      " VALUES (?, 'b', 'B') RETURNING id",
				      &f->b, "i", street),
			 0);
	resident(f->db, f->a, "王小明", "13800001234");
	resident(f->db, f->a, "李四", "13900005678");
	resident(f->db, f->b, "王小红", "13700001234");
	resident(f->db, f->b, "赵六", "13600009999");
}

static int setup_pg(void **state)
{
	const char *admin_url = getenv("LINLI_TEST_PG");
	struct fixture *f = calloc(1, sizeof(*f));
	char url[512];
	int applied;

	*state = f;
	if (!admin_url || !*admin_url || fence_url(admin_url, FENCE_ROLE, url, sizeof(url)))
		return 0; /* the tests skip */
	assert_int_equal(db_open(admin_url, &f->admin), 0);
	/* A role of its own that owns its database, as a deployment's should. */
	assert_int_equal(db_exec(f->admin,
				 "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles"
				 " WHERE rolname = '" FENCE_ROLE "') THEN CREATE ROLE " FENCE_ROLE
				 " LOGIN; END IF; END $$"),
			 0);
	assert_int_equal(db_exec(f->admin, "DROP DATABASE IF EXISTS " FENCE_DB), 0);
	/* A UTF-8 LC_CTYPE: Chinese characters make trigrams (docs/scale.md). */
	assert_int_equal(db_exec(f->admin, "CREATE DATABASE " FENCE_DB " OWNER " FENCE_ROLE
					   " TEMPLATE template0 ENCODING 'UTF8'"
					   " LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"),
			 0);
	assert_int_equal(db_open(url, &f->db), 0);
	assert_int_equal(db_migrate(f->db, &applied), 0);
	seed(f);
	return 0;
}

static int setup_sqlite(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char url[96];
	int applied, fd;

	*state = f;
	snprintf(f->sqlite, sizeof(f->sqlite), "/tmp/linli-fence.XXXXXX");
	fd = mkstemp(f->sqlite);
	assert_true(fd >= 0);
	close(fd);
	snprintf(url, sizeof(url), "sqlite:%s", f->sqlite);
	assert_int_equal(db_open(url, &f->db), 0);
	assert_int_equal(db_migrate(f->db, &applied), 0);
	seed(f);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	db_close(f->db);
	if (f->admin) {
		db_exec(f->admin, "DROP DATABASE IF EXISTS " FENCE_DB);
		db_close(f->admin);
	}
	if (f->sqlite[0]) {
		char p[96];
		unlink(f->sqlite);
		snprintf(p, sizeof(p), "%s-wal", f->sqlite);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", f->sqlite);
		unlink(p);
	}
	free(f);
	return 0;
}

#define NEED_PG(f)                                                                                 \
	do {                                                                                       \
		if (!(f)->admin)                                                                   \
			skip();                                                                    \
	} while (0)

/* ------------------------------------------------------------ the fence */

/* The query a future bug might write: no WHERE area_id at all. */
static void test_query_without_area_sees_only_scope(void **state)
{
	struct fixture *f = *state;
	int64_t both[2];

	NEED_PG(f);
	both[0] = f->a;
	both[1] = f->b;
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 4); /* opened: "*" */
	assert_int_equal(db_scope_set(f->db, &f->a, 1), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 2);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name LIKE '王%'"), 1);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '赵六'"), 0);
	assert_int_equal(db_scope_set(f->db, &f->b, 1), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '赵六'"), 1);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '李四'"), 0);
	assert_int_equal(db_scope_set(f->db, both, 2), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 4);
	assert_int_equal(db_scope_set(f->db, NULL, 0), 0); /* no area at all */
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 0);
	/* Unset (a session linli did not open) is no area either. */
	assert_int_equal(db_scope_set(f->db, NULL, -1), 0);
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_exec(f->db, "SET LOCAL linli.areas = ''"), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 0);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(db_scope_set(f->db, NULL, -1), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 4);
	/* A scope set inside a transaction goes back with its rollback; the
	 * next db_scope_set must not take it as still in place. */
	assert_int_equal(db_begin(f->db), 0);
	assert_int_equal(db_scope_set(f->db, &f->a, 1), 0);
	assert_int_equal(db_rollback(f->db), 0);
	assert_int_equal(db_scope_set(f->db, &f->a, 1), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 2);
	assert_int_equal(db_scope_set(f->db, NULL, -1), 0);
}

/* What every request does after loading its session (dispatch.c): a
 * session or a token is held to its area, a caller without one is not. */
static void test_request_scope_follows_session(void **state)
{
	struct fixture *f = *state;
	struct http_req req = {.db = f->db};

	NEED_PG(f);
	req.sess.kind = AUTH_COOKIE;
	req.sess.area_id = f->b;
	assert_int_equal(auth_scope(&req), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 2);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '赵六'"), 1);
	req.sess.kind = AUTH_TOKEN;
	req.sess.area_id = f->a;
	assert_int_equal(auth_scope(&req), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '赵六'"), 0);
	memset(&req.sess, 0, sizeof(req.sess));
	assert_int_equal(auth_scope(&req), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents"), 4);
}

static void test_writes_outside_scope_refused(void **state)
{
	struct fixture *f = *state;
	int64_t changed = -1;

	NEED_PG(f);
	assert_int_equal(db_scope_set(f->db, &f->a, 1), 0);
	/* A row for another area is refused, not written. */
	assert_int_equal(
	    db_exec_args(f->db,
			 "INSERT INTO residents (area_id, name, gender) VALUES (?, '外人', 'M')",
			 NULL, "i", f->b),
	    LIN_EDB);
	/* An UPDATE and a DELETE without WHERE area_id reach only area A. */
	assert_int_equal(db_exec_args(f->db, "UPDATE residents SET note = 'touched'", &changed, ""),
			 0);
	assert_int_equal(changed, 2);
	assert_int_equal(
	    db_exec_args(f->db, "DELETE FROM residents WHERE name = '赵六'", &changed, ""), 0);
	assert_int_equal(changed, 0);
	assert_int_equal(db_scope_set(f->db, NULL, -1), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE note = 'touched'"), 2);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '外人'"), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM residents WHERE name = '赵六'"), 1);
	assert_int_equal(db_exec(f->db, "UPDATE residents SET note = ''"), 0);
}

/* Every table with area_id is fenced but the four the migration names, a
 * table added later is fenced by running linli_fence() again, and the
 * sessions stay readable whatever the scope (who is asking comes first). */
static void test_every_area_table_fenced(void **state)
{
	struct fixture *f = *state;
	int64_t n;

	NEED_PG(f);
	n = count(f->db,
		  "SELECT COUNT(*) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
		  " AND a.attname = 'area_id' WHERE c.relnamespace = current_schema()::regnamespace"
		  " AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
		  " AND NOT (c.relrowsecurity AND c.relforcerowsecurity)"
		  " AND c.relname <> ALL (linli_fence_exempt())");
	assert_int_equal(n, 0);
	assert_true(
	    count(f->db, "SELECT COUNT(*) FROM pg_policies WHERE policyname = 'linli_area'") > 50);
	assert_int_equal(db_exec(f->db, "CREATE TABLE fence_later (area_id BIGINT NOT NULL)"), 0);
	assert_int_equal(db_exec(f->db, "INSERT INTO fence_later VALUES (1), (2), (2)"), 0);
	assert_true(count(f->db, "SELECT linli_fence()") > 50);
	assert_int_equal(db_scope_set(f->db, (int64_t[]){2}, 1), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM fence_later"), 2);
	assert_int_equal(db_scope_set(f->db, NULL, 0), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM fence_later"), 0);
	assert_int_equal(count(f->db, "SELECT COUNT(*) FROM pg_class WHERE relname = 'sessions'"
				      " AND NOT relforcerowsecurity"),
			 1);
	assert_int_equal(db_scope_set(f->db, NULL, -1), 0);
	assert_int_equal(db_exec(f->db, "DROP TABLE fence_later"), 0);
}

/* The owner is held by the fence; a superuser is not, and linli can tell. */
static void test_enforced_only_for_plain_roles(void **state)
{
	struct fixture *f = *state;
	int yes = -1;

	if (!f->db) /* the PostgreSQL group without a cluster */
		skip();
	if (!f->admin) {
		assert_int_equal(db_scope_enforced(f->db, &yes), 0);
		assert_int_equal(yes, 0); /* SQLite has no such fence */
		assert_int_equal(db_scope_set(f->db, &f->a, 1), 0);
		return;
	}
	assert_int_equal(db_scope_enforced(f->db, &yes), 0);
	assert_int_equal(yes, 1);
	assert_int_equal(db_scope_enforced(f->admin, &yes), 0);
	assert_int_equal(yes, 0);
}

/* ------------------------------------------------------------ search */

/* search_names: the registry's own search, as the residents' list runs
 * it for area: the names it finds, sorted, joined by commas. */
static void search_names(struct db *db, int64_t area, const char *q, char *out, size_t n)
{
	const struct entity *e = entity_by_name("residents");
	struct list_query lq = {.q = q, .page = 1, .per_page = 50};
	struct validation v = {0};
	json_t *items = NULL, *row;
	int64_t total = 0;
	size_t i, len = 0;

	assert_non_null(e);
	assert_int_equal(registry_list(db, e, area, &lq, &items, &total, &v), 0);
	out[0] = '\0';
	json_array_foreach (items, i, row) {
		int w = snprintf(out + len, n - len, "%s%s", i ? "," : "",
				 json_string_value(json_object_get(row, "name")));
		assert_true(w > 0 && (size_t)w < n - len);
		len += (size_t)w;
	}
	assert_int_equal(total, (int64_t)json_array_size(items));
	json_decref(items);
}

/* Name, phone tail: the same answers on both engines, each area its own. */
static void test_search_answers(void **state)
{
	struct fixture *f = *state;
	char names[256];

	if (!f->db) /* the PostgreSQL group without a cluster */
		skip();
	search_names(f->db, f->a, "王小", names, sizeof(names));
	assert_string_equal(names, "王小明");
	search_names(f->db, f->b, "王小", names, sizeof(names));
	assert_string_equal(names, "王小红");
	search_names(f->db, f->a, "1234", names, sizeof(names));
	assert_string_equal(names, "王小明");
	search_names(f->db, f->a, "5678", names, sizeof(names));
	assert_string_equal(names, "李四");
	search_names(f->db, f->b, "5678", names, sizeof(names));
	assert_string_equal(names, "");
}

static int64_t index_scans(struct db *db, const char *index)
{
	int64_t n = -1;
	assert_int_equal(
	    db_query_row(db, "SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelname = ?", &n,
			 "t", index),
	    0);
	return n;
}

/* The search reads the trigram indexes under the fence once LIKE and
 * LOWER are LEAKPROOF, which the database's administrator (a superuser)
 * sets once (0032_fence.pg.sql): EXPLAIN of the search's condition names
 * both indexes, and the registry's own query is counted in the index's
 * statistics. Sequential scans are priced out: on a few thousand rows
 * reading the table is the cheaper plan, and what the test must show is
 * that the index serves the query as written (LOWER, LIKE, ESCAPE, under
 * the policy); at 100,000 residents the planner takes it by itself
 * (docs/scale.md, "Search"). */
static void test_search_uses_trigram_index(void **state)
{
	struct fixture *f = *state;
	struct db *dba = NULL;
	struct db_stmt *st = NULL;
	char plan[8192], names[256], url[512];
	size_t len = 0;
	int64_t before;

	NEED_PG(f);
	assert_int_equal(fence_url(getenv("LINLI_TEST_PG"), NULL, url, sizeof(url)), 0);
	assert_int_equal(db_open(url, &dba), 0);
	assert_int_equal(db_exec(dba, "ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF;"
				      " ALTER FUNCTION pg_catalog.lower(text) LEAKPROOF"),
			 0);
	db_close(dba);
	assert_int_equal(db_exec_args(f->db,
				      "INSERT INTO residents (area_id, name, gender, phone)"
				      " SELECT ?, '居民' || i, 'M', '139' || lpad(i::text, 8, '0')"
				      " FROM generate_series(1, 5000) i",
				      NULL, "i", f->a),
			 0);
	assert_int_equal(db_exec(f->db, "VACUUM ANALYZE residents"), 0);
	assert_int_equal(db_exec(f->db, "SET enable_seqscan = off"), 0);
	assert_int_equal(db_scope_set(f->db, &f->a, 1), 0);
	assert_int_equal(
	    db_prepare(f->db,
		       "EXPLAIN SELECT COUNT(*) FROM residents t WHERE t.area_id = ?"
		       " AND t.archived = 0 AND (LOWER(t.name) LIKE LOWER(?) ESCAPE '\\'"
		       " OR LOWER(t.phone) LIKE LOWER(?) ESCAPE '\\')",
		       &st),
	    0);
	db_bindf(st, "itt", f->a, "%王小明%", "%王小明%");
	plan[0] = '\0';
	while (db_step(st) == DB_ROW && len < sizeof(plan) - 200)
		len +=
		    (size_t)snprintf(plan + len, sizeof(plan) - len, "%s\n", db_column_text(st, 0));
	db_finalize(st);
	assert_non_null(strstr(plan, "Bitmap Index Scan on residents_name_trgm"));
	assert_non_null(strstr(plan, "Bitmap Index Scan on residents_phone_trgm"));

	before = index_scans(f->db, "residents_name_trgm");
	search_names(f->db, f->a, "王小明", names, sizeof(names));
	assert_string_equal(names, "王小明");
	assert_int_equal(db_exec(f->db, "SELECT pg_stat_force_next_flush()"), 0);
	assert_int_equal(db_exec(f->db, "SELECT pg_stat_clear_snapshot()"), 0);
	assert_true(index_scans(f->db, "residents_name_trgm") > before);
	assert_int_equal(db_exec(f->db, "RESET enable_seqscan"), 0);
	assert_int_equal(db_scope_set(f->db, NULL, -1), 0);
	assert_int_equal(db_exec(f->db, "DELETE FROM residents WHERE name LIKE '居民%'"), 0);
}

int main(void)
{
	const struct CMUnitTest pg[] = {
	    cmocka_unit_test(test_query_without_area_sees_only_scope),
	    cmocka_unit_test(test_request_scope_follows_session),
	    cmocka_unit_test(test_writes_outside_scope_refused),
	    cmocka_unit_test(test_every_area_table_fenced),
	    cmocka_unit_test(test_enforced_only_for_plain_roles),
	    cmocka_unit_test(test_search_answers),
	    cmocka_unit_test(test_search_uses_trigram_index),
	};
	const struct CMUnitTest sqlite[] = {
	    cmocka_unit_test(test_enforced_only_for_plain_roles),
	    cmocka_unit_test(test_search_answers),
	};
	int failed;

	log_set_level(LOG_WARN);
	failed = cmocka_run_group_tests_name("fence (postgres)", pg, setup_pg, teardown);
	failed += cmocka_run_group_tests_name("fence (sqlite)", sqlite, setup_sqlite, teardown);
	return failed ? 1 : 0;
}
