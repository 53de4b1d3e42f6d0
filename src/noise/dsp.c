/* Frequency and time weighting and the level analyzer; see dsp.h for the
 * contract and docs/noise.md for the filter design and its measured error.
 * Sections: analytic weightings, filter design, filtering kernels, analyzer. */
#include "dsp.h"
#include "../base/err.h"

#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------ analytic weightings */

/* IEC 61672-1:2013 Annex E pole frequencies (Hz) and 1 kHz normalisations. */
#define IEC_F1	  20.598997
#define IEC_F2	  107.65265
#define IEC_F3	  737.86223
#define IEC_F4	  12194.217
#define IEC_A1000 -2.000
#define IEC_C1000 -0.062

/* noise_weighting_design_db: the Annex E formulas, f <= 0 gives -inf's
 * stand-in, the floor. */
double noise_weighting_design_db(char weighting, double freq_hz)
{
	double f2 = freq_hz * freq_hz;
	double r = 0.0;

	if (weighting == 'Z')
		return 0.0;
	if (freq_hz <= 0.0)
		return NOISE_FLOOR_DB;
	if (weighting == 'A') {
		double num = IEC_F4 * IEC_F4 * f2 * f2;
		double den = (f2 + IEC_F1 * IEC_F1) *
			     sqrt((f2 + IEC_F2 * IEC_F2) * (f2 + IEC_F3 * IEC_F3)) *
			     (f2 + IEC_F4 * IEC_F4);
		r = 20.0 * log10(num / den) - IEC_A1000;
	} else {
		double num = IEC_F4 * IEC_F4 * f2;
		double den = (f2 + IEC_F1 * IEC_F1) * (f2 + IEC_F4 * IEC_F4);
		r = 20.0 * log10(num / den) - IEC_C1000;
	}
	return r;
}

/* ------------------------------------------------------ filter design */

#define FIT_LINEAR   400 /* linearly spaced fit frequencies 10 Hz..fmax */
#define FIT_LOG	     400 /* log spaced fit frequencies 10 Hz..fmax */
#define FIT_TAIL     50	 /* frequencies fmax..0.499 fs, weighted down */
#define FIT_POINTS   (FIT_LINEAR + FIT_LOG + FIT_TAIL)
#define FIT_ITERS    8	  /* Sanathanan-Koerner reweightings */
#define CHECK_POINTS 2001 /* points on [-1, 1] where P and Q must be positive */

/* section_response returns H(e^{jw}) of one biquad at w = 2 pi f / fs. */
static double complex section_response(const struct noise_biquad *s, double w)
{
	double complex z1 = cexp(-I * w);
	double complex z2 = z1 * z1;
	double complex num = s->b0 + s->b1 * z1 + s->b2 * z2;
	double complex den = 1.0 + s->a1 * z1 + s->a2 * z2;

	return num / den;
}

/* cascade_gain2 returns |H|^2 of the first n sections of f at freq_hz. */
static double cascade_gain2(const struct noise_filter *f, int n, double freq_hz)
{
	double w = 2.0 * M_PI * freq_hz / f->sample_rate;
	double g = 1.0;

	for (int i = 0; i < n; i++) {
		double m = cabs(section_response(&f->section[i], w));
		g *= m * m;
	}
	return g;
}

double noise_filter_response_db(const struct noise_filter *f, double freq_hz)
{
	return 10.0 * log10(cascade_gain2(f, f->nsections, freq_hz));
}

/* highpass_pair sets s to the bilinear transform of s^2 / ((s + wa)(s + wb))
 * (two real poles, two zeros at DC); wa, wb in rad/s. */
static void highpass_pair(struct noise_biquad *s, double wa, double wb, double fs)
{
	double k = 2.0 * fs;
	double ga = k / (k + wa), gb = k / (k + wb);
	double pa = (k - wa) / (k + wa), pb = (k - wb) / (k + wb);

	/* (ga (1 - z^-1) / (1 - pa z^-1)) (gb (1 - z^-1) / (1 - pb z^-1)) */
	s->b0 = ga * gb;
	s->b1 = -2.0 * ga * gb;
	s->b2 = ga * gb;
	s->a1 = -(pa + pb);
	s->a2 = pa * pb;
}

