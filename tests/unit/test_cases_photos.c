/* Unit tests for src/cases/photos.c. Each test builds tiny but structurally
 * valid JPEG, PNG and WebP files carrying a place and a time in their
 * metadata, and checks that what is kept has none of it, still reads as the
 * same image, and is stored under its content hash. */
#include "base/buf.h"
#include "base/err.h"
#include "cases/photos.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>
#include <webp/encode.h>

/* ---------------------------------------------------------------- helpers */

/* contains: whether needle occurs anywhere in hay. */
static int contains(const void *hay, size_t n, const void *needle, size_t m)
{
	return memmem(hay, n, needle, m) != NULL;
}

/* add_be16/add_be32/add_le32: append an integer to b. */
static void add_be16(struct buf *b, uint32_t v)
{
	unsigned char p[2] = {(unsigned char)(v >> 8), (unsigned char)v};
	buf_add(b, p, 2);
}

static void add_be32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	buf_add(b, p, 4);
}

static void add_le32(struct buf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 24)};
	buf_add(b, p, 4);
}

/* ---------------------------------------------------------------- JPEG */

/* A GPS IFD: GPSLatitudeRef "N", GPSLatitude at offset 0x44 (three
 * rationals 31/1 13/1 4567/100 follow it). Looked for in the output. */
static const unsigned char gps_ifd[] = {
    0x02, 0x00,							   /* two entries */
    0x01, 0x00, 0x02, 0x00, 0x02, 0x00, 0x00, 0x00, 'N',  0, 0, 0, /* LatitudeRef ASCII "N" */
    0x02, 0x00, 0x05, 0x00, 0x03, 0x00, 0x00, 0x00, 0x44, 0, 0, 0, /* Latitude RATIONAL x3 */
    0x00, 0x00, 0x00, 0x00,					   /* no next IFD */
    31,	  0,	0,    0,    1,	  0,	0,    0,    13,	  0, 0, 0,
    1,	  0,	0,    0,    0xd7, 0x11, 0,    0,    100,  0, 0, 0,
};
static const char xmp_text[] =
    "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>31,13.45N"
    "</exif:GPSLatitude><xmp:CreateDate>2024-05-01T08:30</xmp:CreateDate>";
static const char iptc_text[] = "Photoshop 3.0\0008BIM\004\004\0\0\0\0\0\x0c\x1c\x02\x37"
				"\0\x08"
				"20240501";
static const char comment_text[] = "taken at 31.2304N 121.4737E on 2024-05-01";
static const char trailer_text[] = "MotionPhoto_Data ftypmp42 GPS 31.2304N";

/* jpeg_segment: appends marker m with payload p[0..n) to b. */
static void jpeg_segment(struct buf *b, unsigned char m, const void *p, size_t n)
{
	unsigned char head[2] = {0xFF, m};
	buf_add(b, head, 2);
	add_be16(b, (uint32_t)n + 2);
	buf_add(b, p, n);
}

/* exif_payload: "Exif\0\0", a little-endian TIFF header, IFD0 with an
 * Orientation and a GPS IFD pointer, then the GPS IFD. */
static void exif_payload(struct buf *b, int orientation)
{
	const unsigned char head[] = {
	    'E',  'x',	'i', 'f', 0, 0, 'I', 'I', 42,
	    0,	  8,	0,   0,	  0, /* IFD0 at 8 */
	    2,	  0,		     /* two entries */
	    0x12, 0x01, 3,   0,	  1, 0, 0,   0,	  (unsigned char)orientation,
	    0,	  0,	0, /* Orientation */
	    0x25, 0x88, 4,   0,	  1, 0, 0,   0,	  0x26,
	    0,	  0,	0,	/* GPSInfo at 0x26 */
	    0,	  0,	0,   0, /* no next IFD */
	};
	buf_add(b, head, sizeof(head));
	buf_add(b, gps_ifd, sizeof(gps_ifd));
}

/* The kept pieces of the test JPEG, in file order. */
struct jpeg_parts {
	struct buf app0;  /* APP0 JFIF */
	struct buf icc;	  /* APP2 ICC_PROFILE */
	struct buf adobe; /* APP14 Adobe */
	struct buf tail;  /* DQT, SOF0, DHT, SOS, scan data, EOI */
};

/* make_jpeg: SOI, APP0, APP1 Exif (orientation), APP1 XMP, APP13, COM,
 * APP2 ICC, APP2 MPF, APP14, DQT, SOF0, DHT, SOS, scan bytes with a
 * stuffed FF and a restart marker, EOI, then a trailer. The kept segments
 * go to parts (when given) so the expected output can be assembled. */
static void make_jpeg(struct buf *b, int orientation, struct jpeg_parts *parts)
{
	static const unsigned char jfif[] = {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
	static const unsigned char icc[] = "ICC_PROFILE\0\x01\x01profile-bytes";
	static const unsigned char mpf[] = "MPF\0II*\0secondary-image";
	static const unsigned char adobe[] = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1};
	static const unsigned char sof0[] = {8, 0, 16, 0, 16, 1, 1, 0x11, 0};
	static const unsigned char sos[] = {1, 1, 0x00, 0, 63, 0};
	static const unsigned char scan[] = {0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78};
	unsigned char dqt[65], dht[17 + 1];
	struct buf exif;
	struct jpeg_parts *p = parts;

	if (!p) {
		p = calloc(1, sizeof(*p));
		assert_non_null(p);
	}
	buf_init(&p->app0, 0);
	buf_init(&p->icc, 0);
	buf_init(&p->adobe, 0);
	buf_init(&p->tail, 0);
	buf_init(&exif, 0);
	dqt[0] = 0;
	for (int i = 1; i < 65; i++)
		dqt[i] = (unsigned char)i;
	memset(dht, 0, sizeof(dht));
	dht[1] = 1;	/* one code of length 1 */
	dht[17] = 0x00; /* its symbol */

	jpeg_segment(&p->app0, 0xE0, jfif, sizeof(jfif));
	jpeg_segment(&p->icc, 0xE2, icc, sizeof(icc) - 1);
	jpeg_segment(&p->adobe, 0xEE, adobe, sizeof(adobe));
	jpeg_segment(&p->tail, 0xDB, dqt, sizeof(dqt));
	jpeg_segment(&p->tail, 0xC0, sof0, sizeof(sof0));
	jpeg_segment(&p->tail, 0xC4, dht, sizeof(dht));
	jpeg_segment(&p->tail, 0xDA, sos, sizeof(sos));
	buf_add(&p->tail, scan, sizeof(scan));
	buf_add(&p->tail, "\xFF\xD9", 2);

	exif_payload(&exif, orientation);
	buf_add(b, "\xFF\xD8", 2);
	buf_add(b, p->app0.buf, p->app0.len);
	jpeg_segment(b, 0xE1, exif.buf, exif.len);
	jpeg_segment(b, 0xE1, xmp_text, sizeof(xmp_text) - 1);
	jpeg_segment(b, 0xED, iptc_text, sizeof(iptc_text) - 1);
	jpeg_segment(b, 0xFE, comment_text, sizeof(comment_text) - 1);
	buf_add(b, p->icc.buf, p->icc.len);
	jpeg_segment(b, 0xE2, mpf, sizeof(mpf) - 1);
	buf_add(b, p->adobe.buf, p->adobe.len);
	buf_add(b, p->tail.buf, p->tail.len);
	buf_add(b, trailer_text, sizeof(trailer_text) - 1);
	assert_false(b->failed);

	buf_release(&exif);
	if (!parts) {
		buf_release(&p->app0);
		buf_release(&p->icc);
		buf_release(&p->adobe);
		buf_release(&p->tail);
		free(p);
	}
}

static void release_jpeg_parts(struct jpeg_parts *p)
{
	buf_release(&p->app0);
	buf_release(&p->icc);
	buf_release(&p->adobe);
	buf_release(&p->tail);
}

