-- When a case last changed in what the public sees of it (its state, the
-- public note, who handles it, its deadline): Open311's updated_datetime.
-- Internal notes, mediation sessions, ratings and recurrences leave it alone.
ALTER TABLE cases ADD COLUMN public_updated_at BIGINT;
UPDATE cases SET public_updated_at = updated_at;
