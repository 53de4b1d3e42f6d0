/* A statement built piece by piece: its text, and its values in
 * placeholder order. Bounded: after SQLB_MAX_BINDS values, or a failed
 * append, sqlb_prepare refuses (LIN_ENOMEM) rather than run a statement
 * with a value missing. Used wherever a query's filters depend on the
 * request (the registry's lists, the case queue, Open311). */
#ifndef LINLI_DB_SQLB_H
#define LINLI_DB_SQLB_H

#include "../base/arena.h"
#include "../base/buf.h"

#include <stdint.h>

struct db;
struct db_stmt;

#define SQLB_MAX_BINDS 256 /* what the PostgreSQL driver takes in one statement */

struct sqlb_value {
	int kind;      /* SQLB_INT, SQLB_TEXT, SQLB_NULL */
	int64_t i;     /* SQLB_INT */
	const char *s; /* SQLB_TEXT (borrowed, or in the builder's arena) */
};

struct sqlb {
	struct buf sql;	      /* the statement's text: append with buf_adds */
	struct sqlb_value *v; /* values, malloc'd */
	int n, cap;	      /* values used and allocated */
	int failed;	      /* a value could not be added */
	struct arena copies;  /* text the builder made (LIKE patterns) */
};

/* sqlb_init starts an empty builder; sqlb_release frees it (also after a
 * failure; safe to call twice). */
void sqlb_init(struct sqlb *b);
void sqlb_release(struct sqlb *b);
/* sqlb_reset empties it for the next statement, keeping its memory. */
void sqlb_reset(struct sqlb *b);
/* The values, in the order of their "?" in the text. sqlb_text borrows s
 * (NULL binds NULL): it must live until sqlb_prepare. */
void sqlb_int(struct sqlb *b, int64_t v);
void sqlb_text(struct sqlb *b, const char *s);
void sqlb_null(struct sqlb *b);
/* sqlb_like binds "%q%" with q's %, _ and \ escaped, for
 * "LIKE ? ESCAPE '\'" (the pattern is the builder's own copy). */
void sqlb_like(struct sqlb *b, const char *q);
/* sqlb_prepare prepares the text and binds every value. Returns 0 with
 * *st for the caller to finalize, or an error with *st NULL. */
int sqlb_prepare(struct db *db, struct sqlb *b, struct db_stmt **st);

#endif
