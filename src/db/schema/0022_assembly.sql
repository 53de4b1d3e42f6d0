-- Owners' assemblies (业主大会) under Civil Code Art. 278: the roll of
-- exclusive parts and their owners, published for 15 days with objections
-- and frozen when voting opens; the matters, each tagged with its Art. 278
-- item; ballots (append-only: the last valid ballot of an owner on a
-- matter counts, earlier ones stay, superseded); paper sheets entered twice
-- by two staff and reconciled; proxies with their written entrustment;
-- one-time codes for voting online; the door-to-door delivery by volunteer
-- groups led by Party members. Areas are integers of 0.01 m² (area_centi),
-- times epoch seconds. Rules: docs/assembly.md.

-- Per area: which roles see who voted how (comma-separated role names;
-- never the public notice), and how an owner's name is masked on a
-- printed ballot sheet: full, surname (张**), none (no name at all).
CREATE TABLE assembly_settings (
	area_id BIGINT PRIMARY KEY REFERENCES areas(id),
	ballot_roles TEXT NOT NULL DEFAULT 'admin,secretary',
	name_mask TEXT NOT NULL DEFAULT 'surname'
);

CREATE TABLE assemblies (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	compound_id BIGINT NOT NULL REFERENCES compounds(id),
	title TEXT NOT NULL,
	-- draft (roll being built), published (公示: objections for 15 days),
	-- open (voting; the roll frozen), closed (counted), cancelled
	state TEXT NOT NULL DEFAULT 'draft',
	published_at BIGINT,	 -- the roll's publication began
	objections_until BIGINT, -- published_at + 15 days
	opens_at BIGINT,	 -- voting opens (set when published)
	closes_at BIGINT,	 -- voting closes: later ballots are refused and logged
	opened_at BIGINT,	 -- when it actually opened (the roll froze)
	closed_at BIGINT,
	result_published_at BIGINT, -- the public notice (公示) of the result
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
);
CREATE INDEX assemblies_area ON assemblies (area_id, created_at);

-- The buildings of the compound the assembly covers; none listed: all.
CREATE TABLE assembly_buildings (
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	building_id BIGINT NOT NULL REFERENCES buildings(id),
	area_id BIGINT NOT NULL REFERENCES areas(id),
	PRIMARY KEY (assembly_id, building_id)
);

-- The roll: one row per exclusive part (专有部分). Rows with the same
-- owner_key are one owner (SPC interpretation Art. 9: a buyer of several
-- parts counts once with all their area; the developer's unsold parts
-- count together as one owner, owner_key 'developer').
CREATE TABLE assembly_parts (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	household_id BIGINT REFERENCES households(id), -- NULL when imported only
	building_id BIGINT REFERENCES buildings(id),
	unit TEXT NOT NULL,	  -- as printed: "12号楼 301"
	owner_key TEXT NOT NULL,  -- who counts as one owner
	owner_name TEXT NOT NULL, -- as registered; masked on sheets per settings
	developer INTEGER NOT NULL DEFAULT 0,
	area_centi BIGINT NOT NULL CHECK (area_centi > 0),
	-- keyed hash of the owner's name and the last four digits of the ID
	-- number, for the online real-name confirmation; '' when not known.
	-- The digits are never stored in clear.
	id_check TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL DEFAULT 'registry', -- registry, csv, objection
	removed INTEGER NOT NULL DEFAULT 0,	 -- struck off after an objection
	UNIQUE (assembly_id, unit)
);
CREATE INDEX assembly_parts_owner ON assembly_parts (assembly_id, owner_key);

-- Objections to the published roll, recorded and resolved.
CREATE TABLE assembly_objections (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT REFERENCES assembly_parts(id), -- NULL: a part missing from the roll
	raised_by TEXT NOT NULL,
	body TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'open', -- open, upheld, rejected
	resolution TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	resolved_at BIGINT,
	resolved_by BIGINT REFERENCES users(id)
);
CREATE INDEX assembly_objections_a ON assembly_objections (assembly_id);

-- The matters on the ballot, each with its Art. 278 item (1-9).
CREATE TABLE assembly_matters (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	code TEXT NOT NULL, -- short, as in the tally CSV: "M1"
	item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 9),
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	position BIGINT NOT NULL,
	UNIQUE (assembly_id, code)
);

