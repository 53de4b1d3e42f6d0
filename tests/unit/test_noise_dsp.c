/* Unit tests for src/noise: the weighting filters measured with sines
 * against IEC 61672-1, Fast/Slow tone bursts, calibration, LAE, energetic
 * sums, percentiles, reading audio files and refusing broken ones. */
#include "base/buf.h"
#include "base/err.h"
#include "noise/audio.h"
#include "noise/dsp.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

/* measured_gain_db feeds a unit sine at freq through a fresh filter,
 * skips 0.5 s of settling and returns 10 lg(out energy / in energy) over a
 * whole number of periods lasting at least 1 s. */
static double measured_gain_db(char weighting, double fs, double freq)
{
	struct noise_filter f;
	size_t settle = (size_t)(0.5 * fs);
	double periods = ceil(freq * 1.0);
	size_t len = (size_t)llround(periods * fs / freq);
	size_t n = settle + len;
	double *x = malloc(n * sizeof(*x)), *y = malloc(n * sizeof(*y));
	double ein = 0.0, eout = 0.0;

	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(noise_filter_design(&f, weighting, fs), 0);
	for (size_t i = 0; i < n; i++)
		x[i] = sin(2.0 * M_PI * freq * (double)i / fs);
	noise_filter_process(&f, x, y, n);
	for (size_t i = settle; i < n; i++) {
		ein += x[i] * x[i];
		eout += y[i] * y[i];
	}
	free(x);
	free(y);
	return 10.0 * log10(eout / ein);
}

/* analyze_buffer runs the analyzer over pa[0..n) in blocks of block. */
static void analyze_buffer(const double *pa, size_t n, double fs, char w, char t, size_t block,
			   struct noise_result *r)
{
	struct noise_analyzer a;

	assert_int_equal(noise_analyzer_init(&a, fs, w, t), 0);
	for (size_t i = 0; i < n; i += block)
		assert_int_equal(noise_analyzer_feed(&a, pa + i, n - i < block ? n - i : block), 0);
	assert_int_equal(noise_analyzer_finish(&a, r), 0);
	noise_analyzer_release(&a);
}

/* ------------------------------------------------- frequency weighting */

/* check_rate asserts every base-ten frequency 10 Hz..20 kHz (below 0.45 fs)
 * within 0.1 dB of the design goal, 1 kHz within 0.01 dB, and prints the
 * worst errors. */
static void check_rate(char weighting, double fs)
{
	double worst16 = 0.0, worst20 = 0.0;

	for (int n = -20; n <= 13; n++) {
		double freq = 1000.0 * pow(10.0, n / 10.0);
		double got = measured_gain_db(weighting, fs, freq);
		double goal = noise_weighting_design_db(weighting, freq);
		double err = got - goal;
		if (n == 0)
			assert_true(fabs(err) <= 0.01);
		assert_true(fabs(err) <= 0.1);
		if (n <= 12 && fabs(err) > worst16)
			worst16 = fabs(err);
		if (fabs(err) > worst20)
			worst20 = fabs(err);
	}
	print_message("# %c at %.0f Hz: worst |error| %.4f dB to 16 kHz, %.4f dB to 20 kHz\n",
		      weighting, fs, worst16, worst20);
}

static void a_weighting_44k1_within_0_1_db(void **state)
{
	(void)state;
	check_rate('A', 44100.0);
}

static void a_weighting_48k_within_0_1_db(void **state)
{
	(void)state;
	check_rate('A', 48000.0);
}

static void c_weighting_44k1_within_0_1_db(void **state)
{
	(void)state;
	check_rate('C', 44100.0);
}

static void c_weighting_48k_within_0_1_db(void **state)
{
	(void)state;
	check_rate('C', 48000.0);
}

