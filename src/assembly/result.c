/* The result of an assembly as people read it: per matter both
 * participation ratios, both approval ratios (exact fractions, and
 * percentages rounded for display only), the rule applied and the verdict
 * from the tally; the roll's totals per SPC interpretation Art. 9. The
 * staff page, the public notice, the A4 sheet, the API and `linli assembly
 * show` all read this one object. No SQL here. */
#include "internal.h"
#include "../base/err.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static json_t *area_string(int64_t centi)
{
	struct buf b;
	json_t *s;

	buf_init(&b, 64);
	tally_area_format(&b, centi);
	s = json_string(b.failed ? "" : b.buf);
	buf_release(&b);
	return s;
}

/* ratio: {num, den, pct} with num/den as given (areas as m² strings). */
static json_t *ratio(int64_t num, int64_t den, bool area)
{
	struct buf pct;
	json_t *o;

	buf_init(&pct, 32);
	tally_ratio_format(&pct, num, den);
	o = json_pack("{s:o, s:o, s:s}", "num", area ? area_string(num) : json_integer(num), "den",
		      area ? area_string(den) : json_integer(den), "pct",
		      pct.failed ? "" : pct.buf);
	buf_release(&pct);
	return o;
}

/* roll_totals: the roll's figures per Art. 9. */
static json_t *roll_totals(json_t *parts)
{
	int64_t n = 0, area = 0, dev_parts = 0, dev_area = 0, removed = 0, multi = 0, owners = 0;
	json_t *seen = json_object(), *p;
	const char *key;
	size_t i;
	json_t *v;

	json_array_foreach (parts, i, p) {
		const char *owner = json_string_value(json_object_get(p, "owner_key"));
		int64_t a = json_integer_value(json_object_get(p, "area_centi"));
		if (json_is_true(json_object_get(p, "removed"))) {
			removed++;
			continue;
		}
		n++;
		area += a;
		if (json_is_true(json_object_get(p, "developer"))) {
			dev_parts++;
			dev_area += a;
		}
		v = json_object_get(seen, owner ? owner : "");
		json_object_set_new(seen, owner ? owner : "",
				    json_integer(v ? json_integer_value(v) + 1 : 1));
	}
	json_object_foreach (seen, key, v) {
		owners++;
		if (json_integer_value(v) > 1 && strcmp(key, "developer"))
			multi++;
	}
	json_decref(seen);
	return json_pack("{s:I, s:I, s:o, s:I, s:o, s:I, s:I}", "parts", (json_int_t)n, "owners",
			 (json_int_t)owners, "area_m2", area_string(area), "developer_parts",
			 (json_int_t)dev_parts, "developer_area_m2", area_string(dev_area),
			 "multi_part_owners", (json_int_t)multi, "removed", (json_int_t)removed);
}

static json_t *matter_result(json_t *m, const struct tally_result *t,
			     const struct tally_matter_result *r)
{
	const char *verdict = !r->quorum_met ? "no_quorum" : r->passed ? "passed" : "rejected";
	json_t *o = json_pack(
	    "{s:O, s:O, s:O, s:O, s:s, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:o, s:I, s:b, s:b, s:s}",
	    "id", json_object_get(m, "id"), "code", json_object_get(m, "code"), "item",
	    json_object_get(m, "item"), "title", json_object_get(m, "title"), "rule", r->rule,
	    "participating_owners", (json_int_t)r->participating_owners, "participating_area_m2",
	    area_string(r->participating_area_centi), "agree_owners", (json_int_t)r->agree_owners,
	    "agree_area_m2", area_string(r->agree_area_centi), "oppose_owners",
	    (json_int_t)r->oppose_owners, "oppose_area_m2", area_string(r->oppose_area_centi),
	    "abstain_owners", (json_int_t)r->abstain_owners, "abstain_area_m2",
	    area_string(r->abstain_area_centi), "superseded", (json_int_t)r->superseded,
	    "quorum_met", r->quorum_met, "passed", r->passed, "verdict", verdict);

	if (!o)
		return NULL;
	json_object_set_new(o, "participation_owners",
			    ratio(r->participating_owners, t->owners, false));
	json_object_set_new(o, "participation_area",
			    ratio(r->participating_area_centi, t->area_centi, true));
	json_object_set_new(o, "approval_owners",
			    ratio(r->agree_owners, r->participating_owners, false));
	json_object_set_new(o, "approval_area",
			    ratio(r->agree_area_centi, r->participating_area_centi, true));
	return o;
}

