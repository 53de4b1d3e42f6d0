/* SVG charts as text; see svg.h. Coordinates are viewBox units written
 * with at most one decimal, so the output is the same on every machine
 * and locale. Layout is computed once per chart, top to bottom: caption,
 * plot, category labels, legend. */
#include "svg.h"
#include "html.h"
#include "../base/err.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define FONT_PX	    14.0 /* tick and label text */
#define LINE_PX	    20.0 /* one row of text */
#define SWATCH_PX   13.0 /* legend colour square */
#define RULE_KEY_PX 26.0 /* legend sample of a limit line */
#define GRID_COLOR  "#d9dee5"
#define AXIS_COLOR  "#5b6472"
#define TEXT_COLOR  "#1d2430"
#define LABEL_TURN  40.0 /* degrees labels turn when they do not fit */
#define MAX_TICKS   5
#define MAX_BAR_PX  64.0 /* a bar is never wider (taller, when horizontal) than this */
#define MIN_PLOT_PX 40.0

/* Okabe & Ito (2008), "Color Universal Design": distinguishable with the
 * common colour-vision deficiencies. Yellow comes last: it is the hardest
 * to see on white. */
static const char *const palette[SVG_PALETTE_SIZE] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
};

const char *svg_color(int i)
{
	if (i < 0)
		i = -i;
	return palette[i % SVG_PALETTE_SIZE];
}

/* ------------------------------------------------------------ numbers */

void svg_num(struct buf *out, double v)
{
	int64_t tenths;

	if (!isfinite(v))
		v = 0;
	if (v > 1e15)
		v = 1e15;
	if (v < -1e15)
		v = -1e15;
	tenths = (int64_t)llround(v * 10.0);
	if (tenths < 0) {
		buf_addc(out, '-');
		tenths = -tenths;
	}
	buf_addf(out, "%" PRId64, tenths / 10);
	if (tenths % 10)
		buf_addf(out, ".%d", (int)(tenths % 10));
}

double svg_axis_step(double max, int ticks, int integral, double *top)
{
	static const double mult[] = {1, 2, 5};
	double raw, mag, step = 1;

	if (ticks < 1)
		ticks = 1;
	if (!isfinite(max) || max <= 0) {
		*top = 1;
		return 1;
	}
	raw = max / ticks;
	mag = pow(10, floor(log10(raw)));
	for (int k = 0; k <= 3; k++) {
		/* the first of 1, 2, 5, 10 times mag that needs at most ticks parts */
		step = k < 3 ? mult[k] * mag : 10 * mag;
		if (step * ticks >= max * (1 - 1e-12))
			break;
	}
	if (integral && step < 1)
		step = 1;
	*top = ceil(max / step - 1e-9) * step;
	if (*top <= 0)
		*top = step;
	return step;
}

/* ------------------------------------------------------------ text */

double svg_text_width(const char *text, double px)
{
	double w = 0;

	for (const unsigned char *p = (const unsigned char *)text; p && *p; p++) {
		if (*p < 0x80)
			w += 0.6 * px;
		else if (*p >= 0xE0) /* a three- or four-byte sequence: CJK, symbols */
			w += px;
		else if (*p >= 0xC0) /* two bytes: Latin letters with marks, Greek... */
			w += 0.6 * px;
		/* continuation bytes add nothing */
	}
	return w;
}

void svg_text(struct buf *out, double x, double y, const char *anchor, const char *cls,
	      const char *fill, const char *text)
{
	buf_adds(out, "<text x=\"");
	svg_num(out, x);
	buf_adds(out, "\" y=\"");
	svg_num(out, y);
	buf_adds(out, "\"");
	if (anchor && strcmp(anchor, "start"))
		buf_addf(out, " text-anchor=\"%s\"", !strcmp(anchor, "end") ? "end" : "middle");
	if (cls) {
		buf_adds(out, " class=\"");
		html_escape(out, cls);
		buf_adds(out, "\"");
	}
	if (fill) {
		buf_adds(out, " fill=\"");
		html_escape(out, fill);
		buf_adds(out, "\"");
	}
	buf_adds(out, ">");
	html_escape(out, text);
	buf_adds(out, "</text>");
}

