#!/usr/bin/env bash
# Runs every test against a built tree and prints one summary line:
#   scripts/test.sh BUILD_DIR      (make test: after ninja -C build-asan)
# The format check, the cmocka unit tests (the storage suite once on SQLite
# and once on a throwaway PostgreSQL cluster), the fuzz targets (built with
# clang in $FUZZBUILD, default build-fuzz, each run $FUZZ_SECONDS, default
# 6), the HTTP tests and the browser test all print TAP; this script shows
# their output and counts the lines.
set -uo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
	echo "usage: $0 BUILD_DIR" >&2
	exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
cd "$root" || exit 2

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Suppressions name third-party frames only (libpq, libsodium, ...).
if [ -f "$root/tests/lsan.supp" ]; then
	export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
fi
export CMOCKA_MESSAGE_OUTPUT=TAP
export LINLI_BIN="$build/linli"
export LINLI_TEST_PG=""

work=$(mktemp -d /tmp/linli-test.XXXXXX) || exit 2
chmod 0711 "$work" # the PostgreSQL user must reach its folder inside
# Every linli the tests start keys its audit chain with one file of the run.
export LINLI_AUDIT_KEY="$work/audit.key" LINLI_AUDIT_SIGN_KEY="$work/audit-sign.key"
pg_ctl_cmd=()	   # how to stop the cluster, set once it runs

cleanup() {
	if [ ${#pg_ctl_cmd[@]} -gt 0 ]; then
		"${pg_ctl_cmd[@]}" stop -m immediate >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# TESTS="name ...": run only these programs (make soak); the format check,
# the build check and PostgreSQL still come first.
selected() {
	[ -z "${TESTS:-}" ] && return 0
	case " $TESTS " in *" $1 "*) return 0 ;; esac
	return 1
}

passed=0
failed=0
skipped=0
nlog=0
failures=() # "program: not ok line" for the recap

# ------------------------------------------------------------ counting

# tally NAME LOG RC SECONDS: show what a program printed and add its
# results to the totals. A program that prints no results, reports fewer
# than it planned, or exits non-zero with no "not ok" line (a crash, a
# sanitizer report at exit) counts as one more failure.
tally() {
	local name=$1 log=$2 rc=$3 took=$4 ok notok skip plan results line
	echo "== $name"
	cat "$log"
	echo "# $name: ${took} s"

	skip=$(grep -Eic '^(not )?ok [0-9]+.*#[[:space:]]*skip' "$log")
	ok=$(grep -E '^ok [0-9]+' "$log" | grep -Eivc '#[[:space:]]*skip')
	notok=$(grep -E '^not ok [0-9]+' "$log" | grep -Eivc '#[[:space:]]*skip')
	plan=$(grep -Eo '^1\.\.[0-9]+' "$log" | cut -d. -f3 | awk '{ s += $1 } END { print s + 0 }')
	results=$((ok + notok + skip))
	while IFS= read -r line; do
		failures+=("$name: $line")
	done < <(grep -E '^not ok [0-9]+' "$log" | grep -Eiv '#[[:space:]]*skip')

	if [ "$results" -eq 0 ] && [ "$plan" -eq 0 ]; then
		notok=$((notok + 1))
		failures+=("$name: no TAP output (exit status $rc)")
	elif [ "$plan" -gt "$results" ]; then
		notok=$((notok + plan - results))
		failures+=("$name: $((plan - results)) planned tests never reported (exit status $rc)")
	elif [ "$rc" -ne 0 ] && [ "$notok" -eq 0 ]; then
		notok=$((notok + 1))
		failures+=("$name: exit status $rc with every test passing (sanitizer report?)")
	fi
	passed=$((passed + ok))
	failed=$((failed + notok))
	skipped=$((skipped + skip))
}

# run_tap NAME CMD...: run a program (or a function of this script) that
# prints TAP, then tally it.
run_tap() {
	local name=$1 log rc start
	shift
	log="$work/log.$((++nlog))"
	start=$SECONDS
	if declare -F "$1" >/dev/null; then
		"$@" >"$log" 2>&1 </dev/null
	else
		timeout 900 "$@" >"$log" 2>&1 </dev/null
	fi
	rc=$?
	tally "$name" "$log" "$rc" $((SECONDS - start))
}

# run_par NAME CMD...: run_tap in the background, at most $TEST_JOBS
# programs at once (default: the number of cores); par_wait tallies them
# all, in the order they were started, once the last has ended. The
# programs run in their own temporary folders on ports the kernel picks,
# so they do not meet.
test_jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 2)}
par_names=()
par_logs=()
run_par() {
	local name=$1 log
	shift
	log="$work/log.$((++nlog))"
	while [ "$(jobs -rp | wc -l)" -ge "$test_jobs" ]; do
		wait -n
	done
	(
		start=$SECONDS
		timeout 900 "$@" >"$log" 2>&1 </dev/null
		echo "$? $((SECONDS - start))" >"$log.rc"
	) &
	par_names+=("$name")
	par_logs+=("$log")
}
par_wait() {
	local i rc took
	wait
	for i in "${!par_names[@]}"; do
		read -r rc took <"${par_logs[i]}.rc" || { rc=1 took=0; }
		tally "${par_names[i]}" "${par_logs[i]}" "$rc" "$took"
	done
	par_names=()
	par_logs=()
}

