-- Station inspections (分类站点检查) and patrol logs (巡查日志): what the
-- people on duty saw, each of which may become a case with one tap.
-- Grades per category are A (good: sorted right, clean), B (needs
-- attention: a few mistakes, a full bin), C (a problem: mixed waste,
-- overflowing, a dirty station); NULL for a category the station does
-- not take. Times are epoch seconds, days Shanghai days (YYYY-MM-DD).

CREATE TABLE station_inspections (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	station_id BIGINT NOT NULL REFERENCES sorting_stations(id),
	inspected_on TEXT NOT NULL,
	inspector TEXT NOT NULL,              -- the name written on the record
	user_id BIGINT REFERENCES users(id),  -- who recorded it (NULL: the command line, the demo)
	grade_recyclable TEXT CHECK (grade_recyclable IN ('A', 'B', 'C')),
	grade_hazardous TEXT CHECK (grade_hazardous IN ('A', 'B', 'C')),
	grade_wet TEXT CHECK (grade_wet IN ('A', 'B', 'C')),
	grade_dry TEXT CHECK (grade_dry IN ('A', 'B', 'C')),
	remarks TEXT NOT NULL DEFAULT '',
	photo_sha256 TEXT,                    -- stored as case photos are (upload_dir)
	photo_mime TEXT,
	photo_bytes BIGINT,
	case_id BIGINT REFERENCES cases(id),  -- the case a problem found became
	created_at BIGINT NOT NULL
);
CREATE INDEX station_inspections_station ON station_inspections (station_id, inspected_on);
CREATE INDEX station_inspections_area ON station_inspections (area_id, inspected_on);

CREATE TABLE patrol_logs (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	route_id BIGINT NOT NULL REFERENCES patrol_routes(id),
	at BIGINT NOT NULL,                   -- when it was seen (the server's clock by default)
	user_id BIGINT REFERENCES users(id),  -- who wrote it
	author TEXT NOT NULL,                 -- the name written on the log
	kind TEXT NOT NULL CHECK (kind IN ('noise', 'safety', 'garbage', 'facility', 'other', 'none')),
	seen TEXT NOT NULL,                   -- what was seen
	spoken_to TEXT NOT NULL DEFAULT '',   -- who was spoken to (a team, a shop; no phone numbers)
	meter_id BIGINT REFERENCES meters(id),  -- the meter shown beside the form
	level_centi BIGINT,                   -- its level then, LAeq,1s in hundredths of dB
	case_id BIGINT REFERENCES cases(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX patrol_logs_route ON patrol_logs (route_id, at);
CREATE INDEX patrol_logs_area ON patrol_logs (area_id, at);
