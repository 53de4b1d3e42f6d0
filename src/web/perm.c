/* The permission table. Read a row as "this permission is held by these
 * roles". Changing who may do something is a one-line change here. */
#include "perm.h"

#include <string.h>

static const char *role_names[ROLE_COUNT] = {
    [ROLE_NONE] = "none",
    [ROLE_ADMIN] = "admin",
    [ROLE_SECRETARY] = "secretary",
    [ROLE_STAFF] = "staff",
    [ROLE_PARTY_MEMBER] = "party_member",
    [ROLE_VOLUNTEER] = "volunteer",
    [ROLE_RESIDENT] = "resident",
    [ROLE_UNIT_LIAISON] = "unit_liaison",
    [ROLE_AGENCY] = "agency",
    [ROLE_METER] = "meter",
    [ROLE_STREET_STAFF] = "street_staff",
    [ROLE_DISTRICT_STAFF] = "district_staff",
};

#define R(x)	  (1u << ROLE_##x)
#define COMMITTEE (R(ADMIN) | R(SECRETARY) | R(STAFF))
#define EVERY_ROLE                                                                                 \
	(COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER) | R(RESIDENT) | R(UNIT_LIAISON) | R(AGENCY))
/* street and district staff: read-mostly (role_read_only) */
#define REGION (R(STREET_STAFF) | R(DISTRICT_STAFF))

static const struct {
	const char *name; /* shown in errors and docs */
	unsigned roles;	  /* bit set of roles holding it */
} perm_table[PERM_COUNT] = {
    [PERM_PUBLIC] = {"public", EVERY_ROLE | REGION | R(METER) | R(NONE)},
    /* a meter's token only sends readings */
    [PERM_SIGNED_IN] = {"signed_in", EVERY_ROLE | REGION},
    [PERM_PLACES_READ] = {"places.read", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    [PERM_PLACES_WRITE] = {"places.write", COMMITTEE},
    [PERM_PEOPLE_READ] = {"people.read", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    [PERM_PEOPLE_WRITE] = {"people.write", COMMITTEE},
    [PERM_SEE_PHONE] = {"people.phone", COMMITTEE},
    /* Who lives alone, old or disabled, and behind which door: the
     * committee and the Party members who visit them, not volunteers. */
    [PERM_SEE_VULNERABLE] = {"people.vulnerable", COMMITTEE | R(PARTY_MEMBER)},
    [PERM_ORG_READ] = {"org.read", COMMITTEE | R(PARTY_MEMBER)},
    [PERM_ORG_WRITE] = {"org.write", R(ADMIN) | R(SECRETARY)},
    [PERM_TEAMS_READ] = {"teams.read", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    [PERM_TEAMS_WRITE] = {"teams.write", COMMITTEE},
    [PERM_UNITS_READ] = {"units.read", COMMITTEE | R(PARTY_MEMBER) | R(UNIT_LIAISON)},
    [PERM_UNITS_WRITE] = {"units.write", COMMITTEE},
    [PERM_CASES_REPORT] = {"cases.report", EVERY_ROLE},
    [PERM_CASES_READ] = {"cases.read",
			 COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER) | R(AGENCY) | REGION},
    [PERM_CASES_WORK] = {"cases.work", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER) | R(AGENCY)},
    [PERM_CASES_ADMIN] = {"cases.admin", COMMITTEE},
    [PERM_NOISE_INGEST] = {"noise.ingest", R(METER)},
    [PERM_NOISE_READ] = {"noise.read", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER) | REGION},
    [PERM_NOISE_WRITE] = {"noise.write", COMMITTEE},
    [PERM_AUDIT_READ] = {"audit.read", R(ADMIN) | R(SECRETARY)},
    [PERM_USERS_ADMIN] = {"users.admin", R(ADMIN)},
    [PERM_AREA_PROFILE] = {"area.profile", COMMITTEE},
    /* Party members discuss the month's figures at the branch meeting */
    [PERM_REPORTS_READ] = {"reports.read", COMMITTEE | R(PARTY_MEMBER) | REGION},
    [PERM_INSPECTIONS_READ] = {"inspections.read", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    [PERM_INSPECTIONS_WRITE] = {"inspections.write", COMMITTEE | R(VOLUNTEER)},
    [PERM_MEETINGS_WRITE] = {"meetings.write", COMMITTEE},
    /* Party members lead the door-to-door groups and watch the progress */
    [PERM_ASSEMBLY_READ] = {"assembly.read", COMMITTEE | R(PARTY_MEMBER)},
    [PERM_ASSEMBLY_WRITE] = {"assembly.write", COMMITTEE},
    [PERM_ASSEMBLY_DOORS] = {"assembly.doors", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    [PERM_SURVEY_READ] = {"survey.read", COMMITTEE | R(PARTY_MEMBER)},
    [PERM_SURVEY_WRITE] = {"survey.write", COMMITTEE},
    [PERM_SURVEY_VISIT] = {"survey.visit", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    /* Party members read the lists (they visit units too); a liaison's
     * reads are narrowed to the unit by the handlers */
    [PERM_COBUILD_READ] = {"cobuild.read", COMMITTEE | R(PARTY_MEMBER) | R(UNIT_LIAISON)},
    [PERM_COBUILD_CLAIM] = {"cobuild.claim", COMMITTEE | R(UNIT_LIAISON)},
    [PERM_COBUILD_WRITE] = {"cobuild.write", COMMITTEE},
    [PERM_EVENTS_WRITE] = {"events.write", COMMITTEE},
    /* volunteers stand at the door with a phone and scan the codes */
    [PERM_EVENTS_CHECKIN] = {"events.checkin", COMMITTEE | R(PARTY_MEMBER) | R(VOLUNTEER)},
    [PERM_PETS_READ] = {"pets.read", COMMITTEE},
    [PERM_PETS_WRITE] = {"pets.write", COMMITTEE},
    [PERM_REGION_READ] = {"region.read", REGION},
    /* the street office takes the 12345 calls and hands them on; the
     * area's committee returns or answers what it was handed */
    [PERM_REGION_REFER] = {"region.refer", R(STREET_STAFF) | COMMITTEE},
};

enum role role_from_name(const char *name)
{
	for (int r = ROLE_ADMIN; r < ROLE_COUNT; r++)
		if (name && !strcmp(name, role_names[r]))
			return (enum role)r;
	return ROLE_NONE;
}

const char *role_name(enum role role)
{
	return (role >= 0 && role < ROLE_COUNT) ? role_names[role] : "none";
}

const char *perm_name(enum perm perm)
{
	return (perm >= 0 && perm < PERM_COUNT) ? perm_table[perm].name : "?";
}

int role_is_region(enum role role)
{
	return role == ROLE_STREET_STAFF || role == ROLE_DISTRICT_STAFF;
}

int role_read_only(enum role role)
{
	return role_is_region(role);
}

int perm_allows(enum role role, enum perm perm)
{
	if (role < 0 || role >= ROLE_COUNT || perm < 0 || perm >= PERM_COUNT)
		return 0;
	return (perm_table[perm].roles >> role) & 1u;
}
