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

for cmd in wrk nginx; do
	command -v "$cmd" >/dev/null || { echo "bench: $cmd missing (scripts/deps.sh)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/linli-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

db="sqlite:$work/bench.db"
"$linli" demo --no-serve --db "$db" >/dev/null 2>&1
token=$("$linli" token add bench --role staff --db "$db" 2>/dev/null)
port=$(free_port)
"$linli" serve --db "$db" --listen "127.0.0.1:$port" --threads 2 --log-level warn \
	>"$work/linli.out" 2>"$work/linli.err" &
pids+=($!)
linli_pid=$!
for _ in $(seq 50); do grep -q listening "$work/linli.out" 2>/dev/null && break; sleep 0.1; done
path="/api/v1/residents?per_page=50&page=3"
curl -sf -H "Authorization: Bearer $token" "http://127.0.0.1:$port$path" >"$work/residents.json"

# nginx serves the very same bytes.
mkdir -p "$work/www"
cp "$work/residents.json" "$work/www/residents.json"
nport=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
user nobody nogroup;
pid $work/nginx.pid;
error_log $work/nginx.err warn;
events { worker_connections 1024; }
http {
	access_log off;
	server {
		listen 127.0.0.1:$nport;
		location / { root $work/www; default_type application/json; }
	}
}
CONF
nginx -c "$work/nginx.conf" -p "$work" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nport/residents.json" >/dev/null && break; sleep 0.1; done

run_wrk() { # URL [header] -> "req/s p99_ms"
	local out
	out=$(wrk -t2 -c$conns -d"${duration}s" --latency ${2:+-H "$2"} "$1")
	awk '/Requests\/sec/ { rps = $2 }
	     /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 }
	                else if (v ~ /ms$/) { sub(/ms/, "", v) }
	                else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 }
	                p99 = v }
	     END { printf "%.0f %.2f\n", rps, p99 }' <<<"$out"
}

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
