#!/usr/bin/env bash
# Browser tests: loads the demo area into a throwaway SQLite database, serves
# it on 127.0.0.1, runs the scenarios in Debian's chromium against it one
# after the other and stops the server. Prints one TAP plan for all:
#   1               the demo loads and the server listens
#   2 .. N+1        the browser steps: household.mjs (a secretary edits a
#                   household), report.mjs (a resident reports from a
#                   phone, staff handle it, the resident rates it), then
#                   noise.mjs (the live page and the plaza display follow a
#                   meter; the timetable prints), front.mjs (the front
#                   door: a resident reports from /, a social worker signs
#                   in and accepts a case), readable.mjs (the
#                   timetable's print button and A4 notice, day tabs on a
#                   phone, chart text, skip link and focus ring, text at
#                   200 %), queue.mjs (the case queue and a case on a
#                   phone), then plan.mjs (a volunteer's site plan on a
#                   phone opens only what they may open, with 44 px
#                   targets; a resident taps the report form's plan), then
#                   duty.mjs (a volunteer on a phone checks in and out of a
#                   shift and sees the minutes credited), hours.mjs (a
#                   volunteer's hours and time bank on a phone, the A4
#                   certificate, the teams' growth), assembly_doors.mjs (a
#                   volunteer on a phone records ballots delivered and
#                   returned for a floor; staff's progress moves),
#                   assembly_online.mjs (an owner votes online on a phone
#                   with a ballot sheet's QR code), events_checkin.mjs (a
#                   resident registers on a phone and a volunteer checks
#                   them in from the QR code), events_race.mjs (a team
#                   punches three checkpoints, the open live results
#                   update), portal.mjs (a resident signs in with a phone
#                   code and reads their page at 390 px and 200% text),
#                   region.mjs (a street officer compares her areas on a
#                   phone, sorts them and opens one read-only);
#                   N is the sum of their --count
#   N+2             the server stops on SIGTERM with status 0 (so an ASan or
#                   LSan report at exit fails the run)
# Usage: tests/browser/run.sh   (LINLI_BIN: the linli binary; by default
# ../../build-asan/linli from here. scripts/test.sh passes the build folder
# as an argument, which is used when LINLI_BIN is not set. SHOT_DIR: where
# to save the scenarios' screenshots.)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ -z "${LINLI_BIN:-}" ]; then
	if [ $# -ge 1 ] && [ -x "$1/linli" ]; then
		LINLI_BIN="$1/linli"
	else
		LINLI_BIN="$root/build-asan/linli"
	fi
fi
if [ -z "${LSAN_OPTIONS:-}" ] && [ -f "$root/tests/lsan.supp" ]; then
	export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
fi

work=
server=
cleanup() {
	if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
		kill -KILL "$server" 2>/dev/null
		wait "$server" 2>/dev/null
	fi
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Shows a log file as TAP comments.
show() {
	[ -s "$1" ] && tail -n "${2:-40}" "$1" | sed 's/^/#   /'
}

number=0
failed=0
result() { # result OK|"not ok" DESCRIPTION [COMMENT]
	number=$((number + 1))
	[ "$1" = ok ] || failed=$((failed + 1))
	echo "$1 $number - $2${3:+ # $3}"
}

# The scenarios, each with the seconds it may take (browser start included).
scenarios=(household report noise front readable queue plan duty hours assembly_doors assembly_online events_checkin events_race portal region)
declare -A limit=([household]=150 [report]=90 [noise]=90 [front]=100 [readable]=120 [queue]=80 [plan]=90 [duty]=90 [hours]=80 [assembly_doors]=110 [assembly_online]=80 [events_checkin]=80 [events_race]=80 [portal]=80 [region]=60)

# Everything before the browser: without it no step can run, so all of
# them are reported as not run and the plan still holds.
declare -A count
plan_browser=0
for s in "${scenarios[@]}"; do
	count[$s]=$(node "$here/$s.mjs" --count 2>/dev/null)
	if ! [[ "${count[$s]}" =~ ^[0-9]+$ ]]; then
		echo "1..1"
		result "not ok" "browser test setup" "node cannot run $s.mjs"
		exit 1
	fi
	plan_browser=$((plan_browser + count[$s]))
done
echo "1..$((plan_browser + 2))"

setup_failed() {
	result "not ok" "demo area loads and the server listens on 127.0.0.1" "$1"
	for _ in $(seq "$plan_browser"); do
		result "not ok" "browser step" "not run: setup failed"
	done
	result "not ok" "server stops cleanly on SIGTERM" "not run: setup failed"
	exit 1
}

[ -x "$LINLI_BIN" ] || setup_failed "no linli binary at $LINLI_BIN (ninja -C build-asan linli)"
[ -x /usr/bin/chromium ] || setup_failed "no /usr/bin/chromium (apt-get install chromium)"
if [ ! -f "$here/node_modules/playwright-core/package.json" ]; then
	echo "# installing playwright-core"
	(cd "$here" && npm install --no-audit --no-fund 2>&1 | sed 's/^/#   /')
	[ -f "$here/node_modules/playwright-core/package.json" ] ||
		setup_failed "npm install in tests/browser did not install playwright-core"
fi

work=$(mktemp -d /tmp/linli-browser.XXXXXX) || setup_failed "mktemp failed"
db="sqlite:$work/test.db"
cd "$work" || setup_failed "cannot enter $work"

if ! "$LINLI_BIN" demo --no-serve --db "$db" >"$work/demo.log" 2>&1; then
	show "$work/demo.log"
	setup_failed "linli demo --no-serve failed"
fi

# The plaza meter's token for noise.mjs (it binds it to the meter).
if ! "$LINLI_BIN" token add browser-meter --role meter --area pushan --db "$db" >"$work/token.out" \
	2>"$work/token.err"; then
	show "$work/token.err"
	setup_failed "linli token add failed"
fi
NOISE_METER_TOKEN=$(head -n 1 "$work/token.out")
NOISE_TOKEN_ID=$(sed -n 's/.*Token \([0-9]*\).*/\1/p' "$work/token.err" | head -n 1)
export NOISE_METER_TOKEN NOISE_TOKEN_ID
# duty.mjs puts a shift around the real now with sqlite3 on this database.
export DUTY_DB="$work/test.db"

# Every scenario writes anonymously from 127.0.0.1 (reports, registrations,
# punches): one address, so the budget is raised as the HTTP harness does.
LINLI_ANON_WRITE_LIMIT=${LINLI_ANON_WRITE_LIMIT:-1000} \
	"$LINLI_BIN" serve --db "$db" --area pushan --listen 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
url=
for _ in $(seq 300); do # up to 30 s: ASan builds start slowly
	url=$(sed -n 's|^linli: listening on \(http://127\.0\.0\.1:[0-9]*\)/\{0,1\}$|\1|p' "$work/serve.out")
	[ -n "$url" ] && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$url" ]; then
	show "$work/serve.out"
	show "$work/serve.err"
	setup_failed "the server did not say where it listens"
fi
result ok "demo area loads and the server listens on 127.0.0.1"
echo "#   $url"

# The browser steps, scenario by scenario. Whatever node fails to report
# (a crash, the timeout) is reported here as not ok so the plan still holds.
for s in "${scenarios[@]}"; do
	first=$((number + 1))
	timeout -k 5 "${limit[$s]}" node "$here/$s.mjs" --first="$first" --no-plan "$url" | tee "$work/$s.tap"
	node_rc=${PIPESTATUS[0]}
	reported=$(grep -Ec '^(not )?ok [0-9]+' "$work/$s.tap")
	failed=$((failed + $(grep -Ec '^not ok [0-9]+' "$work/$s.tap")))
	number=$((number + reported))
	if [ "$reported" -lt "${count[$s]}" ]; then
		echo "# $s.mjs stopped after $reported of ${count[$s]} steps (exit status $node_rc)"
		for _ in $(seq $((count[$s] - reported))); do
			result "not ok" "$s step" "not reported by $s.mjs"
		done
	elif [ "$node_rc" -ne 0 ] && ! grep -Eq '^not ok [0-9]+' "$work/$s.tap"; then
		echo "# $s.mjs passed every step but exited with status $node_rc"
		failed=$((failed + 1))
	fi
done

# Stop the server; its exit status carries any sanitizer report.
kill -TERM "$server" 2>/dev/null
for _ in $(seq 200); do # up to 20 s
	kill -0 "$server" 2>/dev/null || break
	sleep 0.1
done
if kill -0 "$server" 2>/dev/null; then
	kill -KILL "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	server=
	show "$work/serve.err"
	result "not ok" "server stops cleanly on SIGTERM" "still running 20 s after SIGTERM"
else
	wait "$server"
	server_rc=$?
	server=
	if [ "$server_rc" -ne 0 ]; then
		show "$work/serve.err" 80
		result "not ok" "server stops cleanly on SIGTERM" "exit status $server_rc"
	elif grep -Eq 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$work/serve.err"; then
		show "$work/serve.err" 80
		result "not ok" "server stops cleanly on SIGTERM" "exit status 0 but a sanitizer report"
	else
		result ok "server stops cleanly on SIGTERM"
	fi
fi
# Errors and warnings the server logged while the browser ran.
grep -E '^[0-9T:-]+Z (warn|error) ' "$work/serve.err" | head -20 | sed 's/^/#   server: /'

[ "$failed" -eq 0 ]
