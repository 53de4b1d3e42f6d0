-- Noise monitoring: the meters and their per-second readings. Levels are
-- kept in hundredths of a decibel (exact, like areas in hundredths of m²).

CREATE TABLE meters (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	place_id BIGINT REFERENCES places(id),
	zone_class TEXT NOT NULL DEFAULT '1',
	watches TEXT NOT NULL DEFAULT '',
	token_id BIGINT,
	mn TEXT,
	hj212_password TEXT NOT NULL DEFAULT '', -- set by the HJ 212 listener set-up, never shown
	calibration_centi BIGINT NOT NULL DEFAULT 0,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);
CREATE UNIQUE INDEX meters_mn ON meters (mn);
CREATE INDEX meters_token ON meters (token_id);

-- One row per meter and second: sending the same second again changes
-- nothing (idempotent ingest).
CREATE TABLE noise_readings (
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	t BIGINT NOT NULL,
	laeq_centi BIGINT NOT NULL,
	lmax_centi BIGINT,
	source TEXT NOT NULL,
	PRIMARY KEY (meter_id, t)
);
