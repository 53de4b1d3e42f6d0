-- Minute and hour rollups of the per-second readings, written in the same
-- transaction as the readings they sum (noise/store.c), so that reports,
-- the assessment and the charts read 1,440 rows a day instead of 86,400
-- and keep working once the raw seconds are dropped (docs/scale.md,
-- "Readings that grow without bound"). energy is the sum of 10^(L/10) over
-- the span's seconds, added in time order as src/noise/limits.c adds them:
-- the span's LAeq is 10 lg(energy / seconds) exactly as computed from the
-- seconds themselves. leq_centi is that LAeq rounded, for people and SQL.
CREATE TABLE noise_rollup_minutes (
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	t BIGINT NOT NULL,		-- start of the minute, UTC epoch seconds
	seconds INTEGER NOT NULL,	-- readings in the minute, 1..60
	energy DOUBLE PRECISION NOT NULL,
	leq_centi BIGINT NOT NULL,
	lmax_centi BIGINT NOT NULL,	-- the largest LAFmax (or 1-s LAeq without one)
	PRIMARY KEY (meter_id, t)
);
CREATE TABLE noise_rollup_hours (
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	t BIGINT NOT NULL,		-- start of the hour, UTC epoch seconds
	seconds INTEGER NOT NULL,	-- readings in the hour, 1..3600
	energy DOUBLE PRECISION NOT NULL, -- the sum of its minutes' energy, in time order
	leq_centi BIGINT NOT NULL,
	lmax_centi BIGINT NOT NULL,
	PRIMARY KEY (meter_id, t)
);
-- Readings stored before this migration, still to be rolled up: one row
-- per meter, worked off a day at a time, newest first, by the
-- noise.readings job.
CREATE TABLE noise_rollup_backlog (
	meter_id BIGINT PRIMARY KEY REFERENCES meters(id),
	from_t BIGINT NOT NULL,		-- the first reading's minute
	to_t BIGINT NOT NULL		-- one past the last second still to roll up
);
INSERT INTO noise_rollup_backlog (meter_id, from_t, to_t)
	SELECT meter_id, MIN(t) - MIN(t) % 60, MAX(t) + 1 FROM noise_readings GROUP BY meter_id;

-- SQLite keeps the raw seconds in one table; the noise.readings job deletes
-- the months past readings_keep_days in batches (one month at a time, as
-- PostgreSQL drops a partition, so both engines keep the same rows).
