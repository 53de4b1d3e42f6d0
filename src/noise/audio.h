/* Audio files to sound levels: read with libsndfile, mix to mono, scale to
 * pascals by a calibration level, analyze (dsp.h), and format the result
 * as JSON or text for the CLI. */
#ifndef LINLI_NOISE_AUDIO_H
#define LINLI_NOISE_AUDIO_H

#include "dsp.h"

#include <stddef.h>

struct buf;

#define NOISE_DEFAULT_CALIBRATION_DB 94.0 /* full-scale sine (peak 1.0) reads this */

/* noise_calibration_scale returns pascals per unit sample value when a
 * full-scale sine of peak 1.0 represents calibration_db (its rms pressure
 * is 20 uPa 10^(L/20), its rms sample value 1/sqrt 2). */
double noise_calibration_scale(double calibration_db);

/* noise_analyze_file reads path (anything libsndfile reads), averages the
 * channels to mono, scales by calibration_db and analyzes it with
 * weighting 'A'/'C'/'Z' and time weighting 'F'/'S' into OUT: *out (release
 * with noise_result_release). Returns 0; LIN_EINVAL (bad argument, not an
 * audio file, no samples, unsupported rate), LIN_EIO (cannot open or read)
 * or LIN_ENOMEM, with a one-line English message in err (may be NULL). */
int noise_analyze_file(const char *path, double calibration_db, char weighting, char time_weighting,
		       struct noise_result *out, char *err, size_t errlen);

/* noise_calibrate_file_err measures a recording of a 1 kHz calibrator at
 * level_db (LAeq with calibration 94 dB; A(1 kHz) = 0) and sets OUT:
 * *offset_db = level_db - measured, so later analyses use calibration
 * 94 + offset. Errors as noise_analyze_file. */
int noise_calibrate_file_err(const char *path, double level_db, double *offset_db, char *err,
			     size_t errlen);

/* noise_calibrate_file is noise_calibrate_file_err without the message. */
int noise_calibrate_file(const char *path, double level_db, double *offset_db);

/* noise_result_json appends r as one JSON object with the keys laeq, lmax,
 * lmin, l5, l10, l50, l90, l95, lae, duration_s, sample_rate, weighting,
 * time_weighting (+ per_second, an array, when per_second is set); levels
 * rounded to 0.01 dB. Returns 0 or LIN_ENOMEM. */
int noise_result_json(const struct noise_result *r, int per_second, struct buf *out);

/* noise_result_text appends r as aligned lines for a terminal. Returns 0
 * or LIN_ENOMEM. */
int noise_result_text(const struct noise_result *r, int per_second, struct buf *out);

#endif