/* solve5 solves m u = v for u by Gaussian elimination with partial
 * pivoting; m and v are destroyed. Returns 0 or LIN_EINVAL if singular. */
static int solve5(double m[5][5], double v[5], double u[5])
{
	int rc = 0;

	for (int c = 0; c < 5; c++) {
		int p = c;
		for (int r = c + 1; r < 5; r++)
			if (fabs(m[r][c]) > fabs(m[p][c]))
				p = r;
		if (fabs(m[p][c]) < 1e-300) {
			rc = LIN_EINVAL;
			goto out;
		}
		for (int k = 0; k < 5; k++) {
			double t = m[c][k];
			m[c][k] = m[p][k];
			m[p][k] = t;
		}
		double t = v[c];
		v[c] = v[p];
		v[p] = t;
		for (int r = c + 1; r < 5; r++) {
			double q = m[r][c] / m[c][c];
			for (int k = c; k < 5; k++)
				m[r][k] -= q * m[c][k];
			v[r] -= q * v[c];
		}
	}
	for (int c = 4; c >= 0; c--) {
		double s = v[c];
		for (int k = c + 1; k < 5; k++)
			s -= m[c][k] * u[k];
		u[c] = s / m[c][c];
	}
out:
	return rc;
}

/* quad_positive: p0 + p1 x + p2 x^2 > 0 on [-1, 1]. */
static int quad_positive(const double p[3])
{
	for (int i = 0; i < CHECK_POINTS; i++) {
		double x = -1.0 + 2.0 * i / (CHECK_POINTS - 1);
		if (p[0] + p[1] * x + p[2] * x * x <= 1e-12 * (fabs(p[0]) + fabs(p[2])))
			return 0;
	}
	return 1;
}

/* spectral_factor finds the minimum-phase c0 + c1 z^-1 + c2 z^-2 whose
 * squared magnitude on the unit circle is P(cos w) = p0 + p1 x + p2 x^2
 * (P positive on [-1, 1]). With x = (z + 1/z) / 2 each root x_r of P gives
 * z^2 - 2 x_r z + 1 = 0, of whose two roots we keep the one inside. */
static void spectral_factor(const double p[3], double c[3])
{
	double complex zr[2] = {0.0, 0.0};
	int nroots = 0;

	if (fabs(p[2]) > 1e-12 * (fabs(p[0]) + fabs(p[1]))) {
		double complex d = csqrt((double complex)(p[1] * p[1] - 4.0 * p[2] * p[0]));
		double complex xr[2] = {(-p[1] + d) / (2.0 * p[2]), (-p[1] - d) / (2.0 * p[2])};
		for (int i = 0; i < 2; i++) {
			double complex s = csqrt(xr[i] * xr[i] - 1.0);
			double complex z = xr[i] + s;
			if (cabs(z) > 1.0)
				z = xr[i] - s;
			zr[nroots++] = z;
		}
	} else if (fabs(p[1]) > 1e-12 * fabs(p[0])) {
		double complex xr = -p[0] / p[1];
		double complex s = csqrt(xr * xr - 1.0);
		double complex z = xr + s;
		if (cabs(z) > 1.0)
			z = xr - s;
		zr[nroots++] = z;
	}
	double m1 = -creal(zr[0] + zr[1]);
	double m2 = creal(zr[0] * zr[1]);
	/* |monic(1)|^2 must equal P(1): scale. */
	double at1 = 1.0 + m1 + m2;
	double g = sqrt(p[0] + p[1] + p[2]) / fabs(at1);
	c[0] = g;
	c[1] = g * m1;
	c[2] = g * m2;
}

/* design_error returns the worst |response - design| in dB of f (gain
 * already normalised) on the fit grid below fmax. */
static double design_error(const struct noise_filter *f, double fmax)
{
	double worst = 0.0;

	for (int i = 0; i < FIT_LINEAR + FIT_LOG; i++) {
		double fr = i < FIT_LINEAR
				? 10.0 + (fmax - 10.0) * i / (FIT_LINEAR - 1)
				: 10.0 * pow(fmax / 10.0, (double)(i - FIT_LINEAR) / (FIT_LOG - 1));
		double e =
		    noise_filter_response_db(f, fr) - noise_weighting_design_db(f->weighting, fr);
		if (fabs(e) > worst)
			worst = fabs(e);
	}
	return worst;
}

