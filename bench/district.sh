#!/usr/bin/env bash
# Benchmark (not a test): a synthetic district on PostgreSQL and what its
# users wait for. Builds the district with COPY (300 areas in 15 streets,
# 1.5 M residents in 500,000 households, 50,000 members, 150,000 cases over
# two years with their timelines, 300 meters with 7 days of per-second
# readings and 90 days of minute statistics: 90 days of seconds would be
# 2.3 billion rows, more than this kind of machine holds), then measures
# with bench/district_client.c p50/p95/p99 of each page and API as an area
# user (and a street user, when those routes exist), sustained ingest of
# 3,000 readings/s through HTTP batches (p99 batch latency, refused), and
# the server's memory. Prints a table with the machine it ran on.
# Targets (issue 15): page p95 <= 50 ms, ingest p99 <= 200 ms with nothing
# refused, RSS <= 128 MB.
#   bench/district.sh [BUILD_DIR]
# Knobs (environment):
#   DISTRICT_SCALE   fraction of the 300 areas / 15 streets (default 1; 0.01 =
#                    3 areas: a quick run). Per-area sizes never scale.
#   DISTRICT_PG      postgres://... of an existing empty database (default: a
#                    cluster of our own in the work folder, durable settings)
#   DISTRICT_KEEP    a folder: build the cluster there and keep it; a second run
#                    with the same folder and scale skips the build
#   BENCH_SECONDS    seconds per page measured (default 10)
#   BENCH_CONNS      concurrent clients per page (default 4)
#   INGEST_SECONDS   sustained ingest duration (default 300)
#   INGEST_RATE      readings/s (default 3000, spread over 300 meters)
#   LINLI_THREADS    server threads (default 4)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
scale=${DISTRICT_SCALE:-1}
seconds=${BENCH_SECONDS:-10}
conns=${BENCH_CONNS:-4}
ingest_s=${INGEST_SECONDS:-300}
ingest_rate=${INGEST_RATE:-3000}
threads=${LINLI_THREADS:-4}
ingest_meters=300

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init psql cc curl
# runs as root in CI-like boxes: initdb refuses root
runas=()
if [ "$(id -u)" -eq 0 ]; then
	id -u linlitest >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin linlitest
	runas=(runuser -u linlitest --)
