#!/usr/bin/env bash
# Runs one libFuzzer target for a while on a copy of its seed corpus and
# prints the result as one TAP test (scripts/test.sh, make fuzz):
#   tests/fuzz/run.sh BUILD_DIR SECONDS TARGET
# A crash, a sanitizer report, a leak or a hang fails the test and is kept
# as BUILD_DIR/fuzz-crashes/TARGET/crash-... (rerun: the target FILE).
set -uo pipefail

if [ $# -ne 3 ]; then
	echo "usage: $0 BUILD_DIR SECONDS TARGET" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd) || exit 2
seconds=$2
target=$3
exe="$build/tests/fuzz/$target"
seeds="$root/tests/fuzz/corpus/$target"
crashes="$build/fuzz-crashes/$target"

echo "1..1"
if [ ! -x "$exe" ]; then
	echo "not ok 1 - $target: $exe was not built"
	exit 1
fi
if [ ! -d "$seeds" ]; then
	echo "not ok 1 - $target: no seed corpus in tests/fuzz/corpus/$target"
	exit 1
fi
tmp=$(mktemp -d "/tmp/linli-fuzz-$target.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus" "$crashes"
cp -R "$seeds"/. "$tmp/corpus/"
seeded=$(find "$tmp/corpus" -type f | wc -l)

# -timeout: one input running 10 s is a hang; the outer timeout catches
# a target that stops answering altogether.
timeout $((seconds + 120)) "$exe" -max_total_time="$seconds" -print_final_stats=0 \
	-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$crashes/" "$tmp/corpus" \
	>"$tmp/log" 2>&1 </dev/null
rc=$?

runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$tmp/log")
if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
	echo "ok 1 - $target: $runs, corpus $seeded -> $(find "$tmp/corpus" -type f | wc -l) inputs"
	exit 0
fi
artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$tmp/log" | tail -n 1)
# What went wrong, from the first report line on, as TAP comments.
awk '/invariant failed|ERROR: |runtime error|^SUMMARY/ { on = 1 } on && n++ < 40' "$tmp/log" |
	sed 's/^/# /'
if [ -n "$artifact" ]; then
	echo "not ok 1 - $target: crash $artifact (rerun: $exe $artifact)"
elif [ "$rc" -eq 124 ]; then
	echo "not ok 1 - $target: still running after $((seconds + 120)) s"
else
	tail -n 20 "$tmp/log" | sed 's/^/# /'
	echo "not ok 1 - $target: exit status $rc"
fi
exit 1
