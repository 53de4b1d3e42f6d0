-- What the residents' front page tells about the committee: where it is,
-- when it is open, how to call it, and who is on duty each weekday.
ALTER TABLE areas ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE areas ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE areas ADD COLUMN office_hours TEXT NOT NULL DEFAULT '';

-- The social worker on duty on a weekday (1 = Monday ... 7 = Sunday),
-- one account per day; a day with no row has nobody named.
CREATE TABLE area_duty (
	area_id BIGINT NOT NULL REFERENCES areas(id),
	weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
	user_id BIGINT NOT NULL REFERENCES users(id),
	PRIMARY KEY (area_id, weekday)
);

-- Categories where a resident may be in danger now: the report form
-- first says to call 110 / 119 / 120.
ALTER TABLE case_categories ADD COLUMN emergency INTEGER NOT NULL DEFAULT 0;
UPDATE case_categories SET emergency = 1 WHERE code = 'safety';
