/* Decoding photos, to prove them whole and to draw the copy staff see
 * inline (photo_view in photos.h). libjpeg-turbo, libpng and libwebp hand
 * over the pixels a row at a time (a whole image only for interlaced PNG)
 * to a box filter that keeps just the small copy, which libjpeg-turbo
 * then writes. Each decoder is first told the size photo_dimensions read
 * and checked, so none allocates for more than PHOTO_MAX_PIXELS. */
#include "photos.h"
#include "../base/err.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/decode.h>

/* The most memory libjpeg may take for one photo: a progressive JPEG at
 * the pixel cap keeps every coefficient (2 bytes a sample, 3 samples a
 * pixel at most: 240 MB); a malformed one asking more is refused. */
#define JPEG_MEMORY_MAX ((long)320 << 20)
/* The view copy's JPEG quality. */
#define VIEW_QUALITY 85

/* ---------------------------------------------------------------- box filter */

/* Each input pixel adds to the output pixel it falls in; an output row is
 * written out once the input has passed its last row. */
struct shrink {
	uint32_t in_w, in_h;   /* the decoded size */
	uint32_t out_w, out_h; /* the copy's size, at most the decoded one */
	uint32_t row;	       /* input rows taken so far */
	uint32_t *sum;	       /* out_w * 3: the output row being summed */
	unsigned char *rgb;    /* in_w * 3: one input row, for the decoders */
	unsigned char *pixels; /* out_w * out_h * 3: the copy, RGB */
};

/* edge: the first of n input pixels that falls in output pixel k of m. */
static uint32_t edge(uint32_t k, uint32_t n, uint32_t m)
{
	return (uint32_t)(((uint64_t)k * n + m - 1) / m);
}

/* shrink_init: allocates s for in_w × in_h down to out_w × out_h. Free
 * with shrink_release. */
static int shrink_init(struct shrink *s, uint32_t in_w, uint32_t in_h, uint32_t out_w,
		       uint32_t out_h)
{
	memset(s, 0, sizeof(*s));
	if (out_w > in_w || out_h > in_h || !out_w || !out_h)
		return LIN_EINVAL;
	s->in_w = in_w;
	s->in_h = in_h;
	s->out_w = out_w;
	s->out_h = out_h;
	s->sum = calloc((size_t)out_w * 3, sizeof(*s->sum));
	s->rgb = malloc((size_t)in_w * 3);
	s->pixels = malloc((size_t)out_w * out_h * 3);
	return s->sum && s->rgb && s->pixels ? 0 : LIN_ENOMEM;
}

static void shrink_release(struct shrink *s)
{
	free(s->sum);
	free(s->rgb);
	free(s->pixels);
	memset(s, 0, sizeof(*s));
}

/* shrink_row: adds the next input row (in_w RGB pixels); extra rows are
 * ignored (the caller checks s->row). */
static void shrink_row(struct shrink *s, const unsigned char *row)
{
	uint32_t ox = 0, next = edge(1, s->in_w, s->out_w), oy, first, last;

	if (s->row >= s->in_h)
		return;
	for (uint32_t x = 0; x < s->in_w; x++) {
		if (x == next)
			next = edge(++ox + 1, s->in_w, s->out_w);
		s->sum[ox * 3] += row[x * 3];
		s->sum[ox * 3 + 1] += row[x * 3 + 1];
		s->sum[ox * 3 + 2] += row[x * 3 + 2];
	}
	oy = (uint32_t)((uint64_t)s->row * s->out_h / s->in_h);
	s->row++;
	last = edge(oy + 1, s->in_h, s->out_h);
	if (s->row != last)
		return;
	/* The output row is complete: average and start the next. */
	first = edge(oy, s->in_h, s->out_h);
	for (ox = 0; ox < s->out_w; ox++) {
		uint32_t n = (edge(ox + 1, s->in_w, s->out_w) - edge(ox, s->in_w, s->out_w)) *
			     (last - first);
		unsigned char *px = s->pixels + ((size_t)oy * s->out_w + ox) * 3;
		for (int c = 0; c < 3; c++) {
			px[c] = (unsigned char)((s->sum[ox * 3 + c] + n / 2) / n);
			s->sum[ox * 3 + c] = 0;
		}
	}
}

