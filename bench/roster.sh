#!/usr/bin/env bash
# Benchmark (not a test): the duty-roster optimiser on seeded random
# instances of a month (28 days): 200 volunteers × 392 shifts (6 stations)
# and a district's 2,000 volunteers × 3,920 shifts (60 stations), which
# can be filled whole, then the same district with 1,500 volunteers, which
# cannot. Our heuristic against CBC alone with a time limit of 60 s
# ($ROSTER_CBC_SECONDS), in one run. Prints places covered, seconds and
# the ratios. Targets: on the month the heuristic is within 1% of CBC's
# best coverage in at most 1/20 of CBC's time; on the district it covers
# more than CBC does in 60 s (both districts).
#   bench/roster.sh [BUILD_DIR]      (make bench; use a release build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
linli="$build/linli"
cbc_seconds=${ROSTER_CBC_SECONDS:-60}
seed=${ROSTER_SEED:-1}

command -v python3 >/dev/null || { echo "bench: python3 missing" >&2; exit 2; }
work=$(mktemp -d /tmp/linli-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# solve SOLVER INSTANCE: "covered places seconds proof", the seconds being
# the solver's own; "- - WALL failed" when it gave no roster.
solve() {
	local t0 t1
	t0=$(date +%s.%N)
	if "$linli" roster solve "$2" --solver "$1" --time-limit "$cbc_seconds" --json \
		>"$work/out.json" 2>"$work/err"; then
		python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
places = d["covered"] + sum(u["missing"] for u in d["unfilled"])
print(d["covered"], places, "%.3f" % d["seconds"], "optimal" if d["optimal"] else "-")' \
			"$work/out.json"
	else
		t1=$(date +%s.%N)
		echo "- - $(echo "$t1 - $t0" | bc -l | awk '{ printf "%.3f", $1 }') failed"
		sed 's/^/    # /' "$work/err" >&2
	fi
}

printf '%-12s %-10s %14s %10s  %s\n' size solver covered seconds proof
for size in "200 6" "2000 60" "1500 60"; do
	read -r vols stations <<<"$size"
	instance="$work/$vols.json"
	"$linli" roster generate --seed "$seed" --volunteers "$vols" --stations "$stations" \
		--days 28 >"$instance"
	shifts=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["shifts"]))' \
		"$instance")
	name="${vols}x${shifts}"
	declare -A cov=() secs=() proof=()
	for solver in heuristic cbc; do
		read -r c p s f < <(solve "$solver" "$instance")
		cov[$solver]=$c
		secs[$solver]=$s
		proof[$solver]=$f
		label=$solver
		[ "$solver" = cbc ] && label="cbc ${cbc_seconds}s"
		printf '%-12s %-10s %14s %10s  %s\n' "$name" "$label" "$c/$p" "$s" "$f"
	done
	python3 - "$name" "${cov[heuristic]}" "${secs[heuristic]}" "${cov[cbc]}" "${secs[cbc]}" \
		"${proof[cbc]}" <<'PY'
import sys
name, hc, hs, cc, cs, cproof = sys.argv[1:]
hs, cs = float(hs), float(cs)
if cc == "-":
    print(f"{name}: CBC gave no roster in {cs:.1f} s; heuristic covers {hc} in {hs:.3f} s")
    sys.exit(0)
hc, cc = int(hc), int(cc)
speed = cs / hs if hs > 0 else float("inf")
line = (f"{name}: heuristic / CBC coverage {hc / cc:.4f} ({hc - cc:+d}); "
        f"CBC time / heuristic time {speed:.0f}x")
if cproof == "optimal":
    line += "; CBC's coverage is proven optimal"
print(line)
PY
	unset cov secs proof
done
echo "targets: on the month the heuristic is within 1% of CBC's coverage at >= 20x its speed;"
echo "         on the district it covers more than CBC does in ${cbc_seconds} s"
