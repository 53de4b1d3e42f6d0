/* The entity descriptors: what each registry table holds, how each field is
 * checked, who may read and write it. Labels come from the message
 * catalogues under "entity.NAME" and "field.NAME.FIELD". */
#include "registry.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static const char *const genders[] = {"M", "F", NULL};
static const char *const compound_kinds[] = {"commercial", "old_commercial", "public_housing",
					     NULL};
static const char *const place_kinds[] = {
    "plaza", "garden", "activity_room", "garbage_station", "parking", "other", NULL};
static const char *const branch_kinds[] = {"general", "branch", NULL};
static const char *const team_kinds[] = {"vanguard", "volunteer", "self_governance", "dance",
					 "patrol",   "fund",	  "other",	     NULL};
static const char *const unit_kinds[] = {"enterprise",	"shop",	  "school",
					 "institution", "agency", NULL};

#define END                                                                                        \
	{                                                                                          \
		NULL, 0, 0, 0, 0, NULL, NULL                                                       \
	}
#define LS (FF_LIST | FF_SEARCH)
#define RQ FF_REQUIRED

static const struct field compound_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"kind", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, compound_kinds, NULL},
    {"address", FT_TEXT, LS, 0, 200, NULL, NULL},
    {"built_year", FT_INT, FF_LIST, 1900, 2100, NULL, NULL},
    END,
};

static const struct field building_fields[] = {
    {"compound_id", FT_REF, RQ | FF_LIST | FF_FILTER, 0, 0, NULL, "compounds"},
    {"name", FT_TEXT, RQ | LS, 0, 40, NULL, NULL},
    {"floors", FT_INT, FF_LIST, 1, 200, NULL, NULL},
    END,
};

static const struct field household_fields[] = {
    {"building_id", FT_REF, RQ | FF_LIST | FF_FILTER, 0, 0, NULL, "buildings"},
    {"door", FT_TEXT, RQ | LS, 0, 20, NULL, NULL},
    {"area_centi", FT_CENTI, RQ | FF_LIST, 0, 10000000, NULL, NULL},
    {"owners", FT_TEXT, LS, 0, 200, NULL, NULL},
    {"note", FT_LONGTEXT, 0, 0, 1000, NULL, NULL},
    END,
};

static const struct field resident_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 40, NULL, NULL},
    {"gender", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, genders, NULL},
    {"birth_year", FT_INT, FF_LIST, 1890, 2100, NULL, NULL},
    {"household_id", FT_REF, FF_LIST | FF_FILTER, 0, 0, NULL, "households"},
    {"phone", FT_PHONE, FF_LIST | FF_SEARCH, 0, 20, NULL, NULL},
    {"is_owner", FT_BOOL, FF_FILTER, 0, 1, NULL, NULL},
    {"tags", FT_TAGS, FF_LIST | FF_FILTER, 0, 0, NULL, NULL},
    {"note", FT_LONGTEXT, 0, 0, 1000, NULL, NULL},
    END,
};

static const struct field tag_fields[] = {
    {"name", FT_TEXT, RQ | LS | FF_TAG_NAME, 0, 20, NULL, NULL},
    {"vulnerable", FT_BOOL, FF_LIST | FF_FILTER, 0, 1, NULL, NULL},
    END,
};

static const struct field place_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"kind", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, place_kinds, NULL},
    {"compound_id", FT_REF, FF_LIST | FF_FILTER, 0, 0, NULL, "compounds"},
    {"note", FT_LONGTEXT, 0, 0, 1000, NULL, NULL},
    END,
};

static const struct field branch_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"kind", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, branch_kinds, NULL},
    {"parent_id", FT_REF, FF_LIST, 0, 0, NULL, "branches"},
    {"secretary", FT_TEXT, LS, 0, 40, NULL, NULL},
    END,
};

