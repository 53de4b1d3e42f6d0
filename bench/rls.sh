#!/usr/bin/env bash
# Benchmark (not a test): what the second fence costs (docs/scale.md, "The
# second fence"). One PostgreSQL database with the demo area, two linli
# servers on it: one connects as the database's owner, held by the
# row-level security policies; the other as a superuser, which passes
# them. The same pages (not cached: the response cache would hide the
# database) with a staff token on each, one server at a time: req/s, p99
# and the ratio with/without (1.00 = free).
#   bench/rls.sh [BUILD_DIR]       BENCH_SECONDS (default 10) per page and server,
#                                  BENCH_ROUNDS (default 2)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
duration=${BENCH_SECONDS:-10}
conns=16
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init psql

start_pg
[ -n "$pg_url" ] || { echo "bench: PostgreSQL server binaries not found (PG_BIN)" >&2; exit 2; }
super="${pg_url%/*}/linli"
owner="postgres://linli_owner@127.0.0.1:$pgport/linli"
psql -X -q -d "$pg_url" \
	-c "CREATE ROLE linli_owner LOGIN" \
	-c "CREATE DATABASE linli OWNER linli_owner TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
"$linli" demo --no-serve --no-history --db "$owner" >/dev/null 2>&1
# The administrator's one step (0032_fence.pg.sql): the search keeps its
# indexes under the policies.
psql -X -q -d "$super" -c "ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF" \
	-c "ALTER FUNCTION pg_catalog.lower(text) LEAKPROOF" -c "VACUUM ANALYZE"
token=$("$linli" token add bench --role staff --area pushan --db "$owner" 2>/dev/null)

# wrk_page URL: "req/s p99_ms"; a non-2xx answer fails the bench (an error
# page is cheap and would flatter either side).
wrk_page() {
	local out
	out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$1")
	if grep -q "Non-2xx" <<<"$out"; then
		echo "bench: $1: $(grep Non-2xx <<<"$out")" >&2
		exit 1
	fi
	awk '/Requests\/sec/ { rps = $2 }
	     /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
	                else if (v ~ /ms$/) { sub(/ms/, "", v) }
	                else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
	                p99 = v }
	     END { printf "%.0f %.2f\n", rps, p99 }' <<<"$out"
}

paths=("/residents?q=%E7%8E%8B" "/residents?q=1234" "/cases" "/cases/stats")
rounds=${BENCH_ROUNDS:-2}
declare -A rps p99
# Rounds alternate the two servers so a busy moment of the machine falls on
# both; each figure is the mean over the rounds.
for round in $(seq "$rounds"); do
	for side in without with; do
		url=$super
		[ "$side" = with ] && url=$owner
		start_linli "$url" "$side"
		for p in "${paths[@]}"; do
			code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
				"http://127.0.0.1:$port$p")
			[ "$code" = 200 ] || { echo "bench: $p answered $code ($side)" >&2; exit 1; }
			res=$(wrk_page "http://127.0.0.1:$port$p")
			read -r r q <<<"$res"
			rps[$side$p]=$(( ${rps[$side$p]:-0} + r ))
			p99[$side$p]=$(awk -v a="${p99[$side$p]:-0}" -v b="$q" 'BEGIN { print a + b }')
		done
		kill "$linli_pid"
		wait "$linli_pid" 2>/dev/null || true
	done
done
for k in "${!rps[@]}"; do
	rps[$k]=$(( rps[$k] / rounds ))
	p99[$k]=$(awk -v a="${p99[$k]}" -v n="$rounds" 'BEGIN { print a / n }')
done
# The database alone, without HTTP and page rendering around it: the
# statements of the search, the residents' list, the case queue and its
# counts under pgbench, as the superuser and as the owner held to the area.
area=$(psql -X -A -t -q -d "$super" -c "SELECT MIN(id) FROM areas")
cat >"$work/pages.sql" <<SQL
SELECT COUNT(*) FROM residents t WHERE t.area_id = $area AND t.archived = 0 AND (LOWER(t.name) LIKE '%王%' ESCAPE '\\' OR LOWER(t.phone) LIKE '%王%' ESCAPE '\\');
SELECT t.id, t.name, t.phone FROM residents t WHERE t.area_id = $area AND t.archived = 0 ORDER BY t.name, t.id LIMIT 50;
SELECT state, COUNT(*) FROM cases WHERE area_id = $area GROUP BY state;
SELECT c.id, c.description, c.state, k.name_zh FROM cases c JOIN case_categories k ON k.id = c.category_id WHERE c.area_id = $area ORDER BY c.id DESC LIMIT 50;
SQL
declare -A tps
for round in $(seq "$rounds"); do
	for side in without with; do
		url=$super
		[ "$side" = with ] && url=$owner
		t=$(PGOPTIONS="-c linli.areas=$area" pgbench -n -M prepared -f "$work/pages.sql" \
			-T "$duration" -c 2 -j 2 "$url" 2>/dev/null |
			awk '/^tps/ { printf "%.0f", $3 }')
		tps[$side]=$(( ${tps[$side]:-0} + t ))
	done
done
tps[with]=$(( tps[with] / rounds ))
tps[without]=$(( tps[without] / rounds ))

grep -i "row-level security" "$work/without.err" >/dev/null ||
	echo "bench: the superuser's server did not warn that it passes the fence" >&2

printf 'bench rls: PostgreSQL, demo area, staff token, %d connections, %ss per page, %d rounds\n' \
	"$conns" "$duration" "$rounds"
printf '  %-48s %18s %18s %6s\n' "page" "without (req/s p99)" "with (req/s p99)" "ratio"
for p in "${paths[@]}"; do
	printf '  %-48s %8d %7.2fms %8d %7.2fms %6.2f\n' "$p" "${rps[without$p]}" \
		"${p99[without$p]}" "${rps[with$p]}" "${p99[with$p]}" \
		"$(awk -v a="${rps[with$p]}" -v b="${rps[without$p]}" 'BEGIN { print a / b }')"
done
printf '  %-48s %8d tx/s %17d tx/s %6.2f\n' "the database alone (pgbench, 4 statements)" \
	"${tps[without]}" "${tps[with]}" "$(awk -v a="${tps[with]}" -v b="${tps[without]}" 'BEGIN { print a / b }')"
printf '  machine: %s cores, %s, load %s\n' "$(nproc)" \
	"$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" "$(cut -d' ' -f1-3 /proc/loadavg)"
