/* The site plan: GeoJSON footprints read and checked whole, projected from
 * WGS-84 to local metres around the plan's centre (an equirectangular
 * projection, exact to a few centimetres across a neighbourhood) and drawn
 * at true scale as SVG. The geometry is kept in integer micro-degrees so
 * that "is this point inside that footprint" is exact, edges included. */
#include "registry.h"
#include "../base/buf.h"
#include "../base/err.h"
#include "../base/rand.h"
#include "../web/i18n.h"
#include "../web/svg.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_M	      6371008.8 /* mean Earth radius, metres */
#define PLAN_FAR_M    50000.0	/* a point further from the plan's centre is a mistake */
#define PLAN_MARGIN   0.04	/* of the span, around what is fitted */
#define PLAN_MIN_H    520	/* viewBox height bounds: a plan neither a strip... */
#define PLAN_MAX_H    1400	/* ... nor a tower */
#define PLAN_NAME_U   40.0	/* compound names, viewBox units */
#define PLAN_SMALL_U  36.0	/* building and road names: 12.6 px on a 390 px phone */
#define PLAN_MAX_ERRS 50	/* problems listed before the rest are only counted */

static const char *const kind_names[PLAN_KIND_COUNT] = {"compound", "building", "road", "path",
							"place"};

/* polygonal: a footprint (compound, building, place), not a line. */
static int polygonal(enum plan_kind k)
{
	return k == PLAN_COMPOUND || k == PLAN_BUILDING || k == PLAN_PLACE;
}

/* ------------------------------------------------------------ memory */

static void feature_release(struct plan_feature *f)
{
	free(f->name);
	free(f->compound_name);
	free(f->pt);
	memset(f, 0, sizeof(*f));
}

void registry_plan_release(struct registry_plan *p)
{
	for (int i = 0; i < p->n; i++)
		feature_release(&p->f[i]);
	free(p->f);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------ parsing */

/* One parse: where the problems go and how many there were. */
struct parse {
	const char *lang;   /* for the messages */
	struct buf *errors; /* one line per problem */
	int nerrors;	    /* problems found */
};

/* problem writes "要素 N：" and the message key's text (a format taking
 * one optional string). */
static void problem(struct parse *ps, int index, const char *key, const char *arg)
{
	char msg[256];

	if (ps->nerrors++ >= PLAN_MAX_ERRS)
		return;
	snprintf(msg, sizeof(msg), i18n_t(ps->lang, key), arg ? arg : "");
	buf_addf(ps->errors, i18n_t(ps->lang, "plan.err.feature_fmt"), index + 1, msg);
	buf_addc(ps->errors, '\n');
}

/* position reads one [lon, lat] into micro-degrees. */
static int position(json_t *pos, int64_t out[2])
{
	json_t *lon = json_array_get(pos, 0), *lat = json_array_get(pos, 1);
	double a, b;

	if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 3 ||
	    !json_is_number(lon) || !json_is_number(lat))
		return LIN_EINVAL;
	a = json_number_value(lon);
	b = json_number_value(lat);
	if (!isfinite(a) || !isfinite(b) || a < -180 || a > 180 || b < -90 || b > 90)
		return LIN_EINVAL;
	out[0] = (int64_t)llround(a * 1e6);
	out[1] = (int64_t)llround(b * 1e6);
	return 0;
}

/* geometry reads f's points from a Polygon (its one ring, closed, kept
 * open) or a LineString. The message key of the first problem, or NULL. */
static const char *geometry(json_t *geom, struct plan_feature *f)
{
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *coords = json_object_get(geom, "coordinates"), *ring = coords;
	int polygon = polygonal(f->kind);
	size_t n, i;

	if (!json_is_object(geom) || !type)
		return "plan.err.geometry";
	if (strcmp(type, polygon ? "Polygon" : "LineString"))
		return polygon ? "plan.err.not_polygon" : "plan.err.not_line";
	if (!json_is_array(coords))
		return "plan.err.coordinates";
	if (polygon) {
		if (json_array_size(coords) != 1)
			return json_array_size(coords) ? "plan.err.holes" : "plan.err.coordinates";
		ring = json_array_get(coords, 0);
		if (!json_is_array(ring))
			return "plan.err.coordinates";
	}
	n = json_array_size(ring);
	if (n < (polygon ? 4u : 2u))
		return polygon ? "plan.err.ring_short" : "plan.err.line_short";
	if (n > PLAN_MAX_POINTS + (polygon ? 1u : 0u))
		return "plan.err.too_many_points";
	f->pt = calloc(n, sizeof(*f->pt));
	if (!f->pt)
		return "err.internal";
	for (i = 0; i < n; i++)
		if (position(json_array_get(ring, i), f->pt[i]))
			return "plan.err.position";
	f->npoints = (int)n;
	if (polygon) {
		if (f->pt[0][0] != f->pt[n - 1][0] || f->pt[0][1] != f->pt[n - 1][1])
			return "plan.err.ring_open";
		f->npoints--; /* kept open */
	}
	return NULL;
}

