/* What the cases' pages share: times and category names as the reader
 * reads them, and choice lists of the registry's teams, units and
 * compounds (read through registry.h, never the registry's tables). */
#include "internal.h"
#include "../base/timeutil.h"
#include "../registry/registry.h"
#include "../web/html.h"

#include <string.h>
#include <time.h>

void cases_format_time(int64_t t, char *out, size_t n)
{
	time_t local = (time_t)(t + LIN_SHANGHAI_OFFSET);
	struct tm tm;

	gmtime_r(&local, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

const char *cases_category_name(struct http_req *req, json_t *cat)
{
	const char *zh = json_string_value(json_object_get(cat, "name_zh"));
	const char *en = json_string_value(json_object_get(cat, "name_en"));
	return strcmp(req->lang, "en") ? zh : en;
}

const char *const cases_agency_kinds[] = {"agency", "enterprise", "institution", NULL};

void cases_options(struct http_req *req, struct html *h, const char *entity,
		   const char *const *kinds, int64_t current, int64_t leave_out)
{
	json_t *rows = NULL, *row;
	size_t i;
	int more;

	if (!registry_choices(req->db, entity, req->sess.area_id, kinds, CASES_OPTIONS_MAX, &rows,
			      &more))
		json_array_foreach (rows, i, row) {
			int64_t id = (int64_t)json_integer_value(json_object_get(row, "id"));
			if (id == leave_out)
				continue;
			html_printf(h, "<option value=\"%l\"%R>%s</option>", id,
				    id == current ? " selected" : "",
				    json_string_value(json_object_get(row, "title")));
		}
	json_decref(rows);
}
