#!/usr/bin/env bash
# Benchmark (not a test): what the second fence costs (docs/scale.md, "The
# second fence"). One PostgreSQL database with the demo area, two linli
# servers on it: one connects as the database's owner, held by the
# row-level security policies; the other as a superuser, which passes
# them. The same pages (not cached: the response cache would hide the
# database) with a staff token on each, one server at a
# time: req/s, p99 and the ratio with/without (1.00 = free).
#   bench/rls.sh [BUILD_DIR]       BENCH_SECONDS (default 10) per page and server
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
duration=${BENCH_SECONDS:-10}
conns=16
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init psql

# ---- a PostgreSQL cluster of our own (as scripts/test.sh starts one)
bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$bin/initdb" ] || { echo "bench: PostgreSQL server binaries not found (PG_BIN)" >&2; exit 2; }
runas=()
user=$(id -un)
mkdir "$work/pg"
if [ "$(id -u)" -eq 0 ]; then
	id -u linlitest >/dev/null 2>&1 ||
		useradd --system --no-create-home --shell /usr/sbin/nologin linlitest
	chown linlitest: "$work/pg"
	user=linlitest
	runas=(runuser -u linlitest --)
fi
(cd "$work/pg" && "${runas[@]}" "$bin/initdb" -D "$work/pg/data" -U "$user" --auth=trust \
	--encoding=UTF8 --locale=C >/dev/null)
"${runas[@]}" mkdir "$work/pg/sock"
pgport=$(free_port)
(cd "$work/pg" && "${runas[@]}" "$bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
	-o "-c listen_addresses=127.0.0.1 -c port=$pgport -c unix_socket_directories=$work/pg/sock" \
	start >/dev/null)
stop_pg() { (cd "$work" && "${runas[@]}" "$bin/pg_ctl" -D "$work/pg/data" stop -m fast >/dev/null 2>&1) || true; }
trap 'stop_pg; bench_cleanup' EXIT

super="postgres://$user@127.0.0.1:$pgport/linli"
owner="postgres://linli_owner@127.0.0.1:$pgport/linli"
psql -X -q -d "postgres://$user@127.0.0.1:$pgport/postgres" \
	-c "CREATE ROLE linli_owner LOGIN" \
	-c "CREATE DATABASE linli OWNER linli_owner TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
"$linli" demo --no-serve --no-history --db "$owner" >/dev/null 2>&1
# The administrator's one step (0032_fence.pg.sql): the search keeps its
# indexes under the policies.
psql -X -q -d "$super" -c "ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF" \
	-c "ALTER FUNCTION pg_catalog.lower(text) LEAKPROOF" -c "VACUUM ANALYZE"
token=$("$linli" token add bench --role staff --db "$owner" 2>/dev/null)

# serve_on URL NAME: linli serve on a free port; sets port and linli_pid.
serve_on() {
	port=$(free_port)
	"$linli" serve --db "$1" --listen "127.0.0.1:$port" --threads 2 --log-level warn \
		>"$work/$2.out" 2>"$work/$2.err" &
	linli_pid=$!
	pids+=($linli_pid)
	for _ in $(seq 100); do grep -q listening "$work/$2.out" 2>/dev/null && break; sleep 0.1; done
}

paths=("/residents?q=%E7%8E%8B" "/residents?q=1234" "/cases" "/cases/stats")
declare -A rps p99
for side in without with; do
	url=$super
	[ "$side" = with ] && url=$owner
	serve_on "$url" "$side"
	for p in "${paths[@]}"; do
		code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
			"http://127.0.0.1:$port$p")
		[ "$code" = 200 ] || { echo "bench: $p answered $code ($side)" >&2; exit 1; }
		read -r r q < <(run_wrk "http://127.0.0.1:$port$p" "Authorization: Bearer $token")
		rps[$side$p]=$r
		p99[$side$p]=$q
	done
	kill "$linli_pid"
	wait "$linli_pid" 2>/dev/null || true
done
grep -i "row-level security" "$work/without.err" >/dev/null ||
	echo "bench: the superuser's server did not warn that it passes the fence" >&2

printf 'bench rls: PostgreSQL, demo area, staff token, %d connections, %ss per page\n' \
	"$conns" "$duration"
printf '  %-48s %18s %18s %6s\n' "page" "without (req/s p99)" "with (req/s p99)" "ratio"
for p in "${paths[@]}"; do
	printf '  %-48s %8d %7.2fms %8d %7.2fms %6.2f\n' "$p" "${rps[without$p]}" \
		"${p99[without$p]}" "${rps[with$p]}" "${p99[with$p]}" \
		"$(awk -v a="${rps[with$p]}" -v b="${rps[without$p]}" 'BEGIN { print a / b }')"
done