/* text_property: a property's string, trimmed of nothing; NULL if absent. */
static const char *text_property(json_t *props, const char *key)
{
	const char *s = json_string_value(json_object_get(props, key));
	return s && *s ? s : NULL;
}

/* one_feature reads feature index i into f, reporting its problems. */
static void one_feature(struct parse *ps, int i, json_t *feat, struct plan_feature *f)
{
	json_t *props = json_object_get(feat, "properties");
	const char *kind = text_property(props, "kind"), *name = text_property(props, "name");
	const char *compound = text_property(props, "compound"), *why;
	int k;

	if (!json_is_object(feat) ||
	    strcmp(json_string_value(json_object_get(feat, "type")) ?: "", "Feature")) {
		problem(ps, i, "plan.err.not_feature", NULL);
		return;
	}
	for (k = 0; k < PLAN_KIND_COUNT; k++)
		if (kind && !strcmp(kind, kind_names[k]))
			break;
	if (k == PLAN_KIND_COUNT) {
		problem(ps, i, "plan.err.kind", kind);
		return;
	}
	f->kind = (enum plan_kind)k;
	if (!name && f->kind != PLAN_ROAD && f->kind != PLAN_PATH) {
		problem(ps, i, "plan.err.name", NULL);
		return;
	}
	if (f->kind == PLAN_BUILDING && !compound) {
		problem(ps, i, "plan.err.compound", NULL);
		return;
	}
	f->name = strdup(name ? name : "");
	f->compound_name = compound && f->kind == PLAN_BUILDING ? strdup(compound) : NULL;
	why = geometry(json_object_get(feat, "geometry"), f);
	if (why)
		problem(ps, i, why, NULL);
}

static int cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* far_points reports the features with a point more than PLAN_FAR_M / 2
 * from the median point of the whole file: longitude and latitude
 * swapped, a typo in a degree. The median, not the middle, so that one
 * stray point does not make its neighbours look far too. */
static void far_points(struct parse *ps, const struct registry_plan *p)
{
	int64_t *v[2], mid[2];
	size_t n = 0, at = 0;

	for (int i = 0; i < p->n; i++)
		n += (size_t)p->f[i].npoints;
	if (!n)
		return;
	v[0] = malloc(n * sizeof(int64_t));
	v[1] = malloc(n * sizeof(int64_t));
	if (!v[0] || !v[1]) {
		free(v[0]);
		free(v[1]);
		return;
	}
	for (int i = 0; i < p->n; i++)
		for (int k = 0; k < p->f[i].npoints; k++, at++)
			v[0][at] = p->f[i].pt[k][0], v[1][at] = p->f[i].pt[k][1];
	for (int c = 0; c < 2; c++) {
		qsort(v[c], n, sizeof(int64_t), cmp_int64);
		mid[c] = v[c][n / 2];
	}
	free(v[0]);
	free(v[1]);
	for (int i = 0; i < p->n; i++)
		for (int k = 0; k < p->f[i].npoints; k++) {
			double dy =
			    (double)(p->f[i].pt[k][1] - mid[1]) / 1e6 * M_PI / 180 * EARTH_M;
			double dx = (double)(p->f[i].pt[k][0] - mid[0]) / 1e6 * M_PI / 180 *
				    EARTH_M * cos((double)mid[1] / 1e6 * M_PI / 180);
			if (hypot(dx, dy) > PLAN_FAR_M / 2) {
				problem(ps, i, "plan.err.far", NULL);
				break;
			}
		}
}

