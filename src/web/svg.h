/* SVG charts written as text, for inlining in pages: bar charts (grouped
 * or stacked, vertical or horizontal) with axes, gridlines and a legend,
 * and the few primitives a feature needs to draw its own picture. Knows no
 * feature; every text is escaped as html_escape does. Charts carry
 * role="img", <title> and <desc>, scale with their viewBox, and draw
 * colours from a palette that colour-blind readers can tell apart. */
#ifndef LINLI_WEB_SVG_H
#define LINLI_WEB_SVG_H

#include "../base/buf.h"

/* One row of values drawn in one colour, named in the legend. */
struct svg_series {
	const char *name;     /* legend text */
	const double *values; /* one value per label, >= 0 (negatives are drawn as 0) */
	int n;		      /* entries in values; missing ones count as 0 */
	const char *color;    /* "#rrggbb", or NULL for svg_color(series index) */
};

/* A limit drawn across a vertical bar chart: a dashed line at value with
 * its label at the right end, just above the line. */
struct svg_rule {
	const char *label; /* e.g. "昼间限值 60", escaped */
	double value;	   /* on the value axis; the axis always reaches it */
	const char *color; /* "#rrggbb", or NULL for the axis colour */
};

/* What a chart says about itself and how it is laid out. */
struct svg_chart {
	const char *title;	      /* <title>: the accessible name */
	const char *desc;	      /* <desc>: one sentence on what is shown, may be NULL */
	const char *id;		      /* element id prefix for the title/desc links, e.g. "c1" */
	const char *unit;	      /* value axis caption, may be NULL */
	int stacked;		      /* series stacked in one bar per label, else side by side */
	int horizontal;		      /* bars grow to the right, labels down the left */
	int width, height;	      /* the viewBox; the element itself is width 100% */
	int legend;		      /* draw the legend (worth it only with several series) */
	const struct svg_rule *rules; /* limits across the plot (vertical charts only) */
	int nrules;		      /* entries in rules */
};

#define SVG_PALETTE_SIZE 8

/* svg_color: colour i (wrapping) of the Okabe-Ito palette, ordered so the
 * first few differ most. */
const char *svg_color(int i);

/* svg_axis_step: a round step (1, 2 or 5 times a power of ten, at least
 * 1 when integral is set) that splits [0, max] into at most ticks parts.
 * OUT: *top, the first multiple of the step at or above max (the axis
 * end). max <= 0 gives step 1, top 1. */
double svg_axis_step(double max, int ticks, int integral, double *top);

/* svg_bar_chart appends a complete <svg> element to out: the value axis
 * with gridlines and tick numbers, one bar (stacked) or one bar per series
 * (grouped) for every label, each bar with a <title> giving its label,
 * series and value, and a legend under the plot when c->legend is set.
 * c->rules are drawn over the bars as labelled dashed lines; the value
 * axis is long enough for the highest. Labels too wide for their slot
 * are turned 40 degrees, and on a crowded
 * axis only every nth is written (every bar keeps its tooltip). With no labels or
 * no series it still writes a valid, empty chart. Returns 0, or LIN_ENOMEM
 * when out failed, LIN_EINVAL for a bad size. */
int svg_bar_chart(struct buf *out, const struct svg_chart *c, const char *const *labels,
		  int nlabels, const struct svg_series *series, int nseries);

/* ---- primitives for hand-made pictures (maps, plans) ---- */

/* svg_begin opens an <svg> with viewBox 0 0 width height, role="img",
 * width 100%, a <title> and (when desc is not NULL) a <desc>; the class
 * attribute is cls. Close it with svg_end. */
void svg_begin(struct buf *out, const char *cls, const char *id, int width, int height,
	       const char *title, const char *desc);
void svg_end(struct buf *out);
/* svg_text writes <text> at x, y with anchor "start", "middle" or "end",
 * an optional class (NULL for none) and fill (NULL to inherit). */
void svg_text(struct buf *out, double x, double y, const char *anchor, const char *cls,
	      const char *fill, const char *text);
/* svg_num appends v with at most one decimal ("12", "12.5", "-3"),
 * independent of the locale. */
void svg_num(struct buf *out, double v);
/* svg_text_width: a rough width of text at font size px (CJK characters a
 * full em, others about 0.6 em), for laying out labels and legends. */
double svg_text_width(const char *text, double px);

#endif
