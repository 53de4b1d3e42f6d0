-- Where duty is done: garbage-sorting stations (垃圾分类投放点) per
-- compound with their drop-off windows and late drop point, patrol routes
-- (the plaza in the evening), and the shift templates a week's shifts are
-- generated from. The shifts, volunteers and rosters are in 0017; station
-- inspections and patrol logs in 0018.

CREATE TABLE sorting_stations (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	compound_id BIGINT NOT NULL REFERENCES compounds(id),
	place_id BIGINT REFERENCES places(id),
	name TEXT NOT NULL,
	-- the four Shanghai categories it takes, a subset of
	-- "recyclable,hazardous,wet,dry" (可回收物 有害垃圾 湿垃圾 干垃圾)
	categories TEXT NOT NULL DEFAULT 'recyclable,hazardous,wet,dry',
	late_drop TEXT NOT NULL DEFAULT '',   -- where to drop outside the windows
	code TEXT NOT NULL,                   -- the check-in code on the station's sign
	leader_resident_id BIGINT REFERENCES residents(id),
	lat_e6 BIGINT,                        -- WGS-84 millionths, as cases
	lon_e6 BIGINT,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name),
	UNIQUE (area_id, code)
);

CREATE TABLE patrol_routes (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	code TEXT NOT NULL,                   -- the check-in code at the route's start
	leader_resident_id BIGINT REFERENCES residents(id),
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name),
	UNIQUE (area_id, code)
);

-- A window a shift is generated from: a station's drop-off window
-- (07:00-09:00) or a route's patrol time (19:00-21:00), on some weekdays.
CREATE TABLE duty_windows (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	station_id BIGINT REFERENCES sorting_stations(id),
	route_id BIGINT REFERENCES patrol_routes(id),
	weekdays BIGINT NOT NULL DEFAULT 127, -- bit 0 Monday .. bit 6 Sunday
	start_min BIGINT NOT NULL,            -- minutes after midnight, Shanghai time
	end_min BIGINT NOT NULL,              -- > start_min, <= 1440
	need BIGINT NOT NULL DEFAULT 2,
	need_trained BIGINT NOT NULL DEFAULT 1,
	archived INTEGER NOT NULL DEFAULT 0,
	CHECK ((station_id IS NULL) <> (route_id IS NULL)),
	CHECK (start_min >= 0 AND end_min > start_min AND end_min <= 1440),
	CHECK (need >= 0 AND need_trained >= 0 AND need_trained <= need)
);
CREATE INDEX duty_windows_station ON duty_windows (station_id);
CREATE INDEX duty_windows_route ON duty_windows (route_id);
