-- Places above the residential area, accounts, sessions, tokens and the
-- audit chain. Times are UTC epoch seconds; dates are 'YYYY-MM-DD' text.

CREATE TABLE districts (
	id @ID@,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

CREATE TABLE streets (
	id @ID@,
	district_id BIGINT NOT NULL REFERENCES districts(id),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

CREATE TABLE areas (
	id @ID@,
	street_id BIGINT NOT NULL REFERENCES streets(id),
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL
);

CREATE TABLE users (
	id @ID@,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	resident_id BIGINT,
	disabled INTEGER NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	role TEXT NOT NULL,
	UNIQUE (user_id, area_id, role)
);

CREATE TABLE sessions (
	id @ID@,
	token_hash TEXT NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	role TEXT NOT NULL,
	csrf_token TEXT NOT NULL,
	address TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
	id @ID@,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	role TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	revoked_at BIGINT,
	last_used_at BIGINT
);

CREATE TABLE login_failures (
	id @ID@,
	username TEXT NOT NULL,
	address TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_addr ON login_failures (address, at);

-- Append-only: every write in the product adds one row here in the same
-- transaction. hash = SHA-256 over prev_hash and the row's fields.
CREATE TABLE audit_log (
	id @ID@,
	at BIGINT NOT NULL,
	user_id BIGINT,
	actor TEXT NOT NULL,
	area_id BIGINT,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	entity_id BIGINT,
	before_json TEXT,
	after_json TEXT,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
