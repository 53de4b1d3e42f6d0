/* One storage interface, two drivers chosen by URL: "sqlite:PATH" (the
 * default, embedded) and "postgres://..." / "postgresql://..." (libpq).
 * Statements are written once in portable SQL with ? placeholders; every
 * value is bound, never spliced into the text. A connection is used by one
 * thread at a time. */
#ifndef LINLI_DB_DB_H
#define LINLI_DB_DB_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_engine { DB_SQLITE, DB_POSTGRES };

/* db_step results besides negative errors. */
enum { DB_DONE = 0, DB_ROW = 1 };

/* db_url_redacted writes url with any password replaced by "***", for
 * messages and logs. */
void db_url_redacted(const char *url, char *out, size_t n);

/* db_open connects to url; the caller owns *out and closes it with
 * db_close. On failure *out is NULL and a reason is logged. */
int db_open(const char *url, struct db **out);
void db_close(struct db *db);
enum db_engine db_engine(const struct db *db);
/* db_errmsg: the engine's last error text for this connection. */
const char *db_errmsg(struct db *db);
/* db_error_is_constraint: the last error was a unique/foreign-key/check
 * violation (the user's data clashes), not a fault of the engine. */
int db_error_is_constraint(struct db *db);

/* db_exec runs SQL text without parameters (several statements allowed). */
int db_exec(struct db *db, const char *sql);

int db_begin(struct db *db); /* a write transaction (IMMEDIATE on SQLite) */
int db_commit(struct db *db);
int db_rollback(struct db *db); /* safe to call when no transaction is open */
/* db_finish ends a write transaction as its work went: commits when rc is
 * 0 (rolling back if the commit fails), else rolls back. Returns rc, or
 * the commit's error. */
int db_finish(struct db *db, int rc);
/* db_begin_outer opens a transaction that holds the ones begun inside it:
 * until its own db_commit or db_rollback, db_begin opens a savepoint, and
 * db_commit and db_rollback release or undo it. For work made of many
 * steps that must land together or not at all (linli demo), each step
 * written as the product writes it. Elsewhere transactions stay flat, as
 * they were (a db_begin inside one fails on SQLite), so a step that forgets
 * to commit cannot leave later writes hanging inside it. */
int db_begin_outer(struct db *db);
/* db_lock: inside a transaction, serialise with every other writer that
 * takes the same named lock (used by the audit chain). */
int db_lock(struct db *db, const char *name);

/* db_prepare compiles sql; the caller finalizes *out. Parameters are
 * numbered from 1, columns from 0. */
int db_prepare(struct db *db, const char *sql, struct db_stmt **out);
int db_bind_int64(struct db_stmt *st, int idx, int64_t v);
/* db_bind_double binds a double that reads back bit for bit with
 * db_column_double (a DOUBLE PRECISION column on either engine). */
int db_bind_double(struct db_stmt *st, int idx, double v);
int db_bind_text(struct db_stmt *st, int idx, const char *s); /* NULL binds NULL */
int db_bind_null(struct db_stmt *st, int idx);
/* db_step runs the statement: DB_ROW while rows come, then DB_DONE. If a
 * bind failed since the last step, it runs nothing and returns that
 * error (once: binding again and stepping runs the statement). */
int db_step(struct db_stmt *st);
/* db_step_one steps a query expected to give one row: 0 with the row to
 * read, LIN_ENOTFOUND when there is none, or the error. */
int db_step_one(struct db_stmt *st);
int db_column_count(struct db_stmt *st);
const char *db_column_name(struct db_stmt *st, int col);
int db_column_is_null(struct db_stmt *st, int col);
int64_t db_column_int64(struct db_stmt *st, int col);
double db_column_double(struct db_stmt *st, int col);
/* db_column_text: valid until the next step or finalize; "" for NULL. */
const char *db_column_text(struct db_stmt *st, int col);
/* db_changes: rows changed by the statement's last step. */
int64_t db_changes(struct db_stmt *st);
void db_finalize(struct db_stmt *st);