/* normalise_1khz scales the last section so the response at 1 kHz is
 * exactly the design value, 0 dB. */
static void normalise_1khz(struct noise_filter *f)
{
	double g = pow(10.0, -noise_filter_response_db(f, 1000.0) / 20.0);
	struct noise_biquad *s = &f->section[f->nsections - 1];

	s->b0 *= g;
	s->b1 *= g;
	s->b2 *= g;
}

/* fit_correction appends to f (holding the high-pass sections) one biquad
 * whose squared magnitude, a ratio of quadratics in x = cos w, fits
 * design / cascade over the grid in the least-squares relative sense
 * (Sanathanan-Koerner iteration of the linearised equation error).
 * tail_weight weights the frequencies above fmax. Returns 0, or LIN_EINVAL
 * if the fit does not give a stable, positive ratio. */
static int fit_correction(struct noise_filter *f, double fmax, double tail_weight)
{
	double *x = NULL, *target = NULL, *weight = NULL;
	double p[3] = {1.0, 0.0, 0.0}, q[3] = {1.0, 0.0, 0.0};
	double fs = f->sample_rate;
	int rc = 0;

	x = malloc(FIT_POINTS * sizeof(*x));
	target = malloc(FIT_POINTS * sizeof(*target));
	weight = malloc(FIT_POINTS * sizeof(*weight));
	if (!x || !target || !weight) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (int i = 0; i < FIT_POINTS; i++) {
		double fr;
		weight[i] = 1.0;
		if (i < FIT_LINEAR)
			fr = 10.0 + (fmax - 10.0) * i / (FIT_LINEAR - 1);
		else if (i < FIT_LINEAR + FIT_LOG)
			fr = 10.0 * pow(fmax / 10.0, (double)(i - FIT_LINEAR) / (FIT_LOG - 1));
		else {
			fr = fmax +
			     (0.499 * fs - fmax) * (i - FIT_LINEAR - FIT_LOG) / (FIT_TAIL - 1);
			weight[i] = tail_weight;
		}
		x[i] = cos(2.0 * M_PI * fr / fs);
		target[i] = pow(10.0, noise_weighting_design_db(f->weighting, fr) / 10.0) /
			    cascade_gain2(f, f->nsections, fr);
	}
	for (int it = 0; it < FIT_ITERS; it++) {
		double m[5][5] = {{0}}, v[5] = {0}, u[5];
		for (int i = 0; i < FIT_POINTS; i++) {
			double t = target[i], xi = x[i];
			double qprev = q[0] + q[1] * xi + q[2] * xi * xi;
			double w = weight[i] / (t * qprev);
			double row[5] = {w, w * xi, w * xi * xi, -w * t * xi, -w * t * xi * xi};
			for (int r = 0; r < 5; r++) {
				for (int k = 0; k < 5; k++)
					m[r][k] += row[r] * row[k];
				v[r] += row[r] * w * t;
			}
		}
		rc = solve5(m, v, u);
		if (rc)
			goto out;
		p[0] = u[0];
		p[1] = u[1];
		p[2] = u[2];
		q[1] = u[3];
		q[2] = u[4];
	}
	if (!quad_positive(p) || !quad_positive(q)) {
		rc = LIN_EINVAL;
		goto out;
	}
	double bn[3], ad[3];
	spectral_factor(p, bn);
	spectral_factor(q, ad);
	struct noise_biquad *s = &f->section[f->nsections];
	s->b0 = bn[0] / ad[0];
	s->b1 = bn[1] / ad[0];
	s->b2 = bn[2] / ad[0];
	s->a1 = ad[1] / ad[0];
	s->a2 = ad[2] / ad[0];
	/* Stability: both poles inside the unit circle (Jury for order 2). */
	if (!(fabs(s->a2) < 1.0 && fabs(s->a1) < 1.0 + s->a2)) {
		rc = LIN_EINVAL;
		goto out;
	}
	f->nsections++;
out:
	free(x);
	free(target);
	free(weight);
	return rc;
}