# ------------------------------------------------------------ format check

format_check() {
	local files=() f
	echo "1..1"
	if ! command -v clang-format >/dev/null; then
		echo "not ok 1 - clang-format is not installed (scripts/deps.sh)"
		return 1
	fi
	while IFS= read -r f; do
		[ -f "$f" ] && files+=("$f")
	done < <(git ls-files -- 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 2>/dev/null)
	if [ ${#files[@]} -eq 0 ] || clang-format --dry-run -Werror "${files[@]}"; then
		echo "ok 1 - clang-format: ${#files[@]} tracked files formatted"
	else
		echo "not ok 1 - clang-format: run make format"
		return 1
	fi
}

# ------------------------------------------------------------ PostgreSQL

# start_postgres: initdb a cluster in $work/pg, start it on a free loopback
# port and create linli_test; sets LINLI_TEST_PG. initdb refuses root, so
# as root the cluster belongs to the system user linlitest.
start_postgres() {
	local bin data sock user port tries started=0 runas=()

	bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
	echo "1..1"
	if [ ! -x "$bin/initdb" ]; then
		echo "not ok 1 - PostgreSQL server binaries not found (set PG_BIN)"
		return 1
	fi
	mkdir "$work/pg"
	if [ "$(id -u)" -eq 0 ]; then
		if ! id -u linlitest >/dev/null 2>&1; then
			useradd --system --no-create-home --shell /usr/sbin/nologin linlitest ||
				return 1
		fi
		chown linlitest: "$work/pg"
		user=linlitest
		runas=(runuser -u linlitest --)
	else
		user=$(id -un)
	fi
	data="$work/pg/data"
	sock="$work/pg/sock"
	"${runas[@]}" mkdir "$sock" || return 1
	if ! (cd "$work/pg" && "${runas[@]}" "$bin/initdb" -D "$data" -U "$user" --auth=trust \
		--encoding=UTF8 --locale=C >"$work/pg/initdb.log" 2>&1); then
		cat "$work/pg/initdb.log"
		echo "not ok 1 - initdb failed"
		return 1
	fi
	# Known before the start, so an interrupted start is still stopped.
	pg_ctl_cmd=("${runas[@]}" "$bin/pg_ctl" -D "$data")
	for tries in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		if (cd "$work/pg" && "${runas[@]}" "$bin/pg_ctl" -D "$data" -l "$work/pg/server.log" \
			-w -t 60 -o "-c listen_addresses=127.0.0.1 -c port=$port \
			-c unix_socket_directories=$sock -c fsync=off -c synchronous_commit=off \
			-c full_page_writes=off" start >/dev/null); then
			started=1
			break
		fi
		echo "# port $port: start failed (try $tries)"
	done
	if [ "$started" -eq 0 ]; then
		cat "$work/pg/server.log"
		echo "not ok 1 - PostgreSQL did not start"
		return 1
	fi
	if ! "${runas[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" linli_test; then
		echo "not ok 1 - createdb linli_test failed"
		return 1
	fi
	echo "postgres://$user@127.0.0.1:$port/linli_test" >"$work/pg/url"
	printf '%s\n' "$bin" "$port" "$user" "${runas[*]}" >"$work/pg/access"
	echo "ok 1 - PostgreSQL $("$bin/postgres" --version | awk '{ print $3 }') on 127.0.0.1:$port"
}

# ------------------------------------------------------------ the run

run_tap "format check" format_check
run_tap "include doors" python3 scripts/check-includes.py
run_tap "stylesheet blocks" python3 scripts/check-css.py

# Every migration in src/db/schema is in meson.build's list (the binary
# embeds only what is listed).
migrations_listed() {
	local f n=0 bad=0
	echo "1..$(ls src/db/schema/*.sql | wc -l)"
	for f in src/db/schema/*.sql; do
		n=$((n + 1))
		if grep -qF "'$f'" meson.build; then
			echo "ok $n - $f is built in"
		else
			echo "not ok $n - $f is not in meson.build's schema_src"
			bad=1
		fi
	done
	return $bad
}
run_tap "migrations listed" migrations_listed

# Every program the build declares (meson.build and tests/*/meson.build,
# the one list of them) must be there: a missing one fails.
programs_present() {
	local p n=0 missing=0 want
	mapfile -t want < <("${MESON:-meson}" introspect "$build" --targets | python3 -c '
import json, os, sys
build = os.path.realpath(sys.argv[1])
for t in json.load(sys.stdin):
    if t["type"] == "executable":
        for f in t["filename"]:
            print(os.path.relpath(f, build))' "$build" | sort)
	if [ ${#want[@]} -lt 2 ]; then
		echo "1..1"
		echo "not ok 1 - meson introspect $build listed no programs"
		return 1
	fi
	echo "1..${#want[@]}"
	for p in "${want[@]}"; do
		n=$((n + 1))
		if [ -x "$build/$p" ]; then
			echo "ok $n - built $p"
		else
			echo "not ok $n - $p was not built"
			missing=1
		fi
	done
	return $missing
}
run_tap "build" programs_present

# Not through run_tap's pipe alone: the cluster must outlive this call.
start_postgres >"$work/pg-start.log" 2>&1
run_tap "postgres" cat "$work/pg-start.log"
if [ -f "$work/pg/url" ]; then
	LINLI_TEST_PG=$(cat "$work/pg/url")
	export LINLI_TEST_PG
fi

for t in "$build"/tests/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	selected "$name" || continue
	if [ "$name" = test_db ]; then
		run_tap "test_db (sqlite)" env LINLI_TEST_DB="sqlite:$work/t.db" "$t"
		if [ -n "$LINLI_TEST_PG" ]; then
			run_tap "test_db (postgres)" env LINLI_TEST_DB="$LINLI_TEST_PG" "$t"
		else
			run_tap "test_db (postgres)" sh -c 'echo "1..1"; echo "not ok 1 - no PostgreSQL"'
		fi
	else
		run_tap "$name" "$t"
	fi
done

# ------------------------------------------------------------ fuzzing

# The libFuzzer targets (tests/fuzz) need clang and a tree of their own,
# set up here when missing. Each target is one test: a short run on a copy
# of its seed corpus (tests/fuzz/run.sh), a crash named in its "not ok".
fuzzbuild=${FUZZBUILD:-build-fuzz}
fuzz_ready=0
fuzz_build() {
	echo "1..1"
	if ! command -v clang >/dev/null; then
		echo "ok 1 # skip clang is not installed (scripts/deps.sh)"
		return 0
	fi
	if [ ! -f "$fuzzbuild/build.ninja" ] &&
		! CC=clang "${MESON:-meson}" setup "$fuzzbuild" -Dfuzz=true -Db_lundef=false \
			--buildtype=debug >"$work/fuzz-build.log" 2>&1; then
		tail -n 20 "$work/fuzz-build.log" | sed 's/^/# /'
		echo "not ok 1 - meson setup $fuzzbuild failed"
		return 1
	fi
	if ! ninja -C "$fuzzbuild" fuzz >"$work/fuzz-build.log" 2>&1; then
		grep -v '^\[' "$work/fuzz-build.log" | tail -n 30 | sed 's/^/# /'
		echo "not ok 1 - ninja -C $fuzzbuild fuzz failed"
		return 1
	fi
	fuzz_ready=1
	echo "ok 1 - fuzz targets built in $fuzzbuild"
}
selected fuzz && run_tap "fuzz build" fuzz_build
if [ "$fuzz_ready" -eq 1 ]; then
	for c in tests/fuzz/corpus/*/; do
		t=$(basename "$c")
		run_par "$t" tests/fuzz/run.sh "$fuzzbuild" "${FUZZ_SECONDS:-6}" "$t"
	done
	par_wait
fi

# pg_fresh_db NAME: a new empty database in the cluster; prints its URL.
pg_fresh_db() {
	local bin port user runas
	[ -f "$work/pg/access" ] || return 1
	{ read -r bin; read -r port; read -r user; read -r runas; } <"$work/pg/access"
	# shellcheck disable=SC2086 # runas is a word list ("runuser -u linlitest --")
	$runas "$bin/createdb" -h 127.0.0.1 -p "$port" -U "$user" "$1" >/dev/null || return 1
	echo "postgres://$user@127.0.0.1:$port/$1"
}

# test_noise_parts ran above on SQLite; again on a PostgreSQL database of
# its own, since it drops whole months of readings (partitions).
if selected test_noise_parts && [ -x "$build/tests/test_noise_parts" ]; then
	if url=$(pg_fresh_db linli_parts); then
		run_tap "test_noise_parts (postgres)" env LINLI_TEST_DB="$url" \
			"$build/tests/test_noise_parts"
	else
		run_tap "test_noise_parts (postgres)" sh -c 'echo "1..1"; echo "not ok 1 - no PostgreSQL database"'
	fi
fi

# `linli demo` loads the whole demo (half a year of cases and the plaza's
# past included) on a fresh PostgreSQL database too, and the audit chain it
# wrote verifies.
demo_on_postgres() {
	local url out
	echo "1..2"
	if ! url=$(pg_fresh_db linli_demo); then
		echo "not ok 1 - no PostgreSQL database"
		echo "not ok 2 - no PostgreSQL database"
		return 1
	fi
	if out=$("$build/linli" demo --no-serve --db "$url" 2>&1) &&
		printf '%s\n' "$out" | grep -q "Loaded the Pushan demo area"; then
		echo "ok 1 - linli demo on PostgreSQL"
	else
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		echo "not ok 1 - linli demo on PostgreSQL"
		return 1
	fi
	if out=$("$build/linli" audit verify --db "$url" 2>&1); then
		echo "ok 2 - its audit chain: $out"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		echo "not ok 2 - linli audit verify after the demo"
		return 1
	fi
}
selected demo && run_tap "demo (postgres)" demo_on_postgres


# The schema can be distributed by area (docs/scale.md): every table is a
# reference table or carries area_id in its keys, read from the catalogue
# of a freshly migrated database.
schema_by_area() {
	local url out
	if ! url=$(pg_fresh_db linli_schema); then
		echo "1..1"
		echo "not ok 1 - no PostgreSQL database"
		return 1
	fi
	if ! out=$("$build/linli" migrate --db "$url" 2>&1); then
		echo "1..1"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/# /'
		echo "not ok 1 - linli migrate on PostgreSQL"
		return 1
	fi
	python3 scripts/check-schema.py "$url"
}
selected schema && run_tap "schema by area (postgres)" schema_by_area

# The whole server behind the second fence (docs/scale.md): the HTTP tests
# above connect as the cluster's superuser, which passes every row-level
# security policy; http_registry and http_region (a street's account
# reads all its areas) run once more on a database owned by a plain role,
# as a deployment's is. PGOPTIONS opens every area to the
# test's own psql, which linli does not use for its own connections.
pg_fenced_db() {
	local bin port user runas
	[ -f "$work/pg/access" ] || return 1
	{ read -r bin; read -r port; read -r user; read -r runas; } <"$work/pg/access"
	psql -X -q -h 127.0.0.1 -p "$port" -U "$user" -d postgres \
		-c "DO \$\$ BEGIN CREATE ROLE linli_fenced LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" \
		-c "CREATE DATABASE $1 OWNER linli_fenced TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'" \
		>/dev/null || return 1
	echo "postgres://linli_fenced@127.0.0.1:$port/$1"
}

# Each HTTP test program runs twice: on SQLite and on a fresh PostgreSQL
# database of its own (http_cluster, several servers on one database, on
# PostgreSQL only); $TEST_JOBS of them at a time (each starts its own
# server in its own folder on a port the kernel picks).
for t in "$build"/tests/http_* "$build"/tests/http/http_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	selected "$name" || continue
	# Several servers share one database only on PostgreSQL.
	[ "$name" = http_cluster ] || run_par "$name (sqlite)" env -u LINLI_TEST_DB_URL "$t"
	if url=$(pg_fresh_db "linli_$name"); then
		run_par "$name (postgres)" env LINLI_TEST_DB_URL="$url" "$t"
	else
		run_par "$name (postgres)" sh -c 'echo "1..1"; echo "not ok 1 - no PostgreSQL database"'
	fi
done
for name in http_registry http_region; do
	[ -x "$build/tests/http/$name" ] && selected "$name" || continue
	if url=$(pg_fenced_db "linli_${name}_fenced"); then
		run_par "$name (postgres, fenced)" env LINLI_TEST_DB_URL="$url" \
			PGOPTIONS="-c linli.areas=*" "$build/tests/http/$name"
	else
		run_par "$name (postgres, fenced)" sh -c 'echo "1..1"; echo "not ok 1 - no fenced PostgreSQL database"'
	fi
done
par_wait

if [ -f tests/browser/run.sh ] && selected browser; then
	run_tap "browser" bash tests/browser/run.sh "$build"
fi

if [ ${#failures[@]} -gt 0 ]; then
	echo "== failures"
	printf '%s\n' "${failures[@]}"
fi
[ "$skipped" -eq 0 ] || echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
