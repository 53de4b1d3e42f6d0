#!/usr/bin/env python3
"""Distributing by area: reads a migrated PostgreSQL database's catalogue
and checks that every table could be distributed by area_id (Citus) or is
a reference table named below. Prints TAP, one line per table.

    scripts/check-schema.py postgres://user@host:port/db

The rule (docs/scale.md, "Distributing by area"):
  1. A table is a reference table (REFERENCE: small, global, copied to
     every node) or an area table. An area table has a NOT NULL area_id,
     the distribution column.
  2. Every primary key and unique key of an area table includes area_id,
     except the surrogate id primary key (every area table's, widened to
     (area_id, id) in one statement per table when the schema is
     distributed) and the keys listed in GLOBAL_KEYS and PARENT_KEYS.
  3. Child tables still without area_id are listed in CHILDREN with the
     parent they are reached through; they are the debt to pay before
     distribution, and the list may only shrink.
A table or key that is in no list fails with its name; a list entry that
no longer matches the schema fails too, so the lists stay true.
Several helpers add tables at the same time: add yours to a list only with
its reason.
"""
import subprocess
import sys

# Global, small, read everywhere: places above the area, accounts,
# bookkeeping.
REFERENCE = {
    "areas": "the areas themselves (the distribution column points here)",
    "data_version": "one counter the response cache keys on",
    "districts": "places above the area",
    "holidays": "the national calendar of working days",
    "leases": "the job runner's leases, one row per job",
    "login_failures": "by user name and address, before any area is known",
    "schema_migrations": "the migrations applied",
    "streets": "places above the area",
    "user_scopes": "an account's street or district, above any area",
    "users": "an account may hold roles in several areas (user_roles)",
}

# Tables whose area_id may be NULL, and why.
NULLABLE_AREA = {
    "audit_log": "one hash chain for the deployment; entries without an area (init, users)",
}

# Child tables without area_id, reached through their parent's key.
CHILDREN = {
    "case_events": "cases",
    "case_photos": "cases",
    "mediation_sessions": "cases",
    "noise_alert_state": "noise_alert_rules",
    "noise_minutes": "meters",
    "noise_readings": "meters",
    "noise_rollup_backlog": "meters",
    "noise_rollup_hours": "meters",
    "noise_rollup_minutes": "meters",
    "referrals": "cases",
    "resident_tags": "residents",
    "schedule_sessions": "schedule_weeks",
    "survey_answers": "survey_visits",
    "survey_drafts": "survey_visits",
    "volunteer_availability": "volunteers",
    "volunteer_away": "volunteers",
}

# Unique keys found by a value that arrives without its area (a code typed
# or scanned, a token, a station's MN): on a distributed engine each needs a
# reference lookup table (value -> area_id) or a value made unique by
# construction. Index name -> what looks it up.
GLOBAL_KEYS = {
    "api_tokens_token_hash_key": "a bearer token",
    "assembly_codes_code_hash_key": "an owner's voting code",
    "cases_tracking_code_key": "a resident's tracking code",
    "hours_entries_reverses": "a reversal names the entry it reverses (an id)",
    "meters_mn": "an HJ 212 station's MN",
    "sessions_token_hash_key": "a session cookie",
}

# Unique keys scoped by a parent that lies in one area: unique per area
# already; widened with area_id when distributed.
PARENT_KEYS = {
    "agenda_items_meeting_id_source_key_key",
    "assembly_buildings_pkey",
    "assembly_doors_pkey",
    "assembly_entries_sheet_id_pass_key",
    "assembly_groups_assembly_id_name_key",
    "assembly_matters_assembly_id_code_key",
    "assembly_parts_assembly_id_unit_key",
    "buildings_compound_id_name_key",
    "cobuild_project_resources_project_id_unit_id_resource_id_key",
    "cobuild_projects_need_id_key",
    "duty_assignments_shift_id_volunteer_id_key",
    "duty_shifts_window_id_day_key",
    "event_registrations_event_id_code_key",
    "event_registrations_live",
    "hours_entries_source",
    "hours_balances_pkey",
    "households_building_id_door_key",
    "pet_reminders_pet_id_kind_due_on_key",
    "race_checkpoints_event_id_code_key",
    "race_checkpoints_event_id_seq_key",
    "race_punches_team_id_checkpoint_id_key",
    "race_teams_event_id_code_key",
    "survey_assignments_campaign_id_building_id_volunteer_id_key",
    "survey_buildings_campaign_id_building_id_key",
    "survey_questions_campaign_id_code_key",
}

TABLES = """
SELECT c.relname,
       COALESCE((SELECT CASE WHEN a.attnotnull THEN 'notnull' ELSE 'null' END
                 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'area_id'
                 AND NOT a.attisdropped), 'none')
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
ORDER BY c.relname
"""

# Unique indexes (primary keys included) with their columns, in order.
KEYS = """
SELECT c.relname, ic.relname, i.indisprimary,
       ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
             LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             ORDER BY k.n)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE c.relnamespace = current_schema()::regnamespace AND i.indisunique
  AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY 1, 2
"""


def query(url, sql):
    out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-d", url, "-c", sql],
                         check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def main():
    if len(sys.argv) != 2:
        print("usage: check-schema.py POSTGRES_URL", file=sys.stderr)
        return 2
    url = sys.argv[1]
    tables = dict(query(url, TABLES))
    keys = {}
    for table, index, primary, cols in query(url, KEYS):
        cols = [c for c in cols.strip("{}").split(",") if c and c != "NULL"]
        keys.setdefault(table, []).append((index, primary == "t", cols))

    results = []  # (ok, text)
    for table, area in sorted(tables.items()):
        problems = []
        if table in REFERENCE:
            if area != "none":
                problems.append("listed as a reference table but has area_id")
        elif table in CHILDREN:
            if area != "none":
                problems.append("has area_id now: take it off CHILDREN")
            elif CHILDREN[table] not in tables:
                problems.append(f"its parent {CHILDREN[table]} is gone")
        elif area == "none":
            problems.append("has no area_id and is not a reference table")
        elif area == "null" and table not in NULLABLE_AREA:
            problems.append("area_id may be NULL")
        if area != "none":
            for index, primary, cols in keys.get(table, []):
                if "area_id" in cols or (primary and cols == ["id"]):
                    continue
                if index in GLOBAL_KEYS or index in PARENT_KEYS:
                    continue
                problems.append(f"unique key {index} ({', '.join(cols)}) lacks area_id")
        kind = ("reference" if table in REFERENCE else
                f"child of {CHILDREN[table]}" if table in CHILDREN else "area table")
        results.append((not problems, f"{table}: {kind}" + (": " + "; ".join(problems)
                                                            if problems else "")))

    listed = set(REFERENCE) | set(CHILDREN) | set(NULLABLE_AREA)
    for table in sorted(listed - set(tables)):
        results.append((False, f"{table}: listed in scripts/check-schema.py but not in the schema"))
    indexes = {index for ks in keys.values() for index, _, _ in ks}
    for index in sorted((set(GLOBAL_KEYS) | PARENT_KEYS) - indexes):
        results.append((False, f"{index}: listed in scripts/check-schema.py but not in the schema"))

    print(f"1..{len(results)}")
    for n, (ok, text) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {n} - {text}")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
