/* What the meetings folder's files share and no other feature may include:
 * the rules (model.c), the store's functions (store.c), the drafting of
 * the agenda (draft.c) and each file's routes. */
#ifndef LINLI_MEETINGS_INTERNAL_H
#define LINLI_MEETINGS_INTERNAL_H

#include "meetings.h"

#include <jansson.h>
#include <stdint.h>

struct db;
struct session;
struct http_req;
struct http_resp;
struct router;

#define MEETING_TITLE_MAX   120 /* characters */
#define MEETING_TEXT_MAX    500 /* a place, a reason, an agenda item's detail */
#define MEETING_MINUTES_MAX 20000
#define MEETING_CODE_LEN    6 /* digits */
#define MEETING_DAY	    86400

/* ---- model.c: the rules, no I/O ---- */

/* meeting_kind_valid: one of the six kinds (party_congress,
 * branch_committee, party_group, party_lecture, theme_day, joint). */
int meeting_kind_valid(const char *kind);
extern const char *const meeting_kinds[];
/* meeting_body_valid: branch, team or joint. */
int meeting_body_valid(const char *body);
/* attendance_status_valid: present, excused or absent. */
int attendance_status_valid(const char *status);
/* meeting_checkin_window: 0 when a member may check in at now: from
 * MEETING_CHECKIN_EARLY before starts to ends inclusive; -1 too early, 1
 * too late. */
int meeting_checkin_window(int64_t now, int64_t starts, int64_t ends);
/* meeting_local_time: "YYYY-MM-DD" and "HH:MM" (Shanghai) as epoch
 * seconds; LIN_EINVAL for either malformed. */
int meeting_local_time(const char *day, const char *hhmm, int64_t *out);
/* meeting_day_text, meeting_hhmm: t as Shanghai "YYYY-MM-DD", "HH:MM". */
void meeting_day_text(int64_t t, char out[11]);
void meeting_hhmm(int64_t t, char out[6]);
/* meeting_month_range: month "YYYY-MM" as [*from, *to) epoch seconds,
 * Shanghai; LIN_EINVAL when malformed. */
int meeting_month_range(const char *month, int64_t *from, int64_t *to);
/* text_ok: s is present, valid UTF-8, 1..max characters after trimming
 * (min 0 allows empty). */
int meeting_text_ok(const char *s, size_t min, size_t max);

/* agenda_item_check: an agenda item's title (1..MEETING_TITLE_MAX
 * characters), detail (may be NULL) and link (NULL, "", or a path of this
 * site: "/..." but not "//..."). 0, or LIN_EINVAL with *field and *key. */
int agenda_item_check(const char *title, const char *detail, const char *link, const char **field,
		      const char **key);

/* An action item's change: the state machine is open -> done | dropped
 * (with a reason), done or dropped -> open (reopened). */
struct action_change {
	const char *state;  /* NULL: unchanged */
	const char *reason; /* needed to drop */
	const char *due_on; /* NULL: unchanged; YYYY-MM-DD */
	const char *title;  /* NULL: unchanged */
};
/* action_check: 0 or LIN_EINVAL with *field and *key (i18n) naming what
 * is wrong. */
int action_check(const struct action_change *c, const char **field, const char **key);

/* ---- store.c: all the SQL; each write in its own transaction with its
 * audit entry ---- */

struct meeting_in {
	const char *kind, *body;
	int64_t branch_id, team_id; /* the body's, 0 for joint */
	const char *title, *place;
	int64_t starts_at, ends_at;
};
/* meeting_create checks in (the body exists in the area) and writes it
 * with a fresh check-in code. OUT: *id; on LIN_EINVAL *field, *key. */
int meeting_create(struct db *db, const struct session *s, int64_t area_id,
		   const struct meeting_in *in, int64_t *id, const char **field, const char **key);
/* meeting_reschedule moves a meeting still ahead to [starts_at, ends_at)
 * (and place, when not NULL); meeting_cancel calls it off with a reason.
 * Each in its own audited transaction. LIN_EINVAL (with *field, *key for
 * a reschedule; an empty reason for a cancel), LIN_ENOTFOUND, LIN_EPERM
 * when it was called off already, LIN_ECONFLICT when it has begun. */
int meeting_reschedule(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		       const char *place, int64_t starts_at, int64_t ends_at, int64_t now,
		       const char **field, const char **key);
