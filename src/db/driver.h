/* Internal to src/db: the table of functions each engine fills in. */
#ifndef LINLI_DB_DRIVER_H
#define LINLI_DB_DRIVER_H

#include "db.h"

struct db_driver {
	const char *name;
	int (*open)(const char *target, struct db **out);
	void (*close)(struct db *db);
	const char *(*errmsg)(struct db *db);
	int (*is_constraint)(struct db *db);
	int (*exec)(struct db *db, const char *sql);
	int (*begin)(struct db *db);
	int (*rollback)(struct db *db); /* 0 when no transaction is open */
	int (*lock)(struct db *db, const char *name);
	int (*prepare)(struct db *db, const char *sql, struct db_stmt **out);
	int (*bind_int64)(struct db_stmt *st, int idx, int64_t v);
	int (*bind_double)(struct db_stmt *st, int idx, double v);
	int (*bind_text)(struct db_stmt *st, int idx, const char *s);
	int (*bind_null)(struct db_stmt *st, int idx);
	int (*step)(struct db_stmt *st);
	int (*column_count)(struct db_stmt *st);
	const char *(*column_name)(struct db_stmt *st, int col);
	int (*column_is_null)(struct db_stmt *st, int col);
	int64_t (*column_int64)(struct db_stmt *st, int col);
	double (*column_double)(struct db_stmt *st, int col);
	const char *(*column_text)(struct db_stmt *st, int col);
	int64_t (*changes)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	int (*backup)(struct db *db, const char *path); /* NULL if unsupported */
	/* schema_id: what the portable "@ID@" column type means here. */
	const char *schema_id;
};

/* Every connection and statement starts with its driver pointer. */
struct db_base {
	const struct db_driver *driver;
	enum db_engine engine;
	int bind_error; /* statements: the first failed bind since the last step, or 0 */
	int outer;	/* db_begin_outer's transaction is open: db_begin nests */
	int depth;	/* savepoints open inside it */
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
