/* Sound level signal processing: IEC 61672-1 frequency weightings (A, C, Z)
 * as biquad cascades designed at run time for the sample rate, Fast/Slow time
 * weighting, and an analyzer that turns blocks of pressure samples (pascals)
 * into LAeq, Lmax, Lmin, LN percentiles, LAE and a 1-s LAeq series.
 * Method and measured accuracy: docs/noise.md. */
#ifndef LINLI_NOISE_DSP_H
#define LINLI_NOISE_DSP_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define NOISE_P0	       20e-6 /* reference pressure, Pa */
#define NOISE_FLOOR_DB	       -99.0 /* levels of silence are clamped here, never -inf */
#define NOISE_MAX_SECTIONS     3     /* biquads in the longest cascade (A) */
#define NOISE_TICKS_PER_SECOND 100   /* time-weighted level sampled every 10 ms */
#define NOISE_MIN_RATE	       8000.0
#define NOISE_MAX_RATE	       384000.0

/* One second-order section: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
struct noise_biquad {
	double b0; /* feed-forward coefficient of x[n] */
	double b1; /* feed-forward coefficient of x[n-1] */
	double b2; /* feed-forward coefficient of x[n-2] */
	double a1; /* feedback coefficient of y[n-1] (a0 is 1) */
	double a2; /* feedback coefficient of y[n-2] */
};

/* A frequency weighting filter: coefficients and its running state. */
struct noise_filter {
	char weighting;		/* 'A', 'C' or 'Z' */
	double sample_rate;	/* Hz */
	int nsections;		/* biquads in use, 0 for Z */
	double design_error_db; /* worst |digital - IEC design| on 10 Hz..min(20 kHz, 0.45 fs) */
	struct noise_biquad section[NOISE_MAX_SECTIONS]; /* the cascade, input first */
	/* Direct form I state: node[i] holds the last two inputs of section i,
	 * node[i + 1] its last two outputs (the next section's inputs). */
	double node[NOISE_MAX_SECTIONS + 1][2];
};

/* noise_weighting_design_db returns the IEC 61672-1 Annex E design value of
 * weighting 'A', 'C' or 'Z' at freq_hz in dB (0 at 1 kHz; Z is 0). */
double noise_weighting_design_db(char weighting, double freq_hz);

/* noise_filter_design fills f with weighting 'A', 'C' or 'Z' for
 * sample_rate (NOISE_MIN_RATE..NOISE_MAX_RATE) and a zero state.
 * Returns 0 or LIN_EINVAL for an unknown weighting or rate. */
int noise_filter_design(struct noise_filter *f, char weighting, double sample_rate);

/* noise_filter_reset zeroes the filter's state, keeping its coefficients. */
void noise_filter_reset(struct noise_filter *f);

/* noise_filter_process filters n samples of in into out (may be the same
 * array), continuing from the filter's state. */
void noise_filter_process(struct noise_filter *f, const double *in, double *out, size_t n);

/* noise_filter_response_db returns the digital filter's exact magnitude
 * response at freq_hz in dB, evaluated from its coefficients. */
double noise_filter_response_db(const struct noise_filter *f, double freq_hz);

/* noise_level_db converts a mean square pressure (Pa^2) to dB re 20 uPa,
 * clamped below at NOISE_FLOOR_DB. */
double noise_level_db(double mean_square);

/* noise_energetic_sum_db returns 10 lg sum 10^(L/10) of n levels (the
 * floor for n == 0). */
double noise_energetic_sum_db(const double *levels, size_t n);

/* What an analysis measured. Levels in dB re 20 uPa, at NOISE_FLOOR_DB or
 * above. Owned by the caller; per_second is freed by noise_result_release. */
