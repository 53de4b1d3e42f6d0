-- Service hours (志愿服务时长): an append-only ledger of minutes served, a
-- time bank (时间银行) carried by the same ledger, the balances kept
-- beside it for speed (linli audit verify compares them with the sums),
-- the points table for Party members and their yearly targets. See
-- docs/hours.md. This migration comes as a pair, one file per engine, for
-- the triggers that refuse UPDATE and DELETE on the ledger.

-- One row per credit, reversal or time-bank transfer; never changed.
-- person is "r<resident id>" when the person is a resident on record,
-- else "m<member id>": the key the balances are kept under.
CREATE TABLE hours_entries (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	person TEXT NOT NULL,
	resident_id BIGINT REFERENCES residents(id),
	member_id BIGINT REFERENCES members(id),
	-- service: minutes served (> 0); reversal: minus some or all of the
	-- service entry it names; gift_out / gift_in: time-bank credits given
	-- to / received from a member of the household (minutes, -/+)
	kind TEXT NOT NULL,
	minutes BIGINT NOT NULL,
	source TEXT NOT NULL,       -- shift, activity, event, manual, correction, timebank
	source_id BIGINT,           -- the shift's, activity's or event's id
	day TEXT NOT NULL,          -- the Shanghai day served (YYYY-MM-DD)
	note TEXT NOT NULL DEFAULT '',
	reverses_id BIGINT REFERENCES hours_entries(id),  -- reversal: the entry
	pair_id BIGINT REFERENCES hours_entries(id),      -- gift_in: its gift_out
	created_at BIGINT NOT NULL,
	created_by BIGINT,          -- users.id, NULL for the command line
	CHECK (kind IN ('service', 'reversal', 'gift_out', 'gift_in')),
	CHECK ((kind = 'service' AND minutes > 0) OR (kind = 'reversal' AND minutes < 0)
	       OR (kind = 'gift_out' AND minutes < 0) OR (kind = 'gift_in' AND minutes > 0)),
	CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
	CHECK (resident_id IS NOT NULL OR member_id IS NOT NULL)
);
CREATE INDEX hours_entries_person ON hours_entries (area_id, person, day);
CREATE INDEX hours_entries_day ON hours_entries (area_id, day);
-- An entry is reversed at most once.
CREATE UNIQUE INDEX hours_entries_reverses ON hours_entries (reverses_id);
-- A shift (an activity, an event) credits a person once.
CREATE UNIQUE INDEX hours_entries_source ON hours_entries (person, source, source_id)
	WHERE kind = 'service' AND source_id IS NOT NULL;

-- Each person's sums, written in the same transaction as every entry:
-- served (service + reversal) and bank (every entry: served, given,
-- received). audit verify recomputes them from the entries.
CREATE TABLE hours_balances (
	person TEXT PRIMARY KEY,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	served_minutes BIGINT NOT NULL DEFAULT 0,
	bank_minutes BIGINT NOT NULL DEFAULT 0,
	entries BIGINT NOT NULL DEFAULT 0
);

-- Points a Party member earns per unit of each item (meeting_attended,
-- hour_served, action_item_done, event_joined), set by the secretary.
-- An item without a row earns its default (docs/hours.md).
CREATE TABLE hours_point_rules (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	item TEXT NOT NULL,
	points BIGINT NOT NULL,
	UNIQUE (area_id, item)
);

-- Yearly targets: hours asked of a member in a year (member_id set), or
-- of every in-post member registered in the community (双报到) that year
-- (member_id NULL, one row per area and year).
CREATE TABLE hours_targets (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	year BIGINT NOT NULL,
	member_id BIGINT REFERENCES members(id),
	minutes BIGINT NOT NULL,
	CHECK (minutes >= 0)
);
CREATE UNIQUE INDEX hours_targets_member ON hours_targets (area_id, year, member_id)
	WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX hours_targets_in_post ON hours_targets (area_id, year)
	WHERE member_id IS NULL;

-- The ledger refuses updates and deletes (as audit_log does, 0002).
CREATE FUNCTION hours_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'hours_entries is append-only';
END;
$$;
CREATE TRIGGER hours_entries_no_change BEFORE UPDATE OR DELETE ON hours_entries
FOR EACH ROW EXECUTE FUNCTION hours_entries_append_only();
CREATE TRIGGER hours_entries_no_truncate BEFORE TRUNCATE ON hours_entries
FOR EACH STATEMENT EXECUTE FUNCTION hours_entries_append_only();
