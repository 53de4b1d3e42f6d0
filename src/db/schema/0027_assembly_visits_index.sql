-- The doors of an assembly are read once per page (doors_store.c: every
-- visit of the assembly in (at, id) order); without this index that read
-- scans every visit of every assembly.
CREATE INDEX assembly_visits_assembly ON assembly_visits (assembly_id, at, id);
