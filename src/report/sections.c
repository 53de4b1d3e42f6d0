/* The monthly report's sections: each reads one feature's figures for a
 * month through that feature's public header and writes them as rows.
 * Adding a section is one function and one line of report_sections[]. */
#include "internal.h"
#include "store.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../duty/duty.h"
#include "../events/events.h"
#include "../hours/hours.h"
#include "../meetings/meetings.h"
#include "../noise/noise.h"
#include "../plaza/plaza.h"
#include "../registry/registry.h"

#include <stdio.h>
#include <string.h>

#define ALERTS_MAX 20000 /* alerts read for one month; more is a broken meter */

/* people: residents and households (today's), Party members and team
 * members (the month's, by their dates). */
static int fill_people(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	struct registry_month g;
	int rc = registry_month(req->db, req->sess.area_id, m->first_day, m->last_day, &g);

	if (rc)
		return rc;
	rc = report_row_add(out, "residents", req_t(req, "report.residents"), REPORT_COUNT, 1,
			    g.residents);
	if (!rc) {
		report_row_last(out)->now_only = 1;
		rc = report_row_add(out, "households", req_t(req, "report.households"),
				    REPORT_COUNT, 1, g.households);
	}
	if (!rc) {
		report_row_last(out)->now_only = 1;
		rc = report_row_add(out, "members", req_t(req, "report.members"), REPORT_COUNT, 1,
				    g.members);
	}
	if (!rc)
		rc = report_row_add(out, "members_new", req_t(req, "report.members_new"),
				    REPORT_COUNT, 1, g.members_new);
	if (!rc)
		rc = report_row_add(out, "team_members", req_t(req, "report.team_members"),
				    REPORT_COUNT, 1, g.team_members);
	return rc;
}

/* cases: received, resolved, overdue at the month's end, satisfaction. */
static int fill_cases(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	struct cases_month c;
	int rc = cases_month(req->db, req->sess.area_id, m->from, m->to, &c);

	if (rc)
		return rc;
	rc = report_row_add(out, "received", req_t(req, "report.cases.received"), REPORT_COUNT, 1,
			    c.received);
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "resolved", req_t(req, "report.cases.resolved"),
				    REPORT_COUNT, 1, c.resolved);
	}
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "overdue", req_t(req, "report.cases.overdue"),
				    REPORT_COUNT, 1, c.overdue);
	}
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "rated", req_t(req, "report.cases.rated"), REPORT_COUNT, 1,
				    c.rated);
	}
	if (!rc)
		rc = report_row_add(out, "rating_mean", req_t(req, "report.cases.rating_mean"),
				    REPORT_MEAN, c.rated > 0,
				    c.rated ? (c.stars * 100 + c.rated / 2) / c.rated : 0);
	if (!rc)
		rc = report_row_add(out, "satisfied", req_t(req, "report.cases.satisfied"),
				    REPORT_PERCENT, c.rated > 0,
				    c.rated ? (c.satisfied * 10000 + c.rated / 2) / c.rated : 0);
	return rc;
}

/* mediation: sessions held and whether they reached an agreement. */
static int fill_mediation(struct http_req *req, const struct report_month *m,
			  struct report_rows *out)
{
	struct cases_month c;
	int rc = cases_month(req->db, req->sess.area_id, m->from, m->to, &c);

	if (rc)
		return rc;
	rc = report_row_add(out, "sessions", req_t(req, "report.mediation.sessions"), REPORT_COUNT,
			    1, c.mediations);
	if (!rc)
		rc = report_row_add(out, "agreements", req_t(req, "report.mediation.agreements"),
				    REPORT_COUNT, 1, c.agreements);
	if (!rc)
		rc =
		    report_row_add(out, "no_agreement", req_t(req, "report.mediation.no_agreement"),
				   REPORT_COUNT, 1, c.mediations - c.agreements);
	return rc;
}

/* team_count adds one to the row keyed prefix + team (created at 0). */
static int team_count(struct report_rows *out, const char *prefix, const char *team,
		      const char *label)
{
	const char *key = arena_printf(out->arena, "%s%s", prefix, team);

	if (!key)
		return LIN_ENOMEM;
	for (int i = 0; i < out->n; i++)
		if (!strcmp(out->row[i].key, key)) {
			out->row[i].value++;
			return 0;
		}
	return report_row_add(out, key, label, REPORT_COUNT, 1, 1);
}