int registry_plan_parse(const char *text, size_t len, const char *lang, struct buf *errors,
			struct registry_plan *p)
{
	struct parse ps = {lang, errors, 0};
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr), *feats;
	size_t n;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	feats = json_object_get(root, "features");
	if (!root || !json_is_array(feats) ||
	    strcmp(json_string_value(json_object_get(root, "type")) ?: "", "FeatureCollection")) {
		buf_adds(errors, i18n_t(lang, root ? "plan.err.not_collection" : "plan.err.json"));
		buf_addc(errors, '\n');
		json_decref(root);
		return LIN_EINVAL;
	}
	n = json_array_size(feats);
	if (n > PLAN_MAX_FEATURES) {
		buf_adds(errors, i18n_t(lang, "plan.err.too_many_features"));
		buf_addc(errors, '\n');
		json_decref(root);
		return LIN_EINVAL;
	}
	p->f = calloc(n + 1, sizeof(*p->f));
	if (!p->f) {
		json_decref(root);
		return LIN_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		one_feature(&ps, (int)i, json_array_get(feats, i), &p->f[i]);
		p->n++;
	}
	json_decref(root);
	if (!ps.nerrors)
		far_points(&ps, p);
	if (ps.nerrors > PLAN_MAX_ERRS) {
		buf_addf(errors, i18n_t(lang, "plan.err.more_fmt"), ps.nerrors - PLAN_MAX_ERRS);
		buf_addc(errors, '\n');
	}
	if (ps.nerrors)
		rc = LIN_EINVAL;
	if (!rc && errors->failed)
		rc = LIN_ENOMEM;
	if (rc)
		registry_plan_release(p);
	else
		registry_plan_fit(p, 0);
	return rc;
}

/* ------------------------------------------------------------ projection */

/* metres: lon, lat (micro-degrees) as metres east and south of the centre. */
static void metres(const struct registry_plan *p, int64_t lon, int64_t lat, double *x, double *y)
{
	*x = ((double)lon / 1e6 - p->lon0) * M_PI / 180 * EARTH_M * cos(p->lat0 * M_PI / 180);
	*y = (p->lat0 - (double)lat / 1e6) * M_PI / 180 * EARTH_M;
}

void registry_plan_xy(const struct registry_plan *p, int64_t lon, int64_t lat, double *x, double *y)
{
	double mx, my;

	metres(p, lon, lat, &mx, &my);
	*x = (mx - p->x0) * p->scale;
	*y = (my - p->y0) * p->scale;
}

void registry_plan_lonlat(const struct registry_plan *p, double x, double y, int64_t *lon,
			  int64_t *lat)
{
	double mx = x / p->scale + p->x0, my = y / p->scale + p->y0;

	*lon = (int64_t)llround(
	    (p->lon0 + mx / (EARTH_M * cos(p->lat0 * M_PI / 180)) * 180 / M_PI) * 1e6);
	*lat = (int64_t)llround((p->lat0 - my / EARTH_M * 180 / M_PI) * 1e6);
}

void registry_plan_fit(struct registry_plan *p, int64_t compound_id)
{
	double lo[2] = {1e18, 1e18}, hi[2] = {-1e18, -1e18}, span[2], margin;
	int any = 0;

	/* the centre of projection is the middle of the whole plan, so that
	 * zooming into one compound keeps the same shapes */
	for (int pass = 0; pass < 2; pass++) {
		lo[0] = lo[1] = 1e18;
		hi[0] = hi[1] = -1e18;
		any = 0;
		for (int i = 0; i < p->n; i++) {
			const struct plan_feature *f = &p->f[i];
			if (pass && compound_id && f->compound_id != compound_id)
				continue;
			for (int k = 0; k < f->npoints; k++) {
				double v[2];
				if (pass)
					metres(p, f->pt[k][0], f->pt[k][1], &v[0], &v[1]);
				else
					v[0] = (double)f->pt[k][0] / 1e6,
					v[1] = (double)f->pt[k][1] / 1e6;
				for (int c = 0; c < 2; c++) {
					lo[c] = fmin(lo[c], v[c]);
					hi[c] = fmax(hi[c], v[c]);
				}
				any = 1;
			}
		}
		if (!pass) {
			p->lon0 = any ? (lo[0] + hi[0]) / 2 : 0;
			p->lat0 = any ? (lo[1] + hi[1]) / 2 : 0;
		}
	}
	if (!any) /* nothing to fit: a 100 m square around the centre */
		lo[0] = lo[1] = -50, hi[0] = hi[1] = 50;
	span[0] = fmax(hi[0] - lo[0], 20);
	span[1] = fmax(hi[1] - lo[1], 20);
	margin = PLAN_MARGIN * fmax(span[0], span[1]);
	span[0] += 2 * margin;
	span[1] += 2 * margin;
	p->width = PLAN_WIDTH;
	p->scale = PLAN_WIDTH / span[0];
	p->height = (int)ceil(span[1] * p->scale);
	if (p->height > PLAN_MAX_H) {
		p->height = PLAN_MAX_H;
		p->scale = PLAN_MAX_H / span[1];
	}
	if (p->height < PLAN_MIN_H)
		p->height = PLAN_MIN_H;
	/* what was fitted sits in the middle of the viewBox */
	p->x0 = (lo[0] + hi[0]) / 2 - p->width / 2.0 / p->scale;
	p->y0 = (lo[1] + hi[1]) / 2 - p->height / 2.0 / p->scale;
}

