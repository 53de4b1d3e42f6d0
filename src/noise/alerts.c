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

#define MAX_OPENED   8 /* alerts one batch may open per rule */
#define MAX_SCHEDULE 8

/* threshold: the rule's level at second t, or -1 when it does not apply
 * then (lmax_night by day, laeq_cap on a meter whose zone has no cap). */
static int64_t threshold_at(const struct alert_rule *r, const struct alert_meter *m, int64_t t)
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
static int64_t metric_at(const struct alert_rule *r, const struct noise_second *s,
			 const double *energy, size_t i)
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

static void format_when(int64_t t, char *out, size_t n)
{
	time_t tt = (time_t)(t + PLAZA_TZ_OFFSET);
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", (tm.tm_year + 1900) % 10000,
		 (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100);
}

/* rule_words: which limit a rule watches, as the case text names it
 * (zh-CN, or English when en). */
static const char *rule_words(const char *kind, int en)
{
	if (!strcmp(kind, "laeq_cap"))
		return en ? "the zone's volume cap" : "场地音量上限";
	if (!strcmp(kind, "lmax_night"))
		return en ? "the night maximum" : "夜间最大声级限值";
	return en ? "the GB 3096 limit" : "GB 3096 限值";
}

/* file_case: a new noise case about team_id (0: no team scheduled), or an
 * occurrence on the team's open one. OUT: *case_id. */
static int file_case(struct db *db, const struct alert_meter *m, const struct alert_rule *r,
		     const struct noise_alert *a, const struct plaza_session *who, int64_t *case_id)
{
	struct case_who system = {{ACTOR_SYSTEM, ROLE_NONE}, NULL, "噪声监测 noise meter"};
	char when[32], limit[24], text[600], code[TRACKING_CODE_LEN + 1];
	const char *err_field = NULL, *err_key = NULL;
	int64_t existing = 0;
	int rc;

	format_when(a->opened_t, when, sizeof(when));
	/* The case opens when the level first crosses the limit: the peak and
	 * how long it lasted are not known yet. The case page reads them from
	 * the alert as it goes on (noise_alerts_of_case), so the text says
	 * only what is true for good: where, from when, which limit. */
	snprintf(limit, sizeof(limit), "%.1f", (double)a->threshold / 100.0);
	snprintf(text, sizeof(text),
		 "噪声告警：%s 自 %s 起超过%s %s dB(A)。当时排班：%s。\n"
		 "Noise alert: %s above %s of %s dB(A) from %s. Scheduled: %s.",
		 m->name, when, rule_words(r->kind, 0), limit, who ? who->team : "无", m->name,
		 rule_words(r->kind, 1), limit, when, who ? who->team : "none");
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
static int alert_opened(struct db *db, const struct alert_meter *m, const struct alert_rule *r,
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
	if (n && (rc = alerts_set_teams(db, a->id, teams)))
		return rc;
	if (!r->open_case)
		return 0;
	for (int i = 0; i < (n ? n : 1) && !rc; i++) {
		int64_t case_id = 0;
		rc = file_case(db, m, r, a, n ? &on[i] : NULL, &case_id);
		if (!rc && !first_case)
			first_case = case_id;
	}
	if (!rc && first_case)
		rc = alerts_set_case(db, a->id, first_case);
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
static int rule_run(struct db *db, const struct alert_meter *m, const struct alert_rule *r,
		    const struct noise_second *s, const double *energy, size_t n, int64_t from,
		    int64_t to)
{
	struct noise_alert a, opened[MAX_OPENED];
	int nopened = 0, rc;
	int64_t evaluated = from - 1;
	char lock[64];

	rc = db_begin(db);
	if (rc)
		return rc;
	/* Batches of one meter stored at once by two servers (or two threads)
	 * would both start from the same open alert and the same watermark:
	 * on PostgreSQL the second then failed on noise_alert_state's key and
	 * its seconds were never judged. The second waits here and reads what
	 * the first wrote. */
	snprintf(lock, sizeof(lock), "noise-alerts-%lld-%lld", (long long)r->id, (long long)m->id);
	rc = db_lock(db, lock);
	if (!rc)
		rc = alerts_evaluated(db, r->id, m->id, from - 1, &evaluated);
	if (!rc && evaluated >= to) {
		db_rollback(db);
		return 0;
	}
	if (!rc)
		rc = alerts_open_load(db, r->id, m->id, &a);
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
			rc = alerts_write(db, m, r, &before, closed_t);
		if (!rc && (step & NOISE_ALERT_OPENED)) {
			rc = alerts_write(db, m, r, &a, -1);
			if (!rc && nopened < MAX_OPENED)
				opened[nopened++] = a;
		}
	}
	if (!rc && a.open)
		rc = alerts_write(db, m, r, &a, -1);
	if (!rc)
		rc = alerts_evaluated_set(db, r->id, m->id, to);
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
	struct alert_meter m;
	struct alert_rule rules[ALERTS_MAX_RULES];
	struct noise_second *s = NULL;
	double *energy = NULL;
	int nrules = 0, rc;
	int64_t window = 1;
	size_t n = 0;

	rc = alerts_rules_load(db, meter_id, rules, &nrules);
	if (rc || !nrules)
		return rc;
	rc = alerts_meter_load(db, meter_id, &m);
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
