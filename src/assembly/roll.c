/* The roll (业主名册): one row per exclusive part with its area and its
 * owner, built from the registry's households, read by every page, and who
 * counts as one owner (SPC interpretation Art. 9). Objections and the CSV
 * import of the property register are in objections.c and roll_csv.c. */
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ owners */

void assembly_copy(char *out, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (!n)
		return;
	if (len >= n) {
		len = n - 1;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--; /* never cut inside a character */
	}
	memcpy(out, s, len);
	out[len] = '\0';
}

#define OWNER_NAMES_MAX 16

/* separator_len: bytes of an owner-list separator at p, 0 if none. */
static size_t separator_len(const char *p)
{
	static const char *const seps[] = {"、", "，", "；", "／", ",", ";", "/", NULL};

	for (int i = 0; seps[i]; i++)
		if (!strncmp(p, seps[i], strlen(seps[i])))
			return strlen(seps[i]);
	return 0;
}

/* space_len: bytes of white space at p (ASCII or the ideographic space). */
static size_t space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		return 1;
	if (!strncmp(p, "\u3000", 3))
		return 3;
	return 0;
}

void assembly_first_owner(const char *owners, char *out, size_t n)
{
	size_t len = 0;

	while (owners[len] && !separator_len(owners + len))
		len++;
	assembly_copy(out, n < len + 1 ? n : len + 1, owners);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_developer_name(const char *s)
{
	return !strcmp(s, "开发商") || !strcasecmp(s, "developer") ||
	       !strncmp(s, "开发商（", strlen("开发商（")) ||
	       !strncmp(s, "开发商(", strlen("开发商("));
}

void assembly_owner_key(const char *owners, char *out, size_t n, bool *developer)
{
	char copy[512];
	char *names[OWNER_NAMES_MAX];
	size_t len, k = 0, used = 0;
	char *p, *start;

	*developer = false;
	if (n)
		out[0] = '\0';
	snprintf(copy, sizeof(copy), "%s", owners ? owners : "");
	/* Cut at every separator, then trim each piece. */
	for (p = start = copy;;) {
		size_t sep = *p ? separator_len(p) : 1;
		if (sep) {
			char *end = p, save = *p;
			*p = '\0';
			while (space_len(start))
				start += space_len(start);
			len = strlen(start);
			while (len && (start[len - 1] == ' ' || start[len - 1] == '\t' ||
				       start[len - 1] == '\r' || start[len - 1] == '\n'))
				start[--len] = '\0';
			while (len >= 3 && !strcmp(start + len - 3, "\u3000"))
				start[len -= 3] = '\0';
			if (len && k < OWNER_NAMES_MAX)
				names[k++] = start;
			if (!save)
				break;
			p = end + sep;
			start = p;
			continue;
		}
		p++;
	}
	if (k && is_developer_name(names[0])) {
		*developer = true;
		snprintf(out, n, "developer");
		return;
	}
	qsort(names, k, sizeof(names[0]), name_cmp);
	for (size_t i = 0; i < k; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		int w = snprintf(out + used, n > used ? n - used : 0, "%s%s", used ? "、" : "",
				 names[i]);
		if (w < 0 || (size_t)w >= (n > used ? n - used : 0))
			break;
		used += (size_t)w;
	}
}

/* ------------------------------------------------------------ reading */

#define PART_COLS                                                                                  \
	"p.id, p.assembly_id, COALESCE(p.household_id, 0), COALESCE(p.building_id, 0), p.unit,"    \
	" p.owner_key, p.owner_name, p.developer, p.removed, p.area_centi, p.id_check <> ''"

int assembly_part_get(struct db *db, int64_t area_id, int64_t part_id, struct assembly_part *out)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = db_prepare(
	    db, "SELECT " PART_COLS " FROM assembly_parts p WHERE p.id = ? AND p.area_id = ?", &st);
	if (!rc)
		rc = db_bindf(st, "ii", part_id, area_id);
	if (!rc)
		rc = db_step_one(st);
	if (!rc) {
		out->id = db_column_int64(st, 0);
		out->assembly_id = db_column_int64(st, 1);
		out->household_id = db_column_int64(st, 2);
		out->building_id = db_column_int64(st, 3);
		snprintf(out->unit, sizeof(out->unit), "%s", db_column_text(st, 4));
		snprintf(out->owner_key, sizeof(out->owner_key), "%s", db_column_text(st, 5));
		snprintf(out->owner_name, sizeof(out->owner_name), "%s", db_column_text(st, 6));
		out->developer = db_column_int64(st, 7) != 0;
		out->removed = db_column_int64(st, 8) != 0;
		out->area_centi = db_column_int64(st, 9);
		out->has_id_check = db_column_int64(st, 10) != 0;
	}
	db_finalize(st);
	return rc;
}

