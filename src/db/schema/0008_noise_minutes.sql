-- Noise statistics that stations send per minute (HJ 212-2017 CN=2051) and
-- per hour (CN=2061): one row per meter, span and start time. Levels are
-- hundredths of a decibel, like noise_readings; a statistic the station did
-- not send is NULL. The span is part of the key because the hour that
-- starts at 20:00 and its first minute share t.

CREATE TABLE noise_minutes (
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	t BIGINT NOT NULL,		-- start of the minute (or hour), UTC epoch seconds
	span_s INTEGER NOT NULL,	-- 60: minute data, 3600: hour data
	leq_centi BIGINT NOT NULL,	-- LAeq over the span (Leq-Data)
	l5_centi BIGINT,		-- L5-Data
	l10_centi BIGINT,		-- L10-Data
	l50_centi BIGINT,		-- L50-Data
	l90_centi BIGINT,		-- L90-Data
	l95_centi BIGINT,		-- L95-Data
	lmax_centi BIGINT NOT NULL,	-- LMx-Data
	lmin_centi BIGINT,		-- LMn-Data
	source TEXT NOT NULL,
	PRIMARY KEY (meter_id, span_s, t),
	CHECK (span_s IN (60, 3600))
);
