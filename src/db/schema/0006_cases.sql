-- Cases: residents' reports and the work on them (mediation, referral to
-- agencies, resolution, the reporter's rating). Times are epoch seconds.

CREATE TABLE case_categories (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	code TEXT NOT NULL,
	name_zh TEXT NOT NULL,
	name_en TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	private INTEGER NOT NULL DEFAULT 0,
	handler_team_id BIGINT REFERENCES teams(id),
	agency_unit_id BIGINT REFERENCES units(id),
	resolve_days BIGINT NOT NULL DEFAULT 5,
	questions TEXT NOT NULL DEFAULT '[]',
	sort_order BIGINT NOT NULL DEFAULT 0,
	archived INTEGER NOT NULL DEFAULT 0,
	UNIQUE (area_id, code)
);

CREATE TABLE cases (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	category_id BIGINT NOT NULL REFERENCES case_categories(id),
	tracking_code TEXT NOT NULL UNIQUE,
	state TEXT NOT NULL,
	complex INTEGER NOT NULL DEFAULT 0,
	description TEXT NOT NULL,
	compound_id BIGINT REFERENCES compounds(id),
	building_id BIGINT REFERENCES buildings(id),
	household_id BIGINT REFERENCES households(id),
	plan_x BIGINT,
	plan_y BIGINT,
	lat_e6 BIGINT,
	lon_e6 BIGINT,
	address TEXT NOT NULL DEFAULT '',
	reporter_name TEXT NOT NULL DEFAULT '',
	reporter_phone TEXT NOT NULL DEFAULT '',
	reporter_email TEXT NOT NULL DEFAULT '',
	reporter_user_id BIGINT REFERENCES users(id),
	channel TEXT NOT NULL,
	answers TEXT NOT NULL DEFAULT '{}',
	handler_team_id BIGINT REFERENCES teams(id),
	handler_user_id BIGINT REFERENCES users(id),
	agency_unit_id BIGINT REFERENCES units(id),
	duplicate_of BIGINT REFERENCES cases(id),
	public_note TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	accepted_at BIGINT,
	resolved_at BIGINT,
	closed_at BIGINT,
	accept_due BIGINT NOT NULL,
	resolve_due BIGINT NOT NULL,
	recurrences BIGINT NOT NULL DEFAULT 0,
	rating BIGINT,
	rating_comment TEXT NOT NULL DEFAULT '',
	rated_at BIGINT
);
CREATE INDEX cases_area_state ON cases (area_id, state);
CREATE INDEX cases_area_created ON cases (area_id, created_at);
CREATE INDEX cases_area_updated ON cases (area_id, updated_at);
CREATE INDEX cases_category ON cases (category_id, created_at);

-- The timeline: every transition, note, recurrence and rating.
CREATE TABLE case_events (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases(id),
	at BIGINT NOT NULL,
	actor TEXT NOT NULL,
	user_id BIGINT,
	kind TEXT NOT NULL,
	from_state TEXT,
	to_state TEXT,
	note TEXT NOT NULL DEFAULT '',
	public INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE case_photos (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases(id),
	sha256 TEXT NOT NULL,
	mime TEXT NOT NULL,
	bytes BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX case_photos_case ON case_photos (case_id);

CREATE TABLE mediation_sessions (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases(id),
	held_on TEXT NOT NULL,
	parties TEXT NOT NULL,
	mediators TEXT NOT NULL,
	agreement TEXT NOT NULL DEFAULT '',
	follow_up_on TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX mediation_sessions_case ON mediation_sessions (case_id);

CREATE TABLE referrals (
	id @ID@,
	case_id BIGINT NOT NULL REFERENCES cases(id),
	agency_unit_id BIGINT NOT NULL REFERENCES units(id),
	referred_at BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	reference TEXT NOT NULL DEFAULT '',
	answer TEXT,
	answered_at BIGINT
);
CREATE INDEX referrals_case ON referrals (case_id);

-- Days off (法定假日) and weekend days worked (调休上班), for deadlines.
CREATE TABLE holidays (
	id @ID@,
	day TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT ''
);

-- Handlers' in-app inbox.
CREATE TABLE inbox (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	user_id BIGINT REFERENCES users(id),
	team_id BIGINT REFERENCES teams(id),
	case_id BIGINT REFERENCES cases(id),
	at BIGINT NOT NULL,
	message TEXT NOT NULL,
	read_at BIGINT
);
CREATE INDEX inbox_user ON inbox (user_id, read_at);

-- Where a unit (an agency, the property company) wants to hear about
-- referrals: an HTTP(S) webhook and/or an e-mail address.
ALTER TABLE units ADD COLUMN webhook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN email TEXT NOT NULL DEFAULT '';

-- Messages to the outside world, written in the same transaction as the
-- change they report and sent by a background worker with retries.
CREATE TABLE outbox (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	kind TEXT NOT NULL,
	target TEXT NOT NULL,
	subject TEXT NOT NULL DEFAULT '',
	payload TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	attempts BIGINT NOT NULL DEFAULT 0,
	next_attempt_at BIGINT NOT NULL,
	sent_at BIGINT,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