static const struct field member_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 40, NULL, NULL},
    {"branch_id", FT_REF, RQ | FF_LIST | FF_FILTER, 0, 0, NULL, "branches"},
    {"gender", FT_CHOICE, RQ | FF_FILTER, 0, 0, genders, NULL},
    {"birth_year", FT_INT, 0, 1900, 2100, NULL, NULL},
    {"phone", FT_PHONE, FF_LIST | FF_SEARCH, 0, 20, NULL, NULL},
    {"joined_on", FT_DATE, RQ | FF_LIST, 0, 0, NULL, NULL},
    {"in_post", FT_BOOL, FF_LIST | FF_FILTER, 0, 1, NULL, NULL},
    {"work_unit", FT_TEXT, LS, 0, 100, NULL, NULL},
    {"resident_id", FT_REF, 0, 0, 0, NULL, "residents"},
    END,
};

static const struct field team_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"kind", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, team_kinds, NULL},
    {"leader", FT_TEXT, LS, 0, 40, NULL, NULL},
    {"note", FT_LONGTEXT, 0, 0, 1000, NULL, NULL},
    END,
};

static const struct field team_member_fields[] = {
    {"team_id", FT_REF, RQ | FF_LIST | FF_FILTER, 0, 0, NULL, "teams"},
    {"name", FT_TEXT, RQ | LS, 0, 40, NULL, NULL},
    {"role", FT_TEXT, FF_LIST, 0, 20, NULL, NULL},
    {"joined_on", FT_DATE, RQ | FF_LIST, 0, 0, NULL, NULL},
    {"left_on", FT_DATE, FF_LIST, 0, 0, NULL, NULL},
    {"resident_id", FT_REF, 0, 0, 0, NULL, "residents"},
    END,
};

static const struct field unit_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 100, NULL, NULL},
    {"kind", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, unit_kinds, NULL},
    {"address", FT_TEXT, LS, 0, 200, NULL, NULL},
    {"contact", FT_TEXT, FF_LIST | FF_SEARCH, 0, 40, NULL, NULL},
    {"phone", FT_PHONE, FF_LIST, 0, 20, NULL, NULL},
    {"has_party_org", FT_BOOL, FF_LIST | FF_FILTER, 0, 1, NULL, NULL},
    {"webhook_url", FT_URL, 0, 0, 300, NULL, NULL},
    {"email", FT_EMAIL, 0, 0, 120, NULL, NULL},
    END,
};

static const char *const question_types[] = {
    "string", "text", "number", "datetime", "singlevaluelist", "multivaluelist", NULL};

static const struct field case_category_fields[] = {
    {"code", FT_TEXT, RQ | LS, 0, 30, NULL, NULL},
    {"name_zh", FT_TEXT, RQ | LS, 0, 30, NULL, NULL},
    {"name_en", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"description", FT_LONGTEXT, 0, 0, 500, NULL, NULL},
    {"private", FT_BOOL, FF_LIST | FF_FILTER, 0, 1, NULL, NULL},
    {"handler_team_id", FT_REF, FF_LIST, 0, 0, NULL, "teams"},
    {"agency_unit_id", FT_REF, FF_LIST, 0, 0, NULL, "units"},
    {"resolve_days", FT_INT, RQ | FF_LIST, 1, 60, NULL, NULL},
    {"questions", FT_QUESTIONS, 0, 0, 8000, question_types, NULL},
    {"sort_order", FT_INT, 0, 0, 1000, NULL, NULL},
    END,
};

static const char *const zone_classes[] = {"0", "1", "2", "3", "4a", "4b", NULL};

static const struct field meter_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"place_id", FT_REF, FF_LIST | FF_FILTER, 0, 0, NULL, "places"},
    {"zone_class", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, zone_classes, NULL},
    {"watches", FT_TEXT, FF_LIST | FF_SEARCH, 0, 100, NULL, NULL},
    {"token_id", FT_INT, FF_LIST, 1, INT64_MAX, NULL, NULL},
    {"mn", FT_TEXT, FF_LIST | FF_SEARCH, 0, 24, NULL, NULL},
    {"calibration_centi", FT_INT, FF_DB, -3000, 3000, NULL, NULL},
    {"zone_id", FT_REF, FF_LIST | FF_FILTER, 0, 0, NULL, "plaza_zones"},
    END,
};

