-- Co-building (共建): visits to the area's units, the three lists
-- (需求清单 needs, 资源清单 resources, 项目清单 projects), the claims that
-- match a need with a unit's resource once both sides confirm, and the
-- accounts that speak for a unit (liaisons). docs/cobuild.md.

-- An account that speaks for one unit of its area (role unit_liaison).
CREATE TABLE unit_liaisons (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	user_id BIGINT NOT NULL REFERENCES users(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	created_at BIGINT NOT NULL,
	UNIQUE (area_id, user_id)
);

-- A visit to a unit: who went, when, what was learned.
CREATE TABLE cobuild_visits (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	visited_on TEXT NOT NULL,              -- YYYY-MM-DD, Shanghai
	visitor TEXT NOT NULL,                 -- who went (names)
	learned TEXT NOT NULL DEFAULT '',
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX cobuild_visits_unit ON cobuild_visits (area_id, unit_id, visited_on);

-- A need: what, for whom, when, how many people or what amount. kind is
-- the kind of help wanted (room, volunteers, expertise, money, goods);
-- source who raised it (resident, team, committee). compound_id: where
-- it happens (NULL: the whole area). state open -> matched -> done, or
-- closed.
CREATE TABLE cobuild_needs (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	title TEXT NOT NULL,
	kind TEXT NOT NULL,
	source TEXT NOT NULL,
	for_whom TEXT NOT NULL DEFAULT '',
	starts_on TEXT NOT NULL,
	ends_on TEXT NOT NULL,
	amount BIGINT NOT NULL,                -- people, hours or yuan, by kind
	compound_id BIGINT REFERENCES compounds(id),
	visit_id BIGINT REFERENCES cobuild_visits(id),
	state TEXT NOT NULL DEFAULT 'open',
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX cobuild_needs_area ON cobuild_needs (area_id, state);

-- A resource a unit gives: a room, volunteers, expertise, money, goods,
-- available from .. to, how much.
CREATE TABLE cobuild_resources (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	title TEXT NOT NULL,
	kind TEXT NOT NULL,
	available_from TEXT NOT NULL,
	available_to TEXT NOT NULL,
	amount BIGINT NOT NULL,
	compound_id BIGINT REFERENCES compounds(id),
	visit_id BIGINT REFERENCES cobuild_visits(id),
	withdrawn INTEGER NOT NULL DEFAULT 0,
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX cobuild_resources_unit ON cobuild_resources (area_id, unit_id);

-- A claim joins a need with a unit (and one of its resources): a liaison
-- claims (unit side confirmed), or the committee offers (committee side
-- confirmed); the other side confirms and it is matched. state pending,
-- matched or withdrawn.
CREATE TABLE cobuild_claims (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	need_id BIGINT NOT NULL REFERENCES cobuild_needs(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	resource_id BIGINT REFERENCES cobuild_resources(id),
	direction TEXT NOT NULL,               -- claim (by the unit) or offer (by the committee)
	unit_confirmed INTEGER NOT NULL DEFAULT 0,
	committee_confirmed INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL DEFAULT 'pending',
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	matched_at BIGINT
);
CREATE INDEX cobuild_claims_need ON cobuild_claims (area_id, need_id, state);
CREATE INDEX cobuild_claims_unit ON cobuild_claims (area_id, unit_id, created_at);

-- A project: a matched need with one or more resources.
CREATE TABLE cobuild_projects (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	need_id BIGINT NOT NULL UNIQUE REFERENCES cobuild_needs(id),
	title TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT 'running', -- running or done
	created_at BIGINT NOT NULL,
	done_on TEXT
);
-- The units and resources a project joins, with the minutes their
-- volunteers served (recorded by the committee).
CREATE TABLE cobuild_project_resources (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	project_id BIGINT NOT NULL REFERENCES cobuild_projects(id),
	unit_id BIGINT NOT NULL REFERENCES units(id),
	resource_id BIGINT REFERENCES cobuild_resources(id),
	volunteer_minutes BIGINT NOT NULL DEFAULT 0,
	UNIQUE (project_id, unit_id, resource_id)
);
