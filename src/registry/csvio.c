/* CSV import and export for the registry. Import checks every row first
 * and writes nothing unless all are good; then writes them all in one
 * transaction, so a failure half-way changes nothing either. */
#include "store.h"
#include "../base/buf.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../web/audit.h"
#include "../web/http.h"
#include "../web/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void report_row(FILE *errors, const char *lang, int line, const struct entity *e,
		       const struct validation *v)
{
	char msg[256];

	for (int i = 0; i < v->nerr; i++) {
		registry_error_text(lang, e, &v->errs[i], msg, sizeof(msg));
		fprintf(errors, i18n_t(lang, "import.line_fmt"), line, msg);
		fputc('\n', errors);
	}
}

/* row_object builds the JSON object the validator takes from one record. */
static json_t *row_object(const struct csv_reader *r, const char *const *header, int ncols)
{
	json_t *o = json_object();
	for (int i = 0; i < ncols && i < r->nfields; i++)
		if (header[i][0])
			json_object_set_new(o, header[i],
					    json_string(csv_text_value(r->fields[i])));
	return o;
}

int registry_import(struct db *db, const struct entity *e, int64_t area_id, const char *csv,
		    size_t len, int dry_run, const char *lang, FILE *errors,
		    struct import_report *report)
{
	struct csv_reader r;
	char *header[CSV_MAX_FIELDS];
	struct session s = {.kind = AUTH_NONE, .name = "cli", .area_id = area_id};
	int ncols = 0, rc, pass, ok_header = 1;

	memset(report, 0, sizeof(*report));
	memset(header, 0, sizeof(header));
	csv_open(&r, csv, len);
	rc = csv_next(&r);
	if (rc <= 0) {
		fprintf(errors, i18n_t(lang, "import.line_fmt"), r.line,
			i18n_t(lang, rc == 0 ? "import.empty" : "import.malformed"));
		fputc('\n', errors);
		csv_close(&r);
		report->bad = 1;
		return LIN_EINVAL;
	}
	ncols = r.nfields;
	for (int i = 0; i < ncols; i++) {
		header[i] = strdup(r.fields[i]);
		if (header[i] && *header[i] && !entity_field(e, header[i]) &&
		    strcmp(header[i], "id")) {
			char msg[256];
			snprintf(msg, sizeof(msg), i18n_t(lang, "import.unknown_column"),
				 header[i]);
			fprintf(errors, i18n_t(lang, "import.line_fmt"), 1, msg);
			fputc('\n', errors);
			ok_header = 0;
		}
		/* "id" columns from an export are ignored: rows are always new. */
		if (header[i] && !strcmp(header[i], "id"))
			header[i][0] = '\0';
	}
	if (!ok_header) {
		report->bad = 1;
		rc = LIN_EINVAL;
		goto out;
	}
	/* Pass 1 checks every row (references against the database too, inside
	 * a transaction that is rolled back); pass 2 writes. */
	for (pass = 1; pass <= 2; pass++) {
		rc = db_begin(db);
		if (rc)
			goto out;
		csv_close(&r);
		csv_open(&r, csv, len);
		csv_next(&r); /* header */
		while ((rc = csv_next(&r)) == 1) {
			struct validation v;
			json_t *o;
			int64_t id;
			int line = r.record_line, vrc;

			if (pass == 1)
				report->rows++;
			if (r.nfields != ncols) {
				if (pass == 1) {
					char msg[256];
					snprintf(msg, sizeof(msg), i18n_t(lang, "import.columns"),
						 r.nfields, ncols);
					fprintf(errors, i18n_t(lang, "import.line_fmt"), line, msg);
					fputc('\n', errors);
					report->bad++;
				}
				continue;
			}
			o = row_object(&r, (const char *const *)header, ncols);
			vrc = entity_validate(e, o, 0, &v);
			if (!vrc)
				vrc = registry_insert_row(db, &s, e, &v, &id);
			if (vrc == LIN_ECONFLICT)
				validation_add_error(&v, NULL, "err.conflict");
			if (vrc && !v.nerr)
				validation_add_error(&v, NULL, "err.internal");
			json_decref(o);
			if (vrc) {
				report->bad += pass == 1;
				if (pass == 1)
					report_row(errors, lang, line, e, &v);
				if (pass == 2)
					break;
				continue;
			}
			if (pass == 2)
				report->imported++;
		}
		if (rc < 0 && pass == 1) {
			fprintf(errors, i18n_t(lang, "import.line_fmt"), r.line,
				i18n_t(lang, "import.malformed"));
			fputc('\n', errors);
			report->bad++;
		}
		if (pass == 1 || report->bad || dry_run) {
			db_rollback(db);
			if (report->bad || dry_run) {
				rc = report->bad ? LIN_EINVAL : 0;
				report->imported = 0;
				goto out;
			}
			continue;
		}
		if (report->imported != report->rows) {
			db_rollback(db);
			report->imported = 0;
			rc = LIN_EDB;
			goto out;
		}
		rc = db_commit(db);
		if (rc) {
			db_rollback(db);
			report->imported = 0;
		}
	}
out:
	for (int i = 0; i < ncols; i++)
		free(header[i]);
	csv_close(&r);
	return rc;
}

