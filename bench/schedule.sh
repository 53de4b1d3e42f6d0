#!/usr/bin/env bash
# Benchmark (not a test): the staggered-schedule optimiser on seeded random
# instances of 40 teams × 6 zones, 100 × 15 and 200 × 30 (8 slots, 7 days):
# our heuristic, auto (the heuristic, then CBC started from it when the MIP
# is small) and CBC alone with a time limit of 60 s ($SCHED_CBC_SECONDS), in
# one run. Prints objectives, sessions placed, seconds and the ratios.
# Targets: the heuristic reaches CBC's optimum on the small size in at most
# 1/5 of CBC's time; it beats CBC's time-limited result on the largest.
#   bench/schedule.sh [BUILD_DIR]      (make bench; use a release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
cbc_seconds=${SCHED_CBC_SECONDS:-60}
seed=${SCHED_SEED:-1}

command -v python3 >/dev/null || { echo "bench: python3 missing" >&2; exit 2; }
work=$(mktemp -d /tmp/linli-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# solve SOLVER INSTANCE: "objective placed wanted seconds optimal", the
# seconds being the solver's own; "- - - WALL failed" when it gave none.
solve() {
	local t0 t1
	t0=$(date +%s.%N)
	if "$linli" schedule solve "$2" --solver "$1" --time-limit "$cbc_seconds" --json \
		>"$work/out.json" 2>"$work/err"; then
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["objective"], d["placed"], d["wanted"], "%.3f" % d["seconds"],
      "optimal" if d["optimal"] else "-")' "$work/out.json"
	else
		t1=$(date +%s.%N)
		echo "- - - $(echo "$t1 - $t0" | bc -l | awk '{ printf "%.3f", $1 }') failed"
		sed 's/^/    # /' "$work/err" >&2
	fi
}

printf '%-10s %-10s %10s %12s %10s  %s\n' size solver objective placed seconds proof
for size in "40 6" "100 15" "200 30"; do
	read -r teams zones <<<"$size"
	name="${teams}x${zones}"
	instance="$work/$name.json"
	"$linli" schedule generate --seed "$seed" --teams "$teams" --zones "$zones" --slots 8 \
		--days 7 >"$instance"
	declare -A obj=() secs=() proof=()
	for solver in heuristic auto cbc; do
		read -r o p w s f < <(solve "$solver" "$instance")
		obj[$solver]=$o
		secs[$solver]=$s
		proof[$solver]=$f
		label=$solver
		[ "$solver" = cbc ] && label="cbc ${cbc_seconds}s"
		printf '%-10s %-10s %10s %12s %10s  %s\n' "$name" "$label" "$o" "$p/$w" "$s" "$f"
	done
	python3 - "$name" "${obj[heuristic]}" "${secs[heuristic]}" "${obj[cbc]}" "${secs[cbc]}" \
		"${proof[cbc]}" "${obj[auto]}" <<'PY'
import sys
name, ho, hs, co, cs, cproof, ao = sys.argv[1:]
hs, cs = float(hs), float(cs)
if co == "-":
    print(f"{name}: CBC gave no timetable in {cs:.1f} s; heuristic {ho} in {hs:.3f} s")
    sys.exit(0)
ho, co = int(ho), int(co)
speed = cs / hs if hs > 0 else float("inf")
line = (f"{name}: heuristic / CBC objective {ho / co:.4f} ({ho - co:+d}); "
        f"CBC time / heuristic time {speed:.0f}x")
if cproof == "optimal":
    line += f"; heuristic reaches CBC's optimum: {'yes' if ho >= co else 'no'}"
if ao != "-" and int(ao) > ho:
    line += f"; auto improves the heuristic by {int(ao) - ho}"
print(line)
PY
	unset obj secs proof
done
echo "targets: on 40x6 the heuristic reaches CBC's optimum at >= 5x CBC's speed;"
echo "         on 200x30 the heuristic's objective is above CBC's ${cbc_seconds}-s result"