static void design_values_match_the_standard_table(void **state)
{
	(void)state;
	/* IEC 61672-1 Table 3, rounded to 0.1 dB. */
	assert_true(fabs(noise_weighting_design_db('A', 10.0) - -70.4) < 0.05);
	assert_true(fabs(noise_weighting_design_db('A', 100.0) - -19.1) < 0.05);
	assert_true(fabs(noise_weighting_design_db('A', 1000.0)) < 0.001);
	assert_true(fabs(noise_weighting_design_db('A', 10000.0) - -2.5) < 0.05);
	assert_true(fabs(noise_weighting_design_db('C', 31.5) - -3.0) < 0.05);
	assert_true(fabs(noise_weighting_design_db('C', 1000.0)) < 0.001);
	assert_true(noise_weighting_design_db('Z', 20.0) == 0.0);
}

static void every_rate_designs_within_0_1_db(void **state)
{
	static const double rates[] = {8000,  11025, 16000, 22050,  32000, 44100,
				       48000, 88200, 96000, 176400, 192000};
	struct noise_filter f;

	(void)state;
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		assert_int_equal(noise_filter_design(&f, 'A', rates[i]), 0);
		assert_true(f.design_error_db < 0.1);
		assert_int_equal(noise_filter_design(&f, 'C', rates[i]), 0);
		assert_true(f.design_error_db < 0.1);
	}
	assert_int_equal(noise_filter_design(&f, 'B', 48000), LIN_EINVAL);
	assert_int_equal(noise_filter_design(&f, 'A', 4000), LIN_EINVAL);
}

/* ----------------------------------------------------- time weighting */

/* burst_db returns Lmax of a 4 kHz burst of ms milliseconds relative to
 * the steady LAeq of the same tone, at 48 kHz with A weighting. */
static double burst_db(char t, double ms)
{
	double fs = 48000.0;
	size_t pre = 24000, len = (size_t)llround(ms * 48.0), post = 2 * 48000;
	size_t n = pre + len + post, steady_n = 3 * 48000;
	double *x = calloc(n > steady_n ? n : steady_n, sizeof(*x));
	struct noise_result steady, burst;

	assert_non_null(x);
	for (size_t i = 0; i < steady_n; i++)
		x[i] = sin(2.0 * M_PI * 4000.0 * (double)i / fs);
	analyze_buffer(x, steady_n, fs, 'A', t, 4096, &steady);
	memset(x, 0, n * sizeof(*x));
	for (size_t i = 0; i < len; i++)
		x[pre + i] = sin(2.0 * M_PI * 4000.0 * (double)i / fs);
	analyze_buffer(x, n, fs, 'A', t, 4096, &burst);
	double d = burst.lmax - steady.laeq;
	noise_result_release(&steady);
	noise_result_release(&burst);
	free(x);
	return d;
}

static void fast_tone_bursts_follow_the_exponential(void **state)
{
	static const double ms[] = {1000, 500, 200, 100, 50, 20, 10, 5, 2, 1, 0.5, 0.25};

	(void)state;
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		double got = burst_db('F', ms[i]);
		double theory = 10.0 * log10(1.0 - exp(-ms[i] / 1000.0 / 0.125));
		double tol = ms[i] >= 10 ? 0.5 : 1.0;
		print_message("# Fast %7.2f ms: %7.2f dB (theory %7.2f)\n", ms[i], got, theory);
		assert_true(fabs(got - theory) <= tol);
	}
}

static void slow_tone_bursts_follow_the_exponential(void **state)
{
	static const double ms[] = {1000, 500, 200, 100};

	(void)state;
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		double got = burst_db('S', ms[i]);
		double theory = 10.0 * log10(1.0 - exp(-ms[i] / 1000.0 / 1.0));
		print_message("# Slow %7.2f ms: %7.2f dB (theory %7.2f)\n", ms[i], got, theory);
		assert_true(fabs(got - theory) <= 0.5);
	}
}

/* ----------------------------------------------------------- levels */

