#!/usr/bin/env bash
# Benchmark (not a test): GET /open311/v2/requests.json (50 requests a
# page) over a database of 100,000 cases, against nginx serving the same
# bytes from a file, both on loopback, in one run. Prints req/s, p99 and
# the ratio. Targets: ratio >= 0.5, p99 <= 10 ms.
#   bench/open311.sh [BUILD_DIR]      (make bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
duration=${BENCH_SECONDS:-10}
cases=${BENCH_CASES:-100000}
conns=64

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init sqlite3

db="$work/bench.db"
"$linli" demo --no-serve --no-history --db "sqlite:$db" >/dev/null 2>&1
# 100,000 reports over the last 80 days in the public categories, written
# straight into the table (the product's own path would take minutes).
start=$(date +%s)
sqlite3 "$db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $cases),
cats AS (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM case_categories
         WHERE area_id = 1 AND private = 0),
ncat AS (SELECT COUNT(*) AS c FROM cats)
INSERT INTO cases (area_id, category_id, tracking_code, state, description, compound_id,
  address, channel, created_at, updated_at, accept_due, resolve_due, public_note)
SELECT 1, (SELECT id FROM cats WHERE k = i % (SELECT c FROM ncat)), printf('B%09d', i),
  CASE i % 5 WHEN 0 THEN 'submitted' WHEN 1 THEN 'assigned' WHEN 2 THEN 'in_progress'
             WHEN 3 THEN 'resolved' ELSE 'closed' END,
  '第 ' || i || ' 号反映：楼道灯不亮，晚上出入不便', 1 + i % 4, '', 'web',
  $start - (i * 69), $start - (i * 69) + 3600, $start - (i * 69) + 86400,
  $start - (i * 69) + 5 * 86400, CASE WHEN i % 5 >= 3 THEN '已处理' ELSE '' END
FROM n;
SQL
start_linli "sqlite:$db"
path="/open311/v2/requests.json?page_size=50"
curl -sf "http://127.0.0.1:$port$path" >"$work/requests.json"

start_nginx "$work/requests.json"

read -r n_rps n_p99 < <(run_wrk "http://127.0.0.1:$nport/requests.json")
read -r l_rps l_p99 < <(run_wrk "http://127.0.0.1:$port$path")
# The same page without the response cache: the query itself, each time.
nocache=$(python3 - "$port" <<'PY'
import sys, time, urllib.request
port = sys.argv[1]
t = []
for i in range(200):
    url = "http://127.0.0.1:%s/open311/v2/requests.json?page_size=50&page=%d" % (port, 2 + i)
    s = time.perf_counter(); urllib.request.urlopen(url).read(); t.append(time.perf_counter() - s)
t.sort()
print("%.2f %.2f" % (t[len(t) // 2] * 1000, t[int(len(t) * 0.99)] * 1000))
PY
)
bytes=$(wc -c <"$work/requests.json")
printf 'bench open311: %d cases, %d connections, %ss each, %d-byte page of 50 requests\n' \
	"$cases" "$conns" "$duration" "$bytes"
printf '  nginx (same bytes, static file): %8d req/s  p99 %6.2f ms\n' "$n_rps" "$n_p99"
printf '  linli requests.json:             %8d req/s  p99 %6.2f ms\n' "$l_rps" "$l_p99"
awk -v l="$l_rps" -v n="$n_rps" 'BEGIN { printf "  ratio linli/nginx: %.2f (target >= 0.50)\n", l / n }'
printf '  uncached pages 2..201 one at a time: median %s ms, p99 %s ms\n' $nocache
