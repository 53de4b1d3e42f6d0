/* Every route against every identity, from one table a reviewer can read.
 * The identities are the anonymous visitor, each role's session (with its
 * CSRF token), each role's API token and a meter's token. Each row of the
 * table names a route and, per identity, whether the server must let the
 * request through to its handler (y) or refuse it at the door (n): 401 for
 * an anonymous JSON call, a redirect to the sign-in page for an anonymous
 * page, 403 "forbidden" for everyone else. The probes never change data:
 * writes go to ids that do not exist or carry empty bodies, so a route
 * that lets them through answers 404, 400 or 422.
 *
 * The table must list exactly the routes `linli routes` prints: a new
 * route fails this test until its row says who may use it. */
#include "checks.h"

#include <curl/curl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* ------------------------------------------------------------ the table */

/* One letter per identity, in this order:
 *   anonymous, admin, secretary, staff, party member, volunteer, resident,
 *   unit liaison, agency, meter
 * Roles are the same whether they come with a session or an API token. */
#define ANYONE	    "yyyyyyyyyy"
#define SIGNED_IN   "nyyyyyyyyn" /* every person; a meter's token only sends readings */
#define PEOPLE	    "nyyyyynnnn" /* committee, members, volunteers */
#define COMMITTEE   "nyyynnnnnn" /* admin, secretary, staff */
#define ORG_READ    "nyyyynnnnn" /* committee and Party members */
#define ORG_WRITE   "nyynnnnnnn" /* admin and secretary */
#define UNITS_READ  "nyyyynnynn" /* committee, members, unit liaisons */
#define CASE_WORK   "nyyyyynnyn" /* committee, members, volunteers, agencies */
#define CASE_REPORT "nyyyyyyyyn" /* every person, not a meter */
#define METER_ONLY  "nnnnnnnnny"
#define FIELD_WRITE "nyyynynnnn" /* committee, volunteers (their own station or route) */
#define ASM_READ    "nyyyynnnnn" /* owners' assemblies: committee and Party members */
#define ASM_BALLOTS "nyynnnnnnn" /* who voted how: the area's ballot roles (by default) */
#define CB_READ	    "nyyyynnynn" /* committee, members, liaisons (their own unit's) */
#define CB_CLAIM    "nyyynnnynn" /* committee and liaisons */

/* The registry's entities: each has the same twelve routes (JSON list,
 * create, get, put, patch, delete; page list, new, create, row, update,
 * delete), read by one group and written by another. */
static const struct {
	const char *name;
	const char *read, *write;
} entities[] = {
    {"compounds", PEOPLE, COMMITTEE},
    {"buildings", PEOPLE, COMMITTEE},
    {"households", PEOPLE, COMMITTEE},
    {"residents", PEOPLE, COMMITTEE},
    {"tags", PEOPLE, COMMITTEE},
    {"places", PEOPLE, COMMITTEE},
    {"branches", ORG_READ, ORG_WRITE},
    {"members", ORG_READ, ORG_WRITE},
    {"teams", PEOPLE, COMMITTEE},
    {"team_members", PEOPLE, COMMITTEE},
    {"units", UNITS_READ, COMMITTEE},
    {"meters", PEOPLE, COMMITTEE},
    {"plaza_zones", PEOPLE, COMMITTEE},
    {"receptors", PEOPLE, COMMITTEE},
    {"dance_teams", PEOPLE, COMMITTEE},
    {"noise_alert_rules", PEOPLE, COMMITTEE},
    {"case_categories", CASE_WORK, COMMITTEE},
};

/* Every other route. probe is the path actually requested (ids that do
 * not exist); NULL means the pattern itself. */
