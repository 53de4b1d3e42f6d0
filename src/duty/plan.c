/* A week of duty: shifts generated from the windows, planned with the
 * roster optimiser (src/roster), checked against every hard rule before
 * anything is stored or published, edited by hand and by approved swaps
 * under the same check.
 *
 * The optimiser knows one "trained" flag per volunteer, but a trained
 * sorting guide is not a patrol leader. So a plan is made in two passes,
 * stations first, then routes; what a volunteer already holds (shifts
 * that have started, and the first pass's) becomes their unavailable time,
 * whole days of it, with their weekly limit lowered by as much: the second
 * pass can never break the per-day, per-week or overlap rules. The check
 * of a whole week is exact: one instance of all its shifts with the
 * trained minimum left out, plus that minimum counted per kind here. */
#include "internal.h"
#include "../base/err.h"
#include "../base/timeutil.h"
#include "../db/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the week as loaded ---- */

struct wshift {
	int64_t id, start, end, need, need_trained;
	char kind; /* 's' station, 'r' route */
};
struct wvol {
	int64_t id, max_day, max_week;
	int guide, patrol;
	struct duty_volunteer_in in; /* availability and dates away */
};
struct wassign {
	int64_t id;
	int shift, vol; /* indices */
	int checked_in;
};
struct week {
	char monday[11];
	int64_t t0; /* Monday 00:00 Shanghai */
	int nshifts, nvols, nassign;
	struct wshift *shift;
	struct wvol *vol;
	struct wassign *assign;
};

static void week_release(struct week *w)
{
	free(w->shift);
	free(w->vol);
	free(w->assign);
	memset(w, 0, sizeof(*w));
}

static int find_shift(const struct week *w, int64_t id)
{
	for (int i = 0; i < w->nshifts; i++)
		if (w->shift[i].id == id)
			return i;
	return -1;
}

static int find_vol(const struct week *w, int64_t id)
{
	for (int i = 0; i < w->nvols; i++)
		if (w->vol[i].id == id)
			return i;
	return -1;
}

static int week_load(struct db *db, int64_t area_id, const char *monday, struct week *w)
{
	struct db_stmt *st = NULL;
	int64_t n = 0;
	int rc;

	memset(w, 0, sizeof(*w));
	snprintf(w->monday, sizeof(w->monday), "%s", monday);
	if (duty_day_epoch(monday, &w->t0))
		return LIN_EINVAL;
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM duty_shifts WHERE area_id = ? AND week_start = ?",
			  &n, "it", area_id, monday);
	if (rc)
		return rc;
	w->shift = calloc((size_t)n + 1, sizeof(*w->shift));
	rc = w->shift ? db_prepare(db,
				   "SELECT id, start_at, end_at, need, need_trained,"
				   " station_id IS NULL FROM duty_shifts WHERE area_id = ?"
				   " AND week_start = ? ORDER BY start_at, id",
				   &st)
		      : LIN_ENOMEM;
	if (!rc)
		rc = db_bindf(st, "it", area_id, monday);
	while (!rc && (rc = db_step(st)) == DB_ROW && w->nshifts < n) {
		struct wshift *s = &w->shift[w->nshifts++];
		s->id = db_column_int64(st, 0);
		s->start = db_column_int64(st, 1);
		s->end = db_column_int64(st, 2);
		s->need = db_column_int64(st, 3);
		s->need_trained = db_column_int64(st, 4);
		s->kind = db_column_int64(st, 5) ? 'r' : 's';
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	rc =
	    db_query_int64(db, "SELECT COUNT(*) FROM volunteers WHERE area_id = ?", &n, 1, area_id);
	if (rc)
		goto out;
	w->vol = calloc((size_t)n + 1, sizeof(*w->vol));
	rc = w->vol ? db_prepare(
			  db,
			  "SELECT id, max_per_day, max_per_week, trained_guide,"
			  " trained_patrol, archived FROM volunteers WHERE area_id = ? ORDER BY id",
			  &st)
		    : LIN_ENOMEM;
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	while (!rc && (rc = db_step(st)) == DB_ROW && w->nvols < n) {
		struct wvol *v = &w->vol[w->nvols++];
		v->id = db_column_int64(st, 0);
		/* An archived volunteer keeps the shifts they held, and gets no more. */
		v->max_day = db_column_int64(st, 5) ? 0 : db_column_int64(st, 1);
		v->max_week = db_column_int64(st, 5) ? 0 : db_column_int64(st, 2);
		v->guide = (int)db_column_int64(st, 3);
		v->patrol = (int)db_column_int64(st, 4);
		rc = 0;
	}
	db_finalize(st);
	if (rc < 0)
		goto out;
	for (int i = 0; i < w->nvols && !rc; i++)
		rc = duty_volunteer_read(db, area_id, w->vol[i].id, &w->vol[i].in);
	if (rc)
		goto out;
	rc = db_query_row(db,
			  "SELECT COUNT(*) FROM duty_assignments a JOIN duty_shifts s"
			  " ON s.id = a.shift_id WHERE s.area_id = ? AND s.week_start = ?",
			  &n, "it", area_id, monday);
	if (rc)
		goto out;
	w->assign = calloc((size_t)n + 1, sizeof(*w->assign));
	rc = w->assign
		 ? db_prepare(db,
			      "SELECT a.id, a.shift_id, a.volunteer_id, a.checkin_at IS NOT NULL"
			      " FROM duty_assignments a JOIN duty_shifts s ON s.id = a.shift_id"
			      " WHERE s.area_id = ? AND s.week_start = ? ORDER BY a.id",
			      &st)
		 : LIN_ENOMEM;
	if (!rc)
		rc = db_bindf(st, "it", area_id, monday);
	while (!rc && (rc = db_step(st)) == DB_ROW && w->nassign < n) {
		struct wassign *a = &w->assign[w->nassign];
		a->id = db_column_int64(st, 0);
		a->shift = find_shift(w, db_column_int64(st, 1));
		a->vol = find_vol(w, db_column_int64(st, 2));
		a->checked_in = (int)db_column_int64(st, 3);
		if (a->shift >= 0 && a->vol >= 0)
			w->nassign++;
		rc = 0;
	}
	db_finalize(st);
out:
	if (rc < 0) {
		week_release(w);
		return rc;
	}
	return 0;
}

