/* The demo's survey: the door-to-door survey (大走访大调研) of the 五月花
 * compound on pets, finished two months ago. Most doors were met, some
 * twice after nobody was home, a few refused; what volunteers saw (pet
 * waste in the gardens and by the entrances) was filed as cases, which
 * started the "携宠善行" pet self-governance team. Written through the
 * feature's own store, the same each time. */
#include "internal.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../cases/cases.h"
#include "../web/http.h"

#include <stdio.h>
#include <string.h>

#define DAY 86400

static const char *const questionnaire =
    "["
    "{\"code\":\"has_pet\",\"kind\":\"single\",\"required\":true,"
    "\"prompt\":\"家里养宠物吗？\",\"options\":[{\"key\":\"yes\",\"label\":\"养\"},"
    "{\"key\":\"no\",\"label\":\"不养\"}]},"
    "{\"code\":\"pet_kind\",\"kind\":\"multiple\",\"required\":true,"
    "\"prompt\":\"养的是什么？\",\"options\":[{\"key\":\"dog\",\"label\":\"狗\"},"
    "{\"key\":\"cat\",\"label\":\"猫\"},{\"key\":\"other\",\"label\":\"其他\"}],"
    "\"show_if\":{\"question\":\"has_pet\",\"answer\":\"yes\"}},"
    "{\"code\":\"clean_up\",\"kind\":\"single\",\"required\":true,"
    "\"prompt\":\"遛宠物时随手清理粪便吗？\",\"options\":[{\"key\":\"always\",\"label\":"
    "\"每次都清理\"},{\"key\":\"sometimes\",\"label\":\"有时\"},{\"key\":\"never\","
    "\"label\":\"很少\"}],\"show_if\":{\"question\":\"has_pet\",\"answer\":\"yes\"}},"
    "{\"code\":\"seen_waste\",\"kind\":\"single\",\"required\":true,"
    "\"prompt\":\"最近一个月在小区里见到宠物粪便吗？\",\"options\":[{\"key\":\"often\","
    "\"label\":\"经常\"},{\"key\":\"sometimes\",\"label\":\"偶尔\"},{\"key\":\"never\","
    "\"label\":\"没见过\"}]},"
    "{\"code\":\"where\",\"kind\":\"text\",\"prompt\":\"最常见在哪里？\","
    "\"show_if\":{\"question\":\"seen_waste\",\"answer\":\"often\"}},"
    "{\"code\":\"people\",\"kind\":\"number\",\"prompt\":\"家里常住几口人？\","
    "\"min\":1,\"max\":12},"
    "{\"code\":\"join\",\"kind\":\"single\",\"prompt\":\"愿意参加文明养宠自治团队吗？\","
    "\"options\":[{\"key\":\"yes\",\"label\":\"愿意\"},{\"key\":\"maybe\",\"label\":"
    "\"看情况\"},{\"key\":\"no\",\"label\":\"不参加\"}]}"
    "]";

static const char *const places[] = {"楼前绿化带", "单元门口", "儿童游乐区旁", "小区北门步道"};

static const char *const finding_texts[] = {
    "楼前绿化带狗粪多处，居民说每天早晚遛狗后没人清理，孩子玩耍时踩到过。",
    "单元门口台阶上有宠物粪便，住户反映已持续一个多月，希望物业和养宠户共同处理。",
    "儿童游乐区旁草坪宠物粪便集中，建议设置宠物便袋取用点和提示牌。",
    "小区北门步道夜间遛狗不牵绳、不清理，老人担心滑倒。",
};

/* mix: a fixed pseudo-random number from a and b (the demo stays the same). */
static unsigned mix(unsigned a, unsigned b)
{
	unsigned x = a * 2654435761u ^ (b + 0x9e3779b9u + (a << 6) + (a >> 2));
	x ^= x >> 15;
	x *= 2246822519u;
	x ^= x >> 13;
	return x;
}

/* answers: a met door's answers, chosen from r. */
static json_t *answers(unsigned r)
{
	static const char *const clean[] = {"always", "always", "sometimes", "never"};
	static const char *const seen[] = {"often", "often", "sometimes", "never"};
	static const char *const join[] = {"yes", "maybe", "no", "maybe"};
	int pet = r % 100 < 38;
	json_t *a = json_pack("{s:s, s:s, s:I}", "has_pet", pet ? "yes" : "no", "seen_waste",
			      seen[(r >> 3) % 4], "people", (json_int_t)(1 + (r >> 6) % 5));

	if (pet) {
		json_t *kinds = json_array();
		json_array_append_new(kinds, json_string((r >> 9) % 3 ? "dog" : "cat"));
		if ((r >> 11) % 5 == 0)
			json_array_append_new(kinds, json_string("cat"));
		json_object_set_new(a, "pet_kind", kinds);
		json_object_set_new(a, "clean_up", json_string(clean[(r >> 13) % 4]));
	}
	if (!strcmp(seen[(r >> 3) % 4], "often"))
		json_object_set_new(a, "where", json_string(places[(r >> 15) % 4]));
	if ((r >> 17) % 4)
		json_object_set_new(a, "join", json_string(join[(r >> 19) % 4]));
	return a;
}