/* view_size: w × h scaled so the longest side is at most PHOTO_VIEW_SIDE. */
static void view_size(uint32_t w, uint32_t h, uint32_t *out_w, uint32_t *out_h)
{
	uint32_t longest = w > h ? w : h;

	*out_w = w;
	*out_h = h;
	if (longest <= PHOTO_VIEW_SIDE)
		return;
	*out_w = (uint32_t)(((uint64_t)w * PHOTO_VIEW_SIDE + longest / 2) / longest);
	*out_h = (uint32_t)(((uint64_t)h * PHOTO_VIEW_SIDE + longest / 2) / longest);
	if (!*out_w)
		*out_w = 1;
	if (!*out_h)
		*out_h = 1;
}

/* on_white: RGBA pixels laid on a white ground, into RGB. */
static void on_white(const unsigned char *rgba, unsigned char *rgb, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		unsigned a = rgba[i * 4 + 3];
		for (int c = 0; c < 3; c++)
			rgb[i * 3 + c] =
			    (unsigned char)((rgba[i * 4 + c] * a + 255 * (255 - a) + 127) / 255);
	}
}

/* ---------------------------------------------------------------- JPEG */

/* libjpeg's errors jump back; its warnings (corrupt data it would paper
 * over, a premature end) are counted and refuse the photo. */
struct jpeg_fail {
	struct jpeg_error_mgr pub; /* libjpeg's part, first */
	jmp_buf jump;		   /* where error_exit returns to */
};

static void jpeg_fail_exit(j_common_ptr cinfo)
{
	longjmp(((struct jpeg_fail *)(void *)cinfo->err)->jump, 1);
}

static void jpeg_count_warning(j_common_ptr cinfo, int level)
{
	if (level < 0)
		cinfo->err->num_warnings++;
}

/* jpeg_scale: the largest of 8, 4, 2, 1 that libjpeg may divide w × h by
 * (while decoding, almost for free) and still give at least out_w × out_h. */
static unsigned jpeg_scale(uint32_t w, uint32_t h, uint32_t out_w, uint32_t out_h)
{
	unsigned d = 8;

	while (d > 1 && ((w + d - 1) / d < out_w || (h + d - 1) / d < out_h))
		d /= 2;
	return d;
}