void svg_begin(struct buf *out, const char *cls, const char *id, int width, int height,
	       const char *title, const char *desc)
{
	const char *pfx = id ? id : "svg";

	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\"", width,
		 height);
	buf_adds(out, " width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\"");
	buf_adds(out, " font-size=\"14\" class=\"");
	html_escape(out, cls ? cls : "svg-chart");
	buf_adds(out, "\" aria-labelledby=\"");
	html_escape(out, pfx);
	buf_adds(out, "-t");
	if (desc) {
		buf_adds(out, " ");
		html_escape(out, pfx);
		buf_adds(out, "-d");
	}
	buf_adds(out, "\"><title id=\"");
	html_escape(out, pfx);
	buf_adds(out, "-t\">");
	html_escape(out, title ? title : "");
	buf_adds(out, "</title>");
	if (desc) {
		buf_adds(out, "<desc id=\"");
		html_escape(out, pfx);
		buf_adds(out, "-d\">");
		html_escape(out, desc);
		buf_adds(out, "</desc>");
	}
}

void svg_end(struct buf *out)
{
	buf_adds(out, "</svg>");
}

/* ------------------------------------------------------------ bar charts */

/* The computed geometry of one chart. */
struct layout {
	double left, top, right, bottom; /* the plot rectangle */
	double label_band;		 /* height below the plot for category labels */
	int turn;			 /* category labels are turned */
	int label_every;		 /* only every nth label is written (crowded axes) */
	double legend_top;		 /* first legend row's top */
	int legend_rows;		 /* rows of legend entries */
	double height;			 /* the whole viewBox height */
	double max;			 /* the largest bar (stack total or value) */
	double step, axis_top;		 /* value axis: tick step and end */
};

/* value_at: series s at label i, with missing, negative and non-finite values as 0. */
static double value_at(const struct svg_series *s, int i)
{
	double v;

	if (!s->values || i >= s->n)
		return 0;
	v = s->values[i];
	return isfinite(v) && v > 0 ? v : 0;
}

/* series_color: the series' own colour, or the palette's kth. */
static const char *series_color(const struct svg_series *s, int k)
{
	return s->color ? s->color : svg_color(k);
}

/* rule_count: the chart's limit lines (none on horizontal charts). */
static int rule_count(const struct svg_chart *c)
{
	return c->horizontal || !c->rules || c->nrules < 0 ? 0 : c->nrules;
}

/* The legend's entries: the series (when c->legend is set), then the
 * limit lines (always: a dashed line needs its name). */
static int legend_series(const struct svg_chart *c, int nseries)
{
	return c->legend ? nseries : 0;
}

static const char *legend_name(const struct svg_chart *c, const struct svg_series *series,
			       int nseries, int k)
{
	int ns = legend_series(c, nseries);
	const char *name = k < ns ? series[k].name : c->rules[k - ns].label;
	return name ? name : "";
}

static double legend_item_width(const struct svg_chart *c, const struct svg_series *series,
				int nseries, int k)
{
	return (k < legend_series(c, nseries) ? SWATCH_PX : RULE_KEY_PX) + 6 +
	       svg_text_width(legend_name(c, series, nseries, k), FONT_PX) + 18;
}

/* legend_rows counts the rows the legend needs in width w. */
static int legend_rows(const struct svg_chart *c, const struct svg_series *series, int nseries,
		       double w)
{
	int n = legend_series(c, nseries) + rule_count(c);
	double x = 0;
	int rows = n ? 1 : 0;

	for (int k = 0; k < n; k++) {
		double item = legend_item_width(c, series, nseries, k);
		if (x > 0 && x + item > w) {
			rows++;
			x = 0;
		}
		x += item;
	}
	return rows;
}