int meeting_cancel(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		   const char *reason, int64_t now);
/* meeting_get: {id, kind, body, branch_id, team_id, body_name, title,
 * place, starts_at, ends_at, code, minutes, drafted_at, cancelled,
 * cancel_reason}. */
int meeting_get(struct db *db, int64_t area_id, int64_t id, json_t **out);
/* meeting_list: the meetings starting in [from, to), oldest first (rows as
 * meeting_get without minutes and code); user_id != 0: only those the
 * user is invited to. */
int meeting_list(struct db *db, int64_t area_id, int64_t from, int64_t to, int64_t user_id,
		 json_t **out);
/* meeting_invitee_of: the invitee row of meeting_id that is user_id (by
 * account or by the resident the account belongs to), 0 if none. */
int meeting_invitee_of(struct db *db, int64_t meeting_id, int64_t user_id, int64_t *invitee);
/* meeting_by_code: the meeting of the area with check-in code. */
int meeting_by_code(struct db *db, int64_t area_id, const char *code, int64_t *id);
/* meeting_invite adds invitees: kind "branch" (every live member of the
 * branch and the branches below it), "team" (its current members),
 * "member", "unit" (its liaison; user_id, when not 0, the account), "user"
 * (an account by id). Someone already invited is skipped. OUT: *added. */
int meeting_invite(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		   const char *kind, int64_t ref_id, int64_t user_id, int *added);
/* meeting_invitees: [{id, kind, member_id, team_member_id, unit_id,
 * user_id, resident_id, name, status, reason, checked_in_at}] by name. */
int meeting_invitees(struct db *db, int64_t meeting_id, json_t **out);
/* attendance_set records one invitee's attendance (staff). LIN_ENOTFOUND:
 * no such invitee of the meeting; LIN_ECONFLICT: not yet held; LIN_EPERM:
 * called off. */
int attendance_set(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		   int64_t invitee_id, const char *status, const char *reason, int64_t now);
/* meeting_checkin marks the invitee present at now; *already when they
 * had checked in before (then nothing changes: idempotent). */
int meeting_checkin(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		    int64_t invitee_id, int64_t now, int *already);
int meeting_minutes_set(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
			const char *minutes);

/* meeting_photo_add records a stored photo (cases_photo_keep) as the
 * meeting's; meeting_photos: [{id, sha256, mime, bytes, created_at}];
 * meeting_photo_has: *n, the meeting's photos named sha256 of type mime. */
int meeting_photo_add(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		      const char *sha256, const char *mime, int64_t bytes);
int meeting_photos(struct db *db, int64_t meeting_id, json_t **out);
int meeting_photo_has(struct db *db, int64_t meeting_id, const char *sha256, const char *mime,
		      int64_t *n);

/* agenda_items: the meeting's items by position ([{id, position, title,
 * detail, source, source_key, link, edited}]), without the deleted ones. */
int agenda_items(struct db *db, int64_t meeting_id, json_t **out);
/* agenda_add appends an item unless one with the same source_key (NULL:
 * staff's own, always added) was ever on the agenda, even deleted. OUT:
 * *added (may be NULL). */
int agenda_add(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
	       const char *title, const char *detail, const char *source, const char *source_key,
	       const char *link, int *added);
/* agenda_edit: op "save" (title, detail), "delete", "up", "down".
 * LIN_ENOTFOUND when the item is not the meeting's. */
int agenda_edit(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		int64_t item_id, const char *op, const char *title, const char *detail);
/* meeting_drafted notes the first draft's time (kept on a refresh). */
int meeting_drafted(struct db *db, int64_t meeting_id, int64_t now);

struct action_in {
	const char *title;
	int64_t owner_member_id, owner_team_id; /* one of them */
	const char *due_on;			/* YYYY-MM-DD */
};
int action_create(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		  const struct action_in *in, int64_t *id, const char **field, const char **key);
int action_update(struct db *db, const struct session *s, int64_t area_id, int64_t id,
		  const struct action_change *c, const char *today, const char **field,
		  const char **key);
/* action_list: [{id, meeting_id, meeting_title, meeting_starts_at, title,
 * owner_member_id, owner_team_id, owner, due_on, state, reason, done_on}]
 * of one meeting (meeting_id) or, with 0, the area's; state NULL for all. */