/* view_jpeg: decodes data, declared w × h, into s (initialised here). */
static int view_jpeg(const unsigned char *data, size_t len, uint32_t w, uint32_t h, uint32_t out_w,
		     uint32_t out_h, struct shrink *s)
{
	struct jpeg_decompress_struct cinfo;
	struct jpeg_fail fail;
	int rc, cmyk;

	cinfo.err = jpeg_std_error(&fail.pub);
	fail.pub.error_exit = jpeg_fail_exit;
	fail.pub.emit_message = jpeg_count_warning;
	if (setjmp(fail.jump)) {
		jpeg_destroy_decompress(&cinfo);
		return LIN_EINVAL;
	}
	jpeg_create_decompress(&cinfo);
	cinfo.mem->max_memory_to_use = JPEG_MEMORY_MAX;
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	if (jpeg_read_header(&cinfo, TRUE) != JPEG_HEADER_OK || cinfo.image_width != w ||
	    cinfo.image_height != h) {
		jpeg_destroy_decompress(&cinfo);
		return LIN_EINVAL;
	}
	/* Checked by photo_view already; again, where the decoder starts. */
	if ((uint64_t)cinfo.image_width * cinfo.image_height > PHOTO_MAX_PIXELS) {
		jpeg_destroy_decompress(&cinfo);
		return LIN_ERANGE;
	}
	cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
	cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	cinfo.scale_num = 1;
	cinfo.scale_denom = jpeg_scale(w, h, out_w, out_h);
	jpeg_start_decompress(&cinfo);
	rc = shrink_init(s, cinfo.output_width, cinfo.output_height, out_w, out_h);
	if (rc) {
		jpeg_destroy_decompress(&cinfo);
		return rc;
	}
	/* CMYK comes in libjpeg's own row (freed with cinfo), four bytes a pixel. */
	JSAMPARRAY ink = cmyk ? (*cinfo.mem->alloc_sarray)((j_common_ptr)&cinfo, JPOOL_IMAGE,
							   cinfo.output_width * 4, 1)
			      : NULL;
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW row = s->rgb;
		if (!cmyk) {
			jpeg_read_scanlines(&cinfo, &row, 1);
			shrink_row(s, row);
			continue;
		}
		jpeg_read_scanlines(&cinfo, ink, 1);
		/* Adobe writes CMYK inverted: each byte is 255 - ink. */
		for (uint32_t x = 0; x < cinfo.output_width; x++) {
			const unsigned char *p = ink[0] + (size_t)x * 4;
			for (int c = 0; c < 3; c++)
				row[x * 3 + c] = (unsigned char)((p[c] * p[3] + 127) / 255);
		}
		shrink_row(s, row);
	}
	jpeg_finish_decompress(&cinfo);
	rc = fail.pub.num_warnings ? LIN_EINVAL : 0;
	jpeg_destroy_decompress(&cinfo);
	return rc;
}

/* The copy written out: libjpeg's memory destination, freed by the caller. */
struct encoded {
	unsigned char *mem; /* the JPEG, malloc'd by libjpeg */
	unsigned long size; /* its bytes */
};

/* encode_jpeg: pixels (w × h RGB) as a baseline JPEG into e. */
static int encode_jpeg(const unsigned char *pixels, uint32_t w, uint32_t h, struct encoded *e)
{
	struct jpeg_compress_struct cinfo;
	struct jpeg_fail fail;

	cinfo.err = jpeg_std_error(&fail.pub);
	fail.pub.error_exit = jpeg_fail_exit;
	fail.pub.emit_message = jpeg_count_warning;
	if (setjmp(fail.jump)) {
		jpeg_destroy_compress(&cinfo);
		return LIN_ENOMEM;
	}
	jpeg_create_compress(&cinfo);
	jpeg_mem_dest(&cinfo, &e->mem, &e->size);
	cinfo.image_width = w;
	cinfo.image_height = h;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, VIEW_QUALITY, TRUE);
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < h) {
		JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * w * 3);
		jpeg_write_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	return 0;
}

/* ---------------------------------------------------------------- PNG */

/* Where libpng reads from: the photo in memory. */
struct png_source {
	const unsigned char *data; /* the photo */
	size_t len, pos;	   /* its bytes, and how many are read */
};

static void png_read_memory(png_structp png, png_bytep out, size_t n)
{
	struct png_source *src = png_get_io_ptr(png);

	if (n > src->len - src->pos)
		png_error(png, "truncated");
	memcpy(out, src->data + src->pos, n);
	src->pos += n;
}

static void png_fail(png_structp png, png_const_charp message)
{
	(void)message;
	png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp message)
{
	(void)png;
	(void)message;
}

/* A PNG being decoded: what must be freed after a longjmp. */
struct png_job {
	png_structp png;     /* libpng's reader */
	png_infop info;	     /* its header */
	unsigned char *rgba; /* one row, or the whole image when interlaced */
	png_bytep *rows;     /* row pointers into rgba when interlaced */
};