/* layout_chart measures labels, values and legend and fills *L. */
static void layout_chart(const struct svg_chart *c, const char *const *labels, int nlabels,
			 const struct svg_series *series, int nseries, struct layout *L)
{
	double widest = 0, tick_w, slot;
	int integral = 1;

	memset(L, 0, sizeof(*L));
	for (int i = 0; i < nlabels; i++) {
		double total = 0;
		for (int k = 0; k < nseries; k++) {
			double v = value_at(&series[k], i);
			if (v != floor(v))
				integral = 0;
			if (c->stacked)
				total += v;
			else if (v > total)
				total = v;
		}
		if (total > L->max)
			L->max = total;
		if (labels[i] && svg_text_width(labels[i], FONT_PX) > widest)
			widest = svg_text_width(labels[i], FONT_PX);
	}
	for (int r = 0; !c->horizontal && r < c->nrules; r++) {
		double v = c->rules[r].value;
		if (isfinite(v) && v > L->max)
			L->max = v;
		if (v != floor(v))
			integral = 0;
	}
	L->step = svg_axis_step(L->max, MAX_TICKS, integral, &L->axis_top);
	{
		struct buf tmp;
		buf_init(&tmp, 64);
		svg_num(&tmp, L->axis_top);
		tick_w = svg_text_width(tmp.buf, FONT_PX);
		buf_release(&tmp);
	}
	/* room above the plot for the unit caption and the number over the tallest bar */
	L->top = c->unit ? 2 * LINE_PX + 4 : LINE_PX + 4;
	L->right = c->width - 12;
	if (c->horizontal) {
		/* labels down the left, at most 40% of the width; numbers after the bars */
		L->top = c->unit ? LINE_PX + 8 : 10;
		L->left = widest + 14;
		if (L->left > c->width * 0.4)
			L->left = c->width * 0.4;
		L->right -= tick_w + 8;
		L->label_band = LINE_PX + 4; /* tick numbers under the plot */
		L->label_every = 1;
	} else {
		L->left = tick_w + 14;
		slot = nlabels ? (L->right - L->left) / nlabels : L->right - L->left;
		L->turn = widest > slot - 4;
		L->label_band =
		    L->turn ? widest * sin(LABEL_TURN * M_PI / 180) + FONT_PX + 10 : LINE_PX + 6;
		if (L->label_band > c->height / 2.0)
			L->label_band = c->height / 2.0;
		/* turned labels stand slot * sin(turn) apart; upright ones need their width */
		L->label_every =
		    L->turn ? (int)ceil((FONT_PX + 2) / (slot * sin(LABEL_TURN * M_PI / 180))) : 1;
	}
	L->bottom = c->height - L->label_band;
	if (L->bottom - L->top < MIN_PLOT_PX)
		L->bottom = L->top + MIN_PLOT_PX;
	if (c->horizontal && nlabels)
		L->label_every = (int)ceil((FONT_PX + 2) / ((L->bottom - L->top) / nlabels));
	if (L->label_every < 1)
		L->label_every = 1;
	L->legend_rows = legend_rows(c, series, nseries, c->width - 24);
	L->legend_top = L->bottom + L->label_band + 4;
	L->height = L->legend_top + L->legend_rows * LINE_PX + (L->legend_rows ? 6 : 0);
}

/* line writes one <line> of class cls. */
static void line(struct buf *out, double x1, double y1, double x2, double y2, const char *cls,
		 const char *color)
{
	buf_adds(out, "<line x1=\"");
	svg_num(out, x1);
	buf_adds(out, "\" y1=\"");
	svg_num(out, y1);
	buf_adds(out, "\" x2=\"");
	svg_num(out, x2);
	buf_adds(out, "\" y2=\"");
	svg_num(out, y2);
	buf_addf(out, "\" class=\"%s\" stroke=\"%s\"/>", cls, color);
}

/* value_axis draws gridlines and tick numbers along the value axis. */
static void value_axis(struct buf *out, const struct svg_chart *c, const struct layout *L)
{
	int nticks = (int)llround(L->axis_top / L->step);
	struct buf num;

	buf_init(&num, 64);
	buf_adds(out, "<g class=\"svg-axis\">");
	for (int t = 0; t <= nticks; t++) {
		double v = t * L->step;
		buf_reset(&num);
		svg_num(&num, v);
		if (c->horizontal) {
			double x = L->left + (L->right - L->left) * v / L->axis_top;
			line(out, x, L->top, x, L->bottom, t ? "svg-grid" : "svg-base",
			     t ? GRID_COLOR : AXIS_COLOR);
			svg_text(out, x, L->bottom + FONT_PX + 4, "middle", NULL, AXIS_COLOR,
				 num.buf);
		} else {
			double y = L->bottom - (L->bottom - L->top) * v / L->axis_top;
			line(out, L->left, y, L->right, y, t ? "svg-grid" : "svg-base",
			     t ? GRID_COLOR : AXIS_COLOR);
			svg_text(out, L->left - 6, y + FONT_PX * 0.35, "end", NULL, AXIS_COLOR,
				 num.buf);
		}
	}
	if (c->unit)
		svg_text(out, c->horizontal ? L->right : L->left, LINE_PX - 2,
			 c->horizontal ? "end" : "start", "svg-unit", AXIS_COLOR, c->unit);
	buf_adds(out, "</g>");
	buf_release(&num);
}

