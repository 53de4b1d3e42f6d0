#!/usr/bin/env bash
# Installs the Debian packages linli needs. Idempotent and quiet when
# everything is already present.
#
#   scripts/deps.sh run     what building and running linli needs (make demo)
#   scripts/deps.sh test    that, and the tools of the tests, fuzzing and
#                           benchmarks (make test; the default)
set -euo pipefail

what=${1:-test}
case "$what" in
run | test) ;;
*)
	echo "usage: scripts/deps.sh [run|test]" >&2
	exit 2
	;;
esac

# Building and running: the compiler, Meson, Python (the build embeds the
# schema, assets and catalogues with it) and the libraries linli links.
run_packages=(
	build-essential meson ninja-build pkg-config python3
	libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
	libsodium-dev libcurl4-openssl-dev libxlsxwriter-dev libsndfile1-dev
	libmosquitto-dev coinor-libcbc-dev
	libjpeg62-turbo-dev libpng-dev libwebp-dev libqrencode-dev
	libjs-leaflet
)

# Tests, fuzzing and benchmarks: cmocka, clang, the servers the tests start
# (PostgreSQL, Mosquitto, nginx), the browser and the tools they read with.
test_packages=(
	clang-format clang libclang-rt-14-dev
	libcmocka-dev sqlite3 curl postgresql mosquitto
	chromium fonts-noto-cjk
	wrk nginx-light sox python3-scipy bc
	unzip zbar-tools
)

packages=("${run_packages[@]}")
[ "$what" = run ] || packages+=("${test_packages[@]}")

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

# Node.js (the browser tests) may come from another packaging of it (with
# npm inside): only ask Debian for it when the commands are missing.
if [ "$what" = test ]; then
	command -v node >/dev/null 2>&1 || missing+=(nodejs)
	command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if [ "${#missing[@]}" -gt 0 ]; then
	echo "deps: installing ${missing[*]}" >&2
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser test drives Debian's chromium through npm's playwright-core
# (never a downloaded browser).
if [ "$what" = test ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
	echo "deps: installing playwright-core (npm)" >&2
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null)
fi
