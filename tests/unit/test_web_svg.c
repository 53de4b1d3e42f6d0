/* The SVG chart writer (src/web/svg.c): every chart is well-formed XML
 * with an accessible name, text is escaped, bars are as long as their
 * values say, crowded axes stay legible, and empty data still gives a
 * valid picture. A small well-formedness checker lives here, so the test
 * needs no XML library. */
#include "base/buf.h"
#include "base/err.h"
#include "web/qr.h"
#include "../qr_read.h"
#include "web/svg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

/* well_formed: 1 when s is one XML element with properly nested tags,
 * quoted attributes and only the five predefined entities (or numeric
 * ones); *why says what broke otherwise. */
static int well_formed(const char *s, const char **why)
{
	const char *stack[256];
	size_t stack_len[256];
	int depth = 0, roots = 0;

	*why = "";
	while (*s) {
		if (*s == '&') {
			static const char *const ents[] = {"&amp;",  "&lt;",  "&gt;",
							   "&quot;", "&#39;", NULL};
			int ok = 0;
			for (int i = 0; ents[i]; i++)
				if (!strncmp(s, ents[i], strlen(ents[i])))
					ok = 1;
			if (!ok) {
				*why = "bare ampersand";
				return 0;
			}
			s++;
			continue;
		}
		if (*s != '<') {
			if (!depth && *s != '\n' && *s != ' ') {
				*why = "text outside the root";
				return 0;
			}
			s++;
			continue;
		}
		if (s[1] == '/') {
			const char *name = s + 2;
			size_t n = strcspn(name, " >");
			if (!depth || n != stack_len[depth - 1] ||
			    strncmp(name, stack[depth - 1], n)) {
				*why = "mismatched end tag";
				return 0;
			}
			depth--;
			s = strchr(s, '>');
			if (!s) {
				*why = "unterminated end tag";
				return 0;
			}
			s++;
			continue;
		}
		/* a start tag: name, then attributes name="value" */
		{
			const char *name = s + 1;
			size_t n = strcspn(name, " />");
			const char *p = name + n;
			if (!n) {
				*why = "empty tag name";
				return 0;
			}
			for (;;) {
				while (*p == ' ')
					p++;
				if (*p == '>' || (p[0] == '/' && p[1] == '>'))
					break;
				p += strcspn(p, "= >");
				if (p[0] != '=' || p[1] != '"') {
					*why = "unquoted attribute";
					return 0;
				}
				p = strchr(p + 2, '"');
				if (!p) {
					*why = "unterminated attribute";
					return 0;
				}
				if (memchr(name, '<', (size_t)(p - name))) {
					*why = "< inside a tag";
					return 0;
				}
				p++;
			}
			if (!depth)
				roots++;
			if (*p == '>') {
				if (depth == 256) {
					*why = "too deep";
					return 0;
				}
				stack[depth] = name;
				stack_len[depth++] = n;
				s = p + 1;
			} else {
				s = p + 2;
			}
		}
	}
	if (depth) {
		*why = "unclosed element";
		return 0;
	}
	if (roots != 1) {
		*why = "not exactly one root element";
		return 0;
	}
	return 1;
}

static void assert_well_formed(const char *s)
{
	const char *why;
	if (!well_formed(s, &why)) {
		print_message("not well-formed (%s):\n%s\n", why, s);
		fail();
	}
}

