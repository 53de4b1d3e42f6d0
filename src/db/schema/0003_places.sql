-- The registry of one residential area: compounds, buildings, households,
-- residents and their tags, named places (e.g. a plaza). Every row carries
-- area_id so one database can hold a whole district.

CREATE TABLE compounds (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	kind TEXT NOT NULL DEFAULT 'commercial',
	built_year BIGINT,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);

CREATE TABLE buildings (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	compound_id BIGINT NOT NULL REFERENCES compounds(id),
	name TEXT NOT NULL,
	floors BIGINT,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (compound_id, name)
);
CREATE INDEX buildings_compound ON buildings (compound_id);

CREATE TABLE households (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	building_id BIGINT NOT NULL REFERENCES buildings(id),
	door TEXT NOT NULL,
	area_centi BIGINT NOT NULL,
	owners TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (building_id, door)
);
CREATE INDEX households_area ON households (area_id);

CREATE TABLE residents (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	household_id BIGINT REFERENCES households(id),
	name TEXT NOT NULL,
	gender TEXT NOT NULL,
	birth_year BIGINT,
	phone TEXT NOT NULL DEFAULT '',
	is_owner INTEGER NOT NULL DEFAULT 0,
	note TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX residents_area ON residents (area_id, archived);
CREATE INDEX residents_household ON residents (household_id);
CREATE INDEX residents_name ON residents (area_id, name);

CREATE TABLE tags (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	name TEXT NOT NULL,
	UNIQUE (area_id, name)
);

CREATE TABLE resident_tags (
	resident_id BIGINT NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
	tag_id BIGINT NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (resident_id, tag_id)
);
CREATE INDEX resident_tags_tag ON resident_tags (tag_id);

CREATE TABLE places (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	compound_id BIGINT REFERENCES compounds(id),
	name TEXT NOT NULL,
	kind TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, name)
);
