#!/usr/bin/env bash
# Benchmark (not a test): per-second noise readings through the HTTP API
# (POST /api/v1/noise/readings, batches of 3,600 on one keep-alive
# connection) into SQLite, against the sqlite3 shell inserting the same rows
# into the same table in one transaction, same durability (WAL,
# synchronous=FULL), and against Python's sqlite3 module binding the rows
# to one prepared statement (executemany), in one run. Prints readings/s
# and the ratio against the faster reference. Target: ratio >= 0.5.
#   bench/ingest.sh [BUILD_DIR]      (make bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
batches=${BENCH_BATCHES:-150} # 150 hours: within the 7 days a meter may send
per=3600

# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_init sqlite3

db="$work/bench.db"
"$linli" demo --no-serve --no-history --db "sqlite:$db" >/dev/null 2>&1
token=$("$linli" token add bench-meter --role meter --area pushan --db "sqlite:$db" 2>/dev/null)
token_id=$(sqlite3 "$db" "SELECT MAX(id) FROM api_tokens")
sqlite3 "$db" "INSERT INTO meters (area_id, name, zone_class, token_id) VALUES (1, 'bench', '1', $token_id)"

# The batches as files, and the same rows as SQL for the reference.
python3 - "$work" "$batches" "$per" <<'PY'
import json, random, sys, time
work, batches, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0 = int(time.time()) - 7 * 86400 + 3600
rnd = random.Random(212)
with open(work + "/ref.sql", "w") as sql:
    sql.write("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nBEGIN;\n")
    for b in range(batches):
        rows = []
        for i in range(per):
            t = t0 + b * per + i
            laeq = rnd.randint(3500, 8500)
            lmax = laeq + rnd.randint(0, 900)
            rows.append({"t": t, "laeq": laeq / 100, "lmax": lmax / 100})
            sql.write("INSERT INTO noise_readings (meter_id, t, laeq_centi, lmax_centi, source)"
                      " VALUES (1, %d, %d, %d, 'http') ON CONFLICT (meter_id, t) DO NOTHING;\n"
                      % (t, laeq, lmax))
        with open("%s/batch%d.json" % (work, b), "w") as f:
            json.dump({"readings": rows}, f)
    sql.write("COMMIT;\n")
PY

