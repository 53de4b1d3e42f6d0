/* Audio files to sound levels: libsndfile reading, mono mix-down,
 * calibration to pascals, and the JSON and text forms of a result. */
#include "audio.h"
#include "../base/buf.h"
#include "../base/err.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READ_FRAMES 8192 /* frames read from the file per call */

/* set_err formats a message into err when the caller gave one. */
static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

double noise_calibration_scale(double calibration_db)
{
	return NOISE_P0 * pow(10.0, calibration_db / 20.0) * sqrt(2.0);
}

int noise_analyze_file(const char *path, double calibration_db, char weighting, char time_weighting,
		       struct noise_result *out, char *err, size_t errlen)
{
	struct noise_analyzer an;
	int have_an = 0, rc = 0;
	SNDFILE *sf = NULL;
	SF_INFO info;
	double *frames = NULL, *mono = NULL;
	FILE *probe = NULL;

	memset(out, 0, sizeof(*out));
	set_err(err, errlen, "%s", "");
	if (!path || !*path) {
		set_err(err, errlen, "no audio file given");
		rc = LIN_EINVAL;
		goto out;
	}
	if (!isfinite(calibration_db) || calibration_db < 0.0 || calibration_db > 200.0) {
		set_err(err, errlen, "calibration %g dB is outside 0..200", calibration_db);
		rc = LIN_EINVAL;
		goto out;
	}
	if (weighting != 'A' && weighting != 'C' && weighting != 'Z') {
		set_err(err, errlen, "weighting must be A, C or Z");
		rc = LIN_EINVAL;
		goto out;
	}
	if (time_weighting != 'F' && time_weighting != 'S') {
		set_err(err, errlen, "time weighting must be F or S");
		rc = LIN_EINVAL;
		goto out;
	}
	probe = fopen(path, "rb");
	if (!probe) {
		set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		rc = LIN_EIO;
		goto out;
	}
	memset(&info, 0, sizeof(info));
	sf = sf_open(path, SFM_READ, &info);
	if (!sf) {
		set_err(err, errlen, "%s: not a readable audio file (%s)", path, sf_strerror(NULL));
		rc = LIN_EINVAL;
		goto out;
	}
	if (info.channels < 1 || info.frames <= 0) {
		set_err(err, errlen, "%s: the file holds no audio samples", path);
		rc = LIN_EINVAL;
		goto out;
	}
	if (info.samplerate < NOISE_MIN_RATE || info.samplerate > NOISE_MAX_RATE) {
		set_err(err, errlen, "%s: sample rate %d Hz is outside %.0f..%.0f", path,
			info.samplerate, NOISE_MIN_RATE, NOISE_MAX_RATE);
		rc = LIN_EINVAL;
		goto out;
	}
	rc = noise_analyzer_init(&an, info.samplerate, weighting, time_weighting);
	if (rc) {
		set_err(err, errlen, "%s: %s", path, lin_strerror(rc));
		goto out;
	}
	have_an = 1;
	frames = malloc((size_t)READ_FRAMES * (size_t)info.channels * sizeof(*frames));
	mono = malloc((size_t)READ_FRAMES * sizeof(*mono));
	if (!frames || !mono) {
		set_err(err, errlen, "out of memory");
		rc = LIN_ENOMEM;
		goto out;
	}
	double scale = noise_calibration_scale(calibration_db);
	double per_channel = scale / info.channels;
	sf_count_t total = 0;
	for (;;) {
		sf_count_t got = sf_readf_double(sf, frames, READ_FRAMES);
		if (got <= 0)
			break;
		int ch = info.channels;
		if (ch == 1) {
			for (sf_count_t i = 0; i < got; i++)
				mono[i] = frames[i] * scale;
		} else {
			for (sf_count_t i = 0; i < got; i++) {
				double s = 0.0;
				for (int c = 0; c < ch; c++)
					s += frames[i * ch + c];
				mono[i] = s * per_channel;
			}
		}
		rc = noise_analyzer_feed(&an, mono, (size_t)got);
		if (rc) {
			set_err(err, errlen, "out of memory");
			goto out;
		}
		total += got;
	}
	if (sf_error(sf) != SF_ERR_NO_ERROR) {
		set_err(err, errlen, "%s: read failed after %lld frames (%s)", path,
			(long long)total, sf_strerror(sf));
		rc = LIN_EIO;
		goto out;
	}
	if (total == 0) {
		set_err(err, errlen, "%s: the file holds no audio samples", path);
		rc = LIN_EINVAL;
		goto out;
	}
	rc = noise_analyzer_finish(&an, out);
	if (rc)
		set_err(err, errlen, "%s: %s", path, lin_strerror(rc));
out:
	if (have_an)
		noise_analyzer_release(&an);
	if (sf)
		sf_close(sf);
	if (probe)
		fclose(probe);
	free(frames);
	free(mono);
	return rc;
}