/* ------------------------------------------------------------ geometry */

int registry_plan_contains(const struct plan_feature *f, int64_t lon, int64_t lat)
{
	int inside = 0;

	if (!polygonal(f->kind))
		return 0;
	for (int i = 0, j = f->npoints - 1; i < f->npoints; j = i++) {
		int64_t xi = f->pt[i][0], yi = f->pt[i][1], xj = f->pt[j][0], yj = f->pt[j][1];
		/* on the edge from j to i: collinear and within its box */
		int64_t cross = (xj - xi) * (lat - yi) - (yj - yi) * (lon - xi);
		if (cross == 0 && lon >= (xi < xj ? xi : xj) && lon <= (xi > xj ? xi : xj) &&
		    lat >= (yi < yj ? yi : yj) && lat <= (yi > yj ? yi : yj))
			return 1;
		/* a ray to the east crosses the edge (half-open in lat) */
		if ((yi > lat) != (yj > lat)) {
			/* lon < xi + (lat - yi) (xj - xi) / (yj - yi), without dividing */
			int64_t lhs = (lon - xi) * (yj - yi), rhs = (lat - yi) * (xj - xi);
			if (yj - yi > 0 ? lhs < rhs : lhs > rhs)
				inside = !inside;
		}
	}
	return inside;
}

const struct plan_feature *registry_plan_find(const struct registry_plan *p, int64_t compound_id,
					      int64_t building_id)
{
	const struct plan_feature *compound = NULL;

	for (int i = 0; i < p->n; i++) {
		const struct plan_feature *f = &p->f[i];
		if (building_id && f->kind == PLAN_BUILDING && f->building_id == building_id)
			return f;
		if (compound_id && f->kind == PLAN_COMPOUND && f->compound_id == compound_id &&
		    !compound)
			compound = f;
	}
	return compound;
}

void registry_plan_spot(const struct plan_feature *f, uint64_t seed, int64_t *lon, int64_t *lat)
{
	int64_t lo[2] = {INT64_MAX, INT64_MAX}, hi[2] = {INT64_MIN, INT64_MIN};
	double sum[2] = {0, 0};

	for (int k = 0; k < f->npoints; k++)
		for (int c = 0; c < 2; c++) {
			lo[c] = f->pt[k][c] < lo[c] ? f->pt[k][c] : lo[c];
			hi[c] = f->pt[k][c] > hi[c] ? f->pt[k][c] : hi[c];
			sum[c] += (double)f->pt[k][c];
		}
	if (f->npoints < 1) {
		*lon = *lat = 0;
		return;
	}
	/* points of the box without its edges and its top quarter (where
	 * a compound's name is written), drawn from the seed until one falls
	 * inside; a concave sliver may refuse them all */
	for (int tries = 0; tries < 64; tries++) {
		uint64_t h = lin_mix64(seed * 64 + (uint64_t)tries);
		uint64_t w = (uint64_t)(hi[0] - lo[0]), t = (uint64_t)(hi[1] - lo[1]);
		int64_t x = lo[0] + (int64_t)(w / 10 + (h & 0xffffffffu) % (w * 8 / 10 + 1));
		int64_t y = lo[1] + (int64_t)(t / 10 + (h >> 32) % (t * 65 / 100 + 1));
		if (registry_plan_contains(f, x, y)) {
			*lon = x;
			*lat = y;
			return;
		}
	}
	*lon = (int64_t)llround(sum[0] / f->npoints);
	*lat = (int64_t)llround(sum[1] / f->npoints);
}