/* assert_no_jpeg_metadata: none of the place and time bytes survived. */
static void assert_no_jpeg_metadata(const struct buf *out)
{
	assert_false(contains(out->buf, out->len, gps_ifd, sizeof(gps_ifd)));
	assert_false(contains(out->buf, out->len, "\x25\x88\x04\x00", 4)); /* GPSInfo tag */
	assert_false(contains(out->buf, out->len, "GPSLatitude", 11));
	assert_false(contains(out->buf, out->len, "2024", 4));
	assert_false(contains(out->buf, out->len, "8BIM", 4));
	assert_false(contains(out->buf, out->len, "31.2304N", 8));
	assert_false(contains(out->buf, out->len, "MPF", 3));
	assert_false(contains(out->buf, out->len, "MotionPhoto", 11));
}

static void jpeg_sniffed_and_stripped(void **state)
{
	struct jpeg_parts parts;
	struct buf in, out, want;
	const char *mime = NULL;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&want, 0);
	make_jpeg(&in, 1, &parts);
	assert_int_equal(photo_sniff((unsigned char *)in.buf, in.len, &mime), 0);
	assert_string_equal(mime, "image/jpeg");
	/* The input does carry the metadata the test looks for. */
	assert_true(contains(in.buf, in.len, gps_ifd, sizeof(gps_ifd)));
	assert_true(contains(in.buf, in.len, "MotionPhoto", 11));

	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, mime, &out), 0);
	assert_no_jpeg_metadata(&out);
	/* Orientation 1 is the default: no Exif segment is written at all. */
	assert_false(contains(out.buf, out.len, "Exif", 4));
	assert_false(contains(out.buf, out.len, "\xFF\xE1", 2));
	/* Exactly the kept segments, in order, scan data and EOI included. */
	buf_add(&want, "\xFF\xD8", 2);
	buf_add(&want, parts.app0.buf, parts.app0.len);
	buf_add(&want, parts.icc.buf, parts.icc.len);
	buf_add(&want, parts.adobe.buf, parts.adobe.len);
	buf_add(&want, parts.tail.buf, parts.tail.len);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	/* The result is still a JPEG, and stripping it again changes nothing. */
	mime = NULL;
	assert_int_equal(photo_sniff((unsigned char *)out.buf, out.len, &mime), 0);
	assert_string_equal(mime, "image/jpeg");
	buf_reset(&want);
	assert_int_equal(photo_strip((unsigned char *)out.buf, out.len, mime, &want), 0);
	assert_int_equal(want.len, out.len);
	assert_memory_equal(want.buf, out.buf, out.len);

	release_jpeg_parts(&parts);
	buf_release(&in);
	buf_release(&out);
	buf_release(&want);
}

/* Every APPn but APP0, an ICC profile in APP2 and APP14 can carry a place
 * or a time (vendors put maker notes and GPS in APP3..APP15 too): each one
 * inserted alone is dropped, the rest of the file kept byte for byte. */
static void jpeg_every_app_segment(void **state)
{
	static const char payload[] = "vendor GPS 31.2304N 2024:05:01";
	struct jpeg_parts parts;
	struct buf in, base, out, want;

	(void)state;
	buf_init(&base, 0);
	make_jpeg(&base, 1, &parts);
	buf_init(&want, 0);
	buf_add(&want, "\xFF\xD8", 2);
	buf_add(&want, parts.app0.buf, parts.app0.len);
	buf_add(&want, parts.icc.buf, parts.icc.len);
	buf_add(&want, parts.adobe.buf, parts.adobe.len);
	buf_add(&want, parts.tail.buf, parts.tail.len);
	for (unsigned m = 0xE1; m <= 0xEF; m++) {
		const char *mime = NULL;
		buf_init(&in, 0);
		buf_init(&out, 0);
		/* SOI, the extra segment, then the rest of the test JPEG. */
		buf_add(&in, base.buf, 2);
		jpeg_segment(&in, (unsigned char)m, payload, sizeof(payload) - 1);
		buf_add(&in, base.buf + 2, base.len - 2);
		assert_int_equal(photo_sniff((unsigned char *)in.buf, in.len, &mime), 0);
		assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, mime, &out), 0);
		if (m == 0xEE) { /* APP14 (Adobe colour transform) stays */
			assert_true(contains(out.buf, out.len, payload, sizeof(payload) - 1));
		} else {
			if (contains(out.buf, out.len, payload, sizeof(payload) - 1))
				fail_msg("APP%u kept", m - 0xE0);
			assert_int_equal(out.len, want.len);
			assert_memory_equal(out.buf, want.buf, want.len);
		}
		buf_release(&in);
		buf_release(&out);
	}
	release_jpeg_parts(&parts);
	buf_release(&base);
	buf_release(&want);
}

static void jpeg_orientation_survives(void **state)
{
	/* Orientation 6 (rotate 90° clockwise), as a phone held upright writes. */
	static const unsigned char mini_exif[] = {
	    0xFF, 0xE1, 0,   34,			  /* APP1, 34 bytes */
	    'E',  'x',	'i', 'f', 0, 0,			  /* Exif header */
	    'M',  'M',	0,   42,  0, 0, 0, 8,		  /* TIFF, IFD0 at 8 */
	    0,	  1,					  /* one entry */
	    0x01, 0x12, 0,   3,	  0, 0, 0, 1, 0, 6, 0, 0, /* Orientation SHORT 6 */
	    0,	  0,	0,   0,				  /* no next IFD */
	};
	struct jpeg_parts parts;
	struct buf in, out;
	const char *mime = NULL;
	size_t after_app0;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	make_jpeg(&in, 6, &parts);
	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, "image/jpeg", &out), 0);
	assert_no_jpeg_metadata(&out);
	/* The new Exif segment holds the orientation alone, where Exif was. */
	after_app0 = 2 + parts.app0.len;
	assert_true(out.len > after_app0 + sizeof(mini_exif));
	assert_memory_equal(out.buf + after_app0, mini_exif, sizeof(mini_exif));
	assert_int_equal(out.len, 2 + parts.app0.len + sizeof(mini_exif) + parts.icc.len +
				      parts.adobe.len + parts.tail.len);
	assert_int_equal(photo_sniff((unsigned char *)out.buf, out.len, &mime), 0);
	assert_string_equal(mime, "image/jpeg");
	release_jpeg_parts(&parts);
	buf_release(&in);
	buf_release(&out);
}

