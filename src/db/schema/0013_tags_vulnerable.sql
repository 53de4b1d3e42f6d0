-- A tag may mark a vulnerable group (孤老, 独居老人, 残疾人, 低保家庭): the
-- residents carrying one are listed, with their door, only to roles with
-- the people.vulnerable permission. The groups the committee already keeps
-- are marked by name; others are marked on the tag's page.
ALTER TABLE tags ADD COLUMN vulnerable INTEGER NOT NULL DEFAULT 0;
UPDATE tags SET vulnerable = 1 WHERE name IN ('孤老', '独居老人', '残疾人', '低保家庭');
