/* The PostgreSQL driver (libpq). Portable "?" placeholders become $1..$n;
 * values travel as text and PostgreSQL infers their types from the query.
 * Results are fetched whole on the first step and walked row by row. */
#include "driver.h"
#include "stmtcache.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/log.h"

#include <libpq-fe.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_MAX_PARAMS 256 /* placeholders in one statement (multi-row inserts) */

struct db {
	struct db_base base;
	PGconn *conn;		 /* the open connection */
	char sqlstate[6];	 /* SQLSTATE of the last error, "" if none */
	char *errmsg;		 /* text of the last error (owned) */
	struct stmt_cache cache; /* server-side prepared statements */
	unsigned next_name;	 /* numbers the prepared statements */
	int closing;		 /* no DEALLOCATE needed: the session ends */
	char *scope;		 /* linli.areas as last set ("*", "1,2"; owned), NULL if unsure */
};

/* A statement prepared on the server, named so it can be executed. */
struct pg_prepared {
	char name[24]; /* "linli_N" */
	int nparams;   /* placeholders */
};

struct db_stmt {
	struct db_base base;
	struct db *db;		      /* connection that prepared it */
	char *sql;		      /* query with $n placeholders (owned) */
	int nparams;		      /* placeholders in sql */
	char *values[PG_MAX_PARAMS];  /* bound values as text (owned), NULL = SQL NULL */
	PGresult *res;		      /* result once executed */
	int row;		      /* current row, -1 before the first */
	int64_t changes;	      /* rows affected by the command */
	struct pg_prepared *prepared; /* cached server-side statement, or NULL */
	int slot;		      /* its cache slot */
};

static void pg_set_error(struct db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(db->conn);

	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	free(db->errmsg);
	db->errmsg = strdup(msg && *msg ? msg : PQerrorMessage(db->conn));
	log_debug("pg: %s", db->errmsg ? db->errmsg : "?");
}

static void pg_quiet_notices(void *arg, const char *message)
{
	(void)arg;
	log_debug("pg notice: %s", message);
}

static void pg_destroy_prepared(void *ctx, void *handle)
{
	struct db *db = ctx;
	struct pg_prepared *p = handle;

	if (!db->closing) {
		char sql[64];
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", p->name);
		PQclear(PQexec(db->conn, sql));
	}
	free(p);
}

static const char *pg_errmsg(struct db *db);
static void pg_close(struct db *db);

/* pg_scope sets linli.areas for the session, the setting the row-level
 * security policies read (schema/0032_fence.pg.sql), unless it has it
 * already. */
static int pg_scope(struct db *db, const char *areas)
{
	const char *values[1] = {areas};
	PGresult *res;
	int rc = 0;

	if (db->scope && !strcmp(db->scope, areas))
		return 0;
	free(db->scope);
	db->scope = NULL;
	res = PQexecParams(db->conn, "SELECT set_config('linli.areas', $1, false)", 1, NULL, values,
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_set_error(db, res);
		rc = LIN_EDB;
	} else {
		db->scope = strdup(areas); /* NULL only means asking again next time */
	}
	PQclear(res);
	return rc;
}

static int pg_scope_enforced(struct db *db, int *yes)
{
	PGresult *res =
	    PQexec(db->conn, "SELECT NOT (rolsuper OR rolbypassrls) AND EXISTS (SELECT 1 FROM"
			     " pg_class WHERE relname = 'residents' AND relforcerowsecurity"
			     " AND relnamespace = current_schema()::regnamespace)"
			     " FROM pg_roles WHERE rolname = current_user");
	int rc = 0;

	*yes = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_set_error(db, res);
		rc = LIN_EDB;
	} else if (PQntuples(res) == 1) {
		*yes = !strcmp(PQgetvalue(res, 0, 0), "t");
	}
	PQclear(res);
	return rc;
}

static int pg_open(const char *url, struct db **out)
{
	struct db *db = calloc(1, sizeof(*db));

	if (!db)
		return LIN_ENOMEM;
	db->base.driver = &db_pg_driver;
	db->base.engine = DB_POSTGRES;
	db->conn = PQconnectdb(url);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_error("pg: cannot connect: %s", PQerrorMessage(db->conn));
		PQfinish(db->conn);
		free(db);
		return LIN_EDB;
	}
	PQsetNoticeProcessor(db->conn, pg_quiet_notices, NULL);
	stmt_cache_init(&db->cache, pg_destroy_prepared, db);
	/* Every area until someone narrows it: jobs and the command line act
	 * for the whole deployment, a request for its session's area. */
	if (pg_scope(db, "*")) {
		log_error("pg: cannot set the area scope: %s", pg_errmsg(db));
		pg_close(db);
		return LIN_EDB;
	}
	*out = db;
	return 0;
}

static void pg_close(struct db *db)
{
	db->closing = 1;
	stmt_cache_clear(&db->cache);
	PQfinish(db->conn);
	free(db->errmsg);
	free(db->scope);
	free(db);
}