/* The plaza's zones and the place manager's rules for each (Noise Law
 * Art. 64): when dancing is allowed and the volume cap at its meter. */
static const struct field plaza_zone_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 40, NULL, NULL},
    {"place_id", FT_REF, FF_LIST | FF_FILTER, 0, 0, NULL, "places"},
    {"shape", FT_SHAPE, RQ, 0, 32, NULL, NULL},
    {"capacity", FT_INT, RQ | FF_LIST, 1, 10, NULL, NULL},
    {"allowed_periods", FT_PERIODS, FF_LIST, 0, 8, NULL, NULL},
    {"volume_cap_centi", FT_CENTI, FF_LIST | FF_DB, 0, 15000, NULL, NULL},
    END,
};

/* Residential façades around the plaza, where levels must stay in limit. */
static const struct field receptor_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"x_centi", FT_CENTI, RQ | FF_LIST, 0, 1000000, NULL, NULL},
    {"y_centi", FT_CENTI, RQ | FF_LIST, 0, 1000000, NULL, NULL},
    {"zone_class", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, zone_classes, NULL},
    {"background_centi", FT_CENTI, RQ | FF_LIST | FF_DB, 0, 15000, NULL, NULL},
    {"building_id", FT_REF, FF_LIST, 0, 0, NULL, "buildings"},
    END,
};

/* A square-dance team's profile for the staggered schedule. */
static const struct field dance_team_fields[] = {
    {"team_id", FT_REF, RQ | FF_LIST | FF_FILTER, 0, 0, NULL, "teams"},
    {"contact_phone", FT_PHONE, FF_LIST, 0, 20, NULL, NULL},
    {"dancers", FT_INT, FF_LIST, 1, 500, NULL, NULL},
    {"equipment", FT_TEXT, FF_SEARCH, 0, 100, NULL, NULL},
    {"level_10m_centi", FT_CENTI, FF_LIST | FF_DB, 0, 15000, NULL, NULL},
    {"sound_power_centi", FT_CENTI, FF_DB, 0, 16000, NULL, NULL},
    {"agreed_10m_centi", FT_CENTI, FF_LIST | FF_DB, 0, 15000, NULL, NULL},
    {"sessions_per_week", FT_INT, RQ | FF_LIST, 1, 7, NULL, NULL},
    {"preferred_zone_id", FT_REF, FF_LIST, 0, 0, NULL, "plaza_zones"},
    {"preferred_times", FT_PERIODS, FF_LIST, 0, 4, NULL, NULL},
    {"days", FT_DAYS, 0, 0, 7, NULL, NULL},
    END,
};

static const char *const alert_kinds[] = {"laeq_cap", "laeq_limit", "lmax_night", NULL};

/* When a meter's readings raise an alert, and when it counts as over. */
static const struct field alert_rule_fields[] = {
    {"name", FT_TEXT, RQ | LS, 0, 60, NULL, NULL},
    {"meter_id", FT_REF, FF_LIST | FF_FILTER, 0, 0, NULL, "meters"},
    {"kind", FT_CHOICE, RQ | FF_LIST | FF_FILTER, 0, 0, alert_kinds, NULL},
    {"window_s", FT_INT, RQ | FF_LIST, 1, 3600, NULL, NULL},
    {"margin_centi", FT_INT, FF_LIST | FF_DB, -3000, 3000, NULL, NULL},
    {"clear_centi", FT_INT, RQ | FF_DB, 0, 3000, NULL, NULL},
    {"quiet_s", FT_INT, RQ | FF_LIST, 60, 86400, NULL, NULL},
    {"open_case", FT_BOOL, FF_LIST, 0, 1, NULL, NULL},
    END,
};

