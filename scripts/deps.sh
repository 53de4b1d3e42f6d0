#!/usr/bin/env bash
# Installs the Debian packages that linli's build, tests and benchmarks need.
# Idempotent and quiet when everything is already present.
set -euo pipefail

packages=(
	build-essential meson ninja-build pkg-config clang-format python3
	clang libclang-rt-14-dev
	libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev
	libsodium-dev libcmocka-dev libcurl4-openssl-dev curl libxlsxwriter-dev libsndfile1-dev
	postgresql
	chromium fonts-noto-cjk
	libmosquitto-dev mosquitto coinor-libcbc-dev
	libjpeg62-turbo-dev libpng-dev libwebp-dev libqrencode-dev
	libjs-leaflet
	wrk nginx-light sox python3-scipy bc
	unzip zbar-tools
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

# Node.js may come from another packaging of it (with npm inside): only
# ask Debian for it when the commands are missing.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

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
if [ ! -d tests/browser/node_modules/playwright-core ]; then
	echo "deps: installing playwright-core (npm)" >&2
	(cd tests/browser && npm install --no-audit --no-fund --silent >/dev/null)
fi