"$linli" noise meter add bench-station --mn BENCH0001 --password 123456 --area pushan --db "sqlite:$db" >/dev/null
start_linli "sqlite:$db"
http=$(python3 - "$work" "$port" "$token" "$batches" <<'PY'
import http.client, json, sys, time
work, port, token, batches = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
bodies = [open("%s/batch%d.json" % (work, b), "rb").read() for b in range(batches)]
conn = http.client.HTTPConnection("127.0.0.1", port)
stored = 0
start = time.perf_counter()
for body in bodies:
    conn.request("POST", "/api/v1/noise/readings", body,
                 {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse()
    answer = r.read()
    if r.status != 200:
        sys.exit("ingest refused: %d %s" % (r.status, answer[:200]))
    stored += json.loads(answer)["stored"]
elapsed = time.perf_counter() - start
print("%d %.3f" % (stored, elapsed))
PY
)
read -r stored http_s <<<"$http"

# The reference: the same rows into an empty copy of the same table.
sqlite3 "$db" .schema | grep -A8 'CREATE TABLE noise_readings' | sed '/^);/q' >"$work/table.sql"
sqlite3 "$work/ref.db" <"$work/table.sql"
ref_start=$(date +%s.%N)
sqlite3 "$work/ref.db" <"$work/ref.sql" >/dev/null
ref_end=$(date +%s.%N)
ref_rows=$(sqlite3 "$work/ref.db" "SELECT COUNT(*) FROM noise_readings")
sqlite3 "$work/ref2.db" <"$work/table.sql"
prep=$(python3 - "$work" "$batches" <<'PY'
import json, sqlite3, sys, time
work, batches = sys.argv[1], int(sys.argv[2])
rows = []
for b in range(batches):
    for r in json.load(open("%s/batch%d.json" % (work, b)))["readings"]:
        rows.append((r["t"], round(r["laeq"] * 100), round(r["lmax"] * 100)))
db = sqlite3.connect(work + "/ref2.db", isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
start = time.perf_counter()
db.execute("BEGIN")
db.executemany("INSERT INTO noise_readings (meter_id, t, laeq_centi, lmax_centi, source)"
               " VALUES (1, ?, ?, ?, 'http') ON CONFLICT (meter_id, t) DO NOTHING", rows)
db.execute("COMMIT")
elapsed = time.perf_counter() - start
print("%d %.3f" % (db.execute("SELECT COUNT(*) FROM noise_readings").fetchone()[0], elapsed))
PY
)
read -r prep_rows prep_s <<<"$prep"

rows=$((batches * per))
python3 - "$rows" "$stored" "$http_s" "$ref_rows" "$ref_start" "$ref_end" "$prep_rows" "$prep_s" <<'PY'
import sys
rows, stored, http_s, ref_rows = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ref_s = float(sys.argv[6]) - float(sys.argv[5])
prep_rows, prep_s = int(sys.argv[7]), float(sys.argv[8])
assert stored == rows and ref_rows == rows and prep_rows == rows, (stored, ref_rows, prep_rows, rows)
a, b, c = rows / http_s, rows / ref_s, rows / prep_s
print("bench ingest: %d readings in %d batches of 3,600" % (rows, rows // 3600))
print("  linli HTTP -> SQLite           %10.0f readings/s  (%.2f s)" % (a, http_s))
print("  sqlite3 shell, one txn         %10.0f readings/s  (%.2f s)" % (b, ref_s))
print("  prepared executemany, one txn  %10.0f readings/s  (%.2f s)" % (c, prep_s))
print("  ratio %.2f against the faster reference (target >= 0.5)" % (a / max(b, c)))
PY

# HJ 212: a station sends real-time frames one after the other on one
# connection, each asking for the data answer it waits for (the way a
# station that must not lose data works), so every frame is one commit.
kill "$linli_pid" 2>/dev/null || true
wait "$linli_pid" 2>/dev/null || true
hport=$(free_port)
port=$(free_port)
"$linli" serve --db "sqlite:$db" --listen "127.0.0.1:$port" --hj212-listen "127.0.0.1:$hport" \
	--log-level warn >"$work/linli2.out" 2>"$work/linli2.err" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/linli2.out" 2>/dev/null && break; sleep 0.1; done
python3 - "$hport" <<'PY'
import socket, sys, time
def crc(d):
    r = 0xFFFF
    for b in d:
        r = (r >> 8) ^ b
        for _ in range(8):
            r = (r >> 1) ^ 0xA001 if r & 1 else r >> 1
    return r
frames = []
t0 = int(time.time()) - 6 * 86400
for i in range(3000):
    dt = time.strftime("%Y%m%d%H%M%S", time.gmtime(t0 + i + 8 * 3600))
    seg = ("QN=%s000;ST=23;CN=2011;PW=123456;MN=BENCH0001;Flag=5;CP=&&DataTime=%s;"
           "LA-Rtd=%.1f,LA-Flag=N&&" % (dt, dt, 40 + i % 400 / 10)).encode()
    frames.append(b"##%04d" % len(seg) + seg + b"%04X\r\n" % crc(seg))
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
start = time.perf_counter()
for f in frames:
    s.sendall(f)
    got = b""
    while not got.endswith(b"\r\n"):
        chunk = s.recv(4096)
        if not chunk:
            sys.exit("hj212: connection closed")
        got += chunk
    if b"CN=9014" not in got:
        sys.exit("hj212: no data answer")
elapsed = time.perf_counter() - start
print("  HJ 212 over TCP, answered  %10.0f frames/s    (%d frames, %.2f s; one commit each)"
      % (len(frames) / elapsed, len(frames), elapsed))
PY
