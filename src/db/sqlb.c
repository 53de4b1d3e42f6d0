/* The statement builder (sqlb.h). */
#include "sqlb.h"
#include "db.h"
#include "../base/alloc.h"
#include "../base/err.h"

#include <stdlib.h>
#include <string.h>

enum { SQLB_INT, SQLB_TEXT, SQLB_NULL };

void sqlb_init(struct sqlb *b)
{
	memset(b, 0, sizeof(*b));
	buf_init(&b->sql, 1 << 16);
	arena_init(&b->copies, 1 << 20);
}

void sqlb_release(struct sqlb *b)
{
	buf_release(&b->sql);
	arena_release(&b->copies);
	free(b->v);
	b->v = NULL;
	b->n = b->cap = 0;
}

void sqlb_reset(struct sqlb *b)
{
	buf_reset(&b->sql);
	b->n = 0;
	b->failed = 0;
}

static struct sqlb_value *next_value(struct sqlb *b)
{
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 16;
		struct sqlb_value *v;
		if (cap > SQLB_MAX_BINDS || !(v = lin_realloc(b->v, (size_t)cap * sizeof(*v)))) {
			b->failed = 1;
			return NULL;
		}
		b->v = v;
		b->cap = cap;
	}
	return &b->v[b->n++];
}

void sqlb_int(struct sqlb *b, int64_t i)
{
	struct sqlb_value *v = next_value(b);
	if (v)
		*v = (struct sqlb_value){SQLB_INT, i, NULL};
}

void sqlb_text(struct sqlb *b, const char *s)
{
	struct sqlb_value *v = next_value(b);
	if (v)
		*v = (struct sqlb_value){s ? SQLB_TEXT : SQLB_NULL, 0, s};
}

void sqlb_null(struct sqlb *b)
{
	struct sqlb_value *v = next_value(b);
	if (v)
		*v = (struct sqlb_value){SQLB_NULL, 0, NULL};
}

void sqlb_like(struct sqlb *b, const char *q)
{
	size_t n = 0, len = strlen(q);
	char *p = arena_alloc(&b->copies, 2 * len + 3);

	if (!p) {
		b->failed = 1;
		return;
	}
	p[n++] = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			p[n++] = '\\';
		p[n++] = *q;
	}
	p[n++] = '%';
	p[n] = '\0';
	sqlb_text(b, p);
}

int sqlb_prepare(struct db *db, struct sqlb *b, struct db_stmt **st)
{
	int rc = 0;

	*st = NULL;
	if (b->sql.failed || b->failed)
		return LIN_ENOMEM;
	rc = db_prepare(db, b->sql.buf, st);
	for (int i = 0; !rc && i < b->n; i++) {
		const struct sqlb_value *v = &b->v[i];
		rc = v->kind == SQLB_INT    ? db_bind_int64(*st, i + 1, v->i)
		     : v->kind == SQLB_TEXT ? db_bind_text(*st, i + 1, v->s)
					    : db_bind_null(*st, i + 1);
	}
	if (rc) {
		db_finalize(*st);
		*st = NULL;
	}
	return rc;
}
