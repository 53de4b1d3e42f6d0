-- Meetings (三会一课, 主题党日, 联席会议), who is invited and who came,
-- the agenda (drafted from the month's affairs, then edited by staff),
-- the minutes and photos, and the action items decided. Times are epoch
-- seconds; days (due_on) are Shanghai days as YYYY-MM-DD.

CREATE TABLE meetings (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	-- party_congress 支部党员大会, branch_committee 支委会, party_group 党小组会,
	-- party_lecture 党课, theme_day 主题党日, joint 联席会议
	kind TEXT NOT NULL,
	-- the body that meets: branch (branch_id: the general branch or a
	-- branch), team (team_id), joint (the area's joint meeting, one body)
	body TEXT NOT NULL,
	branch_id BIGINT REFERENCES branches(id),
	team_id BIGINT REFERENCES teams(id),
	title TEXT NOT NULL,
	place TEXT NOT NULL DEFAULT '',
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	code TEXT NOT NULL,               -- the check-in code shown on the screen
	minutes TEXT NOT NULL DEFAULT '',
	drafted_at BIGINT,                -- when the agenda was first drafted
	created_at BIGINT NOT NULL,
	cancelled INTEGER NOT NULL DEFAULT 0,
	CHECK (ends_at > starts_at),
	UNIQUE (area_id, code)
);
CREATE INDEX meetings_area_start ON meetings (area_id, starts_at);

-- One row per person or unit invited, with their attendance once recorded.
CREATE TABLE meeting_invitees (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	meeting_id BIGINT NOT NULL REFERENCES meetings(id),
	-- member (member_id), team_member (team_member_id), unit (unit_id: its
	-- liaison), user (user_id: an agency's or any named account)
	kind TEXT NOT NULL,
	member_id BIGINT REFERENCES members(id),
	team_member_id BIGINT REFERENCES team_members(id),
	unit_id BIGINT REFERENCES units(id),
	user_id BIGINT REFERENCES users(id),
	resident_id BIGINT REFERENCES residents(id), -- who signs in for them
	name TEXT NOT NULL,
	status TEXT,                      -- NULL (not recorded), present, excused, absent
	reason TEXT NOT NULL DEFAULT '',  -- why excused
	checked_in_at BIGINT,             -- set by a check-in on the phone
	recorded_by TEXT NOT NULL DEFAULT ''
);
CREATE INDEX meeting_invitees_meeting ON meeting_invitees (meeting_id);
CREATE INDEX meeting_invitees_member ON meeting_invitees (member_id);

-- The agenda: drafted items keep the key of their source so a refresh
-- adds only what is new; a deleted item stays as a tombstone so a refresh
-- does not bring it back.
CREATE TABLE agenda_items (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	meeting_id BIGINT NOT NULL REFERENCES meetings(id),
	position BIGINT NOT NULL,
	title TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL,             -- cases, reopened, rating, noise, plaza, action, duty, staff
	source_key TEXT,                  -- e.g. "cases:noise", "action:12"; NULL for staff's own
	link TEXT NOT NULL DEFAULT '',    -- the page it came from
	edited INTEGER NOT NULL DEFAULT 0,
	deleted INTEGER NOT NULL DEFAULT 0,
	UNIQUE (meeting_id, source_key)
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

-- Decisions: what, who (a member or a team), by when, and what became of it.
CREATE TABLE action_items (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	meeting_id BIGINT NOT NULL REFERENCES meetings(id),
	title TEXT NOT NULL,
	owner_member_id BIGINT REFERENCES members(id),
	owner_team_id BIGINT REFERENCES teams(id),
	due_on TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open', -- open, done, dropped
	reason TEXT NOT NULL DEFAULT '',    -- why dropped
	done_on TEXT,                       -- the day it was done
	created_at BIGINT NOT NULL,
	CHECK (owner_member_id IS NOT NULL OR owner_team_id IS NOT NULL)
);
CREATE INDEX action_items_meeting ON action_items (meeting_id);
CREATE INDEX action_items_area ON action_items (area_id, state);

-- Photos of a meeting, stored like case photos (content-addressed files
-- under upload_dir); shown only to those who may read the minutes.
CREATE TABLE meeting_photos (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	meeting_id BIGINT NOT NULL REFERENCES meetings(id),
	sha256 TEXT NOT NULL,
	mime TEXT NOT NULL,
	bytes BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX meeting_photos_meeting ON meeting_photos (meeting_id);