static void calibrated_sines_read_their_level(void **state)
{
	double fs = 48000.0, scale = noise_calibration_scale(94.0);
	size_t n = 5 * 48000;
	double *x = malloc(n * sizeof(*x));
	struct noise_result r;

	(void)state;
	assert_non_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = scale * sin(2.0 * M_PI * 1000.0 * (double)i / fs);
	analyze_buffer(x, n, fs, 'A', 'F', 1000, &r);
	assert_true(fabs(r.laeq - 94.00) <= 0.01);
	assert_true(fabs(r.lmax - 94.00) <= 0.05);
	assert_true(fabs(r.l50 - 94.00) <= 0.05);
	noise_result_release(&r);
	for (size_t i = 0; i < n; i++)
		x[i] = sqrt(2.0) * sin(2.0 * M_PI * 1000.0 * (double)i / fs);
	analyze_buffer(x, n, fs, 'A', 'S', 1000, &r);
	assert_true(fabs(r.laeq - 93.98) <= 0.01);
	noise_result_release(&r);
	for (size_t i = 0; i < n; i++)
		x[i] = sin(2.0 * M_PI * 1000.0 * (double)i / fs);
	analyze_buffer(x, n, fs, 'Z', 'F', 1000, &r);
	assert_true(fabs(r.laeq - 90.97) <= 0.01);
	noise_result_release(&r);
	free(x);
}

static void lae_is_laeq_plus_ten_lg_t(void **state)
{
	double fs = 44100.0;
	size_t n = (size_t)(2.5 * fs);
	double *x = malloc(n * sizeof(*x));
	struct noise_result r;

	(void)state;
	assert_non_null(x);
	for (size_t i = 0; i < n; i++)
		x[i] = 0.1 * sin(2.0 * M_PI * 500.0 * (double)i / fs);
	analyze_buffer(x, n, fs, 'A', 'F', 333, &r);
	assert_true(fabs(r.duration_s - 2.5) < 1e-9);
	assert_true(fabs(r.lae - (r.laeq + 10.0 * log10(2.5))) < 1e-9);
	/* Two full seconds and a half second, each at the same level. */
	assert_int_equal(r.per_second_count, 3);
	for (size_t i = 0; i < 3; i++)
		assert_true(fabs(r.per_second[i] - r.laeq) < 0.02);
	noise_result_release(&r);
	free(x);
}

static void energetic_sum_of_equal_levels_adds_3_01(void **state)
{
	double two[2] = {60.0, 60.0}, ten[10];

	(void)state;
	assert_true(fabs(noise_energetic_sum_db(two, 2) - 63.0103) < 0.0001);
	for (int i = 0; i < 10; i++)
		ten[i] = 50.0;
	assert_true(fabs(noise_energetic_sum_db(ten, 10) - 60.0) < 1e-9);
	assert_true(noise_energetic_sum_db(NULL, 0) == NOISE_FLOOR_DB);
}

static void silence_reads_the_floor_not_minus_infinity(void **state)
{
	double *x = calloc(48000, sizeof(*x));
	struct noise_result r;

	(void)state;
	assert_non_null(x);
	analyze_buffer(x, 48000, 48000.0, 'A', 'F', 4800, &r);
	assert_true(r.laeq == NOISE_FLOOR_DB);
	assert_true(r.lmin == NOISE_FLOOR_DB);
	assert_true(r.l90 == NOISE_FLOOR_DB);
	assert_true(isfinite(r.lae));
	noise_result_release(&r);
	free(x);
}

static void percentiles_use_the_nearest_rank(void **state)
{
	float v[100];
	struct noise_result r;

	(void)state;
	for (int i = 0; i < 100; i++) /* 10 x 80, 40 x 70, 50 x 60, shuffled */
		v[(i * 37) % 100] = i < 10 ? 80.0f : i < 50 ? 70.0f : 60.0f;
	noise_percentiles(v, 100, &r);
	assert_true(r.l5 == 80.0 && r.l10 == 80.0 && r.l50 == 70.0);
	assert_true(r.l90 == 60.0 && r.l95 == 60.0);
	for (int i = 0; i < 100; i++)
		v[i] = (float)(i + 1);
	noise_percentiles(v, 100, &r);
	assert_true(r.l10 == 91.0 && r.l50 == 51.0 && r.l90 == 11.0);
	noise_percentiles(v, 0, &r);
	assert_true(r.l50 == NOISE_FLOOR_DB);
}

