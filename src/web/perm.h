/* Roles and permissions: the one table that decides who may do what.
 * A route names one permission; a session or API token carries one role
 * in one area; perm_allows() says whether that role holds the permission. */
#ifndef LINLI_WEB_PERM_H
#define LINLI_WEB_PERM_H

enum role {
	ROLE_NONE = 0, /* not signed in */
	ROLE_ADMIN,
	ROLE_SECRETARY,
	ROLE_STAFF,
	ROLE_PARTY_MEMBER,
	ROLE_VOLUNTEER,
	ROLE_RESIDENT,
	ROLE_UNIT_LIAISON,
	ROLE_AGENCY,
	ROLE_METER, /* a sound-level meter's token: sends readings, nothing else */
	/* a street office's (街道) or a district's staff: reads the areas under
	 * it side by side and each one's pages, writes nothing in them */
	ROLE_STREET_STAFF,
	ROLE_DISTRICT_STAFF,
	ROLE_COUNT
};

enum perm {
	PERM_PUBLIC = 0,  /* anyone, signed in or not */
	PERM_SIGNED_IN,	  /* any signed-in user or token */
	PERM_PLACES_READ, /* compounds, buildings, households, places */
	PERM_PLACES_WRITE,
	PERM_PEOPLE_READ, /* residents and their tags */
	PERM_PEOPLE_WRITE,
	PERM_SEE_PHONE,	     /* phone numbers unmasked */
	PERM_SEE_VULNERABLE, /* residents of a vulnerable group (孤老, 残疾人 ...) */
	PERM_ORG_READ,	     /* Party branches and members */
	PERM_ORG_WRITE,
	PERM_TEAMS_READ, /* teams and their members */
	PERM_TEAMS_WRITE,
	PERM_UNITS_READ, /* co-building units */
	PERM_UNITS_WRITE,
	PERM_CASES_REPORT, /* file a case as a signed-in user or machine */
	PERM_CASES_READ,   /* the case queue and case pages */
	PERM_CASES_WORK,   /* act on cases (the state machine decides which actions) */
	PERM_CASES_ADMIN,  /* categories, bulk assignment, the complex-case approval */
	PERM_NOISE_INGEST, /* send noise readings (meters) */
	PERM_NOISE_READ,   /* meters and their readings */
	PERM_NOISE_WRITE,  /* the meter registry */
	PERM_AUDIT_READ,   /* the audit log */
	PERM_USERS_ADMIN,  /* accounts, roles and API tokens */
	PERM_AREA_PROFILE, /* the committee's address, phone, hours and duty rota */

	PERM_REPORTS_READ, /* the monthly report (figures by team, no one named) */

	PERM_INSPECTIONS_READ,	/* station inspections and patrol logs */
	PERM_INSPECTIONS_WRITE, /* record them (a volunteer: for their own station or route) */
	/* meetings: create, invite, agenda, attendance, minutes, action items */
	PERM_MEETINGS_WRITE,

	/* owners' assemblies (业主大会): the roll, matters, progress and the
	 * result with totals; who voted how is narrowed further per area
	 * (assembly_settings.ballot_roles) */
	PERM_ASSEMBLY_READ,
	PERM_ASSEMBLY_WRITE, /* roll, objections, matters, opening, paper entry, proxies */
	PERM_ASSEMBLY_DOORS, /* a volunteer's own doors and their visits */

	/* door-to-door survey campaigns (大走访大调研) */
	PERM_SURVEY_READ,  /* campaigns, coverage, answer statistics */
	PERM_SURVEY_WRITE, /* questionnaires, buildings, assignment */
	PERM_SURVEY_VISIT, /* record visits to one's own assigned doors */

	/* co-building (共建): the three lists, visits and claims; a liaison
	 * sees and changes only their own unit's entries */
	PERM_COBUILD_READ,  /* needs, resources, projects, visits, claims */
	PERM_COBUILD_CLAIM, /* claim a need, give a resource, confirm a claim */
	PERM_COBUILD_WRITE, /* the committee: visits, offers, matching, liaisons' links */
	/* events: lists are public, attendees' names are not */
	PERM_EVENTS_WRITE,   /* create events, the race's checkpoints and teams */
	PERM_EVENTS_CHECKIN, /* check people in, walk-ins, the attendee list (phones masked) */
	/* pets (携宠善行): every household's pets with the owners' phones */
	PERM_PETS_READ,
	PERM_PETS_WRITE, /* register a pet for any household */
	/* streets and districts (src/region): the areas side by side and
	 * the roll-up report */
	PERM_REGION_READ,
	PERM_REGION_REFER, /* the 12345 hotline: a street refers, an area answers */
	PERM_COUNT
};

/* role_from_name: "secretary" -> ROLE_SECRETARY; ROLE_NONE if unknown. */
enum role role_from_name(const char *name);
const char *role_name(enum role role);
const char *perm_name(enum perm perm);
int perm_allows(enum role role, enum perm perm);
/* role_read_only: 1 for the roles that act for a street or a district:
 * signed in as one (and no role of the area's own), a request that
 * changes something is refused unless its route says otherwise
 * (ROUTE_READ_ONLY_OK: signing out, moving between areas). */
int role_read_only(enum role role);
/* role_is_region: 1 for street_staff and district_staff. */
int role_is_region(enum role role);

#endif