int assembly_parts_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	static const char *const keys[] = {
	    "id",	    "unit",	  "building_id", "building", "household_id",
	    "owner_key",    "owner_name", "developer",	 "removed",  "area_centi",
	    "has_id_check", "source",	  NULL};
	size_t i;
	json_t *p;
	int rc = db_query_json(
	    db,
	    "SELECT p.id, p.unit, p.building_id, COALESCE(b.name, ''), p.household_id, p.owner_key,"
	    " p.owner_name, p.developer, p.removed, p.area_centi, p.id_check <> '', p.source"
	    " FROM assembly_parts p LEFT JOIN buildings b ON b.id = p.building_id"
	    " WHERE p.area_id = ? AND p.assembly_id = ?"
	    " ORDER BY COALESCE(b.name, ''), p.building_id, p.unit, p.id",
	    keys, "ititittbbibt", out, "ii", area_id, assembly_id);

	if (!rc)
		json_array_foreach (*out, i, p) {
			struct buf b;
			buf_init(&b, 32);
			tally_area_format(&b, json_integer_value(json_object_get(p, "area_centi")));
			json_object_set_new(p, "area_m2", json_string(b.failed ? "" : b.buf));
			buf_release(&b);
		}
	return rc;
}

/* ------------------------------------------------------------ from the registry */

/* One household as the roll takes it. */
struct roll_row {
	int64_t household_id, building_id, area_centi;
	char unit[96];
	char owners[256];
};

/* read_households: the live households of the assembly's buildings. OUT:
 * *rows (malloc'd, the caller frees), *n. */
