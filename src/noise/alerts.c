/* Noise alerts: after a meter's readings are stored, each of the area's
 * alert rules reads the new seconds in time order. A rule's metric (LAeq
 * over its window, or a second's maximum at night) above its threshold
 * opens an alert; the alert stays open while the metric stays "loud"
 * (within clear_centi of the threshold) and closes only after quiet_s
 * seconds without being loud. So one noisy evening is one alert.
 *
 * A new alert names the teams the published timetable puts in the meter's
 * zone at that moment and, if the rule says so, files a noise case against
 * each of them (attributed through cases.subject_team_id) or, when that
 * team already has an open noise case, adds an occurrence to it. The
 * handler team of the noise category (the patrol) hears of it through its
 * inbox. */
#include "alerts.h"
#include "ingest.h"
#include "limits.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../cases/cases.h"
#include "../db/db.h"
#include "../plaza/plaza.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_RULES    16
#define MAX_OPENED   8 /* alerts one batch may open per rule */
#define MAX_SCHEDULE 8

struct rule {
	int64_t id;
	char kind[16];
	int64_t window_s, margin, clear, quiet;
	int open_case;
};

struct meter_ctx {
	int64_t id, area_id, zone_id;
	char zone_class[4];
	char name[64];
	int64_t cap_centi; /* the zone's volume cap, -1 when none */
	int64_t day_limit, night_limit;
	struct plaza_hours hours;
};

static int meter_load(struct db *db, int64_t meter_id, struct meter_ctx *m)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT m.area_id, m.zone_class, COALESCE(m.zone_id, 0),"
			    " COALESCE(z.volume_cap_centi, -1), m.name FROM meters m"
			    " LEFT JOIN plaza_zones z ON z.id = m.zone_id WHERE m.id = ?",
			    &st);

	if (rc)
		return rc;
	memset(m, 0, sizeof(*m));
	m->id = meter_id;
	db_bind_int64(st, 1, meter_id);
	rc = db_step_one(st);
	if (!rc) {
		m->area_id = db_column_int64(st, 0);
		snprintf(m->zone_class, sizeof(m->zone_class), "%s", db_column_text(st, 1));
		m->zone_id = db_column_int64(st, 2);
		m->cap_centi = db_column_int64(st, 3);
		snprintf(m->name, sizeof(m->name), "%s", db_column_text(st, 4));
	}
	db_finalize(st);
	if (!rc)
		rc = noise_zone_limits(m->zone_class, &m->day_limit, &m->night_limit);
	if (!rc)
		rc = plaza_hours_get(db, m->area_id, &m->hours);
	return rc;
}

/* rules_load: the live rules of the meter's area that apply to it (one
 * query, so a meter without rules costs one lookup per batch). */
static int rules_load(struct db *db, int64_t meter_id, struct rule *r, int *n)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(
	    db,
	    "SELECT r.id, r.kind, r.window_s, r.margin_centi, r.clear_centi, r.quiet_s,"
	    " r.open_case FROM noise_alert_rules r JOIN meters m ON m.area_id = r.area_id"
	    " WHERE m.id = ? AND r.archived = 0 AND (r.meter_id IS NULL OR r.meter_id = m.id)"
	    " ORDER BY r.id",
	    &st);

	*n = 0;
	if (rc)
		return rc;
	db_bind_int64(st, 1, meter_id);
	while ((rc = db_step(st)) == DB_ROW && *n < MAX_RULES) {
		struct rule *x = &r[(*n)++];
		x->id = db_column_int64(st, 0);
		snprintf(x->kind, sizeof(x->kind), "%s", db_column_text(st, 1));
		x->window_s = db_column_int64(st, 2);
		x->margin = db_column_int64(st, 3);
		x->clear = db_column_int64(st, 4);
		x->quiet = db_column_int64(st, 5);
		x->open_case = (int)db_column_int64(st, 6);
	}
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : rc;
}

/* threshold: the rule's level at second t, or -1 when it does not apply
 * then (lmax_night by day, laeq_cap on a meter whose zone has no cap). */