/* Conveniences for one-value queries: the first column of the first row. */
int db_query_int64(struct db *db, const char *sql, int64_t *out, int nparams, ...);

/* db_bindf binds parameters 1.. in one call, one letter of types each:
 * 'i' an int64_t, 't' a const char * (NULL binds NULL), 'r' an int64_t
 * row id where 0 binds NULL, 'n' NULL (takes no argument). Returns the
 * first error (LIN_EINVAL for an unknown letter); like any failed bind it
 * also sticks to the statement. */
int db_bindf(struct db_stmt *st, const char *types, ...);
int db_vbindf(struct db_stmt *st, const char *types, va_list ap);
/* db_exec_args runs one statement with its values (types as db_bindf) to
 * the end. OUT: *changed (may be NULL), the rows it changed. */
int db_exec_args(struct db *db, const char *sql, int64_t *changed, const char *types, ...);
/* db_rows_json steps st to the end, appending each row to out as an
 * object: keys[i] (a NULL-terminated list) from column i, by types[i]:
 * 'i' an integer (null when NULL), 't' text, 'b' a boolean (non-zero).
 * Returns 0 or the step's error. */
struct json_t;
int db_rows_json(struct db_stmt *st, const char *const *keys, const char *types,
		 struct json_t *out);
/* db_query_json runs sql with its values (types as db_bindf) and gives
 * its rows as a new JSON array in *out (db_rows_json's keys and coltypes);
 * the caller decrefs *out, also on error. */
int db_query_json(struct db *db, const char *sql, const char *const *keys, const char *coltypes,
		  struct json_t **out, const char *types, ...);
/* db_query_row runs one statement with its values (types as db_bindf)
 * and reads the first column of its first row into *first (may be NULL),
 * e.g. the id an INSERT ... RETURNING id gave: 0, LIN_ENOTFOUND when no row
 * came, or an error. */
int db_query_row(struct db *db, const char *sql, int64_t *first, const char *types, ...);

/* Change notifications (listen.c). DB_CHANNEL is the channel of changes
 * live pages follow, each payload "TOPIC ARGS" (web/stream.h). A notification is a hint that may be
 * lost: whoever listens also polls. db_notify tells the listeners of
 * channel (a lower-case name) that payload happened: on PostgreSQL every
 * process listening (NOTIFY; inside a transaction it is sent at commit),
 * on SQLite this process's listeners. */
#define DB_CHANNEL "linli_changes"
int db_notify(struct db *db, const char *channel, const char *payload);
/* db_listen: a listener of channel for the database at url, with its own
 * connection on PostgreSQL. The caller closes it with db_listener_close. */
struct db_listener;
int db_listen(const char *url, const char *channel, struct db_listener **out);
/* db_listener_fd: poll it for reading, then call db_listener_drain. */
int db_listener_fd(const struct db_listener *l);
/* db_listener_drain calls fn with each payload that arrived; LIN_EIO when
 * the connection is lost (close the listener, poll, and listen again). */
int db_listener_drain(struct db_listener *l, void (*fn)(void *ctx, const char *payload), void *ctx);
/* db_listener_hears_others: 1 when it hears other processes (PostgreSQL). */
int db_listener_hears_others(const struct db_listener *l);
void db_listener_close(struct db_listener *l);

/* db_backup writes a consistent copy of a live SQLite database to path
 * (the online backup API; writers may keep working). LIN_EINVAL on
 * PostgreSQL, which has pg_dump for this. */
int db_backup(struct db *db, const char *path);

/* Migrations (migrate.c): apply every embedded schema file not yet
 * recorded, each in its own transaction. *applied counts the new ones. */
int db_migrate(struct db *db, int *applied);
/* db_schema_version: the highest applied migration number (0 if none). */
int db_schema_version(struct db *db, int *out);

#endif
