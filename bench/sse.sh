#!/usr/bin/env bash
# Benchmark (not a test): N plaza displays (default 10,000, as the open-file
# limit allows) hold their event streams open on one linli server (2
# threads), on SQLite and on PostgreSQL (a throwaway cluster when the
# server binaries are installed). For a hold of BENCH_HOLD seconds it
# prints the requests per second the server answered (from /metrics), the
# events it sent, its CPU and RSS; then the time from one reading sent to
# it reaching each display (p50/p99/max) and how many never had it. The
# reference in the same run: the reconnecting stream as it was (each
# answer ends, the browser asks again each second), measured with wrk on
# the same route: N displays that way need N requests a second, shown as
# a share of what the server can answer at all.
#   bench/sse.sh [BUILD_DIR]     (BENCH_STREAMS, BENCH_HOLD change the size)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
streams=${BENCH_STREAMS:-10000}
hold=${BENCH_HOLD:-10}
conns=64
duration=5
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init cc
# Each stream is a socket here and one in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
if [ "$limit" != unlimited ] && [ $((streams + 512)) -gt "$limit" ]; then
	streams=$((limit - 512))
	echo "bench sse: the open-file limit is $limit: $streams streams"
fi
cc -O2 -o "$work/client" "$root/bench/sse_client.c"
tck=$(getconf CLK_TCK)

# cpu_ticks PID: user + system ticks of the process so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# requests: the server's requests of the display's event route so far.
requests() {
	curl -s "http://127.0.0.1:$port/metrics" |
		awk '/^linli_http_requests_total\{method="GET",route="\/noise\/display\/:id\/events"/ { n += $2 } END { print n + 0 }'
}
# wait_for WORD: until the client says it.
wait_for() { for _ in $(seq 6000); do grep -q "$1" "$work/client.err" && return 0; sleep 0.02; done; }

# run NAME DB_URL: load, serve, hold the streams, send a reading.
run() {
	local name=$1 db=$2 token tok_id csrf meter r0 r1 c0 c1 t0 t1 rss out
	"$linli" demo --no-serve --no-history --db "$db" >/dev/null 2>&1
	LINLI_CONN_MAX=$((streams + 1000)) LINLI_CONN_RESERVE=0 LINLI_PER_IP_LIMIT=$((streams + 500)) \
		LINLI_STREAM_MAX=$((streams + 100)) start_linli "$db"
	"$linli" token add bench-meter --role meter --area pushan --db "$db" >"$work/token" 2>"$work/token.err"
	token=$(head -n 1 "$work/token")
	tok_id=$(sed -n 's/.*Token \([0-9]*\).*/\1/p' "$work/token.err" | head -n 1)
	csrf=$(curl -s -c "$work/jar" -H 'Content-Type: application/json' \
		-d '{"username":"secretary","password":"pushan-secretary"}' \
		"http://127.0.0.1:$port/api/v1/login" | sed 's/.*"csrf_token":"\([^"]*\)".*/\1/')
	meter=$(curl -s -b "$work/jar" "http://127.0.0.1:$port/api/v1/meters" |
		python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin)["items"] if m["name"] == "五月花广场分贝仪"][0])')
	curl -s -o /dev/null -b "$work/jar" -X PUT -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
		-d "{\"token_id\":$tok_id}" "http://127.0.0.1:$port/api/v1/meters/$meter"
	: >"$work/client.err"
	"$work/client" "$port" "/noise/display/$meter/events" "$streams" "$hold" '"level":77.1' \
		"$token" 77.1 \
		>"$work/client.out" 2>"$work/client.err" &
	local cpid=$!
	wait_for hold-start
	r0=$(requests) c0=$(cpu_ticks "$linli_pid") t0=$(date +%s.%N)
	wait_for hold-end
	r1=$(requests) c1=$(cpu_ticks "$linli_pid") t1=$(date +%s.%N)
	rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$linli_pid/status")
	wait "$cpid"
	out=$(cat "$work/client.out")
	read -r opened open_s _ events p50 p99 max missing <<<"$out"
	awk -v n="$name" -v o="$opened" -v os="$open_s" -v r0="$r0" -v r1="$r1" -v c0="$c0" -v c1="$c1" \
		-v t0="$t0" -v t1="$t1" -v tck="$tck" -v ev="$events" -v h="$hold" -v rss="$rss" 'BEGIN {
		printf "  %-10s %d streams open in %.1f s; held %d s: %.1f requests/s (%d in all), %.0f events/s, CPU %.1f%% of a core, RSS %d MB\n",
			n, o, os, h, (r1 - r0) / (t1 - t0), r1 - r0, ev / h, 100 * (c1 - c0) / tck / (t1 - t0), rss }'
	printf '  %-10s one reading reached the displays in p50 %s ms, p99 %s ms, max %s ms; %s never had it\n' \
		"$name" "$p50" "$p99" "$max" "$missing"
	# The reference: the stream as it was, one answer then the browser again.
	local rps
	read -r rps _ < <(run_wrk "http://127.0.0.1:$port/noise/display/$meter/events")
	awk -v n="$name" -v s="$streams" -v r="$rps" -v c="$conns" 'BEGIN {
		printf "  %-10s reference, reconnecting each second as before: %d requests/s needed, %.1f%% of the %.0f/s the server answers at most (wrk, %d connections)\n",
			n, s, 100 * s / r, r, c }'
	kill "$linli_pid"
	wait "$linli_pid" 2>/dev/null || true
}

printf 'bench sse: %d plaza displays on one server (2 threads), held %d s; %s\n' "$streams" "$hold" \
	"$(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo), $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -n 1)"
run sqlite "sqlite:$work/bench.db"
start_pg
if [ -n "$pg_url" ]; then
	run postgresql "$pg_url"
else
	echo "  postgresql: skipped (no PostgreSQL server binaries; set PG_BIN)"
fi