struct noise_result {
	double laeq;		 /* equivalent continuous level over the whole input */
	double lmax;		 /* maximum time-weighted level (every sample) */
	double lmin;		 /* minimum time-weighted level (every sample) */
	double l5;		 /* level reached or exceeded in 5 % of the 10-ms samples */
	double l10;		 /* ... 10 % */
	double l50;		 /* ... 50 % */
	double l90;		 /* ... 90 % */
	double l95;		 /* ... 95 % */
	double lae;		 /* sound exposure level: laeq + 10 lg(T / 1 s) */
	double duration_s;	 /* input length in seconds */
	double sample_rate;	 /* Hz */
	char weighting;		 /* 'A', 'C' or 'Z' */
	char time_weighting;	 /* 'F' or 'S' */
	double *per_second;	 /* LAeq of each second (the last may be partial) */
	double *per_second_max;	 /* the time-weighted maximum within each second */
	size_t per_second_count; /* entries in per_second */
	size_t level_samples;	 /* 10-ms samples behind the percentiles */
};

/* noise_result_release frees what r holds and zeroes it. */
void noise_result_release(struct noise_result *r);

/* noise_percentiles sorts levels[0..n) in place (descending) and sets
 * r->l5 .. r->l95: LN is the sorted level at nearest rank ceil(N n / 100),
 * i.e. the level reached or exceeded in at least N % of the samples.
 * n == 0 sets them to the floor. */
void noise_percentiles(float *levels, size_t n, struct noise_result *r);

/* The analyzer: feed it pressure samples, then finish. Initialise with
 * noise_analyzer_init, free with noise_analyzer_release. Fields are
 * private to dsp.c. */
struct noise_analyzer {
	struct noise_filter filter; /* frequency weighting and its state */
	char time_weighting;	    /* 'F' (0.125 s) or 'S' (1 s) */
	double detector_coef;	    /* 1 - exp(-1 / (fs tau)) */
	double detector;	    /* time-weighted mean square, Pa^2 */
	double max_ms;		    /* largest detector value seen */
	double second_max;	    /* largest detector value in the current second */
	double min_ms;		    /* smallest detector value seen */
	double energy_total;	    /* sum of x^2 over finished seconds */
	double energy_second;	    /* sum of x^2 in the current second */
	uint64_t samples;	    /* samples fed so far */
	uint64_t second_start;	    /* sample index where the current second began */
	uint64_t next_second;	    /* sample index ending the current second */
	uint64_t ticks;		    /* 10-ms level samples taken */
	uint64_t next_tick;	    /* sample index of the next 10-ms level sample */
	int warm;		    /* detector pre-charged from the first 10 ms */
	double *warmup;		    /* weighted samples of the first 10 ms, until warm */
	size_t warmup_len;	    /* samples held in warmup */
	float *levels;		    /* the 10-ms time-weighted levels, dB */
	size_t levels_cap;	    /* slots allocated in levels */
	double *seconds;	    /* mean square of each finished second */
	double *seconds_max;	    /* largest detector value of each finished second */
	size_t seconds_cap;	    /* slots allocated in seconds */
	size_t nseconds;	    /* finished seconds */
	int failed;		    /* an allocation failed: feed and finish refuse */
};

/* noise_analyzer_init prepares a for sample_rate, weighting 'A'/'C'/'Z' and
 * time weighting 'F'/'S'. Returns 0, LIN_EINVAL or LIN_ENOMEM. Release a
 * with noise_analyzer_release after a successful init. */
int noise_analyzer_init(struct noise_analyzer *a, double sample_rate, char weighting,
			char time_weighting);

/* noise_analyzer_feed takes n samples in pascals. Returns 0 or LIN_ENOMEM. */
int noise_analyzer_feed(struct noise_analyzer *a, const double *pa, size_t n);

/* noise_analyzer_feed_float is noise_analyzer_feed for float samples. */
int noise_analyzer_feed_float(struct noise_analyzer *a, const float *pa, size_t n);

/* noise_analyzer_finish computes OUT: *out (the caller releases it with
 * noise_result_release). Call once, after the last feed. Returns 0,
 * LIN_EINVAL when no sample was fed, or LIN_ENOMEM. */
int noise_analyzer_finish(struct noise_analyzer *a, struct noise_result *out);

/* noise_analyzer_release frees what a holds. */
void noise_analyzer_release(struct noise_analyzer *a);

#endif