fi
say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ------------------------------------------------------------ the database
pgbin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
pgdir=${DISTRICT_KEEP:-$work/pg}
start_pg() {
	local fresh=0
	mkdir -p "$pgdir"
	[ ${#runas[@]} -eq 0 ] || chown linlitest: "$pgdir"
	chmod 0711 "$pgdir"
	if [ ! -f "$pgdir/data/PG_VERSION" ]; then
		"${runas[@]}" "$pgbin/initdb" -D "$pgdir/data" -U linli --auth=trust --encoding=UTF8 \
			--locale=C >"$work/initdb.log"
		fresh=1
	fi
	"${runas[@]}" mkdir -p "$pgdir/sock"
	pgport=$(free_port)
	# Durable (fsync on, synchronous_commit on): what a deployment runs.
	# random_page_cost 1.1: the disk is an SSD; at the default 4 the planner
	# reads a day of one meter's seconds by bitmap scan and sort, twice as
	# slow as walking the primary key in order (docs/scale.md).
	"${runas[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 120 -o \
		"-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories=$pgdir/sock \
		 -c shared_buffers=512MB -c max_wal_size=4GB -c checkpoint_timeout=15min \
		 -c work_mem=16MB -c maintenance_work_mem=256MB -c random_page_cost=1.1" start >/dev/null
	pg_stop=("${runas[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" stop -m fast)
	[ "$fresh" -eq 0 ] || "${runas[@]}" "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U linli linli
	db="postgres://linli@127.0.0.1:$pgport/linli"
}
pg_stop=()
trap '[ ${#pg_stop[@]} -eq 0 ] || "${pg_stop[@]}" >/dev/null 2>&1; bench_cleanup' EXIT
if [ -n "${DISTRICT_PG:-}" ]; then
	db=$DISTRICT_PG
else
	start_pg
fi
q() { psql -X -q -t -A -v ON_ERROR_STOP=1 "$db" -c "$1"; }
# The audit chain's key lives with the database it signs.
export LINLI_AUDIT_KEY=${LINLI_AUDIT_KEY:-$pgdir/audit.key}

cc -O2 -Wall -Wextra -o "$work/district_client" "$root/bench/district_client.c" -lcurl -lm

# ------------------------------------------------------------ the district
n_areas=$(awk -v s="$scale" 'BEGIN { n = int(300 * s + 0.5); print n < 1 ? 1 : n }')
n_streets=$(awk -v s="$scale" 'BEGIN { n = int(15 * s + 0.5); print n < 1 ? 1 : n }')
plan="$pgdir/plan.json"
copy() { # TABLE COLUMNS [GENERATOR...]
	local s n table=$1 columns=$2
	shift 2
	[ $# -gt 0 ] || set -- python3 "$root/bench/district_gen.py" "$table" "$plan"
	s=$(date +%s.%N)
	# Foreign-key checks off for the load (session_replication_role): the
	# generator refers only to rows it wrote, and 181 M deferred checks
	# would take longer than the load itself.
	n=$("$@" | PGOPTIONS="-c session_replication_role=replica" \
		psql -X -v ON_ERROR_STOP=1 "$db" -c "COPY $table ($columns) FROM STDIN")
	say "$(printf '%-15s %10s rows  %6.1f s' "$table" "${n#COPY }" \
		"$(awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')")"
}
built=$(q "SELECT COUNT(*) FROM areas" 2>/dev/null || echo 0)
if [ "$built" = "$n_areas" ]; then
	say "district of $n_areas areas already built in $pgdir"
else
	[ "$built" = 0 ] || { echo "bench district: $pgdir holds $built areas, not $n_areas" >&2; exit 2; }
	date +%s >"$pgdir/build_start"
	say "demo area (migrations, categories, accounts)"
	"$linli" demo --no-serve --no-history --db "$db" >/dev/null 2>&1
	demo_area=$(q "SELECT id FROM areas WHERE code = 'pushan'")
	now=$(date +%s)
	# Readings end three hours ago, so the ingest that follows sends
	# seconds nobody sent before, still within the 7 days a meter may.
	t0=$((now - 3 * 3600))
	python3 - "$plan" "$n_areas" "$n_streets" "$demo_area" "$now" "$t0" "$db" <<'PY'
import json, subprocess, sys
out, n_areas, n_streets, demo, now, t0, db = sys.argv[1:8]
n_areas, n_streets, demo, now, t0 = int(n_areas), int(n_streets), int(demo), int(now), int(t0)
def q(sql):
    return subprocess.run(["psql", "-X", "-t", "-A", db, "-c", sql], check=True,
                          capture_output=True, text=True).stdout.split()
first = {}
for t in ("streets", "areas", "compounds", "buildings", "households", "residents", "branches",
          "members", "cases", "case_events", "api_tokens", "meters"):
    first[t] = int(q("SELECT COALESCE(MAX(id), 0) + 1 FROM " + t)[0])
areas = [demo] + [first["areas"] + i for i in range(n_areas - 1)]
street, district = q("SELECT s.id, s.district_id FROM areas a JOIN streets s ON s.id = a.street_id"
                     " WHERE a.id = %d" % demo)[0].split("|")
per = {"compounds": 4, "buildings_per_compound": 25, "households": 1667, "residents": 5000,
       "members": 167, "cases": 500}
json.dump({"areas": areas, "first": first, "per_area": per, "now": now, "t0": t0,
           "district_id": int(district), "demo_street": int(street), "new_streets": n_streets - 1,
           "raw_days": 7, "minute_days": 90, "categories": {}}, open(out, "w"))
PY
	copy streets "id, district_id, code, name"
	copy areas "id, street_id, code, name"
	# Every generated area gets the demo area's report categories.
	q "INSERT INTO case_categories (area_id, code, name_zh, name_en, description, private,
	     resolve_days, questions, sort_order, emergency)
	   SELECT a.id, k.code, k.name_zh, k.name_en, k.description, k.private, k.resolve_days,
	     k.questions, k.sort_order, k.emergency
	   FROM areas a CROSS JOIN case_categories k
	   WHERE k.area_id = $demo_area AND a.id <> $demo_area"
	python3 - "$plan" "$db" <<'PY'
import json, subprocess, sys
plan = json.load(open(sys.argv[1]))
rows = subprocess.run(["psql", "-X", "-t", "-A", sys.argv[2], "-c",
                       "SELECT area_id, id FROM case_categories WHERE private = 0 ORDER BY id"],
                      check=True, capture_output=True, text=True).stdout.split()
for r in rows:
    a, k = r.split("|")
    plan["categories"].setdefault(a, []).append(int(k))
json.dump(plan, open(sys.argv[1], "w"))
PY
	copy compounds "id, area_id, name, address, kind, built_year"
	copy buildings "id, area_id, compound_id, name, floors"
	copy households "id, area_id, building_id, door, area_centi"
	copy residents "id, area_id, household_id, name, gender, birth_year, phone, is_owner"
	copy branches "id, area_id, name, kind"
	copy members "id, area_id, branch_id, resident_id, name, gender, birth_year, phone, joined_on"
	copy cases "id, area_id, category_id, tracking_code, state, description, address, \
		reporter_name, reporter_phone, channel, created_at, updated_at, accepted_at, \
		resolved_at, closed_at, accept_due, resolve_due, rating"
	copy case_events "id, case_id, at, actor, kind, from_state, to_state, note, public"
	copy api_tokens "id, name, token_hash, area_id, role, created_at"
	copy meters "id, area_id, name, zone_class, token_id"
fi
# The ids COPY wrote are past the sequences: move them on (every run: a
# build interrupted before this point resumes without it).
q "DO \$\$ DECLARE t text; BEGIN
     FOREACH t IN ARRAY ARRAY['streets', 'areas', 'case_categories', 'compounds',
       'buildings', 'households', 'residents', 'branches', 'members', 'cases',
       'case_events', 'api_tokens', 'meters'] LOOP
       EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, ''id''),
         (SELECT MAX(id) FROM %I))', t, t);
     END LOOP; END \$\$"
