-- Duty rosters (值班排班): the volunteers who hold the sorting stations and
-- patrol the plaza, the shifts generated from 0016's windows for a week,
-- who is on which shift (planned by src/roster, published per week),
-- check-ins and check-outs at the station, missed-shift alerts and swaps.
-- Rules and windows: docs/duty.md.

CREATE TABLE volunteers (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	resident_id BIGINT NOT NULL REFERENCES residents(id),
	member_id BIGINT REFERENCES members(id),   -- when a Party member
	trained_guide INTEGER NOT NULL DEFAULT 0,  -- trained sorting guide
	trained_patrol INTEGER NOT NULL DEFAULT 0, -- trained patrol leader
	max_per_day BIGINT NOT NULL DEFAULT 1,
	max_per_week BIGINT NOT NULL DEFAULT 3,
	note TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, resident_id),
	CHECK (max_per_day >= 0 AND max_per_week >= 0)
);

-- The weekly pattern: when a volunteer can come, per ISO weekday. A
-- volunteer without any row is available at any time. Rows of one
-- volunteer never overlap on one weekday (the store refuses it).
CREATE TABLE volunteer_availability (
	id @ID@,
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
	weekday BIGINT NOT NULL,  -- 1 Monday .. 7 Sunday
	start_min BIGINT NOT NULL,
	end_min BIGINT NOT NULL,
	CHECK (weekday BETWEEN 1 AND 7),
	CHECK (start_min >= 0 AND end_min > start_min AND end_min <= 1440)
);
CREATE INDEX volunteer_availability_v ON volunteer_availability (volunteer_id);

-- Dates away, first and last day included (Shanghai days, YYYY-MM-DD).
CREATE TABLE volunteer_away (
	id @ID@,
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
	first_day TEXT NOT NULL,
	last_day TEXT NOT NULL,
	CHECK (last_day >= first_day)
);
CREATE INDEX volunteer_away_v ON volunteer_away (volunteer_id);

-- A week's state: planned (draft) and, once staff publish it, published.
CREATE TABLE duty_weeks (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	week_start TEXT NOT NULL,   -- the Monday, YYYY-MM-DD
	planned_at BIGINT,
	published_at BIGINT,
	published_by BIGINT REFERENCES users(id),
	solver TEXT NOT NULL DEFAULT '',
	UNIQUE (area_id, week_start)
);

-- One shift: a window on one day. (window_id, day) is unique, so
-- generating a week twice adds nothing.
CREATE TABLE duty_shifts (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	window_id BIGINT NOT NULL REFERENCES duty_windows(id),
	station_id BIGINT REFERENCES sorting_stations(id),
	route_id BIGINT REFERENCES patrol_routes(id),
	week_start TEXT NOT NULL,
	day TEXT NOT NULL,
	start_at BIGINT NOT NULL,
	end_at BIGINT NOT NULL,
	need BIGINT NOT NULL,
	need_trained BIGINT NOT NULL,
	missing BIGINT NOT NULL DEFAULT 0,        -- places the last plan left open
	unfilled_reason TEXT NOT NULL DEFAULT '', -- why, from the planner
	weather_note TEXT NOT NULL DEFAULT '',    -- bad weather: a note, never a cancellation
	alerted_at BIGINT,                        -- the missed-shift alert, sent once
	UNIQUE (window_id, day),
	CHECK (end_at > start_at)
);
CREATE INDEX duty_shifts_week ON duty_shifts (area_id, week_start);
CREATE INDEX duty_shifts_start ON duty_shifts (area_id, start_at);

CREATE TABLE duty_assignments (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	shift_id BIGINT NOT NULL REFERENCES duty_shifts(id),
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	checkin_at BIGINT,
	checkout_at BIGINT,
	minutes BIGINT NOT NULL DEFAULT 0,   -- credited at check-out
	UNIQUE (shift_id, volunteer_id),
	CHECK (checkout_at IS NULL OR (checkin_at IS NOT NULL AND checkout_at >= checkin_at))
);
CREATE INDEX duty_assignments_volunteer ON duty_assignments (volunteer_id);

-- A volunteer asks another to take their place; staff approve.
CREATE TABLE duty_swaps (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assignment_id BIGINT NOT NULL REFERENCES duty_assignments(id),
	from_volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	to_volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	state TEXT NOT NULL DEFAULT 'requested',  -- requested, approved, refused
	requested_at BIGINT NOT NULL,
	decided_at BIGINT,
	decided_by BIGINT REFERENCES users(id),
	reason TEXT NOT NULL DEFAULT '',
	CHECK (from_volunteer_id <> to_volunteer_id)
);
CREATE INDEX duty_swaps_area ON duty_swaps (area_id, state);
