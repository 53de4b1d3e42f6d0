-- Events (讲座, 课堂, 游戏, 定向赛) run by a team, a unit or the committee:
-- registration with capacity and a wait list, QR check-in, walk-ins,
-- feedback; and the orienteering race's checkpoints, teams and punches.
-- Times are epoch seconds (UTC). Written only by src/events/store.c.

CREATE TABLE events (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	kind TEXT NOT NULL,               -- lecture, class, game, race
	title TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	-- who runs it: committee, team (team_id) or unit (unit_id)
	organiser TEXT NOT NULL DEFAULT 'committee',
	team_id BIGINT REFERENCES teams(id),
	unit_id BIGINT REFERENCES units(id),
	place TEXT NOT NULL DEFAULT '',
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	-- all (every resident), children (a child with a guardian), members
	audience TEXT NOT NULL DEFAULT 'all',
	capacity BIGINT NOT NULL,
	registered BIGINT NOT NULL DEFAULT 0, -- confirmed places taken (never > capacity)
	opens_at BIGINT NOT NULL,         -- registration window [opens_at, closes_at)
	closes_at BIGINT NOT NULL,
	-- the co-building project this event carries out (0024_cobuild.sql)
	project_id BIGINT REFERENCES cobuild_projects(id),
	-- race rules: ordered (every checkpoint in order) or score (points
	-- per checkpoint, time limit, penalty per started minute late)
	race_rule TEXT NOT NULL DEFAULT 'ordered',
	time_limit BIGINT NOT NULL DEFAULT 0,     -- seconds, score events
	penalty_per_minute BIGINT NOT NULL DEFAULT 0,
	cancelled INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	CHECK (capacity >= 0 AND registered >= 0 AND registered <= capacity),
	CHECK (ends_at > starts_at AND closes_at > opens_at)
);
CREATE INDEX events_area_start ON events (area_id, starts_at);

-- One row per person registered, waiting, cancelled or walked in, in
-- order of arrival (id: the wait list's order). A phone
-- or user holds one live registration per event (the unique indexes below
-- plus the store's check); children registered by a guardian carry the
-- guardian's registration in guardian_id.
CREATE TABLE event_registrations (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	event_id BIGINT NOT NULL REFERENCES events(id),
	user_id BIGINT REFERENCES users(id),
	name TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',   -- stored whole, shown masked
	guardian_id BIGINT REFERENCES event_registrations(id),
	-- confirmed, waiting, cancelled, walk_in
	status TEXT NOT NULL,
	code TEXT NOT NULL,               -- the check-in code in the QR
	checked_in_at BIGINT,
	promoted_at BIGINT,               -- moved from the wait list
	created_at BIGINT NOT NULL,
	rating INTEGER,                   -- feedback 1..5
	comment TEXT NOT NULL DEFAULT '',
	-- the live key: the phone (or "u" and the account) and the name while
	-- confirmed or waiting, NULL once cancelled (so one may register again)
	live_key TEXT,
	UNIQUE (event_id, code)
);
CREATE INDEX event_registrations_event ON event_registrations (event_id, status, id);
CREATE INDEX event_registrations_user ON event_registrations (user_id);
CREATE UNIQUE INDEX event_registrations_live ON event_registrations (event_id, live_key);

-- The race: checkpoints on the site plan (micro-degrees) with their code.
CREATE TABLE race_checkpoints (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	event_id BIGINT NOT NULL REFERENCES events(id),
	seq BIGINT NOT NULL,              -- the set order (1..)
	code TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	points BIGINT NOT NULL DEFAULT 0,
	lon BIGINT,
	lat BIGINT,
	UNIQUE (event_id, code),
	UNIQUE (event_id, seq)
);

CREATE TABLE race_teams (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	event_id BIGINT NOT NULL REFERENCES events(id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	start_at BIGINT NOT NULL,
	finished_at BIGINT,
	UNIQUE (event_id, code)
);

-- Every punch accepted (the server's time). A repeat at the same
-- checkpoint is refused by the unique key, never counted twice.
CREATE TABLE race_punches (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	event_id BIGINT NOT NULL REFERENCES events(id),
	team_id BIGINT NOT NULL REFERENCES race_teams(id),
	checkpoint_id BIGINT NOT NULL REFERENCES race_checkpoints(id),
	punched_at BIGINT NOT NULL,
	UNIQUE (team_id, checkpoint_id)
);