static void staircase_gives_its_percentiles(void **state)
{
	double fs = 8000.0;
	size_t step = 2 * 8000, n = 5 * step;
	double *x = malloc(n * sizeof(*x));
	struct noise_result r;

	(void)state;
	assert_non_null(x);
	/* Z-weighted constant pressure 50, 60, 70, 80, 90 dB, 2 s each. */
	for (size_t i = 0; i < n; i++)
		x[i] = NOISE_P0 * pow(10.0, (50.0 + 10.0 * (double)(i / step)) / 20.0);
	analyze_buffer(x, n, fs, 'Z', 'F', 777, &r);
	assert_int_equal(r.level_samples, 1000);
	assert_true(fabs(r.l5 - 90.0) < 0.05);
	assert_true(fabs(r.l10 - 90.0) < 0.05);
	assert_true(fabs(r.l50 - 70.0) < 0.05);
	assert_true(fabs(r.l90 - 50.0) < 0.05);
	assert_true(fabs(r.l95 - 50.0) < 0.05);
	assert_true(fabs(r.lmax - 90.0) < 0.01);
	assert_true(fabs(r.lmin - 50.0) < 0.01);
	assert_int_equal(r.per_second_count, 10);
	assert_true(fabs(r.per_second[9] - 90.0) < 0.01);
	/* Each second's Fast maximum: the step it holds, reached within the
	 * second (eight time constants), never the level of the next step. */
	for (size_t i = 0; i < 10; i++)
		if (fabs(r.per_second_max[i] - (50.0 + 10.0 * (double)(i / 2))) > 0.01)
			fail_msg("second %zu: max %.3f", i, r.per_second_max[i]);
	noise_result_release(&r);
	free(x);
}

static void block_size_and_float_input_do_not_change_results(void **state)
{
	double fs = 44100.0;
	size_t n = 44100 + 12345;
	double *x = malloc(n * sizeof(*x));
	float *xf = malloc(n * sizeof(*xf));
	struct noise_result r1, r2, r3;
	struct noise_analyzer a;

	(void)state;
	assert_non_null(x);
	assert_non_null(xf);
	srand(7);
	for (size_t i = 0; i < n; i++) {
		xf[i] =
		    (float)(0.3 * sin(0.05 * (double)i) + 0.1 * (rand() / (double)RAND_MAX - 0.5));
		x[i] = xf[i];
	}
	analyze_buffer(x, n, fs, 'A', 'F', 1, &r1);
	analyze_buffer(x, n, fs, 'A', 'F', 65536, &r2);
	assert_int_equal(noise_analyzer_init(&a, fs, 'A', 'F'), 0);
	assert_int_equal(noise_analyzer_feed_float(&a, xf, n), 0);
	assert_int_equal(noise_analyzer_finish(&a, &r3), 0);
	noise_analyzer_release(&a);
	assert_true(fabs(r1.laeq - r2.laeq) < 1e-9 && fabs(r1.laeq - r3.laeq) < 1e-9);
	assert_true(fabs(r1.lmax - r2.lmax) < 1e-9 && fabs(r1.l90 - r3.l90) < 1e-6);
	noise_result_release(&r1);
	noise_result_release(&r2);
	noise_result_release(&r3);
	free(x);
	free(xf);
}

static void analyzer_refuses_bad_arguments_and_no_input(void **state)
{
	struct noise_analyzer a;
	struct noise_result r;

	(void)state;
	assert_int_equal(noise_analyzer_init(&a, 48000, 'A', 'I'), LIN_EINVAL);
	assert_int_equal(noise_analyzer_init(&a, 1000, 'A', 'F'), LIN_EINVAL);
	assert_int_equal(noise_analyzer_init(&a, 48000, 'A', 'F'), 0);
	assert_int_equal(noise_analyzer_finish(&a, &r), LIN_EINVAL);
	noise_analyzer_release(&a);
}

/* -------------------------------------------------------------- files */

/* write_wav writes frames of ch channels (each the same signal) to a new
 * temporary file and returns its path (free it, unlink it). */
