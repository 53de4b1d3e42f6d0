-- The square-dance plaza: its zones (with the place manager's rules),
-- the residential façades around it (receptors), the dance teams'
-- profiles, the published staggered timetables, alert rules and alerts.
-- Positions are metres on the plaza's own plan (x east, y north) in
-- hundredths; levels are hundredths of a dB(A), like noise_readings.

-- When evening and night are, per area (minutes after midnight).
ALTER TABLE areas ADD COLUMN night_start_min BIGINT NOT NULL DEFAULT 1320;
ALTER TABLE areas ADD COLUMN night_end_min BIGINT NOT NULL DEFAULT 360;
ALTER TABLE areas ADD COLUMN evening_start_min BIGINT NOT NULL DEFAULT 1080;
ALTER TABLE areas ADD COLUMN evening_end_min BIGINT NOT NULL DEFAULT 1320;
ALTER TABLE areas ADD COLUMN slot_min BIGINT NOT NULL DEFAULT 30;
ALTER TABLE areas ADD COLUMN prime_start_min BIGINT NOT NULL DEFAULT 1140;
ALTER TABLE areas ADD COLUMN prime_end_min BIGINT NOT NULL DEFAULT 1230;

CREATE TABLE plaza_zones (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	place_id BIGINT REFERENCES places(id),
	name TEXT NOT NULL,
	shape TEXT NOT NULL,             -- "x,y x,y x,y ..." metres, a polygon
	capacity BIGINT NOT NULL DEFAULT 1,
	allowed_periods TEXT NOT NULL DEFAULT '', -- "18:00-21:30;..." (Noise Law Art. 64)
	volume_cap_centi BIGINT,         -- LAeq cap at the zone's meter
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);

CREATE TABLE receptors (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	x_centi BIGINT NOT NULL,
	y_centi BIGINT NOT NULL,
	zone_class TEXT NOT NULL DEFAULT '1',
	background_centi BIGINT NOT NULL DEFAULT 4500,
	building_id BIGINT REFERENCES buildings(id),
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);

CREATE TABLE dance_teams (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	team_id BIGINT NOT NULL REFERENCES teams(id),
	contact_phone TEXT NOT NULL DEFAULT '',
	dancers BIGINT,
	equipment TEXT NOT NULL DEFAULT '',
	level_10m_centi BIGINT,          -- measured LAeq at 10 m
	sound_power_centi BIGINT,        -- or the sound power level LwA
	agreed_10m_centi BIGINT,         -- the volume they agreed to, at 10 m
	sessions_per_week BIGINT NOT NULL DEFAULT 3,
	preferred_zone_id BIGINT REFERENCES plaza_zones(id),
	preferred_times TEXT NOT NULL DEFAULT '',
	days TEXT NOT NULL DEFAULT '1234567', -- ISO weekdays it may dance
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, team_id)
);

-- The zone a meter watches (its plaza rules apply to its readings).
ALTER TABLE meters ADD COLUMN zone_id BIGINT REFERENCES plaza_zones(id);

-- A published week: solved, checked, then shown on the notice board.
CREATE TABLE schedule_weeks (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	week_start TEXT NOT NULL,        -- the Monday, YYYY-MM-DD
	published_at BIGINT NOT NULL,
	published_by BIGINT REFERENCES users(id),
	solver TEXT NOT NULL,
	objective BIGINT NOT NULL,
	worst_margin_centi BIGINT NOT NULL, -- the least headroom at any receptor
	unplaced TEXT NOT NULL DEFAULT '[]', -- JSON: teams not placed, with reasons
	UNIQUE (area_id, week_start)
);

CREATE TABLE schedule_sessions (
	id @ID@,
	week_id BIGINT NOT NULL REFERENCES schedule_weeks(id),
	dance_team_id BIGINT NOT NULL REFERENCES dance_teams(id),
	zone_id BIGINT NOT NULL REFERENCES plaza_zones(id),
	day BIGINT NOT NULL,             -- 1 = Monday .. 7 = Sunday
	start_min BIGINT NOT NULL,
	end_min BIGINT NOT NULL,
	prime INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX schedule_sessions_week ON schedule_sessions (week_id, day, start_min);

-- Alert rules: what counts as too loud, with hysteresis so one noisy
-- evening is one alert.
CREATE TABLE noise_alert_rules (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	meter_id BIGINT REFERENCES meters(id), -- NULL: every meter of the area
	kind TEXT NOT NULL,              -- laeq_cap, laeq_limit, lmax_night
	window_s BIGINT NOT NULL DEFAULT 300,
	margin_centi BIGINT NOT NULL DEFAULT 0,  -- added to the threshold
	clear_centi BIGINT NOT NULL DEFAULT 300, -- below threshold by this to count as quiet
	quiet_s BIGINT NOT NULL DEFAULT 1800,    -- quiet this long closes the alert
	open_case INTEGER NOT NULL DEFAULT 1,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);

CREATE TABLE noise_alerts (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	rule_id BIGINT NOT NULL REFERENCES noise_alert_rules(id),
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	zone_id BIGINT REFERENCES plaza_zones(id),
	opened_t BIGINT NOT NULL,        -- data time the threshold was first crossed
	last_over_t BIGINT NOT NULL,     -- data time it was last over
	closed_t BIGINT,
	threshold_centi BIGINT NOT NULL,
	peak_centi BIGINT NOT NULL,
	teams TEXT NOT NULL DEFAULT '',  -- names of the teams scheduled then
	case_id BIGINT REFERENCES cases(id)
);
-- How far each rule has read each meter's readings (so a resent batch or
-- an older one arriving late is not judged twice).
CREATE TABLE noise_alert_state (
	rule_id BIGINT NOT NULL REFERENCES noise_alert_rules(id),
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	evaluated_t BIGINT NOT NULL,
	PRIMARY KEY (rule_id, meter_id)
);
CREATE INDEX noise_alerts_open ON noise_alerts (meter_id, rule_id, closed_t);
CREATE INDEX noise_alerts_area ON noise_alerts (area_id, opened_t);

-- Where an alert's cases are kept per team: the case a team's noise is
-- filed under while it is open.
ALTER TABLE cases ADD COLUMN subject_team_id BIGINT REFERENCES teams(id);