/* bar writes one rectangle with its tooltip. */
static void bar(struct buf *out, double x, double y, double w, double h, const char *color,
		const char *label, const char *series_name, double v)
{
	buf_adds(out, "<rect class=\"svg-bar\" x=\"");
	svg_num(out, x);
	buf_adds(out, "\" y=\"");
	svg_num(out, y);
	buf_adds(out, "\" width=\"");
	svg_num(out, w);
	buf_adds(out, "\" height=\"");
	svg_num(out, h);
	buf_adds(out, "\" fill=\"");
	html_escape(out, color);
	buf_adds(out, "\"><title>");
	html_escape(out, label ? label : "");
	if (series_name && *series_name) {
		buf_adds(out, " · ");
		html_escape(out, series_name);
	}
	buf_adds(out, ": ");
	svg_num(out, v);
	buf_adds(out, "</title></rect>");
}

/* category_label writes label i under (or beside) its slot centred at pos. */
static void category_label(struct buf *out, const struct svg_chart *c, const struct layout *L,
			   double pos, const char *label)
{
	if (c->horizontal) {
		svg_text(out, L->left - 8, pos + FONT_PX * 0.35, "end", "svg-label", TEXT_COLOR,
			 label);
	} else if (L->turn) {
		double y = L->bottom + FONT_PX + 4;
		buf_adds(out, "<g transform=\"rotate(-");
		svg_num(out, LABEL_TURN);
		buf_adds(out, " ");
		svg_num(out, pos);
		buf_adds(out, " ");
		svg_num(out, y);
		buf_adds(out, ")\">");
		svg_text(out, pos, y, "end", "svg-label", TEXT_COLOR, label);
		buf_adds(out, "</g>");
	} else {
		svg_text(out, pos, L->bottom + FONT_PX + 6, "middle", "svg-label", TEXT_COLOR,
			 label);
	}
}

/* bars draws every label's bar or group, its label, and the value at the
 * end of a bar when there is room for the number. */
static void bars(struct buf *out, const struct svg_chart *c, const struct layout *L,
		 const char *const *labels, int nlabels, const struct svg_series *series,
		 int nseries)
{
	double span = c->horizontal ? L->bottom - L->top : L->right - L->left;
	double depth = c->horizontal ? L->right - L->left : L->bottom - L->top;
	double slot = nlabels ? span / nlabels : span;
	int per_slot = c->stacked || nseries < 1 ? 1 : nseries;
	double group = slot * 0.75, thick, value_w = svg_text_width("000", FONT_PX);
	struct buf num;

	if (group > MAX_BAR_PX * per_slot)
		group = MAX_BAR_PX * per_slot;
	thick = group / per_slot;
	buf_init(&num, 64);
	buf_adds(out, "<g class=\"svg-bars\">");
	for (int i = 0; i < nlabels; i++) {
		double start = (c->horizontal ? L->top : L->left) + slot * i + (slot - group) / 2;
		double centre = (c->horizontal ? L->top : L->left) + slot * (i + 0.5);
		double acc = 0;
		const char *label = labels[i] ? labels[i] : "";
		for (int k = 0; k < nseries; k++) {
			double v = value_at(&series[k], i), len = depth * v / L->axis_top;
			double off = c->stacked ? 0 : thick * k;
			double base = c->stacked ? depth * acc / L->axis_top : 0;
			if (v > 0) {
				if (c->horizontal)
					bar(out, L->left + base, start + off, len, thick,
					    series_color(&series[k], k), label, series[k].name, v);
				else
					bar(out, start + off, L->bottom - base - len, thick, len,
					    series_color(&series[k], k), label, series[k].name, v);
			}
			acc += v;
			/* grouped bars carry their number when it fits across the bar */
			if (!c->stacked && v > 0 &&
			    (c->horizontal || nseries == 1 || thick >= value_w)) {
				buf_reset(&num);
				svg_num(&num, v);
				if (c->horizontal)
					svg_text(out, L->left + len + 4,
						 start + off + thick / 2 + 5, "start", "svg-value",
						 TEXT_COLOR, num.buf);
				else
					svg_text(out, start + off + thick / 2, L->bottom - len - 4,
						 "middle", "svg-value", TEXT_COLOR, num.buf);
			}
		}
		if (c->stacked && acc > 0) {
			double len = depth * acc / L->axis_top;
			buf_reset(&num);
			svg_num(&num, acc);
			if (c->horizontal)
				svg_text(out, L->left + len + 4, centre + 5, "start", "svg-value",
					 TEXT_COLOR, num.buf);
			else if (svg_text_width(num.buf, FONT_PX) <= slot)
				svg_text(out, centre, L->bottom - len - 4, "middle", "svg-value",
					 TEXT_COLOR, num.buf);
		}
		if (i % L->label_every == 0)
			category_label(out, c, L, centre, label);
	}
	buf_adds(out, "</g>");
	buf_release(&num);
}

