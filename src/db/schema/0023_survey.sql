-- Door-to-door survey campaigns (大走访大调研): a questionnaire, the
-- buildings covered and the volunteers assigned to each, one visit record
-- per call at a door (append-only: a revisit is a new row), the answers of
-- the visits that met someone, a draft per door and visitor so a form
-- survives a reload, and the findings filed as cases. Times are epoch
-- seconds; days (revisit_on) Shanghai days as YYYY-MM-DD. Rules:
-- docs/survey.md.

CREATE TABLE survey_campaigns (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	title TEXT NOT NULL,
	intro TEXT NOT NULL DEFAULT '',
	-- draft (questions and buildings being set), open (visits recorded),
	-- closed (finished: read only)
	state TEXT NOT NULL DEFAULT 'draft',
	created_at BIGINT NOT NULL,
	opened_at BIGINT,
	closed_at BIGINT
);
CREATE INDEX survey_campaigns_area ON survey_campaigns (area_id, id);

-- The questionnaire. kind: single, multiple, number, text. options: a
-- JSON array [{"key", "label"}] (choices only). A conditional question is
-- shown only when the earlier choice question show_if_question was
-- answered show_if_answer.
CREATE TABLE survey_questions (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
	position BIGINT NOT NULL,
	code TEXT NOT NULL,
	kind TEXT NOT NULL,
	prompt TEXT NOT NULL,
	required INTEGER NOT NULL DEFAULT 0,
	options TEXT NOT NULL DEFAULT '[]',
	min_value BIGINT,
	max_value BIGINT,
	show_if_question BIGINT REFERENCES survey_questions(id),
	show_if_answer TEXT,
	UNIQUE (campaign_id, code)
);
CREATE INDEX survey_questions_campaign ON survey_questions (campaign_id, position);

-- The buildings covered.
CREATE TABLE survey_buildings (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
	building_id BIGINT NOT NULL REFERENCES buildings(id),
	UNIQUE (campaign_id, building_id)
);

-- Volunteers (duty's volunteers) assigned to a covered building.
CREATE TABLE survey_assignments (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
	building_id BIGINT NOT NULL REFERENCES buildings(id),
	volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
	UNIQUE (campaign_id, building_id, volunteer_id)
);
CREATE INDEX survey_assignments_volunteer ON survey_assignments (volunteer_id);

-- A call at a door. outcome: met, nobody_home, refused. revisit_on: the
-- day planned to try again (a door not reached).
CREATE TABLE survey_visits (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	volunteer_id BIGINT REFERENCES volunteers(id),
	user_id BIGINT,
	visitor TEXT NOT NULL,
	outcome TEXT NOT NULL,
	notes TEXT NOT NULL DEFAULT '',
	follow_up INTEGER NOT NULL DEFAULT 0,
	revisit_on TEXT,
	visited_at BIGINT NOT NULL
);
CREATE INDEX survey_visits_campaign ON survey_visits (campaign_id, household_id);

-- The answers of a visit that met someone: one row per value (a multiple
-- choice has one row per option picked).
CREATE TABLE survey_answers (
	id @ID@,
	visit_id BIGINT NOT NULL REFERENCES survey_visits(id),
	question_id BIGINT NOT NULL REFERENCES survey_questions(id),
	value TEXT NOT NULL
);
CREATE INDEX survey_answers_visit ON survey_answers (visit_id);
CREATE INDEX survey_answers_question ON survey_answers (question_id);

-- What a visitor has filled in at a door so far (JSON), until recorded.
CREATE TABLE survey_drafts (
	id @ID@,
	campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	user_id BIGINT NOT NULL,
	data TEXT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (campaign_id, household_id, user_id)
);

-- A problem seen during a visit, filed as a case (cases_open).
CREATE TABLE survey_findings (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	campaign_id BIGINT NOT NULL REFERENCES survey_campaigns(id),
	visit_id BIGINT NOT NULL REFERENCES survey_visits(id),
	case_id BIGINT NOT NULL REFERENCES cases(id),
	created_at BIGINT NOT NULL
);
CREATE INDEX survey_findings_visit ON survey_findings (visit_id);