int noise_filter_design(struct noise_filter *f, char weighting, double sample_rate)
{
	static const double tail_weights[] = {0.01, 0.03, 0.1, 0.3, 1.0};
	struct noise_filter best, trial;
	int rc = 0, have_best = 0;

	memset(f, 0, sizeof(*f));
	if ((weighting != 'A' && weighting != 'C' && weighting != 'Z') ||
	    !(sample_rate >= NOISE_MIN_RATE && sample_rate <= NOISE_MAX_RATE)) {
		rc = LIN_EINVAL;
		goto out;
	}
	f->weighting = weighting;
	f->sample_rate = sample_rate;
	if (weighting == 'Z')
		goto out;
	highpass_pair(&f->section[0], 2.0 * M_PI * IEC_F1, 2.0 * M_PI * IEC_F1, sample_rate);
	f->nsections = 1;
	if (weighting == 'A') {
		highpass_pair(&f->section[1], 2.0 * M_PI * IEC_F2, 2.0 * M_PI * IEC_F3,
			      sample_rate);
		f->nsections = 2;
	}
	double fmax = fmin(20000.0, 0.45 * sample_rate);
	for (size_t i = 0; i < sizeof(tail_weights) / sizeof(tail_weights[0]); i++) {
		trial = *f;
		if (fit_correction(&trial, fmax, tail_weights[i]))
			continue;
		normalise_1khz(&trial);
		trial.design_error_db = design_error(&trial, fmax);
		if (!have_best || trial.design_error_db < best.design_error_db) {
			best = trial;
			have_best = 1;
		}
	}
	if (!have_best) {
		/* No fit (not seen at any rate): the high-pass part alone, with
		 * the low-pass double pole at f4 by the bilinear transform. */
		struct noise_biquad *s = &f->section[f->nsections];
		double k = 2.0 * sample_rate, w4 = 2.0 * M_PI * IEC_F4;
		double g = w4 / (k + w4), pl = (k - w4) / (k + w4);
		s->b0 = g * g;
		s->b1 = 2.0 * g * g;
		s->b2 = g * g;
		s->a1 = -2.0 * pl;
		s->a2 = pl * pl;
		f->nsections++;
		normalise_1khz(f);
		f->design_error_db = design_error(f, fmax);
		goto out;
	}
	*f = best;
out:
	noise_filter_reset(f);
	return rc;
}

void noise_filter_reset(struct noise_filter *f)
{
	memset(f->node, 0, sizeof(f->node));
}

/* --------------------------------------------------- filtering kernels */

/* What the detector accumulates over a span of samples. */
struct span_acc {
	double coef;   /* detector coefficient */
	double y;      /* detector state, Pa^2 */
	double max_ms; /* largest y */
	double min_ms; /* smallest y */
	double energy; /* sum of x^2 */
};

/* span_run filters n samples through ns sections (direct form I, state in
 * locals so the compiler keeps it in registers) and either stores them in
 * out (detect 0) or runs the detector (detect 1). Called with constant ns,
 * is_float and detect, so each combination becomes its own tight loop. */
static inline __attribute__((always_inline)) void span_run(const struct noise_biquad *sec,
							   double node[][2], int ns, const void *in,
							   int is_float, size_t n, double *out,
							   struct span_acc *acc, int detect)
{
	double st[NOISE_MAX_SECTIONS + 1][2];
	struct noise_biquad c[NOISE_MAX_SECTIONS];
	double y = 0.0, coef = 0.0, decay = 1.0, mx = 0.0, mn = 0.0, e = 0.0;