static int count(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* attr_after: the number in attribute name="..." of the nth occurrence of
 * marker (0-based) in s, or NAN. */
static double attr_after(const char *s, const char *marker, int nth, const char *name)
{
	const char *p = strstr(s, marker);
	char key[32];

	for (int i = 0; p && i < nth; i++)
		p = strstr(p + 1, marker);
	if (!p)
		return NAN;
	snprintf(key, sizeof(key), " %s=\"", name);
	p = strstr(p, key);
	if (!p)
		return NAN;
	return strtod(p + strlen(key), NULL);
}

static const struct svg_chart base_chart = {
    .title = "Reports",
    .desc = "One bar per month",
    .id = "t1",
    .unit = "reports",
    .width = 600,
    .height = 300,
};

/* ------------------------------------------------------------ tests */

static void well_formed_checker_works(void **state)
{
	const char *why;

	(void)state;
	assert_true(
	    well_formed("<svg a=\"1\"><g><rect x=\"1\"/></g><text>a &amp; b</text></svg>", &why));
	assert_false(well_formed("<svg><g></svg>", &why));
	assert_false(well_formed("<svg><text>a & b</text></svg>", &why));
	assert_false(well_formed("<svg a=1></svg>", &why));
	assert_false(well_formed("<svg></svg><svg></svg>", &why));
}

static void grouped_chart_is_accessible_xml(void **state)
{
	const char *labels[] = {"Jan", "Feb", "Mar"};
	const double a[] = {3, 5, 1}, b[] = {2, 0, 4};
	const struct svg_series series[] = {{"Noise", a, 3, NULL}, {"Repair", b, 3, "#009E73"}};
	struct svg_chart c = base_chart;
	struct buf out;

	(void)state;
	c.legend = 1;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 3, series, 2), 0);
	assert_well_formed(out.buf);
	assert_true(
	    !strncmp(out.buf, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 ", 57));
	assert_non_null(strstr(out.buf, "role=\"img\""));
	assert_non_null(strstr(out.buf, "aria-labelledby=\"t1-t t1-d\""));
	assert_non_null(strstr(out.buf, "<title id=\"t1-t\">Reports</title>"));
	assert_non_null(strstr(out.buf, "<desc id=\"t1-d\">One bar per month</desc>"));
	assert_non_null(strstr(out.buf, "width=\"100%\""));
	/* five non-zero values, five bars, each with its tooltip */
	assert_int_equal(count(out.buf, "class=\"svg-bar\""), 5);
	assert_non_null(strstr(out.buf, "<title>Feb · Noise: 5</title>"));
	assert_non_null(strstr(out.buf, "<title>Mar · Repair: 4</title>"));
	/* the first series takes the palette's first colour, the second its own */
	assert_non_null(strstr(out.buf, "fill=\"#0072B2\"><title>Jan · Noise"));
	assert_non_null(strstr(out.buf, "fill=\"#009E73\"><title>Jan · Repair"));
	/* legend entries and the axis caption */
	assert_non_null(strstr(out.buf, ">Noise</text>"));
	assert_non_null(strstr(out.buf, ">Repair</text>"));
	assert_non_null(strstr(out.buf, ">reports</text>"));
	/* gridlines with tick numbers 0..5 (max 5, integral values) */
	assert_int_equal(count(out.buf, "class=\"svg-grid\""), 5);
	assert_non_null(strstr(out.buf, ">5</text>"));
	buf_release(&out);
}

static void text_is_escaped(void **state)
{
	const char *labels[] = {"<b>&\"", "ok"};
	const double v[] = {1, 2};
	const struct svg_series series[] = {{"A&B <i>", v, 2, "\"><script>"}};
	struct svg_chart c = base_chart;
	struct buf out;

	(void)state;
	c.title = "T<i>tle & \"co\"";
	c.desc = "d'esc";
	c.unit = "<u>";
	c.legend = 1;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 2, series, 1), 0);
	assert_well_formed(out.buf);
	assert_null(strstr(out.buf, "<b>"));
	assert_null(strstr(out.buf, "<i>"));
	assert_null(strstr(out.buf, "<u>"));
	assert_null(strstr(out.buf, "<script>"));
	assert_non_null(strstr(out.buf, ">&lt;b&gt;&amp;&quot;</text>"));
	assert_non_null(
	    strstr(out.buf, "<title>&lt;b&gt;&amp;&quot; · A&amp;B &lt;i&gt;: 1</title>"));
	assert_non_null(strstr(out.buf, "T&lt;i&gt;tle &amp; &quot;co&quot;</title>"));
	assert_non_null(strstr(out.buf, "d&#39;esc</desc>"));
	assert_non_null(strstr(out.buf, "fill=\"&quot;&gt;&lt;script&gt;\""));
	buf_release(&out);
}

