/* The holiday list behind working-day deadlines: days off (法定假日) and
 * weekend days that are worked (调休上班), loaded from CSV each year when
 * the State Council publishes them. */
#include "cases.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/db.h"
#include "../web/audit.h"

#include <stdio.h>
#include <string.h>

int cases_holidays_load(struct db *db, const char *csv, size_t len, FILE *errors, int *loaded)
{
	struct csv_reader r;
	struct db_stmt *st = NULL;
	int rc, bad = 0;

	*loaded = 0;
	csv_open(&r, csv, len);
	rc = db_begin(db);
	if (rc)
		goto out;
	while ((rc = csv_next(&r)) == 1) {
		int y, m, d;
		const char *kind;
		if (r.record_line == 1 && r.nfields && !strcmp(r.fields[0], "day"))
			continue; /* the header */
		if (r.nfields < 2 || parse_date(r.fields[0], &y, &m, &d) ||
		    (strcmp(r.fields[1], "off") && strcmp(r.fields[1], "work"))) {
			fprintf(errors,
				"第 %d 行：应为 日期,off|work[,名称] line %d: want "
				"day,off|work[,name]\n",
				r.record_line, r.record_line);
			bad++;
			continue;
		}
		kind = r.fields[1];
		/* One row per day: delete, then insert (portable upsert). */
		rc = db_prepare(db, "DELETE FROM holidays WHERE day = ?", &st);
		if (!rc) {
			db_bind_text(st, 1, r.fields[0]);
			rc = db_step(st) < 0 ? LIN_EDB : 0;
			db_finalize(st);
			st = NULL;
		}
		if (!rc)
			rc = db_prepare(
			    db, "INSERT INTO holidays (day, kind, name) VALUES (?, ?, ?)", &st);
		if (!rc) {
			db_bind_text(st, 1, r.fields[0]);
			db_bind_text(st, 2, kind);
			/* A name the list guarded reads back as it was. */
			db_bind_text(st, 3, r.nfields > 2 ? csv_text_value(r.fields[2]) : "");
			rc = db_step(st) < 0 ? LIN_EDB : 0;
			db_finalize(st);
			st = NULL;
		}
		if (rc)
			goto fail;
		(*loaded)++;
	}
	if (rc < 0) {
		fprintf(errors, "第 %d 行：CSV 格式错误 line %d: malformed CSV\n", r.line, r.line);
		bad++;
	}
	if (bad) {
		rc = LIN_EINVAL;
		goto fail;
	}
	{
		struct audit_entry e = {0, "cli", 0, "load", "holidays", 0, NULL, NULL};
		rc = audit_append(db, &e);
	}
	if (!rc)
		rc = db_commit(db);
	if (rc)
		goto fail;
	goto out;
fail:
	db_rollback(db);
	*loaded = 0;
out:
	csv_close(&r);
	return rc;
}

int cases_holidays_list(struct db *db, FILE *out)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, "SELECT day, kind, name FROM holidays ORDER BY day", &st);

	if (rc)
		return rc;
	fprintf(out, "day,kind,name\n");
	while ((rc = db_step(st)) == DB_ROW) {
		struct buf name;
		buf_init(&name, 4096);
		/* A name is text someone typed: never a live formula. */
		csv_add_text(&name, db_column_text(st, 2));
		fprintf(out, "%s,%s,%s\n", db_column_text(st, 0), db_column_text(st, 1), name.buf);
		buf_release(&name);
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}