	for (int i = 0; i <= ns; i++) {
		st[i][0] = node[i][0];
		st[i][1] = node[i][1];
	}
	for (int i = 0; i < ns; i++)
		c[i] = sec[i];
	if (detect) {
		y = acc->y;
		coef = acc->coef;
		decay = 1.0 - coef;
		mx = acc->max_ms;
		mn = acc->min_ms;
		e = acc->energy;
	}
	for (size_t k = 0; k < n; k++) {
		double v = is_float ? (double)((const float *)in)[k] : ((const double *)in)[k];
		double vals[NOISE_MAX_SECTIONS + 1];
		vals[0] = v;
#pragma GCC unroll 4
		for (int i = 0; i < ns; i++) {
			double ff = c[i].b0 * vals[i] + c[i].b1 * st[i][0] + c[i].b2 * st[i][1];
			vals[i + 1] = (ff - c[i].a2 * st[i + 1][1]) - c[i].a1 * st[i + 1][0];
		}
#pragma GCC unroll 4
		for (int i = 0; i <= ns; i++) {
			st[i][1] = st[i][0];
			st[i][0] = vals[i];
		}
		v = vals[ns];
		if (detect) {
			double x2 = v * v;
			e += x2;
			y = decay * y + coef * x2; /* y += coef (x2 - y), shorter chain */
			mx = y > mx ? y : mx;
			mn = y < mn ? y : mn;
		} else {
			out[k] = v;
		}
	}
	for (int i = 0; i <= ns; i++) {
		node[i][0] = st[i][0];
		node[i][1] = st[i][1];
	}
	if (detect) {
		acc->y = y;
		acc->max_ms = mx;
		acc->min_ms = mn;
		acc->energy = e;
	}
}

/* span_dispatch picks the specialised loop for f's section count. */
static void span_dispatch(struct noise_filter *f, const void *in, int is_float, size_t n,
			  double *out, struct span_acc *acc, int detect)
{
	struct noise_biquad *s = f->section;

#define SPAN_CASE(NS)                                                                              \
	case NS:                                                                                   \
		if (is_float && detect)                                                            \
			span_run(s, f->node, NS, in, 1, n, out, acc, 1);                           \
		else if (is_float)                                                                 \
			span_run(s, f->node, NS, in, 1, n, out, acc, 0);                           \
		else if (detect)                                                                   \
			span_run(s, f->node, NS, in, 0, n, out, acc, 1);                           \
		else                                                                               \
			span_run(s, f->node, NS, in, 0, n, out, acc, 0);                           \
		break;
	switch (f->nsections) {
		SPAN_CASE(0)
		SPAN_CASE(1)
		SPAN_CASE(2)
		SPAN_CASE(3)
	default:
		break;
	}
#undef SPAN_CASE
}

void noise_filter_process(struct noise_filter *f, const double *in, double *out, size_t n)
{
	span_dispatch(f, in, 0, n, out, NULL, 0);
}

/* ------------------------------------------------------------- levels */

double noise_level_db(double mean_square)
{
	double floor_ms = NOISE_P0 * NOISE_P0 * pow(10.0, NOISE_FLOOR_DB / 10.0);

	if (!(mean_square > floor_ms))
		return NOISE_FLOOR_DB;
	return 10.0 * log10(mean_square / (NOISE_P0 * NOISE_P0));
}

double noise_energetic_sum_db(const double *levels, size_t n)
{
	double sum = 0.0;

	for (size_t i = 0; i < n; i++)
		sum += pow(10.0, levels[i] / 10.0);
	return noise_level_db(sum * NOISE_P0 * NOISE_P0);
}

void noise_result_release(struct noise_result *r)
{
	free(r->per_second);
	free(r->per_second_max);
	memset(r, 0, sizeof(*r));
}

/* level_desc orders floats from loudest to quietest for qsort. */
static int level_desc(const void *pa, const void *pb)
{
	float a = *(const float *)pa, b = *(const float *)pb;

	return (a < b) - (a > b);
}

/* rank_level returns the nearest-rank level exceeded in percent % of the
 * descending sorted[0..n). */
static double rank_level(const float *sorted, size_t n, double percent)
{
	size_t k = (size_t)ceil(percent * (double)n / 100.0 - 1e-9);

	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return sorted[k - 1];
}

void noise_percentiles(float *levels, size_t n, struct noise_result *r)
{
	if (n == 0) {
		r->l5 = r->l10 = r->l50 = r->l90 = r->l95 = NOISE_FLOOR_DB;
		return;
	}
	qsort(levels, n, sizeof(*levels), level_desc);
	r->l5 = rank_level(levels, n, 5.0);
	r->l10 = rank_level(levels, n, 10.0);
	r->l50 = rank_level(levels, n, 50.0);
	r->l90 = rank_level(levels, n, 90.0);
	r->l95 = rank_level(levels, n, 95.0);
}