static void jpeg_hostile_exif_dropped(void **state)
{
	/* IFD0 offsets and entry counts that point outside the segment
	 * (the rows are zero-padded to 32 bytes). */
	static const unsigned char hostile[][32] = {
	    {'E',  'x',	 'i',  'f',  0, 0, 'I',	 'I', 42, 0,
	     0xF0, 0xFF, 0xFF, 0xFF, 1, 0, 0x12, 1,   3,  0},
	    {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 0xFF, 0xFF, 0x12, 1, 3, 0},
	    {'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 2, 0, 1, 0x01, 0x12, 0, 3},
	    {'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 18, 0, 0, 0, 1, 0, 0x12, 1, 3, 0},
	    /* A readable orientation, but not one of the eight. */
	    {'E',  'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0,
	     0x12, 1,	3,   0,	  1, 0, 0,   0,	  9,  0, 0, 0, 0, 0, 0, 0},
	};
	struct jpeg_parts parts;
	struct buf in, out, scratch;
	unsigned char *exact;

	(void)state;
	buf_init(&scratch, 0);
	make_jpeg(&scratch, 1, &parts);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		buf_init(&in, 0);
		buf_init(&out, 0);
		buf_add(&in, "\xFF\xD8", 2);
		jpeg_segment(&in, 0xE1, hostile[i], sizeof(hostile[i]));
		buf_add(&in, parts.tail.buf, parts.tail.len);
		exact = malloc(in.len); /* so that a read past the end is caught */
		assert_non_null(exact);
		memcpy(exact, in.buf, in.len);
		assert_int_equal(photo_strip(exact, in.len, "image/jpeg", &out), 0);
		/* Unreadable Exif is dropped like any other, with no orientation. */
		assert_int_equal(out.len, 2 + parts.tail.len);
		assert_false(contains(out.buf, out.len, "Exif", 4));
		free(exact);
		buf_release(&in);
		buf_release(&out);
	}
	release_jpeg_parts(&parts);
	buf_release(&scratch);
}

/* assert_refused: neither sniff nor strip accepts data; a failed strip
 * leaves what out held before. The data is copied to a block of exactly
 * len bytes so that AddressSanitizer sees any read past its end. */
static void assert_refused(const void *data, size_t len, const char *mime)
{
	unsigned char *exact = malloc(len ? len : 1);
	const char *sniffed = "unchanged";
	struct buf out;

	assert_non_null(exact);
	memcpy(exact, data, len);
	assert_int_equal(photo_sniff(exact, len, &sniffed), LIN_EINVAL);
	assert_null(sniffed);
	buf_init(&out, 0);
	buf_adds(&out, "before");
	assert_int_equal(photo_strip(exact, len, mime, &out), LIN_EINVAL);
	assert_string_equal(out.buf, "before");
	buf_release(&out);
	free(exact);
}

static void jpeg_malformed_refused(void **state)
{
	struct buf in, bad;
	size_t dqt_at, eoi_at;
	unsigned char *p;

	(void)state;
	buf_init(&in, 0);
	buf_init(&bad, 0);
	make_jpeg(&in, 1, NULL);
	p = (unsigned char *)in.buf;
	dqt_at = (size_t)((unsigned char *)memmem(p, in.len, "\xFF\xDB\x00\x43", 4) - p);
	eoi_at = (size_t)((unsigned char *)memmem(p, in.len, "\x78\xFF\xD9", 3) - p) + 1;

	/* A segment length past the end of the file. */
	buf_add(&bad, p, dqt_at + 2);
	add_be16(&bad, 0xFFF0);
	buf_add(&bad, p + dqt_at + 4, 40);
	assert_refused(bad.buf, bad.len, "image/jpeg");
	/* A segment length below 2. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	bad.buf[dqt_at + 2] = 0;
	bad.buf[dqt_at + 3] = 1;
	assert_refused(bad.buf, bad.len, "image/jpeg");
	/* Truncated in the scan: no EOI. */
	assert_refused(in.buf, eoi_at, "image/jpeg");
	/* Truncated inside a header segment, the Exif one too (whose
	 * contents are read for the orientation). */
	assert_refused(in.buf, dqt_at + 30, "image/jpeg");
	p = memmem(in.buf, in.len, "Exif", 4);
	assert_non_null(p);
	assert_refused(in.buf, (size_t)(p - (unsigned char *)in.buf) + 20, "image/jpeg");
	/* No SOI. */
	buf_reset(&bad);
	buf_add(&bad, in.buf + 2, in.len - 2);
	assert_refused(bad.buf, bad.len, "image/jpeg");
	/* A scan without a frame: SOF0 turned into APP15 (dropped, so no SOF). */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	p = (unsigned char *)memmem(bad.buf, bad.len, "\xFF\xC0\x00\x0B", 4);
	assert_non_null(p);
	p[1] = 0xEF;
	assert_refused(bad.buf, bad.len, "image/jpeg");
	/* Bytes between segments that are not a marker. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, dqt_at);
	buf_add(&bad, "junk", 4);
	buf_add(&bad, in.buf + dqt_at, in.len - dqt_at);
	assert_refused(bad.buf, bad.len, "image/jpeg");
	/* A well-formed JPEG declared as something else is refused too. */
	buf_reset(&bad);
	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, "image/png", &bad),
			 LIN_EINVAL);
	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, "image/gif", &bad),
			 LIN_EINVAL);
	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, NULL, &bad), LIN_EINVAL);
	assert_int_equal(bad.len, 0);
	buf_release(&in);
	buf_release(&bad);
}

/* ---------------------------------------------------------------- PNG */

/* crc32_bitwise: the PNG CRC, one bit at a time (independent of the
 * implementation under test). */
static uint32_t crc32_bitwise(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
	}
	return ~crc;
}

/* png_chunk: appends a chunk with a correct CRC to b. */
static void png_chunk(struct buf *b, const char *type, const void *data, size_t n)
{
	size_t at;

	add_be32(b, (uint32_t)n);
	at = b->len;
	buf_add(b, type, 4);
	buf_add(b, data, n);
	add_be32(b, crc32_bitwise((unsigned char *)b->buf + at, 4 + n));
}

static const char png_exif[] = "MM\0*\0\0\0\x08GPS 31.2304N 121.4737E";
static const char png_text_chunk[] = "Comment\0Lat 31.2304 N, 2024-05-01";
static const char png_itxt[] =
    "XML:com.adobe.xmp\0\0\0\0\0<exif:GPSLatitude>31N</exif:GPSLatitude>";
static const unsigned char png_time_chunk[] = {0x07, 0xE8, 5, 1, 8, 30, 0}; /* 2024-05-01 08:30 */

/* make_png: signature, IHDR, gAMA, eXIf, tEXt, tIME, iTXt, IDAT, IEND;
 * kept gets what should survive. */
static void make_png(struct buf *b, struct buf *kept)
{
	static const unsigned char sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	static const unsigned char ihdr[] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0};
	static const unsigned char gama[] = {0, 0, 0xB1, 0x8F};
	static const unsigned char idat[] = {0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0,
					     0x00, 0x00, 0x03, 0x01, 0x01, 0x00};

	buf_add(b, sig, sizeof(sig));
	png_chunk(b, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(b, "gAMA", gama, sizeof(gama));
	png_chunk(b, "eXIf", png_exif, sizeof(png_exif) - 1);
	png_chunk(b, "tEXt", png_text_chunk, sizeof(png_text_chunk) - 1);
	png_chunk(b, "tIME", png_time_chunk, sizeof(png_time_chunk));
	png_chunk(b, "iTXt", png_itxt, sizeof(png_itxt) - 1);
	png_chunk(b, "IDAT", idat, sizeof(idat));
	png_chunk(b, "IEND", "", 0);
	if (kept) {
		buf_add(kept, sig, sizeof(sig));
		png_chunk(kept, "IHDR", ihdr, sizeof(ihdr));
		png_chunk(kept, "gAMA", gama, sizeof(gama));
		png_chunk(kept, "IDAT", idat, sizeof(idat));
		png_chunk(kept, "IEND", "", 0);
	}
	assert_false(b->failed);
}

static void png_sniffed_and_stripped(void **state)
{
	struct buf in, out, want;
	const char *mime = NULL;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&want, 0);
	make_png(&in, &want);
	assert_int_equal(photo_sniff((unsigned char *)in.buf, in.len, &mime), 0);
	assert_string_equal(mime, "image/png");
	assert_true(contains(in.buf, in.len, "31.2304", 7));

	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, mime, &out), 0);
	assert_false(contains(out.buf, out.len, "31.2304", 7));
	assert_false(contains(out.buf, out.len, "GPS", 3));
	assert_false(contains(out.buf, out.len, "2024", 4));
	assert_false(contains(out.buf, out.len, png_time_chunk, sizeof(png_time_chunk)));
	for (size_t i = 0; i < 4; i++) {
		static const char *const dropped[] = {"eXIf", "tEXt", "tIME", "iTXt"};
		assert_false(contains(out.buf, out.len, dropped[i], 4));
	}
	/* Signature, IHDR, gAMA, IDAT, IEND: unchanged and in order. */
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	mime = NULL;
	assert_int_equal(photo_sniff((unsigned char *)out.buf, out.len, &mime), 0);
	assert_string_equal(mime, "image/png");
	buf_release(&in);
	buf_release(&out);
	buf_release(&want);
}

