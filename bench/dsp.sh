#!/bin/sh
# Benchmark (not a test): A weighting + Fast + LAeq over 10 minutes of 48 kHz
# float audio, ours (src/noise built -O3, as the product, in a throwaway driver) against
# scipy.signal.lfilter and sox with the same biquad cascade, in one run.
# Needs gcc, libsndfile1-dev, python3-scipy (Debian's /usr/bin/python3), sox.
# Usage: bench/dsp.sh [BUILD_DIR] [minutes]   (default 10; `make bench` passes
# its build folder, which this script does not need: it builds its own driver)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -d "${1:-}" ]; then shift; fi
MIN=${1:-10}
PY=/usr/bin/python3
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

cat >"$TMP/driver.c" <<'C'
/* Throwaway bench driver: --print-coefficients, or read FILE then time the
 * analyzer (A, Fast) over it, reading and filtering timed apart. */
#include "noise/dsp.h"
#include "noise/audio.h"
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}
int main(int argc, char **argv)
{
	struct noise_filter f;
	if (argc == 3 && strcmp(argv[1], "--print-coefficients") == 0) {
		noise_filter_design(&f, 'A', strtod(argv[2], NULL));
		for (int i = 0; i < f.nsections; i++)
			printf("%.17g %.17g %.17g 1 %.17g %.17g\n", f.section[i].b0, f.section[i].b1,
			       f.section[i].b2, f.section[i].a1, f.section[i].a2);
		return 0;
	}
	SF_INFO info = {0};
	double t0 = now();
	SNDFILE *sf = sf_open(argv[1], SFM_READ, &info);
	if (!sf || info.channels != 1)
		return 1;
	float *x = malloc((size_t)info.frames * sizeof(*x));
	sf_count_t n = sf_readf_float(sf, x, info.frames);
	sf_close(sf);
	double t1 = now();
	double scale = noise_calibration_scale(94.0);
	for (sf_count_t i = 0; i < n; i++)
		x[i] = (float)(x[i] * scale);
	struct noise_analyzer a;
	struct noise_result r;
	double t2 = now();
	noise_analyzer_init(&a, info.samplerate, 'A', 'F');
	noise_analyzer_feed_float(&a, x, (size_t)n);
	noise_analyzer_finish(&a, &r);
	double t3 = now();
	printf("%lld %.6f %.6f %.4f %.4f\n", (long long)n, t1 - t0, t3 - t2, r.laeq, r.lmax);
	noise_result_release(&r);
	noise_analyzer_release(&a);
	free(x);
	return 0;
}
C
gcc -std=c17 -D_GNU_SOURCE -O3 -include "$ROOT/src/base/banned.h" -I"$ROOT/src" \
	"$TMP/driver.c" "$ROOT/src/noise/dsp.c" "$ROOT/src/noise/audio.c" "$ROOT/src/base/buf.c" \
	$(pkg-config --cflags --libs sndfile) -lm -o "$TMP/driver"

"$TMP/driver" --print-coefficients 48000 >"$TMP/coef.txt"

"$PY" - "$TMP/in.wav" "$MIN" <<'PY'
import sys, numpy as np
from scipy.io import wavfile
fs = 48000; n = int(float(sys.argv[2]) * 60 * fs)
rng = np.random.default_rng(1)
t = np.arange(n) / fs
x = 0.05 * rng.standard_normal(n) + 0.2 * np.sin(2 * np.pi * 1000 * t) + 0.1 * np.sin(2 * np.pi * 63 * t)
wavfile.write(sys.argv[1], fs, x.astype(np.float32))
PY

OURS=$("$TMP/driver" "$TMP/in.wav")
set -- $OURS
N=$1; OURS_READ=$2; OURS_FILT=$3; OURS_LAEQ=$4

SCIPY=$("$PY" - "$TMP/in.wav" "$TMP/coef.txt" <<'PY'
import sys, time, numpy as np
from scipy.io import wavfile
from scipy import signal
t0 = time.perf_counter()
fs, x = wavfile.read(sys.argv[1]); x = x.astype(np.float64) * (20e-6 * 10 ** (94 / 20) * 2 ** 0.5)
t1 = time.perf_counter()
sos = np.loadtxt(sys.argv[2], ndmin=2)
y = x
for s in sos:
    y = signal.lfilter(s[:3], s[3:], y)
k = -np.expm1(-1 / (fs * 0.125))
e = y * y
fast = signal.lfilter([k], [1, -(1 - k)], e)
laeq = 10 * np.log10(np.mean(e) / 4e-10)
lmax = 10 * np.log10(fast.max() / 4e-10)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, laeq, lmax)
PY
)
set -- $SCIPY
SCIPY_READ=$1; SCIPY_FILT=$2; SCIPY_LAEQ=$3

BQ=$(awk '{printf " biquad %s %s %s %s %s %s", $1, $2, $3, $4, $5, $6}' "$TMP/coef.txt")
t0=$(date +%s.%N)
sox "$TMP/in.wav" -n stats 2>/dev/null
t1=$(date +%s.%N)
# shellcheck disable=SC2086
SOX_RMS=$(sox "$TMP/in.wav" -n $BQ stats 2>&1 | awk '/RMS lev dB/ {print $4}')
t2=$(date +%s.%N)
SOX_READ=$(echo "$t1 - $t0" | bc -l)
SOX_TOTAL=$(echo "$t2 - $t1" | bc -l)
SOX_FILT=$(echo "$SOX_TOTAL - $SOX_READ" | bc -l)

awk -v n="$N" -v ofil="$OURS_FILT" -v ord="$OURS_READ" -v sfil="$SCIPY_FILT" -v srd="$SCIPY_READ" \
    -v xfil="$SOX_FILT" -v xtot="$SOX_TOTAL" -v xrd="$SOX_READ" -v ol="$OURS_LAEQ" -v sl="$SCIPY_LAEQ" \
    -v xr="$SOX_RMS" 'BEGIN {
	printf "samples: %d (48 kHz float WAV)\n", n
	printf "%-28s %10s %10s %14s\n", "", "read s", "filter s", "Msamples/s"
	printf "%-28s %10.3f %10.3f %14.1f\n", "linli A+Fast+LAeq", ord, ofil, n / ofil / 1e6
	printf "%-28s %10.3f %10.3f %14.1f\n", "scipy lfilter cascade", srd, sfil, n / sfil / 1e6
	printf "%-28s %10.3f %10.3f %14.1f   (total %.3f s incl. read)\n", "sox biquad x3 + stats", xrd, xfil, n / xfil / 1e6, xtot
	printf "ratio vs scipy: %.1fx (target >= 2)\n", sfil / ofil
	printf "ratio vs sox:   %.1fx filter-only, %.1fx incl. read (target >= 8)\n", xfil / ofil, xtot / (ofil + ord)
	printf "LAeq check: linli %.2f, scipy %.2f dB; sox RMS of the weighted signal %s dBFS\n", ol, sl, xr
}'