/* ----------------------------------------------------------- analyzer */

/* tick_at returns the sample index of the k-th 10-ms level sample. */
static uint64_t tick_at(const struct noise_analyzer *a, uint64_t k)
{
	return (uint64_t)llround((double)k * a->filter.sample_rate / NOISE_TICKS_PER_SECOND);
}

/* second_at returns the sample index ending the k-th second. */
static uint64_t second_at(const struct noise_analyzer *a, uint64_t k)
{
	return (uint64_t)llround((double)k * a->filter.sample_rate);
}

int noise_analyzer_init(struct noise_analyzer *a, double sample_rate, char weighting,
			char time_weighting)
{
	int rc = 0;

	memset(a, 0, sizeof(*a));
	if (time_weighting != 'F' && time_weighting != 'S') {
		rc = LIN_EINVAL;
		goto out;
	}
	rc = noise_filter_design(&a->filter, weighting, sample_rate);
	if (rc)
		goto out;
	a->time_weighting = time_weighting;
	double tau = time_weighting == 'F' ? 0.125 : 1.0;
	a->detector_coef = -expm1(-1.0 / (sample_rate * tau));
	a->next_tick = tick_at(a, 1);
	a->next_second = second_at(a, 1);
	a->warmup = malloc((size_t)a->next_tick * sizeof(*a->warmup));
	if (!a->warmup) {
		rc = LIN_ENOMEM;
		goto out;
	}
out:
	return rc;
}

void noise_analyzer_release(struct noise_analyzer *a)
{
	free(a->warmup);
	free(a->levels);
	free(a->seconds);
	free(a->seconds_max);
	memset(a, 0, sizeof(*a));
}

/* take_tick records the detector's level as a 10-ms sample. */
static int take_tick(struct noise_analyzer *a)
{
	int rc = 0;

	if (a->ticks == a->levels_cap) {
		size_t cap = a->levels_cap ? a->levels_cap * 2 : 4096;
		float *p = realloc(a->levels, cap * sizeof(*p));
		if (!p) {
			a->failed = 1;
			rc = LIN_ENOMEM;
			goto out;
		}
		a->levels = p;
		a->levels_cap = cap;
	}
	a->levels[a->ticks++] = (float)noise_level_db(a->detector);
	a->next_tick = tick_at(a, a->ticks + 1);
out:
	return rc;
}

/* end_second closes the current second (possibly partial, at the end). */
static int end_second(struct noise_analyzer *a)
{
	int rc = 0;
	uint64_t len = a->samples - a->second_start;

	if (a->nseconds == a->seconds_cap) {
		size_t cap = a->seconds_cap ? a->seconds_cap * 2 : 256;
		double *p = realloc(a->seconds, cap * sizeof(*p));
		if (p)
			a->seconds = p;
		p = p ? realloc(a->seconds_max, cap * sizeof(*p)) : NULL;
		if (!p) {
			a->failed = 1;
			rc = LIN_ENOMEM;
			goto out;
		}
		a->seconds_max = p;
		a->seconds_cap = cap;
	}
	a->seconds_max[a->nseconds] = a->second_max;
	a->second_max = 0.0;
	a->seconds[a->nseconds++] = len ? a->energy_second / (double)len : 0.0;
	a->energy_total += a->energy_second;
	a->energy_second = 0.0;
	a->second_start = a->samples;
	a->next_second = second_at(a, a->nseconds + 1);
out:
	return rc;
}

/* warm_up pre-charges the detector with the mean square of the weighted
 * samples held so far (the first 10 ms), runs the detector over them, and
 * from then on the analyzer filters and detects in one pass. */
static void warm_up(struct noise_analyzer *a)
{
	double sum = 0.0;

	for (size_t i = 0; i < a->warmup_len; i++)
		sum += a->warmup[i] * a->warmup[i];
	a->detector = a->warmup_len ? sum / (double)a->warmup_len : 0.0;
	a->max_ms = a->min_ms = a->detector;
	for (size_t i = 0; i < a->warmup_len; i++) {
		double x2 = a->warmup[i] * a->warmup[i];
		a->detector += a->detector_coef * (x2 - a->detector);
		if (a->detector > a->max_ms)
			a->max_ms = a->detector;
		if (a->detector < a->min_ms)
			a->min_ms = a->detector;
	}
	a->second_max = a->max_ms;
	a->energy_second += sum;
	a->warm = 1;
	free(a->warmup);
	a->warmup = NULL;
}