static void png_malformed_refused(void **state)
{
	struct buf in, bad;
	unsigned char *p;
	size_t idat_at, text_at;

	(void)state;
	buf_init(&in, 0);
	buf_init(&bad, 0);
	make_png(&in, NULL);
	p = (unsigned char *)in.buf;
	idat_at = (size_t)((unsigned char *)memmem(p, in.len, "IDAT", 4) - p);
	text_at = (size_t)((unsigned char *)memmem(p, in.len, "tEXt", 4) - p);

	/* One changed byte of image data: the CRC no longer matches. */
	buf_add(&bad, in.buf, in.len);
	bad.buf[idat_at + 6] ^= 0x01;
	assert_refused(bad.buf, bad.len, "image/png");
	/* A bad CRC on a chunk that would be dropped is still refused. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	bad.buf[text_at + 4] ^= 0x20;
	assert_refused(bad.buf, bad.len, "image/png");
	/* A chunk length past the end. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	bad.buf[idat_at - 2] = 0x7F;
	assert_refused(bad.buf, bad.len, "image/png");
	/* Truncated: no IEND. */
	assert_refused(in.buf, in.len - 12, "image/png");
	assert_refused(in.buf, in.len - 1, "image/png");
	/* Data after IEND. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	buf_adds(&bad, "<script>");
	assert_refused(bad.buf, bad.len, "image/png");
	/* IHDR not first. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, 8);
	png_chunk(&bad, "gAMA", "\0\0\xB1\x8F", 4);
	buf_add(&bad, in.buf + 8, in.len - 8);
	assert_refused(bad.buf, bad.len, "image/png");
	/* A broken signature (a text-mode transfer turned CRLF into LF). */
	buf_reset(&bad);
	buf_add(&bad, in.buf, 4);
	buf_add(&bad, in.buf + 5, in.len - 5);
	assert_refused(bad.buf, bad.len, "image/png");
	buf_release(&in);
	buf_release(&bad);
}

/* ---------------------------------------------------------------- WebP */

static const char webp_exif[] = "MM\0*\0\0\0\x08GPS 31.2304N 2024:05:01 08:30";
static const char webp_xmp[] = "<x:xmpmeta><exif:GPSLatitude>31,13.45N</exif:GPSLatitude>";
/* A VP8L bitstream header (signature 0x2F, 1x1) and a few bytes; seven in
 * all, so the chunk takes a pad byte. */
static const unsigned char vp8l[] = {0x2F, 0x00, 0x00, 0x00, 0x10, 0x07, 0x10};

/* webp_chunk: appends a chunk (and its pad byte) to b. */
static void webp_chunk(struct buf *b, const char *fourcc, const void *data, size_t n)
{
	buf_add(b, fourcc, 4);
	add_le32(b, (uint32_t)n);
	buf_add(b, data, n);
	if (n & 1)
		buf_addc(b, 0);
}

/* fix_riff_size: sets the RIFF size of b to its length less 8. */
static void fix_riff_size(struct buf *b)
{
	uint32_t size = (uint32_t)b->len - 8;

	for (int i = 0; i < 4; i++)
		b->buf[4 + i] = (char)(size >> (8 * i));
}

/* make_webp: RIFF/WEBP with VP8X (alpha, EXIF and XMP flags), VP8L, EXIF,
 * XMP; kept gets the expected stripped file. */
static void make_webp(struct buf *b, struct buf *kept)
{
	unsigned char vp8x[10] = {0x10 | 0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	struct buf chunks;

	buf_init(&chunks, 0);
	webp_chunk(&chunks, "VP8X", vp8x, sizeof(vp8x));
	webp_chunk(&chunks, "VP8L", vp8l, sizeof(vp8l));
	webp_chunk(&chunks, "EXIF", webp_exif, sizeof(webp_exif) - 1);
	webp_chunk(&chunks, "XMP ", webp_xmp, sizeof(webp_xmp) - 1);
	buf_adds(b, "RIFF");
	add_le32(b, (uint32_t)(4 + chunks.len));
	buf_adds(b, "WEBP");
	buf_add(b, chunks.buf, chunks.len);
	if (kept) {
		buf_reset(&chunks);
		vp8x[0] = 0x10; /* alpha stays, EXIF and XMP go */
		webp_chunk(&chunks, "VP8X", vp8x, sizeof(vp8x));
		webp_chunk(&chunks, "VP8L", vp8l, sizeof(vp8l));
		buf_adds(kept, "RIFF");
		add_le32(kept, (uint32_t)(4 + chunks.len));
		buf_adds(kept, "WEBP");
		buf_add(kept, chunks.buf, chunks.len);
	}
	buf_release(&chunks);
	assert_false(b->failed);
}

static void webp_sniffed_and_stripped(void **state)
{
	struct buf in, out, want, simple;
	const char *mime = NULL;

	(void)state;
	buf_init(&in, 0);
	buf_init(&out, 0);
	buf_init(&want, 0);
	buf_init(&simple, 0);
	make_webp(&in, &want);
	assert_int_equal(photo_sniff((unsigned char *)in.buf, in.len, &mime), 0);
	assert_string_equal(mime, "image/webp");
	assert_true(contains(in.buf, in.len, "31.2304N", 8));

	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, mime, &out), 0);
	assert_false(contains(out.buf, out.len, "31.2304N", 8));
	assert_false(contains(out.buf, out.len, "GPSLatitude", 11));
	assert_false(contains(out.buf, out.len, "EXIF", 4));
	assert_false(contains(out.buf, out.len, "XMP ", 4));
	/* Flags cleared, RIFF size fixed, VP8L and its pad byte kept. */
	assert_int_equal((unsigned char)out.buf[20], 0x10);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.buf, want.buf, want.len);
	mime = NULL;
	assert_int_equal(photo_sniff((unsigned char *)out.buf, out.len, &mime), 0);
	assert_string_equal(mime, "image/webp");

	/* A simple (VP8L-only) file has nothing to remove: it comes back as is. */
	buf_adds(&simple, "RIFF");
	add_le32(&simple, 4 + 8 + sizeof(vp8l) + 1);
	buf_adds(&simple, "WEBP");
	webp_chunk(&simple, "VP8L", vp8l, sizeof(vp8l));
	buf_reset(&out);
	assert_int_equal(photo_sniff((unsigned char *)simple.buf, simple.len, &mime), 0);
	assert_string_equal(mime, "image/webp");
	assert_int_equal(photo_strip((unsigned char *)simple.buf, simple.len, mime, &out), 0);
	assert_int_equal(out.len, simple.len);
	assert_memory_equal(out.buf, simple.buf, simple.len);
	buf_release(&in);
	buf_release(&out);
	buf_release(&want);
	buf_release(&simple);
}