/* png_decode: decodes src (declared w × h) into s; see view_png. */
static int png_decode(struct png_job *j, struct png_source *src, uint32_t w, uint32_t h,
		      uint32_t out_w, uint32_t out_h, struct shrink *s)
{
	int passes, rc;

	if (setjmp(png_jmpbuf(j->png)))
		return LIN_EINVAL;
	/* libpng refuses, itself, anything but the size already checked. */
	png_set_user_limits(j->png, w, h);
	png_set_chunk_malloc_max(j->png, PHOTO_MAX_BYTES);
	png_set_chunk_cache_max(j->png, 128);
	png_set_benign_errors(j->png, 0);
	png_set_read_fn(j->png, src, png_read_memory);
	png_read_info(j->png, j->info);
	if (png_get_image_width(j->png, j->info) != w || png_get_image_height(j->png, j->info) != h)
		return LIN_EINVAL;
	/* Every kind of PNG as 8-bit RGBA. */
	png_set_expand(j->png);
	png_set_strip_16(j->png);
	png_set_gray_to_rgb(j->png);
	png_set_add_alpha(j->png, 0xFF, PNG_FILLER_AFTER);
	passes = png_set_interlace_handling(j->png);
	png_read_update_info(j->png, j->info);
	if (png_get_channels(j->png, j->info) != 4 || png_get_bit_depth(j->png, j->info) != 8 ||
	    png_get_rowbytes(j->png, j->info) != (size_t)w * 4)
		return LIN_EINVAL;
	rc = shrink_init(s, w, h, out_w, out_h);
	if (rc)
		return rc;
	if (passes == 1) {
		j->rgba = malloc((size_t)w * 4);
		if (!j->rgba)
			return LIN_ENOMEM;
		for (uint32_t y = 0; y < h; y++) {
			png_read_row(j->png, j->rgba, NULL);
			on_white(j->rgba, s->rgb, w);
			shrink_row(s, s->rgb);
		}
	} else {
		/* Interlaced: the passes fill the whole image in turn. */
		j->rgba = malloc((size_t)w * h * 4);
		j->rows = malloc((size_t)h * sizeof(*j->rows));
		if (!j->rgba || !j->rows)
			return LIN_ENOMEM;
		for (uint32_t y = 0; y < h; y++)
			j->rows[y] = j->rgba + (size_t)y * w * 4;
		png_read_image(j->png, j->rows);
		for (uint32_t y = 0; y < h; y++) {
			on_white(j->rows[y], s->rgb, w);
			shrink_row(s, s->rgb);
		}
	}
	png_read_end(j->png, NULL);
	return 0;
}

static int view_png(const unsigned char *data, size_t len, uint32_t w, uint32_t h, uint32_t out_w,
		    uint32_t out_h, struct shrink *s)
{
	struct png_source src = {data, len, 0};
	struct png_job j = {0};
	int rc;

	j.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_quiet);
	if (j.png)
		j.info = png_create_info_struct(j.png);
	rc = j.png && j.info ? png_decode(&j, &src, w, h, out_w, out_h, s) : LIN_ENOMEM;
	png_destroy_read_struct(&j.png, &j.info, NULL);
	free(j.rgba);
	free(j.rows);
	return rc;
}

/* ---------------------------------------------------------------- WebP */

static int view_webp(const unsigned char *data, size_t len, uint32_t w, uint32_t h, uint32_t out_w,
		     uint32_t out_h, struct shrink *s)
{
	WebPDecoderConfig config;
	int rc;

	if (!WebPInitDecoderConfig(&config) ||
	    WebPGetFeatures(data, len, &config.input) != VP8_STATUS_OK ||
	    config.input.has_animation || (uint32_t)config.input.width != w ||
	    (uint32_t)config.input.height != h)
		return LIN_EINVAL;
	config.output.colorspace = MODE_RGBA;
	/* libwebp scales while decoding (averaging, as the box filter does). */
	if (out_w != w || out_h != h) {
		config.options.use_scaling = 1;
		config.options.scaled_width = (int)out_w;
		config.options.scaled_height = (int)out_h;
	}
	if (WebPDecode(data, len, &config) != VP8_STATUS_OK) {
		WebPFreeDecBuffer(&config.output);
		return LIN_EINVAL;
	}
	rc = shrink_init(s, out_w, out_h, out_w, out_h);
	for (uint32_t y = 0; !rc && y < out_h; y++) {
		on_white(config.output.u.RGBA.rgba +
			     (size_t)y * (size_t)config.output.u.RGBA.stride,
			 s->rgb, out_w);
		shrink_row(s, s->rgb);
	}
	WebPFreeDecBuffer(&config.output);
	return rc;
}