/* noise: alerts opened in the month (and by the team the timetable had
 * on, as the alerts name them), and the plaza's compliance: the sessions
 * a meter measured, the share of the teams measured that stayed under the
 * cap every minute of the month, and each team's minutes over it. */
static int fill_noise(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	json_t *alerts = NULL, *teams = NULL, *a, *t;
	int64_t opened = 0, measured = 0, teams_measured = 0, clean = 0;
	const char *name;
	size_t i;
	int rc = noise_alerts_list(req->db, req->sess.area_id, 0, m->from, ALERTS_MAX, &alerts);

	if (rc)
		goto out;
	json_array_foreach (alerts, i, a) {
		if (json_integer_value(json_object_get(a, "opened_t")) >= m->to)
			continue;
		opened++;
	}
	rc = report_row_add(out, "alerts", req_t(req, "report.noise.alerts"), REPORT_COUNT, 1,
			    opened);
	json_array_foreach (alerts, i, a) {
		const char *list = json_string_value(json_object_get(a, "teams"));
		char one[256];
		if (rc || json_integer_value(json_object_get(a, "opened_t")) >= m->to)
			continue;
		if (!list || !*list) {
			rc =
			    team_count(out, "alerts_team:", "", req_t(req, "report.noise.no_team"));
			continue;
		}
		/* alerts name their teams joined with "、" */
		while (!rc && *list) {
			const char *sep = strstr(list, "、");
			size_t len = sep ? (size_t)(sep - list) : strlen(list);
			snprintf(one, sizeof(one), "%.*s", (int)len, list);
			rc = team_count(out, "alerts_team:", one,
					arena_printf(out->arena, "%s%s",
						     req_t(req, "report.noise.alerts_of"), one));
			list += len + (sep ? strlen("、") : 0);
		}
	}
	if (rc)
		goto out;
	rc = plaza_compliance_between(req->db, req->sess.area_id, m->from, m->to, &teams);
	if (rc)
		goto out;
	json_object_foreach (teams, name, t) {
		int64_t meas = json_integer_value(json_object_get(t, "measured"));
		int64_t over = json_integer_value(json_object_get(t, "minutes_over"));
		measured += meas;
		teams_measured += meas > 0;
		clean += meas > 0 && !over; /* not one minute over the cap all month */
	}
	rc = report_row_add(out, "sessions_measured", req_t(req, "report.noise.measured"),
			    REPORT_COUNT, 1, measured);
	if (!rc)
		rc = report_row_add(
		    out, "teams_compliant", req_t(req, "report.noise.compliant"), REPORT_PERCENT,
		    teams_measured > 0,
		    teams_measured ? (clean * 10000 + teams_measured / 2) / teams_measured : 0);
	json_object_foreach (teams, name, t) {
		if (rc)
			break;
		if (!json_integer_value(json_object_get(t, "measured")))
			continue; /* no meter heard it: nothing to say */
		rc = report_row_add(out, arena_printf(out->arena, "minutes_over:%s", name),
				    arena_printf(out->arena, "%s%s",
						 req_t(req, "report.noise.minutes_over_of"), name),
				    REPORT_COUNT, 1,
				    json_integer_value(json_object_get(t, "minutes_over")));
		if (!rc)
			report_row_last(out)->chart = 1;
	}
out:
	json_decref(alerts);
	json_decref(teams);
	return rc;
}