/* feed_any is noise_analyzer_feed for double (is_float 0) or float input. */
static int feed_any(struct noise_analyzer *a, const void *in, int is_float, size_t n)
{
	size_t done = 0, size = is_float ? sizeof(float) : sizeof(double);
	int rc = 0;

	if (a->failed) {
		rc = LIN_ENOMEM;
		goto out;
	}
	while (done < n) {
		const void *p = (const char *)in + done * size;
		if (!a->warm) {
			size_t take = (size_t)(a->next_tick - a->samples);
			if (take > n - done)
				take = n - done;
			span_dispatch(&a->filter, p, is_float, take, a->warmup + a->warmup_len,
				      NULL, 0);
			a->warmup_len += take;
			a->samples += take;
			done += take;
			if (a->samples == a->next_tick) {
				warm_up(a);
				rc = take_tick(a);
				if (rc)
					goto out;
			}
			continue;
		}
		uint64_t stop = a->next_tick < a->next_second ? a->next_tick : a->next_second;
		size_t take = (size_t)(stop - a->samples);
		if (take > n - done)
			take = n - done;
		struct span_acc acc = {a->detector_coef, a->detector, a->second_max, a->min_ms,
				       a->energy_second};
		span_dispatch(&a->filter, p, is_float, take, NULL, &acc, 1);
		a->detector = acc.y;
		a->second_max = acc.max_ms;
		if (acc.max_ms > a->max_ms)
			a->max_ms = acc.max_ms;
		a->min_ms = acc.min_ms;
		a->energy_second = acc.energy;
		a->samples += take;
		done += take;
		if (a->samples == a->next_tick) {
			rc = take_tick(a);
			if (rc)
				goto out;
		}
		if (a->samples == a->next_second) {
			rc = end_second(a);
			if (rc)
				goto out;
		}
	}
out:
	return rc;
}

int noise_analyzer_feed(struct noise_analyzer *a, const double *pa, size_t n)
{
	return feed_any(a, pa, 0, n);
}

int noise_analyzer_feed_float(struct noise_analyzer *a, const float *pa, size_t n)
{
	return feed_any(a, pa, 1, n);
}

int noise_analyzer_finish(struct noise_analyzer *a, struct noise_result *out)
{
	int rc = 0;
	double fs = a->filter.sample_rate;

	memset(out, 0, sizeof(*out));
	if (a->failed) {
		rc = LIN_ENOMEM;
		goto out;
	}
	if (a->samples == 0) {
		rc = LIN_EINVAL;
		goto out;
	}
	if (!a->warm) {
		/* Shorter than 10 ms: one level sample at the end. */
		warm_up(a);
		rc = take_tick(a);
		if (rc)
			goto out;
	}
	if (a->samples > a->second_start) {
		rc = end_second(a);
		if (rc)
			goto out;
	}
	out->per_second = malloc(a->nseconds * sizeof(*out->per_second));
	out->per_second_max = malloc(a->nseconds * sizeof(*out->per_second_max));
	if (!out->per_second || !out->per_second_max) {
		rc = LIN_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < a->nseconds; i++) {
		out->per_second[i] = noise_level_db(a->seconds[i]);
		out->per_second_max[i] = noise_level_db(a->seconds_max[i]);
	}
	out->per_second_count = a->nseconds;
	out->laeq = noise_level_db(a->energy_total / (double)a->samples);
	out->lae = noise_level_db(a->energy_total / fs);
	out->lmax = noise_level_db(a->max_ms);
	out->lmin = noise_level_db(a->min_ms);
	out->duration_s = (double)a->samples / fs;
	out->sample_rate = fs;
	out->weighting = a->filter.weighting;
	out->time_weighting = a->time_weighting;
	out->level_samples = (size_t)a->ticks;
	noise_percentiles(a->levels, (size_t)a->ticks, out);
out:
	return rc;
}
