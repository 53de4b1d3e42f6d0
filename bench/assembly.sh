#!/bin/sh
# Benchmark (not a test): `linli assembly tally` over a 20,000-part compound
# and 60,000 ballot rows (re-votes that supersede earlier ones included),
# against a straightforward Python tally with fractions.Fraction of the same
# files, in one run. Both must print the same JSON; the script prints both
# times and the ratio.
# Usage: bench/assembly.sh [BUILD_DIR]   (default build; `make bench` passes it)
#   BENCH_PARTS, BENCH_BALLOTS, BENCH_RUNS change the size and the repeats.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
LINLI=$BUILD/linli
PARTS=${BENCH_PARTS:-20000}
BALLOTS=${BENCH_BALLOTS:-60000}
RUNS=${BENCH_RUNS:-5}
[ -x "$LINLI" ] || { echo "bench: $LINLI not built" >&2; exit 2; }
TMP=$(mktemp -d /tmp/linli-bench-assembly.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM

# The reference: read both files, one owner per owner string with all its
# parts' area, the last ballot of each owner on each matter, the sums and
# the thresholds of Art. 278 as fractions; the JSON linli prints.
cat >"$TMP/reference.py" <<'PY'
import csv, json, sys
from fractions import Fraction

roll, ballots, matters = sys.argv[1], sys.argv[2], sys.argv[3:]
area, parts = {}, 0
with open(roll, newline="", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f):
        area[row["owner"]] = area.get(row["owner"], 0) + Fraction(row["area_m2"])
        parts += 1
last = {}
with open(ballots, newline="", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f):
        last[(row["owner"], row["matter"])] = row["choice"]
total = sum(area.values())
owners = len(area)

def m2(x):
    c = int(x * 100)
    return "%d.%02d" % (c // 100, c % 100)

out = []
for spec in matters:
    code, item = spec.rsplit(":", 1)
    item = int(item)
    votes = [(area[o], c) for (o, m), c in last.items() if m == code]
    p_n, p_a = len(votes), sum(a for a, _ in votes)
    a_n, a_a = sum(1 for _, c in votes if c == "agree"), sum(a for a, c in votes if c == "agree")
    quorum = p_a / total >= Fraction(2, 3) and Fraction(p_n, owners) >= Fraction(2, 3)
    if 6 <= item <= 8:
        rule = "at_least_three_quarters"
        ok = p_n > 0 and a_a / p_a >= Fraction(3, 4) and Fraction(a_n, p_n) >= Fraction(3, 4)
    else:
        rule = "more_than_half"
        ok = p_n > 0 and a_a / p_a > Fraction(1, 2) and Fraction(a_n, p_n) > Fraction(1, 2)
    out.append({"matter": code, "item": item, "rule": rule, "participating_owners": p_n,
                "participating_area_m2": m2(p_a), "agree_owners": a_n, "agree_area_m2": m2(a_a),
                "quorum_met": quorum, "passed": quorum and ok})
print(json.dumps({"owners": owners, "area_m2": m2(total), "matters": out}, ensure_ascii=False))
PY

# The compound (seeded): most owners one part, some buyers of two or three,
# the developer's unsold parts one owner; areas of two decimals. Ballots on
# three matters in the order cast, later ones superseding earlier ones.
python3 - "$TMP" "$PARTS" "$BALLOTS" <<'PY'
import random, sys
tmp, nparts, nballots = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(278)
owners, parts = [], []
unsold = nparts // 40
for i in range(unsold):
    parts.append(("D-%d" % i, "开发商"))
owners.append("开发商")
while len(parts) < nparts:
    o = "业主%05d" % len(owners)
    owners.append(o)
    for _ in range(rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3))):
        if len(parts) < nparts:
            parts.append(("%d-%d" % (len(parts) // 100 + 1, len(parts) % 100 + 101), o))
with open(tmp + "/ROLL.csv", "w", encoding="utf-8") as f:
    f.write("unit,owner,area_m2\n")
    for unit, o in parts:
        f.write("%s,%s,%d.%02d\n" % (unit, o, rng.randint(45, 160), rng.randint(0, 99)))
matters = ["M4", "M6", "M9"]
first = [(o, m) for m in matters for o in owners if rng.random() < 0.8]
rng.shuffle(first)
first = first[:nballots]
rows = [(o, m, rng.choice(("agree", "agree", "agree", "oppose", "abstain"))) for o, m in first]
while len(rows) < nballots:  # re-votes: a later row for a pair already cast
    o, m, _ = rows[rng.randrange(len(rows))]
    rows.append((o, m, rng.choice(("agree", "oppose", "abstain"))))
with open(tmp + "/BALLOTS.csv", "w", encoding="utf-8") as f:
    f.write("owner,matter,choice\n")
    for r in rows:
        f.write("%s,%s,%s\n" % r)
print("roll: %d parts, %d owners; ballots: %d rows, %d superseded"
      % (len(parts), len(owners), len(rows), len(rows) - len(set((o, m) for o, m, _ in rows))))
PY

set -- --matter M4:4 --matter M6:6 --matter M9:9
"$LINLI" assembly tally --roll "$TMP/ROLL.csv" --ballots "$TMP/BALLOTS.csv" "$@" --json \
	>"$TMP/linli.json"
python3 "$TMP/reference.py" "$TMP/ROLL.csv" "$TMP/BALLOTS.csv" M4:4 M6:6 M9:9 >"$TMP/python.json"
if cmp -s "$TMP/linli.json" "$TMP/python.json"; then
	echo "agree: linli and the Python fractions tally print the same JSON"
else
	echo "DISAGREE:"
	diff "$TMP/linli.json" "$TMP/python.json" || true
	exit 1
fi

# The best of RUNS runs of each, as whole processes: the wall clock and the
# CPU time (user + system, steadier on a busy machine).
python3 - "$RUNS" "$LINLI" "$TMP" "$@" <<'PY'
import resource, subprocess, sys, time
runs, linli, tmp, args = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
files = [tmp + "/ROLL.csv", tmp + "/BALLOTS.csv"]
ours = [linli, "assembly", "tally", "--roll", files[0], "--ballots", files[1]] + args + ["--json"]
ref = [sys.executable, tmp + "/reference.py"] + files + [a for a in args if a != "--matter"]

def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime

def best(cmd):
    wall, used = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), cpu()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - t)
        used.append(cpu() - c)
    return min(wall), min(used)

(w_linli, c_linli), (w_python, c_python) = best(ours), best(ref)
print("linli assembly tally: %.1f ms wall, %.1f ms CPU (best of %d)"
      % (w_linli * 1000, c_linli * 1000, runs))
print("python fractions:     %.1f ms wall, %.1f ms CPU (best of %d)"
      % (w_python * 1000, c_python * 1000, runs))
print("ratio (python / linli): %.1f wall, %.1f CPU" % (w_python / w_linli, c_python / c_linli))
PY