/* ---- unavailable time ---- */

static int span_cmp(const void *a, const void *b)
{
	const struct roster_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* spans_fit sorts and merges touching spans, then, while there are too
 * many, merges the two closest: a merged span covers more, never less, so
 * the roster stays within the volunteer's real availability. */
static void spans_fit(struct roster_span *s, int *n)
{
	int k = 0;

	qsort(s, (size_t)*n, sizeof(*s), span_cmp);
	for (int i = 0; i < *n; i++) {
		if (k && s[i].start <= s[k - 1].end) {
			if (s[i].end > s[k - 1].end)
				s[k - 1].end = s[i].end;
		} else
			s[k++] = s[i];
	}
	while (k > ROSTER_MAX_SPANS) {
		int best = 0;
		for (int i = 1; i + 1 < k; i++)
			if (s[i + 1].start - s[i].end < s[best + 1].start - s[best].end)
				best = i;
		s[best].end = s[best + 1].end;
		memmove(&s[best + 1], &s[best + 2], (size_t)(k - best - 2) * sizeof(*s));
		k--;
	}
	*n = k;
}

#define SPAN_ROOM 512

/* vol_spans: when volunteer v cannot come in the week: outside the weekly
 * pattern, dates away, and (blocked, one per shift index, may be NULL)
 * whole days holding a shift held elsewhere. */
static void vol_spans(const struct week *w, const struct wvol *v, const unsigned char *day_blocked,
		      struct roster_volunteer *out)
{
	struct roster_span s[SPAN_ROOM];
	int n = 0;

	for (int d = 0; d < 7; d++) {
		int64_t day0 = w->t0 + (int64_t)d * 86400;
		char day[11];
		int has = 0, from = 0, away = 0;
		duty_day_of(day0 + 43200, day);
		for (int i = 0; i < v->in.naway; i++)
			if (strcmp(day, v->in.away[i].first) >= 0 &&
			    strcmp(day, v->in.away[i].last) <= 0)
				away = 1;
		if (away || (day_blocked && day_blocked[d])) {
			if (n < SPAN_ROOM)
				s[n++] = (struct roster_span){day0, day0 + 86400};
			continue;
		}
		for (int i = 0; i < v->in.navail; i++)
			has |= v->in.avail[i].weekday == d + 1;
		if (!has) {
			/* With a pattern, a weekday without a row is a day off;
			 * without any pattern, every day is open. */
			if (v->in.navail && n < SPAN_ROOM)
				s[n++] = (struct roster_span){day0, day0 + 86400};
			continue;
		}
		/* The gaps between the day's rows, in order of start. */
		for (int m = 0; m < 1440;) {
			int next = 1440, end = 0;
			for (int i = 0; i < v->in.navail; i++)
				if (v->in.avail[i].weekday == d + 1 &&
				    v->in.avail[i].start_min >= m &&
				    v->in.avail[i].start_min < next) {
					next = v->in.avail[i].start_min;
					end = v->in.avail[i].end_min;
				}
			from = m;
			if (next > from && n < SPAN_ROOM)
				s[n++] = (struct roster_span){day0 + from * 60, day0 + next * 60};
			m = next == 1440 ? 1440 : end;
		}
	}
	spans_fit(s, &n);
	out->nunavailable = n;
	memcpy(out->unavailable, s, (size_t)n * sizeof(*s));
}

/* ---- instances ---- */

/* build_pass: the instance of one pass: shifts of kind (0: every kind)
 * with index in plan[] set, volunteers with their limits lowered by what
 * they hold of the week's other shifts (held[a] set: assignment a is held
 * fixed). trained: 0 leaves the trained minimum out (the exact check). */
static int build_pass(const struct week *w, char kind, const unsigned char *plan,
		      const unsigned char *held, int trained, struct roster_instance *in,
		      int *shift_map)
{
	int ns = 0, np = 0, rc;

	for (int i = 0; i < w->nshifts; i++)
		ns += plan[i] && (!kind || w->shift[i].kind == kind);
	for (int a = 0; a < w->nassign; a++)
		np += !held[a] && plan[w->assign[a].shift] &&
		      (!kind || w->shift[w->assign[a].shift].kind == kind);
	rc = roster_instance_init(in, ns, w->nvols, np);
	if (rc)
		return rc;
	ns = 0;
	for (int i = 0; i < w->nshifts; i++) {
		shift_map[i] = -1;
		if (!plan[i] || (kind && w->shift[i].kind != kind))
			continue;
		struct roster_shift *s = &in->shift[ns];
		snprintf(s->id, sizeof(s->id), "%lld", (long long)w->shift[i].id);
		s->start = w->shift[i].start;
		s->end = w->shift[i].end;
		s->need = (int)w->shift[i].need;
		s->need_trained = trained ? (int)w->shift[i].need_trained : 0;
		shift_map[i] = ns++;
	}
	for (int v = 0; v < w->nvols; v++) {
		struct roster_volunteer *o = &in->volunteer[v];
		unsigned char blocked[7] = {0};
		int64_t fixed = 0;
		for (int a = 0; a < w->nassign; a++) {
			const struct wassign *x = &w->assign[a];
			if (x->vol != v || !held[a])
				continue;
			int64_t d = (w->shift[x->shift].start - w->t0) / 86400;
			if (d >= 0 && d < 7)
				blocked[d] = 1;
			fixed++;
		}
		snprintf(o->id, sizeof(o->id), "%lld", (long long)w->vol[v].id);
		o->trained = kind == 'r' ? w->vol[v].patrol : w->vol[v].guide;
		if (!trained)
			o->trained = 1;
		o->max_per_day = (int)w->vol[v].max_day;
		o->max_per_week =
		    (int)(w->vol[v].max_week > fixed ? w->vol[v].max_week - fixed : 0);
		vol_spans(w, &w->vol[v], blocked, o);
	}
	np = 0;
	for (int a = 0; a < w->nassign; a++) {
		const struct wassign *x = &w->assign[a];
		if (held[a] || shift_map[x->shift] < 0)
			continue;
		in->previous[np++] = (struct roster_pair){shift_map[x->shift], x->vol};
	}
	in->nprevious = np;
	return 0;
}

/* ---- the exact check of a week ---- */

static int pair_cmp(const void *a, const void *b)
{
	const struct roster_pair *x = a, *y = b;
	if (x->shift != y->shift)
		return x->shift < y->shift ? -1 : 1;
	return x->volunteer < y->volunteer ? -1 : x->volunteer > y->volunteer;
}

/* check_week: every hard rule over the week's assignments as they are in
 * w: one instance of all its shifts (trained minimum left out, every
 * volunteer counted as trained) through roster_check, then the trained
 * minimum per kind. */
static int check_week(const struct week *w, struct duty_err *e)
{
	struct roster_instance in = {0};
	struct roster_result r = {0};
	unsigned char *plan = calloc((size_t)w->nshifts + 1, 1);
	unsigned char *held = calloc((size_t)w->nassign + 1, 1);
	int *map = calloc((size_t)w->nshifts + 1, sizeof(int));
	int *count = calloc((size_t)w->nshifts + 1, sizeof(int));
	int rc = plan && held && map && count ? 0 : LIN_ENOMEM;

	for (int i = 0; !rc && i < w->nshifts; i++)
		plan[i] = 1;
	if (!rc)
		rc = build_pass(w, 0, plan, held, 0, &in, map);
	if (rc)
		goto out;
	in.nprevious = 0;
	r.assign = calloc((size_t)w->nassign + 1, sizeof(*r.assign));
	r.unfilled = calloc((size_t)w->nshifts + 1, sizeof(*r.unfilled));
	if (!r.assign || !r.unfilled) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (int a = 0; a < w->nassign; a++) {
		r.assign[r.nassign++] =
		    (struct roster_pair){map[w->assign[a].shift], w->assign[a].vol};
		count[w->assign[a].shift]++;
	}
	qsort(r.assign, (size_t)r.nassign, sizeof(*r.assign), pair_cmp);
	int *per_vol = calloc((size_t)w->nvols + 1, sizeof(int));
	if (!per_vol) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (int a = 0; a < w->nassign; a++)
		per_vol[w->assign[a].vol]++;
	for (int v = 0; v < w->nvols; v++)
		r.spread += (int64_t)per_vol[v] * per_vol[v];
	free(per_vol);
	for (int i = 0; i < w->nshifts; i++) {
		if (count[i] >= w->shift[i].need)
			r.filled++;
		else
			r.unfilled[r.nunfilled++] =
			    (struct roster_unfilled){map[i], (int)w->shift[i].need - count[i], ""};
	}
	r.covered = r.nassign;
	rc = roster_check(&in, &r, e->detail, sizeof(e->detail));
	if (rc) {
		rc = duty_refuse(e, LIN_EINVAL, "duty.err.rule", "volunteer_id");
		goto out;
	}
	/* The trained minimum, per kind: an untrained volunteer never takes a
	 * place kept for a trained one. */
	for (int i = 0; i < w->nshifts; i++) {
		int untrained = 0;
		for (int a = 0; a < w->nassign; a++) {
			const struct wassign *x = &w->assign[a];
			if (x->shift != i)
				continue;
			untrained += !(w->shift[i].kind == 'r' ? w->vol[x->vol].patrol
							       : w->vol[x->vol].guide);
		}
		if (untrained > w->shift[i].need - w->shift[i].need_trained) {
			snprintf(e->detail, sizeof(e->detail),
				 "班次 %lld 的未受训志愿者占了留给受训者的名额"
				 " shift %lld: an untrained volunteer holds a place kept for a "
				 "trained one",
				 (long long)w->shift[i].id, (long long)w->shift[i].id);
			rc = duty_refuse(e, LIN_EINVAL, "duty.err.rule", "volunteer_id");
			goto out;
		}
	}
out:
	roster_result_release(&r);
	roster_instance_release(&in);
	free(plan);
	free(held);
	free(map);
	free(count);
	return rc;
}

int duty_week_check(struct db *db, int64_t area_id, const char *monday, struct duty_err *e)
{
	struct week w;
	int rc = week_load(db, area_id, monday, &w);

	if (rc)
		return rc;
	rc = check_week(&w, e);
	week_release(&w);
	return rc;
}

/* ---- generating a week ---- */

int duty_week_generate(struct db *db, int64_t area_id, const struct duty_actor *who,
		       const char *monday, int *added)
{
	struct db_stmt *st = NULL;
	int64_t t0;
	int rc;

	*added = 0;
	if (duty_day_epoch(monday, &t0))
		return LIN_EINVAL;
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = db_exec_args(db,
			  "INSERT INTO duty_weeks (area_id, week_start) VALUES (?, ?)"
			  " ON CONFLICT (area_id, week_start) DO NOTHING",
			  NULL, "it", area_id, monday);
	if (!rc)
		rc = db_prepare(db,
				"SELECT w.id, w.station_id, w.route_id, w.weekdays, w.start_min,"
				" w.end_min, w.need, w.need_trained FROM duty_windows w"
				" LEFT JOIN sorting_stations s ON s.id = w.station_id"
				" LEFT JOIN patrol_routes p ON p.id = w.route_id"
				" WHERE w.area_id = ? AND w.archived = 0"
				" AND COALESCE(s.archived, p.archived) = 0 ORDER BY w.id",
				&st);
	if (!rc)
		rc = db_bindf(st, "i", area_id);
	/* Read first: the inserts use the same connection. */
	struct {
		int64_t id, station, route, weekdays, start, end, need, trained;
	} win[256];
	int nwin = 0;
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		if (nwin < 256) {
			win[nwin].id = db_column_int64(st, 0);
			win[nwin].station = db_column_is_null(st, 1) ? 0 : db_column_int64(st, 1);
			win[nwin].route = db_column_is_null(st, 2) ? 0 : db_column_int64(st, 2);
			win[nwin].weekdays = db_column_int64(st, 3);
			win[nwin].start = db_column_int64(st, 4);
			win[nwin].end = db_column_int64(st, 5);
			win[nwin].need = db_column_int64(st, 6);
			win[nwin].trained = db_column_int64(st, 7);
			nwin++;
		}
		rc = 0;
	}
	db_finalize(st);
	rc = rc < 0 ? rc : 0;
	for (int i = 0; !rc && i < nwin; i++)
		for (int d = 0; !rc && d < 7; d++) {
			char day[11];
			int64_t changed = 0;
			if (!(win[i].weekdays >> d & 1))
				continue;
			duty_day_add(monday, d, day);
			int64_t base = t0 + (int64_t)d * 86400;
			rc = db_exec_args(
			    db,
			    "INSERT INTO duty_shifts (area_id, window_id, station_id, route_id,"
			    " week_start, day, start_at, end_at, need, need_trained)"
			    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			    " ON CONFLICT (window_id, day) DO NOTHING",
			    &changed, "iirrttiiii", area_id, win[i].id, win[i].station,
			    win[i].route, monday, day, base + win[i].start * 60,
			    base + win[i].end * 60, win[i].need, win[i].trained);
			*added += (int)changed;
		}
	if (!rc && *added) {
		json_t *after = json_pack("{s:s,s:i}", "week_start", monday, "shifts", *added);
		rc = duty_audit(db, area_id, who, "generate", "duty_shifts", 0, after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	return rc;
}

/* ---- planning ---- */

/* solve_pass plans one kind's shifts and puts the result into w's
 * assignments (replacing the planned shifts' ones). */
static int solve_pass(struct week *w, char kind, const unsigned char *plan, unsigned char **held,
		      struct duty_plan_out *out, char **reasons, int *missing, struct duty_err *e)
{
	struct roster_instance in = {0};
	struct roster_result r = {0};
	struct roster_options o;
	int *map = calloc((size_t)w->nshifts + 1, sizeof(int));
	int rc = map ? 0 : LIN_ENOMEM;
	int any = 0;

	for (int i = 0; i < w->nshifts; i++)
		any |= plan[i] && w->shift[i].kind == kind;
	if (rc || !any)
		goto out;
	rc = build_pass(w, kind, plan, *held, 1, &in, map);
	if (rc)
		goto out;
	roster_options_default(&o);
	o.time_limit = 10;
	rc = roster_solve(&in, &o, &r, e->detail, sizeof(e->detail));
	if (rc) {
		rc = duty_refuse(e, rc, "duty.err.plan", NULL);
		goto out;
	}
	out->solver = r.solver;
	out->kept += r.kept;
	/* The planned shifts' assignments go; the roster's come, held fixed
	 * for the next pass. */
	int k = 0;
	for (int a = 0; a < w->nassign; a++)
		if (map[w->assign[a].shift] < 0) {
			(*held)[k] = (*held)[a];
			w->assign[k++] = w->assign[a];
		}
	w->nassign = k;
	struct wassign *grown = realloc(w->assign, (size_t)(k + r.nassign + 1) * sizeof(*grown));
	unsigned char *h = realloc(*held, (size_t)(k + r.nassign + 1));
	if (!grown || !h) {
		if (grown)
			w->assign = grown;
		if (h)
			*held = h;
		rc = LIN_ENOMEM;
		goto out;
	}
	w->assign = grown;
	*held = h;
	int *back = calloc((size_t)in.nshifts + 1, sizeof(int));
	if (!back) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (int i = 0; i < w->nshifts; i++)
		if (map[i] >= 0)
			back[map[i]] = i;
	for (int i = 0; i < r.nassign; i++) {
		w->assign[w->nassign] =
		    (struct wassign){0, back[r.assign[i].shift], r.assign[i].volunteer, 0};
		h[w->nassign++] = 1;
	}
	for (int i = 0; i < r.nunfilled; i++) {
		int s = back[r.unfilled[i].shift];
		missing[s] = r.unfilled[i].missing;
		free(reasons[s]);
		reasons[s] = strdup(r.unfilled[i].reason);
	}
	free(back);
out:
	free(map);
	roster_result_release(&r);
	roster_instance_release(&in);
	return rc;
}

int duty_week_plan(struct db *db, int64_t area_id, const struct duty_actor *who, const char *monday,
		   int64_t now, struct duty_plan_out *out, struct duty_err *e)
{
	struct week w;
	unsigned char *plan = NULL, *held = NULL;
	char **reasons = NULL;
	int *missing = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->solver = "";
	rc = db_begin(db);
	if (rc)
		return rc;
	rc = week_load(db, area_id, monday, &w);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	if (!w.nshifts) {
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.no_shifts", "week");
		goto out;
	}
	plan = calloc((size_t)w.nshifts + 1, 1);
	held = calloc((size_t)w.nassign + 1, 1);
	reasons = calloc((size_t)w.nshifts + 1, sizeof(char *));
	missing = calloc((size_t)w.nshifts + 1, sizeof(int));
	if (!plan || !held || !reasons || !missing) {
		rc = LIN_ENOMEM;
		goto out;
	}
	/* Shifts that have started keep who they have; the rest are planned. */
	for (int i = 0; i < w.nshifts; i++)
		plan[i] = w.shift[i].start > now;
	for (int a = 0; a < w.nassign; a++)
		held[a] = !plan[w.assign[a].shift];
	rc = solve_pass(&w, 's', plan, &held, out, reasons, missing, e);
	if (!rc)
		rc = solve_pass(&w, 'r', plan, &held, out, reasons, missing, e);
	if (!rc)
		rc = check_week(&w, e);
	if (rc)
		goto out;
	/* Store: of the planned shifts' assignments, those the plan kept stay
	 * (with their swap requests), the others go, the new ones come. */
	for (int i = 0; !rc && i < w.nshifts; i++) {
		struct db_stmt *st = NULL;
		int64_t gone[ROSTER_MAX_NEED * 2];
		int ngone = 0;
		if (!plan[i])
			continue;
		rc = db_prepare(
		    db, "SELECT id, volunteer_id FROM duty_assignments WHERE shift_id = ?", &st);
		if (!rc)
			rc = db_bindf(st, "i", w.shift[i].id);
		while (!rc && (rc = db_step(st)) == DB_ROW) {
			int64_t vol = db_column_int64(st, 1);
			int kept = 0;
			for (int a = 0; a < w.nassign; a++)
				kept |= w.assign[a].shift == i && w.vol[w.assign[a].vol].id == vol;
			if (!kept && ngone < ROSTER_MAX_NEED * 2)
				gone[ngone++] = db_column_int64(st, 0);
			rc = 0;
		}
		db_finalize(st);
		rc = rc < 0 ? rc : 0;
		for (int g = 0; !rc && g < ngone; g++) {
			rc = db_exec_args(db, "DELETE FROM duty_swaps WHERE assignment_id = ?",
					  NULL, "i", gone[g]);
			if (!rc)
				rc = db_exec_args(db, "DELETE FROM duty_assignments WHERE id = ?",
						  NULL, "i", gone[g]);
		}
		if (!rc)
			rc = db_exec_args(db,
					  "UPDATE duty_shifts SET missing = ?, unfilled_reason = ?"
					  " WHERE id = ?",
					  NULL, "iti", (int64_t)missing[i],
					  reasons[i] ? reasons[i] : "", w.shift[i].id);
		out->shifts++;
		out->places += (int)w.shift[i].need;
		out->filled += missing[i] == 0;
	}
	for (int a = 0; !rc && a < w.nassign; a++) {
		const struct wassign *x = &w.assign[a];
		if (!plan[x->shift])
			continue;
		rc = db_exec_args(
		    db,
		    "INSERT INTO duty_assignments (area_id, shift_id, volunteer_id)"
		    " VALUES (?, ?, ?) ON CONFLICT (shift_id, volunteer_id) DO NOTHING",
		    NULL, "iii", area_id, w.shift[x->shift].id, w.vol[x->vol].id);
		out->covered++;
	}
	if (!rc)
		rc = db_exec_args(
		    db,
		    "UPDATE duty_weeks SET planned_at = ?, solver = ? WHERE area_id = ?"
		    " AND week_start = ?",
		    NULL, "itit", now, out->solver, area_id, monday);
	if (!rc) {
		json_t *after =
		    json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:s}", "week_start", monday, "shifts",
			      out->shifts, "filled", out->filled, "places", out->places, "covered",
			      out->covered, "kept", out->kept, "solver", out->solver);
		rc = duty_audit(db, area_id, who, "plan", "duty_weeks", 0, after);
		json_decref(after);
	}
out:
	rc = duty_commit(db, rc);
	for (int i = 0; reasons && i < w.nshifts; i++)
		free(reasons[i]);
	free(reasons);
	free(missing);
	free(plan);
	free(held);
	week_release(&w);
	return rc;
}