static const struct row {
	const char *method, *pattern, *probe, *who;
} routes[] = {
    /* core */
    {"GET", "/healthz", NULL, ANYONE},
    {"GET", "/metrics", NULL, ANYONE},
    {"GET", "/static/:name", "/static/app.css", ANYONE},
    {"GET", "/login", NULL, ANYONE},
    {"POST", "/login", NULL, ANYONE},
    {"GET", "/lang", NULL, ANYONE},
    {"POST", "/api/v1/login", NULL, ANYONE},
    {"GET", "/api/v1/me", NULL, SIGNED_IN},
    {"GET", "/registry", NULL, SIGNED_IN},
    {"GET", "/api/v1/dashboard", NULL, SIGNED_IN},
    {"GET", "/api/v1/plan.geojson", NULL, PEOPLE}, /* read like the compounds */
    /* the front door (src/home) */
    {"GET", "/", NULL, ANYONE},
    {"GET", "/qr", NULL, ANYONE},
    {"GET", "/area/profile", NULL, COMMITTEE},
    {"POST", "/area/profile", NULL, COMMITTEE},
    /* cases */
    {"GET", "/cases/stats", NULL, CASE_WORK},
    {"GET", "/cases/stats.csv", NULL, CASE_WORK},
    {"GET", "/cases/stats.xlsx", NULL, CASE_WORK},
    {"GET", "/api/v1/cases/stats", NULL, CASE_WORK},
    {"GET", "/cases/map", NULL, CASE_WORK},
    {"GET", "/vendor/leaflet/:name", "/vendor/leaflet/leaflet.css", ANYONE},
    {"GET", "/api/v1/case-categories", NULL, ANYONE},
    {"GET", "/api/v1/cases", NULL, CASE_WORK},
    {"POST", "/api/v1/cases", NULL, CASE_REPORT},
    {"POST", "/api/v1/cases/bulk-assign", NULL, COMMITTEE},
    {"GET", "/api/v1/cases/:id", "/api/v1/cases/999999999", CASE_WORK},
    {"POST", "/api/v1/cases/:id/actions", "/api/v1/cases/999999999/actions", CASE_WORK},
    {"POST", "/api/v1/cases/:id/notes", "/api/v1/cases/999999999/notes", CASE_WORK},
    {"POST", "/api/v1/cases/:id/mediations", "/api/v1/cases/999999999/mediations", CASE_WORK},
    {"POST", "/api/v1/cases/:id/complex", "/api/v1/cases/999999999/complex", COMMITTEE},
    {"GET", "/api/v1/track/:code", "/api/v1/track/NOSUCHCODE", ANYONE},
    {"POST", "/api/v1/track/:code/:what", "/api/v1/track/NOSUCHCODE/rate", ANYONE},
    {"GET", "/report", NULL, ANYONE},
    {"POST", "/report", NULL, ANYONE},
    {"GET", "/track", NULL, ANYONE},
    {"GET", "/track/:code", "/track/NOSUCHCODE", ANYONE},
    {"POST", "/track/:code/:what", "/track/NOSUCHCODE/rate", ANYONE},
    {"GET", "/cases", NULL, CASE_WORK},
    {"GET", "/cases/new", NULL, COMMITTEE},
    {"POST", "/cases/new", NULL, COMMITTEE},
    {"POST", "/cases/bulk-assign", NULL, COMMITTEE},
    {"GET", "/cases/:id", "/cases/999999999", CASE_WORK},
    {"POST", "/cases/:id/act", "/cases/999999999/act", CASE_WORK},
    {"POST", "/cases/:id/note", "/cases/999999999/note", CASE_WORK},
    {"POST", "/cases/:id/mediation", "/cases/999999999/mediation", CASE_WORK},
    {"POST", "/cases/:id/complex", "/cases/999999999/complex", COMMITTEE},
    {"GET", "/cases/:id/photos/:file", "/cases/999999999/photos/none.jpg", CASE_WORK},
    {"GET", "/cases/:id/views/:file", "/cases/999999999/views/none.jpg", CASE_WORK},
    {"GET", "/inbox", NULL, CASE_WORK},
    {"POST", "/inbox/all/read", "/inbox/all/read", CASE_WORK},
    {"GET", "/api/v1/inbox", NULL, CASE_WORK},
    {"POST", "/api/v1/inbox/:id/read", "/api/v1/inbox/999999999/read", CASE_WORK},
    /* Open311: public by design; private categories are the handlers' job */
    {"GET", "/open311/v2/discovery.:fmt", "/open311/v2/discovery.json", ANYONE},
    {"GET", "/open311/v2/services.:fmt", "/open311/v2/services.json", ANYONE},
    {"GET", "/open311/v2/services/:code", "/open311/v2/services/nosuch.json", ANYONE},
    {"GET", "/open311/v2/requests.:fmt", "/open311/v2/requests.json", ANYONE},
    {"POST", "/open311/v2/requests.:fmt", "/open311/v2/requests.json", ANYONE},
    {"GET", "/open311/v2/requests/:id", "/open311/v2/requests/999999999.json", ANYONE},
    {"GET", "/open311/v2/tokens/:token", "/open311/v2/tokens/nosuch.json", ANYONE},
    {"GET", "/open311/v2/media/:file", "/open311/v2/media/999999999-nosuch.jpg", ANYONE},
    /* noise */
    {"POST", "/api/v1/noise/readings", NULL, METER_ONLY},
    {"GET", "/api/v1/noise/meters/:id/readings", "/api/v1/noise/meters/999999999/readings", PEOPLE},
    {"GET", "/api/v1/noise/meters/:id/minutes", "/api/v1/noise/meters/999999999/minutes", PEOPLE},
    {"GET", "/api/v1/noise/meters/:id/rollups", "/api/v1/noise/meters/999999999/rollups", PEOPLE},
    {"GET", "/api/v1/noise/meters/:id/assessment", "/api/v1/noise/meters/999999999/assessment",
     PEOPLE},
    {"GET", "/noise/reports", NULL, PEOPLE},
    {"GET", "/noise/reports.csv", NULL, PEOPLE},
    {"GET", "/noise/reports.xlsx", NULL, PEOPLE},
    {"GET", "/noise/live", NULL, PEOPLE},
    {"GET", "/noise/live/events", NULL, PEOPLE},
    {"GET", "/api/v1/noise/live", NULL, PEOPLE},
    {"GET", "/noise/display/:id", "/noise/display/999999999", ANYONE},
    {"GET", "/noise/display/:id/events", "/noise/display/999999999/events", ANYONE},
    {"GET", "/noise", NULL, PEOPLE},
    /* duty rosters: staff keep them; a volunteer's own duties, scoped by
     * the handlers (their refusals say why, not the door's words) */
    {"GET", "/duty", NULL, COMMITTEE},
    {"POST", "/duty/stations", NULL, COMMITTEE},
    {"POST", "/duty/stations/:id", "/duty/stations/999999999", COMMITTEE},
    {"GET", "/duty/stations/:id/sign", "/duty/stations/999999999/sign", COMMITTEE},
    {"POST", "/duty/routes", NULL, COMMITTEE},
    {"POST", "/duty/routes/:id", "/duty/routes/999999999", COMMITTEE},
    {"GET", "/duty/routes/:id/sign", "/duty/routes/999999999/sign", COMMITTEE},
    {"POST", "/duty/windows", NULL, COMMITTEE},
    {"POST", "/duty/windows/:id", "/duty/windows/999999999", COMMITTEE},
    {"GET", "/duty/volunteers", NULL, COMMITTEE},
    {"POST", "/duty/volunteers", NULL, COMMITTEE},
    {"POST", "/duty/volunteers/:id", "/duty/volunteers/999999999", COMMITTEE},
    {"POST", "/duty/week/generate", NULL, COMMITTEE},
    {"POST", "/duty/week/plan", NULL, COMMITTEE},
    {"POST", "/duty/week/publish", NULL, COMMITTEE},
    {"GET", "/duty/week/print", NULL, COMMITTEE},
    {"GET", "/duty/week.csv", NULL, COMMITTEE},
    {"POST", "/duty/assignments", NULL, COMMITTEE},
    {"POST", "/duty/assignments/:id/delete", "/duty/assignments/999999999/delete", COMMITTEE},
    {"POST", "/duty/shifts/:id/note", "/duty/shifts/999999999/note", COMMITTEE},
    {"GET", "/duty/swaps", NULL, COMMITTEE},
    {"POST", "/duty/swaps/:id/approve", "/duty/swaps/999999999/approve", COMMITTEE},
    {"POST", "/duty/swaps/:id/refuse", "/duty/swaps/999999999/refuse", COMMITTEE},
    {"GET", "/duty/week", NULL, SIGNED_IN},
    {"GET", "/duty/my", NULL, SIGNED_IN},
    {"GET", "/duty/calendar", NULL, SIGNED_IN},
    {"GET", "/duty/checkin", NULL, SIGNED_IN},
    {"POST", "/duty/my/checkin", NULL, SIGNED_IN},
    {"POST", "/duty/my/checkout", NULL, SIGNED_IN},
    {"POST", "/duty/my/swap", NULL, SIGNED_IN},
    {"GET", "/api/v1/duty/stations", NULL, COMMITTEE},
    {"POST", "/api/v1/duty/stations", NULL, COMMITTEE},
    {"PUT", "/api/v1/duty/stations/:id", "/api/v1/duty/stations/999999999", COMMITTEE},
    {"GET", "/api/v1/duty/routes", NULL, COMMITTEE},
    {"POST", "/api/v1/duty/routes", NULL, COMMITTEE},
    {"PUT", "/api/v1/duty/routes/:id", "/api/v1/duty/routes/999999999", COMMITTEE},
    {"GET", "/api/v1/duty/windows", NULL, COMMITTEE},
    {"POST", "/api/v1/duty/windows", NULL, COMMITTEE},
    {"PUT", "/api/v1/duty/windows/:id", "/api/v1/duty/windows/999999999", COMMITTEE},
    {"GET", "/api/v1/duty/volunteers", NULL, COMMITTEE},
    {"POST", "/api/v1/duty/volunteers", NULL, COMMITTEE},
    {"PUT", "/api/v1/duty/volunteers/:id", "/api/v1/duty/volunteers/999999999", COMMITTEE},
    {"POST", "/api/v1/duty/weeks/:week/generate", "/api/v1/duty/weeks/x/generate", COMMITTEE},
    {"POST", "/api/v1/duty/weeks/:week/plan", "/api/v1/duty/weeks/x/plan", COMMITTEE},
    {"POST", "/api/v1/duty/weeks/:week/publish", "/api/v1/duty/weeks/x/publish", COMMITTEE},
    {"POST", "/api/v1/duty/assignments", NULL, COMMITTEE},
    {"DELETE", "/api/v1/duty/assignments/:id", "/api/v1/duty/assignments/999999999", COMMITTEE},
    {"PUT", "/api/v1/duty/shifts/:id/note", "/api/v1/duty/shifts/999999999/note", COMMITTEE},
    {"POST", "/api/v1/duty/swaps/:id/approve", "/api/v1/duty/swaps/999999999/approve", COMMITTEE},
    {"POST", "/api/v1/duty/swaps/:id/refuse", "/api/v1/duty/swaps/999999999/refuse", COMMITTEE},
    {"GET", "/api/v1/duty/month", NULL, COMMITTEE},
    {"GET", "/api/v1/duty/weeks/:week", "/api/v1/duty/weeks/2000-01-03", SIGNED_IN},
    {"GET", "/api/v1/duty/my", NULL, SIGNED_IN},
    {"POST", "/api/v1/duty/checkin", NULL, SIGNED_IN},
    {"POST", "/api/v1/duty/checkout", NULL, SIGNED_IN},
    {"GET", "/api/v1/duty/swaps", NULL, SIGNED_IN},
    {"POST", "/api/v1/duty/swaps", NULL, SIGNED_IN},
    {"GET", "/schedule", NULL, PEOPLE},
    {"GET", "/schedule/notice", NULL, PEOPLE},
    {"POST", "/schedule/publish", NULL, COMMITTEE},
    {"GET", "/api/v1/schedule", NULL, PEOPLE},
    {"GET", "/api/v1/schedule/compliance", NULL, PEOPLE},
    {"GET", "/api/v1/noise/alerts", NULL, PEOPLE},
    /* the monthly report: the committee and Party members */
    {"GET", "/reports/monthly", NULL, ORG_READ},
    {"GET", "/reports/monthly.xlsx", NULL, ORG_READ},
    {"GET", "/api/v1/reports/monthly", NULL, ORG_READ},
    /* station inspections and patrol logs: read by the committee, members
     * and volunteers (their own), written by the committee and volunteers */
    {"GET", "/api/v1/inspections", NULL, PEOPLE},
    {"POST", "/api/v1/inspections", NULL, FIELD_WRITE},
    {"GET", "/api/v1/inspections/:id", "/api/v1/inspections/999999999", PEOPLE},
    {"POST", "/api/v1/inspections/:id/case", "/api/v1/inspections/999999999/case", FIELD_WRITE},
    {"GET", "/inspections.csv", NULL, PEOPLE},
    {"GET", "/inspections", NULL, PEOPLE},
    {"POST", "/inspections", NULL, FIELD_WRITE},
    {"POST", "/inspections/:id/case", "/inspections/999999999/case", FIELD_WRITE},
    {"GET", "/api/v1/patrols", NULL, PEOPLE},
    {"POST", "/api/v1/patrols", NULL, FIELD_WRITE},
    {"GET", "/api/v1/patrols/:id", "/api/v1/patrols/999999999", PEOPLE},
    {"POST", "/api/v1/patrols/:id/case", "/api/v1/patrols/999999999/case", FIELD_WRITE},
    {"GET", "/patrols.csv", NULL, PEOPLE},
    {"GET", "/patrols", NULL, PEOPLE},
    {"POST", "/patrols", NULL, FIELD_WRITE},
    {"POST", "/patrols/:id/case", "/patrols/999999999/case", FIELD_WRITE},
    /* service hours: one's own for everyone, everyone's for the committee */
    {"GET", "/hours", NULL, SIGNED_IN},
    {"POST", "/hours/give", NULL, SIGNED_IN},
    {"GET", "/hours/certificate", NULL, SIGNED_IN},
    {"GET", "/hours/people", NULL, COMMITTEE},
    {"GET", "/hours/people/:key", "/hours/people/r999999999", COMMITTEE},
    {"POST", "/hours/credit", NULL, COMMITTEE},
    {"POST", "/hours/entries/:id/reverse", "/hours/entries/999999999/reverse", COMMITTEE},
    {"GET", "/hours/export.csv", NULL, COMMITTEE},
    {"GET", "/hours/points", NULL, ORG_WRITE},
    {"POST", "/hours/points", NULL, ORG_WRITE},
    {"POST", "/hours/targets", NULL, ORG_WRITE},
    {"GET", "/hours/teams", NULL, PEOPLE},
    {"GET", "/api/v1/hours/me", NULL, SIGNED_IN},
    {"POST", "/api/v1/hours/gifts", NULL, SIGNED_IN},
    {"GET", "/api/v1/hours/people/:key", "/api/v1/hours/people/r999999999", COMMITTEE},
    {"GET", "/api/v1/hours/entries", NULL, COMMITTEE},
    {"POST", "/api/v1/hours/entries", NULL, COMMITTEE},
    {"PUT", "/api/v1/hours/entries/:id", "/api/v1/hours/entries/999999999", COMMITTEE},
    {"PATCH", "/api/v1/hours/entries/:id", "/api/v1/hours/entries/999999999", COMMITTEE},
    {"DELETE", "/api/v1/hours/entries/:id", "/api/v1/hours/entries/999999999", COMMITTEE},
    {"POST", "/api/v1/hours/entries/:id/reversal", "/api/v1/hours/entries/999999999/reversal",
     COMMITTEE},
    {"GET", "/api/v1/hours/balances", NULL, COMMITTEE},
    {"GET", "/api/v1/hours/points", NULL, ORG_WRITE},
    {"PUT", "/api/v1/hours/points", NULL, ORG_WRITE},
    {"PUT", "/api/v1/hours/targets", NULL, ORG_WRITE},
    {"GET", "/api/v1/hours/teams", NULL, PEOPLE},
    /* meetings: every signed-in person reaches the doors, the handlers show
     * only the meetings one is invited to (and a branch's minutes only to
     * its Party members); staff do the rest */
    {"GET", "/meetings", NULL, SIGNED_IN},
    {"GET", "/meetings/new", NULL, COMMITTEE},
    {"POST", "/meetings/new", NULL, COMMITTEE},
    {"GET", "/meetings/secretary", NULL, SIGNED_IN},
    {"GET", "/meetings/actions.csv", NULL, COMMITTEE},
    {"POST", "/meetings/actions/:id", "/meetings/actions/999999999", COMMITTEE},
    {"GET", "/meetings/:id", "/meetings/999999999", SIGNED_IN},
    {"GET", "/meetings/:id/screen", "/meetings/999999999/screen", COMMITTEE},
    {"POST", "/meetings/:id/draft", "/meetings/999999999/draft", COMMITTEE},
    {"POST", "/meetings/:id/agenda", "/meetings/999999999/agenda", COMMITTEE},
    {"POST", "/meetings/:id/agenda/:item", "/meetings/999999999/agenda/999999999", COMMITTEE},
    {"POST", "/meetings/:id/invite", "/meetings/999999999/invite", COMMITTEE},
    {"POST", "/meetings/:id/attendance", "/meetings/999999999/attendance", COMMITTEE},
    {"POST", "/meetings/:id/minutes", "/meetings/999999999/minutes", COMMITTEE},
    {"POST", "/meetings/:id/reschedule", "/meetings/999999999/reschedule", COMMITTEE},
    {"POST", "/meetings/:id/cancel", "/meetings/999999999/cancel", COMMITTEE},
    {"POST", "/meetings/:id/actions", "/meetings/999999999/actions", COMMITTEE},
    {"POST", "/meetings/:id/photos", "/meetings/999999999/photos", COMMITTEE},
    {"GET", "/meetings/:id/photos/:file", "/meetings/999999999/photos/none.jpg", SIGNED_IN},
    {"GET", "/meetings/:id/views/:file", "/meetings/999999999/views/none.jpg", SIGNED_IN},
    /* assembly channels: the online vote is public (its code and the
     * real-name check are the door); sheets, paper entry and proxies are
     * the committee's (PERM_ASSEMBLY_WRITE) */
    {"GET", "/assembly/vote", NULL, ANYONE},
    {"POST", "/assembly/vote", NULL, ANYONE},
    {"GET", "/assemblies/:id/sheets", "/assemblies/999999999/sheets", COMMITTEE},
    {"POST", "/assemblies/:id/sheets", "/assemblies/999999999/sheets", COMMITTEE},
    {"GET", "/assemblies/:id/paper", "/assemblies/999999999/paper", COMMITTEE},
    {"POST", "/assemblies/:id/paper", "/assemblies/999999999/paper", COMMITTEE},
    {"GET", "/assemblies/:id/paper/:sheet", "/assemblies/999999999/paper/999999999", COMMITTEE},
    {"POST", "/assemblies/:id/paper/:sheet", "/assemblies/999999999/paper/999999999", COMMITTEE},
    {"GET", "/assemblies/:id/proxies", "/assemblies/999999999/proxies", COMMITTEE},
    {"POST", "/assemblies/:id/proxies", "/assemblies/999999999/proxies", COMMITTEE},
    {"POST", "/assemblies/:id/proxies/:proxy/revoke",
     "/assemblies/999999999/proxies/999999999/revoke", COMMITTEE},
    {"GET", "/assemblies/:id/proxies/:proxy/photo", "/assemblies/999999999/proxies/999999999/photo",
     COMMITTEE},
    {"GET", "/checkin", NULL, SIGNED_IN},
    {"POST", "/checkin", NULL, SIGNED_IN},
    {"GET", "/api/v1/meetings", NULL, SIGNED_IN},
    {"POST", "/api/v1/meetings", NULL, COMMITTEE},
    {"GET", "/api/v1/meetings/secretary", NULL, SIGNED_IN},
    {"GET", "/api/v1/meetings/month", NULL, COMMITTEE},
    {"POST", "/api/v1/meetings/checkin", NULL, SIGNED_IN},
    {"GET", "/api/v1/meetings/:id", "/api/v1/meetings/999999999", SIGNED_IN},
    {"PUT", "/api/v1/meetings/:id/minutes", "/api/v1/meetings/999999999/minutes", COMMITTEE},
    {"POST", "/api/v1/meetings/:id/reschedule", "/api/v1/meetings/999999999/reschedule", COMMITTEE},
    {"POST", "/api/v1/meetings/:id/cancel", "/api/v1/meetings/999999999/cancel", COMMITTEE},
    {"GET", "/api/v1/meetings/:id/invitees", "/api/v1/meetings/999999999/invitees", COMMITTEE},
    {"POST", "/api/v1/meetings/:id/invitees", "/api/v1/meetings/999999999/invitees", COMMITTEE},
    {"PUT", "/api/v1/meetings/:id/attendance", "/api/v1/meetings/999999999/attendance", COMMITTEE},
    {"GET", "/api/v1/meetings/:id/agenda", "/api/v1/meetings/999999999/agenda", SIGNED_IN},
    {"POST", "/api/v1/meetings/:id/agenda", "/api/v1/meetings/999999999/agenda", COMMITTEE},
    {"POST", "/api/v1/meetings/:id/agenda/draft", "/api/v1/meetings/999999999/agenda/draft",
     COMMITTEE},
    {"PATCH", "/api/v1/meetings/:id/agenda/:item", "/api/v1/meetings/999999999/agenda/999999999",
     COMMITTEE},
    {"GET", "/api/v1/action-items", NULL, COMMITTEE},
    {"POST", "/api/v1/meetings/:id/action-items", "/api/v1/meetings/999999999/action-items",
     COMMITTEE},
    {"PATCH", "/api/v1/action-items/:id", "/api/v1/action-items/999999999", COMMITTEE},
    /* owners' assemblies (vote) */
    {"GET", "/assemblies", NULL, ASM_READ},
    {"POST", "/assemblies", NULL, COMMITTEE},
    {"GET", "/assemblies/:id", "/assemblies/999999999", ASM_READ},
    {"GET", "/assemblies/:id/roll", "/assemblies/999999999/roll", ASM_READ},
    {"POST", "/assemblies/:id/roll", "/assemblies/999999999/roll", COMMITTEE},
    {"POST", "/assemblies/:id/import", "/assemblies/999999999/import", COMMITTEE},
    {"POST", "/assemblies/:id/matters", "/assemblies/999999999/matters", COMMITTEE},
    {"POST", "/assemblies/:id/publish", "/assemblies/999999999/publish", COMMITTEE},
    {"POST", "/assemblies/:id/open", "/assemblies/999999999/open", COMMITTEE},
    {"POST", "/assemblies/:id/close", "/assemblies/999999999/close", COMMITTEE},
    {"POST", "/assemblies/:id/objections", "/assemblies/999999999/objections", COMMITTEE},
    {"POST", "/assemblies/:id/objections/:oid", "/assemblies/999999999/objections/999999999",
     COMMITTEE},
    {"GET", "/assemblies/:id/result", "/assemblies/999999999/result", ASM_READ},
    {"GET", "/assemblies/:id/notice", "/assemblies/999999999/notice", ANYONE},
    {"GET", "/assemblies/:id/sheet", "/assemblies/999999999/sheet", ASM_READ},
    {"GET", "/assemblies/:id/ballots", "/assemblies/999999999/ballots", ASM_BALLOTS},
    {"GET", "/assemblies/:id/ballots.csv", "/assemblies/999999999/ballots.csv", ASM_BALLOTS},
    {"GET", "/assemblies/:id/ballots.xlsx", "/assemblies/999999999/ballots.xlsx", ASM_BALLOTS},
    {"GET", "/assemblies/:id/tally/roll.csv", "/assemblies/999999999/tally/roll.csv", ASM_READ},
    {"GET", "/assemblies/:id/tally/ballots.csv", "/assemblies/999999999/tally/ballots.csv",
     ASM_BALLOTS},
    {"GET", "/api/v1/assemblies", NULL, ASM_READ},
    {"POST", "/api/v1/assemblies", NULL, COMMITTEE},
    {"GET", "/api/v1/assemblies/:id", "/api/v1/assemblies/999999999", ASM_READ},
    {"GET", "/api/v1/assemblies/:id/parts", "/api/v1/assemblies/999999999/parts", ASM_READ},
    {"POST", "/api/v1/assemblies/:id/roll", "/api/v1/assemblies/999999999/roll", COMMITTEE},
    {"POST", "/api/v1/assemblies/:id/roll/import", "/api/v1/assemblies/999999999/roll/import",
     COMMITTEE},
    {"GET", "/api/v1/assemblies/:id/objections", "/api/v1/assemblies/999999999/objections",
     ASM_READ},
    {"POST", "/api/v1/assemblies/:id/objections", "/api/v1/assemblies/999999999/objections",
     COMMITTEE},
    {"POST", "/api/v1/assemblies/:id/objections/:oid",
     "/api/v1/assemblies/999999999/objections/999999999", COMMITTEE},
    {"POST", "/api/v1/assemblies/:id/matters", "/api/v1/assemblies/999999999/matters", COMMITTEE},
    {"POST", "/api/v1/assemblies/:id/publish", "/api/v1/assemblies/999999999/publish", COMMITTEE},
    {"POST", "/api/v1/assemblies/:id/open", "/api/v1/assemblies/999999999/open", COMMITTEE},
    {"POST", "/api/v1/assemblies/:id/close", "/api/v1/assemblies/999999999/close", COMMITTEE},
    {"GET", "/api/v1/assemblies/:id/ballots", "/api/v1/assemblies/999999999/ballots", ASM_BALLOTS},
    {"GET", "/api/v1/assemblies/:id/refusals", "/api/v1/assemblies/999999999/refusals", ASM_READ},
    /* door-to-door surveys: committee and Party members read campaigns;
     * a volunteer reaches the doors and visits, scoped by the handlers to
     * their own buildings (their refusals say why, not the door's words);
     * the exports of answers door by door only to the committee */
    {"GET", "/surveys", NULL, PEOPLE},
    {"GET", "/surveys/new", NULL, COMMITTEE},
    {"POST", "/surveys/new", NULL, COMMITTEE},
    {"GET", "/surveys/:id", "/surveys/999999999", ORG_READ},
    {"POST", "/surveys/:id/questions", "/surveys/999999999/questions", COMMITTEE},
    {"POST", "/surveys/:id/buildings", "/surveys/999999999/buildings", COMMITTEE},
    {"POST", "/surveys/:id/state", "/surveys/999999999/state", COMMITTEE},
    {"GET", "/surveys/:id/export.csv", "/surveys/999999999/export.csv", COMMITTEE},
    {"GET", "/surveys/:id/export.xlsx", "/surveys/999999999/export.xlsx", COMMITTEE},
    {"GET", "/surveys/:id/doors", "/surveys/999999999/doors", PEOPLE},
    {"GET", "/surveys/:id/doors/:hh", "/surveys/999999999/doors/999999999", PEOPLE},
    {"POST", "/surveys/:id/doors/:hh", "/surveys/999999999/doors/999999999", PEOPLE},
    {"GET", "/surveys/:id/visits/:visit", "/surveys/999999999/visits/999999999", PEOPLE},
    {"POST", "/surveys/:id/visits/:visit/finding", "/surveys/999999999/visits/999999999/finding",
     PEOPLE},
    {"GET", "/api/v1/surveys", NULL, ORG_READ},
    {"POST", "/api/v1/surveys", NULL, COMMITTEE},
    {"GET", "/api/v1/surveys/:id", "/api/v1/surveys/999999999", ORG_READ},
    {"POST", "/api/v1/surveys/:id/questions", "/api/v1/surveys/999999999/questions", COMMITTEE},
    {"POST", "/api/v1/surveys/:id/buildings", "/api/v1/surveys/999999999/buildings", COMMITTEE},
    {"POST", "/api/v1/surveys/:id/state", "/api/v1/surveys/999999999/state", COMMITTEE},
    {"GET", "/api/v1/surveys/:id/doors", "/api/v1/surveys/999999999/doors", PEOPLE},
    {"POST", "/api/v1/surveys/:id/visits", "/api/v1/surveys/999999999/visits", PEOPLE},
    {"GET", "/api/v1/surveys/:id/visits/:visit", "/api/v1/surveys/999999999/visits/999999999",
     PEOPLE},
    {"POST", "/api/v1/surveys/:id/visits/:visit/findings",
     "/api/v1/surveys/999999999/visits/999999999/findings", PEOPLE},
    {"GET", "/api/v1/surveys/:id/coverage", "/api/v1/surveys/999999999/coverage", ORG_READ},
    {"GET", "/api/v1/surveys/:id/stats", "/api/v1/surveys/999999999/stats", ORG_READ},
    /* assemblies: the door-to-door delivery */
    {"GET", "/assemblies/doors", NULL, PEOPLE},
    {"GET", "/assemblies/:id/doors", "/assemblies/999999999/doors", COMMITTEE},
    {"POST", "/assemblies/:id/doors/groups", "/assemblies/999999999/doors/groups", COMMITTEE},
    {"POST", "/assemblies/:id/doors/assign", "/assemblies/999999999/doors/assign", COMMITTEE},
    {"GET", "/assemblies/:id/doors/mine", "/assemblies/999999999/doors/mine", PEOPLE},
    {"POST", "/assemblies/:id/doors/visits", "/assemblies/999999999/doors/visits", PEOPLE},
    {"GET", "/assemblies/:id/progress", "/assemblies/999999999/progress", ORG_READ},
    {"GET", "/api/v1/assemblies/:id/progress", "/api/v1/assemblies/999999999/progress", ORG_READ},
    /* co-building: the lists for the committee, members and liaisons (a
     * liaison's narrowed to the unit by the handlers); anyone signed in
     * may ask for help (a need) and read what they asked. */
    {"GET", "/cobuild", NULL, CB_READ},
    {"POST", "/cobuild/visits", NULL, COMMITTEE},
    {"POST", "/cobuild/needs", NULL, COMMITTEE},
    {"POST", "/cobuild/resources", NULL, CB_CLAIM},
    {"POST", "/cobuild/needs/:id/claim", "/cobuild/needs/999999999/claim", CB_CLAIM},
    {"POST", "/cobuild/claims/:id/confirm", "/cobuild/claims/999999999/confirm", CB_CLAIM},
    {"POST", "/cobuild/projects/:id/minutes", "/cobuild/projects/999999999/minutes", COMMITTEE},
    {"GET", "/cobuild/match", NULL, COMMITTEE},
    {"GET", "/cobuild/liaisons", NULL, COMMITTEE},
    {"POST", "/cobuild/liaisons", NULL, COMMITTEE},
    {"GET", "/cobuild/units/:id", "/cobuild/units/999999999", CB_READ},
    {"GET", "/cobuild/units/:id/summary", "/cobuild/units/999999999/summary", CB_READ},
    {"GET", "/api/v1/needs", NULL, CB_READ},
    {"POST", "/api/v1/needs", NULL, SIGNED_IN},
    {"POST", "/api/v1/needs/:id/claims", "/api/v1/needs/999999999/claims", CB_CLAIM},
    {"GET", "/api/v1/resources", NULL, CB_READ},
    {"POST", "/api/v1/resources", NULL, CB_CLAIM},
    {"GET", "/api/v1/projects", NULL, CB_READ},
    {"PUT", "/api/v1/projects/:id/minutes", "/api/v1/projects/999999999/minutes", COMMITTEE},
    {"GET", "/api/v1/visits", NULL, CB_READ},
    {"POST", "/api/v1/visits", NULL, COMMITTEE},
    {"GET", "/api/v1/claims", NULL, CB_READ},
    {"POST", "/api/v1/claims/:id/confirm", "/api/v1/claims/999999999/confirm", CB_CLAIM},
    {"GET", "/api/v1/cobuild/match", NULL, COMMITTEE},
    {"GET", "/api/v1/cobuild/units/:id/year", "/api/v1/cobuild/units/999999999/year", CB_READ},
    {"GET", "/api/v1/cobuild/liaisons", NULL, COMMITTEE},
    {"POST", "/api/v1/cobuild/liaisons", NULL, COMMITTEE},
    {"GET", "/api/v1/cobuild/mine", NULL, SIGNED_IN},
    /* events: lists, registration, tickets, feedback and punches are
     * public (the code is the secret); the attendee list, check-in and
     * walk-ins for those who stand at the door; creating for the committee */
    {"GET", "/events", NULL, ANYONE},
    {"GET", "/events/new", NULL, COMMITTEE},
    {"POST", "/events/new", NULL, COMMITTEE},
    {"GET", "/events/:id", "/events/999999999", ANYONE},
    {"POST", "/events/:id/register", "/events/999999999/register", ANYONE},
    {"GET", "/events/:id/ticket/:code", "/events/999999999/ticket/NONE", ANYONE},
    {"POST", "/events/:id/cancel", "/events/999999999/cancel", ANYONE},
    {"POST", "/events/:id/feedback", "/events/999999999/feedback", ANYONE},
    {"GET", "/events/:id/checkin", "/events/999999999/checkin", PEOPLE},
    {"POST", "/events/:id/checkin", "/events/999999999/checkin", PEOPLE},
    {"POST", "/events/:id/walkin", "/events/999999999/walkin", PEOPLE},
    {"GET", "/events/:id/race", "/events/999999999/race", ANYONE},
    {"GET", "/events/:id/punch", "/events/999999999/punch", ANYONE},
    {"POST", "/events/:id/punch", "/events/999999999/punch", ANYONE},
    {"GET", "/events/:id/posters", "/events/999999999/posters", COMMITTEE},
    {"POST", "/events/:id/checkpoints", "/events/999999999/checkpoints", COMMITTEE},
    {"POST", "/events/:id/teams", "/events/999999999/teams", COMMITTEE},
    {"GET", "/api/v1/events", NULL, ANYONE},
    {"POST", "/api/v1/events", NULL, COMMITTEE},
    {"GET", "/api/v1/events/mine", NULL, SIGNED_IN},
    {"GET", "/api/v1/events/:id", "/api/v1/events/999999999", ANYONE},
    {"POST", "/api/v1/events/:id/registrations", "/api/v1/events/999999999/registrations", ANYONE},
    {"POST", "/api/v1/events/:id/cancel", "/api/v1/events/999999999/cancel", ANYONE},
    {"GET", "/api/v1/events/:id/attendees", "/api/v1/events/999999999/attendees", PEOPLE},
    {"POST", "/api/v1/events/:id/checkin", "/api/v1/events/999999999/checkin", PEOPLE},
    {"POST", "/api/v1/events/:id/walkins", "/api/v1/events/999999999/walkins", PEOPLE},
    {"POST", "/api/v1/events/:id/feedback", "/api/v1/events/999999999/feedback", ANYONE},
    {"GET", "/api/v1/events/:id/results", "/api/v1/events/999999999/results", ANYONE},
    {"POST", "/api/v1/events/:id/checkpoints", "/api/v1/events/999999999/checkpoints", COMMITTEE},
    {"POST", "/api/v1/events/:id/teams", "/api/v1/events/999999999/teams", COMMITTEE},
    {"POST", "/api/v1/events/:id/punches", "/api/v1/events/999999999/punches", ANYONE},
    {"POST", "/api/v1/events/:id/finish", "/api/v1/events/999999999/finish", ANYONE},
    /* pets: one's own household's for everyone, every pet for the
     * committee, the heat map for those who read cases, the team's page
     * for anyone */
    {"GET", "/pets", NULL, SIGNED_IN},
    {"POST", "/pets", NULL, SIGNED_IN},
    {"POST", "/pets/pledge", NULL, SIGNED_IN},
    {"POST", "/pets/:id", "/pets/999999999", SIGNED_IN},
    {"POST", "/pets/:id/archive", "/pets/999999999/archive", SIGNED_IN},
    {"GET", "/pets/all", NULL, COMMITTEE},
    {"GET", "/pets/map", NULL, CASE_WORK},
    {"GET", "/pets/team", NULL, ANYONE},
    {"GET", "/api/v1/pets", NULL, SIGNED_IN},
    {"POST", "/api/v1/pets", NULL, SIGNED_IN},
    {"POST", "/api/v1/pets/pledge", NULL, SIGNED_IN},
    {"PATCH", "/api/v1/pets/:id", "/api/v1/pets/999999999", SIGNED_IN},
    {"DELETE", "/api/v1/pets/:id", "/api/v1/pets/999999999", SIGNED_IN},
    /* the residents' portal: the page (or the phone's sign-in) and its two
     * sign-in posts for anyone, one's own things as JSON for the signed-in */
    {"GET", "/portal", NULL, ANYONE},
    {"POST", "/portal/code", NULL, ANYONE},
    {"POST", "/portal/signin", NULL, ANYONE},
    {"GET", "/api/v1/me/portal", NULL, SIGNED_IN},
    /* streets and districts: their staff only (not identities here;
     * http_region.c tries every route as a street account) */
    {"GET", "/region", NULL, "nnnnnnnnnn"},
    {"POST", "/region/enter", NULL, "nnnnnnnnnn"},
    {"GET", "/region/report", NULL, "nnnnnnnnnn"},
    {"GET", "/region/report.xlsx", NULL, "nnnnnnnnnn"},
    {"GET", "/api/v1/region/areas", NULL, "nnnnnnnnnn"},
    /* the 12345 hotline: the street refers (its staff only, in the
     * handler), the area's committee answers */
    {"GET", "/api/v1/region/referrals", NULL, COMMITTEE},
    {"POST", "/api/v1/region/referrals", NULL, COMMITTEE},
    {"POST", "/api/v1/region/referrals/:id/answer", "/api/v1/region/referrals/999999999/answer",
     COMMITTEE},
    {"POST", "/region/referrals", NULL, COMMITTEE},
    /* Last: signing out ends the session or token that probes it. */
    {"POST", "/logout", NULL, SIGNED_IN},
    {"POST", "/api/v1/logout", NULL, SIGNED_IN},
};

