-- The second fence and the registry's search at district scale, on
-- PostgreSQL only (docs/scale.md, "Search" and "The second fence").
--
-- 1. Trigram indexes (pg_trgm, a trusted extension: the database's owner
--    may create it) for the registry's ?q= search, which is
--    LOWER(col) LIKE LOWER('%text%'): names, doors and phone tails of
--    households, residents and Party members. Chinese characters make
--    trigrams only in a database whose LC_CTYPE is a UTF-8 locale
--    (C.UTF-8, zh_CN.UTF-8); under LC_CTYPE=C a name search still answers
--    right, but by reading the area's rows.
--
-- 2. Row-level security: every table with an area_id column (but the few
--    named in linli_fence_exempt) refuses rows outside the areas the
--    connection was given in the setting linli.areas ("*" for all, or
--    "1,2,3"; unset or empty: none). linli sets it in src/db (db_scope_set):
--    "*" when a connection opens (jobs, the command line), the session's
--    area for each request. FORCE, because linli owns its tables and an
--    owner otherwise passes. A role that is superuser or BYPASSRLS passes
--    anyway: linli serve warns when it connects as one.
--
-- A later migration that adds an area table ends with SELECT linli_fence();

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Under row-level security a condition may serve as an index condition
-- only when its functions are LEAKPROOF (else it runs after the policy,
-- row by row): LIKE and LOWER are not marked so, and the search would read
-- the area's rows instead of the trigram indexes. Only a superuser may mark
-- them; when the migration runs as one it does, else the database's
-- administrator runs these two lines once (docs/scale.md, "Search"). Neither
-- can raise an error that tells a row's value.
DO $$
BEGIN
	IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
		ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF;
		ALTER FUNCTION pg_catalog.lower(text) LEAKPROOF;
	END IF;
END
$$;

CREATE INDEX households_door_trgm ON households USING gin (LOWER(door) gin_trgm_ops);
CREATE INDEX residents_name_trgm ON residents USING gin (LOWER(name) gin_trgm_ops);
CREATE INDEX residents_phone_trgm ON residents USING gin (LOWER(phone) gin_trgm_ops);
CREATE INDEX members_name_trgm ON members USING gin (LOWER(name) gin_trgm_ops);
CREATE INDEX members_phone_trgm ON members USING gin (LOWER(phone) gin_trgm_ops);

-- Tables with area_id that every request must read whatever its area:
-- the session and token tables (read to learn who is asking, before the
-- scope is known), the roles (a user's areas, to switch between them) and
-- the audit log (one hash chain across all areas: each entry seals the
-- previous one, whichever area it belongs to).
CREATE FUNCTION linli_fence_exempt() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['api_tokens', 'audit_log', 'sessions', 'user_roles']::text[]
$$;

-- The connection's areas: true when it may see every area.
CREATE FUNCTION linli_scope_all() RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT COALESCE(current_setting('linli.areas', true) = '*', false)
$$;

-- The connection's areas as a list (empty for "*", unset or empty).
CREATE FUNCTION linli_scope() RETURNS bigint[] LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN COALESCE(current_setting('linli.areas', true), '') IN ('', '*')
		THEN '{}'::bigint[]
		ELSE string_to_array(current_setting('linli.areas', true), ',')::bigint[] END
$$;

-- linli_fence puts the policy on every table of this schema that has an
-- area_id column and is not exempt (partitions follow their parent); it
-- can run again, and returns how many tables it fenced. The scope is read
-- through sub-selects so the planner computes it once per statement, not
-- once per row.
CREATE FUNCTION linli_fence() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	t record;
	n integer := 0;
BEGIN
	FOR t IN
		SELECT c.relname FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace
		JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'area_id'
			AND NOT a.attisdropped
		WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p')
			AND NOT c.relispartition AND c.relname <> ALL (linli_fence_exempt())
		ORDER BY c.relname
	LOOP
		EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
		EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.relname);
		EXECUTE format('DROP POLICY IF EXISTS linli_area ON %I', t.relname);
		EXECUTE format('CREATE POLICY linli_area ON %I USING ((SELECT linli_scope_all())'
			' OR area_id = ANY ((SELECT linli_scope())::bigint[]))', t.relname);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

SELECT linli_fence();