static int64_t threshold_at(const struct rule *r, const struct meter_ctx *m, int64_t t)
{
	int minute, night;

	plaza_local(t, NULL, &minute, NULL);
	night = plaza_is_night(&m->hours, minute);
	if (!strcmp(r->kind, "laeq_cap"))
		return m->cap_centi < 0 ? -1 : m->cap_centi + r->margin;
	if (!strcmp(r->kind, "laeq_limit"))
		return (night ? m->night_limit : m->day_limit) + r->margin;
	if (!strcmp(r->kind, "lmax_night"))
		return night ? m->night_limit + NOISE_NIGHT_MAX_ALLOWANCE + r->margin : -1;
	return -1;
}

/* metric_at: the rule's level at s[i] in hundredths (LAeq over the window
 * ending with that second, from the seconds present when they cover at
 * least half of it; or the second's maximum), or -1 when too few. */
static int64_t metric_at(const struct rule *r, const struct noise_second *s, const double *energy,
			 size_t i)
{
	size_t lo = i;
	int64_t count;
	double sum;

	if (!strcmp(r->kind, "lmax_night"))
		return s[i].lmax_centi;
	while (lo > 0 && s[lo - 1].t > s[i].t - r->window_s)
		lo--;
	count = (int64_t)(i - lo + 1);
	if (2 * count < r->window_s)
		return -1;
	sum = energy[i + 1] - energy[lo];
	if (sum <= 0)
		return 0;
	return (int64_t)floor(1000.0 * log10(sum / (double)count) + 0.5);
}

static int alert_open_load(struct db *db, int64_t rule_id, int64_t meter_id, struct noise_alert *a)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT id, opened_t, last_over_t, threshold_centi, peak_centi"
		       " FROM noise_alerts WHERE rule_id = ? AND meter_id = ? AND closed_t IS NULL"
		       " ORDER BY id DESC LIMIT 1",
		       &st);

	memset(a, 0, sizeof(*a));
	if (rc)
		return rc;
	db_bind_int64(st, 1, rule_id);
	db_bind_int64(st, 2, meter_id);
	rc = db_step_one(st);
	if (!rc) {
		a->id = db_column_int64(st, 0);
		a->opened_t = db_column_int64(st, 1);
		a->last_loud_t = db_column_int64(st, 2);
		a->threshold = db_column_int64(st, 3);
		a->peak = db_column_int64(st, 4);
		a->open = 1;
	}
	db_finalize(st);
	return rc == LIN_ENOTFOUND ? 0 : rc;
}

/* alert_write inserts a (new) alert, or updates it; closed_t < 0: open. */
static int alert_write(struct db *db, const struct meter_ctx *m, const struct rule *r,
		       struct noise_alert *a, int64_t closed_t)
{
	struct db_stmt *st = NULL;
	int rc;

	if (a->id && closed_t < 0)
		return db_exec_args(
		    db, "UPDATE noise_alerts SET last_over_t = ?, peak_centi = ? WHERE id = ?",
		    NULL, "iii", a->last_loud_t, a->peak, a->id);
	if (a->id)
		return db_exec_args(
		    db,
		    "UPDATE noise_alerts SET last_over_t = ?, peak_centi = ?, closed_t = ?"
		    " WHERE id = ?",
		    NULL, "iiii", a->last_loud_t, a->peak, closed_t, a->id);
	rc = db_prepare(db,
			"INSERT INTO noise_alerts (area_id, rule_id, meter_id, zone_id, opened_t,"
			" last_over_t, closed_t, threshold_centi, peak_centi, teams)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st);
	if (rc)
		return rc;
	db_bind_int64(st, 1, m->area_id);
	db_bind_int64(st, 2, r->id);
	db_bind_int64(st, 3, m->id);
	if (m->zone_id)
		db_bind_int64(st, 4, m->zone_id);
	else
		db_bind_null(st, 4);
	db_bind_int64(st, 5, a->opened_t);
	db_bind_int64(st, 6, a->last_loud_t);
	if (closed_t < 0)
		db_bind_null(st, 7);
	else
		db_bind_int64(st, 7, closed_t);
	db_bind_int64(st, 8, a->threshold);
	db_bind_int64(st, 9, a->peak);
	db_bind_text(st, 10, "");
	rc = db_step_one(st);
	if (!rc)
		a->id = db_column_int64(st, 0);
	db_finalize(st);
	return rc;
}

static void format_when(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)(t + PLAZA_TZ_OFFSET);
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100);
}