/* ------------------------------------------------------------ drawing */

/* points writes f's points as "x,y x,y" on the viewBox. */
static void points(struct buf *out, const struct registry_plan *p, const struct plan_feature *f)
{
	for (int k = 0; k < f->npoints; k++) {
		double x, y;
		registry_plan_xy(p, f->pt[k][0], f->pt[k][1], &x, &y);
		if (k)
			buf_addc(out, ' ');
		svg_num(out, x);
		buf_addc(out, ',');
		svg_num(out, y);
	}
}

/* polygons writes every place or building of p, each with its id in a
 * data- attribute (for tests and scripts). */
static void polygons(struct buf *out, const struct registry_plan *p, enum plan_kind kind,
		     const struct plan_paint *paint)
{
	for (int i = 0; i < p->n; i++) {
		const struct plan_feature *f = &p->f[i];
		const char *fill = NULL;
		if (f->kind != kind)
			continue;
		if (kind == PLAN_BUILDING && paint && paint->building_fill)
			fill = paint->building_fill(paint->ctx, f->building_id);
		buf_addf(out, "<polygon class=\"plan-%s\" data-%s=\"%lld\"%s%s%s points=\"",
			 kind_names[kind], kind_names[kind],
			 (long long)(kind == PLAN_PLACE ? f->place_id : f->building_id),
			 fill ? " fill=\"" : "", fill ? fill : "", fill ? "\"" : "");
		points(out, p, f);
		buf_adds(out, "\"/>");
	}
}

void registry_plan_draw(struct buf *out, const struct registry_plan *p,
			const struct plan_paint *paint)
{
	/* roads under everything, wide and pale like on a printed plan */
	buf_adds(out, "<g class=\"plan-roads\" fill=\"none\" stroke-linecap=\"round\" "
		      "stroke-linejoin=\"round\">");
	for (int i = 0; i < p->n; i++) {
		const struct plan_feature *f = &p->f[i];
		double w = (f->kind == PLAN_ROAD ? 12.0 : 4.0) * p->scale;
		if (f->kind != PLAN_ROAD && f->kind != PLAN_PATH)
			continue;
		buf_addf(out, "<polyline class=\"plan-%s\" stroke=\"%s\" stroke-width=\"",
			 kind_names[f->kind], f->kind == PLAN_ROAD ? "#ffffff" : "#e2dccd");
		svg_num(out, w < 3 ? 3 : w);
		buf_adds(out, "\" points=\"");
		points(out, p, f);
		buf_adds(out, "\"/>");
	}
	buf_adds(out, "</g><g class=\"plan-compounds\">");
	for (int i = 0; i < p->n; i++) {
		const struct plan_feature *f = &p->f[i];
		const char *fill = NULL;
		if (f->kind != PLAN_COMPOUND)
			continue;
		if (paint && paint->fill)
			fill = paint->fill(paint->ctx, f->compound_id);
		buf_addf(out,
			 "<polygon class=\"plan-compound\" data-compound=\"%lld\" fill=\"%s\" "
			 "stroke=\"#6b6f78\" stroke-width=\"3\" points=\"",
			 (long long)f->compound_id, fill ? fill : "#ebe7f3");
		points(out, p, f);
		buf_adds(out, "\"/>");
	}
	buf_adds(out, "</g><g class=\"plan-places\" fill=\"#cfe3c6\" stroke=\"#4f7a45\" "
		      "stroke-width=\"2.5\">");
	polygons(out, p, PLAN_PLACE, NULL);
	buf_adds(out, "</g><g class=\"plan-buildings\" fill=\"#d9d4c7\" fill-opacity=\"0.85\" "
		      "stroke=\"#7d7668\" stroke-width=\"1.5\">");
	polygons(out, p, PLAN_BUILDING, paint);
	buf_adds(out, "</g>");
}

