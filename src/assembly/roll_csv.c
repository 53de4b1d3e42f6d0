/* The roll from the property register (产权登记) as CSV, when the
 * registry's households are not the register: every row is checked first,
 * each error named with its line, and only a file without any error
 * replaces the draft's roll. The last four digits of an owner's ID number
 * go only into id_check, a keyed hash (never stored in clear) that the
 * online real-name confirmation compares with. Columns (header, any
 * order): building, door, owner, area_m2 (required); developer, id_name,
 * id_last4 (optional). docs/assembly.md. */
#include "internal.h"
#include "../base/csv.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../db/audit.h"
#include "../db/db.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_ERRORS_MAX 50
#define IMPORT_ROWS_MAX	  50000

int assembly_id_check(const char *name, const char *last4, char out[ASSEMBLY_ID_CHECK_HEX])
{
	unsigned char key[AUDIT_KEY_BYTES], digest[32];
	crypto_generichash_state st;
	char digits[5];
	const char *start = name ? name : "";
	size_t len;

	out[0] = '\0';
	if (!last4 || strlen(last4) != 4)
		return LIN_EINVAL;
	for (int i = 0; i < 4; i++) {
		char c = last4[i];
		if (i == 3 && (c == 'x' || c == 'X'))
			c = 'X'; /* the ID number's check digit */
		else if (c < '0' || c > '9')
			return LIN_EINVAL;
		digits[i] = c;
	}
	digits[4] = '\0';
	while (*start == ' ')
		start++;
	len = strlen(start);
	while (len && start[len - 1] == ' ')
		len--;
	if (!len || audit_subkey("assembly-id-check", key))
		return LIN_EINVAL;
	crypto_generichash_init(&st, key, sizeof(key), sizeof(digest));
	crypto_generichash_update(&st, (const unsigned char *)start, len);
	crypto_generichash_update(&st, (const unsigned char *)"\n", 1);
	crypto_generichash_update(&st, (const unsigned char *)digits, 4);
	crypto_generichash_final(&st, digest, sizeof(digest));
	sodium_memzero(key, sizeof(key));
	sodium_bin2hex(out, ASSEMBLY_ID_CHECK_HEX, digest, sizeof(digest));
	return 0;
}

enum col {
	COL_BUILDING,
	COL_DOOR,
	COL_OWNER,
	COL_AREA,
	COL_DEVELOPER,
	COL_ID_NAME,
	COL_ID_LAST4,
	NCOLS
};
static const char *const col_names[NCOLS] = {"building",  "door",    "owner",	"area_m2",
					     "developer", "id_name", "id_last4"};

/* One checked row, ready to write. */
struct import_row {
	struct assembly_part part;
	char id_check[ASSEMBLY_ID_CHECK_HEX];
};

static void add_error(json_t *errors, int line, const char *column, const char *key)
{
	if (json_array_size(errors) < IMPORT_ERRORS_MAX)
		json_array_append_new(errors, json_pack("{s:i, s:s, s:s}", "line", line, "column",
							column, "key", key));
}

/* id_of: the id the query finds for (parent, name), 0 when none. */
static int id_of(struct db *db, const char *sql, int64_t parent, const char *name, int64_t *id)
{
	int rc = db_query_row(db, sql, id, "it", parent, name);

	if (rc == LIN_ENOTFOUND) {
		*id = 0;
		rc = 0;
	}
	return rc;
}

/* check_row turns one record into r, adding each problem to errors. */
static int check_row(struct db *db, const struct assembly *a, struct csv_reader *cr, const int *col,
		     struct import_row *r, json_t *errors)
{
	const char *v[NCOLS];
	int line = cr->record_line, dev = 0, rc;
	char first[96];