static void webp_malformed_refused(void **state)
{
	const char *mime = NULL;
	struct buf in, bad;

	(void)state;
	buf_init(&in, 0);
	buf_init(&bad, 0);
	make_webp(&in, NULL);

	/* RIFF size larger, then smaller, than the file. */
	buf_add(&bad, in.buf, in.len);
	bad.buf[4] += 2;
	assert_refused(bad.buf, bad.len, "image/webp");
	bad.buf[4] -= 4;
	assert_refused(bad.buf, bad.len, "image/webp");
	/* Truncated (the RIFF size no longer matches either). */
	assert_refused(in.buf, in.len - 1, "image/webp");
	/* An odd-sized last chunk without its pad byte. */
	buf_reset(&bad);
	buf_adds(&bad, "RIFF");
	add_le32(&bad, 4 + 8 + sizeof(vp8l));
	buf_adds(&bad, "WEBP");
	buf_adds(&bad, "VP8L");
	add_le32(&bad, sizeof(vp8l));
	buf_add(&bad, vp8l, sizeof(vp8l));
	assert_refused(bad.buf, bad.len, "image/webp");
	/* A chunk size past the end. */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	bad.buf[16 + 3] = 0x7F; /* VP8X size */
	assert_refused(bad.buf, bad.len, "image/webp");
	/* No image data: VP8X and metadata only (with a right RIFF size). */
	buf_reset(&bad);
	buf_adds(&bad, "RIFFsizeWEBP");
	webp_chunk(&bad, "VP8X", "\x04\0\0\0\0\0\0\0\0\0", 10);
	webp_chunk(&bad, "XMP ", webp_xmp, sizeof(webp_xmp) - 1);
	fix_riff_size(&bad);
	assert_refused(bad.buf, bad.len, "image/webp");
	/* The same with a VP8L chunk is fine: only the image data was missing. */
	buf_reset(&bad);
	buf_adds(&bad, "RIFFsizeWEBP");
	webp_chunk(&bad, "VP8X", "\x04\0\0\0\0\0\0\0\0\0", 10);
	webp_chunk(&bad, "VP8L", vp8l, sizeof(vp8l));
	webp_chunk(&bad, "XMP ", webp_xmp, sizeof(webp_xmp) - 1);
	fix_riff_size(&bad);
	assert_int_equal(photo_sniff((unsigned char *)bad.buf, bad.len, &mime), 0);
	/* A RIFF file that is not WebP (a WAV header). */
	buf_reset(&bad);
	buf_add(&bad, in.buf, in.len);
	memcpy(bad.buf + 8, "WAVE", 4);
	assert_refused(bad.buf, bad.len, "image/webp");
	buf_release(&in);
	buf_release(&bad);
}

/* ---------------------------------------------------------------- not photos */

static void other_content_refused(void **state)
{
	static const char gif[] =
	    "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9"
	    "\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02"
	    "\x02\x44\x01\x00;";
	static const char html[] = "<!DOCTYPE html><html><script>alert(1)</script></html>";
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>";
	const char *mime = "unchanged";
	unsigned char *huge;
	struct buf jpeg;

	(void)state;
	assert_refused(gif, sizeof(gif) - 1, "image/gif");
	assert_refused(gif, sizeof(gif) - 1, "image/jpeg");
	assert_refused(html, sizeof(html) - 1, "image/jpeg");
	assert_refused(svg, sizeof(svg) - 1, "image/png");
	assert_refused("", 0, "image/jpeg");
	assert_refused("\xFF\xD8\xFF", 3, "image/jpeg");
	assert_int_equal(photo_sniff(NULL, 0, &mime), LIN_EINVAL);
	assert_null(mime);

	/* One byte over the cap is too big, whatever it holds. */
	buf_init(&jpeg, 0);
	make_jpeg(&jpeg, 1, NULL);
	huge = calloc(1, (size_t)PHOTO_MAX_BYTES + 1);
	assert_non_null(huge);
	memcpy(huge, jpeg.buf, jpeg.len);
	assert_int_equal(photo_sniff(huge, (size_t)PHOTO_MAX_BYTES + 1, &mime), LIN_ETOOBIG);
	assert_int_equal(photo_strip(huge, (size_t)PHOTO_MAX_BYTES + 1, "image/jpeg", &jpeg),
			 LIN_ETOOBIG);
	free(huge);
	buf_release(&jpeg);
}

/* ---------------------------------------------------------------- decoded */

static int count_entries(const char *path);

/* Real pictures, written by the libraries themselves, for the rules that
 * need pixels: the pixel cap at its edge, whole decoding, the view copy. */

/* make_real_jpeg: a w × h JPEG (grey, or colour when colour is set) with
 * a vertical gradient, an Exif APP1 carrying orientation and a GPS
 * position right after SOI. Fast enough for 40 megapixels (grey, low
 * quality). */
static void make_real_jpeg(struct buf *b, uint32_t w, uint32_t h, int orientation, int colour)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	unsigned char *mem = NULL, *row;
	unsigned long size = 0;
	struct buf exif;
	int comps = colour ? 3 : 1;

	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &size);
	c.image_width = w;
	c.image_height = h;
	c.input_components = comps;
	c.in_color_space = colour ? JCS_RGB : JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 30, TRUE);
	c.dct_method = JDCT_IFAST;
	jpeg_start_compress(&c, TRUE);
	row = malloc((size_t)w * 3);
	assert_non_null(row);
	while (c.next_scanline < h) {
		for (uint32_t x = 0; x < w * (uint32_t)comps; x++)
			row[x] = (unsigned char)(c.next_scanline * 255 / h);
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	buf_init(&exif, 0);
	exif_payload(&exif, orientation);
	buf_add(b, mem, 2);
	jpeg_segment(b, 0xE1, exif.buf, exif.len);
	buf_add(b, mem + 2, size - 2);
	free(mem);
	buf_release(&exif);
	assert_false(b->failed);
}

/* png_write_buf: libpng's writer appending to a struct buf. */
static void png_write_buf(png_structp png, png_bytep data, size_t n)
{
	buf_add(png_get_io_ptr(png), data, n);
}

static void png_flush_none(png_structp png)
{
	(void)png;
}

/* make_real_png: a w × h grey PNG, rows of one shade, fastest deflate
 * (so 40 megapixels take little time), with a tEXt location. */
static void make_real_png(struct buf *b, uint32_t w, uint32_t h)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_text text = {.compression = PNG_TEXT_COMPRESSION_NONE,
			 .key = (char *)"Comment",
			 .text = (char *)"GPS 31.2304N 121.4737E"};
	unsigned char *row = calloc(w, 1);

	assert_non_null(png);
	assert_non_null(info);
	assert_non_null(row);
	assert_int_equal(setjmp(png_jmpbuf(png)), 0);
	png_set_write_fn(png, b, png_write_buf, png_flush_none);
	png_set_compression_level(png, 1);
	png_set_filter(png, 0, PNG_FILTER_NONE);
	png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_text(png, info, &text, 1);
	png_write_info(png, info);
	for (uint32_t y = 0; y < h; y++) {
		memset(row, (int)(y * 255 / h), w);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	assert_false(b->failed);
}

/* png_header_only: a PNG declaring w × h whose one IDAT holds a single
 * (empty, filter-byte only) row: a well-formed container, tiny. */
static void png_header_only(struct buf *b, uint32_t w, uint32_t h)
{
	static const unsigned char sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	/* zlib: a stored block holding one zero byte, then its Adler-32. */
	static const unsigned char idat[] = {0x78, 0x01, 0x01, 0x01, 0x00, 0xFE,
					     0xFF, 0x00, 0x00, 0x01, 0x00, 0x01};
	unsigned char ihdr[13] = {0, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0};

	for (int i = 0; i < 4; i++) {
		ihdr[i] = (unsigned char)(w >> (24 - 8 * i));
		ihdr[4 + i] = (unsigned char)(h >> (24 - 8 * i));
	}
	buf_add(b, sig, sizeof(sig));
	png_chunk(b, "IHDR", ihdr, sizeof(ihdr));
	png_chunk(b, "IDAT", idat, sizeof(idat));
	png_chunk(b, "IEND", "", 0);
	assert_false(b->failed);
}

/* view_of: photo_view of b, asserting success; OUT: the copy's declared
 * size, read back from the JPEG it is. */
static void view_of(const struct buf *b, const char *mime, uint32_t *w, uint32_t *h)
{
	struct buf view;
	int vw, vh;

	buf_init(&view, 0);
	assert_int_equal(photo_view((unsigned char *)b->buf, b->len, mime, &view, &vw, &vh), 0);
	assert_int_equal(photo_dimensions((unsigned char *)view.buf, view.len, "image/jpeg", w, h),
			 0);
	assert_int_equal(*w, (uint32_t)vw);
	assert_int_equal(*h, (uint32_t)vh);
	/* Re-encoded: nothing of the original's metadata is in it. */
	assert_false(contains(view.buf, view.len, "31.2304", 7));
	assert_false(contains(view.buf, view.len, "Exif", 4));
	buf_release(&view);
}