static const char *pg_errmsg(struct db *db)
{
	return db->errmsg ? db->errmsg : PQerrorMessage(db->conn);
}

static int pg_is_constraint(struct db *db)
{
	return !strncmp(db->sqlstate, "23", 2);
}

/* pg_alive reconnects a connection the server dropped (a restart, a
 * failover); the server-side prepared statements went with it. */
static void pg_alive(struct db *db)
{
	if (PQstatus(db->conn) != CONNECTION_BAD)
		return;
	log_warn("pg: connection lost, reconnecting");
	PQreset(db->conn);
	if (PQstatus(db->conn) == CONNECTION_OK) {
		char *scope = db->scope;

		db->closing = 1; /* nothing to DEALLOCATE on the new session */
		stmt_cache_clear(&db->cache);
		db->closing = 0;
		/* The new session starts unset, which the policies read as no
		 * area at all: give it back the scope the old one had. */
		db->scope = NULL;
		if (scope && pg_scope(db, scope))
			log_error("pg: cannot restore the area scope: %s", pg_errmsg(db));
		free(scope);
	}
}

static int pg_exec(struct db *db, const char *sql)
{
	PGresult *res;

	pg_alive(db);
	res = PQexec(db->conn, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = 0;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_set_error(db, res);
		rc = LIN_EDB;
	}
	PQclear(res);
	return rc;
}

static int pg_begin(struct db *db)
{
	return pg_exec(db, "BEGIN");
}

static int pg_rollback(struct db *db)
{
	/* A scope set inside the transaction goes back with it: forget what
	 * we think it is, so the next db_scope_set sends it. */
	free(db->scope);
	db->scope = NULL;
	/* Outside a transaction PostgreSQL only warns. */
	return pg_exec(db, "ROLLBACK");
}

static int pg_lock(struct db *db, const char *name)
{
	char key[32];
	const char *values[1] = {key};
	uint64_t h = 1469598103934665603ULL; /* FNV-1a: a stable key per name */
	PGresult *res;
	int rc = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(key, sizeof(key), "%" PRId64, (int64_t)(h >> 1));
	res = PQexecParams(db->conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, NULL, values,
			   NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pg_set_error(db, res);
		rc = LIN_EDB;
	}
	PQclear(res);
	return rc;
}

/* pg_translate turns ? placeholders outside quotes and comments into $n. */
static int pg_translate(const char *sql, char **out, int *nparams)
{
	struct buf b;
	char quote = 0;
	int n = 0;

	buf_init(&b, 1 << 20);
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			buf_addc(&b, *p);
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				buf_addc(&b, *p++);
			if (!*p)
				break;
			buf_addc(&b, *p);
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t len = end ? (size_t)(end + 2 - p) : strlen(p);
			buf_add(&b, p, len);
			p += len - 1;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			buf_addc(&b, *p);
		} else if (*p == '?') {
			buf_addf(&b, "$%d", ++n);
		} else {
			buf_addc(&b, *p);
		}
	}
	if (n > PG_MAX_PARAMS) {
		log_error("db: a statement with %d placeholders (at most %d)", n, PG_MAX_PARAMS);
		buf_release(&b);
		return LIN_EINVAL;
	}
	*nparams = n;
	*out = buf_detach(&b, NULL);
	return *out ? 0 : LIN_ENOMEM;
}

static int pg_prepare(struct db *db, const char *sql, struct db_stmt **out)
{
	struct db_stmt *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if (!st)
		return LIN_ENOMEM;
	pg_alive(db);
	st->base = db->base;
	st->db = db;
	st->row = -1;
	st->slot = -1;
	st->prepared = stmt_cache_get(&db->cache, sql, &st->slot);
	if (st->prepared) {
		st->nparams = st->prepared->nparams;
		*out = st;
		return 0;
	}
	rc = pg_translate(sql, &st->sql, &st->nparams);
	if (rc) {
		free(st);
		return rc;
	}
	/* Prepare on the server once; later uses skip parsing and planning. */
	struct pg_prepared *p = calloc(1, sizeof(*p));
	if (p) {
		PGresult *res;
		snprintf(p->name, sizeof(p->name), "linli_%u", ++db->next_name);
		p->nparams = st->nparams;
		res = PQprepare(db->conn, p->name, st->sql, st->nparams, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			pg_set_error(db, res);
			PQclear(res);
			free(p);
			log_error("pg: cannot prepare: %s: %s", db->errmsg ? db->errmsg : "?", sql);
			free(st->sql);
			free(st);
			return LIN_EDB;
		}
		PQclear(res);
		st->slot = stmt_cache_put(&db->cache, sql, p);
		if (st->slot < 0)
			pg_destroy_prepared(db, p);
		else
			st->prepared = p;
	}
	*out = st;
	return 0;
}