	memset(r, 0, sizeof(*r));
	for (int c = 0; c < NCOLS; c++) {
		v[c] = col[c] >= 0 && col[c] < cr->nfields ? cr->fields[col[c]] : "";
		if (!utf8_valid(v[c], strlen(v[c]))) {
			add_error(errors, line, col_names[c], "assembly.err.csv_utf8");
			return 0;
		}
	}
	if (!*v[COL_BUILDING] || strlen(v[COL_BUILDING]) > 60)
		add_error(errors, line, "building", "assembly.err.csv_building");
	if (!*v[COL_DOOR] || strlen(v[COL_DOOR]) > 30)
		add_error(errors, line, "door", "assembly.err.csv_door");
	if (tally_area_parse(v[COL_AREA], &r->part.area_centi))
		add_error(errors, line, "area_m2", "assembly.err.csv_area");
	if (parse_bool(v[COL_DEVELOPER], &dev))
		add_error(errors, line, "developer", "assembly.err.csv_developer");
	if (dev) {
		r->part.developer = true;
		assembly_copy(r->part.owner_key, sizeof(r->part.owner_key), "developer");
		assembly_copy(r->part.owner_name, sizeof(r->part.owner_name),
			      *v[COL_OWNER] ? v[COL_OWNER] : "开发商");
	} else {
		assembly_owner_key(v[COL_OWNER], r->part.owner_key, sizeof(r->part.owner_key),
				   &r->part.developer);
		if (!r->part.owner_key[0] || strlen(v[COL_OWNER]) > 90)
			add_error(errors, line, "owner", "assembly.err.csv_owner");
		assembly_copy(r->part.owner_name, sizeof(r->part.owner_name),
			      r->part.developer ? "开发商" : v[COL_OWNER]);
	}
	if (*v[COL_ID_LAST4]) {
		/* The name checked online: id_name, else the first owner named. */
		assembly_first_owner(v[COL_OWNER], first, sizeof(first));
		if (assembly_id_check(*v[COL_ID_NAME] ? v[COL_ID_NAME] : first, v[COL_ID_LAST4],
				      r->id_check))
			add_error(errors, line, "id_last4", "assembly.err.csv_id_last4");
	} else if (*v[COL_ID_NAME]) {
		add_error(errors, line, "id_last4", "assembly.err.csv_id_last4");
	}
	if (!*v[COL_BUILDING] || !*v[COL_DOOR])
		return 0;
	snprintf(r->part.unit, sizeof(r->part.unit), "%.60s %.30s", v[COL_BUILDING], v[COL_DOOR]);
	rc = id_of(db,
		   "SELECT id FROM buildings WHERE compound_id = ? AND name = ? AND archived = 0",
		   a->compound_id, v[COL_BUILDING], &r->part.building_id);
	if (!rc && !r->part.building_id)
		add_error(errors, line, "building", "assembly.err.csv_building");
	if (!rc && r->part.building_id)
		rc = id_of(db,
			   "SELECT id FROM households WHERE building_id = ? AND door = ?"
			   " AND archived = 0",
			   r->part.building_id, v[COL_DOOR], &r->part.household_id);
	return rc;
}

int assembly_roll_import(struct db *db, int64_t area_id, int64_t actor_user_id, int64_t id,
			 const char *csv, size_t len, int64_t *nparts, json_t **errors,
			 const char **why)
{
	struct csv_reader cr;
	struct import_row *rows = NULL;
	struct assembly a;
	size_t n = 0, cap = 0;
	int col[NCOLS], rc;
	bool header_ok;

	*nparts = 0;
	*errors = json_array();
	for (int c = 0; c < NCOLS; c++)
		col[c] = -1;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = assembly_roll_changeable(db, area_id, id, true, why);
	if (!rc)
		rc = assembly_get(db, area_id, id, &a);
	if (rc)
		goto out;
	csv_open(&cr, csv, len);
	/* The header names the columns. */
	rc = csv_next(&cr);
	if (rc == 1) {
		for (int i = 0; i < cr.nfields; i++)
			for (int c = 0; c < NCOLS; c++)
				if (!strcmp(cr.fields[i], col_names[c]))
					col[c] = i;
		rc = 0;
		for (int c = 0; c <= COL_AREA; c++)
			if (col[c] < 0)
				add_error(*errors, 1, col_names[c], "assembly.err.csv_header");
	} else {
		add_error(*errors, 1, "",
			  rc ? "assembly.err.csv_syntax" : "assembly.err.csv_header");
		rc = 0;
	}
	/* Every row is checked (up to IMPORT_ERRORS_MAX errors) before any
	 * is written. */
	header_ok = !json_array_size(*errors);
	while (!rc && header_ok && json_array_size(*errors) < IMPORT_ERRORS_MAX) {
		int got = csv_next(&cr);
		if (got == 0)
			break;
		if (got < 0) {
			add_error(*errors, cr.line, "", "assembly.err.csv_syntax");
			break;
		}
		if (cr.nfields == 1 && !cr.fields[0][0])
			continue; /* a blank line */
		if (n == IMPORT_ROWS_MAX) {
			add_error(*errors, cr.record_line, "", "assembly.err.csv_rows");
			break;
		}
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 256;
			struct import_row *grown = realloc(rows, ncap * sizeof(*rows));
			if (!grown) {
				rc = LIN_ENOMEM;
				break;
			}
			rows = grown;
			cap = ncap;
		}
		rc = check_row(db, &a, &cr, col, &rows[n], *errors);
		for (size_t j = 0; !rc && rows[n].part.unit[0] && j < n; j++)
			if (!strcmp(rows[j].part.unit, rows[n].part.unit)) {
				add_error(*errors, cr.record_line, "door",
					  "assembly.err.csv_duplicate");
				break;
			}
		n++;
	}
	csv_close(&cr);
	if (!rc && !json_array_size(*errors) && !n)
		add_error(*errors, 2, "", "assembly.err.roll_empty");
	if (!rc && json_array_size(*errors)) {
		rc = LIN_EINVAL;
		if (why)
			*why = "assembly.err.csv";
	}
	if (!rc) {
		rc = assembly_roll_clear(db, id);
		if (rc == LIN_ECONFLICT && why)
			*why = "assembly.err.roll_in_use";
	}
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t part_id = 0;
		rows[i].part.assembly_id = id;
		rc = assembly_part_insert(db, area_id, &rows[i].part, rows[i].id_check, "csv",
					  &part_id);
	}
	if (!rc)
		rc = assembly_roll_audit(db, area_id, actor_user_id, id, "roll_import", "csv");
	if (!rc)
		*nparts = (int64_t)n;
out:
	if (rows)
		sodium_memzero(rows, cap * sizeof(*rows));
	free(rows);
	return assembly_finish(db, rc);
}