# The seconds and minutes, each its own step so an interrupted build
# resumes where it stopped (with DISTRICT_KEEP).
first_meter=$(q "SELECT MIN(id) FROM meters WHERE name LIKE '基准监测点%'")
t0=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["t0"])' "$plan" 2>/dev/null ||
	echo $(($(date +%s) - 3 * 3600)))
# Readings are partitioned by month (Shanghai time) on PostgreSQL since
# 0031_readings_parts; linli makes this month's and the next ones, the
# benchmark the earlier months its seconds fall in, named as linli does.
python3 - "$t0" <<'PY' | psql -X -q -v ON_ERROR_STOP=1 "$db"
import datetime, sys
t0, tz = int(sys.argv[1]), 8 * 3600
def month_start(t):
    d = datetime.datetime.utcfromtimestamp(t + tz)
    return datetime.datetime(d.year, d.month, 1)
m, end = month_start(t0 - 8 * 86400), month_start(t0)
while m <= end:
    n = datetime.datetime(m.year + m.month // 12, m.month % 12 + 1, 1)
    ts = lambda d: int((d - datetime.datetime(1970, 1, 1)).total_seconds()) - tz
    print("CREATE TABLE IF NOT EXISTS noise_readings_p%04d%02d PARTITION OF noise_readings"
          " FOR VALUES FROM (%d) TO (%d);" % (m.year, m.month, ts(m), ts(n)))
    m = n
PY
# Two streams at once, half the meters each: COPY is bound by one core.
half=$(((n_areas + 1) / 2))
if [ -z "$(q "SELECT 1 FROM noise_readings WHERE meter_id = $first_meter LIMIT 1")" ]; then
	copy noise_readings "meter_id, t, laeq_centi, lmax_centi, source" \
		"$work/district_client" seconds "$first_meter" "$half" "$t0" 7 &
	p1=$!
	copy noise_readings "meter_id, t, laeq_centi, lmax_centi, source" \
		"$work/district_client" seconds "$((first_meter + half))" "$((n_areas - half))" "$t0" 7 &
	wait "$p1" && wait $!
fi
# BENCH-ROLLUP: the seconds' minute and hour rollups (0031_readings_parts)
# are left to linli: each meter's week goes on the rollup backlog, which
# the noise.readings job works off once the server runs (at full scale
# that takes a while: a faster way is to write them here with the
# seconds). The 90 days of minute statistics go into noise_minutes (span
# 60), where HJ 212 stations' minute data lands.
q "INSERT INTO noise_rollup_backlog (meter_id, from_t, to_t)
   SELECT id, $t0 - 7 * 86400, $t0 FROM meters WHERE name LIKE '基准监测点%'
   ON CONFLICT (meter_id) DO NOTHING" 2>/dev/null || true
if [ -z "$(q "SELECT 1 FROM noise_minutes WHERE meter_id = $first_meter LIMIT 1")" ]; then
	cols="meter_id, t, span_s, leq_centi, l5_centi, l10_centi, l50_centi, l90_centi, l95_centi,
		lmax_centi, lmin_centi, source"
	copy noise_minutes "$cols" "$work/district_client" minutes "$first_meter" "$half" "$t0" 90 &
	p1=$!
	copy noise_minutes "$cols" "$work/district_client" minutes "$((first_meter + half))" \
		"$((n_areas - half))" "$t0" 90 &
	wait "$p1" && wait $!
fi
if [ ! -f "$pgdir/analyzed" ]; then
	say "VACUUM ANALYZE"
	q "VACUUM ANALYZE" >/dev/null
	start=$(cat "$pgdir/build_start" 2>/dev/null || date +%s)
	echo $(($(date +%s) - start)) >"$pgdir/build_seconds"
	touch "$pgdir/analyzed"
fi
build_s=$(cat "$pgdir/build_seconds" 2>/dev/null || echo "?")
db_size=$(q "SELECT pg_size_pretty(pg_database_size(current_database()))")

# ------------------------------------------------------------ the server
port=$(free_port)
"$linli" serve --db "$db" --listen "127.0.0.1:$port" --threads "$threads" --log-level warn \
	>"$work/linli.out" 2>"$work/linli.err" &
linli_pid=$!
pids+=($linli_pid)
for _ in $(seq 100); do grep -q listening "$work/linli.out" 2>/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
demo_area=$(q "SELECT id FROM areas WHERE code = 'pushan'")
area_token=$("$linli" token add bench-area --role staff --area pushan --db "$db" 2>/dev/null)
street=$(q "SELECT s.code FROM areas a JOIN streets s ON s.id = a.street_id WHERE a.id = $demo_area")
district=$(q "SELECT d.code FROM areas a JOIN streets s ON s.id = a.street_id
	JOIN districts d ON d.id = s.district_id WHERE a.id = $demo_area")
# The street user (issue 15 §1) has a password, not a token: sign in
# through the API and send the session cookie. Empty where not built.
printf '%s\n' 'bench street password' | "$linli" user add bench-street --role street_staff \
	--street "$street" --password-stdin --db "$db" >/dev/null 2>&1 || true
street_cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d '{"username":"bench-street","password":"bench street password"}' "$base/api/v1/login" |
	awk -F'[:; ]+' 'tolower($1) == "set-cookie" { print $2; exit }')
street_token=${street_cookie:+cookie:$street_cookie}
meter=$(q "SELECT id FROM meters WHERE area_id = $demo_area AND name = '基准监测点000'")
month_to=$(date -u -d "@$(($(date +%s) + 8 * 3600))" +%Y-%m-%d)
month_from=$(date -u -d "$month_to - 29 days" +%Y-%m-%d)
surname=$(q "SELECT substr(name, 1, 1) FROM residents WHERE area_id = $demo_area ORDER BY id DESC LIMIT 1")
surname_q=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$surname")

results=()
measure() { # LABEL TOKEN PATH
	local label=$1 token=$2 path=$3 line
	# A route not merged yet answers 404 (a street Open311 jurisdiction too).
	local auth="Authorization: Bearer $token"
	[ "${token#cookie:}" = "$token" ] || auth="Cookie: ${token#cookie:}"
	if [ -z "$token" ] || [ "$(curl -s -o /dev/null -w '%{http_code}' -H "$auth" \
		"$base$path")" = 404 ]; then
		results+=("$(printf '%-34s %s' "$label" "n/a (not built)")")
		return
	fi
	line=$(nice -n 5 "$work/district_client" get "$base$path" "$token" "$conns" "$seconds")
	results+=("$(printf '%-34s %s' "$label" "$line")")
	say "$label: $line"
}
say "pages, $conns clients, ${seconds}s each"
measure "dashboard /registry" "$area_token" "/registry"
measure "dashboard API" "$area_token" "/api/v1/dashboard"
measure "resident search (surname)" "$area_token" "/residents?q=$surname_q"
measure "resident search (phone tail)" "$area_token" "/residents?q=4321"
measure "case queue /cases" "$area_token" "/cases"
measure "statistics /cases/stats" "$area_token" "/cases/stats"
measure "Open311 requests.json (area)" "$area_token" \
	"/open311/v2/requests.json?jurisdiction_id=pushan"
measure "Open311 requests.json (street)" "$area_token" \
	"/open311/v2/requests.json?jurisdiction_id=$street"
measure "noise report, one month" "$area_token" \
	"/noise/reports?meter=$meter&from=$month_from&to=$month_to"
measure "Open311 requests.json (district)" "$area_token" \
	"/open311/v2/requests.json?jurisdiction_id=$district"
measure "street overview /region (street user)" "$street_token" "/region"
measure "street areas API (street user)" "$street_token" "/api/v1/region/areas"
rss_pages=$(awk '/VmRSS/ { print $2 }' "/proc/$linli_pid/status")

say "ingest: $ingest_rate readings/s over $ingest_meters meters for ${ingest_s}s"
python3 "$root/bench/district_gen.py" tokens "$n_areas" >"$work/tokens.txt"
# Fewer areas than 300 at a small scale: the extra meters sit in the demo
# area, so the load is the same 300 senders whatever the scale.
if [ "$n_areas" -lt "$ingest_meters" ]; then
	extra=$((ingest_meters - n_areas))
	python3 - "$extra" "$demo_area" "$work/extra.tsv" >>"$work/tokens.txt" <<'PY'
import hashlib, sys
with open(sys.argv[3], "w") as tsv:
    for k in range(int(sys.argv[1])):
        tok = "bench-district-extra-%06d" % k
        tsv.write("bench-extra-%d\t%s\t%s\tmeter\t0\n"
                  % (k, hashlib.blake2b(tok.encode(), digest_size=32).hexdigest(), sys.argv[2]))
        print(tok)
PY
	if [ "$(q "SELECT COUNT(*) FROM api_tokens WHERE name LIKE 'bench-extra-%'")" = 0 ]; then
		psql -X -q -v ON_ERROR_STOP=1 "$db" \
			-c "COPY api_tokens (name, token_hash, area_id, role, created_at) FROM STDIN" \
			<"$work/extra.tsv"
		q "INSERT INTO meters (area_id, name, zone_class, token_id)
		   SELECT area_id, name, '1', id FROM api_tokens WHERE name LIKE 'bench-extra-%'"
	fi
fi
# Seconds no earlier run sent: after the newest of the first meter, so
# a second run on a kept district stores rather than counts duplicates.
t_ingest=$(q "SELECT COALESCE(MAX(t), 0) + 1 FROM noise_readings WHERE meter_id = $first_meter")
span=$((ingest_s * (ingest_rate / ingest_meters)))
if [ $((t_ingest + span)) -gt "$(date +%s)" ]; then
	echo "bench district: the readings reach too close to now for ${ingest_s}s of ingest;" \
		"wait or rebuild" >&2
	exit 2
fi
ingest=$(nice -n 5 "$work/district_client" ingest "$base/api/v1/noise/readings" "$work/tokens.txt" \
	"$ingest_rate" "$ingest_s" "$t_ingest")
say "ingest: $ingest"
rss_end=$(awk '/VmRSS/ { print $2 }' "/proc/$linli_pid/status")
rss_peak=$(awk '/VmHWM/ { print $2 }' "/proc/$linli_pid/status")

# ------------------------------------------------------------ the table
mem=$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)
cpu=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "bench district: scale $scale = $n_areas areas in $n_streets streets, database $db_size" \
	"(built in ${build_s}s)"