#define NROUTES	  (sizeof(routes) / sizeof(routes[0]))
#define NENTITIES (sizeof(entities) / sizeof(entities[0]))
#define NPROBES	  (NENTITIES * 13 + NROUTES)

/* probe_at: the i-th probe, entity routes first, expanded from entities[]. */
static void probe_at(size_t i, char *method, char *pattern, char *path, const char **who)
{
	static const struct {
		const char *method, *pattern, *probe;
		int write;
	} shape[13] = {
	    {"GET", "/api/v1/%s", "/api/v1/%s", 0},
	    {"POST", "/api/v1/%s", "/api/v1/%s", 1},
	    {"GET", "/api/v1/%s/:id", "/api/v1/%s/999999999", 0},
	    {"PUT", "/api/v1/%s/:id", "/api/v1/%s/999999999", 1},
	    {"PATCH", "/api/v1/%s/:id", "/api/v1/%s/999999999", 1},
	    {"DELETE", "/api/v1/%s/:id", "/api/v1/%s/999999999", 1},
	    {"GET", "/%s", "/%s", 0},
	    {"GET", "/%s/new", "/%s/new", 1},
	    {"POST", "/%s", "/%s", 1},
	    {"GET", "/%s/:id", "/%s/999999999", 0},
	    {"POST", "/%s/:id", "/%s/999999999", 1},
	    {"POST", "/%s/:id/delete", "/%s/999999999/delete", 1},
	    {"POST", "/%s/:id/restore", "/%s/999999999/restore", 1},
	};

	if (i < NENTITIES * 13) {
		size_t e = i / 13, s = i % 13;
		snprintf(method, 8, "%s", shape[s].method);
		snprintf(pattern, 128, shape[s].pattern, entities[e].name);
		snprintf(path, 128, shape[s].probe, entities[e].name);
		*who = shape[s].write ? entities[e].write : entities[e].read;
		return;
	}
	const struct row *r = &routes[i - NENTITIES * 13];
	snprintf(method, 8, "%s", r->method);
	snprintf(pattern, 128, "%s", r->pattern);
	snprintf(path, 128, "%s", r->probe ? r->probe : r->pattern);
	*who = r->who;
}

