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

-- The per-second readings partitioned by month (declarative partitioning,
-- by range of t). A month is a Shanghai calendar month (UTC+8, as the
-- reports count them): noise_readings_pYYYYMM holds
-- [YYYY-MM-01 00:00:00+08:00, the next month's first second). The
-- noise.readings job creates this month's and the next two months'
-- partitions ahead, a batch for a month without one creates it, and the
-- job drops a month whose last second is older than readings_keep_days.
-- The readings stored so far move into partitions here.
ALTER TABLE noise_readings RENAME TO noise_readings_unparted;
ALTER TABLE noise_readings_unparted RENAME CONSTRAINT noise_readings_pkey TO noise_readings_unparted_pkey;
ALTER TABLE noise_readings_unparted RENAME CONSTRAINT noise_readings_meter_id_fkey
	TO noise_readings_unparted_meter_id_fkey;
CREATE TABLE noise_readings (
	meter_id BIGINT NOT NULL REFERENCES meters(id),
	t BIGINT NOT NULL,
	laeq_centi BIGINT NOT NULL,
	lmax_centi BIGINT,
	source TEXT NOT NULL,
	PRIMARY KEY (meter_id, t)
) PARTITION BY RANGE (t);
DO $$
DECLARE
	first_t BIGINT;
	last_t BIGINT;
	m DATE;
	next_m DATE;
BEGIN
	SELECT MIN(t), MAX(t) INTO first_t, last_t FROM noise_readings_unparted;
	IF first_t IS NULL THEN
		RETURN;
	END IF;
	-- The Shanghai month of the first reading, by integer arithmetic (no
	-- time zone database: the same sums as src/noise/parts.c).
	m := date_trunc('month', DATE '1970-01-01' + ((first_t + 28800) / 86400)::int
		- (CASE WHEN (first_t + 28800) % 86400 < 0 THEN 1 ELSE 0 END))::date;
	WHILE (m - DATE '1970-01-01')::bigint * 86400 - 28800 <= last_t LOOP
		next_m := (m + INTERVAL '1 month')::date;
		EXECUTE format('CREATE TABLE noise_readings_p%s PARTITION OF noise_readings'
			' FOR VALUES FROM (%s) TO (%s)', to_char(m, 'YYYYMM'),
			(m - DATE '1970-01-01')::bigint * 86400 - 28800,
			(next_m - DATE '1970-01-01')::bigint * 86400 - 28800);
		m := next_m;
	END LOOP;
END;
$$;
INSERT INTO noise_readings SELECT meter_id, t, laeq_centi, lmax_centi, source
	FROM noise_readings_unparted;
DROP TABLE noise_readings_unparted;