int registry_export(struct db *db, const struct entity *e, int64_t area_id, FILE *out)
{
	struct list_query lq;
	struct validation v;
	struct buf line;
	json_t *items = NULL;
	int64_t total = 0;
	int rc = 0, first;

	memset(&lq, 0, sizeof(lq));
	memset(&v, 0, sizeof(v));
	lq.per_page = LIST_MAX_PER_PAGE;
	buf_init(&line, 1 << 20);
	buf_adds(&line, "id");
	for (const struct field *f = e->fields; f->name; f++) {
		buf_addc(&line, ',');
		buf_adds(&line, f->name);
	}
	fprintf(out, "%s\n", line.buf);
	for (lq.page = 1;; lq.page++) {
		size_t i;
		json_t *row;
		rc = registry_list(db, e, area_id, &lq, &items, &total, &v);
		if (rc)
			break;
		json_array_foreach (items, i, row) {
			buf_reset(&line);
			buf_addf(&line, "%lld",
				 (long long)json_integer_value(json_object_get(row, "id")));
			for (const struct field *f = e->fields; f->name; f++) {
				json_t *val = json_object_get(row, f->name);
				char key[80], num[32];
				const char *text = "";
				buf_addc(&line, ',');
				if (f->type == FT_REF) {
					/* References export as titles so the file imports again. */
					snprintf(key, sizeof(key), "%s_title", f->name);
					val = json_object_get(row, key);
				}
				if (f->type == FT_TAGS) {
					size_t k;
					json_t *t;
					struct buf tags;
					buf_init(&tags, 4096);
					json_array_foreach (val, k, t) {
						if (k)
							buf_addc(&tags, ';');
						buf_adds(&tags, json_string_value(t));
					}
					csv_add_text(&line, tags.buf);
					buf_release(&tags);
					continue;
				}
				/* Text a user typed may start a formula: guarded. */
				if (json_is_string(val)) {
					csv_add_text(&line, json_string_value(val));
					continue;
				} else if (json_is_integer(val)) {
					snprintf(num, sizeof(num), "%lld",
						 (long long)json_integer_value(val));
					text = num;
				} else if (json_is_boolean(val)) {
					text = json_is_true(val) ? "1" : "0";
				}
				csv_add_field(&line, text);
			}
			fprintf(out, "%s\n", line.buf);
		}
		json_decref(items);
		items = NULL;
		if (lq.page * lq.per_page >= total)
			break;
	}
	first = 0;
	(void)first;
	buf_release(&line);
	return rc;
}
