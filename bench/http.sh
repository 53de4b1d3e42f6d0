#!/usr/bin/env bash
# Benchmark (not a test): a DB-backed JSON list (50 residents) from linli
# against nginx serving the same bytes from a file, both on loopback, in
# one run. Prints req/s, p99 latency, the ratio, and linli's resident
# memory with the demo area loaded. Targets: ratio >= 0.5, p99 <= 10 ms,
# RSS <= 64 MB.
#   bench/http.sh [BUILD_DIR]      (make bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
duration=${BENCH_SECONDS:-10}
conns=64
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init

db="sqlite:$work/bench.db"
"$linli" demo --no-serve --no-history --db "$db" >/dev/null 2>&1
token=$("$linli" token add bench --role staff --area pushan --db "$db" 2>/dev/null)
start_linli "$db"
path="/api/v1/residents?per_page=50&page=3"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" >"$work/residents.json"
start_nginx "$work/residents.json"

read -r n_rps n_p99 < <(run_wrk "http://127.0.0.1:$nport/residents.json")
read -r l_rps l_p99 < <(run_wrk "http://127.0.0.1:$port$path" "Authorization: Bearer $token")
rss_kb=$(awk '/VmRSS/ { print $2 }' "/proc/$linli_pid/status")
bytes=$(wc -c <"$work/residents.json")

printf 'bench http: %d connections, %ss each, %d-byte JSON list of 50 residents\n' \
	"$conns" "$duration" "$bytes"
printf '  nginx (same bytes, static file): %8d req/s  p99 %6.2f ms\n' "$n_rps" "$n_p99"
printf '  linli (SQLite, bearer token):    %8d req/s  p99 %6.2f ms\n' "$l_rps" "$l_p99"
awk -v l="$l_rps" -v n="$n_rps" 'BEGIN { printf "  ratio linli/nginx: %.2f (target >= 0.50)\n", l / n }'
awk -v k="$rss_kb" 'BEGIN { printf "  linli resident memory after the run: %.1f MB (target <= 64 MB)\n", k / 1024 }'
