-- Pets (携宠善行): the registry of each household's pets with the dog's
-- licence and the rabies vaccination, the reminders sent before either
-- falls due (one per pet, kind and due day), the civilised-pet pledge
-- (文明养宠承诺) a household signs, and the pet-nuisance case category
-- beside pet waste. Rules: docs/pets.md.

CREATE TABLE pets (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	kind TEXT NOT NULL,                      -- dog, cat, other
	name TEXT NOT NULL,
	licence_no TEXT NOT NULL DEFAULT '',     -- 犬证号, dogs only
	licence_issued_on TEXT,                  -- YYYY-MM-DD, not after the day entered
	licence_expires_on TEXT,                 -- YYYY-MM-DD, after issued_on
	rabies_on TEXT,                          -- last rabies vaccination, not in the future
	created_by BIGINT REFERENCES users(id),
	created_at BIGINT NOT NULL,
	archived INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX pets_household ON pets (household_id, archived);
CREATE INDEX pets_area ON pets (area_id, archived);

-- One reminder per pet, kind (licence, rabies) and the day it falls due:
-- the unique key is what makes a reminder go once however often the job
-- runs, and a renewed licence (a new due day) be reminded again.
CREATE TABLE pet_reminders (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	pet_id BIGINT NOT NULL REFERENCES pets(id),
	kind TEXT NOT NULL,
	due_on TEXT NOT NULL,
	sent_at BIGINT NOT NULL,
	recipients BIGINT NOT NULL DEFAULT 0,    -- inbox messages written
	UNIQUE (pet_id, kind, due_on)
);

-- The pledge a household signs (one live pledge per household; signing
-- again after a year renews it).
CREATE TABLE pet_pledges (
	id @ID@,
	area_id BIGINT NOT NULL REFERENCES areas(id),
	household_id BIGINT NOT NULL REFERENCES households(id),
	user_id BIGINT REFERENCES users(id),
	signer TEXT NOT NULL,
	signed_at BIGINT NOT NULL
);
CREATE INDEX pet_pledges_household ON pet_pledges (household_id, signed_at);

-- Where reminders also go, per area, when the committee configures it: a
-- webhook (e.g. an SMS gateway) that gets each reminder through the
-- outbox with the household's phones. '' : inbox only.
CREATE TABLE pets_settings (
	area_id BIGINT PRIMARY KEY REFERENCES areas(id),
	reminder_webhook TEXT NOT NULL DEFAULT ''
);

-- Pet nuisance (barking, off-lead dogs) beside pet waste, for the areas
-- that already have their categories; new areas get it from the seed list.
INSERT INTO case_categories (area_id, code, name_zh, name_en, private, handler_team_id,
	resolve_days, questions, sort_order)
SELECT c.area_id, 'pet_nuisance', '宠物扰民', 'Pet nuisance', 0, c.handler_team_id,
	c.resolve_days, '[]', c.sort_order
FROM case_categories c
WHERE c.code = 'pet_waste'
  AND NOT EXISTS (SELECT 1 FROM case_categories o WHERE o.area_id = c.area_id
                  AND o.code = 'pet_nuisance');
