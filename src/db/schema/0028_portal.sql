-- The residents' portal (src/portal): one-time codes that sign a resident
-- in by the phone number the registry holds for them, and where the codes
-- are sent (an SMS gateway's webhook through the outbox). A code is kept
-- only as a hash, lives PORTAL_CODE_SECONDS, is spent by its first good
-- use and refused after PORTAL_CODE_TRIES wrong ones. Rules: docs/portal.md.

CREATE TABLE portal_codes (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	resident_id BIGINT NOT NULL REFERENCES residents(id),
	phone TEXT NOT NULL,                 -- as the registry holds it (11 digits)
	code_hash TEXT NOT NULL,             -- BLAKE2b of the phone and the code
	created_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,          -- refused from this second on
	tries INTEGER NOT NULL DEFAULT 0,    -- wrong codes typed against it
	used_at BIGINT                       -- set by the one use that signed in
);
CREATE INDEX portal_codes_phone ON portal_codes (phone, created_at);

CREATE TABLE portal_settings (
	area_id BIGINT PRIMARY KEY REFERENCES areas(id),
	sms_webhook TEXT NOT NULL DEFAULT '' -- '' : the code goes to the log (development)
);