/* box: f's bounding box on the viewBox and its vertices' mean. */
static void box(const struct registry_plan *p, const struct plan_feature *f, double lo[2],
		double hi[2], double mid[2])
{
	lo[0] = lo[1] = 1e18;
	hi[0] = hi[1] = -1e18;
	mid[0] = mid[1] = 0;
	for (int k = 0; k < f->npoints; k++) {
		double v[2];
		registry_plan_xy(p, f->pt[k][0], f->pt[k][1], &v[0], &v[1]);
		for (int c = 0; c < 2; c++) {
			lo[c] = fmin(lo[c], v[c]);
			hi[c] = fmax(hi[c], v[c]);
			mid[c] += v[c] / f->npoints;
		}
	}
}

/* label writes one haloed name at x, y. */
static void label(struct buf *out, double x, double y, double px, int bold, const char *text)
{
	buf_adds(out, "<g font-size=\"");
	svg_num(out, px);
	buf_addf(out, "\"%s>", bold ? " font-weight=\"700\"" : "");
	svg_text(out, x, y, "middle", NULL, "#1d2430", text);
	buf_adds(out, "</g>");
}

void registry_plan_labels(struct buf *out, const struct registry_plan *p, double size)
{
	double name_u = PLAN_NAME_U * size, small_u = PLAN_SMALL_U * size;

	buf_adds(out, "<g class=\"plan-labels\" pointer-events=\"none\" stroke=\"#ffffff\" "
		      "stroke-width=\"7\" stroke-linejoin=\"round\" paint-order=\"stroke\">");
	for (int i = 0; i < p->n; i++) {
		const struct plan_feature *f = &p->f[i];
		double lo[2], hi[2], mid[2], w;
		if (!f->name || !*f->name || f->npoints < 2)
			continue;
		box(p, f, lo, hi, mid);
		if (f->kind == PLAN_COMPOUND) {
			/* along the top of the compound, inside it, so markers
			 * in its middle stay clear */
			label(out, mid[0], lo[1] + name_u * 1.25, name_u, 1, f->name);
			continue;
		}
		w = svg_text_width(f->name, small_u);
		if (mid[0] < 0 || mid[1] < 0 || mid[0] > p->width || mid[1] > p->height)
			continue; /* out of view, close up */
		if (f->kind == PLAN_PLACE || (f->kind == PLAN_BUILDING &&
					      w <= (hi[0] - lo[0]) * 1.25 && hi[1] - lo[1] >= 20))
			label(out, mid[0], mid[1] + small_u * 0.35, small_u, 0, f->name);
		else if ((f->kind == PLAN_ROAD || f->kind == PLAN_PATH) &&
			 w < fmax(hi[0] - lo[0], hi[1] - lo[1])) {
			/* along the road's middle, turned with it (never upside down) */
			int k = f->npoints / 2;
			double a[2], b[2], deg, ex, ey;
			registry_plan_xy(p, f->pt[k - 1][0], f->pt[k - 1][1], &a[0], &a[1]);
			registry_plan_xy(p, f->pt[k][0], f->pt[k][1], &b[0], &b[1]);
			deg = atan2(b[1] - a[1], b[0] - a[0]);
			ex = fabs(cos(deg)) * w / 2 + small_u / 2;
			ey = fabs(sin(deg)) * w / 2 + small_u / 2;
			if ((a[0] + b[0]) / 2 < ex || (a[0] + b[0]) / 2 > p->width - ex ||
			    (a[1] + b[1]) / 2 < ey || (a[1] + b[1]) / 2 > p->height - ey)
				continue; /* its label would be cut by the edge */
			deg = deg * 180 / M_PI;
			if (deg > 90)
				deg -= 180;
			if (deg < -90)
				deg += 180;
			buf_adds(out, "<g font-size=\"");
			svg_num(out, small_u);
			buf_adds(out, "\" fill-opacity=\"0.8\" transform=\"rotate(");
			svg_num(out, deg);
			buf_addc(out, ' ');
			svg_num(out, (a[0] + b[0]) / 2);
			buf_addc(out, ' ');
			svg_num(out, (a[1] + b[1]) / 2);
			buf_adds(out, ")\">");
			svg_text(out, (a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + small_u * 0.35,
				 "middle", "plan-road-name", "#5d5747", f->name);
			buf_adds(out, "</g>");
		}
	}
	buf_adds(out, "</g>");
}

int registry_plan_locator(struct buf *out, const struct registry_plan *p, int64_t place_id,
			  const char *cls, const char *title)
{
	const struct plan_feature *place = NULL;

	for (int i = 0; i < p->n && !place; i++)
		if (p->f[i].kind == PLAN_PLACE && p->f[i].place_id == place_id)
			place = &p->f[i];
	if (!place_id || !place)
		return LIN_ENOTFOUND;
	svg_begin(out, cls, NULL, p->width, p->height, title, NULL);
	buf_addf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#f4f1ea\"/>", p->width, p->height);
	registry_plan_draw(out, p, NULL);
	/* the place itself, ringed so it is found at a glance */
	buf_adds(out, "<polygon class=\"plan-here\" fill=\"none\" stroke=\"#b3261e\" "
		      "stroke-width=\"8\" stroke-linejoin=\"round\" points=\"");
	points(out, p, place);
	buf_adds(out, "\"/>");
	registry_plan_labels(out, p, 1.6); /* a small figure: larger names */
	svg_end(out);
	return out->failed ? LIN_ENOMEM : 0;
}

/* ------------------------------------------------------------ GCJ-02 */

/* The offsets of GCJ-02 (the "Mars" datum Chinese map services must use)
 * from WGS-84: the published polynomial-and-sine approximation on the
 * Krasovsky 1940 ellipsoid, x and y in degrees from (105 E, 35 N). */
static double gcj_lat(double x, double y)
{
	double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt(fabs(x));

	r += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
	r += (20.0 * sin(y * M_PI) + 40.0 * sin(y / 3.0 * M_PI)) * 2.0 / 3.0;
	r += (160.0 * sin(y / 12.0 * M_PI) + 320.0 * sin(y * M_PI / 30.0)) * 2.0 / 3.0;
	return r;
}

static double gcj_lon(double x, double y)
{
	double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt(fabs(x));

	r += (20.0 * sin(6.0 * x * M_PI) + 20.0 * sin(2.0 * x * M_PI)) * 2.0 / 3.0;
	r += (20.0 * sin(x * M_PI) + 40.0 * sin(x / 3.0 * M_PI)) * 2.0 / 3.0;
	r += (150.0 * sin(x / 12.0 * M_PI) + 300.0 * sin(x / 30.0 * M_PI)) * 2.0 / 3.0;
	return r;
}

void registry_wgs84_to_gcj02(double lat, double lon, double *glat, double *glon)
{
	const double a = 6378245.0, ee = 0.00669342162296594323; /* Krasovsky 1940 */
	double rad = lat / 180.0 * M_PI, magic = 1 - ee * sin(rad) * sin(rad);
	double dlat = gcj_lat(lon - 105.0, lat - 35.0), dlon = gcj_lon(lon - 105.0, lat - 35.0);

	/* outside mainland China the services use WGS-84 as it is */
	if (lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271) {
		*glat = lat;
		*glon = lon;
		return;
	}
	dlat = dlat * 180.0 / ((a * (1 - ee)) / (magic * sqrt(magic)) * M_PI);
	dlon = dlon * 180.0 / (a / sqrt(magic) * cos(rad) * M_PI);
	*glat = lat + dlat;
	*glon = lon + dlon;
}

/* ------------------------------------------------------------ GeoJSON out */

json_t *registry_plan_geojson(const struct registry_plan *p)
{
	json_t *feats = json_array();

	for (int i = 0; i < p->n && feats; i++) {
		const struct plan_feature *f = &p->f[i];
		int polygon = polygonal(f->kind);
		json_t *ring = json_array(), *props;
		for (int k = 0; k <= f->npoints; k++) {
			int at = k == f->npoints ? 0 : k;
			if (k == f->npoints && !polygon)
				break;
			json_array_append_new(ring, json_pack("[ff]", (double)f->pt[at][0] / 1e6,
							      (double)f->pt[at][1] / 1e6));
		}
		props = json_pack("{s:s, s:s}", "kind", kind_names[f->kind], "name",
				  f->name ? f->name : "");
		if (f->kind == PLAN_BUILDING && f->compound_name)
			json_object_set_new(props, "compound", json_string(f->compound_name));
		json_array_append_new(
		    feats, json_pack("{s:s, s:o, s:{s:s, s:o}}", "type", "Feature", "properties",
				     props, "geometry", "type", polygon ? "Polygon" : "LineString",
				     "coordinates", polygon ? json_pack("[o]", ring) : ring));
	}
	return json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", feats);
}
