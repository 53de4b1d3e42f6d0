-- A meeting called off before it began says why (meetings.cancelled is
-- set with it; the audit log keeps who and when).
ALTER TABLE meetings ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