int action_list(struct db *db, int64_t area_id, int64_t meeting_id, const char *state,
		json_t **out);
/* action_open_before: the items still open of meetings of the same body
 * as meeting_id that started before it. */
int action_open_before(struct db *db, int64_t area_id, int64_t meeting_id, json_t **out);

/* The demo's references (demo.c): the general branch, agencies and
 * property companies for the joint meeting, the demo accounts "member",
 * "liaison" and "agency" (0 when missing), the first members ([{id}]). */
struct meetings_demo_refs {
	int64_t general_branch;
	int64_t units[6];
	int nunits;
	int64_t users[3];
	json_t *members; /* the caller decrefs */
};
int meetings_demo_refs(struct db *db, int64_t area_id, struct meetings_demo_refs *out);
/* meetings_demo_backdate dates a demo meeting's creation, draft and action
 * items at created_at and a third of its check-ins at checked_in_at (the
 * demo writes history now). */
int meetings_demo_backdate(struct db *db, int64_t meeting_id, int64_t created_at,
			   int64_t checked_in_at);

/* ---- draft.c ---- */

/* meeting_draft proposes the agenda from the area's affairs: open and
 * overdue cases by category (the oldest three named), cases reopened or
 * rated poorly, noise alerts, the plaza's compliance by team, the duty
 * shifts' place, the body's action items still open. Items already on
 * the agenda (or deleted from it) are not added again: the first call
 * drafts, later ones only add what is new. OUT: *added. */
int meeting_draft(struct db *db, const struct session *s, int64_t area_id, int64_t meeting_id,
		  int64_t now, const char *lang, int *added);

/* ---- who may see what (pages.c) ---- */

/* meeting_visible: the reader may see the meeting (staff, or invited);
 * meeting_minutes_visible: and its minutes and photos (a branch meeting's
 * only to staff and invited Party members). */
int meeting_visible(struct http_req *req, int64_t meeting_id);
int meeting_minutes_visible(struct http_req *req, json_t *meeting);

/* meetings_checkin checks the reader in with code at the server's time.
 * OUT: *status (200, or 404 no such code, 403 not invited, 409 outside
 * the window), *key the i18n key of the answer, *meeting_id. Returns 0 or
 * a storage error. */
int meetings_checkin(struct http_req *req, const char *code, int *status, const char **key,
		     int64_t *meeting_id);
/* meetings_secretary_rows: meetings_member_counts over the 12 months
 * before now, every member's for staff, only the reader's own line (the
 * member linked to their resident) for anyone else. */
int meetings_secretary_rows(struct http_req *req, json_t **out);

int meetings_api_routes(struct router *r);
int meetings_page_routes(struct router *r, const struct cases_uploads *up);

/* What the page files share (pages.c): a row's text ("" when absent) and
 * number (0), a page begun and ended 200, and a meeting's "YYYY-MM-DD
 * HH:MM–HH:MM" (a route's :id is web's req_param_id). */
struct html;
const char *meeting_str(json_t *o, const char *key);
int64_t meeting_num(json_t *o, const char *key);
void meeting_page_begin(struct http_req *req, struct http_resp *resp, struct html *h,
			const char *title);
int meeting_page_end(struct http_req *req, struct http_resp *resp, struct html *h);
void meeting_when(struct html *h, json_t *m);
/* meeting_back: to the meeting's section (anchor) after a form;
 * meeting_refused: a form's refusal (rc) with key, said plainly. */
int meeting_back(struct http_req *req, struct http_resp *resp, int64_t id, const char *anchor);
int meeting_refused(struct http_req *req, struct http_resp *resp, int rc, const char *key);
/* The handlers of pages_photos.c, pages_checkin.c and pages_secretary.c. */
int meetings_photos_submit(struct http_req *req, struct http_resp *resp);
int meetings_photo_file(struct http_req *req, struct http_resp *resp);
int meetings_photo_view_file(struct http_req *req, struct http_resp *resp);
int meetings_screen_page(struct http_req *req, struct http_resp *resp);
int meetings_checkin_page(struct http_req *req, struct http_resp *resp);
int meetings_checkin_submit(struct http_req *req, struct http_resp *resp);
int meetings_secretary_page(struct http_req *req, struct http_resp *resp);
int meetings_actions_csv(struct http_req *req, struct http_resp *resp);

#endif