int survey_demo(struct db *db, int64_t area_id, int64_t now)
{
	const char *field = NULL, *key = NULL;
	char bad[SURVEY_CODE_MAX + 1] = "";
	json_t *in = NULL, *bs = NULL, *vols = NULL, *doors = NULL, *b, *d;
	int64_t id = 0, start = now - 75 * DAY, t;
	/* the committee's social worker, as the audit log names her */
	struct session staff = {
	    .kind = AUTH_NONE, .name = "demo", .area_id = area_id, .role = ROLE_STAFF};
	int nfindings = 0;
	size_t i;
	int rc;

	rc = survey_demo_buildings(db, area_id, "五月花小区", 4, &bs);
	if (!rc)
		rc = survey_volunteer_choices(db, area_id, &vols);
	if (rc || !json_array_size(bs) || json_array_size(vols) < 2) {
		json_decref(bs);
		json_decref(vols);
		log_warn("survey demo: no 五月花 buildings or volunteers; nothing written");
		return rc;
	}
	in = json_pack("{s:s, s:s, s:o}", "title", "五月花小区“大走访大调研”：文明养宠", "intro",
		       "逐户了解养宠情况和宠物粪便问题，听取居民意见，发现的问题当场立案。",
		       "questions", json_loads(questionnaire, 0, NULL));
	json_object_set_new(in, "buildings", json_array());
	json_array_foreach (bs, i, b) {
		json_t *two = json_pack(
		    "[O, O]",
		    json_object_get(json_array_get(vols, (2 * i) % json_array_size(vols)), "id"),
		    json_object_get(json_array_get(vols, (2 * i + 1) % json_array_size(vols)),
				    "id"));
		json_array_append_new(json_object_get(in, "buildings"),
				      json_pack("{s:O, s:o}", "building_id",
						json_object_get(b, "id"), "volunteer_ids", two));
	}
	rc = survey_create(db, &staff, area_id, in, &id, &field, &key);
	if (!rc)
		rc = survey_set_state(db, &staff, area_id, id, "open", start);
	if (!rc)
		rc = survey_doors(db, area_id, id, 0, &doors);
	json_array_foreach (doors, i, d) {
		unsigned r = mix((unsigned)i, 13u);
		int64_t hh = survey_num(d, "household_id"), visit = 0, case_id = 0;
		size_t bi = 0, k;
		json_array_foreach (bs, bi, b)
			if (survey_num(b, "id") == survey_num(d, "building_id"))
				break;
		/* one of the two volunteers of the door's building */
		k = (2 * bi + i % 2) % json_array_size(vols);
		const char *outcome = r % 100 < 72   ? "met"
				      : r % 100 < 90 ? "nobody_home"
						     : "refused";
		struct session s = {.kind = AUTH_NONE,
				    .name = survey_str(json_array_get(vols, k), "name"),
				    .area_id = area_id,
				    .role = ROLE_VOLUNTEER};
		json_t *a = !strcmp(outcome, "met") ? answers(r) : NULL;
		struct survey_visit_in v = {.household_id = hh,
					    .outcome = outcome,
					    .answers = a,
					    .notes = "",
					    .volunteer_id =
						survey_num(json_array_get(vols, k), "id")};
		char revisit[11];
		if (rc)
			break;
		t = start + 2 * DAY + (int64_t)(i * 37 % 20) * DAY + 18 * 3600 + (r >> 20) % 7200;
		v.visited_at = t;
		if (!strcmp(outcome, "nobody_home")) {
			int y, m, dd;
			lin_civil_from_days(lin_local_day(t + 3 * DAY, 28800), &y, &m, &dd);
			snprintf(revisit, sizeof(revisit), "%04u-%02u-%02u", (unsigned)y % 10000u,
				 (unsigned)m % 100u, (unsigned)dd % 100u);
			v.revisit_on = revisit;
		}
		if (a && json_is_string(json_object_get(a, "where")) && (r >> 21) % 2 == 0)
			v.notes = "住户反映楼下宠物粪便问题突出，希望尽快处理。", v.follow_up = 1;
		rc = survey_visit_record(db, &s, area_id, id, &v, &visit, bad, &key);
		if (!rc)
			rc = survey_backdate(db, visit, t);
		/* a finding where the waste is often seen and noted */
		if (!rc && v.follow_up && nfindings < 6) {
			rc = survey_finding_open(db, &s, area_id, id, visit, "pet_waste",
						 finding_texts[nfindings % 4], t, &case_id, &field,
						 &key);
			if (!rc)
				rc = cases_demo_meter_case(db, case_id, t, 1);
			nfindings += !rc;
		}
		/* half the doors nobody opened were met on a second try */
		if (!rc && !strcmp(outcome, "nobody_home") && (r >> 22) % 2) {
			json_t *a2 = answers(mix((unsigned)i, 29u));
			struct survey_visit_in v2 = {.household_id = hh,
						     .outcome = "met",
						     .answers = a2,
						     .notes = "",
						     .volunteer_id = v.volunteer_id,
						     .visited_at = t + 3 * DAY};
			rc = survey_visit_record(db, &s, area_id, id, &v2, &visit, bad, &key);
			if (!rc)
				rc = survey_backdate(db, visit, t + 3 * DAY);
			json_decref(a2);
		}
		json_decref(a);
	}
	if (!rc)
		rc = survey_set_state(db, &staff, area_id, id, "closed", start + 30 * DAY);
	if (!rc)
		rc = survey_demo_dates(db, id, start - 7 * DAY, start, start + 30 * DAY);
	if (rc)
		log_error("survey demo: %s%s %s", field ? field : "", bad, key ? key : "");
	json_decref(in);
	json_decref(bs);
	json_decref(vols);
	json_decref(doors);
	return rc;
}
