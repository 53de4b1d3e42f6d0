#!/usr/bin/env bash
# Benchmark (not a test): a city's noise network over HJ 212-2017. N
# stations (default 10,000: Shanghai has about 6,000 residents' committees,
# one or two meters each) hold a TCP connection each to one `linli serve
# --hj212-listen` and send one real-time frame a second with the answer
# requested, for SECONDS seconds (a C client on epoll, bench/hj212_client.c),
# on SQLite and on PostgreSQL (a throwaway cluster when the server binaries
# are installed). Prints frames answered/s, the readings found in the
# database afterwards (every answered frame must be there), p50/p99/max
# from frame to answer, frames dropped (sent, never answered), connections
# the server closed, and the server's RSS (now and peak). The reference in
# the same run: the target, p99 <= 250 ms, as a ratio.
#   bench/hj212_city.sh [BUILD_DIR]   (HJ212_STATIONS, HJ212_SECONDS change
#                                      the size; HJ212_ENGINES="sqlite")
# Runs niced; raises ulimit -n to what N needs (the hard limit allowing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
stations=${HJ212_STATIONS:-10000}
seconds=${HJ212_SECONDS:-30}
engines=${HJ212_ENGINES:-sqlite postgresql}
sources=64 # loopback addresses the stations come from (127.0.1.1-64)
ramp=200   # stations dialling in at once; the server's pool is set above it

need=$((stations + 256))
if [ "$(ulimit -n)" -lt "$need" ]; then
	ulimit -n "$need" 2>/dev/null || {
		echo "bench: ulimit -n $need refused (hard limit $(ulimit -Hn))" >&2
		exit 2
	}
fi
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init cc sqlite3
cc -O2 -o "$work/client" "$root/bench/hj212_client.c"

# cpu_ticks PID: user + system clock ticks the process has used.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# meters SQL_CLIENT...: N meters BENCH00000.. with password 212212 in the
# demo's first area, written in one statement by the database itself.
meters_sql="INSERT INTO meters (area_id, name, zone_class, mn, hj212_password)"
meters_sqlite="WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $((stations - 1)))
 $meters_sql SELECT 1, 'city' || i, '1', printf('BENCH%05d', i), '212212' FROM n;"
meters_pg="$meters_sql SELECT 1, 'city' || i, '1', 'BENCH' || lpad(i::text, 5, '0'), '212212'
 FROM generate_series(0, $((stations - 1))) AS i;"

# run NAME DB_URL METERS_SQL SQL_CLIENT...: load, serve, measure, check.
run() {
	local name=$1 db=$2 sql=$3 hport out base answered rows rss peak p99
	shift 3
	"$linli" demo --no-serve --no-history --db "$db" >/dev/null 2>&1
	"$@" "$sql" >/dev/null
	hport=$(free_port)
	port=$(free_port)
	LINLI_HJ212_PENDING_MAX=$((ramp * 2)) LINLI_HJ212_PENDING_PER_IP=$((ramp * 2)) \
		nice "$linli" serve --db "$db" --listen "127.0.0.1:$port" --threads 2 \
		--hj212-listen "127.0.0.1:$hport" --log-level error \
		>"$work/linli.out" 2>"$work/linli.err" &
	linli_pid=$!
	pids+=($linli_pid)
	for _ in $(seq 50); do grep -q listening "$work/linli.out" 2>/dev/null && break; sleep 0.1; done
	cpu0=$(cpu_ticks "$linli_pid")
	out=$(nice "$work/client" "$hport" "$stations" "$seconds" BENCH 212212 "$sources" "$ramp") || true
	cpu1=$(cpu_ticks "$linli_pid")
	rss=$(awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$linli_pid/status")
	peak=$(awk '/^VmHWM/ { print int($2 / 1024) }' "/proc/$linli_pid/status")
	kill "$linli_pid"
	wait "$linli_pid" 2>/dev/null || true
	base=$(sed 's/.*base=\([0-9]*\).*/\1/' <<<"$out")
	answered=$(sed 's/.*answered=\([0-9]*\).*/\1/' <<<"$out")
	rows=$("$@" "SELECT COUNT(*) FROM noise_readings WHERE source = 'hj212' AND t >= $base;")
	p99=$(sed 's/.*p99_ms=\([-0-9]*\).*/\1/' <<<"$out")
	printf '  %-10s %s\n' "$name" "$out"
	printf '  %-10s %s readings stored since base, %s answered; server RSS %s MB (peak %s MB)\n' \
		"$name" "$rows" "$answered" "$rss" "$peak"
	# CPU: what the server burnt, whatever the machine's load let it have.
	awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$answered" -v s="$stations" -v nm="$name" \
		'BEGIN { us = n ? t / hz * 1e6 / n : 0
		         printf "  %-10s server CPU %.1f s: %.0f us a frame, %.2f cores for %d frames/s\n",
		                nm, t / hz, us, us * s / 1e6, s }'
	awk -v p="$p99" -v n="$name" \
		'BEGIN { printf "  %-10s p99 against the target of 250 ms: %.2f\n", n, p / 250 }'
	if [ "$rows" -lt "$answered" ]; then
		printf '  %-10s WRONG: %s answered frames but %s rows\n' "$name" "$answered" "$rows"
		status=1
	fi
}

status=0
printf 'bench hj212_city: %d stations, 1 frame/s each for %d s, answer requested; %s cores (%s), %s MB RAM\n' \
	"$stations" "$seconds" "$(nproc)" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
	"$(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo)"
if [[ " $engines " == *" sqlite "* ]]; then
	run sqlite "sqlite:$work/bench.db" "$meters_sqlite" sqlite3 "$work/bench.db"
fi

if [[ " $engines " != *" postgresql "* ]]; then
	:
elif start_pg && [ -n "$pg_url" ]; then
	url=$pg_url
	run postgresql "$url" "$meters_pg" psql -X -A -t -q "$url" -c
else
	echo "  postgresql: skipped (no PostgreSQL server binaries; set PG_BIN)"
fi
exit $status