static void bar_heights_follow_values(void **state)
{
	const char *labels[] = {"a", "b", "c", "d"};
	const double v[] = {1, 2, 4, 8};
	const struct svg_series series[] = {{"s", v, 4, NULL}};
	struct svg_chart c = base_chart;
	struct buf out;
	double h[4], y[4], bottom;

	(void)state;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 4, series, 1), 0);
	assert_well_formed(out.buf);
	for (int i = 0; i < 4; i++) {
		h[i] = attr_after(out.buf, "class=\"svg-bar\"", i, "height");
		y[i] = attr_after(out.buf, "class=\"svg-bar\"", i, "y");
		assert_false(isnan(h[i]));
	}
	/* proportional within the one-decimal rounding of coordinates */
	for (int i = 1; i < 4; i++)
		assert_true(fabs(h[i] / h[0] - v[i] / v[0]) < 0.1 * v[i] / v[0]);
	/* all stand on the same base line */
	bottom = y[0] + h[0];
	for (int i = 1; i < 4; i++)
		assert_true(fabs(y[i] + h[i] - bottom) < 0.11);
	/* the axis ends at 8 (8 = 4 ticks of 2): the tallest bar fills the plot */
	assert_non_null(strstr(out.buf, ">8</text>"));
	buf_release(&out);
}

/* A limit line crosses the plot at its value, on the same scale as the
 * bars, with its label (escaped) at the right end; the axis reaches a
 * limit above every bar; horizontal charts draw none. */
static void limit_lines_sit_at_their_value(void **state)
{
	const char *labels[] = {"12-01", "12-02"};
	const double v[] = {40, 20};
	const struct svg_series series[] = {{"Ld", v, 2, NULL}};
	const struct svg_rule limits[] = {{"昼间限值 <60>", 60, "#b3261e"}, {"night", 50, NULL}};
	struct svg_chart c = base_chart;
	struct buf out;
	double bar_y, bar_h, base, y60, y50;

	(void)state;
	c.rules = limits;
	c.nrules = 2;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 2, series, 1), 0);
	assert_well_formed(out.buf);
	assert_int_equal(count(out.buf, "class=\"svg-rule\""), 2);
	/* each named in the legend beside a dashed sample in its colour */
	assert_int_equal(count(out.buf, "class=\"svg-rule-key\""), 2);
	assert_non_null(strstr(out.buf, "stroke=\"#b3261e\"/><text"));
	assert_non_null(strstr(out.buf, "fill=\"#1d2430\">昼间限值 &lt;60&gt;</text>"));
	assert_non_null(strstr(out.buf, "stroke=\"#5b6472\"/><text"));
	assert_non_null(strstr(out.buf, ">night</text>"));
	assert_true(strstr(out.buf, ">night</text>") > strstr(out.buf, "svg-legend"));
	/* the axis runs to 60 although the tallest bar is 40 */
	assert_non_null(strstr(out.buf, ">60</text>"));
	bar_y = attr_after(out.buf, "class=\"svg-bar\"", 0, "y");
	bar_h = attr_after(out.buf, "class=\"svg-bar\"", 0, "height");
	base = bar_y + bar_h;
	y60 = attr_after(out.buf, "class=\"svg-rule\"", 0, "y1");
	y50 = attr_after(out.buf, "class=\"svg-rule\"", 1, "y1");
	/* the bar of 40 is two thirds of the way from the base to the 60 line */
	assert_true(fabs((base - bar_y) / (base - y60) - 40.0 / 60.0) < 0.01);
	assert_true(fabs((base - y50) / (base - y60) - 50.0 / 60.0) < 0.01);
	buf_release(&out);

	c.horizontal = 1;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 2, series, 1), 0);
	assert_int_equal(count(out.buf, "svg-rule"), 0);
	buf_release(&out);
}

