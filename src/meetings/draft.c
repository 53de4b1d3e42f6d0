/* The agenda that drafts itself: the area's affairs of the month, read
 * through the other features' public headers, proposed as agenda items
 * that staff then edit. Each item keeps the key of its source, so a
 * second draft (a "refresh") adds only what is new and never touches
 * what staff changed, moved or deleted. */
#include "internal.h"
#include "../base/arena.h"
#include "../base/err.h"
#include "../cases/cases.h"
#include "../base/timeutil.h"
#include "../db/db.h"
#include "../duty/duty.h"
#include "../noise/noise.h"
#include "../plaza/plaza.h"
#include "../web/html.h"
#include "../web/i18n.h"

#include <stdio.h>
#include <string.h>

/* The affairs of the month: the 30 days before the meeting (or before
 * now, when drafting ahead of it). */
#define DRAFT_WINDOW (30 * MEETING_DAY)
#define DRAFT_WEEKS  4 /* the plaza's compliance, weeks */
#define EXCERPT	     24

struct draft {
	struct db *db;
	const struct session *s;
	int64_t area_id, meeting_id;
	const char *lang;
	struct arena *arena;
	int added;
	int rc;
};

static const char *t(struct draft *d, const char *key)
{
	return i18n_t(d->lang, key);
}

static void add(struct draft *d, const char *source, const char *key, const char *link,
		const char *title, const char *detail)
{
	int one = 0;

	if (d->rc)
		return;
	d->rc = agenda_add(d->db, d->s, d->area_id, d->meeting_id, title, detail, source, key, link,
			   &one);
	d->added += one;
}