/* max_rss_mb: the process's peak resident memory so far, in MB. */
static long max_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* Exactly 40 megapixels pass and decode; 40 megapixels and one pixel, or
 * 8001 × 5000, are refused from the header, before anything else. */
static void pixel_cap_at_its_edge(void **state)
{
	struct buf b, out;
	const char *mime = NULL;
	uint32_t w, h;

	(void)state;
	assert_int_equal(PHOTO_MAX_PIXELS, 40000000u);
	buf_init(&b, 0);
	buf_init(&out, 0);
	make_real_jpeg(&b, 8000, 5000, 1, 0);
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), 0);
	assert_int_equal(photo_strip((unsigned char *)b.buf, b.len, mime, &out), 0);
	view_of(&out, "image/jpeg", &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 1000);

	buf_reset(&b);
	buf_reset(&out);
	make_real_jpeg(&b, 8001, 5000, 1, 0);
	mime = "x";
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), LIN_ERANGE);
	assert_null(mime);
	assert_int_equal(
	    photo_view((unsigned char *)b.buf, b.len, "image/jpeg", &out, (int *)&w, (int *)&h),
	    LIN_ERANGE);
	assert_int_equal(out.len, 0);

	/* One pixel either side, by the header alone: 53 × 754717 is
	 * 40000001, 40000000 is 5000 × 8000 again, turned. */
	buf_reset(&b);
	png_header_only(&b, 53, 754717);
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), LIN_ERANGE);
	buf_reset(&b);
	png_header_only(&b, 5000, 8000);
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), 0);
	/* …but it holds one row of the 8000 it declares: not whole. */
	assert_int_equal(
	    photo_view((unsigned char *)b.buf, b.len, "image/png", &out, (int *)&w, (int *)&h),
	    LIN_EINVAL);
	assert_int_equal(out.len, 0);

	/* A width or a height of 0 is no picture. */
	buf_reset(&b);
	png_header_only(&b, 0, 10);
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), LIN_EINVAL);
	buf_reset(&b);
	make_real_jpeg(&b, 16, 16, 1, 0);
	for (size_t i = 0; i + 9 < b.len; i++)
		if ((unsigned char)b.buf[i] == 0xFF && (unsigned char)b.buf[i + 1] == 0xC0) {
			b.buf[i + 5] = b.buf[i + 6] = 0; /* the height */
			break;
		}
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), LIN_EINVAL);
	buf_release(&b);
	buf_release(&out);
}

/* Huge declared sizes are refused without the memory they would need. */
static void huge_declared_size_refused_cheaply(void **state)
{
	struct buf b, out;
	const char *mime = NULL;
	long before = max_rss_mb();
	int w, h;

	(void)state;
	buf_init(&b, 0);
	buf_init(&out, 0);
	/* A PNG declaring 20000 × 20000 (1.6 GB of RGBA) with a tiny body. */
	png_header_only(&b, 20000, 20000);
	assert_true(b.len < 100);
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), LIN_ERANGE);
	assert_int_equal(photo_view((unsigned char *)b.buf, b.len, "image/png", &out, &w, &h),
			 LIN_ERANGE);
	/* A JPEG declaring 65535 × 65535. */
	buf_reset(&b);
	make_real_jpeg(&b, 16, 16, 1, 0);
	for (size_t i = 0; i + 9 < b.len; i++)
		if ((unsigned char)b.buf[i] == 0xFF && (unsigned char)b.buf[i + 1] == 0xC0) {
			memset(b.buf + i + 5, 0xFF, 4); /* height, width */
			break;
		}
	assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), LIN_ERANGE);
	assert_int_equal(photo_view((unsigned char *)b.buf, b.len, "image/jpeg", &out, &w, &h),
			 LIN_ERANGE);
	/* Within the cap but far more than the body holds: a row at a time,
	 * so no more than a row's memory before the end is found. */
	buf_reset(&b);
	png_header_only(&b, 6000, 6000);
	assert_int_equal(photo_view((unsigned char *)b.buf, b.len, "image/png", &out, &w, &h),
			 LIN_EINVAL);
	assert_int_equal(out.len, 0);
	assert_true(max_rss_mb() - before < 64);
	buf_release(&b);
	buf_release(&out);
}

/* A file cut short, or whose data is damaged, is refused even when its
 * container has been mended to look whole; and nothing is stored. */
static void truncated_image_refused(void **state)
{
	char root[] = "/tmp/linli-trunc-XXXXXX", sha_hex[65], tmp[256];
	struct buf b, cut, png, view;
	const char *mime = NULL;
	size_t sos = 0;
	int w, h;

	(void)state;
	assert_non_null(mkdtemp(root));
	buf_init(&b, 0);
	buf_init(&cut, 0);
	buf_init(&png, 0);
	buf_init(&view, 0);
	make_real_jpeg(&b, 256, 256, 1, 1);
	assert_int_equal(photo_view((unsigned char *)b.buf, b.len, "image/jpeg", &view, &w, &h), 0);
	/* The scan cut in half, EOI put back: the walker is content… */
	for (size_t i = 0; i + 1 < b.len; i++)
		if ((unsigned char)b.buf[i] == 0xFF && (unsigned char)b.buf[i + 1] == 0xDA)
			sos = i;
	assert_true(sos > 0);
	buf_add(&cut, b.buf, sos + (b.len - sos) / 2);
	while ((unsigned char)cut.buf[cut.len - 1] == 0xFF)
		cut.len--;
	buf_add(&cut, "\xFF\xD9", 2);
	assert_int_equal(photo_sniff((unsigned char *)cut.buf, cut.len, &mime), 0);
	/* …the decoder is not. */
	buf_reset(&view);
	assert_int_equal(photo_view((unsigned char *)cut.buf, cut.len, "image/jpeg", &view, &w, &h),
			 LIN_EINVAL);
	assert_int_equal(view.len, 0);
	assert_int_equal(photo_stage(root, (unsigned char *)cut.buf, cut.len, "image/jpeg", sha_hex,
				     tmp, sizeof(tmp)),
			 LIN_EINVAL);
	assert_string_equal(tmp, "");
	assert_int_equal(count_entries(root), 0);

	/* A PNG whose IDAT holds half its rows, CRCs mended. */
	make_real_png(&png, 64, 64);
	assert_int_equal(photo_view((unsigned char *)png.buf, png.len, "image/png", &view, &w, &h),
			 0);
	buf_reset(&cut);
	{
		const unsigned char *p = (unsigned char *)png.buf;
		size_t pos = 8;
		while (pos + 12 <= png.len) {
			uint32_t n = (uint32_t)p[pos] << 24 | (uint32_t)p[pos + 1] << 16 |
				     (uint32_t)p[pos + 2] << 8 | p[pos + 3];
			char type[5] = {0};
			memcpy(type, p + pos + 4, 4);
			if (pos == 8)
				buf_add(&cut, p, 8);
			png_chunk(&cut, type, p + pos + 8, strcmp(type, "IDAT") ? n : n / 2);
			pos += 12 + n;
		}
	}
	assert_int_equal(photo_sniff((unsigned char *)cut.buf, cut.len, &mime), 0);
	buf_reset(&view);
	assert_int_equal(photo_view((unsigned char *)cut.buf, cut.len, "image/png", &view, &w, &h),
			 LIN_EINVAL);
	assert_int_equal(view.len, 0);
	assert_int_equal(photo_stage(root, (unsigned char *)cut.buf, cut.len, "image/png", sha_hex,
				     tmp, sizeof(tmp)),
			 LIN_EINVAL);
	assert_int_equal(count_entries(root), 0);
	buf_release(&b);
	buf_release(&cut);
	buf_release(&png);
	buf_release(&view);
	rmdir(root);
}