static void stacked_bars_sit_on_each_other(void **state)
{
	const char *labels[] = {"Jan", "Feb"};
	const double a[] = {2, 6}, b[] = {3, 0};
	const struct svg_series series[] = {{"A", a, 2, NULL}, {"B", b, 2, NULL}};
	struct svg_chart c = base_chart;
	struct buf out;
	double ya, ha, yb, hb, h2;

	(void)state;
	c.stacked = 1;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 2, series, 2), 0);
	assert_well_formed(out.buf);
	/* Jan: A then B on top of it; Feb: A alone (a zero draws nothing) */
	assert_int_equal(count(out.buf, "class=\"svg-bar\""), 3);
	ya = attr_after(out.buf, "class=\"svg-bar\"", 0, "y");
	ha = attr_after(out.buf, "class=\"svg-bar\"", 0, "height");
	yb = attr_after(out.buf, "class=\"svg-bar\"", 1, "y");
	hb = attr_after(out.buf, "class=\"svg-bar\"", 1, "height");
	h2 = attr_after(out.buf, "class=\"svg-bar\"", 2, "height");
	assert_true(fabs(yb + hb - ya) < 0.11); /* B's bottom is A's top */
	assert_true(fabs(hb / ha - 1.5) < 0.05);
	assert_true(fabs((ha + hb) / h2 - 5.0 / 6.0) < 0.02); /* stack 5 against bar 6 */
	/* the stack totals are written over the bars */
	assert_non_null(strstr(out.buf, "class=\"svg-value\" fill=\"#1d2430\">5</text>"));
	assert_non_null(strstr(out.buf, "class=\"svg-value\" fill=\"#1d2430\">6</text>"));
	buf_release(&out);
}

static void horizontal_bars_grow_right(void **state)
{
	const char *labels[] = {"five", "four", "three"};
	const double v[] = {20, 15, 5};
	const struct svg_series series[] = {{"ratings", v, 3, NULL}};
	struct svg_chart c = base_chart;
	struct buf out;
	double x0, w0, w1, w2;

	(void)state;
	c.horizontal = 1;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, 3, series, 1), 0);
	assert_well_formed(out.buf);
	assert_non_null(strstr(out.buf, "svg-hbar"));
	x0 = attr_after(out.buf, "class=\"svg-bar\"", 0, "x");
	w0 = attr_after(out.buf, "class=\"svg-bar\"", 0, "width");
	w1 = attr_after(out.buf, "class=\"svg-bar\"", 1, "width");
	w2 = attr_after(out.buf, "class=\"svg-bar\"", 2, "width");
	assert_true(fabs(w1 / w0 - 0.75) < 0.01);
	assert_true(fabs(w2 / w0 - 0.25) < 0.01);
	/* every bar starts at the value axis */
	assert_true(fabs(attr_after(out.buf, "class=\"svg-bar\"", 2, "x") - x0) < 0.01);
	/* rows go down in label order */
	assert_true(attr_after(out.buf, "class=\"svg-bar\"", 0, "y") <
		    attr_after(out.buf, "class=\"svg-bar\"", 1, "y"));
	/* the value follows each bar */
	assert_non_null(strstr(out.buf, ">20</text>"));
	assert_non_null(strstr(out.buf, ">five</text>"));
	buf_release(&out);
}

static void empty_data_gives_a_valid_chart(void **state)
{
	const char *labels[] = {"Jan", "Feb"};
	const double zero[] = {0, 0};
	const struct svg_series series[] = {{"A", zero, 2, NULL}};
	struct svg_chart c = base_chart;
	struct buf out;

	(void)state;
	buf_init(&out, BUF_DEFAULT_MAX);
	/* no labels, no series at all */
	assert_int_equal(svg_bar_chart(&out, &c, NULL, 0, NULL, 0), 0);
	assert_well_formed(out.buf);
	assert_int_equal(count(out.buf, "class=\"svg-bar\""), 0);
	assert_non_null(strstr(out.buf, "<title id=\"t1-t\">Reports</title>"));
	/* labels but only zeros: an axis from 0 to 1, no bars, no NaN */
	buf_reset(&out);
	c.legend = 1;
	assert_int_equal(svg_bar_chart(&out, &c, labels, 2, series, 1), 0);
	assert_well_formed(out.buf);
	assert_int_equal(count(out.buf, "class=\"svg-bar\""), 0);
	assert_null(strstr(out.buf, "nan"));
	assert_null(strstr(out.buf, "inf"));
	assert_non_null(strstr(out.buf, ">Jan</text>"));
	/* a series shorter than the labels counts the rest as 0; negatives as 0 */
	{
		const double one[] = {-4};
		const struct svg_series short_series[] = {{"S", one, 1, NULL}};
		buf_reset(&out);
		assert_int_equal(svg_bar_chart(&out, &c, labels, 2, short_series, 1), 0);
		assert_well_formed(out.buf);
		assert_int_equal(count(out.buf, "class=\"svg-bar\""), 0);
	}
	buf_release(&out);
}