/* Titles name a row for people: a household reads "五月花小区 3号楼 1201". */
static const struct entity entities[] = {
    {"compounds",
     "@.name",
     compound_fields,
     PERM_PLACES_READ,
     PERM_PLACES_WRITE,
     1,
     "@.id",
     {{"buildings", "compound_id"}, {"places", "compound_id"}},
     0},
    {"buildings",
     "(SELECT c.name FROM compounds c WHERE c.id = @.compound_id) || ' ' || @.name",
     building_fields,
     PERM_PLACES_READ,
     PERM_PLACES_WRITE,
     1,
     "@.compound_id, @.id",
     {{"households", "building_id"}},
     0},
    {"households",
     "(SELECT c.name || ' ' || b.name FROM buildings b JOIN compounds c ON c.id = "
     "b.compound_id WHERE b.id = @.building_id) || ' ' || @.door",
     household_fields,
     PERM_PLACES_READ,
     PERM_PLACES_WRITE,
     1,
     "@.building_id, @.door",
     {{"residents", "household_id"}},
     1},
    {"residents",
     "@.name",
     resident_fields,
     PERM_PEOPLE_READ,
     PERM_PEOPLE_WRITE,
     1,
     "@.id",
     {{"members", "resident_id"}, {"team_members", "resident_id"}},
     1},
    {"tags", "@.name", tag_fields, PERM_PEOPLE_READ, PERM_PEOPLE_WRITE, 0, "@.name", {{0}}, 0},
    {"places", "@.name", place_fields, PERM_PLACES_READ, PERM_PLACES_WRITE, 1, "@.id", {{0}}, 0},
    {"branches",
     "@.name",
     branch_fields,
     PERM_ORG_READ,
     PERM_ORG_WRITE,
     1,
     "@.id",
     {{"members", "branch_id"}, {"branches", "parent_id"}},
     0},
    {"members",
     "@.name",
     member_fields,
     PERM_ORG_READ,
     PERM_ORG_WRITE,
     1,
     "@.branch_id, @.id",
     {{0}},
     1},
    {"teams",
     "@.name",
     team_fields,
     PERM_TEAMS_READ,
     PERM_TEAMS_WRITE,
     1,
     "@.id",
     {{"team_members", "team_id"}},
     0},
    {"team_members",
     "@.name",
     team_member_fields,
     PERM_TEAMS_READ,
     PERM_TEAMS_WRITE,
     0,
     "@.team_id, @.id",
     {{0}},
     0},
    {"units", "@.name", unit_fields, PERM_UNITS_READ, PERM_UNITS_WRITE, 1, "@.id", {{0}}, 1},
    /* Sound-level meters: where they are, what they watch, how they log in. */
    {"meters", "@.name", meter_fields, PERM_NOISE_READ, PERM_NOISE_WRITE, 1, "@.id", {{0}}, 0},
    {"plaza_zones",
     "@.name",
     plaza_zone_fields,
     PERM_NOISE_READ,
     PERM_NOISE_WRITE,
     1,
     "@.id",
     {{"meters", "zone_id"}},
     0},
    {"receptors",
     "@.name",
     receptor_fields,
     PERM_NOISE_READ,
     PERM_NOISE_WRITE,
     1,
     "@.id",
     {{0}},
     1},
    {"dance_teams",
     "(SELECT dt.name FROM teams dt WHERE dt.id = @.team_id)",
     dance_team_fields,
     PERM_NOISE_READ,
     PERM_NOISE_WRITE,
     1,
     "@.id",
     {{0}},
     1},
    {"noise_alert_rules",
     "@.name",
     alert_rule_fields,
     PERM_NOISE_READ,
     PERM_NOISE_WRITE,
     1,
     "@.id",
     {{0}},
     0},
    /* The kinds of case residents report, with the form's questions. */
    {"case_categories",
     "@.name_zh",
     case_category_fields,
     PERM_CASES_READ,
     PERM_CASES_ADMIN,
     1,
     "@.sort_order, @.id",
     {{0}},
     0},
};

#define NENTITIES (sizeof(entities) / sizeof(entities[0]))

const struct entity *entity_by_name(const char *name)
{
	for (size_t i = 0; name && i < NENTITIES; i++)
		if (!strcmp(entities[i].name, name))
			return &entities[i];
	return NULL;
}

const struct entity *entity_at(int i)
{
	return (i >= 0 && (size_t)i < NENTITIES) ? &entities[i] : NULL;
}

const struct field *entity_field(const struct entity *e, const char *name)
{
	for (const struct field *f = e->fields; f->name; f++)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}