/* one_line: the first chars characters of text, its line breaks as spaces. */
static const char *one_line(struct draft *d, const char *text, size_t chars)
{
	char *s = (char *)html_excerpt(d->arena, text, chars);
	for (char *p = s; p && *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return s ? s : "";
}

static void draft_cases(struct draft *d, int64_t from, int64_t to, int64_t now)
{
	json_t *affairs = NULL, *c, *o;
	size_t i, k;

	if (d->rc)
		return; /* an earlier source failed: the draft stops there */
	d->rc = cases_affairs(d->db, d->area_id, from, to, &affairs);
	json_array_foreach (json_object_get(affairs, "categories"), i, c) {
		const char *name = json_string_value(
		    json_object_get(c, strcmp(d->lang, "en") ? "name_zh" : "name_en"));
		char title[256], detail[MEETING_TEXT_MAX * 2], key[96], link[96];
		size_t len = 0;
		snprintf(title, sizeof(title), "%s%s%s %lld%s%s %lld", t(d, "meet.draft.cases"),
			 name, t(d, "meet.draft.sep"),
			 (long long)json_integer_value(json_object_get(c, "open")),
			 t(d, "meet.draft.comma"), t(d, "meet.draft.overdue"),
			 (long long)json_integer_value(json_object_get(c, "overdue")));
		len = (size_t)snprintf(detail, sizeof(detail), "%s", t(d, "meet.draft.oldest"));
		json_array_foreach (json_object_get(c, "oldest"), k, o) {
			int64_t days =
			    (now - json_integer_value(json_object_get(o, "created_at"))) /
			    MEETING_DAY;
			if (len < sizeof(detail))
				len += (size_t)snprintf(
				    detail + len, sizeof(detail) - len, "%s#%lld %s (%lld%s)",
				    k ? t(d, "meet.draft.comma") : "",
				    (long long)json_integer_value(json_object_get(o, "id")),
				    one_line(d,
					     json_string_value(json_object_get(o, "description")),
					     EXCERPT),
				    (long long)days, t(d, "meet.draft.days"));
		}
		snprintf(key, sizeof(key), "cases:%s",
			 json_string_value(json_object_get(c, "code")));
		snprintf(link, sizeof(link), "/cases?status=open&category_id=%lld",
			 (long long)json_integer_value(json_object_get(c, "id")));
		add(d, "cases", key, link, title, html_excerpt(d->arena, detail, MEETING_TEXT_MAX));
	}
	json_array_foreach (json_object_get(affairs, "reopened"), i, o) {
		char title[256], key[64], link[64];
		int64_t id = json_integer_value(json_object_get(o, "id"));
		snprintf(
		    title, sizeof(title), "%s#%lld %s", t(d, "meet.draft.reopened"), (long long)id,
		    one_line(d, json_string_value(json_object_get(o, "description")), EXCERPT));
		snprintf(key, sizeof(key), "reopened:%lld", (long long)id);
		snprintf(link, sizeof(link), "/cases/%lld", (long long)id);
		add(d, "reopened", key, link, html_excerpt(d->arena, title, MEETING_TITLE_MAX), "");
	}
	json_array_foreach (json_object_get(affairs, "poorly_rated"), i, o) {
		char title[256], key[64], link[64];
		int64_t id = json_integer_value(json_object_get(o, "id"));
		snprintf(
		    title, sizeof(title), "%s%lld%s#%lld %s", t(d, "meet.draft.rated"),
		    (long long)json_integer_value(json_object_get(o, "rating")),
		    t(d, "meet.draft.stars"), (long long)id,
		    one_line(d, json_string_value(json_object_get(o, "description")), EXCERPT));
		snprintf(key, sizeof(key), "rating:%lld", (long long)id);
		snprintf(link, sizeof(link), "/cases/%lld", (long long)id);
		add(d, "rating", key, link, html_excerpt(d->arena, title, MEETING_TITLE_MAX), "");
	}
	json_decref(affairs);
}

/* The month's noise alerts, counted by the team on the timetable. */
static void draft_noise(struct draft *d, int64_t from)
{
	json_t *alerts = NULL, *a, *by_team = json_object(), *n;
	char title[160], detail[MEETING_TEXT_MAX * 2];
	const char *team;
	size_t i, len = 0;

	if (d->rc || noise_alerts_list(d->db, d->area_id, 0, from, 1000, &alerts) ||
	    !json_array_size(alerts)) {
		json_decref(alerts);
		json_decref(by_team);
		return;
	}
	json_array_foreach (alerts, i, a) {
		const char *teams = json_string_value(json_object_get(a, "teams"));
		const char *k = teams && *teams ? teams : t(d, "meet.draft.no_team");
		n = json_object_get(by_team, k);
		json_object_set_new(by_team, k, json_integer(n ? json_integer_value(n) + 1 : 1));
	}
	snprintf(title, sizeof(title), "%s%zu", t(d, "meet.draft.noise"), json_array_size(alerts));
	detail[0] = '\0';
	json_object_foreach (by_team, team, n)
		if (len < sizeof(detail))
			len += (size_t)snprintf(detail + len, sizeof(detail) - len, "%s%s %lld",
						len ? t(d, "meet.draft.comma") : "", team,
						(long long)json_integer_value(n));
	add(d, "noise", "noise", "/noise/live", title,
	    html_excerpt(d->arena, detail, MEETING_TEXT_MAX));
	json_decref(alerts);
	json_decref(by_team);
}

/* The plaza's compliance by team over the last DRAFT_WEEKS weeks. */
static void draft_plaza(struct draft *d, int64_t ref)
{
	json_t *teams = NULL, *weeks, *w;
	char monday[11], detail[MEETING_TEXT_MAX * 2];
	const char *team, *week;
	size_t len = 0;

	plaza_local(ref - 7 * MEETING_DAY, NULL, NULL, monday);
	if (d->rc || plaza_compliance(d->db, d->area_id, monday, DRAFT_WEEKS, &teams) ||
	    !json_object_size(teams)) {
		json_decref(teams);
		return;
	}
	detail[0] = '\0';
	json_object_foreach (teams, team, weeks) {
		long long sessions = 0, over = 0;
		json_object_foreach (weeks, week, w) {
			sessions += json_integer_value(json_object_get(w, "sessions"));
			over += json_integer_value(json_object_get(w, "minutes_over"));
		}
		if (len < sizeof(detail))
			len += (size_t)snprintf(
			    detail + len, sizeof(detail) - len, "%s%s %s %lld%s %s %lld",
			    len ? t(d, "meet.draft.comma") : "", team, t(d, "meet.draft.sessions"),
			    sessions, t(d, "meet.draft.comma"), t(d, "meet.draft.over"), over);
	}
	add(d, "plaza", "plaza", "/schedule", t(d, "meet.draft.plaza"),
	    html_excerpt(d->arena, detail, MEETING_TEXT_MAX));
	json_decref(teams);
}

/* The body's action items still open from earlier meetings: carried over. */
static void draft_actions(struct draft *d)
{
	json_t *items = NULL, *a;
	size_t i;

	if (d->rc)
		return;
	d->rc = action_open_before(d->db, d->area_id, d->meeting_id, &items);
	json_array_foreach (items, i, a) {
		char title[512], key[64], link[96];
		int64_t id = json_integer_value(json_object_get(a, "id"));
		snprintf(title, sizeof(title), "%s%s (%s%s%s)", t(d, "meet.draft.action"),
			 json_string_value(json_object_get(a, "title")),
			 json_string_value(json_object_get(a, "owner")), t(d, "meet.draft.comma"),
			 json_string_value(json_object_get(a, "due_on")));
		snprintf(key, sizeof(key), "action:%lld", (long long)id);
		snprintf(link, sizeof(link), "/meetings/%lld#action-%lld",
			 (long long)json_integer_value(json_object_get(a, "meeting_id")),
			 (long long)id);
		add(d, "action", key, link, html_excerpt(d->arena, title, MEETING_TITLE_MAX), "");
	}
	json_decref(items);
}

/* Duty (duty/duty.h): the last whole month's shifts, filled, unfilled
 * and missed, with each station's and route's check-ins; and the shifts
 * of the next two weeks with places still open. */
static void draft_duty(struct draft *d, int64_t ref)
{
	struct duty_month f;
	json_t *rows = NULL, *r;
	char month[11], title[256], detail[MEETING_TEXT_MAX * 2], key[32];
	size_t i, len = 0;
	int y, m, day;

	if (d->rc)
		return;
	/* The month before ref's. */
	lin_civil_from_days(lin_local_day(ref, LIN_SHANGHAI_OFFSET), &y, &m, &day);
	if (--m < 1)
		m = 12, y--;
	snprintf(month, sizeof(month), "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
	if (!duty_month_facts(d->db, d->area_id, month, &f) && f.shifts &&
	    !duty_month_stations(d->db, d->area_id, month, &rows)) {
		snprintf(title, sizeof(title), "%s%s%s %lld%s%s %lld%s%s %lld%s%s %lld",
			 t(d, "meet.draft.duty"), month, t(d, "meet.draft.duty_shifts"),
			 (long long)f.shifts, t(d, "meet.draft.comma"), t(d, "meet.draft.unfilled"),
			 (long long)f.unfilled, t(d, "meet.draft.comma"), t(d, "meet.draft.missed"),
			 (long long)f.missed, t(d, "meet.draft.comma"), t(d, "meet.draft.checkins"),
			 (long long)f.checkins);
		detail[0] = '\0';
		json_array_foreach (rows, i, r)
			if (len < sizeof(detail))
				len += (size_t)snprintf(
				    detail + len, sizeof(detail) - len, "%s%s %s %lld",
				    i ? t(d, "meet.draft.comma") : "",
				    json_string_value(json_object_get(r, "name")),
				    t(d, "meet.draft.checkins"),
				    (long long)json_integer_value(json_object_get(r, "checkins")));
		snprintf(key, sizeof(key), "duty:month:%s", month);
		add(d, "duty", key, "/duty", html_excerpt(d->arena, title, MEETING_TITLE_MAX),
		    html_excerpt(d->arena, detail, MEETING_TEXT_MAX));
	}
	json_decref(rows);
	rows = NULL;
	if (d->rc || duty_open_places(d->db, d->area_id, ref, ref + 14 * MEETING_DAY, &rows) ||
	    !json_array_size(rows)) {
		json_decref(rows);
		return;
	}
	snprintf(title, sizeof(title), "%s%zu", t(d, "meet.draft.open_places"),
		 json_array_size(rows));
	len = 0;
	detail[0] = '\0';
	json_array_foreach (rows, i, r)
		if (len < sizeof(detail))
			len += (size_t)snprintf(
			    detail + len, sizeof(detail) - len, "%s%s %s %s %s %lld",
			    i ? t(d, "meet.draft.comma") : "",
			    json_string_value(json_object_get(r, "day")),
			    json_string_value(json_object_get(r, "start")),
			    json_string_value(json_object_get(r, "where")),
			    t(d, "meet.draft.missing"),
			    (long long)json_integer_value(json_object_get(r, "missing")));
	add(d, "duty", "duty:open", "/duty", title,
	    html_excerpt(d->arena, detail, MEETING_TEXT_MAX));
	json_decref(rows);
}

int meeting_draft(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		  int64_t now, const char *lang, int *added)
{
	struct draft d = {.db = db, .s = s, .area_id = area_id, .meeting_id = meeting_id};
	struct arena arena;
	json_t *m = NULL;
	int64_t ref;

	*added = 0;
	arena_init(&arena, 0);
	d.arena = &arena;
	d.rc = meeting_get(db, area_id, meeting_id, &m);
	d.lang = lang && !strcmp(lang, "en") ? "en" : "zh-CN";
	if (!d.rc) {
		int64_t starts = json_integer_value(json_object_get(m, "starts_at"));
		ref = starts < now ? starts : now;
		draft_actions(&d);
		draft_cases(&d, ref - DRAFT_WINDOW, ref, now);
		draft_noise(&d, ref - DRAFT_WINDOW);
		draft_plaza(&d, ref);
		draft_duty(&d, ref);
		if (!d.rc)
			d.rc = meeting_drafted(db, meeting_id, now);
	}
	*added = d.added;
	json_decref(m);
	arena_release(&arena);
	return d.rc;
}