static void bad_sizes_are_refused(void **state)
{
	struct svg_chart c = base_chart;
	struct buf out;

	(void)state;
	buf_init(&out, BUF_DEFAULT_MAX);
	c.width = 10;
	assert_int_equal(svg_bar_chart(&out, &c, NULL, 0, NULL, 0), LIN_EINVAL);
	c.width = 600;
	c.height = 100000;
	assert_int_equal(svg_bar_chart(&out, &c, NULL, 0, NULL, 0), LIN_EINVAL);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void crowded_axes_thin_their_labels(void **state)
{
	enum { N = 120 };
	const char *labels[N];
	char names[N][16];
	double v[N];
	const struct svg_series series[] = {{"A", v, N, NULL}};
	struct svg_chart c = base_chart;
	struct buf out;
	int written;

	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "2026-%03d", i);
		labels[i] = names[i];
		v[i] = i % 7;
	}
	c.stacked = 1;
	buf_init(&out, BUF_DEFAULT_MAX);
	assert_int_equal(svg_bar_chart(&out, &c, labels, N, series, 1), 0);
	assert_well_formed(out.buf);
	written = count(out.buf, "class=\"svg-label\"");
	assert_true(written > 5 && written < N / 3);
	assert_non_null(strstr(out.buf, ">2026-000</text>")); /* the first always shows */
	assert_non_null(strstr(out.buf, "rotate(-40"));	      /* and they are turned */
	/* every bar is still drawn (and told in its tooltip) */
	assert_int_equal(count(out.buf, "class=\"svg-bar\""), N - (N + 6) / 7);
	buf_release(&out);
}

static void axis_steps_are_round(void **state)
{
	double top;

	(void)state;
	assert_true(svg_axis_step(17, 5, 1, &top) == 5 && top == 20);
	assert_true(svg_axis_step(20, 5, 1, &top) == 5 && top == 20);
	assert_true(svg_axis_step(3, 5, 1, &top) == 1 && top == 3);
	assert_true(svg_axis_step(100, 5, 1, &top) == 20 && top == 100);
	assert_true(svg_axis_step(101, 5, 1, &top) == 50 && top == 150);
	assert_true(fabs(svg_axis_step(0.37, 5, 0, &top) - 0.1) < 1e-12 && fabs(top - 0.4) < 1e-9);
	assert_true(svg_axis_step(0.37, 5, 1, &top) == 1 && top == 1); /* counts: whole steps */
	assert_true(svg_axis_step(0, 5, 1, &top) == 1 && top == 1);
	assert_true(svg_axis_step(-3, 5, 1, &top) == 1 && top == 1);
	assert_true(svg_axis_step(NAN, 5, 1, &top) == 1 && top == 1);
}

static void numbers_are_plain(void **state)
{
	static const struct {
		double v;
		const char *text;
	} cases[] = {{12, "12"},      {12.5, "12.5"}, {0.04, "0"}, {-3, "-3"},
		     {-0.25, "-0.3"}, {1.25, "1.3"},  {0, "0"},	   {1e20, "1000000000000000"}};
	struct buf out;

	(void)state;
	buf_init(&out, 256);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&out);
		svg_num(&out, cases[i].v);
		assert_string_equal(out.buf, cases[i].text);
	}
	buf_reset(&out);
	svg_num(&out, NAN);
	assert_string_equal(out.buf, "0");
	buf_release(&out);
}