static int read_households(struct db *db, int64_t area_id, const struct assembly *a,
			   struct roll_row **rows, size_t *n)
{
	struct db_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	rc = db_prepare(db,
			"SELECT h.id, b.id, h.area_centi, b.name, h.door, h.owners"
			" FROM households h JOIN buildings b ON b.id = h.building_id"
			" WHERE h.area_id = ? AND b.compound_id = ? AND h.archived = 0"
			" AND b.archived = 0 AND (NOT EXISTS (SELECT 1 FROM assembly_buildings x"
			"  WHERE x.assembly_id = ?) OR b.id IN (SELECT building_id FROM"
			"  assembly_buildings WHERE assembly_id = ?))"
			" ORDER BY b.id, h.door, h.id",
			&st);
	if (!rc)
		rc = db_bindf(st, "iiii", area_id, a->compound_id, a->id, a->id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct roll_row *r;
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct roll_row *grown = realloc(*rows, ncap * sizeof(**rows));
			if (!grown) {
				rc = LIN_ENOMEM;
				break;
			}
			*rows = grown;
			cap = ncap;
		}
		r = &(*rows)[(*n)++];
		r->household_id = db_column_int64(st, 0);
		r->building_id = db_column_int64(st, 1);
		r->area_centi = db_column_int64(st, 2);
		snprintf(r->unit, sizeof(r->unit), "%s %s", db_column_text(st, 3),
			 db_column_text(st, 4));
		snprintf(r->owners, sizeof(r->owners), "%s", db_column_text(st, 5));
		rc = 0;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

/* resident_owners: the names of the household's living owners
 * (residents.is_owner), joined with 、, when the register names none. */
static int resident_owners(struct db *db, int64_t household_id, char *out, size_t n)
{
	struct db_stmt *st = NULL;
	size_t used = 0;
	int rc = db_prepare(db,
			    "SELECT name FROM residents WHERE household_id = ? AND is_owner <> 0"
			    " AND archived = 0 ORDER BY id",
			    &st);

	out[0] = '\0';
	if (!rc)
		rc = db_bindf(st, "i", household_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		int w =
		    snprintf(out + used, n - used, "%s%s", used ? "、" : "", db_column_text(st, 0));
		if (w < 0 || (size_t)w >= n - used) {
			out[used] = '\0';
			rc = 0;
			break;
		}
		used += (size_t)w;
		rc = 0;
	}
	if (rc == DB_DONE)
		rc = 0;
	db_finalize(st);
	return rc;
}

int assembly_part_insert(struct db *db, int64_t area_id, const struct assembly_part *p,
			 const char *id_check, const char *source, int64_t *part_id)
{
	return db_query_row(
	    db,
	    "INSERT INTO assembly_parts (area_id, assembly_id, household_id,"
	    " building_id, unit, owner_key, owner_name, developer, area_centi,"
	    " id_check, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	    part_id, "iirrtttiitt", area_id, p->assembly_id, p->household_id, p->building_id,
	    p->unit, p->owner_key, p->owner_name, (int64_t)p->developer, p->area_centi,
	    id_check ? id_check : "", source);
}

int assembly_roll_audit(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			const char *action, const char *source)
{
	json_t *parts = NULL, *row, *list;
	size_t i;
	json_t *p;
	int rc = assembly_parts_json(db, area_id, id, &parts);

	if (rc) {
		json_decref(parts);
		return rc;
	}
	list = json_array();
	json_array_foreach (parts, i, p)
		json_array_append_new(list, json_pack("[O, O, O, O]", json_object_get(p, "unit"),
						      json_object_get(p, "owner_key"),
						      json_object_get(p, "owner_name"),
						      json_object_get(p, "area_centi")));
	row = json_pack("{s:s, s:I, s:o}", "source", source, "parts_count",
			(json_int_t)json_array_size(parts), "parts", list);
	rc = assembly_audit(db, area_id, actor_user_id, action, "assemblies", id, row);
	json_decref(row);
	json_decref(parts);
	return rc;
}

int assembly_roll_clear(struct db *db, int64_t id)
{
	int rc =
	    db_exec_args(db, "DELETE FROM assembly_parts WHERE assembly_id = ?", NULL, "i", id);

	if (rc == LIN_EDB && db_error_is_constraint(db))
		rc = LIN_ECONFLICT;
	return rc;
}

int assembly_roll_build(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			int64_t *nparts, char *bad_unit, size_t bad_unit_len, const char **why)
{
	struct roll_row *rows = NULL;
	struct assembly a;
	size_t n = 0;
	int rc;

	*nparts = 0;
	if (bad_unit && bad_unit_len)
		bad_unit[0] = '\0';
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = assembly_roll_changeable(db, area_id, id, true, why);
	if (!rc)
		rc = assembly_get(db, area_id, id, &a);
	if (!rc)
		rc = read_households(db, area_id, &a, &rows, &n);
	if (!rc && !n) {
		rc = LIN_EINVAL;
		if (why)
			*why = "assembly.err.roll_empty";
	}
	for (size_t i = 0; !rc && i < n; i++)
		if (rows[i].area_centi <= 0) {
			rc = LIN_EINVAL;
			if (why)
				*why = "assembly.err.roll_area";
			if (bad_unit)
				snprintf(bad_unit, bad_unit_len, "%s", rows[i].unit);
		}
	if (!rc) {
		rc = assembly_roll_clear(db, id);
		if (rc == LIN_ECONFLICT && why)
			*why = "assembly.err.roll_in_use";
	}
	for (size_t i = 0; !rc && i < n; i++) {
		struct assembly_part p = {0};
		char owners[256];
		int64_t part_id = 0;

		snprintf(owners, sizeof(owners), "%s", rows[i].owners);
		assembly_owner_key(owners, p.owner_key, sizeof(p.owner_key), &p.developer);
		if (!p.owner_key[0]) {
			rc = resident_owners(db, rows[i].household_id, owners, sizeof(owners));
			if (rc)
				break;
			assembly_owner_key(owners, p.owner_key, sizeof(p.owner_key), &p.developer);
		}
		/* Nobody registered: the part still counts, as its own owner. */
		if (!p.owner_key[0]) {
			assembly_copy(p.owner_key, sizeof(p.owner_key), "part:");
			assembly_copy(p.owner_key + 5, sizeof(p.owner_key) - 5, rows[i].unit);
		}
		assembly_copy(p.owner_name, sizeof(p.owner_name), p.developer ? "开发商" : owners);
		p.assembly_id = id;
		p.household_id = rows[i].household_id;
		p.building_id = rows[i].building_id;
		p.area_centi = rows[i].area_centi;
		assembly_copy(p.unit, sizeof(p.unit), rows[i].unit);
		rc = assembly_part_insert(db, area_id, &p, "", "registry", &part_id);
	}
	free(rows);
	if (!rc)
		rc = assembly_roll_audit(db, area_id, actor_user_id, id, "roll_build", "registry");
	if (!rc)
		*nparts = (int64_t)n;
	return assembly_finish(db, rc);
}