static char *write_wav(const float *sig, size_t n, int fs, int ch, int format)
{
	char *path = malloc(64);
	SF_INFO info = {0};
	SNDFILE *sf;
	float *fr = malloc(n * (size_t)ch * sizeof(*fr));

	assert_non_null(path);
	assert_non_null(fr);
	snprintf(path, 64, "/tmp/test_dsp_XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	info.samplerate = fs;
	info.channels = ch;
	info.format = format;
	sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < ch; c++)
			fr[i * (size_t)ch + (size_t)c] = sig[i];
	assert_int_equal(sf_writef_float(sf, fr, (sf_count_t)n), (sf_count_t)n);
	sf_close(sf);
	free(fr);
	return path;
}

static void wav_file_reads_like_direct_samples(void **state)
{
	int fs = 44100;
	size_t n = (size_t)(3.3 * fs);
	float *sig = malloc(n * sizeof(*sig));
	double *pa = malloc(n * sizeof(*pa));
	double scale = noise_calibration_scale(100.0);
	struct noise_result direct, file;
	char err[256];

	(void)state;
	assert_non_null(sig);
	assert_non_null(pa);
	srand(11);
	for (size_t i = 0; i < n; i++) {
		sig[i] = (float)(0.25 * sin(2.0 * M_PI * 440.0 * (double)i / fs) +
				 0.05 * (rand() / (double)RAND_MAX - 0.5));
		pa[i] = (double)sig[i] * scale;
	}
	char *path = write_wav(sig, n, fs, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
	analyze_buffer(pa, n, fs, 'C', 'S', 4096, &direct);
	assert_int_equal(noise_analyze_file(path, 100.0, 'C', 'S', &file, err, sizeof(err)), 0);
	assert_true(fabs(direct.laeq - file.laeq) < 1e-9);
	assert_true(fabs(direct.lmax - file.lmax) < 1e-9);
	assert_true(fabs(direct.lmin - file.lmin) < 1e-9);
	assert_true(fabs(direct.l10 - file.l10) < 1e-6);
	assert_true(fabs(direct.l90 - file.l90) < 1e-6);
	assert_true(fabs(direct.lae - file.lae) < 1e-9);
	assert_int_equal(direct.per_second_count, file.per_second_count);
	assert_int_equal(file.per_second_count, 4);
	assert_true(file.sample_rate == 44100.0 && file.weighting == 'C');
	noise_result_release(&direct);
	noise_result_release(&file);
	unlink(path);
	free(path);
	free(sig);
	free(pa);
}

static void calibrating_on_a_recorded_calibrator(void **state)
{
	int fs = 48000;
	size_t n = 2 * 48000;
	float *sig = malloc(n * sizeof(*sig));
	double offset = 0.0;

	(void)state;
	assert_non_null(sig);
	/* A 94 dB calibrator recorded at half of full scale (-6.02 dB). */
	for (size_t i = 0; i < n; i++)
		sig[i] = (float)(0.5 * sin(2.0 * M_PI * 1000.0 * (double)i / fs));
	char *path = write_wav(sig, n, fs, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_24);
	assert_int_equal(noise_calibrate_file(path, 94.0, &offset), 0);
	assert_true(fabs(offset - 6.02) < 0.01);
	struct noise_result r;
	assert_int_equal(noise_analyze_file(path, 94.0 + offset, 'A', 'F', &r, NULL, 0), 0);
	assert_true(fabs(r.laeq - 94.0) < 0.01);
	noise_result_release(&r);
	unlink(path);
	free(path);
	free(sig);
}

static void bad_files_are_refused_with_a_message(void **state)
{
	struct noise_result r;
	char err[256], path[] = "/tmp/test_dsp_bad_XXXXXX";
	double off;

	(void)state;
	assert_int_equal(
	    noise_analyze_file("/nonexistent/x.wav", 94, 'A', 'F', &r, err, sizeof(err)), LIN_EIO);
	assert_non_null(strstr(err, "cannot open"));
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd); /* empty file */
	assert_int_equal(noise_analyze_file(path, 94, 'A', 'F', &r, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "not a readable audio file"));
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	fputs("RIFF....WAVEfmt this is not really audio at all\n", fp);
	fclose(fp);
	assert_int_equal(noise_analyze_file(path, 94, 'A', 'F', &r, err, sizeof(err)), LIN_EINVAL);
	assert_true(strlen(err) > 0);
	unlink(path);
	char *wav = write_wav(NULL, 0, 48000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	assert_int_equal(noise_analyze_file(wav, 94, 'A', 'F', &r, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "no audio samples"));
	assert_int_equal(noise_analyze_file(wav, 94, 'B', 'F', &r, err, sizeof(err)), LIN_EINVAL);
	assert_non_null(strstr(err, "weighting"));
	assert_int_equal(noise_calibrate_file(wav, 94, &off), LIN_EINVAL);
	unlink(wav);
	free(wav);
}

static void json_has_exactly_the_documented_keys(void **state)
{
	double secs[2] = {60.004, -0.001};
	struct noise_result r = {.laeq = 61.234,
				 .lmax = 70.0,
				 .lmin = 40.0,
				 .l5 = 68.0,
				 .l10 = 66.0,
				 .l50 = 60.0,
				 .l90 = 45.0,
				 .l95 = 42.0,
				 .lae = 64.245,
				 .duration_s = 2.0,
				 .sample_rate = 48000,
				 .weighting = 'A',
				 .time_weighting = 'F',
				 .per_second = secs,
				 .per_second_count = 2};
	struct buf b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(noise_result_json(&r, 1, &b), 0);
	assert_string_equal(b.buf, "{\"laeq\":61.23,\"lmax\":70.00,\"lmin\":40.00,\"l5\":68.00,"
				   "\"l10\":66.00,\"l50\":60.00,\"l90\":45.00,\"l95\":42.00,"
				   "\"lae\":64.25,\"duration_s\":2.000,\"sample_rate\":48000,"
				   "\"weighting\":\"A\",\"time_weighting\":\"F\","
				   "\"per_second\":[60.00,0.00]}");
	buf_reset(&b);
	assert_int_equal(noise_result_json(&r, 0, &b), 0);
	assert_null(strstr(b.buf, "per_second"));
	buf_reset(&b);
	assert_int_equal(noise_result_text(&r, 1, &b), 0);
	assert_non_null(strstr(b.buf, "LAeq"));
	assert_non_null(strstr(b.buf, "LAFmax"));
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(design_values_match_the_standard_table),
	    cmocka_unit_test(a_weighting_44k1_within_0_1_db),
	    cmocka_unit_test(a_weighting_48k_within_0_1_db),
	    cmocka_unit_test(c_weighting_44k1_within_0_1_db),
	    cmocka_unit_test(c_weighting_48k_within_0_1_db),
	    cmocka_unit_test(every_rate_designs_within_0_1_db),
	    cmocka_unit_test(fast_tone_bursts_follow_the_exponential),
	    cmocka_unit_test(slow_tone_bursts_follow_the_exponential),
	    cmocka_unit_test(calibrated_sines_read_their_level),
	    cmocka_unit_test(lae_is_laeq_plus_ten_lg_t),
	    cmocka_unit_test(energetic_sum_of_equal_levels_adds_3_01),
	    cmocka_unit_test(silence_reads_the_floor_not_minus_infinity),
	    cmocka_unit_test(percentiles_use_the_nearest_rank),
	    cmocka_unit_test(staircase_gives_its_percentiles),
	    cmocka_unit_test(block_size_and_float_input_do_not_change_results),
	    cmocka_unit_test(analyzer_refuses_bad_arguments_and_no_input),
	    cmocka_unit_test(wav_file_reads_like_direct_samples),
	    cmocka_unit_test(calibrating_on_a_recorded_calibrator),
	    cmocka_unit_test(bad_files_are_refused_with_a_message),
	    cmocka_unit_test(json_has_exactly_the_documented_keys),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