/* ------------------------------------------------------------ identities */

#define NIDENT 18

struct identity {
	char label[32];	  /* for messages: "session volunteer", "token agency" */
	int column;	  /* its letter in a row (0 anonymous ... 9 meter) */
	struct client c;  /* the cookie jar (sessions) */
	char bearer[200]; /* "Authorization: Bearer ..." for tokens, or "" */
	int session;	  /* 1 for a signed-in session */
};

static struct identity ids[NIDENT];

static const char *const role_of[] = {"admin",	   "secretary", "staff",	"party_member",
				      "volunteer", "resident",	"unit_liaison", "agency"};

static void make_token(const char *name, const char *role, char *hdr, size_t n)
{
	char *out = NULL;
	int rc = run_cli(&srv, NULL, &out, "token", "add", name, "--role", role, "--area", "pushan",
			 NULL);

	if (rc != 0 || !out)
		fail_msg("linli token add %s --role %s: %d %s", name, role, rc, out ? out : "");
	out[strcspn(out, "\r\n")] = '\0';
	snprintf(hdr, n, "Authorization: Bearer %s", out);
	free(out);
}

static int setup(void **state)
{
	int rc = srv_setup(state), k = 0;

	if (rc)
		return rc;
	client_init(&ids[k].c);
	snprintf(ids[k].label, sizeof(ids[k].label), "anonymous");
	ids[k++].column = 0;
	for (int r = 0; r < 8; r++, k++) {
		char pw[64];
		client_init(&ids[k].c);
		snprintf(pw, sizeof(pw), "pushan-%s", demo_users[r]);
		if (client_login(&ids[k].c, &srv, demo_users[r], pw) != 200)
			return -1;
		snprintf(ids[k].label, sizeof(ids[k].label), "session %s", demo_users[r]);
		ids[k].column = 1 + r;
		ids[k].session = 1;
	}
	for (int r = 0; r < 8; r++, k++) {
		char name[64];
		client_init(&ids[k].c);
		snprintf(name, sizeof(name), "access-%s", role_of[r]);
		make_token(name, role_of[r], ids[k].bearer, sizeof(ids[k].bearer));
		snprintf(ids[k].label, sizeof(ids[k].label), "token %s", role_of[r]);
		ids[k].column = 1 + r;
	}
	client_init(&ids[k].c);
	make_token("access-meter", "meter", ids[k].bearer, sizeof(ids[k].bearer));
	snprintf(ids[k].label, sizeof(ids[k].label), "token meter");
	ids[k].column = 9;
	return 0;
}

