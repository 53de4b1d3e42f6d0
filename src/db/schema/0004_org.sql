-- Party organisation (general branch > branches > members), generic teams
-- with membership over time, and co-building units.

CREATE TABLE branches (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	parent_id BIGINT REFERENCES branches(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	secretary TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);

CREATE TABLE members (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	branch_id BIGINT NOT NULL REFERENCES branches(id),
	resident_id BIGINT REFERENCES residents(id),
	name TEXT NOT NULL,
	gender TEXT NOT NULL,
	birth_year BIGINT,
	phone TEXT NOT NULL DEFAULT '',
	joined_on TEXT NOT NULL,
	in_post INTEGER NOT NULL DEFAULT 0,
	work_unit TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX members_branch ON members (branch_id, archived);
CREATE INDEX members_area ON members (area_id, archived);

CREATE TABLE teams (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	leader TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);

CREATE TABLE team_members (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	team_id BIGINT NOT NULL REFERENCES teams(id),
	resident_id BIGINT REFERENCES residents(id),
	name TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT '',
	joined_on TEXT NOT NULL,
	left_on TEXT
);
CREATE INDEX team_members_team ON team_members (team_id);

CREATE TABLE units (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	contact TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	has_party_org INTEGER NOT NULL DEFAULT 0,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);
CREATE INDEX units_area ON units (area_id, archived);
