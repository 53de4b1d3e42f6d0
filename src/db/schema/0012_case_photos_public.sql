-- The reporter allowed the case's photos to be shown publicly (their
-- downscaled copies, on Open311's media_url): 1, else 0.
ALTER TABLE cases ADD COLUMN photos_public INTEGER NOT NULL DEFAULT 0;