static void palette_and_text_width(void **state)
{
	(void)state;
	for (int i = 0; i < SVG_PALETTE_SIZE; i++)
		for (int j = i + 1; j < SVG_PALETTE_SIZE; j++)
			assert_string_not_equal(svg_color(i), svg_color(j));
	assert_string_equal(svg_color(SVG_PALETTE_SIZE), svg_color(0));
	assert_string_equal(svg_color(-1), svg_color(1));
	/* a CJK character takes a full em, ASCII about 0.6 */
	assert_true(fabs(svg_text_width("噪声", 10) - 20) < 1e-9);
	assert_true(fabs(svg_text_width("ab", 10) - 12) < 1e-9);
	assert_true(svg_text_width(NULL, 10) == 0);
}

static void primitives(void **state)
{
	struct buf out;

	(void)state;
	buf_init(&out, BUF_DEFAULT_MAX);
	svg_begin(&out, "map-plan", "m", 1000, 1000, "Plan <1>", NULL);
	svg_text(&out, 10, 20.25, "middle", "name", "#fff", "a<b");
	svg_text(&out, 1, 2, "start", NULL, NULL, "x");
	svg_end(&out);
	assert_well_formed(out.buf);
	assert_non_null(strstr(out.buf, "aria-labelledby=\"m-t\""));
	assert_null(strstr(out.buf, "<desc"));
	assert_non_null(strstr(out.buf, "<title id=\"m-t\">Plan &lt;1&gt;</title>"));
	assert_non_null(strstr(out.buf, "<text x=\"10\" y=\"20.3\" text-anchor=\"middle\" "
					"class=\"name\" fill=\"#fff\">a&lt;b</text>"));
	assert_non_null(strstr(out.buf, "<text x=\"1\" y=\"2\">x</text>"));
	buf_release(&out);
}

/* ------------------------------------------------------------ QR codes */

static void qr_reads_back(void **state)
{
	static const char *const texts[] = {
	    "http://127.0.0.1:8080/",
	    "https://linli.example.org/track?code=K7Q2-M9XA",
	    "普善居民区 · 广场舞错峰时间表",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct buf b;
		char got[512];
		const char *why = NULL;
		buf_init(&b, 1 << 20);
		assert_int_equal(qr_svg(&b, texts[i], "扫码 <打开>"), 0);
		assert_true(well_formed(b.buf, &why));
		assert_non_null(strstr(b.buf, "role=\"img\""));
		assert_non_null(strstr(b.buf, "aria-label=\"扫码 &lt;打开&gt;\""));
		assert_int_equal(qr_read(b.buf, got, sizeof(got)), 0);
		assert_string_equal(got, texts[i]);
		buf_release(&b);
	}
}

static void qr_refuses_what_it_cannot_draw(void **state)
{
	struct buf b;
	char *huge = malloc(8000);
	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(qr_svg(&b, "", NULL), LIN_EINVAL);
	assert_int_equal(qr_svg(&b, NULL, NULL), LIN_EINVAL);
	/* Version 40 at level M holds 2,331 bytes: one more is refused. */
	memset(huge, 'a', 7999);
	huge[2332] = 0;
	assert_int_equal(qr_svg(&b, huge, NULL), LIN_EINVAL);
	huge[2331] = 0;
	assert_int_equal(qr_svg(&b, huge, NULL), 0);
	assert_non_null(strstr(b.buf, "viewBox=\"0 0 185 185\""));
	free(huge);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(well_formed_checker_works),
	    cmocka_unit_test(grouped_chart_is_accessible_xml),
	    cmocka_unit_test(text_is_escaped),
	    cmocka_unit_test(bar_heights_follow_values),
	    cmocka_unit_test(limit_lines_sit_at_their_value),
	    cmocka_unit_test(stacked_bars_sit_on_each_other),
	    cmocka_unit_test(horizontal_bars_grow_right),
	    cmocka_unit_test(empty_data_gives_a_valid_chart),
	    cmocka_unit_test(bad_sizes_are_refused),
	    cmocka_unit_test(crowded_axes_thin_their_labels),
	    cmocka_unit_test(axis_steps_are_round),
	    cmocka_unit_test(numbers_are_plain),
	    cmocka_unit_test(palette_and_text_width),
	    cmocka_unit_test(primitives),
	    cmocka_unit_test(qr_reads_back),
	    cmocka_unit_test(qr_refuses_what_it_cannot_draw),
	};
	return cmocka_run_group_tests_name("svg", tests, NULL, NULL);
}