/* ---------------------------------------------------------------- the copy */

/* orient: pixels (w × h RGB) turned upright by Exif orientation 1..8
 * into a new buffer (malloc'd, the caller frees). OUT: *ow, *oh. */
static unsigned char *orient(const unsigned char *pixels, uint32_t w, uint32_t h, int orientation,
			     uint32_t *ow, uint32_t *oh)
{
	int swap = orientation >= 5;
	unsigned char *out;

	*ow = swap ? h : w;
	*oh = swap ? w : h;
	out = malloc((size_t)w * h * 3);
	if (!out)
		return NULL;
	for (uint32_t y = 0; y < *oh; y++)
		for (uint32_t x = 0; x < *ow; x++) {
			uint32_t sx, sy;
			switch (orientation) {
			case 2: /* mirrored left to right */
				sx = w - 1 - x, sy = y;
				break;
			case 3: /* turned half round */
				sx = w - 1 - x, sy = h - 1 - y;
				break;
			case 4: /* mirrored top to bottom */
				sx = x, sy = h - 1 - y;
				break;
			case 5: /* transposed */
				sx = y, sy = x;
				break;
			case 6: /* to be turned a quarter clockwise */
				sx = y, sy = h - 1 - x;
				break;
			case 7: /* transversed */
				sx = w - 1 - y, sy = h - 1 - x;
				break;
			case 8: /* to be turned a quarter anticlockwise */
				sx = w - 1 - y, sy = x;
				break;
			default:
				sx = x, sy = y;
			}
			memcpy(out + ((size_t)y * *ow + x) * 3, pixels + ((size_t)sy * w + sx) * 3,
			       3);
		}
	return out;
}

int photo_view(const unsigned char *data, size_t len, const char *mime, struct buf *out, int *width,
	       int *height)
{
	struct shrink s = {0};
	struct encoded e = {NULL, 0};
	unsigned char *upright = NULL;
	uint32_t w, h, out_w, out_h, ow, oh;
	int rc;

	*width = *height = 0;
	rc = photo_dimensions(data, len, mime, &w, &h);
	if (rc)
		return rc;
	if ((uint64_t)w * h > PHOTO_MAX_PIXELS)
		return LIN_ERANGE;
	view_size(w, h, &out_w, &out_h);
	if (!strcmp(mime, "image/jpeg"))
		rc = view_jpeg(data, len, w, h, out_w, out_h, &s);
	else if (!strcmp(mime, "image/png"))
		rc = view_png(data, len, w, h, out_w, out_h, &s);
	else
		rc = view_webp(data, len, w, h, out_w, out_h, &s);
	if (!rc && s.row != s.in_h)
		rc = LIN_EINVAL; /* fewer rows than declared */
	if (!rc) {
		upright =
		    orient(s.pixels, out_w, out_h, photo_orientation(data, len, mime), &ow, &oh);
		rc = upright ? encode_jpeg(upright, ow, oh, &e) : LIN_ENOMEM;
	}
	if (!rc)
		rc = buf_add(out, e.mem, e.size);
	if (!rc) {
		*width = (int)ow;
		*height = (int)oh;
	}
	free(e.mem);
	free(upright);
	shrink_release(&s);
	return rc;
}