/* field: the month's station inspections and patrol logs. */
static int fill_field(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	struct field_month f;
	int rc =
	    field_month(req->db, req->sess.area_id, m->first_day, m->last_day, m->from, m->to, &f);

	if (rc)
		return rc;
	rc = report_row_add(out, "inspections", req_t(req, "report.field.inspections"),
			    REPORT_COUNT, 1, f.inspections);
	if (!rc)
		rc = report_row_add(out, "problems", req_t(req, "report.field.problems"),
				    REPORT_COUNT, 1, f.problems);
	if (!rc)
		rc = report_row_add(out, "patrols", req_t(req, "report.field.patrols"),
				    REPORT_COUNT, 1, f.patrols);
	if (!rc)
		rc = report_row_add(out, "observed", req_t(req, "report.field.observed"),
				    REPORT_COUNT, 1, f.observed);
	if (!rc)
		rc = report_row_add(out, "field_cases", req_t(req, "report.field.cases"),
				    REPORT_COUNT, 1, f.cases);
	return rc;
}

/* percent: part of whole in hundredths of a percent, rounded. */
static int64_t percent(int64_t part, int64_t whole)
{
	return whole ? (part * 10000 + whole / 2) / whole : 0;
}

/* duty: the month's shifts (published weeks), places covered, missed
 * check-ins, hours credited; and by team (duty.h). */
static int fill_duty(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	struct duty_month d;
	json_t *teams = NULL, *t;
	size_t i;
	int rc = duty_month_facts(req->db, req->sess.area_id, m->label, &d);

	if (!rc)
		rc = report_row_add(out, "shifts", req_t(req, "report.duty.shifts"), REPORT_COUNT,
				    1, d.shifts);
	if (!rc)
		rc = report_row_add(out, "coverage", req_t(req, "report.duty.coverage"),
				    REPORT_PERCENT, d.places > 0, percent(d.covered, d.places));
	if (!rc)
		rc = report_row_add(out, "unfilled", req_t(req, "report.duty.unfilled"),
				    REPORT_COUNT, 1, d.unfilled);
	if (!rc)
		rc = report_row_add(out, "missed", req_t(req, "report.duty.missed"), REPORT_COUNT,
				    1, d.missed);
	if (!rc)
		rc = report_row_add(out, "checkins", req_t(req, "report.duty.checkins"),
				    REPORT_COUNT, 1, d.checkins);
	if (!rc)
		rc = report_row_add(out, "duty_hours", req_t(req, "report.duty.hours"),
				    REPORT_HOURS, 1, d.minutes);
	if (!rc)
		rc = duty_month_teams(req->db, req->sess.area_id, m->label, &teams);
	json_array_foreach (teams, i, t) {
		const char *name = json_string_value(json_object_get(t, "team"));
		int64_t assigned = json_integer_value(json_object_get(t, "assignments"));
		if (rc)
			break;
		if (!name || !*name)
			name = req_t(req, "report.no_team");
		rc = report_row_add(
		    out, arena_printf(out->arena, "coverage_team:%s", name),
		    arena_printf(out->arena, "%s%s", req_t(req, "report.duty.checked_of"), name),
		    REPORT_PERCENT, assigned > 0,
		    percent(json_integer_value(json_object_get(t, "checkins")), assigned));
		if (!rc)
			rc = report_row_add(out, arena_printf(out->arena, "hours_team:%s", name),
					    arena_printf(out->arena, "%s%s",
							 req_t(req, "report.duty.hours_of"), name),
					    REPORT_HOURS, 1,
					    json_integer_value(json_object_get(t, "minutes")));
	}
	json_decref(teams);
	return rc;
}

/* hours: the month's service hours of every source, and by team. */
static int fill_hours(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	struct hours_month h;
	json_t *teams = NULL, *t;
	size_t i;
	int rc = hours_month(req->db, req->sess.area_id, m->first_day, m->last_day, &h);

	if (!rc)
		rc = report_row_add(out, "minutes", req_t(req, "report.hours.total"), REPORT_HOURS,
				    1, h.minutes);
	if (!rc)
		rc = report_row_add(out, "shift_minutes", req_t(req, "report.hours.shifts"),
				    REPORT_HOURS, 1, h.shift_minutes);
	if (!rc)
		rc = report_row_add(out, "people", req_t(req, "report.hours.people"), REPORT_COUNT,
				    1, h.people);
	if (!rc)
		rc = hours_month_teams(req->db, req->sess.area_id, m->first_day, m->last_day,
				       &teams);
	json_array_foreach (teams, i, t) {
		const char *name = json_string_value(json_object_get(t, "team"));
		if (rc)
			break;
		rc = report_row_add(
		    out, arena_printf(out->arena, "team:%s", name),
		    arena_printf(out->arena, "%s%s", req_t(req, "report.hours.of"), name),
		    REPORT_HOURS, 1, json_integer_value(json_object_get(t, "minutes")));
	}
	json_decref(teams);
	return rc;
}