/* The view copy: the longest side at most PHOTO_VIEW_SIDE, the shape
 * kept, never enlarged, turned upright by the Exif orientation. */
static void view_copy_downscaled(void **state)
{
	struct buf b;
	uint32_t w, h;

	(void)state;
	assert_int_equal(PHOTO_VIEW_SIDE, 1600);
	buf_init(&b, 0);
	make_real_png(&b, 3000, 1000);
	view_of(&b, "image/png", &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 533); /* 1000 × 1600 / 3000 = 533.3 */
	buf_reset(&b);
	make_real_png(&b, 1601, 1601);
	view_of(&b, "image/png", &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 1600);
	buf_reset(&b);
	make_real_png(&b, 1600, 10);
	view_of(&b, "image/png", &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 10);
	/* Orientation 6 (a phone held upright): 2000 × 1000 shown 800 × 1600. */
	buf_reset(&b);
	make_real_jpeg(&b, 2000, 1000, 6, 1);
	assert_int_equal(photo_orientation((unsigned char *)b.buf, b.len, "image/jpeg"), 6);
	view_of(&b, "image/jpeg", &w, &h);
	assert_int_equal(w, 800);
	assert_int_equal(h, 1600);
	buf_reset(&b);
	make_real_jpeg(&b, 300, 200, 1, 1);
	view_of(&b, "image/jpeg", &w, &h);
	assert_int_equal(w, 300);
	assert_int_equal(h, 200);

	/* WebP, lossy and lossless; one cut short (RIFF size mended) is
	 * refused. */
	unsigned char *rgb = calloc((size_t)2000 * 1000, 3), *webp = NULL;
	assert_non_null(rgb);
	size_t n = WebPEncodeRGB(rgb, 2000, 1000, 2000 * 3, 50, &webp);
	assert_true(n > 0);
	buf_reset(&b);
	buf_add(&b, webp, n);
	WebPFree(webp);
	view_of(&b, "image/webp", &w, &h);
	assert_int_equal(w, 1600);
	assert_int_equal(h, 800);
	n = WebPEncodeLosslessRGB(rgb, 120, 90, 120 * 3, &webp);
	assert_true(n > 0);
	buf_reset(&b);
	buf_add(&b, webp, n);
	WebPFree(webp);
	view_of(&b, "image/webp", &w, &h);
	assert_int_equal(w, 120);
	assert_int_equal(h, 90);
	for (int i = 0; i < 120 * 90 * 3; i++)
		rgb[i] = (unsigned char)(i * 7919 >> 3); /* not to be squeezed away */
	n = WebPEncodeRGB(rgb, 120, 90, 120 * 3, 90, &webp);
	assert_true(n > 100);
	buf_reset(&b);
	buf_add(&b, webp, n);
	WebPFree(webp);
	view_of(&b, "image/webp", &w, &h);
	{
		struct buf view;
		int vw, vh;
		const char *mime = NULL;
		size_t cut = (b.len - 20) / 2 + 20, chunk;
		cut += cut & 1;
		chunk = cut - 20;
		b.len = cut; /* the VP8 chunk halved, its size and the RIFF size mended */
		for (int i = 0; i < 4; i++) {
			b.buf[4 + i] = (char)((cut - 8) >> (8 * i));
			b.buf[16 + i] = (char)(chunk >> (8 * i));
		}
		assert_int_equal(memcmp(b.buf + 12, "VP8 ", 4), 0);
		assert_int_equal(photo_sniff((unsigned char *)b.buf, b.len, &mime), 0);
		buf_init(&view, 0);
		assert_int_equal(
		    photo_view((unsigned char *)b.buf, b.len, "image/webp", &view, &vw, &vh),
		    LIN_EINVAL);
		assert_int_equal(view.len, 0);
		buf_release(&view);
	}
	free(rgb);
	buf_release(&b);
}

/* ---------------------------------------------------------------- store and path */

