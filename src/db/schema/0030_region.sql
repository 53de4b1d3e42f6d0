-- Streets and districts as users (docs/scale.md, "Streets and districts"):
-- an account that acts for a street office (街道) or a district holds one
-- scope here instead of (or as well as) roles in areas; its scope is every
-- area under that street or district. A session remembers the scope it
-- was opened with, so drilling into an area keeps the way back.

CREATE TABLE user_scopes (
	id @ID@,
	user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role TEXT NOT NULL,                        -- street_staff or district_staff
	street_id BIGINT REFERENCES streets(id),   -- set for street_staff
	district_id BIGINT REFERENCES districts(id), -- set for district_staff
	UNIQUE (user_id)
);

ALTER TABLE sessions ADD COLUMN scope_role TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN scope_id BIGINT NOT NULL DEFAULT 0; -- streets.id or districts.id

-- The 12345 hotline's work orders the street office hands to one of its
-- areas: each is a case of that area (filed by the street's account) and
-- the area's answer: returned (not ours, with the reason) or replied
-- (what was done). The street sees every one of its street's.
CREATE TABLE case_referrals (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	case_id BIGINT NOT NULL REFERENCES cases(id),
	street_id BIGINT NOT NULL REFERENCES streets(id),
	hotline_ref TEXT NOT NULL,                 -- the 12345 work order's number
	referred_by BIGINT NOT NULL REFERENCES users(id),
	referred_at BIGINT NOT NULL,
	state TEXT NOT NULL DEFAULT 'referred',    -- referred, returned, replied
	answer TEXT NOT NULL DEFAULT '',           -- the area's reason or reply
	answered_at BIGINT,
	UNIQUE (area_id, case_id)
);
CREATE INDEX case_referrals_street ON case_referrals (street_id, referred_at);