/* file_case: a new noise case about team_id (0: no team scheduled), or an
 * occurrence on the team's open one. OUT: *case_id. */
static int file_case(struct db *db, const struct meter_ctx *m, const struct rule *r,
		     const struct noise_alert *a, const struct plaza_session *who, int64_t *case_id)
{
	struct case_who system = {{ACTOR_SYSTEM, ROLE_NONE}, NULL, "噪声监测 noise meter"};
	char when[32], level[24], limit[24], text[600], code[TRACKING_CODE_LEN + 1];
	const char *err_field = NULL, *err_key = NULL;
	int64_t existing = 0;
	int rc;

	format_when(a->opened_t, when, sizeof(when));
	snprintf(level, sizeof(level), "%.1f", (double)a->peak / 100.0);
	snprintf(limit, sizeof(limit), "%.1f", (double)a->threshold / 100.0);
	snprintf(text, sizeof(text),
		 "噪声告警：%s 于 %s 测得 %s dB(A)，超过 %s dB(A)（%s）。当时排班：%s。\n"
		 "Noise alert: %s measured %s dB(A) at %s, above %s dB(A) (%s). Scheduled: %s.",
		 m->name, when, level, limit, r->kind, who ? who->team : "无 none", m->name, level,
		 when, limit, r->kind, who ? who->team : "none");
	if (who) {
		rc = cases_team_open(db, m->area_id, who->team_id, "noise", &existing);
		if (rc)
			return rc;
	}
	if (existing) {
		rc =
		    case_recur_notify(db, m->area_id, existing, &system, text, "noise.inbox.again");
		*case_id = existing;
		return rc;
	}
	{
		json_t *answers =
		    json_pack("{s:s, s:s}", "source", who ? "square_dance" : "other", "now", "yes");
		struct case_new in = {
		    .area_id = m->area_id,
		    .category = "noise",
		    .description = text,
		    .plan_x = -1,
		    .plan_y = -1,
		    .lat_e6 = INT64_MIN,
		    .lon_e6 = INT64_MIN,
		    .address = who ? who->zone : m->name,
		    .reporter_name = m->name,
		    .reporter_phone = "",
		    .reporter_email = "",
		    .channel = "meter",
		    .answers = answers,
		    .subject_team_id = who ? who->team_id : 0,
		};
		rc = cases_open(db, NULL, &in, case_id, code, &err_field, &err_key);
		json_decref(answers);
		if (rc) {
			log_error("noise: alert %lld could not open a case: %s %s",
				  (long long)a->id, err_field ? err_field : "",
				  err_key ? err_key : lin_strerror(rc));
			return rc;
		}
	}
	return 0;
}

/* alert_opened: teams, cases and the alert's own record of them. */
static int alert_opened(struct db *db, const struct meter_ctx *m, const struct rule *r,
			struct noise_alert *a)
{
	struct plaza_session on[MAX_SCHEDULE];
	char teams[512] = "";
	int n = 0, rc;
	int64_t first_case = 0;