static int teardown(void **state)
{
	for (int k = 0; k < NIDENT; k++)
		client_release(&ids[k].c);
	return srv_teardown(state);
}

/* ------------------------------------------------------------ probing */

/* refused: whether the answer is the door's refusal (dispatch.c), not a
 * handler's own answer. */
static int refused(const struct response *r)
{
	char loc[256];

	/* The door's own words (err.unauthorized, err.forbidden): a handler's
	 * refusal (a wrong password, an approval only the secretary gives)
	 * says something else. */
	if (r->status == 401)
		return strstr(r->body, "请先登录") != NULL;
	if (r->status == 403)
		return strstr(r->body, "您的角色无权进行此操作") != NULL;
	if (r->status == 303 && header_value(r, "Location", loc, sizeof(loc)))
		return !strncmp(loc, "/login?next=", 12);
	return 0;
}

static int is_stream(const char *path)
{
	size_t n = strlen(path);
	return n > 7 && !strcmp(path + n - 7, "/events");
}

/* probe: one request as one identity; returns its response in r. */
static void probe(struct identity *id, const char *method, const char *path, struct response *r)
{
	const char *body = NULL, *ctype = NULL;
	char csrf[200];
	const char *extra = id->bearer[0] ? id->bearer : NULL;

	if (strcmp(method, "GET") && strcmp(method, "DELETE")) {
		if (!strncmp(path, "/api/", 5) || !strncmp(path, "/open311/", 9)) {
			body = "{}";
			ctype = "application/json";
		} else {
			body = "";
			ctype = "application/x-www-form-urlencoded";
		}
	}
	/* Signing out ended the session: sign in again before the next one. */
	if (id->session && strstr(path, "logout")) {
		char user[32], pw[64];
		snprintf(user, sizeof(user), "%s", id->label + 8);
		snprintf(pw, sizeof(pw), "pushan-%s", user);
		assert_int_equal(client_login(&id->c, &srv, user, pw), 200);
	}
	if (id->session) {
		snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", id->c.csrf);
		extra = csrf;
	}
	/* Event streams never end: their first answer is enough. */
	curl_easy_setopt(id->c.curl, CURLOPT_TIMEOUT_MS, is_stream(path) ? 500L : 30000L);
	curl_easy_setopt(id->c.curl, CURLOPT_FOLLOWLOCATION, 0L);
	request(&id->c, &srv, method, path, body, ctype, extra, r);
}