int assembly_result_json(struct db *db, int64_t area_id, int64_t id, json_t **out)
{
	struct tally_result t = {0};
	json_t *a = NULL, *parts = NULL, *matters = NULL, *list;
	int rc, counted;

	*out = NULL;
	rc = assembly_json(db, area_id, id, &a);
	if (!rc)
		rc = assembly_parts_json(db, area_id, id, &parts);
	if (!rc)
		rc = assembly_matters_json(db, area_id, id, &matters);
	if (rc)
		goto out;
	/* An empty roll cannot be counted yet (a draft): no figures. */
	counted = !assembly_count(db, area_id, id, &t);
	list = json_array();
	for (size_t i = 0; counted && i < t.nmatters && i < json_array_size(matters); i++)
		json_array_append_new(list,
				      matter_result(json_array_get(matters, i), &t, &t.matters[i]));
	*out = json_pack("{s:o, s:o, s:o, s:b}", "assembly", a, "roll", roll_totals(parts),
			 "matters", counted ? list : json_incref(matters), "counted", counted);
	if (!counted)
		json_decref(list);
	a = NULL;
	if (!*out)
		rc = LIN_ENOMEM;
out:
	if (t.matters)
		tally_result_free(&t);
	json_decref(a);
	json_decref(parts);
	json_decref(matters);
	return rc;
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

void assembly_result_print(json_t *res, FILE *f)
{
	json_t *a = json_object_get(res, "assembly"), *roll = json_object_get(res, "roll"), *m;
	size_t i;

	fprintf(f, "%s（%s）状态 state: %s\n", jstr(a, "title"), jstr(a, "compound"),
		jstr(a, "state"));
	fprintf(f,
		"名册 roll: %" JSON_INTEGER_FORMAT " 个专有部分 parts, %" JSON_INTEGER_FORMAT
		" 名业主 owners, %s m²\n",
		json_integer_value(json_object_get(roll, "parts")),
		json_integer_value(json_object_get(roll, "owners")), jstr(roll, "area_m2"));
	json_array_foreach (json_object_get(res, "matters"), i, m) {
		json_t *po = json_object_get(m, "participation_owners"),
		       *pa = json_object_get(m, "participation_area"),
		       *ao = json_object_get(m, "approval_owners"),
		       *aa = json_object_get(m, "approval_area");
		fprintf(
		    f, "%s 第%" JSON_INTEGER_FORMAT "项 item %" JSON_INTEGER_FORMAT " %s [%s] %s\n",
		    jstr(m, "code"), json_integer_value(json_object_get(m, "item")),
		    json_integer_value(json_object_get(m, "item")), jstr(m, "title"),
		    jstr(m, "rule"), jstr(m, "verdict"));
		if (!po)
			continue;
		fprintf(f,
			"  参与 participation: %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT
			" (%s), %s/%s m² (%s)\n",
			json_integer_value(json_object_get(po, "num")),
			json_integer_value(json_object_get(po, "den")), jstr(po, "pct"),
			jstr(pa, "num"), jstr(pa, "den"), jstr(pa, "pct"));
		fprintf(f,
			"  同意 approval: %" JSON_INTEGER_FORMAT "/%" JSON_INTEGER_FORMAT
			" (%s), %s/%s m² (%s)\n",
			json_integer_value(json_object_get(ao, "num")),
			json_integer_value(json_object_get(ao, "den")), jstr(ao, "pct"),
			jstr(aa, "num"), jstr(aa, "den"), jstr(aa, "pct"));
	}
}

int assembly_public_results(struct db *db, int64_t area_id, json_t **out)
{
	json_t *list = NULL, *a;
	size_t i;
	int rc = assembly_list_json(db, area_id, &list);

	*out = json_array();
	json_array_foreach (list, i, a) {
		json_t *res = NULL, *m, *matters;
		size_t j;
		if (rc || strcmp(assembly_state_name(ASSEMBLY_CLOSED),
				 json_string_value(json_object_get(a, "state"))))
			continue;
		rc = assembly_result_json(db, area_id, json_integer_value(json_object_get(a, "id")),
					  &res);
		if (rc) {
			json_decref(res);
			break;
		}
		matters = json_array();
		json_array_foreach (json_object_get(res, "matters"), j, m) {
			json_t *o = json_deep_copy(m);
			json_object_del(o, "id");
			json_array_append_new(matters, o);
		}
		json_array_append_new(
		    *out, json_pack("{s:O, s:O, s:O, s:O, s:o}", "id", json_object_get(a, "id"),
				    "title", json_object_get(a, "title"), "compound",
				    json_object_get(a, "compound"), "closed_at",
				    json_object_get(a, "closed_at"), "matters", matters));
		json_decref(res);
	}
	json_decref(list);
	return rc;
}