int noise_calibrate_file_err(const char *path, double level_db, double *offset_db, char *err,
			     size_t errlen)
{
	struct noise_result r;
	int rc = 0;

	*offset_db = 0.0;
	if (!isfinite(level_db) || level_db < 0.0 || level_db > 200.0) {
		set_err(err, errlen, "calibrator level %g dB is outside 0..200", level_db);
		rc = LIN_EINVAL;
		goto out;
	}
	rc = noise_analyze_file(path, NOISE_DEFAULT_CALIBRATION_DB, 'A', 'F', &r, err, errlen);
	if (rc)
		goto out;
	*offset_db = level_db - r.laeq;
	noise_result_release(&r);
out:
	return rc;
}

int noise_calibrate_file(const char *path, double level_db, double *offset_db)
{
	return noise_calibrate_file_err(path, level_db, offset_db, NULL, 0);
}

/* round2 rounds to 0.01 and turns -0.00 into 0.00. */
static double round2(double v)
{
	double r = round(v * 100.0) / 100.0;

	return r == 0.0 ? 0.0 : r;
}

int noise_result_json(const struct noise_result *r, int per_second, struct buf *out)
{
	char w[2] = {r->weighting, '\0'}, t[2] = {r->time_weighting, '\0'};

	buf_addf(out,
		 "{\"laeq\":%.2f,\"lmax\":%.2f,\"lmin\":%.2f,\"l5\":%.2f,\"l10\":%.2f,"
		 "\"l50\":%.2f,\"l90\":%.2f,\"l95\":%.2f,\"lae\":%.2f,\"duration_s\":%.3f,"
		 "\"sample_rate\":%.0f,\"weighting\":",
		 round2(r->laeq), round2(r->lmax), round2(r->lmin), round2(r->l5), round2(r->l10),
		 round2(r->l50), round2(r->l90), round2(r->l95), round2(r->lae), r->duration_s,
		 r->sample_rate);
	buf_add_json_string(out, w);
	buf_adds(out, ",\"time_weighting\":");
	buf_add_json_string(out, t);
	if (per_second) {
		buf_adds(out, ",\"per_second\":[");
		for (size_t i = 0; i < r->per_second_count; i++)
			buf_addf(out, "%s%.2f", i ? "," : "", round2(r->per_second[i]));
		buf_addc(out, ']');
	}
	buf_addc(out, '}');
	return out->failed ? LIN_ENOMEM : 0;
}

int noise_result_text(const struct noise_result *r, int per_second, struct buf *out)
{
	char w = r->weighting, t = r->time_weighting;

	buf_addf(out, "L%ceq      %7.2f dB\n", w, round2(r->laeq));
	buf_addf(out, "L%c%cmax    %7.2f dB\n", w, t, round2(r->lmax));
	buf_addf(out, "L%c%cmin    %7.2f dB\n", w, t, round2(r->lmin));
	buf_addf(out, "L%c5       %7.2f dB\n", w, round2(r->l5));
	buf_addf(out, "L%c10      %7.2f dB\n", w, round2(r->l10));
	buf_addf(out, "L%c50      %7.2f dB\n", w, round2(r->l50));
	buf_addf(out, "L%c90      %7.2f dB\n", w, round2(r->l90));
	buf_addf(out, "L%c95      %7.2f dB\n", w, round2(r->l95));
	buf_addf(out, "L%cE       %7.2f dB\n", w, round2(r->lae));
	buf_addf(out, "duration  %7.3f s at %.0f Hz (%c weighting, %s)\n", r->duration_s,
		 r->sample_rate, w, t == 'F' ? "Fast" : "Slow");
	if (per_second)
		for (size_t i = 0; i < r->per_second_count; i++)
			buf_addf(out, "second %zu  %7.2f dB\n", i, round2(r->per_second[i]));
	return out->failed ? LIN_ENOMEM : 0;
}