	rc = plaza_sessions_at(db, m->area_id, m->zone_id, a->opened_t, on, MAX_SCHEDULE, &n);
	if (rc)
		return rc;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(teams);
		snprintf(teams + len, sizeof(teams) - len, "%s%s", i ? "、" : "", on[i].team);
	}
	if (n) {
		struct db_stmt *st = NULL;
		rc = db_prepare(db, "UPDATE noise_alerts SET teams = ? WHERE id = ?", &st);
		if (rc)
			return rc;
		db_bind_text(st, 1, teams);
		db_bind_int64(st, 2, a->id);
		rc = db_step(st) < 0 ? LIN_EDB : 0;
		db_finalize(st);
		if (rc)
			return rc;
	}
	if (!r->open_case)
		return 0;
	for (int i = 0; i < (n ? n : 1) && !rc; i++) {
		int64_t case_id = 0;
		rc = file_case(db, m, r, a, n ? &on[i] : NULL, &case_id);
		if (!rc && !first_case)
			first_case = case_id;
	}
	if (!rc && first_case)
		rc = db_exec_args(db, "UPDATE noise_alerts SET case_id = ? WHERE id = ?", NULL,
				  "ii", first_case, a->id);
	return rc;
}

int noise_alert_step(struct noise_alert *a, int64_t t, int64_t v, int64_t th, int64_t clear,
		     int64_t quiet, int64_t *closed_t)
{
	int what = 0;

	/* Quiet long enough: the alert ends where the quiet began + quiet. */
	if (a->open && t - a->last_loud_t >= quiet) {
		*closed_t = a->last_loud_t + quiet;
		a->open = 0;
		what |= NOISE_ALERT_CLOSED;
	}
	if (v < 0)
		return what;
	if (a->open) {
		if (v > a->threshold - clear)
			a->last_loud_t = t;
		if (v > a->peak)
			a->peak = v;
	} else if (th >= 0 && v > th) {
		*a = (struct noise_alert){0, t, t, th, v, 1};
		what |= NOISE_ALERT_OPENED;
	}
	return what;
}

/* rule_run reads seconds s[0..n) with from <= t <= to for one rule. */
static int rule_run(struct db *db, const struct meter_ctx *m, const struct rule *r,
		    const struct noise_second *s, const double *energy, size_t n, int64_t from,
		    int64_t to)
{
	struct noise_alert a, opened[MAX_OPENED];
	int nopened = 0, rc;
	int64_t evaluated = from - 1;

	rc = db_query_int64(db,
			    "SELECT COALESCE(MAX(evaluated_t), ?) FROM noise_alert_state"
			    " WHERE rule_id = ? AND meter_id = ?",
			    &evaluated, 3, from - 1, r->id, m->id);
	if (rc)
		return rc;
	if (evaluated >= to)
		return 0;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = alert_open_load(db, r->id, m->id, &a);
	for (size_t i = 0; i < n && !rc; i++) {
		int64_t t = s[i].t, th, v;
		if (t <= evaluated || t < from || t > to)
			continue;
		struct noise_alert before = a;
		int64_t closed_t = 0;
		th = threshold_at(r, m, t);
		v = th < 0 ? -1 : metric_at(r, s, energy, i);
		int step = noise_alert_step(&a, t, v, th, r->clear, r->quiet, &closed_t);
		if (step & NOISE_ALERT_CLOSED)
			rc = alert_write(db, m, r, &before, closed_t);
		if (!rc && (step & NOISE_ALERT_OPENED)) {
			rc = alert_write(db, m, r, &a, -1);
			if (!rc && nopened < MAX_OPENED)
				opened[nopened++] = a;
		}
	}
	if (!rc && a.open)
		rc = alert_write(db, m, r, &a, -1);
	if (!rc)
		rc = db_exec_args(
		    db, "DELETE FROM noise_alert_state WHERE rule_id = ? AND meter_id = ?", NULL,
		    "ii", r->id, m->id);
	if (!rc)
		rc = db_exec_args(db,
				  "INSERT INTO noise_alert_state (rule_id, meter_id, evaluated_t)"
				  " VALUES (?, ?, ?)",
				  NULL, "iii", r->id, m->id, to);
	rc = rc ? (db_rollback(db), rc) : db_commit(db);
	/* Cases are filed after the alert is safely recorded (they have their
	 * own transactions); a failure there is logged, the alert stays. */
	for (int k = 0; k < nopened && !rc; k++) {
		int crc = alert_opened(db, m, r, &opened[k]);
		if (crc)
			log_error("noise: alert %lld: teams or case not recorded: %s",
				  (long long)opened[k].id, lin_strerror(crc));
		else
			log_info("noise: alert %lld opened on meter %s (%.1f dB over %.1f)",
				 (long long)opened[k].id, m->name, opened[k].peak / 100.0,
				 opened[k].threshold / 100.0);
	}
	return rc;
}

