/* Publishing a week's staggered timetable: build the week from the
 * registry, solve it, have the independent checker verify it, and only then
 * replace the week's published sessions, in one transaction with an audit
 * entry. A timetable the checker refuses is never published. */
#include "publish.h"
#include "instance.h"
#include "../base/err.h"
#include "../base/log.h"
#include "../db/db.h"
#include "../web/audit.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int exec_week(struct db *db, const char *sql, int64_t area_id, const char *monday)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db, sql, &st);

	if (rc)
		return rc;
	db_bind_int64(st, 1, area_id);
	db_bind_text(st, 2, monday);
	rc = db_step(st) < 0 ? LIN_EDB : 0;
	db_finalize(st);
	return rc;
}

/* unplaced_json: teams with fewer sessions than they want, and why. */
static json_t *unplaced_json(const struct plaza_week *w, const struct sched_timetable *tt)
{
	json_t *a = json_array();

	for (int k = 0; k < w->nskipped; k++)
		json_array_append_new(
		    a,
		    json_pack(
			"{s:I, s:s, s:i, s:i, s:s}", "dance_team_id",
			(json_int_t)w->skipped[k].dance_team_id, "team", w->skipped[k].name,
			"wanted", 0, "placed", 0, "reason",
			"未登记声级（10 米处声级、约定音量或声功率），无法排班 no level at 10 m, "
			"agreed volume or sound power on record: cannot be planned"));
	for (int t = 0; t < w->in.nteams; t++) {
		const struct sched_plan *p = &tt->plan[t];
		if (p->count >= w->in.team[t].sessions)
			continue;
		json_array_append_new(a, json_pack("{s:I, s:s, s:i, s:i, s:s}", "dance_team_id",
						   (json_int_t)w->dance_team_id[t], "team",
						   w->in.team[t].name, "wanted",
						   w->in.team[t].sessions, "placed", p->count,
						   "reason", p->reason));
	}
	return a;
}

static int store_week(struct db *db, int64_t area_id, int64_t user_id, const char *actor,
		      const struct plaza_week *w, const struct sched_timetable *tt,
		      const struct sched_check *chk, int64_t *week_id)
{
	struct db_stmt *st = NULL;
	json_t *unplaced = unplaced_json(w, tt);
	char *text = json_dumps(unplaced, JSON_COMPACT);
	char after[256];
	int rc;

	json_decref(unplaced);
	if (!text)
		return LIN_ENOMEM;
	rc = db_begin(db);
	if (rc) {
		free(text);
		return rc;
	}
	rc = exec_week(
	    db,
	    "DELETE FROM schedule_sessions WHERE week_id IN (SELECT id FROM schedule_weeks"
	    " WHERE area_id = ? AND week_start = ?)",
	    area_id, w->monday);
	if (!rc)
		rc =
		    exec_week(db, "DELETE FROM schedule_weeks WHERE area_id = ? AND week_start = ?",
			      area_id, w->monday);
	if (!rc)
		rc = db_prepare(db,
				"INSERT INTO schedule_weeks (area_id, week_start, published_at,"
				" published_by, solver, objective, worst_margin_centi, unplaced)"
				" VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				&st);
	if (!rc) {
		db_bind_int64(st, 1, area_id);
		db_bind_text(st, 2, w->monday);
		db_bind_int64(st, 3, (int64_t)time(NULL));
		if (user_id)
			db_bind_int64(st, 4, user_id);
		else
			db_bind_null(st, 4);
		db_bind_text(st, 5, sched_solver_name(tt->solver));
		db_bind_int64(st, 6, chk->objective);
		db_bind_int64(st, 7,
			      chk->worst_margin_centi == INT64_MAX ? 0 : chk->worst_margin_centi);
		db_bind_text(st, 8, text);
		rc = db_step_one(st);
		if (!rc)
			*week_id = db_column_int64(st, 0);
		db_finalize(st);
		st = NULL;
	}
	for (int t = 0; t < w->in.nteams && !rc; t++) {
		for (int k = 0; k < tt->plan[t].count && !rc; k++) {
			const struct sched_session *s = &tt->plan[t].session[k];
			int start = w->slot_start[s->slot];
			/* Prepared statements are cached: preparing per row is a lookup. */
			rc = db_prepare(
			    db,
			    "INSERT INTO schedule_sessions (week_id, dance_team_id, zone_id,"
			    " day, start_min, end_min, prime) VALUES (?, ?, ?, ?, ?, ?, ?)",
			    &st);
			if (rc)
				break;
			db_bind_int64(st, 1, *week_id);
			db_bind_int64(st, 2, w->dance_team_id[t]);
			db_bind_int64(st, 3, w->zone_id[s->zone]);
			db_bind_int64(st, 4, s->day + 1);
			db_bind_int64(st, 5, start);
			db_bind_int64(st, 6, start + w->hours.slot);
			db_bind_int64(st, 7, (int64_t)((w->in.prime >> s->slot) & 1));
			rc = db_step(st) < 0 ? LIN_EDB : 0;
			db_finalize(st);
		}
	}
	snprintf(after, sizeof(after),
		 "{\"week_start\":\"%s\",\"solver\":\"%s\",\"objective\":%lld,\"placed\":%d,"
		 "\"wanted\":%d}",
		 w->monday, sched_solver_name(tt->solver), (long long)chk->objective, chk->placed,
		 chk->wanted);
	if (!rc) {
		struct audit_entry e = {.user_id = user_id,
					.actor = actor,
					.area_id = area_id,
					.action = "publish",
					.entity = "schedule_weeks",
					.entity_id = *week_id,
					.after_json = after};
		rc = audit_append(db, &e);
	}
	rc = rc ? (db_rollback(db), rc) : db_commit(db);
	free(text);
	return rc;
}

int plaza_publish(struct db *db, int64_t area_id, const char *monday, const struct sched_options *o,
		  int64_t user_id, const char *actor, struct plaza_published *out)
{
	struct plaza_week w;
	struct sched_timetable tt = {0};
	struct sched_check chk;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = plaza_week_build(db, area_id, monday, &w);
	if (rc == LIN_ENOTFOUND) {
		snprintf(out->error, sizeof(out->error),
			 "广场还没有分区，无法排班 the plaza has no zones yet: nothing to plan");
		return rc;
	}
	if (rc == LIN_EINVAL) {
		snprintf(out->error, sizeof(out->error),
			 "傍晚时段在夜间开始前没有可用的时段 the evening has no slot before the "
			 "night begins");
		return rc;
	}
	if (rc)
		return rc;
	rc = sched_solve(&w.in, o, &tt, out->error, sizeof(out->error), out->warning,
			 sizeof(out->warning));
	if (!rc && sched_check(&w.in, &tt, &chk)) {
		/* Never publish what the checker refuses, whoever produced it. */
		snprintf(out->error, sizeof(out->error), "%s", chk.message);
		rc = LIN_EINVAL;
	}
	if (!rc)
		rc = store_week(db, area_id, user_id, actor, &w, &tt, &chk, &out->week_id);
	if (!rc) {
		out->objective = chk.objective;
		out->placed = chk.placed;
		out->wanted = chk.wanted;
		out->worst_margin_centi = chk.worst_margin_centi;
		out->optimal = tt.optimal;
		out->seconds = tt.seconds;
		snprintf(out->solver, sizeof(out->solver), "%s", sched_solver_name(tt.solver));
		log_info("plaza: week %s published: %d of %d sessions, objective %lld (%s)", monday,
			 chk.placed, chk.wanted, (long long)chk.objective, out->solver);
	}
	sched_timetable_release(&tt);
	plaza_week_release(&w);
	return rc;
}
