/* The rules of the door-to-door delivery that need no database (outcomes,
 * floors, revisit days), the progress figures built from the doors and the
 * count, the routes, and the demo's open assembly halfway delivered. */
#include "doors.h"
#include "../base/err.h"
#include "../base/parse.h"
#include "../base/timeutil.h"
#include "../db/db.h"
#include "../web/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[DOORS_OUTCOME_COUNT] = {
    [DOORS_DELIVERED] = "delivered",
    [DOORS_RETURNED] = "returned",
    [DOORS_REFUSED] = "refused",
    [DOORS_NOBODY_HOME] = "nobody_home",
    [DOORS_PROXY_RETURNED] = "proxy_returned",
};

#define DOORS_REVISIT_MAX_DAYS 60

int doors_outcome_parse(const char *s, enum doors_outcome *out)
{
	for (int i = 0; s && i < DOORS_OUTCOME_COUNT; i++)
		if (!strcmp(s, outcome_names[i])) {
			*out = (enum doors_outcome)i;
			return 0;
		}
	return LIN_EINVAL;
}

const char *doors_outcome_name(enum doors_outcome o)
{
	return (unsigned)o < DOORS_OUTCOME_COUNT ? outcome_names[o] : "";
}

int doors_floor(const char *unit)
{
	const char *end = NULL, *start;
	long n = 0;

	for (const char *p = unit; p && *p; p++)
		if (*p >= '0' && *p <= '9')
			end = p;
	if (!end)
		return 0;
	for (start = end; start > unit && start[-1] >= '0' && start[-1] <= '9'; start--)
		;
	if (end - start > 6)
		return 0; /* not a room number */
	for (const char *p = start; p <= end; p++)
		n = n * 10 + (*p - '0');
	return n >= 100 ? (int)(n / 100) : 0;
}

int doors_revisit_day(const char *s, int64_t now, char out[11])
{
	int64_t today = lin_local_day(now, LIN_SHANGHAI_OFFSET), day;
	int y, m, d;

	if (!s || !*s) {
		day = today + 1;
	} else {
		if (parse_date(s, &y, &m, &d))
			return LIN_EINVAL;
		day = lin_days_from_civil(y, m, d);
		if (day < today || day > today + DOORS_REVISIT_MAX_DAYS)
			return LIN_EINVAL;
	}
	lin_civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}