-- A written entrustment (委托书): who votes for which part of which
-- assembly, with a photo of the signed paper. The proxy votes as the
-- owner instructed (instructions: what the paper says).
CREATE TABLE assembly_proxies (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT NOT NULL REFERENCES assembly_parts(id),
	proxy_name TEXT NOT NULL,
	relation TEXT NOT NULL DEFAULT '',
	instructions TEXT NOT NULL DEFAULT '',
	photo TEXT NOT NULL, -- the stored photo's name in the upload folder
	recorded_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX assembly_proxies_part ON assembly_proxies (part_id);

-- A paper sheet received: entered twice by two different staff
-- (assembly_entries pass 1 and 2). Equal entries: the sheet is counted
-- (its ballots written); different: blocked until a third person
-- resolves it (pass 3, with a note).
CREATE TABLE assembly_sheets (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT NOT NULL REFERENCES assembly_parts(id),
	proxy_id BIGINT REFERENCES assembly_proxies(id),
	received_at BIGINT NOT NULL, -- when it came back (closing applies to this)
	state TEXT NOT NULL DEFAULT 'entering', -- entering, blocked, counted, void
	resolution TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL
);
CREATE INDEX assembly_sheets_a ON assembly_sheets (assembly_id, state);

CREATE TABLE assembly_entries (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	sheet_id BIGINT NOT NULL REFERENCES assembly_sheets(id),
	pass INTEGER NOT NULL CHECK (pass BETWEEN 1 AND 3),
	user_id BIGINT NOT NULL REFERENCES users(id),
	-- canonical: "M1=agree;M2=abstain" in matter order; '' = blank
	choices TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	UNIQUE (sheet_id, pass)
);

-- Ballots: one row per part, matter and choice as cast, never updated or
-- deleted. The counted ballot of an owner on a matter is their latest
-- (cast_at, id); the others are shown as superseded. Each row's audit
-- entry carries its content so `linli audit verify` finds a changed row.
CREATE TABLE assembly_ballots (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT NOT NULL REFERENCES assembly_parts(id),
	owner_key TEXT NOT NULL, -- the part's owner when cast
	matter_id BIGINT NOT NULL REFERENCES assembly_matters(id),
	choice TEXT NOT NULL CHECK (choice IN ('agree', 'oppose', 'abstain')),
	channel TEXT NOT NULL, -- paper, online, proxy, meeting (cast in person)
	sheet_id BIGINT REFERENCES assembly_sheets(id),
	proxy_id BIGINT REFERENCES assembly_proxies(id),
	cast_at BIGINT NOT NULL,
	recorded_by BIGINT REFERENCES users(id) -- NULL when cast online
);
CREATE INDEX assembly_ballots_count ON assembly_ballots (assembly_id, matter_id, owner_key);

-- Ballots refused (after closing, a used code, a failed real-name check
-- ...): the log an auditor asks for.
CREATE TABLE assembly_refusals (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT REFERENCES assembly_parts(id),
	channel TEXT NOT NULL,
	reason TEXT NOT NULL, -- closed, not_open, code_used, name_mismatch, ...
	at BIGINT NOT NULL
);
CREATE INDEX assembly_refusals_a ON assembly_refusals (assembly_id, at);

-- One-time codes printed as QR on the ballot sheets. Only a hash is kept;
-- reprinting a part's sheet voids its earlier code.
CREATE TABLE assembly_codes (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT NOT NULL REFERENCES assembly_parts(id),
	code_hash TEXT NOT NULL UNIQUE,
	issued_at BIGINT NOT NULL,
	used_at BIGINT,
	void INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX assembly_codes_part ON assembly_codes (part_id);

-- Door-to-door delivery: groups, each led by a Party member; each door
-- (part) of the roll assigned to one volunteer of a group.
CREATE TABLE assembly_groups (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	name TEXT NOT NULL,
	leader_member_id BIGINT NOT NULL REFERENCES members(id),
	UNIQUE (assembly_id, name)
);

CREATE TABLE assembly_doors (
	part_id BIGINT PRIMARY KEY REFERENCES assembly_parts(id),
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	group_id BIGINT NOT NULL REFERENCES assembly_groups(id),
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id)
);
CREATE INDEX assembly_doors_v ON assembly_doors (volunteer_id);

-- Each visit to a door, with its outcome and, when the door was not
-- reached, the day planned for the next try.
CREATE TABLE assembly_visits (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	assembly_id BIGINT NOT NULL REFERENCES assemblies(id),
	part_id BIGINT NOT NULL REFERENCES assembly_parts(id),
	volunteer_id BIGINT REFERENCES volunteers(id),
	-- delivered, returned, refused, nobody_home, proxy_returned
	outcome TEXT NOT NULL,
	at BIGINT NOT NULL,
	revisit_on TEXT, -- YYYY-MM-DD (Shanghai) when not reached
	note TEXT NOT NULL DEFAULT '',
	recorded_by BIGINT REFERENCES users(id)
);
CREATE INDEX assembly_visits_part ON assembly_visits (part_id, at);