int duty_week_publish(struct db *db, int64_t area_id, const struct duty_actor *who,
		      const char *monday, int64_t now, struct duty_err *e)
{
	int64_t changed = 0;
	int rc = db_begin(db);

	if (rc)
		return rc;
	rc = duty_week_check(db, area_id, monday, e);
	if (!rc)
		rc =
		    db_exec_args(db,
				 "UPDATE duty_weeks SET published_at = ?, published_by = ?"
				 " WHERE area_id = ? AND week_start = ? AND planned_at IS NOT NULL",
				 &changed, "irit", now, who->user_id, area_id, monday);
	if (!rc && !changed)
		rc = duty_refuse(e, LIN_ENOTFOUND, "duty.err.not_planned", "week");
	if (!rc) {
		json_t *after = json_pack("{s:s}", "week_start", monday);
		rc = duty_audit(db, area_id, who, "publish", "duty_weeks", 0, after);
		json_decref(after);
	}
	rc = duty_commit(db, rc);
	return rc;
}

/* ---- reading a week ---- */

int duty_week_json(struct db *db, int64_t area_id, const char *monday, char place_kind,
		   int64_t place_id, json_t **out)
{
	struct db_stmt *st = NULL;
	json_t *week, *shifts = json_array(), *by_id = json_object();
	int rc;

	*out = NULL;
	week = json_pack("{s:s,s:n,s:n,s:s}", "week_start", monday, "planned_at", "published_at",
			 "solver", "");
	rc = db_prepare(db,
			"SELECT planned_at, published_at, solver FROM duty_weeks"
			" WHERE area_id = ? AND week_start = ?",
			&st);
	if (!rc)
		rc = db_bindf(st, "it", area_id, monday);
	if (!rc && (rc = db_step_one(st)) == 0) {
		if (!db_column_is_null(st, 0))
			json_object_set_new(week, "planned_at",
					    json_integer(db_column_int64(st, 0)));
		if (!db_column_is_null(st, 1))
			json_object_set_new(week, "published_at",
					    json_integer(db_column_int64(st, 1)));
		json_object_set_new(week, "solver", json_string(db_column_text(st, 2)));
	}
	db_finalize(st);
	if (rc == LIN_ENOTFOUND)
		rc = 0;
	if (!rc)
		rc = db_prepare(
		    db,
		    "SELECT s.id, s.day, s.start_at, s.end_at, CASE WHEN s.station_id IS NULL"
		    " THEN 'route' ELSE 'station' END, COALESCE(s.station_id, s.route_id),"
		    " COALESCE(st.name, p.name), s.need, s.need_trained, s.missing,"
		    " s.unfilled_reason, s.weather_note, s.alerted_at IS NOT NULL"
		    " FROM duty_shifts s LEFT JOIN sorting_stations st ON st.id = s.station_id"
		    " LEFT JOIN patrol_routes p ON p.id = s.route_id"
		    " WHERE s.area_id = ? AND s.week_start = ?"
		    " AND (? = 0 OR (? = 's' AND s.station_id = ?) OR (? = 'r' AND s.route_id = ?))"
		    " ORDER BY COALESCE(st.name, p.name), s.start_at, s.id",
		    &st);
	if (!rc) {
		char k[2] = {place_kind ? place_kind : 'x', 0};
		rc = db_bindf(st, "itititi", area_id, monday, place_id, k, place_id, k, place_id);
	}
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		char a[6], b[6], key[24];
		duty_clock(db_column_int64(st, 2), a);
		duty_clock(db_column_int64(st, 3), b);
		json_t *s = json_pack(
		    "{s:I,s:s,s:I,s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:s,s:s,s:b,s:[]}", "id",
		    (json_int_t)db_column_int64(st, 0), "day", db_column_text(st, 1), "start_at",
		    (json_int_t)db_column_int64(st, 2), "end_at",
		    (json_int_t)db_column_int64(st, 3), "start", a, "end", b, "kind",
		    db_column_text(st, 4), "place_id", (json_int_t)db_column_int64(st, 5), "where",
		    db_column_text(st, 6), "need", (json_int_t)db_column_int64(st, 7),
		    "need_trained", (json_int_t)db_column_int64(st, 8), "missing",
		    (json_int_t)db_column_int64(st, 9), "reason", db_column_text(st, 10), "weather",
		    db_column_text(st, 11), "alerted", (int)db_column_int64(st, 12), "people");
		snprintf(key, sizeof(key), "%lld", (long long)db_column_int64(st, 0));
		json_object_set(by_id, key, s);
		json_array_append_new(shifts, s);
		rc = 0;
	}
	db_finalize(st);
	rc = rc < 0 ? rc : 0;
	if (!rc)
		rc = db_prepare(
		    db,
		    "SELECT a.shift_id, a.id, a.volunteer_id, r.name, CASE WHEN s.station_id IS "
		    "NULL"
		    " THEN v.trained_patrol ELSE v.trained_guide END, a.checkin_at, a.checkout_at,"
		    " a.minutes FROM duty_assignments a JOIN duty_shifts s ON s.id = a.shift_id"
		    " JOIN volunteers v ON v.id = a.volunteer_id"
		    " JOIN residents r ON r.id = v.resident_id"
		    " WHERE s.area_id = ? AND s.week_start = ? ORDER BY r.name, a.id",
		    &st);
	if (!rc)
		rc = db_bindf(st, "it", area_id, monday);
	while (!rc && (rc = db_step(st)) == DB_ROW) {
		char key[24];
		snprintf(key, sizeof(key), "%lld", (long long)db_column_int64(st, 0));
		json_t *s = json_object_get(by_id, key);
		if (s) {
			json_t *p = json_pack(
			    "{s:I,s:I,s:s,s:b,s:o,s:o,s:I}", "assignment_id",
			    (json_int_t)db_column_int64(st, 1), "volunteer_id",
			    (json_int_t)db_column_int64(st, 2), "name", db_column_text(st, 3),
			    "trained", (int)db_column_int64(st, 4), "checkin_at",
			    db_column_is_null(st, 5) ? json_null()
						     : json_integer(db_column_int64(st, 5)),
			    "checkout_at",
			    db_column_is_null(st, 6) ? json_null()
						     : json_integer(db_column_int64(st, 6)),
			    "minutes", (json_int_t)db_column_int64(st, 7));
			json_array_append_new(json_object_get(s, "people"), p);
		}
		rc = 0;
	}
	db_finalize(st);
	rc = rc < 0 ? rc : 0;
	json_decref(by_id);
	json_object_set_new(week, "shifts", shifts);
	if (rc) {
		json_decref(week);
		return rc;
	}
	*out = week;
	return 0;
}