void doors_day(int64_t t, char out[11])
{
	int y, m, d;

	lin_civil_from_days(lin_local_day(t, LIN_SHANGHAI_OFFSET), &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

bool doors_outstanding(const struct doors_row *r)
{
	return !r->returned && r->outcome != DOORS_REFUSED;
}

/* ------------------------------------------------------------ progress */

/* participation: the count's headcount and area, and per matter who took
 * part. The two bars show the matter with the fewest (by headcount and
 * by area, each its own): every matter needs the 2/3, so the weakest
 * decides. */
static json_t *participation(const struct tally_result *t)
{
	json_t *m = json_array();
	int64_t owners = 0, area = 0;
	bool met = t->nmatters > 0;

	for (size_t i = 0; i < t->nmatters; i++) {
		const struct tally_matter_result *r = &t->matters[i];
		if (!i || r->participating_owners < owners)
			owners = r->participating_owners;
		if (!i || r->participating_area_centi < area)
			area = r->participating_area_centi;
		met = met && r->quorum_met;
		json_array_append_new(m, json_pack("{s:s,s:i,s:I,s:I,s:b}", "code", r->code, "item",
						   r->item, "participating_owners",
						   (json_int_t)r->participating_owners,
						   "participating_area_centi",
						   (json_int_t)r->participating_area_centi,
						   "quorum_met", r->quorum_met));
	}
	return json_pack("{s:I,s:I,s:I,s:I,s:b,s:o}", "owners", (json_int_t)t->owners, "area_centi",
			 (json_int_t)t->area_centi, "participating_owners", (json_int_t)owners,
			 "participating_area_centi", (json_int_t)area, "quorum_met", met, "matters",
			 m);
}

/* building_entry: the entry of building_id in arr, added when new. */
static json_t *building_entry(json_t *arr, const struct doors_row *r)
{
	size_t n = json_array_size(arr);
	json_t *last = n ? json_array_get(arr, n - 1) : NULL;

	if (last && json_integer_value(json_object_get(last, "building_id")) == r->building_id)
		return last;
	last = json_pack("{s:I,s:I,s:s,s:i,s:i,s:i,s:i}", "building_id", (json_int_t)r->building_id,
			 "compound_id", (json_int_t)r->compound_id, "building", r->building,
			 "doors", 0, "delivered", 0, "returned", 0, "voted", 0);
	json_array_append_new(arr, last);
	return last;
}

static void bump(json_t *o, const char *k)
{
	json_object_set_new(o, k, json_integer(json_integer_value(json_object_get(o, k)) + 1));
}

static json_t *volunteer_entry(json_t *vols, const struct doors_row *r)
{
	char key[24];
	json_t *v;

	snprintf(key, sizeof(key), "%lld", (long long)r->volunteer_id);
	v = json_object_get(vols, key);
	if (!v) {
		v = json_pack("{s:I,s:s,s:s,s:i,s:[]}", "volunteer_id", (json_int_t)r->volunteer_id,
			      "volunteer", r->volunteer, "group", r->group, "doors", 0,
			      "outstanding");
		json_object_set_new(vols, key, v);
	}
	return v;
}

static int by_name(const void *a, const void *b)
{
	json_t *const *x = a, *const *y = b;
	return strcmp(json_string_value(json_object_get(*x, "volunteer")),
		      json_string_value(json_object_get(*y, "volunteer")));
}

/* volunteers_sorted: the volunteers' entries by name, as an array. */
static json_t *volunteers_sorted(json_t *vols)
{
	size_t n = json_object_size(vols), i = 0;
	json_t **v = calloc(n ? n : 1, sizeof(*v)), *arr = json_array(), *x;
	const char *k;

	if (!v || !arr) {
		free(v);
		json_decref(arr);
		return NULL;
	}
	json_object_foreach (vols, k, x)
		v[i++] = x;
	qsort(v, n, sizeof(*v), by_name);
	for (i = 0; i < n; i++)
		json_array_append(arr, v[i]);
	free(v);
	return arr;
}

int doors_progress_json(struct db *db, int64_t area_id, int64_t assembly_id, json_t **out)
{
	struct doors_set s;
	struct tally_result t = {0};
	int64_t assigned = 0, delivered = 0, returned = 0, refused = 0, away = 0;
	json_t *buildings = json_array(), *vols = json_object(), *vlist = NULL;
	int rc = doors_load(db, area_id, assembly_id, &s);

	*out = NULL;
	if (!rc)
		rc = assembly_count(db, area_id, assembly_id, &t);
	for (size_t i = 0; !rc && i < s.n; i++) {
		const struct doors_row *r = &s.row[i];
		json_t *b = building_entry(buildings, r);
		bump(b, "doors");
		delivered += r->delivered;
		returned += r->returned;
		refused += r->outcome == DOORS_REFUSED;
		away += r->outcome == DOORS_NOBODY_HOME;
		if (r->delivered)
			bump(b, "delivered");
		if (r->returned)
			bump(b, "returned");
		if (r->voted)
			bump(b, "voted");
		if (!r->volunteer_id)
			continue;
		assigned++;
		json_t *v = volunteer_entry(vols, r);
		bump(v, "doors");
		if (doors_outstanding(r))
			json_array_append_new(
			    json_object_get(v, "outstanding"),
			    json_pack("{s:I,s:s,s:s,s:s}", "part_id", (json_int_t)r->part_id,
				      "unit", r->unit, "outcome",
				      r->outcome < 0 ? "" : doors_outcome_name(r->outcome),
				      "revisit_on", r->revisit_on));
	}
	if (!rc)
		vlist = volunteers_sorted(vols);
	if (!rc && vlist)
		*out =
		    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:O,s:O,s:o}", "doors", (json_int_t)s.n,
			      "assigned", (json_int_t)assigned, "delivered", (json_int_t)delivered,
			      "returned", (json_int_t)returned, "refused", (json_int_t)refused,
			      "nobody_home", (json_int_t)away, "buildings", buildings, "volunteers",
			      vlist, "participation", participation(&t));
	if (!rc && !*out)
		rc = LIN_ENOMEM;
	json_decref(vlist);
	json_decref(vols);
	json_decref(buildings);
	tally_result_free(&t);
	doors_set_release(&s);
	return rc;
}

/* ------------------------------------------------------------ routes */