/* meetings: held, attendance, action items (meetings.h). */
static int fill_meetings(struct http_req *req, const struct report_month *m,
			 struct report_rows *out)
{
	struct meetings_month g;
	int rc = meetings_month_stats(req->db, req->sess.area_id, m->label, &g);

	if (!rc)
		rc = report_row_add(out, "held", req_t(req, "report.meetings.held"), REPORT_COUNT,
				    1, g.held);
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "attendance", req_t(req, "report.meetings.attendance"),
				    REPORT_PERCENT, g.invited > 0, percent(g.present, g.invited));
	}
	if (!rc)
		rc = report_row_add(out, "excused", req_t(req, "report.meetings.excused"),
				    REPORT_COUNT, 1, g.excused);
	if (!rc)
		rc = report_row_add(out, "actions_decided", req_t(req, "report.meetings.decided"),
				    REPORT_COUNT, 1, g.actions_decided);
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "actions_done", req_t(req, "report.meetings.done"),
				    REPORT_COUNT, 1, g.actions_done);
	}
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "actions_open", req_t(req, "report.meetings.open"),
				    REPORT_COUNT, 1, g.actions_open);
	}
	if (!rc)
		rc = report_row_add(out, "actions_late", req_t(req, "report.meetings.late"),
				    REPORT_COUNT, 1, g.actions_late);
	return rc;
}

/* events: held, places, registrations, attendance, no-shows, feedback
 * (events.h). */
static int fill_events(struct http_req *req, const struct report_month *m, struct report_rows *out)
{
	struct events_stats g;
	int rc = events_period_stats(req->db, req->sess.area_id, m->from, m->to, &g);

	if (!rc)
		rc = report_row_add(out, "held", req_t(req, "report.events.held"), REPORT_COUNT, 1,
				    g.events);
	if (!rc)
		rc = report_row_add(out, "capacity", req_t(req, "report.events.capacity"),
				    REPORT_COUNT, 1, g.capacity);
	if (!rc)
		rc = report_row_add(out, "registered", req_t(req, "report.events.registered"),
				    REPORT_COUNT, 1, g.registered);
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "attended", req_t(req, "report.events.attended"),
				    REPORT_COUNT, 1, g.attended);
	}
	if (!rc) {
		report_row_last(out)->chart = 1;
		rc = report_row_add(out, "walk_ins", req_t(req, "report.events.walk_ins"),
				    REPORT_COUNT, 1, g.walk_ins);
	}
	if (!rc)
		rc = report_row_add(out, "no_shows", req_t(req, "report.events.no_shows"),
				    REPORT_COUNT, 1, g.no_shows);
	if (!rc)
		rc = report_row_add(out, "ratings", req_t(req, "report.events.ratings"),
				    REPORT_COUNT, 1, g.ratings);
	if (!rc)
		rc = report_row_add(
		    out, "rating", req_t(req, "report.events.rating"), REPORT_MEAN, g.ratings > 0,
		    g.ratings ? ((int64_t)g.rating_sum * 100 + g.ratings / 2) / g.ratings : 0);
	return rc;
}

const struct report_section report_sections[] = {
    {"people", "report.s.people", "report.note.people", fill_people},
    {"cases", "report.s.cases", "report.note.cases", fill_cases},
    {"mediation", "report.s.mediation", NULL, fill_mediation},
    {"noise", "report.s.noise", "report.note.noise", fill_noise},
    {"duty", "report.s.duty", "report.note.duty", fill_duty},
    {"field", "report.s.field", "report.note.field", fill_field},
    {"hours", "report.s.hours", NULL, fill_hours},
    {"meetings", "report.s.meetings", "report.note.meetings", fill_meetings},
    {"events", "report.s.events", "report.note.events", fill_events},
    {NULL, NULL, NULL, NULL},
};
