/* The orienteering race's SQL: checkpoints (with their place on the site
 * plan), teams and their start times, punches at the server's time, and
 * the results read back through the pure race_results (race.c). */
#include "internal.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../web/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RACE_TEAMS_MAX 500 /* teams read back for results */
#define RACE_CODE_MAX  16  /* characters of a checkpoint or team code */

/* code_ok: 1..RACE_CODE_MAX letters, digits or hyphens (printed on a
 * poster, typed on a phone). */
static int code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n < 1 || n > RACE_CODE_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* is_race: 0 for a race of the area, else LIN_ENOTFOUND with *key. */
static int is_race(struct db *db, int64_t area_id, int64_t event_id, struct event_row *e,
		   const char **key)
{
	int rc = event_get(db, area_id, event_id, e);

	if (rc == LIN_ENOTFOUND || (!rc && strcmp(e->kind, "race"))) {
		*key = "events.err.not_race";
		return LIN_ENOTFOUND;
	}
	return rc;
}

int race_checkpoint_add(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
			const char *code, const char *name, int points, int64_t lon, int64_t lat,
			const char **key)
{
	struct event_row e;
	int64_t id = 0, seq = 0;
	int rc;

	*key = NULL;
	rc = is_race(db, area_id, event_id, &e, key);
	if (rc)
		return rc;
	if (!code_ok(code))
		*key = "events.err.cp_code";
	else if (!name || strlen(name) > EVENT_NAME_MAX)
		*key = "events.err.name";
	else if (points < 0 || points > 1000)
		*key = "events.err.points";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (!rc)
		rc = db_query_int64(db,
				    "SELECT COALESCE(MAX(seq), 0) + 1 FROM race_checkpoints"
				    " WHERE event_id = ?",
				    &seq, 1, event_id);
	if (!rc && seq > RACE_MAX_CHECKPOINTS)
		*key = "events.err.too_many_cp", rc = LIN_EINVAL;
	if (!rc)
		rc = db_query_row(
		    db,
		    "INSERT INTO race_checkpoints (area_id, event_id, seq, code, name,"
		    " points, lon, lat) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    &id, "iiittirr", area_id, event_id, seq, code, name, (int64_t)points, lon, lat);
	if (rc && !*key && db_error_is_constraint(db))
		*key = "events.err.code_taken", rc = LIN_ECONFLICT;
	if (!rc)
		rc = events_audit(db, s, area_id, "create", "race_checkpoints", id,
				  json_pack("{s:s, s:I}", "code", code, "seq", (json_int_t)seq));
	return events_finish(db, rc);
}

int race_team_add(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		  const char *code, const char *name, int64_t start_at, const char **key)
{
	struct event_row e;
	int64_t id = 0;
	int rc;

	*key = NULL;
	rc = is_race(db, area_id, event_id, &e, key);
	if (rc)
		return rc;
	if (!code_ok(code))
		*key = "events.err.team_code";
	else if (!name || !*name || strlen(name) > EVENT_NAME_MAX)
		*key = "events.err.name";
	else if (start_at <= 0)
		*key = "events.err.time";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (!rc)
		rc = db_query_row(db,
				  "INSERT INTO race_teams (area_id, event_id, code, name, start_at)"
				  " VALUES (?, ?, ?, ?, ?) RETURNING id",
				  &id, "iitti", area_id, event_id, code, name, start_at);
	if (rc && db_error_is_constraint(db))
		*key = "events.err.code_taken", rc = LIN_ECONFLICT;
	if (!rc)
		rc = events_audit(
		    db, s, area_id, "create", "race_teams", id,
		    json_pack("{s:s, s:I}", "code", code, "start_at", (json_int_t)start_at));
	return events_finish(db, rc);
}

/* team_of: the team with code at event_id: id, start, finish (0). */
static int team_of(struct db *db, int64_t event_id, const char *code, int64_t *id, int64_t *start,
		   int64_t *finished)
{
	struct db_stmt *st = NULL;
	int rc = db_prepare(db,
			    "SELECT id, start_at, COALESCE(finished_at, 0) FROM race_teams"
			    " WHERE event_id = ? AND code = ?",
			    &st);

	if (rc)
		return rc;
	db_bindf(st, "it", event_id, code ? code : "");
	rc = db_step_one(st);
	if (!rc) {
		*id = db_column_int64(st, 0);
		*start = db_column_int64(st, 1);
		*finished = db_column_int64(st, 2);
	}
	db_finalize(st);
	return rc;
}

int race_punch(struct db *db, int64_t area_id, int64_t event_id, const char *cp_code,
	       const char *team_code, int64_t now, const char **key)
{
	struct event_row e;
	struct db_stmt *st = NULL;
	int64_t team = 0, start = 0, finished = 0, cp = 0, seq = 0, last = 0, changed = 0;
	int rc;

	*key = NULL;
	rc = is_race(db, area_id, event_id, &e, key);
	if (rc)
		return rc;
	rc = db_prepare(db, "SELECT id, seq FROM race_checkpoints WHERE event_id = ? AND code = ?",
			&st);
	if (!rc) {
		db_bindf(st, "it", event_id, cp_code ? cp_code : "");
		rc = db_step_one(st);
		if (!rc) {
			cp = db_column_int64(st, 0);
			seq = db_column_int64(st, 1);
		}
		db_finalize(st);
	}
	if (rc == LIN_ENOTFOUND)
		*key = "events.err.cp_unknown";
	if (!rc) {
		rc = team_of(db, event_id, team_code, &team, &start, &finished);
		if (rc == LIN_ENOTFOUND)
			*key = "events.err.team_unknown";
	}
	if (rc)
		return rc;
	if (now < start)
		*key = "events.err.not_started";
	else if (finished) /* once finished, never another punch */
		*key = "events.err.finished";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (!rc)
		rc = db_exec_args(
		    db,
		    "INSERT INTO race_punches (area_id, event_id, team_id, checkpoint_id,"
		    " punched_at) VALUES (?, ?, ?, ?, ?)",
		    NULL, "iiiii", area_id, event_id, team, cp, now);
	if (rc && db_error_is_constraint(db))
		*key = "events.err.punched", rc = LIN_ECONFLICT;
	/* An ordered race's last checkpoint is its finish. */
	if (!rc && !strcmp(e.race_rule, "ordered"))
		rc = db_query_int64(db,
				    "SELECT COALESCE(MAX(seq), 0) FROM race_checkpoints"
				    " WHERE event_id = ?",
				    &last, 1, event_id);
	if (!rc && last && seq == last)
		rc = db_exec_args(db,
				  "UPDATE race_teams SET finished_at = ? WHERE id = ?"
				  " AND finished_at IS NULL",
				  &changed, "ii", now, team);
	return events_finish(db, rc);
}

int race_finish(struct db *db, const struct session *s, int64_t area_id, int64_t event_id,
		const char *team_code, int64_t now, const char **key)
{
	struct event_row e;
	int64_t team = 0, start = 0, finished = 0;
	int rc;

	*key = NULL;
	rc = is_race(db, area_id, event_id, &e, key);
	if (!rc) {
		rc = team_of(db, event_id, team_code, &team, &start, &finished);
		if (rc == LIN_ENOTFOUND)
			*key = "events.err.team_unknown";
	}
	if (rc)
		return rc;
	if (now < start)
		*key = "events.err.not_started";
	else if (finished)
		*key = "events.err.finished";
	if (*key)
		return LIN_EINVAL;
	rc = db_begin(db);
	if (!rc)
		rc = db_exec_args(db, "UPDATE race_teams SET finished_at = ? WHERE id = ?", NULL,
				  "ii", now, team);
	if (!rc)
		rc = events_audit(db, s, area_id, "finish", "race_teams", team,
				  json_pack("{s:I}", "finished_at", (json_int_t)now));
	return events_finish(db, rc);
}

int race_checkpoints_json(struct db *db, int64_t area_id, int64_t event_id, json_t **out)
{
	static const char *const keys[] = {"id",     "seq", "code", "name",
					   "points", "lon", "lat",  NULL};
	return db_query_json(db,
			     "SELECT id, seq, code, name, points, lon, lat FROM race_checkpoints"
			     " WHERE area_id = ? AND event_id = ? ORDER BY seq",
			     keys, "iittiii", out, "ii", area_id, event_id);
}

/* The data race_results reads, loaded once. */
struct race_data {
	struct race_checkpoint cp[RACE_MAX_CHECKPOINTS];
	char cp_code[RACE_MAX_CHECKPOINTS][RACE_CODE_MAX + 1];
	char cp_name[RACE_MAX_CHECKPOINTS][EVENT_NAME_MAX + 1];
	int ncp;
	struct race_team *teams; /* malloc'd */
	char (*names)[EVENT_NAME_MAX + 1];
	char (*codes)[RACE_CODE_MAX + 1];
	int nteams;
	struct race_punch *punches; /* malloc'd, by team */
	int npunches;
};

static void race_data_release(struct race_data *d)
{
	free(d->teams);
	free(d->names);
	free(d->codes);
	free(d->punches);
}

static int race_data_load(struct db *db, int64_t event_id, struct race_data *d)
{
	struct db_stmt *st = NULL;
	int64_t np = 0;
	int rc;

	memset(d, 0, sizeof(*d));
	rc = db_prepare(db,
			"SELECT id, points, code, name FROM race_checkpoints WHERE event_id = ?"
			" ORDER BY seq LIMIT 64",
			&st);
	if (!rc)
		db_bindf(st, "i", event_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		d->cp[d->ncp].id = db_column_int64(st, 0);
		d->cp[d->ncp].points = (int)db_column_int64(st, 1);
		snprintf(d->cp_code[d->ncp], sizeof(d->cp_code[0]), "%s", db_column_text(st, 2));
		snprintf(d->cp_name[d->ncp], sizeof(d->cp_name[0]), "%s", db_column_text(st, 3));
		d->ncp++;
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	rc = db_query_int64(db, "SELECT COUNT(*) FROM race_punches WHERE event_id = ?", &np, 1,
			    event_id);
	if (rc)
		return rc;
	d->teams = calloc(RACE_TEAMS_MAX, sizeof(*d->teams));
	d->names = calloc(RACE_TEAMS_MAX, sizeof(*d->names));
	d->codes = calloc(RACE_TEAMS_MAX, sizeof(*d->codes));
	d->punches = calloc((size_t)np + 1, sizeof(*d->punches));
	if (!d->teams || !d->names || !d->codes || !d->punches)
		return LIN_ENOMEM;
	rc = db_prepare(db,
			"SELECT id, start_at, COALESCE(finished_at, 0), name, code FROM race_teams"
			" WHERE event_id = ? ORDER BY id LIMIT 500",
			&st);
	if (!rc)
		db_bindf(st, "i", event_id);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		struct race_team *t = &d->teams[d->nteams];
		t->id = db_column_int64(st, 0);
		t->start_at = db_column_int64(st, 1);
		t->finished_at = db_column_int64(st, 2);
		snprintf(d->names[d->nteams], sizeof(d->names[0]), "%s", db_column_text(st, 3));
		snprintf(d->codes[d->nteams], sizeof(d->codes[0]), "%s", db_column_text(st, 4));
		d->nteams++;
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		return rc;
	rc = db_prepare(db,
			"SELECT team_id, checkpoint_id, punched_at FROM race_punches"
			" WHERE event_id = ? ORDER BY team_id, punched_at",
			&st);
	if (!rc)
		db_bindf(st, "i", event_id);
	while (!rc && (rc = db_step(st)) == DB_ROW && d->npunches < np) {
		int64_t team = db_column_int64(st, 0);
		struct race_punch *p = &d->punches[d->npunches++];
		p->checkpoint_id = db_column_int64(st, 1);
		p->at = db_column_int64(st, 2);
		for (int i = 0; i < d->nteams; i++)
			if (d->teams[i].id == team) {
				if (!d->teams[i].punches)
					d->teams[i].punches = p;
				d->teams[i].npunches++;
			}
		rc = 0;
	}
	db_finalize(st);
	return rc < 0 ? rc : 0;
}

int race_results_json(struct db *db, int64_t area_id, int64_t event_id, json_t **out)
{
	static const char *const mark_names[] = {"missed", "ok", "wrong_order"};
	struct event_row e;
	struct race_data d;
	struct race_result *r = NULL;
	struct race_rules rules;
	const char *key = NULL;
	json_t *cps, *results;
	int rc;

	*out = NULL;
	rc = is_race(db, area_id, event_id, &e, &key);
	if (rc)
		return rc;
	rc = race_data_load(db, event_id, &d);
	if (!rc) {
		r = calloc((size_t)d.nteams + 1, sizeof(*r));
		if (!r)
			rc = LIN_ENOMEM;
	}
	rules.rule = strcmp(e.race_rule, "score") ? RACE_ORDERED : RACE_SCORE;
	rules.time_limit = e.time_limit;
	rules.penalty_per_minute = e.penalty_per_minute;
	if (!rc && race_results(&rules, d.cp, d.ncp, d.teams, d.nteams, r))
		rc = LIN_EINVAL;
	cps = json_array();
	results = json_array();
	for (int i = 0; !rc && i < d.ncp; i++)
		json_array_append_new(cps, json_pack("{s:i, s:s, s:s, s:i}", "seq", i + 1, "code",
						     d.cp_code[i], "name", d.cp_name[i], "points",
						     d.cp[i].points));
	for (int i = 0; !rc && i < d.nteams; i++) {
		int t = 0;
		json_t *marks = json_array();
		while (t < d.nteams && d.teams[t].id != r[i].team_id)
			t++;
		for (int k = 0; k < d.ncp; k++)
			json_array_append_new(marks, json_string(mark_names[r[i].marks[k]]));
		json_array_append_new(
		    results,
		    json_pack("{s:i, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:I, s:b, s:b, s:i, s:i, "
			      "s:I, s:o}",
			      "rank", r[i].rank, "team", d.names[t], "code", d.codes[t], "found",
			      r[i].found, "points", r[i].points, "penalty", r[i].penalty,
			      "minutes_late", r[i].minutes_late, "score", r[i].score, "elapsed",
			      (json_int_t)r[i].elapsed, "finished", d.teams[t].finished_at != 0,
			      "complete", r[i].complete, "missed", r[i].missed, "wrong_order",
			      r[i].wrong_order, "start_at", (json_int_t)d.teams[t].start_at,
			      "marks", marks));
	}
	if (!rc)
		*out = json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o}", "event_id",
				 (json_int_t)event_id, "title", e.title, "rule", e.race_rule,
				 "time_limit", (json_int_t)e.time_limit, "penalty_per_minute",
				 (json_int_t)e.penalty_per_minute, "checkpoints", cps, "results",
				 results);
	else {
		json_decref(cps);
		json_decref(results);
	}
	free(r);
	race_data_release(&d);
	return rc;
}