int assembly_doors_routes(struct router *r)
{
	static const struct route routes[] = {
	    {"GET", "/assemblies/doors", doors_index_page, PERM_ASSEMBLY_DOORS, 0, NULL, 0},
	    {"GET", "/assemblies/:id/doors", doors_staff_page, PERM_ASSEMBLY_WRITE, 0, NULL, 0},
	    {"POST", "/assemblies/:id/doors/groups", doors_h_group, PERM_ASSEMBLY_WRITE, 0, NULL,
	     0},
	    {"POST", "/assemblies/:id/doors/assign", doors_h_assign, PERM_ASSEMBLY_WRITE, 0, NULL,
	     0},
	    {"GET", "/assemblies/:id/doors/mine", doors_mine_page, PERM_ASSEMBLY_DOORS, 0, NULL, 0},
	    {"POST", "/assemblies/:id/doors/visits", doors_h_visit, PERM_ASSEMBLY_DOORS, 0, NULL,
	     0},
	    {"GET", "/assemblies/:id/progress", doors_progress_page, PERM_ASSEMBLY_READ, 0, NULL,
	     0},
	    {"GET", "/api/v1/assemblies/:id/progress", doors_progress_api, PERM_ASSEMBLY_READ, 0,
	     NULL, 0},
	    {NULL, NULL, NULL, 0, 0, NULL, 0},
	};
	return router_add(r, routes);
}

/* ------------------------------------------------------------ demo */

/* assembly_doors_demo: two groups led by the area's first two Party
 * members, each building's doors given to a volunteer in turn (the demo
 * volunteer account's first), and the visits so far: every door whose
 * ballot is in had its sheet delivered two days before and returned (one
 * in seven by a proxy); of the others, one in three had its sheet
 * delivered, one in three nobody home (a revisit planned), one in twelve
 * refused. Deterministic. */
int assembly_doors_demo(struct db *db, int64_t area_id, int64_t assembly_id, int64_t now)
{
	static const struct doors_actor demo = {0, true};
	static const char *const group_names[] = {"第一组", "第二组"};
	json_t *people = NULL, *vols, *members;
	int64_t groups[2] = {0, 0}, building = -1, count = 0;
	size_t nv, k = 0;
	struct doors_set s = {0};
	const char *why = NULL;
	int rc = doors_people_json(db, area_id, &people);

	vols = json_object_get(people, "volunteers");
	members = json_object_get(people, "members");
	nv = json_array_size(vols);
	if (!rc && (!nv || json_array_size(members) < 1))
		rc = LIN_ENOTFOUND; /* the demo's duty and org come first */
	/* the volunteers by id: the demo volunteer account's first */
	for (size_t i = 0; !rc && i < 2; i++) {
		json_t *m = json_array_get(members, i % json_array_size(members));
		rc =
		    doors_group_add(db, area_id, &demo, assembly_id, group_names[i],
				    json_integer_value(json_object_get(m, "id")), &why, &groups[i]);
	}
	if (!rc)
		rc = doors_load(db, area_id, assembly_id, &s);
	int64_t lowest = INT64_MAX;
	size_t first = 0;
	for (size_t i = 0; !rc && i < nv; i++) {
		int64_t id = json_integer_value(json_object_get(json_array_get(vols, i), "id"));
		if (id < lowest) {
			lowest = id;
			first = i;
		}
	}
	for (size_t i = 0; !rc && i < s.n; i++) {
		if (s.row[i].building_id == building || !s.row[i].building_id)
			continue;
		building = s.row[i].building_id;
		json_t *v = json_array_get(vols, (first + k) % nv);
		rc = doors_assign(db, area_id, &demo, assembly_id, building, -1, groups[k % 2],
				  json_integer_value(json_object_get(v, "id")), &why, &count);
		k++;
	}
	for (size_t i = 0; !rc && i < s.n; i++) {
		enum doors_outcome o = DOORS_OUTCOME_COUNT; /* not visited */
		struct doors_visit_in in = {
		    assembly_id, s.row[i].part_id, NULL, NULL, NULL, now - (int64_t)(s.n - i) * 90};
		int64_t id = 0;
		if (s.row[i].voted)
			o = i % 7 == 3 ? DOORS_PROXY_RETURNED : DOORS_RETURNED;
		else if (i % 12 == 5)
			o = DOORS_REFUSED;
		else if (i % 3 != 2)
			o = i % 3 ? DOORS_NOBODY_HOME : DOORS_DELIVERED;
		if (o == DOORS_OUTCOME_COUNT || !s.row[i].building_id)
			continue;
		/* a returned sheet was delivered first, two days before */
		if (o == DOORS_RETURNED || o == DOORS_PROXY_RETURNED) {
			in.outcome = "delivered";
			in.at -= 2 * 86400;
			rc = doors_visit_add(db, area_id, &demo, &in, &why, &id);
			in.at += 2 * 86400;
		}
		in.outcome = doors_outcome_name(o);
		if (!rc)
			rc = doors_visit_add(db, area_id, &demo, &in, &why, &id);
	}
	doors_set_release(&s);
	json_decref(people);
	return rc;
}