/* remove_entry: nftw callback that deletes everything it visits. */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* count_entries: files in a folder, . and .. excluded. */
static int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void store_by_content_hash(void **state)
{
	char root[] = "/tmp/linli-photos-XXXXXX", dir[64], sub[128], path[256], again[65];
	unsigned char hash[crypto_hash_sha256_BYTES];
	char sha_hex[65], want_hex[65];
	struct buf in, out;
	struct stat st, st2;
	mode_t mask;
	FILE *f;
	char *read_back;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/var/photos", root); /* does not exist yet */
	buf_init(&in, 0);
	buf_init(&out, 0);
	make_real_jpeg(&in, 40, 20, 6, 1);
	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, "image/jpeg", &out), 0);

	assert_int_equal(photo_store(dir, (unsigned char *)out.buf, out.len, "image/jpeg", sha_hex),
			 0);
	crypto_hash_sha256(hash, (unsigned char *)out.buf, out.len);
	sodium_bin2hex(want_hex, sizeof(want_hex), hash, sizeof(hash));
	assert_string_equal(sha_hex, want_hex);

	/* dir/ab/<hash>.jpg, as photo_path says, holding exactly the bytes. */
	assert_int_equal(photo_path(dir, sha_hex, "image/jpeg", path, sizeof(path)), 0);
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha_hex);
	assert_true(strlen(path) == strlen(sub) + 1 + 64 + 4);
	assert_memory_equal(path, sub, strlen(sub));
	assert_string_equal(path + strlen(sub) + 1 + 64, ".jpg");
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal((size_t)st.st_size, out.len);
	read_back = malloc(out.len + 1);
	assert_non_null(read_back);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(read_back, 1, out.len + 1, f), out.len);
	fclose(f);
	assert_memory_equal(read_back, out.buf, out.len);
	free(read_back);
	/* Folders are 0750, less what the umask takes away. */
	mask = umask(0);
	umask(mask);
	assert_int_equal(stat(sub, &st2), 0);
	assert_int_equal(st2.st_mode & 0777, 0750 & ~mask);
	assert_int_equal(stat(dir, &st2), 0);
	assert_int_equal(st2.st_mode & 0777, 0750 & ~mask);
	/* Beside it its view copy (orientation 6: 40 × 20 shown 20 × 40), and
	 * no temporary file. */
	assert_int_equal(photo_view_path(dir, sha_hex, path, sizeof(path)), 0);
	assert_string_equal(path + strlen(sub) + 1 + 64, "-v1600.jpg");
	{
		struct buf view;
		uint32_t vw, vh;
		buf_init(&view, 0);
		f = fopen(path, "rb");
		assert_non_null(f);
		char chunk[4096];
		size_t got;
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&view, chunk, got);
		fclose(f);
		assert_int_equal(
		    photo_dimensions((unsigned char *)view.buf, view.len, "image/jpeg", &vw, &vh),
		    0);
		assert_int_equal(vw, 20);
		assert_int_equal(vh, 40);
		assert_false(contains(view.buf, view.len, "Exif", 4));
		buf_release(&view);
	}
	assert_int_equal(count_entries(sub), 2);
	assert_int_equal(photo_path(dir, sha_hex, "image/jpeg", path, sizeof(path)), 0);

	/* Storing the same bytes again keeps the first file. */
	assert_int_equal(photo_store(dir, (unsigned char *)out.buf, out.len, "image/jpeg", again),
			 0);
	assert_string_equal(again, sha_hex);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal(st2.st_ino, st.st_ino);
	assert_int_equal(count_entries(sub), 2);

	/* Bytes that are not what mime claims, or not a photo, are not stored. */
	assert_int_equal(photo_store(dir, (unsigned char *)out.buf, out.len, "image/png", again),
			 LIN_EINVAL);
	assert_string_equal(again, "");
	assert_int_equal(photo_store(dir, (unsigned char *)"<html>", 6, "image/jpeg", again),
			 LIN_EINVAL);
	assert_int_equal(photo_store(dir, (unsigned char *)out.buf, out.len, "text/html", again),
			 LIN_EINVAL);
	assert_int_equal(count_entries(dir), 1);

	/* A different photo gets its own name. */
	buf_reset(&in);
	make_png(&in, NULL);
	assert_int_equal(photo_store(dir, (unsigned char *)in.buf, in.len, "image/png", again), 0);
	assert_string_not_equal(again, sha_hex);
	assert_int_equal(photo_path(dir, again, "image/png", path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st2), 0);
	assert_int_equal((size_t)st2.st_size, in.len);

	/* A folder that cannot be created is an I/O error. */
	snprintf(sub, sizeof(sub), "%s/file", root);
	f = fopen(sub, "w");
	assert_non_null(f);
	fclose(f);
	snprintf(sub, sizeof(sub), "%s/file/photos", root);
	assert_int_equal(photo_store(sub, (unsigned char *)out.buf, out.len, "image/jpeg", again),
			 LIN_EIO);
	assert_string_equal(again, "");

	buf_release(&in);
	buf_release(&out);
	assert_int_equal(nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static void path_never_leaves_dir(void **state)
{
	static const char good[] =
	    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	char out[256], hex[80];

	(void)state;
	assert_int_equal(photo_path("/srv/photos", good, "image/webp", out, sizeof(out)), 0);
	assert_string_equal(
	    out, "/srv/photos/9f/"
		 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.webp");
	assert_int_equal(photo_path("/srv/photos", good, "image/png", out, sizeof(out)), 0);
	assert_string_equal(out + strlen(out) - 4, ".png");

	assert_int_equal(photo_path("/srv/photos", "../x", "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	assert_string_equal(out, "");
	/* 64 characters, but a path. */
	snprintf(hex, sizeof(hex), "../../%.58s", good);
	assert_int_equal(strlen(hex), 64);
	assert_int_equal(photo_path("/srv/photos", hex, "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	/* Upper case, short, long, not hex, empty. */
	snprintf(hex, sizeof(hex), "9F%.62s", good + 2);
	assert_int_equal(photo_path("/srv/photos", hex, "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	snprintf(hex, sizeof(hex), "%.63s", good);
	assert_int_equal(photo_path("/srv/photos", hex, "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	snprintf(hex, sizeof(hex), "%s0", good);
	assert_int_equal(photo_path("/srv/photos", hex, "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	snprintf(hex, sizeof(hex), "g%.63s", good + 1);
	assert_int_equal(photo_path("/srv/photos", hex, "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	assert_int_equal(photo_path("/srv/photos", "", "image/jpeg", out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(photo_path("/srv/photos", NULL, "image/jpeg", out, sizeof(out)),
			 LIN_EINVAL);
	/* Unknown types and a missing folder. */
	assert_int_equal(photo_path("/srv/photos", good, "image/gif", out, sizeof(out)),
			 LIN_EINVAL);
	assert_int_equal(photo_path("/srv/photos", good, NULL, out, sizeof(out)), LIN_EINVAL);
	assert_int_equal(photo_path("", good, "image/jpeg", out, sizeof(out)), LIN_EINVAL);
	/* Too small an output: refused, not cut short. */
	assert_int_equal(photo_path("/srv/photos", good, "image/jpeg", out, 40), LIN_ENOMEM);
	assert_string_equal(out, "");

	assert_string_equal(photo_ext("image/jpeg"), "jpg");
	assert_null(photo_ext("image/svg+xml"));
	assert_string_equal(photo_mime_from_ext("webp"), "image/webp");
	assert_null(photo_mime_from_ext("html"));
	assert_null(photo_mime_from_ext("JPG"));
}

/* Staging: a photo under a temporary dot name until committed, then
 * under its own; discarded, nothing; a staged leftover older than the
 * sweep's limit goes, a newer one stays. */
static void stage_commit_discard_sweep(void **state)
{
	char root[] = "/tmp/linli-stage-XXXXXX", dir[64], sub[128], path[256], tmp[256];
	char sha_hex[65];
	struct buf in, out;
	struct stat st;
	int removed = -1;

	(void)state;
	assert_non_null(mkdtemp(root));
	snprintf(dir, sizeof(dir), "%s/photos", root);
	buf_init(&in, 0);
	buf_init(&out, 0);
	make_real_jpeg(&in, 40, 20, 1, 1);
	assert_int_equal(photo_strip((unsigned char *)in.buf, in.len, "image/jpeg", &out), 0);

	assert_int_equal(photo_stage(dir, (unsigned char *)out.buf, out.len, "image/jpeg", sha_hex,
				     tmp, sizeof(tmp)),
			 0);
	assert_int_equal(photo_path(dir, sha_hex, "image/jpeg", path, sizeof(path)), 0);
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha_hex);
	assert_int_equal(stat(tmp, &st), 0);
	assert_true(strstr(tmp, "/.tmp-") != NULL);
	assert_int_not_equal(stat(path, &st), 0); /* not served yet */
	assert_int_equal(count_entries(sub), 2);  /* the photo and its copy, staged */
	assert_int_equal(photo_commit(dir, tmp, sha_hex, "image/jpeg"), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_not_equal(stat(tmp, &st), 0);
	assert_int_equal(photo_view_path(dir, sha_hex, path, sizeof(path)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(photo_path(dir, sha_hex, "image/jpeg", path, sizeof(path)), 0);
	assert_int_equal(count_entries(sub), 2);
	/* The same bytes again: the staged copy goes, the first stays. */
	assert_int_equal(photo_stage(dir, (unsigned char *)out.buf, out.len, "image/jpeg", sha_hex,
				     tmp, sizeof(tmp)),
			 0);
	assert_int_equal(count_entries(sub), 4);
	assert_int_equal(photo_commit(dir, tmp, sha_hex, "image/jpeg"), 0);
	assert_int_equal(count_entries(sub), 2);
	/* Discarded: as if never written. */
	assert_int_equal(photo_stage(dir, (unsigned char *)out.buf, out.len, "image/jpeg", sha_hex,
				     tmp, sizeof(tmp)),
			 0);
	photo_discard(tmp);
	assert_int_equal(count_entries(sub), 2);
	/* A leftover: kept by a sweep of older files, gone by one of newer. */
	assert_int_equal(photo_stage(dir, (unsigned char *)out.buf, out.len, "image/jpeg", sha_hex,
				     tmp, sizeof(tmp)),
			 0);
	assert_int_equal(photo_sweep_staged(dir, (int64_t)time(NULL) - 3600, &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(count_entries(sub), 4);
	assert_int_equal(photo_sweep_staged(dir, (int64_t)time(NULL) + 10, &removed), 0);
	assert_int_equal(removed, 2); /* the photo and its copy */
	assert_int_equal(count_entries(sub), 2);
	assert_int_equal(stat(path, &st), 0); /* the photo itself stays */
	buf_release(&in);
	buf_release(&out);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(jpeg_sniffed_and_stripped),
	    cmocka_unit_test(jpeg_every_app_segment),
	    cmocka_unit_test(jpeg_orientation_survives),
	    cmocka_unit_test(jpeg_hostile_exif_dropped),
	    cmocka_unit_test(jpeg_malformed_refused),
	    cmocka_unit_test(png_sniffed_and_stripped),
	    cmocka_unit_test(png_malformed_refused),
	    cmocka_unit_test(webp_sniffed_and_stripped),
	    cmocka_unit_test(webp_malformed_refused),
	    cmocka_unit_test(other_content_refused),
	    cmocka_unit_test(pixel_cap_at_its_edge),
	    cmocka_unit_test(huge_declared_size_refused_cheaply),
	    cmocka_unit_test(truncated_image_refused),
	    cmocka_unit_test(view_copy_downscaled),
	    cmocka_unit_test(store_by_content_hash),
	    cmocka_unit_test(stage_commit_discard_sweep),
	    cmocka_unit_test(path_never_leaves_dir),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("photos", tests, NULL, NULL);
}
