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