int noise_alerts_check(struct db *db, int64_t meter_id, int64_t from, int64_t to)
{
	struct meter_ctx m;
	struct rule rules[MAX_RULES];
	struct noise_second *s = NULL;
	double *energy = NULL;
	int nrules = 0, rc;
	int64_t window = 1;
	size_t n = 0;

	rc = rules_load(db, meter_id, rules, &nrules);
	if (rc || !nrules)
		return rc;
	rc = meter_load(db, meter_id, &m);
	if (rc)
		return rc;
	for (int i = 0; i < nrules; i++)
		if (rules[i].window_s > window)
			window = rules[i].window_s;
	rc = noise_seconds(db, meter_id, from - window, to + 1, &s, &n);
	if (rc)
		return rc;
	energy = malloc((n + 1) * sizeof(*energy));
	if (!energy) {
		free(s);
		return LIN_ENOMEM;
	}
	/* Prefix sums of energy: a window's LAeq is one subtraction. */
	energy[0] = 0;
	for (size_t i = 0; i < n; i++)
		energy[i + 1] = energy[i] + pow(10.0, (double)s[i].laeq_centi / 1000.0);
	for (int i = 0; i < nrules && !rc; i++)
		rc = rule_run(db, &m, &rules[i], s, energy, n, from, to);
	free(energy);
	free(s);
	return rc;
}

int noise_alerts_list(struct db *db, int64_t area_id, int64_t meter_id, int64_t since, int limit,
		      json_t **out)
{
	struct db_stmt *st = NULL;
	int rc =
	    db_prepare(db,
		       "SELECT a.id, a.meter_id, m.name, r.name, r.kind, a.opened_t, a.closed_t,"
		       " a.threshold_centi, a.peak_centi, a.teams, a.case_id, a.last_over_t"
		       " FROM noise_alerts a JOIN meters m ON m.id = a.meter_id"
		       " JOIN noise_alert_rules r ON r.id = a.rule_id"
		       " WHERE a.area_id = ? AND (? = 0 OR a.meter_id = ?) AND a.opened_t >= ?"
		       " ORDER BY a.opened_t DESC, a.id DESC LIMIT ?",
		       &st);

	*out = NULL;
	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_int64(st, 2, meter_id);
	db_bind_int64(st, 3, meter_id);
	db_bind_int64(st, 4, since);
	db_bind_int64(st, 5, limit);
	*out = json_array();
	while ((rc = db_step(st)) == DB_ROW) {
		json_t *a = json_pack(
		    "{s:I, s:I, s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:s}", "id",
		    (json_int_t)db_column_int64(st, 0), "meter_id",
		    (json_int_t)db_column_int64(st, 1), "meter", db_column_text(st, 2), "rule",
		    db_column_text(st, 3), "kind", db_column_text(st, 4), "opened_t",
		    (json_int_t)db_column_int64(st, 5), "last_loud_t",
		    (json_int_t)db_column_int64(st, 11), "threshold",
		    (double)db_column_int64(st, 7) / 100.0, "peak",
		    (double)db_column_int64(st, 8) / 100.0, "teams", db_column_text(st, 9));
		json_object_set_new(
		    a, "closed_t",
		    db_column_is_null(st, 6) ? json_null() : json_integer(db_column_int64(st, 6)));
		json_object_set_new(a, "case_id",
				    db_column_is_null(st, 10)
					? json_null()
					: json_integer(db_column_int64(st, 10)));
		json_array_append_new(*out, a);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		json_decref(*out);
		*out = NULL;
		return rc < 0 ? rc : LIN_EDB;
	}
	return 0;
}