static int pg_bind_value(struct db_stmt *st, int idx, char *value)
{
	if (idx < 1 || idx > st->nparams) {
		free(value);
		return LIN_EINVAL;
	}
	free(st->values[idx - 1]);
	st->values[idx - 1] = value;
	if (st->res) { /* rebinding after a run starts the statement afresh */
		PQclear(st->res);
		st->res = NULL;
		st->row = -1;
	}
	return 0;
}

static int pg_bind_int64(struct db_stmt *st, int idx, int64_t v)
{
	char tmp[32];
	snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	char *copy = strdup(tmp);
	return copy ? pg_bind_value(st, idx, copy) : LIN_ENOMEM;
}

/* %.17g reads back as the same double: the text protocol loses nothing. */
static int pg_bind_double(struct db_stmt *st, int idx, double v)
{
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%.17g", v);
	char *copy = strdup(tmp);
	return copy ? pg_bind_value(st, idx, copy) : LIN_ENOMEM;
}

static int pg_bind_text(struct db_stmt *st, int idx, const char *s)
{
	char *copy = strdup(s);
	return copy ? pg_bind_value(st, idx, copy) : LIN_ENOMEM;
}

static int pg_bind_null(struct db_stmt *st, int idx)
{
	return pg_bind_value(st, idx, NULL);
}

static int pg_step(struct db_stmt *st)
{
	if (!st->res) {
		ExecStatusType s;
		if (st->prepared)
			st->res = PQexecPrepared(st->db->conn, st->prepared->name, st->nparams,
						 (const char *const *)st->values, NULL, NULL, 0);
		else
			st->res = PQexecParams(st->db->conn, st->sql, st->nparams, NULL,
					       (const char *const *)st->values, NULL, NULL, 0);
		s = PQresultStatus(st->res);
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			pg_set_error(st->db, st->res);
			PQclear(st->res);
			st->res = NULL;
			return LIN_EDB;
		}
		const char *n = PQcmdTuples(st->res);
		st->changes = (n && *n) ? strtoll(n, NULL, 10) : 0;
		st->row = -1;
	}
	if (st->row + 1 < PQntuples(st->res)) {
		st->row++;
		return DB_ROW;
	}
	return DB_DONE;
}

static int pg_column_count(struct db_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static const char *pg_column_name(struct db_stmt *st, int col)
{
	return st->res ? PQfname(st->res, col) : "";
}

static int pg_column_is_null(struct db_stmt *st, int col)
{
	return !st->res || st->row < 0 || PQgetisnull(st->res, st->row, col);
}

static const char *pg_column_text(struct db_stmt *st, int col)
{
	if (pg_column_is_null(st, col))
		return "";
	return PQgetvalue(st->res, st->row, col);
}

/* Integers arrive as text. A plain decimal (what BIGINT columns send) is
 * read here directly: strtoll's locale and base handling cost more than
 * the rest of a noise report's page, which reads a week of seconds (the
 * district benchmark's profile). Anything else goes to strtoll as before. */
static int64_t pg_column_int64(struct db_stmt *st, int col)
{
	const char *v = pg_column_text(st, col), *p = v;
	uint64_t n = 0;
	int neg = *p == '-';

	if (!strcmp(v, "t"))
		return 1;
	p += neg;
	for (; *p >= '0' && *p <= '9' && p - v < 18 + neg; p++)
		n = n * 10 + (uint64_t)(*p - '0');
	if (*p || p == v + neg)
		return strtoll(v, NULL, 10);
	return neg ? -(int64_t)n : (int64_t)n;
}

/* PostgreSQL 12 and later print the shortest text that reads back exactly. */
static double pg_column_double(struct db_stmt *st, int col)
{
	return strtod(pg_column_text(st, col), NULL);
}

static int64_t pg_changes(struct db_stmt *st)
{
	return st->changes;
}

static void pg_finalize(struct db_stmt *st)
{
	for (int i = 0; i < st->nparams; i++)
		free(st->values[i]);
	PQclear(st->res);
	free(st->sql);
	if (st->prepared)
		stmt_cache_release(&st->db->cache, st->slot);
	free(st);
}

const struct db_driver db_pg_driver = {
    .name = "postgres",
    .open = pg_open,
    .close = pg_close,
    .errmsg = pg_errmsg,
    .is_constraint = pg_is_constraint,
    .exec = pg_exec,
    .begin = pg_begin,
    .rollback = pg_rollback,
    .lock = pg_lock,
    .prepare = pg_prepare,
    .bind_int64 = pg_bind_int64,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .column_count = pg_column_count,
    .column_name = pg_column_name,
    .column_is_null = pg_column_is_null,
    .column_int64 = pg_column_int64,
    .column_double = pg_column_double,
    .column_text = pg_column_text,
    .changes = pg_changes,
    .finalize = pg_finalize,
    .scope = pg_scope,
    .scope_enforced = pg_scope_enforced,
    .schema_id = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
};
