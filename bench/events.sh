#!/usr/bin/env bash
# Benchmark (not a test): 2,000 registrations racing for 100 places of one
# event through POST /api/v1/events/:id/registrations (a small C client
# with libcurl multi, 64 connections), on SQLite and on PostgreSQL (a
# throwaway cluster when the server binaries are installed). Prints
# registrations/s and checks, from the database itself, that exactly 100
# are confirmed, the event's count says 100, and none is lost (2,000 rows).
# The reference in the same run: the same client against GET /healthz
# (the server's floor for one request), and the ratio.
#   bench/events.sh [BUILD_DIR]     (BENCH_REGS, BENCH_PLACES change the size)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
regs=${BENCH_REGS:-2000}
places=${BENCH_PLACES:-100}
conns=64
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init cc
export LINLI_ANON_WRITE_LIMIT=0 # one address sends them all
cc -O2 -o "$work/client" "$root/bench/events_client.c" -lcurl

# event DB_URL: a lecture with $places places, open now; prints its id.
event() {
	local now
	now=$(date +%s)
	"$linli" token add bench --role staff --area pushan --db "$1" >"$work/token" 2>/dev/null
	curl -sf -H "Authorization: Bearer $(cat "$work/token")" -H 'Content-Type: application/json' \
		-d "{\"kind\":\"lecture\",\"title\":\"bench\",\"starts_at\":$((now + 86400)),\"ends_at\":$((now + 90000)),\"capacity\":$places,\"opens_at\":$((now - 60)),\"closes_at\":$((now + 80000))}" \
		"http://127.0.0.1:$port/api/v1/events" | sed 's/.*"id":\([0-9]*\).*/\1/'
}

# run NAME DB_URL SQL_CLIENT...: load, serve, race, check.
run() {
	local name=$1 db=$2
	shift 2
	"$linli" demo --no-serve --no-history --db "$db" >/dev/null 2>&1
	start_linli "$db"
	local id out ok confirmed waiting failed secs base_out base_secs rows conf reg
	id=$(event "$db")
	read -r ok confirmed waiting failed secs < <("$work/client" \
		"http://127.0.0.1:$port/api/v1/events/$id/registrations" "$regs" "$conns")
	read -r _ _ _ _ base_secs < <("$work/client" "http://127.0.0.1:$port/healthz" "$regs" "$conns")
	rows=$("$@" "SELECT COUNT(*) FROM event_registrations WHERE event_id = $id;")
	conf=$("$@" "SELECT COUNT(*) FROM event_registrations WHERE event_id = $id AND status = 'confirmed';")
	reg=$("$@" "SELECT registered FROM events WHERE id = $id;")
	kill "$linli_pid"
	wait "$linli_pid" 2>/dev/null || true
	printf '  %-10s %6.0f registrations/s (%s s)  confirmed %s, waiting %s, refused %s\n' \
		"$name" "$(awk -v n="$regs" -v s="$secs" 'BEGIN { print n / s }')" "$secs" \
		"$confirmed" "$waiting" "$failed"
	awk -v a="$secs" -v b="$base_secs" -v n="$name" \
		'BEGIN { printf "  %-10s ratio to the same client on /healthz: %.2f\n", n, b / a }'
	if [ "$conf" = "$places" ] && [ "$reg" = "$places" ] && [ "$rows" = "$regs" ] &&
		[ "$ok" = "$regs" ]; then
		printf '  %-10s database: %s confirmed, registered = %s, %s rows: none over, none lost\n' \
			"$name" "$conf" "$reg" "$rows"
	else
		printf '  %-10s WRONG: %s confirmed, registered = %s, %s rows of %s, %s answered 201\n' \
			"$name" "$conf" "$reg" "$rows" "$regs" "$ok"
		status=1
	fi
}

status=0
printf 'bench events: %d registrations for %d places, %d connections, 2 server threads\n' \
	"$regs" "$places" "$conns"
run sqlite "sqlite:$work/bench.db" sqlite3 "$work/bench.db"

start_pg
if [ -n "$pg_url" ]; then
	run postgresql "$pg_url" psql -X -A -t -q "$pg_url" -c
else
	echo "  postgresql: skipped (no PostgreSQL server binaries; set PG_BIN)"
fi
exit $status