/* `linli routes` and the table list the same routes. */
static void test_table_lists_every_route(void **state)
{
	char *out = NULL, method[8], pattern[128], path[128];
	const char *who;
	int rc, missing = 0;

	(void)state;
	rc = run_cli(&srv, NULL, &out, "routes", NULL);
	assert_int_equal(rc, 0);
	assert_non_null(out);
	/* Every route the server has is in the table... */
	int nserver = 0;
	char *save = NULL;
	for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char m[8], p[128];
		size_t mn = strcspn(line, " "), pn;
		const char *ps = line + mn + strspn(line + mn, " ");
		int found = 0;
		pn = strcspn(ps, " ");
		if (!mn || mn >= sizeof(m) || !pn || pn >= sizeof(p))
			continue;
		snprintf(m, sizeof(m), "%.*s", (int)mn, line);
		snprintf(p, sizeof(p), "%.*s", (int)pn, ps);
		nserver++;
		for (size_t i = 0; i < NPROBES && !found; i++) {
			probe_at(i, method, pattern, path, &who);
			found = !strcmp(m, method) && !strcmp(p, pattern);
		}
		if (!found) {
			print_message("# no row for %s %s: say who may use it\n", m, p);
			missing++;
		}
	}
	free(out);
	assert_int_equal(missing, 0);
	/* ...and the table names no route the server lacks. */
	assert_int_equal(nserver, (int)NPROBES);
}

static void test_every_route_every_identity(void **state)
{
	char method[8], pattern[128], path[128];
	const char *who;
	int wrong = 0;

	(void)state;
	for (int k = 0; k < NIDENT; k++) {
		struct identity *id = &ids[k];
		for (size_t i = 0; i < NPROBES; i++) {
			struct response r;
			int want, got;
			probe_at(i, method, pattern, path, &who);
			assert_int_equal(strlen(who), 10);
			want = who[id->column] == 'y';
			probe(id, method, path, &r);
			got = !refused(&r);
			if (got != want) {
				print_message("# %s %s as %s: %s (status %ld), want %s\n", method,
					      path, id->label, got ? "let through" : "refused",
					      r.status, want ? "let through" : "refused");
				wrong++;
			}
			/* A refusal is the same everywhere: 401 or the sign-in page
			 * for the anonymous, 403 for everyone else. */
			if (!got && k > 0 && r.status != 403) {
				print_message("# %s %s as %s: refused with %ld, want 403\n", method,
					      path, id->label, r.status);
				wrong++;
			}
			response_release(&r);
		}
	}
	assert_int_equal(wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_lists_every_route),
	    cmocka_unit_test(test_every_route_every_identity),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