echo "  rows: $(q "SELECT (SELECT COUNT(*) FROM residents) || ' residents, ' ||
	(SELECT COUNT(*) FROM households) || ' households, ' || (SELECT COUNT(*) FROM members) ||
	' members, ' || (SELECT COUNT(*) FROM cases) || ' cases, ' ||
	(SELECT COUNT(*) FROM case_events) || ' case events, ' ||
	(SELECT reltuples::bigint FROM pg_class WHERE relname = 'noise_readings') ||
	' readings (7 days of seconds), ' ||
	(SELECT reltuples::bigint FROM pg_class WHERE relname = 'noise_minutes') ||
	' minutes (90 days; these two estimated)'")"
echo "  machine: $(nproc) cores ($cpu), $mem RAM, $(uname -sr)," \
	"PostgreSQL $("$pgbin/postgres" --version | awk '{ print $3 }'), load average at the end" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
echo "  server: linli serve --threads $threads (build $(basename "$build")), $conns clients per page," \
	"${seconds}s each"
printf '  %-34s %s\n' "page / API (area user unless said)" \
	"$(printf '%8s %8s %8s %8s %7s' 'req/s' 'p50 ms' 'p95 ms' 'p99 ms' 'non-2xx')"
for r in "${results[@]}"; do echo "  $r"; done
echo "  ingest ($ingest_rate readings/s, $ingest_meters meters, ${ingest_s}s): $ingest"
awk -v a="$rss_pages" -v b="$rss_end" -v c="$rss_peak" 'BEGIN {
	printf "  server RSS: %.1f MB after the pages, %.1f MB after ingest, peak %.1f MB (target <= 128 MB)\n",
	a / 1024, b / 1024, c / 1024 }'
