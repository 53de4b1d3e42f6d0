-- Leases of the periodic jobs (db/jobs.c): when several servers share one
-- database, each job runs on the server holding its lease, and another
-- server takes the lease over once it expires (its holder died).
CREATE TABLE leases (
	name TEXT PRIMARY KEY,             -- the job: "outbox.send", "cases.sweep"
	holder TEXT NOT NULL DEFAULT '',   -- "host:pid:tag" of the server holding it
	expires_at BIGINT NOT NULL DEFAULT 0, -- unix seconds; free from then on
	last_run_at BIGINT NOT NULL DEFAULT 0, -- unix seconds of the latest run
	runs BIGINT NOT NULL DEFAULT 0     -- runs so far, by any holder
);