/* rules draws each limit as a dashed line across the plot with its label
 * above the line's right end. */
static void rules(struct buf *out, const struct svg_chart *c, const struct layout *L)
{
	if (!rule_count(c))
		return;
	buf_adds(out, "<g class=\"svg-rules\">");
	for (int r = 0; r < c->nrules; r++) {
		const struct svg_rule *rule = &c->rules[r];
		const char *color = rule->color ? rule->color : AXIS_COLOR;
		double v = isfinite(rule->value) && rule->value > 0 ? rule->value : 0;
		double y = L->bottom - (L->bottom - L->top) * v / L->axis_top;
		buf_adds(out, "<line class=\"svg-rule\" x1=\"");
		svg_num(out, L->left);
		buf_adds(out, "\" y1=\"");
		svg_num(out, y);
		buf_adds(out, "\" x2=\"");
		svg_num(out, L->right);
		buf_adds(out, "\" y2=\"");
		svg_num(out, y);
		buf_adds(out, "\" stroke=\"");
		html_escape(out, color);
		buf_adds(out, "\" stroke-width=\"2\" stroke-dasharray=\"8 5\"><title>");
		html_escape(out, rule->label ? rule->label : "");
		buf_adds(out, "</title></line>");
	}
	buf_adds(out, "</g>");
}

/* legend writes a swatch (a dashed line for a limit) and the name of
 * every entry, in rows that fit the width. */
static void legend(struct buf *out, const struct svg_chart *c, const struct layout *L,
		   const struct svg_series *series, int nseries)
{
	int ns = legend_series(c, nseries), n = ns + rule_count(c);
	double x = 12, y = L->legend_top, w = c->width - 24;

	buf_adds(out, "<g class=\"svg-legend\">");
	for (int k = 0; k < n; k++) {
		double item = legend_item_width(c, series, nseries, k), key;
		if (x > 12 && x - 12 + item > w) {
			x = 12;
			y += LINE_PX;
		}
		if (k < ns) {
			key = SWATCH_PX;
			buf_adds(out, "<rect x=\"");
			svg_num(out, x);
			buf_adds(out, "\" y=\"");
			svg_num(out, y + (LINE_PX - SWATCH_PX) / 2);
			buf_addf(out, "\" width=\"%d\" height=\"%d\" rx=\"2\" fill=\"",
				 (int)SWATCH_PX, (int)SWATCH_PX);
			html_escape(out, series_color(&series[k], k));
		} else {
			const struct svg_rule *rule = &c->rules[k - ns];
			key = RULE_KEY_PX;
			buf_adds(out, "<line class=\"svg-rule-key\" x1=\"");
			svg_num(out, x);
			buf_adds(out, "\" x2=\"");
			svg_num(out, x + RULE_KEY_PX);
			buf_adds(out, "\" y1=\"");
			svg_num(out, y + LINE_PX / 2);
			buf_adds(out, "\" y2=\"");
			svg_num(out, y + LINE_PX / 2);
			buf_adds(out, "\" stroke-width=\"2\" stroke-dasharray=\"8 5\" stroke=\"");
			html_escape(out, rule->color ? rule->color : AXIS_COLOR);
		}
		buf_adds(out, "\"/>");
		svg_text(out, x + key + 6, y + LINE_PX / 2 + FONT_PX * 0.35, "start", NULL,
			 TEXT_COLOR, legend_name(c, series, nseries, k));
		x += item;
	}
	buf_adds(out, "</g>");
}

int svg_bar_chart(struct buf *out, const struct svg_chart *c, const char *const *labels,
		  int nlabels, const struct svg_series *series, int nseries)
{
	struct layout L;

	if (c->width < 120 || c->height < 80 || c->width > 10000 || c->height > 10000 ||
	    nlabels < 0 || nseries < 0)
		return LIN_EINVAL;
	if (!labels || !series) {
		nlabels = labels ? nlabels : 0;
		nseries = series ? nseries : 0;
	}
	layout_chart(c, labels, nlabels, series, nseries, &L);
	svg_begin(out, c->horizontal ? "svg-chart svg-hbar" : "svg-chart svg-bar", c->id, c->width,
		  (int)ceil(L.height), c->title, c->desc);
	value_axis(out, c, &L);
	rules(out, c, &L); /* under the bars and their numbers */
	bars(out, c, &L, labels, nlabels, series, nseries);
	if (L.legend_rows)
		legend(out, c, &L, series, nseries);
	svg_end(out);
	return out->failed ? LIN_ENOMEM : 0;
}
